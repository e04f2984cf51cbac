/* haul-schedule.c: hours of the day, by the clock on the wall
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the next change is found
 *  1. Between two changes of the time zone's offset the wall clock runs
 *     with real time, so the next change is where the clock next shows
 *     the window's end (inside) or start (outside): whole minutes away
 *     from the start of the current minute.
 *  2. If the offset differs there, a summer time change lies between: it
 *     is found to the second by halving (offsets change on whole seconds,
 *     at most once in a day in every zone there is). At that instant the
 *     clock jumps; if the window's state changes with it, that is the
 *     change, else the search goes on from there (rule 1).
 */

#include "config.h"

#include "haul-schedule.h"

/* Changes of offset in the search, at most (one a day, and a spare). */
#define MAX_STEPS 4

static guint
minute_of_day (GDateTime *when)
{
  return (guint) (g_date_time_get_hour (when) * 60 + g_date_time_get_minute (when));
}

static gboolean
minute_inside (const HaulTimeWindow *window,
               guint                 minute)
{
  if (window->start == window->end)
    return TRUE;
  if (window->start < window->end)
    return minute >= window->start && minute < window->end;
  return minute >= window->start || minute < window->end;
}

gboolean
haul_time_window_contains (const HaulTimeWindow *window,
                           GDateTime            *when)
{
  g_return_val_if_fail (window != NULL, FALSE);
  g_return_val_if_fail (when != NULL, FALSE);

  return minute_inside (window, minute_of_day (when));
}

static void
take (GDateTime **slot,
      GDateTime  *value)
{
  GDateTime *old = *slot;

  *slot = g_date_time_ref (value);
  g_date_time_unref (old);
}

/* The first instant in (@lo, @hi] whose offset differs from @lo's. */
static GDateTime *
find_offset_change (GDateTime *lo,
                    GDateTime *hi)
{
  g_autoptr(GDateTime) a = g_date_time_ref (lo);
  g_autoptr(GDateTime) b = g_date_time_ref (hi);
  GTimeSpan offset = g_date_time_get_utc_offset (lo);

  while (g_date_time_difference (b, a) > G_TIME_SPAN_SECOND)
    {
      g_autoptr(GDateTime) mid = g_date_time_add (a, g_date_time_difference (b, a) / 2);

      if (g_date_time_get_utc_offset (mid) == offset)
        take (&a, mid);
      else
        take (&b, mid);
    }
  /* Transitions are whole seconds: round @b down to its second. */
  return g_date_time_add (b, -(GTimeSpan) (g_date_time_get_microsecond (b)));
}

GDateTime *
haul_time_window_next_change (const HaulTimeWindow *window,
                              GDateTime            *when)
{
  g_autoptr(GDateTime) from = NULL;
  gboolean inside;

  g_return_val_if_fail (window != NULL, NULL);
  g_return_val_if_fail (when != NULL, NULL);

  if (window->start == window->end)
    return NULL;

  inside = haul_time_window_contains (window, when);
  from = g_date_time_ref (when);
  for (guint step = 0; step < MAX_STEPS; step++)
    {
      guint minute = minute_of_day (from);
      guint boundary = inside ? window->end : window->start;
      guint ahead = (boundary + HAUL_MINUTES_PER_DAY - minute) % HAUL_MINUTES_PER_DAY;
      g_autoptr(GDateTime) minute_start = NULL;
      g_autoptr(GDateTime) candidate = NULL;
      g_autoptr(GDateTime) jump = NULL;

      /* Rule 1. (@minute is never the boundary itself: it would be on the
       * other side; after a jump it can be, and then a day is right.) */
      if (ahead == 0)
        ahead = HAUL_MINUTES_PER_DAY;
      minute_start = g_date_time_add (from,
                                      -(g_date_time_get_second (from) * G_TIME_SPAN_SECOND
                                        + g_date_time_get_microsecond (from)));
      candidate = g_date_time_add_minutes (minute_start, (int) ahead);
      if (g_date_time_get_utc_offset (candidate) == g_date_time_get_utc_offset (from))
        return g_steal_pointer (&candidate);

      /* Rule 2. */
      jump = find_offset_change (from, candidate);
      if (haul_time_window_contains (window, jump) != inside)
        return g_steal_pointer (&jump);
      take (&from, jump);
    }

  /* Not reached in any real zone; a day later is a safe answer. */
  return g_date_time_add_days (when, 1);
}
