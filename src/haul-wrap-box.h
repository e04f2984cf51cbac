/* haul-wrap-box.h: children side by side when they fit, one above the other when not
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HAUL_TYPE_WRAP_BOX (haul_wrap_box_get_type ())
G_DECLARE_FINAL_TYPE (HaulWrapBox, haul_wrap_box, HAUL, WRAP_BOX, GtkWidget)

/* An adaptive box for libadwaita 1.2 (no AdwBreakpoint): its children
 * stand in one row when the width holds all their minimum widths, the
 * extra going to those that expand horizontally; otherwise each gets a row
 * of its own, at the full width. So the box needs only as much width as its
 * widest child. Children are added with <child> in a .ui file or
 * gtk_widget_set_parent().
 *
 * Properties: spacing (int ≥ 0): between children, across and down. */
GtkWidget *haul_wrap_box_new         (void);
int        haul_wrap_box_get_spacing (HaulWrapBox *self);
void       haul_wrap_box_set_spacing (HaulWrapBox *self,
                                      int          spacing);
/* Whether the children stand in one row at the current width. */
gboolean   haul_wrap_box_is_wrapped  (HaulWrapBox *self);

G_END_DECLS
