/* test-steer.c: steering the queue from the window, duplicates, deleting a file
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/ui/run-with-display (Xvfb, its own HOME and XDG
 * folders, so the trash is $XDG_DATA_HOME/Trash): the real application
 * and window, downloads from a real server on 127.0.0.1, actions as the
 * row's menu and keys start them, the questions answered as a person
 * would, the Undo button of a toast pressed.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "haul-application.h"
#include "haul-download-row.h"
#include "haul-download-private.h"
#include "haul-fake-desktop.h"
#include "haul-test-server.h"
#include "haul-window.h"
#include "ui-app-fixture.h"
#include "ui-test-util.h"

#define TIMEOUT_MS 10000
#define KiB 1024

static HaulUiApp ui;

static GtkWidget *
find_row (HaulDownload *download)
{
  return haul_ui_find_row (GTK_WIDGET (ui.window), download);
}

/* A toast's button is a GtkButton labelled as the toast's button. */
static gboolean
is_undo_button (GtkWidget *widget,
                gpointer   data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Undo") == 0;
}

static GtkWidget *
find_undo (void)
{
  return haul_ui_find (GTK_WIDGET (ui.window), is_undo_button, NULL);
}

static gboolean
undo_check (gpointer data)
{
  return find_undo () != NULL;
}

