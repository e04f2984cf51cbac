/* haul-browser-queue.h: a browser request, queued as downloads
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "haul-browser-request.h"
#include "haul-queue.h"

G_BEGIN_DECLS

/* Adds each link of @request to @queue in one change of the list, saving
 * into @folder, with the request's file name, referrer, user agent and
 * cookies, marked as from the browser. Returns how many were added; when
 * one could not be, @error tells why (the first such reason). Main thread. */
guint haul_browser_request_queue (const HaulBrowserRequest  *request,
                                  HaulQueue                 *queue,
                                  const char                *folder,
                                  GError                   **error);

G_END_DECLS
