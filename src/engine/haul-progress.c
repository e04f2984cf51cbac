/* haul-progress.c: the cell a worker writes its progress into
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-progress.h"

struct _HaulProgressCell
{
  gatomicrefcount        ref_count;
  HaulProgressDirtyFunc  dirty_func;  /* (nullable) called in the worker */
  gpointer               dirty_data;

  gint                   phase;       /* (atomic) HaulProgressPhase */
  gint                   intent;      /* (atomic) HaulIntent */
  gint                   dirty;       /* (atomic) TRUE until the next take */
  guint                  connections; /* (atomic) */
  /* (atomic) through the compiler's __atomic builtins: GLib 2.74 has no
   * gint64 atomics, and a lock here would be taken per 256 KiB write. */
  gint64                 received;
  gint64                 total;
  gint64                 verified;    /* bytes hashed after the last byte arrived */
};

HaulProgressCell *
haul_progress_cell_new (HaulProgressDirtyFunc dirty_func,
                        gpointer              dirty_data)
{
  HaulProgressCell *cell = g_new0 (HaulProgressCell, 1);

  g_atomic_ref_count_init (&cell->ref_count);
  cell->dirty_func = dirty_func;
  cell->dirty_data = dirty_data;
  cell->phase = HAUL_PROGRESS_CONNECTING;
  cell->intent = HAUL_INTENT_NONE;
  cell->received = 0;
  cell->total = -1;
  return cell;
}

HaulProgressCell *
haul_progress_cell_ref (HaulProgressCell *cell)
{
  g_return_val_if_fail (cell != NULL, NULL);

  g_atomic_ref_count_inc (&cell->ref_count);
  return cell;
}

void
haul_progress_cell_unref (HaulProgressCell *cell)
{
  g_return_if_fail (cell != NULL);

  if (g_atomic_ref_count_dec (&cell->ref_count))
    g_free (cell);
}

/* Only the clean → dirty transition calls dirty_func, so however many
 * writes a worker makes, the queue hears of it once per flush. */
static void
mark_dirty (HaulProgressCell *cell)
{
  if (g_atomic_int_compare_and_exchange (&cell->dirty, FALSE, TRUE)
      && cell->dirty_func != NULL)
    cell->dirty_func (cell->dirty_data);
}

static void
store64 (gint64 *where,
         gint64  value)
{
  __atomic_store_n (where, value, __ATOMIC_RELEASE);
}

static gint64
load64 (gint64 *where)
{
  return __atomic_load_n (where, __ATOMIC_ACQUIRE);
}

void
haul_progress_cell_set_phase (HaulProgressCell  *cell,
                              HaulProgressPhase  phase)
{
  g_return_if_fail (cell != NULL);

  if (g_atomic_int_get (&cell->phase) == (gint) phase)
    return;
  g_atomic_int_set (&cell->phase, phase);
  mark_dirty (cell);
}

void
haul_progress_cell_set_total (HaulProgressCell *cell,
                              gint64            total)
{
  g_return_if_fail (cell != NULL);

  if (load64 (&cell->total) == total)
    return;
  store64 (&cell->total, total);
  mark_dirty (cell);
}

void
haul_progress_cell_set_received (HaulProgressCell *cell,
                                 gint64            received)
{
  g_return_if_fail (cell != NULL);

  if (load64 (&cell->received) == received)
    return;
  store64 (&cell->received, received);
  mark_dirty (cell);
}

void
haul_progress_cell_add_received (HaulProgressCell *cell,
                                 gint64            delta)
{
  g_return_if_fail (cell != NULL);

  if (delta == 0)
    return;
  __atomic_add_fetch (&cell->received, delta, __ATOMIC_RELEASE);
  mark_dirty (cell);
}

void
haul_progress_cell_set_verified (HaulProgressCell *cell,
                                 gint64            verified)
{
  g_return_if_fail (cell != NULL);

  if (load64 (&cell->verified) == verified)
    return;
  store64 (&cell->verified, verified);
  mark_dirty (cell);
}

gint64
haul_progress_cell_get_verified (HaulProgressCell *cell)
{
  g_return_val_if_fail (cell != NULL, 0);

  return load64 (&cell->verified);
}

void
haul_progress_cell_set_connections (HaulProgressCell *cell,
                                    guint             connections)
{
  g_return_if_fail (cell != NULL);

  if ((guint) g_atomic_int_get (&cell->connections) == connections)
    return;
  g_atomic_int_set (&cell->connections, connections);
  mark_dirty (cell);
}

guint
haul_progress_cell_get_connections (HaulProgressCell *cell)
{
  g_return_val_if_fail (cell != NULL, 0);

  return g_atomic_int_get (&cell->connections);
}

gboolean
haul_progress_cell_take (HaulProgressCell  *cell,
                         HaulProgressPhase *phase,
                         gint64            *received,
                         gint64            *total)
{
  gboolean was_dirty;

  g_return_val_if_fail (cell != NULL, FALSE);

  /* Clean first, then read: a store racing with this take either shows
   * up in the values read now or marks the cell dirty again. */
  was_dirty = g_atomic_int_exchange (&cell->dirty, FALSE);

  if (phase != NULL)
    *phase = g_atomic_int_get (&cell->phase);
  if (received != NULL)
    *received = load64 (&cell->received);
  if (total != NULL)
    *total = load64 (&cell->total);

  return was_dirty;
}

void
haul_progress_cell_set_intent (HaulProgressCell *cell,
                               HaulIntent        intent)
{
  g_return_if_fail (cell != NULL);

  g_atomic_int_set (&cell->intent, intent);
}

HaulIntent
haul_progress_cell_get_intent (HaulProgressCell *cell)
{
  g_return_val_if_fail (cell != NULL, HAUL_INTENT_NONE);

  return g_atomic_int_get (&cell->intent);
}
