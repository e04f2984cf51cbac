/* test-browser-request.c: what the browser may ask for, and what is refused
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "haul-browser-queue.h"
#include "haul-browser-request.h"
#include "haul-error.h"
#include "haul-test-server.h"

/* A request from a GVariant text, e.g. "{'url': <'http://a/'>}". */
static HaulBrowserRequest *
parse (const char  *text,
       GError     **error)
{
  g_autoptr(GVariant) dict = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, NULL);

  g_assert_nonnull (dict);
  return haul_browser_request_new_from_variant (dict, error);
}

static void
assert_refused (GVariant   *dict,
                int         code,
                const char *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulBrowserRequest) request = NULL;

  g_variant_ref_sink (dict);
  request = haul_browser_request_new_from_variant (dict, &error);
  g_variant_unref (dict);
  g_assert_null (request);
  g_assert_error (error, HAUL_ERROR, code);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("“%s” does not say “%s”", error->message, in_message);
}

/* A one-link request with @key set to @value. */
static GVariant *
with_text (const char *key,
           const char *value)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "url", "s", "https://example.com/file.iso");
  g_variant_dict_insert (&dict, key, "s", value);
  return g_variant_dict_end (&dict);
}

static void
test_single (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulBrowserRequest) request = NULL;

  request = parse ("{'url': <'HTTPS://Example.COM:443/a%20b/file.iso#part2'>,"
                   " 'referrer': <'https://example.com/downloads?page=2#top'>,"
                   " 'userAgent': <'Mozilla/5.0 (X11; Linux x86_64) Chromium/156'>,"
                   " 'cookies': <'session=abc123; theme=dark'>,"
                   " 'filename': <'Film (2026).mkv'>,"
                   " 'comesLater': <42>}", &error);
  g_assert_no_error (error);
  g_assert_nonnull (request);

  /* Normalised as every link Haul takes: lower-case host, no default
   * port, no fragment. */
  g_assert_cmpuint (g_strv_length (request->urls), ==, 1);
  g_assert_cmpstr (request->urls[0], ==, "https://example.com/a%20b/file.iso");
  g_assert_cmpstr (request->referrer, ==, "https://example.com/downloads?page=2");
  g_assert_cmpstr (request->user_agent, ==, "Mozilla/5.0 (X11; Linux x86_64) Chromium/156");
  g_assert_cmpstr (request->cookies, ==, "session=abc123; theme=dark");
  g_assert_cmpstr (request->file_name, ==, "Film (2026).mkv");
}

static void
test_urls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulBrowserRequest) request = NULL;
  const char *expected[] = {
    "http://example.com/1.zip", "http://example.com/2.zip", "https://other.example/3.zip", NULL
  };

  /* A selection often links a file twice ("Download" and its icon). */
  request = parse ("{'urls': <['http://example.com/1.zip', 'http://example.com/2.zip',"
                   "           'http://EXAMPLE.com/1.zip#again']>,"
                   " 'url': <'https://other.example/3.zip'>}", &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (request->urls, expected);
  g_assert_null (request->referrer);
  g_assert_null (request->cookies);
}

static void
test_non_web_url (void)
{
  const char *refused[] = {
    "javascript:alert(document.cookie)",
    "file:///etc/passwd",
    "data:text/plain;base64,SGVsbG8=",
    "blob:https://example.com/7e5c1a7e-55aa-4c5e-9c73-2a0f0c0e1d7a",
    "ftp://example.com/pub/file.iso",
    "www.example.com/file.iso",  /* typed shorthand: not from a browser */
    "/relative/file.iso",
    "https://",
    "http://exa mple.com/",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      GVariantDict dict;

      g_test_message ("refusing “%s”", refused[i]);
      g_variant_dict_init (&dict, NULL);
      g_variant_dict_insert (&dict, "url", "s", refused[i]);
      assert_refused (g_variant_dict_end (&dict), HAUL_ERROR_INVALID_URL, "cannot be downloaded");
    }

  /* One bad link spoils a list: the person sees which. */
  assert_refused (g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                   "{'urls': <['https://example.com/a', 'file:///home']>}",
                                   NULL, NULL, NULL),
                  HAUL_ERROR_INVALID_URL, "file:///home");
}

