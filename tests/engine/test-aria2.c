/* test-aria2.c: downloads on a real aria2c --enable-rpc
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "aria2-fixture.h"

static void
test_connect (Fixture       *f,
              gconstpointer  data)
{
  SKIP_WITHOUT_ARIA2C ();

  start_connected (f);
  g_assert_nonnull (haul_aria2_client_get_version (f->client));
  g_assert_true (g_str_has_prefix (haul_aria2_client_get_version (f->client), "1."));
  g_assert_null (haul_aria2_client_get_error (f->client));
  /* connecting → connected: two changes, no error ever. */
  g_assert_cmpuint (f->connections->len, ==, 2);
  g_assert_cmpint (g_array_index (f->connections, HaulAria2Connection, 0), ==,
                   HAUL_ARIA2_CONNECTING);
  g_assert_cmpint (g_array_index (f->connections, HaulAria2Connection, 1), ==,
                   HAUL_ARIA2_CONNECTED);
  g_assert_cmpuint (f->n_error_notifies, ==, 0);

  haul_aria2_client_stop (f->client);
  g_assert_cmpint (haul_aria2_client_get_connection (f->client), ==, HAUL_ARIA2_DISCONNECTED);
  g_assert_false (haul_aria2_client_get_listening (f->client));
}

static void
test_complete (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (3 * 1024 * 1024 + 17, 1);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *checksum_option = NULL;
  g_autofree char *gid = NULL;
  g_autofree char *event = NULL;
  g_autofree char *expected_path = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *name = NULL;
  const char *extra[] = { "X-Haul-Test: 1", NULL };
  HaulAria2AddOptions options = { 0 };
  HaulAria2Status *status;

  SKIP_WITHOUT_ARIA2C ();

  haul_test_server_add_file (f->server, "/file.bin", body, NULL);
  g_checksum_update (checksum, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  checksum_option = haul_aria2_checksum_option (G_CHECKSUM_SHA256,
                                                g_checksum_get_string (checksum));
  start_connected (f);
  g_assert_true (wait_for (f, all_sizes_known, NULL, 5000));

  folder = g_build_filename (f->download_dir, "sub", NULL);
  options.dir = folder;
  options.out = "named.bin";
  options.referer = "http://127.0.0.1/page.html";
  options.cookies = "session=abc; theme=dark";
  options.user_agent = "HaulTest/1.0";
  options.headers = extra;
  options.checksum = checksum_option;
  gid = add (f, "/file.bin", &options);

  event = g_strdup_printf ("complete %s", gid);
  g_assert_true (wait_for (f, has_event, event, 20000));
  g_assert_true (wait_for (f, has_finished, gid, 5000));

  status = find_status (f->finished, gid);
  g_assert_cmpint (status->state, ==, HAUL_ARIA2_COMPLETE);
  g_assert_cmpint (haul_aria2_status_get_download_state (status), ==, HAUL_DOWNLOAD_COMPLETED);
  g_assert_cmpint (status->total, ==, g_bytes_get_size (body));
  g_assert_cmpint (status->completed, ==, g_bytes_get_size (body));
  g_assert_cmpstr (status->dir, ==, folder);
  expected_path = g_build_filename (folder, "named.bin", NULL);
  g_assert_cmpstr (status->path, ==, expected_path);
  g_assert_nonnull (status->uris);
  g_assert_true (g_str_has_suffix (status->uris[0], "/file.bin"));
  name = haul_aria2_status_dup_file_name (status);
  g_assert_cmpstr (name, ==, "named.bin");
  g_assert_null (haul_aria2_status_dup_error (status));
  g_assert_true (haul_test_file_equals (expected_path, body));
  /* Finished once, whatever the number of ticks that saw it. */
  spin_for (1200);
  g_assert_nonnull (find_status (f->finished, gid));
  g_assert_cmpuint (f->finished->len, ==, 1);

  headers = haul_test_server_get_last_request_headers (f->server, "/file.bin");
  g_assert_nonnull (strstr (headers, "Referer: http://127.0.0.1/page.html"));
  g_assert_nonnull (strstr (headers, "Cookie: session=abc; theme=dark"));
  g_assert_nonnull (strstr (headers, "User-Agent: HaulTest/1.0"));
  g_assert_nonnull (strstr (headers, "X-Haul-Test: 1"));
}

static void
test_bad_checksum (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (64 * 1024, 2);
  g_autofree char *wrong = haul_aria2_checksum_option (G_CHECKSUM_SHA256,
                                                      "00000000000000000000000000000000"
                                                      "00000000000000000000000000000000");
  g_autofree char *gid = NULL;
  g_autoptr(GError) error = NULL;
  HaulAria2AddOptions options = { .checksum = wrong };
  HaulAria2Status *status;

  SKIP_WITHOUT_ARIA2C ();

  haul_test_server_add_file (f->server, "/c.bin", body, NULL);
  start_connected (f);
  gid = add (f, "/c.bin", &options);
  g_assert_true (wait_for (f, has_finished, gid, 20000));
  status = find_status (f->finished, gid);
  g_assert_cmpint (status->state, ==, HAUL_ARIA2_ERROR);
  error = haul_aria2_status_dup_error (status);
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_DAEMON);
  g_assert_nonnull (strstr (error->message, "checksum"));
}

