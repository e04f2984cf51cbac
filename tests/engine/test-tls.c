/* test-tls.c: HTTPS as servers really speak it: HTTP/2, close-notify, no TLS at all
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 8, item 14: (a) libsoup negotiates HTTP/2 for HTTPS, so a
 * download over it must be byte-exact and a stall must fail as one;
 * (b) a body framed by the end of the connection is whole only if the
 * TLS session ended with close-notify; (c) without glib-networking a
 * person is told HTTPS support is missing, not that a certificate is bad.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "haul-error.h"
#include "haul-transfer.h"
#include "haul-test-server.h"
#include "haul-test-tls.h"

#define KiB 1024
#define MiB (1024 * 1024)

typedef struct
{
  char             *dir;       /* downloads */
  char             *certdir;
  char             *cert_path;
  GTlsCertificate  *certificate;
  SoupSession      *session;   /* trusts the certificate */
  HaulProgressCell *cell;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = NULL;

  f->dir = haul_test_make_tmpdir ();
  f->cell = haul_progress_cell_new (NULL, NULL);
  if (!haul_test_have_tls ())
    return;
  f->certdir = haul_test_make_tmpdir ();
  f->certificate = haul_test_make_certificate (f->certdir, &f->cert_path);
  database = g_tls_file_database_new (f->cert_path, &error);
  g_assert_no_error (error);
  f->session = haul_request_session_new (GPOINTER_TO_UINT (data) > 0 ? GPOINTER_TO_UINT (data)
                                                                     : 10);
  soup_session_set_tls_database (f->session, database);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  haul_test_remove_tree (f->dir);
  haul_test_remove_tree (f->certdir);
  g_free (f->dir);
  g_free (f->certdir);
  g_free (f->cert_path);
  g_clear_object (&f->certificate);
  g_clear_object (&f->session);
  haul_progress_cell_unref (f->cell);
}

static gboolean
skip_without_tls (Fixture *f)
{
  if (f->certificate != NULL)
    return FALSE;
  g_test_skip ("glib-networking or certtool missing");
  return TRUE;
}

/* Runs in a thread, bounded: a transfer that hangs is cancelled after
 * @limit_ms and the test fails instead of hanging. */
typedef struct
{
  HaulTransferJob    *job;
  GCancellable       *cancellable;
  HaulTransferResult *result;
  gboolean            done;  /* (atomic) */
} Runner;

static gpointer
runner_thread (gpointer data)
{
  Runner *runner = data;

  runner->result = haul_transfer_run (runner->job, runner->cancellable);
  g_atomic_int_set (&runner->done, TRUE);
  return NULL;
}

static HaulTransferResult *
run_bounded (HaulTransferJob *job,
             guint            limit_ms,
             gint64          *elapsed_us)
{
  Runner runner = { job, g_cancellable_new (), NULL, FALSE };
  GThread *thread = g_thread_new ("transfer", runner_thread, &runner);
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + limit_ms * G_TIME_SPAN_MILLISECOND;

  while (!g_atomic_int_get (&runner.done) && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  if (elapsed_us != NULL)
    *elapsed_us = g_get_monotonic_time () - start;
  if (!g_atomic_int_get (&runner.done))
    g_cancellable_cancel (runner.cancellable);
  g_thread_join (thread);
  g_object_unref (runner.cancellable);
  return runner.result;
}

/* libsoup 3.2's server offers h2 over TLS only when SOUP_SERVER_HTTP2
 * is set as it is made (soup-server.c, soup_server_init): main() sets it,
 * before any thread starts. */
static HaulTestServer *
new_http2_server (Fixture *f)
{
  g_assert_nonnull (g_getenv ("SOUP_SERVER_HTTP2"));
  return haul_test_server_new_tls (f->certificate);
}

/* (a) HTTP/2 ------------------------------------------------------------------ */

static HaulTransferJob *
make_job (Fixture        *f,
          HaulTestServer *server,
          const char     *path,
          guint           connections)
{
  g_autofree char *uri = haul_test_server_uri (server, path);
  HaulTransferJob *job = haul_transfer_job_new (f->session, f->cell, uri, f->dir);

  job->max_connections = connections;
  job->min_split = 256 * KiB;
  return job;
}

/* Byte-exact over HTTP/2, on one connection and on four (four streams of
 * one connection, libsoup multiplexes them). */
static void
test_http2 (Fixture       *f,
            gconstpointer  data)
{
  HaulTestServer *server;
  g_autoptr(GBytes) body = haul_test_make_bytes (5 * MiB + 321, 1);
  /* Not throttled: libsoup 3.2.3's HTTP/2 server ends a stream at the
   * first pause of a streamed body (its data provider reads "no more
   * bytes now" as the end), and its client then waits for the timeout. */
  HaulTestFileOptions options = { .etag = "\"h2\"" };
  const char *paths[] = { "/one.bin", "/four.bin" };
  const guint connections[] = { 1, 4 };

  if (skip_without_tls (f))
    return;
  server = new_http2_server (f);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(HaulTransferJob) job = make_job (f, server, paths[i], connections[i]);
      g_autoptr(HaulTransferResult) result = NULL;
      g_autofree char *file = g_build_filename (f->dir, paths[i] + 1, NULL);

      haul_test_server_add_file (server, paths[i], body, &options);
      result = run_bounded (job, 30000, NULL);
      g_test_message ("%s: %u connections, %u requests, %" G_GINT64_FORMAT " bytes, %s",
                      paths[i], result->connections,
                      haul_test_server_get_n_requests (server, paths[i]), result->received,
                      result->error != NULL ? result->error->message : "completed");
      g_assert_no_error (result->error);
      g_assert_true (haul_test_file_equals (file, body));
      g_assert_cmpint (haul_test_server_get_last_http_version (server, paths[i]), ==,
                       SOUP_HTTP_2_0);
      g_assert_cmpuint (result->connections, ==, connections[i]);
    }
  g_assert_cmpuint (haul_test_server_get_n_requests (server, "/four.bin"), >=, 4);

  haul_test_server_free (server);
}

