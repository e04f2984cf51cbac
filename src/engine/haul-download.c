/* haul-download.c: one download's state, as properties
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-checksum.h"
#include "haul-download-private.h"
#include "haul-error.h"

/* Speed and time left are averaged over the last few seconds, as GNOME's
 * file operations average over the whole copy: bytes arrive in bursts (TCP
 * windows, a server's write size, the queue's flush beat), and a rate taken
 * between two flushes swings between half and twice the true one.
 *
 * Samples (time, bytes) go into a small ring, at most one per
 * SPEED_SAMPLE_US; the speed is the bytes that arrived since the newest
 * sample at least SPEED_WINDOW_US old, over the time since. Until the
 * samples span SPEED_MIN_SPAN_US no speed is shown, until ETA_MIN_SPAN_US
 * no time left: the first second of a transfer (slow start, buffers
 * filling) says little about the rest. The ring exists only while bytes
 * arrive, so a long history costs nothing.
 *
 * The time left counts down with the clock and follows the estimate from
 * the speed with a lag of a few seconds (ETA_SETTLE_S): a person reads
 * "42 seconds" as a countdown, and a fresh estimate at each flush would
 * tick up and down by a few seconds. */
#define SPEED_WINDOW_US   (5 * G_USEC_PER_SEC)
#define SPEED_SAMPLE_US   (250 * G_TIME_SPAN_MILLISECOND)
#define SPEED_MIN_SPAN_US (1 * G_USEC_PER_SEC)
#define ETA_MIN_SPAN_US   (3 * G_USEC_PER_SEC)
#define ETA_SETTLE_S      3.0
/* Window / sample interval, plus the base and the newest. */
#define SPEED_N_SAMPLES   24

typedef struct
{
  gint64 time;      /* monotonic µs */
  gint64 received;
} SpeedSample;

typedef struct
{
  SpeedSample samples[SPEED_N_SAMPLES];
  guint       first;     /* index of the oldest */
  guint       len;
  double      eta;       /* seconds left shown at @eta_time */
  gint64      eta_time;  /* monotonic µs, 0: no time left shown yet */
} SpeedWindow;

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
  GDateTime         *created;        /* (owned) */
  GDateTime         *finished;       /* (owned) (nullable) */

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

  SpeedWindow       *speed_window;   /* (owned) (nullable) while downloading */
};

