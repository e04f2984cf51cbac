/* haul-aria2-engine.c: a queue's downloads on a remote aria2 daemon
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How it works
 *  1. Every queued download of the list is sent with aria2.addUri as soon
 *     as the daemon answers; the daemon's max-concurrent-downloads (the
 *     queue's max-active) decides what runs. Its GID becomes the
 *     download's engine id, recorded by the store, so a restarted Haul
 *     finds it again.
 *  2. The poller's snapshots (at most twice a second, one ::updated per
 *     tick for all downloads) are the only source of progress and states,
 *     applied in haul-aria2-engine-apply.c, states through
 *     haul_queue_set_state(). GIDs the list does not know (another
 *     client's) are appended in one change of the list.
 *  3. What the user asks (pause, resume, cancel, remove) is a wish sent to
 *     the daemon; until a snapshot shows it done, snapshots do not undo
 *     what the row shows, and after a reconnection a wish the daemon did
 *     not follow is sent again.
 *  4. Cancel and Remove only pause the daemon's download (its bytes stay,
 *     for undo); discard() removes it there (forceRemove, then
 *     removeDownloadResult) and, where a path mapping reaches the file,
 *     deletes the partial file with aria2's control file beside it.
 *     stop() says TRUE for a running download; its end comes with the
 *     answer to the pause.
 *  5. The daemon unreachable: rows keep their last state, without speed,
 *     waiting HAUL_WAITING_DAEMON; the client reconnects by itself with
 *     backoff, then wishes and limits are sent again.
 *  6. Quitting leaves the daemon's downloads running. Shutdown waits (at
 *     most SHUTDOWN_WAIT_MS) for our calls in flight, such as the discards
 *     the queue gave just before, then stops the client.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "haul-aria2-engine-private.h"
#include "haul-aria2-paths.h"
#include "haul-error.h"

#define SHUTDOWN_WAIT_MS 3000
/* addUri calls sent in one turn of the main loop: 200 links dropped at
 * once go in batches, so no turn is long enough to be felt. */
#define ADD_BATCH 32

static void engine_iface_init (HaulEngineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HaulAria2Engine, haul_aria2_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HAUL_TYPE_ENGINE, engine_iface_init))

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_REMOTE_FOLDER,
  PROP_LOCAL_FOLDER,
  PROP_CONNECTION,
  PROP_ERROR_MESSAGE,
  PROP_VERSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule          (HaulEngine      *engine);
static void settings_changed  (HaulEngine      *engine);
static void update_connection (HaulAria2Engine *self);

/* Entries ------------------------------------------------------------- */

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->download);
  g_clear_pointer (&entry->gid, g_free);
  g_clear_pointer (&entry->last, haul_aria2_status_unref);
  g_free (entry);
}

Entry *
haul_aria2_engine_ensure_entry (HaulAria2Engine *self,
                                HaulDownload    *download)
{
  Entry *entry = g_hash_table_lookup (self->entries, download);

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->download = g_object_ref (download);
      entry->sent_limit = G_MAXUINT64;
      g_hash_table_insert (self->entries, download, entry);
      if (haul_download_get_engine_id (download) != NULL)
        haul_aria2_engine_set_gid (self, entry, haul_download_get_engine_id (download));
    }
  return entry;
}

/* @gid (nullable): the download is (now) that one on the daemon. */
void
haul_aria2_engine_set_gid (HaulAria2Engine *self,
                           Entry           *entry,
                           const char      *gid)
{
  if (g_strcmp0 (entry->gid, gid) == 0)
    return;
  if (entry->gid != NULL && g_hash_table_lookup (self->by_gid, entry->gid) == entry)
    g_hash_table_remove (self->by_gid, entry->gid);
  g_free (entry->gid);
  entry->gid = g_strdup (gid);
  g_clear_pointer (&entry->last, haul_aria2_status_unref);
  entry->asked = WANT_NONE;
  entry->gone = FALSE;
  entry->sent_limit = G_MAXUINT64;
  if (gid != NULL)
    {
      g_hash_table_insert (self->by_gid, g_strdup (gid), entry);
      haul_download_set_engine_id (entry->download, gid);
    }
}

