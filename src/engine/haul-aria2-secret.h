/* haul-aria2-secret.h: the aria2 daemon's secret token, in the keyring
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

/* Schema "io.github.haul.Haul.Aria2", one attribute "uri": the daemon's
 * address as haul_aria2_address_parse() writes it for calls, so "nas:6800",
 * "http://nas:6800/jsonrpc" and "ws://nas:6800/jsonrpc" share one secret. */
const SecretSchema *haul_aria2_secret_get_schema    (void);

/* The token for @address. $HAUL_ARIA2_SECRET, when set, wins without
 * asking the keyring (scripts, tests). The finish function returns %NULL
 * with no error when none is stored. */
void      haul_aria2_secret_lookup_async   (const char          *address,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char     *haul_aria2_secret_lookup_finish  (GAsyncResult        *result,
                                            GError             **error);

/* Stores @secret for @address in the default keyring (replacing one). */
void      haul_aria2_secret_store_async    (const char          *address,
                                            const char          *secret,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  haul_aria2_secret_store_finish   (GAsyncResult        *result,
                                            GError             **error);

/* Forgets the secret of @address. */
void      haul_aria2_secret_clear_async    (const char          *address,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  haul_aria2_secret_clear_finish   (GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
