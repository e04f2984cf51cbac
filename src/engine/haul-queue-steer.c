/* haul-queue-steer.c: the order a person gives the queue, and holding it
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rule 5 of haul-queue.c. How it works:
 *  1. Downloads start in list order. Each member has a position number,
 *     increasing down the list, which the store records and loads by: a
 *     reordered queue comes back in its order after a restart.
 *  2. A download added at the end gets the last number + 1; one moved
 *     gets the number halfway between its new neighbours, so a move saves
 *     one download, not the list. When no number is left between them
 *     (a double runs out after some fifty moves into the same gap) every
 *     member is numbered again 1, 2, 3… and saved: rare, and linear.
 *  3. Holding the queue stops every download that runs or waits to retry
 *     (HAUL_STOP_HOLD: its bytes stay, it goes back to queued, in its
 *     place) and nothing starts until it is let go, except a download asked
 *     to start now. Held or not, paused downloads stay paused.
 */

#include "config.h"

#include "haul-download-private.h"
#include "haul-queue-internal.h"

static double
position_at (HaulQueue *self,
             guint      index)
{
  return haul_download_get_position (g_ptr_array_index (self->items, index));
}

/* Between the neighbours of @index, strictly. */
static gboolean
fits (HaulQueue *self,
      guint      index,
      double     position)
{
  return position > 0
         && (index == 0 || position_at (self, index - 1) < position)
         && (index + 1 >= self->items->len || position < position_at (self, index + 1));
}

static void
renumber (HaulQueue *self)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (self->items, i);

      haul_download_set_position (download, i + 1);
      haul_queue_save (self, download);
    }
}

gboolean
haul_queue_place (HaulQueue *self,
                  guint      index)
{
  HaulDownload *download = g_ptr_array_index (self->items, index);
  double position;

  if (fits (self, index, haul_download_get_position (download)))
    return FALSE;

  /* Rule 2: one number, halfway, if there is one. */
  if (index + 1 >= self->items->len)
    position = (index > 0 ? position_at (self, index - 1) : 0) + 1;
  else if (index == 0)
    position = position_at (self, 1) / 2;
  else
    position = position_at (self, index - 1)
               + (position_at (self, index + 1) - position_at (self, index - 1)) / 2;

  if (fits (self, index, position))
    haul_download_set_position (download, position);
  else
    renumber (self);
  return TRUE;
}

/**
 * haul_queue_move:
 * @position: where it stands afterwards (clamped to the list)
 *
 * Reorders the list; downloads start in its order. Recorded: the order
 * comes back after a restart.
 */
void
haul_queue_move (HaulQueue    *self,
                 HaulDownload *download,
                 guint         position)
{
  g_autoptr(HaulDownload) hold = NULL;
  guint from;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (haul_queue_contains (self, download));

  from = haul_queue_index_of (self, download);
  position = MIN (position, self->items->len - 1);
  if (from == position)
    return;

  hold = g_object_ref (download);
  g_ptr_array_remove_index (self->items, from);
  g_list_model_items_changed (G_LIST_MODEL (self), from, 1, 0);
  g_ptr_array_insert (self->items, position, g_object_ref (download));
  if (haul_queue_place (self, position))
    haul_queue_save (self, download);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  haul_queue_schedule_soon (self);
}

void
haul_queue_move_before (HaulQueue    *self,
                        HaulDownload *download,
                        HaulDownload *before)
{
  guint from;
  guint to;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (haul_queue_contains (self, download));
  g_return_if_fail (before == NULL || haul_queue_contains (self, before));

  if (before == download)
    return;
  from = haul_queue_index_of (self, download);
  to = before != NULL ? haul_queue_index_of (self, before) : self->items->len;
  /* Taken out first, the ones after it move up by one. */
  haul_queue_move (self, download, from < to ? to - 1 : to);
}

void
haul_queue_move_after (HaulQueue    *self,
                       HaulDownload *download,
                       HaulDownload *after)
{
  guint from;
  guint to;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (haul_queue_contains (self, download));
  g_return_if_fail (after == NULL || haul_queue_contains (self, after));

  if (after == download)
    return;
  from = haul_queue_index_of (self, download);
  to = after != NULL ? haul_queue_index_of (self, after) + 1 : 0;
  haul_queue_move (self, download, from < to ? to - 1 : to);
}

/* Start now ------------------------------------------------------------- */

gboolean
haul_queue_has_start_now (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), FALSE);
  return g_hash_table_size (self->start_now) > 0;
}

gboolean
haul_queue_take_start_now (HaulQueue    *self,
                           HaulDownload *download)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), FALSE);
  return g_hash_table_remove (self->start_now, download);
}

/**
 * haul_queue_start_now:
 *
 * Starts a waiting or paused download at once, ahead of the limit of
 * max-active, and while the queue is held too.
 */
void
haul_queue_start_now (HaulQueue    *self,
                      HaulDownload *download)
{
  HaulDownloadState state;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (haul_queue_contains (self, download));

  state = haul_download_get_state (download);
  if (state != HAUL_DOWNLOAD_QUEUED && state != HAUL_DOWNLOAD_PAUSED)
    return;
  g_hash_table_add (self->start_now, download);
  haul_queue_set_state (self, download, HAUL_DOWNLOAD_QUEUED);
  haul_engine_retry_now (self->engine, download);
  haul_queue_schedule_soon (self);
}

/* Holding the queue (rule 3) -------------------------------------------- */

gboolean
haul_queue_get_held (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), FALSE);
  return self->held;
}

/**
 * haul_queue_set_held:
 * @held: whether the whole queue waits
 *
 * Held, every download that runs stops with its bytes kept and waits
 * again in its place, and nothing starts until the queue is let go,
 * except what haul_queue_start_now() starts. Paused downloads stay paused
 * either way. Notifies :held, and :n-active (which, held, counts only
 * what runs).
 */
void
haul_queue_set_held (HaulQueue *self,
                     gboolean   held)
{
  g_autoptr(GPtrArray) stop = NULL;
  Counts before;

  g_return_if_fail (HAUL_IS_QUEUE (self));

  held = !!held;
  if (self->held == held)
    return;

  before = haul_queue_counts_now (self);
  self->held = held;

  if (held)
    {
      /* What was asked to start and has not yet waits too; the engine may
       * change the list while it stops a run, so stop from a copy. */
      g_hash_table_remove_all (self->start_now);
      stop = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < self->items->len; i++)
        {
          HaulDownload *download = g_ptr_array_index (self->items, i);

          if (haul_download_is_active (download))
            g_ptr_array_add (stop, g_object_ref (download));
        }
      for (guint i = 0; i < stop->len; i++)
        if (haul_queue_contains (self, g_ptr_array_index (stop, i)))
          haul_engine_stop (self->engine, g_ptr_array_index (stop, i), HAUL_STOP_HOLD);
    }
  else
    haul_queue_schedule_soon (self);

  haul_queue_notify_held (self, before);
}
