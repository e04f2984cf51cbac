/* test-category.c: kinds of files, their folders, and that a file never moves
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "haul-category.h"
#include "haul-download-private.h"
#include "haul-queue-private.h"
#include "haul-store.h"
#include "haul-test-server.h"

#define WAIT_MS   30000
#define SLOW_SIZE (2 * 1024 * 1024)

/* The kind of a type, of a name ------------------------------------------ */

static void
test_content_type (void)
{
  static const struct {
    const char   *type;
    HaulCategory  category;
  } cases[] = {
    { "application/pdf", HAUL_CATEGORY_DOCUMENTS },
    { "Application/PDF; charset=binary", HAUL_CATEGORY_DOCUMENTS },
    { "text/plain", HAUL_CATEGORY_DOCUMENTS },
    { "text/csv", HAUL_CATEGORY_DOCUMENTS },
    { "application/json", HAUL_CATEGORY_DOCUMENTS },
    { "application/epub+zip", HAUL_CATEGORY_DOCUMENTS },
    { "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      HAUL_CATEGORY_DOCUMENTS },
    { "application/vnd.oasis.opendocument.spreadsheet", HAUL_CATEGORY_DOCUMENTS },
    { "image/vnd.djvu", HAUL_CATEGORY_DOCUMENTS },
    { "image/png", HAUL_CATEGORY_PICTURES },
    { "image/svg+xml", HAUL_CATEGORY_PICTURES },
    { "audio/mpeg", HAUL_CATEGORY_MUSIC },
    { "audio/flac", HAUL_CATEGORY_MUSIC },
    { "video/mp4", HAUL_CATEGORY_VIDEOS },
    { "video/x-matroska", HAUL_CATEGORY_VIDEOS },
    { "application/zip", HAUL_CATEGORY_ARCHIVES },
    { "application/x-gzip", HAUL_CATEGORY_ARCHIVES },            /* an alias */
    { "application/x-compressed-tar", HAUL_CATEGORY_ARCHIVES },  /* a subclass */
    { "application/x-7z-compressed", HAUL_CATEGORY_ARCHIVES },
    { "application/x-msdownload", HAUL_CATEGORY_PROGRAMS },
    { "application/vnd.debian.binary-package", HAUL_CATEGORY_PROGRAMS },
    { "application/vnd.android.package-archive", HAUL_CATEGORY_PROGRAMS },  /* a zip */
    { "application/x-cd-image", HAUL_CATEGORY_PROGRAMS },
    { "application/vnd.flatpak.ref", HAUL_CATEGORY_PROGRAMS },
    { "text/html", HAUL_CATEGORY_OTHER },
    { "text/html; charset=utf-8", HAUL_CATEGORY_OTHER },
    { "application/x-php", HAUL_CATEGORY_OTHER },
    { "application/octet-stream", HAUL_CATEGORY_OTHER },
    { "application/x-bittorrent", HAUL_CATEGORY_OTHER },
    { "", HAUL_CATEGORY_OTHER },
    { ";", HAUL_CATEGORY_OTHER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].type);
      g_assert_cmpint (haul_category_for_content_type (cases[i].type), ==, cases[i].category);
    }
  g_assert_cmpint (haul_category_for_content_type (NULL), ==, HAUL_CATEGORY_OTHER);
}

