/* haul-builtin-engine.h: downloads in worker threads of this process
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "haul-engine.h"

G_BEGIN_DECLS

#define HAUL_TYPE_BUILTIN_ENGINE (haul_builtin_engine_get_type ())
G_DECLARE_FINAL_TYPE (HaulBuiltinEngine, haul_builtin_engine, HAUL, BUILTIN_ENGINE, GObject)

HaulEngine *haul_builtin_engine_new              (void);

/* For tests and the probe: flushes run so far, the most ever pending at
 * once (never more than 1), the longest one on the main thread (µs). */
guint       haul_builtin_engine_get_n_flushes    (HaulBuiltinEngine *self);
/* Downloads the scheduler looked at so far (each pass walks the list). */
guint64     haul_builtin_engine_get_n_schedule_steps (HaulBuiltinEngine *self);
guint       haul_builtin_engine_get_max_pending  (HaulBuiltinEngine *self);
gint64      haul_builtin_engine_get_max_flush_us (HaulBuiltinEngine *self);

/* How long to wait before a retry (haul_retry_delay() unless a test sets
 * a fake clock's). */
typedef gint64 (*HaulRetryDelayFunc) (guint    attempt,
                                      gint64   retry_after,
                                      guint32  jitter);
void        haul_builtin_engine_set_retry_delay_func (HaulBuiltinEngine  *self,
                                                      HaulRetryDelayFunc  func);

/* What tells the engine about the network and the power profile (rule 6
 * of haul-builtin-engine.c); NULL: the defaults. For tests: a fake. */
void        haul_builtin_engine_set_network_monitor       (HaulBuiltinEngine    *self,
                                                           GNetworkMonitor      *monitor);
void        haul_builtin_engine_set_power_profile_monitor (HaulBuiltinEngine    *self,
                                                           GPowerProfileMonitor *monitor);

G_END_DECLS
