/* test-request.c: requests to one host in parallel, stall time, credentials
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "haul-error.h"
#include "haul-request.h"
#include "haul-transfer.h"
#include "haul-url.h"
#include "haul-test-server.h"

#define KiB 1024

/* A raw server: /slow answers its headers only after 2 s, anything else
 * at once. It records when each answer's headers went out. */
typedef struct
{
  GBytes *body;
  gint    slow_asked;     /* (atomic) the /slow request arrived */
  gint64  slow_answered;  /* monotonic µs its headers went out (read after the join) */
} SlowFast;

static void
slow_fast_handler (GSocketConnection *connection,
                   const char        *head,
                   gpointer           user_data)
{
  SlowFast *sf = user_data;
  gboolean slow = g_str_has_prefix (head, "GET /slow ");
  gsize size = g_bytes_get_size (sf->body);
  g_autofree char *reply = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: %" G_GSIZE_FORMAT
                                            "\r\nConnection: close\r\n\r\n", size);

  if (slow)
    {
      g_atomic_int_set (&sf->slow_asked, 1);
      g_usleep (2 * G_USEC_PER_SEC);
    }
  haul_test_raw_write (connection, reply, strlen (reply));
  if (slow)
    sf->slow_answered = g_get_monotonic_time ();
  haul_test_raw_write (connection, g_bytes_get_data (sf->body, NULL), size);
}

typedef struct
{
  HaulTransferJob    *job;
  HaulTransferResult *result;
  gint64              finished_at;
  gboolean            done;  /* (atomic) */
} Runner;

static gpointer
runner_thread (gpointer data)
{
  Runner *runner = data;

  runner->result = haul_transfer_run (runner->job, NULL);
  runner->finished_at = g_get_monotonic_time ();
  g_atomic_int_set (&runner->done, TRUE);
  return NULL;
}

static void
runner_start (Runner      *runner,
              SoupSession *session,
              const char  *uri,
              const char  *dir,
              GThread    **thread)
{
  HaulProgressCell *cell = haul_progress_cell_new (NULL, NULL);

  runner->job = haul_transfer_job_new (session, cell, uri, dir);
  haul_progress_cell_unref (cell);
  *thread = g_thread_new ("transfer", runner_thread, runner);
}

static void
runner_clear (Runner *runner)
{
  g_clear_pointer (&runner->job, haul_transfer_job_free);
  g_clear_pointer (&runner->result, haul_transfer_result_free);
}

/* Issue 8, item 4: two requests to one host on one session run side by
 * side. Before the fix they went one at a time, the wait for the first
 * byte included: /fast waited for /slow's 2 s. */
static void
test_parallel_one_host (void)
{
  SlowFast sf = { haul_test_make_bytes (10 * KiB, 1), 0, 0 };
  HaulTestRawServer *raw = haul_test_raw_server_new (slow_fast_handler, &sf);
  g_autoptr(SoupSession) session = haul_request_session_new (10);
  g_autofree char *dir = haul_test_make_tmpdir ();
  g_autofree char *slow_uri = haul_test_raw_server_uri (raw, "/slow");
  g_autofree char *fast_uri = haul_test_raw_server_uri (raw, "/fast");
  Runner slow = { 0 };
  Runner fast = { 0 };
  GThread *slow_thread;
  GThread *fast_thread;
  gint64 deadline;
  gint64 fast_started;

  runner_start (&slow, session, slow_uri, dir, &slow_thread);
  /* /slow is at the server, waiting for its answer, before /fast starts. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!g_atomic_int_get (&sf.slow_asked) && g_get_monotonic_time () < deadline)
    g_usleep (5 * 1000);
  g_assert_true (g_atomic_int_get (&sf.slow_asked));

  fast_started = g_get_monotonic_time ();
  runner_start (&fast, session, fast_uri, dir, &fast_thread);
  g_thread_join (fast_thread);
  g_thread_join (slow_thread);

  g_test_message ("/fast took %.0f ms; /slow answered %.0f ms after /fast completed",
                  (fast.finished_at - fast_started) / 1000.0,
                  (sf.slow_answered - fast.finished_at) / 1000.0);
  g_assert_no_error (fast.result->error);
  g_assert_no_error (slow.result->error);
  g_assert_cmpint (fast.finished_at - fast_started, <, G_USEC_PER_SEC);
  /* Well before /slow's answer. */
  g_assert_cmpint (fast.finished_at + 500 * G_TIME_SPAN_MILLISECOND, <, sf.slow_answered);

  runner_clear (&slow);
  runner_clear (&fast);
  haul_test_raw_server_free (raw);
  haul_test_remove_tree (dir);
  g_bytes_unref (sf.body);
}

static gboolean
release_slot_cb (gpointer data)
{
  haul_request_host_slot_release (data);
  return G_SOURCE_REMOVE;
}

/* Issue 8, item 4: stall time counts only while a request is in flight.
 * With every host slot taken, a download waits 1.5 s for one on a
 * session whose timeout is 1 s, and must not fail as stalled. */
