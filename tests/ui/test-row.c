/* test-row.c: one download's row, its words, and what a progress update costs
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/ui/run-with-display (Xvfb). The rows are bound to
 * HaulDownload objects whose states are set directly, as the queue sets
 * them; no network.
 */

#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "haul-checksum.h"
#include "haul-details-dialog.h"
#include "haul-download-private.h"
#include "haul-download-row.h"
#include "haul-progress-bar.h"
#include "haul-queue.h"
#include "haul-status-text.h"
#include "haul-test-ranges.h"
#include "haul-test-server.h"

#define TIMEOUT_MS 10000

/* ------------------------------------------------------------------ */
/* A layout probe: a bin that counts how often it is measured and
 * allocated. Put around a row (or as the window's child), it sees every
 * relayout that reaches it.                                           */

#define TEST_TYPE_PROBE (test_probe_get_type ())
G_DECLARE_FINAL_TYPE (TestProbe, test_probe, TEST, PROBE, GtkWidget)

struct _TestProbe
{
  GtkWidget parent_instance;
  guint     n_measure;
  guint     n_allocate;
};

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

/* g_format_size() puts a no-break space before the unit: compared as a
 * space. */
static char *
plain_spaces (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text != NULL ? text : "(null)", "\u00a0", -1);

  return g_strjoinv (" ", parts);
}

#define assert_words(text, expected) \
  G_STMT_START { \
    g_autofree char *plain_ = plain_spaces (text); \
    g_assert_cmpstr (plain_, ==, (expected)); \
  } G_STMT_END

