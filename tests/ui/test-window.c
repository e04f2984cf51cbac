/* test-window.c: the window with a real queue, as a person uses it
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/ui/run-with-display (Xvfb, private D-Bus session). The
 * test plays the desktop (haul-fake-desktop.c): it owns
 * org.freedesktop.Notifications and org.freedesktop.FileManager1 on its
 * own bus connection, records what Haul sends, and "clicks" notification
 * buttons by emitting ActionInvoked. The list's filters, order, header,
 * toasts, clipboard and dragging out are test-window-list.c's.
 */

#include "config.h"

#include <sys/stat.h>

#include <adwaita.h>

#include "haul-application.h"
#include "haul-download-private.h"
#include "haul-download-row.h"
#include "haul-fake-desktop.h"
#include "haul-progress-bar.h"
#include "haul-test-server.h"
#include "haul-window.h"
#include "ui-app-fixture.h"
#include "ui-test-util.h"

#define TIMEOUT_MS 20000

static HaulUiApp ui;
static GPtrArray       *notifications;  /* (element-type HaulFakeNotification) desktop's */
static GPtrArray       *shown_items;    /* (element-type utf8) desktop's, from ShowItems */


/* ------------------------------------------------------------------ */
/* Looking at the window                                               */

static GtkWidget *
find_row (HaulDownload *download)
{
  return haul_ui_find_row (GTK_WIDGET (ui.window), download);
}

static gboolean
has_css_class (GtkWidget *widget,
               gpointer   css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

/* A failed row's reason, where the bar was. */
static GtkWidget *
row_message_label (GtkWidget *row)
{
  return haul_ui_find (row, has_css_class, (gpointer) "download-message");
}

static gboolean
is_progress_bar (GtkWidget *widget,
                 gpointer   data)
{
  return HAUL_IS_PROGRESS_BAR (widget);
}

static GtkWidget *
row_bar (GtkWidget *row)
{
  return haul_ui_find (row, is_progress_bar, NULL);
}

static double
row_fraction (GtkWidget *row)
{
  return haul_progress_bar_get_fraction (HAUL_PROGRESS_BAR (row_bar (row)));
}

static gboolean
row_button_visible (GtkWidget  *row,
                    const char *name)
{
  GtkWidget *button = haul_ui_row_button (row, name);

  g_assert_nonnull (button);
  return gtk_widget_get_visible (button);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static HaulDownload *
find_download (const char *uri)
{
  return haul_ui_find_download (haul_application_get_queue (ui.app), uri);
}

static guint
queue_length (void)
{
  return g_list_model_get_n_items (G_LIST_MODEL (haul_application_get_queue (ui.app)));
}

typedef struct
{
  const char *summary;
  const char *body;
  guint       from;      /* only notifications recorded from this index on */
} NotificationQuery;

static HaulFakeNotification *
find_notification (NotificationQuery *query)
{
  for (guint i = query->from; i < notifications->len; i++)
    {
      HaulFakeNotification *n = g_ptr_array_index (notifications, i);

      if (g_strcmp0 (n->summary, query->summary) == 0
          && (query->body == NULL || g_strcmp0 (n->body, query->body) == 0))
        return n;
    }

  return NULL;
}

static gboolean
notification_check (gpointer data)
{
  return find_notification (data) != NULL;
}

static gboolean
has_action_labelled (HaulFakeNotification *n,
                     const char           *label)
{
  for (guint i = 0; n->actions[i] != NULL && n->actions[i + 1] != NULL; i += 2)
    if (g_str_equal (n->actions[i + 1], label))
      return TRUE;

  return FALSE;
}

static char *
detailed (const char *action,
          GVariant   *target)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (target);

  return g_action_print_detailed_name (action, owned);
}

static gboolean
row_completed_check (gpointer download)
{
  GtkWidget *row = find_row (download);

  return row != NULL && g_str_has_prefix (haul_ui_row_status (row), "Completed");
}

static gboolean
row_mapped_check (gpointer download)
{
  return find_row (download) != NULL;
}

static gboolean
toast_check (gpointer prefix)
{
  const char *toast = haul_window_get_last_toast (ui.window);

  return toast != NULL && g_str_has_prefix (toast, prefix);
}

static gboolean
download_check (gpointer uri)
{
  return find_download (uri) != NULL;
}

static gboolean
window_mapped_check (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (ui.window));
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

static void
test_empty_state (void)
{
  g_assert_cmpuint (queue_length (), ==, 0);
  g_assert_true (haul_ui_wait_for (window_mapped_check, NULL, TIMEOUT_MS));
  haul_ui_spin (100);

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (ui.window)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (ui.window)), ==, "Haul");
  g_assert_nonnull (haul_ui_find_status_page (GTK_WIDGET (ui.window), "Drop Links Here"));
  g_assert_null (haul_ui_find_list_view (GTK_WIDGET (ui.window)));
}

