/* haul-engine.h: what moves the bytes of a queue's downloads
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-download.h"

G_BEGIN_DECLS

typedef struct _HaulQueue HaulQueue;

/* How a running download is to stop. */
typedef enum
{
  HAUL_STOP_PAUSE,     /* keep the bytes; it shows as paused */
  HAUL_STOP_CANCEL,    /* delete the partial file; it shows as cancelled */
  HAUL_STOP_REMOVE,    /* it left the list; keep the bytes until the queue discards them */
  HAUL_STOP_HOLD,      /* keep the bytes; back to queued (the queue is held) */
} HaulStop;

/**
 * HaulEngineConnection:
 * @HAUL_ENGINE_LOCAL: the engine runs in this process (the built-in one)
 * @HAUL_ENGINE_CONNECTING: a remote engine is being reached
 * @HAUL_ENGINE_CONNECTED: a remote engine answers
 * @HAUL_ENGINE_UNREACHABLE: a remote engine cannot be used (the queue's
 *   :engine-error says why); it tries again by itself
 *
 * What HaulQueue:engine-connection says, for the header bar.
 */
typedef enum
{
  HAUL_ENGINE_LOCAL,
  HAUL_ENGINE_CONNECTING,
  HAUL_ENGINE_CONNECTED,
  HAUL_ENGINE_UNREACHABLE,
} HaulEngineConnection;

#define HAUL_TYPE_ENGINE_CONNECTION (haul_engine_connection_get_type ())
GType haul_engine_connection_get_type (void);

#define HAUL_TYPE_ENGINE (haul_engine_get_type ())
G_DECLARE_INTERFACE (HaulEngine, haul_engine, HAUL, ENGINE, GObject)

/* The queue drives an engine; the window, store and notifier never know
 * which one runs. Every call is on the main thread, and an engine reports
 * back only through the queue's engine functions (haul-queue-private.h),
 * on the main thread too. */
struct _HaulEngineInterface
{
  GTypeInterface parent_iface;

  /* Once, before anything else: the queue it works for (unowned: the
   * queue owns the engine). */
  void      (*attach)           (HaulEngine          *self,
                                 HaulQueue           *queue);
  /* Something changed (a download queued, a limit, the order, the
   * queue held or let go): start what may start, in list order; while the
   * queue is held only what haul_queue_take_start_now() gives. */
  void      (*schedule)         (HaulEngine          *self);
  /* Stop @download if it runs; TRUE if it did (the engine reports its end
   * later), FALSE if it was not running. */
  gboolean  (*stop)             (HaulEngine          *self,
                                 HaulDownload        *download,
                                 HaulStop             how);
  /* A waiting download (a retry timer) may try now. */
  void      (*retry_now)        (HaulEngine          *self,
                                 HaulDownload        *download);
  /* The queue's settings changed (limits, connections, timeouts). */
  void      (*settings_changed) (HaulEngine          *self);
  /* Every running download stops, recorded so that it resumes at the next
   * start. Blocks (tests, command-line tools)… */
  void      (*shutdown)         (HaulEngine          *self);
  /* …or not (the app). */
  void      (*shutdown_async)   (HaulEngine          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
  gboolean  (*shutdown_finish)  (HaulEngine          *self,
                                 GAsyncResult        *result,
                                 GError             **error);
  /* Optional: the cancel or remove of @download is final (the undo offer
   * is gone, or Haul quits). A remote engine forgets it on its daemon
   * too. At quit the queue calls it before shutdown. */
  void      (*discard)          (HaulEngine          *self,
                                 HaulDownload        *download);
};

void      haul_engine_attach           (HaulEngine          *self,
                                        HaulQueue           *queue);
void      haul_engine_schedule         (HaulEngine          *self);
gboolean  haul_engine_stop             (HaulEngine          *self,
                                        HaulDownload        *download,
                                        HaulStop             how);
void      haul_engine_retry_now        (HaulEngine          *self,
                                        HaulDownload        *download);
void      haul_engine_settings_changed (HaulEngine          *self);
void      haul_engine_shutdown         (HaulEngine          *self);
void      haul_engine_shutdown_async   (HaulEngine          *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  haul_engine_shutdown_finish  (HaulEngine          *self,
                                        GAsyncResult        *result,
                                        GError             **error);
void      haul_engine_discard          (HaulEngine          *self,
                                        HaulDownload        *download);

G_END_DECLS
