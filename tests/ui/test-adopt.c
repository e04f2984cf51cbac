/* test-adopt.c: a browser's partial download dropped on the window
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/ui/run-with-display (Xvfb, its own HOME and XDG
 * folders): the real application and window, a real server on 127.0.0.1,
 * real files left as Firefox and Chromium leave them. A file manager's
 * drop (text/uri-list) goes the way every drop goes, through the window's
 * drop reader; then the dialog asks for the address, and the download
 * goes on from the browser's bytes, or the person is asked, or nothing
 * happens to the file.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "haul-adopt-dialog.h"
#include "haul-application.h"
#include "haul-error.h"
#include "haul-fake-desktop.h"
#include "haul-test-server.h"
#include "haul-window.h"
#include "ui-app-fixture.h"
#include "ui-test-util.h"

#define TIMEOUT_MS 15000
#define KiB 1024
/* HAUL_ADOPT_SHOTS=DIR: the dialogs as a person sees them, as PNGs. */
#define SHOTS "HAUL_ADOPT_SHOTS"

static HaulUiApp ui;
static char            *folder;   /* where "the browser" downloaded */

static HaulQueue *
queue (void)
{
  return haul_application_get_queue (ui.app);
}

static char *
path_in (const char *name)
{
  return g_build_filename (folder, name, NULL);
}

/* What the browser left: the first @size bytes of @body as @name. */
static char *
plant (const char *name,
       GBytes     *body,
       gsize       size)
{
  char *path = path_in (name);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (body, NULL), size, NULL));
  return path;
}

/* As a file manager drops files, and a browser a link with them. */
static void
drop_files (const char *path,
            const char *uri)
{
  g_autofree char *file_uri = g_filename_to_uri (path, NULL, NULL);
  g_autofree char *list = g_strdup_printf ("%s\r\n%s%s", file_uri, uri != NULL ? uri : "",
                                           uri != NULL ? "\r\n" : "");
  g_autoptr(GBytes) bytes = g_bytes_new (list, strlen (list));

  haul_window_handle_data (ui.window, "text/uri-list", bytes, FALSE);
}

static HaulAdoptDialog *
wait_dialog (const char *path)
{
  g_autofree char *heading = haul_adopt_dialog_heading (path);
  AdwMessageDialog *dialog = haul_ui_wait_message_dialog (heading, TIMEOUT_MS);

  g_assert_nonnull (dialog);
  g_assert_true (HAUL_IS_ADOPT_DIALOG (dialog));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, heading);
  return HAUL_ADOPT_DIALOG (dialog);
}

static gboolean
no_dialog (const char *path)
{
  g_autofree char *heading = haul_adopt_dialog_heading (path);

  return haul_ui_find_message_dialog (heading) == NULL;
}

static gboolean
error_check (gpointer dialog)
{
  return haul_ui_prompt_error (dialog) != NULL;
}

static gboolean
toast_check (gpointer title)
{
  return g_strcmp0 (haul_window_get_last_toast (ui.window), title) == 0;
}

static gboolean
entry_filled_check (gpointer dialog)
{
  return *gtk_editable_get_text (haul_ui_prompt_entry (dialog)) != '\0';
}

static void
set_clipboard (const char *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (ui.window)), text);
}

/* The downloads from now on ask only for what is missing. */
static void
assert_only_missing (const char *server_path,
                     gsize       kept)
{
  g_autofree char *headers = haul_test_server_get_last_request_headers (ui.server, server_path);
  g_autofree char *range = g_strdup_printf ("Range: bytes=%" G_GSIZE_FORMAT "-", kept);

  g_assert_nonnull (headers);
  g_assert_nonnull (strstr (headers, range));
}

/* Firefox's NAME.part dropped from a file manager: the dialog (named
 * after the file, empty while the clipboard holds no address), the
 * address typed, Continue: the download goes on from the browser's bytes
 * and ends byte-exact as NAME, in the browser's folder. */
