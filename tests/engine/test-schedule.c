/* test-schedule.c: time windows, the scheduler on a clock of its own, the
 * wall-clock timer, and a queue that runs only in its hours
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "haul-download-private.h"
#include "haul-queue-private.h"
#include "haul-schedule.h"
#include "haul-scheduler.h"
#include "haul-test-server.h"
#include "haul-wall-timer.h"

#define WAIT_MS 30000

/* Europe/Berlin's rules, written out so the test needs no tzdata: summer
 * time from the last Sunday of March 02:00 to the last Sunday of October
 * 03:00. In 2026: 29 March and 25 October. */
#define BERLIN  "CET-1CEST,M3.5.0,M10.5.0/3"
/* Sydney, the other way round: summer time from October to April. */
#define SYDNEY  "AEST-10AEDT,M10.1.0,M4.1.0/3"

static GTimeZone *
zone (const char *identifier)
{
  GTimeZone *tz = g_time_zone_new_identifier (identifier);

  g_assert_nonnull (tz);
  return tz;
}

static GDateTime *
at (GTimeZone *tz,
    int        year,
    int        month,
    int        day,
    int        hour,
    int        minute,
    double     seconds)
{
  GDateTime *when = g_date_time_new (tz, year, month, day, hour, minute, seconds);

  g_assert_nonnull (when);
  return when;
}

/* "2026-03-29T03:00:00+02" as the test writes it. */
static char *
show (GDateTime *when)
{
  return when != NULL ? g_date_time_format (when, "%FT%T%:::z") : g_strdup ("(never)");
}

static void
assert_next (const HaulTimeWindow *window,
             GDateTime            *when,
             const char           *expected)
{
  g_autoptr(GDateTime) next = haul_time_window_next_change (window, when);
  g_autofree char *shown = show (next);
  g_autofree char *from = show (when);

  g_test_message ("%02u:%02u–%02u:%02u from %s: %s", window->start / 60, window->start % 60,
                  window->end / 60, window->end % 60, from, shown);
  g_assert_cmpstr (shown, ==, expected);
  if (next != NULL)
    {
      g_assert_cmpint (g_date_time_compare (next, when), >, 0);
      g_assert_cmpint (haul_time_window_contains (window, next), !=,
                       haul_time_window_contains (window, when));
    }
}

static void
test_contains (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  HaulTimeWindow night = { 60, 420 };       /* 01:00–07:00 */
  HaulTimeWindow late = { 23 * 60, 360 };   /* 23:00–06:00, over midnight */
  HaulTimeWindow all = { 600, 600 };
  static const struct {
    int      hour, minute;
    double   seconds;
    gboolean night, late;
  } cases[] = {
    { 0, 0, 0, FALSE, TRUE },
    { 0, 59, 59.999, FALSE, TRUE },
    { 1, 0, 0, TRUE, TRUE },
    { 5, 59, 59, TRUE, TRUE },
    { 6, 0, 0, TRUE, FALSE },
    { 6, 59, 59.999, TRUE, FALSE },
    { 7, 0, 0, FALSE, FALSE },
    { 12, 0, 0, FALSE, FALSE },
    { 22, 59, 59, FALSE, FALSE },
    { 23, 0, 0, FALSE, TRUE },
    { 23, 59, 59, FALSE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) when = at (utc, 2026, 6, 1, cases[i].hour, cases[i].minute,
                                      cases[i].seconds);

      g_assert_cmpint (haul_time_window_contains (&night, when), ==, cases[i].night);
      g_assert_cmpint (haul_time_window_contains (&late, when), ==, cases[i].late);
      g_assert_true (haul_time_window_contains (&all, when));
    }
}

