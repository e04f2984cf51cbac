/* test-narrow.c: the window and the Add dialog fit 360 pixels, in every language
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/ui/run-with-display. Each language is measured in a
 * subprocess of its own (LANGUAGE, the catalogues compiled in BUILD/po), so
 * that the templates are built with its strings: the empty window, the
 * window with rows in each state (the filter bar shown), a search typed,
 * and the Add dialog with a rejected piece. gtk_widget_measure() gives the
 * minimum width each needs; 360 px is what GNOME declares for phones and
 * what the window asks for. Screenshots of each case at 360 px go to
 * BUILD/tests/ui/narrow-LANG-CASE.png when HAUL_NARROW_SHOTS=1.
 */

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "haul-application.h"
#include "haul-download-private.h"
#include "haul-window.h"
#include "ui-test-util.h"

#define NARROW 360
#define TIMEOUT_MS 10000

static int
min_width (GtkWidget *widget)
{
  int minimum = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  return minimum;
}

/* The widgets that need the most, for the message when a case fails. */
static void
report_widest (GtkWidget *widget,
               int        depth)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int w;

      if (!gtk_widget_get_visible (child))
        continue;
      w = min_width (child);
      if (w > NARROW - 60 && depth < 16)
        {
          g_printerr ("#   %*s%s needs %d px\n", depth * 2, "", G_OBJECT_TYPE_NAME (child), w);
          report_widest (child, depth + 1);
        }
    }
}

static void
save_shot (GtkWidget  *widget,
           const char *language,
           const char *name)
{
  g_autofree char *file = g_strdup_printf ("narrow-%s-%s", language, name);

  haul_ui_build_shot (widget, "HAUL_NARROW_SHOTS", file);
}

/* Cases that need more than NARROW px, reported together at the end. */
static GString *too_wide;

/* What the window needs is its content's minimum width: the window's
 * geometry on a compositing desktop. On X11 without a compositor (Xvfb
 * here) GTK adds a solid 5 px resize border on each side inside the
 * surface; that figure is printed too. */
static void
check_fits (GtkWidget  *widget,
            const char *language,
            const char *name)
{
  GtkWidget *content = gtk_widget_get_first_child (widget);
  int w = min_width (content);

  gtk_window_set_default_size (GTK_WINDOW (widget), NARROW, 600);
  haul_ui_spin (300);
  /* The subprocess is not in TAP mode: stderr reaches the test log. */
  g_printerr ("# %s, %s: needs %d px (%d px with the uncomposited X11 border)\n",
              language, name, w, min_width (widget));
  save_shot (widget, language, name);
  if (w > NARROW)
    {
      report_widest (content, 0);
      g_string_append_printf (too_wide, " %s=%d", name, w);
    }
}

static HaulDownload *
add_download (HaulQueue  *queue,
              const char *uri,
              const char *folder)
{
  g_autoptr(GError) error = NULL;
  HaulDownload *download = haul_queue_add (queue, uri, folder, &error);

  g_assert_no_error (error);
  return download;
}

/* Rows in each state, with long names and the longest status lines. */
static void
fill_queue (HaulQueue  *queue,
            const char *folder)
{
  /* Port 9 refuses: nothing is ever downloaded; the states are set. */
  HaulDownload *running = add_download (queue, "http://127.0.0.1:9/debian-12.5.0-amd64-netinst.iso",
                                        folder);
  HaulDownload *paused = add_download (queue, "http://127.0.0.1:9/Some%20Video%20Recording.mkv",
                                       folder);
  HaulDownload *done = add_download (queue, "http://127.0.0.1:9/report-2026-final.pdf", folder);
  HaulDownload *failed = add_download (queue, "http://127.0.0.1:9/gone/archive.tar.gz", folder);
  HaulDownload *queued = add_download (queue, "http://127.0.0.1:9/queued.zip", folder);

  haul_queue_pause_all (queue);
  haul_download_set_file_name (running, "debian-12.5.0-amd64-netinst.iso");
  haul_download_set_state (running, HAUL_DOWNLOAD_DOWNLOADING);
  haul_download_set_progress (running, 1234567890, 3987654321, 12.5e6, 3725);
  haul_download_set_file_name (paused, "Some Video Recording.mkv");
  haul_download_set_state (paused, HAUL_DOWNLOAD_PAUSED);
  haul_download_set_progress (paused, 234567890, 987654321, 0, -1);
  haul_download_set_file_name (done, "report-2026-final.pdf");
  haul_download_set_progress (done, 987654, 987654, 0, -1);
  haul_download_set_state (done, HAUL_DOWNLOAD_COMPLETED);
  haul_download_set_state (failed, HAUL_DOWNLOAD_FAILED);
  haul_download_set_error_message (failed, _("The server answered 404 Not Found"));
  haul_download_set_state (queued, HAUL_DOWNLOAD_QUEUED);
}

