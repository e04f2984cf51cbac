/* haul-drop-reader.c: what a drop or the clipboard holds → a list of links
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One read is one GTask whose source object is the reader: the offered
 * bytes are read in chunks of READ_CHUNK (at most MAX_DROP_BYTES), a drop
 * is finished as soon as its bytes are in, and the parse runs in a worker.
 * Disposing the reader cancels every read it started for itself (drops);
 * reads started by a caller follow the caller's cancellable.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "haul-drop-reader.h"

/* Drops and pastes are read into memory; more than this is not a list of
 * links anybody meant to drop. */
#define MAX_DROP_BYTES (16 * 1024 * 1024)
#define READ_CHUNK 65536

/* In order of preference: the richer formats first. */
static const char * const link_mime_types[] = {
  "text/uri-list",
  "text/x-moz-url",
  "_NETSCAPE_URL",
  "text/html",
  "text/plain;charset=utf-8",
  "text/plain",
};

struct _HaulDropReader
{
  GObject             parent_instance;

  GtkDropTargetAsync *target;       /* (owned) on the widget */
  GCancellable       *cancellable;  /* (owned) cancelled in dispose */
  gboolean            hovering;
};

G_DEFINE_FINAL_TYPE (HaulDropReader, haul_drop_reader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOVERING,
  N_PROPS
};

enum {
  DROPPED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* One read                                                            */

typedef struct
{
  GdkDrop      *drop;       /* (owned) (nullable) finished once read */
  GInputStream *stream;     /* (owned) (nullable) */
  GByteArray   *buffer;     /* (owned) */
  char         *mime_type;  /* (owned) (nullable) */
  double        x, y;       /* where it was dropped, in the widget */
} ReadData;

static void
read_data_free (ReadData *data)
{
  /* A drop nobody finished (cancelled, failed) is refused. */
  if (data->drop != NULL)
    gdk_drop_finish (data->drop, 0);
  g_clear_object (&data->drop);
  g_clear_object (&data->stream);
  g_byte_array_unref (data->buffer);
  g_free (data->mime_type);
  g_free (data);
}

static GTask *
read_task_new (HaulDropReader      *self,
               GdkDrop             *drop,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ReadData *data = g_new0 (ReadData, 1);

  data->drop = drop != NULL ? g_object_ref (drop) : NULL;
  data->buffer = g_byte_array_new ();
  g_task_set_source_tag (task, haul_drop_reader_read_finish);
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  return task;
}

/* The read failed before any bytes: a list that says why. */
static void
return_failure (GTask        *task,
                const GError *error)
{
  HaulLinkList *links;
  HaulRejectedLink *rejected;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_error_copy (error));
      return;
    }

  links = haul_link_list_new ();
  rejected = g_new0 (HaulRejectedLink, 1);
  rejected->text = g_strdup ("");
  rejected->reason = g_strdup (error->message);
  g_ptr_array_add (links->rejected, rejected);
  g_task_return_pointer (task, links, (GDestroyNotify) haul_link_list_free);
}

static void
parse_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  HaulLinkList *links = haul_link_parse_finish (result, &error);

  if (links == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, links, (GDestroyNotify) haul_link_list_free);
}

/* Takes @task. The parse runs in a worker: a megabyte of text, or the local
 * files a uri-list names (text files of links), never hold up the main
 * loop. */
static void
parse (GTask        *task,
       const char   *mime_type,
       const guint8 *bytes,
       gsize         length)
{
  g_autoptr(GBytes) data = g_bytes_new (bytes, MIN (length, MAX_DROP_BYTES));
  const char *parser_type = mime_type;

  if (mime_type == NULL || g_str_has_prefix (mime_type, "text/plain"))
    parser_type = "text/plain";

  haul_link_parse_async (parser_type, data, NULL, g_task_get_cancellable (task), parse_cb, task);
}

static void read_next (GTask *task);

static void
read_done (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);

  /* The source may stop waiting as soon as the bytes are in. */
  if (data->drop != NULL)
    {
      gdk_drop_finish (data->drop, data->buffer->len > 0 ? GDK_ACTION_COPY : 0);
      g_clear_object (&data->drop);
    }
  g_input_stream_close_async (data->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  parse (task, data->mime_type, data->buffer->data, data->buffer->len);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read what was dropped: %s", error->message);
      read_done (task);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      read_done (task);
      return;
    }

  g_byte_array_append (data->buffer, g_bytes_get_data (bytes, NULL),
                       (guint) MIN (g_bytes_get_size (bytes),
                                    MAX_DROP_BYTES - data->buffer->len));
  if (data->buffer->len >= MAX_DROP_BYTES)
    read_done (task);
  else
    read_next (task);
}

static void
read_next (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
}

/* Takes @task and @stream. */
static void
read_stream (GTask        *task,
             GInputStream *stream,
             const char   *mime_type)
{
  ReadData *data = g_task_get_task_data (task);

  data->stream = stream;
  data->mime_type = g_strdup (mime_type);
  read_next (task);
}

/* ------------------------------------------------------------------ */
/* Drops                                                               */

