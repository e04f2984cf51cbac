/* test-preferences.c: Preferences' Download Engine group with a real aria2c
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/ui/run-with-display. The rows are found as a person
 * finds them, by their titles, and read as shown.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "aria2-fixture.h"
#include "haul-aria2-engine.h"
#include "haul-preferences-window.h"
#include "ui-test-util.h"

typedef struct
{
  Fixture     f;         /* the daemon (first: fixture_setup takes it) */
  GSettings  *settings;
  HaulQueue  *queue;
  GtkWidget  *window;
} PrefsFixture;

static void
setup (PrefsFixture  *p,
       gconstpointer  data)
{
  fixture_setup (&p->f, data);
  p->settings = g_settings_new ("io.github.haul.Haul");
}

static void
teardown (PrefsFixture  *p,
          gconstpointer  data)
{
  if (p->window != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&p->window)));
  spin_for (100);
  if (p->queue != NULL)
    haul_queue_shutdown (p->queue);
  g_clear_object (&p->queue);
  g_settings_reset (p->settings, "engine");
  g_settings_reset (p->settings, "aria2-uri");
  g_clear_object (&p->settings);
  fixture_teardown (&p->f, data);
}

/* The preferences row titled @title, anywhere under @root. */
static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_PREFERENCES_ROW (child)
          && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return child;
      found = find_row (child, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
row (PrefsFixture *p,
     const char   *title)
{
  GtkWidget *found = find_row (p->window, title);

  g_assert_nonnull (found);
  return found;
}

static gboolean
shown (PrefsFixture *p,
       const char   *title)
{
  return gtk_widget_get_visible (row (p, title));
}

typedef struct
{
  PrefsFixture *p;
  const char   *prefix;
} Subtitle;

static gboolean
status_starts_with (Fixture       *f,
                    gconstpointer  data)
{
  const Subtitle *want = data;
  const char *text = adw_action_row_get_subtitle (ADW_ACTION_ROW (row (want->p, "Connection")));

  return text != NULL && g_str_has_prefix (text, want->prefix);
}

static void
open_window (PrefsFixture *p)
{
  p->window = haul_preferences_window_new (NULL, p->settings, p->queue);
  gtk_window_present (GTK_WINDOW (p->window));
  spin_for (200);
}

static void
test_running_aria2 (PrefsFixture  *p,
                    gconstpointer  data)
{
  g_autofree char *address = NULL;
  Subtitle want;
  HaulEngine *engine;

  SKIP_WITHOUT_ARIA2C ();

  daemon_start (&p->f, SECRET);
  address = g_strdup_printf ("http://127.0.0.1:%u/jsonrpc", p->f.port);
  g_settings_set_string (p->settings, "engine", "aria2");
  g_settings_set_string (p->settings, "aria2-uri", address);
  engine = haul_aria2_engine_new (address);
  haul_aria2_engine_set_secret (HAUL_ARIA2_ENGINE (engine), SECRET);
  p->queue = haul_queue_new_with_engine (NULL, engine);
  g_object_unref (engine);
  open_window (p);

  g_assert_true (shown (p, "Daemon Address"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (p, "Daemon Address"))), ==, address);
  g_assert_true (shown (p, "Secret Token"));
  g_assert_true (shown (p, "Connection"));
  g_assert_false (shown (p, "Applies When Haul Starts Again"));
  want = (Subtitle) { p, "Connected to aria2 1." };
  g_assert_true (wait_for (&p->f, status_starts_with, &want, 10000));

  /* Built-in chosen: the daemon's rows go, and the switch waits for the
   * next start. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (p, "Engine")), 0);
  {
    g_autofree char *kind = g_settings_get_string (p->settings, "engine");

    g_assert_cmpstr (kind, ==, "builtin");
  }
  g_assert_false (shown (p, "Daemon Address"));
  g_assert_false (shown (p, "Connection"));
  g_assert_true (shown (p, "Applies When Haul Starts Again"));
}

static void
test_probe (PrefsFixture  *p,
            gconstpointer  data)
{
  g_autofree char *address = NULL;
  Subtitle want;

  SKIP_WITHOUT_ARIA2C ();

  daemon_start (&p->f, SECRET);
  address = g_strdup_printf ("127.0.0.1:%u", p->f.port);
  g_settings_set_string (p->settings, "engine", "aria2");
  g_settings_set_string (p->settings, "aria2-uri", address);
  /* Haul runs the built-in engine: the group asks the daemon itself. */
  p->queue = haul_queue_new (NULL);
  g_setenv ("HAUL_ARIA2_SECRET", "not-the-secret", TRUE);
  open_window (p);

  g_assert_true (shown (p, "Applies When Haul Starts Again"));
  g_assert_false (gtk_widget_get_sensitive (row (p, "Secret Token")));
  want = (Subtitle) { p, "Wrong secret token" };
  g_assert_true (wait_for (&p->f, status_starts_with, &want, 10000));

  /* The right one: connected. */
  g_setenv ("HAUL_ARIA2_SECRET", SECRET, TRUE);
  gtk_widget_activate_action (row (p, "Connection"), "engine.reconnect", NULL);
  /* The probe looked the secret up once; a new address looks it up again. */
  g_settings_set_string (p->settings, "aria2-uri", "");
  spin_for (100);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row (p,
                                                                    "Connection"))),
                                   "Enter the address"));
  g_settings_set_string (p->settings, "aria2-uri", address);
  want = (Subtitle) { p, "Connected to aria2 1." };
  g_assert_true (wait_for (&p->f, status_starts_with, &want, 10000));
  g_unsetenv ("HAUL_ARIA2_SECRET");
}

