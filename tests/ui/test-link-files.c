/* test-link-files.c: local text files of links dropped from a file manager,
 * and the parse in a thread
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "haul-link-parser.h"
#include "haul-test-server.h"
#include "link-parser-checks.h"

/* Local text files of links, dropped from a file manager */

typedef struct
{
  char *dir;
} FileFixture;

static void
file_fixture_setup (FileFixture   *fixture,
                    gconstpointer  data)
{
  fixture->dir = haul_test_make_tmpdir ();
}

static void
file_fixture_teardown (FileFixture   *fixture,
                       gconstpointer  data)
{
  haul_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
write_file (FileFixture *fixture,
            const char  *name,
            const char  *contents,
            gssize       length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  char *uri;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  uri = g_filename_to_uri (path, NULL, &error);
  g_assert_no_error (error);

  return uri;
}

static char *
local_files_payload (FileFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *links = write_file (fixture, "links to get.txt",
                                       "# my list\nhttps://a.example/1\n\n"
                                       "see https://a.example/2, then\r\n"
                                       "https://a.example/1\n", -1);
  g_autofree char *page = write_file (fixture, "saved.html",
                                      "<!DOCTYPE html><html><body>"
                                      "<a href=\"https://a.example/4\">x</a>"
                                      "<a href=\"local.iso\">y</a></body></html>", -1);
  g_autofree char *binary = write_file (fixture, "binary.bin",
                                        "\x7f" "ELF\x02\x01\0\0https://a.example/5", 16);
  g_autofree char *latin1 = write_file (fixture, "latin1.txt", "caf\xe9 https://a.example/6\n", -1);
  g_autofree char *empty = write_file (fixture, "empty.txt", "", 0);
  g_autofree char *prose = write_file (fixture, "prose.txt", "No links in here.\n", -1);
  g_autofree char *big_path = g_build_filename (fixture->dir, "big.txt", NULL);
  g_autofree char *big = NULL;
  g_autofree char *dir = g_filename_to_uri (fixture->dir, NULL, NULL);
  g_autofree char *missing = g_strconcat (dir, "/missing.txt", NULL);
  int fd;

  /* A sparse file one byte over the limit. */
  fd = g_open (big_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 10 * 1024 * 1024 + 1), ==, 0);
  g_close (fd, NULL);
  big = g_filename_to_uri (big_path, NULL, &error);
  g_assert_no_error (error);

  return g_strjoin ("\r\n", "# dropped from Files", links, "https://a.example/3", page, binary,
                    latin1, empty, prose, big, dir, missing,
                    "file://otherhost.example/share/links.txt", "", NULL);
}

static void
assert_local_files (FileFixture  *fixture,
                    HaulLinkList *list)
{
  const char * const expected[] = {
    "https://a.example/1", "https://a.example/2", "https://a.example/3", "https://a.example/4",
    NULL
  };
  g_autofree char *dir = g_filename_to_uri (fixture->dir, NULL, NULL);
  g_autofree char *binary = g_strconcat (dir, "/binary.bin", NULL);
  g_autofree char *latin1 = g_strconcat (dir, "/latin1.txt", NULL);
  g_autofree char *empty = g_strconcat (dir, "/empty.txt", NULL);
  g_autofree char *prose = g_strconcat (dir, "/prose.txt", NULL);
  g_autofree char *big = g_strconcat (dir, "/big.txt", NULL);
  g_autofree char *missing = g_strconcat (dir, "/missing.txt", NULL);

  assert_urls (list, expected);
  /* The relative link in the saved page resolves to a local file. */
  g_assert_cmpstr (find_rejected (list, "local.iso"), ==, "Local files cannot be downloaded");
  g_assert_cmpstr (find_rejected (list, binary), ==, "Not a text file");
  g_assert_cmpstr (find_rejected (list, latin1), ==, "Not a text file");
  g_assert_cmpstr (find_rejected (list, empty), ==, "The file is empty");
  g_assert_cmpstr (find_rejected (list, prose), ==, "No links found in the file");
  g_assert_cmpstr (find_rejected (list, big), ==,
                   "The file is larger than 10 MiB, too large for a list of links");
  g_assert_cmpstr (find_rejected (list, dir), ==,
                   "Folders cannot be added, only text files of links");
  g_assert_cmpstr (find_rejected (list, missing), ==, "The file does not exist");
  g_assert_cmpstr (find_rejected (list, "file://otherhost.example/share/links.txt"), ==,
                   "Not a file on this computer");
  g_assert_cmpuint (list->rejected->len, ==, 9);
}

static void
test_local_file (FileFixture   *fixture,
                 gconstpointer  data)
{
  g_autofree char *payload = local_files_payload (fixture);
  g_autoptr(HaulLinkList) list = parse_string ("text/uri-list", payload, NULL);

  assert_local_files (fixture, list);
}

/* A browser's partial download dropped from a file manager is not read
 * as a list of links: it is handed on, by path, with any web address
 * beside it in the drop; other files are read as before. */
