/* test-store-damage.c: the store on a damaged file or a folder it cannot write
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Corrupt files of every kind are moved aside with a clear message and a
 * new database is made; a folder that cannot be made or written is an
 * error that says so. (test-store.c: the store working.)
 */

#include "config.h"

/* unshare() and CLONE_NEWNS */
#define _GNU_SOURCE 1

#include <errno.h>
#include <sched.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-store.h"
#include "haul-store-db.h"
#include "haul-test-server.h"
#include "store-fixture.h"

/* Set in main() before any thread exists: this process has a mount
 * namespace of its own, so it may bind-mount a folder read-only. */
static const char *private_mounts_error = "not tried";

/* ---------------------------------------------------------------------- */
/* Corrupt files                                                           */

typedef enum
{
  CORRUPT_GARBAGE,
  CORRUPT_TEXT,
  CORRUPT_PNG,
  CORRUPT_TRUNCATED,
  CORRUPT_HEADER_ONLY,
  CORRUPT_NEWER_VERSION,
  CORRUPT_FOREIGN,
  CORRUPT_WRONG_COLUMNS,
  CORRUPT_DIRECTORY,
} CorruptKind;

/* A healthy database with enough rows to span many pages. */
static void
write_big_database (const char *path,
                    const char *folder)
{
  g_autoptr(HaulStore) store = store_fixture_open (path);

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:1/file-%u-%0200u", i, i);
      g_autoptr(HaulDownload) download = haul_download_new (uri, folder);

      haul_store_save (store, download);
    }
  haul_store_sync (store);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
