/* haul-wrap-box.c: children side by side when they fit, one above the other when not
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-wrap-box.h"

struct _HaulWrapBox
{
  GtkWidget parent_instance;

  int       spacing;
  gboolean  wrapped;  /* as last allocated */
};

G_DEFINE_FINAL_TYPE (HaulWrapBox, haul_wrap_box, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint
count_visible (HaulWrapBox *self)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += gtk_widget_should_layout (child);

  return n;
}

/* The width the children need side by side, at their minimum. */
static int
row_minimum (HaulWrapBox *self)
{
  guint n = count_visible (self);
  int sum = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int minimum = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      sum += minimum;
    }

  return sum + (n > 1 ? (int) (n - 1) * self->spacing : 0);
}

static gboolean
fits_in_row (HaulWrapBox *self,
             int          width)
{
  return width < 0 || row_minimum (self) <= width;
}

static GtkSizeRequestMode
haul_wrap_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
haul_wrap_box_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  HaulWrapBox *self = HAUL_WRAP_BOX (widget);
  gboolean in_row = orientation == GTK_ORIENTATION_VERTICAL && fits_in_row (self, for_size);
  guint n = count_visible (self);
  int min = 0;
  int nat = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min = 0;
      int child_nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;

      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          /* As narrow as the widest child; as wide as all in a row. */
          gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
          min = MAX (min, child_min);
          nat += child_nat;
        }
      else if (in_row)
        {
          gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
          min = MAX (min, child_min);
          nat = MAX (nat, child_nat);
        }
      else
        {
          gtk_widget_measure (child, orientation, for_size, &child_min, &child_nat, NULL, NULL);
          min += child_min;
          nat += child_nat;
        }
    }

  if (n > 1 && (orientation == GTK_ORIENTATION_HORIZONTAL || !in_row))
    {
      nat += (int) (n - 1) * self->spacing;
      if (orientation == GTK_ORIENTATION_VERTICAL)
        min += (int) (n - 1) * self->spacing;
    }

  *minimum = min;
  *natural = nat;
  *minimum_baseline = -1;
  *natural_baseline = -1;
}

static void
allocate_row (HaulWrapBox *self,
              int          width,
              int          height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  guint n = count_visible (self);
  g_autofree GtkRequestedSize *sizes = g_new0 (GtkRequestedSize, n);
  guint n_expand = 0;
  int extra = width - (n > 1 ? (int) (n - 1) * self->spacing : 0);
  guint i = 0;
  int x = 0;
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1,
                          &sizes[i].minimum_size, &sizes[i].natural_size, NULL, NULL);
      sizes[i].data = child;
      extra -= sizes[i].minimum_size;
      n_expand += gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL);
      i++;
    }

  /* Up to their natural widths first, then the rest to those that expand. */
  extra = gtk_distribute_natural_allocation (MAX (extra, 0), n, sizes);

  for (i = 0; i < n; i++)
    {
      GtkWidget *child = sizes[i].data;
      int child_width = sizes[i].minimum_size;

      if (n_expand > 0 && gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL))
        {
          int share = extra / (int) n_expand;

          child_width += share;
          extra -= share;
          n_expand--;
        }

      gtk_widget_size_allocate (child,
                                &(GtkAllocation) { rtl ? width - x - child_width : x, 0,
                                                   child_width, height },
                                -1);
      x += child_width + self->spacing;
    }
}

static void
allocate_stacked (HaulWrapBox *self,
                  int          width)
{
  int y = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_height = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &child_height, NULL, NULL, NULL);
      gtk_widget_size_allocate (child, &(GtkAllocation) { 0, y, width, child_height }, -1);
      y += child_height + self->spacing;
    }
}

static void
haul_wrap_box_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  HaulWrapBox *self = HAUL_WRAP_BOX (widget);

  self->wrapped = !fits_in_row (self, width);
  if (self->wrapped)
    allocate_stacked (self, width);
  else
    allocate_row (self, width, height);
}

int
haul_wrap_box_get_spacing (HaulWrapBox *self)
{
  g_return_val_if_fail (HAUL_IS_WRAP_BOX (self), 0);

  return self->spacing;
}

void
haul_wrap_box_set_spacing (HaulWrapBox *self,
                           int          spacing)
{
  g_return_if_fail (HAUL_IS_WRAP_BOX (self));
  g_return_if_fail (spacing >= 0);

  if (self->spacing == spacing)
    return;

  self->spacing = spacing;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPACING]);
}

gboolean
haul_wrap_box_is_wrapped (HaulWrapBox *self)
{
  g_return_val_if_fail (HAUL_IS_WRAP_BOX (self), FALSE);

  return self->wrapped;
}

static void
haul_wrap_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (haul_wrap_box_parent_class)->dispose (object);
}

static void
haul_wrap_box_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HaulWrapBox *self = HAUL_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_wrap_box_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HaulWrapBox *self = HAUL_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      haul_wrap_box_set_spacing (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_wrap_box_class_init (HaulWrapBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = haul_wrap_box_dispose;
  object_class->get_property = haul_wrap_box_get_property;
  object_class->set_property = haul_wrap_box_set_property;

  widget_class->get_request_mode = haul_wrap_box_get_request_mode;
  widget_class->measure = haul_wrap_box_measure;
  widget_class->size_allocate = haul_wrap_box_size_allocate;

  properties[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "wrapbox");
}

static void
haul_wrap_box_init (HaulWrapBox *self)
{
}

GtkWidget *
haul_wrap_box_new (void)
{
  return g_object_new (HAUL_TYPE_WRAP_BOX, NULL);
}