/* ------------------------------------------------------------------ */
/* Bounded waiting                                                     */

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  guint wake = g_timeout_add (5, wake_cb, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

static void
wait_mapped (GtkWidget *widget)
{
  gint64 end = g_get_monotonic_time () + TIMEOUT_MS * 1000;
  guint wake = g_timeout_add (10, wake_cb, NULL);

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  g_assert_true (gtk_widget_get_mapped (widget));
}

/* ------------------------------------------------------------------ */
/* Looking at a row                                                    */

typedef gboolean (*Match) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find_widget (GtkWidget     *root,
             Match          match,
             gconstpointer  data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_type (GtkWidget     *widget,
         gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

static gboolean
has_action (GtkWidget     *widget,
            gconstpointer  action)
{
  return GTK_IS_ACTIONABLE (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static gboolean
has_icon (GtkWidget     *widget,
          gconstpointer  icon_name)
{
  const char *name = NULL;

  if (GTK_IS_BUTTON (widget))
    name = gtk_button_get_icon_name (GTK_BUTTON (widget));
  else if (GTK_IS_MENU_BUTTON (widget))
    name = gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget));
  return g_strcmp0 (name, icon_name) == 0;
}

static const char *
row_status (GtkWidget *row)
{
  GtkWidget *status = find_widget (row, has_css_class, "download-status");

  g_assert_true (GTK_IS_INSCRIPTION (status));
  return gtk_inscription_get_text (GTK_INSCRIPTION (status));
}

/* The failed row's reason, where the bar was; NULL when not shown. */
static const char *
row_message (GtkWidget *row)
{
  GtkWidget *message = find_widget (row, has_css_class, "download-message");

  g_assert_nonnull (message);
  return gtk_widget_get_visible (message) ? gtk_label_get_label (GTK_LABEL (message)) : NULL;
}

static HaulProgressBar *
row_bar (GtkWidget *row)
{
  return HAUL_PROGRESS_BAR (find_widget (row, is_type, GSIZE_TO_POINTER (HAUL_TYPE_PROGRESS_BAR)));
}

static gboolean
row_bar_shown (GtkWidget *row)
{
  return gtk_widget_get_visible (GTK_WIDGET (row_bar (row)));
}

static gboolean
row_button_shown (GtkWidget  *row,
                  const char *action)
{
  GtkWidget *button = find_widget (row, has_action, action);

  return button != NULL && gtk_widget_get_visible (button);
}

/* The visible button for @action, with the accessible name a screen
 * reader says. */
static GtkWidget *
row_button (GtkWidget  *row,
            const char *action,
            const char *accessible_name)
{
  GtkWidget *button = find_widget (row, has_action, action);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  /* Reached with Tab, like the row's other buttons. */
  g_assert_true (gtk_widget_get_focusable (button));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       accessible_name);
  return button;
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
/* A window with one row                                               */

typedef struct
{
  GtkWidget    *window;
  TestProbe    *window_probe;   /* the window's child */
  TestProbe    *row_probe;      /* around the row */
  GtkWidget    *row;
  HaulDownload *download;
  guint         n_compute_size;
} Fixture;

static void
compute_size_cb (GdkToplevel     *toplevel,
                 GdkToplevelSize *size,
                 Fixture         *fixture)
{
  fixture->n_compute_size++;
}

static void
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
  spin (100);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_func (gtk_native_get_surface (GTK_NATIVE (fixture->window)),
                                        compute_size_cb, fixture);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  spin (20);
  g_assert_finalize_object (fixture->download);
}

static void
reset_counts (Fixture *fixture)
{
  test_probe_reset (fixture->window_probe);
  test_probe_reset (fixture->row_probe);
  fixture->n_compute_size = 0;
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
  spin (200);
  first_status = g_strdup (row_status (fixture->row));
  first_fraction = haul_progress_bar_get_fraction (row_bar (fixture->row));
  reset_counts (fixture);

  /* 9 MB/s, one update every 20 ms (faster than the queue's flushes);
   * every 500 ms a new status text. */
  for (int i = 1; i <= 100; i++)
    {
      haul_download_update_progress (d, 1000000 + (gint64) i * 9000000 / 50, total,
                                     t + (gint64) i * 20000);
      spin (20);
    }
  spin (600);

  g_test_message ("after 100 updates: window measured %u, allocated %u; row measured %u, "
                  "allocated %u; toplevel sized %u times",
                  fixture->window_probe->n_measure, fixture->window_probe->n_allocate,
                  fixture->row_probe->n_measure, fixture->row_probe->n_allocate,
                  fixture->n_compute_size);

  /* It did change: a later fraction, a new text with a speed. */
  g_assert_cmpfloat (haul_progress_bar_get_fraction (row_bar (fixture->row)), >, first_fraction);
  g_assert_cmpstr (row_status (fixture->row), !=, first_status);
  g_assert_nonnull (strstr (row_status (fixture->row), "/s"));

  g_assert_cmpuint (fixture->window_probe->n_measure, ==, 0);
  g_assert_cmpuint (fixture->window_probe->n_allocate, ==, 0);
  g_assert_cmpuint (fixture->row_probe->n_measure, ==, 0);
  g_assert_cmpuint (fixture->row_probe->n_allocate, ==, 0);
  g_assert_cmpuint (fixture->n_compute_size, ==, 0);

  /* The size unknown: the bar pulses, still without a relayout. */
  haul_download_update_progress (d, 5000000, -1, t + 3 * G_USEC_PER_SEC);
  spin (700);
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
  spin (50);
  g_assert_true (row_bar_shown (row));
  g_assert_cmpfloat_with_epsilon (haul_progress_bar_get_fraction (row_bar (row)),
                                  5.6 / 21.0, 1e-9);
  assert_words (row_status (row), "5.6 MB of 21.0 MB");
  g_assert_true (row_button_shown (row, "row.pause"));
  g_assert_true (row_button_shown (row, "row.cancel"));
  g_assert_false (row_button_shown (row, "row.open"));

  /* Paused: what it has, Resume. */
  haul_download_set_state (d, HAUL_DOWNLOAD_PAUSED);
  spin (50);
  g_assert_true (row_bar_shown (row));
  assert_words (row_status (row), "Paused · 5.6 MB of 21.0 MB");
  g_assert_true (row_button_shown (row, "row.resume"));
  g_assert_false (row_button_shown (row, "row.pause"));

  /* Failed: no bar; why, where the bar was; what it has. */
  haul_download_set_error_message (d, "The connection closed after 5.6 MB of 21.0 MB");
  haul_download_set_state (d, HAUL_DOWNLOAD_FAILED);
  spin (50);
  g_assert_false (row_bar_shown (row));
  assert_words (row_message (row), "The connection closed after 5.6 MB of 21.0 MB");
  assert_words (row_status (row), "Failed · 5.6 MB of 21.0 MB");
  g_assert_true (row_button_shown (row, "row.retry"));
  g_assert_false (row_button_shown (row, "row.open"));

  /* Completed: no bar; size and when. */
  haul_download_set_progress (d, 21000000, 21000000, 0, -1);
  haul_download_set_finished (d, finished);
  haul_download_set_state (d, HAUL_DOWNLOAD_COMPLETED);
  spin (50);
  g_assert_false (row_bar_shown (row));
  g_assert_null (row_message (row));
  expected = g_strdup_printf ("Completed · 21.0 MB · %s", clock);
  assert_words (row_status (row), expected);
  g_assert_true (row_button_shown (row, "row.open"));
  g_assert_true (row_button_shown (row, "row.show-in-folder"));

  /* Removing is "Remove from List", in the row's menu: no trash can that
   * reads as deleting the file. */
  g_assert_null (find_widget (row, has_icon, "user-trash-symbolic"));
  g_assert_null (find_widget (row, has_action, "row.remove"));
  menu_button = find_widget (row, is_type, GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON));
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
  spin (50);
  g_assert_cmpstr (row_status (row), ==, "File missing");
  g_assert_true (gtk_widget_has_css_class (find_widget (row, has_css_class, "download-status"),
                                           "warning"));
}

static gboolean
is_details_dialog (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (HAUL_IS_DETAILS_DIALOG (window))
        {
          *(HaulDetailsDialog **) data = HAUL_DETAILS_DIALOG (window);
          return TRUE;
        }
    }
  return FALSE;
}

