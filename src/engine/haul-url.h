/* haul-url.h: the one policy for the web addresses Haul accepts
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Longer than this is not a link anybody meant. */
#define HAUL_URL_MAX_LENGTH (8 * 1024)

/* An absolute http(s) URL with a valid, non-empty host, parsed once by
 * GUri: the host it names is the host Haul connects to. Returns a GUri
 * with a lower-case scheme and host, the default port dropped, "/" for
 * an empty path and no fragment; or %NULL with %HAUL_ERROR_INVALID_URL
 * whose message is the translated reason alone. Any thread. */
GUri       *haul_url_parse               (const char  *text,
                                          GError     **error);
/* @text relative to @base (a link in a page); the same rules. */
GUri       *haul_url_parse_relative      (GUri        *base,
                                          const char  *text,
                                          GError     **error);
/* Where a redirect from @from to @location leads, or %NULL with
 * %HAUL_ERROR_REDIRECT: not http(s), no valid host, or https → http. */
GUri       *haul_url_resolve_redirect    (GUri        *from,
                                          const char  *location,
                                          GError     **error);

/* Same scheme, host and effective port. */
gboolean    haul_url_same_origin         (GUri        *a,
                                          GUri        *b);
/* A copy of @uri without user name and password. */
GUri       *haul_url_strip_userinfo      (GUri        *uri);
/* "Basic …" for the user name and password in @uri, each decoded
 * exactly once; %NULL if it has none. */
char       *haul_url_dup_authorization   (GUri        *uri);
/* @text without its user name and password, for the database, logs and
 * the clipboard; @text itself if it cannot be parsed. */
char       *haul_url_redact              (const char  *text);
/* The translated reason a link of @scheme is not taken. */
const char *haul_url_scheme_reason       (const char  *scheme);

G_END_DECLS
