/* test-adopt.c: a browser's partial download taken over, against real
 * servers and real files (Firefox's NAME.part, Chromium's .crdownload)
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
#include "haul-test-server.h"
#include "queue-fixture.h"

typedef struct
{
  gboolean          done;
  HaulDownload     *download;
  HaulAddressCheck  check;
  GError           *error;
} Answer;

static void
adopted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Answer *answer = data;

  answer->download = haul_queue_adopt_finish (HAUL_QUEUE (source), result, &answer->check,
                                              &answer->error);
  answer->done = TRUE;
}

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* What the browser left: the first @size bytes of @body as @name. */
static char *
plant (Fixture    *f,
       const char *name,
       GBytes     *body,
       gsize       size)
{
  char *path = path_in (f, name);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (body, NULL), size, NULL));
  return path;
}

static Answer
adopt (Fixture              *f,
       const char           *partial,
       const char           *server_path,
       const HaulAddOptions *options)
{
  g_autofree char *uri = haul_test_server_uri (f->server, server_path);
  Answer answer = { 0 };

  haul_queue_adopt_async (f->queue, partial, uri, options, NULL, adopted_cb, &answer);
  g_assert_true (haul_test_spin_until (&answer.done, 20000));
  return answer;
}

static void
assert_continued (Fixture    *f,
                  Answer     *answer,
                  const char *server_path,
                  const char *final_name,
                  GBytes     *body,
                  gsize       kept)
{
  g_autofree char *final = path_in (f, final_name);
  g_autofree char *headers = NULL;
  g_autofree char *range = g_strdup_printf ("Range: bytes=%" G_GSIZE_FORMAT "-", kept);

  g_assert_no_error (answer->error);
  g_assert_cmpint (answer->check, ==, HAUL_ADDRESS_SAME_FILE);
  g_assert_nonnull (answer->download);
  g_assert_true (haul_test_wait_state (answer->download, HAUL_DOWNLOAD_COMPLETED, 30000));
  g_assert_true (haul_test_file_equals (final, body));
  g_assert_cmpstr (haul_download_get_file_name (answer->download), ==, final_name);
  /* It went on from the browser's bytes. */
  headers = haul_test_server_get_last_request_headers (f->server, server_path);
  if (kept < g_bytes_get_size (body))
    g_assert_nonnull (strstr (headers, range));
}

/* Firefox: "NAME.part", already what Haul calls it: taken over in place. */
static void
test_firefox_part (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (3 * MiB + 3, 1);
  HaulTestFileOptions options = { .etag = "\"ff\"" };
  g_autofree char *partial = plant (f, "big.iso.part", body, MiB);
  GStatBuf before;
  Answer answer;

  g_assert_cmpint (g_stat (partial, &before), ==, 0);
  haul_test_server_add_file (f->server, "/dl/big.iso", body, &options);
  answer = adopt (f, partial, "/dl/big.iso", NULL);
  g_assert_no_error (answer.error);
  g_assert_cmpstr (haul_download_get_partial_path (answer.download), ==, partial);
  g_assert_cmpint (haul_download_get_received (answer.download), ==, MiB);
  g_assert_cmpint (haul_download_get_total (answer.download), ==, 3 * MiB + 3);
  assert_continued (f, &answer, "/dl/big.iso", "big.iso", body, MiB);
  g_assert_cmpuint (count_files (f->dir), ==, 1);
}

/* A file called NAME beside Firefox's "NAME.part". Empty, it is Firefox's
 * placeholder, which only holds the name: it goes, and the download ends
 * as NAME. Holding a byte (@data), it is someone's file: kept as it is,
 * and the partial moves to the next free name. */
static void
test_firefox_beside_name (Fixture       *f,
                          gconstpointer  data)
{
  const char *beside = data;
  gboolean placeholder = *beside == '\0';
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * MiB, 2);
  g_autoptr(GBytes) theirs = g_bytes_new_static (beside, strlen (beside));
  HaulTestFileOptions options = { .last_modified = "Tue, 01 Dec 2026 10:00:00 GMT" };
  g_autofree char *name = plant (f, "big.iso", theirs, g_bytes_get_size (theirs));
  g_autofree char *partial = plant (f, "big.iso.part", body, 700 * KiB);
  g_autofree char *moved = path_in (f, "big (1).iso.part");
  Answer answer;

  haul_test_server_add_file (f->server, "/big.iso", body, &options);
  answer = adopt (f, partial, "/big.iso", NULL);
  g_assert_no_error (answer.error);
  g_assert_cmpstr (haul_download_get_partial_path (answer.download), ==,
                   placeholder ? partial : moved);
  assert_continued (f, &answer, "/big.iso", placeholder ? "big.iso" : "big (1).iso", body,
                    700 * KiB);
  g_assert_true (haul_test_file_equals (name, placeholder ? body : theirs));
  g_assert_cmpuint (count_files (f->dir), ==, placeholder ? 1 : 2);
}

/* Chromium: "Unconfirmed NNN.crdownload"; the server names the file. */
static void
test_chromium_unconfirmed (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (4 * MiB, 3);
  HaulTestFileOptions options = {
    .etag = "\"cr\"",
    .content_disposition = "attachment; filename=\"tool.tar.gz\"",
  };
  g_autofree char *partial = plant (f, "Unconfirmed 123456.crdownload", body, 1536 * KiB);
  g_autofree char *moved = path_in (f, "tool.tar.gz.part");
  Answer answer;

  haul_test_server_add_file (f->server, "/get", body, &options);
  answer = adopt (f, partial, "/get?id=7", NULL);
  g_assert_no_error (answer.error);
  g_assert_cmpstr (haul_download_get_partial_path (answer.download), ==, moved);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  assert_continued (f, &answer, "/get", "tool.tar.gz", body, 1536 * KiB);
  g_assert_cmpuint (count_files (f->dir), ==, 1);
}

