/* haul-store.c: SQLite persistence of the queue and history
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-store.h"
#include "haul-store-db.h"

/* How it works
 *
 * One SQLite file in WAL mode, used by one process: haul_store_new() takes
 * a lock on the data folder for the life of the store (a second Haul,
 * from another session or without a session bus, says so and touches
 * nothing). Every write happens on the store's own writer thread:
 * haul_store_save() (main thread) snapshots the download's properties
 * into an owned StoreOp and pushes it on an async queue; checkpoints from
 * workers are pushed the same way. The writer pops operations and applies
 * each run of consecutive ones in one transaction. The main thread only
 * waits on SQLite in haul_store_new(), haul_store_load() (start-up) and
 * haul_store_sync() (quit, tests).
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
 *   4. A checkpoint call returns only once its row is committed, and says
 *      whether it was. Workers (the only callers) may wait, and the
 *      transfer relies on it: it renames a finished partial file, or cuts
 *      one shorter, only after the record that makes this safe is on disk;
 *      when the write failed (disk full, read-only, locked) it stops and
 *      keeps its bytes instead. (The kill test found the first.)
 *   5. A write that fails is never reported as committed. The store's
 *      :write-error then says, on the main thread, why history is not
 *      being saved. The failed operations are kept, in order (a later
 *      save or delete of a download replaces its earlier ones), and tried
 *      again first every few seconds; the batch that commits them clears
 *      the error.
 *
 * A database file SQLite cannot read as ours (not a database, corrupt,
 * truncated, made by a later Haul) is moved aside, with its -wal and -shm,
 * as downloads.db.corrupt-YYYYMMDD-HHMMSS and a fresh one is started
 * (haul-store-db.c). Errors that say nothing about the file (cannot create
 * the folder, read only, I/O error, disk full) are reported as a GError
 * instead: moving a good database away because the disk is full would lose
 * the history.
 */

#define MAX_BATCH 512
#define RETRY_INTERVAL_US (2 * G_USEC_PER_SEC)

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
  GError  *error;   /* (owned) (nullable) rule 5: why what came before failed */
} StoreWaiter;

typedef struct
{
  StoreOpKind      kind;
  gint64           id;

  /* OP_SAVE and OP_CHECKPOINT */
  HaulResumeState *resume;    /* (owned) */
  /* OP_SAVE, all (owned) (nullable) */
  char            *uri;
  char            *folder;
  char            *error;
  char            *notice;
  int              state;
  int              error_code;
  gint64           total;
  guint64          speed_limit;
  gboolean         from_browser;
  gint64           created;   /* unix µs */
  gint64           finished;  /* unix µs, or 0 */
  gint64           updated;   /* unix µs */

  StoreWaiter     *waiter;    /* OP_SYNC, owned by the waiting thread */
} StoreOp;

struct _HaulStore
{
  GObject       parent_instance;

  char         *path;            /* (owned) */
  char         *recovered_path;  /* (owned) (nullable) */
  int           lock_fd;         /* the data folder's lock, or -1 */
  GMainContext *context;         /* (owned) the main thread's, for :write-error */
  char         *write_error;     /* (owned) (nullable) main thread */

  /* Used by the writer thread, and by haul_store_load() after a sync; both
   * hold db_lock while they use it. */
  sqlite3      *db;
  GMutex        db_lock;
  sqlite3_stmt *save_stmt;
  sqlite3_stmt *checkpoint_stmt;
  sqlite3_stmt *delete_stmt;
  char         *last_failure;    /* writer thread: the last failure told, for rule 5 */
  GQueue        retry;           /* writer thread: StoreOp* that failed, tried again first */

  GThread      *writer;          /* (owned) */
  GAsyncQueue  *ops;             /* (owned) of StoreOp */

  gint64        next_id;         /* main thread */
  GHashTable   *deleted;         /* main thread: ids removed, never saved again */

  GMutex        attempt_lock;
  GHashTable   *attempts;        /* id → current attempt, under attempt_lock */
};

