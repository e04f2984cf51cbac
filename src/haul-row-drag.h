/* haul-row-drag.h: a finished download's row dragged out as its file
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A drag source for a HaulDownloadRow: while the row shows a completed
 * download whose file is there, dragging the row offers that file as a
 * GdkFileList (GDK also offers it as text/uri-list), to a file manager, a
 * mail or a chat; other rows do not drag. The drag icon is the file's
 * type icon. Add it to the row with gtk_widget_add_controller(). */
GtkDragSource *haul_row_drag_source_new (void);

G_END_DECLS