static void
test_slot_wait_not_stall (void)
{
  HaulTestServer *server = haul_test_server_new ();
  g_autoptr(GBytes) body = haul_test_make_bytes (50 * KiB, 2);
  g_autoptr(SoupSession) session = haul_request_session_new (1);
  g_autofree char *dir = haul_test_make_tmpdir ();
  g_autofree char *uri = NULL;
  g_autoptr(GUri) parsed = NULL;
  Runner runner = { 0 };
  GThread *thread;
  guint taken = 0;
  gint64 start;

  haul_test_server_add_file (server, "/wait.bin", body, NULL);
  uri = haul_test_server_uri (server, "/wait.bin");
  parsed = haul_url_parse (uri, NULL);

  while (haul_request_host_slot_try (parsed))
    taken++;
  g_assert_cmpuint (taken, ==, HAUL_REQUEST_MAX_CONNS_PER_HOST);

  start = g_get_monotonic_time ();
  runner_start (&runner, session, uri, dir, &thread);
  g_timeout_add (1500, release_slot_cb, parsed);
  haul_test_spin_until (&runner.done, 10000);
  g_thread_join (thread);

  g_test_message ("completed after %.2f s", (runner.finished_at - start) / 1e6);
  g_assert_no_error (runner.result->error);
  g_assert_cmpint (runner.finished_at - start, >=, 1500 * G_TIME_SPAN_MILLISECOND);
  {
    g_autofree char *path = g_build_filename (dir, "wait.bin", NULL);

    g_assert_true (haul_test_file_equals (path, body));
  }

  /* The slots are the process's: give back the 15 still held. */
  for (guint i = 1; i < taken; i++)
    haul_request_host_slot_release (parsed);
  g_assert_true (haul_request_host_slot_try (parsed));
  haul_request_host_slot_release (parsed);

  runner_clear (&runner);
  haul_test_server_free (server);
  haul_test_remove_tree (dir);
}

/* Issue 8, item 4 (rule 4 of haul-request.c): nor does the wait for the
 * speed limit: a download that reads 16 KiB at 6 KiB/s, on a session
 * whose timeout is 1 s, takes nearly 3 s and is no stall. */
static void
test_limit_wait_not_stall (void)
{
  HaulTestServer *server = haul_test_server_new ();
  g_autoptr(GBytes) body = haul_test_make_bytes (16 * KiB, 4);
  g_autoptr(SoupSession) session = haul_request_session_new (1);
  g_autofree char *dir = haul_test_make_tmpdir ();
  g_autofree char *uri = haul_test_server_uri (server, "/slow-reader.bin");
  g_autofree char *path = g_build_filename (dir, "slow-reader.bin", NULL);
  HaulProgressCell *cell = haul_progress_cell_new (NULL, NULL);
  g_autoptr(HaulTransferJob) job = haul_transfer_job_new (session, cell, uri, dir);
  g_autoptr(HaulTransferResult) result = NULL;
  gint64 start;

  haul_progress_cell_unref (cell);
  haul_test_server_add_file (server, "/slow-reader.bin", body, NULL);
  job->limiter = haul_rate_limiter_new (NULL);
  haul_rate_limiter_set_rate (job->limiter, 6 * KiB);
  start = g_get_monotonic_time ();
  result = haul_transfer_run (job, NULL);

  g_test_message ("%.2f s", (g_get_monotonic_time () - start) / 1e6);
  g_assert_no_error (result->error);
  g_assert_cmpint (g_get_monotonic_time () - start, >, 2 * G_USEC_PER_SEC);
  g_assert_true (haul_test_file_equals (path, body));

  haul_test_server_free (server);
  haul_test_remove_tree (dir);
}

/* Issue 8, item 7: the password in "user:p%2541ss@" is decoded once,
 * to "p%41ss" (it was decoded twice and sent as "pAss"). */
static void
test_credentials_decoded_once (void)
{
  HaulTestServer *server = haul_test_server_new ();
  g_autoptr(GBytes) body = haul_test_make_bytes (1000, 3);
  g_autoptr(SoupSession) session = haul_request_session_new (10);
  g_autofree char *dir = haul_test_make_tmpdir ();
  g_autofree char *plain = haul_test_server_uri (server, "/auth.bin");
  g_autofree char *uri = g_strdup_printf ("http://user:p%%2541ss@%s", plain + strlen ("http://"));
  g_autofree char *expected = NULL;
  g_autofree char *b64 = g_base64_encode ((const guchar *) "user:p%41ss", strlen ("user:p%41ss"));
  g_autofree char *headers = NULL;
  HaulProgressCell *cell = haul_progress_cell_new (NULL, NULL);
  g_autoptr(HaulTransferJob) job = haul_transfer_job_new (session, cell, uri, dir);
  g_autoptr(HaulTransferResult) result = NULL;

  haul_progress_cell_unref (cell);
  haul_test_server_add_file (server, "/auth.bin", body, NULL);
  result = haul_transfer_run (job, NULL);
  g_assert_no_error (result->error);

  headers = haul_test_server_get_last_request_headers (server, "/auth.bin");
  expected = g_strdup_printf ("Authorization: Basic %s\n", b64);
  g_test_message ("%s", headers);
  g_assert_nonnull (strstr (headers, expected));
  /* And never along in the address the download reports. */
  g_assert_null (strstr (result->state->final_uri, "p%"));
  g_assert_null (strstr (result->state->final_uri, "user"));

  haul_test_server_free (server);
  haul_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/engine/request/parallel-one-host", test_parallel_one_host);
  g_test_add_func ("/haul/engine/request/slot-wait-not-stall", test_slot_wait_not_stall);
  g_test_add_func ("/haul/engine/request/limit-wait-not-stall", test_limit_wait_not_stall);
  g_test_add_func ("/haul/engine/request/credentials-decoded-once",
                   test_credentials_decoded_once);

  return g_test_run ();
}
