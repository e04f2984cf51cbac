/* haul-engine.c: what moves the bytes of a queue's downloads
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-engine.h"

G_DEFINE_INTERFACE (HaulEngine, haul_engine, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (HaulEngineConnection, haul_engine_connection,
                    G_DEFINE_ENUM_VALUE (HAUL_ENGINE_LOCAL, "local"),
                    G_DEFINE_ENUM_VALUE (HAUL_ENGINE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (HAUL_ENGINE_CONNECTED, "connected"),
                    G_DEFINE_ENUM_VALUE (HAUL_ENGINE_UNREACHABLE, "unreachable"))

static void
haul_engine_default_init (HaulEngineInterface *iface)
{
}

void
haul_engine_attach (HaulEngine *self,
                    HaulQueue  *queue)
{
  g_return_if_fail (HAUL_IS_ENGINE (self));
  HAUL_ENGINE_GET_IFACE (self)->attach (self, queue);
}

void
haul_engine_schedule (HaulEngine *self)
{
  g_return_if_fail (HAUL_IS_ENGINE (self));
  HAUL_ENGINE_GET_IFACE (self)->schedule (self);
}

gboolean
haul_engine_stop (HaulEngine   *self,
                  HaulDownload *download,
                  HaulStop      how)
{
  g_return_val_if_fail (HAUL_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (download), FALSE);
  return HAUL_ENGINE_GET_IFACE (self)->stop (self, download, how);
}

void
haul_engine_retry_now (HaulEngine   *self,
                       HaulDownload *download)
{
  g_return_if_fail (HAUL_IS_ENGINE (self));
  HAUL_ENGINE_GET_IFACE (self)->retry_now (self, download);
}

void
haul_engine_settings_changed (HaulEngine *self)
{
  g_return_if_fail (HAUL_IS_ENGINE (self));
  HAUL_ENGINE_GET_IFACE (self)->settings_changed (self);
}

void
haul_engine_shutdown (HaulEngine *self)
{
  g_return_if_fail (HAUL_IS_ENGINE (self));
  HAUL_ENGINE_GET_IFACE (self)->shutdown (self);
}

void
haul_engine_shutdown_async (HaulEngine          *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (HAUL_IS_ENGINE (self));
  HAUL_ENGINE_GET_IFACE (self)->shutdown_async (self, cancellable, callback, user_data);
}

gboolean
haul_engine_shutdown_finish (HaulEngine    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (HAUL_IS_ENGINE (self), FALSE);
  return HAUL_ENGINE_GET_IFACE (self)->shutdown_finish (self, result, error);
}

void
haul_engine_discard (HaulEngine   *self,
                     HaulDownload *download)
{
  g_return_if_fail (HAUL_IS_ENGINE (self));
  g_return_if_fail (HAUL_IS_DOWNLOAD (download));

  if (HAUL_ENGINE_GET_IFACE (self)->discard != NULL)
    HAUL_ENGINE_GET_IFACE (self)->discard (self, download);
}
