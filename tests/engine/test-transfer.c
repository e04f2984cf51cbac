/* test-transfer.c: the worker side of a download, against real servers:
 * bodies, framing, HTTP errors, redirects, TLS
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "haul-error.h"
#include "haul-partial-file.h"
#include "haul-test-server.h"
#include "haul-test-tls.h"
#include "transfer-fixture.h"


/* Plain bodies ---------------------------------------------------------- */

static void
test_plain (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (3 * MiB + 17, 1);
  g_autofree char *uri = NULL;
  g_autofree char *headers = NULL;
  g_autoptr(HaulTransferResult) result = NULL;
  HaulProgressPhase phase;
  gint64 received;
  gint64 total;

  haul_test_server_add_file (f->server, "/dir/file.bin", body, NULL);
  uri = haul_test_server_uri (f->server, "/dir/file.bin");
  result = run_uri (f, uri);

  assert_completed (f, result, "file.bin", body);
  g_assert_cmpint (result->state->total, ==, g_bytes_get_size (body));
  g_assert_cmpstr (result->state->final_uri, ==, uri);
  g_assert_cmpstr (result->state->content_type, ==, "application/octet-stream");
  g_assert_null (result->notice);
  g_assert_cmpuint (count_files (f->dir), ==, 1);

  /* The progress cell saw it all. */
  g_assert_true (haul_progress_cell_take (f->cell, &phase, &received, &total));
  g_assert_cmpint (phase, ==, HAUL_PROGRESS_DOWNLOADING);
  g_assert_cmpint (received, ==, g_bytes_get_size (body));
  g_assert_cmpint (total, ==, g_bytes_get_size (body));

  /* As sent: identity only, and who we are. */
  headers = haul_test_server_get_last_request_headers (f->server, "/dir/file.bin");
  g_assert_nonnull (strstr (headers, "Accept-Encoding: identity\n"));
  g_assert_nonnull (strstr (headers, "User-Agent: Haul/" PACKAGE_VERSION));
  g_assert_null (strstr (headers, "Range"));
}

/* A file that completes before its first checkpoint: its data, its
 * folder entry (before the last record counts the bytes) and the rename
 * are flushed, nothing else (rule 2 of haul-partial-file.c): no flush of
 * the empty file, no flush of the folder at the create. The empty partial
 * is still recorded, with its identity, before a byte. */
static void
test_small_flushes (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB, 8);
  g_autofree char *uri = NULL;
  g_autoptr(HaulTransferResult) result = NULL;
  guint before;

  haul_test_server_add_file (f->server, "/small.bin", body, NULL);
  uri = haul_test_server_uri (f->server, "/small.bin");
  before = haul_partial_file_get_n_flushes ();
  result = run_uri (f, uri);
  assert_completed (f, result, "small.bin", body);
  g_assert_cmpuint (haul_partial_file_get_n_flushes () - before, ==, 3);
  /* Named before it exists, with its identity once it does, completed. */
  g_assert_cmpuint (f->n_checkpoints, >=, 3);
}

static void
test_chunked (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * MiB + 3, 2);
  HaulTestFileOptions options = { .chunked = TRUE };
  g_autofree char *uri = NULL;
  g_autoptr(HaulTransferResult) first = NULL;
  g_autoptr(HaulTransferResult) second = NULL;

  haul_test_server_add_file (f->server, "/chunked.bin", body, &options);
  uri = haul_test_server_uri (f->server, "/chunked.bin");
  first = run_uri (f, uri);
  assert_completed (f, first, "chunked.bin", body);
  g_assert_cmpint (first->state->total, ==, g_bytes_get_size (body));

  /* The session still works after a chunked body read below libsoup. */
  second = run_uri (f, uri);
  assert_completed (f, second, "chunked (1).bin", body);
}

static void
test_chunked_proper_raw (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (300 * KiB + 5, 3);
  g_autoptr(HaulTransferResult) result = NULL;
  RawScript script = { { chunked_reply (body, 7000, G_MAXSIZE, TRUE, TRUE) } };

  result = run_raw (f, &script, "/proper.bin");
  assert_completed (f, result, "proper.bin", body);
  g_assert_cmpint (result->state->total, ==, g_bytes_get_size (body));
  raw_script_clear (&script);
}

