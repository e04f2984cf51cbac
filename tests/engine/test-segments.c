/* test-segments.c: one download on several connections
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define _GNU_SOURCE
#include <string.h>

#include <glib/gstdio.h>

#include "haul-error.h"
#include "haul-segments.h"
#include "haul-test-ranges.h"
#include "haul-test-server.h"
#include "transfer-fixture.h"

/* The piece table, byte by byte ---------------------------------------- */

static gint64
fill (HaulSegments *segments,
      HaulSegment  *segment,
      gint64        n)
{
  gsize mine = haul_segments_reserve (segments, segment, n);

  haul_segments_commit (segments, segment, mine);
  return mine;
}

static void
test_table_split_and_steal (void)
{
  HaulSegments *segments = haul_segments_new (8 * MiB, NULL, 512 * KiB);
  HaulSegment *a, *b, *c;
  gint64 pos, end;
  g_autoptr(GArray) snapshot = NULL;

  haul_segments_split (segments, 4);
  a = haul_segments_claim (segments, &pos, &end);
  g_assert_cmpint (pos, ==, 0);
  g_assert_cmpint (end, ==, 2 * MiB);
  b = haul_segments_claim (segments, &pos, &end);
  g_assert_cmpint (pos, ==, 2 * MiB);
  g_assert_cmpint (end, ==, 4 * MiB);

  /* A piece is written only up to its end. */
  g_assert_cmpint (fill (segments, a, 3 * MiB), ==, 2 * MiB);
  g_assert_cmpint (fill (segments, a, 10), ==, 0);
  haul_segments_release (segments, a);

  /* Two pieces left unheld: claimed before anything is split. */
  c = haul_segments_claim (segments, &pos, &end);
  g_assert_cmpint (pos, ==, 4 * MiB);
  haul_segments_release (segments, c);
  c = haul_segments_claim (segments, &pos, &end);
  g_assert_cmpint (pos, ==, 4 * MiB);
  g_assert_cmpint (fill (segments, c, 2 * MiB), ==, 2 * MiB);
  haul_segments_release (segments, c);
  c = haul_segments_claim (segments, &pos, &end);
  g_assert_cmpint (pos, ==, 6 * MiB);
  g_assert_cmpint (fill (segments, c, 2 * MiB), ==, 2 * MiB);
  haul_segments_release (segments, c);

  /* Only b is left, held: a free connection takes its second half. */
  g_assert_cmpint (fill (segments, b, 100), ==, 100);
  c = haul_segments_claim (segments, &pos, &end);
  g_assert_nonnull (c);
  g_assert_cmpint (end, ==, 4 * MiB);
  g_assert_cmpint (pos, ==, 4 * MiB - (2 * MiB - 100) / 2);
  /* b learns of it at its next write. */
  g_assert_cmpint (fill (segments, b, 4 * MiB), ==, pos - (2 * MiB + 100));
  g_assert_cmpint (fill (segments, c, 4 * MiB), ==, end - pos);
  g_assert_true (haul_segments_is_complete (segments));

  /* Finished pieces are recorded as one. */
  snapshot = haul_segments_snapshot (segments);
  g_assert_cmpuint (snapshot->len, ==, 1);
  g_assert_cmpint (g_array_index (snapshot, HaulPiece, 0).done, ==, 8 * MiB);
  haul_segments_free (segments);
}

static void
test_table_resume (void)
{
  g_autoptr(GArray) pieces = haul_pieces_from_string ("0-100:100,100-300:50,500-600:0", 1000);
  HaulSegments *segments;
  g_autoptr(GArray) snapshot = NULL;
  HaulSegment *s;
  gint64 pos, end;

  g_assert_nonnull (pieces);
  segments = haul_segments_new (1000, pieces, 10);
  g_assert_cmpint (haul_segments_get_done (segments), ==, 150);
  /* The gap (300–500) and the end (600–1000) are pieces too. */
  s = haul_segments_claim (segments, &pos, &end);
  g_assert_cmpint (pos, ==, 150);
  g_assert_cmpint (end, ==, 300);
  haul_segments_release (segments, s);
  snapshot = haul_segments_snapshot (segments);
  g_assert_cmpuint (snapshot->len, ==, 4);
  g_assert_cmpint (g_array_index (snapshot, HaulPiece, 0).start, ==, 0);
  g_assert_cmpint (g_array_index (snapshot, HaulPiece, 0).end, ==, 300);
  g_assert_cmpint (g_array_index (snapshot, HaulPiece, 0).done, ==, 150);
  g_assert_cmpint (g_array_index (snapshot, HaulPiece, 3).start, ==, 600);
  g_assert_cmpint (g_array_index (snapshot, HaulPiece, 3).end, ==, 1000);
  haul_segments_free (segments);

  /* Records that cannot be proved are refused. */
  g_assert_null (haul_pieces_from_string ("0-100:101", 1000));
  g_assert_null (haul_pieces_from_string ("0-100:1,50-200:0", 1000));
  g_assert_null (haul_pieces_from_string ("0-2000:1", 1000));
  g_assert_null (haul_pieces_from_string ("-5-10:0", 1000));
  g_assert_null (haul_pieces_from_string ("0-10:x", 1000));
  g_assert_null (haul_pieces_from_string ("0-:5,10-20:0", -1));
}