static void
test_partials (FileFixture   *fixture,
               gconstpointer  data)
{
  const char * const expected[] = { "https://a.example/big.iso", "https://a.example/1", NULL };
  g_autofree char *part = write_file (fixture, "big.iso.part", "\x7f" "ELF\0\0", 6);
  g_autofree char *crdownload = write_file (fixture, "Unconfirmed 42.crdownload", "\0\1", 2);
  g_autofree char *links = write_file (fixture, "links.txt", "https://a.example/1\n", -1);
  g_autofree char *payload = g_strjoin ("\r\n", part, "https://a.example/big.iso", crdownload,
                                        part, links, "", NULL);
  g_autoptr(HaulLinkList) list = parse_string ("text/uri-list", payload, NULL);
  g_autoptr(HaulLinkList) merged = haul_link_list_new ();
  g_autofree char *part_path = g_filename_from_uri (part, NULL, NULL);
  g_autofree char *crdownload_path = g_filename_from_uri (crdownload, NULL, NULL);

  assert_urls (list, expected);
  g_assert_cmpuint (list->rejected->len, ==, 0);
  g_assert_cmpuint (list->partials->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (list->partials, 0), ==, part_path);
  g_assert_cmpstr (g_ptr_array_index (list->partials, 1), ==, crdownload_path);

  haul_link_list_merge (merged, list);
  haul_link_list_merge (merged, list);
  g_assert_cmpuint (merged->partials->len, ==, 2);
}

typedef struct
{
  char         *path;
  volatile gint opened;   /* (atomic) the writer's open() returned: somebody read it */
} FifoWriter;

/* Blocks in open(O_WRONLY) until a reader opens the FIFO, as a program
 * feeding a pipe does. */
static gpointer
fifo_writer_thread (gpointer data)
{
  FifoWriter *writer = data;
  int fd = open (writer->path, O_WRONLY | O_CLOEXEC);

  g_atomic_int_set (&writer->opened, 1);
  if (fd >= 0)
    close (fd);
  return NULL;
}

/* Dropped paths that are no regular files: a device or a FIFO is never
 * even opened (opening one can block, or act: a tape rewinds, a watchdog
 * arms), and the reason says what it is. A link to a text file of links
 * still counts; a link to a FIFO is a FIFO. */
static void
test_special_files (FileFixture   *fixture,
                    gconstpointer  data)
{
  g_autofree char *fifo = g_build_filename (fixture->dir, "pipe", NULL);
  g_autofree char *fifo_link = g_build_filename (fixture->dir, "link-to-pipe", NULL);
  g_autofree char *list_link = g_build_filename (fixture->dir, "link-to-list.txt", NULL);
  g_autofree char *list_uri = write_file (fixture, "list.txt", "https://a.example/linked\n", -1);
  g_autofree char *list_path = g_filename_from_uri (list_uri, NULL, NULL);
  g_autofree char *fifo_uri = g_filename_to_uri (fifo, NULL, NULL);
  g_autofree char *fifo_link_uri = g_filename_to_uri (fifo_link, NULL, NULL);
  g_autofree char *list_link_uri = g_filename_to_uri (list_link, NULL, NULL);
  g_autofree char *payload = NULL;
  g_autoptr(HaulLinkList) list = NULL;
  const char * const expected[] = { "https://a.example/linked", NULL };
  FifoWriter writer = { fifo, 0 };
  GThread *thread;
  int fd;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink (fifo, fifo_link), ==, 0);
  g_assert_cmpint (symlink (list_path, list_link), ==, 0);
  thread = g_thread_new ("fifo-writer", fifo_writer_thread, &writer);

  payload = g_strjoin ("\r\n", fifo_uri, "file:///dev/zero", fifo_link_uri, list_link_uri, "",
                       NULL);
  list = parse_string ("text/uri-list", payload, NULL);
  assert_urls (list, expected);
  g_assert_cmpstr (find_rejected (list, fifo_uri), ==, "A pipe, not a text file of links");
  g_assert_cmpstr (find_rejected (list, fifo_link_uri), ==, "A pipe, not a text file of links");
  g_assert_cmpstr (find_rejected (list, "file:///dev/zero"), ==,
                   "A device, not a text file of links");
  g_assert_cmpuint (list->rejected->len, ==, 3);

  /* Nobody opened the FIFO: its writer still waits for a reader. */
  g_usleep (200 * 1000);
  g_assert_cmpint (g_atomic_int_get (&writer.opened), ==, 0);

  fd = open (fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_thread_join (thread);
  g_assert_cmpint (g_atomic_int_get (&writer.opened), ==, 1);
  close (fd);
}

static void
parse_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  HaulLinkList **list = user_data;
  g_autoptr(GError) error = NULL;

  *list = haul_link_parse_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*list);
}

static void
test_local_file_async (FileFixture   *fixture,
                       gconstpointer  data)
{
  g_autofree char *payload = local_files_payload (fixture);
  g_autoptr(GBytes) bytes = g_bytes_new (payload, strlen (payload));
  g_autoptr(HaulLinkList) list = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  haul_link_parse_async ("text/uri-list", bytes, NULL, NULL, parse_done_cb, &list);
  while (list == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  g_assert_nonnull (list);
  assert_local_files (fixture, list);
}

static void
cancelled_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  HaulLinkList *list = haul_link_parse_finish (result, &error);

  g_assert_null (list);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *done = TRUE;
}

static void
test_async_cancelled (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("https://a.example/", 18);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean done = FALSE;

  g_cancellable_cancel (cancellable);
  haul_link_parse_async (NULL, bytes, NULL, cancellable, cancelled_cb, &done);
  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  g_assert_true (done);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/haul/link-parser/uri-list/local-files", FileFixture, NULL,
              file_fixture_setup, test_local_file, file_fixture_teardown);
  g_test_add ("/haul/link-parser/uri-list/local-files-async", FileFixture, NULL,
              file_fixture_setup, test_local_file_async, file_fixture_teardown);
  g_test_add ("/haul/link-parser/uri-list/partials", FileFixture, NULL,
              file_fixture_setup, test_partials, file_fixture_teardown);
  g_test_add ("/haul/link-parser/uri-list/special-files", FileFixture, NULL,
              file_fixture_setup, test_special_files, file_fixture_teardown);
  g_test_add_func ("/haul/link-parser/async/cancelled", test_async_cancelled);

  return g_test_run ();
}
