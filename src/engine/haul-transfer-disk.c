/* haul-transfer-disk.c: a transfer's partial file, its checkpoints and
 * the watch over its folder
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rules 6 and 10 of haul-transfer.c: the partial is created (name chosen,
 * recorded before it exists) or reopened with exactly the bytes recorded;
 * a checkpoint syncs before it records; a watch thread looks at the
 * folder while no bytes arrive and stops every connection when it is
 * gone, as haul_transfer_fail_all() does for any connection. This file
 * calls nothing in haul-transfer.c or haul-connections.c: they call it.
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "haul-error.h"
#include "haul-naming.h"
#include "haul-partial-file.h"
#include "haul-segments.h"
#include "haul-transfer-private.h"

#define CHECKPOINT_INTERVAL G_USEC_PER_SEC
/* Rule 10: how often the folder is looked at when no bytes arrive. */
#define WATCH_INTERVAL      (G_USEC_PER_SEC)

/* Stopping (rules 4 and 10) ----------------------------------------------- */

/* Stops every connection with @error (taken), unless one already did. */
void
haul_transfer_fail_all (Transfer *t,
                        GError   *error)
{
  g_autoptr(GCancellable) stop = NULL;

  /* Under the lock: rule 4 replaces t->stop, and the watch (rule 10)
   * may call this from its own thread. */
  g_mutex_lock (&t->lock);
  if (t->fatal == NULL)
    t->fatal = error;
  else
    g_error_free (error);
  stop = g_object_ref (t->stop);
  g_mutex_unlock (&t->lock);
  g_cancellable_cancel (stop);
}

/* Checkpoints (rule 6) ----------------------------------------------------- */

gboolean
haul_transfer_record (Transfer  *t,
                      GError   **error)
{
  if (t->job->checkpoint == NULL || t->state->partial_path == NULL)
    return TRUE;
  return t->job->checkpoint (t->state, t->job->checkpoint_data, error);
}

/* Under t->lock. */
static gboolean
checkpoint_locked (Transfer  *t,
                   GError   **error)
{
  g_autoptr(GArray) pieces = NULL;
  gint64 written = t->written;

  t->last_checkpoint = g_get_monotonic_time ();
  if (t->partial == NULL)
    return TRUE;

  /* Snapshot, then sync, then record: the record never runs ahead. */
  if (t->segments != NULL)
    pieces = haul_segments_snapshot (t->segments);
  if (!haul_partial_file_sync (t->partial, error) || !haul_partial_file_check (t->partial, error))
    return FALSE;

  if (pieces != NULL)
    haul_resume_state_set_pieces (t->state, pieces);
  else
    {
      t->synced = written;
      t->state->confirmed = written;
    }
  return haul_transfer_record (t, error);
}

gboolean
haul_transfer_checkpoint_now (Transfer  *t,
                              GError   **error)
{
  gboolean ok;

  g_mutex_lock (&t->lock);
  ok = checkpoint_locked (t, error);
  g_mutex_unlock (&t->lock);
  return ok;
}

/* After a write: a checkpoint once a second, taken by whichever
 * connection gets there first. */
gboolean
haul_transfer_maybe_checkpoint (Transfer  *t,
                                GError   **error)
{
  gboolean ok = TRUE;

  if (g_get_monotonic_time () - t->last_checkpoint < CHECKPOINT_INTERVAL)
    return TRUE;
  if (!g_mutex_trylock (&t->lock))
    return TRUE;
  if (g_get_monotonic_time () - t->last_checkpoint >= CHECKPOINT_INTERVAL)
    ok = checkpoint_locked (t, error);
  g_mutex_unlock (&t->lock);
  return ok;
}

/* The folder's watch (rule 10) --------------------------------------------- */

static gpointer
watch_thread (gpointer data)
{
  Transfer *t = data;

  g_mutex_lock (&t->watch_lock);
  while (!t->watch_stop)
    {
      g_autoptr(GError) error = NULL;

      g_cond_wait_until (&t->watch_cond, &t->watch_lock,
                         g_get_monotonic_time () + WATCH_INTERVAL);
      if (t->watch_stop || haul_partial_file_check (t->partial, &error))
        continue;
      g_debug ("The watch stops the download: %s", error->message);
      haul_transfer_fail_all (t, g_steal_pointer (&error));
      break;
    }
  g_mutex_unlock (&t->watch_lock);
  return NULL;
}

