/* haul-aria2-poller.c: the daemon's downloads, kept up to date
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-aria2-poller.h"
#include "haul-aria2-rpc.h"
#include "haul-error.h"

/* How it works
 *
 * One tick at a time, at most one every MIN_INTERVAL_MS:
 *   1. One system.multicall: getGlobalStat, tellActive, tellWaiting.
 *   2. Stopped downloads never change in aria2; they only come (a download
 *      stops) and go (a result is removed or purged). Both move the
 *      counters (numStopped, numStoppedTotal), so tellStopped, the biggest
 *      answer, is asked for (with getGlobalStat again, in one multicall,
 *      which aria2 runs in one go) only when the counters differ from the
 *      ones the model's stopped part was read with, and after every
 *      (re)connection, since a restarted daemon counts from zero again.
 *      A download that stopped between 1 and 2 shows up in both answers;
 *      the stopped one is newer and wins.
 *   3. A worker thread builds the new model from the answers and the old
 *      model, which is immutable once built (a model is never changed,
 *      only replaced): snapshots equal to the old ones are replaced by
 *      the old ones, the rest get ->changed, and it lists what is gone and
 *      what just finished.
 *   4. The main thread swaps the model in and emits ::updated once, then
 *      ::download-finished for each that finished. Nothing else of a tick
 *      runs there but the small answer callbacks.
 * A tick started before the connection changed is dropped (generation).
 */

#define MIN_INTERVAL_MS   500
#define IDLE_INTERVAL_MS  2000
#define ALL_DOWNLOADS     100000

typedef struct
{
  GHashTable *by_gid;  /* gid (borrowed from the status) → HaulAria2Status (owned) */
  GPtrArray  *order;   /* (owned) of HaulAria2Status: active, waiting, stopped */
  gboolean    any_active;
} Model;

struct _HaulAria2Poller
{
  GObject               parent_instance;

  HaulAria2Client      *client;        /* (owned) */
  Model                *model;         /* (owned) immutable, shared with the worker */
  gboolean              loaded;

  guint                 generation;
  GCancellable         *cancellable;   /* (owned) of the current generation */
  gboolean              ticking;
  gboolean              again;         /* poll_soon() during a tick */
  gint64                last_start;    /* monotonic µs */
  guint                 timer;

  GHashTable           *watched;       /* GIDs added or heard of: finished even if first seen so */

  gboolean              have_stopped_key;
  gint64                stopped_num;
  gint64                stopped_total;

  HaulAria2PollerStats  stats;
};

G_DEFINE_FINAL_TYPE (HaulAria2Poller, haul_aria2_poller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_LOADED,
  N_PROPS
};

