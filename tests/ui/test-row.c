/* test-row.c: one download's row, its words, and what a progress update costs
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/ui/run-with-display (Xvfb). The rows are bound to
 * HaulDownload objects whose states are set directly, as the queue sets
 * them (row-fixture.c); no network. The details and the row's buttons on
 * a real queue are test-row-details.c's.
 */

#include "config.h"

#include <adwaita.h>

#include "haul-checksum.h"
#include "haul-download-private.h"
#include "haul-download-row.h"
#include "haul-progress-bar.h"
#include "haul-status-text.h"
#include "row-fixture.h"
#include "ui-test-util.h"

/* ------------------------------------------------------------------ */
/* Looking at a row                                                    */

static gboolean
has_css_class (GtkWidget *widget,
               gpointer   css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

static gboolean
has_icon (GtkWidget *widget,
          gpointer   icon_name)
{
  const char *name = NULL;

  if (GTK_IS_BUTTON (widget))
    name = gtk_button_get_icon_name (GTK_BUTTON (widget));
  else if (GTK_IS_MENU_BUTTON (widget))
    name = gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget));
  return g_strcmp0 (name, icon_name) == 0;
}

/* The failed row's reason, where the bar was; NULL when not shown. */
static const char *
row_message (GtkWidget *row)
{
  GtkWidget *message = haul_ui_find (row, has_css_class, (gpointer) "download-message");

  g_assert_nonnull (message);
  return gtk_widget_get_visible (message) ? gtk_label_get_label (GTK_LABEL (message)) : NULL;
}

