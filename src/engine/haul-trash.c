/* haul-trash.c: a downloaded file to the trash, and back
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GLib moves a file to the trash by itself (g_file_trash(): the
 * freedesktop.org trash of its disk). Putting one back has no GLib call:
 * - With GVfs, trash:/// lists the trash, each item with the path it came
 *   from (trash::orig-path); the newest one from our path is moved back.
 * - Without GVfs (a plain Debian system may lack it, and trash:/// then
 *   does not exist), the same trash is read the way GVfs reads it, by the
 *   freedesktop.org Trash specification: TRASH/info/NAME.trashinfo holds
 *   "Path=" (URI-escaped; relative to the disk's top folder in a trash on
 *   another disk than the home folder's) and "DeletionDate=", and
 *   TRASH/files/NAME is the file. GLib names it after the file, or
 *   "STEM.N.EXT" when that is taken, so only entries named like the file
 *   are read.
 * Nothing is ever put back over a file that has the name now.
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "haul-trash.h"

typedef void (*ThreadFunc) (const char    *path,
                            GCancellable  *cancellable,
                            GError       **error);

typedef struct
{
  ThreadFunc  func;
  char       *path;  /* (owned) */
} Job;

static void
job_free (Job *job)
{
  g_free (job->path);
  g_free (job);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;

  job->func (job->path, cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
start (gpointer             source_tag,
       ThreadFunc           func,
       const char          *path,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->func = func;
  job->path = g_strdup (path);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, run_thread);
}

static gboolean
finish (GAsyncResult  *result,
        gpointer       source_tag,
        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static char *
display_name (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);

  return g_filename_display_name (base);
}

/* To the trash ------------------------------------------------------------- */

static void
trash_thread (const char    *path,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local = NULL;
  g_autofree char *name = display_name (path);

  if (g_file_trash (file, cancellable, &local))
    return;
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local));
  else if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("“%s” is not there any more"), name);
  else
    /* Translators: %s is the file's name, then the system's reason. */
    g_set_error (error, G_IO_ERROR, local->code,
                 _("“%s” cannot be moved to the trash: %s"), name, local->message);
}

void
haul_trash_file_async (const char          *path,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (path != NULL && g_path_is_absolute (path));
  start (haul_trash_file_async, trash_thread, path, cancellable, callback, user_data);
}

gboolean
haul_trash_file_finish (GAsyncResult  *result,
                        GError       **error)
{
  return finish (result, haul_trash_file_async, error);
}

/* For good -------------------------------------------------------------- */

static void
delete_thread (const char    *path,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local = NULL;
  g_autofree char *name = display_name (path);

  if (g_file_delete (file, cancellable, &local))
    return;
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local));
  else
    /* Translators: %s is the file's name, then the system's reason. */
    g_set_error (error, G_IO_ERROR, local->code,
                 _("“%s” could not be deleted: %s"), name, local->message);
}

void
haul_trash_delete_async (const char          *path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (path != NULL && g_path_is_absolute (path));
  start (haul_trash_delete_async, delete_thread, path, cancellable, callback, user_data);
}

gboolean
haul_trash_delete_finish (GAsyncResult  *result,
                          GError       **error)
{
  return finish (result, haul_trash_delete_async, error);
}

/* Back from the trash ----------------------------------------------------- */

typedef struct
{
  GFile  *item;       /* (owned) (nullable) the file in the trash */
  char   *info_path;  /* (owned) (nullable) its .trashinfo, without GVfs */
  gint64  when;       /* deletion time, unix seconds */
  guint   n;          /* GLib's number for the name: 1 for NAME, N for NAME.N */
} Found;

