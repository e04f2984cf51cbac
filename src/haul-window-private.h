/* haul-window-private.h: the window's parts, for the files that make it
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * haul-window.c (the list, its filters, toasts, the life cycle) and
 * haul-window-links.c (drops, pastes, the clipboard offer) only.
 */

#pragma once

#include "haul-clipboard-offer.h"
#include "haul-drop-reader.h"
#include "haul-queue-feeder.h"
#include "haul-queue-view.h"
#include "haul-window.h"
#include "haul-write-error-bar.h"

G_BEGIN_DECLS

struct _HaulWindow
{
  AdwApplicationWindow  parent_instance;

  HaulQueue            *queue;          /* (owned) */
  GSettings            *settings;       /* (owned) (nullable) */
  GCancellable         *cancellable;    /* (owned) cancelled in dispose */
  HaulQueueView        *view;           /* (owned) what the list shows, in order */
  HaulDownload         *added;          /* (owned) (nullable) the last download added */
  guint                 reveal_id;
  guint                 reveal_tries;
  guint                 counts_id;
  char                 *last_toast;     /* (owned) (nullable) */
  HaulAddDialog        *add_dialog;     /* (unowned) (nullable) weak pointer */
  HaulQueueFeeder      *feeder;         /* (owned) links on their way into the queue */
  HaulDropReader       *drop_reader;    /* (owned) drops on the window, pastes */
  HaulClipboardOffer   *clipboard_offer; /* (owned) */
  HaulLinkList         *offered;        /* (owned) (nullable) the clipboard's, on offer */
  guint                 n_toasts;       /* shown or waiting */
  guint                 toast_tick;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  GtkListView          *list_view;
  GtkScrolledWindow    *list_scroller;
  GtkWidget            *filter_bar;
  GtkSearchEntry       *search_entry;
  GtkMenuButton        *category_button;
  GtkWidget            *drop_hint;
  HaulWriteErrorBar    *write_error_bar;
};

void haul_window_links_init       (HaulWindow     *self);
void haul_window_links_set_queue  (HaulWindow     *self,
                                   HaulQueue      *queue);
void haul_window_links_class_init (GtkWidgetClass *widget_class);

G_END_DECLS