void
haul_aria2_engine_drop_entry (HaulAria2Engine *self,
                              Entry           *entry)
{
  haul_aria2_engine_set_gid (self, entry, NULL);
  g_hash_table_remove (self->entries, entry->download);
}

/* Downloads that come into the list with a GID (restored, undone, added
 * from the daemon) are known by it from then on. */
static void
items_changed_cb (GListModel      *model,
                  guint            position,
                  guint            removed,
                  guint            added,
                  HaulAria2Engine *self)
{
  for (guint i = position; i < position + added; i++)
    {
      HaulDownload *download = haul_queue_peek (self->queue, i);
      Entry *entry = g_hash_table_lookup (self->entries, download);

      if (entry == NULL && haul_download_get_engine_id (download) != NULL)
        {
          entry = haul_aria2_engine_ensure_entry (self, download);
          entry->from_store = self->poller == NULL
                              || !haul_aria2_poller_get_loaded (self->poller);
        }
      /* Back from a remove: the undo came, not the discard. */
      if (entry != NULL && entry->pending
          && haul_download_get_state (download) != HAUL_DOWNLOAD_CANCELLED)
        entry->pending = FALSE;
    }
}

/* Paths ---------------------------------------------------------------- */

gboolean
haul_aria2_engine_has_mapping (HaulAria2Engine *self)
{
  return self->remote_folder != NULL && self->remote_folder[0] != '\0'
         && self->local_folder != NULL && self->local_folder[0] != '\0';
}

char *
haul_aria2_engine_map_path (HaulAria2Engine *self,
                            const char      *daemon_path)
{
  if (daemon_path == NULL || !haul_aria2_engine_has_mapping (self))
    return NULL;
  return haul_aria2_map_path (daemon_path, self->remote_folder, self->local_folder);
}

/* HaulEngine ----------------------------------------------------------- */

static void
attach (HaulEngine *engine,
        HaulQueue  *queue)
{
  HaulAria2Engine *self = HAUL_ARIA2_ENGINE (engine);

  g_return_if_fail (self->queue == NULL);

  self->queue = queue;
  /* The queue owns us; a test may keep us longer. */
  g_object_add_weak_pointer (G_OBJECT (queue), (gpointer *) &self->queue);
  self->items_changed_id = g_signal_connect (queue, "items-changed",
                                             G_CALLBACK (items_changed_cb), self);
  if (self->client != NULL)
    haul_aria2_client_start (self->client);
  update_connection (self);
}

static gboolean
more_cb (gpointer data)
{
  HaulAria2Engine *self = data;

  self->more_id = 0;
  schedule (HAUL_ENGINE (self));
  return G_SOURCE_REMOVE;
}

/* Rule 1, and the wishes of queued downloads (resume, undo, retry). */
static void
schedule (HaulEngine *engine)
{
  HaulAria2Engine *self = HAUL_ARIA2_ENGINE (engine);
  guint n_sent = 0;
  guint n;

  if (self->queue == NULL || self->shutting_down || haul_queue_is_shutting_down (self->queue))
    return;
  if (!haul_aria2_engine_is_connected (self))
    {
      /* Added while the daemon is away: the row says so too (rule 5). */
      if (self->connection == HAUL_ARIA2_FAILED)
        haul_aria2_engine_mark_unreachable (self, TRUE);
      return;
    }

  n = haul_queue_get_length (self->queue);
  for (guint i = 0; i < n; i++)
    {
      HaulDownload *download = haul_queue_peek (self->queue, i);
      Entry *entry;

      if (haul_download_get_state (download) != HAUL_DOWNLOAD_QUEUED)
        continue;
      entry = haul_aria2_engine_ensure_entry (self, download);
      entry->pending = FALSE;  /* queued again: an undo */
      if (entry->adding || entry->calling)
        continue;
      if (n_sent == ADD_BATCH)
        {
          if (self->more_id == 0)
            self->more_id = g_idle_add (more_cb, self);
          return;
        }

      if (entry->gid == NULL)
        haul_aria2_engine_send_add (self, entry, FALSE);
      else if (entry->last == NULL)
        {
          /* Known by GID: the daemon's answer about it is on its way,
           * unless it said it does not have it (a retry sends it anew). */
          if (entry->gone)
            haul_aria2_engine_send_add (self, entry, FALSE);
        }
      else
        switch (entry->last->state)
          {
          case HAUL_ARIA2_PAUSED:
          case HAUL_ARIA2_ACTIVE:
          case HAUL_ARIA2_WAITING:
            entry->want = entry->last->state == HAUL_ARIA2_PAUSED || entry->want == WANT_PAUSED
                          ? WANT_RUNNING : WANT_NONE;
            haul_aria2_engine_follow_want (self, entry);
            break;
          case HAUL_ARIA2_ERROR:
          case HAUL_ARIA2_REMOVED:
            haul_aria2_engine_send_add (self, entry, TRUE);
            break;
          case HAUL_ARIA2_COMPLETE:
          default:
            /* Back from an undo while the daemon finished it. */
            haul_queue_set_state (self->queue, download, HAUL_DOWNLOAD_COMPLETED);
            break;
          }
      if (entry->adding || entry->calling)
        n_sent++;
      /* A state change may have changed the list. */
      n = haul_queue_get_length (self->queue);
    }
}

