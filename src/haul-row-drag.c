/* haul-row-drag.c: a finished download's row dragged out as its file
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-download-row.h"
#include "haul-row-drag.h"

static HaulDownload *
download_of (GtkDragSource *source)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));

  return HAUL_IS_DOWNLOAD_ROW (row) ? haul_download_row_get_download (HAUL_DOWNLOAD_ROW (row))
                                    : NULL;
}

static GdkContentProvider *
prepare_cb (GtkDragSource *source,
            double         x,
            double         y,
            gpointer       user_data)
{
  HaulDownload *download = download_of (source);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  GdkFileList *files;
  GdkContentProvider *provider;

  /* NULL: no drag. Only a whole file, still where Haul put it. */
  if (download == NULL || haul_download_get_state (download) != HAUL_DOWNLOAD_COMPLETED
      || haul_download_get_file_missing (download))
    return NULL;

  path = haul_download_dup_path (download);
  if (path == NULL)
    return NULL;

  file = g_file_new_for_path (path);
  files = gdk_file_list_new_from_array (&file, 1);
  provider = gdk_content_provider_new_typed (GDK_TYPE_FILE_LIST, files);
  g_boxed_free (GDK_TYPE_FILE_LIST, files);
  return provider;
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               gpointer       user_data)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  HaulDownload *download = download_of (source);
  const char *content_type = download != NULL ? haul_download_get_content_type (download) : NULL;
  g_autoptr(GIcon) icon = NULL;
  g_autoptr(GtkIconPaintable) paintable = NULL;
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (row));

  icon = content_type != NULL ? g_content_type_get_icon (content_type)
                              : g_themed_icon_new ("text-x-generic");
  paintable = gtk_icon_theme_lookup_by_gicon (theme, icon, 32, gtk_widget_get_scale_factor (row),
                                              gtk_widget_get_direction (row), 0);
  gtk_drag_source_set_icon (source, GDK_PAINTABLE (paintable), 16, 16);
}

GtkDragSource *
haul_row_drag_source_new (void)
{
  GtkDragSource *source = gtk_drag_source_new ();

  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (prepare_cb), NULL);
  g_signal_connect (source, "drag-begin", G_CALLBACK (drag_begin_cb), NULL);
  return source;
}
