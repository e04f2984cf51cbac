/* haul-store-db.h: the database file of the store (private to the store)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define HAUL_STORE_SCHEMA_VERSION 6

/* Opens @path and brings it to the current schema, in WAL mode. On
 * failure *bad_file says whether the file itself is the problem (then
 * the caller moves it aside and tries once more with a fresh file). */
sqlite3  *haul_store_db_open          (const char  *path,
                                       gboolean    *bad_file,
                                       GError     **error);
/* Moves @path (and its -wal and -shm) to path.corrupt-YYYYMMDD-HHMMSS.
 * Returns the new path. */
char     *haul_store_db_move_aside    (const char  *path,
                                       GError     **error);
/* Sets @error from @db's last error, in words a person can act on. */
void      haul_store_db_set_error     (sqlite3     *db,
                                       int          code,
                                       const char  *path,
                                       gboolean    *bad_file,
                                       GError     **error);
/* A one-row query returning one value as text or integer. */
gboolean  haul_store_db_query_single  (sqlite3     *db,
                                       const char  *sql,
                                       char       **text_out,
                                       gint64      *int_out,
                                       const char  *path,
                                       gboolean    *bad_file,
                                       GError     **error);
/* Takes the lock of the data @folder for the life of the process and
 * returns its descriptor (close it to let go); -1 with
 * HAUL_ERROR_ALREADY_RUNNING when another process holds it, -1 without
 * an error when no lock can be had there at all (a read-only folder:
 * opening the database then says why it cannot be used). */
int       haul_store_db_lock          (const char  *folder,
                                       GError     **error);

G_END_DECLS
