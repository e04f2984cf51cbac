/* kill-test.c: SIGKILL the downloader at random moments; nothing is lost
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This program is the server: twenty files (four large ones, six behind a
 * throttle, ten small) on 127.0.0.1, served from this process so they
 * outlive every driver. It runs the driver, haul-fetch, with one database
 * and one download folder, kills it with SIGKILL after a random 50–700 ms,
 * and starts it again with the same arguments, HAUL_KILLS times (50);
 * then HAUL_KILLS / 5 more times after 1–3 s, so that downloads are also
 * killed after their first checkpoints and resumed mid-file.
 *
 * The driver runs with the app's default of 8 connections per download, so
 * the large files download in pieces, each piece recorded on its own.
 *
 * After every kill, with the driver dead, it checks the promise itself:
 * the database never claims more than the disk holds (every unfinished
 * row's partial file holds at least `confirmed` bytes, and the last 64 KiB
 * before that mark are the server's bytes; for a download in pieces, the
 * first and last 64 KiB of every piece's recorded bytes are; every
 * completed row's file is whole), and no URL has two rows.
 *
 * Then one last run to completion (bounded), and: every file is
 * byte-identical to the server's, one row and one file per URL, no partial
 * file left behind.
 *
 * Environment: HAUL_FETCH (the driver; default: haul-fetch beside this program),
 * HAUL_KILLS (default 50), HAUL_KILL_SEED (the random seed, printed).
 */

#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include <glib/gstdio.h>

#include "haul-test-server.h"
#include "haul-types.h"

#define N_FILES        20
#define MAX_ACTIVE     "4"
#define FINAL_RUN_S    150
#define CHECK_WINDOW   (64 * 1024)

typedef struct
{
  const char *path;
  gsize       size;
  guint64     bytes_per_second;  /* 0: as fast as the loopback goes */
  GBytes     *body;              /* (owned) */
  char       *uri;               /* (owned) */
} ServedFile;

static ServedFile files[N_FILES] = {
  { "/large-08.bin", 8 << 20, 0 },
  { "/slow-1.bin", 2 << 20, 256 << 10 },
  { "/small-01.txt", 1, 0 },
  { "/small-02.bin", 4096, 0 },
  { "/large-16.bin", 16 << 20, 0 },
  { "/slow-2.bin", 2 << 20, 256 << 10 },
  { "/small-03.bin", 65536, 0 },
  { "/small-04.bin", 100000, 0 },
  { "/large-24.bin", 24 << 20, 0 },
  { "/slow-3.bin", 1 << 20, 128 << 10 },
  { "/small-05.bin", 300000, 0 },
  { "/small-06.bin", 512 << 10, 0 },
  { "/large-32.bin", 32 << 20, 0 },
  { "/slow-4.bin", 3 << 20, 384 << 10 },
  { "/small-07.bin", 777, 0 },
  { "/small-08.bin", 123456, 0 },
  { "/slow-5.bin", 1536 << 10, 192 << 10 },
  { "/small-09.bin", 1 << 20, 0 },
  { "/slow-6.bin", 2 << 20, 256 << 10 },
  { "/small-10.bin", 2, 0 },
};

typedef struct
{
  HaulTestServer *server;
  char           *tmpdir;
  char           *folder;
  char           *db_path;
  char           *log_path;
  const char     *fetch;
} Fixture;

/* haul-fetch, built beside this program. */
static char *default_fetch;

static ServedFile *
file_for_uri (const char *uri)
{
  for (guint i = 0; i < N_FILES; i++)
    if (g_strcmp0 (files[i].uri, uri) == 0)
      return &files[i];
  return NULL;
}

/* ---------------------------------------------------------------------- */
/* Running the driver                                                      */

typedef struct
{
  gboolean exited;
  gboolean timed_out;
} RunState;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  RunState *state = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  state->exited = TRUE;
}

