/* haul-download.c: one download's state, as properties
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The type, its properties, its state and progress. Where it stands on
 * disk is haul-download-resume.c, what it has to tell (failure, notice,
 * checksum) haul-download-report.c; haul-download-struct.h says how the
 * three share the instance.
 */

#include "config.h"

#include "haul-checksum.h"
#include "haul-download-private.h"
#include "haul-download-struct.h"
#include "haul-speed-meter.h"

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

GParamSpec *haul_download_properties[N_PROPS];

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
  g_clear_pointer (&self->speed_meter, haul_speed_meter_free);

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
      g_value_set_boxed (value, haul_download_get_created (self));
      break;
    case PROP_FINISHED:
      g_value_set_boxed (value, haul_download_get_finished (self));
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
  haul_download_properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  haul_download_properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL, construct);
  /* The URL after redirects, once known. */
  haul_download_properties[PROP_FINAL_URI] =
    g_param_spec_string ("final-uri", NULL, NULL, NULL, ro);
  /* Where the file goes: given at the start, then the folder its partial
   * file was made in (the transfer may choose it by the file's kind). */
  haul_download_properties[PROP_FOLDER] =
    g_param_spec_string ("folder", NULL, NULL, NULL, construct);
  /* The name in @folder, once chosen (NULL before the first answer). */
  haul_download_properties[PROP_FILE_NAME] =
    g_param_spec_string ("file-name", NULL, NULL, NULL, ro);
  haul_download_properties[PROP_CONTENT_TYPE] =
    g_param_spec_string ("content-type", NULL, NULL, NULL, ro);
  haul_download_properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       HAUL_TYPE_DOWNLOAD_STATE, HAUL_DOWNLOAD_QUEUED, ro);
  haul_download_properties[PROP_RECEIVED] =
    g_param_spec_int64 ("received", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /* -1 while unknown */
  haul_download_properties[PROP_TOTAL] =
    g_param_spec_int64 ("total", NULL, NULL, -1, G_MAXINT64, -1, ro);
  /* Bytes per second, smoothed; 0 when not downloading. */
  haul_download_properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  /* Seconds left, -1 while unknown. */
  haul_download_properties[PROP_ETA] =
    g_param_spec_int64 ("eta", NULL, NULL, -1, G_MAXINT64, -1, ro);
  haul_download_properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  /* Something the user should know that is not an error. */
  haul_download_properties[PROP_NOTICE] =
    g_param_spec_string ("notice", NULL, NULL, NULL, ro);
  /* A completed download whose file is no longer on disk. */
  haul_download_properties[PROP_FILE_MISSING] =
    g_param_spec_boolean ("file-missing", NULL, NULL, FALSE, ro);
  haul_download_properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, ro);
  haul_download_properties[PROP_FINISHED] =
    g_param_spec_boxed ("finished", NULL, NULL, G_TYPE_DATE_TIME, ro);

  /* Derived from :state, for bindings. */
  haul_download_properties[PROP_CAN_PAUSE] =
    g_param_spec_boolean ("can-pause", NULL, NULL, TRUE, ro);
  haul_download_properties[PROP_CAN_RESUME] =
    g_param_spec_boolean ("can-resume", NULL, NULL, FALSE, ro);
  haul_download_properties[PROP_CAN_RETRY] =
    g_param_spec_boolean ("can-retry", NULL, NULL, FALSE, ro);
  haul_download_properties[PROP_IS_ACTIVE] =
    g_param_spec_boolean ("is-active", NULL, NULL, TRUE, ro);
  haul_download_properties[PROP_IS_FINISHED] =
    g_param_spec_boolean ("is-finished", NULL, NULL, FALSE, ro);

  /* Why a queued download is not running yet. */
  haul_download_properties[PROP_WAITING] =
    g_param_spec_enum ("waiting", NULL, NULL,
                       HAUL_TYPE_WAITING, HAUL_WAITING_NONE, ro);
  /* When a waiting download tries again: g_get_real_time() µs, 0 if not
   * set. */
  haul_download_properties[PROP_RETRY_AT] =
    g_param_spec_int64 ("retry-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /* Connections in use right now. */
  haul_download_properties[PROP_CONNECTIONS] =
    g_param_spec_uint ("connections", NULL, NULL, 0, 64, 0, ro);
  /* This download's own limit, bytes per second (0: none). */
  haul_download_properties[PROP_SPEED_LIMIT] =
    g_param_spec_uint64 ("speed-limit", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  /* Handed over by the browser extension. */
  haul_download_properties[PROP_FROM_BROWSER] =
    g_param_spec_boolean ("from-browser", NULL, NULL, FALSE, ro);

  /* The expected checksum, when one is known (HaulChecksumSpec). */
  haul_download_properties[PROP_CHECKSUM] =
    g_param_spec_boxed ("checksum", NULL, NULL, HAUL_TYPE_CHECKSUM_SPEC, ro);
  haul_download_properties[PROP_CHECKSUM_STATE] =
    g_param_spec_enum ("checksum-state", NULL, NULL,
                       HAUL_TYPE_CHECKSUM_STATE, HAUL_CHECKSUM_NONE, ro);
  /* The kind of file (HaulCategory): guessed from the address, then
   * from the server's answer once the file is made. */
  haul_download_properties[PROP_CATEGORY] =
    g_param_spec_enum ("category", NULL, NULL, HAUL_TYPE_CATEGORY, HAUL_CATEGORY_OTHER, ro);
  /* How much of the finished file is hashed (0–1) while :checksum-state is
   * verifying; :received stays at :total meanwhile. */
  haul_download_properties[PROP_CHECKSUM_PROGRESS] =
    g_param_spec_double ("checksum-progress", NULL, NULL, 0, 1, 0, ro);
  /* Its file is (or will be) on this machine: always for the built-in
   * engine; for a remote engine's download only when its daemon's folder
   * maps to a local path. Open and Show in Folder need it. */
  haul_download_properties[PROP_FILE_REACHABLE] =
    g_param_spec_boolean ("file-reachable", NULL, NULL, TRUE, ro);

  g_object_class_install_properties (object_class, N_PROPS, haul_download_properties);
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

/**
 * haul_download_new_recorded:
 * @uri: its address, without credentials
 * @folder: the folder it was added with
 * @resume: (transfer full): where it stands on disk
 * @record: the rest of what the store recorded
 *
 * The store's restore: a download as it was recorded, with @record's
 * bytes received and @resume's total, speed and time left unknown. It is
 * built without a notification or a copy: nothing can be connected to it
 * yet, and a long history makes 100,000 of them before the window's first
 * frame (GLib 2.74 allocates a notification queue for every setter). The
 * times become #GDateTime when first asked for.
 *
 * Returns: (transfer full): the download
 */
HaulDownload *
haul_download_new_recorded (const char               *uri,
                            const char               *folder,
                            HaulResumeState          *resume,
                            const HaulDownloadRecord *record)
{
  HaulDownload *self;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (folder != NULL, NULL);
  g_return_val_if_fail (resume != NULL, NULL);
  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (record->state <= HAUL_DOWNLOAD_CANCELLED, NULL);
  g_return_val_if_fail (record->received >= 0 && resume->total >= -1, NULL);

  self = g_object_new (HAUL_TYPE_DOWNLOAD, NULL);
  self->uri = g_strdup (uri);
  self->folder = g_strdup (folder);
  haul_resume_state_free (self->resume);
  self->resume = resume;
  self->id = MAX (0, record->id);
  self->state = record->state;
  self->received = record->received;
  self->total = resume->total;
  if (record->created_us > 0)
    {
      g_clear_pointer (&self->created, g_date_time_unref);
      self->created_us = record->created_us;
    }
  self->finished_us = MAX (0, record->finished_us);
  return self;
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
  g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_ID]);
}

