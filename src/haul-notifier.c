/* haul-notifier.c: desktop notifications about finished downloads
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-checksum.h"
#include "haul-notifier.h"
#include "haul-util.h"

#define MAX_NAMES_SHOWN 4

struct _HaulNotifier
{
  GObject       parent_instance;

  GApplication *application;  /* (unowned) the application owns the notifier */
  GSettings    *settings;     /* (owned) (nullable) */
  GPtrArray    *unseen;       /* (owned) (element-type HaulDownload) the first few
                               * completed since the window was last seen */
  guint         n_unseen;     /* all completed since then */
  guint         summary_id;   /* a completion waits to be told */
  gboolean      window_active;
  gboolean      told_still_downloading;
  gboolean      markup_known;
  gboolean      body_is_markup;
};

G_DEFINE_FINAL_TYPE (HaulNotifier, haul_notifier, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WINDOW_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
enabled (HaulNotifier *self)
{
  return self->settings == NULL || g_settings_get_boolean (self->settings, "notifications");
}

/* Whether the notification server reads the body as markup. GLib sends
 * through the portal in a sandbox and to GNOME Shell's org.gtk.Notifications
 * when it runs: both take the body as plain text. Otherwise it goes to an
 * org.freedesktop.Notifications server, which reads markup ("body-markup"),
 * so a file named "<b>R&D</b>.pdf" must be escaped there and only there.
 * GLib makes the same choice once, the same way (NameHasOwner). */
static gboolean
body_is_markup (HaulNotifier *self)
{
  GDBusConnection *bus;

  if (self->markup_known)
    return self->body_is_markup;

  self->markup_known = TRUE;
  self->body_is_markup = TRUE;
  bus = g_application_get_dbus_connection (self->application);

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS)
      || g_strcmp0 (g_getenv ("GTK_USE_PORTAL"), "1") == 0)
    self->body_is_markup = FALSE;
  else if (bus != NULL)
    {
      g_autoptr(GVariant) reply = NULL;
      gboolean gtk_shell = FALSE;

      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", "org.gtk.Notifications"),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
                                           1000, NULL, NULL);
      if (reply != NULL)
        g_variant_get (reply, "(b)", &gtk_shell);
      self->body_is_markup = !gtk_shell;
    }

  return self->body_is_markup;
}

static void
set_body (HaulNotifier  *self,
          GNotification *notification,
          const char    *text)
{
  g_autofree char *escaped = NULL;

  if (body_is_markup (self))
    text = escaped = g_markup_escape_text (text, -1);
  g_notification_set_body (notification, text);
}

/* A click on the notification shows the file in its folder: the name and
 * the type came from a server, and opening them is the person's explicit
 * choice (the Open button). */
static void
send_one_completed (HaulNotifier *self,
                    HaulDownload *download)
{
  g_autoptr(GNotification) notification = g_notification_new (_("Download complete"));
  g_autofree char *path = haul_download_dup_path (download);
  g_autofree char *name = haul_download_dup_display_name (download);
  const HaulChecksumSpec *checksum = haul_download_get_checksum (download);

  /* The name, and on a line of its own that it is the file that was
   * asked for: "SHA-256 verified". */
  if (haul_download_get_checksum_state (download) == HAUL_CHECKSUM_VERIFIED && checksum != NULL)
    {
      g_autofree char *verified = haul_checksum_spec_describe_verified (checksum);
      g_autofree char *body = NULL;

      body = g_strdup_printf ("%s\n%s", name, verified);
      set_body (self, notification, body);
    }
  else
    set_body (self, notification, name);
  if (path != NULL)
    {
      g_notification_set_default_action_and_target (notification, "app.show-in-folder", "s",
                                                     path);
      g_notification_add_button_with_target (notification, _("Open"), "app.open-file", "s", path);
      g_notification_add_button_with_target (notification, _("Show in Folder"),
                                             "app.show-in-folder", "s", path);
    }
  else
    g_notification_set_default_action (notification, "app.show-downloads");

  g_application_send_notification (self->application, "download-complete", notification);
}

static void
send_summary (HaulNotifier *self)
{
  guint n = self->n_unseen;
  g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "%u download complete",
                                                         "%u downloads complete", n),
                                            n);
  g_autoptr(GNotification) notification = g_notification_new (title);
  g_autoptr(GString) body = g_string_new (NULL);

  /* A few names, then how many more: a notification is not a list. */
  for (guint i = 0; i < self->unseen->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (self->unseen, i);
      g_autofree char *name = haul_download_dup_display_name (download);

      if (i > 0)
        /* Translators: separates file names in "3 downloads complete" */
        g_string_append (body, _(", "));
      g_string_append (body, name);
    }
  if (n > self->unseen->len)
    {
      guint more = n - self->unseen->len;

      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, " and %u more", " and %u more",
                                                 more),
                              more);
    }

  set_body (self, notification, body->str);
  g_notification_set_default_action (notification, "app.show-downloads");
  g_notification_add_button (notification, _("Show Downloads"), "app.show-downloads");
  /* The same id: this summary replaces the one before, and it counts
   * everything that one counted. */
  g_application_send_notification (self->application, "download-complete", notification);
}

static void
forget_unseen (HaulNotifier *self)
{
  g_ptr_array_set_size (self->unseen, 0);
  self->n_unseen = 0;
}

