/* haul-aria2-status.h: one download on an aria2 daemon, as a snapshot
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "haul-download.h"

G_BEGIN_DECLS

/**
 * HaulAria2State:
 * @HAUL_ARIA2_ACTIVE: downloading (or seeding)
 * @HAUL_ARIA2_WAITING: in the daemon's queue
 * @HAUL_ARIA2_PAUSED: paused
 * @HAUL_ARIA2_ERROR: stopped by an error (see @error_code)
 * @HAUL_ARIA2_COMPLETE: every byte is in the daemon's folder
 * @HAUL_ARIA2_REMOVED: removed by a user (of any client)
 *
 * aria2's "status" of a download.
 */
typedef enum
{
  HAUL_ARIA2_ACTIVE,
  HAUL_ARIA2_WAITING,
  HAUL_ARIA2_PAUSED,
  HAUL_ARIA2_ERROR,
  HAUL_ARIA2_COMPLETE,
  HAUL_ARIA2_REMOVED,
} HaulAria2State;

#define HAUL_TYPE_ARIA2_STATE (haul_aria2_state_get_type ())
GType haul_aria2_state_get_type (void);

/**
 * HaulAria2Fields:
 *
 * Which values of a #HaulAria2Status differ from the snapshot before it.
 */
typedef enum
{
  HAUL_ARIA2_FIELD_STATE       = 1 << 0,
  HAUL_ARIA2_FIELD_TOTAL       = 1 << 1,
  HAUL_ARIA2_FIELD_COMPLETED   = 1 << 2,
  HAUL_ARIA2_FIELD_SPEED       = 1 << 3,
  HAUL_ARIA2_FIELD_CONNECTIONS = 1 << 4,
  HAUL_ARIA2_FIELD_DIR         = 1 << 5,
  HAUL_ARIA2_FIELD_PATH        = 1 << 6,
  HAUL_ARIA2_FIELD_ERROR       = 1 << 7,
  HAUL_ARIA2_FIELD_URIS        = 1 << 8,
  HAUL_ARIA2_FIELD_ALL         = (1 << 9) - 1,
} HaulAria2Fields;

/**
 * HaulAria2Status:
 * @gid: aria2's id of the download, 16 hex digits
 * @state: aria2's status
 * @total: size in bytes, or -1 while unknown
 * @completed: bytes in the daemon's folder
 * @speed: bytes per second, as the daemon measures it
 * @connections: connections in use
 * @dir: (nullable): the daemon's folder for it (a path on the daemon's machine)
 * @path: (nullable): files[0].path, once known (a path on the daemon's machine)
 * @error_code: aria2's errorCode (0: none)
 * @error_message: (nullable): aria2's own words for it (English)
 * @uris: (array zero-terminated=1): the addresses it downloads from
 * @changed: what differs from the snapshot of the same GID before it (all
 *   fields for a first one). Set once, before the snapshot is delivered.
 *
 * An immutable, reference-counted snapshot: made in any thread, then only
 * read. Plain data, tied to no other Haul type.
 */
typedef struct
{
  char            *gid;
  HaulAria2State   state;
  gint64           total;
  gint64           completed;
  gint64           speed;
  gint             connections;
  char            *dir;
  char            *path;
  gint             error_code;
  char            *error_message;
  char           **uris;
  HaulAria2Fields  changed;
} HaulAria2Status;

#define HAUL_TYPE_ARIA2_STATUS (haul_aria2_status_get_type ())
GType              haul_aria2_status_get_type          (void);

HaulAria2Status   *haul_aria2_status_ref               (HaulAria2Status       *status);
void               haul_aria2_status_unref             (HaulAria2Status       *status);
/* An empty GPtrArray that unrefs the HaulAria2Status put into it. */
GPtrArray         *haul_aria2_status_array_new         (void);

/* From one object of tellStatus/tellActive/tellWaiting/tellStopped. */
HaulAria2Status   *haul_aria2_status_new_from_json     (JsonObject            *object,
                                                        GError               **error);
/* The keys Haul asks for: everything above, nothing else. */
const char * const *haul_aria2_status_keys             (void);

HaulAria2Fields    haul_aria2_status_diff              (const HaulAria2Status *before,
                                                        const HaulAria2Status *after);
/* Complete, error or removed: aria2 will not change it again. */
gboolean           haul_aria2_status_is_final          (const HaulAria2Status *status);

/* The state a Haul row shows for it. */
HaulDownloadState  haul_aria2_status_get_download_state (const HaulAria2Status *status);
/* For an error: a HAUL_ERROR saying what happened, in the user's
 * language; %NULL otherwise. */
GError            *haul_aria2_status_dup_error         (const HaulAria2Status *status);
/* The file's name for display: the last part of @path, else of the first
 * URI, made safe as haul_naming_sanitize() does; "download" if neither. */
char              *haul_aria2_status_dup_file_name     (const HaulAria2Status *status);

gboolean           haul_aria2_state_from_string        (const char            *name,
                                                        HaulAria2State        *state);
const char        *haul_aria2_state_to_string          (HaulAria2State         state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulAria2Status, haul_aria2_status_unref)

G_END_DECLS
