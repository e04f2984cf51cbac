/* test-checksum-file.c: hashing real files off the main thread
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "haul-checksum-file.h"
#include "haul-error.h"
#include "haul-test-server.h"

#define ABC_SHA256 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define CHUNK (64 * 1024)  /* the hasher's piece */
#define MIB (1024 * 1024)

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = haul_test_make_tmpdir ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  haul_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            GBytes     *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);
  gsize size = 0;
  const char *data = g_bytes_get_data (contents, &size);

  g_file_set_contents (path, size > 0 ? data : "", size, &error);
  g_assert_no_error (error);
  return path;
}

/* The reference: GChecksum over the same bytes in memory, in one go. */
static char *
digest_of (GChecksumType  algorithm,
           GBytes        *bytes)
{
  gsize size = 0;
  const guchar *data = g_bytes_get_data (bytes, &size);

  return g_compute_checksum_for_data (algorithm, size > 0 ? data : (const guchar *) "", size);
}

static HaulChecksumSpec *
spec_for (GChecksumType  algorithm,
          const char    *hex)
{
  g_autofree char *text = g_strconcat (haul_checksum_algorithm_to_string (algorithm), "=", hex,
                                       NULL);
  g_autoptr(GError) error = NULL;
  HaulChecksumSpec *spec = haul_checksum_spec_parse (text, &error);

  g_assert_no_error (error);
  return spec;
}

typedef struct
{
  GMainLoop  *loop;
  gboolean    done;
  gboolean    matched;
  char       *actual;
  GError     *error;
  GThread    *callback_thread;
} AsyncResult;

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncResult *out = user_data;

  out->matched = haul_checksum_file_finish (result, &out->actual, &out->error);
  out->callback_thread = g_thread_self ();
  g_atomic_int_set (&out->done, TRUE);
}

static void
async_result_clear (AsyncResult *out)
{
  g_clear_pointer (&out->actual, g_free);
  g_clear_error (&out->error);
}

