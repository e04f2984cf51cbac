/* haul-history-bench.c: how long until a long history is on the screen?
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   haul-history-bench --fill N --data-home DIR --folder DIR [--create-files]
 *   haul-history-bench --measure --data-home DIR --expect N [--expect-missing]
 *
 * --fill writes N completed downloads (files in --folder) into the
 * database the app opens, DIR/haul/downloads.db, through HaulStore
 * (haul_store_save, then haul_store_sync), as the app itself records them;
 * with --create-files the N files are made too (empty: the restore checks
 * only that a finished file is there).
 *
 * --measure is the app starting with that history, in a fresh process:
 * the real HaulApplication and window, timed from the first line of
 * main() (monotonic clock) to the end of the first frame the window's
 * surface paints (GdkFrameClock::after-paint). It checks that the list
 * holds the N restored downloads. With --expect-missing it then waits
 * until the restore's file check has marked every download's file as
 * missing, and reports when, and the longest main-loop stall meanwhile
 * (a 5 ms timer, as haul-probe). With HAUL_FIRST_FRAME_STOP set in the
 * environment it stops itself (SIGSTOP) right after the first frame, for
 * a screenshot of what that frame showed; with HAUL_FIRST_FRAME_EXIT set it
 * exits there (for a profiler). Prints one line of KEY=VALUE pairs:
 *   rows=N first_frame_ms=… cpu_ms=… startup_ms=… all_rows_ms=…
 *   [missing_ms=… max_stall_ms=…]
 * (cpu_ms: CPU time of all threads until the first frame; all_rows_ms:
 * when the list, a screenful at the first frame, holds every download.)
 * Run --measure under tests/ui/run-with-display.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "haul-application.h"
#include "haul-download-private.h"
#include "haul-store.h"

#define TIMEOUT_S          60
#define PROBE_INTERVAL_MS  5
#define COUNT_INTERVAL_MS  100

static gint64 main_start;

/* --fill ------------------------------------------------------------------------- */

static int
fill (int         n,
      const char *folder,
      gboolean    create_files)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = haul_store_default_path ();
  g_autofree char *data_dir = g_path_get_dirname (path);
  g_autoptr(HaulStore) store = NULL;
  g_autoptr(GDateTime) base = g_date_time_new_from_unix_utc (1780000000);
  const gint64 size = 1024 * 1024;

  if (g_mkdir_with_parents (data_dir, 0700) != 0 || g_mkdir_with_parents (folder, 0700) != 0)
    {
      g_printerr ("haul-history-bench: cannot make %s or %s\n", data_dir, folder);
      return EXIT_FAILURE;
    }
  store = haul_store_new (path, &error);
  if (store == NULL)
    {
      g_printerr ("haul-history-bench: %s\n", error->message);
      return EXIT_FAILURE;
    }

  for (int i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%06d.bin", i);
      g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:9/history/%s", name);
      g_autoptr(HaulDownload) download = haul_download_new (uri, folder);
      g_autoptr(GDateTime) created = g_date_time_add_seconds (base, i * 60.0);
      g_autoptr(GDateTime) finished = g_date_time_add_seconds (created, 30.0);

      haul_download_set_file_name (download, name);
      haul_download_set_content_type (download, "application/octet-stream");
      haul_download_set_progress (download, size, size, 0, -1);
      haul_download_set_confirmed (download, size);
      haul_download_set_created (download, created);
      haul_download_set_finished (download, finished);
      haul_download_set_state (download, HAUL_DOWNLOAD_COMPLETED);
      haul_store_save (store, download);

      if (create_files)
        {
          g_autofree char *file = g_build_filename (folder, name, NULL);
          int fd = g_open (file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

          if (fd < 0)
            {
              g_printerr ("haul-history-bench: cannot make %s: %s\n", file, g_strerror (errno));
              return EXIT_FAILURE;
            }
          close (fd);
        }
    }

  if (!haul_store_sync (store))
    {
      g_printerr ("haul-history-bench: the store could not write every row\n");
      return EXIT_FAILURE;
    }
  g_print ("filled %s with %d completed downloads%s\n", path, n,
           create_files ? ", their files made" : ", their files absent");
  return EXIT_SUCCESS;
}

