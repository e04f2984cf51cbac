/* test-store.c: the SQLite store on its own
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store working: round trips, WAL, the lock, migration, threads, the
 * attempt fence, deletes, saves that never block, a long history.
 * (test-store-damage.c: damaged files and folders it cannot write.)
 */

#include "config.h"

#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "haul-checksum.h"
#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-store.h"
#include "haul-store-db.h"
#include "haul-test-server.h"
#include "store-fixture.h"

/* ---------------------------------------------------------------------- */

/* What a download carries besides its bytes: pieces, its checksum, its
 * engine id, the referrer and user agent come back; the credentials and
 * cookies never reach the file (issue #8, item 8; issue #12). */
static void
test_extras (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(HaulStore) store = store_fixture_open (fixture->db_path);
  g_autoptr(HaulDownload) download = haul_download_new ("http://127.0.0.1:1/x", fixture->tmpdir);
  g_autoptr(HaulResumeState) resume = haul_resume_state_new ();
  g_autoptr(GArray) pieces = haul_pieces_from_string ("0-100:100,100-300:20", 300);
  g_autoptr(HaulChecksumSpec) spec =
    haul_checksum_spec_parse ("sha-256=e3b0c44298fc1c149afbf4c8996fb924"
                              "27ae41e4649b934ca495991b7852b855", NULL);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autofree char *dump = NULL;
  HaulDownload *back;
  const char *auth, *cookies, *referrer, *agent;

  resume->partial_path = g_build_filename (fixture->tmpdir, "x.part", NULL);
  resume->total = 300;
  resume->etag = g_strdup ("\"p\"");
  resume->partial_id.dev = 1;
  resume->partial_id.ino = 2;
  resume->partial_id.birth = 3;
  haul_resume_state_set_pieces (resume, pieces);
  haul_download_set_resume_state (download, resume);
  haul_download_set_checksum (download, spec);
  haul_download_set_checksum_state (download, HAUL_CHECKSUM_PENDING);
  haul_download_set_engine_id (download, "2089b05ecca3d829");
  haul_download_set_request_extras (download, "Basic c2VjcmV0", "session=secret-cookie",
                                    "https://site.example/page", "Agent/1.0");
  haul_download_set_speed_limit (download, 12345);
  haul_download_set_from_browser (download, TRUE);
  haul_download_set_state (download, HAUL_DOWNLOAD_PAUSED);
  haul_store_save (store, download);
  haul_store_sync (store);

  loaded = store_fixture_load (store);
  g_assert_cmpuint (loaded->len, ==, 1);
  back = g_ptr_array_index (loaded, 0);
  g_assert_cmpint (haul_download_get_confirmed (back), ==, 120);
  g_assert_nonnull (haul_download_get_resume_state (back)->pieces);
  g_assert_cmpuint (haul_download_get_resume_state (back)->pieces->len, ==, 2);
  g_assert_cmpuint (haul_download_get_resume_state (back)->partial_id.birth, ==, 3);
  g_assert_true (haul_checksum_spec_equal (haul_download_get_checksum (back), spec));
  g_assert_cmpint (haul_download_get_checksum_state (back), ==, HAUL_CHECKSUM_PENDING);
  g_assert_cmpstr (haul_download_get_engine_id (back), ==, "2089b05ecca3d829");
  g_assert_cmpuint (haul_download_get_speed_limit (back), ==, 12345);
  g_assert_true (haul_download_get_from_browser (back));
  haul_download_get_request_extras (back, &auth, &cookies, &referrer, &agent);
  g_assert_null (auth);
  g_assert_null (cookies);
  g_assert_cmpstr (referrer, ==, "https://site.example/page");
  g_assert_cmpstr (agent, ==, "Agent/1.0");

  /* Nowhere in the file, not even in the write-ahead log. */
  dump = store_fixture_sql_text (fixture->db_path, "SELECT quote(group_concat(downloads.uri || "
                   "coalesce(referrer, '') || coalesce(user_agent, ''))) FROM downloads;");
  g_assert_null (strstr (dump, "secret"));
  {
    g_autofree char *wal_path = g_strconcat (fixture->db_path, "-wal", NULL);
    g_autofree char *wal = NULL;
    gsize length = 0;

    if (g_file_get_contents (wal_path, &wal, &length, NULL))
      g_assert_null (g_strstr_len (wal, length, "secret"));
  }
}

/* Issue #8, item 2: one process per data folder; the second is told why
 * and the first keeps working. */
