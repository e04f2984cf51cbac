/* haul-add-dialog.h: links to download, typed, pasted or dropped
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "haul-link-parser.h"

G_BEGIN_DECLS

#define HAUL_TYPE_ADD_DIALOG (haul_add_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HaulAddDialog, haul_add_dialog, HAUL, ADD_DIALOG, AdwWindow)

/* Signals (main thread):
 *   ::download (GStrv urls, const char *folder): the user pressed Download
 *     with these links; the dialog closes itself afterwards. Whoever opened
 *     it queues them, with haul_add_dialog_get_checksum() if there is one. */
HaulAddDialog *haul_add_dialog_new         (GtkWindow     *parent,
                                            const char    *folder);
/* Pre-fills the field with @links' URLs, one per line, and lists the
 * pieces the parser rejected. */
void           haul_add_dialog_set_links   (HaulAddDialog *self,
                                            HaulLinkList  *links);
/* Offers @links' URLs (from the clipboard) in the field, selected so that
 * typing replaces them; only while the field is empty. */
void           haul_add_dialog_suggest_links (HaulAddDialog *self,
                                              HaulLinkList  *links);
const char    *haul_add_dialog_get_folder  (HaulAddDialog *self);
void           haul_add_dialog_set_folder  (HaulAddDialog *self,
                                            const char    *folder);
/* The links the field holds right now (parsed, duplicates removed). */
HaulLinkList  *haul_add_dialog_parse       (HaulAddDialog *self);
/* The checksum field's value when it is valid, for the one link being
 * added; NULL when empty or not valid. Read it in ::download.
 * (transfer none) (nullable) */
const struct _HaulChecksumSpec *haul_add_dialog_get_checksum (HaulAddDialog *self);

G_END_DECLS