static void
test_chunked_cut_boundary (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (100 * KiB, 4);
  g_autoptr(HaulTransferResult) result = NULL;
  /* Cut exactly before a chunk-size line: libsoup calls this the end. */
  RawScript script = { { chunked_reply (body, 10 * KiB, 50 * KiB, FALSE, FALSE) } };

  result = run_raw (f, &script, "/cut.bin");
  g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_TRUNCATED);
  assert_kept_partial (f, result, body, 50 * KiB);
  raw_script_clear (&script);
}

static void
test_chunked_cut_mid_chunk (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (100 * KiB, 5);
  g_autoptr(GBytes) whole = chunked_reply (body, 10 * KiB, 50 * KiB, FALSE, FALSE);
  g_autoptr(HaulTransferResult) result = NULL;
  /* 50 KiB of chunks, then the size line and half of the next one. */
  GByteArray *cut = g_byte_array_new ();
  RawScript script = { { NULL } };

  g_byte_array_append (cut, g_bytes_get_data (whole, NULL), g_bytes_get_size (whole));
  g_byte_array_append (cut, (const guint8 *) "2800\r\n", 6);
  g_byte_array_append (cut, (const guint8 *) g_bytes_get_data (body, NULL) + 50 * KiB, 5 * KiB);
  script.replies[0] = g_byte_array_free_to_bytes (cut);

  result = run_raw (f, &script, "/cut.bin");
  g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_TRUNCATED);
  assert_kept_partial (f, result, body, 55 * KiB);
  raw_script_clear (&script);
}

static void
test_chunked_garbage_size (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (100 * KiB, 6);
  g_autoptr(GBytes) whole = chunked_reply (body, 10 * KiB, 30 * KiB, FALSE, FALSE);
  g_autoptr(HaulTransferResult) result = NULL;
  GByteArray *bad = g_byte_array_new ();
  RawScript script = { { NULL } };

  /* strtoul reads "zz" as 0, the last chunk, for libsoup. */
  g_byte_array_append (bad, g_bytes_get_data (whole, NULL), g_bytes_get_size (whole));
  g_byte_array_append (bad, (const guint8 *) "zz\r\n\r\n", 6);
  script.replies[0] = g_byte_array_free_to_bytes (bad);

  result = run_raw (f, &script, "/garbage.bin");
  g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_PROTOCOL);
  g_assert_nonnull (result->state->partial_path);
  g_assert_false (g_file_test (result->state->partial_path, G_FILE_TEST_EXISTS) == FALSE);
  g_assert_cmpuint (count_files (f->dir), ==, 1);
  raw_script_clear (&script);
}

static void
test_close_delimited (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (700 * KiB + 1, 7);
  g_autoptr(HaulTransferResult) result = NULL;
  RawScript script = { { reply_new ("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n",
                                    body, g_bytes_get_size (body)) } };

  result = run_raw (f, &script, "/eof.bin");
  assert_completed (f, result, "eof.bin", body);
  g_assert_cmpint (result->state->total, ==, g_bytes_get_size (body));
  raw_script_clear (&script);
}

/* No decoder: a "gzip" body is saved as sent (these bytes are not even
 * valid gzip, a decoder would choke on them). */
