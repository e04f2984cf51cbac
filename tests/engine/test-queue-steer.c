/* test-queue-steer.c: holding the queue, its order, Start Now, duplicates
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HaulQueue against a real local server and a real store: what a person
 * steering the queue relies on (haul-queue-steer.c), and the index of
 * addresses that finds a duplicate (haul-queue-intake.c).
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "haul-builtin-engine.h"
#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-queue-private.h"
#include "haul-store.h"
#include "haul-test-server.h"

#define KiB 1024

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (haul_queue_check_files_finish (HAUL_QUEUE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* haul_queue_check_files_async() on one download, waited for. */
static void
check_file (HaulQueue    *queue,
            HaulDownload *download)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  gboolean done = FALSE;

  g_ptr_array_add (list, download);
  haul_queue_check_files_async (queue, list, NULL, checked_cb, &done);
  g_assert_true (haul_test_spin_until (&done, 5000));
}

/* Fixture ---------------------------------------------------------------- */

typedef struct
{
  HaulTestServer *server;
  char           *dir;
  char           *db_path;
  HaulStore      *store;
  HaulQueue      *queue;
  GPtrArray      *started;    /* HaulDownload (unowned), in the order they connected */
} Fixture;

static void
on_state (HaulDownload *download,
          GParamSpec   *pspec,
          Fixture      *fixture)
{
  if (haul_download_get_state (download) == HAUL_DOWNLOAD_CONNECTING)
    g_ptr_array_add (fixture->started, download);
}

static void
open_queue (Fixture  *fixture,
            gboolean  held)
{
  g_autoptr(GError) error = NULL;

  fixture->store = haul_store_new (fixture->db_path, &error);
  g_assert_no_error (error);
  fixture->queue = haul_queue_new (fixture->store);
  g_object_set (fixture->queue, "connections-per-download", 1, "held", held, NULL);
  g_assert_true (haul_queue_restore (fixture->queue, &error));
  g_assert_no_error (error);
}

static void
close_queue (Fixture *fixture)
{
  haul_queue_shutdown (fixture->queue);
  g_assert_finalize_object (g_steal_pointer (&fixture->queue));
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = haul_test_server_new ();
  fixture->dir = haul_test_make_tmpdir ();
  fixture->db_path = g_build_filename (fixture->dir, "data", "downloads.db", NULL);
  fixture->started = g_ptr_array_new ();
  open_queue (fixture, FALSE);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->queue != NULL)
    close_queue (fixture);
  haul_test_spin_for (50);
  haul_test_server_free (fixture->server);
  haul_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db_path);
  g_ptr_array_unref (fixture->started);
}

static GBytes *
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

static HaulDownload *
add (Fixture    *fixture,
     const char *path)
{
  HaulDownload *download = haul_test_queue_add (fixture->queue, fixture->server, path,
                                                fixture->dir);

  g_signal_connect (download, "notify::state", G_CALLBACK (on_state), fixture);
  return download;
}

static HaulDownload *
item (Fixture *fixture,
      guint    position)
{
  return haul_queue_peek (fixture->queue, position);
}

static void
assert_file (Fixture      *fixture,
             HaulDownload *download,
             GBytes       *expected)
{
  g_autofree char *path = haul_download_dup_path (download);

  g_assert_nonnull (path);
  g_assert_true (haul_test_file_equals (path, expected));
}

/* The file names of the list, in order: "c a b". */
static char *
order_of (HaulQueue *queue)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < haul_queue_get_length (queue); i++)
    {
      const char *uri = haul_download_get_uri (haul_queue_peek (queue, i));

      g_string_append_printf (text, "%s%s", i > 0 ? " " : "", strrchr (uri, '/') + 1);
    }
  return g_string_free (text, FALSE);
}

/* Holding the queue -------------------------------------------------------- */

/* Held: what ran stops with its bytes and waits in its place; nothing
 * starts, added or not, for as long as it is held; Start Now starts one;
 * let go, the others go on from their bytes, in order, byte-exact. */
