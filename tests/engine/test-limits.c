/* test-limits.c: the token bucket, alone and under a real transfer
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 9 §3: accurate within ±5 % over seconds, no 250 ms window above
 * twice the limit, a parent that caps its children, a new rate at once,
 * a cancel within 100 ms; and the same promise kept on the wire, counted
 * by the server, with eight connections sharing one limit.
 */

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "haul-error.h"
#include "haul-rate-limiter.h"
#include "haul-transfer.h"
#include "haul-test-ranges.h"
#include "haul-test-server.h"

#define KiB 1024
#define MiB (1024 * 1024)
#define WINDOW_US (250 * G_TIME_SPAN_MILLISECOND)

/* What was granted (or sent) when: a log of (µs, bytes). */
typedef struct
{
  GMutex  lock;
  GArray *times;   /* gint64 monotonic µs */
  GArray *sizes;   /* gint64 */
} Log;

static void
log_init (Log *log)
{
  g_mutex_init (&log->lock);
  log->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  log->sizes = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
log_clear (Log *log)
{
  g_array_unref (log->times);
  g_array_unref (log->sizes);
  g_mutex_clear (&log->lock);
}

static void
log_add (Log   *log,
         gint64 n)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&log->lock);
  g_array_append_val (log->times, now);
  g_array_append_val (log->sizes, n);
  g_mutex_unlock (&log->lock);
}

static gint64
log_total (Log *log)
{
  gint64 total = 0;

  for (guint i = 0; i < log->sizes->len; i++)
    total += g_array_index (log->sizes, gint64, i);
  return total;
}

/* The most bytes in any 250 ms window (each starting at an entry). */
static gint64
log_max_window (Log *log)
{
  gint64 best = 0;
  gint64 sum = 0;
  guint first = 0;

  for (guint i = 0; i < log->times->len; i++)
    {
      gint64 t = g_array_index (log->times, gint64, i);

      sum += g_array_index (log->sizes, gint64, i);
      while (g_array_index (log->times, gint64, first) <= t - WINDOW_US)
        sum -= g_array_index (log->sizes, gint64, first++);
      best = MAX (best, sum);
    }
  return best;
}

/* Bytes per 250 ms from the first entry, for the log. */
static void
log_print_slots (Log *log)
{
  g_autoptr(GString) line = g_string_new ("KiB per 250 ms:");
  gint64 slot_end;
  gint64 sum = 0;

  if (log->times->len == 0)
    return;
  slot_end = g_array_index (log->times, gint64, 0) + WINDOW_US;
  for (guint i = 0; i < log->times->len; i++)
    {
      while (g_array_index (log->times, gint64, i) >= slot_end)
        {
          g_string_append_printf (line, " %" G_GINT64_FORMAT, sum / 1024);
          sum = 0;
          slot_end += WINDOW_US;
        }
      sum += g_array_index (log->sizes, gint64, i);
    }
  g_string_append_printf (line, " %" G_GINT64_FORMAT, sum / 1024);
  g_test_message ("%s", line->str);
}

/* Bytes per second between the first and the last entry. */
static double
log_rate (Log *log)
{
  gint64 span;

  if (log->times->len < 2)
    return 0;
  span = g_array_index (log->times, gint64, log->times->len - 1)
         - g_array_index (log->times, gint64, 0);
  /* The first entry's bytes came out of the bucket's start: not counted. */
  return (log_total (log) - g_array_index (log->sizes, gint64, 0)) / (span / 1e6);
}

/* A taker: takes up to @wanted bytes again and again for @duration_us. */
typedef struct
{
  HaulRateLimiter *limiter;
  GCancellable    *cancellable;
  gsize            wanted;
  gint64           until;     /* monotonic µs */
  Log             *log;
} Taker;

static gpointer
taker_thread (gpointer data)
{
  Taker *taker = data;

  while (g_get_monotonic_time () < taker->until)
    {
      gsize n = haul_rate_limiter_take (taker->limiter, taker->wanted, taker->cancellable);

      if (n == 0)
        break;
      g_assert_cmpuint (n, <=, taker->wanted);
      log_add (taker->log, n);
    }
  return NULL;
}

