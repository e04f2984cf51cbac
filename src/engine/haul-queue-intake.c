/* haul-queue-intake.c: how downloads come into the list
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Added by a person (one URL, or many in one change of the list) or
 * restored from the store at start-up: both linear (rule 2 of
 * haul-queue.c). A URL goes through the one URL policy (haul-url.c), and
 * its credentials leave it for memory only. Its kind of file is guessed
 * from the name it was given or its address; with categories on, that
 * picks its folder until the transfer decides (rule 11 of haul-transfer.c).
 *
 * The index of addresses (rule 6 of haul-queue.c): every member's :uri,
 * as recorded (normalised by the URL policy, without user name and
 * password), maps to the members with that address, newest first. It
 * follows insert and removal (haul_queue_insert_member(),
 * haul_queue_drop_member()) and every save, which is how a new address
 * of a download reaches the store, so it is never out of step with the
 * list. An address looked up is normalised the same way first.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-naming.h"
#include "haul-queue-internal.h"
#include "haul-url.h"

/* Categories ----------------------------------------------------------------- */

void
haul_queue_set_category_folders (HaulQueue                 *self,
                                 const HaulCategoryFolders *folders)
{
  g_return_if_fail (HAUL_IS_QUEUE (self));

  if (haul_category_folders_equal (self->categories, folders))
    return;
  g_clear_pointer (&self->categories, haul_category_folders_free);
  if (folders != NULL)
    self->categories = haul_category_folders_copy (folders);
}

const HaulCategoryFolders *
haul_queue_get_category_folders (HaulQueue *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), NULL);
  return self->categories;
}

static gboolean
same_folder (const char *a,
             const char *b)
{
  g_autofree char *canonical_a = g_canonicalize_filename (a, "/");
  g_autofree char *canonical_b = g_canonicalize_filename (b, "/");

  return strcmp (canonical_a, canonical_b) == 0;
}

/* Adding ------------------------------------------------------------------- */

/* The download for @uri, or NULL with the reason (rule 2 of haul-url.c:
 * the one URL policy). Credentials leave the URL for memory only. */
static HaulDownload *
make_download (const HaulCategoryFolders  *categories,
               const char                 *uri,
               const char                 *folder,
               const HaulAddOptions       *options,
               GError                    **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GUri) parsed = haul_url_parse (uri, &local);
  g_autoptr(GUri) bare = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *referrer = NULL;
  HaulDownload *download;
  HaulCategory category;
  gboolean by_category = FALSE;

  if (parsed == NULL)
    {
      g_autofree char *shown = haul_url_redact (uri);

      haul_set_error_because (error, HAUL_ERROR_INVALID_URL, local,
                              "“%s” cannot be downloaded: %s", shown, local->message);
      return NULL;
    }

  authorization = haul_url_dup_authorization (parsed);
  bare = haul_url_strip_userinfo (parsed);
  text = g_uri_to_string (bare);

  /* The name it will have, as far as is known before any answer. */
  if (options != NULL && options->file_name != NULL && *options->file_name != '\0')
    name = haul_naming_sanitize (options->file_name);
  {
    g_autofree char *guess = name == NULL ? haul_naming_from_response (NULL, bare) : NULL;

    category = haul_category_for_file (name != NULL ? name : guess, NULL);
  }
  if (categories != NULL
      && same_folder (folder, haul_category_folders_get (categories, HAUL_CATEGORY_OTHER)))
    {
      by_category = TRUE;
      folder = haul_category_folders_get (categories, category);
    }

  download = haul_download_new (text, folder);
  haul_download_set_category (download, category);
  haul_download_set_by_category (download, by_category);
  if (name != NULL)
    haul_download_set_file_name (download, name);

  if (options != NULL)
    {
      haul_download_set_speed_limit (download, options->speed_limit);
      haul_download_set_from_browser (download, options->from_browser);
      if (options->checksum != NULL)
        {
          haul_download_set_checksum (download, options->checksum);
          haul_download_set_checksum_state (download, HAUL_CHECKSUM_PENDING);
        }
    }
  /* The page's address goes to the store: without a password it may
   * carry (it is only ever sent without one anyway). */
  if (options != NULL && options->referrer != NULL)
    referrer = haul_url_redact (options->referrer);
  haul_download_set_request_extras (download, authorization,
                                    options != NULL ? options->cookies : NULL,
                                    referrer,
                                    options != NULL ? options->user_agent : NULL);
  return download;
}

