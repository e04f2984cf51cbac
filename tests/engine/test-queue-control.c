/* test-queue-control.c: stopping and starting HaulQueue's downloads
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against real local servers: pause and resume, cancel and undo, retry
 * by hand and by the queue itself, remove and undo, pause all, remove the
 * finished ones, a file changed while paused. Running downloads are
 * test-queue.c's; the fixture is queue-fixture.c.
 */

#include "config.h"

#include <string.h>

#include "haul-builtin-engine.h"
#include "haul-download-private.h"
#include "haul-queue-private.h"
#include "haul-retry.h"
#include "haul-test-server.h"
#include "queue-fixture.h"

/* Tests ------------------------------------------------------------------ */

static void
test_pause_resume (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GBytes) body = serve (fixture, "/big.bin", 2 * MiB, 1 * MiB);
  g_autofree char *headers = NULL;
  HaulDownload *download;
  gint64 received;
  gint64 start;

  download = add (fixture, "/big.bin");
  g_assert_true (haul_test_wait_received (download, 256 * KiB, 10000));
  g_assert_true (haul_download_can_pause (download));

  start = g_get_monotonic_time ();
  haul_queue_pause (fixture->queue, download);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_PAUSED, 2000));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_true (haul_test_wait_server_idle (fixture->server, 2000));

  received = haul_download_get_received (download);
  g_assert_cmpint (received, >=, 256 * KiB);
  g_assert_cmpint (received, <, 2 * MiB);
  g_assert_true (haul_download_can_resume (download));
  g_assert_nonnull (haul_download_get_partial_path (download));
  g_assert_true (g_file_test (haul_download_get_partial_path (download), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (haul_download_get_confirmed (download), ==, received);
  g_assert_cmpstr (haul_download_get_etag (download), ==, "\"v1\"");
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 0);
  g_assert_cmpuint (fixture->n_finished, ==, 0);

  haul_queue_resume (fixture->queue, download);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 15000));
  assert_file (fixture, download, body);
  g_assert_cmpuint (count_files (fixture->dir), ==, 1);

  /* The second request asked for the rest only, tied to the same version:
   * the server answered it with 206 (it honours Range + If-Range). */
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/big.bin"), ==, 2);
  headers = haul_test_server_get_last_request_headers (fixture->server, "/big.bin");
  g_test_message ("%s", headers);
  g_assert_nonnull (strstr (headers, "Range: bytes="));
  g_assert_nonnull (strstr (headers, "If-Range: \"v1\""));
  g_assert_null (haul_download_get_notice (download));
}

/* Cancel keeps the bytes until the undo offer is gone (issue #11): undo
 * brings the download back where it was; discard deletes the partial. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) body = serve (fixture, "/cancel.bin", 4 * MiB, 1 * MiB);
  g_autofree char *partial = NULL;
  HaulDownload *download;
  gint64 start;
  gint64 kept;

  download = add (fixture, "/cancel.bin");
  g_assert_true (haul_test_wait_received (download, 256 * KiB, 10000));
  g_assert_cmpuint (count_files (fixture->dir), >=, 1);

  start = g_get_monotonic_time ();
  haul_queue_cancel (fixture->queue, download);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_CANCELLED, 2000));
  g_test_message ("cancelled after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_true (haul_download_can_retry (download));
  g_assert_cmpuint (fixture->n_finished, ==, 0);

  /* The bytes are still there, and an undo brings the download back. */
  partial = g_strdup (haul_download_get_partial_path (download));
  kept = haul_download_get_confirmed (download);
  g_assert_nonnull (partial);
  g_assert_true (g_file_test (partial, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (kept, >=, 256 * KiB);
  g_assert_true (haul_queue_undo (fixture->queue, download));
  g_assert_true (haul_test_wait_received (download, kept + 256 * KiB, 10000));
  g_assert_true (haul_download_is_active (download));

  /* Cancelled again and discarded: the partial goes. */
  haul_queue_cancel (fixture->queue, download);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_CANCELLED, 2000));
  haul_queue_discard (fixture->queue, download);
  g_assert_false (haul_queue_undo (fixture->queue, download));
  haul_test_spin_for (100);
  g_assert_cmpuint (count_files (fixture->dir), ==, 0);
  g_assert_null (haul_download_get_partial_path (download));
  g_assert_cmpint (haul_download_get_received (download), ==, 0);

  /* Retry after cancel starts again from zero and completes. */
  haul_queue_retry (fixture->queue, download);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 15000));
  assert_file (fixture, download, body);
}

