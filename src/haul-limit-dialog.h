/* haul-limit-dialog.h: "Speed Limit…", one download's own limit
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "haul-queue.h"

G_BEGIN_DECLS

/* Asks for @download's limit in KiB/s (0: none of its own) and sets it
 * with haul_queue_set_download_speed_limit(), while it runs too. Shown
 * over @from's window; returns the dialog (transfer none) for tests. */
GtkWidget *haul_limit_dialog_show (GtkWidget    *from,
                                   HaulQueue    *queue,
                                   HaulDownload *download);

G_END_DECLS
