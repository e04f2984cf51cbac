/* test-credentials.c: a password in a link stays in memory, and only there
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

/* memmem */
#define _GNU_SOURCE
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-queue-private.h"
#include "haul-test-server.h"

#define KiB 1024
#define MiB (1024 * 1024)

/* base64 ("user:secret") */
#define SECRET_B64 "dXNlcjpzZWNyZXQ="

/* Every log message of the process passes here (issue 8, item 8: a
 * g_debug logged the address with its password). */
static gint n_logged;         /* (atomic) */
static gint n_leaked;         /* (atomic) messages that named the password */
static gint probe_seen;       /* (atomic) */

static GLogWriterOutput
recording_writer (GLogLevelFlags   log_level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      g_autofree char *value = NULL;

      if (!g_str_equal (fields[i].key, "MESSAGE"))
        continue;
      value = fields[i].length < 0 ? g_strdup (fields[i].value)
                                   : g_strndup (fields[i].value, fields[i].length);
      g_atomic_int_inc (&n_logged);
      if (strstr (value, "secret") != NULL || strstr (value, SECRET_B64) != NULL)
        {
          g_atomic_int_inc (&n_leaked);
          g_printerr ("leaked: %s\n", value);
        }
      if (strstr (value, "haul-credentials-probe") != NULL)
        g_atomic_int_set (&probe_seen, 1);
    }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* Bounded waits ------------------------------------------------------------ */

typedef struct
{
  HaulDownload      *download;
  HaulDownloadState  state;
  gint64             received;
  gboolean           done;
} Wait;

static gboolean
wait_tick (gpointer data)
{
  Wait *wait = data;

  if (wait->received > 0)
    wait->done = haul_download_get_received (wait->download) >= wait->received;
  else
    wait->done = haul_download_get_state (wait->download) == wait->state;
  return G_SOURCE_CONTINUE;
}

static gboolean
wait_until (Wait  *wait,
            guint  timeout_ms)
{
  guint id = g_timeout_add (5, wait_tick, wait);

  haul_test_spin_until (&wait->done, timeout_ms);
  g_source_remove (id);
  return wait->done;
}

