/* haul-queue-settings.c: the settings the queue follows by the clock and by kind
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-queue-settings.h"
#include "haul-util.h"

struct _HaulQueueSettings
{
  GObject        parent_instance;

  GSettings     *settings;   /* (owned) */
  HaulQueue     *queue;      /* (owned) */
  HaulScheduler *scheduler;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (HaulQueueSettings, haul_queue_settings, G_TYPE_OBJECT)

HaulCategoryFolders *
haul_category_folders_from_settings (GSettings  *settings,
                                     const char *download_folder)
{
  g_autoptr(HaulCategoryFolders) folders = haul_category_folders_new (download_folder);
  g_autoptr(GVariant) map = g_settings_get_value (settings, "category-folders");
  GVariantIter iter;
  const char *name;
  const char *folder;

  g_variant_iter_init (&iter, map);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &folder))
    {
      HaulCategory category;

      /* A kind this version does not know, or a relative path typed in
       * dconf, is left to the default rather than guessed at. */
      if (haul_category_from_string (name, &category) && category != HAUL_CATEGORY_OTHER
          && g_path_is_absolute (folder))
        haul_category_folders_set (folders, category, folder);
    }
  return g_steal_pointer (&folders);
}

static void
update_categories (HaulQueueSettings *self)
{
  g_autoptr(HaulCategoryFolders) folders = NULL;

  if (g_settings_get_boolean (self->settings, "categories-enabled"))
    {
      g_autofree char *download_folder = haul_dup_download_folder (self->settings);

      folders = haul_category_folders_from_settings (self->settings, download_folder);
    }
  haul_queue_set_category_folders (self->queue, folders);
}

static void
categories_changed_cb (HaulQueueSettings *self,
                       const char        *key,
                       GSettings         *settings)
{
  if (g_strcmp0 (key, "categories-enabled") == 0 || g_strcmp0 (key, "category-folders") == 0
      || g_strcmp0 (key, "download-folder") == 0)
    update_categories (self);
}

/* The alternative speed's hours began or ended: switch it as a person
 * would (they may switch it back by hand until the next change). */
static void
alt_speed_cb (HaulQueueSettings *self,
              GParamSpec        *pspec,
              HaulScheduler     *scheduler)
{
  if (!g_settings_get_boolean (self->settings, "alt-speed-scheduled"))
    return;
  g_settings_set_boolean (self->settings, "alt-speed-enabled",
                          haul_scheduler_get_alt_speed (scheduler));
}

/* Turned on: the speed is what the hours say now. */
static void
alt_scheduled_cb (HaulQueueSettings *self,
                  const char        *key,
                  GSettings         *settings)
{
  alt_speed_cb (self, NULL, self->scheduler);
}

static void
bind_schedule (HaulQueueSettings *self)
{
  static const struct {
    const char *key;
    const char *property;
  } binds[] = {
    { "schedule-start", "start" },
    { "schedule-end", "end" },
    { "schedule-enabled", "enabled" },
    { "alt-speed-start", "alt-start" },
    { "alt-speed-end", "alt-end" },
    { "alt-speed-scheduled", "alt-enabled" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (binds); i++)
    g_settings_bind (self->settings, binds[i].key, self->scheduler, binds[i].property,
                     G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->scheduler, "notify::alt-speed", G_CALLBACK (alt_speed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::alt-speed-scheduled",
                           G_CALLBACK (alt_scheduled_cb), self, G_CONNECT_SWAPPED);
  haul_scheduler_drive_queue (self->scheduler, self->queue);
  alt_speed_cb (self, NULL, self->scheduler);
}

static void
haul_queue_settings_dispose (GObject *object)
{
  HaulQueueSettings *self = HAUL_QUEUE_SETTINGS (object);

  g_clear_object (&self->scheduler);
  g_clear_object (&self->queue);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (haul_queue_settings_parent_class)->dispose (object);
}

static void
haul_queue_settings_class_init (HaulQueueSettingsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = haul_queue_settings_dispose;
}

static void
haul_queue_settings_init (HaulQueueSettings *self)
{
}

HaulQueueSettings *
haul_queue_settings_new (GSettings *settings,
                         HaulQueue *queue)
{
  HaulQueueSettings *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (HAUL_IS_QUEUE (queue), NULL);

  self = g_object_new (HAUL_TYPE_QUEUE_SETTINGS, NULL);
  self->settings = g_object_ref (settings);
  self->queue = g_object_ref (queue);
  self->scheduler = haul_scheduler_new ();

  g_signal_connect_object (settings, "changed", G_CALLBACK (categories_changed_cb), self,
                           G_CONNECT_SWAPPED);
  update_categories (self);
  bind_schedule (self);
  return self;
}

HaulScheduler *
haul_queue_settings_get_scheduler (HaulQueueSettings *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE_SETTINGS (self), NULL);
  return self->scheduler;
}
