/* haul-aria2-engine.h: a queue's downloads on a remote aria2 daemon
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-aria2-client.h"
#include "haul-aria2-poller.h"
#include "haul-engine.h"

G_BEGIN_DECLS

#define HAUL_TYPE_ARIA2_ENGINE (haul_aria2_engine_get_type ())
G_DECLARE_FINAL_TYPE (HaulAria2Engine, haul_aria2_engine, HAUL, ARIA2_ENGINE, GObject)

/* A HaulEngine whose bytes land on an aria2 daemon's machine. Main thread
 * only; nothing in it waits on the network.
 *
 * Properties (notified only when they change):
 *   address (string): the daemon as a person typed it ("nas:6800",
 *     "https://nas/jsonrpc", "ws://…"); changing it connects anew, the
 *     rows stay. "" or NULL: none (the queue says so).
 *   remote-folder, local-folder (string): the path mapping, e.g.
 *     "/srv/downloads" → "/mnt/nas/downloads"; "" for none. Open and Show
 *     in Folder need it.
 *   connection (HaulAria2Connection, read-only), error-message (string,
 *     read-only, nullable): the client's one clear message, version
 *     (string, read-only, nullable): the daemon's, once connected.
 *
 * The client connects once the engine is attached to its queue. Quitting
 * does not stop the daemon's downloads: they go on there. */
HaulEngine          *haul_aria2_engine_new                (const char       *address);

const char          *haul_aria2_engine_get_address        (HaulAria2Engine  *self);
void                 haul_aria2_engine_set_address        (HaulAria2Engine  *self,
                                                           const char       *address);
/* The token to send; %NULL: the keyring's (haul-aria2-secret.h).
 * $HAUL_ARIA2_SECRET wins over both. Setting it connects again at once. */
void                 haul_aria2_engine_set_secret         (HaulAria2Engine  *self,
                                                           const char       *secret);
void                 haul_aria2_engine_set_path_mapping   (HaulAria2Engine  *self,
                                                           const char       *remote_folder,
                                                           const char       *local_folder);
HaulAria2Connection  haul_aria2_engine_get_connection     (HaulAria2Engine  *self);
/* (nullable) why it is not connected */
const char          *haul_aria2_engine_get_error_message  (HaulAria2Engine  *self);
const char          *haul_aria2_engine_get_version        (HaulAria2Engine  *self);
/* Tries again now instead of after the backoff. */
void                 haul_aria2_engine_reconnect          (HaulAria2Engine  *self);

/* For tests and the probe. (transfer none) (nullable) */
HaulAria2Client     *haul_aria2_engine_get_client         (HaulAria2Engine  *self);
HaulAria2Poller     *haul_aria2_engine_get_poller         (HaulAria2Engine  *self);
/* Main-thread time spent applying the daemon's news to the list, µs:
 * the longest single update and the number of updates. */
gint64               haul_aria2_engine_get_max_apply_us   (HaulAria2Engine  *self);
guint                haul_aria2_engine_get_n_applies      (HaulAria2Engine  *self);

G_END_DECLS