const char *
haul_drop_reader_choose_mime_type (GdkContentFormats *formats)
{
  g_return_val_if_fail (formats != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (link_mime_types); i++)
    if (gdk_content_formats_contain_mime_type (formats, link_mime_types[i]))
      return link_mime_types[i];

  return NULL;
}

static void
set_hovering (HaulDropReader *self,
              gboolean        hovering)
{
  if (self->hovering == hovering)
    return;

  self->hovering = hovering;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOVERING]);
}

static void
drop_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  GInputStream *stream;
  const char *mime_type = NULL;

  stream = gdk_drop_read_finish (GDK_DROP (object), result, &mime_type, &error);
  if (stream == NULL)
    {
      return_failure (task, error);
      g_object_unref (task);
      return;
    }

  read_stream (task, stream, mime_type);
}

static void
dropped_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  HaulDropReader *self = HAUL_DROP_READER (object);
  ReadData *data = g_task_get_task_data (G_TASK (result));
  double x = data->x, y = data->y;
  g_autoptr(HaulLinkList) links = haul_drop_reader_read_finish (self, result, NULL);

  if (links != NULL)
    g_signal_emit (self, signals[DROPPED], 0, links, x, y);
}

static gboolean
drop_accept_cb (HaulDropReader     *self,
                GdkDrop            *drop,
                GtkDropTargetAsync *target)
{
  /* A drag that starts inside the window (selected text of a label) is
   * not new links. */
  if (gdk_drop_get_drag (drop) != NULL)
    return FALSE;

  return haul_drop_reader_choose_mime_type (gdk_drop_get_formats (drop)) != NULL;
}

static GdkDragAction
drop_motion_cb (HaulDropReader     *self,
                GdkDrop            *drop,
                double              x,
                double              y,
                GtkDropTargetAsync *target)
{
  set_hovering (self, TRUE);
  return GDK_ACTION_COPY;
}

static void
drop_leave_cb (HaulDropReader     *self,
               GdkDrop            *drop,
               GtkDropTargetAsync *target)
{
  set_hovering (self, FALSE);
}

static gboolean
drop_cb (HaulDropReader     *self,
         GdkDrop            *drop,
         double              x,
         double              y,
         GtkDropTargetAsync *target)
{
  const char *mime_type = haul_drop_reader_choose_mime_type (gdk_drop_get_formats (drop));
  const char *mime_types[2] = { mime_type, NULL };
  ReadData *data;
  GTask *task;

  set_hovering (self, FALSE);
  if (mime_type == NULL)
    return FALSE;

  task = read_task_new (self, drop, self->cancellable, dropped_cb, NULL);
  data = g_task_get_task_data (task);
  data->x = x;
  data->y = y;
  gdk_drop_read_async (drop, mime_types, G_PRIORITY_DEFAULT, self->cancellable,
                       drop_read_cb, task);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* X11: sources that change their action list after the drop           */

#ifdef GDK_WINDOWING_X11
/* GDK 4.8 keeps a drop alive after it was dropped (until the next drag
 * enters) and keeps listening to the source window's XdndActionList; when
 * the source changes or deletes the list at the end of its drag, as
 * Chromium does, GDK sets the actions of a drop that has already been
 * dropped: "Gdk-CRITICAL gdk_drop_set_actions: assertion 'priv->state ==
 * GDK_DROP_STATE_NONE' failed" (an abort under G_DEBUG=fatal-criticals).
 * A drop's actions mean nothing once it is dropped, so the property
 * change of a source whose drop we saw is not passed on, until that
 * source starts another drag. Connected before any XdndEnter, this handler
 * runs before the one GDK connects for each drop. */
typedef struct
{
  Atom   xdnd_enter;
  Atom   xdnd_drop;
  Atom   xdnd_action_list;
  Window dropped_source;  /* the source of the last drop, or None */
} XdndGuard;

static gboolean
xdnd_guard_xevent_cb (GdkX11Display *display,
                      const XEvent  *xevent,
                      XdndGuard     *guard)
{
  if (xevent->type == ClientMessage)
    {
      if (xevent->xclient.message_type == guard->xdnd_drop)
        guard->dropped_source = (Window) xevent->xclient.data.l[0];
      else if (xevent->xclient.message_type == guard->xdnd_enter
               && (Window) xevent->xclient.data.l[0] == guard->dropped_source)
        guard->dropped_source = None;
      return FALSE;
    }

  /* TRUE: handled, GDK's own handlers do not see it. */
  return xevent->type == PropertyNotify
         && guard->dropped_source != None
         && xevent->xproperty.window == guard->dropped_source
         && xevent->xproperty.atom == guard->xdnd_action_list;
}
#endif

/* Once per display, for the display's life. */
static void
install_xdnd_guard (GdkDisplay *display)
{
#ifdef GDK_WINDOWING_X11
  XdndGuard *guard;

  if (!GDK_IS_X11_DISPLAY (display) || g_object_get_data (G_OBJECT (display), "haul-xdnd-guard"))
    return;

  guard = g_new0 (XdndGuard, 1);
  guard->xdnd_enter = gdk_x11_get_xatom_by_name_for_display (display, "XdndEnter");
  guard->xdnd_drop = gdk_x11_get_xatom_by_name_for_display (display, "XdndDrop");
  guard->xdnd_action_list = gdk_x11_get_xatom_by_name_for_display (display, "XdndActionList");
  guard->dropped_source = None;
  g_object_set_data_full (G_OBJECT (display), "haul-xdnd-guard", guard, g_free);
  g_signal_connect (display, "xevent", G_CALLBACK (xdnd_guard_xevent_cb), guard);
#endif
}

/* ------------------------------------------------------------------ */
/* The clipboard and plain bytes                                       */

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  GInputStream *stream;
  const char *mime_type = NULL;

  stream = gdk_clipboard_read_finish (GDK_CLIPBOARD (object), result, &mime_type, &error);
  if (stream == NULL)
    {
      return_failure (task, error);
      g_object_unref (task);
      return;
    }

  read_stream (task, stream, mime_type);
}

