/* haul-queue-internal.h: what the files of HaulQueue share (not for engines)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HaulQueue is one object in six files, along the seams of what it
 * does: haul-queue.c (the list, its counts and states, the actions),
 * haul-queue-intake.c (how downloads come in: added or restored, the
 * folder of their kind, and the index of their addresses that finds a
 * duplicate), haul-queue-undo.c (cancel and remove that keep the bytes
 * for undo, and the discards that make them final), haul-queue-steer.c
 * (the order a person gives the queue, and holding all of it),
 * haul-queue-address.c (bytes on disk given a new address: a refreshed
 * link, a browser's partial) and haul-queue-schedule.c (the hours in
 * which downloads may run).
 */

#pragma once

#include "haul-queue-private.h"

G_BEGIN_DECLS

/* A cancel or remove waiting for undo or discard (rule 3). */
typedef struct
{
  HaulDownloadState before;    /* the state it had */
  guint             position;  /* where it stood, for a removed one */
  gboolean          removed;   /* removed from the list (else cancelled) */
  gboolean          running;   /* its run is still ending */
  gboolean          discard;   /* discard as soon as the run ended */
  gboolean          undo;      /* undo as soon as the run ended */
} Pending;

struct _HaulQueue
{
  GObject       parent_instance;

  GPtrArray    *items;          /* (owned) HaulDownload, the list model */
  GHashTable   *members;        /* HaulDownload* set (the list holds them) */
  GHashTable   *by_id;          /* gint64* → HaulDownload* (unowned) */
  GHashTable   *pending;        /* HaulDownload* (owned ref) → Pending* (owned) */
  GHashTable   *start_now;      /* HaulDownload* set */
  GHashTable   *by_uri;         /* char* (owned) → GSList* of HaulDownload* (unowned),
                                 * newest first */
  GHashTable   *uri_keys;       /* HaulDownload* → const char* (its key in by_uri) */
  HaulStore    *store;          /* (owned) (nullable) */
  HaulEngine   *engine;         /* (owned) */

  guint         max_active;
  guint         connections;
  guint         stall_timeout;
  guint         speed_limit;     /* KiB/s */
  guint         alt_speed_limit; /* KiB/s */
  gboolean      alt_enabled;
  gboolean      held;            /* nothing starts but what is asked to start now */
  gboolean      allow_metered;
  gboolean      checksum_other_hosts;
  SoupSession  *probe_session;   /* (owned) (nullable) haul-queue-address.c's */
  gboolean      shutting_down;

  guint         counts[HAUL_DOWNLOAD_CANCELLED + 1];
  guint         schedule_id;

  HaulCategoryFolders *categories; /* (owned) (nullable) haul-queue-intake.c */
  gboolean      schedule_closed;   /* haul-queue-schedule.c */
  gint64        schedule_opens_at; /* real µs, 0: open or unknown */
  HaulEngineConnection engine_connection;
  char         *engine_name;    /* (owned) (nullable) */
  char         *engine_error;   /* (owned) (nullable) */
};

typedef struct
{
  guint active;
  guint downloading;
  guint waiting;
  guint paused;
  guint completed;
} Counts;

Counts   haul_queue_counts_now       (HaulQueue         *self);
/* Notifies the count properties that differ from @before. */
void     haul_queue_notify_counts    (HaulQueue         *self,
                                      Counts             before);
/* :held changed (and so, maybe, the counts). */
void     haul_queue_notify_held      (HaulQueue         *self,
                                      Counts             before);
/* Into / out of the list, without items-changed (the caller emits). */
void     haul_queue_insert_member    (HaulQueue         *self,
                                      HaulDownload      *download,
                                      guint              position);
void     haul_queue_drop_member      (HaulQueue         *self,
                                      HaulDownload      *download,
                                      guint              position);
guint    haul_queue_index_of         (HaulQueue         *self,
                                      HaulDownload      *download);
/* Starts what may start at the next turn of the main loop. */
void     haul_queue_schedule_soon    (HaulQueue         *self);

/* :schedule-open and :schedule-opens-at changed. */
void     haul_queue_notify_schedule  (HaulQueue         *self,
                                      gboolean           open_changed,
                                      gboolean           opens_at_changed);

/* haul-queue-intake.c */
/* Keeps the index of addresses in step with @download's :uri (in the
 * list): on insert, and on every save (a new address is saved). */
void     haul_queue_index_uri        (HaulQueue         *self,
                                      HaulDownload      *download);
void     haul_queue_unindex_uri      (HaulQueue         *self,
                                      HaulDownload      *download);

/* haul-queue-steer.c */
/* Gives the member at @index a position in the order between its
 * neighbours if its own does not fit there (renumbering, and saving,
 * every member when no number is left between them). TRUE if its
 * position changed: the caller saves it. */
gboolean haul_queue_place            (HaulQueue         *self,
                                      guint              index);
/* The count of active downloads: while held, only those that run. */
guint    haul_queue_n_active         (HaulQueue         *self);
/* The download for @uri, or NULL with the reason (the one URL policy);
 * credentials leave the URL for memory only. Not in the list yet. */
HaulDownload *haul_queue_make_download (const char           *uri,
                                        const char           *folder,
                                        const HaulAddOptions *options,
                                        GError              **error);

/* haul-queue-undo.c */
/* Deletes @download's partial (by identity; in a thread unless @wait) and
 * forgets where it was on disk. */
void     haul_queue_clear_partial    (HaulQueue         *self,
                                      HaulDownload      *download,
                                      gboolean           wait);
void     haul_queue_finish_discard   (HaulQueue         *self,
                                      HaulDownload      *download,
                                      Pending           *pending,
                                      gboolean           wait);
/* At quit: what waits to be discarded is (the user chose it). First the
 * engine is told (before it shuts down), then the partials go. */
void     haul_queue_discard_all_on_engine (HaulQueue    *self);
void     haul_queue_discard_all      (HaulQueue         *self,
                                      gboolean           wait);

G_END_DECLS
