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

#include "haul-checksum.h"
#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-store-db.h"
#include "haul-store-internal.h"

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

const char *
haul_store_state_to_string (int state)
{
  if (state < 0 || state >= (int) G_N_ELEMENTS (state_names))
    return state_names[HAUL_DOWNLOAD_FAILED];
  return state_names[state];
}

gboolean
haul_store_state_from_string (const char        *name,
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

void
haul_store_op_free (StoreOp *op)
{
  g_clear_pointer (&op->resume, haul_resume_state_free);
  g_free (op->uri);
  g_free (op->folder);
  g_free (op->error);
  g_free (op->notice);
  g_free (op->checksum);
  g_free (op->checksum_origin);
  g_free (op->engine_id);
  g_free (op->referrer);
  g_free (op->user_agent);
  g_free (op->error_text);
  g_free (op);
}


static gint64
date_time_to_usec (GDateTime *dt)
{
  if (dt == NULL)
    return 0;
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                 */

static void
haul_store_finalize (GObject *object)
{
  HaulStore *self = HAUL_STORE (object);

  /* A history read that nobody took (start-up went no further). */
  haul_store_abandon_loading (self);

  if (self->writer != NULL)
    {
      StoreOp *op = g_new0 (StoreOp, 1);

      op->kind = OP_QUIT;
      haul_store_push_op (self, op);
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
  self->ops = g_async_queue_new_full ((GDestroyNotify) haul_store_op_free);
  self->deleted = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->attempts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->next_id = 1;
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

  if (!haul_store_prepare_statements (self, error))
    return NULL;

  self->writer = g_thread_new ("haul-store", haul_store_writer_thread, self);

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

void
haul_store_set_write_error (HaulStore  *self,
                            const char *message)
{
  if (g_strcmp0 (self->write_error, message) == 0)
    return;
  g_free (self->write_error);
  self->write_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITE_ERROR]);
}

const char *
haul_store_get_write_error (HaulStore *self)
{
  g_return_val_if_fail (HAUL_IS_STORE (self), NULL);

  return self->write_error;
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

  /* Not placed in a queue's order yet: the order it was added in. */
  if (haul_download_get_position (download) <= 0)
    haul_download_set_position (download, id);

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
  if (haul_download_get_error_text (download) != NULL)
    op->error_text = haul_error_text_serialize (haul_download_get_error_text (download));
  op->checksum_state = haul_download_get_checksum_state (download);
  if (haul_download_get_checksum (download) != NULL)
    {
      const HaulChecksumSpec *spec = haul_download_get_checksum (download);

      op->checksum = haul_checksum_spec_to_string (spec);
      op->checksum_source = haul_checksum_spec_get_source (spec);
      op->checksum_origin = g_strdup (haul_checksum_spec_get_origin (spec));
    }
  op->engine_id = g_strdup (haul_download_get_engine_id (download));
  {
    const char *authorization, *cookies, *referrer, *user_agent;

    /* Never the credentials or the cookies: memory only. */
    haul_download_get_request_extras (download, &authorization, &cookies, &referrer, &user_agent);
    op->referrer = g_strdup (referrer);
    op->user_agent = g_strdup (user_agent);
  }
  op->total = haul_download_get_total (download);
  op->speed_limit = haul_download_get_speed_limit (download);
  op->from_browser = haul_download_get_from_browser (download);
  op->by_category = haul_download_get_by_category (download);
  op->position = haul_download_get_position (download);
  op->created = date_time_to_usec (haul_download_get_created (download));
  op->finished = date_time_to_usec (haul_download_get_finished (download));
  op->updated = g_get_real_time ();
  if (op->created <= 0)
    op->created = op->updated;
  if (op->uri == NULL)
    op->uri = g_strdup ("");
  if (op->folder == NULL)
    op->folder = g_strdup ("");

  haul_store_push_op (self, op);
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
  haul_store_push_op (self, op);
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
    haul_store_push_op (self, checkpoint_op_new (id, state));
  g_mutex_unlock (&self->attempt_lock);

  /* Rule 4 of the ordering comment at the top. */
  if (!current)
    return TRUE;
  return haul_store_wait_committed (self, error);
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

  return haul_store_wait_committed (self, NULL);
}
