/* haul-fetch.c: downloads URLs through a HaulQueue, without a window
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   haul-fetch [--folder DIR] [--db PATH] [--max-active N] [--connections N]
 *              [--speed-limit KIB] [--checksum TYPE=HEX] URL...
 *
 * Used by the benchmark and by the store's kill test. With --db the queue
 * is recorded in a HaulStore and restored at start; URLs already in the
 * store are not added again, so a killed run can be restarted with the
 * same arguments. Prints one line per finished download:
 *   STATE<TAB>PATH<TAB>BYTES[<TAB>MESSAGE]
 * Exits 0 when every download completed, 1 if any failed, 2 on a usage
 * error, 130/143 after SIGINT/SIGTERM (the queue is shut down cleanly and
 * stays resumable).
 */

#include "config.h"

#include <locale.h>
#include <signal.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "haul-checksum.h"
#include "haul-download-private.h"
#include "haul-queue.h"
#include "haul-store.h"

typedef struct
{
  HaulQueue  *queue;
  GMainLoop  *loop;
  GHashTable *printed;  /* HaulDownload* already reported */
  int         signal;   /* the one that stopped us, or 0 */
  guint       check_source;
} Fetch;

static void
report (Fetch        *fetch,
        HaulDownload *download)
{
  g_autoptr(GEnumClass) klass = NULL;
  g_autofree char *path = NULL;
  GEnumValue *value;
  const char *message;

  /* Before any work: this runs for every download, again and again. */
  if (!g_hash_table_add (fetch->printed, download))
    return;
  klass = g_type_class_ref (HAUL_TYPE_DOWNLOAD_STATE);
  path = haul_download_dup_path (download);
  value = g_enum_get_value (klass, haul_download_get_state (download));
  message = haul_download_get_error_message (download);

  g_print ("%s\t%s\t%" G_GINT64_FORMAT "%s%s\n",
           value->value_nick,
           path != NULL ? path : "-",
           haul_download_get_received (download),
           message != NULL ? "\t" : "",
           message != NULL ? message : "");
}

/* Done when nothing is queued or running any more. */
static gboolean
check_done_cb (gpointer data)
{
  Fetch *fetch = data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (fetch->queue));

  fetch->check_source = 0;
  /* Only at the end: a scan of every download at each change of the
   * active count made the bench's own client quadratic (1,000 downloads,
   * 2,000 changes, 2 million reports skipped one by one). */
  if (haul_queue_get_n_active (fetch->queue) != 0)
    return G_SOURCE_REMOVE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (G_LIST_MODEL (fetch->queue), i);

      if (haul_download_is_finished (download))
        report (fetch, download);
    }
  g_main_loop_quit (fetch->loop);

  return G_SOURCE_REMOVE;
}

static void
schedule_check (Fetch *fetch)
{
  /* From an idle, not from inside the queue's signal emission. */
  if (fetch->check_source == 0)
    fetch->check_source = g_idle_add (check_done_cb, fetch);
}

static void
on_download_finished (HaulQueue    *queue,
                      HaulDownload *download,
                      Fetch        *fetch)
{
  report (fetch, download);
}

static void
on_n_active (HaulQueue  *queue,
             GParamSpec *pspec,
             Fetch      *fetch)
{
  schedule_check (fetch);
}

static void
stop (Fetch *fetch,
      int    signum)
{
  g_printerr ("haul-fetch: %s, stopping\n", g_strsignal (signum));
  fetch->signal = signum;
  g_main_loop_quit (fetch->loop);
}

