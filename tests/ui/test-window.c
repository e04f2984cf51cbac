/* test-window.c: the window with a real queue, as a person uses it
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/ui/run-with-display (Xvfb, private D-Bus session). The
 * test plays the desktop: it owns org.freedesktop.Notifications and
 * org.freedesktop.FileManager1 on its own bus connection, records what
 * Haul sends, and "clicks" notification buttons by emitting ActionInvoked.
 */

#include "config.h"

#include <sys/stat.h>

#include <adwaita.h>

#include "haul-application.h"
#include "haul-download-private.h"
#include "haul-download-row.h"
#include "haul-progress-bar.h"
#include "haul-list-slot.h"
#include "haul-asan.h"
#include "haul-test-server.h"
#include "haul-window.h"

#define TIMEOUT_MS 20000

/* ------------------------------------------------------------------ */
/* The fake desktop                                                    */

typedef struct
{
  guint32  id;
  char    *summary;
  char    *body;
  GStrv    actions;   /* key, label, key, label… */
} Notification;

static const char desktop_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "  </interface>"
  "  <interface name='org.freedesktop.FileManager1'>"
  "    <method name='ShowItems'>"
  "      <arg type='as' direction='in'/><arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static GDBusConnection *desktop;        /* the desktop's own connection */
static GPtrArray       *notifications;  /* (element-type Notification) */
static GPtrArray       *shown_items;    /* (element-type utf8) uris from ShowItems */
static guint32          next_notification_id = 1;

static HaulApplication *app;
static HaulWindow      *window;
static HaulTestServer  *server;

static void
notification_free (gpointer data)
{
  Notification *n = data;

  g_free (n->summary);
  g_free (n->body);
  g_strfreev (n->actions);
  g_free (n);
}

static void
desktop_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      Notification *n = g_new0 (Notification, 1);
      const char *summary = NULL;
      const char *body = NULL;
      guint32 replaces = 0;

      g_variant_get (parameters, "(&su&s&s&s^as@a{sv}i)", NULL, &replaces, NULL, &summary,
                     &body, &n->actions, NULL, NULL);
      n->summary = g_strdup (summary);
      n->body = g_strdup (body);
      n->id = replaces != 0 ? replaces : next_notification_id++;
      g_ptr_array_add (notifications, n);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", n->id));
    }
  else if (g_str_equal (method_name, "ShowItems"))
    {
      g_auto(GStrv) uris = NULL;

      g_variant_get (parameters, "(^as&s)", &uris, NULL);
      for (guint i = 0; uris[i] != NULL; i++)
        g_ptr_array_add (shown_items, g_strdup (uris[i]));
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "fake", "haul", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable desktop_vtable = { desktop_method_call, NULL, NULL };

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  (*(guint *) user_data)++;
}

