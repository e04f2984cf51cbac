/* haul-partial-file.h: the disk protocol of a download
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "haul-checksum-file.h"
#include "haul-types.h"

G_BEGIN_DECLS

/* A "NAME.part" file beside the final NAME, and the folder that holds
 * them (kept open). Worker side: one thread creates, opens, claims and
 * frees it; any number may write (pwrite) and sync at once. */
typedef struct _HaulPartialFile HaulPartialFile;

/* Picks "NAME.part" beside a free "NAME", or the next "NAME (n).ext"
 * from @index on, without creating anything: *final_name and *index say
 * which. Record it, then create it with haul_partial_file_create(): a
 * crash in between then leaves no file nobody knows of. */
gboolean         haul_partial_file_choose          (const char       *folder,
                                                    const char       *name,
                                                    guint             index,
                                                    char            **final_name,
                                                    char            **partial_path,
                                                    guint            *chosen,
                                                    GError          **error);
/* Creates the partial of "NAME (index)" chosen above: exclusively,
 * owner-only, never through a link, its folder entry flushed. Fails with
 * G_IO_ERROR_EXISTS when the name was taken meanwhile (choose again). */
HaulPartialFile *haul_partial_file_create          (const char       *folder,
                                                    const char       *name,
                                                    guint             index,
                                                    GError          **error);
/* Reopens the partial file of an earlier attempt (never through a link,
 * a regular file only); @name is the final name it was meant for. */
HaulPartialFile *haul_partial_file_open            (const char       *partial_path,
                                                    const char       *name,
                                                    GError          **error);
void             haul_partial_file_free            (HaulPartialFile  *file);

const char      *haul_partial_file_get_path        (HaulPartialFile  *file);
/* The final name: the intended one until claimed, then the one taken. */
const char      *haul_partial_file_get_name        (HaulPartialFile  *file);
gint64           haul_partial_file_get_size        (HaulPartialFile  *file);
void             haul_partial_file_get_identity    (HaulPartialFile  *file,
                                                    HaulFileIdentity *identity);

gboolean         haul_partial_file_write           (HaulPartialFile  *file,
                                                    gint64            offset,
                                                    const guint8     *data,
                                                    gsize             length,
                                                    GError          **error);
/* Reads exactly @length bytes at @offset (pread: any thread); fewer on
 * disk is HAUL_ERROR_PARTIAL_MISMATCH. */
gboolean         haul_partial_file_read            (HaulPartialFile  *file,
                                                    gint64            offset,
                                                    guint8           *data,
                                                    gsize             length,
                                                    GError          **error);
/* Feeds @verifier the bytes on disk from its offset to @end
 * (haul_checksum_verifier_feed_fd()). */
gboolean         haul_partial_file_feed            (HaulPartialFile          *file,
                                                    HaulChecksumVerifier     *verifier,
                                                    gint64                    end,
                                                    HaulChecksumProgressFunc  progress,
                                                    gpointer                  progress_data,
                                                    GCancellable             *cancellable,
                                                    GError                  **error);
/* Starts writing back [offset, offset + length) so the next sync finds
 * little left to do. */
void             haul_partial_file_start_writeback (HaulPartialFile  *file,
                                                    gint64            offset,
                                                    gint64            length);
/* fdatasync: every byte written before the call is on disk after it (and,
 * the first time, the file's entry in its folder: rule 2). */
gboolean         haul_partial_file_sync            (HaulPartialFile  *file,
                                                    GError          **error);
gboolean         haul_partial_file_truncate        (HaulPartialFile  *file,
                                                    gint64            size,
                                                    GError          **error);
/* Is the file still where it was? Fails with HAUL_ERROR_FOLDER_GONE when
 * its folder was moved or removed, HAUL_ERROR_PARTIAL_MISSING when the
 * file itself was deleted: writing on would fill a file nobody can find. */
gboolean         haul_partial_file_check           (HaulPartialFile  *file,
                                                    GError          **error);
/* Gives the partial its final name, never replacing a file (a name taken
 * meanwhile moves on to the next number), with the user's usual
 * permissions, and flushes the folder. */
gboolean         haul_partial_file_claim           (HaulPartialFile  *file,
                                                    GError          **error);
/* Takes over @path (absolute), a file another program partly
 * downloaded, as the partial of @name in the same folder: kept in place
 * when it is already called "NAME.part" of a free NAME, else renamed to
 * the "NAME.part" of the first free "NAME (n).ext", replacing nothing.
 * Sets the final name intended and the partial's new path. */
gboolean         haul_partial_file_adopt           (const char       *path,
                                                    const char       *name,
                                                    char            **final_name,
                                                    char            **partial_path,
                                                    GError          **error);
/* Deletes the partial file, if it is still this one. */
void             haul_partial_file_remove          (HaulPartialFile  *file);

/* Deletes @path only if it is the file @identity a download created: a
 * late clean-up must not delete the next attempt's file of that name. An
 * unknown identity (zeros) keeps the file. Any thread; blocking. */
gboolean         haul_partial_file_unlink_if_same  (const char             *path,
                                                    const HaulFileIdentity *identity);
/* After a crash between the rename and its record: is @name in @folder a
 * regular file of exactly @size bytes? */
gboolean         haul_partial_file_was_claimed     (const char       *folder,
                                                    const char       *name,
                                                    gint64            size);
/* "NAME.part", shortened so that it fits in a file name. */
char            *haul_partial_file_name_for        (const char       *name);

/* Tests: claim with link() + unlink() as on filesystems without
 * renameat2 (RENAME_NOREPLACE). */
void             haul_partial_file_set_force_link_fallback (gboolean  force);
/* Tests: fdatasync() and fsync() calls made so far, by every partial. */
guint            haul_partial_file_get_n_flushes   (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulPartialFile, haul_partial_file_free)

G_END_DECLS