static void
run_takers (HaulRateLimiter **limiters,
            guint             n_takers,
            gsize             wanted,
            gint64            duration_us,
            Log              *log)
{
  g_autofree Taker *takers = g_new0 (Taker, n_takers);
  g_autofree GThread **threads = g_new0 (GThread *, n_takers);
  gint64 until = g_get_monotonic_time () + duration_us;

  for (guint i = 0; i < n_takers; i++)
    {
      takers[i] = (Taker) { limiters[i], NULL, wanted, until, log };
      threads[i] = g_thread_new ("taker", taker_thread, &takers[i]);
    }
  for (guint i = 0; i < n_takers; i++)
    g_thread_join (threads[i]);
}

static void
assert_within (double      value,
               double      target,
               double      fraction,
               const char *what)
{
  g_test_message ("%s: %.0f B/s for %.0f B/s (%+.1f %%)", what, value, target,
                  100.0 * (value - target) / target);
  g_assert_cmpfloat (value, >=, target * (1 - fraction));
  g_assert_cmpfloat (value, <=, target * (1 + fraction));
}

/* One limiter, four threads taking 64 KiB at a time for 3 s. */
static void
test_bucket_rate (void)
{
  g_autoptr(HaulRateLimiter) limiter = haul_rate_limiter_new (NULL);
  HaulRateLimiter *all[4] = { limiter, limiter, limiter, limiter };
  guint64 rate = 1 * MiB;
  Log log;

  log_init (&log);
  haul_rate_limiter_set_rate (limiter, rate);
  g_assert_cmpuint (haul_rate_limiter_get_rate (limiter), ==, rate);
  run_takers (all, 4, 64 * KiB, 3 * G_USEC_PER_SEC, &log);

  assert_within (log_rate (&log), rate, 0.05, "four takers");
  g_test_message ("largest 250 ms window: %" G_GINT64_FORMAT " B (limit x 0.25 = %.0f)",
                  log_max_window (&log), rate * 0.25);
  g_assert_cmpint (log_max_window (&log), <=, 2 * rate / 4);
  log_clear (&log);
}

/* Small wants are granted whole; nothing is granted past the rate. */
static void
test_bucket_small_reads (void)
{
  g_autoptr(HaulRateLimiter) limiter = haul_rate_limiter_new (NULL);
  HaulRateLimiter *one[1] = { limiter };
  guint64 rate = 256 * KiB;
  Log log;

  log_init (&log);
  haul_rate_limiter_set_rate (limiter, rate);
  run_takers (one, 1, 1000, 2 * G_USEC_PER_SEC, &log);
  assert_within (log_rate (&log), rate, 0.05, "1000-byte takes");
  g_assert_cmpint (log_max_window (&log), <=, 2 * rate / 4);
  for (guint i = 0; i < log.sizes->len; i++)
    g_assert_cmpint (g_array_index (log.sizes, gint64, i), ==, 1000);
  log_clear (&log);
}

/* Two children under a parent of 1 MiB/s: one unlimited, one limited
 * above the parent. Their sum is the parent's rate; a child limited
 * below it keeps its own. */
static void
test_bucket_parent (void)
{
  g_autoptr(HaulRateLimiter) parent = haul_rate_limiter_new (NULL);
  g_autoptr(HaulRateLimiter) a = haul_rate_limiter_new (parent);
  g_autoptr(HaulRateLimiter) b = haul_rate_limiter_new (parent);
  HaulRateLimiter *children[4] = { a, a, b, b };
  guint64 rate = 1 * MiB;
  Log sum;

  log_init (&sum);
  haul_rate_limiter_set_rate (parent, rate);
  haul_rate_limiter_set_rate (b, 4 * MiB);
  run_takers (children, 4, 64 * KiB, 3 * G_USEC_PER_SEC, &sum);
  assert_within (log_rate (&sum), rate, 0.05, "two children, summed");
  g_assert_cmpint (log_max_window (&sum), <=, 2 * rate / 4);
  log_clear (&sum);

  /* A child below the parent: its own limit holds. */
  {
    HaulRateLimiter *slow[2] = { a, a };
    Log own;

    log_init (&own);
    haul_rate_limiter_set_rate (a, 256 * KiB);
    run_takers (slow, 2, 64 * KiB, 2 * G_USEC_PER_SEC, &own);
    assert_within (log_rate (&own), 256 * KiB, 0.05, "a child under its own limit");
    log_clear (&own);
  }
}

