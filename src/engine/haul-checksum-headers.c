/* haul-checksum-headers.c: expected checksums a server sends in headers
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "haul-checksum-headers.h"

/* What a field offers for one algorithm Haul accepts from a server. */
typedef struct
{
  GChecksumType algorithm;
  const char   *name;      /* RFC 9530 key; RFC 3230 name in any case */
  gboolean      present;
  gboolean      unusable;
  guint8        digest[HAUL_CHECKSUM_MAX_DIGEST];
} Candidate;

/* Strongest first. MD5 and SHA-1 are left out on purpose: RFC 9530 calls
 * them insecure, and a row saying "verified" must not rest on a digest
 * anyone can forge a collision for. */
static void
candidates_init (Candidate candidates[2])
{
  memset (candidates, 0, 2 * sizeof (Candidate));
  candidates[0].algorithm = G_CHECKSUM_SHA512;
  candidates[0].name = "sha-512";
  candidates[1].algorithm = G_CHECKSUM_SHA256;
  candidates[1].name = "sha-256";
}

static Candidate *
candidate_for (Candidate   candidates[2],
               const char *name,
               gsize       length,
               gboolean    any_case)
{
  for (guint i = 0; i < 2; i++)
    if (strlen (candidates[i].name) == length
        && (any_case ? g_ascii_strncasecmp (name, candidates[i].name, length) == 0
                     : strncmp (name, candidates[i].name, length) == 0))
      return &candidates[i];
  return NULL;
}

/* Two different digests for one algorithm mean one of them is wrong, and
 * Haul cannot tell which (a proxy may have added one): RFC 8941 would let
 * the last win; here neither does. */
static void
candidate_offer (Candidate    *candidate,
                 const guint8 *digest)
{
  gsize length = g_checksum_type_get_length (candidate->algorithm);

  if (digest == NULL)
    {
      candidate->unusable = TRUE;
      return;
    }
  if (candidate->present && memcmp (candidate->digest, digest, length) != 0)
    candidate->unusable = TRUE;
  candidate->present = TRUE;
  memcpy (candidate->digest, digest, length);
}

static HaulChecksumSpec *
candidates_pick (Candidate           candidates[2],
                 HaulChecksumSource  source)
{
  for (guint i = 0; i < 2; i++)
    if (candidates[i].present && !candidates[i].unusable)
      return haul_checksum_spec_new (candidates[i].algorithm, candidates[i].digest,
                                     g_checksum_type_get_length (candidates[i].algorithm),
                                     source, NULL);
  return NULL;
}

