/* test-queue.c: HaulQueue against real local servers
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "haul-builtin-engine.h"
#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-queue-private.h"
#include "haul-request.h"
#include "haul-retry.h"
#include "haul-store.h"
#include "haul-test-server.h"

#define KiB 1024
#define MiB (1024 * 1024)

/* Bounded waits ---------------------------------------------------------- */

typedef gboolean (*CondFunc) (gpointer data);

typedef struct
{
  CondFunc  cond;
  gpointer  data;
  gboolean  done;
} Poll;

static gboolean
poll_cb (gpointer user_data)
{
  Poll *poll = user_data;

  poll->done = poll->cond (poll->data);
  return G_SOURCE_CONTINUE;
}

/* Spins the main loop until @cond holds, at most @timeout_ms. */
static gboolean
wait_for (CondFunc  cond,
          gpointer  data,
          guint     timeout_ms)
{
  Poll poll = { cond, data, cond (data) };
  guint id;

  if (poll.done)
    return TRUE;
  id = g_timeout_add (5, poll_cb, &poll);
  haul_test_spin_until (&poll.done, timeout_ms);
  g_source_remove (id);
  return poll.done;
}

typedef struct
{
  HaulDownload      *download;
  HaulDownloadState  state;
  gint64             received;
} StateWait;

static gboolean
state_is (gpointer data)
{
  StateWait *wait = data;
  return haul_download_get_state (wait->download) == wait->state;
}

static gboolean
wait_state (HaulDownload      *download,
            HaulDownloadState  state,
            guint              timeout_ms)
{
  StateWait wait = { download, state, 0 };
  return wait_for (state_is, &wait, timeout_ms);
}

static gboolean
received_at_least (gpointer data)
{
  StateWait *wait = data;
  return haul_download_get_received (wait->download) >= wait->received;
}

static gboolean
wait_received (HaulDownload *download,
               gint64        received,
               guint         timeout_ms)
{
  StateWait wait = { download, 0, received };
  return wait_for (received_at_least, &wait, timeout_ms);
}

typedef struct
{
  HaulQueue         *queue;
  HaulDownloadState  state;
  guint              n;
} CountWait;

static guint
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

static gboolean
wait_count (HaulQueue         *queue,
            HaulDownloadState  state,
            guint              n,
            guint              timeout_ms)
{
  CountWait wait = { queue, state, n };
  return wait_for (count_at_least, &wait, timeout_ms);
}

static gboolean
wait_all (HaulQueue         *queue,
          HaulDownloadState  state,
          guint              timeout_ms)
{
  return wait_count (queue, state, g_list_model_get_n_items (G_LIST_MODEL (queue)), timeout_ms);
}

typedef struct
{
  HaulTestServer *server;
  guint           n;
} ServerWait;

static gboolean
server_max_at_least (gpointer data)
{
  ServerWait *wait = data;
  return haul_test_server_get_max_concurrent (wait->server) >= wait->n;
}

static gboolean
server_idle (gpointer data)
{
  ServerWait *wait = data;
  return haul_test_server_get_in_flight (wait->server) == 0;
}

static void
sleep_spinning (guint ms)
{
  gboolean never = FALSE;
  haul_test_spin_until (&never, ms);
}

/* Entries of @dir (files and partial files alike). */
static guint
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

static gboolean
wait_files (const char *dir,
            guint       n,
            guint       timeout_ms)
{
  FilesWait wait = { dir, n };
  return wait_for (files_are, &wait, timeout_ms);
}

static gboolean
file_missing_is_set (gpointer data)
{
  StateWait *wait = data;
  return haul_download_get_file_missing (wait->download);
}

/* Fixture ---------------------------------------------------------------- */

typedef struct
{
  HaulTestServer *server;
  char           *dir;
  HaulQueue      *queue;
  GArray         *states;      /* HaulDownloadState, from notify::state of watched downloads */
  guint           n_finished;  /* ::download-finished */
  guint           n_active_notifies;
} Fixture;

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

static HaulDownloadState
state_at (Fixture *fixture,
          guint    i)
{
  return g_array_index (fixture->states, HaulDownloadState, i);
}

static void
watch_states (Fixture      *fixture,
              HaulDownload *download)
{
  g_signal_connect (download, "notify::state", G_CALLBACK (on_state), fixture);
}

static void
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

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  /* However many downloads ran, one flush source at most was pending. */
  g_assert_cmpuint (haul_queue_get_max_pending_idle (fixture->queue), <=, 1);

  haul_queue_shutdown (fixture->queue);
  g_assert_finalize_object (fixture->queue);
  /* Partial files are removed from threads: let them finish. */
  sleep_spinning (50);
  haul_test_server_free (fixture->server);
  haul_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_array_unref (fixture->states);
}

static void
assert_file (Fixture      *fixture,
             HaulDownload *download,
             GBytes       *expected)
{
  g_autofree char *path = haul_download_dup_path (download);

  g_assert_nonnull (path);
  g_assert_true (g_str_has_prefix (path, fixture->dir));
  g_assert_true (haul_test_file_equals (path, expected));
}

