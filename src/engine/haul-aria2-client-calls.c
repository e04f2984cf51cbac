/* haul-aria2-client-calls.c: HaulAria2Client's typed aria2 methods
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here is built on haul_aria2_client_call_async(): the
 * arguments checked and put into JSON, the answer read into Haul's types.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "haul-aria2-client.h"
#include "haul-error.h"
#include "haul-url.h"

/* aria2.tellWaiting/tellStopped take a count; this is "all of them". */
#define ALL_DOWNLOADS 100000

typedef enum
{
  RESULT_STRING,
  RESULT_OK,
  RESULT_STATUS,
  RESULT_STATUS_LIST,
} ResultKind;

static void
set_unexpected (HaulAria2Client  *self,
                GError          **error)
{
  haul_set_error (error, HAUL_ERROR_PROTOCOL,
                  "%s is not an aria2 daemon: its answer is not JSON-RPC",
                  haul_aria2_client_get_display_name (self));
}

static GPtrArray *
read_status_list (JsonNode  *node,
                  GError   **error)
{
  g_autoptr(GPtrArray) list = haul_aria2_status_array_new ();
  JsonArray *array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      HaulAria2Status *status;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      status = haul_aria2_status_new_from_json (json_node_get_object (element), error);
      if (status == NULL)
        return NULL;
      g_ptr_array_add (list, status);
    }
  return g_steal_pointer (&list);
}

static void
typed_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  HaulAria2Client *self = HAUL_ARIA2_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  ResultKind kind = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = haul_aria2_client_call_finish (self, result, &error);

  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  switch (kind)
    {
    case RESULT_STRING:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          if (g_task_get_source_tag (task) == haul_aria2_client_add_uri_async)
            g_signal_emit_by_name (self, "added", json_node_get_string (node));
          g_task_return_pointer (task, json_node_dup_string (node), g_free);
          return;
        }
      break;
    case RESULT_OK:
      g_task_return_boolean (task, TRUE);
      return;
    case RESULT_STATUS:
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          HaulAria2Status *status = haul_aria2_status_new_from_json (json_node_get_object (node),
                                                                     &error);

          if (status == NULL)
            g_task_return_error (task, g_steal_pointer (&error));
          else
            g_task_return_pointer (task, status, (GDestroyNotify) haul_aria2_status_unref);
          return;
        }
      break;
    case RESULT_STATUS_LIST:
      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          GPtrArray *list = read_status_list (node, &error);

          if (list == NULL)
            g_task_return_error (task, g_steal_pointer (&error));
          else
            g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
          return;
        }
      break;
    default:
      g_assert_not_reached ();
    }

  set_unexpected (self, &error);
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
typed_call (HaulAria2Client     *self,
            const char          *method,
            JsonArray           *params,
            ResultKind           kind,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, GINT_TO_POINTER (kind), NULL);
  haul_aria2_client_call_async (self, method, params, cancellable, typed_cb, task);
}

static GTask *
checked_task (HaulAria2Client *self,
              GAsyncResult    *result,
              gpointer         source_tag)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return G_TASK (result);
}

static JsonArray *
keys_array (const char * const *keys)
{
  JsonArray *array = json_array_new ();

  if (keys == NULL)
    keys = haul_aria2_status_keys ();
  for (guint i = 0; keys[i] != NULL; i++)
    json_array_add_string_element (array, keys[i]);
  return array;
}

/* getVersion ------------------------------------------------------------ */

static void
version_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  HaulAria2Client *self = HAUL_ARIA2_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = haul_aria2_client_call_finish (self, result, &error);
  const char *version = NULL;

  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    version = json_object_get_string_member_with_default (json_node_get_object (node),
                                                          "version", NULL);
  if (version == NULL)
    {
      set_unexpected (self, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_strdup (version), g_free);
}

void
haul_aria2_client_get_version_async (HaulAria2Client     *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, haul_aria2_client_get_version_async);
  haul_aria2_client_call_async (self, "aria2.getVersion", NULL, cancellable, version_cb, task);
}

char *
haul_aria2_client_get_version_finish (HaulAria2Client  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  GTask *task = checked_task (self, result, haul_aria2_client_get_version_async);

  return task != NULL ? g_task_propagate_pointer (task, error) : NULL;
}

/* addUri ---------------------------------------------------------------- */

/* The address as aria2 gets it: Haul's one URL policy (haul-url), and no
 * character that would break a line of aria2's session file (see
 * haul_aria2_option_value_is_safe()). */
