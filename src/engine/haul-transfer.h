/* haul-transfer.h: one blocking HTTP transfer into a partial file (worker side)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "haul-progress.h"

G_BEGIN_DECLS

/* A snapshot of what is durably on disk, handed to the checkpoint callback
 * in the worker thread. @confirmed bytes of @partial_path have been written
 * and fdatasync()ed before the callback runs, so a record of it never
 * claims more than the disk holds. */
typedef struct
{
  const char *final_uri;
  const char *file_name;
  const char *partial_path;
  const char *etag;          /* (nullable) strong ETag only */
  const char *last_modified; /* (nullable) */
  const char *content_type;  /* (nullable) */
  gint64      confirmed;
  gint64      total;         /* -1 if unknown */
} HaulCheckpoint;

typedef void (*HaulCheckpointFunc) (const HaulCheckpoint *checkpoint,
                                    gpointer              user_data);

/* Everything a worker needs, owned by the job: the worker never touches a
 * GObject of the model or the UI. */
typedef struct
{
  SoupSession        *session;        /* (owned) configured on the main thread */
  HaulProgressCell   *cell;           /* (owned) */
  char               *uri;            /* (owned) what the user asked for */
  char               *folder;         /* (owned) destination folder */

  /* Resume state from an earlier attempt, all (nullable) (owned). */
  char               *file_name;
  char               *partial_path;
  char               *etag;
  char               *last_modified;
  gint64              confirmed;      /* bytes of partial_path to keep */

  guint               stall_timeout;  /* seconds without a byte before giving up (0: never) */
  HaulCheckpointFunc  checkpoint;     /* (nullable) called in the worker */
  gpointer            checkpoint_data;

  /* Added by the transfer; haul_transfer_job_new() sets the defaults. */
  gint64              total;          /* size known from an earlier attempt, -1 if unknown */
  char               *authorization;  /* (owned) (nullable) an Authorization header value,
                                       * sent to the first URL's origin only */
} HaulTransferJob;

typedef struct
{
  char     *final_uri;      /* (owned) (nullable) */
  char     *file_name;      /* (owned) (nullable) the final (or intended) name */
  char     *partial_path;   /* (owned) (nullable) NULL once renamed or removed */
  char     *etag;           /* (owned) (nullable) */
  char     *last_modified;  /* (owned) (nullable) */
  char     *content_type;   /* (owned) (nullable) */
  gint64    received;       /* bytes in the partial (or final) file */
  gint64    total;          /* -1 if unknown */
  gboolean  restarted;      /* validators changed: started again from zero */
  GError   *error;          /* (owned) (nullable) NULL when completed */
} HaulTransferResult;

HaulTransferJob    *haul_transfer_job_new       (SoupSession       *session,
                                                 HaulProgressCell  *cell,
                                                 const char        *uri,
                                                 const char        *folder);
void                haul_transfer_job_free      (HaulTransferJob   *job);

/* Runs in a worker thread; blocks until the transfer ends, fails, or
 * @cancellable fires (then result->error is G_IO_ERROR_CANCELLED and the
 * partial file is kept, unless the cell's intent is HAUL_INTENT_CANCEL,
 * in which case it is removed). Never returns NULL. */
HaulTransferResult *haul_transfer_run           (HaulTransferJob   *job,
                                                 GCancellable      *cancellable);
void                haul_transfer_result_free   (HaulTransferResult *result);

/* Configures @session the way every transfer expects it (no decoders,
 * no redirects followed by libsoup, identity encoding, timeouts).
 * Main thread, before the first request. */
SoupSession        *haul_transfer_session_new   (guint              max_conns,
                                                 guint              timeout);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulTransferJob, haul_transfer_job_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulTransferResult, haul_transfer_result_free)

G_END_DECLS