static HaulDownload *
add (Fixture    *fixture,
     const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = haul_test_server_uri (fixture->server, path);
  HaulDownload *download;

  download = haul_queue_add (fixture->queue, uri, fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (download);
  return download;
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

/* Tests ------------------------------------------------------------------ */

static void
test_add_invalid (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *bad[] = { "ftp://x", "file:///etc/passwd", "hello", "http://", "https:///path", "" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      HaulDownload *download = haul_queue_add (fixture->queue, bad[i], fixture->dir, &error);

      g_test_message ("%s → %s", bad[i], error ? error->message : "(accepted)");
      g_assert_null (download);
      g_assert_error (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL);
      /* The message names what was rejected. */
      g_assert_nonnull (strstr (error->message, bad[i]));

      if (g_str_equal (bad[i], "ftp://x"))
        g_assert_cmpstr (error->message, ==,
                         "“ftp://x” cannot be downloaded: "
                         "FTP links are not supported, only http and https");
      if (g_str_equal (bad[i], "http://"))
        g_assert_nonnull (strstr (error->message, "no host name"));
    }

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 0);
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 0);
  g_assert_cmpuint (fixture->n_active_notifies, ==, 0);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *log)
{
  guint entry[3] = { position, removed, added };
  g_array_append_vals (log, entry, 3);
}

static void
test_complete (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GBytes) body = serve (fixture, "/dir/file.bin", 1 * MiB, 0);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(HaulDownload) item = NULL;
  g_autofree char *uri = haul_test_server_uri (fixture->server, "/dir/file.bin");
  HaulDownload *download;

  g_signal_connect (fixture->queue, "items-changed", G_CALLBACK (on_items_changed), changes);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (fixture->queue)) == HAUL_TYPE_DOWNLOAD);

  download = add (fixture, "/dir/file.bin");
  watch_states (fixture, download);

  g_assert_cmpuint (changes->len, ==, 3);
  g_assert_cmpuint (g_array_index (changes, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (changes, guint, 1), ==, 0);
  g_assert_cmpuint (g_array_index (changes, guint, 2), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (fixture->queue), 0);
  g_assert_true (item == download);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (fixture->queue), 1));
  g_assert_cmpstr (haul_download_get_uri (download), ==, uri);
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 1);

  g_assert_true (wait_state (download, HAUL_DOWNLOAD_COMPLETED, 10000));

  /* Every state on the way, in order, each once (queued was the start). */
  g_assert_cmpuint (fixture->states->len, ==, 3);
  g_assert_cmpint (state_at (fixture, 0), ==, HAUL_DOWNLOAD_CONNECTING);
  g_assert_cmpint (state_at (fixture, 1), ==, HAUL_DOWNLOAD_DOWNLOADING);
  g_assert_cmpint (state_at (fixture, 2), ==, HAUL_DOWNLOAD_COMPLETED);

  assert_file (fixture, download, body);
  g_assert_cmpstr (haul_download_get_file_name (download), ==, "file.bin");
  g_assert_cmpstr (haul_download_get_final_uri (download), ==, uri);
  g_assert_cmpint (haul_download_get_received (download), ==, 1 * MiB);
  g_assert_cmpint (haul_download_get_total (download), ==, 1 * MiB);
  g_assert_cmpfloat (haul_download_get_speed (download), ==, 0);
  g_assert_null (haul_download_get_error_message (download));
  g_assert_null (haul_download_get_partial_path (download));
  g_assert_nonnull (haul_download_get_finished (download));
  g_assert_cmpint (g_date_time_compare (haul_download_get_finished (download), before), >=, 0);
  g_assert_cmpuint (count_files (fixture->dir), ==, 1);

  g_assert_cmpuint (fixture->n_finished, ==, 1);
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 0);
  /* 0 → 1 on add, 1 → 0 at the end: nothing in between notified. */
  g_assert_cmpuint (fixture->n_active_notifies, ==, 2);
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/dir/file.bin"), ==, 1);
}

static void
test_limit (Fixture       *fixture,
            gconstpointer  data)
{
  GBytes *bodies[12];
  HaulDownload *downloads[12];
  ServerWait six = { fixture->server, 6 };

  g_assert_cmpuint (haul_queue_get_max_active (fixture->queue), ==, 3);

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *path = g_strdup_printf ("/limit/f%u.bin", i);

      bodies[i] = serve (fixture, path, 512 * KiB, 1 * MiB);
      downloads[i] = add (fixture, path);
    }
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 12);
  /* Started from the next flush, not inside add. */
  g_assert_cmpuint (count_state (fixture->queue, HAUL_DOWNLOAD_QUEUED), ==, 12);

  /* Four finished: three ran side by side all along, never a fourth. */
  g_assert_true (wait_count (fixture->queue, HAUL_DOWNLOAD_COMPLETED, 4, 20000));
  g_assert_cmpuint (haul_test_server_get_max_concurrent (fixture->server), ==, 3);

  /* Raised while running: six at once from now on. */
  g_object_set (fixture->queue, "max-active", 6, NULL);
  g_assert_true (wait_for (server_max_at_least, &six, 10000));
  g_assert_true (wait_all (fixture->queue, HAUL_DOWNLOAD_COMPLETED, 30000));
  g_assert_cmpuint (haul_test_server_get_max_concurrent (fixture->server), ==, 6);

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      assert_file (fixture, downloads[i], bodies[i]);
      g_bytes_unref (bodies[i]);
    }
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 0);
  g_assert_cmpuint (fixture->n_finished, ==, 12);
}

typedef struct
{
  HaulTestServer *server;
  guint           max_seen;
} InFlightSampler;

static gboolean
sample_in_flight (gpointer data)
{
  InFlightSampler *sampler = data;

  sampler->max_seen = MAX (sampler->max_seen, haul_test_server_get_in_flight (sampler->server));
  return G_SOURCE_CONTINUE;
}

/* Lowered while running: the running downloads finish, then no more than
 * the new limit run at once. */
