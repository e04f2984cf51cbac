/* haul-partial-file.c: the disk protocol of a download
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How it works
 *  1. The folder is opened once and every name is created, checked and
 *     renamed relative to that descriptor: a folder renamed or replaced
 *     meanwhile cannot redirect a write or a rename somewhere else.
 *  2. A name is chosen and recorded first, then "NAME.part" is created
 *     with O_EXCL | O_NOFOLLOW, mode 0600: a file or link planted under
 *     that name is never written through, and a crash in between leaves
 *     a record of a file that is not there yet (the next start creates
 *     it), never a file no record knows of. The folder is flushed after
 *     the create.
 *  3. Bytes go in with pwrite() at their offset (several connections may
 *     write at once); a checkpoint is only recorded after
 *     haul_partial_file_sync(), so no record claims unflushed bytes.
 *  4. haul_partial_file_check() notices a deleted file (link count 0) or
 *     a folder moved or removed (its path no longer leads to the folder
 *     we hold), within a checkpoint of it happening.
 *  5. The final name is claimed with renameat2 (RENAME_NOREPLACE), or
 *     link() + unlink() where the filesystem lacks it: an existing file is
 *     never replaced. The folder is flushed after the rename.
 *  6. A partial is deleted only if it is still the file that was created
 *     (device and inode): a late clean-up of an old attempt never deletes
 *     the next attempt's file of the same name.
 *  7. A browser's partial download taken over keeps its place when it is
 *     already called "NAME.part" beside a free NAME; otherwise it is
 *     renamed, in its folder, to the "NAME.part" of the first free name,
 *     without replacing anything (as in rule 5). The one exception is
 *     Firefox's placeholder: while it downloads "NAME.part" it keeps an
 *     empty "NAME" beside it, to hold the name. An empty regular file
 *     of one link there, beside the "NAME.part" taken over, is removed,
 *     so that the download ends as NAME, not "NAME (1)" beside an empty
 *     NAME. An empty file holds nothing to lose; anything else is kept.
 */

/* renameat2 (RENAME_NOREPLACE) and sync_file_range are GNU extensions. */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "haul-checksum-file.h"
#include "haul-error.h"
#include "haul-naming.h"
#include "haul-partial-file.h"

#define MAX_NAME_BYTES 255
#define PART_SUFFIX    ".part"
#define MAX_NUMBERED   10000

struct _HaulPartialFile
{
  char    *folder;      /* (owned) the folder's path, as given */
  int      dirfd;       /* the folder, held open (rule 1) */
  dev_t    dir_dev;
  ino_t    dir_ino;
  int      fd;
  char    *part_name;   /* (owned) "NAME.part", relative to dirfd */
  char    *path;        /* (owned) folder + part_name */
  char    *base_name;   /* (owned) the name before numbering */
  guint    index;       /* n of "NAME (n).ext" */
  char    *name;        /* (owned) the final name (intended, then claimed) */
  HaulFileIdentity identity;
  gboolean claimed;
  gboolean entry_unsynced;  /* rule 2: created, the folder not flushed since */
};

static gboolean force_link_fallback = FALSE;
static guint n_flushes;     /* (atomic) for tests */

static int
flush_fd (int      fd,
          gboolean data_only)
{
  g_atomic_int_inc (&n_flushes);
  return data_only ? fdatasync (fd) : fsync (fd);
}

guint
haul_partial_file_get_n_flushes (void)
{
  return g_atomic_int_get (&n_flushes);
}

void
haul_partial_file_set_force_link_fallback (gboolean force)
{
  force_link_fallback = force;
}

