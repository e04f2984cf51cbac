/* test-queue.c: HaulQueue against real local servers
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Running downloads: what is added, the limit of downloads at once, many
 * of them, the main thread told in coalesced flushes, quitting, the
 * history restored. Pausing, cancelling, retrying and removing are
 * test-queue-control.c's; the fixture is queue-fixture.c.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-queue-private.h"
#include "haul-request.h"
#include "haul-store.h"
#include "haul-test-server.h"
#include "queue-fixture.h"

static gboolean
file_missing_is_set (gpointer data)
{
  return haul_download_get_file_missing (data);
}

/* Tests ------------------------------------------------------------------ */

static void
test_add_invalid (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *bad[] = { "ftp://x", "file:///etc/passwd", "hello", "http://", "https:///path", "" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      HaulDownload *download = haul_queue_add (fixture->queue, bad[i], fixture->dir, &error);

      g_test_message ("%s → %s", bad[i], error ? error->message : "(accepted)");
      g_assert_null (download);
      g_assert_error (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL);
      /* The message names what was rejected. */
      g_assert_nonnull (strstr (error->message, bad[i]));

      if (g_str_equal (bad[i], "ftp://x"))
        g_assert_cmpstr (error->message, ==,
                         "“ftp://x” cannot be downloaded: "
                         "FTP links are not supported, only http and https");
      if (g_str_equal (bad[i], "http://"))
        g_assert_nonnull (strstr (error->message, "no host name"));
    }

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 0);
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 0);
  g_assert_cmpuint (fixture->n_active_notifies, ==, 0);
}

static void
test_complete (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GBytes) body = serve (fixture, "/dir/file.bin", 1 * MiB, 0);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(HaulDownload) item = NULL;
  g_autofree char *uri = haul_test_server_uri (fixture->server, "/dir/file.bin");
  HaulDownload *download;

  g_signal_connect (fixture->queue, "items-changed", G_CALLBACK (on_items_changed), changes);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (fixture->queue)) == HAUL_TYPE_DOWNLOAD);

  download = add (fixture, "/dir/file.bin");
  watch_states (fixture, download);

  g_assert_cmpuint (changes->len, ==, 3);
  g_assert_cmpuint (g_array_index (changes, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (changes, guint, 1), ==, 0);
  g_assert_cmpuint (g_array_index (changes, guint, 2), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (fixture->queue), 0);
  g_assert_true (item == download);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (fixture->queue), 1));
  g_assert_cmpstr (haul_download_get_uri (download), ==, uri);
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 1);

  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 10000));

  /* Every state on the way, in order, each once (queued was the start). */
  g_assert_cmpuint (fixture->states->len, ==, 3);
  g_assert_cmpint (state_at (fixture, 0), ==, HAUL_DOWNLOAD_CONNECTING);
  g_assert_cmpint (state_at (fixture, 1), ==, HAUL_DOWNLOAD_DOWNLOADING);
  g_assert_cmpint (state_at (fixture, 2), ==, HAUL_DOWNLOAD_COMPLETED);

  assert_file (fixture, download, body);
  g_assert_cmpstr (haul_download_get_file_name (download), ==, "file.bin");
  g_assert_cmpstr (haul_download_get_final_uri (download), ==, uri);
  g_assert_cmpint (haul_download_get_received (download), ==, 1 * MiB);
  g_assert_cmpint (haul_download_get_total (download), ==, 1 * MiB);
  g_assert_cmpfloat (haul_download_get_speed (download), ==, 0);
  g_assert_null (haul_download_get_error_message (download));
  g_assert_null (haul_download_get_partial_path (download));
  g_assert_nonnull (haul_download_get_finished (download));
  g_assert_cmpint (g_date_time_compare (haul_download_get_finished (download), before), >=, 0);
  g_assert_cmpuint (count_files (fixture->dir), ==, 1);

  g_assert_cmpuint (fixture->n_finished, ==, 1);
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 0);
  /* 0 → 1 on add, 1 → 0 at the end: nothing in between notified. */
  g_assert_cmpuint (fixture->n_active_notifies, ==, 2);
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/dir/file.bin"), ==, 1);
}

