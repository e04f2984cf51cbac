/* store-fixture.c: a temporary data folder and the store in it, for the store's tests
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-test-server.h"
#include "store-fixture.h"


void
store_fixture_setup (Fixture       *fixture,
                     gconstpointer  data)
{
  fixture->tmpdir = haul_test_make_tmpdir ();
  fixture->db_path = g_build_filename (fixture->tmpdir, "data", "haul", "downloads.db", NULL);
}

void
store_fixture_teardown (Fixture       *fixture,
                        gconstpointer  data)
{
  haul_test_remove_tree (fixture->tmpdir);
  g_free (fixture->db_path);
  g_free (fixture->tmpdir);
}

HaulStore *
store_fixture_open (const char *path)
{
  g_autoptr(GError) error = NULL;
  HaulStore *store = haul_store_new (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

GPtrArray *
store_fixture_load (HaulStore *store)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *downloads = haul_store_load (store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (downloads);
  return downloads;
}

/* Reads one value with a connection of the test's own. */
char *
store_fixture_sql_text (const char *path,
                        const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

void
store_fixture_sql_exec (sqlite3    *db,
                        const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}
