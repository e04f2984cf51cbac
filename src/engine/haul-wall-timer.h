/* haul-wall-timer.h: a main-loop wake-up at a time on the wall clock
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* GLib's timeouts count on the monotonic clock, which stops while the
 * computer sleeps: a timeout of six hours set before a night's suspend
 * fires hours late. This one is set to an instant of the real clock
 * (CLOCK_REALTIME, a timerfd): it fires at that instant, at once after a
 * suspend that went past it, and also when the system clock is set, so
 * that its owner looks at the time again. Main thread (the thread-default
 * context of its creation). */
typedef struct _HaulWallTimer HaulWallTimer;

typedef void (*HaulWallTimerFunc) (gpointer user_data);

HaulWallTimer *haul_wall_timer_new     (HaulWallTimerFunc  func,
                                        gpointer           user_data);
void           haul_wall_timer_free    (HaulWallTimer     *timer);
/* @due in g_get_real_time() µs; 0 disarms. Replaces any earlier time.
 * @func runs once, disarmed (it may arm again). */
void           haul_wall_timer_arm     (HaulWallTimer     *timer,
                                        gint64             due);
gint64         haul_wall_timer_get_due (HaulWallTimer     *timer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulWallTimer, haul_wall_timer_free)

G_END_DECLS