static void
test_lock (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(HaulStore) first = store_fixture_open (fixture->db_path);
  g_autoptr(GError) error = NULL;
  HaulStore *second = haul_store_new (fixture->db_path, &error);
  g_autoptr(HaulDownload) download = haul_download_new ("http://127.0.0.1:1/l", "/tmp");

  g_assert_null (second);
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_ALREADY_RUNNING);
  g_assert_nonnull (strstr (error->message, "already running"));

  haul_store_save (first, download);
  g_assert_true (haul_store_sync (first));

  /* Let go, and the next one may open it. */
  g_clear_object (&first);
  g_clear_error (&error);
  second = haul_store_new (fixture->db_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
  g_object_unref (second);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(HaulStore) store = store_fixture_open (fixture->db_path);
  g_autoptr(HaulDownload) full = haul_download_new ("http://127.0.0.1:1/a.iso", fixture->tmpdir);
  g_autoptr(HaulDownload) bare = haul_download_new ("https://example.org/b", "/nowhere");
  g_autoptr(HaulDownload) done = haul_download_new ("http://127.0.0.1:1/c.txt", fixture->tmpdir);
  g_autoptr(GDateTime) created = g_date_time_new_local (2026, 3, 14, 15, 9, 26.535);
  g_autoptr(GDateTime) finished = g_date_time_new_local (2026, 3, 14, 16, 0, 0.25);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autofree char *partial = g_build_filename (fixture->tmpdir, "a.iso.part", NULL);
  g_autofree char *mode = NULL;
  HaulDownload *a, *b, *c;
  struct stat st;

  haul_download_set_final_uri (full, "http://127.0.0.1:1/mirror/a.iso");
  haul_download_set_file_name (full, "a.iso");
  haul_download_set_content_type (full, "application/x-iso9660-image");
  haul_download_set_partial_path (full, partial);
  haul_download_set_validators (full, "\"v1-é\"", "Wed, 21 Oct 2015 07:28:00 GMT");
  haul_download_set_confirmed (full, 1234567);
  haul_download_set_progress (full, 1300000, 9876543210, 0.0, -1);
  haul_download_set_error_message (full, "The server closed the connection");
  haul_download_set_notice (full, "The file changed on the server; started again from zero");
  haul_download_set_created (full, created);
  haul_download_set_state (full, HAUL_DOWNLOAD_PAUSED);

  g_assert_cmpint (haul_download_get_id (full), <=, 0);
  haul_store_save (store, full);
  haul_store_save (store, bare);
  g_assert_cmpint (haul_download_get_id (full), >, 0);
  g_assert_cmpint (haul_download_get_id (bare), >, haul_download_get_id (full));

  haul_download_set_file_name (done, "c.txt");
  haul_download_set_progress (done, 4, 4, 0.0, -1);
  haul_download_set_confirmed (done, 4);
  haul_download_set_created (done, created);
  haul_download_set_finished (done, finished);
  haul_download_set_state (done, HAUL_DOWNLOAD_COMPLETED);
  haul_store_save (store, done);

  /* A later save of the same download replaces the row. */
  haul_download_set_state (bare, HAUL_DOWNLOAD_FAILED);
  haul_download_set_error_message (bare, "Not found");
  haul_store_save (store, bare);

  g_assert_finalize_object (g_steal_pointer (&store));

  /* The folder is private. */
  {
    g_autofree char *folder = g_path_get_dirname (fixture->db_path);

    g_assert_cmpint (g_stat (folder, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  }

  store = store_fixture_open (fixture->db_path);
  g_assert_null (haul_store_get_recovered_path (store));
  loaded = store_fixture_load (store);
  g_assert_cmpuint (loaded->len, ==, 3);
  a = g_ptr_array_index (loaded, 0);
  b = g_ptr_array_index (loaded, 1);
  c = g_ptr_array_index (loaded, 2);

  g_assert_cmpint (haul_download_get_id (a), ==, haul_download_get_id (full));
  g_assert_cmpstr (haul_download_get_uri (a), ==, "http://127.0.0.1:1/a.iso");
  g_assert_cmpstr (haul_download_get_final_uri (a), ==, "http://127.0.0.1:1/mirror/a.iso");
  g_assert_cmpstr (haul_download_get_folder (a), ==, fixture->tmpdir);
  g_assert_cmpstr (haul_download_get_file_name (a), ==, "a.iso");
  g_assert_cmpstr (haul_download_get_content_type (a), ==, "application/x-iso9660-image");
  g_assert_cmpstr (haul_download_get_partial_path (a), ==, partial);
  g_assert_cmpstr (haul_download_get_etag (a), ==, "\"v1-é\"");
  g_assert_cmpstr (haul_download_get_last_modified (a), ==, "Wed, 21 Oct 2015 07:28:00 GMT");
  g_assert_cmpint (haul_download_get_confirmed (a), ==, 1234567);
  /* What is shown as received is what is known to be on disk. */
  g_assert_cmpint (haul_download_get_received (a), ==, 1234567);
  g_assert_cmpint (haul_download_get_total (a), ==, 9876543210);
  g_assert_cmpint (haul_download_get_state (a), ==, HAUL_DOWNLOAD_PAUSED);
  g_assert_cmpstr (haul_download_get_error_message (a), ==, "The server closed the connection");
  g_assert_cmpstr (haul_download_get_notice (a), ==,
                   "The file changed on the server; started again from zero");
  g_assert_nonnull (haul_download_get_created (a));
  g_assert_true (g_date_time_equal (haul_download_get_created (a), created));
  g_assert_null (haul_download_get_finished (a));

  g_assert_cmpstr (haul_download_get_uri (b), ==, "https://example.org/b");
  g_assert_cmpstr (haul_download_get_folder (b), ==, "/nowhere");
  g_assert_null (haul_download_get_final_uri (b));
  g_assert_null (haul_download_get_file_name (b));
  g_assert_null (haul_download_get_partial_path (b));
  g_assert_null (haul_download_get_etag (b));
  g_assert_null (haul_download_get_last_modified (b));
  g_assert_null (haul_download_get_notice (b));
  g_assert_cmpint (haul_download_get_state (b), ==, HAUL_DOWNLOAD_FAILED);
  g_assert_cmpstr (haul_download_get_error_message (b), ==, "Not found");
  g_assert_nonnull (haul_download_get_created (b));

  g_assert_cmpint (haul_download_get_state (c), ==, HAUL_DOWNLOAD_COMPLETED);
  g_assert_cmpint (haul_download_get_received (c), ==, 4);
  g_assert_true (g_date_time_equal (haul_download_get_finished (c), finished));
  g_assert_cmpstr (haul_download_get_file_name (c), ==, "c.txt");

  /* Ids keep growing after a reopen: a new download never takes an old id. */
  {
    g_autoptr(HaulDownload) later = haul_download_new ("http://127.0.0.1:1/d", fixture->tmpdir);

    haul_store_save (store, later);
    g_assert_cmpint (haul_download_get_id (later), >, haul_download_get_id (done));
  }

  g_assert_finalize_object (g_steal_pointer (&store));

  mode = store_fixture_sql_text (fixture->db_path, "PRAGMA journal_mode;");
  g_assert_cmpstr (mode, ==, "wal");
}

static void
test_wal_and_version (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(HaulStore) store = store_fixture_open (fixture->db_path);
  g_autofree char *mode = NULL;
  g_autofree char *version = NULL;
  g_autofree char *wal = g_strconcat (fixture->db_path, "-wal", NULL);
  g_autoptr(HaulDownload) download = haul_download_new ("http://127.0.0.1:1/x", fixture->tmpdir);

  haul_store_save (store, download);
  haul_store_sync (store);

  /* While the store is open its writes go to the write-ahead log. */
  g_assert_true (g_file_test (wal, G_FILE_TEST_IS_REGULAR));
  mode = store_fixture_sql_text (fixture->db_path, "PRAGMA journal_mode;");
  g_assert_cmpstr (mode, ==, "wal");
  version = store_fixture_sql_text (fixture->db_path, "PRAGMA user_version;");
  g_assert_cmpint (g_ascii_strtoll (version, NULL, 10), ==, HAUL_STORE_SCHEMA_VERSION);

  /* A sync makes the row visible to anyone reading the file. */
  {
    g_autofree char *count = store_fixture_sql_text (fixture->db_path,
                                                     "SELECT COUNT(*) FROM downloads;");

    g_assert_cmpstr (count, ==, "1");
  }
}

/* The first release's schema, written by hand as that release would have. */
static void
write_v1_database (const char *path,
                   const char *folder)
{
  sqlite3 *db = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *insert = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  store_fixture_sql_exec (db,
            "PRAGMA journal_mode = WAL;"
            "CREATE TABLE downloads ("
            "  id INTEGER PRIMARY KEY, uri TEXT NOT NULL, final_uri TEXT,"
            "  folder TEXT NOT NULL, file_name TEXT, partial_path TEXT,"
            "  state TEXT NOT NULL, confirmed INTEGER NOT NULL DEFAULT 0,"
            "  total INTEGER NOT NULL DEFAULT -1, etag TEXT, last_modified TEXT,"
            "  error TEXT, created INTEGER NOT NULL, finished INTEGER,"
            "  updated INTEGER NOT NULL);"
            "PRAGMA user_version = 1;");
  insert = sqlite3_mprintf ("INSERT INTO downloads (id, uri, final_uri, folder, file_name,"
                            " partial_path, state, confirmed, total, etag, last_modified,"
                            " error, created, finished, updated) VALUES"
                            " (7, 'http://127.0.0.1:1/old.bin', 'http://127.0.0.1:1/o.bin', %Q,"
                            "  'old.bin', %Q, 'paused', 4096, 10000, '\"e1\"', NULL, NULL,"
                            "  1700000000000000, NULL, 1700000000000000),"
                            " (9, 'http://127.0.0.1:1/done.bin', NULL, %Q, 'done.bin', NULL,"
                            "  'completed', 10, 10, NULL, NULL, NULL,"
                            "  1700000000000000, 1700000100000000, 1700000100000000);",
                            folder, "/tmp/old.bin.part", folder);
  store_fixture_sql_exec (db, insert);
  sqlite3_free (g_steal_pointer (&insert));
  sqlite3_close (db);
}

static void
test_migrate_v1 (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(HaulStore) store = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autofree char *version = NULL;
  HaulDownload *old, *done;

  write_v1_database (fixture->db_path, fixture->tmpdir);

  store = store_fixture_open (fixture->db_path);
  g_assert_null (haul_store_get_recovered_path (store));
  version = store_fixture_sql_text (fixture->db_path, "PRAGMA user_version;");
  g_assert_cmpint (g_ascii_strtoll (version, NULL, 10), ==, HAUL_STORE_SCHEMA_VERSION);

  loaded = store_fixture_load (store);
  g_assert_cmpuint (loaded->len, ==, 2);
  old = g_ptr_array_index (loaded, 0);
  done = g_ptr_array_index (loaded, 1);
  g_assert_cmpint (haul_download_get_id (old), ==, 7);
  g_assert_cmpstr (haul_download_get_uri (old), ==, "http://127.0.0.1:1/old.bin");
  g_assert_cmpstr (haul_download_get_final_uri (old), ==, "http://127.0.0.1:1/o.bin");
  g_assert_cmpstr (haul_download_get_file_name (old), ==, "old.bin");
  g_assert_cmpstr (haul_download_get_partial_path (old), ==, "/tmp/old.bin.part");
  g_assert_cmpint (haul_download_get_state (old), ==, HAUL_DOWNLOAD_PAUSED);
  g_assert_cmpint (haul_download_get_confirmed (old), ==, 4096);
  g_assert_cmpint (haul_download_get_total (old), ==, 10000);
  g_assert_cmpstr (haul_download_get_etag (old), ==, "\"e1\"");
  g_assert_null (haul_download_get_notice (old));
  g_assert_null (haul_download_get_content_type (old));
  g_assert_cmpint (g_date_time_to_unix (haul_download_get_created (old)), ==, 1700000000);
  g_assert_cmpint (haul_download_get_id (done), ==, 9);
  g_assert_cmpint (haul_download_get_state (done), ==, HAUL_DOWNLOAD_COMPLETED);
  g_assert_cmpint (g_date_time_to_unix (haul_download_get_finished (done)), ==, 1700000100);
  /* v5: the order is the order they were added in until someone moves one. */
  g_assert_cmpfloat (haul_download_get_position (old), ==, 7);
  g_assert_cmpfloat (haul_download_get_position (done), ==, 9);

  /* The new columns work on the migrated file. */
  haul_download_set_notice (old, "Started again from zero");
  haul_download_set_content_type (old, "application/octet-stream");
  haul_store_save (store, old);
  {
    g_autoptr(HaulDownload) fresh = haul_download_new ("http://127.0.0.1:1/new", fixture->tmpdir);

    haul_store_save (store, fresh);
    g_assert_cmpint (haul_download_get_id (fresh), ==, 10);
  }
  g_assert_finalize_object (g_steal_pointer (&store));

  store = store_fixture_open (fixture->db_path);
  g_clear_pointer (&loaded, g_ptr_array_unref);
  loaded = store_fixture_load (store);
  g_assert_cmpuint (loaded->len, ==, 3);
  g_assert_cmpstr (haul_download_get_notice (g_ptr_array_index (loaded, 0)), ==,
                   "Started again from zero");
  g_assert_cmpstr (haul_download_get_content_type (g_ptr_array_index (loaded, 0)), ==,
                   "application/octet-stream");
}

/* ---------------------------------------------------------------------- */
/* Threads and ordering                                                    */

#define N_THREADS 8
#define N_PER_THREAD 40
#define N_CHECKPOINTS 25

typedef struct
{
  HaulStore *store;
  gint64     ids[N_PER_THREAD];
  guint      attempts[N_PER_THREAD];
} WorkerData;

static gpointer
checkpoint_worker (gpointer user_data)
{
  WorkerData *data = user_data;

  for (guint round = 1; round <= N_CHECKPOINTS; round++)
    for (guint i = 0; i < N_PER_THREAD; i++)
      {
        HaulResumeState checkpoint = {
          .final_uri = (char *) "http://127.0.0.1:1/final",
          .file_name = (char *) "f.bin",
          .partial_path = (char *) "/tmp/f.bin.part",
          .etag = (char *) "\"t\"",
          .confirmed = round * 1000 + i,
          .total = 1000000,
        };

        g_assert_true (haul_store_record_checkpoint (data->store, data->ids[i],
                                                     data->attempts[i], &checkpoint, NULL));
      }
  return NULL;
}

static void
test_threads (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(HaulStore) store = store_fixture_open (fixture->db_path);
  g_autoptr(GPtrArray) downloads = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) loaded = NULL;
  WorkerData workers[N_THREADS];
  GThread *threads[N_THREADS];
  guint extra = 0;

  for (guint t = 0; t < N_THREADS; t++)
    {
      workers[t].store = store;
      for (guint i = 0; i < N_PER_THREAD; i++)
        {
          g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:1/%u/%u", t, i);
          HaulDownload *download = haul_download_new (uri, fixture->tmpdir);

          haul_download_set_state (download, HAUL_DOWNLOAD_DOWNLOADING);
          haul_store_save (store, download);
          workers[t].ids[i] = haul_download_get_id (download);
          workers[t].attempts[i] = haul_store_begin_attempt (store, workers[t].ids[i]);
          g_ptr_array_add (downloads, download);
        }
    }

  for (guint t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new ("checkpoints", checkpoint_worker, &workers[t]);

  /* Meanwhile the main thread adds more downloads. */
  for (; extra < 100; extra++)
    {
      g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:1/extra/%u", extra);
      g_autoptr(HaulDownload) download = haul_download_new (uri, fixture->tmpdir);

      haul_store_save (store, download);
    }

  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);

  haul_store_sync (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  store = store_fixture_open (fixture->db_path);
  loaded = store_fixture_load (store);
  g_assert_cmpuint (loaded->len, ==, N_THREADS * N_PER_THREAD + extra);
  for (guint t = 0; t < N_THREADS; t++)
    for (guint i = 0; i < N_PER_THREAD; i++)
      {
        HaulDownload *download = g_ptr_array_index (loaded, t * N_PER_THREAD + i);

        g_assert_cmpint (haul_download_get_id (download), ==, workers[t].ids[i]);
        g_assert_cmpint (haul_download_get_confirmed (download), ==, N_CHECKPOINTS * 1000 + i);
        g_assert_cmpint (haul_download_get_total (download), ==, 1000000);
        g_assert_cmpstr (haul_download_get_partial_path (download), ==, "/tmp/f.bin.part");
        g_assert_cmpstr (haul_download_get_file_name (download), ==, "f.bin");
        g_assert_cmpstr (haul_download_get_etag (download), ==, "\"t\"");
      }
}

/* A restart from zero is never undone by a late checkpoint of the worker
 * that ran before it. */
static void
test_attempt_fence (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(HaulStore) store = store_fixture_open (fixture->db_path);
  g_autoptr(HaulDownload) download = haul_download_new ("http://127.0.0.1:1/f", fixture->tmpdir);
  g_autoptr(GPtrArray) loaded = NULL;
  HaulResumeState old = { .partial_path = (char *) "/tmp/f.part", .etag = (char *) "\"old\"",
                          .confirmed = 5000, .total = 9000 };
  HaulResumeState fresh = { .partial_path = (char *) "/tmp/f.part", .etag = (char *) "\"new\"",
                            .confirmed = 100, .total = 9100 };
  guint first, second;
  gint64 id;

  haul_download_set_state (download, HAUL_DOWNLOAD_DOWNLOADING);
  haul_store_save (store, download);
  id = haul_download_get_id (download);
  first = haul_store_begin_attempt (store, id);
  g_assert_true (haul_store_record_checkpoint (store, id, first, &old, NULL));

  /* The user cancels and retries: the main thread starts over. */
  second = haul_store_begin_attempt (store, id);
  g_assert_cmpuint (second, !=, first);
  haul_download_set_confirmed (download, 0);
  haul_download_set_validators (download, NULL, NULL);
  haul_download_set_state (download, HAUL_DOWNLOAD_QUEUED);
  haul_store_save (store, download);

  /* The old worker's last checkpoint arrives late: dropped (not an error). */
  g_assert_true (haul_store_record_checkpoint (store, id, first, &old, NULL));
  loaded = store_fixture_load (store);
  g_assert_cmpint (haul_download_get_confirmed (g_ptr_array_index (loaded, 0)), ==, 0);
  g_assert_null (haul_download_get_etag (g_ptr_array_index (loaded, 0)));
  g_clear_pointer (&loaded, g_ptr_array_unref);

  /* The new worker's checkpoints land. */
  g_assert_true (haul_store_record_checkpoint (store, id, second, &fresh, NULL));
  loaded = store_fixture_load (store);
  g_assert_cmpint (haul_download_get_confirmed (g_ptr_array_index (loaded, 0)), ==, 100);
  g_assert_cmpstr (haul_download_get_etag (g_ptr_array_index (loaded, 0)), ==, "\"new\"");
  g_assert_cmpint (haul_download_get_total (g_ptr_array_index (loaded, 0)), ==, 9100);
  g_clear_pointer (&loaded, g_ptr_array_unref);

  /* A checkpoint may lower confirmed: the server's file changed and the
   * worker started again from zero within its attempt. */
  fresh.confirmed = 0;
  g_assert_true (haul_store_record_checkpoint (store, id, second, &fresh, NULL));
  loaded = store_fixture_load (store);
  g_assert_cmpint (haul_download_get_confirmed (g_ptr_array_index (loaded, 0)), ==, 0);
  g_clear_pointer (&loaded, g_ptr_array_unref);

  /* Cancelled (partial removed): a checkpoint still in flight is ignored. */
  haul_download_set_state (download, HAUL_DOWNLOAD_CANCELLED);
  haul_download_set_partial_path (download, NULL);
  haul_store_save (store, download);
  fresh.confirmed = 700;
  g_assert_true (haul_store_record_checkpoint (store, id, second, &fresh, NULL));
  loaded = store_fixture_load (store);
  g_assert_cmpint (haul_download_get_state (g_ptr_array_index (loaded, 0)), ==,
                   HAUL_DOWNLOAD_CANCELLED);
  g_assert_cmpint (haul_download_get_confirmed (g_ptr_array_index (loaded, 0)), ==, 0);
  g_assert_null (haul_download_get_partial_path (g_ptr_array_index (loaded, 0)));
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(HaulStore) store = store_fixture_open (fixture->db_path);
  g_autoptr(HaulDownload) keep = haul_download_new ("http://127.0.0.1:1/keep", fixture->tmpdir);
  g_autoptr(HaulDownload) gone = haul_download_new ("http://127.0.0.1:1/gone", fixture->tmpdir);
  g_autoptr(GPtrArray) loaded = NULL;

  haul_store_save (store, keep);
  haul_store_save (store, gone);
  haul_store_delete (store, haul_download_get_id (gone));
  /* Late news of a removed download does not bring it back. */
  haul_download_set_state (gone, HAUL_DOWNLOAD_FAILED);
  haul_store_save (store, gone);
  {
    HaulResumeState late = { .confirmed = 10, .total = 10 };

    g_assert_true (haul_store_record_checkpoint (store, haul_download_get_id (gone), 0, &late,
                                                 NULL));
  }

  loaded = store_fixture_load (store);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_cmpstr (haul_download_get_uri (g_ptr_array_index (loaded, 0)), ==,
                   "http://127.0.0.1:1/keep");
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* haul_store_save() never waits on SQLite: with the database locked by
 * another connection, a thousand saves still return at once; they land
 * when the lock goes, and haul_store_sync() waits for exactly that. */
static void
test_save_does_not_block (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(HaulStore) store = store_fixture_open (fixture->db_path);
  g_autoptr(GPtrArray) downloads = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *count = NULL;
  g_autoptr(GArray) durations = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3 *locker = NULL;
  gint64 start, total, max = 0, p99;

  g_assert_cmpint (sqlite3_open (fixture->db_path, &locker), ==, SQLITE_OK);
  store_fixture_sql_exec (locker, "BEGIN EXCLUSIVE;");

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:1/%u", i);
      HaulDownload *download = haul_download_new (uri, fixture->tmpdir);
      gint64 before = g_get_monotonic_time ();
      gint64 took;

      haul_store_save (store, download);
      took = g_get_monotonic_time () - before;
      g_array_append_val (durations, took);
      max = MAX (max, took);
      g_ptr_array_add (downloads, download);
    }
  total = g_get_monotonic_time () - start;
  g_array_sort (durations, compare_int64);
  p99 = g_array_index (durations, gint64, durations->len * 99 / 100);
  g_test_message ("1000 saves with the database locked: %.1f ms in all, "
                  "max %" G_GINT64_FORMAT " µs, p99 %" G_GINT64_FORMAT " µs",
                  total / 1000.0, max, p99);
  /* The writer waits up to its busy timeout (5 s) on the lock; the saves
   * did not. */
  g_assert_cmpint (total, <, G_USEC_PER_SEC);

  count = store_fixture_sql_text (fixture->db_path, "SELECT COUNT(*) FROM downloads;");
  g_assert_cmpstr (count, ==, "0");
  store_fixture_sql_exec (locker, "COMMIT;");
  sqlite3_close (locker);

  haul_store_sync (store);
  g_clear_pointer (&count, g_free);
  count = store_fixture_sql_text (fixture->db_path, "SELECT COUNT(*) FROM downloads;");
  g_assert_cmpstr (count, ==, "1000");
}

/* Start-up with a long history: opening (with its integrity check) and
 * loading stay well under a second for 10 000 downloads. */
static void
test_load_many (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(HaulStore) store = store_fixture_open (fixture->db_path);
  g_autoptr(GPtrArray) loaded = NULL;
  gint64 start, opened, done;
  GStatBuf st;

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *uri = g_strdup_printf ("https://example.org/files/%u/archive-%u.tar.xz", i, i);
      g_autoptr(HaulDownload) download = haul_download_new (uri, "/home/user/Downloads");

      haul_download_set_file_name (download, "archive.tar.xz");
      haul_download_set_validators (download, "\"0123456789abcdef\"", "Wed, 21 Oct 2015 07:28:00 GMT");
      haul_download_set_progress (download, 123456789, 123456789, 0, -1);
      haul_download_set_confirmed (download, 123456789);
      haul_download_set_state (download, HAUL_DOWNLOAD_COMPLETED);
      haul_store_save (store, download);
    }
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_cmpint (g_stat (fixture->db_path, &st), ==, 0);

  start = g_get_monotonic_time ();
  store = store_fixture_open (fixture->db_path);
  opened = g_get_monotonic_time ();
  loaded = store_fixture_load (store);
  done = g_get_monotonic_time ();

  g_assert_cmpuint (loaded->len, ==, 10000);
  g_test_message ("10000 downloads (%.1f MiB file): open %.1f ms, load %.1f ms",
                  st.st_size / 1048576.0, (opened - start) / 1000.0, (done - opened) / 1000.0);
  g_assert_cmpint (done - start, <, 5 * G_USEC_PER_SEC);
}

/* Start-up reads the history in a thread of its own (while GTK starts):
 * the same downloads in the queue's order (position, then id), with their
 * times to the microsecond; a store closed before it took them frees them. */
static void
test_load_in_thread (Fixture       *fixture,
                     gconstpointer  data)
{
  static const double positions[] = { 5, 2, 9, 2, 0.5 };
  static const guint order[] = { 4, 1, 3, 0, 2 };
  g_autoptr(HaulStore) store = store_fixture_open (fixture->db_path);
  g_autoptr(GDateTime) created = g_date_time_new_local (2026, 3, 14, 15, 9, 26.535897);
  g_autoptr(GDateTime) finished = g_date_time_new_local (2026, 3, 14, 16, 0, 0.000001);
  g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) loaded = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:1/file-%u", i);
      HaulDownload *download = haul_download_new (uri, fixture->tmpdir);

      haul_download_set_position (download, positions[i]);
      haul_download_set_created (download, created);
      if (i == 2)
        {
          haul_download_set_file_name (download, "file-2");
          haul_download_set_progress (download, 10, 10, 0.0, -1);
          haul_download_set_finished (download, finished);
          haul_download_set_state (download, HAUL_DOWNLOAD_COMPLETED);
        }
      haul_store_save (store, download);
      g_ptr_array_add (saved, download);
    }
  g_assert_finalize_object (g_steal_pointer (&store));

  /* Read in a thread, never taken. */
  store = store_fixture_open (fixture->db_path);
  haul_store_start_loading (store);
  g_assert_finalize_object (g_steal_pointer (&store));

  store = store_fixture_open (fixture->db_path);
  haul_store_start_loading (store);
  loaded = store_fixture_load (store);
  g_assert_cmpuint (loaded->len, ==, G_N_ELEMENTS (positions));
  for (guint i = 0; i < loaded->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (loaded, i);
      HaulDownload *expected = g_ptr_array_index (saved, order[i]);

      g_assert_cmpint (haul_download_get_id (download), ==, haul_download_get_id (expected));
      g_assert_cmpstr (haul_download_get_uri (download), ==, haul_download_get_uri (expected));
      g_assert_cmpfloat (haul_download_get_position (download), ==, positions[order[i]]);
      g_assert_true (g_date_time_equal (haul_download_get_created (download), created));
      g_assert_cmpint (haul_download_get_state (download), ==, haul_download_get_state (expected));
    }
  g_assert_cmpint (haul_download_get_received (g_ptr_array_index (loaded, 4)), ==, 10);
  g_assert_true (g_date_time_equal (haul_download_get_finished (g_ptr_array_index (loaded, 4)),
                                    finished));
  g_assert_null (haul_download_get_finished (g_ptr_array_index (loaded, 0)));

  /* New ids still come after the loaded ones. */
  {
    g_autoptr(HaulDownload) later = haul_download_new ("http://127.0.0.1:1/later", fixture->tmpdir);

    haul_store_save (store, later);
    g_assert_cmpint (haul_download_get_id (later), >,
                     haul_download_get_id (g_ptr_array_index (saved, saved->len - 1)));
  }
}