static void
test_firefox_part (void)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (2048 * KiB + 5, 21);
  HaulTestFileOptions options = { .etag = "\"ff1\"", .bytes_per_second = 2048 * KiB };
  g_autofree char *uri = haul_test_server_uri (ui.server, "/adopt/big.iso");
  g_autofree char *partial = plant ("big.iso.part", body, 700 * KiB);
  g_autofree char *final = path_in ("big.iso");
  HaulAdoptDialog *dialog;
  HaulDownload *download;

  haul_ui_clear_queue (queue ());
  haul_test_server_add_file (ui.server, "/adopt/big.iso", body, &options);
  set_clipboard ("not an address, two words");

  drop_files (partial, NULL);
  dialog = wait_dialog (partial);
  haul_ui_spin (300);  /* the clipboard has been read */
  g_assert_cmpstr (gtk_editable_get_text (haul_ui_prompt_entry (dialog)), ==, "");
  {
    GtkWidget *entry = GTK_WIDGET (haul_ui_prompt_entry (dialog));
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (dialog));

    /* Ready to type into (an entry's focus is on its text inside). */
    g_assert_true (focus == entry || (focus != NULL && gtk_widget_is_ancestor (focus, entry)));
  }
  g_assert_cmpuint (haul_ui_n_items (queue ()), ==, 0);
  haul_ui_shot (GTK_WIDGET (dialog), SHOTS, "adopt-ask");

  /* Continue with nothing typed: said in the dialog, which stays. */
  haul_ui_click_response (ADW_MESSAGE_DIALOG (dialog), "C_ontinue");
  g_assert_true (haul_ui_wait_for (error_check, dialog, TIMEOUT_MS));
  g_assert_false (no_dialog (partial));

  gtk_editable_set_text (haul_ui_prompt_entry (dialog), uri);
  haul_ui_click_response (ADW_MESSAGE_DIALOG (dialog), "C_ontinue");
  g_assert_true (haul_ui_wait_for (toast_check,
                                   (gpointer) "Continuing “big.iso” from the browser's bytes",
                                   TIMEOUT_MS));
  g_assert_true (no_dialog (partial));
  g_assert_cmpuint (haul_ui_n_items (queue ()), ==, 1);
  download = haul_ui_item (queue (), 0);
  g_assert_true (haul_ui_wait_state (download, HAUL_DOWNLOAD_COMPLETED, TIMEOUT_MS));
  g_assert_true (haul_test_file_equals (final, body));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  assert_only_missing ("/adopt/big.iso", 700 * KiB);
}

/* Chromium's NAME.crdownload, with one address on the clipboard: filled
 * in, Return continues; the file is named as the browser meant it, not
 * as the address says. */
static void
test_chromium_clipboard (void)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (1024 * KiB, 22);
  g_autofree char *uri = haul_test_server_uri (ui.server, "/adopt/v/123");
  g_autofree char *partial = plant ("holiday.mp4.crdownload", body, 300 * KiB);
  g_autofree char *final = path_in ("holiday.mp4");
  HaulAdoptDialog *dialog;
  GtkEditable *entry;

  haul_ui_clear_queue (queue ());
  /* No validators at all: the bytes prove it. */
  haul_test_server_add_file (ui.server, "/adopt/v/123", body, NULL);
  set_clipboard (uri);

  drop_files (partial, NULL);
  dialog = wait_dialog (partial);
  g_assert_true (haul_ui_wait_for (entry_filled_check, dialog, TIMEOUT_MS));
  entry = haul_ui_prompt_entry (dialog);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, uri);
  haul_ui_shot (GTK_WIDGET (dialog), SHOTS, "adopt-clipboard");

  g_signal_emit_by_name (GTK_ENTRY (entry), "activate");
  g_assert_true (haul_ui_wait_n_items (queue (), 1, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_state (haul_ui_item (queue (), 0), HAUL_DOWNLOAD_COMPLETED,
                                     TIMEOUT_MS));
  g_assert_true (haul_test_file_equals (final, body));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  /* The overlap check re-reads 64 KiB before the end: still a range. */
  assert_only_missing ("/adopt/v/123", 300 * KiB - 64 * KiB);
}

