/* row-fixture.c: one download's row in a window of its own, for the row tests
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "haul-download-private.h"
#include "haul-download-row.h"
#include "row-fixture.h"
#include "ui-test-util.h"

/* ------------------------------------------------------------------ */
/* The layout probe                                                    */

G_DEFINE_FINAL_TYPE (TestProbe, test_probe, GTK_TYPE_WIDGET)

static void
test_probe_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  TEST_PROBE (widget)->n_measure++;
  gtk_widget_measure (gtk_widget_get_first_child (widget), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
test_probe_size_allocate (GtkWidget *widget,
                          int        width,
                          int        height,
                          int        baseline)
{
  TEST_PROBE (widget)->n_allocate++;
  gtk_widget_allocate (gtk_widget_get_first_child (widget), width, height, baseline, NULL);
}

static void
test_probe_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (test_probe_parent_class)->dispose (object);
}

static void
test_probe_class_init (TestProbeClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = test_probe_dispose;
  GTK_WIDGET_CLASS (klass)->measure = test_probe_measure;
  GTK_WIDGET_CLASS (klass)->size_allocate = test_probe_size_allocate;
}

static void
test_probe_init (TestProbe *self)
{
}

static GtkWidget *
test_probe_new (GtkWidget *child)
{
  GtkWidget *probe = g_object_new (TEST_TYPE_PROBE, NULL);

  gtk_widget_set_parent (child, probe);
  return probe;
}

static void
test_probe_reset (TestProbe *probe)
{
  probe->n_measure = probe->n_allocate = 0;
}

char *
plain_spaces (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text != NULL ? text : "(null)", "\u00a0", -1);

  return g_strjoinv (" ", parts);
}

static gboolean
mapped_check (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

void
wait_mapped (GtkWidget *widget)
{
  haul_ui_wait_for (mapped_check, widget, TIMEOUT_MS);
  g_assert_true (gtk_widget_get_mapped (widget));
}

/* ------------------------------------------------------------------ */
/* Looking at a row                                                    */

gboolean
is_type (GtkWidget *widget,
         gpointer   type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

gboolean
has_action (GtkWidget *widget,
            gpointer   action)
{
  return GTK_IS_ACTIONABLE (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

HaulProgressBar *
row_bar (GtkWidget *row)
{
  return HAUL_PROGRESS_BAR (haul_ui_find (row, is_type, GSIZE_TO_POINTER (HAUL_TYPE_PROGRESS_BAR)));
}

gboolean
row_bar_shown (GtkWidget *row)
{
  return gtk_widget_get_visible (GTK_WIDGET (row_bar (row)));
}

gboolean
row_button_shown (GtkWidget  *row,
                  const char *action)
{
  GtkWidget *button = haul_ui_find (row, has_action, (gpointer) action);

  return button != NULL && gtk_widget_get_visible (button);
}

GtkWidget *
row_button (GtkWidget  *row,
            const char *action,
            const char *accessible_name)
{
  GtkWidget *button = haul_ui_find (row, has_action, (gpointer) action);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  /* Reached with Tab, like the row's other buttons. */
  g_assert_true (gtk_widget_get_focusable (button));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       accessible_name);
  return button;
}

/* ------------------------------------------------------------------ */
/* A window with one row                                               */

void
row_test_init (int    *argc,
               char ***argv)
{
  /* Untranslated English, with the C locale's formats. */
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (argc, argv, NULL);
  adw_init ();
  /* As the application does at startup (see haul_application_startup). */
  g_content_type_get_mime_dirs ();
}

static void
compute_size_cb (GdkToplevel     *toplevel,
                 GdkToplevelSize *size,
                 Fixture         *fixture)
{
  fixture->n_compute_size++;
}

void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  fixture->download = haul_download_new ("https://example.com/files/debian-12.iso",
                                         g_get_tmp_dir ());
  haul_download_set_file_name (fixture->download, "debian-12.iso");
  haul_download_set_content_type (fixture->download, "application/x-iso9660-image");

  fixture->row = haul_download_row_new ();
  haul_download_row_set_download (HAUL_DOWNLOAD_ROW (fixture->row), fixture->download);
  fixture->row_probe = TEST_PROBE (test_probe_new (fixture->row));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->row_probe));
  /* Something else in the window, as the list has other rows. */
  gtk_box_append (GTK_BOX (box), gtk_label_new ("another row"));
  fixture->window_probe = TEST_PROBE (test_probe_new (box));

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 640, 200);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->window_probe));
  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_mapped (fixture->row);
  g_signal_connect (gtk_native_get_surface (GTK_NATIVE (fixture->window)), "compute-size",
                    G_CALLBACK (compute_size_cb), fixture);
  haul_ui_spin (100);
}

void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_func (gtk_native_get_surface (GTK_NATIVE (fixture->window)),
                                        compute_size_cb, fixture);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  haul_ui_spin (20);
  g_assert_finalize_object (fixture->download);
}

void
reset_counts (Fixture *fixture)
{
  test_probe_reset (fixture->window_probe);
  test_probe_reset (fixture->row_probe);
  fixture->n_compute_size = 0;
}
