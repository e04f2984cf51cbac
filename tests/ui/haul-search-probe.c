/* haul-search-probe.c: does typing a search over 100,000 downloads stall the window?
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A download list of N entries (default 100,000, restored from a store
 * written for the purpose) in the real window; then a search is typed a
 * letter every 150 ms, as a person types, waits for the list to settle,
 * and is cleared again; then the filters are switched. A 5 ms timer on the
 * main loop records how late it fires: the longest lateness is the longest
 * stall a person could feel. Prints max, p99 and median, the longest stall
 * the main thread spent working (the bound applies to that), and how long
 * the list took to settle. Run under tests/ui/run-with-display.
 *
 *   haul-search-probe [--downloads N] [--assert-max-ms MS] [-v]
 */

#include "config.h"

#include <stdlib.h>

#include <adwaita.h>

#include "haul-download-private.h"
#include "haul-store.h"
#include "haul-test-server.h"
#include "haul-window.h"
#include "stall-probe.h"
#include "ui-test-util.h"

#define KEY_INTERVAL_MS 150
#define SETTLE_TIMEOUT_S 60

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* The store a person with a long history would have. Every 100th entry is
 * a Debian image, so the search finds some. */
static char *
write_store (const char *dir,
             guint       n)
{
  g_autofree char *path = g_build_filename (dir, "downloads.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulStore) store = haul_store_new (path, &error);
  static const HaulDownloadState states[] = {
    HAUL_DOWNLOAD_FAILED, HAUL_DOWNLOAD_CANCELLED, HAUL_DOWNLOAD_PAUSED,
  };

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = i % 100 == 7 ? g_strdup_printf ("debian-12.%u-amd64.iso", i)
                                           : g_strdup_printf ("file-%06u.bin", i);
      g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:9/archive/%s", name);
      g_autoptr(HaulDownload) download = haul_download_new (uri, dir);

      haul_download_set_file_name (download, name);
      haul_download_set_state (download, states[i % G_N_ELEMENTS (states)]);
      haul_download_set_progress (download, 1024, 4096, 0, -1);
      haul_store_save (store, download);
    }
  haul_store_sync (store);

  return g_steal_pointer (&path);
}

/* The list shows what it will show: no filtering left to do. */
static gint64
wait_settled (GtkWidget *list_view)
{
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + SETTLE_TIMEOUT_S * G_USEC_PER_SEC;
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list_view)));
  guint wake = g_timeout_add (2, wake_cb, NULL);

  while (g_get_monotonic_time () < end)
    {
      gboolean pending = FALSE;

      /* Walk down the chain of wrapping models: any still at work? */
      for (GObject *m = G_OBJECT (model); m != NULL;)
        {
          GParamSpec *spec = g_object_class_find_property (G_OBJECT_GET_CLASS (m), "pending");
          GObject *next = NULL;

          if (spec != NULL && spec->value_type == G_TYPE_BOOLEAN)
            {
              gboolean busy = FALSE;

              g_object_get (m, "pending", &busy, NULL);
              pending |= busy;
            }
          else if (spec != NULL && spec->value_type == G_TYPE_UINT)
            {
              guint busy = 0;

              g_object_get (m, "pending", &busy, NULL);
              pending |= busy > 0;
            }
          if (g_object_class_find_property (G_OBJECT_GET_CLASS (m), "model") != NULL)
            g_object_get (m, "model", &next, NULL);
          if (next != NULL)
            g_object_unref (next);  /* the chain keeps it alive */
          m = G_IS_LIST_MODEL (next) && !HAUL_IS_QUEUE (next) ? next : NULL;
        }

      if (!pending)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);

  return g_get_monotonic_time () - start;
}