static void
test_download_completes (void)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (3 * 1024 * 1024, 7);
  HaulTestFileOptions options = {
    .content_type = "application/pdf",
    .bytes_per_second = 2 * 1024 * 1024,
  };
  g_autofree char *uri = NULL;
  g_autofree char *uri_list = NULL;
  g_autofree char *path = NULL;
  g_autofree char *open_key = NULL;
  g_autofree char *folder_key = NULL;
  g_autofree char *file_uri = NULL;
  NotificationQuery query = { "Download complete", "report.pdf", notifications->len };
  HaulDownload *download;
  GtkWidget *row;
  HaulFakeNotification *n;
  double mid_fraction = -1;
  gboolean seen_progress_text = FALSE;

  haul_test_server_add_file (ui.server, "/files/report.pdf", body, &options);
  uri = haul_test_server_uri (ui.server, "/files/report.pdf");
  uri_list = g_strdup_printf ("# a comment, as Chromium writes\r\n%s\r\n", uri);

  /* One dropped link is queued at once. */
  haul_ui_drop_bytes (ui.window, "text/uri-list", uri_list, strlen (uri_list));
  g_assert_true (haul_ui_wait_for (download_check, uri, TIMEOUT_MS));
  g_assert_cmpstr (haul_window_get_last_toast (ui.window), ==, "Added 1 download");
  download = find_download (uri);
  g_assert_nonnull (download);

  /* The row appears, its bar moves, it ends "Completed". */
  g_assert_true (haul_ui_wait_for (row_mapped_check, download, TIMEOUT_MS));
  g_assert_nonnull (haul_ui_find_list_view (GTK_WIDGET (ui.window)));
  for (gint64 end = g_get_monotonic_time () + TIMEOUT_MS * 1000;
       g_get_monotonic_time () < end && !row_completed_check (download);)
    {
      row = find_row (download);
      if (row != NULL && row_fraction (row) > 0.05 && row_fraction (row) < 0.95)
        {
          mid_fraction = row_fraction (row);
          /* "1.2 MB of 3.1 MB · 2.1 MB/s · 1 second left" */
          if (strstr (haul_ui_row_status (row), " of ") != NULL
              && strstr (haul_ui_row_status (row), "/s") != NULL)
            seen_progress_text = TRUE;
          g_assert_true (row_button_visible (row, "Pause"));
          g_assert_true (row_button_visible (row, "Cancel"));
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (row_completed_check (download));
  g_assert_cmpfloat (mid_fraction, >, 0.0);
  g_assert_true (seen_progress_text);

  /* A finished row has no bar: it says what it has. */
  row = find_row (download);
  g_assert_false (gtk_widget_get_visible (row_bar (row)));
  {
    g_autofree char *size = g_format_size (3 * 1024 * 1024);
    g_autofree char *expected = g_strdup_printf ("Completed · %s · ", size);
    g_assert_true (g_str_has_prefix (haul_ui_row_status (row), expected));
  }
  g_assert_true (row_button_visible (row, "Open"));
  g_assert_true (row_button_visible (row, "Show in Folder"));
  g_assert_false (row_button_visible (row, "Pause"));

  path = haul_download_dup_path (download);
  g_assert_true (haul_test_file_equals (path, body));

  /* The notification, with its buttons. */
  g_assert_true (haul_ui_wait_for (notification_check, &query, TIMEOUT_MS));
  n = find_notification (&query);
  open_key = detailed ("app.open-file", g_variant_new_string (path));
  folder_key = detailed ("app.show-in-folder", g_variant_new_string (path));
  g_assert_cmpstr (haul_fake_notification_label (n, open_key), ==, "Open");
  g_assert_cmpstr (haul_fake_notification_label (n, folder_key), ==, "Show in Folder");

  /* "Show in Folder" works from the notification. */
  haul_fake_desktop_click (ui.desktop, n, folder_key);
  file_uri = g_filename_to_uri (path, NULL, NULL);
  for (gint64 end = g_get_monotonic_time () + TIMEOUT_MS * 1000;
       shown_items->len == 0 && g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (shown_items->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (shown_items, 0), ==, file_uri);
}

static void
test_failure_and_retry (void)
{
  g_autofree char *uri = NULL;
  g_autofree char *retry_key = NULL;
  g_autofree char *expected_body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  NotificationQuery query = { "Download failed", NULL, notifications->len };
  HaulDownload *download;
  GtkWidget *row;
  HaulFakeNotification *n;

  /* Keep the list short enough for every row to be on screen. */
  g_ptr_array_unref (haul_queue_remove_finished (haul_application_get_queue (ui.app)));
  haul_test_server_add_status (ui.server, "/missing.iso", 404);
  uri = haul_test_server_uri (ui.server, "/missing.iso");
  folder = g_build_filename (g_get_home_dir (), "Downloads", NULL);
  download = haul_queue_add (haul_application_get_queue (ui.app), uri, folder, &error);
  g_assert_no_error (error);

  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_FAILED, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_for (row_mapped_check, download, TIMEOUT_MS));
  haul_ui_spin (50);

  /* The row shows the reason and a Retry button, never Open. */
  row = find_row (download);
  g_assert_nonnull (haul_download_get_error_message (download));
  g_assert_true (gtk_widget_get_visible (row_message_label (row)));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (row_message_label (row))), ==,
                   haul_download_get_error_message (download));
  g_assert_true (strstr (haul_download_get_error_message (download), "404") != NULL);
  g_assert_true (gtk_widget_has_css_class (row_message_label (row), "error"));
  g_assert_cmpstr (haul_ui_row_status (row), ==, "Failed");
  g_assert_true (row_button_visible (row, "Retry"));
  g_assert_false (row_button_visible (row, "Open"));

  /* "Download failed": name and reason, a Retry button and no Open. */
  g_assert_true (haul_ui_wait_for (notification_check, &query, TIMEOUT_MS));
  n = find_notification (&query);
  /* No answer gave it a name: it is called by its URL's last segment. */
  expected_body = g_strdup_printf ("%s: %s", "missing.iso",
                                   haul_download_get_error_message (download));
  g_assert_cmpstr (n->body, ==, expected_body);
  retry_key = detailed ("app.retry", g_variant_new_int64 (haul_download_get_id (download)));
  g_assert_cmpstr (haul_fake_notification_label (n, retry_key), ==, "Retry");
  g_assert_false (has_action_labelled (n, "Open"));
  g_assert_cmpuint (haul_test_server_get_n_requests (ui.server, "/missing.iso"), ==, 1);

  /* Retry from the notification re-queues it: the server sees it again. */
  haul_fake_desktop_click (ui.desktop, n, retry_key);
  for (gint64 end = g_get_monotonic_time () + TIMEOUT_MS * 1000;
       haul_test_server_get_n_requests (ui.server, "/missing.iso") < 2
       && g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (haul_test_server_get_n_requests (ui.server, "/missing.iso"), ==, 2);
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_FAILED, TIMEOUT_MS));
}

