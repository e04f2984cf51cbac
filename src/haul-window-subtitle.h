/* haul-window-subtitle.h: what the window's subtitle says about the queue
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "haul-engine.h"

G_BEGIN_DECLS

/* "1 downloading, 2 waiting"; "Queue paused, 3 waiting" while the queue is
 * held; "2 paused" when nothing else goes on; NULL when there is nothing to
 * say. Translated. (transfer full) (nullable) */
char *haul_window_subtitle_format (guint    n_downloading,
                                   guint    n_waiting,
                                   guint    n_paused,
                                   gboolean held);

/* Where the downloads are, with a remote engine only: "aria2 at
 * nas:6800", "Connecting to aria2 at nas:6800…", "aria2 at nas:6800 cannot
 * be reached"; NULL for the built-in engine. Translated. (transfer full)
 * (nullable) */
char *haul_window_subtitle_format_engine (HaulEngineConnection  connection,
                                          const char           *name);

G_END_DECLS
