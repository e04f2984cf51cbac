/* haul-checksum-private.h: shared by the checksum units, not their callers
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "haul-checksum.h"

G_BEGIN_DECLS

/* @text (@length bytes, or -1) fit to quote in a message: valid UTF-8,
 * control and format characters replaced, at most 64 characters. */
char *haul_checksum_quotable            (const char *text,
                                         gssize      length);
/* "SHA256SUMS" for "https://host/pub/SHA256SUMS", decoded and quotable;
 * NULL for a NULL @origin. */
char *haul_checksum_origin_display_name (const char *origin);

G_END_DECLS