static void
test_limit_lowered (Fixture       *fixture,
                    gconstpointer  data)
{
  enum { N = 7 };
  GBytes *bodies[N];
  HaulDownload *downloads[N];
  ServerWait three = { fixture->server, 3 };
  InFlightSampler sampler = { fixture->server, 0 };
  guint id;

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/lower/f%u.bin", i);

      bodies[i] = serve (fixture, path, 256 * KiB, 1 * MiB);
      downloads[i] = add (fixture, path);
    }
  g_assert_true (wait_for (server_max_at_least, &three, 10000));

  haul_queue_set_max_active (fixture->queue, 1);
  /* The three that ran go on; the others wait for them all. */
  g_assert_true (wait_count (fixture->queue, HAUL_DOWNLOAD_COMPLETED, 3, 10000));
  g_assert_cmpuint (count_state (fixture->queue, HAUL_DOWNLOAD_COMPLETED) +
                    count_state (fixture->queue, HAUL_DOWNLOAD_QUEUED), >=, N - 1);

  id = g_timeout_add (2, sample_in_flight, &sampler);
  g_assert_true (wait_count (fixture->queue, HAUL_DOWNLOAD_COMPLETED, N - 1, 20000));
  g_source_remove (id);
  g_assert_true (wait_all (fixture->queue, HAUL_DOWNLOAD_COMPLETED, 10000));

  g_test_message ("at most %u in flight after lowering to 1", sampler.max_seen);
  g_assert_cmpuint (sampler.max_seen, ==, 1);
  g_assert_cmpuint (haul_test_server_get_max_concurrent (fixture->server), ==, 3);
  for (guint i = 0; i < N; i++)
    {
      assert_file (fixture, downloads[i], bodies[i]);
      g_bytes_unref (bodies[i]);
    }
}

static void
test_many (Fixture       *fixture,
           gconstpointer  data)
{
  enum { N = 200 };
  GBytes *bodies[N];
  HaulDownload *downloads[N];

  gint64 adding = 0;

  haul_queue_set_max_active (fixture->queue, 8);

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/many/file-%03u.bin", i);
      gint64 before;

      bodies[i] = serve (fixture, path, (i % 7 + 1) * 3000 + i, 0);
      before = g_get_monotonic_time ();
      downloads[i] = add (fixture, path);
      adding += g_get_monotonic_time () - before;
    }
  g_test_message ("%u adds took %.1f ms on the main thread", N, adding / 1000.0);

  g_assert_true (wait_all (fixture->queue, HAUL_DOWNLOAD_COMPLETED, 120000));

  for (guint i = 0; i < N; i++)
    {
      assert_file (fixture, downloads[i], bodies[i]);
      g_bytes_unref (bodies[i]);
    }
  g_assert_cmpuint (count_files (fixture->dir), ==, N);
  g_assert_cmpuint (haul_test_server_get_max_concurrent (fixture->server), <=, 8);
  g_assert_cmpuint (fixture->n_finished, ==, N);
  /* One after another, files reuse their connections (libsoup keeps one
   * only once its body reported the end): not one connection each. */
  g_test_message ("%u files over %u connections", N,
                  haul_test_server_get_n_connections (fixture->server));
  g_assert_cmpuint (haul_test_server_get_n_connections (fixture->server), <=, 32);
}

/* Files of 1 MiB and more make Haul ask for their checksum files too
 * (NAME.sha256, SHA256SUMS …): the server's 404 pages are read to their
 * end, so those requests reuse the connections instead of opening four
 * more for every file. */
static void
test_many_checked (Fixture       *fixture,
                   gconstpointer  data)
{
  enum { N = 20 };
  GBytes *bodies[N];
  HaulDownload *downloads[N];

  haul_queue_set_max_active (fixture->queue, 2);
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/checked/file-%02u.bin", i);

      bodies[i] = serve (fixture, path, 1024 * 1024 + i, 0);
      downloads[i] = add (fixture, path);
    }
  g_assert_true (wait_all (fixture->queue, HAUL_DOWNLOAD_COMPLETED, 120000));
  for (guint i = 0; i < N; i++)
    {
      assert_file (fixture, downloads[i], bodies[i]);
      g_bytes_unref (bodies[i]);
    }
  g_test_message ("%u files and their checksum look-ups over %u connections", N,
                  haul_test_server_get_n_connections (fixture->server));
  g_assert_cmpuint (haul_test_server_get_n_connections (fixture->server), <=, 8);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* 50 throttled downloads at once: the main thread hears of them through
 * one flush source at a time, at most 40 flushes a second, and each
 * download's progress changes at most ~10 times a second. */
static void
test_coalesce (Fixture       *fixture,
               gconstpointer  data)
{
  enum { N = 50 };
  GBytes *bodies[N];
  HaulDownload *downloads[N];
  guint received_notifies[N] = { 0 };
  gint64 start;
  double seconds;
  guint max_notifies = 0;

  haul_queue_set_max_active (fixture->queue, N);
  start = g_get_monotonic_time ();

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/slow/%u.bin", i);

      /* 20 slices a second per download: 1000 chunk events a second. */
      bodies[i] = serve (fixture, path, 256 * KiB, 128 * KiB);
      downloads[i] = add (fixture, path);
      g_signal_connect (downloads[i], "notify::received",
                        G_CALLBACK (count_notify), &received_notifies[i]);
    }

  g_assert_true (wait_all (fixture->queue, HAUL_DOWNLOAD_COMPLETED, 60000));
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  for (guint i = 0; i < N; i++)
    {
      assert_file (fixture, downloads[i], bodies[i]);
      g_bytes_unref (bodies[i]);
      max_notifies = MAX (max_notifies, received_notifies[i]);
    }

  g_test_message ("%.2f s, %u flushes (longest %.1f ms), at most %u received-notifies "
                  "per download, max pending sources %u",
                  seconds, haul_queue_get_n_flushes (fixture->queue),
                  haul_queue_get_max_flush_us (fixture->queue) / 1000.0, max_notifies,
                  haul_queue_get_max_pending_idle (fixture->queue));

  g_assert_cmpfloat (seconds, >=, 1.5); /* the throttle did hold them back */
  /* However many downloads run, one host gets 16 connections at most. */
  g_assert_cmpuint (haul_test_server_get_max_concurrent (fixture->server), ==,
                    HAUL_REQUEST_MAX_CONNS_PER_HOST);
  g_assert_cmpuint (haul_queue_get_max_pending_idle (fixture->queue), ==, 1);
  /* Progress flushes start at least 25 ms apart, whatever the number of
   * downloads: ≤ 40 a second, plus the first one and one of rounding; a
   * finished download is handled at once (its slot goes to the next one),
   * at most one flush each. Without the coalescing there would be one per
   * chunk event: 50 × 20 a second. */
  g_assert_cmpuint (haul_queue_get_n_flushes (fixture->queue), >=, 2);
  g_assert_cmpuint (haul_queue_get_n_flushes (fixture->queue), <=,
                    (guint) (seconds * 40) + 2 + N);
  /* Each download's progress notifies at most ~10 times a second (plus
   * its final value and the reset when it is set up). */
  g_assert_cmpuint (max_notifies, <=, (guint) (seconds * 10) + 3);
}