/* Transfers --------------------------------------------------------------- */

static HaulTransferJob *
make_split_job (Fixture    *f,
                const char *path,
                guint       connections)
{
  g_autofree char *uri = haul_test_server_uri (f->server, path);
  HaulTransferJob *job = haul_transfer_job_new (f->session, f->cell, uri, f->dir);

  job->max_connections = connections;
  job->min_split = 256 * KiB;
  return job;
}

/* The whole file, or a log of where the pieces put it together wrong. */
static void
assert_assembled (Fixture            *f,
                  HaulTransferResult *result,
                  const char         *name,
                  GBytes             *body)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);

  g_assert_no_error (result->error);
  g_assert_null (result->state->partial_path);
  g_assert_cmpint (result->received, ==, g_bytes_get_size (body));
  if (!haul_test_file_equals (path, body))
    {
      g_autofree char *got = NULL;
      gsize length = 0;
      const char *want = g_bytes_get_data (body, NULL);

      g_assert_true (g_file_get_contents (path, &got, &length, NULL));
      g_test_message ("%s: %" G_GSIZE_FORMAT " bytes, %" G_GSIZE_FORMAT " expected",
                      path, length, g_bytes_get_size (body));
      for (gsize i = 0, run = 0; i < MIN (length, g_bytes_get_size (body)); i++)
        if ((got[i] != want[i]) != (run % 2 == 1))
          {
            g_test_message ("%s at %" G_GSIZE_FORMAT, run % 2 == 0 ? "differs" : "same", i);
            if (run == 0 && i + 64 <= length)
              {
                const char *found = memmem (want, g_bytes_get_size (body), got + i, 64);

                g_test_message ("  the bytes there are the server's from %" G_GSSIZE_FORMAT,
                                found != NULL ? (gssize) (found - want) : (gssize) -1);
              }
            if (++run > 20)
              break;
          }
      g_assert_not_reached ();
    }
}

static void
test_parallel (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (8 * MiB + 12345, 1);
  HaulTestFileOptions options = { .etag = "\"s1\"", .bytes_per_second = 4 * MiB };
  g_autoptr(HaulTransferJob) job = make_split_job (f, "/par.bin", 8);
  g_autoptr(HaulTransferResult) result = NULL;

  haul_test_server_add_file (f->server, "/par.bin", body, &options);
  result = haul_transfer_run (job, NULL);
  assert_assembled (f, result, "par.bin", body);
  g_test_message ("%u connections, server saw %u at once", result->connections,
                  haul_test_server_get_max_concurrent (f->server));
  g_assert_cmpuint (result->connections, ==, 8);
  g_assert_cmpuint (haul_test_server_get_max_concurrent (f->server), >=, 4);
}

typedef struct
{
  GCancellable     *cancellable;
  HaulProgressCell *cell;
  gint64            at;
} StopAt;

static gboolean
stop_when (gpointer data)
{
  StopAt *stop = data;
  gint64 received;

  haul_progress_cell_take (stop->cell, NULL, &received, NULL);
  if (received < stop->at)
    return G_SOURCE_CONTINUE;
  haul_progress_cell_set_intent (stop->cell, HAUL_INTENT_PAUSE);
  g_cancellable_cancel (stop->cancellable);
  return G_SOURCE_REMOVE;
}

static gpointer
run_thread (gpointer data)
{
  HaulTransferJob *job = data;

  return haul_transfer_run (job, g_object_get_data (G_OBJECT (job->session), "cancel"));
}

/* Stopped mid-way in pieces, resumed from the pieces recorded: every byte
 * is the server's. */
