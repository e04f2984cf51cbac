/* haul-download.h: one download's state, as properties
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-category.h"

G_BEGIN_DECLS

/**
 * HaulDownloadState:
 * @HAUL_DOWNLOAD_QUEUED: waiting for a free worker
 * @HAUL_DOWNLOAD_CONNECTING: a worker is sending the request
 * @HAUL_DOWNLOAD_DOWNLOADING: bytes are arriving
 * @HAUL_DOWNLOAD_PAUSED: stopped by the user, resumable
 * @HAUL_DOWNLOAD_COMPLETED: every byte is on disk under the final name
 * @HAUL_DOWNLOAD_FAILED: stopped by an error (see #HaulDownload:error-message)
 * @HAUL_DOWNLOAD_CANCELLED: stopped by the user, partial data removed
 */
typedef enum
{
  HAUL_DOWNLOAD_QUEUED,
  HAUL_DOWNLOAD_CONNECTING,
  HAUL_DOWNLOAD_DOWNLOADING,
  HAUL_DOWNLOAD_PAUSED,
  HAUL_DOWNLOAD_COMPLETED,
  HAUL_DOWNLOAD_FAILED,
  HAUL_DOWNLOAD_CANCELLED,
} HaulDownloadState;

#define HAUL_TYPE_DOWNLOAD_STATE (haul_download_state_get_type ())
GType haul_download_state_get_type (void);

/**
 * HaulWaiting:
 * @HAUL_WAITING_NONE: not waiting (or waiting for a free slot only)
 * @HAUL_WAITING_RETRY: a temporary failure: tries again at #HaulDownload:retry-at
 * @HAUL_WAITING_SERVER_BUSY: the server asked to wait (429, 503 …) until :retry-at
 * @HAUL_WAITING_NETWORK: the network is gone; resumes by itself when it is back
 * @HAUL_WAITING_METERED: not started on a metered connection
 * @HAUL_WAITING_SCHEDULE: outside the hours downloads may run
 * @HAUL_WAITING_DAEMON: the remote engine's daemon cannot be reached: the
 *   download shows its last known state (in any unfinished state, not only
 *   queued) and goes on by itself once the daemon answers again
 *
 * Why a queued download does not run yet. New values go at the end.
 */
typedef enum
{
  HAUL_WAITING_NONE,
  HAUL_WAITING_RETRY,
  HAUL_WAITING_SERVER_BUSY,
  HAUL_WAITING_NETWORK,
  HAUL_WAITING_METERED,
  HAUL_WAITING_SCHEDULE,
  HAUL_WAITING_DAEMON,
} HaulWaiting;

#define HAUL_TYPE_WAITING (haul_waiting_get_type ())
GType haul_waiting_get_type (void);

/**
 * HaulChecksumState:
 * @HAUL_CHECKSUM_NONE: no checksum is known for the file
 * @HAUL_CHECKSUM_PENDING: one is known; the file is not complete yet
 * @HAUL_CHECKSUM_VERIFYING: the finished file is being hashed
 * @HAUL_CHECKSUM_VERIFIED: the file has the expected checksum
 * @HAUL_CHECKSUM_MISMATCH: it has not (the download failed)
 *
 * Recorded as a number: new values go at the end.
 */
typedef enum
{
  HAUL_CHECKSUM_NONE,
  HAUL_CHECKSUM_PENDING,
  HAUL_CHECKSUM_VERIFYING,
  HAUL_CHECKSUM_VERIFIED,
  HAUL_CHECKSUM_MISMATCH,
} HaulChecksumState;

#define HAUL_TYPE_CHECKSUM_STATE (haul_checksum_state_get_type ())
GType haul_checksum_state_get_type (void);

#define HAUL_TYPE_DOWNLOAD (haul_download_get_type ())
G_DECLARE_FINAL_TYPE (HaulDownload, haul_download, HAUL, DOWNLOAD, GObject)

/* All getters are main-thread only, like every property change. */
gint64             haul_download_get_id             (HaulDownload *self);
const char        *haul_download_get_uri            (HaulDownload *self);
const char        *haul_download_get_final_uri      (HaulDownload *self);
/* Where the file is or goes (the folder its partial file was made in). */
const char        *haul_download_get_folder         (HaulDownload *self);
const char        *haul_download_get_file_name      (HaulDownload *self);
/* Where the file is on this machine: folder + file name; for a download
 * on a remote engine (an aria2 daemon) the path its folder maps to here,
 * or NULL when the daemon's folder is not reachable from this machine
 * (then there is nothing to open or show: see :file-reachable). */
char              *haul_download_dup_path           (HaulDownload *self);
gboolean           haul_download_get_file_reachable (HaulDownload *self);
const char        *haul_download_get_content_type   (HaulDownload *self);
HaulDownloadState  haul_download_get_state          (HaulDownload *self);
gint64             haul_download_get_received       (HaulDownload *self);
gint64             haul_download_get_total          (HaulDownload *self);
double             haul_download_get_speed          (HaulDownload *self);
gint64             haul_download_get_eta            (HaulDownload *self);
const char        *haul_download_get_error_message  (HaulDownload *self);
char              *haul_download_dup_error_text     (HaulDownload *self);
const char        *haul_download_get_notice         (HaulDownload *self);
gboolean           haul_download_get_file_missing   (HaulDownload *self);
GDateTime         *haul_download_get_created        (HaulDownload *self);
GDateTime         *haul_download_get_finished       (HaulDownload *self);
HaulWaiting        haul_download_get_waiting        (HaulDownload *self);
gint64             haul_download_get_retry_at       (HaulDownload *self);
guint              haul_download_get_connections    (HaulDownload *self);
guint64            haul_download_get_speed_limit    (HaulDownload *self);
gboolean           haul_download_get_from_browser   (HaulDownload *self);
HaulCategory       haul_download_get_category       (HaulDownload *self);
HaulChecksumState  haul_download_get_checksum_state (HaulDownload *self);
double             haul_download_get_checksum_progress (HaulDownload *self);
/* "SHA-256 verified", "expected …" and where the checksum came from are
 * read from the spec: haul-checksum.h. (transfer none) (nullable) */
const struct _HaulChecksumSpec *haul_download_get_checksum (HaulDownload *self);

gboolean           haul_download_is_active          (HaulDownload *self);
gboolean           haul_download_is_finished        (HaulDownload *self);
gboolean           haul_download_can_pause          (HaulDownload *self);
gboolean           haul_download_can_resume         (HaulDownload *self);
gboolean           haul_download_can_retry          (HaulDownload *self);

G_END_DECLS
