/* haul-download-struct.h: the inside of a HaulDownload, for its own files
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* HaulDownload is one object kept in three files, each with one reason to
 * change: haul-download.c (the type, its properties, state and progress),
 * haul-download-resume.c (where it stands on disk, and what a request
 * carries) and haul-download-report.c (what it has to tell: failure,
 * notice, checksum). They share the instance struct and the property
 * array through this header; no other file may include it: everything
 * else goes through haul-download.h and haul-download-private.h. The
 * array is filled in haul_download_class_init() and only read after. */

#include "haul-checksum.h"
#include "haul-download.h"
#include "haul-speed-meter.h"
#include "haul-types.h"

G_BEGIN_DECLS

struct _HaulDownload
{
  GObject            parent_instance;

  gint64             id;
  char              *uri;            /* (owned) without credentials */
  char              *folder;         /* (owned) */
  HaulDownloadState  state;
  gint64             received;
  gint64             total;
  double             speed;
  gint64             eta;
  char              *error_message;  /* (owned) (nullable) */
  int                error_code;     /* HaulError of the last failure, -1: none */
  GVariant          *error_text;     /* (owned) (nullable) the message, to translate again */
  char              *notice;         /* (owned) (nullable) */
  gboolean           file_missing;
  GDateTime         *created;        /* (owned) (nullable) until asked for */
  GDateTime         *finished;       /* (owned) (nullable) */
  gint64             created_us;     /* recorded, while :created is NULL */
  gint64             finished_us;    /* recorded, while :finished is NULL; 0: none */

  HaulWaiting        waiting;
  gint64             retry_at;       /* real time µs, 0: none */
  guint              connections;
  guint64            speed_limit;    /* bytes per second, 0: none */
  gboolean           from_browser;
  gboolean           by_category;    /* its folder follows its kind until the partial is made */
  HaulChecksumSpec  *checksum;       /* (owned) (nullable) */
  HaulChecksumState  checksum_state;
  double             checksum_progress;
  char              *engine_id;      /* (owned) (nullable) */
  double             position;       /* its place in the queue's order, 0: none yet */
  char              *remote_path;    /* (owned) (nullable) with an engine id: the file here */

  /* Where it stands on disk, also the source of :final-uri, :file-name
   * and :content-type. */
  HaulResumeState   *resume;         /* (owned) */

  /* Memory only: never saved, never shown. */
  char              *authorization;  /* (owned) (nullable) */
  char              *cookies;        /* (owned) (nullable) */
  char              *referrer;       /* (owned) (nullable) */
  char              *user_agent;     /* (owned) (nullable) */

  HaulSpeedMeter    *speed_meter;    /* (owned) (nullable) while downloading */
};

enum {
  PROP_0,
  PROP_ID,
  PROP_URI,
  PROP_FINAL_URI,
  PROP_FOLDER,
  PROP_FILE_NAME,
  PROP_CONTENT_TYPE,
  PROP_STATE,
  PROP_RECEIVED,
  PROP_TOTAL,
  PROP_SPEED,
  PROP_ETA,
  PROP_ERROR_MESSAGE,
  PROP_NOTICE,
  PROP_FILE_MISSING,
  PROP_CREATED,
  PROP_FINISHED,
  PROP_CAN_PAUSE,
  PROP_CAN_RESUME,
  PROP_CAN_RETRY,
  PROP_IS_ACTIVE,
  PROP_IS_FINISHED,
  PROP_WAITING,
  PROP_RETRY_AT,
  PROP_CONNECTIONS,
  PROP_SPEED_LIMIT,
  PROP_FROM_BROWSER,
  PROP_CHECKSUM,
  PROP_CHECKSUM_STATE,
  PROP_CATEGORY,
  PROP_CHECKSUM_PROGRESS,
  PROP_FILE_REACHABLE,
  N_PROPS
};

extern GParamSpec *haul_download_properties[N_PROPS];

/* Replaces *@field by a copy of @value; TRUE if it changed. */
static inline gboolean
download_set_string (char       **field,
                     const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static inline gboolean
download_set_date_time (GDateTime **field,
                        GDateTime  *value)
{
  if (*field == value ||
      (*field != NULL && value != NULL && g_date_time_equal (*field, value)))
    return FALSE;

  g_clear_pointer (field, g_date_time_unref);
  if (value != NULL)
    *field = g_date_time_ref (value);
  return TRUE;
}

G_END_DECLS
