/* haul-queue.c: the list of downloads and the workers that run them
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-progress.h"
#include "haul-queue-private.h"
#include "haul-transfer.h"

#define DEFAULT_MAX_ACTIVE     3
#define DEFAULT_STALL_TIMEOUT  30
/* Each download's progress properties change at most this often. */
#define UPDATE_INTERVAL_US     (100 * G_TIME_SPAN_MILLISECOND)
/* Flushes (of all downloads) start at least this far apart: at most 40 a
 * second however many downloads run, yet a finished download frees its
 * slot for the next one quickly. */
#define FLUSH_INTERVAL_US      (25 * G_TIME_SPAN_MILLISECOND)
/* Resumable failures (truncated, network, stalled) are retried this many
 * times, after 1 s, 2 s, 4 s…, before the download shows as failed. */
#define MAX_AUTO_RETRIES       3

/* One attempt at one download: what the worker needs, plus what it hands
 * back. Created and freed on the main thread; the worker only reads @job,
 * writes @result and the checkpoint copy, and passes its reference back
 * through the done list, so the last unref always happens on the main
 * thread. */
typedef struct
{
  gatomicrefcount   ref_count;
  HaulQueue        *queue;        /* (unowned) outlives every worker: dispose joins the pool */
  HaulDownload     *download;     /* (owned) main thread only */
  HaulTransferJob  *job;          /* (owned) */
  HaulProgressCell *cell;         /* (owned) */
  GCancellable     *cancellable;  /* (owned) */
  HaulStore        *store;        /* (owned) (nullable) */
  gint64            id;           /* the download's store id, for checkpoints */
  guint             attempt;      /* the store's attempt number of this run */
  gint              dirty;        /* (atomic) the cell changed since the last flush */
  gint64            last_update;  /* main thread: monotonic µs of the last progress notify */
  gboolean          removed;      /* main thread: the download left the list meanwhile */
  HaulTransferResult *result;     /* (owned) set by the worker before handing back */

  GMutex            lock;         /* protects the latest checkpoint below */
  gboolean          has_checkpoint;
  char             *cp_final_uri;
  char             *cp_file_name;
  char             *cp_partial_path;
  char             *cp_etag;
  char             *cp_last_modified;
  char             *cp_content_type;
  gint64            cp_confirmed;
} Run;

/* The queue's bookkeeping for one download in its list (main thread). */
typedef struct
{
  HaulQueue    *queue;           /* (unowned) owns this entry */
  HaulDownload *download;        /* (unowned) the list holds it */
  Run          *run;             /* (nullable) (unowned) the attempt in flight */
  guint         attempts;        /* automatic retries so far */
  guint         retry_source;    /* waiting before an automatic retry */
  gboolean      error_resumable; /* the last failure kept a usable partial */
} Entry;

struct _HaulQueue
{
  GObject       parent_instance;

  GPtrArray    *items;          /* (owned) HaulDownload, the list model */
  GHashTable   *entries;        /* (owned) HaulDownload* → Entry* */
  GPtrArray    *runs;           /* (owned) Run* (a reference each): attempts not yet finished */
  HaulStore    *store;          /* (owned) (nullable) */
  GMainContext *context;        /* (owned) the main thread's */

  guint         max_active;
  guint         stall_timeout;
  guint         n_active;
  gboolean      shutting_down;

  GThreadPool  *pool;           /* (owned) (nullable) created with the first run */
  SoupSession  *session;        /* (owned) (nullable) */
  guint         session_conns;  /* max_conns of @session */

  /* Coalescing: set 0→1 by whoever schedules the one flush source. */
  gint          flush_pending;  /* (atomic) */
  GMutex        flush_lock;     /* protects flush_source */
  guint         flush_source;
  gint          n_pending_idle; /* (atomic) sources scheduled and not yet run */
  gint          max_pending_idle; /* (atomic) */
  guint         n_flushes;
  gint64        max_flush_us;   /* longest flush so far, for tests and the probe */
  gint64        last_flush;     /* (atomic) monotonic µs the last flush began */

  GMutex        done_lock;      /* protects done */
  GQueue        done;           /* Run* handed back by workers (owned refs) */
};

static void g_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HaulQueue, haul_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      g_list_model_iface_init))

enum {
  PROP_0,
  PROP_MAX_ACTIVE,
  PROP_N_ACTIVE,
  PROP_STALL_TIMEOUT,
  PROP_STORE,
  N_PROPS
};

enum {
  DOWNLOAD_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void schedule     (HaulQueue *self);
static void finish_run   (HaulQueue *self,
                          Run       *run);

/* Runs ---------------------------------------------------------------- */

static Run *
run_ref (Run *run)
{
  g_atomic_ref_count_inc (&run->ref_count);
  return run;
}

static void
run_unref (Run *run)
{
  if (!g_atomic_ref_count_dec (&run->ref_count))
    return;

  g_clear_object (&run->download);
  g_clear_pointer (&run->job, haul_transfer_job_free);
  g_clear_pointer (&run->cell, haul_progress_cell_unref);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->store);
  g_clear_pointer (&run->result, haul_transfer_result_free);
  g_mutex_clear (&run->lock);
  g_free (run->cp_final_uri);
  g_free (run->cp_file_name);
  g_free (run->cp_partial_path);
  g_free (run->cp_etag);
  g_free (run->cp_last_modified);
  g_free (run->cp_content_type);
  g_free (run);
}