/* A drop that brings the address with the file asks nothing: the server
 * is asked at once. */
static void
test_with_address (void)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (900 * KiB, 23);
  HaulTestFileOptions options = { .etag = "\"wa\"" };
  g_autofree char *uri = haul_test_server_uri (ui.server, "/adopt/tool.tar.gz");
  g_autofree char *partial = plant ("Unconfirmed 424242.crdownload", body, 400 * KiB);
  g_autofree char *final = path_in ("tool.tar.gz");

  haul_ui_clear_queue (queue ());
  haul_test_server_add_file (ui.server, "/adopt/tool.tar.gz", body, &options);
  drop_files (partial, uri);
  g_assert_true (haul_ui_wait_n_items (queue (), 1, TIMEOUT_MS));
  g_assert_true (no_dialog (partial));
  g_assert_true (haul_ui_wait_state (haul_ui_item (queue (), 0), HAUL_DOWNLOAD_COMPLETED,
                                     TIMEOUT_MS));
  /* Chromium's placeholder name: the server names it. */
  g_assert_true (haul_test_file_equals (final, body));
  g_assert_true (no_dialog (partial));
  assert_only_missing ("/adopt/tool.tar.gz", 400 * KiB);
}

/* The address gives another file: said, nothing changed, Keep Both and
 * Start Again offered. Keep Both downloads it anew beside the browser's
 * file, which stays as it was; Start Again puts the browser's file in
 * the Trash first. */
static void
test_mismatch (void)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (600 * KiB, 24);
  g_autoptr(GBytes) theirs = haul_test_make_bytes (600 * KiB, 25);
  g_autoptr(GBytes) kept = g_bytes_new_from_bytes (theirs, 0, 200 * KiB);
  g_autofree char *uri = haul_test_server_uri (ui.server, "/adopt/other.bin");
  g_autofree char *partial = plant ("other.bin.part", theirs, 200 * KiB);
  g_autofree char *both = path_in ("other (1).bin");
  g_autofree char *plain = path_in ("other.bin");
  g_autofree char *trashed = g_build_filename (g_get_user_data_dir (), "Trash", "files",
                                               "other.bin.part", NULL);
  HaulAdoptDialog *dialog;

  haul_ui_clear_queue (queue ());
  haul_test_server_add_file (ui.server, "/adopt/other.bin", body, NULL);

  /* With the address in the drop: the dialog shows only to ask. */
  drop_files (partial, uri);
  dialog = wait_dialog (partial);
  g_assert_true (haul_ui_wait_for (error_check, dialog, TIMEOUT_MS));
  g_test_message ("mismatch: %s", haul_ui_prompt_error (dialog));
  g_assert_nonnull (strstr (haul_ui_prompt_error (dialog), "another file"));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "both"));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "restart"));
  g_assert_cmpstr (gtk_editable_get_text (haul_ui_prompt_entry (dialog)), ==, uri);
  haul_ui_shot (GTK_WIDGET (dialog), SHOTS, "adopt-mismatch");
  g_assert_cmpuint (haul_ui_n_items (queue ()), ==, 0);
  g_assert_true (haul_test_file_equals (partial, kept));

  haul_ui_click_response (ADW_MESSAGE_DIALOG (dialog), "_Keep Both");
  g_assert_true (haul_ui_wait_n_items (queue (), 1, TIMEOUT_MS));
  g_assert_true (no_dialog (partial));
  g_assert_true (haul_ui_wait_state (haul_ui_item (queue (), 0), HAUL_DOWNLOAD_COMPLETED,
                                     TIMEOUT_MS));
  g_assert_true (haul_test_file_equals (both, body));
  g_assert_true (haul_test_file_equals (partial, kept));

  /* Again, and Start Again: the browser's file goes to the Trash. */
  drop_files (partial, uri);
  dialog = wait_dialog (partial);
  g_assert_true (haul_ui_wait_for (error_check, dialog, TIMEOUT_MS));
  haul_ui_click_response (ADW_MESSAGE_DIALOG (dialog), "Start _Again");
  g_assert_true (haul_ui_wait_n_items (queue (), 2, TIMEOUT_MS));
  g_assert_true (no_dialog (partial));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_assert_true (haul_test_file_equals (trashed, kept));
  g_assert_true (haul_ui_wait_state (haul_ui_item (queue (), 1), HAUL_DOWNLOAD_COMPLETED,
                                     TIMEOUT_MS));
  /* The name is free again, its partial gone to the Trash. */
  g_assert_true (haul_test_file_equals (plain, body));
}

