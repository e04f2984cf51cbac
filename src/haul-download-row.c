/* haul-download-row.c: one download in the list
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-address-dialog.h"
#include "haul-details-dialog.h"
#include "haul-download-row.h"
#include "haul-file-icon.h"
#include "haul-limit-dialog.h"
#include "haul-progress-bar.h"
#include "haul-row-commands.h"
#include "haul-status-text.h"
#include "haul-util.h"

#define PULSE_INTERVAL_MS 120
/* While bytes arrive the status line ("12 MB of 100 MB · 4.5 MB/s · …")
 * changes at most this often, a pace words can be read at; the bar moves
 * at the engine's rate.
 *
 * Nothing a progress update changes may change the row's size: a new size
 * re-measures the list and, on X11, the toplevel, with round trips to the
 * X server, for every row several times a second. So the bar is a
 * HaulProgressBar (a new fraction only redraws it), the status line a
 * GtkInscription (its size is set in characters, not by its text, and it
 * uses tabular digits), and each is set only when what it shows changed.
 * Sizes change with the state (buttons, the bar coming or going), rarely. */
#define STATUS_INTERVAL_MS 500

struct _HaulDownloadRow
{
  GtkWidget     parent_instance;

  HaulDownload *download;       /* (owned) (nullable) */
  HaulQueue    *queue;          /* (owned) (nullable) */
  gulong        notify_id;
  guint         pulse_id;
  guint         status_id;
  gint64        status_time;    /* when the status text last changed */
  guint         countdown_id;   /* "Retrying in 4 s": the next second */

  GtkImage        *icon;
  GtkLabel        *name_label;
  HaulProgressBar *progress_bar;
  GtkLabel        *message_label;
  GtkInscription  *status_label;
  GtkWidget       *pause_button;
  GtkWidget       *resume_button;
  GtkWidget       *cancel_button;
  GtkWidget       *retry_button;
  GtkWidget       *retry_now_button;
  GtkWidget       *anyway_button;
  GtkWidget       *open_button;
  GtkWidget       *folder_button;
  GtkMenuButton   *menu_button;
  GtkWidget       *popover;       /* (owned) (nullable) parented to the row */
};

