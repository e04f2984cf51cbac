/* haul-transfer.h: one download's bytes, on one or several connections
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "haul-checksum.h"
#include "haul-checksum-cache.h"
#include "haul-progress.h"
#include "haul-rate-limiter.h"
#include "haul-request.h"
#include "haul-types.h"

G_BEGIN_DECLS

/* Called in a worker once the bytes @state counts are flushed to disk.
 * It records @state and returns once that is committed; %FALSE (with
 * @error) when it could not be, and the transfer then stops, keeping
 * its bytes, before it does anything that relies on the record. */
typedef gboolean (*HaulCheckpointFunc) (const HaulResumeState  *state,
                                        gpointer                user_data,
                                        GError                **error);

/* Called in a worker when the checksum expected changes: found in a
 * header or a checksum file, or forgotten (NULL) because the file changed
 * on the server. */
typedef void (*HaulChecksumFoundFunc) (const HaulChecksumSpec *spec,
                                       gpointer                user_data);

/* Everything a worker needs, owned by the job: the worker never touches a
 * GObject of the model or the UI. */
typedef struct
{
  SoupSession        *session;          /* (owned) configured on the main thread */
  HaulProgressCell   *cell;             /* (owned) */
  char               *uri;              /* (owned) without credentials (see @headers) */
  char               *folder;           /* (owned) destination folder */
  HaulResumeState    *resume;           /* (owned) (nullable) an earlier attempt's */
  HaulRequestHeaders *headers;          /* (owned) (nullable) memory only */
  HaulRateLimiter    *limiter;          /* (owned) (nullable) */
  guint               max_connections;  /* 1–16 */
  gint64              min_split;        /* smallest piece a connection takes; files under
                                         * twice this stay on one connection */
  HaulCategoryFolders *categories;      /* (owned) (nullable) a folder per kind of file: the
                                         * partial goes in its kind's (else in @folder) */
  HaulCheckpointFunc  checkpoint;       /* (nullable) called in a worker */
  gpointer            checkpoint_data;  /* for @checkpoint and @checksum_found */
  HaulChecksumSpec   *checksum;         /* (owned) (nullable) the checksum expected */
  gboolean            find_checksum;    /* without @checksum: look in headers, sibling files */
  gboolean            checksum_other_hosts; /* sibling files on another host too */
  HaulChecksumFoundFunc checksum_found; /* (nullable) called in a worker */
  HaulChecksumCache  *sums_cache;       /* (owned) (nullable) the queue's answers to folders'
                                         * checksum files, shared by its downloads */
  gboolean            restart_if_gone;  /* the folder or partial may be gone (a retry
                                         * after the folder vanished): recreate the
                                         * folder and start again rather than fail */
} HaulTransferJob;

typedef struct
{
  HaulResumeState *state;        /* (owned) where it stands; the final name when completed */
  gint64           received;     /* bytes on disk (durable, unless completed) */
  char            *notice;       /* (owned) (nullable) translated: why bytes were dropped */
  guint            status;       /* the last HTTP status, 0 if none arrived */
  gint64           retry_after;  /* seconds the server asked to wait, -1 */
  guint            connections;  /* the most that ran at once */
  HaulChecksumSpec *checksum;    /* (owned) (nullable) the checksum expected at the end */
  gboolean         verified;     /* the file has it (HAUL_ERROR_CHECKSUM_MISMATCH if not) */
  GError          *error;        /* (owned) (nullable) NULL when completed */
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulTransferJob, haul_transfer_job_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulTransferResult, haul_transfer_result_free)

G_END_DECLS