G_DEFINE_ENUM_TYPE (HaulDownloadState, haul_download_state,
                    G_DEFINE_ENUM_VALUE (HAUL_DOWNLOAD_QUEUED, "queued"),
                    G_DEFINE_ENUM_VALUE (HAUL_DOWNLOAD_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (HAUL_DOWNLOAD_DOWNLOADING, "downloading"),
                    G_DEFINE_ENUM_VALUE (HAUL_DOWNLOAD_PAUSED, "paused"),
                    G_DEFINE_ENUM_VALUE (HAUL_DOWNLOAD_COMPLETED, "completed"),
                    G_DEFINE_ENUM_VALUE (HAUL_DOWNLOAD_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (HAUL_DOWNLOAD_CANCELLED, "cancelled"))

G_DEFINE_ENUM_TYPE (HaulWaiting, haul_waiting,
                    G_DEFINE_ENUM_VALUE (HAUL_WAITING_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (HAUL_WAITING_RETRY, "retry"),
                    G_DEFINE_ENUM_VALUE (HAUL_WAITING_SERVER_BUSY, "server-busy"),
                    G_DEFINE_ENUM_VALUE (HAUL_WAITING_NETWORK, "network"),
                    G_DEFINE_ENUM_VALUE (HAUL_WAITING_METERED, "metered"),
                    G_DEFINE_ENUM_VALUE (HAUL_WAITING_SCHEDULE, "schedule"),
                    G_DEFINE_ENUM_VALUE (HAUL_WAITING_DAEMON, "daemon"))

G_DEFINE_ENUM_TYPE (HaulChecksumState, haul_checksum_state,
                    G_DEFINE_ENUM_VALUE (HAUL_CHECKSUM_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (HAUL_CHECKSUM_PENDING, "pending"),
                    G_DEFINE_ENUM_VALUE (HAUL_CHECKSUM_VERIFYING, "verifying"),
                    G_DEFINE_ENUM_VALUE (HAUL_CHECKSUM_VERIFIED, "verified"),
                    G_DEFINE_ENUM_VALUE (HAUL_CHECKSUM_MISMATCH, "mismatch"))

G_DEFINE_FINAL_TYPE (HaulDownload, haul_download, G_TYPE_OBJECT)

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

static GParamSpec *properties[N_PROPS];

static gboolean
state_is_active (HaulDownloadState state)
{
  return state == HAUL_DOWNLOAD_QUEUED ||
         state == HAUL_DOWNLOAD_CONNECTING ||
         state == HAUL_DOWNLOAD_DOWNLOADING;
}

static gboolean
state_is_finished (HaulDownloadState state)
{
  return state == HAUL_DOWNLOAD_COMPLETED ||
         state == HAUL_DOWNLOAD_FAILED ||
         state == HAUL_DOWNLOAD_CANCELLED;
}

static gboolean
state_can_resume (HaulDownloadState state)
{
  return state == HAUL_DOWNLOAD_PAUSED;
}

static gboolean
state_can_retry (HaulDownloadState state)
{
  return state == HAUL_DOWNLOAD_FAILED || state == HAUL_DOWNLOAD_CANCELLED;
}

static void
haul_download_finalize (GObject *object)
{
  HaulDownload *self = (HaulDownload *)object;

  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->folder, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->error_text, g_variant_unref);
  g_clear_pointer (&self->notice, g_free);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->finished, g_date_time_unref);
  g_clear_pointer (&self->resume, haul_resume_state_free);
  g_clear_pointer (&self->authorization, g_free);
  g_clear_pointer (&self->cookies, g_free);
  g_clear_pointer (&self->referrer, g_free);
  g_clear_pointer (&self->user_agent, g_free);
  g_clear_pointer (&self->checksum, haul_checksum_spec_free);
  g_clear_pointer (&self->engine_id, g_free);
  g_clear_pointer (&self->remote_path, g_free);
  g_clear_pointer (&self->speed_window, g_free);

  G_OBJECT_CLASS (haul_download_parent_class)->finalize (object);
}

static void
haul_download_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HaulDownload *self = HAUL_DOWNLOAD (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_FINAL_URI:
      g_value_set_string (value, self->resume->final_uri);
      break;
    case PROP_FOLDER:
      g_value_set_string (value, haul_download_get_folder (self));
      break;
    case PROP_FILE_NAME:
      g_value_set_string (value, self->resume->file_name);
      break;
    case PROP_CONTENT_TYPE:
      g_value_set_string (value, self->resume->content_type);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_RECEIVED:
      g_value_set_int64 (value, self->received);
      break;
    case PROP_TOTAL:
      g_value_set_int64 (value, self->total);
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_ETA:
      g_value_set_int64 (value, self->eta);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_NOTICE:
      g_value_set_string (value, self->notice);
      break;
    case PROP_FILE_MISSING:
      g_value_set_boolean (value, self->file_missing);
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case PROP_FINISHED:
      g_value_set_boxed (value, self->finished);
      break;
    case PROP_CAN_PAUSE:
      g_value_set_boolean (value, haul_download_can_pause (self));
      break;
    case PROP_CAN_RESUME:
      g_value_set_boolean (value, haul_download_can_resume (self));
      break;
    case PROP_CAN_RETRY:
      g_value_set_boolean (value, haul_download_can_retry (self));
      break;
    case PROP_IS_ACTIVE:
      g_value_set_boolean (value, haul_download_is_active (self));
      break;
    case PROP_IS_FINISHED:
      g_value_set_boolean (value, haul_download_is_finished (self));
      break;
    case PROP_WAITING:
      g_value_set_enum (value, self->waiting);
      break;
    case PROP_RETRY_AT:
      g_value_set_int64 (value, self->retry_at);
      break;
    case PROP_CONNECTIONS:
      g_value_set_uint (value, self->connections);
      break;
    case PROP_SPEED_LIMIT:
      g_value_set_uint64 (value, self->speed_limit);
      break;
    case PROP_FROM_BROWSER:
      g_value_set_boolean (value, self->from_browser);
      break;
    case PROP_CHECKSUM:
      g_value_set_boxed (value, self->checksum);
      break;
    case PROP_CHECKSUM_STATE:
      g_value_set_enum (value, self->checksum_state);
      break;
    case PROP_CATEGORY:
      g_value_set_enum (value, self->resume->category);
      break;
    case PROP_CHECKSUM_PROGRESS:
      g_value_set_double (value, self->checksum_progress);
      break;
    case PROP_FILE_REACHABLE:
      g_value_set_boolean (value, haul_download_get_file_reachable (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_download_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HaulDownload *self = HAUL_DOWNLOAD (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_assert (self->uri == NULL);
      self->uri = g_value_dup_string (value);
      break;
    case PROP_FOLDER:
      g_assert (self->folder == NULL);
      self->folder = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_download_class_init (HaulDownloadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = haul_download_finalize;
  object_class->get_property = haul_download_get_property;
  object_class->set_property = haul_download_set_property;

  /* The store's row id; 0 until the download was saved once. */
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL, construct);
  /* The URL after redirects, once known. */
  properties[PROP_FINAL_URI] =
    g_param_spec_string ("final-uri", NULL, NULL, NULL, ro);
  /* Where the file goes: given at the start, then the folder its partial
   * file was made in (the transfer may choose it by the file's kind). */
  properties[PROP_FOLDER] =
    g_param_spec_string ("folder", NULL, NULL, NULL, construct);
  /* The name in @folder, once chosen (NULL before the first answer). */
  properties[PROP_FILE_NAME] =
    g_param_spec_string ("file-name", NULL, NULL, NULL, ro);
  properties[PROP_CONTENT_TYPE] =
    g_param_spec_string ("content-type", NULL, NULL, NULL, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       HAUL_TYPE_DOWNLOAD_STATE, HAUL_DOWNLOAD_QUEUED, ro);
  properties[PROP_RECEIVED] =
    g_param_spec_int64 ("received", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /* -1 while unknown */
  properties[PROP_TOTAL] =
    g_param_spec_int64 ("total", NULL, NULL, -1, G_MAXINT64, -1, ro);
  /* Bytes per second, smoothed; 0 when not downloading. */
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  /* Seconds left, -1 while unknown. */
  properties[PROP_ETA] =
    g_param_spec_int64 ("eta", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  /* Something the user should know that is not an error. */
  properties[PROP_NOTICE] =
    g_param_spec_string ("notice", NULL, NULL, NULL, ro);
  /* A completed download whose file is no longer on disk. */
  properties[PROP_FILE_MISSING] =
    g_param_spec_boolean ("file-missing", NULL, NULL, FALSE, ro);
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_FINISHED] =
    g_param_spec_boxed ("finished", NULL, NULL, G_TYPE_DATE_TIME, ro);

  /* Derived from :state, for bindings. */
  properties[PROP_CAN_PAUSE] =
    g_param_spec_boolean ("can-pause", NULL, NULL, TRUE, ro);
  properties[PROP_CAN_RESUME] =
    g_param_spec_boolean ("can-resume", NULL, NULL, FALSE, ro);
  properties[PROP_CAN_RETRY] =
    g_param_spec_boolean ("can-retry", NULL, NULL, FALSE, ro);
  properties[PROP_IS_ACTIVE] =
    g_param_spec_boolean ("is-active", NULL, NULL, TRUE, ro);
  properties[PROP_IS_FINISHED] =
    g_param_spec_boolean ("is-finished", NULL, NULL, FALSE, ro);

  /* Why a queued download is not running yet. */
  properties[PROP_WAITING] =
    g_param_spec_enum ("waiting", NULL, NULL,
                       HAUL_TYPE_WAITING, HAUL_WAITING_NONE, ro);
  /* When a waiting download tries again: g_get_real_time() µs, 0 if not
   * set. */
  properties[PROP_RETRY_AT] =
    g_param_spec_int64 ("retry-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /* Connections in use right now. */
  properties[PROP_CONNECTIONS] =
    g_param_spec_uint ("connections", NULL, NULL, 0, 64, 0, ro);
  /* This download's own limit, bytes per second (0: none). */
  properties[PROP_SPEED_LIMIT] =
    g_param_spec_uint64 ("speed-limit", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  /* Handed over by the browser extension. */
  properties[PROP_FROM_BROWSER] =
    g_param_spec_boolean ("from-browser", NULL, NULL, FALSE, ro);

  /* The expected checksum, when one is known (HaulChecksumSpec). */
  properties[PROP_CHECKSUM] =
    g_param_spec_boxed ("checksum", NULL, NULL, HAUL_TYPE_CHECKSUM_SPEC, ro);
  properties[PROP_CHECKSUM_STATE] =
    g_param_spec_enum ("checksum-state", NULL, NULL,
                       HAUL_TYPE_CHECKSUM_STATE, HAUL_CHECKSUM_NONE, ro);
  /* The kind of file (HaulCategory): guessed from the address, then
   * from the server's answer once the file is made. */
  properties[PROP_CATEGORY] =
    g_param_spec_enum ("category", NULL, NULL, HAUL_TYPE_CATEGORY, HAUL_CATEGORY_OTHER, ro);
  /* How much of the finished file is hashed (0–1) while :checksum-state is
   * verifying; :received stays at :total meanwhile. */
  properties[PROP_CHECKSUM_PROGRESS] =
    g_param_spec_double ("checksum-progress", NULL, NULL, 0, 1, 0, ro);
  /* Its file is (or will be) on this machine: always for the built-in
   * engine; for a remote engine's download only when its daemon's folder
   * maps to a local path. Open and Show in Folder need it. */
  properties[PROP_FILE_REACHABLE] =
    g_param_spec_boolean ("file-reachable", NULL, NULL, TRUE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
haul_download_init (HaulDownload *self)
{
  self->resume = haul_resume_state_new ();
  self->error_code = -1;
  self->state = HAUL_DOWNLOAD_QUEUED;
  self->total = -1;
  self->eta = -1;
  self->created = g_date_time_new_now_utc ();
}

/* Replaces *@field by a copy of @value; TRUE if it changed. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
set_date_time (GDateTime **field,
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

HaulDownload *
haul_download_new (const char *uri,
                   const char *folder)
{
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  return g_object_new (HAUL_TYPE_DOWNLOAD,
                       "uri", uri,
                       "folder", folder,
                       NULL);
}

gint64
haul_download_get_id (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), 0);
  return self->id;
}

void
haul_download_set_id (HaulDownload *self,
                      gint64        id)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
haul_download_get_uri (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->uri;
}

const char *
haul_download_get_final_uri (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->resume->final_uri;
}

void
haul_download_set_final_uri (HaulDownload *self,
                             const char   *final_uri)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (set_string (&self->resume->final_uri, final_uri))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINAL_URI]);
}

const char *
haul_download_get_folder (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->resume->folder != NULL ? self->resume->folder : self->folder;
}

const char *
haul_download_get_file_name (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->resume->file_name;
}

void
haul_download_set_file_name (HaulDownload *self,
                             const char   *file_name)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (set_string (&self->resume->file_name, file_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE_NAME]);
}

/**
 * haul_download_dup_path:
 *
 * Returns: (transfer full) (nullable): folder + file name, or %NULL while
 *   no name was chosen yet. For a download on a remote engine: the path
 *   its engine mapped to this machine, or %NULL.
 */
char *
haul_download_dup_path (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);

  if (self->engine_id != NULL)
    return g_strdup (self->remote_path);
  if (self->resume->file_name == NULL)
    return NULL;
  return g_build_filename (haul_download_get_folder (self), self->resume->file_name, NULL);
}

const char *
haul_download_get_content_type (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->resume->content_type;
}

void
haul_download_set_content_type (HaulDownload *self,
                                const char   *content_type)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (set_string (&self->resume->content_type, content_type))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT_TYPE]);
}

HaulDownloadState
haul_download_get_state (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), HAUL_DOWNLOAD_QUEUED);
  return self->state;
}

void
haul_download_set_state (HaulDownload      *self,
                         HaulDownloadState  state)
{
  HaulDownloadState old;

  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  g_return_if_fail (state <= HAUL_DOWNLOAD_CANCELLED);

  if (self->state == state)
    return;

  old = self->state;
  self->state = state;

  g_object_freeze_notify (G_OBJECT (self));

  /* Speed and time left only mean something while bytes arrive. */
  if (state != HAUL_DOWNLOAD_DOWNLOADING)
    {
      g_clear_pointer (&self->speed_window, g_free);
      if (self->speed != 0)
        {
          self->speed = 0;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
        }
      if (self->eta != -1)
        {
          self->eta = -1;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ETA]);
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);

  if (state_is_active (old) != state_is_active (state))
    {
      /* can-pause is the same set of states as is-active */
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_ACTIVE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_PAUSE]);
    }
  if (state_is_finished (old) != state_is_finished (state))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_FINISHED]);
  if (state_can_resume (old) != state_can_resume (state))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RESUME]);
  if (state_can_retry (old) != state_can_retry (state))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RETRY]);

  g_object_thaw_notify (G_OBJECT (self));
}

