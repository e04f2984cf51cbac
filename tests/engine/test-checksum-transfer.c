/* test-checksum-transfer.c: a download's checksum, found and checked by the
 * transfer, against real servers
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "haul-checksum-headers.h"
#include "haul-error.h"
#include "haul-transfer.h"
#include "haul-test-server.h"

#define KiB 1024
#define MiB (1024 * 1024)

typedef struct
{
  HaulTestServer   *server;
  char             *dir;
  SoupSession      *session;
  HaulProgressCell *cell;

  GMutex            lock;
  guint             n_found;
  HaulChecksumSpec *found;        /* the last one the transfer reported */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = haul_test_server_new ();
  f->dir = haul_test_make_tmpdir ();
  f->session = haul_request_session_new (10);
  f->cell = haul_progress_cell_new (NULL, NULL);
  g_mutex_init (&f->lock);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  haul_test_server_free (f->server);
  haul_test_remove_tree (f->dir);
  g_free (f->dir);
  g_clear_object (&f->session);
  haul_progress_cell_unref (f->cell);
  g_clear_pointer (&f->found, haul_checksum_spec_free);
  g_mutex_clear (&f->lock);
}

static void
found_cb (const HaulChecksumSpec *spec,
          gpointer                data)
{
  Fixture *f = data;

  g_mutex_lock (&f->lock);
  f->n_found++;
  g_clear_pointer (&f->found, haul_checksum_spec_free);
  f->found = spec != NULL ? haul_checksum_spec_copy (spec) : NULL;
  g_mutex_unlock (&f->lock);
}

static HaulTransferJob *
make_job (Fixture    *f,
          const char *path)
{
  g_autofree char *uri = haul_test_server_uri (f->server, path);
  HaulTransferJob *job = haul_transfer_job_new (f->session, f->cell, uri, f->dir);

  job->find_checksum = TRUE;
  job->checksum_found = found_cb;
  job->checkpoint_data = f;
  return job;
}

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static char *
hex_of (GChecksumType  type,
        GBytes        *bytes)
{
  return g_compute_checksum_for_bytes (type, bytes);
}

/* The digest as RFC 9530 and RFC 3230 spell it: base64 of the bytes. */
static char *
base64_of (GChecksumType  type,
           GBytes        *bytes)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (type);
  guint8 digest[HAUL_CHECKSUM_MAX_DIGEST];
  gsize length = sizeof digest;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  g_checksum_update (checksum, data, size);
  g_checksum_get_digest (checksum, digest, &length);
  return g_base64_encode (digest, length);
}

static void
assert_verified (Fixture            *f,
                 HaulTransferResult *result,
                 const char         *name,
                 GBytes             *body)
{
  g_autofree char *path = path_in (f, name);

  g_assert_no_error (result->error);
  g_assert_true (result->verified);
  g_assert_nonnull (result->checksum);
  g_assert_true (haul_test_file_equals (path, body));
}

static HaulProgressPhase
last_phase (Fixture *f)
{
  HaulProgressPhase phase;

  haul_progress_cell_take (f->cell, &phase, NULL, NULL);
  return phase;
}

/* Typed by the user ---------------------------------------------------------- */

static void
test_user_match (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (3 * MiB + 5, 1);
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferResult) result = NULL;

  haul_test_server_add_file (f->server, "/f.iso", body, NULL);
  job = make_job (f, "/f.iso");
  job->checksum = haul_test_checksum_spec_for (G_CHECKSUM_SHA256, body);
  result = haul_transfer_run (job, NULL);

  assert_verified (f, result, "f.iso", body);
  g_assert_cmpint (haul_checksum_spec_get_source (result->checksum), ==,
                   HAUL_CHECKSUM_SOURCE_USER);
  /* One connection in order: hashed while written, nothing after. */
  g_assert_cmpint (last_phase (f), ==, HAUL_PROGRESS_DOWNLOADING);
  g_assert_cmpint (haul_progress_cell_get_verified (f->cell), ==, 0);
  /* It was known: no lookup of checksum files, no Want-Repr-Digest. */
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/SHA256SUMS"), ==, 0);
  g_assert_cmpuint (f->n_found, ==, 0);
}

