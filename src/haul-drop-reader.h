/* haul-drop-reader.h: what a drop or the clipboard holds → a list of links
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "haul-link-parser.h"

G_BEGIN_DECLS

#define HAUL_TYPE_DROP_READER (haul_drop_reader_get_type ())
G_DECLARE_FINAL_TYPE (HaulDropReader, haul_drop_reader, HAUL, DROP_READER, GObject)

/* Reads links out of drops on a widget and out of the clipboard, beside the
 * widget that shows them. Main thread only. Reading and parsing never block
 * the main loop: bytes are read asynchronously, parsed in a worker (which
 * also reads the local files a uri-list names).
 *
 * Signals (main thread):
 *   ::dropped (HaulLinkList *links, double x, double y): something was
 *     dropped on the widget at (@x, @y), in its coordinates, and read;
 *     @links may be empty, with the reasons in links->rejected.
 *
 * Properties: hovering (gboolean, read-only): a drag that could be dropped
 *   is over the widget. */
HaulDropReader *haul_drop_reader_new                  (GtkWidget       *widget);

/* The MIME type the reader would read from @formats, the richest first
 * ("text/uri-list", "text/x-moz-url", "_NETSCAPE_URL", "text/html",
 * "text/plain…"), or NULL. */
const char     *haul_drop_reader_choose_mime_type     (GdkContentFormats *formats);

/* Reads the clipboard's links (an empty list when it holds no text). */
void            haul_drop_reader_read_clipboard_async (HaulDropReader      *self,
                                                       GdkClipboard        *clipboard,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* Parses @bytes of @mime_type as if they had been dropped (NULL: text). */
void            haul_drop_reader_read_bytes_async     (HaulDropReader      *self,
                                                       const char          *mime_type,
                                                       GBytes              *bytes,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* Either read: the links, or NULL only with G_IO_ERROR_CANCELLED. A failed
 * read is a list whose rejected piece says why. */
HaulLinkList   *haul_drop_reader_read_finish          (HaulDropReader      *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

gboolean        haul_drop_reader_get_hovering         (HaulDropReader      *self);

G_END_DECLS