G_DEFINE_FINAL_TYPE (HaulDownloadRow, haul_download_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DOWNLOAD,
  PROP_QUEUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
pulse_cb (gpointer user_data)
{
  HaulDownloadRow *self = user_data;

  haul_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

/* The bar pulses only while the size is unknown, bytes arrive and the row
 * is on screen: no timer runs for rows nobody sees. */
static void
update_pulse (HaulDownloadRow *self)
{
  gboolean want = self->download != NULL
                  && gtk_widget_get_mapped (GTK_WIDGET (self))
                  && haul_download_get_state (self->download) == HAUL_DOWNLOAD_DOWNLOADING
                  && haul_download_get_total (self->download) <= 0;

  if (want && self->pulse_id == 0)
    self->pulse_id = g_timeout_add (PULSE_INTERVAL_MS, pulse_cb, self);
  else if (!want)
    g_clear_handle_id (&self->pulse_id, g_source_remove);
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

static void
update_status_text (HaulDownloadRow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *status = haul_format_status (self->download, now);

  g_clear_handle_id (&self->status_id, g_source_remove);
  if (g_strcmp0 (gtk_inscription_get_text (self->status_label), status) != 0)
    gtk_inscription_set_text (self->status_label, status);
  self->status_time = g_get_monotonic_time ();
}

static gboolean
status_cb (gpointer user_data)
{
  HaulDownloadRow *self = user_data;

  self->status_id = 0;
  if (self->download != NULL)
    update_status_text (self);
  return G_SOURCE_REMOVE;
}

/* Every row's next status text is due at the same instants (multiples of
 * the interval on the monotonic clock), so the rows change together in
 * one frame rather than one relayout per row. */
static void
schedule_status_text (HaulDownloadRow *self)
{
  gint64 now_ms = g_get_monotonic_time () / 1000;
  guint delay = STATUS_INTERVAL_MS - (guint) (now_ms % STATUS_INTERVAL_MS);

  if (self->status_id == 0)
    self->status_id = g_timeout_add (delay, status_cb, self);
}

/* A retry's countdown: one timer for this row while it waits and is on
 * screen, due when the number of seconds left changes (the status line is
 * an inscription: a new text redraws, it does not relayout). */
static gboolean
is_retry_wait (HaulDownload *download)
{
  HaulWaiting waiting = haul_download_get_waiting (download);

  return haul_download_get_state (download) == HAUL_DOWNLOAD_QUEUED
         && (waiting == HAUL_WAITING_RETRY || waiting == HAUL_WAITING_SERVER_BUSY);
}

static void update_countdown (HaulDownloadRow *self);

static gboolean
countdown_cb (gpointer user_data)
{
  HaulDownloadRow *self = user_data;

  self->countdown_id = 0;
  if (self->download != NULL)
    {
      update_status_text (self);
      update_countdown (self);
    }
  return G_SOURCE_REMOVE;
}

static void
update_countdown (HaulDownloadRow *self)
{
  gint64 retry_at;
  gint64 left_us;
  guint delay_ms;

  g_clear_handle_id (&self->countdown_id, g_source_remove);
  if (self->download == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self))
      || !is_retry_wait (self->download))
    return;

  retry_at = haul_download_get_retry_at (self->download);
  left_us = retry_at - g_get_real_time ();
  if (retry_at <= 0 || left_us <= 0)
    return;

  /* Just past the instant the rounded-up count drops by one. */
  delay_ms = (guint) ((left_us - 1) % G_USEC_PER_SEC / 1000) + 1;
  self->countdown_id = g_timeout_add (delay_ms, countdown_cb, self);
}

static void
update_progress (HaulDownloadRow *self,
                 gboolean         status_now)
{
  HaulDownload *download = self->download;
  HaulDownloadState state = haul_download_get_state (download);
  gint64 received = haul_download_get_received (download);
  gint64 total = haul_download_get_total (download);

  /* Finished rows have no bar; the pulse moves it while the size is
   * unknown; hashing the finished file, it shows how far that is. */
  if (haul_status_is_verifying (download))
    haul_progress_bar_set_fraction (self->progress_bar,
                                    haul_download_get_checksum_progress (download));
  else if (total > 0)
    haul_progress_bar_set_fraction (self->progress_bar, (double) received / (double) total);
  else if (state != HAUL_DOWNLOAD_DOWNLOADING)
    haul_progress_bar_set_fraction (self->progress_bar, 0.0);

  if (status_now || state != HAUL_DOWNLOAD_DOWNLOADING
      || g_get_monotonic_time () - self->status_time >= STATUS_INTERVAL_MS * 1000)
    update_status_text (self);
  else
    schedule_status_text (self);

  update_pulse (self);
}

static void
update_name (HaulDownloadRow *self)
{
  g_autofree char *name = haul_download_dup_display_name (self->download);
  const char *content_type = haul_download_get_content_type (self->download);
  g_autoptr(GIcon) icon = NULL;

  if (g_strcmp0 (gtk_label_get_label (self->name_label), name) != 0)
    {
      gtk_label_set_label (self->name_label, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
    }

  icon = haul_file_icon_new (content_type, haul_download_get_file_name (self->download));
  if (!g_icon_equal (gtk_image_get_gicon (self->icon), icon))
    gtk_image_set_from_gicon (self->icon, icon);
}

static void
set_css_class (GtkWidget  *widget,
               const char *css_class,
               gboolean    set)
{
  if (set)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

static void
update_state (HaulDownloadRow *self)
{
  HaulDownload *download = self->download;
  HaulDownloadState state = haul_download_get_state (download);
  gboolean active = state == HAUL_DOWNLOAD_QUEUED
                    || state == HAUL_DOWNLOAD_CONNECTING
                    || state == HAUL_DOWNLOAD_DOWNLOADING;
  gboolean paused = state == HAUL_DOWNLOAD_PAUSED;
  gboolean completed = state == HAUL_DOWNLOAD_COMPLETED;
  gboolean failed = state == HAUL_DOWNLOAD_FAILED || state == HAUL_DOWNLOAD_CANCELLED;
  gboolean missing = completed && haul_download_get_file_missing (download);
  g_autofree char *message = haul_download_dup_error_text (download);
  gboolean has_message = state == HAUL_DOWNLOAD_FAILED && message != NULL && *message != '\0';
  gboolean has_queue = self->queue != NULL;
  gboolean retry_wait = is_retry_wait (download);
  gboolean metered_wait = state == HAUL_DOWNLOAD_QUEUED
                          && haul_download_get_waiting (download) == HAUL_WAITING_METERED;
  GtkWidget *widget = GTK_WIDGET (self);

  /* A bar while there is something to wait for; a finished row says what
   * it has in words instead (and, failed, why). */
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), active || paused);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), has_message);
  if (has_message)
    set_label (self->message_label, message);

  /* A wait's own button takes the place of Pause, which stays in the
   * menu and on Space: a row keeps to 360 px. */
  gtk_widget_set_visible (self->pause_button, active && !retry_wait && !metered_wait);
  gtk_widget_set_visible (self->resume_button, paused);
  gtk_widget_set_visible (self->cancel_button, active || paused);
  gtk_widget_set_visible (self->retry_button, failed);
  gtk_widget_set_visible (self->retry_now_button, retry_wait);
  gtk_widget_set_visible (self->anyway_button, metered_wait);
  gtk_widget_set_visible (self->open_button, completed);
  gtk_widget_set_visible (self->folder_button, completed);

  gtk_widget_action_set_enabled (widget, "row.pause", has_queue && haul_download_can_pause (download));
  gtk_widget_action_set_enabled (widget, "row.resume", has_queue && haul_download_can_resume (download));
  gtk_widget_action_set_enabled (widget, "row.pause-resume",
                                 has_queue && (haul_download_can_pause (download)
                                               || haul_download_can_resume (download)));
  gtk_widget_action_set_enabled (widget, "row.cancel", has_queue && (active || paused));
  gtk_widget_action_set_enabled (widget, "row.retry", has_queue && haul_download_can_retry (download));
  gtk_widget_action_set_enabled (widget, "row.retry-now", has_queue && retry_wait);
  gtk_widget_action_set_enabled (widget, "row.open", completed && !missing);
  gtk_widget_action_set_enabled (widget, "row.show-in-folder", completed && !missing);
  gtk_widget_action_set_enabled (widget, "row.remove", has_queue);
  gtk_widget_action_set_enabled (widget, "row.delete-file", has_queue && completed && !missing);
  gtk_widget_action_set_enabled (widget, "row.start-now",
                                 has_queue && (state == HAUL_DOWNLOAD_QUEUED || paused));
  gtk_widget_action_set_enabled (widget, "row.move-up", has_queue && (active || paused));
  gtk_widget_action_set_enabled (widget, "row.move-down", has_queue && (active || paused));
  gtk_widget_action_set_enabled (widget, "row.speed-limit", has_queue && (active || paused));
  gtk_widget_action_set_enabled (widget, "row.change-address",
                                 has_queue && (paused || state == HAUL_DOWNLOAD_FAILED));

  set_css_class (GTK_WIDGET (self->message_label), "error", has_message);
  set_css_class (widget, "completed", completed);
  set_css_class (widget, "paused", paused);
  set_css_class (widget, "failed", failed);
  set_css_class (GTK_WIDGET (self->status_label), "warning", missing);

  update_progress (self, TRUE);
  update_countdown (self);
}

