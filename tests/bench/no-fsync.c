/* no-fsync.c: fsync() and fdatasync() that return at once
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For diagnosis only: preloaded into haul-fetch by run-bench's "many"
 * benchmark, it shows what Haul's flushes (of each file and of its
 * folder) cost on many small files, by running the same downloads
 * without them. Never preload it into a program whose data matters.
 */

#include <unistd.h>

int
fsync (int fd)
{
  (void) fd;
  return 0;
}

int
fdatasync (int fd)
{
  (void) fd;
  return 0;
}
