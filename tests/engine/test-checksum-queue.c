/* test-checksum-queue.c: what a download shows of its checksum, through the
 * queue and the built-in engine, against real servers and a real store
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "haul-checksum.h"
#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-queue-private.h"
#include "haul-test-server.h"

#define KiB 1024
#define MiB (1024 * 1024)

/* How long a download may take to reach a state. */
#define WAIT_MS 30000

typedef struct
{
  HaulTestServer *server;
  char           *dir;
  char           *db;
  HaulStore      *store;
  HaulQueue      *queue;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = haul_test_server_new ();
  f->dir = haul_test_make_tmpdir ();
  f->db = g_build_filename (f->dir, "db", "downloads.db", NULL);
  haul_test_open_queue (f->db, &f->store, &f->queue);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->queue != NULL)
    haul_test_close_queue (&f->store, &f->queue);
  haul_test_server_free (f->server);
  haul_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static HaulDownload *
add_with (Fixture                *f,
          const char             *path,
          const HaulChecksumSpec *spec)
{
  g_autofree char *uri = haul_test_server_uri (f->server, path);
  g_autoptr(GError) error = NULL;
  HaulAddOptions options = { .checksum = spec };
  HaulDownload *download = haul_queue_add_full (f->queue, uri, f->dir, &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (download);
  return download;
}

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* Typed: pending while it downloads, verified at the end, kept in the
 * store across a restart. */
static void
test_verified (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB + 7, 1);
  g_autoptr(HaulChecksumSpec) spec = haul_test_checksum_spec_for (G_CHECKSUM_SHA256, body);
  HaulTestFileOptions slow = { .bytes_per_second = 2 * MiB };
  g_autoptr(GPtrArray) loaded = NULL;
  g_autofree char *described = NULL;
  HaulDownload *download;
  gint64 id;

  haul_test_server_add_file (f->server, "/v.iso", body, &slow);
  download = add_with (f, "/v.iso", spec);
  g_assert_cmpint (haul_download_get_checksum_state (download), ==, HAUL_CHECKSUM_PENDING);
  g_assert_true (haul_checksum_spec_equal (haul_download_get_checksum (download), spec));
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_DOWNLOADING, WAIT_MS));
  g_assert_cmpint (haul_download_get_checksum_state (download), ==, HAUL_CHECKSUM_PENDING);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  g_assert_cmpint (haul_download_get_checksum_state (download), ==, HAUL_CHECKSUM_VERIFIED);
  g_assert_cmpfloat (haul_download_get_checksum_progress (download), ==, 1.0);

  described = haul_checksum_spec_describe_verified (haul_download_get_checksum (download));
  g_assert_cmpstr (described, ==, "SHA-256 verified");

  id = haul_download_get_id (download);
  haul_test_close_queue (&f->store, &f->queue);
  haul_test_open_queue (f->db, &f->store, &f->queue);
  download = haul_queue_lookup (f->queue, id);
  g_assert_nonnull (download);
  g_assert_cmpint (haul_download_get_checksum_state (download), ==, HAUL_CHECKSUM_VERIFIED);
  g_assert_true (haul_checksum_spec_equal (haul_download_get_checksum (download), spec));
}

/* A wrong checksum: failed, named so, no final file; Download Again
 * (Retry) starts from zero and verifies the right bytes. */
static void
test_mismatch_then_again (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (300 * KiB, 2);
  g_autoptr(HaulChecksumSpec) spec = haul_test_checksum_spec_for (G_CHECKSUM_SHA256, body);
  g_autofree char *final = path_in (f, "m.bin");
  g_autofree char *partial = path_in (f, "m.bin.part");
  g_autofree guint8 *bad = g_memdup2 (g_bytes_get_data (body, NULL), 300 * KiB);
  g_autoptr(GBytes) bad_body = NULL;
  HaulDownload *download;

  bad[1000] ^= 1;
  bad_body = g_bytes_new (bad, 300 * KiB);
  haul_test_server_add_file (f->server, "/m.bin", bad_body, NULL);
  download = add_with (f, "/m.bin", spec);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_FAILED, WAIT_MS));
  g_assert_cmpint (haul_download_get_error_code (download), ==, HAUL_ERROR_CHECKSUM_MISMATCH);
  g_assert_true (g_str_has_prefix (haul_download_get_error_message (download),
                                   "The checksum does not match: expected "));
  g_assert_cmpint (haul_download_get_checksum_state (download), ==, HAUL_CHECKSUM_MISMATCH);
  g_assert_false (g_file_test (final, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (partial, G_FILE_TEST_EXISTS));
  /* Not a temporary failure: no retry by itself. */
  g_assert_cmpint (haul_download_get_waiting (download), ==, HAUL_WAITING_NONE);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/m.bin"), ==, 1);

  haul_test_server_add_file (f->server, "/m.bin", body, NULL);
  haul_queue_retry (f->queue, download);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  g_assert_cmpint (haul_download_get_checksum_state (download), ==, HAUL_CHECKSUM_VERIFIED);
  g_assert_true (haul_test_file_equals (final, body));
  /* From zero: the whole body again, no range. */
  {
    g_autofree char *headers = haul_test_server_get_last_request_headers (f->server, "/m.bin");

    g_assert_null (strstr (headers, "Range:"));
  }
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
}

