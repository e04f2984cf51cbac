/* haul-application.c: the application — actions, command line, notifications
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "haul-application.h"
#include "haul-adopt-command.h"
#include "haul-aria2-engine.h"
#include "haul-browser-queue.h"
#include "haul-checksum.h"
#include "haul-error.h"
#include "haul-link-parser.h"
#include "haul-open-error.h"
#include "haul-preferences-window.h"
#include "haul-queue-settings.h"
#include "haul-store.h"
#include "haul-util.h"
#include "haul-window.h"

#define SCHEMA_ID "io.github.haul.Haul"
#define SHOW_ITEMS_TIMEOUT_MS 5000

struct _HaulApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;        /* (owned) */
  HaulStore      *store;           /* (owned) (nullable) when the database cannot be opened */
  HaulQueue      *queue;           /* (owned) (nullable) NULL when locked out */
  GError         *locked_out;      /* (owned) (nullable) another Haul holds this user's data */
  HaulNotifier   *notifier;        /* (owned) */
  HaulQueueSettings *queue_settings; /* (owned) (nullable) categories and schedule */
  guint           inhibit_cookie;
  gboolean        inhibited;       /* asked, even if the session said no (cookie 0) */
  gboolean        holding;         /* held while downloads run without a window */
  gboolean        told_recovered;
  GtkWindow      *quit_dialog;     /* (unowned) (nullable) */
  gboolean        quitting;        /* the queue is stopping; the app ends when it has */
  guint           signal_ids[3];   /* SIGTERM, SIGINT, SIGHUP */
};

G_DEFINE_FINAL_TYPE (HaulApplication, haul_application, ADW_TYPE_APPLICATION)