static void
check_file (Fixture       *fixture,
            gsize          size,
            guint32        seed,
            GChecksumType  algorithm)
{
  g_autoptr(GBytes) bytes = haul_test_make_bytes (size, seed);
  g_autofree char *name = g_strdup_printf ("file-%" G_GSIZE_FORMAT ".bin", size);
  g_autofree char *path = write_file (fixture, name, bytes);
  g_autofree char *expected = digest_of (algorithm, bytes);
  g_autoptr(HaulChecksumSpec) spec = spec_for (algorithm, expected);
  g_autoptr(GError) error = NULL;
  g_autofree char *actual = NULL;
  AsyncResult async = { 0 };

  g_assert_true (haul_checksum_file (path, spec, NULL, NULL, NULL, &actual, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (actual, ==, expected);

  haul_checksum_file_async (path, spec, NULL, NULL, NULL, NULL, async_done_cb, &async);
  g_assert_true (haul_test_spin_until (&async.done, 30000));
  g_assert_no_error (async.error);
  g_assert_true (async.matched);
  g_assert_cmpstr (async.actual, ==, expected);
  async_result_clear (&async);
}

static void
test_known_digests (Fixture       *fixture,
                    gconstpointer  data)
{
  static const gsize sizes[] = {
    0, 1, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1,
    256 * 1024 - 1, 256 * 1024 + 1, 5 * MIB,
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    check_file (fixture, sizes[i], 1000 + i, G_CHECKSUM_SHA256);
  check_file (fixture, 5 * MIB + 3, 7, G_CHECKSUM_SHA512);
  check_file (fixture, 3 * CHUNK + 17, 8, G_CHECKSUM_SHA1);
  check_file (fixture, 3 * CHUNK + 17, 9, G_CHECKSUM_MD5);
}

/* A fixed vector, independent of GChecksum, and coreutils' own tool. */
static void
test_independent_digests (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GBytes) abc = g_bytes_new_static ("abc", 3);
  g_autoptr(GBytes) big = haul_test_make_bytes (5 * MIB + 1, 42);
  g_autofree char *abc_path = write_file (fixture, "abc", abc);
  g_autofree char *big_path = write_file (fixture, "big.bin", big);
  g_autoptr(HaulChecksumSpec) abc_spec = spec_for (G_CHECKSUM_SHA256, ABC_SHA256);
  g_autofree char *sha256sum = g_find_program_in_path ("sha256sum");
  g_autofree char *out = NULL;
  g_autofree char *actual = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { NULL, NULL, NULL };
  int status = -1;

  g_assert_true (haul_checksum_file (abc_path, abc_spec, NULL, NULL, NULL, NULL, NULL));

  if (sha256sum == NULL)
    {
      g_test_message ("sha256sum is not installed: compared with GChecksum only");
      return;
    }
  argv[0] = sha256sum;
  argv[1] = big_path;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpuint (strlen (out), >, 64);
  out[64] = '\0';
  {
    g_autoptr(HaulChecksumSpec) spec = spec_for (G_CHECKSUM_SHA256, out);

    g_assert_true (haul_checksum_file (big_path, spec, NULL, NULL, NULL, &actual, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (actual, ==, out);
  }
}

static void
test_mismatch (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GBytes) bytes = haul_test_make_bytes (MIB, 5);
  g_autofree char *path = write_file (fixture, "file.bin", bytes);
  g_autofree char *right = digest_of (G_CHECKSUM_SHA256, bytes);
  g_autoptr(HaulChecksumSpec) spec = spec_for (G_CHECKSUM_SHA256, ABC_SHA256);
  g_autofree char *message = g_strdup_printf ("The checksum does not match: expected %s, got %s",
                                              ABC_SHA256, right);
  g_autoptr(GError) error = NULL;
  g_autofree char *actual = NULL;
  AsyncResult async = { 0 };

  g_assert_false (haul_checksum_file (path, spec, NULL, NULL, NULL, &actual, &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_MISMATCH);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_false (haul_error_is_resumable (error));
  /* What was found is kept for the row's details. */
  g_assert_cmpstr (actual, ==, right);

  haul_checksum_file_async (path, spec, NULL, NULL, NULL, NULL, async_done_cb, &async);
  g_assert_true (haul_test_spin_until (&async.done, 30000));
  g_assert_false (async.matched);
  g_assert_error (async.error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_MISMATCH);
  g_assert_cmpstr (async.error->message, ==, message);
  g_assert_cmpstr (async.actual, ==, right);
  async_result_clear (&async);
}

typedef struct
{
  GArray       *hashed;        /* gint64, each call's value */
  gint64        total;         /* the last call's */
  gboolean      total_changed;
  GThread      *thread;        /* where calls came from */
  gboolean      other_thread;
  guint         n_destroyed;   /* (atomic) */
  gint64        latest;        /* (atomic) via __atomic, for polling */
  GCancellable *cancel_after;  /* (nullable) cancelled once @cancel_at is passed */
  gint64        cancel_at;
} Progress;

static void
progress_init (Progress *progress)
{
  memset (progress, 0, sizeof *progress);
  progress->hashed = g_array_new (FALSE, FALSE, sizeof (gint64));
  progress->total = -1;
}

static void
progress_clear (Progress *progress)
{
  g_array_unref (progress->hashed);
  g_clear_object (&progress->cancel_after);
}

static void
progress_cb (gint64   hashed,
             gint64   total,
             gpointer user_data)
{
  Progress *progress = user_data;

  if (progress->total >= 0 && progress->total != total)
    progress->total_changed = TRUE;
  progress->total = total;
  g_array_append_val (progress->hashed, hashed);
  if (progress->thread != NULL && progress->thread != g_thread_self ())
    progress->other_thread = TRUE;
  progress->thread = g_thread_self ();
  __atomic_store_n (&progress->latest, hashed, __ATOMIC_RELEASE);
  if (progress->cancel_after != NULL && hashed >= progress->cancel_at)
    g_cancellable_cancel (progress->cancel_after);
}

static void
progress_destroy (gpointer user_data)
{
  Progress *progress = user_data;

  g_atomic_int_inc (&progress->n_destroyed);
}

static void
assert_progress_sane (Progress *progress,
                      gint64    size)
{
  gint64 previous = -1;

  g_assert_cmpuint (progress->hashed->len, >=, 1);
  g_assert_false (progress->total_changed);
  g_assert_cmpint (progress->total, ==, size);
  for (guint i = 0; i < progress->hashed->len; i++)
    {
      gint64 hashed = g_array_index (progress->hashed, gint64, i);

      /* Rising, in steps no larger than one piece. */
      g_assert_cmpint (hashed, >, previous);
      if (previous >= 0)
        g_assert_cmpint (hashed - previous, <=, CHUNK);
      g_assert_cmpint (hashed, <=, size);
      previous = hashed;
    }
  g_assert_cmpint (previous, ==, size);
}

static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  static const gsize sizes[] = { 0, 1, CHUNK, 5 * MIB + 1 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) bytes = haul_test_make_bytes (sizes[i], 11 + i);
      g_autofree char *path = write_file (fixture, "progress.bin", bytes);
      g_autofree char *hex = digest_of (G_CHECKSUM_SHA256, bytes);
      g_autoptr(HaulChecksumSpec) spec = spec_for (G_CHECKSUM_SHA256, hex);
      Progress progress;

      progress_init (&progress);
      g_assert_true (haul_checksum_file (path, spec, progress_cb, &progress, NULL, NULL, NULL));
      assert_progress_sane (&progress, sizes[i]);
      /* One call per piece, or the single one of an empty file. */
      g_assert_cmpuint (progress.hashed->len, ==, MAX (1, (sizes[i] + CHUNK - 1) / CHUNK));
      g_assert_true (progress.thread == g_thread_self ());
      progress_clear (&progress);
    }
}

static void
test_async_threads (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) bytes = haul_test_make_bytes (5 * MIB + 7, 21);
  g_autofree char *path = write_file (fixture, "async.bin", bytes);
  g_autofree char *hex = digest_of (G_CHECKSUM_SHA256, bytes);
  g_autoptr(HaulChecksumSpec) spec = spec_for (G_CHECKSUM_SHA256, hex);
  AsyncResult async = { 0 };
  Progress progress;

  progress_init (&progress);
  haul_checksum_file_async (path, spec, progress_cb, &progress, progress_destroy, NULL,
                            async_done_cb, &async);
  /* The spec was copied: the caller may let go of its own at once. */
  g_clear_pointer (&spec, haul_checksum_spec_free);
  g_assert_true (haul_test_spin_until (&async.done, 30000));
  g_assert_no_error (async.error);
  g_assert_true (async.matched);
  g_assert_cmpstr (async.actual, ==, hex);

  /* Progress came from one other thread; the result to this one. */
  assert_progress_sane (&progress, 5 * MIB + 7);
  g_assert_false (progress.other_thread);
  g_assert_true (progress.thread != g_thread_self ());
  g_assert_true (async.callback_thread == g_thread_self ());
  g_assert_cmpuint (g_atomic_int_get (&progress.n_destroyed), ==, 1);
  async_result_clear (&async);
  progress_clear (&progress);
}

static void
test_cancel_sync (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GBytes) bytes = haul_test_make_bytes (8 * MIB, 31);
  g_autofree char *path = write_file (fixture, "cancel.bin", bytes);
  g_autoptr(HaulChecksumSpec) spec = spec_for (G_CHECKSUM_SHA256, ABC_SHA256);
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *actual = NULL;
  Progress progress;

  /* Cancelled before it starts: nothing is read. */
  progress_init (&progress);
  g_cancellable_cancel (cancelled);
  g_assert_false (haul_checksum_file (path, spec, progress_cb, &progress, cancelled, &actual,
                                      &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (progress.hashed->len, ==, 0);
  g_assert_null (actual);
  g_clear_error (&error);
  progress_clear (&progress);

  /* Cancelled during: it stops at the next piece, and has no digest. */
  progress_init (&progress);
  progress.cancel_after = g_cancellable_new ();
  progress.cancel_at = 2 * CHUNK;
  g_assert_false (haul_checksum_file (path, spec, progress_cb, &progress,
                                      progress.cancel_after, &actual, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (progress.hashed->len, ==, 2);
  g_assert_null (actual);
  progress_clear (&progress);
}

static gboolean
progress_seen (gpointer user_data)
{
  Progress *progress = user_data;

  return __atomic_load_n (&progress->latest, __ATOMIC_ACQUIRE) > 0;
}

/* A long hash in a thread, cancelled from the main thread: the callback
 * must come back well within 100 ms. */
static void
test_cancel_async (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "sparse.bin", NULL);
  g_autoptr(HaulChecksumSpec) spec = spec_for (G_CHECKSUM_SHA256, ABC_SHA256);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncResult async = { 0 };
  Progress progress;
  gint64 deadline;
  gint64 cancelled_at;
  gint64 elapsed_ms;
  int fd;

  /* 1 GiB of holes: no disk used, and several seconds of hashing. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 1024 * MIB), ==, 0);
  close (fd);

  progress_init (&progress);
  haul_checksum_file_async (path, spec, progress_cb, &progress, progress_destroy, cancellable,
                            async_done_cb, &async);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!progress_seen (&progress) && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_assert_true (progress_seen (&progress));
  g_usleep (20 * 1000);

  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  g_assert_true (haul_test_spin_until (&async.done, 5000));
  elapsed_ms = (g_get_monotonic_time () - cancelled_at) / 1000;
  g_test_message ("cancelled after %" G_GINT64_FORMAT " of %d bytes; callback %" G_GINT64_FORMAT
                  " ms after the cancel", __atomic_load_n (&progress.latest, __ATOMIC_ACQUIRE),
                  1024 * MIB, elapsed_ms);
  g_assert_cmpint (elapsed_ms, <, 100);
  g_assert_error (async.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (async.matched);
  g_assert_null (async.actual);
  g_assert_cmpint (__atomic_load_n (&progress.latest, __ATOMIC_ACQUIRE), <, 1024 * MIB);
  g_assert_cmpuint (g_atomic_int_get (&progress.n_destroyed), ==, 1);
  async_result_clear (&async);
  progress_clear (&progress);
}

static void
check_file_error (const char *path,
                  const char *message)
{
  g_autoptr(HaulChecksumSpec) spec = spec_for (G_CHECKSUM_SHA256, ABC_SHA256);
  g_autoptr(GError) error = NULL;
  g_autofree char *actual = NULL;
  gint64 start = g_get_monotonic_time ();
  AsyncResult async = { 0 };

  g_assert_false (haul_checksum_file (path, spec, NULL, NULL, NULL, &actual, &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_FILE);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_null (actual);
  /* Refused at once: a FIFO must not block the open. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  haul_checksum_file_async (path, spec, NULL, NULL, NULL, NULL, async_done_cb, &async);
  g_assert_true (haul_test_spin_until (&async.done, 5000));
  g_assert_error (async.error, HAUL_ERROR, HAUL_ERROR_FILE);
  async_result_clear (&async);
}

static void
test_not_a_file (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GBytes) abc = g_bytes_new_static ("abc", 3);
  g_autofree char *target = write_file (fixture, "target", abc);
  g_autofree char *link = g_build_filename (fixture->dir, "link.part", NULL);
  g_autofree char *fifo = g_build_filename (fixture->dir, "fifo.part", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.part", NULL);
  g_autoptr(HaulChecksumSpec) spec = spec_for (G_CHECKSUM_SHA256, ABC_SHA256);
  g_autofree char *dir_message =
    g_strdup_printf ("Could not check the checksum of “%s”: it is not a regular file",
                     strrchr (fixture->dir, '/') + 1);

  /* The target itself is fine; a link to it is never followed. */
  g_assert_true (haul_checksum_file (target, spec, NULL, NULL, NULL, NULL, NULL));
  g_assert_cmpint (symlink (target, link), ==, 0);
  check_file_error (link, "Could not check the checksum of “link.part”: it is a symbolic link");
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  check_file_error (fifo, "Could not check the checksum of “fifo.part”: it is not a regular file");
  check_file_error (fixture->dir, dir_message);
  check_file_error (missing, "Could not open “missing.part” to check its checksum: "
                    "No such file or directory");
}

/* As an ordinary user (root reads anything). */
static void
test_unreadable (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GBytes) abc = g_bytes_new_static ("abc", 3);
  g_autofree char *path = write_file (fixture, "locked.part", abc);

  if (geteuid () == 0)
    {
      g_test_skip ("root can read a file of mode 000");
      return;
    }
  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  check_file_error (path, "Could not open “locked.part” to check its checksum: "
                    "Permission denied");
}

/* The transfer's way: bytes a resume kept are read from the partial
 * file, new ones are fed as they arrive. */
static void
test_feed_fd (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GBytes) bytes = haul_test_make_bytes (3 * MIB + 5, 77);
  g_autofree char *hex = digest_of (G_CHECKSUM_SHA256, bytes);
  g_autoptr(HaulChecksumSpec) spec = spec_for (G_CHECKSUM_SHA256, hex);
  g_autoptr(HaulChecksumVerifier) resumed = haul_checksum_verifier_new (spec);
  g_autoptr(HaulChecksumVerifier) middle = haul_checksum_verifier_new (spec);
  g_autoptr(HaulChecksumVerifier) short_file = haul_checksum_verifier_new (spec);
  g_autoptr(GBytes) kept = g_bytes_new_from_bytes (bytes, 0, 2 * MIB + 1);
  g_autofree char *path = write_file (fixture, "file.part", kept);
  g_autoptr(GError) error = NULL;
  const guint8 *all;
  gsize size;
  Progress progress;
  int fd;

  all = g_bytes_get_data (bytes, &size);
  fd = g_open (path, O_RDONLY, 0);
  g_assert_cmpint (fd, >=, 0);

  /* Kept bytes from disk, then the rest as if from the network. */
  progress_init (&progress);
  g_assert_true (haul_checksum_verifier_feed_fd (resumed, fd, 2 * MIB + 1, progress_cb, &progress,
                                                 NULL, &error));
  g_assert_no_error (error);
  assert_progress_sane (&progress, 2 * MIB + 1);
  g_assert_cmpint (haul_checksum_verifier_get_offset (resumed), ==, 2 * MIB + 1);
  haul_checksum_verifier_update (resumed, all + 2 * MIB + 1, size - (2 * MIB + 1));
  g_assert_true (haul_checksum_verifier_finish (resumed, &error));
  g_assert_no_error (error);
  progress_clear (&progress);

  /* From a verifier's offset to the end of the file, -1; the file's own
   * offset is never moved. */
  haul_checksum_verifier_update (middle, all, 1000);
  g_assert_true (haul_checksum_verifier_feed_fd (middle, fd, -1, NULL, NULL, NULL, &error));
  g_assert_cmpint (haul_checksum_verifier_get_offset (middle), ==, 2 * MIB + 1);
  g_assert_cmpint (lseek (fd, 0, SEEK_CUR), ==, 0);
  haul_checksum_verifier_update (middle, all + 2 * MIB + 1, size - (2 * MIB + 1));
  g_assert_true (haul_checksum_verifier_finish (middle, NULL));

  /* A partial file shorter than the bytes recorded. */
  g_assert_false (haul_checksum_verifier_feed_fd (short_file, fd, 3 * MIB, NULL, NULL, NULL,
                                                  &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_FILE);
  g_assert_cmpstr (error->message, ==,
                   "The file holds only 2.1\xc2\xa0MB of 3.1\xc2\xa0MB: its checksum cannot be "
                   "checked");
  close (fd);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/checksum-file/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)
  ADD ("known-digests", test_known_digests);
  ADD ("independent-digests", test_independent_digests);
  ADD ("mismatch", test_mismatch);
  ADD ("progress", test_progress);
  ADD ("async-threads", test_async_threads);
  ADD ("cancel-sync", test_cancel_sync);
  ADD ("cancel-async", test_cancel_async);
  ADD ("not-a-file", test_not_a_file);
  ADD ("unreadable", test_unreadable);
  ADD ("feed-fd", test_feed_fd);
#undef ADD

  return g_test_run ();
}
