/* test-url.c: the one URL policy (haul-url.c)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include "haul-error.h"
#include "haul-link-parser.h"
#include "haul-url.h"

static char *
parse_to_string (const char *text)
{
  g_autoptr(GUri) uri = haul_url_parse (text, NULL);

  return uri != NULL ? g_uri_to_string (uri) : NULL;
}

static void
test_accepts_and_normalizes (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { "http://example.com", "http://example.com/" },
    { "HTTPS://Example.COM/A?b=C", "https://example.com/A?b=C" },
    { "http://example.com:80/x", "http://example.com/x" },
    { "https://example.com:8443/x", "https://example.com:8443/x" },
    { "http://example.com/a#frag", "http://example.com/a" },
    { "http://127.0.0.1:8080/f", "http://127.0.0.1:8080/f" },
    { "http://[::1]:8080/f", "http://[::1]:8080/f" },
    /* IPv6 zone ids (RFC 6874) are addresses too. */
    { "http://[fe80::1%25eth0]/x", "http://[fe80::1%25eth0]/x" },
    { "http://example.com./x", "http://example.com./x" },
    { "http://a_b.example.com/", "http://a_b.example.com/" },
    { "http://%65xample.com/", "http://example.com/" },
    { "http://example.com/%20space%2Fkept", "http://example.com/%20space%2Fkept" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = parse_to_string (cases[i].in);

      g_test_message ("%s", cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_rejects (void)
{
  const struct { const char *in; const char *reason; } cases[] = {
    /* The fuzz findings: empty hosts crashed libsoup. */
    { "http://", "The link has no host name" },
    { "https:///x", "The link has no host name" },
    { "http://:80/", "The link has no host name" },
    { "http://[::0%%%]:88/", "Not a valid link" },
    { "http://[::1%]/", "Not a valid link" },
    { "//", "Not a valid link" },
    { "", "The link is empty" },
    { "ftp://example.com/f", "FTP links are not supported, only http and https" },
    { "file:///etc/passwd", "Local files cannot be downloaded" },
    { "javascript:alert(1)", "A script, not a link to a file" },
    { "data:,x", "Embedded data, not a link to a file" },
    { "gopher://x/", "Only http and https links can be downloaded" },
    { "http://a b/", "The host name in the link is not valid" },
    { "http://-bad.example/", "The host name in the link is not valid" },
    { "http://a..b/", "The host name in the link is not valid" },
    { "http://host;x/", "The host name in the link is not valid" },
    { "http://h:99999/", "Not a valid link" },
    { "http://ex%00ample/", "Not a valid link" },
    { "http://exa\tmple/", "Contains characters that are not valid text" },
    /* Fuzz findings: decoded user information came back raw into the URL. */
    { "http://u%E2%80%AEexe.txt:p@example.com/f", "Contains characters that are not valid text" },
    { "http://u:p%C2%85@example.com/f", "Contains characters that are not valid text" },
    { "http://u%0A@example.com/f", "Contains characters that are not valid text" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GUri) uri = haul_url_parse (cases[i].in, &error);

      g_test_message ("%s", cases[i].in);
      g_assert_null (uri);
      g_assert_error (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL);
      g_assert_cmpstr (error->message, ==, cases[i].reason);
    }
}

static void
test_overlong_label (void)
{
  g_autofree char *label = g_strnfill (64, 'a');
  g_autofree char *bad = g_strdup_printf ("http://%s.example/", label);
  g_autofree char *ok = g_strdup_printf ("http://%.*s.example/", 63, label);
  g_autofree char *long_path = g_strnfill (9000, 'x');
  g_autofree char *huge = g_strdup_printf ("http://example.com/%s", long_path);
  g_autoptr(GUri) good = haul_url_parse (ok, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) none = haul_url_parse (bad, &error);

  g_assert_nonnull (good);
  g_assert_null (none);
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL);
  g_assert_null (haul_url_parse (huge, NULL));
}

/* "http://a@b@c/": the last "@" ends the user information, for the link
 * parser and the engine alike (they used to disagree: "c" shown,
 * "b@c" connected to). */
static void
test_several_at_signs (void)
{
  g_autoptr(GUri) uri = haul_url_parse ("http://a@evil@good/", NULL);
  g_autoptr(GUri) again = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (uri);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "good");
  g_assert_cmpstr (g_uri_get_user (uri), ==, "a@evil");

  /* Its string form parses to the same host, by any parser. */
  text = g_uri_to_string (uri);
  g_assert_cmpstr (text, ==, "http://a%40evil@good/");
  again = g_uri_parse (text, SOUP_HTTP_URI_FLAGS, NULL);
  g_assert_cmpstr (g_uri_get_host (again), ==, "good");

  g_clear_pointer (&uri, g_uri_unref);
  uri = haul_url_parse ("http://u:p@ss@host.example/x@y", NULL);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "host.example");
  g_assert_cmpstr (g_uri_get_password (uri), ==, "p@ss");
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/x@y");
}

