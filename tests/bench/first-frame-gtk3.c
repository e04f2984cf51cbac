/* first-frame-gtk3.c: when does a GTK 3 program paint its first frame?
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   HAUL_FIRST_FRAME_OUT=FILE LD_PRELOAD=.../libhaul-first-frame-gtk3.so PROGRAM
 *
 * Preloaded into another application (uGet, for the history benchmark),
 * this measures it the way haul-history-bench measures Haul: from before
 * main() (this library's constructor, once every library is loaded) to the
 * end of the first frame a window paints. GTK 3 ends every frame it paints
 * with gdk_window_end_draw_frame(), called from libgtk into libgdk, so a
 * definition here comes first; it calls GDK's own, then writes
 * "first_frame_ms=… cpu_ms=…" to FILE once (cpu_ms: the CPU time of all
 * threads by then). With HAUL_FIRST_FRAME_STOP set the
 * process then stops itself (SIGSTOP), for a screenshot of exactly what
 * the first frame showed.
 *
 * No GTK header: the two GDK functions are looked up by name.
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef void (*EndDrawFrame) (void *window, void *context);

static struct timespec start;
static int painted;

static double
ms_since_start (void)
{
  struct timespec now;

  clock_gettime (CLOCK_MONOTONIC, &now);
  return (now.tv_sec - start.tv_sec) * 1e3 + (now.tv_nsec - start.tv_nsec) / 1e6;
}

__attribute__((constructor)) static void
record_start (void)
{
  clock_gettime (CLOCK_MONOTONIC, &start);
}

/* All threads, since the process started. */
static double
cpu_ms (void)
{
  struct timespec cpu;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu);
  return cpu.tv_sec * 1e3 + cpu.tv_nsec / 1e6;
}

static void
report (double ms)
{
  const char *out = getenv ("HAUL_FIRST_FRAME_OUT");
  char line[96];
  int fd, n;

  n = snprintf (line, sizeof line, "first_frame_ms=%.1f cpu_ms=%.1f\n", ms, cpu_ms ());
  if (out == NULL || (fd = open (out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
    fd = STDERR_FILENO;
  if (write (fd, line, n) != n)
    {
      /* Nothing else to tell it with. */
    }
  if (fd != STDERR_FILENO)
    close (fd);
}

void gdk_window_end_draw_frame (void *window,
                                void *context);

void
gdk_window_end_draw_frame (void *window,
                           void *context)
{
  static EndDrawFrame real;

  if (real == NULL)
    real = (EndDrawFrame) dlsym (RTLD_NEXT, "gdk_window_end_draw_frame");
  if (real != NULL)
    real (window, context);

  if (!painted)
    {
      painted = 1;
      report (ms_since_start ());
      if (getenv ("HAUL_FIRST_FRAME_STOP") != NULL)
        {
          void *(*get_display) (void) = (void *(*) (void)) dlsym (RTLD_DEFAULT,
                                                                   "gdk_display_get_default");
          void (*sync) (void *) = (void (*) (void *)) dlsym (RTLD_DEFAULT, "gdk_display_sync");

          /* Everything drawn reaches the X server before we stop. */
          if (get_display != NULL && sync != NULL)
            sync (get_display ());
          raise (SIGSTOP);
        }
    }
}
