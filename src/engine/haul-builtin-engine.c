/* haul-builtin-engine.c: downloads in worker threads of this process
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How it works
 *  1. Each running download is a Run: an owned job for a worker of one
 *     GThreadPool (haul_transfer_run() blocks there), a GCancellable and a
 *     progress cell of atomics. A worker never touches a GObject the UI
 *     sees; the Run's last reference always goes on the main thread.
 *  2. Coalescing: one GSource, made and attached on the main thread once,
 *     whose prepare() reads two atomic flags. A worker that dirties a cell
 *     sets "progress" (only the first since the last flush wakes the main
 *     context: g_main_context_wakeup(), which takes no lock), a finished
 *     worker sets "done". So at most one flush is ever pending for all
 *     downloads, workers never attach sources, and a finished download's
 *     slot is given to the next one at once (no wait for the interval).
 *  3. Progress flushes start at least FLUSH_INTERVAL_US apart, and each
 *     download's properties change at most every UPDATE_INTERVAL_US.
 *  4. Checkpoints: the worker records one in the store (it returns once
 *     committed) and leaves a copy under the Run's lock; the flush takes
 *     the copy out under the lock and applies it after unlocking, so no
 *     notification runs with a lock held.
 *  5. Temporary failures (a cut body, a stall, a reset, 408, 425, 429, 5xx
 *     gateways) are tried again by themselves, backing off (haul-retry.c)
 *     and never sooner than the server's Retry-After; the download waits
 *     as queued meanwhile, saying why and when. A try that got further
 *     than any before starts the backoff again.
 *  6. The network: gone, downloads stop and wait as queued until it is
 *     back; metered (and not allowed), new ones wait and running ones
 *     stop, except those started with "Download Anyway"; Power Saver,
 *     fewer connections. Rules 5 and 6 are haul-builtin-engine-waits.c.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "haul-builtin-engine-private.h"
#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-queue-private.h"
#include "haul-request.h"
#include "haul-retry.h"

/* Each download's progress properties change at most this often. */
#define UPDATE_INTERVAL_US  (100 * G_TIME_SPAN_MILLISECOND)
/* Progress flushes (of all downloads) start at least this far apart. */
#define FLUSH_INTERVAL_US   (25 * G_TIME_SPAN_MILLISECOND)
/* The smallest piece a connection takes (files under twice this use one). */
#define MIN_SPLIT           (1024 * 1024)


static void engine_iface_init (HaulEngineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HaulBuiltinEngine, haul_builtin_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HAUL_TYPE_ENGINE, engine_iface_init))

static void schedule   (HaulEngine        *engine);

/* Runs ------------------------------------------------------------------- */

static Run *
run_ref (Run *run)
{
  g_atomic_ref_count_inc (&run->ref_count);
  return run;
}

void
haul_builtin_run_unref (Run *run)
{
  if (!g_atomic_ref_count_dec (&run->ref_count))
    return;

  g_clear_object (&run->download);
  g_clear_pointer (&run->job, haul_transfer_job_free);
  g_clear_pointer (&run->cell, haul_progress_cell_unref);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->store);
  g_clear_pointer (&run->result, haul_transfer_result_free);
  g_clear_pointer (&run->checkpoint, haul_resume_state_free);
  g_clear_pointer (&run->checksum, haul_checksum_spec_free);
  g_mutex_clear (&run->lock);
  g_free (run);
}

/* Coalescing (rules 2 and 3) ---------------------------------------------- */

/* Any thread. */
static void
request_flush (HaulBuiltinEngine *self,
               gboolean           done)
{
  if (done)
    g_atomic_int_set (&self->done_pending, 1);
  else if (!g_atomic_int_compare_and_exchange (&self->progress_pending, 0, 1))
    return;
  g_main_context_wakeup (self->context);
}

typedef struct
{
  GSource            source;
  HaulBuiltinEngine *engine;  /* (unowned) the engine destroys the source */
} FlushSource;

static gboolean
flush_ready (HaulBuiltinEngine *self,
             gint              *timeout)
{
  gint64 wait;

  if (g_atomic_int_get (&self->done_pending))
    {
      *timeout = 0;
      return TRUE;
    }
  if (!g_atomic_int_get (&self->progress_pending))
    {
      *timeout = -1;
      return FALSE;
    }
  wait = self->last_flush + FLUSH_INTERVAL_US - g_get_monotonic_time ();
  if (wait <= 0)
    {
      *timeout = 0;
      return TRUE;
    }
  *timeout = (gint) ((wait + 999) / 1000);
  return FALSE;
}

