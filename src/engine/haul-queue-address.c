/* haul-queue-address.c: bytes on disk given a new address
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two ways a download's bytes meet an address they did not come from:
 *  1. A paused or failed download whose link expired gets a new one
 *     (haul_queue_change_address_async()). The new address is taken for
 *     the bytes on disk only if the server proves it is the same file
 *     (haul-identity.c: length, validators, the 64 KiB before the resume
 *     point); the download then goes on by itself. Otherwise nothing
 *     changes and the caller asks the person: start again at the new
 *     address (haul_queue_restart_with_address()), or keep both
 *     (haul_queue_add_like()).
 *  2. A browser's partial download (Firefox's NAME.part, Chromium's
 *     NAME.crdownload) with its address becomes a Haul download that goes
 *     on from its bytes (haul_queue_adopt_async()), after the same proof;
 *     its file takes Haul's partial name (haul_partial_file_adopt()).
 * The network and the disk are asked in a GTask thread; everything the
 * model sees changes on the main thread, after checking that the
 * download is still as it was when the question was asked.
 */

#include "config.h"

#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-naming.h"
#include "haul-partial-file.h"
#include "haul-queue-internal.h"
#include "haul-url.h"

static SoupSession *
probe_session (HaulQueue *self)
{
  if (self->probe_session == NULL)
    self->probe_session = haul_request_session_new (self->stall_timeout);
  return self->probe_session;
}

/* What requests to @uri carry of @download's: credentials and cookies
 * only for the same origin (rule 3 of haul-request.c), unless @uri brings
 * its own. */
static HaulRequestHeaders *
headers_for (HaulDownload *download,
             GUri         *uri)
{
  g_autoptr(GUri) old = haul_url_parse (haul_download_get_uri (download), NULL);
  HaulRequestHeaders *headers = g_new0 (HaulRequestHeaders, 1);
  gboolean same_origin = old != NULL && haul_url_same_origin (old, uri);
  const char *authorization;
  const char *cookies;
  const char *referrer;
  const char *user_agent;

  haul_download_get_request_extras (download, &authorization, &cookies, &referrer, &user_agent);
  headers->authorization = haul_url_dup_authorization (uri);
  if (headers->authorization == NULL && same_origin)
    headers->authorization = g_strdup (authorization);
  if (same_origin)
    headers->cookies = g_strdup (cookies);
  headers->referrer = g_strdup (referrer);
  headers->user_agent = g_strdup (user_agent);
  return headers;
}

static gboolean
may_change_address (HaulDownload  *download,
                    GError       **error)
{
  HaulDownloadState state = haul_download_get_state (download);

  if (state == HAUL_DOWNLOAD_PAUSED || state == HAUL_DOWNLOAD_FAILED)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                       _("Only a paused or failed download can get a new address"));
  return FALSE;
}

/* The last run of bytes on disk: where a resume would go on from. */
static void
resume_point (const HaulResumeState *resume,
              gint64                *from,
              gint64                *end)
{
  *from = 0;
  *end = resume->confirmed;
  if (resume->pieces == NULL)
    return;

  *end = 0;
  for (guint i = 0; i < resume->pieces->len; i++)
    {
      const HaulPiece *piece = &g_array_index (resume->pieces, HaulPiece, i);

      if (piece->done > *end - *from)
        {
          *from = piece->start;
          *end = piece->start + piece->done;
        }
    }
}

/* Rule 1: changing the address -------------------------------------------------- */

typedef struct
{
  HaulDownload       *download;   /* (owned) */
  char               *uri;        /* (owned) without credentials */
  HaulRequestHeaders *headers;    /* (owned) */
  char               *request_uri; /* (owned) with them, for the request */
  HaulResumeState    *resume;     /* (owned) what was on disk when asked */
  SoupSession        *session;    /* (owned) */
  HaulIdentityAnswer  answer;
} Change;

static void
change_free (gpointer data)
{
  Change *change = data;

  g_clear_object (&change->download);
  g_free (change->uri);
  g_free (change->request_uri);
  haul_request_headers_free (change->headers);
  haul_resume_state_free (change->resume);
  g_clear_object (&change->session);
  haul_identity_answer_clear (&change->answer);
  g_free (change);
}

static void
change_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Change *change = task_data;
  HaulIdentityQuery query = { 0 };
  GError *error = NULL;

  query.path = change->resume->partial_path;
  resume_point (change->resume, &query.from, &query.end);
  query.total = change->resume->total;
  query.etag = change->resume->etag;
  query.last_modified = change->resume->last_modified;

  if (!haul_identity_check (change->session, change->request_uri, change->headers, &query,
                            cancellable, &change->answer, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, change->answer.check);
}

