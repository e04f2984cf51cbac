/* test-first-rows.c: a long history's first frame builds one screenful of rows
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8's list view builds a row for up to 200 items at once; with the
 * history restored, that was most of the time to the window's first frame
 * (about 1.5 ms of CPU per HaulDownloadRow). HaulSlotModel shows a new list
 * a screenful at first and grows it a few rows per main-loop turn.
 *
 * /haul/ui/first-rows/slot-model: the model's own counts, over a filter.
 * /haul/ui/first-rows/window: the real application restoring 2,000
 *   finished downloads from its database: at the first painted frame only
 *   the first screenful of rows exists and shows the top of the list; later
 *   every download is in the list, the rows GTK keeps are built, and the
 *   first row still shows the same download.
 */

#include "config.h"

#include <adwaita.h>

#include "haul-application.h"
#include "haul-download-private.h"
#include "haul-download-row.h"
#include "haul-list-slot.h"
#include "haul-slot-model.h"
#include "haul-store.h"
#include "ui-test-util.h"

#define TIMEOUT_MS 20000
#define N_HISTORY  2000
/* HaulSlotModel's first screenful (FIRST_ROWS), and the little it may
 * grow before the first frame. */
#define FIRST_ROWS_MAX 30

/* ------------------------------------------------------------------ */

static gboolean
not_pending_check (gpointer data)
{
  return !haul_slot_model_get_pending (data);
}

static void
test_slot_model (void)
{
  g_autoptr(GListStore) store = g_list_store_new (HAUL_TYPE_DOWNLOAD);
  g_autoptr(GtkFilterListModel) filter = NULL;
  g_autoptr(HaulSlotModel) slots = NULL;
  g_autoptr(GtkFilterListModel) small_filter = NULL;
  g_autoptr(HaulSlotModel) small = NULL;
  g_autoptr(GListStore) small_store = g_list_store_new (HAUL_TYPE_DOWNLOAD);

  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:9/first/%03u.bin", i);
      g_autoptr(HaulDownload) download = haul_download_new (uri, "/tmp");

      g_list_store_append (store, download);
      if (i < 10)
        g_list_store_append (small_store, download);
    }
  filter = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (store)), NULL);
  slots = haul_slot_model_new (filter);

  /* A screenful at once, the rest to come. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), <=, FIRST_ROWS_MAX);
  g_assert_true (haul_slot_model_get_pending (slots));
  {
    g_autoptr(HaulListSlot) first = g_list_model_get_item (G_LIST_MODEL (slots), 0);
    g_autoptr(HaulDownload) top = g_list_model_get_item (G_LIST_MODEL (store), 0);

    g_assert_true (haul_list_slot_get_download (first) == top);
  }

  g_assert_true (haul_ui_wait_for (not_pending_check, slots, TIMEOUT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 500);
  {
    g_autoptr(HaulListSlot) last = g_list_model_get_item (G_LIST_MODEL (slots), 499);
    g_autoptr(HaulDownload) bottom = g_list_model_get_item (G_LIST_MODEL (store), 499);

    g_assert_true (haul_list_slot_get_download (last) == bottom);
  }

  /* A short list is all there at once. */
  small_filter = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (small_store)), NULL);
  small = haul_slot_model_new (small_filter);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (small)), ==, 10);
  g_assert_false (haul_slot_model_get_pending (small));
}

/* ------------------------------------------------------------------ */

static void
fill_history (const char *folder)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = haul_store_default_path ();
  g_autofree char *data_dir = g_path_get_dirname (path);
  g_autoptr(HaulStore) store = NULL;
  g_autoptr(GDateTime) base = g_date_time_new_from_unix_utc (1780000000);

  g_assert_cmpint (g_mkdir_with_parents (data_dir, 0700), ==, 0);
  store = haul_store_new (path, &error);
  g_assert_no_error (error);
  for (int i = 0; i < N_HISTORY; i++)
    {
      g_autofree char *name = g_strdup_printf ("history-%05d.bin", i);
      g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:9/history/%s", name);
      g_autoptr(HaulDownload) download = haul_download_new (uri, folder);
      g_autoptr(GDateTime) created = g_date_time_add_seconds (base, i * 60.0);

      haul_download_set_file_name (download, name);
      haul_download_set_progress (download, 4096, 4096, 0, -1);
      haul_download_set_confirmed (download, 4096);
      haul_download_set_created (download, created);
      haul_download_set_finished (download, created);
      haul_download_set_state (download, HAUL_DOWNLOAD_COMPLETED);
      haul_store_save (store, download);
    }
  g_assert_true (haul_store_sync (store));
}