static gboolean
flush_prepare (GSource *source,
               gint    *timeout)
{
  return flush_ready (((FlushSource *) source)->engine, timeout);
}

static gboolean
flush_check (GSource *source)
{
  gint timeout;

  return flush_ready (((FlushSource *) source)->engine, &timeout);
}

static gboolean flush (HaulBuiltinEngine *self);

static gboolean
flush_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     data)
{
  return flush (((FlushSource *) source)->engine);
}

static GSourceFuncs flush_funcs = {
  flush_prepare,
  flush_check,
  flush_dispatch,
  NULL, NULL, NULL,
};

/* Worker side ------------------------------------------------------------- */

/* From the progress cell (clean → dirty). */
static void
run_dirty_cb (gpointer data)
{
  Run *run = data;

  g_atomic_int_set (&run->dirty, 1);
  request_flush (run->engine, FALSE);
}

/* After the bytes it reports are flushed to disk (rule 4). */
static gboolean
run_checkpoint_cb (const HaulResumeState  *state,
                   gpointer                data,
                   GError                **error)
{
  Run *run = data;

  /* Fenced by the attempt number: see the ordering rules in haul-store.c. */
  if (run->store != NULL && run->id > 0
      && !haul_store_record_checkpoint (run->store, run->id, run->attempt, state, error))
    return FALSE;

  g_mutex_lock (&run->lock);
  g_clear_pointer (&run->checkpoint, haul_resume_state_free);
  run->checkpoint = haul_resume_state_copy (state);
  g_mutex_unlock (&run->lock);
  return TRUE;
}

/* A checksum found (or forgotten) by the worker, applied like a
 * checkpoint (rule 4). */
static void
run_checksum_found_cb (const HaulChecksumSpec *spec,
                       gpointer                data)
{
  Run *run = data;

  g_mutex_lock (&run->lock);
  g_clear_pointer (&run->checksum, haul_checksum_spec_free);
  run->checksum = spec != NULL ? haul_checksum_spec_copy (spec) : NULL;
  run->found = TRUE;
  g_mutex_unlock (&run->lock);
}

static void
worker_func (gpointer data,
             gpointer user_data)
{
  Run *run = data;
  HaulBuiltinEngine *self = user_data;

  run->result = haul_transfer_run (run->job, run->cancellable);

  /* Our reference goes to the main thread with the result. */
  g_mutex_lock (&self->done_lock);
  g_queue_push_tail (&self->done, run);
  g_mutex_unlock (&self->done_lock);
  request_flush (self, TRUE);
}

/* Main thread ------------------------------------------------------------- */

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_handle_id (&entry->retry_source, g_source_remove);
  g_clear_pointer (&entry->limiter, haul_rate_limiter_unref);
  g_clear_object (&entry->download);
  g_free (entry);
}

static Entry *
ensure_entry (HaulBuiltinEngine *self,
              HaulDownload      *download)
{
  Entry *entry = g_hash_table_lookup (self->entries, download);

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->engine = self;
      entry->download = g_object_ref (download);
      entry->limiter = haul_rate_limiter_new (self->limiter);
      haul_rate_limiter_set_rate (entry->limiter, haul_download_get_speed_limit (download));
      g_hash_table_insert (self->entries, download, entry);
    }
  return entry;
}

static void
ensure_workers (HaulBuiltinEngine *self)
{
  guint timeout = haul_queue_get_stall_timeout (self->queue);

  if (self->session == NULL || self->session_timeout != timeout)
    {
      /* The timeout is fixed per session: running jobs keep the old one. */
      g_clear_object (&self->session);
      self->session = haul_request_session_new (timeout);
      self->session_timeout = timeout;
    }

  if (self->pool == NULL)
    {
      g_autoptr(GError) error = NULL;

      /* Non-exclusive: threads come and go with the work, shared with
       * GLib's other pools. No limit here: the engine decides what runs. */
      self->pool = g_thread_pool_new (worker_func, self, -1, FALSE, &error);
      g_assert_no_error (error);
    }
}

