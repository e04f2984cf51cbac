/* haul-checksum-cache.h: a folder's checksum files, asked for once
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How long an answer is kept, from when it arrived. */
#define HAUL_CHECKSUM_CACHE_TTL_US     (30 * G_TIME_SPAN_SECOND)
/* At most this many answers are kept (each at most
 * HAUL_CHECKSUM_SUMS_MAX_SIZE bytes); the oldest goes first. */
#define HAUL_CHECKSUM_CACHE_MAX_ENTRIES 16

/* The answers of one queue's downloads to a folder's SHA256SUMS and
 * SHA512SUMS: 1,000 files of one folder ask for each once, not 1,000
 * times. Ref-counted; every call may come from any thread. */
typedef struct _HaulChecksumCache HaulChecksumCache;

typedef enum
{
  HAUL_CHECKSUM_CACHE_ASK,      /* not known: the caller asks, then calls _put or _abandon */
  HAUL_CHECKSUM_CACHE_ABSENT,   /* the server had none (any answer but 200) */
  HAUL_CHECKSUM_CACHE_FOUND,    /* its contents are in *contents */
  HAUL_CHECKSUM_CACHE_CANCELLED, /* cancelled while another asked: give up */
} HaulChecksumCacheAnswer;

HaulChecksumCache      *haul_checksum_cache_new     (void);
HaulChecksumCache      *haul_checksum_cache_ref     (HaulChecksumCache  *cache);
void                    haul_checksum_cache_unref   (HaulChecksumCache  *cache);

/* What is known of @key (an address, with whatever else the answer
 * depends on). While another thread asks for the same key, this one waits
 * for its answer (or for @cancellable: CANCELLED). ASK makes the caller
 * the one asking: it must call haul_checksum_cache_put() or
 * haul_checksum_cache_abandon() for @key. */
HaulChecksumCacheAnswer haul_checksum_cache_lookup  (HaulChecksumCache  *cache,
                                                     const char         *key,
                                                     GCancellable       *cancellable,
                                                     GBytes            **contents);
/* The answer: @contents, or NULL for none there. */
void                    haul_checksum_cache_put     (HaulChecksumCache  *cache,
                                                     const char         *key,
                                                     GBytes             *contents);
/* No answer worth keeping (cancelled, a network failure): the next
 * lookup asks again. */
void                    haul_checksum_cache_abandon (HaulChecksumCache  *cache,
                                                     const char         *key);
/* The answer proved wrong or old (a file did not match it, or changed on
 * the server): the next lookup asks again. */
void                    haul_checksum_cache_forget  (HaulChecksumCache  *cache,
                                                     const char         *key);

/* For tests: the clock, in monotonic µs (NULL: g_get_monotonic_time). */
void                    haul_checksum_cache_set_clock (HaulChecksumCache *cache,
                                                       gint64           (*now) (void));

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulChecksumCache, haul_checksum_cache_unref)

G_END_DECLS
