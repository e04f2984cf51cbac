/* haul-queue.h: the list of downloads, and what may be done with them
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "haul-download.h"
#include "haul-engine.h"
#include "haul-identity.h"
#include "haul-store.h"

G_BEGIN_DECLS

#define HAUL_TYPE_QUEUE (haul_queue_get_type ())
G_DECLARE_FINAL_TYPE (HaulQueue, haul_queue, HAUL, QUEUE, GObject)

/* What comes with a URL besides its folder; every field may be 0/NULL. */
typedef struct
{
  const char *file_name;     /* the name suggested (the browser's), sanitised by the engine */
  const char *referrer;      /* the page the link was on */
  const char *user_agent;    /* the browser's */
  const char *cookies;       /* a Cookie header: memory only, its first URL's origin only */
  guint64     speed_limit;   /* bytes per second, 0: none */
  gboolean    from_browser;
  const struct _HaulChecksumSpec *checksum; /* (nullable) expected (haul_checksum_spec_parse()) */
} HaulAddOptions;

/* A GListModel of HaulDownload. Main thread only.
 *
 * Signals (all emitted on the main thread):
 *   ::download-finished (HaulDownload *download): a download reached
 *     completed or failed (not paused or cancelled).
 *   ::download-state-changed (HaulDownload *download, guint old_state): a
 *     download of the list changed state (after its notify::state).
 *
 * Properties (all notified only when they change):
 *   max-active (guint, default 3): downloads running at once;
 *   connections-per-download (guint 1–16, default 8);
 *   speed-limit, alt-speed-limit (guint, KiB/s, 0: none), alt-speed-enabled;
 *   stall-timeout (guint seconds, default 30);
 *   held (gboolean, default FALSE): the whole queue waits in its order
 *     (haul_queue_set_held());
 *   allow-metered (gboolean, default FALSE): downloads start and go on over
 *     a metered connection (otherwise they wait, HAUL_WAITING_METERED);
 *   checksum-other-hosts (gboolean, default FALSE): checksum files may be
 *     asked for on another host than the download's;
 *   n-active (queued + connecting + downloading; while held, connecting
 *     + downloading only: nothing else will move bytes), n-downloading
 *     (connecting + downloading), n-waiting (queued), n-paused, n-completed;
 *   schedule-open, schedule-opens-at (read-only): haul_queue_set_schedule();
 *   store (HaulStore, construct-only, nullable); engine (construct-only);
 *   engine-connection (HaulEngineConnection: local, or a remote engine
 *     connecting / connected / unreachable), engine-name (a remote
 *     engine's "host:port", nullable), engine-error (why it is
 *     unreachable, nullable): what the header bar shows. */
HaulQueue    *haul_queue_new              (HaulStore            *store);
HaulQueue    *haul_queue_new_with_engine  (HaulStore            *store,
                                           HaulEngine           *engine);

HaulDownload *haul_queue_add              (HaulQueue            *self,
                                           const char           *uri,
                                           const char           *folder,
                                           GError              **error);
HaulDownload *haul_queue_add_full         (HaulQueue            *self,
                                           const char           *uri,
                                           const char           *folder,
                                           const HaulAddOptions *options,
                                           GError              **error);
/* Adds every valid URL of @uris in one change of the list; the first
 * invalid one is reported in @error, the others are still added.
 * Returns the downloads added. (transfer container) */
GPtrArray    *haul_queue_add_many         (HaulQueue            *self,
                                           const char * const   *uris,
                                           const char           *folder,
                                           const HaulAddOptions *options,
                                           GError              **error);
/* Categories: with folders set, a download added to the folder of
 * HAUL_CATEGORY_OTHER (the download folder) goes in its kind's folder
 * instead, guessed from its name or address at once and decided by the
 * server's answer when its partial file is made (another folder given to
 * add is used as it is). NULL: off. Downloads already added keep where
 * they go. (copied) */
void          haul_queue_set_category_folders (HaulQueue                 *self,
                                               const HaulCategoryFolders *folders);
