/* haul-request.c: one HTTP exchange of a transfer, redirects included
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How it works
 *  1. One SoupSession for the whole engine, made on the main thread; then
 *     only soup_session_send() from workers (libsoup ≥ 3.2 allows it).
 *  2. Redirects are followed here, through haul_url_resolve_redirect():
 *     libsoup would carry credentials anywhere and accept any scheme.
 *  3. Credentials and cookies go to the first URL's origin only; the
 *     Referer is cut to its origin for another site, and dropped from
 *     https to http, as browsers do by default.
 *  4. Stalls: the session's timeout applies to every socket operation
 *     (connecting, waiting for the answer, each read of the body), so a
 *     server that goes quiet fails the read with G_IO_ERROR_TIMED_OUT. It
 *     only runs while a request is on the wire: waiting for our own gate
 *     or slot (below) or for the rate limiter is not counted.
 *  5. GLib 2.74 races when two threads enumerate the same new
 *     GNetworkAddress at once (g_network_address_address_enumerator_next
 *     fills the address cache without a lock: an abort, "assertion
 *     failed: (addr->priv->cached_sockaddrs == NULL)"), and libsoup
 *     shares one per host. So requests to one host pass a gate one at a
 *     time, but only until their address is resolved or their headers
 *     are written (the message's network-event / wrote-headers), never
 *     while waiting for the answer: requests to one host run in parallel.
 *  6. libsoup sets require-close-notify to FALSE on its TLS connections,
 *     so a body framed by the end of an HTTPS connection could be cut by
 *     anyone on the path. Haul asks for close-notify again at the
 *     handshake: an unclean close then fails the read (G_TLS_ERROR_EOF),
 *     and the transfer calls the body truncated.
 *  7. Under a speed limit the sockets' buffers are what a server fills
 *     first, at once, far above the limit (the kernel sizes them for the
 *     link, not for a reader that takes 2 MiB a second). A limited request
 *     gets a socket of its own whose receive buffer (set before it
 *     connects: the window announced in the handshake stays) holds its
 *     share of the limit for twice the host's round trip, measured on its
 *     earlier connections, and at least a sixteenth of a second: enough
 *     to keep the share flowing over a long path, little enough that the
 *     first 250 ms stay near the limit on a short one. The socket is
 *     closed after its request, so that no other request inherits its
 *     small window, nor it a large one. And it speaks HTTP/1.1: libsoup
 *     3.2's HTTP/2 client opens a 32 MiB window and reads into it at the
 *     network's speed, whatever the reader takes.
 */

#include "config.h"

#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <glib/gi18n-lib.h>

#include "haul-checksum-headers.h"
#include "haul-error.h"
#include "haul-request.h"
#include "haul-url.h"

#define MAX_REDIRECTS 10

struct _HaulRequest
{
  SoupSession              *session;   /* (owned) */
  GUri                     *origin;    /* (owned) the first URL, for rule 3 */
  GUri                     *uri;       /* (owned) the current URL, without credentials */
  const HaulRequestHeaders *headers;   /* (unowned) (nullable) outlives the request */
  guint                     timeout;   /* the session's, for messages */
  guint64                   receive_rate;  /* rule 7: bytes per second; 0: no limit */
  gboolean                  want_digest;
  char                     *host_only; /* (owned) (nullable) */
};

HaulRequestHeaders *
haul_request_headers_copy (const HaulRequestHeaders *headers)
{
  HaulRequestHeaders *copy;

  if (headers == NULL)
    return NULL;

  copy = g_new0 (HaulRequestHeaders, 1);
  copy->authorization = g_strdup (headers->authorization);
  copy->cookies = g_strdup (headers->cookies);
  copy->referrer = g_strdup (headers->referrer);
  copy->user_agent = g_strdup (headers->user_agent);
  return copy;
}

void
haul_request_headers_free (HaulRequestHeaders *headers)
{
  if (headers == NULL)
    return;

  g_free (headers->authorization);
  g_free (headers->cookies);
  g_free (headers->referrer);
  g_free (headers->user_agent);
  g_free (headers);
}

