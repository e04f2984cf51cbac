/* test-restart.c: queue, history and partial progress survive a restart
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test runs a real HaulQueue with a real store against a local
 * server, quits it the way the application does (shutdown, unref), opens
 * the same database with a new store and queue, and checks what came
 * back. The partial-file cases change the disk between the two runs.
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
#include <sqlite3.h>

#include "haul-download-private.h"
#include "haul-queue.h"
#include "haul-store.h"
#include "haul-test-server.h"

#define SLOW_SIZE   (2 * 1024 * 1024)
#define WAIT_MS     30000

/* Set in main() before any thread exists: this process has a mount
 * namespace of its own, so it may bind-mount a folder read-only. */
static const char *private_mounts_error = "not tried";

typedef struct
{
  HaulTestServer *server;
  GBytes         *slow;
  GBytes         *small;
  char           *tmpdir;
  char           *folder;
  char           *db_path;
  HaulStore      *store;
  HaulQueue      *queue;
  char           *bind_mount;   /* (nullable) unmounted in teardown */
} Fixture;

static void
add_slow_file (Fixture *fixture,
               guint64  bytes_per_second)
{
  HaulTestFileOptions options = {
    .etag = "\"s1\"",
    .last_modified = "Wed, 21 Oct 2015 07:28:00 GMT",
    .bytes_per_second = bytes_per_second,
  };

  haul_test_server_add_file (fixture->server, "/slow.bin", fixture->slow, &options);
}

static void
open_queue (Fixture *fixture)
{
  haul_test_open_queue (fixture->db_path, &fixture->store, &fixture->queue);
}

static void
close_queue (Fixture *fixture)
{
  haul_test_close_queue (&fixture->store, &fixture->queue);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  HaulTestFileOptions small_options = { .etag = "\"d1\"" };

  fixture->server = haul_test_server_new ();
  fixture->slow = haul_test_make_bytes (SLOW_SIZE, 11);
  fixture->small = haul_test_make_bytes (64 * 1024, 12);
  fixture->tmpdir = haul_test_make_tmpdir ();
  fixture->folder = g_build_filename (fixture->tmpdir, "Downloads", NULL);
  fixture->db_path = g_build_filename (fixture->tmpdir, "data", "downloads.db", NULL);
  g_assert_cmpint (g_mkdir (fixture->folder, 0755), ==, 0);

  /* 512 KiB/s: a pause lands in the middle of the file. */
  add_slow_file (fixture, 512 * 1024);
  haul_test_server_add_file (fixture->server, "/done.bin", fixture->small, &small_options);
  haul_test_server_add_status (fixture->server, "/missing.bin", 404);

  open_queue (fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->queue != NULL)
    close_queue (fixture);
  if (fixture->bind_mount != NULL)
    umount2 (fixture->bind_mount, MNT_DETACH);
  g_free (fixture->bind_mount);
  haul_test_remove_tree (fixture->tmpdir);
  haul_test_server_free (fixture->server);
  g_bytes_unref (fixture->slow);
  g_bytes_unref (fixture->small);
  g_free (fixture->tmpdir);
  g_free (fixture->folder);
  g_free (fixture->db_path);
}

/* ---------------------------------------------------------------------- */
/* Bounded waiting                                                         */