/* Does any file of the database (main, -wal, -shm) hold @needle? */
static gboolean
database_files_contain (const char *db_path,
                        const char *needle)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      if (memmem (contents, length, needle, strlen (needle)) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The row of @id, every column as text. */
static char *
read_row (const char *db_path,
          gint64      id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *row = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT * FROM downloads WHERE id = ?1", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    {
      const unsigned char *text = sqlite3_column_text (stmt, i);

      g_string_append_printf (row, "%s=%s\n", sqlite3_column_name (stmt, i),
                              text != NULL ? (const char *) text : "NULL");
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (row, FALSE);
}

/* Issue 8, item 8: credentials in a link reach the server, and never the
 * store, a log or the download's address; after a restart the download
 * has none, and a server that wants them says so in words a person can
 * act on. */
static void
test_credentials_not_stored (void)
{
  g_autofree char *dir = haul_test_make_tmpdir ();
  g_autofree char *db_path = g_build_filename (dir, "downloads.db", NULL);
  g_autofree char *folder = g_build_filename (dir, "Downloads", NULL);
  HaulTestServer *server = haul_test_server_new ();
  g_autoptr(GBytes) body = haul_test_make_bytes (4 * MiB, 1);
  HaulTestFileOptions slow = { .etag = "\"c1\"", .bytes_per_second = 512 * KiB };
  g_autofree char *plain = haul_test_server_uri (server, "/f.bin");
  g_autofree char *uri = g_strdup_printf ("http://user:secret@%s", plain + strlen ("http://"));
  g_autofree char *headers = NULL;
  g_autofree char *row = NULL;
  g_autoptr(GError) error = NULL;
  HaulStore *store = NULL;
  HaulQueue *queue = NULL;
  HaulDownload *download;
  const char *authorization, *cookies, *referrer, *user_agent;
  gint64 id;

  g_debug ("haul-credentials-probe");
  g_assert_true (g_atomic_int_get (&probe_seen));
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  haul_test_server_add_file (server, "/f.bin", body, &slow);

  haul_test_open_queue (db_path, &store, &queue);
  download = haul_queue_add (queue, uri, folder, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (haul_download_get_uri (download), ==, plain);
  {
    Wait wait = { download, 0, 256 * KiB, FALSE };

    g_assert_true (wait_until (&wait, 10000));
  }
  headers = haul_test_server_get_last_request_headers (server, "/f.bin");
  g_assert_nonnull (strstr (headers, "Authorization: Basic " SECRET_B64 "\n"));
  g_assert_null (strstr (haul_download_get_uri (download), "secret"));
  g_assert_true (haul_download_get_final_uri (download) == NULL
                 || strstr (haul_download_get_final_uri (download), "secret") == NULL);
  id = haul_download_get_id (download);
  g_assert_cmpint (id, >, 0);
  haul_test_close_queue (&store, &queue);

  /* Not in the row, nor anywhere in the database's files. */
  row = read_row (db_path, id);
  g_test_message ("%s", row);
  g_assert_null (strstr (row, "secret"));
  g_assert_null (strstr (row, SECRET_B64));
  g_assert_nonnull (strstr (row, plain));
  g_assert_false (database_files_contain (db_path, "secret"));
  g_assert_false (database_files_contain (db_path, SECRET_B64));

  /* After a restart: no credentials, and a server that asks for them. */
  haul_test_server_add_status (server, "/f.bin", 401);
  haul_test_open_queue (db_path, &store, &queue);
  download = haul_queue_lookup (queue, id);
  g_assert_nonnull (download);
  haul_download_get_request_extras (download, &authorization, &cookies, &referrer, &user_agent);
  g_assert_null (authorization);
  {
    Wait wait = { download, HAUL_DOWNLOAD_FAILED, 0, FALSE };

    g_assert_true (wait_until (&wait, 10000));
  }
  g_clear_pointer (&headers, g_free);
  headers = haul_test_server_get_last_request_headers (server, "/f.bin");
  g_assert_null (strstr (headers, "Authorization"));
  g_test_message ("%s", haul_download_get_error_message (download));
  g_assert_cmpint (haul_download_get_error_code (download), ==, HAUL_ERROR_HTTP);
  g_assert_cmpstr (haul_download_get_error_message (download), ==,
                   "The server asks for a user name and password (401 Unauthorized)");
  /* The bytes already here stay for a retry with the password. */
  g_assert_nonnull (haul_download_get_partial_path (download));
  g_assert_true (g_file_test (haul_download_get_partial_path (download), G_FILE_TEST_EXISTS));
  haul_test_close_queue (&store, &queue);

  g_assert_false (database_files_contain (db_path, "secret"));
  g_assert_cmpint (g_atomic_int_get (&n_leaked), ==, 0);

  haul_test_server_free (server);
  haul_test_remove_tree (dir);
}

/* Issue 8, item 8: the page a link came from may name a password too
 * (the browser hands over its address as it is); the store now keeps the
 * referrer, and must not keep that. */
static void
test_referrer_not_stored (void)
{
  g_autofree char *dir = haul_test_make_tmpdir ();
  g_autofree char *db_path = g_build_filename (dir, "downloads.db", NULL);
  HaulTestServer *server = haul_test_server_new ();
  g_autoptr(GBytes) body = haul_test_make_bytes (64 * KiB, 2);
  g_autofree char *uri = haul_test_server_uri (server, "/r.bin");
  g_autofree char *page = haul_test_server_uri (server, "/page.html");
  g_autofree char *page_with_user = g_strdup_printf ("http://user:secret@%s",
                                                     page + strlen ("http://"));
  HaulAddOptions options = { .referrer = page_with_user };
  g_autofree char *headers = NULL;
  g_autofree char *row = NULL;
  g_autoptr(GError) error = NULL;
  HaulStore *store = NULL;
  HaulQueue *queue = NULL;
  HaulDownload *download;
  gint64 id;

  haul_test_server_add_file (server, "/r.bin", body, NULL);
  haul_test_open_queue (db_path, &store, &queue);
  download = haul_queue_add_full (queue, uri, dir, &options, &error);
  g_assert_no_error (error);
  {
    Wait wait = { download, HAUL_DOWNLOAD_COMPLETED, 0, FALSE };

    g_assert_true (wait_until (&wait, 10000));
  }
  id = haul_download_get_id (download);
  headers = haul_test_server_get_last_request_headers (server, "/r.bin");
  g_assert_nonnull (strstr (headers, "Referer: "));
  g_assert_null (strstr (headers, "secret"));
  haul_test_close_queue (&store, &queue);

  row = read_row (db_path, id);
  g_assert_null (strstr (row, "secret"));
  g_assert_false (database_files_contain (db_path, "secret"));
  g_assert_nonnull (strstr (row, page));

  haul_test_server_free (server);
  haul_test_remove_tree (dir);
}

/* Issue 8, item 8: a wrong password is told apart from none at all. */
static void
test_credentials_refused (void)
{
  g_autofree char *dir = haul_test_make_tmpdir ();
  HaulTestServer *server = haul_test_server_new ();
  g_autofree char *plain = haul_test_server_uri (server, "/locked");
  g_autofree char *uri = g_strdup_printf ("http://user:secret@%s", plain + strlen ("http://"));
  g_autofree char *forbidden = haul_test_server_uri (server, "/forbidden");
  g_autoptr(GError) error = NULL;
  HaulQueue *queue = haul_queue_new (NULL);
  HaulDownload *locked;
  HaulDownload *refused;

  haul_test_server_add_status (server, "/locked", 401);
  haul_test_server_add_status (server, "/forbidden", 403);
  locked = haul_queue_add (queue, uri, dir, &error);
  g_assert_no_error (error);
  refused = haul_queue_add (queue, forbidden, dir, &error);
  g_assert_no_error (error);
  {
    Wait wait = { locked, HAUL_DOWNLOAD_FAILED, 0, FALSE };
    Wait wait2 = { refused, HAUL_DOWNLOAD_FAILED, 0, FALSE };

    g_assert_true (wait_until (&wait, 10000));
    g_assert_true (wait_until (&wait2, 10000));
  }
  g_test_message ("%s", haul_download_get_error_message (locked));
  g_test_message ("%s", haul_download_get_error_message (refused));
  g_assert_cmpstr (haul_download_get_error_message (locked), ==,
                   "The server did not accept the user name and password (401 Unauthorized)");
  g_assert_cmpstr (haul_download_get_error_message (refused), ==,
                   "The server does not allow this file to be downloaded (403 Forbidden)");
  g_assert_cmpint (g_atomic_int_get (&n_leaked), ==, 0);

  haul_queue_shutdown (queue);
  g_assert_finalize_object (queue);
  haul_test_server_free (server);
  haul_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_log_set_writer_func (recording_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/engine/credentials/not-stored", test_credentials_not_stored);
  g_test_add_func ("/haul/engine/credentials/referrer-not-stored", test_referrer_not_stored);
  g_test_add_func ("/haul/engine/credentials/refused", test_credentials_refused);

  return g_test_run ();
}
