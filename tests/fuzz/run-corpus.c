/* run-corpus.c: a fuzz target's corpus as an ordinary test
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   fuzz-NAME-corpus [--tap] CORPUS-DIR
 *
 * Feeds every file of CORPUS-DIR (sorted by name) to the target's
 * LLVMFuzzerTestOneInput(), one g_test case each, named
 * /haul/fuzz/NAME/FILE. This is how the corpora run under gcc in
 * `meson test` and under ASan/UBSan in `./build-aux/dev test`, without
 * libFuzzer; a failed invariant aborts and fails the test.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "haul-fuzz.h"

static void
run_one (gconstpointer user_data)
{
  const char *path = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree guint8 *exact = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  /* An exact copy without the NUL after it, so that ASan sees a read
   * past the end of the input, as libFuzzer does; never NULL, even
   * empty (malloc (0), as libFuzzer's own buffer). */
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

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *target = NULL;
  const char *name;

  g_test_init (&argc, &argv, NULL);
  LLVMFuzzerInitialize (&argc, &argv);

  if (argc != 2)
    {
      g_printerr ("Usage: %s [--tap] CORPUS-DIR\n", argv[0]);
      return 2;
    }

  dir = g_dir_open (argv[1], 0, &error);
  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  target = g_path_get_basename (argv[1]);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("/haul/fuzz/%s/%s", target, file);
      char *path = g_build_filename (argv[1], file, NULL);

      g_ptr_array_add (paths, path);
      g_test_add_data_func (test_path, path, run_one);
    }

  return g_test_run ();
}