static void
test_pause_resume (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (6 * MiB, 2);
  HaulTestFileOptions slow = { .etag = "\"s2\"", .bytes_per_second = 2 * MiB };
  HaulTestFileOptions fast = { .etag = "\"s2\"" };
  g_autoptr(HaulTransferJob) job = make_split_job (f, "/pr.bin", 4);
  g_autoptr(HaulTransferJob) again = NULL;
  g_autoptr(HaulTransferResult) paused = NULL;
  g_autoptr(HaulTransferResult) resumed = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GThread) thread = NULL;
  StopAt stop = { cancellable, f->cell, 2 * MiB };
  gboolean done = FALSE;

  haul_test_server_add_file (f->server, "/pr.bin", body, &slow);
  g_object_set_data (G_OBJECT (f->session), "cancel", cancellable);
  g_timeout_add (10, stop_when, &stop);
  thread = g_thread_new ("transfer", run_thread, job);
  while (!g_cancellable_is_cancelled (cancellable))
    g_main_context_iteration (NULL, TRUE);
  paused = g_thread_join (g_steal_pointer (&thread));
  (void) done;

  g_assert_error (paused->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_nonnull (paused->state->pieces);
  g_assert_cmpuint (paused->state->pieces->len, >, 1);
  g_assert_cmpint (paused->state->confirmed, >=, 2 * MiB);
  /* Every recorded byte is the server's. */
  for (guint i = 0; i < paused->state->pieces->len; i++)
    {
      const HaulPiece *piece = &g_array_index (paused->state->pieces, HaulPiece, i);
      g_autoptr(GBytes) want = g_bytes_new_from_bytes (body, piece->start, piece->done);
      g_autoptr(GMappedFile) map = g_mapped_file_new (paused->state->partial_path, FALSE, NULL);

      g_assert_nonnull (map);
      g_assert_cmpint (memcmp (g_mapped_file_get_contents (map) + piece->start,
                               g_bytes_get_data (want, NULL), piece->done), ==, 0);
    }

  haul_test_server_add_file (f->server, "/pr.bin", body, &fast);
  again = make_split_job (f, "/pr.bin", 4);
  again->resume = haul_resume_state_copy (paused->state);
  resumed = haul_transfer_run (again, NULL);
  assert_assembled (f, resumed, "pr.bin", body);
}

/* A raw server misbehaving per connection (issue 9 §2) --------------------- */

#define MAX_SCRIPTED 64

/* Connection n (in the order they arrive) is answered as script[n] says,
 * the others correctly: a 206 to a range, with the ETag "r1". */
typedef struct
{
  GBytes            *body;
  HaulTestRawAnswer  script[4];
  HaulTestRawAnswer  correct;         /* for the connections after those */
  gint               n_connections;   /* (atomic) */
  gint               in_flight;       /* (atomic) */
  gint               max_in_flight;   /* (atomic) */
  gint               n_refused;       /* (atomic) answers with a status of the script */
  GMutex             lock;
  char              *heads[MAX_SCRIPTED];  /* (owned) under lock */
} Scripted;

static void
scripted_handler (GSocketConnection *connection,
                  const char        *head,
                  gpointer           user_data)
{
  Scripted *s = user_data;
  guint n = g_atomic_int_add (&s->n_connections, 1);
  gint now = g_atomic_int_add (&s->in_flight, 1) + 1;
  const HaulTestRawAnswer *how = &s->correct;
  gint max;

  while ((max = g_atomic_int_get (&s->max_in_flight)) < now
         && !g_atomic_int_compare_and_exchange (&s->max_in_flight, max, now))
    ;
  g_mutex_lock (&s->lock);
  if (n < MAX_SCRIPTED)
    s->heads[n] = g_strdup (head);
  g_mutex_unlock (&s->lock);

  if (n < G_N_ELEMENTS (s->script))
    how = &s->script[n];
  if (how->status != 0)
    g_atomic_int_inc (&s->n_refused);
  haul_test_raw_answer (connection, head, s->body, how);
  g_atomic_int_add (&s->in_flight, -1);
}

/* Every connection answered correctly until a test says otherwise. */
static void
scripted_init (Scripted *s,
               GBytes   *body)
{
  memset (s, 0, sizeof *s);
  s->body = body;
  for (guint i = 0; i < G_N_ELEMENTS (s->script); i++)
    s->script[i] = (HaulTestRawAnswer) { .etag = "\"r1\"", .write_size = 16 * KiB,
                                         .bytes_per_second = 4 * MiB };
  s->correct = s->script[0];
}

