/* haul-aria2-paths.h: the daemon's folders, as this machine reaches them
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @daemon_path (a path on the daemon's machine) under @daemon_prefix,
 * moved under @local_prefix: "/srv/downloads/a.iso" with "/srv/downloads"
 * → "/mnt/nas/downloads" gives "/mnt/nas/downloads/a.iso".
 *
 * Returns %NULL when the file is not reachable that way: no mapping, a
 * path outside the prefix ("/srv/downloads2/…" is outside
 * "/srv/downloads"), a relative path, or one with "." or ".." in it.
 * Pure: it touches no file system. Whether the mapped path exists is for
 * the caller to ask off the main thread (a NAS mount may hang). */
char     *haul_aria2_map_path    (const char *daemon_path,
                                  const char *daemon_prefix,
                                  const char *local_prefix);

/* The other way, for choosing the daemon's folder from a local one: the
 * same rules with the prefixes swapped. */
char     *haul_aria2_unmap_path  (const char *local_path,
                                  const char *daemon_prefix,
                                  const char *local_prefix);

G_END_DECLS
