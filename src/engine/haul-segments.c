/* haul-segments.c: the pieces of a download spread over connections
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How it works
 *  1. The file [0, total) is covered by pieces in order, without gaps or
 *     overlap; each has a start, an end and the bytes done from its start.
 *     The first (done + reserved) bytes of a piece belong to its holder.
 *  2. A connection claims an unheld piece with bytes left, the first one
 *     in the file; if there is none, it splits the held piece with the
 *     most bytes left: the holder keeps the first half, the claimer gets
 *     the second (a new piece), so a slow connection never holds the end.
 *  3. The holder learns of a split when it reserves its next bytes: only
 *     those before the new end are its own. Bytes reserved are never
 *     split off (the split point is after them), so two connections never
 *     write the same byte.
 *  4. A snapshot lists done bytes only: written with pwrite() but maybe
 *     not yet flushed. The caller syncs after taking it, then records it.
 */

#include "config.h"

#include "haul-segments.h"

struct _HaulSegment
{
  gint64   start;
  gint64   end;
  gint64   done;
  gint64   reserved;
  gboolean held;
};

struct _HaulSegments
{
  GMutex     lock;
  GPtrArray *pieces;     /* (element-type HaulSegment) in file order */
  gint64     total;
  gint64     min_split;
};

static HaulSegment *
segment_new (gint64 start,
             gint64 end,
             gint64 done)
{
  HaulSegment *segment = g_new0 (HaulSegment, 1);

  segment->start = start;
  segment->end = end;
  segment->done = done;
  return segment;
}

HaulSegments *
haul_segments_new (gint64        total,
                   const GArray *pieces,
                   gint64        min_split)
{
  HaulSegments *segments;
  gint64 covered = 0;

  g_return_val_if_fail (total > 0, NULL);

  segments = g_new0 (HaulSegments, 1);
  g_mutex_init (&segments->lock);
  segments->pieces = g_ptr_array_new_with_free_func (g_free);
  segments->total = total;
  segments->min_split = MAX (min_split, 1);

  /* Rule 1: recorded pieces, with any gap between them (or at the end)
   * filled by a piece with nothing done. */
  for (guint i = 0; pieces != NULL && i < pieces->len; i++)
    {
      const HaulPiece *piece = &g_array_index (pieces, HaulPiece, i);
      gint64 end = piece->end >= 0 ? MIN (piece->end, total) : total;

      if (piece->start < covered || piece->start >= end)
        continue;
      if (piece->start > covered)
        g_ptr_array_add (segments->pieces, segment_new (covered, piece->start, 0));
      g_ptr_array_add (segments->pieces,
                       segment_new (piece->start, end, CLAMP (piece->done, 0, end - piece->start)));
      covered = end;
    }
  if (covered < total)
    g_ptr_array_add (segments->pieces, segment_new (covered, total, 0));

  return segments;
}

void
haul_segments_free (HaulSegments *segments)
{
  if (segments == NULL)
    return;

  g_ptr_array_unref (segments->pieces);
  g_mutex_clear (&segments->lock);
  g_free (segments);
}

static gint64
left_of (const HaulSegment *segment)
{
  return segment->end - (segment->start + segment->done + segment->reserved);
}

void
haul_segments_split (HaulSegments *segments,
                     guint         n)
{
  g_return_if_fail (segments != NULL);

  g_mutex_lock (&segments->lock);
  for (;;)
    {
      HaulSegment *largest = NULL;
      guint largest_index = 0;
      guint n_left = 0;
      gint64 mid;

      for (guint i = 0; i < segments->pieces->len; i++)
        {
          HaulSegment *segment = g_ptr_array_index (segments->pieces, i);

          if (left_of (segment) <= 0)
            continue;
          n_left++;
          if (!segment->held && (largest == NULL || left_of (segment) > left_of (largest)))
            {
              largest = segment;
              largest_index = i;
            }
        }
      if (n_left >= n || largest == NULL || left_of (largest) < 2 * segments->min_split)
        break;

      mid = largest->end - left_of (largest) / 2;
      g_ptr_array_insert (segments->pieces, largest_index + 1,
                          segment_new (mid, largest->end, 0));
      largest->end = mid;
    }
  g_mutex_unlock (&segments->lock);
}

