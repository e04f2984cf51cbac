/* haul-queue-feeder.h: many links into the queue, a slice per main-loop turn
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-duplicates.h"
#include "haul-queue.h"

G_BEGIN_DECLS

#define HAUL_TYPE_QUEUE_FEEDER (haul_queue_feeder_get_type ())
G_DECLARE_FINAL_TYPE (HaulQueueFeeder, haul_queue_feeder, HAUL, QUEUE_FEEDER, GObject)

/* Adds links to @queue at most 4 ms per main-loop turn, below redraw
 * priority, so a pasted list of thousands never freezes the window.
 * Main thread.
 *
 * Signals (main thread):
 *   ::done (guint n_added, const char *first_error): everything handed
 *     over so far has been tried; @first_error (nullable) is the message
 *     of the first link the queue refused. Those the list held already
 *     were not added: haul_queue_feeder_steal_duplicates() has them. */
HaulQueueFeeder *haul_queue_feeder_new           (HaulQueue          *queue);
void             haul_queue_feeder_add           (HaulQueueFeeder    *self,
                                                  const char * const *urls,
                                                  const char         *folder);
/* (transfer full) (nullable): the links of the batch just done that the
 * list held already, to ask about (haul_duplicates_ask()). */
HaulDuplicates  *haul_queue_feeder_steal_duplicates (HaulQueueFeeder *self);
/* Links handed over and not added yet. */
guint            haul_queue_feeder_get_n_pending (HaulQueueFeeder    *self);

G_END_DECLS
