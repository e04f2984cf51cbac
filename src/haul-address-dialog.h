/* haul-address-dialog.h: "Change Address…", a new link for an expired one
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "haul-address-prompt.h"
#include "haul-link-parser.h"
#include "haul-queue.h"

G_BEGIN_DECLS

#define HAUL_TYPE_ADDRESS_DIALOG (haul_address_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HaulAddressDialog, haul_address_dialog, HAUL, ADDRESS_DIALOG,
                      HaulAddressPrompt)

/* Asks for a new address for the paused or failed @download and has the
 * queue check it (haul_queue_change_address_async()). The dialog stays
 * open while the server is asked and says in words what went wrong; when
 * the server shows another file it offers Start Again and Keep Both. What
 * was done is told in a toast on the overlay above @from. Its field and
 * error: haul_address_prompt_get_entry(), _get_error(). (transfer none) */
HaulAddressDialog *haul_address_dialog_show  (GtkWidget    *from,
                                              HaulQueue    *queue,
                                              HaulDownload *download);
/* One new address dropped or pasted onto @target, a widget in the row of
 * a paused or failed download (or the list item holding it): that
 * download's Change Address, with the address filled in. FALSE when
 * @links is not one address, @target is in no such row, or the address is
 * the download's own or in the list already: the caller adds the links as
 * usual. (transfer none) */
gboolean           haul_address_dialog_offer (GtkWidget    *target,
                                              HaulQueue    *queue,
                                              HaulLinkList *links);

G_END_DECLS
