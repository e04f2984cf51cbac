/* haul-progress-bar.h: a progress bar that moves without a relayout
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HAUL_TYPE_PROGRESS_BAR (haul_progress_bar_get_type ())
G_DECLARE_FINAL_TYPE (HaulProgressBar, haul_progress_bar, HAUL, PROGRESS_BAR, GtkWidget)

GtkWidget *haul_progress_bar_new          (void);

/* 0.0 … 1.0; leaves the pulsing mode. Only queues a draw. */
double     haul_progress_bar_get_fraction (HaulProgressBar *self);
void       haul_progress_bar_set_fraction (HaulProgressBar *self,
                                           double           fraction);
/* Moves the block of the pulsing mode (the size is unknown) one step,
 * entering that mode. Only queues a draw. */
void       haul_progress_bar_pulse        (HaulProgressBar *self);
gboolean   haul_progress_bar_get_pulsing  (HaulProgressBar *self);

G_END_DECLS
