/* haul-test-server.h: real HTTP servers on 127.0.0.1 for the tests
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The face of the test library, implemented in three files: the
 * SoupServer (haul-test-server.c), the raw socket server for servers that
 * must misbehave (haul-test-raw-server.c), and folders, bounded waits and
 * a queue (haul-test-helpers.c).
 */

#pragma once

#include <gio/gio.h>

#include "haul-checksum.h"
#include "haul-queue.h"
#include "haul-store.h"

G_BEGIN_DECLS

/* A SoupServer listening on 127.0.0.1, port 0, served from its own thread
 * and GMainContext, so tests may block their own thread freely. */
typedef struct _HaulTestServer HaulTestServer;

typedef struct
{
  const char *etag;                /* (nullable) sent as is, e.g. "\"v1\"" */
  const char *last_modified;       /* (nullable) */
  const char *content_disposition; /* (nullable) sent as is */
  const char *content_type;        /* (nullable) default application/octet-stream */
  gboolean    ignore_range;        /* answer 200 with the whole body to a Range */
  gboolean    chunked;             /* Transfer-Encoding: chunked instead of Content-Length */
  guint64     bytes_per_second;    /* 0: as fast as possible */
  gsize       stall_after;         /* once this many body bytes are out, the server … */
  guint       stall_ms;            /* … stops for this long (its connections stay open);
                                    * 0: this response sends nothing more, ever */
  const char *headers;             /* (nullable) more response headers, "Name: value\n" lines */
} HaulTestFileOptions;

HaulTestServer *haul_test_server_new               (void);
/* The same over HTTPS with @certificate; haul_test_server_uri() then
 * gives "https://127.0.0.1:PORT" URLs. */
HaulTestServer *haul_test_server_new_tls           (GTlsCertificate           *certificate);
void            haul_test_server_free              (HaulTestServer            *server);
/* "http://127.0.0.1:PORT" + @path (https for a TLS server); @path starts with "/" */
char           *haul_test_server_uri               (HaulTestServer            *server,
                                                    const char                *path);
/* Adds or replaces a file. Range requests get a correct 206 (honouring
 * If-Range against the ETag / Last-Modified) unless @options says not. */
void            haul_test_server_add_file          (HaulTestServer            *server,
                                                    const char                *path,
                                                    GBytes                    *body,
                                                    const HaulTestFileOptions *options);
void            haul_test_server_add_redirect      (HaulTestServer            *server,
                                                    const char                *path,
                                                    guint                      status,
                                                    const char                *location);
/* Any status with an HTML body, e.g. 404 / 500. */
void            haul_test_server_add_status        (HaulTestServer            *server,
                                                    const char                *path,
                                                    guint                      status);
/* Counters over every request so far. */
guint           haul_test_server_get_n_requests    (HaulTestServer            *server,
                                                    const char                *path);
guint           haul_test_server_get_max_concurrent (HaulTestServer           *server);
/* Requests being answered right now (from the handler to "finished"). */
guint           haul_test_server_get_in_flight     (HaulTestServer            *server);
/* Connections that sent requests so far (told apart by their client port). */
guint           haul_test_server_get_n_connections (HaulTestServer            *server);
/* The HTTP version of the last request to @path (a SoupHTTPVersion), -1
 * before the first. */
int             haul_test_server_get_last_http_version (HaulTestServer       *server,
                                                        const char           *path);
/* The headers of the last request to @path, as "Name: value\n" lines. */
char           *haul_test_server_get_last_request_headers (HaulTestServer     *server,
                                                           const char         *path);

/* A raw GSocketService on 127.0.0.1 port 0 for servers that must
 * misbehave. @handler runs in its own thread for each connection, with the
 * request head already read (up to and including the blank line). */
typedef struct _HaulTestRawServer HaulTestRawServer;
typedef void (*HaulTestRawHandler) (GSocketConnection *connection,
                                    const char        *request_head,
                                    gpointer           user_data);

HaulTestRawServer *haul_test_raw_server_new        (HaulTestRawHandler         handler,
                                                    gpointer                   user_data);