/* Credentials are decoded exactly once. */
static void
test_authorization (void)
{
  g_autoptr(GUri) uri = haul_url_parse ("http://user:p%2541ss@h.example/", NULL);
  g_autoptr(GUri) bare = NULL;
  g_autofree char *auth = haul_url_dup_authorization (uri);
  g_autofree char *expected_b64 = g_base64_encode ((const guchar *) "user:p%41ss", 11);
  g_autofree char *expected = g_strdup_printf ("Basic %s", expected_b64);
  g_autoptr(GUri) none = haul_url_parse ("http://h.example/", NULL);

  g_assert_cmpstr (auth, ==, expected);
  g_assert_null (haul_url_dup_authorization (none));

  bare = haul_url_strip_userinfo (uri);
  g_assert_null (g_uri_get_user (bare));
  g_assert_null (g_uri_get_password (bare));
}

static void
test_redact (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { "http://user:secret@h.example/f", "http://h.example/f" },
    { "http://h.example/f", "http://h.example/f" },
    { "ftp://user:secret@h.example/f", "ftp://h.example/f" },
    { "not a link", "not a link" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = haul_url_redact (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_same_origin (void)
{
  g_autoptr(GUri) a = haul_url_parse ("http://h.example/x", NULL);
  g_autoptr(GUri) b = haul_url_parse ("http://H.EXAMPLE:80/y", NULL);
  g_autoptr(GUri) c = haul_url_parse ("https://h.example/x", NULL);
  g_autoptr(GUri) d = haul_url_parse ("http://h.example:81/x", NULL);
  g_autoptr(GUri) e = haul_url_parse ("http://other.example/x", NULL);

  g_assert_true (haul_url_same_origin (a, b));
  g_assert_false (haul_url_same_origin (a, c));
  g_assert_false (haul_url_same_origin (a, d));
  g_assert_false (haul_url_same_origin (a, e));
}

static void
test_redirects (void)
{
  g_autoptr(GUri) from = haul_url_parse ("http://h.example/a/b", NULL);
  g_autoptr(GUri) secure = haul_url_parse ("https://h.example/a/b", NULL);
  const struct { const char *location; const char *out; } good[] = {
    { "/c", "http://h.example/c" },
    { "c", "http://h.example/a/c" },
    { "//other.example/x", "http://other.example/x" },
    { "https://s.example/x", "https://s.example/x" },
    { "http://a@evil@good/", "http://a%40evil@good/" },
  };
  /* Every form of an empty host (the crash of issue #8), other schemes. */
  const char *bad[] = { "//", "http://", "https:///x", "http://:80/", "///x", "ftp://x/",
                        "", "http://[::0%%%]:88/", "javascript:x" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GUri) next = haul_url_resolve_redirect (from, good[i].location, NULL);
      g_autofree char *text = next != NULL ? g_uri_to_string (next) : NULL;

      g_test_message ("%s", good[i].location);
      g_assert_cmpstr (text, ==, good[i].out);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GUri) next = haul_url_resolve_redirect (from, bad[i], &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (next);
      g_assert_error (error, HAUL_ERROR, HAUL_ERROR_REDIRECT);
    }

  /* Never from https down to http. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GUri) next = haul_url_resolve_redirect (secure, "http://h.example/", &error);

    g_assert_null (next);
    g_assert_error (error, HAUL_ERROR, HAUL_ERROR_REDIRECT);
  }

  /* A NULL Location is an error, not a crash. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (haul_url_resolve_redirect (from, NULL, &error));
    g_assert_error (error, HAUL_ERROR, HAUL_ERROR_REDIRECT);
  }

  /* Fuzz finding: the Location in the message kept C1 controls and bidi
   * overrides (only C0 controls were replaced). */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (haul_url_resolve_redirect (from, "j\x01\xc2\x9f\xe2\x80\xae", &error));
    g_assert_error (error, HAUL_ERROR, HAUL_ERROR_REDIRECT);
    g_assert_cmpstr (error->message, ==,
                     "The server redirected to “j???”, which cannot be downloaded: "
                     "Contains characters that are not valid text");
  }
}

/* Whatever haul_url_parse() accepts, libsoup can build a message from. */
static void
test_soup_accepts_everything_we_accept (void)
{
  const char *texts[] = { "http://h.example/", "http://[fe80::1%25eth0]:8/x", "http://a@b@c/",
                          "https://xn--bcher-kva.example/", "http://1.2.3.4/?q" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GUri) uri = haul_url_parse (texts[i], NULL);
      g_autoptr(GUri) bare = NULL;
      g_autoptr(SoupMessage) msg = NULL;

      g_assert_nonnull (uri);
      bare = haul_url_strip_userinfo (uri);
      msg = soup_message_new_from_uri (SOUP_METHOD_GET, bare);
      g_assert_nonnull (msg);
    }
}