static GtkWindow *
find_window (HaulApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (HAUL_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

GtkWindow *
haul_application_get_window (HaulApplication *self)
{
  g_return_val_if_fail (HAUL_IS_APPLICATION (self), NULL);

  return find_window (self);
}

static void
tell_recovered (HaulApplication *self,
                GtkWindow       *window)
{
  const char *recovered;
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  if (self->told_recovered || self->store == NULL)
    return;

  recovered = haul_store_get_recovered_path (self->store);
  if (recovered == NULL)
    return;

  self->told_recovered = TRUE;
  body = g_strdup_printf (_("The download list was damaged and has been reset. "
                            "The old file was kept as %s"),
                          recovered);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Download List Reset"), body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Another Haul process (another session, or none) holds this user's list
 * of downloads: say so, touch nothing, and go. */
static void
tell_locked_out (HaulApplication *self)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL, _("Haul Is Already Running"),
                                                       self->locked_out->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect_object (dialog, "response", G_CALLBACK (g_application_quit), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The main window, made if needed; NULL when locked out (the dialog saying
 * so is shown instead) or quitting. */
static GtkWindow *
present_window (HaulApplication *self)
{
  GtkWindow *window = find_window (self);

  /* Quitting: the downloads are stopping, a new window would be left
   * behind by them. */
  if (self->quitting)
    return NULL;

  if (self->locked_out != NULL)
    {
      if (gtk_application_get_windows (GTK_APPLICATION (self)) == NULL)
        tell_locked_out (self);
      return NULL;
    }

  if (window == NULL)
    {
      window = GTK_WINDOW (haul_window_new (GTK_APPLICATION (self), self->queue, self->settings));
      /* What completes while the window is in front is seen; the
       * notifications count only the rest. */
      g_object_bind_property (window, "is-active", self->notifier, "window-active",
                              G_BINDING_SYNC_CREATE);
    }

  gtk_window_present (window);
  tell_recovered (self, window);
  return window;
}

/* ------------------------------------------------------------------ */
/* Running in the background, suspend                                  */

static void
update_hold_and_inhibit (HaulApplication *self)
{
  guint n_active = haul_queue_get_n_active (self->queue);
  /* A remote engine's downloads do not need this computer awake. */
  gboolean local = haul_queue_get_engine_connection (self->queue) == HAUL_ENGINE_LOCAL;

  /* Asked once per busy stretch: without a session manager the answer is
   * 0, and asking again on every change would be a D-Bus round trip each. */
  if (n_active > 0 && local && !self->inhibited)
    {
      self->inhibited = TRUE;
      self->inhibit_cookie = gtk_application_inhibit (GTK_APPLICATION (self), find_window (self),
                                                      GTK_APPLICATION_INHIBIT_SUSPEND,
                                                      _("Downloading files"));
    }
  else if (n_active == 0 && self->inhibited)
    {
      self->inhibited = FALSE;
      if (self->inhibit_cookie != 0)
        gtk_application_uninhibit (GTK_APPLICATION (self), self->inhibit_cookie);
      self->inhibit_cookie = 0;
    }

  if (n_active == 0 && self->holding)
    {
      self->holding = FALSE;
      g_application_release (G_APPLICATION (self));
    }
}

static void
n_active_cb (HaulApplication *self)
{
  update_hold_and_inhibit (self);
}

static void
download_finished_cb (HaulApplication *self,
                      HaulDownload    *download,
                      HaulQueue       *queue)
{
  haul_notifier_download_finished (self->notifier, download);
}

static void
haul_application_window_removed (GtkApplication *application,
                                 GtkWindow      *window)
{
  HaulApplication *self = HAUL_APPLICATION (application);

  GTK_APPLICATION_CLASS (haul_application_parent_class)->window_removed (application, window);

  if (HAUL_IS_WINDOW (window) && find_window (self) == NULL && self->notifier != NULL)
    haul_notifier_set_window_active (self->notifier, FALSE);

  /* The last window closed while files download: keep going. */
  if (HAUL_IS_WINDOW (window) && find_window (self) == NULL && self->queue != NULL
      && haul_queue_get_n_active (self->queue) > 0 && !self->holding && !self->quitting)
    {
      self->holding = TRUE;
      g_application_hold (G_APPLICATION (self));
      haul_notifier_still_downloading (self->notifier);
    }
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */

typedef struct
{
  HaulApplication *self;  /* (owned) */
  char            *path;  /* (owned) what was asked to be opened */
} Launch;

static void
launch_free (Launch *launch)
{
  g_object_unref (launch->self);
  g_free (launch->path);
  g_free (launch);
}

static HaulDownload *
find_download_by_path (HaulApplication *self,
                       const char      *path)
{
  GListModel *model = G_LIST_MODEL (self->queue);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (model, i);
      g_autofree char *download_path = haul_download_dup_path (download);

      if (g_strcmp0 (download_path, path) == 0)
        return download;  /* the queue keeps it */
    }

  return NULL;
}

static void
launch_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Launch *launch = user_data;
  HaulApplication *self = launch->self;
  g_autoptr(GError) error = NULL;

  /* Said in words in a dialog, the system's message whole in the
   * download's details: a toast would cut it off. */
  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    haul_present_open_error (find_window (self), find_download_by_path (self, launch->path),
                             launch->path, error);

  launch_free (launch);
}

static void
launch_uri (HaulApplication *self,
            const char      *uri,
            const char      *path)
{
  g_autoptr(GAppLaunchContext) context = NULL;
  GdkDisplay *display = gdk_display_get_default ();
  Launch *launch;

  if (display != NULL)
    context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (display));

  launch = g_new0 (Launch, 1);
  launch->self = g_object_ref (self);
  launch->path = g_strdup (path);
  g_app_info_launch_default_for_uri_async (uri, context, NULL, launch_cb, launch);
}

static void
open_file_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  HaulApplication *self = user_data;
  const char *path = g_variant_get_string (parameter, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);

  launch_uri (self, uri, path);
}

typedef struct
{
  HaulApplication *self;    /* (owned) */
  char            *folder;  /* (owned) uri of the folder, the fallback */
  char            *path;    /* (owned) of the folder */
} ShowItems;

static void
show_items_free (ShowItems *data)
{
  g_object_unref (data->self);
  g_free (data->folder);
  g_free (data->path);
  g_free (data);
}

static void
show_items_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ShowItems *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      g_debug ("FileManager1.ShowItems failed (%s), opening the folder", error->message);
      launch_uri (data->self, data->folder, data->path);
    }

  show_items_free (data);
}

