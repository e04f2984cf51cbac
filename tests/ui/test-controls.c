/* test-controls.c: the window's controls for what the engine can do
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/ui/run-with-display (Xvfb, its own HOME and XDG
 * folders): the real application and window, downloads from a real server
 * on 127.0.0.1, the database really locked by another connection. The bar
 * that says history is not being saved, the alternative speed limit, the
 * subtitle of a paused queue, a download's own limit, a new address, the
 * Add dialog's checksum field.
 */

#include "config.h"

#include <sqlite3.h>

#include <adwaita.h>

#include "haul-add-dialog.h"
#include "haul-address-dialog.h"
#include "haul-application.h"
#include "haul-checksum.h"
#include "haul-download-row.h"
#include "haul-fake-desktop.h"
#include "haul-test-server.h"
#include "haul-window.h"
#include "ui-app-fixture.h"
#include "ui-test-util.h"
#include "haul-window-subtitle.h"
#include "haul-write-error-bar.h"

#define TIMEOUT_MS 10000
#define KiB 1024
/* HAUL_CONTROLS_SHOTS=DIR: what a person sees, as PNGs to look at. */
#define SHOTS "HAUL_CONTROLS_SHOTS"

static HaulUiApp ui;

static GtkWidget *
find_row (HaulDownload *download)
{
  return haul_ui_find_row (GTK_WIDGET (ui.window), download);
}

/* The queue ------------------------------------------------------------- */

static HaulQueue *
queue (void)
{
  return haul_application_get_queue (ui.app);
}