enum {
  SIGNAL_UPDATED,
  SIGNAL_DOWNLOAD_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void schedule (HaulAria2Poller *self, guint interval_ms);

/* Models ---------------------------------------------------------------- */

static void
model_clear (gpointer data)
{
  Model *model = data;

  g_hash_table_unref (model->by_gid);
  g_ptr_array_unref (model->order);
}

static Model *
model_new (void)
{
  Model *model = g_atomic_rc_box_new0 (Model);

  model->by_gid = g_hash_table_new (g_str_hash, g_str_equal);
  model->order = haul_aria2_status_array_new ();
  return model;
}

static Model *
model_ref (Model *model)
{
  return g_atomic_rc_box_acquire (model);
}

static void
model_unref (Model *model)
{
  g_atomic_rc_box_release_full (model, model_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Model, model_unref)

static void
model_add (Model           *model,
           HaulAria2Status *status)
{
  g_ptr_array_add (model->order, status);
  g_hash_table_insert (model->by_gid, status->gid, status);
  if (status->state == HAUL_ARIA2_ACTIVE)
    model->any_active = TRUE;
}

/* One tick -------------------------------------------------------------- */

typedef struct
{
  GWeakRef   poller;     /* the answers' callbacks do not keep it alive */
  guint      generation;
  gboolean   first_tick;
  JsonNode  *first;      /* (owned) answer of 1 */
  JsonNode  *second;     /* (owned) (nullable) answer of 2 */
  char      *display;    /* (owned) */
  Model     *old;        /* (owned) */
  gint64     main_us;    /* main-thread time so far */

  /* Built by the worker (3): */
  Model     *model;      /* (owned) */
  GPtrArray *changed;    /* (owned) */
  GPtrArray *removed;    /* (owned) */
  GPtrArray *finished;   /* (owned) */
  GPtrArray *appeared;   /* (owned) first seen already finished */
  gint64     build_us;
} Tick;

static void
tick_free (Tick *tick)
{
  g_weak_ref_clear (&tick->poller);
  g_clear_pointer (&tick->first, json_node_unref);
  g_clear_pointer (&tick->second, json_node_unref);
  g_free (tick->display);
  g_clear_pointer (&tick->old, model_unref);
  g_clear_pointer (&tick->model, model_unref);
  g_clear_pointer (&tick->changed, g_ptr_array_unref);
  g_clear_pointer (&tick->removed, g_ptr_array_unref);
  g_clear_pointer (&tick->finished, g_ptr_array_unref);
  g_clear_pointer (&tick->appeared, g_ptr_array_unref);
  g_free (tick);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tick, tick_free)

/* Reads entry @index of a multicall answer (a list of downloads) into
 * @into, skipping GIDs in @skip. */
static void
read_list (Tick       *tick,
           JsonNode   *answer,
           guint       index,
           GHashTable *skip,
           GPtrArray  *into)
{
  g_autoptr(GError) error = NULL;
  JsonNode *list = haul_aria2_rpc_multicall_get (answer, index, tick->display, &error);
  JsonArray *array;

  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_debug ("aria2 %s: no list %u: %s", tick->display, index,
               error != NULL ? error->message : "not an array");
      return;
    }
  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(GError) local = NULL;
      HaulAria2Status *status;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      status = haul_aria2_status_new_from_json (json_node_get_object (element), &local);
      if (status == NULL)
        {
          g_debug ("aria2 %s: %s", tick->display, local->message);
          continue;
        }
      if (skip != NULL && g_hash_table_contains (skip, status->gid))
        {
          haul_aria2_status_unref (status);
          continue;
        }
      g_ptr_array_add (into, status);
    }
}

