/* haul-queue-private.h: counters for tests
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "haul-queue.h"

G_BEGIN_DECLS

/* Number of idle flushes run so far, and the most ever pending at once
 * (must never exceed 1). */
guint haul_queue_get_n_flushes        (HaulQueue *self);
guint haul_queue_get_max_pending_idle (HaulQueue *self);
/* The longest time one flush took on the main thread, in µs. */
gint64 haul_queue_get_max_flush_us    (HaulQueue *self);

G_END_DECLS
