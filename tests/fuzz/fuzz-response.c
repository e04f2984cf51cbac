/* fuzz-response.c: what an HTTP answer means (haul-response.c)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is an HTTP response head (status line and headers, read by
 * libsoup's own soup_headers_parse_response(), as for a real answer),
 * after a first line saying what was asked for, unless it starts with
 * "HTTP/" (then: the whole file, no Range):
 *   OFFSET END KNOWN-TOTAL FLAGS
 * numbers in decimal (END and KNOWN-TOTAL -1 for none), FLAGS letters:
 * r (a Range was sent), e (bytes on disk have ETag "v1"), m (they have
 * Last-Modified LAST_MODIFIED). Invariants of haul_response_check():
 * - TRUE: no error, and the action agrees with the status and the query:
 *   APPEND only for a 206 of exactly the range asked for, FROM_ZERO only
 *   for a 200 whose expected length is its Content-Length, HAVE_ALL only
 *   for a 416 when OFFSET == KNOWN-TOTAL, RESTART with a reason;
 * - FALSE: a HAUL_ERROR with a readable message (no control or bidi
 *   character, whatever the server sent), and nothing in the
 *   response to free;
 * and of the helpers: lengths, Retry-After within an hour, strong ETags
 * only, readable status texts. A Location of a 3xx goes through the
 * redirect policy, whose every accepted URL libsoup can request.
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "haul-error.h"
#include "haul-fuzz.h"
#include "haul-response.h"
#include "haul-url.h"

#define ETAG          "\"v1\""
#define LAST_MODIFIED "Wed, 21 Oct 2015 07:28:00 GMT"
#define REQUEST_URI   "https://example.com/dir/file.iso"
#define NOW_UNIX      G_GINT64_CONSTANT (1700000000)
#define MAX_RETRY_S   3600
/* Lengths past this are not files (and keep the arithmetic in range). */
#define MAX_OFFSET    (G_GINT64_CONSTANT (1) << 60)

/* Reads the query line; returns where the response starts. */
static const char *
read_query (const char        *text,
            HaulResponseQuery *query)
{
  const char *newline;
  g_autofree char *line = NULL;
  g_auto(GStrv) words = NULL;
  const char *flags = "";

  *query = (HaulResponseQuery) { .offset = 0, .end = -1, .known_total = -1 };
  if (g_str_has_prefix (text, "HTTP/") || (newline = strchr (text, '\n')) == NULL)
    return text;

  line = g_strndup (text, newline - text);
  words = g_strsplit (g_strstrip (line), " ", 4);
  if (words[0] != NULL)
    query->offset = CLAMP (g_ascii_strtoll (words[0], NULL, 10), 0, MAX_OFFSET);
  if (words[0] != NULL && words[1] != NULL)
    query->end = CLAMP (g_ascii_strtoll (words[1], NULL, 10), -1, MAX_OFFSET);
  if (words[0] != NULL && words[1] != NULL && words[2] != NULL)
    query->known_total = CLAMP (g_ascii_strtoll (words[2], NULL, 10), -1, MAX_OFFSET);
  if (words[0] != NULL && words[1] != NULL && words[2] != NULL && words[3] != NULL)
    flags = words[3];

  /* Only what the engine can ask: a range past the offset, and a Range
   * header whenever there is an offset or an end. */
  if (query->end >= 0 && query->end <= query->offset)
    query->end = query->offset + 1;
  query->ranged = strchr (flags, 'r') != NULL || query->offset > 0 || query->end >= 0;
  if (strchr (flags, 'e') != NULL)
    query->etag = ETAG;
  if (strchr (flags, 'm') != NULL)
    query->last_modified = LAST_MODIFIED;

  return newline + 1;
}

