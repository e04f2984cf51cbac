/* haul-progress.h: the cell a worker writes its progress into
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  HAUL_PROGRESS_CONNECTING,
  HAUL_PROGRESS_DOWNLOADING,
  HAUL_PROGRESS_VERIFYING,   /* hashing the finished file */
} HaulProgressPhase;

/* What the user asked for when the cancellable fires. */
typedef enum
{
  HAUL_INTENT_NONE,
  HAUL_INTENT_PAUSE,
  HAUL_INTENT_CANCEL,
  HAUL_INTENT_SHUTDOWN,
} HaulIntent;

/* Ref-counted, shared by one worker and the main thread. Every field is
 * (atomic): the worker stores, the main thread loads. */
typedef struct _HaulProgressCell HaulProgressCell;

/* Called (in the worker) when the cell goes from clean to dirty: the queue
 * uses it to schedule at most one idle flush for all its cells. */
typedef void (*HaulProgressDirtyFunc) (gpointer user_data);

HaulProgressCell *haul_progress_cell_new          (HaulProgressDirtyFunc  dirty_func,
                                                   gpointer               dirty_data);
HaulProgressCell *haul_progress_cell_ref          (HaulProgressCell      *cell);
void              haul_progress_cell_unref        (HaulProgressCell      *cell);

/* Worker side */
void              haul_progress_cell_set_phase    (HaulProgressCell      *cell,
                                                   HaulProgressPhase      phase);
void              haul_progress_cell_set_total    (HaulProgressCell      *cell,
                                                   gint64                 total);
void              haul_progress_cell_set_received (HaulProgressCell      *cell,
                                                   gint64                 received);
/* Several connections of one download: each adds what it wrote. */
void              haul_progress_cell_add_received (HaulProgressCell      *cell,
                                                   gint64                 delta);
/* While the phase is VERIFYING: bytes of the finished file hashed so far
 * (received stays where it was, so a progress bar never runs back). */
void              haul_progress_cell_set_verified (HaulProgressCell      *cell,
                                                   gint64                 verified);
gint64            haul_progress_cell_get_verified (HaulProgressCell      *cell);
void              haul_progress_cell_set_connections (HaulProgressCell   *cell,
                                                      guint               connections);
guint             haul_progress_cell_get_connections (HaulProgressCell   *cell);

/* Main thread side: reads the values and marks the cell clean. Returns
 * %TRUE if anything changed since the last take. */
gboolean          haul_progress_cell_take         (HaulProgressCell      *cell,
                                                   HaulProgressPhase     *phase,
                                                   gint64                *received,
                                                   gint64                *total);

void              haul_progress_cell_set_intent   (HaulProgressCell      *cell,
                                                   HaulIntent             intent);
HaulIntent        haul_progress_cell_get_intent   (HaulProgressCell      *cell);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulProgressCell, haul_progress_cell_unref)

G_END_DECLS