typedef struct
{
  GtkWidget    *list_view;
  guint         n_rows_first;  /* rows built when the first frame was painted */
  HaulDownload *top_first;     /* (owned) what the first row showed then */
  gboolean      painted;
} FirstFrame;

static gboolean
is_list_view (GtkWidget *widget,
              gpointer   data)
{
  return GTK_IS_LIST_VIEW (widget);
}

/* The list view's rows, and the one at the top (the lowest y). */
static guint
count_rows (GtkWidget     *list_view,
            HaulDownload **top)
{
  guint n = 0;
  double top_y = G_MAXDOUBLE;

  *top = NULL;
  for (GtkWidget *item = gtk_widget_get_first_child (list_view); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);
      graphene_point_t at;

      if (!HAUL_IS_DOWNLOAD_ROW (row))
        continue;
      n++;
      if (gtk_widget_compute_point (item, list_view, &GRAPHENE_POINT_INIT (0, 0), &at)
          && at.y < top_y && haul_download_row_get_download (HAUL_DOWNLOAD_ROW (row)) != NULL)
        {
          top_y = at.y;
          *top = haul_download_row_get_download (HAUL_DOWNLOAD_ROW (row));
        }
    }
  return n;
}

static void
after_paint_cb (GdkFrameClock *clock,
                FirstFrame    *first)
{
  HaulDownload *top;

  if (first->painted)
    return;
  first->painted = TRUE;
  first->n_rows_first = count_rows (first->list_view, &top);
  g_set_object (&first->top_first, top);
}

static gboolean
painted_check (gpointer data)
{
  return ((FirstFrame *) data)->painted;
}

static gboolean
all_shown_check (gpointer data)
{
  GtkListView *view = data;

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (view))) == N_HISTORY;
}

static void
test_window (void)
{
  g_autofree char *folder = g_build_filename (g_get_home_dir (), "Downloads", NULL);
  g_autoptr(HaulApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulDownload) newest = NULL;
  FirstFrame first = { 0 };
  GtkWidget *window;
  HaulDownload *top;
  guint n_rows;

  fill_history (folder);

  app = haul_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (haul_application_get_queue (app))),
                    ==, N_HISTORY);
  g_application_activate (G_APPLICATION (app));
  window = GTK_WIDGET (haul_application_get_window (app));
  first.list_view = haul_ui_find (window, is_list_view, NULL);
  g_assert_nonnull (first.list_view);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), &first);

  g_assert_true (haul_ui_wait_for (painted_check, &first, TIMEOUT_MS));
  g_test_message ("rows at the first frame: %u", first.n_rows_first);
  g_assert_cmpuint (first.n_rows_first, >, 0);
  g_assert_cmpuint (first.n_rows_first, <=, FIRST_ROWS_MAX);
  /* The top of the list is what the queue holds first. */
  newest = g_list_model_get_item (G_LIST_MODEL (haul_application_get_queue (app)), 0);
  g_assert_true (first.top_first == newest);

  /* Then the whole list, and the rows GTK keeps around the visible ones,
   * with the same row on top. */
  g_assert_true (haul_ui_wait_for (all_shown_check, first.list_view, TIMEOUT_MS));
  haul_ui_spin (200);
  n_rows = count_rows (first.list_view, &top);
  g_test_message ("rows once grown: %u", n_rows);
  g_assert_cmpuint (n_rows, >, 100);
  g_assert_true (top == newest);

  g_clear_object (&first.top_first);
  g_signal_handlers_disconnect_by_data (gtk_widget_get_frame_clock (window), &first);
  gtk_window_destroy (GTK_WINDOW (window));
  haul_queue_shutdown (haul_application_get_queue (app));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("haul");
  gtk_init ();
  adw_init ();

  g_test_add_func ("/haul/ui/first-rows/slot-model", test_slot_model);
  g_test_add_func ("/haul/ui/first-rows/window", test_window);
  return g_test_run ();
}