/* Worker thread: a flush is needed (dirty cell or a result). Only the
 * first caller since the last flush adds a source, so at most one is ever
 * pending for the whole queue. */
static gboolean flush_cb (gpointer data);

static void
note_pending (HaulQueue *self)
{
  gint n = g_atomic_int_add (&self->n_pending_idle, 1) + 1;
  gint max;

  while (n > (max = g_atomic_int_get (&self->max_pending_idle)))
    if (g_atomic_int_compare_and_exchange (&self->max_pending_idle, max, n))
      break;
}

/* Any thread: a flush is needed (a dirty cell or a result). Only the
 * first caller since the last flush adds a source, so at most one is ever
 * pending for the whole queue; and flushes are at least FLUSH_INTERVAL_US
 * apart, however many downloads run. */
static void
request_flush (HaulQueue *self)
{
  GSource *source;
  gint64 last;
  gint64 delay;

  if (!g_atomic_int_compare_and_exchange (&self->flush_pending, 0, 1))
    return;

  last = __atomic_load_n (&self->last_flush, __ATOMIC_ACQUIRE);
  delay = last == 0 ? 0 : last + FLUSH_INTERVAL_US - g_get_monotonic_time ();

  if (delay <= 0)
    source = g_idle_source_new ();
  else
    source = g_timeout_source_new ((guint) ((delay + 999) / 1000));
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, flush_cb, self, NULL);
  g_source_set_static_name (source, "[haul] queue flush");

  /* The lock makes the flush (or shutdown) see the id of the source it
   * belongs to, even if it fires before g_source_attach returns. */
  g_mutex_lock (&self->flush_lock);
  note_pending (self);
  self->flush_source = g_source_attach (source, self->context);
  g_mutex_unlock (&self->flush_lock);
  g_source_unref (source);
}

/* Main thread, once no worker runs: drops a pending flush source. */
static void
cancel_flush (HaulQueue *self)
{
  g_mutex_lock (&self->flush_lock);
  if (self->flush_source != 0)
    {
      GSource *source = g_main_context_find_source_by_id (self->context, self->flush_source);

      if (source != NULL)
        g_source_destroy (source);
      self->flush_source = 0;
      g_atomic_int_add (&self->n_pending_idle, -1);
    }
  g_mutex_unlock (&self->flush_lock);
  g_atomic_int_set (&self->flush_pending, 0);
}

/* Worker thread, from the progress cell (clean → dirty). */
static void
run_dirty_cb (gpointer data)
{
  Run *run = data;

  g_atomic_int_set (&run->dirty, 1);
  request_flush (run->queue);
}

/* Worker thread, after the bytes it reports are flushed to disk. */
static void
run_checkpoint_cb (const HaulCheckpoint *checkpoint,
                   gpointer              data)
{
  Run *run = data;

  /* Fenced by the attempt number: see the ordering rules in haul-store.c. */
  if (run->store != NULL && run->id > 0)
    haul_store_record_attempt_checkpoint (run->store, run->id, run->attempt, checkpoint);

  g_mutex_lock (&run->lock);
  run->has_checkpoint = TRUE;
  g_free (run->cp_final_uri);
  run->cp_final_uri = g_strdup (checkpoint->final_uri);
  g_free (run->cp_file_name);
  run->cp_file_name = g_strdup (checkpoint->file_name);
  g_free (run->cp_partial_path);
  run->cp_partial_path = g_strdup (checkpoint->partial_path);
  g_free (run->cp_etag);
  run->cp_etag = g_strdup (checkpoint->etag);
  g_free (run->cp_last_modified);
  run->cp_last_modified = g_strdup (checkpoint->last_modified);
  g_free (run->cp_content_type);
  run->cp_content_type = g_strdup (checkpoint->content_type);
  run->cp_confirmed = checkpoint->confirmed;
  g_mutex_unlock (&run->lock);
}

/* Pool thread. */
/* Downloads are background work: when the cores are busy (a fast local
 * server, several downloads), the main thread must win them, or the window
 * waits for a core while workers copy bytes. Linux nice values are per
 * thread; a pool thread keeps it if GLib later lends it to other
 * background work, which is as it should be. */
static void
lower_thread_priority (void)
{
  static GPrivate lowered;

  if (g_private_get (&lowered) != NULL)
    return;
  g_private_set (&lowered, GINT_TO_POINTER (1));
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10) != 0)
    g_debug ("Could not lower a worker's priority: %s", g_strerror (errno));
}

static void
worker_func (gpointer data,
             gpointer user_data)
{
  Run *run = data;
  HaulQueue *self = user_data;

  lower_thread_priority ();
  run->result = haul_transfer_run (run->job, run->cancellable);

  /* Our reference goes to the main thread with the result. */
  g_mutex_lock (&self->done_lock);
  g_queue_push_tail (&self->done, run);
  g_mutex_unlock (&self->done_lock);

  request_flush (self);
}

/* Main thread helpers ------------------------------------------------- */

static Entry *
lookup_entry (HaulQueue    *self,
              HaulDownload *download)
{
  return g_hash_table_lookup (self->entries, download);
}

static gboolean
contains (HaulQueue    *self,
          HaulDownload *download)
{
  return lookup_entry (self, download) != NULL;
}

