/* haul-checksum-sums.c: checksum files beside a download on its server
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "haul-checksum-private.h"
#include "haul-checksum-sums.h"
#include "haul-error.h"
#include "haul-url.h"

/* What a search through one checksum file has found so far. */
typedef struct
{
  GChecksumType  algorithm;
  gsize          length;         /* of a digest, in bytes */
  const char    *file_name;
  gsize          file_name_length;

  gboolean       found;
  gboolean       conflict;
  guint8         digest[HAUL_CHECKSUM_MAX_DIGEST];

  guint          n_entries;      /* lines naming a file, any file */
  guint          n_bare;         /* lines holding only a digest */
  guint          n_other;        /* lines of no known kind */
  guint8         bare[HAUL_CHECKSUM_MAX_DIGEST];
} Search;

/* @hex: exactly 2 × search->length hex digits. */
static gboolean
decode_hex (const char *hex,
            gsize       n_digits,
            gsize       length,
            guint8     *out)
{
  if (n_digits != 2 * length)
    return FALSE;
  for (gsize i = 0; i < n_digits; i++)
    if (!g_ascii_isxdigit (hex[i]))
      return FALSE;
  for (gsize i = 0; i < length; i++)
    out[i] = g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]);
  return TRUE;
}

/* One entry naming a file. Only an exact name matches: "sub/name",
 * "../name" or "/abs/name" are other files that happen to end the same
 * way, and taking their digest would "verify" the wrong file. The one
 * spelling allowed is "./name", which is how `sha256sum ./name` lists a
 * file of the same folder. */
static void
search_offer (Search       *search,
              const char   *name,
              gsize         name_length,
              const guint8 *digest)
{
  search->n_entries++;
  if (name_length >= 2 && name[0] == '.' && name[1] == '/')
    {
      name += 2;
      name_length -= 2;
    }
  if (name_length != search->file_name_length
      || memcmp (name, search->file_name, name_length) != 0)
    return;

  /* Two different digests for one name: one is wrong and Haul cannot
   * tell which, so it trusts neither. */
  if (search->found && memcmp (search->digest, digest, search->length) != 0)
    search->conflict = TRUE;
  search->found = TRUE;
  memcpy (search->digest, digest, search->length);
}

/* GNU's escaped names (a line starting with "\\"): "\\\\" is a backslash,
 * "\\n" a newline, "\\r" a carriage return; anything else is not a name. */
static char *
unescape_name (const char *name,
               gsize       length,
               gsize      *out_length)
{
  GString *out = g_string_sized_new (length);
  gboolean valid = TRUE;

  for (gsize i = 0; i < length && valid; i++)
    {
      char c = name[i];

      if (c == '\\')
        {
          c = i + 1 < length ? name[++i] : '\0';
          if (c == 'n')
            c = '\n';
          else if (c == 'r')
            c = '\r';
          else if (c != '\\')
            valid = FALSE;
        }
      g_string_append_c (out, c);
    }
  if (!valid)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  *out_length = out->len;
  return g_string_free (out, FALSE);
}

/* "SHA256 (NAME) = DIGEST", as `sha256sum --tag` and BSD's tools write.
 * The name may itself hold ") = ", so the last one ends it. */
static gboolean
parse_bsd_line (Search     *search,
                const char *line,
                gsize       length)
{
  g_autofree char *tag = NULL;
  const char *open;
  const char *close = NULL;
  const char *hex;
  GChecksumType algorithm;
  guint8 digest[HAUL_CHECKSUM_MAX_DIGEST];
  gsize tag_length = 0;

  while (tag_length < length && (g_ascii_isalnum (line[tag_length]) || line[tag_length] == '-'))
    tag_length++;
  if (tag_length == 0 || length - tag_length < 2
      || line[tag_length] != ' ' || line[tag_length + 1] != '(')
    return FALSE;
  open = line + tag_length + 2;
  for (const char *p = open; p + 4 <= line + length; p++)
    if (memcmp (p, ") = ", 4) == 0)
      close = p;
  if (close == NULL)
    return FALSE;

  tag = g_strndup (line, tag_length);
  if (!haul_checksum_algorithm_from_string (tag, &algorithm))
    return FALSE;
  /* A line for another algorithm (cksum --tag mixes them) is not ours. */
  if (algorithm != search->algorithm)
    {
      search->n_entries++;
      return TRUE;
    }
  hex = close + 4;
  if (!decode_hex (hex, line + length - hex, search->length, digest))
    return FALSE;
  search_offer (search, open, close - open, digest);
  return TRUE;
}

