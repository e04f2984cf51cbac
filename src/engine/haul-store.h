/* haul-store.h: SQLite persistence of the queue and history
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-download.h"
#include "haul-transfer.h"

G_BEGIN_DECLS

#define HAUL_TYPE_STORE (haul_store_get_type ())
G_DECLARE_FINAL_TYPE (HaulStore, haul_store, HAUL, STORE, GObject)

/* Opens (creating and migrating) the database at @path, in WAL mode. A
 * corrupt or unreadable file is moved aside with a dated name and a fresh
 * one is started: see haul_store_get_recovered_path(). Main thread. */
HaulStore  *haul_store_new                  (const char    *path,
                                             GError       **error);
/* $XDG_DATA_HOME/haul/downloads.db */
char       *haul_store_default_path         (void);

/* Where a corrupt database was moved at open, or NULL. */
const char *haul_store_get_recovered_path   (HaulStore     *self);

/* Main thread, at start-up: every stored download, oldest first, with its
 * id, state and resume state set. (transfer full) (element-type HaulDownload) */
GPtrArray  *haul_store_load                 (HaulStore     *self,
                                             GError       **error);

/* Main thread. Gives @download an id if it has none, snapshots its
 * properties and queues the write; never blocks on the disk. */
void        haul_store_save                 (HaulStore     *self,
                                             HaulDownload  *download);
void        haul_store_delete               (HaulStore     *self,
                                             gint64         id);

/* A worker thread, after fdatasync: the durable-progress record of one
 * download. Returns once it is committed, so the worker may then rename or
 * cut its partial file. Never from the main thread (it waits for the
 * disk). */
void        haul_store_record_checkpoint    (HaulStore     *self,
                                             gint64         id,
                                             const char    *final_uri,
                                             const char    *file_name,
                                             const char    *partial_path,
                                             const char    *etag,
                                             const char    *last_modified,
                                             gint64         confirmed,
                                             gint64         total);

/* Crash-safe ordering of checkpoints against saves (see haul-store.c):
 * main thread, just before a worker starts a new transfer of the download
 * with @id. Returns the attempt number the worker passes to
 * haul_store_record_attempt_checkpoint(); from now on checkpoints of
 * earlier attempts are dropped, so a save that restarted the download
 * (e.g. from zero) can never be overwritten by a late checkpoint of the
 * worker that ran before. */
guint       haul_store_begin_attempt        (HaulStore     *self,
                                             gint64         id);
/* A worker thread: like haul_store_record_checkpoint() (returns once
 * committed), fenced by @attempt. Returns %FALSE if the checkpoint belongs
 * to an older attempt and was dropped. */
gboolean    haul_store_record_attempt_checkpoint (HaulStore            *self,
                                                  gint64                id,
                                                  guint                 attempt,
                                                  const HaulCheckpoint *checkpoint);

/* Blocks until every queued write is committed (quit, tests). */
void        haul_store_sync                 (HaulStore     *self);

G_END_DECLS
