/* haul-adopt-dialog.c: continue a browser's partial download
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A file a browser left half downloaded (dropped from a file manager)
 * carries no address: this dialog asks for it, and the queue checks it
 * against the server before it takes the file over. It follows Change
 * Address (haul-address-dialog.c): Continue leaves it open while the
 * server is asked, so that what went wrong is said in the same dialog,
 * and another file offers Keep Both and Start Again. AdwMessageDialog
 * closes itself on any response, before or after it emits it: the close
 * that comes with a response is refused, the dialog goes by itself once
 * the answer is known. A drop that brought the address too asks the
 * server before the dialog is shown, and shows it only when there is
 * something to say or to choose.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "haul-adopt-dialog.h"
#include "haul-link-parser.h"
#include "haul-naming.h"
#include "haul-trash.h"
#include "haul-window.h"

/* More text than this on the clipboard is not one address. */
#define MAX_CLIPBOARD_CHARS 4096

struct _HaulAdoptDialog
{
  AdwMessageDialog  parent_instance;

  HaulQueue        *queue;         /* (owned) */
  char             *path;          /* (owned) the browser's partial */
  char             *final_name;    /* (owned) (nullable) the name the browser meant */
  GCancellable     *cancellable;   /* (owned) cancelled in dispose */
  gboolean          busy;          /* the server or the trash is being asked */
  gboolean          gone;          /* destroyed: late answers touch no widget */
  gboolean          keep_open;     /* a response came, the close after it is refused */
  gboolean          close_pending; /* a close came, its response not yet */
  guint             close_id;      /* idle: a close with no response is Cancel */
  GWeakRef          parent;        /* the window, for toasts */

  GtkWidget        *entry;
  GtkWidget        *error_label;
};

G_DEFINE_FINAL_TYPE (HaulAdoptDialog, haul_adopt_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
toast (HaulAdoptDialog *self,
       const char      *title)
{
  g_autoptr(GtkWindow) parent = g_weak_ref_get (&self->parent);

  if (parent != NULL && HAUL_IS_WINDOW (parent))
    haul_window_add_toast (HAUL_WINDOW (parent), title);
}

static void
toast_continuing (HaulAdoptDialog *self,
                  HaulDownload    *download)
{
  /* Translators: a toast; %s is a file name. */
  g_autofree char *title = g_strdup_printf (_("Continuing “%s” from the browser's bytes"),
                                            haul_download_get_file_name (download));

  toast (self, title);
}

static void
show_error (HaulAdoptDialog *self,
            const char      *message)
{
  gtk_label_set_label (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->error_label, message != NULL);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->entry),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* Shown only now, when the drop brought the address: something to say. */
static void
present (HaulAdoptDialog *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    return;
  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (self->entry);
}

static void
set_busy (HaulAdoptDialog *self,
          gboolean         busy)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  self->busy = busy;
  /* Not insensitive: GTK 4.8 then takes the focus away without telling
   * the entry, which warns about it. */
  gtk_editable_set_editable (GTK_EDITABLE (self->entry), !busy);
  adw_message_dialog_set_response_enabled (dialog, "continue", !busy);
  if (adw_message_dialog_has_response (dialog, "restart"))
    {
      adw_message_dialog_set_response_enabled (dialog, "restart", !busy);
      adw_message_dialog_set_response_enabled (dialog, "both", !busy);
    }
}

static char *
dup_address (HaulAdoptDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
}

/* Another file, or no way to tell: Keep Both or Start Again. */
static void
offer_choices (HaulAdoptDialog  *self,
               HaulAddressCheck  check)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  show_error (self, check == HAUL_ADDRESS_DIFFERENT_FILE
                    ? _("The address gives another file than the one the browser partly "
                        "downloaded. Nothing was changed. Keep Both downloads it anew beside "
                        "the browser's file; Start Again moves the browser's file to the "
                        "Trash first.")
                    : _("The server cannot show that the address gives the same file. Nothing "
                        "was changed. Keep Both downloads it anew beside the browser's file; "
                        "Start Again moves the browser's file to the Trash first."));
  if (!adw_message_dialog_has_response (dialog, "restart"))
    {
      adw_message_dialog_add_response (dialog, "both", _("_Keep Both"));
      adw_message_dialog_add_response (dialog, "restart", _("Start _Again"));
      adw_message_dialog_set_response_appearance (dialog, "restart", ADW_RESPONSE_DESTRUCTIVE);
    }
  present (self);
}