SoupSession *
haul_request_session_new (guint timeout)
{
  SoupSession *session;

  /* No session user agent: libsoup would write it over the browser's on
   * every message; build_message() sets one per message instead. */
  session = soup_session_new_with_options ("max-conns", 256,
                                           "max-conns-per-host", HAUL_REQUEST_MAX_CONNS_PER_HOST,
                                           "timeout", timeout,
                                           NULL);
  /* Bytes are saved as sent: nothing may decode or sniff them. */
  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);
  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_SNIFFER);
  return session;
}

HaulRequest *
haul_request_new (SoupSession              *session,
                  GUri                     *origin,
                  GUri                     *uri,
                  const HaulRequestHeaders *headers)
{
  HaulRequest *request;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (origin != NULL, NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  request = g_new0 (HaulRequest, 1);
  request->session = g_object_ref (session);
  request->origin = g_uri_ref (origin);
  request->uri = haul_url_strip_userinfo (uri);
  request->headers = headers;
  request->timeout = soup_session_get_timeout (session);
  return request;
}

void
haul_request_free (HaulRequest *request)
{
  if (request == NULL)
    return;

  g_clear_object (&request->session);
  g_clear_pointer (&request->origin, g_uri_unref);
  g_clear_pointer (&request->uri, g_uri_unref);
  g_free (request->host_only);
  g_free (request);
}

void
haul_request_set_receive_rate (HaulRequest *request,
                               guint64      bytes_per_second)
{
  g_return_if_fail (request != NULL);
  request->receive_rate = bytes_per_second;
}

void
haul_request_set_want_digest (HaulRequest *request,
                              gboolean     want)
{
  g_return_if_fail (request != NULL);
  request->want_digest = want;
}

void
haul_request_set_host_only (HaulRequest *request,
                            const char  *host)
{
  g_return_if_fail (request != NULL);
  g_free (request->host_only);
  request->host_only = g_strdup (host);
}

GUri *
haul_request_get_uri (HaulRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);
  return request->uri;
}

static const char *
host_of (HaulRequest *request)
{
  const char *host = g_uri_get_host (request->uri);

  return host != NULL ? host : "";
}

/* Host gates and slots (rules 5 and the per-host limit) ------------------ */

typedef struct
{
  gboolean gate_busy; /* rule 5, under hosts_lock */
  GCond  gate_cond; /* @gate_busy went FALSE */
  guint  n_slots;   /* connections in use, under hosts_lock */
  gint64 rtt_us;    /* rule 7: the last connection's round trip, under hosts_lock; 0: none */
} Host;

static GMutex hosts_lock;
static GCond slots_cond;
static GHashTable *hosts;  /* "host:port" → Host*, kept for the process */

static Host *
host_for (GUri *uri)
{
  g_autofree char *key = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  Host *host;

  g_mutex_lock (&hosts_lock);
  if (hosts == NULL)
    hosts = g_hash_table_new (g_str_hash, g_str_equal);
  host = g_hash_table_lookup (hosts, key);
  if (host == NULL)
    {
      host = g_new0 (Host, 1);
      g_cond_init (&host->gate_cond);
      g_hash_table_insert (hosts, g_steal_pointer (&key), host);
    }
  g_mutex_unlock (&hosts_lock);
  return host;
}

gboolean
haul_request_host_slot_try (GUri *uri)
{
  Host *host;
  gboolean taken = FALSE;

  g_return_val_if_fail (uri != NULL, FALSE);

  host = host_for (uri);
  g_mutex_lock (&hosts_lock);
  if (host->n_slots < HAUL_REQUEST_MAX_CONNS_PER_HOST)
    {
      host->n_slots++;
      taken = TRUE;
    }
  g_mutex_unlock (&hosts_lock);
  return taken;
}

gboolean
haul_request_host_slot_wait (GUri         *uri,
                             GCancellable *cancellable)
{
  Host *host;

  g_return_val_if_fail (uri != NULL, FALSE);

  host = host_for (uri);
  g_mutex_lock (&hosts_lock);
  while (host->n_slots >= HAUL_REQUEST_MAX_CONNS_PER_HOST)
    {
      /* Woken by a release; a cancel is seen within 50 ms. */
      g_cond_wait_until (&slots_cond, &hosts_lock,
                         g_get_monotonic_time () + 50 * G_TIME_SPAN_MILLISECOND);
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_mutex_unlock (&hosts_lock);
          return FALSE;
        }
    }
  host->n_slots++;
  g_mutex_unlock (&hosts_lock);
  return TRUE;
}

