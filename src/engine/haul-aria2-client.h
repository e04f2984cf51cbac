/* haul-aria2-client.h: a connection to an aria2 daemon over JSON-RPC
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "haul-aria2-rpc.h"
#include "haul-aria2-status.h"

G_BEGIN_DECLS

/**
 * HaulAria2Connection:
 * @HAUL_ARIA2_DISCONNECTED: not started, or stopped
 * @HAUL_ARIA2_CONNECTING: the first attempt (or one asked for) is under way
 * @HAUL_ARIA2_CONNECTED: the daemon answers; notifications are listened to
 * @HAUL_ARIA2_FAILED: see #HaulAria2Client:error; retried by itself with
 *   backoff (1 s, doubling, at most 30 s), without a change of state
 */
typedef enum
{
  HAUL_ARIA2_DISCONNECTED,
  HAUL_ARIA2_CONNECTING,
  HAUL_ARIA2_CONNECTED,
  HAUL_ARIA2_FAILED,
} HaulAria2Connection;

#define HAUL_TYPE_ARIA2_CONNECTION (haul_aria2_connection_get_type ())
GType haul_aria2_connection_get_type (void);

/**
 * HaulAria2AddOptions:
 * @dir: (nullable): the daemon's folder (a path on its machine); %NULL for its default
 * @out: (nullable): the file name; %NULL for the server's
 * @referer: (nullable): the Referer to send
 * @cookies: (nullable): "name=value; …", sent as a Cookie header
 * @user_agent: (nullable): the User-Agent to send
 * @headers: (nullable) (array zero-terminated=1): more "Name: value" headers
 * @checksum: (nullable): aria2's form "sha-256=HEX" (see haul_aria2_checksum_option())
 * @max_download_limit: bytes per second for this download, 0 for none
 * @paused: add it paused
 * @continue_partial: go on from a file of that name already there (aria2's
 *   --continue), rather than start again under another name
 *
 * What aria2.addUri is told besides the addresses. Every string must be
 * free of control characters (haul_aria2_option_value_is_safe()).
 */
typedef struct
{
  const char         *dir;
  const char         *out;
  const char         *referer;
  const char         *cookies;
  const char         *user_agent;
  const char * const *headers;
  const char         *checksum;
  guint64             max_download_limit;
  gboolean            paused;
  gboolean            continue_partial;
} HaulAria2AddOptions;

#define HAUL_TYPE_ARIA2_CLIENT (haul_aria2_client_get_type ())
G_DECLARE_FINAL_TYPE (HaulAria2Client, haul_aria2_client, HAUL, ARIA2_CLIENT, GObject)

/* Main thread only; nothing in it blocks.
 *
 * Properties (notified only when they change):
 *   address (string, construct-only): as given to haul_aria2_client_new()
 *   connection (HaulAria2Connection, read-only)
 *   error (GError, read-only, nullable): why it is FAILED; one message,
 *     replaced only when a retry fails differently
 *   version (string, read-only, nullable): the daemon's, once connected
 *   listening (boolean, read-only): the notification WebSocket is open
 *
 * Signals (main thread):
 *   ::event (HaulAria2Event event, const char *gid): a notification from
 *     the daemon about one of its downloads, whoever added it.
 *   ::added (const char *gid): this client added a download (addUri or a
 *     retry), just before the call's callback runs.
 *
 * Calls may be made in any state; they fail with the connection's kind of
 * error when the daemon cannot be reached. A call failing that way while
 * CONNECTED moves the client to FAILED (once, whatever the number of calls
 * in flight). */
HaulAria2Client     *haul_aria2_client_new             (const char          *address,
                                                        GError             **error);

const char          *haul_aria2_client_get_address     (HaulAria2Client     *self);
/* "host:port", as messages name the daemon */
const char          *haul_aria2_client_get_display_name (HaulAria2Client    *self);
HaulAria2Connection  haul_aria2_client_get_connection  (HaulAria2Client     *self);
const GError        *haul_aria2_client_get_error       (HaulAria2Client     *self);
const char          *haul_aria2_client_get_version     (HaulAria2Client     *self);
gboolean             haul_aria2_client_get_listening   (HaulAria2Client     *self);
/* Connection attempts so far (getVersion probes), for tests and logs. */
guint                haul_aria2_client_get_n_attempts  (HaulAria2Client     *self);

/* The token to send. Until one is set, haul_aria2_client_start() looks it
 * up (asynchronously) with haul_aria2_secret_lookup_async(). Setting it
 * while running retries at once. %NULL or "": no token. */
void                 haul_aria2_client_set_secret      (HaulAria2Client     *self,
                                                        const char          *secret);
void                 haul_aria2_client_start           (HaulAria2Client     *self);
/* Cancels the client's own work (probe, retries, notifications); calls
 * made with haul_aria2_client_*_async() end on their own cancellables.
 * DISCONNECTED. Call it before dropping the last reference: a probe under
 * way holds one until it ends. */
