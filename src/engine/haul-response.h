/* haul-response.h: what an HTTP answer means for a download
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* What was asked for. */
typedef struct
{
  gint64      offset;         /* first byte asked for; 0 without a Range */
  gint64      end;            /* one past the last byte asked for; -1: to the end */
  gboolean    ranged;         /* a Range header was sent ("bytes=0-" on a fresh start too) */
  gint64      known_total;    /* the length announced before, -1 if none */
  const char *etag;           /* (nullable) strong ETag of the bytes on disk */
  const char *last_modified;  /* (nullable) Last-Modified of the bytes on disk */
  gboolean    by_content;     /* no validator: the caller compares the bytes before
                               * the resume point, which this range starts with */
} HaulResponseQuery;

typedef enum
{
  HAUL_RESPONSE_APPEND,     /* 206 for exactly the bytes asked for, of the same version */
  HAUL_RESPONSE_FROM_ZERO,  /* 200: the whole file, from byte 0 */
  HAUL_RESPONSE_HAVE_ALL,   /* 416, and every byte is provably on disk already */
  HAUL_RESPONSE_RESTART,    /* start again from zero, with no Range */
} HaulResponseAction;

/* Why bytes on disk are dropped: only CHANGED says "the file changed". */
typedef enum
{
  HAUL_RESTART_NONE,
  HAUL_RESTART_CHANGED,     /* a validator of the server differs from the bytes' */
  HAUL_RESTART_NO_RANGES,   /* the server sent the whole file to a range request */
  HAUL_RESTART_UNPROVEN,    /* a 416 that does not prove the file is complete */
} HaulRestartReason;

typedef struct
{
  HaulResponseAction action;
  HaulRestartReason  reason;
  gint64             expected;       /* body bytes; -1: until the last chunk or the close */
  gint64             total;          /* the file's length, -1 if unknown */
  gboolean           chunked;
  gboolean           ranges;         /* the server proved it serves ranges (a correct 206) */
  char              *etag;           /* (owned) (nullable) strong ETag of this answer */
  char              *last_modified;  /* (owned) (nullable) */
  char              *content_type;   /* (owned) (nullable) */
} HaulResponse;

void      haul_response_clear                 (HaulResponse             *response);

/* Decides what an answer means; never trusts it further than its
 * headers agree with each other and with what was asked. A 4xx/5xx is
 * HAUL_ERROR_HTTP, or HAUL_ERROR_SERVER_BUSY for the temporary ones
 * (haul_response_status_is_temporary()); contradictions are
 * HAUL_ERROR_PROTOCOL (then @response holds nothing to free). Pure:
 * fuzzed in tests/fuzz/. */
gboolean  haul_response_check                 (const HaulResponseQuery  *query,
                                               guint                     status,
                                               const char               *reason_phrase,
                                               SoupMessageHeaders       *headers,
                                               HaulResponse             *response,
                                               GError                  **error);

/* 408, 425, 429, 500, 502, 503, 504: worth asking again later. */
gboolean  haul_response_status_is_temporary   (guint                     status);
gboolean  haul_response_set_status_error      (guint                     status,
                                               const char               *reason_phrase,
                                               GError                  **error);
/* Retry-After as delta-seconds or an HTTP-date, relative to @now_unix,
 * capped at an hour; -1 if absent or unreadable. */
gint64    haul_response_parse_retry_after     (const char               *value,
                                               gint64                    now_unix);

/* Content-Length: one value or several equal ones, digits only; -1 if
 * absent. libsoup takes the first number it can read. */
gboolean  haul_response_parse_content_length  (SoupMessageHeaders       *headers,
                                               gint64                   *length,
                                               GError                  **error);
/* The ETag if it is strong ("…", not W/"…"), else NULL. */
char     *haul_response_dup_strong_etag       (SoupMessageHeaders       *headers);

G_END_DECLS
