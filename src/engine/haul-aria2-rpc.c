/* haul-aria2-rpc.c: aria2's JSON-RPC 2.0 messages, built and read
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "haul-aria2-rpc.h"
#include "haul-error.h"

G_DEFINE_ENUM_TYPE (HaulAria2Event, haul_aria2_event,
                    G_DEFINE_ENUM_VALUE (HAUL_ARIA2_EVENT_START, "start"),
                    G_DEFINE_ENUM_VALUE (HAUL_ARIA2_EVENT_PAUSE, "pause"),
                    G_DEFINE_ENUM_VALUE (HAUL_ARIA2_EVENT_STOP, "stop"),
                    G_DEFINE_ENUM_VALUE (HAUL_ARIA2_EVENT_COMPLETE, "complete"),
                    G_DEFINE_ENUM_VALUE (HAUL_ARIA2_EVENT_ERROR, "error"),
                    G_DEFINE_ENUM_VALUE (HAUL_ARIA2_EVENT_BT_COMPLETE, "bt-complete"))

#define DEFAULT_PATH "/jsonrpc"

/* Addresses ------------------------------------------------------------- */

static gboolean
invalid_address (const char  *address,
                 GError     **error)
{
  haul_set_error (error, HAUL_ERROR_INVALID_URL,
                  "“%s” is not the address of an aria2 daemon (http, https, ws or wss)",
                  address);
  return FALSE;
}

/* A name or an address, nothing that merely parses as one ("my nas"). */
static gboolean
valid_host (const char *host)
{
  g_autofree char *ascii = NULL;

  if (host == NULL || host[0] == '\0')
    return FALSE;
  if (g_hostname_is_ip_address (host))
    return TRUE;
  ascii = g_hostname_to_ascii (host);
  if (ascii == NULL)
    return FALSE;
  for (const char *p = ascii; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

gboolean
haul_aria2_address_parse (const char  *address,
                          char       **http_uri,
                          char       **ws_uri,
                          char       **display,
                          GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;
  const char *path;
  gboolean secure;
  int port;

  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (address));
  /* "nas:6800" is how people write a daemon's address. */
  with_scheme = strstr (trimmed, "://") == NULL ? g_strconcat ("http://", trimmed, NULL)
                                                : g_strdup (trimmed);
  uri = g_uri_parse (with_scheme, G_URI_FLAGS_ENCODED_PATH | G_URI_FLAGS_ENCODED_QUERY, NULL);
  if (uri == NULL)
    return invalid_address (trimmed, error);

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "ws") == 0)
    secure = FALSE;
  else if (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "wss") == 0)
    secure = TRUE;
  else
    return invalid_address (trimmed, error);
  /* aria2 knows no user names; credentials in the address would only be
   * sent in the clear to whoever answers. The secret token is the way. */
  if (!valid_host (host) || g_uri_get_userinfo (uri) != NULL)
    return invalid_address (trimmed, error);

  path = g_uri_get_path (uri);
  if (path[0] == '\0' || strcmp (path, "/") == 0)
    path = DEFAULT_PATH;
  port = g_uri_get_port (uri);

  if (http_uri != NULL)
    *http_uri = g_uri_join (G_URI_FLAGS_ENCODED_PATH | G_URI_FLAGS_ENCODED_QUERY,
                            secure ? "https" : "http", NULL, host, port, path,
                            g_uri_get_query (uri), NULL);
  if (ws_uri != NULL)
    *ws_uri = g_uri_join (G_URI_FLAGS_ENCODED_PATH | G_URI_FLAGS_ENCODED_QUERY,
                          secure ? "wss" : "ws", NULL, host, port, path,
                          g_uri_get_query (uri), NULL);
  if (display != NULL)
    {
      int shown = port > 0 ? port : (secure ? 443 : 80);

      *display = strchr (host, ':') != NULL ? g_strdup_printf ("[%s]:%d", host, shown)
                                            : g_strdup_printf ("%s:%d", host, shown);
    }
  return TRUE;
}

/* Requests -------------------------------------------------------------- */