typedef gboolean (*Predicate) (HaulDownload *download,
                               gconstpointer data);

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Spins the main context (so the queue's flushes run) until @predicate
 * holds or @timeout_ms passed. */
static gboolean
wait_until (HaulDownload  *download,
            Predicate      predicate,
            gconstpointer  data,
            guint          timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint wake = g_timeout_add (10, wake_cb, NULL);
  gboolean holds;

  while (!(holds = predicate (download, data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return holds;
}

static gboolean
state_is (HaulDownload  *download,
          gconstpointer  data)
{
  return haul_download_get_state (download) == (HaulDownloadState) GPOINTER_TO_INT (data);
}

static gboolean
is_done (HaulDownload  *download,
         gconstpointer  data)
{
  HaulDownloadState state = haul_download_get_state (download);

  return state == HAUL_DOWNLOAD_COMPLETED || state == HAUL_DOWNLOAD_FAILED ||
         state == HAUL_DOWNLOAD_CANCELLED;
}

static gboolean
received_at_least (HaulDownload  *download,
                   gconstpointer  data)
{
  return haul_download_get_received (download) >= GPOINTER_TO_INT (data) ||
         is_done (download, NULL);
}

static void
assert_state (HaulDownload      *download,
              HaulDownloadState  state)
{
  if (!wait_until (download, state_is, GINT_TO_POINTER (state), WAIT_MS))
    g_error ("%s: state %d, expected %d (error: %s)",
             haul_download_get_uri (download), haul_download_get_state (download), state,
             haul_download_get_error_message (download));
}

static HaulDownload *
add (Fixture    *fixture,
     const char *path)
{
  return haul_test_queue_add (fixture->queue, fixture->server, path, fixture->folder);
}

static HaulDownload *
find (Fixture    *fixture,
      const char *path)
{
  g_autofree char *uri = haul_test_server_uri (fixture->server, path);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (fixture->queue));
  HaulDownload *found = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (G_LIST_MODEL (fixture->queue), i);

      if (g_strcmp0 (haul_download_get_uri (download), uri) == 0)
        {
          g_assert_null (found);  /* never twice */
          found = download;
        }
    }
  g_assert_nonnull (found);
  return found;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return -1;
  return st.st_size;
}

/* Starts /slow.bin and pauses it mid-way; returns the confirmed length. */
static gint64
pause_midway (Fixture *fixture)
{
  HaulDownload *download = add (fixture, "/slow.bin");
  const char *partial;
  gint64 confirmed;

  g_assert_true (wait_until (download, received_at_least, GINT_TO_POINTER (400 * 1024), WAIT_MS));
  haul_queue_pause (fixture->queue, download);
  assert_state (download, HAUL_DOWNLOAD_PAUSED);

  confirmed = haul_download_get_confirmed (download);
  partial = haul_download_get_partial_path (download);
  g_assert_nonnull (partial);
  g_assert_cmpint (confirmed, >, 0);
  g_assert_cmpint (confirmed, <, SLOW_SIZE);
  /* The record never claims more than the disk holds. */
  g_assert_cmpint (file_size (partial), >=, confirmed);
  return confirmed;
}

/* The slow file, now served at full speed, finishes byte-exact from where
 * it stopped: a Range request with If-Range. */
static void
assert_resumes (Fixture      *fixture,
                HaulDownload *download,
                gint64        from)
{
  g_autofree char *path = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *range = g_strdup_printf ("Range: bytes=%" G_GINT64_FORMAT "-", from);

  add_slow_file (fixture, 0);
  haul_queue_resume (fixture->queue, download);
  assert_state (download, HAUL_DOWNLOAD_COMPLETED);

  path = haul_download_dup_path (download);
  g_assert_true (haul_test_file_equals (path, fixture->slow));
  headers = haul_test_server_get_last_request_headers (fixture->server, "/slow.bin");
  g_assert_nonnull (strstr (headers, range));
  g_assert_nonnull (strstr (headers, "If-Range:"));
  g_assert_null (haul_download_get_partial_path (download));
}

static guint
count_files (const char *folder,
             const char *suffix)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (suffix == NULL || g_str_has_suffix (name, suffix))
      n++;
  return n;
}

/* ---------------------------------------------------------------------- */

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  HaulDownload *done, *failed, *slow, *waiting;
  g_autofree char *failed_message = NULL;
  g_autofree char *done_path = NULL;
  g_autofree char *waiting_uri = haul_test_server_uri (fixture->server, "/waiting.bin");
  gint64 confirmed;
  gint64 done_id;

  done = add (fixture, "/done.bin");
  failed = add (fixture, "/missing.bin");
  assert_state (done, HAUL_DOWNLOAD_COMPLETED);
  assert_state (failed, HAUL_DOWNLOAD_FAILED);
  done_id = haul_download_get_id (done);
  failed_message = g_strdup (haul_download_get_error_message (failed));
  g_assert_nonnull (failed_message);
  done_path = haul_download_dup_path (done);

  confirmed = pause_midway (fixture);

  /* Paused before it ever started. */
  waiting = add (fixture, "/waiting.bin");
  haul_queue_pause (fixture->queue, waiting);
  assert_state (waiting, HAUL_DOWNLOAD_PAUSED);

  close_queue (fixture);
  open_queue (fixture);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 4);

  done = find (fixture, "/done.bin");
  g_assert_cmpint (haul_download_get_id (done), ==, done_id);
  g_assert_cmpint (haul_download_get_state (done), ==, HAUL_DOWNLOAD_COMPLETED);
  g_assert_cmpint (haul_download_get_received (done), ==, g_bytes_get_size (fixture->small));
  g_assert_cmpint (haul_download_get_total (done), ==, g_bytes_get_size (fixture->small));
  g_assert_nonnull (haul_download_get_finished (done));
  {
    g_autofree char *path = haul_download_dup_path (done);

    g_assert_cmpstr (path, ==, done_path);
    g_assert_true (haul_test_file_equals (path, fixture->small));
  }
  g_assert_false (haul_download_get_file_missing (done));

  failed = find (fixture, "/missing.bin");
  g_assert_cmpint (haul_download_get_state (failed), ==, HAUL_DOWNLOAD_FAILED);
  g_assert_cmpstr (haul_download_get_error_message (failed), ==, failed_message);

  waiting = find (fixture, "/waiting.bin");
  g_assert_cmpint (haul_download_get_state (waiting), ==, HAUL_DOWNLOAD_PAUSED);
  g_assert_cmpstr (haul_download_get_uri (waiting), ==, waiting_uri);

  slow = find (fixture, "/slow.bin");
  g_assert_cmpint (haul_download_get_state (slow), ==, HAUL_DOWNLOAD_PAUSED);
  g_assert_cmpint (haul_download_get_confirmed (slow), ==, confirmed);
  g_assert_cmpint (haul_download_get_received (slow), ==, confirmed);
  g_assert_cmpint (haul_download_get_total (slow), ==, SLOW_SIZE);
  g_assert_cmpstr (haul_download_get_etag (slow), ==, "\"s1\"");
  g_assert_cmpstr (haul_download_get_last_modified (slow), ==, "Wed, 21 Oct 2015 07:28:00 GMT");
  g_assert_cmpstr (haul_download_get_file_name (slow), ==, "slow.bin");
  g_assert_nonnull (haul_download_get_partial_path (slow));

  assert_resumes (fixture, slow, confirmed);
  /* One file each, no partial file left. */
  g_assert_cmpuint (count_files (fixture->folder, ".part"), ==, 0);
  g_assert_cmpuint (count_files (fixture->folder, NULL), ==, 2);

  /* And the finished state is what the next start sees. */
  close_queue (fixture);
  open_queue (fixture);
  slow = find (fixture, "/slow.bin");
  g_assert_cmpint (haul_download_get_state (slow), ==, HAUL_DOWNLOAD_COMPLETED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 4);
}

