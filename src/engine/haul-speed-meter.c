/* haul-speed-meter.c: a download's speed and time left, averaged
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-speed-meter.h"

/* Speed and time left are averaged over the last few seconds, as GNOME's
 * file operations average over the whole copy: bytes arrive in bursts (TCP
 * windows, a server's write size, the queue's flush beat), and a rate taken
 * between two flushes swings between half and twice the true one.
 *
 * Samples (time, bytes) go into a small ring, at most one per
 * SPEED_SAMPLE_US; the speed is the bytes that arrived since the newest
 * sample at least SPEED_WINDOW_US old, over the time since. Until the
 * samples span SPEED_MIN_SPAN_US no speed is shown, until ETA_MIN_SPAN_US
 * no time left: the first second of a transfer (slow start, buffers
 * filling) says little about the rest. The ring exists only while bytes
 * arrive (its owner frees it when the transfer stops), so a long history
 * costs nothing.
 *
 * The time left counts down with the clock and follows the estimate from
 * the speed with a lag of a few seconds (ETA_SETTLE_S): a person reads
 * "42 seconds" as a countdown, and a fresh estimate at each flush would
 * tick up and down by a few seconds. */
#define SPEED_WINDOW_US   (5 * G_USEC_PER_SEC)
#define SPEED_SAMPLE_US   (250 * G_TIME_SPAN_MILLISECOND)
#define SPEED_MIN_SPAN_US (1 * G_USEC_PER_SEC)
#define ETA_MIN_SPAN_US   (3 * G_USEC_PER_SEC)
#define ETA_SETTLE_S      3.0
/* Window / sample interval, plus the base and the newest. */
#define SPEED_N_SAMPLES   24

typedef struct
{
  gint64 time;      /* monotonic µs */
  gint64 received;
} SpeedSample;

struct _HaulSpeedMeter
{
  SpeedSample samples[SPEED_N_SAMPLES];
  guint       first;     /* index of the oldest */
  guint       len;
  double      eta;       /* seconds left shown at @eta_time */
  gint64      eta_time;  /* monotonic µs, 0: no time left shown yet */
};

static SpeedSample *
speed_window_nth (HaulSpeedMeter *window,
                  guint           n)
{
  return &window->samples[(window->first + n) % SPEED_N_SAMPLES];
}

static void
speed_window_push (HaulSpeedMeter *window,
                   gint64          now_us,
                   gint64          received)
{
  if (window->len == SPEED_N_SAMPLES)
    {
      window->first = (window->first + 1) % SPEED_N_SAMPLES;
      window->len--;
    }
  *speed_window_nth (window, window->len) = (SpeedSample) { now_us, received };
  window->len++;
}

/* The oldest sample still needed: the newest one at least a window old,
 * or the oldest there is. Older ones are dropped. */
static const SpeedSample *
speed_window_base (HaulSpeedMeter *window,
                   gint64          now_us)
{
  while (window->len >= 2 && speed_window_nth (window, 1)->time <= now_us - SPEED_WINDOW_US)
    {
      window->first = (window->first + 1) % SPEED_N_SAMPLES;
      window->len--;
    }
  return speed_window_nth (window, 0);
}

/* The time left to show, given a fresh @estimate (seconds): the last one
 * counted down, then moved toward the estimate by dt / (ETA_SETTLE_S + dt)
 * of the difference. It goes up only when the estimate is more than
 * ETA_SETTLE_S + dt above the count-down, i.e. when the speed really fell. */
static double
speed_window_count_down (HaulSpeedMeter *window,
                         double          estimate,
                         gint64          now_us)
{
  double left = estimate;

  if (window->eta_time != 0)
    {
      double dt = (double) (now_us - window->eta_time) / G_USEC_PER_SEC;
      double counted = MAX (window->eta - dt, 0.0);

      left = counted + (estimate - counted) * dt / (ETA_SETTLE_S + dt);
    }

  window->eta = left;
  window->eta_time = now_us;
  return left;
}

HaulSpeedMeter *
haul_speed_meter_new (void)
{
  return g_new0 (HaulSpeedMeter, 1);
}

void
haul_speed_meter_free (HaulSpeedMeter *meter)
{
  g_free (meter);
}

void
haul_speed_meter_update (HaulSpeedMeter *window,
                         gint64          received,
                         gint64          total,
                         gint64          now_us,
                         double         *speed_out,
                         gint64         *eta_out)
{
  const SpeedSample *base;
  const SpeedSample *newest;
  double speed = 0;
  gint64 span;
  gint64 eta = -1;

  g_return_if_fail (window != NULL);
  g_return_if_fail (speed_out != NULL);
  g_return_if_fail (eta_out != NULL);

  if (window->len > 0 && (received < speed_window_nth (window, window->len - 1)->received
                          || now_us < speed_window_nth (window, window->len - 1)->time))
    *window = (HaulSpeedMeter) { 0 };

  if (window->len == 0)
    speed_window_push (window, now_us, received);

  base = speed_window_base (window, now_us);
  span = now_us - base->time;
  if (span >= SPEED_MIN_SPAN_US)
    speed = (double) (received - base->received) * G_USEC_PER_SEC / (double) span;

  newest = speed_window_nth (window, window->len - 1);
  if (now_us - newest->time >= SPEED_SAMPLE_US)
    speed_window_push (window, now_us, received);

  if (total >= 0 && received >= total)
    eta = 0;
  else if (total > 0 && speed >= 1.0 && span >= ETA_MIN_SPAN_US)
    eta = (gint64) (speed_window_count_down (window, (double) (total - received) / speed, now_us)
                    + 0.5);
  else
    window->eta_time = 0;

  *speed_out = speed;
  *eta_out = eta;
}