/* Several connections: the file is hashed after the last byte, the state
 * says so, checksum-progress climbs to 1 and received never goes back. */
typedef struct
{
  gboolean saw_verifying;
  double   last_progress;
  gboolean progress_went_back;
  gint64   last_received;
  gboolean received_went_back;
} Watch;

static void
on_checksum_state (HaulDownload *download,
                   GParamSpec   *pspec,
                   Watch        *watch)
{
  if (haul_download_get_checksum_state (download) == HAUL_CHECKSUM_VERIFYING)
    watch->saw_verifying = TRUE;
}

static void
on_checksum_progress (HaulDownload *download,
                      GParamSpec   *pspec,
                      Watch        *watch)
{
  double progress = haul_download_get_checksum_progress (download);

  if (progress < watch->last_progress && progress != 0)
    watch->progress_went_back = TRUE;
  watch->last_progress = progress;
}

static void
on_received (HaulDownload *download,
             GParamSpec   *pspec,
             Watch        *watch)
{
  gint64 received = haul_download_get_received (download);

  if (received < watch->last_received)
    watch->received_went_back = TRUE;
  watch->last_received = received;
}

static void
test_verifying_progress (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (96 * MiB, 3);
  g_autoptr(HaulChecksumSpec) spec = haul_test_checksum_spec_for (G_CHECKSUM_SHA512, body);
  HaulTestFileOptions options = { .etag = "\"big\"" };
  Watch watch = { 0 };
  HaulDownload *download;

  g_object_set (f->queue, "connections-per-download", 4, NULL);
  haul_test_server_add_file (f->server, "/big.bin", body, &options);
  download = add_with (f, "/big.bin", spec);
  g_signal_connect (download, "notify::checksum-state", G_CALLBACK (on_checksum_state), &watch);
  g_signal_connect (download, "notify::checksum-progress", G_CALLBACK (on_checksum_progress),
                    &watch);
  g_signal_connect (download, "notify::received", G_CALLBACK (on_received), &watch);

  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  g_assert_true (watch.saw_verifying);
  g_assert_false (watch.progress_went_back);
  g_assert_false (watch.received_went_back);
  g_assert_cmpfloat (watch.last_progress, ==, 1.0);
  g_assert_cmpint (haul_download_get_received (download), ==, 96 * MiB);
  g_assert_cmpint (haul_download_get_checksum_state (download), ==, HAUL_CHECKSUM_VERIFIED);
  g_signal_handlers_disconnect_by_data (download, &watch);
}

/* Found in a header: the download shows it (source and all), and keeps it
 * in the store. */
static void
test_found_recorded (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (200 * KiB, 4);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autofree char *b64 = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *uri = haul_test_server_uri (f->server, "/h.bin");
  g_autofree char *source = NULL;
  g_autoptr(GError) error = NULL;
  HaulTestFileOptions options = { 0 };
  HaulDownload *download;
  gint64 id;

  g_checksum_update (checksum, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_checksum_get_digest (checksum, digest, &length);
  b64 = g_base64_encode (digest, length);
  headers = g_strdup_printf ("Repr-Digest: sha-256=:%s:\n", b64);
  options.headers = headers;
  haul_test_server_add_file (f->server, "/h.bin", body, &options);

  download = haul_queue_add (f->queue, uri, f->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (haul_download_get_checksum_state (download), ==, HAUL_CHECKSUM_NONE);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  g_assert_cmpint (haul_download_get_checksum_state (download), ==, HAUL_CHECKSUM_VERIFIED);
  g_assert_cmpint (haul_checksum_spec_get_source (haul_download_get_checksum (download)), ==,
                   HAUL_CHECKSUM_SOURCE_REPR_DIGEST);
  source = haul_checksum_spec_describe_source (haul_download_get_checksum (download));
  g_assert_nonnull (strstr (source, "Repr-Digest"));

  id = haul_download_get_id (download);
  haul_test_close_queue (&f->store, &f->queue);
  haul_test_open_queue (f->db, &f->store, &f->queue);
  download = haul_queue_lookup (f->queue, id);
  g_assert_cmpint (haul_download_get_checksum_state (download), ==, HAUL_CHECKSUM_VERIFIED);
  g_assert_cmpint (haul_checksum_spec_get_source (haul_download_get_checksum (download)), ==,
                   HAUL_CHECKSUM_SOURCE_REPR_DIGEST);
}

/* Rule 8g of haul-transfer-checksum.c: many files of one folder ask for
 * the folder's checksum files once, whatever the answer. */
#define N_FOLDER 64

static GPtrArray *
add_folder (Fixture    *f,
            const char *folder,
            GBytes     *body)
{
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GPtrArray *downloads;

  for (guint i = 0; i < N_FOLDER; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/f-%02u.bin", folder, i);

      haul_test_server_add_file (f->server, path, body, NULL);
      g_ptr_array_add (uris, haul_test_server_uri (f->server, path));
    }
  g_ptr_array_add (uris, NULL);
  haul_queue_set_max_active (f->queue, 8);
  downloads = haul_queue_add_many (f->queue, (const char * const *) uris->pdata, f->dir, NULL,
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpuint (downloads->len, ==, N_FOLDER);
  return downloads;
}

static void
test_folder_absent_once (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB, 9);
  g_autoptr(GPtrArray) downloads = add_folder (f, "/many", body);

  for (guint i = 0; i < downloads->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (downloads, i);

      g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
      g_assert_cmpint (haul_download_get_checksum_state (download), ==, HAUL_CHECKSUM_NONE);
    }
  /* Eight starting together wait for the first one's answer. */
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/many/SHA256SUMS"), ==, 1);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/many/SHA512SUMS"), ==, 1);
  /* A file's own checksum file is its own: asked for by each. */
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/many/f-00.bin.sha256"), ==, 1);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/many/f-63.bin.sha512"), ==, 1);
}

