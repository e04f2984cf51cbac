/* haul-fuzz.h: what every fuzz target shares
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each tests/fuzz/fuzz-NAME.c defines LLVMFuzzerTestOneInput() and checks
 * its invariants with g_assert*(): a broken invariant aborts, which
 * libFuzzer reports as a crash and the corpus runner as a failed test.
 */

#pragma once

#include <stddef.h>
#include <stdint.h>

#include <gio/gio.h>

G_BEGIN_DECLS

/* libFuzzer's entry points (run-corpus.c calls them the same way). */
int       LLVMFuzzerInitialize        (int           *argc,
                                       char        ***argv);
int       LLVMFuzzerTestOneInput      (const uint8_t *data,
                                       size_t         size);

/* Text for a person (a message, a rejected piece): valid UTF-8 without
 * control (C0, DEL, C1), format (bidi), separator characters. */
void      haul_fuzz_assert_text       (const char    *text);

/* A URL as Haul shows and stores it: text as above, without spaces. */
void      haul_fuzz_assert_url_text   (const char    *text);
/* What every URL Haul accepts must satisfy: http(s), a non-empty host,
 * no fragment, printable ASCII but for the user information, its string
 * form parses back to itself, and libsoup makes a request of it without
 * its user information. */
void      haul_fuzz_assert_url        (GUri          *uri);

G_END_DECLS
