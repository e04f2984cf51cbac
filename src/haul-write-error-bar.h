/* haul-write-error-bar.h: a bar over the list while history is not being saved
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "haul-store.h"

G_BEGIN_DECLS

#define HAUL_TYPE_WRITE_ERROR_BAR (haul_write_error_bar_get_type ())
G_DECLARE_FINAL_TYPE (HaulWriteErrorBar, haul_write_error_bar, HAUL, WRITE_ERROR_BAR, GtkWidget)

/* Shows #HaulStore:write-error of @store (nullable: none) while it is set,
 * and slides away when writes succeed again. Main thread. */
void        haul_write_error_bar_set_store   (HaulWriteErrorBar *self,
                                              HaulStore         *store);
/* What it says, or NULL while hidden (tests). */
const char *haul_write_error_bar_get_message (HaulWriteErrorBar *self);

G_END_DECLS