static void
save (HaulQueue    *self,
      HaulDownload *download)
{
  if (self->store != NULL && contains (self, download))
    haul_store_save (self->store, download);
}

static void
update_n_active (HaulQueue *self)
{
  guint n = 0;

  for (guint i = 0; i < self->items->len; i++)
    if (haul_download_is_active (g_ptr_array_index (self->items, i)))
      n++;

  if (n == self->n_active)
    return;
  self->n_active = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ACTIVE]);
}

static gboolean
is_final (HaulDownloadState state)
{
  return state == HAUL_DOWNLOAD_COMPLETED ||
         state == HAUL_DOWNLOAD_FAILED ||
         state == HAUL_DOWNLOAD_CANCELLED;
}

/* Every state change goes through here: the store records it. */
static void
set_state (HaulQueue         *self,
           HaulDownload      *download,
           HaulDownloadState  state)
{
  if (haul_download_get_state (download) == state)
    return;

  if (is_final (state))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      haul_download_set_finished (download, now);
    }
  else
    {
      haul_download_set_finished (download, NULL);
    }

  haul_download_set_state (download, state);
  save (self, download);
  update_n_active (self);
}

static void
delete_file_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  const char *path = task_data;

  if (g_unlink (path) != 0 && errno != ENOENT)
    g_debug ("Could not remove %s: %s", path, g_strerror (errno));
  g_task_return_boolean (task, TRUE);
}

/* Removes a partial file without blocking the main thread on the disk. */
static void
delete_file_async (const char *path)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_source_tag (task, delete_file_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, delete_file_thread);
}

/* Forgets where a download was: the next attempt starts from zero. The
 * file name stays (the row keeps showing it; the transfer claims it, or a
 * free variant of it, again). */
static void
clear_resume_state (HaulDownload *download,
                    gboolean      delete_partial)
{
  const char *partial = haul_download_get_partial_path (download);

  if (delete_partial && partial != NULL)
    delete_file_async (partial);

  haul_download_set_partial_path (download, NULL);
  haul_download_set_validators (download, NULL, NULL);
  haul_download_set_confirmed (download, 0);
  haul_download_set_progress (download, 0, haul_download_get_total (download), 0, -1);
}

static void
ensure_workers (HaulQueue *self)
{
  if (self->session == NULL || self->session_conns < self->max_active)
    {
      /* max-conns is construct-only in libsoup: a larger limit needs a new
       * session. Running jobs keep their reference to the old one. */
      g_clear_object (&self->session);
      self->session = haul_transfer_session_new (self->max_active, self->stall_timeout);
      self->session_conns = self->max_active;
    }

  if (self->pool == NULL)
    {
      g_autoptr(GError) error = NULL;

      /* Non-exclusive: threads come and go with the work, shared with
       * GLib's other pools, instead of max-active idle ones. */
      self->pool = g_thread_pool_new (worker_func, self, self->max_active, FALSE, &error);
      g_assert_no_error (error);
    }
}

static void
start_run (HaulQueue *self,
           Entry     *entry)
{
  HaulDownload *download = entry->download;
  HaulTransferJob *job;
  Run *run;

  ensure_workers (self);

  run = g_new0 (Run, 1);
  g_atomic_ref_count_init (&run->ref_count);
  g_mutex_init (&run->lock);
  run->queue = self;
  run->download = g_object_ref (download);
  run->cancellable = g_cancellable_new ();
  run->cell = haul_progress_cell_new (run_dirty_cb, run);
  if (self->store != NULL)
    run->store = g_object_ref (self->store);

  job = haul_transfer_job_new (self->session, run->cell,
                               haul_download_get_uri (download),
                               haul_download_get_folder (download));
  job->file_name = g_strdup (haul_download_get_file_name (download));
  job->partial_path = g_strdup (haul_download_get_partial_path (download));
  job->etag = g_strdup (haul_download_get_etag (download));
  job->last_modified = g_strdup (haul_download_get_last_modified (download));
  job->confirmed = haul_download_get_confirmed (download);
  if (job->partial_path != NULL)
    job->total = haul_download_get_total (download);
  job->stall_timeout = self->stall_timeout;
  job->checkpoint = run_checkpoint_cb;
  job->checkpoint_data = run;
  run->job = job;

  entry->run = run;
  g_ptr_array_add (self->runs, run);

  /* The store gave the id at the first save (in add or restore). */
  run->id = haul_download_get_id (download);
  if (self->store != NULL && run->id > 0)
    run->attempt = haul_store_begin_attempt (self->store, run->id);

  haul_download_set_error_message (download, NULL);
  set_state (self, download, HAUL_DOWNLOAD_CONNECTING);

  g_thread_pool_push (self->pool, run_ref (run), NULL);
}

/* Starts queued downloads, in list order, while there is room. */
static void
schedule (HaulQueue *self)
{
  if (self->shutting_down)
    return;

  for (guint i = 0; i < self->items->len && self->runs->len < self->max_active; i++)
    {
      HaulDownload *download = g_ptr_array_index (self->items, i);
      Entry *entry;

      if (haul_download_get_state (download) != HAUL_DOWNLOAD_QUEUED)
        continue;

      entry = lookup_entry (self, download);
      if (entry->run != NULL || entry->retry_source != 0)
        continue;

      start_run (self, entry);
    }
}