static void
test_hold (Fixture       *fixture,
           gconstpointer  data)
{
  enum { N = 4 };
  GBytes *bodies[N + 1];
  HaulDownload *downloads[N + 1];
  guint requests_held;
  g_autofree char *headers = NULL;

  haul_queue_set_max_active (fixture->queue, 2);
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/hold/f%u.bin", i);

      bodies[i] = serve (fixture, path, 384 * KiB, 128 * KiB);
      downloads[i] = add (fixture, path);
    }
  for (guint i = 0; i < 2; i++)
    g_assert_true (haul_test_wait_received (downloads[i], 64 * KiB, 10000));
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, N);

  haul_queue_set_held (fixture->queue, TRUE);
  g_assert_true (haul_queue_get_held (fixture->queue));
  for (guint i = 0; i < 2; i++)
    g_assert_true (haul_test_wait_state (downloads[i], HAUL_DOWNLOAD_QUEUED, 5000));
  g_assert_true (haul_test_wait_server_idle (fixture->server, 5000));
  /* Nothing will move bytes: nothing counts as active (suspend, quit). */
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpint (haul_download_get_confirmed (downloads[i]), >, 0);
      g_assert_nonnull (haul_download_get_partial_path (downloads[i]));
    }

  /* Held it stays: added ones wait too, in order after the others. */
  g_bytes_unref (serve (fixture, "/hold/late.bin", 16 * KiB, 0));
  downloads[N] = add (fixture, "/hold/late.bin");
  bodies[N] = NULL;
  requests_held = haul_test_server_get_n_requests (fixture->server, "/hold/f2.bin")
                  + haul_test_server_get_n_requests (fixture->server, "/hold/late.bin");
  haul_test_spin_for (600);
  for (guint i = 0; i <= N; i++)
    g_assert_cmpint (haul_download_get_state (downloads[i]), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/hold/f2.bin")
                    + haul_test_server_get_n_requests (fixture->server, "/hold/late.bin"), ==,
                    requests_held);
  for (guint i = 0; i <= N; i++)
    g_assert_true (item (fixture, i) == downloads[i]);

  /* Start Now starts one, held or not; the rest stay where they are. */
  haul_queue_start_now (fixture->queue, downloads[N]);
  g_assert_true (haul_test_wait_state (downloads[N], HAUL_DOWNLOAD_COMPLETED, 10000));
  for (guint i = 0; i < N; i++)
    g_assert_cmpint (haul_download_get_state (downloads[i]), ==, HAUL_DOWNLOAD_QUEUED);

  haul_queue_set_held (fixture->queue, FALSE);
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, N);
  for (guint i = 0; i < N; i++)
    g_assert_true (haul_test_wait_state (downloads[i], HAUL_DOWNLOAD_COMPLETED, 20000));
  for (guint i = 0; i < N; i++)
    {
      assert_file (fixture, downloads[i], bodies[i]);
      g_bytes_unref (bodies[i]);
    }
  /* The held ones went on from their bytes. */
  headers = haul_test_server_get_last_request_headers (fixture->server, "/hold/f0.bin");
  g_assert_nonnull (strstr (headers, "Range: bytes="));
  /* In list order: the two that ran, then the late one (Start Now), then the others. */
  g_assert_cmpuint (fixture->started->len, >=, N + 1);
  g_assert_true (g_ptr_array_index (fixture->started, 2) == downloads[N]);
  g_assert_true (g_ptr_array_index (fixture->started, 3) == downloads[0]
                 || g_ptr_array_index (fixture->started, 3) == downloads[1]);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *n)
{
  (*n)++;
}

/* Paused downloads stay paused through a hold; :held is notified once per
 * change, never for a change that is none. */
static void
test_hold_keeps_paused (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GBytes) body = serve (fixture, "/p/slow.bin", 256 * KiB, 64 * KiB);
  HaulDownload *download;
  guint n_held = 0;

  g_signal_connect (fixture->queue, "notify::held", G_CALLBACK (on_notify), &n_held);
  download = add (fixture, "/p/slow.bin");
  g_assert_true (haul_test_wait_received (download, 16 * KiB, 10000));
  haul_queue_pause (fixture->queue, download);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_PAUSED, 5000));

  haul_queue_set_held (fixture->queue, TRUE);
  haul_queue_set_held (fixture->queue, TRUE);
  g_object_set (fixture->queue, "held", TRUE, NULL);
  g_assert_cmpuint (n_held, ==, 1);
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_PAUSED);
  haul_queue_set_held (fixture->queue, FALSE);
  g_assert_cmpuint (n_held, ==, 2);
  haul_test_spin_for (200);
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_PAUSED);

  /* Resumed while held: it waits, in its place, until Start Now or release. */
  haul_queue_set_held (fixture->queue, TRUE);
  haul_queue_resume (fixture->queue, download);
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_QUEUED);
  haul_test_spin_for (200);
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_QUEUED);
  haul_queue_set_held (fixture->queue, FALSE);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 15000));
  assert_file (fixture, download, body);
}

