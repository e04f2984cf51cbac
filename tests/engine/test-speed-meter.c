/* test-speed-meter.c: speed and time left averaged over a window, on a
 * made-up clock
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-speed-meter.h"

#define T0 (1000 * G_USEC_PER_SEC)

typedef struct
{
  double speed;
  gint64 eta;
} Reading;

static Reading
take (HaulSpeedMeter *meter,
      gint64          received,
      gint64          total,
      gint64          now_us)
{
  Reading r = { -1.0, -2 };

  haul_speed_meter_update (meter, received, total, now_us, &r.speed, &r.eta);
  return r;
}

/* Nothing is shown until the samples span a second (speed) and three
 * seconds (time left): the start of a transfer says little. */
static void
test_warm_up (void)
{
  g_autoptr(HaulSpeedMeter) meter = haul_speed_meter_new ();
  Reading r;

  r = take (meter, 0, 10000000, T0);
  g_assert_cmpfloat (r.speed, ==, 0);
  g_assert_cmpint (r.eta, ==, -1);

  r = take (meter, 500000, 10000000, T0 + G_USEC_PER_SEC / 2);
  g_assert_cmpfloat (r.speed, ==, 0);
  g_assert_cmpint (r.eta, ==, -1);

  r = take (meter, 1000000, 10000000, T0 + G_USEC_PER_SEC);
  g_assert_cmpfloat_with_epsilon (r.speed, 1000000.0, 1.0);
  g_assert_cmpint (r.eta, ==, -1);

  r = take (meter, 2000000, 10000000, T0 + 2 * G_USEC_PER_SEC);
  g_assert_cmpint (r.eta, ==, -1);
  r = take (meter, 3000000, 10000000, T0 + 3 * G_USEC_PER_SEC);
  g_assert_cmpfloat_with_epsilon (r.speed, 1000000.0, 1.0);
  g_assert_cmpint (r.eta, ==, 7);
}

/* The average covers the last five seconds: a burst moves it part of the
 * way, and a burst older than the window no longer counts. */
static void
test_window (void)
{
  g_autoptr(HaulSpeedMeter) meter = haul_speed_meter_new ();
  gint64 received = 0;
  Reading r;

  for (int i = 0; i <= 4; i++)
    r = take (meter, received + i * 1000000, -1, T0 + i * G_USEC_PER_SEC);
  received = 4000000;
  g_assert_cmpfloat_with_epsilon (r.speed, 1000000.0, 1.0);

  /* 3 MB in the fifth second: 7 MB over 5 s. */
  received += 3000000;
  r = take (meter, received, -1, T0 + 5 * G_USEC_PER_SEC);
  g_assert_cmpfloat_with_epsilon (r.speed, 1400000.0, 1.0);

  /* Then 1 MB/s again, for well over a window: the burst is forgotten. */
  for (int i = 6; i <= 20; i++)
    {
      received += 1000000;
      r = take (meter, received, -1, T0 + i * G_USEC_PER_SEC);
    }
  g_assert_cmpfloat_with_epsilon (r.speed, 1000000.0, 1.0);
  g_assert_cmpint (r.eta, ==, -1);
}

/* The time left counts down with the clock and follows a new estimate
 * with a lag: a sudden stall does not make it jump. */
static void
test_count_down (void)
{
  g_autoptr(HaulSpeedMeter) meter = haul_speed_meter_new ();
  gint64 total = 100000000;
  gint64 last = -1;
  Reading r;

  for (int i = 0; i <= 10; i++)
    {
      r = take (meter, i * 1000000, total, T0 + i * G_USEC_PER_SEC);
      if (i >= 4)
        {
          /* Steady 1 MB/s: one second less at each second. */
          g_assert_cmpint (r.eta, ==, 100 - i);
          if (last >= 0)
            g_assert_cmpint (r.eta, <, last);
        }
      last = r.eta;
    }

  /* Half the speed for a second: the estimate leaps up, the time left
   * moves only part of the way toward it. */
  r = take (meter, 10500000, total, T0 + 11 * G_USEC_PER_SEC);
  g_assert_cmpint (r.eta, >, last);
  g_assert_cmpint (r.eta, <, (gint64) ((total - 10500000) / r.speed));
}

/* Fewer bytes than the last sample (the server sent the file again from
 * the start), or a clock that went back: the average starts again. */
static void
test_restart (void)
{
  g_autoptr(HaulSpeedMeter) meter = haul_speed_meter_new ();
  Reading r;

  for (int i = 0; i <= 4; i++)
    r = take (meter, i * 1000000, 10000000, T0 + i * G_USEC_PER_SEC);
  g_assert_cmpfloat (r.speed, >, 0);
  g_assert_cmpint (r.eta, >, 0);

  r = take (meter, 100000, 10000000, T0 + 4200000);
  g_assert_cmpfloat (r.speed, ==, 0);
  g_assert_cmpint (r.eta, ==, -1);

  r = take (meter, 1100000, 10000000, T0 + 5200000);
  g_assert_cmpfloat_with_epsilon (r.speed, 1000000.0, 1.0);

  r = take (meter, 1200000, 10000000, T0);
  g_assert_cmpfloat (r.speed, ==, 0);
  g_assert_cmpint (r.eta, ==, -1);
}

/* All bytes there: no time left, whatever the speed. */
static void
test_done (void)
{
  g_autoptr(HaulSpeedMeter) meter = haul_speed_meter_new ();
  Reading r;

  r = take (meter, 0, 1000, T0);
  g_assert_cmpint (r.eta, ==, -1);
  r = take (meter, 1000, 1000, T0 + G_USEC_PER_SEC / 10);
  g_assert_cmpint (r.eta, ==, 0);
  g_assert_cmpfloat (r.speed, ==, 0);

  /* An empty file of known size is done at once. */
  g_clear_pointer (&meter, haul_speed_meter_free);
  meter = haul_speed_meter_new ();
  r = take (meter, 0, 0, T0);
  g_assert_cmpint (r.eta, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/engine/speed-meter/warm-up", test_warm_up);
  g_test_add_func ("/haul/engine/speed-meter/window", test_window);
  g_test_add_func ("/haul/engine/speed-meter/count-down", test_count_down);
  g_test_add_func ("/haul/engine/speed-meter/restart", test_restart);
  g_test_add_func ("/haul/engine/speed-meter/done", test_done);

  return g_test_run ();
}
