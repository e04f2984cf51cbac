/* haul-window.c: the main window — the list; what drops and pastes bring
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-download-row.h"
#include "haul-drop-reader.h"
#include "haul-util.h"
#include "haul-window.h"
#include "haul-wrap-box.h"

/* Queueing many links at once: at most this long per main-loop turn. */
#define QUEUE_SLICE_US 4000

typedef enum {
  FILTER_ALL,
  FILTER_ACTIVE,
  FILTER_FINISHED,
  FILTER_FAILED,
} FilterMode;

struct _HaulWindow
{
  AdwApplicationWindow  parent_instance;

  HaulQueue            *queue;          /* (owned) */
  GSettings            *settings;       /* (owned) (nullable) */
  GCancellable         *cancellable;    /* (owned) cancelled in dispose */
  GtkCustomFilter      *filter;         /* (owned) */
  GtkFilterListModel   *filter_model;   /* (owned) */
  FilterMode            filter_mode;
  guint                 refilter_id;
  char                 *last_toast;     /* (owned) (nullable) */
  HaulAddDialog        *add_dialog;     /* (unowned) (nullable) weak pointer */
  GQueue                pending;        /* (element-type PendingLink) to queue */
  guint                 pending_id;
  guint                 pending_added;
  char                 *pending_error;  /* (owned) (nullable) the first failure */
  HaulDropReader       *drop_reader;    /* (owned) drops on the window, pastes */

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  GtkListView          *list_view;
  GtkWidget            *filter_bar;
  GtkSearchEntry       *search_entry;
  GtkWidget            *drop_hint;
};

G_DEFINE_FINAL_TYPE (HaulWindow, haul_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_QUEUE,
  PROP_SETTINGS,
  PROP_FILTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------ */
/* Drops and pastes                                                    */

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gboolean      pasted,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulLinkList) links = NULL;

  links = haul_drop_reader_read_finish (HAUL_DROP_READER (object), result, &error);
  if (links == NULL)
    return;  /* cancelled: the window may be gone */

  haul_window_handle_links (HAUL_WINDOW (user_data), links, pasted);
}

static void
dropped_bytes_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  read_cb (object, result, FALSE, user_data);
}

static void
pasted_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  read_cb (object, result, TRUE, user_data);
}

void
haul_window_handle_data (HaulWindow *self,
                         const char *mime_type,
                         GBytes     *bytes,
                         gboolean    pasted)
{
  g_return_if_fail (HAUL_IS_WINDOW (self));
  g_return_if_fail (bytes != NULL);

  haul_drop_reader_read_bytes_async (self->drop_reader, mime_type, bytes, self->cancellable,
                                     pasted ? pasted_cb : dropped_bytes_cb, self);
}

static void
toast_nothing (HaulWindow   *self,
               gboolean      pasted,
               HaulLinkList *links)
{
  g_autofree char *title = NULL;
  const char *base = pasted ? _("Nothing to download in what was pasted")
                            : _("Nothing to download in what was dropped");

  if (links != NULL && links->rejected->len > 0)
    {
      HaulRejectedLink *first = g_ptr_array_index (links->rejected, 0);
      /* Translators: "Nothing to download in what was dropped: <reason>" */
      title = g_strdup_printf (_("%s: %s"), base, first->reason);
    }
  else
    title = g_strdup (base);

  haul_window_add_toast (self, title);
}

void
haul_window_handle_links (HaulWindow   *self,
                          HaulLinkList *links,
                          gboolean      pasted)
{
  g_return_if_fail (HAUL_IS_WINDOW (self));
  g_return_if_fail (links != NULL);

  if (links->urls->len == 0)
    {
      toast_nothing (self, pasted, links);
      return;
    }

  if (links->urls->len == 1)
    {
      g_autofree char *folder = haul_dup_download_folder (self->settings);
      g_autoptr(GError) error = NULL;
      const char *url = g_ptr_array_index (links->urls, 0);

      if (haul_queue_add (self->queue, url, folder, &error) == NULL)
        haul_window_add_toast (self, error->message);
      else
        haul_window_add_toast (self, _("Added 1 download"));
      return;
    }

  haul_window_show_add_dialog (self, links);
}

/* ------------------------------------------------------------------ */
/* Drag and drop, paste                                                */

static void
hovering_cb (HaulWindow     *self,
             GParamSpec     *pspec,
             HaulDropReader *reader)
{
  gboolean hover = haul_drop_reader_get_hovering (reader);

  gtk_widget_set_visible (self->drop_hint, hover);
  if (hover)
    gtk_widget_add_css_class (GTK_WIDGET (self), "drop-hover");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "drop-hover");
}

static void
dropped_cb (HaulWindow     *self,
            HaulLinkList   *links,
            HaulDropReader *reader)
{
  haul_window_handle_links (self, links, FALSE);
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HaulWindow *self = HAUL_WINDOW (widget);

  haul_drop_reader_read_clipboard_async (self->drop_reader, gtk_widget_get_clipboard (widget),
                                         self->cancellable, pasted_cb, self);
}