static void
test_control_characters (void)
{
  const char *keys[] = { "referrer", "userAgent", "cookies", "filename" };
  const char *values[] = {
    "a=b\r\nX-Injected: 1",        /* header injection */
    "a=b\nSet-Cookie: x=y",
    "a=b\tc",
    "a\x7f" "b",
    "a\xc2\x85" "b",                /* U+0085 NEXT LINE */
    "a\x1b[31mred",                 /* a terminal escape in a log */
  };

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    for (guint v = 0; v < G_N_ELEMENTS (values); v++)
      assert_refused (with_text (keys[k], values[v]), HAUL_ERROR_PROTOCOL, "control characters");

  /* Nor in a link. */
  assert_refused (g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                   "{'url': <'https://example.com/a\\r\\nHost: evil'>}",
                                   NULL, NULL, NULL),
                  HAUL_ERROR_INVALID_URL, NULL);
}

static void
test_wrong_types (void)
{
  assert_refused (g_variant_parse (G_VARIANT_TYPE_VARDICT, "{'url': <42>}", NULL, NULL, NULL),
                  HAUL_ERROR_PROTOCOL, "“url”");
  assert_refused (g_variant_parse (G_VARIANT_TYPE_VARDICT, "{'urls': <'http://a.example/'>}",
                                   NULL, NULL, NULL),
                  HAUL_ERROR_PROTOCOL, "“urls”");
  assert_refused (g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                   "{'url': <'http://a.example/'>, 'cookies': <['a=b']>}",
                                   NULL, NULL, NULL),
                  HAUL_ERROR_PROTOCOL, "“cookies”");
  assert_refused (g_variant_new ("(s)", "not a dict"), HAUL_ERROR_PROTOCOL, NULL);
}

static void
test_limits (void)
{
  g_autofree char *long_cookie = g_strnfill (HAUL_BROWSER_MAX_HEADER_BYTES + 1, 'c');
  g_autofree char *longest_cookie = g_strnfill (HAUL_BROWSER_MAX_HEADER_BYTES, 'c');
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) urls = NULL;
  GVariantDict dict;
  g_autoptr(GVariant) longest = NULL;
  g_autoptr(HaulBrowserRequest) request = NULL;

  assert_refused (with_text ("cookies", long_cookie), HAUL_ERROR_PROTOCOL, "too long");

  longest = g_variant_ref_sink (with_text ("cookies", longest_cookie));
  request = haul_browser_request_new_from_variant (longest, NULL);
  g_assert_nonnull (request);

  for (guint i = 0; i <= HAUL_BROWSER_MAX_URLS; i++)
    {
      g_autofree char *url = g_strdup_printf ("https://example.com/%u", i);
      g_strv_builder_add (builder, url);
    }
  urls = g_strv_builder_end (builder);
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "urls", "^as", urls);
  assert_refused (g_variant_dict_end (&dict), HAUL_ERROR_PROTOCOL, "Too many links");

  assert_refused (g_variant_parse (G_VARIANT_TYPE_VARDICT, "{'referrer': <'https://a.example/'>}",
                                   NULL, NULL, NULL),
                  HAUL_ERROR_INVALID_URL, "no link");
  assert_refused (g_variant_parse (G_VARIANT_TYPE_VARDICT, "{'urls': <@as []>}", NULL, NULL, NULL),
                  HAUL_ERROR_INVALID_URL, "no link");
}

