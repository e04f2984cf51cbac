/* haul-progress-bar.c: a progress bar that moves without a relayout
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GtkProgressBar (GTK 4.8) queues an allocation of its trough at every
 * new fraction; on X11 that makes the toplevel compute its size again,
 * with round trips to the X server, at every progress update of every row.
 * This bar has the same CSS nodes (progressbar > trough > progress, so the
 * theme draws it as it draws GtkProgressBar) but its size never depends on
 * the fraction: a new fraction only queues a draw, and the filled part is
 * drawn at its width in snapshot() from the progress node's style.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-progress-bar.h"

/* The pulsing block: a fifth of the bar, as GtkProgressBar's. */
#define PULSE_BLOCK 0.2
#define PULSE_STEP  0.1

struct _HaulProgressBar
{
  GtkWidget  parent_instance;

  GtkWidget *trough;     /* (owned) only a CSS node and a size */
  GtkWidget *progress;   /* (owned by trough) drawn by us, never on its own */
  double     fraction;
  gboolean   pulsing;
  double     pulse_position;
  int        pulse_direction;
  int        percent;    /* what screen readers were last told, -1: nothing */
};

G_DEFINE_FINAL_TYPE (HaulProgressBar, haul_progress_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GTK 4.8 gives the AT-SPI Value interface to its own range widgets only:
 * the percentage is the bar's accessible name as well, so screen readers
 * (and the end-to-end tests) can read it. */
static void
update_accessible (HaulProgressBar *self)
{
  int percent = self->pulsing ? -1 : (int) (self->fraction * 100.0 + 0.5);

  if (percent == self->percent)
    return;
  self->percent = percent;

  if (percent < 0)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_VALUE_NOW);
    }
  else
    {
      /* Translators: a progress bar's value as a screen reader says it */
      g_autofree char *label = g_strdup_printf (_("%d %%"), percent);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double) percent,
                                      -1);
    }
}

static void
set_pulsing (HaulProgressBar *self,
             gboolean         pulsing)
{
  if (self->pulsing == pulsing)
    return;

  /* No "pulse" style class as GtkProgressBar sets: a new class on the
   * progress node makes GTK 4.8 size the toplevel again. */
  self->pulsing = pulsing;
  self->pulse_position = 0;
  self->pulse_direction = 1;
}

double
haul_progress_bar_get_fraction (HaulProgressBar *self)
{
  g_return_val_if_fail (HAUL_IS_PROGRESS_BAR (self), 0.0);

  return self->fraction;
}

void
haul_progress_bar_set_fraction (HaulProgressBar *self,
                                double           fraction)
{
  g_return_if_fail (HAUL_IS_PROGRESS_BAR (self));

  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fraction == self->fraction && !self->pulsing)
    return;

  set_pulsing (self, FALSE);
  self->fraction = fraction;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

void
haul_progress_bar_pulse (HaulProgressBar *self)
{
  g_return_if_fail (HAUL_IS_PROGRESS_BAR (self));

  if (!self->pulsing)
    set_pulsing (self, TRUE);
  else
    {
      self->pulse_position += self->pulse_direction * PULSE_STEP;
      if (self->pulse_position >= 1.0 - PULSE_BLOCK)
        {
          self->pulse_position = 1.0 - PULSE_BLOCK;
          self->pulse_direction = -1;
        }
      else if (self->pulse_position <= 0.0)
        {
          self->pulse_position = 0.0;
          self->pulse_direction = 1;
        }
    }

  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
haul_progress_bar_get_pulsing (HaulProgressBar *self)
{
  g_return_val_if_fail (HAUL_IS_PROGRESS_BAR (self), FALSE);

  return self->pulsing;
}

static void
haul_progress_bar_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  gtk_widget_measure (HAUL_PROGRESS_BAR (widget)->trough, orientation, for_size,
                      minimum, natural, NULL, NULL);
}