/* The same file: the new address, its validators, and on it goes. */
static void
accept_address (HaulQueue *self,
                Change    *change)
{
  HaulDownload *download = change->download;
  g_autoptr(HaulResumeState) resume = NULL;

  resume = haul_resume_state_copy (haul_download_get_resume_state (download));
  haul_download_set_uri (download, change->uri);
  haul_download_set_request_extras (download, change->headers->authorization,
                                    change->headers->cookies, change->headers->referrer,
                                    change->headers->user_agent);
  if (change->answer.final_uri != NULL)
    {
      g_free (resume->final_uri);
      resume->final_uri = g_strdup (change->answer.final_uri);
    }
  if (change->answer.etag != NULL)
    {
      g_free (resume->etag);
      resume->etag = g_strdup (change->answer.etag);
    }
  if (change->answer.last_modified != NULL)
    {
      g_free (resume->last_modified);
      resume->last_modified = g_strdup (change->answer.last_modified);
    }
  if (change->answer.total >= 0)
    resume->total = change->answer.total;
  haul_download_set_resume_state (download, resume);

  haul_download_set_error_message (download, NULL);
  haul_download_set_error_code (download, -1);
  haul_queue_set_state (self, download, HAUL_DOWNLOAD_QUEUED);
  haul_queue_save (self, download);
  haul_queue_schedule_soon (self);
}

/**
 * haul_queue_change_address_async:
 * @download: a paused or failed download of the queue
 * @uri: its new address (an expired link refreshed)
 *
 * Asks the server at @uri whether its file is the one whose bytes
 * @download has on disk (same length; same strong ETag or Last-Modified
 * where both give one; the same 64 KiB before the resume point). If so
 * the address is taken and the download goes on from its bytes, queued.
 * Otherwise nothing changes; see haul_queue_restart_with_address() and
 * haul_queue_add_like(). A download with nothing on disk takes the new
 * address at once. The network is asked in a thread.
 */
void
haul_queue_change_address_async (HaulQueue           *self,
                                 HaulDownload        *download,
                                 const char          *uri,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GUri) bare = NULL;
  g_autoptr(GError) error = NULL;
  const HaulResumeState *resume;
  gint64 from;
  gint64 end;
  Change *change;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (haul_queue_contains (self, download));
  g_return_if_fail (uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, haul_queue_change_address_async);

  parsed = haul_url_parse (uri, &error);
  if (parsed == NULL)
    {
      g_autofree char *shown = haul_url_redact (uri);

      g_task_return_new_error (task, HAUL_ERROR, HAUL_ERROR_INVALID_URL,
                               _("“%s” cannot be downloaded: %s"), shown, error->message);
      return;
    }
  if (!may_change_address (download, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  bare = haul_url_strip_userinfo (parsed);
  change = g_new0 (Change, 1);
  change->download = g_object_ref (download);
  change->uri = g_uri_to_string (bare);
  change->request_uri = g_strdup (uri);
  change->headers = headers_for (download, parsed);
  change->resume = haul_resume_state_copy (haul_download_get_resume_state (download));
  change->session = g_object_ref (probe_session (self));
  g_task_set_task_data (task, change, change_free);

  resume = change->resume;
  resume_point (resume, &from, &end);
  if (resume->partial_path == NULL || end <= from)
    {
      /* Nothing on disk to prove anything about. */
      change->answer.check = HAUL_ADDRESS_SAME_FILE;
      change->answer.total = -1;
      g_task_return_int (task, HAUL_ADDRESS_SAME_FILE);
      return;
    }
  g_task_run_in_thread (task, change_thread);
}

/**
 * haul_queue_change_address_finish:
 * @check: (out): what the server showed
 *
 * Returns: %FALSE with @error when the server could not be asked (the new
 * address fails too, say with 403), or the download changed meanwhile
 * (started, removed: %G_IO_ERROR_BUSY). %TRUE otherwise: on
 * %HAUL_ADDRESS_SAME_FILE the download has its new address and is queued.
 */
gboolean
haul_queue_change_address_finish (HaulQueue         *self,
                                  GAsyncResult      *result,
                                  HaulAddressCheck  *check,
                                  GError           **error)
{
  Change *change;
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (check != NULL, FALSE);

  value = g_task_propagate_int (G_TASK (result), error);
  if (value < 0)
    return FALSE;
  *check = value;
  if (*check != HAUL_ADDRESS_SAME_FILE)
    return TRUE;

  /* Still the download that was asked about, with the bytes compared? */
  change = g_task_get_task_data (G_TASK (result));
  if (!haul_queue_contains (self, change->download)
      || !may_change_address (change->download, NULL)
      || g_strcmp0 (haul_download_get_partial_path (change->download),
                    change->resume->partial_path) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           _("The download changed while its new address was checked"));
      return FALSE;
    }
  accept_address (self, change);
  return TRUE;
}

