/* haul-checksum.c: expected checksums, what a person types, and the
 * streaming verifier
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "haul-checksum-private.h"
#include "haul-error.h"

/* What a message quotes of a person's text, at most. */
#define MAX_QUOTED_CHARS 64

struct _HaulChecksumSpec
{
  GChecksumType      algorithm;
  HaulChecksumSource source;
  gsize              length;
  guint8             digest[HAUL_CHECKSUM_MAX_DIGEST];
  char               hex[HAUL_CHECKSUM_MAX_DIGEST * 2 + 1];
  char              *origin; /* (owned) (nullable) */
};

struct _HaulChecksumVerifier
{
  HaulChecksumSpec *spec;   /* (owned) */
  GChecksum        *checksum; /* (owned) */
  gint64            offset;
  gboolean          finished;
  char              actual[HAUL_CHECKSUM_MAX_DIGEST * 2 + 1];
};

G_DEFINE_ENUM_TYPE (HaulChecksumSource, haul_checksum_source,
  G_DEFINE_ENUM_VALUE (HAUL_CHECKSUM_SOURCE_USER, "user"),
  G_DEFINE_ENUM_VALUE (HAUL_CHECKSUM_SOURCE_REPR_DIGEST, "repr-digest"),
  G_DEFINE_ENUM_VALUE (HAUL_CHECKSUM_SOURCE_CONTENT_DIGEST, "content-digest"),
  G_DEFINE_ENUM_VALUE (HAUL_CHECKSUM_SOURCE_DIGEST, "digest"),
  G_DEFINE_ENUM_VALUE (HAUL_CHECKSUM_SOURCE_SIBLING, "sibling"))

G_DEFINE_BOXED_TYPE (HaulChecksumSpec, haul_checksum_spec,
                     haul_checksum_spec_copy, haul_checksum_spec_free)

/* Strongest first: the order a bare digest's length is matched in. */
static const struct
{
  GChecksumType  algorithm;
  const char    *label;
  const char    *key;      /* RFC 9530's name, and what Haul writes */
  const char    *compact;  /* as sha256sum's family spells it */
} algorithms[] = {
  { G_CHECKSUM_SHA512, "SHA-512", "sha-512", "sha512" },
  { G_CHECKSUM_SHA256, "SHA-256", "sha-256", "sha256" },
  { G_CHECKSUM_SHA1, "SHA-1", "sha-1", "sha1" },
  { G_CHECKSUM_MD5, "MD5", "md5", "md5" },
};

static int
algorithm_index (GChecksumType algorithm)
{
  for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
    if (algorithms[i].algorithm == algorithm)
      return i;
  return -1;
}

const char *
haul_checksum_algorithm_get_label (GChecksumType algorithm)
{
  int i = algorithm_index (algorithm);

  g_return_val_if_fail (i >= 0, NULL);

  return algorithms[i].label;
}

const char *
haul_checksum_algorithm_to_string (GChecksumType algorithm)
{
  int i = algorithm_index (algorithm);

  g_return_val_if_fail (i >= 0, NULL);

  return algorithms[i].key;
}

gboolean
haul_checksum_algorithm_from_string (const char    *name,
                                     GChecksumType *algorithm)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
    if (g_ascii_strcasecmp (name, algorithms[i].key) == 0
        || g_ascii_strcasecmp (name, algorithms[i].compact) == 0)
      {
        if (algorithm != NULL)
          *algorithm = algorithms[i].algorithm;
        return TRUE;
      }
  return FALSE;
}

static void
hex_encode (const guint8 *digest,
            gsize         length,
            char         *out)
{
  static const char digits[] = "0123456789abcdef";

  for (gsize i = 0; i < length; i++)
    {
      out[2 * i] = digits[digest[i] >> 4];
      out[2 * i + 1] = digits[digest[i] & 0xf];
    }
  out[2 * length] = '\0';
}

HaulChecksumSpec *
haul_checksum_spec_new (GChecksumType       algorithm,
                        const guint8       *digest,
                        gsize               digest_length,
                        HaulChecksumSource  source,
                        const char         *origin)
{
  HaulChecksumSpec *spec;

  g_return_val_if_fail (algorithm_index (algorithm) >= 0, NULL);
  g_return_val_if_fail (digest != NULL, NULL);
  g_return_val_if_fail ((gssize) digest_length == g_checksum_type_get_length (algorithm), NULL);
  g_return_val_if_fail (source <= HAUL_CHECKSUM_SOURCE_SIBLING, NULL);

  spec = g_new0 (HaulChecksumSpec, 1);
  spec->algorithm = algorithm;
  spec->source = source;
  spec->length = digest_length;
  memcpy (spec->digest, digest, digest_length);
  hex_encode (digest, digest_length, spec->hex);
  spec->origin = g_strdup (origin);
  return spec;
}