static gboolean
is_search_entry (GtkWidget *widget)
{
  return GTK_IS_SEARCH_ENTRY (widget);
}

static GtkWidget *
find_search_entry (GtkWidget *root)
{
  if (is_search_entry (root))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_search_entry (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_text_view (GtkWidget *root)
{
  return GTK_IS_TEXT_VIEW (root);
}

static GtkWidget *
find_text_view (GtkWidget *root)
{
  if (is_text_view (root))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_text_view (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
measure_language (const char *language)
{
  HaulApplication *app;
  g_autofree char *folder = g_build_filename (g_get_home_dir (), "Downloads", NULL);
  HaulWindow *window;
  HaulAddDialog *dialog;
  GtkWidget *entry;
  GtkTextView *text_view;

  app = haul_ui_start_application (&window);
  haul_ui_spin (200);

  /* The catalogue is in use: the window speaks the language. */
  if (!g_str_equal (language, "en"))
    g_assert_cmpstr (_("Drop Links Here"), !=, "Drop Links Here");

  check_fits (GTK_WIDGET (window), language, "empty");

  fill_queue (haul_window_get_queue (window), folder);
  haul_ui_spin (300);
  check_fits (GTK_WIDGET (window), language, "rows");

  entry = find_search_entry (GTK_WIDGET (window));
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "no such download");
  haul_ui_spin (300);
  check_fits (GTK_WIDGET (window), language, "no-results");
  gtk_editable_set_text (GTK_EDITABLE (entry), "");

  dialog = haul_window_show_add_dialog (window, NULL);
  text_view = GTK_TEXT_VIEW (find_text_view (GTK_WIDGET (dialog)));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (text_view),
                            "https://example.org/a.iso ftp://old.example.org/pub/file.iso", -1);
  haul_ui_spin (400);
  check_fits (GTK_WIDGET (dialog), language, "add-dialog");
  gtk_window_destroy (GTK_WINDOW (dialog));

  haul_ui_stop_application (app, window);

  /* Every case needs at most NARROW px; the list names those that need more. */
  g_assert_cmpstr (too_wide->str, ==, "");
}

static void
test_language (gconstpointer data)
{
  const char *language = data;

  if (g_test_subprocess ())
    {
      g_autofree char *data_home = g_build_filename (g_get_tmp_dir (), "haul-narrow-XXXXXX", NULL);

      /* A download list of its own, not the previous language's. */
      g_assert_nonnull (g_mkdtemp (data_home));
      g_setenv ("XDG_DATA_HOME", data_home, TRUE);
      /* GTK's init sets the locale from the environment again: without
       * LANG there it would be "C", where gettext ignores LANGUAGE. */
      g_setenv ("LC_ALL", "C.UTF-8", TRUE);
      g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
      bindtextdomain (GETTEXT_PACKAGE, HAUL_BUILD_LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
      too_wide = g_string_new (NULL);
      measure_language (language);
      g_string_free (too_wide, TRUE);
      return;
    }

  /* LANGUAGE is ignored in the plain C locale: C.UTF-8 above. */
  g_setenv ("LANGUAGE", language, TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDOUT
                                                     | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("LANGUAGE");
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  /* Set before GTK reads it, for the subprocess. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("haul");

  g_test_add_data_func ("/haul/ui/narrow/en", "en", test_language);
  g_test_add_data_func ("/haul/ui/narrow/de", "de", test_language);
  g_test_add_data_func ("/haul/ui/narrow/es", "es", test_language);

  return g_test_run ();
}