static void
show_in_folder_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  HaulApplication *self = user_data;
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *uri = g_file_get_uri (file);
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (self));
  const char *uris[] = { uri, NULL };
  ShowItems *data;

  data = g_new0 (ShowItems, 1);
  data->self = g_object_ref (self);
  data->folder = g_file_get_uri (parent != NULL ? parent : file);
  data->path = g_file_get_path (parent != NULL ? parent : file);

  if (bus == NULL)
    {
      launch_uri (self, data->folder, data->path);
      show_items_free (data);
      return;
    }

  g_dbus_connection_call (bus,
                          "org.freedesktop.FileManager1",
                          "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1",
                          "ShowItems",
                          g_variant_new ("(^ass)", uris, ""),
                          NULL,
                          G_DBUS_CALL_FLAGS_NONE,
                          SHOW_ITEMS_TIMEOUT_MS,
                          NULL,
                          show_items_cb,
                          data);
}

static void
show_downloads_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  present_window (HAUL_APPLICATION (user_data));
}

static void
retry_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  HaulApplication *self = user_data;
  HaulDownload *download = self->queue != NULL
    ? haul_queue_lookup (self->queue, g_variant_get_int64 (parameter)) : NULL;

  if (download != NULL && haul_download_can_retry (download))
    haul_queue_retry (self->queue, download);
}

static void
pause_all_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  HaulApplication *self = user_data;

  if (self->queue != NULL)
    haul_queue_pause_all (self->queue);
}

static void
resume_all_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  HaulApplication *self = user_data;

  if (self->queue != NULL)
    haul_queue_resume_all (self->queue);
}

static void
add_action (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  HaulApplication *self = user_data;
  GtkWindow *window = present_window (self);

  if (window != NULL)
    haul_window_show_add_dialog (HAUL_WINDOW (window), NULL);
}

/* "add-request" (a{sv}): links from the browser, sent by haul-browser-host
 * through org.freedesktop.Application.ActivateAction; the keys are those
 * of haul-browser-request.h, checked again here since any program on the
 * session bus can call this. */