static void
test_no_decoding (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (100 * KiB, 32);
  g_autoptr(HaulTransferResult) result = NULL;
  RawScript script = { { reply_new ("HTTP/1.1 200 OK\r\nContent-Length: 102400\r\n"
                                    "Content-Encoding: gzip\r\nContent-Type: text/plain\r\n"
                                    "Connection: close\r\n\r\n",
                                    body, 100 * KiB) } };

  g_assert_false (soup_session_has_feature (f->session, SOUP_TYPE_CONTENT_DECODER));
  g_assert_false (soup_session_has_feature (f->session, SOUP_TYPE_CONTENT_SNIFFER));
  result = run_raw (f, &script, "/archive.tar.gz");
  assert_completed (f, result, "archive.tar.gz", body);
  g_assert_nonnull (strstr (script.heads[0], "Accept-Encoding: identity\r\n"));
  raw_script_clear (&script);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB, 8);
  g_autoptr(HaulTransferResult) result = NULL;
  RawScript script = { { reply_new ("HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n"
                                    "ETag: \"t1\"\r\nConnection: close\r\n\r\n",
                                    body, 512 * KiB) } };

  result = run_raw (f, &script, "/short.bin");
  g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_TRUNCATED);
  g_assert_cmpstr (result->error->message, ==,
                   "The connection closed after 512\u00a0KiB of 1\u00a0MiB");
  assert_kept_partial (f, result, body, 512 * KiB);
  g_assert_cmpstr (result->state->etag, ==, "\"t1\"");
  g_assert_cmpint (result->state->total, ==, MiB);
  /* The record says what is on disk. */
  g_assert_cmpint (f->last_confirmed, ==, 512 * KiB);
  g_assert_cmpstr (f->last_partial, ==, result->state->partial_path);
  raw_script_clear (&script);
}

static void
test_bad_content_length (Fixture       *f,
                         gconstpointer  data)
{
  const char *heads[] = {
    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Length: 20\r\nConnection: close\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 10, 20\r\nConnection: close\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: -5\r\nConnection: close\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\nConnection: close\r\n\r\n",
  };
  g_autoptr(GBytes) body = haul_test_make_bytes (20, 9);
  GLogLevelFlags fatal;

  /* libsoup 3.2.3 hands a negative Content-Length to a property that
   * refuses it, with a warning of its own: not fatal here. */
  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    {
      g_autoptr(HaulTransferResult) result = NULL;
      RawScript script = { { reply_new (heads[i], body, 20) } };

      fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
      result = run_raw (f, &script, "/len.bin");
      g_log_set_always_fatal (fatal);
      /* libsoup may refuse some of these itself: a protocol error too. */
      g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_PROTOCOL);
      g_assert_cmpuint (count_files (f->dir), ==, 0);
      raw_script_clear (&script);
    }

  /* Repeated but equal values are fine. */
  {
    g_autoptr(HaulTransferResult) result = NULL;
    RawScript script = { { reply_new ("HTTP/1.1 200 OK\r\nContent-Length: 20\r\n"
                                      "Content-Length: 20\r\nConnection: close\r\n\r\n",
                                      body, 20) } };

    result = run_raw (f, &script, "/len.bin");
    assert_completed (f, result, "len.bin", body);
    raw_script_clear (&script);
  }
}

static void
test_http_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(HaulTransferResult) missing = NULL;
  g_autoptr(HaulTransferResult) broken = NULL;
  g_autofree char *missing_uri = haul_test_server_uri (f->server, "/missing.iso");
  g_autofree char *broken_uri = haul_test_server_uri (f->server, "/broken.iso");

  haul_test_server_add_status (f->server, "/broken.iso", 500);
  missing = run_uri (f, missing_uri);
  broken = run_uri (f, broken_uri);

  g_assert_error (missing->error, HAUL_ERROR, HAUL_ERROR_HTTP);
  g_assert_cmpstr (missing->error->message, ==, "The server answered 404 Not Found");
  /* A 500 may pass: worth asking again later (the queue does). */
  g_assert_error (broken->error, HAUL_ERROR, HAUL_ERROR_SERVER_BUSY);
  g_assert_cmpstr (broken->error->message, ==, "The server answered 500 Internal Server Error");
  g_assert_cmpuint (broken->status, ==, 500);
  g_assert_null (missing->state->partial_path);
  /* The HTML error page was not saved anywhere. */
  g_assert_cmpuint (count_files (f->dir), ==, 0);
}

/* Redirects -------------------------------------------------------------- */

