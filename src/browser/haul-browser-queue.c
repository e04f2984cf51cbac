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
  guint n_added = 0;

  g_return_val_if_fail (request != NULL, 0);
  g_return_val_if_fail (HAUL_IS_QUEUE (queue), 0);
  g_return_val_if_fail (folder != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  for (guint i = 0; request->urls[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (haul_queue_add (queue, request->urls[i], folder, &local_error) != NULL)
        n_added++;
      else if (error != NULL && *error == NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
    }

  return n_added;
}
