/* haul-list-slot.h: one position of the download list, and what it shows
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-download.h"

G_BEGIN_DECLS

#define HAUL_TYPE_LIST_SLOT (haul_list_slot_get_type ())
G_DECLARE_FINAL_TYPE (HaulListSlot, haul_list_slot, HAUL, LIST_SLOT, GObject)

/* The items of HaulSlotModel: a position of the list and the download it
 * shows, which may change underneath (see haul-slot-model.c for why).
 * Main thread.
 *
 * Properties: download (HaulDownload, nullable, read-only; notified when
 *   the slot shows another one). */
HaulListSlot *haul_list_slot_new          (guint         position);
guint         haul_list_slot_get_position (HaulListSlot *self);
/* For HaulSlotModel only: the slot moved with its download. */
void          haul_list_slot_set_position (HaulListSlot *self,
                                           guint         position);
HaulDownload *haul_list_slot_get_download (HaulListSlot *self);
void          haul_list_slot_set_download (HaulListSlot *self,
                                           HaulDownload *download);

G_END_DECLS
