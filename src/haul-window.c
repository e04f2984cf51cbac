/* haul-window.c: the main window — the list, its filters, toasts
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-category.h"
#include "haul-checksum.h"
#include "haul-drop-reader.h"
#include "haul-list-slot.h"
#include "haul-queue-view.h"
#include "haul-row-factory.h"
#include "haul-util.h"
#include "haul-window-subtitle.h"
#include "haul-window-private.h"
#include "haul-window.h"
#include "haul-wrap-box.h"
#include "haul-write-error-bar.h"

/* Between a toast and the list it keeps clear. */
#define TOAST_GAP 6

/* The names of HaulQueueFilter in the win.filter action. */
static const char * const filter_names[] = { "all", "active", "finished", "failed" };


G_DEFINE_FINAL_TYPE (HaulWindow, haul_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_QUEUE,
  PROP_SETTINGS,
  PROP_FILTER,
  PROP_CATEGORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------ */
/* The list                                                            */

static guint
queue_count (HaulWindow *self,
             const char *property)
{
  guint n = 0;

  g_object_get (self->queue, property, &n, NULL);
  return n;
}

static void
update_subtitle (HaulWindow *self)
{
  g_autofree char *subtitle = NULL;

  g_autofree char *engine = NULL;
  HaulEngineConnection connection = haul_queue_get_engine_connection (self->queue);

  subtitle = haul_window_subtitle_format (queue_count (self, "n-downloading"),
                                          queue_count (self, "n-waiting"),
                                          queue_count (self, "n-paused"),
                                          haul_queue_get_held (self->queue));
  /* A remote engine: where the downloads are comes first, and why it
   * cannot be reached is the title's tooltip. */
  engine = haul_window_subtitle_format_engine (connection,
                                               haul_queue_get_engine_name (self->queue));
  if (engine != NULL && subtitle != NULL)
    {
      /* Translators: the window's subtitle, "aria2 at nas:6800 · 1 downloading" */
      char *joined = g_strdup_printf (_("%s · %s"), engine, subtitle);

      g_free (subtitle);
      subtitle = joined;
    }
  else if (engine != NULL)
    subtitle = g_steal_pointer (&engine);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title),
                               connection == HAUL_ENGINE_UNREACHABLE
                                 ? haul_queue_get_engine_error (self->queue) : NULL);
  if (g_strcmp0 (subtitle != NULL ? subtitle : "",
                 adw_window_title_get_subtitle (self->window_title)) != 0)
    adw_window_title_set_subtitle (self->window_title, subtitle);
}

/* Pause All and Resume All are there only when they would do something. */
static void
update_actions (HaulWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause-all",
                                 queue_count (self, "n-active") > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.resume-all",
                                 queue_count (self, "n-paused") > 0);
}

static void
update_view (HaulWindow *self)
{
  guint n_all = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (haul_queue_view_get_model (self->view)));

  if (n_all == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (n_shown > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (!haul_queue_view_get_pending (self->view))
    gtk_stack_set_visible_child_name (self->stack, "no-results");

  gtk_widget_set_visible (self->filter_bar, n_all > 0);
}

static gboolean
update_counts_cb (gpointer user_data)
{
  HaulWindow *self = user_data;

  self->counts_id = 0;
  update_subtitle (self);
  update_actions (self);
  return G_SOURCE_REMOVE;
}

/* The queue's counts: once per main-loop turn, however many downloads
 * changed state (a new subtitle lays out the header bar again). */
static void
counts_changed_cb (HaulWindow *self,
                   GParamSpec *pspec,
                   HaulQueue  *queue)
{
  if (self->counts_id == 0)
    self->counts_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_counts_cb, self, NULL);
}

/* What was just added is selected and scrolled to, once it is shown (the
 * filter and the sort may still be at work): looked for every 50 ms, for
 * at most 2 s (a filter that hides it hides it for good). */
#define REVEAL_RETRY_MS 50
#define REVEAL_TRIES 40