/* Cancel, a dead address, a server that cannot be reached: the browser's
 * file is left exactly as it was, and no download is added. */
static void
test_cancel_and_errors (void)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (300 * KiB, 26);
  g_autoptr(GBytes) kept = g_bytes_new_from_bytes (body, 0, 100 * KiB);
  g_autofree char *dead = haul_test_server_uri (ui.server, "/adopt/nothing-here.iso");
  g_autofree char *stalled = haul_test_server_uri (ui.server, "/adopt/stalled.iso");
  HaulTestFileOptions stall = { .stall_after = 1 };
  g_autofree char *partial = plant ("keep.iso.part", body, 100 * KiB);
  HaulAdoptDialog *dialog;
  GStatBuf before, after;

  haul_ui_clear_queue (queue ());
  haul_test_server_add_file (ui.server, "/adopt/stalled.iso", body, &stall);
  g_assert_cmpint (g_stat (partial, &before), ==, 0);

  drop_files (partial, NULL);
  dialog = wait_dialog (partial);
  haul_ui_click_response (ADW_MESSAGE_DIALOG (dialog), "_Cancel");
  haul_ui_spin (300);
  g_assert_true (no_dialog (partial));

  /* A dead link: said in words, the dialog stays. */
  drop_files (partial, NULL);
  dialog = wait_dialog (partial);
  gtk_editable_set_text (haul_ui_prompt_entry (dialog), dead);
  haul_ui_click_response (ADW_MESSAGE_DIALOG (dialog), "C_ontinue");
  g_assert_true (haul_ui_wait_for (error_check, dialog, TIMEOUT_MS));
  g_test_message ("dead: %s", haul_ui_prompt_error (dialog));
  haul_ui_spin (100);
  g_assert_false (no_dialog (partial));

  /* Nobody listening: said too. */
  gtk_editable_set_text (haul_ui_prompt_entry (dialog), "http://127.0.0.1:9/keep.iso");
  haul_ui_click_response (ADW_MESSAGE_DIALOG (dialog), "C_ontinue");
  g_assert_true (haul_ui_wait_for (error_check, dialog, TIMEOUT_MS));
  g_test_message ("unreachable: %s", haul_ui_prompt_error (dialog));
  haul_ui_shot (GTK_WIDGET (dialog), SHOTS, "adopt-unreachable");

  /* Not a web address. */
  gtk_editable_set_text (haul_ui_prompt_entry (dialog), "ftp://example.org/keep.iso");
  haul_ui_click_response (ADW_MESSAGE_DIALOG (dialog), "C_ontinue");
  g_assert_true (haul_ui_wait_for (error_check, dialog, TIMEOUT_MS));
  g_test_message ("invalid: %s", haul_ui_prompt_error (dialog));
  g_assert_nonnull (strstr (haul_ui_prompt_error (dialog), "cannot be downloaded"));

  /* Cancel while the server is being asked (it never finishes its answer). */
  gtk_editable_set_text (haul_ui_prompt_entry (dialog), stalled);
  haul_ui_click_response (ADW_MESSAGE_DIALOG (dialog), "C_ontinue");
  haul_ui_spin (500);
  g_assert_null (haul_ui_prompt_error (dialog));
  haul_ui_click_response (ADW_MESSAGE_DIALOG (dialog), "_Cancel");
  haul_ui_spin (500);
  g_assert_true (no_dialog (partial));
  g_assert_cmpuint (haul_ui_n_items (queue ()), ==, 0);

  /* Escape is Cancel too. */
  drop_files (partial, NULL);
  dialog = wait_dialog (partial);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  haul_ui_spin (300);
  g_assert_true (no_dialog (partial));

  g_assert_cmpuint (haul_ui_n_items (queue ()), ==, 0);
  g_assert_true (haul_test_file_equals (partial, kept));
  g_assert_cmpint (g_stat (partial, &after), ==, 0);
  g_assert_cmpint (after.st_ino, ==, before.st_ino);
  g_assert_cmpint (after.st_mtime, ==, before.st_mtime);
}

