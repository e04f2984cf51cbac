/* haul-window.c: the main window — the list, drops and pastes
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-category.h"
#include "haul-download-row.h"
#include "haul-util.h"
#include "haul-window.h"

/* Drops and pastes are read into memory; more than this is not a list of
 * links anybody meant to drop. */
#define MAX_DROP_BYTES (16 * 1024 * 1024)
#define READ_CHUNK 65536
/* Queueing many links at once: at most this long per main-loop turn. */
#define QUEUE_SLICE_US 4000

/* In order of preference: the richer formats first. */
static const char * const link_mime_types[] = {
  "text/uri-list",
  "text/x-moz-url",
  "_NETSCAPE_URL",
  "text/html",
  "text/plain;charset=utf-8",
  "text/plain",
};

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
  int                   category;       /* a HaulCategory shown alone, -1: all */
  guint                 refilter_id;
  char                 *last_toast;     /* (owned) (nullable) */
  HaulAddDialog        *add_dialog;     /* (unowned) (nullable) weak pointer */
  GQueue                pending;        /* (element-type PendingLink) to queue */
  guint                 pending_id;
  guint                 pending_added;
  char                 *pending_error;  /* (owned) (nullable) the first failure */

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  GtkListView          *list_view;
  GtkWidget            *filter_bar;
  GtkSearchEntry       *search_entry;
  GtkMenuButton        *category_button;
  GtkWidget            *drop_hint;
};

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
/* Reading drops, pastes and dropped files                             */

/* One drop or paste: the links of every part merged, handled when the
 * last part (e.g. the last dropped file) has been read. */
typedef struct
{
  GWeakRef      window;
  HaulLinkList *links;     /* (owned) */
  guint         pending;
  gboolean      pasted;
} Batch;

static Batch *
batch_new (HaulWindow *self,
           gboolean    pasted)
{
  Batch *batch = g_new0 (Batch, 1);

  g_weak_ref_init (&batch->window, self);
  batch->links = haul_link_list_new ();
  batch->pasted = pasted;
  batch->pending = 1;  /* held by the caller until batch_done */

  return batch;
}

static void
batch_done (Batch *batch)
{
  g_autoptr(HaulWindow) self = NULL;

  g_assert (batch->pending > 0);
  if (--batch->pending > 0)
    return;

  self = g_weak_ref_get (&batch->window);
  if (self != NULL && !g_cancellable_is_cancelled (self->cancellable))
    haul_window_handle_links (self, batch->links, batch->pasted);

  g_weak_ref_clear (&batch->window);
  haul_link_list_free (batch->links);
  g_free (batch);
}

static void
batch_add_rejected (Batch      *batch,
                    const char *text,
                    const char *reason)
{
  HaulRejectedLink *rejected = g_new0 (HaulRejectedLink, 1);
  g_autoptr(HaulLinkList) list = haul_link_list_new ();

  rejected->text = g_strdup (text);
  rejected->reason = g_strdup (reason);
  g_ptr_array_add (list->rejected, rejected);
  haul_link_list_merge (batch->links, list);
}

/* Reads a stream to its end (at most MAX_DROP_BYTES), then parses it. */
typedef struct
{
  Batch        *batch;
  GInputStream *stream;    /* (owned) */
  GByteArray   *buffer;    /* (owned) */
  char         *mime_type; /* (owned) */
  GCancellable *cancellable;
  GdkDrop      *drop;      /* (owned) (nullable) finished when read */
} Reader;

static void reader_next (Reader *reader);
static void parse_into_batch (Batch *batch, const char *mime_type, const guint8 *data,
                              gsize length, GCancellable *cancellable);

static void
reader_finish (Reader *reader)
{
  if (reader->drop != NULL)
    gdk_drop_finish (reader->drop, reader->buffer->len > 0 ? GDK_ACTION_COPY : 0);

  if (!g_cancellable_is_cancelled (reader->cancellable))
    parse_into_batch (reader->batch, reader->mime_type, reader->buffer->data,
                      reader->buffer->len, reader->cancellable);

  g_input_stream_close_async (reader->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  batch_done (reader->batch);
  g_clear_object (&reader->stream);
  g_clear_object (&reader->drop);
  g_clear_object (&reader->cancellable);
  g_byte_array_unref (reader->buffer);
  g_free (reader->mime_type);
  g_free (reader);
}

static void
reader_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Reader *reader = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read what was dropped: %s", error->message);
      reader_finish (reader);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      reader_finish (reader);
      return;
    }

  g_byte_array_append (reader->buffer, g_bytes_get_data (bytes, NULL),
                       (guint) MIN (g_bytes_get_size (bytes),
                                    MAX_DROP_BYTES - reader->buffer->len));
  if (reader->buffer->len >= MAX_DROP_BYTES)
    reader_finish (reader);
  else
    reader_next (reader);
}