/* The server stops sending 1 MiB into the body, for 5 s, keeping the
 * connection open: the session's timeout (1 s here) ends it as stalled,
 * and the bytes that came are kept. */
static void
test_http2_stall (Fixture       *f,
                  gconstpointer  data)
{
  HaulTestServer *server;
  g_autoptr(GBytes) body = haul_test_make_bytes (4 * MiB, 2);
  HaulTestFileOptions options = { .etag = "\"s\"", .stall_after = 1 * MiB, .stall_ms = 5000 };
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferResult) result = NULL;
  gint64 elapsed;

  if (skip_without_tls (f))
    return;
  server = new_http2_server (f);
  haul_test_server_add_file (server, "/stall.bin", body, &options);
  job = make_job (f, server, "/stall.bin", 1);
  result = run_bounded (job, 15000, &elapsed);

  g_test_message ("after %.2f s, with %" G_GINT64_FORMAT " bytes: %s", elapsed / 1e6,
                  result->received, result->error != NULL ? result->error->message : "completed");
  g_assert_cmpint (haul_test_server_get_last_http_version (server, "/stall.bin"), ==,
                   SOUP_HTTP_2_0);
  g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_STALLED);
  g_assert_cmpint (elapsed, <, 4 * G_USEC_PER_SEC);
  g_assert_nonnull (result->state->partial_path);
  g_assert_cmpint (result->received, >=, 512 * KiB);
  g_assert_cmpint (result->received, <, 4 * MiB);

  haul_test_server_free (server);
}

/* An HTTP/2 body the server ends short of its Content-Length is never
 * complete. (libsoup 3.2.3's own HTTP/2 server does this to a throttled
 * body; its client resets the stream but does not wake a blocking read,
 * so the transfer only learns of it at the timeout, as a stall: still
 * resumable, retried like one.) */
static void
test_http2_cut (Fixture       *f,
                gconstpointer  data)
{
  HaulTestServer *server;
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * MiB, 5);
  HaulTestFileOptions options = { .etag = "\"c\"", .bytes_per_second = 4 * MiB };
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferResult) result = NULL;
  g_autofree char *file = NULL;
  gint64 elapsed;

  if (skip_without_tls (f))
    return;
  server = new_http2_server (f);
  haul_test_server_add_file (server, "/cut.bin", body, &options);
  job = make_job (f, server, "/cut.bin", 1);
  result = run_bounded (job, 15000, &elapsed);

  g_test_message ("after %.2f s, with %" G_GINT64_FORMAT " bytes: %s", elapsed / 1e6,
                  result->received, result->error != NULL ? result->error->message : "completed");
  g_assert_nonnull (result->error);
  g_assert_true (g_error_matches (result->error, HAUL_ERROR, HAUL_ERROR_TRUNCATED)
                 || g_error_matches (result->error, HAUL_ERROR, HAUL_ERROR_STALLED));
  g_assert_true (haul_error_is_resumable (result->error));
  g_assert_cmpint (elapsed, <, 4 * G_USEC_PER_SEC);
  g_assert_cmpint (result->received, <, 2 * MiB);
  file = g_build_filename (f->dir, "cut.bin", NULL);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));

  haul_test_server_free (server);
}

