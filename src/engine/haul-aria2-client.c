/* haul-aria2-client.c: a connection to an aria2 daemon over JSON-RPC
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include <glib/gi18n-lib.h>

#include "haul-aria2-client.h"
#include "haul-aria2-secret.h"
#include "haul-error.h"

/* How it works
 *
 * Calls are HTTP POSTs of JSON-RPC 2.0 on the client's own SoupSession,
 * with its async API on the main context: nothing here ever waits. Answers
 * of more than PARSE_IN_THREAD_BYTES (a poll of many downloads) are parsed
 * in a GTask thread; smaller ones right away. Notifications come over a
 * WebSocket to the same path.
 *
 * The connection state is decided in one place, the probe (aria2.getVersion):
 *   1. start() → CONNECTING → (secret lookup) → probe. Success: CONNECTED,
 *      open the WebSocket. Failure: FAILED with the error, probe again after
 *      the backoff (1 s, doubling, at most 30 s). While FAILED the state and
 *      the error stay as they are unless a probe fails differently, so a
 *      daemon that stays away is one change of state, not one per retry.
 *   2. While CONNECTED, the first call that fails with a connection error
 *      (unreachable, TLS, wrong secret, not aria2) moves to FAILED and
 *      starts the probes; calls failing after it change nothing (1).
 *      Errors of a single call (an unknown GID) never change the state.
 *   3. The WebSocket closing while CONNECTED probes at once (a daemon that
 *      went away is noticed without waiting for a call) and reopens the
 *      WebSocket on its own backoff, so a proxy that refuses WebSockets
 *      cannot make it spin.
 *   4. stop() cancels the run's GCancellable and bumps the generation: a
 *      callback of an older run, cancelled or finished just before, sees a
 *      different generation and drops its result.
 */

#define PARSE_IN_THREAD_BYTES (16 * 1024)
#define RETRY_FIRST_MS        1000
#define RETRY_MAX_MS          30000
#define REQUEST_TIMEOUT_S     15
#define WS_KEEPALIVE_S        20

struct _HaulAria2Client
{
  GObject                  parent_instance;

  char                    *address;     /* (owned) as given */
  char                    *http_uri;    /* (owned) */
  char                    *ws_uri;      /* (owned) */
  char                    *display;     /* (owned) host:port */
  GUri                    *http_guri;   /* (owned) */
  char                    *secret;      /* (owned) (nullable) */
  gboolean                 secret_known;

  SoupSession             *session;     /* (owned) */
  gint64                   next_id;

  HaulAria2Connection      connection;
  GError                  *error;       /* (owned) (nullable) */
  char                    *version;     /* (owned) (nullable) */

  gboolean                 running;
  guint                    generation;  /* bumped by stop() (4) */
  GCancellable            *cancellable; /* (owned) the current run's */
  gboolean                 probing;
  guint                    retry_source;
  guint                    retry_ms;
  guint                    n_attempts;

  SoupWebsocketConnection *ws;          /* (owned) (nullable) */
  gboolean                 ws_connecting;
  guint                    ws_retry_source;
  guint                    ws_retry_ms;
};

