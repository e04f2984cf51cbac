/* test-row-details.c: one download's row: its details, its buttons on a real queue
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/ui/run-with-display (Xvfb). The row of row-fixture.c:
 * the details dialog it opens, kept up to date; Retry Now and Download
 * Anyway pressed on it, against real servers on 127.0.0.1. Its words in
 * every state are test-row.c's.
 */

#include "config.h"

#include <adwaita.h>

#include "haul-checksum.h"
#include "haul-details-dialog.h"
#include "haul-download-private.h"
#include "haul-download-row.h"
#include "haul-queue.h"
#include "haul-test-ranges.h"
#include "haul-test-server.h"
#include "row-fixture.h"
#include "ui-test-util.h"

/* ------------------------------------------------------------------ */
/* The details                                                         */

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
  haul_ui_spin (50);

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
  haul_ui_spin (700);
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
  haul_ui_spin (100);
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

/* ------------------------------------------------------------------ */
/* The row on a real queue                                             */

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
           gpointer       state)
{
  HaulDownload *download = haul_download_row_get_download (HAUL_DOWNLOAD_ROW (row));

  return haul_download_get_state (download) == (HaulDownloadState) GPOINTER_TO_INT (state);
}

static gboolean
is_server_busy (GtkWidget     *row,
                gpointer       data)
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

  g_assert_true (haul_ui_wait_match (is_server_busy, row, NULL, TIMEOUT_MS));
  haul_ui_spin (50);
  g_assert_true (g_str_has_prefix (haul_ui_row_status (row), "Server busy · retrying in "));
  button = row_button (row, "row.retry-now", "Retry Now");

  pressed = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (haul_ui_wait_match (has_state, row, GINT_TO_POINTER (HAUL_DOWNLOAD_COMPLETED),
                                     5000));
  g_test_message ("completed %.2f s after Retry Now", (g_get_monotonic_time () - pressed) / 1e6);
  g_assert_cmpint (g_get_monotonic_time () - pressed, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (g_atomic_int_get (&busy.n_connections), ==, 2);
  path = haul_download_dup_path (download);
  g_assert_true (haul_test_file_equals (path, busy.body));
  haul_ui_spin (50);
  g_assert_true (g_str_has_prefix (haul_ui_row_status (row), "Completed · "));
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
  haul_ui_spin (50);
  g_assert_cmpstr (haul_ui_row_status (row), ==, "Waiting for an unmetered connection");

  g_assert_true (gtk_widget_activate (row_button (row, "row.start-now", "Download Anyway")));
  g_assert_true (haul_ui_wait_match (has_state, row, GINT_TO_POINTER (HAUL_DOWNLOAD_COMPLETED),
                                     5000));
  path = haul_download_dup_path (download);
  g_assert_true (haul_test_file_equals (path, body));
  haul_ui_spin (50);
  g_assert_false (row_button_shown (row, "row.start-now"));

  haul_download_row_set_download (HAUL_DOWNLOAD_ROW (row), fixture->download);
  haul_download_row_set_queue (HAUL_DOWNLOAD_ROW (row), NULL);
  haul_queue_shutdown (queue);
  g_assert_finalize_object (queue);
  haul_test_server_free (server);
  haul_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  row_test_init (&argc, &argv);

  g_test_add ("/haul/ui/row/retry-now", Fixture, NULL, fixture_setup, test_retry_now,
              fixture_teardown);
  g_test_add ("/haul/ui/row/download-anyway", Fixture, NULL, fixture_setup,
              test_download_anyway, fixture_teardown);
  g_test_add ("/haul/ui/row/details", Fixture, NULL, fixture_setup, test_details, fixture_teardown);

  return g_test_run ();
}
