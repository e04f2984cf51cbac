/* haul-queue.h: the list of downloads and the workers that run them
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-download.h"
#include "haul-store.h"

G_BEGIN_DECLS

#define HAUL_TYPE_QUEUE (haul_queue_get_type ())
G_DECLARE_FINAL_TYPE (HaulQueue, haul_queue, HAUL, QUEUE, GObject)

/* A GListModel of HaulDownload. Main thread only.
 *
 * Signals (all emitted on the main thread):
 *   ::download-finished (HaulDownload *download): a download reached
 *     completed or failed (not paused or cancelled).
 *
 * Properties: max-active (guint, default 3, may change while running),
 *   n-active (guint, read-only: queued + connecting + downloading),
 *   stall-timeout (guint seconds, default 30), store (HaulStore, construct-only, nullable). */
HaulQueue    *haul_queue_new              (HaulStore    *store);

HaulDownload *haul_queue_add              (HaulQueue    *self,
                                           const char   *uri,
                                           const char   *folder,
                                           GError      **error);
/* Loads the store's downloads (history and unfinished ones) into the list
 * and re-queues those that were running. */
gboolean      haul_queue_restore          (HaulQueue    *self,
                                           GError      **error);

void          haul_queue_pause            (HaulQueue    *self,
                                           HaulDownload *download);
void          haul_queue_resume           (HaulQueue    *self,
                                           HaulDownload *download);
void          haul_queue_cancel           (HaulQueue    *self,
                                           HaulDownload *download);
void          haul_queue_retry            (HaulQueue    *self,
                                           HaulDownload *download);
void          haul_queue_remove           (HaulQueue    *self,
                                           HaulDownload *download);
void          haul_queue_pause_all        (HaulQueue    *self);
void          haul_queue_resume_all       (HaulQueue    *self);
void          haul_queue_remove_finished  (HaulQueue    *self);
HaulDownload *haul_queue_lookup           (HaulQueue    *self,
                                           gint64        id);

guint         haul_queue_get_max_active   (HaulQueue    *self);
void          haul_queue_set_max_active   (HaulQueue    *self,
                                           guint         max_active);
guint         haul_queue_get_n_active     (HaulQueue    *self);

/* Stops every worker (downloads stay resumable, their state is recorded as
 * it was) and waits for them; for quitting. */
void          haul_queue_shutdown         (HaulQueue    *self);

G_END_DECLS