static void
test_row_actions (void)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (4 * 1024 * 1024, 3);
  HaulTestFileOptions options = { .bytes_per_second = 256 * 1024 };
  g_autofree char *uri = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GError) error = NULL;
  HaulDownload *download;
  GtkWidget *row;
  guint before;

  g_ptr_array_unref (haul_queue_remove_finished (haul_application_get_queue (ui.app)));
  haul_test_server_add_file (ui.server, "/slow.bin", body, &options);
  uri = haul_test_server_uri (ui.server, "/slow.bin");
  folder = g_build_filename (g_get_home_dir (), "Downloads", NULL);
  download = haul_queue_add (haul_application_get_queue (ui.app), uri, folder, &error);
  g_assert_no_error (error);

  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_DOWNLOADING, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_for (row_mapped_check, download, TIMEOUT_MS));
  row = find_row (download);

  g_assert_true (gtk_widget_activate_action (row, "row.pause", NULL));
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_PAUSED, TIMEOUT_MS));
  haul_ui_spin (50);
  row = find_row (download);
  g_assert_true (g_str_has_prefix (haul_ui_row_status (row), "Paused · "));
  g_assert_true (row_button_visible (row, "Resume"));
  g_assert_false (row_button_visible (row, "Pause"));

  g_assert_true (gtk_widget_activate_action (row, "row.pause-resume", NULL));
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_DOWNLOADING, TIMEOUT_MS));

  g_assert_true (gtk_widget_activate_action (row, "row.cancel", NULL));
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_CANCELLED, TIMEOUT_MS));
  haul_ui_spin (50);
  row = find_row (download);
  g_assert_true (row_button_visible (row, "Retry"));

  before = queue_length ();
  g_assert_true (gtk_widget_activate_action (row, "row.remove", NULL));
  g_assert_cmpuint (queue_length (), ==, before - 1);
  g_assert_null (find_download (uri));
}

