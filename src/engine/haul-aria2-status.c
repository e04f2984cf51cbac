/* haul-aria2-status.c: one download on an aria2 daemon, as a snapshot
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "haul-aria2-status.h"
#include "haul-error.h"
#include "haul-naming.h"

G_DEFINE_ENUM_TYPE (HaulAria2State, haul_aria2_state,
                    G_DEFINE_ENUM_VALUE (HAUL_ARIA2_ACTIVE, "active"),
                    G_DEFINE_ENUM_VALUE (HAUL_ARIA2_WAITING, "waiting"),
                    G_DEFINE_ENUM_VALUE (HAUL_ARIA2_PAUSED, "paused"),
                    G_DEFINE_ENUM_VALUE (HAUL_ARIA2_ERROR, "error"),
                    G_DEFINE_ENUM_VALUE (HAUL_ARIA2_COMPLETE, "complete"),
                    G_DEFINE_ENUM_VALUE (HAUL_ARIA2_REMOVED, "removed"))

G_DEFINE_BOXED_TYPE (HaulAria2Status, haul_aria2_status,
                     haul_aria2_status_ref, haul_aria2_status_unref)

/* aria2's errorCode values (its exit status list in aria2c(1)). */
enum
{
  ARIA2_TIMEOUT = 2,
  ARIA2_NOT_FOUND = 3,
  ARIA2_TOO_SLOW = 5,
  ARIA2_NETWORK = 6,
  ARIA2_NO_RESUME = 8,
  ARIA2_DISK_FULL = 9,
  ARIA2_SAME_FILE = 11,
  ARIA2_FILE_EXISTS = 13,
  ARIA2_RENAME_FAILED = 14,
  ARIA2_OPEN_FAILED = 15,
  ARIA2_CREATE_FAILED = 16,
  ARIA2_IO_ERROR = 17,
  ARIA2_MKDIR_FAILED = 18,
  ARIA2_NAME_RESOLUTION = 19,
  ARIA2_BAD_HTTP = 22,
  ARIA2_TOO_MANY_REDIRECTS = 23,
  ARIA2_HTTP_AUTH = 24,
  ARIA2_OVERLOADED = 29,
  ARIA2_CHECKSUM = 32,
};

static const char * const state_names[] = {
  [HAUL_ARIA2_ACTIVE] = "active",
  [HAUL_ARIA2_WAITING] = "waiting",
  [HAUL_ARIA2_PAUSED] = "paused",
  [HAUL_ARIA2_ERROR] = "error",
  [HAUL_ARIA2_COMPLETE] = "complete",
  [HAUL_ARIA2_REMOVED] = "removed",
};

static const char * const keys[] = {
  "gid", "status", "totalLength", "completedLength", "downloadSpeed", "connections",
  "dir", "files", "errorCode", "errorMessage", NULL,
};

gboolean
haul_aria2_state_from_string (const char     *name,
                              HaulAria2State *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    {
      if (g_strcmp0 (name, state_names[i]) == 0)
        {
          *state = (HaulAria2State) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
haul_aria2_state_to_string (HaulAria2State state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), NULL);

  return state_names[state];
}

const char * const *
haul_aria2_status_keys (void)
{
  return keys;
}

static void
status_clear (gpointer data)
{
  HaulAria2Status *status = data;

  g_free (status->gid);
  g_free (status->dir);
  g_free (status->path);
  g_free (status->error_message);
  g_strfreev (status->uris);
}

HaulAria2Status *
haul_aria2_status_ref (HaulAria2Status *status)
{
  g_return_val_if_fail (status != NULL, NULL);

  return g_atomic_rc_box_acquire (status);
}

void
haul_aria2_status_unref (HaulAria2Status *status)
{
  g_return_if_fail (status != NULL);

  g_atomic_rc_box_release_full (status, status_clear);
}

GPtrArray *
haul_aria2_status_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) haul_aria2_status_unref);
}

/* aria2 sends every number as a decimal string. */
static gint64
member_int (JsonObject *object,
            const char *name,
            gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) != G_TYPE_STRING
      || !g_ascii_string_to_signed (json_node_get_string (node), 10, 0, G_MAXINT64, &value, NULL))
    return fallback;
  return value;
}

