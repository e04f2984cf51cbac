/* ui-test-util.h: bounded waits and widget look-ups for the UI tests
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "haul-application.h"
#include "haul-download.h"
#include "haul-queue.h"
#include "haul-window.h"

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
/* Runs the default main context until @match (@widget, @data) holds, at
 * most @timeout_ms; returns whether it held. */
gboolean   haul_ui_wait_match (HaulUiMatch   match,
                               GtkWidget    *widget,
                               gpointer      data,
                               guint         timeout_ms);
/* The mapped HaulDownloadRow under @root that shows @download, or NULL. */
GtkWidget *haul_ui_find_row   (GtkWidget    *root,
                               HaulDownload *download);

/* The application registered and activated, as at a start; its window
 * in @window. */
HaulApplication *haul_ui_start_application (HaulWindow      **window);
/* Destroys @window, shuts the queue down and drops @app. */
void             haul_ui_stop_application  (HaulApplication  *app,
                                            HaulWindow       *window);

/* The mapped list view under @root, or NULL. */
GtkListView *haul_ui_find_list_view  (GtkWidget  *root);
/* The mapped status page under @root titled @title, or NULL. */
GtkWidget   *haul_ui_find_status_page (GtkWidget  *root,
                                       const char *title);
/* The button of a HaulDownloadRow that a person (and AT-SPI) knows by
 * @name: Pause, Resume, Cancel, Retry, Open or Show in Folder; or NULL. */
GtkWidget   *haul_ui_row_button       (GtkWidget  *row,
                                       const char *name);
/* The text of @row's status line (a HaulDownloadRow). */
const char *haul_ui_row_status  (GtkWidget    *row);
/* The download of @queue with @uri, or NULL; the queue keeps it alive. */
HaulDownload *haul_ui_find_download (HaulQueue  *queue,
                                     const char *uri);

/* Hands @window @length bytes of @mime_type, as a drop does. */
void      haul_ui_drop_bytes         (HaulWindow *window,
                                      const char *mime_type,
                                      const void *data,
                                      gsize       length);
/* Waits at most @timeout_ms for @window's Add dialog to be there. */
gboolean  haul_ui_wait_add_dialog    (HaulWindow *window,
                                      guint       timeout_ms);
/* Cancels @window's open Add dialog and checks that it went. */
void      haul_ui_close_add_dialog   (HaulWindow *window);

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

/* The address field of @dialog, a HaulAddressPrompt (Change Address,
 * Continue), and what it says went wrong (NULL: nothing). */
GtkEditable      *haul_ui_prompt_entry         (gpointer           dialog);
const char       *haul_ui_prompt_error         (gpointer           dialog);

G_END_DECLS
