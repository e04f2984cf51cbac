/* haul-aria2-poller.h: the daemon's downloads, kept up to date
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-aria2-client.h"
#include "haul-aria2-status.h"

G_BEGIN_DECLS

/**
 * HaulAria2PollerStats:
 * @n_ticks: updates delivered so far
 * @n_stopped_fetches: ticks that had to ask for the stopped downloads
 * @last_main_us: main-thread time of the last tick (its callbacks and the
 *   ::updated emission, handlers included)
 * @max_main_us: the longest so far
 * @total_main_us: all of them together
 * @last_build_us: worker-thread time the last tick spent reading and comparing
 * @max_build_us: the longest so far
 */
typedef struct
{
  guint  n_ticks;
  guint  n_stopped_fetches;
  gint64 last_main_us;
  gint64 max_main_us;
  gint64 total_main_us;
  gint64 last_build_us;
  gint64 max_build_us;
} HaulAria2PollerStats;

#define HAUL_TYPE_ARIA2_POLLER (haul_aria2_poller_get_type ())
G_DECLARE_FINAL_TYPE (HaulAria2Poller, haul_aria2_poller, HAUL, ARIA2_POLLER, GObject)

/* Main thread only. Polls while its client is CONNECTED: every 500 ms
 * while anything is active, every 2 s otherwise, and soon (never more than
 * twice a second) after a notification or haul_aria2_poller_poll_soon().
 * Answers are read and compared with the last model in a worker thread;
 * the main thread swaps the model and emits, once per tick for all
 * downloads. When the connection fails the model stays as it was.
 *
 * Signals (main thread):
 *   ::updated (GPtrArray *changed, GPtrArray *removed): at most once per
 *     tick, only when something changed. @changed: new snapshots
 *     (HaulAria2Status, each with ->changed saying which values moved);
 *     @removed: the last snapshots of downloads the daemon no longer
 *     lists (removed by a client, purged, or forgotten by a restart).
 *   ::download-finished (HaulAria2Status *status): a download reached
 *     complete or error while watched (after the updated of its tick).
 *     Not for the ones already finished when the first tick loaded, nor
 *     for removed ones (as the built-in queue, not for cancelled).
 *
 * Properties: client (construct-only), loaded (boolean, read-only: the
 *   first tick has been delivered). */
HaulAria2Poller  *haul_aria2_poller_new        (HaulAria2Client      *client);

HaulAria2Client  *haul_aria2_poller_get_client (HaulAria2Poller      *self);
gboolean          haul_aria2_poller_get_loaded (HaulAria2Poller      *self);
/* (transfer none) (nullable) the latest snapshot of @gid */
HaulAria2Status  *haul_aria2_poller_lookup     (HaulAria2Poller      *self,
                                                const char           *gid);
/* Every download, active, then waiting (in the daemon's queue order), then
 * stopped. (transfer container) of HaulAria2Status. */
GPtrArray        *haul_aria2_poller_dup_all    (HaulAria2Poller      *self);
/* Polls as soon as the twice-a-second limit allows (after a call of ours
 * changed something, say). */
void              haul_aria2_poller_poll_soon  (HaulAria2Poller      *self);
void              haul_aria2_poller_get_stats  (HaulAria2Poller      *self,
                                                HaulAria2PollerStats *stats);

G_END_DECLS
