/* haul-details-dialog.h: everything Haul knows about one download
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "haul-download.h"

G_BEGIN_DECLS

#define HAUL_TYPE_DETAILS_DIALOG (haul_details_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HaulDetailsDialog, haul_details_dialog, HAUL, DETAILS_DIALOG, AdwWindow)

/* A modal window over @parent (nullable) showing @download's address, final
 * address, file, size, type, dates and problems in full, kept up to date. */
GtkWidget    *haul_details_dialog_new               (GtkWindow         *parent,
                                                     HaulDownload      *download);
HaulDownload *haul_details_dialog_get_download      (HaulDetailsDialog *self);
/* A problem the download does not keep itself, such as why its file
 * could not be opened; shown whole under "Problem". NULL hides it. */
void          haul_details_dialog_set_extra_problem (HaulDetailsDialog *self,
                                                     const char        *message);
/* The text a field shows, for tests: "address", "final-address", "name",
 * "status", "location" (the file), "folder" (before the file has a name),
 * "size", "type", "checksum", "added", "finished", "problem", "notice";
 * NULL when the field is hidden. */
const char   *haul_details_dialog_get_field         (HaulDetailsDialog *self,
                                                     const char        *field);

G_END_DECLS
