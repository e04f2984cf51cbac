/* test-naming.c: file names chosen from what a server says
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "haul-naming.h"

static char *
name_for (const char *disposition,
          const char *uri)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GUri) parsed = NULL;

  if (disposition != NULL)
    soup_message_headers_replace (headers, "Content-Disposition", disposition);
  if (uri != NULL)
    parsed = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, NULL);
  return haul_naming_from_response (headers, parsed);
}

static void
assert_safe (const char *name)
{
  g_assert_nonnull (name);
  g_assert_cmpuint (strlen (name), >, 0);
  g_assert_cmpuint (strlen (name), <=, 255);
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_null (strchr (name, '/'));
  g_assert_null (strchr (name, '\\'));
  g_assert_false (name[0] == '.');
  g_assert_cmpstr (name, !=, ".");
  g_assert_cmpstr (name, !=, "..");
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      GUnicodeType type = g_unichar_type (g_utf8_get_char (p));

      g_assert_true (type != G_UNICODE_CONTROL && type != G_UNICODE_FORMAT);
    }
}

static void
check_sanitize (const char *input,
                const char *expected)
{
  g_autofree char *name = haul_naming_sanitize (input);

  assert_safe (name);
  g_assert_cmpstr (name, ==, expected);
}

static void
test_filename_star_wins (void)
{
  g_autofree char *a = name_for ("attachment; filename=\"plain.txt\"; "
                                 "filename*=UTF-8''na%C3%AFve.txt",
                                 "http://example.com/dl/other.bin");
  g_autofree char *b = name_for ("attachment; filename*=UTF-8''na%C3%AFve.txt; "
                                 "filename=\"plain.txt\"",
                                 "http://example.com/dl/other.bin");
  g_autofree char *c = name_for ("attachment; filename=\"report.pdf\"",
                                 "http://example.com/dl/other.bin");

  g_assert_cmpstr (a, ==, "na\xc3\xafve.txt");
  g_assert_cmpstr (b, ==, "na\xc3\xafve.txt");
  g_assert_cmpstr (c, ==, "report.pdf");
}

static void
test_from_uri (void)
{
  g_autofree char *a = name_for (NULL, "http://example.com/files/some%20file.iso?x=1#frag");
  g_autofree char *b = name_for ("inline", "http://example.com/a/b/c.tar.gz");
  g_autofree char *c = name_for (NULL, "http://example.com/");
  g_autofree char *d = name_for (NULL, "http://example.com");
  g_autofree char *e = name_for (NULL, NULL);
  /* A disposition with nothing usable falls back to the URL. */
  g_autofree char *f = name_for ("attachment; filename=\"..\"", "http://example.com/real.zip");

  g_assert_cmpstr (a, ==, "some file.iso");
  g_assert_cmpstr (b, ==, "c.tar.gz");
  g_assert_cmpstr (c, ==, "download");
  g_assert_cmpstr (d, ==, "download");
  g_assert_cmpstr (e, ==, "download");
  g_assert_cmpstr (f, ==, "real.zip");
}

static void
test_traversal (void)
{
  g_autofree char *a = name_for ("attachment; filename=\"../../x\"", "http://h/ignored");
  g_autofree char *b = name_for ("attachment; filename=\"..\\\\x\"", "http://h/ignored");
  g_autofree char *c = name_for (NULL, "http://h/dir/a%2F..%2Fb");

  g_assert_cmpstr (a, ==, "x");
  g_assert_cmpstr (b, ==, "x");
  g_assert_cmpstr (c, ==, "b");
  check_sanitize ("../../x", "x");
  check_sanitize ("..\\x", "x");
  /* A name is never decoded: "%2F" is three harmless characters. */
  check_sanitize ("a%2F..%2Fb", "a%2F..%2Fb");
  check_sanitize ("a%5C..%5Cb", "a%5C..%5Cb");
  check_sanitize ("/etc/passwd", "passwd");
  check_sanitize ("dir/", "dir");
  check_sanitize (".", "download");
  check_sanitize ("..", "download");
  check_sanitize ("%2E%2E", "%2E%2E");
  check_sanitize ("", "download");
  check_sanitize ("///", "download");
}

