/* test-download.c: HaulDownload's properties
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "haul-download-private.h"

/* Counts "notify" emissions per property name. */
typedef struct
{
  GHashTable *counts;  /* name → GUINT_TO_POINTER (n) */
} Notes;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  Notes *notes = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (notes->counts, pspec->name));

  g_hash_table_insert (notes->counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static guint
notes_get (Notes      *notes,
           const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (notes->counts, name));
}

static guint
notes_total (Notes *notes)
{
  GHashTableIter iter;
  gpointer value;
  guint total = 0;

  g_hash_table_iter_init (&iter, notes->counts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    total += GPOINTER_TO_UINT (value);
  return total;
}

static void
notes_reset (Notes *notes)
{
  g_hash_table_remove_all (notes->counts);
}

typedef struct
{
  HaulDownload *download;
  Notes         notes;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->download = haul_download_new ("https://example.com/a/file.iso", "/tmp/folder");
  fixture->notes.counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_signal_connect (fixture->download, "notify", G_CALLBACK (on_notify), &fixture->notes);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->download);
  g_hash_table_unref (fixture->notes.counts);
}

static void
test_defaults (Fixture       *fixture,
               gconstpointer  data)
{
  HaulDownload *d = fixture->download;
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  HaulDownloadState state;
  gboolean can_pause;

  g_assert_cmpint (haul_download_get_id (d), ==, 0);
  g_assert_cmpstr (haul_download_get_uri (d), ==, "https://example.com/a/file.iso");
  g_assert_cmpstr (haul_download_get_folder (d), ==, "/tmp/folder");
  g_assert_null (haul_download_get_final_uri (d));
  g_assert_null (haul_download_get_file_name (d));
  g_assert_null (haul_download_dup_path (d));
  g_assert_cmpint (haul_download_get_state (d), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_cmpint (haul_download_get_received (d), ==, 0);
  g_assert_cmpint (haul_download_get_total (d), ==, -1);
  g_assert_cmpfloat (haul_download_get_speed (d), ==, 0);
  g_assert_cmpint (haul_download_get_eta (d), ==, -1);
  g_assert_null (haul_download_get_error_message (d));
  g_assert_false (haul_download_get_file_missing (d));
  g_assert_nonnull (haul_download_get_created (d));
  g_assert_null (haul_download_get_finished (d));
  g_assert_true (haul_download_is_active (d));
  g_assert_true (haul_download_can_pause (d));
  g_assert_false (haul_download_can_resume (d));
  g_assert_false (haul_download_can_retry (d));
  g_assert_false (haul_download_is_finished (d));

  haul_download_set_file_name (d, "file.iso");
  path = haul_download_dup_path (d);
  g_assert_cmpstr (path, ==, "/tmp/folder/file.iso");

  /* The same through GObject properties, as bindings see them. */
  g_object_get (d, "uri", &uri, "state", &state, "can-pause", &can_pause, NULL);
  g_assert_cmpstr (uri, ==, "https://example.com/a/file.iso");
  g_assert_cmpint (state, ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_true (can_pause);
}

static void
test_state_enum (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (HAUL_TYPE_DOWNLOAD_STATE);
  GEnumValue *value;

  g_assert_true (G_TYPE_IS_ENUM (HAUL_TYPE_DOWNLOAD_STATE));
  value = g_enum_get_value_by_nick (klass, "downloading");
  g_assert_nonnull (value);
  g_assert_cmpint (value->value, ==, HAUL_DOWNLOAD_DOWNLOADING);
  value = g_enum_get_value_by_nick (klass, "cancelled");
  g_assert_nonnull (value);
  g_assert_cmpint (value->value, ==, HAUL_DOWNLOAD_CANCELLED);
  g_assert_cmpint (klass->n_values, ==, 7);
}

static void
test_notify_on_change (Fixture       *fixture,
                       gconstpointer  data)
{
  HaulDownload *d = fixture->download;
  Notes *notes = &fixture->notes;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);
  g_autoptr(GDateTime) same = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);

  haul_download_set_file_name (d, "a.bin");
  haul_download_set_file_name (d, "a.bin");
  g_assert_cmpuint (notes_get (notes, "file-name"), ==, 1);

  haul_download_set_final_uri (d, "https://example.com/b");
  haul_download_set_final_uri (d, "https://example.com/b");
  g_assert_cmpuint (notes_get (notes, "final-uri"), ==, 1);

  haul_download_set_content_type (d, "text/plain");
  haul_download_set_content_type (d, "text/plain");
  g_assert_cmpuint (notes_get (notes, "content-type"), ==, 1);

  haul_download_set_error_message (d, "x");
  haul_download_set_error_message (d, "x");
  haul_download_set_error_message (d, NULL);
  haul_download_set_error_message (d, NULL);
  g_assert_cmpuint (notes_get (notes, "error-message"), ==, 2);

  haul_download_set_notice (d, "n");
  haul_download_set_notice (d, "n");
  g_assert_cmpuint (notes_get (notes, "notice"), ==, 1);

  haul_download_set_file_missing (d, TRUE);
  haul_download_set_file_missing (d, 2); /* still TRUE */
  g_assert_cmpuint (notes_get (notes, "file-missing"), ==, 1);

  haul_download_set_id (d, 7);
  haul_download_set_id (d, 7);
  g_assert_cmpuint (notes_get (notes, "id"), ==, 1);

  haul_download_set_finished (d, when);
  haul_download_set_finished (d, same);
  g_assert_cmpuint (notes_get (notes, "finished"), ==, 1);
  haul_download_set_created (d, when);
  haul_download_set_created (d, same);
  g_assert_cmpuint (notes_get (notes, "created"), ==, 1);

  notes_reset (notes);
  haul_download_set_progress (d, 10, 100, 0, -1);
  g_assert_cmpuint (notes_get (notes, "received"), ==, 1);
  g_assert_cmpuint (notes_get (notes, "total"), ==, 1);
  g_assert_cmpuint (notes_get (notes, "speed"), ==, 0);
  g_assert_cmpuint (notes_get (notes, "eta"), ==, 0);
  haul_download_set_progress (d, 10, 100, 0, -1);
  g_assert_cmpuint (notes_total (notes), ==, 2);

  /* Resume state is not shown: no notifications at all. */
  notes_reset (notes);
  haul_download_set_partial_path (d, "/tmp/folder/.a.bin.part");
  haul_download_set_validators (d, "\"v1\"", NULL);
  haul_download_set_confirmed (d, 10);
  g_assert_cmpuint (notes_total (notes), ==, 0);
  g_assert_cmpstr (haul_download_get_partial_path (d), ==, "/tmp/folder/.a.bin.part");
  g_assert_cmpstr (haul_download_get_etag (d), ==, "\"v1\"");
  g_assert_null (haul_download_get_last_modified (d));
  g_assert_cmpint (haul_download_get_confirmed (d), ==, 10);
}