/* Held at start-up (the setting is restored before the queue): what was
 * running comes back queued and waits. */
static void
test_hold_survives_restart (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GBytes) body = serve (fixture, "/r/big.bin", 512 * KiB, 128 * KiB);
  HaulDownload *download = add (fixture, "/r/big.bin");
  guint requests;

  g_assert_true (haul_test_wait_received (download, 32 * KiB, 10000));
  close_queue (fixture);
  requests = haul_test_server_get_n_requests (fixture->server, "/r/big.bin");

  open_queue (fixture, TRUE);
  download = item (fixture, 0);
  haul_test_spin_for (500);
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/r/big.bin"), ==, requests);
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 0);

  haul_queue_set_held (fixture->queue, FALSE);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 15000));
  assert_file (fixture, download, body);
}

/* Order ----------------------------------------------------------------- */

/* Moves put a download where it was asked to be; downloads start in that
 * order; the order comes back after a restart. */
static void
test_move_and_order (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *names[] = { "a", "b", "c", "d", "e" };
  HaulDownload *d[G_N_ELEMENTS (names)];
  g_autofree char *order = NULL;
  g_autofree char *restored = NULL;

  haul_queue_set_held (fixture->queue, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_strconcat ("/o/", names[i], NULL);

      g_bytes_unref (serve (fixture, path, 8 * KiB, 0));
      d[i] = add (fixture, path);
    }

  haul_queue_move_before (fixture->queue, d[4], d[0]);   /* e a b c d */
  haul_queue_move_after (fixture->queue, d[0], d[2]);    /* e b c a d */
  haul_queue_move_before (fixture->queue, d[1], NULL);   /* e c a d b */
  haul_queue_move_after (fixture->queue, d[3], NULL);    /* d e c a b */
  haul_queue_move (fixture->queue, d[2], 99);            /* d e a b c */
  haul_queue_move_before (fixture->queue, d[2], d[2]);   /* nothing */
  order = order_of (fixture->queue);
  g_assert_cmpstr (order, ==, "d e a b c");

  close_queue (fixture);
  open_queue (fixture, TRUE);
  restored = order_of (fixture->queue);
  g_assert_cmpstr (restored, ==, "d e a b c");

  /* One at a time, in that order. */
  haul_queue_set_max_active (fixture->queue, 1);
  for (guint i = 0; i < haul_queue_get_length (fixture->queue); i++)
    g_signal_connect (item (fixture, i), "notify::state", G_CALLBACK (on_state), fixture);
  haul_queue_set_held (fixture->queue, FALSE);
  for (guint i = 0; i < haul_queue_get_length (fixture->queue); i++)
    g_assert_true (haul_test_wait_state (item (fixture, i), HAUL_DOWNLOAD_COMPLETED, 10000));
  g_assert_cmpuint (fixture->started->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_true (g_ptr_array_index (fixture->started, i) == item (fixture, i));
}

/* A hundred and one moves into the same gap use up the numbers between two
 * neighbours: the list is numbered again, and the order still holds and
 * still comes back. */
static void
test_move_renumbers (Fixture       *fixture,
                     gconstpointer  data)
{
  enum { N = 6, MOVES = 101 };
  HaulDownload *d[N];
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  haul_queue_set_held (fixture->queue, TRUE);
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/n/%u", i);

      d[i] = add (fixture, path);
    }
  /* Each time the last one goes between the first two: 0 L 1 2 … */
  for (guint i = 0; i < MOVES; i++)
    haul_queue_move_after (fixture->queue, item (fixture, N - 1), item (fixture, 0));
  for (guint i = 1; i < N; i++)
    g_assert_cmpfloat (haul_download_get_position (item (fixture, i - 1)), <,
                       haul_download_get_position (item (fixture, i)));
  before = order_of (fixture->queue);
  g_test_message ("after %u moves: %s", MOVES, before);

  close_queue (fixture);
  open_queue (fixture, TRUE);
  after = order_of (fixture->queue);
  g_assert_cmpstr (after, ==, before);
  (void) d;
}

/* The index of addresses ---------------------------------------------------- */

/* Found by any form of the address, newest first; follows removal, undo
 * and a restart; a completed one whose file is gone is no duplicate. */
