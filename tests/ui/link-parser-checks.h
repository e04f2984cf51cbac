/* link-parser-checks.h: what the link parser's tests assert with
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* Shared by test-link-parser.c (the formats) and test-link-files.c
 * (dropped local files, the async parse). */

#include "haul-link-parser.h"

G_BEGIN_DECLS

/* Asserts that @list holds exactly the URLs of the NULL-terminated
 * @expected, in that order. */
void
assert_urls (HaulLinkList       *list,
             const char * const *expected);
/* Returns the reason @text was rejected, or fails. */
const char *
find_rejected (HaulLinkList *list,
               const char   *text);
HaulLinkList *
parse_string (const char *mime_type,
              const char *text,
              const char *base_uri);

G_END_DECLS
