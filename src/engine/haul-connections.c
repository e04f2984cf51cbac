/* haul-connections.c: one download on several connections (worker side)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rules 3–5 of the "How it works" of haul-transfer.c: the first
 * connection keeps reading into the first piece, the others ask for
 * theirs, each with If-Range; a connection that finishes takes half of the
 * largest piece left (haul-segments.c); every 206 of every connection must
 * be the bytes asked for, of the same total and validator, or everything
 * starts again on one connection; a connection that fails on its own
 * gives its piece back and ends.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "haul-error.h"
#include "haul-response.h"
#include "haul-transfer-private.h"

#define READ_SIZE           (256 * 1024)
/* Start writeback every few MiB so the fdatasync of each checkpoint, and
 * the last one, find little left to write. */
#define WRITEBACK_BYTES     (8 * 1024 * 1024)
/* A connection that fails this often in a row without a byte gives up. */
#define MAX_CONN_FAILURES   3
#define MAX_CONNECTIONS     16

typedef struct
{
  Transfer     *t;
  HaulRequest  *request;   /* (owned) */
  HaulSegment  *first;     /* (nullable) claimed for the answer already here */
  gint64        first_position;
  gint64        first_end;
  GUri         *slot_uri;  /* (owned) (nullable) the host slot held */
  GThread      *thread;    /* (owned) (nullable) NULL for the first connection */
  guint8       *buffer;    /* (owned) READ_SIZE bytes */
  gint64        writeback_from;
  GError       *error;     /* (owned) (nullable) why it ended */
} Connection;


const char *
haul_transfer_if_range (Transfer *t)
{
  return t->state->etag != NULL ? t->state->etag : t->state->last_modified;
}

/* A failure only this connection has (rule 5)? */
static gboolean
is_own_failure (const GError *error)
{
  return g_error_matches (error, HAUL_ERROR, HAUL_ERROR_TRUNCATED)
         || g_error_matches (error, HAUL_ERROR, HAUL_ERROR_NETWORK)
         || g_error_matches (error, HAUL_ERROR, HAUL_ERROR_STALLED)
         || g_error_matches (error, HAUL_ERROR, HAUL_ERROR_SERVER_BUSY);
}

static void
disagree (Transfer   *t,
          const char *why)
{
  g_mutex_lock (&t->lock);
  if (t->disagreement == NULL)
    t->disagreement = g_strdup (why);
  g_mutex_unlock (&t->lock);
  g_cancellable_cancel (t->stop);
}

/* Writes a body into @segment until the body or the segment ends.
 * Returns FALSE with @error on a failure of the body. */
static gboolean
fill_segment (Connection   *c,
              HaulSegment  *segment,
              gint64        position,
              SoupMessage  *msg,
              HaulBody     *b,
              GError      **error)
{
  Transfer *t = c->t;

  for (;;)
    {
      gsize granted = haul_transfer_allowance (t);
      gssize n;
      gsize mine;

      if (granted == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
          return FALSE;
        }
      n = haul_transfer_read_body (t, c->request, msg, b, c->buffer, granted, error);
      haul_transfer_give_back (t, granted, n);
      if (n < 0)
        return FALSE;
      if (n == 0)
        return TRUE;

      /* Rule 3: another connection may have taken this segment's tail. */
      mine = haul_segments_reserve (t->segments, segment, n);
      if (mine > 0)
        {
          if (!haul_partial_file_write (t->partial, position, c->buffer, mine, error))
            {
              haul_segments_commit (t->segments, segment, 0);
              return FALSE;
            }
          haul_segments_commit (t->segments, segment, mine);
          position += mine;
          haul_progress_cell_add_received (t->job->cell, mine);
          if (position - c->writeback_from >= WRITEBACK_BYTES || position < c->writeback_from)
            {
              haul_partial_file_start_writeback (t->partial, c->writeback_from,
                                                 position - c->writeback_from);
              c->writeback_from = position;
            }
        }
      else
        haul_segments_commit (t->segments, segment, 0);

      if (!haul_transfer_maybe_checkpoint (t, error))
        return FALSE;
      if (mine < (gsize) n)
        {
          /* The segment is full: the rest of this body is not ours. */
          haul_body_stop (b);
          return TRUE;
        }
    }
}

/* Asks for one segment and fills it. Returns FALSE when this connection
 * should end (its error set); *progressed says whether bytes arrived. */