static void
test_referrer (void)
{
  const char *dropped[] = { "file:///home/me/links.html", "about:blank", "chrome://newtab/", "" };

  for (guint i = 0; i < G_N_ELEMENTS (dropped); i++)
    {
      g_autoptr(GVariant) dict = g_variant_ref_sink (with_text ("referrer", dropped[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(HaulBrowserRequest) request = haul_browser_request_new_from_variant (dict, &error);

      /* Not an error, just not sent: browsers do not send those either. */
      g_assert_no_error (error);
      g_assert_null (request->referrer);
    }

  /* A page's credentials stay with the browser. */
  {
    g_autoptr(GVariant) dict = g_variant_ref_sink (with_text ("referrer",
                                                              "https://me:pw@example.com/p#x"));
    g_autoptr(HaulBrowserRequest) request = haul_browser_request_new_from_variant (dict, NULL);

    g_assert_cmpstr (request->referrer, ==, "https://example.com/p");
  }
}

static void
test_file_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulBrowserRequest) request = NULL;

  assert_refused (g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                   "{'urls': <['https://a.example/1', 'https://a.example/2']>,"
                                   " 'filename': <'one.zip'>}", NULL, NULL, NULL),
                  HAUL_ERROR_PROTOCOL, "single link");

  request = parse ("{'url': <'https://a.example/1'>, 'filename': <''>}", &error);
  g_assert_no_error (error);
  g_assert_null (request->file_name);
}

/* The browser's cookies are for one site; every download sends them to
 * its own, so a request may not mix sites with cookies. */
static void
test_cookies_one_site (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulBrowserRequest) request = NULL;

  assert_refused (g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                   "{'urls': <['https://a.example/1', 'https://b.example/2']>,"
                                   " 'cookies': <'k=v'>}", NULL, NULL, NULL),
                  HAUL_ERROR_PROTOCOL, "one site");
  assert_refused (g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                   "{'urls': <['https://a.example/1', 'http://a.example/2']>,"
                                   " 'cookies': <'k=v'>}", NULL, NULL, NULL),
                  HAUL_ERROR_PROTOCOL, "one site");

  request = parse ("{'urls': <['https://a.example/1', 'https://A.example:443/2']>,"
                   " 'cookies': <'k=v'>}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (request->urls), ==, 2);

  /* Without cookies, sites may mix. */
  g_clear_pointer (&request, haul_browser_request_free);
  request = parse ("{'urls': <['https://a.example/1', 'https://b.example/2']>}", &error);
  g_assert_no_error (error);
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulBrowserRequest) request = NULL;
  g_autoptr(HaulBrowserRequest) again = NULL;
  g_autoptr(HaulBrowserRequest) copy = NULL;
  g_autoptr(GVariant) dict = NULL;

  request = parse ("{'url': <'https://a.example/f.bin'>, 'referrer': <'https://a.example/'>,"
                   " 'userAgent': <'UA/1'>, 'cookies': <'k=v'>, 'filename': <'f.bin'>}", &error);
  g_assert_no_error (error);

  dict = g_variant_ref_sink (haul_browser_request_to_variant (request));
  again = haul_browser_request_new_from_variant (dict, &error);
  g_assert_no_error (error);
  copy = haul_browser_request_copy (again);

  g_assert_cmpstrv (copy->urls, request->urls);
  g_assert_cmpstr (copy->referrer, ==, request->referrer);
  g_assert_cmpstr (copy->user_agent, ==, request->user_agent);
  g_assert_cmpstr (copy->cookies, ==, request->cookies);
  g_assert_cmpstr (copy->file_name, ==, request->file_name);
}

