/* haul-html-scan.h: the links and the text of a page or a selection
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  HAUL_HTML_LINK,  /* <a href>, <area href>: value is the href */
  HAUL_HTML_BASE,  /* <base href>: value is the href */
  HAUL_HTML_TEXT,  /* a run of text between tags, entities decoded */
} HaulHtmlKind;

typedef struct
{
  char         *value;  /* (owned) href (cleaned, entities decoded) or text */
  HaulHtmlKind  kind;
} HaulHtmlPiece;

/* The links of @text and the text between them, in document order. The
 * text of a link element is its label, not a piece of its own (pages
 * often show the address cut short there). Runs of text end at block
 * tags; text without ':' or '.' (no address can be in it) is left out. */
GArray *haul_html_scan (const char *text);

G_END_DECLS
