/* haul-builtin-engine-waits.c: why a queued download waits
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rules 5 and 6 of the "How it works" of haul-builtin-engine.c:
 *  5. Temporary failures are tried again by themselves, backing off
 *     (haul-retry.c), never sooner than the server's Retry-After. When a
 *     try of one download gets an answer, the others waiting on the same
 *     server because it could not be reached (refused, reset, silent) go
 *     at once: the server is back, whatever their backoff says.
 *  6. The network (GNetworkMonitor, main thread):
 *     a. Gone (network-available FALSE): running downloads stop, keeping
 *        their bytes, and every queued one waits as HAUL_WAITING_NETWORK,
 *        retry timers included: nothing retries into a wall, nothing
 *        fails. A temporary failure that arrives while offline waits the
 *        same way. Back: they go on by themselves.
 *     b. Metered (network-metered) and the queue's allow-metered off: new
 *        downloads wait as HAUL_WAITING_METERED and running ones stop to
 *        wait the same way, unless started with haul_queue_start_now()
 *        ("Download Anyway": that download may use it until it ends).
 *        Unmetered again, or allowed: they go on by themselves.
 *     c. Power Saver (GPowerProfileMonitor): a download started meanwhile
 *        uses at most POWER_SAVER_CONNECTIONS connections.
 */

#include "config.h"

#include "haul-builtin-engine-private.h"
#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-queue-private.h"
#include "haul-url.h"

#define POWER_SAVER_CONNECTIONS 2

/* Retries (rule 5) -------------------------------------------------------- */

static gboolean
retry_timeout_cb (gpointer data)
{
  Entry *entry = data;

  entry->retry_source = 0;
  haul_download_set_waiting (entry->download, HAUL_WAITING_NONE, 0);
  haul_builtin_engine_schedule (entry->engine);
  return G_SOURCE_REMOVE;
}

gboolean
haul_builtin_engine_is_temporary (const GError *error)
{
  return g_error_matches (error, HAUL_ERROR, HAUL_ERROR_TRUNCATED)
         || g_error_matches (error, HAUL_ERROR, HAUL_ERROR_NETWORK)
         || g_error_matches (error, HAUL_ERROR, HAUL_ERROR_STALLED)
         || g_error_matches (error, HAUL_ERROR, HAUL_ERROR_SERVER_BUSY);
}

void
haul_builtin_engine_wait_to_retry (HaulBuiltinEngine *self,
                                   Entry             *entry,
                                   Run               *run)
{
  const GError *error = run->result->error;
  gint64 delay;
  HaulWaiting waiting;

  /* Rule 6a: offline, the next try would only fail the same way. */
  if (self->offline)
    {
      haul_download_set_error_message (run->download, NULL);
      haul_queue_set_state (self->queue, run->download, HAUL_DOWNLOAD_QUEUED);
      haul_download_set_waiting (run->download, HAUL_WAITING_NETWORK, 0);
      return;
    }

  entry->attempts++;
  delay = self->retry_delay (entry->attempts, run->result->retry_after, g_random_int ());
  waiting = g_error_matches (error, HAUL_ERROR, HAUL_ERROR_SERVER_BUSY)
              ? HAUL_WAITING_SERVER_BUSY : HAUL_WAITING_RETRY;

  g_debug ("Download %" G_GINT64_FORMAT " tries again in %.1f s after: %s",
           haul_download_get_id (run->download), delay / (double) G_USEC_PER_SEC,
           error->message);
  /* Before the state changes: a handler of it may remove the download
   * (and the entry with its timer). */
  entry->retry_source = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                            (guint) MAX (delay / 1000, 1),
                                            retry_timeout_cb, entry, NULL);
  haul_download_set_error (run->download, error);
  haul_queue_set_state (self->queue, run->download, HAUL_DOWNLOAD_QUEUED);
  haul_download_set_waiting (run->download, waiting, g_get_real_time () + delay);
}

static GUri *
server_of (HaulDownload *download)
{
  const char *final = haul_download_get_final_uri (download);

  return g_uri_parse (final != NULL && *final != '\0' ? final : haul_download_get_uri (download),
                      G_URI_FLAGS_NONE, NULL);
}

