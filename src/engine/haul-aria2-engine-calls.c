/* haul-aria2-engine-calls.c: the queue's wishes, sent to the daemon
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rules 1, 3, 4 and 6 of haul-aria2-engine.c: addUri, pause and unpause,
 * the removals a discard makes, the limits. Each call counts while it is
 * in flight (shutdown waits for them) and carries a weak reference to
 * the engine with the cancellable of the client it went to: an answer
 * for a replaced client, or after the engine is gone, changes nothing.
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "haul-aria2-engine-private.h"
#include "haul-aria2-paths.h"
#include "haul-aria2-rpc.h"
#include "haul-checksum.h"
#include "haul-error.h"

/* Calls ---------------------------------------------------------------- */

/* One of our calls to the daemon, for one download (or none). */
typedef struct
{
  GWeakRef      engine;
  HaulDownload *download;     /* (owned) (nullable) */
  char         *gid;          /* (owned) (nullable) the GID it is about */
  char         *old_gid;      /* (owned) (nullable) a retry's predecessor */
  Want          wish;         /* what a pause or unpause asked */
  GCancellable *cancellable;  /* (owned) of the client it went to */
} Call;

static Call *
call_new (HaulAria2Engine *self,
          HaulDownload    *download,
          const char      *gid)
{
  Call *call = g_new0 (Call, 1);

  g_weak_ref_init (&call->engine, self);
  call->download = download != NULL ? g_object_ref (download) : NULL;
  call->gid = g_strdup (gid);
  call->cancellable = g_object_ref (self->cancellable);
  self->n_calls++;
  return call;
}

/* Its engine (a reference), or NULL when the answer is no longer wanted:
 * the engine is gone or the client was replaced. */
static HaulAria2Engine *
call_get_engine (Call *call)
{
  g_autoptr(HaulAria2Engine) self = g_weak_ref_get (&call->engine);

  if (self == NULL || call->cancellable != self->cancellable
      || g_cancellable_is_cancelled (call->cancellable))
    return NULL;
  return g_steal_pointer (&self);
}

/* Last, after what the answer led to (more calls) was sent: a shutdown
 * waiting for the calls in flight may end now. */
static void
call_free (Call *call)
{
  g_autoptr(HaulAria2Engine) self = g_weak_ref_get (&call->engine);

  if (self != NULL)
    {
      g_assert (self->n_calls > 0);
      self->n_calls--;
      if (self->shutting_down && self->n_calls == 0 && self->shutdown_task != NULL)
        haul_aria2_engine_finish_shutdown (self);
    }
  g_weak_ref_clear (&call->engine);
  g_clear_object (&call->download);
  g_free (call->gid);
  g_free (call->old_gid);
  g_clear_object (&call->cancellable);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

gboolean
haul_aria2_engine_is_connected (HaulAria2Engine *self)
{
  return self->client != NULL
         && haul_aria2_client_get_connection (self->client) == HAUL_ARIA2_CONNECTED;
}

static void
poll_soon (HaulAria2Engine *self)
{
  if (self->poller != NULL)
    haul_aria2_poller_poll_soon (self->poller);
}

/* Fire and forget (a removal, an option): only logged when refused. */
static void
simple_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(HaulAria2Engine) self = call_get_engine (call);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = haul_aria2_client_call_finish (HAUL_ARIA2_CLIENT (source), result,
                                                            &error);

  if (node == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("aria2: %s %s", call->gid != NULL ? call->gid : "", error->message);
  if (self != NULL)
    poll_soon (self);
}

void
haul_aria2_engine_call_gid_method (HaulAria2Engine *self,
                                   const char      *method,
                                   const char      *gid,
                                   JsonArray       *more)  /* (transfer full) (nullable) */
{
  JsonArray *params = json_array_new ();

  json_array_add_string_element (params, gid);
  for (guint i = 0; more != NULL && i < json_array_get_length (more); i++)
    json_array_add_element (params, json_node_copy (json_array_get_element (more, i)));
  g_clear_pointer (&more, json_array_unref);
  haul_aria2_client_call_async (self->client, method, params, self->cancellable, simple_cb,
                                call_new (self, NULL, gid));
}

/* removeDownloadResult after a forceRemove (which may fail: it stopped by
 * itself meanwhile), so the daemon lists it no more. */
static void
force_removed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(HaulAria2Engine) self = call_get_engine (call);
  g_autoptr(GError) error = NULL;

  if (!haul_aria2_client_force_remove_finish (HAUL_ARIA2_CLIENT (source), result, &error))
    g_debug ("aria2: forceRemove %s: %s", call->gid, error->message);
  if (self != NULL && self->client != NULL)
    haul_aria2_engine_call_gid_method (self, "aria2.removeDownloadResult", call->gid, NULL);
}

