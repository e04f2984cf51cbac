/* haul-checksum-file.h: hashing a file on disk, off the main thread
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-checksum.h"

G_BEGIN_DECLS

/* Called in the hashing thread after each piece (every 64 KiB) with the
 * bytes hashed so far, rising, the last call with @hashed == @total. It
 * must be cheap and thread-safe: store into atomics (a HaulProgressCell)
 * and let the main thread poll; never call into the main thread per call. */
typedef void (*HaulChecksumProgressFunc) (gint64   hashed,
                                          gint64   total,
                                          gpointer user_data);

/* Feeds @verifier the bytes of @fd from the verifier's offset up to @end
 * (-1: the end of the file), reading with pread() in 64 KiB pieces, so
 * the file's offset is left alone. For a worker that already has the
 * partial open: hash the bytes a resume kept, then keep feeding as new
 * ones arrive. Stops within one piece when @cancellable fires
 * (G_IO_ERROR_CANCELLED). A file shorter than @end is %HAUL_ERROR_FILE. */
gboolean  haul_checksum_verifier_feed_fd (HaulChecksumVerifier     *verifier,
                                          int                       fd,
                                          gint64                    end,
                                          HaulChecksumProgressFunc  progress,
                                          gpointer                  progress_data,
                                          GCancellable             *cancellable,
                                          GError                  **error);

/* Hashes the regular file at @path (never following a symbolic link) and
 * compares it with @spec: TRUE on a match, else %HAUL_ERROR_CHECKSUM_MISMATCH
 * ("The checksum does not match: expected …, got …"), %HAUL_ERROR_FILE,
 * or G_IO_ERROR_CANCELLED. @actual (out) (optional): the digest found in
 * lowercase hex, whenever the whole file was read. Blocking: call it from
 * a worker thread (the queue's own, which runs at a lower priority). */
gboolean  haul_checksum_file             (const char               *path,
                                          const HaulChecksumSpec   *spec,
                                          HaulChecksumProgressFunc  progress,
                                          gpointer                  progress_data,
                                          GCancellable             *cancellable,
                                          char                    **actual,
                                          GError                  **error);

/* The same in a GTask thread; the main thread never reads the file.
 * @progress runs in that thread; @progress_destroy (nullable) is called
 * once no more progress calls will come, in any thread. */
void      haul_checksum_file_async       (const char               *path,
                                          const HaulChecksumSpec   *spec,
                                          HaulChecksumProgressFunc  progress,
                                          gpointer                  progress_data,
                                          GDestroyNotify            progress_destroy,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  user_data);
gboolean  haul_checksum_file_finish      (GAsyncResult             *result,
                                          char                    **actual,
                                          GError                  **error);

G_END_DECLS