/* "DIGEST  NAME" (text mode), "DIGEST *NAME" (binary mode), or with a
 * leading "\\" an escaped name; a lone "DIGEST" is a bare digest. */
static gboolean
parse_gnu_line (Search     *search,
                const char *line,
                gsize       length)
{
  guint8 digest[HAUL_CHECKSUM_MAX_DIGEST];
  gboolean escaped = FALSE;
  const char *name;
  gsize n_digits = 0;
  gsize name_length;

  if (length > 0 && line[0] == '\\')
    {
      escaped = TRUE;
      line++;
      length--;
    }
  while (n_digits < length && g_ascii_isxdigit (line[n_digits]))
    n_digits++;
  if (!decode_hex (line, n_digits, search->length, digest))
    return FALSE;

  if (n_digits == length)
    {
      if (escaped)
        return FALSE;
      search->n_bare++;
      memcpy (search->bare, digest, search->length);
      return TRUE;
    }
  if (line[n_digits] != ' ')
    return FALSE;
  name = line + n_digits + 1;
  name_length = length - n_digits - 1;
  if (name_length > 0 && (name[0] == ' ' || name[0] == '*'))
    {
      name++;
      name_length--;
    }
  if (name_length == 0)
    return FALSE;

  if (escaped)
    {
      gsize unescaped_length = 0;
      g_autofree char *unescaped = unescape_name (name, name_length, &unescaped_length);

      if (unescaped == NULL)
        return FALSE;
      search_offer (search, unescaped, unescaped_length, digest);
    }
  else
    search_offer (search, name, name_length, digest);
  return TRUE;
}

static gboolean
parse_line (Search     *search,
            const char *line,
            gsize       length)
{
  return parse_bsd_line (search, line, length) || parse_gnu_line (search, line, length);
}

static void
search_line (Search     *search,
             const char *line,
             gsize       length)
{
  gsize trimmed;

  if (length > 0 && line[length - 1] == '\r')
    length--;
  while (length > 0 && (line[0] == ' ' || line[0] == '\t'))
    {
      line++;
      length--;
    }
  if (length == 0 || line[0] == '#')
    return;
  if (parse_line (search, line, length))
    return;
  /* Blanks may trail a digest (a bare one, or a BSD line's); a GNU line's
   * name keeps them, as they are part of it. */
  trimmed = length;
  while (trimmed > 0 && (line[trimmed - 1] == ' ' || line[trimmed - 1] == '\t'))
    trimmed--;
  if (trimmed < length && parse_line (search, line, trimmed))
    return;
  search->n_other++;
}

static gboolean
check_size (gsize        size,
            const char  *origin,
            GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *limit = NULL;

  if (size <= HAUL_CHECKSUM_SUMS_MAX_SIZE)
    return TRUE;
  name = haul_checksum_origin_display_name (origin);
  limit = g_format_size_full (HAUL_CHECKSUM_SUMS_MAX_SIZE, G_FORMAT_SIZE_IEC_UNITS);
  /* Translators: a file name, then a size such as "1.0 MiB" */
  haul_set_error (error, HAUL_ERROR_CHECKSUM_INVALID,
                  "The checksum file “%s” is larger than %s", name, limit);
  return FALSE;
}