/* Copies the latest durable checkpoint into the download, so that a save
 * of it never records less than the worker already did. */
static void
apply_checkpoint (Run *run)
{
  HaulDownload *download = run->download;

  g_mutex_lock (&run->lock);
  if (run->has_checkpoint)
    {
      if (run->cp_final_uri != NULL)
        haul_download_set_final_uri (download, run->cp_final_uri);
      if (run->cp_file_name != NULL)
        haul_download_set_file_name (download, run->cp_file_name);
      if (run->cp_content_type != NULL)
        haul_download_set_content_type (download, run->cp_content_type);
      haul_download_set_partial_path (download, run->cp_partial_path);
      haul_download_set_validators (download, run->cp_etag, run->cp_last_modified);
      haul_download_set_confirmed (download, run->cp_confirmed);
      run->has_checkpoint = FALSE;
    }
  g_mutex_unlock (&run->lock);
}

static void
apply_progress (HaulQueue *self,
                Run       *run,
                gint64     now)
{
  HaulProgressPhase phase;
  gint64 received;
  gint64 total;

  haul_progress_cell_take (run->cell, &phase, &received, &total);
  apply_checkpoint (run);

  if (phase == HAUL_PROGRESS_DOWNLOADING &&
      haul_download_get_state (run->download) == HAUL_DOWNLOAD_CONNECTING)
    set_state (self, run->download, HAUL_DOWNLOAD_DOWNLOADING);

  if (haul_download_get_state (run->download) == HAUL_DOWNLOAD_DOWNLOADING)
    haul_download_update_progress (run->download, received, total, now);

  run->last_update = now;
}

/* Main thread: the one flush for every cell and every result. */
static gboolean
flush_cb (gpointer data)
{
  HaulQueue *self = data;
  gint64 now = g_get_monotonic_time ();
  gboolean left_dirty = FALSE;
  Run *run;

  g_mutex_lock (&self->flush_lock);
  self->flush_source = 0;
  g_mutex_unlock (&self->flush_lock);
  g_atomic_int_add (&self->n_pending_idle, -1);
  __atomic_store_n (&self->last_flush, now, __ATOMIC_RELEASE);
  /* From here on a worker may schedule the next flush. */
  g_atomic_int_set (&self->flush_pending, 0);
  self->n_flushes++;

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
      apply_progress (self, run, now);
    }

  for (;;)
    {
      g_mutex_lock (&self->done_lock);
      run = g_queue_pop_head (&self->done);
      g_mutex_unlock (&self->done_lock);

      if (run == NULL)
        break;
      finish_run (self, run);
      run_unref (run);
    }

  schedule (self);

  if (left_dirty)
    request_flush (self);

  self->max_flush_us = MAX (self->max_flush_us, g_get_monotonic_time () - now);

  return G_SOURCE_REMOVE;
}

static gboolean
retry_timeout_cb (gpointer data)
{
  Entry *entry = data;

  entry->retry_source = 0;
  schedule (entry->queue);
  return G_SOURCE_REMOVE;
}

static gboolean
is_auto_retryable (const GError *error)
{
  return g_error_matches (error, HAUL_ERROR, HAUL_ERROR_TRUNCATED) ||
         g_error_matches (error, HAUL_ERROR, HAUL_ERROR_NETWORK) ||
         g_error_matches (error, HAUL_ERROR, HAUL_ERROR_STALLED);
}

/* Copies what the attempt learned into the download. */
static void
apply_result (Run *run)
{
  HaulDownload *download = run->download;
  HaulTransferResult *result = run->result;

  apply_checkpoint (run);

  if (result->final_uri != NULL)
    haul_download_set_final_uri (download, result->final_uri);
  if (result->file_name != NULL)
    haul_download_set_file_name (download, result->file_name);
  if (result->content_type != NULL)
    haul_download_set_content_type (download, result->content_type);

  if (result->partial_path != NULL)
    {
      haul_download_set_partial_path (download, result->partial_path);
      haul_download_set_validators (download, result->etag, result->last_modified);
      haul_download_set_confirmed (download, result->received);
    }
  else if (result->error == NULL)
    {
      /* Renamed onto its final name: nothing left to resume. */
      haul_download_set_partial_path (download, NULL);
      haul_download_set_validators (download, result->etag, result->last_modified);
      haul_download_set_confirmed (download, result->received);
    }
  else
    {
      /* No partial file (never created, or removed): start from zero. */
      haul_download_set_partial_path (download, NULL);
      haul_download_set_validators (download, NULL, NULL);
      haul_download_set_confirmed (download, 0);
    }

  if (result->restarted)
    haul_download_set_notice (download,
                              _("The file changed on the server; "
                                "the download started again from the beginning"));

  haul_download_set_progress (download,
                              MAX (result->received, 0),
                              result->total,
                              0, -1);
}

