/* test-aria2-engine.c: HaulQueue on a real aria2c through HaulAria2Engine
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test: its own aria2c --enable-rpc --rpc-secret on 127.0.0.1 (the
 * aria2 fixture), files from a local SoupServer, a real store, and a
 * HaulQueue whose engine is the daemon. Everything a row and the notifier
 * see is asserted through the queue and its downloads.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "aria2-fixture.h"
#include "haul-aria2-engine.h"
#include "haul-checksum.h"
#include "haul-download-private.h"
#include "haul-queue-private.h"

typedef struct
{
  Fixture          f;           /* the daemon (first: fixture_setup takes it) */
  char            *db_path;
  char            *mapped;      /* a second path to the daemon's folder: the mapping */
  HaulStore       *store;
  HaulQueue       *queue;
  HaulAria2Engine *engine;
  GPtrArray       *finished;    /* HaulDownload of ::download-finished */
  guint            n_engine_error_notifies;
} EngineFixture;

static void
finished_cb (HaulQueue     *queue,
             HaulDownload  *download,
             EngineFixture *e)
{
  g_ptr_array_add (e->finished, g_object_ref (download));
}

static void
engine_error_cb (HaulQueue     *queue,
                 GParamSpec    *pspec,
                 EngineFixture *e)
{
  e->n_engine_error_notifies++;
}

static char *
address_of (EngineFixture *e)
{
  return g_strdup_printf ("http://127.0.0.1:%u/jsonrpc", e->f.port);
}

/* A queue on the store at e->db_path, run by the daemon. */
static void
open_queue (EngineFixture *e,
            const char    *secret,
            gboolean       mapping)
{
  g_autofree char *address = address_of (e);
  g_autoptr(GError) error = NULL;

  e->store = haul_store_new (e->db_path, &error);
  g_assert_no_error (error);
  e->engine = HAUL_ARIA2_ENGINE (haul_aria2_engine_new (address));
  haul_aria2_engine_set_secret (e->engine, secret);
  if (mapping)
    haul_aria2_engine_set_path_mapping (e->engine, e->f.download_dir, e->mapped);
  e->queue = haul_queue_new_with_engine (e->store, HAUL_ENGINE (e->engine));
  g_signal_connect (e->queue, "download-finished", G_CALLBACK (finished_cb), e);
  g_signal_connect (e->queue, "notify::engine-error", G_CALLBACK (engine_error_cb), e);
  haul_queue_restore (e->queue, &error);
  g_assert_no_error (error);
}

/* As the app quits: the daemon's downloads go on. */
static void
close_queue (EngineFixture *e)
{
  if (e->queue == NULL)
    return;
  haul_queue_shutdown (e->queue);
  g_signal_handlers_disconnect_by_data (e->queue, e);
  g_clear_object (&e->queue);
  g_assert_finalize_object (g_steal_pointer (&e->engine));
  g_clear_object (&e->store);
}

