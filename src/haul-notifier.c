/* haul-notifier.c: desktop notifications about finished downloads
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-notifier.h"
#include "haul-util.h"

#define MAX_NAMES_SHOWN 4

struct _HaulNotifier
{
  GObject       parent_instance;

  GApplication *application;  /* (unowned) the application owns the notifier */
  GSettings    *settings;     /* (owned) (nullable) */
  GPtrArray    *completed;    /* (owned) (element-type HaulDownload) waiting to be told */
  guint         summary_id;
  gboolean      told_still_downloading;
};

G_DEFINE_FINAL_TYPE (HaulNotifier, haul_notifier, G_TYPE_OBJECT)

static gboolean
enabled (HaulNotifier *self)
{
  return self->settings == NULL || g_settings_get_boolean (self->settings, "notifications");
}

static void
send_one_completed (HaulNotifier *self,
                    HaulDownload *download)
{
  g_autoptr(GNotification) notification = g_notification_new (_("Download complete"));
  g_autofree char *path = haul_download_dup_path (download);
  g_autofree char *name = haul_download_dup_display_name (download);

  g_notification_set_body (notification, name);
  if (path != NULL)
    {
      g_notification_set_default_action_and_target (notification, "app.open-file", "s", path);
      g_notification_add_button_with_target (notification, _("Open"), "app.open-file", "s", path);
      g_notification_add_button_with_target (notification, _("Show in Folder"),
                                             "app.show-in-folder", "s", path);
    }

  g_application_send_notification (self->application, "download-complete", notification);
}

static void
send_summary (HaulNotifier *self)
{
  guint n = self->completed->len;
  g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "%u download complete",
                                                         "%u downloads complete", n),
                                            n);
  g_autoptr(GNotification) notification = g_notification_new (title);
  g_autoptr(GString) body = g_string_new (NULL);

  /* A few names, then how many more: a notification is not a list. */
  for (guint i = 0; i < MIN (n, MAX_NAMES_SHOWN); i++)
    {
      HaulDownload *download = g_ptr_array_index (self->completed, i);

      if (i > 0)
        /* Translators: separates file names in "3 downloads complete" */
        g_string_append (body, _(", "));
      {
        g_autofree char *name = haul_download_dup_display_name (download);

        g_string_append (body, name);
      }
    }
  if (n > MAX_NAMES_SHOWN)
    {
      guint more = n - MAX_NAMES_SHOWN;

      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, " and %u more", " and %u more",
                                                 more),
                              more);
    }

  g_notification_set_body (notification, body->str);
  /* No default action: clicking it activates Haul, which presents the
   * window with the list. */
  g_application_send_notification (self->application, "download-complete", notification);
}

void
haul_notifier_flush (HaulNotifier *self)
{
  g_return_if_fail (HAUL_IS_NOTIFIER (self));

  g_clear_handle_id (&self->summary_id, g_source_remove);

  if (self->completed->len == 1)
    send_one_completed (self, g_ptr_array_index (self->completed, 0));
  else if (self->completed->len > 1)
    send_summary (self);

  g_ptr_array_set_size (self->completed, 0);
}

static gboolean
summary_cb (gpointer user_data)
{
  HaulNotifier *self = user_data;

  self->summary_id = 0;
  haul_notifier_flush (self);
  return G_SOURCE_REMOVE;
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
  const char *reason = haul_download_get_error_message (download);

  /* Translators: "file.iso: The server answered 404 Not Found" */
  name = haul_download_dup_display_name (download);
  body = g_strdup_printf (_("%s: %s"), name,
                          reason != NULL ? reason : _("Unknown error"));
  g_notification_set_body (notification, body);
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
      g_ptr_array_add (self->completed, g_object_ref (download));
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
  g_notification_set_body (notification,
                           _("Downloads go on in the background. Open Haul to see them."));
  g_application_send_notification (self->application, "still-downloading", notification);
}

static void
haul_notifier_finalize (GObject *object)
{
  HaulNotifier *self = HAUL_NOTIFIER (object);

  g_clear_handle_id (&self->summary_id, g_source_remove);
  g_clear_pointer (&self->completed, g_ptr_array_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (haul_notifier_parent_class)->finalize (object);
}

static void
haul_notifier_class_init (HaulNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = haul_notifier_finalize;
}

static void
haul_notifier_init (HaulNotifier *self)
{
  self->completed = g_ptr_array_new_with_free_func (g_object_unref);
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