const char *
haul_download_get_uri (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->uri;
}

const char *
haul_download_get_folder (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->resume->folder != NULL ? self->resume->folder : self->folder;
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
      g_clear_pointer (&self->speed_meter, haul_speed_meter_free);
      if (self->speed != 0)
        {
          self->speed = 0;
          g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_SPEED]);
        }
      if (self->eta != -1)
        {
          self->eta = -1;
          g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_ETA]);
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_STATE]);

  if (state_is_active (old) != state_is_active (state))
    {
      /* can-pause is the same set of states as is-active */
      g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_IS_ACTIVE]);
      g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_CAN_PAUSE]);
    }
  if (state_is_finished (old) != state_is_finished (state))
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_IS_FINISHED]);
  if (state_can_resume (old) != state_can_resume (state))
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_CAN_RESUME]);
  if (state_can_retry (old) != state_can_retry (state))
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_CAN_RETRY]);

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
      g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_RECEIVED]);
    }
  if (self->total != total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_TOTAL]);
    }
  if (self->speed != speed)
    {
      self->speed = speed;
      g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_SPEED]);
    }
  if (self->eta != eta)
    {
      self->eta = eta;
      g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_ETA]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * haul_download_update_progress:
 * @received: bytes so far
 * @total: bytes announced, -1 if unknown
 * @now_us: g_get_monotonic_time() of this sample
 *
 * Sets the byte counts and derives the speed (averaged over the last few
 * seconds, see haul-speed-meter.c) and the time left from it. A @received
 * lower than before (the server restarted the file) starts the averaging
 * again.
 */