static void
test_drops (void)
{
  g_autoptr(GBytes) small = haul_test_make_bytes (4096, 11);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;
  g_autofree char *html = NULL;
  g_autofree char *moz = NULL;
  g_autofree char *tmpdir = haul_test_make_tmpdir ();
  g_autofree char *links_file = g_build_filename (tmpdir, "links.txt", NULL);
  g_autofree char *links_text = NULL;
  g_autofree char *file_list = NULL;
  g_autofree char *links_uri = NULL;
  g_autofree gunichar2 *moz16 = NULL;
  g_autoptr(HaulLinkList) parsed = NULL;
  g_autoptr(GError) error = NULL;
  const char *garbage = "nothing here but words, and ftp://old.example/file too";
  HaulAddDialog *dialog;
  glong moz_len = 0;
  guint before;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *path = g_strdup_printf ("/drop/%c.txt", 'a' + i);
      haul_test_server_add_file (ui.server, path, small, NULL);
    }
  a = haul_test_server_uri (ui.server, "/drop/a.txt");
  b = haul_test_server_uri (ui.server, "/drop/b.txt");
  c = haul_test_server_uri (ui.server, "/drop/c.txt");
  d = haul_test_server_uri (ui.server, "/drop/d.txt");

  /* Firefox: text/x-moz-url in UTF-16, URL then title: one link, queued. */
  before = queue_length ();
  moz = g_strdup_printf ("%s\nThe A file", a);
  moz16 = g_utf8_to_utf16 (moz, -1, NULL, &moz_len, &error);
  g_assert_no_error (error);
  haul_ui_drop_bytes (ui.window, "text/x-moz-url", moz16, (gsize) moz_len * 2);
  g_assert_true (haul_ui_wait_for (download_check, a, TIMEOUT_MS));
  g_assert_cmpuint (queue_length (), ==, before + 1);
  g_assert_nonnull (find_download (a));
  g_assert_cmpstr (haul_window_get_last_toast (ui.window), ==, "Added 1 download");

  /* HTML with several links: the dialog, pre-filled, duplicates gone. */
  html = g_strdup_printf ("<p>Files: <a href=\"%s\">b</a>, <a href=\"%s\">c</a>, "
                          "<a href=\"%s\">d</a> and <a href=\"%s\">b again</a></p>",
                          b, c, d, b);
  before = queue_length ();
  haul_ui_drop_bytes (ui.window, "text/html", html, strlen (html));
  g_assert_true (haul_ui_wait_add_dialog (ui.window, TIMEOUT_MS));
  dialog = haul_window_get_add_dialog (ui.window);
  g_assert_cmpuint (queue_length (), ==, before);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Add Downloads");
  parsed = haul_add_dialog_parse (dialog);
  g_assert_cmpuint (parsed->urls->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (parsed->urls, 0), ==, b);
  g_assert_cmpstr (g_ptr_array_index (parsed->urls, 2), ==, d);
  g_clear_pointer (&parsed, haul_link_list_free);

  /* "Download" queues them and closes the dialog. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "add.download", NULL));
  g_assert_true (haul_ui_wait_for (toast_check, (gpointer) "Added 3 downloads", TIMEOUT_MS));
  g_assert_null (haul_window_get_add_dialog (ui.window));
  g_assert_cmpuint (queue_length (), ==, before + 3);
  g_assert_nonnull (find_download (c));
  g_assert_cmpstr (haul_window_get_last_toast (ui.window), ==, "Added 3 downloads");

  /* Nothing usable: a toast says so. */
  before = queue_length ();
  haul_ui_drop_bytes (ui.window, "text/plain;charset=utf-8", garbage, strlen (garbage));
  g_assert_true (haul_ui_wait_for (toast_check,
                                   (gpointer) "Nothing to download in what was dropped",
                                   TIMEOUT_MS));
  g_assert_cmpuint (queue_length (), ==, before);
  g_assert_null (haul_window_get_add_dialog (ui.window));

  /* A dropped local text file of links is read: two links → the dialog. */
  links_text = g_strdup_printf ("My list:\n%s\n%s\n", c, d);
  g_assert_true (g_file_set_contents (links_file, links_text, -1, &error));
  g_assert_no_error (error);
  links_uri = g_filename_to_uri (links_file, NULL, NULL);
  file_list = g_strdup_printf ("%s\r\n", links_uri);
  haul_ui_drop_bytes (ui.window, "text/uri-list", file_list, strlen (file_list));
  g_assert_true (haul_ui_wait_add_dialog (ui.window, TIMEOUT_MS));
  dialog = haul_window_get_add_dialog (ui.window);
  parsed = haul_add_dialog_parse (dialog);
  g_assert_cmpuint (parsed->urls->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (parsed->urls, 0), ==, c);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "add.cancel", NULL));
  haul_ui_spin (50);
  g_assert_null (haul_window_get_add_dialog (ui.window));
  g_assert_cmpuint (queue_length (), ==, before);

  /* A FIFO dropped from a file manager is refused unopened, and says why. */
  {
    g_autofree char *fifo = g_build_filename (tmpdir, "a pipe", NULL);
    g_autofree char *fifo_uri = NULL;
    g_autofree char *fifo_list = NULL;

    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    fifo_uri = g_filename_to_uri (fifo, NULL, NULL);
    fifo_list = g_strdup_printf ("%s\r\n", fifo_uri);
    haul_ui_drop_bytes (ui.window, "text/uri-list", fifo_list, strlen (fifo_list));
    g_assert_true (haul_ui_wait_for (toast_check,
                                     (gpointer) "Nothing to download in what was dropped: "
                                                "A pipe, not a text file of links",
                                     TIMEOUT_MS));
    g_assert_null (haul_window_get_add_dialog (ui.window));
    g_assert_cmpuint (queue_length (), ==, before);
  }

  /* Ctrl+V: the clipboard's text, read like a drop. */
  {
    g_autofree char *pasted = g_strdup_printf ("see %s and %s", a, d);
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (ui.window));

    gdk_clipboard_set_text (clipboard, pasted);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.paste", NULL));
    g_assert_true (haul_ui_wait_add_dialog (ui.window, TIMEOUT_MS));
    dialog = haul_window_get_add_dialog (ui.window);
    g_clear_pointer (&parsed, haul_link_list_free);
    parsed = haul_add_dialog_parse (dialog);
    g_assert_cmpuint (parsed->urls->len, ==, 2);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "add.cancel", NULL));
    haul_ui_spin (50);

    gdk_clipboard_set_text (clipboard, "no links at all");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.paste", NULL));
    g_assert_true (haul_ui_wait_for (toast_check,
                                     (gpointer) "Nothing to download in what was pasted",
                                     TIMEOUT_MS));
  }

  haul_test_remove_tree (tmpdir);
}

