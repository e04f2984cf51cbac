/* haul-checksum-sums.h: checksum files beside a download on its server
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-checksum.h"

G_BEGIN_DECLS

/* A checksum file longer than this is refused (and not read further). */
#define HAUL_CHECKSUM_SUMS_MAX_SIZE (1024 * 1024)
/* Smaller downloads are not worth the extra requests. */
#define HAUL_CHECKSUM_SIBLING_MIN_SIZE (1024 * 1024)

/* The entry for @file_name in the text of a checksum file: GNU lines
 * ("DIGEST  NAME", "DIGEST *NAME", "\\DIGEST  ESCAPED\\nNAME") and BSD
 * lines ("SHA256 (NAME) = DIGEST"), CRLF or LF, "#" comments and lines
 * of other kinds skipped. With @allow_bare (a NAME.sha256 file) a file
 * holding nothing but one digest counts as the entry. Names match exactly,
 * after dropping one leading "./" from the entry. The spec has source
 * SIBLING and @origin (the checksum file's address, also named in error
 * messages). Otherwise NULL with %HAUL_ERROR_CHECKSUM_INVALID: too large,
 * not text, no entry, or two different entries for the name. */
HaulChecksumSpec *haul_checksum_sums_find  (GBytes         *contents,
                                            GChecksumType   algorithm,
                                            const char     *file_name,
                                            gboolean        allow_bare,
                                            const char     *origin,
                                            GError        **error);

/* Reads all of @stream (the body of @origin), at most
 * HAUL_CHECKSUM_SUMS_MAX_SIZE bytes: one more is an error
 * (%HAUL_ERROR_CHECKSUM_INVALID), so a server cannot make Haul hold a huge
 * "checksum file" in memory. Blocking: a worker. */
GBytes           *haul_checksum_sums_read  (GInputStream   *stream,
                                            const char     *origin,
                                            GCancellable   *cancellable,
                                            GError        **error);

/* One checksum file worth asking the server for. */
typedef struct
{
  char          *uri;        /* (owned) its address */
  GChecksumType  algorithm;  /* what its name says */
  gboolean       allow_bare; /* NAME.sha256: may hold only the digest */
  char          *entry_name; /* (owned) the download's name as listed inside */
} HaulChecksumSibling;

void              haul_checksum_sibling_free  (HaulChecksumSibling *sibling);

/* Where a download's checksum may be published, in the order to try:
 * NAME.sha256, NAME.sha512, SHA256SUMS, SHA512SUMS in the folder of
 * @final_uri (the address that served the file; NULL if not known yet),
 * then the same in the folder of @uri (what was asked for, before
 * redirects) if it is another folder — and, when it is on another host
 * than the file, only with @allow_other_hosts. Addresses are read by
 * haul_url_parse(); query, fragment, user name and password are dropped
 * (send the download's Authorization to a sibling of the same origin, as
 * the transfer does for the file). Empty for files smaller than
 * HAUL_CHECKSUM_SIBLING_MIN_SIZE (or of unknown size, -1: ask again when
 * it is known), for addresses without a file name, and for a download
 * that is itself a checksum file.
 * Returns (element-type HaulChecksumSibling): never NULL. */
GPtrArray        *haul_checksum_siblings      (const char          *uri,
                                               const char          *final_uri,
                                               gint64               size,
                                               gboolean             allow_other_hosts);

/* haul_checksum_sums_find() with what @sibling says. */
HaulChecksumSpec *haul_checksum_sibling_parse (const HaulChecksumSibling *sibling,
                                               GBytes                    *contents,
                                               GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulChecksumSibling, haul_checksum_sibling_free)

G_END_DECLS
