/* haul-adopt-dialog.h: continue a browser's partial download
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "haul-address-prompt.h"
#include "haul-queue.h"

G_BEGIN_DECLS

#define HAUL_TYPE_ADOPT_DIALOG (haul_adopt_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HaulAdoptDialog, haul_adopt_dialog, HAUL, ADOPT_DIALOG, HaulAddressPrompt)

/* A browser's partial download at @path (Firefox's NAME.part, Chromium's
 * NAME.crdownload), dropped on @parent, to be continued by the queue
 * (haul_queue_adopt_async()). Without @uri the dialog asks for the
 * address (filled in from the clipboard when it holds one web address);
 * with it the server is asked at once, and the dialog shows only when
 * the server shows another file or cannot be asked. Another file offers
 * Keep Both and Start Again. Nothing happens to the file unless the
 * server proves it is the same one, or the person chooses Start Again
 * (which moves it to the Trash). What was done is told in a toast. Its
 * field and error: haul_address_prompt_get_entry(), _get_error().
 * (transfer none) */
HaulAdoptDialog *haul_adopt_dialog_run     (GtkWindow  *parent,
                                            HaulQueue  *queue,
                                            const char *path,
                                            const char *uri);
/* The dialog's heading for @path: "Continue “NAME”". */
char            *haul_adopt_dialog_heading (const char *path);

G_END_DECLS
