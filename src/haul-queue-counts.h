/* haul-queue-counts.h: how many downloads of a list are in each state
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-download.h"

G_BEGIN_DECLS

#define HAUL_TYPE_QUEUE_COUNTS (haul_queue_counts_get_type ())
G_DECLARE_FINAL_TYPE (HaulQueueCounts, haul_queue_counts, HAUL, QUEUE_COUNTS, GObject)

/* Watches a GListModel of HaulDownload (the queue) and keeps, per state,
 * how many of its downloads are in it: what the window's subtitle and its
 * Pause All / Resume All need, which HaulQueue does not expose (only
 * n-active). Kept up to date incrementally: each change costs O(1) per
 * download that changed, never a walk over the whole list. Main thread.
 *
 * Signals (main thread):
 *   ::changed: some count changed (after items-changed or a state change).
 *   ::state-changed (HaulDownload *download, guint old_state): that
 *     download's state changed from @old_state (a HaulDownloadState),
 *     before ::changed. */
HaulQueueCounts *haul_queue_counts_new  (GListModel        *model);
guint            haul_queue_counts_get  (HaulQueueCounts   *self,
                                         HaulDownloadState  state);

G_END_DECLS
