/* main.c: Haul starts here
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "haul-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HaulApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* AT-SPI and the desktop know the app by this name. */
  g_set_prgname ("haul");
  g_set_application_name (_("Haul"));

  app = haul_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