void
haul_drop_reader_read_clipboard_async (HaulDropReader      *self,
                                       GdkClipboard        *clipboard,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;
  const char *mime_type;
  const char *mime_types[2] = { NULL, NULL };

  g_return_if_fail (HAUL_IS_DROP_READER (self));
  g_return_if_fail (GDK_IS_CLIPBOARD (clipboard));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = read_task_new (self, NULL, cancellable, callback, user_data);
  mime_type = haul_drop_reader_choose_mime_type (gdk_clipboard_get_formats (clipboard));
  if (mime_type == NULL)
    {
      g_task_return_pointer (task, haul_link_list_new (), (GDestroyNotify) haul_link_list_free);
      g_object_unref (task);
      return;
    }

  mime_types[0] = mime_type;
  gdk_clipboard_read_async (clipboard, mime_types, G_PRIORITY_DEFAULT, cancellable,
                            clipboard_read_cb, task);
}

void
haul_drop_reader_read_bytes_async (HaulDropReader      *self,
                                   const char          *mime_type,
                                   GBytes              *bytes,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  gsize length = 0;
  const guint8 *data;

  g_return_if_fail (HAUL_IS_DROP_READER (self));
  g_return_if_fail (bytes != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = read_task_new (self, NULL, cancellable, callback, user_data);
  data = g_bytes_get_data (bytes, &length);
  parse (task, mime_type, data != NULL ? data : (const guint8 *) "", length);
}

HaulLinkList *
haul_drop_reader_read_finish (HaulDropReader  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (HAUL_IS_DROP_READER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == haul_drop_reader_read_finish,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
haul_drop_reader_get_hovering (HaulDropReader *self)
{
  g_return_val_if_fail (HAUL_IS_DROP_READER (self), FALSE);

  return self->hovering;
}

/* ------------------------------------------------------------------ */

static void
haul_drop_reader_dispose (GObject *object)
{
  HaulDropReader *self = HAUL_DROP_READER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->target != NULL)
    g_signal_handlers_disconnect_by_data (self->target, self);
  g_clear_object (&self->target);

  G_OBJECT_CLASS (haul_drop_reader_parent_class)->dispose (object);
}

static void
haul_drop_reader_finalize (GObject *object)
{
  HaulDropReader *self = HAUL_DROP_READER (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (haul_drop_reader_parent_class)->finalize (object);
}

static void
haul_drop_reader_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HaulDropReader *self = HAUL_DROP_READER (object);

  switch (prop_id)
    {
    case PROP_HOVERING:
      g_value_set_boolean (value, self->hovering);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_drop_reader_class_init (HaulDropReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = haul_drop_reader_dispose;
  object_class->finalize = haul_drop_reader_finalize;
  object_class->get_property = haul_drop_reader_get_property;

  properties[PROP_HOVERING] =
    g_param_spec_boolean ("hovering", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DROPPED] = g_signal_new ("dropped",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 3, G_TYPE_POINTER, G_TYPE_DOUBLE,
                                   G_TYPE_DOUBLE);
}

static void
haul_drop_reader_init (HaulDropReader *self)
{
  self->cancellable = g_cancellable_new ();
}

HaulDropReader *
haul_drop_reader_new (GtkWidget *widget)
{
  g_autoptr(GdkContentFormats) formats = NULL;
  HaulDropReader *self;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  self = g_object_new (HAUL_TYPE_DROP_READER, NULL);

  formats = gdk_content_formats_new ((const char **) link_mime_types,
                                     G_N_ELEMENTS (link_mime_types));
  self->target = gtk_drop_target_async_new (g_steal_pointer (&formats), GDK_ACTION_COPY);
  g_object_ref (self->target);
  g_signal_connect_swapped (self->target, "accept", G_CALLBACK (drop_accept_cb), self);
  g_signal_connect_swapped (self->target, "drag-enter", G_CALLBACK (drop_motion_cb), self);
  g_signal_connect_swapped (self->target, "drag-motion", G_CALLBACK (drop_motion_cb), self);
  g_signal_connect_swapped (self->target, "drag-leave", G_CALLBACK (drop_leave_cb), self);
  g_signal_connect_swapped (self->target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (self->target));
  install_xdnd_guard (gtk_widget_get_display (widget));

  return self;
}