static void
finish_run (HaulQueue *self,
            Run       *run)
{
  HaulDownload *download = run->download;
  const GError *error;
  HaulIntent intent;
  Entry *entry;

  g_ptr_array_remove (self->runs, run);
  entry = lookup_entry (self, download);
  if (entry != NULL && entry->run == run)
    entry->run = NULL;

  /* Removed from the list while it ran: the worker deleted the partial. */
  if (run->removed || entry == NULL)
    return;

  /* The last progress, even if rate-limited, so that every state
   * (downloading too) is seen in order. */
  g_atomic_int_set (&run->dirty, 0);
  apply_progress (self, run, g_get_monotonic_time ());
  apply_result (run);
  error = run->result->error;
  intent = haul_progress_cell_get_intent (run->cell);

  if (error == NULL)
    {
      entry->attempts = 0;
      haul_download_set_error_message (download, NULL);
      set_state (self, download, HAUL_DOWNLOAD_COMPLETED);
      save (self, download);
      g_signal_emit (self, signals[DOWNLOAD_FINISHED], 0, download);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      switch (intent)
        {
        case HAUL_INTENT_CANCEL:
          clear_resume_state (download, FALSE);
          set_state (self, download, HAUL_DOWNLOAD_CANCELLED);
          break;

        case HAUL_INTENT_SHUTDOWN:
          /* Recorded as queued: it resumes at the next start. */
          set_state (self, download, HAUL_DOWNLOAD_QUEUED);
          break;

        case HAUL_INTENT_PAUSE:
        case HAUL_INTENT_NONE:
        default:
          set_state (self, download, HAUL_DOWNLOAD_PAUSED);
          break;
        }
      save (self, download);
    }
  else if (is_auto_retryable (error) &&
           entry->attempts < MAX_AUTO_RETRIES &&
           !self->shutting_down)
    {
      guint delay = 1u << entry->attempts;

      entry->attempts++;
      g_debug ("Retrying %s in %u s after: %s",
               haul_download_get_uri (download), delay, error->message);
      /* Before the state changes: a handler of it may remove the download
       * (and the entry with its timer). */
      entry->retry_source = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, delay,
                                                        retry_timeout_cb, entry, NULL);
      set_state (self, download, HAUL_DOWNLOAD_QUEUED);
      save (self, download);
    }
  else
    {
      entry->error_resumable = haul_error_is_resumable (error);
      haul_download_set_error_message (download, error->message);
      set_state (self, download, HAUL_DOWNLOAD_FAILED);
      save (self, download);
      g_signal_emit (self, signals[DOWNLOAD_FINISHED], 0, download);
    }
}

/* GListModel ------------------------------------------------------------ */

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

/* GObject --------------------------------------------------------------- */

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_handle_id (&entry->retry_source, g_source_remove);
  g_free (entry);
}

static void
haul_queue_dispose (GObject *object)
{
  HaulQueue *self = (HaulQueue *)object;

  haul_queue_shutdown (self);
  /* add() after shutdown may have asked for one more flush. */
  cancel_flush (self);

  g_hash_table_remove_all (self->entries);
  g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (haul_queue_parent_class)->dispose (object);
}

static void
haul_queue_finalize (GObject *object)
{
  HaulQueue *self = (HaulQueue *)object;

  g_assert (self->pool == NULL);
  g_assert (self->runs->len == 0);
  g_assert (g_queue_is_empty (&self->done));

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->store);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->flush_lock);
  g_mutex_clear (&self->done_lock);

  G_OBJECT_CLASS (haul_queue_parent_class)->finalize (object);
}