static void
download_notify_cb (HaulDownloadRow *self,
                    GParamSpec      *pspec,
                    HaulDownload    *download)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "received") || g_str_equal (name, "total")
      || g_str_equal (name, "speed") || g_str_equal (name, "eta")
      || g_str_equal (name, "checksum-progress"))
    update_progress (self, FALSE);
  else if (g_str_equal (name, "file-name") || g_str_equal (name, "content-type")
           || g_str_equal (name, "uri"))
    update_name (self);
  else if (g_str_equal (name, "finished"))
    update_progress (self, TRUE);
  else
    update_state (self);
}

static void
clear_row (HaulDownloadRow *self)
{
  static const char * const actions[] = {
    "row.pause", "row.resume", "row.pause-resume", "row.cancel", "row.retry", "row.retry-now",
    "row.open", "row.show-in-folder", "row.remove", "row.copy-link", "row.menu",
    "row.details", "row.delete-file", "row.start-now", "row.move-up", "row.move-down",
    "row.speed-limit", "row.change-address",
  };

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_handle_id (&self->status_id, g_source_remove);
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], FALSE);
}

static void
update_all (HaulDownloadRow *self)
{
  if (self->download == NULL)
    {
      clear_row (self);
      return;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.copy-link", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.menu", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.details", TRUE);

  update_name (self);
  update_state (self);
}

HaulDownload *
haul_download_row_get_download (HaulDownloadRow *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD_ROW (self), NULL);

  return self->download;
}