static void
set_file_error (GError     **error,
                int          errsv,
                const char  *folder,
                const char  *name)
{
  if (errsv == ENOSPC || errsv == EDQUOT)
    haul_set_error (error, HAUL_ERROR_DISK_FULL, "The disk is full");
  else if (errsv == EROFS || errsv == EACCES || errsv == EPERM)
    {
      g_autofree char *display = g_filename_display_name (folder);

      /* The folder is what the user can change (or choose another). */
      haul_set_error (error, HAUL_ERROR_FILE,
                      "Could not write to the folder %s: %s", display, g_strerror (errsv));
    }
  else
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *display = g_filename_display_name (path);

      haul_set_error (error, HAUL_ERROR_FILE,
                      /* Translators: a file name, then the system's reason */
                      "%s: %s", display, g_strerror (errsv));
    }
}

static void
set_folder_missing (GError     **error,
                    const char  *folder)
{
  g_autofree char *display = g_filename_display_name (folder);

  haul_set_error (error, HAUL_ERROR_FILE, "The folder %s does not exist", display);
}

char *
haul_partial_file_name_for (const char *name)
{
  gsize max = MAX_NAME_BYTES - strlen (PART_SUFFIX);
  const char *end = name;

  g_return_val_if_fail (name != NULL, NULL);

  while (*end != '\0' && (gsize) (g_utf8_next_char (end) - name) <= max)
    end = g_utf8_next_char (end);
  return g_strdup_printf ("%.*s" PART_SUFFIX, (int) (end - name), name);
}

static HaulPartialFile *
partial_new (const char  *folder,
             GError     **error)
{
  HaulPartialFile *file = g_new0 (HaulPartialFile, 1);
  struct stat st;

  file->fd = -1;
  file->folder = g_strdup (folder);
  file->dirfd = open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (file->dirfd < 0 || fstat (file->dirfd, &st) != 0)
    {
      int errsv = errno;

      if (errsv == ENOENT || errsv == ENOTDIR)
        set_folder_missing (error, folder);
      else
        set_file_error (error, errsv, folder, ".");
      haul_partial_file_free (file);
      return NULL;
    }
  file->dir_dev = st.st_dev;
  file->dir_ino = st.st_ino;
  return file;
}

/* Device, inode and, where the filesystem keeps one, the birth time
 * (statx): inode numbers are reused at once after a delete. */
static gboolean
identity_of (int               dirfd,
             const char       *name,
             int               flags,
             HaulFileIdentity *identity)
{
  struct statx stx;

  memset (identity, 0, sizeof *identity);
  if (statx (dirfd, name, flags | AT_SYMLINK_NOFOLLOW, STATX_INO | STATX_BTIME, &stx) != 0)
    return FALSE;
  identity->dev = makedev (stx.stx_dev_major, stx.stx_dev_minor);
  identity->ino = stx.stx_ino;
  if (stx.stx_mask & STATX_BTIME)
    identity->birth = stx.stx_btime.tv_sec * G_GINT64_CONSTANT (1000000000)
                      + stx.stx_btime.tv_nsec;
  return TRUE;
}

static gboolean
same_identity (const HaulFileIdentity *a,
               const HaulFileIdentity *b)
{
  return a->dev == b->dev && a->ino == b->ino && a->birth == b->birth;
}

static void
take_identity (HaulPartialFile *file)
{
  identity_of (file->fd, "", AT_EMPTY_PATH, &file->identity);
}