static void
start_desktop (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autofree char *address = NULL;
  guint acquired = 0;

  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  desktop = g_dbus_connection_new_for_address_sync (address,
                                                    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                                    | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                    NULL, NULL, &error);
  g_assert_no_error (error);

  info = g_dbus_node_info_new_for_xml (desktop_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (desktop, "/org/freedesktop/Notifications",
                                     info->interfaces[0], &desktop_vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (desktop, "/org/freedesktop/FileManager1",
                                     info->interfaces[1], &desktop_vtable, NULL, NULL, &error);
  g_assert_no_error (error);

  g_bus_own_name_on_connection (desktop, "org.freedesktop.Notifications",
                                G_BUS_NAME_OWNER_FLAGS_NONE, name_acquired_cb, NULL,
                                &acquired, NULL);
  g_bus_own_name_on_connection (desktop, "org.freedesktop.FileManager1",
                                G_BUS_NAME_OWNER_FLAGS_NONE, name_acquired_cb, NULL,
                                &acquired, NULL);

  for (gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
       acquired < 2 && g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (acquired, ==, 2);
}

static void
click_notification_button (guint32     id,
                           const char *action_key)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (desktop, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", id, action_key), &error);
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------ */
/* Bounded waiting                                                     */

typedef gboolean (*Check) (gpointer data);

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
wait_for (Check    check,
          gpointer data,
          guint    timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint wake = g_timeout_add (20, wake_cb, NULL);
  gboolean ok;

  while (!(ok = check (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake);
  return ok;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  guint wake = g_timeout_add (10, wake_cb, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

/* ------------------------------------------------------------------ */
/* Looking at the window                                               */

typedef gboolean (*Match) (GtkWidget *widget, gpointer data);

static GtkWidget *
find_widget (GtkWidget *root,
             Match      match,
             gpointer   data)
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
is_row_of (GtkWidget *widget,
           gpointer   download)
{
  return HAUL_IS_DOWNLOAD_ROW (widget)
         && haul_download_row_get_download (HAUL_DOWNLOAD_ROW (widget)) == download
         && gtk_widget_get_mapped (widget);
}

static GtkWidget *
find_row (HaulDownload *download)
{
  return find_widget (GTK_WIDGET (window), is_row_of, download);
}

static gboolean
has_css_class (GtkWidget *widget,
               gpointer   css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

static const char *
row_status (GtkWidget *row)
{
  GtkWidget *status = find_widget (row, has_css_class, (gpointer) "download-status");

  g_assert_true (GTK_IS_INSCRIPTION (status));
  return gtk_inscription_get_text (GTK_INSCRIPTION (status));
}

/* A failed row's reason, where the bar was. */
static GtkWidget *
row_message_label (GtkWidget *row)
{
  return find_widget (row, has_css_class, (gpointer) "download-message");
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
  return find_widget (row, is_progress_bar, NULL);
}

static double
row_fraction (GtkWidget *row)
{
  return haul_progress_bar_get_fraction (HAUL_PROGRESS_BAR (row_bar (row)));
}

/* The row's buttons, by the name a person (and AT-SPI) knows them by. */
static gboolean
is_button_named (GtkWidget *widget,
                 gpointer   name)
{
  static const char * const names[][2] = {
    { "Pause", "row.pause" }, { "Resume", "row.resume" }, { "Cancel", "row.cancel" },
    { "Retry", "row.retry" }, { "Open", "row.open" }, { "Show in Folder", "row.show-in-folder" },
  };

  if (!GTK_IS_BUTTON (widget))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i][0], name))
      return g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                        names[i][1]) == 0;

  g_assert_not_reached ();
}

static gboolean
row_button_visible (GtkWidget  *row,
                    const char *name)
{
  GtkWidget *button = find_widget (row, is_button_named, (gpointer) name);

  g_assert_nonnull (button);
  return gtk_widget_get_visible (button);
}

static gboolean
is_mapped_status_page (GtkWidget *widget,
                       gpointer   title)
{
  return ADW_IS_STATUS_PAGE (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), title) == 0;
}

static gboolean
is_mapped_status_page_check (gpointer title)
{
  return find_widget (GTK_WIDGET (window), is_mapped_status_page, title) != NULL;
}

static gboolean
is_mapped_list_view (GtkWidget *widget,
                     gpointer   data)
{
  return GTK_IS_LIST_VIEW (widget) && gtk_widget_get_mapped (widget);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static HaulDownload *
find_download (const char *uri)
{
  GListModel *model = G_LIST_MODEL (haul_application_get_queue (app));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (model, i);

      if (g_strcmp0 (haul_download_get_uri (download), uri) == 0)
        return download;  /* the queue keeps it alive */
    }

  return NULL;
}

static guint
queue_length (void)
{
  return g_list_model_get_n_items (G_LIST_MODEL (haul_application_get_queue (app)));
}

static void
drop_bytes (const char *mime_type,
            const void *data,
            gsize       length)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);

  haul_window_handle_data (window, mime_type, bytes, FALSE);
}

typedef struct
{
  const char *summary;
  const char *body;
  guint       from;      /* only notifications recorded from this index on */
} NotificationQuery;

static Notification *
find_notification (NotificationQuery *query)
{
  for (guint i = query->from; i < notifications->len; i++)
    {
      Notification *n = g_ptr_array_index (notifications, i);

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

static const char *
action_label (Notification *n,
              const char   *key)
{
  for (guint i = 0; n->actions[i] != NULL && n->actions[i + 1] != NULL; i += 2)
    if (g_str_equal (n->actions[i], key))
      return n->actions[i + 1];

  return NULL;
}

static gboolean
has_action_labelled (Notification *n,
                     const char   *label)
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

typedef struct
{
  HaulDownload     *download;
  HaulDownloadState state;
} StateQuery;

static gboolean
state_check (gpointer data)
{
  StateQuery *query = data;

  return haul_download_get_state (query->download) == query->state;
}

static gboolean
row_completed_check (gpointer download)
{
  GtkWidget *row = find_row (download);

  return row != NULL && g_str_has_prefix (row_status (row), "Completed");
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
dialog_check (gpointer data)
{
  return haul_window_get_add_dialog (window) != NULL;
}

static gboolean
toast_check (gpointer prefix)
{
  const char *toast = haul_window_get_last_toast (window);

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
  return gtk_widget_get_mapped (GTK_WIDGET (window));
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

static void
test_empty_state (void)
{
  g_assert_cmpuint (queue_length (), ==, 0);
  g_assert_true (wait_for (window_mapped_check, NULL, TIMEOUT_MS));
  spin (100);

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Haul");
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_mapped_status_page,
                                 (gpointer) "Drop Links Here"));
  g_assert_null (find_widget (GTK_WIDGET (window), is_mapped_list_view, NULL));
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
  Notification *n;
  double mid_fraction = -1;
  gboolean seen_progress_text = FALSE;

  haul_test_server_add_file (server, "/files/report.pdf", body, &options);
  uri = haul_test_server_uri (server, "/files/report.pdf");
  uri_list = g_strdup_printf ("# a comment, as Chromium writes\r\n%s\r\n", uri);

  /* One dropped link is queued at once. */
  drop_bytes ("text/uri-list", uri_list, strlen (uri_list));
  g_assert_true (wait_for (download_check, uri, TIMEOUT_MS));
  g_assert_cmpstr (haul_window_get_last_toast (window), ==, "Added 1 download");
  download = find_download (uri);
  g_assert_nonnull (download);

  /* The row appears, its bar moves, it ends "Completed". */
  g_assert_true (wait_for (row_mapped_check, download, TIMEOUT_MS));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_mapped_list_view, NULL));
  for (gint64 end = g_get_monotonic_time () + TIMEOUT_MS * 1000;
       g_get_monotonic_time () < end && !row_completed_check (download);)
    {
      row = find_row (download);
      if (row != NULL && row_fraction (row) > 0.05 && row_fraction (row) < 0.95)
        {
          mid_fraction = row_fraction (row);
          /* "1.2 MB of 3.1 MB · 2.1 MB/s · 1 second left" */
          if (strstr (row_status (row), " of ") != NULL && strstr (row_status (row), "/s") != NULL)
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
    g_assert_true (g_str_has_prefix (row_status (row), expected));
  }
  g_assert_true (row_button_visible (row, "Open"));
  g_assert_true (row_button_visible (row, "Show in Folder"));
  g_assert_false (row_button_visible (row, "Pause"));

  path = haul_download_dup_path (download);
  g_assert_true (haul_test_file_equals (path, body));

  /* The notification, with its buttons. */
  g_assert_true (wait_for (notification_check, &query, TIMEOUT_MS));
  n = find_notification (&query);
  open_key = detailed ("app.open-file", g_variant_new_string (path));
  folder_key = detailed ("app.show-in-folder", g_variant_new_string (path));
  g_assert_cmpstr (action_label (n, open_key), ==, "Open");
  g_assert_cmpstr (action_label (n, folder_key), ==, "Show in Folder");

  /* "Show in Folder" works from the notification. */
  click_notification_button (n->id, folder_key);
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
  StateQuery failed;
  GtkWidget *row;
  Notification *n;

  /* Keep the list short enough for every row to be on screen. */
  g_ptr_array_unref (haul_queue_remove_finished (haul_application_get_queue (app)));
  haul_test_server_add_status (server, "/missing.iso", 404);
  uri = haul_test_server_uri (server, "/missing.iso");
  folder = g_build_filename (g_get_home_dir (), "Downloads", NULL);
  download = haul_queue_add (haul_application_get_queue (app), uri, folder, &error);
  g_assert_no_error (error);

  failed = (StateQuery) { download, HAUL_DOWNLOAD_FAILED };
  g_assert_true (wait_for (state_check, &failed, TIMEOUT_MS));
  g_assert_true (wait_for (row_mapped_check, download, TIMEOUT_MS));
  spin (50);

  /* The row shows the reason and a Retry button, never Open. */
  row = find_row (download);
  g_assert_nonnull (haul_download_get_error_message (download));
  g_assert_true (gtk_widget_get_visible (row_message_label (row)));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (row_message_label (row))), ==,
                   haul_download_get_error_message (download));
  g_assert_true (strstr (haul_download_get_error_message (download), "404") != NULL);
  g_assert_true (gtk_widget_has_css_class (row_message_label (row), "error"));
  g_assert_cmpstr (row_status (row), ==, "Failed");
  g_assert_true (row_button_visible (row, "Retry"));
  g_assert_false (row_button_visible (row, "Open"));

  /* "Download failed": name and reason, a Retry button and no Open. */
  g_assert_true (wait_for (notification_check, &query, TIMEOUT_MS));
  n = find_notification (&query);
  /* No answer gave it a name: it is called by its URL's last segment. */
  expected_body = g_strdup_printf ("%s: %s", "missing.iso",
                                   haul_download_get_error_message (download));
  g_assert_cmpstr (n->body, ==, expected_body);
  retry_key = detailed ("app.retry", g_variant_new_int64 (haul_download_get_id (download)));
  g_assert_cmpstr (action_label (n, retry_key), ==, "Retry");
  g_assert_false (has_action_labelled (n, "Open"));
  g_assert_cmpuint (haul_test_server_get_n_requests (server, "/missing.iso"), ==, 1);

  /* Retry from the notification re-queues it: the server sees it again. */
  click_notification_button (n->id, retry_key);
  for (gint64 end = g_get_monotonic_time () + TIMEOUT_MS * 1000;
       haul_test_server_get_n_requests (server, "/missing.iso") < 2
       && g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (haul_test_server_get_n_requests (server, "/missing.iso"), ==, 2);
  g_assert_true (wait_for (state_check, &failed, TIMEOUT_MS));
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
  StateQuery query;
  GtkWidget *row;
  guint before;

  g_ptr_array_unref (haul_queue_remove_finished (haul_application_get_queue (app)));
  haul_test_server_add_file (server, "/slow.bin", body, &options);
  uri = haul_test_server_uri (server, "/slow.bin");
  folder = g_build_filename (g_get_home_dir (), "Downloads", NULL);
  download = haul_queue_add (haul_application_get_queue (app), uri, folder, &error);
  g_assert_no_error (error);

  query = (StateQuery) { download, HAUL_DOWNLOAD_DOWNLOADING };
  g_assert_true (wait_for (state_check, &query, TIMEOUT_MS));
  g_assert_true (wait_for (row_mapped_check, download, TIMEOUT_MS));
  row = find_row (download);

  g_assert_true (gtk_widget_activate_action (row, "row.pause", NULL));
  query.state = HAUL_DOWNLOAD_PAUSED;
  g_assert_true (wait_for (state_check, &query, TIMEOUT_MS));
  spin (50);
  row = find_row (download);
  g_assert_true (g_str_has_prefix (row_status (row), "Paused · "));
  g_assert_true (row_button_visible (row, "Resume"));
  g_assert_false (row_button_visible (row, "Pause"));

  g_assert_true (gtk_widget_activate_action (row, "row.pause-resume", NULL));
  query.state = HAUL_DOWNLOAD_DOWNLOADING;
  g_assert_true (wait_for (state_check, &query, TIMEOUT_MS));

  g_assert_true (gtk_widget_activate_action (row, "row.cancel", NULL));
  query.state = HAUL_DOWNLOAD_CANCELLED;
  g_assert_true (wait_for (state_check, &query, TIMEOUT_MS));
  spin (50);
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
      haul_test_server_add_file (server, path, small, NULL);
    }
  a = haul_test_server_uri (server, "/drop/a.txt");
  b = haul_test_server_uri (server, "/drop/b.txt");
  c = haul_test_server_uri (server, "/drop/c.txt");
  d = haul_test_server_uri (server, "/drop/d.txt");

  /* Firefox: text/x-moz-url in UTF-16, URL then title: one link, queued. */
  before = queue_length ();
  moz = g_strdup_printf ("%s\nThe A file", a);
  moz16 = g_utf8_to_utf16 (moz, -1, NULL, &moz_len, &error);
  g_assert_no_error (error);
  drop_bytes ("text/x-moz-url", moz16, (gsize) moz_len * 2);
  g_assert_true (wait_for (download_check, a, TIMEOUT_MS));
  g_assert_cmpuint (queue_length (), ==, before + 1);
  g_assert_nonnull (find_download (a));
  g_assert_cmpstr (haul_window_get_last_toast (window), ==, "Added 1 download");

  /* HTML with several links: the dialog, pre-filled, duplicates gone. */
  html = g_strdup_printf ("<p>Files: <a href=\"%s\">b</a>, <a href=\"%s\">c</a>, "
                          "<a href=\"%s\">d</a> and <a href=\"%s\">b again</a></p>",
                          b, c, d, b);
  before = queue_length ();
  drop_bytes ("text/html", html, strlen (html));
  g_assert_true (wait_for (dialog_check, NULL, TIMEOUT_MS));
  dialog = haul_window_get_add_dialog (window);
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
  g_assert_true (wait_for (toast_check, (gpointer) "Added 3 downloads", TIMEOUT_MS));
  g_assert_null (haul_window_get_add_dialog (window));
  g_assert_cmpuint (queue_length (), ==, before + 3);
  g_assert_nonnull (find_download (c));
  g_assert_cmpstr (haul_window_get_last_toast (window), ==, "Added 3 downloads");

  /* Nothing usable: a toast says so. */
  before = queue_length ();
  drop_bytes ("text/plain;charset=utf-8", garbage, strlen (garbage));
  g_assert_true (wait_for (toast_check, (gpointer) "Nothing to download in what was dropped",
                           TIMEOUT_MS));
  g_assert_cmpuint (queue_length (), ==, before);
  g_assert_null (haul_window_get_add_dialog (window));

  /* A dropped local text file of links is read: two links → the dialog. */
  links_text = g_strdup_printf ("My list:\n%s\n%s\n", c, d);
  g_assert_true (g_file_set_contents (links_file, links_text, -1, &error));
  g_assert_no_error (error);
  links_uri = g_filename_to_uri (links_file, NULL, NULL);
  file_list = g_strdup_printf ("%s\r\n", links_uri);
  drop_bytes ("text/uri-list", file_list, strlen (file_list));
  g_assert_true (wait_for (dialog_check, NULL, TIMEOUT_MS));
  dialog = haul_window_get_add_dialog (window);
  parsed = haul_add_dialog_parse (dialog);
  g_assert_cmpuint (parsed->urls->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (parsed->urls, 0), ==, c);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "add.cancel", NULL));
  spin (50);
  g_assert_null (haul_window_get_add_dialog (window));
  g_assert_cmpuint (queue_length (), ==, before);

  /* A FIFO dropped from a file manager is refused unopened, and says why. */
  {
    g_autofree char *fifo = g_build_filename (tmpdir, "a pipe", NULL);
    g_autofree char *fifo_uri = NULL;
    g_autofree char *fifo_list = NULL;

    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    fifo_uri = g_filename_to_uri (fifo, NULL, NULL);
    fifo_list = g_strdup_printf ("%s\r\n", fifo_uri);
    drop_bytes ("text/uri-list", fifo_list, strlen (fifo_list));
    g_assert_true (wait_for (toast_check,
                             (gpointer) "Nothing to download in what was dropped: "
                                        "A pipe, not a text file of links",
                             TIMEOUT_MS));
    g_assert_null (haul_window_get_add_dialog (window));
    g_assert_cmpuint (queue_length (), ==, before);
  }

  /* Ctrl+V: the clipboard's text, read like a drop. */
  {
    g_autofree char *pasted = g_strdup_printf ("see %s and %s", a, d);
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));

    gdk_clipboard_set_text (clipboard, pasted);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.paste", NULL));
    g_assert_true (wait_for (dialog_check, NULL, TIMEOUT_MS));
    dialog = haul_window_get_add_dialog (window);
    g_clear_pointer (&parsed, haul_link_list_free);
    parsed = haul_add_dialog_parse (dialog);
    g_assert_cmpuint (parsed->urls->len, ==, 2);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "add.cancel", NULL));
    spin (50);

    gdk_clipboard_set_text (clipboard, "no links at all");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.paste", NULL));
    g_assert_true (wait_for (toast_check, (gpointer) "Nothing to download in what was pasted",
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
  HaulAddDialog *dialog = haul_window_get_add_dialog (window);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static gboolean
dialog_links_check (gpointer n)
{
  HaulAddDialog *dialog = haul_window_get_add_dialog (window);
  g_autoptr(HaulLinkList) links = dialog != NULL ? haul_add_dialog_parse (dialog) : NULL;

  return links != NULL && links->urls->len == GPOINTER_TO_UINT (n);
}

static gboolean
label_visible_check (gpointer text)
{
  HaulAddDialog *dialog = haul_window_get_add_dialog (window);
  GtkWidget *label = dialog != NULL ? find_widget (GTK_WIDGET (dialog), is_label_containing, text)
                                    : NULL;

  return label != NULL && gtk_widget_is_drawable (label);
}

static void
close_add_dialog (void)
{
  HaulAddDialog *dialog = haul_window_get_add_dialog (window);

  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "add.cancel", NULL));
  spin (50);
  g_assert_null (haul_window_get_add_dialog (window));
}