void
haul_download_row_set_download (HaulDownloadRow *self,
                                HaulDownload    *download)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD_ROW (self));
  g_return_if_fail (download == NULL || HAUL_IS_DOWNLOAD (download));

  if (self->download == download)
    return;

  if (self->download != NULL)
    g_clear_signal_handler (&self->notify_id, self->download);

  g_set_object (&self->download, download);

  if (download != NULL)
    self->notify_id = g_signal_connect_object (download, "notify",
                                               G_CALLBACK (download_notify_cb), self,
                                               G_CONNECT_SWAPPED);

  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));

  update_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD]);
}

HaulQueue *
haul_download_row_get_queue (HaulDownloadRow *self)
{
  g_return_val_if_fail (HAUL_IS_DOWNLOAD_ROW (self), NULL);

  return self->queue;
}

void
haul_download_row_set_queue (HaulDownloadRow *self,
                             HaulQueue       *queue)
{
  g_return_if_fail (HAUL_IS_DOWNLOAD_ROW (self));
  g_return_if_fail (queue == NULL || HAUL_IS_QUEUE (queue));

  if (g_set_object (&self->queue, queue))
    {
      update_all (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUE]);
    }
}

/* One place up or down in the queue's order, which is the list's. */
static void
move_by_one (HaulQueue    *queue,
             HaulDownload *download,
             gboolean      up)
{
  GListModel *model = G_LIST_MODEL (queue);
  guint n = g_list_model_get_n_items (model);
  guint i;

  for (i = 0; i < n; i++)
    {
      g_autoptr(HaulDownload) item = g_list_model_get_item (model, i);

      if (item == download)
        break;
    }
  if (i == n || (up && i == 0) || (!up && i + 1 == n))
    return;

  {
    g_autoptr(HaulDownload) neighbour = g_list_model_get_item (model, up ? i - 1 : i + 1);

    if (up)
      haul_queue_move_before (queue, download, neighbour);
    else
      haul_queue_move_after (queue, download, neighbour);
  }
}

