/* haul-category-preferences.h: the folders of the kinds of file, in Preferences
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HAUL_TYPE_CATEGORY_PREFERENCES (haul_category_preferences_get_type ())
G_DECLARE_FINAL_TYPE (HaulCategoryPreferences, haul_category_preferences, HAUL,
                      CATEGORY_PREFERENCES, AdwPreferencesGroup)

/* A group with a switch for "categories-enabled" and a row per kind
 * showing its folder ("category-folders"), to choose another or go back
 * to the default one. */
void haul_category_preferences_set_settings (HaulCategoryPreferences *self,
                                             GSettings               *settings);

G_END_DECLS
