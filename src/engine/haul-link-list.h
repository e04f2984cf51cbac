/* haul-link-list.h: what a parse found — links, rejected pieces, browsers' partials
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *text;    /* (owned) the piece as it was found, shortened for display */
  char *reason;  /* (owned) translated: why it was not accepted */
} HaulRejectedLink;

typedef struct
{
  GPtrArray *urls;      /* (element-type utf8) normalised, duplicates removed, in order */
  GPtrArray *rejected;  /* (element-type HaulRejectedLink) */
  GPtrArray *partials;  /* (element-type filename) browsers' partial downloads named in a
                         * text/uri-list (haul_naming_browser_partial()), absolute, unread */
} HaulLinkList;

HaulLinkList *haul_link_list_new   (void);
void          haul_link_list_free  (HaulLinkList *list);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulLinkList, haul_link_list_free)

/* Appends the links of @other to @list, skipping duplicates. */
void          haul_link_list_merge (HaulLinkList *list,
                                    HaulLinkList *other);

G_END_DECLS
