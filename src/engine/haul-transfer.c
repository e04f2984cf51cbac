/* haul-transfer.c: one download's bytes, on one or several connections
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How it works
 *  1. The first request asks from where the bytes on disk end, with
 *     If-Range (a strong ETag, else Last-Modified); a fresh download asks
 *     "bytes=0-" when it may use several connections, to learn whether the
 *     server serves ranges. haul_response_check() says what the answer
 *     means: append, start again from zero, or already complete.
 *  2. One connection (the server proved no ranges, gave no length or no
 *     validator, the file is small, or one connection is allowed): the body
 *     is written in order, flushed and recorded about every second.
 *  3. Several connections (a correct 206 with the total, a validator, a
 *     file of at least twice the smallest piece): the file is cut into
 *     pieces (haul-segments.c); the first connection keeps reading into
 *     the first piece, the others ask for theirs, each with If-Range. A
 *     connection that finishes takes half of the largest piece left.
 *  4. Every 206 of every connection must be the bytes asked for, of the
 *     same total and validator: any disagreement stops every connection
 *     and the download starts again from zero on one connection, with a
 *     notice. Bytes of two versions never mix.
 *  5. A connection that fails on its own (cut off, stalled, reset, a 429
 *     or 503 to one connection more than the server allows) gives its
 *     piece back and ends; the others take the piece over. The download
 *     fails only when no connection is left and bytes are missing.
 *  6. Crash safety (haul-transfer-disk.c): a checkpoint takes a snapshot
 *     of the bytes written, then fdatasync()s, then records the snapshot
 *     (the store returns once it is committed): no record claims bytes the
 *     disk may not hold. A partial is cut shorter only after the shorter
 *     length is recorded, and renamed only after every byte is recorded.
 *  7. Completed means: every byte of the announced length (or, without
 *     one, up to a clean end of the body) is in the partial file and
 *     flushed, and has the checksum expected, if one is; only then does
 *     it take its final name.
 *  8. Checksums (haul-transfer-checksum.c): the one expected, or one
 *     found in the first answer's headers or a checksum file beside it,
 *     is hashed while one connection writes in order, else from disk
 *     after the last byte; a mismatch keeps the partial name.
 *  9. A resume from a server that gives neither ETag nor Last-Modified
 *     asks for the 64 KiB before the resume point too (no If-Range) and
 *     goes on only if they equal the bytes on disk; otherwise it starts
 *     again from zero and says so. The file's length must match as well.
 * 10. The folder under the download (haul-transfer-disk.c): every
 *     checkpoint checks the partial is still where it was
 *     (haul_partial_file_check()), and so does a watch thread every
 *     WATCH_INTERVAL while the partial is open, for a server that sends
 *     nothing; either stops every connection with HAUL_ERROR_FOLDER_GONE.
 *     A retry after that (job->restart_if_gone) recreates the folder and
 *     goes on from the partial if it is back, else starts again from zero
 *     and says so.
 * 11. The folder is decided once, when the partial file is made
 *     (haul-transfer-disk.c): by the file's kind (its name from the
 *     answer, then the server's type) when the job has category folders,
 *     else the job's folder. It is recorded with the partial's path before
 *     the file exists, and from then on the file stays where its partial
 *     is: a resume, a restart from zero, a crash between rename and record
 *     all look in that folder, and nothing is ever moved.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "haul-body.h"
#include "haul-error.h"
#include "haul-partial-file.h"
#include "haul-response.h"
#include "haul-segments.h"
#include "haul-transfer.h"
#include "haul-transfer-private.h"
#include "haul-url.h"

#define READ_SIZE           (256 * 1024)
/* Start writeback every few MiB so the fdatasync of each checkpoint, and
 * the last one, find little left to write. */
#define WRITEBACK_BYTES     (8 * 1024 * 1024)
#define MAX_RESTARTS        2
/* Rule 9: what a resume without a validator compares. */
#define OVERLAP_BYTES       (64 * 1024)