static void
test_limit (Fixture       *fixture,
            gconstpointer  data)
{
  GBytes *bodies[12];
  HaulDownload *downloads[12];
  ServerWait six = { fixture->server, 6 };

  g_assert_cmpuint (haul_queue_get_max_active (fixture->queue), ==, 3);

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *path = g_strdup_printf ("/limit/f%u.bin", i);

      bodies[i] = serve (fixture, path, 512 * KiB, 1 * MiB);
      downloads[i] = add (fixture, path);
    }
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 12);
  /* Started from the next flush, not inside add. */
  g_assert_cmpuint (count_state (fixture->queue, HAUL_DOWNLOAD_QUEUED), ==, 12);

  /* Four finished: three ran side by side all along, never a fourth. */
  g_assert_true (wait_count (fixture->queue, HAUL_DOWNLOAD_COMPLETED, 4, 20000));
  g_assert_cmpuint (haul_test_server_get_max_concurrent (fixture->server), ==, 3);

  /* Raised while running: six at once from now on. */
  g_object_set (fixture->queue, "max-active", 6, NULL);
  g_assert_true (haul_test_wait_for (server_max_at_least, &six, 10000));
  g_assert_true (wait_all (fixture->queue, HAUL_DOWNLOAD_COMPLETED, 30000));
  g_assert_cmpuint (haul_test_server_get_max_concurrent (fixture->server), ==, 6);

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      assert_file (fixture, downloads[i], bodies[i]);
      g_bytes_unref (bodies[i]);
    }
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 0);
  g_assert_cmpuint (fixture->n_finished, ==, 12);
}

typedef struct
{
  HaulTestServer *server;
  guint           max_seen;
} InFlightSampler;

static gboolean
sample_in_flight (gpointer data)
{
  InFlightSampler *sampler = data;

  sampler->max_seen = MAX (sampler->max_seen, haul_test_server_get_in_flight (sampler->server));
  return G_SOURCE_CONTINUE;
}

/* Lowered while running: the running downloads finish, then no more than
 * the new limit run at once. */
static void
test_limit_lowered (Fixture       *fixture,
                    gconstpointer  data)
{
  enum { N = 7 };
  GBytes *bodies[N];
  HaulDownload *downloads[N];
  ServerWait three = { fixture->server, 3 };
  InFlightSampler sampler = { fixture->server, 0 };
  guint id;

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/lower/f%u.bin", i);

      bodies[i] = serve (fixture, path, 256 * KiB, 1 * MiB);
      downloads[i] = add (fixture, path);
    }
  g_assert_true (haul_test_wait_for (server_max_at_least, &three, 10000));

  haul_queue_set_max_active (fixture->queue, 1);
  /* The three that ran go on; the others wait for them all. */
  g_assert_true (wait_count (fixture->queue, HAUL_DOWNLOAD_COMPLETED, 3, 10000));
  g_assert_cmpuint (count_state (fixture->queue, HAUL_DOWNLOAD_COMPLETED) +
                    count_state (fixture->queue, HAUL_DOWNLOAD_QUEUED), >=, N - 1);

  id = g_timeout_add (2, sample_in_flight, &sampler);
  g_assert_true (wait_count (fixture->queue, HAUL_DOWNLOAD_COMPLETED, N - 1, 20000));
  g_source_remove (id);
  g_assert_true (wait_all (fixture->queue, HAUL_DOWNLOAD_COMPLETED, 10000));

  g_test_message ("at most %u in flight after lowering to 1", sampler.max_seen);
  g_assert_cmpuint (sampler.max_seen, ==, 1);
  g_assert_cmpuint (haul_test_server_get_max_concurrent (fixture->server), ==, 3);
  for (guint i = 0; i < N; i++)
    {
      assert_file (fixture, downloads[i], bodies[i]);
      g_bytes_unref (bodies[i]);
    }
}