static void
haul_queue_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  HaulQueue *self = HAUL_QUEUE (object);

  switch (prop_id)
    {
    case PROP_MAX_ACTIVE:
      g_value_set_uint (value, self->max_active);
      break;
    case PROP_N_ACTIVE:
      g_value_set_uint (value, self->n_active);
      break;
    case PROP_STALL_TIMEOUT:
      g_value_set_uint (value, self->stall_timeout);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_queue_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  HaulQueue *self = HAUL_QUEUE (object);

  switch (prop_id)
    {
    case PROP_MAX_ACTIVE:
      haul_queue_set_max_active (self, g_value_get_uint (value));
      break;
    case PROP_STALL_TIMEOUT:
      if (self->stall_timeout != g_value_get_uint (value))
        {
          /* Applies to attempts started from now on. */
          self->stall_timeout = g_value_get_uint (value);
          g_clear_object (&self->session);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_queue_class_init (HaulQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = haul_queue_dispose;
  object_class->finalize = haul_queue_finalize;
  object_class->get_property = haul_queue_get_property;
  object_class->set_property = haul_queue_set_property;

  /* How many downloads may connect or download at once. */
  properties[PROP_MAX_ACTIVE] =
    g_param_spec_uint ("max-active", NULL, NULL,
                       1, 64, DEFAULT_MAX_ACTIVE,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Queued + connecting + downloading (to inhibit suspend, warn on quit). */
  properties[PROP_N_ACTIVE] =
    g_param_spec_uint ("n-active", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Seconds without a byte before an attempt fails as stalled. */
  properties[PROP_STALL_TIMEOUT] =
    g_param_spec_uint ("stall-timeout", NULL, NULL,
                       1, 3600, DEFAULT_STALL_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         HAUL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

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
}

static void
haul_queue_init (HaulQueue *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->entries = g_hash_table_new_full (NULL, NULL, NULL, entry_free);
  self->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_unref);
  self->context = g_main_context_ref_thread_default ();
  self->max_active = DEFAULT_MAX_ACTIVE;
  self->stall_timeout = DEFAULT_STALL_TIMEOUT;
  g_mutex_init (&self->flush_lock);
  g_mutex_init (&self->done_lock);
  g_queue_init (&self->done);
}

/* API ------------------------------------------------------------------- */

/**
 * haul_queue_new:
 * @store: (nullable): where to record the queue, or %NULL
 */
HaulQueue *
haul_queue_new (HaulStore *store)
{
  g_return_val_if_fail (store == NULL || HAUL_IS_STORE (store), NULL);

  return g_object_new (HAUL_TYPE_QUEUE, "store", store, NULL);
}

static gboolean
check_uri (const char  *uri,
           GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;
  const char *host;

  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  scheme = parsed != NULL ? g_uri_get_scheme (parsed) : NULL;

  if (scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL,
                   _("“%s” is not a web address (only http and https are supported)"),
                   uri);
      return FALSE;
    }

  host = g_uri_get_host (parsed);
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL,
                   _("“%s” is not a complete web address: the server name is missing"),
                   uri);
      return FALSE;
    }

  return TRUE;
}

static void
append (HaulQueue    *self,
        HaulDownload *download)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->queue = self;
  entry->download = download;
  g_hash_table_insert (self->entries, download, entry);
  g_ptr_array_add (self->items, g_object_ref (download));
}

/**
 * haul_queue_add:
 * @uri: an http or https URL
 * @folder: where the file goes
 *
 * Returns: (transfer none): the new download, queued; %NULL and
 *   %HAUL_ERROR_INVALID_URL if @uri is not an http(s) URL with a host.
 */
HaulDownload *
haul_queue_add (HaulQueue   *self,
                const char  *uri,
                const char  *folder,
                GError     **error)
{
  g_autoptr(HaulDownload) download = NULL;

  g_return_val_if_fail (HAUL_IS_QUEUE (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (folder != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_uri (uri, error))
    return NULL;

  download = haul_download_new (uri, folder);
  append (self, download);
  save (self, download);
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  update_n_active (self);
  /* Started from the next flush, so the caller sees every state change
   * of the download it is given. */
  request_flush (self);

  return download;
}

typedef struct
{
  gint64  id;
  char   *path;
} FileCheck;

static void
file_check_free (gpointer data)
{
  FileCheck *check = data;

  g_free (check->path);
  g_free (check);
}

static void
check_files_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GPtrArray *checks = task_data;
  g_autoptr(GArray) missing = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < checks->len; i++)
    {
      FileCheck *check = g_ptr_array_index (checks, i);

      if (!g_file_test (check->path, G_FILE_TEST_EXISTS))
        g_array_append_val (missing, check->id);
    }

  g_task_return_pointer (task, g_steal_pointer (&missing), (GDestroyNotify) g_array_unref);
}

static void
check_files_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  HaulQueue *self = HAUL_QUEUE (object);
  g_autoptr(GArray) missing = g_task_propagate_pointer (G_TASK (result), NULL);

  if (missing == NULL)
    return;

  for (guint i = 0; i < missing->len; i++)
    {
      HaulDownload *download = haul_queue_lookup (self, g_array_index (missing, gint64, i));

      if (download != NULL && haul_download_get_state (download) == HAUL_DOWNLOAD_COMPLETED)
        haul_download_set_file_missing (download, TRUE);
    }
}

/**
 * haul_queue_restore:
 *
 * Loads the store's downloads into the list: finished and paused ones as
 * they were, those that were queued or running queued again (they resume
 * from the recorded length). Whether completed files are still on disk is
 * checked in a thread; #HaulDownload:file-missing follows.
 */
gboolean
haul_queue_restore (HaulQueue  *self,
                    GError    **error)
{
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GTask) task = NULL;
  guint old_n;

  g_return_val_if_fail (HAUL_IS_QUEUE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->store == NULL)
    return TRUE;

  loaded = haul_store_load (self->store, error);
  if (loaded == NULL)
    return FALSE;

  old_n = self->items->len;
  checks = g_ptr_array_new_with_free_func (file_check_free);

  for (guint i = 0; i < loaded->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (loaded, i);
      gint64 id = haul_download_get_id (download);

      if (id > 0 && haul_queue_lookup (self, id) != NULL)
        continue;

      switch (haul_download_get_state (download))
        {
        case HAUL_DOWNLOAD_CONNECTING:
        case HAUL_DOWNLOAD_DOWNLOADING:
          haul_download_set_state (download, HAUL_DOWNLOAD_QUEUED);
          break;

        case HAUL_DOWNLOAD_COMPLETED:
          {
            char *path = haul_download_dup_path (download);

            if (path != NULL)
              {
                FileCheck *check = g_new0 (FileCheck, 1);

                check->id = id;
                check->path = path;
                g_ptr_array_add (checks, check);
              }
          }
          break;

        case HAUL_DOWNLOAD_QUEUED:
        case HAUL_DOWNLOAD_PAUSED:
        case HAUL_DOWNLOAD_FAILED:
        case HAUL_DOWNLOAD_CANCELLED:
        default:
          break;
        }

      /* The bytes on disk are what counts for an unfinished download. */
      if (!haul_download_is_finished (download) &&
          haul_download_get_received (download) != haul_download_get_confirmed (download))
        haul_download_set_progress (download,
                                    haul_download_get_confirmed (download),
                                    haul_download_get_total (download),
                                    0, -1);

      append (self, download);
      /* Whether the failure was resumable is not recorded; what matters is
       * whether the partial file still holds the recorded bytes (a missing
       * or shorter one is why it failed: retrying must start from zero,
       * or it fails the same way forever). Start-up only, failed rows only. */
      if (haul_download_get_state (download) == HAUL_DOWNLOAD_FAILED)
        {
          const char *partial = haul_download_get_partial_path (download);
          GStatBuf st;

          lookup_entry (self, download)->error_resumable =
            partial != NULL && g_stat (partial, &st) == 0 &&
            st.st_size >= haul_download_get_confirmed (download);
        }
    }

  if (self->items->len != old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, self->items->len - old_n);

  if (checks->len > 0)
    {
      task = g_task_new (self, NULL, check_files_cb, NULL);
      g_task_set_source_tag (task, haul_queue_restore);
      g_task_set_task_data (task, g_steal_pointer (&checks), (GDestroyNotify) g_ptr_array_unref);
      g_task_run_in_thread (task, check_files_thread);
    }

  update_n_active (self);
  request_flush (self);

  return TRUE;
}

