/* haul-aria2-paths.c: the daemon's folders, as this machine reaches them
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "haul-aria2-paths.h"

/* The components of an absolute path ("/a//b/" → a, b), or %NULL for a
 * relative one or one that names "." or "..". Lexical on purpose: the
 * daemon's machine cannot be asked what its links point at, and refusing
 * ".." keeps a crafted path ("/srv/downloads/../../etc") from escaping
 * the prefix it appears to be under. */
static GPtrArray *
split_absolute (const char *path)
{
  g_autoptr(GPtrArray) parts = NULL;
  g_auto(GStrv) pieces = NULL;

  if (path == NULL || path[0] != '/' || !g_utf8_validate (path, -1, NULL))
    return NULL;

  parts = g_ptr_array_new_with_free_func (g_free);
  pieces = g_strsplit (path, "/", -1);
  for (guint i = 0; pieces[i] != NULL; i++)
    {
      if (pieces[i][0] == '\0')
        continue;
      if (strcmp (pieces[i], ".") == 0 || strcmp (pieces[i], "..") == 0)
        return NULL;
      g_ptr_array_add (parts, g_strdup (pieces[i]));
    }
  return g_steal_pointer (&parts);
}

static char *
move_prefix (const char *path,
             const char *from_prefix,
             const char *to_prefix)
{
  g_autoptr(GPtrArray) parts = split_absolute (path);
  g_autoptr(GPtrArray) from = split_absolute (from_prefix);
  g_autoptr(GPtrArray) to = split_absolute (to_prefix);
  g_autoptr(GString) result = NULL;

  if (parts == NULL || from == NULL || to == NULL)
    return NULL;
  /* Whole components only: "/srv/downloads2" is not under "/srv/downloads". */
  if (parts->len < from->len)
    return NULL;
  for (guint i = 0; i < from->len; i++)
    if (strcmp (g_ptr_array_index (parts, i), g_ptr_array_index (from, i)) != 0)
      return NULL;

  result = g_string_new (NULL);
  for (guint i = 0; i < to->len; i++)
    g_string_append_printf (result, "/%s", (const char *) g_ptr_array_index (to, i));
  for (guint i = from->len; i < parts->len; i++)
    g_string_append_printf (result, "/%s", (const char *) g_ptr_array_index (parts, i));
  if (result->len == 0)
    g_string_append_c (result, '/');
  return g_string_free (g_steal_pointer (&result), FALSE);
}

char *
haul_aria2_map_path (const char *daemon_path,
                     const char *daemon_prefix,
                     const char *local_prefix)
{
  return move_prefix (daemon_path, daemon_prefix, local_prefix);
}

char *
haul_aria2_unmap_path (const char *local_path,
                       const char *daemon_prefix,
                       const char *local_prefix)
{
  return move_prefix (local_path, local_prefix, daemon_prefix);
}