gint64
haul_download_get_received (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), 0);
  return self->received;
}

gint64
haul_download_get_total (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), -1);
  return self->total;
}

double
haul_download_get_speed (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), 0);
  return self->speed;
}

gint64
haul_download_get_eta (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), -1);
  return self->eta;
}

void
haul_download_set_progress (HaulDownload *self,
                            gint64        received,
                            gint64        total,
                            double        speed,
                            gint64        eta)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  g_return_if_fail (received >= 0);
  g_return_if_fail (total >= -1);
  g_return_if_fail (speed >= 0);
  g_return_if_fail (eta >= -1);

  g_object_freeze_notify (G_OBJECT (self));

  if (self->received != received)
    {
      self->received = received;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECEIVED]);
    }
  if (self->total != total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
  if (self->speed != speed)
    {
      self->speed = speed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
    }
  if (self->eta != eta)
    {
      self->eta = eta;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ETA]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static SpeedSample *
speed_window_nth (SpeedWindow *window,
                  guint        n)
{
  return &window->samples[(window->first + n) % SPEED_N_SAMPLES];
}

static void
speed_window_push (SpeedWindow *window,
                   gint64       now_us,
                   gint64       received)
{
  if (window->len == SPEED_N_SAMPLES)
    {
      window->first = (window->first + 1) % SPEED_N_SAMPLES;
      window->len--;
    }
  *speed_window_nth (window, window->len) = (SpeedSample) { now_us, received };
  window->len++;
}

/* The oldest sample still needed: the newest one at least a window old,
 * or the oldest there is. Older ones are dropped. */
static const SpeedSample *
speed_window_base (SpeedWindow *window,
                   gint64       now_us)
{
  while (window->len >= 2 && speed_window_nth (window, 1)->time <= now_us - SPEED_WINDOW_US)
    {
      window->first = (window->first + 1) % SPEED_N_SAMPLES;
      window->len--;
    }
  return speed_window_nth (window, 0);
}

/* The time left to show, given a fresh @estimate (seconds): the last one
 * counted down, then moved toward the estimate by dt / (ETA_SETTLE_S + dt)
 * of the difference. It goes up only when the estimate is more than
 * ETA_SETTLE_S + dt above the count-down, i.e. when the speed really fell. */
static double
speed_window_count_down (SpeedWindow *window,
                         double       estimate,
                         gint64       now_us)
{
  double left = estimate;

  if (window->eta_time != 0)
    {
      double dt = (double) (now_us - window->eta_time) / G_USEC_PER_SEC;
      double counted = MAX (window->eta - dt, 0.0);

      left = counted + (estimate - counted) * dt / (ETA_SETTLE_S + dt);
    }

  window->eta = left;
  window->eta_time = now_us;
  return left;
}

/**
 * haul_download_update_progress:
 * @received: bytes so far
 * @total: bytes announced, -1 if unknown
 * @now_us: g_get_monotonic_time() of this sample
 *
 * Sets the byte counts and derives the speed (averaged over the last few
 * seconds, see SPEED_WINDOW_US) and the time left from it. A @received
 * lower than before (the server restarted the file) starts the averaging
 * again.
 */
void
haul_download_update_progress (HaulDownload *self,
                               gint64        received,
                               gint64        total,
                               gint64        now_us)
{
  SpeedWindow *window;
  const SpeedSample *base;
  const SpeedSample *newest;
  double speed = 0;
  gint64 span;
  gint64 eta = -1;

  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (self->speed_window == NULL)
    self->speed_window = g_new0 (SpeedWindow, 1);
  window = self->speed_window;

  if (window->len > 0 && (received < speed_window_nth (window, window->len - 1)->received
                          || now_us < speed_window_nth (window, window->len - 1)->time))
    *window = (SpeedWindow) { 0 };

  if (window->len == 0)
    speed_window_push (window, now_us, received);

  base = speed_window_base (window, now_us);
  span = now_us - base->time;
  if (span >= SPEED_MIN_SPAN_US)
    speed = (double) (received - base->received) * G_USEC_PER_SEC / (double) span;

  newest = speed_window_nth (window, window->len - 1);
  if (now_us - newest->time >= SPEED_SAMPLE_US)
    speed_window_push (window, now_us, received);

  if (total >= 0 && received >= total)
    eta = 0;
  else if (total > 0 && speed >= 1.0 && span >= ETA_MIN_SPAN_US)
    eta = (gint64) (speed_window_count_down (window, (double) (total - received) / speed, now_us)
                    + 0.5);
  else
    window->eta_time = 0;

  haul_download_set_progress (self, received, total, speed, eta);
}

const char *
haul_download_get_error_message (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->error_message;
}

/* A message alone: it has no text to translate again. */
void
haul_download_set_error_message (HaulDownload *self,
                                 const char   *message)
{
  gboolean changed;

  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  changed = set_string (&self->error_message, message);
  if (self->error_text != NULL)
    {
      g_clear_pointer (&self->error_text, g_variant_unref);
      changed = TRUE;
    }
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

/**
 * haul_download_dup_error_text:
 * @self: a download
 *
 * The reason of the last failure in the language of now: a failure
 * recorded before the user switched languages is said in the new one.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL if none
 */
char *
haul_download_dup_error_text (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);

  if (self->error_message == NULL)
    return NULL;
  if (self->error_text != NULL)
    return haul_error_text_render (self->error_text);
  return g_strdup (self->error_message);
}

/* Message, code and text of @error at once (%NULL: no failure). */
void
haul_download_set_error (HaulDownload *self,
                         const GError *error)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  haul_download_set_error_message (self, error != NULL ? error->message : NULL);
  self->error_code = error != NULL && error->domain == HAUL_ERROR ? error->code : -1;
  haul_download_set_error_text (self, haul_error_get_text (error));
}