/* A download that was running when Haul quit comes back and continues. */
static void
test_running_resumes (Fixture       *fixture,
                      gconstpointer  data)
{
  HaulDownload *slow = add (fixture, "/slow.bin");

  g_assert_true (wait_until (slow, received_at_least, GINT_TO_POINTER (300 * 1024), WAIT_MS));
  g_assert_false (is_done (slow, NULL));
  close_queue (fixture);

  add_slow_file (fixture, 0);
  open_queue (fixture);
  slow = find (fixture, "/slow.bin");
  assert_state (slow, HAUL_DOWNLOAD_COMPLETED);
  {
    g_autofree char *path = haul_download_dup_path (slow);
    g_autofree char *headers = haul_test_server_get_last_request_headers (fixture->server,
                                                                          "/slow.bin");

    g_assert_true (haul_test_file_equals (path, fixture->slow));
    g_assert_nonnull (strstr (headers, "Range: bytes="));
  }
  g_assert_cmpuint (count_files (fixture->folder, ".part"), ==, 0);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  guint    ticks;   /* of a timer on the main loop, while the queue stops */
} Stopping;

static void
stopped_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Stopping *stopping = user_data;
  g_autoptr(GError) error = NULL;

  stopping->ok = haul_queue_shutdown_finish (HAUL_QUEUE (object), result, &error);
  g_assert_no_error (error);
  stopping->done = TRUE;
}

