/* haul-store-db.c: the database file of the store
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening, checking, migrating and, when it is not a readable Haul
 * database, moving the file aside (see haul-store.c for how it is used);
 * and the lock that keeps a second Haul process away from it.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "haul-error.h"
#include "haul-store-db.h"

#define BUSY_TIMEOUT_MS 5000

/* ---------------------------------------------------------------------- */
/* Schema                                                                  */

/* Version 1: the first release's table. Kept as it was so that a v1 file
 * and a fresh file reach the current schema by the same migrations. */
static const char schema_v1[] =
  "CREATE TABLE downloads ("
  "  id INTEGER PRIMARY KEY,"
  "  uri TEXT NOT NULL,"
  "  final_uri TEXT,"
  "  folder TEXT NOT NULL,"
  "  file_name TEXT,"
  "  partial_path TEXT,"
  "  state TEXT NOT NULL,"
  "  confirmed INTEGER NOT NULL DEFAULT 0,"
  "  total INTEGER NOT NULL DEFAULT -1,"
  "  etag TEXT,"
  "  last_modified TEXT,"
  "  error TEXT,"
  "  created INTEGER NOT NULL,"
  "  finished INTEGER,"
  "  updated INTEGER NOT NULL"
  ");";

/* Version 2: the row shows a notice ("started again from zero") and the
 * file's type. */
static const char schema_v2[] =
  "ALTER TABLE downloads ADD COLUMN content_type TEXT;"
  "ALTER TABLE downloads ADD COLUMN notice TEXT;";

/* Version 3: downloads in pieces over several connections, the identity
 * of the partial file (so a late clean-up never deletes a newer file of
 * that name), a download's own speed limit, where it came from, and the
 * kind of its last failure (what a retry may reuse depends on it); its
 * expected checksum and whether it was verified; its id on a remote engine
 * (an aria2 GID); the referrer and user agent it was asked with (never
 * cookies or credentials: those stay in memory). */
static const char schema_v3[] =
  "ALTER TABLE downloads ADD COLUMN pieces TEXT;"
  "ALTER TABLE downloads ADD COLUMN partial_dev INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE downloads ADD COLUMN partial_ino INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE downloads ADD COLUMN partial_birth INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE downloads ADD COLUMN speed_limit INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE downloads ADD COLUMN from_browser INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE downloads ADD COLUMN error_code INTEGER NOT NULL DEFAULT -1;"
  "ALTER TABLE downloads ADD COLUMN checksum TEXT;"
  "ALTER TABLE downloads ADD COLUMN checksum_source INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE downloads ADD COLUMN checksum_origin TEXT;"
  "ALTER TABLE downloads ADD COLUMN checksum_state INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE downloads ADD COLUMN engine_id TEXT;"
  "ALTER TABLE downloads ADD COLUMN referrer TEXT;"
  "ALTER TABLE downloads ADD COLUMN user_agent TEXT;";

/* Version 4: the reason of a failure as it can be translated again
 * (haul_error_text_serialize()), so that it is shown in the language of
 * the day it is read, not of the day it happened. */
static const char schema_v4[] =
  "ALTER TABLE downloads ADD COLUMN error_text TEXT;";

/* Version 5: the order of the queue, which a person may change (Move Up,
 * Move Down, a drag); until then it is the order downloads were added in. */
static const char schema_v5[] =
  "ALTER TABLE downloads ADD COLUMN queue_position REAL NOT NULL DEFAULT 0;"
  "UPDATE downloads SET queue_position = id;";

/* Version 6: the kind of file (a category's name, NULL in older rows:
 * guessed from the name and type at load) and whether its folder follows
 * it until the partial file is made. */
static const char schema_v6[] =
  "ALTER TABLE downloads ADD COLUMN category TEXT;"
  "ALTER TABLE downloads ADD COLUMN by_category INTEGER NOT NULL DEFAULT 0;";

static const char * const migrations[] = {
  schema_v1,
  schema_v2,
  schema_v3,
  schema_v4,
  schema_v5,
  schema_v6,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == HAUL_STORE_SCHEMA_VERSION);

