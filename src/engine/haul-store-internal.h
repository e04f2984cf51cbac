/* haul-store-internal.h: what the files of HaulStore share
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HaulStore is one object in three files: haul-store.c (opening, loading,
 * the API the queue and workers call), haul-store-writer.c (the writer
 * thread: batches, failures, retries) and haul-store-db.c (the database
 * file itself). The ordering rules are in haul-store.c.
 */

#pragma once

#include <sqlite3.h>

#include "haul-store.h"

G_BEGIN_DECLS

typedef enum
{
  OP_SAVE,
  OP_CHECKPOINT,
  OP_DELETE,
  OP_SYNC,
  OP_QUIT,
} StoreOpKind;

typedef struct _HaulStoreLoad HaulStoreLoad;

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
  char            *checksum;        /* "sha-256=HEX", or NULL */
  int              checksum_source;
  char            *checksum_origin;
  int              checksum_state;
  char            *engine_id;
  char            *referrer;
  char            *user_agent;
  char            *error_text;   /* haul_error_text_serialize() */
  double           position;  /* in the queue's order */
  gboolean         by_category;

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

  /* haul_store_start_loading() to haul_store_load(): the threads reading
   * the history (haul-store-load.c). */
  HaulStoreLoad *load;           /* (owned) (nullable) */

  gint64        next_id;         /* main thread */
  GHashTable   *deleted;         /* main thread: ids removed, never saved again */

  GMutex        attempt_lock;
  GHashTable   *attempts;        /* id → current attempt, under attempt_lock */
};

void        haul_store_op_free             (StoreOp     *op);
const char *haul_store_state_to_string     (int          state);
void        haul_store_abandon_loading     (HaulStore   *self);
gboolean    haul_store_state_from_string   (const char        *name,
                                            HaulDownloadState *state);
/* Main thread: :write-error, notified when it changes. */
void        haul_store_set_write_error     (HaulStore   *self,
                                            const char  *message);

/* haul-store-writer.c */
gboolean    haul_store_prepare_statements  (HaulStore   *self,
                                            GError     **error);
gpointer    haul_store_writer_thread       (gpointer     data);
void        haul_store_push_op             (HaulStore   *self,
                                            StoreOp     *op);
/* Blocks until every write queued before it is committed; FALSE with
 * @error when they were not (rule 5). */
gboolean    haul_store_wait_committed      (HaulStore   *self,
                                            GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StoreOp, haul_store_op_free)

G_END_DECLS
