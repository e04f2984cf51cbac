/* haul-link-file.h: reading a dropped text file of links, safely
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* For the link parser, in its worker thread (this blocks on the disk).
 * Returns the contents of the regular text file at @path (at most
 * 10 MiB, valid UTF-8 without NUL), NUL-terminated, with its size in
 * *@length; or %NULL with *@reason set to a translated, static message. */
char *haul_link_file_read (const char  *path,
                           gsize       *length,
                           const char **reason);

G_END_DECLS