static void
type_search (GtkWidget  *entry,
             const char *text)
{
  for (gsize i = 1; i <= strlen (text); i++)
    {
      g_autofree char *prefix = g_strndup (text, i);

      gtk_editable_set_text (GTK_EDITABLE (entry), prefix);
      haul_ui_spin (KEY_INTERVAL_MS);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = haul_test_make_tmpdir ();
  g_autofree char *store_path = NULL;
  g_autoptr(HaulStore) store = NULL;
  g_autoptr(HaulQueue) queue = NULL;
  g_autoptr(AdwApplication) app = NULL;
  g_autoptr(HaulStallProbe) probe = NULL;
  gboolean verbose = FALSE;
  int n_downloads = 100000;
  int assert_max_ms = 0;
  GOptionEntry entries[] = {
    { "downloads", 0, 0, G_OPTION_ARG_INT, &n_downloads, "Downloads in the list", "N" },
    { "assert-max-ms", 0, 0, G_OPTION_ARG_INT, &assert_max_ms,
      "Fail when the longest stall is longer", "MS" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print every stall over 8 ms", NULL },
    { NULL }
  };
  HaulWindow *window;
  GtkWidget *entry;
  GtkWidget *list_view;
  gint64 t0, settle_search, settle_clear, settle_filter, max_late, p99, median, max_busy;

  context = g_option_context_new ("— main-loop stalls while searching a long list");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  t0 = g_get_monotonic_time ();
  store_path = write_store (dir, (guint) n_downloads);
  store = haul_store_new (store_path, &error);
  g_assert_no_error (error);
  queue = haul_queue_new (store);
  g_assert_true (haul_queue_restore (queue, &error));
  g_assert_no_error (error);
  g_print ("%u downloads restored in %.1f s\n",
           g_list_model_get_n_items (G_LIST_MODEL (queue)), (g_get_monotonic_time () - t0) / 1e6);

  app = adw_application_new ("io.github.haul.SearchProbe", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = haul_window_new (GTK_APPLICATION (app), queue, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 760, 560);
  gtk_window_present (GTK_WINDOW (window));
  haul_ui_spin (1000);

  entry = haul_ui_find_type (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY);
  list_view = haul_ui_find_type (GTK_WIDGET (window), GTK_TYPE_LIST_VIEW);
  g_assert_nonnull (entry);
  g_assert_nonnull (list_view);

  probe = haul_stall_probe_start (verbose);

  haul_stall_probe_set_phase (probe, "typing \"debian\"");
  type_search (entry, "debian");
  settle_search = wait_settled (list_view);
  haul_ui_spin (300);
  g_print ("search \"debian\": %u rows shown, settled %.0f ms after the last key\n",
           g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (
                                       GTK_LIST_VIEW (list_view)))),
           settle_search / 1000.0);

  haul_stall_probe_set_phase (probe, "clearing the search");
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  haul_ui_spin (KEY_INTERVAL_MS * 2);
  settle_clear = wait_settled (list_view);
  haul_ui_spin (300);

  haul_stall_probe_set_phase (probe, "filter: failed");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.filter", "s", "failed");
  settle_filter = wait_settled (list_view);
  haul_ui_spin (300);
  haul_stall_probe_set_phase (probe, "filter: all");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.filter", "s", "all");
  settle_filter += wait_settled (list_view);
  haul_ui_spin (300);

  haul_stall_probe_stop (probe);
  max_late = haul_stall_probe_percentile (probe, 100);
  p99 = haul_stall_probe_percentile (probe, 99);
  median = haul_stall_probe_percentile (probe, 50);
  max_busy = haul_stall_probe_max_busy (probe);
  g_print ("%d downloads: longest main-loop stall %.1f ms, p99 %.1f ms, median %.1f ms "
           "(%u samples); settled after the search in %.0f ms, after clearing in %.0f ms, "
           "after two filters in %.0f ms\n",
           n_downloads, max_late / 1000.0, p99 / 1000.0, median / 1000.0,
           haul_stall_probe_n_samples (probe),
           settle_search / 1000.0, settle_clear / 1000.0, settle_filter / 1000.0);
  g_print ("longest stall spent working on the main thread: %.1f ms\n", max_busy / 1000.0);

  gtk_window_destroy (GTK_WINDOW (window));
  haul_queue_shutdown (queue);
  haul_test_remove_tree (dir);

  /* The main thread's own work, not the wall clock: on a shared machine
   * waiting for a core is most of any stall (see haul-probe.c). */
  if (assert_max_ms > 0 && !HAUL_STALL_SANITIZED && max_busy > (gint64) assert_max_ms * 1000)
    {
      g_printerr ("FAIL: the main loop was busy %.1f ms at a stretch (bound %d ms)\n",
                  max_busy / 1000.0, assert_max_ms);
      return 1;
    }

  return 0;
}
