/* test-notifier.c: what the desktop is told when downloads finish
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No display: a private bus (GTestDBus) where the test plays the desktop
 * (haul-fake-desktop.c) and a plain GApplication stands in for Haul, with
 * actions that record what a click on a notification asks for.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "haul-checksum.h"
#include "haul-download-private.h"
#include "haul-fake-desktop.h"
#include "haul-notifier.h"
#include "ui-test-util.h"

#define TIMEOUT_MS 5000

static HaulFakeDesktop *desktop;
static GApplication    *app;
static HaulNotifier    *notifier;
static GPtrArray       *activated;  /* (element-type utf8) "name(target)" of app actions */
static char            *folder;

static void
record_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  g_ptr_array_add (activated, g_action_print_detailed_name (g_action_get_name (G_ACTION (action)),
                                                            parameter));
}

static const GActionEntry app_actions[] = {
  { "open-file", record_action, "s" },
  { "show-in-folder", record_action, "s" },
  { "show-downloads", record_action },
  { "retry", record_action, "x" },
};

static GApplication *
new_app (const char *id)
{
  g_autoptr(GError) error = NULL;
  GApplication *application = g_application_new (id, G_APPLICATION_DEFAULT_FLAGS);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), NULL);
  g_assert_true (g_application_register (application, NULL, &error));
  g_assert_no_error (error);
  return application;
}

static gboolean
notifications_check (gpointer n)
{
  return haul_fake_desktop_notifications (desktop)->len >= GPOINTER_TO_UINT (n);
}

/* Until @n notifications arrived (bounded), and the answers to them:
 * GLib learns a notification's id from the answer to Notify (the next
 * one with the same id replaces it from then on), and it frees the same
 * record twice if that answer comes after the application is gone. */
static void
wait_notifications (guint n)
{
  haul_ui_wait_for (notifications_check, GUINT_TO_POINTER (n), TIMEOUT_MS);
  g_assert_cmpuint (haul_fake_desktop_notifications (desktop)->len, >=, n);
  haul_ui_spin (30);
}

static gboolean
activated_check (gpointer n)
{
  return activated->len >= GPOINTER_TO_UINT (n);
}

static void
wait_activated (guint n)
{
  haul_ui_wait_for (activated_check, GUINT_TO_POINTER (n), TIMEOUT_MS);
  g_assert_cmpuint (activated->len, >=, n);
}

static HaulDownload *
completed (const char *name)
{
  g_autofree char *uri = g_strdup_printf ("https://example.com/%s", name);
  HaulDownload *download = haul_download_new (uri, folder);

  haul_download_set_file_name (download, name);
  haul_download_set_state (download, HAUL_DOWNLOAD_COMPLETED);
  return download;
}

static char *
detailed (const char *action,
          GVariant   *target)
{
  g_autoptr(GVariant) owned = target != NULL ? g_variant_ref_sink (target) : NULL;

  return g_action_print_detailed_name (action, owned);
}

static void
reset (void)
{
  haul_notifier_flush (notifier);
  haul_notifier_set_window_active (notifier, TRUE);
  haul_notifier_set_window_active (notifier, FALSE);
  g_ptr_array_set_size (activated, 0);
}

/* One file: a click on the notification shows it in its folder, Open is
 * a button of its own; a server-chosen name is not read as markup. */
static void
test_one_completion (void)
{
  const char *name = "R&D <b>report</b>.pdf";
  g_autoptr(HaulDownload) download = completed (name);
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autofree char *open_key = detailed ("app.open-file", g_variant_new_string (path));
  g_autofree char *folder_key = detailed ("app.show-in-folder", g_variant_new_string (path));
  guint before = haul_fake_desktop_notifications (desktop)->len;
  HaulFakeNotification *n;

  reset ();
  haul_notifier_download_finished (notifier, download);
  haul_notifier_flush (notifier);
  wait_notifications (before + 1);
  n = haul_fake_desktop_last (desktop);

  g_assert_cmpstr (n->summary, ==, "Download complete");
  g_assert_cmpstr (n->body, ==, "R&amp;D &lt;b&gt;report&lt;/b&gt;.pdf");
  g_assert_cmpstr (haul_fake_notification_label (n, open_key), ==, "Open");
  g_assert_cmpstr (haul_fake_notification_label (n, folder_key), ==, "Show in Folder");
  g_assert_nonnull (haul_fake_notification_label (n, "default"));

  /* The body: the folder, never the file's default application. */
  haul_fake_desktop_click (desktop, n, "default");
  wait_activated (1);
  haul_ui_spin (50);
  g_assert_cmpuint (activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (activated, 0), ==, folder_key + strlen ("app."));
}