static void
test_find_uri (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GBytes) body = serve (fixture, "/u/file.iso", 8 * KiB, 0);
  g_autofree char *uri = haul_test_server_uri (fixture->server, "/u/file.iso");
  g_autofree char *shouted = NULL;
  g_autofree char *with_password = NULL;
  g_autofree char *with_fragment = NULL;
  g_autofree char *path = NULL;
  HaulDownload *first;
  HaulDownload *again;

  g_assert_null (haul_queue_find_uri (fixture->queue, uri));
  first = add (fixture, "/u/file.iso");
  g_assert_true (haul_test_wait_state (first, HAUL_DOWNLOAD_COMPLETED, 10000));

  shouted = g_strdup_printf ("HTTP://127.0.0.1:%s", strstr (uri + 7, ":") + 1);
  with_password = g_strdup_printf ("http://me:secret@%s", uri + 7);
  with_fragment = g_strconcat (uri, "#part", NULL);
  g_assert_true (haul_queue_find_uri (fixture->queue, uri) == first);
  g_assert_true (haul_queue_find_uri (fixture->queue, shouted) == first);
  g_assert_true (haul_queue_find_uri (fixture->queue, with_password) == first);
  g_assert_true (haul_queue_find_uri (fixture->queue, with_fragment) == first);
  g_assert_null (haul_queue_find_uri (fixture->queue, "not a link"));
  g_assert_true (haul_queue_find_duplicate (fixture->queue, uri) == first);

  /* Download Again: two of them, the newest found first. */
  again = add (fixture, "/u/file.iso");
  g_assert_true (haul_queue_find_uri (fixture->queue, uri) == again);
  haul_queue_remove (fixture->queue, again);
  g_assert_true (haul_queue_find_uri (fixture->queue, uri) == first);
  g_assert_true (haul_queue_undo (fixture->queue, again));
  g_assert_true (haul_queue_find_uri (fixture->queue, uri) == again);
  g_assert_true (haul_test_wait_state (again, HAUL_DOWNLOAD_COMPLETED, 10000));
  haul_queue_remove (fixture->queue, again);
  haul_queue_discard (fixture->queue, again);
  haul_queue_remove (fixture->queue, first);
  g_assert_null (haul_queue_find_uri (fixture->queue, uri));
  g_assert_true (haul_queue_undo (fixture->queue, first));
  g_assert_true (haul_queue_find_uri (fixture->queue, uri) == first);

  /* After a restart, from the store. */
  close_queue (fixture);
  open_queue (fixture, FALSE);
  first = haul_queue_find_uri (fixture->queue, shouted);
  g_assert_nonnull (first);
  g_assert_cmpuint (haul_queue_get_length (fixture->queue), ==, 1);

  /* Its file gone (and found gone): adding it again is no duplicate. */
  path = haul_download_dup_path (first);
  g_assert_cmpint (g_unlink (path), ==, 0);
  check_file (fixture->queue, first);
  g_assert_true (haul_download_get_file_missing (first));
  g_assert_null (haul_queue_find_duplicate (fixture->queue, uri));
  g_assert_true (haul_queue_find_uri (fixture->queue, uri) == first);

  /* Put back, it is found again. */
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (body, NULL),
                                      g_bytes_get_size (body), NULL));
  check_file (fixture->queue, first);
  g_assert_false (haul_download_get_file_missing (first));
  g_assert_true (haul_queue_find_duplicate (fixture->queue, uri) == first);
}

/* Many links at once: those in the list are reported, not added; a link
 * twice in the batch is added once, without a question. */
static void
test_add_many_duplicates (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *a = haul_test_server_uri (fixture->server, "/m/a");
  g_autofree char *b = haul_test_server_uri (fixture->server, "/m/b");
  g_autofree char *c = haul_test_server_uri (fixture->server, "/m/c");
  g_autofree char *b_upper = NULL;
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GPtrArray) duplicates = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  haul_queue_set_held (fixture->queue, TRUE);
  add (fixture, "/m/a");
  add (fixture, "/m/b");
  b_upper = g_strdup_printf ("HTTP://%s", b + 7);

  {
    const char *uris[] = { a, c, b_upper, c, "ftp://no", NULL };

    added = haul_queue_add_many_full (fixture->queue, uris, fixture->dir, NULL, &duplicates,
                                      &error);
  }
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL);
  g_assert_cmpuint (added->len, ==, 1);
  g_assert_cmpstr (haul_download_get_uri (g_ptr_array_index (added, 0)), ==, c);
  g_assert_cmpuint (duplicates->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (duplicates, 0), ==, a);
  g_assert_cmpstr (g_ptr_array_index (duplicates, 1), ==, b_upper);
  g_assert_cmpuint (haul_queue_get_length (fixture->queue), ==, 3);

  /* Download Again for them: added as asked, the old ones stay. */
  {
    g_ptr_array_add (duplicates, NULL);
    all = haul_queue_add_many (fixture->queue, (const char * const *) duplicates->pdata,
                               fixture->dir, NULL, NULL);
  }
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpuint (haul_queue_get_length (fixture->queue), ==, 5);
  g_assert_true (haul_queue_find_uri (fixture->queue, a) == g_ptr_array_index (all, 0));
}