static HaulRequestHeaders *
headers_of (HaulDownload *download)
{
  HaulRequestHeaders headers = { NULL, };

  haul_download_get_request_extras (download, (const char **) &headers.authorization,
                                    (const char **) &headers.cookies,
                                    (const char **) &headers.referrer,
                                    (const char **) &headers.user_agent);
  if (headers.authorization == NULL && headers.cookies == NULL && headers.referrer == NULL
      && headers.user_agent == NULL)
    return NULL;
  return haul_request_headers_copy (&headers);
}

static void
start_run (HaulBuiltinEngine *self,
           Entry             *entry)
{
  HaulDownload *download = entry->download;
  HaulStore *store = haul_queue_get_store (self->queue);
  HaulTransferJob *job;
  Run *run;

  ensure_workers (self);

  run = g_new0 (Run, 1);
  g_atomic_ref_count_init (&run->ref_count);
  g_mutex_init (&run->lock);
  run->engine = self;
  run->download = g_object_ref (download);
  run->cancellable = g_cancellable_new ();
  run->cell = haul_progress_cell_new (run_dirty_cb, run);
  if (store != NULL)
    run->store = g_object_ref (store);

  job = haul_transfer_job_new (self->session, run->cell,
                               haul_download_get_uri (download),
                               haul_download_get_folder (download));
  job->resume = haul_resume_state_copy (haul_download_get_resume_state (download));
  job->headers = headers_of (download);
  job->limiter = haul_rate_limiter_ref (entry->limiter);
  job->max_connections = haul_builtin_engine_max_connections (self);
  job->min_split = MIN_SPLIT;
  job->checkpoint = run_checkpoint_cb;
  job->checkpoint_data = run;
  /* Its kind's folder, as the settings are now (rule 11 of haul-transfer.c). */
  if (haul_download_get_by_category (download)
      && haul_queue_get_category_folders (self->queue) != NULL)
    job->categories = haul_category_folders_copy (haul_queue_get_category_folders (self->queue));
  if (haul_download_get_checksum (download) != NULL)
    job->checksum = haul_checksum_spec_copy (haul_download_get_checksum (download));
  job->find_checksum = TRUE;
  job->checksum_other_hosts = haul_queue_get_checksum_other_hosts (self->queue);
  job->checksum_found = run_checksum_found_cb;
  job->sums_cache = haul_checksum_cache_ref (self->sums_cache);
  /* Rule 10 of haul-transfer.c: the folder vanished last time. */
  job->restart_if_gone = haul_download_get_error_code (download) == HAUL_ERROR_FOLDER_GONE;
  haul_download_set_error_code (download, -1);
  run->job = job;

  entry->run = run;
  g_ptr_array_add (self->runs, run);

  /* The store gave the id at the first save. */
  run->id = haul_download_get_id (download);
  if (store != NULL && run->id > 0)
    run->attempt = haul_store_begin_attempt (store, run->id);

  haul_download_set_error_message (download, NULL);
  haul_download_set_checksum_state (download, job->checksum != NULL ? HAUL_CHECKSUM_PENDING
                                                                    : HAUL_CHECKSUM_NONE);
  haul_download_set_checksum_progress (download, 0);
  haul_queue_set_state (self->queue, download, HAUL_DOWNLOAD_CONNECTING);

  g_thread_pool_push (self->pool, run_ref (run), NULL);
}

static gboolean
may_start (HaulBuiltinEngine *self,
           HaulDownload      *download)
{
  Entry *entry;

  if (haul_download_get_state (download) != HAUL_DOWNLOAD_QUEUED)
    return FALSE;
  entry = g_hash_table_lookup (self->entries, download);
  return entry == NULL || (entry->run == NULL && entry->retry_source == 0);
}

/* Starts queued downloads, in list order, while there is room and the
 * scheduled hours allow and the queue is not held; and any asked to start
 * now. */