/* Once the partial is open: it stays so until the end of the run. */
static void
start_watch (Transfer *t)
{
  if (t->watch == NULL && t->partial != NULL)
    t->watch = g_thread_new ("haul-folder-watch", watch_thread, t);
}

void
haul_transfer_stop_watch (Transfer *t)
{
  if (t->watch == NULL)
    return;
  g_mutex_lock (&t->watch_lock);
  t->watch_stop = TRUE;
  g_cond_signal (&t->watch_cond);
  g_mutex_unlock (&t->watch_lock);
  g_thread_join (g_steal_pointer (&t->watch));
}

/* The partial file ----------------------------------------------------------- */

/* Rule 11 of haul-transfer.c: the kind from the name and the server's
 * type; its folder, made if missing (one level only: a category folder on
 * a drive that is not there is reported by the name's choice, not made on
 * another disk). */
static const char *
choose_folder (Transfer   *t,
               const char *name)
{
  const char *folder = t->job->folder;

  t->state->category = haul_category_for_file (name, t->state->content_type);
  if (t->job->categories != NULL)
    {
      folder = haul_category_folders_get (t->job->categories, t->state->category);
      /* Failure is told below, by haul_partial_file_choose(), in words. */
      g_mkdir (folder, 0777);
    }
  g_free (t->state->folder);
  t->state->folder = g_strdup (folder);
  return t->state->folder;
}

gboolean
haul_transfer_create_partial (Transfer    *t,
                              SoupMessage *msg,
                              GError     **error)
{
  g_autofree char *name = NULL;
  const char *folder;
  guint index = 0;
  gboolean ok;

  if (t->partial != NULL)
    return TRUE;

  /* The recorded name is sanitised again (it may come from an old
   * database): idempotent, so it stays the same across attempts. */
  if (t->state->file_name != NULL && *t->state->file_name != '\0')
    name = haul_naming_sanitize (t->state->file_name);
  else
    name = haul_naming_from_response (soup_message_get_response_headers (msg),
                                      soup_message_get_uri (msg));
  folder = choose_folder (t, name);

  for (guint tries = 0; tries < 100; tries++)
    {
      g_autoptr(GError) local = NULL;

      g_clear_pointer (&t->state->file_name, g_free);
      g_clear_pointer (&t->state->partial_path, g_free);
      if (!haul_partial_file_choose (folder, name, index, &t->state->file_name,
                                     &t->state->partial_path, &index, error))
        return FALSE;

      /* Recorded before it exists (rule 2 of haul-partial-file.c). */
      memset (&t->state->partial_id, 0, sizeof t->state->partial_id);
      t->state->confirmed = 0;
      g_clear_pointer (&t->state->pieces, g_array_unref);
      if (!haul_transfer_record (t, error))
        return FALSE;

      t->partial = haul_partial_file_create (folder, name, index, &local);
      if (t->partial != NULL)
        break;
      if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      /* Taken meanwhile: the next free name. */
      index++;
    }
  if (t->partial == NULL)
    {
      haul_set_error (error, HAUL_ERROR_FILE,
                      "Could not find a free file name for %s", name);
      return FALSE;
    }

  haul_partial_file_get_identity (t->partial, &t->state->partial_id);
  t->written = t->synced = t->writeback_from = 0;
  start_watch (t);
  /* Now with its identity, before a byte goes in. It claims no bytes, so
   * nothing needs flushing for it: an empty file's fdatasync() was a
   * quarter of a small download's flushes (rule 2 of haul-partial-file.c
   * flushes the entry with the first bytes). */
  g_mutex_lock (&t->lock);
  t->last_checkpoint = g_get_monotonic_time ();
  t->state->confirmed = 0;
  ok = haul_transfer_record (t, error);
  g_mutex_unlock (&t->lock);
  return ok;
}

