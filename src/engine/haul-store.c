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
  if (self->loader != NULL)
    g_thread_join (g_steal_pointer (&self->loader));
  g_clear_pointer (&self->loaded, g_ptr_array_unref);
  g_clear_error (&self->load_error);

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
/* Loading                                                                 */

enum {
  COL_ID, COL_URI, COL_FINAL_URI, COL_FOLDER, COL_FILE_NAME, COL_PARTIAL_PATH,
  COL_STATE, COL_CONFIRMED, COL_TOTAL, COL_ETAG, COL_LAST_MODIFIED,
  COL_CONTENT_TYPE, COL_ERROR, COL_NOTICE, COL_CREATED, COL_FINISHED,
  COL_PIECES, COL_PARTIAL_DEV, COL_PARTIAL_INO, COL_SPEED_LIMIT, COL_FROM_BROWSER,
  COL_ERROR_CODE, COL_PARTIAL_BIRTH, COL_CHECKSUM, COL_CHECKSUM_SOURCE, COL_CHECKSUM_ORIGIN,
  COL_CHECKSUM_STATE, COL_ENGINE_ID, COL_REFERRER, COL_USER_AGENT, COL_ERROR_TEXT,
  COL_QUEUE_POSITION, COL_CATEGORY, COL_BY_CATEGORY,
};

static const char load_sql[] =
  "SELECT id, uri, final_uri, folder, file_name, partial_path, state, confirmed,"
  "       total, etag, last_modified, content_type, error, notice, created, finished,"
  "       pieces, partial_dev, partial_ino, speed_limit, from_browser, error_code,"
  "       partial_birth, checksum, checksum_source, checksum_origin, checksum_state,"
  "       engine_id, referrer, user_agent, error_text, queue_position, category,"
  "       by_category"
  " FROM downloads;";

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
  HaulDownloadState state;
  gint64 total = MAX (-1, sqlite3_column_int64 (stmt, COL_TOTAL));
  HaulDownloadRecord record = { 0 };

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
  /* Rows from before categories: the kind from what is known of the file. */
  if (!haul_category_from_string (column_text (stmt, COL_CATEGORY), &resume->category))
    resume->category = haul_category_for_file (resume->file_name, resume->content_type);

  record.id = sqlite3_column_int64 (stmt, COL_ID);
  record.state = state;
  record.received = resume->confirmed;
  /* A finished file holds all its bytes, whatever the last checkpoint said. */
  if (state == HAUL_DOWNLOAD_COMPLETED && total >= 0)
    record.received = total;
  record.created_us = sqlite3_column_int64 (stmt, COL_CREATED);
  record.finished_us = sqlite3_column_int64 (stmt, COL_FINISHED);
  download = haul_download_new_recorded (column_text (stmt, COL_URI),
                                         column_text (stmt, COL_FOLDER),
                                         g_steal_pointer (&resume), &record);
  haul_download_set_error_message (download, column_text (stmt, COL_ERROR));
  haul_download_set_notice (download, column_text (stmt, COL_NOTICE));
  haul_download_set_speed_limit (download, (guint64) sqlite3_column_int64 (stmt, COL_SPEED_LIMIT));
  haul_download_set_from_browser (download, sqlite3_column_int (stmt, COL_FROM_BROWSER) != 0);
  haul_download_set_by_category (download, sqlite3_column_int (stmt, COL_BY_CATEGORY) != 0);
  haul_download_set_error_code (download, sqlite3_column_int (stmt, COL_ERROR_CODE));
  {
    g_autoptr(GVariant) text = haul_error_text_parse (column_text (stmt, COL_ERROR_TEXT));

    /* A text that does not parse leaves the message as it was recorded. */
    if (text != NULL && haul_download_get_error_message (download) != NULL)
      haul_download_set_error_text (download, text);
  }
  if (column_text (stmt, COL_CHECKSUM) != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HaulChecksumSpec) spec =
        haul_checksum_spec_parse_full (column_text (stmt, COL_CHECKSUM),
                                       sqlite3_column_int (stmt, COL_CHECKSUM_SOURCE),
                                       column_text (stmt, COL_CHECKSUM_ORIGIN), &error);

      if (spec != NULL)
        haul_download_set_checksum (download, spec);
      else
        g_message ("Download %" G_GINT64_FORMAT ": its checksum is unreadable: %s",
                   haul_download_get_id (download), error->message);
    }
  haul_download_set_checksum_state (download, sqlite3_column_int (stmt, COL_CHECKSUM_STATE));
  haul_download_set_engine_id (download, column_text (stmt, COL_ENGINE_ID));
  haul_download_set_position (download, sqlite3_column_double (stmt, COL_QUEUE_POSITION));
  haul_download_set_request_extras (download, NULL, NULL, column_text (stmt, COL_REFERRER),
                                    column_text (stmt, COL_USER_AGENT));

  /* Whether a finished file is still there is not checked here: that
   * would be blocking disk work on the main thread at start-up (a slow or
   * hung disk); haul_queue_restore() checks in a thread. */

  return g_steal_pointer (&download);
}

