/* test-open-error.c: a file that cannot be opened, said in words
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/ui/run-with-display: the real application and window,
 * a real download from a local server, a real launch of the default
 * application that fails (nothing opens application/octet-stream here).
 */

#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "haul-application.h"
#include "haul-details-dialog.h"
#include "haul-open-error.h"
#include "haul-test-server.h"
#include "haul-window.h"
#include "ui-test-util.h"

#define TIMEOUT_MS 20000

/* The words for each kind of failure: never the system's text. */
static void
test_words (void)
{
  g_autoptr(GError) missing = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                                   "Error when getting information for file "
                                                   "“/x/report.pdf”: No such file or directory");
  g_autoptr(GError) no_app = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                                  "Failed to find default application for "
                                                  "content type ‘application/pdf’");
  g_autoptr(GError) denied = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                                                  "Permission denied");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                 "Child process exited with code 1");
  char *words;

  words = haul_describe_open_error ("/x/report.pdf", NULL, missing);
  g_assert_cmpstr (words, ==, "“report.pdf” is no longer in its folder. It may have been "
                              "moved, renamed or deleted.");
  g_free (words);

  /* The server's type wins over the name's. */
  words = haul_describe_open_error ("/x/report", "application/pdf; charset=binary", no_app);
  g_assert_cmpstr (words, ==, "There is no app installed for “PDF document” files.");
  g_free (words);

  words = haul_describe_open_error ("/x/blob.bin", "application/octet-stream", no_app);
  g_assert_cmpstr (words, ==, "There is no app installed that opens this kind of file.");
  g_free (words);

  words = haul_describe_open_error ("/x/report.pdf", NULL, denied);
  g_assert_cmpstr (words, ==, "You are not allowed to open “report.pdf”.");
  g_free (words);

  words = haul_describe_open_error ("/x/report.pdf", NULL, other);
  g_assert_cmpstr (words, ==, "The app for “PDF document” files did not start.");
  g_free (words);
}

typedef struct
{
  GType      type;
  GtkWindow *window;
} WindowQuery;

static gboolean
find_toplevel (gpointer data)
{
  WindowQuery *query = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, query->type)
          && gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          query->window = window;  /* the window system keeps it */
          return TRUE;
        }
    }
  return FALSE;
}

static GtkWindow *
wait_window (GType type)
{
  WindowQuery query = { type, NULL };

  g_assert_true (haul_ui_wait_for (find_toplevel, &query, TIMEOUT_MS));
  return query.window;
}

/* Open on a downloaded file nothing can open: a dialog says so in words,
 * its Details show the download with the system's whole message. */
static void
test_open_fails (void)
{
  g_autoptr(HaulApplication) app = haul_application_new ();
  g_autoptr(GBytes) body = haul_test_make_bytes (32 * 1024, 3);
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (g_get_home_dir (), "Downloads", NULL);
  g_autofree char *uri = NULL;
  g_autofree char *path = NULL;
  HaulTestServer *server = haul_test_server_new ();
  HaulDownload *download;
  GtkWindow *window;
  GtkWindow *dialog;
  GtkWindow *details;
  const char *problem;

  haul_test_server_add_file (server, "/files/blob.bin", body, NULL);
  uri = haul_test_server_uri (server, "/files/blob.bin");

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  /* No notification server on this bus. */
  g_settings_set_boolean (haul_application_get_settings (app), "notifications", FALSE);
  g_application_activate (G_APPLICATION (app));
  window = haul_application_get_window (app);

  download = haul_queue_add (haul_application_get_queue (app), uri, folder, &error);
  g_assert_no_error (error);
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
  path = haul_download_dup_path (download);

  g_action_group_activate_action (G_ACTION_GROUP (app), "open-file", g_variant_new_string (path));
  dialog = wait_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_true (gtk_window_get_transient_for (dialog) == window);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Could Not Open “blob.bin”");
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "There is no app installed that opens this kind of file.");
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "details"));

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "details");
  details = wait_window (HAUL_TYPE_DETAILS_DIALOG);
  g_assert_true (haul_details_dialog_get_download (HAUL_DETAILS_DIALOG (details)) == download);
  problem = haul_details_dialog_get_field (HAUL_DETAILS_DIALOG (details), "problem");
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "There is no app installed that opens this kind of file."));
  /* The system's own words, whole. */
  g_assert_nonnull (strstr (problem, "Failed to find default application for content type "
                                     "‘application/octet-stream’"));

  gtk_window_destroy (details);
  gtk_window_destroy (window);
  haul_queue_shutdown (haul_application_get_queue (app));
  haul_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("haul");
  /* As the application does at startup (see haul_application_startup):
   * the words are asked for before any application exists here. */
  g_content_type_get_mime_dirs ();

  g_test_add_func ("/haul/ui/open-error/words", test_words);
  g_test_add_func ("/haul/ui/open-error/open-fails", test_open_fails);

  return g_test_run ();
}
