/* fuzz-naming.c: file names from what a server says (haul-naming.c)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte chooses what the rest is (its value modulo 3: the seeds
 * start with '0', '1' or '2'):
 *   0 a name for haul_naming_sanitize()
 *   1 "N NAME": haul_naming_numbered() of the sanitised NAME, N in decimal
 *   2 response headers (lines after "HTTP/1.1 200 OK"), then optionally a
 *     NUL and the path of the final URL, for haul_naming_from_response()
 * Every name returned is safe: non-empty, at most 255 bytes, valid UTF-8,
 * no '/' or '\\', no leading '.', never "." or "..", no control, format or
 * separator characters; and sanitising it again changes nothing (a name
 * must not change between attempts). Numbered names are safe too, and
 * differ from the next number's.
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "haul-fuzz.h"
#include "haul-naming.h"
#include "haul-url.h"

#define MAX_NAME_BYTES 255

static void
assert_safe (const char *name)
{
  g_autofree char *again = NULL;

  g_assert_nonnull (name);
  g_assert_cmpuint (strlen (name), >, 0);
  g_assert_cmpuint (strlen (name), <=, MAX_NAME_BYTES);
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_null (strchr (name, '/'));
  g_assert_null (strchr (name, '\\'));
  g_assert_cmpint (name[0], !=, '.');
  g_assert_cmpstr (name, !=, ".");
  g_assert_cmpstr (name, !=, "..");
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      switch (g_unichar_type (g_utf8_get_char (p)))
        {
        case G_UNICODE_CONTROL:
        case G_UNICODE_FORMAT:
        case G_UNICODE_LINE_SEPARATOR:
        case G_UNICODE_PARAGRAPH_SEPARATOR:
        case G_UNICODE_SURROGATE:
          g_error ("Unsafe character U+%04X in “%s”", g_utf8_get_char (p), name);
          break;
        default:
          break;
        }
    }

  again = haul_naming_sanitize (name);
  g_assert_cmpstr (again, ==, name);
}

static void
check_sanitize (const char *text)
{
  g_autofree char *name = haul_naming_sanitize (text);

  assert_safe (name);
}

static void
check_numbered (const char *text)
{
  g_autofree char *name = NULL;
  g_autofree char *same = NULL;
  g_autofree char *numbered = NULL;
  g_autofree char *next = NULL;
  g_autofree char *infix = NULL;
  char *rest = NULL;
  guint64 n = g_ascii_strtoull (text, &rest, 10);

  n = MIN (n, G_MAXUINT - 1);
  name = haul_naming_sanitize (rest);
  same = haul_naming_numbered (name, 0);
  g_assert_cmpstr (same, ==, name);
  if (n == 0)
    n = 1;

  numbered = haul_naming_numbered (name, n);
  next = haul_naming_numbered (name, n + 1);
  assert_safe (numbered);
  assert_safe (next);
  infix = g_strdup_printf (" (%u)", (guint) n);
  g_assert_nonnull (strstr (numbered, infix));
  /* Cut to 255 bytes, "NAME (1)" numbered 1 is itself: harmless, the
   * caller tries the next number. Two numbers never give one name. */
  if (g_str_equal (numbered, name))
    g_assert_nonnull (strstr (name, infix));
  g_assert_cmpstr (numbered, !=, next);
}

static void
check_from_response (const guint8 *data,
                     gsize         size)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GUri) final_uri = NULL;
  g_autoptr(GString) block = g_string_new ("HTTP/1.1 200 OK\r\n");
  g_autofree char *name = NULL;
  const guint8 *nul = memchr (data, '\0', size);
  gsize header_length = nul != NULL ? (gsize) (nul - data) : size;

  g_string_append_len (block, (const char *) data, header_length);
  g_string_append (block, "\r\n");
  /* Headers libsoup cannot read are no headers: the name comes from the
   * URL then. */
  if (!soup_headers_parse_response (block->str, block->len, headers, NULL, NULL, NULL))
    soup_message_headers_clear (headers);

  if (nul != NULL)
    {
      g_autofree char *path = g_strndup ((const char *) nul + 1, size - header_length - 1);
      g_autofree char *text = g_strconcat ("https://example.com/", path, NULL);

      /* As in the engine: a final URL is always one haul_url_parse() took. */
      final_uri = haul_url_parse (text, NULL);
    }

  name = haul_naming_from_response (headers, final_uri);
  assert_safe (name);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;

  if (size == 0)
    return 0;

  switch (data[0] % 3)
    {
    case 0:
      text = g_strndup ((const char *) data + 1, size - 1);
      check_sanitize (text);
      break;
    case 1:
      text = g_strndup ((const char *) data + 1, size - 1);
      check_numbered (text);
      break;
    default:
      check_from_response (data + 1, size - 1);
      break;
    }

  return 0;
}