/* The queue's order: by position, then by id. */
static int
compare_order (gconstpointer a,
               gconstpointer b)
{
  HaulDownload *first = *(HaulDownload **) a;
  HaulDownload *second = *(HaulDownload **) b;
  double p1 = haul_download_get_position (first);
  double p2 = haul_download_get_position (second);
  gint64 id1, id2;

  if (p1 != p2)
    return p1 < p2 ? -1 : 1;
  id1 = haul_download_get_id (first);
  id2 = haul_download_get_id (second);
  return (id1 > id2) - (id1 < id2);
}

/* Any thread: every row, in the queue's order. The rows are read in the
 * table's order and sorted here: SQLite's ORDER BY on a column without an
 * index copied every row through its sorter first, a third of reading
 * 100,000 of them. */
static GPtrArray *
read_downloads (HaulStore  *self,
                GError    **error)
{
  g_autoptr(GPtrArray) downloads = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  int rc;

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

  g_ptr_array_sort (downloads, compare_order);
  return g_steal_pointer (&downloads);
}

static gpointer
loader_thread (gpointer data)
{
  HaulStore *self = data;

  self->loaded = read_downloads (self, &self->load_error);
  return NULL;
}

/**
 * haul_store_start_loading:
 * @self: a #HaulStore
 *
 * Main thread, at start-up, before haul_store_load(): reads the stored
 * downloads in a thread of its own, so that a long history is read while
 * GTK starts. haul_store_load() waits for that thread and returns what it
 * read. The store is not used from the main thread meanwhile (only the
 * writer thread, which takes turns with the reader on db_lock).
 */
void
haul_store_start_loading (HaulStore *self)
{
  g_return_if_fail (HAUL_IS_STORE (self));
  g_return_if_fail (self->loader == NULL && self->loaded == NULL);

  haul_store_sync (self);
  self->loader = g_thread_new ("haul-store-load", loader_thread, self);
}

/**
 * haul_store_load:
 * @self: a #HaulStore
 * @error: return location for a #GError
 *
 * Main thread, at start-up: every stored download, in the queue's order
 * (position, then id), with its id, state, validators and resume state set
 * (received = confirmed). Downloads that were running come back in their
 * recorded state; the queue decides what to re-queue. After
 * haul_store_start_loading(), what its thread read.
 *
 * Returns: (transfer full) (element-type HaulDownload): the downloads
 */
GPtrArray *
haul_store_load (HaulStore  *self,
                 GError    **error)
{
  g_autoptr(GPtrArray) downloads = NULL;

  g_return_val_if_fail (HAUL_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->loader != NULL)
    {
      g_thread_join (g_steal_pointer (&self->loader));
      downloads = g_steal_pointer (&self->loaded);
      if (downloads == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&self->load_error));
          return NULL;
        }
    }
  else
    {
      haul_store_sync (self);
      downloads = read_downloads (self, error);
      if (downloads == NULL)
        return NULL;
    }

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
