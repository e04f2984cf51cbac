/* link-parser-checks.c: what the link parser's tests assert with
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "link-parser-checks.h"

/* Asserts that @list holds exactly the URLs of the NULL-terminated @expected,
 * in that order. */
void
assert_urls (HaulLinkList       *list,
             const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < list->urls->len; i++)
    g_test_message ("url %u: %s", i, (const char *) g_ptr_array_index (list->urls, i));
  for (guint i = 0; i < list->rejected->len; i++)
    {
      HaulRejectedLink *r = g_ptr_array_index (list->rejected, i);
      g_test_message ("rejected %u: %s (%s)", i, r->text, r->reason);
    }

  g_assert_cmpuint (list->urls->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (list->urls, i), ==, expected[i]);
}

/* Returns the reason @text was rejected, or fails. */
const char *
find_rejected (HaulLinkList *list,
               const char   *text)
{
  for (guint i = 0; i < list->rejected->len; i++)
    {
      HaulRejectedLink *r = g_ptr_array_index (list->rejected, i);

      if (g_str_equal (r->text, text))
        {
          g_assert_nonnull (r->reason);
          g_assert_cmpstr (r->reason, !=, "");
          return r->reason;
        }
    }

  g_test_message ("not rejected: %s", text);
  for (guint i = 0; i < list->rejected->len; i++)
    {
      HaulRejectedLink *r = g_ptr_array_index (list->rejected, i);
      g_test_message ("rejected: %s", r->text);
    }
  g_assert_not_reached ();
  return NULL;
}

HaulLinkList *
parse_string (const char *mime_type,
              const char *text,
              const char *base_uri)
{
  return haul_link_parse (mime_type, (const guint8 *) text, strlen (text), base_uri);
}