/* The spin button or switch at the end of the row titled @title. */
static GtkWidget *
suffix_of (PrefsFixture *p,
           const char   *title,
           GType         type)
{
  GtkWidget *found = row (p, title);
  GtkWidget *widget = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (found));

  g_assert_nonnull (widget);
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (widget, type));
  return widget;
}

/* The Speed group edits the settings the queue follows, both ways. */
static void
test_speed (PrefsFixture  *p,
            gconstpointer  data)
{
  GtkSpinButton *connections;
  GtkSpinButton *limit;
  GtkSpinButton *alt_limit;
  GtkSwitch *alt;

  g_settings_set_uint (p->settings, "connections-per-download", 5);
  open_window (p);
  connections = GTK_SPIN_BUTTON (suffix_of (p, "Connections per Download", GTK_TYPE_SPIN_BUTTON));
  limit = GTK_SPIN_BUTTON (suffix_of (p, "Speed Limit", GTK_TYPE_SPIN_BUTTON));
  alt_limit = GTK_SPIN_BUTTON (suffix_of (p, "Alternative Speed Limit", GTK_TYPE_SPIN_BUTTON));
  alt = GTK_SWITCH (suffix_of (p, "Alternative Speed", GTK_TYPE_SWITCH));

  g_assert_cmpint (gtk_spin_button_get_value_as_int (connections), ==, 5);
  gtk_window_set_default_size (GTK_WINDOW (p->window), 640, 900);
  spin_for (300);
  /* HAUL_PREFS_SHOTS=1: the window as it is drawn, to look at. */
  haul_ui_build_shot (p->window, "HAUL_PREFS_SHOTS", "preferences-speed");
  gtk_spin_button_set_value (connections, 16);
  gtk_spin_button_set_value (limit, 2048);
  gtk_spin_button_set_value (alt_limit, 256);
  gtk_switch_set_active (alt, TRUE);
  g_assert_cmpuint (g_settings_get_uint (p->settings, "connections-per-download"), ==, 16);
  g_assert_cmpuint (g_settings_get_uint (p->settings, "speed-limit"), ==, 2048);
  g_assert_cmpuint (g_settings_get_uint (p->settings, "alt-speed-limit"), ==, 256);
  g_assert_true (g_settings_get_boolean (p->settings, "alt-speed-enabled"));

  /* More than the setting allows is not taken. */
  gtk_spin_button_set_value (connections, 40);
  g_assert_cmpuint (g_settings_get_uint (p->settings, "connections-per-download"), ==, 16);

  g_settings_set_uint (p->settings, "speed-limit", 0);
  g_settings_set_boolean (p->settings, "alt-speed-enabled", FALSE);
  spin_for (50);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (limit), ==, 0);
  g_assert_false (gtk_switch_get_active (alt));

  g_settings_reset (p->settings, "connections-per-download");
  g_settings_reset (p->settings, "speed-limit");
  g_settings_reset (p->settings, "alt-speed-limit");
}

int
main (int   argc,
      char *argv[])
{
  g_unsetenv ("HAUL_ARIA2_SECRET");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/haul/ui/preferences/running-aria2", PrefsFixture, NULL, setup,
              test_running_aria2, teardown);
  g_test_add ("/haul/ui/preferences/probe", PrefsFixture, NULL, setup, test_probe, teardown);
  g_test_add ("/haul/ui/preferences/speed", PrefsFixture, NULL, setup, test_speed, teardown);

  return g_test_run ();
}
