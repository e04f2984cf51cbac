/* test-retry.c: when to ask a server again, and when not
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 9 §4: backoff on a fake clock, Retry-After in both forms, a busy
 * server waited for as queued, Retry Now, and the failures that are
 * final at once (a 404, headers too large to read); "the file changed"
 * only when a validator did. Issue 10: a try that got further than any
 * before starts the backoff again (a long download over a flaky line).
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "haul-builtin-engine.h"
#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-queue-private.h"
#include "haul-response.h"
#include "haul-retry.h"
#include "haul-test-ranges.h"
#include "haul-test-server.h"

#define KiB 1024
#define MiB (1024 * 1024)
#define S   ((gint64) G_USEC_PER_SEC)

/* The policy, on a fake clock ---------------------------------------------- */

/* Jitter is a 32-bit number: 0 gives -20 %, the middle 0, the top +20 %. */
#define JITTER_LOW  0u
#define JITTER_MID  0x80000000u
#define JITTER_HIGH 0xffffffffu

static void
test_delay_backoff (void)
{
  gint64 expected = S;

  /* 1 s doubling: 1, 2, 4 … 256, then capped at 5 min. */
  for (guint attempt = 1; attempt <= 30; attempt++)
    {
      g_assert_cmpint (haul_retry_delay (attempt, -1, JITTER_MID), ==, expected);
      expected = MIN (expected * 2, 5 * 60 * S);
    }
  g_assert_cmpint (haul_retry_delay (9, -1, JITTER_MID), ==, 256 * S);
  g_assert_cmpint (haul_retry_delay (10, -1, JITTER_MID), ==, 5 * 60 * S);
  g_assert_cmpint (haul_retry_delay (G_MAXUINT, -1, JITTER_MID), ==, 5 * 60 * S);
  /* Attempt 0 is read as the first. */
  g_assert_cmpint (haul_retry_delay (0, -1, JITTER_MID), ==, S);
}

static void
test_delay_jitter (void)
{
  for (guint attempt = 1; attempt <= 12; attempt++)
    {
      gint64 base = haul_retry_delay (attempt, -1, JITTER_MID);
      gint64 low = haul_retry_delay (attempt, -1, JITTER_LOW);
      gint64 high = haul_retry_delay (attempt, -1, JITTER_HIGH);

      g_assert_cmpint (low, ==, base * 8 / 10);
      g_assert_cmpint (high, <, base * 12 / 10);
      g_assert_cmpint (high, >=, base * 12 / 10 - base / 1000);
      /* Every jitter lands inside, and they spread. */
      for (guint32 j = 1; j != 0 && j < 0xf0000000u; j += 0x0fffffffu)
        {
          gint64 delay = haul_retry_delay (attempt, -1, j);

          g_assert_cmpint (delay, >=, low);
          g_assert_cmpint (delay, <=, high);
        }
      g_assert_cmpint (haul_retry_delay (attempt, -1, 0x40000000u), <,
                       haul_retry_delay (attempt, -1, 0xc0000000u));
    }
}

static void
test_delay_retry_after (void)
{
  /* A floor the jitter never goes under. */
  g_assert_cmpint (haul_retry_delay (1, 30, JITTER_LOW), ==, 30 * S);
  g_assert_cmpint (haul_retry_delay (1, 30, JITTER_HIGH), ==, 30 * S);
  /* Shorter than the backoff: the backoff. */
  g_assert_cmpint (haul_retry_delay (6, 2, JITTER_MID), ==, 32 * S);
  g_assert_cmpint (haul_retry_delay (1, 0, JITTER_MID), ==, S);
  /* Longer than five minutes is respected … up to an hour. */
  g_assert_cmpint (haul_retry_delay (12, 1800, JITTER_HIGH), ==, 1800 * S);
  g_assert_cmpint (haul_retry_delay (1, 3600, JITTER_MID), ==, 3600 * S);
  g_assert_cmpint (haul_retry_delay (1, 86400, JITTER_MID), ==, 3600 * S);
  g_assert_cmpint (haul_retry_delay (1, G_MAXINT64 / 2, JITTER_MID), ==, 3600 * S);
}