static void
test_user_mismatch (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * MiB, 2);
  g_autoptr(GBytes) other = haul_test_make_bytes (2 * MiB, 3);
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferResult) result = NULL;
  g_autofree char *final = path_in (f, "f.iso");
  g_autofree char *partial = path_in (f, "f.iso.part");
  g_autofree char *expected = hex_of (G_CHECKSUM_SHA512, other);
  g_autofree char *actual = hex_of (G_CHECKSUM_SHA512, body);

  haul_test_server_add_file (f->server, "/f.iso", body, NULL);
  job = make_job (f, "/f.iso");
  job->checksum = haul_test_checksum_spec_for (G_CHECKSUM_SHA512, other);
  result = haul_transfer_run (job, NULL);

  g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_MISMATCH);
  g_assert_true (g_str_has_prefix (result->error->message, "The checksum does not match"));
  g_assert_nonnull (strstr (result->error->message, expected));
  g_assert_nonnull (strstr (result->error->message, actual));
  g_assert_false (result->verified);
  /* Never under its final name; the bytes are kept as they were. */
  g_assert_false (g_file_test (final, G_FILE_TEST_EXISTS));
  g_assert_true (haul_test_file_equals (partial, body));
  g_assert_cmpstr (result->state->partial_path, ==, partial);
  g_assert_cmpint (result->state->confirmed, ==, 2 * MiB);
}

/* Headers -------------------------------------------------------------------- */

static void
run_with_header (Fixture            *f,
                 const char         *header,
                 GChecksumType       type,
                 HaulChecksumSource  source)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (256 * KiB + 1, 4);
  g_autofree char *digest = base64_of (type, body);
  g_autofree char *headers = NULL;
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferResult) result = NULL;
  g_autofree char *request = NULL;
  HaulTestFileOptions options = { 0 };

  if (source == HAUL_CHECKSUM_SOURCE_DIGEST)
    headers = g_strdup_printf ("%s: %s=%s\n", header,
                               type == G_CHECKSUM_SHA256 ? "SHA-256" : "SHA-512", digest);
  else
    headers = g_strdup_printf ("%s: %s=:%s:\n", header,
                               haul_checksum_algorithm_to_string (type), digest);
  options.headers = headers;
  haul_test_server_add_file (f->server, "/h.bin", body, &options);
  job = make_job (f, "/h.bin");
  result = haul_transfer_run (job, NULL);

  assert_verified (f, result, "h.bin", body);
  g_assert_cmpint (haul_checksum_spec_get_source (result->checksum), ==, source);
  g_assert_cmpint (haul_checksum_spec_get_algorithm (result->checksum), ==, type);
  g_assert_cmpuint (f->n_found, ==, 1);
  g_assert_true (haul_checksum_spec_equal (f->found, result->checksum));
  /* It asked for the digest. */
  request = haul_test_server_get_last_request_headers (f->server, "/h.bin");
  g_assert_nonnull (strstr (request, "Want-Repr-Digest: sha-512=10, sha-256=9"));
}

static void
test_repr_digest (Fixture       *f,
                  gconstpointer  data)
{
  run_with_header (f, "Repr-Digest", G_CHECKSUM_SHA256, HAUL_CHECKSUM_SOURCE_REPR_DIGEST);
}

static void
test_content_digest (Fixture       *f,
                     gconstpointer  data)
{
  run_with_header (f, "Content-Digest", G_CHECKSUM_SHA512, HAUL_CHECKSUM_SOURCE_CONTENT_DIGEST);
}

static void
test_rfc3230_digest (Fixture       *f,
                     gconstpointer  data)
{
  run_with_header (f, "Digest", G_CHECKSUM_SHA256, HAUL_CHECKSUM_SOURCE_DIGEST);
}

