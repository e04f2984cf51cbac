/* haul-browser-request.c: what the browser asks Haul to download, checked
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both the native host (before it wakes Haul) and the app (any program on
 * the session bus can call its action) run every request through here, so
 * what one accepts the other accepts too. What is refused, and why:
 * - A link that haul-url.c does not accept: only absolute http:// and
 *   https:// URLs with a valid host (not javascript:, file:, data:, blob:
 *   or a bare "www.…"). Haul downloads from web servers only, and a page
 *   must not make it read local files.
 * - A control character in a header value (referrer, user agent, cookies)
 *   or a file name: CR/LF would let a page add headers of its own to the
 *   request ("header injection"), others hide what a name says.
 * - Values longer than HAUL_BROWSER_MAX_HEADER_BYTES, more than
 *   HAUL_BROWSER_MAX_URLS links, a value of the wrong type.
 * - Cookies with links of more than one site: the browser's cookies are
 *   for one origin, and each download would send them to its own.
 * A referrer that is not an http(s) URL (a file:// or about: page) is
 * dropped, not refused: browsers do not send those either.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "haul-browser-request.h"
#include "haul-error.h"
#include "haul-url.h"

/* How much of a refused link an error message shows. */
#define MAX_SHOWN_CHARS 80

G_DEFINE_BOXED_TYPE (HaulBrowserRequest, haul_browser_request,
                     haul_browser_request_copy, haul_browser_request_free)

void
haul_browser_request_free (HaulBrowserRequest *self)
{
  if (self == NULL)
    return;

  g_strfreev (self->urls);
  g_free (self->referrer);
  g_free (self->user_agent);
  g_free (self->cookies);
  g_free (self->file_name);
  g_free (self);
}

HaulBrowserRequest *
haul_browser_request_copy (const HaulBrowserRequest *self)
{
  HaulBrowserRequest *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (HaulBrowserRequest, 1);
  copy->urls = g_strdupv (self->urls);
  copy->referrer = g_strdup (self->referrer);
  copy->user_agent = g_strdup (self->user_agent);
  copy->cookies = g_strdup (self->cookies);
  copy->file_name = g_strdup (self->file_name);
  return copy;
}

/* @text cut to MAX_SHOWN_CHARS characters, for an error message. */
static char *
shorten (const char *text)
{
  g_autofree char *start = NULL;

  if (g_utf8_strlen (text, -1) <= MAX_SHOWN_CHARS)
    return g_strdup (text);

  start = g_utf8_substring (text, 0, MAX_SHOWN_CHARS - 1);
  return g_strconcat (start, "…", NULL);
}

static gboolean
has_control_character (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return TRUE;

  return FALSE;
}

/* The normalised URL (haul-url.c says what is acceptable), or %NULL and
 * an error naming @text. */
static char *
check_url (const char  *text,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *shown = shorten (text);
  g_autoptr(GUri) uri = haul_url_parse (text, &local_error);

  if (uri != NULL)
    return g_uri_to_string (uri);

  /* Translators: %s is a link from the browser, the reason follows. */
  g_set_error (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL, _("“%s” cannot be downloaded: %s"),
               shown, local_error->message);
  return NULL;
}

/* A header value or file name: %NULL for none, or a copy of @value. */
static gboolean
check_text (GVariant    *dict,
            const char  *key,
            char       **out,
            GError     **error)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (dict, key, NULL);
  const char *text;

  *out = NULL;
  if (value == NULL)
    return TRUE;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      /* Translators: %s is the name of a field in the request, e.g. "userAgent". */
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL, _("“%s” in the request must be text"),
                   key);
      return FALSE;
    }

  text = g_variant_get_string (value, NULL);
  if (strlen (text) > HAUL_BROWSER_MAX_HEADER_BYTES)
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                   _("“%s” in the request is too long (over 64 KiB)"), key);
      return FALSE;
    }

  if (has_control_character (text))
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                   _("“%s” in the request contains control characters"), key);
      return FALSE;
    }

  if (text[0] != '\0')
    *out = g_strdup (text);
  return TRUE;
}

