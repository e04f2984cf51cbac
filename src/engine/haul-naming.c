/* haul-naming.c: safe file names for downloads
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "haul-naming.h"

/* NAME_MAX of every filesystem Haul writes to. */
#define MAX_NAME_BYTES 255
/* A longer "extension" is just part of the name. */
#define MAX_EXTENSION_BYTES 32

#define FALLBACK_NAME "download"

/* Control, format (bidi overrides and isolates, LRM/RLM, zero-width
 * joiners…), line/paragraph separators and surrogates never belong in a
 * name shown to a person: they hide or reorder what the name says. */
static gboolean
is_unsafe_char (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SURROGATE:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Percent-decodes a URL's path segment when it is validly encoded; one
 * with a stray "%" (or an encoded NUL) is kept as it came. Only URL
 * segments are decoded, exactly once: a name from Content-Disposition is
 * already decoded by libsoup (filename*), and "100%2525.txt" must not
 * become "100%.txt". */
static char *
percent_decode (const char *name)
{
  char *decoded = g_uri_unescape_string (name, NULL);

  return decoded != NULL ? decoded : g_strdup (name);
}

/* A cut can leave a space or a dot at the end of the stem: "aaa .iso".
 * Trimmed, so that sanitising a sanitised name changes nothing. */
static gsize
trim_stem (const char *stem,
           gsize       length)
{
  while (length > 0 && (stem[length - 1] == ' ' || stem[length - 1] == '.'))
    length--;
  return length;
}

/* The last non-empty component, splitting on both kinds of slash. */
static char *
last_component (const char *name)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *unified = g_strdup (name);

  g_strdelimit (unified, "\\", '/');
  parts = g_strsplit (unified, "/", -1);
  for (int i = g_strv_length (parts) - 1; i >= 0; i--)
    if (parts[i][0] != '\0')
      return g_strdup (parts[i]);
  return g_strdup ("");
}

static char *
strip_unsafe (const char *name)
{
  GString *out = g_string_sized_new (strlen (name));

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!is_unsafe_char (c))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* Where the extension starts ("file.tar.gz" → ".tar.gz", "a.txt" →
 * ".txt"), or the end of @name when there is none. */
static const char *
find_extension (const char *name)
{
  const char *dot = strrchr (name, '.');
  gsize length;

  if (dot == NULL || dot == name)
    return name + strlen (name);
  length = strlen (dot);
  if (length < 2 || length > MAX_EXTENSION_BYTES || strchr (dot, ' ') != NULL)
    return name + strlen (name);

  /* Keep a compressed tarball's double extension together. */
  if (dot - name > 4 && g_ascii_strncasecmp (dot - 4, ".tar", 4) == 0)
    return dot - 4;
  return dot;
}

/* At most @max_bytes of @text, cut on a character boundary. */
static gsize
utf8_fit (const char *text,
          gsize       max_bytes)
{
  const char *end = text;

  while (*end != '\0')
    {
      const char *next = g_utf8_next_char (end);

      if ((gsize) (next - text) > max_bytes)
        break;
      end = next;
    }
  return end - text;
}

/* "stem" + @infix + "ext", shortening the stem so the whole fits in
 * MAX_NAME_BYTES. */
static char *
compose (const char *name,
         const char *infix)
{
  const char *ext = find_extension (name);
  gsize ext_len = strlen (ext);
  gsize infix_len = strlen (infix);
  gsize stem_len = ext - name;

  if (ext_len + infix_len + 1 > MAX_NAME_BYTES)
    {
      /* No room for the extension: treat it as part of the stem. */
      ext = name + strlen (name);
      ext_len = 0;
      stem_len = strlen (name);
    }

  if (stem_len + infix_len + ext_len > MAX_NAME_BYTES)
    {
      g_autofree char *stem = g_strndup (name, stem_len);

      stem_len = trim_stem (name, utf8_fit (stem, MAX_NAME_BYTES - infix_len - ext_len));
      if (stem_len == 0)
        {
          /* Only dots and spaces fit: the stem is the fallback. */
          return g_strdup_printf ("%s%s%s", FALLBACK_NAME, infix, ext);
        }
    }

  return g_strdup_printf ("%.*s%s%s", (int) stem_len, name, infix, ext);
}