static gboolean
is_text_view (GtkWidget *widget,
              gpointer   data)
{
  return GTK_IS_TEXT_VIEW (widget);
}

static gboolean
is_label_containing (GtkWidget *widget,
                     gpointer   text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
dialog_mapped_check (gpointer data)
{
  HaulAddDialog *dialog = haul_window_get_add_dialog (ui.window);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static gboolean
dialog_links_check (gpointer n)
{
  HaulAddDialog *dialog = haul_window_get_add_dialog (ui.window);
  g_autoptr(HaulLinkList) links = dialog != NULL ? haul_add_dialog_parse (dialog) : NULL;

  return links != NULL && links->urls->len == GPOINTER_TO_UINT (n);
}

static gboolean
label_visible_check (gpointer text)
{
  HaulAddDialog *dialog = haul_window_get_add_dialog (ui.window);
  GtkWidget *label = dialog != NULL ? haul_ui_find (GTK_WIDGET (dialog), is_label_containing, text)
                                    : NULL;

  return label != NULL && gtk_widget_is_drawable (label);
}

/* Ctrl+N opens the dialog ready to type into, filled from the clipboard
 * when that holds addresses (a bare "example.org/…" too); a piece set
 * aside says why, in words and without alarm. */
static void
test_add_dialog (void)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (ui.window));
  g_autoptr(HaulLinkList) parsed = NULL;
  HaulAddDialog *dialog;
  GtkWidget *text_view;
  GtkWidget *label;
  GtkTextBuffer *buffer;
  guint before = queue_length ();

  gdk_clipboard_set_text (clipboard, "Mirror: example.org/pub/file.iso, also "
                                     "https://b.example/two.iso");
  g_action_group_activate_action (G_ACTION_GROUP (ui.app), "add", NULL);
  g_assert_true (haul_ui_wait_for (dialog_mapped_check, NULL, TIMEOUT_MS));
  dialog = haul_window_get_add_dialog (ui.window);
  text_view = haul_ui_find (GTK_WIDGET (dialog), is_text_view, NULL);
  g_assert_nonnull (text_view);
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (dialog)) == text_view);

  g_assert_true (haul_ui_wait_for (dialog_links_check, GUINT_TO_POINTER (2), TIMEOUT_MS));
  parsed = haul_add_dialog_parse (dialog);
  g_assert_cmpstr (g_ptr_array_index (parsed->urls, 0), ==, "https://example.org/pub/file.iso");
  g_assert_cmpstr (g_ptr_array_index (parsed->urls, 1), ==, "https://b.example/two.iso");
  /* Selected: typing or pasting replaces what the clipboard offered. */
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
  g_assert_true (gtk_text_buffer_get_has_selection (buffer));

  gtk_text_buffer_set_text (buffer, "ftp://old.example/file.iso and https://ok.example/a", -1);
  g_assert_true (haul_ui_wait_for (label_visible_check, (gpointer) "ftp://old.example/file.iso",
                                   TIMEOUT_MS));
  label = haul_ui_find (GTK_WIDGET (dialog), is_label_containing,
                        (gpointer) "ftp://old.example/file.iso");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)),
                            "FTP links are not supported"));
  g_assert_false (gtk_widget_has_css_class (label, "error"));
  haul_ui_close_add_dialog (ui.window);

  /* Words only: the dialog opens empty, and nothing was queued. */
  gdk_clipboard_set_text (clipboard, "just some words, file.iso and and/or");
  g_action_group_activate_action (G_ACTION_GROUP (ui.app), "add", NULL);
  g_assert_true (haul_ui_wait_for (dialog_mapped_check, NULL, TIMEOUT_MS));
  haul_ui_spin (300);
  dialog = haul_window_get_add_dialog (ui.window);
  g_clear_pointer (&parsed, haul_link_list_free);
  parsed = haul_add_dialog_parse (dialog);
  g_assert_cmpuint (parsed->urls->len, ==, 0);
  text_view = haul_ui_find (GTK_WIDGET (dialog), is_text_view, NULL);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 0);
  haul_ui_close_add_dialog (ui.window);
  g_assert_cmpuint (queue_length (), ==, before);
}

