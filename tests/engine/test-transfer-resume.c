/* test-transfer-resume.c: the worker side of a download, against real
 * servers: resume, the partial and final file on disk, cancel and stall
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "haul-error.h"
#include "haul-test-server.h"
#include "haul-test-tls.h"
#include "transfer-fixture.h"


/* Resume ------------------------------------------------------------------ */

typedef struct
{
  HaulTransferJob    *job;
  GCancellable       *cancellable;
  HaulTransferResult *result;
  gboolean            done;
  gint64              finished_at;
} Runner;

static gpointer
runner_thread (gpointer data)
{
  Runner *runner = data;

  runner->result = haul_transfer_run (runner->job, runner->cancellable);
  runner->finished_at = g_get_monotonic_time ();
  g_atomic_int_set (&runner->done, TRUE);
  return NULL;
}

/* Waits (bounded) until the cell reports at least @bytes. */
static gboolean
wait_received (HaulProgressCell *cell,
               gint64            bytes,
               guint             timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      gint64 received = 0;

      haul_progress_cell_take (cell, NULL, &received, NULL);
      if (received >= bytes)
        return TRUE;
      g_usleep (10 * 1000);
    }
  return FALSE;
}

/* Starts a throttled download, stops it with @intent after @after bytes,
 * and returns the result and how long the stop took. */
static HaulTransferResult *
run_and_stop (Fixture    *f,
              const char *uri,
              HaulIntent  intent,
              gint64      after,
              gint64     *stop_usec)
{
  Runner runner = { 0 };
  GThread *thread;
  gint64 cancelled_at;

  runner.job = make_job (f, uri);
  runner.cancellable = g_cancellable_new ();
  thread = g_thread_new ("transfer", runner_thread, &runner);

  g_assert_true (wait_received (f->cell, after, 10000));
  haul_progress_cell_set_intent (f->cell, intent);
  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (runner.cancellable);
  g_thread_join (thread);

  *stop_usec = runner.finished_at - cancelled_at;
  haul_transfer_job_free (runner.job);
  g_object_unref (runner.cancellable);
  haul_progress_cell_set_intent (f->cell, HAUL_INTENT_NONE);
  return runner.result;
}

static void
test_pause_resume (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * MiB, 15);
  HaulTestFileOptions slow = { .etag = "\"v1\"", .bytes_per_second = 1 * MiB };
  HaulTestFileOptions fast = { .etag = "\"v1\"" };
  g_autofree char *uri = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *range = NULL;
  g_autoptr(HaulTransferResult) paused = NULL;
  g_autoptr(HaulTransferResult) resumed = NULL;
  g_autoptr(HaulTransferJob) job = NULL;
  gint64 stop_usec;

  haul_test_server_add_file (f->server, "/big.bin", body, &slow);
  uri = haul_test_server_uri (f->server, "/big.bin");
  paused = run_and_stop (f, uri, HAUL_INTENT_PAUSE, 300 * KiB, &stop_usec);

  g_assert_error (paused->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (stop_usec, <, G_USEC_PER_SEC);
  g_assert_nonnull (paused->state->partial_path);
  g_assert_cmpint (paused->received, >=, 300 * KiB);
  g_assert_cmpint (paused->received, <, 2 * MiB);
  g_assert_cmpstr (paused->state->etag, ==, "\"v1\"");
  g_assert_cmpint (f->last_confirmed, ==, paused->received);
  {
    g_autoptr(GBytes) prefix = g_bytes_new_from_bytes (body, 0, paused->received);

    g_assert_true (haul_test_file_equals (paused->state->partial_path, prefix));
  }

  /* Resume: a verified 206 appends the rest. */
  haul_test_server_add_file (f->server, "/big.bin", body, &fast);
  job = make_job (f, uri);
  job->resume = haul_resume_state_copy (paused->state);
  resumed = haul_transfer_run (job, NULL);

  assert_completed (f, resumed, "big.bin", body);
  g_assert_null (resumed->notice);
  headers = haul_test_server_get_last_request_headers (f->server, "/big.bin");
  range = g_strdup_printf ("Range: bytes=%" G_GINT64_FORMAT "-\n", paused->received);
  g_assert_nonnull (strstr (headers, range));
  g_assert_nonnull (strstr (headers, "If-Range: \"v1\"\n"));
  g_assert_cmpuint (count_files (f->dir), ==, 1);
}