/* A header that does not match the bytes: the download fails, unnamed. */
static void
test_header_mismatch (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (100 * KiB, 5);
  g_autoptr(GBytes) other = haul_test_make_bytes (100 * KiB, 6);
  g_autofree char *digest = base64_of (G_CHECKSUM_SHA256, other);
  g_autofree char *headers = g_strdup_printf ("Repr-Digest: sha-256=:%s:\n", digest);
  g_autofree char *final = path_in (f, "h.bin");
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferResult) result = NULL;
  HaulTestFileOptions options = { .headers = headers };

  haul_test_server_add_file (f->server, "/h.bin", body, &options);
  job = make_job (f, "/h.bin");
  result = haul_transfer_run (job, NULL);

  g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_MISMATCH);
  g_assert_false (g_file_test (final, G_FILE_TEST_EXISTS));
  g_assert_cmpint (haul_checksum_spec_get_source (result->checksum), ==,
                   HAUL_CHECKSUM_SOURCE_REPR_DIGEST);
}

/* Content-Digest of a 206 covers the part sent, not the file: a resume
 * does not take it (and checks nothing rather than the wrong thing). */
static void
test_content_digest_of_part (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (300 * KiB, 7);
  g_autofree char *digest = base64_of (G_CHECKSUM_SHA256, body);
  g_autofree char *headers = g_strdup_printf ("Content-Digest: sha-256=:%s:\n", digest);
  g_autofree char *partial = path_in (f, "p.bin.part");
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferResult) result = NULL;
  HaulTestFileOptions options = { .etag = "\"v1\"", .headers = headers };

  haul_test_server_add_file (f->server, "/p.bin", body, &options);
  g_assert_true (g_file_set_contents (partial, g_bytes_get_data (body, NULL), 100 * KiB, NULL));
  job = make_job (f, "/p.bin");
  job->resume = haul_resume_state_new ();
  job->resume->file_name = g_strdup ("p.bin");
  job->resume->partial_path = g_strdup (partial);
  job->resume->etag = g_strdup ("\"v1\"");
  job->resume->total = 300 * KiB;
  job->resume->confirmed = 100 * KiB;
  result = haul_transfer_run (job, NULL);

  g_assert_no_error (result->error);
  g_assert_null (result->checksum);
  g_assert_false (result->verified);
  g_assert_cmpuint (f->n_found, ==, 0);
}

/* Checksum files beside the download ------------------------------------------ */

static void
test_sibling_sums (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * MiB + 3, 8);
  g_autoptr(GBytes) other = haul_test_make_bytes (10, 9);
  g_autofree char *hex = hex_of (G_CHECKSUM_SHA256, body);
  g_autofree char *other_hex = hex_of (G_CHECKSUM_SHA256, other);
  g_autofree char *sums = g_strdup_printf ("%s  other.iso\n%s *big.iso\n", other_hex, hex);
  g_autoptr(GBytes) sums_bytes = g_bytes_new (sums, strlen (sums));
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferResult) result = NULL;

  haul_test_server_add_file (f->server, "/pub/big.iso", body, NULL);
  haul_test_server_add_file (f->server, "/pub/SHA256SUMS", sums_bytes, NULL);
  job = make_job (f, "/pub/big.iso");
  result = haul_transfer_run (job, NULL);

  assert_verified (f, result, "big.iso", body);
  g_assert_cmpint (haul_checksum_spec_get_source (result->checksum), ==,
                   HAUL_CHECKSUM_SOURCE_SIBLING);
  g_assert_nonnull (strstr (haul_checksum_spec_get_origin (result->checksum), "/pub/SHA256SUMS"));
  /* One small request each, in order, until one answers. */
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/pub/big.iso.sha256"), ==, 1);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/pub/big.iso.sha512"), ==, 1);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/pub/SHA256SUMS"), ==, 1);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/pub/SHA512SUMS"), ==, 0);
}

static void
test_sibling_named (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB, 10);
  g_autofree char *hex = hex_of (G_CHECKSUM_SHA512, body);
  g_autofree char *text = g_strdup_printf ("%s\n", hex);
  g_autoptr(GBytes) sidecar = g_bytes_new (text, strlen (text));
  g_autoptr(GBytes) wrong = g_bytes_new_static ("not a checksum\n", 15);
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferResult) result = NULL;

  haul_test_server_add_file (f->server, "/d/one.img", body, NULL);
  /* Unreadable: quietly the next one. */
  haul_test_server_add_file (f->server, "/d/one.img.sha256", wrong, NULL);
  haul_test_server_add_file (f->server, "/d/one.img.sha512", sidecar, NULL);
  job = make_job (f, "/d/one.img");
  result = haul_transfer_run (job, NULL);

  assert_verified (f, result, "one.img", body);
  g_assert_cmpint (haul_checksum_spec_get_algorithm (result->checksum), ==, G_CHECKSUM_SHA512);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/d/SHA256SUMS"), ==, 0);
}