static gboolean
tick_cb (gpointer user_data)
{
  Stopping *stopping = user_data;

  stopping->ticks++;
  return G_SOURCE_CONTINUE;
}

/* Quitting as the application does: the main loop goes on while the
 * workers wind down and the store reaches the disk, and what ran is
 * recorded to resume at the next start. */
static void
test_quit_async (Fixture       *fixture,
                 gconstpointer  data)
{
  HaulDownload *slow = add (fixture, "/slow.bin");
  Stopping stopping = { FALSE, FALSE, 0 };
  guint tick;

  g_assert_true (wait_until (slow, received_at_least, GINT_TO_POINTER (300 * 1024), WAIT_MS));
  tick = g_timeout_add (1, tick_cb, &stopping);
  haul_queue_shutdown_async (fixture->queue, NULL, stopped_cb, &stopping);
  /* Nothing waited for on the way in: the answer comes from the loop. */
  g_assert_false (stopping.done);
  g_assert_true (haul_test_spin_until (&stopping.done, WAIT_MS));
  g_source_remove (tick);
  g_assert_true (stopping.ok);
  g_assert_cmpuint (stopping.ticks, >, 0);
  g_assert_false (is_done (slow, NULL));

  close_queue (fixture);
  add_slow_file (fixture, 0);
  open_queue (fixture);
  slow = find (fixture, "/slow.bin");
  assert_state (slow, HAUL_DOWNLOAD_COMPLETED);
  {
    g_autofree char *path = haul_download_dup_path (slow);
    g_autofree char *headers = haul_test_server_get_last_request_headers (fixture->server,
                                                                          "/slow.bin");

    g_assert_true (haul_test_file_equals (path, fixture->slow));
    g_assert_nonnull (strstr (headers, "Range: bytes="));
  }
}

typedef enum
{
  MISMATCH_MISSING,
  MISMATCH_SHORTER,
  MISMATCH_LONGER,
  MISMATCH_FOLDER_GONE,
  MISMATCH_READ_ONLY,
} Mismatch;