char *
haul_naming_sanitize (const char *name)
{
  g_autofree char *valid = NULL;
  g_autofree char *component = NULL;
  g_autofree char *clean = NULL;
  const char *start;

  if (name == NULL)
    return g_strdup (FALLBACK_NAME);

  valid = g_utf8_make_valid (name, -1);
  component = last_component (valid);
  clean = strip_unsafe (component);
  g_strstrip (clean);

  /* No hidden files, and never "." or "..". */
  start = clean;
  while (*start == '.' || g_ascii_isspace (*start))
    start++;
  if (*start == '\0')
    return g_strdup (FALLBACK_NAME);

  return compose (start, "");
}

char *
haul_naming_numbered (const char *name,
                      guint       n)
{
  g_autofree char *infix = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  if (n == 0)
    return g_strdup (name);
  infix = g_strdup_printf (" (%u)", n);
  return compose (name, infix);
}

/* Chromium's placeholder while "Save" is not confirmed: "Unconfirmed"
 * followed by a space and digits only. */
static gboolean
is_unconfirmed (const char *stem)
{
  const char *p;

  if (!g_str_has_prefix (stem, "Unconfirmed "))
    return FALSE;
  p = stem + strlen ("Unconfirmed ");
  if (*p == '\0')
    return FALSE;
  for (; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

gboolean
haul_naming_browser_partial (const char  *name,
                             char       **final_name)
{
  static const char * const suffixes[] = { ".part", ".crdownload" };
  gsize length;

  g_return_val_if_fail (name != NULL, FALSE);

  if (final_name != NULL)
    *final_name = NULL;
  length = strlen (name);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      gsize suffix_length = strlen (suffixes[i]);
      g_autofree char *stem = NULL;

      /* ".part" alone is a hidden file, not a download of something. */
      if (length <= suffix_length || !g_str_has_suffix (name, suffixes[i]))
        continue;
      stem = g_strndup (name, length - suffix_length);
      if (final_name != NULL && !(i == 1 && is_unconfirmed (stem)))
        *final_name = g_steal_pointer (&stem);
      return TRUE;
    }
  return FALSE;
}

static char *
name_from_uri (GUri *uri)
{
  const char *path;
  const char *slash;

  if (uri == NULL)
    return NULL;
  path = g_uri_get_path (uri);
  if (path == NULL || *path == '\0')
    return NULL;
  /* Decoded once, before sanitising splits on slashes: "a%2F..%2Fb"
   * cannot smuggle a slash past the split. */
  slash = strrchr (path, '/');
  return percent_decode (slash != NULL ? slash + 1 : path);
}

char *
haul_naming_from_response (SoupMessageHeaders *headers,
                           GUri               *final_uri)
{
  g_autofree char *from_uri = NULL;

  if (headers != NULL)
    {
      g_autoptr(GHashTable) params = NULL;
      g_autofree char *disposition = NULL;

      /* libsoup decodes filename* (RFC 5987) and lets it win over
       * filename, both stored under "filename". */
      if (soup_message_headers_get_content_disposition (headers, &disposition, &params))
        {
          const char *filename = g_hash_table_lookup (params, "filename");

          if (filename != NULL && *filename != '\0')
            {
              char *name = haul_naming_sanitize (filename);

              if (!g_str_equal (name, FALLBACK_NAME) || g_str_equal (filename, FALLBACK_NAME))
                return name;
              g_free (name);
            }
        }
    }

  from_uri = name_from_uri (final_uri);
  if (from_uri != NULL && *from_uri != '\0')
    return haul_naming_sanitize (from_uri);

  return g_strdup (FALLBACK_NAME);
}