static void
setup (EngineFixture *e,
       gconstpointer  data)
{
  fixture_setup (&e->f, data);
  e->db_path = g_build_filename (e->f.root, "downloads.db", NULL);
  e->mapped = g_build_filename (e->f.root, "mnt", NULL);
  g_assert_cmpint (symlink (e->f.download_dir, e->mapped), ==, 0);
  e->finished = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
teardown (EngineFixture *e,
          gconstpointer  data)
{
  close_queue (e);
  g_ptr_array_unref (e->finished);
  g_free (e->db_path);
  g_free (e->mapped);
  fixture_teardown (&e->f, data);
}

/* Waiting ------------------------------------------------------------ */

typedef struct
{
  HaulDownload      *download;
  HaulDownloadState  state;
  gint64             min_received;
} WantState;

static gboolean
download_is (Fixture       *f,
             gconstpointer  data)
{
  const WantState *want = data;

  return haul_download_get_state (want->download) == want->state
         && haul_download_get_received (want->download) >= want->min_received;
}

static void
wait_download (EngineFixture     *e,
               HaulDownload      *download,
               HaulDownloadState  state,
               gint64             min_received,
               guint              timeout_ms)
{
  WantState want = { download, state, min_received };
  g_autoptr(GEnumClass) klass = g_type_class_ref (HAUL_TYPE_DOWNLOAD_STATE);

  if (!wait_for (&e->f, download_is, &want, timeout_ms))
    g_error ("%s: wanted %s with %" G_GINT64_FORMAT " bytes, have %s with %" G_GINT64_FORMAT
             " (%s)",
             haul_download_get_uri (download), g_enum_get_value (klass, state)->value_nick,
             min_received,
             g_enum_get_value (klass, haul_download_get_state (download))->value_nick,
             haul_download_get_received (download),
             haul_download_get_error_message (download) != NULL
               ? haul_download_get_error_message (download) : "no error");
}

static gboolean
has_gid (Fixture       *f,
         gconstpointer  data)
{
  return haul_download_get_engine_id ((HaulDownload *) data) != NULL;
}

static gboolean
engine_is (Fixture       *f,
           gconstpointer  data)
{
  EngineFixture *e = (EngineFixture *) f;

  return (int) haul_queue_get_engine_connection (e->queue) == GPOINTER_TO_INT (data);
}

static void
wait_connected (EngineFixture *e)
{
  g_assert_true (wait_for (&e->f, engine_is, GINT_TO_POINTER (HAUL_ENGINE_CONNECTED), 10000));
}

/* The daemon's own view, asked by a client of the test's own. */
static HaulAria2Status *
tell (EngineFixture *e,
      const char    *gid)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  HaulAria2Status *status;

  haul_aria2_client_tell_status_async (e->f.client, gid, NULL, NULL, store_result_cb, &result);
  status = haul_aria2_client_tell_status_finish (e->f.client, wait_result (&e->f, &result),
                                                 &error);
  if (status == NULL)
    g_assert_error (error, HAUL_ERROR, HAUL_ERROR_DAEMON);
  return status;
}

static HaulDownload *
queue_add (EngineFixture        *e,
           const char           *path,
           const char           *folder,
           const HaulAddOptions *options)
{
  g_autofree char *uri = haul_test_server_uri (e->f.server, path);
  g_autoptr(GError) error = NULL;
  HaulDownload *download = haul_queue_add_full (e->queue, uri, folder != NULL ? folder : "/tmp",
                                                options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (download);
  return download;
}

static HaulDownload *
find_by_gid (HaulQueue  *queue,
             const char *gid)
{
  for (guint i = 0; i < haul_queue_get_length (queue); i++)
    if (g_strcmp0 (haul_download_get_engine_id (haul_queue_peek (queue, i)), gid) == 0)
      return haul_queue_peek (queue, i);
  return NULL;
}

static gboolean
in_list (Fixture       *f,
         gconstpointer  gid)
{
  return find_by_gid (((EngineFixture *) f)->queue, gid) != NULL;
}

/* Tests --------------------------------------------------------------- */

static void
test_complete (EngineFixture *e,
               gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * 1024 * 1024 + 5, 11);
  g_autofree char *folder = NULL;
  g_autofree char *daemon_path = NULL;
  g_autofree char *local_path = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  HaulAddOptions options = {
    .file_name = "named.bin",
    .referrer = "http://127.0.0.1/page.html",
    .user_agent = "HaulTest/2.0",
    .cookies = "session=abc",
  };
  HaulDownload *download;

  SKIP_WITHOUT_ARIA2C ();

  haul_test_server_add_file (e->f.server, "/file.bin", body, NULL);
  daemon_start (&e->f, SECRET);
  open_queue (e, SECRET, TRUE);
  wait_connected (e);
  name = g_strdup_printf ("127.0.0.1:%u", e->f.port);
  g_assert_cmpstr (haul_queue_get_engine_name (e->queue), ==, name);
  g_assert_null (haul_queue_get_engine_error (e->queue));

  /* The local folder under the mapping: the daemon's "sub" folder. */
  folder = g_build_filename (e->mapped, "sub", NULL);
  download = queue_add (e, "/file.bin", folder, &options);
  g_assert_true (wait_for (&e->f, has_gid, download, 10000));
  wait_download (e, download, HAUL_DOWNLOAD_COMPLETED, g_bytes_get_size (body), 20000);

  daemon_path = g_build_filename (e->f.download_dir, "sub", "named.bin", NULL);
  g_assert_true (haul_test_file_equals (daemon_path, body));
  g_assert_cmpstr (haul_download_get_file_name (download), ==, "named.bin");
  g_assert_cmpint (haul_download_get_total (download), ==, g_bytes_get_size (body));
  g_assert_cmpint (haul_download_get_received (download), ==, g_bytes_get_size (body));
  /* Open and Show in Folder: the mapped path on this machine. */
  local_path = g_build_filename (folder, "named.bin", NULL);
  path = haul_download_dup_path (download);
  g_assert_cmpstr (path, ==, local_path);
  g_assert_true (haul_download_get_file_reachable (download));
  g_assert_true (haul_test_file_equals (path, body));

  /* ::download-finished once, as for the built-in engine. */
  spin_for (1200);
  g_assert_cmpuint (e->finished->len, ==, 1);
  g_assert_true (g_ptr_array_index (e->finished, 0) == download);

  headers = haul_test_server_get_last_request_headers (e->f.server, "/file.bin");
  g_assert_nonnull (strstr (headers, "Referer: http://127.0.0.1/page.html"));
  g_assert_nonnull (strstr (headers, "User-Agent: HaulTest/2.0"));
  g_assert_nonnull (strstr (headers, "Cookie: session=abc"));
}