G_DEFINE_FINAL_TYPE (HaulAria2Client, haul_aria2_client, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (HaulAria2Connection, haul_aria2_connection,
                    G_DEFINE_ENUM_VALUE (HAUL_ARIA2_DISCONNECTED, "disconnected"),
                    G_DEFINE_ENUM_VALUE (HAUL_ARIA2_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (HAUL_ARIA2_CONNECTED, "connected"),
                    G_DEFINE_ENUM_VALUE (HAUL_ARIA2_FAILED, "failed"))

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_CONNECTION,
  PROP_ERROR,
  PROP_VERSION,
  PROP_LISTENING,
  N_PROPS
};

enum {
  SIGNAL_EVENT,
  SIGNAL_ADDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void probe (HaulAria2Client *self);
static void open_ws (HaulAria2Client *self);

/* One request on its way. */
typedef struct
{
  SoupMessage *msg;          /* (owned) */
  gint64       id;
  guint        generation;
  gboolean     is_probe;     /* the probe decides the state itself (1) */
  gboolean     is_multicall; /* look into its entries for "Unauthorized" */
  /* For parsing in a thread: */
  guint        status;
  char        *content_type; /* (owned) (nullable) */
  GBytes      *body;         /* (owned) (nullable) */
  char        *display;      /* (owned) */
} Call;

static void
call_free (Call *call)
{
  g_clear_object (&call->msg);
  g_free (call->content_type);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_free (call->display);
  g_free (call);
}

/* State ----------------------------------------------------------------- */

static gboolean
same_error (const GError *a,
            const GError *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->domain == b->domain && a->code == b->code && g_strcmp0 (a->message, b->message) == 0;
}

static void
set_connection (HaulAria2Client     *self,
                HaulAria2Connection  connection,
                const GError        *error)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (!same_error (self->error, error))
    {
      g_clear_error (&self->error);
      self->error = error != NULL ? g_error_copy (error) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (self->connection != connection)
    {
      self->connection = connection;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
close_ws (HaulAria2Client *self)
{
  g_clear_handle_id (&self->ws_retry_source, g_source_remove);
  if (self->ws != NULL)
    {
      g_autoptr(SoupWebsocketConnection) ws = g_steal_pointer (&self->ws);

      g_signal_handlers_disconnect_by_data (ws, self);
      if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LISTENING]);
    }
}

static gboolean
retry_cb (gpointer data)
{
  HaulAria2Client *self = data;

  self->retry_source = 0;
  probe (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (HaulAria2Client *self)
{
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_source = g_timeout_add (self->retry_ms, retry_cb, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->retry_source),
                            "[haul] aria2 retry");
  self->retry_ms = MIN (self->retry_ms * 2, RETRY_MAX_MS);
}

/* The daemon cannot be used: say why once (1), try again later. */
static void
fail (HaulAria2Client *self,
      const GError    *error)
{
  g_debug ("aria2 %s: %s", self->display, error->message);
  close_ws (self);
  set_connection (self, HAUL_ARIA2_FAILED, error);
  schedule_retry (self);
}

/* A call (not the probe) failed. (2) */
static void
note_failure (HaulAria2Client *self,
              const GError    *error)
{
  if (!self->running || self->connection != HAUL_ARIA2_CONNECTED
      || !haul_aria2_rpc_error_is_connection (error))
    return;
  self->retry_ms = RETRY_FIRST_MS;
  fail (self, error);
}

/* Sending and reading --------------------------------------------------- */

static void
finish_call (GTask    *task,
             JsonNode *result,
             GError   *error)
{
  HaulAria2Client *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);

  if (error == NULL && call->is_multicall && result != NULL && JSON_NODE_HOLDS_ARRAY (result))
    {
      /* One "Unauthorized" entry means the secret went wrong for all. */
      for (guint i = 0; i < json_array_get_length (json_node_get_array (result)); i++)
        {
          g_autoptr(GError) entry_error = NULL;

          haul_aria2_rpc_multicall_get (result, i, call->display, &entry_error);
          if (g_error_matches (entry_error, HAUL_ERROR, HAUL_ERROR_UNAUTHORIZED))
            {
              json_node_unref (result);
              result = NULL;
              error = g_steal_pointer (&entry_error);
              break;
            }
        }
    }

  if (error != NULL)
    {
      if (!call->is_probe && call->generation == self->generation)
        note_failure (self, error);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, result, (GDestroyNotify) json_node_unref);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  JsonNode *result = haul_aria2_rpc_parse_response (call->status, call->content_type, call->body,
                                                    call->id, call->display, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) json_node_unref);
}

static void
parsed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  GError *error = NULL;
  JsonNode *node = g_task_propagate_pointer (G_TASK (result), &error);

  finish_call (outer, node, error);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HaulAria2Client *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  GError *parse_error = NULL;
  JsonNode *node;

  if (body == NULL)
    {
      GTlsCertificateFlags tls = soup_message_get_tls_peer_certificate_errors (call->msg);

      finish_call (task, NULL, haul_aria2_rpc_map_transport_error (error, tls, self->display));
      return;
    }

  call->status = soup_message_get_status (call->msg);
  call->content_type = g_strdup (soup_message_headers_get_content_type (
                                   soup_message_get_response_headers (call->msg), NULL));
  if (g_bytes_get_size (body) >= PARSE_IN_THREAD_BYTES)
    {
      g_autoptr(GTask) parse = g_task_new (self, g_task_get_cancellable (task), parsed_cb,
                                           g_object_ref (task));

      call->body = g_steal_pointer (&body);
      /* The thread reads the Call (owned by @task, which parsed_cb holds);
       * nobody else touches it until parsed_cb runs. */
      g_task_set_source_tag (parse, parse_thread);
      g_task_set_check_cancellable (parse, FALSE);
      g_task_set_task_data (parse, call, NULL);
      g_task_run_in_thread (parse, parse_thread);
      return;
    }

  node = haul_aria2_rpc_parse_response (call->status, call->content_type, body, call->id,
                                        self->display, &parse_error);
  finish_call (task, node, parse_error);
}

