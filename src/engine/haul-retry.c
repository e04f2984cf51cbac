/* haul-retry.c: when to ask a server again
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exponential backoff with jitter: a busy server is not hammered, and many
 * downloads that failed together do not all come back at the same second.
 * A server's Retry-After is a floor, never shortened by the jitter.
 */

#include "config.h"

#include "haul-retry.h"

#define FIRST_DELAY_US   G_USEC_PER_SEC
#define MAX_DELAY_US     (5 * 60 * G_USEC_PER_SEC)
#define MAX_RETRY_AFTER  (60 * 60)

gint64
haul_retry_delay (guint   attempt,
                  gint64  retry_after,
                  guint32 jitter)
{
  gint64 delay = MAX_DELAY_US;
  double spread;

  if (attempt == 0)
    attempt = 1;
  /* 1 s, 2 s, 4 s … shifted as 64 bits: 1000000 << 11 overflows an int. */
  if (attempt <= 20)
    delay = MIN ((gint64) FIRST_DELAY_US << (attempt - 1), MAX_DELAY_US);

  /* ±20 %: jitter / 2^32 in [0, 1) → [0.8, 1.2). */
  spread = 0.8 + 0.4 * ((double) jitter / 4294967296.0);
  delay = (gint64) (delay * spread);

  if (retry_after >= 0)
    delay = MAX (delay, MIN (retry_after, MAX_RETRY_AFTER) * G_USEC_PER_SEC);
  return delay;
}