static gboolean
make_read_only (Fixture *fixture)
{
  if (private_mounts_error != NULL)
    {
      g_autofree char *reason =
        g_strdup_printf ("needs a private mount namespace to bind-mount the folder "
                         "read-only (root ignores file modes): %s", private_mounts_error);

      g_test_skip (reason);
      return FALSE;
    }

  if (mount (fixture->folder, fixture->folder, NULL, MS_BIND, NULL) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("bind mount failed: %s", g_strerror (errno));

      g_test_skip (reason);
      return FALSE;
    }
  fixture->bind_mount = g_strdup (fixture->folder);
  if (mount (NULL, fixture->folder, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("read-only remount failed: %s",
                                                 g_strerror (errno));

      g_test_skip (reason);
      return FALSE;
    }
  return TRUE;
}

static void
test_mismatch (Fixture       *fixture,
               gconstpointer  data)
{
  Mismatch mismatch = GPOINTER_TO_INT (data);
  g_autofree char *partial = NULL;
  g_autofree char *before = NULL;
  g_autofree char *final_path = NULL;
  gsize before_length = 0;
  gint64 confirmed;
  HaulDownload *slow;

  confirmed = pause_midway (fixture);
  slow = find (fixture, "/slow.bin");
  partial = g_strdup (haul_download_get_partial_path (slow));
  final_path = g_build_filename (fixture->folder, "slow.bin", NULL);
  close_queue (fixture);

  switch (mismatch)
    {
    case MISMATCH_MISSING:
      g_assert_cmpint (g_unlink (partial), ==, 0);
      break;

    case MISMATCH_SHORTER:
      g_assert_cmpint (truncate (partial, confirmed / 2), ==, 0);
      break;

    case MISMATCH_LONGER:
      {
        /* What a crash leaves: bytes written after the last checkpoint. */
        g_autoptr(GBytes) tail = haul_test_make_bytes (5000, 77);
        FILE *file = g_fopen (partial, "ab");

        g_assert_nonnull (file);
        g_assert_cmpuint (fwrite (g_bytes_get_data (tail, NULL), 1, 5000, file), ==, 5000);
        fclose (file);
      }
      break;

    case MISMATCH_FOLDER_GONE:
      haul_test_remove_tree (fixture->folder);
      g_assert_false (g_file_test (fixture->folder, G_FILE_TEST_EXISTS));
      break;

    case MISMATCH_READ_ONLY:
      if (!make_read_only (fixture))
        return;
      break;

    default:
      g_assert_not_reached ();
    }

  if (g_file_test (partial, G_FILE_TEST_EXISTS))
    g_assert_true (g_file_get_contents (partial, &before, &before_length, NULL));

  open_queue (fixture);
  slow = find (fixture, "/slow.bin");
  g_assert_cmpint (haul_download_get_state (slow), ==, HAUL_DOWNLOAD_PAUSED);
  g_assert_cmpint (haul_download_get_confirmed (slow), ==, confirmed);

  if (mismatch == MISMATCH_LONGER)
    {
      /* The normal after-crash case: cut back to the record, continue. */
      assert_resumes (fixture, slow, confirmed);
      return;
    }

  add_slow_file (fixture, 0);
  haul_queue_resume (fixture->queue, slow);
  assert_state (slow, HAUL_DOWNLOAD_FAILED);
  g_assert_nonnull (haul_download_get_error_message (slow));
  g_assert_cmpstr (haul_download_get_error_message (slow), !=, "");
  g_test_message ("message: %s", haul_download_get_error_message (slow));
  if (mismatch == MISMATCH_FOLDER_GONE)
    g_assert_nonnull (strstr (haul_download_get_error_message (slow), "folder"));

  /* Never a silent restart: no file appeared, what was there is kept. */
  g_assert_false (g_file_test (final_path, G_FILE_TEST_EXISTS));
  if (before != NULL)
    {
      g_autofree char *after = NULL;
      gsize after_length = 0;

      g_assert_true (g_file_get_contents (partial, &after, &after_length, NULL));
      g_assert_cmpmem (before, before_length, after, after_length);
    }

  /* The state is recorded: the next start shows the same. */
  {
    g_autofree char *message = g_strdup (haul_download_get_error_message (slow));

    close_queue (fixture);
    open_queue (fixture);
    slow = find (fixture, "/slow.bin");
    g_assert_cmpint (haul_download_get_state (slow), ==, HAUL_DOWNLOAD_FAILED);
    g_assert_cmpstr (haul_download_get_error_message (slow), ==, message);
  }

  /* When the cause is gone, the user can still get the file. */
  if (mismatch == MISMATCH_READ_ONLY)
    {
      g_assert_cmpint (umount2 (fixture->bind_mount, MNT_DETACH), ==, 0);
      g_clear_pointer (&fixture->bind_mount, g_free);
    }
  if (mismatch == MISMATCH_FOLDER_GONE)
    g_assert_cmpint (g_mkdir (fixture->folder, 0755), ==, 0);
  haul_queue_retry (fixture->queue, slow);
  assert_state (slow, HAUL_DOWNLOAD_COMPLETED);
  {
    g_autofree char *path = haul_download_dup_path (slow);

    g_assert_true (haul_test_file_equals (path, fixture->slow));
  }
}

/* The main-loop probe of the window issue: a 5 ms timeout that records
 * how late it fires. */
typedef struct
{
  gint64  expected;
  GArray *lateness;  /* gint64 µs */
} Probe;

static gboolean
probe_cb (gpointer data)
{
  Probe *probe = data;
  gint64 now = g_get_monotonic_time ();
  gint64 late = MAX (0, now - probe->expected);

  g_array_append_val (probe->lateness, late);
  probe->expected = now + 5 * G_TIME_SPAN_MILLISECOND;
  return G_SOURCE_CONTINUE;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gboolean
all_completed (HaulDownload  *unused,
               gconstpointer  data)
{
  HaulQueue *queue = (HaulQueue *) data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (queue));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (G_LIST_MODEL (queue), i);

      if (haul_download_get_state (download) != HAUL_DOWNLOAD_COMPLETED)
        return FALSE;
    }
  return TRUE;
}

static gboolean
never (HaulDownload  *unused,
       gconstpointer  data)
{
  return FALSE;
}