static void
test_retry_404 (Fixture       *fixture,
                gconstpointer  data)
{
  HaulDownload *download;
  gint64 start = g_get_monotonic_time ();

  haul_test_server_add_status (fixture->server, "/missing", 404);
  download = add (fixture, "/missing");
  watch_states (fixture, download);

  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_FAILED, 5000));
  /* Not a resumable error: no automatic retry, no waiting. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/missing"), ==, 1);
  g_assert_nonnull (strstr (haul_download_get_error_message (download), "404"));
  g_assert_true (haul_download_can_retry (download));
  g_assert_cmpuint (fixture->n_finished, ==, 1);
  g_assert_cmpuint (count_files (fixture->dir), ==, 0);

  g_array_set_size (fixture->states, 0);
  haul_queue_retry (fixture->queue, download);
  g_assert_cmpuint (fixture->states->len, >=, 1);
  g_assert_cmpint (state_at (fixture, 0), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_null (haul_download_get_error_message (download));

  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_FAILED, 5000));
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/missing"), ==, 2);
  g_assert_cmpuint (fixture->n_finished, ==, 2);
  g_assert_nonnull (strstr (haul_download_get_error_message (download), "404"));
  /* The HTML body of the error was never saved. */
  g_assert_cmpuint (count_files (fixture->dir), ==, 0);
}

/* A raw server that cuts the body of the first @n_cut answers short. */
typedef struct
{
  GBytes *body;
  gint    n_connections;  /* (atomic) */
  gint    n_cut;
} FlakyServer;

static void
flaky_handler (GSocketConnection *connection,
               const char        *request_head,
               gpointer           user_data)
{
  FlakyServer *flaky = user_data;
  gint n = g_atomic_int_add (&flaky->n_connections, 1) + 1;
  gsize size;
  const guint8 *data = g_bytes_get_data (flaky->body, &size);
  const char *range = strstr (request_head, "Range: bytes=");
  g_autofree char *head = NULL;
  guint64 from = 0;

  if (n <= flaky->n_cut)
    {
      head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
                              "ETag: \"f1\"\r\nConnection: close\r\n\r\n", size);
      haul_test_raw_write (connection, head, strlen (head));
      haul_test_raw_write (connection, data, 1000);
      return;
    }

  if (range != NULL)
    from = g_ascii_strtoull (range + strlen ("Range: bytes="), NULL, 10);

  if (from > 0 && from < size)
    head = g_strdup_printf ("HTTP/1.1 206 Partial Content\r\n"
                            "Content-Length: %" G_GUINT64_FORMAT "\r\n"
                            "Content-Range: bytes %" G_GUINT64_FORMAT "-%" G_GSIZE_FORMAT
                            "/%" G_GSIZE_FORMAT "\r\n"
                            "ETag: \"f1\"\r\nConnection: close\r\n\r\n",
                            size - from, from, size - 1, size);
  else
    head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
                            "ETag: \"f1\"\r\nConnection: close\r\n\r\n", size);
  haul_test_raw_write (connection, head, strlen (head));
  haul_test_raw_write (connection, data + from, size - from);
}

