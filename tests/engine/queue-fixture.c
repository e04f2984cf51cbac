/* queue-fixture.c: what the queue tests share
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-download-private.h"
#include "haul-queue-private.h"
#include "queue-fixture.h"

/* Bounded waits ---------------------------------------------------------- */

typedef struct
{
  HaulQueue         *queue;
  HaulDownloadState  state;
  guint              n;
} CountWait;

guint
count_state (HaulQueue         *queue,
             HaulDownloadState  state)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (queue));
  guint n = 0;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (G_LIST_MODEL (queue), i);

      if (haul_download_get_state (download) == state)
        n++;
    }
  return n;
}

static gboolean
count_at_least (gpointer data)
{
  CountWait *wait = data;
  return count_state (wait->queue, wait->state) >= wait->n;
}

gboolean
wait_count (HaulQueue         *queue,
            HaulDownloadState  state,
            guint              n,
            guint              timeout_ms)
{
  CountWait wait = { queue, state, n };
  return haul_test_wait_for (count_at_least, &wait, timeout_ms);
}

gboolean
wait_all (HaulQueue         *queue,
          HaulDownloadState  state,
          guint              timeout_ms)
{
  return wait_count (queue, state, g_list_model_get_n_items (G_LIST_MODEL (queue)), timeout_ms);
}

gboolean
server_max_at_least (gpointer data)
{
  ServerWait *wait = data;
  return haul_test_server_get_max_concurrent (wait->server) >= wait->n;
}

guint
count_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (handle);
  while (g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

typedef struct
{
  const char *dir;
  guint       n;
} FilesWait;

static gboolean
files_are (gpointer data)
{
  FilesWait *wait = data;
  return count_files (wait->dir) == wait->n;
}

gboolean
wait_files (const char *dir,
            guint       n,
            guint       timeout_ms)
{
  FilesWait wait = { dir, n };
  return haul_test_wait_for (files_are, &wait, timeout_ms);
}

/* Fixture ---------------------------------------------------------------- */

static void
on_finished (HaulQueue    *queue,
             HaulDownload *download,
             Fixture      *fixture)
{
  g_assert_true (haul_download_get_state (download) == HAUL_DOWNLOAD_COMPLETED ||
                 haul_download_get_state (download) == HAUL_DOWNLOAD_FAILED);
  fixture->n_finished++;
}

static void
on_n_active (HaulQueue  *queue,
             GParamSpec *pspec,
             Fixture    *fixture)
{
  fixture->n_active_notifies++;
}

static void
on_state (HaulDownload *download,
          GParamSpec   *pspec,
          Fixture      *fixture)
{
  HaulDownloadState state = haul_download_get_state (download);
  g_array_append_val (fixture->states, state);
}

HaulDownloadState
state_at (Fixture *fixture,
          guint    i)
{
  return g_array_index (fixture->states, HaulDownloadState, i);
}

void
watch_states (Fixture      *fixture,
              HaulDownload *download)
{
  g_signal_connect (download, "notify::state", G_CALLBACK (on_state), fixture);
}

void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *log)
{
  guint entry[3] = { position, removed, added };
  g_array_append_vals (log, entry, 3);
}

void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = haul_test_server_new ();
  fixture->dir = haul_test_make_tmpdir ();
  fixture->queue = haul_queue_new (NULL);
  /* The queue's own behaviour, one connection each: several connections
   * per download have their own tests (test-segments.c). */
  g_object_set (fixture->queue, "connections-per-download", 1, NULL);
  fixture->states = g_array_new (FALSE, FALSE, sizeof (HaulDownloadState));
  g_signal_connect (fixture->queue, "download-finished", G_CALLBACK (on_finished), fixture);
  g_signal_connect (fixture->queue, "notify::n-active", G_CALLBACK (on_n_active), fixture);
}

void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  /* However many downloads ran, one flush source at most was pending. */
  g_assert_cmpuint (haul_queue_get_max_pending_idle (fixture->queue), <=, 1);

  haul_queue_shutdown (fixture->queue);
  /* A GTask thread (adopting, a new address) may hold it a moment longer. */
  haul_test_wait_last_ref (fixture->queue);
  g_assert_finalize_object (fixture->queue);
  /* Partial files are removed from threads: let them finish. */
  haul_test_spin_for (50);
  haul_test_server_free (fixture->server);
  haul_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_array_unref (fixture->states);
}

void
assert_file (Fixture      *fixture,
             HaulDownload *download,
             GBytes       *expected)
{
  g_autofree char *path = haul_download_dup_path (download);

  g_assert_nonnull (path);
  g_assert_true (g_str_has_prefix (path, fixture->dir));
  g_assert_true (haul_test_file_equals (path, expected));
}

HaulDownload *
add (Fixture    *fixture,
     const char *path)
{
  return haul_test_queue_add (fixture->queue, fixture->server, path, fixture->dir);
}

GBytes *
serve (Fixture    *fixture,
       const char *path,
       gsize       size,
       guint64     bytes_per_second)
{
  HaulTestFileOptions options = { 0 };
  GBytes *body = haul_test_make_bytes (size, g_str_hash (path));

  options.etag = "\"v1\"";
  options.bytes_per_second = bytes_per_second;
  haul_test_server_add_file (fixture->server, path, body, &options);
  return body;
}
