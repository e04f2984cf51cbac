/* haul-queue.c: the list of downloads, and what may be done with them
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How it works
 *  1. The queue is the list (a GListModel), its order, its counts and its
 *     record in the store; the engine (haul-engine.h: the built-in one,
 *     or a remote daemon) moves the bytes. Every state change, whoever
 *     makes it, goes through haul_queue_set_state(): counts, store and
 *     ::download-finished stay right.
 *  2. Lookups are by hash (download → member, id → download), counts are
 *     kept as states change: adding 10,000 links or restoring 100,000
 *     rows is linear, with one items-changed.
 *  3. Nothing a user can lose goes without an explicit choice: Cancel and
 *     Remove stop a download and keep its bytes, pending; haul_queue_undo()
 *     brings it back as it was, haul_queue_discard() (when the undo offer
 *     is gone, or at quit) deletes its partial file, by identity, in a
 *     thread. A run still ending when either comes is finished first.
 *  4. Remove Finished removes completed downloads only.
 *  5. The order is the person's (haul-queue-steer.c): downloads start in
 *     list order, each keeps a position number that the store records, so
 *     a reordered queue comes back in that order; holding the queue stops
 *     what runs (bytes kept, back to waiting) and starts nothing but what
 *     is asked to start now.
 *  6. Every address in the list is indexed (haul-queue-intake.c), kept in
 *     step on insert, removal and save: finding a duplicate is O(1).
 */

#include "config.h"

#include "haul-builtin-engine.h"
#include "haul-download-private.h"
#include "haul-queue-internal.h"

#define DEFAULT_MAX_ACTIVE      3
#define DEFAULT_CONNECTIONS     8
#define DEFAULT_STALL_TIMEOUT   30



static void g_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HaulQueue, haul_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      g_list_model_iface_init))

enum {
  PROP_0,
  PROP_MAX_ACTIVE,
  PROP_CONNECTIONS_PER_DOWNLOAD,
  PROP_STALL_TIMEOUT,
  PROP_SPEED_LIMIT,
  PROP_ALT_SPEED_LIMIT,
  PROP_ALT_SPEED_ENABLED,
  PROP_HELD,
  PROP_ALLOW_METERED,
  PROP_CHECKSUM_OTHER_HOSTS,
  PROP_N_ACTIVE,
  PROP_N_DOWNLOADING,
  PROP_N_WAITING,
  PROP_N_PAUSED,
  PROP_N_COMPLETED,
  PROP_STORE,
  PROP_ENGINE,
  PROP_SCHEDULE_OPEN,
  PROP_SCHEDULE_OPENS_AT,
  PROP_ENGINE_CONNECTION,
  PROP_ENGINE_NAME,
  PROP_ENGINE_ERROR,
  N_PROPS
};

enum {
  DOWNLOAD_FINISHED,
  DOWNLOAD_STATE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Counts (rule 2) ------------------------------------------------------- */

/* While the queue is held only what runs will move bytes (rule 5). */
guint
haul_queue_n_active (HaulQueue *self)
{
  return (self->held ? 0 : self->counts[HAUL_DOWNLOAD_QUEUED])
         + self->counts[HAUL_DOWNLOAD_CONNECTING] + self->counts[HAUL_DOWNLOAD_DOWNLOADING];
}


Counts
haul_queue_counts_now (HaulQueue *self)
{
  Counts c = {
    haul_queue_n_active (self),
    self->counts[HAUL_DOWNLOAD_CONNECTING] + self->counts[HAUL_DOWNLOAD_DOWNLOADING],
    self->counts[HAUL_DOWNLOAD_QUEUED],
    self->counts[HAUL_DOWNLOAD_PAUSED],
    self->counts[HAUL_DOWNLOAD_COMPLETED],
  };
  return c;
}

void
haul_queue_notify_counts (HaulQueue *self,
                          Counts     before)
{
  Counts after = haul_queue_counts_now (self);

  if (after.active != before.active)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ACTIVE]);
  if (after.downloading != before.downloading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DOWNLOADING]);
  if (after.waiting != before.waiting)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WAITING]);
  if (after.paused != before.paused)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAUSED]);
  if (after.completed != before.completed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_COMPLETED]);
}

