/* haul-row-factory.h: the download list's items become rows
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "haul-queue.h"

G_BEGIN_DECLS

/* A list item factory for HaulListSlot items (see haul-slot-model.c): each
 * item's child is a HaulDownloadRow acting on @queue, showing what its
 * slot shows and following it when the slot is given another download;
 * a completed row drags out as its file (haul-row-drag.h). */
GtkListItemFactory *haul_row_factory_new (HaulQueue *queue);

G_END_DECLS
