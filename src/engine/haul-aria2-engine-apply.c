/* haul-aria2-engine-apply.c: the daemon's snapshots applied to the list
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rule 2 of haul-aria2-engine.c, in the order a row must see it: what
 * the file is (name, where it is here), then its bytes, then its state,
 * so that a handler of ::download-finished (the notifier) reads the name
 * and path of the file that just completed. Only snapshots that changed
 * arrive here, once per tick for all downloads.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "haul-aria2-engine-private.h"
#include "haul-aria2-paths.h"
#include "haul-error.h"
#include "haul-url.h"

/* The state the row should show, or -1 to keep the one it has (rule 3). */
static int
wanted_state (HaulAria2Engine       *self,
              Entry                 *entry,
              const HaulAria2Status *status)
{
  gboolean running = status->state == HAUL_ARIA2_ACTIVE || status->state == HAUL_ARIA2_WAITING;

  if (entry->want == WANT_PAUSED)
    {
      if (running)
        return -1;
      entry->want = WANT_NONE;
    }
  else if (entry->want == WANT_RUNNING)
    {
      if (status->state == HAUL_ARIA2_PAUSED)
        return -1;
      entry->want = WANT_NONE;
    }
  entry->asked = WANT_NONE;

  /* Cancelled or removed here, waiting for undo or discard: it stays so. */
  if (entry->pending)
    return -1;
  return haul_aria2_status_get_download_state (status);
}

static void
apply_file (HaulAria2Engine       *self,
            Entry                 *entry,
            const HaulAria2Status *status)
{
  HaulDownload *download = entry->download;
  g_autofree char *local = haul_aria2_engine_map_path (self, status->path);

  if (status->path != NULL)
    {
      g_autofree char *name = haul_aria2_status_dup_file_name (status);

      haul_download_set_file_name (download, name);
    }
  haul_download_set_remote_path (download, local);
}

static void
apply_progress (Entry                 *entry,
                const HaulAria2Status *status)
{
  HaulDownload *download = entry->download;
  gint64 received = MAX (status->completed, 0);
  gint64 total = status->total;
  double speed = 0;
  gint64 eta = -1;

  if (total >= 0 && received > total)
    total = received;
  if (status->state == HAUL_ARIA2_ACTIVE)
    {
      speed = (double) MAX (status->speed, 0);
      if (total >= 0 && received >= total)
        eta = 0;
      else if (total > 0 && speed >= 1.0)
        eta = (gint64) ((double) (total - received) / speed + 0.5);
    }
  /* Shown at the next start before the daemon answers. */
  haul_download_set_confirmed (download, received);
  haul_download_set_progress (download, received, total, speed, eta);
}

static void
apply_status (HaulAria2Engine *self,
              Entry           *entry,
              HaulAria2Status *status)
{
  g_autoptr(HaulDownload) download = g_object_ref (entry->download);
  HaulDownloadState before = haul_download_get_state (download);
  gboolean file_changed = (status->changed & (HAUL_ARIA2_FIELD_PATH | HAUL_ARIA2_FIELD_DIR)) != 0;
  int state;

  g_clear_pointer (&entry->last, haul_aria2_status_unref);
  entry->last = haul_aria2_status_ref (status);
  entry->gone = FALSE;

  apply_file (self, entry, status);
  state = wanted_state (self, entry, status);
  apply_progress (entry, status);

  if (state == HAUL_DOWNLOAD_FAILED)
    {
      g_autoptr(GError) error = haul_aria2_status_dup_error (status);

      haul_download_set_error_message (download, error != NULL ? error->message : NULL);
      haul_download_set_error_code (download, error != NULL ? error->code : -1);
    }
  else if (state >= 0 && state != HAUL_DOWNLOAD_CANCELLED)
    {
      haul_download_set_error_message (download, NULL);
      haul_download_set_error_code (download, -1);
    }
  if (haul_download_get_waiting (download) == HAUL_WAITING_DAEMON)
    haul_download_set_waiting (download, HAUL_WAITING_NONE, 0);

  if (state >= 0 && (HaulDownloadState) state != before)
    haul_queue_set_state (self->queue, download, state);
  else if (file_changed)
    haul_queue_save (self->queue, download);

  state = haul_download_get_state (download);
  if (state == HAUL_DOWNLOAD_CONNECTING || state == HAUL_DOWNLOAD_DOWNLOADING)
    haul_download_set_connections (download, (guint) CLAMP (status->connections, 0, 64));

  /* A stop under way is over once the daemon shows it stopped (rule 4). */
  if (entry->stopping && status->state != HAUL_ARIA2_ACTIVE
      && status->state != HAUL_ARIA2_WAITING)
    entry = haul_aria2_engine_finish_stop (self, entry);
  if (entry != NULL)
    haul_aria2_engine_follow_want (self, entry);
}

/* Another client's download, as a new row. NULL for what is not worth
 * one: one removed already, or one removed here. */