static gboolean
stop (HaulEngine   *engine,
      HaulDownload *download,
      HaulStop      how)
{
  HaulAria2Engine *self = HAUL_ARIA2_ENGINE (engine);
  Entry *entry = g_hash_table_lookup (self->entries, download);
  HaulDownloadState state = haul_download_get_state (download);
  gboolean running;

  /* Holding the queue does not hold the daemon (rule 6). */
  if (entry == NULL || how == HAUL_STOP_HOLD)
    return FALSE;
  if (how == HAUL_STOP_CANCEL || how == HAUL_STOP_REMOVE)
    entry->pending = TRUE;
  if (entry->gid == NULL && !entry->adding)
    return FALSE;
  if (entry->last != NULL && haul_aria2_status_is_final (entry->last))
    return FALSE;

  entry->want = WANT_PAUSED;
  running = state == HAUL_DOWNLOAD_CONNECTING || state == HAUL_DOWNLOAD_DOWNLOADING;
  if (!entry->adding && haul_aria2_engine_is_connected (self))
    haul_aria2_engine_follow_want (self, entry);
  if (running && entry->calling)
    {
      /* Over with the daemon's answer. */
      entry->stopping = TRUE;
      entry->stop = how;
      return TRUE;
    }
  /* Nothing to wait for (the daemon is away, or was asked already): the
   * row shows it now, the daemon follows when it answers (rule 3). */
  if (running && how == HAUL_STOP_PAUSE)
    haul_queue_set_state (self->queue, download, HAUL_DOWNLOAD_PAUSED);
  return FALSE;
}

static void
retry_now (HaulEngine   *engine,
           HaulDownload *download)
{
  HaulAria2Engine *self = HAUL_ARIA2_ENGINE (engine);
  Entry *entry = g_hash_table_lookup (self->entries, download);
  JsonArray *more;

  /* "Start now": first in the daemon's queue. */
  if (entry == NULL || entry->gid == NULL || entry->last == NULL
      || !haul_aria2_engine_is_connected (self) || entry->last->state != HAUL_ARIA2_WAITING)
    return;
  more = json_array_new ();
  json_array_add_int_element (more, 0);
  json_array_add_string_element (more, "POS_SET");
  haul_aria2_engine_call_gid_method (self, "aria2.changePosition", entry->gid, more);
}

static void
settings_changed (HaulEngine *engine)
{
  HaulAria2Engine *self = HAUL_ARIA2_ENGINE (engine);
  GHashTableIter iter;
  gpointer value;

  if (self->queue == NULL || self->shutting_down || !haul_aria2_engine_is_connected (self))
    return;
  haul_aria2_engine_send_global_options (self);

  /* Each download's own limit. */
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;
      guint64 limit = haul_download_get_speed_limit (entry->download);
      g_autofree char *text = NULL;
      JsonArray *more;
      JsonObject *options;

      if (entry->gid == NULL || entry->adding || entry->last == NULL
          || haul_aria2_status_is_final (entry->last) || entry->sent_limit == limit)
        continue;
      entry->sent_limit = limit;
      options = json_object_new ();
      text = g_strdup_printf ("%" G_GUINT64_FORMAT, limit);
      json_object_set_string_member (options, "max-download-limit", text);
      more = json_array_new ();
      json_array_add_object_element (more, options);
      haul_aria2_engine_call_gid_method (self, "aria2.changeOption", entry->gid, more);
    }
}