/* (3) Worker thread: reads the answers and compares with the old model. */
static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Tick *tick = task_data;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GPtrArray) fresh = haul_aria2_status_array_new ();
  g_autoptr(GPtrArray) stopped = haul_aria2_status_array_new ();
  g_autoptr(GHashTable) stopped_gids = g_hash_table_new (g_str_hash, g_str_equal);
  Model *model = model_new ();

  /* (2) The stopped answer is the newer one; it wins over 1. */
  if (tick->second != NULL)
    {
      read_list (tick, tick->second, 1, NULL, stopped);
      for (guint i = 0; i < stopped->len; i++)
        g_hash_table_add (stopped_gids, ((HaulAria2Status *) g_ptr_array_index (stopped, i))->gid);
    }
  read_list (tick, tick->first, 1, stopped_gids, fresh);
  read_list (tick, tick->first, 2, stopped_gids, fresh);
  if (tick->second != NULL)
    g_ptr_array_extend_and_steal (fresh, g_steal_pointer (&stopped));
  else
    {
      /* Nothing stopped or went since: the old stopped part still holds. */
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < fresh->len; i++)
        g_hash_table_add (seen, ((HaulAria2Status *) g_ptr_array_index (fresh, i))->gid);
      for (guint i = 0; i < tick->old->order->len; i++)
        {
          HaulAria2Status *old = g_ptr_array_index (tick->old->order, i);

          if (haul_aria2_status_is_final (old) && !g_hash_table_contains (seen, old->gid))
            g_ptr_array_add (fresh, haul_aria2_status_ref (old));
        }
    }

  tick->changed = haul_aria2_status_array_new ();
  tick->removed = haul_aria2_status_array_new ();
  tick->finished = haul_aria2_status_array_new ();
  tick->appeared = haul_aria2_status_array_new ();

  for (guint i = 0; i < fresh->len; i++)
    {
      HaulAria2Status *status = g_ptr_array_index (fresh, i);
      HaulAria2Status *old = g_hash_table_lookup (tick->old->by_gid, status->gid);
      HaulAria2Fields changed;

      if (g_hash_table_contains (model->by_gid, status->gid))
        continue;  /* listed twice in one answer: the first stays */
      changed = old == status ? 0 : haul_aria2_status_diff (old, status);
      if (changed == 0)
        {
          model_add (model, haul_aria2_status_ref (old));
          continue;
        }
      status->changed = changed;  /* not delivered yet: still ours to set */
      model_add (model, haul_aria2_status_ref (status));
      g_ptr_array_add (tick->changed, haul_aria2_status_ref (status));

      if (status->state != HAUL_ARIA2_COMPLETE && status->state != HAUL_ARIA2_ERROR)
        continue;
      if (old != NULL && !haul_aria2_status_is_final (old))
        g_ptr_array_add (tick->finished, haul_aria2_status_ref (status));
      else if (old == NULL)
        g_ptr_array_add (tick->appeared, haul_aria2_status_ref (status));
    }

  for (guint i = 0; i < tick->old->order->len; i++)
    {
      HaulAria2Status *old = g_ptr_array_index (tick->old->order, i);

      if (!g_hash_table_contains (model->by_gid, old->gid))
        g_ptr_array_add (tick->removed, haul_aria2_status_ref (old));
    }

  tick->model = model;
  tick->build_us = g_get_monotonic_time () - start;
  g_task_return_boolean (task, TRUE);
}

static void
end_tick (HaulAria2Poller *self)
{
  self->ticking = FALSE;
  if (self->again)
    {
      self->again = FALSE;
      haul_aria2_poller_poll_soon (self);
    }
  else
    schedule (self, self->model->any_active ? MIN_INTERVAL_MS : IDLE_INTERVAL_MS);
}

/* (4) */
static void
built_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  HaulAria2Poller *self = HAUL_ARIA2_POLLER (source);
  Tick *tick = g_task_get_task_data (G_TASK (result));
  gint64 start = g_get_monotonic_time ();
  gint64 spent;

  if (tick->generation != self->generation)
    return;

  g_clear_pointer (&self->model, model_unref);
  self->model = model_ref (tick->model);

  /* First seen already finished: news, unless it was there before the
   * first look (history); one this client added or heard of is news even
   * then, and only the main thread knows that list up to now. */
  for (guint i = 0; i < tick->appeared->len; i++)
    {
      HaulAria2Status *status = g_ptr_array_index (tick->appeared, i);

      if (!tick->first_tick || g_hash_table_contains (self->watched, status->gid))
        g_ptr_array_add (tick->finished, haul_aria2_status_ref (status));
    }

  if (tick->changed->len > 0 || tick->removed->len > 0)
    g_signal_emit (self, signals[SIGNAL_UPDATED], 0, tick->changed, tick->removed);
  for (guint i = 0; i < tick->finished->len; i++)
    g_signal_emit (self, signals[SIGNAL_DOWNLOAD_FINISHED], 0,
                   g_ptr_array_index (tick->finished, i));
  /* Seen once, its next change is judged against the model. */
  for (guint i = 0; i < tick->changed->len; i++)
    g_hash_table_remove (self->watched,
                         ((HaulAria2Status *) g_ptr_array_index (tick->changed, i))->gid);
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }

  spent = tick->main_us + (g_get_monotonic_time () - start);
  self->stats.n_ticks++;
  self->stats.last_main_us = spent;
  self->stats.max_main_us = MAX (self->stats.max_main_us, spent);
  self->stats.total_main_us += spent;
  self->stats.last_build_us = tick->build_us;
  self->stats.max_build_us = MAX (self->stats.max_build_us, tick->build_us);

  end_tick (self);
}

