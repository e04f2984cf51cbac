/* haul-util.c: small helpers the widgets share (text of a row, folders)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include "haul-util.h"

char *
haul_format_duration (gint64 seconds)
{
  if (seconds < 0)
    seconds = 0;

  if (seconds < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", (gulong) seconds),
                            (guint) seconds);

  if (seconds < 60 * 60)
    {
      guint minutes = (guint) ((seconds + 30) / 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", minutes),
                              minutes);
    }

  {
    guint hours = (guint) (seconds / 3600);
    guint minutes = (guint) ((seconds % 3600) / 60);

    if (hours >= 10 || minutes == 0)
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", hours), hours);

    {
      g_autofree char *h = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", hours),
                                            hours);
      g_autofree char *m = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes",
                                                         minutes),
                                            minutes);
      /* Translators: a duration such as "2 hours 5 minutes" */
      return g_strdup_printf (_("%s %s"), h, m);
    }
  }
}

static char *
format_progress (HaulDownload *download)
{
  gint64 received = haul_download_get_received (download);
  gint64 total = haul_download_get_total (download);
  double speed = haul_download_get_speed (download);
  gint64 eta = haul_download_get_eta (download);
  g_autofree char *done = g_format_size ((guint64) MAX (received, 0));
  g_autoptr(GString) text = g_string_new (NULL);

  if (total > 0)
    {
      g_autofree char *all = g_format_size ((guint64) total);
      /* Translators: "12.3 MB of 100 MB" */
      g_string_append_printf (text, _("%s of %s"), done, all);
    }
  else
    g_string_append (text, done);

  if (speed > 0)
    {
      g_autofree char *rate = g_format_size ((guint64) speed);
      /* Translators: the separator between parts of a status line, then a speed: " · 4.5 MB/s" */
      g_string_append_printf (text, _(" · %s/s"), rate);
    }

  if (total > 0 && eta >= 0 && speed > 0)
    {
      g_autofree char *left = haul_format_duration (eta);
      /* Translators: " · 20 seconds left" */
      g_string_append_printf (text, _(" · %s left"), left);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
haul_format_status (HaulDownload *download)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (download), NULL);

  switch (haul_download_get_state (download))
    {
    case HAUL_DOWNLOAD_QUEUED:
      return g_strdup (_("Queued"));

    case HAUL_DOWNLOAD_CONNECTING:
      return g_strdup (_("Connecting…"));

    case HAUL_DOWNLOAD_DOWNLOADING:
      return format_progress (download);

    case HAUL_DOWNLOAD_PAUSED:
      return g_strdup (_("Paused"));

    case HAUL_DOWNLOAD_COMPLETED:
      {
        gint64 size = haul_download_get_total (download);
        g_autofree char *text = NULL;

        if (haul_download_get_file_missing (download))
          return g_strdup (_("File missing"));

        if (size <= 0)
          size = haul_download_get_received (download);
        text = g_format_size ((guint64) MAX (size, 0));
        /* Translators: "Completed · 1.0 MB" */
        return g_strdup_printf (_("Completed · %s"), text);
      }

    case HAUL_DOWNLOAD_FAILED:
      {
        const char *message = haul_download_get_error_message (download);
        return g_strdup (message && *message ? message : _("Failed"));
      }

    case HAUL_DOWNLOAD_CANCELLED:
      return g_strdup (_("Cancelled"));

    default:
      g_assert_not_reached ();
    }
}

char *
haul_download_dup_display_name (HaulDownload *download)
{
  const char *name;
  const char *uri;
  g_autoptr(GUri) parsed = NULL;

  g_return_val_if_fail (HAUL_IS_DOWNLOAD (download), NULL);

  name = haul_download_get_file_name (download);
  if (name != NULL && *name != '\0')
    return g_strdup (name);

  /* A download that failed before any answer (a 404, no connection) has
   * no file name: "old-release.tar.gz" still says more than the address. */
  uri = haul_download_get_uri (download);
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  if (parsed != NULL)
    {
      const char *path = g_uri_get_path (parsed);
      const char *slash = strrchr (path, '/');
      g_autofree char *segment = g_uri_unescape_string (slash != NULL ? slash + 1 : path, "/");

      if (segment != NULL && *segment != '\0' && g_utf8_validate (segment, -1, NULL))
        return g_steal_pointer (&segment);
      if (g_uri_get_host (parsed) != NULL && *g_uri_get_host (parsed) != '\0')
        return g_strdup (g_uri_get_host (parsed));
    }
  return g_strdup (uri);
}

char *
haul_dup_download_folder (GSettings *settings)
{
  g_autofree char *folder = NULL;

  if (settings != NULL)
    folder = g_settings_get_string (settings, "download-folder");

  if (folder == NULL || *folder == '\0')
    {
      const char *xdg = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);

      g_free (folder);
      if (xdg != NULL && *xdg != '\0')
        folder = g_strdup (xdg);
      else
        folder = g_build_filename (g_get_home_dir (), "Downloads", NULL);
    }

  if (g_mkdir_with_parents (folder, 0755) != 0)
    g_warning ("Could not create the download folder %s: %s", folder, g_strerror (errno));

  return g_steal_pointer (&folder);
}