/* Rule 4. */
static void
discard (HaulEngine   *engine,
         HaulDownload *download)
{
  HaulAria2Engine *self = HAUL_ARIA2_ENGINE (engine);
  Entry *entry = g_hash_table_lookup (self->entries, download);
  gboolean member;

  if (entry == NULL)
    return;
  member = haul_queue_contains (self->queue, download);
  entry->pending = FALSE;
  entry->want = WANT_NONE;
  if (entry->adding)
    {
      entry->discarded = TRUE;
      return;
    }
  if (entry->gid != NULL)
    {
      gboolean finished = entry->last != NULL && haul_aria2_status_is_final (entry->last);

      /* A completed file stays; an unfinished one was cancelled. */
      if (haul_download_get_state (download) != HAUL_DOWNLOAD_COMPLETED)
        haul_aria2_engine_delete_mapped_partial (self, entry);
      haul_aria2_engine_remove_on_daemon (self, entry->gid, finished);
    }
  if (member)
    {
      /* A cancelled row stays; a retry sends it anew. */
      haul_aria2_engine_set_gid (self, entry, NULL);
      haul_download_set_remote_path (download, NULL);
    }
  else
    haul_aria2_engine_drop_entry (self, entry);
}

/* Shutting down (rule 6) ----------------------------------------------- */

static void
teardown_client (HaulAria2Engine *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->poller != NULL)
    g_signal_handlers_disconnect_by_data (self->poller, self);
  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      haul_aria2_client_stop (self->client);
    }
  g_clear_object (&self->poller);
  g_clear_object (&self->client);
}

void
haul_aria2_engine_finish_shutdown (HaulAria2Engine *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->shutdown_task);

  g_clear_handle_id (&self->shutdown_timeout, g_source_remove);
  teardown_client (self);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static gboolean
shutdown_timeout_cb (gpointer data)
{
  HaulAria2Engine *self = data;

  self->shutdown_timeout = 0;
  g_debug ("aria2: %u calls still under way at quit", self->n_calls);
  haul_aria2_engine_finish_shutdown (self);
  return G_SOURCE_REMOVE;
}

