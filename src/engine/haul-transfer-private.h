/* haul-transfer-private.h: what the parts of a transfer share (worker side)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "haul-body.h"
#include "haul-checksum.h"
#include "haul-partial-file.h"
#include "haul-request.h"
#include "haul-segments.h"
#include "haul-transfer.h"

G_BEGIN_DECLS

/* One run of haul_transfer_run(): its attempts, the partial file, and,
 * for a download on several connections (haul-connections.c), the pieces
 * and what the connections tell each other. */
typedef struct _Transfer Transfer;

struct _Transfer
{
  HaulTransferJob    *job;
  HaulTransferResult *result;
  HaulResumeState    *state;        /* (unowned) result->state */
  GCancellable       *user_cancel;  /* (unowned) (nullable) */
  GCancellable       *stop;         /* (owned) fires on user cancel or a fatal error */
  gulong              user_cancel_id;
  GUri               *origin;       /* (owned) the first URL, without credentials */
  HaulRequestHeaders *headers;      /* (owned) (nullable) the job's, with the URL's credentials */
  HaulPartialFile    *partial;      /* (owned) (nullable) */
  gboolean            complete;
  GUri               *slot_uri;     /* (owned) (nullable) the first connection's host slot */

  /* One connection (rule 2) */
  gint64              written;      /* bytes in the partial, in order from 0 */
  gint64              synced;
  gint64              writeback_from;

  /* Several (rule 3) */
  HaulSegments       *segments;     /* (owned) (nullable) */
  gboolean            single_only;  /* after a disagreement (rule 4) */

  GMutex              lock;         /* the fields below, and checkpoints */
  gint64              last_checkpoint;
  GError             *fatal;        /* (owned) (nullable) the error that stopped everyone */
  char               *disagreement; /* (owned) (nullable) rule 4's notice */
  GError             *last_error;   /* (owned) (nullable) the last connection's failure */
  guint               n_running;

  /* The checksum (rule 8, haul-transfer-checksum.c) */
  HaulChecksumSpec     *checksum;     /* (owned) (nullable) the one expected */
  HaulChecksumVerifier *verifier;     /* (owned) (nullable) fed in order */
  gboolean              follow;       /* one connection in order: feed it each write */
  GThread              *lookup;       /* (owned) (nullable) asking for checksum files */
  GCancellable         *lookup_cancel; /* (owned) */
  gboolean              lookup_started;
  gint                  lookup_found; /* (atomic) @lookup_spec waits to be taken */
  HaulChecksumSpec     *lookup_spec;  /* (owned) (nullable) under @lock */
  char                 *lookup_key;   /* (owned) (nullable) under @lock: @lookup_spec's
                                       * entry in job->sums_cache, if it came from there */
  char                 *checksum_key; /* (owned) (nullable) the same for @checksum */

  /* The folder's watch (rule 10) */
  GThread              *watch;        /* (owned) (nullable) */
  GMutex                watch_lock;
  GCond                 watch_cond;
  gboolean              watch_stop;   /* under @watch_lock */
};

/* haul-transfer.c */
void         haul_transfer_set_truncated      (Transfer      *t,
                                               gint64         have,
                                               GError       **error);
gboolean     haul_transfer_stopped            (Transfer      *t);
void         haul_transfer_note_status        (Transfer      *t,
                                               SoupMessage   *msg);
gboolean     haul_transfer_truncate_to        (Transfer      *t,
                                               gint64         size,
                                               GError       **error);
void         haul_transfer_forget_validators  (Transfer      *t);
gint64       haul_transfer_bytes_have         (Transfer      *t);
gssize       haul_transfer_read_body          (Transfer      *t,
                                               HaulRequest   *request,
                                               SoupMessage   *msg,
                                               HaulBody      *b,
                                               guint8        *buffer,
                                               gsize          size,
                                               GError       **error);
/* How many bytes the next read may take (the rate limiter; 0: stopped),
 * and giving back what a short read did not use. */
gsize        haul_transfer_allowance          (Transfer      *t);
void         haul_transfer_give_back          (Transfer      *t,
                                               gsize          granted,
                                               gssize         used);
/* Before each request: a small socket under a speed limit (rule 7 of
 * haul-request.c). */
void         haul_transfer_prepare_request    (Transfer      *t,
                                               HaulRequest   *request);

/* haul-transfer-disk.c (rules 6 and 10) */
/* Stops every connection with @error (taken), unless one already did. */
void         haul_transfer_fail_all           (Transfer      *t,
                                               GError        *error);
/* The job's checkpoint callback with t->state, if there is a partial. */
gboolean     haul_transfer_record             (Transfer      *t,
                                               GError       **error);
/* Sync, then record (under t->lock). */
gboolean     haul_transfer_checkpoint_now     (Transfer      *t,
                                               GError       **error);
/* After a write: a checkpoint once a second, by whoever gets there first. */
gboolean     haul_transfer_maybe_checkpoint   (Transfer      *t,
                                               GError       **error);
/* The first answer's partial: a free name, recorded before it exists,
 * then created; the folder's watch starts. */
gboolean     haul_transfer_create_partial     (Transfer      *t,
                                               SoupMessage   *msg,
                                               GError       **error);
/* An earlier attempt's partial, with exactly the bytes it recorded (or
 * found already renamed: t->complete); the folder's watch starts. */
gboolean     haul_transfer_open_resume        (Transfer      *t,
                                               GError       **error);
/* The end of the run. */
void         haul_transfer_stop_watch         (Transfer      *t);

/* haul-connections.c */
const char  *haul_transfer_if_range           (Transfer      *t);
/* Runs the download on several connections; @first (nullable) is the
 * first connection's open answer from t->written. *again: start over
 * from zero on one connection. */
gboolean     haul_transfer_run_segmented      (Transfer      *t,
                                               HaulRequest   *request,
                                               GInputStream  *first,
                                               SoupMessage   *first_msg,
                                               gboolean      *again,
                                               GError       **error);

/* haul-transfer-checksum.c (rule 8) */
void         haul_transfer_checksum_init      (Transfer      *t);
/* No checksum yet, and the job wants one found. */
gboolean     haul_transfer_checksum_wanted    (Transfer      *t);
/* The first answer of an attempt: its digest headers, else checksum
 * files beside it (asked in a thread). */
void         haul_transfer_checksum_answer    (Transfer      *t,
                                               SoupMessage   *msg,
                                               HaulRequest   *request);
/* Before a resume asks for more: hashes the bytes kept (if it will
 * probably go on in order). */
gboolean     haul_transfer_checksum_prepare   (Transfer      *t,
                                               GError       **error);
/* One connection reads in order from here on. */
void         haul_transfer_checksum_start_in_order (Transfer *t);
/* @length bytes were written at @offset (one connection, in order). */
void         haul_transfer_checksum_wrote     (Transfer      *t,
                                               gint64         offset,
                                               const guint8  *data,
                                               gsize          length);
void         haul_transfer_checksum_truncated (Transfer      *t,
                                               gint64         size);
/* Starting again from zero; @changed: the file changed on the server. */
void         haul_transfer_checksum_restarted (Transfer      *t,
                                               gboolean       changed);
/* Every byte is there, not renamed yet: checks it (hashing the rest from
 * disk if need be). HAUL_ERROR_CHECKSUM_MISMATCH on a difference. */
gboolean     haul_transfer_checksum_finish    (Transfer      *t,
                                               GError       **error);
/* The end of the run: the lookup stops; the checksum goes to the result. */
void         haul_transfer_checksum_clear     (Transfer      *t);

G_END_DECLS
