/* haul-address-dialog.c: "Change Address…", a new link for an expired one
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dialog stays open while the server is asked (HaulAddressPrompt),
 * to say in it what the server answered.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-address-dialog.h"
#include "haul-download-row.h"

struct _HaulAddressDialog
{
  HaulAddressPrompt  parent_instance;

  HaulQueue         *queue;    /* (owned) */
  HaulDownload      *download; /* (owned) */
};

G_DEFINE_FINAL_TYPE (HaulAddressDialog, haul_address_dialog, HAUL_TYPE_ADDRESS_PROMPT)

static void
changed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HaulAddressDialog) self = user_data;
  HaulAddressPrompt *prompt = HAUL_ADDRESS_PROMPT (self);
  g_autoptr(GError) error = NULL;
  HaulAddressCheck check = HAUL_ADDRESS_CANNOT_TELL;

  if (!haul_queue_change_address_finish (HAUL_QUEUE (object), result, &check, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;  /* closed meanwhile */
      haul_address_prompt_set_busy (prompt, FALSE);
      haul_address_prompt_show_error (prompt, error->message);
      return;
    }
  haul_address_prompt_set_busy (prompt, FALSE);

  if (check == HAUL_ADDRESS_SAME_FILE)
    {
      haul_address_prompt_toast (prompt,
                                 _("New address taken; the download goes on from its bytes"));
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  /* Another file, or no way to tell: the choices the queue offers. */
  haul_address_prompt_offer_choices (prompt, check == HAUL_ADDRESS_DIFFERENT_FILE
                                     ? _("The new address gives another file than the one "
                                         "partly downloaded. Nothing was changed.")
                                     : _("The server cannot show that the new address gives "
                                         "the same file. Nothing was changed."));
}

static void
haul_address_dialog_ask (HaulAddressPrompt *prompt,
                         const char        *uri)
{
  HaulAddressDialog *self = HAUL_ADDRESS_DIALOG (prompt);

  haul_address_prompt_set_busy (prompt, TRUE);
  haul_queue_change_address_async (self->queue, self->download, uri,
                                   haul_address_prompt_get_cancellable (prompt),
                                   changed_cb, g_object_ref (self));
}

static gboolean
haul_address_dialog_respond (HaulAddressPrompt *prompt,
                             const char        *response)
{
  HaulAddressDialog *self = HAUL_ADDRESS_DIALOG (prompt);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = haul_address_prompt_dup_address (prompt);
  gboolean done = TRUE;

  if (g_str_equal (response, "change"))
    {
      haul_address_prompt_ask (prompt);
      done = FALSE;
    }
  else if (g_str_equal (response, "restart"))
    {
      done = haul_queue_restart_with_address (self->queue, self->download, uri, &error);
      if (done)
        haul_address_prompt_toast (prompt, _("Starting again from the new address"));
    }
  else if (g_str_equal (response, "both"))
    {
      done = haul_queue_add_like (self->queue, self->download, uri, &error) != NULL;
      if (done)
        haul_address_prompt_toast (prompt, _("The new address is downloaded as another file"));
    }
  if (error != NULL)
    haul_address_prompt_show_error (prompt, error->message);
  return done;
}

static void
haul_address_dialog_finalize (GObject *object)
{
  HaulAddressDialog *self = HAUL_ADDRESS_DIALOG (object);

  g_clear_object (&self->queue);
  g_clear_object (&self->download);

  G_OBJECT_CLASS (haul_address_dialog_parent_class)->finalize (object);
}

static void
haul_address_dialog_class_init (HaulAddressDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HaulAddressPromptClass *prompt_class = HAUL_ADDRESS_PROMPT_CLASS (klass);

  object_class->finalize = haul_address_dialog_finalize;
  prompt_class->ask = haul_address_dialog_ask;
  prompt_class->respond = haul_address_dialog_respond;
}

static void
haul_address_dialog_init (HaulAddressDialog *self)
{
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Change Address"));
  haul_address_prompt_setup (HAUL_ADDRESS_PROMPT (self), "change", _("C_hange"),
                             _("New address"), _("Type or paste the new address"));
}

HaulAddressDialog *
haul_address_dialog_show (GtkWidget    *from,
                          HaulQueue    *queue,
                          HaulDownload *download)
{
  HaulAddressDialog *self;
  GtkRoot *root;
  GtkEditable *entry;
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
  haul_address_prompt_set_toast_widget (HAUL_ADDRESS_PROMPT (self),
                                        gtk_widget_get_ancestor (from, ADW_TYPE_TOAST_OVERLAY));

  /* Translators: %s is a file name. */
  body = g_strdup_printf (_("A new link for “%s”, when the old one has expired. It is taken "
                            "only if the server shows it is the same file; the download then "
                            "goes on from the bytes it has."),
                          haul_download_get_file_name (download));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  entry = haul_address_prompt_get_entry (HAUL_ADDRESS_PROMPT (self));
  gtk_editable_set_text (entry, haul_download_get_uri (download));

  haul_address_prompt_present (HAUL_ADDRESS_PROMPT (self));
  gtk_editable_select_region (entry, 0, -1);
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
  GtkEditable *entry;
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
  entry = haul_address_prompt_get_entry (HAUL_ADDRESS_PROMPT (self));
  gtk_editable_set_text (entry, uri);
  gtk_editable_select_region (entry, 0, -1);
  return TRUE;
}
