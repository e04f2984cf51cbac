/* haul-browser-queue.c: a browser request, queued as downloads
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app's half of the hand-off, kept apart from haul-browser-request.c
 * so that the native host, which links that file, never pulls in the
 * queue.
 */

#include "config.h"

#include "haul-browser-queue.h"

guint
haul_browser_request_queue (const HaulBrowserRequest  *request,
                            HaulQueue                 *queue,
                            const char                *folder,
                            GError                   **error)
{
  HaulAddOptions options = {
    .file_name = request->file_name,
    .referrer = request->referrer,
    .user_agent = request->user_agent,
    .cookies = request->cookies,
    .from_browser = TRUE,
  };
  g_autoptr(GPtrArray) added = NULL;

  g_return_val_if_fail (request != NULL, 0);
  g_return_val_if_fail (HAUL_IS_QUEUE (queue), 0);
  g_return_val_if_fail (folder != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  /* One change of the list for the whole request; the engine sends the
   * cookies to the first link's origin only, which is every link's: the
   * extension makes one request per site. */
  added = haul_queue_add_many (queue, (const char * const *) request->urls, folder, &options,
                               error);
  return added != NULL ? added->len : 0;
}