static char *
check_uri (const char  *uri,
           GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GUri) parsed = NULL;
  g_autofree char *shown = NULL;

  if (!haul_aria2_option_value_is_safe (uri) || strchr (uri, ' ') != NULL)
    haul_set_error_literal (&local, HAUL_ERROR_INVALID_URL, N_("Not a valid link"));
  else
    parsed = haul_url_parse (uri, &local);
  if (parsed != NULL)
    return g_uri_to_string (parsed);

  shown = haul_url_redact (uri);
  /* Translators: an address, then why it is refused */
  haul_set_error_because (error, HAUL_ERROR_INVALID_URL, local,
                          "“%s” cannot be downloaded: %s", shown, local->message);
  return NULL;
}

static void
set_unsafe (const char  *name,
            GError     **error)
{
  haul_set_error (error, HAUL_ERROR_INVALID_URL,
                  "The option “%s” contains characters the aria2 daemon cannot keep", name);
}

static gboolean
add_option (JsonObject  *object,
            const char  *name,
            const char  *value,
            GError     **error)
{
  if (value == NULL)
    return TRUE;
  if (!haul_aria2_option_value_is_safe (value))
    {
      set_unsafe (name, error);
      return FALSE;
    }
  json_object_set_string_member (object, name, value);
  return TRUE;
}

/* The options object of aria2.addUri, or %NULL if a value is unsafe. */
static JsonObject *
build_add_options (const HaulAria2AddOptions  *options,
                   GError                    **error)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) headers = json_array_new ();

  if (options == NULL)
    return g_steal_pointer (&object);

  /* Guard: "out" is a path relative to "dir" for aria2; only a plain name
   * keeps the file in the folder it was meant for. */
  if (options->out != NULL
      && (options->out[0] == '\0' || strchr (options->out, '/') != NULL
          || strcmp (options->out, ".") == 0 || strcmp (options->out, "..") == 0))
    {
      set_unsafe ("out", error);
      return NULL;
    }

  if (!add_option (object, "dir", options->dir, error)
      || !add_option (object, "out", options->out, error)
      || !add_option (object, "referer", options->referer, error)
      || !add_option (object, "user-agent", options->user_agent, error)
      || !add_option (object, "checksum", options->checksum, error))
    return NULL;

  if (options->cookies != NULL)
    {
      g_autofree char *header = g_strconcat ("Cookie: ", options->cookies, NULL);

      if (!haul_aria2_option_value_is_safe (header))
        {
          set_unsafe ("header", error);
          return NULL;
        }
      json_array_add_string_element (headers, header);
    }
  for (guint i = 0; options->headers != NULL && options->headers[i] != NULL; i++)
    {
      if (!haul_aria2_option_value_is_safe (options->headers[i])
          || strchr (options->headers[i], ':') == NULL)
        {
          set_unsafe ("header", error);
          return NULL;
        }
      json_array_add_string_element (headers, options->headers[i]);
    }
  if (json_array_get_length (headers) > 0)
    json_object_set_array_member (object, "header", g_steal_pointer (&headers));

  if (options->max_download_limit > 0)
    {
      g_autofree char *limit = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                options->max_download_limit);

      json_object_set_string_member (object, "max-download-limit", limit);
    }
  if (options->paused)
    json_object_set_string_member (object, "pause", "true");
  if (options->continue_partial)
    json_object_set_string_member (object, "continue", "true");

  return g_steal_pointer (&object);
}

void
haul_aria2_client_add_uri_async (HaulAria2Client           *self,
                                 const char * const        *uris,
                                 const HaulAria2AddOptions *options,
                                 GCancellable              *cancellable,
                                 GAsyncReadyCallback        callback,
                                 gpointer                   user_data)
{
  g_autoptr(JsonArray) params = NULL;
  g_autoptr(JsonArray) list = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));
  g_return_if_fail (uris != NULL && uris[0] != NULL);

  list = json_array_new ();
  for (guint i = 0; uris[i] != NULL; i++)
    {
      g_autofree char *checked = check_uri (uris[i], &error);

      if (checked == NULL)
        break;
      json_array_add_string_element (list, checked);
    }
  object = error == NULL ? build_add_options (options, &error) : NULL;
  if (error != NULL)
    {
      g_task_report_error (self, callback, user_data, haul_aria2_client_add_uri_async,
                           g_steal_pointer (&error));
      return;
    }

  params = json_array_new ();
  json_array_add_array_element (params, g_steal_pointer (&list));
  json_array_add_object_element (params, object);
  typed_call (self, "aria2.addUri", g_steal_pointer (&params), RESULT_STRING,
              haul_aria2_client_add_uri_async, cancellable, callback, user_data);
}

char *
haul_aria2_client_add_uri_finish (HaulAria2Client  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  GTask *task = checked_task (self, result, haul_aria2_client_add_uri_async);

  return task != NULL ? g_task_propagate_pointer (task, error) : NULL;
}

