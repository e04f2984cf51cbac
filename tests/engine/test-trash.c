/* test-trash.c: a file to the trash and back, and what is never done
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real files in a real freedesktop.org trash: each test gets a home and
 * data folder of its own (G_TEST_OPTION_ISOLATE_DIRS), so the trash is
 * $XDG_DATA_HOME/Trash on the disk of the files. As root, a tmpfs in a
 * mount namespace of the test's own stands for another disk, whose trash
 * is TOP/.Trash-UID with paths relative to TOP.
 */

#include "config.h"

/* unshare() and CLONE_NEWNS */
#define _GNU_SOURCE 1

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "haul-asan.h"
#include "haul-test-server.h"
#include "haul-trash.h"

static const char *private_mounts_error = "not tried";

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = g_build_filename (g_get_home_dir (), "Downloads", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0700), ==, 0);
  fixture->path = g_build_filename (fixture->dir, "report.pdf", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gboolean done = FALSE;

  for (guint i = 0; i < 500 && *slot == NULL; i++)
    haul_test_spin_until (&done, 10);
  g_assert_nonnull (*slot);
  return *slot;
}

static gboolean
trash (const char  *path,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  haul_trash_file_async (path, NULL, done_cb, &result);
  return haul_trash_file_finish (wait_result (&result), error);
}

static gboolean
restore (const char  *path,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  haul_trash_restore_async (path, NULL, done_cb, &result);
  return haul_trash_restore_finish (wait_result (&result), error);
}

