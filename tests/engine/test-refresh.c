/* test-refresh.c: a new address for a paused or failed download (an
 * expired link refreshed), against real servers and real files
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-queue-private.h"
#include "haul-test-server.h"
#include "queue-fixture.h"

/* How long a download may take to reach a state. */
#define WAIT_MS 30000

static gboolean
confirmed_enough (gpointer data)
{
  return haul_download_get_confirmed (data) >= 256 * KiB;
}

static char *
uri_of (Fixture    *f,
        const char *path)
{
  return haul_test_server_uri (f->server, path);
}

/* A download of @path (served slowly) paused once some bytes are
 * recorded on disk. */
static HaulDownload *
paused_download (Fixture                   *f,
                 const char                *path,
                 GBytes                    *body,
                 const HaulTestFileOptions *options)
{
  HaulTestFileOptions slow = *options;
  g_autofree char *uri = uri_of (f, path);
  g_autoptr(GError) error = NULL;
  HaulDownload *download;

  slow.bytes_per_second = MiB;
  haul_test_server_add_file (f->server, path, body, &slow);
  download = haul_queue_add (f->queue, uri, f->dir, &error);
  g_assert_no_error (error);
  g_assert_true (haul_test_wait_for (confirmed_enough, download, 20000));
  haul_queue_pause (f->queue, download);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_PAUSED, WAIT_MS));
  g_assert_cmpint (haul_download_get_confirmed (download), <, g_bytes_get_size (body));
  return download;
}

typedef struct
{
  gboolean          done;
  gboolean          ok;
  HaulAddressCheck  check;
  GError           *error;
} Answer;

static void
changed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Answer *answer = data;

  answer->ok = haul_queue_change_address_finish (HAUL_QUEUE (source), result, &answer->check,
                                                 &answer->error);
  answer->done = TRUE;
}

static Answer
change_address (Fixture      *f,
                HaulDownload *download,
                const char   *path)
{
  g_autofree char *uri = uri_of (f, path);
  Answer answer = { 0 };

  haul_queue_change_address_async (f->queue, download, uri, NULL, changed_cb, &answer);
  g_assert_true (haul_test_spin_until (&answer.done, 20000));
  return answer;
}

static void
assert_range_from (Fixture    *f,
                   const char *path,
                   gboolean    from_zero)
{
  g_autofree char *headers = haul_test_server_get_last_request_headers (f->server, path);

  if (from_zero)
    g_assert_null (strstr (headers, "Range:"));
  else
    {
      g_assert_nonnull (strstr (headers, "Range: bytes="));
      g_assert_null (strstr (headers, "Range: bytes=0-"));
    }
}

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* The signed link expired (403); the new one serves the same file (same
 * length and ETag, same bytes): taken, and it goes on from its bytes. */
static void
test_same_file (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * MiB + 5, 1);
  HaulTestFileOptions options = { .etag = "\"iso-1\"" };
  g_autofree char *final = path_in (f, "old");
  g_autofree char *new_uri = uri_of (f, "/new");
  HaulDownload *download = paused_download (f, "/old", body, &options);
  Answer answer;

  haul_test_server_add_status (f->server, "/old", 403);
  haul_queue_resume (f->queue, download);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_FAILED, WAIT_MS));
  g_assert_nonnull (strstr (haul_download_get_error_message (download), "403"));

  haul_test_server_add_file (f->server, "/new", body, &options);
  answer = change_address (f, download, "/new");
  g_assert_no_error (answer.error);
  g_assert_true (answer.ok);
  g_assert_cmpint (answer.check, ==, HAUL_ADDRESS_SAME_FILE);
  g_assert_cmpstr (haul_download_get_uri (download), ==, new_uri);
  g_assert_null (haul_download_get_error_message (download));

  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  /* Its name stays the one it had. */
  g_assert_true (haul_test_file_equals (final, body));
  assert_range_from (f, "/new", FALSE);
  g_assert_null (haul_download_get_notice (download));
}

/* Another file at the new address (other ETag): nothing changes; "start
 * again" then downloads the new one from zero. */