static void
test_many (Fixture       *fixture,
           gconstpointer  data)
{
  enum { N = 200 };
  GBytes *bodies[N];
  HaulDownload *downloads[N];

  gint64 adding = 0;

  haul_queue_set_max_active (fixture->queue, 8);

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/many/file-%03u.bin", i);
      gint64 before;

      bodies[i] = serve (fixture, path, (i % 7 + 1) * 3000 + i, 0);
      before = g_get_monotonic_time ();
      downloads[i] = add (fixture, path);
      adding += g_get_monotonic_time () - before;
    }
  g_test_message ("%u adds took %.1f ms on the main thread", N, adding / 1000.0);

  g_assert_true (wait_all (fixture->queue, HAUL_DOWNLOAD_COMPLETED, 120000));

  for (guint i = 0; i < N; i++)
    {
      assert_file (fixture, downloads[i], bodies[i]);
      g_bytes_unref (bodies[i]);
    }
  g_assert_cmpuint (count_files (fixture->dir), ==, N);
  g_assert_cmpuint (haul_test_server_get_max_concurrent (fixture->server), <=, 8);
  g_assert_cmpuint (fixture->n_finished, ==, N);
  /* One after another, files reuse their connections (libsoup keeps one
   * only once its body reported the end): not one connection each. */
  g_test_message ("%u files over %u connections", N,
                  haul_test_server_get_n_connections (fixture->server));
  g_assert_cmpuint (haul_test_server_get_n_connections (fixture->server), <=, 32);
}

/* Files of 1 MiB and more make Haul ask for their checksum files too
 * (NAME.sha256, SHA256SUMS …): the server's 404 pages are read to their
 * end, so those requests reuse the connections instead of opening four
 * more for every file. */
static void
test_many_checked (Fixture       *fixture,
                   gconstpointer  data)
{
  enum { N = 20 };
  GBytes *bodies[N];
  HaulDownload *downloads[N];

  haul_queue_set_max_active (fixture->queue, 2);
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/checked/file-%02u.bin", i);

      bodies[i] = serve (fixture, path, 1024 * 1024 + i, 0);
      downloads[i] = add (fixture, path);
    }
  g_assert_true (wait_all (fixture->queue, HAUL_DOWNLOAD_COMPLETED, 120000));
  for (guint i = 0; i < N; i++)
    {
      assert_file (fixture, downloads[i], bodies[i]);
      g_bytes_unref (bodies[i]);
    }
  g_test_message ("%u files and their checksum look-ups over %u connections", N,
                  haul_test_server_get_n_connections (fixture->server));
  g_assert_cmpuint (haul_test_server_get_n_connections (fixture->server), <=, 8);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* 50 throttled downloads at once: the main thread hears of them through
 * one flush source at a time, at most 40 flushes a second, and each
 * download's progress changes at most ~10 times a second. */