/* Each state sets the derived flags, and only flags that change notify. */
static void
test_derived_flags (Fixture       *fixture,
                    gconstpointer  data)
{
  HaulDownload *d = fixture->download;
  Notes *notes = &fixture->notes;

  haul_download_set_state (d, HAUL_DOWNLOAD_QUEUED);
  g_assert_cmpuint (notes_total (notes), ==, 0);

  haul_download_set_state (d, HAUL_DOWNLOAD_CONNECTING);
  g_assert_cmpuint (notes_get (notes, "state"), ==, 1);
  g_assert_cmpuint (notes_get (notes, "is-active"), ==, 0);
  g_assert_cmpuint (notes_get (notes, "can-pause"), ==, 0);

  haul_download_set_state (d, HAUL_DOWNLOAD_DOWNLOADING);
  haul_download_set_state (d, HAUL_DOWNLOAD_PAUSED);
  g_assert_cmpuint (notes_get (notes, "state"), ==, 3);
  g_assert_cmpuint (notes_get (notes, "is-active"), ==, 1);
  g_assert_cmpuint (notes_get (notes, "can-pause"), ==, 1);
  g_assert_cmpuint (notes_get (notes, "can-resume"), ==, 1);
  g_assert_false (haul_download_can_pause (d));
  g_assert_true (haul_download_can_resume (d));
  g_assert_false (haul_download_can_retry (d));
  g_assert_false (haul_download_is_finished (d));

  notes_reset (notes);
  haul_download_set_state (d, HAUL_DOWNLOAD_FAILED);
  g_assert_cmpuint (notes_get (notes, "can-resume"), ==, 1);
  g_assert_cmpuint (notes_get (notes, "can-retry"), ==, 1);
  g_assert_cmpuint (notes_get (notes, "is-finished"), ==, 1);
  g_assert_cmpuint (notes_get (notes, "is-active"), ==, 0);
  g_assert_true (haul_download_can_retry (d));
  g_assert_true (haul_download_is_finished (d));

  notes_reset (notes);
  haul_download_set_state (d, HAUL_DOWNLOAD_CANCELLED);
  g_assert_cmpuint (notes_get (notes, "state"), ==, 1);
  g_assert_cmpuint (notes_get (notes, "can-retry"), ==, 0);
  g_assert_cmpuint (notes_get (notes, "is-finished"), ==, 0);
  g_assert_true (haul_download_can_retry (d));

  notes_reset (notes);
  haul_download_set_state (d, HAUL_DOWNLOAD_COMPLETED);
  g_assert_cmpuint (notes_get (notes, "can-retry"), ==, 1);
  g_assert_false (haul_download_can_retry (d));
  g_assert_false (haul_download_can_pause (d));
  g_assert_false (haul_download_is_active (d));
  g_assert_true (haul_download_is_finished (d));
}

