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
