/* haul-store.c: SQLite persistence of the queue and history
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-store.h"

/* How it works
 *
 * One SQLite file in WAL mode. Every write happens on the store's own
 * writer thread: haul_store_save() (main thread) snapshots the download's
 * properties into an owned StoreOp and pushes it on an async queue;
 * checkpoints from workers are pushed the same way. The writer pops
 * operations and applies each run of consecutive ones in one transaction.
 * The main thread only waits on SQLite in haul_store_new(),
 * haul_store_load() (start-up) and haul_store_sync() (quit, tests).
 *
 * Durability: synchronous=NORMAL. In WAL mode a committed transaction is in
 * the WAL file (the kernel's page cache) when COMMIT returns, so it
 * survives the death of the process at any instant, which is what a
 * SIGKILL or a crash is. Only a power cut can lose the last transactions,
 * and then the database rolls back to an older, lower `confirmed`: the
 * partial data was fdatasync()ed before its checkpoint was queued, so the
 * record still never claims more than the disk holds.
 *
 * Ordering rule for `confirmed` (why a checkpoint never undoes a restart):
 *   1. Operations are applied in the order they were queued. A save writes
 *      every column exactly as the main thread saw it; the main thread only
 *      learns `confirmed` from checkpoints and results of its workers, so
 *      it never exceeds what is on disk (it may lag behind, which is safe:
 *      a resume truncates a longer partial file to the recorded length).
 *   2. A checkpoint writes the worker's resume state exactly (it may lower
 *      `confirmed`: the transfer restarted from zero because the
 *      validators changed), but only for a row that is not completed or
 *      cancelled, and never creates a row.
 *   3. Each transfer runs as a numbered attempt: haul_store_begin_attempt()
 *      on the main thread bumps the download's attempt number before the
 *      worker starts; the worker's checkpoints carry it, and one carrying
 *      an older number is dropped before it is queued. The number check
 *      and the push happen under one lock, so an old worker's checkpoint
 *      is either queued before the save that started the new attempt
 *      (which then overwrites it, rule 1) or not at all.
 *   4. A checkpoint call returns only once its row is committed. Workers
 *      (the only callers) may wait, and the transfer relies on it: it
 *      renames a finished partial file, or cuts one shorter, only after
 *      the record that makes this safe is on disk; otherwise a kill in
 *      between leaves a record pointing at a partial file that is gone or
 *      shorter than recorded. (The kill test found the first.)
 *
 * A database file SQLite cannot read as ours (not a database, corrupt,
 * truncated, made by a later Haul) is moved aside, with its -wal and -shm,
 * as downloads.db.corrupt-YYYYMMDD-HHMMSS and a fresh one is started.
 * Errors that say nothing about the file (cannot create the folder, read
 * only, I/O error, disk full) are reported as a GError instead: moving a
 * good database away because the disk is full would lose the history.
 */

#define SCHEMA_VERSION 2
#define BUSY_TIMEOUT_MS 5000
#define MAX_BATCH 512

typedef enum
{
  OP_SAVE,
  OP_CHECKPOINT,
  OP_DELETE,
  OP_SYNC,
  OP_QUIT,
} StoreOpKind;

typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean done;
} StoreWaiter;

typedef struct
{
  StoreOpKind  kind;
  gint64       id;

  /* OP_SAVE and OP_CHECKPOINT, all (owned) (nullable) */
  char        *uri;
  char        *final_uri;
  char        *folder;
  char        *file_name;
  char        *partial_path;
  char        *etag;
  char        *last_modified;
  char        *content_type;
  char        *error;
  char        *notice;
  int          state;
  gint64       confirmed;
  gint64       total;
  gint64       created;   /* unix µs */
  gint64       finished;  /* unix µs, or 0 */
  gint64       updated;   /* unix µs */

  StoreWaiter *waiter;    /* OP_SYNC, owned by the waiting thread */
} StoreOp;