static void
test_speed_eta (Fixture       *fixture,
                gconstpointer  data)
{
  HaulDownload *d = fixture->download;
  gint64 t = 1000 * G_USEC_PER_SEC;
  Notes *notes = &fixture->notes;

  haul_download_set_state (d, HAUL_DOWNLOAD_DOWNLOADING);

  /* The first sample only sets the base. */
  haul_download_update_progress (d, 0, 10000000, t);
  g_assert_cmpfloat (haul_download_get_speed (d), ==, 0);
  g_assert_cmpint (haul_download_get_eta (d), ==, -1);

  /* Half a second says nothing yet: no speed, no time left. */
  haul_download_update_progress (d, 500000, 10000000, t + G_USEC_PER_SEC / 2);
  g_assert_cmpfloat (haul_download_get_speed (d), ==, 0);
  g_assert_cmpint (haul_download_get_eta (d), ==, -1);
  g_assert_cmpint (haul_download_get_received (d), ==, 500000);

  /* After a second, a speed: 1 MB in 1 s. Time left waits for more. */
  haul_download_update_progress (d, 1000000, 10000000, t + G_USEC_PER_SEC);
  g_assert_cmpfloat_with_epsilon (haul_download_get_speed (d), 1000000.0, 1.0);
  g_assert_cmpint (haul_download_get_eta (d), ==, -1);

  /* After three seconds, time left: 7 MB at 1 MB/s. */
  haul_download_update_progress (d, 2000000, 10000000, t + 2 * G_USEC_PER_SEC);
  haul_download_update_progress (d, 3000000, 10000000, t + 3 * G_USEC_PER_SEC);
  g_assert_cmpfloat_with_epsilon (haul_download_get_speed (d), 1000000.0, 1.0);
  g_assert_cmpint (haul_download_get_eta (d), ==, 7);

  /* A sudden 3 MB/s second moves the average only part of the way. */
  haul_download_update_progress (d, 6000000, 10000000, t + 4 * G_USEC_PER_SEC);
  g_assert_cmpfloat_with_epsilon (haul_download_get_speed (d), 1500000.0, 1.0);

  /* Unknown total: no time left. */
  haul_download_update_progress (d, 6100000, -1, t + 4100000);
  g_assert_cmpint (haul_download_get_eta (d), ==, -1);
  g_assert_cmpfloat (haul_download_get_speed (d), >, 0);

  /* Fewer bytes than before (the server started the file again): the
   * average starts again too. */
  haul_download_update_progress (d, 100000, 10000000, t + 4200000);
  g_assert_cmpfloat (haul_download_get_speed (d), ==, 0);
  g_assert_cmpint (haul_download_get_eta (d), ==, -1);

  /* Leaving the downloading state clears speed and time left. */
  for (int i = 1; i <= 30; i++)
    haul_download_update_progress (d, 100000 + i * 100000, 10000000,
                                   t + 4200000 + i * G_USEC_PER_SEC / 10);
  g_assert_cmpint (haul_download_get_eta (d), >, 0);
  notes_reset (notes);
  haul_download_set_state (d, HAUL_DOWNLOAD_PAUSED);
  g_assert_cmpfloat (haul_download_get_speed (d), ==, 0);
  g_assert_cmpint (haul_download_get_eta (d), ==, -1);
  g_assert_cmpuint (notes_get (notes, "speed"), ==, 1);
  g_assert_cmpuint (notes_get (notes, "eta"), ==, 1);
  g_assert_cmpint (haul_download_get_received (d), ==, 3100000);

  /* Resumed: the average starts from the resumed bytes, not from zero. */
  haul_download_set_state (d, HAUL_DOWNLOAD_DOWNLOADING);
  t += 60 * G_USEC_PER_SEC;
  haul_download_update_progress (d, 3100000, 10000000, t);
  haul_download_update_progress (d, 3600000, 10000000, t + G_USEC_PER_SEC);
  g_assert_cmpfloat_with_epsilon (haul_download_get_speed (d), 500000.0, 1.0);
}

