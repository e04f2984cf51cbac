/* test-partial-file.c: the disk protocol of a download
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "haul-error.h"
#include "haul-partial-file.h"
#include "haul-test-server.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = haul_test_make_tmpdir ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  haul_partial_file_set_force_link_fallback (FALSE);
  haul_test_remove_tree (f->dir);
  g_free (f->dir);
}

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static HaulPartialFile *
create (Fixture    *f,
        const char *name)
{
  g_autofree char *final = NULL;
  g_autofree char *partial = NULL;
  g_autoptr(GError) error = NULL;
  guint index = 0;
  HaulPartialFile *file;

  g_assert_true (haul_partial_file_choose (f->dir, name, 0, &final, &partial, &index, &error));
  file = haul_partial_file_create (f->dir, name, index, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (haul_partial_file_get_path (file), ==, partial);
  g_assert_cmpstr (haul_partial_file_get_name (file), ==, final);
  return file;
}

static void
test_choose_and_create (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *taken = path_in (f, "a.iso");
  g_autofree char *final = NULL;
  g_autofree char *partial = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulPartialFile) file = NULL;
  GStatBuf st;
  guint index = 0;

  /* A final name in use is skipped; so is a partial of that name. */
  g_assert_true (g_file_set_contents (taken, "x", 1, NULL));
  g_assert_true (haul_partial_file_choose (f->dir, "a.iso", 0, &final, &partial, &index, NULL));
  g_assert_cmpstr (final, ==, "a (1).iso");
  g_assert_cmpuint (index, ==, 1);
  /* Nothing was created by choosing. */
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));

  file = haul_partial_file_create (f->dir, "a.iso", index, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (partial, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Taken meanwhile: said so, nothing written through it. */
  {
    g_autoptr(HaulPartialFile) again = haul_partial_file_create (f->dir, "a.iso", index, &error);

    g_assert_null (again);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  }
}

/* A link planted where the partial goes is never written through. */
static void
test_no_links (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *target = path_in (f, "victim");
  g_autofree char *link_path = path_in (f, "b.bin.part");
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulPartialFile) file = NULL;

  g_assert_true (g_file_set_contents (target, "keep", 4, NULL));
  g_assert_cmpint (symlink (target, link_path), ==, 0);

  file = haul_partial_file_create (f->dir, "b.bin", 0, &error);
  g_assert_null (file);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);

  file = haul_partial_file_open (link_path, "b.bin", &error);
  g_assert_null (file);
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_FILE);
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "keep");
  }
}