/* Rule 5: the try of @download to its server got an answer. Whoever waits
 * on the same server after failing to reach it is tried again with the
 * next schedule(); a busy server's Retry-After is still kept. */
void
haul_builtin_engine_server_answered (HaulBuiltinEngine *self,
                                     HaulDownload      *download)
{
  g_autoptr(GUri) server = server_of (download);
  GHashTableIter iter;
  gpointer value;

  if (server == NULL)
    return;
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;
      int code = haul_download_get_error_code (entry->download);
      g_autoptr(GUri) other = NULL;

      if (entry->retry_source == 0 || entry->download == download
          || haul_download_get_waiting (entry->download) != HAUL_WAITING_RETRY
          || (code != HAUL_ERROR_NETWORK && code != HAUL_ERROR_STALLED))
        continue;
      other = server_of (entry->download);
      if (other == NULL || !haul_url_same_origin (server, other))
        continue;
      g_debug ("Download %" G_GINT64_FORMAT " tries again now: its server answered another",
               haul_download_get_id (entry->download));
      g_clear_handle_id (&entry->retry_source, g_source_remove);
      haul_download_set_waiting (entry->download, HAUL_WAITING_NONE, 0);
    }
}

/* The network and the power profile (rule 6) ---------------------------------- */

HaulWaiting
haul_builtin_engine_why_wait (HaulBuiltinEngine *self,
                              Entry             *entry)
{
  if (self->offline)
    return HAUL_WAITING_NETWORK;
  if (self->metered && !haul_queue_get_allow_metered (self->queue)
      && (entry == NULL || !entry->metered_ok))
    return HAUL_WAITING_METERED;
  return HAUL_WAITING_NONE;
}

gboolean
haul_builtin_engine_walk_needed (HaulBuiltinEngine *self,
                                 gboolean           held,
                                 guint              max_active)
{
  if (!held && self->runs->len < max_active)
    return TRUE;
  return self->offline || (self->metered && !haul_queue_get_allow_metered (self->queue))
         || haul_queue_has_start_now (self->queue);
}

guint
haul_builtin_engine_max_connections (HaulBuiltinEngine *self)
{
  guint wanted = haul_queue_get_connections_per_download (self->queue);

  return self->power_saver ? MIN (wanted, POWER_SAVER_CONNECTIONS) : wanted;
}

void
haul_builtin_engine_review (HaulBuiltinEngine *self)
{
  guint n;

  if (self->queue == NULL || self->shutting_down)
    return;

  /* Running ones that may not go on (rule 6a, 6b). */
  for (guint i = 0; i < self->runs->len; i++)
    {
      Run *run = g_ptr_array_index (self->runs, i);
      Entry *entry = g_hash_table_lookup (self->entries, run->download);
      HaulWaiting why = haul_builtin_engine_why_wait (self, entry);

      if (why != HAUL_WAITING_NONE && !run->stopping)
        haul_builtin_engine_hold_run (self, run, why);
    }

  /* Queued ones: what they wait for now. */
  n = haul_queue_get_length (self->queue);
  for (guint i = 0; i < n; i++)
    {
      HaulDownload *download = haul_queue_peek (self->queue, i);
      Entry *entry = g_hash_table_lookup (self->entries, download);
      HaulWaiting waiting = haul_download_get_waiting (download);
      HaulWaiting why;

      if (haul_download_get_state (download) != HAUL_DOWNLOAD_QUEUED
          || (entry != NULL && entry->run != NULL))
        continue;
      why = haul_builtin_engine_why_wait (self, entry);
      if (why == HAUL_WAITING_NETWORK && entry != NULL && entry->retry_source != 0)
        {
          /* Rule 6a: no retrying into a wall; back online, it goes on. */
          g_clear_handle_id (&entry->retry_source, g_source_remove);
          entry->attempts = 0;
        }
      if (why == HAUL_WAITING_NETWORK
          || (why == HAUL_WAITING_METERED && (entry == NULL || entry->retry_source == 0)))
        haul_download_set_waiting (download, why, 0);
      else if (waiting == HAUL_WAITING_NETWORK || waiting == HAUL_WAITING_METERED)
        haul_download_set_waiting (download, HAUL_WAITING_NONE, 0);
    }

  haul_builtin_engine_schedule (self);
}