static void
test_parse_retry_after (void)
{
  /* Sun, 06 Nov 1994 08:49:37 GMT */
  gint64 now = 784111777;

  g_assert_cmpint (haul_response_parse_retry_after ("120", now), ==, 120);
  g_assert_cmpint (haul_response_parse_retry_after (" 7 ", now), ==, 7);
  g_assert_cmpint (haul_response_parse_retry_after ("0", now), ==, 0);
  g_assert_cmpint (haul_response_parse_retry_after ("3601", now), ==, 3600);
  g_assert_cmpint (haul_response_parse_retry_after ("999999999999999999", now), ==, 3600);

  /* HTTP-dates in the three forms RFC 9110 names, relative to now. */
  g_assert_cmpint (haul_response_parse_retry_after ("Sun, 06 Nov 1994 08:50:07 GMT", now), ==, 30);
  g_assert_cmpint (haul_response_parse_retry_after ("Sunday, 06-Nov-94 08:51:37 GMT", now),
                   ==, 120);
  g_assert_cmpint (haul_response_parse_retry_after ("Sun Nov  6 08:49:47 1994", now), ==, 10);
  /* Past: now; far ahead: an hour. */
  g_assert_cmpint (haul_response_parse_retry_after ("Sun, 06 Nov 1994 08:00:00 GMT", now), ==, 0);
  g_assert_cmpint (haul_response_parse_retry_after ("Mon, 07 Nov 1994 08:49:37 GMT", now),
                   ==, 3600);

  /* Garbage: as if absent. */
  g_assert_cmpint (haul_response_parse_retry_after (NULL, now), ==, -1);
  g_assert_cmpint (haul_response_parse_retry_after ("", now), ==, -1);
  g_assert_cmpint (haul_response_parse_retry_after ("-5", now), ==, -1);
  g_assert_cmpint (haul_response_parse_retry_after ("5s", now), ==, -1);
  g_assert_cmpint (haul_response_parse_retry_after ("1.5", now), ==, -1);
  g_assert_cmpint (haul_response_parse_retry_after ("0x10", now), ==, -1);
  g_assert_cmpint (haul_response_parse_retry_after ("soon", now), ==, -1);
  g_assert_cmpint (haul_response_parse_retry_after ("Sun, 32 Nov 1994 08:49:37 GMT", now),
                   ==, -1);
  g_assert_cmpint (haul_response_parse_retry_after ("\xff\xfe", now), ==, -1);
}

/* The queue ------------------------------------------------------------------- */

/* A raw server that answers each connection as the script says, then
 * correctly (a 206 to a range). */
typedef struct
{
  GBytes            *body;
  HaulTestRawAnswer  script[4];   /* for connections 1–4; status 0 after the last given */
  guint              n_script;
  gint               n_connections;  /* (atomic) */
  gint64             times[8];       /* monotonic µs each connection arrived */
} Scripted;

static void
scripted_handler (GSocketConnection *connection,
                  const char        *head,
                  gpointer           user_data)
{
  Scripted *scripted = user_data;
  guint n = g_atomic_int_add (&scripted->n_connections, 1);
  HaulTestRawAnswer correct = { .etag = "\"r1\"" };

  if (n < G_N_ELEMENTS (scripted->times))
    scripted->times[n] = g_get_monotonic_time ();
  haul_test_raw_answer (connection, head, scripted->body,
                        n < scripted->n_script ? &scripted->script[n] : &correct);
}

