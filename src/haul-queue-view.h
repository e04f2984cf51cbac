/* haul-queue-view.h: the queue as the list shows it — filtered, searched, sorted
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "haul-queue.h"

G_BEGIN_DECLS

typedef enum
{
  HAUL_QUEUE_FILTER_ALL,
  HAUL_QUEUE_FILTER_ACTIVE,    /* queued, connecting, downloading, paused */
  HAUL_QUEUE_FILTER_FINISHED,  /* completed */
  HAUL_QUEUE_FILTER_FAILED,    /* failed, cancelled */
} HaulQueueFilter;

#define HAUL_TYPE_QUEUE_VIEW (haul_queue_view_get_type ())
G_DECLARE_FINAL_TYPE (HaulQueueView, haul_queue_view, HAUL, QUEUE_VIEW, GObject)

/* The chain of models between the queue and the list: a state filter and a
 * search (by name or address, case-insensitive), applied incrementally so
 * that 100,000 downloads never block the main loop; then unfinished
 * downloads (queued, running, paused) before finished ones, each group in
 * queue order; then a single selection. Main thread.
 *
 * Properties: filter (HaulQueueFilter as an int), category (a
 *   HaulCategory as an int, shown alone; -1: every kind), search (utf8),
 *   pending (gboolean, read-only: filtering or sorting still under way;
 *   notified when it ends). */
HaulQueueView     *haul_queue_view_new         (HaulQueue       *queue);

/* What the list view shows: a GtkSingleSelection of HaulListSlot, each
 * showing one HaulDownload. */
GtkSelectionModel *haul_queue_view_get_model   (HaulQueueView   *self);

HaulQueueFilter    haul_queue_view_get_filter  (HaulQueueView   *self);
void               haul_queue_view_set_filter  (HaulQueueView   *self,
                                                HaulQueueFilter  filter);
int                haul_queue_view_get_category (HaulQueueView  *self);
void               haul_queue_view_set_category (HaulQueueView  *self,
                                                 int             category);
const char        *haul_queue_view_get_search  (HaulQueueView   *self);
void               haul_queue_view_set_search  (HaulQueueView   *self,
                                                const char      *search);
gboolean           haul_queue_view_get_pending (HaulQueueView   *self);
/* The first position the list shows: what changes there is shown first. */
void               haul_queue_view_set_focus   (HaulQueueView   *self,
                                                guint            position);

/* Selects @download, and keeps it selected wherever it moves (a re-sort, a
 * search); FALSE if it is not shown. */
gboolean           haul_queue_view_select      (HaulQueueView   *self,
                                                HaulDownload    *download);
/* Where @download is shown, or GTK_INVALID_LIST_POSITION (filtered out,
 * or not filtered yet: see :pending). O(n). */
guint              haul_queue_view_find        (HaulQueueView   *self,
                                                HaulDownload    *download);

G_END_DECLS
