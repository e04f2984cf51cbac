/* test-aria2-rpc.c: aria2's JSON-RPC messages and snapshots, without a daemon
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "haul-aria2-rpc.h"
#include "haul-aria2-status.h"
#include "haul-error.h"

/* Addresses ------------------------------------------------------------- */

static void
check_address (const char *address,
               const char *http_expected,
               const char *ws_expected,
               const char *display_expected)
{
  g_autofree char *http_uri = NULL;
  g_autofree char *ws_uri = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (haul_aria2_address_parse (address, &http_uri, &ws_uri, &display, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (http_uri, ==, http_expected);
  g_assert_cmpstr (ws_uri, ==, ws_expected);
  g_assert_cmpstr (display, ==, display_expected);
}

static void
test_address_forms (void)
{
  check_address ("http://nas:6800/jsonrpc",
                 "http://nas:6800/jsonrpc", "ws://nas:6800/jsonrpc", "nas:6800");
  check_address ("ws://nas:6800/jsonrpc",
                 "http://nas:6800/jsonrpc", "ws://nas:6800/jsonrpc", "nas:6800");
  check_address ("wss://nas.example.org/aria2/jsonrpc",
                 "https://nas.example.org/aria2/jsonrpc", "wss://nas.example.org/aria2/jsonrpc",
                 "nas.example.org:443");
  check_address ("https://nas.example.org:8443",
                 "https://nas.example.org:8443/jsonrpc", "wss://nas.example.org:8443/jsonrpc",
                 "nas.example.org:8443");
  /* What people type: a bare host and port, blanks around it. */
  check_address ("  192.168.1.5:6800 ",
                 "http://192.168.1.5:6800/jsonrpc", "ws://192.168.1.5:6800/jsonrpc",
                 "192.168.1.5:6800");
  check_address ("HTTP://[::1]:6800/",
                 "http://[::1]:6800/jsonrpc", "ws://[::1]:6800/jsonrpc", "[::1]:6800");
}

static void
test_address_invalid (void)
{
  const char *bad[] = {
    "", "ftp://nas:6800/jsonrpc", "file:///jsonrpc", "http://", "http://user:pw@nas:6800/jsonrpc",
    "http://nas:99999/jsonrpc", "not an address at all",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *http_uri = NULL;

      g_assert_false (haul_aria2_address_parse (bad[i], &http_uri, NULL, NULL, &error));
      g_assert_error (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL);
      g_assert_null (http_uri);
      g_assert_nonnull (strstr (error->message, "aria2"));
    }
}

/* Requests -------------------------------------------------------------- */

static JsonObject *
parse_object (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  g_assert_true (json_parser_load_from_data (parser, data, length, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_request_token (void)
{
  g_autoptr(JsonArray) params = json_array_new ();
  g_autoptr(GBytes) with = NULL;
  g_autoptr(GBytes) without = NULL;
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;
  JsonArray *p;

  json_array_add_string_element (params, "2089b05ecca3d829");
  with = haul_aria2_rpc_build_request (7, "aria2.pause", "s3cr\"et", json_array_ref (params));
  without = haul_aria2_rpc_build_request (8, "aria2.pause", NULL, json_array_ref (params));

  a = parse_object (with);
  g_assert_cmpstr (json_object_get_string_member (a, "jsonrpc"), ==, "2.0");
  g_assert_cmpint (json_object_get_int_member (a, "id"), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (a, "method"), ==, "aria2.pause");
  p = json_object_get_array_member (a, "params");
  g_assert_cmpuint (json_array_get_length (p), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (p, 0), ==, "token:s3cr\"et");
  g_assert_cmpstr (json_array_get_string_element (p, 1), ==, "2089b05ecca3d829");

  b = parse_object (without);
  p = json_object_get_array_member (b, "params");
  g_assert_cmpuint (json_array_get_length (p), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (p, 0), ==, "2089b05ecca3d829");
}

static void
test_request_multicall (void)
{
  const char * const methods[] = { "aria2.getGlobalStat", "aria2.tellActive" };
  JsonArray *params[2] = { NULL, json_array_new () };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonArray *calls;
  JsonObject *second;

  json_array_add_string_element (params[1], "gid");
  bytes = haul_aria2_rpc_build_multicall (3, "tok", methods, params, 2);
  object = parse_object (bytes);
  g_assert_cmpstr (json_object_get_string_member (object, "method"), ==, "system.multicall");
  /* The token goes into each call, never into system.multicall itself. */
  calls = json_array_get_array_element (json_object_get_array_member (object, "params"), 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "params")),
                    ==, 1);
  g_assert_cmpuint (json_array_get_length (calls), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (calls, 0),
                                                  "methodName"), ==, "aria2.getGlobalStat");
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (json_array_get_object_element (calls, 0),
                                                   "params"), 0), ==, "token:tok");
  second = json_array_get_object_element (calls, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (second, "params")),
                    ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (second, "params"),
                                                  1), ==, "gid");
}