HaulTransferJob *
haul_transfer_job_new (SoupSession      *session,
                       HaulProgressCell *cell,
                       const char       *uri,
                       const char       *folder)
{
  HaulTransferJob *job;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (cell != NULL, NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  job = g_new0 (HaulTransferJob, 1);
  job->session = g_object_ref (session);
  job->cell = haul_progress_cell_ref (cell);
  job->uri = g_strdup (uri);
  job->folder = g_strdup (folder);
  job->max_connections = 1;
  job->min_split = 1024 * 1024;
  return job;
}

void
haul_transfer_job_free (HaulTransferJob *job)
{
  if (job == NULL)
    return;

  g_clear_object (&job->session);
  g_clear_pointer (&job->cell, haul_progress_cell_unref);
  g_free (job->uri);
  g_free (job->folder);
  g_clear_pointer (&job->resume, haul_resume_state_free);
  g_clear_pointer (&job->headers, haul_request_headers_free);
  g_clear_pointer (&job->limiter, haul_rate_limiter_unref);
  g_clear_pointer (&job->categories, haul_category_folders_free);
  g_clear_pointer (&job->checksum, haul_checksum_spec_free);
  g_clear_pointer (&job->sums_cache, haul_checksum_cache_unref);
  g_free (job);
}

void
haul_transfer_result_free (HaulTransferResult *result)
{
  if (result == NULL)
    return;

  g_clear_pointer (&result->state, haul_resume_state_free);
  g_free (result->notice);
  g_clear_pointer (&result->checksum, haul_checksum_spec_free);
  g_clear_error (&result->error);
  g_free (result);
}

/* Helpers -------------------------------------------------------------------- */

/* "512 KiB" rather than "512.0 KiB": whole numbers read better. */
static char *
format_size (gint64 size)
{
  g_autofree char *text = g_format_size_full (MAX (size, 0), G_FORMAT_SIZE_IEC_UNITS);
  char *zero = strstr (text, ".0\u00a0");

  if (zero != NULL)
    memmove (zero, zero + 2, strlen (zero + 2) + 1);
  return g_steal_pointer (&text);
}

void
haul_transfer_set_truncated (Transfer  *t,
                             gint64     have,
                             GError   **error)
{
  g_autofree char *got = format_size (have);

  if (t->state->total >= 0)
    {
      g_autofree char *expected = format_size (t->state->total);

      haul_set_error (error, HAUL_ERROR_TRUNCATED,
                      "The connection closed after %s of %s", got, expected);
    }
  else
    haul_set_error (error, HAUL_ERROR_TRUNCATED,
                    "The connection closed after %s, before the end of the file", got);
}

gboolean
haul_transfer_stopped (Transfer *t)
{
  return g_cancellable_is_cancelled (t->stop);
}

static void
set_notice (Transfer          *t,
            HaulRestartReason  reason)
{
  const char *text = NULL;

  switch (reason)
    {
    case HAUL_RESTART_CHANGED:
      text = _("The file changed on the server; the download started again from the beginning");
      break;
    case HAUL_RESTART_NO_RANGES:
      text = _("The server cannot continue a download; it started again from the beginning");
      break;
    case HAUL_RESTART_UNPROVEN:
      text = _("The server could not show the bytes already here are the same file; "
               "the download started again from the beginning");
      break;
    case HAUL_RESTART_NONE:
    default:
      return;
    }
  g_free (t->result->notice);
  t->result->notice = g_strdup (text);
}

void
haul_transfer_note_status (Transfer    *t,
                           SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  guint status = soup_message_get_status (msg);

  g_mutex_lock (&t->lock);
  t->result->status = status;
  if (haul_response_status_is_temporary (status))
    t->result->retry_after =
      haul_response_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"),
                                       g_get_real_time () / G_USEC_PER_SEC);
  g_mutex_unlock (&t->lock);
}

/* Cutting the partial (rule 6; the rest is haul-transfer-disk.c) ----------- */

/* One connection: cuts the partial to @size, recording the shorter
 * length first (a kill in between finds a longer file than recorded,
 * which a resume cuts back, never a shorter one). */
