/* haul-notifier.h: desktop notifications about finished downloads
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-download.h"

G_BEGIN_DECLS

#define HAUL_TYPE_NOTIFIER (haul_notifier_get_type ())
G_DECLARE_FINAL_TYPE (HaulNotifier, haul_notifier, HAUL, NOTIFIER, GObject)

/* Completions arriving within this many milliseconds of the first one are
 * told in one notification. */
#define HAUL_NOTIFIER_SUMMARY_DELAY_MS 2000

/* Sends through @application (GNotification); honours the "notifications"
 * key of @settings (nullable: always on). Main thread.
 *
 * One completion unseen is told on its own ("Download complete", the
 * name; a click shows it in its folder, Open is a button). More are told
 * in one summary that counts every completion since the window was last
 * seen ("500 downloads complete", with Show Downloads), replacing the
 * previous one. While the window is active (#HaulNotifier:window-active)
 * what completes is seen. */
HaulNotifier *haul_notifier_new                 (GApplication *application,
                                                 GSettings    *settings);
/* The application's window is the active one: set by the application;
 * becoming TRUE counts everything so far as seen. */
gboolean      haul_notifier_get_window_active   (HaulNotifier *self);
void          haul_notifier_set_window_active   (HaulNotifier *self,
                                                 gboolean      active);
/* Completions not seen yet (told or waiting to be told). */
guint         haul_notifier_get_n_unseen        (HaulNotifier *self);
/* A download completed or failed. */
void          haul_notifier_download_finished   (HaulNotifier *self,
                                                 HaulDownload *download);
/* The last window closed while downloads run: said once per run. */
void          haul_notifier_still_downloading   (HaulNotifier *self);
/* Sends pending completions now (quit). */
void          haul_notifier_flush               (HaulNotifier *self);

G_END_DECLS
