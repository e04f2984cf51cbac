/* haul-queue-private.h: what engines (and tests) may use of the queue
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "haul-queue.h"

G_BEGIN_DECLS

/* For engines, on the main thread. ------------------------------------- */

guint         haul_queue_get_length              (HaulQueue         *self);
/* (transfer none) */
HaulDownload *haul_queue_peek                    (HaulQueue         *self,
                                                  guint              position);
/* In the list (not removed)? */
gboolean      haul_queue_contains                (HaulQueue         *self,
                                                  HaulDownload      *download);
/* Every state change goes through here: counts, the store, and
 * ::download-finished for completed and failed. */
void          haul_queue_set_state               (HaulQueue         *self,
                                                  HaulDownload      *download,
                                                  HaulDownloadState  state);
/* Records @download as it is now (if it is in the list). */
void          haul_queue_save                    (HaulQueue         *self,
                                                  HaulDownload      *download);
/* A stopped download's run is over: its partial file may be discarded. */
void          haul_queue_run_ended               (HaulQueue         *self,
                                                  HaulDownload      *download);
/* Engines start nothing while the queue is held (haul_queue_get_held())
 * but what was asked to start now: */
/* Any download asked to start now, not yet started. */
gboolean      haul_queue_has_start_now           (HaulQueue         *self);
/* Asked to start ahead of the limit? Cleared once started. */
gboolean      haul_queue_take_start_now          (HaulQueue         *self,
                                                  HaulDownload      *download);
/* Nothing new may start (shutting down). */
gboolean      haul_queue_is_shutting_down        (HaulQueue         *self);
/* Outside the scheduled hours (haul_queue_set_schedule()) nothing starts
 * but what was asked to start now; an engine marks what waits for them
 * with haul_queue_wait_for_schedule(). */
gboolean      haul_queue_get_schedule_open       (HaulQueue         *self);
void          haul_queue_wait_for_schedule       (HaulQueue         *self,
                                                  HaulDownload      *download);

/* Downloads an engine found that the list does not hold yet (a remote
 * daemon's, added by another of its clients): appended in one change of
 * the list, each recorded, in the state it already has (no
 * ::download-finished for one that is finished already). Main thread. */
void          haul_queue_append_from_engine      (HaulQueue         *self,
                                                  GPtrArray         *downloads);
/* What a remote engine says of its connection: :engine-connection,
 * :engine-name ("nas:6800", nullable) and :engine-error (nullable), each
 * notified when it changes. */
void          haul_queue_set_engine_status       (HaulQueue            *self,
                                                  HaulEngineConnection  connection,
                                                  const char           *name,
                                                  const char           *error);

guint         haul_queue_get_connections_per_download (HaulQueue    *self);
guint         haul_queue_get_stall_timeout       (HaulQueue         *self);
gboolean      haul_queue_get_allow_metered       (HaulQueue         *self);
gboolean      haul_queue_get_checksum_other_hosts (HaulQueue        *self);
/* The global limit in force (the alternative one when enabled), bytes per
 * second, 0: none. */
guint64       haul_queue_get_effective_speed_limit (HaulQueue       *self);

/* Counters of the built-in engine, for tests and the probe. ------------ */

/* Flushes run so far, and the most ever pending at once (must never
 * exceed 1). */
guint         haul_queue_get_n_flushes           (HaulQueue         *self);
guint         haul_queue_get_max_pending_idle    (HaulQueue         *self);
/* The longest time one flush took on the main thread, in µs. */
gint64        haul_queue_get_max_flush_us        (HaulQueue         *self);

G_END_DECLS