G_DEFINE_FINAL_TYPE (HaulStore, haul_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WRITE_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
  g_clear_pointer (&op->resume, haul_resume_state_free);
  g_free (op->uri);
  g_free (op->folder);
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
/* Writer thread                                                           */

static const char save_sql[] =
  "INSERT INTO downloads (id, uri, final_uri, folder, file_name, partial_path,"
  "                       state, confirmed, total, etag, last_modified,"
  "                       content_type, error, notice, created, finished, updated,"
  "                       pieces, partial_dev, partial_ino, speed_limit, from_browser,"
  "                       error_code, partial_birth)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
  "         ?18, ?19, ?20, ?21, ?22, ?23, ?24)"
  " ON CONFLICT (id) DO UPDATE SET"
  "  uri = excluded.uri, final_uri = excluded.final_uri, folder = excluded.folder,"
  "  file_name = excluded.file_name, partial_path = excluded.partial_path,"
  "  state = excluded.state, confirmed = excluded.confirmed, total = excluded.total,"
  "  etag = excluded.etag, last_modified = excluded.last_modified,"
  "  content_type = excluded.content_type, error = excluded.error,"
  "  notice = excluded.notice, created = excluded.created,"
  "  finished = excluded.finished, updated = excluded.updated,"
  "  pieces = excluded.pieces, partial_dev = excluded.partial_dev,"
  "  partial_ino = excluded.partial_ino, speed_limit = excluded.speed_limit,"
  "  from_browser = excluded.from_browser, error_code = excluded.error_code,"
  "  partial_birth = excluded.partial_birth;";

/* Rule 2 of the ordering comment at the top. */
static const char checkpoint_sql[] =
  "UPDATE downloads SET"
  "  final_uri = COALESCE (?2, final_uri), file_name = COALESCE (?3, file_name),"
  "  partial_path = ?4, etag = ?5, last_modified = ?6,"
  "  content_type = COALESCE (?7, content_type),"
  "  confirmed = ?8, total = ?9, updated = ?10,"
  "  pieces = ?11, partial_dev = ?12, partial_ino = ?13, partial_birth = ?14"
  " WHERE id = ?1 AND state NOT IN ('completed', 'cancelled');";

static const char delete_sql[] = "DELETE FROM downloads WHERE id = ?1;";

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_resume (sqlite3_stmt          *stmt,
             const HaulResumeState *resume,
             int                    final_uri,
             int                    file_name,
             int                    partial_path,
             int                    etag,
             int                    last_modified,
             int                    content_type,
             int                    pieces,
             int                    dev,
             int                    ino,
             int                    birth)
{
  g_autofree char *pieces_text = haul_resume_state_pieces_to_string (resume);

  bind_text (stmt, final_uri, resume->final_uri);
  bind_text (stmt, file_name, resume->file_name);
  bind_text (stmt, partial_path, resume->partial_path);
  bind_text (stmt, etag, resume->etag);
  bind_text (stmt, last_modified, resume->last_modified);
  bind_text (stmt, content_type, resume->content_type);
  bind_text (stmt, pieces, pieces_text);
  sqlite3_bind_int64 (stmt, dev, (sqlite3_int64) resume->partial_id.dev);
  sqlite3_bind_int64 (stmt, ino, (sqlite3_int64) resume->partial_id.ino);
  sqlite3_bind_int64 (stmt, birth, resume->partial_id.birth);
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
      bind_text (stmt, 4, op->folder);
      bind_text (stmt, 7, state_to_string (op->state));
      sqlite3_bind_int64 (stmt, 8, MAX (0, op->resume->confirmed));
      sqlite3_bind_int64 (stmt, 9, op->total);
      bind_text (stmt, 13, op->error);
      bind_text (stmt, 14, op->notice);
      sqlite3_bind_int64 (stmt, 15, op->created);
      if (op->finished > 0)
        sqlite3_bind_int64 (stmt, 16, op->finished);
      else
        sqlite3_bind_null (stmt, 16);
      sqlite3_bind_int64 (stmt, 17, op->updated);
      sqlite3_bind_int64 (stmt, 21, (sqlite3_int64) op->speed_limit);
      sqlite3_bind_int (stmt, 22, op->from_browser ? 1 : 0);
      sqlite3_bind_int (stmt, 23, op->error_code);
      bind_resume (stmt, op->resume, 3, 5, 6, 10, 11, 12, 18, 19, 20, 24);
      break;

    case OP_CHECKPOINT:
      stmt = self->checkpoint_stmt;
      sqlite3_bind_int64 (stmt, 1, op->id);
      sqlite3_bind_int64 (stmt, 8, MAX (0, op->resume->confirmed));
      sqlite3_bind_int64 (stmt, 9, op->resume->total);
      sqlite3_bind_int64 (stmt, 10, op->updated);
      bind_resume (stmt, op->resume, 2, 3, 4, 5, 6, 7, 11, 12, 13, 14);
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
waiter_signal (StoreWaiter  *waiter,
               const GError *error)
{
  g_mutex_lock (&waiter->mutex);
  waiter->done = TRUE;
  if (error != NULL)
    waiter->error = g_error_copy (error);
  g_cond_signal (&waiter->cond);
  g_mutex_unlock (&waiter->mutex);
}

/* The reason a write failed, in words for the window (rule 5). */
static void
set_write_error (HaulStore  *self,
                 int         rc,
                 GError    **error)
{
  int code = rc & 0xff;
  const char *reason;

  if (code == SQLITE_FULL)
    reason = _("the disk is full");
  else if (code == SQLITE_READONLY)
    reason = _("the file or its folder is read-only");
  else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    reason = _("another program is holding the database");
  else if (code == SQLITE_IOERR)
    reason = _("the disk could not be written to");
  else
    reason = sqlite3_errstr (rc);

  g_set_error (error, HAUL_ERROR, HAUL_ERROR_STORE,
               _("The list of downloads is not being saved: %s"), reason);
}

typedef struct
{
  HaulStore *store;   /* (owned) */
  char      *message; /* (owned) (nullable) */
} WriteErrorNews;

static gboolean
write_error_news_cb (gpointer data)
{
  WriteErrorNews *news = data;
  HaulStore *self = news->store;

  if (g_strcmp0 (self->write_error, news->message) != 0)
    {
      g_free (self->write_error);
      self->write_error = g_strdup (news->message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITE_ERROR]);
    }
  g_object_unref (news->store);
  g_free (news->message);
  g_free (news);
  return G_SOURCE_REMOVE;
}

/* Writer thread: tells the main thread when failing starts or stops. */
static void
report_failure (HaulStore    *self,
                const GError *error)
{
  const char *message = error != NULL ? error->message : NULL;
  WriteErrorNews *news;

  if (g_strcmp0 (self->last_failure, message) == 0)
    return;
  g_free (self->last_failure);
  self->last_failure = g_strdup (message);

  if (message != NULL)
    g_warning ("%s (%s)", message, self->path);

  news = g_new0 (WriteErrorNews, 1);
  news->store = g_object_ref (self);
  news->message = g_strdup (message);
  g_main_context_invoke (self->context, write_error_news_cb, news);
}

/* Rule 5: keeps @op to try again, dropping what it supersedes. */
static void
keep_for_retry (HaulStore *self,
                StoreOp   *op)
{
  if (op->kind == OP_SAVE || op->kind == OP_DELETE)
    {
      for (GList *l = self->retry.head; l != NULL; )
        {
          GList *next = l->next;
          StoreOp *old = l->data;

          if (old->id == op->id)
            {
              store_op_free (old);
              g_queue_delete_link (&self->retry, l);
            }
          l = next;
        }
    }
  g_queue_push_tail (&self->retry, op);
}

/* Applies what failed before, then @first (NULL: nothing new) and
 * whatever else is already queued (up to MAX_BATCH), in one
 * transaction. Returns FALSE when told to quit. */
static gboolean
write_batch (HaulStore *self,
             StoreOp   *first)
{
  g_autoptr(GPtrArray) waiters = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GQueue applied = G_QUEUE_INIT;
  gboolean quit = FALSE;
  StoreOp *op;
  guint n = 0;
  int rc;

  g_mutex_lock (&self->db_lock);
  rc = sqlite3_exec (self->db, "BEGIN IMMEDIATE;", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    set_write_error (self, sqlite3_extended_errcode (self->db), &error);

  /* Rule 1: what failed before goes first. */
  while ((op = g_queue_pop_head (&self->retry)) != NULL)
    {
      if (error == NULL && (rc = apply_op (self, op)) != SQLITE_OK)
        set_write_error (self, rc, &error);
      g_queue_push_tail (&applied, op);
    }

  for (op = first; op != NULL; )
    {
      if (op->kind == OP_SYNC)
        {
          g_ptr_array_add (waiters, op->waiter);
          store_op_free (op);
        }
      else if (op->kind == OP_QUIT)
        {
          quit = TRUE;
          store_op_free (op);
        }
      else
        {
          if (error == NULL && (rc = apply_op (self, op)) != SQLITE_OK)
            set_write_error (self, rc, &error);
          g_queue_push_tail (&applied, op);
        }

      /* A sync or quit ends the batch so the waiter is released as soon
       * as what came before it is committed. */
      if (quit || waiters->len > 0 || ++n >= MAX_BATCH)
        break;
      op = g_async_queue_try_pop (self->ops);
    }

  if (sqlite3_get_autocommit (self->db) == 0)
    {
      rc = error == NULL ? sqlite3_exec (self->db, "COMMIT;", NULL, NULL, NULL) : SQLITE_ERROR;
      if (rc != SQLITE_OK)
        {
          if (error == NULL)
            set_write_error (self, sqlite3_extended_errcode (self->db), &error);
          sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
        }
    }
  g_mutex_unlock (&self->db_lock);

  while ((op = g_queue_pop_head (&applied)) != NULL)
    {
      if (error != NULL && !quit)
        keep_for_retry (self, op);
      else
        store_op_free (op);
    }

  /* Rule 5: nobody is told "committed" after a failure. */
  if (error != NULL || self->last_failure != NULL)
    report_failure (self, error);
  for (guint i = 0; i < waiters->len; i++)
    waiter_signal (g_ptr_array_index (waiters, i), error);

  return !quit;
}

static gpointer
writer_thread (gpointer data)
{
  HaulStore *self = data;

  for (;;)
    {
      StoreOp *op;

      /* With failed writes kept, wake up to try them again. */
      if (g_queue_is_empty (&self->retry))
        op = g_async_queue_pop (self->ops);
      else
        op = g_async_queue_timeout_pop (self->ops, RETRY_INTERVAL_US);

      if (!write_batch (self, op))
        break;
    }

  g_queue_clear_full (&self->retry, (GDestroyNotify) store_op_free);
  return NULL;
}

static void
push_op (HaulStore *self,
         StoreOp   *op)
{
  g_async_queue_push (self->ops, op);
}

/* Blocks until every write queued before it is committed; FALSE with
 * @error when they were not (rule 5). */
static gboolean
wait_committed (HaulStore  *self,
                GError    **error)
{
  StoreWaiter waiter = { 0 };
  StoreOp *op;
  gboolean ok;

  if (self->writer == NULL)
    return TRUE;

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

  ok = waiter.error == NULL;
  if (waiter.error != NULL)
    g_propagate_error (error, waiter.error);
  g_mutex_clear (&waiter.mutex);
  g_cond_clear (&waiter.cond);
  return ok;
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
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_clear_pointer (&self->ops, g_async_queue_unref);
  g_clear_pointer (&self->deleted, g_hash_table_unref);
  g_clear_pointer (&self->attempts, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->recovered_path, g_free);
  g_clear_pointer (&self->write_error, g_free);
  g_clear_pointer (&self->last_failure, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->db_lock);
  g_mutex_clear (&self->attempt_lock);

  G_OBJECT_CLASS (haul_store_parent_class)->finalize (object);
}

static void
haul_store_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  HaulStore *self = HAUL_STORE (object);

  switch (prop_id)
    {
    case PROP_WRITE_ERROR:
      g_value_set_string (value, self->write_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_store_class_init (HaulStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = haul_store_finalize;
  object_class->get_property = haul_store_get_property;

  /* Why the list of downloads is not being saved right now (translated),
   * or NULL. Notified on the main thread. */
  properties[PROP_WRITE_ERROR] =
    g_param_spec_string ("write-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
haul_store_init (HaulStore *self)
{
  g_mutex_init (&self->db_lock);
  g_mutex_init (&self->attempt_lock);
  self->lock_fd = -1;
  self->context = g_main_context_ref_thread_default ();
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
      haul_store_db_set_error (self->db, rc, self->path, NULL, error);
      return FALSE;
    }
  return TRUE;
}

/**
 * haul_store_new:
 * @path: the database file; its folder is created (0700) if needed
 * @error: return location for a #GError
 *
 * Opens (creating and migrating) the database in WAL mode, after taking
 * the data folder's lock (%HAUL_ERROR_ALREADY_RUNNING if another process
 * holds it). A file that is not a readable Haul database is moved aside
 * and a fresh one is started; see haul_store_get_recovered_path(). Main
 * thread.
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

  /* Before anything is read or moved: one process per folder. */
  self->lock_fd = haul_store_db_lock (folder, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  self->db = haul_store_db_open (path, &bad_file, &local_error);
  if (self->db == NULL && bad_file)
    {
      g_message ("Moving the unreadable database %s aside: %s", path, local_error->message);
      g_clear_error (&local_error);
      self->recovered_path = haul_store_db_move_aside (path, error);
      if (self->recovered_path == NULL)
        return NULL;
      self->db = haul_store_db_open (path, &bad_file, &local_error);
    }
  if (self->db == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!haul_store_db_query_single (self->db, "SELECT COALESCE (MAX (id), 0) FROM downloads;",
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
 *   (`haul-devel` for the development profile, which must never touch a
 *   user's real downloads)
 */
char *
haul_store_default_path (void)
{
  const char *folder = g_str_equal (PROFILE, "development") ? "haul-devel" : "haul";

  return g_build_filename (g_get_user_data_dir (), folder, "downloads.db", NULL);
}

const char *
haul_store_get_recovered_path (HaulStore *self)
{
  g_return_val_if_fail (HAUL_IS_STORE (self), NULL);

  return self->recovered_path;
}

const char *
haul_store_get_write_error (HaulStore *self)
{
  g_return_val_if_fail (HAUL_IS_STORE (self), NULL);

  return self->write_error;
}

/* ---------------------------------------------------------------------- */
/* Loading                                                                 */

enum {
  COL_ID, COL_URI, COL_FINAL_URI, COL_FOLDER, COL_FILE_NAME, COL_PARTIAL_PATH,
  COL_STATE, COL_CONFIRMED, COL_TOTAL, COL_ETAG, COL_LAST_MODIFIED,
  COL_CONTENT_TYPE, COL_ERROR, COL_NOTICE, COL_CREATED, COL_FINISHED,
  COL_PIECES, COL_PARTIAL_DEV, COL_PARTIAL_INO, COL_SPEED_LIMIT, COL_FROM_BROWSER,
  COL_ERROR_CODE, COL_PARTIAL_BIRTH,
};

static const char load_sql[] =
  "SELECT id, uri, final_uri, folder, file_name, partial_path, state, confirmed,"
  "       total, etag, last_modified, content_type, error, notice, created, finished,"
  "       pieces, partial_dev, partial_ino, speed_limit, from_browser, error_code,"
  "       partial_birth"
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
  g_autoptr(HaulResumeState) resume = haul_resume_state_new ();
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) finished = NULL;
  HaulDownloadState state;
  gint64 total = sqlite3_column_int64 (stmt, COL_TOTAL);
  gint64 received;

  if (!state_from_string (column_text (stmt, COL_STATE), &state))
    {
      g_message ("Download %" G_GINT64_FORMAT " has an unknown state “%s”; loading it as failed",
                 (gint64) sqlite3_column_int64 (stmt, COL_ID), column_text (stmt, COL_STATE));
      state = HAUL_DOWNLOAD_FAILED;
    }

  resume->final_uri = g_strdup (column_text (stmt, COL_FINAL_URI));
  resume->file_name = g_strdup (column_text (stmt, COL_FILE_NAME));
  resume->partial_path = g_strdup (column_text (stmt, COL_PARTIAL_PATH));
  resume->etag = g_strdup (column_text (stmt, COL_ETAG));
  resume->last_modified = g_strdup (column_text (stmt, COL_LAST_MODIFIED));
  resume->content_type = g_strdup (column_text (stmt, COL_CONTENT_TYPE));
  resume->total = total;
  resume->confirmed = MAX (0, sqlite3_column_int64 (stmt, COL_CONFIRMED));
  resume->partial_id.dev = (guint64) sqlite3_column_int64 (stmt, COL_PARTIAL_DEV);
  resume->partial_id.ino = (guint64) sqlite3_column_int64 (stmt, COL_PARTIAL_INO);
  resume->partial_id.birth = sqlite3_column_int64 (stmt, COL_PARTIAL_BIRTH);
  if (column_text (stmt, COL_PIECES) != NULL)
    {
      g_autoptr(GArray) pieces = haul_pieces_from_string (column_text (stmt, COL_PIECES), total);

      /* Pieces that cannot be proved are not resumed from: start again. */
      if (pieces != NULL)
        haul_resume_state_set_pieces (resume, pieces);
      else
        resume->confirmed = 0;
    }
  received = resume->confirmed;

  download = haul_download_new (column_text (stmt, COL_URI), column_text (stmt, COL_FOLDER));
  haul_download_set_id (download, sqlite3_column_int64 (stmt, COL_ID));
  haul_download_set_resume_state (download, resume);
  /* A finished file holds all its bytes, whatever the last checkpoint said. */
  if (state == HAUL_DOWNLOAD_COMPLETED && total >= 0)
    received = total;
  haul_download_set_progress (download, received, total, 0.0, -1);
  haul_download_set_error_message (download, column_text (stmt, COL_ERROR));
  haul_download_set_notice (download, column_text (stmt, COL_NOTICE));
  haul_download_set_speed_limit (download, (guint64) sqlite3_column_int64 (stmt, COL_SPEED_LIMIT));
  haul_download_set_from_browser (download, sqlite3_column_int (stmt, COL_FROM_BROWSER) != 0);
  haul_download_set_error_code (download, sqlite3_column_int (stmt, COL_ERROR_CODE));

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
    haul_store_db_set_error (self->db, rc, self->path, NULL, error);
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
  op->resume = haul_resume_state_copy (haul_download_get_resume_state (download));
  op->uri = g_strdup (haul_download_get_uri (download));
  op->folder = g_strdup (haul_download_get_folder (download));
  op->error = g_strdup (haul_download_get_error_message (download));
  op->notice = g_strdup (haul_download_get_notice (download));
  op->state = haul_download_get_state (download);
  op->error_code = haul_download_get_error_code (download);
  op->total = haul_download_get_total (download);
  op->speed_limit = haul_download_get_speed_limit (download);
  op->from_browser = haul_download_get_from_browser (download);
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

/**
 * haul_store_undelete:
 * @self: a #HaulStore
 * @id: a download's id removed by haul_store_delete()
 *
 * Main thread: the removal was undone; the next save records it again.
 */
void
haul_store_undelete (HaulStore *self,
                     gint64     id)
{
  g_return_if_fail (HAUL_IS_STORE (self));

  g_hash_table_remove (self->deleted, &id);
}

static StoreOp *
checkpoint_op_new (gint64                 id,
                   const HaulResumeState *resume)
{
  StoreOp *op = g_new0 (StoreOp, 1);

  op->kind = OP_CHECKPOINT;
  op->id = id;
  op->resume = haul_resume_state_copy (resume);
  op->updated = g_get_real_time ();
  return op;
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
 * haul_store_record_checkpoint:
 * @self: a #HaulStore
 * @id: a download's id
 * @attempt: what haul_store_begin_attempt() returned for this transfer
 * @state: what is durably on disk
 * @error: why it could not be recorded
 *
 * A worker thread. Rules 3–5 of the ordering comment at the top of this
 * file: returns once the checkpoint is committed.
 *
 * Returns: %TRUE if it is committed, or dropped because a newer attempt
 *   has begun; %FALSE if it could not be written
 */
gboolean
haul_store_record_checkpoint (HaulStore              *self,
                              gint64                  id,
                              guint                   attempt,
                              const HaulResumeState  *state,
                              GError                **error)
{
  gboolean current;

  g_return_val_if_fail (HAUL_IS_STORE (self), FALSE);
  g_return_val_if_fail (id > 0, FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  g_mutex_lock (&self->attempt_lock);
  current = current_attempt_locked (self, id) == attempt;
  if (current)
    push_op (self, checkpoint_op_new (id, state));
  g_mutex_unlock (&self->attempt_lock);

  /* Rule 4 of the ordering comment at the top. */
  if (!current)
    return TRUE;
  return wait_committed (self, error);
}

/**
 * haul_store_sync:
 * @self: a #HaulStore
 *
 * Blocks until every write queued before the call is done.
 *
 * Returns: %FALSE if some of them could not be committed (see
 *   #HaulStore:write-error)
 */
gboolean
haul_store_sync (HaulStore *self)
{
  g_return_val_if_fail (HAUL_IS_STORE (self), FALSE);

  return wait_committed (self, NULL);
}
