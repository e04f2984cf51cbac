/* store-fixture.h: a temporary data folder and the store in it, for the store's tests
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "haul-store.h"

G_BEGIN_DECLS

/* DB_PATH is TMPDIR/data/haul/downloads.db, not made yet. */
typedef struct
{
  char *tmpdir;
  char *db_path;
} Fixture;

void       store_fixture_setup     (Fixture       *fixture,
                                    gconstpointer  data);
void       store_fixture_teardown  (Fixture       *fixture,
                                    gconstpointer  data);
/* Opens @path, asserting it opens. */
HaulStore *store_fixture_open      (const char    *path);
/* Every stored download, asserting the load works. */
GPtrArray *store_fixture_load      (HaulStore     *store);
/* One value read with a connection of the test's own. */
char      *store_fixture_sql_text  (const char    *path,
                                    const char    *sql);
void       store_fixture_sql_exec  (sqlite3       *db,
                                    const char    *sql);

G_END_DECLS