typedef struct
{
  HaulDownload *download;
  gint64        start;
  gint64        total;
  double        rate;
  gint64        last_flush;
  gint64        prev_eta;
  guint         n_checked;
  double        worst_speed;  /* largest relative error seen after warm-up */
  double        worst_eta;
  gint64        worst_rise;   /* largest rise of the time left, seconds */
} Feed;

#define WARM_UP_US (6 * G_USEC_PER_SEC)

/* One flush of the queue: the bytes so far, at @now. */
static void
feed_flush (Feed   *feed,
            gint64  received,
            gint64  now)
{
  HaulDownload *d = feed->download;
  double speed;
  gint64 eta;
  double true_eta;

  haul_download_update_progress (d, received, feed->total, now);
  feed->last_flush = now;
  speed = haul_download_get_speed (d);
  eta = haul_download_get_eta (d);

  if (now - feed->start < WARM_UP_US || received >= feed->total)
    return;

  true_eta = (double) (feed->total - received) / feed->rate;
  feed->worst_speed = MAX (feed->worst_speed, fabs (speed - feed->rate) / feed->rate);
  g_assert_cmpint (eta, >=, 0);
  /* Rounding and the last bursts' lateness: two seconds of slack. */
  feed->worst_eta = MAX (feed->worst_eta, (fabs ((double) eta - true_eta) - 2.0) / true_eta);
  if (feed->prev_eta >= 0)
    feed->worst_rise = MAX (feed->worst_rise, eta - feed->prev_eta);
  feed->prev_eta = eta;
  feed->n_checked++;
}

/* A 60 kB/s server as the network hands its bytes over: bursts of 4 to
 * 28 KiB, each up to 200 ms late, flushed by the queue at most every
 * 100 ms (bursts closer together are counted in the next flush). The
 * speed shown must stay within 10 % of 60 kB/s after the warm-up, the
 * time left within 10 % of the truth, and it must count down: never up by
 * more than a second (rounding) between two flushes. */
