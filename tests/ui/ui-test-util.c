/* ui-test-util.c: bounded waits and widget look-ups for the UI tests
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

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

typedef struct
{
  HaulDownload      *download;
  HaulDownloadState  state;
} StateQuery;

static gboolean
state_check (gpointer data)
{
  StateQuery *query = data;

  return haul_download_get_state (query->download) == query->state;
}

gboolean
haul_ui_wait_state (HaulDownload      *download,
                    HaulDownloadState  state,
                    guint              timeout_ms)
{
  StateQuery query = { download, state };

  return haul_ui_wait_for (state_check, &query, timeout_ms);
}
