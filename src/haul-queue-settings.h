/* haul-queue-settings.h: the settings the queue follows by the clock and by kind
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-category.h"
#include "haul-queue.h"
#include "haul-scheduler.h"

G_BEGIN_DECLS

#define HAUL_TYPE_QUEUE_SETTINGS (haul_queue_settings_get_type ())
G_DECLARE_FINAL_TYPE (HaulQueueSettings, haul_queue_settings, HAUL, QUEUE_SETTINGS, GObject)

/* While it lives, @queue follows the settings of categories
 * ("categories-enabled", "category-folders", "download-folder") and of
 * the schedule ("schedule-*": its hours; "alt-speed-scheduled",
 * "alt-speed-start", "alt-speed-end": the alternative speed, switched by
 * writing "alt-speed-enabled" when its hours begin and end, so that a
 * person can still switch it by hand in between). Main thread. */
HaulQueueSettings   *haul_queue_settings_new           (GSettings         *settings,
                                                        HaulQueue         *queue);
/* (transfer none) */
HaulScheduler       *haul_queue_settings_get_scheduler (HaulQueueSettings *self);

/* The folders of the kinds in @settings, below @download_folder. */
HaulCategoryFolders *haul_category_folders_from_settings (GSettings  *settings,
                                                          const char *download_folder);

G_END_DECLS
