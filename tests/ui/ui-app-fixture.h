/* ui-app-fixture.h: the real application for a program of window tests
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "haul-application.h"
#include "haul-fake-desktop.h"
#include "haul-test-server.h"
#include "haul-window.h"

G_BEGIN_DECLS

/* What the tests of one program share, in the order it is made: the
 * desktop (notifications have somewhere to go), a server on 127.0.0.1,
 * then the application, registered and activated as at a start, and its
 * window. */
typedef struct
{
  HaulFakeDesktop *desktop;
  HaulTestServer  *server;
  HaulApplication *app;
  HaulWindow      *window;
} HaulUiApp;

/* g_test_init() and the program's name, then all of @ui. */
void haul_ui_app_init (HaulUiApp   *ui,
                       int         *argc,
                       char      ***argv);
/* Runs the tests added since, then ends all of @ui, in the reverse
 * order; returns what g_test_run() did. */
int  haul_ui_app_run  (HaulUiApp   *ui);

G_END_DECLS