/* A long history is read by two threads, each on its own connection and
 * half of the ids: every download once, in the queue's order across the
 * halves (here the reverse of the ids), with its own fields. */
static void
test_load_in_two_threads (Fixture       *fixture,
                          gconstpointer  data)
{
  const guint n = 5000;
  g_autoptr(HaulStore) store = store_fixture_open (fixture->db_path);
  g_autoptr(GPtrArray) loaded = NULL;
  gint64 first_id = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:1/file-%u", i);
      g_autofree char *name = g_strdup_printf ("file-%u", i);
      g_autoptr(HaulDownload) download = haul_download_new (uri, fixture->tmpdir);

      haul_download_set_position (download, n - i);
      haul_download_set_file_name (download, name);
      haul_download_set_progress (download, i, i, 0.0, -1);
      haul_download_set_state (download, HAUL_DOWNLOAD_COMPLETED);
      haul_store_save (store, download);
      if (i == 0)
        first_id = haul_download_get_id (download);
    }
  g_assert_finalize_object (g_steal_pointer (&store));

  store = store_fixture_open (fixture->db_path);
  haul_store_start_loading (store);
  loaded = store_fixture_load (store);
  g_assert_cmpuint (loaded->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      HaulDownload *download = g_ptr_array_index (loaded, i);
      guint saved = n - 1 - i;
      g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:1/file-%u", saved);
      g_autofree char *name = g_strdup_printf ("file-%u", saved);

      g_assert_cmpint (haul_download_get_id (download), ==, first_id + saved);
      g_assert_cmpstr (haul_download_get_uri (download), ==, uri);
      g_assert_cmpstr (haul_download_get_file_name (download), ==, name);
      g_assert_cmpint (haul_download_get_received (download), ==, saved);
      g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_COMPLETED);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("/haul/engine/store/round-trip", test_round_trip);
  ADD ("/haul/engine/store/wal", test_wal_and_version);
  ADD ("/haul/engine/store/extras", test_extras);
  ADD ("/haul/engine/store/lock", test_lock);
  ADD ("/haul/engine/store/migrate/v1", test_migrate_v1);
  ADD ("/haul/engine/store/threads", test_threads);
  ADD ("/haul/engine/store/attempt-fence", test_attempt_fence);
  ADD ("/haul/engine/store/delete", test_delete);
  ADD ("/haul/engine/store/save-does-not-block", test_save_does_not_block);
  ADD ("/haul/engine/store/load-many", test_load_many);
  ADD ("/haul/engine/store/load-in-thread", test_load_in_thread);
  ADD ("/haul/engine/store/load-in-two-threads", test_load_in_two_threads);

  return g_test_run ();
}