static void
adopted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HaulAdoptDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  HaulAddressCheck check = HAUL_ADDRESS_CANNOT_TELL;
  HaulDownload *download;

  download = haul_queue_adopt_finish (HAUL_QUEUE (object), result, &check, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* closed meanwhile, before the file was taken over */

  if (self->gone)
    {
      /* Closed while the file was taken over: it downloads all the same. */
      if (download != NULL)
        toast_continuing (self, download);
      return;
    }
  set_busy (self, FALSE);
  if (error != NULL)
    {
      show_error (self, error->message);
      present (self);
      return;
    }
  if (download != NULL)
    {
      toast_continuing (self, download);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  offer_choices (self, check);
}

static void
start_check (HaulAdoptDialog *self)
{
  g_autofree char *uri = dup_address (self);
  HaulAddOptions options = { .file_name = self->final_name };

  if (*uri == '\0')
    {
      show_error (self, _("Type or paste the address the file came from"));
      present (self);
      return;
    }
  show_error (self, NULL);
  set_busy (self, TRUE);
  haul_queue_adopt_async (self->queue, self->path, uri, &options, self->cancellable,
                          adopted_cb, g_object_ref (self));
}

/* Keep Both, or Start Again once the browser's file is in the Trash. */
static gboolean
add_anew (HaulAdoptDialog *self,
          const char      *title)
{
  g_autofree char *uri = dup_address (self);
  g_autofree char *folder = g_path_get_dirname (self->path);
  HaulAddOptions options = { .file_name = self->final_name };
  g_autoptr(GError) error = NULL;

  if (haul_queue_add_full (self->queue, uri, folder, &options, &error) == NULL)
    {
      show_error (self, error->message);
      present (self);
      return FALSE;
    }
  toast (self, title);
  return TRUE;
}

static void
trashed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HaulAdoptDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!haul_trash_file_finish (result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* closed meanwhile */
  if (self->gone)
    return;  /* closed as the file went: it is in the Trash, nothing more */

  set_busy (self, FALSE);
  if (error != NULL)
    {
      g_autofree char *name = g_filename_display_basename (self->path);
      /* Translators: the first %s is a file name, the second says why. */
      g_autofree char *message = g_strdup_printf (_("“%s” could not be moved to the Trash, so "
                                                    "nothing was changed: %s"),
                                                  name, error->message);

      show_error (self, message);
      return;
    }
  if (add_anew (self, _("Starting again; the browser's file is in the Trash")))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
haul_adopt_dialog_response (AdwMessageDialog *dialog,
                            const char       *response)
{
  HaulAdoptDialog *self = HAUL_ADOPT_DIALOG (dialog);
  gboolean done = TRUE;

  if (self->busy && !g_str_equal (response, "cancel"))
    done = FALSE;
  else if (g_str_equal (response, "continue"))
    {
      start_check (self);
      done = FALSE;
    }
  else if (g_str_equal (response, "both"))
    done = add_anew (self, _("The address is downloaded anew; the browser's file is kept"));
  else if (g_str_equal (response, "restart"))
    {
      set_busy (self, TRUE);
      haul_trash_file_async (self->path, self->cancellable, trashed_cb,
                             g_object_ref (self));
      done = FALSE;
    }

  /* The close that came with it (before or after) is refused. */
  self->keep_open = !self->close_pending;
  self->close_pending = FALSE;
  g_clear_handle_id (&self->close_id, g_source_remove);
  if (done)
    gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
close_without_response_cb (gpointer data)
{
  HaulAdoptDialog *self = data;

  self->close_id = 0;
  if (self->close_pending)
    gtk_window_destroy (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static gboolean
haul_adopt_dialog_close_request (GtkWindow *window)
{
  HaulAdoptDialog *self = HAUL_ADOPT_DIALOG (window);

  if (self->keep_open)
    self->keep_open = FALSE;
  else if (self->close_id == 0)
    {
      self->close_pending = TRUE;
      self->close_id = g_idle_add (close_without_response_cb, self);
    }
  return TRUE;
}

static void
entry_activate_cb (HaulAdoptDialog *self)
{
  if (!self->busy)
    start_check (self);
}

/* One web address and nothing else on the clipboard: that is likely the
 * one. Anything more is left out of the field. */
static void
clipboard_text_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HaulAdoptDialog) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  g_autofree char *uri = NULL;
  char *stripped;

  if (text == NULL || self->gone)
    return;  /* empty, not text, or closed meanwhile */
  stripped = g_strstrip (text);
  if (strlen (stripped) > MAX_CLIPBOARD_CHARS || strpbrk (stripped, " \t\r\n") != NULL
      || (g_ascii_strncasecmp (stripped, "http://", 7) != 0
          && g_ascii_strncasecmp (stripped, "https://", 8) != 0))
    return;
  uri = haul_link_normalize (stripped, NULL);
  if (uri == NULL || *gtk_editable_get_text (GTK_EDITABLE (self->entry)) != '\0')
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), uri);
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

static void
haul_adopt_dialog_dispose (GObject *object)
{
  HaulAdoptDialog *self = HAUL_ADOPT_DIALOG (object);

  self->gone = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->close_id, g_source_remove);

  G_OBJECT_CLASS (haul_adopt_dialog_parent_class)->dispose (object);
}

static void
haul_adopt_dialog_finalize (GObject *object)
{
  HaulAdoptDialog *self = HAUL_ADOPT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->queue);
  g_free (self->path);
  g_free (self->final_name);
  g_weak_ref_clear (&self->parent);

  G_OBJECT_CLASS (haul_adopt_dialog_parent_class)->finalize (object);
}

