/* haul-status-text.c: what a row and the details say about a download
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-checksum.h"
#include "haul-status-text.h"
#include "haul-util.h"

char *
haul_format_amount (HaulDownload *download)
{
  gint64 received;
  gint64 total;
  g_autofree char *done = NULL;

  g_return_val_if_fail (HAUL_IS_DOWNLOAD (download), NULL);

  received = haul_download_get_received (download);
  total = haul_download_get_total (download);
  if (received <= 0)
    return NULL;

  done = g_format_size ((guint64) received);
  if (total > 0)
    {
      g_autofree char *all = g_format_size ((guint64) total);
      /* Translators: "12.3 MB of 100 MB" */
      return g_strdup_printf (_("%s of %s"), done, all);
    }

  return g_steal_pointer (&done);
}

char *
haul_format_when (GDateTime *when,
                  GDateTime *now)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  g_autoptr(GDateTime) yesterday = NULL;
  int year, month, day;
  int now_year, now_month, now_day;
  int y_year, y_month, y_day;

  g_return_val_if_fail (when != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  local = g_date_time_to_local (when);
  local_now = g_date_time_to_local (now);
  yesterday = g_date_time_add_days (local_now, -1);
  g_date_time_get_ymd (local, &year, &month, &day);
  g_date_time_get_ymd (local_now, &now_year, &now_month, &now_day);
  g_date_time_get_ymd (yesterday, &y_year, &y_month, &y_day);

  if (year == now_year && month == now_month && day == now_day)
    /* Translators: a time today, as g_date_time_format() writes it: "14:02" */
    return g_date_time_format (local, _("%H:%M"));
  if (year == y_year && month == y_month && day == y_day)
    return g_strdup (_("Yesterday"));
  if (year == now_year)
    /* Translators: a day this year, as g_date_time_format() writes it: "12 Nov" */
    return g_date_time_format (local, _("%-e %b"));
  /* Translators: a day in another year, as g_date_time_format() writes it: "12 Nov 2025" */
  return g_date_time_format (local, _("%-e %b %Y"));
}