gboolean
haul_transfer_truncate_to (Transfer  *t,
                           gint64     size,
                           GError   **error)
{
  if (t->partial == NULL)
    return TRUE;

  g_clear_pointer (&t->state->pieces, g_array_unref);
  if (size < t->state->confirmed || t->segments != NULL)
    {
      t->synced = MIN (t->synced, size);
      t->state->confirmed = size;
      if (!haul_transfer_record (t, error))
        return FALSE;
    }
  if (!haul_partial_file_truncate (t->partial, size, error))
    return FALSE;
  haul_transfer_checksum_truncated (t, size);
  t->written = size;
  t->synced = MIN (t->synced, size);
  t->writeback_from = MIN (t->writeback_from, size);
  g_clear_pointer (&t->segments, haul_segments_free);
  haul_progress_cell_set_received (t->job->cell, size);
  return TRUE;
}

void
haul_transfer_forget_validators (Transfer *t)
{
  g_clear_pointer (&t->state->etag, g_free);
  g_clear_pointer (&t->state->last_modified, g_free);
}

/* Bodies ------------------------------------------------------------------------ */

/* What is on disk of the whole file, for messages. */
gint64
haul_transfer_bytes_have (Transfer *t)
{
  if (t->segments != NULL)
    return haul_segments_get_done (t->segments);
  return t->written;
}

/* Reads from @b, with errors in words a person can act on. */
gssize
haul_transfer_read_body (Transfer     *t,
                         HaulRequest  *request,
                         SoupMessage  *msg,
                         HaulBody     *b,
                         guint8       *buffer,
                         gsize         size,
                         GError      **error)
{
  g_autoptr(GError) local = NULL;
  gssize n = haul_body_read (b, buffer, size, t->stop, &local);

  if (n >= 0)
    return n;
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) && !haul_transfer_stopped (t))
    haul_transfer_set_truncated (t, haul_transfer_bytes_have (t), error);
  else if (local->domain == HAUL_ERROR)
    g_propagate_error (error, g_steal_pointer (&local));
  else
    haul_request_map_error (request, msg, local, t->stop, error);
  return -1;
}

/* How many bytes the next read may take (the rate limiter). */
gsize
haul_transfer_allowance (Transfer *t)
{
  if (t->job->limiter == NULL)
    return READ_SIZE;
  return haul_rate_limiter_take (t->job->limiter, READ_SIZE, t->stop);
}

void
haul_transfer_give_back (Transfer *t,
                         gsize     granted,
                         gssize    used)
{
  if (t->job->limiter != NULL && granted > (gsize) MAX (used, 0))
    haul_rate_limiter_refund (t->job->limiter, granted - MAX (used, 0));
}

/* Rule 7 of haul-request.c: each connection's share of the limit sizes
 * its socket's buffer. */
void
haul_transfer_prepare_request (Transfer    *t,
                               HaulRequest *request)
{
  guint64 rate = t->job->limiter != NULL
                   ? haul_rate_limiter_get_effective_rate (t->job->limiter) : 0;

  haul_request_set_receive_rate (request, rate / MAX (t->job->max_connections, 1));
}

/* One connection, in order (rule 2) ------------------------------------------- */

static gboolean
read_in_order (Transfer     *t,
               HaulRequest  *request,
               SoupMessage  *msg,
               HaulBody     *b,
               guint8       *buffer,
               GError      **error)
{
  haul_transfer_checksum_start_in_order (t);
  for (;;)
    {
      gsize granted = haul_transfer_allowance (t);
      gssize n;

      if (granted == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
          return FALSE;
        }
      n = haul_transfer_read_body (t, request, msg, b, buffer, granted, error);
      haul_transfer_give_back (t, granted, n);
      if (n < 0)
        return FALSE;
      if (n == 0)
        return TRUE;

      if (!haul_partial_file_write (t->partial, t->written, buffer, n, error))
        return FALSE;
      haul_transfer_checksum_wrote (t, t->written, buffer, n);
      t->written += n;
      haul_progress_cell_set_received (t->job->cell, t->written);

      if (t->written - t->writeback_from >= WRITEBACK_BYTES)
        {
          haul_partial_file_start_writeback (t->partial, t->writeback_from,
                                             t->written - t->writeback_from);
          t->writeback_from = t->written;
        }
      if (!haul_transfer_maybe_checkpoint (t, error))
        return FALSE;
    }
}