static void
test_file (void)
{
  static const struct {
    const char   *name;
    const char   *type;
    HaulCategory  category;
  } cases[] = {
    { "report.pdf", NULL, HAUL_CATEGORY_DOCUMENTS },
    { "notes.txt", NULL, HAUL_CATEGORY_DOCUMENTS },
    { "photo.JPG", NULL, HAUL_CATEGORY_PICTURES },
    { "song.mp3", NULL, HAUL_CATEGORY_MUSIC },
    { "film.mkv", NULL, HAUL_CATEGORY_VIDEOS },
    { "src-1.2.tar.gz", NULL, HAUL_CATEGORY_ARCHIVES },
    { "backup.7z", NULL, HAUL_CATEGORY_ARCHIVES },
    { "setup.exe", NULL, HAUL_CATEGORY_PROGRAMS },
    { "haul_0.1_amd64.deb", NULL, HAUL_CATEGORY_PROGRAMS },
    { "debian-12.iso", NULL, HAUL_CATEGORY_PROGRAMS },
    { "Tool.AppImage", NULL, HAUL_CATEGORY_PROGRAMS },
    { "install.sh", NULL, HAUL_CATEGORY_PROGRAMS },
    { "data.bin", NULL, HAUL_CATEGORY_OTHER },
    { "download", NULL, HAUL_CATEGORY_OTHER },
    /* The name says nothing: the server's type decides. */
    { "download", "image/png", HAUL_CATEGORY_PICTURES },
    { "get.php", "application/zip", HAUL_CATEGORY_ARCHIVES },
    { "index.html", "application/pdf", HAUL_CATEGORY_DOCUMENTS },
    { "file.bin", "video/webm", HAUL_CATEGORY_VIDEOS },
    /* An uncertain name (audio or video?) gives way to a server that knows… */
    { "clip.ogg", "video/ogg", HAUL_CATEGORY_VIDEOS },
    { "clip.ogg", NULL, HAUL_CATEGORY_MUSIC },
    { "clip.ogg", "application/octet-stream", HAUL_CATEGORY_MUSIC },
    /* …a certain one does not: the name is what the file is opened by. */
    { "report.pdf", "image/png", HAUL_CATEGORY_DOCUMENTS },
    { "photo.jpg", "application/octet-stream", HAUL_CATEGORY_PICTURES },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s %s", cases[i].name, cases[i].type ? cases[i].type : "(none)");
      g_assert_cmpint (haul_category_for_file (cases[i].name, cases[i].type), ==,
                       cases[i].category);
    }
  g_assert_cmpint (haul_category_for_file (NULL, "audio/mpeg"), ==, HAUL_CATEGORY_MUSIC);
  g_assert_cmpint (haul_category_for_file (NULL, NULL), ==, HAUL_CATEGORY_OTHER);
}

static void
test_strings (void)
{
  HaulCategory category;

  for (guint i = 0; i < HAUL_N_CATEGORIES; i++)
    {
      g_assert_true (haul_category_from_string (haul_category_to_string (i), &category));
      g_assert_cmpint (category, ==, i);
      g_assert_nonnull (haul_category_get_label (i));
    }
  g_assert_cmpstr (haul_category_to_string (HAUL_CATEGORY_PICTURES), ==, "pictures");
  category = HAUL_CATEGORY_MUSIC;
  g_assert_false (haul_category_from_string ("Pictures", &category));
  g_assert_false (haul_category_from_string ("", &category));
  g_assert_false (haul_category_from_string (NULL, &category));
  g_assert_cmpint (category, ==, HAUL_CATEGORY_MUSIC);
  g_assert_cmpstr (haul_category_to_string (99), ==, "other");
}

static void
test_folders (void)
{
  g_autoptr(HaulCategoryFolders) folders = haul_category_folders_new ("/home/me/Downloads");
  g_autoptr(HaulCategoryFolders) copy = NULL;
  g_autofree char *pictures = g_build_filename ("/home/me/Downloads",
                                                haul_category_get_label (HAUL_CATEGORY_PICTURES),
                                                NULL);

  g_assert_cmpstr (haul_category_folders_get (folders, HAUL_CATEGORY_OTHER), ==,
                   "/home/me/Downloads");
  g_assert_cmpstr (haul_category_folders_get (folders, HAUL_CATEGORY_PICTURES), ==, pictures);

  copy = haul_category_folders_copy (folders);
  g_assert_true (haul_category_folders_equal (folders, copy));
  haul_category_folders_set (copy, HAUL_CATEGORY_PICTURES, "/home/me/Pictures");
  g_assert_cmpstr (haul_category_folders_get (copy, HAUL_CATEGORY_PICTURES), ==,
                   "/home/me/Pictures");
  g_assert_false (haul_category_folders_equal (folders, copy));
  /* Empty: the default again. */
  haul_category_folders_set (copy, HAUL_CATEGORY_PICTURES, "");
  g_assert_true (haul_category_folders_equal (folders, copy));
  g_assert_true (haul_category_folders_equal (NULL, NULL));
  g_assert_false (haul_category_folders_equal (folders, NULL));
}