static void
test_dotfile (void)
{
  g_autofree char *a = name_for ("attachment; filename=\".bashrc\"", "http://h/x");

  g_assert_cmpstr (a, ==, "bashrc");
  check_sanitize (".bashrc", "bashrc");
  check_sanitize ("...hidden.txt", "hidden.txt");
  check_sanitize (" .profile", "profile");
}

static void
test_control_chars (void)
{
  check_sanitize ("a\tb\nc\r.txt", "abc.txt");
  check_sanitize ("bell\x07.txt", "bell.txt");
  check_sanitize ("del\x7f.txt", "del.txt");
  check_sanitize ("nul%00byte.txt", "nul%00byte.txt");

  /* Escapes in a URL are decoded, then the decoded text is cleaned. */
  {
    g_autofree char *esc = name_for (NULL, "http://h/esc%1B%5B31m.txt");
    g_autofree char *nul = name_for (NULL, "http://h/nul%00byte.txt");

    g_assert_cmpstr (esc, ==, "esc[31m.txt");
    g_assert_cmpstr (nul, ==, "nul%00byte.txt");
  }
}

static void
test_bidi (void)
{
  /* "invoice" U+202E "fdp.exe" shows as "invoiceexe.pdf": a right-to-left
   * override must go. */
  check_sanitize ("invoice\xe2\x80\xae" "fdp.exe", "invoicefdp.exe");
  check_sanitize ("a\xe2\x81\xa6" "b\xe2\x81\xa9" "c.txt", "abc.txt");
  check_sanitize ("l\xe2\x80\x8e" "r\xe2\x80\x8f" ".txt", "lr.txt");
  check_sanitize ("zero\xe2\x80\x8bwidth.txt", "zerowidth.txt");
  {
    g_autofree char *encoded = name_for (NULL, "http://h/x%E2%80%AEy.txt");

    g_assert_cmpstr (encoded, ==, "xy.txt");
  }
  /* Right-to-left text itself is fine. */
  check_sanitize ("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d.txt", "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d.txt");
}

static void
test_long_name (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autofree char *name = NULL;
  g_autofree char *numbered = NULL;
  g_autofree char *utf8 = NULL;

  for (int i = 0; i < 300; i++)
    g_string_append_c (input, 'a' + i % 26);
  g_string_append (input, ".tar.gz");
  name = haul_naming_sanitize (input->str);
  assert_safe (name);
  g_assert_cmpuint (strlen (name), ==, 255);
  g_assert_true (g_str_has_suffix (name, ".tar.gz"));
  g_assert_true (g_str_has_prefix (name, "abcdefgh"));

  numbered = haul_naming_numbered (name, 12);
  assert_safe (numbered);
  g_assert_cmpuint (strlen (numbered), <=, 255);
  g_assert_true (g_str_has_suffix (numbered, " (12).tar.gz"));

  /* Two-byte characters are never cut in half. */
  g_string_truncate (input, 0);
  for (int i = 0; i < 150; i++)
    g_string_append (input, "\xc3\xa9");
  g_string_append (input, ".txt");
  utf8 = haul_naming_sanitize (input->str);
  assert_safe (utf8);
  g_assert_true (g_str_has_suffix (utf8, ".txt"));
  g_assert_cmpuint (strlen (utf8), ==, 254);
}

static void
test_invalid_utf8 (void)
{
  g_autofree char *name = haul_naming_sanitize ("bad\xff\xfe.txt");
  g_autofree char *encoded = name_for (NULL, "http://h/bad%FF.txt");

  assert_safe (name);
  assert_safe (encoded);
  g_assert_true (g_str_has_prefix (name, "bad"));
  g_assert_true (g_str_has_suffix (name, ".txt"));
  g_assert_true (g_str_has_suffix (encoded, ".txt"));
}

static void
test_numbered (void)
{
  g_autofree char *a = haul_naming_numbered ("name.ext", 1);
  g_autofree char *b = haul_naming_numbered ("archive.tar.xz", 2);
  g_autofree char *c = haul_naming_numbered ("README", 3);
  g_autofree char *d = haul_naming_numbered ("name.ext", 0);
  g_autofree char *e = haul_naming_numbered ("v1.2 release notes", 1);

  g_assert_cmpstr (a, ==, "name (1).ext");
  g_assert_cmpstr (b, ==, "archive (2).tar.xz");
  g_assert_cmpstr (c, ==, "README (3)");
  g_assert_cmpstr (d, ==, "name.ext");
  g_assert_cmpstr (e, ==, "v1.2 release notes (1)");
}