/* Answers --------------------------------------------------------------- */

static JsonNode *
parse (guint        status,
       const char  *content_type,
       const char  *body,
       gint64       id,
       GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  return haul_aria2_rpc_parse_response (status, content_type, bytes, id, "nas:6800", error);
}

static void
test_answer_result (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse (200, "application/json-rpc",
                                    "{\"id\":5,\"jsonrpc\":\"2.0\","
                                    "\"result\":\"2089b05ecca3d829\"}",
                                    5, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (node), ==, "2089b05ecca3d829");
}

static void
assert_answer_error (guint       status,
                     const char *content_type,
                     const char *body,
                     GQuark      domain,
                     gint        code,
                     const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse (status, content_type, body, 5, &error);

  g_assert_null (node);
  g_assert_error (error, domain, code);
  if (strstr (error->message, words) == NULL)
    g_error ("“%s” does not say “%s”", error->message, words);
}

static void
test_answer_errors (void)
{
  /* What aria2 1.36 sends for a wrong secret: 400 and a JSON-RPC error. */
  assert_answer_error (400, "application/json-rpc",
                       "{\"id\":5,\"jsonrpc\":\"2.0\","
                       "\"error\":{\"code\":1,\"message\":\"Unauthorized\"}}",
                       HAUL_ERROR, HAUL_ERROR_UNAUTHORIZED, "Unauthorized");
  assert_answer_error (200, "application/json-rpc",
                       "{\"id\":5,\"jsonrpc\":\"2.0\",\"error\":{\"code\":1,"
                       "\"message\":\"GID 0000000000000001 is not found\"}}",
                       HAUL_ERROR, HAUL_ERROR_DAEMON, "GID 0000000000000001 is not found");
  /* Not aria2: a 404, a web page, plain text, JSON that is not JSON-RPC. */
  assert_answer_error (404, "text/html", "<html><body>Not here</body></html>",
                       HAUL_ERROR, HAUL_ERROR_PROTOCOL, "404 Not Found");
  assert_answer_error (404, NULL, "", HAUL_ERROR, HAUL_ERROR_PROTOCOL, "nas:6800");
  assert_answer_error (200, "text/html", "{\"result\":1}",
                       HAUL_ERROR, HAUL_ERROR_PROTOCOL, "web page");
  assert_answer_error (200, "text/plain", "hello", HAUL_ERROR, HAUL_ERROR_PROTOCOL, "JSON-RPC");
  assert_answer_error (200, "application/json", "[1,2,3]",
                       HAUL_ERROR, HAUL_ERROR_PROTOCOL, "JSON-RPC");
  /* Someone else's answer. */
  assert_answer_error (200, "application/json-rpc",
                       "{\"id\":6,\"jsonrpc\":\"2.0\",\"result\":\"OK\"}",
                       HAUL_ERROR, HAUL_ERROR_PROTOCOL, "different request");
  /* A proxy in front of a daemon that is down: unreachable, not "not aria2". */
  assert_answer_error (502, "text/html", "<html>Bad Gateway</html>",
                       HAUL_ERROR, HAUL_ERROR_NETWORK, "502 Bad Gateway");
}

