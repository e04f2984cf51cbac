/* haul-add-dialog.c: links to download, typed, pasted or dropped
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-add-dialog.h"
#include "haul-checksum.h"

#define REPARSE_DELAY_MS 150

struct _HaulAddDialog
{
  AdwWindow      parent_instance;

  char          *folder;          /* (owned) */
  GPtrArray     *drop_rejected;   /* (owned) (element-type utf8) lines from the drop */
  guint          reparse_id;
  GtkFileChooserNative *chooser;  /* (owned) (nullable) */

  GtkTextView   *text_view;
  GtkLabel      *summary_label;
  GtkWidget     *rejected_box;
  GtkLabel      *rejected_label;
  GtkLabel      *folder_label;
  GtkWidget     *download_button;
  AdwEntryRow   *checksum_row;
  GtkLabel      *checksum_error_label;

  HaulChecksumSpec *checksum;     /* (owned) (nullable) what the field holds, when valid */
};

G_DEFINE_FINAL_TYPE (HaulAddDialog, haul_add_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_FOLDER,
  N_PROPS
};

enum {
  DOWNLOAD,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
dup_text (HaulAddDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

HaulLinkList *
haul_add_dialog_parse (HaulAddDialog *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (HAUL_IS_ADD_DIALOG (self), NULL);

  text = dup_text (self);
  return haul_link_parse ("text/plain", (const guint8 *) text, strlen (text), NULL);
}

static void
append_rejected (GString    *lines,
                 const char *text,
                 const char *reason)
{
  if (lines->len > 0)
    g_string_append_c (lines, '\n');
  /* Translators: a rejected piece of text and why: "ftp://x — Only web links…" */
  g_string_append_printf (lines, _("%s — %s"), text, reason);
}

static void
show_checksum_error (HaulAddDialog *self,
                     const char    *message)
{
  gtk_label_set_label (self->checksum_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->checksum_error_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->checksum_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->checksum_row), "error");
}

/* Parses the checksum field into self->checksum and says what is wrong
 * with it under the field. An empty field is fine; a checksum is one
 * file's, so with it only one link (as haul --checksum). */
static gboolean
check_checksum (HaulAddDialog *self,
                guint          n_links)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->checksum_row)));
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->checksum, haul_checksum_spec_free);
  g_strstrip (text);
  if (*text == '\0')
    {
      show_checksum_error (self, NULL);
      return TRUE;
    }

  self->checksum = haul_checksum_spec_parse (text, &error);
  if (self->checksum == NULL)
    {
      show_checksum_error (self, error->message);
      return FALSE;
    }
  if (n_links > 1)
    {
      show_checksum_error (self, _("A checksum belongs to one file: leave one link, "
                                   "or clear the checksum"));
      return FALSE;
    }

  show_checksum_error (self, NULL);
  return TRUE;
}

static void
reparse (HaulAddDialog *self)
{
  g_autoptr(HaulLinkList) links = haul_add_dialog_parse (self);
  g_autoptr(GString) lines = g_string_new (NULL);
  guint n = links->urls->len;
  gboolean checksum_ok;

  for (guint i = 0; i < self->drop_rejected->len; i++)
    {
      if (lines->len > 0)
        g_string_append_c (lines, '\n');
      g_string_append (lines, g_ptr_array_index (self->drop_rejected, i));
    }

  for (guint i = 0; i < links->rejected->len; i++)
    {
      HaulRejectedLink *rejected = g_ptr_array_index (links->rejected, i);
      append_rejected (lines, rejected->text, rejected->reason);
    }

  if (n == 0)
    gtk_label_set_label (self->summary_label, _("No links to download yet"));
  else
    {
      g_autofree char *summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u link to download",
                                                               "%u links to download", n),
                                                  n);
      gtk_label_set_label (self->summary_label, summary);
    }

  gtk_label_set_label (self->rejected_label, lines->str);
  gtk_widget_set_visible (self->rejected_box, lines->len > 0);
  checksum_ok = check_checksum (self, n);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "add.download", n > 0 && checksum_ok);
}

