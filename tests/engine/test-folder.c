/* test-folder.c: the folder under a running download moved or removed
 * (rule 10 of haul-transfer.c), real files and servers
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-queue-private.h"
#include "haul-transfer.h"
#include "haul-test-server.h"

#define KiB 1024
#define MiB (1024 * 1024)

typedef struct
{
  HaulTestServer *server;
  char           *top;      /* the test's own temporary folder */
  char           *dir;      /* top/Downloads: the one that goes away */
  char           *away;     /* top/Elsewhere: where it is moved to */
  HaulQueue      *queue;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = haul_test_server_new ();
  f->top = haul_test_make_tmpdir ();
  f->dir = g_build_filename (f->top, "Downloads", NULL);
  f->away = g_build_filename (f->top, "Elsewhere", NULL);
  g_assert_cmpint (g_mkdir (f->dir, 0700), ==, 0);
  f->queue = haul_queue_new (NULL);
  g_object_set (f->queue, "connections-per-download", 1, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  haul_queue_shutdown (f->queue);
  g_assert_finalize_object (f->queue);
  haul_test_server_free (f->server);
  haul_test_remove_tree (f->top);
  g_free (f->top);
  g_free (f->dir);
  g_free (f->away);
}

static gboolean
some_confirmed (gpointer data)
{
  return haul_download_get_confirmed (data) > 0;
}

/* Until a checkpoint recorded bytes on disk. */
static gboolean
wait_confirmed (HaulDownload *download)
{
  return haul_test_wait_for (some_confirmed, download, 20000);
}

static HaulDownload *
add (Fixture    *f,
     const char *path)
{
  return haul_test_queue_add (f->queue, f->server, path, f->dir);
}

/* A server that has gone quiet (no byte for longer than the test runs):
 * the folder's removal is still noticed within about two seconds, by the
 * watch rather than by a write. */
typedef struct
{
  HaulTransferJob    *job;
  HaulTransferResult *result;
  gint64              ended;
} Run;

static gpointer
run_thread (gpointer data)
{
  Run *run = data;

  run->result = haul_transfer_run (run->job, NULL);
  run->ended = g_get_monotonic_time ();
  return NULL;
}

static void
test_stalled_server (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (4 * MiB, 1);
  g_autoptr(SoupSession) session = haul_request_session_new (60);
  g_autoptr(HaulProgressCell) cell = haul_progress_cell_new (NULL, NULL);
  g_autofree char *uri = haul_test_server_uri (f->server, "/quiet.bin");
  HaulTestFileOptions options = { .etag = "\"q\"", .stall_after = 256 * KiB };
  Run run = { 0 };
  GThread *thread;
  gint64 moved;

  haul_test_server_add_file (f->server, "/quiet.bin", body, &options);
  run.job = haul_transfer_job_new (session, cell, uri, f->dir);
  thread = g_thread_new ("transfer", run_thread, &run);

  for (guint i = 0; i < 1000; i++)
    {
      gint64 received;

      haul_progress_cell_take (cell, NULL, &received, NULL);
      if (received >= 256 * KiB)
        break;
      g_usleep (10 * 1000);
    }
  /* The server sends nothing more now. */
  g_usleep (300 * 1000);
  g_assert_cmpint (g_rename (f->dir, f->away), ==, 0);
  moved = g_get_monotonic_time ();
  g_thread_join (thread);

  g_assert_error (run.result->error, HAUL_ERROR, HAUL_ERROR_FOLDER_GONE);
  g_assert_nonnull (strstr (run.result->error->message, "was moved or removed"));
  g_assert_nonnull (strstr (run.result->error->message, "Downloads"));
  g_assert_cmpint (run.ended - moved, <, 2500 * G_TIME_SPAN_MILLISECOND);
  haul_transfer_result_free (run.result);
  haul_transfer_job_free (run.job);
}

/* Removed while bytes arrive: failed (not retried into a wall), and Retry
 * makes the folder again, with the user's usual permissions, and starts
 * again from zero, saying so. */
static void
test_removed_then_retry (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (3 * MiB, 2);
  HaulTestFileOptions slow = { .etag = "\"r\"", .bytes_per_second = MiB };
  g_autofree char *final = g_build_filename (f->dir, "gone.bin", NULL);
  HaulDownload *download;
  GStatBuf st;
  gint64 removed;
  mode_t mask;

  haul_test_server_add_file (f->server, "/gone.bin", body, &slow);
  download = add (f, "/gone.bin");
  g_assert_true (wait_confirmed (download));
  haul_test_remove_tree (f->dir);
  removed = g_get_monotonic_time ();

  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_FAILED, 5000));
  g_assert_cmpint (g_get_monotonic_time () - removed, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (haul_download_get_error_code (download), ==, HAUL_ERROR_FOLDER_GONE);
  g_assert_nonnull (strstr (haul_download_get_error_message (download),
                            "was moved or removed"));
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));

  haul_test_server_add_file (f->server, "/gone.bin", body, NULL);
  haul_queue_retry (f->queue, download);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 20000));
  g_assert_true (haul_test_file_equals (final, body));
  g_assert_nonnull (strstr (haul_download_get_notice (download), "gone with its folder"));
  mask = umask (022);
  umask (mask);
  g_assert_cmpint (g_stat (f->dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0777 & ~mask);
}

/* Moved away and back before Retry: it goes on from the bytes it had. */
static void
test_moved_back (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (3 * MiB, 3);
  HaulTestFileOptions slow = { .etag = "\"m\"", .bytes_per_second = MiB };
  HaulTestFileOptions fast = { .etag = "\"m\"" };
  g_autofree char *final = g_build_filename (f->dir, "back.bin", NULL);
  g_autofree char *headers = NULL;
  HaulDownload *download;
  gint64 kept;

  haul_test_server_add_file (f->server, "/back.bin", body, &slow);
  download = add (f, "/back.bin");
  g_assert_true (wait_confirmed (download));
  g_assert_cmpint (g_rename (f->dir, f->away), ==, 0);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_FAILED, 5000));
  g_assert_cmpint (haul_download_get_error_code (download), ==, HAUL_ERROR_FOLDER_GONE);
  kept = haul_download_get_confirmed (download);
  g_assert_cmpint (kept, >, 0);

  g_assert_cmpint (g_rename (f->away, f->dir), ==, 0);
  haul_test_server_add_file (f->server, "/back.bin", body, &fast);
  haul_queue_retry (f->queue, download);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 20000));
  g_assert_true (haul_test_file_equals (final, body));
  g_assert_null (haul_download_get_notice (download));
  headers = haul_test_server_get_last_request_headers (f->server, "/back.bin");
  g_assert_nonnull (strstr (headers, "Range: bytes="));
  g_assert_null (strstr (headers, "Range: bytes=0-"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/folder/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("stalled-server", test_stalled_server);
  ADD ("removed-then-retry", test_removed_then_retry);
  ADD ("moved-back", test_moved_back);
#undef ADD

  return g_test_run ();
}