/* (transfer none) (nullable) */
const HaulCategoryFolders *haul_queue_get_category_folders (HaulQueue    *self);

/* The hours downloads may run in (a HaulScheduler's): outside them
 * (@open FALSE) nothing starts but what is asked to Start Now; running
 * downloads stop, keeping their bytes, and wait queued with
 * HAUL_WAITING_SCHEDULE and :retry-at @opens_at (real time µs, 0:
 * unknown), as do the queued ones. Open again, they run as before. */
void          haul_queue_set_schedule     (HaulQueue            *self,
                                           gboolean              open,
                                           gint64                opens_at);

/* haul_queue_add_many(), with the URLs the list holds already
 * (haul_queue_find_duplicate()) left out and listed in @duplicates (as
 * given, (transfer full) utf8) for the caller to ask about; a URL twice
 * in @uris is added once. @duplicates NULL: all are added. */
GPtrArray    *haul_queue_add_many_full    (HaulQueue            *self,
                                           const char * const   *uris,
                                           const char           *folder,
                                           const HaulAddOptions *options,
                                           GPtrArray           **duplicates,
                                           GError              **error);
/* The newest download in the list with the address @uri (any form Haul
 * takes: it is normalised first, user name and password left out), or
 * NULL. O(1). (transfer none) */
HaulDownload *haul_queue_find_uri         (HaulQueue            *self,
                                           const char           *uri);
/* The same, but not a completed one whose file is known to be gone: what
 * makes adding @uri again a duplicate. (transfer none) (nullable) */
HaulDownload *haul_queue_find_duplicate   (HaulQueue            *self,
                                           const char           *uri);
/* Looks in a thread whether the files of the completed ones among
 * @downloads (element-type HaulDownload) are still on disk;
 * :file-missing follows, both ways. */