/* Under a speed limit a request asks for HTTP/1.1: libsoup 3.2.3's HTTP/2
 * client opens a 32 MiB window and reads into it whatever the reader
 * takes, so the server would send megabytes past the limit (rule 7 of
 * haul-request.c). */
static void
test_http2_limited (Fixture       *f,
                    gconstpointer  data)
{
  HaulTestServer *server;
  g_autoptr(GBytes) body = haul_test_make_bytes (1 * MiB, 4);
  HaulTestFileOptions options = { .etag = "\"l\"" };
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferResult) result = NULL;
  g_autofree char *file = NULL;

  if (skip_without_tls (f))
    return;
  server = new_http2_server (f);
  haul_test_server_add_file (server, "/limited.bin", body, &options);
  job = make_job (f, server, "/limited.bin", 1);
  job->limiter = haul_rate_limiter_new (NULL);
  haul_rate_limiter_set_rate (job->limiter, 4 * MiB);
  result = run_bounded (job, 15000, NULL);

  g_assert_no_error (result->error);
  file = g_build_filename (f->dir, "limited.bin", NULL);
  g_assert_true (haul_test_file_equals (file, body));
  g_assert_cmpint (haul_test_server_get_last_http_version (server, "/limited.bin"), ==,
                   SOUP_HTTP_1_1);

  haul_test_server_free (server);
}

/* (b) close-notify ------------------------------------------------------------- */

/* One HTTPS connection at a time, answered with a body framed by the end
 * of the connection; then either a proper TLS close (close-notify) or
 * the TCP socket closed under it. */
typedef struct
{
  GSocketListener *listener;
  GCancellable    *stop;
  GThread         *thread;
  GTlsCertificate *certificate;
  GBytes          *body;
  gsize            send;     /* bytes of the body to send */
  gboolean         clean;    /* close-notify, or a bare TCP close */
  guint16          port;
} TlsServer;

static void
tls_serve_one (TlsServer         *server,
               GSocketConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) tls = g_tls_server_connection_new (G_IO_STREAM (connection),
                                                          server->certificate, &error);
  GInputStream *input;
  GOutputStream *output;
  GString *head = g_string_new (NULL);
  const char *reply = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                      "Connection: close\r\n\r\n";

  g_assert_no_error (error);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL))
    goto out;
  input = g_io_stream_get_input_stream (tls);
  output = g_io_stream_get_output_stream (tls);
  while (!g_str_has_suffix (head->str, "\r\n\r\n") && head->len < 64 * KiB)
    {
      char c;

      if (g_input_stream_read (input, &c, 1, NULL, NULL) != 1)
        goto out;
      g_string_append_c (head, c);
    }
  if (!g_output_stream_write_all (output, reply, strlen (reply), NULL, NULL, NULL)
      || !g_output_stream_write_all (output, g_bytes_get_data (server->body, NULL),
                                     server->send, NULL, NULL, NULL)
      || !g_output_stream_flush (output, NULL, NULL))
    goto out;

  if (server->clean)
    /* Sends close-notify, then closes the socket. */
    g_io_stream_close (tls, NULL, NULL);
  else
    /* Anyone on the path can do this: no close-notify. */
    g_socket_close (g_socket_connection_get_socket (connection), NULL);

out:
  g_string_free (head, TRUE);
}

static gpointer
tls_server_thread (gpointer data)
{
  TlsServer *server = data;

  for (;;)
    {
      g_autoptr(GSocketConnection) connection =
        g_socket_listener_accept (server->listener, NULL, server->stop, NULL);

      if (connection == NULL)
        return NULL;
      tls_serve_one (server, connection);
    }
}

