/* haul-rate-limiter.c: one token bucket shared by every connection
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How it works
 *  1. A bucket fills at the rate, up to an eighth of a second's worth of
 *     bytes (the burst): however the reads fall, no 250 ms window gets
 *     more than 1.5 × its share, and over seconds the rate is exact.
 *  2. A reader takes what is in the bucket, at most what it wants; with
 *     less than a sixteenth of a second's worth (or what it wants) there,
 *     it waits for the bucket to fill that far, so reads stay large
 *     enough to cost little. Waits are cut into 50 ms slices to see a
 *     cancel, and a new rate wakes every waiter.
 *  3. With a parent, bytes come out of the child first, then the parent;
 *     what the parent cannot give yet goes back into the child.
 */

#include "config.h"

#include "haul-rate-limiter.h"

#define BURST_FRACTION   8     /* the bucket holds 1/8 s of bytes */
#define MIN_FRACTION     16    /* a waiting read waits for 1/16 s of bytes */
#define MIN_BURST        1024
#define WAIT_SLICE_US    (50 * G_TIME_SPAN_MILLISECOND)

struct _HaulRateLimiter
{
  gatomicrefcount  ref_count;
  HaulRateLimiter *parent;     /* (owned) (nullable) */

  GMutex           lock;
  GCond            cond;
  guint64          rate;       /* bytes per second, 0: unlimited */
  double           tokens;
  gint64           last_fill;  /* monotonic µs */
};

HaulRateLimiter *
haul_rate_limiter_new (HaulRateLimiter *parent)
{
  HaulRateLimiter *limiter = g_new0 (HaulRateLimiter, 1);

  g_atomic_ref_count_init (&limiter->ref_count);
  g_mutex_init (&limiter->lock);
  g_cond_init (&limiter->cond);
  limiter->parent = parent != NULL ? haul_rate_limiter_ref (parent) : NULL;
  limiter->last_fill = g_get_monotonic_time ();
  return limiter;
}

HaulRateLimiter *
haul_rate_limiter_ref (HaulRateLimiter *limiter)
{
  g_return_val_if_fail (limiter != NULL, NULL);

  g_atomic_ref_count_inc (&limiter->ref_count);
  return limiter;
}

void
haul_rate_limiter_unref (HaulRateLimiter *limiter)
{
  g_return_if_fail (limiter != NULL);

  if (!g_atomic_ref_count_dec (&limiter->ref_count))
    return;

  g_clear_pointer (&limiter->parent, haul_rate_limiter_unref);
  g_mutex_clear (&limiter->lock);
  g_cond_clear (&limiter->cond);
  g_free (limiter);
}

static double
burst_of (guint64 rate)
{
  return MAX ((double) rate / BURST_FRACTION, MIN_BURST);
}

/* Under the lock. */
static void
fill (HaulRateLimiter *limiter,
      gint64           now)
{
  if (limiter->rate > 0)
    {
      double added = (double) (now - limiter->last_fill) * limiter->rate / G_USEC_PER_SEC;

      limiter->tokens = MIN (limiter->tokens + added, burst_of (limiter->rate));
    }
  limiter->last_fill = now;
}

void
haul_rate_limiter_set_rate (HaulRateLimiter *limiter,
                            guint64          bytes_per_second)
{
  g_return_if_fail (limiter != NULL);

  g_mutex_lock (&limiter->lock);
  if (limiter->rate != bytes_per_second)
    {
      fill (limiter, g_get_monotonic_time ());
      limiter->rate = bytes_per_second;
      /* Start a new limit with half a bucket: no burst, no stall. */
      limiter->tokens = bytes_per_second > 0 ? burst_of (bytes_per_second) / 2 : 0;
      g_cond_broadcast (&limiter->cond);
    }
  g_mutex_unlock (&limiter->lock);
}

guint64
haul_rate_limiter_get_rate (HaulRateLimiter *limiter)
{
  guint64 rate;

  g_return_val_if_fail (limiter != NULL, 0);

  g_mutex_lock (&limiter->lock);
  rate = limiter->rate;
  g_mutex_unlock (&limiter->lock);
  return rate;
}

guint64
haul_rate_limiter_get_effective_rate (HaulRateLimiter *limiter)
{
  guint64 lowest = 0;

  g_return_val_if_fail (limiter != NULL, 0);

  for (HaulRateLimiter *l = limiter; l != NULL; l = l->parent)
    {
      guint64 rate = haul_rate_limiter_get_rate (l);

      if (rate > 0 && (lowest == 0 || rate < lowest))
        lowest = rate;
    }
  return lowest;
}

/* This bucket only (rule 2). */
static gsize
take_one (HaulRateLimiter *limiter,
          gsize            wanted,
          GCancellable    *cancellable)
{
  gsize granted = 0;

  g_mutex_lock (&limiter->lock);
  for (;;)
    {
      double need;
      gint64 now = g_get_monotonic_time ();
      gint64 until;

      if (limiter->rate == 0)
        {
          granted = wanted;
          break;
        }
      if (g_cancellable_is_cancelled (cancellable))
        break;

      fill (limiter, now);
      need = MIN ((double) wanted, MAX (1.0, (double) limiter->rate / MIN_FRACTION));
      if (limiter->tokens >= need)
        {
          granted = (gsize) MIN ((double) wanted, limiter->tokens);
          limiter->tokens -= granted;
          break;
        }

      until = now + (gint64) ((need - limiter->tokens) * G_USEC_PER_SEC / limiter->rate) + 1;
      g_cond_wait_until (&limiter->cond, &limiter->lock, MIN (until, now + WAIT_SLICE_US));
    }
  g_mutex_unlock (&limiter->lock);
  return granted;
}

static void
refund_one (HaulRateLimiter *limiter,
            gsize            unused)
{
  g_mutex_lock (&limiter->lock);
  if (limiter->rate > 0)
    limiter->tokens = MIN (limiter->tokens + unused, burst_of (limiter->rate));
  g_cond_broadcast (&limiter->cond);
  g_mutex_unlock (&limiter->lock);
}

gsize
haul_rate_limiter_take (HaulRateLimiter *limiter,
                        gsize            wanted,
                        GCancellable    *cancellable)
{
  gsize granted;

  g_return_val_if_fail (limiter != NULL, 0);
  g_return_val_if_fail (wanted > 0, 0);

  granted = take_one (limiter, wanted, cancellable);
  if (granted > 0 && limiter->parent != NULL)
    {
      gsize from_parent = haul_rate_limiter_take (limiter->parent, granted, cancellable);

      /* Rule 3. */
      if (from_parent < granted)
        refund_one (limiter, granted - from_parent);
      granted = from_parent;
    }
  return granted;
}

void
haul_rate_limiter_refund (HaulRateLimiter *limiter,
                          gsize            unused)
{
  g_return_if_fail (limiter != NULL);

  if (unused == 0)
    return;
  for (HaulRateLimiter *l = limiter; l != NULL; l = l->parent)
    refund_one (l, unused);
}
