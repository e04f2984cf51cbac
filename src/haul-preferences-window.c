/* haul-preferences-window.c: download folder, concurrency, notifications, engine
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-category-preferences.h"
#include "haul-engine-group.h"
#include "haul-preferences-window.h"
#include "haul-schedule-preferences.h"
#include "haul-util.h"

struct _HaulPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;   /* (owned) */
  HaulQueue            *queue;      /* (owned) (nullable) */
  GtkFileChooserNative *chooser;    /* (owned) (nullable) */

  HaulEngineGroup      *engine_group;
  GtkLabel             *folder_label;
  GtkSpinButton        *max_active_spin;
  GtkSpinButton        *connections_spin;
  GtkSpinButton        *speed_limit_spin;
  GtkSpinButton        *alt_speed_limit_spin;
  GtkSwitch            *alt_speed_switch;
  GtkSwitch            *notifications_switch;
  HaulCategoryPreferences *category_group;
  HaulSchedulePreferences *schedule_group;
};

G_DEFINE_FINAL_TYPE (HaulPreferencesWindow, haul_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_QUEUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_folder (HaulPreferencesWindow *self)
{
  g_autofree char *folder = haul_dup_download_folder (self->settings);
  g_autofree char *display = g_filename_display_name (folder);
  const char *home = g_get_home_dir ();

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->folder_label), display);
  if (g_str_has_prefix (folder, home) && folder[strlen (home)] == G_DIR_SEPARATOR)
    {
      g_autofree char *short_name = g_strconcat ("~", display + strlen (home), NULL);
      gtk_label_set_label (self->folder_label, short_name);
    }
  else
    gtk_label_set_label (self->folder_label, display);
}

static void
chooser_response_cb (HaulPreferencesWindow *self,
                     int                    response,
                     GtkFileChooserNative  *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, "download-folder", path);
    }

  g_clear_object (&self->chooser);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  HaulPreferencesWindow *self = HAUL_PREFERENCES_WINDOW (widget);
  g_autofree char *folder = haul_dup_download_folder (self->settings);
  g_autoptr(GFile) current = g_file_new_for_path (folder);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Download Folder"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), current, NULL);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
reset_folder_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  g_settings_reset (HAUL_PREFERENCES_WINDOW (widget)->settings, "download-folder");
}

static void
haul_preferences_window_constructed (GObject *object)
{
  HaulPreferencesWindow *self = HAUL_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (haul_preferences_window_parent_class)->constructed (object);

  g_assert (self->settings != NULL);

  g_settings_bind (self->settings, "max-active",
                   gtk_spin_button_get_adjustment (self->max_active_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "connections-per-download",
                   gtk_spin_button_get_adjustment (self->connections_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "speed-limit",
                   gtk_spin_button_get_adjustment (self->speed_limit_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "alt-speed-limit",
                   gtk_spin_button_get_adjustment (self->alt_speed_limit_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "alt-speed-enabled", self->alt_speed_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notifications", self->notifications_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::download-folder",
                           G_CALLBACK (update_folder), self, G_CONNECT_SWAPPED);
  update_folder (self);
  haul_category_preferences_set_settings (self->category_group, self->settings);
  haul_schedule_preferences_set_settings (self->schedule_group, self->settings);
  haul_engine_group_set_settings (self->engine_group, self->settings);
  haul_engine_group_set_queue (self->engine_group, self->queue);
}

static void
haul_preferences_window_dispose (GObject *object)
{
  HaulPreferencesWindow *self = HAUL_PREFERENCES_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), HAUL_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (haul_preferences_window_parent_class)->dispose (object);
}

static void
haul_preferences_window_finalize (GObject *object)
{
  HaulPreferencesWindow *self = HAUL_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->queue);

  G_OBJECT_CLASS (haul_preferences_window_parent_class)->finalize (object);
}

static void
haul_preferences_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  HaulPreferencesWindow *self = HAUL_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_QUEUE:
      g_value_set_object (value, self->queue);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_preferences_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  HaulPreferencesWindow *self = HAUL_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_QUEUE:
      self->queue = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_preferences_window_class_init (HaulPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = haul_preferences_window_constructed;
  object_class->dispose = haul_preferences_window_dispose;
  object_class->finalize = haul_preferences_window_finalize;
  object_class->get_property = haul_preferences_window_get_property;
  object_class->set_property = haul_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The running queue (nullable): its engine's connection is shown. */
  properties[PROP_QUEUE] =
    g_param_spec_object ("queue", NULL, NULL,
                         HAUL_TYPE_QUEUE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HAUL_TYPE_CATEGORY_PREFERENCES);
  g_type_ensure (HAUL_TYPE_SCHEDULE_PREFERENCES);
  g_type_ensure (HAUL_TYPE_ENGINE_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/haul-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HaulPreferencesWindow, folder_label);
  gtk_widget_class_bind_template_child (widget_class, HaulPreferencesWindow, max_active_spin);
  gtk_widget_class_bind_template_child (widget_class, HaulPreferencesWindow, connections_spin);
  gtk_widget_class_bind_template_child (widget_class, HaulPreferencesWindow, speed_limit_spin);
  gtk_widget_class_bind_template_child (widget_class, HaulPreferencesWindow,
                                        alt_speed_limit_spin);
  gtk_widget_class_bind_template_child (widget_class, HaulPreferencesWindow, alt_speed_switch);
  gtk_widget_class_bind_template_child (widget_class, HaulPreferencesWindow,
                                        notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, HaulPreferencesWindow, category_group);
  gtk_widget_class_bind_template_child (widget_class, HaulPreferencesWindow, schedule_group);
  gtk_widget_class_bind_template_child (widget_class, HaulPreferencesWindow, engine_group);

  gtk_widget_class_install_action (widget_class, "prefs.choose-folder", NULL,
                                   choose_folder_action);
  gtk_widget_class_install_action (widget_class, "prefs.reset-folder", NULL,
                                   reset_folder_action);
}

static void
haul_preferences_window_init (HaulPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
haul_preferences_window_new (GtkWindow *parent,
                             GSettings *settings,
                             HaulQueue *queue)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (queue == NULL || HAUL_IS_QUEUE (queue), NULL);

  return g_object_new (HAUL_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "settings", settings,
                       "queue", queue,
                       NULL);
}
