/* haul-util.h: small helpers the widgets share (text of a row, folders)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-download.h"

G_BEGIN_DECLS

/* "20 seconds left"-style duration, localized plurals. */
char     *haul_format_duration        (gint64        seconds);
/* What a row is called: the file name, or until it is known the URL's last
 * path segment (decoded), its host, or the URL itself. */
char     *haul_download_dup_display_name (HaulDownload *download);

/* The folder downloads go to: the "download-folder" setting, or "" → the
 * XDG Downloads folder (~/Downloads when that is not set), created if
 * missing. Never NULL. */
char     *haul_dup_download_folder    (GSettings    *settings);

G_END_DECLS
