/* test-window-list.c: the window's list, as a person narrows, orders and uses it
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/ui/run-with-display (Xvfb, private D-Bus session), the
 * real application with a real queue, downloads from a real server on
 * 127.0.0.1: filters and search, the order of the rows and what is
 * selected, the header's counts, toasts clear of the rows, addresses
 * offered from the clipboard, a finished row dragged out as its file.
 * The window's basics are test-window.c's.
 */

#include "config.h"

#include <adwaita.h>

#include "haul-application.h"
#include "haul-download-private.h"
#include "haul-download-row.h"
#include "haul-fake-desktop.h"
#include "haul-list-slot.h"
#include "haul-test-server.h"
#include "haul-window.h"
#include "ui-app-fixture.h"
#include "ui-test-util.h"

#define TIMEOUT_MS 20000

static HaulUiApp ui;

/* ------------------------------------------------------------------ */
/* Looking at the window                                               */

static GtkWidget *
find_row (HaulDownload *download)
{
  return haul_ui_find_row (GTK_WIDGET (ui.window), download);
}

static gboolean
row_mapped_check (gpointer download)
{
  return find_row (download) != NULL;
}

/* The list shows a filter's result through row widgets it keeps: the one
 * that showed a download leaves the screen a frame after the model. */
static gboolean
row_unmapped_check (gpointer download)
{
  return find_row (download) == NULL;
}

static gboolean
is_mapped_status_page_check (gpointer title)
{
  return haul_ui_find_status_page (GTK_WIDGET (ui.window), title) != NULL;
}

static HaulDownload *
find_download (const char *uri)
{
  return haul_ui_find_download (haul_application_get_queue (ui.app), uri);
}

static gboolean
download_check (gpointer uri)
{
  return find_download (uri) != NULL;
}

/* ------------------------------------------------------------------ */
/* Filters and search                                                  */


static gboolean
is_search_entry (GtkWidget *widget,
                 gpointer   data)
{
  return GTK_IS_SEARCH_ENTRY (widget);
}

typedef struct
{
  guint n;
} CountRows;

static gboolean
count_rows_cb (GtkWidget *widget,
               gpointer   data)
{
  if (HAUL_IS_DOWNLOAD_ROW (widget) && gtk_widget_get_mapped (widget)
      && haul_download_row_get_download (HAUL_DOWNLOAD_ROW (widget)) != NULL)
    ((CountRows *) data)->n++;
  return FALSE;
}

static guint
count_mapped_rows (void)
{
  CountRows count = { 0 };

  haul_ui_find (GTK_WIDGET (ui.window), count_rows_cb, &count);
  return count.n;
}

static gboolean
shown_rows_check (gpointer expected)
{
  return count_mapped_rows () == GPOINTER_TO_UINT (expected);
}

/* Filters and search narrow the list; a finished file that went missing
 * says so and cannot be opened. */
