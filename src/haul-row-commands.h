/* haul-row-commands.h: what a row does that can be undone
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "haul-queue.h"

G_BEGIN_DECLS

/* Each tells what it did in a toast on the AdwToastOverlay above @from
 * (none: it is done without one), with Undo where it can be undone. They
 * return that toast or dialog (transfer none) for tests; the work goes on
 * if @from is gone meanwhile (a row is recycled when the list changes). */

/* Takes @download out of the list; a running one stops with its bytes
 * kept. Undo brings it back as it was; when the toast is gone the bytes
 * of an unfinished one go (haul_queue_discard()). */
AdwToast  *haul_remove_with_undo    (GtkWidget    *from,
                                     HaulQueue    *queue,
                                     HaulDownload *download);

/* Asks "Delete File?"; Delete moves the completed @download's file to the
 * trash (the row stays and says the file is missing) with Undo putting it
 * back. Where no trash can be had a second question offers to delete it
 * for good, which says it cannot be undone. */
/* Cancel with Undo in a toast; the bytes stay until the toast is gone.
 * More than 10 MB on disk, and it asks first (Keep Downloading is the
 * default). */
void       haul_cancel_with_undo    (GtkWidget    *from,
                                     HaulQueue    *queue,
                                     HaulDownload *download);

GtkWidget *haul_delete_file_ask     (GtkWidget    *from,
                                     HaulQueue    *queue,
                                     HaulDownload *download);

G_END_DECLS