/* What `haul --adopt=FILE URL` hands the window: a file that is no
 * browser's partial, or no web address, is refused at once, in words;
 * a right pair goes on from the file's bytes. */
static void
test_window_adopt (void)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (500 * KiB, 28);
  HaulTestFileOptions options = { .etag = "\"cl\"" };
  g_autofree char *uri = haul_test_server_uri (ui.server, "/adopt/cli.bin");
  g_autofree char *partial = plant ("cli.bin.part", body, 123 * KiB);
  g_autofree char *text = plant ("cli.txt", body, 10);
  g_autofree char *final = path_in ("cli.bin");
  g_autoptr(GError) error = NULL;

  haul_ui_clear_queue (queue ());
  haul_test_server_add_file (ui.server, "/adopt/cli.bin", body, &options);
  g_assert_false (haul_window_adopt (ui.window, text, uri, &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_FILE);
  g_clear_error (&error);
  g_assert_false (haul_window_adopt (ui.window, partial, "mailto:someone@example.org", &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL);
  g_clear_error (&error);
  haul_ui_spin (200);
  g_assert_true (no_dialog (partial));

  g_assert_true (haul_window_adopt (ui.window, partial, uri, &error));
  g_assert_no_error (error);
  g_assert_true (haul_ui_wait_n_items (queue (), 1, TIMEOUT_MS));
  g_assert_true (haul_ui_wait_state (haul_ui_item (queue (), 0), HAUL_DOWNLOAD_COMPLETED,
                                     TIMEOUT_MS));
  g_assert_true (haul_test_file_equals (final, body));
  assert_only_missing ("/adopt/cli.bin", 123 * KiB);
}

/* Other files dropped from a file manager are what they were: a text
 * file of links is read. */
static void
test_other_files (void)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (10 * KiB, 27);
  g_autofree char *uri = haul_test_server_uri (ui.server, "/adopt/listed.bin");
  g_autofree char *links = path_in ("links.txt");

  haul_ui_clear_queue (queue ());
  haul_test_server_add_file (ui.server, "/adopt/listed.bin", body, NULL);
  g_assert_true (g_file_set_contents (links, uri, -1, NULL));
  drop_files (links, NULL);
  g_assert_true (haul_ui_wait_n_items (queue (), 1, TIMEOUT_MS));
  g_assert_cmpstr (haul_download_get_uri (haul_ui_item (queue (), 0)), ==, uri);
  g_assert_true (haul_ui_wait_state (haul_ui_item (queue (), 0), HAUL_DOWNLOAD_COMPLETED,
                                     TIMEOUT_MS));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  haul_ui_app_init (&ui, &argc, &argv);
  folder = g_build_filename (g_get_home_dir (), "browser-downloads", NULL);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);

  g_test_add_func ("/haul/ui/adopt/firefox-part", test_firefox_part);
  g_test_add_func ("/haul/ui/adopt/chromium-clipboard", test_chromium_clipboard);
  g_test_add_func ("/haul/ui/adopt/with-address", test_with_address);
  g_test_add_func ("/haul/ui/adopt/mismatch", test_mismatch);
  g_test_add_func ("/haul/ui/adopt/cancel-and-errors", test_cancel_and_errors);
  g_test_add_func ("/haul/ui/adopt/window-adopt", test_window_adopt);
  g_test_add_func ("/haul/ui/adopt/other-files", test_other_files);

  status = haul_ui_app_run (&ui);

  g_free (folder);
  return status;
}
