/* haul-error.c
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

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

gboolean
haul_error_is_invisible_char (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SURROGATE:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * haul_error_printable:
 * @text: what came from outside
 * @length: its length in bytes, or -1 if nul-terminated
 * @replacement: what an invisible character becomes
 *
 * Only C0 controls were replaced before: tests/fuzz/ found C1 controls
 * ("\u009b" can start a terminal escape) and bidi overrides in messages.
 *
 * Returns: (transfer full): the text, safe to show
 */
char *
haul_error_printable (const char *text,
                      gssize      length,
                      gunichar    replacement)
{
  g_autofree char *valid = NULL;
  GString *out;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  valid = g_utf8_make_valid (text != NULL ? text : "", length);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, haul_error_is_invisible_char (c) ? replacement : c);
    }
  return g_string_free (out, FALSE);
}
