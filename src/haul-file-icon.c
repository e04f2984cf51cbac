/* haul-file-icon.c: the symbolic icon of a file's type
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-file-icon.h"

/* The content type's symbolic icons only, then a generic one: a theme
 * without a symbolic icon for the type must not fall back to a coloured
 * one among the symbolic icons of the list. */
GIcon *
haul_file_icon_new (const char *content_type,
                    const char *file_name)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *guessed = NULL;
  g_autoptr(GIcon) type_icon = NULL;

  if ((content_type == NULL || *content_type == '\0') && file_name != NULL
      && *file_name != '\0')
    content_type = guessed = g_content_type_guess (file_name, NULL, 0, NULL);
  if (content_type != NULL && *content_type != '\0')
    type_icon = g_content_type_get_symbolic_icon (content_type);

  if (type_icon != NULL && G_IS_THEMED_ICON (type_icon))
    {
      const char * const *type_names = g_themed_icon_get_names (G_THEMED_ICON (type_icon));

      for (guint i = 0; type_names[i] != NULL; i++)
        if (g_str_has_suffix (type_names[i], "-symbolic"))
          g_ptr_array_add (names, (gpointer) type_names[i]);
    }

  g_ptr_array_add (names, (gpointer) "text-x-generic-symbolic");
  return g_themed_icon_new_from_names ((char **) names->pdata, (int) names->len);
}
