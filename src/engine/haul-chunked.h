/* haul-chunked.h: a strict decoder of chunked HTTP/1.1 bodies
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* libsoup before 3.6.5 takes an end of the connection at a chunk-size
 * line, and a chunk size it cannot read, for the last chunk: a cut body
 * looks complete. Haul then reads chunked bodies from the connection's
 * buffered stream (below libsoup's decoder) and decodes them here. Built
 * only for those versions (see src/engine/meson.build). */

typedef enum
{
  HAUL_CHUNKED_SIZE_START,
  HAUL_CHUNKED_SIZE,
  HAUL_CHUNKED_EXT,
  HAUL_CHUNKED_SIZE_LF,
  HAUL_CHUNKED_DATA,
  HAUL_CHUNKED_DATA_CR,
  HAUL_CHUNKED_DATA_LF,
  HAUL_CHUNKED_TRAILER_START,
  HAUL_CHUNKED_TRAILER,
  HAUL_CHUNKED_TRAILER_LF,
  HAUL_CHUNKED_FINAL_LF,
  HAUL_CHUNKED_DONE,
  HAUL_CHUNKED_ERROR,
} HaulChunkedState;

/* Plain data, on the stack of the reader: no allocation, no lock. */
typedef struct
{
  HaulChunkedState state;
  guint64          size;    /* of the current chunk, then what is left of it */
  guint            digits;
} HaulChunkedDecoder;

void          haul_chunked_decoder_init        (HaulChunkedDecoder *decoder);
/* Decodes @length bytes of @buffer in place: the data they carry is moved
 * to the front. Returns how many data bytes that is; they are good even
 * when the decoder failed after them (haul_chunked_decoder_failed()).
 * Bytes after the last chunk and trailer are ignored. */
gsize         haul_chunked_decoder_feed        (HaulChunkedDecoder *decoder,
                                                guint8             *buffer,
                                                gsize               length);
gboolean      haul_chunked_decoder_is_done     (const HaulChunkedDecoder *decoder);
gboolean      haul_chunked_decoder_failed      (const HaulChunkedDecoder *decoder);

/* libsoup's stream chain for an HTTP/1.x body: SoupClientInputStream →
 * SoupBodyInputStream → SoupFilterInputStream (the connection's buffered
 * stream, holding any body bytes read along with the headers). Returns
 * the last, or NULL if the chain is not what this code knows (then
 * libsoup's own decoder is all there is). */
GInputStream *haul_chunked_find_raw_stream     (GInputStream       *body_stream);

G_END_DECLS
