/* haul-window-subtitle.c: what the window's subtitle says about the queue
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-window-subtitle.h"

/* Each part joined to the ones before it with the translated "%s, %s". */
static void
append (char       **subtitle,
        const char  *part)
{
  char *joined;

  if (*subtitle == NULL)
    {
      *subtitle = g_strdup (part);
      return;
    }
  /* Translators: the window's subtitle, "1 downloading, 2 waiting". */
  joined = g_strdup_printf (_("%s, %s"), *subtitle, part);
  g_free (*subtitle);
  *subtitle = joined;
}

char *
haul_window_subtitle_format (guint    n_downloading,
                             guint    n_waiting,
                             guint    n_paused,
                             gboolean held)
{
  char *subtitle = NULL;

  /* Held, nothing starts by itself: said first, so waiting rows are not
   * taken for a queue that is stuck. */
  if (held)
    append (&subtitle, _("Queue paused"));
  if (n_downloading > 0)
    {
      g_autofree char *part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u downloading",
                                                            "%u downloading", n_downloading),
                                               n_downloading);
      append (&subtitle, part);
    }
  if (n_waiting > 0)
    {
      g_autofree char *part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u waiting",
                                                            "%u waiting", n_waiting),
                                               n_waiting);
      append (&subtitle, part);
    }
  if (n_downloading == 0 && n_waiting == 0 && n_paused > 0)
    {
      g_autofree char *part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u paused",
                                                            "%u paused", n_paused),
                                               n_paused);
      append (&subtitle, part);
    }
  return subtitle;
}

char *
haul_window_subtitle_format_engine (HaulEngineConnection  connection,
                                    const char           *name)
{
  if (name == NULL || *name == '\0')
    name = "aria2";

  switch (connection)
    {
    case HAUL_ENGINE_CONNECTING:
      /* Translators: the window's subtitle; %s is the daemon's "host:port" */
      return g_strdup_printf (_("Connecting to aria2 at %s…"), name);
    case HAUL_ENGINE_CONNECTED:
      /* Translators: the window's subtitle; %s is the daemon's "host:port" */
      return g_strdup_printf (_("aria2 at %s"), name);
    case HAUL_ENGINE_UNREACHABLE:
      /* Translators: the window's subtitle; %s is the daemon's "host:port" */
      return g_strdup_printf (_("aria2 at %s cannot be reached"), name);
    case HAUL_ENGINE_LOCAL:
    default:
      return NULL;
    }
}
