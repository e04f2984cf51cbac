/* haul-write-error-bar.c: a bar over the list while history is not being saved
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store keeps failed writes and tries them again (haul-store.c, rule
 * 5); what a person needs is to know, in the window and not only in a log,
 * that a restart now would lose what they see, and why. libadwaita 1.2 has
 * no AdwBanner: a revealer with a styled box does the same.
 */

#include "config.h"

#include "haul-write-error-bar.h"

struct _HaulWriteErrorBar
{
  GtkWidget    parent_instance;

  HaulStore   *store;     /* (owned) (nullable) */
  gulong       notify_id;

  GtkRevealer *revealer;
  GtkLabel    *label;
};

G_DEFINE_FINAL_TYPE (HaulWriteErrorBar, haul_write_error_bar, GTK_TYPE_WIDGET)

static void
update (HaulWriteErrorBar *self)
{
  const char *message = self->store != NULL ? haul_store_get_write_error (self->store) : NULL;
  gboolean shown = message != NULL && *message != '\0';

  /* The words stay while it slides away. */
  if (shown)
    {
      gtk_label_set_label (self->label, message);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->label),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, message, -1);
    }
  gtk_revealer_set_reveal_child (self->revealer, shown);
}

void
haul_write_error_bar_set_store (HaulWriteErrorBar *self,
                                HaulStore         *store)
{
  g_return_if_fail (HAUL_IS_WRITE_ERROR_BAR (self));
  g_return_if_fail (store == NULL || HAUL_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_clear_signal_handler (&self->notify_id, self->store);
  g_set_object (&self->store, store);
  if (store != NULL)
    self->notify_id = g_signal_connect_object (store, "notify::write-error", G_CALLBACK (update),
                                               self, G_CONNECT_SWAPPED);
  update (self);
}

const char *
haul_write_error_bar_get_message (HaulWriteErrorBar *self)
{
  g_return_val_if_fail (HAUL_IS_WRITE_ERROR_BAR (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->revealer))
    return NULL;
  return gtk_label_get_label (self->label);
}

static void
haul_write_error_bar_dispose (GObject *object)
{
  HaulWriteErrorBar *self = HAUL_WRITE_ERROR_BAR (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->notify_id, self->store);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), HAUL_TYPE_WRITE_ERROR_BAR);

  G_OBJECT_CLASS (haul_write_error_bar_parent_class)->dispose (object);
}

static void
haul_write_error_bar_class_init (HaulWriteErrorBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = haul_write_error_bar_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/haul-write-error-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, HaulWriteErrorBar, revealer);
  gtk_widget_class_bind_template_child (widget_class, HaulWriteErrorBar, label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
haul_write_error_bar_init (HaulWriteErrorBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