/* --measure ---------------------------------------------------------------------- */

/* All threads, since the process started: on a shared machine the wall
 * clock also counts other programs, this does not. */
static gint64
process_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

typedef struct
{
  gint64  first_frame;   /* µs after main_start, 0 until painted */
  gint64  first_frame_cpu;  /* µs of CPU the process had used by then */
  gint64  all_missing;   /* µs after main_start, 0 until seen */
  gint64  last_fire;
  gint64  max_late;
  guint   n_missing;
} Measure;

static void
after_paint_cb (GdkFrameClock *clock,
                Measure       *m)
{
  if (m->first_frame == 0)
    {
      m->first_frame = g_get_monotonic_time () - main_start;
      m->first_frame_cpu = process_cpu_us ();
    }
}

static gboolean
probe_cb (gpointer data)
{
  Measure *m = data;
  gint64 now = g_get_monotonic_time ();

  m->max_late = MAX (m->max_late, now - (m->last_fire + PROBE_INTERVAL_MS * 1000));
  m->last_fire = now;
  return G_SOURCE_CONTINUE;
}

static GtkListView *
find_list_view (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    return GTK_LIST_VIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkListView *found = find_list_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
count_missing (GListModel *model)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (model, i);

      n += haul_download_get_file_missing (download) ? 1 : 0;
    }
  return n;
}

static int
measure (int      expect,
         gboolean expect_missing)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulApplication) app = NULL;
  Measure m = { 0 };
  GtkWidget *window;
  GdkFrameClock *clock;
  HaulQueue *queue;
  gint64 startup, deadline;
  guint n_rows;
  int status = EXIT_SUCCESS;

  g_set_prgname ("haul");
  app = haul_application_new ();
  /* Registering runs startup: the store opens and the history is restored. */
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("haul-history-bench: cannot register: %s\n", error->message);
      return EXIT_FAILURE;
    }
  startup = g_get_monotonic_time () - main_start;
  g_application_activate (G_APPLICATION (app));
  window = GTK_WIDGET (haul_application_get_window (app));
  queue = haul_application_get_queue (app);

  /* The window is realized by present; the first frame is painted later,
   * from the main loop. */
  clock = gtk_widget_get_frame_clock (window);
  g_assert (clock != NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &m);

  deadline = main_start + TIMEOUT_S * G_USEC_PER_SEC;
  while (m.first_frame == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  /* As tests/bench/first-frame-gtk3.c does for uGet: stopped right after
   * the first frame, a screenshot shows exactly what it painted. */
  if (m.first_frame != 0 && g_getenv ("HAUL_FIRST_FRAME_STOP") != NULL)
    {
      gdk_display_sync (gtk_widget_get_display (window));
      raise (SIGSTOP);
    }

  n_rows = g_list_model_get_n_items (G_LIST_MODEL (queue));
  g_print ("rows=%u first_frame_ms=%.1f cpu_ms=%.1f startup_ms=%.1f", n_rows,
           m.first_frame / 1000.0, m.first_frame_cpu / 1000.0, startup / 1000.0);

  /* The first frame shows a screenful; the list then grows to all of them
   * a few rows per main-loop turn (HaulSlotModel). */
  if (m.first_frame != 0 && g_getenv ("HAUL_FIRST_FRAME_EXIT") == NULL)
    {
      GListModel *shown = G_LIST_MODEL (gtk_list_view_get_model (find_list_view (window)));
      gint64 grown = 0;

      while (grown == 0 && g_get_monotonic_time () < deadline)
        {
          g_main_context_iteration (NULL, TRUE);
          if (g_list_model_get_n_items (shown) == (guint) expect)
            grown = g_get_monotonic_time () - main_start;
        }
      g_print (" all_rows_ms=%.1f", grown / 1000.0);
    }

  /* For a profiler: only what comes before the first frame. */
  if (g_getenv ("HAUL_FIRST_FRAME_EXIT") != NULL)
    {
      g_print ("\n");
      _exit (m.first_frame != 0 ? EXIT_SUCCESS : EXIT_FAILURE);
    }

  if (expect_missing && m.first_frame != 0)
    {
      gint64 next_count = 0;
      guint probe_id;

      m.last_fire = g_get_monotonic_time ();
      probe_id = g_timeout_add (PROBE_INTERVAL_MS, probe_cb, &m);
      while (m.all_missing == 0 && g_get_monotonic_time () < deadline)
        {
          g_main_context_iteration (NULL, TRUE);
          /* Counting is O(N): every 100 ms only, and outside the probe's
           * window (the probe's own clock restarts after it). */
          if (g_get_monotonic_time () >= next_count)
            {
              m.n_missing = count_missing (G_LIST_MODEL (queue));
              if (m.n_missing == (guint) expect)
                m.all_missing = g_get_monotonic_time () - main_start;
              m.last_fire = g_get_monotonic_time ();
              next_count = m.last_fire + COUNT_INTERVAL_MS * 1000;
            }
        }
      g_source_remove (probe_id);
      g_print (" missing_ms=%.1f max_stall_ms=%.1f", m.all_missing / 1000.0, m.max_late / 1000.0);
    }
  g_print ("\n");

  if (m.first_frame == 0)
    {
      g_printerr ("FAIL: no frame painted within %d s\n", TIMEOUT_S);
      status = EXIT_FAILURE;
    }
  if (n_rows != (guint) expect)
    {
      g_printerr ("FAIL: %u downloads restored, %d expected\n", n_rows, expect);
      status = EXIT_FAILURE;
    }
  if (expect_missing && m.all_missing == 0)
    {
      g_printerr ("FAIL: %u of %d files marked missing within %d s\n", m.n_missing, expect,
                  TIMEOUT_S);
      status = EXIT_FAILURE;
    }

  gtk_window_destroy (GTK_WINDOW (window));
  haul_queue_shutdown (queue);
  return status;
}