/* Sends @body (the request numbered @id) on @task, whose Call it sets. */
static void
send_request (HaulAria2Client *self,
              GTask           *task,
              GBytes          *body,
              gint64           id,
              gboolean         is_probe,
              gboolean         is_multicall)
{
  Call *call = g_new0 (Call, 1);

  call->msg = soup_message_new_from_uri (SOUP_METHOD_POST, self->http_guri);
  call->id = id;
  call->generation = self->generation;
  call->is_probe = is_probe;
  call->is_multicall = is_multicall;
  call->display = g_strdup (self->display);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  soup_message_set_request_body_from_bytes (call->msg, "application/json", body);
  soup_message_headers_replace (soup_message_get_request_headers (call->msg),
                                "Accept", "application/json");
  soup_session_send_and_read_async (self->session, call->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), sent_cb, g_object_ref (task));
}

void
haul_aria2_client_call_async (HaulAria2Client     *self,
                              const char          *method,
                              JsonArray           *params,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  gint64 id;

  g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, haul_aria2_client_call_async);

  id = ++self->next_id;
  body = haul_aria2_rpc_build_request (id, method, self->secret, params);
  send_request (self, task, body, id, FALSE, FALSE);
}

JsonNode *
haul_aria2_client_call_finish (HaulAria2Client  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == haul_aria2_client_call_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
haul_aria2_client_multicall_async (HaulAria2Client     *self,
                                   const char * const  *methods,
                                   JsonArray          **params,
                                   guint                n_calls,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  gint64 id;

  g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));
  g_return_if_fail (methods != NULL);
  g_return_if_fail (n_calls > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, haul_aria2_client_multicall_async);

  id = ++self->next_id;
  body = haul_aria2_rpc_build_multicall (id, self->secret, methods, params, n_calls);
  send_request (self, task, body, id, FALSE, TRUE);
}