static HaulDetailsDialog *
open_details (GtkWidget *row)
{
  HaulDetailsDialog *dialog = NULL;
  gint64 end = g_get_monotonic_time () + TIMEOUT_MS * 1000;

  g_assert_true (gtk_widget_activate_action (row, "row.details", NULL));
  while (!is_details_dialog (&dialog) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (dialog);
  wait_mapped (GTK_WIDGET (dialog));
  return dialog;
}

/* Details: everything known, errors whole, kept up to date; Alt+Return
 * and the menu reach it, Escape closes it. */
static void
test_details (Fixture       *fixture,
              gconstpointer  data)
{
  HaulDownload *d = fixture->download;
  g_autoptr(GDateTime) created = g_date_time_new_local (2026, 11, 12, 9, 30, 0);
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "debian-12.iso", NULL);
  const char *long_error =
    "The server answered 503 Service Unavailable: the mirror is being synchronised and "
    "refuses downloads until it is done, which it says takes about an hour; try another mirror";
  HaulDetailsDialog *dialog;

  haul_download_set_created (d, created);
  haul_download_set_final_uri (d, "https://mirror.example.org/debian/debian-12.iso");
  haul_download_set_state (d, HAUL_DOWNLOAD_DOWNLOADING);
  haul_download_set_progress (d, 5600000, 21000000, 0, -1);
  spin (50);

  dialog = open_details (fixture->row);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog))
                 == GTK_WINDOW (fixture->window));
  g_assert_cmpstr (haul_details_dialog_get_field (dialog, "address"), ==,
                   "https://example.com/files/debian-12.iso");
  g_assert_cmpstr (haul_details_dialog_get_field (dialog, "final-address"), ==,
                   "https://mirror.example.org/debian/debian-12.iso");
  g_assert_cmpstr (haul_details_dialog_get_field (dialog, "name"), ==, "debian-12.iso");
  g_assert_cmpstr (haul_details_dialog_get_field (dialog, "location"), ==, path);
  assert_words (haul_details_dialog_get_field (dialog, "size"),
                "21.0 MB (21000000 bytes); 5.6 MB of 21.0 MB so far");
  g_assert_nonnull (strstr (haul_details_dialog_get_field (dialog, "type"),
                            "(application/x-iso9660-image)"));
  g_assert_cmpstr (haul_details_dialog_get_field (dialog, "added"), ==, "12 November 2026, 09:30");
  g_assert_null (haul_details_dialog_get_field (dialog, "finished"));
  g_assert_null (haul_details_dialog_get_field (dialog, "problem"));
  g_assert_cmpstr (haul_details_dialog_get_field (dialog, "checksum"), ==, "None known");

  /* Sent by the browser extension: the details say so. */
  haul_download_set_from_browser (d, TRUE);
  g_assert_cmpstr (haul_details_dialog_get_field (dialog, "added"), ==,
                   "12 November 2026, 09:30, from the browser");
  haul_download_set_from_browser (d, FALSE);

  /* A checksum from the server, then verified. */
  {
    g_autoptr(GError) error = NULL;
    HaulChecksumSpec *spec = haul_checksum_spec_parse_full (
      "sha-256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      HAUL_CHECKSUM_SOURCE_REPR_DIGEST, NULL, &error);

    g_assert_no_error (error);
    haul_download_set_checksum (d, spec);
    haul_download_set_checksum_state (d, HAUL_CHECKSUM_PENDING);
    haul_checksum_spec_free (spec);
  }
  g_assert_cmpstr (haul_details_dialog_get_field (dialog, "checksum"), ==,
                   "Checked when the download is complete\n"
                   "SHA-256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08, "
                   "from the server’s Repr-Digest header");
  haul_download_set_checksum_state (d, HAUL_CHECKSUM_VERIFIED);
  g_assert_true (g_str_has_prefix (haul_details_dialog_get_field (dialog, "checksum"),
                                   "SHA-256 verified\n"));

  /* Bytes arriving show on a half-second beat. */
  haul_download_set_progress (d, 7000000, 21000000, 0, -1);
  spin (700);
  assert_words (haul_details_dialog_get_field (dialog, "size"),
                "21.0 MB (21000000 bytes); 7.0 MB of 21.0 MB so far");

  /* It fails while open: the whole reason, not cut. */
  haul_download_set_error_message (d, long_error);
  haul_download_set_state (d, HAUL_DOWNLOAD_FAILED);
  g_assert_cmpstr (haul_details_dialog_get_field (dialog, "problem"), ==, long_error);
  assert_words (haul_details_dialog_get_field (dialog, "status"), "Failed · 7.0 MB of 21.0 MB");

  /* A problem the download does not keep, such as a failed Open. */
  haul_details_dialog_set_extra_problem (dialog, "Could not open: no app for ISO images");
  g_assert_nonnull (strstr (haul_details_dialog_get_field (dialog, "problem"),
                            "no app for ISO images"));

  /* Before the first answer there is a folder, not a file. */
  {
    g_autoptr(HaulDownload) unnamed = haul_download_new ("https://example.com/later",
                                                         g_get_tmp_dir ());
    GtkWidget *other = haul_details_dialog_new (NULL, unnamed);

    g_assert_null (haul_details_dialog_get_field (HAUL_DETAILS_DIALOG (other), "location"));
    g_assert_cmpstr (haul_details_dialog_get_field (HAUL_DETAILS_DIALOG (other), "folder"), ==,
                     g_get_tmp_dir ());
    g_assert_cmpstr (haul_details_dialog_get_field (HAUL_DETAILS_DIALOG (other), "type"), ==,
                     "None given");
    gtk_window_destroy (GTK_WINDOW (other));
  }
  g_assert_null (haul_details_dialog_get_field (dialog, "folder"));

  /* Escape closes it. */
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  spin (100);
  g_assert_null (dialog);

  /* Alt+Return on the row is bound to the same action. */
  {
    GtkShortcutController *found = NULL;
    GListModel *controllers = gtk_widget_observe_controllers (fixture->row);

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && found == NULL; i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_SHORTCUT_CONTROLLER (controller))
          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
            {
              g_autoptr(GtkShortcut) shortcut = NULL;
              GtkShortcutTrigger *trigger;
              GtkShortcutAction *action;

              shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
              trigger = gtk_shortcut_get_trigger (shortcut);
              action = gtk_shortcut_get_action (shortcut);

              if (GTK_IS_KEYVAL_TRIGGER (trigger)
                  && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_Return
                  && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == GDK_ALT_MASK
                  && GTK_IS_NAMED_ACTION (action)
                  && g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                                  "row.details"))
                found = GTK_SHORTCUT_CONTROLLER (controller);
            }
      }
    g_object_unref (controllers);
    g_assert_nonnull (found);
  }
}