static void
test_next_change (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  HaulTimeWindow night = { 60, 420 };
  HaulTimeWindow late = { 23 * 60, 360 };
  HaulTimeWindow all = { 0, 0 };
  g_autoptr(GDateTime) a = at (utc, 2026, 6, 1, 0, 30, 45.123456);
  g_autoptr(GDateTime) b = at (utc, 2026, 6, 1, 1, 0, 0);
  g_autoptr(GDateTime) c = at (utc, 2026, 6, 1, 7, 0, 0.5);
  g_autoptr(GDateTime) d = at (utc, 2026, 6, 1, 12, 0, 0);
  g_autoptr(GDateTime) e = at (utc, 2026, 6, 1, 23, 30, 0);
  g_autoptr(GDateTime) f = at (utc, 2026, 12, 31, 23, 59, 59);

  assert_next (&night, a, "2026-06-01T01:00:00+00");
  assert_next (&night, b, "2026-06-01T07:00:00+00");
  assert_next (&night, c, "2026-06-02T01:00:00+00");
  assert_next (&late, d, "2026-06-01T23:00:00+00");
  assert_next (&late, e, "2026-06-02T06:00:00+00");
  /* Over midnight, over the year's end. */
  assert_next (&late, f, "2027-01-01T06:00:00+00");
  assert_next (&night, f, "2027-01-01T01:00:00+00");
  assert_next (&all, d, "(never)");
  {
    /* Whole minutes exactly: no second or microsecond left over. */
    g_autoptr(GDateTime) next = haul_time_window_next_change (&night, a);

    g_assert_cmpint (g_date_time_get_second (next), ==, 0);
    g_assert_cmpint (g_date_time_get_microsecond (next), ==, 0);
  }
}

/* Spring: 02:00 CET becomes 03:00 CEST on 29 March 2026. */
static void
test_spring_forward (void)
{
  g_autoptr(GTimeZone) berlin = zone (BERLIN);
  HaulTimeWindow night = { 60, 420 };          /* 01:00–07:00 */
  HaulTimeWindow in_jump = { 150, 240 };       /* 02:30–04:00: starts in the skipped hour */
  HaulTimeWindow lost = { 135, 165 };          /* 02:15–02:45: that night, never */
  HaulTimeWindow ends_lost = { 60, 150 };      /* 01:00–02:30: ends in the skipped hour */
  g_autoptr(GDateTime) before = at (berlin, 2026, 3, 29, 0, 30, 0);
  g_autoptr(GDateTime) one = at (berlin, 2026, 3, 29, 1, 0, 0);
  g_autoptr(GDateTime) jumped = at (berlin, 2026, 3, 29, 3, 0, 0);

  assert_next (&night, before, "2026-03-29T01:00:00+01");
  /* A night one hour shorter: five hours of downloading, not six. */
  assert_next (&night, one, "2026-03-29T07:00:00+02");
  assert_next (&in_jump, before, "2026-03-29T03:00:00+02");
  assert_next (&in_jump, jumped, "2026-03-29T04:00:00+02");
  assert_next (&lost, before, "2026-03-30T02:15:00+02");
  assert_next (&ends_lost, one, "2026-03-29T03:00:00+02");
  g_assert_true (haul_time_window_contains (&in_jump, jumped));
  g_assert_false (haul_time_window_contains (&ends_lost, jumped));
}

/* Autumn: 03:00 CEST becomes 02:00 CET on 25 October 2026; 02:00–03:00
 * comes twice. */
