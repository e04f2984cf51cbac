/* haul-checksum-cache.c: a folder's checksum files, asked for once
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How it works
 *  1. One table under one lock: key → entry. An entry is either being
 *     asked for (by the one thread that found no entry), or an answer
 *     (contents, or none there) with the time it arrived.
 *  2. A lookup that finds an entry being asked for waits on the
 *     condition, waking every 50 ms to see its cancellable: eight workers
 *     starting together in one folder send one request, not eight.
 *  3. An answer older than HAUL_CHECKSUM_CACHE_TTL_US is dropped when
 *     looked at: a folder's checksum files change when a release does, so
 *     a queue keeps them for seconds, not for its lifetime.
 *  4. At most HAUL_CHECKSUM_CACHE_MAX_ENTRIES answers: a new entry pushes
 *     out the oldest answer. Entries being asked for are never pushed out
 *     (their asker still has to put or abandon them).
 */

#include "config.h"

#include "haul-checksum-cache.h"

typedef struct
{
  gboolean  asking;
  GBytes   *contents;    /* (owned) (nullable) NULL: none there */
  gint64    when;        /* monotonic µs the answer arrived */
} Entry;

struct _HaulChecksumCache
{
  gatomicrefcount  ref_count;
  GMutex           lock;
  GCond            cond;     /* an answer arrived, or an asker gave up */
  GHashTable      *entries;  /* (owned) char* → Entry*, under @lock */
  gint64         (*now) (void);
};

static void
entry_free (Entry *entry)
{
  g_clear_pointer (&entry->contents, g_bytes_unref);
  g_free (entry);
}

HaulChecksumCache *
haul_checksum_cache_new (void)
{
  HaulChecksumCache *cache = g_new0 (HaulChecksumCache, 1);

  g_atomic_ref_count_init (&cache->ref_count);
  g_mutex_init (&cache->lock);
  g_cond_init (&cache->cond);
  cache->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) entry_free);
  cache->now = g_get_monotonic_time;
  return cache;
}

HaulChecksumCache *
haul_checksum_cache_ref (HaulChecksumCache *cache)
{
  g_return_val_if_fail (cache != NULL, NULL);

  g_atomic_ref_count_inc (&cache->ref_count);
  return cache;
}

void
haul_checksum_cache_unref (HaulChecksumCache *cache)
{
  g_return_if_fail (cache != NULL);

  if (!g_atomic_ref_count_dec (&cache->ref_count))
    return;
  g_hash_table_unref (cache->entries);
  g_cond_clear (&cache->cond);
  g_mutex_clear (&cache->lock);
  g_free (cache);
}

void
haul_checksum_cache_set_clock (HaulChecksumCache  *cache,
                               gint64            (*now) (void))
{
  g_return_if_fail (cache != NULL);

  g_mutex_lock (&cache->lock);
  cache->now = now != NULL ? now : g_get_monotonic_time;
  g_mutex_unlock (&cache->lock);
}

/* Rule 4, under the lock. */
static void
make_room (HaulChecksumCache *cache)
{
  GHashTableIter iter;
  const char *oldest_key = NULL;
  gint64 oldest = G_MAXINT64;
  gpointer key;
  gpointer value;

  if (g_hash_table_size (cache->entries) < HAUL_CHECKSUM_CACHE_MAX_ENTRIES)
    return;
  g_hash_table_iter_init (&iter, cache->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Entry *entry = value;

      if (!entry->asking && entry->when < oldest)
        {
          oldest = entry->when;
          oldest_key = key;
        }
    }
  if (oldest_key != NULL)
    g_hash_table_remove (cache->entries, oldest_key);
}

HaulChecksumCacheAnswer
haul_checksum_cache_lookup (HaulChecksumCache  *cache,
                            const char         *key,
                            GCancellable       *cancellable,
                            GBytes            **contents)
{
  HaulChecksumCacheAnswer answer;
  Entry *entry;

  g_return_val_if_fail (cache != NULL, HAUL_CHECKSUM_CACHE_CANCELLED);
  g_return_val_if_fail (key != NULL, HAUL_CHECKSUM_CACHE_CANCELLED);
  g_return_val_if_fail (contents != NULL && *contents == NULL, HAUL_CHECKSUM_CACHE_CANCELLED);

  g_mutex_lock (&cache->lock);
  for (;;)
    {
      entry = g_hash_table_lookup (cache->entries, key);
      /* Rule 3. */
      if (entry != NULL && !entry->asking
          && cache->now () - entry->when >= HAUL_CHECKSUM_CACHE_TTL_US)
        {
          g_hash_table_remove (cache->entries, key);
          entry = NULL;
        }
      if (entry == NULL)
        {
          make_room (cache);
          entry = g_new0 (Entry, 1);
          entry->asking = TRUE;
          g_hash_table_insert (cache->entries, g_strdup (key), entry);
          answer = HAUL_CHECKSUM_CACHE_ASK;
          break;
        }
      if (!entry->asking)
        {
          answer = entry->contents != NULL ? HAUL_CHECKSUM_CACHE_FOUND
                                           : HAUL_CHECKSUM_CACHE_ABSENT;
          if (entry->contents != NULL)
            *contents = g_bytes_ref (entry->contents);
          break;
        }
      /* Rule 2. */
      g_cond_wait_until (&cache->cond, &cache->lock,
                         g_get_monotonic_time () + 50 * G_TIME_SPAN_MILLISECOND);
      if (g_cancellable_is_cancelled (cancellable))
        {
          answer = HAUL_CHECKSUM_CACHE_CANCELLED;
          break;
        }
    }
  g_mutex_unlock (&cache->lock);
  return answer;
}

void
haul_checksum_cache_put (HaulChecksumCache *cache,
                         const char        *key,
                         GBytes            *contents)
{
  Entry *entry;

  g_return_if_fail (cache != NULL);
  g_return_if_fail (key != NULL);

  g_mutex_lock (&cache->lock);
  entry = g_hash_table_lookup (cache->entries, key);
  if (entry == NULL)
    {
      make_room (cache);
      entry = g_new0 (Entry, 1);
      g_hash_table_insert (cache->entries, g_strdup (key), entry);
    }
  entry->asking = FALSE;
  g_clear_pointer (&entry->contents, g_bytes_unref);
  entry->contents = contents != NULL ? g_bytes_ref (contents) : NULL;
  entry->when = cache->now ();
  g_cond_broadcast (&cache->cond);
  g_mutex_unlock (&cache->lock);
}

void
haul_checksum_cache_abandon (HaulChecksumCache *cache,
                             const char        *key)
{
  Entry *entry;

  g_return_if_fail (cache != NULL);
  g_return_if_fail (key != NULL);

  g_mutex_lock (&cache->lock);
  entry = g_hash_table_lookup (cache->entries, key);
  if (entry != NULL && entry->asking)
    g_hash_table_remove (cache->entries, key);
  /* A waiter wakes and becomes the one asking. */
  g_cond_broadcast (&cache->cond);
  g_mutex_unlock (&cache->lock);
}

void
haul_checksum_cache_forget (HaulChecksumCache *cache,
                            const char        *key)
{
  Entry *entry;

  g_return_if_fail (cache != NULL);
  g_return_if_fail (key != NULL);

  g_mutex_lock (&cache->lock);
  entry = g_hash_table_lookup (cache->entries, key);
  if (entry != NULL && !entry->asking)
    g_hash_table_remove (cache->entries, key);
  g_mutex_unlock (&cache->lock);
}