GVariant *
haul_download_get_error_text (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->error_text;
}

void
haul_download_set_error_text (HaulDownload *self,
                              GVariant     *text)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (text == self->error_text
      || (text != NULL && self->error_text != NULL && g_variant_equal (text, self->error_text)))
    return;
  g_clear_pointer (&self->error_text, g_variant_unref);
  if (text != NULL)
    self->error_text = g_variant_ref_sink (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

const char *
haul_download_get_notice (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->notice;
}

void
haul_download_set_notice (HaulDownload *self,
                          const char   *notice)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (set_string (&self->notice, notice))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTICE]);
}

gboolean
haul_download_get_file_missing (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), FALSE);
  return self->file_missing;
}

void
haul_download_set_file_missing (HaulDownload *self,
                                gboolean      missing)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  missing = !!missing;
  if (self->file_missing == missing)
    return;
  self->file_missing = missing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE_MISSING]);
}

GDateTime *
haul_download_get_created (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->created;
}

void
haul_download_set_created (HaulDownload *self,
                           GDateTime    *created)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  g_return_if_fail (created != NULL);

  if (set_date_time (&self->created, created))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED]);
}

GDateTime *
haul_download_get_finished (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->finished;
}

void
haul_download_set_finished (HaulDownload *self,
                            GDateTime    *finished)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (set_date_time (&self->finished, finished))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
}