/* Ctrl+N opens the dialog ready to type into, filled from the clipboard
 * when that holds addresses (a bare "example.org/…" too); a piece set
 * aside says why, in words and without alarm. */
static void
test_add_dialog (void)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));
  g_autoptr(HaulLinkList) parsed = NULL;
  HaulAddDialog *dialog;
  GtkWidget *text_view;
  GtkWidget *label;
  GtkTextBuffer *buffer;
  guint before = queue_length ();

  gdk_clipboard_set_text (clipboard, "Mirror: example.org/pub/file.iso, also "
                                     "https://b.example/two.iso");
  g_action_group_activate_action (G_ACTION_GROUP (app), "add", NULL);
  g_assert_true (wait_for (dialog_mapped_check, NULL, TIMEOUT_MS));
  dialog = haul_window_get_add_dialog (window);
  text_view = find_widget (GTK_WIDGET (dialog), is_text_view, NULL);
  g_assert_nonnull (text_view);
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (dialog)) == text_view);

  g_assert_true (wait_for (dialog_links_check, GUINT_TO_POINTER (2), TIMEOUT_MS));
  parsed = haul_add_dialog_parse (dialog);
  g_assert_cmpstr (g_ptr_array_index (parsed->urls, 0), ==, "https://example.org/pub/file.iso");
  g_assert_cmpstr (g_ptr_array_index (parsed->urls, 1), ==, "https://b.example/two.iso");
  /* Selected: typing or pasting replaces what the clipboard offered. */
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
  g_assert_true (gtk_text_buffer_get_has_selection (buffer));

  gtk_text_buffer_set_text (buffer, "ftp://old.example/file.iso and https://ok.example/a", -1);
  g_assert_true (wait_for (label_visible_check, (gpointer) "ftp://old.example/file.iso",
                           TIMEOUT_MS));
  label = find_widget (GTK_WIDGET (dialog), is_label_containing,
                       (gpointer) "ftp://old.example/file.iso");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)),
                            "FTP links are not supported"));
  g_assert_false (gtk_widget_has_css_class (label, "error"));
  close_add_dialog ();

  /* Words only: the dialog opens empty, and nothing was queued. */
  gdk_clipboard_set_text (clipboard, "just some words, file.iso and and/or");
  g_action_group_activate_action (G_ACTION_GROUP (app), "add", NULL);
  g_assert_true (wait_for (dialog_mapped_check, NULL, TIMEOUT_MS));
  spin (300);
  dialog = haul_window_get_add_dialog (window);
  g_clear_pointer (&parsed, haul_link_list_free);
  parsed = haul_add_dialog_parse (dialog);
  g_assert_cmpuint (parsed->urls->len, ==, 0);
  text_view = find_widget (GTK_WIDGET (dialog), is_text_view, NULL);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 0);
  close_add_dialog ();
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
  spin (HAUL_NOTIFIER_SUMMARY_DELAY_MS + 300);
  haul_notifier_set_window_active (haul_application_get_notifier (app), TRUE);
  haul_notifier_set_window_active (haul_application_get_notifier (app), FALSE);
  query.from = from = notifications->len;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *path = g_strdup_printf ("/batch/part-%u.bin", i);
      g_autofree char *uri = NULL;
      g_autoptr(GError) error = NULL;

      haul_test_server_add_file (server, path, body, NULL);
      uri = haul_test_server_uri (server, path);
      g_assert_nonnull (haul_queue_add (haul_application_get_queue (app), uri, folder, &error));
      g_assert_no_error (error);
    }

  if (!wait_for (notification_check, &query, TIMEOUT_MS))
    for (guint i = from; i < notifications->len; i++)
      g_test_message ("got “%s”: %s",
                      ((Notification *) g_ptr_array_index (notifications, i))->summary,
                      ((Notification *) g_ptr_array_index (notifications, i))->body);
  g_assert_nonnull (find_notification (&query));
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("part-%u.bin", i);
      g_assert_nonnull (strstr (find_notification (&query)->body, name));
    }
  spin (HAUL_NOTIFIER_SUMMARY_DELAY_MS + 200);

  /* One notification for the three, not one each. */
  for (guint i = from; i < notifications->len; i++)
    g_assert_cmpstr (((Notification *) g_ptr_array_index (notifications, i))->summary, !=,
                     "Download complete");
}

