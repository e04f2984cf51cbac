/* haul-wall-timer.c: a main-loop wake-up at a time on the wall clock
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A timerfd on CLOCK_REALTIME, armed with an absolute time and
 * TFD_TIMER_CANCEL_ON_SET, watched by the main loop: no wake-up at all
 * until the time comes, the clock is set, or a suspend ends past it.
 * Where timerfd cannot be had, a GLib timeout of at most a minute that
 * compares the real clock each time it runs (after a suspend, a minute
 * late at worst).
 */

#include "config.h"

#include <errno.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <glib-unix.h>

#include "haul-wall-timer.h"

#define FALLBACK_MAX_WAIT_S 60

struct _HaulWallTimer
{
  HaulWallTimerFunc  func;
  gpointer           user_data;
  gint64             due;        /* real time µs, 0: disarmed */
  int                fd;         /* the timerfd, or -1 */
  guint              source;     /* the fd watch, or the fallback timeout */
};

static void fire (HaulWallTimer *timer);

static gboolean
fd_ready_cb (int           fd,
             GIOCondition  condition,
             gpointer      data)
{
  HaulWallTimer *timer = data;
  guint64 expirations;

  /* ECANCELED: the clock was set. Either way the owner looks again. */
  if (read (fd, &expirations, sizeof expirations) < 0 && errno == EAGAIN)
    return G_SOURCE_CONTINUE;
  if (timer->due != 0)
    fire (timer);
  return G_SOURCE_CONTINUE;
}

static gboolean
fallback_cb (gpointer data)
{
  HaulWallTimer *timer = data;

  timer->source = 0;
  if (g_get_real_time () >= timer->due)
    fire (timer);
  else
    haul_wall_timer_arm (timer, timer->due);
  return G_SOURCE_REMOVE;
}

static void
fire (HaulWallTimer *timer)
{
  haul_wall_timer_arm (timer, 0);
  timer->func (timer->user_data);
}

HaulWallTimer *
haul_wall_timer_new (HaulWallTimerFunc func,
                     gpointer          user_data)
{
  HaulWallTimer *timer;

  g_return_val_if_fail (func != NULL, NULL);

  timer = g_new0 (HaulWallTimer, 1);
  timer->func = func;
  timer->user_data = user_data;
  timer->fd = timerfd_create (CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
  if (timer->fd >= 0)
    timer->source = g_unix_fd_add (timer->fd, G_IO_IN, fd_ready_cb, timer);
  else
    g_debug ("No timerfd (%s): the schedule looks at the clock every minute",
             g_strerror (errno));
  return timer;
}

void
haul_wall_timer_free (HaulWallTimer *timer)
{
  if (timer == NULL)
    return;
  g_clear_handle_id (&timer->source, g_source_remove);
  if (timer->fd >= 0)
    close (timer->fd);
  g_free (timer);
}

void
haul_wall_timer_arm (HaulWallTimer *timer,
                     gint64         due)
{
  g_return_if_fail (timer != NULL);
  g_return_if_fail (due >= 0);

  timer->due = due;
  if (timer->fd >= 0)
    {
      struct itimerspec spec = { { 0, 0 }, { 0, 0 } };

      /* A time already past still fires (1 ns after the epoch). */
      if (due > 0)
        {
          spec.it_value.tv_sec = due / G_USEC_PER_SEC;
          spec.it_value.tv_nsec = (due % G_USEC_PER_SEC) * 1000;
          if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0)
            spec.it_value.tv_nsec = 1;
        }
      if (timerfd_settime (timer->fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET,
                           &spec, NULL) != 0)
        g_warning ("Could not set the schedule's timer: %s", g_strerror (errno));
      return;
    }

  g_clear_handle_id (&timer->source, g_source_remove);
  if (due > 0)
    {
      gint64 wait_ms = MAX (due - g_get_real_time (), 0) / 1000 + 1;

      timer->source = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                          (guint) MIN (wait_ms, FALLBACK_MAX_WAIT_S * 1000),
                                          fallback_cb, timer, NULL);
    }
}

gint64
haul_wall_timer_get_due (HaulWallTimer *timer)
{
  g_return_val_if_fail (timer != NULL, 0);
  return timer->due;
}