struct _HaulStore
{
  GObject       parent_instance;

  char         *path;            /* (owned) */
  char         *recovered_path;  /* (owned) (nullable) */

  /* Used by the writer thread, and by haul_store_load() after a sync; both
   * hold db_lock while they use it. */
  sqlite3      *db;
  GMutex        db_lock;
  sqlite3_stmt *save_stmt;
  sqlite3_stmt *checkpoint_stmt;
  sqlite3_stmt *delete_stmt;

  GThread      *writer;          /* (owned) */
  GAsyncQueue  *ops;             /* (owned) of StoreOp */

  gint64        next_id;         /* main thread */
  GHashTable   *deleted;         /* main thread: ids removed, never saved again */

  GMutex        attempt_lock;
  GHashTable   *attempts;        /* id → current attempt, under attempt_lock */
};

G_DEFINE_FINAL_TYPE (HaulStore, haul_store, G_TYPE_OBJECT)

/* Stable names in the file, independent of the enum's numbering. */
static const char * const state_names[] = {
  [HAUL_DOWNLOAD_QUEUED] = "queued",
  [HAUL_DOWNLOAD_CONNECTING] = "connecting",
  [HAUL_DOWNLOAD_DOWNLOADING] = "downloading",
  [HAUL_DOWNLOAD_PAUSED] = "paused",
  [HAUL_DOWNLOAD_COMPLETED] = "completed",
  [HAUL_DOWNLOAD_FAILED] = "failed",
  [HAUL_DOWNLOAD_CANCELLED] = "cancelled",
};

static const char *
state_to_string (int state)
{
  if (state < 0 || state >= (int) G_N_ELEMENTS (state_names))
    return state_names[HAUL_DOWNLOAD_FAILED];
  return state_names[state];
}

