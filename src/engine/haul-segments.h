/* haul-segments.h: the pieces of a download spread over connections
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "haul-types.h"

G_BEGIN_DECLS

/* Thread-safe bookkeeping of which connection fills which bytes of a
 * file of known length. Pure: no I/O, tested byte by byte. */
typedef struct _HaulSegments HaulSegments;
/* One piece, held by one connection at a time (opaque, stable). */
typedef struct _HaulSegment HaulSegment;

/* @pieces: what an earlier attempt recorded (NULL: one piece, nothing
 * done). A piece is split only if both halves get at least @min_split
 * bytes. */
HaulSegments *haul_segments_new            (gint64         total,
                                            const GArray  *pieces,
                                            gint64         min_split);
void          haul_segments_free           (HaulSegments  *segments);
/* Splits the unheld pieces with most bytes left until @n pieces have
 * bytes left (or no piece is large enough), so that @n connections start
 * with even shares. */
void          haul_segments_split          (HaulSegments  *segments,
                                            guint          n);

/* For a connection with nothing to do: an unheld piece with bytes left
 * (the first in the file), else the second half of the held piece with
 * the most bytes left, so one slow connection never holds up the end.
 * NULL when there is nothing worth taking. *position and *end say which
 * bytes to ask for. */
HaulSegment  *haul_segments_claim          (HaulSegments  *segments,
                                            gint64        *position,
                                            gint64        *end);
/* How many of @length bytes arriving at the segment's position belong to
 * it (fewer once another connection took its tail; 0 when it is done).
 * They are reserved until commit(): nobody splits inside them. */
gsize         haul_segments_reserve        (HaulSegments  *segments,
                                            HaulSegment   *segment,
                                            gsize          length);
/* The reserved bytes are written: they count as done. */
void          haul_segments_commit         (HaulSegments  *segments,
                                            HaulSegment   *segment,
                                            gsize          length);
/* The connection lets go (finished, or failed): what is left of the
 * segment may be claimed by another. */
void          haul_segments_release        (HaulSegments  *segments,
                                            HaulSegment   *segment);

/* Every piece, in file order, with the bytes done (for a checkpoint:
 * take it before the sync that makes those bytes durable). */
GArray       *haul_segments_snapshot       (HaulSegments  *segments);
gint64        haul_segments_get_done       (HaulSegments  *segments);
gboolean      haul_segments_is_complete    (HaulSegments  *segments);
/* Pieces with bytes left that no connection holds. */
guint         haul_segments_get_n_unheld   (HaulSegments  *segments);

G_END_DECLS