static void
test_pause_resume (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GBytes) body = serve (fixture, "/big.bin", 2 * MiB, 1 * MiB);
  g_autofree char *headers = NULL;
  HaulDownload *download;
  ServerWait idle = { fixture->server, 0 };
  gint64 received;
  gint64 start;

  download = add (fixture, "/big.bin");
  g_assert_true (wait_received (download, 256 * KiB, 10000));
  g_assert_true (haul_download_can_pause (download));

  start = g_get_monotonic_time ();
  haul_queue_pause (fixture->queue, download);
  g_assert_true (wait_state (download, HAUL_DOWNLOAD_PAUSED, 2000));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_true (wait_for (server_idle, &idle, 2000));

  received = haul_download_get_received (download);
  g_assert_cmpint (received, >=, 256 * KiB);
  g_assert_cmpint (received, <, 2 * MiB);
  g_assert_true (haul_download_can_resume (download));
  g_assert_nonnull (haul_download_get_partial_path (download));
  g_assert_true (g_file_test (haul_download_get_partial_path (download), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (haul_download_get_confirmed (download), ==, received);
  g_assert_cmpstr (haul_download_get_etag (download), ==, "\"v1\"");
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 0);
  g_assert_cmpuint (fixture->n_finished, ==, 0);

  haul_queue_resume (fixture->queue, download);
  g_assert_true (wait_state (download, HAUL_DOWNLOAD_COMPLETED, 15000));
  assert_file (fixture, download, body);
  g_assert_cmpuint (count_files (fixture->dir), ==, 1);

  /* The second request asked for the rest only, tied to the same version:
   * the server answered it with 206 (it honours Range + If-Range). */
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/big.bin"), ==, 2);
  headers = haul_test_server_get_last_request_headers (fixture->server, "/big.bin");
  g_test_message ("%s", headers);
  g_assert_nonnull (strstr (headers, "Range: bytes="));
  g_assert_nonnull (strstr (headers, "If-Range: \"v1\""));
  g_assert_null (haul_download_get_notice (download));
}

