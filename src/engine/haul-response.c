/* haul-response.c: what an HTTP answer means for a download
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsoup 3.2.3 reads a response's headers leniently: the first number of
 * a Content-Length list, a negative length, a Content-Range that is not
 * the one asked for. Every answer is checked here before one byte of its
 * body goes to disk:
 * - only 200, or a 206 for exactly the bytes asked for (start, end and
 *   total) whose validators are those of the bytes already on disk;
 * - a 416 means "you have it all" only when its length equals what was
 *   announced before, equals what is on disk, and its validator matches;
 *   otherwise it proves nothing, and the download starts again;
 * - Content-Length is digits only, and several values must agree.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "haul-error.h"
#include "haul-response.h"

#define MAX_RETRY_AFTER_S 3600

void
haul_response_clear (HaulResponse *response)
{
  g_return_if_fail (response != NULL);

  g_clear_pointer (&response->etag, g_free);
  g_clear_pointer (&response->last_modified, g_free);
  g_clear_pointer (&response->content_type, g_free);
  memset (response, 0, sizeof *response);
}

static gboolean
parse_digits (const char *text,
              gint64     *value)
{
  gsize length = strlen (text);

  if (length == 0 || length > 18 || strspn (text, "0123456789") != length)
    return FALSE;
  *value = g_ascii_strtoll (text, NULL, 10);
  return TRUE;
}

gboolean
haul_response_parse_content_length (SoupMessageHeaders  *headers,
                                    gint64              *length,
                                    GError             **error)
{
  const char *list;
  g_auto(GStrv) values = NULL;
  gint64 value = -1;

  g_return_val_if_fail (headers != NULL, FALSE);
  g_return_val_if_fail (length != NULL, FALSE);

  *length = -1;
  list = soup_message_headers_get_list (headers, "Content-Length");
  if (list == NULL)
    return TRUE;

  values = g_strsplit (list, ",", 64);
  for (guint i = 0; values[i] != NULL; i++)
    {
      gint64 parsed;

      if (!parse_digits (g_strstrip (values[i]), &parsed) || (value >= 0 && parsed != value))
        {
          g_autofree char *shown = haul_error_printable (list, -1, ' ');

          haul_set_error (error, HAUL_ERROR_PROTOCOL,
                          "The server sent a malformed or contradictory length (“%s”)", shown);
          return FALSE;
        }
      value = parsed;
    }

  *length = value;
  return TRUE;
}

char *
haul_response_dup_strong_etag (SoupMessageHeaders *headers)
{
  const char *etag;
  gsize length;

  g_return_val_if_fail (headers != NULL, NULL);

  etag = soup_message_headers_get_one (headers, "ETag");
  if (etag == NULL)
    return NULL;
  length = strlen (etag);
  /* W/"…" is weak: it may not guard a byte range (RFC 9110 §13.1.5). */
  if (length < 2 || etag[0] != '"' || etag[length - 1] != '"'
      || memchr (etag + 1, '"', length - 2) != NULL)
    return NULL;
  return g_strdup (etag);
}

gboolean
haul_response_status_is_temporary (guint status)
{
  switch (status)
    {
    case 408: /* Request Timeout */
    case 425: /* Too Early */
    case 429: /* Too Many Requests */
    case 500: /* Internal Server Error */
    case 502: /* Bad Gateway */
    case 503: /* Service Unavailable */
    case 504: /* Gateway Timeout */
      return TRUE;
    default:
      return FALSE;
    }
}

gint64
haul_response_parse_retry_after (const char *value,
                                 gint64      now_unix)
{
  g_autofree char *text = NULL;
  gint64 seconds;
  GDateTime *date;

  if (value == NULL)
    return -1;
  text = g_strstrip (g_strdup (value));

  if (parse_digits (text, &seconds))
    return MIN (seconds, MAX_RETRY_AFTER_S);

  date = soup_date_time_new_from_http_string (text);
  if (date == NULL)
    return -1;
  seconds = g_date_time_to_unix (date) - now_unix;
  g_date_time_unref (date);
  return CLAMP (seconds, 0, MAX_RETRY_AFTER_S);
}

/* The standard phrase of @status when there is one (a server's own text
 * may be anything, in any encoding), else the server's made valid; or
 * %NULL. */
