/* haul-slot-model.h: a filtered list shown through positions that stay put
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "haul-list-slot.h"

G_BEGIN_DECLS

#define HAUL_TYPE_SLOT_MODEL (haul_slot_model_get_type ())
G_DECLARE_FINAL_TYPE (HaulSlotModel, haul_slot_model, HAUL, SLOT_MODEL, GObject)

/* A GListModel of HaulListSlot: slot N shows item N of @source (a filter
 * model of HaulDownload). Changes of @source are published together, once
 * per main-loop turn when its filtering is done (every 250 ms while it is
 * still at work): the slots that exist get their new downloads, and only
 * the end of the list grows or shrinks. Main thread.
 *
 * Properties: model (GtkFilterListModel, read-only): @source;
 *   pending (gboolean, read-only): changes not published yet. */
HaulSlotModel *haul_slot_model_new         (GtkFilterListModel *source);
gboolean       haul_slot_model_get_pending (HaulSlotModel      *self);
/* The position the view shows first: slots near it are rebound first. */
void           haul_slot_model_set_focus   (HaulSlotModel      *self,
                                            guint               position);

G_END_DECLS
