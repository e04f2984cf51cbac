/* haul-identity.c: is the file at an address the one whose bytes are on disk?
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For a new address of a download (an expired link refreshed) and for a
 * browser's partial download Haul takes over, the bytes on disk may be
 * kept only if the server's file is provably the same one:
 *  1. One request for the last bytes on disk before the resume point,
 *     [end - 64 KiB, end) (or from where they start), no If-Range: a 206
 *     for exactly them, with the file's length in Content-Range.
 *  2. The length must be the one recorded (when one was), and a strong
 *     ETag or a Last-Modified that both sides give must be the same.
 *  3. The bytes must be the same as on disk, validators or not: two
 *     versions of a file are never spliced together.
 *  4. A server that sends the whole file (200) or no length cannot show
 *     any of this: "cannot tell". A 416 for a range inside the recorded
 *     length says the file is shorter now: another file.
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "haul-body.h"
#include "haul-error.h"
#include "haul-identity.h"
#include "haul-naming.h"
#include "haul-response.h"
#include "haul-url.h"

G_DEFINE_ENUM_TYPE (HaulAddressCheck, haul_address_check,
                    G_DEFINE_ENUM_VALUE (HAUL_ADDRESS_SAME_FILE, "same-file"),
                    G_DEFINE_ENUM_VALUE (HAUL_ADDRESS_DIFFERENT_FILE, "different-file"),
                    G_DEFINE_ENUM_VALUE (HAUL_ADDRESS_CANNOT_TELL, "cannot-tell"))

void
haul_identity_answer_clear (HaulIdentityAnswer *answer)
{
  g_return_if_fail (answer != NULL);

  g_clear_pointer (&answer->etag, g_free);
  g_clear_pointer (&answer->last_modified, g_free);
  g_clear_pointer (&answer->content_type, g_free);
  g_clear_pointer (&answer->final_uri, g_free);
  g_clear_pointer (&answer->file_name, g_free);
  memset (answer, 0, sizeof *answer);
  answer->total = -1;
}

/* The bytes on disk, never through a link. */
static gboolean
read_disk (const char  *path,
           gint64       offset,
           guint8      *data,
           gsize        length,
           GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  int fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  gsize have = 0;

  if (fd < 0)
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_PARTIAL_MISSING,
                   _("The partly downloaded file %s cannot be read: %s"), display,
                   g_strerror (errno));
      return FALSE;
    }
  while (have < length)
    {
      ssize_t n = pread (fd, data + have, length - have, offset + have);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          close (fd);
          g_set_error (error, HAUL_ERROR, HAUL_ERROR_PARTIAL_MISMATCH,
                       _("The partly downloaded file %s is shorter than recorded"), display);
          return FALSE;
        }
      have += n;
    }
  close (fd);
  return TRUE;
}

/* Rule 2: a validator both sides give, and it differs. */
static gboolean
validators_differ (const HaulIdentityQuery  *query,
                   const HaulIdentityAnswer *answer)
{
  if (query->etag != NULL && answer->etag != NULL)
    return !g_str_equal (query->etag, answer->etag);
  if (query->last_modified != NULL && answer->last_modified != NULL)
    return !g_str_equal (query->last_modified, answer->last_modified);
  return FALSE;
}

