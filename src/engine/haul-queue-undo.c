/* haul-queue-undo.c: cancel and remove that keep the bytes, undo, discard
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rule 3 of haul-queue.c: nothing a user can lose goes without an explicit
 * choice. Cancel and Remove stop a download and keep its bytes, pending;
 * haul_queue_undo() brings it back as it was, haul_queue_discard() (when
 * the undo offer is gone, or at quit) deletes its partial file, by
 * identity, in a thread. A run still ending when either comes is finished
 * first. Remove Finished removes completed downloads only (rule 4).
 */

#include "config.h"

#include "haul-download-private.h"
#include "haul-engine.h"
#include "haul-partial-file.h"
#include "haul-queue-internal.h"

typedef struct
{
  char             *path;
  HaulFileIdentity  identity;
} Deletion;

static void
deletion_free (gpointer data)
{
  Deletion *deletion = data;

  g_free (deletion->path);
  g_free (deletion);
}

static void
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Deletion *deletion = task_data;

  /* By identity: never the next attempt's file of the same name. */
  haul_partial_file_unlink_if_same (deletion->path, &deletion->identity);
  g_task_return_boolean (task, TRUE);
}

static void
delete_partial (HaulDownload *download,
                gboolean      wait)
{
  const HaulResumeState *resume = haul_download_get_resume_state (download);
  g_autoptr(GTask) task = NULL;
  Deletion *deletion;

  if (resume->partial_path == NULL)
    return;

  deletion = g_new0 (Deletion, 1);
  deletion->path = g_strdup (resume->partial_path);
  deletion->identity = resume->partial_id;

  if (wait)
    {
      haul_partial_file_unlink_if_same (deletion->path, &deletion->identity);
      deletion_free (deletion);
      return;
    }
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, delete_partial);
  g_task_set_task_data (task, deletion, deletion_free);
  g_task_run_in_thread (task, delete_thread);
}

/* Forgets where it was on disk (the partial is deleted first). */
void
haul_queue_clear_partial (HaulQueue    *self,
                          HaulDownload *download,
                          gboolean      wait)
{
  delete_partial (download, wait);
  haul_download_reset_resume_state (download);
  haul_download_set_progress (download, 0, haul_download_get_total (download), 0, -1);
  haul_queue_save (self, download);
}

void
haul_queue_finish_discard (HaulQueue    *self,
                           HaulDownload *download,
                           Pending      *pending,
                           gboolean      wait)
{
  if (haul_download_get_state (download) != HAUL_DOWNLOAD_COMPLETED || !pending->removed)
    haul_queue_clear_partial (self, download, wait);
  /* A remote engine's daemon keeps its own record of it: that goes too. */
  haul_engine_discard (self->engine, download);
  g_hash_table_remove (self->pending, download);
}

static gboolean do_undo (HaulQueue    *self,
                         HaulDownload *download,
                         Pending      *pending);

void
haul_queue_run_ended (HaulQueue    *self,
                      HaulDownload *download)
{
  Pending *pending;

  g_return_if_fail (HAUL_IS_QUEUE (self));

  pending = g_hash_table_lookup (self->pending, download);
  if (pending == NULL)
    return;
  pending->running = FALSE;
  if (pending->discard)
    haul_queue_finish_discard (self, download, pending, FALSE);
  else if (pending->undo)
    do_undo (self, download, pending);
}

void
haul_queue_discard (HaulQueue    *self,
                    HaulDownload *download)
{
  Pending *pending;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (HAUL_IS_DOWNLOAD (download));

  pending = g_hash_table_lookup (self->pending, download);
  if (pending == NULL)
    return;
  if (pending->running)
    {
      pending->discard = TRUE;
      pending->undo = FALSE;
      return;
    }
  haul_queue_finish_discard (self, download, pending, FALSE);
}

static Pending *
add_pending (HaulQueue    *self,
             HaulDownload *download,
             gboolean      removed,
             guint         position)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->before = haul_download_get_state (download);
  pending->removed = removed;
  pending->position = position;
  g_hash_table_replace (self->pending, g_object_ref (download), pending);
  return pending;
}

/* What it comes back as after an undo. */
static HaulDownloadState
state_after_undo (HaulDownloadState before)
{
  switch (before)
    {
    case HAUL_DOWNLOAD_QUEUED:
    case HAUL_DOWNLOAD_CONNECTING:
    case HAUL_DOWNLOAD_DOWNLOADING:
      return HAUL_DOWNLOAD_QUEUED;
    case HAUL_DOWNLOAD_PAUSED:
    case HAUL_DOWNLOAD_COMPLETED:
    case HAUL_DOWNLOAD_FAILED:
    case HAUL_DOWNLOAD_CANCELLED:
    default:
      return before;
    }
}