/* Database work never stalls the main loop: six downloads run (with their
 * state saves and checkpoints) while another connection holds the
 * database's write lock for 1.5 s. Had the main thread waited on SQLite,
 * the probe would see a stall that long. */
static void
test_main_loop_probe (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (4 * 1024 * 1024, 21);
  g_autoptr(GArray) lateness = g_array_new (FALSE, FALSE, sizeof (gint64));
  Probe probe = { 0, lateness };
  sqlite3 *locker = NULL;
  gint64 locked_at, max, p99;
  guint probe_id;

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *path = g_strdup_printf ("/probe-%u.bin", i);

      haul_test_server_add_file (fixture->server, path, body, NULL);
    }
  haul_queue_set_max_active (fixture->queue, 6);

  g_assert_cmpint (sqlite3_open (fixture->db_path, &locker), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (locker, "BEGIN EXCLUSIVE;", NULL, NULL, NULL), ==, SQLITE_OK);
  locked_at = g_get_monotonic_time ();

  probe.expected = g_get_monotonic_time () + 5 * G_TIME_SPAN_MILLISECOND;
  probe_id = g_timeout_add (5, probe_cb, &probe);

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *path = g_strdup_printf ("/probe-%u.bin", i);

      add (fixture, path);
    }

  /* Under the store's busy timeout (5 s), so its writer waits, not fails. */
  wait_until (NULL, never, NULL, 1500);
  g_assert_cmpint (sqlite3_exec (locker, "COMMIT;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (locker);
  g_test_message ("database locked for %.0f ms while the downloads ran",
                  (g_get_monotonic_time () - locked_at) / 1000.0);

  g_assert_true (wait_until (NULL, all_completed, fixture->queue, WAIT_MS));
  g_source_remove (probe_id);

  g_array_sort (lateness, compare_int64);
  max = g_array_index (lateness, gint64, lateness->len - 1);
  p99 = g_array_index (lateness, gint64, lateness->len * 99 / 100);
  g_test_message ("main-loop probe: %u samples, max stall %.1f ms, p99 %.1f ms",
                  lateness->len, max / 1000.0, p99 / 1000.0);
  g_assert_cmpint (max, <, 500 * G_TIME_SPAN_MILLISECOND);

  /* And what was held back was written once the lock went. */
  close_queue (fixture);
  open_queue (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 6);
  g_assert_true (all_completed (NULL, fixture->queue));
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("/probe-%u.bin", i);
      g_autofree char *path = haul_download_dup_path (find (fixture, name));

      g_assert_true (haul_test_file_equals (path, body));
    }
}

int
main (int   argc,
      char *argv[])
{
  static const struct {
    const char *name;
    Mismatch    mismatch;
  } mismatches[] = {
    { "missing", MISMATCH_MISSING },
    { "shorter", MISMATCH_SHORTER },
    { "longer", MISMATCH_LONGER },
    { "folder-gone", MISMATCH_FOLDER_GONE },
    { "read-only", MISMATCH_READ_ONLY },
  };

  /* Before any thread: a mount namespace of our own, mounts private to it. */
  private_mounts_error = haul_test_enter_private_mounts ();

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/haul/engine/restart/round-trip", Fixture, NULL,
              fixture_setup, test_round_trip, fixture_teardown);
  g_test_add ("/haul/engine/restart/running-resumes", Fixture, NULL,
              fixture_setup, test_running_resumes, fixture_teardown);
  g_test_add ("/haul/engine/restart/quit-async", Fixture, NULL,
              fixture_setup, test_quit_async, fixture_teardown);
  g_test_add ("/haul/engine/restart/main-loop-probe", Fixture, NULL,
              fixture_setup, test_main_loop_probe, fixture_teardown);
  for (guint i = 0; i < G_N_ELEMENTS (mismatches); i++)
    {
      g_autofree char *path = g_strdup_printf ("/haul/engine/restart/partial/%s",
                                               mismatches[i].name);

      g_test_add (path, Fixture, GINT_TO_POINTER (mismatches[i].mismatch),
                  fixture_setup, test_mismatch, fixture_teardown);
    }

  return g_test_run ();
}