HaulSegment *
haul_segments_claim (HaulSegments *segments,
                     gint64       *position,
                     gint64       *end)
{
  HaulSegment *claimed = NULL;
  HaulSegment *largest = NULL;
  guint largest_index = 0;

  g_return_val_if_fail (segments != NULL, NULL);

  g_mutex_lock (&segments->lock);

  /* Rule 2: the first unheld piece with bytes left… */
  for (guint i = 0; i < segments->pieces->len && claimed == NULL; i++)
    {
      HaulSegment *segment = g_ptr_array_index (segments->pieces, i);

      if (!segment->held && left_of (segment) > 0)
        claimed = segment;
      else if (segment->held && (largest == NULL || left_of (segment) > left_of (largest)))
        {
          largest = segment;
          largest_index = i;
        }
    }

  /* …or the second half of the held piece with most left. */
  if (claimed == NULL && largest != NULL && left_of (largest) >= 2 * segments->min_split)
    {
      gint64 mid = largest->end - left_of (largest) / 2;

      claimed = segment_new (mid, largest->end, 0);
      largest->end = mid;
      g_ptr_array_insert (segments->pieces, largest_index + 1, claimed);
    }

  if (claimed != NULL)
    {
      claimed->held = TRUE;
      *position = claimed->start + claimed->done;
      *end = claimed->end;
    }

  g_mutex_unlock (&segments->lock);
  return claimed;
}

gsize
haul_segments_reserve (HaulSegments *segments,
                       HaulSegment  *segment,
                       gsize         length)
{
  gint64 left;

  g_return_val_if_fail (segments != NULL && segment != NULL, 0);

  g_mutex_lock (&segments->lock);
  g_assert (segment->held && segment->reserved == 0);
  left = segment->end - (segment->start + segment->done);
  length = (gsize) MIN ((gint64) length, MAX (left, 0));
  segment->reserved = length;
  g_mutex_unlock (&segments->lock);
  return length;
}

void
haul_segments_commit (HaulSegments *segments,
                      HaulSegment  *segment,
                      gsize         length)
{
  g_return_if_fail (segments != NULL && segment != NULL);

  g_mutex_lock (&segments->lock);
  g_assert ((gint64) length <= segment->reserved);
  segment->done += length;
  segment->reserved = 0;
  g_mutex_unlock (&segments->lock);
}

void
haul_segments_release (HaulSegments *segments,
                       HaulSegment  *segment)
{
  g_return_if_fail (segments != NULL && segment != NULL);

  g_mutex_lock (&segments->lock);
  segment->held = FALSE;
  segment->reserved = 0;
  g_mutex_unlock (&segments->lock);
}

GArray *
haul_segments_snapshot (HaulSegments *segments)
{
  GArray *pieces;

  g_return_val_if_fail (segments != NULL, NULL);

  g_mutex_lock (&segments->lock);
  pieces = g_array_sized_new (FALSE, FALSE, sizeof (HaulPiece), segments->pieces->len);
  for (guint i = 0; i < segments->pieces->len; i++)
    {
      HaulSegment *segment = g_ptr_array_index (segments->pieces, i);
      HaulPiece piece = { segment->start, segment->end, segment->done };
      HaulPiece *last = pieces->len > 0 ? &g_array_index (pieces, HaulPiece, pieces->len - 1)
                                        : NULL;

      /* A finished piece and the one after it are one record: bytes
       * [last.start, last.end + done) are there. Keeps records short. */
      if (last != NULL && last->done == last->end - last->start)
        {
          last->end = piece.end;
          last->done += piece.done;
          continue;
        }
      g_array_append_val (pieces, piece);
    }
  g_mutex_unlock (&segments->lock);
  return pieces;
}

gint64
haul_segments_get_done (HaulSegments *segments)
{
  gint64 done = 0;

  g_return_val_if_fail (segments != NULL, 0);

  g_mutex_lock (&segments->lock);
  for (guint i = 0; i < segments->pieces->len; i++)
    done += ((HaulSegment *) g_ptr_array_index (segments->pieces, i))->done;
  g_mutex_unlock (&segments->lock);
  return done;
}

gboolean
haul_segments_is_complete (HaulSegments *segments)
{
  return haul_segments_get_done (segments) == segments->total;
}

guint
haul_segments_get_n_unheld (HaulSegments *segments)
{
  guint n = 0;

  g_return_val_if_fail (segments != NULL, 0);

  g_mutex_lock (&segments->lock);
  for (guint i = 0; i < segments->pieces->len; i++)
    {
      HaulSegment *segment = g_ptr_array_index (segments->pieces, i);

      if (!segment->held && left_of (segment) > 0)
        n++;
    }
  g_mutex_unlock (&segments->lock);
  return n;
}