static void
test_answer_multicall (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse (200, "application/json-rpc",
                                    "{\"id\":5,\"jsonrpc\":\"2.0\",\"result\":["
                                    "[{\"numActive\":\"0\"}],"
                                    "{\"code\":1,\"message\":\"GID 1 is not found\"},"
                                    "{\"code\":1,\"message\":\"Unauthorized\"}]}",
                                    5, &error);
  JsonNode *entry;

  g_assert_no_error (error);
  entry = haul_aria2_rpc_multicall_get (node, 0, "nas:6800", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (entry));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (entry), "numActive"),
                   ==, "0");

  g_assert_null (haul_aria2_rpc_multicall_get (node, 1, "nas:6800", &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_DAEMON);
  g_clear_error (&error);
  g_assert_null (haul_aria2_rpc_multicall_get (node, 2, "nas:6800", &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_null (haul_aria2_rpc_multicall_get (node, 3, "nas:6800", &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL);
}

static void
test_notification (void)
{
  const char *complete = "{\"jsonrpc\":\"2.0\",\"method\":\"aria2.onDownloadComplete\","
                         "\"params\":[{\"gid\":\"2089b05ecca3d829\"}]}";
  const char *bt = "{\"jsonrpc\":\"2.0\",\"method\":\"aria2.onBtDownloadComplete\","
                   "\"params\":[{\"gid\":\"00000000000000aa\"}]}";
  const char *bad[] = {
    "{\"jsonrpc\":\"2.0\",\"method\":\"aria2.onSomethingNew\",\"params\":[{\"gid\":\"a\"}]}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"aria2.onDownloadStart\",\"params\":[]}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"aria2.onDownloadStart\",\"params\":[{\"gid\":\"\"}]}",
    "{\"id\":1,\"jsonrpc\":\"2.0\",\"result\":\"OK\"}",
    "not json",
  };
  g_autofree char *gid = NULL;
  g_autofree char *gid2 = NULL;
  HaulAria2Event event;

  g_assert_true (haul_aria2_rpc_parse_notification (complete, strlen (complete), &event, &gid));
  g_assert_cmpint (event, ==, HAUL_ARIA2_EVENT_COMPLETE);
  g_assert_cmpstr (gid, ==, "2089b05ecca3d829");
  g_assert_true (haul_aria2_rpc_parse_notification (bt, strlen (bt), &event, &gid2));
  g_assert_cmpint (event, ==, HAUL_ARIA2_EVENT_BT_COMPLETE);
  g_assert_cmpstr (gid2, ==, "00000000000000aa");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (haul_aria2_rpc_parse_notification (bad[i], strlen (bad[i]), &event, NULL));
}

static void
test_transport_errors (void)
{
  g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "x");
  g_autoptr(GError) tls = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "bad");
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "c");
  g_autoptr(GError) a = haul_aria2_rpc_map_transport_error (refused, 0, "nas:6800");
  g_autoptr(GError) b = haul_aria2_rpc_map_transport_error (tls, G_TLS_CERTIFICATE_UNKNOWN_CA,
                                                            "nas:6800");
  g_autoptr(GError) c = haul_aria2_rpc_map_transport_error (cancelled, 0, "nas:6800");

  g_assert_error (a, HAUL_ERROR, HAUL_ERROR_NETWORK);
  g_assert_nonnull (strstr (a->message, "nas:6800"));
  g_assert_nonnull (strstr (a->message, "unreachable"));
  g_assert_error (b, HAUL_ERROR, HAUL_ERROR_TLS);
  g_assert_nonnull (strstr (b->message, "nas:6800"));
  g_assert_nonnull (strstr (b->message, "certificate authority"));
  g_assert_error (c, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_assert_true (haul_aria2_rpc_error_is_connection (a));
  g_assert_true (haul_aria2_rpc_error_is_connection (b));
  g_assert_false (haul_aria2_rpc_error_is_connection (c));
}

static void
test_options (void)
{
  g_autofree char *sha = haul_aria2_checksum_option (G_CHECKSUM_SHA256,
                                                     "E3B0C44298FC1C149AFBF4C8996FB924"
                                                     "27AE41E4649B934CA495991B7852B855");
  g_autofree char *md5 = haul_aria2_checksum_option (G_CHECKSUM_MD5,
                                                     "d41d8cd98f00b204e9800998ecf8427e");

  g_assert_cmpstr (sha, ==,
                   "sha-256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  g_assert_cmpstr (md5, ==, "md5=d41d8cd98f00b204e9800998ecf8427e");
  g_assert_null (haul_aria2_checksum_option (G_CHECKSUM_SHA256, "abcd"));
  g_assert_null (haul_aria2_checksum_option (G_CHECKSUM_MD5, "d41d8cd98f00b204e9800998ecf8427g"));

  g_assert_true (haul_aria2_option_value_is_safe ("session=abc; theme=dark"));
  g_assert_true (haul_aria2_option_value_is_safe ("https://example.org/ü"));
  /* A line break would add options of its own to aria2's session file. */
  g_assert_false (haul_aria2_option_value_is_safe ("a\n dir=/etc"));
  g_assert_false (haul_aria2_option_value_is_safe ("a\rb"));
  g_assert_false (haul_aria2_option_value_is_safe ("a\tb"));
  g_assert_false (haul_aria2_option_value_is_safe ("\xff\xfe"));
  g_assert_false (haul_aria2_option_value_is_safe (NULL));
}

/* Snapshots ------------------------------------------------------------- */

static HaulAria2Status *
status_from (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  HaulAria2Status *status;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  status = haul_aria2_status_new_from_json (json_node_get_object (json_parser_get_root (parser)),
                                            &error);
  g_assert_no_error (error);
  return status;
}

/* An answer of aria2 1.36 to tellStopped, trimmed. */
#define NOT_FOUND_JSON \
  "{\"completedLength\":\"0\",\"connections\":\"0\",\"dir\":\"/srv/dl\",\"downloadSpeed\":\"0\"," \
  "\"errorCode\":\"3\",\"errorMessage\":\"Resource not found\"," \
  "\"files\":[{\"completedLength\":\"0\"," \
  "\"index\":\"1\",\"length\":\"0\",\"path\":\"/srv/dl/x.bin\",\"selected\":\"true\",\"uris\":[" \
  "{\"status\":\"used\",\"uri\":\"http://127.0.0.1:18080/nope\"}," \
  "{\"status\":\"waiting\",\"uri\":\"http://127.0.0.1:18080/nope\"}]}]," \
  "\"gid\":\"aee7462e358142f7\",\"status\":\"error\",\"totalLength\":\"0\"}"

static void
test_status_parse (void)
{
  g_autoptr(HaulAria2Status) status = status_from (NOT_FOUND_JSON);
  g_autoptr(HaulAria2Status) active = status_from (
    "{\"gid\":\"0000000000000001\",\"status\":\"active\",\"totalLength\":\"1000\","
    "\"completedLength\":\"250\",\"downloadSpeed\":\"4096\",\"connections\":\"2\","
    "\"files\":[{\"path\":\"\",\"uris\":[]}]}");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  g_assert_cmpstr (status->gid, ==, "aee7462e358142f7");
  g_assert_cmpint (status->state, ==, HAUL_ARIA2_ERROR);
  g_assert_cmpint (status->total, ==, -1);
  g_assert_cmpint (status->completed, ==, 0);
  g_assert_cmpstr (status->dir, ==, "/srv/dl");
  g_assert_cmpstr (status->path, ==, "/srv/dl/x.bin");
  g_assert_cmpint (status->error_code, ==, 3);
  g_assert_cmpstr (status->error_message, ==, "Resource not found");
  /* The same URI listed per connection is one address. */
  g_assert_cmpuint (g_strv_length (status->uris), ==, 1);
  g_assert_cmpstr (status->uris[0], ==, "http://127.0.0.1:18080/nope");
  g_assert_true (haul_aria2_status_is_final (status));
  g_assert_cmpint (haul_aria2_status_get_download_state (status), ==, HAUL_DOWNLOAD_FAILED);

  error = haul_aria2_status_dup_error (status);
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_HTTP);
  g_assert_cmpstr (error->message, ==, "The server answered 404 Not Found");

  g_assert_cmpint (active->total, ==, 1000);
  g_assert_cmpint (active->completed, ==, 250);
  g_assert_cmpint (active->speed, ==, 4096);
  g_assert_cmpint (active->connections, ==, 2);
  g_assert_null (active->path);
  g_assert_null (active->dir);
  g_assert_nonnull (active->uris);
  g_assert_null (active->uris[0]);
  g_assert_false (haul_aria2_status_is_final (active));
  g_assert_cmpint (haul_aria2_status_get_download_state (active), ==, HAUL_DOWNLOAD_DOWNLOADING);
  g_assert_null (haul_aria2_status_dup_error (active));

  name = haul_aria2_status_dup_file_name (status);
  g_assert_cmpstr (name, ==, "x.bin");
}

static void
test_status_invalid (void)
{
  const char *bad[] = {
    "{\"gid\":\"1\",\"status\":\"exploded\"}",
    "{\"gid\":\"1\"}",
    "{\"status\":\"active\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      g_assert_true (json_parser_load_from_data (parser, bad[i], -1, NULL));
      g_assert_null (haul_aria2_status_new_from_json (
                       json_node_get_object (json_parser_get_root (parser)), &error));
      g_assert_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL);
    }
}