static gboolean
has_action (GtkWidget *widget,
            gpointer   action)
{
  return GTK_IS_ACTIONABLE (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static const char *
subtitle (void)
{
  GtkWidget *found = haul_ui_find_type (GTK_WIDGET (ui.window), ADW_TYPE_WINDOW_TITLE);
  const char *text = adw_window_title_get_subtitle (ADW_WINDOW_TITLE (found));

  return text != NULL ? text : "";
}

static gboolean
subtitle_check (gpointer expected)
{
  return g_strcmp0 (subtitle (), expected) == 0;
}

static void
hold (gboolean held)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  g_settings_set_boolean (settings, "hold-queue", held);
  g_assert_cmpint (haul_queue_get_held (queue ()), ==, held);
}

/* Tests ------------------------------------------------------------------ */

static HaulWriteErrorBar *
write_error_bar (void)
{
  GtkWidget *bar = haul_ui_find_type (GTK_WIDGET (ui.window), HAUL_TYPE_WRITE_ERROR_BAR);

  return HAUL_WRITE_ERROR_BAR (bar);
}

static gboolean
bar_shown_check (gpointer data)
{
  return haul_write_error_bar_get_message (write_error_bar ()) != NULL;
}

static gboolean
bar_hidden_check (gpointer data)
{
  return haul_write_error_bar_get_message (write_error_bar ()) == NULL;
}

/* Another program holds the database: the window says the list is not
 * being saved, and why; when it lets go, the bar goes. */
static void
test_write_error_bar (void)
{
  g_autofree char *db_path = g_build_filename (g_get_user_data_dir (), "haul", "downloads.db",
                                               NULL);
  HaulWriteErrorBar *bar = write_error_bar ();
  sqlite3 *locker = NULL;
  const char *message;
  GLogLevelFlags always_fatal;

  g_assert_nonnull (bar);
  /* The store says it in the log too (a warning), from its thread. */
  always_fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  haul_ui_clear_queue (queue ());
  g_assert_true (haul_store_sync (haul_queue_get_store (queue ())));
  g_assert_null (haul_write_error_bar_get_message (bar));

  g_assert_cmpint (sqlite3_open (db_path, &locker), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (locker, "BEGIN EXCLUSIVE;", NULL, NULL, NULL), ==, SQLITE_OK);

  hold (TRUE);  /* a save, and no transfer to write checkpoints */
  haul_ui_add_served (queue (), ui.server, "/controls/saved.bin", 4 * KiB, 0);
  /* The writer waits out SQLite's busy timeout (5 s) first. */
  g_assert_true (haul_ui_wait_for (bar_shown_check, NULL, 3 * TIMEOUT_MS));
  message = haul_write_error_bar_get_message (bar);
  g_test_message ("bar: %s", message);
  g_assert_nonnull (strstr (message, "not being saved"));
  g_assert_nonnull (strstr (message, "another program is holding the database"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (bar)));
  haul_ui_shot (GTK_WIDGET (ui.window), SHOTS, "controls-write-error");

  g_assert_cmpint (sqlite3_exec (locker, "COMMIT;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (locker);
  g_assert_true (haul_ui_wait_for (bar_hidden_check, NULL, 3 * TIMEOUT_MS));
  g_log_set_always_fatal (always_fatal);
  hold (FALSE);
}

/* The header bar's toggle switches the alternative limit on and off, as
 * the setting and the queue see it; the main menu has it too. */
static void
test_alt_speed_toggle (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GtkWidget *toggle = haul_ui_find (GTK_WIDGET (ui.window), has_action,
                                    (gpointer) "app.alt-speed-enabled");
  gboolean enabled = FALSE;

  g_assert_nonnull (toggle);
  g_assert_true (GTK_IS_TOGGLE_BUTTON (toggle));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (toggle), ==, "Alternative Speed Limit");
  g_assert_true (gtk_widget_get_focusable (toggle) || gtk_widget_get_can_focus (toggle));
  g_assert_false (g_settings_get_boolean (settings, "alt-speed-enabled"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (ui.app), "alt-speed-enabled"));
  g_assert_true (gtk_widget_is_sensitive (toggle));

  gtk_widget_activate (toggle);  /* clicked after GtkButton's 250 ms press */
  haul_ui_spin (500);
  g_assert_true (g_settings_get_boolean (settings, "alt-speed-enabled"));
  g_object_get (queue (), "alt-speed-enabled", &enabled, NULL);
  g_assert_true (enabled);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));

  gtk_widget_activate (toggle);
  haul_ui_spin (500);
  g_assert_false (g_settings_get_boolean (settings, "alt-speed-enabled"));
  g_object_get (queue (), "alt-speed-enabled", &enabled, NULL);
  g_assert_false (enabled);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
}