/* Issue #8, item 9: a deleted partial and a moved folder are noticed. */
static void
test_check (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(HaulPartialFile) file = create (f, "c.bin");
  g_autoptr(HaulPartialFile) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *moved = g_strconcat (f->dir, "-moved", NULL);

  g_assert_true (haul_partial_file_check (file, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_unlink (haul_partial_file_get_path (file)), ==, 0);
  g_assert_false (haul_partial_file_check (file, &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_PARTIAL_MISSING);
  g_clear_error (&error);

  other = create (f, "d.bin");
  g_assert_cmpint (g_rename (f->dir, moved), ==, 0);
  g_assert_false (haul_partial_file_check (other, &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_FOLDER_GONE);
  g_assert_cmpint (g_rename (moved, f->dir), ==, 0);
}

/* Issue #8, item 11: a late clean-up never deletes the next attempt's
 * file of the same name. */
static void
test_unlink_by_identity (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(HaulPartialFile) first = create (f, "e.bin");
  g_autoptr(HaulPartialFile) second = NULL;
  g_autofree char *path = g_strdup (haul_partial_file_get_path (first));
  HaulFileIdentity identity = { 0, };
  HaulFileIdentity unknown = { 0, };

  haul_partial_file_get_identity (first, &identity);
  g_assert_cmpuint (identity.ino, !=, 0);
  g_clear_pointer (&first, haul_partial_file_free);
  g_assert_cmpint (g_unlink (path), ==, 0);
  /* File times come from a coarse clock (a few ms): two files made within
   * one tick can share a birth time as well as a reused inode. */
  g_usleep (20 * G_TIME_SPAN_MILLISECOND);

  /* The next attempt creates the same name: the old clean-up spares it. */
  second = create (f, "e.bin");
  g_assert_cmpstr (haul_partial_file_get_path (second), ==, path);
  /* (Even when the filesystem hands out the same inode number again: the
   * birth time tells them apart where the filesystem keeps one.) */
  if (identity.birth == 0)
    g_test_message ("no birth times here: identity is device and inode only");
  else
    {
      g_assert_false (haul_partial_file_unlink_if_same (path, &identity));
      g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
    }
  /* An unknown identity deletes nothing. */
  g_assert_false (haul_partial_file_unlink_if_same (path, &unknown));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  haul_partial_file_get_identity (second, &identity);
  g_assert_true (haul_partial_file_unlink_if_same (path, &identity));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
claim_and_check (Fixture    *f,
                 const char *name)
{
  g_autofree char *final = path_in (f, name);
  g_autofree char *numbered = NULL;
  g_autoptr(HaulPartialFile) file = create (f, name);
  g_autoptr(HaulPartialFile) late = create (f, name);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) world = g_bytes_new_static ("world", 5);
  GStatBuf st;

  g_assert_true (haul_partial_file_write (file, 0, (const guint8 *) "hello", 5, &error));
  g_assert_true (haul_partial_file_sync (file, &error));
  g_assert_true (haul_partial_file_claim (file, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (haul_partial_file_get_name (file), ==, name);
  g_assert_true (haul_test_file_equals (final, hello));
  g_assert_cmpint (g_stat (final, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0111, ==, 0);

  /* A second download of that name never replaces the first. */
  g_assert_true (haul_partial_file_write (late, 0, (const guint8 *) "world", 5, &error));
  g_assert_true (haul_partial_file_claim (late, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (haul_partial_file_get_name (late), !=, name);
  numbered = path_in (f, haul_partial_file_get_name (late));
  g_assert_true (haul_test_file_equals (final, hello));
  g_assert_true (haul_test_file_equals (numbered, world));
}

static void
test_claim (Fixture       *f,
            gconstpointer  data)
{
  claim_and_check (f, "f.txt");
}

/* The link() + unlink() fallback for filesystems without renameat2. */
static void
test_claim_link_fallback (Fixture       *f,
                          gconstpointer  data)
{
  haul_partial_file_set_force_link_fallback (TRUE);
  claim_and_check (f, "g.txt");
}

/* Rule 2: the folder is flushed with the first bytes, once; a file that
 * is claimed before any sync gets it with the rename (rule 5). */
static void
test_flushes (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(HaulPartialFile) file = NULL;
  g_autoptr(HaulPartialFile) quick = NULL;
  g_autoptr(GError) error = NULL;
  guint before = haul_partial_file_get_n_flushes ();

  file = haul_partial_file_create (f->dir, "s.bin", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (haul_partial_file_get_n_flushes () - before, ==, 0);
  g_assert_true (haul_partial_file_write (file, 0, (const guint8 *) "abc", 3, &error));
  g_assert_true (haul_partial_file_sync (file, &error));
  g_assert_no_error (error);
  /* The data, and the folder's new entry. */
  g_assert_cmpuint (haul_partial_file_get_n_flushes () - before, ==, 2);
  g_assert_true (haul_partial_file_write (file, 3, (const guint8 *) "def", 3, &error));
  g_assert_true (haul_partial_file_sync (file, &error));
  g_assert_cmpuint (haul_partial_file_get_n_flushes () - before, ==, 3);
  g_assert_true (haul_partial_file_claim (file, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (haul_partial_file_get_n_flushes () - before, ==, 4);

  before = haul_partial_file_get_n_flushes ();
  quick = haul_partial_file_create (f->dir, "q.bin", 0, &error);
  g_assert_no_error (error);
  g_assert_true (haul_partial_file_claim (quick, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (haul_partial_file_get_n_flushes () - before, ==, 1);
}

static void
test_was_claimed (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = path_in (f, "h.bin");

  g_assert_true (g_file_set_contents (path, "12345", 5, NULL));
  g_assert_true (haul_partial_file_was_claimed (f->dir, "h.bin", 5));
  g_assert_false (haul_partial_file_was_claimed (f->dir, "h.bin", 6));
  g_assert_false (haul_partial_file_was_claimed (f->dir, "missing", 5));
  g_assert_false (haul_partial_file_was_claimed (f->dir, NULL, 5));
}

static void
test_name_for (void)
{
  g_autofree char *long_name = g_strnfill (255, 'x');
  g_autofree char *part = haul_partial_file_name_for (long_name);
  g_autofree char *short_part = haul_partial_file_name_for ("a.iso");

  g_assert_cmpuint (strlen (part), ==, 255);
  g_assert_true (g_str_has_suffix (part, ".part"));
  g_assert_cmpstr (short_part, ==, "a.iso.part");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/partial-file/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)
  ADD ("choose-and-create", test_choose_and_create);
  ADD ("no-links", test_no_links);
  ADD ("check", test_check);
  ADD ("unlink-by-identity", test_unlink_by_identity);
  ADD ("claim", test_claim);
  ADD ("flushes", test_flushes);
  ADD ("claim-link-fallback", test_claim_link_fallback);
  ADD ("was-claimed", test_was_claimed);
#undef ADD
  g_test_add_func ("/haul/engine/partial-file/name-for", test_name_for);

  return g_test_run ();
}