static char *
status_phrase (guint       status,
               const char *reason_phrase)
{
  const char *standard = soup_status_get_phrase (status);

  /* Two a busy server sends that libsoup 3.2 does not name (and HTTP/2
   * carries no phrase at all). */
  if (status == 425)
    standard = "Too Early";
  else if (status == 429)
    standard = "Too Many Requests";

  if (standard != NULL && *standard != '\0' && !g_str_equal (standard, "Unknown Error"))
    return g_strdup (standard);
  if (reason_phrase == NULL || *reason_phrase == '\0')
    return NULL;

  return haul_error_printable (reason_phrase, -1, ' ');
}

/* "The server answered 503 Service Unavailable" */
static void
set_status_text (GError     **error,
                 HaulError    code,
                 guint        status,
                 const char  *reason_phrase)
{
  g_autofree char *number = g_strdup_printf ("%u", status);
  g_autofree char *phrase = status_phrase (status, reason_phrase);

  if (phrase == NULL)
    haul_set_error (error, code, "The server answered %s", number);
  else
    /* Translators: a status number, then its name ("404", "Not Found") */
    haul_set_error (error, code, "The server answered %s %s", number, phrase);
}

/**
 * haul_response_set_status_error:
 * @status: an HTTP status that ends an attempt
 * @reason_phrase: (nullable): the server's phrase for it
 * @error: set to what a person reads about @status
 *
 * HAUL_ERROR_SERVER_BUSY for a status worth waiting out
 * (haul_response_status_is_temporary()), else HAUL_ERROR_HTTP.
 *
 * Returns: %FALSE, for the callers' convenience
 */
gboolean
haul_response_set_status_error (guint        status,
                                const char  *reason_phrase,
                                GError     **error)
{
  /* What a person can do about these two: give a password, or nothing. */
  if (status == SOUP_STATUS_UNAUTHORIZED)
    haul_set_error_literal (error, HAUL_ERROR_HTTP,
                            N_("The server asks for a user name and password "
                               "(401 Unauthorized)"));
  else if (status == SOUP_STATUS_FORBIDDEN)
    haul_set_error_literal (error, HAUL_ERROR_HTTP,
                            N_("The server does not allow this file to be downloaded "
                               "(403 Forbidden)"));
  else
    set_status_text (error,
                     haul_response_status_is_temporary (status) ? HAUL_ERROR_SERVER_BUSY
                                                                : HAUL_ERROR_HTTP,
                     status, reason_phrase);
  return FALSE;
}

/* The N of "bytes * / N" (no spaces) in a 416, or -1. */
static gint64
unsatisfied_total (SoupMessageHeaders *headers)
{
  const char *range = soup_message_headers_get_one (headers, "Content-Range");
  gint64 total;

  if (range == NULL || !g_str_has_prefix (range, "bytes */"))
    return -1;
  if (!parse_digits (range + strlen ("bytes */"), &total))
    return -1;
  return total;
}

/* Do the answer's validators name the version of the bytes on disk? Only
 * a validator both sides have can say yes. */
static gboolean
same_version (const HaulResponseQuery *query,
              const HaulResponse      *response)
{
  if (query->etag != NULL)
    return g_strcmp0 (query->etag, response->etag) == 0;
  if (query->last_modified != NULL)
    return g_strcmp0 (query->last_modified, response->last_modified) == 0;
  return FALSE;
}

/* The answer names another version (not merely no validator at all). */
static gboolean
version_changed (const HaulResponseQuery *query,
                 const HaulResponse      *response)
{
  if (query->etag != NULL && response->etag != NULL)
    return !g_str_equal (query->etag, response->etag);
  if (query->last_modified != NULL && response->last_modified != NULL)
    return !g_str_equal (query->last_modified, response->last_modified);
  return FALSE;
}

static void
take_validators (SoupMessageHeaders *headers,
                 HaulResponse       *response)
{
  const char *last_modified = soup_message_headers_get_one (headers, "Last-Modified");
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);

  response->etag = haul_response_dup_strong_etag (headers);
  if (last_modified != NULL && g_utf8_validate (last_modified, -1, NULL))
    response->last_modified = g_strdup (last_modified);
  if (content_type != NULL && g_utf8_validate (content_type, -1, NULL))
    response->content_type = g_strdup (content_type);
}

static gboolean
check_416 (const HaulResponseQuery *query,
           SoupMessageHeaders      *headers,
           HaulResponse            *response)
{
  gint64 total = unsatisfied_total (headers);

  /* All of these, or the half file of a cut body would pass for whole
   * (the server's file may now be shorter, or another one). */
  if (total >= 0 && total == query->offset && query->known_total == total
      && same_version (query, response))
    {
      response->action = HAUL_RESPONSE_HAVE_ALL;
      response->total = total;
      return TRUE;
    }

  response->action = HAUL_RESPONSE_RESTART;
  response->reason = version_changed (query, response) ? HAUL_RESTART_CHANGED
                                                       : HAUL_RESTART_UNPROVEN;
  return TRUE;
}

