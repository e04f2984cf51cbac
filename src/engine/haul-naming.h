/* haul-naming.h: safe file names for downloads
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Content-Disposition (filename* first) → last path segment of @final_uri
 * → "download"; then sanitised. Never NULL, never empty, never a path. */
char     *haul_naming_from_response   (SoupMessageHeaders *headers,
                                       GUri               *final_uri);

/* Last component only (split on / and \), no control, bidi or format
 * characters, no leading dot, at most 255 bytes with the extension kept,
 * no space or dot left at the end of a cut. Never decodes: give it the
 * name as a person should read it. Idempotent: a sanitised name comes back
 * unchanged. Returns "download" if nothing is left. */
char     *haul_naming_sanitize        (const char         *name);

/* "name.ext" → "name (n).ext" */
char     *haul_naming_numbered        (const char         *name,
                                       guint               n);

/* Whether the file name @name is a browser's partial download: Firefox's
 * "NAME.part", Chromium's "NAME.crdownload" (a NAME is needed). The name
 * the browser meant goes to *@final_name (nullable): NAME, or NULL for
 * Chromium's "Unconfirmed NNN.crdownload", whose name only the server
 * knows. */
gboolean  haul_naming_browser_partial (const char         *name,
                                       char              **final_name);

G_END_DECLS