static char *
member_dup_string (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  value = json_node_get_string (node);
  return value[0] != '\0' ? g_strdup (value) : NULL;
}

/* files[0]: its path and its distinct URIs (aria2 lists a URI once per
 * connection it has used or will use). */
static void
read_first_file (JsonObject      *object,
                 HaulAria2Status *status)
{
  JsonNode *files = json_object_get_member (object, "files");
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);
  JsonObject *file;
  JsonNode *list;

  if (files != NULL && JSON_NODE_HOLDS_ARRAY (files)
      && json_array_get_length (json_node_get_array (files)) > 0
      && JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (files), 0)))
    {
      file = json_array_get_object_element (json_node_get_array (files), 0);
      status->path = member_dup_string (file, "path");
      list = json_object_get_member (file, "uris");
      for (guint i = 0; list != NULL && JSON_NODE_HOLDS_ARRAY (list)
                        && i < json_array_get_length (json_node_get_array (list)); i++)
        {
          JsonNode *entry = json_array_get_element (json_node_get_array (list), i);
          char *uri;

          if (!JSON_NODE_HOLDS_OBJECT (entry))
            continue;
          uri = member_dup_string (json_node_get_object (entry), "uri");
          if (uri == NULL || g_ptr_array_find_with_equal_func (uris, uri, g_str_equal, NULL))
            g_free (uri);
          else
            g_ptr_array_add (uris, uri);
        }
    }
  g_ptr_array_add (uris, NULL);
  status->uris = (char **) g_ptr_array_steal (uris, NULL);
}

HaulAria2Status *
haul_aria2_status_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  g_autoptr(HaulAria2Status) status = NULL;
  g_autofree char *state_name = NULL;
  HaulAria2State state;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  state_name = member_dup_string (object, "status");
  if (!haul_aria2_state_from_string (state_name, &state))
    {
      haul_set_error (error, HAUL_ERROR_PROTOCOL,
                      "The aria2 daemon sent a download in an unknown state (“%s”)",
                      state_name != NULL ? state_name : "");
      return NULL;
    }

  status = g_atomic_rc_box_new0 (HaulAria2Status);
  status->gid = member_dup_string (object, "gid");
  if (status->gid == NULL)
    {
      haul_set_error_literal (error, HAUL_ERROR_PROTOCOL,
                              N_("The aria2 daemon sent a download without its GID"));
      return NULL;
    }
  status->state = state;
  status->completed = member_int (object, "completedLength", 0);
  status->total = member_int (object, "totalLength", 0);
  /* 0 means "not known yet", except for a complete empty file. */
  if (status->total == 0 && state != HAUL_ARIA2_COMPLETE)
    status->total = -1;
  status->speed = member_int (object, "downloadSpeed", 0);
  status->connections = (gint) CLAMP (member_int (object, "connections", 0), 0, G_MAXINT);
  status->dir = member_dup_string (object, "dir");
  status->error_code = (gint) CLAMP (member_int (object, "errorCode", 0), 0, G_MAXINT);
  status->error_message = member_dup_string (object, "errorMessage");
  read_first_file (object, status);
  status->changed = HAUL_ARIA2_FIELD_ALL;

  return g_steal_pointer (&status);
}