static gboolean
run_segment (Connection   *c,
             HaulSegment  *segment,
             gint64        position,
             gint64        end,
             GInputStream *first,
             SoupMessage  *first_msg,
             gboolean     *progressed,
             GError      **error)
{
  Transfer *t = c->t;
  g_autoptr(SoupMessage) msg = first_msg != NULL ? g_object_ref (first_msg) : NULL;
  g_autoptr(GInputStream) stream = first != NULL ? g_object_ref (first) : NULL;
  HaulResponse response = { 0 };
  HaulBody body = { 0 };
  gint64 expected = end - position;
  gint64 before;
  gboolean ok;

  *progressed = FALSE;
  if (stream == NULL)
    {
      HaulResponseQuery query = { position, end, TRUE, t->state->total,
                                  t->state->etag, t->state->last_modified };

      haul_transfer_prepare_request (t, c->request);
      stream = haul_request_send (c->request, position, end, TRUE, haul_transfer_if_range (t), t->stop,
                                  &msg, error);
      if (stream == NULL)
        return FALSE;
      haul_transfer_note_status (t, msg);
      if (!haul_response_check (&query, soup_message_get_status (msg),
                                soup_message_get_reason_phrase (msg),
                                soup_message_get_response_headers (msg), &response, error))
        {
          haul_request_abandon (stream);
          /* Rule 4: the wrong part is a disagreement, not a failure. */
          if (g_error_matches (*error, HAUL_ERROR, HAUL_ERROR_PROTOCOL))
            {
              disagree (t, _("The server sent inconsistent parts of the file; "
                             "the download started again on one connection"));
              g_clear_error (error);
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
            }
          return FALSE;
        }
      if (response.action != HAUL_RESPONSE_APPEND)
        {
          haul_request_abandon (stream);
          disagree (t, response.reason == HAUL_RESTART_CHANGED
                         ? _("The file changed on the server; the download started again "
                             "from the beginning")
                         : _("The server sent inconsistent parts of the file; "
                             "the download started again on one connection"));
          haul_response_clear (&response);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
          return FALSE;
        }
      expected = response.expected;
      haul_body_init (&body, stream, expected, response.chunked);
      haul_response_clear (&response);
      /* Going on from recorded pieces, this is the server's first answer:
       * the download is no longer connecting (no-ops after the first). */
      haul_progress_cell_set_total (t->job->cell, t->state->total);
      haul_progress_cell_set_phase (t->job->cell, HAUL_PROGRESS_DOWNLOADING);
    }
  else
    {
      /* The first connection's open-ended answer, already checked. */
      haul_body_init (&body, stream, -1, soup_message_headers_get_encoding (
                   soup_message_get_response_headers (msg)) == SOUP_ENCODING_CHUNKED);
      body.expected = t->state->total - position;
    }

  before = haul_segments_get_done (t->segments);
  ok = fill_segment (c, segment, position, msg, &body, error);
  *progressed = haul_segments_get_done (t->segments) > before;
  haul_body_finish (&body);
  return ok;
}

static void
connection_run (Connection   *c,
                GInputStream *first,
                SoupMessage  *first_msg)
{
  Transfer *t = c->t;
  guint failures = 0;

  c->buffer = g_malloc (READ_SIZE);

  while (!haul_transfer_stopped (t))
    {
      g_autoptr(GError) error = NULL;
      gint64 position = 0;
      gint64 end = 0;
      gboolean progressed = FALSE;
      HaulSegment *segment;

      /* The first connection's answer is for the segment claimed for it
       * before anyone else could claim one. */
      if (c->first != NULL)
        {
          segment = g_steal_pointer (&c->first);
          position = c->first_position;
          end = c->first_end;
        }
      else
        segment = haul_segments_claim (t->segments, &position, &end);
      if (segment == NULL)
        break;

      if (run_segment (c, segment, position, end, first, first_msg, &progressed, &error))
        failures = 0;
      haul_segments_release (t->segments, segment);
      first = NULL;
      first_msg = NULL;

      if (error == NULL)
        continue;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        break;
      if (!is_own_failure (error))
        {
          haul_transfer_fail_all (t, g_steal_pointer (&error));
          break;
        }

      /* Rule 5: a server refusing one connection more is not worth
       * asking again on this one. */
      failures = progressed ? 1 : failures + 1;
      if (failures >= MAX_CONN_FAILURES
          || g_error_matches (error, HAUL_ERROR, HAUL_ERROR_SERVER_BUSY))
        {
          g_clear_error (&c->error);
          c->error = g_steal_pointer (&error);
          break;
        }
    }

  g_mutex_lock (&t->lock);
  t->n_running--;
  if (c->error != NULL)
    {
      g_clear_error (&t->last_error);
      t->last_error = g_error_copy (c->error);
    }
  haul_progress_cell_set_connections (t->job->cell, t->n_running);
  g_mutex_unlock (&t->lock);
}

static gpointer
connection_thread (gpointer data)
{
  connection_run (data, NULL, NULL);
  return NULL;
}