static void
row_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HaulDownloadRow *self = HAUL_DOWNLOAD_ROW (widget);
  g_autoptr(HaulDownload) download = NULL;

  if (self->download == NULL)
    return;

  /* The action may change the row's download (remove → recycled). */
  download = g_object_ref (self->download);

  if (g_str_equal (action_name, "row.open") || g_str_equal (action_name, "row.show-in-folder"))
    {
      g_autofree char *path = haul_download_dup_path (download);
      const char *app_action = g_str_equal (action_name, "row.open")
                               ? "app.open-file" : "app.show-in-folder";

      if (path != NULL)
        gtk_widget_activate_action (widget, app_action, "s", path);
      return;
    }

  if (g_str_equal (action_name, "row.details"))
    {
      GtkRoot *root = gtk_widget_get_root (widget);
      GtkWidget *dialog = haul_details_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                   download);

      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  if (g_str_equal (action_name, "row.copy-link"))
    {
      gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), haul_download_get_uri (download));
      return;
    }

  if (self->queue == NULL)
    return;

  if (g_str_equal (action_name, "row.pause"))
    haul_queue_pause (self->queue, download);
  else if (g_str_equal (action_name, "row.resume"))
    haul_queue_resume (self->queue, download);
  else if (g_str_equal (action_name, "row.pause-resume"))
    {
      if (haul_download_can_pause (download))
        haul_queue_pause (self->queue, download);
      else if (haul_download_can_resume (download))
        haul_queue_resume (self->queue, download);
    }
  else if (g_str_equal (action_name, "row.cancel"))
    haul_cancel_with_undo (widget, self->queue, download);
  else if (g_str_equal (action_name, "row.retry"))
    haul_queue_retry (self->queue, download);
  else if (g_str_equal (action_name, "row.retry-now"))
    haul_queue_retry_now (self->queue, download);
  else if (g_str_equal (action_name, "row.remove"))
    haul_remove_with_undo (widget, self->queue, download);
  else if (g_str_equal (action_name, "row.delete-file"))
    haul_delete_file_ask (widget, self->queue, download);
  else if (g_str_equal (action_name, "row.start-now"))
    haul_queue_start_now (self->queue, download);
  else if (g_str_equal (action_name, "row.move-up") || g_str_equal (action_name, "row.move-down"))
    move_by_one (self->queue, download, g_str_equal (action_name, "row.move-up"));
  else if (g_str_equal (action_name, "row.speed-limit"))
    haul_limit_dialog_show (widget, self->queue, download);
  else if (g_str_equal (action_name, "row.change-address"))
    haul_address_dialog_show (widget, self->queue, download);
}

/* Tooltips are answered on demand: setting tooltip text on a visible
 * widget makes GTK 4.8 ask the X server where the pointer is, a round trip
 * per row and per update. */
static gboolean
button_query_tooltip_cb (GtkWidget  *button,
                         int         x,
                         int         y,
                         gboolean    keyboard,
                         GtkTooltip *tooltip,
                         gpointer    user_data)
{
  static const struct {
    const char *action;
    const char *label;
  } labels[] = {
    { "row.pause", N_("Pause") },
    { "row.resume", N_("Resume") },
    { "row.cancel", N_("Cancel") },
    { "row.retry", N_("Retry") },
    { "row.retry-now", N_("Retry Now") },
    { "row.start-now", N_("Start on this metered connection") },
    { "row.open", N_("Open") },
    { "row.show-in-folder", N_("Show in Folder") },
  };
  const char *action;

  if (GTK_IS_MENU_BUTTON (button))
    {
      gtk_tooltip_set_text (tooltip, _("More Actions"));
      return TRUE;
    }

  action = gtk_actionable_get_action_name (GTK_ACTIONABLE (button));

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (action, labels[i].action) == 0)
      {
        gtk_tooltip_set_text (tooltip, _(labels[i].label));
        return TRUE;
      }

  return FALSE;
}

static gboolean
name_query_tooltip_cb (GtkWidget       *label,
                       int              x,
                       int              y,
                       gboolean         keyboard,
                       GtkTooltip      *tooltip,
                       HaulDownloadRow *self)
{
  if (self->download == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, haul_download_get_uri (self->download));
  return TRUE;
}

static gboolean
status_query_tooltip_cb (GtkWidget       *label,
                         int              x,
                         int              y,
                         gboolean         keyboard,
                         GtkTooltip      *tooltip,
                         HaulDownloadRow *self)
{
  g_autofree char *message = NULL;
  const char *notice;

  if (self->download == NULL)
    return FALSE;

  /* A notice such as "started again from the beginning" is worth a look
   * but not a line of its own; a long error is shown whole. */
  notice = haul_download_get_notice (self->download);
  message = haul_download_dup_error_text (self->download);
  if ((haul_download_get_state (self->download) == HAUL_DOWNLOAD_FAILED
       || is_retry_wait (self->download))
      && message != NULL)
    gtk_tooltip_set_text (tooltip, message);
  else if (notice != NULL && *notice != '\0')
    gtk_tooltip_set_text (tooltip, notice);
  else
    return FALSE;

  return TRUE;
}