/* The explicit Open button still opens (its own notification: GLib
 * forgets one whose action ran). */
static void
test_open_button (void)
{
  g_autoptr(HaulDownload) download = completed ("notes.txt");
  g_autofree char *path = g_build_filename (folder, "notes.txt", NULL);
  g_autofree char *open_key = detailed ("app.open-file", g_variant_new_string (path));
  guint before = haul_fake_desktop_notifications (desktop)->len;

  reset ();
  haul_notifier_download_finished (notifier, download);
  haul_notifier_flush (notifier);
  wait_notifications (before + 1);
  haul_fake_desktop_click (desktop, haul_fake_desktop_last (desktop), open_key);
  wait_activated (1);
  g_assert_cmpstr (g_ptr_array_index (activated, 0), ==, open_key + strlen ("app."));
}

/* A file whose checksum matched says so on a line of its own; one whose
 * checksum could not be checked does not claim it. */
static void
test_verified (void)
{
  g_autoptr(HaulDownload) download = completed ("debian-12.iso");
  g_autoptr(HaulDownload) unchecked = completed ("notes.iso");
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulChecksumSpec) spec = haul_checksum_spec_parse (
    "sha-256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", &error);
  guint before = haul_fake_desktop_notifications (desktop)->len;
  HaulFakeNotification *n;

  g_assert_no_error (error);
  haul_download_set_checksum (download, spec);
  haul_download_set_checksum_state (download, HAUL_CHECKSUM_VERIFIED);
  reset ();
  haul_notifier_download_finished (notifier, download);
  haul_notifier_flush (notifier);
  wait_notifications (before + 1);
  n = haul_fake_desktop_last (desktop);
  g_assert_cmpstr (n->summary, ==, "Download complete");
  g_assert_cmpstr (n->body, ==, "debian-12.iso\nSHA-256 verified");

  /* Known but not checked (the state never reached verified). */
  haul_download_set_checksum (unchecked, spec);
  haul_download_set_checksum_state (unchecked, HAUL_CHECKSUM_PENDING);
  reset ();
  haul_notifier_download_finished (notifier, unchecked);
  haul_notifier_flush (notifier);
  wait_notifications (before + 2);
  g_assert_cmpstr (haul_fake_desktop_last (desktop)->body, ==, "notes.iso");
}

/* 500 downloads finish in bursts while nobody looks: each summary counts
 * everything since the window was last seen and replaces the one before;
 * the last says 500. */
static void
test_burst (void)
{
  g_autoptr(GPtrArray) downloads = g_ptr_array_new_with_free_func (g_object_unref);
  guint before = haul_fake_desktop_notifications (desktop)->len;
  GPtrArray *all = haul_fake_desktop_notifications (desktop);
  HaulFakeNotification *n;
  guint32 first_id = 0;
  guint sent = 0;

  reset ();
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *name = g_strdup_printf ("part-%03u.bin", i);

      g_ptr_array_add (downloads, completed (name));
      haul_notifier_download_finished (notifier, g_ptr_array_index (downloads, i));
      /* The summary delay ends after 46, then every 50. */
      if (i == 45 || (i > 45 && (i - 45) % 50 == 0) || i == 499)
        {
          haul_notifier_flush (notifier);
          wait_notifications (before + ++sent);
        }
    }
  g_assert_cmpuint (haul_notifier_get_n_unseen (notifier), ==, 500);

  for (guint i = before; i < all->len; i++)
    {
      HaulFakeNotification *each = g_ptr_array_index (all, i);
      guint count = 0;

      g_assert_cmpint (sscanf (each->summary, "%u downloads complete", &count), ==, 1);
      if (i == before)
        first_id = each->id;
      else
        {
          /* One notification, updated: never a second one beside it. */
          g_assert_cmpuint (each->replaces, ==, first_id);
          g_assert_cmpuint (count, >, 46);
        }
    }

  n = haul_fake_desktop_last (desktop);
  g_assert_cmpstr (n->summary, ==, "500 downloads complete");
  g_assert_cmpstr (n->body, ==, "part-000.bin, part-001.bin, part-002.bin, part-003.bin "
                                "and 496 more");
  g_assert_cmpstr (haul_fake_notification_label (n, "app.show-downloads"), ==, "Show Downloads");

  haul_fake_desktop_click (desktop, n, "app.show-downloads");
  wait_activated (1);
  g_assert_cmpstr (g_ptr_array_index (activated, 0), ==, "show-downloads");
}