/* Membership ----------------------------------------------------------------- */

gboolean
haul_queue_contains (HaulQueue    *self,
                     HaulDownload *download)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), FALSE);
  return g_hash_table_contains (self->members, download);
}

static void
index_id (HaulQueue    *self,
          HaulDownload *download)
{
  gint64 id = haul_download_get_id (download);

  if (id > 0)
    g_hash_table_insert (self->by_id, g_memdup2 (&id, sizeof id), download);
}

/* Into the list at @position, without items-changed (the caller emits). */
void
haul_queue_insert_member (HaulQueue    *self,
                          HaulDownload *download,
                          guint         position)
{
  g_ptr_array_insert (self->items, position, g_object_ref (download));
  g_hash_table_add (self->members, download);
  index_id (self, download);
  haul_queue_index_uri (self, download);
  haul_queue_place (self, position);
  self->counts[haul_download_get_state (download)]++;
}

void
haul_queue_drop_member (HaulQueue    *self,
                        HaulDownload *download,
                        guint         position)
{
  gint64 id = haul_download_get_id (download);

  g_assert (g_ptr_array_index (self->items, position) == download);
  self->counts[haul_download_get_state (download)]--;
  g_hash_table_remove (self->by_id, &id);
  g_hash_table_remove (self->members, download);
  g_hash_table_remove (self->start_now, download);
  haul_queue_unindex_uri (self, download);
  g_ptr_array_remove_index (self->items, position);
}

guint
haul_queue_index_of (HaulQueue    *self,
                     HaulDownload *download)
{
  guint position;

  if (!g_ptr_array_find (self->items, download, &position))
    g_assert_not_reached ();
  return position;
}

void
haul_queue_save (HaulQueue    *self,
                 HaulDownload *download)
{
  g_return_if_fail (HAUL_IS_QUEUE (self));

  if (!haul_queue_contains (self, download))
    return;
  /* A new address is saved: the index follows it (rule 6). */
  haul_queue_index_uri (self, download);
  if (self->store == NULL)
    return;
  haul_store_save (self->store, download);
  /* The store gives the id at the first save. */
  if (!g_hash_table_contains (self->by_id, &(gint64) { haul_download_get_id (download) }))
    index_id (self, download);
}

static gboolean
is_final (HaulDownloadState state)
{
  return state == HAUL_DOWNLOAD_COMPLETED
         || state == HAUL_DOWNLOAD_FAILED
         || state == HAUL_DOWNLOAD_CANCELLED;
}

void
haul_queue_set_state (HaulQueue         *self,
                      HaulDownload      *download,
                      HaulDownloadState  state)
{
  g_autoptr(HaulDownload) hold = g_object_ref (download);
  HaulDownloadState old = haul_download_get_state (download);
  gboolean member = haul_queue_contains (self, download);
  Counts before = haul_queue_counts_now (self);

  if (old == state)
    return;

  if (is_final (state))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      haul_download_set_finished (download, now);
    }
  else
    haul_download_set_finished (download, NULL);
  if (state != HAUL_DOWNLOAD_QUEUED)
    haul_download_set_waiting (download, HAUL_WAITING_NONE, 0);
  if (state != HAUL_DOWNLOAD_CONNECTING && state != HAUL_DOWNLOAD_DOWNLOADING)
    haul_download_set_connections (download, 0);

  if (member)
    {
      self->counts[old]--;
      self->counts[state]++;
    }
  haul_download_set_state (download, state);
  if (!member)
    return;
  g_signal_emit (self, signals[DOWNLOAD_STATE_CHANGED], 0, download, (guint) old);

  haul_queue_save (self, download);
  haul_queue_notify_counts (self, before);

  if (state == HAUL_DOWNLOAD_COMPLETED || state == HAUL_DOWNLOAD_FAILED)
    g_signal_emit (self, signals[DOWNLOAD_FINISHED], 0, download);
}