void
haul_notifier_flush (HaulNotifier *self)
{
  g_return_if_fail (HAUL_IS_NOTIFIER (self));

  if (self->summary_id == 0)
    return;
  g_clear_handle_id (&self->summary_id, g_source_remove);

  if (self->n_unseen == 1)
    send_one_completed (self, g_ptr_array_index (self->unseen, 0));
  else if (self->n_unseen > 1)
    send_summary (self);

  /* Told while the window is in front: seen. */
  if (self->window_active)
    forget_unseen (self);
}

static gboolean
summary_cb (gpointer user_data)
{
  HaulNotifier *self = user_data;

  haul_notifier_flush (self);
  return G_SOURCE_REMOVE;
}

gboolean
haul_notifier_get_window_active (HaulNotifier *self)
{
  g_return_val_if_fail (HAUL_IS_NOTIFIER (self), FALSE);

  return self->window_active;
}

void
haul_notifier_set_window_active (HaulNotifier *self,
                                 gboolean      active)
{
  g_return_if_fail (HAUL_IS_NOTIFIER (self));

  active = !!active;
  if (self->window_active == active)
    return;

  self->window_active = active;
  /* Looking at the window starts the count again, but what finished
   * before and waits for the summary delay is still told: the window may
   * come to the front a moment after a download it never showed ended. */
  if (active && self->summary_id != 0)
    haul_notifier_flush (self);
  else if (active)
    forget_unseen (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_ACTIVE]);
}

guint
haul_notifier_get_n_unseen (HaulNotifier *self)
{
  g_return_val_if_fail (HAUL_IS_NOTIFIER (self), 0);

  return self->n_unseen;
}

static void
send_failed (HaulNotifier *self,
             HaulDownload *download)
{
  g_autoptr(GNotification) notification = g_notification_new (_("Download failed"));
  g_autofree char *body = NULL;
  g_autofree char *name = NULL;
  g_autofree char *id = g_strdup_printf ("download-failed-%" G_GINT64_FORMAT,
                                         haul_download_get_id (download));
  g_autofree char *reason = haul_download_dup_error_text (download);

  /* Translators: "file.iso: The server answered 404 Not Found" */
  name = haul_download_dup_display_name (download);
  body = g_strdup_printf (_("%s: %s"), name,
                          reason != NULL ? reason : _("Unknown error"));
  set_body (self, notification, body);
  g_notification_add_button_with_target (notification, _("Retry"), "app.retry", "x",
                                         haul_download_get_id (download));
  g_application_send_notification (self->application, id, notification);
}

void
haul_notifier_download_finished (HaulNotifier *self,
                                 HaulDownload *download)
{
  g_return_if_fail (HAUL_IS_NOTIFIER (self));
  g_return_if_fail (HAUL_IS_DOWNLOAD (download));

  if (!enabled (self))
    return;

  switch (haul_download_get_state (download))
    {
    case HAUL_DOWNLOAD_COMPLETED:
      /* Only the names a summary shows are kept: a day of completions
       * nobody looked at holds four downloads, not thousands. */
      if (self->unseen->len < MAX_NAMES_SHOWN)
        g_ptr_array_add (self->unseen, g_object_ref (download));
      self->n_unseen++;
      if (self->summary_id == 0)
        self->summary_id = g_timeout_add (HAUL_NOTIFIER_SUMMARY_DELAY_MS, summary_cb, self);
      break;

    case HAUL_DOWNLOAD_FAILED:
      send_failed (self, download);
      break;

    default:
      break;
    }
}

void
haul_notifier_still_downloading (HaulNotifier *self)
{
  g_autoptr(GNotification) notification = NULL;

  g_return_if_fail (HAUL_IS_NOTIFIER (self));

  if (self->told_still_downloading || !enabled (self))
    return;

  self->told_still_downloading = TRUE;
  notification = g_notification_new (_("Haul is still downloading"));
  set_body (self, notification, _("Downloads go on in the background. Open Haul to see them."));
  g_application_send_notification (self->application, "still-downloading", notification);
}

static void
haul_notifier_finalize (GObject *object)
{
  HaulNotifier *self = HAUL_NOTIFIER (object);

  g_clear_handle_id (&self->summary_id, g_source_remove);
  g_clear_pointer (&self->unseen, g_ptr_array_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (haul_notifier_parent_class)->finalize (object);
}

static void
haul_notifier_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HaulNotifier *self = HAUL_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_WINDOW_ACTIVE:
      g_value_set_boolean (value, self->window_active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_notifier_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HaulNotifier *self = HAUL_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_WINDOW_ACTIVE:
      haul_notifier_set_window_active (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_notifier_class_init (HaulNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = haul_notifier_finalize;
  object_class->get_property = haul_notifier_get_property;
  object_class->set_property = haul_notifier_set_property;

  properties[PROP_WINDOW_ACTIVE] =
    g_param_spec_boolean ("window-active", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
haul_notifier_init (HaulNotifier *self)
{
  self->unseen = g_ptr_array_new_with_free_func (g_object_unref);
}

HaulNotifier *
haul_notifier_new (GApplication *application,
                   GSettings    *settings)
{
  HaulNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);

  self = g_object_new (HAUL_TYPE_NOTIFIER, NULL);
  self->application = application;
  self->settings = settings ? g_object_ref (settings) : NULL;

  return self;
}