/* ------------------------------------------------------------------ */
/* The list                                                            */

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  HaulWindow *self = user_data;
  HaulDownload *download = item;
  HaulDownloadState state = haul_download_get_state (download);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  switch (self->filter_mode)
    {
    case FILTER_ACTIVE:
      if (state != HAUL_DOWNLOAD_QUEUED && state != HAUL_DOWNLOAD_CONNECTING
          && state != HAUL_DOWNLOAD_DOWNLOADING && state != HAUL_DOWNLOAD_PAUSED)
        return FALSE;
      break;
    case FILTER_FINISHED:
      if (state != HAUL_DOWNLOAD_COMPLETED)
        return FALSE;
      break;
    case FILTER_FAILED:
      if (state != HAUL_DOWNLOAD_FAILED && state != HAUL_DOWNLOAD_CANCELLED)
        return FALSE;
      break;
    case FILTER_ALL:
    default:
      break;
    }

  if (search != NULL && *search != '\0')
    {
      g_autofree char *needle = g_utf8_casefold (search, -1);
      g_autofree char *display = haul_download_dup_display_name (download);
      g_autofree char *name = g_utf8_casefold (display, -1);
      g_autofree char *uri = g_utf8_casefold (haul_download_get_uri (download), -1);

      if (strstr (name, needle) == NULL && strstr (uri, needle) == NULL)
        return FALSE;
    }

  return TRUE;
}

static void
update_view (HaulWindow *self)
{
  guint n_all = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint n_active = haul_queue_get_n_active (self->queue);

  if (n_all == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (n_shown == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");

  gtk_widget_set_visible (self->filter_bar, n_all > 0);

  if (n_active > 0)
    {
      g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "%u active download",
                                                                "%u active downloads",
                                                                n_active),
                                                   n_active);
      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
  else
    adw_window_title_set_subtitle (self->window_title, NULL);
}

static gboolean
refilter_cb (gpointer user_data)
{
  HaulWindow *self = user_data;

  self->refilter_id = 0;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  return G_SOURCE_REMOVE;
}

/* The filter model does not watch its items: when a state changes while a
 * state filter is on, filter again (once per main-loop turn). */
static void
download_state_cb (HaulWindow   *self,
                   GParamSpec   *pspec,
                   HaulDownload *download)
{
  if (self->filter_mode == FILTER_ALL || self->refilter_id != 0)
    return;

  self->refilter_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, refilter_cb, self, NULL);
}