typedef struct
{
  HaulQueue *queue;
  char      *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = haul_test_make_tmpdir ();
  f->queue = haul_queue_new (NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  haul_queue_shutdown (f->queue);
  g_assert_finalize_object (f->queue);
  haul_test_remove_tree (f->dir);
  g_free (f->dir);
}

typedef gboolean (*CondFunc) (HaulDownload *download);

static gboolean
wait_for (HaulDownload *download,
          CondFunc      cond,
          guint         timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (!cond (download) && g_get_monotonic_time () < deadline)
    {
      gboolean never = FALSE;

      haul_test_spin_until (&never, 5);
    }
  return cond (download);
}

static gboolean
is_waiting (HaulDownload *download)
{
  return haul_download_get_waiting (download) != HAUL_WAITING_NONE;
}

static gboolean
is_completed (HaulDownload *download)
{
  return haul_download_get_state (download) == HAUL_DOWNLOAD_COMPLETED;
}

static gboolean
is_finished (HaulDownload *download)
{
  return haul_download_get_state (download) == HAUL_DOWNLOAD_COMPLETED
         || haul_download_get_state (download) == HAUL_DOWNLOAD_FAILED;
}

static gboolean
is_failed (HaulDownload *download)
{
  return haul_download_get_state (download) == HAUL_DOWNLOAD_FAILED;
}

static HaulDownload *
add_raw (Fixture           *f,
         HaulTestRawServer *raw,
         const char        *path)
{
  g_autofree char *uri = haul_test_raw_server_uri (raw, path);
  g_autoptr(GError) error = NULL;
  HaulDownload *download = haul_queue_add (f->queue, uri, f->dir, &error);

  g_assert_no_error (error);
  return download;
}

static void
assert_file (Fixture      *f,
             HaulDownload *download,
             GBytes       *body)
{
  g_autofree char *path = haul_download_dup_path (download);

  g_assert_nonnull (path);
  g_assert_true (haul_test_file_equals (path, body));
}

/* A 503 with "Retry-After: 2", then the file: the download waits at
 * least 2 s as queued, saying the server is busy and until when. */
static void
test_server_busy (Fixture       *f,
                  gconstpointer  data)
{
  Scripted scripted = { haul_test_make_bytes (300 * KiB, 1),
                        { { .status = 503, .extra_headers = "Retry-After: 2\r\n" } }, 1 };
  HaulTestRawServer *raw = haul_test_raw_server_new (scripted_handler, &scripted);
  HaulDownload *download = add_raw (f, raw, "/busy.bin");
  gint64 real_then;
  gint64 retry_at;
  double waited;

  g_assert_true (wait_for (download, is_waiting, 5000));
  real_then = g_get_real_time ();
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_cmpint (haul_download_get_waiting (download), ==, HAUL_WAITING_SERVER_BUSY);
  retry_at = haul_download_get_retry_at (download);
  g_test_message ("retry at now + %.2f s: %s", (retry_at - real_then) / 1e6,
                  haul_download_get_error_message (download));
  /* Not sooner than the server asked; the jitter only adds. */
  g_assert_cmpint (retry_at - real_then, >=, 2 * S - 100 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (retry_at - real_then, <=, 2 * S + 500 * G_TIME_SPAN_MILLISECOND);
  g_assert_nonnull (strstr (haul_download_get_error_message (download), "503"));

  g_assert_true (wait_for (download, is_completed, 10000));
  waited = (scripted.times[1] - scripted.times[0]) / 1e6;
  g_test_message ("asked again after %.2f s", waited);
  g_assert_cmpint (g_atomic_int_get (&scripted.n_connections), >=, 2);
  g_assert_cmpfloat (waited, >=, 2.0);
  g_assert_cmpint (haul_download_get_waiting (download), ==, HAUL_WAITING_NONE);
  g_assert_null (haul_download_get_error_message (download));
  assert_file (f, download, scripted.body);

  haul_test_raw_server_free (raw);
  g_bytes_unref (scripted.body);
}

/* Retry Now does not wait for a Retry-After of a minute. */
static void
test_retry_now (Fixture       *f,
                gconstpointer  data)
{
  Scripted scripted = { haul_test_make_bytes (300 * KiB, 2),
                        { { .status = 429, .extra_headers = "Retry-After: 60\r\n" } }, 1 };
  HaulTestRawServer *raw = haul_test_raw_server_new (scripted_handler, &scripted);
  HaulDownload *download = add_raw (f, raw, "/later.bin");
  gint64 pressed;

  g_assert_true (wait_for (download, is_waiting, 5000));
  g_assert_cmpint (haul_download_get_waiting (download), ==, HAUL_WAITING_SERVER_BUSY);
  g_assert_cmpint (haul_download_get_retry_at (download) - g_get_real_time (), >, 50 * S);
  g_assert_cmpstr (haul_download_get_error_message (download), ==,
                   "The server answered 429 Too Many Requests");
  pressed = g_get_monotonic_time ();
  haul_queue_retry_now (f->queue, download);
  g_assert_cmpint (haul_download_get_waiting (download), ==, HAUL_WAITING_NONE);
  g_assert_true (wait_for (download, is_completed, 5000));
  g_test_message ("completed %.2f s after Retry Now", (g_get_monotonic_time () - pressed) / 1e6);
  g_assert_cmpint (g_get_monotonic_time () - pressed, <, 3 * S);
  assert_file (f, download, scripted.body);

  haul_test_raw_server_free (raw);
  g_bytes_unref (scripted.body);
}

/* Final at once, asked once: a 404, and headers too large to read. */
static void
test_final_at_once (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *huge = NULL;
  GString *headers = g_string_new (NULL);
  Scripted missing = { haul_test_make_bytes (1 * KiB, 3),
                       { { .status = 404 }, { .status = 404 } }, 2 };
  Scripted big = { haul_test_make_bytes (1 * KiB, 4), { { 0 } }, 2 };
  HaulTestRawServer *raw_missing = haul_test_raw_server_new (scripted_handler, &missing);
  HaulTestRawServer *raw_big = NULL;
  HaulDownload *a;
  HaulDownload *b;
  gint64 start = g_get_monotonic_time ();

  /* 70 KiB of headers (libsoup reads at most 64 KiB). */
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (headers, "X-Padding-%04u: %064u\r\n", i, i);
  huge = g_string_free (headers, FALSE);
  big.script[0] = (HaulTestRawAnswer) { .etag = "\"b\"", .extra_headers = huge };
  big.script[1] = big.script[0];
  raw_big = haul_test_raw_server_new (scripted_handler, &big);

  a = add_raw (f, raw_missing, "/missing.bin");
  b = add_raw (f, raw_big, "/big-head.bin");
  g_assert_true (wait_for (a, is_failed, 5000));
  g_assert_true (wait_for (b, is_failed, 5000));
  g_test_message ("%s / %s", haul_download_get_error_message (a),
                  haul_download_get_error_message (b));

  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * S);
  g_assert_cmpint (g_atomic_int_get (&missing.n_connections), ==, 1);
  g_assert_cmpint (haul_download_get_error_code (a), ==, HAUL_ERROR_HTTP);
  g_assert_cmpstr (haul_download_get_error_message (a), ==, "The server answered 404 Not Found");
  g_assert_cmpint (g_atomic_int_get (&big.n_connections), ==, 1);
  g_assert_cmpint (haul_download_get_error_code (b), ==, HAUL_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (haul_download_get_error_message (b), "headers too large"));
  g_assert_cmpint (haul_download_get_waiting (a), ==, HAUL_WAITING_NONE);
  g_assert_cmpint (haul_download_get_waiting (b), ==, HAUL_WAITING_NONE);

  haul_test_raw_server_free (raw_missing);
  haul_test_raw_server_free (raw_big);
  g_bytes_unref (missing.body);
  g_bytes_unref (big.body);
}

/* "The file changed on the server" ----------------------------------------- */

static gboolean
has_bytes (HaulDownload *download)
{
  return haul_download_get_confirmed (download) >= 256 * KiB;
}

static gboolean
is_paused (HaulDownload *download)
{
  return haul_download_get_state (download) == HAUL_DOWNLOAD_PAUSED;
}

/* Paused half-way, resumed against a server that (a) sends the same
 * version whole, ignoring the range, (b) has another version. Only (b)
 * says the file changed. */
static void
test_changed_notice (Fixture       *f,
                     gconstpointer  data)
{
  gboolean changed = GPOINTER_TO_INT (data);
  HaulTestServer *server = haul_test_server_new ();
  g_autoptr(GBytes) v1 = haul_test_make_bytes (2 * MiB, 5);
  g_autoptr(GBytes) v2 = haul_test_make_bytes (2 * MiB + 10, 6);
  HaulTestFileOptions slow = { .etag = "\"v1\"", .bytes_per_second = 512 * KiB };
  HaulTestFileOptions same_whole = { .etag = "\"v1\"", .ignore_range = TRUE };
  HaulTestFileOptions other = { .etag = "\"v2\"" };
  g_autofree char *uri = haul_test_server_uri (server, "/n.bin");
  g_autoptr(GError) error = NULL;
  HaulDownload *download;

  g_object_set (f->queue, "connections-per-download", 1, NULL);
  haul_test_server_add_file (server, "/n.bin", v1, &slow);
  download = haul_queue_add (f->queue, uri, f->dir, &error);
  g_assert_no_error (error);
  g_assert_true (wait_for (download, has_bytes, 10000));
  haul_queue_pause (f->queue, download);
  g_assert_true (wait_for (download, is_paused, 5000));
  g_assert_null (haul_download_get_notice (download));

  haul_test_server_add_file (server, "/n.bin", changed ? v2 : v1,
                             changed ? &other : &same_whole);
  haul_queue_resume (f->queue, download);
  g_assert_true (wait_for (download, is_completed, 10000));
  g_test_message ("%s", haul_download_get_notice (download));
  assert_file (f, download, changed ? v2 : v1);
  if (changed)
    g_assert_cmpstr (haul_download_get_notice (download), ==,
                     "The file changed on the server; the download started again from the "
                     "beginning");
  else
    g_assert_cmpstr (haul_download_get_notice (download), ==,
                     "The server cannot continue a download; it started again from the "
                     "beginning");

  haul_test_server_free (server);
}

/* The server keeps the connection open and sends nothing more (the line
 * went dead): noticed after the stall timeout, asked again at once or
 * after the first wait, never after the server's own close. */
static void
test_stall_whole (Fixture       *f,
                  gconstpointer  data)
{
  Scripted scripted = { haul_test_make_bytes (300 * KiB, 10),
                        { { .etag = "\"r1\"", .stall_after = 100 * KiB, .stall_ms = 3000 } },
                        1 };
  HaulTestRawServer *raw = NULL;
  HaulDownload *download;
  double noticed;

  g_object_set (f->queue, "connections-per-download", 1, "stall-timeout", 1, NULL);
  raw = haul_test_raw_server_new (scripted_handler, &scripted);
  download = add_raw (f, raw, "/dead.bin");

  g_assert_true (wait_for (download, is_completed, 6000));
  noticed = (scripted.times[1] - scripted.times[0]) / 1e6;
  g_test_message ("asked again %.2f s after the answer began (stall timeout 1 s)", noticed);
  g_assert_cmpint (g_atomic_int_get (&scripted.n_connections), ==, 2);
  g_assert_cmpfloat (noticed, >=, 1.0);
  g_assert_cmpfloat (noticed, <, 1.0 + 1.2 + 1.0);
  assert_file (f, download, scripted.body);

  haul_test_raw_server_free (raw);
  g_bytes_unref (scripted.body);
}

/* Each of the first CUTS connections sends 8 KiB more of what it is asked
 * for, then is cut; the next answers whole. */
#define CUTS (HAUL_RETRY_MAX_TRIES + 4)

typedef struct
{
  GBytes *body;
  gint    n_connections;  /* (atomic) */
} Cutting;

static void
cutting_handler (GSocketConnection *connection,
                 const char        *head,
                 gpointer           user_data)
{
  Cutting *cutting = user_data;
  guint n = g_atomic_int_add (&cutting->n_connections, 1);
  HaulTestRawAnswer how = { .etag = "\"c1\"", .cut_after = n < CUTS ? 8 * KiB : 0 };

  haul_test_raw_answer (connection, head, cutting->body, &how);
}

/* More cuts than HAUL_RETRY_MAX_TRIES, each after new bytes: never
 * failed, every wait the first one's (an outage's backoff is not carried
 * into the next cut). Before the fix the eleventh cut failed it. */
static void
test_progress_resets_backoff (Fixture       *f,
                              gconstpointer  data)
{
  Cutting cutting = { haul_test_make_bytes (256 * KiB, 9), 0 };
  HaulTestRawServer *raw = haul_test_raw_server_new (cutting_handler, &cutting);
  HaulDownload *download;

  haul_test_fake_retry_reset ();
  g_object_set (f->queue, "connections-per-download", 1, NULL);
  haul_builtin_engine_set_retry_delay_func (HAUL_BUILTIN_ENGINE (haul_queue_get_engine (f->queue)),
                                            haul_test_fake_retry_delay);
  download = add_raw (f, raw, "/cut.bin");

  g_assert_true (wait_for (download, is_finished, 20000));
  g_test_message ("%s after %d connections", haul_download_get_error_message (download),
                  g_atomic_int_get (&cutting.n_connections));
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_COMPLETED);
  g_assert_cmpint (g_atomic_int_get (&cutting.n_connections), ==, CUTS + 1);
  g_assert_cmpuint (haul_test_fake_retry_n_waits (), ==, CUTS);
  for (guint i = 0; i < CUTS; i++)
    g_assert_cmpuint (haul_test_fake_retry_attempt (i), ==, 1);
  assert_file (f, download, cutting.body);

  haul_test_raw_server_free (raw);
  g_bytes_unref (cutting.body);
}