static HaulTransferJob *
resume_job (Fixture    *f,
            const char *uri,
            const char *partial_path,
            const char *etag,
            gint64      confirmed)
{
  HaulTransferJob *job = make_job (f, uri);

  job->resume = haul_resume_state_new ();
  job->resume->file_name = g_path_get_basename (partial_path);
  *strstr (job->resume->file_name, ".part") = '\0';
  job->resume->partial_path = g_strdup (partial_path);
  job->resume->etag = g_strdup (etag);
  job->resume->confirmed = confirmed;
  return job;
}

/* The first @kept bytes of @planted as NAME.part, recorded with @etag
 * (and the length @total, -1 if none was), resumed from a server of
 * @served at /NAME with @options: asserts it completed with @served. */
static HaulTransferResult *
resume_planted (Fixture                   *f,
                const char                *name,
                GBytes                    *planted,
                gsize                      kept,
                const char                *etag,
                gint64                     total,
                GBytes                    *served,
                const HaulTestFileOptions *options)
{
  g_autofree char *path = g_strdup_printf ("/%s", name);
  g_autofree char *part_name = g_strdup_printf ("%s.part", name);
  g_autofree char *uri = haul_test_server_uri (f->server, path);
  g_autofree char *partial = plant_partial (f, part_name, planted, kept);
  g_autoptr(HaulTransferJob) job = resume_job (f, uri, partial, etag, kept);
  HaulTransferResult *result;

  job->resume->total = total;
  haul_test_server_add_file (f->server, path, served, options);
  result = haul_transfer_run (job, NULL);
  assert_completed (f, result, name, served);
  return result;
}

static void
test_ignores_range (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB, 16);
  HaulTestFileOptions options = { .etag = "\"same\"", .ignore_range = TRUE };
  g_autoptr(HaulTransferResult) result = NULL;

  result = resume_planted (f, "ir.bin", body, 100 * KiB, "\"same\"", -1, body, &options);
  /* Same version, started over only because the server sent it all. */
  /* Not "changed": the server only cannot resume. */
  g_assert_cmpstr (result->notice, ==,
                   "The server cannot continue a download; it started again from the beginning");
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/ir.bin"), ==, 1);
}

static void
test_etag_changed (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) v1 = haul_test_make_bytes (MiB, 17);
  g_autoptr(GBytes) v2 = haul_test_make_bytes (MiB + 100, 18);
  HaulTestFileOptions options = { .etag = "\"v2\"" };
  g_autoptr(HaulTransferResult) result = NULL;

  result = resume_planted (f, "e.bin", v1, 300 * KiB, "\"v1\"", -1, v2, &options);
  g_assert_nonnull (strstr (result->notice, "changed on the server"));
  g_assert_cmpstr (result->state->etag, ==, "\"v2\"");
}

/* A server that answers the Range with a 206 of another version (it
 * ignores If-Range): the bytes must not be spliced. */
static void
test_206_other_version (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GBytes) v1 = haul_test_make_bytes (200 * KiB, 19);
  g_autoptr(GBytes) v2 = haul_test_make_bytes (200 * KiB, 20);
  g_autoptr(GBytes) tail = g_bytes_new_from_bytes (v2, 50 * KiB, 150 * KiB);
  g_autofree char *partial = plant_partial (f, "o.bin.part", v1, 50 * KiB);
  g_autoptr(HaulTransferResult) result = NULL;
  g_autoptr(HaulTransferJob) job = NULL;
  HaulTestRawServer *raw;
  g_autofree char *uri = NULL;
  RawScript script = { { NULL } };

  script.replies[0] = reply_new ("HTTP/1.1 206 Partial Content\r\n"
                                 "Content-Range: bytes 51200-204799/204800\r\n"
                                 "Content-Length: 153600\r\nETag: \"v2\"\r\n"
                                 "Connection: close\r\n\r\n",
                                 tail, 150 * KiB);
  script.replies[1] = reply_new ("HTTP/1.1 200 OK\r\nContent-Length: 204800\r\n"
                                 "ETag: \"v2\"\r\nConnection: close\r\n\r\n",
                                 v2, 200 * KiB);
  raw = haul_test_raw_server_new (raw_script_handler, &script);
  uri = haul_test_raw_server_uri (raw, "/o.bin");
  job = resume_job (f, uri, partial, "\"v1\"", 50 * KiB);
  result = haul_transfer_run (job, NULL);
  haul_test_raw_server_free (raw);

  assert_completed (f, result, "o.bin", v2);
  g_assert_nonnull (strstr (result->notice, "changed on the server"));
  g_assert_nonnull (strstr (script.heads[0], "Range: bytes=51200-"));
  g_assert_null (strstr (script.heads[1], "Range:"));
  raw_script_clear (&script);
}

