/* haul-schedule.h: hours of the day, by the clock on the wall
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HAUL_MINUTES_PER_DAY (24 * 60)

/* From @start to @end, in minutes after midnight of the local time
 * (0–1439): 01:00–07:00 is { 60, 420 }. It crosses midnight when @end
 * comes before @start (23:00–06:00); @start == @end is the whole day. */
typedef struct
{
  guint start;
  guint end;
} HaulTimeWindow;

/* Is @when (in its own time zone) inside @window? By the time shown on
 * the wall: in the hour that repeats when summer time ends, a window that
 * holds it is entered twice; one that starts in the hour skipped in
 * spring starts when the clock jumps past its start. */
gboolean    haul_time_window_contains    (const HaulTimeWindow *window,
                                          GDateTime            *when);
/* The first instant after @when at which haul_time_window_contains()
 * changes, in @when's time zone; NULL for a whole-day window (it never
 * does). Exact to the second across summer time changes. */
GDateTime  *haul_time_window_next_change (const HaulTimeWindow *window,
                                          GDateTime            *when);

G_END_DECLS