/* The first wait short, every later one 30 s. */
static gint n_waits_then_long;  /* (atomic) */

static gint64
fake_delay_then_long (guint   attempt,
                      gint64  retry_after,
                      guint32 jitter)
{
  return g_atomic_int_add (&n_waits_then_long, 1) == 0 ? 300 * G_TIME_SPAN_MILLISECOND : 30 * S;
}

/* The first two connections are closed before an answer (a server going
 * down); then it answers, throttled. */
static void
down_then_up_handler (GSocketConnection *connection,
                      const char        *head,
                      gpointer           user_data)
{
  Cutting *cutting = user_data;
  HaulTestRawAnswer how = { .etag = "\"u1\"", .bytes_per_second = 512 * KiB };

  if (g_atomic_int_add (&cutting->n_connections, 1) < 2)
    return;
  haul_test_raw_answer (connection, head, cutting->body, &how);
}

/* Two downloads from one server that could not be reached: the one whose
 * wait ends first finds it back, and the other, told to wait 30 s more,
 * goes at once. Before, it waited its 30 s. */
static void
test_server_back_wakes_others (Fixture       *f,
                               gconstpointer  data)
{
  Cutting cutting = { haul_test_make_bytes (256 * KiB, 11), 0 };
  HaulTestRawServer *raw = haul_test_raw_server_new (down_then_up_handler, &cutting);
  HaulDownload *a;
  HaulDownload *b;
  gint64 start = g_get_monotonic_time ();

  g_atomic_int_set (&n_waits_then_long, 0);
  g_object_set (f->queue, "connections-per-download", 1, NULL);
  haul_builtin_engine_set_retry_delay_func (HAUL_BUILTIN_ENGINE (haul_queue_get_engine (f->queue)),
                                            fake_delay_then_long);
  a = add_raw (f, raw, "/a.bin");
  b = add_raw (f, raw, "/b.bin");

  g_assert_true (wait_for (a, is_finished, 5000));
  g_assert_true (wait_for (b, is_finished, 5000));
  g_test_message ("both finished after %.2f s, %u waits, %s / %s",
                  (g_get_monotonic_time () - start) / 1e6, g_atomic_int_get (&n_waits_then_long),
                  haul_download_get_error_message (a), haul_download_get_error_message (b));
  g_assert_cmpint (haul_download_get_state (a), ==, HAUL_DOWNLOAD_COMPLETED);
  g_assert_cmpint (haul_download_get_state (b), ==, HAUL_DOWNLOAD_COMPLETED);
  g_assert_cmpint (g_atomic_int_get (&n_waits_then_long), ==, 2);
  g_assert_cmpint (g_atomic_int_get (&cutting.n_connections), ==, 4);
  assert_file (f, a, cutting.body);
  assert_file (f, b, cutting.body);

  haul_test_raw_server_free (raw);
  g_bytes_unref (cutting.body);
}

