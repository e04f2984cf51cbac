/* haul-aria2-engine-private.h: what the files of HaulAria2Engine share
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HaulAria2Engine is one object in two files, along the two directions
 * news travels: haul-aria2-engine.c (the queue's wishes sent to the daemon:
 * add, pause, resume, remove, limits, and the connection) and
 * haul-aria2-engine-apply.c (the daemon's snapshots applied to the list).
 */

#pragma once

#include "haul-aria2-engine.h"
#include "haul-download-private.h"
#include "haul-queue-private.h"

G_BEGIN_DECLS

/* What the user asked of a download that the daemon has not shown yet. */
typedef enum
{
  WANT_NONE,
  WANT_PAUSED,
  WANT_RUNNING,
} Want;

/* The engine's bookkeeping for one download (main thread). */
typedef struct
{
  HaulDownload    *download;    /* (owned) */
  char            *gid;         /* (owned) (nullable) not (or no longer) on the daemon */
  HaulAria2Status *last;        /* (owned) (nullable) the latest snapshot applied */
  Want             want;        /* rule 3 */
  Want             asked;       /* what the daemon accepted to do for @want */
  gboolean         adding;      /* addUri under way */
  gboolean         calling;     /* pause or unpause under way */
  gboolean         stopping;    /* stop() said TRUE: its end is reported later (rule 4) */
  HaulStop         stop;
  gboolean         pending;     /* cancelled or removed: waits for undo or discard */
  gboolean         discarded;   /* discarded while its addUri was under way */
  gboolean         from_store;  /* known by its GID before the daemon was asked */
  gboolean         gone;        /* the daemon does not list its GID (any more) */
  guint64          sent_limit;  /* its own limit as last given to the daemon */
} Entry;

struct _HaulAria2Engine
{
  GObject           parent_instance;

  HaulQueue        *queue;          /* (unowned) owns us */
  char             *address;        /* (owned) (nullable) */
  char             *secret;         /* (owned) (nullable) */
  gboolean          secret_set;     /* else the keyring's */
  char             *remote_folder;  /* (owned) (nullable) */
  char             *local_folder;   /* (owned) (nullable) */

  HaulAria2Client  *client;         /* (owned) (nullable) without an address */
  HaulAria2Poller  *poller;         /* (owned) (nullable) */
  GError           *address_error;  /* (owned) (nullable) the address cannot be used */
  GCancellable     *cancellable;    /* (owned) our calls to the current client */
  HaulAria2Connection connection;   /* as last seen, for the edges */

  GHashTable       *entries;        /* HaulDownload* → Entry* (owned) */
  GHashTable       *by_gid;         /* gid (owned) → Entry* */
  GHashTable       *forget;         /* gid (owned) set: discarded here, never adopted */
  gulong            items_changed_id;

  guint             n_calls;        /* our calls in flight (shutdown waits for them) */
  guint             more_id;        /* schedule's next batch (rule 1) */
  gboolean          shutting_down;
  GTask            *shutdown_task;  /* (owned) (nullable) */
  guint             shutdown_timeout;

  guint             sent_max_active;  /* 0: not sent on this connection */
  guint64           sent_limit;
  gboolean          sent_global;
  gboolean          global_in_flight;  /* a changeGlobalOption not answered yet */
  gboolean          global_again;      /* the options changed meanwhile */

  gint64            max_apply_us;
  guint             n_applies;
};

/* haul-aria2-engine.c */
Entry   *haul_aria2_engine_ensure_entry     (HaulAria2Engine  *self,
                                             HaulDownload     *download);
void     haul_aria2_engine_set_gid          (HaulAria2Engine  *self,
                                             Entry            *entry,
                                             const char       *gid);
void     haul_aria2_engine_drop_entry       (HaulAria2Engine  *self,
                                             Entry            *entry);
gboolean haul_aria2_engine_has_mapping      (HaulAria2Engine  *self);
/* (nullable) where @daemon_path is on this machine */
char    *haul_aria2_engine_map_path         (HaulAria2Engine  *self,
                                             const char       *daemon_path);
/* The last call in flight of a shutdown came back. */
void     haul_aria2_engine_finish_shutdown  (HaulAria2Engine  *self);

/* haul-aria2-engine-calls.c */
gboolean haul_aria2_engine_is_connected     (HaulAria2Engine  *self);
/* A method of one download, answer only logged. @more: (transfer full)
 * (nullable) the parameters after the GID. */
void     haul_aria2_engine_call_gid_method  (HaulAria2Engine  *self,
                                             const char       *method,
                                             const char       *gid,
                                             JsonArray        *more);
/* Forgets @gid on the daemon (forceRemove first unless @finished); it is
 * never adopted back. */
void     haul_aria2_engine_remove_on_daemon (HaulAria2Engine  *self,
                                             const char       *gid,
                                             gboolean          finished);
/* aria2.addUri; @again: a retry of the daemon's last attempt. */
void     haul_aria2_engine_send_add         (HaulAria2Engine  *self,
                                             Entry            *entry,
                                             gboolean          again);
/* Sends pause or unpause when @entry's wish and the daemon differ. */
void     haul_aria2_engine_follow_want      (HaulAria2Engine  *self,
                                             Entry            *entry);
/* A stop() that said TRUE is over: the state it asked for, run_ended.
 * That may discard the download (a remove made final): returns @entry,
 * or NULL when it is gone. */
Entry   *haul_aria2_engine_finish_stop      (HaulAria2Engine  *self,
                                             Entry            *entry);
/* The queue's max-active and speed limit, when they changed. */
void     haul_aria2_engine_send_global_options (HaulAria2Engine *self);
/* With a path mapping: the partial file of a discarded download. */
void     haul_aria2_engine_delete_mapped_partial (HaulAria2Engine *self,
                                             Entry            *entry);

/* haul-aria2-engine-apply.c */
/* The poller's ::updated. */
void     haul_aria2_engine_apply_updates    (HaulAria2Engine  *self,
                                             GPtrArray        *changed,
                                             GPtrArray        *removed);
/* After the poller's first look: downloads known by GID the daemon does
 * not have. */
void     haul_aria2_engine_reconcile        (HaulAria2Engine  *self);
/* The daemon went away (or came back): the rows say so. */
void     haul_aria2_engine_mark_unreachable (HaulAria2Engine  *self,
                                             gboolean          unreachable);

G_END_DECLS