/* Cancel keeps the bytes until the undo offer is gone (issue #11): undo
 * brings the download back where it was; discard deletes the partial. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) body = serve (fixture, "/cancel.bin", 4 * MiB, 1 * MiB);
  g_autofree char *partial = NULL;
  HaulDownload *download;
  gint64 start;
  gint64 kept;

  download = add (fixture, "/cancel.bin");
  g_assert_true (wait_received (download, 256 * KiB, 10000));
  g_assert_cmpuint (count_files (fixture->dir), >=, 1);

  start = g_get_monotonic_time ();
  haul_queue_cancel (fixture->queue, download);
  g_assert_true (wait_state (download, HAUL_DOWNLOAD_CANCELLED, 2000));
  g_test_message ("cancelled after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_true (haul_download_can_retry (download));
  g_assert_cmpuint (fixture->n_finished, ==, 0);

  /* The bytes are still there, and an undo brings the download back. */
  partial = g_strdup (haul_download_get_partial_path (download));
  kept = haul_download_get_confirmed (download);
  g_assert_nonnull (partial);
  g_assert_true (g_file_test (partial, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (kept, >=, 256 * KiB);
  g_assert_true (haul_queue_undo (fixture->queue, download));
  g_assert_true (wait_received (download, kept + 256 * KiB, 10000));
  g_assert_true (haul_download_is_active (download));

  /* Cancelled again and discarded: the partial goes. */
  haul_queue_cancel (fixture->queue, download);
  g_assert_true (wait_state (download, HAUL_DOWNLOAD_CANCELLED, 2000));
  haul_queue_discard (fixture->queue, download);
  g_assert_false (haul_queue_undo (fixture->queue, download));
  sleep_spinning (100);
  g_assert_cmpuint (count_files (fixture->dir), ==, 0);
  g_assert_null (haul_download_get_partial_path (download));
  g_assert_cmpint (haul_download_get_received (download), ==, 0);

  /* Retry after cancel starts again from zero and completes. */
  haul_queue_retry (fixture->queue, download);
  g_assert_true (wait_state (download, HAUL_DOWNLOAD_COMPLETED, 15000));
  assert_file (fixture, download, body);
}

static void
test_retry_404 (Fixture       *fixture,
                gconstpointer  data)
{
  HaulDownload *download;
  gint64 start = g_get_monotonic_time ();

  haul_test_server_add_status (fixture->server, "/missing", 404);
  download = add (fixture, "/missing");
  watch_states (fixture, download);

  g_assert_true (wait_state (download, HAUL_DOWNLOAD_FAILED, 5000));
  /* Not a resumable error: no automatic retry, no waiting. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/missing"), ==, 1);
  g_assert_nonnull (strstr (haul_download_get_error_message (download), "404"));
  g_assert_true (haul_download_can_retry (download));
  g_assert_cmpuint (fixture->n_finished, ==, 1);
  g_assert_cmpuint (count_files (fixture->dir), ==, 0);

  g_array_set_size (fixture->states, 0);
  haul_queue_retry (fixture->queue, download);
  g_assert_cmpuint (fixture->states->len, >=, 1);
  g_assert_cmpint (state_at (fixture, 0), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_null (haul_download_get_error_message (download));

  g_assert_true (wait_state (download, HAUL_DOWNLOAD_FAILED, 5000));
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/missing"), ==, 2);
  g_assert_cmpuint (fixture->n_finished, ==, 2);
  g_assert_nonnull (strstr (haul_download_get_error_message (download), "404"));
  /* The HTML body of the error was never saved. */
  g_assert_cmpuint (count_files (fixture->dir), ==, 0);
}

/* A raw server that cuts the body of the first @n_cut answers short. */
typedef struct
{
  GBytes *body;
  gint    n_connections;  /* (atomic) */
  gint    n_cut;
} FlakyServer;

static void
flaky_handler (GSocketConnection *connection,
               const char        *request_head,
               gpointer           user_data)
{
  FlakyServer *flaky = user_data;
  gint n = g_atomic_int_add (&flaky->n_connections, 1) + 1;
  gsize size;
  const guint8 *data = g_bytes_get_data (flaky->body, &size);
  const char *range = strstr (request_head, "Range: bytes=");
  g_autofree char *head = NULL;
  guint64 from = 0;

  if (n <= flaky->n_cut)
    {
      head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
                              "ETag: \"f1\"\r\nConnection: close\r\n\r\n", size);
      haul_test_raw_write (connection, head, strlen (head));
      haul_test_raw_write (connection, data, 1000);
      return;
    }

  if (range != NULL)
    from = g_ascii_strtoull (range + strlen ("Range: bytes="), NULL, 10);

  if (from > 0 && from < size)
    head = g_strdup_printf ("HTTP/1.1 206 Partial Content\r\n"
                            "Content-Length: %" G_GUINT64_FORMAT "\r\n"
                            "Content-Range: bytes %" G_GUINT64_FORMAT "-%" G_GSIZE_FORMAT
                            "/%" G_GSIZE_FORMAT "\r\n"
                            "ETag: \"f1\"\r\nConnection: close\r\n\r\n",
                            size - from, from, size - 1, size);
  else
    head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
                            "ETag: \"f1\"\r\nConnection: close\r\n\r\n", size);
  haul_test_raw_write (connection, head, strlen (head));
  haul_test_raw_write (connection, data + from, size - from);
}

static void
test_auto_retry (Fixture       *fixture,
                 gconstpointer  data)
{
  FlakyServer flaky = { haul_test_make_bytes (64 * KiB, 7), 0, 2 };
  HaulTestRawServer *raw = haul_test_raw_server_new (flaky_handler, &flaky);
  g_autofree char *uri = haul_test_raw_server_uri (raw, "/flaky.bin");
  g_autoptr(GError) error = NULL;
  HaulDownload *download;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  download = haul_queue_add (fixture->queue, uri, fixture->dir, &error);
  g_assert_no_error (error);
  watch_states (fixture, download);

  g_assert_true (wait_state (download, HAUL_DOWNLOAD_COMPLETED, 20000));
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("completed after %.2f s and %d connections",
                  seconds, g_atomic_int_get (&flaky.n_connections));

  /* Two cut answers, waits of 1 s and 2 s (± 20 % of jitter), then the rest. */
  g_assert_cmpint (g_atomic_int_get (&flaky.n_connections), ==, 3);
  g_assert_cmpfloat (seconds, >=, 2.3);
  assert_file (fixture, download, flaky.body);
  for (guint i = 0; i < fixture->states->len; i++)
    g_assert_cmpint (state_at (fixture, i), !=, HAUL_DOWNLOAD_FAILED);
  g_assert_cmpuint (fixture->n_finished, ==, 1);

  haul_test_raw_server_free (raw);
  g_bytes_unref (flaky.body);
}

/* A fake clock for the backoff: the attempts asked for are recorded and
 * each wait is 10 ms (the policy's own timing: test-retry.c). */
static guint fake_attempts[64];
static guint n_fake_attempts;

static gint64
fake_delay (guint   attempt,
            gint64  retry_after,
            guint32 jitter)
{
  if (n_fake_attempts < G_N_ELEMENTS (fake_attempts))
    fake_attempts[n_fake_attempts++] = attempt;
  return 10 * G_TIME_SPAN_MILLISECOND;
}