/* tellStatus, tellActive, tellWaiting, tellStopped ---------------------- */

void
haul_aria2_client_tell_status_async (HaulAria2Client     *self,
                                     const char          *gid,
                                     const char * const  *keys,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  JsonArray *params;

  g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));
  g_return_if_fail (gid != NULL);

  params = json_array_new ();
  json_array_add_string_element (params, gid);
  json_array_add_array_element (params, keys_array (keys));
  typed_call (self, "aria2.tellStatus", params, RESULT_STATUS,
              haul_aria2_client_tell_status_async, cancellable, callback, user_data);
}

HaulAria2Status *
haul_aria2_client_tell_status_finish (HaulAria2Client  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  GTask *task = checked_task (self, result, haul_aria2_client_tell_status_async);

  return task != NULL ? g_task_propagate_pointer (task, error) : NULL;
}

void
haul_aria2_client_tell_active_async (HaulAria2Client     *self,
                                     const char * const  *keys,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  JsonArray *params;

  g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));

  params = json_array_new ();
  json_array_add_array_element (params, keys_array (keys));
  typed_call (self, "aria2.tellActive", params, RESULT_STATUS_LIST,
              haul_aria2_client_tell_active_async, cancellable, callback, user_data);
}

GPtrArray *
haul_aria2_client_tell_active_finish (HaulAria2Client  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  GTask *task = checked_task (self, result, haul_aria2_client_tell_active_async);

  return task != NULL ? g_task_propagate_pointer (task, error) : NULL;
}

static JsonArray *
range_params (guint               offset,
              guint               num,
              const char * const *keys)
{
  JsonArray *params = json_array_new ();

  json_array_add_int_element (params, offset);
  json_array_add_int_element (params, num > 0 ? num : ALL_DOWNLOADS);
  json_array_add_array_element (params, keys_array (keys));
  return params;
}

void
haul_aria2_client_tell_waiting_async (HaulAria2Client     *self,
                                      guint                offset,
                                      guint                num,
                                      const char * const  *keys,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));

  typed_call (self, "aria2.tellWaiting", range_params (offset, num, keys), RESULT_STATUS_LIST,
              haul_aria2_client_tell_waiting_async, cancellable, callback, user_data);
}

GPtrArray *
haul_aria2_client_tell_waiting_finish (HaulAria2Client  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  GTask *task = checked_task (self, result, haul_aria2_client_tell_waiting_async);

  return task != NULL ? g_task_propagate_pointer (task, error) : NULL;
}

void
haul_aria2_client_tell_stopped_async (HaulAria2Client     *self,
                                      guint                offset,
                                      guint                num,
                                      const char * const  *keys,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));

  typed_call (self, "aria2.tellStopped", range_params (offset, num, keys), RESULT_STATUS_LIST,
              haul_aria2_client_tell_stopped_async, cancellable, callback, user_data);
}

GPtrArray *
haul_aria2_client_tell_stopped_finish (HaulAria2Client  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  GTask *task = checked_task (self, result, haul_aria2_client_tell_stopped_async);

  return task != NULL ? g_task_propagate_pointer (task, error) : NULL;
}

/* One download, or all ------------------------------------------------- */

static void
gid_call (HaulAria2Client     *self,
          const char          *method,
          const char          *gid,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  JsonArray *params = json_array_new ();

  if (gid != NULL)
    json_array_add_string_element (params, gid);
  typed_call (self, method, params, RESULT_OK, source_tag, cancellable, callback, user_data);
}

static gboolean
gid_finish (HaulAria2Client  *self,
            GAsyncResult     *result,
            gpointer          source_tag,
            GError          **error)
{
  GTask *task = checked_task (self, result, source_tag);

  return task != NULL && g_task_propagate_boolean (task, error);
}

#define GID_METHOD(name, method)                                                        \
  void                                                                                  \
  haul_aria2_client_##name##_async (HaulAria2Client     *self,                          \
                                    const char          *gid,                           \
                                    GCancellable        *cancellable,                   \
                                    GAsyncReadyCallback  callback,                      \
                                    gpointer             user_data)                     \
  {                                                                                     \
    g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));                                     \
    g_return_if_fail (gid != NULL);                                                     \
    gid_call (self, method, gid, haul_aria2_client_##name##_async, cancellable,        \
              callback, user_data);                                                     \
  }                                                                                     \
                                                                                        \
  gboolean                                                                              \
  haul_aria2_client_##name##_finish (HaulAria2Client  *self,                            \
                                     GAsyncResult     *result,                          \
                                     GError          **error)                           \
  {                                                                                     \
    return gid_finish (self, result, haul_aria2_client_##name##_async, error);          \
  }

GID_METHOD (pause, "aria2.pause")
GID_METHOD (unpause, "aria2.unpause")
GID_METHOD (remove, "aria2.remove")
GID_METHOD (force_remove, "aria2.forceRemove")
GID_METHOD (remove_download_result, "aria2.removeDownloadResult")

void
haul_aria2_client_pause_all_async (HaulAria2Client     *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));
  gid_call (self, "aria2.pauseAll", NULL, haul_aria2_client_pause_all_async, cancellable,
            callback, user_data);
}