static HaulChecksumSpec *
sha256_spec (void)
{
  g_autoptr(GError) error = NULL;
  HaulChecksumSpec *spec = haul_checksum_spec_parse (
    "sha-256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", &error);

  g_assert_no_error (error);
  return spec;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

/* A row under way changes its bar and its words a hundred times: the
 * window is never measured or allocated again, the toplevel never
 * computes its size (on X11, round trips), only frames are drawn. */
static void
test_progress_no_relayout (Fixture       *fixture,
                           gconstpointer  data)
{
  HaulDownload *d = fixture->download;
  gint64 total = 660 * 1000 * 1000;
  gint64 t = g_get_monotonic_time ();
  g_autofree char *first_status = NULL;
  double first_fraction;

  haul_download_set_state (d, HAUL_DOWNLOAD_DOWNLOADING);
  haul_download_update_progress (d, 1000000, total, t);
  haul_ui_spin (200);
  first_status = g_strdup (haul_ui_row_status (fixture->row));
  first_fraction = haul_progress_bar_get_fraction (row_bar (fixture->row));
  reset_counts (fixture);

  /* 9 MB/s, one update every 20 ms (faster than the queue's flushes);
   * every 500 ms a new status text. */
  for (int i = 1; i <= 100; i++)
    {
      haul_download_update_progress (d, 1000000 + (gint64) i * 9000000 / 50, total,
                                     t + (gint64) i * 20000);
      haul_ui_spin (20);
    }
  haul_ui_spin (600);

  g_test_message ("after 100 updates: window measured %u, allocated %u; row measured %u, "
                  "allocated %u; toplevel sized %u times",
                  fixture->window_probe->n_measure, fixture->window_probe->n_allocate,
                  fixture->row_probe->n_measure, fixture->row_probe->n_allocate,
                  fixture->n_compute_size);

  /* It did change: a later fraction, a new text with a speed. */
  g_assert_cmpfloat (haul_progress_bar_get_fraction (row_bar (fixture->row)), >, first_fraction);
  g_assert_cmpstr (haul_ui_row_status (fixture->row), !=, first_status);
  g_assert_nonnull (strstr (haul_ui_row_status (fixture->row), "/s"));

  g_assert_cmpuint (fixture->window_probe->n_measure, ==, 0);
  g_assert_cmpuint (fixture->window_probe->n_allocate, ==, 0);
  g_assert_cmpuint (fixture->row_probe->n_measure, ==, 0);
  g_assert_cmpuint (fixture->row_probe->n_allocate, ==, 0);
  g_assert_cmpuint (fixture->n_compute_size, ==, 0);

  /* The size unknown: the bar pulses, still without a relayout. */
  haul_download_update_progress (d, 5000000, -1, t + 3 * G_USEC_PER_SEC);
  haul_ui_spin (700);
  g_assert_true (haul_progress_bar_get_pulsing (row_bar (fixture->row)));
  g_assert_cmpuint (fixture->window_probe->n_allocate, ==, 0);
  g_assert_cmpuint (fixture->n_compute_size, ==, 0);
}

/* Every state of a row, as a person reads it. */
static void
test_states (Fixture       *fixture,
             gconstpointer  data)
{
  HaulDownload *d = fixture->download;
  GtkWidget *row = fixture->row;
  g_autoptr(GDateTime) finished = g_date_time_new_now_local ();
  g_autofree char *clock = g_date_time_format (finished, "%H:%M");
  g_autofree char *expected = NULL;
  GtkWidget *menu_button;

  /* Under way: a bar, Pause and Cancel. (A state change shows the words
   * at once; progress alone on the status line's half-second beat.) */
  haul_download_set_progress (d, 5600000, 21000000, 0, -1);
  haul_download_set_state (d, HAUL_DOWNLOAD_DOWNLOADING);
  haul_ui_spin (50);
  g_assert_true (row_bar_shown (row));
  g_assert_cmpfloat_with_epsilon (haul_progress_bar_get_fraction (row_bar (row)),
                                  5.6 / 21.0, 1e-9);
  assert_words (haul_ui_row_status (row), "5.6 MB of 21.0 MB");
  g_assert_true (row_button_shown (row, "row.pause"));
  g_assert_true (row_button_shown (row, "row.cancel"));
  g_assert_false (row_button_shown (row, "row.open"));

  /* Paused: what it has, Resume. */
  haul_download_set_state (d, HAUL_DOWNLOAD_PAUSED);
  haul_ui_spin (50);
  g_assert_true (row_bar_shown (row));
  assert_words (haul_ui_row_status (row), "Paused · 5.6 MB of 21.0 MB");
  g_assert_true (row_button_shown (row, "row.resume"));
  g_assert_false (row_button_shown (row, "row.pause"));

  /* Failed: no bar; why, where the bar was; what it has. */
  haul_download_set_error_message (d, "The connection closed after 5.6 MB of 21.0 MB");
  haul_download_set_state (d, HAUL_DOWNLOAD_FAILED);
  haul_ui_spin (50);
  g_assert_false (row_bar_shown (row));
  assert_words (row_message (row), "The connection closed after 5.6 MB of 21.0 MB");
  assert_words (haul_ui_row_status (row), "Failed · 5.6 MB of 21.0 MB");
  g_assert_true (row_button_shown (row, "row.retry"));
  g_assert_false (row_button_shown (row, "row.open"));

  /* Completed: no bar; size and when. */
  haul_download_set_progress (d, 21000000, 21000000, 0, -1);
  haul_download_set_finished (d, finished);
  haul_download_set_state (d, HAUL_DOWNLOAD_COMPLETED);
  haul_ui_spin (50);
  g_assert_false (row_bar_shown (row));
  g_assert_null (row_message (row));
  expected = g_strdup_printf ("Completed · 21.0 MB · %s", clock);
  assert_words (haul_ui_row_status (row), expected);
  g_assert_true (row_button_shown (row, "row.open"));
  g_assert_true (row_button_shown (row, "row.show-in-folder"));

  /* Removing is "Remove from List", in the row's menu: no trash can that
   * reads as deleting the file. */
  g_assert_null (haul_ui_find (row, has_icon, (gpointer) "user-trash-symbolic"));
  g_assert_null (haul_ui_find (row, has_action, (gpointer) "row.remove"));
  menu_button = haul_ui_find (row, is_type, GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON));
  g_assert_nonnull (menu_button);
  {
    GMenuModel *menu;
    gboolean found = FALSE;

    /* Made on the first click. */
    gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
    menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
    g_assert_nonnull (menu);

    for (int s = 0; s < g_menu_model_get_n_items (menu); s++)
      {
        g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

        for (int i = 0; section != NULL && i < g_menu_model_get_n_items (section); i++)
          {
            g_autofree char *label = NULL;
            g_autofree char *action = NULL;

            g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
            g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
            if (g_strcmp0 (action, "row.remove") == 0)
              {
                g_assert_cmpstr (label, ==, "Re_move from List");
                found = TRUE;
              }
          }
      }
    g_assert_true (found);
    gtk_menu_button_popdown (GTK_MENU_BUTTON (menu_button));
  }

  /* The file is gone. */
  haul_download_set_file_missing (d, TRUE);
  haul_ui_spin (50);
  g_assert_cmpstr (haul_ui_row_status (row), ==, "File missing");
  g_assert_true (gtk_widget_has_css_class (haul_ui_find (row, has_css_class,
                                                         (gpointer) "download-status"),
                                           "warning"));
}