/* The token goes first in every call's params, as aria2 asks. */
static JsonNode *
params_with_token (const char *secret,
                   JsonArray  *params)
{
  g_autoptr(JsonArray) with_token = json_array_new ();
  g_autoptr(JsonArray) owned = params;
  JsonNode *node;

  if (secret != NULL && secret[0] != '\0')
    {
      g_autofree char *token = g_strconcat ("token:", secret, NULL);

      json_array_add_string_element (with_token, token);
    }
  for (guint i = 0; owned != NULL && i < json_array_get_length (owned); i++)
    json_array_add_element (with_token, json_array_dup_element (owned, i));

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, with_token);
  return node;
}

static GBytes *
serialize (JsonObject *request)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *data;

  json_node_set_object (root, request);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_take (data, length);
}

GBytes *
haul_aria2_rpc_build_request (gint64      id,
                              const char *method,
                              const char *secret,
                              JsonArray  *params)
{
  g_autoptr(JsonObject) request = json_object_new ();

  g_return_val_if_fail (method != NULL, NULL);

  json_object_set_string_member (request, "jsonrpc", "2.0");
  json_object_set_int_member (request, "id", id);
  json_object_set_string_member (request, "method", method);
  /* system.* methods take no token; aria2 refuses one there. */
  json_object_set_member (request, "params",
                          params_with_token (g_str_has_prefix (method, "system.") ? NULL : secret,
                                             params));
  return serialize (request);
}

GBytes *
haul_aria2_rpc_build_multicall (gint64              id,
                                const char         *secret,
                                const char * const *methods,
                                JsonArray         **params,
                                guint               n_calls)
{
  g_autoptr(JsonArray) calls = json_array_new ();
  g_autoptr(JsonArray) outer = json_array_new ();

  g_return_val_if_fail (methods != NULL || n_calls == 0, NULL);

  for (guint i = 0; i < n_calls; i++)
    {
      JsonObject *call = json_object_new ();

      json_object_set_string_member (call, "methodName", methods[i]);
      json_object_set_member (call, "params",
                              params_with_token (secret, params != NULL ? params[i] : NULL));
      json_array_add_object_element (calls, call);
    }
  json_array_add_array_element (outer, g_steal_pointer (&calls));
  return haul_aria2_rpc_build_request (id, "system.multicall", NULL, g_steal_pointer (&outer));
}

/* Answers --------------------------------------------------------------- */

static void
set_rpc_error (JsonObject  *fault,
               const char  *display,
               GError     **error)
{
  const char *message = NULL;

  if (json_object_has_member (fault, "message")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (fault, "message")))
    message = json_object_get_string_member (fault, "message");

  if (g_strcmp0 (message, "Unauthorized") == 0)
    haul_set_error (error, HAUL_ERROR_UNAUTHORIZED,
                    "Wrong secret token: the aria2 daemon at %s answered “Unauthorized”",
                    display);
  else if (message != NULL && message[0] != '\0')
    haul_set_error (error, HAUL_ERROR_DAEMON, "The aria2 daemon refused the request: %s",
                    message);
  else
    haul_set_error_literal (error, HAUL_ERROR_DAEMON,
                            N_("The aria2 daemon refused the request without a reason"));
}

/* The top-level object of a JSON-RPC 2.0 answer, or %NULL. */
static JsonObject *
rpc_object (JsonNode *root)
{
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "result") && !json_object_has_member (object, "error"))
    return NULL;
  return object;
}

static gboolean
is_html (const char *content_type)
{
  return content_type != NULL
         && (g_ascii_strncasecmp (content_type, "text/html", 9) == 0
             || g_ascii_strncasecmp (content_type, "application/xhtml", 17) == 0);
}