/* Forgets @gid on the daemon: stopped first if it is not finished. */
void
haul_aria2_engine_remove_on_daemon (HaulAria2Engine *self,
                                    const char      *gid,
                                    gboolean         finished)
{
  g_hash_table_add (self->forget, g_strdup (gid));
  if (self->client == NULL)
    return;
  if (finished)
    haul_aria2_engine_call_gid_method (self, "aria2.removeDownloadResult", gid, NULL);
  else
    haul_aria2_client_force_remove_async (self->client, gid, self->cancellable,
                                          force_removed_cb, call_new (self, NULL, gid));
}

/* Adding (rule 1) ------------------------------------------------------ */

/* @uri with the user name and password the download was given back in
 * it: aria2 sends them to that server only, never after a redirect to
 * another one, which a header for all requests would. */
static char *
uri_with_credentials (const char *uri,
                      const char *authorization)
{
  g_autoptr(GUri) parsed = NULL;
  g_autofree guchar *pair = NULL;
  g_autofree char *text = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  gsize length = 0;
  char *colon;

  if (authorization == NULL || !g_str_has_prefix (authorization, "Basic "))
    return g_strdup (uri);
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  pair = g_base64_decode (authorization + strlen ("Basic "), &length);
  if (parsed == NULL || pair == NULL)
    return g_strdup (uri);
  text = g_strndup ((const char *) pair, length);
  colon = strchr (text, ':');
  if (colon == NULL)
    return g_strdup (uri);
  *colon = '\0';
  user = g_uri_escape_string (text, G_URI_RESERVED_CHARS_SUBCOMPONENT_DELIMITERS, FALSE);
  password = g_uri_escape_string (colon + 1, G_URI_RESERVED_CHARS_SUBCOMPONENT_DELIMITERS,
                                  FALSE);
  return g_uri_join_with_user (G_URI_FLAGS_ENCODED | G_URI_FLAGS_HAS_PASSWORD,
                               g_uri_get_scheme (parsed), user, password, NULL,
                               g_uri_get_host (parsed), g_uri_get_port (parsed),
                               g_uri_get_path (parsed), g_uri_get_query (parsed),
                               g_uri_get_fragment (parsed));
}

static void
added_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(HaulAria2Engine) self = call_get_engine (call);
  g_autoptr(GError) error = NULL;
  g_autofree char *gid = haul_aria2_client_add_uri_finish (HAUL_ARIA2_CLIENT (source), result,
                                                           &error);
  HaulDownload *download = call->download;
  Entry *entry;

  if (self == NULL)
    return;
  entry = g_hash_table_lookup (self->entries, download);
  if (entry == NULL)
    {
      /* Dropped meanwhile: nothing wants it on the daemon. */
      if (gid != NULL)
        haul_aria2_engine_remove_on_daemon (self, gid, FALSE);
      return;
    }
  entry->adding = FALSE;

  if (gid == NULL)
    {
      if (haul_aria2_rpc_error_is_connection (error) || self->shutting_down)
        return;  /* rule 5: sent again once the daemon answers */
      if (!haul_queue_contains (self->queue, download)
          || haul_download_get_state (download) != HAUL_DOWNLOAD_QUEUED)
        return;
      haul_download_set_error_message (download, error->message);
      haul_download_set_error_code (download, error->domain == HAUL_ERROR ? error->code : -1);
      haul_queue_set_state (self->queue, download, HAUL_DOWNLOAD_FAILED);
      return;
    }

  /* Recorded even while quitting: the next start finds it by its GID. */
  haul_aria2_engine_set_gid (self, entry, gid);
  haul_queue_save (self->queue, download);
  /* A retry's predecessor goes from the daemon's list. */
  if (call->old_gid != NULL)
    haul_aria2_engine_remove_on_daemon (self, call->old_gid, TRUE);
  if (entry->discarded)
    {
      haul_aria2_engine_remove_on_daemon (self, gid, FALSE);
      haul_aria2_engine_drop_entry (self, entry);
      return;
    }
  /* Paused, cancelled or removed while it was being sent. */
  haul_aria2_engine_follow_want (self, entry);
  poll_soon (self);
}