/* A segmented download going on from its recorded pieces (after a
 * retry, a pause or a restart) says it is downloading once the server
 * answers, and its bytes move. Before, its state stayed "Connecting"
 * until the last byte. */
static gint64 paused_at;

static gboolean
is_moving (HaulDownload *download)
{
  return haul_download_get_state (download) == HAUL_DOWNLOAD_DOWNLOADING
         && haul_download_get_received (download) > paused_at
         && haul_download_get_total (download) == 4 * MiB;
}

static void
test_pieces_resume_moving (Fixture       *f,
                           gconstpointer  data)
{
  HaulTestServer *server = haul_test_server_new ();
  g_autoptr(GBytes) body = haul_test_make_bytes (4 * MiB, 12);
  HaulTestFileOptions slow = { .etag = "\"p1\"", .bytes_per_second = 256 * KiB };
  g_autofree char *uri = haul_test_server_uri (server, "/pieces.bin");
  g_autoptr(GError) error = NULL;
  HaulDownload *download;

  g_object_set (f->queue, "connections-per-download", 4, NULL);
  haul_test_server_add_file (server, "/pieces.bin", body, &slow);
  download = haul_queue_add (f->queue, uri, f->dir, &error);
  g_assert_no_error (error);
  g_assert_true (wait_for (download, has_bytes, 10000));
  g_assert_cmpuint (haul_download_get_connections (download), >, 1);
  haul_queue_pause (f->queue, download);
  g_assert_true (wait_for (download, is_paused, 5000));
  paused_at = haul_download_get_received (download);

  haul_queue_resume (f->queue, download);
  g_assert_true (wait_for (download, is_moving, 5000));
  g_test_message ("downloading again, %" G_GINT64_FORMAT " bytes after %" G_GINT64_FORMAT
                  " at the pause, %u connections", haul_download_get_received (download),
                  paused_at, haul_download_get_connections (download));
  g_assert_cmpuint (haul_download_get_connections (download), >, 1);
  haul_queue_pause (f->queue, download);
  g_assert_true (wait_for (download, is_paused, 5000));

  haul_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/engine/retry/delay/backoff", test_delay_backoff);
  g_test_add_func ("/haul/engine/retry/delay/jitter", test_delay_jitter);
  g_test_add_func ("/haul/engine/retry/delay/retry-after", test_delay_retry_after);
  g_test_add_func ("/haul/engine/retry/retry-after-header", test_parse_retry_after);

#define ADD(path, func, data) \
  g_test_add ("/haul/engine/retry/" path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("server-busy", test_server_busy, NULL);
  ADD ("retry-now", test_retry_now, NULL);
  ADD ("final-at-once", test_final_at_once, NULL);
  ADD ("notice/ignores-range", test_changed_notice, GINT_TO_POINTER (FALSE));
  ADD ("notice/changed", test_changed_notice, GINT_TO_POINTER (TRUE));
  ADD ("progress-resets-backoff", test_progress_resets_backoff, NULL);
  ADD ("stall/whole", test_stall_whole, NULL);
  ADD ("server-back-wakes-others", test_server_back_wakes_others, NULL);
  ADD ("pieces/resume-moving", test_pieces_resume_moving, NULL);
#undef ADD

  return g_test_run ();
}
