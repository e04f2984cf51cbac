/* haul-chunked.c: a strict decoder of chunked HTTP/1.1 bodies
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 9112 §7.1, read strictly, one byte at a time where it matters:
 * - a chunk size is 1–15 hex digits (more would overflow 60 bits of
 *   length: a lie, not a file), then optional extensions, then CRLF;
 * - chunk data is followed by exactly CRLF;
 * - the last chunk ("0") may carry trailer fields, each ending in CRLF,
 *   and the body ends with an empty line;
 * - a bare LF, a control byte in an extension or a trailer line, or any
 *   other byte where the grammar has none is a framing error. A framing
 *   error is never taken for the end of the body: that is how a cut body
 *   passed as complete.
 */

#include "config.h"

#include <string.h>

#include "haul-chunked.h"

#define MAX_SIZE_DIGITS 15

void
haul_chunked_decoder_init (HaulChunkedDecoder *decoder)
{
  g_return_if_fail (decoder != NULL);

  decoder->state = HAUL_CHUNKED_SIZE_START;
  decoder->size = 0;
  decoder->digits = 0;
}

gboolean
haul_chunked_decoder_is_done (const HaulChunkedDecoder *decoder)
{
  return decoder->state == HAUL_CHUNKED_DONE;
}

gboolean
haul_chunked_decoder_failed (const HaulChunkedDecoder *decoder)
{
  return decoder->state == HAUL_CHUNKED_ERROR;
}

static int
hex_value (guint8 c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* One byte of framing; returns the next state. */
static HaulChunkedState
framing_byte (HaulChunkedDecoder *d,
              guint8              c)
{
  switch (d->state)
    {
    case HAUL_CHUNKED_SIZE_START:
    case HAUL_CHUNKED_SIZE:
      if (hex_value (c) >= 0)
        {
          if (++d->digits > MAX_SIZE_DIGITS)
            return HAUL_CHUNKED_ERROR;
          d->size = d->size * 16 + hex_value (c);
          return HAUL_CHUNKED_SIZE;
        }
      if (d->state == HAUL_CHUNKED_SIZE && (c == ';' || c == ' ' || c == '\t'))
        return HAUL_CHUNKED_EXT;
      if (d->state == HAUL_CHUNKED_SIZE && c == '\r')
        return HAUL_CHUNKED_SIZE_LF;
      return HAUL_CHUNKED_ERROR;

    case HAUL_CHUNKED_EXT:
      if (c == '\r')
        return HAUL_CHUNKED_SIZE_LF;
      if (c == '\n' || (c < 0x20 && c != '\t') || c == 0x7f)
        return HAUL_CHUNKED_ERROR;
      return HAUL_CHUNKED_EXT;

    case HAUL_CHUNKED_SIZE_LF:
      if (c != '\n')
        return HAUL_CHUNKED_ERROR;
      return d->size > 0 ? HAUL_CHUNKED_DATA : HAUL_CHUNKED_TRAILER_START;

    case HAUL_CHUNKED_DATA_CR:
      return c == '\r' ? HAUL_CHUNKED_DATA_LF : HAUL_CHUNKED_ERROR;

    case HAUL_CHUNKED_DATA_LF:
      if (c != '\n')
        return HAUL_CHUNKED_ERROR;
      d->size = 0;
      d->digits = 0;
      return HAUL_CHUNKED_SIZE_START;

    case HAUL_CHUNKED_TRAILER_START:
      if (c == '\r')
        return HAUL_CHUNKED_FINAL_LF;
      if (c == '\n' || (c < 0x20 && c != '\t') || c == 0x7f)
        return HAUL_CHUNKED_ERROR;
      return HAUL_CHUNKED_TRAILER;

    case HAUL_CHUNKED_TRAILER:
      if (c == '\r')
        return HAUL_CHUNKED_TRAILER_LF;
      if (c == '\n' || (c < 0x20 && c != '\t') || c == 0x7f)
        return HAUL_CHUNKED_ERROR;
      return HAUL_CHUNKED_TRAILER;

    case HAUL_CHUNKED_TRAILER_LF:
      return c == '\n' ? HAUL_CHUNKED_TRAILER_START : HAUL_CHUNKED_ERROR;

    case HAUL_CHUNKED_FINAL_LF:
      return c == '\n' ? HAUL_CHUNKED_DONE : HAUL_CHUNKED_ERROR;

    case HAUL_CHUNKED_DATA:
    case HAUL_CHUNKED_DONE:
    case HAUL_CHUNKED_ERROR:
    default:
      g_assert_not_reached ();
    }
}

gsize
haul_chunked_decoder_feed (HaulChunkedDecoder *d,
                           guint8             *buffer,
                           gsize               length)
{
  gsize out = 0;
  gsize i = 0;

  g_return_val_if_fail (d != NULL, 0);
  g_return_val_if_fail (buffer != NULL || length == 0, 0);

  while (i < length && d->state != HAUL_CHUNKED_DONE && d->state != HAUL_CHUNKED_ERROR)
    {
      if (d->state == HAUL_CHUNKED_DATA)
        {
          gsize n = MIN ((guint64) (length - i), d->size);

          memmove (buffer + out, buffer + i, n);
          out += n;
          i += n;
          d->size -= n;
          if (d->size == 0)
            d->state = HAUL_CHUNKED_DATA_CR;
          continue;
        }

      d->state = framing_byte (d, buffer[i]);
      i++;
    }

  return out;
}

GInputStream *
haul_chunked_find_raw_stream (GInputStream *top)
{
  GInputStream *stream = top;

  g_return_val_if_fail (G_IS_INPUT_STREAM (top), NULL);

  for (guint depth = 0; depth < 4 && G_IS_FILTER_INPUT_STREAM (stream); depth++)
    {
      GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));

      if (g_str_equal (G_OBJECT_TYPE_NAME (stream), "SoupBodyInputStream"))
        return g_str_equal (G_OBJECT_TYPE_NAME (base), "SoupFilterInputStream") ? base : NULL;
      stream = base;
    }
  return NULL;
}