static gboolean
is_base64_char (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

/* Strict base64 (RFC 4648 §4) of exactly @expected bytes into @out.
 * g_base64_decode() skips characters it does not know and stops at a
 * stray "=", so "sha-256=:not base64!:" would decode to something: check
 * the text first, then let GLib decode it. Missing "=" padding is
 * accepted, as RFC 8941 asks. */
static gboolean
decode_base64 (const char *text,
               gsize       length,
               guint8     *out,
               gsize       expected)
{
  g_autofree char *padded = NULL;
  g_autofree guchar *decoded = NULL;
  gsize n_data = 0;
  gsize n_pad = 0;
  gsize decoded_length = 0;

  while (n_data < length && is_base64_char (text[n_data]))
    n_data++;
  while (n_data + n_pad < length && text[n_data + n_pad] == '=' && n_pad < 2)
    n_pad++;
  if (n_data + n_pad != length || n_data % 4 == 1)
    return FALSE;
  if (n_pad > 0 && (n_data + n_pad) % 4 != 0)
    return FALSE;
  if (n_data * 3 / 4 != expected)
    return FALSE;

  padded = g_malloc (n_data + 4);
  memcpy (padded, text, n_data);
  memset (padded + n_data, '=', (4 - n_data % 4) % 4);
  padded[n_data + (4 - n_data % 4) % 4] = '\0';
  decoded = g_base64_decode (padded, &decoded_length);
  if (decoded_length != expected)
    return FALSE;
  memcpy (out, decoded, expected);
  return TRUE;
}

/* RFC 8941 structured fields, as far as a Dictionary needs: every item
 * type is parsed (so an unknown member cannot derail the ones after it),
 * only byte sequences are kept. Any syntax error fails the whole field. */
typedef struct
{
  const char *p;
  const char *end;
} Parser;

typedef struct
{
  gboolean    is_bytes;
  const char *bytes;   /* the base64 text between the colons */
  gsize       length;
} Item;

static char
peek (Parser *s)
{
  return s->p < s->end ? *s->p : '\0';
}

static void
skip_sp (Parser *s)
{
  while (peek (s) == ' ')
    s->p++;
}

static void
skip_ows (Parser *s)
{
  while (peek (s) == ' ' || peek (s) == '\t')
    s->p++;
}

static gboolean
is_lcalpha (char c)
{
  return c >= 'a' && c <= 'z';
}

static gboolean
is_tchar (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

static gboolean
parse_key (Parser      *s,
           const char **key,
           gsize       *length)
{
  const char *start = s->p;
  char c = peek (s);

  if (!is_lcalpha (c) && c != '*')
    return FALSE;
  for (s->p++; s->p < s->end; s->p++)
    {
      c = *s->p;
      if (!is_lcalpha (c) && !g_ascii_isdigit (c) && c != '_' && c != '-' && c != '.'
          && c != '*')
        break;
    }
  *key = start;
  *length = s->p - start;
  return TRUE;
}

/* Integer (at most 15 digits) or decimal (at most 12 + 3). */
static gboolean
parse_number (Parser   *s,
              gboolean  integer_only)
{
  gboolean decimal = FALSE;
  guint int_digits = 0;
  guint frac_digits = 0;

  if (peek (s) == '-')
    s->p++;
  if (!g_ascii_isdigit (peek (s)))
    return FALSE;
  for (; s->p < s->end; s->p++)
    {
      char c = *s->p;

      if (g_ascii_isdigit (c))
        {
          if (decimal)
            frac_digits++;
          else
            int_digits++;
        }
      else if (c == '.' && !decimal && !integer_only)
        {
          if (int_digits > 12)
            return FALSE;
          decimal = TRUE;
        }
      else
        break;
      if (int_digits > 15 || frac_digits > 3)
        return FALSE;
    }
  return !decimal || frac_digits > 0;
}

static gboolean
parse_string (Parser *s)
{
  for (s->p++; s->p < s->end; s->p++)
    {
      char c = *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c == '\\')
        {
          s->p++;
          if (peek (s) != '"' && peek (s) != '\\')
            return FALSE;
        }
      else if (c < 0x20 || c > 0x7e)
        return FALSE;
    }
  return FALSE;
}

/* RFC 9651's display string: %"…" with %xx escapes. */
static gboolean
parse_display_string (Parser *s)
{
  s->p++;
  if (peek (s) != '"')
    return FALSE;
  for (s->p++; s->p < s->end; s->p++)
    {
      char c = *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c == '%')
        {
          for (int i = 0; i < 2; i++)
            {
              char h;

              s->p++;
              h = peek (s);
              if (!g_ascii_isdigit (h) && !(h >= 'a' && h <= 'f'))
                return FALSE;
            }
        }
      else if (c < 0x20 || c > 0x7e)
        return FALSE;
    }
  return FALSE;
}

static gboolean
parse_bare_item (Parser *s,
                 Item   *item)
{
  char c = peek (s);

  item->is_bytes = FALSE;
  if (c == '-' || g_ascii_isdigit (c))
    return parse_number (s, FALSE);
  if (c == '"')
    return parse_string (s);
  if (g_ascii_isalpha (c) || c == '*')
    {
      for (s->p++; s->p < s->end && (is_tchar (*s->p) || *s->p == ':' || *s->p == '/'); s->p++)
        ;
      return TRUE;
    }
  if (c == ':')
    {
      const char *start = ++s->p;

      while (s->p < s->end && (is_base64_char (*s->p) || *s->p == '='))
        s->p++;
      if (peek (s) != ':')
        return FALSE;
      item->is_bytes = TRUE;
      item->bytes = start;
      item->length = s->p - start;
      s->p++;
      return TRUE;
    }
  if (c == '?')
    {
      s->p++;
      c = peek (s);
      if (c != '0' && c != '1')
        return FALSE;
      s->p++;
      return TRUE;
    }
  if (c == '@')
    {
      s->p++;
      return parse_number (s, TRUE);
    }
  if (c == '%')
    return parse_display_string (s);
  return FALSE;
}

