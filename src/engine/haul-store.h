/* haul-store.h: SQLite persistence of the queue and history
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-download.h"
#include "haul-types.h"

G_BEGIN_DECLS

#define HAUL_TYPE_STORE (haul_store_get_type ())
G_DECLARE_FINAL_TYPE (HaulStore, haul_store, HAUL, STORE, GObject)

/* Opens (creating and migrating) the database at @path, in WAL mode,
 * holding its folder's lock (HAUL_ERROR_ALREADY_RUNNING when another
 * process has it). A corrupt or unreadable file is moved aside with a
 * dated name and a fresh one is started: see
 * haul_store_get_recovered_path(). Main thread. */
HaulStore  *haul_store_new                  (const char    *path,
                                             GError       **error);
/* $XDG_DATA_HOME/haul/downloads.db (haul-devel/ for the development
 * profile) */
char       *haul_store_default_path         (void);

/* Where a corrupt database was moved at open, or NULL. */
const char *haul_store_get_recovered_path   (HaulStore     *self);

/* Main thread, at start-up: every stored download, in the queue's order,
 * with its id, state and resume state set. (transfer full) (element-type
 * HaulDownload) */
GPtrArray  *haul_store_load                 (HaulStore     *self,
                                             GError       **error);
/* Main thread, at start-up: reads what haul_store_load() returns in a
 * thread of its own, while the rest of the application starts;
 * haul_store_load() then waits for it. */
void        haul_store_start_loading        (HaulStore     *self);

/* Main thread. Gives @download an id if it has none, snapshots its
 * properties and queues the write; never blocks on the disk. */
void        haul_store_save                 (HaulStore     *self,
                                             HaulDownload  *download);
void        haul_store_delete               (HaulStore     *self,
                                             gint64         id);

/* Crash-safe ordering of checkpoints against saves (see haul-store.c):
 * main thread, just before a worker starts a new transfer of the download
 * with @id. Returns the attempt number the worker passes to
 * haul_store_record_checkpoint(); from now on checkpoints of
 * earlier attempts are dropped, so a save that restarted the download
 * (e.g. from zero) can never be overwritten by a late checkpoint of the
 * worker that ran before. */
guint       haul_store_begin_attempt        (HaulStore     *self,
                                             gint64         id);
/* A worker thread, after fdatasync: the durable-progress record of one
 * download, fenced by @attempt. Returns once it is committed, so the
 * worker may then rename or cut its partial file; %FALSE with
 * HAUL_ERROR_STORE when it could not be written (then the worker must
 * not). A checkpoint of an older attempt is dropped (%TRUE). Never from
 * the main thread (it waits for the disk). */
gboolean    haul_store_record_checkpoint    (HaulStore              *self,
                                             gint64                  id,
                                             guint                   attempt,
                                             const HaulResumeState  *state,
                                             GError                **error);

/* Main thread: a download deleted from the store comes back (undo). */
void        haul_store_undelete             (HaulStore     *self,
                                             gint64         id);

/* Why the list is not being saved right now (translated), or NULL;
 * #HaulStore:write-error, notified on the main thread. */
const char *haul_store_get_write_error      (HaulStore     *self);

/* Blocks until every queued write is done (quit, tests); %FALSE if some
 * could not be committed. */
gboolean    haul_store_sync                 (HaulStore     *self);

G_END_DECLS
