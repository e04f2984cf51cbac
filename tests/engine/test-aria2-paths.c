/* test-aria2-paths.c: the daemon's folders mapped onto this machine's
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-aria2-paths.h"

static void
check_map (const char *daemon_path,
           const char *daemon_prefix,
           const char *local_prefix,
           const char *expected)
{
  g_autofree char *mapped = haul_aria2_map_path (daemon_path, daemon_prefix, local_prefix);

  g_assert_cmpstr (mapped, ==, expected);
}

static void
test_map (void)
{
  check_map ("/srv/downloads/a.iso", "/srv/downloads", "/mnt/nas/downloads",
             "/mnt/nas/downloads/a.iso");
  check_map ("/srv/downloads/sub/dir/b.tar.gz", "/srv/downloads", "/mnt/nas/downloads",
             "/mnt/nas/downloads/sub/dir/b.tar.gz");
  /* The folder itself ("Show in Folder" of the daemon's dir). */
  check_map ("/srv/downloads", "/srv/downloads", "/mnt/nas/downloads", "/mnt/nas/downloads");
  /* Slashes are not significant; the result is clean. */
  check_map ("/srv//downloads/a.iso", "/srv/downloads/", "/mnt/nas/downloads//",
             "/mnt/nas/downloads/a.iso");
  /* A whole-disk mapping either way. */
  check_map ("/srv/downloads/a.iso", "/", "/mnt/nas", "/mnt/nas/srv/downloads/a.iso");
  check_map ("/srv/downloads/a.iso", "/srv/downloads", "/", "/a.iso");
  check_map ("/srv/downloads", "/srv/downloads", "/", "/");
  /* A daemon on this machine: identity. */
  check_map ("/home/me/Downloads/c.zip", "/", "/", "/home/me/Downloads/c.zip");
  /* Names are bytes of UTF-8 kept as they are. */
  check_map ("/srv/downloads/Über café.mkv", "/srv/downloads", "/mnt/nas",
             "/mnt/nas/Über café.mkv");
}

static void
test_not_reachable (void)
{
  /* No mapping. */
  check_map ("/srv/downloads/a.iso", NULL, "/mnt/nas", NULL);
  check_map ("/srv/downloads/a.iso", "/srv/downloads", NULL, NULL);
  check_map ("/srv/downloads/a.iso", "", "/mnt/nas", NULL);
  check_map (NULL, "/srv/downloads", "/mnt/nas", NULL);
  /* Outside the prefix, including one that only starts with its letters. */
  check_map ("/srv/other/a.iso", "/srv/downloads", "/mnt/nas", NULL);
  check_map ("/srv/downloads2/a.iso", "/srv/downloads", "/mnt/nas", NULL);
  check_map ("/srv", "/srv/downloads", "/mnt/nas", NULL);
  /* Relative paths mean nothing on another machine. */
  check_map ("downloads/a.iso", "downloads", "/mnt/nas", NULL);
  check_map ("/srv/downloads/a.iso", "/srv/downloads", "mnt/nas", NULL);
  /* ".." must not climb out of the prefix it seems to be under. */
  check_map ("/srv/downloads/../../etc/passwd", "/srv/downloads", "/mnt/nas", NULL);
  check_map ("/srv/downloads/./a.iso", "/srv/downloads", "/mnt/nas", NULL);
  check_map ("/srv/downloads/a.iso", "/srv/downloads/..", "/mnt/nas", NULL);
  /* Not UTF-8: not a path Haul can show or trust. */
  check_map ("/srv/downloads/\xff.iso", "/srv/downloads", "/mnt/nas", NULL);
}

static void
test_unmap (void)
{
  g_autofree char *a = haul_aria2_unmap_path ("/mnt/nas/downloads/films", "/srv/downloads",
                                              "/mnt/nas/downloads");
  g_autofree char *b = haul_aria2_unmap_path ("/home/me/Downloads", "/srv/downloads",
                                              "/mnt/nas/downloads");
  g_autofree char *c = haul_aria2_unmap_path ("/mnt/nas/downloads/../x", "/srv/downloads",
                                              "/mnt/nas/downloads");

  g_assert_cmpstr (a, ==, "/srv/downloads/films");
  g_assert_null (b);
  g_assert_null (c);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/engine/aria2-paths/map", test_map);
  g_test_add_func ("/haul/engine/aria2-paths/not-reachable", test_not_reachable);
  g_test_add_func ("/haul/engine/aria2-paths/unmap", test_unmap);

  return g_test_run ();
}