/* A held queue says so in the subtitle, with what waits. */
static void
test_queue_paused_subtitle (void)
{
  HaulDownload *a, *b;

  haul_ui_clear_queue (queue ());
  hold (TRUE);
  a = haul_ui_add_served (queue (), ui.server, "/controls/held-a.bin", 16 * KiB, 0);
  b = haul_ui_add_served (queue (), ui.server, "/controls/held-b.bin", 16 * KiB, 0);
  g_assert_true (haul_ui_wait_for (subtitle_check, (gpointer) "Queue paused, 2 waiting",
                                   TIMEOUT_MS));
  haul_ui_shot (GTK_WIDGET (ui.window), SHOTS, "controls-held");
  hold (FALSE);
  g_assert_true (haul_ui_wait_state (a, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_state (b, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_for (subtitle_check, (gpointer) "", TIMEOUT_MS));
  hold (TRUE);
  g_assert_true (haul_ui_wait_for (subtitle_check, (gpointer) "Queue paused", TIMEOUT_MS));
  hold (FALSE);
  g_assert_true (haul_ui_wait_for (subtitle_check, (gpointer) "", TIMEOUT_MS));
}

/* Speed Limit… on a running row: the number typed is its limit, and the
 * bytes slow down to it. */
static void
test_download_speed_limit (void)
{
  HaulDownload *download;
  AdwMessageDialog *dialog;
  GtkSpinButton *spin_button;
  guint64 before, after;
  double seconds;
  gint64 start;

  haul_ui_clear_queue (queue ());
  download = haul_ui_add_served (queue (), ui.server, "/controls/limited.bin", 4096 * KiB,
                                 512 * KiB);
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_DOWNLOADING, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_row (GTK_WIDGET (ui.window), download, TIMEOUT_MS));
  g_assert_true (gtk_widget_activate_action (find_row (download), "row.speed-limit", NULL));
  g_assert_true (haul_ui_wait_message_dialog ("Speed Limit", TIMEOUT_MS) != NULL);
  dialog = haul_ui_find_message_dialog ("Speed Limit");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "set");
  spin_button = GTK_SPIN_BUTTON (haul_ui_find_type (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON));
  g_assert_nonnull (spin_button);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin_button), ==, 0);
  haul_ui_shot (GTK_WIDGET (dialog), SHOTS, "controls-limit");
  gtk_editable_set_text (GTK_EDITABLE (spin_button), "64");
  haul_ui_click_response (dialog, "_Set Limit");
  g_assert_cmpuint (haul_download_get_speed_limit (download), ==, 64 * KiB);

  /* Let the bucket settle, then count for 1.5 s: 64 KiB/s, not 512. */
  haul_ui_spin (500);
  before = haul_download_get_received (download);
  start = g_get_monotonic_time ();
  haul_ui_spin (1500);
  after = haul_download_get_received (download);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("limited to 64 KiB/s: %.0f KiB/s", (after - before) / 1024.0 / seconds);
  g_assert_cmpfloat ((after - before) / seconds, <, 160.0 * KiB);
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_DOWNLOADING);

  /* 0: none of its own again, and the row's menu offers it again. */
  g_assert_true (gtk_widget_activate_action (find_row (download), "row.speed-limit", NULL));
  g_assert_true (haul_ui_wait_message_dialog ("Speed Limit", TIMEOUT_MS) != NULL);
  dialog = haul_ui_find_message_dialog ("Speed Limit");
  spin_button = GTK_SPIN_BUTTON (haul_ui_find_type (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin_button), ==, 64);
  gtk_spin_button_set_value (spin_button, 0);
  haul_ui_click_response (dialog, "_Set Limit");
  g_assert_cmpuint (haul_download_get_speed_limit (download), ==, 0);
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
}

static gboolean
error_check (gpointer dialog)
{
  return haul_ui_prompt_error (dialog) != NULL;
}