static void
test_status_states (void)
{
  static const struct {
    const char        *json;
    HaulDownloadState  state;
  } cases[] = {
    { "{\"gid\":\"1\",\"status\":\"active\",\"totalLength\":\"0\",\"completedLength\":\"0\"}",
      HAUL_DOWNLOAD_CONNECTING },
    { "{\"gid\":\"1\",\"status\":\"active\",\"totalLength\":\"9\",\"completedLength\":\"0\"}",
      HAUL_DOWNLOAD_DOWNLOADING },
    { "{\"gid\":\"1\",\"status\":\"waiting\"}", HAUL_DOWNLOAD_QUEUED },
    { "{\"gid\":\"1\",\"status\":\"paused\"}", HAUL_DOWNLOAD_PAUSED },
    { "{\"gid\":\"1\",\"status\":\"complete\",\"totalLength\":\"0\"}", HAUL_DOWNLOAD_COMPLETED },
    { "{\"gid\":\"1\",\"status\":\"error\",\"errorCode\":\"9\"}", HAUL_DOWNLOAD_FAILED },
    { "{\"gid\":\"1\",\"status\":\"removed\"}", HAUL_DOWNLOAD_CANCELLED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HaulAria2Status) status = status_from (cases[i].json);

      g_assert_cmpint (haul_aria2_status_get_download_state (status), ==, cases[i].state);
    }

  {
    /* An empty file that is complete has a size: 0. */
    g_autoptr(HaulAria2Status) empty = status_from (cases[4].json);

    g_assert_cmpint (empty->total, ==, 0);
  }
}