/* Error codes that describe the file itself rather than the system. */
static gboolean
is_bad_file_code (int code)
{
  switch (code & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
    case SQLITE_SCHEMA:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Sets @error from the connection's last error. @bad_file tells the caller
 * whether moving the file aside could help. */
void
haul_store_db_set_error (sqlite3     *db,
                  int          code,
                  const char  *path,
                  gboolean    *bad_file,
                  GError     **error)
{
  int extended = db != NULL ? sqlite3_extended_errcode (db) : code;
  int system_errno = db != NULL ? sqlite3_system_errno (db) : 0;
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (code);

  /* "unable to open database file" says less than "Read-only file
   * system"; SQLite's last errno may come from a fallback attempt, so
   * ask the folder itself first. */
  if ((code & 0xff) == SQLITE_CANTOPEN || (code & 0xff) == SQLITE_READONLY)
    {
      g_autofree char *folder = g_path_get_dirname (path);

      if (g_access (folder, W_OK) != 0)
        system_errno = errno;
    }
  if (system_errno != 0 && system_errno != ENOENT &&
      (code & 0xff) != SQLITE_CORRUPT && (code & 0xff) != SQLITE_NOTADB)
    detail = g_strerror (system_errno);

  if (bad_file != NULL)
    *bad_file = is_bad_file_code (code) || is_bad_file_code (extended);

  if ((code & 0xff) == SQLITE_FULL)
    g_set_error (error, HAUL_ERROR, HAUL_ERROR_DISK_FULL,
                 _("The disk is full: could not save the list of downloads in “%s”"),
                 path);
  else
    g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                 _("Could not open the list of downloads “%s”: %s"),
                 path, detail);
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          const char  *path,
          gboolean    *bad_file,
          GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      haul_store_db_set_error (db, rc, path, bad_file, error);
      return FALSE;
    }
  return TRUE;
}

/* Runs a one-row query returning one value as text or integer. */
gboolean
haul_store_db_query_single (sqlite3     *db,
              const char  *sql,
              char       **text_out,
              gint64      *int_out,
              const char  *path,
              gboolean    *bad_file,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (text_out != NULL)
        *text_out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (int_out != NULL)
        *int_out = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_OK;
    }
  else if (rc == SQLITE_DONE)
    {
      rc = SQLITE_OK;
    }

  if (rc != SQLITE_OK)
    haul_store_db_set_error (db, rc, path, bad_file, error);
  sqlite3_finalize (stmt);
  return rc == SQLITE_OK;
}

static gboolean
migrate (sqlite3     *db,
         gint64       from_version,
         const char  *path,
         gboolean    *bad_file,
         GError     **error)
{
  if (!exec_sql (db, "BEGIN IMMEDIATE;", path, bad_file, error))
    return FALSE;

  for (gint64 v = from_version; v < HAUL_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *bump = NULL;

      if (!exec_sql (db, migrations[v], path, bad_file, error))
        goto rollback;
      bump = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT ";", v + 1);
      if (!exec_sql (db, bump, path, bad_file, error))
        goto rollback;
    }

  if (!exec_sql (db, "COMMIT;", path, bad_file, error))
    goto rollback;
  return TRUE;

rollback:
  /* A plain SQL error here ("table downloads already exists", "duplicate
   * column") means the file's tables are not the ones its version claims:
   * not our file. Disk full, read-only or I/O errors are not its fault. */
  if ((sqlite3_errcode (db) & 0xff) == SQLITE_ERROR)
    *bad_file = TRUE;
  sqlite3_exec (db, "ROLLBACK;", NULL, NULL, NULL);
  return FALSE;
}

/* The columns a file of @version must have; a file claiming a version
 * without them was not made by Haul, or was damaged. */
