/* haul-row-factory.c: the download list's items become rows
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-download-row.h"
#include "haul-list-slot.h"
#include "haul-row-drag.h"
#include "haul-row-factory.h"

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          HaulQueue                *queue)
{
  GtkWidget *row = haul_download_row_new ();

  haul_download_row_set_queue (HAUL_DOWNLOAD_ROW (row), queue);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (haul_row_drag_source_new ()));
  gtk_list_item_set_child (item, row);
  gtk_list_item_set_activatable (item, TRUE);
}

/* A slot may be given another download while bound (a search, a re-sort):
 * the row follows. */
static void
slot_download_cb (HaulListSlot    *slot,
                  GParamSpec      *pspec,
                  HaulDownloadRow *row)
{
  haul_download_row_set_download (row, haul_list_slot_get_download (slot));
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         HaulQueue                *queue)
{
  HaulListSlot *slot = gtk_list_item_get_item (item);
  GtkWidget *row = gtk_list_item_get_child (item);

  haul_download_row_set_download (HAUL_DOWNLOAD_ROW (row), haul_list_slot_get_download (slot));
  g_signal_connect_object (slot, "notify::download", G_CALLBACK (slot_download_cb), row, 0);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           HaulQueue                *queue)
{
  HaulListSlot *slot = gtk_list_item_get_item (item);
  GtkWidget *row = gtk_list_item_get_child (item);

  if (slot != NULL)
    g_signal_handlers_disconnect_by_func (slot, slot_download_cb, row);
  haul_download_row_set_download (HAUL_DOWNLOAD_ROW (row), NULL);
}

GtkListItemFactory *
haul_row_factory_new (HaulQueue *queue)
{
  GtkListItemFactory *factory;

  g_return_val_if_fail (HAUL_IS_QUEUE (queue), NULL);

  factory = gtk_signal_list_item_factory_new ();
  /* The queue outlives the list's rows: the window holds both. */
  g_signal_connect_data (factory, "setup", G_CALLBACK (setup_cb), g_object_ref (queue),
                         (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), queue);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), queue);
  return factory;
}