/* The same, in the folder it is given, whatever the categories (a link
 * refreshed or a partial adopted: their folder is known). */
HaulDownload *
haul_queue_make_download (const char            *uri,
                          const char            *folder,
                          const HaulAddOptions  *options,
                          GError               **error)
{
  return make_download (NULL, uri, folder, options, error);
}

/* The index of addresses -------------------------------------------------- */

/* The index holds keys it owns; a member's entry in uri_keys points at its
 * key there, alive as long as some member has that address. */
static void
set_list (HaulQueue  *self,
          char       *key,
          GSList     *list)
{
  /* Stolen and put back: inserting over an existing key would free the
   * key passed in, which is the one the members point at. */
  g_hash_table_steal (self->by_uri, key);
  if (list != NULL)
    g_hash_table_insert (self->by_uri, key, list);
  else
    g_free (key);
}

void
haul_queue_unindex_uri (HaulQueue    *self,
                        HaulDownload *download)
{
  char *key = g_hash_table_lookup (self->uri_keys, download);
  GSList *list;

  if (key == NULL)
    return;
  g_hash_table_remove (self->uri_keys, download);
  list = g_hash_table_lookup (self->by_uri, key);
  set_list (self, key, g_slist_remove (list, download));
}

void
haul_queue_index_uri (HaulQueue    *self,
                      HaulDownload *download)
{
  const char *uri = haul_download_get_uri (download);
  const char *indexed = g_hash_table_lookup (self->uri_keys, download);
  gpointer key = NULL;
  gpointer list = NULL;

  if (g_strcmp0 (indexed, uri) == 0)
    return;
  haul_queue_unindex_uri (self, download);
  if (uri == NULL || *uri == '\0')
    return;

  if (g_hash_table_lookup_extended (self->by_uri, uri, &key, &list))
    {
      set_list (self, key, g_slist_prepend (list, download));
    }
  else
    {
      /* The usual case, and once per row of a long history at start-up:
       * one hash of the address, not three. */
      key = g_strdup (uri);
      g_hash_table_insert (self->by_uri, key, g_slist_prepend (NULL, download));
    }
  g_hash_table_insert (self->uri_keys, download, key);
}

/* @uri as the list records addresses, or NULL if it is not one Haul takes. */
static char *
dup_key (const char *uri)
{
  g_autoptr(GUri) parsed = haul_url_parse (uri, NULL);
  g_autoptr(GUri) bare = NULL;

  if (parsed == NULL)
    return NULL;
  bare = haul_url_strip_userinfo (parsed);
  return g_uri_to_string (bare);
}

static GSList *
lookup_uri (HaulQueue  *self,
            const char *uri)
{
  g_autofree char *key = NULL;
  GSList *list = g_hash_table_lookup (self->by_uri, uri);

  /* Most lookups are of an address as the list has it. */
  if (list != NULL)
    return list;
  key = dup_key (uri);
  return key != NULL ? g_hash_table_lookup (self->by_uri, key) : NULL;
}

/**
 * haul_queue_find_uri:
 * @uri: an address, in any form Haul takes (it is normalised first)
 *
 * Returns: (transfer none) (nullable): the newest download in the list
 *   with this address
 */