static void
test_auto_retry (Fixture       *fixture,
                 gconstpointer  data)
{
  FlakyServer flaky = { haul_test_make_bytes (64 * KiB, 7), 0, 2 };
  HaulTestRawServer *raw = haul_test_raw_server_new (flaky_handler, &flaky);
  g_autofree char *uri = haul_test_raw_server_uri (raw, "/flaky.bin");
  g_autoptr(GError) error = NULL;
  HaulDownload *download;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  download = haul_queue_add (fixture->queue, uri, fixture->dir, &error);
  g_assert_no_error (error);
  watch_states (fixture, download);

  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 20000));
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("completed after %.2f s and %d connections",
                  seconds, g_atomic_int_get (&flaky.n_connections));

  /* Two cut answers, waits of 1 s and 2 s (± 20 % of jitter), then the rest. */
  g_assert_cmpint (g_atomic_int_get (&flaky.n_connections), ==, 3);
  g_assert_cmpfloat (seconds, >=, 2.3);
  assert_file (fixture, download, flaky.body);
  for (guint i = 0; i < fixture->states->len; i++)
    g_assert_cmpint (state_at (fixture, i), !=, HAUL_DOWNLOAD_FAILED);
  g_assert_cmpuint (fixture->n_finished, ==, 1);

  haul_test_raw_server_free (raw);
  g_bytes_unref (flaky.body);
}

static void
test_auto_retry_gives_up (Fixture       *fixture,
                          gconstpointer  data)
{
  FlakyServer flaky = { haul_test_make_bytes (64 * KiB, 8), 0, 1000 };
  HaulTestRawServer *raw = haul_test_raw_server_new (flaky_handler, &flaky);
  g_autofree char *uri = haul_test_raw_server_uri (raw, "/cut.bin");
  g_autoptr(GError) error = NULL;
  HaulDownload *download;

  haul_test_fake_retry_reset ();
  haul_builtin_engine_set_retry_delay_func (
    HAUL_BUILTIN_ENGINE (haul_queue_get_engine (fixture->queue)), haul_test_fake_retry_delay);
  download = haul_queue_add (fixture->queue, uri, fixture->dir, &error);
  g_assert_no_error (error);

  /* The first try and HAUL_RETRY_MAX_TRIES more, each after a backoff
   * for the next attempt number; then it fails with the last reason. */
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_FAILED, 20000));
  g_assert_cmpint (g_atomic_int_get (&flaky.n_connections), ==, 1 + HAUL_RETRY_MAX_TRIES);
  g_assert_cmpuint (haul_test_fake_retry_n_waits (), ==, HAUL_RETRY_MAX_TRIES);
  for (guint i = 0; i < HAUL_RETRY_MAX_TRIES; i++)
    g_assert_cmpuint (haul_test_fake_retry_attempt (i), ==, i + 1);
  g_assert_nonnull (strstr (haul_download_get_error_message (download), "closed after"));
  g_assert_nonnull (haul_download_get_error_message (download));
  g_test_message ("%s", haul_download_get_error_message (download));
  g_assert_cmpuint (fixture->n_finished, ==, 1);
  g_assert_true (haul_download_can_retry (download));

  haul_test_raw_server_free (raw);
  g_bytes_unref (flaky.body);
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) slow = serve (fixture, "/slow.bin", 4 * MiB, 1 * MiB);
  g_autoptr(GBytes) small = serve (fixture, "/small.bin", 64 * KiB, 0);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(HaulDownload) running = NULL;
  g_autoptr(HaulDownload) done = NULL;
  g_autofree char *done_path = NULL;

  running = g_object_ref (add (fixture, "/slow.bin"));
  done = g_object_ref (add (fixture, "/small.bin"));
  g_assert_true (haul_test_wait_state (done, HAUL_DOWNLOAD_COMPLETED, 10000));
  g_assert_true (haul_test_wait_received (running, 128 * KiB, 10000));
  done_path = haul_download_dup_path (done);

  g_signal_connect (fixture->queue, "items-changed", G_CALLBACK (on_items_changed), changes);

  haul_queue_remove (fixture->queue, running);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 1);
  g_assert_cmpuint (changes->len, ==, 3);
  g_assert_cmpuint (g_array_index (changes, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (changes, guint, 1), ==, 1);
  g_assert_cmpuint (g_array_index (changes, guint, 2), ==, 0);
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 0);

  /* Its bytes stay until the removal is final: undo puts it back where it
   * was, and it goes on. */
  g_assert_true (haul_test_wait_state (running, HAUL_DOWNLOAD_PAUSED, 2000));
  g_assert_cmpuint (count_files (fixture->dir), ==, 2);
  g_assert_true (haul_queue_undo (fixture->queue, running));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 2);
  {
    g_autoptr(HaulDownload) first = g_list_model_get_item (G_LIST_MODEL (fixture->queue), 0);

    g_assert_true (first == running);
  }
  g_assert_true (haul_download_is_active (running));
  g_assert_true (haul_test_wait_received (running,
                                          haul_download_get_confirmed (running) + 64 * KiB,
                                          10000));

  /* Removed for good: its partial file goes; the finished file stays. */
  haul_queue_remove (fixture->queue, running);
  haul_queue_discard (fixture->queue, running);
  g_assert_false (haul_queue_undo (fixture->queue, running));
  g_assert_true (wait_files (fixture->dir, 1, 2000));

  haul_queue_remove (fixture->queue, done);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 0);
  g_assert_true (haul_test_file_equals (done_path, small));
  g_assert_null (haul_queue_lookup (fixture->queue, haul_download_get_id (done)));

  /* The stopped download never comes back or changes state. */
  haul_test_spin_for (300);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 0);
  g_assert_cmpuint (count_files (fixture->dir), ==, 1);
  g_assert_cmpuint (fixture->n_finished, ==, 1);
}

