/* haul-test-ranges.h: raw answers to range requests, misbehaving on demand
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Called from the handler's thread after each write the kernel took. */
typedef void (*HaulTestSentFunc) (gsize    n_bytes,
                                  gpointer data);

/* How a raw handler (haul-test-server.h) answers a GET of a body; every
 * field may be 0 for a correct answer. */
typedef struct
{
  const char      *etag;          /* (nullable) sent as is, e.g. "\"v1\"" */
  gboolean         ignore_range;  /* 200 with the whole body to a range request */
  guint            status;        /* answer this status with an empty body (e.g. 503) */
  const char      *extra_headers; /* (nullable) more "Name: value\r\n" lines */
  gsize            cut_after;     /* close after this many body bytes (0: never) */
  gsize            stall_after;   /* stop sending after this many body bytes … */
  guint            stall_ms;      /* … for this long, then close */
  gsize            write_size;    /* bytes per write (0: 64 KiB) */
  guint64          bytes_per_second; /* throttled to this (0: as fast as it goes) */
  HaulTestSentFunc on_sent;       /* (nullable) */
  gpointer         on_sent_data;
} HaulTestRawAnswer;

/* The first "Range: bytes=START-END" (or "START-") of @head; *end is
 * one past the last byte, -1 when open. */
gboolean haul_test_parse_range   (const char              *head,
                                  gint64                  *start,
                                  gint64                  *end);
/* Answers the request in @head for @body as @how says: a 206 with
 * Content-Range to a range request (200 otherwise), "Connection: close". */
void     haul_test_raw_answer    (GSocketConnection       *connection,
                                  const char              *head,
                                  GBytes                  *body,
                                  const HaulTestRawAnswer *how);

G_END_DECLS
