/* haul-link-parser.h: dropped or pasted content → http(s) URLs
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-link-list.h"

G_BEGIN_DECLS

/* @mime_type: "text/uri-list", "text/x-moz-url" (UTF-16), "_NETSCAPE_URL",
 * "text/html", "text/plain" (or NULL: plain text). @data need not be
 * nul-terminated. @base_uri resolves relative links in HTML (nullable). */
HaulLinkList *haul_link_parse      (const char   *mime_type,
                                    const guint8 *data,
                                    gsize         length,
                                    const char   *base_uri);

/* The same parse in a worker thread: a text/uri-list may name local files
 * of links (up to 10 MiB each) that must not be read on the main thread. */
void          haul_link_parse_async  (const char          *mime_type,
                                      GBytes              *data,
                                      const char          *base_uri,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
HaulLinkList *haul_link_parse_finish (GAsyncResult        *result,
                                      GError             **error);

/* One link typed by a person (a command-line argument, a text field): the
 * normalised http(s) URL, or %NULL and HAUL_ERROR_INVALID_URL whose
 * message is the translated reason alone (without @text). A bare
 * "www.example.com/x" becomes https://. */
char         *haul_link_normalize    (const char          *text,
                                      GError             **error);

G_END_DECLS