static void
reader_next (Reader *reader)
{
  g_input_stream_read_bytes_async (reader->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   reader->cancellable, reader_read_cb, reader);
}

static void
read_stream_into_batch (Batch        *batch,
                        GInputStream *stream,
                        const char   *mime_type,
                        GdkDrop      *drop,
                        GCancellable *cancellable)
{
  Reader *reader = g_new0 (Reader, 1);

  batch->pending++;
  reader->batch = batch;
  reader->stream = g_object_ref (stream);
  reader->buffer = g_byte_array_new ();
  reader->mime_type = g_strdup (mime_type);
  reader->cancellable = g_object_ref (cancellable);
  reader->drop = drop ? g_object_ref (drop) : NULL;
  reader_next (reader);
}

static void
parse_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Batch *batch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulLinkList) links = haul_link_parse_finish (result, &error);

  if (links != NULL)
    haul_link_list_merge (batch->links, links);

  batch_done (batch);
}

/* The parse runs in a worker: a megabyte of text, or the local files a
 * uri-list names (text files of links), never hold up the main loop. */
static void
parse_into_batch (Batch        *batch,
                  const char   *mime_type,
                  const guint8 *data,
                  gsize         length,
                  GCancellable *cancellable)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);
  const char *parser_type = mime_type;

  if (mime_type == NULL || g_str_has_prefix (mime_type, "text/plain"))
    parser_type = "text/plain";

  batch->pending++;
  haul_link_parse_async (parser_type, bytes, NULL, cancellable, parse_cb, batch);
}

void
haul_window_handle_data (HaulWindow *self,
                         const char *mime_type,
                         GBytes     *bytes,
                         gboolean    pasted)
{
  Batch *batch;
  gsize length = 0;
  const guint8 *data;

  g_return_if_fail (HAUL_IS_WINDOW (self));
  g_return_if_fail (bytes != NULL);

  data = g_bytes_get_data (bytes, &length);
  batch = batch_new (self, pasted);
  parse_into_batch (batch, mime_type, data, MIN (length, MAX_DROP_BYTES), self->cancellable);
  batch_done (batch);
}

static const char *
choose_mime_type (GdkContentFormats *formats)
{
  for (guint i = 0; i < G_N_ELEMENTS (link_mime_types); i++)
    if (gdk_content_formats_contain_mime_type (formats, link_mime_types[i]))
      return link_mime_types[i];

  return NULL;
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
/* Drag and drop                                                       */

static void
drop_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Batch *batch = user_data;
  GdkDrop *drop = GDK_DROP (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(HaulWindow) self = g_weak_ref_get (&batch->window);
  const char *mime_type = NULL;

  stream = gdk_drop_read_finish (drop, result, &mime_type, &error);
  if (stream == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        batch_add_rejected (batch, "", error->message);
      gdk_drop_finish (drop, 0);
    }
  else if (self != NULL)
    read_stream_into_batch (batch, stream, mime_type, drop, self->cancellable);
  else
    gdk_drop_finish (drop, 0);

  batch_done (batch);
}

static void
set_drop_hover (HaulWindow *self,
                gboolean    hover)
{
  gtk_widget_set_visible (self->drop_hint, hover);
  if (hover)
    gtk_widget_add_css_class (GTK_WIDGET (self), "drop-hover");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "drop-hover");
}

static gboolean
drop_accept_cb (GtkDropTargetAsync *target,
                GdkDrop            *drop,
                HaulWindow         *self)
{
  /* A drag that starts inside the window (selected text of a label) is
   * not new links. */
  if (gdk_drop_get_drag (drop) != NULL)
    return FALSE;

  return choose_mime_type (gdk_drop_get_formats (drop)) != NULL;
}

static GdkDragAction
drop_enter_cb (GtkDropTargetAsync *target,
               GdkDrop            *drop,
               double              x,
               double              y,
               HaulWindow         *self)
{
  set_drop_hover (self, TRUE);
  return GDK_ACTION_COPY;
}

static void
drop_leave_cb (GtkDropTargetAsync *target,
               GdkDrop            *drop,
               HaulWindow         *self)
{
  set_drop_hover (self, FALSE);
}