/* 20,000 links in the list: looking one up costs what a hash lookup costs,
 * and a batch of 20,000 duplicates is reported in one pass. */
static void
test_index_scale (Fixture       *fixture,
                  gconstpointer  data)
{
  enum { N = 20000 };
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) duplicates = NULL;
  gint64 start;
  gint64 lookups_us;
  gint64 batch_us;

  haul_queue_set_held (fixture->queue, TRUE);
  for (guint i = 0; i < N; i++)
    g_ptr_array_add (uris, g_strdup_printf ("http://127.0.0.1:1/scale/%u.bin", i));
  g_ptr_array_add (uris, NULL);
  added = haul_queue_add_many (fixture->queue, (const char * const *) uris->pdata, fixture->dir,
                               NULL, NULL);
  g_assert_cmpuint (added->len, ==, N);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N; i++)
    g_assert_true (haul_queue_find_uri (fixture->queue, g_ptr_array_index (uris, i))
                   == g_ptr_array_index (added, i));
  lookups_us = g_get_monotonic_time () - start;

  start = g_get_monotonic_time ();
  again = haul_queue_add_many_full (fixture->queue, (const char * const *) uris->pdata,
                                    fixture->dir, NULL, &duplicates, NULL);
  batch_us = g_get_monotonic_time () - start;
  g_assert_cmpuint (again->len, ==, 0);
  g_assert_cmpuint (duplicates->len, ==, N);

  g_test_message ("%u lookups in %.1f ms; %u duplicates reported in %.1f ms", N,
                  lookups_us / 1000.0, N, batch_us / 1000.0);
  /* A walk of the list for each would take seconds. */
  g_assert_cmpint (lookups_us, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (batch_us, <, 2 * G_USEC_PER_SEC);
}

/* Full: the flushes of the running downloads do not walk the waiting
 * ones (a walk per flush made a long queue quadratic); Start Now still
 * finds its download at once. */
#define N_WAITING 300

static guint64
schedule_steps (Fixture *fixture)
{
  return haul_builtin_engine_get_n_schedule_steps (
    HAUL_BUILTIN_ENGINE (haul_queue_get_engine (fixture->queue)));
}

static void
test_full_no_walk (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GBytes) slow0 = serve (fixture, "/full/slow0.bin", 96 * KiB, 48 * KiB);
  g_autoptr(GBytes) slow1 = serve (fixture, "/full/slow1.bin", 96 * KiB, 48 * KiB);
  g_autoptr(GBytes) small = serve (fixture, "/full/small.bin", KiB, 0);
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GError) error = NULL;
  HaulDownload *running[2];
  guint flushes;
  guint64 steps;

  haul_queue_set_max_active (fixture->queue, 2);
  running[0] = add (fixture, "/full/slow0.bin");
  running[1] = add (fixture, "/full/slow1.bin");
  for (guint i = 0; i < N_WAITING; i++)
    g_ptr_array_add (uris, haul_test_server_uri (fixture->server, "/full/small.bin"));
  g_ptr_array_add (uris, NULL);
  waiting = haul_queue_add_many (fixture->queue, (const char * const *) uris->pdata,
                                 fixture->dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (waiting->len, ==, N_WAITING);

  for (guint i = 0; i < 2; i++)
    g_assert_true (haul_test_wait_received (running[i], 8 * KiB, 10000));
  flushes = haul_queue_get_n_flushes (fixture->queue);
  steps = schedule_steps (fixture);
  haul_test_spin_for (400);
  g_assert_cmpint (haul_download_get_state (running[0]), ==, HAUL_DOWNLOAD_DOWNLOADING);
  /* Progress was flushed meanwhile, and nobody walked the list. */
  g_assert_cmpuint (haul_queue_get_n_flushes (fixture->queue), >, flushes + 2);
  g_assert_cmpuint (schedule_steps (fixture), ==, steps);
  for (guint i = 0; i < N_WAITING; i++)
    g_assert_cmpint (haul_download_get_state (g_ptr_array_index (waiting, i)), ==,
                     HAUL_DOWNLOAD_QUEUED);

  haul_queue_start_now (fixture->queue, g_ptr_array_index (waiting, N_WAITING - 1));
  g_assert_true (haul_test_wait_state (g_ptr_array_index (waiting, N_WAITING - 1),
                                       HAUL_DOWNLOAD_COMPLETED, 10000));
  g_assert_cmpint (haul_download_get_state (g_ptr_array_index (waiting, 0)), ==,
                   HAUL_DOWNLOAD_QUEUED);
}