gboolean
haul_download_is_active (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), FALSE);
  return state_is_active (self->state);
}

/* Completed, failed or cancelled: what "Remove finished" clears. */
gboolean
haul_download_is_finished (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), FALSE);
  return state_is_finished (self->state);
}

gboolean
haul_download_can_pause (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), FALSE);
  return state_is_active (self->state);
}

gboolean
haul_download_can_resume (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), FALSE);
  return state_can_resume (self->state);
}

gboolean
haul_download_can_retry (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), FALSE);
  return state_can_retry (self->state);
}

const char *
haul_download_get_partial_path (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->resume->partial_path;
}

void
haul_download_set_partial_path (HaulDownload *self,
                                const char   *partial_path)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  set_string (&self->resume->partial_path, partial_path);
}

const char *
haul_download_get_etag (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->resume->etag;
}

const char *
haul_download_get_last_modified (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->resume->last_modified;
}

void
haul_download_set_validators (HaulDownload *self,
                              const char   *etag,
                              const char   *last_modified)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  set_string (&self->resume->etag, etag);
  set_string (&self->resume->last_modified, last_modified);
}

gint64
haul_download_get_confirmed (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), 0);
  return self->resume->confirmed;
}

void
haul_download_set_confirmed (HaulDownload *self,
                             gint64        confirmed)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  g_return_if_fail (confirmed >= 0);
  self->resume->confirmed = confirmed;
}