static void
test_fall_back (void)
{
  g_autoptr(GTimeZone) berlin = zone (BERLIN);
  HaulTimeWindow night = { 60, 420 };          /* 01:00–07:00 */
  HaulTimeWindow repeated = { 60, 150 };       /* 01:00–02:30: 02:00–02:30 twice */
  HaulTimeWindow late = { 23 * 60, 180 };      /* 23:00–03:00 */
  g_autoptr(GDateTime) before = at (berlin, 2026, 10, 25, 0, 30, 0);
  g_autoptr(GDateTime) one = at (berlin, 2026, 10, 25, 1, 0, 0);
  g_autoptr(GDateTime) first_pass = NULL;
  g_autoptr(GDateTime) second_pass = NULL;
  g_autoptr(GDateTime) evening = at (berlin, 2026, 10, 24, 22, 0, 0);

  assert_next (&night, before, "2026-10-25T01:00:00+02");
  /* A night one hour longer: seven hours. */
  assert_next (&night, one, "2026-10-25T07:00:00+01");

  /* 02:45 summer time, before the clock goes back: outside, until the
   * clock shows 02:00 again and the window holds once more. */
  first_pass = g_date_time_add_minutes (one, 105);
  g_assert_cmpint (g_date_time_get_hour (first_pass), ==, 2);
  g_assert_cmpint (g_date_time_get_utc_offset (first_pass), ==, 2 * G_TIME_SPAN_HOUR);
  assert_next (&repeated, first_pass, "2026-10-25T02:00:00+01");
  second_pass = g_date_time_add_minutes (first_pass, 15);
  assert_next (&repeated, second_pass, "2026-10-25T02:30:00+01");

  /* Over midnight and the change: 03:00 winter time, five hours later. */
  assert_next (&late, evening, "2026-10-24T23:00:00+02");
  {
    g_autoptr(GDateTime) start = at (berlin, 2026, 10, 24, 23, 0, 0);
    g_autoptr(GDateTime) next = haul_time_window_next_change (&late, start);
    g_autofree char *shown = show (next);

    /* 03:00 CEST happens only at the jump, which lands on 02:00 CET:
     * inside still; the window ends at the second 03:00, CET. */
    g_assert_cmpstr (shown, ==, "2026-10-25T03:00:00+01");
    g_assert_cmpint (g_date_time_difference (next, start), ==, 5 * G_TIME_SPAN_HOUR);
  }
}

/* The other hemisphere: Sydney goes to summer time on 4 October 2026. */
static void
test_southern (void)
{
  g_autoptr(GTimeZone) sydney = zone (SYDNEY);
  HaulTimeWindow night = { 60, 420 };
  g_autoptr(GDateTime) one = at (sydney, 2026, 10, 4, 1, 0, 0);
  g_autoptr(GDateTime) april = at (sydney, 2026, 4, 5, 1, 0, 0);

  assert_next (&night, one, "2026-10-04T07:00:00+11");
  assert_next (&night, april, "2026-04-05T07:00:00+10");
}

/* Every answer checked against the definition, minute by minute: random
 * windows and times around both changes of a year, in both zones. */
static void
test_brute_force (void)
{
  static const char * const zones[] = { BERLIN, SYDNEY, "UTC" };
  static const int days[][3] = {
    { 2026, 3, 28 }, { 2026, 3, 29 }, { 2026, 10, 24 }, { 2026, 10, 25 },
    { 2026, 4, 4 }, { 2026, 4, 5 }, { 2026, 10, 3 }, { 2026, 10, 4 },
  };
  GRand *rand = g_rand_new_with_seed (20261201);
  guint checked = 0;

  for (guint z = 0; z < G_N_ELEMENTS (zones); z++)
    {
      g_autoptr(GTimeZone) tz = zone (zones[z]);

      for (guint n = 0; n < 60; n++)
        {
          const int *day = days[g_rand_int_range (rand, 0, G_N_ELEMENTS (days))];
          HaulTimeWindow window = { g_rand_int_range (rand, 0, 1440),
                                    g_rand_int_range (rand, 0, 1440) };
          g_autoptr(GDateTime) when = at (tz, day[0], day[1], day[2],
                                          g_rand_int_range (rand, 0, 24),
                                          g_rand_int_range (rand, 0, 60),
                                          g_rand_int_range (rand, 0, 60));
          g_autoptr(GDateTime) next = haul_time_window_next_change (&window, when);
          g_autoptr(GDateTime) scan = NULL;
          gboolean inside = haul_time_window_contains (&window, when);

          if (window.start == window.end)
            {
              g_assert_null (next);
              continue;
            }
          /* Minute starts are where it can change (offsets are whole
           * minutes, changes are on the hour). */
          scan = g_date_time_add (when, -(g_date_time_get_second (when) * G_TIME_SPAN_SECOND
                                          + g_date_time_get_microsecond (when)));
          for (guint m = 0; m < 3 * 1440; m++)
            {
              g_autoptr(GDateTime) step = g_date_time_add_minutes (scan, 1);

              g_date_time_unref (scan);
              scan = g_steal_pointer (&step);
              if (haul_time_window_contains (&window, scan) != inside)
                break;
            }
          if (!g_date_time_equal (next, scan))
            {
              g_autofree char *a = show (when);
              g_autofree char *b = show (next);
              g_autofree char *c = show (scan);

              g_error ("%s %u–%u from %s: said %s, is %s", zones[z], window.start, window.end,
                       a, b, c);
            }
          checked++;
        }
    }
  g_test_message ("%u answers checked", checked);
  g_assert_cmpuint (checked, >, 150);
  g_rand_free (rand);
}