static void
test_auto_retry_gives_up (Fixture       *fixture,
                          gconstpointer  data)
{
  FlakyServer flaky = { haul_test_make_bytes (64 * KiB, 8), 0, 1000 };
  HaulTestRawServer *raw = haul_test_raw_server_new (flaky_handler, &flaky);
  g_autofree char *uri = haul_test_raw_server_uri (raw, "/cut.bin");
  g_autoptr(GError) error = NULL;
  HaulDownload *download;

  n_fake_attempts = 0;
  haul_builtin_engine_set_retry_delay_func (
    HAUL_BUILTIN_ENGINE (haul_queue_get_engine (fixture->queue)), fake_delay);
  download = haul_queue_add (fixture->queue, uri, fixture->dir, &error);
  g_assert_no_error (error);

  /* The first try and HAUL_RETRY_MAX_TRIES more, each after a backoff
   * for the next attempt number; then it fails with the last reason. */
  g_assert_true (wait_state (download, HAUL_DOWNLOAD_FAILED, 20000));
  g_assert_cmpint (g_atomic_int_get (&flaky.n_connections), ==, 1 + HAUL_RETRY_MAX_TRIES);
  g_assert_cmpuint (n_fake_attempts, ==, HAUL_RETRY_MAX_TRIES);
  for (guint i = 0; i < n_fake_attempts; i++)
    g_assert_cmpuint (fake_attempts[i], ==, i + 1);
  g_assert_nonnull (strstr (haul_download_get_error_message (download), "closed after"));
  g_assert_nonnull (haul_download_get_error_message (download));
  g_test_message ("%s", haul_download_get_error_message (download));
  g_assert_cmpuint (fixture->n_finished, ==, 1);
  g_assert_true (haul_download_can_retry (download));

  haul_test_raw_server_free (raw);
  g_bytes_unref (flaky.body);
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) slow = serve (fixture, "/slow.bin", 4 * MiB, 1 * MiB);
  g_autoptr(GBytes) small = serve (fixture, "/small.bin", 64 * KiB, 0);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(HaulDownload) running = NULL;
  g_autoptr(HaulDownload) done = NULL;
  g_autofree char *done_path = NULL;

  running = g_object_ref (add (fixture, "/slow.bin"));
  done = g_object_ref (add (fixture, "/small.bin"));
  g_assert_true (wait_state (done, HAUL_DOWNLOAD_COMPLETED, 10000));
  g_assert_true (wait_received (running, 128 * KiB, 10000));
  done_path = haul_download_dup_path (done);

  g_signal_connect (fixture->queue, "items-changed", G_CALLBACK (on_items_changed), changes);

  haul_queue_remove (fixture->queue, running);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 1);
  g_assert_cmpuint (changes->len, ==, 3);
  g_assert_cmpuint (g_array_index (changes, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (changes, guint, 1), ==, 1);
  g_assert_cmpuint (g_array_index (changes, guint, 2), ==, 0);
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 0);

  /* Its bytes stay until the removal is final: undo puts it back where it
   * was, and it goes on. */
  g_assert_true (wait_state (running, HAUL_DOWNLOAD_PAUSED, 2000));
  g_assert_cmpuint (count_files (fixture->dir), ==, 2);
  g_assert_true (haul_queue_undo (fixture->queue, running));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 2);
  {
    g_autoptr(HaulDownload) first = g_list_model_get_item (G_LIST_MODEL (fixture->queue), 0);

    g_assert_true (first == running);
  }
  g_assert_true (haul_download_is_active (running));
  g_assert_true (wait_received (running, haul_download_get_confirmed (running) + 64 * KiB,
                                10000));

  /* Removed for good: its partial file goes; the finished file stays. */
  haul_queue_remove (fixture->queue, running);
  haul_queue_discard (fixture->queue, running);
  g_assert_false (haul_queue_undo (fixture->queue, running));
  g_assert_true (wait_files (fixture->dir, 1, 2000));

  haul_queue_remove (fixture->queue, done);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 0);
  g_assert_true (haul_test_file_equals (done_path, small));
  g_assert_null (haul_queue_lookup (fixture->queue, haul_download_get_id (done)));

  /* The stopped download never comes back or changes state. */
  sleep_spinning (300);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 0);
  g_assert_cmpuint (count_files (fixture->dir), ==, 1);
  g_assert_cmpuint (fixture->n_finished, ==, 1);
}

static void
test_pause_all (Fixture       *fixture,
                gconstpointer  data)
{
  enum { N = 5 };
  GBytes *bodies[N];
  HaulDownload *downloads[N];
  ServerWait idle = { fixture->server, 0 };
  gint64 start;

  haul_queue_set_max_active (fixture->queue, 2);
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/all/%u.bin", i);

      /* Under 1 MiB: a bigger file makes Haul ask for checksum files
       * beside it, requests that would count here. */
      bodies[i] = serve (fixture, path, 1 * MiB - 1, 1 * MiB);
      downloads[i] = add (fixture, path);
    }
  g_assert_true (wait_received (downloads[0], 128 * KiB, 10000));
  g_assert_true (wait_received (downloads[1], 128 * KiB, 10000));

  start = g_get_monotonic_time ();
  haul_queue_pause_all (fixture->queue);
  /* The queued ones at once, the running ones within a second. */
  g_assert_cmpuint (count_state (fixture->queue, HAUL_DOWNLOAD_PAUSED), >=, N - 2);
  g_assert_true (wait_all (fixture->queue, HAUL_DOWNLOAD_PAUSED, 2000));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, 0);
  g_assert_true (wait_for (server_idle, &idle, 2000));

  /* Nothing starts by itself while paused. */
  sleep_spinning (300);
  g_assert_cmpuint (count_state (fixture->queue, HAUL_DOWNLOAD_PAUSED), ==, N);
  g_assert_cmpuint (haul_test_server_get_in_flight (fixture->server), ==, 0);

  haul_queue_resume_all (fixture->queue);
  g_assert_cmpuint (haul_queue_get_n_active (fixture->queue), ==, N);
  g_assert_true (wait_all (fixture->queue, HAUL_DOWNLOAD_COMPLETED, 30000));
  for (guint i = 0; i < N; i++)
    {
      assert_file (fixture, downloads[i], bodies[i]);
      g_bytes_unref (bodies[i]);
    }
  g_assert_cmpuint (haul_test_server_get_max_concurrent (fixture->server), <=, 2);
}

