/* haul-test-helpers.c: temporary folders, bounded waits, files and a
 * queue for the tests
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Declared in haul-test-server.h with the rest of the test library.
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

#include "haul-test-server.h"

GBytes *
haul_test_make_bytes (gsize   size,
                      guint32 seed)
{
  guint8 *data = g_malloc (MAX (size, 1));
  guint32 x = seed ? seed : 0x9e3779b9;

  /* xorshift32: cheap, and different for every seed and offset. */
  for (gsize i = 0; i < size; i++)
    {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      data[i] = (guint8) (x >> 24);
    }

  return g_bytes_new_take (data, size);
}

char *
haul_test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp ("haul-test-XXXXXX", &error);

  g_assert_no_error (error);
  return path;
}

void
haul_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  GStatBuf st;

  if (path == NULL || g_lstat (path, &st) != 0)
    return;

  /* lstat: a planted symlink is removed, never followed. */
  if (!S_ISDIR (st.st_mode))
    {
      g_unlink (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      haul_test_remove_tree (child);
    }
  g_rmdir (path);
}

static gboolean
spin_deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
spin_wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
haul_test_spin_until (const gboolean *done,
                      guint           timeout_ms)
{
  gboolean timed_out = FALSE;
  guint deadline_id;
  guint wake_id;

  deadline_id = g_timeout_add (timeout_ms, spin_deadline_cb, &timed_out);
  /* @done may be set from another thread without waking this context. */
  wake_id = g_timeout_add (10, spin_wake_cb, NULL);

  while (!g_atomic_int_get (done) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (deadline_id);
  g_source_remove (wake_id);

  return g_atomic_int_get (done);
}

typedef struct
{
  HaulTestCondFunc cond;
  gpointer         data;
  gboolean         done;
} Poll;

static gboolean
poll_cb (gpointer user_data)
{
  Poll *poll = user_data;

  poll->done = poll->cond (poll->data);
  return G_SOURCE_CONTINUE;
}

gboolean
haul_test_wait_for (HaulTestCondFunc cond,
                    gpointer         data,
                    guint            timeout_ms)
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

void
haul_test_spin_for (guint ms)
{
  gboolean never = FALSE;

  haul_test_spin_until (&never, ms);
}

typedef struct
{
  HaulDownload      *download;
  HaulDownloadState  state;
  gint64             received;
} DownloadWait;

static gboolean
state_is (gpointer data)
{
  DownloadWait *wait = data;

  return haul_download_get_state (wait->download) == wait->state;
}

gboolean
haul_test_wait_state (HaulDownload      *download,
                      HaulDownloadState  state,
                      guint              timeout_ms)
{
  DownloadWait wait = { download, state, 0 };

  return haul_test_wait_for (state_is, &wait, timeout_ms);
}

static gboolean
received_at_least (gpointer data)
{
  DownloadWait *wait = data;

  return haul_download_get_received (wait->download) >= wait->received;
}

gboolean
haul_test_wait_received (HaulDownload *download,
                         gint64        received,
                         guint         timeout_ms)
{
  DownloadWait wait = { download, 0, received };

  return haul_test_wait_for (received_at_least, &wait, timeout_ms);
}

static gboolean
server_idle (gpointer data)
{
  return haul_test_server_get_in_flight (data) == 0;
}

gboolean
haul_test_wait_server_idle (HaulTestServer *server,
                            guint           timeout_ms)
{
  return haul_test_wait_for (server_idle, server, timeout_ms);
}

gboolean
haul_test_file_equals (const char *path,
                       GBytes     *expected)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  gsize expected_length;
  const void *expected_data = g_bytes_get_data (expected, &expected_length);

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return length == expected_length
         && (length == 0 || memcmp (contents, expected_data, length) == 0);
}

HaulChecksumSpec *
haul_test_checksum_spec_for (GChecksumType  type,
                             GBytes        *bytes)
{
  g_autofree char *hex = g_compute_checksum_for_bytes (type, bytes);
  g_autofree char *text = g_strdup_printf ("%s=%s", haul_checksum_algorithm_to_string (type),
                                           hex);
  g_autoptr(GError) error = NULL;
  HaulChecksumSpec *spec = haul_checksum_spec_parse (text, &error);

  g_assert_no_error (error);
  return spec;
}

static gboolean
last_ref (gpointer data)
{
  return g_atomic_int_get ((gint *) &G_OBJECT (data)->ref_count) == 1;
}

void
haul_test_wait_last_ref (gpointer object)
{
  g_return_if_fail (G_IS_OBJECT (object));
  haul_test_wait_for (last_ref, object, 2000);
}

HaulDownload *
haul_test_queue_add (HaulQueue      *queue,
                     HaulTestServer *server,
                     const char     *path,
                     const char     *folder)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = haul_test_server_uri (server, path);
  HaulDownload *download = haul_queue_add (queue, uri, folder, &error);

  g_assert_no_error (error);
  g_assert_nonnull (download);
  return download;
}

void
haul_test_open_queue (const char  *db_path,
                      HaulStore  **store,
                      HaulQueue  **queue)
{
  g_autoptr(GError) error = NULL;

  *store = haul_store_new (db_path, &error);
  g_assert_no_error (error);
  *queue = haul_queue_new (*store);
  /* One connection per download: these tests are about restarting; the
   * kill test and test-segments.c cover several. */
  g_object_set (*queue, "connections-per-download", 1, NULL);
  haul_queue_restore (*queue, &error);
  g_assert_no_error (error);
}

/* The engine asks for its waits on the main thread, the test's own. */
static GArray *fake_retry_attempts;  /* guint */

gint64
haul_test_fake_retry_delay (guint   attempt,
                            gint64  retry_after,
                            guint32 jitter)
{
  if (fake_retry_attempts == NULL)
    fake_retry_attempts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_val (fake_retry_attempts, attempt);
  return 10 * G_TIME_SPAN_MILLISECOND;
}

void
haul_test_fake_retry_reset (void)
{
  if (fake_retry_attempts != NULL)
    g_array_set_size (fake_retry_attempts, 0);
}

guint
haul_test_fake_retry_n_waits (void)
{
  return fake_retry_attempts != NULL ? fake_retry_attempts->len : 0;
}

guint
haul_test_fake_retry_attempt (guint i)
{
  g_assert_nonnull (fake_retry_attempts);
  g_assert_cmpuint (i, <, fake_retry_attempts->len);
  return g_array_index (fake_retry_attempts, guint, i);
}

void
haul_test_close_queue (HaulStore **store,
                       HaulQueue **queue)
{
  haul_queue_shutdown (*queue);
  g_clear_object (queue);
  g_clear_object (store);
}

const char *
haul_test_enter_private_mounts (void)
{
  if (unshare (CLONE_NEWNS) != 0)
    return g_strerror (errno);
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    return g_strerror (errno);
  return NULL;
}