HaulAria2Fields
haul_aria2_status_diff (const HaulAria2Status *before,
                        const HaulAria2Status *after)
{
  HaulAria2Fields changed = 0;

  g_return_val_if_fail (after != NULL, 0);

  if (before == NULL)
    return HAUL_ARIA2_FIELD_ALL;
  if (before->state != after->state)
    changed |= HAUL_ARIA2_FIELD_STATE;
  if (before->total != after->total)
    changed |= HAUL_ARIA2_FIELD_TOTAL;
  if (before->completed != after->completed)
    changed |= HAUL_ARIA2_FIELD_COMPLETED;
  if (before->speed != after->speed)
    changed |= HAUL_ARIA2_FIELD_SPEED;
  if (before->connections != after->connections)
    changed |= HAUL_ARIA2_FIELD_CONNECTIONS;
  if (g_strcmp0 (before->dir, after->dir) != 0)
    changed |= HAUL_ARIA2_FIELD_DIR;
  if (g_strcmp0 (before->path, after->path) != 0)
    changed |= HAUL_ARIA2_FIELD_PATH;
  if (before->error_code != after->error_code
      || g_strcmp0 (before->error_message, after->error_message) != 0)
    changed |= HAUL_ARIA2_FIELD_ERROR;
  if (!g_strv_equal ((const char * const *) before->uris, (const char * const *) after->uris))
    changed |= HAUL_ARIA2_FIELD_URIS;
  return changed;
}

gboolean
haul_aria2_status_is_final (const HaulAria2Status *status)
{
  g_return_val_if_fail (status != NULL, FALSE);

  return status->state == HAUL_ARIA2_ERROR || status->state == HAUL_ARIA2_COMPLETE
         || status->state == HAUL_ARIA2_REMOVED;
}

HaulDownloadState
haul_aria2_status_get_download_state (const HaulAria2Status *status)
{
  g_return_val_if_fail (status != NULL, HAUL_DOWNLOAD_FAILED);

  switch (status->state)
    {
    case HAUL_ARIA2_ACTIVE:
      /* Nothing has arrived and the size is not known: still connecting. */
      if (status->completed == 0 && status->total < 0)
        return HAUL_DOWNLOAD_CONNECTING;
      return HAUL_DOWNLOAD_DOWNLOADING;
    case HAUL_ARIA2_WAITING:
      return HAUL_DOWNLOAD_QUEUED;
    case HAUL_ARIA2_PAUSED:
      return HAUL_DOWNLOAD_PAUSED;
    case HAUL_ARIA2_ERROR:
      return HAUL_DOWNLOAD_FAILED;
    case HAUL_ARIA2_COMPLETE:
      return HAUL_DOWNLOAD_COMPLETED;
    case HAUL_ARIA2_REMOVED:
    default:
      return HAUL_DOWNLOAD_CANCELLED;
    }
}

