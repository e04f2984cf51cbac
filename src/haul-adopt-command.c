/* haul-adopt-command.c: `haul --adopt=FILE URL`, a browser's partial
 * download continued from a terminal
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-adopt-command.h"
#include "haul-error.h"
#include "haul-window.h"

int
haul_adopt_command_line (GApplicationCommandLine *command_line,
                         GtkWindow               *window,
                         const char              *file_arg,
                         const char * const      *uris)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (G_IS_APPLICATION_COMMAND_LINE (command_line), EXIT_FAILURE);
  g_return_val_if_fail (window == NULL || GTK_IS_WINDOW (window), EXIT_FAILURE);
  g_return_val_if_fail (file_arg != NULL, EXIT_FAILURE);

  file = g_application_command_line_create_file_for_arg (command_line, file_arg);
  path = g_file_get_path (file);
  if (uris == NULL || uris[0] == NULL || uris[1] != NULL || path == NULL)
    g_set_error_literal (&error, HAUL_ERROR, HAUL_ERROR_INVALID_URL,
                         _("--adopt needs a file and exactly one address"));
  else if (HAUL_IS_WINDOW (window))
    haul_window_adopt (HAUL_WINDOW (window), path, uris[0], &error);
  if (error != NULL)
    g_application_command_line_printerr (command_line, "haul: %s\n", error->message);
  return error != NULL ? EXIT_FAILURE : EXIT_SUCCESS;
}