static void
schedule (HaulEngine *engine)
{
  HaulBuiltinEngine *self = HAUL_BUILTIN_ENGINE (engine);
  gboolean open;
  gboolean held;
  guint max_active;
  guint n;

  if (self->shutting_down || self->queue == NULL || haul_queue_is_shutting_down (self->queue))
    return;

  open = haul_queue_get_schedule_open (self->queue);
  max_active = haul_queue_get_max_active (self->queue);
  held = haul_queue_get_held (self->queue);
  /* Every flush calls this: no walk that would change nothing. */
  if (open && !haul_builtin_engine_walk_needed (self, held, max_active))
    return;
  n = haul_queue_get_length (self->queue);
  for (guint i = 0; i < n; i++)
    {
      HaulDownload *download = haul_queue_peek (self->queue, i);
      Entry *entry;
      HaulWaiting why;
      gboolean now;

      self->n_schedule_steps++;
      if (!may_start (self, download))
        continue;
      /* Rule 6: offline nothing starts; metered only "Download Anyway". */
      entry = g_hash_table_lookup (self->entries, download);
      why = haul_builtin_engine_why_wait (self, entry);
      if (why == HAUL_WAITING_NETWORK)
        {
          haul_download_set_waiting (download, why, 0);
          continue;
        }
      now = haul_queue_take_start_now (self->queue, download);
      if (why == HAUL_WAITING_METERED && !now)
        {
          haul_download_set_waiting (download, why, 0);
          continue;
        }
      if (!open && !now)
        {
          haul_queue_wait_for_schedule (self->queue, download);
          continue;
        }
      if ((held || self->runs->len >= max_active) && !now)
        continue;
      entry = ensure_entry (self, download);
      if (why == HAUL_WAITING_METERED)
        entry->metered_ok = TRUE;
      start_run (self, entry);
      /* A state change may have changed the list. */
      n = haul_queue_get_length (self->queue);
    }
}

void
haul_builtin_engine_schedule (HaulBuiltinEngine *self)
{
  schedule (HAUL_ENGINE (self));
}

/* Rule 6: the run stops (its bytes kept) and the download waits, queued,
 * for @why to pass. */
void
haul_builtin_engine_hold_run (HaulBuiltinEngine *self,
                              Run               *run,
                              HaulWaiting        why)
{
  run->stopping = TRUE;
  run->stop = HAUL_STOP_HOLD;
  run->hold_for = why;
  haul_progress_cell_set_intent (run->cell, HAUL_INTENT_PAUSE);
  g_cancellable_cancel (run->cancellable);
}

/* Rule 4: the latest checkpoint (and checksum found) into the download,
 * outside the lock. */
static void
apply_checkpoint (Run *run)
{
  g_autoptr(HaulResumeState) checkpoint = NULL;
  g_autoptr(HaulChecksumSpec) checksum = NULL;
  gboolean found;

  g_mutex_lock (&run->lock);
  checkpoint = g_steal_pointer (&run->checkpoint);
  checksum = g_steal_pointer (&run->checksum);
  found = run->found;
  run->found = FALSE;
  g_mutex_unlock (&run->lock);

  if (checkpoint != NULL)
    haul_download_set_resume_state (run->download, checkpoint);
  if (found)
    {
      haul_download_set_checksum (run->download, checksum);
      haul_download_set_checksum_state (run->download, checksum != NULL ? HAUL_CHECKSUM_PENDING
                                                                         : HAUL_CHECKSUM_NONE);
    }
}

static void
apply_progress (HaulBuiltinEngine *self,
                Run               *run,
                gint64             now)
{
  g_autoptr(HaulDownload) download = g_object_ref (run->download);
  HaulProgressPhase phase;
  gint64 received;
  gint64 total;

  haul_progress_cell_take (run->cell, &phase, &received, &total);
  apply_checkpoint (run);
  haul_download_set_connections (download, haul_progress_cell_get_connections (run->cell));

  if (phase != HAUL_PROGRESS_CONNECTING
      && haul_download_get_state (download) == HAUL_DOWNLOAD_CONNECTING)
    {
      haul_queue_set_state (self->queue, download, HAUL_DOWNLOAD_DOWNLOADING);
      /* Rule 5; the flush's schedule() starts them. */
      haul_builtin_engine_server_answered (self, download);
    }

  if (haul_download_get_state (download) == HAUL_DOWNLOAD_DOWNLOADING)
    haul_download_update_progress (download, received, total, now);

  /* Hashing after the last byte: :received stays where it is. */
  if (phase == HAUL_PROGRESS_VERIFYING && haul_download_get_checksum (download) != NULL)
    {
      gint64 verified = haul_progress_cell_get_verified (run->cell);

      haul_download_set_checksum_state (download, HAUL_CHECKSUM_VERIFYING);
      haul_download_set_checksum_progress (download, total > 0 ? (double) verified / total : 0);
    }

  run->last_update = now;
}

