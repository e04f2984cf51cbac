/* haul-duplicates.h: addresses the list holds already, and the question
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "haul-queue.h"

G_BEGIN_DECLS

/* One batch of links being added (a drop, a paste, the Add dialog): those
 * the list holds already are set aside, to be asked about once at the
 * end. An address twice in the batch is added once, without a question. */
typedef struct _HaulDuplicates HaulDuplicates;

HaulDuplicates *haul_duplicates_new    (void);
void            haul_duplicates_free   (HaulDuplicates *self);

/* TRUE if the list holds @url already (haul_queue_find_duplicate()): it
 * is not to be added now. One added in this batch is not asked about. */
gboolean        haul_duplicates_take   (HaulDuplicates *self,
                                        HaulQueue      *queue,
                                        const char     *url,
                                        const char     *folder);
/* @download was added in this batch. */
void            haul_duplicates_added  (HaulDuplicates *self,
                                        HaulDownload   *download);
guint           haul_duplicates_get_n  (HaulDuplicates *self);

/* Asks about what was set aside, over @parent: Skip, Download Again, and
 * Open File for one that is downloaded and on disk. Takes @self; returns
 * the dialog (owned by the window system), or NULL if nothing was set
 * aside. */
GtkWidget      *haul_duplicates_ask    (HaulDuplicates *self,
                                        GtkWindow      *parent,
                                        HaulQueue      *queue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulDuplicates, haul_duplicates_free)

G_END_DECLS
