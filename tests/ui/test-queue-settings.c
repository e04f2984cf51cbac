/* test-queue-settings.c: folders by kind and the schedule, from the settings to the queue
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The settings a person changes in Preferences, followed by the queue
 * (HaulQueueSettings, on a clock of the test's own), and the two groups
 * of Preferences that write them.
 */

#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "haul-preferences-window.h"
#include "haul-queue-settings.h"
#include "haul-schedule-preferences.h"
#include "haul-test-server.h"
#include "ui-test-util.h"

#define SCHEMA_ID "io.github.haul.Haul"

typedef struct
{
  char      *tmpdir;
  GSettings *settings;
  HaulQueue *queue;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->tmpdir = haul_test_make_tmpdir ();
  fixture->settings = g_settings_new (SCHEMA_ID);
  g_settings_set_string (fixture->settings, "download-folder", fixture->tmpdir);
  fixture->queue = haul_queue_new (NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const keys[] = {
    "download-folder", "categories-enabled", "category-folders", "schedule-enabled",
    "schedule-start", "schedule-end", "alt-speed-scheduled", "alt-speed-start",
    "alt-speed-end", "alt-speed-enabled",
  };

  haul_queue_shutdown (fixture->queue);
  g_clear_object (&fixture->queue);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (fixture->settings, keys[i]);
  g_clear_object (&fixture->settings);
  haul_test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static void
set_folders (GSettings  *settings,
             const char *text)
{
  g_settings_set_value (settings, "category-folders", g_variant_new_parsed (text));
}

/* The time texts ----------------------------------------------------------- */

static void
test_time_text (void)
{
  static const struct {
    const char *text;
    int         minute;   /* -1: not a time */
  } cases[] = {
    { "01:05", 65 }, { "1:05", 65 }, { "7", 420 }, { "0730", 450 }, { "7.30", 450 },
    { " 23:59 ", 1439 }, { "0", 0 }, { "00:00", 0 },
    { "24:00", -1 }, { "7:5", -1 }, { "7:60", -1 }, { "abc", -1 }, { "", -1 },
    { "1:2:3", -1 }, { "12345", -1 }, { "-1", -1 }, { "2360", -1 }, { "7:", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint minute = G_MAXUINT;
      gboolean ok = haul_parse_minute_of_day (cases[i].text, &minute);

      if (cases[i].minute < 0)
        {
          g_assert_false (ok);
          g_assert_cmpuint (minute, ==, G_MAXUINT);
        }
      else
        {
          g_assert_true (ok);
          g_assert_cmpuint (minute, ==, (guint) cases[i].minute);
        }
    }
  for (guint minute = 0; minute < 24 * 60; minute++)
    {
      g_autofree char *text = haul_format_minute_of_day (minute);
      guint back;

      g_assert_cmpuint (strlen (text), ==, 5);
      g_assert_true (haul_parse_minute_of_day (text, &back));
      g_assert_cmpuint (back, ==, minute);
    }
}

/* The queue follows ---------------------------------------------------------- */

static void
assert_folder (HaulQueue    *queue,
               HaulCategory  category,
               const char   *expected)
{
  const HaulCategoryFolders *folders = haul_queue_get_category_folders (queue);

  g_assert_nonnull (folders);
  g_assert_cmpstr (haul_category_folders_get (folders, category), ==, expected);
}

static void
test_categories (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(HaulQueueSettings) follow = haul_queue_settings_new (fixture->settings,
                                                                 fixture->queue);
  g_autofree char *pictures = g_build_filename (fixture->tmpdir, "Pictures", NULL);
  g_autofree char *music = g_build_filename (fixture->tmpdir, "Music", NULL);
  g_autofree char *elsewhere = g_build_filename (fixture->tmpdir, "elsewhere", NULL);
  g_autofree char *moved_music = g_build_filename (elsewhere, "Music", NULL);

  /* Off: every download where it is asked to go. */
  g_assert_null (haul_queue_get_category_folders (fixture->queue));

  g_settings_set_boolean (fixture->settings, "categories-enabled", TRUE);
  assert_folder (fixture->queue, HAUL_CATEGORY_OTHER, fixture->tmpdir);
  assert_folder (fixture->queue, HAUL_CATEGORY_PICTURES, pictures);

  /* A folder of one's own; a relative path or a kind unknown here are
   * left to the default. */
  set_folders (fixture->settings,
               "{'pictures': '/srv/photos', 'music': 'relative/music', 'games': '/srv/games'}");
  assert_folder (fixture->queue, HAUL_CATEGORY_PICTURES, "/srv/photos");
  assert_folder (fixture->queue, HAUL_CATEGORY_MUSIC, music);

  /* The download folder moves: the default ones move with it. */
  g_settings_set_string (fixture->settings, "download-folder", elsewhere);
  assert_folder (fixture->queue, HAUL_CATEGORY_OTHER, elsewhere);
  assert_folder (fixture->queue, HAUL_CATEGORY_MUSIC, moved_music);
  assert_folder (fixture->queue, HAUL_CATEGORY_PICTURES, "/srv/photos");

  g_settings_set_boolean (fixture->settings, "categories-enabled", FALSE);
  g_assert_null (haul_queue_get_category_folders (fixture->queue));

  /* Gone with its owner: the queue is left as it was. */
  g_clear_object (&follow);
  g_settings_set_boolean (fixture->settings, "categories-enabled", TRUE);
  g_assert_null (haul_queue_get_category_folders (fixture->queue));
}

typedef struct
{
  GDateTime *now;
} Clock;

static GDateTime *
clock_now (gpointer data)
{
  return g_date_time_ref (((Clock *) data)->now);
}

static void
clock_set (Clock     *clock,
           GDateTime *now)
{
  g_date_time_unref (clock->now);
  clock->now = g_date_time_ref (now);
}

static gboolean
queue_open (HaulQueue *queue)
{
  gboolean open;

  g_object_get (queue, "schedule-open", &open, NULL);
  return open;
}

static void
test_schedule (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(HaulQueueSettings) follow = haul_queue_settings_new (fixture->settings,
                                                                 fixture->queue);
  HaulScheduler *scheduler = haul_queue_settings_get_scheduler (follow);
  g_autoptr(GDateTime) t0900 = g_date_time_new_local (2026, 6, 1, 9, 0, 0);
  g_autoptr(GDateTime) t1800 = g_date_time_new_local (2026, 6, 1, 18, 0, 0);
  g_autoptr(GDateTime) t0100 = g_date_time_new_local (2026, 6, 2, 1, 0, 0);
  g_autoptr(GDateTime) t0800 = g_date_time_new_local (2026, 6, 2, 8, 0, 0);
  Clock clock = { g_date_time_ref (t0900) };

  haul_scheduler_set_clock (scheduler, clock_now, &clock);
  g_assert_true (queue_open (fixture->queue));

  /* 09:00 and downloads only from 01:00 to 07:00: closed. */
  g_settings_set_uint (fixture->settings, "schedule-start", 60);
  g_settings_set_uint (fixture->settings, "schedule-end", 420);
  g_settings_set_boolean (fixture->settings, "schedule-enabled", TRUE);
  g_assert_false (queue_open (fixture->queue));
  g_assert_cmpint (haul_scheduler_get_opens_at (scheduler), ==,
                   g_date_time_to_unix (t0100) * G_USEC_PER_SEC);

  /* The alternative speed from 08:00 to 18:00: switched on at once. */
  g_assert_false (g_settings_get_boolean (fixture->settings, "alt-speed-enabled"));
  g_settings_set_uint (fixture->settings, "alt-speed-start", 480);
  g_settings_set_uint (fixture->settings, "alt-speed-end", 1080);
  g_settings_set_boolean (fixture->settings, "alt-speed-scheduled", TRUE);
  g_assert_true (g_settings_get_boolean (fixture->settings, "alt-speed-enabled"));

  /* Switched off by hand: it stays off until the next change. */
  g_settings_set_boolean (fixture->settings, "alt-speed-enabled", FALSE);
  haul_scheduler_check (scheduler);
  g_assert_false (g_settings_get_boolean (fixture->settings, "alt-speed-enabled"));

  clock_set (&clock, t1800);
  haul_scheduler_check (scheduler);
  g_assert_false (g_settings_get_boolean (fixture->settings, "alt-speed-enabled"));
  g_settings_set_boolean (fixture->settings, "alt-speed-enabled", TRUE);

  /* 01:00: the hours open; 18:00 had already switched the speed off, the
   * hand switched it on, and nothing switches it again before 08:00. */
  clock_set (&clock, t0100);
  haul_scheduler_check (scheduler);
  g_assert_true (queue_open (fixture->queue));
  g_assert_true (g_settings_get_boolean (fixture->settings, "alt-speed-enabled"));
  g_settings_set_boolean (fixture->settings, "alt-speed-enabled", FALSE);

  clock_set (&clock, t0800);
  haul_scheduler_check (scheduler);
  g_assert_false (queue_open (fixture->queue));
  g_assert_true (g_settings_get_boolean (fixture->settings, "alt-speed-enabled"));

  /* Not on a schedule any more: the speed is left as it is, and the
   * queue runs at any hour. */
  g_settings_set_boolean (fixture->settings, "alt-speed-scheduled", FALSE);
  g_settings_set_boolean (fixture->settings, "schedule-enabled", FALSE);
  g_assert_true (g_settings_get_boolean (fixture->settings, "alt-speed-enabled"));
  g_assert_true (queue_open (fixture->queue));

  g_clear_object (&follow);
  g_date_time_unref (clock.now);
}

/* Preferences ---------------------------------------------------------------- */

static gboolean
is_row_titled (GtkWidget *widget,
               gpointer   title)
{
  return ADW_IS_ACTION_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
is_spin_at (GtkWidget *widget,
            gpointer   value)
{
  return GTK_IS_SPIN_BUTTON (widget)
         && gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (widget))
            == GPOINTER_TO_INT (value);
}

static void
test_window (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *window = haul_preferences_window_new (NULL, fixture->settings, fixture->queue);
  g_autofree char *pictures = g_build_filename (fixture->tmpdir, "Pictures", NULL);
  g_autoptr(GVariant) map = NULL;
  GtkWidget *row;
  GtkWidget *start;

  gtk_window_present (GTK_WINDOW (window));
  haul_ui_spin (100);

  /* A row per kind, showing where its downloads go. */
  row = haul_ui_find (window, is_row_titled, (gpointer) "Pictures");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, pictures);
  g_assert_false (gtk_widget_get_sensitive (row));
  g_settings_set_boolean (fixture->settings, "categories-enabled", TRUE);
  g_assert_true (gtk_widget_get_sensitive (row));

  set_folders (fixture->settings, "{'pictures': '/srv/photos', 'music': '/srv/music'}");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "/srv/photos");

  /* Back to the default: only that kind's entry goes. */
  g_assert_true (gtk_widget_activate_action (row, "categories.reset", "s", "pictures"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, pictures);
  map = g_settings_get_value (fixture->settings, "category-folders");
  g_assert_cmpuint (g_variant_n_children (map), ==, 1);
  g_assert_true (g_variant_lookup (map, "music", "&s", NULL));

  /* Times as a clock shows them, and typed back. */
  g_settings_set_uint (fixture->settings, "schedule-start", 75);
  start = haul_ui_find (window, is_spin_at, GINT_TO_POINTER (75));
  g_assert_nonnull (start);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (start)), ==, "01:15");
  gtk_editable_set_text (GTK_EDITABLE (start), "6:30");
  gtk_spin_button_update (GTK_SPIN_BUTTON (start));
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "schedule-start"), ==, 390);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (start)), ==, "06:30");
  /* Not a time: the value stays (GTK's default policy would make it 00:00). */
  gtk_editable_set_text (GTK_EDITABLE (start), "25:00");
  gtk_spin_button_update (GTK_SPIN_BUTTON (start));
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "schedule-start"), ==, 390);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (start)), ==, "06:30");

  gtk_window_destroy (GTK_WINDOW (window));
  haul_ui_spin (50);
}

int
main (int   argc,
      char *argv[])
{
  /* Untranslated English. */
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/haul/ui/queue-settings/time-text", test_time_text);
  g_test_add ("/haul/ui/queue-settings/categories", Fixture, NULL,
              fixture_set_up, test_categories, fixture_tear_down);
  g_test_add ("/haul/ui/queue-settings/schedule", Fixture, NULL,
              fixture_set_up, test_schedule, fixture_tear_down);
  g_test_add ("/haul/ui/queue-settings/preferences", Fixture, NULL,
              fixture_set_up, test_window, fixture_tear_down);

  return g_test_run ();
}