static void
test_pause_all (Fixture       *fixture,
                gconstpointer  data)
{
  enum { N = 5 };
  GBytes *bodies[N];
  HaulDownload *downloads[N];
  gint64 start;

  haul_queue_set_max_active (fixture->queue, 2);
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/all/%u.bin", i);

      /* Under 1 MiB: a bigger file makes Haul ask for checksum files
       * beside it, requests that would count here. */
      bodies[i] = serve (fixture, path, 1 * MiB - 1, 1 * MiB);
      downloads[i] = add (fixture, path);
    }
  g_assert_true (haul_test_wait_received (downloads[0], 128 * KiB, 10000));
  g_assert_true (haul_test_wait_received (downloads[1], 128 * KiB, 10000));

  start = g_get_monotonic_time ();
  haul_queue_pause_all (fixture->queue);
  /* The queued ones at once, the running ones within a second. */
  g_assert_cmpuint (count_state (fixture->queue, HAUL_DOWNLOAD_PAUSED), >=, N - 2);
  g_assert_true (wait_all (fixture->queue, HAUL_DOWNLOAD_PAUSED, 2000));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 0);
  g_assert_true (haul_test_wait_server_idle (fixture->server, 2000));

  /* Nothing starts by itself while paused. */
  haul_test_spin_for (300);
  g_assert_cmpuint (count_state (fixture->queue, HAUL_DOWNLOAD_PAUSED), ==, N);
  g_assert_cmpuint (haul_test_server_get_in_flight (fixture->server), ==, 0);

  haul_queue_resume_all (fixture->queue);
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, N);
  g_assert_true (wait_all (fixture->queue, HAUL_DOWNLOAD_COMPLETED, 30000));
  for (guint i = 0; i < N; i++)
    {
      assert_file (fixture, downloads[i], bodies[i]);
      g_bytes_unref (bodies[i]);
    }
  g_assert_cmpuint (haul_test_server_get_max_concurrent (fixture->server), <=, 2);
}

