/* haul-rate-limiter.h: one token bucket shared by every connection
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Ref-counted and thread-safe: the queue sets rates on the main thread,
 * any number of connection threads take bytes. A limiter may have a
 * parent (a download's own limit under the global one): bytes taken
 * come out of both. */
typedef struct _HaulRateLimiter HaulRateLimiter;

HaulRateLimiter *haul_rate_limiter_new       (HaulRateLimiter *parent);
HaulRateLimiter *haul_rate_limiter_ref       (HaulRateLimiter *limiter);
void             haul_rate_limiter_unref     (HaulRateLimiter *limiter);

/* Bytes per second, 0 for no limit. Takes effect at once, also for
 * connections waiting in take(). */
void             haul_rate_limiter_set_rate  (HaulRateLimiter *limiter,
                                              guint64          bytes_per_second);
guint64          haul_rate_limiter_get_rate  (HaulRateLimiter *limiter);
/* The lowest rate in force here or in a parent, 0 when none is. */
guint64          haul_rate_limiter_get_effective_rate (HaulRateLimiter *limiter);

/* Waits until some bytes may be read and returns how many, at most
 * @wanted (at least 1), taken from this limiter and its parents; 0 when
 * @cancellable fired. Unlimited: returns @wanted at once. */
gsize            haul_rate_limiter_take      (HaulRateLimiter *limiter,
                                              gsize            wanted,
                                              GCancellable    *cancellable);
/* Gives back what was taken but not read (a short read). */
void             haul_rate_limiter_refund    (HaulRateLimiter *limiter,
                                              gsize            unused);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulRateLimiter, haul_rate_limiter_unref)

G_END_DECLS
