/* haul-request.h: one HTTP exchange of a transfer, redirects included
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* What a download sends besides the URL. Memory only: never written to
 * the database or a log. Credentials and cookies go to the origin of the
 * first URL only, never along a redirect to another site. */
typedef struct
{
  char *authorization;  /* (owned) (nullable) an Authorization header value */
  char *cookies;        /* (owned) (nullable) a Cookie header value */
  char *referrer;       /* (owned) (nullable) */
  char *user_agent;     /* (owned) (nullable) */
} HaulRequestHeaders;

HaulRequestHeaders *haul_request_headers_copy     (const HaulRequestHeaders *headers);
void                haul_request_headers_free     (HaulRequestHeaders       *headers);

/* One connection's requests (worker side; not shared between threads):
 * the session, the origin the headers belong to and the current URL. */
typedef struct _HaulRequest HaulRequest;

HaulRequest        *haul_request_new              (SoupSession              *session,
                                                   GUri                     *origin,
                                                   GUri                     *uri,
                                                   const HaulRequestHeaders *headers);
void                haul_request_free             (HaulRequest              *request);
/* Under a speed limit: each request from now on goes on a new connection
 * of its own, closed after it, whose socket buffers about what
 * @bytes_per_second (this connection's share of the limit) needs, not the
 * megabytes a server would otherwise send at once. 0: as usual. */
void                haul_request_set_receive_rate (HaulRequest              *request,
                                                   guint64                   bytes_per_second);
/* Ask for the file's digest (RFC 9530 Want-Repr-Digest) in the next
 * requests. */
void                haul_request_set_want_digest  (HaulRequest              *request,
                                                   gboolean                  want);
/* Follow redirects to @host only (nullable: anywhere the URL policy
 * allows); another is HAUL_ERROR_REDIRECT. */
void                haul_request_set_host_only    (HaulRequest              *request,
                                                   const char               *host);
/* Where the last request ended up, after redirects. */
GUri               *haul_request_get_uri          (HaulRequest              *request);

/* Sends a GET for bytes [@offset, @end) (@end -1: to the end; no Range
 * when both are 0 and -1 … unless @ranged, which asks "bytes=0-" to learn
 * whether ranges work), with If-Range @if_range when resuming, following
 * redirects itself (http(s) only, at most 10, no loops, never https →
 * http). Returns the body stream and the final message, or NULL with an
 * error a person can act on (G_IO_ERROR_CANCELLED when @cancellable
 * fired). */
GInputStream       *haul_request_send             (HaulRequest              *request,
                                                   gint64                    offset,
                                                   gint64                    end,
                                                   gboolean                  ranged,
                                                   const char               *if_range,
                                                   GCancellable             *cancellable,
                                                   SoupMessage             **out_message,
                                                   GError                  **error);
/* Turns an error of libsoup, GIO or GnuTLS while reading the body into
 * one a person can act on. */
void                haul_request_map_error        (HaulRequest              *request,
                                                   SoupMessage              *message,
                                                   const GError             *error,
                                                   GCancellable             *cancellable,
                                                   GError                  **out);
/* Drops the rest of a response without reading it: the connection is
 * closed, never drained or reused. */
void                haul_request_abandon          (GInputStream             *stream);
/* The small answer of a request that failed (a 404 page): read to its end
 * so that libsoup keeps the connection for the next request, then closed;
 * dropped like haul_request_abandon() when it is chunked or longer than
 * 64 KiB. */
void                haul_request_drain            (GInputStream             *stream,
                                                   SoupMessage              *msg,
                                                   GCancellable             *cancellable);

/* Configures a session the way every transfer expects it: no decoders,
 * no redirects followed by libsoup, identity encoding, @timeout seconds
 * for any socket operation, up to HAUL_REQUEST_MAX_CONNS_PER_HOST
 * connections to a host. Main thread, before the first request. */
SoupSession        *haul_request_session_new      (guint                     timeout);

/* Haul never opens more connections than this to one host, whatever the
 * downloads and their segments. */
#define HAUL_REQUEST_MAX_CONNS_PER_HOST 16

/* Counts connections per host across every download: a transfer takes a
 * slot before it connects and gives it back when done. */
gboolean            haul_request_host_slot_try    (GUri                     *uri);
gboolean            haul_request_host_slot_wait   (GUri                     *uri,
                                                   GCancellable             *cancellable);
void                haul_request_host_slot_release (GUri                    *uri);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulRequest, haul_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulRequestHeaders, haul_request_headers_free)

G_END_DECLS