/* Scheduling --------------------------------------------------------------- */

static gboolean
schedule_cb (gpointer data)
{
  HaulQueue *self = data;

  self->schedule_id = 0;
  if (!self->shutting_down)
    haul_engine_schedule (self->engine);
  return G_SOURCE_REMOVE;
}

/* Starts what may start at the next turn of the main loop, so a caller
 * sees every state change of the download it was given. */
void
haul_queue_schedule_soon (HaulQueue *self)
{
  if (self->schedule_id == 0 && !self->shutting_down)
    self->schedule_id = g_idle_add_full (G_PRIORITY_DEFAULT, schedule_cb, self, NULL);
}

gboolean
haul_queue_is_shutting_down (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), TRUE);
  return self->shutting_down;
}

guint
haul_queue_get_length (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), 0);
  return self->items->len;
}

HaulDownload *
haul_queue_peek (HaulQueue *self,
                 guint      position)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), NULL);
  g_return_val_if_fail (position < self->items->len, NULL);
  return g_ptr_array_index (self->items, position);
}

HaulDownload *
haul_queue_lookup (HaulQueue *self,
                   gint64     id)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), NULL);

  if (id <= 0)
    return NULL;
  return g_hash_table_lookup (self->by_id, &id);
}

/* Settings ----------------------------------------------------------------- */

guint
haul_queue_get_max_active (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), 0);
  return self->max_active;
}

/**
 * haul_queue_set_max_active:
 *
 * May change while downloads run: a higher limit starts more at once; a
 * lower one lets running downloads finish and starts no new ones until
 * they are under it.
 */
void
haul_queue_set_max_active (HaulQueue *self,
                           guint      max_active)
{
  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (max_active >= 1);

  if (self->max_active == max_active)
    return;
  self->max_active = max_active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ACTIVE]);
  haul_engine_settings_changed (self->engine);
  haul_queue_schedule_soon (self);
}

guint
haul_queue_get_n_active (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), 0);
  return haul_queue_n_active (self);
}

guint
haul_queue_get_connections_per_download (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), 1);
  return self->connections;
}

guint
haul_queue_get_stall_timeout (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), DEFAULT_STALL_TIMEOUT);
  return self->stall_timeout;
}

gboolean
haul_queue_get_allow_metered (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), FALSE);
  return self->allow_metered;
}

gboolean
haul_queue_get_checksum_other_hosts (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), FALSE);
  return self->checksum_other_hosts;
}

guint64
haul_queue_get_effective_speed_limit (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), 0);
  return (guint64) (self->alt_enabled ? self->alt_speed_limit : self->speed_limit) * 1024;
}

HaulStore *
haul_queue_get_store (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), NULL);
  return self->store;
}

HaulEngine *
haul_queue_get_engine (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), NULL);
  return self->engine;
}

HaulEngineConnection
haul_queue_get_engine_connection (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), HAUL_ENGINE_LOCAL);
  return self->engine_connection;
}

const char *
haul_queue_get_engine_name (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), NULL);
  return self->engine_name;
}

const char *
haul_queue_get_engine_error (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), NULL);
  return self->engine_error;
}

