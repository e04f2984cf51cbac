/* ui-test-util.c: bounded waits and widget look-ups for the UI tests
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

/* Every program of these helpers starts GTK, and most the whole
 * application: they meet GLib's own leaks. Its quark table's first block
 * (2,048 quarks, 16 KiB) is replaced and never freed once a program makes
 * more quarks than that, and test-adopt ends at 2,048, test-open-error at
 * 2,039, test-steer at 2,015: whether it crosses depends on what GTK
 * happened to do. So each unwinds fully under AddressSanitizer, to match
 * that block to its suppression in tests/lsan.supp (haul-asan.h). */
#include "haul-asan.h"

#include "haul-address-prompt.h"
#include "haul-download-row.h"
#include "ui-test-util.h"

/* A timer keeps g_main_context_iteration() from sleeping past a bound. */
static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
haul_ui_wait_for (HaulUiCheck check,
                  gpointer    data,
                  guint       timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint wake = g_timeout_add (20, wake_cb, NULL);
  gboolean ok;

  while (!(ok = check (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return ok;
}

void
haul_ui_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  guint wake = g_timeout_add (10, wake_cb, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

GtkWidget *
haul_ui_find (GtkWidget   *root,
              HaulUiMatch  match,
              gpointer     data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = haul_ui_find (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_type (GtkWidget *widget,
         gpointer   type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

GtkWidget *
haul_ui_find_type (GtkWidget *root,
                   GType      type)
{
  return haul_ui_find (root, is_type, GSIZE_TO_POINTER (type));
}

typedef struct
{
  HaulUiMatch  match;
  GtkWidget   *widget;
  gpointer     data;
} MatchQuery;

static gboolean
match_check (gpointer data)
{
  MatchQuery *query = data;

  return query->match (query->widget, query->data);
}

gboolean
haul_ui_wait_match (HaulUiMatch  match,
                    GtkWidget   *widget,
                    gpointer     data,
                    guint        timeout_ms)
{
  MatchQuery query = { match, widget, data };

  return haul_ui_wait_for (match_check, &query, timeout_ms);
}

/* Waits for what @read reads off @object to be @value. */
typedef guint (*ValueRead) (gpointer object);

typedef struct
{
  ValueRead read;
  gpointer  object;
  guint     value;
} ValueQuery;

static gboolean
value_check (gpointer data)
{
  ValueQuery *query = data;

  return query->read (query->object) == query->value;
}

static gboolean
wait_value (ValueRead read,
            gpointer  object,
            guint     value,
            guint     timeout_ms)
{
  ValueQuery query = { read, object, value };

  return haul_ui_wait_for (value_check, &query, timeout_ms);
}

/* What haul_ui_wait_n_items() waits on. */
static guint
read_n_items (gpointer queue)
{
  return haul_ui_n_items (queue);
}

static gboolean
is_row_of (GtkWidget *widget,
           gpointer   download)
{
  return HAUL_IS_DOWNLOAD_ROW (widget)
         && haul_download_row_get_download (HAUL_DOWNLOAD_ROW (widget)) == download
         && gtk_widget_get_mapped (widget);
}

GtkWidget *
haul_ui_find_row (GtkWidget    *root,
                  HaulDownload *download)
{
  return haul_ui_find (root, is_row_of, download);
}

typedef struct
{
  GtkWidget    *root;
  HaulDownload *download;
} RowQuery;

static gboolean
row_check (gpointer data)
{
  RowQuery *query = data;

  return haul_ui_find_row (query->root, query->download) != NULL;
}

gboolean
haul_ui_wait_row (GtkWidget    *root,
                  HaulDownload *download,
                  guint         timeout_ms)
{
  RowQuery query = { root, download };

  return haul_ui_wait_for (row_check, &query, timeout_ms);
}

HaulApplication *
haul_ui_start_application (HaulWindow **window)
{
  g_autoptr(GError) error = NULL;
  HaulApplication *app = haul_application_new ();

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  *window = HAUL_WINDOW (haul_application_get_window (app));
  g_assert_nonnull (*window);
  return app;
}

void
haul_ui_stop_application (HaulApplication *app,
                          HaulWindow      *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  haul_queue_shutdown (haul_application_get_queue (app));
  g_object_unref (app);
}

static gboolean
is_mapped_list_view (GtkWidget *widget,
                     gpointer   data)
{
  return GTK_IS_LIST_VIEW (widget) && gtk_widget_get_mapped (widget);
}

GtkListView *
haul_ui_find_list_view (GtkWidget *root)
{
  GtkWidget *view = haul_ui_find (root, is_mapped_list_view, NULL);

  return view != NULL ? GTK_LIST_VIEW (view) : NULL;
}

static gboolean
is_mapped_status_page (GtkWidget *widget,
                       gpointer   title)
{
  return ADW_IS_STATUS_PAGE (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), title) == 0;
}

GtkWidget *
haul_ui_find_status_page (GtkWidget  *root,
                          const char *title)
{
  return haul_ui_find (root, is_mapped_status_page, (gpointer) title);
}

static gboolean
is_button_named (GtkWidget *widget,
                 gpointer   name)
{
  static const char * const names[][2] = {
    { "Pause", "row.pause" }, { "Resume", "row.resume" }, { "Cancel", "row.cancel" },
    { "Retry", "row.retry" }, { "Open", "row.open" }, { "Show in Folder", "row.show-in-folder" },
  };

  if (!GTK_IS_BUTTON (widget))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i][0], name))
      return g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                        names[i][1]) == 0;

  g_assert_not_reached ();
}

GtkWidget *
haul_ui_row_button (GtkWidget  *row,
                    const char *name)
{
  return haul_ui_find (row, is_button_named, (gpointer) name);
}

static gboolean
has_css_class (GtkWidget *widget,
               gpointer   css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

const char *
haul_ui_row_status (GtkWidget *row)
{
  GtkWidget *status = haul_ui_find (row, has_css_class, (gpointer) "download-status");

  g_assert_true (GTK_IS_INSCRIPTION (status));
  return gtk_inscription_get_text (GTK_INSCRIPTION (status));
}

HaulDownload *
haul_ui_find_download (HaulQueue  *queue,
                       const char *uri)
{
  GListModel *model = G_LIST_MODEL (queue);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (model, i);

      if (g_strcmp0 (haul_download_get_uri (download), uri) == 0)
        return download;  /* the queue keeps it alive */
    }
  return NULL;
}

guint
haul_ui_n_items (HaulQueue *queue)
{
  return g_list_model_get_n_items (G_LIST_MODEL (queue));
}

HaulDownload *
haul_ui_item (HaulQueue *queue,
              guint      i)
{
  g_autoptr(HaulDownload) download = g_list_model_get_item (G_LIST_MODEL (queue), i);

  return download;  /* the queue keeps it alive */
}

gboolean
haul_ui_wait_n_items (HaulQueue *queue,
                      guint      n,
                      guint      timeout_ms)
{
  return wait_value (read_n_items, queue, n, timeout_ms);
}

void
haul_ui_clear_queue (HaulQueue *queue)
{
  while (haul_ui_n_items (queue) > 0)
    {
      HaulDownload *download = haul_ui_item (queue, 0);

      haul_queue_remove (queue, download);
      haul_queue_discard (queue, download);
    }
}

char *
haul_ui_downloads_folder (void)
{
  return g_build_filename (g_get_home_dir (), "Downloads", NULL);
}

HaulDownload *
haul_ui_add_served (HaulQueue      *queue,
                    HaulTestServer *server,
                    const char     *path,
                    gsize           size,
                    guint           bytes_per_second)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (size, 7);
  HaulTestFileOptions options = { .bytes_per_second = bytes_per_second };
  g_autofree char *uri = haul_test_server_uri (server, path);
  g_autofree char *folder = haul_ui_downloads_folder ();
  g_autoptr(GError) error = NULL;
  HaulDownload *download;

  haul_test_server_add_file (server, path, body, &options);
  download = haul_queue_add (queue, uri, folder, &error);
  g_assert_no_error (error);
  return download;
}

void
haul_ui_drop_bytes (HaulWindow *window,
                    const char *mime_type,
                    const void *data,
                    gsize       length)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);

  haul_window_handle_data (window, mime_type, bytes, FALSE);
}

