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
 *
 * The same on 8 connections: a 4 MiB download in pieces on a 4 MiB tmpfs
 * half filled. Every piece it recorded holds the body's bytes, the
 * pieces add up to what the row shows, and the retry ends byte-exact.
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

typedef struct
{
  gboolean    restart;      /* the queue is closed and opened again before the retry */
  gboolean    segmented;    /* 8 connections on a file in pieces */
  gsize       file_size;
  const char *disk_size;    /* the tmpfs's */
  gsize       filler_size;
} Params;

static const Params one_connection = { FALSE, FALSE, FILE_SIZE, "2m", FILLER_SIZE };
static const Params one_connection_restart = { TRUE, FALSE, FILE_SIZE, "2m", FILLER_SIZE };
static const Params in_pieces = { FALSE, TRUE, 4 * FILE_SIZE, "4m", 2 * FILE_SIZE };
static const Params in_pieces_restart = { TRUE, TRUE, 4 * FILE_SIZE, "4m", 2 * FILE_SIZE };

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
  const Params   *params;
} Fixture;

static void
open_queue (Fixture *fixture)
{
  haul_test_open_queue (fixture->db_path, &fixture->store, &fixture->queue);
  if (fixture->params->segmented)
    g_object_set (fixture->queue, "connections-per-download", 8, NULL);
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

  fixture->params = data;
  fixture->server = haul_test_server_new ();
  fixture->body = haul_test_make_bytes (fixture->params->file_size, 5);
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
  g_autofree char *options = g_strdup_printf ("size=%s,mode=0755", fixture->params->disk_size);

  if (private_mounts_error != NULL)
    {
      g_autofree char *reason =
        g_strdup_printf ("needs a private mount namespace (root) to mount a small tmpfs: %s",
                         private_mounts_error);

      g_test_skip (reason);
      return FALSE;
    }
  if (mount ("haul-test", fixture->folder, "tmpfs", MS_NOSUID | MS_NODEV, options) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("mounting a tmpfs failed: %s", g_strerror (errno));

      g_test_skip (reason);
      return FALSE;
    }
  fixture->mounted = TRUE;

  filler = haul_test_make_bytes (fixture->params->filler_size, 6);
  g_file_set_contents (fixture->filler, g_bytes_get_data (filler, NULL),
                       fixture->params->filler_size, &error);
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
  const guint8 *body = g_bytes_get_data (fixture->body, NULL);
  const HaulResumeState *state = haul_download_get_resume_state (download);
  gint64 confirmed = haul_download_get_confirmed (download);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_nonnull (partial);
  g_assert_true (g_file_get_contents (partial, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 0);
  g_assert_cmpint (confirmed, <, (gint64) fixture->params->file_size);
  if (state->pieces == NULL)
    {
      /* One connection: the file is the body's first bytes. */
      g_assert_cmpuint (length, <, fixture->params->file_size);
      g_assert_cmpint (confirmed, <=, (gint64) length);
      g_assert_cmpmem (contents, length, body, length);
      return length;
    }

  /* In pieces: what each piece says it holds is there, and the pieces'
   * sum is what the row says. */
  g_assert_true (fixture->params->segmented);
  {
    gint64 sum = 0;

    for (guint i = 0; i < state->pieces->len; i++)
      {
        const HaulPiece *piece = &g_array_index (state->pieces, HaulPiece, i);

        g_assert_cmpint (piece->start + piece->done, <=, (gint64) length);
        g_assert_cmpmem (contents + piece->start, piece->done, body + piece->start, piece->done);
        sum += piece->done;
      }
    g_assert_cmpint (sum, ==, confirmed);
    g_test_message ("%u pieces hold %" G_GINT64_FORMAT " bytes", state->pieces->len, sum);
  }
  return length;
}

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  gboolean restart = fixture->params->restart;
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
  if (confirmed > 0 && !fixture->params->segmented)
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

  g_test_add ("/haul/engine/disk-full/retry", Fixture, &one_connection,
              fixture_setup, test_disk_full, fixture_teardown);
  g_test_add ("/haul/engine/disk-full/restart-then-retry", Fixture, &one_connection_restart,
              fixture_setup, test_disk_full, fixture_teardown);
  g_test_add ("/haul/engine/disk-full/pieces/retry", Fixture, &in_pieces,
              fixture_setup, test_disk_full, fixture_teardown);
  g_test_add ("/haul/engine/disk-full/pieces/restart-then-retry", Fixture, &in_pieces_restart,
              fixture_setup, test_disk_full, fixture_teardown);

  return g_test_run ();
}