static void
test_speed_bursts (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  Feed feed = {
    .download = fixture->download,
    .start = 1000 * G_USEC_PER_SEC,
    .total = 6000000,
    .rate = 60000,
    .prev_eta = -1,
  };
  gint64 sent = 0;
  gint64 received = 0;
  gint64 previous_burst = feed.start;
  gboolean pending = FALSE;

  haul_download_set_state (feed.download, HAUL_DOWNLOAD_DOWNLOADING);
  feed_flush (&feed, 0, feed.start);

  while (received < feed.total)
    {
      gint64 size = MIN (g_rand_int_range (rand, 4096, 28 * 1024), feed.total - sent);
      gint64 due;
      gint64 burst;

      sent += size;
      due = feed.start + (gint64) ((double) sent / feed.rate * G_USEC_PER_SEC);
      burst = MAX (previous_burst, due + g_rand_int_range (rand, 0, 200000));
      previous_burst = burst;

      /* A flush held back by the rate limit happens before this burst. */
      if (pending && burst >= feed.last_flush + 100000)
        {
          feed_flush (&feed, received, feed.last_flush + 100000);
          pending = FALSE;
        }

      received += size;
      if (burst - feed.last_flush >= 100000)
        feed_flush (&feed, received, burst);
      else
        pending = TRUE;
    }
  if (pending)
    feed_flush (&feed, received, feed.last_flush + 100000);

  g_test_message ("%u flushes checked: speed off by at most %.1f %%, time left by %.1f %%, "
                  "rose by at most %" G_GINT64_FORMAT " s",
                  feed.n_checked, feed.worst_speed * 100, feed.worst_eta * 100, feed.worst_rise);
  g_assert_cmpuint (feed.n_checked, >, 300);
  g_assert_cmpfloat (feed.worst_speed, <=, 0.10);
  g_assert_cmpfloat (feed.worst_eta, <=, 0.10);
  g_assert_cmpint (feed.worst_rise, <=, 1);
  g_assert_cmpint (haul_download_get_eta (feed.download), ==, 0);
}

/* The server slows from 100 to 50 kB/s: within ten seconds the speed and
 * the time left say so (the averaging is seconds, not minutes). */
static void
test_speed_change (Fixture       *fixture,
                   gconstpointer  data)
{
  HaulDownload *d = fixture->download;
  gint64 start = 1000 * G_USEC_PER_SEC;
  gint64 total = 10000000;
  gint64 received = 0;
  gint64 eta_before;
  gint64 now = start;

  haul_download_set_state (d, HAUL_DOWNLOAD_DOWNLOADING);
  for (; now <= start + 20 * G_USEC_PER_SEC; now += 100000, received += 10000)
    haul_download_update_progress (d, received, total, now);
  g_assert_cmpfloat_with_epsilon (haul_download_get_speed (d), 100000.0, 1000.0);
  eta_before = haul_download_get_eta (d);

  for (; now <= start + 30 * G_USEC_PER_SEC; now += 100000, received += 5000)
    haul_download_update_progress (d, received, total, now);
  g_assert_cmpfloat_with_epsilon (haul_download_get_speed (d), 50000.0, 1000.0);
  /* 7.45 MB left at 50 kB/s: 149 s. */
  g_assert_cmpint (haul_download_get_eta (d), >, eta_before);
  g_assert_cmpint (labs (haul_download_get_eta (d) - (total - received) / 50000), <=,
                   (total - received) / 50000 / 10 + 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/haul/engine/download/defaults", Fixture, NULL,
              fixture_setup, test_defaults, fixture_teardown);
  g_test_add_func ("/haul/engine/download/state-enum", test_state_enum);
  g_test_add ("/haul/engine/download/notify-on-change", Fixture, NULL,
              fixture_setup, test_notify_on_change, fixture_teardown);
  g_test_add ("/haul/engine/download/derived-flags", Fixture, NULL,
              fixture_setup, test_derived_flags, fixture_teardown);
  g_test_add ("/haul/engine/download/speed-eta", Fixture, NULL,
              fixture_setup, test_speed_eta, fixture_teardown);
  g_test_add ("/haul/engine/download/speed-bursts", Fixture, NULL,
              fixture_setup, test_speed_bursts, fixture_teardown);
  g_test_add ("/haul/engine/download/speed-change", Fixture, NULL,
              fixture_setup, test_speed_change, fixture_teardown);

  return g_test_run ();
}
