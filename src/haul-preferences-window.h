/* haul-preferences-window.h: download folder, concurrency, notifications, engine
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "haul-queue.h"

G_BEGIN_DECLS

#define HAUL_TYPE_PREFERENCES_WINDOW (haul_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (HaulPreferencesWindow, haul_preferences_window, HAUL, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* @queue (nullable): the running one, for its engine's connection. */
GtkWidget *haul_preferences_window_new (GtkWindow *parent,
                                        GSettings *settings,
                                        HaulQueue *queue);

G_END_DECLS