gboolean
haul_partial_file_choose (const char  *folder,
                          const char  *name,
                          guint        index,
                          char       **final_name,
                          char       **partial_path,
                          guint       *chosen,
                          GError     **error)
{
  int dirfd;

  g_return_val_if_fail (folder != NULL, FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);

  dirfd = open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0)
    {
      int errsv = errno;

      if (errsv == ENOENT || errsv == ENOTDIR)
        set_folder_missing (error, folder);
      else
        set_file_error (error, errsv, folder, ".");
      return FALSE;
    }

  for (guint n = index; n < index + MAX_NUMBERED; n++)
    {
      g_autofree char *candidate = haul_naming_numbered (name, n);
      g_autofree char *part_name = haul_partial_file_name_for (candidate);
      struct stat st;

      if (fstatat (dirfd, candidate, &st, AT_SYMLINK_NOFOLLOW) == 0
          || fstatat (dirfd, part_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        continue;

      close (dirfd);
      *final_name = g_steal_pointer (&candidate);
      *partial_path = g_build_filename (folder, part_name, NULL);
      *chosen = n;
      return TRUE;
    }

  close (dirfd);
  haul_set_error (error, HAUL_ERROR_FILE,
                  "Could not find a free file name for %s", name);
  return FALSE;
}

HaulPartialFile *
haul_partial_file_create (const char  *folder,
                          const char  *name,
                          guint        index,
                          GError     **error)
{
  g_autoptr(HaulPartialFile) file = NULL;
  g_autofree char *candidate = NULL;
  g_autofree char *part_name = NULL;
  int fd;

  g_return_val_if_fail (folder != NULL, NULL);
  g_return_val_if_fail (name != NULL && *name != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = partial_new (folder, error);
  if (file == NULL)
    return NULL;

  candidate = haul_naming_numbered (name, index);
  part_name = haul_partial_file_name_for (candidate);
  /* Read too: the checksum of a resumed download hashes what is kept. */
  fd = openat (file->dirfd, part_name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
               0600);
  if (fd < 0)
    {
      int errsv = errno;

      if (errsv == EEXIST)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s exists", part_name);
      else
        set_file_error (error, errsv, folder, part_name);
      return NULL;
    }

  file->fd = fd;
  file->base_name = g_strdup (name);
  file->index = index;
  file->name = g_steal_pointer (&candidate);
  file->path = g_build_filename (folder, part_name, NULL);
  file->part_name = g_steal_pointer (&part_name);
  take_identity (file);
  /* Rule 2: flushed with the first bytes, not now. */
  file->entry_unsynced = TRUE;
  return g_steal_pointer (&file);
}

HaulPartialFile *
haul_partial_file_open (const char  *partial_path,
                        const char  *name,
                        GError     **error)
{
  g_autoptr(HaulPartialFile) file = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *display = NULL;
  struct stat st;

  g_return_val_if_fail (partial_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  folder = g_path_get_dirname (partial_path);
  display = g_filename_display_name (partial_path);

  file = partial_new (folder, NULL);
  if (file == NULL)
    {
      g_autofree char *folder_display = g_filename_display_name (folder);

      /* Name what the user can fix: the folder, not the file in it. */
      haul_set_error (error, HAUL_ERROR_PARTIAL_MISSING,
                      "The download folder %s no longer exists", folder_display);
      return NULL;
    }

  file->part_name = g_path_get_basename (partial_path);
  file->path = g_strdup (partial_path);
  file->fd = openat (file->dirfd, file->part_name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
  if (file->fd < 0)
    {
      int errsv = errno;

      if (errsv == ENOENT)
        haul_set_error (error, HAUL_ERROR_PARTIAL_MISSING,
                        "The partly downloaded file %s is gone", display);
      else if (errsv == ELOOP)
        haul_set_error (error, HAUL_ERROR_FILE,
                        "The partly downloaded file %s was replaced by a link", display);
      else
        set_file_error (error, errsv, folder, file->part_name);
      return NULL;
    }

  if (fstat (file->fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      haul_set_error (error, HAUL_ERROR_FILE,
                      "The partly downloaded file %s is not a regular file", display);
      return NULL;
    }
  take_identity (file);

  if (name != NULL && *name != '\0')
    file->name = g_strdup (name);
  else
    {
      /* "NAME.part" → "NAME" */
      gsize length = strlen (file->part_name);

      file->name = g_strndup (file->part_name,
                              g_str_has_suffix (file->part_name, PART_SUFFIX)
                                ? length - strlen (PART_SUFFIX) : length);
    }

  return g_steal_pointer (&file);
}

void
haul_partial_file_free (HaulPartialFile *file)
{
  if (file == NULL)
    return;

  if (file->fd >= 0)
    close (file->fd);
  if (file->dirfd >= 0)
    close (file->dirfd);
  g_free (file->folder);
  g_free (file->part_name);
  g_free (file->path);
  g_free (file->base_name);
  g_free (file->name);
  g_free (file);
}

const char *
haul_partial_file_get_path (HaulPartialFile *file)
{
  g_return_val_if_fail (file != NULL, NULL);
  return file->path;
}

const char *
haul_partial_file_get_name (HaulPartialFile *file)
{
  g_return_val_if_fail (file != NULL, NULL);
  return file->name;
}

gint64
haul_partial_file_get_size (HaulPartialFile *file)
{
  struct stat st;

  g_return_val_if_fail (file != NULL, -1);

  if (file->fd < 0 || fstat (file->fd, &st) != 0)
    return -1;
  return st.st_size;
}

void
haul_partial_file_get_identity (HaulPartialFile  *file,
                                HaulFileIdentity *identity)
{
  g_return_if_fail (file != NULL);
  g_return_if_fail (identity != NULL);

  *identity = file->identity;
}

gboolean
haul_partial_file_write (HaulPartialFile  *file,
                         gint64            offset,
                         const guint8     *data,
                         gsize             length,
                         GError          **error)
{
  g_return_val_if_fail (file != NULL && file->fd >= 0, FALSE);

  while (length > 0)
    {
      ssize_t n = pwrite (file->fd, data, length, offset);

      if (n < 0)
        {
          int errsv = errno;

          if (errsv == EINTR)
            continue;
          set_file_error (error, errsv, file->folder, file->part_name);
          return FALSE;
        }
      data += n;
      length -= n;
      offset += n;
    }
  return TRUE;
}

gboolean
haul_partial_file_read (HaulPartialFile  *file,
                        gint64            offset,
                        guint8           *data,
                        gsize             length,
                        GError          **error)
{
  g_return_val_if_fail (file != NULL && file->fd >= 0, FALSE);

  while (length > 0)
    {
      ssize_t n = pread (file->fd, data, length, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_file_error (error, errno, file->folder, file->part_name);
          return FALSE;
        }
      if (n == 0)
        {
          g_autofree char *display = g_filename_display_name (file->path);

          g_set_error (error, HAUL_ERROR, HAUL_ERROR_PARTIAL_MISMATCH,
                       _("The partly downloaded file %s is shorter than recorded"), display);
          return FALSE;
        }
      data += n;
      length -= n;
      offset += n;
    }
  return TRUE;
}

gboolean
haul_partial_file_feed (HaulPartialFile          *file,
                        HaulChecksumVerifier     *verifier,
                        gint64                    end,
                        HaulChecksumProgressFunc  progress,
                        gpointer                  progress_data,
                        GCancellable             *cancellable,
                        GError                  **error)
{
  g_return_val_if_fail (file != NULL && file->fd >= 0, FALSE);

  return haul_checksum_verifier_feed_fd (verifier, file->fd, end, progress, progress_data,
                                         cancellable, error);
}

void
haul_partial_file_start_writeback (HaulPartialFile *file,
                                   gint64           offset,
                                   gint64           length)
{
  g_return_if_fail (file != NULL);

  if (file->fd >= 0 && length > 0)
    sync_file_range (file->fd, offset, length, SYNC_FILE_RANGE_WRITE);
}

gboolean
haul_partial_file_sync (HaulPartialFile  *file,
                        GError          **error)
{
  g_return_val_if_fail (file != NULL, FALSE);

  if (file->fd >= 0 && flush_fd (file->fd, TRUE) != 0)
    {
      set_file_error (error, errno, file->folder, file->part_name);
      return FALSE;
    }
  /* Rule 2: the entry is durable before a record counts bytes in it. */
  if (file->entry_unsynced && flush_fd (file->dirfd, FALSE) == 0)
    file->entry_unsynced = FALSE;
  return TRUE;
}

gboolean
haul_partial_file_truncate (HaulPartialFile  *file,
                            gint64            size,
                            GError          **error)
{
  g_return_val_if_fail (file != NULL && file->fd >= 0, FALSE);

  if (ftruncate (file->fd, size) != 0)
    {
      set_file_error (error, errno, file->folder, file->part_name);
      return FALSE;
    }
  return TRUE;
}

gboolean
haul_partial_file_check (HaulPartialFile  *file,
                         GError          **error)
{
  struct stat st;

  g_return_val_if_fail (file != NULL, FALSE);

  /* Rule 4. The folder first: removing it removes the file too. */
  if (stat (file->folder, &st) != 0 || st.st_dev != file->dir_dev || st.st_ino != file->dir_ino)
    {
      g_autofree char *display = g_filename_display_name (file->folder);

      haul_set_error (error, HAUL_ERROR_FOLDER_GONE,
                      "The download folder %s was moved or removed", display);
      return FALSE;
    }
  if (file->fd >= 0 && fstat (file->fd, &st) == 0 && st.st_nlink == 0)
    {
      g_autofree char *display = g_filename_display_name (file->path);

      haul_set_error (error, HAUL_ERROR_PARTIAL_MISSING,
                      "The partly downloaded file %s was deleted", display);
      return FALSE;
    }
  return TRUE;
}

/* The process umask, read without changing it: umask(2) can only be read
 * by setting it, which would race with other threads creating files. */
static mode_t
process_umask (void)
{
  static gsize once = 0;
  static mode_t mask = 022;

  if (g_once_init_enter (&once))
    {
      g_autofree char *status = NULL;
      const char *line;

      if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
          && (line = strstr (status, "\nUmask:")) != NULL)
        mask = (mode_t) g_ascii_strtoull (line + strlen ("\nUmask:"), NULL, 8) & 0777;
      g_once_init_leave (&once, 1);
    }
  return mask;
}

/* Returns 0, or the errno that stopped it (EEXIST: the name is taken). */
static int
rename_noreplace (int         dirfd,
                  const char *from,
                  const char *to)
{
  if (!force_link_fallback)
    {
      if (renameat2 (dirfd, from, dirfd, to, RENAME_NOREPLACE) == 0)
        return 0;
      if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return errno;
    }

  /* link() never replaces either; then the old name goes. */
  if (linkat (dirfd, from, dirfd, to, 0) != 0)
    return errno;
  unlinkat (dirfd, from, 0);
  return 0;
}

static int
claim_name (HaulPartialFile *file,
            const char      *candidate)
{
  return rename_noreplace (file->dirfd, file->part_name, candidate);
}

gboolean
haul_partial_file_claim (HaulPartialFile  *file,
                         GError          **error)
{
  const char *base;
  guint first;

  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (!file->claimed, FALSE);

  base = file->base_name != NULL ? file->base_name : file->name;
  first = file->base_name != NULL ? file->index : 0;

  /* Owner-only while it filled; now what any new file of the user's
   * gets, never executable. */
  if (file->fd >= 0)
    fchmod (file->fd, 0666 & ~process_umask ());

  for (guint n = first; n < first + MAX_NUMBERED; n++)
    {
      g_autofree char *candidate = n == first && file->base_name == NULL
                                     ? g_strdup (file->name)
                                     : haul_naming_numbered (base, n);
      int errsv = claim_name (file, candidate);

      if (errsv == EEXIST)
        continue;
      if (errsv != 0)
        {
          set_file_error (error, errsv, file->folder, candidate);
          return FALSE;
        }

      g_free (file->name);
      file->name = g_steal_pointer (&candidate);
      file->claimed = TRUE;
      /* Rule 5: the rename is durable before it is recorded (and with it
       * the entry, if no sync flushed it yet). */
      flush_fd (file->dirfd, FALSE);
      file->entry_unsynced = FALSE;
      return TRUE;
    }

  haul_set_error (error, HAUL_ERROR_FILE,
                  "Could not find a free file name for %s", base);
  return FALSE;
}

/* Rule 7: Firefox's empty NAME beside the NAME.part taken over. */
static void
remove_placeholder (int         dirfd,
                    const char *base,
                    const char *name)
{
  g_autofree char *part_name = haul_partial_file_name_for (name);
  struct stat st;

  if (!g_str_equal (part_name, base))
    return;
  if (fstatat (dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG (st.st_mode)
      || st.st_size != 0 || st.st_nlink != 1)
    return;
  if (unlinkat (dirfd, name, 0) == 0)
    g_debug ("Removed the browser's empty placeholder %s", name);
}

/* Rule 7: another program's partial becomes ours, replacing nothing. */
static gboolean
adopt_in (int          dirfd,
          const char  *folder,
          const char  *base,
          const char  *name,
          char       **final_name,
          char       **partial_path,
          GError     **error)
{
  remove_placeholder (dirfd, base, name);
  for (guint n = 0; n < MAX_NUMBERED; n++)
    {
      g_autofree char *candidate = haul_naming_numbered (name, n);
      g_autofree char *part_name = haul_partial_file_name_for (candidate);
      struct stat st;
      int errsv = 0;

      if (fstatat (dirfd, candidate, &st, AT_SYMLINK_NOFOLLOW) == 0)
        continue;
      /* Already called as Haul would call it: it stays where it is. */
      if (!g_str_equal (part_name, base))
        {
          if (fstatat (dirfd, part_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
            continue;
          errsv = rename_noreplace (dirfd, base, part_name);
          if (errsv == EEXIST)
            continue;
          if (errsv != 0)
            {
              set_file_error (error, errsv, folder, base);
              return FALSE;
            }
          fsync (dirfd);
        }
      *final_name = g_steal_pointer (&candidate);
      *partial_path = g_build_filename (folder, part_name, NULL);
      return TRUE;
    }

  g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
               _("Could not find a free file name for %s"), name);
  return FALSE;
}

gboolean
haul_partial_file_adopt (const char  *path,
                         const char  *name,
                         char       **final_name,
                         char       **partial_path,
                         GError     **error)
{
  g_autofree char *folder = NULL;
  g_autofree char *base = NULL;
  g_autofree char *display = NULL;
  struct stat st;
  gboolean ok;
  int dirfd;

  g_return_val_if_fail (path != NULL && g_path_is_absolute (path), FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);

  folder = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  display = g_filename_display_name (path);
  dirfd = open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0)
    {
      set_folder_missing (error, folder);
      return FALSE;
    }
  if (fstatat (dirfd, base, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG (st.st_mode))
    {
      close (dirfd);
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                   _("The partly downloaded file %s is not a regular file"), display);
      return FALSE;
    }

  ok = adopt_in (dirfd, folder, base, name, final_name, partial_path, error);
  close (dirfd);
  return ok;
}

void
haul_partial_file_remove (HaulPartialFile *file)
{
  HaulFileIdentity now;

  g_return_if_fail (file != NULL);

  if (file->claimed)
    return;
  /* Rule 6. */
  if (identity_of (file->dirfd, file->part_name, 0, &now) && same_identity (&now, &file->identity))
    unlinkat (file->dirfd, file->part_name, 0);
}

gboolean
haul_partial_file_unlink_if_same (const char             *path,
                                  const HaulFileIdentity *identity)
{
  HaulFileIdentity now;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (identity != NULL, FALSE);

  if (identity->dev == 0 && identity->ino == 0)
    return FALSE;
  if (!identity_of (AT_FDCWD, path, 0, &now) || !same_identity (&now, identity))
    return FALSE;
  return g_unlink (path) == 0;
}

gboolean
haul_partial_file_was_claimed (const char *folder,
                               const char *name,
                               gint64      size)
{
  g_autofree char *path = NULL;
  struct stat st;

  g_return_val_if_fail (folder != NULL, FALSE);

  if (name == NULL || *name == '\0' || size <= 0)
    return FALSE;
  path = g_build_filename (folder, name, NULL);
  return lstat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size == size;
}