/* Issue #8, item 5: the link parser showed one host and the engine
 * connected to another. Whatever the parser accepts, the engine reads
 * to the same host; what one refuses, the other refuses. */
static void
test_link_parser_agrees (void)
{
  const struct { const char *in; const char *host; } cases[] = {
    { "http://a@evil@good/", "good" },
    { "http://u:p@ss@host.example/f", "host.example" },
    { "http://[fe80::1%25eth0]:88/x", "fe80::1%eth0" },
    { "http://[::1]/", "::1" },
    { "http://EXAMPLE.com/", "example.com" },
    { "http://[::0%%%]:88/", NULL },
    { "http://", NULL },
    { "http://:80/", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normal = haul_link_normalize (cases[i].in, NULL);
      g_autoptr(GUri) direct = haul_url_parse (cases[i].in, NULL);

      g_test_message ("%s", cases[i].in);
      if (cases[i].host == NULL)
        {
          g_assert_null (normal);
          g_assert_null (direct);
          continue;
        }

      {
        g_autoptr(GUri) engine = haul_url_parse (normal, NULL);

        g_assert_nonnull (engine);
        g_assert_cmpstr (g_uri_get_host (engine), ==, cases[i].host);
        g_assert_cmpstr (g_uri_get_host (direct), ==, cases[i].host);
      }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/engine/url/accepts", test_accepts_and_normalizes);
  g_test_add_func ("/haul/engine/url/rejects", test_rejects);
  g_test_add_func ("/haul/engine/url/overlong", test_overlong_label);
  g_test_add_func ("/haul/engine/url/several-at-signs", test_several_at_signs);
  g_test_add_func ("/haul/engine/url/authorization", test_authorization);
  g_test_add_func ("/haul/engine/url/redact", test_redact);
  g_test_add_func ("/haul/engine/url/same-origin", test_same_origin);
  g_test_add_func ("/haul/engine/url/redirects", test_redirects);
  g_test_add_func ("/haul/engine/url/soup-accepts", test_soup_accepts_everything_we_accept);
  g_test_add_func ("/haul/engine/url/link-parser-agrees", test_link_parser_agrees);

  return g_test_run ();
}
