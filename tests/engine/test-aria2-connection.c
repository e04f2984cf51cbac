/* test-aria2-connection.c: a wrong secret, no daemon, not aria2, TLS, a daemon killed and restarted
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "aria2-fixture.h"

static void
test_wrong_secret (Fixture       *f,
                   gconstpointer  data)
{
  const GError *error;
  guint attempts;

  SKIP_WITHOUT_ARIA2C ();

  daemon_start (f, SECRET);
  make_client (f, NULL, "not-the-secret");
  haul_aria2_client_start (f->client);
  g_assert_true (wait_for (f, is_failed_with, GINT_TO_POINTER (HAUL_ERROR_UNAUTHORIZED), 10000));
  error = haul_aria2_client_get_error (f->client);
  g_assert_error ((GError *) error, HAUL_ERROR, HAUL_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "Unauthorized"));
  g_assert_nonnull (strstr (error->message, "secret"));
  g_test_message ("wrong secret: %s", error->message);

  /* Retries go on (1 s, 2 s, …) without a new state or message. */
  attempts = haul_aria2_client_get_n_attempts (f->client);
  spin_for (4500);
  g_assert_cmpuint (haul_aria2_client_get_n_attempts (f->client), >, attempts);
  g_assert_cmpuint (f->n_error_notifies, ==, 1);
  g_assert_cmpuint (f->connections->len, ==, 2);
  g_assert_cmpint (g_array_index (f->connections, HaulAria2Connection, 1), ==, HAUL_ARIA2_FAILED);
  g_assert_false (haul_aria2_poller_get_loaded (f->poller));

  /* The right secret connects at once. */
  haul_aria2_client_set_secret (f->client, SECRET);
  g_assert_true (wait_for (f, is_connection, GINT_TO_POINTER (HAUL_ARIA2_CONNECTED), 10000));
  g_assert_null (haul_aria2_client_get_error (f->client));
  g_assert_true (wait_for (f, all_sizes_known, NULL, 5000));
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *display = NULL;
  const GError *error;

  SKIP_WITHOUT_ARIA2C ();

  make_client (f, NULL, SECRET);
  haul_aria2_client_start (f->client);
  g_assert_true (wait_for (f, is_failed_with, GINT_TO_POINTER (HAUL_ERROR_NETWORK), 10000));
  error = haul_aria2_client_get_error (f->client);
  display = g_strdup_printf ("127.0.0.1:%u", f->port);
  g_assert_nonnull (strstr (error->message, display));
  g_assert_nonnull (strstr (error->message, "unreachable"));
  g_test_message ("unreachable: %s", error->message);

  /* The daemon comes up: the client finds it by itself. */
  spin_for (1500);
  daemon_start (f, SECRET);
  g_assert_true (wait_for (f, is_connection, GINT_TO_POINTER (HAUL_ARIA2_CONNECTED), 15000));
  g_assert_true (wait_for (f, is_listening, NULL, 10000));
  /* connecting, failed, connected: three changes, one error. */
  g_assert_cmpuint (f->connections->len, ==, 3);
  g_assert_cmpuint (f->n_error_notifies, ==, 2);  /* set, then cleared */
}

static void
check_not_aria2 (Fixture    *f,
                 const char *path,
                 const char *words)
{
  g_autofree char *address = haul_test_server_uri (f->server, path);
  const GError *error;

  make_client (f, address, SECRET);
  haul_aria2_client_start (f->client);
  g_assert_true (wait_for (f, is_failed_with, GINT_TO_POINTER (HAUL_ERROR_PROTOCOL), 10000));
  error = haul_aria2_client_get_error (f->client);
  if (strstr (error->message, words) == NULL || strstr (error->message, "not an aria2") == NULL)
    g_error ("“%s” does not say “%s”", error->message, words);
  g_test_message ("%s: %s", path, error->message);

  haul_aria2_client_stop (f->client);
  spin_for (50);
  g_assert_finalize_object (g_steal_pointer (&f->poller));
  g_assert_finalize_object (g_steal_pointer (&f->client));
}

static void
test_not_aria2 (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) page = g_bytes_new_static ("<html><body>Router</body></html>", 32);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello", 5);
  HaulTestFileOptions html = { .content_type = "text/html" };
  HaulTestFileOptions plain = { .content_type = "text/plain" };

  haul_test_server_add_file (f->server, "/page/jsonrpc", page, &html);
  haul_test_server_add_file (f->server, "/text/jsonrpc", text, &plain);
  check_not_aria2 (f, "/jsonrpc", "404 Not Found");
  check_not_aria2 (f, "/page/jsonrpc", "web page");
  check_not_aria2 (f, "/text/jsonrpc", "not JSON-RPC");
}