static gboolean
status_is_not (GtkWidget     *row,
               gpointer       text)
{
  return g_strcmp0 (haul_ui_row_status (row), text) != 0;
}

/* The row's next status text (within 1.5 s), with plain spaces. */
static char *
next_status (GtkWidget *row)
{
  g_autofree char *before = g_strdup (haul_ui_row_status (row));

  g_assert_true (haul_ui_wait_match (status_is_not, row, before, 1500));
  return plain_spaces (haul_ui_row_status (row));
}

/* A retry counts down once a second, and only redraws: the window is
 * never measured or allocated for it. Retry Now is a button of its own. */
static void
test_countdown_no_relayout (Fixture       *fixture,
                            gconstpointer  data)
{
  HaulDownload *d = fixture->download;
  GtkWidget *row = fixture->row;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  haul_download_set_progress (d, 5600000, 21000000, 0, -1);
  haul_download_set_waiting (d, HAUL_WAITING_SERVER_BUSY,
                             g_get_real_time () + 5 * G_USEC_PER_SEC + 500000);
  haul_ui_spin (100);
  row_button (row, "row.retry-now", "Retry Now");
  g_assert_false (row_button_shown (row, "row.start-now"));
  g_assert_true (row_bar_shown (row));
  first = plain_spaces (haul_ui_row_status (row));
  g_assert_cmpstr (first, ==, "Server busy · retrying in 6 s · 5.6 MB of 21.0 MB");
  haul_ui_spin (200);
  reset_counts (fixture);

  second = next_status (row);
  g_test_message ("after one tick: toplevel sized %u", fixture->n_compute_size);
  g_assert_cmpstr (second, ==, "Server busy · retrying in 5 s · 5.6 MB of 21.0 MB");
  third = next_status (row);
  g_assert_cmpstr (third, ==, "Server busy · retrying in 4 s · 5.6 MB of 21.0 MB");
  haul_ui_spin (100);

  g_test_message ("2 ticks: window measured %u, allocated %u; toplevel sized %u times",
                  fixture->window_probe->n_measure, fixture->window_probe->n_allocate,
                  fixture->n_compute_size);
  g_assert_cmpuint (fixture->window_probe->n_measure, ==, 0);
  g_assert_cmpuint (fixture->window_probe->n_allocate, ==, 0);
  g_assert_cmpuint (fixture->row_probe->n_allocate, ==, 0);
  g_assert_cmpuint (fixture->n_compute_size, ==, 0);

  /* Off screen, no timer; back, the count is right at once. */
  gtk_widget_set_visible (row, FALSE);
  haul_ui_spin (50);
  gtk_widget_set_visible (row, TRUE);
  haul_ui_spin (50);
  assert_words (haul_ui_row_status (row), "Server busy · retrying in 4 s · 5.6 MB of 21.0 MB");

  /* The other waits: words, no countdown, no Retry Now. */
  haul_download_set_waiting (d, HAUL_WAITING_NETWORK, 0);
  haul_ui_spin (50);
  assert_words (haul_ui_row_status (row), "Waiting for the network · 5.6 MB of 21.0 MB");
  g_assert_false (row_button_shown (row, "row.retry-now"));
  haul_download_set_waiting (d, HAUL_WAITING_SCHEDULE, 0);
  haul_ui_spin (50);
  assert_words (haul_ui_row_status (row), "Waiting for the scheduled hours · 5.6 MB of 21.0 MB");
  haul_download_set_waiting (d, HAUL_WAITING_DAEMON, 0);
  haul_ui_spin (50);
  assert_words (haul_ui_row_status (row),
                "The download engine cannot be reached · 5.6 MB of 21.0 MB");
  haul_download_set_waiting (d, HAUL_WAITING_METERED, 0);
  haul_ui_spin (50);
  assert_words (haul_ui_row_status (row),
                "Waiting for an unmetered connection · 5.6 MB of 21.0 MB");
  row_button (row, "row.start-now", "Download Anyway");
  g_assert_false (row_button_shown (row, "row.retry-now"));
}

