/* haul-queue-counts.c: how many downloads of a list are in each state
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A mirror of the model's items, in its order, each with the state it was
 * counted in: items-changed says where items went but not which ones left,
 * so the mirror tells what to uncount. A state change reaches the entry
 * directly (it is the handler's data).
 */

#include "config.h"

#include "haul-queue-counts.h"

#define N_STATES (HAUL_DOWNLOAD_CANCELLED + 1)

typedef struct
{
  HaulQueueCounts   *counts;    /* (unowned) the owner of the mirror */
  HaulDownload      *download;  /* (owned) */
  gulong             handler;
  HaulDownloadState  counted;
} Entry;

struct _HaulQueueCounts
{
  GObject     parent_instance;

  GListModel *model;    /* (owned) */
  GPtrArray  *entries;  /* (owned) (element-type Entry) the model's items, in order */
  guint       counts[N_STATES];
};

G_DEFINE_FINAL_TYPE (HaulQueueCounts, haul_queue_counts, G_TYPE_OBJECT)

enum {
  CHANGED,
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
  HaulQueueCounts *self = entry->counts;
  HaulDownloadState state = haul_download_get_state (download);
  HaulDownloadState old_state = entry->counted;

  if (state == old_state)
    return;

  self->counts[old_state]--;
  self->counts[state]++;
  entry->counted = state;

  g_signal_emit (self, signals[STATE_CHANGED], 0, download, (guint) old_state);
  g_signal_emit (self, signals[CHANGED], 0);
}

static Entry *
entry_new (HaulQueueCounts *self,
           HaulDownload    *download)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->counts = self;
  entry->download = g_object_ref (download);
  entry->counted = haul_download_get_state (download);
  entry->handler = g_signal_connect (download, "notify::state", G_CALLBACK (state_cb), entry);
  self->counts[entry->counted]++;

  return entry;
}

static void
items_changed_cb (HaulQueueCounts *self,
                  guint            position,
                  guint            removed,
                  guint            added,
                  GListModel      *model)
{
  g_return_if_fail (position + removed <= self->entries->len);

  for (guint i = position; i < position + removed; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      self->counts[entry->counted]--;
    }
  g_ptr_array_remove_range (self->entries, position, removed);

  for (guint i = 0; i < added; i++)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (model, position + i);

      g_ptr_array_insert (self->entries, (int) (position + i), entry_new (self, download));
    }

  if (removed > 0 || added > 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

guint
haul_queue_counts_get (HaulQueueCounts   *self,
                       HaulDownloadState  state)
{
  g_return_val_if_fail (HAUL_IS_QUEUE_COUNTS (self), 0);
  g_return_val_if_fail ((guint) state < N_STATES, 0);

  return self->counts[state];
}

static void
haul_queue_counts_dispose (GObject *object)
{
  HaulQueueCounts *self = HAUL_QUEUE_COUNTS (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (haul_queue_counts_parent_class)->dispose (object);
}

static void
haul_queue_counts_class_init (HaulQueueCountsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = haul_queue_counts_dispose;

  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
  signals[STATE_CHANGED] = g_signal_new ("state-changed",
                                         G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, HAUL_TYPE_DOWNLOAD, G_TYPE_UINT);
}

static void
haul_queue_counts_init (HaulQueueCounts *self)
{
  self->entries = g_ptr_array_new_with_free_func (entry_free);
}

HaulQueueCounts *
haul_queue_counts_new (GListModel *model)
{
  HaulQueueCounts *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (HAUL_TYPE_QUEUE_COUNTS, NULL);
  self->model = g_object_ref (model);
  items_changed_cb (self, 0, 0, g_list_model_get_n_items (model), model);
  g_signal_connect_swapped (model, "items-changed", G_CALLBACK (items_changed_cb), self);

  return self;
}