/* Every byte of the announced length is recorded: complete, without
 * asking (a crash came between the last record and the rename). */
static void
test_all_recorded (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (300 * KiB, 21);
  HaulTestFileOptions options = { .etag = "\"done\"" };
  g_autoptr(HaulTransferResult) result = NULL;

  result = resume_planted (f, "all.bin", body, 300 * KiB, "\"done\"", 300 * KiB, body, &options);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/all.bin"), ==, 0);
}

/* A 416 proves "complete" only with the length announced before (and
 * the same validator): without a recorded length it proves nothing, and
 * the download starts again. */
static void
test_416_unproven (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (300 * KiB, 21);
  HaulTestFileOptions options = { .etag = "\"done\"" };
  g_autoptr(HaulTransferResult) result = NULL;

  result = resume_planted (f, "all.bin", body, 300 * KiB, "\"done\"", -1, body, &options);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/all.bin"), ==, 2);
  g_assert_nonnull (result->notice);
  g_assert_null (strstr (result->notice, "changed"));
}

/* Issue #9: a body cut at 512 KiB of 1 MiB, then "416 bytes * /524288":
 * the server's file is now shorter than announced, so the half file is
 * not complete; the download starts again. */
static void
test_416_after_cut (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB, 25);
  g_autoptr(GBytes) shorter = haul_test_make_bytes (512 * KiB, 26);
  g_autoptr(HaulTransferResult) cut = NULL;
  g_autoptr(HaulTransferResult) result = NULL;
  g_autoptr(HaulTransferJob) job = NULL;
  HaulTestRawServer *raw;
  g_autofree char *uri = NULL;
  RawScript script = { { NULL } };

  script.replies[0] = reply_new ("HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n"
                                 "ETag: \"x\"\r\nConnection: close\r\n\r\n",
                                 body, 512 * KiB);
  script.replies[1] = reply_new ("HTTP/1.1 416 Range Not Satisfiable\r\n"
                                 "Content-Range: bytes */524288\r\nETag: \"x\"\r\n"
                                 "Content-Length: 0\r\nConnection: close\r\n\r\n", NULL, 0);
  script.replies[2] = reply_new ("HTTP/1.1 200 OK\r\nContent-Length: 524288\r\n"
                                 "ETag: \"y\"\r\nConnection: close\r\n\r\n",
                                 shorter, 512 * KiB);
  raw = haul_test_raw_server_new (raw_script_handler, &script);
  uri = haul_test_raw_server_uri (raw, "/cut.bin");

  cut = run_uri (f, uri);
  g_assert_error (cut->error, HAUL_ERROR, HAUL_ERROR_TRUNCATED);
  g_assert_cmpint (cut->received, ==, 512 * KiB);

  job = make_job (f, uri);
  job->resume = haul_resume_state_copy (cut->state);
  result = haul_transfer_run (job, NULL);
  haul_test_raw_server_free (raw);

  /* Not the half of the first version: the whole of what the server now has. */
  assert_completed (f, result, "cut.bin", shorter);
  g_assert_nonnull (result->notice);
  g_assert_nonnull (strstr (script.heads[1], "Range: bytes=524288-"));
  g_assert_null (strstr (script.heads[2], "Range:"));
  raw_script_clear (&script);
}

