/* haul-queue-schedule.c: the hours in which downloads may run
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The queue is told when its hours close and open (a HaulScheduler on
 * the main loop does the telling); the engine asks before it starts
 * anything. Closing stops every running download as the queue's hold
 * does (HAUL_STOP_HOLD: bytes kept, back to queued, recorded as queued
 * so a restart outside the hours does not start it either); each queued
 * download then says why it waits and until when. Paused downloads stay
 * paused: the schedule never resumes what a person stopped. With a
 * remote aria2 daemon the hours are the daemon's own business.
 */

#include "config.h"

#include "haul-download-private.h"
#include "haul-queue-internal.h"

gboolean
haul_queue_get_schedule_open (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), TRUE);
  return !self->schedule_closed;
}

void
haul_queue_wait_for_schedule (HaulQueue    *self,
                              HaulDownload *download)
{
  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (HAUL_IS_DOWNLOAD (download));

  /* A retry's or the network's wait says more; it ends into this one. */
  if (self->schedule_closed && haul_download_get_state (download) == HAUL_DOWNLOAD_QUEUED
      && haul_download_get_waiting (download) == HAUL_WAITING_NONE)
    haul_download_set_waiting (download, HAUL_WAITING_SCHEDULE, self->schedule_opens_at);
}

void
haul_queue_set_schedule (HaulQueue *self,
                         gboolean   open,
                         gint64     opens_at)
{
  g_autoptr(GPtrArray) running = NULL;
  gboolean open_changed;
  gboolean opens_at_changed;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (opens_at >= 0);

  if (open)
    opens_at = 0;
  open_changed = self->schedule_closed == !!open;
  opens_at_changed = self->schedule_opens_at != opens_at;
  if (!open_changed && !opens_at_changed)
    return;
  self->schedule_closed = !open;
  self->schedule_opens_at = opens_at;

  /* A remote daemon keeps its own hours, as it goes on when the queue is
   * held (rule 6 of haul-aria2-engine.c): the queue only knows them. */
  if (self->engine_connection != HAUL_ENGINE_LOCAL)
    {
      haul_queue_notify_schedule (self, open_changed, opens_at_changed);
      return;
    }

  running = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->items->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (self->items, i);
      HaulDownloadState state = haul_download_get_state (download);
      HaulWaiting waiting = haul_download_get_waiting (download);

      if (state == HAUL_DOWNLOAD_CONNECTING || state == HAUL_DOWNLOAD_DOWNLOADING)
        g_ptr_array_add (running, g_object_ref (download));
      else if (state != HAUL_DOWNLOAD_QUEUED)
        continue;
      else if (open && waiting == HAUL_WAITING_SCHEDULE)
        haul_download_set_waiting (download, HAUL_WAITING_NONE, 0);
      else if (!open && (waiting == HAUL_WAITING_NONE || waiting == HAUL_WAITING_SCHEDULE))
        haul_download_set_waiting (download, HAUL_WAITING_SCHEDULE, opens_at);
    }

  /* Each comes back queued, and waits (the engine marks it). */
  if (!open && open_changed)
    for (guint i = 0; i < running->len; i++)
      if (haul_queue_contains (self, g_ptr_array_index (running, i)))
        haul_engine_stop (self->engine, g_ptr_array_index (running, i), HAUL_STOP_HOLD);

  haul_queue_notify_schedule (self, open_changed, opens_at_changed);
  if (open && open_changed)
    haul_queue_schedule_soon (self);
}