static void
test_filter_search_missing (void)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (8 * 1024, 13);
  g_autofree char *folder = g_build_filename (g_get_home_dir (), "Downloads", NULL);
  g_autofree char *uri = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(GError) error = NULL;
  HaulQueue *queue = haul_application_get_queue (ui.app);
  HaulDownload *done;
  HaulDownload *failed;
  GtkWidget *entry;
  GtkWidget *row;

  /* A short list: one completed, one failed. */
  g_ptr_array_unref (haul_queue_remove_finished (queue));
  while (g_list_model_get_n_items (G_LIST_MODEL (queue)) > 0)
    {
      g_autoptr(HaulDownload) d = g_list_model_get_item (G_LIST_MODEL (queue), 0);
      haul_queue_cancel (queue, d);
      haul_queue_remove (queue, d);
    }

  haul_test_server_add_file (ui.server, "/filter/kept-notes.txt", body, NULL);
  haul_test_server_add_status (ui.server, "/filter/gone.iso", 410);
  uri = haul_test_server_uri (ui.server, "/filter/kept-notes.txt");
  bad = haul_test_server_uri (ui.server, "/filter/gone.iso");
  done = haul_queue_add (queue, uri, folder, &error);
  g_assert_no_error (error);
  failed = haul_queue_add (queue, bad, folder, &error);
  g_assert_no_error (error);
  g_assert_true (haul_ui_wait_state (done, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_state (failed, HAUL_DOWNLOAD_FAILED, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_for (shown_rows_check, GUINT_TO_POINTER (2), TIMEOUT_MS));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.filter", "s", "failed"));
  g_assert_true (haul_ui_wait_for (shown_rows_check, GUINT_TO_POINTER (1), TIMEOUT_MS));
  g_assert_nonnull (find_row (failed));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.filter", "s",
                                             "finished"));
  g_assert_true (haul_ui_wait_for (row_mapped_check, done, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_for (row_unmapped_check, failed, TIMEOUT_MS));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.filter", "s", "active"));
  g_assert_true (haul_ui_wait_for (is_mapped_status_page_check, (gpointer) "No Matching Downloads",
                                   TIMEOUT_MS));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.filter", "s", "all"));
  g_assert_true (haul_ui_wait_for (shown_rows_check, GUINT_TO_POINTER (2), TIMEOUT_MS));

  /* Search by name, then by a piece of the address. */
  entry = haul_ui_find (GTK_WIDGET (ui.window), is_search_entry, NULL);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "NOTES");
  g_assert_true (haul_ui_wait_for (shown_rows_check, GUINT_TO_POINTER (1), TIMEOUT_MS));
  g_assert_nonnull (find_row (done));
  gtk_editable_set_text (GTK_EDITABLE (entry), "gone.iso");
  /* The search applies after the entry's pause: wait for the other row. */
  g_assert_true (haul_ui_wait_for (row_mapped_check, failed, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_for (shown_rows_check, GUINT_TO_POINTER (1), TIMEOUT_MS));
  g_assert_true (haul_ui_wait_for (row_unmapped_check, done, TIMEOUT_MS));
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_true (haul_ui_wait_for (shown_rows_check, GUINT_TO_POINTER (2), TIMEOUT_MS));

  /* One kind at a time: a text is a document, a disk image a program. */
  g_assert_cmpint (haul_download_get_category (done), ==, HAUL_CATEGORY_DOCUMENTS);
  g_assert_cmpint (haul_download_get_category (failed), ==, HAUL_CATEGORY_PROGRAMS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.category", "s",
                                             "programs"));
  g_assert_true (haul_ui_wait_for (shown_rows_check, GUINT_TO_POINTER (1), TIMEOUT_MS));
  g_assert_nonnull (find_row (failed));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.category", "s", "music"));
  g_assert_true (haul_ui_wait_for (is_mapped_status_page_check, (gpointer) "No Matching Downloads",
                                   TIMEOUT_MS));
  /* With the state filter: both must hold. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.category", "s",
                                             "documents"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.filter", "s", "failed"));
  g_assert_true (haul_ui_wait_for (is_mapped_status_page_check, (gpointer) "No Matching Downloads",
                                   TIMEOUT_MS));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.filter", "s", "all"));
  g_assert_true (haul_ui_wait_for (shown_rows_check, GUINT_TO_POINTER (1), TIMEOUT_MS));
  g_assert_nonnull (find_row (done));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.category", "s", "all"));
  g_assert_true (haul_ui_wait_for (shown_rows_check, GUINT_TO_POINTER (2), TIMEOUT_MS));

  /* The file went away behind Haul's back. */
  haul_download_set_file_missing (done, TRUE);
  haul_ui_spin (50);
  row = find_row (done);
  g_assert_cmpstr (haul_ui_row_status (row), ==, "File missing");
  g_assert_false (gtk_widget_is_sensitive (haul_ui_row_button (row, "Open")));
}

/* ------------------------------------------------------------------ */
/* The list's order, the header, toasts, the clipboard, dragging out   */

