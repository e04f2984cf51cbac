/* haul-browser-request.h: what the browser asks Haul to download, checked
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The longest header value (referrer, user agent, cookies) a request may
 * carry, and the most links in one request. */
#define HAUL_BROWSER_MAX_HEADER_BYTES (64 * 1024)
#define HAUL_BROWSER_MAX_URLS         1000

/* One request from the browser extension, validated: what the native host
 * sends to the app (app action "add-request", parameter a{sv}) and what the
 * app acts on. The a{sv} keys are those of the extension's JSON message:
 *   "url" s, or "urls" as   the links, http(s) only (at least one)
 *   "referrer" s            the page the links were on
 *   "userAgent" s           the browser's User-Agent
 *   "cookies" s             a Cookie header for the links' origin (one site only)
 *   "filename" s            the name the browser suggests (one link only)
 * Unknown keys are ignored. Cookies are a secret: this type never logs
 * them, and nothing should. */
typedef struct
{
  GStrv  urls;        /* (owned) normalised http(s) URLs, at least one */
  char  *referrer;    /* (owned) (nullable) an http(s) URL without a fragment */
  char  *user_agent;  /* (owned) (nullable) */
  char  *cookies;     /* (owned) (nullable) */
  char  *file_name;   /* (owned) (nullable) only with one URL */
} HaulBrowserRequest;

#define HAUL_TYPE_BROWSER_REQUEST (haul_browser_request_get_type ())
GType               haul_browser_request_get_type     (void) G_GNUC_CONST;

/* Checks every field of @dict (a{sv}); %NULL and a translated
 * HAUL_ERROR_INVALID_URL (bad link) or HAUL_ERROR_PROTOCOL (anything
 * else) saying what is wrong, in words the person who clicked can act on. */
HaulBrowserRequest *haul_browser_request_new_from_variant (GVariant  *dict,
                                                           GError   **error);
/* The a{sv} of @self, floating. */
GVariant           *haul_browser_request_to_variant   (const HaulBrowserRequest *self);

HaulBrowserRequest *haul_browser_request_copy         (const HaulBrowserRequest *self);
void                haul_browser_request_free         (HaulBrowserRequest *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulBrowserRequest, haul_browser_request_free)

G_END_DECLS