void
haul_request_host_slot_release (GUri *uri)
{
  Host *host;

  g_return_if_fail (uri != NULL);

  host = host_for (uri);
  g_mutex_lock (&hosts_lock);
  g_warn_if_fail (host->n_slots > 0);
  if (host->n_slots > 0)
    host->n_slots--;
  g_cond_broadcast (&slots_cond);
  g_mutex_unlock (&hosts_lock);
}

typedef struct
{
  Host     *host;
  gboolean  held;
  guint64   receive_rate;  /* rule 7 */
} GatePass;

static void
gate_release (GatePass *pass)
{
  if (pass->held)
    {
      pass->held = FALSE;
      g_mutex_lock (&hosts_lock);
      pass->host->gate_busy = FALSE;
      g_cond_signal (&pass->host->gate_cond);
      g_mutex_unlock (&hosts_lock);
    }
}

/* Waits for the gate, but gives up when @cancellable fires (a pause must
 * not wait for another download's server). A flag and a condition, not a
 * mutex: the gate is let go from libsoup's signal handlers, and the next
 * request goes the moment it is (a sleep between tries left the gate idle
 * for a scheduler's tick at a time on a busy machine, and five requests a
 * file queued behind it). */
static gboolean
gate_enter (GatePass     *pass,
            GCancellable *cancellable)
{
  Host *host = pass->host;

  g_mutex_lock (&hosts_lock);
  while (host->gate_busy)
    {
      /* Woken by a release; a cancel is seen within 50 ms. */
      g_cond_wait_until (&host->gate_cond, &hosts_lock,
                         g_get_monotonic_time () + 50 * G_TIME_SPAN_MILLISECOND);
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_mutex_unlock (&hosts_lock);
          return FALSE;
        }
    }
  host->gate_busy = TRUE;
  g_mutex_unlock (&hosts_lock);
  pass->held = TRUE;
  return TRUE;
}

/* Rule 7: the share of the limit for twice the round trip, at least
 * 1/MIN_BUFFER_FRACTION of a second's worth. */
#define MIN_BUFFER_FRACTION 16
#define MIN_RECEIVE_BUFFER  (4 * 1024)
#define MAX_RECEIVE_BUFFER  (4 * 1024 * 1024)

static void
limit_receive_buffer (GatePass          *pass,
                      GSocketConnection *connection)
{
  gint64 rtt_us;
  double seconds;
  gint64 bytes;

  g_mutex_lock (&hosts_lock);
  rtt_us = pass->host->rtt_us;
  g_mutex_unlock (&hosts_lock);

  seconds = MAX (2.0 * rtt_us / G_USEC_PER_SEC, 1.0 / MIN_BUFFER_FRACTION);
  bytes = CLAMP ((gint64) (pass->receive_rate * seconds), MIN_RECEIVE_BUFFER, MAX_RECEIVE_BUFFER);
  g_socket_set_option (g_socket_connection_get_socket (connection), SOL_SOCKET, SO_RCVBUF,
                       (gint) bytes, NULL);
}

static void
measure_round_trip (GatePass          *pass,
                    GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  struct tcp_info info;
  socklen_t length = sizeof info;

  if (g_socket_get_protocol (socket) != G_SOCKET_PROTOCOL_TCP)
    return;
  memset (&info, 0, sizeof info);
  if (getsockopt (g_socket_get_fd (socket), IPPROTO_TCP, TCP_INFO, &info, &length) != 0
      || info.tcpi_rtt == 0)
    return;
  g_mutex_lock (&hosts_lock);
  pass->host->rtt_us = info.tcpi_rtt;
  g_mutex_unlock (&hosts_lock);
}

/* In the worker, from libsoup, while soup_session_send() runs. */
static void
network_event_cb (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            data)
{
  GatePass *pass = data;

  /* Rule 7. */
  if (event == G_SOCKET_CLIENT_CONNECTING && pass->receive_rate > 0
      && G_IS_SOCKET_CONNECTION (connection))
    limit_receive_buffer (pass, G_SOCKET_CONNECTION (connection));
  if (event == G_SOCKET_CLIENT_CONNECTED && G_IS_SOCKET_CONNECTION (connection))
    measure_round_trip (pass, G_SOCKET_CONNECTION (connection));

  /* Rule 6: ask for close-notify back before the handshake. */
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && G_IS_TLS_CONNECTION (connection))
    {
      g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (connection), TRUE);
      /* Rule 7: no h2 offered under a limit. */
      if (pass->receive_rate > 0)
        {
          const char * const http1[] = { "http/1.1", NULL };

          g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (connection), http1);
        }
    }

  /* Rule 5: past resolving, the address cache is filled. */
  if (event != G_SOCKET_CLIENT_RESOLVING)
    gate_release (pass);
}