HaulChecksumSpec *
haul_checksum_sums_find (GBytes         *contents,
                         GChecksumType   algorithm,
                         const char     *file_name,
                         gboolean        allow_bare,
                         const char     *origin,
                         GError        **error)
{
  g_autofree char *name = NULL;
  g_autofree char *shown_file = NULL;
  Search search = { 0 };
  const char *data;
  const char *end;
  gsize size;

  g_return_val_if_fail (contents != NULL, NULL);
  g_return_val_if_fail (haul_checksum_algorithm_to_string (algorithm) != NULL, NULL);
  g_return_val_if_fail (file_name != NULL, NULL);
  g_return_val_if_fail (origin != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (contents, &size);
  if (!check_size (size, origin, error))
    return NULL;

  name = haul_checksum_origin_display_name (origin);
  /* A checksum file is text: a NUL means an HTML error page, a binary or
   * a trick, and a NUL inside a name would let "a.iso\0junk" match. */
  if (size > 0 && memchr (data, '\0', size) != NULL)
    {
      haul_set_error (error, HAUL_ERROR_CHECKSUM_INVALID,
                      "“%s” is not a checksum file", name);
      return NULL;
    }

  search.algorithm = algorithm;
  search.length = g_checksum_type_get_length (algorithm);
  search.file_name = file_name;
  search.file_name_length = strlen (file_name);
  for (const char *line = data; size > 0 && line < data + size; line = end + 1)
    {
      end = memchr (line, '\n', data + size - line);
      if (end == NULL)
        end = data + size;
      search_line (&search, line, end - line);
    }

  shown_file = haul_checksum_quotable (file_name, -1);
  if (search.conflict)
    {
      /* Translators: a checksum file's name, then the downloaded file's */
      haul_set_error (error, HAUL_ERROR_CHECKSUM_INVALID,
                      "“%s” lists different checksums for “%s”", name, shown_file);
      return NULL;
    }
  if (search.found)
    return haul_checksum_spec_new (algorithm, search.digest, search.length,
                                   HAUL_CHECKSUM_SOURCE_SIBLING, origin);
  /* A bare digest only when it is all the file says: with names or
   * unknown lines beside it, it could be anybody's. */
  if (allow_bare && search.n_bare == 1 && search.n_entries == 0 && search.n_other == 0)
    return haul_checksum_spec_new (algorithm, search.bare, search.length,
                                   HAUL_CHECKSUM_SOURCE_SIBLING, origin);

  /* Translators: a checksum file's name, then the downloaded file's */
  haul_set_error (error, HAUL_ERROR_CHECKSUM_INVALID,
                  "“%s” has no checksum for “%s”", name, shown_file);
  return NULL;
}

GBytes *
haul_checksum_sums_read (GInputStream  *stream,
                         const char    *origin,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *buffer = NULL;
  gsize n_read = 0;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (origin != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* One byte more than allowed tells "exactly the limit" from "more". */
  buffer = g_malloc (HAUL_CHECKSUM_SUMS_MAX_SIZE + 1);
  if (!g_input_stream_read_all (stream, buffer, HAUL_CHECKSUM_SUMS_MAX_SIZE + 1, &n_read,
                                cancellable, error))
    return NULL;
  if (!check_size (n_read, origin, error))
    return NULL;
  return g_bytes_new_take (g_realloc (g_steal_pointer (&buffer), MAX (n_read, 1)), n_read);
}

void
haul_checksum_sibling_free (HaulChecksumSibling *sibling)
{
  if (sibling == NULL)
    return;
  g_free (sibling->uri);
  g_free (sibling->entry_name);
  g_free (sibling);
}

HaulChecksumSpec *
haul_checksum_sibling_parse (const HaulChecksumSibling  *sibling,
                             GBytes                     *contents,
                             GError                    **error)
{
  g_return_val_if_fail (sibling != NULL, NULL);

  return haul_checksum_sums_find (contents, sibling->algorithm, sibling->entry_name,
                                  sibling->allow_bare, sibling->uri, error);
}

/* A download's address as the URL policy reads it, without the user
 * name and password: they are the transfer's to send (to the origin they
 * were given for), never part of a list of addresses to try. */
static GUri *
parse_download_uri (const char *text)
{
  g_autoptr(GUri) uri = NULL;

  if (text == NULL)
    return NULL;
  uri = haul_url_parse (text, NULL);
  if (uri == NULL)
    return NULL;
  return haul_url_strip_userinfo (uri);
}

/* Checking a checksum file against itself proves nothing. */
static gboolean
is_checksum_file_name (const char *name)
{
  static const char *const suffixes[] = { ".sha256", ".sha512", "SHA256SUMS", "SHA512SUMS" };
  gsize length = strlen (name);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      gsize suffix_length = strlen (suffixes[i]);

      if (length >= suffix_length
          && g_ascii_strcasecmp (name + length - suffix_length, suffixes[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
add_sibling (GPtrArray     *siblings,
             GUri          *base,
             const char    *reference,
             GChecksumType  algorithm,
             gboolean       allow_bare,
             const char    *entry_name)
{
  g_autoptr(GUri) resolved = haul_url_parse_relative (base, reference, NULL);
  g_autofree char *text = NULL;
  HaulChecksumSibling *sibling;

  if (resolved == NULL)
    return;
  text = g_uri_to_string (resolved);
  for (guint i = 0; i < siblings->len; i++)
    if (g_str_equal (((HaulChecksumSibling *) g_ptr_array_index (siblings, i))->uri, text))
      return;

  sibling = g_new0 (HaulChecksumSibling, 1);
  sibling->uri = g_steal_pointer (&text);
  sibling->algorithm = algorithm;
  sibling->allow_bare = allow_bare;
  sibling->entry_name = g_strdup (entry_name);
  g_ptr_array_add (siblings, sibling);
}

static void
add_siblings_of (GPtrArray *siblings,
                 GUri      *base)
{
  g_autofree char *entry_name = NULL;
  g_autofree char *reference = NULL;
  const char *path = g_uri_get_path (base);
  const char *segment = strrchr (path, '/');

  segment = segment != NULL ? segment + 1 : path;
  if (*segment == '\0')
    return;
  /* NULL for an encoded "/" or NUL: no checksum file lists such a name. */
  entry_name = g_uri_unescape_segment (segment, NULL, "/");
  if (entry_name == NULL || *entry_name == '\0' || g_str_equal (entry_name, ".")
      || g_str_equal (entry_name, "..") || is_checksum_file_name (entry_name))
    return;

  /* "./" keeps a segment such as "a:b.iso" from reading as a scheme. */
  reference = g_strconcat ("./", segment, ".sha256", NULL);
  add_sibling (siblings, base, reference, G_CHECKSUM_SHA256, TRUE, entry_name);
  g_free (reference);
  reference = g_strconcat ("./", segment, ".sha512", NULL);
  add_sibling (siblings, base, reference, G_CHECKSUM_SHA512, TRUE, entry_name);
  add_sibling (siblings, base, "./SHA256SUMS", G_CHECKSUM_SHA256, FALSE, entry_name);
  add_sibling (siblings, base, "./SHA512SUMS", G_CHECKSUM_SHA512, FALSE, entry_name);
}

GPtrArray *
haul_checksum_siblings (const char *uri,
                        const char *final_uri,
                        gint64      size,
                        gboolean    allow_other_hosts)
{
  GPtrArray *siblings =
    g_ptr_array_new_with_free_func ((GDestroyNotify) haul_checksum_sibling_free);
  g_autoptr(GUri) asked = parse_download_uri (uri);
  g_autoptr(GUri) served = parse_download_uri (final_uri);

  if (size < HAUL_CHECKSUM_SIBLING_MIN_SIZE)
    return siblings;

  if (served != NULL)
    add_siblings_of (siblings, served);
  /* The folder asked for, when a redirect led elsewhere: on another host
   * only if allowed, since Haul would otherwise be sending requests to a
   * server the file did not come from. (A sibling's own redirects are the
   * caller's to check the same way.) */
  if (asked != NULL && (served == NULL || allow_other_hosts
                        || g_str_equal (g_uri_get_host (asked), g_uri_get_host (served))))
    add_siblings_of (siblings, asked);
  return siblings;
}
