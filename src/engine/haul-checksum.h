/* haul-checksum.h: expected checksums, what a person types, and the
 * streaming verifier
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Where an expected checksum came from. Recorded as a number: new values
 * go at the end. */
typedef enum
{
  HAUL_CHECKSUM_SOURCE_USER,           /* typed in the dialog or --checksum */
  HAUL_CHECKSUM_SOURCE_REPR_DIGEST,    /* RFC 9530 Repr-Digest: the whole file */
  HAUL_CHECKSUM_SOURCE_CONTENT_DIGEST, /* RFC 9530 Content-Digest: one response's body */
  HAUL_CHECKSUM_SOURCE_DIGEST,         /* RFC 3230 Digest: the whole file */
  HAUL_CHECKSUM_SOURCE_SIBLING,        /* a checksum file beside it on the server */
} HaulChecksumSource;

#define HAUL_TYPE_CHECKSUM_SOURCE (haul_checksum_source_get_type ())
GType haul_checksum_source_get_type (void);

/* The longest digest Haul knows (SHA-512), in bytes. */
#define HAUL_CHECKSUM_MAX_DIGEST 64

/* One expected checksum: algorithm, digest, source. Immutable once made,
 * so it may be shared between threads by copying. */
typedef struct _HaulChecksumSpec HaulChecksumSpec;

#define HAUL_TYPE_CHECKSUM_SPEC (haul_checksum_spec_get_type ())
GType              haul_checksum_spec_get_type         (void);

/* @digest_length must be the algorithm's (g_checksum_type_get_length);
 * @origin (nullable): the checksum file's address for
 * %HAUL_CHECKSUM_SOURCE_SIBLING. Only MD5, SHA-1, SHA-256 and SHA-512. */
HaulChecksumSpec  *haul_checksum_spec_new              (GChecksumType            algorithm,
                                                        const guint8            *digest,
                                                        gsize                    digest_length,
                                                        HaulChecksumSource       source,
                                                        const char              *origin);
/* What a person types: "sha-256=HEX", "sha256:HEX", "SHA-512 = HEX",
 * "md5=HEX", or bare HEX whose length says the type (32 MD5, 40 SHA-1,
 * 64 SHA-256, 128 SHA-512); any case, spaces around. Source USER.
 * %HAUL_ERROR_CHECKSUM_INVALID with a message a person can act on. */
HaulChecksumSpec  *haul_checksum_spec_parse            (const char              *text,
                                                        GError                 **error);
/* The same with another source, for a record read back from the store. */
HaulChecksumSpec  *haul_checksum_spec_parse_full       (const char              *text,
                                                        HaulChecksumSource       source,
                                                        const char              *origin,
                                                        GError                 **error);
HaulChecksumSpec  *haul_checksum_spec_copy             (const HaulChecksumSpec  *spec);
void               haul_checksum_spec_free             (HaulChecksumSpec        *spec);
gboolean           haul_checksum_spec_equal            (const HaulChecksumSpec  *a,
                                                        const HaulChecksumSpec  *b);

GChecksumType      haul_checksum_spec_get_algorithm    (const HaulChecksumSpec  *spec);
const guint8      *haul_checksum_spec_get_digest       (const HaulChecksumSpec  *spec,
                                                        gsize                   *length);
/* Lowercase hexadecimal, as sha256sum prints it. */
const char        *haul_checksum_spec_get_hex          (const HaulChecksumSpec  *spec);
HaulChecksumSource haul_checksum_spec_get_source       (const HaulChecksumSpec  *spec);
const char        *haul_checksum_spec_get_origin       (const HaulChecksumSpec  *spec);
/* "sha-256=HEX": what haul_checksum_spec_parse() reads back. */
char              *haul_checksum_spec_to_string        (const HaulChecksumSpec  *spec);

/* Translated, for the row and the notification: "SHA-256 verified",
 * "Checking the SHA-256 checksum…", and where it came from ("from the
 * server’s Repr-Digest header", "from “SHA256SUMS” on the server", …). */
char              *haul_checksum_spec_describe_verified (const HaulChecksumSpec *spec);
char              *haul_checksum_spec_describe_checking (const HaulChecksumSpec *spec);
char              *haul_checksum_spec_describe_source  (const HaulChecksumSpec  *spec);

/* Compares @digest with the expected one. On a difference sets
 * %HAUL_ERROR_CHECKSUM_MISMATCH: "The checksum does not match: expected …,
 * got …". */
gboolean           haul_checksum_spec_check            (const HaulChecksumSpec  *spec,
                                                        const guint8            *digest,
                                                        gsize                    digest_length,
                                                        GError                 **error);

/* "SHA-256" (a name, not translated), "sha-256" (as typed and in RFC 9530),
 * and back: accepts sha-256, sha256, SHA-256, sha-512, sha512, sha-1, sha1,
 * md5 in any case. */
const char        *haul_checksum_algorithm_get_label   (GChecksumType            algorithm);
const char        *haul_checksum_algorithm_to_string   (GChecksumType            algorithm);
gboolean           haul_checksum_algorithm_from_string (const char              *name,
                                                        GChecksumType           *algorithm);

/* The streaming verifier: one worker feeds it the file's bytes in order
 * (not thread-safe; it belongs to that worker), then finishes. */
typedef struct _HaulChecksumVerifier HaulChecksumVerifier;

HaulChecksumVerifier *haul_checksum_verifier_new       (const HaulChecksumSpec  *spec);
void               haul_checksum_verifier_free         (HaulChecksumVerifier    *verifier);
const HaulChecksumSpec *haul_checksum_verifier_get_spec (HaulChecksumVerifier   *verifier);
/* Bytes 0 … offset - 1 have been fed. A writer at another offset must not
 * feed: the bytes would be out of order. */
gint64             haul_checksum_verifier_get_offset   (HaulChecksumVerifier    *verifier);
void               haul_checksum_verifier_update       (HaulChecksumVerifier    *verifier,
                                                        const void              *data,
                                                        gsize                    length);
/* Forgets every byte fed: the transfer started again from zero. */
void               haul_checksum_verifier_reset        (HaulChecksumVerifier    *verifier);
/* TRUE on a match; otherwise %HAUL_ERROR_CHECKSUM_MISMATCH. Either way the
 * actual digest is then available (lowercase hex). No update after it. */
gboolean           haul_checksum_verifier_finish       (HaulChecksumVerifier    *verifier,
                                                        GError                 **error);
/* (nullable) until finished */
const char        *haul_checksum_verifier_get_actual   (HaulChecksumVerifier    *verifier);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulChecksumSpec, haul_checksum_spec_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulChecksumVerifier, haul_checksum_verifier_free)

G_END_DECLS
