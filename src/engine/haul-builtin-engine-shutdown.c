/* haul-builtin-engine-shutdown.c: the built-in engine stopping at quit
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every run stops, recorded as queued with its confirmed bytes (its
 * cancellable cancelled, the intent "shutdown" in its cell), the retry
 * timers go, and the worker pool is joined: at once (shutdown) or in a
 * thread so the window keeps drawing (shutdown_async). Then the finished
 * runs are applied on the main thread, as the flush does.
 */

#include "config.h"

#include "haul-builtin-engine-private.h"

/* Stops every run (recorded as queued) and forgets retry timers. */
static void
begin_shutdown (HaulBuiltinEngine *self)
{
  GHashTableIter iter;
  gpointer value;

  self->shutting_down = TRUE;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_clear_handle_id (&((Entry *) value)->retry_source, g_source_remove);

  for (guint i = 0; i < self->runs->len; i++)
    {
      Run *run = g_ptr_array_index (self->runs, i);

      if (!run->stopping)
        {
          run->stopping = TRUE;
          run->stop = HAUL_STOP_HOLD;
        }
      haul_progress_cell_set_intent (run->cell, HAUL_INTENT_SHUTDOWN);
      g_cancellable_cancel (run->cancellable);
    }
}

static void
end_shutdown (HaulBuiltinEngine *self)
{
  Run *run;

  while ((run = g_queue_pop_head (&self->done)) != NULL)
    {
      haul_builtin_engine_finish_run (self, run);
      haul_builtin_run_unref (run);
    }
  g_assert (self->runs->len == 0);

  if (self->session != NULL)
    soup_session_abort (self->session);
}

void
haul_builtin_engine_shutdown (HaulEngine *engine)
{
  HaulBuiltinEngine *self = HAUL_BUILTIN_ENGINE (engine);

  if (self->shutting_down && self->pool == NULL)
    return;
  begin_shutdown (self);
  /* Waits for every pushed run; afterwards no worker touches us. */
  if (self->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
  end_shutdown (self);
}

static void
join_pool_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  g_thread_pool_free (task_data, FALSE, TRUE);
  g_task_return_boolean (task, TRUE);
}

static void
pool_joined_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HaulBuiltinEngine *self = HAUL_BUILTIN_ENGINE (object);

  end_shutdown (self);
  g_task_return_boolean (task, TRUE);
}

void
haul_builtin_engine_shutdown_async (HaulEngine          *engine,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  HaulBuiltinEngine *self = HAUL_BUILTIN_ENGINE (engine);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) join = NULL;

  g_task_set_source_tag (task, haul_builtin_engine_shutdown_async);
  begin_shutdown (self);
  if (self->pool == NULL)
    {
      end_shutdown (self);
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Joining the workers waits (each stops within a second): in a
   * thread, so the window keeps drawing meanwhile. */
  join = g_task_new (self, NULL, pool_joined_cb, g_steal_pointer (&task));
  g_task_set_source_tag (join, haul_builtin_engine_shutdown_async);
  g_task_set_task_data (join, g_steal_pointer (&self->pool), NULL);
  g_task_run_in_thread (join, join_pool_thread);
}

gboolean
haul_builtin_engine_shutdown_finish (HaulEngine    *engine,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