/* One menu model for every row. */
static GMenuModel *
get_context_menu (void)
{
  static GMenu *menu;

  if (menu == NULL)
    {
      g_autoptr(GMenu) state = g_menu_new ();
      g_autoptr(GMenu) file = g_menu_new ();
      g_autoptr(GMenu) list = g_menu_new ();
      g_autoptr(GMenu) order = g_menu_new ();
      static const struct {
        int         section;
        const char *label;
        const char *action;
      } items[] = {
        { 0, N_("_Pause"), "row.pause" },
        { 0, N_("_Resume"), "row.resume" },
        { 0, N_("_Cancel"), "row.cancel" },
        { 0, N_("_Retry"), "row.retry" },
        { 0, N_("_Start Now"), "row.start-now" },
        { 3, N_("Move _Up"), "row.move-up" },
        { 3, N_("Move Dow_n"), "row.move-down" },
        { 3, N_("Speed L_imit…"), "row.speed-limit" },
        /* An expired link: the bytes are kept if the server proves it. */
        { 3, N_("C_hange Address…"), "row.change-address" },
        { 1, N_("_Open"), "row.open" },
        { 1, N_("Show in _Folder"), "row.show-in-folder" },
        { 1, N_("Copy _Link"), "row.copy-link" },
        { 1, N_("_Details"), "row.details" },
        /* The file stays on disk: only the row goes. */
        { 2, N_("Re_move from List"), "row.remove" },
        /* To the trash, asked first, with undo. */
        { 2, N_("_Delete File…"), "row.delete-file" },
      };

      menu = g_menu_new ();
      for (guint i = 0; i < G_N_ELEMENTS (items); i++)
        {
          g_autoptr(GMenuItem) item = g_menu_item_new (_(items[i].label), items[i].action);
          GMenu *sections[] = { state, file, list, order };
          GMenu *section = sections[items[i].section];

          g_menu_item_set_attribute (item, "hidden-when", "s", "action-disabled");
          g_menu_append_item (section, item);
        }
      g_menu_append_section (menu, NULL, G_MENU_MODEL (state));
      g_menu_append_section (menu, NULL, G_MENU_MODEL (order));
      g_menu_append_section (menu, NULL, G_MENU_MODEL (file));
      g_menu_append_section (menu, NULL, G_MENU_MODEL (list));
    }

  return G_MENU_MODEL (menu);
}

static void
show_menu (HaulDownloadRow *self,
           double           x,
           double           y)
{
  if (self->download == NULL)
    return;

  if (self->popover == NULL)
    {
      self->popover = gtk_popover_menu_new_from_model (get_context_menu ());
      gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
      gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
    }

  if (x >= 0 && y >= 0)
    gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                                 &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  else
    gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), NULL);

  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
menu_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  show_menu (HAUL_DOWNLOAD_ROW (widget), -1, -1);
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  HaulDownloadRow *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  show_menu (self, x, y);
}

static void
long_press_cb (GtkGestureLongPress *gesture,
               double               x,
               double               y,
               HaulDownloadRow     *self)
{
  show_menu (self, x, y);
}

/* The menu's popover is made on the first click, not with every row: a
 * list of hundreds builds rows fast. */
static void
create_popup_cb (GtkMenuButton *button,
                 gpointer       user_data)
{
  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, get_context_menu ());
}

static void
haul_download_row_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (haul_download_row_parent_class)->map (widget);
  if (HAUL_DOWNLOAD_ROW (widget)->download != NULL)
    {
      update_pulse (HAUL_DOWNLOAD_ROW (widget));
      /* The count went on while nobody saw it. */
      if (is_retry_wait (HAUL_DOWNLOAD_ROW (widget)->download))
        update_status_text (HAUL_DOWNLOAD_ROW (widget));
      update_countdown (HAUL_DOWNLOAD_ROW (widget));
    }
}

static void
haul_download_row_unmap (GtkWidget *widget)
{
  HaulDownloadRow *self = HAUL_DOWNLOAD_ROW (widget);

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  GTK_WIDGET_CLASS (haul_download_row_parent_class)->unmap (widget);
}

static void
haul_download_row_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  HaulDownloadRow *self = HAUL_DOWNLOAD_ROW (widget);

  GTK_WIDGET_CLASS (haul_download_row_parent_class)->size_allocate (widget, width, height, baseline);
  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