static void
wrote_headers_cb (SoupMessage *msg,
                  gpointer     data)
{
  gate_release (data);
}

/* Sending ------------------------------------------------------------------- */

void
haul_request_abandon (GInputStream *stream)
{
  g_autoptr(GCancellable) drop = g_cancellable_new ();

  /* Closing with a cancelled cancellable makes libsoup drop the
   * connection instead of draining (or, after our own chunked parsing,
   * reusing) it. */
  if (stream == NULL || g_input_stream_is_closed (stream))
    return;
  g_cancellable_cancel (drop);
  g_input_stream_close (stream, drop, NULL);
}

/* At most this much of an answer nobody wants is read to keep its
 * connection. */
#define DRAIN_MAX_BYTES (64 * 1024)

void
haul_request_drain (GInputStream *stream,
                    SoupMessage  *msg,
                    GCancellable *cancellable)
{
  SoupMessageHeaders *headers;
  char buffer[4096];
  gssize n;

  if (stream == NULL || g_input_stream_is_closed (stream))
    return;
  headers = soup_message_get_response_headers (msg);
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH
      || soup_message_headers_get_content_length (headers) > DRAIN_MAX_BYTES)
    {
      haul_request_abandon (stream);
      return;
    }
  /* libsoup keeps the connection once the body stream said it ended. */
  while ((n = g_input_stream_read (stream, buffer, sizeof buffer, cancellable, NULL)) > 0)
    ;
  if (n == 0)
    g_input_stream_close (stream, NULL, NULL);
  else
    haul_request_abandon (stream);
}

/* Rule 3 for the Referer: the whole address for the same site, its
 * origin for another, nothing from https to http. */
static char *
referrer_for (HaulRequest *request)
{
  g_autoptr(GUri) referrer = NULL;

  if (request->headers == NULL || request->headers->referrer == NULL)
    return NULL;
  referrer = haul_url_parse (request->headers->referrer, NULL);
  if (referrer == NULL)
    return NULL;
  if (g_str_equal (g_uri_get_scheme (referrer), "https")
      && g_str_equal (g_uri_get_scheme (request->uri), "http"))
    return NULL;
  if (haul_url_same_origin (referrer, request->uri))
    {
      g_autoptr(GUri) bare = haul_url_strip_userinfo (referrer);

      return g_uri_to_string (bare);
    }
  {
    g_autoptr(GUri) origin = g_uri_build (SOUP_HTTP_URI_FLAGS, g_uri_get_scheme (referrer), NULL,
                                          g_uri_get_host (referrer), g_uri_get_port (referrer),
                                          "/", NULL, NULL);

    return g_uri_to_string (origin);
  }
}