/* The scheduler on a clock of its own ------------------------------------- */

typedef struct
{
  GDateTime *now;
  guint      n_open;
  guint      n_alt;
} Clock;

static GDateTime *
clock_now (gpointer data)
{
  return g_date_time_ref (((Clock *) data)->now);
}

static void
clock_set (Clock     *clock,
           GDateTime *now)
{
  g_date_time_unref (clock->now);
  clock->now = g_date_time_ref (now);
}

static gint64
real_time_of (GDateTime *when)
{
  return g_date_time_to_unix (when) * G_USEC_PER_SEC + g_date_time_get_microsecond (when);
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
test_scheduler_clock (void)
{
  g_autoptr(GTimeZone) berlin = zone (BERLIN);
  g_autoptr(HaulScheduler) scheduler = haul_scheduler_new ();
  g_autoptr(GDateTime) t0030 = at (berlin, 2026, 3, 29, 0, 30, 0);
  g_autoptr(GDateTime) t0100 = at (berlin, 2026, 3, 29, 1, 0, 0);
  g_autoptr(GDateTime) t0700 = at (berlin, 2026, 3, 29, 7, 0, 0);
  g_autoptr(GDateTime) t0800 = at (berlin, 2026, 3, 29, 8, 0, 0);
  g_autoptr(GDateTime) t1800 = at (berlin, 2026, 3, 29, 18, 0, 0);
  g_autoptr(GDateTime) next0100 = at (berlin, 2026, 3, 30, 1, 0, 0);
  Clock clock = { g_date_time_ref (t0030), 0, 0 };

  g_signal_connect (scheduler, "notify::open", G_CALLBACK (count_cb), &clock.n_open);
  g_signal_connect (scheduler, "notify::alt-speed", G_CALLBACK (count_cb), &clock.n_alt);
  haul_scheduler_set_clock (scheduler, clock_now, &clock);

  /* Off: always open, no timer. */
  g_assert_true (haul_scheduler_get_open (scheduler));
  g_assert_cmpint (haul_scheduler_get_wake_time (scheduler), ==, 0);

  g_object_set (scheduler, "start", 60, "end", 420, "enabled", TRUE,
                "alt-start", 8 * 60, "alt-end", 18 * 60, "alt-enabled", TRUE, NULL);
  g_assert_false (haul_scheduler_get_open (scheduler));
  g_assert_cmpint (haul_scheduler_get_opens_at (scheduler), ==, real_time_of (t0100));
  g_assert_cmpint (haul_scheduler_get_wake_time (scheduler), ==, real_time_of (t0100));
  g_assert_false (haul_scheduler_get_alt_speed (scheduler));
  g_assert_cmpuint (clock.n_open, ==, 1);

  /* Woken early (a clock set back, a spurious wake): nothing changes. */
  haul_scheduler_check (scheduler);
  g_assert_false (haul_scheduler_get_open (scheduler));
  g_assert_cmpuint (clock.n_open, ==, 1);

  clock_set (&clock, t0100);
  haul_scheduler_check (scheduler);
  g_assert_true (haul_scheduler_get_open (scheduler));
  g_assert_cmpint (haul_scheduler_get_opens_at (scheduler), ==, 0);
  /* 07:00 summer time: the night was an hour shorter. */
  g_assert_cmpint (haul_scheduler_get_wake_time (scheduler), ==, real_time_of (t0700));
  g_assert_cmpint (haul_scheduler_get_wake_time (scheduler) - real_time_of (t0100), ==,
                   5 * G_TIME_SPAN_HOUR);

  clock_set (&clock, t0700);
  haul_scheduler_check (scheduler);
  g_assert_false (haul_scheduler_get_open (scheduler));
  g_assert_cmpint (haul_scheduler_get_opens_at (scheduler), ==, real_time_of (next0100));
  /* The next wake-up is the other window's. */
  g_assert_cmpint (haul_scheduler_get_wake_time (scheduler), ==, real_time_of (t0800));

  clock_set (&clock, t0800);
  haul_scheduler_check (scheduler);
  g_assert_true (haul_scheduler_get_alt_speed (scheduler));
  g_assert_cmpint (haul_scheduler_get_wake_time (scheduler), ==, real_time_of (t1800));

  /* A suspend from 09:00 to 23:00: the first look after it is right. */
  {
    g_autoptr(GDateTime) t2300 = at (berlin, 2026, 3, 29, 23, 0, 0);

    clock_set (&clock, t2300);
    haul_scheduler_check (scheduler);
    g_assert_false (haul_scheduler_get_alt_speed (scheduler));
    g_assert_false (haul_scheduler_get_open (scheduler));
    g_assert_cmpint (haul_scheduler_get_wake_time (scheduler), ==, real_time_of (next0100));
  }

  /* Turned off: open, and no wake-up at all. */
  g_object_set (scheduler, "enabled", FALSE, "alt-enabled", FALSE, NULL);
  g_assert_true (haul_scheduler_get_open (scheduler));
  g_assert_cmpint (haul_scheduler_get_wake_time (scheduler), ==, 0);
  g_assert_cmpuint (clock.n_open, ==, 4);
  g_assert_cmpuint (clock.n_alt, ==, 2);

  g_date_time_unref (clock.now);
}

/* The real timer ------------------------------------------------------------ */

static void
fired_cb (gpointer data)
{
  *(gint64 *) data = g_get_real_time ();
}

static void
spin (guint ms)
{
  gboolean never = FALSE;

  haul_test_spin_until (&never, ms);
}

static void
test_wall_timer (void)
{
  gint64 fired = 0;
  g_autoptr(HaulWallTimer) timer = haul_wall_timer_new (fired_cb, &fired);
  gint64 start = g_get_real_time ();
  gint64 end;

  /* Disarmed: nothing, however long. */
  haul_wall_timer_arm (timer, start + 200 * 1000);
  haul_wall_timer_arm (timer, 0);
  spin (500);
  g_assert_cmpint (fired, ==, 0);

  /* The later time replaces the earlier. */
  start = g_get_real_time ();
  haul_wall_timer_arm (timer, start + 100 * 1000);
  haul_wall_timer_arm (timer, start + 400 * 1000);
  g_assert_cmpint (haul_wall_timer_get_due (timer), ==, start + 400 * 1000);
  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (fired == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (fired, >=, start + 400 * 1000);
  g_assert_cmpint (fired, <, start + 3 * G_USEC_PER_SEC);
  g_assert_cmpint (haul_wall_timer_get_due (timer), ==, 0);

  /* A time already past fires at once. */
  fired = 0;
  haul_wall_timer_arm (timer, 1);
  end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (fired == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (fired, !=, 0);
}

/* With the real clock, the scheduler sets a timer for the next change
 * and no sooner; no source runs meanwhile. */
static void
test_scheduler_real (void)
{
  g_autoptr(HaulScheduler) scheduler = haul_scheduler_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  guint minute = (guint) (g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now));
  gint64 wake;

  /* A window opening in about twelve hours. */
  g_object_set (scheduler, "start", (minute + 720) % 1440, "end", (minute + 780) % 1440,
                "enabled", TRUE, NULL);
  g_assert_false (haul_scheduler_get_open (scheduler));
  wake = haul_scheduler_get_wake_time (scheduler);
  g_assert_cmpint (wake, ==, haul_scheduler_get_opens_at (scheduler));
  g_assert_cmpint (wake - g_get_real_time (), >, 11 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (wake - g_get_real_time (), <=, 13 * G_TIME_SPAN_HOUR);
  /* The main loop stays asleep: nothing is ready for a second. */
  {
    gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC;
    guint dispatched = 0;

    while (g_get_monotonic_time () < end)
      if (g_main_context_iteration (NULL, FALSE))
        dispatched++;
      else
        g_usleep (10 * 1000);
    g_assert_cmpuint (dispatched, ==, 0);
  }
}

/* A queue that runs only in its hours ---------------------------------------- */

typedef struct
{
  HaulTestServer *server;
  char           *tmpdir;
  char           *db_path;
  HaulStore      *store;
  HaulQueue      *queue;
  GBytes         *small;
  GBytes         *slow;
} Fixture;

#define SLOW_SIZE (3 * 1024 * 1024)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  HaulTestFileOptions slow = { .etag = "\"slow1\"", .bytes_per_second = 600 * 1024 };

  fixture->server = haul_test_server_new ();
  fixture->tmpdir = haul_test_make_tmpdir ();
  fixture->db_path = g_build_filename (fixture->tmpdir, "data", "downloads.db", NULL);
  fixture->small = haul_test_make_bytes (64 * 1024, 1);
  fixture->slow = haul_test_make_bytes (SLOW_SIZE, 2);
  haul_test_server_add_file (fixture->server, "/small.bin", fixture->small, NULL);
  haul_test_server_add_file (fixture->server, "/slow.bin", fixture->slow, &slow);
  haul_test_open_queue (fixture->db_path, &fixture->store, &fixture->queue);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->queue != NULL)
    haul_test_close_queue (&fixture->store, &fixture->queue);
  haul_test_server_free (fixture->server);
  haul_test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->db_path);
  g_bytes_unref (fixture->small);
  g_bytes_unref (fixture->slow);
}