const HaulResumeState *
haul_download_get_resume_state (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->resume;
}

void
haul_download_set_resume_state (HaulDownload          *self,
                                const HaulResumeState *state)
{
  HaulResumeState *old;

  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  g_return_if_fail (state != NULL);

  if (state == self->resume)
    return;

  old = self->resume;
  self->resume = haul_resume_state_copy (state);
  /* A name or type learnt stays known even if this state lacks it. */
  if (self->resume->file_name == NULL)
    self->resume->file_name = g_strdup (old->file_name);
  if (self->resume->content_type == NULL)
    self->resume->content_type = g_strdup (old->content_type);
  if (self->resume->final_uri == NULL)
    self->resume->final_uri = g_strdup (old->final_uri);
  if (self->resume->folder == NULL)
    self->resume->folder = g_strdup (old->folder);

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (old->folder != NULL ? old->folder : self->folder,
                 haul_download_get_folder (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDER]);
  if (old->category != self->resume->category)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY]);
  if (g_strcmp0 (old->final_uri, self->resume->final_uri) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINAL_URI]);
  if (g_strcmp0 (old->file_name, self->resume->file_name) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE_NAME]);
  if (g_strcmp0 (old->content_type, self->resume->content_type) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT_TYPE]);
  g_object_thaw_notify (G_OBJECT (self));
  haul_resume_state_free (old);
}

