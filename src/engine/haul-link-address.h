/* haul-link-address.h: one link's text → a normalised http(s) URL
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* For the link parser. Pure, any thread. @text is @length bytes, not
 * necessarily NUL-terminated; a relative link is resolved against
 * @base_uri (%NULL: none). Returns the normalised URL, or %NULL with
 * *@reason set to a translated, static message. */
char *haul_link_address_normalize (const char  *text,
                                   gsize        length,
                                   const char  *base_uri,
                                   const char **reason);

G_END_DECLS