static gboolean
is_label (GtkWidget *widget,
          gpointer   text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

/* A toast shows its title in a label over the list. */
static gboolean
toast_check (gpointer title)
{
  return haul_ui_find (GTK_WIDGET (ui.window), is_label, title) != NULL;
}

/* Change Address… on a paused row: another file is said in the dialog
 * (which stays, and offers Start Again and Keep Both), a dead address too;
 * the same file is taken, and the download goes on from its bytes. */
static void
test_change_address (void)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (1024 * KiB, 5);
  g_autoptr(GBytes) other = haul_test_make_bytes (700 * KiB, 6);
  HaulTestFileOptions slow = { .etag = "\"v1\"", .bytes_per_second = 256 * KiB };
  HaulTestFileOptions same = { .etag = "\"v1\"" };
  HaulTestFileOptions changed = { .etag = "\"v2\"" };
  g_autofree char *old_uri = haul_test_server_uri (ui.server, "/controls/old.iso");
  g_autofree char *new_uri = haul_test_server_uri (ui.server, "/controls/new.iso");
  g_autofree char *other_uri = haul_test_server_uri (ui.server, "/controls/other.iso");
  g_autofree char *dead_uri = haul_test_server_uri (ui.server, "/controls/nothing-here.iso");
  g_autofree char *folder = haul_ui_downloads_folder ();
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  HaulAddressDialog *dialog;
  HaulDownload *download;
  guint64 kept;

  haul_ui_clear_queue (queue ());
  haul_test_server_add_file (ui.server, "/controls/old.iso", body, &slow);
  haul_test_server_add_file (ui.server, "/controls/new.iso", body, &same);
  haul_test_server_add_file (ui.server, "/controls/other.iso", other, &changed);
  download = haul_queue_add (queue (), old_uri, folder, &error);
  g_assert_no_error (error);
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_DOWNLOADING, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_row (GTK_WIDGET (ui.window), download, TIMEOUT_MS));
  g_assert_false (gtk_widget_activate_action (find_row (download), "row.change-address", NULL)
                  && haul_ui_find_message_dialog ("Change Address") != NULL);
  haul_ui_spin (600);
  haul_queue_pause (queue (), download);
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_PAUSED, TIMEOUT_MS));
  kept = haul_download_get_received (download);
  g_assert_cmpuint (kept, >, 0);
  g_assert_true (haul_ui_wait_row (GTK_WIDGET (ui.window), download, TIMEOUT_MS));

  g_assert_true (gtk_widget_activate_action (find_row (download), "row.change-address", NULL));
  g_assert_true (haul_ui_wait_message_dialog ("Change Address", TIMEOUT_MS) != NULL);
  dialog = HAUL_ADDRESS_DIALOG (haul_ui_find_message_dialog ("Change Address"));
  g_assert_cmpstr (gtk_editable_get_text (haul_ui_prompt_entry (dialog)), ==, old_uri);

  /* A dead link: said in words, the dialog stays. */
  gtk_editable_set_text (haul_ui_prompt_entry (dialog), dead_uri);
  haul_ui_click_response (ADW_MESSAGE_DIALOG (dialog), "C_hange");
  g_assert_true (haul_ui_wait_for (error_check, dialog, TIMEOUT_MS));
  g_test_message ("dead: %s", haul_ui_prompt_error (dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  haul_ui_spin (100);
  g_assert_true (haul_ui_find_message_dialog ("Change Address") == ADW_MESSAGE_DIALOG (dialog));

  /* Another file: said, nothing changed, the two choices offered. */
  gtk_editable_set_text (haul_ui_prompt_entry (dialog), other_uri);
  haul_ui_click_response (ADW_MESSAGE_DIALOG (dialog), "C_hange");
  g_assert_true (haul_ui_wait_for (error_check, dialog, TIMEOUT_MS));
  g_test_message ("other: %s", haul_ui_prompt_error (dialog));
  g_assert_nonnull (strstr (haul_ui_prompt_error (dialog), "another file"));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "restart"));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "both"));
  haul_ui_shot (GTK_WIDGET (dialog), SHOTS, "controls-address-other");
  haul_ui_spin (100);
  g_assert_true (haul_ui_find_message_dialog ("Change Address") == ADW_MESSAGE_DIALOG (dialog));
  g_assert_cmpstr (haul_download_get_uri (download), ==, old_uri);
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_PAUSED);

  /* The same file at the new address: taken, told in a toast, goes on.
   * While the server is asked, the two choices wait too. */
  gtk_editable_set_text (haul_ui_prompt_entry (dialog), new_uri);
  haul_ui_click_response (ADW_MESSAGE_DIALOG (dialog), "C_hange");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "both"));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                           "restart"));
  g_assert_true (haul_ui_wait_for (toast_check,
                                   (gpointer) "New address taken; the download goes on from its bytes",
                                   TIMEOUT_MS));
  haul_ui_spin (100);
  g_assert_null (haul_ui_find_message_dialog ("Change Address"));
  g_assert_cmpstr (haul_download_get_uri (download), ==, new_uri);
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
  path = haul_download_dup_path (download);
  g_assert_true (haul_test_file_equals (path, body));
  g_assert_cmpuint (haul_test_server_get_n_requests (ui.server, "/controls/new.iso"), >=, 1);
}

/* The Add dialog's checksum field ---------------------------------------- */