void               haul_test_raw_server_free       (HaulTestRawServer         *server);
char              *haul_test_raw_server_uri        (HaulTestRawServer         *server,
                                                    const char                *path);
/* Writes all of @data (helper for handlers). */
gboolean           haul_test_raw_write             (GSocketConnection         *connection,
                                                    const void                *data,
                                                    gsize                      length);

/* Deterministic pseudo-random content. */
GBytes         *haul_test_make_bytes               (gsize                      size,
                                                    guint32                    seed);
/* A fresh temporary folder (removed by haul_test_remove_tree). */
char           *haul_test_make_tmpdir              (void);
void            haul_test_remove_tree              (const char                *path);
/* Spins the default main context until @done is TRUE or @timeout_ms passed.
 * Returns *done. */
gboolean        haul_test_spin_until               (const gboolean            *done,
                                                    guint                      timeout_ms);
gboolean        haul_test_file_equals              (const char                *path,
                                                    GBytes                    *expected);
/* The checksum a person would give for @bytes ("SHA-256=…"), parsed. */
HaulChecksumSpec *haul_test_checksum_spec_for      (GChecksumType              type,
                                                    GBytes                    *bytes);
/* Spins the default main context until @cond (@data) holds, checking every
 * 5 ms, at most @timeout_ms. Returns whether it held. */
typedef gboolean (*HaulTestCondFunc) (gpointer data);
gboolean        haul_test_wait_for                 (HaulTestCondFunc           cond,
                                                    gpointer                   data,
                                                    guint                      timeout_ms);
/* Spins the default main context for @ms. */
void            haul_test_spin_for                 (guint                      ms);
/* haul_test_wait_for() on a download: until it is in @state; until it has
 * received at least @received bytes. */
gboolean        haul_test_wait_state               (HaulDownload              *download,
                                                    HaulDownloadState          state,
                                                    guint                      timeout_ms);
gboolean        haul_test_wait_received            (HaulDownload              *download,
                                                    gint64                     received,
                                                    guint                      timeout_ms);
/* haul_test_wait_for() until @server answers no request. */
gboolean        haul_test_wait_server_idle         (HaulTestServer            *server,
                                                    guint                      timeout_ms);

/* Waits (spinning, at most 2 s) until the caller holds the last reference
 * to @object: a GTask thread keeps its source object alive a moment after
 * its callback ran. */
void            haul_test_wait_last_ref            (gpointer                   object);

/* @server's @path added to @queue, to be saved in @folder, asserting the
 * queue took it. */
HaulDownload   *haul_test_queue_add                (HaulQueue                 *queue,
                                                    HaulTestServer            *server,
                                                    const char                *path,
                                                    const char                *folder);

/* A fake clock for a queue's backoff, to give
 * haul_builtin_engine_set_retry_delay_func(): every wait is 10 ms, and
 * the attempt numbers asked for are kept, in order (the policy's own
 * timing is test-retry.c's). haul_test_fake_retry_reset() forgets them. */
gint64          haul_test_fake_retry_delay         (guint                      attempt,
                                                    gint64                     retry_after,
                                                    guint32                    jitter);
void            haul_test_fake_retry_reset         (void);
guint           haul_test_fake_retry_n_waits       (void);
/* The attempt number the @i-th wait was for. */
guint           haul_test_fake_retry_attempt       (guint                      i);

/* A store at @db_path and a queue restored from it, as the app starts
 * (with one connection per download). */
void            haul_test_open_queue               (const char                *db_path,
                                                    HaulStore                **store,
                                                    HaulQueue                **queue);
/* Quits as the application does: stop the workers, record, let go. */
void            haul_test_close_queue              (HaulStore                **store,
                                                    HaulQueue                **queue);

/* Moves the process into a mount namespace of its own with private mounts,
 * so a test may mount tmpfs or read-only binds (as root). Call before any
 * thread starts. Returns NULL, or why it could not (not root, …). */
const char     *haul_test_enter_private_mounts     (void);

G_END_DECLS