static gboolean
reveal_cb (gpointer user_data)
{
  HaulWindow *self = user_data;
  g_autoptr(HaulDownload) added = NULL;
  guint position;

  self->reveal_id = 0;
  if (self->added == NULL)
    return G_SOURCE_REMOVE;

  position = haul_queue_view_find (self->view, self->added);
  if (position == GTK_INVALID_LIST_POSITION && ++self->reveal_tries < REVEAL_TRIES)
    {
      self->reveal_id = g_timeout_add (REVEAL_RETRY_MS, reveal_cb, self);
      return G_SOURCE_REMOVE;
    }

  added = g_steal_pointer (&self->added);
  if (position != GTK_INVALID_LIST_POSITION)
    {
      haul_queue_view_select (self->view, added);
      gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                                  position);
    }
  return G_SOURCE_REMOVE;
}

static void
queue_items_changed_cb (HaulWindow *self,
                        guint       position,
                        guint       removed,
                        guint       added,
                        GListModel *model)
{
  if (added > 0)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (model, position + added - 1);

      g_set_object (&self->added, download);
      self->reveal_tries = 0;
      if (self->reveal_id == 0)
        self->reveal_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reveal_cb, self, NULL);
    }

  update_view (self);
}

static void
shown_items_changed_cb (HaulWindow *self,
                        guint       position,
                        guint       removed,
                        guint       added,
                        GListModel *model)
{
  update_view (self);
}

static void
search_changed_cb (HaulWindow     *self,
                   GtkSearchEntry *entry)
{
  haul_queue_view_set_search (self->view, gtk_editable_get_text (GTK_EDITABLE (entry)));
}


static void
list_activate_cb (HaulWindow  *self,
                  guint        position,
                  GtkListView *list_view)
{
  g_autoptr(HaulListSlot) slot = NULL;
  HaulDownload *download;
  g_autofree char *path = NULL;

  slot = g_list_model_get_item (G_LIST_MODEL (haul_queue_view_get_model (self->view)), position);
  download = slot != NULL ? haul_list_slot_get_download (slot) : NULL;
  if (download == NULL || haul_download_get_state (download) != HAUL_DOWNLOAD_COMPLETED
      || haul_download_get_file_missing (download))
    return;

  path = haul_download_dup_path (download);
  if (path != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.open-file", "s", path);
}

/* Where the list is scrolled to, as a position: rows there are updated
 * first when what the list shows changes. */
static void
scrolled_cb (HaulWindow    *self,
             GtkAdjustment *adjustment)
{
  double upper = gtk_adjustment_get_upper (adjustment);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (haul_queue_view_get_model (self->view)));

  if (upper > 0 && n > 0)
    haul_queue_view_set_focus (self->view,
                               (guint) (gtk_adjustment_get_value (adjustment) / upper * n));
}

static void
view_filter_cb (HaulWindow    *self,
                GParamSpec    *pspec,
                HaulQueueView *view)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
}

/* The kind menu's button shows the kind shown alone. */
static void
view_category_cb (HaulWindow    *self,
                  GParamSpec    *pspec,
                  HaulQueueView *view)
{
  static const char * const icons[HAUL_N_CATEGORIES] = {
    [HAUL_CATEGORY_OTHER] = "text-x-generic-symbolic",
    [HAUL_CATEGORY_DOCUMENTS] = "folder-documents-symbolic",
    [HAUL_CATEGORY_PICTURES] = "folder-pictures-symbolic",
    [HAUL_CATEGORY_MUSIC] = "folder-music-symbolic",
    [HAUL_CATEGORY_VIDEOS] = "folder-videos-symbolic",
    [HAUL_CATEGORY_ARCHIVES] = "package-x-generic-symbolic",
    [HAUL_CATEGORY_PROGRAMS] = "application-x-executable-symbolic",
  };
  int category = haul_queue_view_get_category (view);
  GtkWidget *button = GTK_WIDGET (self->category_button);
  g_autofree char *tooltip = NULL;

  if (category >= 0)
    /* Translators: the tooltip of the kind filter; %s is a kind, "Pictures". */
    tooltip = g_strdup_printf (_("Showing %s Only"), haul_category_get_label (category));
  gtk_menu_button_set_icon_name (self->category_button,
                                 category >= 0 ? icons[category] : "folder-symbolic");
  gtk_widget_set_tooltip_text (button, tooltip != NULL ? tooltip : _("Show One Kind of File"));
  if (category >= 0)
    gtk_widget_add_css_class (button, "accent");
  else
    gtk_widget_remove_css_class (button, "accent");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY]);
}

/* The list gets its rows once the window has its application: each row's
 * buttons watch their actions, and a window joining its application after
 * them made every one look again (0.5 s for the 200 rows GTK 4.8 builds). */
