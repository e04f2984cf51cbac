/* ui-test-util.h: bounded waits and widget look-ups for the UI tests
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "haul-download.h"

G_BEGIN_DECLS

typedef gboolean (*HaulUiCheck) (gpointer data);
typedef gboolean (*HaulUiMatch) (GtkWidget *widget, gpointer data);

/* Runs the default main context until @check (@data) holds, at most
 * @timeout_ms; returns whether it held. */
gboolean   haul_ui_wait_for   (HaulUiCheck   check,
                               gpointer      data,
                               guint         timeout_ms);
/* Runs the default main context for @ms. */
void       haul_ui_spin       (guint         ms);
/* The first widget under @root (itself included, depth first) that
 * @match accepts, or NULL. */
GtkWidget *haul_ui_find       (GtkWidget    *root,
                               HaulUiMatch   match,
                               gpointer      data);
/* The mapped HaulDownloadRow under @root that shows @download, or NULL. */
GtkWidget *haul_ui_find_row   (GtkWidget    *root,
                               HaulDownload *download);

/* The visible message dialog with @heading, or NULL. */
AdwMessageDialog *haul_ui_find_message_dialog (const char        *heading);
/* Waits at most @timeout_ms for a message dialog with @heading to show;
 * returns it, or NULL. */
AdwMessageDialog *haul_ui_wait_message_dialog  (const char        *heading,
                                                guint              timeout_ms);
/* Waits at most @timeout_ms for @download to be in @state. */
gboolean          haul_ui_wait_state           (HaulDownload      *download,
                                                HaulDownloadState  state,
                                                guint              timeout_ms);

G_END_DECLS