static void
test_coalesce (Fixture       *fixture,
               gconstpointer  data)
{
  enum { N = 50 };
  GBytes *bodies[N];
  HaulDownload *downloads[N];
  guint received_notifies[N] = { 0 };
  gint64 start;
  double seconds;
  guint max_notifies = 0;

  haul_queue_set_max_active (fixture->queue, N);
  start = g_get_monotonic_time ();

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/slow/%u.bin", i);

      /* 20 slices a second per download: 1000 chunk events a second. */
      bodies[i] = serve (fixture, path, 256 * KiB, 128 * KiB);
      downloads[i] = add (fixture, path);
      g_signal_connect (downloads[i], "notify::received",
                        G_CALLBACK (count_notify), &received_notifies[i]);
    }

  g_assert_true (wait_all (fixture->queue, HAUL_DOWNLOAD_COMPLETED, 60000));
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  for (guint i = 0; i < N; i++)
    {
      assert_file (fixture, downloads[i], bodies[i]);
      g_bytes_unref (bodies[i]);
      max_notifies = MAX (max_notifies, received_notifies[i]);
    }

  g_test_message ("%.2f s, %u flushes (longest %.1f ms), at most %u received-notifies "
                  "per download, max pending sources %u",
                  seconds, haul_queue_get_n_flushes (fixture->queue),
                  haul_queue_get_max_flush_us (fixture->queue) / 1000.0, max_notifies,
                  haul_queue_get_max_pending_idle (fixture->queue));

  g_assert_cmpfloat (seconds, >=, 1.5); /* the throttle did hold them back */
  /* However many downloads run, one host gets 16 connections at most. */
  g_assert_cmpuint (haul_test_server_get_max_concurrent (fixture->server), ==,
                    HAUL_REQUEST_MAX_CONNS_PER_HOST);
  g_assert_cmpuint (haul_queue_get_max_pending_idle (fixture->queue), ==, 1);
  /* Progress flushes start at least 25 ms apart, whatever the number of
   * downloads: ≤ 40 a second, plus the first one and one of rounding; a
   * finished download is handled at once (its slot goes to the next one),
   * at most one flush each. Without the coalescing there would be one per
   * chunk event: 50 × 20 a second. */
  g_assert_cmpuint (haul_queue_get_n_flushes (fixture->queue), >=, 2);
  g_assert_cmpuint (haul_queue_get_n_flushes (fixture->queue), <=,
                    (guint) (seconds * 40) + 2 + N);
  /* Each download's progress notifies at most ~10 times a second (plus
   * its final value and the reset when it is set up). */
  g_assert_cmpuint (max_notifies, <=, (guint) (seconds * 10) + 3);
}

/* Quitting: running downloads stop within a second and stay queued (they
 * resume at the next start), their partial data kept; nothing starts
 * afterwards, not even a download added late. */