static void
build (HaulAria2Poller *self,
       Tick            *tick)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, built_cb, NULL);

  g_task_set_source_tag (task, build);
  g_task_set_task_data (task, tick, (GDestroyNotify) tick_free);
  g_task_run_in_thread (task, build_thread);
}

static gboolean
read_counters (JsonNode *stat,
               gint64   *num,
               gint64   *total)
{
  JsonObject *object;

  if (stat == NULL || !JSON_NODE_HOLDS_OBJECT (stat))
    return FALSE;
  object = json_node_get_object (stat);
  return g_ascii_string_to_signed (json_object_get_string_member_with_default (object,
                                                                               "numStopped", ""),
                                   10, 0, G_MAXINT64, num, NULL)
         && g_ascii_string_to_signed (json_object_get_string_member_with_default (object,
                                                                                  "numStoppedTotal",
                                                                                  ""),
                                      10, 0, G_MAXINT64, total, NULL);
}

static void
tick_failed (HaulAria2Poller *self,
             const GError    *error)
{
  /* A connection error moves the client to FAILED, which stops polling;
   * anything else is tried again on the next tick. */
  g_debug ("aria2 poll: %s", error->message);
  end_tick (self);
}

static JsonArray *
keys_params (gboolean with_range)
{
  JsonArray *params = json_array_new ();
  JsonArray *keys = json_array_new ();

  if (with_range)
    {
      json_array_add_int_element (params, 0);
      json_array_add_int_element (params, ALL_DOWNLOADS);
    }
  for (const char * const *key = haul_aria2_status_keys (); *key != NULL; key++)
    json_array_add_string_element (keys, *key);
  json_array_add_array_element (params, keys);
  return params;
}

static void
stopped_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Tick) tick = user_data;
  g_autoptr(HaulAria2Poller) self = g_weak_ref_get (&tick->poller);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  JsonNode *answer = haul_aria2_client_multicall_finish (HAUL_ARIA2_CLIENT (source), result,
                                                         &error);
  JsonNode *stat;
  gint64 num, total;

  if (self == NULL || tick->generation != self->generation)
    {
      g_clear_pointer (&answer, json_node_unref);
      return;
    }
  if (answer == NULL)
    {
      tick_failed (self, error);
      return;
    }
  tick->second = answer;
  stat = haul_aria2_rpc_multicall_get (answer, 0, tick->display, NULL);
  if (read_counters (stat, &num, &total))
    {
      self->have_stopped_key = TRUE;
      self->stopped_num = num;
      self->stopped_total = total;
    }
  self->stats.n_stopped_fetches++;
  tick->main_us += g_get_monotonic_time () - start;
  build (self, g_steal_pointer (&tick));
}

static void
first_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Tick) tick = user_data;
  g_autoptr(HaulAria2Poller) self = g_weak_ref_get (&tick->poller);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  JsonNode *answer = haul_aria2_client_multicall_finish (HAUL_ARIA2_CLIENT (source), result,
                                                         &error);
  JsonNode *stat;
  gint64 num = -1, total = -1;

  if (self == NULL || tick->generation != self->generation)
    {
      g_clear_pointer (&answer, json_node_unref);
      return;
    }
  if (answer == NULL)
    {
      tick_failed (self, error);
      return;
    }
  tick->first = answer;

  /* (2) */
  stat = haul_aria2_rpc_multicall_get (answer, 0, tick->display, NULL);
  if (!read_counters (stat, &num, &total) || !self->have_stopped_key
      || num != self->stopped_num || total != self->stopped_total)
    {
      const char * const methods[] = { "aria2.getGlobalStat", "aria2.tellStopped" };
      JsonArray *params[2] = { NULL, keys_params (TRUE) };

      tick->main_us += g_get_monotonic_time () - start;
      haul_aria2_client_multicall_async (self->client, methods, params, 2, self->cancellable,
                                         stopped_cb, g_steal_pointer (&tick));
      return;
    }
  tick->main_us += g_get_monotonic_time () - start;
  build (self, g_steal_pointer (&tick));
}

