/* test-gone.c: the partial file or its folder taken away mid-download
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "haul-error.h"
#include "haul-transfer.h"
#include "haul-test-server.h"

#define KiB 1024
#define MiB (1024 * 1024)

typedef struct
{
  HaulTestServer   *server;
  char             *dir;      /* holds the download folder */
  char             *folder;   /* where the download goes */
  SoupSession      *session;
  HaulProgressCell *cell;
  GBytes           *body;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  HaulTestFileOptions slow = { .etag = "\"g1\"", .bytes_per_second = 1 * MiB };

  f->server = haul_test_server_new ();
  f->dir = haul_test_make_tmpdir ();
  f->folder = g_build_filename (f->dir, "Downloads", NULL);
  g_assert_cmpint (g_mkdir (f->folder, 0700), ==, 0);
  f->session = haul_request_session_new (10);
  f->cell = haul_progress_cell_new (NULL, NULL);
  f->body = haul_test_make_bytes (16 * MiB, 9);
  haul_test_server_add_file (f->server, "/g.bin", f->body, &slow);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  haul_test_server_free (f->server);
  haul_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->folder);
  g_clear_object (&f->session);
  haul_progress_cell_unref (f->cell);
  g_bytes_unref (f->body);
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

static gboolean
wait_received (HaulProgressCell *cell,
               gint64            bytes,
               guint             timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < deadline)
    {
      gint64 received = 0;

      haul_progress_cell_take (cell, NULL, &received, NULL);
      if (received >= bytes)
        return TRUE;
      g_usleep (10 * 1000);
    }
  return FALSE;
}

static gboolean
wait_done (Runner *runner,
           guint   timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (!g_atomic_int_get (&runner->done) && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  return g_atomic_int_get (&runner->done);
}

/* Starts the download of /g.bin on @connections connections and returns
 * once a few hundred KiB are in. */
static GThread *
start (Fixture *f,
       Runner  *runner,
       guint    connections)
{
  g_autofree char *uri = haul_test_server_uri (f->server, "/g.bin");
  GThread *thread;

  runner->job = haul_transfer_job_new (f->session, f->cell, uri, f->folder);
  runner->job->max_connections = connections;
  runner->job->min_split = 256 * KiB;
  thread = g_thread_new ("transfer", runner_thread, runner);
  g_assert_true (wait_received (f->cell, 300 * KiB, 10000));
  return thread;
}

static void
runner_clear (Runner *runner)
{
  g_clear_pointer (&runner->job, haul_transfer_job_free);
  g_clear_pointer (&runner->result, haul_transfer_result_free);
}

static gint64
size_of (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size : -1;
}

/* Issue 8, item 9 (and issue 10 §6): the .part deleted mid-download
 * ends the download within about two seconds, saying so; before, the
 * bytes went on into a file nobody could find until a vague failure at
 * the rename. */
static void
test_partial_deleted (Fixture       *f,
                      gconstpointer  data)
{
  guint connections = GPOINTER_TO_UINT (data);
  g_autofree char *part = g_build_filename (f->folder, "g.bin.part", NULL);
  Runner runner = { 0 };
  GThread *thread = start (f, &runner, connections);
  gint64 deleted_at;

  g_assert_true (g_file_test (part, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_unlink (part), ==, 0);
  deleted_at = g_get_monotonic_time ();
  g_assert_true (wait_done (&runner, 10000));
  g_thread_join (thread);

  g_test_message ("%u connections: failed %.0f ms after the delete: %s", connections,
                  (runner.finished_at - deleted_at) / 1000.0, runner.result->error->message);
  g_assert_error (runner.result->error, HAUL_ERROR, HAUL_ERROR_PARTIAL_MISSING);
  g_assert_nonnull (strstr (runner.result->error->message, "was deleted"));
  g_assert_nonnull (strstr (runner.result->error->message, "g.bin.part"));
  g_assert_cmpint (runner.finished_at - deleted_at, <, 2 * G_USEC_PER_SEC);
  /* Nothing came back under either name. */
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  {
    g_autofree char *final = g_build_filename (f->folder, "g.bin", NULL);

    g_assert_false (g_file_test (final, G_FILE_TEST_EXISTS));
  }
  runner_clear (&runner);
}

/* Issue 8, item 9 (and issue 10 §6): the folder renamed mid-download
 * ends it within about two seconds, and nothing more is written to the
 * file in its new place, nor anything created where it was. */
static void
test_folder_moved (Fixture       *f,
                   gconstpointer  data)
{
  guint connections = GPOINTER_TO_UINT (data);
  g_autofree char *moved = g_build_filename (f->dir, "Moved", NULL);
  g_autofree char *moved_part = g_build_filename (moved, "g.bin.part", NULL);
  Runner runner = { 0 };
  GThread *thread = start (f, &runner, connections);
  gint64 moved_at;
  gint64 size_at_end;

  g_assert_cmpint (g_rename (f->folder, moved), ==, 0);
  moved_at = g_get_monotonic_time ();
  g_assert_true (wait_done (&runner, 10000));
  g_thread_join (thread);
  size_at_end = size_of (moved_part);

  g_test_message ("%u connections: failed %.0f ms after the move: %s", connections,
                  (runner.finished_at - moved_at) / 1000.0, runner.result->error->message);
  g_assert_error (runner.result->error, HAUL_ERROR, HAUL_ERROR_FOLDER_GONE);
  g_assert_nonnull (strstr (runner.result->error->message, "Downloads"));
  g_assert_cmpint (runner.finished_at - moved_at, <, 2 * G_USEC_PER_SEC);

  /* The file went with its folder and stops growing; the old path holds
   * nothing (no folder made again, no file claimed there). */
  g_assert_cmpint (size_at_end, >, 0);
  g_usleep (500 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (size_of (moved_part), ==, size_at_end);
  g_assert_false (g_file_test (f->folder, G_FILE_TEST_EXISTS));
  {
    g_autofree char *claimed = g_build_filename (moved, "g.bin", NULL);

    g_assert_false (g_file_test (claimed, G_FILE_TEST_EXISTS));
  }
  runner_clear (&runner);
}

/* The same with the folder deleted, file and all. */
static void
test_folder_removed (Fixture       *f,
                     gconstpointer  data)
{
  Runner runner = { 0 };
  GThread *thread = start (f, &runner, 1);
  gint64 removed_at;

  haul_test_remove_tree (f->folder);
  removed_at = g_get_monotonic_time ();
  g_assert_true (wait_done (&runner, 10000));
  g_thread_join (thread);

  g_test_message ("failed %.0f ms after the removal: %s",
                  (runner.finished_at - removed_at) / 1000.0, runner.result->error->message);
  g_assert_error (runner.result->error, HAUL_ERROR, HAUL_ERROR_FOLDER_GONE);
  g_assert_cmpint (runner.finished_at - removed_at, <, 2 * G_USEC_PER_SEC);
  g_assert_false (g_file_test (f->folder, G_FILE_TEST_EXISTS));
  runner_clear (&runner);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, n) \
  g_test_add ("/haul/engine/gone/" path, Fixture, GUINT_TO_POINTER (n), fixture_setup, func, \
              fixture_teardown)
  ADD ("partial-deleted", test_partial_deleted, 1);
  ADD ("partial-deleted-segmented", test_partial_deleted, 4);
  ADD ("folder-moved", test_folder_moved, 1);
  ADD ("folder-moved-segmented", test_folder_moved, 4);
  ADD ("folder-removed", test_folder_removed, 1);
#undef ADD

  return g_test_run ();
}