static void
test_unmapped (EngineFixture *e,
               gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (300 * 1024, 12);
  g_autofree char *daemon_path = NULL;
  HaulDownload *download;

  SKIP_WITHOUT_ARIA2C ();

  haul_test_server_add_file (e->f.server, "/plain.bin", body, NULL);
  daemon_start (&e->f, SECRET);
  open_queue (e, SECRET, FALSE);
  wait_connected (e);

  /* No mapping: the daemon's own folder, nothing to open here. */
  download = queue_add (e, "/plain.bin", "/home/nobody/Downloads", NULL);
  wait_download (e, download, HAUL_DOWNLOAD_COMPLETED, g_bytes_get_size (body), 20000);
  daemon_path = g_build_filename (e->f.download_dir, "plain.bin", NULL);
  g_assert_true (haul_test_file_equals (daemon_path, body));
  g_assert_null (haul_download_dup_path (download));
  g_assert_false (haul_download_get_file_reachable (download));

  /* The mapping set later: reachable at once. */
  haul_aria2_engine_set_path_mapping (e->engine, e->f.download_dir, e->mapped);
  g_assert_true (haul_download_get_file_reachable (download));
  {
    g_autofree char *path = haul_download_dup_path (download);
    g_autofree char *expected = g_build_filename (e->mapped, "plain.bin", NULL);

    g_assert_cmpstr (path, ==, expected);
  }
}

static void
test_not_found (EngineFixture *e,
                gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (150 * 1024, 19);
  g_autofree char *old_gid = NULL;
  g_autofree char *daemon_path = NULL;
  HaulDownload *download;

  SKIP_WITHOUT_ARIA2C ();

  haul_test_server_add_status (e->f.server, "/gone.iso", 404);
  start_connected (&e->f);
  open_queue (e, SECRET, FALSE);
  wait_connected (e);

  download = queue_add (e, "/gone.iso", NULL, NULL);
  wait_download (e, download, HAUL_DOWNLOAD_FAILED, 0, 20000);
  g_assert_cmpstr (haul_download_get_error_message (download), ==,
                   "The server answered 404 Not Found");
  g_assert_true (haul_download_can_retry (download));
  g_assert_cmpuint (e->finished->len, ==, 1);
  g_assert_true (g_ptr_array_index (e->finished, 0) == download);

  /* The file is there now: Retry asks the daemon again, under a new GID,
   * and the old result goes from its list. */
  haul_test_server_add_file (e->f.server, "/gone.iso", body, NULL);
  old_gid = g_strdup (haul_download_get_engine_id (download));
  haul_queue_retry (e->queue, download);
  wait_download (e, download, HAUL_DOWNLOAD_COMPLETED, g_bytes_get_size (body), 20000);
  g_assert_cmpstr (haul_download_get_engine_id (download), !=, old_gid);
  g_assert_null (haul_download_get_error_message (download));
  daemon_path = g_build_filename (e->f.download_dir, "gone.iso", NULL);
  g_assert_true (haul_test_file_equals (daemon_path, body));
  spin_for (1000);
  g_assert_null (tell (e, old_gid));
  g_assert_cmpuint (haul_queue_get_length (e->queue), ==, 1);
  g_assert_cmpuint (e->finished->len, ==, 2);
}

