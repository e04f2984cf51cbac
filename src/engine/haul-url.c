/* haul-url.c: the one policy for the web addresses Haul accepts
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every address Haul shows, stores or connects to goes through
 * haul_url_parse() (the link parser, the queue, the transfer, redirects),
 * so the host a person sees is the host the engine connects to:
 * - One parser: GUri with libsoup's flags for HTTP. The user name and
 *   password are decoded once, by GUri, and never again.
 * - An authority with several "@" is read the way browsers read it: the
 *   last "@" ends the user information ("http://a@evil@good/" is the host
 *   "good"). The others are escaped before GUri sees them, so no later
 *   parser can split the same text differently.
 * - The host must be non-empty and valid: a DNS name, an IPv4 address, or
 *   an IPv6 address with an optional zone ("[fe80::1%25eth0]"). libsoup
 *   asserts on an empty host (soup_message_new_from_uri returns NULL): a
 *   redirect to "//" used to crash the process.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "haul-error.h"
#include "haul-url.h"

#define MAX_HOST_LENGTH  253
#define MAX_LABEL_LENGTH 63

/* Why a link of @scheme is refused, untranslated (N_()). */
static const char *
scheme_reason_msgid (const char *scheme)
{
  if (scheme == NULL)
    return N_("Not a valid link");
  if (g_ascii_strcasecmp (scheme, "ftp") == 0 || g_ascii_strcasecmp (scheme, "ftps") == 0
      || g_ascii_strcasecmp (scheme, "sftp") == 0)
    return N_("FTP links are not supported, only http and https");
  if (g_ascii_strcasecmp (scheme, "file") == 0)
    return N_("Local files cannot be downloaded");
  if (g_ascii_strcasecmp (scheme, "javascript") == 0)
    return N_("A script, not a link to a file");
  if (g_ascii_strcasecmp (scheme, "mailto") == 0)
    return N_("An e-mail address, not a link to a file");
  if (g_ascii_strcasecmp (scheme, "magnet") == 0)
    return N_("Magnet links are not supported");
  if (g_ascii_strcasecmp (scheme, "data") == 0)
    return N_("Embedded data, not a link to a file");

  return N_("Only http and https links can be downloaded");
}

const char *
haul_url_scheme_reason (const char *scheme)
{
  return _(scheme_reason_msgid (scheme));
}

static gboolean
is_http_scheme (const char *scheme)
{
  return scheme != NULL
         && (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0);
}