static void
test_different_file (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * MiB, 2);
  g_autoptr(GBytes) other = haul_test_make_bytes (2 * MiB, 3);
  HaulTestFileOptions options = { .etag = "\"a\"" };
  HaulTestFileOptions other_options = { .etag = "\"b\"" };
  g_autofree char *old_uri = uri_of (f, "/f.bin");
  g_autofree char *partial = path_in (f, "f.bin.part");
  g_autofree char *final = path_in (f, "f.bin");
  g_autoptr(GError) error = NULL;
  HaulDownload *download = paused_download (f, "/f.bin", body, &options);
  gint64 confirmed = haul_download_get_confirmed (download);
  Answer answer;

  haul_test_server_add_file (f->server, "/g/f.bin", other, &other_options);
  answer = change_address (f, download, "/g/f.bin");
  g_assert_no_error (answer.error);
  g_assert_cmpint (answer.check, ==, HAUL_ADDRESS_DIFFERENT_FILE);
  g_assert_cmpstr (haul_download_get_uri (download), ==, old_uri);
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_PAUSED);
  g_assert_cmpint (haul_download_get_confirmed (download), ==, confirmed);
  g_assert_true (g_file_test (partial, G_FILE_TEST_EXISTS));

  {
    g_autofree char *new_uri = uri_of (f, "/g/f.bin");

    g_assert_true (haul_queue_restart_with_address (f->queue, download, new_uri, &error));
    g_assert_no_error (error);
  }
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  g_assert_true (haul_test_file_equals (final, other));
  assert_range_from (f, "/g/f.bin", TRUE);
}

/* Neither ETag nor Last-Modified on either side: the 64 KiB before the
 * resume point decide. */
static void
test_no_validators_same (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * MiB, 4);
  HaulTestFileOptions none = { 0 };
  g_autofree char *final = path_in (f, "nv.bin");
  HaulDownload *download = paused_download (f, "/nv.bin", body, &none);
  Answer answer;

  haul_test_server_add_file (f->server, "/mirror/nv.bin", body, &none);
  answer = change_address (f, download, "/mirror/nv.bin");
  g_assert_no_error (answer.error);
  g_assert_cmpint (answer.check, ==, HAUL_ADDRESS_SAME_FILE);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  g_assert_true (haul_test_file_equals (final, body));
  assert_range_from (f, "/mirror/nv.bin", FALSE);
}

/* No validators and other bytes: another file; "keep both" adds it as a
 * new download beside the old one, which stays as it was. */
static void
test_no_validators_different (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * MiB, 5);
  g_autoptr(GBytes) other = haul_test_make_bytes (2 * MiB, 6);
  HaulTestFileOptions none = { 0 };
  g_autofree char *partial = path_in (f, "k.bin.part");
  g_autofree char *second = path_in (f, "k (1).bin");
  g_autofree char *new_uri = uri_of (f, "/other/k.bin");
  g_autoptr(GError) error = NULL;
  HaulDownload *download = paused_download (f, "/k.bin", body, &none);
  HaulDownload *both;
  Answer answer;

  haul_test_server_add_file (f->server, "/other/k.bin", other, &none);
  answer = change_address (f, download, "/other/k.bin");
  g_assert_no_error (answer.error);
  g_assert_cmpint (answer.check, ==, HAUL_ADDRESS_DIFFERENT_FILE);

  both = haul_queue_add_like (f->queue, download, new_uri, &error);
  g_assert_no_error (error);
  g_assert_nonnull (both);
  g_assert_true (both != download);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, 2);
  g_assert_true (haul_test_wait_state (both, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  g_assert_true (haul_test_file_equals (second, other));
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_PAUSED);
  g_assert_true (g_file_test (partial, G_FILE_TEST_EXISTS));
}

/* Another length: another file, whatever the validators say. */
static void
test_other_length (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * MiB, 7);
  g_autoptr(GBytes) longer = haul_test_make_bytes (2 * MiB + 1, 7);
  HaulTestFileOptions options = { .etag = "\"same\"" };
  HaulDownload *download = paused_download (f, "/l.bin", body, &options);
  Answer answer;

  haul_test_server_add_file (f->server, "/l2.bin", longer, &options);
  answer = change_address (f, download, "/l2.bin");
  g_assert_no_error (answer.error);
  g_assert_cmpint (answer.check, ==, HAUL_ADDRESS_DIFFERENT_FILE);
}