static GBytes *
sums_for (GBytes   *body,
          guint     n,
          gboolean  wrong_first)
{
  g_autofree char *hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      if (i == 0 && wrong_first)
        g_string_append_printf (text, "%064u  f-%02u.bin\n", 0, i);
      else
        g_string_append_printf (text, "%s  f-%02u.bin\n", hex, i);
    }
  return g_string_free_to_bytes (text);
}

static void
test_folder_list_once (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB, 10);
  g_autoptr(GBytes) sums = sums_for (body, N_FOLDER, FALSE);
  g_autoptr(GPtrArray) downloads = NULL;

  haul_test_server_add_file (f->server, "/rel/SHA256SUMS", sums, NULL);
  downloads = add_folder (f, "/rel", body);
  for (guint i = 0; i < downloads->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (downloads, i);

      g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
      g_assert_cmpint (haul_download_get_checksum_state (download), ==, HAUL_CHECKSUM_VERIFIED);
    }
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/rel/SHA256SUMS"), ==, 1);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/rel/SHA512SUMS"), ==, 0);
}

/* A file that does not match the shared list drops it: after the list is
 * corrected on the server, the next file of the folder asks again. */
static void
test_folder_list_forgotten (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB, 11);
  g_autoptr(GBytes) wrong = sums_for (body, 2, TRUE);
  g_autoptr(GBytes) right = sums_for (body, 2, FALSE);
  g_autofree char *uri0 = haul_test_server_uri (f->server, "/fix/f-00.bin");
  g_autofree char *uri1 = haul_test_server_uri (f->server, "/fix/f-01.bin");
  g_autoptr(GError) error = NULL;
  HaulDownload *first;
  HaulDownload *second;

  haul_test_server_add_file (f->server, "/fix/f-00.bin", body, NULL);
  haul_test_server_add_file (f->server, "/fix/f-01.bin", body, NULL);
  haul_test_server_add_file (f->server, "/fix/SHA256SUMS", wrong, NULL);
  first = haul_queue_add (f->queue, uri0, f->dir, &error);
  g_assert_no_error (error);
  g_assert_true (haul_test_wait_state (first, HAUL_DOWNLOAD_FAILED, WAIT_MS));
  g_assert_cmpint (haul_download_get_error_code (first), ==, HAUL_ERROR_CHECKSUM_MISMATCH);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/fix/SHA256SUMS"), ==, 1);

  /* The next file of the folder asks again, and gets the new list. */
  haul_test_server_add_file (f->server, "/fix/SHA256SUMS", right, NULL);
  second = haul_queue_add (f->queue, uri1, f->dir, &error);
  g_assert_no_error (error);
  g_assert_true (haul_test_wait_state (second, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  g_assert_cmpint (haul_download_get_checksum_state (second), ==, HAUL_CHECKSUM_VERIFIED);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/fix/SHA256SUMS"), ==, 2);

  /* Download Again on the first: the server's checksum is looked for
   * again (it was corrected), not the wrong one kept. */
  haul_queue_retry (f->queue, first);
  g_assert_true (haul_test_wait_state (first, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  g_assert_cmpint (haul_download_get_checksum_state (first), ==, HAUL_CHECKSUM_VERIFIED);
  {
    g_autofree char *final = path_in (f, "f-00.bin");

    g_assert_true (haul_test_file_equals (final, body));
  }
}


int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/checksum-queue/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)
  ADD ("verified", test_verified);
  ADD ("mismatch-then-again", test_mismatch_then_again);
  ADD ("verifying-progress", test_verifying_progress);
  ADD ("found-recorded", test_found_recorded);
  ADD ("folder-absent-once", test_folder_absent_once);
  ADD ("folder-list-once", test_folder_list_once);
  ADD ("folder-list-forgotten", test_folder_list_forgotten);
#undef ADD

  return g_test_run ();
}