static void
show_list (HaulWindow *self)
{
  if (self->view != NULL && self->list_view != NULL && gtk_list_view_get_model (self->list_view) == NULL
      && gtk_window_get_application (GTK_WINDOW (self)) != NULL)
    gtk_list_view_set_model (self->list_view, haul_queue_view_get_model (self->view));
}

static void
set_queue (HaulWindow *self,
           HaulQueue  *queue)
{
  static const char * const counted[] = {
    "n-active", "n-downloading", "n-waiting", "n-paused", "held",
    "engine-connection", "engine-name", "engine-error",
  };
  GtkListItemFactory *factory;
  GtkSelectionModel *model;

  g_assert (self->queue == NULL);
  self->queue = g_object_ref (queue);
  self->view = haul_queue_view_new (queue);
  model = haul_queue_view_get_model (self->view);

  factory = haul_row_factory_new (queue);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  show_list (self);

  g_signal_connect_object (queue, "items-changed", G_CALLBACK (queue_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (model, "items-changed", G_CALLBACK (shown_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "notify::pending", G_CALLBACK (update_view), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "notify::filter", G_CALLBACK (view_filter_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "notify::category", G_CALLBACK (view_category_cb), self,
                           G_CONNECT_SWAPPED);
  for (guint i = 0; i < G_N_ELEMENTS (counted); i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", counted[i], NULL);

      g_signal_connect_object (queue, signal, G_CALLBACK (counts_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  update_subtitle (self);
  update_actions (self);
  haul_write_error_bar_set_store (self->write_error_bar, haul_queue_get_store (queue));
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->list_scroller),
                           "value-changed", G_CALLBACK (scrolled_cb), self, G_CONNECT_SWAPPED);

  haul_window_links_set_queue (self, queue);
  update_view (self);
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */

static void
set_filter (HaulWindow *self,
            const char *mode)
{
  for (guint i = 0; i < G_N_ELEMENTS (filter_names); i++)
    if (g_strcmp0 (mode, filter_names[i]) == 0)
      haul_queue_view_set_filter (self->view, (HaulQueueFilter) i);
}

/* "all" or a kind's name (haul_category_to_string()). */
static void
set_category (HaulWindow *self,
              const char *name)
{
  HaulCategory category;

  if (self->view != NULL)
    haul_queue_view_set_category (self->view, haul_category_from_string (name, &category)
                                               ? (int) category : -1);
}

static const char *
get_category (HaulWindow *self)
{
  int category = self->view != NULL ? haul_queue_view_get_category (self->view) : -1;

  return category >= 0 ? haul_category_to_string (category) : "all";
}

static const char *
get_filter (HaulWindow *self)
{
  return filter_names[self->view != NULL ? haul_queue_view_get_filter (self->view) : 0];
}

static void
pause_all_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  haul_queue_pause_all (HAUL_WINDOW (widget)->queue);
}

static void
resume_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  haul_queue_resume_all (HAUL_WINDOW (widget)->queue);
}

static void
remove_finished_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  g_ptr_array_unref (haul_queue_remove_finished (HAUL_WINDOW (widget)->queue));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HaulWindow *self = HAUL_WINDOW (widget);

  if (gtk_widget_get_visible (self->filter_bar))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ------------------------------------------------------------------ */

HaulQueue *
haul_window_get_queue (HaulWindow *self)
{
  g_return_val_if_fail (HAUL_IS_WINDOW (self), NULL);

  return self->queue;
}

/* While a toast shows, the list ends above it, so that no row's buttons
 * are ever under it: the toast's top edge is followed on each frame (it
 * slides in, and a long title wraps to two lines at narrow widths). */
static gboolean
toast_space_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  HaulWindow *self = HAUL_WINDOW (widget);
  GtkWidget *overlay = GTK_WIDGET (self->toast_overlay);
  int reserve = 0;

  if (self->n_toasts == 0)
    {
      gtk_widget_set_margin_bottom (GTK_WIDGET (self->list_scroller), 0);
      self->toast_tick = 0;
      return G_SOURCE_REMOVE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (overlay); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (g_str_equal (gtk_widget_get_css_name (child), "toast") && gtk_widget_get_mapped (child)
          && gtk_widget_compute_bounds (child, overlay, &bounds))
        reserve = MAX (reserve,
                       gtk_widget_get_height (overlay) - (int) bounds.origin.y + TOAST_GAP);
    }

  if (gtk_widget_get_margin_bottom (GTK_WIDGET (self->list_scroller)) != reserve)
    gtk_widget_set_margin_bottom (GTK_WIDGET (self->list_scroller), reserve);
  return G_SOURCE_CONTINUE;
}

static void
toast_dismissed_cb (HaulWindow *self,
                    AdwToast   *toast)
{
  g_assert (self->n_toasts > 0);
  self->n_toasts--;
}

void
haul_window_show_toast (HaulWindow *self,
                        AdwToast   *toast)
{
  g_return_if_fail (HAUL_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  g_free (self->last_toast);
  self->last_toast = g_strdup (adw_toast_get_title (toast));

  self->n_toasts++;
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self,
                           G_CONNECT_SWAPPED);
  if (self->toast_tick == 0)
    self->toast_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), toast_space_cb, NULL, NULL);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
haul_window_add_toast (HaulWindow *self,
                       const char *title)
{
  AdwToast *toast;

  g_return_if_fail (HAUL_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 4);
  haul_window_show_toast (self, toast);
}

const char *
haul_window_get_last_toast (HaulWindow *self)
{
  g_return_val_if_fail (HAUL_IS_WINDOW (self), NULL);

  return self->last_toast;
}

static void
dialog_download_cb (HaulWindow    *self,
                    GStrv          urls,
                    const char    *folder,
                    HaulAddDialog *dialog)
{
  const HaulChecksumSpec *checksum = haul_add_dialog_get_checksum (dialog);
  HaulAddOptions options = { .checksum = checksum };
  g_autoptr(GError) error = NULL;

  if (checksum == NULL)
    {
      haul_window_queue_urls (self, (const char * const *) urls, folder);
      return;
    }

  /* One link with the checksum typed for it (the dialog allows no more),
   * as haul --checksum: added at once, even if the list holds it already,
   * since the question would lose the checksum. */
  g_assert (urls[0] != NULL && urls[1] == NULL);
  if (haul_queue_add_full (self->queue, urls[0], folder, &options, &error) == NULL)
    haul_window_add_toast (self, error->message);
  else
    haul_window_add_toast (self, _("Added 1 download"));
}

/* Opened empty: the addresses on the clipboard, if any, are offered. */
static void
clipboard_for_dialog_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(HaulLinkList) links = NULL;
  HaulWindow *self;

  links = haul_drop_reader_read_finish (HAUL_DROP_READER (object), result, NULL);
  if (links == NULL)
    return;  /* cancelled: the window may be gone */

  self = HAUL_WINDOW (user_data);
  if (self->add_dialog != NULL)
    haul_add_dialog_suggest_links (self->add_dialog, links);
}

HaulAddDialog *
haul_window_get_add_dialog (HaulWindow *self)
{
  g_return_val_if_fail (HAUL_IS_WINDOW (self), NULL);

  return self->add_dialog;
}

HaulAddDialog *
haul_window_show_add_dialog (HaulWindow   *self,
                             HaulLinkList *links)
{
  g_return_val_if_fail (HAUL_IS_WINDOW (self), NULL);

  if (self->add_dialog == NULL)
    {
      g_autofree char *folder = haul_dup_download_folder (self->settings);

      self->add_dialog = haul_add_dialog_new (GTK_WINDOW (self), folder);
      g_object_add_weak_pointer (G_OBJECT (self->add_dialog), (gpointer *) &self->add_dialog);
      g_signal_connect_object (self->add_dialog, "download", G_CALLBACK (dialog_download_cb),
                               self, G_CONNECT_SWAPPED);
    }

  if (links != NULL)
    haul_add_dialog_set_links (self->add_dialog, links);
  else if (!gtk_widget_get_visible (GTK_WIDGET (self->add_dialog)))
    haul_drop_reader_read_clipboard_async (self->drop_reader,
                                           gtk_widget_get_clipboard (GTK_WIDGET (self)),
                                           self->cancellable, clipboard_for_dialog_cb, self);

  gtk_window_present (GTK_WINDOW (self->add_dialog));
  return self->add_dialog;
}

static void
haul_window_constructed (GObject *object)
{
  HaulWindow *self = HAUL_WINDOW (object);

  G_OBJECT_CLASS (haul_window_parent_class)->constructed (object);

  g_assert (self->queue != NULL);

  if (self->settings != NULL)
    {
      g_autoptr(GSettingsSchema) schema = NULL;

      g_object_get (self->settings, "settings-schema", &schema, NULL);
      if (g_settings_schema_has_key (schema, "window-width")
          && g_settings_schema_has_key (schema, "window-height")
          && g_settings_schema_has_key (schema, "window-maximized"))
        {
          g_settings_bind (self->settings, "window-width", self, "default-width",
                           G_SETTINGS_BIND_DEFAULT);
          g_settings_bind (self->settings, "window-height", self, "default-height",
                           G_SETTINGS_BIND_DEFAULT);
          g_settings_bind (self->settings, "window-maximized", self, "maximized",
                           G_SETTINGS_BIND_DEFAULT);
        }
    }
}

static void
haul_window_dispose (GObject *object)
{
  HaulWindow *self = HAUL_WINDOW (object);

  g_signal_handlers_disconnect_by_func (self, show_list, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->clipboard_offer);
  g_clear_object (&self->drop_reader);
  g_clear_pointer (&self->offered, haul_link_list_free);
  g_clear_handle_id (&self->reveal_id, g_source_remove);
  g_clear_handle_id (&self->counts_id, g_source_remove);
  g_clear_object (&self->added);
  g_clear_object (&self->feeder);
  if (self->add_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->add_dialog), (gpointer *) &self->add_dialog);
      self->add_dialog = NULL;
    }
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HAUL_TYPE_WINDOW);

  G_OBJECT_CLASS (haul_window_parent_class)->dispose (object);
}

