/* haul-application.h: the application — actions, command line, notifications
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "haul-notifier.h"
#include "haul-queue.h"

G_BEGIN_DECLS

#define HAUL_TYPE_APPLICATION (haul_application_get_type ())
G_DECLARE_FINAL_TYPE (HaulApplication, haul_application, HAUL, APPLICATION, AdwApplication)

HaulApplication *haul_application_new           (void);

/* Valid after startup. */
HaulQueue       *haul_application_get_queue     (HaulApplication *self);
GSettings       *haul_application_get_settings  (HaulApplication *self);
HaulNotifier    *haul_application_get_notifier  (HaulApplication *self);
/* The main window, or NULL when it is closed. */
GtkWindow       *haul_application_get_window    (HaulApplication *self);

G_END_DECLS