static void
begin_shutdown (HaulAria2Engine *self)
{
  self->shutting_down = TRUE;
  g_clear_handle_id (&self->more_id, g_source_remove);
  if (self->queue != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->queue);
  /* No more news applied: only our calls in flight are waited for. */
  if (self->poller != NULL)
    g_signal_handlers_disconnect_by_data (self->poller, self);
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
shutdown (HaulEngine *engine)
{
  HaulAria2Engine *self = HAUL_ARIA2_ENGINE (engine);
  gint64 deadline = g_get_monotonic_time () + SHUTDOWN_WAIT_MS * G_TIME_SPAN_MILLISECOND;
  guint wake;

  if (self->shutting_down && self->client == NULL)
    return;
  begin_shutdown (self);
  /* For tests and tools that cannot wait otherwise: the answers come
   * through this thread's main context. */
  wake = g_timeout_add (20, wake_cb, NULL);
  while (self->n_calls > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  haul_aria2_engine_finish_shutdown (self);
}

static void
shutdown_async (HaulEngine          *engine,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  HaulAria2Engine *self = HAUL_ARIA2_ENGINE (engine);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, shutdown_async);
  begin_shutdown (self);
  if (self->shutdown_task != NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  self->shutdown_task = task;
  if (self->n_calls == 0)
    {
      haul_aria2_engine_finish_shutdown (self);
      return;
    }
  self->shutdown_timeout = g_timeout_add (SHUTDOWN_WAIT_MS, shutdown_timeout_cb, self);
}

static gboolean
shutdown_finish (HaulEngine    *engine,
                 GAsyncResult  *result,
                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
engine_iface_init (HaulEngineInterface *iface)
{
  iface->attach = attach;
  iface->schedule = schedule;
  iface->stop = stop;
  iface->retry_now = retry_now;
  iface->settings_changed = settings_changed;
  iface->shutdown = shutdown;
  iface->shutdown_async = shutdown_async;
  iface->shutdown_finish = shutdown_finish;
  iface->discard = discard;
}

/* The connection (rule 5) ---------------------------------------------- */

static void
update_connection (HaulAria2Engine *self)
{
  HaulAria2Connection connection = haul_aria2_engine_get_connection (self);
  HaulAria2Connection before = self->connection;
  const char *message = haul_aria2_engine_get_error_message (self);
  HaulEngineConnection shown;
  const char *name = NULL;

  self->connection = connection;
  if (self->client != NULL)
    name = haul_aria2_client_get_display_name (self->client);
  switch (connection)
    {
    case HAUL_ARIA2_CONNECTED:
      shown = HAUL_ENGINE_CONNECTED;
      break;
    case HAUL_ARIA2_CONNECTING:
      shown = HAUL_ENGINE_CONNECTING;
      break;
    case HAUL_ARIA2_FAILED:
    case HAUL_ARIA2_DISCONNECTED:
    default:
      shown = HAUL_ENGINE_UNREACHABLE;
      break;
    }
  if (self->queue != NULL && !self->shutting_down)
    haul_queue_set_engine_status (self->queue, shown, name, message);

  if (before != connection)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
  if (self->queue == NULL || self->shutting_down)
    return;

  if (connection == HAUL_ARIA2_CONNECTED && before != HAUL_ARIA2_CONNECTED)
    {
      GHashTableIter iter;
      gpointer value;

      /* Whatever the daemon was asked before may be lost (it restarted). */
      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          ((Entry *) value)->asked = WANT_NONE;
          ((Entry *) value)->sent_limit = G_MAXUINT64;
        }
      self->sent_global = FALSE;
      haul_aria2_engine_mark_unreachable (self, FALSE);
      settings_changed (HAUL_ENGINE (self));
      schedule (HAUL_ENGINE (self));
      /* A wish made while the daemon was away, whose snapshot did not
       * change since (so no news will ask for it): sent now (rule 3). */
      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((Entry *) value)->want != WANT_NONE)
          haul_aria2_engine_follow_want (self, value);
    }
  else if (connection == HAUL_ARIA2_FAILED && before != HAUL_ARIA2_FAILED)
    haul_aria2_engine_mark_unreachable (self, TRUE);
}

static void
client_notify_cb (HaulAria2Client *client,
                  GParamSpec      *pspec,
                  HaulAria2Engine *self)
{
  if (g_str_equal (pspec->name, "version"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
  else
    {
      if (g_str_equal (pspec->name, "error"))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
      update_connection (self);
    }
}

static void
updated_cb (HaulAria2Poller *poller,
            GPtrArray       *changed,
            GPtrArray       *removed,
            HaulAria2Engine *self)
{
  gint64 start = g_get_monotonic_time ();

  haul_aria2_engine_apply_updates (self, changed, removed);
  self->n_applies++;
  self->max_apply_us = MAX (self->max_apply_us, g_get_monotonic_time () - start);
}

static void
loaded_cb (HaulAria2Poller *poller,
           GParamSpec      *pspec,
           HaulAria2Engine *self)
{
  if (haul_aria2_poller_get_loaded (poller))
    {
      haul_aria2_engine_reconcile (self);
      schedule (HAUL_ENGINE (self));
    }
}

/* A client (and a poller) for the current address; none without one. */
static void
make_client (HaulAria2Engine *self)
{
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer value;

  teardown_client (self);
  g_clear_error (&self->address_error);
  /* Another daemon: what the old one said is no news of this one. */
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;

      g_clear_pointer (&entry->last, haul_aria2_status_unref);
      entry->from_store = entry->gid != NULL;
      entry->asked = WANT_NONE;
    }
  if (self->address == NULL || self->address[0] == '\0')
    {
      haul_set_error_literal (&self->address_error, HAUL_ERROR_INVALID_URL,
                              N_("No address is set for the aria2 daemon"));
    }
  else
    {
      self->client = haul_aria2_client_new (self->address, &error);
      if (self->client == NULL)
        self->address_error = g_steal_pointer (&error);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
  if (self->client == NULL)
    {
      update_connection (self);
      return;
    }

  if (self->secret_set)
    haul_aria2_client_set_secret (self->client, self->secret);
  g_signal_connect (self->client, "notify::connection", G_CALLBACK (client_notify_cb), self);
  g_signal_connect (self->client, "notify::error", G_CALLBACK (client_notify_cb), self);
  g_signal_connect (self->client, "notify::version", G_CALLBACK (client_notify_cb), self);
  self->poller = haul_aria2_poller_new (self->client);
  g_signal_connect (self->poller, "updated", G_CALLBACK (updated_cb), self);
  g_signal_connect (self->poller, "notify::loaded", G_CALLBACK (loaded_cb), self);
  if (self->queue != NULL && !self->shutting_down)
    haul_aria2_client_start (self->client);
  update_connection (self);
}

/* Public ---------------------------------------------------------------- */

HaulEngine *
haul_aria2_engine_new (const char *address)
{
  return g_object_new (HAUL_TYPE_ARIA2_ENGINE, "address", address, NULL);
}

const char *
haul_aria2_engine_get_address (HaulAria2Engine *self)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_ENGINE (self), NULL);
  return self->address;
}

void
haul_aria2_engine_set_address (HaulAria2Engine *self,
                               const char      *address)
{
  g_return_if_fail (HAUL_IS_ARIA2_ENGINE (self));

  if (self->address != NULL && g_strcmp0 (self->address, address) == 0)
    return;
  g_free (self->address);
  self->address = g_strdup (address != NULL ? address : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
  if (!self->shutting_down)
    make_client (self);
}

void
haul_aria2_engine_set_secret (HaulAria2Engine *self,
                              const char      *secret)
{
  const char *override = g_getenv ("HAUL_ARIA2_SECRET");

  g_return_if_fail (HAUL_IS_ARIA2_ENGINE (self));

  g_free (self->secret);
  self->secret = g_strdup (override != NULL ? override : secret);
  self->secret_set = secret != NULL;
  if (self->client == NULL)
    return;
  if (self->secret_set)
    haul_aria2_client_set_secret (self->client, self->secret);
  else
    make_client (self);  /* looks it up again */
}

void
haul_aria2_engine_set_path_mapping (HaulAria2Engine *self,
                                    const char      *remote_folder,
                                    const char      *local_folder)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (HAUL_IS_ARIA2_ENGINE (self));

  if (g_strcmp0 (self->remote_folder, remote_folder) != 0)
    {
      g_free (self->remote_folder);
      self->remote_folder = g_strdup (remote_folder);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_FOLDER]);
    }
  if (g_strcmp0 (self->local_folder, local_folder) != 0)
    {
      g_free (self->local_folder);
      self->local_folder = g_strdup (local_folder);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCAL_FOLDER]);
    }

  /* Where each known file is here follows at once. */
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;
      g_autofree char *local = entry->last != NULL
                               ? haul_aria2_engine_map_path (self, entry->last->path) : NULL;

      if (entry->last != NULL)
        haul_download_set_remote_path (entry->download, local);
    }
}