static void
test_redirect_chain (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (100 * KiB, 10);
  g_autofree char *uri = haul_test_server_uri (f->server, "/start");
  g_autofree char *final = haul_test_server_uri (f->server, "/files/final.tar.gz");
  g_autoptr(HaulTransferResult) result = NULL;

  haul_test_server_add_redirect (f->server, "/start", 301, "/hop1");
  haul_test_server_add_redirect (f->server, "/hop1", 302, "hop2");
  haul_test_server_add_redirect (f->server, "/hop2", 303, final);
  haul_test_server_add_redirect (f->server, "/files/final.tar.gz", 307, "/files/real.tar.gz?x=1");
  haul_test_server_add_file (f->server, "/files/real.tar.gz", body, NULL);

  result = run_uri (f, uri);
  assert_completed (f, result, "real.tar.gz", body);
  g_assert_true (g_str_has_suffix (result->state->final_uri, "/files/real.tar.gz?x=1"));
}

static void
test_redirect_loop (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *uri = haul_test_server_uri (f->server, "/a");
  g_autoptr(HaulTransferResult) result = NULL;

  haul_test_server_add_redirect (f->server, "/a", 302, "/b");
  haul_test_server_add_redirect (f->server, "/b", 302, "/a");
  result = run_uri (f, uri);
  g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_REDIRECT);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/a"), ==, 1);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/b"), ==, 1);
  g_assert_cmpuint (count_files (f->dir), ==, 0);
}

static void
test_redirect_too_many (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (10, 11);
  g_autofree char *uri = haul_test_server_uri (f->server, "/r0");
  g_autoptr(HaulTransferResult) ok = NULL;
  g_autoptr(HaulTransferResult) too_many = NULL;

  /* /r0 → … → /r10 → /file: 11 redirects. */
  for (guint i = 0; i <= 10; i++)
    {
      g_autofree char *from = g_strdup_printf ("/r%u", i);
      g_autofree char *to = i == 10 ? g_strdup ("/file") : g_strdup_printf ("/r%u", i + 1);

      haul_test_server_add_redirect (f->server, from, 302, to);
    }
  haul_test_server_add_file (f->server, "/file", body, NULL);

  too_many = run_uri (f, uri);
  g_assert_error (too_many->error, HAUL_ERROR, HAUL_ERROR_REDIRECT);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/file"), ==, 0);

  /* Exactly ten are fine. */
  g_free (uri);
  uri = haul_test_server_uri (f->server, "/r1");
  ok = run_uri (f, uri);
  assert_completed (f, ok, "file", body);
}

static void
test_redirect_scheme (Fixture       *f,
                      gconstpointer  data)
{
  const char *targets[] = { "ftp://127.0.0.1/file", "file:///etc/passwd", "data:,hello" };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *uri = haul_test_server_uri (f->server, "/to-other");
      g_autoptr(HaulTransferResult) result = NULL;

      haul_test_server_add_redirect (f->server, "/to-other", 302, targets[i]);
      result = run_uri (f, uri);
      g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_REDIRECT);
      g_assert_nonnull (strstr (result->error->message, targets[i]));
      g_assert_cmpuint (count_files (f->dir), ==, 0);
    }
}

/* Issue #8, item 1: a redirect to an empty host made libsoup return a
 * NULL message that the worker then used (a crash, again at every start
 * since the download was restored as queued). Each form now ends the
 * download with a redirect error. */
static void
test_redirect_empty_host (Fixture       *f,
                          gconstpointer  data)
{
  const char *targets[] = { "//", "http://", "https:///x", "http://:80/", "///x",
                            "http://[::0%%%]:88/" };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *uri = haul_test_server_uri (f->server, "/to-nowhere");
      g_autoptr(HaulTransferResult) result = NULL;

      g_test_message ("Location: %s", targets[i]);
      haul_test_server_add_redirect (f->server, "/to-nowhere", 301, targets[i]);
      result = run_uri (f, uri);
      g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_REDIRECT);
      g_assert_nonnull (strstr (result->error->message, "cannot be downloaded"));
      g_assert_cmpuint (count_files (f->dir), ==, 0);
    }
}