static void
test_checksum (EngineFixture *e,
               gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (100 * 1024, 13);
  g_autoptr(HaulChecksumSpec) wrong = NULL;
  g_autoptr(GError) error = NULL;
  HaulDownload *download;

  SKIP_WITHOUT_ARIA2C ();

  haul_test_server_add_file (e->f.server, "/sum.bin", body, NULL);
  daemon_start (&e->f, SECRET);
  open_queue (e, SECRET, FALSE);
  wait_connected (e);

  wrong = haul_checksum_spec_parse ("sha-256=00000000000000000000000000000000"
                                    "00000000000000000000000000000000", &error);
  g_assert_no_error (error);
  download = queue_add (e, "/sum.bin", NULL, NULL);
  /* Before the engine sends it (at the next turn of the main loop). */
  haul_download_set_checksum (download, wrong);
  wait_download (e, download, HAUL_DOWNLOAD_FAILED, 0, 20000);
  g_assert_nonnull (strstr (haul_download_get_error_message (download), "checksum"));
}

static void
test_pause_resume (EngineFixture *e,
                   gconstpointer  data)
{
  HaulTestFileOptions slow = { .bytes_per_second = 256 * 1024 };
  g_autoptr(GBytes) body = haul_test_make_bytes (3 * 1024 * 1024, 14);
  g_autoptr(HaulAria2Status) status = NULL;
  g_autofree char *daemon_path = NULL;
  HaulDownload *download;
  gint64 paused_at;

  SKIP_WITHOUT_ARIA2C ();

  haul_test_server_add_file (e->f.server, "/slow.bin", body, &slow);
  start_connected (&e->f);
  open_queue (e, SECRET, FALSE);
  wait_connected (e);

  download = queue_add (e, "/slow.bin", NULL, NULL);
  wait_download (e, download, HAUL_DOWNLOAD_DOWNLOADING, 128 * 1024, 15000);
  g_assert_cmpfloat (haul_download_get_speed (download), >, 0);
  g_assert_cmpuint (haul_download_get_connections (download), >, 0);

  haul_queue_pause (e->queue, download);
  wait_download (e, download, HAUL_DOWNLOAD_PAUSED, 0, 10000);
  g_assert_cmpfloat (haul_download_get_speed (download), ==, 0);
  spin_for (1500);
  status = tell (e, haul_download_get_engine_id (download));
  g_assert_cmpint (status->state, ==, HAUL_ARIA2_PAUSED);
  /* It stays paused: no poll brings it back. */
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_PAUSED);
  paused_at = status->completed;
  spin_for (1200);
  g_clear_pointer (&status, haul_aria2_status_unref);
  status = tell (e, haul_download_get_engine_id (download));
  g_assert_cmpint (status->completed, ==, paused_at);

  haul_queue_resume (e->queue, download);
  wait_download (e, download, HAUL_DOWNLOAD_DOWNLOADING, paused_at + 64 * 1024, 15000);
  wait_download (e, download, HAUL_DOWNLOAD_COMPLETED, g_bytes_get_size (body), 30000);
  daemon_path = g_build_filename (e->f.download_dir, "slow.bin", NULL);
  g_assert_true (haul_test_file_equals (daemon_path, body));
}