gboolean
haul_aria2_client_pause_all_finish (HaulAria2Client  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  return gid_finish (self, result, haul_aria2_client_pause_all_async, error);
}

void
haul_aria2_client_unpause_all_async (HaulAria2Client     *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));
  gid_call (self, "aria2.unpauseAll", NULL, haul_aria2_client_unpause_all_async, cancellable,
            callback, user_data);
}

gboolean
haul_aria2_client_unpause_all_finish (HaulAria2Client  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  return gid_finish (self, result, haul_aria2_client_unpause_all_async, error);
}

/* changeGlobalOption ---------------------------------------------------- */

void
haul_aria2_client_change_global_option_async (HaulAria2Client     *self,
                                              GHashTable          *options,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *params;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));
  g_return_if_fail (options != NULL);

  g_hash_table_iter_init (&iter, options);
  while (error == NULL && g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!haul_aria2_option_value_is_safe (key))
        set_unsafe ("?", &error);
      else
        add_option (object, key, value, &error);
    }
  if (error != NULL)
    {
      g_task_report_error (self, callback, user_data,
                           haul_aria2_client_change_global_option_async,
                           g_steal_pointer (&error));
      return;
    }

  params = json_array_new ();
  json_array_add_object_element (params, g_steal_pointer (&object));
  typed_call (self, "aria2.changeGlobalOption", params, RESULT_OK,
              haul_aria2_client_change_global_option_async, cancellable, callback, user_data);
}

gboolean
haul_aria2_client_change_global_option_finish (HaulAria2Client  *self,
                                               GAsyncResult     *result,
                                               GError          **error)
{
  GTask *task = checked_task (self, result, haul_aria2_client_change_global_option_async);

  return task != NULL && g_task_propagate_boolean (task, error);
}

/* Retry ----------------------------------------------------------------- */

static void
retry_removed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The new download exists either way; an old result that cannot be
   * removed (another client already did) is no reason to fail. */
  if (!haul_aria2_client_remove_download_result_finish (HAUL_ARIA2_CLIENT (source), result,
                                                        &error))
    g_debug ("aria2: the old result stays: %s", error->message);
  g_task_return_pointer (task, g_strdup (g_task_get_task_data (task)), g_free);
}

static void
retry_added_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  HaulAria2Client *self = HAUL_ARIA2_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *gid = haul_aria2_client_add_uri_finish (self, result, &error);
  HaulAria2Status *old = g_object_get_data (G_OBJECT (task), "old");

  if (gid == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, gid, g_free);
  haul_aria2_client_remove_download_result_async (self, old->gid, NULL, retry_removed_cb,
                                                  g_object_ref (task));
}

void
haul_aria2_client_retry_async (HaulAria2Client     *self,
                               HaulAria2Status     *status,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  HaulAria2AddOptions options = { 0 };
  g_autoptr(GTask) task = NULL;
  g_autofree char *out = NULL;

  g_return_if_fail (HAUL_IS_ARIA2_CLIENT (self));
  g_return_if_fail (status != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, haul_aria2_client_retry_async);
  g_object_set_data_full (G_OBJECT (task), "old", haul_aria2_status_ref (status),
                          (GDestroyNotify) haul_aria2_status_unref);

  if (status->uris == NULL || status->uris[0] == NULL)
    {
      g_task_return_new_error (task, HAUL_ERROR, HAUL_ERROR_INVALID_URL,
                               _("The download has no address to retry from"));
      return;
    }
  if (status->path != NULL)
    out = g_path_get_basename (status->path);
  options.dir = status->dir;
  options.out = out;
  options.continue_partial = TRUE;
  haul_aria2_client_add_uri_async (self, (const char * const *) status->uris, &options,
                                   cancellable, retry_added_cb, g_steal_pointer (&task));
}

char *
haul_aria2_client_retry_finish (HaulAria2Client  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  GTask *task = checked_task (self, result, haul_aria2_client_retry_async);

  return task != NULL ? g_task_propagate_pointer (task, error) : NULL;
}