/* Chromium: "NAME.crdownload", with the name the browser asked for. */
static void
test_chromium_named (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB + 100, 4);
  g_autofree char *partial = plant (f, "video.mp4.crdownload", body, 300 * KiB);
  HaulAddOptions options = { .file_name = "video.mp4", .referrer = "http://example.com/page" };
  g_autofree char *headers = NULL;
  Answer answer;

  /* No validators at all: the bytes prove it, then and on resume. */
  haul_test_server_add_file (f->server, "/v/123", body, NULL);
  answer = adopt (f, partial, "/v/123", &options);
  assert_continued (f, &answer, "/v/123", "video.mp4", body, 300 * KiB - 64 * KiB);
  headers = haul_test_server_get_last_request_headers (f->server, "/v/123");
  g_assert_nonnull (strstr (headers, "Referer: http://example.com/\n"));
}

/* Every byte was there already: it only takes its name. */
static void
test_whole (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (200 * KiB, 5);
  HaulTestFileOptions options = { .etag = "\"w\"" };
  g_autofree char *partial = plant (f, "w.bin.crdownload", body, 200 * KiB);
  Answer answer;

  haul_test_server_add_file (f->server, "/w.bin", body, &options);
  answer = adopt (f, partial, "/w.bin", NULL);
  assert_continued (f, &answer, "/w.bin", "w.bin", body, 200 * KiB);
  g_assert_cmpuint (count_files (f->dir), ==, 1);
}

/* Not the same bytes, longer than the server's file, or a server that
 * cannot send a part: no download, and the file is left as it was. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * MiB, 6);
  g_autoptr(GBytes) other = haul_test_make_bytes (2 * MiB, 7);
  g_autoptr(GBytes) other_longer = haul_test_make_bytes (2 * MiB + 1, 7);
  HaulTestFileOptions no_ranges = { .ignore_range = TRUE };
  g_autofree char *mismatch = plant (f, "a.bin.part", other, MiB);
  g_autofree char *longer = plant (f, "b.bin.crdownload", other_longer, 2 * MiB + 1);
  g_autofree char *plain = plant (f, "c.bin.part", body, MiB);
  g_autofree char *text = plant (f, "notes.txt", body, 10);
  Answer answer;

  haul_test_server_add_file (f->server, "/a.bin", body, NULL);
  haul_test_server_add_file (f->server, "/b.bin", other, NULL);
  haul_test_server_add_file (f->server, "/c.bin", body, &no_ranges);

  answer = adopt (f, mismatch, "/a.bin", NULL);
  g_assert_no_error (answer.error);
  g_assert_cmpint (answer.check, ==, HAUL_ADDRESS_DIFFERENT_FILE);
  g_assert_null (answer.download);

  answer = adopt (f, longer, "/b.bin", NULL);
  g_assert_no_error (answer.error);
  g_assert_cmpint (answer.check, ==, HAUL_ADDRESS_DIFFERENT_FILE);

  answer = adopt (f, plain, "/c.bin", NULL);
  g_assert_no_error (answer.error);
  g_assert_cmpint (answer.check, ==, HAUL_ADDRESS_CANNOT_TELL);

  answer = adopt (f, text, "/a.bin", NULL);
  g_assert_error (answer.error, HAUL_ERROR, HAUL_ERROR_FILE);
  g_clear_error (&answer.error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, 0);
  g_assert_cmpuint (count_files (f->dir), ==, 4);
  {
    g_autoptr(GBytes) kept = g_bytes_new_from_bytes (other, 0, MiB);

    g_assert_true (haul_test_file_equals (mismatch, kept));
  }
}

static gboolean
has_partial (gpointer data)
{
  const char *path = haul_download_get_partial_path (data);

  return path != NULL && g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Haul's own partial of a download in the list (dropped back on the
 * window): refused, so that no two downloads write one file. */
static void
test_own_partial (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (512 * KiB, 8);
  HaulTestFileOptions slow = { .etag = "\"own\"", .bytes_per_second = 256 * KiB };
  g_autofree char *uri = haul_test_server_uri (f->server, "/own.bin");
  g_autoptr(GError) error = NULL;
  g_autofree char *partial = NULL;
  HaulDownload *download;
  Answer answer;

  haul_test_server_add_file (f->server, "/own.bin", body, &slow);
  download = haul_queue_add (f->queue, uri, f->dir, &error);
  g_assert_no_error (error);
  g_assert_true (haul_test_wait_for (has_partial, download, 10000));
  partial = g_strdup (haul_download_get_partial_path (download));

  answer = adopt (f, partial, "/own.bin", NULL);
  g_assert_error (answer.error, HAUL_ERROR, HAUL_ERROR_FILE);
  g_clear_error (&answer.error);
  g_assert_null (answer.download);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, 1);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 30000));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/adopt/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("firefox-part", test_firefox_part);
  g_test_add ("/haul/engine/adopt/firefox-placeholder", Fixture, "", fixture_setup,
              test_firefox_beside_name, fixture_teardown);
  g_test_add ("/haul/engine/adopt/firefox-name-taken", Fixture, "x", fixture_setup,
              test_firefox_beside_name, fixture_teardown);
  ADD ("chromium-unconfirmed", test_chromium_unconfirmed);
  ADD ("chromium-named", test_chromium_named);
  ADD ("whole", test_whole);
  ADD ("refused", test_refused);
  ADD ("own-partial", test_own_partial);
#undef ADD

  return g_test_run ();
}
