/* test-response.c: what an HTTP answer means (haul-response.c)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The findings of tests/fuzz/fuzz-response.c, as tests.
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "haul-error.h"
#include "haul-response.h"

static SoupMessageHeaders *
parse_head (const char *head,
            guint      *status,
            char      **reason_phrase)
{
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);

  g_assert_true (soup_headers_parse_response (head, strlen (head), headers, NULL, status,
                                              reason_phrase));
  return headers;
}

/* A server's own reason phrase goes into the message readable: C0 and C1
 * controls and bidi overrides become spaces. */
static void
test_reason_phrase_printable (void)
{
  const struct { const char *head; const char *message; } cases[] = {
    { "HTTP/1.1 599 F\xa9" "d\r\n", "The server answered 599 F\xef\xbf\xbd" "d" },
    { "HTTP/1.1 599 a\x01" "b\xc2\x9b" "31m\r\n", "The server answered 599 a b 31m" },
    { "HTTP/1.1 599 evil\xe2\x80\xae" "txt\r\n", "The server answered 599 evil txt" },
    /* A standard phrase wins over the server's. */
    { "HTTP/1.1 404 Nicht gefunden\r\n", "The server answered 404 Not Found" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *reason_phrase = NULL;
      g_autoptr(SoupMessageHeaders) headers = NULL;
      g_autoptr(GError) error = NULL;
      HaulResponseQuery query = { .offset = 0, .end = -1, .known_total = -1 };
      HaulResponse response;
      guint status = 0;

      headers = parse_head (cases[i].head, &status, &reason_phrase);
      g_assert_false (haul_response_check (&query, status, reason_phrase, headers, &response,
                                           &error));
      g_assert_error (error, HAUL_ERROR, HAUL_ERROR_HTTP);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* The Content-Length shown in the message is readable too. */
static void
test_length_message_printable (void)
{
  g_autofree char *reason_phrase = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GError) error = NULL;
  gint64 length = 0;
  guint status = 0;

  headers = parse_head ("HTTP/1.1 200 OK\r\nContent-Length: 1\xc2\x85\xe2\x80\xae" "2\r\n",
                        &status, &reason_phrase);
  g_assert_false (haul_response_parse_content_length (headers, &length, &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==,
                   "The server sent a malformed or contradictory length (“1  2”)");
  g_assert_cmpint (length, ==, -1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/engine/response/reason-phrase-printable", test_reason_phrase_printable);
  g_test_add_func ("/haul/engine/response/length-message-printable",
                   test_length_message_printable);

  return g_test_run ();
}