void
haul_download_reset_resume_state (HaulDownload *self)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  haul_resume_state_reset (self->resume);
}

HaulWaiting
haul_download_get_waiting (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), HAUL_WAITING_NONE);
  return self->waiting;
}

gint64
haul_download_get_retry_at (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), 0);
  return self->retry_at;
}

void
haul_download_set_waiting (HaulDownload *self,
                           HaulWaiting   waiting,
                           gint64        retry_at)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->waiting != waiting)
    {
      self->waiting = waiting;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
    }
  if (self->retry_at != retry_at)
    {
      self->retry_at = retry_at;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_AT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

guint
haul_download_get_connections (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), 0);
  return self->connections;
}

void
haul_download_set_connections (HaulDownload *self,
                               guint         connections)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (self->connections == connections)
    return;
  self->connections = connections;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTIONS]);
}

guint64
haul_download_get_speed_limit (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), 0);
  return self->speed_limit;
}

void
haul_download_set_speed_limit (HaulDownload *self,
                               guint64       bytes_per_second)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (self->speed_limit == bytes_per_second)
    return;
  self->speed_limit = bytes_per_second;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED_LIMIT]);
}

gboolean
haul_download_get_from_browser (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), FALSE);
  return self->from_browser;
}

void
haul_download_set_from_browser (HaulDownload *self,
                                gboolean      from_browser)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (self->from_browser == !!from_browser)
    return;
  self->from_browser = !!from_browser;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROM_BROWSER]);
}

