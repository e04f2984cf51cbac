/* haul-download-resume.c: where a download stands on disk, and what its requests carry
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The resume state (haul-types.h) is where :final-uri, :file-name and
 * :content-type live, with the partial file and its validators, which are
 * never shown. The request extras are memory only: never saved. Shares the
 * instance struct with haul-download.c (see haul-download-struct.h). */

#include "config.h"

#include "haul-download-private.h"
#include "haul-download-struct.h"

const char *
haul_download_get_final_uri (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->resume->final_uri;
}

void
haul_download_set_final_uri (HaulDownload *self,
                             const char   *final_uri)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (download_set_string (&self->resume->final_uri, final_uri))
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_FINAL_URI]);
}

const char *
haul_download_get_file_name (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->resume->file_name;
}

void
haul_download_set_file_name (HaulDownload *self,
                             const char   *file_name)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (download_set_string (&self->resume->file_name, file_name))
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_FILE_NAME]);
}

/**
 * haul_download_dup_path:
 *
 * Returns: (transfer full) (nullable): folder + file name, or %NULL while
 *   no name was chosen yet. For a download on a remote engine: the path
 *   its engine mapped to this machine, or %NULL.
 */
char *
haul_download_dup_path (HaulDownload *self)
{
  const char *folder;

  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);

  if (self->engine_id != NULL)
    return g_strdup (self->remote_path);
  if (self->resume->file_name == NULL)
    return NULL;
  folder = haul_download_get_folder (self);
  /* What g_build_filename() makes of the two, at a third of its cost (a
   * history's start-up asks for every finished file's path). */
  if (*folder != '\0' && !g_str_has_suffix (folder, G_DIR_SEPARATOR_S)
      && self->resume->file_name[0] != G_DIR_SEPARATOR && self->resume->file_name[0] != '\0')
    return g_strconcat (folder, G_DIR_SEPARATOR_S, self->resume->file_name, NULL);
  return g_build_filename (folder, self->resume->file_name, NULL);
}

const char *
haul_download_get_content_type (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->resume->content_type;
}

void
haul_download_set_content_type (HaulDownload *self,
                                const char   *content_type)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (download_set_string (&self->resume->content_type, content_type))
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_CONTENT_TYPE]);
}

const char *
haul_download_get_partial_path (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->resume->partial_path;
}

void
haul_download_set_partial_path (HaulDownload *self,
                                const char   *partial_path)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  download_set_string (&self->resume->partial_path, partial_path);
}

const char *
haul_download_get_etag (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->resume->etag;
}

const char *
haul_download_get_last_modified (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->resume->last_modified;
}

void
haul_download_set_validators (HaulDownload *self,
                              const char   *etag,
                              const char   *last_modified)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  download_set_string (&self->resume->etag, etag);
  download_set_string (&self->resume->last_modified, last_modified);
}

gint64
haul_download_get_confirmed (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), 0);
  return self->resume->confirmed;
}

void
haul_download_set_confirmed (HaulDownload *self,
                             gint64        confirmed)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  g_return_if_fail (confirmed >= 0);
  self->resume->confirmed = confirmed;
}

const HaulResumeState *
haul_download_get_resume_state (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), NULL);
  return self->resume;
}

void
haul_download_set_resume_state (HaulDownload          *self,
                                const HaulResumeState *state)
{
  HaulResumeState *old;

  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  g_return_if_fail (state != NULL);

  if (state == self->resume)
    return;

  old = self->resume;
  self->resume = haul_resume_state_copy (state);
  /* A name or type learnt stays known even if this state lacks it. */
  if (self->resume->file_name == NULL)
    self->resume->file_name = g_strdup (old->file_name);
  if (self->resume->content_type == NULL)
    self->resume->content_type = g_strdup (old->content_type);
  if (self->resume->final_uri == NULL)
    self->resume->final_uri = g_strdup (old->final_uri);
  if (self->resume->folder == NULL)
    self->resume->folder = g_strdup (old->folder);

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (old->folder != NULL ? old->folder : self->folder,
                 haul_download_get_folder (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_FOLDER]);
  if (old->category != self->resume->category)
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_CATEGORY]);
  if (g_strcmp0 (old->final_uri, self->resume->final_uri) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_FINAL_URI]);
  if (g_strcmp0 (old->file_name, self->resume->file_name) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_FILE_NAME]);
  if (g_strcmp0 (old->content_type, self->resume->content_type) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_CONTENT_TYPE]);
  g_object_thaw_notify (G_OBJECT (self));
  haul_resume_state_free (old);
}

void
haul_download_reset_resume_state (HaulDownload *self)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  haul_resume_state_reset (self->resume);
}

void
haul_download_set_request_extras (HaulDownload *self,
                                  const char   *authorization,
                                  const char   *cookies,
                                  const char   *referrer,
                                  const char   *user_agent)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  download_set_string (&self->authorization, authorization);
  download_set_string (&self->cookies, cookies);
  download_set_string (&self->referrer, referrer);
  download_set_string (&self->user_agent, user_agent);
}

void
haul_download_get_request_extras (HaulDownload  *self,
                                  const char   **authorization,
                                  const char   **cookies,
                                  const char   **referrer,
                                  const char   **user_agent)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  *authorization = self->authorization;
  *cookies = self->cookies;
  *referrer = self->referrer;
  *user_agent = self->user_agent;
}

HaulCategory
haul_download_get_category (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), HAUL_CATEGORY_OTHER);
  return self->resume->category;
}

void
haul_download_set_category (HaulDownload *self,
                            HaulCategory  category)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));

  if (self->resume->category == category)
    return;
  self->resume->category = category;
  g_object_notify_by_pspec (G_OBJECT (self), haul_download_properties[PROP_CATEGORY]);
}

gboolean
haul_download_get_by_category (HaulDownload *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (self), FALSE);
  return self->by_category;
}

void
haul_download_set_by_category (HaulDownload *self,
                               gboolean      by_category)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD (self));
  self->by_category = !!by_category;
}
