/* haul-list-slot.c: one position of the download list, and what it shows
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-list-slot.h"

struct _HaulListSlot
{
  GObject       parent_instance;

  guint         position;
  HaulDownload *download;  /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (HaulListSlot, haul_list_slot, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DOWNLOAD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

guint
haul_list_slot_get_position (HaulListSlot *self)
{
  g_return_val_if_fail (HAUL_IS_LIST_SLOT (self), 0);

  return self->position;
}

void
haul_list_slot_set_position (HaulListSlot *self,
                             guint         position)
{
  g_return_if_fail (HAUL_IS_LIST_SLOT (self));

  self->position = position;
}

HaulDownload *
haul_list_slot_get_download (HaulListSlot *self)
{
  g_return_val_if_fail (HAUL_IS_LIST_SLOT (self), NULL);

  return self->download;
}

void
haul_list_slot_set_download (HaulListSlot *self,
                             HaulDownload *download)
{
  g_return_if_fail (HAUL_IS_LIST_SLOT (self));
  g_return_if_fail (download == NULL || HAUL_IS_DOWNLOAD (download));

  if (g_set_object (&self->download, download))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD]);
}

static void
haul_list_slot_finalize (GObject *object)
{
  HaulListSlot *self = HAUL_LIST_SLOT (object);

  g_clear_object (&self->download);

  G_OBJECT_CLASS (haul_list_slot_parent_class)->finalize (object);
}

static void
haul_list_slot_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HaulListSlot *self = HAUL_LIST_SLOT (object);

  switch (prop_id)
    {
    case PROP_DOWNLOAD:
      g_value_set_object (value, self->download);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_list_slot_class_init (HaulListSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = haul_list_slot_finalize;
  object_class->get_property = haul_list_slot_get_property;

  properties[PROP_DOWNLOAD] =
    g_param_spec_object ("download", NULL, NULL, HAUL_TYPE_DOWNLOAD,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
haul_list_slot_init (HaulListSlot *self)
{
}

HaulListSlot *
haul_list_slot_new (guint position)
{
  HaulListSlot *self = g_object_new (HAUL_TYPE_LIST_SLOT, NULL);

  self->position = position;
  return self;
}
