/* haul-window.h: the main window — the list, drops and pastes
 *
 * Beside it: HaulDropReader reads drops and the clipboard, HaulQueueView
 * holds what the list shows (filtered, searched, sorted, through
 * HaulSlotModel, re-sorted on the queue's download-state-changed), HaulQueueFeeder
 * queues many links a slice per turn, and
 * HaulClipboardOffer offers new clipboard addresses.
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "haul-add-dialog.h"
#include "haul-link-parser.h"
#include "haul-queue.h"

G_BEGIN_DECLS

#define HAUL_TYPE_WINDOW (haul_window_get_type ())
G_DECLARE_FINAL_TYPE (HaulWindow, haul_window, HAUL, WINDOW, AdwApplicationWindow)

/* @settings: the io.github.haul.Haul settings (download-folder, window size). */
HaulWindow    *haul_window_new                   (GtkApplication *application,
                                                  HaulQueue      *queue,
                                                  GSettings      *settings);
HaulQueue     *haul_window_get_queue             (HaulWindow     *self);

void           haul_window_add_toast             (HaulWindow     *self,
                                                  const char     *title);
/* Every toast of the window goes through here, so that the list keeps
 * its rows clear of the toasts (and tests see the last title). */
void           haul_window_show_toast            (HaulWindow     *self,
                                                  AdwToast       *toast);
/* The title of the last toast shown (for tests), or NULL. */
const char    *haul_window_get_last_toast        (HaulWindow     *self);

/* Opens the add dialog (or presents the open one); @links pre-fills it
 * (nullable; without, a new dialog offers the clipboard's addresses).
 * Returns the dialog, owned by the window system. */
HaulAddDialog *haul_window_show_add_dialog       (HaulWindow     *self,
                                                  HaulLinkList   *links);
/* The add dialog that is open, or NULL. */
HaulAddDialog *haul_window_get_add_dialog        (HaulWindow     *self);

/* What a drop or a paste does with its bytes: @mime_type as offered
 * ("text/uri-list", "text/x-moz-url", "_NETSCAPE_URL", "text/html",
 * "text/plain…"). Local files in a uri-list are read (asynchronously) as
 * lists of links. One link is queued at once, several open the add
 * dialog, none shows a toast. @pasted: the words of the toast. */
void           haul_window_handle_data           (HaulWindow     *self,
                                                  const char     *mime_type,
                                                  GBytes         *bytes,
                                                  gboolean        pasted);
/* Queues @urls into @folder a few at a time between frames (a pasted list
 * of thousands must not freeze the window), then says how many in a
 * toast. */
void           haul_window_queue_urls            (HaulWindow         *self,
                                                  const char * const *urls,
                                                  const char         *folder);
/* Links handed to haul_window_queue_urls() and not queued yet. */
guint          haul_window_get_n_pending         (HaulWindow     *self);

/* The links of a drop or paste, after parsing: see above. */
void           haul_window_handle_links          (HaulWindow     *self,
                                                  HaulLinkList   *links,
                                                  gboolean        pasted);

/* A browser's partial download at @path (NAME.part, NAME.crdownload) and
 * the address it came from, as a drop of both would bring them: the
 * server is asked, and the window says what came of it. FALSE, with a
 * HAUL_ERROR in words, when @path is not such a file or @uri is no web
 * address; nothing is asked then. */
gboolean       haul_window_adopt                 (HaulWindow     *self,
                                                  const char     *path,
                                                  const char     *uri,
                                                  GError        **error);

G_END_DECLS