static void
test_remove_finished (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) a = serve (fixture, "/a.bin", 10 * KiB, 0);
  g_autoptr(GBytes) b = serve (fixture, "/b.bin", 20 * KiB, 0);
  g_autoptr(GBytes) slow = serve (fixture, "/slow.bin", 4 * MiB, 1 * MiB);
  HaulDownload *da, *db, *dslow, *dfail;
  g_autofree char *pa = NULL;
  g_autofree char *pb = NULL;
  g_autoptr(HaulDownload) first = NULL;
  g_autoptr(GPtrArray) removed = NULL;

  haul_test_server_add_status (fixture->server, "/gone", 404);
  da = add (fixture, "/a.bin");
  db = add (fixture, "/b.bin");
  dfail = add (fixture, "/gone");
  g_assert_true (wait_state (da, HAUL_DOWNLOAD_COMPLETED, 10000));
  g_assert_true (wait_state (db, HAUL_DOWNLOAD_COMPLETED, 10000));
  g_assert_true (wait_state (dfail, HAUL_DOWNLOAD_FAILED, 10000));
  dslow = add (fixture, "/slow.bin");
  g_assert_true (wait_received (dslow, 64 * KiB, 10000));
  haul_queue_pause (fixture->queue, dslow);
  g_assert_true (wait_state (dslow, HAUL_DOWNLOAD_PAUSED, 2000));
  pa = haul_download_dup_path (da);
  pb = haul_download_dup_path (db);

  /* Issue #11, item 2: completed rows only; the failed one and the paused
   * one (and its partial file) stay. */
  removed = haul_queue_remove_finished (fixture->queue);
  g_assert_cmpuint (removed->len, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (fixture->queue), 0);
  g_assert_true (first == dfail);
  g_assert_true (haul_test_file_equals (pa, a));
  g_assert_true (haul_test_file_equals (pb, b));
  g_assert_true (g_file_test (haul_download_get_partial_path (dslow), G_FILE_TEST_IS_REGULAR));

  /* Undo brings a completed one back where it stood. */
  g_assert_true (haul_queue_undo (fixture->queue, db));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 3);
  g_assert_cmpint (haul_download_get_state (db), ==, HAUL_DOWNLOAD_COMPLETED);
  {
    g_autoptr(HaulDownload) second = g_list_model_get_item (G_LIST_MODEL (fixture->queue), 1);

    g_assert_true (second == db);
  }
  /* Discarding a completed one leaves its file alone. */
  haul_queue_discard (fixture->queue, da);
  sleep_spinning (100);
  g_assert_true (haul_test_file_equals (pa, a));
}

/* Quitting: running downloads stop within a second and stay queued (they
 * resume at the next start), their partial data kept; nothing starts
 * afterwards, not even a download added late. */