static void
empty_queue (void)
{
  HaulQueue *queue = haul_application_get_queue (ui.app);

  while (g_list_model_get_n_items (G_LIST_MODEL (queue)) > 0)
    {
      g_autoptr(HaulDownload) d = g_list_model_get_item (G_LIST_MODEL (queue), 0);

      haul_queue_cancel (queue, d);
      haul_queue_remove (queue, d);
    }
}

static gboolean
is_list_view (GtkWidget *widget,
              gpointer   data)
{
  return GTK_IS_LIST_VIEW (widget);
}

static GtkListView *
list_view (void)
{
  return haul_ui_find_list_view (GTK_WIDGET (ui.window));
}

/* The download shown at @position of the list, or NULL. */
static HaulDownload *
shown_at (guint position)
{
  GtkListView *view = list_view ();
  g_autoptr(HaulListSlot) slot = NULL;

  if (view == NULL)
    return NULL;
  slot = g_list_model_get_item (G_LIST_MODEL (gtk_list_view_get_model (view)), position);
  return slot != NULL ? haul_list_slot_get_download (slot) : NULL;
}

typedef struct
{
  HaulDownload *downloads[4];
} Order;

static gboolean
order_check (gpointer data)
{
  Order *order = data;

  for (guint i = 0; i < G_N_ELEMENTS (order->downloads) && order->downloads[i] != NULL; i++)
    if (shown_at (i) != order->downloads[i])
      return FALSE;

  return TRUE;
}

static gboolean
selected_check (gpointer download)
{
  GtkListView *view = list_view ();
  GtkSingleSelection *selection;
  HaulListSlot *slot;

  if (view == NULL)
    return FALSE;
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (view));
  slot = gtk_single_selection_get_selected_item (selection);
  return slot != NULL && haul_list_slot_get_download (slot) == download;
}

static HaulDownload *
add_download (const char *path,
              GBytes     *body,
              guint       bytes_per_second)
{
  g_autofree char *folder = g_build_filename (g_get_home_dir (), "Downloads", NULL);
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  HaulTestFileOptions options = { .bytes_per_second = bytes_per_second };
  HaulDownload *download;

  if (body != NULL)
    haul_test_server_add_file (ui.server, path, body, &options);
  else
    haul_test_server_add_status (ui.server, path, 404);
  uri = haul_test_server_uri (ui.server, path);
  download = haul_queue_add (haul_application_get_queue (ui.app), uri, folder, &error);
  g_assert_no_error (error);
  return download;
}

/* Unfinished downloads stay on top, each group in the order added; what
 * was just added is selected and scrolled to. */
