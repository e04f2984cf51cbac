/* haul-clipboard-offer.h: new addresses on the clipboard when the window comes back
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "haul-drop-reader.h"
#include "haul-queue.h"

G_BEGIN_DECLS

#define HAUL_TYPE_CLIPBOARD_OFFER (haul_clipboard_offer_get_type ())
G_DECLARE_FINAL_TYPE (HaulClipboardOffer, haul_clipboard_offer, HAUL, CLIPBOARD_OFFER, GObject)

/* Each time @window becomes the active window (a person comes back to it,
 * typically from a browser where they copied a link), reads the clipboard
 * once: no polling. http(s) addresses on it that are neither in @queue
 * nor offered before are offered, once each. What Haul itself put on the
 * clipboard is not offered. Main thread.
 *
 * Signals (main thread):
 *   ::offer (HaulLinkList *links): new addresses (links->urls not empty);
 *     whoever listens shows the offer. */
HaulClipboardOffer *haul_clipboard_offer_new (GtkWindow      *window,
                                              HaulDropReader *reader,
                                              HaulQueue      *queue);

G_END_DECLS