static gboolean
on_sigint (gpointer data)
{
  stop (data, SIGINT);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigterm (gpointer data)
{
  stop (data, SIGTERM);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulStore) store = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *db = NULL;
  g_auto(GStrv) uris = NULL;
  int max_active = 3;
  int connections = 8;
  int speed_limit = 0;
  g_autofree char *checksum = NULL;
  g_autoptr(HaulChecksumSpec) spec = NULL;
  HaulAddOptions options = { NULL };
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();
  g_autoptr(GPtrArray) added = NULL;
  Fetch fetch = { 0 };
  gboolean all_completed = TRUE;
  guint sigint_id, sigterm_id;
  guint n;
  const GOptionEntry entries[] = {
    { "folder", 0, 0, G_OPTION_ARG_FILENAME, &folder,
      "Where files go (default: the current folder)", "DIR" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db,
      "Record the queue in this database and restore it", "PATH" },
    { "max-active", 0, 0, G_OPTION_ARG_INT, &max_active, "Downloads at once (default 3)", "N" },
    { "connections", 0, 0, G_OPTION_ARG_INT, &connections,
      "Connections per download (default 8, as the app)", "N" },
    { "speed-limit", 0, 0, G_OPTION_ARG_INT, &speed_limit,
      "All downloads together at most this fast (KiB/s, default none)", "KIB" },
    { "checksum", 0, 0, G_OPTION_ARG_STRING, &checksum,
      "Check every download against this checksum (as haul --checksum)", "TYPE=HEX" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &uris, NULL, "URL…" },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("URL… — download through Haul's engine");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("haul-fetch: %s\n", error->message);
      return 2;
    }
  if (max_active < 1 || max_active > 64)
    {
      g_printerr ("haul-fetch: --max-active must be between 1 and 64\n");
      return 2;
    }
  if (connections < 1 || connections > 16)
    {
      g_printerr ("haul-fetch: --connections must be between 1 and 16\n");
      return 2;
    }
  if (speed_limit < 0)
    {
      g_printerr ("haul-fetch: --speed-limit must not be negative\n");
      return 2;
    }
  if (checksum != NULL && (spec = haul_checksum_spec_parse (checksum, &error)) == NULL)
    {
      g_printerr ("haul-fetch: %s\n", error->message);
      return 2;
    }
  options.checksum = spec;
  if (folder == NULL)
    folder = g_get_current_dir ();
  else if (!g_path_is_absolute (folder))
    {
      g_autofree char *cwd = g_get_current_dir ();
      char *absolute = g_build_filename (cwd, folder, NULL);

      g_free (folder);
      folder = absolute;
    }

  if (db != NULL)
    {
      store = haul_store_new (db, &error);
      if (store == NULL)
        {
          g_printerr ("haul-fetch: %s\n", error->message);
          return 2;
        }
      if (haul_store_get_recovered_path (store) != NULL)
        g_printerr ("haul-fetch: the database was unreadable, moved to %s\n",
                    haul_store_get_recovered_path (store));
    }

  fetch.queue = haul_queue_new (store);
  fetch.loop = g_main_loop_new (NULL, FALSE);
  fetch.printed = g_hash_table_new (NULL, NULL);
  haul_queue_set_max_active (fetch.queue, max_active);
  g_object_set (fetch.queue, "connections-per-download", connections,
                "speed-limit", speed_limit, NULL);
  g_signal_connect (fetch.queue, "download-finished", G_CALLBACK (on_download_finished), &fetch);
  g_signal_connect (fetch.queue, "notify::n-active", G_CALLBACK (on_n_active), &fetch);

  if (!haul_queue_restore (fetch.queue, &error))
    {
      g_printerr ("haul-fetch: %s\n", error->message);
      return 2;
    }

  /* URLs already in the store are not added again (a restarted run). */
  n = g_list_model_get_n_items (G_LIST_MODEL (fetch.queue));
  for (guint j = 0; j < n; j++)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (G_LIST_MODEL (fetch.queue), j);

      g_hash_table_add (known, g_strdup (haul_download_get_uri (download)));
    }
  for (guint i = 0; uris != NULL && uris[i] != NULL; i++)
    if (!g_hash_table_contains (known, uris[i]))
      g_ptr_array_add (wanted, uris[i]);
  g_ptr_array_add (wanted, NULL);

  added = haul_queue_add_many (fetch.queue, (const char * const *) wanted->pdata, folder,
                               &options, &error);
  if (error != NULL)
    {
      g_printerr ("haul-fetch: %s\n", error->message);
      g_clear_error (&error);
      all_completed = FALSE;
    }

  /* Restored downloads that are paused would never finish by themselves. */
  haul_queue_resume_all (fetch.queue);

  sigint_id = g_unix_signal_add (SIGINT, on_sigint, &fetch);
  sigterm_id = g_unix_signal_add (SIGTERM, on_sigterm, &fetch);

  schedule_check (&fetch);
  g_main_loop_run (fetch.loop);

  haul_queue_shutdown (fetch.queue);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_handle_id (&fetch.check_source, g_source_remove);

  if (fetch.signal == 0)
    {
      n = g_list_model_get_n_items (G_LIST_MODEL (fetch.queue));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(HaulDownload) download = g_list_model_get_item (G_LIST_MODEL (fetch.queue), i);

          report (&fetch, download);
          if (haul_download_get_state (download) != HAUL_DOWNLOAD_COMPLETED)
            all_completed = FALSE;
        }
    }

  g_clear_object (&fetch.queue);
  g_main_loop_unref (fetch.loop);
  g_hash_table_unref (fetch.printed);

  if (fetch.signal != 0)
    return 128 + fetch.signal;
  return all_completed ? 0 : 1;
}
