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
 * told in one notification ("3 downloads complete"). */
#define HAUL_NOTIFIER_SUMMARY_DELAY_MS 2000

/* Sends through @application (GNotification); honours the "notifications"
 * key of @settings (nullable: always on). Main thread. */
HaulNotifier *haul_notifier_new                 (GApplication *application,
                                                 GSettings    *settings);
/* A download completed or failed. */
void          haul_notifier_download_finished   (HaulNotifier *self,
                                                 HaulDownload *download);
/* The last window closed while downloads run: said once per run. */
void          haul_notifier_still_downloading   (HaulNotifier *self);
/* Sends pending completions now (quit). */
void          haul_notifier_flush               (HaulNotifier *self);

G_END_DECLS