static void
test_notifications_off (void)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (16 * 1024, 9);
  g_autofree char *folder = g_build_filename (g_get_home_dir (), "Downloads", NULL);
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  GSettings *settings = haul_application_get_settings (app);
  guint from = notifications->len;
  HaulDownload *download;
  StateQuery query;

  g_settings_set_boolean (settings, "notifications", FALSE);
  haul_test_server_add_file (server, "/quiet.bin", body, NULL);
  uri = haul_test_server_uri (server, "/quiet.bin");
  download = haul_queue_add (haul_application_get_queue (app), uri, folder, &error);
  g_assert_no_error (error);
  query = (StateQuery) { download, HAUL_DOWNLOAD_COMPLETED };
  g_assert_true (wait_for (state_check, &query, TIMEOUT_MS));
  spin (HAUL_NOTIFIER_SUMMARY_DELAY_MS + 300);
  g_assert_cmpuint (notifications->len, ==, from);
  g_settings_set_boolean (settings, "notifications", TRUE);
}

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

  find_widget (GTK_WIDGET (window), count_rows_cb, &count);
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
  HaulQueue *queue = haul_application_get_queue (app);
  HaulDownload *done;
  HaulDownload *failed;
  GtkWidget *entry;
  GtkWidget *row;
  StateQuery query;

  /* A short list: one completed, one failed. */
  g_ptr_array_unref (haul_queue_remove_finished (queue));
  while (g_list_model_get_n_items (G_LIST_MODEL (queue)) > 0)
    {
      g_autoptr(HaulDownload) d = g_list_model_get_item (G_LIST_MODEL (queue), 0);
      haul_queue_cancel (queue, d);
      haul_queue_remove (queue, d);
    }

  haul_test_server_add_file (server, "/filter/kept-notes.txt", body, NULL);
  haul_test_server_add_status (server, "/filter/gone.iso", 410);
  uri = haul_test_server_uri (server, "/filter/kept-notes.txt");
  bad = haul_test_server_uri (server, "/filter/gone.iso");
  done = haul_queue_add (queue, uri, folder, &error);
  g_assert_no_error (error);
  failed = haul_queue_add (queue, bad, folder, &error);
  g_assert_no_error (error);
  query = (StateQuery) { done, HAUL_DOWNLOAD_COMPLETED };
  g_assert_true (wait_for (state_check, &query, TIMEOUT_MS));
  query = (StateQuery) { failed, HAUL_DOWNLOAD_FAILED };
  g_assert_true (wait_for (state_check, &query, TIMEOUT_MS));
  g_assert_true (wait_for (shown_rows_check, GUINT_TO_POINTER (2), TIMEOUT_MS));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.filter", "s", "failed"));
  g_assert_true (wait_for (shown_rows_check, GUINT_TO_POINTER (1), TIMEOUT_MS));
  g_assert_nonnull (find_row (failed));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.filter", "s", "finished"));
  g_assert_true (wait_for (row_mapped_check, done, TIMEOUT_MS));
  g_assert_true (wait_for (row_unmapped_check, failed, TIMEOUT_MS));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.filter", "s", "active"));
  g_assert_true (wait_for (is_mapped_status_page_check, (gpointer) "No Matching Downloads",
                           TIMEOUT_MS));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.filter", "s", "all"));
  g_assert_true (wait_for (shown_rows_check, GUINT_TO_POINTER (2), TIMEOUT_MS));

  /* Search by name, then by a piece of the address. */
  entry = find_widget (GTK_WIDGET (window), is_search_entry, NULL);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "NOTES");
  g_assert_true (wait_for (shown_rows_check, GUINT_TO_POINTER (1), TIMEOUT_MS));
  g_assert_nonnull (find_row (done));
  gtk_editable_set_text (GTK_EDITABLE (entry), "gone.iso");
  /* The search applies after the entry's pause: wait for the other row. */
  g_assert_true (wait_for (row_mapped_check, failed, TIMEOUT_MS));
  g_assert_true (wait_for (shown_rows_check, GUINT_TO_POINTER (1), TIMEOUT_MS));
  g_assert_true (wait_for (row_unmapped_check, done, TIMEOUT_MS));
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_true (wait_for (shown_rows_check, GUINT_TO_POINTER (2), TIMEOUT_MS));

  /* One kind at a time: a text is a document, a disk image a program. */
  g_assert_cmpint (haul_download_get_category (done), ==, HAUL_CATEGORY_DOCUMENTS);
  g_assert_cmpint (haul_download_get_category (failed), ==, HAUL_CATEGORY_PROGRAMS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.category", "s",
                                             "programs"));
  g_assert_true (wait_for (shown_rows_check, GUINT_TO_POINTER (1), TIMEOUT_MS));
  g_assert_nonnull (find_row (failed));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.category", "s", "music"));
  g_assert_true (wait_for (is_mapped_status_page_check, (gpointer) "No Matching Downloads",
                           TIMEOUT_MS));
  /* With the state filter: both must hold. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.category", "s",
                                             "documents"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.filter", "s", "failed"));
  g_assert_true (wait_for (is_mapped_status_page_check, (gpointer) "No Matching Downloads",
                           TIMEOUT_MS));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.filter", "s", "all"));
  g_assert_true (wait_for (shown_rows_check, GUINT_TO_POINTER (1), TIMEOUT_MS));
  g_assert_nonnull (find_row (done));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.category", "s", "all"));
  g_assert_true (wait_for (shown_rows_check, GUINT_TO_POINTER (2), TIMEOUT_MS));

  /* The file went away behind Haul's back. */
  haul_download_set_file_missing (done, TRUE);
  spin (50);
  row = find_row (done);
  g_assert_cmpstr (row_status (row), ==, "File missing");
  g_assert_false (gtk_widget_is_sensitive (find_widget (row, is_button_named, (gpointer) "Open")));
}

