/* haul-scheduler.c: when downloads may run, and when the alternative speed holds
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-schedule.h"
#include "haul-scheduler.h"
#include "haul-wall-timer.h"

struct _HaulScheduler
{
  GObject               parent_instance;

  gboolean              enabled;
  HaulTimeWindow        window;
  gboolean              alt_enabled;
  HaulTimeWindow        alt_window;

  gboolean              open;
  gint64                opens_at;     /* real µs, 0 while open */
  gboolean              alt_speed;

  HaulWallTimer        *timer;        /* (owned) (nullable) none with a clock of one's own */
  HaulSchedulerNowFunc  now_func;     /* (nullable) tests */
  gpointer              now_data;
  gint64                wake_time;    /* real µs, 0: none */
};

G_DEFINE_FINAL_TYPE (HaulScheduler, haul_scheduler, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENABLED,
  PROP_START,
  PROP_END,
  PROP_ALT_ENABLED,
  PROP_ALT_START,
  PROP_ALT_END,
  PROP_OPEN,
  PROP_OPENS_AT,
  PROP_ALT_SPEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gint64
to_real_time (GDateTime *when)
{
  return g_date_time_to_unix (when) * G_USEC_PER_SEC + g_date_time_get_microsecond (when);
}

/* The earlier of @wake and @window's next change after @now. */
static gint64
earlier_change (gint64                wake,
                const HaulTimeWindow *window,
                GDateTime            *now)
{
  g_autoptr(GDateTime) next = haul_time_window_next_change (window, now);
  gint64 at;

  if (next == NULL)
    return wake;
  at = to_real_time (next);
  return wake == 0 ? at : MIN (wake, at);
}

static void
timer_cb (gpointer data)
{
  haul_scheduler_check (HAUL_SCHEDULER (data));
}

static void
set_boolean (HaulScheduler *self,
             gboolean      *field,
             gboolean       value,
             int            prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
haul_scheduler_check (HaulScheduler *self)
{
  g_autoptr(GDateTime) now = NULL;
  gboolean open = TRUE;
  gint64 opens_at = 0;
  gint64 wake = 0;

  g_return_if_fail (HAUL_IS_SCHEDULER (self));

  now = self->now_func != NULL ? self->now_func (self->now_data) : g_date_time_new_now_local ();
  g_return_if_fail (now != NULL);

  if (self->enabled)
    {
      open = haul_time_window_contains (&self->window, now);
      wake = earlier_change (wake, &self->window, now);
      if (!open)
        opens_at = wake;
    }
  if (self->alt_enabled)
    wake = earlier_change (wake, &self->alt_window, now);

  g_object_freeze_notify (G_OBJECT (self));
  set_boolean (self, &self->open, open, PROP_OPEN);
  if (self->opens_at != opens_at)
    {
      self->opens_at = opens_at;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPENS_AT]);
    }
  set_boolean (self, &self->alt_speed,
               self->alt_enabled && haul_time_window_contains (&self->alt_window, now),
               PROP_ALT_SPEED);

  /* The one wake-up: the next change of either window. */
  self->wake_time = wake;
  if (self->now_func == NULL)
    {
      if (self->timer == NULL && wake != 0)
        self->timer = haul_wall_timer_new (timer_cb, self);
      if (self->timer != NULL)
        haul_wall_timer_arm (self->timer, wake);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
tell_queue_cb (HaulScheduler *self,
               GParamSpec    *pspec,
               HaulQueue     *queue)
{
  haul_queue_set_schedule (queue, self->open, self->opens_at);
}

void
haul_scheduler_drive_queue (HaulScheduler *self,
                            HaulQueue     *queue)
{
  g_return_if_fail (HAUL_IS_SCHEDULER (self));
  g_return_if_fail (HAUL_IS_QUEUE (queue));

  g_signal_connect_object (self, "notify::open", G_CALLBACK (tell_queue_cb), queue, 0);
  g_signal_connect_object (self, "notify::opens-at", G_CALLBACK (tell_queue_cb), queue, 0);
  tell_queue_cb (self, NULL, queue);
}

gboolean
haul_scheduler_get_open (HaulScheduler *self)
{
  g_return_val_if_fail (HAUL_IS_SCHEDULER (self), TRUE);
  return self->open;
}

gint64
haul_scheduler_get_opens_at (HaulScheduler *self)
{
  g_return_val_if_fail (HAUL_IS_SCHEDULER (self), 0);
  return self->opens_at;
}

gboolean
haul_scheduler_get_alt_speed (HaulScheduler *self)
{
  g_return_val_if_fail (HAUL_IS_SCHEDULER (self), FALSE);
  return self->alt_speed;
}

void
haul_scheduler_set_clock (HaulScheduler        *self,
                          HaulSchedulerNowFunc  now_func,
                          gpointer              user_data)
{
  g_return_if_fail (HAUL_IS_SCHEDULER (self));

  self->now_func = now_func;
  self->now_data = user_data;
  g_clear_pointer (&self->timer, haul_wall_timer_free);
  haul_scheduler_check (self);
}

gint64
haul_scheduler_get_wake_time (HaulScheduler *self)
{
  g_return_val_if_fail (HAUL_IS_SCHEDULER (self), 0);
  return self->wake_time;
}

/* GObject ---------------------------------------------------------------- */

static void
haul_scheduler_finalize (GObject *object)
{
  HaulScheduler *self = HAUL_SCHEDULER (object);

  g_clear_pointer (&self->timer, haul_wall_timer_free);

  G_OBJECT_CLASS (haul_scheduler_parent_class)->finalize (object);
}

static void
haul_scheduler_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HaulScheduler *self = HAUL_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_START:
      g_value_set_uint (value, self->window.start);
      break;
    case PROP_END:
      g_value_set_uint (value, self->window.end);
      break;
    case PROP_ALT_ENABLED:
      g_value_set_boolean (value, self->alt_enabled);
      break;
    case PROP_ALT_START:
      g_value_set_uint (value, self->alt_window.start);
      break;
    case PROP_ALT_END:
      g_value_set_uint (value, self->alt_window.end);
      break;
    case PROP_OPEN:
      g_value_set_boolean (value, self->open);
      break;
    case PROP_OPENS_AT:
      g_value_set_int64 (value, self->opens_at);
      break;
    case PROP_ALT_SPEED:
      g_value_set_boolean (value, self->alt_speed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
set_uint (HaulScheduler *self,
          guint         *field,
          const GValue  *value,
          GParamSpec    *pspec)
{
  if (*field == g_value_get_uint (value))
    return FALSE;
  *field = g_value_get_uint (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
  return TRUE;
}

static void
haul_scheduler_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HaulScheduler *self = HAUL_SCHEDULER (object);
  gboolean changed = FALSE;

  switch (prop_id)
    {
    case PROP_ENABLED:
    case PROP_ALT_ENABLED:
      {
        gboolean *field = prop_id == PROP_ENABLED ? &self->enabled : &self->alt_enabled;

        changed = *field != g_value_get_boolean (value);
        if (changed)
          {
            *field = g_value_get_boolean (value);
            g_object_notify_by_pspec (object, pspec);
          }
      }
      break;
    case PROP_START:
      changed = set_uint (self, &self->window.start, value, pspec);
      break;
    case PROP_END:
      changed = set_uint (self, &self->window.end, value, pspec);
      break;
    case PROP_ALT_START:
      changed = set_uint (self, &self->alt_window.start, value, pspec);
      break;
    case PROP_ALT_END:
      changed = set_uint (self, &self->alt_window.end, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }

  if (changed)
    haul_scheduler_check (self);
}

static void
haul_scheduler_class_init (HaulSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  guint last = HAUL_MINUTES_PER_DAY - 1;

  object_class->finalize = haul_scheduler_finalize;
  object_class->get_property = haul_scheduler_get_property;
  object_class->set_property = haul_scheduler_set_property;

  properties[PROP_ENABLED] = g_param_spec_boolean ("enabled", NULL, NULL, FALSE, rw);
  properties[PROP_START] = g_param_spec_uint ("start", NULL, NULL, 0, last, 0, rw);
  properties[PROP_END] = g_param_spec_uint ("end", NULL, NULL, 0, last, 0, rw);
  properties[PROP_ALT_ENABLED] = g_param_spec_boolean ("alt-enabled", NULL, NULL, FALSE, rw);
  properties[PROP_ALT_START] = g_param_spec_uint ("alt-start", NULL, NULL, 0, last, 0, rw);
  properties[PROP_ALT_END] = g_param_spec_uint ("alt-end", NULL, NULL, 0, last, 0, rw);
  properties[PROP_OPEN] = g_param_spec_boolean ("open", NULL, NULL, TRUE, ro);
  properties[PROP_OPENS_AT] = g_param_spec_int64 ("opens-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_ALT_SPEED] = g_param_spec_boolean ("alt-speed", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
haul_scheduler_init (HaulScheduler *self)
{
  self->open = TRUE;
}

HaulScheduler *
haul_scheduler_new (void)
{
  return g_object_new (HAUL_TYPE_SCHEDULER, NULL);
}