static void
watch_downloads (HaulWindow *self,
                 guint       position,
                 guint       n_added)
{
  for (guint i = position; i < position + n_added; i++)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (G_LIST_MODEL (self->queue), i);

      g_signal_connect_object (download, "notify::state", G_CALLBACK (download_state_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
queue_items_changed_cb (HaulWindow *self,
                        guint       position,
                        guint       removed,
                        guint       added,
                        GListModel *model)
{
  watch_downloads (self, position, added);
  update_view (self);
}

static void
filter_items_changed_cb (HaulWindow *self,
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
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              HaulWindow               *self)
{
  GtkWidget *row = haul_download_row_new ();

  haul_download_row_set_queue (HAUL_DOWNLOAD_ROW (row), self->queue);
  gtk_list_item_set_child (item, row);
  gtk_list_item_set_activatable (item, TRUE);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             HaulWindow               *self)
{
  haul_download_row_set_download (HAUL_DOWNLOAD_ROW (gtk_list_item_get_child (item)),
                                  gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               HaulWindow               *self)
{
  haul_download_row_set_download (HAUL_DOWNLOAD_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
list_activate_cb (HaulWindow  *self,
                  guint        position,
                  GtkListView *list_view)
{
  g_autoptr(HaulDownload) download = g_list_model_get_item (G_LIST_MODEL (self->filter_model),
                                                            position);
  g_autofree char *path = NULL;

  if (download == NULL || haul_download_get_state (download) != HAUL_DOWNLOAD_COMPLETED
      || haul_download_get_file_missing (download))
    return;

  path = haul_download_dup_path (download);
  if (path != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.open-file", "s", path);
}

static void
n_active_cb (HaulWindow *self)
{
  update_view (self);
}

static void
set_queue (HaulWindow *self,
           HaulQueue  *queue)
{
  GtkListItemFactory *factory;
  g_autoptr(GtkNoSelection) selection = NULL;

  g_assert (self->queue == NULL);
  self->queue = g_object_ref (queue);

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (queue)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row_cb), self, 0);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  watch_downloads (self, 0, g_list_model_get_n_items (G_LIST_MODEL (queue)));
  g_signal_connect_object (queue, "items-changed", G_CALLBACK (queue_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (filter_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (queue, "notify::n-active", G_CALLBACK (n_active_cb), self,
                           G_CONNECT_SWAPPED);
  update_view (self);
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */

static void
set_filter (HaulWindow *self,
            const char *mode)
{
  FilterMode filter_mode = FILTER_ALL;

  if (g_strcmp0 (mode, "active") == 0)
    filter_mode = FILTER_ACTIVE;
  else if (g_strcmp0 (mode, "finished") == 0)
    filter_mode = FILTER_FINISHED;
  else if (g_strcmp0 (mode, "failed") == 0)
    filter_mode = FILTER_FAILED;

  if (filter_mode == self->filter_mode)
    return;

  self->filter_mode = filter_mode;
  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
}

static const char *
get_filter (HaulWindow *self)
{
  switch (self->filter_mode)
    {
    case FILTER_ACTIVE: return "active";
    case FILTER_FINISHED: return "finished";
    case FILTER_FAILED: return "failed";
    case FILTER_ALL:
    default: return "all";
    }
}

static void
remove_finished_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  haul_queue_remove_finished (HAUL_WINDOW (widget)->queue);
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

void
haul_window_add_toast (HaulWindow *self,
                       const char *title)
{
  AdwToast *toast;

  g_return_if_fail (HAUL_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  g_free (self->last_toast);
  self->last_toast = g_strdup (title);

  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

const char *
haul_window_get_last_toast (HaulWindow *self)
{
  g_return_val_if_fail (HAUL_IS_WINDOW (self), NULL);

  return self->last_toast;
}

typedef struct
{
  char *url;
  char *folder;
} PendingLink;

static void
pending_link_free (gpointer data)
{
  PendingLink *link = data;

  g_free (link->url);
  g_free (link->folder);
  g_free (link);
}

static gboolean
queue_pending_cb (gpointer user_data)
{
  HaulWindow *self = user_data;
  gint64 start = g_get_monotonic_time ();
  g_autofree char *title = NULL;

  while (!g_queue_is_empty (&self->pending)
         && g_get_monotonic_time () - start < QUEUE_SLICE_US)
    {
      PendingLink *link = g_queue_pop_head (&self->pending);
      g_autoptr(GError) error = NULL;

      if (haul_queue_add (self->queue, link->url, link->folder, &error) != NULL)
        self->pending_added++;
      else if (self->pending_error == NULL)
        self->pending_error = g_strdup (error->message);

      pending_link_free (link);
    }

  if (!g_queue_is_empty (&self->pending))
    return G_SOURCE_CONTINUE;

  self->pending_id = 0;
  if (self->pending_added > 0)
    {
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Added %u download",
                                            "Added %u downloads", self->pending_added),
                               self->pending_added);
      haul_window_add_toast (self, title);
    }
  if (self->pending_error != NULL)
    haul_window_add_toast (self, self->pending_error);

  self->pending_added = 0;
  g_clear_pointer (&self->pending_error, g_free);
  return G_SOURCE_REMOVE;
}

void
haul_window_queue_urls (HaulWindow         *self,
                        const char * const *urls,
                        const char         *folder)
{
  g_return_if_fail (HAUL_IS_WINDOW (self));
  g_return_if_fail (urls != NULL);
  g_return_if_fail (folder != NULL);

  for (guint i = 0; urls[i] != NULL; i++)
    {
      PendingLink *link = g_new0 (PendingLink, 1);

      link->url = g_strdup (urls[i]);
      link->folder = g_strdup (folder);
      g_queue_push_tail (&self->pending, link);
    }

  /* Below redraw priority: a frame is drawn between two slices. */
  if (self->pending_id == 0 && !g_queue_is_empty (&self->pending))
    self->pending_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, queue_pending_cb, self, NULL);
}

guint
haul_window_get_n_pending (HaulWindow *self)
{
  g_return_val_if_fail (HAUL_IS_WINDOW (self), 0);

  return self->pending.length;
}

static void
dialog_download_cb (HaulWindow    *self,
                    GStrv          urls,
                    const char    *folder,
                    HaulAddDialog *dialog)
{
  haul_window_queue_urls (self, (const char * const *) urls, folder);
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

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->drop_reader);
  g_clear_handle_id (&self->refilter_id, g_source_remove);
  g_clear_handle_id (&self->pending_id, g_source_remove);
  g_queue_clear_full (&self->pending, pending_link_free);
  g_clear_pointer (&self->pending_error, g_free);
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

  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HAUL_TYPE_WRAP_BOX);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/haul-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, drop_hint);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);

  gtk_widget_class_install_action (widget_class, "win.paste", NULL, paste_action);
  gtk_widget_class_install_property_action (widget_class, "win.filter", "filter");
  gtk_widget_class_install_action (widget_class, "win.remove-finished", NULL,
                                   remove_finished_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);

  /* Bubble phase: a focused text field pastes into itself first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK,
                                       "win.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
}

static void
haul_window_init (HaulWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->drop_reader = haul_drop_reader_new (GTK_WIDGET (self));
  g_signal_connect_object (self->drop_reader, "notify::hovering", G_CALLBACK (hovering_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->drop_reader, "dropped", G_CALLBACK (dropped_cb), self,
                           G_CONNECT_SWAPPED);

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
