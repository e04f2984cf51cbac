/* haul-body.h: one response body, read exactly
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-chunked.h"

G_BEGIN_DECLS

/* On the reader's stack; one thread. */
typedef struct
{
  GInputStream       *stream;    /* (owned) libsoup's body stream */
  GInputStream       *raw;       /* (unowned) (nullable) the connection, for a chunked body */
  HaulChunkedDecoder  decoder;
  gint64              expected;  /* -1: until the last chunk or the end of the connection */
  gint64              read;      /* data bytes handed out */
  gboolean            ended;     /* reached its end cleanly */
  gboolean            left_over; /* the reader stopped before the end */
  GError             *pending;   /* (owned) (nullable) after the data already handed out */
} HaulBody;

void     haul_body_init    (HaulBody      *body,
                            GInputStream  *stream,
                            gint64         expected,
                            gboolean       chunked);
/* Data bytes: > 0; 0 at a clean end with every announced byte there;
 * -1 with G_IO_ERROR_PARTIAL_INPUT when the body ended early (cut,
 * shorter than announced), HAUL_ERROR_PROTOCOL when it is malformed or
 * longer than announced, or the stream's own error. */
gssize   haul_body_read    (HaulBody      *body,
                            guint8        *buffer,
                            gsize          size,
                            GCancellable  *cancellable,
                            GError       **error);
/* The reader needs no more of it (the rest belongs to no one). */
void     haul_body_stop    (HaulBody      *body);
/* Closes the stream: a body read to its end leaves the connection for the
 * next request; any other is dropped. */
void     haul_body_finish  (HaulBody      *body);

G_END_DECLS