/* aria2.addUri for @entry; @again: a retry of the daemon's last attempt,
 * in the same folder under the same name, going on from its bytes. */
void
haul_aria2_engine_send_add (HaulAria2Engine *self,
                            Entry           *entry,
                            gboolean         again)
{
  HaulDownload *download = entry->download;
  const HaulChecksumSpec *spec = haul_download_get_checksum (download);
  const char *authorization, *cookies, *referrer, *user_agent;
  g_autofree char *uri = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *checksum = NULL;
  HaulAria2AddOptions options = { 0 };
  const char *uris[2] = { NULL, NULL };
  Call *call;

  haul_download_get_request_extras (download, &authorization, &cookies, &referrer,
                                    &user_agent);
  uri = uri_with_credentials (haul_download_get_uri (download), authorization);
  uris[0] = uri;

  if (again && entry->last != NULL)
    {
      dir = g_strdup (entry->last->dir);
      out = entry->last->path != NULL ? g_path_get_basename (entry->last->path) : NULL;
      options.continue_partial = TRUE;
    }
  else
    {
      /* The folder asked for, as the daemon names it; else its own. */
      if (haul_aria2_engine_has_mapping (self))
        dir = haul_aria2_unmap_path (haul_download_get_folder (download), self->remote_folder,
                                     self->local_folder);
      out = g_strdup (haul_download_get_file_name (download));
    }
  if (spec != NULL)
    checksum = haul_aria2_checksum_option (haul_checksum_spec_get_algorithm (spec),
                                           haul_checksum_spec_get_hex (spec));

  options.dir = dir;
  options.out = out;
  options.referer = referrer;
  options.cookies = cookies;
  options.user_agent = user_agent;
  options.checksum = checksum;
  options.max_download_limit = haul_download_get_speed_limit (download);

  entry->adding = TRUE;
  entry->sent_limit = options.max_download_limit;
  call = call_new (self, download, NULL);
  call->old_gid = g_strdup (entry->gid);
  haul_aria2_client_add_uri_async (self->client, uris, &options, self->cancellable, added_cb,
                                   call);
}

/* Wishes (rule 3) ------------------------------------------------------ */

static void
wish_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(HaulAria2Engine) self = call_get_engine (call);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = haul_aria2_client_call_finish (HAUL_ARIA2_CLIENT (source), result,
                                                            &error);
  Entry *entry;

  if (self == NULL)
    return;
  entry = g_hash_table_lookup (self->entries, call->download);
  if (entry == NULL || g_strcmp0 (entry->gid, call->gid) != 0)
    return;
  entry->calling = FALSE;

  /* Refused (it finished, or is so already): not asked again. Not
   * reached: asked again once the daemon answers (rule 5). */
  if (node != NULL || !haul_aria2_rpc_error_is_connection (error))
    entry->asked = call->wish;
  if (error != NULL)
    g_debug ("aria2: %s %s: %s", call->wish == WANT_PAUSED ? "pause" : "unpause", call->gid,
             error->message);
  if (self->shutting_down)
    return;

  if (entry->stopping && call->wish == WANT_PAUSED)
    entry = haul_aria2_engine_finish_stop (self, entry);
  /* The wish changed while the call was under way. */
  if (entry != NULL)
    haul_aria2_engine_follow_want (self, entry);
  poll_soon (self);
}

void
haul_aria2_engine_follow_want (HaulAria2Engine *self,
                               Entry           *entry)
{
  HaulAria2State state;
  const char *method;
  JsonArray *params;
  Call *call;

  if (entry->calling || entry->adding || entry->gid == NULL
      || !haul_aria2_engine_is_connected (self) || self->shutting_down)
    return;
  /* Not seen yet (just added): it may be running. */
  state = entry->last != NULL ? entry->last->state : HAUL_ARIA2_ACTIVE;
  if (entry->want == WANT_PAUSED && entry->asked != WANT_PAUSED
      && (state == HAUL_ARIA2_ACTIVE || state == HAUL_ARIA2_WAITING))
    method = "aria2.pause";
  else if (entry->want == WANT_RUNNING && entry->asked != WANT_RUNNING
           && state == HAUL_ARIA2_PAUSED)
    method = "aria2.unpause";
  else
    return;

  entry->calling = TRUE;
  params = json_array_new ();
  json_array_add_string_element (params, entry->gid);
  call = call_new (self, entry->download, entry->gid);
  call->wish = entry->want;
  haul_aria2_client_call_async (self->client, method, params, self->cancellable, wish_cb, call);
}