static gboolean
reparse_cb (gpointer user_data)
{
  HaulAddDialog *self = user_data;

  self->reparse_id = 0;
  reparse (self);
  return G_SOURCE_REMOVE;
}

static void
text_changed_cb (HaulAddDialog *self,
                 GtkTextBuffer *buffer)
{
  g_clear_handle_id (&self->reparse_id, g_source_remove);
  self->reparse_id = g_timeout_add (REPARSE_DELAY_MS, reparse_cb, self);
}

/* Said at once: the field is short, and Download must not be pressed
 * with a checksum that was not read. */
static void
checksum_changed_cb (HaulAddDialog *self,
                     GtkEditable   *editable)
{
  g_clear_handle_id (&self->reparse_id, g_source_remove);
  reparse (self);
}

const HaulChecksumSpec *
haul_add_dialog_get_checksum (HaulAddDialog *self)
{
  g_return_val_if_fail (HAUL_IS_ADD_DIALOG (self), NULL);

  return self->checksum;
}

void
haul_add_dialog_set_links (HaulAddDialog *self,
                           HaulLinkList  *links)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_if_fail (HAUL_IS_ADD_DIALOG (self));
  g_return_if_fail (links != NULL);

  for (guint i = 0; i < links->urls->len; i++)
    {
      g_string_append (text, g_ptr_array_index (links->urls, i));
      g_string_append_c (text, '\n');
    }

  g_ptr_array_set_size (self->drop_rejected, 0);
  for (guint i = 0; i < links->rejected->len; i++)
    {
      HaulRejectedLink *rejected = g_ptr_array_index (links->rejected, i);
      g_autoptr(GString) line = g_string_new (NULL);

      append_rejected (line, rejected->text, rejected->reason);
      g_ptr_array_add (self->drop_rejected, g_string_free (g_steal_pointer (&line), FALSE));
    }

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text->str, (int) text->len);
  g_clear_handle_id (&self->reparse_id, g_source_remove);
  reparse (self);
}

static gboolean
is_empty (HaulAddDialog *self)
{
  return gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (self->text_view)) == 0;
}

void
haul_add_dialog_suggest_links (HaulAddDialog *self,
                               HaulLinkList  *links)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_if_fail (HAUL_IS_ADD_DIALOG (self));
  g_return_if_fail (links != NULL);

  /* Closed in the meantime (the template is gone), or typed into. */
  if (self->text_view == NULL || !is_empty (self) || links->urls->len == 0)
    return;

  for (guint i = 0; i < links->urls->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_ptr_array_index (links->urls, i));
    }

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_set_text (buffer, text->str, (int) text->len);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_select_range (buffer, &end, &start);
  g_clear_handle_id (&self->reparse_id, g_source_remove);
  reparse (self);
}

const char *
haul_add_dialog_get_folder (HaulAddDialog *self)
{
  g_return_val_if_fail (HAUL_IS_ADD_DIALOG (self), NULL);

  return self->folder;
}

void
haul_add_dialog_set_folder (HaulAddDialog *self,
                            const char    *folder)
{
  g_autofree char *display = NULL;

  g_return_if_fail (HAUL_IS_ADD_DIALOG (self));
  g_return_if_fail (folder != NULL);

  if (g_strcmp0 (self->folder, folder) == 0)
    return;

  g_free (self->folder);
  self->folder = g_strdup (folder);

  display = g_filename_display_basename (folder);
  gtk_label_set_label (self->folder_label, display);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->folder_label), folder);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDER]);
}

static void
download_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  HaulAddDialog *self = HAUL_ADD_DIALOG (widget);
  g_autoptr(HaulLinkList) links = haul_add_dialog_parse (self);
  g_autoptr(GPtrArray) urls = g_ptr_array_new ();

  /* Typed into just now (the reparse not run yet): never without its checksum. */
  if (links->urls->len == 0 || !check_checksum (self, links->urls->len))
    {
      g_clear_handle_id (&self->reparse_id, g_source_remove);
      reparse (self);
      return;
    }

  for (guint i = 0; i < links->urls->len; i++)
    g_ptr_array_add (urls, g_ptr_array_index (links->urls, i));
  g_ptr_array_add (urls, NULL);

  g_signal_emit (self, signals[DOWNLOAD], 0, (GStrv) urls->pdata, self->folder);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
