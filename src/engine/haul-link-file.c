/* haul-link-file.c: reading a dropped text file of links, safely
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "haul-link-file.h"

#define MAX_LOCAL_FILE_SIZE   (10 * 1024 * 1024)

/* Why a path that is no regular file cannot be a list of links. */
static const char *
file_type_reason (mode_t mode)
{
  if (S_ISDIR (mode))
    return _("Folders cannot be added, only text files of links");
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return _("A device, not a text file of links");
  if (S_ISFIFO (mode))
    return _("A pipe, not a text file of links");
  if (S_ISSOCK (mode))
    return _("A socket, not a text file of links");

  return _("Not a regular file");
}

/* A dropped path is opened only once it is known to name a regular file:
 * opening a device or a FIFO can block or act (a tape rewinds, a watchdog
 * arms, a FIFO's writer is released). The links in the path are resolved
 * first (a dropped link to a list is fine), the resolved path is checked
 * without following anything, opened with O_NOFOLLOW | O_NONBLOCK, and
 * fstat() must find the same regular file, so a swap in between is
 * refused rather than read. */
char *
haul_link_file_read (const char  *path,
                     gsize       *length,
                     const char **reason)
{
  g_autofree char *contents = NULL;
  g_autofree char *real = NULL;
  struct stat before, st;
  gsize filled = 0;
  int fd;

  real = realpath (path, NULL);
  if (real == NULL || lstat (real, &before) != 0)
    {
      *reason = errno == ENOENT || errno == ENOTDIR ? _("The file does not exist")
                                                    : _("The file could not be read");
      return NULL;
    }

  if (!S_ISREG (before.st_mode))
    {
      *reason = file_type_reason (before.st_mode);
      return NULL;
    }

  fd = g_open (real, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW, 0);
  if (fd < 0)
    {
      *reason = errno == ENOENT ? _("The file does not exist")
                                : _("The file could not be read");
      return NULL;
    }

  if (fstat (fd, &st) != 0)
    {
      *reason = _("The file could not be read");
      g_close (fd, NULL);
      return NULL;
    }

  if (!S_ISREG (st.st_mode) || st.st_dev != before.st_dev || st.st_ino != before.st_ino)
    {
      *reason = S_ISREG (st.st_mode) ? _("The file was replaced while it was being read")
                                     : file_type_reason (st.st_mode);
      g_close (fd, NULL);
      return NULL;
    }

  if (st.st_size > MAX_LOCAL_FILE_SIZE)
    {
      *reason = _("The file is larger than 10 MiB, too large for a list of links");
      g_close (fd, NULL);
      return NULL;
    }

  /* One byte more than allowed tells a file that grew since fstat(). */
  contents = g_malloc (st.st_size + 2);
  while (filled <= (gsize) st.st_size)
    {
      gssize n = read (fd, contents + filled, st.st_size + 1 - filled);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          *reason = _("The file could not be read");
          g_close (fd, NULL);
          return NULL;
        }
      if (n == 0)
        break;
      filled += n;
    }
  g_close (fd, NULL);

  if (filled > MAX_LOCAL_FILE_SIZE)
    {
      *reason = _("The file is larger than 10 MiB, too large for a list of links");
      return NULL;
    }

  contents[filled] = '\0';
  if (memchr (contents, '\0', filled) != NULL || !g_utf8_validate (contents, filled, NULL))
    {
      *reason = _("Not a text file");
      return NULL;
    }

  *length = filled;
  return g_steal_pointer (&contents);
}