/* The row's status line is an inscription. */
static gboolean
is_status_with (GtkWidget *widget,
                gpointer   text)
{
  const char *status;

  if (!GTK_IS_INSCRIPTION (widget) || !gtk_widget_get_mapped (widget))
    return FALSE;
  status = gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  return status != NULL && strstr (status, text) != NULL;
}

static gboolean
row_says_check (gpointer download)
{
  GtkWidget *row = find_row (download);

  return row != NULL && haul_ui_find (row, is_status_with, (gpointer) "SHA-256 verified") != NULL;
}

static gboolean
mapped_check (gpointer widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

static gboolean
dialog_gone_check (gpointer data)
{
  return haul_window_get_add_dialog (ui.window) == NULL;
}

/* What is under the field: the message shown, or NULL. */
static const char *
checksum_message (HaulAddDialog *dialog)
{
  GtkWidget *row = haul_ui_find_type (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
  GtkWidget *label = gtk_widget_get_next_sibling (gtk_widget_get_parent (row));

  g_assert_true (GTK_IS_LABEL (label));
  return gtk_widget_get_visible (label) ? gtk_label_get_label (GTK_LABEL (label)) : NULL;
}

static gboolean
can_download (HaulAddDialog *dialog)
{
  GtkWidget *button = haul_ui_find (GTK_WIDGET (dialog), has_action, (gpointer) "add.download");

  return gtk_widget_is_sensitive (button);
}

static void
set_links (HaulAddDialog *dialog,
           const char    *text)
{
  g_autoptr(HaulLinkList) links = haul_link_parse ("text/plain", (const guint8 *) text,
                                                   strlen (text), NULL);

  haul_add_dialog_set_links (dialog, links);
}

/* Typed by a person: a checksum that is not one is said under the field in
 * the parser's words and Download cannot be pressed; one checksum for two
 * links neither; the right one is taken with the link, the download
 * completes and the row says it was verified. */
static void
test_add_dialog_checksum (void)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (300 * KiB, 9);
  g_autofree char *uri = haul_test_server_uri (ui.server, "/controls/summed.iso");
  g_autofree char *other = haul_test_server_uri (ui.server, "/controls/other-summed.iso");
  g_autofree char *two = g_strdup_printf ("%s\n%s", uri, other);
  g_autofree char *hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  g_autofree char *upper = g_ascii_strup (hex, -1);
  g_autofree char *typed = g_strdup_printf ("  SHA-256=%s ", upper);
  g_autoptr(HaulChecksumSpec) expected = haul_checksum_spec_parse (hex, NULL);
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *path = NULL;
  HaulAddDialog *dialog;
  GtkEditable *field;
  HaulDownload *download;

  haul_ui_clear_queue (queue ());
  haul_test_server_add_file (ui.server, "/controls/summed.iso", body, NULL);
  dialog = haul_window_show_add_dialog (ui.window, NULL);
  g_assert_true (haul_ui_wait_for (mapped_check, dialog, TIMEOUT_MS));
  set_links (dialog, uri);
  field = GTK_EDITABLE (haul_ui_find_type (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW));
  g_assert_true (can_download (dialog));
  g_assert_null (checksum_message (dialog));

  /* Too short to be any checksum: the parser's message, under the field. */
  g_assert_null (haul_checksum_spec_parse ("sha-256=3a7bd3e2", &parse_error));
  gtk_editable_set_text (field, "sha-256=3a7bd3e2");
  g_assert_cmpstr (checksum_message (dialog), ==, parse_error->message);
  g_test_message ("said: %s", checksum_message (dialog));
  g_assert_false (can_download (dialog));
  g_assert_null (haul_add_dialog_get_checksum (dialog));
  haul_ui_shot (GTK_WIDGET (dialog), SHOTS, "controls-add-checksum-invalid");
  /* Ctrl+Return does not get round it. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "add.download", NULL);
  g_assert_true (haul_window_get_add_dialog (ui.window) == dialog);
  g_assert_cmpuint (haul_ui_n_items (queue ()), ==, 0);

  /* A valid checksum, but two links: one file's checksum. */
  gtk_editable_set_text (field, typed);
  g_assert_null (checksum_message (dialog));
  g_assert_true (can_download (dialog));
  set_links (dialog, two);
  g_assert_nonnull (checksum_message (dialog));
  g_test_message ("said: %s", checksum_message (dialog));
  g_assert_false (can_download (dialog));

  /* One link and the right checksum, typed in capitals with spaces. */
  set_links (dialog, uri);
  g_assert_null (checksum_message (dialog));
  g_assert_true (can_download (dialog));
  g_assert_true (haul_checksum_spec_equal (haul_add_dialog_get_checksum (dialog), expected));
  haul_ui_shot (GTK_WIDGET (dialog), SHOTS, "controls-add-checksum");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "add.download", NULL));
  g_assert_true (haul_ui_wait_for (dialog_gone_check, NULL, TIMEOUT_MS));
  g_assert_cmpuint (haul_ui_n_items (queue ()), ==, 1);
  download = haul_queue_find_uri (queue (), uri);
  g_assert_nonnull (download);
  g_assert_nonnull (haul_download_get_checksum (download));
  g_assert_true (haul_checksum_spec_equal (haul_download_get_checksum (download), expected));
  g_assert_cmpint (haul_checksum_spec_get_source (haul_download_get_checksum (download)), ==,
                   HAUL_CHECKSUM_SOURCE_USER);
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
  g_assert_cmpint (haul_download_get_checksum_state (download), ==, HAUL_CHECKSUM_VERIFIED);
  path = haul_download_dup_path (download);
  g_assert_true (haul_test_file_equals (path, body));
  g_assert_true (haul_ui_wait_for (row_says_check, download, TIMEOUT_MS));
}

