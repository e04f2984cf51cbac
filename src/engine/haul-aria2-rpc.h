/* haul-aria2-rpc.h: aria2's JSON-RPC 2.0 messages, built and read
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * HaulAria2Event:
 * @HAUL_ARIA2_EVENT_START: aria2.onDownloadStart
 * @HAUL_ARIA2_EVENT_PAUSE: aria2.onDownloadPause
 * @HAUL_ARIA2_EVENT_STOP: aria2.onDownloadStop (stopped by a user: removed)
 * @HAUL_ARIA2_EVENT_COMPLETE: aria2.onDownloadComplete
 * @HAUL_ARIA2_EVENT_ERROR: aria2.onDownloadError
 * @HAUL_ARIA2_EVENT_BT_COMPLETE: aria2.onBtDownloadComplete (the data is
 *   complete; the torrent may go on seeding)
 *
 * The notifications an aria2 daemon sends over its WebSocket.
 */
typedef enum
{
  HAUL_ARIA2_EVENT_START,
  HAUL_ARIA2_EVENT_PAUSE,
  HAUL_ARIA2_EVENT_STOP,
  HAUL_ARIA2_EVENT_COMPLETE,
  HAUL_ARIA2_EVENT_ERROR,
  HAUL_ARIA2_EVENT_BT_COMPLETE,
} HaulAria2Event;

#define HAUL_TYPE_ARIA2_EVENT (haul_aria2_event_get_type ())
GType       haul_aria2_event_get_type              (void);

/* Where to reach a daemon, from what a person typed: "http(s)://…",
 * "ws(s)://…" or a bare "host:port" (http). An address without a path gets
 * aria2's "/jsonrpc". @http_uri is for calls (POST), @ws_uri for
 * notifications; @display is "host:port", for messages. */
gboolean    haul_aria2_address_parse               (const char         *address,
                                                    char              **http_uri,
                                                    char              **ws_uri,
                                                    char              **display,
                                                    GError            **error);

/* A request: {"jsonrpc":"2.0","id":ID,"method":…,"params":["token:SECRET",…]}.
 * @params is (transfer full) (nullable). */
GBytes     *haul_aria2_rpc_build_request           (gint64              id,
                                                    const char         *method,
                                                    const char         *secret,
                                                    JsonArray          *params);
/* system.multicall of @n_calls methods, each with its own params (each
 * (transfer full) (nullable)) and the token put first in each. */
GBytes     *haul_aria2_rpc_build_multicall         (gint64              id,
                                                    const char         *secret,
                                                    const char * const *methods,
                                                    JsonArray         **params,
                                                    guint               n_calls);

/* Reads an HTTP answer to request @id from the daemon called @display.
 * Returns the "result" member (transfer full), or %NULL with:
 *   HAUL_ERROR_UNAUTHORIZED  the daemon said "Unauthorized" (wrong secret)
 *   HAUL_ERROR_DAEMON        any other JSON-RPC error (with aria2's words)
 *   HAUL_ERROR_PROTOCOL      not an aria2 daemon (404, HTML, not JSON-RPC)
 *   HAUL_ERROR_NETWORK       a 5xx page instead of JSON (a proxy whose
 *                            daemon is down: unreachable) */
JsonNode   *haul_aria2_rpc_parse_response          (guint               status,
                                                    const char         *content_type,
                                                    GBytes             *body,
                                                    gint64              id,
                                                    const char         *display,
                                                    GError            **error);

/* One entry of a multicall result: its value (borrowed), or %NULL and the
 * error it carries (as haul_aria2_rpc_parse_response() words it). */
JsonNode   *haul_aria2_rpc_multicall_get           (JsonNode           *results,
                                                    guint               index,
                                                    const char         *display,
                                                    GError            **error);

/* A WebSocket text frame. Returns %TRUE for an aria2 notification about a
 * download, with its event and GID. */
gboolean    haul_aria2_rpc_parse_notification      (const char         *text,
                                                    gsize               length,
                                                    HaulAria2Event     *event,
                                                    char              **gid);

/* A failure that says the connection is broken (unreachable, TLS, wrong
 * secret, not aria2), as opposed to one call being refused. */
gboolean    haul_aria2_rpc_error_is_connection     (const GError       *error);

/* The transport error of a request to the daemon @display, worded for a
 * person (HAUL_ERROR_NETWORK or HAUL_ERROR_TLS); cancellation stays
 * G_IO_ERROR_CANCELLED. @tls_errors: the message's peer certificate
 * errors, or 0. */
GError     *haul_aria2_rpc_map_transport_error     (const GError       *error,
                                                    GTlsCertificateFlags tls_errors,
                                                    const char         *display);

/* aria2's --checksum value ("sha-256=HEX") for a digest in hex, or %NULL
 * if @type has no aria2 name or @digest is not hex of the right length. */
char       *haul_aria2_checksum_option             (GChecksumType       type,
                                                    const char         *digest);

/* %TRUE if @value may go into an aria2 option: no CR, LF or other control
 * characters (see the guard in haul-aria2-rpc.c). */
gboolean    haul_aria2_option_value_is_safe        (const char         *value);

G_END_DECLS
