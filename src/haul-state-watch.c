/* haul-state-watch.c: every download of a list, and when its state changes
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A mirror of the model's items, in its order, each with the state it was
 * last seen in: items-changed says where items went but not which ones
 * left, so the mirror tells whose handler to disconnect. A state change
 * reaches the entry directly (it is the handler's data).
 */

#include "config.h"

#include "haul-state-watch.h"

typedef struct
{
  HaulStateWatch    *watch;     /* (unowned) the owner of the mirror */
  HaulDownload      *download;  /* (owned) */
  gulong             handler;
  HaulDownloadState  seen;
} Entry;

struct _HaulStateWatch
{
  GObject     parent_instance;

  GListModel *model;    /* (owned) */
  GPtrArray  *entries;  /* (owned) (element-type Entry) the model's items, in order */
};

G_DEFINE_FINAL_TYPE (HaulStateWatch, haul_state_watch, G_TYPE_OBJECT)

enum {
  STATE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_signal_handler (&entry->handler, entry->download);
  g_object_unref (entry->download);
  g_free (entry);
}

static void
state_cb (HaulDownload *download,
          GParamSpec   *pspec,
          Entry        *entry)
{
  HaulStateWatch *self = entry->watch;
  HaulDownloadState state = haul_download_get_state (download);
  HaulDownloadState old_state = entry->seen;

  if (state == old_state)
    return;

  entry->seen = state;
  g_signal_emit (self, signals[STATE_CHANGED], 0, download, (guint) old_state);
}

static Entry *
entry_new (HaulStateWatch *self,
           HaulDownload    *download)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->watch = self;
  entry->download = g_object_ref (download);
  entry->seen = haul_download_get_state (download);
  entry->handler = g_signal_connect (download, "notify::state", G_CALLBACK (state_cb), entry);

  return entry;
}

static void
items_changed_cb (HaulStateWatch *self,
                  guint           position,
                  guint           removed,
                  guint           added,
                  GListModel     *model)
{
  g_return_if_fail (position + removed <= self->entries->len);

  g_ptr_array_remove_range (self->entries, position, removed);

  for (guint i = 0; i < added; i++)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (model, position + i);

      g_ptr_array_insert (self->entries, (int) (position + i), entry_new (self, download));
    }

}

static void
haul_state_watch_dispose (GObject *object)
{
  HaulStateWatch *self = HAUL_STATE_WATCH (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (haul_state_watch_parent_class)->dispose (object);
}

static void
haul_state_watch_class_init (HaulStateWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = haul_state_watch_dispose;

  signals[STATE_CHANGED] = g_signal_new ("state-changed",
                                         G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, HAUL_TYPE_DOWNLOAD, G_TYPE_UINT);
}

static void
haul_state_watch_init (HaulStateWatch *self)
{
  self->entries = g_ptr_array_new_with_free_func (entry_free);
}

HaulStateWatch *
haul_state_watch_new (GListModel *model)
{
  HaulStateWatch *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (HAUL_TYPE_STATE_WATCH, NULL);
  self->model = g_object_ref (model);
  items_changed_cb (self, 0, 0, g_list_model_get_n_items (model), model);
  g_signal_connect_swapped (model, "items-changed", G_CALLBACK (items_changed_cb), self);

  return self;
}
