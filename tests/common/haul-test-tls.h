/* haul-test-tls.h: a certificate for the tests' HTTPS servers
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* glib-networking and certtool are both there. */
gboolean         haul_test_have_tls          (void);
/* A fresh self-signed certificate for 127.0.0.1 and localhost, with its
 * key, made by certtool in @dir; *cert_path (nullable) is its PEM file,
 * for a GTlsFileDatabase that trusts it. */
GTlsCertificate *haul_test_make_certificate  (const char  *dir,
                                              char       **cert_path);

G_END_DECLS