static gboolean
is_label_with (GtkWidget *widget,
               gpointer   text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

/* The Undo button of the toast that says @text (others may still be up). */
static gboolean
is_undo_of (GtkWidget *widget,
            gpointer   text)
{
  GtkWidget *toast = gtk_widget_get_parent (widget);

  return is_undo_button (widget, NULL) && toast != NULL
         && haul_ui_find (toast, is_label_with, text) != NULL;
}

static gboolean
undo_of_check (gpointer text)
{
  return haul_ui_find (GTK_WIDGET (ui.window), is_undo_of, text) != NULL;
}

/* The queue ------------------------------------------------------------- */

static HaulQueue *
queue (void)
{
  return haul_application_get_queue (ui.app);
}

/* Tests ------------------------------------------------------------------ */

/* Pause Queue holds all in order and is remembered; Move Up and Down
 * change the order; Start Now starts one while the queue is held. */
static void
test_hold_move_start_now (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  HaulDownload *a, *b, *c;
  GtkWidget *row;

  haul_ui_clear_queue (queue ());
  g_action_group_activate_action (G_ACTION_GROUP (ui.app), "hold-queue", NULL);
  g_assert_true (haul_queue_get_held (queue ()));
  g_assert_true (g_settings_get_boolean (settings, "hold-queue"));

  a = haul_ui_add_served (queue (), ui.server, "/steer/a.bin", 64 * KiB, 0);
  b = haul_ui_add_served (queue (), ui.server, "/steer/b.bin", 64 * KiB, 0);
  c = haul_ui_add_served (queue (), ui.server, "/steer/c.bin", 64 * KiB, 0);
  haul_ui_spin (300);
  g_assert_cmpint (haul_download_get_state (a), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_cmpint (haul_download_get_state (c), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_true (haul_ui_wait_row (GTK_WIDGET (ui.window), c, TIMEOUT_MS));

  /* c up twice: c a b; at the top, up again does nothing. */
  row = find_row (c);
  g_assert_true (gtk_widget_activate_action (row, "row.move-up", NULL));
  g_assert_true (haul_ui_wait_row (GTK_WIDGET (ui.window), c, TIMEOUT_MS));
  g_assert_true (gtk_widget_activate_action (find_row (c), "row.move-up", NULL));
  g_assert_true (haul_ui_wait_row (GTK_WIDGET (ui.window), c, TIMEOUT_MS));
  g_assert_true (gtk_widget_activate_action (find_row (c), "row.move-up", NULL));
  g_assert_true (haul_ui_item (queue (), 0) == c && haul_ui_item (queue (), 1) == a
                 && haul_ui_item (queue (), 2) == b);
  /* a down: c b a. */
  g_assert_true (haul_ui_wait_row (GTK_WIDGET (ui.window), a, TIMEOUT_MS));
  g_assert_true (gtk_widget_activate_action (find_row (a), "row.move-down", NULL));
  g_assert_true (haul_ui_item (queue (), 0) == c && haul_ui_item (queue (), 1) == b
                 && haul_ui_item (queue (), 2) == a);

  /* Held, only what is started now runs. */
  g_assert_true (haul_ui_wait_row (GTK_WIDGET (ui.window), b, TIMEOUT_MS));
  g_assert_true (gtk_widget_activate_action (find_row (b), "row.start-now", NULL));
  g_assert_true (haul_ui_wait_state (b, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
  g_assert_cmpint (haul_download_get_state (c), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_cmpint (haul_download_get_state (a), ==, HAUL_DOWNLOAD_QUEUED);

  g_action_group_activate_action (G_ACTION_GROUP (ui.app), "hold-queue", NULL);
  g_assert_false (haul_queue_get_held (queue ()));
  g_assert_false (g_settings_get_boolean (settings, "hold-queue"));
  g_assert_true (haul_ui_wait_state (c, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_state (a, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
}

static gboolean
is_list_view (GtkWidget *widget,
              gpointer   data)
{
  return GTK_IS_LIST_VIEW (widget);
}

static gboolean
is_list_scroller (GtkWidget *widget,
                  gpointer   data)
{
  return GTK_IS_SCROLLED_WINDOW (widget) && haul_ui_find (widget, is_list_view, NULL) != NULL;
}

static gboolean
list_clear_of_toast_check (gpointer data)
{
  GtkWidget *scroller = haul_ui_find (GTK_WIDGET (ui.window), is_list_scroller, NULL);

  return scroller != NULL && gtk_widget_get_margin_bottom (scroller) > 0;
}

/* Delete on a running row takes it out at once; Undo brings it back and
 * it goes on. */
static void
test_delete_running_undo (void)
{
  HaulDownload *download;

  haul_ui_clear_queue (queue ());
  download = haul_ui_add_served (queue (), ui.server, "/steer/slow.bin", 2048 * KiB, 256 * KiB);
  g_object_ref (download);
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_DOWNLOADING, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_row (GTK_WIDGET (ui.window), download, TIMEOUT_MS));

  g_assert_true (gtk_widget_activate_action (find_row (download), "row.remove", NULL));
  g_assert_cmpuint (haul_ui_n_items (queue ()), ==, 0);
  g_assert_true (haul_ui_wait_for (undo_check, NULL, TIMEOUT_MS));
  /* The Undo toast is the window's: the list ends above it. */
  g_assert_true (haul_ui_wait_for (list_clear_of_toast_check, NULL, TIMEOUT_MS));
  gtk_widget_activate (find_undo ());
  g_assert_true (haul_ui_wait_n_items (queue (), 1, TIMEOUT_MS));
  g_assert_true (haul_ui_item (queue (), 0) == download);
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
  g_object_unref (download);
}

static gboolean
over_ten_mb_check (gpointer download)
{
  return haul_download_get_received (download) > 10 * 1000 * 1000;
}

/* Cancel keeps the bytes while Undo is offered, and Undo goes on from
 * them; past 10 MB it asks first, and Keep Downloading is the default. */
static void
test_cancel_undo (void)
{
  HaulDownload *download;
  AdwMessageDialog *dialog;
  g_autofree char *partial = NULL;

  haul_ui_clear_queue (queue ());
  download = haul_ui_add_served (queue (), ui.server, "/steer/cancel.bin", 1024 * KiB, 256 * KiB);
  g_object_ref (download);
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_DOWNLOADING, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_row (GTK_WIDGET (ui.window), download, TIMEOUT_MS));

  g_assert_true (gtk_widget_activate_action (find_row (download), "row.cancel", NULL));
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_CANCELLED, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_for (undo_of_check, (gpointer) "cancel.bin” cancelled",
                                   TIMEOUT_MS));
  partial = g_strdup (haul_download_get_partial_path (download));
  g_assert_nonnull (partial);
  g_assert_true (g_file_test (partial, G_FILE_TEST_IS_REGULAR));
  gtk_widget_activate (haul_ui_find (GTK_WIDGET (ui.window), is_undo_of,
                                     (gpointer) "cancel.bin” cancelled"));
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 3 * TIMEOUT_MS));

  /* A large download: asked, and kept. */
  haul_ui_clear_queue (queue ());
  g_object_unref (download);
  download = haul_ui_add_served (queue (), ui.server, "/steer/large.bin", 32 * 1024 * KiB,
                                 1024 * KiB);
  g_object_ref (download);
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_DOWNLOADING, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_for (over_ten_mb_check, download, 20000));
  g_assert_true (haul_ui_wait_row (GTK_WIDGET (ui.window), download, TIMEOUT_MS));
  g_assert_true (gtk_widget_activate_action (find_row (download), "row.cancel", NULL));
  g_assert_true (haul_ui_wait_message_dialog ("Cancel Download?", TIMEOUT_MS) != NULL);
  dialog = haul_ui_find_message_dialog ("Cancel Download?");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "keep");
  adw_message_dialog_response (dialog, "keep");
  haul_ui_spin (200);
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_DOWNLOADING);
  g_object_unref (download);
  haul_ui_clear_queue (queue ());
}

/* Delete File asks; Delete moves it to the trash and the row says it is
 * missing; Undo puts it back; Cancel leaves it. */
static void
test_delete_file_undo (void)
{
  HaulDownload *download;
  AdwMessageDialog *dialog;
  g_autofree char *path = NULL;
  g_autofree char *trashed = NULL;

  haul_ui_clear_queue (queue ());
  download = haul_ui_add_served (queue (), ui.server, "/steer/report.pdf", 32 * KiB, 0);
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
  path = haul_download_dup_path (download);
  trashed = g_build_filename (g_get_user_data_dir (), "Trash", "files",
                              haul_download_get_file_name (download), NULL);
  g_assert_true (haul_ui_wait_row (GTK_WIDGET (ui.window), download, TIMEOUT_MS));

  /* Cancel: nothing happens. */
  g_assert_true (gtk_widget_activate_action (find_row (download), "row.delete-file", NULL));
  g_assert_true (haul_ui_wait_message_dialog ("Delete File?", TIMEOUT_MS) != NULL);
  dialog = haul_ui_find_message_dialog ("Delete File?");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, "cancel");
  haul_ui_spin (200);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_true (gtk_widget_activate_action (find_row (download), "row.delete-file", NULL));
  g_assert_true (haul_ui_wait_message_dialog ("Delete File?", TIMEOUT_MS) != NULL);
  adw_message_dialog_response (haul_ui_find_message_dialog ("Delete File?"), "delete");
  g_assert_true (haul_ui_wait_for (undo_check, NULL, TIMEOUT_MS));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (trashed, G_FILE_TEST_IS_REGULAR));
  haul_ui_spin (200);
  g_assert_true (haul_download_get_file_missing (download));
  g_assert_cmpuint (haul_ui_n_items (queue ()), ==, 1);

  gtk_widget_activate (find_undo ());
  haul_ui_spin (500);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (trashed, G_FILE_TEST_EXISTS));
  g_assert_false (haul_download_get_file_missing (download));
}