HaulChecksumSpec *
haul_checksum_spec_copy (const HaulChecksumSpec *spec)
{
  g_return_val_if_fail (spec != NULL, NULL);

  return haul_checksum_spec_new (spec->algorithm, spec->digest, spec->length,
                                 spec->source, spec->origin);
}

void
haul_checksum_spec_free (HaulChecksumSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->origin);
  g_free (spec);
}

gboolean
haul_checksum_spec_equal (const HaulChecksumSpec *a,
                          const HaulChecksumSpec *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->algorithm == b->algorithm
         && a->source == b->source
         && a->length == b->length
         && memcmp (a->digest, b->digest, a->length) == 0
         && g_strcmp0 (a->origin, b->origin) == 0;
}

GChecksumType
haul_checksum_spec_get_algorithm (const HaulChecksumSpec *spec)
{
  g_return_val_if_fail (spec != NULL, G_CHECKSUM_SHA256);

  return spec->algorithm;
}

const guint8 *
haul_checksum_spec_get_digest (const HaulChecksumSpec *spec,
                               gsize                  *length)
{
  g_return_val_if_fail (spec != NULL, NULL);

  if (length != NULL)
    *length = spec->length;
  return spec->digest;
}

const char *
haul_checksum_spec_get_hex (const HaulChecksumSpec *spec)
{
  g_return_val_if_fail (spec != NULL, NULL);

  return spec->hex;
}

HaulChecksumSource
haul_checksum_spec_get_source (const HaulChecksumSpec *spec)
{
  g_return_val_if_fail (spec != NULL, HAUL_CHECKSUM_SOURCE_USER);

  return spec->source;
}

const char *
haul_checksum_spec_get_origin (const HaulChecksumSpec *spec)
{
  g_return_val_if_fail (spec != NULL, NULL);

  return spec->origin;
}

char *
haul_checksum_spec_to_string (const HaulChecksumSpec *spec)
{
  g_return_val_if_fail (spec != NULL, NULL);

  return g_strconcat (haul_checksum_algorithm_to_string (spec->algorithm), "=", spec->hex, NULL);
}

/* Quoting what a person or a server wrote: valid UTF-8, no control or
 * format characters (a pasted escape sequence or a bidi override must not
 * reach the row), and short. */
char *
haul_checksum_quotable (const char *text,
                        gssize      length)
{
  g_autofree char *valid = g_utf8_make_valid (text, length);
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (n == MAX_QUOTED_CHARS)
        {
          g_string_append (out, "…");
          break;
        }
      if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT
          || type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR)
        g_string_append_unichar (out, 0xFFFD);
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* Every character of @hex is a hexadecimal digit, or an error that names
 * the first one that is not. */
static gboolean
check_hex_digits (const char  *hex,
                  GError     **error)
{
  for (const char *p = hex; *p != '\0'; p++)
    {
      g_autofree char *shown = NULL;
      gunichar c;

      if (g_ascii_isxdigit (*p))
        continue;
      if (g_ascii_isspace (*p))
        {
          g_set_error_literal (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_INVALID,
                               _("A checksum has no spaces inside: type only its "
                                 "hexadecimal digits"));
          return FALSE;
        }
      c = g_utf8_get_char_validated (p, -1);
      if (c == (gunichar) -1 || c == (gunichar) -2 || g_unichar_iscntrl (c))
        {
          g_set_error_literal (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_INVALID,
                               _("The checksum contains characters that are not "
                                 "hexadecimal digits (0–9, a–f)"));
          return FALSE;
        }
      shown = haul_checksum_quotable (p, g_utf8_next_char (p) - p);
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_INVALID,
                   _("“%s” is not a hexadecimal digit (0–9, a–f)"), shown);
      return FALSE;
    }
  return TRUE;
}

static int
hex_value (char c)
{
  return g_ascii_xdigit_value (c);
}

/* @hex holds only hex digits and has twice the algorithm's length. */
static HaulChecksumSpec *
spec_from_hex (GChecksumType       algorithm,
               const char         *hex,
               HaulChecksumSource  source,
               const char         *origin)
{
  guint8 digest[HAUL_CHECKSUM_MAX_DIGEST];
  gsize length = strlen (hex) / 2;

  g_assert (length <= sizeof digest);
  for (gsize i = 0; i < length; i++)
    digest[i] = hex_value (hex[2 * i]) << 4 | hex_value (hex[2 * i + 1]);
  return haul_checksum_spec_new (algorithm, digest, length, source, origin);
}