/* Rule 10: a retry after the folder vanished makes it again (mkdir -p,
 * with the user's usual permissions). */
static gboolean
recreate_folder (Transfer  *t,
                 GError   **error)
{
  int errsv;

  if (!t->job->restart_if_gone || g_file_test (t->job->folder, G_FILE_TEST_IS_DIR))
    return TRUE;
  if (g_mkdir_with_parents (t->job->folder, 0777) == 0)
    return TRUE;

  errsv = errno;
  {
    g_autofree char *display = g_filename_display_name (t->job->folder);

    g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                 _("Could not create the folder %s again: %s"), display, g_strerror (errsv));
  }
  return FALSE;
}

/* Reopens an earlier attempt's partial, keeping exactly the bytes it
 * recorded; or finds it already renamed (a crash after the rename, before
 * its record). */
gboolean
haul_transfer_open_resume (Transfer  *t,
                           GError   **error)
{
  HaulResumeState *state = t->state;
  g_autoptr(GError) local = NULL;
  gint64 size;

  if (!recreate_folder (t, error))
    return FALSE;
  if (state->partial_path == NULL)
    {
      haul_resume_state_reset (state);
      return TRUE;
    }

  /* Rule 11: the file is, and stays, where its partial is. */
  g_free (state->folder);
  state->folder = g_path_get_dirname (state->partial_path);

  t->partial = haul_partial_file_open (state->partial_path, state->file_name, &local);
  if (t->partial == NULL)
    {
      gint64 expected = state->total >= 0 ? state->total : state->confirmed;

      /* Recorded, then killed before it was created: nothing was lost. */
      if (g_error_matches (local, HAUL_ERROR, HAUL_ERROR_PARTIAL_MISSING)
          && state->confirmed == 0 && state->pieces == NULL)
        {
          g_clear_pointer (&state->partial_path, g_free);
          haul_resume_state_reset (state);
          return TRUE;
        }
      if (g_error_matches (local, HAUL_ERROR, HAUL_ERROR_PARTIAL_MISSING)
          && state->pieces == NULL
          && haul_partial_file_was_claimed (state->folder, state->file_name, expected))
        {
          t->complete = TRUE;
          t->written = t->synced = expected;
          state->total = expected;
          state->confirmed = expected;
          g_clear_pointer (&state->partial_path, g_free);
          return TRUE;
        }
      /* Rule 10: gone with its folder; the folder is back, the bytes not. */
      if (t->job->restart_if_gone
          && g_error_matches (local, HAUL_ERROR, HAUL_ERROR_PARTIAL_MISSING))
        {
          g_clear_pointer (&state->partial_path, g_free);
          haul_resume_state_reset (state);
          g_free (t->result->notice);
          t->result->notice = g_strdup (_("The partly downloaded file was gone with its folder; "
                                          "the download started again from the beginning"));
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  haul_partial_file_get_identity (t->partial, &state->partial_id);
  size = haul_partial_file_get_size (t->partial);
  start_watch (t);

  if (state->pieces != NULL)
    {
      gint64 needed = 0;

      for (guint i = 0; i < state->pieces->len; i++)
        {
          const HaulPiece *piece = &g_array_index (state->pieces, HaulPiece, i);

          needed = MAX (needed, piece->start + piece->done);
        }
      if (size < needed)
        goto shorter;
      t->written = t->synced = state->confirmed;
      haul_progress_cell_set_received (t->job->cell, state->confirmed);
      return TRUE;
    }

  if (size < state->confirmed)
    goto shorter;
  /* Longer is normal after a crash: bytes written but never recorded. */
  t->written = t->synced = size;
  if (!haul_partial_file_truncate (t->partial, state->confirmed, error))
    return FALSE;
  t->written = t->synced = t->writeback_from = state->confirmed;
  haul_progress_cell_set_received (t->job->cell, state->confirmed);
  return TRUE;

shorter:
  {
    g_autofree char *display = g_filename_display_name (state->partial_path);

    haul_set_error (error, HAUL_ERROR_PARTIAL_MISMATCH,
                    "The partly downloaded file %s is shorter than recorded", display);
    return FALSE;
  }
}
