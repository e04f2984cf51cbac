/* haul-category.c: which kind of file a download is, and its folder
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kind comes from the MIME type the desktop would give the file: the
 * shared MIME database's globs for its name (g_content_type_guess()), and
 * the server's Content-Type where the name says nothing. Only the mapping
 * from a MIME type to one of six folders is Haul's own; subclasses
 * (g_content_type_is_a()) keep it short: a .tar.gz is an
 * application/gzip, and a .docx or .apk an application/zip that is a
 * document or a program first, so those are asked before archives.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "haul-category.h"

G_DEFINE_ENUM_TYPE (HaulCategory, haul_category,
                    G_DEFINE_ENUM_VALUE (HAUL_CATEGORY_OTHER, "other"),
                    G_DEFINE_ENUM_VALUE (HAUL_CATEGORY_DOCUMENTS, "documents"),
                    G_DEFINE_ENUM_VALUE (HAUL_CATEGORY_PICTURES, "pictures"),
                    G_DEFINE_ENUM_VALUE (HAUL_CATEGORY_MUSIC, "music"),
                    G_DEFINE_ENUM_VALUE (HAUL_CATEGORY_VIDEOS, "videos"),
                    G_DEFINE_ENUM_VALUE (HAUL_CATEGORY_ARCHIVES, "archives"),
                    G_DEFINE_ENUM_VALUE (HAUL_CATEGORY_PROGRAMS, "programs"))

static const char * const names[HAUL_N_CATEGORIES] = {
  [HAUL_CATEGORY_OTHER] = "other",
  [HAUL_CATEGORY_DOCUMENTS] = "documents",
  [HAUL_CATEGORY_PICTURES] = "pictures",
  [HAUL_CATEGORY_MUSIC] = "music",
  [HAUL_CATEGORY_VIDEOS] = "videos",
  [HAUL_CATEGORY_ARCHIVES] = "archives",
  [HAUL_CATEGORY_PROGRAMS] = "programs",
};

static const char * const labels[HAUL_N_CATEGORIES] = {
  [HAUL_CATEGORY_OTHER] = N_("Other"),
  [HAUL_CATEGORY_DOCUMENTS] = N_("Documents"),
  [HAUL_CATEGORY_PICTURES] = N_("Pictures"),
  [HAUL_CATEGORY_MUSIC] = N_("Music"),
  [HAUL_CATEGORY_VIDEOS] = N_("Videos"),
  [HAUL_CATEGORY_ARCHIVES] = N_("Archives"),
  [HAUL_CATEGORY_PROGRAMS] = N_("Programs"),
};

const char *
haul_category_to_string (HaulCategory category)
{
  if ((guint) category >= HAUL_N_CATEGORIES)
    category = HAUL_CATEGORY_OTHER;
  return names[category];
}

gboolean
haul_category_from_string (const char   *name,
                           HaulCategory *category)
{
  g_return_val_if_fail (category != NULL, FALSE);

  for (guint i = 0; name != NULL && i < HAUL_N_CATEGORIES; i++)
    if (strcmp (name, names[i]) == 0)
      {
        *category = i;
        return TRUE;
      }
  return FALSE;
}

const char *
haul_category_get_label (HaulCategory category)
{
  if ((guint) category >= HAUL_N_CATEGORIES)
    category = HAUL_CATEGORY_OTHER;
  return _(labels[category]);
}

/* From the MIME type ------------------------------------------------------ */

/* A script's address or a page: what it sends is told by its answer. */
static const char * const web_types[] = {
  "text/html", "application/xhtml+xml", "application/x-php", "application/x-asp", NULL,
};

static const char * const document_types[] = {
  "application/pdf", "application/postscript", "application/rtf", "application/epub+zip",
  "application/x-mobipocket-ebook", "application/vnd.amazon.ebook", "image/vnd.djvu",
  "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint", NULL,
};

static const char * const document_prefixes[] = {
  "text/", "application/vnd.oasis.opendocument.", "application/vnd.openxmlformats-officedocument.",
  NULL,
};

/* Installers, packages and the disk images systems come on; compared
 * exactly: every script (even .json) is a subclass of x-executable. */
static const char * const program_types[] = {
  "application/x-ms-dos-executable", "application/x-msdownload", "application/x-msi",
  "application/vnd.microsoft.portable-executable", "application/vnd.debian.binary-package",
  "application/x-rpm", "application/vnd.appimage", "application/vnd.flatpak",
  "application/vnd.flatpak.ref", "application/vnd.flatpak.repo", "application/vnd.snap",
  "application/x-cd-image", "application/x-raw-disk-image", "application/x-apple-diskimage",
  "application/vnd.android.package-archive", "application/x-java-archive",
  "application/x-executable", "application/x-shellscript", NULL,
};

static const char * const archive_types[] = {
  "application/zip", "application/x-tar", "application/gzip", "application/x-bzip",
  "application/x-bzip2", "application/x-xz", "application/zstd", "application/x-7z-compressed",
  "application/vnd.rar", "application/x-lzma", "application/x-lzip", "application/x-lz4",
  "application/x-compress", "application/x-cpio", "application/vnd.ms-cab-compressed", NULL,
};

/* One of @list (aliases too: "application/x-gzip" is "application/gzip"),
 * or with @subclasses a kind of one. */
static gboolean
is_any (const char         *type,
        const char * const *list,
        gboolean            subclasses)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (subclasses ? g_content_type_is_a (type, list[i]) : g_content_type_equals (type, list[i]))
      return TRUE;
  return FALSE;
}