/* One attempt (rule 1) ------------------------------------------------------------- */

/* The first connection counts against the host it ends up at. */
static void
move_slot (Transfer *t,
           GUri     *uri)
{
  if (t->slot_uri != NULL && haul_url_same_origin (t->slot_uri, uri))
    return;
  if (!haul_request_host_slot_wait (uri, t->stop))
    return;
  if (t->slot_uri != NULL)
    {
      haul_request_host_slot_release (t->slot_uri);
      g_uri_unref (t->slot_uri);
    }
  t->slot_uri = g_uri_ref (uri);
}

/* A 401 to a request that carried a password: that one was refused,
 * which says more than "asks for one". */
static void
explain_refused_credentials (SoupMessage  *msg,
                             GError      **error)
{
  if (error == NULL || *error == NULL || soup_message_get_status (msg) != SOUP_STATUS_UNAUTHORIZED
      || soup_message_headers_get_one (soup_message_get_request_headers (msg),
                                       "Authorization") == NULL)
    return;
  g_clear_error (error);
  haul_set_error_literal (error, HAUL_ERROR_HTTP,
                          N_("The server did not accept the user name and password "
                             "(401 Unauthorized)"));
}

static gboolean
may_split (Transfer           *t,
           const HaulResponse *response)
{
  return !t->single_only
         && t->job->max_connections > 1
         && response->ranges
         && response->total >= 2 * t->job->min_split
         && (response->etag != NULL || response->last_modified != NULL);
}

/* Rule 9: the @overlap bytes before t->written, as the server sends them
 * now (the head of @b), against those on disk. */