JsonNode *
haul_aria2_client_multicall_finish (HaulAria2Client  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == haul_aria2_client_multicall_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The probe (1) --------------------------------------------------------- */

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  HaulAria2Client *self = HAUL_ARIA2_CLIENT (source);
  Call *call = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = g_task_propagate_pointer (G_TASK (result), &error);
  gboolean was_connected;
  const char *version = NULL;

  if (call->generation != self->generation)
    return;
  self->probing = FALSE;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    version = json_object_get_string_member_with_default (json_node_get_object (node),
                                                          "version", NULL);
  if (error == NULL && version == NULL)
    haul_set_error (&error, HAUL_ERROR_PROTOCOL,
                    "%s is not an aria2 daemon: it does not tell its version", self->display);
  if (error != NULL)
    {
      fail (self, error);
      return;
    }

  if (g_strcmp0 (self->version, version) != 0)
    {
      g_free (self->version);
      self->version = g_strdup (version);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
    }
  self->retry_ms = RETRY_FIRST_MS;
  was_connected = self->connection == HAUL_ARIA2_CONNECTED;
  set_connection (self, HAUL_ARIA2_CONNECTED, NULL);
  /* Already connected: the WebSocket reopens on its own backoff (3). */
  if (!was_connected)
    {
      self->ws_retry_ms = RETRY_FIRST_MS;
      open_ws (self);
    }
}

static void
probe (HaulAria2Client *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  gint64 id;

  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (!self->running || self->probing)
    return;
  self->probing = TRUE;
  self->n_attempts++;

  task = g_task_new (self, self->cancellable, probe_cb, NULL);
  g_task_set_source_tag (task, probe);
  id = ++self->next_id;
  body = haul_aria2_rpc_build_request (id, "aria2.getVersion", self->secret, NULL);
  send_request (self, task, body, id, TRUE, FALSE);
}

/* Notifications (3) ----------------------------------------------------- */

static void
ws_message_cb (SoupWebsocketConnection *ws,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data)
{
  HaulAria2Client *self = user_data;
  g_autofree char *gid = NULL;
  HaulAria2Event event;
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);

  if (type != SOUP_WEBSOCKET_DATA_TEXT || data == NULL)
    return;
  if (haul_aria2_rpc_parse_notification (data, length, &event, &gid))
    g_signal_emit (self, signals[SIGNAL_EVENT], 0, event, gid);
}

static gboolean
ws_retry_cb (gpointer data)
{
  HaulAria2Client *self = data;

  self->ws_retry_source = 0;
  open_ws (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_ws_retry (HaulAria2Client *self)
{
  g_clear_handle_id (&self->ws_retry_source, g_source_remove);
  self->ws_retry_source = g_timeout_add (self->ws_retry_ms, ws_retry_cb, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->ws_retry_source),
                            "[haul] aria2 websocket retry");
  self->ws_retry_ms = MIN (self->ws_retry_ms * 2, RETRY_MAX_MS);
}

static void
ws_closed_cb (SoupWebsocketConnection *ws,
              gpointer                 user_data)
{
  HaulAria2Client *self = user_data;

  g_debug ("aria2 %s: notifications closed", self->display);
  close_ws (self);
  if (self->connection == HAUL_ARIA2_CONNECTED)
    {
      probe (self);
      schedule_ws_retry (self);
    }
}

typedef struct
{
  HaulAria2Client *self;        /* (owned) */
  guint            generation;
} WsConnect;

static void
ws_connected_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WsConnect *data = user_data;
  g_autoptr(HaulAria2Client) self = data->self;
  guint generation = data->generation;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) ws = NULL;

  g_free (data);
  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (generation != self->generation)
    return;
  self->ws_connecting = FALSE;

  if (ws == NULL)
    {
      g_debug ("aria2 %s: no notifications: %s", self->display, error->message);
      if (self->connection == HAUL_ARIA2_CONNECTED)
        schedule_ws_retry (self);
      return;
    }
  if (self->connection != HAUL_ARIA2_CONNECTED)
    return;

  self->ws = g_steal_pointer (&ws);
  self->ws_retry_ms = RETRY_FIRST_MS;
  soup_websocket_connection_set_keepalive_interval (self->ws, WS_KEEPALIVE_S);
  g_signal_connect (self->ws, "message", G_CALLBACK (ws_message_cb), self);
  g_signal_connect (self->ws, "closed", G_CALLBACK (ws_closed_cb), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LISTENING]);
}