HaulAria2Connection
haul_aria2_engine_get_connection (HaulAria2Engine *self)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_ENGINE (self), HAUL_ARIA2_DISCONNECTED);

  if (self->client == NULL)
    return self->address_error != NULL ? HAUL_ARIA2_FAILED : HAUL_ARIA2_DISCONNECTED;
  return haul_aria2_client_get_connection (self->client);
}

const char *
haul_aria2_engine_get_error_message (HaulAria2Engine *self)
{
  const GError *error;

  g_return_val_if_fail (HAUL_IS_ARIA2_ENGINE (self), NULL);

  if (self->client == NULL)
    return self->address_error != NULL ? self->address_error->message : NULL;
  error = haul_aria2_client_get_error (self->client);
  return error != NULL ? error->message : NULL;
}

const char *
haul_aria2_engine_get_version (HaulAria2Engine *self)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_ENGINE (self), NULL);
  return self->client != NULL ? haul_aria2_client_get_version (self->client) : NULL;
}

void
haul_aria2_engine_reconnect (HaulAria2Engine *self)
{
  g_return_if_fail (HAUL_IS_ARIA2_ENGINE (self));

  if (self->client != NULL && self->queue != NULL && !self->shutting_down)
    haul_aria2_client_reconnect (self->client);
}