/* Where the type ends and the digits start: "sha-256=…", "sha256:…",
 * "SHA-512 = …", or "sha256 …" with a known name. NULL for bare digits. */
static const char *
find_separator (const char *text)
{
  const char *sep = strpbrk (text, "=:");
  const char *space;

  if (sep != NULL)
    return sep;
  space = strpbrk (text, " \t");
  if (space != NULL)
    {
      g_autofree char *name = g_strndup (text, space - text);

      if (haul_checksum_algorithm_from_string (name, NULL))
        return space;
    }
  return NULL;
}

static gboolean
guess_algorithm (gsize           n_digits,
                 GChecksumType  *algorithm,
                 GError        **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
    if ((gssize) n_digits == 2 * g_checksum_type_get_length (algorithms[i].algorithm))
      {
        *algorithm = algorithms[i].algorithm;
        return TRUE;
      }
  g_set_error (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_INVALID,
               _("A checksum has 32 (MD5), 40 (SHA-1), 64 (SHA-256) or 128 (SHA-512) "
                 "hexadecimal digits; this one has %u"),
               (guint) MIN (n_digits, G_MAXUINT));
  return FALSE;
}

HaulChecksumSpec *
haul_checksum_spec_parse_full (const char          *text,
                               HaulChecksumSource   source,
                               const char          *origin,
                               GError             **error)
{
  g_autofree char *copy = NULL;
  const char *hex;
  const char *sep;
  GChecksumType algorithm;
  gsize n_digits;
  gsize wanted;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    {
      g_set_error_literal (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_INVALID,
                           _("The checksum is empty"));
      return NULL;
    }

  sep = find_separator (copy);
  if (sep != NULL)
    {
      g_autofree char *name = g_strstrip (g_strndup (copy, sep - copy));

      if (!haul_checksum_algorithm_from_string (name, &algorithm))
        {
          g_autofree char *shown = haul_checksum_quotable (name, -1);

          g_set_error (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_INVALID,
                       _("“%s” is not a checksum type Haul knows: use sha-256, sha-512, "
                         "sha-1 or md5"), shown);
          return NULL;
        }
      hex = sep + 1;
      while (g_ascii_isspace (*hex))
        hex++;
      if (*hex == '\0')
        {
          g_set_error (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_INVALID,
                       _("Type the hexadecimal digits of the checksum after “%s”"),
                       haul_checksum_algorithm_to_string (algorithm));
          return NULL;
        }
    }
  else
    hex = copy;

  if (!check_hex_digits (hex, error))
    return NULL;

  n_digits = strlen (hex);
  if (sep == NULL && !guess_algorithm (n_digits, &algorithm, error))
    return NULL;

  wanted = 2 * g_checksum_type_get_length (algorithm);
  if (n_digits != wanted)
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "A %s checksum has %u hexadecimal digit; this one has %u",
                                "A %s checksum has %u hexadecimal digits; this one has %u",
                                wanted),
                   haul_checksum_algorithm_get_label (algorithm), (guint) wanted,
                   (guint) MIN (n_digits, G_MAXUINT));
      return NULL;
    }

  return spec_from_hex (algorithm, hex, source, origin);
}

HaulChecksumSpec *
haul_checksum_spec_parse (const char  *text,
                          GError     **error)
{
  return haul_checksum_spec_parse_full (text, HAUL_CHECKSUM_SOURCE_USER, NULL, error);
}

char *
haul_checksum_spec_describe_verified (const HaulChecksumSpec *spec)
{
  g_return_val_if_fail (spec != NULL, NULL);

  /* Translators: %s is a checksum type such as SHA-256; shown on the row
     and in the notification when the file's checksum matched */
  return g_strdup_printf (_("%s verified"), haul_checksum_algorithm_get_label (spec->algorithm));
}

char *
haul_checksum_spec_describe_checking (const HaulChecksumSpec *spec)
{
  g_return_val_if_fail (spec != NULL, NULL);

  /* Translators: %s is a checksum type such as SHA-256 */
  return g_strdup_printf (_("Checking the %s checksum…"),
                          haul_checksum_algorithm_get_label (spec->algorithm));
}

char *
haul_checksum_origin_display_name (const char *origin)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *segment = NULL;
  const char *path;
  const char *slash;

  if (origin == NULL)
    return NULL;
  uri = g_uri_parse (origin, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return haul_checksum_quotable (origin, -1);
  path = g_uri_get_path (uri);
  slash = strrchr (path, '/');
  segment = g_uri_unescape_string (slash != NULL ? slash + 1 : path, NULL);
  if (segment == NULL || *segment == '\0')
    return haul_checksum_quotable (origin, -1);
  return haul_checksum_quotable (segment, -1);
}

