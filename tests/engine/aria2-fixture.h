/* aria2-fixture.h: a real aria2c and a client for it, for the aria2 tests
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test starts its own aria2c on 127.0.0.1 (a free port, its own
 * folder, --stop-with-process so it never outlives the test) and serves
 * files from a SoupServer on 127.0.0.1. Every wait is bounded.
 */

#pragma once

#include "haul-aria2-client.h"
#include "haul-aria2-poller.h"
#include "haul-error.h"
#include "haul-test-server.h"

G_BEGIN_DECLS

#define SECRET "t0ps3cret"

typedef struct
{
  char            *root;          /* (owned) temp folder */
  char            *download_dir;  /* (owned) the daemon's --dir */
  char            *session;       /* (owned) its session file */
  guint            port;
  GPid             pid;
  HaulTestServer  *server;
  HaulAria2Client *client;
  HaulAria2Poller *poller;

  /* What the client and the poller said. */
  GArray          *connections;   /* of HaulAria2Connection, each change */
  guint            n_error_notifies;
  GPtrArray       *events;        /* "EVENT GID" strings */
  GPtrArray       *finished;      /* HaulAria2Status */
  GPtrArray       *removed;       /* HaulAria2Status */
  guint            n_updates;
} Fixture;

typedef gboolean (*Predicate) (Fixture *f, gconstpointer data);

#define SKIP_WITHOUT_ARIA2C()                                         \
  G_STMT_START {                                                      \
    if (!have_aria2c ())                                              \
      {                                                               \
        g_test_skip ("aria2c is not installed (Debian: aria2)");      \
        return;                                                       \
      }                                                               \
  } G_STMT_END

gboolean         have_aria2c      (void);

/* Bounded waits: the main context runs until @predicate holds (or the
 * time is up; returns whether it held), or for @ms. */
gboolean         wait_for         (Fixture           *f,
                                   Predicate          predicate,
                                   gconstpointer      data,
                                   guint              timeout_ms);
void             spin_for         (guint              ms);
/* Async results: pass store_result_cb with &result (NULL), then
 * wait_result (f, &result) gives it (20 s at most). */
void             store_result_cb  (GObject           *source,
                                   GAsyncResult      *result,
                                   gpointer           user_data);
GAsyncResult    *wait_result      (Fixture           *f,
                                   GAsyncResult     **result);

/* aria2c on f->port with --rpc-secret=@secret, resuming f->session. */
void             daemon_start     (Fixture           *f,
                                   const char        *secret);
void             daemon_stop      (Fixture           *f,
                                   int                signal_number);
/* f->client (for @address, or the daemon's) and f->poller, recording
 * what they say into the fixture; not started. @secret NULL: the client
 * looks it up itself. */
void             make_client      (Fixture           *f,
                                   const char        *address,
                                   const char        *secret);
/* Daemon, client, connected and listening. */
void             start_connected  (Fixture           *f);
void             fixture_setup    (Fixture           *f,
                                   gconstpointer      data);
void             fixture_teardown (Fixture           *f,
                                   gconstpointer      data);

/* addUri of the test server's @path; returns the GID. */
char            *add              (Fixture           *f,
                                   const char        *path,
                                   const HaulAria2AddOptions *options);
/* Waits until the poller shows @gid in @state with at least @min_completed. */
void             wait_state       (Fixture           *f,
                                   const char        *gid,
                                   HaulAria2State     state,
                                   gint64             min_completed,
                                   guint              timeout_ms);
HaulAria2Status *find_status      (GPtrArray         *list,
                                   const char        *gid);
/* pause, unpause, remove… of @gid, waited for. */
gboolean         gid_action       (Fixture           *f,
                                   const char        *gid,
                                   void             (*start) (HaulAria2Client *,
                                                              const char *,
                                                              GCancellable *,
                                                              GAsyncReadyCallback,
                                                              gpointer),
                                   gboolean         (*finish) (HaulAria2Client *,
                                                               GAsyncResult *,
                                                               GError **),
                                   GError           **error);

/* Predicates for wait_for(). */
gboolean         is_connection    (Fixture *f, gconstpointer connection);  /* GINT_TO_POINTER */
gboolean         is_failed_with   (Fixture *f, gconstpointer code);        /* GINT_TO_POINTER */
gboolean         is_listening     (Fixture *f, gconstpointer unused);
gboolean         all_sizes_known  (Fixture *f, gconstpointer unused);      /* poller loaded */
gboolean         has_event        (Fixture *f, gconstpointer event);       /* "complete GID" */
gboolean         has_finished     (Fixture *f, gconstpointer gid);
gboolean         was_removed      (Fixture *f, gconstpointer gid);

G_END_DECLS