/**
 * haul_queue_pause:
 *
 * A queued download is paused at once; a running one stops within a
 * second, keeping its partial file, and then shows as paused.
 */
void
haul_queue_pause (HaulQueue    *self,
                  HaulDownload *download)
{
  Entry *entry;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (HAUL_IS_DOWNLOAD (download));

  entry = lookup_entry (self, download);
  g_return_if_fail (entry != NULL);

  if (entry->run != NULL)
    {
      if (haul_progress_cell_get_intent (entry->run->cell) == HAUL_INTENT_NONE)
        haul_progress_cell_set_intent (entry->run->cell, HAUL_INTENT_PAUSE);
      g_cancellable_cancel (entry->run->cancellable);
    }
  else if (haul_download_get_state (download) == HAUL_DOWNLOAD_QUEUED)
    {
      g_clear_handle_id (&entry->retry_source, g_source_remove);
      entry->attempts = 0;
      set_state (self, download, HAUL_DOWNLOAD_PAUSED);
    }
}

void
haul_queue_resume (HaulQueue    *self,
                   HaulDownload *download)
{
  Entry *entry;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (HAUL_IS_DOWNLOAD (download));

  entry = lookup_entry (self, download);
  g_return_if_fail (entry != NULL);

  if (haul_download_get_state (download) != HAUL_DOWNLOAD_PAUSED)
    return;

  entry->attempts = 0;
  set_state (self, download, HAUL_DOWNLOAD_QUEUED);
  schedule (self);
}

/**
 * haul_queue_cancel:
 *
 * Stops the download and removes its partial file (a running one within a
 * second, in its worker; otherwise in a thread).
 */
void
haul_queue_cancel (HaulQueue    *self,
                   HaulDownload *download)
{
  Entry *entry;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (HAUL_IS_DOWNLOAD (download));

  entry = lookup_entry (self, download);
  g_return_if_fail (entry != NULL);

  if (entry->run != NULL)
    {
      haul_progress_cell_set_intent (entry->run->cell, HAUL_INTENT_CANCEL);
      g_cancellable_cancel (entry->run->cancellable);
      return;
    }

  switch (haul_download_get_state (download))
    {
    case HAUL_DOWNLOAD_QUEUED:
    case HAUL_DOWNLOAD_PAUSED:
    case HAUL_DOWNLOAD_FAILED:
      g_clear_handle_id (&entry->retry_source, g_source_remove);
      entry->attempts = 0;
      clear_resume_state (download, TRUE);
      set_state (self, download, HAUL_DOWNLOAD_CANCELLED);
      break;

    case HAUL_DOWNLOAD_CONNECTING:
    case HAUL_DOWNLOAD_DOWNLOADING:
    case HAUL_DOWNLOAD_COMPLETED:
    case HAUL_DOWNLOAD_CANCELLED:
    default:
      break;
    }
}

/**
 * haul_queue_retry:
 *
 * Queues a failed or cancelled download again. After a resumable failure
 * (truncated, network, stalled, disk full) it continues from its partial
 * file; otherwise it starts from zero.
 */
void
haul_queue_retry (HaulQueue    *self,
                  HaulDownload *download)
{
  HaulDownloadState state;
  Entry *entry;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (HAUL_IS_DOWNLOAD (download));

  entry = lookup_entry (self, download);
  g_return_if_fail (entry != NULL);

  state = haul_download_get_state (download);
  if (state != HAUL_DOWNLOAD_FAILED && state != HAUL_DOWNLOAD_CANCELLED)
    return;

  if (state == HAUL_DOWNLOAD_FAILED && !entry->error_resumable)
    clear_resume_state (download, TRUE);

  entry->attempts = 0;
  haul_download_set_error_message (download, NULL);
  set_state (self, download, HAUL_DOWNLOAD_QUEUED);
  schedule (self);
}

static guint
index_of (HaulQueue    *self,
          HaulDownload *download)
{
  guint position;

  if (!g_ptr_array_find (self->items, download, &position))
    g_assert_not_reached ();
  return position;
}

