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
#include "haul-test-server.h"
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
/* The first widget of @type under @root (itself included), or NULL. */
GtkWidget *haul_ui_find_type  (GtkWidget    *root,
                               GType         type);
/* Runs the default main context until @match (@widget, @data) holds, at
 * most @timeout_ms; returns whether it held. */
gboolean   haul_ui_wait_match (HaulUiMatch   match,
                               GtkWidget    *widget,
                               gpointer      data,
                               guint         timeout_ms);
/* The mapped HaulDownloadRow under @root that shows @download, or NULL. */
GtkWidget *haul_ui_find_row   (GtkWidget    *root,
                               HaulDownload *download);
/* Waits at most @timeout_ms for haul_ui_find_row() to find @download's
 * row; returns whether it did. */
gboolean   haul_ui_wait_row   (GtkWidget    *root,
                               HaulDownload *download,
                               guint         timeout_ms);

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

/* The downloads in @queue. */
guint         haul_ui_n_items          (HaulQueue      *queue);
/* Download @i of @queue; the queue keeps it alive. */
HaulDownload *haul_ui_item             (HaulQueue      *queue,
                                        guint           i);
/* Waits at most @timeout_ms for @queue to hold @n downloads. */
gboolean      haul_ui_wait_n_items     (HaulQueue      *queue,
                                        guint           n,
                                        guint           timeout_ms);
/* Takes every download out of @queue, as Delete does, for good. */
void          haul_ui_clear_queue      (HaulQueue      *queue);
/* HOME/Downloads, where the tests' downloads go. */
char         *haul_ui_downloads_folder (void);
/* @size bytes served at @path by @server (@bytes_per_second, 0 for as
 * fast as it can), added to @queue for the downloads folder. */
HaulDownload *haul_ui_add_served       (HaulQueue      *queue,
                                        HaulTestServer *server,
                                        const char     *path,
                                        gsize           size,
                                        guint           bytes_per_second);

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
/* Clicks @dialog's mapped response button labelled @label (mnemonic
 * included), as a person does, with whatever libadwaita does then. */
void              haul_ui_click_response       (AdwMessageDialog  *dialog,
                                                const char        *label);
/* Waits at most @timeout_ms for @download to be in @state. */
gboolean          haul_ui_wait_state           (HaulDownload      *download,
                                                HaulDownloadState  state,
                                                guint              timeout_ms);

/* The address field of @dialog, a HaulAddressPrompt (Change Address,
 * Continue), and what it says went wrong (NULL: nothing). */
GtkEditable      *haul_ui_prompt_entry         (gpointer           dialog);
const char       *haul_ui_prompt_error         (gpointer           dialog);
/* Draws @widget as it is now into a PNG at @path; FALSE, and nothing
 * written, while it has no size or nothing to draw. */
gboolean          haul_ui_save_png             (GtkWidget         *widget,
                                                const char        *path);
/* With the environment variable @variable set to a folder: @widget at
 * rest (400 ms on) as FOLDER/NAME.png, for a person to look at. */
void              haul_ui_shot                 (GtkWidget         *widget,
                                                const char        *variable,
                                                const char        *name);
/* With the environment variable @variable set to 1: @widget as it is
 * now as G_TEST_BUILDDIR/NAME.png, its path said on stderr. */
void              haul_ui_build_shot           (GtkWidget         *widget,
                                                const char        *variable,
                                                const char        *name);

G_END_DECLS
