/* transfer-fixture.c: what the transfer tests share
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
#include "transfer-fixture.h"

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = haul_test_server_new ();
  f->dir = haul_test_make_tmpdir ();
  f->session = haul_request_session_new (10);
  f->cell = haul_progress_cell_new (NULL, NULL);
  g_mutex_init (&f->lock);
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  haul_test_server_free (f->server);
  haul_test_remove_tree (f->dir);
  g_free (f->dir);
  g_clear_object (&f->session);
  haul_progress_cell_unref (f->cell);
  g_free (f->last_partial);
  g_mutex_clear (&f->lock);
}

/* Every checkpoint must describe bytes that are really in the file; the
 * first one names the partial before it exists (nothing in it yet). */
gboolean
checkpoint_cb (const HaulResumeState  *checkpoint,
               gpointer                data,
               GError                **error)
{
  Fixture *f = data;
  GStatBuf st;

  g_assert_nonnull (checkpoint->partial_path);
  if (g_lstat (checkpoint->partial_path, &st) != 0)
    {
      g_assert_cmpint (errno, ==, ENOENT);
      g_assert_cmpint (checkpoint->confirmed, ==, 0);
      g_assert_null (checkpoint->pieces);
    }
  else
    {
      g_assert_true (S_ISREG (st.st_mode));
      g_assert_cmpint (st.st_size, >=, checkpoint->confirmed);
    }

  g_mutex_lock (&f->lock);
  f->n_checkpoints++;
  f->last_confirmed = checkpoint->confirmed;
  g_free (f->last_partial);
  f->last_partial = g_strdup (checkpoint->partial_path);
  g_mutex_unlock (&f->lock);
  return TRUE;
}

HaulTransferJob *
make_job (Fixture    *f,
          const char *uri)
{
  HaulTransferJob *job = haul_transfer_job_new (f->session, f->cell, uri, f->dir);

  job->checkpoint = checkpoint_cb;
  job->checkpoint_data = f;
  return job;
}

HaulTransferResult *
run_uri (Fixture    *f,
         const char *uri)
{
  g_autoptr(HaulTransferJob) job = make_job (f, uri);

  return haul_transfer_run (job, NULL);
}

char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* Tests are single-threaded where they read it: umask(2) is fine here. */
mode_t
process_umask (void)
{
  mode_t mask = umask (022);

  umask (mask);
  return mask;
}

void
assert_completed (Fixture            *f,
                  HaulTransferResult *result,
                  const char         *name,
                  GBytes             *expected)
{
  g_autofree char *path = path_in (f, name);
  GStatBuf st;

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->state->file_name, ==, name);
  g_assert_null (result->state->partial_path);
  g_assert_cmpint (result->received, ==, g_bytes_get_size (expected));
  g_assert_true (haul_test_file_equals (path, expected));
  /* The user's usual permissions (the partial was owner-only), never
   * executable. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0666 & ~process_umask ());
}

/* Writes the first @length bytes of @body as a partial file. */
char *
plant_partial (Fixture    *f,
               const char *name,
               GBytes     *body,
               gsize       length)
{
  char *path = path_in (f, name);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (body, NULL), length, NULL));
  g_chmod (path, 0600);
  return path;
}

/* Raw servers: a script of replies, one per request --------------------- */

void
raw_script_clear (RawScript *script)
{
  for (guint i = 0; i < G_N_ELEMENTS (script->replies); i++)
    {
      g_clear_pointer (&script->replies[i], g_bytes_unref);
      g_clear_pointer (&script->heads[i], g_free);
    }
}

void
raw_script_handler (GSocketConnection *connection,
                    const char        *head,
                    gpointer           user_data)
{
  RawScript *script = user_data;
  guint n = g_atomic_int_add (&script->n_requests, 1);
  GBytes *reply;

  if (n >= G_N_ELEMENTS (script->replies) || script->replies[n] == NULL)
    return;
  g_mutex_lock (&script->lock);
  script->heads[n] = g_strdup (head);
  g_mutex_unlock (&script->lock);

  reply = script->replies[n];
  haul_test_raw_write (connection, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  if (script->sleep_ms > 0)
    g_usleep (script->sleep_ms * 1000);
}

/* head + body as one reply */
GBytes *
reply_new (const char *head,
           GBytes     *body,
           gsize       body_length)
{
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, (const guint8 *) head, strlen (head));
  if (body != NULL)
    g_byte_array_append (out, g_bytes_get_data (body, NULL), body_length);
  return g_byte_array_free_to_bytes (out);
}

/* @body in chunks of @chunk_size as a chunked wire body; the last chunk
 * and trailer only if @finish. */
GBytes *
chunked_reply (GBytes   *body,
               gsize     chunk_size,
               gsize     stop_at,
               gboolean  finish,
               gboolean  with_extras)
{
  GByteArray *out = g_byte_array_new ();
  const char *head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                     "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
  gsize size = MIN (g_bytes_get_size (body), stop_at);
  const guint8 *data = g_bytes_get_data (body, NULL);

  g_byte_array_append (out, (const guint8 *) head, strlen (head));
  for (gsize at = 0; at < size; at += chunk_size)
    {
      gsize n = MIN (chunk_size, size - at);
      g_autofree char *line = g_strdup_printf (with_extras ? "%zX;name=value\r\n" : "%zx\r\n", n);

      g_byte_array_append (out, (const guint8 *) line, strlen (line));
      g_byte_array_append (out, data + at, n);
      g_byte_array_append (out, (const guint8 *) "\r\n", 2);
    }
  if (finish)
    {
      const char *end = with_extras ? "0\r\nX-Trailer: yes\r\n\r\n" : "0\r\n\r\n";

      g_byte_array_append (out, (const guint8 *) end, strlen (end));
    }
  return g_byte_array_free_to_bytes (out);
}

HaulTransferResult *
run_raw (Fixture   *f,
         RawScript *script,
         const char *path)
{
  HaulTestRawServer *raw = haul_test_raw_server_new (raw_script_handler, script);
  g_autofree char *uri = haul_test_raw_server_uri (raw, path);
  HaulTransferResult *result = run_uri (f, uri);

  haul_test_raw_server_free (raw);
  return result;
}

void
assert_kept_partial (Fixture            *f,
                     HaulTransferResult *result,
                     GBytes             *body,
                     gsize               expected_bytes)
{
  g_autoptr(GBytes) prefix = g_bytes_new_from_bytes (body, 0, expected_bytes);

  g_assert_nonnull (result->state->partial_path);
  g_assert_cmpint (result->received, ==, expected_bytes);
  g_assert_true (haul_test_file_equals (result->state->partial_path, prefix));
  /* Nothing under the final name. */
  g_assert_cmpuint (count_files (f->dir), ==, 1);
  g_assert_true (haul_error_is_resumable (result->error));
}