/* The one flush for every cell and every result (rules 2 and 3). */
static gboolean
flush (HaulBuiltinEngine *self)
{
  g_autoptr(HaulBuiltinEngine) hold = g_object_ref (self);
  gint64 now = g_get_monotonic_time ();
  gboolean left_dirty = FALSE;
  Run *run;

  /* From here on a worker may ask for the next flush. */
  self->last_flush = now;
  g_atomic_int_set (&self->progress_pending, 0);
  g_atomic_int_set (&self->done_pending, 0);
  self->n_flushes++;
  self->max_pending = 1;

  for (guint i = 0; i < self->runs->len; i++)
    {
      run = g_ptr_array_index (self->runs, i);

      if (!g_atomic_int_get (&run->dirty))
        continue;

      /* Updated less than 100 ms ago: leave the cell dirty (it will not
       * call us again) and come back with the next flush. */
      if (run->last_update != 0 && now - run->last_update < UPDATE_INTERVAL_US)
        {
          left_dirty = TRUE;
          continue;
        }

      g_atomic_int_set (&run->dirty, 0);
      run_ref (run);
      apply_progress (self, run, now);
      haul_builtin_run_unref (run);
    }

  for (;;)
    {
      g_mutex_lock (&self->done_lock);
      run = g_queue_pop_head (&self->done);
      g_mutex_unlock (&self->done_lock);

      if (run == NULL)
        break;
      haul_builtin_engine_finish_run (self, run);
      haul_builtin_run_unref (run);
    }

  schedule (HAUL_ENGINE (self));

  if (left_dirty)
    g_atomic_int_set (&self->progress_pending, 1);

  self->max_flush_us = MAX (self->max_flush_us, g_get_monotonic_time () - now);
  return G_SOURCE_CONTINUE;
}

/* Copies what the attempt learned into the download. */
static void
apply_result (Run *run)
{
  HaulDownload *download = run->download;
  HaulTransferResult *result = run->result;

  apply_checkpoint (run);
  haul_download_set_resume_state (download, result->state);
  if (result->notice != NULL)
    haul_download_set_notice (download, result->notice);

  haul_download_set_checksum (download, result->checksum);
  if (g_error_matches (result->error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_MISMATCH))
    haul_download_set_checksum_state (download, HAUL_CHECKSUM_MISMATCH);
  else if (result->verified)
    haul_download_set_checksum_state (download, HAUL_CHECKSUM_VERIFIED);
  else
    haul_download_set_checksum_state (download, result->checksum != NULL ? HAUL_CHECKSUM_PENDING
                                                                          : HAUL_CHECKSUM_NONE);
  if (result->verified)
    haul_download_set_checksum_progress (download, 1);
  haul_download_set_progress (download, MAX (result->received, 0), result->state->total, 0, -1);
}