static void
found_clear (Found *found)
{
  g_clear_object (&found->item);
  g_clear_pointer (&found->info_path, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Found, found_clear)

/* The newest one wins; within a second, the one GLib named last. */
static void
consider (Found      *best,
          GFile      *item,
          const char *info_path,
          gint64      when,
          guint       n)
{
  if (best->item != NULL && (when < best->when || (when == best->when && n < best->n)))
    return;
  found_clear (best);
  best->item = g_object_ref (item);
  best->info_path = g_strdup (info_path);
  best->when = when;
  best->n = n;
}

/* GLib names the trashed "NAME.EXT" after it, or "NAME.N.EXT" when that
 * is taken: N (1 for the name itself), or 0 if @trashed is not named
 * after @base at all. Other programs may number differently: a name that
 * starts like @base is read (its Path decides), with the number 1. */
static guint
trash_number (const char *trashed,
              const char *base)
{
  const char *dot = strrchr (base, '.');
  gsize stem = dot != NULL && dot != base ? (gsize) (dot - base) : strlen (base);
  const char *rest;
  const char *end;
  guint64 n;

  if (strcmp (trashed, base) == 0)
    return 1;
  if (strncmp (trashed, base, stem) != 0)
    return 0;
  rest = trashed + stem;
  if (*rest != '.' || !g_ascii_isdigit (rest[1]))
    return 1;
  end = rest + 1;
  while (g_ascii_isdigit (*end))
    end++;
  if (g_strcmp0 (end, base + stem) != 0 && *end != '\0')
    return 1;
  {
    g_autofree char *digits = g_strndup (rest + 1, end - rest - 1);

    if (!g_ascii_string_to_unsigned (digits, 10, 2, G_MAXUINT, &n, NULL))
      return 1;
  }
  return (guint) n;
}

static gint64
parse_deletion_date (const char *text)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) date = text != NULL ? g_date_time_new_from_iso8601 (text, local) : NULL;

  return date != NULL ? g_date_time_to_unix (date) : 0;
}

/* With GVfs: trash:/// and trash::orig-path. */
static gboolean
find_with_vfs (const char    *path,
               Found         *best,
               GCancellable  *cancellable)
{
  const char * const *schemes = g_vfs_get_supported_uri_schemes (g_vfs_get_default ());
  g_autoptr(GFile) trash = NULL;
  g_autoptr(GFileEnumerator) children = NULL;
  g_autofree char *base = g_path_get_basename (path);
  GFileInfo *info;

  if (schemes == NULL || !g_strv_contains (schemes, "trash"))
    return FALSE;
  trash = g_file_new_for_uri ("trash:///");
  children = g_file_enumerate_children (trash,
                                        G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_TRASH_ORIG_PATH ","
                                        G_FILE_ATTRIBUTE_TRASH_DELETION_DATE,
                                        G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  if (children == NULL)
    return FALSE;

  while ((info = g_file_enumerator_next_file (children, cancellable, NULL)) != NULL)
    {
      g_autoptr(GFileInfo) owned = info;
      const char *orig = g_file_info_get_attribute_byte_string (info,
                                                                 G_FILE_ATTRIBUTE_TRASH_ORIG_PATH);
      g_autoptr(GDateTime) date = g_file_info_get_deletion_date (info);
      g_autoptr(GFile) item = NULL;

      if (g_strcmp0 (orig, path) != 0)
        continue;
      item = g_file_get_child (trash, g_file_info_get_name (info));
      consider (best, item, NULL, date != NULL ? g_date_time_to_unix (date) : 0,
                MAX (1, trash_number (g_file_info_get_name (info), base)));
    }
  return TRUE;
}

/* Without GVfs: one trash folder of the specification. @topdir: the disk's
 * top folder, which relative "Path=" lines are relative to. */
static void
scan_trash_folder (const char *trash_dir,
                   const char *topdir,
                   const char *path,
                   Found      *best)
{
  g_autofree char *info_dir = g_build_filename (trash_dir, "info", NULL);
  g_autofree char *files_dir = g_build_filename (trash_dir, "files", NULL);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GDir) dir = g_dir_open (info_dir, 0, NULL);
  const char *entry;

  if (dir == NULL)
    return;
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(GKeyFile) key_file = g_key_file_new ();
      g_autofree char *trash_name = NULL;
      g_autofree char *info_path = NULL;
      g_autofree char *escaped = NULL;
      g_autofree char *orig = NULL;
      g_autofree char *full = NULL;
      g_autofree char *date = NULL;
      g_autofree char *item_path = NULL;
      g_autoptr(GFile) item = NULL;
      guint n;

      if (!g_str_has_suffix (entry, ".trashinfo"))
        continue;
      trash_name = g_strndup (entry, strlen (entry) - strlen (".trashinfo"));
      n = trash_number (trash_name, base);
      if (n == 0)
        continue;
      info_path = g_build_filename (info_dir, entry, NULL);
      if (!g_key_file_load_from_file (key_file, info_path, G_KEY_FILE_NONE, NULL))
        continue;
      escaped = g_key_file_get_string (key_file, "Trash Info", "Path", NULL);
      orig = escaped != NULL ? g_uri_unescape_string (escaped, NULL) : NULL;
      if (orig == NULL)
        continue;
      full = g_path_is_absolute (orig) || topdir == NULL
             ? g_strdup (orig) : g_build_filename (topdir, orig, NULL);
      if (strcmp (full, path) != 0)
        continue;
      date = g_key_file_get_string (key_file, "Trash Info", "DeletionDate", NULL);
      item_path = g_build_filename (files_dir, trash_name, NULL);
      item = g_file_new_for_path (item_path);
      consider (best, item, info_path, parse_deletion_date (date), n);
    }
}