static gboolean
wait_cond (Match          match,
           GtkWidget     *widget,
           gconstpointer  data,
           guint          timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint wake = g_timeout_add (10, wake_cb, NULL);
  gboolean ok;

  while (!(ok = match (widget, data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return ok;
}

static gboolean
status_is_not (GtkWidget     *row,
               gconstpointer  text)
{
  return g_strcmp0 (row_status (row), text) != 0;
}

/* The row's next status text (within 1.5 s), with plain spaces. */
static char *
next_status (GtkWidget *row)
{
  g_autofree char *before = g_strdup (row_status (row));

  g_assert_true (wait_cond (status_is_not, row, before, 1500));
  return plain_spaces (row_status (row));
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
  spin (100);
  row_button (row, "row.retry-now", "Retry Now");
  g_assert_false (row_button_shown (row, "row.start-now"));
  g_assert_true (row_bar_shown (row));
  first = plain_spaces (row_status (row));
  g_assert_cmpstr (first, ==, "Server busy · retrying in 6 s · 5.6 MB of 21.0 MB");
  spin (200);
  reset_counts (fixture);

  second = next_status (row);
  g_test_message ("after one tick: toplevel sized %u", fixture->n_compute_size);
  g_assert_cmpstr (second, ==, "Server busy · retrying in 5 s · 5.6 MB of 21.0 MB");
  third = next_status (row);
  g_assert_cmpstr (third, ==, "Server busy · retrying in 4 s · 5.6 MB of 21.0 MB");
  spin (100);

  g_test_message ("2 ticks: window measured %u, allocated %u; toplevel sized %u times",
                  fixture->window_probe->n_measure, fixture->window_probe->n_allocate,
                  fixture->n_compute_size);
  g_assert_cmpuint (fixture->window_probe->n_measure, ==, 0);
  g_assert_cmpuint (fixture->window_probe->n_allocate, ==, 0);
  g_assert_cmpuint (fixture->row_probe->n_allocate, ==, 0);
  g_assert_cmpuint (fixture->n_compute_size, ==, 0);

  /* Off screen, no timer; back, the count is right at once. */
  gtk_widget_set_visible (row, FALSE);
  spin (50);
  gtk_widget_set_visible (row, TRUE);
  spin (50);
  assert_words (row_status (row), "Server busy · retrying in 4 s · 5.6 MB of 21.0 MB");

  /* The other waits: words, no countdown, no Retry Now. */
  haul_download_set_waiting (d, HAUL_WAITING_NETWORK, 0);
  spin (50);
  assert_words (row_status (row), "Waiting for the network · 5.6 MB of 21.0 MB");
  g_assert_false (row_button_shown (row, "row.retry-now"));
  haul_download_set_waiting (d, HAUL_WAITING_SCHEDULE, 0);
  spin (50);
  assert_words (row_status (row), "Waiting for the scheduled hours · 5.6 MB of 21.0 MB");
  haul_download_set_waiting (d, HAUL_WAITING_DAEMON, 0);
  spin (50);
  assert_words (row_status (row), "The download engine cannot be reached · 5.6 MB of 21.0 MB");
  haul_download_set_waiting (d, HAUL_WAITING_METERED, 0);
  spin (50);
  assert_words (row_status (row), "Waiting for an unmetered connection · 5.6 MB of 21.0 MB");
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
  spin (50);
  g_assert_true (row_bar_shown (row));
  g_assert_cmpfloat_with_epsilon (haul_progress_bar_get_fraction (row_bar (row)), 0.25, 1e-9);
  assert_words (row_status (row), "Verifying · 25 %");

  haul_download_set_checksum_progress (d, 0.5);
  spin (700);
  g_assert_cmpfloat_with_epsilon (haul_progress_bar_get_fraction (row_bar (row)), 0.5, 1e-9);
  assert_words (row_status (row), "Verifying · 50 %");

  haul_download_set_checksum_progress (d, 1.0);
  haul_download_set_checksum_state (d, HAUL_CHECKSUM_VERIFIED);
  haul_download_set_finished (d, finished);
  haul_download_set_state (d, HAUL_DOWNLOAD_COMPLETED);
  spin (50);
  g_assert_false (row_bar_shown (row));
  expected = g_strdup_printf ("Completed · SHA-256 verified · 21.0 MB · %s", clock);
  assert_words (row_status (row), expected);
}

typedef struct
{
  GBytes *body;
  gint    n_connections;  /* (atomic) */
} Busy;

/* The first answer is "busy, come back in a minute", then the file. */
static void
busy_handler (GSocketConnection *connection,
              const char        *head,
              gpointer           user_data)
{
  Busy *busy = user_data;
  HaulTestRawAnswer later = { .status = 503, .extra_headers = "Retry-After: 60\r\n" };
  HaulTestRawAnswer correct = { .etag = "\"r1\"" };

  haul_test_raw_answer (connection, head, busy->body,
                        g_atomic_int_add (&busy->n_connections, 1) == 0 ? &later : &correct);
}

static gboolean
has_state (GtkWidget     *row,
           gconstpointer  state)
{
  HaulDownload *download = haul_download_row_get_download (HAUL_DOWNLOAD_ROW (row));

  return haul_download_get_state (download) == (HaulDownloadState) GPOINTER_TO_INT (state);
}

static gboolean
is_server_busy (GtkWidget     *row,
                gconstpointer  data)
{
  HaulDownload *download = haul_download_row_get_download (HAUL_DOWNLOAD_ROW (row));

  return haul_download_get_waiting (download) == HAUL_WAITING_SERVER_BUSY;
}

/* The row on a real queue: a server busy for a minute; Retry Now, pressed
 * on the row, fetches the file at once. */
static void
test_retry_now (Fixture       *fixture,
                gconstpointer  data)
{
  Busy busy = { haul_test_make_bytes (200 * 1024, 7), 0 };
  HaulTestRawServer *raw = haul_test_raw_server_new (busy_handler, &busy);
  g_autofree char *dir = haul_test_make_tmpdir ();
  g_autofree char *uri = haul_test_raw_server_uri (raw, "/busy.bin");
  g_autoptr(GError) error = NULL;
  HaulQueue *queue = haul_queue_new (NULL);
  GtkWidget *row = fixture->row;
  HaulDownload *download;
  g_autofree char *path = NULL;
  GtkWidget *button;
  gint64 pressed;

  download = haul_queue_add (queue, uri, dir, &error);
  g_assert_no_error (error);
  haul_download_row_set_queue (HAUL_DOWNLOAD_ROW (row), queue);
  haul_download_row_set_download (HAUL_DOWNLOAD_ROW (row), download);

  g_assert_true (wait_cond (is_server_busy, row, NULL, TIMEOUT_MS));
  spin (50);
  g_assert_true (g_str_has_prefix (row_status (row), "Server busy · retrying in "));
  button = row_button (row, "row.retry-now", "Retry Now");

  pressed = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (wait_cond (has_state, row, GINT_TO_POINTER (HAUL_DOWNLOAD_COMPLETED), 5000));
  g_test_message ("completed %.2f s after Retry Now", (g_get_monotonic_time () - pressed) / 1e6);
  g_assert_cmpint (g_get_monotonic_time () - pressed, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (g_atomic_int_get (&busy.n_connections), ==, 2);
  path = haul_download_dup_path (download);
  g_assert_true (haul_test_file_equals (path, busy.body));
  spin (50);
  g_assert_true (g_str_has_prefix (row_status (row), "Completed · "));
  g_assert_false (row_button_shown (row, "row.retry-now"));

  haul_download_row_set_download (HAUL_DOWNLOAD_ROW (row), fixture->download);
  haul_download_row_set_queue (HAUL_DOWNLOAD_ROW (row), NULL);
  haul_queue_shutdown (queue);
  g_assert_finalize_object (queue);
  haul_test_raw_server_free (raw);
  haul_test_remove_tree (dir);
  g_bytes_unref (busy.body);
}

/* Waiting for an unmetered connection: Download Anyway on the row starts
 * it (even in a queue that holds everything else). */
static void
test_download_anyway (Fixture       *fixture,
                      gconstpointer  data)
{
  HaulTestServer *server = haul_test_server_new ();
  g_autoptr(GBytes) body = haul_test_make_bytes (100 * 1024, 9);
  g_autofree char *dir = haul_test_make_tmpdir ();
  g_autofree char *uri = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  HaulQueue *queue = haul_queue_new (NULL);
  GtkWidget *row = fixture->row;
  HaulDownload *download;

  haul_test_server_add_file (server, "/big.iso", body, NULL);
  uri = haul_test_server_uri (server, "/big.iso");
  /* Held, nothing starts by itself; the engine says why it waits. */
  haul_queue_set_held (queue, TRUE);
  download = haul_queue_add (queue, uri, dir, &error);
  g_assert_no_error (error);
  haul_download_set_waiting (download, HAUL_WAITING_METERED, 0);
  haul_download_row_set_queue (HAUL_DOWNLOAD_ROW (row), queue);
  haul_download_row_set_download (HAUL_DOWNLOAD_ROW (row), download);
  spin (50);
  g_assert_cmpstr (row_status (row), ==, "Waiting for an unmetered connection");

  g_assert_true (gtk_widget_activate (row_button (row, "row.start-now", "Download Anyway")));
  g_assert_true (wait_cond (has_state, row, GINT_TO_POINTER (HAUL_DOWNLOAD_COMPLETED), 5000));
  path = haul_download_dup_path (download);
  g_assert_true (haul_test_file_equals (path, body));
  spin (50);
  g_assert_false (row_button_shown (row, "row.start-now"));

  haul_download_row_set_download (HAUL_DOWNLOAD_ROW (row), fixture->download);
  haul_download_row_set_queue (HAUL_DOWNLOAD_ROW (row), NULL);
  haul_queue_shutdown (queue);
  g_assert_finalize_object (queue);
  haul_test_server_free (server);
  haul_test_remove_tree (dir);
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
  /* Untranslated English, with the C locale's formats. */
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  adw_init ();
  /* As the application does at startup (see haul_application_startup). */
  g_content_type_get_mime_dirs ();

  g_test_add_func ("/haul/ui/row/status-text", test_status_text);
  g_test_add_func ("/haul/ui/row/status-waiting", test_status_waiting);
  g_test_add_func ("/haul/ui/row/status-checksum", test_status_checksum);
  g_test_add ("/haul/ui/row/countdown-no-relayout", Fixture, NULL,
              fixture_setup, test_countdown_no_relayout, fixture_teardown);
  g_test_add ("/haul/ui/row/verifying", Fixture, NULL, fixture_setup, test_verifying,
              fixture_teardown);
  g_test_add ("/haul/ui/row/retry-now", Fixture, NULL, fixture_setup, test_retry_now,
              fixture_teardown);
  g_test_add ("/haul/ui/row/download-anyway", Fixture, NULL, fixture_setup,
              test_download_anyway, fixture_teardown);
  g_test_add ("/haul/ui/row/progress-no-relayout", Fixture, NULL,
              fixture_setup, test_progress_no_relayout, fixture_teardown);
  g_test_add ("/haul/ui/row/states", Fixture, NULL, fixture_setup, test_states, fixture_teardown);
  g_test_add ("/haul/ui/row/details", Fixture, NULL, fixture_setup, test_details, fixture_teardown);

  return g_test_run ();
}
