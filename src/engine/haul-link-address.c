/* haul-link-address.c: one link's text → a normalised http(s) URL
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The normalising that haul-link-parser.c's header describes: GUri reads
 * the link (relative ones against a base), a few of its relaxed readings
 * are refused, and haul_url_parse(), the one URL policy, has the last
 * word, so the host shown is the host the engine connects to.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "haul-link-address.h"
#include "haul-url.h"

#define MAX_LINK_LENGTH       (8 * 1024)
#define URI_FLAGS             (G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE | \
                               G_URI_FLAGS_PARSE_RELAXED)
/* What the parser decodes invalid bytes and NULs to. */
#define REPLACEMENT_CHAR      0xFFFD

static gboolean
has_bad_characters (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || c == REPLACEMENT_CHAR)
        return TRUE;
    }

  return FALSE;
}

/* A '%' that starts no escape becomes "%25", as browsers send it, so the
 * result is a valid URI for every strict parser after us. */
static char *
escape_stray_percent (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' && !(g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2])))
        g_string_append (out, "%25");
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

char *
haul_link_address_normalize (const char  *text,
                             gsize        length,
                             const char  *base_uri,
                             const char **reason)
{
  g_autofree char *string = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) normalized = NULL;
  g_autoptr(GUri) checked = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *built = NULL;
  g_autofree char *host = NULL;
  const char *scheme;

  if (length > MAX_LINK_LENGTH)
    {
      *reason = _("Too long for a link (over 8 KiB)");
      return NULL;
    }

  string = g_strndup (text, length);
  if (!g_utf8_validate (string, -1, NULL) || strlen (string) != length ||
      has_bad_characters (string))
    {
      *reason = _("Contains characters that are not valid text");
      return NULL;
    }

  if (strchr (string, '%') != NULL)
    {
      char *escaped = escape_stray_percent (string);

      g_free (string);
      string = escaped;
    }

  if (base_uri != NULL)
    {
      g_autoptr(GUri) base = g_uri_parse (base_uri, URI_FLAGS, NULL);

      if (base != NULL)
        uri = g_uri_parse_relative (base, string, URI_FLAGS, NULL);
    }
  else
    {
      uri = g_uri_parse (string, URI_FLAGS, NULL);
    }

  if (uri == NULL)
    {
      *reason = _("Not a valid link");
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (!g_str_equal (scheme, "http") && !g_str_equal (scheme, "https"))
    {
      *reason = haul_url_scheme_reason (scheme);
      return NULL;
    }

  /* Nothing to connect to; and GUri cannot write "http:" with a path that
   * starts with "//" back ("http:u/..//x" is one), only a CRITICAL. Found
   * by fuzz-link-parser. */
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      *reason = _("The link has no host name");
      return NULL;
    }

  /* GUri's relaxed mode reads "host;x" as a host and a path ";x"; the
   * RFC reads one host "host;x", which is no valid DNS name. */
  if (g_uri_get_path (uri)[0] != '\0' && g_uri_get_path (uri)[0] != '/')
    {
      *reason = _("The host name in the link is not valid");
      return NULL;
    }

  /* The fragment goes (a server never sees it); then the one URL policy
   * decides, so the host shown here is the host the engine connects to. */
  /* GUri decodes an IPv6 zone ("%25eth0" → "%eth0") even in encoded
   * mode, and builds it back as it is: escape it again. */
  if (strchr (g_uri_get_host (uri), '%') != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (g_uri_get_host (uri), "%", -1);

      host = g_strjoinv ("%25", parts);
    }
  normalized = g_uri_build (URI_FLAGS, scheme, g_uri_get_userinfo (uri),
                            host != NULL ? host : g_uri_get_host (uri),
                            g_uri_get_port (uri), g_uri_get_path (uri), g_uri_get_query (uri),
                            NULL);
  built = g_uri_to_string (normalized);
  checked = haul_url_parse (built, &error);
  if (checked == NULL)
    {
      /* A reason of haul_url_parse() is one of its translated constants. */
      *reason = g_intern_string (error->message);
      return NULL;
    }

  return g_uri_to_string (checked);
}
