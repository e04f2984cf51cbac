/* haul-queue-feeder.c: many links into the queue, a slice per main-loop turn
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-queue-feeder.h"

/* At most this long per main-loop turn. */
#define SLICE_US 4000

typedef struct
{
  char *url;     /* (owned) */
  char *folder;  /* (owned) */
} PendingLink;

struct _HaulQueueFeeder
{
  GObject    parent_instance;

  HaulQueue *queue;        /* (owned) */
  GQueue     pending;      /* (element-type PendingLink) */
  guint      pending_id;
  guint      n_added;
  char      *first_error;  /* (owned) (nullable) */
  HaulDuplicates *duplicates; /* (owned) (nullable) set aside from this batch */
};

G_DEFINE_FINAL_TYPE (HaulQueueFeeder, haul_queue_feeder, G_TYPE_OBJECT)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
pending_link_free (gpointer data)
{
  PendingLink *link = data;

  g_free (link->url);
  g_free (link->folder);
  g_free (link);
}

static gboolean
feed_cb (gpointer user_data)
{
  HaulQueueFeeder *self = user_data;
  gint64 start = g_get_monotonic_time ();
  g_autofree char *first_error = NULL;
  guint n_added;

  while (!g_queue_is_empty (&self->pending) && g_get_monotonic_time () - start < SLICE_US)
    {
      PendingLink *link = g_queue_pop_head (&self->pending);
      g_autoptr(GError) error = NULL;
      HaulDownload *added = NULL;

      if (self->duplicates == NULL)
        self->duplicates = haul_duplicates_new ();
      /* One the list holds already is asked about at the end. */
      if (!haul_duplicates_take (self->duplicates, self->queue, link->url, link->folder)
          && (added = haul_queue_add (self->queue, link->url, link->folder, &error)) != NULL)
        {
          self->n_added++;
          haul_duplicates_added (self->duplicates, added);
        }
      else if (error != NULL && self->first_error == NULL)
        self->first_error = g_strdup (error->message);

      pending_link_free (link);
    }

  if (!g_queue_is_empty (&self->pending))
    return G_SOURCE_CONTINUE;

  self->pending_id = 0;
  n_added = self->n_added;
  first_error = g_steal_pointer (&self->first_error);
  self->n_added = 0;
  g_signal_emit (self, signals[DONE], 0, n_added, first_error);
  return G_SOURCE_REMOVE;
}

void
haul_queue_feeder_add (HaulQueueFeeder    *self,
                       const char * const *urls,
                       const char         *folder)
{
  g_return_if_fail (HAUL_IS_QUEUE_FEEDER (self));
  g_return_if_fail (urls != NULL);
  g_return_if_fail (folder != NULL);

  for (guint i = 0; urls[i] != NULL; i++)
    {
      PendingLink *link = g_new0 (PendingLink, 1);

      link->url = g_strdup (urls[i]);
      link->folder = g_strdup (folder);
      g_queue_push_tail (&self->pending, link);
    }

  /* Below redraw priority: a frame is drawn between two slices. */
  if (self->pending_id == 0 && !g_queue_is_empty (&self->pending))
    self->pending_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, feed_cb, self, NULL);
}

HaulDuplicates *
haul_queue_feeder_steal_duplicates (HaulQueueFeeder *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE_FEEDER (self), NULL);

  return g_steal_pointer (&self->duplicates);
}

guint
haul_queue_feeder_get_n_pending (HaulQueueFeeder *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE_FEEDER (self), 0);

  return self->pending.length;
}

static void
haul_queue_feeder_dispose (GObject *object)
{
  HaulQueueFeeder *self = HAUL_QUEUE_FEEDER (object);

  g_clear_handle_id (&self->pending_id, g_source_remove);
  g_queue_clear_full (&self->pending, pending_link_free);
  g_clear_pointer (&self->first_error, g_free);
  g_clear_pointer (&self->duplicates, haul_duplicates_free);
  g_clear_object (&self->queue);

  G_OBJECT_CLASS (haul_queue_feeder_parent_class)->dispose (object);
}

static void
haul_queue_feeder_class_init (HaulQueueFeederClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = haul_queue_feeder_dispose;

  signals[DONE] = g_signal_new ("done",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL,
                                G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
}

static void
haul_queue_feeder_init (HaulQueueFeeder *self)
{
  g_queue_init (&self->pending);
}

HaulQueueFeeder *
haul_queue_feeder_new (HaulQueue *queue)
{
  HaulQueueFeeder *self;

  g_return_val_if_fail (HAUL_IS_QUEUE (queue), NULL);

  self = g_object_new (HAUL_TYPE_QUEUE_FEEDER, NULL);
  self->queue = g_object_ref (queue);
  return self;
}
