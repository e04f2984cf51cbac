/* haul-error.h: the one error domain of Haul
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HAUL_ERROR (haul_error_quark ())

/**
 * HaulError:
 * @HAUL_ERROR_INVALID_URL: not an http(s) URL
 * @HAUL_ERROR_HTTP: the server answered with a 4xx/5xx status
 * @HAUL_ERROR_PROTOCOL: the server's answer is malformed or contradicts itself
 * @HAUL_ERROR_TRUNCATED: the body ended before all announced bytes arrived (resumable)
 * @HAUL_ERROR_REDIRECT: too many redirects, a loop, a non-http target or https→http
 * @HAUL_ERROR_TLS: the certificate could not be verified
 * @HAUL_ERROR_NETWORK: could not connect, or the connection failed (resumable)
 * @HAUL_ERROR_STALLED: no data arrived for too long (resumable)
 * @HAUL_ERROR_DISK_FULL: no space left on the device
 * @HAUL_ERROR_FILE: any other problem with the destination folder or file
 * @HAUL_ERROR_PARTIAL_MISSING: the partial file of a started download is gone
 * @HAUL_ERROR_PARTIAL_MISMATCH: the partial file holds fewer bytes than recorded
 * @HAUL_ERROR_SERVER_BUSY: a temporary HTTP status (429, 503, …): ask again later (resumable)
 * @HAUL_ERROR_STORE: the list of downloads could not be saved (resumable: the bytes stay)
 * @HAUL_ERROR_ALREADY_RUNNING: another Haul process holds this user's data
 * @HAUL_ERROR_FOLDER_GONE: the download folder was moved or removed mid-download
 * @HAUL_ERROR_CHECKSUM_MISMATCH: the file's bytes do not have the expected checksum
 * @HAUL_ERROR_CHECKSUM_INVALID: a checksum (typed, from a header or a checksum file)
 *   could not be read
 *
 * New codes go at the end: the numbers may be recorded.
 * @HAUL_ERROR_UNAUTHORIZED: the aria2 daemon refused the secret token
 * @HAUL_ERROR_DAEMON: the aria2 daemon refused a request or reported a failure
 */
typedef enum
{
  HAUL_ERROR_INVALID_URL,
  HAUL_ERROR_HTTP,
  HAUL_ERROR_PROTOCOL,
  HAUL_ERROR_TRUNCATED,
  HAUL_ERROR_REDIRECT,
  HAUL_ERROR_TLS,
  HAUL_ERROR_NETWORK,
  HAUL_ERROR_STALLED,
  HAUL_ERROR_DISK_FULL,
  HAUL_ERROR_FILE,
  HAUL_ERROR_PARTIAL_MISSING,
  HAUL_ERROR_PARTIAL_MISMATCH,
  HAUL_ERROR_SERVER_BUSY,
  HAUL_ERROR_STORE,
  HAUL_ERROR_ALREADY_RUNNING,
  HAUL_ERROR_FOLDER_GONE,
  HAUL_ERROR_CHECKSUM_MISMATCH,
  HAUL_ERROR_CHECKSUM_INVALID,
  HAUL_ERROR_UNAUTHORIZED,
  HAUL_ERROR_DAEMON,
} HaulError;

GQuark    haul_error_quark          (void);
gboolean  haul_error_is_resumable   (const GError *error);

/* Errors that can be said again in another language.
 *
 * @format is the untranslated message (mark it with N_()); its only
 * conversions are %s (each taking the next string of the arguments)
 * and %%. The error's message is @format translated now, with the
 * arguments put in; the error also keeps @format and its arguments, so
 * that haul_error_text_render() can translate it again later, for a
 * download whose failure was recorded in another language. */
void      haul_set_error            (GError       **error,
                                     HaulError      code,
                                     const char    *format,
                                     ...) G_GNUC_PRINTF (3, 4);
/* The same for a message without arguments, which may be a variable
 * holding a msgid (a function's choice among N_() strings). */
void      haul_set_error_literal    (GError       **error,
                                     HaulError      code,
                                     const char    *msgid);
/* The same with a plural form chosen by @n (g_dngettext()). */
void      haul_set_error_plural     (GError       **error,
                                     HaulError      code,
                                     const char    *singular,
                                     const char    *plural,
                                     gulong         n,
                                     ...) G_GNUC_PRINTF (3, 6);
/* The same with @reason as the last %s of @format, whose argument is
 * @reason's message: when @reason is one of these errors, it is
 * translated again with the rest. */
void      haul_set_error_because    (GError       **error,
                                     HaulError      code,
                                     const GError  *reason,
                                     const char    *format,
                                     ...) G_GNUC_PRINTF (4, 5);

/* The message of @error as something to translate again later
 * (a "(sstav)" GVariant), or %NULL if it was made by other means. */
GVariant *haul_error_get_text       (const GError  *error);
/* @text in the language of now. */
char     *haul_error_text_render    (GVariant      *text);
/* For the list of downloads on disk: a line of text, and back
 * (%NULL if @serialized is not one). */
char     *haul_error_text_serialize (GVariant      *text);
GVariant *haul_error_text_parse     (const char    *serialized);

/* Control (C0, DEL, C1), format (bidi overrides, zero-width), line and
 * paragraph separator characters: they hide or reorder what a person reads. */
gboolean haul_error_is_invisible_char (gunichar      c);
/* Outside text (a server's header, a dropped piece) for a message: valid
 * UTF-8, every invisible character replaced by @replacement. @length -1:
 * nul-terminated. */
char    *haul_error_printable     (const char   *text,
                                   gssize        length,
                                   gunichar      replacement);

G_END_DECLS