/* Hashing the finished file: the bar shows how far; then the row says it
 * was verified. */
static void
test_verifying (Fixture       *fixture,
                gconstpointer  data)
{
  HaulDownload *d = fixture->download;
  GtkWidget *row = fixture->row;
  g_autoptr(HaulChecksumSpec) spec = sha256_spec ();
  g_autoptr(GDateTime) finished = g_date_time_new_now_local ();
  g_autofree char *clock = g_date_time_format (finished, "%H:%M");
  g_autofree char *expected = NULL;

  haul_download_set_checksum (d, spec);
  haul_download_set_state (d, HAUL_DOWNLOAD_DOWNLOADING);
  haul_download_set_progress (d, 21000000, 21000000, 0, -1);
  /* A state change shows the words at once; progress alone on the
   * status line's half-second beat. */
  haul_download_set_checksum_progress (d, 0.25);
  haul_download_set_checksum_state (d, HAUL_CHECKSUM_VERIFYING);
  haul_ui_spin (50);
  g_assert_true (row_bar_shown (row));
  g_assert_cmpfloat_with_epsilon (haul_progress_bar_get_fraction (row_bar (row)), 0.25, 1e-9);
  assert_words (haul_ui_row_status (row), "Verifying · 25 %");

  haul_download_set_checksum_progress (d, 0.5);
  haul_ui_spin (700);
  g_assert_cmpfloat_with_epsilon (haul_progress_bar_get_fraction (row_bar (row)), 0.5, 1e-9);
  assert_words (haul_ui_row_status (row), "Verifying · 50 %");

  haul_download_set_checksum_progress (d, 1.0);
  haul_download_set_checksum_state (d, HAUL_CHECKSUM_VERIFIED);
  haul_download_set_finished (d, finished);
  haul_download_set_state (d, HAUL_DOWNLOAD_COMPLETED);
  haul_ui_spin (50);
  g_assert_false (row_bar_shown (row));
  expected = g_strdup_printf ("Completed · SHA-256 verified · 21.0 MB · %s", clock);
  assert_words (haul_ui_row_status (row), expected);
}