int
main (int   argc,
      char *argv[])
{
  int n_fill = 0;
  int expect = -1;
  gboolean do_measure = FALSE;
  gboolean create_files = FALSE;
  gboolean expect_missing = FALSE;
  g_autofree char *data_home = NULL;
  g_autofree char *folder = NULL;
  const GOptionEntry entries[] = {
    { "fill", 0, 0, G_OPTION_ARG_INT, &n_fill, "Write N completed downloads", "N" },
    { "measure", 0, 0, G_OPTION_ARG_NONE, &do_measure, "Time the app to its first frame", NULL },
    { "data-home", 0, 0, G_OPTION_ARG_FILENAME, &data_home, "XDG_DATA_HOME to use", "DIR" },
    { "folder", 0, 0, G_OPTION_ARG_FILENAME, &folder, "Where the downloads' files are", "DIR" },
    { "create-files", 0, 0, G_OPTION_ARG_NONE, &create_files, "Make the files too", NULL },
    { "expect", 0, 0, G_OPTION_ARG_INT, &expect, "Downloads the list must hold", "N" },
    { "expect-missing", 0, 0, G_OPTION_ARG_NONE, &expect_missing,
      "Wait until every file is marked missing", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;

  main_start = g_get_monotonic_time ();

  context = g_option_context_new ("— a long history, to the first frame");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("haul-history-bench: %s\n", error->message);
      return 2;
    }
  if (data_home == NULL || !g_path_is_absolute (data_home) || (n_fill > 0) == do_measure)
    {
      g_printerr ("haul-history-bench: give --fill N or --measure, and an absolute --data-home\n");
      return 2;
    }
  /* Before anything asks GLib for the user's folders (it caches them). */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  if (n_fill > 0)
    {
      if (folder == NULL || !g_path_is_absolute (folder))
        {
          g_printerr ("haul-history-bench: --fill needs an absolute --folder\n");
          return 2;
        }
      return fill (n_fill, folder, create_files);
    }
  if (expect < 0)
    {
      g_printerr ("haul-history-bench: --measure needs --expect N\n");
      return 2;
    }
  return measure (expect, expect_missing);
}