static void
open_ws (HaulAria2Client *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  WsConnect *data;

  if (!self->running || self->ws != NULL || self->ws_connecting)
    return;
  self->ws_connecting = TRUE;

  msg = soup_message_new (SOUP_METHOD_GET, self->ws_uri);
  data = g_new0 (WsConnect, 1);
  data->self = g_object_ref (self);
  data->generation = self->generation;
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->cancellable, ws_connected_cb, data);
}

/* Running --------------------------------------------------------------- */

static void
secret_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  WsConnect *data = user_data;
  g_autoptr(HaulAria2Client) self = data->self;
  guint generation = data->generation;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = haul_aria2_secret_lookup_finish (result, &error);

  g_free (data);
  if (generation != self->generation || self->secret_known)
    return;
  /* No keyring: go on without a token; a daemon that needs one says
   * "Unauthorized", which is the message the person can act on. */
  if (error != NULL)
    g_debug ("aria2 %s: no secret from the keyring: %s", self->display, error->message);
  g_free (self->secret);
  self->secret = g_steal_pointer (&secret);
  self->secret_known = TRUE;
  probe (self);
}

void
haul_aria2_client_start (HaulAria2Client *self)
{
  g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));

  if (self->running)
    return;
  self->running = TRUE;
  self->retry_ms = RETRY_FIRST_MS;
  set_connection (self, HAUL_ARIA2_CONNECTING, NULL);

  if (!self->secret_known)
    {
      WsConnect *data = g_new0 (WsConnect, 1);

      data->self = g_object_ref (self);
      data->generation = self->generation;
      haul_aria2_secret_lookup_async (self->address, self->cancellable, secret_cb, data);
      return;
    }
  probe (self);
}

void
haul_aria2_client_stop (HaulAria2Client *self)
{
  g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));

  self->running = FALSE;
  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->retry_source, g_source_remove);
  close_ws (self);
  self->probing = FALSE;
  self->ws_connecting = FALSE;
  set_connection (self, HAUL_ARIA2_DISCONNECTED, NULL);
}

void
haul_aria2_client_reconnect (HaulAria2Client *self)
{
  g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));

  if (!self->running)
    {
      haul_aria2_client_start (self);
      return;
    }
  self->retry_ms = RETRY_FIRST_MS;
  if (self->connection != HAUL_ARIA2_CONNECTED)
    set_connection (self, HAUL_ARIA2_CONNECTING, NULL);
  if (!self->secret_known)
    return;  /* the lookup under way probes when it is done */
  probe (self);
}

void
haul_aria2_client_set_secret (HaulAria2Client *self,
                              const char      *secret)
{
  g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));

  g_free (self->secret);
  self->secret = g_strdup (secret);
  self->secret_known = TRUE;
  if (self->running)
    haul_aria2_client_reconnect (self);
}

/* Accessors ------------------------------------------------------------- */

const char *
haul_aria2_client_get_address (HaulAria2Client *self)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_CLIENT (self), NULL);
  return self->address;
}

const char *
haul_aria2_client_get_display_name (HaulAria2Client *self)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_CLIENT (self), NULL);
  return self->display;
}

HaulAria2Connection
haul_aria2_client_get_connection (HaulAria2Client *self)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_CLIENT (self), HAUL_ARIA2_DISCONNECTED);
  return self->connection;
}

const GError *
haul_aria2_client_get_error (HaulAria2Client *self)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_CLIENT (self), NULL);
  return self->error;
}

const char *
haul_aria2_client_get_version (HaulAria2Client *self)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_CLIENT (self), NULL);
  return self->version;
}

gboolean
haul_aria2_client_get_listening (HaulAria2Client *self)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_CLIENT (self), FALSE);
  return self->ws != NULL;
}

guint
haul_aria2_client_get_n_attempts (HaulAria2Client *self)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_CLIENT (self), 0);
  return self->n_attempts;
}

/* GObject --------------------------------------------------------------- */