void                 haul_aria2_client_stop            (HaulAria2Client     *self);
/* Tries again now instead of waiting for the next retry. */
void                 haul_aria2_client_reconnect       (HaulAria2Client     *self);

/* Any method: @params (transfer full) (nullable) without the token, which
 * is added. Returns the "result" member. */
void                 haul_aria2_client_call_async      (HaulAria2Client     *self,
                                                        const char          *method,
                                                        JsonArray           *params,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
JsonNode            *haul_aria2_client_call_finish     (HaulAria2Client     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* system.multicall: one request, one answer; read each entry with
 * haul_aria2_rpc_multicall_get(). @params: @n_calls arrays (transfer full)
 * (nullable), or %NULL. */
void                 haul_aria2_client_multicall_async (HaulAria2Client     *self,
                                                        const char * const  *methods,
                                                        JsonArray          **params,
                                                        guint                n_calls,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
JsonNode            *haul_aria2_client_multicall_finish (HaulAria2Client    *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

void                 haul_aria2_client_get_version_async (HaulAria2Client   *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
char                *haul_aria2_client_get_version_finish (HaulAria2Client  *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* aria2.addUri: @uris are mirrors of one file. Returns the new GID. */
void                 haul_aria2_client_add_uri_async   (HaulAria2Client     *self,
                                                        const char * const  *uris,
                                                        const HaulAria2AddOptions *options,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
char                *haul_aria2_client_add_uri_finish  (HaulAria2Client     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* @keys: (nullable): the keys to ask for; %NULL for haul_aria2_status_keys(). */
void                 haul_aria2_client_tell_status_async (HaulAria2Client   *self,
                                                        const char          *gid,
                                                        const char * const  *keys,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
HaulAria2Status     *haul_aria2_client_tell_status_finish (HaulAria2Client  *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* Each returns a GPtrArray of HaulAria2Status, in the daemon's order. */
void                 haul_aria2_client_tell_active_async (HaulAria2Client   *self,
                                                        const char * const  *keys,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray           *haul_aria2_client_tell_active_finish (HaulAria2Client  *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                 haul_aria2_client_tell_waiting_async (HaulAria2Client  *self,
                                                        guint                offset,
                                                        guint                num,
                                                        const char * const  *keys,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray           *haul_aria2_client_tell_waiting_finish (HaulAria2Client *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                 haul_aria2_client_tell_stopped_async (HaulAria2Client  *self,
                                                        guint                offset,
                                                        guint                num,
                                                        const char * const  *keys,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray           *haul_aria2_client_tell_stopped_finish (HaulAria2Client *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* aria2.pause, unpause, remove, forceRemove and removeDownloadResult of
 * one download. */
void                 haul_aria2_client_pause_async     (HaulAria2Client     *self,
                                                        const char          *gid,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean             haul_aria2_client_pause_finish    (HaulAria2Client     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                 haul_aria2_client_unpause_async   (HaulAria2Client     *self,
                                                        const char          *gid,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean             haul_aria2_client_unpause_finish  (HaulAria2Client     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                 haul_aria2_client_remove_async    (HaulAria2Client     *self,
                                                        const char          *gid,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean             haul_aria2_client_remove_finish   (HaulAria2Client     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                 haul_aria2_client_force_remove_async (HaulAria2Client  *self,
                                                        const char          *gid,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean             haul_aria2_client_force_remove_finish (HaulAria2Client *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                 haul_aria2_client_remove_download_result_async (HaulAria2Client *self,
                                                        const char          *gid,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean             haul_aria2_client_remove_download_result_finish (HaulAria2Client *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* aria2.pauseAll / unpauseAll: the header bar's pause and resume. */
void                 haul_aria2_client_pause_all_async (HaulAria2Client     *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean             haul_aria2_client_pause_all_finish (HaulAria2Client    *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                 haul_aria2_client_unpause_all_async (HaulAria2Client   *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean             haul_aria2_client_unpause_all_finish (HaulAria2Client  *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* aria2.changeGlobalOption: @options maps option names to values, e.g.
 * "max-overall-download-limit" → "1048576" (bytes/s, "0": none),
 * "max-concurrent-downloads" → "3". */
void                 haul_aria2_client_change_global_option_async (HaulAria2Client *self,
                                                        GHashTable          *options,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean             haul_aria2_client_change_global_option_finish (HaulAria2Client *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* Retry of a failed (or removed) download: aria2 has none, so it is added
 * again from its URIs into the same folder under the same name (aria2
 * continues a partial file it finds there), and the old result removed.
 * Returns the new GID. */
void                 haul_aria2_client_retry_async     (HaulAria2Client     *self,
                                                        HaulAria2Status     *status,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
char                *haul_aria2_client_retry_finish    (HaulAria2Client     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