static void
tls_server_start (TlsServer       *server,
                  GTlsCertificate *certificate,
                  GBytes          *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  server->certificate = certificate;
  server->body = body;
  server->listener = g_socket_listener_new ();
  server->stop = g_cancellable_new ();
  g_socket_listener_add_address (server->listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  server->thread = g_thread_new ("tls-server", tls_server_thread, server);
}

static void
tls_server_stop (TlsServer *server)
{
  g_cancellable_cancel (server->stop);
  g_thread_join (server->thread);
  g_socket_listener_close (server->listener);
  g_clear_object (&server->listener);
  g_clear_object (&server->stop);
}

static HaulTransferResult *
run_close_framed (Fixture  *f,
                  gboolean  clean,
                  GBytes   *body,
                  gsize     send)
{
  TlsServer server = { 0 };
  g_autofree char *uri = NULL;
  g_autoptr(HaulTransferJob) job = NULL;
  HaulTransferResult *result;

  server.clean = clean;
  server.send = send;
  tls_server_start (&server, f->certificate, body);
  uri = g_strdup_printf ("https://127.0.0.1:%u/framed.bin", server.port);
  job = haul_transfer_job_new (f->session, f->cell, uri, f->dir);
  result = run_bounded (job, 15000, NULL);
  tls_server_stop (&server);
  g_test_message ("%s close after %" G_GSIZE_FORMAT " bytes: %s", clean ? "clean" : "bare TCP",
                  send, result->error != NULL ? result->error->message : "completed");
  return result;
}

static void
test_close_notify (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (1 * MiB, 3);
  g_autoptr(HaulTransferResult) cut = NULL;
  g_autoptr(HaulTransferResult) whole = NULL;
  g_autofree char *path = NULL;

  if (skip_without_tls (f))
    return;

  /* Cut without close-notify: the bytes so far may be all there was, or
   * not; nobody can tell, so it is not complete. */
  cut = run_close_framed (f, FALSE, body, 600 * KiB);
  g_assert_error (cut->error, HAUL_ERROR, HAUL_ERROR_TRUNCATED);
  g_assert_true (haul_error_is_resumable (cut->error));
  g_assert_nonnull (cut->state->partial_path);
  path = g_build_filename (f->dir, "framed.bin", NULL);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* The whole body, then a proper close: complete. The first attempt's
   * partial is not in the way (another download of the same name). */
  whole = run_close_framed (f, TRUE, body, g_bytes_get_size (body));
  g_assert_no_error (whole->error);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (f->dir, whole->state->file_name, NULL);
  g_assert_true (haul_test_file_equals (path, body));
}

/* (c) No glib-networking ----------------------------------------------------------- */

static void
test_no_tls_backend (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *empty = haul_test_make_tmpdir ();
      g_autofree char *dir = haul_test_make_tmpdir ();
      g_autoptr(SoupSession) session = NULL;
      HaulTestServer *plain;
      HaulProgressCell *cell;
      const char *uris[2] = { "https://127.0.0.1:9/file.iso", NULL };

      /* Before anything loads a GIO module: none are found, as on a
       * system without glib-networking. */
      g_setenv ("GIO_MODULE_DIR", empty, TRUE);
      g_unsetenv ("GIO_EXTRA_MODULES");
      g_assert_false (g_tls_backend_supports_tls (g_tls_backend_get_default ()));

      session = haul_request_session_new (5);
      cell = haul_progress_cell_new (NULL, NULL);
      /* Directly, and through a redirect from plain http. */
      plain = haul_test_server_new ();
      haul_test_server_add_redirect (plain, "/go", 302, uris[0]);
      uris[1] = haul_test_server_uri (plain, "/go");
      for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
        {
          g_autoptr(HaulTransferJob) job = haul_transfer_job_new (session, cell, uris[i], dir);
          g_autoptr(HaulTransferResult) result = haul_transfer_run (job, NULL);

          /* stdout, for the parent to check */
          g_print ("%s: %s\n", uris[i], result->error->message);
          g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_TLS);
          g_assert_cmpstr (result->error->message, ==,
                           "HTTPS support is not installed (the glib-networking package is "
                           "missing), so 127.0.0.1 cannot be reached securely");
        }
      g_free ((char *) uris[1]);
      haul_test_server_free (plain);
      haul_progress_cell_unref (cell);
      haul_test_remove_tree (empty);
      haul_test_remove_tree (dir);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*HTTPS support is not installed*");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("SOUP_SERVER_HTTP2", "1", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/haul/engine/tls/http2", Fixture, NULL, fixture_setup, test_http2,
              fixture_teardown);
  g_test_add ("/haul/engine/tls/http2-stall", Fixture, GUINT_TO_POINTER (1), fixture_setup,
              test_http2_stall, fixture_teardown);
  g_test_add ("/haul/engine/tls/http2-cut", Fixture, GUINT_TO_POINTER (1), fixture_setup,
              test_http2_cut, fixture_teardown);
  g_test_add ("/haul/engine/tls/http2-limited", Fixture, NULL, fixture_setup, test_http2_limited,
              fixture_teardown);
  g_test_add ("/haul/engine/tls/close-notify", Fixture, NULL, fixture_setup, test_close_notify,
              fixture_teardown);
  g_test_add_func ("/haul/engine/tls/no-backend", test_no_tls_backend);

  return g_test_run ();
}