static void
assert_error_for (const char *code,
                  const char *message,
                  gint        haul_code,
                  const char *words)
{
  g_autofree char *json = g_strdup_printf ("{\"gid\":\"1\",\"status\":\"error\","
                                           "\"errorCode\":\"%s\",\"errorMessage\":\"%s\","
                                           "\"files\":[{\"path\":\"\",\"uris\":["
                                           "{\"uri\":\"https://files.example.org/a\"}]}]}",
                                           code, message);
  g_autoptr(HaulAria2Status) status = status_from (json);
  g_autoptr(GError) error = haul_aria2_status_dup_error (status);

  g_assert_error (error, HAUL_ERROR, haul_code);
  if (strstr (error->message, words) == NULL)
    g_error ("code %s: “%s” does not say “%s”", code, error->message, words);
}

static void
test_status_errors (void)
{
  assert_error_for ("1", "The response status is not successful. status=403",
                    HAUL_ERROR_HTTP, "The server answered 403 Forbidden");
  assert_error_for ("22", "Invalid range header. Request: 0-1, Response: 5-9",
                    HAUL_ERROR_PROTOCOL, "files.example.org");
  assert_error_for ("9", "No space left on device", HAUL_ERROR_DISK_FULL, "disk");
  assert_error_for ("19", "Name resolution failed", HAUL_ERROR_NETWORK, "files.example.org");
  assert_error_for ("6", "Connection refused", HAUL_ERROR_NETWORK, "Connection refused");
  assert_error_for ("2", "Timeout.", HAUL_ERROR_NETWORK, "timed out");
  assert_error_for ("13", "File exists", HAUL_ERROR_FILE, "already exists");
  assert_error_for ("16", "Failed to open the file, cause: Permission denied",
                    HAUL_ERROR_FILE, "Permission denied");
  assert_error_for ("23", "Too many redirects", HAUL_ERROR_REDIRECT, "redirected");
  assert_error_for ("32", "Checksum error detected", HAUL_ERROR_DAEMON, "checksum");
  assert_error_for ("1", "Something new", HAUL_ERROR_DAEMON, "Something new");
  assert_error_for ("31", "", HAUL_ERROR_DAEMON, "31");
}