JsonNode *
haul_aria2_rpc_parse_response (guint        status,
                               const char  *content_type,
                               GBytes      *body,
                               gint64       id,
                               const char  *display,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *object = NULL;
  gsize length = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;

  g_return_val_if_fail (display != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* aria2 answers an error with 400 or 500 and a JSON-RPC body, so the
   * body decides first and the status only explains a body that is not. */
  if (length > 0 && !is_html (content_type)
      && json_parser_load_from_data (parser, data, length, NULL))
    object = rpc_object (json_parser_get_root (parser));

  if (object == NULL)
    {
      const char *phrase = soup_status_get_phrase (status);
      g_autofree char *number = g_strdup_printf ("%u", status);

      if (phrase == NULL)
        phrase = "";
      if (status >= 500)
        /* Translators: an address, then a status number and its name */
        haul_set_error (error, HAUL_ERROR_NETWORK,
                        "The aria2 daemon at %s is unreachable: the server answered %s %s",
                        display, number, phrase);
      else if (status != SOUP_STATUS_OK)
        /* Translators: an address, then a status number and its name */
        haul_set_error (error, HAUL_ERROR_PROTOCOL, "%s is not an aria2 daemon: it answered %s %s",
                        display, number, phrase);
      else if (is_html (content_type))
        haul_set_error (error, HAUL_ERROR_PROTOCOL,
                        "%s is not an aria2 daemon: it answered with a web page", display);
      else
        haul_set_error (error, HAUL_ERROR_PROTOCOL,
                        "%s is not an aria2 daemon: its answer is not JSON-RPC", display);
      return NULL;
    }

  if (json_object_has_member (object, "error"))
    {
      JsonNode *fault = json_object_get_member (object, "error");

      if (JSON_NODE_HOLDS_OBJECT (fault))
        set_rpc_error (json_node_get_object (fault), display, error);
      else
        haul_set_error (error, HAUL_ERROR_PROTOCOL,
                        "%s is not an aria2 daemon: its answer is not JSON-RPC", display);
      return NULL;
    }

  if (!json_object_has_member (object, "id")
      || json_node_get_value_type (json_object_get_member (object, "id")) != G_TYPE_INT64
      || json_object_get_int_member (object, "id") != id)
    {
      haul_set_error (error, HAUL_ERROR_PROTOCOL,
                      "%s is not an aria2 daemon: it answered a different request", display);
      return NULL;
    }

  return json_node_copy (json_object_get_member (object, "result"));
}

JsonNode *
haul_aria2_rpc_multicall_get (JsonNode    *results,
                              guint        index,
                              const char  *display,
                              GError     **error)
{
  JsonArray *array;
  JsonNode *entry;

  g_return_val_if_fail (display != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results)
      || index >= json_array_get_length (json_node_get_array (results)))
    {
      haul_set_error (error, HAUL_ERROR_PROTOCOL,
                      "%s is not an aria2 daemon: its answer is not JSON-RPC", display);
      return NULL;
    }

  array = json_node_get_array (results);
  entry = json_array_get_element (array, index);
  /* Each entry is [value] on success, or a fault object. */
  if (JSON_NODE_HOLDS_ARRAY (entry) && json_array_get_length (json_node_get_array (entry)) == 1)
    return json_array_get_element (json_node_get_array (entry), 0);
  if (JSON_NODE_HOLDS_OBJECT (entry))
    {
      set_rpc_error (json_node_get_object (entry), display, error);
      return NULL;
    }
  haul_set_error (error, HAUL_ERROR_PROTOCOL,
                  "%s is not an aria2 daemon: its answer is not JSON-RPC", display);
  return NULL;
}

static const struct {
  const char     *method;
  HaulAria2Event  event;
} notifications[] = {
  { "aria2.onDownloadStart", HAUL_ARIA2_EVENT_START },
  { "aria2.onDownloadPause", HAUL_ARIA2_EVENT_PAUSE },
  { "aria2.onDownloadStop", HAUL_ARIA2_EVENT_STOP },
  { "aria2.onDownloadComplete", HAUL_ARIA2_EVENT_COMPLETE },
  { "aria2.onDownloadError", HAUL_ARIA2_EVENT_ERROR },
  { "aria2.onBtDownloadComplete", HAUL_ARIA2_EVENT_BT_COMPLETE },
};

gboolean
haul_aria2_rpc_parse_notification (const char      *text,
                                   gsize            length,
                                   HaulAria2Event  *event,
                                   char           **gid)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonObject *object;
  JsonNode *params;
  JsonNode *first;
  const char *method;
  const char *value;

  g_return_val_if_fail (text != NULL, FALSE);

  if (!json_parser_load_from_data (parser, text, length, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);
  method = json_object_get_string_member_with_default (object, "method", NULL);
  params = json_object_get_member (object, "params");
  if (method == NULL || params == NULL || !JSON_NODE_HOLDS_ARRAY (params)
      || json_array_get_length (json_node_get_array (params)) < 1)
    return FALSE;
  first = json_array_get_element (json_node_get_array (params), 0);
  if (!JSON_NODE_HOLDS_OBJECT (first))
    return FALSE;
  value = json_object_get_string_member_with_default (json_node_get_object (first), "gid", NULL);
  if (value == NULL || value[0] == '\0')
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (notifications); i++)
    {
      if (strcmp (method, notifications[i].method) == 0)
        {
          if (event != NULL)
            *event = notifications[i].event;
          if (gid != NULL)
            *gid = g_strdup (value);
          return TRUE;
        }
    }
  return FALSE;
}

