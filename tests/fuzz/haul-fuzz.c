/* haul-fuzz.c: what every fuzz target shares
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <libsoup/soup.h>

#include "haul-fuzz.h"
#include "haul-url.h"

/* A CRITICAL or WARNING from GLib or libsoup is a bug found (a NULL
 * message from libsoup once crashed Haul): make it abort, as
 * G_DEBUG=fatal-criticals does for the tests. */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

gboolean
haul_fuzz_has_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

void
haul_fuzz_assert_text (const char *text)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_false (haul_fuzz_has_control (text));
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
  const char *host = g_uri_get_host (uri);

  g_assert_nonnull (host);
  g_assert_cmpstr (host, !=, "");
  g_assert_true (g_str_equal (g_uri_get_scheme (uri), "http")
                 || g_str_equal (g_uri_get_scheme (uri), "https"));
  g_assert_null (g_uri_get_fragment (uri));
  g_assert_false (haul_fuzz_has_control (string));

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