static gboolean
delete_for_good (const char  *path,
                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  haul_trash_delete_async (path, NULL, done_cb, &result);
  return haul_trash_delete_finish (wait_result (&result), error);
}

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
assert_contents (const char *path,
                 const char *text)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, text);
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (handle != NULL && g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

/* Tests ------------------------------------------------------------------ */

static void
test_trash_and_restore (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *trash_files = g_build_filename (g_get_user_data_dir (), "Trash", "files",
                                                   NULL);
  g_autofree char *trash_info = g_build_filename (g_get_user_data_dir (), "Trash", "info", NULL);
  g_autofree char *item = g_build_filename (trash_files, "report.pdf", NULL);
  g_autoptr(GError) error = NULL;

  write_file (fixture->path, "the report");
  g_assert_true (trash (fixture->path, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  /* In the trash, whole, where a file manager finds it. */
  assert_contents (item, "the report");
  g_assert_cmpuint (count_entries (trash_info), ==, 1);

  g_assert_true (restore (fixture->path, &error));
  g_assert_no_error (error);
  assert_contents (fixture->path, "the report");
  g_assert_cmpuint (count_entries (trash_files), ==, 0);
  g_assert_cmpuint (count_entries (trash_info), ==, 0);

  /* Once back, the trash holds it no more. */
  g_assert_false (restore (fixture->path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "report.pdf"));
}

/* Trashed twice (two downloads of one name): the newest comes back first;
 * another file's trash entry of that name is not taken. */
static void
test_restore_newest (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *other = g_build_filename (g_get_home_dir (), "report.pdf", NULL);
  g_autoptr(GError) error = NULL;

  write_file (other, "someone else's");
  g_assert_true (trash (other, &error));
  write_file (fixture->path, "first");
  g_assert_true (trash (fixture->path, &error));
  write_file (fixture->path, "second");
  g_assert_true (trash (fixture->path, &error));
  g_assert_no_error (error);

  g_assert_true (restore (fixture->path, &error));
  g_assert_no_error (error);
  assert_contents (fixture->path, "second");
  g_assert_cmpint (g_unlink (fixture->path), ==, 0);
  g_assert_true (restore (fixture->path, &error));
  assert_contents (fixture->path, "first");
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  g_assert_true (restore (other, &error));
  assert_contents (other, "someone else's");
}

/* A file with the name now is never replaced; the trashed one stays in
 * the trash. */
static void
test_restore_never_replaces (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *item = g_build_filename (g_get_user_data_dir (), "Trash", "files",
                                            "report.pdf", NULL);
  g_autoptr(GError) error = NULL;

  write_file (fixture->path, "old");
  g_assert_true (trash (fixture->path, &error));
  write_file (fixture->path, "new");
  g_assert_false (restore (fixture->path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_test_message ("%s", error->message);
  assert_contents (fixture->path, "new");
  assert_contents (item, "old");
}

/* No trash can be had (its folder cannot be made): the file stays, the
 * error says so; deleting it for good is a call of its own. */
static void
test_no_trash (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *trash_dir = g_build_filename (g_get_user_data_dir (), "Trash", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  write_file (trash_dir, "not a folder");
  write_file (fixture->path, "keep me");

  g_assert_false (trash (fixture->path, &error));
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "cannot be moved to the trash"));
  assert_contents (fixture->path, "keep me");

  g_clear_error (&error);
  g_assert_true (delete_for_good (fixture->path, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  g_assert_false (delete_for_good (fixture->path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (trash (fixture->path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* Another disk: its own trash at the top, with a relative path. */
static void
test_other_disk (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *disk = g_build_filename (fixture->dir, "disk", NULL);
  g_autofree char *folder = g_build_filename (disk, "ISOs", NULL);
  g_autofree char *path = g_build_filename (folder, "debian.iso", NULL);
  g_autofree char *trash_dir = g_strdup_printf ("%s/.Trash-%u", disk, (guint) getuid ());
  g_autofree char *info = g_build_filename (trash_dir, "info", "debian.iso.trashinfo", NULL);
  g_autofree char *info_text = NULL;
  g_autoptr(GError) error = NULL;

  if (private_mounts_error != NULL)
    {
      g_test_skip_printf ("no mount namespace of our own: %s", private_mounts_error);
      return;
    }
  g_assert_cmpint (g_mkdir_with_parents (disk, 0700), ==, 0);
  if (mount ("haul-trash-test", disk, "tmpfs", 0, "size=1m") != 0)
    {
      g_test_skip_printf ("cannot mount a tmpfs: %s", g_strerror (errno));
      return;
    }
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  write_file (path, "an image");

  if (!trash (path, &error))
    {
      /* GLib keeps no trash on mounts it counts as the system's own (a
       * tmpfs is one): the entry is written as GLib writes it on another
       * disk, and restoring reads it. */
      g_autofree char *files = g_build_filename (trash_dir, "files", NULL);
      g_autofree char *infos = g_build_filename (trash_dir, "info", NULL);
      g_autofree char *item = g_build_filename (files, "debian.iso", NULL);

      g_test_message ("%s", error->message);
      g_clear_error (&error);
      g_assert_cmpint (g_mkdir_with_parents (files, 0700), ==, 0);
      g_assert_cmpint (g_mkdir_with_parents (infos, 0700), ==, 0);
      g_assert_cmpint (g_rename (path, item), ==, 0);
      write_file (info, "[Trash Info]\nPath=ISOs/debian.iso\n"
                  "DeletionDate=2026-01-02T03:04:05\n");
    }
  g_assert_true (g_file_get_contents (info, &info_text, NULL, NULL));
  g_test_message ("%s", info_text);
  g_assert_nonnull (strstr (info_text, "Path=ISOs/debian.iso"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_true (restore (path, &error));
  g_assert_no_error (error);
  assert_contents (path, "an image");
  g_assert_false (g_file_test (info, G_FILE_TEST_EXISTS));
  g_assert_cmpint (umount (disk), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  /* Before any thread: a namespace of our own for the tmpfs (as root). */
  private_mounts_error = haul_test_enter_private_mounts ();

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/trash/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("trash-and-restore", test_trash_and_restore);
  ADD ("restore-newest", test_restore_newest);
  ADD ("restore-never-replaces", test_restore_never_replaces);
  ADD ("no-trash", test_no_trash);
  ADD ("other-disk", test_other_disk);
#undef ADD

  return g_test_run ();
}