/* Through the queue, with a real server ------------------------------------ */

typedef struct
{
  HaulTestServer *server;
  char           *tmpdir;
  char           *base;       /* the download folder */
  char           *db_path;
  HaulStore      *store;
  HaulQueue      *queue;
  GBytes         *body;
  GBytes         *slow;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  HaulTestFileOptions pdf = { .content_disposition = "attachment; filename=\"notes.pdf\"" };
  HaulTestFileOptions png = { .content_type = "image/png" };
  HaulTestFileOptions slow = { .etag = "\"s1\"", .bytes_per_second = 512 * 1024 };

  fixture->server = haul_test_server_new ();
  fixture->tmpdir = haul_test_make_tmpdir ();
  fixture->base = g_build_filename (fixture->tmpdir, "Downloads", NULL);
  fixture->db_path = g_build_filename (fixture->tmpdir, "data", "downloads.db", NULL);
  g_assert_cmpint (g_mkdir (fixture->base, 0700), ==, 0);
  fixture->body = haul_test_make_bytes (100 * 1024, 7);
  fixture->slow = haul_test_make_bytes (SLOW_SIZE, 8);

  haul_test_server_add_file (fixture->server, "/photo.jpg", fixture->body, NULL);
  haul_test_server_add_file (fixture->server, "/get", fixture->body, &pdf);
  haul_test_server_add_file (fixture->server, "/render", fixture->body, &png);
  haul_test_server_add_file (fixture->server, "/movie.mkv", fixture->slow, &slow);

  haul_test_open_queue (fixture->db_path, &fixture->store, &fixture->queue);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->queue != NULL)
    haul_test_close_queue (&fixture->store, &fixture->queue);
  haul_test_server_free (fixture->server);
  haul_test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->base);
  g_free (fixture->db_path);
  g_bytes_unref (fixture->body);
  g_bytes_unref (fixture->slow);
}

static void
use_categories (Fixture *fixture)
{
  g_autoptr(HaulCategoryFolders) folders = haul_category_folders_new (fixture->base);

  haul_queue_set_category_folders (fixture->queue, folders);
}

static char *
folder_of (Fixture      *fixture,
           HaulCategory  category)
{
  return haul_category_default_folder (category, fixture->base);
}