/* A taker waiting at a very low rate is released at once by a higher
 * one, and the new rate holds from then on. */
typedef struct
{
  HaulRateLimiter *limiter;
  GCancellable    *cancellable;
  gsize            granted;
  gint64           returned_at;
} Waiter;

static gpointer
waiter_thread (gpointer data)
{
  Waiter *waiter = data;

  waiter->granted = haul_rate_limiter_take (waiter->limiter, 64 * KiB, waiter->cancellable);
  waiter->returned_at = g_get_monotonic_time ();
  return NULL;
}

/* Empties the bucket (a take gets all there is), so that the next take
 * must wait. */
static void
drain (HaulRateLimiter *limiter)
{
  g_assert_cmpuint (haul_rate_limiter_take (limiter, 1 << 30, NULL), <, 1 << 30);
}

static void
test_bucket_rate_change (void)
{
  g_autoptr(HaulRateLimiter) limiter = haul_rate_limiter_new (NULL);
  HaulRateLimiter *one[1] = { limiter };
  Waiter waiter = { limiter, NULL, 0, 0 };
  GThread *thread;
  gint64 changed_at;
  Log log;

  /* At 1 B/s a take of any size waits a second per byte. */
  haul_rate_limiter_set_rate (limiter, 1);
  drain (limiter);
  thread = g_thread_new ("waiter", waiter_thread, &waiter);
  g_usleep (200 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (waiter.returned_at, ==, 0);
  changed_at = g_get_monotonic_time ();
  haul_rate_limiter_set_rate (limiter, 4 * MiB);
  g_thread_join (thread);
  g_test_message ("released %.1f ms after the change, with %" G_GSIZE_FORMAT " B",
                  (waiter.returned_at - changed_at) / 1000.0, waiter.granted);
  g_assert_cmpint (waiter.returned_at - changed_at, <, 100 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (waiter.granted, >, 0);

  /* The new rate from then on. */
  log_init (&log);
  run_takers (one, 1, 64 * KiB, 2 * G_USEC_PER_SEC, &log);
  assert_within (log_rate (&log), 4 * MiB, 0.05, "after the change");
  log_clear (&log);

  /* Lifted: unlimited at once. */
  haul_rate_limiter_set_rate (limiter, 0);
  g_assert_cmpuint (haul_rate_limiter_take (limiter, 10 * MiB, NULL), ==, 10 * MiB);
}

static void
test_bucket_cancel (void)
{
  g_autoptr(HaulRateLimiter) limiter = haul_rate_limiter_new (NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Waiter waiter = { limiter, cancellable, 0, 0 };
  GThread *thread;
  gint64 cancelled_at;

  haul_rate_limiter_set_rate (limiter, 1);
  drain (limiter);
  thread = g_thread_new ("waiter", waiter_thread, &waiter);
  g_usleep (200 * G_TIME_SPAN_MILLISECOND);
  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  g_thread_join (thread);

  g_test_message ("returned %.1f ms after the cancel",
                  (waiter.returned_at - cancelled_at) / 1000.0);
  g_assert_cmpuint (waiter.granted, ==, 0);
  g_assert_cmpint (waiter.returned_at - cancelled_at, <, 100 * G_TIME_SPAN_MILLISECOND);
  /* Already cancelled: at once. */
  g_assert_cmpuint (haul_rate_limiter_take (limiter, 10, cancellable), ==, 0);
}

/* A refund makes room for the next take at once. */
static void
test_bucket_refund (void)
{
  g_autoptr(HaulRateLimiter) parent = haul_rate_limiter_new (NULL);
  g_autoptr(HaulRateLimiter) child = haul_rate_limiter_new (parent);
  gint64 start;
  gsize n;

  haul_rate_limiter_set_rate (parent, 16 * KiB);
  drain (child);
  haul_rate_limiter_refund (child, 1000);
  start = g_get_monotonic_time ();
  n = haul_rate_limiter_take (child, 1000, NULL);
  g_assert_cmpuint (n, ==, 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_TIME_SPAN_MILLISECOND);
}

/* On the wire -------------------------------------------------------------- */

typedef struct
{
  GBytes *body;
  Log     sent;
  gint    n_connections;  /* (atomic) */
} CountingServer;

static void
count_sent (gsize    n,
            gpointer data)
{
  log_add (data, n);
}

static void
counting_handler (GSocketConnection *connection,
                  const char        *head,
                  gpointer           user_data)
{
  CountingServer *server = user_data;
  HaulTestRawAnswer how = { .etag = "\"w1\"", .write_size = 8 * KiB,
                            .on_sent = count_sent, .on_sent_data = &server->sent };

  g_atomic_int_inc (&server->n_connections);
  /* The server's own buffer stays small, as a busy server's would: what
   * it has sent is then what the client's socket took. */
  g_socket_set_option (g_socket_connection_get_socket (connection), SOL_SOCKET, SO_SNDBUF,
                       8 * KiB, NULL);
  haul_test_raw_answer (connection, head, server->body, &how);
}

/* 2 MiB/s over eight connections of one download, counted by the server
 * as the kernel takes the bytes from it. */
static void
test_transfer_limited (void)
{
  CountingServer server = { haul_test_make_bytes (10 * MiB, 5) };
  HaulTestRawServer *raw = NULL;
  g_autoptr(SoupSession) session = haul_request_session_new (10);
  g_autofree char *dir = haul_test_make_tmpdir ();
  g_autofree char *uri = NULL;
  g_autofree char *path = NULL;
  HaulProgressCell *cell = haul_progress_cell_new (NULL, NULL);
  g_autoptr(HaulTransferJob) job = NULL;
  g_autoptr(HaulTransferResult) result = NULL;
  guint64 rate = 2 * MiB;
  gint64 start;
  double seconds;

  log_init (&server.sent);
  raw = haul_test_raw_server_new (counting_handler, &server);
  uri = haul_test_raw_server_uri (raw, "/limited.bin");
  job = haul_transfer_job_new (session, cell, uri, dir);
  haul_progress_cell_unref (cell);
  job->max_connections = 8;
  job->min_split = 256 * KiB;
  job->limiter = haul_rate_limiter_new (NULL);
  haul_rate_limiter_set_rate (job->limiter, rate);

  start = g_get_monotonic_time ();
  result = haul_transfer_run (job, NULL);
  seconds = (g_get_monotonic_time () - start) / 1e6;

  g_assert_no_error (result->error);
  path = g_build_filename (dir, "limited.bin", NULL);
  g_assert_true (haul_test_file_equals (path, server.body));
  g_test_message ("%u connections (%d made), %.2f s, the server sent %" G_GINT64_FORMAT " B",
                  result->connections, g_atomic_int_get (&server.n_connections), seconds,
                  log_total (&server.sent));
  g_assert_cmpuint (result->connections, >=, 4);
  assert_within (g_bytes_get_size (server.body) / seconds, rate, 0.10, "achieved");
  g_test_message ("largest 250 ms window on the wire: %" G_GINT64_FORMAT " B (limit x 0.25 = %.0f)",
                  log_max_window (&server.sent), rate * 0.25);
  log_print_slots (&server.sent);
  g_assert_cmpint (log_max_window (&server.sent), <=, 2 * rate / 4);

  haul_test_raw_server_free (raw);
  haul_test_remove_tree (dir);
  log_clear (&server.sent);
  g_bytes_unref (server.body);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/engine/limits/bucket/rate", test_bucket_rate);
  g_test_add_func ("/haul/engine/limits/bucket/small-reads", test_bucket_small_reads);
  g_test_add_func ("/haul/engine/limits/bucket/parent", test_bucket_parent);
  g_test_add_func ("/haul/engine/limits/bucket/rate-change", test_bucket_rate_change);
  g_test_add_func ("/haul/engine/limits/bucket/cancel", test_bucket_cancel);
  g_test_add_func ("/haul/engine/limits/bucket/refund", test_bucket_refund);
  g_test_add_func ("/haul/engine/limits/transfer", test_transfer_limited);

  return g_test_run ();
}
