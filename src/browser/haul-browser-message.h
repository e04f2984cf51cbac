/* haul-browser-message.h: the native messaging protocol, both directions
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The largest message the host reads; a browser sends far smaller ones. */
#define HAUL_BROWSER_MAX_MESSAGE_BYTES (1024 * 1024)

/* One message from @input: a 32-bit length in native byte order, then that
 * many bytes of UTF-8 JSON. %NULL without an error at a clean end of the
 * stream (the browser closed it); %NULL with a translated HAUL_ERROR_PROTOCOL
 * for a length over HAUL_BROWSER_MAX_MESSAGE_BYTES or a stream that ends
 * inside a message, after which the stream is out of step and must not be
 * read again. Blocking. */
GBytes   *haul_browser_message_read   (GInputStream  *input,
                                       GCancellable  *cancellable,
                                       GError       **error);
/* Writes @json (shorter than HAUL_BROWSER_MAX_MESSAGE_BYTES) as one message
 * and flushes. Blocking. */
gboolean  haul_browser_message_write  (GOutputStream *output,
                                       const char    *json,
                                       GCancellable  *cancellable,
                                       GError       **error);

/* The JSON object in @message as an a{sv} (floating): text members become
 * "s", "urls" an "as", "ping" a "b"; null members are left out and unknown
 * ones ignored. %NULL and a translated HAUL_ERROR_PROTOCOL for text that is
 * not UTF-8, not JSON, not an object, a NUL character, or a member of the
 * wrong type. The values are checked by haul_browser_request_new_from_variant(). */
GVariant *haul_browser_message_parse  (GBytes        *message,
                                       GError       **error);

/* The answer: {"ok": true} for @error %NULL, else
 * {"ok": false, "error": "@error's message"}. */
char     *haul_browser_message_answer (const GError  *error);
/* {"ok": true, "version": "…"}: the answer to {"ping": true}. */
char     *haul_browser_message_pong   (void);

G_END_DECLS