char *
haul_checksum_spec_describe_source (const HaulChecksumSpec *spec)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (spec != NULL, NULL);

  switch (spec->source)
    {
    case HAUL_CHECKSUM_SOURCE_USER:
      return g_strdup (_("as you entered it"));
    case HAUL_CHECKSUM_SOURCE_REPR_DIGEST:
      return g_strdup (_("from the server’s Repr-Digest header"));
    case HAUL_CHECKSUM_SOURCE_CONTENT_DIGEST:
      return g_strdup (_("from the server’s Content-Digest header"));
    case HAUL_CHECKSUM_SOURCE_DIGEST:
      return g_strdup (_("from the server’s Digest header"));
    case HAUL_CHECKSUM_SOURCE_SIBLING:
      name = haul_checksum_origin_display_name (spec->origin);
      if (name == NULL)
        return g_strdup (_("from a checksum file on the server"));
      /* Translators: %s is a file name such as SHA256SUMS */
      return g_strdup_printf (_("from “%s” on the server"), name);
    default:
      g_assert_not_reached ();
    }
}

gboolean
haul_checksum_spec_check (const HaulChecksumSpec  *spec,
                          const guint8            *digest,
                          gsize                    digest_length,
                          GError                 **error)
{
  char actual[HAUL_CHECKSUM_MAX_DIGEST * 2 + 1];

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (digest != NULL, FALSE);
  g_return_val_if_fail (digest_length <= HAUL_CHECKSUM_MAX_DIGEST, FALSE);

  if (digest_length == spec->length && memcmp (digest, spec->digest, spec->length) == 0)
    return TRUE;

  hex_encode (digest, digest_length, actual);
  haul_set_error (error, HAUL_ERROR_CHECKSUM_MISMATCH,
                  "The checksum does not match: expected %s, got %s", spec->hex, actual);
  return FALSE;
}

HaulChecksumVerifier *
haul_checksum_verifier_new (const HaulChecksumSpec *spec)
{
  HaulChecksumVerifier *verifier;

  g_return_val_if_fail (spec != NULL, NULL);

  verifier = g_new0 (HaulChecksumVerifier, 1);
  verifier->spec = haul_checksum_spec_copy (spec);
  verifier->checksum = g_checksum_new (spec->algorithm);
  return verifier;
}

void
haul_checksum_verifier_free (HaulChecksumVerifier *verifier)
{
  if (verifier == NULL)
    return;
  g_clear_pointer (&verifier->checksum, g_checksum_free);
  g_clear_pointer (&verifier->spec, haul_checksum_spec_free);
  g_free (verifier);
}

const HaulChecksumSpec *
haul_checksum_verifier_get_spec (HaulChecksumVerifier *verifier)
{
  g_return_val_if_fail (verifier != NULL, NULL);

  return verifier->spec;
}

gint64
haul_checksum_verifier_get_offset (HaulChecksumVerifier *verifier)
{
  g_return_val_if_fail (verifier != NULL, 0);

  return verifier->offset;
}

void
haul_checksum_verifier_update (HaulChecksumVerifier *verifier,
                               const void           *data,
                               gsize                 length)
{
  g_return_if_fail (verifier != NULL);
  g_return_if_fail (!verifier->finished);
  g_return_if_fail (data != NULL || length == 0);

  /* g_checksum_update() takes a gssize: feed a huge buffer in pieces. */
  while (length > 0)
    {
      gsize piece = MIN (length, (gsize) G_MAXSSIZE);

      g_checksum_update (verifier->checksum, data, piece);
      data = (const guint8 *) data + piece;
      length -= piece;
      verifier->offset += piece;
    }
}

void
haul_checksum_verifier_reset (HaulChecksumVerifier *verifier)
{
  g_return_if_fail (verifier != NULL);

  g_checksum_reset (verifier->checksum);
  verifier->offset = 0;
  verifier->finished = FALSE;
  verifier->actual[0] = '\0';
}

gboolean
haul_checksum_verifier_finish (HaulChecksumVerifier  *verifier,
                               GError               **error)
{
  guint8 digest[HAUL_CHECKSUM_MAX_DIGEST];
  gsize length = sizeof digest;

  g_return_val_if_fail (verifier != NULL, FALSE);
  g_return_val_if_fail (!verifier->finished, FALSE);

  g_checksum_get_digest (verifier->checksum, digest, &length);
  verifier->finished = TRUE;
  hex_encode (digest, length, verifier->actual);
  return haul_checksum_spec_check (verifier->spec, digest, length, error);
}

const char *
haul_checksum_verifier_get_actual (HaulChecksumVerifier *verifier)
{
  g_return_val_if_fail (verifier != NULL, NULL);

  return verifier->finished ? verifier->actual : NULL;
}