static void
check_action (const HaulResponseQuery *query,
              guint                    status,
              SoupMessageHeaders      *headers,
              const HaulResponse      *response)
{
  g_autoptr(GError) error = NULL;
  gint64 length = -1;

  switch (response->action)
    {
    case HAUL_RESPONSE_APPEND:
      g_assert_cmpuint (status, ==, SOUP_STATUS_PARTIAL_CONTENT);
      g_assert_true (query->ranged);
      g_assert_true (response->ranges);
      g_assert_cmpint (response->reason, ==, HAUL_RESTART_NONE);
      g_assert_cmpint (response->expected, >, 0);
      if (query->end >= 0)
        g_assert_cmpint (response->expected, ==, query->end - query->offset);
      if (response->total >= 0)
        g_assert_cmpint (query->offset + response->expected, <=, response->total);
      if (response->total >= 0 && query->known_total >= 0)
        g_assert_cmpint (response->total, ==, query->known_total);
      /* Appending to bytes on disk needs proof they are this version. */
      if (query->offset > 0)
        g_assert_true ((query->etag != NULL && g_strcmp0 (query->etag, response->etag) == 0)
                       || (query->etag == NULL && query->last_modified != NULL
                           && g_strcmp0 (query->last_modified, response->last_modified) == 0));
      break;

    case HAUL_RESPONSE_FROM_ZERO:
      g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
      g_assert_cmpint (response->expected, ==, response->total);
      if (!response->chunked)
        {
          g_assert_true (haul_response_parse_content_length (headers, &length, &error));
          g_assert_no_error (error);
          g_assert_cmpint (response->expected, ==, length);
        }
      else
        {
          g_assert_cmpint (response->expected, ==, -1);
        }
      break;

    case HAUL_RESPONSE_HAVE_ALL:
      g_assert_cmpuint (status, ==, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE);
      g_assert_cmpint (query->offset, >, 0);
      g_assert_cmpint (query->offset, ==, query->known_total);
      g_assert_cmpint (response->total, ==, query->known_total);
      break;

    case HAUL_RESPONSE_RESTART:
      g_assert_true (status == SOUP_STATUS_PARTIAL_CONTENT
                     || status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE);
      g_assert_cmpint (response->reason, !=, HAUL_RESTART_NONE);
      break;

    default:
      g_assert_not_reached ();
    }

  if (response->etag != NULL)
    {
      gsize etag_length = strlen (response->etag);

      g_assert_cmpuint (etag_length, >=, 2);
      g_assert_cmpint (response->etag[0], ==, '"');
      g_assert_cmpint (response->etag[etag_length - 1], ==, '"');
    }
  if (response->last_modified != NULL)
    g_assert_true (g_utf8_validate (response->last_modified, -1, NULL));
  if (response->content_type != NULL)
    g_assert_true (g_utf8_validate (response->content_type, -1, NULL));
}

static void
check_response (const HaulResponseQuery *query,
                guint                    status,
                const char              *reason_phrase,
                SoupMessageHeaders      *headers)
{
  HaulResponse response;
  const HaulResponse cleared = { 0 };
  g_autoptr(GError) error = NULL;

  /* Garbage in, so that "cleared" is proven, not assumed. */
  memset (&response, 0x5a, sizeof response);
  if (haul_response_check (query, status, reason_phrase, headers, &response, &error))
    {
      g_assert_no_error (error);
      check_action (query, status, headers, &response);
      haul_response_clear (&response);
      return;
    }

  g_assert_nonnull (error);
  g_assert_true (error->domain == HAUL_ERROR);
  g_assert_cmpstr (error->message, !=, "");
  haul_fuzz_assert_text (error->message);
  g_assert_true (memcmp (&response, &cleared, sizeof response) == 0);
}

static void
check_helpers (guint               status,
               SoupMessageHeaders *headers)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = haul_response_dup_strong_etag (headers);
  const char *retry_after = soup_message_headers_get_one (headers, "Retry-After");
  gint64 length = 0;
  gint64 seconds;

  if (haul_response_parse_content_length (headers, &length, &error))
    {
      g_assert_no_error (error);
      g_assert_cmpint (length, >=, -1);
    }
  else
    {
      g_assert_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL);
      haul_fuzz_assert_text (error->message);
      g_assert_cmpint (length, ==, -1);
    }

  seconds = haul_response_parse_retry_after (retry_after, NOW_UNIX);
  g_assert_cmpint (seconds, >=, -1);
  g_assert_cmpint (seconds, <=, MAX_RETRY_S);
  if (retry_after == NULL)
    g_assert_cmpint (seconds, ==, -1);

  if (etag != NULL)
    {
      g_assert_cmpuint (strlen (etag), >=, 2);
      g_assert_cmpint (etag[0], ==, '"');
      g_assert_null (memchr (etag + 1, '"', strlen (etag) - 2));
    }
}

static void
check_redirect (guint               status,
                SoupMessageHeaders *headers)
{
  const char *location = soup_message_headers_get_one (headers, "Location");
  g_autoptr(GUri) from = NULL;
  g_autoptr(GUri) next = NULL;
  g_autoptr(GError) error = NULL;

  if (!SOUP_STATUS_IS_REDIRECTION (status) || location == NULL)
    return;

  from = haul_url_parse (REQUEST_URI, NULL);
  next = haul_url_resolve_redirect (from, location, &error);
  if (next != NULL)
    {
      g_assert_no_error (error);
      haul_fuzz_assert_url (next);
      return;
    }

  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_REDIRECT);
  haul_fuzz_assert_text (error->message);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autofree char *reason_phrase = NULL;
  HaulResponseQuery query;
  const char *head;
  guint status = 0;

  head = read_query (text, &query);
  if (!soup_headers_parse_response (head, strlen (head), headers, NULL, &status, &reason_phrase))
    return 0;

  check_response (&query, status, reason_phrase, headers);
  check_helpers (status, headers);
  check_redirect (status, headers);

  return 0;
}