void
haul_builtin_engine_finish_run (HaulBuiltinEngine *self,
            Run               *run)
{
  g_autoptr(HaulDownload) download = g_object_ref (run->download);
  const GError *error;
  Entry *entry;
  gboolean member;

  g_ptr_array_remove (self->runs, run);
  /* The last progress, even if rate-limited, so that every state
   * (downloading too) is seen in order. */
  g_atomic_int_set (&run->dirty, 0);
  apply_progress (self, run, g_get_monotonic_time ());
  apply_result (run);
  error = run->result->error;

  /* Only now: a handler of what the two above notified may have removed
   * the download, freeing its entry. Until here the entry still named
   * this run, so such a removal waits for haul_queue_run_ended(). */
  entry = g_hash_table_lookup (self->entries, download);
  if (entry != NULL && entry->run == run)
    entry->run = NULL;
  member = haul_queue_contains (self->queue, download);

  /* Rule 5: further than ever, the backoff starts again. An outage of
   * minutes does not make the next cut wait as long, and a long download
   * over a flaky line is not failed by cuts it got past. */
  if (entry != NULL && run->result->received > entry->furthest)
    {
      entry->furthest = run->result->received;
      entry->attempts = 0;
    }

  if (error == NULL)
    {
      if (entry != NULL)
        entry->attempts = 0;
      haul_download_set_error (download, NULL);
      haul_queue_set_state (self->queue, download, HAUL_DOWNLOAD_COMPLETED);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      HaulStop how = run->stopping ? run->stop : HAUL_STOP_HOLD;

      switch (how)
        {
        case HAUL_STOP_CANCEL:
          haul_queue_set_state (self->queue, download, HAUL_DOWNLOAD_CANCELLED);
          break;
        case HAUL_STOP_HOLD:
          /* Recorded as queued: it resumes at the next start, or when
           * what it waits for passes (rule 6). */
          haul_queue_set_state (self->queue, download, HAUL_DOWNLOAD_QUEUED);
          if (run->hold_for != HAUL_WAITING_NONE)
            haul_download_set_waiting (download, haul_builtin_engine_why_wait (self, entry), 0);
          haul_queue_save (self->queue, download);
          break;
        case HAUL_STOP_PAUSE:
        case HAUL_STOP_REMOVE:
        default:
          haul_queue_set_state (self->queue, download, HAUL_DOWNLOAD_PAUSED);
          break;
        }
    }
  else if (haul_builtin_engine_is_temporary (error) && entry != NULL && member
           && !self->shutting_down
           && entry->attempts < HAUL_RETRY_MAX_TRIES)
    {
      haul_download_set_error_code (download, error->code);
      haul_builtin_engine_wait_to_retry (self, entry, run);
    }
  else
    {
      if (entry != NULL)
        entry->attempts = 0;
      haul_download_set_error (download, error);
      haul_queue_set_state (self->queue, download, HAUL_DOWNLOAD_FAILED);
    }

  /* Gone from the list: nothing more to keep for it. */
  if (!haul_queue_contains (self->queue, download))
    g_hash_table_remove (self->entries, download);
  haul_queue_run_ended (self->queue, download);
}

/* HaulEngine ------------------------------------------------------------- */

static void
attach (HaulEngine *engine,
        HaulQueue  *queue)
{
  HaulBuiltinEngine *self = HAUL_BUILTIN_ENGINE (engine);

  g_return_if_fail (self->queue == NULL);

  self->queue = queue;
  haul_rate_limiter_set_rate (self->limiter, haul_queue_get_effective_speed_limit (queue));
  haul_builtin_engine_watch (self);
}

static gboolean
stop (HaulEngine   *engine,
      HaulDownload *download,
      HaulStop      how)
{
  HaulBuiltinEngine *self = HAUL_BUILTIN_ENGINE (engine);
  Entry *entry = g_hash_table_lookup (self->entries, download);

  if (entry == NULL)
    return FALSE;

  if (entry->run != NULL)
    {
      Run *run = entry->run;

      /* Bytes are always kept: the queue decides when a cancelled or
       * removed download's partial goes (for undo). The user's pause wins
       * over waiting for the network (rule 6). */
      if (!run->stopping || how != HAUL_STOP_PAUSE || run->hold_for != HAUL_WAITING_NONE)
        {
          run->stopping = TRUE;
          run->stop = how;
          run->hold_for = HAUL_WAITING_NONE;
        }
      haul_progress_cell_set_intent (run->cell, HAUL_INTENT_PAUSE);
      g_cancellable_cancel (run->cancellable);
      return TRUE;
    }

  g_clear_handle_id (&entry->retry_source, g_source_remove);
  entry->attempts = 0;
  haul_download_set_waiting (download, HAUL_WAITING_NONE, 0);
  if (how == HAUL_STOP_REMOVE)
    g_hash_table_remove (self->entries, download);
  return FALSE;
}

static void
retry_now (HaulEngine   *engine,
           HaulDownload *download)
{
  HaulBuiltinEngine *self = HAUL_BUILTIN_ENGINE (engine);
  Entry *entry = g_hash_table_lookup (self->entries, download);

  if (entry == NULL || entry->retry_source == 0)
    return;
  g_clear_handle_id (&entry->retry_source, g_source_remove);
  haul_download_set_waiting (download, HAUL_WAITING_NONE, 0);
  schedule (engine);
}

static void
settings_changed (HaulEngine *engine)
{
  HaulBuiltinEngine *self = HAUL_BUILTIN_ENGINE (engine);
  GHashTableIter iter;
  gpointer value;

  haul_rate_limiter_set_rate (self->limiter, haul_queue_get_effective_speed_limit (self->queue));
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;

      haul_rate_limiter_set_rate (entry->limiter, haul_download_get_speed_limit (entry->download));
    }
  /* allow-metered may have changed (rule 6). */
  haul_builtin_engine_review (self);
}