/* Errors ---------------------------------------------------------------- */

gboolean
haul_aria2_rpc_error_is_connection (const GError *error)
{
  if (error == NULL || error->domain != HAUL_ERROR)
    return FALSE;
  return error->code == HAUL_ERROR_NETWORK || error->code == HAUL_ERROR_TLS
         || error->code == HAUL_ERROR_PROTOCOL || error->code == HAUL_ERROR_UNAUTHORIZED;
}

static const char *
describe_certificate (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return _("it is not signed by a known certificate authority");
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return _("it was issued for a different host name");
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return _("it is not valid yet");
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return _("it has expired");
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return _("it has been revoked");
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return _("it uses an insecure algorithm");
  return _("it is not valid");
}

GError *
haul_aria2_rpc_map_transport_error (const GError         *error,
                                    GTlsCertificateFlags  tls_errors,
                                    const char           *display)
{
  g_return_val_if_fail (error != NULL, NULL);
  g_return_val_if_fail (display != NULL, NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (error->domain == G_TLS_ERROR || tls_errors != 0)
    return g_error_new (HAUL_ERROR, HAUL_ERROR_TLS,
                        _("The certificate of %s could not be verified: %s"), display,
                        tls_errors != 0 ? describe_certificate (tls_errors) : error->message);
  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (HAUL_ERROR, HAUL_ERROR_NETWORK,
                        _("The aria2 daemon at %s is unreachable: the name could not be found"),
                        display);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (HAUL_ERROR, HAUL_ERROR_NETWORK,
                        _("The aria2 daemon at %s is unreachable: it refused the connection"),
                        display);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (HAUL_ERROR, HAUL_ERROR_NETWORK,
                        _("The aria2 daemon at %s is unreachable: it did not answer in time"),
                        display);
  if (error->domain == SOUP_SESSION_ERROR)
    return g_error_new (HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                        _("%s is not an aria2 daemon: its answer could not be understood (%s)"),
                        display, error->message);
  return g_error_new (HAUL_ERROR, HAUL_ERROR_NETWORK,
                      _("The aria2 daemon at %s is unreachable: %s"), display, error->message);
}

/* Options --------------------------------------------------------------- */

char *
haul_aria2_checksum_option (GChecksumType  type,
                            const char    *digest)
{
  const char *name;
  gssize length;

  g_return_val_if_fail (digest != NULL, NULL);

  switch (type)
    {
    case G_CHECKSUM_MD5:
      name = "md5";
      break;
    case G_CHECKSUM_SHA1:
      name = "sha-1";
      break;
    case G_CHECKSUM_SHA256:
      name = "sha-256";
      break;
    case G_CHECKSUM_SHA384:
      name = "sha-384";
      break;
    case G_CHECKSUM_SHA512:
      name = "sha-512";
      break;
    default:
      return NULL;
    }

  length = g_checksum_type_get_length (type);
  if (length <= 0 || strlen (digest) != (gsize) length * 2)
    return NULL;
  for (const char *p = digest; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return NULL;

  {
    g_autofree char *lower = g_ascii_strdown (digest, -1);

    return g_strdup_printf ("%s=%s", name, lower);
  }
}

/* Guard: aria2 writes every option of a download into its session file as
 * one "name=value" line. A value with a line break in it (a crafted
 * referrer, cookie or file name) would add lines of its own there, that is
 * options of someone else's choosing (another folder, a hook), applied
 * when the daemon restarts. Control characters have no place in any
 * option Haul sends, so none may pass. */
gboolean
haul_aria2_option_value_is_safe (const char *value)
{
  if (value == NULL || !g_utf8_validate (value, -1, NULL))
    return FALSE;
  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    if (*p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}