static void
test_416_restart (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) old = haul_test_make_bytes (300 * KiB, 22);
  g_autoptr(GBytes) body = haul_test_make_bytes (100 * KiB, 23);
  HaulTestFileOptions options = { .etag = "\"same\"" };
  g_autoptr(HaulTransferResult) result = NULL;

  /* We hold more than the file has: not complete, start again. */
  result = resume_planted (f, "shrunk.bin", old, 200 * KiB, "\"same\"", -1, body, &options);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/shrunk.bin"), ==, 2);
}

static void
test_partial_checks (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (200 * KiB, 24);
  HaulTestFileOptions options = { .etag = "\"p\"" };
  g_autofree char *uri = haul_test_server_uri (f->server, "/p.bin");
  g_autofree char *gone = path_in (f, "gone.bin.part");
  g_autofree char *partial = plant_partial (f, "p.bin.part", body, 100 * KiB);

  haul_test_server_add_file (f->server, "/p.bin", body, &options);

  {
    g_autoptr(HaulTransferJob) job = resume_job (f, uri, gone, "\"p\"", 10);
    g_autoptr(HaulTransferResult) result = haul_transfer_run (job, NULL);

    g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_PARTIAL_MISSING);
    g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));
  }
  {
    /* Killed after the rename, before its record: the whole file is
     * there under the recorded name. A file of another size is not ours. */
    g_autofree char *done_part = path_in (f, "done.bin.part");
    g_autofree char *done = path_in (f, "done.bin");
    g_autoptr(HaulTransferJob) job = resume_job (f, uri, done_part, "\"p\"", 100 * KiB);
    g_autoptr(HaulTransferJob) other = resume_job (f, uri, done_part, "\"p\"", 100 * KiB);
    g_autoptr(HaulTransferResult) result = NULL;
    g_autoptr(HaulTransferResult) missing = NULL;

    g_assert_true (g_file_set_contents (done, g_bytes_get_data (body, NULL), 200 * KiB, NULL));
    job->resume->total = 200 * KiB;
    result = haul_transfer_run (job, NULL);
    g_assert_no_error (result->error);
    g_assert_cmpstr (result->state->file_name, ==, "done.bin");
    g_assert_null (result->state->partial_path);
    g_assert_cmpint (result->received, ==, 200 * KiB);

    other->resume->total = 300 * KiB;
    missing = haul_transfer_run (other, NULL);
    g_assert_error (missing->error, HAUL_ERROR, HAUL_ERROR_PARTIAL_MISSING);
    g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/p.bin"), ==, 0);
    g_unlink (done);
  }
  {
    g_autoptr(HaulTransferJob) job = resume_job (f, uri, partial, "\"p\"", 150 * KiB);
    g_autoptr(HaulTransferResult) result = haul_transfer_run (job, NULL);

    g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_PARTIAL_MISMATCH);
    g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/p.bin"), ==, 0);
  }
  {
    /* Longer than confirmed (a crash after writing): cut back, resume. */
    g_autoptr(HaulTransferJob) job = resume_job (f, uri, partial, "\"p\"", 60 * KiB);
    g_autoptr(HaulTransferResult) result = haul_transfer_run (job, NULL);
    g_autofree char *headers = NULL;

    assert_completed (f, result, "p.bin", body);
    headers = haul_test_server_get_last_request_headers (f->server, "/p.bin");
    g_assert_nonnull (strstr (headers, "Range: bytes=61440-\n"));
  }
}

/* Names and the disk -------------------------------------------------------- */