/* ------------------------------------------------------------------ */
/* The list's order, the header, toasts, the clipboard, dragging out   */

static void
empty_queue (void)
{
  HaulQueue *queue = haul_application_get_queue (app);

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
  return GTK_LIST_VIEW (find_widget (GTK_WIDGET (window), is_mapped_list_view, NULL));
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
    haul_test_server_add_file (server, path, body, &options);
  else
    haul_test_server_add_status (server, path, 404);
  uri = haul_test_server_uri (server, path);
  download = haul_queue_add (haul_application_get_queue (app), uri, folder, &error);
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
  StateQuery query;
  Order order = { { NULL } };

  empty_queue ();
  done = add_download ("/order/done.bin", small, 0);
  failed = add_download ("/order/gone.bin", NULL, 0);
  query = (StateQuery) { done, HAUL_DOWNLOAD_COMPLETED };
  g_assert_true (wait_for (state_check, &query, TIMEOUT_MS));
  query = (StateQuery) { failed, HAUL_DOWNLOAD_FAILED };
  g_assert_true (wait_for (state_check, &query, TIMEOUT_MS));

  /* Added last, shown first: it is still downloading. */
  slow = add_download ("/order/slow.bin", big, 128 * 1024);
  order = (Order) { { slow, done, failed, NULL } };
  g_assert_true (wait_for (order_check, &order, TIMEOUT_MS));
  g_assert_true (wait_for (selected_check, slow, TIMEOUT_MS));

  /* A drop: the new row is selected, below the other unfinished one. */
  haul_test_server_add_file (server, "/order/dropped.bin", big,
                             &(HaulTestFileOptions) { .bytes_per_second = 128 * 1024 });
  dropped_uri = haul_test_server_uri (server, "/order/dropped.bin");
  uri_list = g_strdup_printf ("%s\r\n", dropped_uri);
  drop_bytes ("text/uri-list", uri_list, strlen (uri_list));
  g_assert_true (wait_for (download_check, dropped_uri, TIMEOUT_MS));
  dropped = find_download (dropped_uri);
  order = (Order) { { slow, dropped, done, failed } };
  g_assert_true (wait_for (order_check, &order, TIMEOUT_MS));
  g_assert_true (wait_for (selected_check, dropped, TIMEOUT_MS));

  /* Cancelled, it is finished: it goes below the one still running. The
   * selection stays on the download, not on its old position. */
  haul_queue_cancel (haul_application_get_queue (app), slow);
  order = (Order) { { dropped, done, failed, slow } };
  g_assert_true (wait_for (order_check, &order, TIMEOUT_MS));
  spin (200);
  g_assert_true (wait_for (selected_check, dropped, TIMEOUT_MS));

  /* A window opened on a list that is there already (after a restart)
   * selects nothing until something is added. */
  {
    HaulWindow *second = haul_window_new (GTK_APPLICATION (app),
                                          haul_application_get_queue (app), NULL);
    GtkListView *view = GTK_LIST_VIEW (find_widget (GTK_WIDGET (second), is_list_view, NULL));

    g_assert_nonnull (view);
    g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (
                        gtk_list_view_get_model (view))), ==, GTK_INVALID_LIST_POSITION);
    gtk_window_destroy (GTK_WINDOW (second));
    spin (50);
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
  GtkWidget *button = find_widget (GTK_WIDGET (window), is_button_with_action, (gpointer) action);

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
  AdwWindowTitle *title = ADW_WINDOW_TITLE (find_widget (GTK_WIDGET (window), is_window_title,
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
  HaulQueue *queue = haul_application_get_queue (app);
  HeaderQuery query = { FALSE, FALSE, NULL };
  HaulDownload *a, *b, *c;
  StateQuery state;

  empty_queue ();
  g_assert_true (wait_for (header_check, &query, TIMEOUT_MS));

  haul_queue_set_max_active (queue, 1);
  a = add_download ("/counts/a.bin", big, 64 * 1024);
  b = add_download ("/counts/b.bin", big, 64 * 1024);
  c = add_download ("/counts/c.bin", big, 64 * 1024);
  state = (StateQuery) { a, HAUL_DOWNLOAD_DOWNLOADING };
  g_assert_true (wait_for (state_check, &state, TIMEOUT_MS));
  query = (HeaderQuery) { TRUE, FALSE, "1 downloading, 2 waiting" };
  g_assert_true (wait_for (header_check, &query, TIMEOUT_MS));

  haul_queue_pause_all (queue);
  query = (HeaderQuery) { FALSE, TRUE, "3 paused" };
  g_assert_true (wait_for (header_check, &query, TIMEOUT_MS));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.resume-all", NULL));
  query = (HeaderQuery) { TRUE, FALSE, "1 downloading, 2 waiting" };
  g_assert_true (wait_for (header_check, &query, TIMEOUT_MS));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pause-all", NULL));
  state = (StateQuery) { c, HAUL_DOWNLOAD_PAUSED };
  g_assert_true (wait_for (state_check, &state, TIMEOUT_MS));
  g_assert_cmpint (haul_download_get_state (b), ==, HAUL_DOWNLOAD_PAUSED);

  haul_queue_set_max_active (queue, 3);
  empty_queue ();
  query = (HeaderQuery) { FALSE, FALSE, NULL };
  g_assert_true (wait_for (header_check, &query, TIMEOUT_MS));
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
    for (GtkWidget *b = find_widget (widget, is_mapped_button, NULL); b != NULL; b = NULL)
      {
        /* Every button of the row, not only the first one. */
        for (GtkWidget *child = gtk_widget_get_first_child (gtk_widget_get_parent (b));
             child != NULL; child = gtk_widget_get_next_sibling (child))
          if (is_mapped_button (child, NULL)
              && gtk_widget_compute_bounds (child, GTK_WIDGET (window), &bounds)
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
  GtkWidget *toast = find_widget (GTK_WIDGET (window), is_toast, NULL);
  graphene_rect_t bounds;

  /* Settled: slid in to where it stays. */
  if (toast == NULL || !gtk_widget_compute_bounds (toast, GTK_WIDGET (window), &bounds))
    return FALSE;
  return bounds.origin.y + bounds.size.height <= gtk_widget_get_height (GTK_WIDGET (window)) - 8;
}

static gboolean
is_mapped_scrolled_window (GtkWidget *widget,
                           gpointer   data)
{
  return GTK_IS_SCROLLED_WINDOW (widget) && gtk_widget_get_mapped (widget)
         && find_widget (widget, is_mapped_list_view, NULL) != NULL;
}

static void
check_toast_clear (int width)
{
  Coverage coverage = { GRAPHENE_RECT_INIT_ZERO, GRAPHENE_RECT_INIT_ZERO, 0, 0 };
  GtkWidget *toast;
  GtkWidget *scroller;

  gtk_window_set_default_size (GTK_WINDOW (window), width, 420);
  spin (300);
  haul_window_add_toast (window, "Nothing to download in what was dropped: A pipe, not a text "
                                 "file of links");
  g_assert_true (wait_for (toast_shown_check, NULL, TIMEOUT_MS));
  spin (500);
  toast = find_widget (GTK_WIDGET (window), is_toast, NULL);
  g_assert_true (gtk_widget_compute_bounds (toast, GTK_WIDGET (window), &coverage.toast));
  scroller = find_widget (GTK_WIDGET (window), is_mapped_scrolled_window, NULL);
  g_assert_true (gtk_widget_compute_bounds (scroller, GTK_WIDGET (window), &coverage.viewport));
  find_widget (GTK_WIDGET (window), count_covered_cb, &coverage);
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
  spin (800);

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  check_toast_clear (360);
  check_toast_clear (760);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  empty_queue ();
}

static gboolean
offered_check (gpointer data)
{
  const char *toast = haul_window_get_last_toast (window);

  return toast != NULL && strstr (toast, "from the clipboard") != NULL;
}

static gboolean
inactive_check (gpointer data)
{
  return !gtk_window_is_active (GTK_WINDOW (window));
}

static gboolean
active_check (gpointer data)
{
  return gtk_window_is_active (GTK_WINDOW (window));
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
  g_assert_true (wait_for (inactive_check, NULL, TIMEOUT_MS));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (active_check, NULL, TIMEOUT_MS));
}

/* Coming back to the window with new addresses on the clipboard offers
 * them, once, in a toast; its button adds them. No polling: nothing is
 * offered while the window stays where it is. */
static void
test_clipboard_offer (void)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));
  g_autoptr(GBytes) small = haul_test_make_bytes (4096, 25);
  g_autoptr(HaulLinkList) parsed = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *text = NULL;
  GdkDisplay *browser;
  GtkWidget *other;

  empty_queue ();
  haul_test_server_add_file (server, "/offer/a.bin", small, NULL);
  haul_test_server_add_file (server, "/offer/b.bin", small, NULL);
  a = haul_test_server_uri (server, "/offer/a.bin");
  b = haul_test_server_uri (server, "/offer/b.bin");
  text = g_strdup_printf ("Copied from a page: %s and %s", a, b);

  other = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (other), "Another program");
  gtk_window_present (GTK_WINDOW (other));

  /* Another program owns the clipboard (a connection of its own: Haul
   * does not offer what it copied itself). */
  browser = gdk_display_open (NULL);
  g_assert_nonnull (browser);
  gdk_clipboard_set_text (gdk_display_get_clipboard (browser), text);
  g_assert_true (wait_for (foreign_text_check, clipboard, TIMEOUT_MS));

  haul_window_add_toast (window, "before");
  spin (500);
  g_assert_cmpstr (haul_window_get_last_toast (window), ==, "before");

  leave_and_come_back (other);
  g_assert_true (wait_for (offered_check, NULL, TIMEOUT_MS));
  g_assert_cmpstr (haul_window_get_last_toast (window), ==,
                   "Download 2 links from the clipboard?");

  /* Offered once: coming back again says nothing more. */
  haul_window_add_toast (window, "again");
  leave_and_come_back (other);
  spin (500);
  g_assert_cmpstr (haul_window_get_last_toast (window), ==, "again");

  /* The toast's button: two links, so the dialog, pre-filled. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-offered", NULL));
  g_assert_true (wait_for (dialog_check, NULL, TIMEOUT_MS));
  parsed = haul_add_dialog_parse (haul_window_get_add_dialog (window));
  g_assert_cmpuint (parsed->urls->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (parsed->urls, 0), ==, a);
  g_assert_cmpstr (g_ptr_array_index (parsed->urls, 1), ==, b);
  close_add_dialog ();

  gtk_window_destroy (GTK_WINDOW (other));
  gdk_display_close (browser);
  spin (100);
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
  StateQuery query;
  GdkContentProvider *provider = NULL;
  GValue value = G_VALUE_INIT;
  GdkFileList *files;
  GSList *list;
  g_autofree char *path = NULL;

  empty_queue ();
  done = add_download ("/drag/done.bin", small, 0);
  failed = add_download ("/drag/gone.bin", NULL, 0);
  query = (StateQuery) { done, HAUL_DOWNLOAD_COMPLETED };
  g_assert_true (wait_for (state_check, &query, TIMEOUT_MS));
  query = (StateQuery) { failed, HAUL_DOWNLOAD_FAILED };
  g_assert_true (wait_for (state_check, &query, TIMEOUT_MS));
  g_assert_true (wait_for (row_mapped_check, done, TIMEOUT_MS));
  g_assert_true (wait_for (row_mapped_check, failed, TIMEOUT_MS));

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
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("haul");

  notifications = g_ptr_array_new_with_free_func (notification_free);
  shown_items = g_ptr_array_new_with_free_func (g_free);
  start_desktop ();
  server = haul_test_server_new ();

  app = haul_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = HAUL_WINDOW (haul_application_get_window (app));
  g_assert_nonnull (window);

  g_test_add_func ("/haul/ui/window/empty-state", test_empty_state);
  g_test_add_func ("/haul/ui/window/download-completes", test_download_completes);
  g_test_add_func ("/haul/ui/window/failure-and-retry", test_failure_and_retry);
  g_test_add_func ("/haul/ui/window/row-actions", test_row_actions);
  g_test_add_func ("/haul/ui/window/drops", test_drops);
  g_test_add_func ("/haul/ui/window/add-dialog", test_add_dialog);
  g_test_add_func ("/haul/ui/window/summary-notification", test_summary_notification);
  g_test_add_func ("/haul/ui/window/notifications-off", test_notifications_off);
  g_test_add_func ("/haul/ui/window/filter-search-missing", test_filter_search_missing);
  g_test_add_func ("/haul/ui/window/order-and-reveal", test_order_and_reveal);
  g_test_add_func ("/haul/ui/window/header-counts", test_header_counts);
  g_test_add_func ("/haul/ui/window/toast-clear-of-rows", test_toast_clear_of_rows);
  g_test_add_func ("/haul/ui/window/clipboard-offer", test_clipboard_offer);
  g_test_add_func ("/haul/ui/window/drag-out", test_drag_out);

  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  haul_queue_shutdown (haul_application_get_queue (app));
  g_clear_object (&app);
  haul_test_server_free (server);
  g_clear_object (&desktop);
  g_ptr_array_unref (notifications);
  g_ptr_array_unref (shown_items);

  return status;
}
