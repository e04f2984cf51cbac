/* haul-identity.h: is the file at an address the one whose bytes are on disk?
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "haul-request.h"

G_BEGIN_DECLS

/**
 * HaulAddressCheck:
 * @HAUL_ADDRESS_SAME_FILE: provably the same file: the same length, the
 *   same validators where both sides have one, and the same bytes before
 *   the resume point
 * @HAUL_ADDRESS_DIFFERENT_FILE: another length, validator or bytes
 * @HAUL_ADDRESS_CANNOT_TELL: the server does not serve ranges or give a
 *   length, so nothing can be compared
 */
typedef enum
{
  HAUL_ADDRESS_SAME_FILE,
  HAUL_ADDRESS_DIFFERENT_FILE,
  HAUL_ADDRESS_CANNOT_TELL,
} HaulAddressCheck;

#define HAUL_TYPE_ADDRESS_CHECK (haul_address_check_get_type ())
GType haul_address_check_get_type (void);

/* What is known of the bytes on disk. */
typedef struct
{
  const char *path;           /* the partial file */
  gint64      from;           /* the bytes on disk run from here … */
  gint64      end;            /* … to here: the last (up to 64 KiB) of them are compared */
  gint64      total;          /* the file's length as recorded, -1 if not known */
  const char *etag;           /* (nullable) strong ETag recorded with the bytes */
  const char *last_modified;  /* (nullable) */
} HaulIdentityQuery;

/* What the server said. */
typedef struct
{
  HaulAddressCheck  check;
  gint64            total;          /* -1 if it gave none */
  char             *etag;           /* (owned) (nullable) strong */
  char             *last_modified;  /* (owned) (nullable) */
  char             *content_type;   /* (owned) (nullable) */
  char             *final_uri;      /* (owned) after redirects */
  char             *file_name;      /* (owned) the name its answer suggests, sanitised */
} HaulIdentityAnswer;

/* Bytes before the resume point that are compared. */
#define HAUL_IDENTITY_WINDOW (64 * 1024)

void      haul_identity_answer_clear  (HaulIdentityAnswer       *answer);

/* Asks @uri (through @session, with @headers for its origin) for the
 * bytes [end - 64 KiB, end) of @query and compares them, the length and
 * the validators with what @query knows. Blocking: a worker thread.
 * FALSE with an error a person can act on when the server could not be
 * asked (a 403, a refused connection, …) or the file cannot be read. */
gboolean  haul_identity_check         (SoupSession              *session,
                                       const char               *uri,
                                       const HaulRequestHeaders *headers,
                                       const HaulIdentityQuery  *query,
                                       GCancellable             *cancellable,
                                       HaulIdentityAnswer       *answer,
                                       GError                  **error);

G_END_DECLS
