/* ui-app-fixture.c: the real application for a program of window tests
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-app-fixture.h"
#include "ui-test-util.h"

void
haul_ui_app_init (HaulUiApp   *ui,
                  int         *argc,
                  char      ***argv)
{
  g_test_init (argc, argv, NULL);
  g_set_prgname ("haul");

  ui->desktop = haul_fake_desktop_new (FALSE);
  ui->server = haul_test_server_new ();
  ui->app = haul_ui_start_application (&ui->window);
}

int
haul_ui_app_run (HaulUiApp *ui)
{
  int status = g_test_run ();

  haul_ui_stop_application (g_steal_pointer (&ui->app), g_steal_pointer (&ui->window));
  g_clear_pointer (&ui->server, haul_test_server_free);
  g_clear_pointer (&ui->desktop, haul_fake_desktop_free);
  return status;
}