void
haul_download_set_request_extras (HaulDownload *self,
                                  const char   *authorization,
                                  const char   *cookies,
                                  const char   *referrer,
                                  const char   *user_agent)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  set_string (&self->authorization, authorization);
  set_string (&self->cookies, cookies);
  set_string (&self->referrer, referrer);
  set_string (&self->user_agent, user_agent);
}

void
haul_download_get_request_extras (HaulDownload  *self,
                                  const char   **authorization,
                                  const char   **cookies,
                                  const char   **referrer,
                                  const char   **user_agent)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  *authorization = self->authorization;
  *cookies = self->cookies;
  *referrer = self->referrer;
  *user_agent = self->user_agent;
}

HaulCategory
haul_download_get_category (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), HAUL_CATEGORY_OTHER);
  return self->resume->category;
}

void
haul_download_set_category (HaulDownload *self,
                            HaulCategory  category)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (self->resume->category == category)
    return;
  self->resume->category = category;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY]);
}

gboolean
haul_download_get_by_category (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), FALSE);
  return self->by_category;
}

void
haul_download_set_by_category (HaulDownload *self,
                               gboolean      by_category)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  self->by_category = !!by_category;
}

int
haul_download_get_error_code (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), -1);
  return self->error_code;
}

void
haul_download_set_error_code (HaulDownload *self,
                              int           code)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  self->error_code = code;
}

const HaulChecksumSpec *
haul_download_get_checksum (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->checksum;
}

void
haul_download_set_checksum (HaulDownload           *self,
                            const HaulChecksumSpec *spec)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (self->checksum == spec
      || (self->checksum != NULL && spec != NULL && haul_checksum_spec_equal (self->checksum, spec)))
    return;
  g_clear_pointer (&self->checksum, haul_checksum_spec_free);
  self->checksum = spec != NULL ? haul_checksum_spec_copy (spec) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKSUM]);
}

HaulChecksumState
haul_download_get_checksum_state (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), HAUL_CHECKSUM_NONE);
  return self->checksum_state;
}

void
haul_download_set_checksum_state (HaulDownload      *self,
                                  HaulChecksumState  state)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (self->checksum_state == state)
    return;
  self->checksum_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKSUM_STATE]);
}

double
haul_download_get_checksum_progress (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), 0);
  return self->checksum_progress;
}

void
haul_download_set_checksum_progress (HaulDownload *self,
                                     double        progress)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  progress = CLAMP (progress, 0, 1);
  if (self->checksum_progress == progress)
    return;
  self->checksum_progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKSUM_PROGRESS]);
}

void
haul_download_set_uri (HaulDownload *self,
                       const char   *uri)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  g_return_if_fail (uri != NULL);

  if (set_string (&self->uri, uri))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URI]);
}

const char *
haul_download_get_engine_id (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->engine_id;
}

void
haul_download_set_engine_id (HaulDownload *self,
                             const char   *engine_id)
{
  gboolean reachable;

  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  reachable = haul_download_get_file_reachable (self);
  set_string (&self->engine_id, engine_id);
  if (reachable != haul_download_get_file_reachable (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE_REACHABLE]);
}

void
haul_download_set_remote_path (HaulDownload *self,
                               const char   *local_path)
{
  gboolean reachable;

  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  reachable = haul_download_get_file_reachable (self);
  set_string (&self->remote_path, local_path);
  if (reachable != haul_download_get_file_reachable (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE_REACHABLE]);
}

gboolean
haul_download_get_file_reachable (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), FALSE);
  return self->engine_id == NULL || self->remote_path != NULL;
}

double
haul_download_get_position (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), 0);
  return self->position;
}

void
haul_download_set_position (HaulDownload *self,
                            double        position)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  self->position = position;
}
