/* haul-file-icon.h: the symbolic icon of a file's type
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The symbolic icons of @content_type (nullable), else of the type
 * @file_name (nullable) suggests, then a generic file's. (transfer full) */
GIcon *haul_file_icon_new (const char *content_type,
                           const char *file_name);

G_END_DECLS
