/* haul-checksum-headers.h: expected checksums a server sends in headers
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "haul-checksum.h"

G_BEGIN_DECLS

/* A request header asking for RFC 9530 digests of the whole file
 * (sha-512 preferred); servers that do not know it ignore it. */
#define HAUL_CHECKSUM_WANT_REPR_DIGEST "sha-512=10, sha-256=9"

/* The strongest usable digest in one field value, or NULL:
 * - %HAUL_CHECKSUM_SOURCE_REPR_DIGEST, %HAUL_CHECKSUM_SOURCE_CONTENT_DIGEST:
 *   an RFC 9530 dictionary, "sha-512=:BASE64:, sha-256=:BASE64:" (strict
 *   RFC 8941 syntax: a malformed field is ignored as a whole);
 * - %HAUL_CHECKSUM_SOURCE_DIGEST: RFC 3230, "SHA-256=BASE64,MD5=BASE64",
 *   names in any case.
 * sha-512 wins over sha-256; other algorithms (MD5, SHA-1, CRC32c, …) are
 * ignored. An algorithm given with a wrong length, not as bytes, or twice
 * with different values is not used. */
HaulChecksumSpec *haul_checksum_spec_new_from_field   (HaulChecksumSource  source,
                                                       const char         *value);

/* From a response: Repr-Digest, else Content-Digest (only if
 * @body_is_whole_file: it covers this response's body, so for a 206 only
 * the part sent), else Digest. NULL when none gives a usable digest. */
HaulChecksumSpec *haul_checksum_spec_new_from_headers (SoupMessageHeaders *headers,
                                                       gboolean            body_is_whole_file);

G_END_DECLS