/* Seeing the window starts the count again; what completes while it is
 * in front is seen too. */
static void
test_seen (void)
{
  g_autoptr(HaulDownload) a = completed ("a.iso");
  g_autoptr(HaulDownload) b = completed ("b.iso");
  g_autoptr(HaulDownload) c = completed ("c.iso");
  g_autoptr(HaulDownload) d = completed ("d.iso");
  guint before = haul_fake_desktop_notifications (desktop)->len;

  reset ();
  haul_notifier_download_finished (notifier, a);
  haul_notifier_download_finished (notifier, b);
  haul_notifier_flush (notifier);
  wait_notifications (before + 1);
  g_assert_cmpstr (haul_fake_desktop_last (desktop)->summary, ==, "2 downloads complete");

  /* The person looks at the window: a third is told on its own. */
  haul_notifier_set_window_active (notifier, TRUE);
  g_assert_cmpuint (haul_notifier_get_n_unseen (notifier), ==, 0);
  haul_notifier_download_finished (notifier, c);
  haul_notifier_flush (notifier);
  wait_notifications (before + 2);
  g_assert_cmpstr (haul_fake_desktop_last (desktop)->summary, ==, "Download complete");
  g_assert_cmpstr (haul_fake_desktop_last (desktop)->body, ==, "c.iso");
  g_assert_cmpuint (haul_notifier_get_n_unseen (notifier), ==, 0);

  /* Away again: one more is one, not four. */
  haul_notifier_set_window_active (notifier, FALSE);
  haul_notifier_download_finished (notifier, d);
  haul_notifier_flush (notifier);
  wait_notifications (before + 3);
  g_assert_cmpstr (haul_fake_desktop_last (desktop)->summary, ==, "Download complete");
  g_assert_cmpstr (haul_fake_desktop_last (desktop)->body, ==, "d.iso");
}

/* The window comes to the front while a completion waits for the summary
 * delay: it is told at once, not forgotten. */
static void
test_active_while_pending (void)
{
  g_autoptr(HaulDownload) download = completed ("late.iso");
  guint before;

  reset ();
  before = haul_fake_desktop_notifications (desktop)->len;
  haul_notifier_download_finished (notifier, download);
  haul_notifier_set_window_active (notifier, TRUE);
  wait_notifications (before + 1);
  g_assert_cmpstr (haul_fake_desktop_last (desktop)->summary, ==, "Download complete");
  g_assert_cmpstr (haul_fake_desktop_last (desktop)->body, ==, "late.iso");
  g_assert_cmpuint (haul_notifier_get_n_unseen (notifier), ==, 0);
  haul_notifier_set_window_active (notifier, FALSE);
}

