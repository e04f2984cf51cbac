/* haul-status-text.h: what a row and the details say about a download
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-download.h"

G_BEGIN_DECLS

/* "5.6 MB of 21 MB", "5.6 MB" while the size is unknown, NULL when nothing
 * has arrived. */
char *haul_format_amount        (HaulDownload *download);
/* When something happened, as short as a list can say it relative to
 * @now: "14:02" today, "Yesterday", "12 Nov" this year, "12 Nov 2025". */
char *haul_format_when          (GDateTime    *when,
                                 GDateTime    *now);
/* The row's status line for @download at @now:
 *   "12.3 MB of 100 MB · 4.5 MB/s · 20 seconds left"   downloading
 *   "Paused · 5.6 MB of 21 MB"                         paused
 *   "Completed · 3.4 MB · 14:02"                       completed
 *   "Failed · 5.6 MB of 21 MB"                         failed (the reason
 *                                                      is a line of its own)
 *   "Completed · SHA-256 verified · 3.4 MB · 14:02"    its checksum matched
 *   "Failed · SHA-256 mismatch"                        it did not
 *   "Verifying · 45 %"                                 hashing the last byte in
 *   "Retrying in 4 s · 5.6 MB of 21 MB"                waiting (HaulWaiting):
 *   "Server busy · retrying in 30 s", "Waiting for the network",
 *   "Waiting for an unmetered connection", "Waiting for the scheduled
 *   hours", "The download engine cannot be reached" (each with the amount)
 * "Queued", "Connecting…", "Cancelled", "File missing". */
char *haul_format_status        (HaulDownload *download,
                                 GDateTime    *now);
/* Whole seconds until a retry wait ends (rounded up), 0 when it is due,
 * -1 when @download has no :retry-at. */
gint64 haul_retry_seconds_left  (HaulDownload *download,
                                 GDateTime    *now);
/* The last byte is in and the file is being hashed: the row's bar shows
 * :checksum-progress. */
gboolean haul_status_is_verifying (HaulDownload *download);

G_END_DECLS
