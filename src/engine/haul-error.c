/* haul-error.c
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-error.h"

G_DEFINE_QUARK (haul-error-quark, haul_error)

/**
 * haul_error_is_resumable:
 * @error: (nullable): an error from a transfer
 *
 * Returns: %TRUE if retrying can continue from the bytes already on disk.
 */
gboolean
haul_error_is_resumable (const GError *error)
{
  if (error == NULL || error->domain != HAUL_ERROR)
    return FALSE;

  switch ((HaulError) error->code)
    {
    case HAUL_ERROR_TRUNCATED:
    case HAUL_ERROR_NETWORK:
    case HAUL_ERROR_STALLED:
    case HAUL_ERROR_DISK_FULL:
    case HAUL_ERROR_SERVER_BUSY:
    case HAUL_ERROR_STORE:
      return TRUE;

    case HAUL_ERROR_INVALID_URL:
    case HAUL_ERROR_HTTP:
    case HAUL_ERROR_PROTOCOL:
    case HAUL_ERROR_REDIRECT:
    case HAUL_ERROR_TLS:
    case HAUL_ERROR_FILE:
    case HAUL_ERROR_PARTIAL_MISSING:
    case HAUL_ERROR_PARTIAL_MISMATCH:
    case HAUL_ERROR_ALREADY_RUNNING:
    case HAUL_ERROR_FOLDER_GONE:
    /* Downloading the same bytes again gives the same checksum: only
     * starting over (Download Again) can help. */
    case HAUL_ERROR_CHECKSUM_MISMATCH:
    case HAUL_ERROR_CHECKSUM_INVALID:
    case HAUL_ERROR_UNAUTHORIZED:
    case HAUL_ERROR_DAEMON:
    default:
      return FALSE;
    }
}
