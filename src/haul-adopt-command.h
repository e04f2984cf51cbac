/* haul-adopt-command.h: `haul --adopt=FILE URL`, a browser's partial
 * download continued from a terminal
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* @file_arg is --adopt's FILE as the caller typed it (relative to the
 * caller's folder), @uris (nullable) the addresses after it: exactly one
 * is needed. @window (nullable: none while Haul quits) asks the server
 * and says what came of it, as a drop of both would (haul_window_adopt()).
 * What is wrong is said on the caller's stderr. Returns the exit status. */
int haul_adopt_command_line (GApplicationCommandLine *command_line,
                             GtkWindow               *window,
                             const char              *file_arg,
                             const char * const      *uris);

G_END_DECLS
