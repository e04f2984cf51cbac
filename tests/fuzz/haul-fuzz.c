/* haul-fuzz.c: what every fuzz target shares
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <libsoup/soup.h>

#include "haul-fuzz.h"
#include "haul-url.h"

/* A CRITICAL or WARNING from GLib or libsoup is a bug found (a NULL
 * message from libsoup once crashed Haul), as with G_DEBUG=fatal-criticals
 * in the tests. abort(), not GLib's G_BREAKPOINT(): libFuzzer saves the
 * input on SIGABRT, but not on SIGTRAP. */
static GLogWriterOutput
abort_on_warnings (GLogLevelFlags   log_level,
                   const GLogField *fields,
                   gsize            n_fields,
                   gpointer         user_data)
{
  g_log_writer_default (log_level, fields, n_fields, user_data);
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return G_LOG_WRITER_HANDLED;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_log_set_writer_func (abort_on_warnings, NULL, NULL);
  return 0;
}

/* Control (C0, DEL, C1), format (bidi overrides, zero-width), line and
 * paragraph separators, surrogates: nothing a person should be shown.
 * Written here again, not haul_error_is_invisible_char(): the oracle
 * must not share the code it checks. */
static gboolean
is_unsafe (gunichar c)
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

void
haul_fuzz_assert_text (const char *text)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (is_unsafe (g_utf8_get_char (p)))
      g_error ("U+%04X in the text “%s”", g_utf8_get_char (p), text);
}

void
haul_fuzz_assert_url_text (const char *text)
{
  haul_fuzz_assert_text (text);
  g_assert_null (strchr (text, ' '));
}

void
haul_fuzz_assert_url (GUri *uri)
{
  g_autoptr(GUri) again = NULL;
  g_autoptr(GUri) bare = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *string = g_uri_to_string (uri);
  g_autofree char *string_again = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *without_userinfo = NULL;
  const char *host = g_uri_get_host (uri);

  g_assert_nonnull (host);
  g_assert_cmpstr (host, !=, "");
  g_assert_true (g_str_equal (g_uri_get_scheme (uri), "http")
                 || g_str_equal (g_uri_get_scheme (uri), "https"));
  g_assert_null (g_uri_get_fragment (uri));
  haul_fuzz_assert_url_text (string);
  /* Past the user information (which GUri writes back as UTF-8), a URL
   * is printable ASCII. */
  without_userinfo = g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO);
  for (const char *p = without_userinfo; *p != '\0'; p++)
    g_assert_true ((guchar) *p > 0x20 && (guchar) *p < 0x7f);

  again = haul_url_parse (string, &error);
  g_assert_no_error (error);
  string_again = g_uri_to_string (again);
  g_assert_cmpstr (string_again, ==, string);
  g_assert_cmpstr (g_uri_get_host (again), ==, host);
  g_assert_true (haul_url_same_origin (uri, again));

  bare = haul_url_strip_userinfo (uri);
  g_assert_null (g_uri_get_user (bare));
  g_assert_null (g_uri_get_password (bare));
  g_assert_cmpstr (g_uri_get_host (bare), ==, host);
  message = soup_message_new_from_uri (SOUP_METHOD_GET, bare);
  g_assert_nonnull (message);

  authorization = haul_url_dup_authorization (uri);
  if (authorization != NULL)
    {
      g_assert_true (g_str_has_prefix (authorization, "Basic "));
      g_assert_nonnull (g_uri_get_user (uri));
    }
}