/**
 * haul_queue_restart_with_address:
 *
 * "Start again": @download (paused or failed) forgets its bytes
 * (the partial file is deleted) and downloads @uri from the beginning.
 */
gboolean
haul_queue_restart_with_address (HaulQueue     *self,
                                 HaulDownload  *download,
                                 const char    *uri,
                                 GError       **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GUri) bare = NULL;
  g_autoptr(HaulRequestHeaders) headers = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (HAUL_IS_QUEUE (self), FALSE);
  g_return_val_if_fail (haul_queue_contains (self, download), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  parsed = haul_url_parse (uri, &local);
  if (parsed == NULL)
    {
      g_autofree char *shown = haul_url_redact (uri);

      g_set_error (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL,
                   _("“%s” cannot be downloaded: %s"), shown, local->message);
      return FALSE;
    }
  if (!may_change_address (download, error))
    return FALSE;

  bare = haul_url_strip_userinfo (parsed);
  text = g_uri_to_string (bare);
  headers = headers_for (download, parsed);
  haul_queue_clear_partial (self, download, FALSE);
  haul_download_set_uri (download, text);
  haul_download_set_request_extras (download, headers->authorization, headers->cookies,
                                    headers->referrer, headers->user_agent);
  haul_download_set_notice (download, NULL);
  haul_download_set_error_message (download, NULL);
  haul_download_set_error_code (download, -1);
  haul_download_set_progress (download, 0, -1, 0, -1);
  haul_queue_set_state (self, download, HAUL_DOWNLOAD_QUEUED);
  haul_queue_save (self, download);
  haul_queue_schedule_soon (self);
  return TRUE;
}

static void
append (HaulQueue    *self,
        HaulDownload *download)
{
  Counts before = haul_queue_counts_now (self);

  haul_queue_insert_member (self, download, self->items->len);
  haul_queue_save (self, download);
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  haul_queue_notify_counts (self, before);
  haul_queue_schedule_soon (self);
}

/**
 * haul_queue_add_like:
 * @like: the download whose new address turned out to be another file
 *
 * "Keep both": a new download of @uri into @like's folder, with what its
 * requests carried (referrer, user agent; cookies and credentials only for
 * the same site); @like stays as it is. Returns: (transfer none)
 */
HaulDownload *
haul_queue_add_like (HaulQueue     *self,
                     HaulDownload  *like,
                     const char    *uri,
                     GError       **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(HaulRequestHeaders) headers = NULL;
  g_autoptr(HaulDownload) download = NULL;
  HaulAddOptions options = { NULL };

  g_return_val_if_fail (HAUL_IS_QUEUE (self), NULL);
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (like), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  parsed = haul_url_parse (uri, NULL);
  if (parsed != NULL)
    headers = headers_for (like, parsed);
  options.referrer = headers != NULL ? headers->referrer : NULL;
  options.user_agent = headers != NULL ? headers->user_agent : NULL;
  options.cookies = headers != NULL ? headers->cookies : NULL;
  options.speed_limit = haul_download_get_speed_limit (like);
  options.from_browser = haul_download_get_from_browser (like);

  download = haul_queue_make_download (uri, haul_download_get_folder (like), &options, error);
  if (download == NULL)
    return NULL;
  /* The URL's own credentials were taken by make_download; else those of
   * the same site. */
  if (headers != NULL && headers->authorization != NULL)
    haul_download_set_request_extras (download, headers->authorization, headers->cookies,
                                      headers->referrer, headers->user_agent);
  append (self, download);
  return download;
}

/* Rule 2: a browser's partial ---------------------------------------------------- */