/* The app's half: every link becomes a row of the queue. */
static void
test_queue (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulBrowserRequest) request = NULL;
  g_autoptr(HaulQueue) queue = haul_queue_new (NULL);
  g_autofree char *folder = haul_test_make_tmpdir ();
  HaulTestServer *server = haul_test_server_new ();
  g_autoptr(GBytes) one = haul_test_make_bytes (70 * 1024, 1);
  g_autoptr(GBytes) two = haul_test_make_bytes (3 * 1024, 2);
  g_autofree char *uri_one = NULL;
  g_autofree char *uri_two = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path_one = NULL;
  g_autofree char *path_two = NULL;
  guint n_added;

  haul_test_server_add_file (server, "/one.bin", one, NULL);
  haul_test_server_add_file (server, "/two.bin", two, NULL);
  uri_one = haul_test_server_uri (server, "/one.bin");
  uri_two = haul_test_server_uri (server, "/two.bin");
  text = g_strdup_printf ("{'urls': <['%s', '%s']>, 'referrer': <'%s'>,"
                          " 'userAgent': <'Mozilla/5.0 Haul-test/1'>,"
                          " 'cookies': <'session=s3cr3t; theme=dark'>}",
                          uri_one, uri_two, uri_one);
  request = parse (text, &error);
  g_assert_no_error (error);

  n_added = haul_browser_request_queue (request, queue, folder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_added, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 2);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (G_LIST_MODEL (queue), i);
      gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

      g_assert_cmpstr (haul_download_get_uri (download), ==, request->urls[i]);
      g_assert_true (haul_download_get_from_browser (download));
      while (haul_download_get_state (download) != HAUL_DOWNLOAD_COMPLETED &&
             g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_COMPLETED);
    }

  /* What the browser gave went with each request. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *headers = haul_test_server_get_last_request_headers (server,
                                                                           i == 0 ? "/one.bin"
                                                                                  : "/two.bin");

      g_test_message ("%s", headers);
      g_assert_nonnull (strstr (headers, "Cookie: session=s3cr3t; theme=dark\n"));
      g_assert_nonnull (g_strstr_len (headers, -1, "Referer: "));
      g_assert_nonnull (strstr (headers, uri_one));
    }

  path_one = g_build_filename (folder, "one.bin", NULL);
  path_two = g_build_filename (folder, "two.bin", NULL);
  g_assert_true (haul_test_file_equals (path_one, one));
  g_assert_true (haul_test_file_equals (path_two, two));

  haul_queue_shutdown (queue);
  haul_test_server_free (server);
  haul_test_remove_tree (folder);
}

/* The browser's User-Agent replaces Haul's own on the download's requests. */
static void
test_user_agent (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulBrowserRequest) request = NULL;
  g_autoptr(HaulQueue) queue = haul_queue_new (NULL);
  g_autofree char *folder = haul_test_make_tmpdir ();
  HaulTestServer *server = haul_test_server_new ();
  g_autoptr(GBytes) body = haul_test_make_bytes (2048, 3);
  g_autofree char *uri = NULL;
  g_autofree char *text = NULL;
  g_autofree char *headers = NULL;
  HaulDownload *download;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  haul_test_server_add_file (server, "/ua.bin", body, NULL);
  uri = haul_test_server_uri (server, "/ua.bin");
  text = g_strdup_printf ("{'url': <'%s'>, 'userAgent': <'Mozilla/5.0 Haul-test/1'>}", uri);
  request = parse (text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (haul_browser_request_queue (request, queue, folder, &error), ==, 1);
  g_assert_no_error (error);

  download = g_list_model_get_item (G_LIST_MODEL (queue), 0);
  while (haul_download_get_state (download) != HAUL_DOWNLOAD_COMPLETED &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_COMPLETED);
  g_object_unref (download);

  headers = haul_test_server_get_last_request_headers (server, "/ua.bin");
  haul_queue_shutdown (queue);
  haul_test_server_free (server);
  haul_test_remove_tree (folder);

  g_assert_nonnull (strstr (headers, "User-Agent: Mozilla/5.0 Haul-test/1\n"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/browser/request/single", test_single);
  g_test_add_func ("/haul/browser/request/urls", test_urls);
  g_test_add_func ("/haul/browser/request/non-web-url", test_non_web_url);
  g_test_add_func ("/haul/browser/request/control-characters", test_control_characters);
  g_test_add_func ("/haul/browser/request/wrong-types", test_wrong_types);
  g_test_add_func ("/haul/browser/request/limits", test_limits);
  g_test_add_func ("/haul/browser/request/referrer", test_referrer);
  g_test_add_func ("/haul/browser/request/file-name", test_file_name);
  g_test_add_func ("/haul/browser/request/cookies-one-site", test_cookies_one_site);
  g_test_add_func ("/haul/browser/request/round-trip", test_round_trip);
  g_test_add_func ("/haul/browser/request/queue", test_queue);
  g_test_add_func ("/haul/browser/request/user-agent", test_user_agent);

  return g_test_run ();
}