void          haul_queue_check_files_async  (HaulQueue          *self,
                                             GPtrArray          *downloads,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
gboolean      haul_queue_check_files_finish (HaulQueue          *self,
                                             GAsyncResult       *result,
                                             GError            **error);
/* Loads the store's downloads (history and unfinished ones) into the list
 * and re-queues those that were running. */
gboolean      haul_queue_restore          (HaulQueue            *self,
                                           GError              **error);

void          haul_queue_pause            (HaulQueue            *self,
                                           HaulDownload         *download);
void          haul_queue_resume           (HaulQueue            *self,
                                           HaulDownload         *download);
/* Stops it and shows it as cancelled; its bytes stay on disk until
 * haul_queue_discard() (when the undo offer is gone) or the next start. */
void          haul_queue_cancel           (HaulQueue            *self,
                                           HaulDownload         *download);
void          haul_queue_retry            (HaulQueue            *self,
                                           HaulDownload         *download);
/* A download waiting to try again tries now. */
void          haul_queue_retry_now        (HaulQueue            *self,
                                           HaulDownload         *download);
/* Takes it out of the list (and the store); a running one stops. The
 * file of a completed one stays; the partial file of another stays until
 * haul_queue_discard(). */
void          haul_queue_remove           (HaulQueue            *self,
                                           HaulDownload         *download);
/* Undoes the last cancel or remove of @download, if its bytes are still
 * there (not discarded): it comes back as it was. */
gboolean      haul_queue_undo             (HaulQueue            *self,
                                           HaulDownload         *download);
/* The cancel or remove of @download is final: its partial file goes. */
void          haul_queue_discard          (HaulQueue            *self,
                                           HaulDownload         *download);
void          haul_queue_pause_all        (HaulQueue            *self);
void          haul_queue_resume_all       (HaulQueue            *self);
/* Removes the completed downloads (their files stay on disk); nothing
 * that holds a partial file. Returns those removed, for undo. */
GPtrArray    *haul_queue_remove_finished  (HaulQueue            *self);
/* Moves @download to @position (reorder); downloads start in list
 * order, and the order is recorded (it comes back after a restart). */
void          haul_queue_move             (HaulQueue            *self,
                                           HaulDownload         *download,
                                           guint                 position);
/* Moves @download just before @before (NULL: to the end) or just after
 * @after (NULL: to the front). */
void          haul_queue_move_before      (HaulQueue            *self,
                                           HaulDownload         *download,
                                           HaulDownload         *before);
void          haul_queue_move_after       (HaulQueue            *self,
                                           HaulDownload         *download,
                                           HaulDownload         *after);
/* Starts a waiting or paused @download now, ahead of the limit of
 * max-active, and while the queue is held too. */
void          haul_queue_start_now        (HaulQueue            *self,
                                           HaulDownload         *download);
/* Holds the whole queue, or lets it go on: held, what runs stops with its
 * bytes kept and waits again in its place, nothing starts but what
 * haul_queue_start_now() starts, paused downloads stay paused. */
void          haul_queue_set_held         (HaulQueue            *self,
                                           gboolean              held);
gboolean      haul_queue_get_held         (HaulQueue            *self);
/* @download's own limit in bytes per second (0: none), while it runs too. */
void          haul_queue_set_download_speed_limit (HaulQueue    *self,
                                                   HaulDownload *download,
                                                   guint64       bytes_per_second);
HaulDownload *haul_queue_lookup           (HaulQueue            *self,
                                           gint64                id);

/* A new address for a paused or failed download (an expired link): taken
 * only if the server proves it is the same file, and then the download
 * goes on from its bytes. On HAUL_ADDRESS_DIFFERENT_FILE or
 * HAUL_ADDRESS_CANNOT_TELL nothing changed: ask whether to start again
 * (haul_queue_restart_with_address) or keep both (haul_queue_add_like). */
void          haul_queue_change_address_async  (HaulQueue            *self,
                                                HaulDownload         *download,
                                                const char           *uri,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean      haul_queue_change_address_finish (HaulQueue            *self,
                                                GAsyncResult         *result,
                                                HaulAddressCheck     *check,
                                                GError              **error);
gboolean      haul_queue_restart_with_address  (HaulQueue            *self,
                                                HaulDownload         *download,
                                                const char           *uri,
                                                GError              **error);
/* (transfer none) */
HaulDownload *haul_queue_add_like              (HaulQueue            *self,
                                                HaulDownload         *like,
                                                const char           *uri,
                                                GError              **error);
/* A browser's partial download (NAME.part, NAME.crdownload) and its
 * address: checked against the server, then a download that goes on from
 * its bytes (it takes Haul's partial name beside it, replacing nothing).
 * finish: (transfer none) (nullable) the download, on HAUL_ADDRESS_SAME_FILE. */
void          haul_queue_adopt_async           (HaulQueue            *self,
                                                const char           *partial_path,
                                                const char           *uri,
                                                const HaulAddOptions *options,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
HaulDownload *haul_queue_adopt_finish          (HaulQueue            *self,
                                                GAsyncResult         *result,
                                                HaulAddressCheck     *check,
                                                GError              **error);

guint         haul_queue_get_max_active   (HaulQueue            *self);
void          haul_queue_set_max_active   (HaulQueue            *self,
                                           guint                 max_active);
guint         haul_queue_get_n_active     (HaulQueue            *self);
HaulStore    *haul_queue_get_store        (HaulQueue            *self);
HaulEngine   *haul_queue_get_engine       (HaulQueue            *self);
HaulEngineConnection haul_queue_get_engine_connection (HaulQueue    *self);
const char   *haul_queue_get_engine_name  (HaulQueue            *self);
const char   *haul_queue_get_engine_error (HaulQueue            *self);

/* Stops every download (they stay resumable, recorded as they were),
 * discards what waited to be discarded, and waits for it all; for
 * quitting and tests. */
void          haul_queue_shutdown         (HaulQueue            *self);
/* The same without blocking the main thread. */
void          haul_queue_shutdown_async   (HaulQueue            *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean      haul_queue_shutdown_finish  (HaulQueue            *self,
                                           GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