typedef struct
{
  char               *path;        /* (owned) the browser's file */
  char               *uri;         /* (owned) as given, credentials and all */
  char               *folder;      /* (owned) the file's folder */
  char               *file_name;   /* (owned) (nullable) the name asked for */
  char               *referrer;    /* (owned) (nullable) */
  char               *user_agent;  /* (owned) (nullable) */
  char               *cookies;     /* (owned) (nullable) */
  guint64             speed_limit;
  gboolean            from_browser;
  HaulChecksumSpec   *checksum;    /* (owned) (nullable) */
  HaulRequestHeaders *headers;     /* (owned) */
  SoupSession        *session;     /* (owned) */
  HaulIdentityAnswer  answer;
  HaulResumeState    *resume;      /* (owned) (nullable) the worker's, when taken over */
} Adopt;

static void
adopt_free (gpointer data)
{
  Adopt *adopt = data;

  g_free (adopt->path);
  g_free (adopt->uri);
  g_free (adopt->folder);
  g_free (adopt->file_name);
  g_free (adopt->referrer);
  g_free (adopt->user_agent);
  g_free (adopt->cookies);
  g_clear_pointer (&adopt->checksum, haul_checksum_spec_free);
  haul_request_headers_free (adopt->headers);
  g_clear_object (&adopt->session);
  haul_identity_answer_clear (&adopt->answer);
  g_clear_pointer (&adopt->resume, haul_resume_state_free);
  g_free (adopt);
}

/* Firefox and Chromium add these to the name of what they download. */
static gboolean
is_browser_partial (const char *path)
{
  g_autofree char *name = g_path_get_basename (path);

  return haul_naming_browser_partial (name, NULL);
}

/* The checked file under Haul's partial name, recorded as a resume. */
static gboolean
take_over (Adopt   *adopt,
           gint64   size,
           GError **error)
{
  g_autofree char *name = NULL;
  g_autofree char *final_name = NULL;
  g_autofree char *partial_path = NULL;
  g_autoptr(HaulPartialFile) file = NULL;
  HaulResumeState *resume;

  if (adopt->file_name != NULL && *adopt->file_name != '\0')
    name = haul_naming_sanitize (adopt->file_name);
  else
    name = g_strdup (adopt->answer.file_name);
  if (!haul_partial_file_adopt (adopt->path, name, &final_name, &partial_path, error))
    return FALSE;
  file = haul_partial_file_open (partial_path, final_name, error);
  if (file == NULL)
    return FALSE;

  resume = haul_resume_state_new ();
  resume->final_uri = g_strdup (adopt->answer.final_uri);
  resume->file_name = g_steal_pointer (&final_name);
  resume->partial_path = g_steal_pointer (&partial_path);
  resume->etag = g_strdup (adopt->answer.etag);
  resume->last_modified = g_strdup (adopt->answer.last_modified);
  resume->content_type = g_strdup (adopt->answer.content_type);
  resume->total = adopt->answer.total;
  resume->confirmed = size;
  haul_partial_file_get_identity (file, &resume->partial_id);
  adopt->resume = resume;
  return TRUE;
}