HaulDownload *
haul_queue_find_uri (HaulQueue  *self,
                     const char *uri)
{
  GSList *list;

  g_return_val_if_fail (HAUL_IS_QUEUE (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  list = lookup_uri (self, uri);
  return list != NULL ? list->data : NULL;
}

/**
 * haul_queue_find_duplicate:
 * @uri: an address, in any form Haul takes
 *
 * What makes adding @uri again a duplicate: the newest download in the
 * list with this address, unless it is a completed one whose file is
 * known to be gone (then a new download is what the person wants).
 *
 * Returns: (transfer none) (nullable): that download
 */
HaulDownload *
haul_queue_find_duplicate (HaulQueue  *self,
                           const char *uri)
{
  g_return_val_if_fail (HAUL_IS_QUEUE (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  for (GSList *l = lookup_uri (self, uri); l != NULL; l = l->next)
    {
      HaulDownload *download = l->data;

      if (haul_download_get_state (download) != HAUL_DOWNLOAD_COMPLETED
          || !haul_download_get_file_missing (download))
        return download;
    }
  return NULL;
}

/* Adding ------------------------------------------------------------------- */

static void
append_new (HaulQueue    *self,
            HaulDownload *download)
{
  haul_queue_insert_member (self, download, self->items->len);
  haul_queue_save (self, download);
}

HaulDownload *
haul_queue_add_full (HaulQueue             *self,
                     const char            *uri,
                     const char            *folder,
                     const HaulAddOptions  *options,
                     GError               **error)
{
  g_autoptr(HaulDownload) download = NULL;
  Counts before;

  g_return_val_if_fail (HAUL_IS_QUEUE (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (folder != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  download = make_download (self->categories, uri, folder, options, error);
  if (download == NULL)
    return NULL;

  before = haul_queue_counts_now (self);
  append_new (self, download);
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  haul_queue_notify_counts (self, before);
  haul_queue_schedule_soon (self);
  return download;
}

HaulDownload *
haul_queue_add (HaulQueue   *self,
                const char  *uri,
                const char  *folder,
                GError     **error)
{
  return haul_queue_add_full (self, uri, folder, NULL, error);
}

GPtrArray *
haul_queue_add_many (HaulQueue             *self,
                     const char * const    *uris,
                     const char            *folder,
                     const HaulAddOptions  *options,
                     GError               **error)
{
  return haul_queue_add_many_full (self, uris, folder, options, NULL, error);
}

/**
 * haul_queue_add_many_full:
 * @duplicates: (out) (optional) (transfer full) (element-type utf8): if
 *   not %NULL, the URLs of @uris that the list holds already
 *   (haul_queue_find_duplicate()) are left out and listed here, as given,
 *   for the caller to ask about; a URL twice in @uris is added once
 *
 * haul_queue_add_many(), reporting duplicates instead of adding them.
 */
GPtrArray *
haul_queue_add_many_full (HaulQueue             *self,
                          const char * const    *uris,
                          const char            *folder,
                          const HaulAddOptions  *options,
                          GPtrArray            **duplicates,
                          GError               **error)
{
  GPtrArray *added = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) fresh = NULL;
  guint old_n;
  Counts before;

  g_return_val_if_fail (HAUL_IS_QUEUE (self), added);
  g_return_val_if_fail (uris != NULL, added);
  g_return_val_if_fail (folder != NULL, added);

  if (duplicates != NULL)
    fresh = g_hash_table_new (NULL, NULL);
  if (duplicates != NULL)
    *duplicates = g_ptr_array_new_with_free_func (g_free);
  old_n = self->items->len;
  before = haul_queue_counts_now (self);
  for (guint i = 0; uris[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;
      HaulDownload *download = NULL;
      HaulDownload *existing;

      existing = duplicates != NULL ? haul_queue_find_duplicate (self, uris[i]) : NULL;
      /* Twice in what was given: once is what was meant. */
      if (existing != NULL && g_hash_table_contains (fresh, existing))
        continue;
      if (existing != NULL)
        {
          g_ptr_array_add (*duplicates, g_strdup (uris[i]));
          continue;
        }
      download = make_download (self->categories, uris[i], folder, options, &local);
      if (download == NULL)
        {
          if (error != NULL && *error == NULL)
            g_propagate_error (error, g_steal_pointer (&local));
          continue;
        }
      append_new (self, download);
      g_ptr_array_add (added, download);
      if (fresh != NULL)
        g_hash_table_add (fresh, download);
    }

  /* Rule 2: one change for all of them. */
  if (self->items->len > old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, self->items->len - old_n);
  haul_queue_notify_counts (self, before);
  haul_queue_schedule_soon (self);
  return added;
}

/* From an engine ---------------------------------------------------------------- */

void
haul_queue_append_from_engine (HaulQueue *self,
                               GPtrArray *downloads)
{
  guint old_n;
  Counts before;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (downloads != NULL);

  old_n = self->items->len;
  before = haul_queue_counts_now (self);
  for (guint i = 0; i < downloads->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (downloads, i);

      g_return_if_fail (HAUL_IS_DOWNLOAD (download));
      if (!haul_queue_contains (self, download))
        append_new (self, download);
    }
  /* Rule 2: one change for all of them. */
  if (self->items->len > old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, self->items->len - old_n);
  haul_queue_notify_counts (self, before);
}

/* Restoring ------------------------------------------------------------------- */

typedef struct
{
  gint64    id;
  char     *path;      /* the finished file, or the partial of a failed one */
  gint64    needed;    /* a partial's recorded bytes, -1 for a finished file */
  gboolean  missing;
} FileCheck;

static void
file_check_free (gpointer data)
{
  FileCheck *check = data;

  g_free (check->path);
  g_free (check);
}

static void
check_files_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GPtrArray *checks = task_data;

  for (guint i = 0; i < checks->len; i++)
    {
      FileCheck *check = g_ptr_array_index (checks, i);
      GStatBuf st;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      check->missing = g_stat (check->path, &st) != 0
                       || (check->needed >= 0 && st.st_size < check->needed);
    }
  g_task_return_boolean (task, TRUE);
}

static void
check_files_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  HaulQueue *self = HAUL_QUEUE (object);
  GPtrArray *checks = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;

  for (guint i = 0; i < checks->len; i++)
    {
      FileCheck *check = g_ptr_array_index (checks, i);
      HaulDownload *download = check->missing ? haul_queue_lookup (self, check->id) : NULL;

      if (download == NULL)
        continue;
      if (check->needed < 0 && haul_download_get_state (download) == HAUL_DOWNLOAD_COMPLETED)
        haul_download_set_file_missing (download, TRUE);
      else if (check->needed >= 0 && haul_download_get_state (download) == HAUL_DOWNLOAD_FAILED
               && haul_download_get_error_code (download) < 0)
        /* An old record that does not say why it failed: its partial is
         * gone or shorter, so a retry starts from zero. */
        haul_download_set_error_code (download, HAUL_ERROR_PARTIAL_MISSING);
    }
}

/* The downloads in the outer task's data, the checks (plain data, the
 * thread's) in the inner one's, in the same order. */
static void
recheck_files_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GPtrArray *downloads = g_task_get_task_data (task);
  GPtrArray *checks = g_task_get_task_data (G_TASK (result));
  guint j = 0;

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  for (guint i = 0; i < downloads->len && j < checks->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (downloads, i);
      FileCheck *check = g_ptr_array_index (checks, j);

      if (check->id != (gint64) i)
        continue;
      j++;
      if (haul_download_get_state (download) == HAUL_DOWNLOAD_COMPLETED)
        haul_download_set_file_missing (download, check->missing);
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_boolean (task, TRUE);
}

/**
 * haul_queue_check_files_async:
 * @downloads: (element-type HaulDownload): downloads of the list
 *
 * Whether the files of the completed ones among @downloads are still on
 * disk, looked at in a thread; #HaulDownload:file-missing follows (both
 * ways: a file put back is found again). For a question that offers to
 * open a file, asked just before.
 */
void
haul_queue_check_files_async (HaulQueue           *self,
                              GPtrArray           *downloads,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) thread_task = NULL;
  GPtrArray *checks;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (downloads != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, haul_queue_check_files_async);
  g_task_set_task_data (task, g_ptr_array_ref (downloads), (GDestroyNotify) g_ptr_array_unref);

  checks = g_ptr_array_new_with_free_func (file_check_free);
  for (guint i = 0; i < downloads->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (downloads, i);
      char *path = haul_download_get_state (download) == HAUL_DOWNLOAD_COMPLETED
                   ? haul_download_dup_path (download) : NULL;
      FileCheck *check;

      if (path == NULL)
        continue;
      check = g_new0 (FileCheck, 1);
      check->id = i;  /* here: the index in @downloads */
      check->path = path;
      check->needed = -1;
      g_ptr_array_add (checks, check);
    }

  thread_task = g_task_new (NULL, cancellable, recheck_files_cb, g_steal_pointer (&task));
  g_task_set_source_tag (thread_task, haul_queue_check_files_async);
  g_task_set_task_data (thread_task, checks, (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (thread_task, check_files_thread);
}

gboolean
haul_queue_check_files_finish (HaulQueue     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static FileCheck *
file_check_for (HaulDownload *download)
{
  HaulDownloadState state = haul_download_get_state (download);
  FileCheck *check = NULL;

  if (state == HAUL_DOWNLOAD_COMPLETED)
    {
      char *path = haul_download_dup_path (download);

      if (path == NULL)
        return NULL;
      check = g_new0 (FileCheck, 1);
      check->path = path;
      check->needed = -1;
    }
  else if (state == HAUL_DOWNLOAD_FAILED && haul_download_get_partial_path (download) != NULL)
    {
      check = g_new0 (FileCheck, 1);
      check->path = g_strdup (haul_download_get_partial_path (download));
      check->needed = haul_download_get_confirmed (download);
    }
  if (check != NULL)
    check->id = haul_download_get_id (download);
  return check;
}

/**
 * haul_queue_restore:
 *
 * Loads the store's downloads into the list: finished and paused ones as
 * they were, those that were queued or running queued again (they resume
 * from the recorded bytes). Whether finished files are still on disk is
 * checked in a thread; #HaulDownload:file-missing follows. A cancelled
 * download whose bytes were kept for an undo that never came loses them
 * now (the user chose to cancel).
 */
gboolean
haul_queue_restore (HaulQueue  *self,
                    GError    **error)
{
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GTask) task = NULL;
  guint old_n;
  Counts before;

  g_return_val_if_fail (HAUL_IS_QUEUE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->store == NULL)
    return TRUE;

  loaded = haul_store_load (self->store, error);
  if (loaded == NULL)
    return FALSE;

  old_n = self->items->len;
  before = haul_queue_counts_now (self);
  checks = g_ptr_array_new_with_free_func (file_check_free);

  for (guint i = 0; i < loaded->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (loaded, i);
      gint64 id = haul_download_get_id (download);
      FileCheck *check;
      double position;

      if (id > 0 && haul_queue_lookup (self, id) != NULL)
        continue;

      switch (haul_download_get_state (download))
        {
        case HAUL_DOWNLOAD_CONNECTING:
        case HAUL_DOWNLOAD_DOWNLOADING:
          haul_download_set_state (download, HAUL_DOWNLOAD_QUEUED);
          break;
        case HAUL_DOWNLOAD_QUEUED:
        case HAUL_DOWNLOAD_PAUSED:
        case HAUL_DOWNLOAD_COMPLETED:
        case HAUL_DOWNLOAD_FAILED:
        case HAUL_DOWNLOAD_CANCELLED:
        default:
          break;
        }

      /* The bytes on disk are what counts for an unfinished download. */
      if (!haul_download_is_finished (download)
          && haul_download_get_received (download) != haul_download_get_confirmed (download))
        haul_download_set_progress (download, haul_download_get_confirmed (download),
                                    haul_download_get_total (download), 0, -1);

      position = haul_download_get_position (download);
      haul_queue_insert_member (self, download, self->items->len);
      /* An order the store did not have yet (rule 2 of haul-queue-steer.c). */
      if (position != haul_download_get_position (download))
        haul_queue_save (self, download);
      if (haul_download_get_state (download) == HAUL_DOWNLOAD_CANCELLED
          && haul_download_get_partial_path (download) != NULL)
        haul_queue_clear_partial (self, download, FALSE);
      check = file_check_for (download);
      if (check != NULL)
        g_ptr_array_add (checks, check);
    }

  if (self->items->len != old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, self->items->len - old_n);
  haul_queue_notify_counts (self, before);

  if (checks->len > 0)
    {
      task = g_task_new (self, NULL, check_files_cb, NULL);
      g_task_set_source_tag (task, haul_queue_restore);
      g_task_set_task_data (task, g_steal_pointer (&checks), (GDestroyNotify) g_ptr_array_unref);
      g_task_run_in_thread (task, check_files_thread);
    }

  haul_queue_schedule_soon (self);
  return TRUE;
}
