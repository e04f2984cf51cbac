/* fuzz-url.c: the one URL policy (haul-url.c)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is one address, as a person, a page or a server's Location
 * header gives it (up to the first NUL). Invariants:
 * - whatever haul_url_parse() accepts has a non-empty host, and libsoup
 *   can make a request of it without its user information (a NULL message
 *   once crashed Haul);
 * - its string form parses back to the same string and the same host,
 *   and is the same origin as itself;
 * - a refusal is HAUL_ERROR_INVALID_URL with a readable message;
 * - a redirect to it from two bases follows the same rules, never leads
 *   from https to http, and a refusal says so in readable text;
 * - haul_url_redact() leaves no user name in anything it can parse.
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "haul-error.h"
#include "haul-fuzz.h"
#include "haul-url.h"

static const char *const bases[] = {
  "https://user:secret@example.com/dir/file.iso?x=1",
  "http://[::1]:8080/a/b/",
};

static void
check_refused (GError     *error,
               int         code)
{
  g_assert_error (error, HAUL_ERROR, code);
  g_assert_cmpstr (error->message, !=, "");
  haul_fuzz_assert_text (error->message);
}

static void
check_redirect (const char *base_text,
                const char *location)
{
  g_autoptr(GUri) base = haul_url_parse (base_text, NULL);
  g_autoptr(GUri) next = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (base);
  next = haul_url_resolve_redirect (base, location, &error);
  if (next == NULL)
    {
      check_refused (error, HAUL_ERROR_REDIRECT);
      return;
    }

  g_assert_no_error (error);
  haul_fuzz_assert_url (next);
  g_assert_false (g_str_equal (g_uri_get_scheme (base), "https")
                  && g_str_equal (g_uri_get_scheme (next), "http"));
}

static void
check_redact (const char *text)
{
  g_autofree char *redacted = haul_url_redact (text);
  g_autoptr(GUri) parsed = haul_url_parse (redacted, NULL);

  if (parsed != NULL)
    {
      g_assert_null (g_uri_get_user (parsed));
      g_assert_null (g_uri_get_password (parsed));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;

  uri = haul_url_parse (text, &error);
  if (uri != NULL)
    {
      g_assert_no_error (error);
      haul_fuzz_assert_url (uri);
    }
  else
    {
      check_refused (error, HAUL_ERROR_INVALID_URL);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    check_redirect (bases[i], text);
  check_redact (text);

  return 0;
}