chooser_response_cb (HaulAddDialog        *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        haul_add_dialog_set_folder (self, path);
    }

  g_clear_object (&self->chooser);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  HaulAddDialog *self = HAUL_ADD_DIALOG (widget);
  g_autoptr(GFile) current = g_file_new_for_path (self->folder);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Download Folder"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), current, NULL);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
haul_add_dialog_dispose (GObject *object)
{
  HaulAddDialog *self = HAUL_ADD_DIALOG (object);

  g_clear_handle_id (&self->reparse_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), HAUL_TYPE_ADD_DIALOG);

  G_OBJECT_CLASS (haul_add_dialog_parent_class)->dispose (object);
}

static void
haul_add_dialog_finalize (GObject *object)
{
  HaulAddDialog *self = HAUL_ADD_DIALOG (object);

  g_clear_pointer (&self->folder, g_free);
  g_clear_pointer (&self->drop_rejected, g_ptr_array_unref);
  g_clear_pointer (&self->checksum, haul_checksum_spec_free);

  G_OBJECT_CLASS (haul_add_dialog_parent_class)->finalize (object);
}

static void
haul_add_dialog_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HaulAddDialog *self = HAUL_ADD_DIALOG (object);

  switch (prop_id)
    {
    case PROP_FOLDER:
      g_value_set_string (value, self->folder);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_add_dialog_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HaulAddDialog *self = HAUL_ADD_DIALOG (object);

  switch (prop_id)
    {
    case PROP_FOLDER:
      if (g_value_get_string (value) != NULL)
        haul_add_dialog_set_folder (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_add_dialog_class_init (HaulAddDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = haul_add_dialog_dispose;
  object_class->finalize = haul_add_dialog_finalize;
  object_class->get_property = haul_add_dialog_get_property;
  object_class->set_property = haul_add_dialog_set_property;

  properties[PROP_FOLDER] =
    g_param_spec_string ("folder", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DOWNLOAD] = g_signal_new ("download",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 2, G_TYPE_STRV, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/haul-add-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HaulAddDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, HaulAddDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, HaulAddDialog, rejected_box);
  gtk_widget_class_bind_template_child (widget_class, HaulAddDialog, rejected_label);
  gtk_widget_class_bind_template_child (widget_class, HaulAddDialog, folder_label);
  gtk_widget_class_bind_template_child (widget_class, HaulAddDialog, download_button);
  gtk_widget_class_bind_template_child (widget_class, HaulAddDialog, checksum_row);
  gtk_widget_class_bind_template_child (widget_class, HaulAddDialog, checksum_error_label);
  gtk_widget_class_bind_template_callback (widget_class, checksum_changed_cb);

  gtk_widget_class_install_action (widget_class, "add.download", NULL, download_action);
  gtk_widget_class_install_action (widget_class, "add.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "add.choose-folder", NULL, choose_folder_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "add.cancel", NULL);
}

/* Ctrl+Return downloads even from the text field, which would otherwise
 * take it as a new line: in the capture phase, before the field. */
static void
add_download_shortcut (HaulAddDialog *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  guint keys[] = { GDK_KEY_Return, GDK_KEY_KP_Enter };

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkShortcutTrigger *trigger = gtk_keyval_trigger_new (keys[i], GDK_CONTROL_MASK);

      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                            gtk_shortcut_new (trigger,
                                                              gtk_named_action_new ("add.download")));
    }
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
haul_add_dialog_init (HaulAddDialog *self)
{
  self->drop_rejected = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->checksum_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->checksum_error_label, NULL,
                                  -1);

  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (text_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->download_button);
  add_download_shortcut (self);
  /* Ctrl+N, then typing or Ctrl+V: the text field, not Cancel, has it. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->text_view));
  reparse (self);
}

HaulAddDialog *
haul_add_dialog_new (GtkWindow  *parent,
                     const char *folder)
{
  g_return_val_if_fail (folder != NULL, NULL);

  return g_object_new (HAUL_TYPE_ADD_DIALOG,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "folder", folder,
                       NULL);
}