/* Pasted onto a row ------------------------------------------------------ */

/* The row's list item takes the focus, as a click or the arrow keys give it. */
static void
focus_row (HaulDownload *download)
{
  GtkWidget *row = find_row (download);
  GtkWidget *focus;

  for (GtkWidget *w = row; w != NULL && !gtk_widget_grab_focus (w); w = gtk_widget_get_parent (w))
    ;
  focus = gtk_root_get_focus (GTK_ROOT (ui.window));
  g_assert_nonnull (focus);
  g_assert_true (focus == row || gtk_widget_is_ancestor (row, focus));
}

static void
paste_text (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  haul_window_handle_data (ui.window, "text/plain;charset=utf-8", bytes, TRUE);
}

/* One new link pasted onto a failed row: that row's Change Address, with
 * the link in it; the same file there is taken. A link the list has, or a
 * row that is running, gets what a paste always gets. */
static void
test_paste_new_address (void)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (400 * KiB, 8);
  HaulTestFileOptions same = { .etag = "\"m1\"" };
  g_autofree char *old_uri = haul_test_server_uri (ui.server, "/controls/expired.iso");
  g_autofree char *new_uri = haul_test_server_uri (ui.server, "/controls/fresh.iso");
  g_autofree char *folder = haul_ui_downloads_folder ();
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  HaulAddressDialog *dialog;
  HaulDownload *download;

  haul_ui_clear_queue (queue ());
  haul_test_server_add_status (ui.server, "/controls/expired.iso", 403);
  haul_test_server_add_file (ui.server, "/controls/fresh.iso", body, &same);
  download = haul_queue_add (queue (), old_uri, folder, &error);
  g_assert_no_error (error);
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_FAILED, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_row (GTK_WIDGET (ui.window), download, TIMEOUT_MS));

  /* Its own address again: no dialog (the duplicates question instead). */
  focus_row (download);
  paste_text (old_uri);
  haul_ui_spin (500);
  g_assert_null (haul_ui_find_message_dialog ("Change Address"));
  g_assert_cmpuint (haul_ui_n_items (queue ()), ==, 1);
  {
    AdwMessageDialog *question = NULL;
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (item) && gtk_widget_get_visible (GTK_WIDGET (item)))
          question = ADW_MESSAGE_DIALOG (item);
      }
    if (question != NULL)
      gtk_window_destroy (GTK_WINDOW (question));
  }

  /* A new one: the row's Change Address, filled in. */
  focus_row (download);
  paste_text (new_uri);
  g_assert_true (haul_ui_wait_message_dialog ("Change Address", TIMEOUT_MS) != NULL);
  dialog = HAUL_ADDRESS_DIALOG (haul_ui_find_message_dialog ("Change Address"));
  g_assert_cmpstr (gtk_editable_get_text (haul_ui_prompt_entry (dialog)), ==, new_uri);
  g_assert_cmpuint (haul_ui_n_items (queue ()), ==, 1);
  haul_ui_shot (GTK_WIDGET (dialog), SHOTS, "controls-address-pasted");
  haul_ui_click_response (ADW_MESSAGE_DIALOG (dialog), "C_hange");
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
  g_assert_cmpstr (haul_download_get_uri (download), ==, new_uri);
  path = haul_download_dup_path (download);
  g_assert_true (haul_test_file_equals (path, body));
  g_assert_cmpuint (haul_ui_n_items (queue ()), ==, 1);

  /* A completed row: the paste adds the link, no dialog. */
  haul_test_server_add_file (ui.server, "/controls/another.iso", body, NULL);
  g_assert_true (haul_ui_wait_row (GTK_WIDGET (ui.window), download, TIMEOUT_MS));
  focus_row (download);
  {
    g_autofree char *another = haul_test_server_uri (ui.server, "/controls/another.iso");

    paste_text (another);
    g_assert_true (haul_ui_wait_n_items (queue (), 2, TIMEOUT_MS));
  }
  g_assert_null (haul_ui_find_message_dialog ("Change Address"));
}

