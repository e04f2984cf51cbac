/* haul-queue-actions.c: what a person does to one download, or to all
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pause, resume, retry (now), pause and resume all, a download's own
 * speed limit: each asks the engine and moves the state as rule 1 of
 * haul-queue.c says. Cancel and remove, which keep the bytes for an
 * undo, are haul-queue-undo.c's.
 */

#include "config.h"

#include "haul-checksum.h"
#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-queue-internal.h"

void
haul_queue_pause (HaulQueue    *self,
                  HaulDownload *download)
{
  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (haul_queue_contains (self, download));

  /* A running one stops within a second and then shows as paused. */
  if (haul_engine_stop (self->engine, download, HAUL_STOP_PAUSE))
    return;
  if (haul_download_get_state (download) == HAUL_DOWNLOAD_QUEUED)
    haul_queue_set_state (self, download, HAUL_DOWNLOAD_PAUSED);
}

void
haul_queue_resume (HaulQueue    *self,
                   HaulDownload *download)
{
  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (haul_queue_contains (self, download));

  if (haul_download_get_state (download) != HAUL_DOWNLOAD_PAUSED)
    return;
  haul_queue_set_state (self, download, HAUL_DOWNLOAD_QUEUED);
  haul_queue_schedule_soon (self);
}


static gboolean
partial_is_unusable (HaulDownload *download)
{
  int code = haul_download_get_error_code (download);

  /* Not HAUL_ERROR_FOLDER_GONE: the folder may be back, with the bytes
   * (the transfer starts again if not). A checksum mismatch: the bytes
   * are what is wrong. */
  return code == HAUL_ERROR_PARTIAL_MISSING || code == HAUL_ERROR_PARTIAL_MISMATCH
         || code == HAUL_ERROR_CHECKSUM_MISMATCH;
}

void
haul_queue_retry (HaulQueue    *self,
                  HaulDownload *download)
{
  HaulDownloadState state;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (haul_queue_contains (self, download));

  state = haul_download_get_state (download);
  if (state != HAUL_DOWNLOAD_FAILED && state != HAUL_DOWNLOAD_CANCELLED)
    return;

  /* A cancelled download starts again from zero; a failed one goes on
   * from its bytes unless they are why it failed (the transfer checks
   * them against the server's validators either way). */
  if (state == HAUL_DOWNLOAD_CANCELLED)
    {
      Pending *pending = g_hash_table_lookup (self->pending, download);

      if (pending != NULL)
        haul_queue_finish_discard (self, download, pending, FALSE);
      else
        haul_queue_clear_partial (self, download, FALSE);
    }
  else if (partial_is_unusable (download))
    haul_queue_clear_partial (self, download, FALSE);

  /* A checksum the server gave may be what was wrong, and corrected there
   * since: it is looked for again. One the user typed stays. */
  if (haul_download_get_error_code (download) == HAUL_ERROR_CHECKSUM_MISMATCH
      && haul_download_get_checksum (download) != NULL
      && haul_checksum_spec_get_source (haul_download_get_checksum (download))
         != HAUL_CHECKSUM_SOURCE_USER)
    {
      haul_download_set_checksum (download, NULL);
      haul_download_set_checksum_state (download, HAUL_CHECKSUM_NONE);
    }

  /* The code is kept for the engine when the folder vanished: it makes
   * the folder again and goes on from the partial if that is back. */
  if (haul_download_get_error_code (download) == HAUL_ERROR_FOLDER_GONE)
    haul_download_set_error_message (download, NULL);
  else
    haul_download_set_error (download, NULL);
  haul_queue_set_state (self, download, HAUL_DOWNLOAD_QUEUED);
  haul_queue_schedule_soon (self);
}

void
haul_queue_retry_now (HaulQueue    *self,
                      HaulDownload *download)
{
  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (haul_queue_contains (self, download));

  if (haul_download_get_state (download) == HAUL_DOWNLOAD_QUEUED)
    haul_engine_retry_now (self->engine, download);
}


void
haul_queue_pause_all (HaulQueue *self)
{
  g_autoptr(GPtrArray) active = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (HAUL_IS_QUEUE (self));

  for (guint i = 0; i < self->items->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (self->items, i);

      if (haul_download_is_active (download))
        g_ptr_array_add (active, g_object_ref (download));
    }
  for (guint i = 0; i < active->len; i++)
    if (haul_queue_contains (self, g_ptr_array_index (active, i)))
      haul_queue_pause (self, g_ptr_array_index (active, i));
}

void
haul_queue_resume_all (HaulQueue *self)
{
  g_autoptr(GPtrArray) paused = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (HAUL_IS_QUEUE (self));

  for (guint i = 0; i < self->items->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (self->items, i);

      if (haul_download_get_state (download) == HAUL_DOWNLOAD_PAUSED)
        g_ptr_array_add (paused, g_object_ref (download));
    }
  for (guint i = 0; i < paused->len; i++)
    if (haul_queue_contains (self, g_ptr_array_index (paused, i)))
      haul_queue_set_state (self, g_ptr_array_index (paused, i), HAUL_DOWNLOAD_QUEUED);
  haul_queue_schedule_soon (self);
}


void
haul_queue_set_download_speed_limit (HaulQueue    *self,
                                     HaulDownload *download,
                                     guint64       bytes_per_second)
{
  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (haul_queue_contains (self, download));

  haul_download_set_speed_limit (download, bytes_per_second);
  haul_queue_save (self, download);
  haul_engine_settings_changed (self->engine);
}
