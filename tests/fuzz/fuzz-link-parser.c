/* fuzz-link-parser.c: dropped or pasted content (haul-link-parser.c)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte chooses what the rest is (its value modulo 8, so the
 * digits '0'…'7' of a readable seed name them):
 *   0 text/uri-list      1 text/x-moz-url     2 _NETSCAPE_URL
 *   3 text/html          4 text/html of a page at BASE_URI
 *   5 text/plain         6 one typed link (haul_link_normalize)
 *   7 text/unicode (UTF-16 plain text)
 * Invariants: every URL found parses with haul_url_parse() to the very
 * same string, has no space, control, format (bidi) or separator
 * character, is ASCII but for its user information, appears once, and is
 * its own normal form (and passes haul_fuzz_assert_url()); every rejected
 * piece is short, readable text (haul_fuzz_assert_text()), reported once,
 * with a reason; a refused typed link is HAUL_ERROR_INVALID_URL with a
 * readable reason.
 *
 * A text/uri-list may name local files ("file:///…"), which the parser
 * reads: inputs that mention "file:" are parsed as text/plain instead, so
 * the fuzzer never reads the machine's files.
 */

#include "config.h"

#include <string.h>

#include "haul-error.h"
#include "haul-fuzz.h"
#include "haul-link-parser.h"
#include "haul-url.h"

#define BASE_URI          "https://example.com/dir/page.html"
#define MAX_DISPLAY_CHARS 80

static void
check_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *again = NULL;
  g_autofree char *normal = NULL;

  g_assert_nonnull (url);
  haul_fuzz_assert_url_text (url);

  uri = haul_url_parse (url, &error);
  g_assert_no_error (error);
  again = g_uri_to_string (uri);
  g_assert_cmpstr (again, ==, url);
  haul_fuzz_assert_url (uri);

  normal = haul_link_normalize (url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (normal, ==, url);
}

static void
check_list (HaulLinkList *list)
{
  g_autoptr(GHashTable) urls = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) texts = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_nonnull (list);

  for (guint i = 0; i < list->urls->len; i++)
    {
      const char *url = g_ptr_array_index (list->urls, i);

      check_url (url);
      g_assert_true (g_hash_table_add (urls, (gpointer) url));
    }

  for (guint i = 0; i < list->rejected->len; i++)
    {
      const HaulRejectedLink *piece = g_ptr_array_index (list->rejected, i);

      haul_fuzz_assert_text (piece->text);
      g_assert_cmpint (g_utf8_strlen (piece->text, -1), <=, MAX_DISPLAY_CHARS);
      g_assert_true (g_hash_table_add (texts, piece->text));
      haul_fuzz_assert_text (piece->reason);
      g_assert_cmpstr (piece->reason, !=, "");
    }
}

static void
check_normalize (const guint8 *data,
                 gsize         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = haul_link_normalize (text, &error);

  if (url != NULL)
    {
      g_assert_no_error (error);
      check_url (url);
      return;
    }

  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL);
  haul_fuzz_assert_text (error->message);
  g_assert_cmpstr (error->message, !=, "");
}

/* "file:" in any case, also as UTF-16 (NUL bytes skipped). */
static gboolean
mentions_file (const guint8 *data,
               gsize         size)
{
  static const char word[] = "file:";
  gsize matched = 0;

  for (gsize i = 0; i < size; i++)
    {
      if (data[i] == '\0')
        continue;
      if (g_ascii_tolower (data[i]) == word[matched])
        matched++;
      else
        matched = g_ascii_tolower (data[i]) == word[0] ? 1 : 0;
      if (matched == sizeof word - 1)
        return TRUE;
    }
  return FALSE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *const types[] = {
    "text/uri-list", "text/x-moz-url", "_NETSCAPE_URL", "text/html", "text/html",
    "text/plain", NULL, "text/unicode",
  };
  g_autoptr(HaulLinkList) list = NULL;
  const char *type;
  guint mode;

  if (size == 0)
    return 0;
  mode = data[0] % 8;
  data++;
  size--;

  if (mode == 6)
    {
      check_normalize (data, size);
      return 0;
    }

  type = types[mode];
  if (mode == 0 && mentions_file (data, size))
    type = "text/plain";
  list = haul_link_parse (type, data, size, mode == 4 ? BASE_URI : NULL);
  check_list (list);

  return 0;
}
