/* stall-probe.c: how late a 5 ms main-loop timer fires, for the probes
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <time.h>

#include "stall-probe.h"

#define PROBE_INTERVAL_MS 5
#define VERBOSE_STALL_US  8000

struct _HaulStallProbe
{
  GArray     *lateness;   /* (element-type gint64) µs, sorted once stopped */
  gint64      start;
  gint64      last_fire;
  gint64      last_cpu;
  gint64      max_busy;   /* µs of a stall the main thread spent working */
  const char *phase;      /* (unowned) (nullable) */
  gboolean    verbose;
  guint       source;
};

gint64
haul_stall_thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
probe_cb (gpointer data)
{
  HaulStallProbe *probe = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = haul_stall_thread_cpu_time ();
  gint64 late = now - (probe->last_fire + PROBE_INTERVAL_MS * 1000);

  g_array_append_val (probe->lateness, late);
  /* The main thread's CPU time tells its own work apart from waiting for
   * a core while dozens of other threads run. */
  if (late > 0)
    probe->max_busy = MAX (probe->max_busy, MIN (late, cpu - probe->last_cpu));
  if (probe->verbose && late > VERBOSE_STALL_US)
    g_print ("  stall %.1f ms at %.3f s (%s%smain thread busy %.1f ms of it)\n", late / 1000.0,
             (now - probe->start) / 1e6, probe->phase != NULL ? probe->phase : "",
             probe->phase != NULL ? "; " : "", (cpu - probe->last_cpu) / 1000.0);
  probe->last_fire = now;
  probe->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

HaulStallProbe *
haul_stall_probe_start (gboolean verbose)
{
  HaulStallProbe *probe = g_new0 (HaulStallProbe, 1);

  probe->lateness = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 100000);
  probe->verbose = verbose;
  probe->start = probe->last_fire = g_get_monotonic_time ();
  probe->last_cpu = haul_stall_thread_cpu_time ();
  probe->source = g_timeout_add (PROBE_INTERVAL_MS, probe_cb, probe);
  return probe;
}

void
haul_stall_probe_set_phase (HaulStallProbe *probe,
                            const char     *phase)
{
  probe->phase = phase;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

void
haul_stall_probe_stop (HaulStallProbe *probe)
{
  g_clear_handle_id (&probe->source, g_source_remove);
  g_array_sort (probe->lateness, compare_gint64);
}

gint64
haul_stall_probe_percentile (HaulStallProbe *probe,
                             guint           percent)
{
  guint len = probe->lateness->len;

  g_assert (probe->source == 0);  /* sorted */
  if (len == 0)
    return 0;
  return g_array_index (probe->lateness, gint64, MIN ((guint64) len * percent / 100, len - 1));
}

guint
haul_stall_probe_n_samples (HaulStallProbe *probe)
{
  return probe->lateness->len;
}

gint64
haul_stall_probe_max_busy (HaulStallProbe *probe)
{
  return probe->max_busy;
}

void
haul_stall_probe_free (HaulStallProbe *probe)
{
  g_clear_handle_id (&probe->source, g_source_remove);
  g_array_unref (probe->lateness);
  g_free (probe);
}
