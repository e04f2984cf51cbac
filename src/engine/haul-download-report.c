/* haul-download-report.c: what a download has to tell: failure, notice, checksum
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The last failure (message, HaulError code, and the text to say it again
 * in another language), a notice, a file gone from disk, and the checksum
 * verdict. Shares the instance struct with haul-download.c (see
 * haul-download-struct.h). */

#include "config.h"

#include "haul-download-private.h"
#include "haul-download-struct.h"
#include "haul-error.h"

const char *
haul_download_get_error_message (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->error_message;
}

/* A message alone: it has no text to translate again. */
void
haul_download_set_error_message (HaulDownload *self,
                                 const char   *message)
{
  gboolean changed;

  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  changed = download_set_string (&self->error_message, message);
  if (self->error_text != NULL)
    {
      g_clear_pointer (&self->error_text, g_variant_unref);
      changed = TRUE;
    }
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_ERROR_MESSAGE]);
}

/**
 * haul_download_dup_error_text:
 * @self: a download
 *
 * The reason of the last failure in the language of now: a failure
 * recorded before the user switched languages is said in the new one.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL if none
 */
char *
haul_download_dup_error_text (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);

  if (self->error_message == NULL)
    return NULL;
  if (self->error_text != NULL)
    return haul_error_text_render (self->error_text);
  return g_strdup (self->error_message);
}

/* Message, code and text of @error at once (%NULL: no failure). */
void
haul_download_set_error (HaulDownload *self,
                         const GError *error)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  haul_download_set_error_message (self, error != NULL ? error->message : NULL);
  self->error_code = error != NULL && error->domain == HAUL_ERROR ? error->code : -1;
  haul_download_set_error_text (self, haul_error_get_text (error));
}

GVariant *
haul_download_get_error_text (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->error_text;
}

void
haul_download_set_error_text (HaulDownload *self,
                              GVariant     *text)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (text == self->error_text
      || (text != NULL && self->error_text != NULL && g_variant_equal (text, self->error_text)))
    return;
  g_clear_pointer (&self->error_text, g_variant_unref);
  if (text != NULL)
    self->error_text = g_variant_ref_sink (text);
  g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_ERROR_MESSAGE]);
}

const char *
haul_download_get_notice (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->notice;
}

void
haul_download_set_notice (HaulDownload *self,
                          const char   *notice)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (download_set_string (&self->notice, notice))
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_NOTICE]);
}

gboolean
haul_download_get_file_missing (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), FALSE);
  return self->file_missing;
}

void
haul_download_set_file_missing (HaulDownload *self,
                                gboolean      missing)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  missing = !!missing;
  if (self->file_missing == missing)
    return;
  self->file_missing = missing;
  g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_FILE_MISSING]);
}

int
haul_download_get_error_code (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), -1);
  return self->error_code;
}

void
haul_download_set_error_code (HaulDownload *self,
                              int           code)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  self->error_code = code;
}

const HaulChecksumSpec *
haul_download_get_checksum (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->checksum;
}

void
haul_download_set_checksum (HaulDownload           *self,
                            const HaulChecksumSpec *spec)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (self->checksum == spec
      || (self->checksum != NULL && spec != NULL
          && haul_checksum_spec_equal (self->checksum, spec)))
    return;
  g_clear_pointer (&self->checksum, haul_checksum_spec_free);
  self->checksum = spec != NULL ? haul_checksum_spec_copy (spec) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_CHECKSUM]);
}

HaulChecksumState
haul_download_get_checksum_state (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), HAUL_CHECKSUM_NONE);
  return self->checksum_state;
}

void
haul_download_set_checksum_state (HaulDownload      *self,
                                  HaulChecksumState  state)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (self->checksum_state == state)
    return;
  self->checksum_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_CHECKSUM_STATE]);
}

double
haul_download_get_checksum_progress (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), 0);
  return self->checksum_progress;
}

void
haul_download_set_checksum_progress (HaulDownload *self,
                                     double        progress)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  progress = CLAMP (progress, 0, 1);
  if (self->checksum_progress == progress)
    return;
  self->checksum_progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_CHECKSUM_PROGRESS]);
}
