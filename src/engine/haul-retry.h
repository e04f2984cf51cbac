/* haul-retry.h: when to ask a server again
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Tries after the first failure before a download shows as failed. */
#define HAUL_RETRY_MAX_TRIES 10

/* How long to wait before try @attempt (1 for the first retry): 1 s
 * doubling, capped at five minutes, spread by ±20 % with @jitter (any
 * 32-bit random number), and never sooner than @retry_after seconds (the
 * server's Retry-After, capped at an hour; -1 for none). Pure: tested on
 * a fake clock. Returns µs. */
gint64    haul_retry_delay          (guint         attempt,
                                     gint64        retry_after,
                                     guint32       jitter);

G_END_DECLS
