/* haul-schedule-preferences.h: the hours of downloads and of the alternative speed
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HAUL_TYPE_SCHEDULE_PREFERENCES (haul_schedule_preferences_get_type ())
G_DECLARE_FINAL_TYPE (HaulSchedulePreferences, haul_schedule_preferences, HAUL,
                      SCHEDULE_PREFERENCES, AdwPreferencesGroup)

/* A group bound to "schedule-enabled", "schedule-start", "schedule-end",
 * "alt-speed-scheduled", "alt-speed-start" and "alt-speed-end"; times are
 * edited as "HH:MM". */
void haul_schedule_preferences_set_settings (HaulSchedulePreferences *self,
                                             GSettings               *settings);

/* "01:05" for 65; parses "1:05", "01:05", "105"… back (FALSE if not a
 * time of the day). For the spin buttons, and tests. */
char     *haul_format_minute_of_day (guint       minute);
gboolean  haul_parse_minute_of_day  (const char *text,
                                     guint      *minute);

G_END_DECLS