static void
test_shutdown (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GBytes) slow = serve (fixture, "/slow.bin", 4 * MiB, 1 * MiB);
  g_autoptr(GBytes) other = serve (fixture, "/other.bin", 4 * MiB, 1 * MiB);
  g_autoptr(GError) error = NULL;
  g_autofree char *late_uri = haul_test_server_uri (fixture->server, "/other.bin");
  HaulDownload *download;
  HaulDownload *waiting;
  HaulDownload *late;
  gint64 start;

  haul_queue_set_max_active (fixture->queue, 1);
  download = add (fixture, "/slow.bin");
  waiting = add (fixture, "/other.bin");
  g_assert_true (haul_test_wait_received (download, 256 * KiB, 10000));
  g_assert_cmpint (haul_download_get_state (waiting), ==, HAUL_DOWNLOAD_QUEUED);

  start = g_get_monotonic_time ();
  haul_queue_shutdown (fixture->queue);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_cmpint (haul_download_get_state (waiting), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_nonnull (haul_download_get_partial_path (download));
  g_assert_true (g_file_test (haul_download_get_partial_path (download), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (haul_download_get_confirmed (download), >=, 256 * KiB);
  g_assert_cmpuint (fixture->n_finished, ==, 0);

  late = haul_queue_add (fixture->queue, late_uri, fixture->dir, &error);
  g_assert_no_error (error);
  haul_test_spin_for (300);
  g_assert_cmpint (haul_download_get_state (late), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_cmpint (haul_download_get_state (waiting), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_cmpuint (haul_test_server_get_in_flight (fixture->server), ==, 0);
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/other.bin"), ==, 0);

  /* Idempotent; the teardown calls it once more and finalizes the queue
   * with the flush this add asks for still pending. */
  haul_queue_shutdown (fixture->queue);
  g_assert_nonnull (haul_queue_add (fixture->queue, late_uri, fixture->dir, NULL));
}

static void
test_properties (Fixture       *fixture,
                 gconstpointer  data)
{
  guint n_max = 0;
  guint max_active;

  g_signal_connect (fixture->queue, "notify::max-active", G_CALLBACK (count_notify), &n_max);
  haul_queue_set_max_active (fixture->queue, 3);
  g_assert_cmpuint (n_max, ==, 0);
  g_object_set (fixture->queue, "max-active", 5, NULL);
  g_object_set (fixture->queue, "max-active", 5, NULL);
  g_assert_cmpuint (n_max, ==, 1);
  g_object_get (fixture->queue, "max-active", &max_active, NULL);
  g_assert_cmpuint (max_active, ==, 5);
  g_assert_cmpuint (haul_queue_get_max_active (fixture->queue), ==, 5);
}

/* With a store: history comes back after a restart; a completed download
 * whose file was deleted meanwhile shows as missing. */
static void
test_restore_file_missing (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GBytes) kept = serve (fixture, "/kept.bin", 32 * KiB, 0);
  g_autoptr(GBytes) gone = serve (fixture, "/gone.bin", 32 * KiB, 0);
  g_autofree char *db_dir = haul_test_make_tmpdir ();
  g_autofree char *db = g_build_filename (db_dir, "downloads.db", NULL);
  g_autofree char *gone_path = NULL;
  g_autofree char *kept_path = NULL;
  g_autoptr(GError) error = NULL;
  HaulStore *store;
  HaulQueue *queue;
  HaulDownload *a, *b;
  gint64 id_kept, id_gone;

  store = haul_store_new (db, &error);
  g_assert_no_error (error);
  queue = haul_queue_new (store);
  {
    g_autofree char *uri_a = haul_test_server_uri (fixture->server, "/kept.bin");
    g_autofree char *uri_b = haul_test_server_uri (fixture->server, "/gone.bin");

    a = haul_queue_add (queue, uri_a, fixture->dir, &error);
    g_assert_no_error (error);
    b = haul_queue_add (queue, uri_b, fixture->dir, &error);
    g_assert_no_error (error);
  }
  g_assert_true (haul_test_wait_state (a, HAUL_DOWNLOAD_COMPLETED, 10000));
  g_assert_true (haul_test_wait_state (b, HAUL_DOWNLOAD_COMPLETED, 10000));
  id_kept = haul_download_get_id (a);
  id_gone = haul_download_get_id (b);
  g_assert_cmpint (id_kept, >, 0);
  g_assert_cmpint (id_gone, >, 0);
  g_assert_cmpint (id_kept, !=, id_gone);
  gone_path = haul_download_dup_path (b);
  haul_queue_shutdown (queue);
  g_assert_finalize_object (queue);
  g_assert_finalize_object (store);

  g_assert_cmpint (g_unlink (gone_path), ==, 0);

  store = haul_store_new (db, &error);
  g_assert_no_error (error);
  queue = haul_queue_new (store);
  g_assert_true (haul_queue_restore (queue, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 2);
  a = haul_queue_lookup (queue, id_kept);
  b = haul_queue_lookup (queue, id_gone);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpint (haul_download_get_state (a), ==, HAUL_DOWNLOAD_COMPLETED);
  g_assert_cmpint (haul_download_get_state (b), ==, HAUL_DOWNLOAD_COMPLETED);
  g_assert_cmpuint (haul_queue_get_n_active (queue), ==, 0);

  /* Checked in a thread: wait for the answer. */
  g_assert_true (haul_test_wait_for (file_missing_is_set, b, 5000));
  g_assert_false (haul_download_get_file_missing (a));
  kept_path = haul_download_dup_path (a);
  g_assert_true (haul_test_file_equals (kept_path, kept));

  /* Restoring twice adds nothing. */
  g_assert_true (haul_queue_restore (queue, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 2);
  /* Nothing was downloaded again. */
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/gone.bin"), ==, 1);

  haul_queue_shutdown (queue);
  g_object_unref (queue);
  g_object_unref (store);
  haul_test_remove_tree (db_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/queue/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("add-invalid", test_add_invalid);
  ADD ("complete", test_complete);
  ADD ("limit", test_limit);
  ADD ("limit-lowered", test_limit_lowered);
  ADD ("many", test_many);
  ADD ("many-checked", test_many_checked);
  ADD ("coalesce", test_coalesce);
  ADD ("shutdown", test_shutdown);
  ADD ("properties", test_properties);
  ADD ("restore-file-missing", test_restore_file_missing);

#undef ADD

  return g_test_run ();
}
