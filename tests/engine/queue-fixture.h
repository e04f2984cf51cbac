/* queue-fixture.h: what the queue tests share
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* test-queue.c (running downloads: limits, many at once, coalescing,
 * quitting, restoring) and test-queue-control.c (pause and resume,
 * cancel and undo, retries by hand and by themselves, removing) drive a
 * HaulQueue the same way: a fixture of server, folder and queue that
 * counts what the queue tells, and bounded waits on what it does.
 * test-adopt.c and test-refresh.c (a browser's partial, a new address)
 * use the same fixture. */

#include <gio/gio.h>

#include "haul-download.h"
#include "haul-queue.h"
#include "haul-test-server.h"

G_BEGIN_DECLS

#define KiB 1024
#define MiB (1024 * 1024)

/* Bounded waits ---------------------------------------------------------- */

/* haul_test_wait_for(), haul_test_wait_state() and the rest of
 * haul-test-server.h with these, and: */

/* How many downloads of @queue are in @state. */
guint    count_state    (HaulQueue         *queue,
                         HaulDownloadState  state);
gboolean wait_count     (HaulQueue         *queue,
                         HaulDownloadState  state,
                         guint              n,
                         guint              timeout_ms);
gboolean wait_all       (HaulQueue         *queue,
                         HaulDownloadState  state,
                         guint              timeout_ms);

typedef struct
{
  HaulTestServer *server;
  guint           n;
} ServerWait;

/* A HaulTestCondFunc on a ServerWait: as many requests at once as its n. */
gboolean server_max_at_least (gpointer data);

/* Entries of @dir (files and partial files alike). */
guint    count_files    (const char        *dir);
gboolean wait_files     (const char        *dir,
                         guint              n,
                         guint              timeout_ms);

/* Fixture ---------------------------------------------------------------- */

typedef struct
{
  HaulTestServer *server;
  char           *dir;
  HaulQueue      *queue;
  GArray         *states;      /* HaulDownloadState, from notify::state of watched downloads */
  guint           n_finished;  /* ::download-finished */
  guint           n_active_notifies;
} Fixture;

void              fixture_setup    (Fixture       *fixture,
                                    gconstpointer  data);
void              fixture_teardown (Fixture       *fixture,
                                    gconstpointer  data);

/* Records @download's states in fixture->states. */
void              watch_states     (Fixture       *fixture,
                                    HaulDownload  *download);
HaulDownloadState state_at         (Fixture       *fixture,
                                    guint          i);
/* An ::items-changed handler appending position, removed, added to the
 * GArray of guint in @log. */
void              on_items_changed (GListModel    *model,
                                    guint          position,
                                    guint          removed,
                                    guint          added,
                                    GArray        *log);

/* @download's file is in the fixture's folder and holds @expected. */
void              assert_file      (Fixture       *fixture,
                                    HaulDownload  *download,
                                    GBytes        *expected);
/* The server's @path added to the queue. */
HaulDownload     *add              (Fixture       *fixture,
                                    const char    *path);
/* @size bytes served at @path (ETag "v1"), at @bytes_per_second (0: at
 * once); returns them. */
GBytes           *serve            (Fixture       *fixture,
                                    const char    *path,
                                    gsize          size,
                                    guint64        bytes_per_second);

G_END_DECLS