static void
test_summary_notification (void)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (64 * 1024, 5);
  g_autofree char *folder = g_build_filename (g_get_home_dir (), "Downloads", NULL);
  NotificationQuery query = { "3 downloads complete", NULL, 0 };
  guint from;

  /* Let completions of earlier tests be told first, and seen: the
   * summary counts what completed since the window was last in front. */
  haul_ui_spin (HAUL_NOTIFIER_SUMMARY_DELAY_MS + 300);
  haul_notifier_set_window_active (haul_application_get_notifier (ui.app), TRUE);
  haul_notifier_set_window_active (haul_application_get_notifier (ui.app), FALSE);
  query.from = from = notifications->len;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *path = g_strdup_printf ("/batch/part-%u.bin", i);
      g_autofree char *uri = NULL;
      g_autoptr(GError) error = NULL;

      haul_test_server_add_file (ui.server, path, body, NULL);
      uri = haul_test_server_uri (ui.server, path);
      g_assert_nonnull (haul_queue_add (haul_application_get_queue (ui.app), uri, folder, &error));
      g_assert_no_error (error);
    }

  if (!haul_ui_wait_for (notification_check, &query, TIMEOUT_MS))
    for (guint i = from; i < notifications->len; i++)
      g_test_message ("got “%s”: %s",
                      ((HaulFakeNotification *) g_ptr_array_index (notifications, i))->summary,
                      ((HaulFakeNotification *) g_ptr_array_index (notifications, i))->body);
  g_assert_nonnull (find_notification (&query));
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("part-%u.bin", i);
      g_assert_nonnull (strstr (find_notification (&query)->body, name));
    }
  haul_ui_spin (HAUL_NOTIFIER_SUMMARY_DELAY_MS + 200);

  /* One notification for the three, not one each. */
  for (guint i = from; i < notifications->len; i++)
    g_assert_cmpstr (((HaulFakeNotification *) g_ptr_array_index (notifications, i))->summary, !=,
                     "Download complete");
}