static gboolean
state_from_string (const char        *name,
                   HaulDownloadState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    {
      if (g_strcmp0 (name, state_names[i]) == 0)
        {
          *state = (HaulDownloadState) i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
store_op_free (StoreOp *op)
{
  g_free (op->uri);
  g_free (op->final_uri);
  g_free (op->folder);
  g_free (op->file_name);
  g_free (op->partial_path);
  g_free (op->etag);
  g_free (op->last_modified);
  g_free (op->content_type);
  g_free (op->error);
  g_free (op->notice);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StoreOp, store_op_free)

static gint64
date_time_to_usec (GDateTime *dt)
{
  if (dt == NULL)
    return 0;
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

static GDateTime *
date_time_from_usec (gint64 usec)
{
  g_autoptr(GDateTime) seconds = NULL;

  if (usec <= 0)
    return NULL;
  seconds = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  if (seconds == NULL)
    return NULL;
  return g_date_time_add (seconds, usec % G_USEC_PER_SEC);
}

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

static const char * const migrations[] = {
  schema_v1,
  schema_v2,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == SCHEMA_VERSION);

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
static void
set_sqlite_error (sqlite3     *db,
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
      set_sqlite_error (db, rc, path, bad_file, error);
      return FALSE;
    }
  return TRUE;
}

/* Runs a one-row query returning one value as text or integer. */
static gboolean
query_single (sqlite3     *db,
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
    set_sqlite_error (db, rc, path, bad_file, error);
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

  for (gint64 v = from_version; v < SCHEMA_VERSION; v++)
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
      set_sqlite_error (db, rc, path, bad_file, error);
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

/* Opens @path and brings it to SCHEMA_VERSION. On failure *bad_file says
 * whether the file itself is the problem (then the caller moves it
 * aside and tries once more with a fresh file). */
static sqlite3 *
open_database (const char  *path,
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

  rc = sqlite3_open_v2 (path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_FULLMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (db, rc, path, bad_file, error);
      goto fail;
    }
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);

  /* Look before changing anything: a file that is not ours is kept as it
   * was. The first statement reads the header: garbage fails here. A
   * truncated or damaged file often opens fine and fails later, in the
   * middle of a save: look at every page now (the history is small). */
  if (!query_single (db, "PRAGMA quick_check;", &check, NULL, path, bad_file, error))
    goto fail;
  if (g_strcmp0 (check, "ok") != 0)
    {
      *bad_file = TRUE;
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                   _("The list of downloads “%s” is damaged: %s"), path, check);
      goto fail;
    }

  if (!query_single (db, "PRAGMA user_version;", NULL, &version, path, bad_file, error))
    goto fail;
  if (version < 0 || version > SCHEMA_VERSION)
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
      if (!query_single (db, "SELECT COUNT(*) FROM sqlite_master;", NULL, &n_objects,
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

  if (!query_single (db, "PRAGMA journal_mode = WAL;", &journal, NULL, path, bad_file, error))
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

  if (version < SCHEMA_VERSION && !migrate (db, version, path, bad_file, error))
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
static char *
move_aside (const char  *path,
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
/* Writer thread                                                           */

static const char save_sql[] =
  "INSERT INTO downloads (id, uri, final_uri, folder, file_name, partial_path,"
  "                       state, confirmed, total, etag, last_modified,"
  "                       content_type, error, notice, created, finished, updated)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
  " ON CONFLICT (id) DO UPDATE SET"
  "  uri = excluded.uri, final_uri = excluded.final_uri, folder = excluded.folder,"
  "  file_name = excluded.file_name, partial_path = excluded.partial_path,"
  "  state = excluded.state, confirmed = excluded.confirmed, total = excluded.total,"
  "  etag = excluded.etag, last_modified = excluded.last_modified,"
  "  content_type = excluded.content_type, error = excluded.error,"
  "  notice = excluded.notice, created = excluded.created,"
  "  finished = excluded.finished, updated = excluded.updated;";

/* Rule 2 of the ordering comment at the top. */
static const char checkpoint_sql[] =
  "UPDATE downloads SET"
  "  final_uri = COALESCE (?2, final_uri), file_name = COALESCE (?3, file_name),"
  "  partial_path = ?4, etag = ?5, last_modified = ?6,"
  "  content_type = COALESCE (?7, content_type),"
  "  confirmed = ?8, total = ?9, updated = ?10"
  " WHERE id = ?1 AND state NOT IN ('completed', 'cancelled');";

static const char delete_sql[] = "DELETE FROM downloads WHERE id = ?1;";

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

static int
apply_op (HaulStore *self,
          StoreOp   *op)
{
  sqlite3_stmt *stmt;
  int rc;

  switch (op->kind)
    {
    case OP_SAVE:
      stmt = self->save_stmt;
      sqlite3_bind_int64 (stmt, 1, op->id);
      bind_text (stmt, 2, op->uri);
      bind_text (stmt, 3, op->final_uri);
      bind_text (stmt, 4, op->folder);
      bind_text (stmt, 5, op->file_name);
      bind_text (stmt, 6, op->partial_path);
      bind_text (stmt, 7, state_to_string (op->state));
      sqlite3_bind_int64 (stmt, 8, op->confirmed);
      sqlite3_bind_int64 (stmt, 9, op->total);
      bind_text (stmt, 10, op->etag);
      bind_text (stmt, 11, op->last_modified);
      bind_text (stmt, 12, op->content_type);
      bind_text (stmt, 13, op->error);
      bind_text (stmt, 14, op->notice);
      sqlite3_bind_int64 (stmt, 15, op->created);
      if (op->finished > 0)
        sqlite3_bind_int64 (stmt, 16, op->finished);
      else
        sqlite3_bind_null (stmt, 16);
      sqlite3_bind_int64 (stmt, 17, op->updated);
      break;

    case OP_CHECKPOINT:
      stmt = self->checkpoint_stmt;
      sqlite3_bind_int64 (stmt, 1, op->id);
      bind_text (stmt, 2, op->final_uri);
      bind_text (stmt, 3, op->file_name);
      bind_text (stmt, 4, op->partial_path);
      bind_text (stmt, 5, op->etag);
      bind_text (stmt, 6, op->last_modified);
      bind_text (stmt, 7, op->content_type);
      sqlite3_bind_int64 (stmt, 8, op->confirmed);
      sqlite3_bind_int64 (stmt, 9, op->total);
      sqlite3_bind_int64 (stmt, 10, op->updated);
      break;

    case OP_DELETE:
      stmt = self->delete_stmt;
      sqlite3_bind_int64 (stmt, 1, op->id);
      break;

    case OP_SYNC:
    case OP_QUIT:
    default:
      return SQLITE_OK;
    }

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void
waiter_signal (StoreWaiter *waiter)
{
  g_mutex_lock (&waiter->mutex);
  waiter->done = TRUE;
  g_cond_signal (&waiter->cond);
  g_mutex_unlock (&waiter->mutex);
}

/* Applies @first and whatever else is already queued (up to MAX_BATCH)
 * in one transaction. Returns FALSE when told to quit. */
static gboolean
write_batch (HaulStore *self,
             StoreOp   *first)
{
  g_autoptr(GPtrArray) waiters = g_ptr_array_new ();
  gboolean quit = FALSE;
  StoreOp *op = first;
  guint n = 0;
  int rc;

  g_mutex_lock (&self->db_lock);
  rc = sqlite3_exec (self->db, "BEGIN IMMEDIATE;", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    g_warning ("Could not start a transaction in %s: %s", self->path, sqlite3_errmsg (self->db));

  while (op != NULL)
    {
      if (op->kind == OP_SYNC)
        g_ptr_array_add (waiters, op->waiter);
      else if (op->kind == OP_QUIT)
        quit = TRUE;
      else if ((rc = apply_op (self, op)) != SQLITE_OK)
        g_warning ("Could not record download %" G_GINT64_FORMAT " in %s: %s",
                   op->id, self->path, sqlite3_errmsg (self->db));
      store_op_free (op);

      /* A sync or quit ends the batch so the waiter is released as soon
       * as what came before it is committed. */
      if (quit || waiters->len > 0 || ++n >= MAX_BATCH)
        break;
      op = g_async_queue_try_pop (self->ops);
    }

  if (sqlite3_get_autocommit (self->db) == 0)
    {
      rc = sqlite3_exec (self->db, "COMMIT;", NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          g_warning ("Could not save the list of downloads in %s: %s",
                     self->path, sqlite3_errmsg (self->db));
          sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
        }
    }
  g_mutex_unlock (&self->db_lock);

  for (guint i = 0; i < waiters->len; i++)
    waiter_signal (g_ptr_array_index (waiters, i));

  return !quit;
}

static gpointer
writer_thread (gpointer data)
{
  HaulStore *self = data;

  for (;;)
    {
      StoreOp *op = g_async_queue_pop (self->ops);

      if (!write_batch (self, op))
        break;
    }
  return NULL;
}

static void
push_op (HaulStore *self,
         StoreOp   *op)
{
  g_async_queue_push (self->ops, op);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                 */

static void
haul_store_finalize (GObject *object)
{
  HaulStore *self = HAUL_STORE (object);

  if (self->writer != NULL)
    {
      StoreOp *op = g_new0 (StoreOp, 1);

      op->kind = OP_QUIT;
      push_op (self, op);
      g_thread_join (g_steal_pointer (&self->writer));
    }

  g_clear_pointer (&self->save_stmt, sqlite3_finalize);
  g_clear_pointer (&self->checkpoint_stmt, sqlite3_finalize);
  g_clear_pointer (&self->delete_stmt, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_pointer (&self->ops, g_async_queue_unref);
  g_clear_pointer (&self->deleted, g_hash_table_unref);
  g_clear_pointer (&self->attempts, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->recovered_path, g_free);
  g_mutex_clear (&self->db_lock);
  g_mutex_clear (&self->attempt_lock);

  G_OBJECT_CLASS (haul_store_parent_class)->finalize (object);
}

static void
haul_store_class_init (HaulStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = haul_store_finalize;
}

static void
haul_store_init (HaulStore *self)
{
  g_mutex_init (&self->db_lock);
  g_mutex_init (&self->attempt_lock);
  self->ops = g_async_queue_new_full ((GDestroyNotify) store_op_free);
  self->deleted = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->attempts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->next_id = 1;
}

static gboolean
prepare_statements (HaulStore  *self,
                    GError    **error)
{
  int rc;

  rc = sqlite3_prepare_v3 (self->db, save_sql, -1, SQLITE_PREPARE_PERSISTENT,
                           &self->save_stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v3 (self->db, checkpoint_sql, -1, SQLITE_PREPARE_PERSISTENT,
                             &self->checkpoint_stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v3 (self->db, delete_sql, -1, SQLITE_PREPARE_PERSISTENT,
                             &self->delete_stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self->db, rc, self->path, NULL, error);
      return FALSE;
    }
  return TRUE;
}

/**
 * haul_store_new:
 * @path: the database file; its folder is created (0700) if needed
 * @error: return location for a #GError
 *
 * Opens (creating and migrating) the database in WAL mode. A file that is
 * not a readable Haul database is moved aside and a fresh one is started;
 * see haul_store_get_recovered_path(). Main thread.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL when the
 *   database cannot be opened or created at all
 */
HaulStore *
haul_store_new (const char  *path,
                GError     **error)
{
  g_autoptr(HaulStore) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *folder = NULL;
  gboolean bad_file = FALSE;
  gint64 max_id = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (HAUL_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                   _("Could not create the folder “%s” for the list of downloads: %s"),
                   folder, g_strerror (saved_errno));
      return NULL;
    }

  self->db = open_database (path, &bad_file, &local_error);
  if (self->db == NULL && bad_file)
    {
      g_message ("Moving the unreadable database %s aside: %s", path, local_error->message);
      g_clear_error (&local_error);
      self->recovered_path = move_aside (path, error);
      if (self->recovered_path == NULL)
        return NULL;
      self->db = open_database (path, &bad_file, &local_error);
    }
  if (self->db == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!query_single (self->db, "SELECT COALESCE (MAX (id), 0) FROM downloads;",
                     NULL, &max_id, path, NULL, error))
    return NULL;
  self->next_id = max_id + 1;

  if (!prepare_statements (self, error))
    return NULL;

  self->writer = g_thread_new ("haul-store", writer_thread, self);

  return g_steal_pointer (&self);
}

/**
 * haul_store_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/haul/downloads.db`
 */
char *
haul_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "haul", "downloads.db", NULL);
}

/**
 * haul_store_get_recovered_path:
 * @self: a #HaulStore
 *
 * Returns: (nullable): where an unreadable database was moved when the
 *   store was opened, or %NULL if none was
 */
const char *
haul_store_get_recovered_path (HaulStore *self)
{
  g_return_val_if_fail (HAUL_IS_STORE (self), NULL);

  return self->recovered_path;
}

/* ---------------------------------------------------------------------- */
/* Loading                                                                 */

enum {
  COL_ID, COL_URI, COL_FINAL_URI, COL_FOLDER, COL_FILE_NAME, COL_PARTIAL_PATH,
  COL_STATE, COL_CONFIRMED, COL_TOTAL, COL_ETAG, COL_LAST_MODIFIED,
  COL_CONTENT_TYPE, COL_ERROR, COL_NOTICE, COL_CREATED, COL_FINISHED,
};

static const char load_sql[] =
  "SELECT id, uri, final_uri, folder, file_name, partial_path, state, confirmed,"
  "       total, etag, last_modified, content_type, error, notice, created, finished"
  " FROM downloads ORDER BY id;";

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static HaulDownload *
download_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(HaulDownload) download = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) finished = NULL;
  HaulDownloadState state;
  gint64 confirmed = MAX (0, sqlite3_column_int64 (stmt, COL_CONFIRMED));
  gint64 total = sqlite3_column_int64 (stmt, COL_TOTAL);
  gint64 received = confirmed;

  if (!state_from_string (column_text (stmt, COL_STATE), &state))
    {
      g_message ("Download %" G_GINT64_FORMAT " has an unknown state “%s”; loading it as failed",
                 (gint64) sqlite3_column_int64 (stmt, COL_ID), column_text (stmt, COL_STATE));
      state = HAUL_DOWNLOAD_FAILED;
    }

  download = haul_download_new (column_text (stmt, COL_URI), column_text (stmt, COL_FOLDER));
  haul_download_set_id (download, sqlite3_column_int64 (stmt, COL_ID));
  haul_download_set_final_uri (download, column_text (stmt, COL_FINAL_URI));
  haul_download_set_file_name (download, column_text (stmt, COL_FILE_NAME));
  haul_download_set_content_type (download, column_text (stmt, COL_CONTENT_TYPE));
  haul_download_set_partial_path (download, column_text (stmt, COL_PARTIAL_PATH));
  haul_download_set_validators (download,
                                column_text (stmt, COL_ETAG),
                                column_text (stmt, COL_LAST_MODIFIED));
  haul_download_set_confirmed (download, confirmed);
  /* A finished file holds all its bytes, whatever the last checkpoint said. */
  if (state == HAUL_DOWNLOAD_COMPLETED && total >= 0)
    received = total;
  haul_download_set_progress (download, received, total, 0.0, -1);
  haul_download_set_error_message (download, column_text (stmt, COL_ERROR));
  haul_download_set_notice (download, column_text (stmt, COL_NOTICE));

  created = date_time_from_usec (sqlite3_column_int64 (stmt, COL_CREATED));
  if (created != NULL)
    haul_download_set_created (download, created);
  finished = date_time_from_usec (sqlite3_column_int64 (stmt, COL_FINISHED));
  if (finished != NULL)
    haul_download_set_finished (download, finished);

  haul_download_set_state (download, state);

  /* Whether a finished file is still there is not checked here: that
   * would be blocking disk work on the main thread at start-up (a slow or
   * hung disk); haul_queue_restore() checks in a thread. */

  return g_steal_pointer (&download);
}

/**
 * haul_store_load:
 * @self: a #HaulStore
 * @error: return location for a #GError
 *
 * Main thread, at start-up: every stored download, oldest first, with its
 * id, state, validators and resume state set (received = confirmed).
 * Downloads that were running come back in their recorded state; the queue
 * decides what to re-queue.
 *
 * Returns: (transfer full) (element-type HaulDownload): the downloads
 */
GPtrArray *
haul_store_load (HaulStore  *self,
                 GError    **error)
{
  g_autoptr(GPtrArray) downloads = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (HAUL_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  haul_store_sync (self);

  g_mutex_lock (&self->db_lock);
  rc = sqlite3_prepare_v2 (self->db, load_sql, -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (downloads, download_from_row (stmt));
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_DONE && rc != SQLITE_OK)
    set_sqlite_error (self->db, rc, self->path, NULL, error);
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->db_lock);

  if (rc != SQLITE_DONE && rc != SQLITE_OK)
    return NULL;

  for (guint i = 0; i < downloads->len; i++)
    {
      gint64 id = haul_download_get_id (g_ptr_array_index (downloads, i));

      self->next_id = MAX (self->next_id, id + 1);
    }

  return g_steal_pointer (&downloads);
}

/* ---------------------------------------------------------------------- */
/* Writing                                                                 */

/**
 * haul_store_save:
 * @self: a #HaulStore
 * @download: the download to record
 *
 * Main thread. Gives @download an id if it has none, snapshots its
 * properties and queues the write; never waits for the disk.
 */
void
haul_store_save (HaulStore    *self,
                 HaulDownload *download)
{
  StoreOp *op;
  gint64 id;

  g_return_if_fail (HAUL_IS_STORE (self));
  g_return_if_fail (HAUL_IS_DOWNLOAD (download));

  id = haul_download_get_id (download);
  if (id <= 0)
    {
      id = self->next_id++;
      haul_download_set_id (download, id);
    }
  else
    {
      self->next_id = MAX (self->next_id, id + 1);
    }

  /* A removed download stays removed, whatever news of it arrives late. */
  if (g_hash_table_contains (self->deleted, &id))
    return;

  op = g_new0 (StoreOp, 1);
  op->kind = OP_SAVE;
  op->id = id;
  op->uri = g_strdup (haul_download_get_uri (download));
  op->final_uri = g_strdup (haul_download_get_final_uri (download));
  op->folder = g_strdup (haul_download_get_folder (download));
  op->file_name = g_strdup (haul_download_get_file_name (download));
  op->partial_path = g_strdup (haul_download_get_partial_path (download));
  op->etag = g_strdup (haul_download_get_etag (download));
  op->last_modified = g_strdup (haul_download_get_last_modified (download));
  op->content_type = g_strdup (haul_download_get_content_type (download));
  op->error = g_strdup (haul_download_get_error_message (download));
  op->notice = g_strdup (haul_download_get_notice (download));
  op->state = haul_download_get_state (download);
  op->confirmed = haul_download_get_confirmed (download);
  op->total = haul_download_get_total (download);
  op->created = date_time_to_usec (haul_download_get_created (download));
  op->finished = date_time_to_usec (haul_download_get_finished (download));
  op->updated = g_get_real_time ();
  if (op->created <= 0)
    op->created = op->updated;
  if (op->uri == NULL)
    op->uri = g_strdup ("");
  if (op->folder == NULL)
    op->folder = g_strdup ("");

  push_op (self, op);
}

/**
 * haul_store_delete:
 * @self: a #HaulStore
 * @id: a download's id
 *
 * Main thread. Forgets the download; later saves of it are ignored.
 */
void
haul_store_delete (HaulStore *self,
                   gint64     id)
{
  StoreOp *op;

  g_return_if_fail (HAUL_IS_STORE (self));

  if (id <= 0)
    return;

  g_hash_table_add (self->deleted, g_memdup2 (&id, sizeof id));

  op = g_new0 (StoreOp, 1);
  op->kind = OP_DELETE;
  op->id = id;
  push_op (self, op);
}

static StoreOp *
checkpoint_op_new (gint64      id,
                   const char *final_uri,
                   const char *file_name,
                   const char *partial_path,
                   const char *etag,
                   const char *last_modified,
                   const char *content_type,
                   gint64      confirmed,
                   gint64      total)
{
  StoreOp *op = g_new0 (StoreOp, 1);

  op->kind = OP_CHECKPOINT;
  op->id = id;
  op->final_uri = g_strdup (final_uri);
  op->file_name = g_strdup (file_name);
  op->partial_path = g_strdup (partial_path);
  op->etag = g_strdup (etag);
  op->last_modified = g_strdup (last_modified);
  op->content_type = g_strdup (content_type);
  op->confirmed = MAX (0, confirmed);
  op->total = total;
  op->updated = g_get_real_time ();
  return op;
}

/**
 * haul_store_record_checkpoint:
 *
 * A worker thread, after fdatasync: records that @confirmed bytes of
 * @partial_path are on disk, with the validators they belong to, and
 * returns once that is committed (never call it from the main thread).
 * Not fenced by attempt: prefer haul_store_record_attempt_checkpoint().
 */
void
haul_store_record_checkpoint (HaulStore  *self,
                              gint64      id,
                              const char *final_uri,
                              const char *file_name,
                              const char *partial_path,
                              const char *etag,
                              const char *last_modified,
                              gint64      confirmed,
                              gint64      total)
{
  g_return_if_fail (HAUL_IS_STORE (self));
  g_return_if_fail (id > 0);

  push_op (self, checkpoint_op_new (id, final_uri, file_name, partial_path,
                                    etag, last_modified, NULL, confirmed, total));
  /* Rule 4 of the ordering comment at the top. */
  haul_store_sync (self);
}

static guint
current_attempt_locked (HaulStore *self,
                        gint64     id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->attempts, &id));
}

/**
 * haul_store_begin_attempt:
 * @self: a #HaulStore
 * @id: a download's id
 *
 * Main thread, before a worker starts a transfer of the download.
 *
 * Returns: the attempt number its checkpoints must carry
 */
guint
haul_store_begin_attempt (HaulStore *self,
                          gint64     id)
{
  guint attempt;

  g_return_val_if_fail (HAUL_IS_STORE (self), 0);

  g_mutex_lock (&self->attempt_lock);
  attempt = current_attempt_locked (self, id) + 1;
  g_hash_table_insert (self->attempts, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (attempt));
  g_mutex_unlock (&self->attempt_lock);

  return attempt;
}

/**
 * haul_store_record_attempt_checkpoint:
 * @self: a #HaulStore
 * @id: a download's id
 * @attempt: what haul_store_begin_attempt() returned for this transfer
 * @checkpoint: what is durably on disk
 *
 * A worker thread. Rules 3 and 4 of the ordering comment at the top of
 * this file: returns once the checkpoint is committed.
 *
 * Returns: %FALSE if a newer attempt has begun and the checkpoint was dropped
 */
gboolean
haul_store_record_attempt_checkpoint (HaulStore            *self,
                                      gint64                id,
                                      guint                 attempt,
                                      const HaulCheckpoint *checkpoint)
{
  gboolean current;

  g_return_val_if_fail (HAUL_IS_STORE (self), FALSE);
  g_return_val_if_fail (id > 0, FALSE);
  g_return_val_if_fail (checkpoint != NULL, FALSE);

  g_mutex_lock (&self->attempt_lock);
  current = current_attempt_locked (self, id) == attempt;
  if (current)
    push_op (self, checkpoint_op_new (id,
                                      checkpoint->final_uri,
                                      checkpoint->file_name,
                                      checkpoint->partial_path,
                                      checkpoint->etag,
                                      checkpoint->last_modified,
                                      checkpoint->content_type,
                                      checkpoint->confirmed,
                                      checkpoint->total));
  g_mutex_unlock (&self->attempt_lock);

  /* Rule 4 of the ordering comment at the top. */
  if (current)
    haul_store_sync (self);

  return current;
}

/**
 * haul_store_sync:
 * @self: a #HaulStore
 *
 * Blocks until every write queued before the call is committed.
 */
void
haul_store_sync (HaulStore *self)
{
  StoreWaiter waiter = { 0 };
  StoreOp *op;

  g_return_if_fail (HAUL_IS_STORE (self));

  if (self->writer == NULL)
    return;

  g_mutex_init (&waiter.mutex);
  g_cond_init (&waiter.cond);

  op = g_new0 (StoreOp, 1);
  op->kind = OP_SYNC;
  op->waiter = &waiter;
  push_op (self, op);

  g_mutex_lock (&waiter.mutex);
  while (!waiter.done)
    g_cond_wait (&waiter.cond, &waiter.mutex);
  g_mutex_unlock (&waiter.mutex);

  g_mutex_clear (&waiter.mutex);
  g_cond_clear (&waiter.cond);
}