static gboolean
overlap_matches (Transfer     *t,
                 HaulRequest  *request,
                 SoupMessage  *msg,
                 HaulBody     *b,
                 guint8       *buffer,
                 gsize         overlap,
                 gboolean     *same,
                 GError      **error)
{
  g_autofree guint8 *disk = g_malloc (overlap);
  gsize have = 0;

  while (have < overlap)
    {
      gssize n = haul_transfer_read_body (t, request, msg, b, buffer + have, overlap - have, error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        {
          haul_transfer_set_truncated (t, t->written - overlap + have, error);
          return FALSE;
        }
      have += n;
    }
  if (!haul_partial_file_read (t->partial, t->written - overlap, disk, overlap, error))
    return FALSE;
  *same = memcmp (disk, buffer, overlap) == 0;
  return TRUE;
}

/* Drops the bytes on disk for another version of the file: again from
 * zero, with the notice that says why. */
static gboolean
restart_from_zero (Transfer           *t,
                   HaulRestartReason   reason,
                   gboolean           *again,
                   GError            **error)
{
  set_notice (t, reason);
  haul_transfer_forget_validators (t);
  haul_transfer_checksum_restarted (t, reason == HAUL_RESTART_CHANGED);
  *again = haul_transfer_truncate_to (t, 0, error);
  return FALSE;
}

/* What the first answer says about the file, into the resume state. */
static void
take_answer (Transfer           *t,
             const HaulResponse *response)
{
  g_free (t->state->etag);
  t->state->etag = g_strdup (response->etag);
  g_free (t->state->last_modified);
  t->state->last_modified = g_strdup (response->last_modified);
  if (response->content_type != NULL)
    {
      g_free (t->state->content_type);
      t->state->content_type = g_strdup (response->content_type);
    }
  t->state->total = response->total;
}

/* The body of the first answer, on one connection or several. */
static gboolean
read_answer (Transfer      *t,
             HaulRequest  **request,
             SoupMessage   *msg,
             GInputStream  *stream,
             HaulResponse  *response,
             gsize          overlap,
             gboolean      *again,
             GError       **error)
{
  g_autofree guint8 *buffer = NULL;
  HaulBody body = { 0 };
  gboolean same = TRUE;
  gboolean ok;

  haul_progress_cell_set_total (t->job->cell, t->state->total);
  haul_progress_cell_set_received (t->job->cell, t->written);
  haul_progress_cell_set_phase (t->job->cell, HAUL_PROGRESS_DOWNLOADING);

  /* After an overlap the stream is read on here: one connection. */
  if (overlap == 0 && may_split (t, response))
    {
      haul_response_clear (response);
      return haul_transfer_run_segmented (t, g_steal_pointer (request), stream, msg, again, error);
    }

  t->result->connections = MAX (t->result->connections, 1);
  haul_progress_cell_set_connections (t->job->cell, 1);
  buffer = g_malloc (READ_SIZE);
  haul_body_init (&body, stream, response->expected, response->chunked);
  haul_response_clear (response);

  ok = overlap == 0 || overlap_matches (t, *request, msg, &body, buffer, overlap, &same, error);
  if (ok && !same)
    {
      haul_body_finish (&body);
      return restart_from_zero (t, HAUL_RESTART_CHANGED, again, error);
    }
  if (ok)
    ok = read_in_order (t, *request, msg, &body, buffer, error);
  haul_body_finish (&body);

  if (ok && t->state->total < 0)
    t->state->total = t->written;
  return ok;
}

static gboolean
run_attempt (Transfer  *t,
             gboolean  *again,
             GError   **error)
{
  g_autoptr(GUri) uri = haul_url_parse (t->job->uri, NULL);
  g_autoptr(HaulRequest) request = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  HaulResponse response = { 0 };
  HaulResponseQuery query = { 0 };
  gsize overlap = 0;
  gboolean ok;

  *again = FALSE;
  request = haul_request_new (t->job->session, t->origin, uri, t->headers);

  /* Recorded pieces with what proves them: go on with them directly. */
  if (t->state->pieces != NULL && t->state->total > 0 && haul_transfer_if_range (t) != NULL
      && !t->single_only)
    return haul_transfer_run_segmented (t, g_steal_pointer (&request), NULL, NULL, again, error);
  if (t->state->pieces != NULL && !haul_transfer_truncate_to (t, 0, error))
    return FALSE;

  /* Every byte of the announced length is recorded durable (a crash came
   * between the last record and the rename): complete, nothing to ask. */
  if (t->partial != NULL && t->state->total > 0 && t->written == t->state->total)
    return TRUE;

  /* Without a validator, a range could splice two versions together:
   * rule 9 asks for the bytes before the resume point too, to compare. */
  if (t->written > 0 && haul_transfer_if_range (t) == NULL)
    {
      if (t->state->total < t->written && !haul_transfer_truncate_to (t, 0, error))
        return FALSE;
      overlap = MIN (t->written, OVERLAP_BYTES);
    }
  if (!haul_transfer_checksum_prepare (t, error))
    return FALSE;

  query.offset = t->written - overlap;
  query.end = -1;
  query.ranged = t->written > 0 || (t->job->max_connections > 1 && !t->single_only);
  query.known_total = t->state->total;
  query.etag = t->state->etag;
  query.last_modified = t->state->last_modified;
  query.by_content = overlap > 0;

  haul_progress_cell_set_phase (t->job->cell, HAUL_PROGRESS_CONNECTING);
  haul_transfer_prepare_request (t, request);
  haul_request_set_want_digest (request, haul_transfer_checksum_wanted (t));
  stream = haul_request_send (request, query.offset, -1, query.ranged, haul_transfer_if_range (t),
                              t->stop, &msg, error);
  if (stream == NULL)
    return FALSE;
  haul_transfer_note_status (t, msg);

  g_free (t->state->final_uri);
  t->state->final_uri = g_uri_to_string (haul_request_get_uri (request));
  move_slot (t, haul_request_get_uri (request));

  if (!haul_response_check (&query, soup_message_get_status (msg),
                            soup_message_get_reason_phrase (msg),
                            soup_message_get_response_headers (msg), &response, error))
    {
      haul_request_abandon (stream);
      explain_refused_credentials (msg, error);
      return FALSE;
    }

  switch (response.action)
    {
    case HAUL_RESPONSE_RESTART:
      {
        HaulRestartReason reason = response.reason;

        haul_request_abandon (stream);
        haul_response_clear (&response);
        return restart_from_zero (t, reason, again, error);
      }

    case HAUL_RESPONSE_HAVE_ALL:
      haul_request_abandon (stream);
      t->state->total = response.total;
      haul_progress_cell_set_total (t->job->cell, response.total);
      haul_response_clear (&response);
      return TRUE;

    case HAUL_RESPONSE_FROM_ZERO:
      overlap = 0;
      if (t->written > 0)
        {
          set_notice (t, response.reason);
          haul_transfer_checksum_restarted (t, response.reason == HAUL_RESTART_CHANGED);
          if (!haul_transfer_truncate_to (t, 0, error))
            {
              haul_request_abandon (stream);
              haul_response_clear (&response);
              return FALSE;
            }
        }
      break;

    case HAUL_RESPONSE_APPEND:
    default:
      break;
    }

  take_answer (t, &response);
  if (!haul_transfer_create_partial (t, msg, error))
    {
      haul_request_abandon (stream);
      haul_response_clear (&response);
      return FALSE;
    }
  haul_transfer_checksum_answer (t, msg, request);

  ok = read_answer (t, &request, msg, stream, &response, overlap, again, error);
  return ok;
}

/* The whole transfer -------------------------------------------------------------- */

static void
forward_cancel_cb (GCancellable *cancellable,
                   gpointer      data)
{
  Transfer *t = data;

  g_cancellable_cancel (t->stop);
  g_cancellable_cancel (t->lookup_cancel);
}

/* Completed (rule 7): flushed, recorded whole, renamed. */
static gboolean
finish_complete (Transfer  *t,
                 GError   **error)
{
  if (t->partial == NULL)
    return haul_transfer_checksum_finish (t, error);

  if (t->segments != NULL)
    {
      g_clear_pointer (&t->segments, haul_segments_free);
      t->written = t->state->total;
    }
  g_clear_pointer (&t->state->pieces, g_array_unref);
  if (t->state->total >= 0 && t->written != t->state->total)
    {
      haul_transfer_set_truncated (t, t->written, error);
      return FALSE;
    }

  /* Every byte recorded before the rename: a crash right after it then
   * finds the whole file under its name (open_resume()). The checksum in
   * between: a mismatch never gets the final name (rule 8). */
  if (!haul_transfer_checkpoint_now (t, error) || !haul_transfer_checksum_finish (t, error)
      || !haul_partial_file_claim (t->partial, error))
    return FALSE;

  g_free (t->state->file_name);
  t->state->file_name = g_strdup (haul_partial_file_get_name (t->partial));
  g_clear_pointer (&t->state->partial_path, g_free);
  return TRUE;
}

static void
finish_failed (Transfer *t,
               GError   *error)
{
  gboolean remove = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                    && haul_progress_cell_get_intent (t->job->cell) == HAUL_INTENT_CANCEL;

  if (remove)
    {
      if (t->partial != NULL)
        haul_partial_file_remove (t->partial);
      else if (t->state->partial_path != NULL)
        haul_partial_file_unlink_if_same (t->state->partial_path, &t->state->partial_id);
      haul_resume_state_reset (t->state);
      t->written = t->synced = 0;
      return;
    }

  /* Keep what is there and say so, but only what is durable; not when the
   * record itself is what failed. */
  if (t->partial != NULL && !g_error_matches (error, HAUL_ERROR, HAUL_ERROR_STORE))
    {
      g_autoptr(GError) sync_error = NULL;

      if (!haul_transfer_checkpoint_now (t, &sync_error))
        g_debug ("Could not record what is on disk: %s", sync_error->message);
    }
}

HaulTransferResult *
haul_transfer_run (HaulTransferJob *job,
                   GCancellable    *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  HaulTransferResult *result;
  Transfer t = { 0 };

  g_return_val_if_fail (job != NULL, NULL);

  result = g_new0 (HaulTransferResult, 1);
  result->retry_after = -1;
  result->state = job->resume != NULL ? haul_resume_state_copy (job->resume)
                                      : haul_resume_state_new ();

  t.job = job;
  t.result = result;
  t.state = result->state;
  t.user_cancel = cancellable;
  t.stop = g_cancellable_new ();
  g_mutex_init (&t.lock);
  t.last_checkpoint = g_get_monotonic_time ();
  g_mutex_init (&t.watch_lock);
  g_cond_init (&t.watch_cond);
  haul_transfer_checksum_init (&t);
  if (cancellable != NULL)
    t.user_cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel_cb),
                                              &t, NULL);

  uri = haul_url_parse (job->uri, &error);
  if (uri == NULL)
    {
      g_autofree char *shown = haul_url_redact (job->uri);
      g_autoptr(GError) reason = g_steal_pointer (&error);

      haul_set_error_because (&error, HAUL_ERROR_INVALID_URL, reason,
                              /* Translators: an address, then why it is refused */
                              "“%s” cannot be downloaded: %s", shown, reason->message);
      goto out;
    }
  t.origin = haul_url_strip_userinfo (uri);
  /* Credentials in the URL become an explicit header for its origin only;
   * the URL itself never carries them further. */
  t.headers = job->headers != NULL ? haul_request_headers_copy (job->headers)
                                   : g_new0 (HaulRequestHeaders, 1);
  if (t.headers->authorization == NULL)
    t.headers->authorization = haul_url_dup_authorization (uri);
  if (t.state->final_uri == NULL)
    t.state->final_uri = g_uri_to_string (t.origin);

  if (!haul_transfer_open_resume (&t, &error))
    goto out;
  if (!t.complete)
    {
      if (!haul_request_host_slot_wait (t.origin, t.stop))
        {
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
          goto out;
        }
      t.slot_uri = g_uri_ref (t.origin);
    }

  /* At most MAX_RESTARTS restarts from zero. */
  for (guint attempt = 0; !t.complete; attempt++)
    {
      gboolean again = FALSE;

      if (attempt > MAX_RESTARTS)
        {
          haul_set_error (&error, HAUL_ERROR_PROTOCOL,
                          "The server keeps changing the file");
          goto out;
        }
      t.complete = run_attempt (&t, &again, &error);
      if (!t.complete && (error != NULL || !again))
        goto out;
    }

  if (!finish_complete (&t, &error))
    goto out;