static gboolean
drop_cb (GtkDropTargetAsync *target,
         GdkDrop            *drop,
         double              x,
         double              y,
         HaulWindow         *self)
{
  const char *mime_type = choose_mime_type (gdk_drop_get_formats (drop));
  const char *mime_types[2] = { mime_type, NULL };
  Batch *batch;

  set_drop_hover (self, FALSE);
  if (mime_type == NULL)
    return FALSE;

  batch = batch_new (self, FALSE);
  gdk_drop_read_async (drop, mime_types, G_PRIORITY_DEFAULT, self->cancellable,
                       drop_read_cb, batch);
  return TRUE;
}

static void
setup_drop_target (HaulWindow *self)
{
  g_autoptr(GdkContentFormats) formats = NULL;
  GtkDropTargetAsync *target;

  formats = gdk_content_formats_new ((const char **) link_mime_types, G_N_ELEMENTS (link_mime_types));
  target = gtk_drop_target_async_new (g_steal_pointer (&formats), GDK_ACTION_COPY);
  g_signal_connect_object (target, "accept", G_CALLBACK (drop_accept_cb), self, 0);
  g_signal_connect_object (target, "drag-enter", G_CALLBACK (drop_enter_cb), self, 0);
  g_signal_connect_object (target, "drag-motion", G_CALLBACK (drop_enter_cb), self, 0);
  g_signal_connect_object (target, "drag-leave", G_CALLBACK (drop_leave_cb), self, 0);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

/* ------------------------------------------------------------------ */
/* Paste                                                               */

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Batch *batch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(HaulWindow) self = g_weak_ref_get (&batch->window);
  const char *mime_type = NULL;

  stream = gdk_clipboard_read_finish (GDK_CLIPBOARD (object), result, &mime_type, &error);
  if (stream != NULL && self != NULL)
    read_stream_into_batch (batch, stream, mime_type, NULL, self->cancellable);
  else if (stream == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    batch_add_rejected (batch, "", error->message);

  batch_done (batch);
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HaulWindow *self = HAUL_WINDOW (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  const char *mime_type = choose_mime_type (gdk_clipboard_get_formats (clipboard));
  const char *mime_types[2] = { mime_type, NULL };

  if (mime_type == NULL)
    {
      toast_nothing (self, TRUE, NULL);
      return;
    }

  gdk_clipboard_read_async (clipboard, mime_types, G_PRIORITY_DEFAULT, self->cancellable,
                            clipboard_read_cb, batch_new (self, TRUE));
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

  if (self->category >= 0 && (int) haul_download_get_category (download) != self->category)
    return FALSE;

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

/* The filter model does not watch its items: when a state or a kind
 * changes while a filter is on, filter again (once per main-loop turn). */
static void
download_state_cb (HaulWindow   *self,
                   GParamSpec   *pspec,
                   HaulDownload *download)
{
  if ((self->filter_mode == FILTER_ALL && self->category < 0) || self->refilter_id != 0)
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
      g_signal_connect_object (download, "notify::category", G_CALLBACK (download_state_cb),
                               self, G_CONNECT_SWAPPED);
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

/* "all" or a kind's name (haul_category_to_string()). */
static void
set_category (HaulWindow *self,
              const char *name)
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
  g_autofree char *tooltip = NULL;
  HaulCategory category;
  int value = -1;

  if (haul_category_from_string (name, &category))
    value = (int) category;
  if (value == self->category)
    return;

  self->category = value;
  if (value >= 0)
    /* Translators: the tooltip of the kind filter; %s is a kind, "Pictures". */
    tooltip = g_strdup_printf (_("Showing %s Only"), haul_category_get_label (value));
  gtk_menu_button_set_icon_name (self->category_button,
                                 value >= 0 ? icons[value] : "folder-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->category_button),
                               tooltip != NULL ? tooltip : _("Show One Kind of File"));
  if (value >= 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->category_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->category_button), "accent");
  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY]);
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
    case PROP_CATEGORY:
      g_value_set_string (value, self->category >= 0 ? haul_category_to_string (self->category)
                                                     : "all");
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

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/haul-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, category_button);
  gtk_widget_class_bind_template_child (widget_class, HaulWindow, drop_hint);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);

  gtk_widget_class_install_action (widget_class, "win.paste", NULL, paste_action);
  gtk_widget_class_install_property_action (widget_class, "win.filter", "filter");
  gtk_widget_class_install_property_action (widget_class, "win.category", "category");
  gtk_widget_class_install_action (widget_class, "win.remove-finished", NULL,
                                   remove_finished_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);

  /* Bubble phase: a focused text field pastes into itself first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "win.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
}

static void
haul_window_init (HaulWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->category = -1;

  gtk_widget_init_template (GTK_WIDGET (self));
  setup_drop_target (self);

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