/* Issue #8, item 6: filename* was decoded by libsoup, then again by the
 * sanitiser ("100%2525.txt" → "100%.txt"); a URL segment is decoded once. */
static void
test_decoded_once (void)
{
  g_autofree char *a = name_for ("attachment; filename*=UTF-8''100%2525.txt", "http://h/x");
  g_autofree char *b = name_for (NULL, "http://h/dir/100%2525.txt");
  g_autofree char *c = name_for ("attachment; filename=\"50%25 off.pdf\"", "http://h/x");

  g_assert_cmpstr (a, ==, "100%25.txt");
  g_assert_cmpstr (b, ==, "100%25.txt");
  g_assert_cmpstr (c, ==, "50%25 off.pdf");
}

/* Issue #8, item 6: a name cut to 255 bytes could end in a space, and
 * sanitising it again (on a retry) changed it. */
static void
test_idempotent (void)
{
  g_autofree char *as = g_strnfill (254, 'a');
  g_autofree char *fuzz = g_strdup_printf ("%s bb", as);
  g_autofree char *long_ext = g_strdup_printf ("%s bb.iso", as);
  const char *inputs[] = { fuzz, long_ext, "name.txt", " spaced  .txt", "x...", "..a..",
                           "a%2F..%2Fb", "\u202Eevil.txt" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *once = haul_naming_sanitize (inputs[i]);
      g_autofree char *twice = haul_naming_sanitize (once);

      assert_safe (once);
      g_assert_false (g_str_has_suffix (once, " "));
      g_assert_cmpstr (once, ==, twice);
    }

  {
    g_autofree char *cut = haul_naming_sanitize (fuzz);

    g_assert_cmpuint (strlen (cut), ==, 254);
    g_assert_cmpstr (cut, ==, as);
  }
}

/* Firefox's NAME.part, Chromium's NAME.crdownload and its unconfirmed
 * placeholder; anything else is not a browser's partial. */
static void
test_browser_partial (void)
{
  const struct { const char *name; gboolean partial; const char *final_name; } cases[] = {
    { "big.iso.part", TRUE, "big.iso" },
    { "video.mp4.crdownload", TRUE, "video.mp4" },
    { "Unconfirmed 123456.crdownload", TRUE, NULL },
    { "Unconfirmed notes.crdownload", TRUE, "Unconfirmed notes" },
    { "Unconfirmed 12.part", TRUE, "Unconfirmed 12" },
    { ".part", FALSE, NULL },
    { ".crdownload", FALSE, NULL },
    { "notes.txt", FALSE, NULL },
    { "part", FALSE, NULL },
    { "big.iso.part.txt", FALSE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *final_name = NULL;

      g_assert_cmpint (haul_naming_browser_partial (cases[i].name, &final_name), ==,
                       cases[i].partial);
      g_assert_cmpstr (final_name, ==, cases[i].final_name);
      g_assert_cmpint (haul_naming_browser_partial (cases[i].name, NULL), ==, cases[i].partial);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/engine/naming/filename-star", test_filename_star_wins);
  g_test_add_func ("/haul/engine/naming/from-uri", test_from_uri);
  g_test_add_func ("/haul/engine/naming/traversal", test_traversal);
  g_test_add_func ("/haul/engine/naming/dotfile", test_dotfile);
  g_test_add_func ("/haul/engine/naming/control-chars", test_control_chars);
  g_test_add_func ("/haul/engine/naming/bidi", test_bidi);
  g_test_add_func ("/haul/engine/naming/long-name", test_long_name);
  g_test_add_func ("/haul/engine/naming/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/haul/engine/naming/numbered", test_numbered);
  g_test_add_func ("/haul/engine/naming/decoded-once", test_decoded_once);
  g_test_add_func ("/haul/engine/naming/idempotent", test_idempotent);
  g_test_add_func ("/haul/engine/naming/browser-partial", test_browser_partial);

  return g_test_run ();
}
