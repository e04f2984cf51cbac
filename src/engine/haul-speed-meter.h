/* haul-speed-meter.h: a download's speed and time left, averaged
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A plain value with one owner (a HaulDownload, on the main thread): no
 * locking, no references. Pure: the clock is passed in, so a test can
 * drive it with made-up times. */
typedef struct _HaulSpeedMeter HaulSpeedMeter;

HaulSpeedMeter *haul_speed_meter_new    (void);
void            haul_speed_meter_free   (HaulSpeedMeter *meter);

/* Takes one sample, @received bytes of @total (-1: unknown) at @now_us
 * (g_get_monotonic_time()), and gives the speed in bytes per second (0:
 * none to show yet) and the time left in seconds (-1: none to show). A
 * @received or @now_us lower than the last sample's starts again. */
void            haul_speed_meter_update (HaulSpeedMeter *meter,
                                         gint64          received,
                                         gint64          total,
                                         gint64          now_us,
                                         double         *speed,
                                         gint64         *eta);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulSpeedMeter, haul_speed_meter_free)

G_END_DECLS
