/* haul-address-dialog.c: "Change Address…", a new link for an expired one
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * AdwMessageDialog closes itself on any response (libadwaita closes just
 * before it emits the response; the order is not promised, so both are
 * handled). Here Change must leave it open, to say in the same dialog what
 * the server answered: close-request is refused, and the dialog goes
 * itself once the response is known (none: Escape, the window manager).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-address-dialog.h"
#include "haul-download-row.h"
#include "haul-window.h"

struct _HaulAddressDialog
{
  AdwMessageDialog  parent_instance;

  HaulQueue        *queue;        /* (owned) */
  HaulDownload     *download;     /* (owned) */
  GCancellable     *cancellable;  /* (owned) (nullable) while the server is asked */
  GWeakRef          overlay;      /* AdwToastOverlay above the row */
  gboolean          keep_open;    /* a response came, the close after it is refused */
  gboolean          close_pending; /* a close came, its response not yet */
  guint             close_id;     /* idle: a close with no response is Cancel */

  GtkWidget        *entry;
  GtkWidget        *error_label;
};

G_DEFINE_FINAL_TYPE (HaulAddressDialog, haul_address_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
toast (HaulAddressDialog *self,
       const char        *title)
{
  g_autoptr(AdwToastOverlay) overlay = g_weak_ref_get (&self->overlay);

  if (overlay != NULL && HAUL_IS_WINDOW (gtk_widget_get_root (GTK_WIDGET (overlay))))
    haul_window_add_toast (HAUL_WINDOW (gtk_widget_get_root (GTK_WIDGET (overlay))), title);
  else if (overlay != NULL)
    adw_toast_overlay_add_toast (overlay, adw_toast_new (title));
}

static void
show_error (HaulAddressDialog *self,
            const char        *message)
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

static void
set_busy (HaulAddressDialog *self,
          gboolean           busy)
{
  /* Not insensitive: GTK 4.8 then takes the focus away without telling
   * the entry, which warns about it. */
  gtk_editable_set_editable (GTK_EDITABLE (self->entry), !busy);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "change", !busy);
}

static char *
dup_address (HaulAddressDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
}

/* Another file, or no way to tell: the choices the queue offers. */
static void
offer_choices (HaulAddressDialog *self,
               HaulAddressCheck   check)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  show_error (self, check == HAUL_ADDRESS_DIFFERENT_FILE
                    ? _("The new address gives another file than the one partly downloaded. "
                        "Nothing was changed.")
                    : _("The server cannot show that the new address gives the same file. "
                        "Nothing was changed."));
  if (!adw_message_dialog_has_response (dialog, "restart"))
    {
      adw_message_dialog_add_response (dialog, "both", _("_Keep Both"));
      adw_message_dialog_add_response (dialog, "restart", _("Start _Again"));
      adw_message_dialog_set_response_appearance (dialog, "restart", ADW_RESPONSE_DESTRUCTIVE);
    }
}