/* With a remote engine the subtitle says where the downloads are first. */
static void
test_engine_subtitle (void)
{
  g_autofree char *local = haul_window_subtitle_format_engine (HAUL_ENGINE_LOCAL, NULL);
  g_autofree char *connecting = haul_window_subtitle_format_engine (HAUL_ENGINE_CONNECTING,
                                                                    "nas:6800");
  g_autofree char *connected = haul_window_subtitle_format_engine (HAUL_ENGINE_CONNECTED,
                                                                   "nas:6800");
  g_autofree char *unreachable = haul_window_subtitle_format_engine (HAUL_ENGINE_UNREACHABLE,
                                                                     "nas:6800");

  g_assert_null (local);
  g_assert_cmpstr (connecting, ==, "Connecting to aria2 at nas:6800…");
  g_assert_cmpstr (connected, ==, "aria2 at nas:6800");
  g_assert_cmpstr (unreachable, ==, "aria2 at nas:6800 cannot be reached");
}

int
main (int   argc,
      char *argv[])
{
  haul_ui_app_init (&ui, &argc, &argv);

  g_test_add_func ("/haul/ui/controls/write-error-bar", test_write_error_bar);
  g_test_add_func ("/haul/ui/controls/alt-speed-toggle", test_alt_speed_toggle);
  g_test_add_func ("/haul/ui/controls/queue-paused-subtitle", test_queue_paused_subtitle);
  g_test_add_func ("/haul/ui/controls/download-speed-limit", test_download_speed_limit);
  g_test_add_func ("/haul/ui/controls/change-address", test_change_address);
  g_test_add_func ("/haul/ui/controls/engine-subtitle", test_engine_subtitle);
  g_test_add_func ("/haul/ui/controls/add-dialog-checksum", test_add_dialog_checksum);
  g_test_add_func ("/haul/ui/controls/paste-new-address", test_paste_new_address);

  return haul_ui_app_run (&ui);
}