static gboolean
check_columns (sqlite3     *db,
               gint64       version,
               const char  *path,
               gboolean    *bad_file,
               GError     **error)
{
  static const struct {
    const char *name;
    gint64      since;
  } required[] = {
    { "id", 1 }, { "uri", 1 }, { "final_uri", 1 }, { "folder", 1 },
    { "file_name", 1 }, { "partial_path", 1 }, { "state", 1 }, { "confirmed", 1 },
    { "total", 1 }, { "etag", 1 }, { "last_modified", 1 }, { "error", 1 },
    { "created", 1 }, { "finished", 1 }, { "updated", 1 },
    { "content_type", 2 }, { "notice", 2 },
    { "pieces", 3 }, { "partial_dev", 3 }, { "partial_ino", 3 }, { "partial_birth", 3 }, { "speed_limit", 3 },
    { "from_browser", 3 }, { "error_code", 3 },
    { "checksum", 3 }, { "checksum_source", 3 }, { "checksum_origin", 3 },
    { "checksum_state", 3 }, { "engine_id", 3 }, { "referrer", 3 }, { "user_agent", 3 },
    { "error_text", 4 },
    { "queue_position", 5 },
    { "category", 6 }, { "by_category", 6 },
  };
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT name FROM pragma_table_info('downloads');", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_hash_table_add (found, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_DONE && rc != SQLITE_OK)
    {
      haul_store_db_set_error (db, rc, path, bad_file, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      if (required[i].since <= version &&
          !g_hash_table_contains (found, required[i].name))
        {
          *bad_file = TRUE;
          g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                       _("The list of downloads “%s” is not in the expected format"),
                       path);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
has_sqlite_header (const char  *path,
                   gboolean    *bad_file,
                   GError     **error)
{
  static const char magic[16] = "SQLite format 3";
  char header[100];
  FILE *file;
  size_t n;

  file = g_fopen (path, "rb");
  if (file == NULL)
    return TRUE;  /* missing: SQLite creates it; other errors: SQLite reports them */
  n = fread (header, 1, sizeof header, file);
  fclose (file);

  if (n == 0 || (n == sizeof header && memcmp (header, magic, sizeof magic) == 0))
    return TRUE;

  *bad_file = TRUE;
  g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
               _("The list of downloads “%s” is not a database"), path);
  return FALSE;
}

/* Opens @path and brings it to HAUL_STORE_SCHEMA_VERSION. On failure *bad_file says
 * whether the file itself is the problem (then the caller moves it
 * aside and tries once more with a fresh file). */
sqlite3 *
haul_store_db_open (const char  *path,
               gboolean    *bad_file,
               GError     **error)
{
  sqlite3 *db = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *check = NULL;
  gint64 version = 0;
  gint64 n_objects = 0;
  struct stat st;
  int rc;

  *bad_file = FALSE;

  /* Something that is not a file (a folder, a socket) where the database
   * should be: SQLite would only say it cannot open it. */
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      *bad_file = TRUE;
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                   _("The list of downloads “%s” is not a file"), path);
      return NULL;
    }

  /* Not even SQLite's magic string: say so before SQLite opens it, since
   * closing it would delete a -wal and -shm beside it that we keep as
   * evidence. (An empty file is a new database.) */
  if (!has_sqlite_header (path, bad_file, error))
    return NULL;

  /* No mutex of SQLite's own: the store's threads take turns on its
   * db_lock (haul-store-internal.h), and SQLite's lock around every
   * column read was an eighth of reading a long history. */
  rc = sqlite3_open_v2 (path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      haul_store_db_set_error (db, rc, path, bad_file, error);
      goto fail;
    }
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);

  /* Look before changing anything: a file that is not ours is kept as it
   * was. The first statement reads the header: garbage fails here. A
   * truncated or damaged file often opens fine and fails later, in the
   * middle of a save: look at every page now (the history is small). */
  if (!haul_store_db_query_single (db, "PRAGMA quick_check;", &check, NULL, path, bad_file, error))
    goto fail;
  if (g_strcmp0 (check, "ok") != 0)
    {
      *bad_file = TRUE;
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                   _("The list of downloads “%s” is damaged: %s"), path, check);
      goto fail;
    }

  if (!haul_store_db_query_single (db, "PRAGMA user_version;", NULL, &version, path, bad_file, error))
    goto fail;
  if (version < 0 || version > HAUL_STORE_SCHEMA_VERSION)
    {
      *bad_file = TRUE;
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                   _("The list of downloads “%s” was made by a newer version of Haul"),
                   path);
      goto fail;
    }
  /* Version 0 is a file Haul just created: the first migration and its
   * version bump are one transaction, so ours at 0 has no tables. */
  if (version == 0)
    {
      if (!haul_store_db_query_single (db, "SELECT COUNT(*) FROM sqlite_master;", NULL, &n_objects,
                         path, bad_file, error))
        goto fail;
      if (n_objects > 0)
        {
          *bad_file = TRUE;
          g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                       _("The list of downloads “%s” is not in the expected format"),
                       path);
          goto fail;
        }
    }
  else if (!check_columns (db, version, path, bad_file, error))
    {
      goto fail;
    }

  if (!haul_store_db_query_single (db, "PRAGMA journal_mode = WAL;", &journal, NULL, path, bad_file, error))
    goto fail;
  if (g_ascii_strcasecmp (journal, "wal") != 0)
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                   _("Could not open the list of downloads “%s”: %s"),
                   path, _("the file system does not support write-ahead logging"));
      goto fail;
    }
  if (!exec_sql (db,
                 "PRAGMA synchronous = NORMAL;"
                 "PRAGMA foreign_keys = ON;",
                 path, bad_file, error))
    goto fail;

  /* SQLite opens a file it may not write read-only without a word (a
   * read-only mount, a file owned by someone else); every save would then
   * fail later, unseen. Take the write lock once now instead. */
  if (sqlite3_db_readonly (db, "main") == 1)
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                   _("The list of downloads “%s” cannot be changed: the file or its folder is read-only"),
                   path);
      goto fail;
    }
  if (!exec_sql (db, "BEGIN IMMEDIATE; COMMIT;", path, NULL, error))
    goto fail;

  if (version < HAUL_STORE_SCHEMA_VERSION && !migrate (db, version, path, bad_file, error))
    goto fail;

  return db;

