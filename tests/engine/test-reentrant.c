/* test-reentrant.c: handlers that remove the download they are told about
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 8, item 10: the engine used a download's bookkeeping after
 * emitting notifications whose handlers may free it. Each test removes
 * downloads from inside a handler, at one moment of their lives; run
 * under AddressSanitizer (`./build-aux/dev test`) a use of freed memory
 * aborts it.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-queue-private.h"
#include "haul-test-server.h"

#define KiB 1024
#define MiB (1024 * 1024)
#define N_SMALL 12

typedef struct
{
  HaulTestServer    *server;
  char              *dir;
  char              *folder;
  char              *db_path;
  HaulStore         *store;
  HaulQueue         *queue;
  GPtrArray         *downloads;  /* (owned) refs, to look at after their removal */
  GPtrArray         *bodies;     /* (owned) GBytes, by download */
  HaulDownloadState  when;       /* remove on reaching this state */
  guint              n_removed;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = haul_test_server_new ();
  f->dir = haul_test_make_tmpdir ();
  f->folder = g_build_filename (f->dir, "Downloads", NULL);
  f->db_path = g_build_filename (f->dir, "downloads.db", NULL);
  g_assert_cmpint (g_mkdir (f->folder, 0700), ==, 0);
  f->store = haul_store_new (f->db_path, &error);
  g_assert_no_error (error);
  f->queue = haul_queue_new (f->store);
  g_object_set (f->queue, "max-active", 4, NULL);
  f->downloads = g_ptr_array_new_with_free_func (g_object_unref);
  f->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->queue != NULL)
    {
      haul_queue_shutdown (f->queue);
      g_assert_finalize_object (f->queue);
    }
  g_clear_object (&f->store);
  g_ptr_array_unref (f->downloads);
  g_ptr_array_unref (f->bodies);
  haul_test_server_free (f->server);
  haul_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->folder);
  g_free (f->db_path);
}

static void
removed_one (Fixture *f)
{
  f->n_removed++;
}

static void
remove_on_finished_cb (HaulQueue    *queue,
                       HaulDownload *download,
                       Fixture      *f)
{
  if (!haul_queue_contains (queue, download))
    return;
  haul_queue_remove (queue, download);
  removed_one (f);
}

static void
remove_on_state_cb (HaulDownload *download,
                    GParamSpec   *pspec,
                    Fixture      *f)
{
  if (haul_download_get_state (download) != f->when || !haul_queue_contains (f->queue, download))
    return;
  haul_queue_remove (f->queue, download);
  removed_one (f);
}

/* Progress handlers remove too: a notify in the middle of the engine's
 * flush, not only at a change of state. */
static void
remove_on_received_cb (HaulDownload *download,
                       GParamSpec   *pspec,
                       Fixture      *f)
{
  if (haul_download_get_received (download) == 0 || !haul_queue_contains (f->queue, download))
    return;
  haul_queue_remove (f->queue, download);
  removed_one (f);
}

static HaulDownload *
add_file (Fixture                   *f,
          const char                *path,
          gsize                      size,
          const HaulTestFileOptions *options)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (size, f->downloads->len + 1);
  g_autofree char *uri = haul_test_server_uri (f->server, path);
  g_autoptr(GError) error = NULL;
  HaulDownload *download;

  if (options != (gpointer) -1)
    haul_test_server_add_file (f->server, path, body, options);
  download = haul_queue_add (f->queue, uri, f->folder, &error);
  g_assert_no_error (error);
  g_ptr_array_add (f->downloads, g_object_ref (download));
  g_ptr_array_add (f->bodies, g_steal_pointer (&body));
  return download;
}

/* Small files (most of which end before a progress flush shows them
 * downloading), a large one on several connections, a throttled one, a
 * 404 and a 503. */
static void
add_mix (Fixture *f)
{
  HaulTestFileOptions ranged = { .etag = "\"r1\"" };
  HaulTestFileOptions slow = { .etag = "\"s1\"", .bytes_per_second = 2 * MiB };

  for (guint i = 0; i < N_SMALL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/small-%u.bin", i);

      add_file (f, path, 1 * KiB + i * 7 * KiB, NULL);
    }
  add_file (f, "/large.bin", 6 * MiB, &ranged);
  add_file (f, "/slow.bin", 1 * MiB, &slow);
  haul_test_server_add_status (f->server, "/missing", 404);
  add_file (f, "/missing", 0, (gpointer) -1);
  haul_test_server_add_status (f->server, "/busy", 503);
  add_file (f, "/busy", 0, (gpointer) -1);
}

/* After every removal: the list is empty, the runs end, and the store
 * forgets them all (no late save brings a row back). */
static void
assert_all_gone (Fixture *f)
{
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, 0);
  g_assert_cmpuint (haul_queue_get_n_active (f->queue), ==, 0);
  haul_queue_shutdown (f->queue);
  g_assert_finalize_object (g_steal_pointer (&f->queue));
  g_assert_true (haul_store_sync (f->store));
  g_clear_object (&f->store);

  f->store = haul_store_new (f->db_path, &error);
  g_assert_no_error (error);
  loaded = haul_store_load (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 0);
}