static void
queue_and_wait (const char *uri)
{
  const char *uris[] = { uri, NULL };
  g_autofree char *folder = haul_ui_downloads_folder ();

  haul_window_queue_urls (ui.window, uris, folder);
  haul_ui_spin (300);
}

/* Adding an address again asks: Skip adds nothing, Download Again adds a
 * second download; a finished one on disk offers Open File. */
static void
test_duplicates (void)
{
  HaulDownload *done;
  AdwMessageDialog *dialog;
  g_autofree char *uri = NULL;

  haul_ui_clear_queue (queue ());
  done = haul_ui_add_served (queue (), ui.server, "/steer/twice.iso", 16 * KiB, 0);
  uri = g_strdup (haul_download_get_uri (done));
  g_assert_true (haul_ui_wait_state (done, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));

  queue_and_wait (uri);
  g_assert_true (haul_ui_wait_message_dialog ("Already Downloaded", TIMEOUT_MS) != NULL);
  dialog = haul_ui_find_message_dialog ("Already Downloaded");
  g_assert_true (adw_message_dialog_has_response (dialog, "open"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "open");
  g_test_message ("%s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "twice.iso"));
  adw_message_dialog_response (dialog, "skip");
  haul_ui_spin (200);
  g_assert_cmpuint (haul_ui_n_items (queue ()), ==, 1);

  queue_and_wait (uri);
  g_assert_true (haul_ui_wait_message_dialog ("Already Downloaded", TIMEOUT_MS) != NULL);
  adw_message_dialog_response (haul_ui_find_message_dialog ("Already Downloaded"), "again");
  g_assert_true (haul_ui_wait_n_items (queue (), 2, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_state (haul_ui_item (queue (), 1), HAUL_DOWNLOAD_COMPLETED,
                                     TIMEOUT_MS));
  g_assert_cmpstr (haul_download_get_file_name (haul_ui_item (queue (), 1)), !=,
                   haul_download_get_file_name (done));

  /* One of a batch is new, one twice in it, one in the list: the new one
   * is added once, the question is about the one in the list. */
  {
    g_autofree char *fresh = haul_test_server_uri (ui.server, "/steer/fresh.bin");
    g_autofree char *folder = haul_ui_downloads_folder ();
    const char *uris[] = { fresh, fresh, uri, NULL };
    g_autoptr(GBytes) body = haul_test_make_bytes (1024, 3);

    haul_test_server_add_file (ui.server, "/steer/fresh.bin", body, NULL);
    haul_window_queue_urls (ui.window, uris, folder);
    g_assert_true (haul_ui_wait_message_dialog ("Already in the List", TIMEOUT_MS) != NULL
                   || haul_ui_wait_message_dialog ("Already Downloaded", 100) != NULL);
    g_assert_cmpuint (haul_ui_n_items (queue ()), ==, 3);
  }
}

int
main (int   argc,
      char *argv[])
{
  haul_ui_app_init (&ui, &argc, &argv);

  g_test_add_func ("/haul/ui/steer/hold-move-start-now", test_hold_move_start_now);
  g_test_add_func ("/haul/ui/steer/delete-running-undo", test_delete_running_undo);
  g_test_add_func ("/haul/ui/steer/delete-file-undo", test_delete_file_undo);
  g_test_add_func ("/haul/ui/steer/cancel-undo", test_cancel_undo);
  g_test_add_func ("/haul/ui/steer/duplicates", test_duplicates);

  return haul_ui_app_run (&ui);
}