/* ::download-state-changed: one handler sees every change of every
 * download of the list, with the state it left, in order; a download
 * removed from the list is no longer reported. */
typedef struct
{
  HaulDownload *download;
  GArray       *states;  /* guint pairs: old, new */
  guint         others;
} StateLog;

static void
state_changed_cb (HaulQueue    *queue,
                  HaulDownload *download,
                  guint         old_state,
                  StateLog     *log)
{
  guint new_state = haul_download_get_state (download);

  if (download != log->download)
    {
      log->others++;
      return;
    }
  g_assert_cmpuint (old_state, !=, new_state);
  g_array_append_val (log->states, old_state);
  g_array_append_val (log->states, new_state);
}

static void
test_state_changed (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) body = serve (fixture, "/state/slow.bin", 256 * KiB, 128 * KiB);
  StateLog log = { NULL, g_array_new (FALSE, FALSE, sizeof (guint)), 0 };
  gulong handler;

  handler = g_signal_connect (fixture->queue, "download-state-changed",
                              G_CALLBACK (state_changed_cb), &log);
  log.download = add (fixture, "/state/slow.bin");
  g_assert_true (haul_test_wait_received (log.download, 16 * KiB, 10000));
  haul_queue_pause (fixture->queue, log.download);
  g_assert_true (haul_test_wait_state (log.download, HAUL_DOWNLOAD_PAUSED, 5000));
  haul_queue_resume (fixture->queue, log.download);
  g_assert_true (haul_test_wait_state (log.download, HAUL_DOWNLOAD_COMPLETED, 20000));

  /* Each change left the state the one before reached, from queued to
   * completed, with the pause between. */
  g_assert_cmpuint (log.states->len, >=, 2 * 5);
  g_assert_cmpuint (g_array_index (log.states, guint, 0), ==, HAUL_DOWNLOAD_QUEUED);
  for (guint i = 2; i < log.states->len; i += 2)
    g_assert_cmpuint (g_array_index (log.states, guint, i), ==,
                      g_array_index (log.states, guint, i - 1));
  g_assert_cmpuint (g_array_index (log.states, guint, log.states->len - 1), ==,
                    HAUL_DOWNLOAD_COMPLETED);
  {
    gboolean paused = FALSE;

    for (guint i = 1; i < log.states->len; i += 2)
      paused |= g_array_index (log.states, guint, i) == HAUL_DOWNLOAD_PAUSED;
    g_assert_true (paused);
  }
  g_assert_cmpuint (log.others, ==, 0);

  /* Out of the list: its changes are nobody's business here. */
  {
    g_autoptr(HaulDownload) hold = g_object_ref (log.download);
    guint n = log.states->len;

    haul_queue_remove (fixture->queue, log.download);
    haul_queue_set_state (fixture->queue, log.download, HAUL_DOWNLOAD_FAILED);
    g_assert_cmpuint (log.states->len, ==, n);
  }

  g_signal_handler_disconnect (fixture->queue, handler);
  g_array_unref (log.states);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/queue-steer/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)
  ADD ("hold", test_hold);
  ADD ("hold-keeps-paused", test_hold_keeps_paused);
  ADD ("hold-survives-restart", test_hold_survives_restart);
  ADD ("move-and-order", test_move_and_order);
  ADD ("move-renumbers", test_move_renumbers);
  ADD ("find-uri", test_find_uri);
  ADD ("add-many-duplicates", test_add_many_duplicates);
  ADD ("index-scale", test_index_scale);
  ADD ("full-no-walk", test_full_no_walk);
  ADD ("state-changed", test_state_changed);
#undef ADD

  return g_test_run ();
}