write_corrupt (const char  *path,
               const char  *folder,
               CorruptKind  kind)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  switch (kind)
    {
    case CORRUPT_GARBAGE:
      {
        g_autoptr(GBytes) bytes = haul_test_make_bytes (64 * 1024, 99);
        g_autofree char *wal = g_strconcat (path, "-wal", NULL);
        g_autofree char *shm = g_strconcat (path, "-shm", NULL);

        g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
        g_assert_no_error (error);
        /* A garbage log and index beside it must go with it. */
        g_file_set_contents (wal, "not a wal", -1, &error);
        g_assert_no_error (error);
        g_file_set_contents (shm, "not a shm", -1, &error);
        g_assert_no_error (error);
      }
      break;

    case CORRUPT_TEXT:
      g_file_set_contents (path, "[Downloads]\nfirst=http://example.org/\n", -1, &error);
      g_assert_no_error (error);
      break;

    case CORRUPT_PNG:
      {
        static const char png[] =
          "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

        g_file_set_contents (path, png, sizeof png - 1, &error);
        g_assert_no_error (error);
      }
      break;

    case CORRUPT_TRUNCATED:
      {
        g_autofree char *contents = NULL;
        gsize length = 0;

        write_big_database (path, folder);
        g_file_get_contents (path, &contents, &length, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (length, >, 64 * 1024);
        g_file_set_contents (path, contents, length / 2, &error);
        g_assert_no_error (error);
      }
      break;

    case CORRUPT_HEADER_ONLY:
      /* The magic string, then nothing useful: cut during a copy. */
      {
        static const char header[] = "SQLite format 3\0\x10\0\x02\x02";

        g_file_set_contents (path, header, sizeof header - 1, &error);
      }
      g_assert_no_error (error);
      break;

    case CORRUPT_NEWER_VERSION:
      {
        sqlite3 *db = NULL;

        write_big_database (path, folder);
        g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
        store_fixture_sql_exec (db, "ALTER TABLE downloads ADD COLUMN mirrors TEXT;"
                                    " PRAGMA user_version = 99;");
        sqlite3_close (db);
      }
      break;

    case CORRUPT_FOREIGN:
      {
        sqlite3 *db = NULL;

        /* Another program's database, with a table of the same name. */
        g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
        store_fixture_sql_exec (db, "CREATE TABLE downloads (url TEXT, bytes INTEGER);"
                      "INSERT INTO downloads VALUES ('http://example.org/', 5);");
        sqlite3_close (db);
      }
      break;

    case CORRUPT_WRONG_COLUMNS:
      {
        sqlite3 *db = NULL;

        /* Claims our current version but lacks our columns. */
        g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
        {
          g_autofree char *sql = g_strdup_printf ("CREATE TABLE downloads (id INTEGER PRIMARY KEY,"
                                                  " uri TEXT); PRAGMA user_version = %d;",
                                                  HAUL_STORE_SCHEMA_VERSION);

          store_fixture_sql_exec (db, sql);
        }
        sqlite3_close (db);
      }
      break;

    case CORRUPT_DIRECTORY:
      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
test_corrupt (Fixture       *fixture,
              gconstpointer  data)
{
  CorruptKind kind = GPOINTER_TO_INT (data);
  g_autoptr(HaulStore) store = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(HaulDownload) download = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *stamp = NULL;
  gsize before_length = 0, after_length = 0;
  const char *recovered;

  write_corrupt (fixture->db_path, fixture->tmpdir, kind);
  if (kind != CORRUPT_DIRECTORY)
    g_assert_true (g_file_get_contents (fixture->db_path, &before, &before_length, NULL));

  store = store_fixture_open (fixture->db_path);

  /* Moved aside under a dated name, untouched... */
  recovered = haul_store_get_recovered_path (store);
  g_assert_nonnull (recovered);
  prefix = g_strconcat (fixture->db_path, ".corrupt-", NULL);
  g_assert_true (g_str_has_prefix (recovered, prefix));
  stamp = g_strdup (recovered + strlen (prefix));
  g_assert_cmpuint (strlen (stamp), ==, strlen ("YYYYMMDD-HHMMSS"));
  g_assert_true (g_ascii_isdigit (stamp[0]) && stamp[8] == '-' && g_ascii_isdigit (stamp[14]));
  if (kind == CORRUPT_DIRECTORY)
    {
      g_assert_true (g_file_test (recovered, G_FILE_TEST_IS_DIR));
    }
  else
    {
      g_assert_true (g_file_get_contents (recovered, &after, &after_length, NULL));
      g_assert_cmpmem (before, before_length, after, after_length);
    }
  if (kind == CORRUPT_GARBAGE)
    {
      g_autofree char *wal = g_strconcat (recovered, "-wal", NULL);
      g_autofree char *wal_contents = NULL;

      g_assert_true (g_file_get_contents (wal, &wal_contents, NULL, NULL));
      g_assert_cmpstr (wal_contents, ==, "not a wal");
    }

  /* ... and a fresh, working database in its place. */
  g_assert_true (g_file_test (fixture->db_path, G_FILE_TEST_IS_REGULAR));
  loaded = store_fixture_load (store);
  g_assert_cmpuint (loaded->len, ==, 0);

  download = haul_download_new ("http://127.0.0.1:1/after", fixture->tmpdir);
  haul_store_save (store, download);
  g_assert_cmpint (haul_download_get_id (download), ==, 1);
  g_assert_finalize_object (g_steal_pointer (&store));

  store = store_fixture_open (fixture->db_path);
  g_assert_null (haul_store_get_recovered_path (store));
  g_clear_pointer (&loaded, g_ptr_array_unref);
  loaded = store_fixture_load (store);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_cmpstr (haul_download_get_uri (g_ptr_array_index (loaded, 0)), ==,
                   "http://127.0.0.1:1/after");
}

/* A second corrupt file the same second does not overwrite the first. */
static void
test_corrupt_twice (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(HaulStore) first = NULL;
  g_autoptr(HaulStore) second = NULL;
  g_autofree char *first_path = NULL;

  write_corrupt (fixture->db_path, fixture->tmpdir, CORRUPT_TEXT);
  first = store_fixture_open (fixture->db_path);
  first_path = g_strdup (haul_store_get_recovered_path (first));
  g_assert_finalize_object (g_steal_pointer (&first));

  g_assert_cmpint (g_unlink (fixture->db_path), ==, 0);
  write_corrupt (fixture->db_path, fixture->tmpdir, CORRUPT_PNG);
  second = store_fixture_open (fixture->db_path);
  g_assert_nonnull (haul_store_get_recovered_path (second));
  g_assert_cmpstr (haul_store_get_recovered_path (second), !=, first_path);
  g_assert_true (g_file_test (first_path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (haul_store_get_recovered_path (second), G_FILE_TEST_IS_REGULAR));
}

/* A folder that cannot be created is an error with a clear message, not a
 * crash and not a silent in-memory store. (Tests run as root, who may
 * write anywhere, so a regular file stands where the folder should be.) */
static void
test_unwritable_folder (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *blocker = g_build_filename (fixture->tmpdir, "data", NULL);
  g_autoptr(GError) error = NULL;
  HaulStore *store;

  g_assert_true (g_file_set_contents (blocker, "a file, not a folder", -1, NULL));
  store = haul_store_new (fixture->db_path, &error);
  g_assert_null (store);
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, blocker));
  g_test_message ("message: %s", error->message);
  /* Nothing was moved aside or overwritten. */
  g_assert_true (g_file_test (blocker, G_FILE_TEST_IS_REGULAR));
}

/* A data folder that cannot be written (here a read-only bind mount; root
 * ignores file modes): a clear error at open, whether the database exists
 * or not, and a good database is never moved aside for it. */
static void
test_read_only_folder (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *folder = g_path_get_dirname (fixture->db_path);
  g_autofree char *fresh_path = g_build_filename (folder, "fresh.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_length = 0, after_length = 0;
  const char *paths[] = { fixture->db_path, fresh_path };

  if (private_mounts_error != NULL)
    {
      g_autofree char *reason =
        g_strdup_printf ("needs a private mount namespace to bind-mount the folder "
                         "read-only (root ignores file modes): %s", private_mounts_error);

      g_test_skip (reason);
      return;
    }

  {
    g_autoptr(HaulStore) store = store_fixture_open (fixture->db_path);
    g_autoptr(HaulDownload) download = haul_download_new ("http://127.0.0.1:1/kept", "/tmp");

    haul_store_save (store, download);
  }
  g_assert_true (g_file_get_contents (fixture->db_path, &before, &before_length, NULL));

  g_assert_cmpint (mount (folder, folder, NULL, MS_BIND, NULL), ==, 0);
  if (mount (NULL, folder, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0)
    {
      umount2 (folder, MNT_DETACH);
      g_test_skip ("read-only remount refused");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      HaulStore *store = haul_store_new (paths[i], &error);

      g_assert_null (store);
      g_assert_error (error, HAUL_ERROR, HAUL_ERROR_FILE);
      g_assert_nonnull (strstr (error->message, paths[i]));
      g_assert_true (strstr (error->message, "read-only") != NULL ||
                     strstr (error->message, g_strerror (EROFS)) != NULL);
      g_test_message ("message: %s", error->message);
    }

  g_assert_cmpint (umount2 (folder, MNT_DETACH), ==, 0);

  /* Untouched, and still ours once the folder is writable again. */
  g_assert_true (g_file_get_contents (fixture->db_path, &after, &after_length, NULL));
  g_assert_cmpmem (before, before_length, after, after_length);
  {
    g_autoptr(HaulStore) store = store_fixture_open (fixture->db_path);
    g_autoptr(GPtrArray) loaded = store_fixture_load (store);

    g_assert_null (haul_store_get_recovered_path (store));
    g_assert_cmpuint (loaded->len, ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  static const struct {
    const char  *name;
    CorruptKind  kind;
  } corrupt_cases[] = {
    { "garbage", CORRUPT_GARBAGE },
    { "text", CORRUPT_TEXT },
    { "png", CORRUPT_PNG },
    { "truncated", CORRUPT_TRUNCATED },
    { "header-only", CORRUPT_HEADER_ONLY },
    { "newer-version", CORRUPT_NEWER_VERSION },
    { "foreign", CORRUPT_FOREIGN },
    { "wrong-columns", CORRUPT_WRONG_COLUMNS },
    { "directory", CORRUPT_DIRECTORY },
  };

  /* Before any thread: a mount namespace of our own, mounts private to it. */
  private_mounts_error = haul_test_enter_private_mounts ();

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("/haul/engine/store/corrupt/twice", test_corrupt_twice);
  ADD ("/haul/engine/store/unwritable-folder", test_unwritable_folder);
  ADD ("/haul/engine/store/read-only-folder", test_read_only_folder);

  for (guint i = 0; i < G_N_ELEMENTS (corrupt_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/haul/engine/store/corrupt/%s",
                                               corrupt_cases[i].name);

      g_test_add (path, Fixture, GINT_TO_POINTER (corrupt_cases[i].kind),
                  store_fixture_setup, test_corrupt, store_fixture_teardown);
    }

  return g_test_run ();
}
