/* haul-category.h: which kind of file a download is, and its folder
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * HaulCategory:
 * @HAUL_CATEGORY_OTHER: no known kind (or not known yet): the download folder
 * @HAUL_CATEGORY_DOCUMENTS: text, PDF, office files, e-books
 * @HAUL_CATEGORY_PICTURES: images
 * @HAUL_CATEGORY_MUSIC: audio
 * @HAUL_CATEGORY_VIDEOS: video
 * @HAUL_CATEGORY_ARCHIVES: zip, tar and compressed files
 * @HAUL_CATEGORY_PROGRAMS: installers, packages, disk images, executables
 *
 * Recorded by name (haul_category_to_string()), never by number.
 */
typedef enum
{
  HAUL_CATEGORY_OTHER,
  HAUL_CATEGORY_DOCUMENTS,
  HAUL_CATEGORY_PICTURES,
  HAUL_CATEGORY_MUSIC,
  HAUL_CATEGORY_VIDEOS,
  HAUL_CATEGORY_ARCHIVES,
  HAUL_CATEGORY_PROGRAMS,
} HaulCategory;

#define HAUL_N_CATEGORIES (HAUL_CATEGORY_PROGRAMS + 1)

#define HAUL_TYPE_CATEGORY (haul_category_get_type ())
GType         haul_category_get_type         (void);

/* "other", "documents", "pictures", … : stable, for the store and settings. */
const char   *haul_category_to_string        (HaulCategory  category);
gboolean      haul_category_from_string      (const char   *name,
                                              HaulCategory *category);
/* "Documents", … translated; also the default folder's name. */
const char   *haul_category_get_label        (HaulCategory  category);

/* The kind of a MIME type ("image/png" → pictures; parameters ignored).
 * Web pages and scripts (text/html, PHP) say nothing about what a link
 * sends: other. */
HaulCategory  haul_category_for_content_type (const char   *content_type);
/* The kind of a file: from its name's extension (the MIME database's
 * globs), else from the server's @content_type (nullable). An uncertain
 * guess from the name ("a.ogg": audio or video) gives way to a server
 * type that names a kind. Any thread. */
HaulCategory  haul_category_for_file         (const char   *name,
                                              const char   *content_type);

/* A folder per category, what the queue is given when categories are
 * on. OTHER's folder is the download folder itself. */
typedef struct _HaulCategoryFolders HaulCategoryFolders;

#define HAUL_TYPE_CATEGORY_FOLDERS (haul_category_folders_get_type ())
GType                haul_category_folders_get_type (void) G_GNUC_CONST;

/* Every category in the default folder below @download_folder: see
 * haul_category_default_folder(). */
HaulCategoryFolders *haul_category_folders_new   (const char                *download_folder);
HaulCategoryFolders *haul_category_folders_copy  (const HaulCategoryFolders *folders);
void                 haul_category_folders_free  (HaulCategoryFolders       *folders);
gboolean             haul_category_folders_equal (const HaulCategoryFolders *a,
                                                  const HaulCategoryFolders *b);
/* @folder NULL or "": the default one again. OTHER cannot be changed
 * here (it is the download folder). */
void                 haul_category_folders_set   (HaulCategoryFolders       *folders,
                                                  HaulCategory               category,
                                                  const char                *folder);
const char          *haul_category_folders_get   (const HaulCategoryFolders *folders,
                                                  HaulCategory               category);

/* Where @category goes by default: a folder named after it inside the
 * download folder ("~/Downloads/Pictures"); OTHER: the download folder. */
char                *haul_category_default_folder (HaulCategory  category,
                                                   const char   *download_folder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulCategoryFolders, haul_category_folders_free)

G_END_DECLS