void
haul_queue_set_engine_status (HaulQueue            *self,
                              HaulEngineConnection  connection,
                              const char           *name,
                              const char           *error)
{
  g_return_if_fail (HAUL_IS_QUEUE (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->engine_connection != connection)
    {
      self->engine_connection = connection;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE_CONNECTION]);
    }
  if (g_strcmp0 (self->engine_name, name) != 0)
    {
      g_free (self->engine_name);
      self->engine_name = g_strdup (name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE_NAME]);
    }
  if (g_strcmp0 (self->engine_error, error) != 0)
    {
      g_free (self->engine_error);
      self->engine_error = g_strdup (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE_ERROR]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Shutting down ---------------------------------------------------------------- */

static void
begin_shutdown (HaulQueue *self)
{
  self->shutting_down = TRUE;
  g_clear_handle_id (&self->schedule_id, g_source_remove);
}


void
haul_queue_shutdown (HaulQueue *self)
{
  g_return_if_fail (HAUL_IS_QUEUE (self));

  if (self->shutting_down && g_hash_table_size (self->pending) == 0)
    return;
  begin_shutdown (self);
  haul_queue_discard_all_on_engine (self);
  haul_engine_shutdown (self->engine);
  haul_queue_discard_all (self, TRUE);
  if (self->store != NULL)
    haul_store_sync (self->store);
}

/* The store waits for the disk, so its sync runs on a worker thread, in
 * a task of its own with no source object: a GTask may be freed on its
 * worker after its callback ran, and the queue must not be finalized
 * there. The store goes before the answer, since whoever hears
 * "stopped" may open the same database again at once (its lock goes
 * with the last reference). */
static void
store_sync_thread (GTask        *sync,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  HaulStore *store = task_data;

  haul_store_sync (store);
  g_object_unref (store);
  g_task_return_boolean (sync, TRUE);
}

static void
store_synced_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  g_task_return_boolean (task, TRUE);
}

static void
engine_shut_down_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HaulQueue *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) sync = NULL;

  if (!haul_engine_shutdown_finish (HAUL_ENGINE (object), result, &error))
    g_debug ("The engine did not stop cleanly: %s", error->message);

  haul_queue_discard_all (self, FALSE);
  if (self->store == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  sync = g_task_new (NULL, NULL, store_synced_cb, g_steal_pointer (&task));
  g_task_set_task_data (sync, g_object_ref (self->store), NULL);
  g_task_run_in_thread (sync, store_sync_thread);
}

void
haul_queue_shutdown_async (HaulQueue           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HAUL_IS_QUEUE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, haul_queue_shutdown_async);
  begin_shutdown (self);
  haul_queue_discard_all_on_engine (self);
  haul_engine_shutdown_async (self->engine, NULL, engine_shut_down_cb, task);
}

gboolean
haul_queue_shutdown_finish (HaulQueue     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
haul_queue_notify_held (HaulQueue *self,
                        Counts     before)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD]);
  haul_queue_notify_counts (self, before);
}

/* Counters of the built-in engine ------------------------------------------- */

guint
haul_queue_get_n_flushes (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), 0);
  return HAUL_IS_BUILTIN_ENGINE (self->engine)
         ? haul_builtin_engine_get_n_flushes (HAUL_BUILTIN_ENGINE (self->engine)) : 0;
}

guint
haul_queue_get_max_pending_idle (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), 0);
  return HAUL_IS_BUILTIN_ENGINE (self->engine)
         ? haul_builtin_engine_get_max_pending (HAUL_BUILTIN_ENGINE (self->engine)) : 0;
}

gint64
haul_queue_get_max_flush_us (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), 0);
  return HAUL_IS_BUILTIN_ENGINE (self->engine)
         ? haul_builtin_engine_get_max_flush_us (HAUL_BUILTIN_ENGINE (self->engine)) : 0;
}

/* GListModel -------------------------------------------------------------- */

static GType
haul_queue_get_item_type (GListModel *model)
{
  return HAUL_TYPE_DOWNLOAD;
}

static guint
haul_queue_get_n_items (GListModel *model)
{
  return HAUL_QUEUE (model)->items->len;
}