/* Drops @download from the list (no items-changed: the caller emits). */
static void
remove_one (HaulQueue    *self,
            HaulDownload *download)
{
  g_autoptr(HaulDownload) hold = g_object_ref (download);
  Entry *entry = lookup_entry (self, download);
  gint64 id = haul_download_get_id (download);

  if (entry->run != NULL)
    {
      /* The worker removes the partial file as it stops. */
      entry->run->removed = TRUE;
      haul_progress_cell_set_intent (entry->run->cell, HAUL_INTENT_CANCEL);
      g_cancellable_cancel (entry->run->cancellable);
    }
  else if (haul_download_get_state (download) != HAUL_DOWNLOAD_COMPLETED &&
           haul_download_get_partial_path (download) != NULL)
    {
      delete_file_async (haul_download_get_partial_path (download));
    }

  g_hash_table_remove (self->entries, download);
  g_ptr_array_remove_index (self->items, index_of (self, download));

  if (self->store != NULL && id > 0)
    haul_store_delete (self->store, id);
}

/**
 * haul_queue_remove:
 *
 * Takes the download out of the list (and the store). A running or
 * unfinished one is stopped and its partial file removed; the file of a
 * completed one stays on disk.
 */
void
haul_queue_remove (HaulQueue    *self,
                   HaulDownload *download)
{
  guint position;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (HAUL_IS_DOWNLOAD (download));
  g_return_if_fail (contains (self, download));

  position = index_of (self, download);
  remove_one (self, download);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  update_n_active (self);
  schedule (self);
}

void
haul_queue_pause_all (HaulQueue *self)
{
  g_return_if_fail (HAUL_IS_QUEUE (self));

  for (guint i = 0; i < self->items->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (self->items, i);

      if (haul_download_is_active (download))
        haul_queue_pause (self, download);
    }
}

void
haul_queue_resume_all (HaulQueue *self)
{
  g_return_if_fail (HAUL_IS_QUEUE (self));

  for (guint i = 0; i < self->items->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (self->items, i);
      Entry *entry = lookup_entry (self, download);

      if (haul_download_get_state (download) == HAUL_DOWNLOAD_PAUSED)
        {
          entry->attempts = 0;
          set_state (self, download, HAUL_DOWNLOAD_QUEUED);
        }
    }

  schedule (self);
}

/**
 * haul_queue_remove_finished:
 *
 * Removes completed, failed and cancelled downloads from the list; the
 * files of completed ones stay on disk.
 */
void
haul_queue_remove_finished (HaulQueue *self)
{
  g_return_if_fail (HAUL_IS_QUEUE (self));

  /* From the end, so that each items-changed is a single removal with
   * the positions of the ones before it unchanged. */
  for (guint i = self->items->len; i > 0; i--)
    {
      HaulDownload *download = g_ptr_array_index (self->items, i - 1);

      if (haul_download_is_finished (download))
        {
          remove_one (self, download);
          g_list_model_items_changed (G_LIST_MODEL (self), i - 1, 1, 0);
        }
    }

  update_n_active (self);
}

/**
 * haul_queue_lookup:
 *
 * Returns: (transfer none) (nullable): the download with store id @id
 */
HaulDownload *
haul_queue_lookup (HaulQueue *self,
                   gint64     id)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), NULL);

  if (id <= 0)
    return NULL;

  for (guint i = 0; i < self->items->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (self->items, i);

      if (haul_download_get_id (download) == id)
        return download;
    }

  return NULL;
}

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
  if (self->pool != NULL)
    g_thread_pool_set_max_threads (self->pool, max_active, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ACTIVE]);

  schedule (self);
}

guint
haul_queue_get_n_active (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), 0);
  return self->n_active;
}

/**
 * haul_queue_shutdown:
 *
 * Stops every worker and waits for them (each stops within a second). A
 * download that was running is recorded as queued, so it resumes at the
 * next start; then the store is synced. Queued downloads stay queued but
 * are no longer started. Safe to call more than once.
 */
void
haul_queue_shutdown (HaulQueue *self)
{
  Run *run;

  g_return_if_fail (HAUL_IS_QUEUE (self));

  if (self->shutting_down)
    return;
  self->shutting_down = TRUE;

  for (guint i = 0; i < self->items->len; i++)
    {
      Entry *entry = lookup_entry (self, g_ptr_array_index (self->items, i));

      g_clear_handle_id (&entry->retry_source, g_source_remove);
    }

  for (guint i = 0; i < self->runs->len; i++)
    {
      run = g_ptr_array_index (self->runs, i);

      if (haul_progress_cell_get_intent (run->cell) == HAUL_INTENT_NONE)
        haul_progress_cell_set_intent (run->cell, HAUL_INTENT_SHUTDOWN);
      g_cancellable_cancel (run->cancellable);
    }

  /* Waits for every pushed run; afterwards no worker touches us. */
  if (self->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);

  while ((run = g_queue_pop_head (&self->done)) != NULL)
    {
      finish_run (self, run);
      run_unref (run);
    }
  g_assert (self->runs->len == 0);

  cancel_flush (self);

  if (self->session != NULL)
    soup_session_abort (self->session);

  if (self->store != NULL)
    haul_store_sync (self->store);
}

guint
haul_queue_get_n_flushes (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), 0);
  return self->n_flushes;
}

guint
haul_queue_get_max_pending_idle (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), 0);
  return (guint) g_atomic_int_get (&self->max_pending_idle);
}

gint64
haul_queue_get_max_flush_us (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), 0);
  return self->max_flush_us;
}