out:
  haul_transfer_stop_watch (&t);
  if (error != NULL && g_cancellable_is_cancelled (cancellable)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
    }
  /* Stopped by the watch (rule 10), not by the user: say why. */
  if (error != NULL && t.fatal != NULL && !g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (&error);
      error = g_steal_pointer (&t.fatal);
    }
  if (error != NULL)
    finish_failed (&t, error);

  result->received = error != NULL ? t.state->confirmed : t.written;
  result->error = g_steal_pointer (&error);

  if (t.user_cancel_id != 0)
    g_cancellable_disconnect (cancellable, t.user_cancel_id);
  haul_transfer_checksum_clear (&t);
  g_clear_pointer (&t.partial, haul_partial_file_free);
  g_clear_pointer (&t.segments, haul_segments_free);
  if (t.slot_uri != NULL)
    {
      haul_request_host_slot_release (t.slot_uri);
      g_uri_unref (t.slot_uri);
    }
  g_clear_pointer (&t.origin, g_uri_unref);
  g_clear_pointer (&t.headers, haul_request_headers_free);
  g_clear_error (&t.fatal);
  g_clear_error (&t.last_error);
  g_free (t.disagreement);
  g_clear_object (&t.stop);
  g_mutex_clear (&t.lock);
  g_mutex_clear (&t.watch_lock);
  g_cond_clear (&t.watch_cond);

  return result;
}