static void
changed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HaulAddressDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  HaulAddressCheck check = HAUL_ADDRESS_CANNOT_TELL;

  if (!haul_queue_change_address_finish (HAUL_QUEUE (object), result, &check, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;  /* closed meanwhile */
      g_clear_object (&self->cancellable);
      set_busy (self, FALSE);
      show_error (self, error->message);
      return;
    }
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (check == HAUL_ADDRESS_SAME_FILE)
    {
      toast (self, _("New address taken; the download goes on from its bytes"));
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  offer_choices (self, check);
}

static void
start_check (HaulAddressDialog *self)
{
  g_autofree char *uri = dup_address (self);

  if (*uri == '\0')
    {
      show_error (self, _("Type or paste the new address"));
      return;
    }
  show_error (self, NULL);
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  haul_queue_change_address_async (self->queue, self->download, uri, self->cancellable,
                                   changed_cb, g_object_ref (self));
}

static void
haul_address_dialog_response (AdwMessageDialog *dialog,
                              const char       *response)
{
  HaulAddressDialog *self = HAUL_ADDRESS_DIALOG (dialog);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = dup_address (self);
  gboolean done = TRUE;

  if (g_str_equal (response, "change"))
    {
      start_check (self);
      done = FALSE;
    }
  else if (g_str_equal (response, "restart"))
    {
      done = haul_queue_restart_with_address (self->queue, self->download, uri, &error);
      if (done)
        toast (self, _("Starting again from the new address"));
    }
  else if (g_str_equal (response, "both"))
    {
      done = haul_queue_add_like (self->queue, self->download, uri, &error) != NULL;
      if (done)
        toast (self, _("The new address is downloaded as another file"));
    }
  if (error != NULL)
    show_error (self, error->message);

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
  HaulAddressDialog *self = data;

  self->close_id = 0;
  if (self->close_pending)
    gtk_window_destroy (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static gboolean
haul_address_dialog_close_request (GtkWindow *window)
{
  HaulAddressDialog *self = HAUL_ADDRESS_DIALOG (window);

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
entry_activate_cb (HaulAddressDialog *self)
{
  if (self->cancellable == NULL)
    start_check (self);
}

static void
haul_address_dialog_dispose (GObject *object)
{
  HaulAddressDialog *self = HAUL_ADDRESS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->close_id, g_source_remove);

  G_OBJECT_CLASS (haul_address_dialog_parent_class)->dispose (object);
}

static void
haul_address_dialog_finalize (GObject *object)
{
  HaulAddressDialog *self = HAUL_ADDRESS_DIALOG (object);

  g_clear_object (&self->queue);
  g_clear_object (&self->download);
  g_weak_ref_clear (&self->overlay);

  G_OBJECT_CLASS (haul_address_dialog_parent_class)->finalize (object);
}

static void
haul_address_dialog_class_init (HaulAddressDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = haul_address_dialog_dispose;
  object_class->finalize = haul_address_dialog_finalize;
  window_class->close_request = haul_address_dialog_close_request;
  dialog_class->response = haul_address_dialog_response;
}

static void
haul_address_dialog_init (HaulAddressDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  g_weak_ref_init (&self->overlay, NULL);

  adw_message_dialog_set_heading (dialog, _("Change Address"));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "change", _("C_hange"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "change", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "change");
  adw_message_dialog_set_close_response (dialog, "cancel");

  self->entry = gtk_entry_new ();
  gtk_entry_set_input_purpose (GTK_ENTRY (self->entry), GTK_INPUT_PURPOSE_URL);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry), "https://");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("New address"), -1);
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

HaulAddressDialog *
haul_address_dialog_show (GtkWidget    *from,
                          HaulQueue    *queue,
                          HaulDownload *download)
{
  HaulAddressDialog *self;
  GtkRoot *root;
  g_autofree char *body = NULL;

  g_return_val_if_fail (GTK_IS_WIDGET (from), NULL);
  g_return_val_if_fail (HAUL_IS_QUEUE (queue), NULL);
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (download), NULL);

  root = gtk_widget_get_root (from);
  self = g_object_new (HAUL_TYPE_ADDRESS_DIALOG,
                       "transient-for", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                       "modal", TRUE,
                       NULL);
  self->queue = g_object_ref (queue);
  self->download = g_object_ref (download);
  g_weak_ref_set (&self->overlay, gtk_widget_get_ancestor (from, ADW_TYPE_TOAST_OVERLAY));

  /* Translators: %s is a file name. */
  body = g_strdup_printf (_("A new link for “%s”, when the old one has expired. It is taken "
                            "only if the server shows it is the same file; the download then "
                            "goes on from the bytes it has."),
                          haul_download_get_file_name (download));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), haul_download_get_uri (download));

  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (self->entry);
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
  return self;
}

/* The row @widget is in; or, for the list item that has the keyboard
 * focus, the row it holds (its first child, or that one's). */
static HaulDownloadRow *
find_row (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, HAUL_TYPE_DOWNLOAD_ROW);

  for (GtkWidget *child = widget; row == NULL && child != NULL;
       child = gtk_widget_get_first_child (child))
    if (HAUL_IS_DOWNLOAD_ROW (child))
      row = child;
  return row != NULL ? HAUL_DOWNLOAD_ROW (row) : NULL;
}

gboolean
haul_address_dialog_offer (GtkWidget    *target,
                           HaulQueue    *queue,
                           HaulLinkList *links)
{
  HaulDownloadRow *row;
  HaulDownload *download;
  HaulDownloadState state;
  HaulAddressDialog *self;
  const char *uri;

  g_return_val_if_fail (target == NULL || GTK_IS_WIDGET (target), FALSE);
  g_return_val_if_fail (HAUL_IS_QUEUE (queue), FALSE);
  g_return_val_if_fail (links != NULL, FALSE);

  if (target == NULL || links->urls->len != 1 || (row = find_row (target)) == NULL)
    return FALSE;
  download = haul_download_row_get_download (row);
  if (download == NULL)
    return FALSE;
  state = haul_download_get_state (download);
  if (state != HAUL_DOWNLOAD_PAUSED && state != HAUL_DOWNLOAD_FAILED)
    return FALSE;
  /* Its own address, or one the list has: not a new link for it. */
  uri = g_ptr_array_index (links->urls, 0);
  if (haul_queue_find_uri (queue, uri) != NULL)
    return FALSE;

  self = haul_address_dialog_show (GTK_WIDGET (row), queue, download);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), uri);
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
  return TRUE;
}

GtkEditable *
haul_address_dialog_get_entry (HaulAddressDialog *self)
{
  g_return_val_if_fail (HAUL_IS_ADDRESS_DIALOG (self), NULL);

  return GTK_EDITABLE (self->entry);
}

const char *
haul_address_dialog_get_error (HaulAddressDialog *self)
{
  g_return_val_if_fail (HAUL_IS_ADDRESS_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (self->error_label))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (self->error_label));
}