static void
scripted_clear (Scripted *s)
{
  for (guint i = 0; i < MAX_SCRIPTED; i++)
    g_clear_pointer (&s->heads[i], g_free);
  g_clear_pointer (&s->body, g_bytes_unref);
}

/* Did some request after the first @after ask for a range from @start? */
static gboolean
asked_from (Scripted *s,
            guint     after,
            gint64    start)
{
  gboolean found = FALSE;

  g_mutex_lock (&s->lock);
  for (guint i = after; i < MAX_SCRIPTED && s->heads[i] != NULL && !found; i++)
    {
      gint64 from, to;

      found = haul_test_parse_range (s->heads[i], &from, &to) && from == start;
    }
  g_mutex_unlock (&s->lock);
  return found;
}

static HaulTransferResult *
run_scripted (Fixture  *f,
              Scripted *s,
              guint     connections,
              guint     timeout,
              double   *seconds)
{
  HaulTestRawServer *raw = haul_test_raw_server_new (scripted_handler, s);
  g_autofree char *uri = haul_test_raw_server_uri (raw, "/m.bin");
  g_autoptr(HaulTransferJob) job = haul_transfer_job_new (f->session, f->cell, uri, f->dir);
  HaulTransferResult *result;
  gint64 start = g_get_monotonic_time ();

  job->max_connections = connections;
  job->min_split = 256 * KiB;
  if (timeout > 0)
    {
      g_clear_object (&job->session);
      job->session = haul_request_session_new (timeout);
    }
  result = haul_transfer_run (job, NULL);
  if (seconds != NULL)
    *seconds = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("%d connections made, %d at once, %u used; %s",
                  g_atomic_int_get (&s->n_connections), g_atomic_int_get (&s->max_in_flight),
                  result->connections, result->error ? result->error->message : "completed");
  haul_test_raw_server_free (raw);
  return result;
}

/* The second connection is cut 100 KiB into its piece: another request
 * goes on from there, and every byte is the server's. */
static void
test_misbehave_cut (Fixture       *f,
                    gconstpointer  data)
{
  Scripted s;
  g_autoptr(HaulTransferResult) result = NULL;
  gint64 cut_from, cut_to;

  scripted_init (&s, haul_test_make_bytes (4 * MiB, 11));
  s.script[1].cut_after = 100 * KiB;
  result = run_scripted (f, &s, 4, 0, NULL);
  assert_assembled (f, result, "m.bin", s.body);
  g_assert_null (result->notice);
  g_assert_true (haul_test_parse_range (s.heads[1], &cut_from, &cut_to));
  g_assert_true (asked_from (&s, 2, cut_from + 100 * KiB));
  g_assert_cmpint (g_atomic_int_get (&s.max_in_flight), >=, 2);
  scripted_clear (&s);
}

/* The second connection answers its range with the whole file (200):
 * everything again from zero on one connection, saying why. */
static void
test_misbehave_200 (Fixture       *f,
                    gconstpointer  data)
{
  Scripted s;
  g_autoptr(HaulTransferResult) result = NULL;

  scripted_init (&s, haul_test_make_bytes (4 * MiB, 12));
  s.script[1].ignore_range = TRUE;
  result = run_scripted (f, &s, 4, 0, NULL);
  assert_assembled (f, result, "m.bin", s.body);
  g_assert_cmpint (g_atomic_int_get (&s.max_in_flight), >=, 2);
  g_assert_cmpstr (result->notice, ==, "The server sent inconsistent parts of the file; "
                   "the download started again on one connection");
  scripted_clear (&s);
}

/* The second connection's 206 names another version: from zero on one
 * connection, and the notice says the file changed. */
static void
test_misbehave_etag (Fixture       *f,
                     gconstpointer  data)
{
  Scripted s;
  g_autoptr(HaulTransferResult) result = NULL;
  g_autofree char *last = NULL;
  guint n;

  scripted_init (&s, haul_test_make_bytes (4 * MiB, 13));
  s.script[1].etag = "\"other\"";
  result = run_scripted (f, &s, 4, 0, NULL);
  assert_assembled (f, result, "m.bin", s.body);
  g_assert_cmpstr (result->notice, ==, "The file changed on the server; the download started "
                   "again from the beginning");
  /* The last request was the one connection's, for the whole file. */
  n = g_atomic_int_get (&s.n_connections);
  g_assert_null (strstr (s.heads[n - 1], "Range:"));
  g_assert_cmpstr (result->state->etag, ==, "\"r1\"");
  scripted_clear (&s);
}