static void
haul_progress_bar_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  gtk_widget_allocate (HAUL_PROGRESS_BAR (widget)->trough, width, height, -1, NULL);
}

/* Deprecated in GTK 4.10 (and not on the 4.8 floor): the only way there to
 * draw a CSS box at a size other than the widget's allocation. */
static void
render_box (GtkSnapshot           *snapshot,
            GtkWidget             *widget,
            const graphene_rect_t *box)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  gtk_snapshot_render_background (snapshot, context, box->origin.x, box->origin.y,
                                  box->size.width, box->size.height);
  gtk_snapshot_render_frame (snapshot, context, box->origin.x, box->origin.y,
                             box->size.width, box->size.height);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
haul_progress_bar_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  HaulProgressBar *self = HAUL_PROGRESS_BAR (widget);
  graphene_rect_t trough;
  graphene_rect_t full;
  graphene_rect_t fill;
  int min_width = 0;

  if (!gtk_widget_compute_bounds (self->trough, widget, &trough)
      || !gtk_widget_compute_bounds (self->progress, widget, &full))
    return;

  render_box (snapshot, self->trough, &trough);

  if (!self->pulsing && self->fraction <= 0.0)
    return;

  gtk_widget_measure (self->progress, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL,
                      NULL, NULL);
  fill = full;
  if (self->pulsing)
    {
      fill.size.width = MAX (full.size.width * PULSE_BLOCK, min_width);
      fill.origin.x += (full.size.width - fill.size.width) * self->pulse_position
                       / (1.0 - PULSE_BLOCK);
    }
  else
    fill.size.width = MAX (full.size.width * self->fraction, min_width);

  fill.size.width = MIN (fill.size.width, full.size.width);
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    fill.origin.x = full.origin.x + full.size.width - (fill.origin.x - full.origin.x)
                    - fill.size.width;

  render_box (snapshot, self->progress, &fill);
}

static void
haul_progress_bar_dispose (GObject *object)
{
  HaulProgressBar *self = HAUL_PROGRESS_BAR (object);

  g_clear_pointer (&self->trough, gtk_widget_unparent);
  self->progress = NULL;

  G_OBJECT_CLASS (haul_progress_bar_parent_class)->dispose (object);
}

static void
haul_progress_bar_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HaulProgressBar *self = HAUL_PROGRESS_BAR (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_progress_bar_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HaulProgressBar *self = HAUL_PROGRESS_BAR (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      haul_progress_bar_set_fraction (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_progress_bar_class_init (HaulProgressBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = haul_progress_bar_dispose;
  object_class->get_property = haul_progress_bar_get_property;
  object_class->set_property = haul_progress_bar_set_property;

  widget_class->measure = haul_progress_bar_measure;
  widget_class->size_allocate = haul_progress_bar_size_allocate;
  widget_class->snapshot = haul_progress_bar_snapshot;

  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "progressbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
haul_progress_bar_init (HaulProgressBar *self)
{
  self->percent = -2;
  self->pulse_direction = 1;

  /* Boxes as plain CSS nodes: GtkWidget itself cannot be instantiated. */
  self->trough = g_object_new (GTK_TYPE_BOX,
                               "css-name", "trough",
                               "accessible-role", GTK_ACCESSIBLE_ROLE_NONE,
                               NULL);
  self->progress = g_object_new (GTK_TYPE_BOX,
                                 "css-name", "progress",
                                 "accessible-role", GTK_ACCESSIBLE_ROLE_NONE,
                                 "hexpand", TRUE,
                                 NULL);
  gtk_box_append (GTK_BOX (self->trough), self->progress);
  gtk_widget_set_parent (self->trough, GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "horizontal");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 100.0,
                                  -1);
  update_accessible (self);
}

GtkWidget *
haul_progress_bar_new (void)
{
  return g_object_new (HAUL_TYPE_PROGRESS_BAR, NULL);
}
