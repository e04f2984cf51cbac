/* haul-add-bench.c: is adding N URLs to the queue linear in N?
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   haul-add-bench [--runs R] [--store] N…     (default: 1000 10000 100000)
 *
 * For each N, R times (default 3) on a fresh HaulQueue: times one
 * haul_queue_add_many() of N distinct URLs on the main thread (monotonic
 * clock, around the call only), then shuts the queue down. The URLs point
 * at a port where nothing listens: what is measured is the add, not the
 * network, and the queue has not run a main-loop turn, so no worker has
 * started when the clock stops. With --store the queue records into a
 * HaulStore in a temp folder, as the app's does (the add then snapshots
 * each download for the writer thread; the writes themselves happen on
 * that thread and are not timed).
 *
 * Prints one line per N: median wall and main-thread CPU milliseconds,
 * each per 1,000 URLs too, and the ratio of the CPU time per 1,000 to the
 * smallest N's: about 1 when adding is linear, about N/N₀ when it is
 * quadratic (CPU time, because the wall clock also counts the other
 * programs on a shared machine). The list must change once per add (one
 * items-changed) and hold N downloads, or the program fails.
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <time.h>

#include <glib/gstdio.h>

#include "haul-queue.h"
#include "haul-store.h"

typedef struct
{
  guint n_changes;
  guint n_added;
} Changes;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->n_changes++;
  changes->n_added += added;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The main thread's CPU time: what the add itself costs, whatever else
 * the machine runs meanwhile (wall time is printed too). */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* A fresh database for every run: each starts from an empty list.
 * Called with the folder at the end: the store's lock goes, then it. */
static void
remove_database (const char *db)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  if (g_file_test (db, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *lock = g_build_filename (db, "lock", NULL);

      g_unlink (lock);
      g_rmdir (db);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);

      g_unlink (path);
    }
}

/* One timed add of @uris: sets the wall and CPU milliseconds; FALSE on a
 * failure. */
static gboolean
time_one_add (const char * const *uris,
              guint               n,
              const char         *folder,
              gboolean            with_store,
              double             *wall_ms,
              double             *cpu_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulStore) store = NULL;
  g_autoptr(HaulQueue) queue = NULL;
  g_autoptr(GPtrArray) added = NULL;
  g_autofree char *db = NULL;
  Changes changes = { 0 };
  gint64 start, end, cpu_start, cpu_end;

  if (with_store)
    {
      db = g_build_filename (folder, "downloads.db", NULL);
      store = haul_store_new (db, &error);
      if (store == NULL)
        {
          g_printerr ("haul-add-bench: %s\n", error->message);
          return FALSE;
        }
    }

  queue = haul_queue_new (store);
  g_signal_connect (queue, "items-changed", G_CALLBACK (items_changed_cb), &changes);

  cpu_start = thread_cpu_us ();
  start = g_get_monotonic_time ();
  added = haul_queue_add_many (queue, uris, folder, NULL, &error);
  end = g_get_monotonic_time ();
  cpu_end = thread_cpu_us ();

  if (error != NULL || added->len != n || changes.n_changes != 1 || changes.n_added != n
      || g_list_model_get_n_items (G_LIST_MODEL (queue)) != n)
    {
      g_printerr ("haul-add-bench: %u URLs gave %u downloads in %u changes (%s)\n", n,
                  added->len, changes.n_changes, error != NULL ? error->message : "no error");
      return FALSE;
    }

  haul_queue_shutdown (queue);
  if (store != NULL)
    {
      haul_store_sync (store);
      g_clear_object (&queue);
      g_clear_object (&store);
      remove_database (db);
    }

  *wall_ms = (end - start) / 1000.0;
  *cpu_ms = (cpu_end - cpu_start) / 1000.0;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  int runs = 3;
  gboolean with_store = FALSE;
  g_auto(GStrv) sizes = NULL;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per size (default 3)", "R" },
    { "store", 0, 0, G_OPTION_ARG_NONE, &with_store, "Record into a HaulStore, as the app", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &sizes, NULL, "N…" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("N… — time haul_queue_add_many");
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  const char *default_sizes[] = { "1000", "10000", "100000", NULL };
  double first_per_1000 = 0;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("haul-add-bench: %s\n", error->message);
      return 2;
    }
  if (runs < 1 || runs > 50)
    {
      g_printerr ("haul-add-bench: --runs must be between 1 and 50\n");
      return 2;
    }

  folder = g_dir_make_tmp ("haul-add-bench-XXXXXX", &error);
  if (folder == NULL)
    {
      g_printerr ("haul-add-bench: %s\n", error->message);
      return 1;
    }

  g_print ("# %s, medians of %d; columns: URLs, wall ms, wall ms per 1,000, CPU ms,\n"
           "# CPU ms per 1,000, CPU per 1,000 / the smallest N's\n",
           with_store ? "with a HaulStore" : "no store", runs);

  for (guint s = 0; (sizes != NULL ? (const char *) sizes[s] : default_sizes[s]) != NULL; s++)
    {
      const char *size = sizes != NULL ? sizes[s] : default_sizes[s];
      guint64 n = g_ascii_strtoull (size, NULL, 10);
      g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) walls = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) cpus = g_array_new (FALSE, FALSE, sizeof (double));
      double wall, cpu;

      if (n == 0 || n > 10000000)
        {
          g_printerr ("haul-add-bench: “%s” is not a count between 1 and 10,000,000\n", size);
          return 2;
        }

      /* Port 9 (discard): nothing answers there, nothing is fetched. */
      for (guint64 i = 0; i < n; i++)
        g_ptr_array_add (uris, g_strdup_printf ("http://127.0.0.1:9/files/%07" G_GUINT64_FORMAT
                                                ".bin", i));
      g_ptr_array_add (uris, NULL);

      for (int r = 0; r < runs; r++)
        {
          if (!time_one_add ((const char * const *) uris->pdata, n, folder, with_store, &wall,
                             &cpu))
            return 1;
          g_array_append_val (walls, wall);
          g_array_append_val (cpus, cpu);
        }
      g_array_sort (walls, compare_double);
      g_array_sort (cpus, compare_double);
      wall = g_array_index (walls, double, walls->len / 2);
      cpu = g_array_index (cpus, double, cpus->len / 2);
      if (first_per_1000 == 0)
        first_per_1000 = cpu * 1000.0 / n;

      g_print ("%" G_GUINT64_FORMAT " %.1f %.2f %.1f %.2f %.2f\n", n, wall, wall * 1000.0 / n, cpu,
               cpu * 1000.0 / n, first_per_1000 > 0 ? cpu * 1000.0 / n / first_per_1000 : 0.0);
    }

  remove_database (folder);
  return 0;
}