static gboolean
add_dialog_shown (gpointer window)
{
  return haul_window_get_add_dialog (window) != NULL;
}

gboolean
haul_ui_wait_add_dialog (HaulWindow *window,
                         guint       timeout_ms)
{
  return haul_ui_wait_for (add_dialog_shown, window, timeout_ms);
}

void
haul_ui_close_add_dialog (HaulWindow *window)
{
  HaulAddDialog *dialog = haul_window_get_add_dialog (window);

  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "add.cancel", NULL));
  haul_ui_spin (50);
  g_assert_null (haul_window_get_add_dialog (window));
}

AdwMessageDialog *
haul_ui_find_message_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (item) && gtk_widget_get_visible (GTK_WIDGET (item))
          && g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (item)),
                        heading) == 0)
        return ADW_MESSAGE_DIALOG (item);
    }
  return NULL;
}

static gboolean
message_dialog_shown (gpointer heading)
{
  return haul_ui_find_message_dialog (heading) != NULL;
}

AdwMessageDialog *
haul_ui_wait_message_dialog (const char *heading,
                             guint       timeout_ms)
{
  haul_ui_wait_for (message_dialog_shown, (gpointer) heading, timeout_ms);
  return haul_ui_find_message_dialog (heading);
}

static gboolean
is_response_button (GtkWidget *widget,
                    gpointer   label)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

void
haul_ui_click_response (AdwMessageDialog *dialog,
                        const char       *label)
{
  GtkWidget *button = haul_ui_find (GTK_WIDGET (dialog), is_response_button, (gpointer) label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

gboolean
haul_ui_wait_state (HaulDownload      *download,
                    HaulDownloadState  state,
                    guint              timeout_ms)
{
  return haul_test_wait_state (download, state, timeout_ms);
}

gboolean
haul_ui_save_png (GtkWidget  *widget,
                  const char *path)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (width <= 0 || height <= 0)
    return FALSE;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return FALSE;
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  return gdk_texture_save_to_png (texture, path);
}

void
haul_ui_shot (GtkWidget  *widget,
              const char *variable,
              const char *name)
{
  const char *folder = g_getenv (variable);
  g_autofree char *path = NULL;

  if (folder == NULL)
    return;
  haul_ui_spin (400);  /* revealers, toasts and focus at rest */
  path = g_strdup_printf ("%s/%s.png", folder, name);
  haul_ui_save_png (widget, path);
}

void
haul_ui_build_shot (GtkWidget  *widget,
                    const char *variable,
                    const char *name)
{
  g_autofree char *path = NULL;

  if (g_strcmp0 (g_getenv (variable), "1") != 0)
    return;
  path = g_strdup_printf ("%s/%s.png", g_getenv ("G_TEST_BUILDDIR"), name);
  if (haul_ui_save_png (widget, path))
    g_printerr ("# screenshot: %s\n", path);
}

GtkEditable *
haul_ui_prompt_entry (gpointer dialog)
{
  return haul_address_prompt_get_entry (HAUL_ADDRESS_PROMPT (dialog));
}

const char *
haul_ui_prompt_error (gpointer dialog)
{
  return haul_address_prompt_get_error (HAUL_ADDRESS_PROMPT (dialog));
}