/* A server that sends the whole file to a range request: nothing can be
 * compared. */
static void
test_cannot_tell (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * MiB, 8);
  HaulTestFileOptions options = { .etag = "\"c\"" };
  HaulTestFileOptions no_ranges = { .etag = "\"c\"", .ignore_range = TRUE };
  HaulDownload *download = paused_download (f, "/c.bin", body, &options);
  Answer answer;

  haul_test_server_add_file (f->server, "/c2.bin", body, &no_ranges);
  answer = change_address (f, download, "/c2.bin");
  g_assert_no_error (answer.error);
  g_assert_cmpint (answer.check, ==, HAUL_ADDRESS_CANNOT_TELL);
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_PAUSED);
}

/* The new address fails too: the error, and nothing changes. A running
 * download is not given a new address; nor a bad one. */
static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * MiB, 9);
  HaulTestFileOptions options = { .etag = "\"e\"" };
  HaulTestFileOptions slow = { .etag = "\"e\"", .bytes_per_second = 256 * KiB };
  g_autofree char *old_uri = uri_of (f, "/e.bin");
  g_autofree char *running_uri = uri_of (f, "/run.bin");
  g_autoptr(GError) error = NULL;
  HaulDownload *download = paused_download (f, "/e.bin", body, &options);
  HaulDownload *running;
  Answer answer;

  haul_test_server_add_status (f->server, "/gone.bin", 404);
  answer = change_address (f, download, "/gone.bin");
  g_assert_false (answer.ok);
  g_assert_error (answer.error, HAUL_ERROR, HAUL_ERROR_HTTP);
  g_assert_nonnull (strstr (answer.error->message, "404"));
  g_clear_error (&answer.error);
  g_assert_cmpstr (haul_download_get_uri (download), ==, old_uri);

  answer = (Answer) { 0 };
  haul_queue_change_address_async (f->queue, download, "ftp://example.com/x", NULL, changed_cb,
                                   &answer);
  g_assert_true (haul_test_spin_until (&answer.done, 5000));
  g_assert_error (answer.error, HAUL_ERROR, HAUL_ERROR_INVALID_URL);
  g_clear_error (&answer.error);

  haul_test_server_add_file (f->server, "/run.bin", body, &slow);
  running = haul_queue_add (f->queue, running_uri, f->dir, &error);
  g_assert_no_error (error);
  g_assert_true (haul_test_wait_state (running, HAUL_DOWNLOAD_DOWNLOADING, WAIT_MS));
  answer = change_address (f, running, "/e.bin");
  g_assert_error (answer.error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&answer.error);
}

/* Several connections left pieces on disk: the last bytes of the longest
 * are compared, and it goes on in pieces. */
static void
test_pieces (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (8 * MiB, 10);
  HaulTestFileOptions options = { .etag = "\"p\"" };
  g_autofree char *final = path_in (f, "p.bin");
  HaulDownload *download;
  Answer answer;

  g_object_set (f->queue, "connections-per-download", 4, NULL);
  download = paused_download (f, "/p.bin", body, &options);
  g_assert_nonnull (haul_download_get_resume_state (download)->pieces);

  haul_test_server_add_file (f->server, "/p2.bin", body, &options);
  answer = change_address (f, download, "/p2.bin");
  g_assert_no_error (answer.error);
  g_assert_cmpint (answer.check, ==, HAUL_ADDRESS_SAME_FILE);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  g_assert_true (haul_test_file_equals (final, body));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/refresh/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("same-file", test_same_file);
  ADD ("different-file", test_different_file);
  ADD ("no-validators-same", test_no_validators_same);
  ADD ("no-validators-different", test_no_validators_different);
  ADD ("other-length", test_other_length);
  ADD ("cannot-tell", test_cannot_tell);
  ADD ("errors", test_errors);
  ADD ("pieces", test_pieces);
#undef ADD

  return g_test_run ();
}
