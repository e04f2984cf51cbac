/* haul-download-private.h: what the queue and the store may change
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "haul-download.h"
#include "haul-types.h"

G_BEGIN_DECLS

/* Main thread only. Each setter notifies only when the value changed. */
HaulDownload *haul_download_new                  (const char        *uri,
                                                  const char        *folder);

/* What the store recorded of a download besides its resume state. */
typedef struct
{
  gint64             id;
  HaulDownloadState  state;
  gint64             received;
  gint64             created_us;     /* real time µs, 0: not recorded */
  gint64             finished_us;    /* real time µs, 0: not finished */
} HaulDownloadRecord;

/* Any thread: the object is not shared yet. */
HaulDownload *haul_download_new_recorded         (const char               *uri,
                                                  const char               *folder,
                                                  HaulResumeState          *resume,
                                                  const HaulDownloadRecord *record);
void          haul_download_set_id               (HaulDownload      *self,
                                                  gint64             id);
void          haul_download_set_final_uri        (HaulDownload      *self,
                                                  const char        *final_uri);
void          haul_download_set_file_name        (HaulDownload      *self,
                                                  const char        *file_name);
void          haul_download_set_content_type     (HaulDownload      *self,
                                                  const char        *content_type);
void          haul_download_set_state            (HaulDownload      *self,
                                                  HaulDownloadState  state);
void          haul_download_set_progress         (HaulDownload      *self,
                                                  gint64             received,
                                                  gint64             total,
                                                  double             speed,
                                                  gint64             eta);
/* Like set_progress, with the speed smoothed over the samples and the
 * time left derived from it. @now_us is g_get_monotonic_time(). */
void          haul_download_update_progress      (HaulDownload      *self,
                                                  gint64             received,
                                                  gint64             total,
                                                  gint64             now_us);
void          haul_download_set_error_message    (HaulDownload      *self,
                                                  const char        *message);
/* Message, code and text of @error (%NULL: none). */
void          haul_download_set_error            (HaulDownload      *self,
                                                  const GError      *error);
/* The failure's message as haul_error_get_text() gives it, to translate
 * again when shown; for the store. */
GVariant     *haul_download_get_error_text       (HaulDownload      *self);
void          haul_download_set_error_text       (HaulDownload      *self,
                                                  GVariant          *text);
void          haul_download_set_notice           (HaulDownload      *self,
                                                  const char        *notice);
void          haul_download_set_file_missing     (HaulDownload      *self,
                                                  gboolean           missing);
void          haul_download_set_created          (HaulDownload      *self,
                                                  GDateTime         *created);
void          haul_download_set_finished         (HaulDownload      *self,
                                                  GDateTime         *finished);

/* Resume state: not shown, but kept with the download and in the store. */
const char   *haul_download_get_partial_path     (HaulDownload      *self);
void          haul_download_set_partial_path     (HaulDownload      *self,
                                                  const char        *partial_path);
const char   *haul_download_get_etag             (HaulDownload      *self);
const char   *haul_download_get_last_modified    (HaulDownload      *self);
void          haul_download_set_validators       (HaulDownload      *self,
                                                  const char        *etag,
                                                  const char        *last_modified);
/* Bytes known to be flushed to the partial file (≤ received). */
gint64        haul_download_get_confirmed        (HaulDownload      *self);
void          haul_download_set_confirmed        (HaulDownload      *self,
                                                  gint64             confirmed);
/* The whole record (the accessors above read parts of it). Setting it
 * notifies :final-uri, :file-name and :content-type as they change. */
const HaulResumeState *haul_download_get_resume_state (HaulDownload          *self);
void          haul_download_set_resume_state     (HaulDownload          *self,
                                                  const HaulResumeState *state);
/* Forgets where it was on disk; the name stays. */
void          haul_download_reset_resume_state   (HaulDownload      *self);

/* The HaulError code of the last failure (-1: none), kept with the
 * message: what a retry may reuse depends on it. */
int           haul_download_get_error_code       (HaulDownload      *self);
void          haul_download_set_error_code       (HaulDownload      *self,
                                                  int                code);

void          haul_download_set_checksum         (HaulDownload           *self,
                                                  const struct _HaulChecksumSpec *spec);
void          haul_download_set_checksum_state   (HaulDownload      *self,
                                                  HaulChecksumState  state);
void          haul_download_set_checksum_progress (HaulDownload     *self,
                                                  double             progress);
/* A new address for the same file (haul_queue_change_address_async()). */
void          haul_download_set_uri              (HaulDownload      *self,
                                                  const char        *uri);
/* The id of the download on a remote engine (an aria2 GID), or NULL. A
 * download with one lives on that engine's machine: its path on this one
 * is only what the engine sets with haul_download_set_remote_path(). */
const char   *haul_download_get_engine_id        (HaulDownload      *self);
void          haul_download_set_engine_id        (HaulDownload      *self,
                                                  const char        *engine_id);
/* For a download with an engine id: the path of its file on this machine
 * (through a path mapping), or NULL when it cannot be reached from here.
 * Memory only: the engine sets it again from what its daemon says. */
void          haul_download_set_remote_path      (HaulDownload      *self,
                                                  const char        *local_path);

/* Where it stands in the queue's order (the queue keeps it, the store
 * records it); 0 until the queue gives it one. Not a property. */
double        haul_download_get_position         (HaulDownload      *self);
void          haul_download_set_position         (HaulDownload      *self,
                                                  double             position);

void          haul_download_set_waiting          (HaulDownload      *self,
                                                  HaulWaiting        waiting,
                                                  gint64             retry_at);
void          haul_download_set_connections      (HaulDownload      *self,
                                                  guint              connections);
void          haul_download_set_speed_limit      (HaulDownload      *self,
                                                  guint64            bytes_per_second);
void          haul_download_set_from_browser     (HaulDownload      *self,
                                                  gboolean           from_browser);
void          haul_download_set_category         (HaulDownload      *self,
                                                  HaulCategory       category);
/* Added to the download folder with categories on: until its partial
 * file is made, the transfer may put it in another kind's folder. */
gboolean      haul_download_get_by_category      (HaulDownload      *self);
void          haul_download_set_by_category      (HaulDownload      *self,
                                                  gboolean           by_category);
/* What its requests carry besides the URL: memory only, never saved,
 * shown or logged. Each (nullable). */
void          haul_download_set_request_extras   (HaulDownload      *self,
                                                  const char        *authorization,
                                                  const char        *cookies,
                                                  const char        *referrer,
                                                  const char        *user_agent);
void          haul_download_get_request_extras   (HaulDownload      *self,
                                                  const char       **authorization,
                                                  const char       **cookies,
                                                  const char       **referrer,
                                                  const char       **user_agent);

G_END_DECLS
