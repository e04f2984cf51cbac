/* run-corpus.c: a fuzz target's corpus as an ordinary test
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   fuzz-NAME-corpus [--tap] CORPUS-DIR
 *
 * Feeds every file of CORPUS-DIR (sorted by name) to the target's
 * LLVMFuzzerTestOneInput(), one g_test case each, named
 * /haul/fuzz/NAME/FILE, and the files of each folder in it (found/: what
 * fuzzing added) in one case /haul/fuzz/NAME/FOLDER. This is how the
 * corpora run under gcc in `meson test` and under ASan/UBSan in
 * `./build-aux/dev test`, without libFuzzer; a failed invariant aborts
 * and fails the test.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "haul-fuzz.h"

/* A copy without the NUL after it, so that ASan sees a read past the
 * end of the input, as libFuzzer does; never NULL, even empty (malloc (0),
 * as libFuzzer's own buffer). */
static void
run_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree guint8 *exact = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  exact = malloc (length);
  g_assert_true (exact != NULL || length == 0);
  memcpy (exact, contents, length);
  LLVMFuzzerTestOneInput (exact, length);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The names in @folder, sorted. */
static GPtrArray *
list_folder (const char *folder)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (folder, 0, &error);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return g_steal_pointer (&names);
}

/* A seed, named for what it is. */
static void
test_seed (gconstpointer user_data)
{
  run_file (user_data);
}

/* What libFuzzer found and ./build-aux/dev fuzz merged (files named by
 * their SHA-1): one case for all, saying which file runs. */
static void
test_found (gconstpointer user_data)
{
  const char *folder = user_data;
  g_autoptr(GPtrArray) names = list_folder (folder);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (folder, g_ptr_array_index (names, i), NULL);

      g_test_message ("%s", path);
      run_file (path);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *target = NULL;

  g_test_init (&argc, &argv, NULL);
  LLVMFuzzerInitialize (&argc, &argv);

  if (argc != 2 || !g_file_test (argv[1], G_FILE_TEST_IS_DIR))
    {
      g_printerr ("Usage: %s [--tap] CORPUS-DIR\n", argv[0]);
      return 2;
    }

  names = list_folder (argv[1]);
  target = g_path_get_basename (argv[1]);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("/haul/fuzz/%s/%s", target, file);
      char *path = g_build_filename (argv[1], file, NULL);

      g_ptr_array_add (paths, path);
      g_test_add_data_func (test_path, path,
                            g_file_test (path, G_FILE_TEST_IS_DIR) ? test_found : test_seed);
    }

  return g_test_run ();
}