static gpointer
haul_queue_get_item (GListModel *model,
                     guint       position)
{
  HaulQueue *self = HAUL_QUEUE (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
g_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = haul_queue_get_item_type;
  iface->get_n_items = haul_queue_get_n_items;
  iface->get_item = haul_queue_get_item;
}

/* GObject ---------------------------------------------------------------- */

static void
haul_queue_constructed (GObject *object)
{
  HaulQueue *self = HAUL_QUEUE (object);

  G_OBJECT_CLASS (haul_queue_parent_class)->constructed (object);

  if (self->engine == NULL)
    self->engine = haul_builtin_engine_new ();
  haul_engine_attach (self->engine, self);
}

static void
haul_queue_dispose (GObject *object)
{
  HaulQueue *self = HAUL_QUEUE (object);

  if (self->engine != NULL)
    haul_queue_shutdown (self);

  g_hash_table_remove_all (self->pending);
  g_hash_table_remove_all (self->members);
  g_hash_table_remove_all (self->by_id);
  g_hash_table_remove_all (self->start_now);
  g_hash_table_remove_all (self->uri_keys);
  g_hash_table_remove_all (self->by_uri);
  g_ptr_array_set_size (self->items, 0);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (haul_queue_parent_class)->dispose (object);
}

static void
haul_queue_finalize (GObject *object)
{
  HaulQueue *self = HAUL_QUEUE (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->members, g_hash_table_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->start_now, g_hash_table_unref);
  g_clear_pointer (&self->categories, haul_category_folders_free);
  g_clear_pointer (&self->uri_keys, g_hash_table_unref);
  g_clear_pointer (&self->by_uri, g_hash_table_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->probe_session);
  g_clear_pointer (&self->engine_name, g_free);
  g_clear_pointer (&self->engine_error, g_free);

  G_OBJECT_CLASS (haul_queue_parent_class)->finalize (object);
}

static void
haul_queue_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  HaulQueue *self = HAUL_QUEUE (object);
  Counts counts = haul_queue_counts_now (self);

  switch (prop_id)
    {
    case PROP_MAX_ACTIVE:
      g_value_set_uint (value, self->max_active);
      break;
    case PROP_CONNECTIONS_PER_DOWNLOAD:
      g_value_set_uint (value, self->connections);
      break;
    case PROP_STALL_TIMEOUT:
      g_value_set_uint (value, self->stall_timeout);
      break;
    case PROP_SPEED_LIMIT:
      g_value_set_uint (value, self->speed_limit);
      break;
    case PROP_ALT_SPEED_LIMIT:
      g_value_set_uint (value, self->alt_speed_limit);
      break;
    case PROP_ALT_SPEED_ENABLED:
      g_value_set_boolean (value, self->alt_enabled);
      break;
    case PROP_HELD:
      g_value_set_boolean (value, self->held);
      break;
    case PROP_ALLOW_METERED:
      g_value_set_boolean (value, self->allow_metered);
      break;
    case PROP_CHECKSUM_OTHER_HOSTS:
      g_value_set_boolean (value, self->checksum_other_hosts);
      break;
    case PROP_N_ACTIVE:
      g_value_set_uint (value, counts.active);
      break;
    case PROP_N_DOWNLOADING:
      g_value_set_uint (value, counts.downloading);
      break;
    case PROP_N_WAITING:
      g_value_set_uint (value, counts.waiting);
      break;
    case PROP_N_PAUSED:
      g_value_set_uint (value, counts.paused);
      break;
    case PROP_N_COMPLETED:
      g_value_set_uint (value, counts.completed);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_SCHEDULE_OPEN:
      g_value_set_boolean (value, !self->schedule_closed);
      break;
    case PROP_SCHEDULE_OPENS_AT:
      g_value_set_int64 (value, self->schedule_opens_at);
      break;
    case PROP_ENGINE_CONNECTION:
      g_value_set_enum (value, self->engine_connection);
      break;
    case PROP_ENGINE_NAME:
      g_value_set_string (value, self->engine_name);
      break;
    case PROP_ENGINE_ERROR:
      g_value_set_string (value, self->engine_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* haul-queue-schedule.c changed them. */
void
haul_queue_notify_schedule (HaulQueue *self,
                            gboolean   open_changed,
                            gboolean   opens_at_changed)
{
  if (open_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEDULE_OPEN]);
  if (opens_at_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEDULE_OPENS_AT]);
}

/* Sets a setting the engine reads; TRUE if it changed. */
static gboolean
set_uint (HaulQueue    *self,
          guint        *field,
          const GValue *value,
          GParamSpec   *pspec)
{
  if (*field == g_value_get_uint (value))
    return FALSE;
  *field = g_value_get_uint (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
  return TRUE;
}

static gboolean
set_boolean (HaulQueue    *self,
             gboolean     *field,
             const GValue *value,
             GParamSpec   *pspec)
{
  if (*field == g_value_get_boolean (value))
    return FALSE;
  *field = g_value_get_boolean (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
  return TRUE;
}

static void
haul_queue_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  HaulQueue *self = HAUL_QUEUE (object);
  gboolean changed = FALSE;

  switch (prop_id)
    {
    case PROP_MAX_ACTIVE:
      haul_queue_set_max_active (self, g_value_get_uint (value));
      break;
    case PROP_CONNECTIONS_PER_DOWNLOAD:
      changed = set_uint (self, &self->connections, value, pspec);
      break;
    case PROP_STALL_TIMEOUT:
      changed = set_uint (self, &self->stall_timeout, value, pspec);
      break;
    case PROP_SPEED_LIMIT:
      changed = set_uint (self, &self->speed_limit, value, pspec);
      break;
    case PROP_ALT_SPEED_LIMIT:
      changed = set_uint (self, &self->alt_speed_limit, value, pspec);
      break;
    case PROP_ALT_SPEED_ENABLED:
      changed = set_boolean (self, &self->alt_enabled, value, pspec);
      break;
    case PROP_ALLOW_METERED:
      changed = set_boolean (self, &self->allow_metered, value, pspec);
      break;
    case PROP_CHECKSUM_OTHER_HOSTS:
      set_boolean (self, &self->checksum_other_hosts, value, pspec);
      break;
    case PROP_HELD:
      haul_queue_set_held (self, g_value_get_boolean (value));
      break;
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }

  if (changed && self->engine != NULL)
    haul_engine_settings_changed (self->engine);
}

static void
haul_queue_class_init (HaulQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = haul_queue_constructed;
  object_class->dispose = haul_queue_dispose;
  object_class->finalize = haul_queue_finalize;
  object_class->get_property = haul_queue_get_property;
  object_class->set_property = haul_queue_set_property;

  /* How many downloads may connect or download at once. */
  properties[PROP_MAX_ACTIVE] =
    g_param_spec_uint ("max-active", NULL, NULL, 1, 64, DEFAULT_MAX_ACTIVE, rw);
  /* Connections one download may use on a server that serves ranges. */
  properties[PROP_CONNECTIONS_PER_DOWNLOAD] =
    g_param_spec_uint ("connections-per-download", NULL, NULL, 1, 16, DEFAULT_CONNECTIONS, rw);
  /* Seconds a socket may stay silent before an attempt fails as stalled;
   * applies to attempts started from now on. */
  properties[PROP_STALL_TIMEOUT] =
    g_param_spec_uint ("stall-timeout", NULL, NULL, 1, 3600, DEFAULT_STALL_TIMEOUT, rw);
  /* KiB/s for all downloads together, 0: none. */
  properties[PROP_SPEED_LIMIT] =
    g_param_spec_uint ("speed-limit", NULL, NULL, 0, G_MAXUINT / 1024, 0, rw);
  properties[PROP_ALT_SPEED_LIMIT] =
    g_param_spec_uint ("alt-speed-limit", NULL, NULL, 0, G_MAXUINT / 1024, 0, rw);
  /* The alternative limit is in force instead of :speed-limit. */
  properties[PROP_ALT_SPEED_ENABLED] =
    g_param_spec_boolean ("alt-speed-enabled", NULL, NULL, FALSE, rw);
  /* The whole queue waits, in its order (rule 5). */
  properties[PROP_HELD] =
    g_param_spec_boolean ("held", NULL, NULL, FALSE, rw);
  /* New downloads start on a metered connection, and running ones go on
   * (otherwise they wait, HAUL_WAITING_METERED). */
  properties[PROP_ALLOW_METERED] =
    g_param_spec_boolean ("allow-metered", NULL, NULL, FALSE, rw);
  /* Checksum files on another host than the download's may be asked for. */
  properties[PROP_CHECKSUM_OTHER_HOSTS] =
    g_param_spec_boolean ("checksum-other-hosts", NULL, NULL, FALSE, rw);
  /* Queued + connecting + downloading (to inhibit suspend, warn on quit);
   * while held, connecting + downloading only. */
  properties[PROP_N_ACTIVE] =
    g_param_spec_uint ("n-active", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_DOWNLOADING] =
    g_param_spec_uint ("n-downloading", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_WAITING] =
    g_param_spec_uint ("n-waiting", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_PAUSED] =
    g_param_spec_uint ("n-paused", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_COMPLETED] =
    g_param_spec_uint ("n-completed", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, HAUL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, HAUL_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Inside the hours downloads may run (haul_queue_set_schedule()), and
   * while outside, when they open (real time µs). */
  properties[PROP_SCHEDULE_OPEN] =
    g_param_spec_boolean ("schedule-open", NULL, NULL, TRUE, ro);
  properties[PROP_SCHEDULE_OPENS_AT] =
    g_param_spec_int64 ("schedule-opens-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /* Whether the engine is local, or a remote one is reached (for the
   * header bar); set by the engine. */
  properties[PROP_ENGINE_CONNECTION] =
    g_param_spec_enum ("engine-connection", NULL, NULL, HAUL_TYPE_ENGINE_CONNECTION,
                       HAUL_ENGINE_LOCAL, ro);
  /* A remote engine's name for people ("nas:6800"), NULL for the local one. */
  properties[PROP_ENGINE_NAME] =
    g_param_spec_string ("engine-name", NULL, NULL, NULL, ro);
  /* Why a remote engine is unreachable: one message a person can act on. */
  properties[PROP_ENGINE_ERROR] =
    g_param_spec_string ("engine-error", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HaulQueue::download-finished:
   * @download: the download that completed or failed
   *
   * Emitted on the main thread when a download reaches completed or
   * failed (not when it is paused or cancelled).
   */
  signals[DOWNLOAD_FINISHED] =
    g_signal_new ("download-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HAUL_TYPE_DOWNLOAD);

  /**
   * HaulQueue::download-state-changed:
   * @download: a download of the queue
   * @old_state: the #HaulDownloadState it had (a guint)
   *
   * Emitted on the main thread when a download of the list changes state,
   * after #HaulDownload:state is notified: one handler for the whole list
   * where a handler per download would cost one per download.
   */
  signals[DOWNLOAD_STATE_CHANGED] =
    g_signal_new ("download-state-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, HAUL_TYPE_DOWNLOAD, G_TYPE_UINT);
}

static void
haul_queue_init (HaulQueue *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->members = g_hash_table_new (NULL, NULL);
  self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->pending = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
  self->start_now = g_hash_table_new (NULL, NULL);
  self->by_uri = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->uri_keys = g_hash_table_new (NULL, NULL);
  self->max_active = DEFAULT_MAX_ACTIVE;
  self->connections = DEFAULT_CONNECTIONS;
  self->stall_timeout = DEFAULT_STALL_TIMEOUT;
}

/**
 * haul_queue_new:
 * @store: (nullable): where to record the queue, or %NULL
 *
 * A queue run by the built-in engine.
 */
HaulQueue *
haul_queue_new (HaulStore *store)
{
  g_return_val_if_fail (store == NULL || HAUL_IS_STORE (store), NULL);

  return g_object_new (HAUL_TYPE_QUEUE, "store", store, NULL);
}

HaulQueue *
haul_queue_new_with_engine (HaulStore  *store,
                            HaulEngine *engine)
{
  g_return_val_if_fail (store == NULL || HAUL_IS_STORE (store), NULL);
  g_return_val_if_fail (HAUL_IS_ENGINE (engine), NULL);

  return g_object_new (HAUL_TYPE_QUEUE, "store", store, "engine", engine, NULL);
}