void
haul_download_update_progress (HaulDownload *self,
                               gint64        received,
                               gint64        total,
                               gint64        now_us)
{
  double speed;
  gint64 eta;

  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (self->speed_meter == NULL)
    self->speed_meter = haul_speed_meter_new ();
  haul_speed_meter_update (self->speed_meter, received, total, now_us, &speed, &eta);

  haul_download_set_progress (self, received, total, speed, eta);
}

/* The local time zone, looked up once: GLib 2.74's g_time_zone_new_local()
 * (under g_date_time_new_from_unix_local()) stats and reads the
 * /etc/localtime link again on every call. */
static GTimeZone *
local_zone (void)
{
  static gsize zone = 0;

  if (g_once_init_enter (&zone))
    g_once_init_leave (&zone, (gsize) g_time_zone_new_local ());
  return (GTimeZone *) zone;
}

/* A recorded time (µs since the epoch, > 0) in the local zone, or NULL
 * when it is out of GDateTime's range. */
static GDateTime *
date_time_from_usec (gint64 usec)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) utc = NULL;

  if (seconds == NULL)
    return NULL;
  utc = g_date_time_add (seconds, usec % G_USEC_PER_SEC);
  if (utc == NULL)
    return NULL;
  return g_date_time_to_timezone (utc, local_zone ());
}

GDateTime *
haul_download_get_created (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);

  if (self->created == NULL)
    {
      self->created = date_time_from_usec (self->created_us);
      if (self->created == NULL)
        self->created = g_date_time_new_now_utc ();
    }
  return self->created;
}

void
haul_download_set_created (HaulDownload *self,
                           GDateTime    *created)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  g_return_if_fail (created != NULL);

  haul_download_get_created (self);
  if (download_set_date_time (&self->created, created))
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_CREATED]);
}

GDateTime *
haul_download_get_finished (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);

  if (self->finished == NULL && self->finished_us > 0)
    {
      self->finished = date_time_from_usec (self->finished_us);
      self->finished_us = 0;
    }
  return self->finished;
}

void
haul_download_set_finished (HaulDownload *self,
                            GDateTime    *finished)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  haul_download_get_finished (self);
  if (download_set_date_time (&self->finished, finished))
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_FINISHED]);
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
      g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_WAITING]);
    }
  if (self->retry_at != retry_at)
    {
      self->retry_at = retry_at;
      g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_RETRY_AT]);
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
  g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_CONNECTIONS]);
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
  g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_SPEED_LIMIT]);
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
  g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_FROM_BROWSER]);
}

void
haul_download_set_uri (HaulDownload *self,
                       const char   *uri)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  g_return_if_fail (uri != NULL);

  if (download_set_string (&self->uri, uri))
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_URI]);
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
  download_set_string (&self->engine_id, engine_id);
  if (reachable != haul_download_get_file_reachable (self))
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_FILE_REACHABLE]);
}

void
haul_download_set_remote_path (HaulDownload *self,
                               const char   *local_path)
{
  gboolean reachable;

  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  reachable = haul_download_get_file_reachable (self);
  download_set_string (&self->remote_path, local_path);
  if (reachable != haul_download_get_file_reachable (self))
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_FILE_REACHABLE]);
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