static gboolean
parse_parameters (Parser *s)
{
  while (peek (s) == ';')
    {
      const char *key;
      gsize length;
      Item value;

      s->p++;
      skip_sp (s);
      if (!parse_key (s, &key, &length))
        return FALSE;
      if (peek (s) == '=')
        {
          s->p++;
          if (!parse_bare_item (s, &value))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_inner_list (Parser *s)
{
  s->p++;
  while (s->p < s->end)
    {
      Item item;

      skip_sp (s);
      if (peek (s) == ')')
        {
          s->p++;
          return parse_parameters (s);
        }
      if (!parse_bare_item (s, &item) || !parse_parameters (s))
        return FALSE;
      if (peek (s) != ' ' && peek (s) != ')')
        return FALSE;
    }
  return FALSE;
}

/* One member: "key", "key;params", "key=item;params" or "key=(…)". Keeps
 * the value only if @key is one of @candidates. */
static gboolean
parse_member (Parser    *s,
              Candidate  candidates[2])
{
  const char *key;
  gsize key_length;
  Candidate *candidate;
  Item item = { FALSE, NULL, 0 };

  if (!parse_key (s, &key, &key_length))
    return FALSE;
  candidate = candidate_for (candidates, key, key_length, FALSE);

  if (peek (s) != '=')
    {
      if (!parse_parameters (s))
        return FALSE;
    }
  else
    {
      s->p++;
      if (peek (s) == '(')
        {
          if (!parse_inner_list (s))
            return FALSE;
        }
      else if (!parse_bare_item (s, &item) || !parse_parameters (s))
        return FALSE;
    }

  if (candidate != NULL)
    {
      guint8 digest[HAUL_CHECKSUM_MAX_DIGEST];
      gboolean valid = item.is_bytes
                       && decode_base64 (item.bytes, item.length, digest,
                                         g_checksum_type_get_length (candidate->algorithm));

      candidate_offer (candidate, valid ? digest : NULL);
    }
  return TRUE;
}

static gboolean
parse_dictionary (const char *value,
                  Candidate   candidates[2])
{
  Parser s = { value, value + strlen (value) };

  skip_sp (&s);
  while (s.end > s.p && s.end[-1] == ' ')
    s.end--;
  if (s.p == s.end)
    return FALSE;

  for (;;)
    {
      if (!parse_member (&s, candidates))
        return FALSE;
      skip_ows (&s);
      if (s.p == s.end)
        return TRUE;
      if (peek (&s) != ',')
        return FALSE;
      s.p++;
      skip_ows (&s);
      if (s.p == s.end)
        return FALSE;
    }
}

/* RFC 3230: a comma list of NAME=VALUE, names in any case. Not a
 * structured field, so one malformed element spoils only itself. */
static void
parse_legacy_digest (const char *value,
                     Candidate   candidates[2])
{
  g_auto(GStrv) elements = g_strsplit (value, ",", -1);

  for (guint i = 0; elements[i] != NULL; i++)
    {
      char *element = g_strstrip (elements[i]);
      char *equals = strchr (element, '=');
      Candidate *candidate;
      guint8 digest[HAUL_CHECKSUM_MAX_DIGEST];
      char *digits;
      gsize name_length;

      if (equals == NULL)
        continue;
      name_length = equals - element;
      while (name_length > 0 && g_ascii_isspace (element[name_length - 1]))
        name_length--;
      candidate = candidate_for (candidates, element, name_length, TRUE);
      if (candidate == NULL)
        continue;
      digits = g_strstrip (equals + 1);
      if (decode_base64 (digits, strlen (digits), digest,
                         g_checksum_type_get_length (candidate->algorithm)))
        candidate_offer (candidate, digest);
      else
        candidate_offer (candidate, NULL);
    }
}

HaulChecksumSpec *
haul_checksum_spec_new_from_field (HaulChecksumSource  source,
                                   const char         *value)
{
  Candidate candidates[2];

  g_return_val_if_fail (source == HAUL_CHECKSUM_SOURCE_REPR_DIGEST
                        || source == HAUL_CHECKSUM_SOURCE_CONTENT_DIGEST
                        || source == HAUL_CHECKSUM_SOURCE_DIGEST, NULL);

  if (value == NULL)
    return NULL;
  candidates_init (candidates);
  if (source == HAUL_CHECKSUM_SOURCE_DIGEST)
    parse_legacy_digest (value, candidates);
  else if (!parse_dictionary (value, candidates))
    return NULL;
  return candidates_pick (candidates, source);
}

HaulChecksumSpec *
haul_checksum_spec_new_from_headers (SoupMessageHeaders *headers,
                                     gboolean            body_is_whole_file)
{
  static const struct
  {
    const char         *header;
    HaulChecksumSource  source;
  } fields[] = {
    { "Repr-Digest", HAUL_CHECKSUM_SOURCE_REPR_DIGEST },
    { "Content-Digest", HAUL_CHECKSUM_SOURCE_CONTENT_DIGEST },
    { "Digest", HAUL_CHECKSUM_SOURCE_DIGEST },
  };

  g_return_val_if_fail (headers != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      HaulChecksumSpec *spec;

      /* A 206's Content-Digest is the digest of the part, not the file. */
      if (fields[i].source == HAUL_CHECKSUM_SOURCE_CONTENT_DIGEST && !body_is_whole_file)
        continue;
      /* Repeated header lines are one list (RFC 9110 §5.3). */
      spec = haul_checksum_spec_new_from_field (fields[i].source,
                                                soup_message_headers_get_list (headers,
                                                                               fields[i].header));
      if (spec != NULL)
        return spec;
    }
  return NULL;
}