static void
haul_window_finalize (GObject *object)
{
  HaulWindow *self = HAUL_WINDOW (object);

  g_clear_object (&self->view);
  g_clear_object (&self->queue);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->last_toast, g_free);

  G_OBJECT_CLASS (haul_window_parent_class)->finalize (object);
}

static void
haul_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  HaulWindow *self = HAUL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_QUEUE:
      g_value_set_object (value, self->queue);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_FILTER:
      g_value_set_string (value, get_filter (self));
      break;
    case PROP_CATEGORY:
      g_value_set_string (value, get_category (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  HaulWindow *self = HAUL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_QUEUE:
      set_queue (self, g_value_get_object (value));
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_FILTER:
      set_filter (self, g_value_get_string (value));
      break;
    case PROP_CATEGORY:
      set_category (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_window_class_init (HaulWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = haul_window_constructed;
  object_class->dispose = haul_window_dispose;
  object_class->finalize = haul_window_finalize;
  object_class->get_property = haul_window_get_property;
  object_class->set_property = haul_window_set_property;

  properties[PROP_QUEUE] =
    g_param_spec_object ("queue", NULL, NULL,
                         HAUL_TYPE_QUEUE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Which downloads the list shows: "all", "active", "finished", "failed". */
  properties[PROP_FILTER] =
    g_param_spec_string ("filter", NULL, NULL, "all",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Which kind of file it shows: "all", or a kind's name ("pictures"). */
  properties[PROP_CATEGORY] =
    g_param_spec_string ("category", NULL, NULL, "all",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HAUL_TYPE_WRAP_BOX);
  g_type_ensure (HAUL_TYPE_WRITE_ERROR_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/haul-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, category_button);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, drop_hint);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, write_error_bar);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);

  gtk_widget_class_install_property_action (widget_class, "win.filter", "filter");
  gtk_widget_class_install_property_action (widget_class, "win.category", "category");
  gtk_widget_class_install_action (widget_class, "win.remove-finished", NULL,
                                   remove_finished_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.pause-all", NULL, pause_all_action);
  gtk_widget_class_install_action (widget_class, "win.resume-all", NULL, resume_all_action);

  haul_window_links_class_init (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
}

static void
haul_window_init (HaulWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "notify::application", G_CALLBACK (show_list), NULL);

  haul_window_links_init (self);

  /* The striped header bar of GNOME development builds, so a build from
   * ./build-aux/dev run is never mistaken for the installed Haul. */
  if (g_str_equal (PROFILE, "development"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

HaulWindow *
haul_window_new (GtkApplication *application,
                 HaulQueue      *queue,
                 GSettings      *settings)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (HAUL_IS_QUEUE (queue), NULL);

  return g_object_new (HAUL_TYPE_WINDOW,
                       "application", application,
                       "queue", queue,
                       "settings", settings,
                       NULL);
}