static void
test_remove_finished (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) a = serve (fixture, "/a.bin", 10 * KiB, 0);
  g_autoptr(GBytes) b = serve (fixture, "/b.bin", 20 * KiB, 0);
  g_autoptr(GBytes) slow = serve (fixture, "/slow.bin", 4 * MiB, 1 * MiB);
  HaulDownload *da, *db, *dslow, *dfail;
  g_autofree char *pa = NULL;
  g_autofree char *pb = NULL;
  g_autoptr(HaulDownload) first = NULL;
  g_autoptr(GPtrArray) removed = NULL;

  haul_test_server_add_status (fixture->server, "/gone", 404);
  da = add (fixture, "/a.bin");
  db = add (fixture, "/b.bin");
  dfail = add (fixture, "/gone");
  g_assert_true (haul_test_wait_state (da, HAUL_DOWNLOAD_COMPLETED, 10000));
  g_assert_true (haul_test_wait_state (db, HAUL_DOWNLOAD_COMPLETED, 10000));
  g_assert_true (haul_test_wait_state (dfail, HAUL_DOWNLOAD_FAILED, 10000));
  dslow = add (fixture, "/slow.bin");
  g_assert_true (haul_test_wait_received (dslow, 64 * KiB, 10000));
  haul_queue_pause (fixture->queue, dslow);
  g_assert_true (haul_test_wait_state (dslow, HAUL_DOWNLOAD_PAUSED, 2000));
  pa = haul_download_dup_path (da);
  pb = haul_download_dup_path (db);

  /* Issue #11, item 2: completed rows only; the failed one and the paused
   * one (and its partial file) stay. */
  removed = haul_queue_remove_finished (fixture->queue);
  g_assert_cmpuint (removed->len, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (fixture->queue), 0);
  g_assert_true (first == dfail);
  g_assert_true (haul_test_file_equals (pa, a));
  g_assert_true (haul_test_file_equals (pb, b));
  g_assert_true (g_file_test (haul_download_get_partial_path (dslow), G_FILE_TEST_IS_REGULAR));

  /* Undo brings a completed one back where it stood. */
  g_assert_true (haul_queue_undo (fixture->queue, db));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 3);
  g_assert_cmpint (haul_download_get_state (db), ==, HAUL_DOWNLOAD_COMPLETED);
  {
    g_autoptr(HaulDownload) second = g_list_model_get_item (G_LIST_MODEL (fixture->queue), 1);

    g_assert_true (second == db);
  }
  /* Discarding a completed one leaves its file alone. */
  haul_queue_discard (fixture->queue, da);
  haul_test_spin_for (100);
  g_assert_true (haul_test_file_equals (pa, a));
}

/* The file changed on the server while paused: the resume starts again
 * from zero, says so, and never mixes the two versions. */
static void
test_restarted_notice (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GBytes) v1 = haul_test_make_bytes (2 * MiB, 1);
  g_autoptr(GBytes) v2 = haul_test_make_bytes (2 * MiB, 2);
  HaulTestFileOptions options = { 0 };
  HaulDownload *download;

  options.etag = "\"v1\"";
  options.bytes_per_second = 1 * MiB;
  haul_test_server_add_file (fixture->server, "/changing.bin", v1, &options);

  download = add (fixture, "/changing.bin");
  g_assert_true (haul_test_wait_received (download, 256 * KiB, 10000));
  haul_queue_pause (fixture->queue, download);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_PAUSED, 2000));
  g_assert_null (haul_download_get_notice (download));

  options.etag = "\"v2\"";
  options.bytes_per_second = 0;
  haul_test_server_add_file (fixture->server, "/changing.bin", v2, &options);

  haul_queue_resume (fixture->queue, download);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 10000));
  assert_file (fixture, download, v2);
  g_assert_cmpstr (haul_download_get_notice (download), ==,
                   "The file changed on the server; the download started again from the beginning");
  g_assert_cmpstr (haul_download_get_etag (download), ==, "\"v2\"");
  g_assert_cmpuint (count_files (fixture->dir), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/queue/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("pause-resume", test_pause_resume);
  ADD ("cancel", test_cancel);
  ADD ("retry-404", test_retry_404);
  ADD ("auto-retry", test_auto_retry);
  ADD ("auto-retry-gives-up", test_auto_retry_gives_up);
  ADD ("remove", test_remove);
  ADD ("pause-all", test_pause_all);
  ADD ("remove-finished", test_remove_finished);
  ADD ("restarted-notice", test_restarted_notice);

#undef ADD

  return g_test_run ();
}