static void
start_tick (HaulAria2Poller *self)
{
  const char * const methods[] = { "aria2.getGlobalStat", "aria2.tellActive",
                                   "aria2.tellWaiting" };
  JsonArray *params[3] = { NULL, keys_params (FALSE), keys_params (TRUE) };
  Tick *tick;

  self->ticking = TRUE;
  self->last_start = g_get_monotonic_time ();

  tick = g_new0 (Tick, 1);
  g_weak_ref_init (&tick->poller, self);
  tick->generation = self->generation;
  tick->first_tick = !self->loaded;
  tick->display = g_strdup (haul_aria2_client_get_display_name (self->client));
  tick->old = model_ref (self->model);
  haul_aria2_client_multicall_async (self->client, methods, params, 3, self->cancellable,
                                     first_cb, tick);
}

/* Scheduling ------------------------------------------------------------ */

static gboolean
timer_cb (gpointer data)
{
  HaulAria2Poller *self = data;

  self->timer = 0;
  if (!self->ticking
      && haul_aria2_client_get_connection (self->client) == HAUL_ARIA2_CONNECTED)
    start_tick (self);
  return G_SOURCE_REMOVE;
}

/* The next tick @interval_ms after the last one began (at once if that
 * is past), unless one is due sooner already. */
static void
schedule (HaulAria2Poller *self,
          guint            interval_ms)
{
  gint64 due = self->last_start + (gint64) interval_ms * G_TIME_SPAN_MILLISECOND;
  gint64 delay = MAX (0, due - g_get_monotonic_time ());
  GSource *pending;

  if (haul_aria2_client_get_connection (self->client) != HAUL_ARIA2_CONNECTED)
    return;
  pending = self->timer != 0 ? g_main_context_find_source_by_id (NULL, self->timer) : NULL;
  if (pending != NULL && g_source_get_ready_time (pending) <= g_get_monotonic_time () + delay)
    return;

  g_clear_handle_id (&self->timer, g_source_remove);
  self->timer = g_timeout_add ((guint) (delay / G_TIME_SPAN_MILLISECOND), timer_cb, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->timer),
                            "[haul] aria2 poll");
}

void
haul_aria2_poller_poll_soon (HaulAria2Poller *self)
{
  g_return_if_fail (HAUL_IS_ARIA2_POLLER (self));

  if (self->ticking)
    {
      self->again = TRUE;
      return;
    }
  schedule (self, MIN_INTERVAL_MS);
}

static void
connection_cb (HaulAria2Client *client,
               GParamSpec      *pspec,
               gpointer         user_data)
{
  HaulAria2Poller *self = user_data;

  /* Whatever happened, a tick under way belongs to the old connection. */
  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->timer, g_source_remove);
  self->ticking = FALSE;
  self->again = FALSE;

  if (haul_aria2_client_get_connection (client) == HAUL_ARIA2_CONNECTED)
    {
      self->have_stopped_key = FALSE;  /* (2) a restarted daemon counts anew */
      self->last_start = 0;
      schedule (self, 0);
    }
}

static void
watch (HaulAria2Poller *self,
       const char      *gid)
{
  if (haul_aria2_poller_lookup (self, gid) == NULL)
    g_hash_table_add (self->watched, g_strdup (gid));
  haul_aria2_poller_poll_soon (self);
}

static void
event_cb (HaulAria2Client *client,
          HaulAria2Event   event,
          const char      *gid,
          gpointer         user_data)
{
  watch (HAUL_ARIA2_POLLER (user_data), gid);
}

static void
added_cb (HaulAria2Client *client,
          const char      *gid,
          gpointer         user_data)
{
  watch (HAUL_ARIA2_POLLER (user_data), gid);
}

/* Accessors ------------------------------------------------------------- */