static GStrv
check_urls (GVariant  *dict,
            GError   **error)
{
  g_autoptr(GVariant) url = g_variant_lookup_value (dict, "url", NULL);
  g_autoptr(GVariant) urls = g_variant_lookup_value (dict, "urls", NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree const char **texts = NULL;
  gsize n_texts = 0;

  if (url != NULL && !g_variant_is_of_type (url, G_VARIANT_TYPE_STRING))
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL, _("“%s” in the request must be text"),
                   "url");
      return NULL;
    }
  if (urls != NULL && !g_variant_is_of_type (urls, G_VARIANT_TYPE_STRING_ARRAY))
    {
      g_set_error_literal (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                           _("“urls” in the request must be a list of links"));
      return NULL;
    }

  if (urls != NULL)
    texts = g_variant_get_strv (urls, &n_texts);
  if (url != NULL)
    {
      texts = g_renew (const char *, texts, n_texts + 2);
      texts[n_texts++] = g_variant_get_string (url, NULL);
      texts[n_texts] = NULL;
    }

  if (n_texts == 0)
    {
      g_set_error_literal (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL,
                           _("The request names no link to download"));
      return NULL;
    }
  if (n_texts > HAUL_BROWSER_MAX_URLS)
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                   _("Too many links in one request (at most %u)"), HAUL_BROWSER_MAX_URLS);
      return NULL;
    }

  for (gsize i = 0; i < n_texts; i++)
    {
      char *normalized = check_url (texts[i], error);

      if (normalized == NULL)
        return NULL;
      /* A selection often links the same file twice. */
      if (g_hash_table_add (seen, normalized))
        g_strv_builder_add (builder, normalized);
    }

  return g_strv_builder_end (builder);
}

/* The referrer as it goes into a Referer header: an http(s) page only,
 * without credentials (browsers never send them either). */
static char *
referrer_header (char *referrer)
{
  g_autofree char *owned = referrer;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) stripped = NULL;

  if (owned == NULL)
    return NULL;

  uri = haul_url_parse (owned, NULL);
  if (uri == NULL)
    return NULL;

  stripped = haul_url_strip_userinfo (uri);
  return g_uri_to_string (stripped);
}

/* Whether every one of @urls (valid, normalised) has the first one's origin. */
static gboolean
one_origin (GStrv urls)
{
  g_autoptr(GUri) first = haul_url_parse (urls[0], NULL);

  for (guint i = 1; urls[i] != NULL; i++)
    {
      g_autoptr(GUri) other = haul_url_parse (urls[i], NULL);

      if (!haul_url_same_origin (first, other))
        return FALSE;
    }

  return TRUE;
}

/**
 * haul_browser_request_new_from_variant:
 * @dict: an a{sv} with the keys of the extension's message
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the checked request, or %NULL with
 *   a translated error
 */
HaulBrowserRequest *
haul_browser_request_new_from_variant (GVariant  *dict,
                                       GError   **error)
{
  g_autoptr(HaulBrowserRequest) self = NULL;
  char *referrer = NULL;

  g_return_val_if_fail (dict != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error_literal (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                           _("The request is not a list of named values"));
      return NULL;
    }

  self = g_new0 (HaulBrowserRequest, 1);
  self->urls = check_urls (dict, error);
  if (self->urls == NULL)
    return NULL;

  if (!check_text (dict, "referrer", &referrer, error) ||
      !check_text (dict, "userAgent", &self->user_agent, error) ||
      !check_text (dict, "cookies", &self->cookies, error) ||
      !check_text (dict, "filename", &self->file_name, error))
    return NULL;
  self->referrer = referrer_header (referrer);

  if (self->cookies != NULL && !one_origin (self->urls))
    {
      g_set_error_literal (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                           _("Cookies can only be given for links of one site"));
      return NULL;
    }

  if (self->file_name != NULL && g_strv_length (self->urls) > 1)
    {
      g_set_error_literal (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                           _("A file name can only be given for a single link"));
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * haul_browser_request_to_variant:
 *
 * Returns: (transfer floating): the a{sv} the app action takes
 */
GVariant *
haul_browser_request_to_variant (const HaulBrowserRequest *self)
{
  GVariantDict dict;

  g_return_val_if_fail (self != NULL, NULL);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert_value (&dict, "urls",
                               g_variant_new_strv ((const char * const *) self->urls, -1));
  if (self->referrer != NULL)
    g_variant_dict_insert (&dict, "referrer", "s", self->referrer);
  if (self->user_agent != NULL)
    g_variant_dict_insert (&dict, "userAgent", "s", self->user_agent);
  if (self->cookies != NULL)
    g_variant_dict_insert (&dict, "cookies", "s", self->cookies);
  if (self->file_name != NULL)
    g_variant_dict_insert (&dict, "filename", "s", self->file_name);
  return g_variant_dict_end (&dict);
}
