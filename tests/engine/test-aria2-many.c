/* test-aria2-many.c: 200 downloads at once on a real aria2c, and what polling costs
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <time.h>

#include "aria2-fixture.h"

typedef struct
{
  gint64  expected;    /* monotonic µs the probe should fire */
  GArray *lateness;    /* of gint64 µs */
} Probe;

/* The responsiveness probe of TESTING.md: how late a 5 ms timer runs. */
static gboolean
probe_cb (gpointer data)
{
  Probe *probe = data;
  gint64 now = g_get_monotonic_time ();
  gint64 late = MAX (0, now - probe->expected);

  g_array_append_val (probe->lateness, late);
  probe->expected = now + 5000;
  return G_SOURCE_CONTINUE;
}

/* CPU time of the calling thread, µs. */
static gint64
thread_cpu_us (void)
{
  struct timespec now;

  g_assert_cmpint (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now), ==, 0);
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
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
  char    **gids;
  guint     n;
} Many;

static gboolean
all_complete (Fixture       *f,
              gconstpointer  data)
{
  const Many *many = data;

  for (guint i = 0; i < many->n; i++)
    {
      HaulAria2Status *status = haul_aria2_poller_lookup (f->poller, many->gids[i]);

      if (status == NULL || status->state != HAUL_ARIA2_COMPLETE)
        return FALSE;
    }
  return TRUE;
}

static void
many_added_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  char **slot = user_data;
  g_autoptr(GError) error = NULL;

  *slot = haul_aria2_client_add_uri_finish (HAUL_ARIA2_CLIENT (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
all_added (Fixture       *f,
           gconstpointer  data)
{
  const Many *many = data;

  for (guint i = 0; i < many->n; i++)
    if (many->gids[i] == NULL)
      return FALSE;
  return TRUE;
}

static void
test_many (Fixture       *f,
           gconstpointer  data)
{
  enum { N = 200 };
  HaulTestFileOptions slow = { .bytes_per_second = 96 * 1024 };
  g_autoptr(GHashTable) options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = haul_test_make_bytes (128 * 1024, 7);
  g_autoptr(GArray) lateness = g_array_new (FALSE, FALSE, sizeof (gint64));
  char *gids[N] = { NULL };
  Many many = { gids, N };
  HaulAria2PollerStats before, stats, idle_stats;
  Probe probe = { 0, lateness };
  guint probe_id;
  guint updates_before;
  gint64 start, elapsed, polling_start, polling_end, cpu_start;

  SKIP_WITHOUT_ARIA2C ();

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/many/%03u.bin", i);

      haul_test_server_add_file (f->server, path, body, &slow);
    }
  start_connected (f);
  g_hash_table_insert (options, g_strdup ("max-concurrent-downloads"), g_strdup ("25"));
  haul_aria2_client_change_global_option_async (f->client, options, NULL, store_result_cb,
                                                &result);
  g_assert_true (haul_aria2_client_change_global_option_finish (f->client,
                                                                wait_result (f, &result),
                                                                &error));

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/many/%03u.bin", i);
      g_autofree char *uri = haul_test_server_uri (f->server, path);
      g_autofree char *out = g_strdup_printf ("%03u.bin", i);
      const char *uris[] = { uri, NULL };
      HaulAria2AddOptions add_options = { .out = out };

      haul_aria2_client_add_uri_async (f->client, uris, &add_options, NULL, many_added_cb,
                                       &gids[i]);
    }
  g_test_message ("200 addUri calls sent in %.1f ms (main thread)",
                  (g_get_monotonic_time () - start) / 1e3);
  g_assert_true (wait_for (f, all_added, &many, 30000));
  g_test_message ("200 added in %.2f s", (g_get_monotonic_time () - start) / 1e6);

  /* From here on the main thread does nothing but poll. */
  haul_aria2_poller_get_stats (f->poller, &before);
  polling_start = g_get_monotonic_time ();
  cpu_start = thread_cpu_us ();
  probe.expected = g_get_monotonic_time () + 5000;
  probe_id = g_timeout_add (5, probe_cb, &probe);
  g_assert_true (wait_for (f, all_complete, &many, 120000));
  polling_end = g_get_monotonic_time ();
  elapsed = polling_end - start;
  g_source_remove (probe_id);
  g_test_message ("main thread CPU while polling: %.1f %% of %.1f s (probe wake-ups included)",
                  100.0 * (thread_cpu_us () - cpu_start)
                  / (double) (polling_end - polling_start),
                  (polling_end - polling_start) / 1e6);

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *name = g_strdup_printf ("%03u.bin", i);
      g_autofree char *path = g_build_filename (f->download_dir, name, NULL);

      g_assert_true (haul_test_file_equals (path, body));
    }

  haul_aria2_poller_get_stats (f->poller, &stats);
  g_array_sort (lateness, compare_int64);
  g_test_message ("200 downloads done in %.1f s; %u ticks (%u fetched the stopped list); "
                  "main thread per tick: mean %.0f µs, max %" G_GINT64_FORMAT " µs; "
                  "worker per tick: max %" G_GINT64_FORMAT " µs; "
                  "5 ms probe lateness while polling: median %" G_GINT64_FORMAT " µs, p99 %"
                  G_GINT64_FORMAT " µs, max %" G_GINT64_FORMAT " µs",
                  elapsed / 1e6, stats.n_ticks - before.n_ticks,
                  stats.n_stopped_fetches - before.n_stopped_fetches,
                  (double) (stats.total_main_us - before.total_main_us)
                  / MAX (1, stats.n_ticks - before.n_ticks),
                  stats.max_main_us, stats.max_build_us,
                  g_array_index (lateness, gint64, lateness->len / 2),
                  g_array_index (lateness, gint64, lateness->len * 99 / 100),
                  g_array_index (lateness, gint64, lateness->len - 1));
  /* At most twice a second, so a bound on the ticks, and each one cheap
   * (one tick more for the edges of the measured span: a tick just before
   * the start and one just after it both fall in it). */
  g_assert_cmpuint (stats.n_ticks - before.n_ticks, <=,
                    (guint) ((polling_end - polling_start) / (500 * 1000)) + 2);
  g_assert_cmpint (stats.max_main_us, <, 50 * 1000);

  /* Idle: polls go on, nothing changes, nothing is emitted, and the
   * stopped list is not fetched again. */
  updates_before = f->n_updates;
  spin_for (4500);
  haul_aria2_poller_get_stats (f->poller, &idle_stats);
  g_assert_cmpuint (idle_stats.n_ticks, >, stats.n_ticks);
  g_assert_cmpuint (idle_stats.n_stopped_fetches, ==, stats.n_stopped_fetches);
  g_assert_cmpuint (f->n_updates, ==, updates_before);
  g_assert_cmpuint (f->finished->len, ==, N);

  for (guint i = 0; i < N; i++)
    g_free (gids[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/aria2/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("many", test_many);

#undef ADD

  return g_test_run ();
}