static void
test_cancel_remove_undo (EngineFixture *e,
                         gconstpointer  data)
{
  HaulTestFileOptions slow = { .bytes_per_second = 128 * 1024 };
  g_autoptr(GBytes) body = haul_test_make_bytes (4 * 1024 * 1024, 15);
  g_autoptr(HaulAria2Status) status = NULL;
  g_autoptr(HaulDownload) download = NULL;
  g_autofree char *gid = NULL;
  g_autofree char *partial = NULL;

  SKIP_WITHOUT_ARIA2C ();

  haul_test_server_add_file (e->f.server, "/undo.bin", body, &slow);
  start_connected (&e->f);
  open_queue (e, SECRET, TRUE);
  wait_connected (e);

  download = g_object_ref (queue_add (e, "/undo.bin", NULL, NULL));
  wait_download (e, download, HAUL_DOWNLOAD_DOWNLOADING, 64 * 1024, 15000);
  gid = g_strdup (haul_download_get_engine_id (download));

  /* Cancel: paused on the daemon, bytes kept for the undo. */
  haul_queue_cancel (e->queue, download);
  wait_download (e, download, HAUL_DOWNLOAD_CANCELLED, 0, 10000);
  spin_for (1000);
  status = tell (e, gid);
  g_assert_cmpint (status->state, ==, HAUL_ARIA2_PAUSED);
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_CANCELLED);
  g_assert_true (haul_queue_undo (e->queue, download));
  wait_download (e, download, HAUL_DOWNLOAD_DOWNLOADING, status->completed + 32 * 1024, 15000);
  g_assert_cmpstr (haul_download_get_engine_id (download), ==, gid);

  /* Remove: out of the list, still paused on the daemon; undo. */
  haul_queue_remove (e->queue, download);
  g_assert_false (haul_queue_contains (e->queue, download));
  spin_for (1500);
  g_clear_pointer (&status, haul_aria2_status_unref);
  status = tell (e, gid);
  g_assert_cmpint (status->state, ==, HAUL_ARIA2_PAUSED);
  g_assert_null (find_by_gid (e->queue, gid));  /* not adopted back */
  g_assert_true (haul_queue_undo (e->queue, download));
  g_assert_true (haul_queue_contains (e->queue, download));
  wait_download (e, download, HAUL_DOWNLOAD_DOWNLOADING, status->completed + 32 * 1024, 15000);

  /* Remove for good: the daemon forgets it, its partial file goes. */
  partial = g_build_filename (e->f.download_dir, "undo.bin", NULL);
  g_assert_true (g_file_test (partial, G_FILE_TEST_EXISTS));
  haul_queue_remove (e->queue, download);
  haul_queue_discard (e->queue, download);
  spin_for (2000);
  g_clear_pointer (&status, haul_aria2_status_unref);
  status = tell (e, gid);
  g_assert_null (status);
  g_assert_null (find_by_gid (e->queue, gid));
  g_assert_cmpuint (haul_queue_get_length (e->queue), ==, 0);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (e->finished->len, ==, 0);
}

static void
test_wrong_secret (EngineFixture *e,
                   gconstpointer  data)
{
  HaulDownload *download;
  const char *message;

  SKIP_WITHOUT_ARIA2C ();

  daemon_start (&e->f, SECRET);
  open_queue (e, "not-the-secret", FALSE);
  g_assert_true (wait_for (&e->f, engine_is, GINT_TO_POINTER (HAUL_ENGINE_UNREACHABLE), 10000));
  message = haul_queue_get_engine_error (e->queue);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "secret"));
  download = queue_add (e, "/never.bin", NULL, NULL);
  spin_for (200);
  g_assert_cmpint (haul_download_get_waiting (download), ==, HAUL_WAITING_DAEMON);

  /* Retries with backoff say nothing new: one message. */
  spin_for (4000);
  g_assert_cmpuint (e->n_engine_error_notifies, ==, 1);
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_null (haul_download_get_engine_id (download));

  /* The right one: connected, and the download goes. */
  haul_aria2_engine_set_secret (e->engine, SECRET);
  wait_connected (e);
  g_assert_null (haul_queue_get_engine_error (e->queue));
  g_assert_true (wait_for (&e->f, has_gid, download, 10000));
  g_assert_cmpint (haul_download_get_waiting (download), ==, HAUL_WAITING_NONE);
}