static GTlsCertificate *
make_certificate (const char *dir)
{
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *tmpl = g_build_filename (dir, "cert.tmpl", NULL);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;
  int status = 0;
  const char *template = "cn = \"127.0.0.1\"\nip_address = \"127.0.0.1\"\nexpiration_days = 2\n"
                         "ca\ncert_signing_key\nsigning_key\nencryption_key\ntls_www_server\n";
  const char *genkey[] = { "certtool", "--generate-privkey", "--key-type", "rsa",
                           "--bits", "2048", "--no-text", "--outfile", key, NULL };
  const char *gencert[] = { "certtool", "--generate-self-signed", "--load-privkey", key,
                            "--template", tmpl, "--outfile", cert, NULL };

  g_assert_true (g_file_set_contents (tmpl, template, -1, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) genkey, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                               | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) gencert, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                               | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  return certificate;
}

static void
test_tls (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *certtool = g_find_program_in_path ("certtool");
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *address = NULL;
  HaulTestServer *tls_server;
  const GError *error;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()) || certtool == NULL)
    {
      g_test_skip ("glib-networking or certtool (gnutls-bin) missing");
      return;
    }

  certificate = make_certificate (f->root);
  tls_server = haul_test_server_new_tls (certificate);
  address = haul_test_server_uri (tls_server, "/jsonrpc");
  g_assert_true (g_str_has_prefix (address, "https://"));

  make_client (f, address, SECRET);
  haul_aria2_client_start (f->client);
  g_assert_true (wait_for (f, is_failed_with, GINT_TO_POINTER (HAUL_ERROR_TLS), 10000));
  error = haul_aria2_client_get_error (f->client);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (error->message, "certificate"));
  g_test_message ("tls: %s", error->message);
  g_assert_cmpuint (haul_test_server_get_n_requests (tls_server, "/jsonrpc"), ==, 0);

  haul_aria2_client_stop (f->client);
  spin_for (50);
  g_assert_finalize_object (g_steal_pointer (&f->poller));
  g_assert_finalize_object (g_steal_pointer (&f->client));
  haul_test_server_free (tls_server);
}

static void
test_daemon_restart (Fixture       *f,
                     gconstpointer  data)
{
  HaulTestFileOptions slow = { .bytes_per_second = 1024 * 1024, .etag = "\"v1\"" };
  g_autoptr(GBytes) body = haul_test_make_bytes (6 * 1024 * 1024, 5);
  g_autofree char *gid = NULL;
  g_autofree char *path = NULL;
  g_autofree char *headers = NULL;
  const GError *error;
  HaulAria2Status *status;
  gint64 before_kill;
  guint errors_before;

  SKIP_WITHOUT_ARIA2C ();

  haul_test_server_add_file (f->server, "/big.bin", body, &slow);
  start_connected (f);
  gid = add (f, "/big.bin", NULL);
  wait_state (f, gid, HAUL_ARIA2_ACTIVE, 1536 * 1024, 15000);
  /* Let the session and control files catch up (written every second). */
  spin_for (1300);
  before_kill = haul_aria2_poller_lookup (f->poller, gid)->completed;
  errors_before = f->n_error_notifies;

  daemon_stop (f, SIGKILL);
  g_assert_true (wait_for (f, is_failed_with, GINT_TO_POINTER (HAUL_ERROR_NETWORK), 10000));
  error = haul_aria2_client_get_error (f->client);
  g_assert_nonnull (strstr (error->message, "unreachable"));
  /* The rows keep their last state while the daemon is away. */
  status = haul_aria2_poller_lookup (f->poller, gid);
  g_assert_nonnull (status);
  g_assert_cmpint (status->state, ==, HAUL_ARIA2_ACTIVE);
  spin_for (2500);
  /* One change to failed, one message, however many calls failed. */
  g_assert_cmpuint (f->n_error_notifies, ==, errors_before + 1);

  daemon_start (f, SECRET);
  g_assert_true (wait_for (f, is_connection, GINT_TO_POINTER (HAUL_ARIA2_CONNECTED), 20000));
  g_assert_true (wait_for (f, is_listening, NULL, 10000));
  g_assert_true (wait_for (f, has_finished, gid, 30000));
  status = find_status (f->finished, gid);
  g_assert_cmpint (status->state, ==, HAUL_ARIA2_COMPLETE);
  path = g_build_filename (f->download_dir, "big.bin", NULL);
  g_assert_true (haul_test_file_equals (path, body));
  /* It went on from where it was, not from zero. */
  headers = haul_test_server_get_last_request_headers (f->server, "/big.bin");
  g_assert_nonnull (strstr (headers, "Range: bytes="));
  *strchr (strstr (headers, "Range: bytes="), '\n') = '\0';
  g_test_message ("killed at %" G_GINT64_FORMAT " of %" G_GSIZE_FORMAT " bytes; resumed with %s",
                  before_kill, g_bytes_get_size (body), strstr (headers, "Range: bytes="));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/aria2/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("connection/wrong-secret", test_wrong_secret);
  ADD ("connection/unreachable", test_unreachable);
  ADD ("connection/not-aria2", test_not_aria2);
  ADD ("connection/tls", test_tls);
  ADD ("connection/daemon-restart", test_daemon_restart);

#undef ADD

  return g_test_run ();
}
