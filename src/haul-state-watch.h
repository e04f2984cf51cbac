/* haul-state-watch.h: every download of a list, and when its state changes
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-download.h"

G_BEGIN_DECLS

#define HAUL_TYPE_STATE_WATCH (haul_state_watch_get_type ())
G_DECLARE_FINAL_TYPE (HaulStateWatch, haul_state_watch, HAUL, STATE_WATCH, GObject)

/* Watches the state of every HaulDownload in a GListModel (the queue) and
 * says which one changed, from what: the filter and the sort of the list
 * do not watch their items. One handler per download, whatever the number
 * of listeners. Main thread.
 *
 * Signals (main thread):
 *   ::state-changed (HaulDownload *download, guint old_state): that
 *     download's state changed from @old_state (a HaulDownloadState). */
HaulStateWatch *haul_state_watch_new (GListModel *model);

G_END_DECLS