static void
test_daemon_restart (EngineFixture *e,
                     gconstpointer  data)
{
  HaulTestFileOptions slow = { .bytes_per_second = 512 * 1024 };
  HaulTestFileOptions slower = { .bytes_per_second = 64 * 1024 };
  g_autoptr(GBytes) body = haul_test_make_bytes (5 * 1024 * 1024, 16);
  g_autoptr(GBytes) held_body = haul_test_make_bytes (4 * 1024 * 1024, 22);
  g_autoptr(HaulAria2Status) held_status = NULL;
  HaulDownload *held;
  g_autofree char *daemon_path = NULL;
  g_autofree char *gid = NULL;
  HaulDownload *download;
  gint64 at_kill;
  guint attempts;

  SKIP_WITHOUT_ARIA2C ();

  haul_test_server_add_file (e->f.server, "/restart.bin", body, &slow);
  haul_test_server_add_file (e->f.server, "/held.bin", held_body, &slower);
  daemon_start (&e->f, SECRET);
  open_queue (e, SECRET, FALSE);
  wait_connected (e);

  download = queue_add (e, "/restart.bin", NULL, NULL);
  held = queue_add (e, "/held.bin", NULL, NULL);
  wait_download (e, download, HAUL_DOWNLOAD_DOWNLOADING, 1024 * 1024, 20000);
  wait_download (e, held, HAUL_DOWNLOAD_DOWNLOADING, 64 * 1024, 20000);
  gid = g_strdup (haul_download_get_engine_id (download));
  /* Its session file has it (written every second). */
  spin_for (1500);

  daemon_stop (&e->f, SIGKILL);
  g_assert_true (wait_for (&e->f, engine_is, GINT_TO_POINTER (HAUL_ENGINE_UNREACHABLE), 10000));
  /* The row keeps its state and says why nothing moves. */
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_DOWNLOADING);
  g_assert_cmpint (haul_download_get_waiting (download), ==, HAUL_WAITING_DAEMON);
  g_assert_cmpfloat (haul_download_get_speed (download), ==, 0);
  at_kill = haul_download_get_received (download);
  g_assert_nonnull (strstr (haul_queue_get_engine_error (e->queue), "127.0.0.1"));
  attempts = haul_aria2_client_get_n_attempts (haul_aria2_engine_get_client (e->engine));
  /* Paused while the daemon is away: at once here, on the daemon once
   * it is back. */
  haul_queue_pause (e->queue, held);
  g_assert_cmpint (haul_download_get_state (held), ==, HAUL_DOWNLOAD_PAUSED);
  spin_for (1500);

  /* Back: Haul reconnects by itself, and the download finishes. */
  daemon_start (&e->f, SECRET);
  g_assert_true (wait_for (&e->f, engine_is, GINT_TO_POINTER (HAUL_ENGINE_CONNECTED), 40000));
  g_assert_cmpuint (haul_aria2_client_get_n_attempts (haul_aria2_engine_get_client (e->engine)),
                    >, attempts);
  wait_download (e, download, HAUL_DOWNLOAD_COMPLETED, g_bytes_get_size (body), 40000);
  g_assert_cmpstr (haul_download_get_engine_id (download), ==, gid);
  g_assert_cmpint (haul_download_get_waiting (download), ==, HAUL_WAITING_NONE);
  g_assert_cmpint (at_kill, >, 0);
  daemon_path = g_build_filename (e->f.download_dir, "restart.bin", NULL);
  g_assert_true (haul_test_file_equals (daemon_path, body));
  g_assert_cmpuint (e->finished->len, ==, 1);

  g_assert_cmpint (haul_download_get_state (held), ==, HAUL_DOWNLOAD_PAUSED);
  make_client (&e->f, NULL, SECRET);
  haul_aria2_client_start (e->f.client);
  g_assert_true (wait_for (&e->f, is_connection, GINT_TO_POINTER (HAUL_ARIA2_CONNECTED), 10000));
  held_status = tell (e, haul_download_get_engine_id (held));
  g_assert_cmpint (held_status->state, ==, HAUL_ARIA2_PAUSED);
}

