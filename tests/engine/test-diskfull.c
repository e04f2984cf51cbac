/* test-diskfull.c: a full disk fails cleanly, keeps its bytes, and resumes
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The download folder is a 2 MiB tmpfs mounted in a mount namespace of
 * this test's own (so nothing outside sees it and it cannot outlive the
 * test), two thirds filled by a filler file. A 1 MiB download fails with
 * "The disk is full", keeps its partial file; after the filler is deleted
 * a retry continues with a Range request and ends byte-exact.
 */

#include "config.h"

/* unshare() and CLONE_NEWNS */
#define _GNU_SOURCE 1

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>

#include <glib/gstdio.h>

#include "haul-download-private.h"
#include "haul-queue.h"
#include "haul-store.h"
#include "haul-test-server.h"

#define FILE_SIZE   (1024 * 1024)
#define FILLER_SIZE (1536 * 1024)
#define WAIT_MS     30000

/* Set in main() before any thread exists. */
static const char *private_mounts_error = "not tried";

typedef struct
{
  HaulTestServer *server;
  GBytes         *body;
  char           *tmpdir;
  char           *folder;    /* the small tmpfs */
  char           *filler;
  char           *db_path;
  gboolean        mounted;
  HaulStore      *store;
  HaulQueue      *queue;
} Fixture;

static void
open_queue (Fixture *fixture)
{
  haul_test_open_queue (fixture->db_path, &fixture->store, &fixture->queue);
}

static void
close_queue (Fixture *fixture)
{
  haul_test_close_queue (&fixture->store, &fixture->queue);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  HaulTestFileOptions options = { .etag = "\"big-1\"" };

  fixture->server = haul_test_server_new ();
  fixture->body = haul_test_make_bytes (FILE_SIZE, 5);
  haul_test_server_add_file (fixture->server, "/big.bin", fixture->body, &options);
  fixture->tmpdir = haul_test_make_tmpdir ();
  fixture->folder = g_build_filename (fixture->tmpdir, "small", NULL);
  fixture->filler = g_build_filename (fixture->folder, "filler", NULL);
  fixture->db_path = g_build_filename (fixture->tmpdir, "data", "downloads.db", NULL);
  g_assert_cmpint (g_mkdir (fixture->folder, 0755), ==, 0);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->queue != NULL)
    close_queue (fixture);
  if (fixture->mounted)
    umount2 (fixture->folder, MNT_DETACH);
  haul_test_remove_tree (fixture->tmpdir);
  haul_test_server_free (fixture->server);
  g_bytes_unref (fixture->body);
  g_free (fixture->tmpdir);
  g_free (fixture->folder);
  g_free (fixture->filler);
  g_free (fixture->db_path);
}

/* Mounts the small tmpfs and fills two thirds of it. */
static gboolean
make_small_disk (Fixture *fixture)
{
  g_autoptr(GBytes) filler = NULL;
  g_autoptr(GError) error = NULL;

  if (private_mounts_error != NULL)
    {
      g_autofree char *reason =
        g_strdup_printf ("needs a private mount namespace (root) to mount a small tmpfs: %s",
                         private_mounts_error);

      g_test_skip (reason);
      return FALSE;
    }
  if (mount ("haul-test", fixture->folder, "tmpfs", MS_NOSUID | MS_NODEV, "size=2m,mode=0755") != 0)
    {
      g_autofree char *reason = g_strdup_printf ("mounting a tmpfs failed: %s", g_strerror (errno));

      g_test_skip (reason);
      return FALSE;
    }
  fixture->mounted = TRUE;

  filler = haul_test_make_bytes (FILLER_SIZE, 6);
  g_file_set_contents (fixture->filler, g_bytes_get_data (filler, NULL), FILLER_SIZE, &error);
  g_assert_no_error (error);
  return TRUE;
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
assert_state (HaulDownload      *download,
              HaulDownloadState  state)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  guint wake = g_timeout_add (10, wake_cb, NULL);

  while (haul_download_get_state (download) != state && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);

  if (haul_download_get_state (download) != state)
    g_error ("state %d, expected %d (error: %s)", haul_download_get_state (download), state,
             haul_download_get_error_message (download));
}

static HaulDownload *
only_download (Fixture *fixture)
{
  g_autoptr(HaulDownload) download = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 1);
  download = g_list_model_get_item (G_LIST_MODEL (fixture->queue), 0);
  return download;  /* the queue keeps it alive */
}

/* The partial file holds the first bytes of the body, at least as many as
 * recorded. Returns its length. */
static gsize
assert_partial_kept (Fixture      *fixture,
                     HaulDownload *download)
{
  const char *partial = haul_download_get_partial_path (download);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_nonnull (partial);
  g_assert_true (g_file_get_contents (partial, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 0);
  g_assert_cmpuint (length, <, FILE_SIZE);
  g_assert_cmpint (haul_download_get_confirmed (download), <=, (gint64) length);
  g_assert_cmpmem (contents, length, g_bytes_get_data (fixture->body, NULL), length);
  return length;
}

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  gboolean restart = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *message = NULL;
  g_autofree char *path = NULL;
  g_autofree char *headers = NULL;
  HaulDownload *download;
  gint64 confirmed;

  if (!make_small_disk (fixture))
    return;

  open_queue (fixture);
  uri = haul_test_server_uri (fixture->server, "/big.bin");
  download = haul_queue_add (fixture->queue, uri, fixture->folder, &error);
  g_assert_no_error (error);

  assert_state (download, HAUL_DOWNLOAD_FAILED);
  message = g_strdup (haul_download_get_error_message (download));
  g_test_message ("message: %s", message);
  g_assert_nonnull (strstr (message, "The disk is full"));
  assert_partial_kept (fixture, download);
  g_assert_true (haul_download_can_retry (download));

  if (restart)
    {
      close_queue (fixture);
      open_queue (fixture);
      download = only_download (fixture);
      g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_FAILED);
      g_assert_cmpstr (haul_download_get_error_message (download), ==, message);
      assert_partial_kept (fixture, download);
    }
  confirmed = haul_download_get_confirmed (download);
  g_test_message ("confirmed before the retry: %" G_GINT64_FORMAT " bytes", confirmed);

  /* Space is freed; the user retries. */
  g_assert_cmpint (g_unlink (fixture->filler), ==, 0);
  haul_queue_retry (fixture->queue, download);
  assert_state (download, HAUL_DOWNLOAD_COMPLETED);

  path = haul_download_dup_path (download);
  g_assert_true (haul_test_file_equals (path, fixture->body));
  g_assert_null (haul_download_get_error_message (download));
  headers = haul_test_server_get_last_request_headers (fixture->server, "/big.bin");
  if (confirmed > 0)
    {
      g_autofree char *range = g_strdup_printf ("Range: bytes=%" G_GINT64_FORMAT "-", confirmed);

      g_assert_nonnull (strstr (headers, range));
    }
}

int
main (int   argc,
      char *argv[])
{
  /* Before any thread: a mount namespace of our own, mounts private to it. */
  private_mounts_error = haul_test_enter_private_mounts ();

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/haul/engine/disk-full/retry", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_disk_full, fixture_teardown);
  g_test_add ("/haul/engine/disk-full/restart-then-retry", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_disk_full, fixture_teardown);

  return g_test_run ();
}