/* The words on their own, at a fixed "now". */
static void
test_status_text (void)
{
  g_autoptr(HaulDownload) d = haul_download_new ("https://example.com/a.bin", "/tmp");
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 11, 22, 15, 0, 0);
  g_autoptr(GDateTime) today = g_date_time_new_local (2026, 11, 22, 9, 5, 0);
  g_autoptr(GDateTime) yesterday = g_date_time_new_local (2026, 11, 21, 23, 59, 0);
  g_autoptr(GDateTime) this_year = g_date_time_new_local (2026, 3, 2, 12, 0, 0);
  g_autoptr(GDateTime) last_year = g_date_time_new_local (2025, 12, 31, 12, 0, 0);
  g_autofree char *a = haul_format_when (today, now);
  g_autofree char *b = haul_format_when (yesterday, now);
  g_autofree char *c = haul_format_when (this_year, now);
  g_autofree char *e = haul_format_when (last_year, now);
  char *text;

  g_assert_cmpstr (a, ==, "09:05");
  g_assert_cmpstr (b, ==, "Yesterday");
  g_assert_cmpstr (c, ==, "2 Mar");
  g_assert_cmpstr (e, ==, "31 Dec 2025");

  text = haul_format_status (d, now);
  g_assert_cmpstr (text, ==, "Queued");
  g_free (text);
  g_assert_null (haul_format_amount (d));

  /* Outside the scheduled hours: until when. */
  {
    g_autoptr(GDateTime) opens = g_date_time_new_local (2026, 11, 23, 1, 0, 0);

    haul_download_set_waiting (d, HAUL_WAITING_SCHEDULE, g_date_time_to_unix (opens)
                                                         * G_USEC_PER_SEC);
    text = haul_format_status (d, now);
    g_assert_cmpstr (text, ==, "Waiting until 01:00");
    g_free (text);
    haul_download_set_waiting (d, HAUL_WAITING_SCHEDULE, 0);
    text = haul_format_status (d, now);
    g_assert_cmpstr (text, ==, "Waiting for the scheduled hours");
    g_free (text);
    haul_download_set_waiting (d, HAUL_WAITING_NONE, 0);
  }

  haul_download_set_state (d, HAUL_DOWNLOAD_DOWNLOADING);
  haul_download_set_progress (d, 0, -1, 0, -1);
  text = haul_format_status (d, now);
  assert_words (text, "0 bytes");
  g_free (text);

  haul_download_set_progress (d, 1200000, -1, 250000, -1);
  text = haul_format_status (d, now);
  assert_words (text, "1.2 MB · 250.0 kB/s");
  g_free (text);

  haul_download_set_progress (d, 1200000, 3400000, 250000, 9);
  text = haul_format_status (d, now);
  assert_words (text, "1.2 MB of 3.4 MB · 250.0 kB/s · 9 seconds left");
  g_free (text);

  haul_download_set_state (d, HAUL_DOWNLOAD_FAILED);
  text = haul_format_status (d, now);
  assert_words (text, "Failed · 1.2 MB of 3.4 MB");
  g_free (text);

  haul_download_set_progress (d, 0, -1, 0, -1);
  text = haul_format_status (d, now);
  g_assert_cmpstr (text, ==, "Failed");
  g_free (text);

  haul_download_set_progress (d, 3400000, 3400000, 0, -1);
  haul_download_set_state (d, HAUL_DOWNLOAD_COMPLETED);
  text = haul_format_status (d, now);
  assert_words (text, "Completed · 3.4 MB");
  g_free (text);
  haul_download_set_finished (d, yesterday);
  text = haul_format_status (d, now);
  assert_words (text, "Completed · 3.4 MB · Yesterday");
  g_free (text);
}

#define assert_status(d, now, expected) \
  G_STMT_START { \
    g_autofree char *status_ = haul_format_status ((d), (now)); \
    assert_words (status_, (expected)); \
  } G_STMT_END

/* Why a download waits, as words, at a fixed "now": a retry counts down
 * in whole seconds rounded up, what has arrived stays on the line. */
static void
test_status_waiting (void)
{
  g_autoptr(HaulDownload) d = haul_download_new ("https://example.com/a.bin", "/tmp");
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 11, 22, 15, 0, 0);
  gint64 now_us = g_date_time_to_unix (now) * G_USEC_PER_SEC;

  /* Queued with nothing yet: the reason alone. */
  haul_download_set_waiting (d, HAUL_WAITING_RETRY, now_us + 4 * G_USEC_PER_SEC);
  assert_status (d, now, "Retrying in 4 s");

  haul_download_set_progress (d, 5600000, 21000000, 0, -1);
  assert_status (d, now, "Retrying in 4 s · 5.6 MB of 21.0 MB");
  g_assert_cmpint (haul_retry_seconds_left (d, now), ==, 4);
  haul_download_set_waiting (d, HAUL_WAITING_RETRY, now_us + 3 * G_USEC_PER_SEC + 1);
  assert_status (d, now, "Retrying in 4 s · 5.6 MB of 21.0 MB");
  haul_download_set_waiting (d, HAUL_WAITING_RETRY, now_us + 150 * G_USEC_PER_SEC);
  assert_status (d, now, "Retrying in 2 min 30 s · 5.6 MB of 21.0 MB");
  haul_download_set_waiting (d, HAUL_WAITING_RETRY, now_us + 300 * G_USEC_PER_SEC);
  assert_status (d, now, "Retrying in 5 min · 5.6 MB of 21.0 MB");
  /* Due: it is about to try (never "in 0 s"). */
  haul_download_set_waiting (d, HAUL_WAITING_RETRY, now_us - 1);
  assert_status (d, now, "Retrying… · 5.6 MB of 21.0 MB");
  g_assert_cmpint (haul_retry_seconds_left (d, now), ==, 0);

  haul_download_set_waiting (d, HAUL_WAITING_SERVER_BUSY, now_us + 30 * G_USEC_PER_SEC);
  assert_status (d, now, "Server busy · retrying in 30 s · 5.6 MB of 21.0 MB");

  haul_download_set_waiting (d, HAUL_WAITING_NETWORK, 0);
  assert_status (d, now, "Waiting for the network · 5.6 MB of 21.0 MB");
  g_assert_cmpint (haul_retry_seconds_left (d, now), ==, -1);
  haul_download_set_waiting (d, HAUL_WAITING_METERED, 0);
  assert_status (d, now, "Waiting for an unmetered connection · 5.6 MB of 21.0 MB");
  haul_download_set_waiting (d, HAUL_WAITING_SCHEDULE, 0);
  assert_status (d, now, "Waiting for the scheduled hours · 5.6 MB of 21.0 MB");
  haul_download_set_waiting (d, HAUL_WAITING_DAEMON, 0);
  assert_status (d, now, "The download engine cannot be reached · 5.6 MB of 21.0 MB");

  /* The daemon holds a download in any unfinished state; the others
   * only a queued one. */
  haul_download_set_state (d, HAUL_DOWNLOAD_DOWNLOADING);
  assert_status (d, now, "The download engine cannot be reached · 5.6 MB of 21.0 MB");
  haul_download_set_waiting (d, HAUL_WAITING_METERED, 0);
  assert_status (d, now, "5.6 MB of 21.0 MB");
  haul_download_set_waiting (d, HAUL_WAITING_NONE, 0);
  haul_download_set_state (d, HAUL_DOWNLOAD_QUEUED);
  assert_status (d, now, "Queued · 5.6 MB of 21.0 MB");
}