haul_download_row_dispose (GObject *object)
{
  HaulDownloadRow *self = HAUL_DOWNLOAD_ROW (object);

  haul_download_row_set_download (self, NULL);
  g_clear_object (&self->queue);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_handle_id (&self->status_id, g_source_remove);
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), HAUL_TYPE_DOWNLOAD_ROW);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (haul_download_row_parent_class)->dispose (object);
}

static void
haul_download_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HaulDownloadRow *self = HAUL_DOWNLOAD_ROW (object);

  switch (prop_id)
    {
    case PROP_DOWNLOAD:
      g_value_set_object (value, self->download);
      break;
    case PROP_QUEUE:
      g_value_set_object (value, self->queue);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_download_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HaulDownloadRow *self = HAUL_DOWNLOAD_ROW (object);

  switch (prop_id)
    {
    case PROP_DOWNLOAD:
      haul_download_row_set_download (self, g_value_get_object (value));
      break;
    case PROP_QUEUE:
      haul_download_row_set_queue (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_download_row_class_init (HaulDownloadRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const row_actions[] = {
    "row.pause", "row.resume", "row.pause-resume", "row.cancel", "row.retry", "row.retry-now",
    "row.open", "row.show-in-folder", "row.remove", "row.copy-link", "row.details",
    "row.delete-file", "row.start-now", "row.move-up", "row.move-down",
    "row.speed-limit", "row.change-address",
  };

  object_class->dispose = haul_download_row_dispose;
  object_class->get_property = haul_download_row_get_property;
  object_class->set_property = haul_download_row_set_property;

  widget_class->map = haul_download_row_map;
  widget_class->unmap = haul_download_row_unmap;
  widget_class->size_allocate = haul_download_row_size_allocate;

  properties[PROP_DOWNLOAD] =
    g_param_spec_object ("download", NULL, NULL,
                         HAUL_TYPE_DOWNLOAD,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUEUE] =
    g_param_spec_object ("queue", NULL, NULL,
                         HAUL_TYPE_QUEUE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/haul-download-row.ui");
  gtk_widget_class_bind_template_child (widget_class, HaulDownloadRow, icon);
  gtk_widget_class_bind_template_child (widget_class, HaulDownloadRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, HaulDownloadRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, HaulDownloadRow, message_label);
  gtk_widget_class_bind_template_child (widget_class, HaulDownloadRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, HaulDownloadRow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, HaulDownloadRow, resume_button);
  gtk_widget_class_bind_template_child (widget_class, HaulDownloadRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, HaulDownloadRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, HaulDownloadRow, retry_now_button);
  gtk_widget_class_bind_template_child (widget_class, HaulDownloadRow, anyway_button);
  gtk_widget_class_bind_template_child (widget_class, HaulDownloadRow, open_button);
  gtk_widget_class_bind_template_child (widget_class, HaulDownloadRow, folder_button);
  gtk_widget_class_bind_template_child (widget_class, HaulDownloadRow, menu_button);
  gtk_widget_class_bind_template_callback (widget_class, button_query_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_query_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_query_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, click_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, long_press_cb);

  for (guint i = 0; i < G_N_ELEMENTS (row_actions); i++)
    gtk_widget_class_install_action (widget_class, row_actions[i], NULL, row_action_cb);
  gtk_widget_class_install_action (widget_class, "row.menu", NULL, menu_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "row.pause-resume", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "row.remove", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_SHIFT_MASK,
                                       "row.delete-file", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_SHIFT_MASK,
                                       "row.start-now", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "row.move-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK,
                                       "row.move-down", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "row.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "row.show-in-folder", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_ALT_MASK,
                                       "row.details", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "row.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "row.menu", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "downloadrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
haul_download_row_init (HaulDownloadRow *self)
{
  g_type_ensure (HAUL_TYPE_PROGRESS_BAR);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_popup_cb, NULL, NULL);
  update_all (self);
}

GtkWidget *
haul_download_row_new (void)
{
  return g_object_new (HAUL_TYPE_DOWNLOAD_ROW, NULL);
}
