/* haul-engine-group.h: Preferences' "Download Engine" group
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "haul-queue.h"

G_BEGIN_DECLS

#define HAUL_TYPE_ENGINE_GROUP (haul_engine_group_get_type ())
G_DECLARE_FINAL_TYPE (HaulEngineGroup, haul_engine_group, HAUL, ENGINE_GROUP, AdwPreferencesGroup)

/* Built-in or an aria2 daemon (its address, secret token in the keyring,
 * path mapping) and the daemon's connection, in the client's one clear
 * message. Both set once, before the group is shown; @queue (nullable):
 * the running one, whose engine the connection is read from. */
void haul_engine_group_set_settings (HaulEngineGroup *self,
                                     GSettings       *settings);
void haul_engine_group_set_queue    (HaulEngineGroup *self,
                                     HaulQueue       *queue);

G_END_DECLS
