/* haul-body.c: one response body, read exactly
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsoup 3.2.3 calls a chunked body cut at a chunk boundary, or with a
 * chunk size it cannot read, complete. Where that is so (see
 * src/engine/meson.build), a chunked body is read from the connection's
 * buffered stream and decoded strictly (haul-chunked.c); its data bytes
 * before a framing error are still handed out, then the error. Any body
 * with a length must deliver exactly that many bytes.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "haul-body.h"
#include "haul-error.h"
#include "haul-request.h"

void
haul_body_init (HaulBody     *b,
                GInputStream *stream,
                gint64        expected,
                gboolean      chunked)
{
  g_return_if_fail (b != NULL);
  g_return_if_fail (G_IS_INPUT_STREAM (stream));

  memset (b, 0, sizeof *b);
  b->stream = g_object_ref (stream);
  b->expected = expected;
#ifdef HAUL_STRICT_CHUNKED
  if (chunked)
    {
      b->raw = haul_chunked_find_raw_stream (stream);
      /* Unknown chain (a newer libsoup?): its own decoder is all there is. */
      if (b->raw == NULL)
        g_debug ("Unexpected stream chain for a chunked body: %s", G_OBJECT_TYPE_NAME (stream));
      haul_chunked_decoder_init (&b->decoder);
    }
#endif
}

static gssize
ended_early (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "ended early");
  return -1;
}

/* Reads once; returns data bytes (0 may mean "framing only, read again"). */
static gssize
read_once (HaulBody      *b,
           guint8        *buffer,
           gsize          size,
           GCancellable  *cancellable,
           gboolean      *again,
           GError       **error)
{
  gssize n;

  *again = FALSE;
  n = g_input_stream_read (b->raw != NULL ? b->raw : b->stream, buffer, size, cancellable, error);
  if (n < 0)
    return -1;

#ifdef HAUL_STRICT_CHUNKED
  if (b->raw != NULL)
    {
      gsize data = n > 0 ? haul_chunked_decoder_feed (&b->decoder, buffer, n) : 0;

      if (n > 0 && haul_chunked_decoder_failed (&b->decoder))
        haul_set_error (&b->pending, HAUL_ERROR_PROTOCOL,
                        "The server sent a malformed chunked body");
      else if (n == 0 && !haul_chunked_decoder_is_done (&b->decoder))
        ended_early (&b->pending);
      else if (haul_chunked_decoder_is_done (&b->decoder))
        b->ended = TRUE;
      *again = data == 0;
      return data;
    }
#endif

  if (n == 0)
    {
      if (b->expected >= 0 && b->read < b->expected)
        return ended_early (error);
      b->ended = TRUE;
    }
  return n;
}

gssize
haul_body_read (HaulBody      *b,
                guint8        *buffer,
                gsize          size,
                GCancellable  *cancellable,
                GError       **error)
{
  g_return_val_if_fail (b != NULL && b->stream != NULL, -1);
  g_return_val_if_fail (buffer != NULL && size > 0, -1);

  for (;;)
    {
      gboolean again;
      gssize n;

      if (b->pending != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&b->pending));
          return -1;
        }
      if (b->ended)
        return b->expected >= 0 && b->read < b->expected ? ended_early (error) : 0;
      if (b->expected >= 0 && b->raw == NULL)
        size = MIN ((gint64) size, b->expected - b->read);

      n = read_once (b, buffer, size, cancellable, &again, error);
      if (n < 0)
        return -1;
      if (n == 0 && again)
        continue;
      if (n == 0)
        return haul_body_read (b, buffer, size, cancellable, error);

      if (b->expected >= 0 && b->read + n > b->expected)
        {
          haul_set_error (error, HAUL_ERROR_PROTOCOL,
                          "The server sent more than it announced");
          return -1;
        }
      b->read += n;
      /* Nothing more may come: libsoup's stream ends here too. */
      if (b->expected >= 0 && b->read == b->expected && b->raw == NULL)
        b->ended = TRUE;
      return n;
    }
}

void
haul_body_stop (HaulBody *b)
{
  g_return_if_fail (b != NULL);

  b->left_over = TRUE;
}

void
haul_body_finish (HaulBody *b)
{
  g_return_if_fail (b != NULL);

  if (b->stream == NULL)
    return;
  if (b->ended && !b->left_over && b->raw == NULL)
    {
      /* libsoup 3.2 keeps the connection for the next request only once
       * its body stream has reported the end itself; with every announced
       * byte read, that read returns 0 at once, without a system call.
       * Without it each file of a thousand took a new connection. */
      if (b->expected >= 0 && b->read == b->expected)
        {
          guint8 byte;

          g_input_stream_read (b->stream, &byte, 1, NULL, NULL);
        }
      g_input_stream_close (b->stream, NULL, NULL);
    }
  else
    haul_request_abandon (b->stream);
  g_clear_object (&b->stream);
  g_clear_error (&b->pending);
}