static void
test_pause_resume_remove (Fixture       *f,
                          gconstpointer  data)
{
  HaulTestFileOptions slow = { .bytes_per_second = 256 * 1024 };
  g_autoptr(GBytes) body = haul_test_make_bytes (8 * 1024 * 1024, 3);
  g_autoptr(GError) error = NULL;
  g_autofree char *gid = NULL;
  g_autofree char *pause_event = NULL;
  HaulAria2Status *status;
  gint64 paused_at;

  SKIP_WITHOUT_ARIA2C ();

  haul_test_server_add_file (f->server, "/slow.bin", body, &slow);
  start_connected (f);
  gid = add (f, "/slow.bin", NULL);
  wait_state (f, gid, HAUL_ARIA2_ACTIVE, 64 * 1024, 10000);
  status = haul_aria2_poller_lookup (f->poller, gid);
  g_assert_cmpint (haul_aria2_status_get_download_state (status), ==, HAUL_DOWNLOAD_DOWNLOADING);
  g_assert_cmpint (status->total, ==, g_bytes_get_size (body));

  g_assert_true (gid_action (f, gid, haul_aria2_client_pause_async,
                             haul_aria2_client_pause_finish, &error));
  g_assert_no_error (error);
  wait_state (f, gid, HAUL_ARIA2_PAUSED, 0, 10000);
  pause_event = g_strdup_printf ("pause %s", gid);
  g_assert_true (wait_for (f, has_event, pause_event, 5000));
  /* Paused on the daemon: nothing more arrives. */
  paused_at = haul_aria2_poller_lookup (f->poller, gid)->completed;
  spin_for (1500);
  haul_aria2_poller_poll_soon (f->poller);
  spin_for (700);
  g_assert_cmpint (haul_aria2_poller_lookup (f->poller, gid)->completed, ==, paused_at);
  g_assert_cmpint (haul_aria2_status_get_download_state (haul_aria2_poller_lookup (f->poller,
                                                                                    gid)),
                   ==, HAUL_DOWNLOAD_PAUSED);

  g_assert_true (gid_action (f, gid, haul_aria2_client_unpause_async,
                             haul_aria2_client_unpause_finish, &error));
  g_assert_no_error (error);
  wait_state (f, gid, HAUL_ARIA2_ACTIVE, paused_at + 64 * 1024, 10000);

  g_assert_true (gid_action (f, gid, haul_aria2_client_remove_async,
                             haul_aria2_client_remove_finish, &error));
  g_assert_no_error (error);
  wait_state (f, gid, HAUL_ARIA2_REMOVED, 0, 10000);
  g_assert_cmpint (haul_aria2_status_get_download_state (haul_aria2_poller_lookup (f->poller,
                                                                                    gid)),
                   ==, HAUL_DOWNLOAD_CANCELLED);
  /* Removed is not "finished". */
  g_assert_null (find_status (f->finished, gid));

  /* Its result removed: the poller says it is gone. */
  g_assert_true (gid_action (f, gid, haul_aria2_client_remove_download_result_async,
                             haul_aria2_client_remove_download_result_finish, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (f, was_removed, gid, 5000));
  g_assert_null (haul_aria2_poller_lookup (f->poller, gid));

  /* A GID the daemon does not know: an error of that call only. */
  g_assert_false (gid_action (f, gid, haul_aria2_client_pause_async,
                              haul_aria2_client_pause_finish, &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_DAEMON);
  g_assert_nonnull (strstr (error->message, "not found"));
  g_assert_cmpint (haul_aria2_client_get_connection (f->client), ==, HAUL_ARIA2_CONNECTED);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *gid = NULL;
  g_autofree char *event = NULL;
  g_autoptr(GError) error = NULL;
  HaulAria2Status *status;

  SKIP_WITHOUT_ARIA2C ();

  start_connected (f);
  gid = add (f, "/missing.bin", NULL);
  event = g_strdup_printf ("error %s", gid);
  g_assert_true (wait_for (f, has_event, event, 20000));
  g_assert_true (wait_for (f, has_finished, gid, 5000));

  status = find_status (f->finished, gid);
  g_assert_cmpint (status->state, ==, HAUL_ARIA2_ERROR);
  g_assert_cmpint (status->error_code, ==, 3);
  g_assert_cmpint (haul_aria2_status_get_download_state (status), ==, HAUL_DOWNLOAD_FAILED);
  error = haul_aria2_status_dup_error (status);
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_HTTP);
  g_assert_cmpstr (error->message, ==, "The server answered 404 Not Found");
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/missing.bin"), >=, 1);
  /* A failed download is no failed connection. */
  g_assert_cmpint (haul_aria2_client_get_connection (f->client), ==, HAUL_ARIA2_CONNECTED);
  g_assert_cmpuint (f->n_error_notifies, ==, 0);
}

static void
test_retry (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (200 * 1024, 4);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *gid = NULL;
  g_autofree char *new_gid = NULL;
  g_autofree char *path = NULL;
  HaulAria2AddOptions options = { .out = "later.bin" };

  SKIP_WITHOUT_ARIA2C ();

  start_connected (f);
  gid = add (f, "/later.bin", &options);
  g_assert_true (wait_for (f, has_finished, gid, 20000));
  g_assert_cmpint (find_status (f->finished, gid)->state, ==, HAUL_ARIA2_ERROR);

  /* The file appears on the server; Retry adds it again, same place. */
  haul_test_server_add_file (f->server, "/later.bin", body, NULL);
  haul_aria2_client_retry_async (f->client, find_status (f->finished, gid), NULL,
                                 store_result_cb, &result);
  new_gid = haul_aria2_client_retry_finish (f->client, wait_result (f, &result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (new_gid, !=, gid);
  haul_aria2_poller_poll_soon (f->poller);
  g_assert_true (wait_for (f, has_finished, new_gid, 20000));
  g_assert_cmpint (find_status (f->finished, new_gid)->state, ==, HAUL_ARIA2_COMPLETE);
  path = g_build_filename (f->download_dir, "later.bin", NULL);
  g_assert_true (haul_test_file_equals (path, body));
  /* The failed result is gone from the daemon. */
  g_assert_true (wait_for (f, was_removed, gid, 5000));
}

/* A removed download retried goes on from its partial file, even with
 * aria2's control file gone, instead of starting "name.1.bin". */
static void
test_retry_continues (Fixture       *f,
                      gconstpointer  data)
{
  HaulTestFileOptions slow = { .bytes_per_second = 512 * 1024, .etag = "\"r1\"" };
  g_autoptr(GBytes) body = haul_test_make_bytes (4 * 1024 * 1024, 8);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *gid = NULL;
  g_autofree char *new_gid = NULL;
  g_autofree char *path = NULL;
  g_autofree char *control = NULL;
  g_autofree char *renamed = NULL;
  g_autofree char *headers = NULL;

  SKIP_WITHOUT_ARIA2C ();

  haul_test_server_add_file (f->server, "/part.bin", body, &slow);
  start_connected (f);
  gid = add (f, "/part.bin", NULL);
  wait_state (f, gid, HAUL_ARIA2_ACTIVE, 1024 * 1024, 15000);
  g_assert_true (gid_action (f, gid, haul_aria2_client_remove_async,
                             haul_aria2_client_remove_finish, &error));
  g_assert_no_error (error);
  wait_state (f, gid, HAUL_ARIA2_REMOVED, 0, 10000);

  path = g_build_filename (f->download_dir, "part.bin", NULL);
  control = g_strconcat (path, ".aria2", NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_unlink (control);

  haul_aria2_client_retry_async (f->client, haul_aria2_poller_lookup (f->poller, gid), NULL,
                                 store_result_cb, &result);
  new_gid = haul_aria2_client_retry_finish (f->client, wait_result (f, &result), &error);
  g_assert_no_error (error);
  haul_aria2_poller_poll_soon (f->poller);
  g_assert_true (wait_for (f, has_finished, new_gid, 30000));
  g_assert_cmpint (find_status (f->finished, new_gid)->state, ==, HAUL_ARIA2_COMPLETE);
  g_assert_true (haul_test_file_equals (path, body));
  renamed = g_build_filename (f->download_dir, "part.1.bin", NULL);
  g_assert_false (g_file_test (renamed, G_FILE_TEST_EXISTS));
  headers = haul_test_server_get_last_request_headers (f->server, "/part.bin");
  g_assert_nonnull (strstr (headers, "Range: bytes="));
}

static void
test_other_client (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (100 * 1024, 6);
  g_autoptr(HaulAria2Client) other = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *gid = NULL;
  HaulAria2AddOptions options = { .paused = TRUE };
  const char *uris[2] = { NULL, NULL };

  SKIP_WITHOUT_ARIA2C ();

  haul_test_server_add_file (f->server, "/theirs.bin", body, NULL);
  start_connected (f);
  g_assert_true (wait_for (f, all_sizes_known, NULL, 5000));

  /* Someone else (AriaNg, a script) adds a paused download: no event
   * comes for it, the poll still finds it. */
  address = g_strdup_printf ("ws://127.0.0.1:%u/jsonrpc", f->port);
  other = haul_aria2_client_new (address, &error);
  g_assert_no_error (error);
  haul_aria2_client_set_secret (other, SECRET);
  uri = haul_test_server_uri (f->server, "/theirs.bin");
  uris[0] = uri;
  haul_aria2_client_add_uri_async (other, uris, &options, NULL, store_result_cb, &result);
  gid = haul_aria2_client_add_uri_finish (other, wait_result (f, &result), &error);
  g_assert_no_error (error);

  wait_state (f, gid, HAUL_ARIA2_PAUSED, 0, 5000);
  g_assert_cmpstr (haul_aria2_poller_lookup (f->poller, gid)->uris[0], ==, uri);
  g_clear_object (&result);

  haul_aria2_client_unpause_async (other, gid, NULL, store_result_cb, &result);
  g_assert_true (haul_aria2_client_unpause_finish (other, wait_result (f, &result), &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (f, has_finished, gid, 20000));
  g_assert_cmpint (find_status (f->finished, gid)->state, ==, HAUL_ARIA2_COMPLETE);
  g_clear_object (&result);  /* it holds the client it came from */
  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
test_global_options (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GHashTable) options = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                                  g_free, g_free);
  g_autoptr(GHashTable) bad = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  SKIP_WITHOUT_ARIA2C ();

  start_connected (f);
  g_hash_table_insert (options, g_strdup ("max-overall-download-limit"), g_strdup ("1048576"));
  g_hash_table_insert (options, g_strdup ("max-concurrent-downloads"), g_strdup ("2"));
  haul_aria2_client_change_global_option_async (f->client, options, NULL, store_result_cb,
                                                &result);
  g_assert_true (haul_aria2_client_change_global_option_finish (f->client,
                                                                wait_result (f, &result),
                                                                &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  haul_aria2_client_call_async (f->client, "aria2.getGlobalOption", NULL, NULL,
                                store_result_cb, &result);
  node = haul_aria2_client_call_finish (f->client, wait_result (f, &result), &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "max-overall-download-limit"), ==,
                   "1048576");
  g_assert_cmpstr (json_object_get_string_member (object, "max-concurrent-downloads"), ==, "2");
  g_clear_object (&result);

  /* A value with a line break never leaves Haul. */
  g_hash_table_insert (bad, g_strdup ("max-concurrent-downloads"), g_strdup ("2\ndir=/etc"));
  haul_aria2_client_change_global_option_async (f->client, bad, NULL, store_result_cb, &result);
  g_assert_false (haul_aria2_client_change_global_option_finish (f->client,
                                                                 wait_result (f, &result),
                                                                 &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL);
}

static void
test_invalid_add (Fixture       *f,
                  gconstpointer  data)
{
  const char *not_web[] = { "ftp://127.0.0.1/x", NULL };
  const char *spaced[] = { "http://127.0.0.1/a b", NULL };
  const char *good[] = { "http://127.0.0.1/x", NULL };
  HaulAria2AddOptions climbing = { .out = "../outside.bin" };
  HaulAria2AddOptions injected = { .referer = "http://127.0.0.1/\n dir=/etc" };
  struct { const char * const *uris; HaulAria2AddOptions *options; } cases[] = {
    { not_web, NULL }, { spaced, NULL }, { good, &climbing }, { good, &injected },
  };

  /* Refused before anything is sent: no daemon is needed to prove it. */
  make_client (f, NULL, SECRET);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *gid = NULL;

      haul_aria2_client_add_uri_async (f->client, cases[i].uris, cases[i].options, NULL,
                                       store_result_cb, &result);
      gid = haul_aria2_client_add_uri_finish (f->client, wait_result (f, &result), &error);
      g_assert_null (gid);
      g_assert_error (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/aria2/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("connect", test_connect);
  ADD ("complete", test_complete);
  ADD ("bad-checksum", test_bad_checksum);
  ADD ("pause-resume-remove", test_pause_resume_remove);
  ADD ("not-found", test_not_found);
  ADD ("retry", test_retry);
  ADD ("retry-continues", test_retry_continues);
  ADD ("other-client", test_other_client);
  ADD ("global-options", test_global_options);
  ADD ("invalid-add", test_invalid_add);

#undef ADD

  return g_test_run ();
}