static void
adopt_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Adopt *adopt = task_data;
  g_autofree char *display = g_filename_display_name (adopt->path);
  HaulIdentityQuery query = { 0 };
  GError *error = NULL;
  GStatBuf st;

  if (g_lstat (adopt->path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_task_return_new_error (task, HAUL_ERROR, HAUL_ERROR_FILE,
                               _("The partly downloaded file %s is not a regular file"),
                               display);
      return;
    }
  if (st.st_size == 0)
    {
      g_task_return_new_error (task, HAUL_ERROR, HAUL_ERROR_FILE,
                               _("The partly downloaded file %s is empty"), display);
      return;
    }

  query.path = adopt->path;
  query.end = st.st_size;
  query.total = -1;
  if (!haul_identity_check (adopt->session, adopt->uri, adopt->headers, &query, cancellable,
                            &adopt->answer, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Past this point the file has Haul's name: the download is added
   * whatever happens to @cancellable (the task does not check it). */
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (adopt->answer.check == HAUL_ADDRESS_SAME_FILE && !take_over (adopt, st.st_size, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, adopt->answer.check);
}

/**
 * haul_queue_adopt_async:
 * @partial_path: a browser's partial download (absolute: Firefox's
 *   NAME.part, Chromium's NAME.crdownload)
 * @uri: the address it came from
 * @options: (nullable): as for haul_queue_add_full(); the folder is the
 *   file's own
 *
 * Checks the file against the server (it must serve the same bytes: the
 * last 64 KiB of the file, and a length at least the file's), then adds a
 * download that goes on from those bytes. The file takes Haul's partial
 * name beside it ("NAME.part" of a free NAME; kept in place when it
 * already is one), never replacing anything.
 */
void
haul_queue_adopt_async (HaulQueue            *self,
                        const char           *partial_path,
                        const char           *uri,
                        const HaulAddOptions *options,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GError) error = NULL;
  Adopt *adopt;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (partial_path != NULL);
  g_return_if_fail (uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, haul_queue_adopt_async);
  /* A file renamed and then no download for it would be lost to the
   * person: once taken over, it is added (adopt_thread()). */
  g_task_set_check_cancellable (task, FALSE);

  parsed = haul_url_parse (uri, &error);
  if (parsed == NULL)
    {
      g_autofree char *shown = haul_url_redact (uri);

      g_task_return_new_error (task, HAUL_ERROR, HAUL_ERROR_INVALID_URL,
                               _("“%s” cannot be downloaded: %s"), shown, error->message);
      return;
    }
  if (!g_path_is_absolute (partial_path) || !is_browser_partial (partial_path))
    {
      g_autofree char *display = g_filename_display_name (partial_path);

      g_task_return_new_error (task, HAUL_ERROR, HAUL_ERROR_FILE,
                               _("%s is not a partly downloaded file of a browser "
                                 "(.part or .crdownload)"), display);
      return;
    }

  /* Haul's own partial of a download in the list: two writers for one file. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self)); i++)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (G_LIST_MODEL (self), i);

      if (haul_download_get_state (download) != HAUL_DOWNLOAD_COMPLETED
          && g_strcmp0 (haul_download_get_partial_path (download), partial_path) == 0)
        {
          g_autofree char *display = g_filename_display_name (partial_path);

          g_task_return_new_error (task, HAUL_ERROR, HAUL_ERROR_FILE,
                                   _("%s is the file of a download in Haul's list already"),
                                   display);
          return;
        }
    }

  adopt = g_new0 (Adopt, 1);
  adopt->path = g_strdup (partial_path);
  adopt->uri = g_strdup (uri);
  adopt->folder = g_path_get_dirname (partial_path);
  if (options != NULL)
    {
      adopt->file_name = g_strdup (options->file_name);
      adopt->referrer = g_strdup (options->referrer);
      adopt->user_agent = g_strdup (options->user_agent);
      adopt->cookies = g_strdup (options->cookies);
      adopt->speed_limit = options->speed_limit;
      adopt->from_browser = options->from_browser;
      if (options->checksum != NULL)
        adopt->checksum = haul_checksum_spec_copy (options->checksum);
    }
  adopt->headers = g_new0 (HaulRequestHeaders, 1);
  adopt->headers->authorization = haul_url_dup_authorization (parsed);
  adopt->headers->cookies = g_strdup (adopt->cookies);
  adopt->headers->referrer = g_strdup (adopt->referrer);
  adopt->headers->user_agent = g_strdup (adopt->user_agent);
  adopt->session = g_object_ref (probe_session (self));
  g_task_set_task_data (task, adopt, adopt_free);
  g_task_run_in_thread (task, adopt_thread);
}

/**
 * haul_queue_adopt_finish:
 * @check: (out): what the server showed
 *
 * Returns: (transfer none) (nullable): the new download, queued to go on
 * from the file's bytes, when @check is %HAUL_ADDRESS_SAME_FILE; NULL
 * otherwise (the file is left as it was), or on an error.
 */
HaulDownload *
haul_queue_adopt_finish (HaulQueue         *self,
                         GAsyncResult      *result,
                         HaulAddressCheck  *check,
                         GError           **error)
{
  g_autoptr(HaulDownload) download = NULL;
  HaulAddOptions options = { NULL };
  Adopt *adopt;
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (check != NULL, NULL);

  value = g_task_propagate_int (G_TASK (result), error);
  if (value < 0)
    return NULL;
  *check = value;
  if (*check != HAUL_ADDRESS_SAME_FILE)
    return NULL;

  adopt = g_task_get_task_data (G_TASK (result));
  options.referrer = adopt->referrer;
  options.user_agent = adopt->user_agent;
  options.cookies = adopt->cookies;
  options.speed_limit = adopt->speed_limit;
  options.from_browser = adopt->from_browser;
  options.checksum = adopt->checksum;
  download = haul_queue_make_download (adopt->uri, adopt->folder, &options, error);
  if (download == NULL)
    return NULL;
  haul_download_set_resume_state (download, adopt->resume);
  haul_download_set_progress (download, adopt->resume->confirmed, adopt->resume->total, 0, -1);
  append (self, download);
  return download;
}
