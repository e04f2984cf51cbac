/* test-overlap.c: resuming from a server without validators, by comparing
 * the bytes before the resume point (rule 9 of haul-transfer.c)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "haul-error.h"
#include "haul-test-server.h"
#include "transfer-fixture.h"

/* A partial "NAME.part" holding @kept (the first bytes of something),
 * recorded with @total and no validator. */
static HaulTransferResult *
resume (Fixture    *f,
        const char *name,
        GBytes     *kept,
        gint64      total)
{
  g_autofree char *path = g_strdup_printf ("/%s", name);
  g_autofree char *uri = haul_test_server_uri (f->server, path);
  g_autofree char *part_name = g_strdup_printf ("%s.part", name);
  g_autofree char *partial = g_build_filename (f->dir, part_name, NULL);
  g_autoptr(HaulTransferJob) job = haul_transfer_job_new (f->session, f->cell, uri, f->dir);
  gsize size;
  const char *data = g_bytes_get_data (kept, &size);

  g_assert_true (g_file_set_contents (partial, data, size, NULL));
  job->resume = haul_resume_state_new ();
  job->resume->file_name = g_strdup (name);
  job->resume->partial_path = g_strdup (partial);
  job->resume->total = total;
  job->resume->confirmed = size;
  return haul_transfer_run (job, NULL);
}

static char *
last_headers (Fixture    *f,
              const char *name)
{
  g_autofree char *path = g_strdup_printf ("/%s", name);

  return haul_test_server_get_last_request_headers (f->server, path);
}

static void
assert_file (Fixture    *f,
             const char *name,
             GBytes     *body)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (haul_test_file_equals (path, body));
}

/* The same bytes: it goes on from where it was, asking for 64 KiB more
 * than it needs and without If-Range. */
static void
test_same (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (3 * MiB + 11, 1);
  g_autoptr(GBytes) kept = g_bytes_new_from_bytes (body, 0, MiB);
  g_autoptr(HaulTransferResult) result = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *range = g_strdup_printf ("Range: bytes=%d-\n", MiB - 64 * KiB);

  haul_test_server_add_file (f->server, "/same.bin", body, NULL);
  result = resume (f, "same.bin", kept, g_bytes_get_size (body));

  g_assert_no_error (result->error);
  g_assert_null (result->notice);
  assert_file (f, "same.bin", body);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/same.bin"), ==, 1);
  headers = last_headers (f, "same.bin");
  g_assert_nonnull (strstr (headers, range));
  g_assert_null (strstr (headers, "If-Range"));
}

/* Fewer bytes than the window: all of them are compared, from byte 0. */
static void
test_small (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (200 * KiB, 2);
  g_autoptr(GBytes) kept = g_bytes_new_from_bytes (body, 0, 10 * KiB);
  g_autoptr(HaulTransferResult) result = NULL;
  g_autofree char *headers = NULL;

  haul_test_server_add_file (f->server, "/small.bin", body, NULL);
  result = resume (f, "small.bin", kept, g_bytes_get_size (body));

  g_assert_no_error (result->error);
  g_assert_null (result->notice);
  assert_file (f, "small.bin", body);
  headers = last_headers (f, "small.bin");
  g_assert_nonnull (strstr (headers, "Range: bytes=0-\n"));
}

/* The file changed on the server (same length, other bytes): the kept
 * bytes go, it starts again from zero, and says so. */
static void
test_different (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) old_body = haul_test_make_bytes (2 * MiB, 3);
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * MiB, 4);
  g_autoptr(GBytes) kept = g_bytes_new_from_bytes (old_body, 0, MiB);
  g_autoptr(HaulTransferResult) result = NULL;
  g_autofree char *headers = NULL;

  haul_test_server_add_file (f->server, "/diff.bin", body, NULL);
  result = resume (f, "diff.bin", kept, g_bytes_get_size (body));

  g_assert_no_error (result->error);
  g_assert_nonnull (result->notice);
  g_assert_nonnull (strstr (result->notice, "started again from the beginning"));
  assert_file (f, "diff.bin", body);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/diff.bin"), ==, 2);
  headers = last_headers (f, "diff.bin");
  g_assert_null (strstr (headers, "Range:"));
}

/* Only the last byte before the resume point differs: still caught. */
static void
test_one_byte (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB, 5);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (body, NULL), 512 * KiB);
  g_autoptr(GBytes) kept = NULL;
  g_autoptr(HaulTransferResult) result = NULL;

  copy[512 * KiB - 1] ^= 0x01;
  kept = g_bytes_new (copy, 512 * KiB);
  haul_test_server_add_file (f->server, "/one.bin", body, NULL);
  result = resume (f, "one.bin", kept, MiB);

  g_assert_no_error (result->error);
  g_assert_nonnull (result->notice);
  assert_file (f, "one.bin", body);
}

/* Another length on the server: another file, whatever the bytes say. */
static void
test_other_length (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB + 1, 6);
  g_autoptr(GBytes) kept = g_bytes_new_from_bytes (body, 0, 256 * KiB);
  g_autoptr(HaulTransferResult) result = NULL;

  haul_test_server_add_file (f->server, "/len.bin", body, NULL);
  result = resume (f, "len.bin", kept, MiB);

  g_assert_no_error (result->error);
  g_assert_nonnull (strstr (result->notice, "changed on the server"));
  assert_file (f, "len.bin", body);
  g_assert_cmpint (result->state->total, ==, MiB + 1);
}

/* A server that ignores the range: the whole file from zero, as before. */
static void
test_no_ranges (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB, 7);
  g_autoptr(GBytes) kept = g_bytes_new_from_bytes (body, 0, 300 * KiB);
  g_autoptr(HaulTransferResult) result = NULL;
  HaulTestFileOptions options = { .ignore_range = TRUE };

  haul_test_server_add_file (f->server, "/nr.bin", body, &options);
  result = resume (f, "nr.bin", kept, MiB);

  g_assert_no_error (result->error);
  g_assert_nonnull (strstr (result->notice, "cannot continue"));
  assert_file (f, "nr.bin", body);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/nr.bin"), ==, 1);
}

/* Without a recorded length nothing can be proved: from zero. */
static void
test_unknown_length (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB, 8);
  g_autoptr(GBytes) kept = g_bytes_new_from_bytes (body, 0, 300 * KiB);
  g_autoptr(HaulTransferResult) result = NULL;
  g_autofree char *headers = NULL;

  haul_test_server_add_file (f->server, "/u.bin", body, NULL);
  result = resume (f, "u.bin", kept, -1);

  g_assert_no_error (result->error);
  assert_file (f, "u.bin", body);
  headers = last_headers (f, "u.bin");
  g_assert_null (strstr (headers, "Range: bytes=2"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/overlap/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("same", test_same);
  ADD ("small", test_small);
  ADD ("different", test_different);
  ADD ("one-byte", test_one_byte);
  ADD ("other-length", test_other_length);
  ADD ("no-ranges", test_no_ranges);
  ADD ("unknown-length", test_unknown_length);
#undef ADD

  return g_test_run ();
}