static gboolean
check_206 (const HaulResponseQuery *query,
           SoupMessageHeaders      *headers,
           gint64                   length,
           HaulResponse            *response,
           GError                 **error)
{
  goffset start = -1;
  goffset end = -1;
  goffset total = -1;

  if (!query->ranged)
    {
      haul_set_error (error, HAUL_ERROR_PROTOCOL,
                      "The server sent part of the file when the whole was asked for");
      return FALSE;
    }

  if (!soup_message_headers_get_content_range (headers, &start, &end, &total)
      || start != query->offset || end < start
      || (query->end >= 0 && end != query->end - 1)
      || (query->end < 0 && total >= 0 && end != total - 1)
      || (total >= 0 && end >= total)
      || (total >= 0 && query->known_total >= 0 && total != query->known_total
          && !query->by_content)
      || (length >= 0 && length != end - start + 1))
    {
      haul_set_error (error, HAUL_ERROR_PROTOCOL,
                      "The server sent a different part of the file than was asked for");
      return FALSE;
    }

  /* Bytes on disk (offset > 0) must be of this very version; at offset 0
   * there is nothing to compare with yet. Without a validator, the caller
   * compares bytes instead (then the total must be known and the same). */
  if (query->by_content && (total < 0 || total != query->known_total))
    {
      response->action = HAUL_RESPONSE_RESTART;
      response->reason = total < 0 ? HAUL_RESTART_UNPROVEN : HAUL_RESTART_CHANGED;
      return TRUE;
    }
  if (query->offset > 0 && !query->by_content && !same_version (query, response))
    {
      response->action = HAUL_RESPONSE_RESTART;
      response->reason = version_changed (query, response) ? HAUL_RESTART_CHANGED
                                                           : HAUL_RESTART_UNPROVEN;
      return TRUE;
    }

  response->action = HAUL_RESPONSE_APPEND;
  response->expected = end - start + 1;
  response->total = total >= 0 ? total : -1;
  response->ranges = TRUE;
  return TRUE;
}

static gboolean
check (const HaulResponseQuery  *query,
       guint                     status,
       const char               *reason_phrase,
       SoupMessageHeaders       *headers,
       HaulResponse             *response,
       GError                  **error)
{
  gint64 length = -1;

  memset (response, 0, sizeof *response);
  response->expected = -1;
  response->total = -1;
  take_validators (headers, response);

  if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && query->ranged && query->offset > 0)
    return check_416 (query, headers, response);

  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_PARTIAL_CONTENT)
    {
      if (status >= 200 && status < 300)
        {
          g_autoptr(GError) reason = NULL;

          set_status_text (&reason, HAUL_ERROR_PROTOCOL, status, reason_phrase);
          haul_set_error_because (error, HAUL_ERROR_PROTOCOL, reason,
                                  /* Translators: "The server answered 204 No Content", then this */
                                  "%s instead of sending the file", reason->message);
          return FALSE;
        }
      return haul_response_set_status_error (status, reason_phrase, error);
    }

  response->chunked = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED;
  /* A length beside chunked framing is ignored (RFC 9112 §6.3). */
  if (!response->chunked && !haul_response_parse_content_length (headers, &length, error))
    return FALSE;

  if (status == SOUP_STATUS_PARTIAL_CONTENT)
    return check_206 (query, headers, length, response, error);

  /* 200: the whole file from byte 0, whatever was on disk. */
  response->action = HAUL_RESPONSE_FROM_ZERO;
  response->expected = length;
  response->total = length;
  if (query->ranged && query->offset > 0)
    response->reason = version_changed (query, response) ? HAUL_RESTART_CHANGED
                                                         : HAUL_RESTART_NO_RANGES;
  return TRUE;
}

gboolean
haul_response_check (const HaulResponseQuery  *query,
                     guint                     status,
                     const char               *reason_phrase,
                     SoupMessageHeaders       *headers,
                     HaulResponse             *response,
                     GError                  **error)
{
  g_return_val_if_fail (query != NULL, FALSE);
  g_return_val_if_fail (headers != NULL, FALSE);
  g_return_val_if_fail (response != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* On failure nothing is left for the caller to free. */
  if (!check (query, status, reason_phrase, headers, response, error))
    {
      haul_response_clear (response);
      return FALSE;
    }
  return TRUE;
}