HaulAria2Client *
haul_aria2_engine_get_client (HaulAria2Engine *self)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_ENGINE (self), NULL);
  return self->client;
}

HaulAria2Poller *
haul_aria2_engine_get_poller (HaulAria2Engine *self)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_ENGINE (self), NULL);
  return self->poller;
}

gint64
haul_aria2_engine_get_max_apply_us (HaulAria2Engine *self)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_ENGINE (self), 0);
  return self->max_apply_us;
}

guint
haul_aria2_engine_get_n_applies (HaulAria2Engine *self)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_ENGINE (self), 0);
  return self->n_applies;
}

/* GObject ---------------------------------------------------------------- */

static void
haul_aria2_engine_dispose (GObject *object)
{
  HaulAria2Engine *self = HAUL_ARIA2_ENGINE (object);

  if (self->queue != NULL)
    {
      g_clear_signal_handler (&self->items_changed_id, self->queue);
      g_object_remove_weak_pointer (G_OBJECT (self->queue), (gpointer *) &self->queue);
      self->queue = NULL;
    }
  self->shutting_down = TRUE;
  g_clear_handle_id (&self->more_id, g_source_remove);
  haul_aria2_engine_finish_shutdown (self);
  g_hash_table_remove_all (self->by_gid);
  g_hash_table_remove_all (self->entries);

  G_OBJECT_CLASS (haul_aria2_engine_parent_class)->dispose (object);
}

static void
haul_aria2_engine_finalize (GObject *object)
{
  HaulAria2Engine *self = HAUL_ARIA2_ENGINE (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->by_gid, g_hash_table_unref);
  g_clear_pointer (&self->forget, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->address_error);
  g_free (self->address);
  g_free (self->secret);
  g_free (self->remote_folder);
  g_free (self->local_folder);

  G_OBJECT_CLASS (haul_aria2_engine_parent_class)->finalize (object);
}

static void
haul_aria2_engine_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HaulAria2Engine *self = HAUL_ARIA2_ENGINE (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_REMOTE_FOLDER:
      g_value_set_string (value, self->remote_folder);
      break;
    case PROP_LOCAL_FOLDER:
      g_value_set_string (value, self->local_folder);
      break;
    case PROP_CONNECTION:
      g_value_set_enum (value, haul_aria2_engine_get_connection (self));
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, haul_aria2_engine_get_error_message (self));
      break;
    case PROP_VERSION:
      g_value_set_string (value, haul_aria2_engine_get_version (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_aria2_engine_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HaulAria2Engine *self = HAUL_ARIA2_ENGINE (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      haul_aria2_engine_set_address (self, g_value_get_string (value));
      break;
    case PROP_REMOTE_FOLDER:
      haul_aria2_engine_set_path_mapping (self, g_value_get_string (value), self->local_folder);
      break;
    case PROP_LOCAL_FOLDER:
      haul_aria2_engine_set_path_mapping (self, self->remote_folder, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_aria2_engine_class_init (HaulAria2EngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = haul_aria2_engine_dispose;
  object_class->finalize = haul_aria2_engine_finalize;
  object_class->get_property = haul_aria2_engine_get_property;
  object_class->set_property = haul_aria2_engine_set_property;

  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL, rw);
  /* The path mapping: the daemon's folder … */
  properties[PROP_REMOTE_FOLDER] =
    g_param_spec_string ("remote-folder", NULL, NULL, NULL, rw);
  /* … and where this machine reaches it. */
  properties[PROP_LOCAL_FOLDER] =
    g_param_spec_string ("local-folder", NULL, NULL, NULL, rw);
  properties[PROP_CONNECTION] =
    g_param_spec_enum ("connection", NULL, NULL, HAUL_TYPE_ARIA2_CONNECTION,
                       HAUL_ARIA2_DISCONNECTED, ro);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  properties[PROP_VERSION] =
    g_param_spec_string ("version", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
haul_aria2_engine_init (HaulAria2Engine *self)
{
  self->entries = g_hash_table_new_full (NULL, NULL, NULL, entry_free);
  self->by_gid = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->forget = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}