static void
test_sibling_mismatch (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB + 1, 11);
  g_autoptr(GBytes) other = haul_test_make_bytes (MiB + 1, 12);
  g_autofree char *hex = hex_of (G_CHECKSUM_SHA256, other);
  g_autofree char *sums = g_strdup_printf ("%s  x.iso\n", hex);
  g_autoptr(GBytes) sums_bytes = g_bytes_new (sums, strlen (sums));
  g_autofree char *final = path_in (f, "x.iso");
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferResult) result = NULL;

  haul_test_server_add_file (f->server, "/x.iso", body, NULL);
  haul_test_server_add_file (f->server, "/SHA256SUMS", sums_bytes, NULL);
  job = make_job (f, "/x.iso");
  result = haul_transfer_run (job, NULL);

  g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_MISMATCH);
  g_assert_false (g_file_test (final, G_FILE_TEST_EXISTS));
}

/* No checksum file anywhere (404s), or a file too small to ask for: the
 * download completes as it would have, without a word. */
static void
test_sibling_quiet (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) big = haul_test_make_bytes (MiB, 13);
  g_autoptr(GBytes) small = haul_test_make_bytes (MiB - 1, 14);
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferJob) job2 = NULL;
  g_autoptr(HaulTransferResult) result = NULL;
  g_autoptr(HaulTransferResult) result2 = NULL;

  haul_test_server_add_file (f->server, "/a/big.bin", big, NULL);
  haul_test_server_add_file (f->server, "/b/small.bin", small, NULL);
  job = make_job (f, "/a/big.bin");
  result = haul_transfer_run (job, NULL);
  g_assert_no_error (result->error);
  g_assert_null (result->checksum);
  g_assert_false (result->verified);
  g_assert_null (result->notice);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/a/SHA512SUMS"), ==, 1);

  job2 = make_job (f, "/b/small.bin");
  result2 = haul_transfer_run (job2, NULL);
  g_assert_no_error (result2->error);
  g_assert_null (result2->checksum);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/b/small.bin.sha256"), ==, 0);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/b/SHA256SUMS"), ==, 0);
}

/* A checksum file on another host is asked for only when allowed; a
 * redirect of the file's own sibling to another host is not followed. */
static void
test_sibling_other_host (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB, 15);
  g_autofree char *hex = hex_of (G_CHECKSUM_SHA256, body);
  g_autofree char *sums = g_strdup_printf ("%s  o.iso\n", hex);
  g_autoptr(GBytes) sums_bytes = g_bytes_new (sums, strlen (sums));
  HaulTestServer *other = haul_test_server_new ();
  /* "localhost" is another host name for the URL policy. */
  g_autofree char *other_uri = haul_test_server_uri (other, "/SHA256SUMS");
  g_autofree char *elsewhere = NULL;
  char *at = strstr (other_uri, "127.0.0.1");

  g_assert_nonnull (at);
  elsewhere = g_strdup_printf ("http://localhost%s", at + strlen ("127.0.0.1"));
  haul_test_server_add_file (other, "/SHA256SUMS", sums_bytes, NULL);
  haul_test_server_add_file (f->server, "/o.iso", body, NULL);
  haul_test_server_add_redirect (f->server, "/SHA256SUMS", 302, elsewhere);

  for (guint allowed = 0; allowed <= 1; allowed++)
    {
      g_autoptr(HaulTransferJob) job = make_job (f, "/o.iso");
      g_autoptr(HaulTransferResult) result = NULL;
      g_autofree char *name = path_in (f, "o.iso");

      job->checksum_other_hosts = allowed;
      result = haul_transfer_run (job, NULL);
      g_assert_no_error (result->error);
      g_assert_cmpuint (haul_test_server_get_n_requests (other, "/SHA256SUMS"), ==, allowed);
      g_assert_cmpint (result->verified, ==, (gboolean) allowed);
      g_assert_cmpint (g_unlink (name), ==, 0);
    }
  haul_test_server_free (other);
}

