/* stall-probe.h: how late a 5 ms main-loop timer fires, for the probes
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Under AddressSanitizer every instruction costs several: the probes
 * print their figures, but apply no bound. */
#if defined(__SANITIZE_ADDRESS__)
# define HAUL_STALL_SANITIZED 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define HAUL_STALL_SANITIZED 1
# endif
#endif
#ifndef HAUL_STALL_SANITIZED
# define HAUL_STALL_SANITIZED 0
#endif

typedef struct _HaulStallProbe HaulStallProbe;

/* CPU time the calling thread has used, in µs. */
gint64          haul_stall_thread_cpu_time   (void);

/* Starts a 5 ms timer on the default main context that records how late
 * it fires; with @verbose, each stall over 8 ms is printed as it ends. */
HaulStallProbe *haul_stall_probe_start       (gboolean        verbose);
/* What is happening now, named in the verbose lines (NULL: nothing). */
void            haul_stall_probe_set_phase   (HaulStallProbe *probe,
                                              const char     *phase);
/* Stops the timer; the figures below are read after this. */
void            haul_stall_probe_stop        (HaulStallProbe *probe);
/* The lateness (µs) that @percent of the firings did not exceed: 100 is
 * the longest, 50 the median; 0 when the timer never fired. */
gint64          haul_stall_probe_percentile  (HaulStallProbe *probe,
                                              guint           percent);
guint           haul_stall_probe_n_samples   (HaulStallProbe *probe);
/* The longest stall the main thread itself spent working (µs): on a
 * shared machine the rest of a stall is waiting for a core. */
gint64          haul_stall_probe_max_busy    (HaulStallProbe *probe);
void            haul_stall_probe_free        (HaulStallProbe *probe);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulStallProbe, haul_stall_probe_free)

G_END_DECLS