static HaulDownload *
adopt (HaulAria2Engine *self,
       HaulAria2Status *status)
{
  g_autoptr(HaulDownload) download = NULL;
  g_autofree char *folder = haul_aria2_engine_map_path (self, status->dir);
  g_autofree char *uri = NULL;
  Entry *entry;

  if (status->state == HAUL_ARIA2_REMOVED || g_hash_table_contains (self->forget, status->gid))
    return NULL;

  /* Its address as a row shows it: without credentials. */
  if (status->uris != NULL && status->uris[0] != NULL)
    {
      g_autoptr(GUri) parsed = haul_url_parse (status->uris[0], NULL);
      g_autoptr(GUri) bare = parsed != NULL ? haul_url_strip_userinfo (parsed) : NULL;

      if (bare != NULL)
        uri = g_uri_to_string (bare);
    }
  download = haul_download_new (uri != NULL ? uri : "",
                                folder != NULL ? folder
                                               : status->dir != NULL ? status->dir : "");
  haul_download_set_engine_id (download, status->gid);
  entry = haul_aria2_engine_ensure_entry (self, download);
  apply_status (self, entry, status);
  return g_steal_pointer (&download);
}

static void
forgotten (HaulAria2Engine *self,
           Entry           *entry)
{
  g_autoptr(HaulDownload) download = g_object_ref (entry->download);

  g_clear_pointer (&entry->last, haul_aria2_status_unref);
  entry->gone = TRUE;
  entry->want = WANT_NONE;
  entry->asked = WANT_NONE;
  /* A stop under way is over: the daemon has nothing left to stop. */
  entry = haul_aria2_engine_finish_stop (self, entry);
  if (entry == NULL || entry->adding || entry->pending
      || !haul_queue_contains (self->queue, download) || haul_download_is_finished (download))
    return;
  /* Restarted without its session, or removed by another client: said
   * once, and Retry sends it anew. */
  haul_download_set_error_message (download, _("The aria2 daemon no longer has this download"));
  haul_download_set_error_code (download, HAUL_ERROR_DAEMON);
  haul_queue_set_state (self->queue, download, HAUL_DOWNLOAD_FAILED);
}

void
haul_aria2_engine_apply_updates (HaulAria2Engine *self,
                                 GPtrArray       *changed,
                                 GPtrArray       *removed)
{
  g_autoptr(GPtrArray) adopted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(HaulAria2Engine) hold = g_object_ref (self);

  if (self->queue == NULL || self->shutting_down)
    return;

  for (guint i = 0; i < changed->len; i++)
    {
      HaulAria2Status *status = g_ptr_array_index (changed, i);
      Entry *entry = g_hash_table_lookup (self->by_gid, status->gid);

      if (entry == NULL)
        {
          HaulDownload *download = adopt (self, status);

          if (download != NULL)
            g_ptr_array_add (adopted, download);
        }
      else if (!entry->adding)
        apply_status (self, entry, status);
    }

  for (guint i = 0; i < removed->len; i++)
    {
      HaulAria2Status *status = g_ptr_array_index (removed, i);
      Entry *entry = g_hash_table_lookup (self->by_gid, status->gid);

      g_hash_table_remove (self->forget, status->gid);
      if (entry != NULL)
        forgotten (self, entry);
    }

  /* Rule 2: all of them in one change of the list. */
  if (adopted->len > 0)
    haul_queue_append_from_engine (self->queue, adopted);
}

void
haul_aria2_engine_reconcile (HaulAria2Engine *self)
{
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  if (self->queue == NULL || self->shutting_down || self->poller == NULL)
    return;

  /* Known from the store, never seen on the daemon since. */
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;

      if (entry->from_store && entry->last == NULL && entry->gid != NULL && !entry->adding
          && haul_aria2_poller_lookup (self->poller, entry->gid) == NULL)
        g_ptr_array_add (gone, entry);
      entry->from_store = FALSE;
    }
  for (guint i = 0; i < gone->len; i++)
    forgotten (self, g_ptr_array_index (gone, i));
}

void
haul_aria2_engine_mark_unreachable (HaulAria2Engine *self,
                                    gboolean         unreachable)
{
  guint n;

  if (self->queue == NULL)
    return;

  /* Unfinished rows keep their last state and say why nothing moves. */
  n = haul_queue_get_length (self->queue);
  for (guint i = 0; i < n; i++)
    {
      HaulDownload *download = haul_queue_peek (self->queue, i);

      if (haul_download_is_finished (download))
        continue;
      if (unreachable)
        {
          haul_download_set_progress (download, haul_download_get_received (download),
                                      haul_download_get_total (download), 0, -1);
          haul_download_set_waiting (download, HAUL_WAITING_DAEMON, 0);
        }
      else if (haul_download_get_waiting (download) == HAUL_WAITING_DAEMON)
        haul_download_set_waiting (download, HAUL_WAITING_NONE, 0);
    }
}