static void
engine_iface_init (HaulEngineInterface *iface)
{
  iface->attach = attach;
  iface->schedule = schedule;
  iface->stop = stop;
  iface->retry_now = retry_now;
  iface->settings_changed = settings_changed;
  iface->shutdown = haul_builtin_engine_shutdown;
  iface->shutdown_async = haul_builtin_engine_shutdown_async;
  iface->shutdown_finish = haul_builtin_engine_shutdown_finish;
}

/* GObject --------------------------------------------------------------- */

static void
haul_builtin_engine_dispose (GObject *object)
{
  HaulBuiltinEngine *self = HAUL_BUILTIN_ENGINE (object);

  haul_builtin_engine_shutdown (HAUL_ENGINE (self));
  haul_builtin_engine_unwatch (self);
  if (self->flush_source != NULL)
    {
      g_source_destroy (self->flush_source);
      g_clear_pointer (&self->flush_source, g_source_unref);
    }
  g_hash_table_remove_all (self->entries);

  G_OBJECT_CLASS (haul_builtin_engine_parent_class)->dispose (object);
}

static void
haul_builtin_engine_finalize (GObject *object)
{
  HaulBuiltinEngine *self = HAUL_BUILTIN_ENGINE (object);

  g_assert (self->pool == NULL);
  g_assert (self->runs->len == 0);
  g_assert (g_queue_is_empty (&self->done));

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_object (&self->session);
  g_clear_pointer (&self->limiter, haul_rate_limiter_unref);
  g_clear_pointer (&self->sums_cache, haul_checksum_cache_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->done_lock);

  G_OBJECT_CLASS (haul_builtin_engine_parent_class)->finalize (object);
}

static void
haul_builtin_engine_class_init (HaulBuiltinEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = haul_builtin_engine_dispose;
  object_class->finalize = haul_builtin_engine_finalize;
}

static void
haul_builtin_engine_init (HaulBuiltinEngine *self)
{
  FlushSource *source;

  self->entries = g_hash_table_new_full (NULL, NULL, NULL, entry_free);
  self->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) haul_builtin_run_unref);
  self->limiter = haul_rate_limiter_new (NULL);
  self->sums_cache = haul_checksum_cache_new ();
  self->retry_delay = haul_retry_delay;
  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->done_lock);
  g_queue_init (&self->done);

  /* Rule 2: made and attached here, on the main thread, once. */
  source = (FlushSource *) g_source_new (&flush_funcs, sizeof (FlushSource));
  source->engine = self;
  g_source_set_priority (&source->source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_static_name (&source->source, "[haul] engine flush");
  g_source_attach (&source->source, self->context);
  self->flush_source = &source->source;
}

HaulEngine *
haul_builtin_engine_new (void)
{
  return g_object_new (HAUL_TYPE_BUILTIN_ENGINE, NULL);
}

guint
haul_builtin_engine_get_n_flushes (HaulBuiltinEngine *self)
{
  g_return_val_if_fail (HAUL_IS_BUILTIN_ENGINE (self), 0);
  return self->n_flushes;
}

guint64
haul_builtin_engine_get_n_schedule_steps (HaulBuiltinEngine *self)
{
  g_return_val_if_fail (HAUL_IS_BUILTIN_ENGINE (self), 0);
  return self->n_schedule_steps;
}

guint
haul_builtin_engine_get_max_pending (HaulBuiltinEngine *self)
{
  g_return_val_if_fail (HAUL_IS_BUILTIN_ENGINE (self), 0);
  return self->max_pending;
}

gint64
haul_builtin_engine_get_max_flush_us (HaulBuiltinEngine *self)
{
  g_return_val_if_fail (HAUL_IS_BUILTIN_ENGINE (self), 0);
  return self->max_flush_us;
}

void
haul_builtin_engine_set_retry_delay_func (HaulBuiltinEngine  *self,
                                          HaulRetryDelayFunc  func)
{
  g_return_if_fail (HAUL_IS_BUILTIN_ENGINE (self));
  self->retry_delay = func != NULL ? func : haul_retry_delay;
}
