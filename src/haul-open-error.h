/* haul-open-error.h: why a file could not be opened, in words
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "haul-download.h"

G_BEGIN_DECLS

/* What a person can act on, for an error of g_app_info_launch_default_for_uri()
 * on @path: "There is no app installed for “PDF document” files." The
 * system's own text (error->message) is for the details. @content_type
 * (nullable) is the server's type; else the name decides. */
char      *haul_describe_open_error (const char   *path,
                                     const char   *content_type,
                                     const GError *error);

/* Tells it in a dialog over @parent (nullable): the words, and a Details
 * response opening @download's details (nullable: the system's text is
 * shown in the dialog itself) with the whole message. Returns the dialog
 * (owned by the window system). */
GtkWidget *haul_present_open_error  (GtkWindow    *parent,
                                     HaulDownload *download,
                                     const char   *path,
                                     const GError *error);

G_END_DECLS
