/* haul-window-subtitle.h: what the window's subtitle says about the queue
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "1 downloading, 2 waiting"; "Queue paused, 3 waiting" while the queue is
 * held; "2 paused" when nothing else goes on; NULL when there is nothing to
 * say. Translated. (transfer full) (nullable) */
char *haul_window_subtitle_format (guint    n_downloading,
                                   guint    n_waiting,
                                   guint    n_paused,
                                   gboolean held);

G_END_DECLS