static void
test_haul_restart (EngineFixture *e,
                   gconstpointer  data)
{
  HaulTestFileOptions slow = { .bytes_per_second = 512 * 1024 };
  g_autoptr(GBytes) body = haul_test_make_bytes (3 * 1024 * 1024, 17);
  g_autoptr(GBytes) other_body = haul_test_make_bytes (200 * 1024, 18);
  g_autofree char *gid = NULL;
  g_autofree char *other_gid = NULL;
  g_autofree char *daemon_path = NULL;
  HaulAria2AddOptions other_options = { .out = "other.bin" };
  HaulDownload *download;
  HaulDownload *other;

  SKIP_WITHOUT_ARIA2C ();

  haul_test_server_add_file (e->f.server, "/mine.bin", body, &slow);
  haul_test_server_add_file (e->f.server, "/other.bin", other_body, NULL);
  start_connected (&e->f);
  open_queue (e, SECRET, FALSE);
  wait_connected (e);

  download = queue_add (e, "/mine.bin", NULL, NULL);
  wait_download (e, download, HAUL_DOWNLOAD_DOWNLOADING, 256 * 1024, 15000);
  gid = g_strdup (haul_download_get_engine_id (download));

  /* Haul quits; the daemon goes on, and another client adds one. */
  close_queue (e);
  other_gid = add (&e->f, "/other.bin", &other_options);
  wait_state (&e->f, other_gid, HAUL_ARIA2_COMPLETE, g_bytes_get_size (other_body), 10000);

  /* Haul starts again on the same database. */
  open_queue (e, SECRET, FALSE);
  download = find_by_gid (e->queue, gid);
  g_assert_nonnull (download);
  wait_connected (e);
  wait_download (e, download, HAUL_DOWNLOAD_COMPLETED, g_bytes_get_size (body), 30000);
  daemon_path = g_build_filename (e->f.download_dir, "mine.bin", NULL);
  g_assert_true (haul_test_file_equals (daemon_path, body));
  /* Completed while watched (it was unfinished when Haul quit). */
  g_assert_cmpuint (e->finished->len, ==, 1);

  /* The other client's download is a row too, once. */
  g_assert_true (wait_for (&e->f, in_list, other_gid, 10000));
  other = find_by_gid (e->queue, other_gid);
  g_assert_nonnull (other);
  g_assert_cmpint (haul_download_get_state (other), ==, HAUL_DOWNLOAD_COMPLETED);
  g_assert_cmpstr (haul_download_get_file_name (other), ==, "other.bin");
  g_assert_cmpint (haul_download_get_received (other), ==, g_bytes_get_size (other_body));
  g_assert_cmpuint (haul_queue_get_length (e->queue), ==, 2);

  /* Once more: nothing twice, both from the store. */
  close_queue (e);
  open_queue (e, SECRET, FALSE);
  g_assert_cmpuint (haul_queue_get_length (e->queue), ==, 2);
  wait_connected (e);
  spin_for (2500);
  g_assert_cmpuint (haul_queue_get_length (e->queue), ==, 2);
  g_assert_nonnull (find_by_gid (e->queue, gid));
  g_assert_nonnull (find_by_gid (e->queue, other_gid));
}

/* The daemon's @option (global with @gid %NULL, else that download's)
 * once it is @expected, or the last value after 15 s: the engine sends
 * a change when it hears of it, an RPC round trip later under load. */
static char *
wait_option (EngineFixture *e,
             const char    *gid,
             const char    *option,
             const char    *expected)
{
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  char *value = NULL;

  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      JsonArray *params = NULL;

      if (value != NULL)
        spin_for (100);
      g_clear_pointer (&value, g_free);
      if (gid != NULL)
        {
          params = json_array_new ();
          json_array_add_string_element (params, gid);
        }
      haul_aria2_client_call_async (e->f.client, gid != NULL ? "aria2.getOption"
                                                             : "aria2.getGlobalOption",
                                    params, NULL, store_result_cb, &result);
      node = haul_aria2_client_call_finish (e->f.client, wait_result (&e->f, &result), &error);
      g_assert_no_error (error);
      value = g_strdup (json_object_get_string_member (json_node_get_object (node), option));
    }
  while (g_strcmp0 (value, expected) != 0 && g_get_monotonic_time () < deadline);

  return value;
}

