/* transfer-fixture.h: what the transfer tests share
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* test-transfer.c (bodies, framing, redirects, TLS) and
 * test-transfer-resume.c (resume, the disk, cancel) run transfers the same
 * way: a fixture of server, folder, session and progress cell, whose every
 * checkpoint is checked against the file; and raw servers that follow a
 * script of replies where a server must misbehave. test-overlap.c and
 * test-segments.c run theirs with the same fixture. */

#include <gio/gio.h>
#include <sys/types.h>

#include "haul-transfer.h"
#include "haul-test-server.h"

G_BEGIN_DECLS

#define KiB 1024
#define MiB (1024 * 1024)

typedef struct
{
  HaulTestServer   *server;
  char             *dir;
  SoupSession      *session;
  HaulProgressCell *cell;

  GMutex            lock;
  guint             n_checkpoints;
  gint64            last_confirmed;
  char             *last_partial;
} Fixture;

typedef struct
{
  GBytes  *replies[4];   /* (owned) what to send to the n-th request */
  guint    sleep_ms;     /* after sending, before closing */
  gint     n_requests;   /* (atomic) */
  GMutex   lock;
  char    *heads[4];     /* (owned) */
} RawScript;

void
fixture_setup (Fixture       *f,
               gconstpointer  data);

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data);

gboolean
checkpoint_cb (const HaulResumeState  *checkpoint,
               gpointer                data,
               GError                **error);

HaulTransferJob *
make_job (Fixture    *f,
          const char *uri);

HaulTransferResult *
run_uri (Fixture    *f,
         const char *uri);

char *
path_in (Fixture    *f,
         const char *name);

guint
count_files (const char *dir);

mode_t
process_umask (void);

void
assert_completed (Fixture            *f,
                  HaulTransferResult *result,
                  const char         *name,
                  GBytes             *expected);

char *
plant_partial (Fixture    *f,
               const char *name,
               GBytes     *body,
               gsize       length);

void
raw_script_clear (RawScript *script);

void
raw_script_handler (GSocketConnection *connection,
                    const char        *head,
                    gpointer           user_data);

GBytes *
reply_new (const char *head,
           GBytes     *body,
           gsize       body_length);

GBytes *
chunked_reply (GBytes   *body,
               gsize     chunk_size,
               gsize     stop_at,
               gboolean  finish,
               gboolean  with_extras);

HaulTransferResult *
run_raw (Fixture   *f,
         RawScript *script,
         const char *path);

void
assert_kept_partial (Fixture            *f,
                     HaulTransferResult *result,
                     GBytes             *body,
                     gsize               expected_bytes);

G_END_DECLS