static HaulDownload *
add (Fixture    *fixture,
     const char *path,
     const char *folder)
{
  return haul_test_queue_add (fixture->queue, fixture->server, path, folder);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in @folder, sorted, joined by spaces. */
static char *
list_folder (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return g_strdup ("(none)");
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
assert_file (HaulDownload *download,
             const char   *folder,
             const char   *name,
             GBytes       *bytes)
{
  g_autofree char *path = haul_download_dup_path (download);
  g_autofree char *expected = g_build_filename (folder, name, NULL);

  g_assert_cmpstr (haul_download_get_folder (download), ==, folder);
  g_assert_cmpstr (path, ==, expected);
  g_assert_true (haul_test_file_equals (path, bytes));
}

/* A name that says what it is: its folder from the start. */
static void
test_queue_by_name (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *pictures = folder_of (fixture, HAUL_CATEGORY_PICTURES);
  g_autofree char *listing = NULL;
  HaulDownload *download;

  use_categories (fixture);
  download = add (fixture, "/photo.jpg", fixture->base);
  g_assert_cmpint (haul_download_get_category (download), ==, HAUL_CATEGORY_PICTURES);
  g_assert_cmpstr (haul_download_get_folder (download), ==, pictures);
  g_assert_true (haul_download_get_by_category (download));

  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  assert_file (download, pictures, "photo.jpg", fixture->body);
  /* Made where it was missing; nothing left beside it. */
  listing = list_folder (fixture->base);
  g_assert_cmpstr (listing, ==, haul_category_get_label (HAUL_CATEGORY_PICTURES));
  g_clear_pointer (&listing, g_free);
  listing = list_folder (pictures);
  g_assert_cmpstr (listing, ==, "photo.jpg");
}

typedef struct
{
  guint  n;
  char  *last;
} FolderNotes;

static void
folder_notified_cb (HaulDownload *download,
                    GParamSpec   *pspec,
                    FolderNotes  *notes)
{
  notes->n++;
  g_free (notes->last);
  notes->last = g_strdup (haul_download_get_folder (download));
}

/* An address that says nothing: the answer decides, by the name it gives
 * (Content-Disposition) or by its type. */
static void
test_queue_by_answer (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *documents = folder_of (fixture, HAUL_CATEGORY_DOCUMENTS);
  g_autofree char *pictures = folder_of (fixture, HAUL_CATEGORY_PICTURES);
  FolderNotes notes = { 0, NULL };
  HaulDownload *by_name;
  HaulDownload *by_type;

  use_categories (fixture);
  by_name = add (fixture, "/get", fixture->base);
  by_type = add (fixture, "/render", fixture->base);
  g_signal_connect (by_name, "notify::folder", G_CALLBACK (folder_notified_cb), &notes);
  g_assert_cmpint (haul_download_get_category (by_name), ==, HAUL_CATEGORY_OTHER);
  g_assert_cmpstr (haul_download_get_folder (by_name), ==, fixture->base);

  g_assert_true (haul_test_wait_state (by_name, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  g_assert_true (haul_test_wait_state (by_type, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  g_assert_cmpint (haul_download_get_category (by_name), ==, HAUL_CATEGORY_DOCUMENTS);
  assert_file (by_name, documents, "notes.pdf", fixture->body);
  g_assert_cmpint (haul_download_get_category (by_type), ==, HAUL_CATEGORY_PICTURES);
  assert_file (by_type, pictures, "render", fixture->body);
  /* Told once, when the partial was made. */
  g_assert_cmpuint (notes.n, ==, 1);
  g_assert_cmpstr (notes.last, ==, documents);
  g_signal_handlers_disconnect_by_data (by_name, &notes);
  g_free (notes.last);

  /* What the store recorded agrees, after a restart. */
  haul_test_close_queue (&fixture->store, &fixture->queue);
  haul_test_open_queue (fixture->db_path, &fixture->store, &fixture->queue);
  {
    HaulDownload *again = haul_queue_peek (fixture->queue, 0);

    g_assert_cmpint (haul_download_get_category (again), ==, HAUL_CATEGORY_DOCUMENTS);
    assert_file (again, documents, "notes.pdf", fixture->body);
  }
}

/* Another folder chosen, or categories off: the folder as given. */
static void
test_queue_as_given (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *elsewhere = g_build_filename (fixture->tmpdir, "Elsewhere", NULL);
  HaulDownload *chosen;
  HaulDownload *off;

  g_assert_cmpint (g_mkdir (elsewhere, 0700), ==, 0);
  use_categories (fixture);
  chosen = add (fixture, "/photo.jpg", elsewhere);
  g_assert_false (haul_download_get_by_category (chosen));
  g_assert_cmpint (haul_download_get_category (chosen), ==, HAUL_CATEGORY_PICTURES);
  g_assert_true (haul_test_wait_state (chosen, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  assert_file (chosen, elsewhere, "photo.jpg", fixture->body);

  haul_queue_set_category_folders (fixture->queue, NULL);
  off = add (fixture, "/get", fixture->base);
  g_assert_true (haul_test_wait_state (off, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));
  /* The kind is still known (for the window's filter). */
  g_assert_cmpint (haul_download_get_category (off), ==, HAUL_CATEGORY_DOCUMENTS);
  assert_file (off, fixture->base, "notes.pdf", fixture->body);
}

/* Once its partial exists, a file stays where it is: the settings change,
 * Haul restarts with other folders, and it completes where it began,
 * from its bytes, with nothing in the new folders. */
static void
test_queue_never_moves (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *videos = folder_of (fixture, HAUL_CATEGORY_VIDEOS);
  g_autofree char *moved = g_build_filename (fixture->tmpdir, "Films", NULL);
  g_autofree char *headers = NULL;
  g_autofree char *listing = NULL;
  g_autoptr(HaulCategoryFolders) other = NULL;
  HaulDownload *download;

  use_categories (fixture);
  download = add (fixture, "/movie.mkv", fixture->base);
  g_assert_true (haul_test_wait_received (download, 256 * 1024, WAIT_MS));
  g_assert_nonnull (haul_download_get_partial_path (download));
  g_assert_true (g_str_has_prefix (haul_download_get_partial_path (download), videos));

  /* The Videos folder is set elsewhere; Haul quits mid-download. */
  other = haul_category_folders_new (fixture->base);
  haul_category_folders_set (other, HAUL_CATEGORY_VIDEOS, moved);
  haul_queue_set_category_folders (fixture->queue, other);
  haul_test_close_queue (&fixture->store, &fixture->queue);

  haul_test_open_queue (fixture->db_path, &fixture->store, &fixture->queue);
  haul_queue_set_category_folders (fixture->queue, other);
  download = haul_queue_peek (fixture->queue, 0);
  g_assert_cmpstr (haul_download_get_folder (download), ==, videos);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, WAIT_MS));

  assert_file (download, videos, "movie.mkv", fixture->slow);
  headers = haul_test_server_get_last_request_headers (fixture->server, "/movie.mkv");
  g_assert_nonnull (strstr (headers, "Range: bytes="));
  listing = list_folder (videos);
  g_assert_cmpstr (listing, ==, "movie.mkv");
  g_assert_false (g_file_test (moved, G_FILE_TEST_EXISTS));
}

/* A category folder that cannot be made (its parent is gone) fails the
 * download in words; nothing is written anywhere else. */
static void
test_queue_folder_missing (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *gone = g_build_filename (fixture->tmpdir, "unplugged", "Pictures", NULL);
  g_autoptr(HaulCategoryFolders) folders = haul_category_folders_new (fixture->base);
  g_autofree char *listing = NULL;
  HaulDownload *download;

  haul_category_folders_set (folders, HAUL_CATEGORY_PICTURES, gone);
  haul_queue_set_category_folders (fixture->queue, folders);
  download = add (fixture, "/photo.jpg", fixture->base);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_FAILED, WAIT_MS));
  g_assert_nonnull (strstr (haul_download_get_error_message (download), "does not exist"));
  listing = list_folder (fixture->base);
  g_assert_cmpstr (listing, ==, "");
  g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));
}

/* An old database --------------------------------------------------------- */

static void
sql_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* The schema of version 5, as that release wrote it, with three rows. */
static void
write_v5_database (const char *path,
                   const char *folder)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *partial = g_build_filename (folder, "get.part", NULL);
  sqlite3 *db = NULL;
  char *insert;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sql_exec (db,
            "PRAGMA journal_mode = WAL;"
            "CREATE TABLE downloads ("
            "  id INTEGER PRIMARY KEY, uri TEXT NOT NULL, final_uri TEXT,"
            "  folder TEXT NOT NULL, file_name TEXT, partial_path TEXT,"
            "  state TEXT NOT NULL, confirmed INTEGER NOT NULL DEFAULT 0,"
            "  total INTEGER NOT NULL DEFAULT -1, etag TEXT, last_modified TEXT,"
            "  error TEXT, created INTEGER NOT NULL, finished INTEGER,"
            "  updated INTEGER NOT NULL);"
            "ALTER TABLE downloads ADD COLUMN content_type TEXT;"
            "ALTER TABLE downloads ADD COLUMN notice TEXT;"
            "ALTER TABLE downloads ADD COLUMN pieces TEXT;"
            "ALTER TABLE downloads ADD COLUMN partial_dev INTEGER NOT NULL DEFAULT 0;"
            "ALTER TABLE downloads ADD COLUMN partial_ino INTEGER NOT NULL DEFAULT 0;"
            "ALTER TABLE downloads ADD COLUMN partial_birth INTEGER NOT NULL DEFAULT 0;"
            "ALTER TABLE downloads ADD COLUMN speed_limit INTEGER NOT NULL DEFAULT 0;"
            "ALTER TABLE downloads ADD COLUMN from_browser INTEGER NOT NULL DEFAULT 0;"
            "ALTER TABLE downloads ADD COLUMN error_code INTEGER NOT NULL DEFAULT -1;"
            "ALTER TABLE downloads ADD COLUMN checksum TEXT;"
            "ALTER TABLE downloads ADD COLUMN checksum_source INTEGER NOT NULL DEFAULT 0;"
            "ALTER TABLE downloads ADD COLUMN checksum_origin TEXT;"
            "ALTER TABLE downloads ADD COLUMN checksum_state INTEGER NOT NULL DEFAULT 0;"
            "ALTER TABLE downloads ADD COLUMN engine_id TEXT;"
            "ALTER TABLE downloads ADD COLUMN referrer TEXT;"
            "ALTER TABLE downloads ADD COLUMN user_agent TEXT;"
            "ALTER TABLE downloads ADD COLUMN error_text TEXT;"
            "ALTER TABLE downloads ADD COLUMN queue_position REAL NOT NULL DEFAULT 0;"
            "PRAGMA user_version = 5;");
  insert = sqlite3_mprintf (
    "INSERT INTO downloads (id, uri, folder, file_name, partial_path, state, confirmed, total,"
    "                       content_type, created, finished, updated) VALUES"
    " (1, 'http://127.0.0.1:1/song.mp3', %Q, 'song.mp3', NULL, 'completed', 10, 10, NULL,"
    "  1700000000000000, 1700000100000000, 1700000100000000),"
    " (2, 'http://127.0.0.1:1/get', %Q, 'get', %Q, 'paused', 0, 100, 'application/pdf',"
    "  1700000000000000, NULL, 1700000000000000),"
    " (3, 'http://127.0.0.1:1/data.bin', %Q, 'data.bin', NULL, 'failed', 0, -1, NULL,"
    "  1700000000000000, 1700000100000000, 1700000100000000);",
    folder, folder, partial, folder);
  sql_exec (db, insert);
  sqlite3_free (insert);
  sqlite3_close (db);
}

static char *
sql_text (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

typedef struct
{
  HaulStore       *store;
  HaulResumeState *state;
  gboolean         ok;
} CheckpointCall;

static gpointer
checkpoint_thread (gpointer data)
{
  CheckpointCall *call = data;
  g_autoptr(GError) error = NULL;
  guint attempt = haul_store_begin_attempt (call->store, 2);

  call->ok = haul_store_record_checkpoint (call->store, 2, attempt, call->state, &error);
  g_assert_no_error (error);
  return NULL;
}

static void
test_store_v5 (void)
{
  g_autofree char *tmpdir = haul_test_make_tmpdir ();
  g_autofree char *folder = g_build_filename (tmpdir, "Downloads", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "data", "downloads.db", NULL);
  g_autofree char *version = NULL;
  g_autofree char *column = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulStore) store = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  HaulDownload *song, *get, *data;

  write_v5_database (path, folder);
  store = haul_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_null (haul_store_get_recovered_path (store));
  version = sql_text (path, "PRAGMA user_version;");
  g_assert_cmpstr (version, ==, "6");

  /* Old rows get their kind from what is known of them. */
  loaded = haul_store_load (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 3);
  song = g_ptr_array_index (loaded, 0);
  get = g_ptr_array_index (loaded, 1);
  data = g_ptr_array_index (loaded, 2);
  g_assert_cmpint (haul_download_get_category (song), ==, HAUL_CATEGORY_MUSIC);
  g_assert_cmpint (haul_download_get_category (get), ==, HAUL_CATEGORY_DOCUMENTS);
  g_assert_cmpint (haul_download_get_category (data), ==, HAUL_CATEGORY_OTHER);
  for (guint i = 0; i < loaded->len; i++)
    {
      HaulDownload *download = g_ptr_array_index (loaded, i);

      g_assert_false (haul_download_get_by_category (download));
      g_assert_cmpstr (haul_download_get_folder (download), ==, folder);
    }

  /* The new columns: saved and read back. */
  haul_download_set_category (data, HAUL_CATEGORY_PROGRAMS);
  haul_download_set_by_category (data, TRUE);
  haul_store_save (store, data);
  /* A checkpoint records the folder its partial was made in. */
  {
    g_autoptr(HaulResumeState) state =
      haul_resume_state_copy (haul_download_get_resume_state (get));
    g_autofree char *elsewhere = g_build_filename (tmpdir, "Documents", NULL);
    CheckpointCall call = { store, NULL, FALSE };
    GThread *thread;

    g_free (state->folder);
    state->folder = g_strdup (elsewhere);
    g_free (state->partial_path);
    state->partial_path = g_build_filename (elsewhere, "get.part", NULL);
    state->category = HAUL_CATEGORY_DOCUMENTS;
    call.state = state;
    thread = g_thread_new ("checkpoint", checkpoint_thread, &call);
    g_thread_join (thread);
    g_assert_true (call.ok);
  }
  g_assert_true (haul_store_sync (store));
  column = sql_text (path, "SELECT category || ' ' || by_category FROM downloads WHERE id = 3;");
  g_assert_cmpstr (column, ==, "programs 1");
  g_clear_pointer (&column, g_free);
  column = sql_text (path, "SELECT category FROM downloads WHERE id = 1;");
  g_assert_null (column);

  g_clear_pointer (&loaded, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&store));
  store = haul_store_new (path, &error);
  g_assert_no_error (error);
  loaded = haul_store_load (store, &error);
  g_assert_no_error (error);
  data = g_ptr_array_index (loaded, 2);
  get = g_ptr_array_index (loaded, 1);
  g_assert_cmpint (haul_download_get_category (data), ==, HAUL_CATEGORY_PROGRAMS);
  g_assert_true (haul_download_get_by_category (data));
  {
    g_autofree char *elsewhere = g_build_filename (tmpdir, "Documents", NULL);

    g_assert_cmpstr (haul_download_get_folder (get), ==, elsewhere);
  }
  g_clear_pointer (&loaded, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&store));
  haul_test_remove_tree (tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/engine/category/content-type", test_content_type);
  g_test_add_func ("/haul/engine/category/file", test_file);
  g_test_add_func ("/haul/engine/category/strings", test_strings);
  g_test_add_func ("/haul/engine/category/folders", test_folders);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/haul/engine/category/queue/by-name", test_queue_by_name);
  ADD ("/haul/engine/category/queue/by-answer", test_queue_by_answer);
  ADD ("/haul/engine/category/queue/as-given", test_queue_as_given);
  ADD ("/haul/engine/category/queue/never-moves", test_queue_never_moves);
  ADD ("/haul/engine/category/queue/folder-missing", test_queue_folder_missing);
#undef ADD
  g_test_add_func ("/haul/engine/category/store/v5", test_store_v5);

  return g_test_run ();
}