/* RFC 6874: a zone is unreserved characters, at least one. */
static gboolean
is_valid_zone (const char *zone)
{
  if (*zone == '\0')
    return FALSE;
  for (const char *p = zone; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._~", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
is_valid_ipv6 (const char *host)
{
  const char *percent = strchr (host, '%');
  g_autofree char *address = g_strndup (host, percent ? (gsize) (percent - host) : strlen (host));
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);

  if (inet == NULL || g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV6)
    return FALSE;
  return percent == NULL || is_valid_zone (percent + 1);
}

/* DNS names (letters, digits, '-', '_' in labels of at most 63 bytes,
 * dots between them, an optional final dot) or IP addresses. GUri has
 * already turned an IDN host into punycode. */
static gboolean
is_valid_host (const char *host)
{
  gsize label = 0;

  if (host == NULL || *host == '\0' || strlen (host) > MAX_HOST_LENGTH + 1)
    return FALSE;
  if (strchr (host, ':') != NULL)
    return is_valid_ipv6 (host);

  for (const char *p = host; *p != '\0'; p++)
    {
      if (*p == '.')
        {
          if (label == 0)
            return FALSE;
          label = 0;
          continue;
        }
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return FALSE;
      if (label == 0 && *p == '-')
        return FALSE;
      if (++label > MAX_LABEL_LENGTH)
        return FALSE;
    }
  return TRUE;
}

/* GUri decodes the user name and password and writes them back with
 * UTF-8 unescaped: a "%C2%85" (a C1 control) or "%E2%80%AE" (a bidi
 * override) would come back raw in the URL, into every place it is shown.
 * Found by tests/fuzz/fuzz-link-parser.c. */
static gboolean
is_safe_userinfo (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (haul_error_is_invisible_char (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* Escapes every "@" of the authority but the last, which is where the
 * user information ends. Returns NULL when there is nothing to change. */
static char *
escape_extra_at_signs (const char *text)
{
  const char *start = strstr (text, "//");
  const char *end;
  const char *last_at = NULL;
  guint n_at = 0;
  GString *out;

  if (start == NULL)
    return NULL;
  /* "//" must begin the authority: after "scheme:" or at the start. */
  if (start != text && (start[-1] != ':' || g_uri_peek_scheme (text) == NULL))
    return NULL;
  start += 2;
  end = start + strcspn (start, "/?#");
  for (const char *p = start; p < end; p++)
    if (*p == '@')
      {
        n_at++;
        last_at = p;
      }
  if (n_at < 2)
    return NULL;

  out = g_string_new_len (text, start - text);
  for (const char *p = start; *p != '\0'; p++)
    {
      if (*p == '@' && p < last_at)
        g_string_append (out, "%40");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* @reason: a msgid, translated again wherever the error is shown. */
static gboolean
set_invalid (GError     **error,
             const char  *reason)
{
  haul_set_error_literal (error, HAUL_ERROR_INVALID_URL, reason);
  return FALSE;
}

/* Checks what GUri parsed and builds the normal form. */
static GUri *
normalize (GUri    *uri,
           GError **error)
{
  g_autofree char *host = NULL;
  const char *path;

  if (!is_http_scheme (g_uri_get_scheme (uri)))
    {
      set_invalid (error, scheme_reason_msgid (g_uri_get_scheme (uri)));
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      set_invalid (error, N_("The link has no host name"));
      return NULL;
    }

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (!is_valid_host (host))
    {
      set_invalid (error, N_("The host name in the link is not valid"));
      return NULL;
    }

  if (!is_safe_userinfo (g_uri_get_user (uri)) || !is_safe_userinfo (g_uri_get_password (uri)))
    {
      set_invalid (error, _("Contains characters that are not valid text"));
      return NULL;
    }

  path = g_uri_get_path (uri);
  /* "http://host;x" reads as a host and a path ";x" to GUri; the RFC reads
   * one host "host;x", which is no valid name. */
  if (path[0] != '\0' && path[0] != '/')
    {
      set_invalid (error, N_("The host name in the link is not valid"));
      return NULL;
    }

  return g_uri_build_with_user (SOUP_HTTP_URI_FLAGS,
                                g_uri_get_scheme (uri),
                                g_uri_get_user (uri), g_uri_get_password (uri), NULL,
                                host, g_uri_get_port (uri),
                                path[0] != '\0' ? path : "/",
                                g_uri_get_query (uri), NULL);
}

static GUri *
parse_checked (GUri        *base,
               const char  *text,
               GError     **error)
{
  g_autofree char *escaped = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local = NULL;

  if (text == NULL || *text == '\0')
    {
      set_invalid (error, N_("The link is empty"));
      return NULL;
    }
  if (strlen (text) > HAUL_URL_MAX_LENGTH)
    {
      set_invalid (error, N_("Too long for a link (over 8 KiB)"));
      return NULL;
    }
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      {
        set_invalid (error, N_("Contains characters that are not valid text"));
        return NULL;
      }

  escaped = escape_extra_at_signs (text);
  if (escaped != NULL)
    text = escaped;

  if (base != NULL)
    uri = g_uri_parse_relative (base, text, SOUP_HTTP_URI_FLAGS, &local);
  else
    uri = g_uri_parse (text, SOUP_HTTP_URI_FLAGS, &local);
  if (uri == NULL)
    {
      const char *scheme = g_uri_peek_scheme (text);

      /* A scheme we do not take says more than "not valid". */
      set_invalid (error, scheme != NULL && !is_http_scheme (scheme)
                            ? scheme_reason_msgid (scheme)
                            : N_("Not a valid link"));
      return NULL;
    }

  return normalize (uri, error);
}

/**
 * haul_url_parse:
 * @text: what the user, a page or a server gave
 *
 * Returns: (transfer full) (nullable): the normalised URL
 */
GUri *
haul_url_parse (const char  *text,
                GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse_checked (NULL, text, error);
}

GUri *
haul_url_parse_relative (GUri        *base,
                         const char  *text,
                         GError     **error)
{
  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse_checked (base, text, error);
}

GUri *
haul_url_resolve_redirect (GUri        *from,
                           const char  *location,
                           GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GUri) next = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (from != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A server's text, shown in an error. */
  shown = haul_error_printable (location, location != NULL ? -1 : 0, '?');

  next = parse_checked (from, location, &local);
  if (next == NULL)
    {
      haul_set_error_because (error, HAUL_ERROR_REDIRECT, local,
                              /* Translators: the address a server redirected to, then why
                               * it is refused */
                              "The server redirected to “%s”, which cannot be downloaded: %s",
                              shown, local->message);
      return NULL;
    }

  if (g_ascii_strcasecmp (g_uri_get_scheme (from), "https") == 0
      && g_ascii_strcasecmp (g_uri_get_scheme (next), "http") == 0)
    {
      haul_set_error (error, HAUL_ERROR_REDIRECT,
                      "The server redirected from a secure address to an insecure one (%s)",
                      shown);
      return NULL;
    }

  return g_steal_pointer (&next);
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

gboolean
haul_url_same_origin (GUri *a,
                      GUri *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0
         && g_uri_get_host (a) != NULL && g_uri_get_host (b) != NULL
         && g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0
         && effective_port (a) == effective_port (b);
}

GUri *
haul_url_strip_userinfo (GUri *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);

  return soup_uri_copy (uri, SOUP_URI_USER, NULL, SOUP_URI_PASSWORD, NULL, SOUP_URI_NONE);
}

char *
haul_url_dup_authorization (GUri *uri)
{
  const char *user;
  const char *password;
  g_autofree char *pair = NULL;
  g_autofree char *b64 = NULL;

  g_return_val_if_fail (uri != NULL, NULL);

  /* Decoded by GUri already (SOUP_HTTP_URI_FLAGS has no ENCODED_USER):
   * "p%2541ss" is sent as "p%41ss", never "pAss". */
  user = g_uri_get_user (uri);
  if (user == NULL || *user == '\0')
    return NULL;
  password = g_uri_get_password (uri) != NULL ? g_uri_get_password (uri) : "";

  pair = g_strdup_printf ("%s:%s", user, password);
  b64 = g_base64_encode ((const guchar *) pair, strlen (pair));
  return g_strdup_printf ("Basic %s", b64);
}

char *
haul_url_redact (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) bare = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  uri = haul_url_parse (text, NULL);
  if (uri == NULL)
    {
      /* Not an address we take, but it may still carry a password. */
      const char *start = strstr (text, "//");
      const char *end = start != NULL ? start + 2 + strcspn (start + 2, "/?#") : NULL;
      const char *at = end != NULL ? g_strrstr_len (start, end - start, "@") : NULL;

      if (at == NULL)
        return g_strdup (text);
      return g_strdup_printf ("%.*s%s", (int) (start + 2 - text), text, at + 1);
    }
  if (g_uri_get_user (uri) == NULL)
    return g_uri_to_string (uri);
  bare = haul_url_strip_userinfo (uri);
  return g_uri_to_string (bare);
}