static void
test_order_and_reveal (void)
{
  g_autoptr(GBytes) small = haul_test_make_bytes (8 * 1024, 21);
  g_autoptr(GBytes) big = haul_test_make_bytes (4 * 1024 * 1024, 22);
  g_autofree char *uri_list = NULL;
  g_autofree char *dropped_uri = NULL;
  HaulDownload *done, *failed, *slow, *dropped;
  Order order = { { NULL } };

  empty_queue ();
  done = add_download ("/order/done.bin", small, 0);
  failed = add_download ("/order/gone.bin", NULL, 0);
  g_assert_true (haul_ui_wait_state (done, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_state (failed, HAUL_DOWNLOAD_FAILED, TIMEOUT_MS));

  /* Added last, shown first: it is still downloading. */
  slow = add_download ("/order/slow.bin", big, 128 * 1024);
  order = (Order) { { slow, done, failed, NULL } };
  g_assert_true (haul_ui_wait_for (order_check, &order, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_for (selected_check, slow, TIMEOUT_MS));

  /* A drop: the new row is selected, below the other unfinished one. */
  haul_test_server_add_file (ui.server, "/order/dropped.bin", big,
                             &(HaulTestFileOptions) { .bytes_per_second = 128 * 1024 });
  dropped_uri = haul_test_server_uri (ui.server, "/order/dropped.bin");
  uri_list = g_strdup_printf ("%s\r\n", dropped_uri);
  haul_ui_drop_bytes (ui.window, "text/uri-list", uri_list, strlen (uri_list));
  g_assert_true (haul_ui_wait_for (download_check, dropped_uri, TIMEOUT_MS));
  dropped = find_download (dropped_uri);
  order = (Order) { { slow, dropped, done, failed } };
  g_assert_true (haul_ui_wait_for (order_check, &order, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_for (selected_check, dropped, TIMEOUT_MS));

  /* Cancelled, it is finished: it goes below the one still running. The
   * selection stays on the download, not on its old position. */
  haul_queue_cancel (haul_application_get_queue (ui.app), slow);
  order = (Order) { { dropped, done, failed, slow } };
  g_assert_true (haul_ui_wait_for (order_check, &order, TIMEOUT_MS));
  haul_ui_spin (200);
  g_assert_true (haul_ui_wait_for (selected_check, dropped, TIMEOUT_MS));

  /* A window opened on a list that is there already (after a restart)
   * selects nothing until something is added. */
  {
    HaulWindow *second = haul_window_new (GTK_APPLICATION (ui.app),
                                          haul_application_get_queue (ui.app), NULL);
    GtkListView *view = GTK_LIST_VIEW (haul_ui_find (GTK_WIDGET (second), is_list_view, NULL));

    g_assert_nonnull (view);
    g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (
                        gtk_list_view_get_model (view))), ==, GTK_INVALID_LIST_POSITION);
    gtk_window_destroy (GTK_WINDOW (second));
    haul_ui_spin (50);
  }
  empty_queue ();
}

static gboolean
is_button_with_action (GtkWidget *widget,
                       gpointer   action)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static gboolean
header_action_enabled (const char *action)
{
  GtkWidget *button = haul_ui_find (GTK_WIDGET (ui.window), is_button_with_action,
                                    (gpointer) action);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

typedef struct
{
  gboolean    pause;
  gboolean    resume;
  const char *subtitle;
} HeaderQuery;

static gboolean
is_window_title (GtkWidget *widget,
                 gpointer   data)
{
  return ADW_IS_WINDOW_TITLE (widget);
}

static gboolean
header_check (gpointer data)
{
  HeaderQuery *query = data;
  AdwWindowTitle *title = ADW_WINDOW_TITLE (haul_ui_find (GTK_WIDGET (ui.window), is_window_title,
                                                          NULL));

  const char *subtitle = adw_window_title_get_subtitle (title);

  /* No subtitle reads back as "". */
  return header_action_enabled ("win.pause-all") == query->pause
         && header_action_enabled ("win.resume-all") == query->resume
         && g_strcmp0 (subtitle != NULL ? subtitle : "",
                       query->subtitle != NULL ? query->subtitle : "") == 0;
}

/* Pause All and Resume All only when there is something to pause or
 * resume; the subtitle says how many download and how many wait. */
static void
test_header_counts (void)
{
  g_autoptr(GBytes) big = haul_test_make_bytes (4 * 1024 * 1024, 23);
  HaulQueue *queue = haul_application_get_queue (ui.app);
  HeaderQuery query = { FALSE, FALSE, NULL };
  HaulDownload *a, *b, *c;

  empty_queue ();
  g_assert_true (haul_ui_wait_for (header_check, &query, TIMEOUT_MS));

  haul_queue_set_max_active (queue, 1);
  a = add_download ("/counts/a.bin", big, 64 * 1024);
  b = add_download ("/counts/b.bin", big, 64 * 1024);
  c = add_download ("/counts/c.bin", big, 64 * 1024);
  g_assert_true (haul_ui_wait_state (a, HAUL_DOWNLOAD_DOWNLOADING, TIMEOUT_MS));
  query = (HeaderQuery) { TRUE, FALSE, "1 downloading, 2 waiting" };
  g_assert_true (haul_ui_wait_for (header_check, &query, TIMEOUT_MS));

  haul_queue_pause_all (queue);
  query = (HeaderQuery) { FALSE, TRUE, "3 paused" };
  g_assert_true (haul_ui_wait_for (header_check, &query, TIMEOUT_MS));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.resume-all", NULL));
  query = (HeaderQuery) { TRUE, FALSE, "1 downloading, 2 waiting" };
  g_assert_true (haul_ui_wait_for (header_check, &query, TIMEOUT_MS));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.pause-all", NULL));
  g_assert_true (haul_ui_wait_state (c, HAUL_DOWNLOAD_PAUSED, TIMEOUT_MS));
  g_assert_cmpint (haul_download_get_state (b), ==, HAUL_DOWNLOAD_PAUSED);

  haul_queue_set_max_active (queue, 3);
  empty_queue ();
  query = (HeaderQuery) { FALSE, FALSE, NULL };
  g_assert_true (haul_ui_wait_for (header_check, &query, TIMEOUT_MS));
}

static gboolean
is_toast (GtkWidget *widget,
          gpointer   data)
{
  return g_str_equal (gtk_widget_get_css_name (widget), "toast") && gtk_widget_get_mapped (widget);
}

static gboolean
is_mapped_button (GtkWidget *widget,
                  gpointer   data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_is_drawable (widget);
}

typedef struct
{
  graphene_rect_t toast;
  graphene_rect_t viewport;  /* what the list shows: rows beyond are clipped */
  guint           n_buttons;
  guint           n_covered;
} Coverage;

static gboolean
count_covered_cb (GtkWidget *widget,
                  gpointer   data)
{
  Coverage *coverage = data;
  graphene_rect_t bounds;

  if (HAUL_IS_DOWNLOAD_ROW (widget) && gtk_widget_is_drawable (widget))
    for (GtkWidget *b = haul_ui_find (widget, is_mapped_button, NULL); b != NULL; b = NULL)
      {
        /* Every button of the row, not only the first one. */
        for (GtkWidget *child = gtk_widget_get_first_child (gtk_widget_get_parent (b));
             child != NULL; child = gtk_widget_get_next_sibling (child))
          if (is_mapped_button (child, NULL)
              && gtk_widget_compute_bounds (child, GTK_WIDGET (ui.window), &bounds)
              && graphene_rect_intersection (&bounds, &coverage->viewport, &bounds))
            {
              coverage->n_buttons++;
              coverage->n_covered += graphene_rect_intersection (&bounds, &coverage->toast, NULL);
            }
      }
  return FALSE;
}

static gboolean
toast_shown_check (gpointer data)
{
  GtkWidget *toast = haul_ui_find (GTK_WIDGET (ui.window), is_toast, NULL);
  graphene_rect_t bounds;

  /* Settled: slid in to where it stays. */
  if (toast == NULL || !gtk_widget_compute_bounds (toast, GTK_WIDGET (ui.window), &bounds))
    return FALSE;
  return bounds.origin.y + bounds.size.height <= gtk_widget_get_height (GTK_WIDGET (ui.window)) - 8;
}

static gboolean
is_mapped_scrolled_window (GtkWidget *widget,
                           gpointer   data)
{
  return GTK_IS_SCROLLED_WINDOW (widget) && gtk_widget_get_mapped (widget)
         && haul_ui_find_list_view (widget) != NULL;
}

static void
check_toast_clear (int width)
{
  Coverage coverage = { GRAPHENE_RECT_INIT_ZERO, GRAPHENE_RECT_INIT_ZERO, 0, 0 };
  GtkWidget *toast;
  GtkWidget *scroller;

  gtk_window_set_default_size (GTK_WINDOW (ui.window), width, 420);
  haul_ui_spin (300);
  haul_window_add_toast (ui.window, "Nothing to download in what was dropped: A pipe, not a text "
                                 "file of links");
  g_assert_true (haul_ui_wait_for (toast_shown_check, NULL, TIMEOUT_MS));
  haul_ui_spin (500);
  toast = haul_ui_find (GTK_WIDGET (ui.window), is_toast, NULL);
  g_assert_true (gtk_widget_compute_bounds (toast, GTK_WIDGET (ui.window), &coverage.toast));
  scroller = haul_ui_find (GTK_WIDGET (ui.window), is_mapped_scrolled_window, NULL);
  g_assert_true (gtk_widget_compute_bounds (scroller, GTK_WIDGET (ui.window), &coverage.viewport));
  haul_ui_find (GTK_WIDGET (ui.window), count_covered_cb, &coverage);
  g_test_message ("%d px: %u row buttons shown, %u under the toast", width, coverage.n_buttons,
                  coverage.n_covered);
  g_assert_cmpuint (coverage.n_buttons, >, 0);
  g_assert_cmpuint (coverage.n_covered, ==, 0);
}

/* Toasts never cover a row's buttons, wide or narrow. */
static void
test_toast_clear_of_rows (void)
{
  g_autoptr(GBytes) small = haul_test_make_bytes (4096, 24);
  int width = 0, height = 0;

  empty_queue ();
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *path = g_strdup_printf ("/toast/file-%02u.bin", i);
      add_download (path, small, 0);
    }
  haul_ui_spin (800);

  gtk_window_get_default_size (GTK_WINDOW (ui.window), &width, &height);
  check_toast_clear (360);
  check_toast_clear (760);
  gtk_window_set_default_size (GTK_WINDOW (ui.window), width, height);
  empty_queue ();
}

static gboolean
offered_check (gpointer data)
{
  const char *toast = haul_window_get_last_toast (ui.window);

  return toast != NULL && strstr (toast, "from the clipboard") != NULL;
}

static gboolean
inactive_check (gpointer data)
{
  return !gtk_window_is_active (GTK_WINDOW (ui.window));
}

static gboolean
active_check (gpointer data)
{
  return gtk_window_is_active (GTK_WINDOW (ui.window));
}

static gboolean
foreign_text_check (gpointer clipboard)
{
  return !gdk_clipboard_is_local (clipboard)
         && gdk_content_formats_contain_mime_type (gdk_clipboard_get_formats (clipboard),
                                                   "text/plain;charset=utf-8");
}

/* A person goes to another window and comes back. */
static void
leave_and_come_back (GtkWidget *other)
{
  gtk_window_present (GTK_WINDOW (other));
  g_assert_true (haul_ui_wait_for (inactive_check, NULL, TIMEOUT_MS));
  gtk_window_present (GTK_WINDOW (ui.window));
  g_assert_true (haul_ui_wait_for (active_check, NULL, TIMEOUT_MS));
}

/* Coming back to the window with new addresses on the clipboard offers
 * them, once, in a toast; its button adds them. No polling: nothing is
 * offered while the window stays where it is. */
static void
test_clipboard_offer (void)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (ui.window));
  g_autoptr(GBytes) small = haul_test_make_bytes (4096, 25);
  g_autoptr(HaulLinkList) parsed = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *text = NULL;
  GdkDisplay *browser;
  GtkWidget *other;

  empty_queue ();
  haul_test_server_add_file (ui.server, "/offer/a.bin", small, NULL);
  haul_test_server_add_file (ui.server, "/offer/b.bin", small, NULL);
  a = haul_test_server_uri (ui.server, "/offer/a.bin");
  b = haul_test_server_uri (ui.server, "/offer/b.bin");
  text = g_strdup_printf ("Copied from a page: %s and %s", a, b);

  other = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (other), "Another program");
  gtk_window_present (GTK_WINDOW (other));

  /* Another program owns the clipboard (a connection of its own: Haul
   * does not offer what it copied itself). */
  browser = gdk_display_open (NULL);
  g_assert_nonnull (browser);
  gdk_clipboard_set_text (gdk_display_get_clipboard (browser), text);
  g_assert_true (haul_ui_wait_for (foreign_text_check, clipboard, TIMEOUT_MS));

  haul_window_add_toast (ui.window, "before");
  haul_ui_spin (500);
  g_assert_cmpstr (haul_window_get_last_toast (ui.window), ==, "before");

  leave_and_come_back (other);
  g_assert_true (haul_ui_wait_for (offered_check, NULL, TIMEOUT_MS));
  g_assert_cmpstr (haul_window_get_last_toast (ui.window), ==,
                   "Download 2 links from the clipboard?");

  /* Offered once: coming back again says nothing more. */
  haul_window_add_toast (ui.window, "again");
  leave_and_come_back (other);
  haul_ui_spin (500);
  g_assert_cmpstr (haul_window_get_last_toast (ui.window), ==, "again");

  /* The toast's button: two links, so the dialog, pre-filled. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.add-offered", NULL));
  g_assert_true (haul_ui_wait_add_dialog (ui.window, TIMEOUT_MS));
  parsed = haul_add_dialog_parse (haul_window_get_add_dialog (ui.window));
  g_assert_cmpuint (parsed->urls->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (parsed->urls, 0), ==, a);
  g_assert_cmpstr (g_ptr_array_index (parsed->urls, 1), ==, b);
  haul_ui_close_add_dialog (ui.window);

  gtk_window_destroy (GTK_WINDOW (other));
  gdk_display_close (browser);
  haul_ui_spin (100);
}

static GdkContentProvider *
drag_prepare (GtkWidget *row)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (row);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      GdkContentProvider *provider = NULL;

      if (GTK_IS_DRAG_SOURCE (controller))
        {
          g_signal_emit_by_name (controller, "prepare", 10.0, 10.0, &provider);
          return provider;
        }
    }

  g_assert_not_reached ();
}

/* A finished row drags out as its file; others do not drag. */
static void
test_drag_out (void)
{
  g_autoptr(GBytes) small = haul_test_make_bytes (4096, 26);
  HaulDownload *done, *failed;
  GdkContentProvider *provider = NULL;
  GValue value = G_VALUE_INIT;
  GdkFileList *files;
  GSList *list;
  g_autofree char *path = NULL;

  empty_queue ();
  done = add_download ("/drag/done.bin", small, 0);
  failed = add_download ("/drag/gone.bin", NULL, 0);
  g_assert_true (haul_ui_wait_state (done, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_state (failed, HAUL_DOWNLOAD_FAILED, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_for (row_mapped_check, done, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_for (row_mapped_check, failed, TIMEOUT_MS));

  provider = drag_prepare (find_row (done));
  g_assert_nonnull (provider);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_assert_true (gdk_content_provider_get_value (provider, &value, NULL));
  files = g_value_get_boxed (&value);
  list = gdk_file_list_get_files (files);
  g_assert_cmpuint (g_slist_length (list), ==, 1);
  path = g_file_get_path (list->data);
  g_assert_true (haul_test_file_equals (path, small));
  g_slist_free (list);
  g_value_unset (&value);
  g_object_unref (provider);

  g_assert_null (drag_prepare (find_row (failed)));
  empty_queue ();
}

int
main (int   argc,
      char *argv[])
{
  haul_ui_app_init (&ui, &argc, &argv);

  g_test_add_func ("/haul/ui/window/filter-search-missing", test_filter_search_missing);
  g_test_add_func ("/haul/ui/window/order-and-reveal", test_order_and_reveal);
  g_test_add_func ("/haul/ui/window/header-counts", test_header_counts);
  g_test_add_func ("/haul/ui/window/toast-clear-of-rows", test_toast_clear_of_rows);
  g_test_add_func ("/haul/ui/window/clipboard-offer", test_clipboard_offer);
  g_test_add_func ("/haul/ui/window/drag-out", test_drag_out);

  return haul_ui_app_run (&ui);
}