HaulAria2Client *
haul_aria2_client_new (const char  *address,
                       GError     **error)
{
  g_autofree char *http_uri = NULL;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!haul_aria2_address_parse (address, &http_uri, NULL, NULL, error))
    return NULL;
  return g_object_new (HAUL_TYPE_ARIA2_CLIENT, "address", address, NULL);
}

static void
haul_aria2_client_constructed (GObject *object)
{
  HaulAria2Client *self = HAUL_ARIA2_CLIENT (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (haul_aria2_client_parent_class)->constructed (object);

  if (!haul_aria2_address_parse (self->address != NULL ? self->address : "", &self->http_uri,
                                 &self->ws_uri, &self->display, &error))
    {
      /* Only reachable through g_object_new() with a bad address. */
      g_critical ("%s", error->message);
      self->http_uri = g_strdup ("http://invalid./jsonrpc");
      self->ws_uri = g_strdup ("ws://invalid./jsonrpc");
      self->display = g_strdup ("invalid.");
    }
  self->http_guri = g_uri_parse (self->http_uri, SOUP_HTTP_URI_FLAGS, NULL);
  g_assert (self->http_guri != NULL);
}

static void
haul_aria2_client_dispose (GObject *object)
{
  HaulAria2Client *self = HAUL_ARIA2_CLIENT (object);

  self->running = FALSE;
  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_handle_id (&self->ws_retry_source, g_source_remove);
  if (self->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->ws, self);
      if (soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&self->ws);
    }
  if (self->session != NULL)
    soup_session_abort (self->session);

  G_OBJECT_CLASS (haul_aria2_client_parent_class)->dispose (object);
}

static void
haul_aria2_client_finalize (GObject *object)
{
  HaulAria2Client *self = HAUL_ARIA2_CLIENT (object);

  g_free (self->address);
  g_free (self->http_uri);
  g_free (self->ws_uri);
  g_free (self->display);
  g_clear_pointer (&self->http_guri, g_uri_unref);
  g_free (self->secret);
  g_clear_object (&self->session);
  g_clear_error (&self->error);
  g_free (self->version);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (haul_aria2_client_parent_class)->finalize (object);
}

static void
haul_aria2_client_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HaulAria2Client *self = HAUL_ARIA2_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_CONNECTION:
      g_value_set_enum (value, self->connection);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_VERSION:
      g_value_set_string (value, self->version);
      break;
    case PROP_LISTENING:
      g_value_set_boolean (value, self->ws != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_aria2_client_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HaulAria2Client *self = HAUL_ARIA2_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      self->address = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_aria2_client_class_init (HaulAria2ClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = haul_aria2_client_constructed;
  object_class->dispose = haul_aria2_client_dispose;
  object_class->finalize = haul_aria2_client_finalize;
  object_class->get_property = haul_aria2_client_get_property;
  object_class->set_property = haul_aria2_client_set_property;

  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTION] =
    g_param_spec_enum ("connection", NULL, NULL,
                       HAUL_TYPE_ARIA2_CONNECTION, HAUL_ARIA2_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERSION] =
    g_param_spec_string ("version", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LISTENING] =
    g_param_spec_boolean ("listening", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, HAUL_TYPE_ARIA2_EVENT, G_TYPE_STRING);
  signals[SIGNAL_ADDED] =
    g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
haul_aria2_client_init (HaulAria2Client *self)
{
  self->cancellable = g_cancellable_new ();
  self->retry_ms = RETRY_FIRST_MS;
  self->ws_retry_ms = RETRY_FIRST_MS;
  /* Its own session: calls to one daemon, with their own limits, never
   * queued behind the built-in engine's downloads. No content decoder is
   * needed either way; answers are small JSON. */
  self->session = soup_session_new_with_options ("timeout", REQUEST_TIMEOUT_S,
                                                 "idle-timeout", 60,
                                                 "max-conns-per-host", 4,
                                                 "user-agent", "Haul/" PACKAGE_VERSION,
                                                 NULL);
}