Entry *
haul_aria2_engine_finish_stop (HaulAria2Engine *self,
                               Entry           *entry)
{
  g_autoptr(HaulDownload) download = g_object_ref (entry->download);
  HaulStop how = entry->stop;

  if (!entry->stopping)
    return entry;
  entry->stopping = FALSE;
  switch (how)
    {
    case HAUL_STOP_CANCEL:
      haul_queue_set_state (self->queue, download, HAUL_DOWNLOAD_CANCELLED);
      break;
    case HAUL_STOP_PAUSE:
      /* Finished before the pause came: it shows as it is. */
      if (entry->last != NULL && haul_aria2_status_is_final (entry->last))
        haul_queue_set_state (self->queue, download,
                              haul_aria2_status_get_download_state (entry->last));
      else
        haul_queue_set_state (self->queue, download, HAUL_DOWNLOAD_PAUSED);
      break;
    case HAUL_STOP_REMOVE:
    case HAUL_STOP_HOLD:
    default:
      break;
    }
  /* A discard waiting for this end drops the entry (rule 4). */
  haul_queue_run_ended (self->queue, download);
  return g_hash_table_lookup (self->entries, download);
}

static void
options_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(HaulAria2Engine) self = call_get_engine (call);
  g_autoptr(GError) error = NULL;

  if (!haul_aria2_client_change_global_option_finish (HAUL_ARIA2_CLIENT (source), result,
                                                      &error))
    g_debug ("aria2: changeGlobalOption: %s", error->message);
  if (self == NULL)
    return;
  self->global_in_flight = FALSE;
  if (error != NULL)
    self->sent_global = FALSE;  /* sent again with the next change or connection */
  if (self->global_again)
    {
      self->global_again = FALSE;
      if (self->queue != NULL && !self->shutting_down && haul_aria2_engine_is_connected (self))
        haul_aria2_engine_send_global_options (self);
    }
}

/* The queue's limits as the daemon's global options. One call at a time:
 * two in flight may reach the daemon in either order (each its own HTTP
 * request), and the older values could win; a change meanwhile is sent
 * when the call in flight is answered. */
void
haul_aria2_engine_send_global_options (HaulAria2Engine *self)
{
  guint max_active = haul_queue_get_max_active (self->queue);
  guint64 limit = haul_queue_get_effective_speed_limit (self->queue);
  g_autoptr(GHashTable) options = NULL;

  if (self->sent_global && self->sent_max_active == max_active && self->sent_limit == limit)
    return;
  if (self->global_in_flight)
    {
      self->global_again = TRUE;
      return;
    }
  options = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (options, (gpointer) "max-concurrent-downloads",
                       g_strdup_printf ("%u", max_active));
  g_hash_table_insert (options, (gpointer) "max-overall-download-limit",
                       g_strdup_printf ("%" G_GUINT64_FORMAT, limit));
  self->sent_global = TRUE;
  self->sent_max_active = max_active;
  self->sent_limit = limit;
  self->global_in_flight = TRUE;
  haul_aria2_client_change_global_option_async (self->client, options, self->cancellable,
                                                options_cb, call_new (self, NULL, NULL));
}

static void
delete_partial_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  const char *path = task_data;
  g_autofree char *control = g_strconcat (path, ".aria2", NULL);

  /* Only an unfinished aria2 file has its control file beside it: never
   * a finished file of the same name. */
  if (g_unlink (control) == 0 && g_unlink (path) != 0 && errno != ENOENT)
    g_debug ("aria2: could not delete %s: %s", path, g_strerror (errno));
  g_task_return_boolean (task, TRUE);
}

void
haul_aria2_engine_delete_mapped_partial (HaulAria2Engine *self,
                                         Entry           *entry)
{
  g_autoptr(GTask) task = NULL;
  char *local;

  if (entry->last == NULL || entry->last->state == HAUL_ARIA2_COMPLETE)
    return;
  local = haul_aria2_engine_map_path (self, entry->last->path);
  if (local == NULL)
    return;
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, haul_aria2_engine_delete_mapped_partial);
  g_task_set_task_data (task, local, g_free);
  g_task_run_in_thread (task, delete_partial_thread);
}