static void
test_limits (EngineFixture *e,
             gconstpointer  data)
{
  HaulTestFileOptions slow = { .bytes_per_second = 128 * 1024 };
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * 1024 * 1024, 20);
  HaulDownload *download;
  char *value;

  SKIP_WITHOUT_ARIA2C ();

  haul_test_server_add_file (e->f.server, "/limited.bin", body, &slow);
  start_connected (&e->f);
  open_queue (e, SECRET, FALSE);
  wait_connected (e);
  g_object_set (e->queue, "max-active", 5, "speed-limit", 300, NULL);

  value = wait_option (e, NULL, "max-concurrent-downloads", "5");
  g_assert_cmpstr (value, ==, "5");
  g_free (value);
  value = wait_option (e, NULL, "max-overall-download-limit", "307200");
  g_assert_cmpstr (value, ==, "307200");
  g_free (value);

  /* The alternative limit in force instead. */
  g_object_set (e->queue, "alt-speed-limit", 100, "alt-speed-enabled", TRUE, NULL);
  value = wait_option (e, NULL, "max-overall-download-limit", "102400");
  g_assert_cmpstr (value, ==, "102400");
  g_free (value);

  /* A download's own limit, while it runs. */
  download = queue_add (e, "/limited.bin", NULL, NULL);
  g_assert_true (wait_for (&e->f, has_gid, download, 10000));
  wait_download (e, download, HAUL_DOWNLOAD_DOWNLOADING, 1, 15000);
  haul_queue_set_download_speed_limit (e->queue, download, 64 * 1024);
  value = wait_option (e, haul_download_get_engine_id (download), "max-download-limit", "65536");
  g_assert_cmpstr (value, ==, "65536");
  g_free (value);
}

/* Outside Haul's hours the daemon is not held, as it is not when the
 * queue is held: a download goes on and no row says it waits. */
static void
test_schedule (EngineFixture *e,
               gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (256 * 1024, 12);
  HaulDownload *download;

  SKIP_WITHOUT_ARIA2C ();

  haul_test_server_add_file (e->f.server, "/night.bin", body, NULL);
  daemon_start (&e->f, SECRET);
  open_queue (e, SECRET, FALSE);
  wait_connected (e);
  /* Queued, not yet with the daemon, when the hours close. */
  download = queue_add (e, "/night.bin", e->f.download_dir, NULL);
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_QUEUED);
  haul_queue_set_schedule (e->queue, FALSE, 42 * G_USEC_PER_SEC);
  g_assert_false (haul_queue_get_schedule_open (e->queue));
  g_assert_cmpint (haul_download_get_waiting (download), ==, HAUL_WAITING_NONE);
  wait_download (e, download, HAUL_DOWNLOAD_COMPLETED, g_bytes_get_size (body), 20000);
  g_assert_cmpint (haul_download_get_waiting (download), ==, HAUL_WAITING_NONE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("HAUL_ARIA2_SECRET");

#define ADD(path, func) \
  g_test_add ("/haul/engine/aria2-engine/" path, EngineFixture, NULL, setup, func, teardown)
  ADD ("complete", test_complete);
  ADD ("unmapped", test_unmapped);
  ADD ("not-found", test_not_found);
  ADD ("checksum", test_checksum);
  ADD ("pause-resume", test_pause_resume);
  ADD ("cancel-remove-undo", test_cancel_remove_undo);
  ADD ("wrong-secret", test_wrong_secret);
  ADD ("daemon-restart", test_daemon_restart);
  ADD ("haul-restart", test_haul_restart);
  ADD ("limits", test_limits);
  ADD ("schedule", test_schedule);
#undef ADD

  return g_test_run ();
}