/* After the last byte, and resumes -------------------------------------------- */

/* Several connections write out of order: hashed from disk at the end,
 * with the progress in the cell. */
static void
test_segments_after (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (8 * MiB + 9, 16);
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferResult) result = NULL;
  HaulTestFileOptions options = { .etag = "\"s1\"" };
  gint64 received;

  haul_test_server_add_file (f->server, "/s.bin", body, &options);
  job = make_job (f, "/s.bin");
  job->max_connections = 4;
  job->checksum = haul_test_checksum_spec_for (G_CHECKSUM_SHA256, body);
  result = haul_transfer_run (job, NULL);

  assert_verified (f, result, "s.bin", body);
  g_assert_cmpuint (result->connections, >, 1);
  haul_progress_cell_take (f->cell, NULL, &received, NULL);
  g_assert_cmpint (last_phase (f), ==, HAUL_PROGRESS_VERIFYING);
  g_assert_cmpint (haul_progress_cell_get_verified (f->cell), ==, g_bytes_get_size (body));
  /* The bar does not run back while the file is hashed. */
  g_assert_cmpint (received, ==, g_bytes_get_size (body));
}

/* Two seconds of a throttled body, then a pause: the resume hashes the
 * kept bytes from disk first, then goes on hashing as it writes. */
typedef struct
{
  GCancellable *cancellable;
  HaulProgressCell *cell;
  gint64 at;
} CancelAt;

static gpointer
cancel_at_thread (gpointer data)
{
  CancelAt *c = data;

  for (guint i = 0; i < 1000; i++)
    {
      gint64 received;

      haul_progress_cell_take (c->cell, NULL, &received, NULL);
      if (received >= c->at)
        break;
      g_usleep (10 * 1000);
    }
  haul_progress_cell_set_intent (c->cell, HAUL_INTENT_PAUSE);
  g_cancellable_cancel (c->cancellable);
  return NULL;
}

static void
test_resume_in_order (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (2 * MiB, 17);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferJob) job2 = NULL;
  g_autoptr(HaulTransferResult) first = NULL;
  g_autoptr(HaulTransferResult) second = NULL;
  HaulTestFileOptions slow = { .etag = "\"r1\"", .bytes_per_second = 2 * MiB };
  HaulTestFileOptions fast = { .etag = "\"r1\"" };
  CancelAt c = { cancellable, f->cell, 512 * KiB };
  GThread *thread;

  haul_test_server_add_file (f->server, "/r.bin", body, &slow);
  job = make_job (f, "/r.bin");
  job->checksum = haul_test_checksum_spec_for (G_CHECKSUM_SHA256, body);
  thread = g_thread_new ("cancel", cancel_at_thread, &c);
  first = haul_transfer_run (job, cancellable);
  g_thread_join (thread);
  g_assert_error (first->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (first->received, >, 0);
  g_assert_cmpint (first->received, <, 2 * MiB);

  haul_test_server_add_file (f->server, "/r.bin", body, &fast);
  haul_progress_cell_set_intent (f->cell, HAUL_INTENT_NONE);
  job2 = make_job (f, "/r.bin");
  job2->checksum = haul_test_checksum_spec_for (G_CHECKSUM_SHA256, body);
  job2->resume = haul_resume_state_copy (first->state);
  second = haul_transfer_run (job2, NULL);

  assert_verified (f, second, "r.bin", body);
  g_assert_null (second->notice);
  g_assert_cmpint (last_phase (f), ==, HAUL_PROGRESS_DOWNLOADING);
}

/* The bytes kept do not match what the checksum expects: only the whole
 * file can tell, and it does. */