static SoupMessage *
build_message (HaulRequest  *request,
               gint64        offset,
               gint64        end,
               gboolean      ranged,
               const char   *if_range,
               GError      **error)
{
  SoupMessage *msg = soup_message_new_from_uri (SOUP_METHOD_GET, request->uri);
  SoupMessageHeaders *headers;
  g_autofree char *referrer = NULL;

  /* haul_url_parse() lets through no URL libsoup refuses; should one slip
   * by anyway, it ends this download, never the process. */
  if (msg == NULL)
    {
      g_autofree char *shown = g_uri_to_string (request->uri);
      g_autoptr(GError) reason = NULL;

      haul_set_error_literal (&reason, HAUL_ERROR_INVALID_URL, N_("Not a valid link"));
      haul_set_error_because (error, HAUL_ERROR_INVALID_URL, reason,
                              "“%s” cannot be downloaded: %s", shown, reason->message);
      return NULL;
    }

  headers = soup_message_get_request_headers (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (headers, "Accept-Encoding", "identity");
  /* Rule 7: a socket of its own, closed after. */
  if (request->receive_rate > 0)
    {
      soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
      soup_message_headers_replace (headers, "Connection", "close");
    }

  if (offset > 0 || end >= 0 || ranged)
    {
      g_autofree char *range = end >= 0
        ? g_strdup_printf ("bytes=%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, offset, end - 1)
        : g_strdup_printf ("bytes=%" G_GINT64_FORMAT "-", offset);

      soup_message_headers_replace (headers, "Range", range);
      if (if_range != NULL)
        soup_message_headers_replace (headers, "If-Range", if_range);
    }

  if (request->headers != NULL)
    {
      gboolean same_origin = haul_url_same_origin (request->uri, request->origin);

      if (same_origin && request->headers->authorization != NULL)
        soup_message_headers_replace (headers, "Authorization", request->headers->authorization);
      if (same_origin && request->headers->cookies != NULL)
        soup_message_headers_replace (headers, "Cookie", request->headers->cookies);
    }
  soup_message_headers_replace (headers, "User-Agent",
                                request->headers != NULL && request->headers->user_agent != NULL
                                  ? request->headers->user_agent : "Haul/" PACKAGE_VERSION);
  referrer = referrer_for (request);
  if (referrer != NULL)
    soup_message_headers_replace (headers, "Referer", referrer);
  if (request->want_digest)
    soup_message_headers_replace (headers, "Want-Repr-Digest", HAUL_CHECKSUM_WANT_REPR_DIGEST);

  return msg;
}

static gboolean
is_redirect (guint status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* Redirects are followed ourselves (rule 2). */
static gboolean
follow_redirect (HaulRequest  *request,
                 SoupMessage  *msg,
                 GHashTable   *seen,
                 guint         hops,
                 GError      **error)
{
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                       "Location");
  g_autoptr(GUri) next = NULL;
  g_autofree char *next_str = NULL;

  if (hops >= MAX_REDIRECTS)
    {
      g_autofree char *limit = g_strdup_printf ("%u", MAX_REDIRECTS);

      haul_set_error (error, HAUL_ERROR_REDIRECT, "The server redirected more than %s times",
                      limit);
      return FALSE;
    }

  next = haul_url_resolve_redirect (request->uri, location, error);
  if (next == NULL)
    return FALSE;
  if (request->host_only != NULL
      && g_ascii_strcasecmp (g_uri_get_host (next), request->host_only) != 0)
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_REDIRECT,
                   _("The server redirected to another site, %s"), g_uri_get_host (next));
      return FALSE;
    }

  g_uri_unref (request->uri);
  request->uri = haul_url_strip_userinfo (next);
  next_str = g_uri_to_string (request->uri);
  if (!g_hash_table_add (seen, g_steal_pointer (&next_str)))
    {
      haul_set_error (error, HAUL_ERROR_REDIRECT, "The server redirects in a loop");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_tls_backend (HaulRequest  *request,
                   GError      **error)
{
  if (!g_str_equal (g_uri_get_scheme (request->uri), "https")
      || g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    return TRUE;

  haul_set_error (error, HAUL_ERROR_TLS,
                  "HTTPS support is not installed (the glib-networking package is missing), "
                  "so %s cannot be reached securely", host_of (request));
  return FALSE;
}

/* Sends @msg through the gate of its host (rule 5). */
static GInputStream *
send_through_gate (HaulRequest   *request,
                   SoupMessage   *msg,
                   GCancellable  *cancellable,
                   GError       **error)
{
  Host *host = host_for (request->uri);
  GatePass pass = { host, FALSE, request->receive_rate };
  GInputStream *stream;
  gulong event_id;
  gulong headers_id;

  if (!gate_enter (&pass, cancellable))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
      return NULL;
    }

  event_id = g_signal_connect (msg, "network-event", G_CALLBACK (network_event_cb), &pass);
  headers_id = g_signal_connect (msg, "wrote-headers", G_CALLBACK (wrote_headers_cb), &pass);
  stream = soup_session_send (request->session, msg, cancellable, error);
  gate_release (&pass);
  g_signal_handler_disconnect (msg, event_id);
  g_signal_handler_disconnect (msg, headers_id);

  return stream;
}

GInputStream *
haul_request_send (HaulRequest   *request,
                   gint64         offset,
                   gint64         end,
                   gboolean       ranged,
                   const char    *if_range,
                   GCancellable  *cancellable,
                   SoupMessage  **out_message,
                   GError       **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (out_message != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  *out_message = NULL;
  g_hash_table_add (seen, g_uri_to_string (request->uri));

  for (guint hops = 0; ; hops++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GError) local = NULL;

      if (!check_tls_backend (request, error))
        return NULL;
      msg = build_message (request, offset, end, ranged, if_range, error);
      if (msg == NULL)
        return NULL;

      stream = send_through_gate (request, msg, cancellable, &local);
      if (stream == NULL)
        {
          haul_request_map_error (request, msg, local, cancellable, error);
          return NULL;
        }

      if (!is_redirect (soup_message_get_status (msg))
          || soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                           "Location") == NULL)
        {
          *out_message = g_steal_pointer (&msg);
          return g_steal_pointer (&stream);
        }

      haul_request_abandon (stream);
      if (!follow_redirect (request, msg, seen, hops, error))
        return NULL;
    }
}

/* Errors --------------------------------------------------------------------- */

static const char *
describe_certificate (GTlsCertificateFlags flags)  /* a msgid */
{
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return N_("it is not signed by a known certificate authority");
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return N_("it was issued for a different host name");
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return N_("it is not valid yet");
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return N_("it has expired");
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return N_("it has been revoked");
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return N_("it uses an insecure algorithm");
  return N_("it is not valid");
}

/* libsoup says "Header too big" as G_IO_ERROR_PARTIAL_INPUT, the code of
 * a connection that ended early; only its (libsoup-translated) text tells
 * a server that will always answer so from one that was cut off. */
static gboolean
is_header_too_big (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
         && (g_str_equal (error->message, "Header too big")
             || g_str_equal (error->message, g_dgettext ("libsoup-3.0", "Header too big")));
}

void
haul_request_map_error (HaulRequest   *request,
                        SoupMessage   *msg,
                        const GError  *error,
                        GCancellable  *cancellable,
                        GError       **out)
{
  GTlsCertificateFlags tls_flags;

  g_return_if_fail (request != NULL);
  g_return_if_fail (error != NULL);

  tls_flags = msg != NULL ? soup_message_get_tls_peer_certificate_errors (msg) : 0;

  if (g_cancellable_is_cancelled (cancellable)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (out, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
  else if (error->domain == HAUL_ERROR)
    g_propagate_error (out, g_error_copy (error));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_autofree char *seconds = g_strdup_printf ("%u", request->timeout);

      haul_set_error_plural (out, HAUL_ERROR_STALLED,
                             "No data arrived from %s for %s second",
                             "No data arrived from %s for %s seconds",
                             request->timeout, host_of (request), seconds);
    }
  else if (is_header_too_big (error))
    haul_set_error (out, HAUL_ERROR_PROTOCOL,
                    "The answer of %s has headers too large to read", host_of (request));
  else if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF))
    haul_set_error (out, HAUL_ERROR_TRUNCATED,
                    "The secure connection to %s was cut off", host_of (request));
  else if (tls_flags != 0)
    {
      g_autoptr(GError) reason = NULL;

      haul_set_error_literal (&reason, HAUL_ERROR_TLS, describe_certificate (tls_flags));
      haul_set_error_because (out, HAUL_ERROR_TLS, reason,
                              "The certificate of %s could not be verified: %s",
                              host_of (request), reason->message);
    }
  else if (error->domain == G_TLS_ERROR)
    haul_set_error (out, HAUL_ERROR_TLS, "The certificate of %s could not be verified: %s",
                    host_of (request), error->message);
  else if (error->domain == G_RESOLVER_ERROR)
    haul_set_error (out, HAUL_ERROR_NETWORK, "Could not find the server %s", host_of (request));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    haul_set_error (out, HAUL_ERROR_NETWORK,
                    "The server %s refused the connection", host_of (request));
  else if (error->domain == SOUP_SESSION_ERROR)
    haul_set_error (out, HAUL_ERROR_PROTOCOL,
                    "The answer of %s could not be understood: %s", host_of (request),
                    error->message);
  else
    haul_set_error (out, HAUL_ERROR_NETWORK,
                    "The connection to %s failed: %s", host_of (request), error->message);
}