/* What a removed download left on disk: a completed file stays, byte
 * for byte; a partial was discarded at quit (the user removed it). */
static void
assert_disk (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (f->folder, 0, NULL);
  const char *name;

  for (guint i = 0; i < f->downloads->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (f->downloads, i);
      g_autofree char *path = haul_download_dup_path (download);

      if (haul_download_get_state (download) == HAUL_DOWNLOAD_COMPLETED)
        g_assert_true (haul_test_file_equals (path, g_ptr_array_index (f->bodies, i)));
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_suffix (name, ".part"));
}

/* Spins the main loop (at most 20 s) until @n downloads were removed. */
static void
spin_until_removed (Fixture *f,
                    guint    n)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (f->n_removed < n && g_get_monotonic_time () < deadline)
    {
      gboolean never = FALSE;

      haul_test_spin_until (&never, 50);
    }
}

static void
test_finished_removes (Fixture       *f,
                       gconstpointer  data)
{
  guint n_completed = 0;

  g_signal_connect (f->queue, "download-finished", G_CALLBACK (remove_on_finished_cb), f);
  add_mix (f);
  /* The 503 is retried with backoff and never finishes here: it is
   * taken out by hand once the others are gone. */
  spin_until_removed (f, f->downloads->len - 1);
  g_assert_cmpuint (f->n_removed, ==, f->downloads->len - 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, 1);
  haul_queue_remove (f->queue, g_ptr_array_index (f->downloads, f->downloads->len - 1));

  for (guint i = 0; i < f->downloads->len; i++)
    if (haul_download_get_state (g_ptr_array_index (f->downloads, i)) == HAUL_DOWNLOAD_COMPLETED)
      n_completed++;
  g_assert_cmpuint (n_completed, ==, N_SMALL + 2);
  assert_all_gone (f);
  assert_disk (f);
}

static void
test_state_removes (Fixture       *f,
                    gconstpointer  data)
{
  f->when = GPOINTER_TO_INT (data);
  add_mix (f);
  for (guint i = 0; i < f->downloads->len; i++)
    g_signal_connect (g_ptr_array_index (f->downloads, i), "notify::state",
                      G_CALLBACK (remove_on_state_cb), f);

  /* Those that never reach the state are removed by hand once the rest
   * did (a 404 never downloads, only the 503 waits as queued …). */
  {
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while (g_get_monotonic_time () < deadline)
      {
        gboolean never = FALSE;
        guint settled = 0;

        haul_test_spin_until (&never, 50);
        for (guint i = 0; i < f->downloads->len; i++)
          {
            HaulDownload *download = g_ptr_array_index (f->downloads, i);
            HaulDownloadState state = haul_download_get_state (download);

            if (!haul_queue_contains (f->queue, download)
                || state == HAUL_DOWNLOAD_COMPLETED || state == HAUL_DOWNLOAD_FAILED
                || haul_download_get_waiting (download) != HAUL_WAITING_NONE)
              settled++;
          }
        if (settled == f->downloads->len)
          break;
      }
  }
  g_test_message ("%u of %u removed by the handler", f->n_removed, f->downloads->len);
  g_assert_cmpuint (f->n_removed, >, 0);
  while (g_list_model_get_n_items (G_LIST_MODEL (f->queue)) > 0)
    {
      g_autoptr(HaulDownload) left = g_list_model_get_item (G_LIST_MODEL (f->queue), 0);

      haul_queue_remove (f->queue, left);
    }
  assert_all_gone (f);
  assert_disk (f);
}

static void
test_progress_removes (Fixture       *f,
                       gconstpointer  data)
{
  add_mix (f);
  for (guint i = 0; i < f->downloads->len; i++)
    g_signal_connect (g_ptr_array_index (f->downloads, i), "notify::received",
                      G_CALLBACK (remove_on_received_cb), f);
  /* All but the 404 and the 503 receive something. */
  spin_until_removed (f, f->downloads->len - 2);
  g_assert_cmpuint (f->n_removed, ==, f->downloads->len - 2);
  while (g_list_model_get_n_items (G_LIST_MODEL (f->queue)) > 0)
    {
      g_autoptr(HaulDownload) left = g_list_model_get_item (G_LIST_MODEL (f->queue), 0);

      haul_queue_remove (f->queue, left);
    }
  assert_all_gone (f);
  assert_disk (f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, state) \
  g_test_add ("/haul/engine/reentrant/" path, Fixture, GINT_TO_POINTER (state), fixture_setup, \
              func, fixture_teardown)
  ADD ("finished-removes", test_finished_removes, 0);
  ADD ("state-removes/connecting", test_state_removes, HAUL_DOWNLOAD_CONNECTING);
  ADD ("state-removes/downloading", test_state_removes, HAUL_DOWNLOAD_DOWNLOADING);
  ADD ("state-removes/completed", test_state_removes, HAUL_DOWNLOAD_COMPLETED);
  ADD ("state-removes/failed", test_state_removes, HAUL_DOWNLOAD_FAILED);
  ADD ("state-removes/queued-to-retry", test_state_removes, HAUL_DOWNLOAD_QUEUED);
  ADD ("progress-removes", test_progress_removes, 0);
#undef ADD

  return g_test_run ();
}