static void
test_content_disposition (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (1000, 25);
  HaulTestFileOptions star = {
    .content_disposition = "attachment; filename=\"plain.txt\"; filename*=UTF-8''na%C3%AFve.txt"
  };
  HaulTestFileOptions climb = { .content_disposition = "attachment; filename=\"../../x\"" };
  HaulTestFileOptions dot = { .content_disposition = "attachment; filename=\".bashrc\"" };
  g_autofree char *a_uri = haul_test_server_uri (f->server, "/cd/a");
  g_autofree char *b_uri = haul_test_server_uri (f->server, "/cd/b");
  g_autofree char *c_uri = haul_test_server_uri (f->server, "/cd/c");
  /* Downloads go two folders deep into the test's own: "../../x" has
   * nowhere to land but folders nobody else writes to (/tmp is shared). */
  g_autofree char *own = f->dir;
  g_autofree char *escaped = g_build_filename (own, "a", "x", NULL);
  g_autofree char *escaped_more = g_build_filename (own, "x", NULL);
  g_autoptr(HaulTransferResult) a = NULL;
  g_autoptr(HaulTransferResult) b = NULL;
  g_autoptr(HaulTransferResult) c = NULL;

  f->dir = g_build_filename (own, "a", "b", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);
  haul_test_server_add_file (f->server, "/cd/a", body, &star);
  haul_test_server_add_file (f->server, "/cd/b", body, &climb);
  haul_test_server_add_file (f->server, "/cd/c", body, &dot);
  g_assert_false (g_file_test (escaped, G_FILE_TEST_EXISTS));

  a = run_uri (f, a_uri);
  b = run_uri (f, b_uri);
  c = run_uri (f, c_uri);
  assert_completed (f, a, "na\xc3\xafve.txt", body);
  assert_completed (f, b, "x", body);
  assert_completed (f, c, "bashrc", body);
  g_assert_false (g_file_test (escaped, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (escaped_more, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (f->dir), ==, 3);

  /* A 300-byte name: 255 bytes on disk, and its partial fits too. */
  {
    g_autoptr(GString) disposition = g_string_new ("attachment; filename=\"");
    g_autofree char *uri = haul_test_server_uri (f->server, "/cd/long");
    g_autoptr(HaulTransferResult) result = NULL;
    HaulTestFileOptions options = { 0 };

    for (guint i = 0; i < 300; i++)
      g_string_append_c (disposition, 'a' + i % 26);
    g_string_append (disposition, ".iso\"");
    options.content_disposition = disposition->str;
    haul_test_server_add_file (f->server, "/cd/long", body, &options);
    result = run_uri (f, uri);
    g_assert_no_error (result->error);
    g_assert_cmpuint (strlen (result->state->file_name), ==, 255);
    g_assert_true (g_str_has_suffix (result->state->file_name, ".iso"));
    assert_completed (f, result, result->state->file_name, body);
  }

  g_free (f->dir);
  f->dir = g_steal_pointer (&own);
}

static void
test_never_overwrite (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (50 * KiB, 26);
  g_autoptr(GBytes) mine = g_bytes_new_static ("my precious file\n", 17);
  g_autofree char *uri = haul_test_server_uri (f->server, "/name.ext");
  g_autofree char *existing = path_in (f, "name.ext");
  g_autoptr(HaulTransferResult) first = NULL;
  g_autoptr(HaulTransferResult) second = NULL;

  haul_test_server_add_file (f->server, "/name.ext", body, NULL);
  g_assert_true (g_file_set_contents (existing, "my precious file\n", -1, NULL));

  first = run_uri (f, uri);
  assert_completed (f, first, "name (1).ext", body);
  second = run_uri (f, uri);
  assert_completed (f, second, "name (2).ext", body);
  g_assert_true (haul_test_file_equals (existing, mine));
}

/* The name is taken while the download runs: the rename moves on. */
static void
test_name_taken_meanwhile (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (600 * KiB, 27);
  g_autoptr(GBytes) mine = g_bytes_new_static ("late\n", 5);
  HaulTestFileOptions slow = { .bytes_per_second = 2 * MiB };
  g_autofree char *uri = haul_test_server_uri (f->server, "/late.bin");
  g_autofree char *late = path_in (f, "late.bin");
  Runner runner = { 0 };
  GThread *thread;

  haul_test_server_add_file (f->server, "/late.bin", body, &slow);
  runner.job = make_job (f, uri);
  thread = g_thread_new ("transfer", runner_thread, &runner);
  g_assert_true (wait_received (f->cell, 50 * KiB, 10000));
  g_assert_true (g_file_set_contents (late, "late\n", -1, NULL));
  g_thread_join (thread);

  assert_completed (f, runner.result, "late (1).bin", body);
  g_assert_true (haul_test_file_equals (late, mine));
  haul_transfer_result_free (runner.result);
  haul_transfer_job_free (runner.job);
}

static void
test_symlink_partial (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (10 * KiB, 28);
  g_autofree char *outside = haul_test_make_tmpdir ();
  g_autofree char *target = g_build_filename (outside, "target", NULL);
  g_autofree char *link = path_in (f, "file.bin.part");
  g_autofree char *uri = haul_test_server_uri (f->server, "/file.bin");
  g_autoptr(HaulTransferResult) result = NULL;
  GStatBuf st;

  haul_test_server_add_file (f->server, "/file.bin", body, NULL);
  g_assert_cmpint (symlink (target, link), ==, 0);

  result = run_uri (f, uri);
  assert_completed (f, result, "file (1).bin", body);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));

  /* A resume whose partial became a link does not follow it either. */
  g_assert_true (g_file_set_contents (target, "outside\n", -1, NULL));
  {
    g_autoptr(HaulTransferJob) job = resume_job (f, uri, link, NULL, 0);
    g_autoptr(HaulTransferResult) again = haul_transfer_run (job, NULL);
    g_autofree char *contents = NULL;

    g_assert_error (again->error, HAUL_ERROR, HAUL_ERROR_FILE);
    g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "outside\n");
  }
  haul_test_remove_tree (outside);
}

