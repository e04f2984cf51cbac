/* haul-trash.h: a downloaded file to the trash, and back
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Every call works on the disk in a thread and reports on the thread
 * that called it. Errors are G_IO_ERROR, with a message in words:
 *   trash: G_IO_ERROR_NOT_FOUND (the file is gone), anything else means
 *     this file cannot go to a trash here (no trash on its disk, a
 *     system mount, no permission): ask before deleting it for good;
 *   restore: G_IO_ERROR_NOT_FOUND (the trash does not hold it any more),
 *     G_IO_ERROR_EXISTS (another file has its name now: nothing is
 *     replaced). */

/* Moves the file at @path to the trash of its disk. */
void      haul_trash_file_async      (const char           *path,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean  haul_trash_file_finish     (GAsyncResult         *result,
                                      GError              **error);

/* Puts the newest item of the trash that was at @path back there. */
void      haul_trash_restore_async   (const char           *path,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean  haul_trash_restore_finish  (GAsyncResult         *result,
                                      GError              **error);

/* Deletes the file at @path for good (only after the person chose so). */
void      haul_trash_delete_async    (const char           *path,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean  haul_trash_delete_finish   (GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
