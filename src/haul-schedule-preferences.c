/* haul-schedule-preferences.c: the hours of downloads and of the alternative speed
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-schedule-preferences.h"

struct _HaulSchedulePreferences
{
  AdwPreferencesGroup  parent_instance;

  GSettings           *settings;   /* (owned) (nullable) */

  GtkSwitch           *hours_switch;
  GtkSpinButton       *start_spin;
  GtkSpinButton       *end_spin;
  GtkSwitch           *alt_switch;
  GtkSpinButton       *alt_start_spin;
  GtkSpinButton       *alt_end_spin;
};

G_DEFINE_FINAL_TYPE (HaulSchedulePreferences, haul_schedule_preferences,
                     ADW_TYPE_PREFERENCES_GROUP)

#define MINUTES_PER_DAY (24 * 60)

char *
haul_format_minute_of_day (guint minute)
{
  minute %= MINUTES_PER_DAY;
  return g_strdup_printf ("%02u:%02u", minute / 60, minute % 60);
}

static gboolean
parse_number (const char *text,
              guint       max,
              guint      *value)
{
  guint64 number;

  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &number, NULL))
    return FALSE;
  *value = (guint) number;
  return TRUE;
}

gboolean
haul_parse_minute_of_day (const char *text,
                          guint      *minute)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) parts = NULL;
  guint hours;
  guint minutes = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (minute != NULL, FALSE);

  copy = g_strstrip (g_strdup (text));
  /* "7:30", "7.30" (as some write it), "7" or "0730". */
  g_strdelimit (copy, ".", ':');
  parts = g_strsplit (copy, ":", -1);
  if (g_strv_length (parts) == 1 && strlen (parts[0]) > 2)
    {
      if (strlen (parts[0]) > 4 || !parse_number (parts[0], 2359, &hours))
        return FALSE;
      minutes = hours % 100;
      hours /= 100;
      if (minutes > 59)
        return FALSE;
    }
  else if (g_strv_length (parts) == 1)
    {
      if (!parse_number (parts[0], 23, &hours))
        return FALSE;
    }
  else if (g_strv_length (parts) == 2)
    {
      if (!parse_number (parts[0], 23, &hours) || strlen (parts[1]) != 2
          || !parse_number (parts[1], 59, &minutes))
        return FALSE;
    }
  else
    return FALSE;

  *minute = hours * 60 + minutes;
  return TRUE;
}

static gboolean
time_output_cb (GtkSpinButton *spin)
{
  double value = gtk_adjustment_get_value (gtk_spin_button_get_adjustment (spin));
  g_autofree char *text = haul_format_minute_of_day ((guint) value);

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
time_input_cb (GtkSpinButton *spin,
               double        *new_value)
{
  guint minute;

  if (!haul_parse_minute_of_day (gtk_editable_get_text (GTK_EDITABLE (spin)), &minute))
    return GTK_INPUT_ERROR;
  *new_value = minute;
  return TRUE;
}

void
haul_schedule_preferences_set_settings (HaulSchedulePreferences *self,
                                        GSettings               *settings)
{
  const struct {
    const char *key;
    gpointer    widget;
  } binds[] = {
    { "schedule-enabled", self->hours_switch },
    { "schedule-start", self->start_spin },
    { "schedule-end", self->end_spin },
    { "alt-speed-scheduled", self->alt_switch },
    { "alt-speed-start", self->alt_start_spin },
    { "alt-speed-end", self->alt_end_spin },
  };

  g_return_if_fail (HAUL_IS_SCHEDULE_PREFERENCES (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);
  for (guint i = 0; i < G_N_ELEMENTS (binds); i++)
    {
      if (GTK_IS_SWITCH (binds[i].widget))
        g_settings_bind (settings, binds[i].key, binds[i].widget, "active",
                         G_SETTINGS_BIND_DEFAULT);
      else
        g_settings_bind (settings, binds[i].key,
                         gtk_spin_button_get_adjustment (binds[i].widget), "value",
                         G_SETTINGS_BIND_DEFAULT);
    }
}

static void
haul_schedule_preferences_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HAUL_TYPE_SCHEDULE_PREFERENCES);

  G_OBJECT_CLASS (haul_schedule_preferences_parent_class)->dispose (object);
}

static void
haul_schedule_preferences_finalize (GObject *object)
{
  g_clear_object (&HAUL_SCHEDULE_PREFERENCES (object)->settings);

  G_OBJECT_CLASS (haul_schedule_preferences_parent_class)->finalize (object);
}

static void
haul_schedule_preferences_class_init (HaulSchedulePreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = haul_schedule_preferences_dispose;
  object_class->finalize = haul_schedule_preferences_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/haul-schedule-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, HaulSchedulePreferences, hours_switch);
  gtk_widget_class_bind_template_child (widget_class, HaulSchedulePreferences, start_spin);
  gtk_widget_class_bind_template_child (widget_class, HaulSchedulePreferences, end_spin);
  gtk_widget_class_bind_template_child (widget_class, HaulSchedulePreferences, alt_switch);
  gtk_widget_class_bind_template_child (widget_class, HaulSchedulePreferences, alt_start_spin);
  gtk_widget_class_bind_template_child (widget_class, HaulSchedulePreferences, alt_end_spin);
  gtk_widget_class_bind_template_callback (widget_class, time_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_input_cb);
}

static void
haul_schedule_preferences_init (HaulSchedulePreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