static HaulDownload *
add (Fixture    *fixture,
     const char *path)
{
  return haul_test_queue_add (fixture->queue, fixture->server, path, fixture->tmpdir);
}

static void
assert_waits (HaulDownload *download,
              gint64        opens_at)
{
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_QUEUED);
  g_assert_cmpint (haul_download_get_waiting (download), ==, HAUL_WAITING_SCHEDULE);
  g_assert_cmpint (haul_download_get_retry_at (download), ==, opens_at);
}

/* The scheduler (on a clock of its own) drives the queue: outside the
 * hours nothing starts and a running download stops with its bytes; when
 * they open it goes on from them. */
static void
test_queue_hours (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(HaulScheduler) scheduler = haul_scheduler_new ();
  g_autoptr(GDateTime) t0030 = at (utc, 2026, 6, 1, 0, 30, 0);
  g_autoptr(GDateTime) t0100 = at (utc, 2026, 6, 1, 1, 0, 0);
  g_autoptr(GDateTime) t0700 = at (utc, 2026, 6, 1, 7, 0, 0);
  g_autoptr(GDateTime) next0100 = at (utc, 2026, 6, 2, 1, 0, 0);
  Clock clock = { g_date_time_ref (t0030), 0, 0 };
  HaulDownload *small;
  HaulDownload *slow;
  gint64 kept;

  haul_scheduler_set_clock (scheduler, clock_now, &clock);
  g_object_set (scheduler, "start", 60, "end", 420, "enabled", TRUE, NULL);
  haul_scheduler_drive_queue (scheduler, fixture->queue);
  g_assert_false (haul_queue_get_schedule_open (fixture->queue));

  /* 00:30: added, and waiting for 01:00. */
  small = add (fixture, "/small.bin");
  slow = add (fixture, "/slow.bin");
  spin (500);
  assert_waits (small, real_time_of (t0100));
  assert_waits (slow, real_time_of (t0100));
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/small.bin"), ==, 0);
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/slow.bin"), ==, 0);

  /* 01:00 */
  clock_set (&clock, t0100);
  haul_scheduler_check (scheduler);
  g_assert_true (haul_test_wait_state (small, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  g_assert_true (haul_test_wait_received (slow, 512 * 1024, WAIT_MS));
  g_assert_cmpint (haul_download_get_waiting (slow), ==, HAUL_WAITING_NONE);

  /* 07:00, mid-download: it stops, keeps its bytes, and waits. */
  clock_set (&clock, t0700);
  haul_scheduler_check (scheduler);
  g_assert_true (haul_test_wait_state (slow, HAUL_DOWNLOAD_QUEUED, WAIT_MS));
  spin (300);
  assert_waits (slow, real_time_of (next0100));
  kept = haul_download_get_confirmed (slow);
  g_assert_cmpint (kept, >, 0);
  g_assert_cmpint (kept, <, SLOW_SIZE);
  g_assert_nonnull (haul_download_get_partial_path (slow));
  g_assert_true (g_file_test (haul_download_get_partial_path (slow), G_FILE_TEST_IS_REGULAR));
  {
    guint requests = haul_test_server_get_n_requests (fixture->server, "/slow.bin");

    spin (700);
    g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/slow.bin"), ==,
                      requests);
    g_assert_cmpint (haul_download_get_state (slow), ==, HAUL_DOWNLOAD_QUEUED);
  }

  /* Quit and start again outside the hours: still waiting. */
  haul_test_close_queue (&fixture->store, &fixture->queue);
  haul_test_open_queue (fixture->db_path, &fixture->store, &fixture->queue);
  haul_scheduler_drive_queue (scheduler, fixture->queue);
  slow = haul_queue_peek (fixture->queue, 1);
  spin (500);
  assert_waits (slow, real_time_of (next0100));

  /* The next night: on from the bytes kept, byte-exact. */
  clock_set (&clock, next0100);
  haul_scheduler_check (scheduler);
  g_assert_true (haul_test_wait_state (slow, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  {
    g_autofree char *path = haul_download_dup_path (slow);
    g_autofree char *headers = haul_test_server_get_last_request_headers (fixture->server,
                                                                          "/slow.bin");

    g_assert_true (haul_test_file_equals (path, fixture->slow));
    g_assert_nonnull (strstr (headers, "Range: bytes="));
  }
  g_date_time_unref (clock.now);
}

/* Outside the hours, Start Now still starts; Pause is kept when they open. */
static void
test_queue_start_now (Fixture       *fixture,
                      gconstpointer  data)
{
  HaulDownload *small;
  HaulDownload *slow;

  haul_queue_set_schedule (fixture->queue, FALSE, 123 * G_USEC_PER_SEC);
  small = add (fixture, "/small.bin");
  slow = add (fixture, "/slow.bin");
  spin (300);
  assert_waits (small, 123 * G_USEC_PER_SEC);

  haul_queue_start_now (fixture->queue, small);
  g_assert_true (haul_test_wait_state (small, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  {
    g_autofree char *path = haul_download_dup_path (small);

    g_assert_true (haul_test_file_equals (path, fixture->small));
  }

  haul_queue_pause (fixture->queue, slow);
  g_assert_cmpint (haul_download_get_state (slow), ==, HAUL_DOWNLOAD_PAUSED);
  haul_queue_set_schedule (fixture->queue, TRUE, 0);
  spin (500);
  g_assert_cmpint (haul_download_get_state (slow), ==, HAUL_DOWNLOAD_PAUSED);
  g_assert_cmpuint (haul_test_server_get_n_requests (fixture->server, "/slow.bin"), ==, 0);
  g_assert_true (haul_queue_get_schedule_open (fixture->queue));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/engine/schedule/contains", test_contains);
  g_test_add_func ("/haul/engine/schedule/next-change", test_next_change);
  g_test_add_func ("/haul/engine/schedule/spring-forward", test_spring_forward);
  g_test_add_func ("/haul/engine/schedule/fall-back", test_fall_back);
  g_test_add_func ("/haul/engine/schedule/southern", test_southern);
  g_test_add_func ("/haul/engine/schedule/brute-force", test_brute_force);
  g_test_add_func ("/haul/engine/scheduler/fake-clock", test_scheduler_clock);
  g_test_add_func ("/haul/engine/scheduler/wall-timer", test_wall_timer);
  g_test_add_func ("/haul/engine/scheduler/real-clock", test_scheduler_real);
  g_test_add ("/haul/engine/scheduler/queue/hours", Fixture, NULL,
              fixture_set_up, test_queue_hours, fixture_tear_down);
  g_test_add ("/haul/engine/scheduler/queue/start-now", Fixture, NULL,
              fixture_set_up, test_queue_start_now, fixture_tear_down);

  return g_test_run ();
}
