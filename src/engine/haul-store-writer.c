/* haul-store-writer.c: the store's writer thread
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every write of the store, in the order it was queued (rule 1 of the
 * ordering comment in haul-store.c), in batches of one transaction. A
 * batch that fails is never reported as committed: its operations are
 * kept, in order, tried again first every few seconds, and the main
 * thread hears once that history is not being saved, and why (rule 5).
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "haul-error.h"
#include "haul-store-db.h"
#include "haul-store-internal.h"

#define MAX_BATCH 512
#define RETRY_INTERVAL_US (2 * G_USEC_PER_SEC)

static const char save_sql[] =
  "INSERT INTO downloads (id, uri, final_uri, folder, file_name, partial_path,"
  "                       state, confirmed, total, etag, last_modified,"
  "                       content_type, error, notice, created, finished, updated,"
  "                       pieces, partial_dev, partial_ino, speed_limit, from_browser,"
  "                       error_code, partial_birth, checksum, checksum_source,"
  "                       checksum_origin, checksum_state, engine_id, referrer, user_agent,"
  "                       error_text, queue_position, category, by_category)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
  "         ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31,"
  "         ?32, ?33, ?34, ?35)"
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
  "  partial_birth = excluded.partial_birth, checksum = excluded.checksum,"
  "  checksum_source = excluded.checksum_source, checksum_origin = excluded.checksum_origin,"
  "  checksum_state = excluded.checksum_state, engine_id = excluded.engine_id,"
  "  referrer = excluded.referrer, user_agent = excluded.user_agent,"
  "  error_text = excluded.error_text,"
  "  queue_position = excluded.queue_position,"
  "  category = excluded.category, by_category = excluded.by_category;";

/* Rule 2 of the ordering comment at the top. */
static const char checkpoint_sql[] =
  "UPDATE downloads SET"
  "  final_uri = COALESCE (?2, final_uri), file_name = COALESCE (?3, file_name),"
  "  partial_path = ?4, etag = ?5, last_modified = ?6,"
  "  content_type = COALESCE (?7, content_type),"
  "  confirmed = ?8, total = ?9, updated = ?10,"
  "  pieces = ?11, partial_dev = ?12, partial_ino = ?13, partial_birth = ?14,"
  "  folder = COALESCE (?15, folder), category = ?16"
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
             int                    birth,
             int                    category)
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
  bind_text (stmt, category, haul_category_to_string (resume->category));
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
      bind_text (stmt, 7, haul_store_state_to_string (op->state));
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
      bind_text (stmt, 25, op->checksum);
      sqlite3_bind_int (stmt, 26, op->checksum_source);
      bind_text (stmt, 27, op->checksum_origin);
      sqlite3_bind_int (stmt, 28, op->checksum_state);
      bind_text (stmt, 29, op->engine_id);
      bind_text (stmt, 30, op->referrer);
      bind_text (stmt, 31, op->user_agent);
      bind_text (stmt, 32, op->error_text);
      sqlite3_bind_double (stmt, 33, op->position);
      sqlite3_bind_int (stmt, 35, op->by_category ? 1 : 0);
      bind_resume (stmt, op->resume, 3, 5, 6, 10, 11, 12, 18, 19, 20, 24, 34);
      break;

    case OP_CHECKPOINT:
      stmt = self->checkpoint_stmt;
      sqlite3_bind_int64 (stmt, 1, op->id);
      sqlite3_bind_int64 (stmt, 8, MAX (0, op->resume->confirmed));
      sqlite3_bind_int64 (stmt, 9, op->resume->total);
      sqlite3_bind_int64 (stmt, 10, op->updated);
      /* Rule 11 of haul-transfer.c: the folder comes with the partial. */
      bind_text (stmt, 15, op->resume->folder);
      bind_resume (stmt, op->resume, 2, 3, 4, 5, 6, 7, 11, 12, 13, 14, 16);
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

  haul_store_set_write_error (self, news->message);
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
              haul_store_op_free (old);
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
          haul_store_op_free (op);
        }
      else if (op->kind == OP_QUIT)
        {
          quit = TRUE;
          haul_store_op_free (op);
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
        haul_store_op_free (op);
    }

  /* Rule 5: nobody is told "committed" after a failure. */
  if (error != NULL || self->last_failure != NULL)
    report_failure (self, error);
  for (guint i = 0; i < waiters->len; i++)
    waiter_signal (g_ptr_array_index (waiters, i), error);

  return !quit;
}

gpointer
haul_store_writer_thread (gpointer data)
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

  g_queue_clear_full (&self->retry, (GDestroyNotify) haul_store_op_free);
  return NULL;
}

void
haul_store_push_op (HaulStore *self,
                    StoreOp   *op)
{
  g_async_queue_push (self->ops, op);
}

/* Blocks until every write queued before it is committed; FALSE with
 * @error when they were not (rule 5). */
gboolean
haul_store_wait_committed (HaulStore  *self,
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
  haul_store_push_op (self, op);

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


gboolean
haul_store_prepare_statements (HaulStore  *self,
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