/* Completions close together wait for the summary delay, then go as one. */
static void
test_delay (void)
{
  g_autoptr(HaulDownload) a = completed ("first.txt");
  g_autoptr(HaulDownload) b = completed ("second.txt");
  guint before = haul_fake_desktop_notifications (desktop)->len;

  reset ();
  haul_notifier_download_finished (notifier, a);
  haul_ui_spin (HAUL_NOTIFIER_SUMMARY_DELAY_MS / 4);
  haul_notifier_download_finished (notifier, b);
  g_assert_cmpuint (haul_fake_desktop_notifications (desktop)->len, ==, before);
  wait_notifications (before + 1);
  haul_ui_spin (HAUL_NOTIFIER_SUMMARY_DELAY_MS + 200);
  g_assert_cmpuint (haul_fake_desktop_notifications (desktop)->len, ==, before + 1);
  g_assert_cmpstr (haul_fake_desktop_last (desktop)->summary, ==, "2 downloads complete");
  g_assert_cmpstr (haul_fake_desktop_last (desktop)->body, ==, "first.txt, second.txt");
}

/* GNOME Shell (org.gtk.Notifications) shows the body as plain text:
 * there the name is sent as it is, not escaped. */
static void
test_gnome_shell_plain (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GApplication) shell_app = NULL;
      g_autoptr(HaulNotifier) shell_notifier = NULL;
      g_autoptr(HaulDownload) download = completed ("R&D.pdf");
      HaulFakeDesktop *shell = haul_fake_desktop_new (TRUE);
      HaulFakeDesktop *previous = desktop;

      desktop = shell;
      shell_app = new_app ("io.github.haul.NotifierTestShell");
      shell_notifier = haul_notifier_new (shell_app, NULL);
      haul_notifier_download_finished (shell_notifier, download);
      haul_notifier_flush (shell_notifier);
      wait_notifications (1);
      g_assert_true (haul_fake_desktop_last (shell)->gtk);
      g_assert_cmpstr (haul_fake_desktop_last (shell)->body, ==, "R&D.pdf");
      g_assert_cmpstr (haul_fake_desktop_last (shell)->summary, ==, "Download complete");
      g_assert_nonnull (haul_fake_notification_label (haul_fake_desktop_last (shell), "default"));
      g_assert_cmpstr (haul_fake_notification_label (haul_fake_desktop_last (shell), "default"),
                       ==, "app.show-in-folder");
      desktop = previous;
      g_application_withdraw_notification (shell_app, "download-complete");
      haul_ui_spin (50);
      haul_fake_desktop_free (shell);
      return;
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GTestDBus) bus = NULL;
  int status;

  g_setenv ("LANGUAGE", "C", TRUE);
  g_unsetenv ("GTK_USE_PORTAL");
  g_test_init (&argc, &argv, NULL);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  activated = g_ptr_array_new_with_free_func (g_free);
  folder = g_dir_make_tmp ("haul-notifier-XXXXXX", NULL);
  /* The shell case makes a desktop of its own, in its subprocess. */
  if (!g_test_subprocess ())
    {
      desktop = haul_fake_desktop_new (FALSE);
      app = new_app ("io.github.haul.NotifierTest");
      notifier = haul_notifier_new (app, NULL);
    }

  g_test_add_func ("/haul/ui/notifier/one-completion", test_one_completion);
  g_test_add_func ("/haul/ui/notifier/open-button", test_open_button);
  g_test_add_func ("/haul/ui/notifier/verified", test_verified);
  g_test_add_func ("/haul/ui/notifier/burst", test_burst);
  g_test_add_func ("/haul/ui/notifier/seen", test_seen);
  g_test_add_func ("/haul/ui/notifier/delay", test_delay);
  g_test_add_func ("/haul/ui/notifier/active-while-pending", test_active_while_pending);
  g_test_add_func ("/haul/ui/notifier/gnome-shell-plain", test_gnome_shell_plain);

  status = g_test_run ();

  g_clear_object (&notifier);
  /* GLib 2.74's freedesktop backend recurses without end when it is
   * finalised with notifications it still knows. */
  if (app != NULL)
    g_application_withdraw_notification (app, "download-complete");
  haul_ui_spin (50);
  g_clear_object (&app);
  g_clear_pointer (&desktop, haul_fake_desktop_free);
  g_ptr_array_unref (activated);
  g_rmdir (folder);
  g_free (folder);
  g_test_dbus_down (bus);

  return status;
}