static gboolean
do_undo (HaulQueue    *self,
         HaulDownload *download,
         Pending      *pending)
{
  g_autoptr(HaulDownload) hold = g_object_ref (download);
  HaulDownloadState state = state_after_undo (pending->before);
  gboolean removed = pending->removed;
  guint position = MIN (pending->position, self->items->len);

  g_hash_table_remove (self->pending, download);

  if (removed)
    {
      Counts before = haul_queue_counts_now (self);

      /* Back in the list and the store, in the state it had. */
      haul_download_set_state (download, state);
      if (self->store != NULL)
        haul_store_undelete (self->store, haul_download_get_id (download));
      haul_queue_insert_member (self, download, position);
      haul_queue_save (self, download);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
      haul_queue_notify_counts (self, before);
    }
  else
    haul_queue_set_state (self, download, state);

  haul_queue_schedule_soon (self);
  return TRUE;
}

gboolean
haul_queue_undo (HaulQueue    *self,
                 HaulDownload *download)
{
  Pending *pending;

  g_return_val_if_fail (HAUL_IS_QUEUE (self), FALSE);
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (download), FALSE);

  pending = g_hash_table_lookup (self->pending, download);
  if (pending == NULL || pending->discard)
    return FALSE;
  if (pending->running)
    {
      pending->undo = TRUE;
      return TRUE;
    }
  return do_undo (self, download, pending);
}


void
haul_queue_cancel (HaulQueue    *self,
                   HaulDownload *download)
{
  HaulDownloadState state;
  Pending *pending;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (haul_queue_contains (self, download));

  state = haul_download_get_state (download);
  if (state == HAUL_DOWNLOAD_COMPLETED || state == HAUL_DOWNLOAD_CANCELLED)
    return;

  pending = add_pending (self, download, FALSE, 0);
  pending->running = haul_engine_stop (self->engine, download, HAUL_STOP_CANCEL);
  if (!pending->running)
    haul_queue_set_state (self, download, HAUL_DOWNLOAD_CANCELLED);
}

void
haul_queue_remove (HaulQueue    *self,
                   HaulDownload *download)
{
  g_autoptr(HaulDownload) hold = NULL;
  Counts before;
  Pending *pending;
  guint position;

  g_return_if_fail (HAUL_IS_QUEUE (self));
  g_return_if_fail (HAUL_IS_DOWNLOAD (download));
  g_return_if_fail (haul_queue_contains (self, download));

  hold = g_object_ref (download);
  before = haul_queue_counts_now (self);
  position = haul_queue_index_of (self, download);

  pending = add_pending (self, download, TRUE, position);
  pending->running = haul_engine_stop (self->engine, download, HAUL_STOP_REMOVE);
  haul_queue_drop_member (self, download, position);
  if (self->store != NULL && haul_download_get_id (download) > 0)
    haul_store_delete (self->store, haul_download_get_id (download));

  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  haul_queue_notify_counts (self, before);
  haul_queue_schedule_soon (self);
}

GPtrArray *
haul_queue_remove_finished (HaulQueue *self)
{
  GPtrArray *removed = g_ptr_array_new_with_free_func (g_object_unref);
  Counts before;

  g_return_val_if_fail (HAUL_IS_QUEUE (self), removed);

  before = haul_queue_counts_now (self);
  /* From the end, so that each items-changed is a single removal with the
   * positions of the ones before it unchanged (rule 4: completed only). */
  for (guint i = self->items->len; i > 0; i--)
    {
      HaulDownload *download = g_ptr_array_index (self->items, i - 1);

      if (haul_download_get_state (download) != HAUL_DOWNLOAD_COMPLETED)
        continue;
      g_ptr_array_add (removed, g_object_ref (download));
      add_pending (self, download, TRUE, i - 1);
      haul_queue_drop_member (self, download, i - 1);
      if (self->store != NULL && haul_download_get_id (download) > 0)
        haul_store_delete (self->store, haul_download_get_id (download));
      g_list_model_items_changed (G_LIST_MODEL (self), i - 1, 1, 0);
    }
  haul_queue_notify_counts (self, before);
  return removed;
}

void
haul_queue_discard_all_on_engine (HaulQueue *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    haul_engine_discard (self->engine, key);
}

/* Pending discards are final at quit: the user chose them. */
void
haul_queue_discard_all (HaulQueue *self,
                        gboolean   wait)
{
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      HaulDownload *download = key;
      Pending *pending = value;

      if (haul_download_get_state (download) != HAUL_DOWNLOAD_COMPLETED || !pending->removed)
        {
          delete_partial (download, wait);
          haul_download_reset_resume_state (download);
          haul_queue_save (self, download);
        }
      g_hash_table_iter_remove (&iter);
    }
}