static void
read_network (HaulBuiltinEngine *self)
{
  gboolean offline = !g_network_monitor_get_network_available (self->network);
  gboolean metered = !offline && g_network_monitor_get_network_metered (self->network);
  gboolean power_saver = self->power != NULL
                         && g_power_profile_monitor_get_power_saver_enabled (self->power);

  if (offline == self->offline && metered == self->metered && power_saver == self->power_saver)
    return;
  g_debug ("Network %s%s%s", offline ? "gone" : "available", metered ? ", metered" : "",
           power_saver ? ", power saver" : "");
  self->offline = offline;
  self->metered = metered;
  self->power_saver = power_saver;
  haul_builtin_engine_review (self);
}

static void
network_changed_cb (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    data)
{
  read_network (data);
}

static void
network_signal_cb (GNetworkMonitor *monitor,
                   gboolean         available,
                   gpointer         data)
{
  read_network (data);
}

void
haul_builtin_engine_watch (HaulBuiltinEngine *self)
{
  if (self->network == NULL)
    self->network = g_object_ref (g_network_monitor_get_default ());
  if (self->power == NULL)
    self->power = g_power_profile_monitor_dup_default ();

  g_signal_connect_object (self->network, "network-changed", G_CALLBACK (network_signal_cb),
                           self, 0);
  g_signal_connect_object (self->network, "notify::network-available",
                           G_CALLBACK (network_changed_cb), self, 0);
  g_signal_connect_object (self->network, "notify::network-metered",
                           G_CALLBACK (network_changed_cb), self, 0);
  if (self->power != NULL)
    g_signal_connect_object (self->power, "notify::power-saver-enabled",
                             G_CALLBACK (network_changed_cb), self, 0);
  read_network (self);
}

void
haul_builtin_engine_unwatch (HaulBuiltinEngine *self)
{
  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  if (self->power != NULL)
    g_signal_handlers_disconnect_by_data (self->power, self);
  g_clear_object (&self->network);
  g_clear_object (&self->power);
}

/**
 * haul_builtin_engine_set_network_monitor:
 * @monitor: (nullable): what tells the engine about the network; %NULL for
 *   g_network_monitor_get_default()
 *
 * For tests (a fake monitor), before or after the queue is made.
 */
void
haul_builtin_engine_set_network_monitor (HaulBuiltinEngine *self,
                                         GNetworkMonitor   *monitor)
{
  GPowerProfileMonitor *power;

  g_return_if_fail (HAUL_IS_BUILTIN_ENGINE (self));
  g_return_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor));

  power = self->power != NULL ? g_object_ref (self->power) : NULL;
  haul_builtin_engine_unwatch (self);
  self->network = monitor != NULL ? g_object_ref (monitor) : NULL;
  self->power = power;
  if (self->queue != NULL)
    haul_builtin_engine_watch (self);
}

/**
 * haul_builtin_engine_set_power_profile_monitor:
 * @monitor: (nullable): %NULL for g_power_profile_monitor_dup_default()
 *
 * For tests, as haul_builtin_engine_set_network_monitor().
 */
void
haul_builtin_engine_set_power_profile_monitor (HaulBuiltinEngine    *self,
                                               GPowerProfileMonitor *monitor)
{
  GNetworkMonitor *network;

  g_return_if_fail (HAUL_IS_BUILTIN_ENGINE (self));
  g_return_if_fail (monitor == NULL || G_IS_POWER_PROFILE_MONITOR (monitor));

  network = self->network != NULL ? g_object_ref (self->network) : NULL;
  haul_builtin_engine_unwatch (self);
  self->network = network;
  self->power = monitor != NULL ? g_object_ref (monitor) : NULL;
  if (self->queue != NULL)
    haul_builtin_engine_watch (self);
}
