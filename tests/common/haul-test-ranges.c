/* haul-test-ranges.c: raw answers to range requests, misbehaving on demand
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "haul-test-ranges.h"
#include "haul-test-server.h"

#define DEFAULT_WRITE (64 * 1024)

gboolean
haul_test_parse_range (const char *head,
                       gint64     *start,
                       gint64     *end)
{
  const char *range = strstr (head, "\r\nRange: bytes=");
  char *rest = NULL;

  *start = 0;
  *end = -1;
  if (range == NULL)
    return FALSE;
  range += strlen ("\r\nRange: bytes=");
  *start = g_ascii_strtoll (range, &rest, 10);
  if (rest == range || *rest != '-')
    return FALSE;
  rest++;
  if (g_ascii_isdigit (*rest))
    *end = g_ascii_strtoll (rest, NULL, 10) + 1;
  return TRUE;
}

void
haul_test_raw_answer (GSocketConnection       *connection,
                      const char              *head,
                      GBytes                  *body,
                      const HaulTestRawAnswer *how)
{
  static const HaulTestRawAnswer plain = { 0 };
  gsize size;
  const guint8 *data = g_bytes_get_data (body, &size);
  gint64 start = 0;
  gint64 end = -1;
  gboolean ranged;
  g_autoptr(GString) reply = g_string_new (NULL);
  gsize write_size;
  gsize sent = 0;
  gint64 started;

  if (how == NULL)
    how = &plain;
  write_size = how->write_size > 0 ? how->write_size : DEFAULT_WRITE;

  if (how->status != 0)
    {
      g_string_printf (reply, "HTTP/1.1 %u %s\r\nContent-Length: 0\r\n%s"
                       "Connection: close\r\n\r\n", how->status,
                       soup_status_get_phrase (how->status),
                       how->extra_headers != NULL ? how->extra_headers : "");
      haul_test_raw_write (connection, reply->str, reply->len);
      return;
    }

  ranged = haul_test_parse_range (head, &start, &end) && !how->ignore_range;
  if (!ranged)
    {
      start = 0;
      end = size;
    }
  if (end < 0 || end > (gint64) size)
    end = size;
  if (start >= (gint64) size || start >= end)
    {
      g_string_printf (reply, "HTTP/1.1 416 Range Not Satisfiable\r\n"
                       "Content-Range: bytes */%" G_GSIZE_FORMAT "\r\n"
                       "Content-Length: 0\r\nConnection: close\r\n\r\n", size);
      haul_test_raw_write (connection, reply->str, reply->len);
      return;
    }

  if (ranged)
    g_string_printf (reply, "HTTP/1.1 206 Partial Content\r\n"
                     "Content-Range: bytes %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT
                     "/%" G_GSIZE_FORMAT "\r\n", start, end - 1, size);
  else
    g_string_printf (reply, "HTTP/1.1 200 OK\r\n");
  g_string_append_printf (reply, "Content-Length: %" G_GINT64_FORMAT "\r\n"
                          "Content-Type: application/octet-stream\r\n", end - start);
  if (!how->ignore_range)
    g_string_append (reply, "Accept-Ranges: bytes\r\n");
  if (how->etag != NULL)
    g_string_append_printf (reply, "ETag: %s\r\n", how->etag);
  if (how->extra_headers != NULL)
    g_string_append (reply, how->extra_headers);
  g_string_append (reply, "Connection: close\r\n\r\n");
  if (!haul_test_raw_write (connection, reply->str, reply->len))
    return;

  started = g_get_monotonic_time ();
  while (start + (gint64) sent < end)
    {
      gsize n = MIN (write_size, (gsize) (end - start) - sent);

      if (how->cut_after > 0)
        {
          if (sent >= how->cut_after)
            return;
          n = MIN (n, how->cut_after - sent);
        }
      if (how->stall_after > 0)
        {
          if (sent >= how->stall_after)
            {
              g_usleep (how->stall_ms * G_TIME_SPAN_MILLISECOND);
              return;
            }
          n = MIN (n, how->stall_after - sent);
        }
      if (!haul_test_raw_write (connection, data + start + sent, n))
        return;
      sent += n;
      if (how->on_sent != NULL)
        how->on_sent (n, how->on_sent_data);
      if (how->bytes_per_second > 0)
        {
          gint64 due = started + (gint64) (sent * (double) G_USEC_PER_SEC / how->bytes_per_second);
          gint64 now = g_get_monotonic_time ();

          if (due > now)
            g_usleep (due - now);
        }
    }
}
