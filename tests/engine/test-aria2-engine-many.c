/* test-aria2-engine-many.c: 200 downloads at once through HaulQueue on aria2
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole path a window sees: one add_many of 200 links, the engine
 * sending them, the poller's ticks applied to 200 HaulDownloads, states
 * through the queue, the store recording them. A 5 ms timer measures how
 * late the main loop runs (the responsiveness probe of TESTING.md).
 */

#include "config.h"

#include <string.h>
#include <time.h>

#include "aria2-fixture.h"
#include "haul-aria2-engine.h"
#include "haul-download-private.h"
#include "haul-queue-private.h"

#define N 200

/* Under AddressSanitizer everything is several times slower: the figures
 * are printed, the time bounds not applied (as tests/ui/haul-probe.c). */
#if defined(__SANITIZE_ADDRESS__)
# define SANITIZED 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define SANITIZED 1
# endif
#endif
#ifndef SANITIZED
# define SANITIZED 0
#endif

typedef struct
{
  gint64  expected;
  gint64  last_cpu;
  gint64  max_busy;    /* µs of a stall the main thread spent working */
  GArray *lateness;    /* of gint64 µs */
} Probe;

/* CPU time of the calling thread: tells work on the main loop apart from
 * waiting for a core on a busy machine, as tests/ui/haul-probe.c does. */
static gint64
thread_cpu_us (void)
{
  struct timespec now;

  g_assert_cmpint (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now), ==, 0);
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static gboolean
probe_cb (gpointer data)
{
  Probe *probe = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();
  gint64 late = MAX (0, now - probe->expected);

  g_array_append_val (probe->lateness, late);
  probe->max_busy = MAX (probe->max_busy, MIN (late, cpu - probe->last_cpu));
  probe->expected = now + 5000;
  probe->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

typedef struct
{
  HaulQueue *queue;
  guint      n_finished;
} Watch;

static void
finished_cb (HaulQueue    *queue,
             HaulDownload *download,
             Watch        *watch)
{
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_COMPLETED);
  watch->n_finished++;
}

static gboolean
all_done (Fixture       *f,
          gconstpointer  data)
{
  const Watch *watch = data;
  guint completed;

  g_object_get (watch->queue, "n-completed", &completed, NULL);
  return completed == N;
}

static gboolean
is_connected (Fixture       *f,
              gconstpointer  data)
{
  return haul_queue_get_engine_connection ((HaulQueue *) data) == HAUL_ENGINE_CONNECTED;
}

static void
test_many (Fixture       *f,
           gconstpointer  data)
{
  HaulTestFileOptions slow = { .bytes_per_second = 96 * 1024 };
  g_autoptr(GBytes) body = haul_test_make_bytes (128 * 1024, 21);
  g_autoptr(GArray) lateness = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *db_path = g_build_filename (f->root, "downloads.db", NULL);
  g_autoptr(HaulStore) store = NULL;
  g_autoptr(HaulQueue) queue = NULL;
  HaulAria2Engine *engine;
  HaulAria2PollerStats stats;
  Probe probe = { 0, 0, 0, lateness };
  Watch watch = { NULL, 0 };
  gint64 start, end, cpu_start, add_us;
  guint probe_id;

  SKIP_WITHOUT_ARIA2C ();

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/many/%03u.bin", i);

      haul_test_server_add_file (f->server, path, body, &slow);
      g_ptr_array_add (uris, haul_test_server_uri (f->server, path));
    }
  g_ptr_array_add (uris, NULL);

  daemon_start (f, SECRET);
  address = g_strdup_printf ("127.0.0.1:%u", f->port);
  store = haul_store_new (db_path, &error);
  g_assert_no_error (error);
  engine = HAUL_ARIA2_ENGINE (haul_aria2_engine_new (address));
  haul_aria2_engine_set_secret (engine, SECRET);
  queue = haul_queue_new_with_engine (store, HAUL_ENGINE (engine));
  g_object_unref (engine);  /* the queue's now */
  g_object_set (queue, "max-active", 25, NULL);
  watch.queue = queue;
  g_signal_connect (queue, "download-finished", G_CALLBACK (finished_cb), &watch);
  g_assert_true (wait_for (f, is_connected, queue, 10000));

  probe.expected = g_get_monotonic_time () + 5000;
  probe.last_cpu = thread_cpu_us ();
  probe_id = g_timeout_add (5, probe_cb, &probe);
  start = g_get_monotonic_time ();
  cpu_start = thread_cpu_us ();
  added = haul_queue_add_many (queue, (const char * const *) uris->pdata, f->download_dir, NULL,
                               &error);
  add_us = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_cmpuint (added->len, ==, N);

  g_assert_true (wait_for (f, all_done, &watch, 180000));
  end = g_get_monotonic_time ();
  g_source_remove (probe_id);

  g_array_sort (lateness, compare_int64);
  haul_aria2_poller_get_stats (haul_aria2_engine_get_poller (engine), &stats);
  g_test_message ("200 downloads through HaulQueue on aria2 in %.1f s (add_many %.1f ms); "
                  "main thread CPU %.1f %%; %u ticks, %u applied, longest apply %"
                  G_GINT64_FORMAT " µs, longest tick on the main thread %" G_GINT64_FORMAT
                  " µs; 5 ms probe lateness: median %" G_GINT64_FORMAT " µs, p99 %"
                  G_GINT64_FORMAT " µs, max %" G_GINT64_FORMAT " µs, of it working %"
                  G_GINT64_FORMAT " µs",
                  (end - start) / 1e6, add_us / 1e3,
                  100.0 * (thread_cpu_us () - cpu_start) / (double) (end - start),
                  stats.n_ticks, haul_aria2_engine_get_n_applies (engine),
                  haul_aria2_engine_get_max_apply_us (engine), stats.max_main_us,
                  g_array_index (lateness, gint64, lateness->len / 2),
                  g_array_index (lateness, gint64, lateness->len * 99 / 100),
                  g_array_index (lateness, gint64, lateness->len - 1), probe.max_busy);

  for (guint i = 0; i < N; i++)
    {
      HaulDownload *download = g_ptr_array_index (added, i);
      g_autofree char *name = g_strdup_printf ("%03u.bin", i);
      g_autofree char *path = g_build_filename (f->download_dir, name, NULL);

      g_assert_cmpstr (haul_download_get_file_name (download), ==, name);
      g_assert_nonnull (haul_download_get_engine_id (download));
      g_assert_true (haul_test_file_equals (path, body));
    }
  g_assert_cmpuint (watch.n_finished, ==, N);
  g_assert_cmpuint (haul_queue_get_length (queue), ==, N);
  /* Nothing a window would feel: the main thread never works for a
   * frame's length at once (waiting for a core on a loaded machine is
   * reported above, not asserted). */
  if (!SANITIZED)
    {
      g_assert_cmpint (probe.max_busy, <, 16000);
      g_assert_cmpint (haul_aria2_engine_get_max_apply_us (engine), <, 50000);
    }

  haul_queue_shutdown (queue);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("HAUL_ARIA2_SECRET");

  g_test_add ("/haul/engine/aria2-engine/many", Fixture, NULL, fixture_setup, test_many,
              fixture_teardown);

  return g_test_run ();
}