/* The host of the first URI, for messages. */
static char *
dup_host (const HaulAria2Status *status)
{
  g_autoptr(GUri) uri = NULL;

  if (status->uris == NULL || status->uris[0] == NULL)
    return g_strdup ("aria2");
  uri = g_uri_parse (status->uris[0], G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (status->uris[0]);
  return g_strdup (g_uri_get_host (uri));
}

/* aria2 words an HTTP failure as "… status=403"; 0 if it did not. */
static guint
http_status_of (const char *message)
{
  const char *at = message != NULL ? strstr (message, "status=") : NULL;
  guint64 value;

  if (at == NULL)
    return 0;
  at += strlen ("status=");
  if (!g_ascii_isdigit (at[0]) || !g_ascii_isdigit (at[1]) || !g_ascii_isdigit (at[2]))
    return 0;
  {
    g_autofree char *digits = g_strndup (at, 3);

    if (!g_ascii_string_to_unsigned (digits, 10, 400, 599, &value, NULL))
      return 0;
  }
  return (guint) value;
}

static GError *
http_error (guint status)
{
  const char *phrase = soup_status_get_phrase (status);

  return g_error_new (HAUL_ERROR, HAUL_ERROR_HTTP, _("The server answered %u %s"),
                      status, phrase != NULL ? phrase : "");
}

GError *
haul_aria2_status_dup_error (const HaulAria2Status *status)
{
  g_autofree char *host = NULL;
  const char *words;
  guint http;

  g_return_val_if_fail (status != NULL, NULL);

  if (status->state != HAUL_ARIA2_ERROR)
    return NULL;

  http = http_status_of (status->error_message);
  if (http != 0)
    return http_error (http);

  host = dup_host (status);
  words = status->error_message != NULL ? status->error_message : "";
  switch (status->error_code)
    {
    case ARIA2_NOT_FOUND:
      return http_error (SOUP_STATUS_NOT_FOUND);
    case ARIA2_TIMEOUT:
      return g_error_new (HAUL_ERROR, HAUL_ERROR_NETWORK,
                          _("The connection to %s timed out"), host);
    case ARIA2_TOO_SLOW:
      return g_error_new (HAUL_ERROR, HAUL_ERROR_STALLED,
                          _("The download from %s was too slow"), host);
    case ARIA2_NETWORK:
      return g_error_new (HAUL_ERROR, HAUL_ERROR_NETWORK,
                          _("The connection to %s failed: %s"), host, words);
    case ARIA2_NO_RESUME:
      return g_error_new (HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                          _("The server %s cannot resume the download"), host);
    case ARIA2_DISK_FULL:
      return g_error_new_literal (HAUL_ERROR, HAUL_ERROR_DISK_FULL,
                                  _("The disk of the aria2 daemon is full"));
    case ARIA2_SAME_FILE:
      return g_error_new_literal (HAUL_ERROR, HAUL_ERROR_FILE,
                                  _("The aria2 daemon is already downloading this file"));
    case ARIA2_FILE_EXISTS:
      return g_error_new_literal (HAUL_ERROR, HAUL_ERROR_FILE,
                                  _("The file already exists in the daemon’s folder"));
    case ARIA2_RENAME_FAILED:
    case ARIA2_OPEN_FAILED:
    case ARIA2_CREATE_FAILED:
    case ARIA2_IO_ERROR:
    case ARIA2_MKDIR_FAILED:
      return g_error_new (HAUL_ERROR, HAUL_ERROR_FILE,
                          _("The aria2 daemon could not write the file: %s"), words);
    case ARIA2_NAME_RESOLUTION:
      return g_error_new (HAUL_ERROR, HAUL_ERROR_NETWORK,
                          _("Could not find the server %s"), host);
    case ARIA2_BAD_HTTP:
      return g_error_new (HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                          _("The answer of %s could not be understood: %s"), host, words);
    case ARIA2_TOO_MANY_REDIRECTS:
      return g_error_new_literal (HAUL_ERROR, HAUL_ERROR_REDIRECT,
                                  _("The server redirected too many times"));
    case ARIA2_HTTP_AUTH:
      return g_error_new (HAUL_ERROR, HAUL_ERROR_HTTP,
                          _("The server %s refused the user name or password"), host);
    case ARIA2_OVERLOADED:
      return g_error_new (HAUL_ERROR, HAUL_ERROR_HTTP,
                          _("The server %s is overloaded or down for maintenance"), host);
    case ARIA2_CHECKSUM:
      return g_error_new_literal (HAUL_ERROR, HAUL_ERROR_DAEMON,
                                  _("The downloaded file does not match its checksum"));
    default:
      if (words[0] != '\0')
        return g_error_new (HAUL_ERROR, HAUL_ERROR_DAEMON,
                            _("The aria2 daemon reported an error: %s"), words);
      return g_error_new (HAUL_ERROR, HAUL_ERROR_DAEMON,
                          _("The aria2 daemon reported error %d"), status->error_code);
    }
}

char *
haul_aria2_status_dup_file_name (const HaulAria2Status *status)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *decoded = NULL;
  const char *path;
  const char *slash;

  g_return_val_if_fail (status != NULL, NULL);

  /* Names from another machine are shown to a person: the same rules as
   * for a name a server sends (no bidi tricks, no control characters). */
  if (status->path != NULL)
    {
      g_autofree char *base = g_path_get_basename (status->path);

      return haul_naming_sanitize (base);
    }
  if (status->uris != NULL && status->uris[0] != NULL)
    uri = g_uri_parse (status->uris[0], G_URI_FLAGS_ENCODED_PATH, NULL);
  path = uri != NULL ? g_uri_get_path (uri) : "";
  slash = strrchr (path, '/');
  /* The last segment, decoded once (a stray "%" stays as it is). */
  decoded = g_uri_unescape_string (slash != NULL ? slash + 1 : path, "/");
  return haul_naming_sanitize (decoded != NULL ? decoded : (slash != NULL ? slash + 1 : path));
}