static gboolean
has_any_prefix (const char         *type,
                const char * const *prefixes)
{
  for (guint i = 0; prefixes[i] != NULL; i++)
    if (g_str_has_prefix (type, prefixes[i]))
      return TRUE;
  return FALSE;
}

HaulCategory
haul_category_for_content_type (const char *content_type)
{
  g_autofree char *type = NULL;
  char *semicolon;

  if (content_type == NULL)
    return HAUL_CATEGORY_OTHER;

  /* "Application/PDF; charset=binary" → "application/pdf" */
  type = g_ascii_strdown (content_type, -1);
  semicolon = strchr (type, ';');
  if (semicolon != NULL)
    *semicolon = '\0';
  g_strstrip (type);
  if (*type == '\0' || g_content_type_is_unknown (type))
    return HAUL_CATEGORY_OTHER;

  if (is_any (type, web_types, FALSE))
    return HAUL_CATEGORY_OTHER;
  if (is_any (type, program_types, FALSE))
    return HAUL_CATEGORY_PROGRAMS;
  if (has_any_prefix (type, document_prefixes) || is_any (type, document_types, FALSE))
    return HAUL_CATEGORY_DOCUMENTS;
  if (g_str_has_prefix (type, "image/"))
    return HAUL_CATEGORY_PICTURES;
  if (g_str_has_prefix (type, "audio/"))
    return HAUL_CATEGORY_MUSIC;
  if (g_str_has_prefix (type, "video/"))
    return HAUL_CATEGORY_VIDEOS;
  if (is_any (type, archive_types, TRUE))
    return HAUL_CATEGORY_ARCHIVES;
  /* XML, JSON, subtitles: text of some kind (after pictures: SVG is too). */
  if (g_content_type_is_a (type, "text/plain"))
    return HAUL_CATEGORY_DOCUMENTS;
  return HAUL_CATEGORY_OTHER;
}

HaulCategory
haul_category_for_file (const char *name,
                        const char *content_type)
{
  HaulCategory by_name = HAUL_CATEGORY_OTHER;
  HaulCategory by_server;
  gboolean uncertain = TRUE;

  if (name != NULL && *name != '\0')
    {
      g_autofree char *type = g_content_type_guess (name, NULL, 0, &uncertain);

      by_name = haul_category_for_content_type (type);
    }
  by_server = haul_category_for_content_type (content_type);

  /* The name is what the file will be opened by; a server's type only
   * decides where the name cannot. */
  if (by_name != HAUL_CATEGORY_OTHER && (!uncertain || by_server == HAUL_CATEGORY_OTHER))
    return by_name;
  return by_server;
}

/* Folders ----------------------------------------------------------------- */

struct _HaulCategoryFolders
{
  char *folders[HAUL_N_CATEGORIES];   /* (owned) each; [OTHER] the download folder */
};

G_DEFINE_BOXED_TYPE (HaulCategoryFolders, haul_category_folders,
                     haul_category_folders_copy, haul_category_folders_free)

char *
haul_category_default_folder (HaulCategory  category,
                              const char   *download_folder)
{
  g_return_val_if_fail (download_folder != NULL, NULL);

  if (category == HAUL_CATEGORY_OTHER || (guint) category >= HAUL_N_CATEGORIES)
    return g_strdup (download_folder);
  return g_build_filename (download_folder, haul_category_get_label (category), NULL);
}

HaulCategoryFolders *
haul_category_folders_new (const char *download_folder)
{
  HaulCategoryFolders *folders;

  g_return_val_if_fail (download_folder != NULL, NULL);

  folders = g_new0 (HaulCategoryFolders, 1);
  for (guint i = 0; i < HAUL_N_CATEGORIES; i++)
    folders->folders[i] = haul_category_default_folder (i, download_folder);
  return folders;
}

HaulCategoryFolders *
haul_category_folders_copy (const HaulCategoryFolders *folders)
{
  HaulCategoryFolders *copy;

  g_return_val_if_fail (folders != NULL, NULL);

  copy = g_new0 (HaulCategoryFolders, 1);
  for (guint i = 0; i < HAUL_N_CATEGORIES; i++)
    copy->folders[i] = g_strdup (folders->folders[i]);
  return copy;
}

void
haul_category_folders_free (HaulCategoryFolders *folders)
{
  if (folders == NULL)
    return;
  for (guint i = 0; i < HAUL_N_CATEGORIES; i++)
    g_free (folders->folders[i]);
  g_free (folders);
}

gboolean
haul_category_folders_equal (const HaulCategoryFolders *a,
                             const HaulCategoryFolders *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  for (guint i = 0; i < HAUL_N_CATEGORIES; i++)
    if (g_strcmp0 (a->folders[i], b->folders[i]) != 0)
      return FALSE;
  return TRUE;
}

void
haul_category_folders_set (HaulCategoryFolders *folders,
                           HaulCategory         category,
                           const char          *folder)
{
  g_return_if_fail (folders != NULL);
  g_return_if_fail ((guint) category < HAUL_N_CATEGORIES);
  g_return_if_fail (category != HAUL_CATEGORY_OTHER);

  g_free (folders->folders[category]);
  if (folder != NULL && *folder != '\0')
    folders->folders[category] = g_strdup (folder);
  else
    folders->folders[category] = haul_category_default_folder (
      category, folders->folders[HAUL_CATEGORY_OTHER]);
}

const char *
haul_category_folders_get (const HaulCategoryFolders *folders,
                           HaulCategory               category)
{
  g_return_val_if_fail (folders != NULL, NULL);

  if ((guint) category >= HAUL_N_CATEGORIES)
    category = HAUL_CATEGORY_OTHER;
  return folders->folders[category];
}
