/* haul-download-row.h: one download in the list
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "haul-download.h"
#include "haul-queue.h"

G_BEGIN_DECLS

#define HAUL_TYPE_DOWNLOAD_ROW (haul_download_row_get_type ())
G_DECLARE_FINAL_TYPE (HaulDownloadRow, haul_download_row, HAUL, DOWNLOAD_ROW, GtkWidget)

GtkWidget    *haul_download_row_new          (void);

/* The queue the row's actions (pause, cancel, retry, remove) go to. */
HaulQueue    *haul_download_row_get_queue    (HaulDownloadRow *self);
void          haul_download_row_set_queue    (HaulDownloadRow *self,
                                              HaulQueue       *queue);

/* Rows are recycled by the list: setting another download (or NULL)
 * disconnects from the previous one. */
HaulDownload *haul_download_row_get_download (HaulDownloadRow *self);
void          haul_download_row_set_download (HaulDownloadRow *self,
                                              HaulDownload    *download);

G_END_DECLS