/* The second connection stalls 100 KiB in, for longer than the timeout:
 * the others take what it had left, its own rest is asked again after
 * the timeout, and the download does not wait for the stalled answer. */
static void
test_misbehave_stall (Fixture       *f,
                      gconstpointer  data)
{
  Scripted s;
  g_autoptr(HaulTransferResult) result = NULL;
  double seconds;
  gint64 stall_from, stall_to;

  scripted_init (&s, haul_test_make_bytes (4 * MiB, 14));
  s.script[1].stall_after = 100 * KiB;
  s.script[1].stall_ms = 5000;
  result = run_scripted (f, &s, 4, 1, &seconds);
  assert_assembled (f, result, "m.bin", s.body);
  g_assert_cmpint (g_atomic_int_get (&s.max_in_flight), >=, 2);
  g_test_message ("completed after %.2f s (timeout 1 s, stall 5 s)", seconds);
  g_assert_cmpfloat (seconds, <, 4.0);
  g_assert_null (result->notice);
  g_assert_true (haul_test_parse_range (s.heads[1], &stall_from, &stall_to));
  g_assert_true (asked_from (&s, 2, stall_from + 100 * KiB));
  scripted_clear (&s);
}

/* The third connection gets a 503 (one more than the server allows):
 * that connection ends, the others finish the file. */
static void
test_misbehave_503 (Fixture       *f,
                    gconstpointer  data)
{
  Scripted s;
  g_autoptr(HaulTransferResult) result = NULL;
  scripted_init (&s, haul_test_make_bytes (4 * MiB, 15));
  s.script[2].status = 503;
  result = run_scripted (f, &s, 4, 0, NULL);
  assert_assembled (f, result, "m.bin", s.body);
  g_assert_null (result->notice);
  g_assert_cmpint (g_atomic_int_get (&s.max_in_flight), >=, 2);
  g_assert_cmpint (g_atomic_int_get (&s.n_refused), ==, 1);
  g_assert_cmpuint (result->connections, ==, 4);
  scripted_clear (&s);
}

/* One connection only: a file under twice the smallest piece, a server
 * with no validator, a server that refuses ranges. */
static void
test_single_connection (Fixture       *f,
                        gconstpointer  data)
{
  const char *which = data;
  Scripted s;
  g_autoptr(HaulTransferResult) result = NULL;

  scripted_init (&s, haul_test_make_bytes (g_str_equal (which, "small") ? 2 * 256 * KiB - 1
                                                                          : 4 * MiB, 16));
  if (g_str_equal (which, "no-validator"))
    s.script[0].etag = NULL;
  if (g_str_equal (which, "no-ranges"))
    s.script[0].ignore_range = TRUE;

  result = run_scripted (f, &s, 8, 0, NULL);
  assert_assembled (f, result, "m.bin", s.body);
  g_assert_cmpuint (result->connections, ==, 1);
  g_assert_cmpint (g_atomic_int_get (&s.n_connections), ==, 1);
  g_assert_null (result->notice);
  scripted_clear (&s);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/engine/segments/table/split-and-steal", test_table_split_and_steal);
  g_test_add_func ("/haul/engine/segments/table/resume", test_table_resume);

#define ADD(path, func) \
  g_test_add ("/haul/engine/segments/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("parallel", test_parallel);
  ADD ("pause-resume", test_pause_resume);
  ADD ("misbehave/cut", test_misbehave_cut);
  ADD ("misbehave/200-to-range", test_misbehave_200);
  ADD ("misbehave/other-etag", test_misbehave_etag);
  ADD ("misbehave/stall", test_misbehave_stall);
  ADD ("misbehave/503", test_misbehave_503);
#undef ADD
  g_test_add ("/haul/engine/segments/single/small", Fixture, "small", fixture_setup,
              test_single_connection, fixture_teardown);
  g_test_add ("/haul/engine/segments/single/no-validator", Fixture, "no-validator",
              fixture_setup, test_single_connection, fixture_teardown);
  g_test_add ("/haul/engine/segments/single/no-ranges", Fixture, "no-ranges", fixture_setup,
              test_single_connection, fixture_teardown);

  return g_test_run ();
}
