/* haul-scheduler.h: when downloads may run, and when the alternative speed holds
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "haul-queue.h"

G_BEGIN_DECLS

#define HAUL_TYPE_SCHEDULER (haul_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (HaulScheduler, haul_scheduler, HAUL, SCHEDULER, GObject)

/* Two time windows of the day (haul-schedule.h), each switched on or not,
 * followed on the main loop. It wakes only when one of them changes (or
 * the clock is set, or a suspend ends past a change), and reads the wall
 * clock each time: never a count of seconds that stopped while the
 * computer slept.
 *
 * Properties (read-write, minutes after midnight 0–1439):
 *   enabled, start, end: downloads run only from start to end;
 *   alt-enabled, alt-start, alt-end: the alternative speed limit holds
 *     from alt-start to alt-end.
 * Read-only, notified when they change:
 *   open (gboolean): downloads may run now (TRUE when not enabled);
 *   opens-at (gint64): while closed, when it opens, g_get_real_time() µs;
 *     0 while open;
 *   alt-speed (gboolean): the alternative speed holds now (FALSE when
 *     alt-enabled is off). */
HaulScheduler *haul_scheduler_new           (void);

gboolean       haul_scheduler_get_open      (HaulScheduler *self);
gint64         haul_scheduler_get_opens_at  (HaulScheduler *self);
gboolean       haul_scheduler_get_alt_speed (HaulScheduler *self);

/* From now on tells @queue when its hours open and close
 * (haul_queue_set_schedule()), starting with now; until @queue goes. */
void           haul_scheduler_drive_queue   (HaulScheduler *self,
                                             HaulQueue     *queue);

/* Looks at the clock now (its timer does by itself). */
void           haul_scheduler_check         (HaulScheduler *self);

/* Tests. A clock of one's own, in place of g_date_time_new_now_local():
 * the scheduler then arms no real timer, only records when it would wake
 * (haul_scheduler_get_wake_time()), and looks at @now_func when
 * haul_scheduler_check() is called. (transfer full) from @now_func. */
typedef GDateTime *(*HaulSchedulerNowFunc) (gpointer user_data);

void           haul_scheduler_set_clock     (HaulScheduler        *self,
                                             HaulSchedulerNowFunc  now_func,
                                             gpointer              user_data);
/* When its timer is set to wake, g_get_real_time() µs; 0: not set. */
gint64         haul_scheduler_get_wake_time (HaulScheduler *self);

G_END_DECLS