/* A checksum: hashing after the last byte, verified, a mismatch. */
static void
test_status_checksum (void)
{
  g_autoptr(HaulDownload) d = haul_download_new ("https://example.com/a.iso", "/tmp");
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 11, 22, 15, 0, 0);
  g_autoptr(GDateTime) today = g_date_time_new_local (2026, 11, 22, 14, 2, 0);
  g_autoptr(HaulChecksumSpec) spec = sha256_spec ();

  haul_download_set_checksum (d, spec);
  haul_download_set_checksum_state (d, HAUL_CHECKSUM_PENDING);
  haul_download_set_state (d, HAUL_DOWNLOAD_DOWNLOADING);
  haul_download_set_progress (d, 1200000, 3400000, 0, -1);
  assert_status (d, now, "1.2 MB of 3.4 MB");

  haul_download_set_progress (d, 3400000, 3400000, 0, -1);
  haul_download_set_checksum_state (d, HAUL_CHECKSUM_VERIFYING);
  haul_download_set_checksum_progress (d, 0.456);
  assert_status (d, now, "Verifying · 45 %");

  haul_download_set_checksum_progress (d, 1.0);
  haul_download_set_checksum_state (d, HAUL_CHECKSUM_VERIFIED);
  haul_download_set_finished (d, today);
  haul_download_set_state (d, HAUL_DOWNLOAD_COMPLETED);
  assert_status (d, now, "Completed · SHA-256 verified · 3.4 MB · 14:02");

  /* Another file than the one asked for: the type in words; both digests
   * are the message's. */
  haul_download_set_checksum_state (d, HAUL_CHECKSUM_MISMATCH);
  haul_download_set_finished (d, NULL);
  haul_download_set_state (d, HAUL_DOWNLOAD_FAILED);
  assert_status (d, now, "Failed · SHA-256 mismatch");
}

int
main (int   argc,
      char *argv[])
{
  row_test_init (&argc, &argv);

  g_test_add_func ("/haul/ui/row/status-text", test_status_text);
  g_test_add_func ("/haul/ui/row/status-waiting", test_status_waiting);
  g_test_add_func ("/haul/ui/row/status-checksum", test_status_checksum);
  g_test_add ("/haul/ui/row/countdown-no-relayout", Fixture, NULL,
              fixture_setup, test_countdown_no_relayout, fixture_teardown);
  g_test_add ("/haul/ui/row/verifying", Fixture, NULL, fixture_setup, test_verifying,
              fixture_teardown);
  g_test_add ("/haul/ui/row/progress-no-relayout", Fixture, NULL,
              fixture_setup, test_progress_no_relayout, fixture_teardown);
  g_test_add ("/haul/ui/row/states", Fixture, NULL, fixture_setup, test_states, fixture_teardown);

  return g_test_run ();
}