static void
add_request_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  HaulApplication *self = user_data;
  g_autoptr(HaulBrowserRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  GtkWindow *window;

  /* Locked out by another Haul: present_window() says so, nothing is added. */
  if (self->queue == NULL)
    {
      present_window (self);
      return;
    }

  folder = haul_dup_download_folder (self->settings);
  request = haul_browser_request_new_from_variant (parameter, &error);
  if (request != NULL)
    haul_browser_request_queue (request, self->queue, folder, &error);

  window = present_window (self);
  if (error != NULL && window != NULL)
    haul_window_add_toast (HAUL_WINDOW (window), error->message);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  HaulApplication *self = user_data;
  GtkWidget *preferences = haul_preferences_window_new (find_window (self), self->settings,
                                                        self->queue);

  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  HaulApplication *self = user_data;
  const char *developers[] = { _("The Haul developers"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", find_window (self),
                        "modal", TRUE,
                        "application-name", _("Haul"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Haul developers"),
                        "developers", developers,
                        "comments", _("Download files from the web: drop links, watch them arrive"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Haul developers",
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GtkWindow *window = present_window (HAUL_APPLICATION (user_data));

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
queue_stopped_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HaulApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!haul_queue_shutdown_finish (HAUL_QUEUE (object), result, &error))
    g_warning ("Downloads did not stop cleanly: %s", error->message);
  g_application_release (G_APPLICATION (self));
  g_application_quit (G_APPLICATION (self));
}

static void
really_quit (HaulApplication *self)
{
  if (self->quitting)
    return;
  self->quitting = TRUE;

  /* The windows go at once; downloads stop where they are (and resume at
   * the next start) without holding up the main loop: the workers wind
   * down and the store reaches the disk in the background, and the
   * application ends when they have. */
  if (self->notifier != NULL)
    haul_notifier_flush (self->notifier);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL;)
    {
      GtkWindow *window = l->data;
      l = l->next;
      gtk_window_destroy (window);
    }

  if (self->queue == NULL)
    {
      g_application_quit (G_APPLICATION (self));
      return;
    }
  g_application_hold (G_APPLICATION (self));
  haul_queue_shutdown_async (self->queue, NULL, queue_stopped_cb, g_object_ref (self));
}

/* A logout, kill or Ctrl+C in a terminal quits as Quit does: what runs is
 * recorded to resume, not left to the crash recovery. */
static gboolean
quit_signal_cb (gpointer user_data)
{
  really_quit (HAUL_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static gboolean
really_quit_cb (gpointer user_data)
{
  really_quit (HAUL_APPLICATION (user_data));
  return G_SOURCE_REMOVE;
}

static void
quit_response_cb (HaulApplication *self,
                  const char      *response,
                  AdwMessageDialog *dialog)
{
  if (g_strcmp0 (response, "quit") != 0)
    return;

  /* Not from inside the dialog's own response handler: it still uses
   * itself after this returns, and really_quit() destroys every window,
   * the dialog too (GLib-GObject CRITICALs, an abort under
   * G_DEBUG=fatal-criticals). Hidden now, so the answer shows at once. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    gtk_widget_set_visible (l->data, FALSE);
  g_idle_add_full (G_PRIORITY_HIGH_IDLE, really_quit_cb, g_object_ref (self), g_object_unref);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  HaulApplication *self = user_data;
  GtkWindow *window = find_window (self);
  guint n_active = self->queue != NULL ? haul_queue_get_n_active (self->queue) : 0;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (n_active == 0 || window == NULL)
    {
      really_quit (self);
      return;
    }

  if (self->quit_dialog != NULL)
    {
      gtk_window_present (self->quit_dialog);
      return;
    }

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u download is still running. It will go on from where "
                                       "it stopped the next time Haul starts.",
                                       "%u downloads are still running. They will go on from where "
                                       "they stopped the next time Haul starts.",
                                       n_active),
                          n_active);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Stop Downloads and Quit?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "quit", _("_Quit"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "quit", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (quit_response_cb), self,
                           G_CONNECT_SWAPPED);
  self->quit_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->quit_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry app_actions[] = {
  { "open-file", open_file_action, "s" },
  { "show-in-folder", show_in_folder_action, "s" },
  { "show-downloads", show_downloads_action },
  { "retry", retry_action, "x" },
  { "pause-all", pause_all_action },
  { "resume-all", resume_all_action },
  { "add", add_action },
  { "add-request", add_request_action, "a{sv}" },
  { "preferences", preferences_action },
  { "about", about_action },
  { "shortcuts", shortcuts_action },
  { "quit", quit_action },
};

/* ------------------------------------------------------------------ */
/* The download engine                                                 */

/* The engine the "engine" setting names, chosen once, at start: the
 * window and its rows hold the queue, so a switch in Preferences applies
 * at the next start (Preferences says so). The daemon's address and the
 * path mapping apply at once. */
static HaulQueue *
make_queue (HaulApplication *self)
{
  g_autofree char *kind = g_settings_get_string (self->settings, "engine");
  g_autoptr(HaulEngine) engine = NULL;

  if (g_strcmp0 (kind, "aria2") != 0)
    return haul_queue_new (self->store);

  engine = haul_aria2_engine_new (NULL);
  g_settings_bind (self->settings, "aria2-uri", engine, "address", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "aria2-remote-folder", engine, "remote-folder",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "aria2-local-folder", engine, "local-folder",
                   G_SETTINGS_BIND_GET);
  return haul_queue_new_with_engine (self->store, engine);
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                          */

/* Pause Queue: the whole queue waits in its order, and still does after
 * a restart (bound before the queue is restored). */
static void
hold_queue_setup (HaulApplication *self)
{
  g_autoptr(GAction) action = g_settings_create_action (self->settings, "hold-queue");

  g_settings_bind (self->settings, "hold-queue", self->queue, "held", G_SETTINGS_BIND_DEFAULT);
  g_action_map_add_action (G_ACTION_MAP (self), action);
}

/* The settings the queue follows, while Haul runs too. */
static void
bind_queue_settings (HaulApplication *self)
{
  static const char * const keys[] = {
    "max-active", "connections-per-download", "speed-limit", "alt-speed-limit",
    "alt-speed-enabled", "allow-metered", "checksum-other-hosts",
  };

  g_autoptr(GAction) alt_speed = g_settings_create_action (self->settings, "alt-speed-enabled");

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_bind (self->settings, keys[i], self->queue, keys[i], G_SETTINGS_BIND_GET);
  /* The header bar's toggle and the main menu's item. */
  g_action_map_add_action (G_ACTION_MAP (self), alt_speed);
}

static void
haul_application_startup (GApplication *application)
{
  HaulApplication *self = HAUL_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.add", { "<Control>n", "<Control>o", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.hold-queue", { "<Control>p", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  /* The history is read in a thread of its own while GTK starts: a long
   * one takes longer to read than GTK takes to start. */
  path = haul_store_default_path ();
  self->store = haul_store_new (path, &error);
  if (self->store != NULL)
    haul_store_start_loading (self->store);

  G_APPLICATION_CLASS (haul_application_parent_class)->startup (application);

  /* GLib 2.74 starts its MIME database with default folders, then starts
   * it again (and drops a little memory) when g_content_type_get_description()
   * first asks for the folders. Asking first makes it start once. */
  g_content_type_get_mime_dirs ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  self->settings = g_settings_new (SCHEMA_ID);

  if (g_error_matches (error, HAUL_ERROR, HAUL_ERROR_ALREADY_RUNNING))
    {
      /* Everything is left alone: no queue, no download resumed. */
      g_printerr ("haul: %s\n", error->message);
      self->locked_out = g_steal_pointer (&error);
      return;
    }
  if (self->store == NULL)
    {
      g_warning ("Downloads will not be remembered: could not open %s: %s", path, error->message);
      g_clear_error (&error);
    }

  self->queue = make_queue (self);
  bind_queue_settings (self);
  hold_queue_setup (self);
  self->queue_settings = haul_queue_settings_new (self->settings, self->queue);
  self->notifier = haul_notifier_new (application, self->settings);

  g_signal_connect_object (self->queue, "download-finished", G_CALLBACK (download_finished_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "notify::n-active", G_CALLBACK (n_active_cb), self,
                           G_CONNECT_SWAPPED);

  if (!haul_queue_restore (self->queue, &error))
    g_warning ("Could not restore the download list: %s", error->message);

  update_hold_and_inhibit (self);

  self->signal_ids[0] = g_unix_signal_add (SIGTERM, quit_signal_cb, self);
  self->signal_ids[1] = g_unix_signal_add (SIGINT, quit_signal_cb, self);
  self->signal_ids[2] = g_unix_signal_add (SIGHUP, quit_signal_cb, self);
}

static void
haul_application_activate (GApplication *application)
{
  present_window (HAUL_APPLICATION (application));
}

static int
haul_application_command_line (GApplication            *application,
                               GApplicationCommandLine *command_line)
{
  HaulApplication *self = HAUL_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree const char **uris = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GPtrArray) duplicates = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *checksum = NULL;
  const char *adopt = NULL;
  g_autoptr(HaulChecksumSpec) spec = NULL;
  HaulAddOptions add_options = { NULL };
  guint n_queued = 0;
  guint n_bad = 0;

  if (self->locked_out != NULL)
    {
      g_application_command_line_printerr (command_line, "haul: %s\n", self->locked_out->message);
      /* This process is the one locked out: say it in a window too (a
       * launch from the desktop has no terminal), then go. */
      if (!g_application_command_line_get_is_remote (command_line))
        g_application_activate (application);
      return EXIT_FAILURE;
    }

  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &uris);
  folder = haul_dup_download_folder (self->settings);

  /* --adopt=FILE URL: a browser's partial download, continued. */
  if (g_variant_dict_lookup (options, "adopt", "^&ay", &adopt))
    {
      g_application_activate (application);
      return haul_adopt_command_line (command_line, find_window (self), adopt, uris);
    }

  /* --checksum=TYPE=HEX: one file's checksum, so one address. */
  if (g_variant_dict_lookup (options, "checksum", "s", &checksum))
    {
      g_autoptr(GError) error = NULL;

      spec = haul_checksum_spec_parse (checksum, &error);
      if (spec == NULL || uris == NULL || uris[0] == NULL || uris[1] != NULL)
        {
          g_application_command_line_printerr (command_line, "haul: %s\n",
                                               spec == NULL ? error->message
                                               : _("--checksum needs exactly one address"));
          return EXIT_FAILURE;
        }
      add_options.checksum = spec;
    }

  for (guint i = 0; uris != NULL && uris[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = haul_link_normalize (uris[i], &error);

      if (uri == NULL)
        {
          /* Translators: the first %s is what was typed, the second why it
           * is not accepted, e.g. "Local files cannot be downloaded". */
          g_application_command_line_printerr (command_line,
                                               _("haul: “%s” is not a web address: %s\n"),
                                               uris[i], error->message);
          n_bad++;
        }
      else if (haul_queue_find_duplicate (self->queue, uri) != NULL)
        {
          /* Asked about in the window, as a drop would be. */
          g_ptr_array_add (duplicates, g_steal_pointer (&uri));
          n_queued++;
        }
      else if (haul_queue_add_full (self->queue, uri, folder, &add_options, &error) == NULL)
        {
          g_application_command_line_printerr (command_line, "haul: %s: %s\n",
                                               uris[i], error->message);
          n_bad++;
        }
      else
        n_queued++;
    }

  if (n_bad > 0 && n_queued == 0)
    return EXIT_FAILURE;

  g_application_activate (application);
  if (duplicates->len > 0 && HAUL_IS_WINDOW (find_window (self)))
    {
      g_ptr_array_add (duplicates, NULL);
      haul_window_queue_urls (HAUL_WINDOW (find_window (self)),
                              (const char * const *) duplicates->pdata, folder);
    }
  return EXIT_SUCCESS;
}

static int
haul_application_handle_local_options (GApplication *application,
                                       GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("haul %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  return -1;
}

static void
haul_application_shutdown (GApplication *application)
{
  HaulApplication *self = HAUL_APPLICATION (application);

  for (guint i = 0; i < G_N_ELEMENTS (self->signal_ids); i++)
    g_clear_handle_id (&self->signal_ids[i], g_source_remove);
  if (self->notifier != NULL)
    haul_notifier_flush (self->notifier);
  g_clear_object (&self->queue_settings);
  if (self->queue != NULL)
    haul_queue_shutdown (self->queue);
  if (self->store != NULL)
    haul_store_sync (self->store);
  if (self->inhibit_cookie != 0)
    {
      gtk_application_uninhibit (GTK_APPLICATION (self), self->inhibit_cookie);
      self->inhibit_cookie = 0;
    }

  G_APPLICATION_CLASS (haul_application_parent_class)->shutdown (application);
}

static void
haul_application_dispose (GObject *object)
{
  HaulApplication *self = HAUL_APPLICATION (object);

  g_clear_object (&self->notifier);
  g_clear_object (&self->queue_settings);
  g_clear_object (&self->queue);
  g_clear_error (&self->locked_out);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (haul_application_parent_class)->dispose (object);
}

static void
haul_application_class_init (HaulApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->dispose = haul_application_dispose;

  app_class->startup = haul_application_startup;
  app_class->activate = haul_application_activate;
  app_class->command_line = haul_application_command_line;
  app_class->handle_local_options = haul_application_handle_local_options;
  app_class->shutdown = haul_application_shutdown;

  gtk_app_class->window_removed = haul_application_window_removed;
}

static void
haul_application_init (HaulApplication *self)
{
  static const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
    { "checksum", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Check the download against this checksum (sha-256, sha-512, sha-1 or md5)"),
      N_("TYPE=HEX") },
    { "adopt", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Continue a browser's partial download (NAME.part, NAME.crdownload) from the address"),
      N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[URL…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Download the files at the given web addresses "
                                              "(http:// or https://). If Haul is running "
                                              "already, they are added to its list."));
}

HaulQueue *
haul_application_get_queue (HaulApplication *self)
{
  g_return_val_if_fail (HAUL_IS_APPLICATION (self), NULL);

  return self->queue;
}

GSettings *
haul_application_get_settings (HaulApplication *self)
{
  g_return_val_if_fail (HAUL_IS_APPLICATION (self), NULL);

  return self->settings;
}

HaulNotifier *
haul_application_get_notifier (HaulApplication *self)
{
  g_return_val_if_fail (HAUL_IS_APPLICATION (self), NULL);

  return self->notifier;
}

HaulApplication *
haul_application_new (void)
{
  return g_object_new (HAUL_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}