HaulAria2Client *
haul_aria2_poller_get_client (HaulAria2Poller *self)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_POLLER (self), NULL);
  return self->client;
}

gboolean
haul_aria2_poller_get_loaded (HaulAria2Poller *self)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_POLLER (self), FALSE);
  return self->loaded;
}

HaulAria2Status *
haul_aria2_poller_lookup (HaulAria2Poller *self,
                          const char      *gid)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_POLLER (self), NULL);
  g_return_val_if_fail (gid != NULL, NULL);
  return g_hash_table_lookup (self->model->by_gid, gid);
}

GPtrArray *
haul_aria2_poller_dup_all (HaulAria2Poller *self)
{
  GPtrArray *all;

  g_return_val_if_fail (HAUL_IS_ARIA2_POLLER (self), NULL);

  all = g_ptr_array_new_full (self->model->order->len, (GDestroyNotify) haul_aria2_status_unref);
  for (guint i = 0; i < self->model->order->len; i++)
    g_ptr_array_add (all, haul_aria2_status_ref (g_ptr_array_index (self->model->order, i)));
  return all;
}

void
haul_aria2_poller_get_stats (HaulAria2Poller      *self,
                             HaulAria2PollerStats *stats)
{
  g_return_if_fail (HAUL_IS_ARIA2_POLLER (self));
  g_return_if_fail (stats != NULL);
  *stats = self->stats;
}

/* GObject --------------------------------------------------------------- */

HaulAria2Poller *
haul_aria2_poller_new (HaulAria2Client *client)
{
  g_return_val_if_fail (HAUL_IS_ARIA2_CLIENT (client), NULL);

  return g_object_new (HAUL_TYPE_ARIA2_POLLER, "client", client, NULL);
}

static void
haul_aria2_poller_constructed (GObject *object)
{
  HaulAria2Poller *self = HAUL_ARIA2_POLLER (object);

  G_OBJECT_CLASS (haul_aria2_poller_parent_class)->constructed (object);

  g_assert (self->client != NULL);
  g_signal_connect_object (self->client, "notify::connection", G_CALLBACK (connection_cb),
                           self, 0);
  g_signal_connect_object (self->client, "event", G_CALLBACK (event_cb), self, 0);
  g_signal_connect_object (self->client, "added", G_CALLBACK (added_cb), self, 0);
  if (haul_aria2_client_get_connection (self->client) == HAUL_ARIA2_CONNECTED)
    schedule (self, 0);
}

static void
haul_aria2_poller_dispose (GObject *object)
{
  HaulAria2Poller *self = HAUL_ARIA2_POLLER (object);

  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (haul_aria2_poller_parent_class)->dispose (object);
}

static void
haul_aria2_poller_finalize (GObject *object)
{
  HaulAria2Poller *self = HAUL_ARIA2_POLLER (object);

  g_clear_pointer (&self->model, model_unref);
  g_clear_pointer (&self->watched, g_hash_table_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (haul_aria2_poller_parent_class)->finalize (object);
}

static void
haul_aria2_poller_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HaulAria2Poller *self = HAUL_ARIA2_POLLER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_aria2_poller_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HaulAria2Poller *self = HAUL_ARIA2_POLLER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_aria2_poller_class_init (HaulAria2PollerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = haul_aria2_poller_constructed;
  object_class->dispose = haul_aria2_poller_dispose;
  object_class->finalize = haul_aria2_poller_finalize;
  object_class->get_property = haul_aria2_poller_get_property;
  object_class->set_property = haul_aria2_poller_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, HAUL_TYPE_ARIA2_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_UPDATED] =
    g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_PTR_ARRAY, G_TYPE_PTR_ARRAY);
  signals[SIGNAL_DOWNLOAD_FINISHED] =
    g_signal_new ("download-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, HAUL_TYPE_ARIA2_STATUS);
}

static void
haul_aria2_poller_init (HaulAria2Poller *self)
{
  self->model = model_new ();
  self->watched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}