static gboolean
timeout_cb (gpointer data)
{
  RunState *state = data;

  state->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Starts the driver with the same arguments every time. */
static GSubprocess *
spawn_fetch (Fixture *fixture)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  /* stdout is our TAP stream: the driver's chatter goes to a log. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_stderr_file_path (launcher, fixture->log_path);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");

  g_ptr_array_add (argv, (char *) fixture->fetch);
  g_ptr_array_add (argv, (char *) "--folder");
  g_ptr_array_add (argv, fixture->folder);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, fixture->db_path);
  g_ptr_array_add (argv, (char *) "--max-active");
  g_ptr_array_add (argv, (char *) MAX_ACTIVE);
  for (guint i = 0; i < N_FILES; i++)
    g_ptr_array_add (argv, files[i].uri);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

/* Lets the driver run for @ms. Returns TRUE if it exited by itself. */
static gboolean
run_for (GSubprocess *process,
         guint        ms)
{
  RunState state = { FALSE, FALSE };
  guint timeout = g_timeout_add (ms, timeout_cb, &state);

  g_subprocess_wait_async (process, NULL, wait_cb, &state);
  while (!state.exited && !state.timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!state.timed_out)
    g_source_remove (timeout);

  if (!state.exited)
    {
      /* SIGKILL cannot be caught: the wait below is short and bounded. */
      g_subprocess_send_signal (process, SIGKILL);
      while (!state.exited)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (g_subprocess_get_if_signaled (process));
      g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
      return FALSE;
    }
  return TRUE;
}

static void
print_driver_log (Fixture *fixture)
{
  g_autofree char *log = NULL;

  if (g_file_get_contents (fixture->log_path, &log, NULL, NULL) && log[0] != '\0')
    g_test_message ("driver said:\n%s", log);
}

/* ---------------------------------------------------------------------- */
/* Checking the promise                                                    */

typedef struct
{
  guint rows;
  guint completed;
  guint midway;      /* unfinished rows with 0 < confirmed < size: resumed mid-file next */
  guint in_pieces;   /* of which recorded in several pieces */
  guint violations;
} Audit;

static sqlite3 *
open_db (const char *path)
{
  sqlite3 *db = NULL;

  /* Read-write so a log left by the killed process can be recovered. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static gboolean
region_matches (const char *path,
                GBytes     *body,
                gint64      from,
                gint64      to)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  g_autofree guint8 *buffer = NULL;
  gsize n = 0;

  if (stream == NULL || to <= from)
    return stream != NULL;
  if (!g_seekable_seek (G_SEEKABLE (stream), from, G_SEEK_SET, NULL, NULL))
    return FALSE;
  buffer = g_malloc (to - from);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, to - from, &n, NULL, NULL) ||
      n != (gsize) (to - from))
    return FALSE;
  return memcmp (buffer, (const guint8 *) g_bytes_get_data (body, NULL) + from, n) == 0;
}

static gint64
size_of (const char *path)
{
  GStatBuf st;

  if (path == NULL || g_stat (path, &st) != 0)
    return -1;
  return st.st_size;
}

#define VIOLATION(audit, ...) G_STMT_START { \
  g_test_message (__VA_ARGS__); \
  (audit)->violations++; \
} G_STMT_END

/* What the database says against what the disk holds, with the driver
 * dead. */
static Audit
audit (Fixture *fixture)
{
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Audit result = { 0, 0, 0, 0, 0 };

  if (!g_file_test (fixture->db_path, G_FILE_TEST_EXISTS))
    return result;

  db = open_db (fixture->db_path);
  if (sqlite3_prepare_v2 (db,
                          "SELECT uri, state, confirmed, partial_path, folder, file_name, error, pieces"
                          " FROM downloads ORDER BY id;",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      /* Killed before the store's first transaction (the schema) was
       * committed: an empty database, which the next start completes. */
      g_assert_nonnull (strstr (sqlite3_errmsg (db), "no such table"));
      g_test_message ("killed before the schema was committed");
      sqlite3_close (db);
      return result;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *uri = (const char *) sqlite3_column_text (stmt, 0);
      const char *state = (const char *) sqlite3_column_text (stmt, 1);
      gint64 confirmed = sqlite3_column_int64 (stmt, 2);
      const char *partial = (const char *) sqlite3_column_text (stmt, 3);
      const char *folder = (const char *) sqlite3_column_text (stmt, 4);
      const char *file_name = (const char *) sqlite3_column_text (stmt, 5);
      const char *pieces_text = (const char *) sqlite3_column_text (stmt, 7);
      ServedFile *served = file_for_uri (uri);

      result.rows++;
      if (served == NULL)
        {
          VIOLATION (&result, "a row for an unknown URL %s", uri);
          continue;
        }
      if (!g_hash_table_add (seen, g_strdup (uri)))
        VIOLATION (&result, "%s has two rows", uri);

      if (g_strcmp0 (state, "completed") == 0)
        {
          g_autofree char *path = file_name != NULL ? g_build_filename (folder, file_name, NULL)
                                                     : NULL;

          result.completed++;
          if (size_of (path) != (gint64) served->size)
            VIOLATION (&result, "%s is completed but %s holds %" G_GINT64_FORMAT " bytes",
                       uri, path, size_of (path));
        }
      else if (g_strcmp0 (state, "failed") == 0 || g_strcmp0 (state, "cancelled") == 0)
        {
          VIOLATION (&result, "%s is %s: %s", uri, state, sqlite3_column_text (stmt, 6));
        }
      else if (confirmed > 0)
        {
          gint64 on_disk = size_of (partial);

          /* Killed between the rename and its record: the bytes are on
           * disk under the final name, which no one else may take. */
          if (on_disk < 0 && file_name != NULL)
            {
              g_autofree char *path = g_build_filename (folder, file_name, NULL);

              if (size_of (path) == (gint64) served->size)
                {
                  partial = NULL;
                  on_disk = served->size;
                  g_test_message ("%s: killed between the rename and its record", uri);
                }
            }

          if (confirmed < (gint64) served->size)
            result.midway++;
          if (pieces_text != NULL && partial != NULL)
            {
              g_autoptr(GArray) pieces = haul_pieces_from_string (pieces_text, served->size);
              gint64 sum = 0;

              if (pieces == NULL)
                {
                  VIOLATION (&result, "%s: unreadable pieces “%s”", uri, pieces_text);
                  continue;
                }
              result.in_pieces++;
              for (guint k = 0; k < pieces->len; k++)
                {
                  const HaulPiece *piece = &g_array_index (pieces, HaulPiece, k);
                  gint64 end = piece->start + piece->done;

                  sum += piece->done;
                  if (on_disk < end)
                    VIOLATION (&result, "%s: a piece claims bytes to %" G_GINT64_FORMAT
                               ", %s holds %" G_GINT64_FORMAT, uri, end, partial, on_disk);
                  else if (!region_matches (partial, served->body, piece->start,
                                            MIN (end, piece->start + CHECK_WINDOW))
                           || !region_matches (partial, served->body,
                                               MAX (piece->start, end - CHECK_WINDOW), end))
                    VIOLATION (&result, "%s: the recorded bytes of piece %" G_GINT64_FORMAT
                               "–%" G_GINT64_FORMAT " differ from the server's",
                               uri, piece->start, end);
                }
              if (sum != confirmed)
                VIOLATION (&result, "%s: pieces hold %" G_GINT64_FORMAT " bytes, the row says %"
                           G_GINT64_FORMAT, uri, sum, confirmed);
              continue;
            }
          if (on_disk < confirmed)
            VIOLATION (&result, "%s: the record claims %" G_GINT64_FORMAT " bytes, %s holds %"
                       G_GINT64_FORMAT, uri, confirmed, partial, on_disk);
          else if (partial != NULL &&
                   !region_matches (partial, served->body,
                                    MAX (0, confirmed - CHECK_WINDOW), confirmed))
            VIOLATION (&result, "%s: the bytes before the recorded %" G_GINT64_FORMAT
                       " differ from the server's", uri, confirmed);
        }
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

static guint
count_rows (const char *db_path,
            const char *sql)
{
  sqlite3 *db = open_db (db_path);
  sqlite3_stmt *stmt = NULL;
  guint n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* ---------------------------------------------------------------------- */

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = haul_test_server_new ();
  for (guint i = 0; i < N_FILES; i++)
    {
      g_autofree char *etag = g_strdup_printf ("\"%s-v1\"", files[i].path + 1);
      HaulTestFileOptions options = {
        .etag = etag,
        .last_modified = "Sat, 01 Aug 2026 10:00:00 GMT",
        .bytes_per_second = files[i].bytes_per_second,
      };

      files[i].body = haul_test_make_bytes (files[i].size, 1000 + i);
      files[i].uri = haul_test_server_uri (fixture->server, files[i].path);
      haul_test_server_add_file (fixture->server, files[i].path, files[i].body, &options);
    }

  fixture->tmpdir = haul_test_make_tmpdir ();
  fixture->folder = g_build_filename (fixture->tmpdir, "Downloads", NULL);
  fixture->db_path = g_build_filename (fixture->tmpdir, "data", "downloads.db", NULL);
  fixture->log_path = g_build_filename (fixture->tmpdir, "haul-fetch.log", NULL);
  g_assert_cmpint (g_mkdir (fixture->folder, 0755), ==, 0);

  fixture->fetch = g_getenv ("HAUL_FETCH");
  if (fixture->fetch == NULL)
    fixture->fetch = default_fetch;
  g_assert_true (g_file_test (fixture->fetch, G_FILE_TEST_IS_EXECUTABLE));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  haul_test_remove_tree (fixture->tmpdir);
  haul_test_server_free (fixture->server);
  for (guint i = 0; i < N_FILES; i++)
    {
      g_clear_pointer (&files[i].body, g_bytes_unref);
      g_clear_pointer (&files[i].uri, g_free);
    }
  g_free (fixture->tmpdir);
  g_free (fixture->folder);
  g_free (fixture->db_path);
  g_free (fixture->log_path);
}

typedef struct
{
  GRand *rand;
  guint  kills;
  guint  runs;
  guint  early_exits;
  guint  midway;       /* mid-file resume points seen after kills */
  guint  in_pieces;    /* of which recorded in pieces */
  guint  violations;
  guint  completed;    /* at the last kill */
} KillStats;

/* Runs the driver and kills it after a random @min_ms–@max_ms, @target
 * times (bounded: at most three runs per wanted kill), auditing the
 * record after each run. With @until_done, stops early once a run
 * finished every download by itself: nothing is left to interrupt.
 * Returns the number of kills. */
static guint
kill_repeatedly (Fixture   *fixture,
                 KillStats *stats,
                 guint      target,
                 guint      min_ms,
                 guint      max_ms,
                 gboolean   until_done)
{
  guint kills = 0;

  for (guint runs = 0; kills < target && runs < target * 3; runs++)
    {
      g_autoptr(GSubprocess) process = spawn_fetch (fixture);
      guint delay = g_rand_int_range (stats->rand, min_ms, max_ms + 1);
      Audit after;

      stats->runs++;
      if (run_for (process, delay))
        {
          stats->early_exits++;
          if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
            {
              print_driver_log (fixture);
              g_error ("run %u: the driver failed on its own", stats->runs);
            }
        }
      else
        {
          kills++;
          stats->kills++;
        }

      after = audit (fixture);
      stats->completed = after.completed;
      stats->midway += after.midway;
      stats->in_pieces += after.in_pieces;
      stats->violations += after.violations;
      if (after.violations > 0)
        g_test_message ("after run %u (%u ms): %u violations", stats->runs, delay,
                        after.violations);
      if (until_done && after.completed == N_FILES)
        break;
    }
  return kills;
}

static void
test_kill (Fixture       *fixture,
           gconstpointer  data)
{
  const char *kills_env = g_getenv ("HAUL_KILLS");
  const char *seed_env = g_getenv ("HAUL_KILL_SEED");
  guint target = kills_env != NULL ? (guint) g_ascii_strtoull (kills_env, NULL, 10) : 50;
  guint32 seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10)
                                  : g_random_int ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GDir) dir = NULL;
  KillStats stats = { rand, 0, };
  guint restarts, long_target = MAX (1, target / 5);
  guint headline_kills, long_kills;
  guint exact = 0, n_entries = 0, n_partial = 0;
  gint64 start = g_get_monotonic_time ();
  const char *name;

  g_test_message ("seed %u (HAUL_KILL_SEED to replay)", seed);

  /* The headline: kills within 50–700 ms of each start, so they land in
   * start-up, restore, connecting, writing, renaming and recording. */
  headline_kills = kill_repeatedly (fixture, &stats, target, 50, 700, FALSE);
  g_test_message ("%u kills at 50–700 ms in %u runs (%u ended by themselves), "
                  "%u/%u completed, %.1f s",
                  stats.kills, stats.runs, stats.early_exits, stats.completed, N_FILES,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  /* Then longer runs, so that checkpoints (one a second) are recorded and
   * downloads are killed and resumed in the middle of their files. */
  long_kills = kill_repeatedly (fixture, &stats, long_target, 1000, 3000, TRUE);
  g_test_message ("%u more kills at 1–3 s, %u/%u completed, %u mid-file resume points, %.1f s",
                  long_kills, stats.completed, N_FILES, stats.midway,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  /* The last run, to completion. */
  {
    g_autoptr(GSubprocess) process = spawn_fetch (fixture);

    stats.runs++;
    if (!run_for (process, FINAL_RUN_S * 1000))
      {
        print_driver_log (fixture);
        g_error ("the final run did not finish within %u s", FINAL_RUN_S);
      }
    if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
      {
        print_driver_log (fixture);
        g_error ("the final run failed");
      }
  }
  restarts = stats.runs - 1;

  /* Every file byte-exact, one row and one file per URL, no partial. */
  {
    Audit last = audit (fixture);

    stats.violations += last.violations;
    g_assert_cmpuint (last.rows, ==, N_FILES);
    g_assert_cmpuint (last.completed, ==, N_FILES);
  }
  g_assert_cmpuint (count_rows (fixture->db_path,
                                "SELECT COUNT(DISTINCT uri) FROM downloads;"), ==, N_FILES);

  for (guint i = 0; i < N_FILES; i++)
    {
      g_autofree char *path = g_build_filename (fixture->folder, files[i].path + 1, NULL);

      if (haul_test_file_equals (path, files[i].body))
        exact++;
      else
        g_test_message ("%s is not byte-identical to the server's", path);
    }

  dir = g_dir_open (fixture->folder, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      n_entries++;
      if (g_str_has_suffix (name, ".part"))
        {
          n_partial++;
          g_test_message ("left behind: %s", name);
        }
    }

  g_test_message ("%u kills, %u restarts, %u/%u files byte-exact, %u mid-file resume points "
                  "(%u in pieces), %u violations of the record, %u files in the folder "
                  "(%u partial), %.1f s in all",
                  stats.kills, restarts, exact, N_FILES, stats.midway, stats.in_pieces,
                  stats.violations,
                  n_entries, n_partial,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  g_assert_cmpuint (headline_kills, ==, target);
  g_assert_cmpuint (long_kills, >, 0);
  g_assert_cmpuint (stats.violations, ==, 0);
  g_assert_cmpuint (exact, ==, N_FILES);
  g_assert_cmpuint (n_partial, ==, 0);
  g_assert_cmpuint (n_entries, ==, N_FILES);
  /* The test proves resuming only if it happened, in pieces too. */
  g_assert_cmpuint (stats.midway, >, 0);
  g_assert_cmpuint (stats.in_pieces, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *here = g_path_get_dirname (argv[0]);

  default_fetch = g_build_filename (here, "haul-fetch", NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/haul/engine/kill/sigkill-and-restart", Fixture, NULL,
              fixture_setup, test_kill, fixture_teardown);

  {
    int status = g_test_run ();

    g_free (default_fetch);
    return status;
  }
}