/* Rule 3: the body of the 206, against the disk. */
static gboolean
same_bytes (HaulRequest              *request,
            SoupMessage              *msg,
            GInputStream             *stream,
            const HaulIdentityQuery  *query,
            gint64                    start,
            GCancellable             *cancellable,
            gboolean                 *same,
            GError                  **error)
{
  gsize length = query->end - start;
  g_autofree guint8 *server = g_malloc (length);
  g_autofree guint8 *disk = g_malloc (length);
  HaulBody body = { 0 };
  gsize have = 0;
  gboolean chunked = soup_message_headers_get_encoding (soup_message_get_response_headers (msg))
                     == SOUP_ENCODING_CHUNKED;

  haul_body_init (&body, stream, length, chunked);
  while (have < length)
    {
      g_autoptr(GError) local = NULL;
      gssize n = haul_body_read (&body, server + have, length - have, cancellable, &local);

      if (n <= 0)
        {
          haul_body_finish (&body);
          if (n == 0 || g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
            g_set_error_literal (error, HAUL_ERROR, HAUL_ERROR_TRUNCATED,
                                 _("The connection closed before the part of the file "
                                   "to compare arrived"));
          else
            haul_request_map_error (request, msg, local, cancellable, error);
          return FALSE;
        }
      have += n;
    }
  haul_body_finish (&body);

  if (!read_disk (query->path, start, disk, length, error))
    return FALSE;
  *same = memcmp (server, disk, length) == 0;
  return TRUE;
}

static void
take_headers (SoupMessage        *msg,
              HaulRequest        *request,
              HaulIdentityAnswer *answer)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  const char *last_modified = soup_message_headers_get_one (headers, "Last-Modified");
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);

  answer->etag = haul_response_dup_strong_etag (headers);
  if (last_modified != NULL && g_utf8_validate (last_modified, -1, NULL))
    answer->last_modified = g_strdup (last_modified);
  if (content_type != NULL && g_utf8_validate (content_type, -1, NULL))
    answer->content_type = g_strdup (content_type);
  answer->final_uri = g_uri_to_string (haul_request_get_uri (request));
  answer->file_name = haul_naming_from_response (headers, haul_request_get_uri (request));
}

gboolean
haul_identity_check (SoupSession              *session,
                     const char               *uri,
                     const HaulRequestHeaders *headers,
                     const HaulIdentityQuery  *query,
                     GCancellable             *cancellable,
                     HaulIdentityAnswer       *answer,
                     GError                  **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GUri) origin = NULL;
  g_autoptr(HaulRequest) request = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  gint64 start;
  goffset first = -1;
  goffset last = -1;
  goffset total = -1;
  guint status;
  gboolean same = FALSE;

  g_return_val_if_fail (SOUP_IS_SESSION (session), FALSE);
  g_return_val_if_fail (uri != NULL && query != NULL && answer != NULL, FALSE);
  g_return_val_if_fail (query->path != NULL && query->end > MAX (query->from, 0), FALSE);

  memset (answer, 0, sizeof *answer);
  answer->total = -1;
  answer->check = HAUL_ADDRESS_CANNOT_TELL;

  parsed = haul_url_parse (uri, error);
  if (parsed == NULL)
    return FALSE;
  origin = haul_url_strip_userinfo (parsed);
  request = haul_request_new (session, origin, parsed, headers);

  /* Rule 1. */
  start = MAX (query->end - HAUL_IDENTITY_WINDOW, MAX (query->from, 0));
  stream = haul_request_send (request, start, query->end, TRUE, NULL, cancellable, &msg, error);
  if (stream == NULL)
    return FALSE;
  status = soup_message_get_status (msg);
  take_headers (msg, request, answer);

  if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE)
    {
      /* Rule 4: shorter than the bytes we have. */
      haul_request_abandon (stream);
      answer->check = HAUL_ADDRESS_DIFFERENT_FILE;
      return TRUE;
    }
  if (status == SOUP_STATUS_OK)
    {
      haul_request_abandon (stream);
      return TRUE;
    }
  if (status != SOUP_STATUS_PARTIAL_CONTENT)
    {
      haul_request_abandon (stream);
      return haul_response_set_status_error (status, soup_message_get_reason_phrase (msg), error);
    }

  if (!soup_message_headers_get_content_range (soup_message_get_response_headers (msg),
                                               &first, &last, &total))
    total = -1;
  if (total >= 0 && total < query->end)
    {
      /* Rule 4: shorter than the bytes we have. */
      haul_request_abandon (stream);
      answer->total = total;
      answer->check = HAUL_ADDRESS_DIFFERENT_FILE;
      return TRUE;
    }
  if (total < 0 || first != start || last != query->end - 1)
    {
      /* A 206 of something else, or without the length: nothing proved. */
      haul_request_abandon (stream);
      return TRUE;
    }
  answer->total = total;

  /* Rule 2. */
  if ((query->total >= 0 && total != query->total) || validators_differ (query, answer))
    {
      haul_request_abandon (stream);
      answer->check = HAUL_ADDRESS_DIFFERENT_FILE;
      return TRUE;
    }

  /* Rule 3. */
  if (!same_bytes (request, msg, stream, query, start, cancellable, &same, error))
    return FALSE;
  answer->check = same ? HAUL_ADDRESS_SAME_FILE : HAUL_ADDRESS_DIFFERENT_FILE;
  return TRUE;
}