static void
test_resume_bad_kept_bytes (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB, 18);
  g_autofree char *partial = path_in (f, "k.bin.part");
  g_autofree char *final = path_in (f, "k.bin");
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferResult) result = NULL;
  HaulTestFileOptions options = { .etag = "\"k1\"" };
  g_autofree guint8 *kept = g_memdup2 (g_bytes_get_data (body, NULL), 64 * KiB);

  kept[10] ^= 0xff;
  g_assert_true (g_file_set_contents (partial, (const char *) kept, 64 * KiB, NULL));
  haul_test_server_add_file (f->server, "/k.bin", body, &options);
  job = make_job (f, "/k.bin");
  job->checksum = haul_test_checksum_spec_for (G_CHECKSUM_SHA256, body);
  job->resume = haul_resume_state_new ();
  job->resume->file_name = g_strdup ("k.bin");
  job->resume->partial_path = g_strdup (partial);
  job->resume->etag = g_strdup ("\"k1\"");
  job->resume->total = MiB;
  job->resume->confirmed = 64 * KiB;
  result = haul_transfer_run (job, NULL);

  g_assert_error (result->error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_MISMATCH);
  g_assert_false (g_file_test (final, G_FILE_TEST_EXISTS));
}

/* A checksum found in a header belongs to that version: when the file
 * changed on the server, the download starts again and takes the new
 * version's checksum, not the old one. */
static void
test_changed_forgets_found (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GBytes) old_body = haul_test_make_bytes (300 * KiB, 19);
  g_autoptr(GBytes) new_body = haul_test_make_bytes (300 * KiB, 20);
  g_autofree char *old_digest = base64_of (G_CHECKSUM_SHA256, old_body);
  g_autofree char *new_digest = base64_of (G_CHECKSUM_SHA256, new_body);
  g_autofree char *new_headers = g_strdup_printf ("Repr-Digest: sha-256=:%s:\n", new_digest);
  g_autofree char *old_text = g_strdup_printf ("sha-256=:%s:", old_digest);
  g_autofree char *partial = path_in (f, "c.bin.part");
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferResult) result = NULL;
  HaulTestFileOptions options = { .etag = "\"new\"", .headers = new_headers };

  haul_test_server_add_file (f->server, "/c.bin", new_body, &options);
  g_assert_true (g_file_set_contents (partial, g_bytes_get_data (old_body, NULL), 100 * KiB,
                                      NULL));
  job = make_job (f, "/c.bin");
  job->checksum = haul_checksum_spec_new_from_field (HAUL_CHECKSUM_SOURCE_REPR_DIGEST, old_text);
  g_assert_nonnull (job->checksum);
  job->resume = haul_resume_state_new ();
  job->resume->file_name = g_strdup ("c.bin");
  job->resume->partial_path = g_strdup (partial);
  job->resume->etag = g_strdup ("\"old\"");
  job->resume->total = 300 * KiB;
  job->resume->confirmed = 100 * KiB;
  result = haul_transfer_run (job, NULL);

  assert_verified (f, result, "c.bin", new_body);
  g_assert_nonnull (strstr (result->notice, "changed on the server"));
  g_assert_true (haul_checksum_spec_equal (f->found, result->checksum));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/checksum-transfer/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)
  ADD ("user-match", test_user_match);
  ADD ("user-mismatch", test_user_mismatch);
  ADD ("repr-digest", test_repr_digest);
  ADD ("content-digest", test_content_digest);
  ADD ("rfc3230-digest", test_rfc3230_digest);
  ADD ("header-mismatch", test_header_mismatch);
  ADD ("content-digest-of-part", test_content_digest_of_part);
  ADD ("sibling-sums", test_sibling_sums);
  ADD ("sibling-named", test_sibling_named);
  ADD ("sibling-mismatch", test_sibling_mismatch);
  ADD ("sibling-quiet", test_sibling_quiet);
  ADD ("sibling-other-host", test_sibling_other_host);
  ADD ("segments-after", test_segments_after);
  ADD ("resume-in-order", test_resume_in_order);
  ADD ("resume-bad-kept-bytes", test_resume_bad_kept_bytes);
  ADD ("changed-forgets-found", test_changed_forgets_found);
#undef ADD

  return g_test_run ();
}