fail:
  sqlite3_close_v2 (db);
  return NULL;
}

/* Renames @from to @to if @from exists. */
static gboolean
move_if_exists (const char  *from,
                const char  *to,
                GError     **error)
{
  if (g_rename (from, to) == 0 || errno == ENOENT)
    return TRUE;

  {
    int saved_errno = errno;

    g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                 _("Could not move the damaged list of downloads “%s” aside: %s"),
                 from, g_strerror (saved_errno));
  }
  return FALSE;
}

/* Moves @path (and its -wal and -shm) to path.corrupt-YYYYMMDD-HHMMSS,
 * with a -N suffix if that name is taken. Returns the new path. */
char *
haul_store_db_move_aside (const char  *path,
            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.corrupt-%s", path, stamp);
  static const char * const suffixes[] = { "-wal", "-shm" };

  for (guint n = 2; g_file_test (target, G_FILE_TEST_EXISTS); n++)
    {
      g_free (target);
      target = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, n);
    }

  if (!move_if_exists (path, target, error))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (target, suffixes[i], NULL);

      if (!move_if_exists (from, to, error))
        return NULL;
    }

  return g_steal_pointer (&target);
}

/* ---------------------------------------------------------------------- */
/* One process per data folder                                             */

int
haul_store_db_lock (const char  *folder,
                    GError     **error)
{
  g_autofree char *path = g_build_filename (folder, "lock", NULL);
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

  /* flock() works on a descriptor opened for reading, too: a read-only
   * folder still gets the lock if the file is there. */
  if (fd < 0)
    fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    {
      /* No lock can be had here (a read-only folder without the file):
       * opening the database says why it cannot be used. */
      g_debug ("Could not open %s: %s", path, g_strerror (errno));
      return -1;
    }

  /* flock(): held by this open file until the process ends, whatever
   * way it ends; SQLite's own locks are per transaction and would let
   * two processes resume the same partial files. */
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int errsv = errno;

      close (fd);
      if (errsv == EWOULDBLOCK)
        {
          g_set_error (error, HAUL_ERROR, HAUL_ERROR_ALREADY_RUNNING,
                       _("Haul is already running for this user; "
                         "its list of downloads in “%s” is in use"), folder);
          return -1;
        }
      g_debug ("Could not lock %s: %s", path, g_strerror (errsv));
      return -1;
    }
  return fd;
}