static char *
format_progress (HaulDownload *download)
{
  gint64 received = haul_download_get_received (download);
  gint64 total = haul_download_get_total (download);
  double speed = haul_download_get_speed (download);
  gint64 eta = haul_download_get_eta (download);
  g_autofree char *amount = haul_format_amount (download);
  g_autoptr(GString) text = g_string_new (amount);

  if (amount == NULL)
    {
      g_autofree char *zero = g_format_size (0);

      if (total > 0)
        {
          g_autofree char *all = g_format_size ((guint64) total);
          g_string_append_printf (text, _("%s of %s"), zero, all);
        }
      else
        g_string_append (text, zero);
    }

  if (speed > 0)
    {
      g_autofree char *rate = g_format_size ((guint64) speed);
      /* Translators: the separator between parts of a status line, then a speed: " · 4.5 MB/s" */
      g_string_append_printf (text, _(" · %s/s"), rate);
    }

  if (total > 0 && received < total && eta >= 0 && speed > 0)
    {
      g_autofree char *left = haul_format_duration (eta);
      /* Translators: " · 20 seconds left" */
      g_string_append_printf (text, _(" · %s left"), left);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "@word · 5.6 MB of 21 MB", or @word alone when nothing arrived. */
static char *
with_amount (HaulDownload *download,
             const char   *word)
{
  g_autofree char *amount = haul_format_amount (download);

  if (amount == NULL)
    return g_strdup (word);
  /* Translators: a state and what has arrived: "Paused · 5.6 MB of 21 MB" */
  return g_strdup_printf (_("%s · %s"), word, amount);
}

static char *
format_completed (HaulDownload *download,
                  GDateTime    *now)
{
  gint64 size = haul_download_get_total (download);
  GDateTime *finished = haul_download_get_finished (download);
  g_autofree char *text = NULL;

  if (haul_download_get_file_missing (download))
    return g_strdup (_("File missing"));

  if (size <= 0)
    size = haul_download_get_received (download);
  text = g_format_size ((guint64) MAX (size, 0));

  if (haul_download_get_checksum_state (download) == HAUL_CHECKSUM_VERIFIED
      && haul_download_get_checksum (download) != NULL)
    {
      g_autofree char *verified =
        haul_checksum_spec_describe_verified (haul_download_get_checksum (download));
      g_autofree char *amount = g_steal_pointer (&text);

      /* Translators: what the file was checked against, then its size:
         "SHA-256 verified · 3.4 MB" (then "Completed · " before it) */
      text = g_strdup_printf (_("%s · %s"), verified, amount);
    }

  if (finished != NULL)
    {
      g_autofree char *when = haul_format_when (finished, now);
      /* Translators: "Completed · 3.4 MB · 14:02" (or "· Yesterday", "· 12 Nov") */
      return g_strdup_printf (_("Completed · %s · %s"), text, when);
    }

  /* Translators: "Completed · 1.0 MB" */
  return g_strdup_printf (_("Completed · %s"), text);
}

/* Outside the hours downloads run in: until when (within a day). */
static char *
format_scheduled (HaulDownload *download)
{
  gint64 opens_at = haul_download_get_retry_at (download);
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *time = NULL;
  g_autofree char *word = NULL;

  if (opens_at <= 0)
    return with_amount (download, _("Waiting for the scheduled hours"));
  when = g_date_time_new_from_unix_local (opens_at / G_USEC_PER_SEC);
  /* Translators: a time of day, as g_date_time_format() writes it: "01:00" */
  time = g_date_time_format (when, _("%H:%M"));
  /* Translators: outside the scheduled hours; %s is when they begin, "01:00" */
  word = g_strdup_printf (_("Waiting until %s"), time);
  return with_amount (download, word);
}

/* "Failed · SHA-256 mismatch": every byte came, but not the file that was
 * asked for, so the amount says nothing (the reason, with both digests, is
 * the row's message line). */
static char *
format_failed (HaulDownload *download)
{
  const HaulChecksumSpec *spec = haul_download_get_checksum (download);

  if (haul_download_get_checksum_state (download) == HAUL_CHECKSUM_MISMATCH && spec != NULL)
    {
      GChecksumType algorithm = haul_checksum_spec_get_algorithm (spec);

      /* Translators: the downloaded file has another checksum than the
         expected one; %s is a type such as SHA-256: "Failed · SHA-256 mismatch" */
      return g_strdup_printf (_("Failed · %s mismatch"),
                              haul_checksum_algorithm_get_label (algorithm));
    }

  return with_amount (download, _("Failed"));
}

gint64
haul_retry_seconds_left (HaulDownload *download,
                         GDateTime    *now)
{
  gint64 retry_at;
  gint64 now_us;

  g_return_val_if_fail (HAUL_IS_DOWNLOAD (download), -1);
  g_return_val_if_fail (now != NULL, -1);

  retry_at = haul_download_get_retry_at (download);
  if (retry_at <= 0)
    return -1;
  /* :retry-at is real time in µs; GDateTime has no µs since the epoch
   * before GLib 2.80. */
  now_us = g_date_time_to_unix (now) * G_USEC_PER_SEC + g_date_time_get_microsecond (now);
  if (retry_at <= now_us)
    return 0;
  /* Rounded up: "in 1 s" until the instant itself, never "in 0 s". */
  return (retry_at - now_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
}

/* "4 s", "2 min 5 s", "5 min": short, as a countdown that changes every
 * second must be (the words around it do not move much). */
static char *
format_countdown (gint64 seconds)
{
  if (seconds < 60)
    /* Translators: a countdown in seconds, "4 s" */
    return g_strdup_printf (_("%u s"), (guint) seconds);
  if (seconds % 60 == 0 || seconds >= 3600)
    /* Translators: a countdown in whole minutes, "5 min" */
    return g_strdup_printf (_("%u min"), (guint) ((seconds + 59) / 60));
  /* Translators: a countdown in minutes and seconds, "2 min 5 s" */
  return g_strdup_printf (_("%u min %u s"), (guint) (seconds / 60), (guint) (seconds % 60));
}

static char *
format_retry (HaulDownload *download,
              GDateTime    *now,
              gboolean      busy)
{
  gint64 left = haul_retry_seconds_left (download, now);
  g_autofree char *when = NULL;
  g_autofree char *word = NULL;

  if (left <= 0)
    return with_amount (download, busy ? _("Server busy · retrying…") : _("Retrying…"));

  when = format_countdown (left);
  if (busy)
    /* Translators: the server asked Haul to wait: "Server busy · retrying in 30 s" */
    word = g_strdup_printf (_("Server busy · retrying in %s"), when);
  else
    /* Translators: a temporary failure: "Retrying in 4 s" */
    word = g_strdup_printf (_("Retrying in %s"), when);
  return with_amount (download, word);
}

/* Why an unfinished download does not move, or NULL when nothing holds
 * it. The daemon's absence holds a download in any unfinished state, the
 * other waits only a queued one. */
static char *
format_waiting (HaulDownload *download,
                GDateTime    *now)
{
  HaulDownloadState state = haul_download_get_state (download);

  if (haul_download_is_finished (download))
    return NULL;

  switch (haul_download_get_waiting (download))
    {
    case HAUL_WAITING_DAEMON:
      return with_amount (download, _("The download engine cannot be reached"));
    case HAUL_WAITING_NONE:
      return NULL;
    default:
      if (state != HAUL_DOWNLOAD_QUEUED)
        return NULL;
      break;
    }

  switch (haul_download_get_waiting (download))
    {
    case HAUL_WAITING_RETRY:
      return format_retry (download, now, FALSE);
    case HAUL_WAITING_SERVER_BUSY:
      return format_retry (download, now, TRUE);
    case HAUL_WAITING_NETWORK:
      return with_amount (download, _("Waiting for the network"));
    case HAUL_WAITING_METERED:
      return with_amount (download, _("Waiting for an unmetered connection"));
    case HAUL_WAITING_SCHEDULE:
      return format_scheduled (download);
    case HAUL_WAITING_NONE:
    case HAUL_WAITING_DAEMON:
    default:
      return NULL;
    }
}

/* "Verifying · 45 %": the last byte is in, the file is being hashed. */
static char *
format_verifying (HaulDownload *download)
{
  double progress = CLAMP (haul_download_get_checksum_progress (download), 0.0, 1.0);

  /* Translators: the finished file's checksum is being computed, and how
     far: "Verifying · 45 %" */
  return g_strdup_printf (_("Verifying · %u %%"), (guint) (progress * 100.0));
}

gboolean
haul_status_is_verifying (HaulDownload *download)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (download), FALSE);

  return haul_download_get_checksum_state (download) == HAUL_CHECKSUM_VERIFYING
         && !haul_download_is_finished (download)
         && haul_download_get_state (download) != HAUL_DOWNLOAD_PAUSED;
}

char *
haul_format_status (HaulDownload *download,
                    GDateTime    *now)
{
  char *waiting;

  g_return_val_if_fail (HAUL_IS_DOWNLOAD (download), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  waiting = format_waiting (download, now);
  if (waiting != NULL)
    return waiting;
  if (haul_status_is_verifying (download))
    return format_verifying (download);

  switch (haul_download_get_state (download))
    {
    case HAUL_DOWNLOAD_QUEUED:
      return with_amount (download, _("Queued"));

    case HAUL_DOWNLOAD_CONNECTING:
      return with_amount (download, _("Connecting…"));

    case HAUL_DOWNLOAD_DOWNLOADING:
      return format_progress (download);

    case HAUL_DOWNLOAD_PAUSED:
      return with_amount (download, _("Paused"));

    case HAUL_DOWNLOAD_COMPLETED:
      return format_completed (download, now);

    case HAUL_DOWNLOAD_FAILED:
      return format_failed (download);

    case HAUL_DOWNLOAD_CANCELLED:
      return g_strdup (_("Cancelled"));

    default:
      g_assert_not_reached ();
    }
}