/* The fuzzer's reproducer, byte for byte: a reason phrase that is not
 * UTF-8 and "Location: //". */
static void
test_redirect_empty_host_raw (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(HaulTransferResult) result = NULL;
  RawScript script = { { reply_new ("HTTP/1.1 301 F\xa9" "d\r\nLocation: //\r\n"
                                    "Content-Length: 0\r\n\r\n", NULL, 0) } };

  result = run_raw (f, &script, "/fuzz");
  g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_REDIRECT);
  g_assert_true (g_utf8_validate (result->error->message, -1, NULL));
  g_assert_cmpuint (count_files (f->dir), ==, 0);
  raw_script_clear (&script);
}

static void
test_credentials_same_and_cross_origin (Fixture       *f,
                                        gconstpointer  data)
{
  HaulTestServer *other = haul_test_server_new ();
  g_autoptr(GBytes) body = haul_test_make_bytes (1000, 12);
  g_autofree char *other_uri = haul_test_server_uri (other, "/file.bin");
  g_autofree char *start = haul_test_server_uri (f->server, "/start");
  g_autofree char *with_user = NULL;
  g_autofree char *first_headers = NULL;
  g_autofree char *same_headers = NULL;
  g_autofree char *other_headers = NULL;
  g_autoptr(HaulTransferResult) result = NULL;

  /* user:secret@ → Basic dXNlcjpzZWNyZXQ= */
  with_user = g_strdup_printf ("http://user:secret@%s", start + strlen ("http://"));
  haul_test_server_add_redirect (f->server, "/start", 302, "/same");
  haul_test_server_add_redirect (f->server, "/same", 302, other_uri);
  haul_test_server_add_file (other, "/file.bin", body, NULL);

  result = run_uri (f, with_user);
  assert_completed (f, result, "file.bin", body);
  g_assert_null (strstr (result->state->final_uri, "secret"));

  first_headers = haul_test_server_get_last_request_headers (f->server, "/start");
  same_headers = haul_test_server_get_last_request_headers (f->server, "/same");
  other_headers = haul_test_server_get_last_request_headers (other, "/file.bin");
  g_assert_nonnull (strstr (first_headers, "Authorization: Basic dXNlcjpzZWNyZXQ=\n"));
  g_assert_nonnull (strstr (same_headers, "Authorization: Basic dXNlcjpzZWNyZXQ=\n"));
  g_assert_null (strstr (other_headers, "Authorization"));
  g_assert_null (strstr (other_headers, "secret"));

  /* An explicit Authorization header behaves the same. */
  {
    g_autoptr(HaulTransferJob) job = make_job (f, start);
    g_autoptr(HaulTransferResult) again = NULL;
    g_autofree char *h1 = NULL;
    g_autofree char *h2 = NULL;

    HaulRequestHeaders headers = { .authorization = (char *) "Bearer token-123" };

    job->headers = haul_request_headers_copy (&headers);
    again = haul_transfer_run (job, NULL);
    g_assert_no_error (again->error);
    h1 = haul_test_server_get_last_request_headers (f->server, "/start");
    h2 = haul_test_server_get_last_request_headers (other, "/file.bin");
    g_assert_nonnull (strstr (h1, "Authorization: Bearer token-123\n"));
    g_assert_null (strstr (h2, "token-123"));
  }

  haul_test_server_free (other);
}

/* TLS ------------------------------------------------------------------- */

static void
test_tls_untrusted (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *certdir = haul_test_make_tmpdir ();
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GBytes) body = haul_test_make_bytes (1000, 13);
  HaulTestServer *server;
  g_autofree char *uri = NULL;
  g_autoptr(HaulTransferResult) result = NULL;

  if (!haul_test_have_tls ())
    {
      g_test_skip ("glib-networking or certtool missing");
      haul_test_remove_tree (certdir);
      return;
    }

  certificate = haul_test_make_certificate (certdir, NULL);
  server = haul_test_server_new_tls (certificate);
  haul_test_server_add_file (server, "/secret.bin", body, NULL);
  uri = haul_test_server_uri (server, "/secret.bin");
  g_assert_true (g_str_has_prefix (uri, "https://"));

  result = run_uri (f, uri);
  g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_TLS);
  g_assert_nonnull (strstr (result->error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (result->error->message, "not signed by a known certificate authority"));
  g_assert_cmpuint (count_files (f->dir), ==, 0);
  g_assert_cmpuint (haul_test_server_get_n_requests (server, "/secret.bin"), ==, 0);

  haul_test_server_free (server);
  haul_test_remove_tree (certdir);
}

