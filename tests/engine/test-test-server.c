/* test-test-server.c: the shared fixtures behave like real servers
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <unistd.h>

#include "haul-test-server.h"

typedef struct
{
  guint    status;
  GBytes  *body;
  char    *content_range;
  char    *etag;
  SoupEncoding encoding;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->content_range, g_free);
  g_clear_pointer (&reply->etag, g_free);
}

static void
fetch (const char *uri,
       const char *range,
       const char *if_range,
       Reply      *reply)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (range != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Range", range);
  if (if_range != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Range", if_range);

  reply->body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  headers = soup_message_get_response_headers (msg);
  reply->status = soup_message_get_status (msg);
  reply->content_range = g_strdup (soup_message_headers_get_one (headers, "Content-Range"));
  reply->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  reply->encoding = soup_message_headers_get_encoding (headers);
}

static void
test_ranges (void)
{
  HaulTestServer *server = haul_test_server_new ();
  g_autoptr(GBytes) body = haul_test_make_bytes (100000, 7);
  g_autoptr(GBytes) tail = g_bytes_new_from_bytes (body, 1000, 99000);
  HaulTestFileOptions options = { .etag = "\"v1\"" };
  g_autofree char *uri = NULL;
  Reply reply = { 0 };
  gint64 deadline;

  haul_test_server_add_file (server, "/f", body, &options);
  uri = haul_test_server_uri (server, "/f");

  fetch (uri, NULL, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (g_bytes_equal (reply.body, body));
  g_assert_cmpstr (reply.etag, ==, "\"v1\"");
  reply_clear (&reply);

  fetch (uri, "bytes=1000-", "\"v1\"", &reply);
  g_assert_cmpuint (reply.status, ==, 206);
  g_assert_cmpstr (reply.content_range, ==, "bytes 1000-99999/100000");
  g_assert_true (g_bytes_equal (reply.body, tail));
  reply_clear (&reply);

  /* A stale validator gets the whole new file. */
  fetch (uri, "bytes=1000-", "\"v0\"", &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (g_bytes_equal (reply.body, body));
  reply_clear (&reply);

  fetch (uri, "bytes=100000-", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 416);
  g_assert_cmpstr (reply.content_range, ==, "bytes */100000");
  reply_clear (&reply);

  options.ignore_range = TRUE;
  haul_test_server_add_file (server, "/f", body, &options);
  fetch (uri, "bytes=1000-", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (g_bytes_equal (reply.body, body));
  reply_clear (&reply);

  g_assert_cmpuint (haul_test_server_get_n_requests (server, "/f"), ==, 5);
  /* The server finishes a response just after the client has it all. */
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (haul_test_server_get_in_flight (server) > 0 && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_assert_cmpuint (haul_test_server_get_in_flight (server), ==, 0);
  haul_test_server_free (server);
}

static void
test_chunked_throttled (void)
{
  HaulTestServer *server = haul_test_server_new ();
  g_autoptr(GBytes) body = haul_test_make_bytes (40000, 8);
  HaulTestFileOptions options = { .chunked = TRUE, .bytes_per_second = 100000 };
  g_autofree char *uri = NULL;
  Reply reply = { 0 };
  gint64 start;
  gint64 elapsed;

  haul_test_server_add_file (server, "/c", body, &options);
  uri = haul_test_server_uri (server, "/c");

  start = g_get_monotonic_time ();
  fetch (uri, NULL, NULL, &reply);
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpint (reply.encoding, ==, SOUP_ENCODING_CHUNKED);
  g_assert_true (g_bytes_equal (reply.body, body));
  /* 40 KB at 100 KB/s: at least ~0.3 s, at most a few. */
  g_assert_cmpint (elapsed, >=, 300 * 1000);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
  reply_clear (&reply);
  haul_test_server_free (server);
}

static void
test_abort_in_flight (void)
{
  HaulTestServer *server = haul_test_server_new ();
  g_autoptr(GBytes) body = haul_test_make_bytes (1000000, 9);
  HaulTestFileOptions options = { .bytes_per_second = 50000 };
  g_autofree char *uri = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  char buffer[1000];
  gint64 deadline;

  haul_test_server_add_file (server, "/slow", body, &options);
  uri = haul_test_server_uri (server, "/slow");
  msg = soup_message_new ("GET", uri);
  stream = soup_session_send (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_input_stream_read_all (stream, buffer, sizeof buffer, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (haul_test_server_get_in_flight (server), ==, 1);
  g_assert_cmpuint (haul_test_server_get_max_concurrent (server), ==, 1);

  /* Closing with a cancelled cancellable drops the connection. */
  g_cancellable_cancel (cancellable);
  g_input_stream_close (stream, cancellable, NULL);
  g_clear_object (&stream);
  g_clear_object (&session);

  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (haul_test_server_get_in_flight (server) > 0 && g_get_monotonic_time () < deadline)
    g_usleep (10000);
  g_assert_cmpuint (haul_test_server_get_in_flight (server), ==, 0);
  haul_test_server_free (server);
}

static void
test_redirect_status (void)
{
  HaulTestServer *server = haul_test_server_new ();
  g_autofree char *uri = haul_test_server_uri (server, "/r");
  g_autofree char *missing = haul_test_server_uri (server, "/nothing");
  g_autofree char *headers = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  Reply reply = { 0 };

  haul_test_server_add_redirect (server, "/r", 302, "/elsewhere");
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Probe", "42");
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Location"), ==, "/elsewhere");
  headers = haul_test_server_get_last_request_headers (server, "/r");
  g_assert_nonnull (strstr (headers, "X-Probe: 42\n"));

  fetch (missing, NULL, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 404);
  reply_clear (&reply);

  haul_test_server_add_status (server, "/boom", 500);
  g_free (missing);
  missing = haul_test_server_uri (server, "/boom");
  fetch (missing, NULL, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 500);
  g_assert_cmpuint (g_bytes_get_size (reply.body), >, 0);
  reply_clear (&reply);
  haul_test_server_free (server);
}

static void
raw_handler (GSocketConnection *connection,
             const char        *head,
             gpointer           user_data)
{
  const char *answer = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";

  g_assert_true (g_str_has_prefix (head, "GET /raw HTTP/1.1\r\n"));
  haul_test_raw_write (connection, answer, strlen (answer));
  g_atomic_int_inc ((gint *) user_data);
}

static void
test_raw (void)
{
  gint handled = 0;
  HaulTestRawServer *server = haul_test_raw_server_new (raw_handler, &handled);
  g_autofree char *uri = haul_test_raw_server_uri (server, "/raw");
  Reply reply = { 0 };

  fetch (uri, NULL, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpmem (g_bytes_get_data (reply.body, NULL), g_bytes_get_size (reply.body), "hello", 5);
  reply_clear (&reply);
  haul_test_raw_server_free (server);
  g_assert_cmpint (handled, ==, 1);
}

static void
test_helpers (void)
{
  g_autofree char *dir = haul_test_make_tmpdir ();
  g_autofree char *sub = g_build_filename (dir, "a", NULL);
  g_autofree char *file = g_build_filename (sub, "f", NULL);
  g_autofree char *link = g_build_filename (dir, "l", NULL);
  g_autoptr(GBytes) a = haul_test_make_bytes (1000, 1);
  g_autoptr(GBytes) b = haul_test_make_bytes (1000, 1);
  g_autoptr(GBytes) c = haul_test_make_bytes (1000, 2);
  gboolean never = FALSE;
  gint64 start;

  g_assert_true (g_bytes_equal (a, b));
  g_assert_false (g_bytes_equal (a, c));
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, g_bytes_get_data (a, NULL), 1000, NULL));
  g_assert_true (haul_test_file_equals (file, a));
  g_assert_false (haul_test_file_equals (file, c));
  /* A symlink out of the tree must not lead the removal outside. */
  g_assert_cmpint (symlink ("/", link), ==, 0);

  start = g_get_monotonic_time ();
  g_assert_false (haul_test_spin_until (&never, 100));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  haul_test_remove_tree (dir);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/test-server/ranges", test_ranges);
  g_test_add_func ("/haul/test-server/chunked-throttled", test_chunked_throttled);
  g_test_add_func ("/haul/test-server/abort-in-flight", test_abort_in_flight);
  g_test_add_func ("/haul/test-server/redirect-status", test_redirect_status);
  g_test_add_func ("/haul/test-server/raw", test_raw);
  g_test_add_func ("/haul/test-server/helpers", test_helpers);

  return g_test_run ();
}