static void
test_status_diff (void)
{
  g_autoptr(HaulAria2Status) a = status_from (
    "{\"gid\":\"1\",\"status\":\"active\",\"totalLength\":\"100\",\"completedLength\":\"10\","
    "\"downloadSpeed\":\"5\",\"dir\":\"/d\","
    "\"files\":[{\"path\":\"/d/f\",\"uris\":[{\"uri\":\"http://h/f\"}]}]}");
  g_autoptr(HaulAria2Status) same = status_from (
    "{\"gid\":\"1\",\"status\":\"active\",\"totalLength\":\"100\",\"completedLength\":\"10\","
    "\"downloadSpeed\":\"5\",\"dir\":\"/d\","
    "\"files\":[{\"path\":\"/d/f\",\"uris\":[{\"uri\":\"http://h/f\"}]}]}");
  g_autoptr(HaulAria2Status) moved = status_from (
    "{\"gid\":\"1\",\"status\":\"complete\",\"totalLength\":\"100\",\"completedLength\":\"100\","
    "\"downloadSpeed\":\"0\",\"dir\":\"/d\","
    "\"files\":[{\"path\":\"/d/f\",\"uris\":[{\"uri\":\"http://h/g\"}]}]}");

  g_assert_cmpint (haul_aria2_status_diff (NULL, a), ==, HAUL_ARIA2_FIELD_ALL);
  g_assert_cmpint (haul_aria2_status_diff (a, same), ==, 0);
  g_assert_cmpint (haul_aria2_status_diff (a, moved), ==,
                   HAUL_ARIA2_FIELD_STATE | HAUL_ARIA2_FIELD_COMPLETED | HAUL_ARIA2_FIELD_SPEED
                   | HAUL_ARIA2_FIELD_URIS);
}

static void
test_status_file_name (void)
{
  g_autoptr(HaulAria2Status) from_uri = status_from (
    "{\"gid\":\"1\",\"status\":\"waiting\",\"files\":[{\"path\":\"\","
    "\"uris\":[{\"uri\":\"http://h/dir/some%20file.iso?x=1\"}]}]}");
  g_autoptr(HaulAria2Status) tricky = status_from (
    "{\"gid\":\"1\",\"status\":\"complete\",\"files\":[{\"path\":\"/srv/.\\u202egnp.exe\"}]}");
  g_autoptr(HaulAria2Status) nothing = status_from ("{\"gid\":\"1\",\"status\":\"waiting\"}");
  g_autofree char *a = haul_aria2_status_dup_file_name (from_uri);
  g_autofree char *b = haul_aria2_status_dup_file_name (tricky);
  g_autofree char *c = haul_aria2_status_dup_file_name (nothing);

  g_assert_cmpstr (a, ==, "some file.iso");
  /* No bidi override, no leading dot: as for a name a server sends. */
  g_assert_null (strstr (b, "\xe2\x80\xae"));
  g_assert_false (b[0] == '.');
  g_assert_cmpstr (c, ==, "download");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/engine/aria2-rpc/address/forms", test_address_forms);
  g_test_add_func ("/haul/engine/aria2-rpc/address/invalid", test_address_invalid);
  g_test_add_func ("/haul/engine/aria2-rpc/request/token", test_request_token);
  g_test_add_func ("/haul/engine/aria2-rpc/request/multicall", test_request_multicall);
  g_test_add_func ("/haul/engine/aria2-rpc/answer/result", test_answer_result);
  g_test_add_func ("/haul/engine/aria2-rpc/answer/errors", test_answer_errors);
  g_test_add_func ("/haul/engine/aria2-rpc/answer/multicall", test_answer_multicall);
  g_test_add_func ("/haul/engine/aria2-rpc/notification", test_notification);
  g_test_add_func ("/haul/engine/aria2-rpc/transport-errors", test_transport_errors);
  g_test_add_func ("/haul/engine/aria2-rpc/options", test_options);
  g_test_add_func ("/haul/engine/aria2-rpc/status/parse", test_status_parse);
  g_test_add_func ("/haul/engine/aria2-rpc/status/invalid", test_status_invalid);
  g_test_add_func ("/haul/engine/aria2-rpc/status/states", test_status_states);
  g_test_add_func ("/haul/engine/aria2-rpc/status/errors", test_status_errors);
  g_test_add_func ("/haul/engine/aria2-rpc/status/diff", test_status_diff);
  g_test_add_func ("/haul/engine/aria2-rpc/status/file-name", test_status_file_name);

  return g_test_run ();
}