static void
connection_free (Connection *c)
{
  if (c->slot_uri != NULL)
    {
      haul_request_host_slot_release (c->slot_uri);
      g_uri_unref (c->slot_uri);
    }
  g_clear_pointer (&c->request, haul_request_free);
  g_clear_error (&c->error);
  g_free (c->buffer);
  g_free (c);
}

static Connection *
connection_new (Transfer    *t,
                HaulRequest *request)
{
  Connection *c = g_new0 (Connection, 1);

  c->t = t;
  c->request = request;
  return c;
}

static gint64
pieces_for (Transfer *t)
{
  gint64 n = t->state->total / MAX (t->job->min_split, 1);

  return CLAMP (n, 1, MIN (t->job->max_connections, MAX_CONNECTIONS));
}

/* Runs the download on several connections. @first, if not NULL, is the
 * first connection's open-ended answer from t->written. */
gboolean
haul_transfer_run_segmented (Transfer     *t,
                             HaulRequest  *request,
                             GInputStream *first,
                             SoupMessage  *first_msg,
                             gboolean     *again,
                             GError      **error)
{
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  Connection *c0;
  guint wanted = pieces_for (t);

  if (haul_partial_file_get_size (t->partial) < t->state->total
      && !haul_partial_file_truncate (t->partial, t->state->total, error))
    return FALSE;

  if (t->segments == NULL)
    {
      g_autoptr(GArray) initial = NULL;

      if (t->state->pieces == NULL && t->written > 0)
        {
          HaulPiece piece = { 0, t->state->total, t->written };

          initial = g_array_new (FALSE, FALSE, sizeof (HaulPiece));
          g_array_append_val (initial, piece);
        }
      t->segments = haul_segments_new (t->state->total,
                                       initial != NULL ? initial : t->state->pieces,
                                       t->job->min_split);
      /* Spread what is left evenly from the start (rule 3). */
      haul_segments_split (t->segments, wanted);
    }

  t->n_running = 1;
  c0 = connection_new (t, request);
  if (first != NULL)
    {
      c0->first = haul_segments_claim (t->segments, &c0->first_position, &c0->first_end);
      /* The open answer runs from what is written: the first segment's. */
      if (c0->first == NULL || c0->first_position != t->written)
        {
          g_warn_if_reached ();
          if (c0->first != NULL)
            haul_segments_release (t->segments, g_steal_pointer (&c0->first));
          haul_request_abandon (first);
          first = NULL;
          first_msg = NULL;
        }
    }
  for (guint i = 1; i < wanted && !haul_transfer_stopped (t); i++)
    {
      GUri *uri = haul_request_get_uri (c0->request);
      Connection *c;

      if (!haul_request_host_slot_try (uri))
        break;
      c = connection_new (t, haul_request_new (t->job->session, t->origin, uri, t->headers));
      c->slot_uri = g_uri_ref (uri);
      g_mutex_lock (&t->lock);
      t->n_running++;
      g_mutex_unlock (&t->lock);
      c->thread = g_thread_new ("haul-connection", connection_thread, c);
      g_ptr_array_add (extra, c);
    }
  t->result->connections = MAX (t->result->connections, t->n_running);
  haul_progress_cell_set_connections (t->job->cell, t->n_running);

  connection_run (c0, first, first_msg);

  for (guint i = 0; i < extra->len; i++)
    {
      Connection *c = g_ptr_array_index (extra, i);

      g_thread_join (g_steal_pointer (&c->thread));
      connection_free (c);
    }
  if (c0->error != NULL && t->last_error == NULL)
    t->last_error = g_error_copy (c0->error);
  connection_free (c0);

  if (g_cancellable_is_cancelled (t->user_cancel))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
      return FALSE;
    }
  if (t->fatal != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&t->fatal));
      return FALSE;
    }
  if (t->disagreement != NULL)
    {
      /* Rule 4: everything again, from zero, on one connection. */
      g_free (t->result->notice);
      t->result->notice = g_steal_pointer (&t->disagreement);
      g_mutex_lock (&t->lock);
      g_object_unref (t->stop);
      t->stop = g_cancellable_new ();
      g_mutex_unlock (&t->lock);
      t->single_only = TRUE;
      haul_transfer_forget_validators (t);
      *again = haul_transfer_truncate_to (t, 0, error);
      return FALSE;
    }
  if (haul_segments_is_complete (t->segments))
    return TRUE;

  if (t->last_error != NULL)
    g_propagate_error (error, g_steal_pointer (&t->last_error));
  else
    haul_transfer_set_truncated (t, haul_segments_get_done (t->segments), error);
  return FALSE;
}