static void
test_notifications_off (void)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (16 * 1024, 9);
  g_autofree char *folder = g_build_filename (g_get_home_dir (), "Downloads", NULL);
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  GSettings *settings = haul_application_get_settings (ui.app);
  guint from = notifications->len;
  HaulDownload *download;

  g_settings_set_boolean (settings, "notifications", FALSE);
  haul_test_server_add_file (ui.server, "/quiet.bin", body, NULL);
  uri = haul_test_server_uri (ui.server, "/quiet.bin");
  download = haul_queue_add (haul_application_get_queue (ui.app), uri, folder, &error);
  g_assert_no_error (error);
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
  haul_ui_spin (HAUL_NOTIFIER_SUMMARY_DELAY_MS + 300);
  g_assert_cmpuint (notifications->len, ==, from);
  g_settings_set_boolean (settings, "notifications", TRUE);
}

int
main (int   argc,
      char *argv[])
{
  haul_ui_app_init (&ui, &argc, &argv);
  notifications = haul_fake_desktop_notifications (ui.desktop);
  shown_items = haul_fake_desktop_shown_items (ui.desktop);

  g_test_add_func ("/haul/ui/window/empty-state", test_empty_state);
  g_test_add_func ("/haul/ui/window/download-completes", test_download_completes);
  g_test_add_func ("/haul/ui/window/failure-and-retry", test_failure_and_retry);
  g_test_add_func ("/haul/ui/window/row-actions", test_row_actions);
  g_test_add_func ("/haul/ui/window/drops", test_drops);
  g_test_add_func ("/haul/ui/window/add-dialog", test_add_dialog);
  g_test_add_func ("/haul/ui/window/summary-notification", test_summary_notification);
  g_test_add_func ("/haul/ui/window/notifications-off", test_notifications_off);

  return haul_ui_app_run (&ui);
}