static void
test_missing_folder (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (10, 29);
  g_autofree char *uri = haul_test_server_uri (f->server, "/f.bin");
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferResult) result = NULL;

  haul_test_server_add_file (f->server, "/f.bin", body, NULL);
  job = make_job (f, uri);
  g_free (job->folder);
  job->folder = g_build_filename (f->dir, "no", "such", NULL);
  result = haul_transfer_run (job, NULL);
  g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_FILE);
  g_assert_nonnull (strstr (result->error->message, "such"));
}

/* Cancel, stall -------------------------------------------------------------- */

static void
test_cancel_fast (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (10 * MiB, 30);
  HaulTestFileOptions slow = { .bytes_per_second = 200 * KiB };
  g_autofree char *uri = haul_test_server_uri (f->server, "/slow.bin");
  g_autoptr(HaulTransferResult) result = NULL;
  gint64 stop_usec;
  gint64 deadline;

  haul_test_server_add_file (f->server, "/slow.bin", body, &slow);
  result = run_and_stop (f, uri, HAUL_INTENT_CANCEL, 50 * KiB, &stop_usec);

  g_test_message ("cancel took %" G_GINT64_FORMAT " µs", stop_usec);
  g_assert_cmpint (stop_usec, <, G_USEC_PER_SEC);
  g_assert_error (result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result->state->partial_path);
  g_assert_cmpuint (count_files (f->dir), ==, 0);

  /* The server sees the request end too. */
  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (haul_test_server_get_in_flight (f->server) > 0 && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  g_assert_cmpuint (haul_test_server_get_in_flight (f->server), ==, 0);
}

static void
test_stall (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB, 31);
  RawScript script = { { reply_new ("HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n"
                                    "Connection: close\r\n\r\n", body, 1000) },
                       .sleep_ms = 2500 };
  HaulTestRawServer *raw = haul_test_raw_server_new (raw_script_handler, &script);
  g_autofree char *uri = haul_test_raw_server_uri (raw, "/stall.bin");
  g_autoptr(HaulTransferJob) job = make_job (f, uri);
  g_autoptr(HaulTransferResult) result = NULL;
  gint64 start;
  gint64 elapsed;

  /* The session's timeout is the stall limit (haul-request.c, rule 4). */
  g_clear_object (&job->session);
  job->session = haul_request_session_new (1);
  start = g_get_monotonic_time ();
  result = haul_transfer_run (job, NULL);
  elapsed = g_get_monotonic_time () - start;

  g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_STALLED);
  g_assert_true (haul_error_is_resumable (result->error));
  g_assert_cmpint (elapsed, >=, G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <, 3 * G_USEC_PER_SEC);
  assert_kept_partial (f, result, body, 1000);

  haul_test_raw_server_free (raw);
  raw_script_clear (&script);
}