static void
haul_adopt_dialog_class_init (HaulAdoptDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = haul_adopt_dialog_dispose;
  object_class->finalize = haul_adopt_dialog_finalize;
  window_class->close_request = haul_adopt_dialog_close_request;
  dialog_class->response = haul_adopt_dialog_response;
}

static void
haul_adopt_dialog_init (HaulAdoptDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  self->cancellable = g_cancellable_new ();
  g_weak_ref_init (&self->parent, NULL);

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "continue", _("C_ontinue"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "continue", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "continue");
  adw_message_dialog_set_close_response (dialog, "cancel");

  self->entry = gtk_entry_new ();
  gtk_entry_set_input_purpose (GTK_ENTRY (self->entry), GTK_INPUT_PURPOSE_URL);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry), "https://");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Address the file came from"), -1);
  g_signal_connect_object (self->entry, "activate", G_CALLBACK (entry_activate_cb), self,
                           G_CONNECT_SWAPPED);

  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_widget_add_css_class (self->error_label, "warning");

  gtk_box_append (GTK_BOX (box), self->entry);
  gtk_box_append (GTK_BOX (box), self->error_label);
  adw_message_dialog_set_extra_child (dialog, box);
}

char *
haul_adopt_dialog_heading (const char *path)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  name = g_filename_display_basename (path);
  /* Translators: a dialog's heading; %s is the name of a file a browser
   * partly downloaded ("big.iso.part"). */
  return g_strdup_printf (_("Continue “%s”"), name);
}

HaulAdoptDialog *
haul_adopt_dialog_run (GtkWindow  *parent,
                       HaulQueue  *queue,
                       const char *path,
                       const char *uri)
{
  HaulAdoptDialog *self;
  g_autofree char *heading = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *shown_folder = NULL;
  g_autofree char *body = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (HAUL_IS_QUEUE (queue), NULL);
  g_return_val_if_fail (path != NULL && g_path_is_absolute (path), NULL);

  self = g_object_new (HAUL_TYPE_ADOPT_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->queue = g_object_ref (queue);
  self->path = g_strdup (path);
  name = g_path_get_basename (path);
  haul_naming_browser_partial (name, &self->final_name);
  g_weak_ref_set (&self->parent, parent);

  heading = haul_adopt_dialog_heading (path);
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), heading);
  gtk_window_set_title (GTK_WINDOW (self), heading);
  folder = g_path_get_dirname (path);
  shown_folder = g_filename_display_name (folder);
  /* Translators: %s is a folder. */
  body = g_strdup_printf (_("A browser began this download in %s and did not finish it. Give "
                            "the address it came from: if the server shows it is the same "
                            "file, Haul goes on from the bytes it has; otherwise nothing is "
                            "changed."),
                          shown_folder);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  if (uri != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->entry), uri);
      start_check (self);
      return self;
    }

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->cancellable,
                                 clipboard_text_cb, g_object_ref (self));
  present (self);
  return self;
}

GtkEditable *
haul_adopt_dialog_get_entry (HaulAdoptDialog *self)
{
  g_return_val_if_fail (HAUL_IS_ADOPT_DIALOG (self), NULL);

  return GTK_EDITABLE (self->entry);
}

const char *
haul_adopt_dialog_get_error (HaulAdoptDialog *self)
{
  g_return_val_if_fail (HAUL_IS_ADOPT_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (self->error_label))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (self->error_label));
}