/* With the test's certificate trusted: HTTPS works, and a redirect down
 * to http is refused. */
static void
test_tls_trusted_no_downgrade (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *certdir = haul_test_make_tmpdir ();
  g_autofree char *cert_path = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GBytes) body = haul_test_make_bytes (200 * KiB, 14);
  g_autoptr(GError) error = NULL;
  HaulTestServer *server;
  g_autofree char *uri = NULL;
  g_autofree char *down = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(HaulTransferResult) ok = NULL;
  g_autoptr(HaulTransferResult) refused = NULL;

  if (!haul_test_have_tls ())
    {
      g_test_skip ("glib-networking or certtool missing");
      haul_test_remove_tree (certdir);
      return;
    }

  certificate = haul_test_make_certificate (certdir, &cert_path);
  database = g_tls_file_database_new (cert_path, &error);
  g_assert_no_error (error);
  soup_session_set_tls_database (f->session, database);

  server = haul_test_server_new_tls (certificate);
  haul_test_server_add_file (server, "/s.bin", body, NULL);
  uri = haul_test_server_uri (server, "/s.bin");
  ok = run_uri (f, uri);
  assert_completed (f, ok, "s.bin", body);

  /* Chunked over TLS goes through the strict decoder too. */
  {
    HaulTestFileOptions chunked = { .chunked = TRUE };
    g_autofree char *chunked_uri = haul_test_server_uri (server, "/c.bin");
    g_autoptr(HaulTransferResult) result = NULL;

    haul_test_server_add_file (server, "/c.bin", body, &chunked);
    result = run_uri (f, chunked_uri);
    assert_completed (f, result, "c.bin", body);
  }

  plain = haul_test_server_uri (f->server, "/plain.bin");
  haul_test_server_add_file (f->server, "/plain.bin", body, NULL);
  haul_test_server_add_redirect (server, "/down", 302, plain);
  down = haul_test_server_uri (server, "/down");
  refused = run_uri (f, down);
  g_assert_error (refused->error, HAUL_ERROR, HAUL_ERROR_REDIRECT);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/plain.bin"), ==, 0);

  haul_test_server_free (server);
  haul_test_remove_tree (certdir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/transfer/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("plain", test_plain);
  ADD ("small-flushes", test_small_flushes);
  ADD ("chunked", test_chunked);
  ADD ("chunked-proper", test_chunked_proper_raw);
  ADD ("chunked-cut", test_chunked_cut_boundary);
  ADD ("chunked-cut-mid-chunk", test_chunked_cut_mid_chunk);
  ADD ("chunked-garbage-size", test_chunked_garbage_size);
  ADD ("close-delimited", test_close_delimited);
  ADD ("no-decoding", test_no_decoding);
  ADD ("truncated", test_truncated);
  ADD ("content-length-conflict", test_bad_content_length);
  ADD ("http-error", test_http_errors);
  ADD ("redirect-chain", test_redirect_chain);
  ADD ("redirect-loop", test_redirect_loop);
  ADD ("redirect-too-many", test_redirect_too_many);
  ADD ("redirect-scheme", test_redirect_scheme);
  ADD ("redirect-empty-host", test_redirect_empty_host);
  ADD ("redirect-empty-host-raw", test_redirect_empty_host_raw);
  ADD ("credentials-cross-origin", test_credentials_same_and_cross_origin);
  ADD ("tls-untrusted", test_tls_untrusted);
  ADD ("tls-https-to-http", test_tls_trusted_no_downgrade);
#undef ADD

  return g_test_run ();
}