static void
test_shutdown (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GBytes) slow = serve (fixture, "/slow.bin", 4 * MiB, 1 * MiB);
  g_autoptr(GBytes) other = serve (fixture, "/other.bin", 4 * MiB, 1 * MiB);
  g_autoptr(GError) error = NULL;
  g_autofree char *late_uri = haul_test_server_uri (fixture->server, "/other.bin");
  HaulDownload *download;
  HaulDownload *waiting;
  HaulDownload *late;
  gint64 start;

  haul_queue_set_max_active (fixture->queue, 1);
  download = add (fixture, "/slow.bin");
  waiting = add (fixture, "/other.bin");
  g_assert_true (wait_received (download, 256 * KiB, 10000));
  g_assert_cmpint (haul_download_get_state (waiting), ==, HAUL_DOWNLOAD_QUEUED);

  start = g_get_monotonic_time ();
  haul_queue_shutdown (fixture->queue);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_cmpint (haul_download_get_state (waiting), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_nonnull (haul_download_get_partial_path (download));
  g_assert_true (g_file_test (haul_download_get_partial_path (download), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (haul_download_get_confirmed (download), >=, 256 * KiB);
  g_assert_cmpuint (fixture->n_finished, ==, 0);

  late = haul_queue_add (fixture->queue, late_uri, fixture->dir, &error);
  g_assert_no_error (error);
  sleep_spinning (300);
  g_assert_cmpint (haul_download_get_state (late), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_cmpint (haul_download_get_state (waiting), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_cmpuint (haul_test_server_get_in_flight (fixture->server), ==, 0);
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/other.bin"), ==, 0);

  /* Idempotent; the teardown calls it once more and finalizes the queue
   * with the flush this add asks for still pending. */
  haul_queue_shutdown (fixture->queue);
  g_assert_nonnull (haul_queue_add (fixture->queue, late_uri, fixture->dir, NULL));
}

static void
test_properties (Fixture       *fixture,
                 gconstpointer  data)
{
  guint n_max = 0;
  guint max_active;

  g_signal_connect (fixture->queue, "notify::max-active", G_CALLBACK (count_notify), &n_max);
  haul_queue_set_max_active (fixture->queue, 3);
  g_assert_cmpuint (n_max, ==, 0);
  g_object_set (fixture->queue, "max-active", 5, NULL);
  g_object_set (fixture->queue, "max-active", 5, NULL);
  g_assert_cmpuint (n_max, ==, 1);
  g_object_get (fixture->queue, "max-active", &max_active, NULL);
  g_assert_cmpuint (max_active, ==, 5);
  g_assert_cmpuint (haul_queue_get_max_active (fixture->queue), ==, 5);
}

/* The file changed on the server while paused: the resume starts again
 * from zero, says so, and never mixes the two versions. */
static void
test_restarted_notice (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GBytes) v1 = haul_test_make_bytes (2 * MiB, 1);
  g_autoptr(GBytes) v2 = haul_test_make_bytes (2 * MiB, 2);
  HaulTestFileOptions options = { 0 };
  HaulDownload *download;

  options.etag = "\"v1\"";
  options.bytes_per_second = 1 * MiB;
  haul_test_server_add_file (fixture->server, "/changing.bin", v1, &options);

  download = add (fixture, "/changing.bin");
  g_assert_true (wait_received (download, 256 * KiB, 10000));
  haul_queue_pause (fixture->queue, download);
  g_assert_true (wait_state (download, HAUL_DOWNLOAD_PAUSED, 2000));
  g_assert_null (haul_download_get_notice (download));

  options.etag = "\"v2\"";
  options.bytes_per_second = 0;
  haul_test_server_add_file (fixture->server, "/changing.bin", v2, &options);

  haul_queue_resume (fixture->queue, download);
  g_assert_true (wait_state (download, HAUL_DOWNLOAD_COMPLETED, 10000));
  assert_file (fixture, download, v2);
  g_assert_cmpstr (haul_download_get_notice (download), ==,
                   "The file changed on the server; the download started again from the beginning");
  g_assert_cmpstr (haul_download_get_etag (download), ==, "\"v2\"");
  g_assert_cmpuint (count_files (fixture->dir), ==, 1);
}

/* With a store: history comes back after a restart; a completed download
 * whose file was deleted meanwhile shows as missing. */
static void
test_restore_file_missing (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GBytes) kept = serve (fixture, "/kept.bin", 32 * KiB, 0);
  g_autoptr(GBytes) gone = serve (fixture, "/gone.bin", 32 * KiB, 0);
  g_autofree char *db_dir = haul_test_make_tmpdir ();
  g_autofree char *db = g_build_filename (db_dir, "downloads.db", NULL);
  g_autofree char *gone_path = NULL;
  g_autofree char *kept_path = NULL;
  g_autoptr(GError) error = NULL;
  HaulStore *store;
  HaulQueue *queue;
  HaulDownload *a, *b;
  gint64 id_kept, id_gone;

  store = haul_store_new (db, &error);
  g_assert_no_error (error);
  queue = haul_queue_new (store);
  {
    g_autofree char *uri_a = haul_test_server_uri (fixture->server, "/kept.bin");
    g_autofree char *uri_b = haul_test_server_uri (fixture->server, "/gone.bin");

    a = haul_queue_add (queue, uri_a, fixture->dir, &error);
    g_assert_no_error (error);
    b = haul_queue_add (queue, uri_b, fixture->dir, &error);
    g_assert_no_error (error);
  }
  g_assert_true (wait_state (a, HAUL_DOWNLOAD_COMPLETED, 10000));
  g_assert_true (wait_state (b, HAUL_DOWNLOAD_COMPLETED, 10000));
  id_kept = haul_download_get_id (a);
  id_gone = haul_download_get_id (b);
  g_assert_cmpint (id_kept, >, 0);
  g_assert_cmpint (id_gone, >, 0);
  g_assert_cmpint (id_kept, !=, id_gone);
  gone_path = haul_download_dup_path (b);
  haul_queue_shutdown (queue);
  g_assert_finalize_object (queue);
  g_assert_finalize_object (store);

  g_assert_cmpint (g_unlink (gone_path), ==, 0);

  store = haul_store_new (db, &error);
  g_assert_no_error (error);
  queue = haul_queue_new (store);
  g_assert_true (haul_queue_restore (queue, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 2);
  a = haul_queue_lookup (queue, id_kept);
  b = haul_queue_lookup (queue, id_gone);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpint (haul_download_get_state (a), ==, HAUL_DOWNLOAD_COMPLETED);
  g_assert_cmpint (haul_download_get_state (b), ==, HAUL_DOWNLOAD_COMPLETED);
  g_assert_cmpuint (haul_queue_get_n_active (queue), ==, 0);

  /* Checked in a thread: wait for the answer. */
  {
    StateWait wait = { b, 0, 0 };
    g_assert_true (wait_for (file_missing_is_set, &wait, 5000));
  }
  g_assert_false (haul_download_get_file_missing (a));
  kept_path = haul_download_dup_path (a);
  g_assert_true (haul_test_file_equals (kept_path, kept));

  /* Restoring twice adds nothing. */
  g_assert_true (haul_queue_restore (queue, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 2);
  /* Nothing was downloaded again. */
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/gone.bin"), ==, 1);

  haul_queue_shutdown (queue);
  g_object_unref (queue);
  g_object_unref (store);
  haul_test_remove_tree (db_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/queue/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("add-invalid", test_add_invalid);
  ADD ("complete", test_complete);
  ADD ("limit", test_limit);
  ADD ("limit-lowered", test_limit_lowered);
  ADD ("many", test_many);
  ADD ("many-checked", test_many_checked);
  ADD ("coalesce", test_coalesce);
  ADD ("pause-resume", test_pause_resume);
  ADD ("cancel", test_cancel);
  ADD ("retry-404", test_retry_404);
  ADD ("auto-retry", test_auto_retry);
  ADD ("auto-retry-gives-up", test_auto_retry_gives_up);
  ADD ("remove", test_remove);
  ADD ("pause-all", test_pause_all);
  ADD ("remove-finished", test_remove_finished);
  ADD ("shutdown", test_shutdown);
  ADD ("properties", test_properties);
  ADD ("restarted-notice", test_restarted_notice);
  ADD ("restore-file-missing", test_restore_file_missing);

#undef ADD

  return g_test_run ();
}