static void
test_connection_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(HaulTransferResult) result = NULL;
  g_autofree char *uri = NULL;

  /* A port that was just free: bound, never listened on. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  uri = g_strdup_printf ("http://127.0.0.1:%u/x",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  result = run_uri (f, uri);
  g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_NETWORK);
  g_assert_nonnull (strstr (result->error->message, "127.0.0.1"));
  g_assert_true (haul_error_is_resumable (result->error));
}

/* RFC 6761: .invalid never resolves, without asking the network. */
static void
test_host_not_found (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(HaulTransferResult) result = run_uri (f, "http://haul-test.invalid/file.bin");

  g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_NETWORK);
  g_assert_cmpstr (result->error->message, ==, "Could not find the server haul-test.invalid");
  g_assert_cmpuint (count_files (f->dir), ==, 0);
}

static void
test_invalid_url (Fixture       *f,
                  gconstpointer  data)
{
  const char *uris[] = { "ftp://example.com/x", "file:///etc/passwd", "not a url", "http://" };

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr(HaulTransferResult) result = run_uri (f, uris[i]);

      g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_INVALID_URL);
    }
  g_assert_cmpuint (count_files (f->dir), ==, 0);
}

static void
count_dirty_cb (gpointer data)
{
  g_atomic_int_inc ((gint *) data);
}

static void
test_progress_cell (void)
{
  gint calls = 0;
  HaulProgressCell *cell = haul_progress_cell_new (count_dirty_cb, &calls);
  HaulProgressPhase phase;
  gint64 received;
  gint64 total;

  /* Many writes, one notification until the reader takes the values. */
  for (gint64 i = 1; i <= 1000; i++)
    haul_progress_cell_set_received (cell, i);
  haul_progress_cell_set_total (cell, 5000);
  haul_progress_cell_set_phase (cell, HAUL_PROGRESS_DOWNLOADING);
  g_assert_cmpint (calls, ==, 1);

  g_assert_true (haul_progress_cell_take (cell, &phase, &received, &total));
  g_assert_cmpint (phase, ==, HAUL_PROGRESS_DOWNLOADING);
  g_assert_cmpint (received, ==, 1000);
  g_assert_cmpint (total, ==, 5000);
  g_assert_false (haul_progress_cell_take (cell, NULL, NULL, NULL));

  /* Writing the same value is not a change. */
  haul_progress_cell_set_received (cell, 1000);
  g_assert_cmpint (calls, ==, 1);
  haul_progress_cell_set_received (cell, 1001);
  g_assert_cmpint (calls, ==, 2);

  haul_progress_cell_set_intent (cell, HAUL_INTENT_PAUSE);
  g_assert_cmpint (haul_progress_cell_get_intent (cell), ==, HAUL_INTENT_PAUSE);

  haul_progress_cell_ref (cell);
  haul_progress_cell_unref (cell);
  haul_progress_cell_unref (cell);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/transfer/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("pause-resume", test_pause_resume);
  ADD ("ignores-range", test_ignores_range);
  ADD ("etag-changed", test_etag_changed);
  ADD ("206-other-version", test_206_other_version);
  ADD ("all-recorded", test_all_recorded);
  ADD ("416-unproven", test_416_unproven);
  ADD ("416-after-cut", test_416_after_cut);
  ADD ("416-restart", test_416_restart);
  ADD ("partial-checks", test_partial_checks);
  ADD ("content-disposition", test_content_disposition);
  ADD ("never-overwrite", test_never_overwrite);
  ADD ("name-taken-meanwhile", test_name_taken_meanwhile);
  ADD ("symlink-partial", test_symlink_partial);
  ADD ("missing-folder", test_missing_folder);
  ADD ("cancel", test_cancel_fast);
  ADD ("stall", test_stall);
  ADD ("connection-refused", test_connection_refused);
  ADD ("host-not-found", test_host_not_found);
  ADD ("invalid-url", test_invalid_url);
#undef ADD
  g_test_add_func ("/haul/engine/progress/cell", test_progress_cell);

  return g_test_run ();
}
