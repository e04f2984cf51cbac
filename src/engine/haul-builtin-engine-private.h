/* haul-builtin-engine-private.h: what the files of the built-in engine share
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HaulBuiltinEngine is one object in three files: haul-builtin-engine.c
 * (runs, the coalesced flush, scheduling, results),
 * haul-builtin-engine-waits.c (why a queued download waits: automatic
 * retries, the network, a metered connection, the power profile) and
 * haul-builtin-engine-shutdown.c (stopping at quit).
 */

#pragma once

#include "haul-builtin-engine.h"
#include "haul-checksum.h"
#include "haul-progress.h"
#include "haul-rate-limiter.h"
#include "haul-store.h"
#include "haul-transfer.h"

G_BEGIN_DECLS

typedef struct _Run Run;

/* The engine's bookkeeping for one download (main thread). */
typedef struct
{
  HaulBuiltinEngine *engine;      /* (unowned) owns the entry */
  HaulDownload    *download;      /* (owned) */
  Run             *run;           /* (unowned) (nullable) the attempt in flight */
  guint            attempts;      /* automatic retries so far */
  gint64           furthest;      /* the most bytes any try of it ended with */
  guint            retry_source;  /* waiting before an automatic retry */
  HaulRateLimiter *limiter;       /* (owned) its own limit, under the global one */
  gboolean         metered_ok;    /* "Download Anyway" on a metered connection (rule 6) */
} Entry;

struct _Run
{
  gatomicrefcount     ref_count;
  HaulBuiltinEngine  *engine;       /* (unowned) outlives every worker: shutdown joins */
  HaulDownload       *download;     /* (owned) main thread only */
  HaulTransferJob    *job;          /* (owned) */
  HaulProgressCell   *cell;         /* (owned) */
  GCancellable       *cancellable;  /* (owned) */
  HaulStore          *store;        /* (owned) (nullable) */
  gint64              id;           /* the download's store id, for checkpoints */
  guint               attempt;      /* the store's attempt number of this run */
  gint                dirty;        /* (atomic) the cell changed since the last flush */
  gint64              last_update;  /* main thread: monotonic µs of the last notify */
  gboolean            stopping;     /* main thread: asked to stop … */
  HaulStop            stop;         /* … this way */
  HaulWaiting         hold_for;     /* held by rule 6: what it then waits for */
  HaulTransferResult *result;       /* (owned) set by the worker before handing back */

  GMutex              lock;         /* rule 4 */
  HaulResumeState    *checkpoint;   /* (owned) (nullable) the latest, not yet applied */
  gboolean            found;        /* the checksum expected changed … */
  HaulChecksumSpec   *checksum;     /* (owned) (nullable) … to this */
};

struct _HaulBuiltinEngine
{
  GObject          parent_instance;

  HaulQueue       *queue;          /* (unowned) owns us */
  GHashTable      *entries;        /* HaulDownload* → Entry* (owned) */
  GPtrArray       *runs;           /* Run* (a reference each): attempts not yet finished */
  GThreadPool     *pool;           /* (owned) (nullable) made with the first run */
  SoupSession     *session;        /* (owned) (nullable) */
  guint            session_timeout;
  HaulRateLimiter *limiter;        /* (owned) the global limit */
  HaulChecksumCache *sums_cache;   /* (owned) folders' checksum files, for every run */
  GMainContext    *context;        /* (owned) the main thread's */
  GSource         *flush_source;   /* (owned) rule 2 */
  HaulRetryDelayFunc retry_delay;  /* rule 5 */
  gboolean         shutting_down;

  gint             progress_pending; /* (atomic) rule 2 */
  gint             done_pending;     /* (atomic) */
  gint64           last_flush;       /* main thread, monotonic µs */
  guint            n_flushes;
  guint64          n_schedule_steps; /* downloads schedule() looked at, for tests */
  guint            max_pending;
  gint64           max_flush_us;

  GMutex           done_lock;      /* protects done */
  GQueue           done;           /* Run* handed back by workers (owned refs) */

  /* Rule 6: the network, and the power profile */
  GNetworkMonitor      *network;   /* (owned) (nullable) until attached */
  GPowerProfileMonitor *power;     /* (owned) (nullable) */
  gboolean         offline;
  gboolean         metered;
  gboolean         power_saver;
};

/* haul-builtin-engine.c */
void        haul_builtin_engine_schedule        (HaulBuiltinEngine *self);
void        haul_builtin_run_unref              (Run               *run);
/* Applies what a finished run learned, on the main thread. */
void        haul_builtin_engine_finish_run      (HaulBuiltinEngine *self,
                                                 Run               *run);
/* Stops @run, to wait (queued) for @why; its bytes are kept. */
void        haul_builtin_engine_hold_run        (HaulBuiltinEngine *self,
                                                 Run               *run,
                                                 HaulWaiting        why);

/* haul-builtin-engine-shutdown.c: HaulEngine's shutdown, shutdown_async
 * and shutdown_finish. */
void        haul_builtin_engine_shutdown        (HaulEngine          *engine);
void        haul_builtin_engine_shutdown_async  (HaulEngine          *engine,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean    haul_builtin_engine_shutdown_finish (HaulEngine          *engine,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* haul-builtin-engine-waits.c */
/* A cut body, a stall, a reset, 408, 425, 429, 5xx gateways (rule 5). */
gboolean    haul_builtin_engine_is_temporary    (const GError      *error);
void        haul_builtin_engine_wait_to_retry   (HaulBuiltinEngine *self,
                                                 Entry             *entry,
                                                 Run               *run);
/* A try of @download got an answer from its server: the downloads that
 * wait because that server could not be reached go now (rule 5). */
void        haul_builtin_engine_server_answered (HaulBuiltinEngine *self,
                                                 HaulDownload      *download);
/* Rule 6: starts watching the network and the power profile (at attach;
 * the default monitors unless tests gave others), and stops. */
void        haul_builtin_engine_watch           (HaulBuiltinEngine *self);
void        haul_builtin_engine_unwatch         (HaulBuiltinEngine *self);
/* What a download (its entry, nullable) must wait for before it may
 * run: HAUL_WAITING_NETWORK, HAUL_WAITING_METERED or HAUL_WAITING_NONE. */
/* In the scheduled hours: could a walk of the queue start a download or
 * change a wait? Not when full (or @held), online, not held back by a
 * metered connection, and none asked to start now. */
gboolean    haul_builtin_engine_walk_needed     (HaulBuiltinEngine *self,
                                                 gboolean           held,
                                                 guint              max_active);
HaulWaiting haul_builtin_engine_why_wait        (HaulBuiltinEngine *self,
                                                 Entry             *entry);
/* Connections a new download may use (fewer in Power Saver). */
guint       haul_builtin_engine_max_connections (HaulBuiltinEngine *self);
/* The queue's settings or the network changed: holds the runs that may
 * not go on, frees the waits that are over, schedules. */
void        haul_builtin_engine_review          (HaulBuiltinEngine *self);

G_END_DECLS
