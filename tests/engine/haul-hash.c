/* haul-hash.c: haul_checksum_file_async() on one file, timed
 *
 *   haul-hash FILE CHECKSUM      (CHECKSUM as typed: sha-256=HEX, bare HEX, …)
 *
 * Prints the bytes hashed, the time and the throughput; exits 0 when the
 * file matches, 1 when it does not (with the message a row would show), 2
 * on bad arguments. Used by tests/bench/run-bench.
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include "haul-checksum-file.h"

typedef struct
{
  gboolean  done;
  gboolean  matched;
  GError   *error;
  gint64    hashed;   /* (atomic) through __atomic: the worker stores */
} Run;

static void
progress_cb (gint64   hashed,
             gint64   total,
             gpointer user_data)
{
  Run *run = user_data;

  __atomic_store_n (&run->hashed, hashed, __ATOMIC_RELAXED);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->matched = haul_checksum_file_finish (result, NULL, &run->error);
  run->done = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HaulChecksumSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  gint64 start;
  double seconds;
  double mib;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s FILE CHECKSUM\n", argv[0]);
      return 2;
    }
  spec = haul_checksum_spec_parse (argv[2], &error);
  if (spec == NULL)
    {
      fprintf (stderr, "%s: %s\n", argv[0], error->message);
      return 2;
    }

  start = g_get_monotonic_time ();
  haul_checksum_file_async (argv[1], spec, progress_cb, &run, NULL, NULL, done_cb, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  if (!run.matched)
    {
      fprintf (stderr, "%s: %s\n", argv[0], run.error->message);
      g_clear_error (&run.error);
      return 1;
    }
  mib = __atomic_load_n (&run.hashed, __ATOMIC_RELAXED) / (1024.0 * 1024.0);
  printf ("%s: %.0f MiB in %.2f s, %.0f MiB/s\n",
          haul_checksum_algorithm_get_label (haul_checksum_spec_get_algorithm (spec)),
          mib, seconds, seconds > 0 ? mib / seconds : 0);
  return 0;
}