/* The top folder of the disk @folder is on. */
static char *
find_topdir (const char *folder)
{
  g_autofree char *current = g_strdup (folder);
  GStatBuf st;
  dev_t dev;

  if (g_stat (current, &st) != 0)
    return NULL;
  dev = st.st_dev;
  for (;;)
    {
      g_autofree char *parent = g_path_get_dirname (current);

      if (strcmp (parent, current) == 0 || g_stat (parent, &st) != 0 || st.st_dev != dev)
        return g_steal_pointer (&current);
      g_free (current);
      current = g_steal_pointer (&parent);
    }
}

static void
find_in_folders (const char *path,
                 Found      *best)
{
  g_autofree char *home_trash = g_build_filename (g_get_user_data_dir (), "Trash", NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *topdir = find_topdir (folder);
  g_autofree char *uid = g_strdup_printf ("%u", (guint) getuid ());
  g_autofree char *dot_trash_uid = NULL;
  g_autofree char *shared = NULL;

  scan_trash_folder (home_trash, NULL, path, best);
  if (topdir == NULL)
    return;
  shared = g_build_filename (topdir, ".Trash", uid, NULL);
  dot_trash_uid = g_strdup_printf ("%s/.Trash-%s", topdir, uid);
  if (strcmp (shared, home_trash) != 0)
    scan_trash_folder (shared, topdir, path, best);
  if (strcmp (dot_trash_uid, home_trash) != 0)
    scan_trash_folder (dot_trash_uid, topdir, path, best);
}

static void
restore_thread (const char    *path,
                GCancellable  *cancellable,
                GError       **error)
{
  g_auto(Found) best = { 0 };
  g_autoptr(GFile) target = g_file_new_for_path (path);
  g_autoptr(GError) local = NULL;
  g_autofree char *name = display_name (path);

  if (!find_with_vfs (path, &best, cancellable))
    find_in_folders (path, &best);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return;
  if (best.item == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The trash does not hold “%s” any more"), name);
      return;
    }

  /* Without G_FILE_COPY_OVERWRITE: a file that has the name now stays. */
  if (!g_file_move (best.item, target, G_FILE_COPY_NOFOLLOW_SYMLINKS | G_FILE_COPY_ALL_METADATA,
                    cancellable, NULL, NULL, &local))
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_EXISTS))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                     _("“%s” was not put back: another file has its name now"), name);
      else if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local));
      else
        /* Translators: %s is the file's name, then the system's reason. */
        g_set_error (error, G_IO_ERROR, local->code,
                     _("“%s” could not be put back from the trash: %s"), name, local->message);
      return;
    }
  if (best.info_path != NULL)
    g_unlink (best.info_path);
}

void
haul_trash_restore_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (path != NULL && g_path_is_absolute (path));
  start (haul_trash_restore_async, restore_thread, path, cancellable, callback, user_data);
}

gboolean
haul_trash_restore_finish (GAsyncResult  *result,
                           GError       **error)
{
  return finish (result, haul_trash_restore_async, error);
}
