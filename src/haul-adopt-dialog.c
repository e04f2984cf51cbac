/* haul-adopt-dialog.c: continue a browser's partial download
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A file a browser left half downloaded (dropped from a file manager)
 * carries no address: this dialog asks for it, and the queue checks it
 * against the server before it takes the file over. Like Change Address
 * (both are a HaulAddressPrompt), Continue leaves it open while the
 * server is asked, so that what went wrong is said in the same dialog,
 * and another file offers Keep Both and Start Again. A drop that brought
 * the address too asks the server before the dialog is shown, and shows
 * it only when there is something to say or to choose.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "haul-adopt-dialog.h"
#include "haul-link-parser.h"
#include "haul-naming.h"
#include "haul-trash.h"

/* More text than this on the clipboard is not one address. */
#define MAX_CLIPBOARD_CHARS 4096

struct _HaulAdoptDialog
{
  HaulAddressPrompt  parent_instance;

  HaulQueue         *queue;      /* (owned) */
  char              *path;       /* (owned) the browser's partial */
  char              *final_name; /* (owned) (nullable) the name the browser meant */
  gboolean           gone;       /* destroyed: late answers touch no widget */
};

G_DEFINE_FINAL_TYPE (HaulAdoptDialog, haul_adopt_dialog, HAUL_TYPE_ADDRESS_PROMPT)

static void
toast_continuing (HaulAdoptDialog *self,
                  HaulDownload    *download)
{
  /* Translators: a toast; %s is a file name. */
  g_autofree char *title = g_strdup_printf (_("Continuing “%s” from the browser's bytes"),
                                            haul_download_get_file_name (download));

  haul_address_prompt_toast (HAUL_ADDRESS_PROMPT (self), title);
}

/* Another file, or no way to tell: Keep Both or Start Again. */
static void
offer_choices (HaulAdoptDialog  *self,
               HaulAddressCheck  check)
{
  HaulAddressPrompt *prompt = HAUL_ADDRESS_PROMPT (self);

  haul_address_prompt_offer_choices (prompt, check == HAUL_ADDRESS_DIFFERENT_FILE
                                     ? _("The address gives another file than the one the "
                                         "browser partly downloaded. Nothing was changed. Keep "
                                         "Both downloads it anew beside the browser's file; "
                                         "Start Again moves the browser's file to the Trash "
                                         "first.")
                                     : _("The server cannot show that the address gives the "
                                         "same file. Nothing was changed. Keep Both downloads "
                                         "it anew beside the browser's file; Start Again moves "
                                         "the browser's file to the Trash first."));
  haul_address_prompt_present (prompt);
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
  haul_address_prompt_set_busy (HAUL_ADDRESS_PROMPT (self), FALSE);
  if (error != NULL)
    {
      haul_address_prompt_show_error (HAUL_ADDRESS_PROMPT (self), error->message);
      haul_address_prompt_present (HAUL_ADDRESS_PROMPT (self));
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
haul_adopt_dialog_ask (HaulAddressPrompt *prompt,
                       const char        *uri)
{
  HaulAdoptDialog *self = HAUL_ADOPT_DIALOG (prompt);
  HaulAddOptions options = { .file_name = self->final_name };

  haul_address_prompt_set_busy (HAUL_ADDRESS_PROMPT (self), TRUE);
  haul_queue_adopt_async (self->queue, self->path, uri, &options,
                          haul_address_prompt_get_cancellable (prompt),
                          adopted_cb, g_object_ref (self));
}

/* Keep Both, or Start Again once the browser's file is in the Trash. */
static gboolean
add_anew (HaulAdoptDialog *self,
          const char      *title)
{
  HaulAddressPrompt *prompt = HAUL_ADDRESS_PROMPT (self);
  g_autofree char *uri = haul_address_prompt_dup_address (prompt);
  g_autofree char *folder = g_path_get_dirname (self->path);
  HaulAddOptions options = { .file_name = self->final_name };
  g_autoptr(GError) error = NULL;

  if (haul_queue_add_full (self->queue, uri, folder, &options, &error) == NULL)
    {
      haul_address_prompt_show_error (prompt, error->message);
      haul_address_prompt_present (prompt);
      return FALSE;
    }
  haul_address_prompt_toast (prompt, title);
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

  haul_address_prompt_set_busy (HAUL_ADDRESS_PROMPT (self), FALSE);
  if (error != NULL)
    {
      g_autofree char *name = g_filename_display_basename (self->path);
      /* Translators: the first %s is a file name, the second says why. */
      g_autofree char *message = g_strdup_printf (_("“%s” could not be moved to the Trash, so "
                                                    "nothing was changed: %s"),
                                                  name, error->message);

      haul_address_prompt_show_error (HAUL_ADDRESS_PROMPT (self), message);
      return;
    }
  if (add_anew (self, _("Starting again; the browser's file is in the Trash")))
    gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
haul_adopt_dialog_respond (HaulAddressPrompt *prompt,
                           const char        *response)
{
  HaulAdoptDialog *self = HAUL_ADOPT_DIALOG (prompt);

  if (haul_address_prompt_get_busy (prompt) && !g_str_equal (response, "cancel"))
    return FALSE;
  if (g_str_equal (response, "continue"))
    {
      haul_address_prompt_ask (prompt);
      return FALSE;
    }
  if (g_str_equal (response, "both"))
    return add_anew (self, _("The address is downloaded anew; the browser's file is kept"));
  if (g_str_equal (response, "restart"))
    {
      haul_address_prompt_set_busy (HAUL_ADDRESS_PROMPT (self), TRUE);
      haul_trash_file_async (self->path, haul_address_prompt_get_cancellable (prompt),
                             trashed_cb, g_object_ref (self));
      return FALSE;
    }
  return TRUE;
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
  GtkEditable *entry;
  char *stripped;

  if (text == NULL || self->gone)
    return;  /* empty, not text, or closed meanwhile */
  stripped = g_strstrip (text);
  if (strlen (stripped) > MAX_CLIPBOARD_CHARS || strpbrk (stripped, " \t\r\n") != NULL
      || (g_ascii_strncasecmp (stripped, "http://", 7) != 0
          && g_ascii_strncasecmp (stripped, "https://", 8) != 0))
    return;
  uri = haul_link_normalize (stripped, NULL);
  entry = haul_address_prompt_get_entry (HAUL_ADDRESS_PROMPT (self));
  if (uri == NULL || *gtk_editable_get_text (entry) != '\0')
    return;
  gtk_editable_set_text (entry, uri);
  gtk_editable_select_region (entry, 0, -1);
}

static void
haul_adopt_dialog_dispose (GObject *object)
{
  HaulAdoptDialog *self = HAUL_ADOPT_DIALOG (object);

  self->gone = TRUE;

  G_OBJECT_CLASS (haul_adopt_dialog_parent_class)->dispose (object);
}

static void
haul_adopt_dialog_finalize (GObject *object)
{
  HaulAdoptDialog *self = HAUL_ADOPT_DIALOG (object);

  g_clear_object (&self->queue);
  g_free (self->path);
  g_free (self->final_name);

  G_OBJECT_CLASS (haul_adopt_dialog_parent_class)->finalize (object);
}

static void
haul_adopt_dialog_class_init (HaulAdoptDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HaulAddressPromptClass *prompt_class = HAUL_ADDRESS_PROMPT_CLASS (klass);

  object_class->dispose = haul_adopt_dialog_dispose;
  object_class->finalize = haul_adopt_dialog_finalize;
  prompt_class->ask = haul_adopt_dialog_ask;
  prompt_class->respond = haul_adopt_dialog_respond;
}

static void
haul_adopt_dialog_init (HaulAdoptDialog *self)
{
  haul_address_prompt_setup (HAUL_ADDRESS_PROMPT (self), "continue", _("C_ontinue"),
                             _("Address the file came from"),
                             _("Type or paste the address the file came from"));
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
  haul_address_prompt_set_toast_widget (HAUL_ADDRESS_PROMPT (self), GTK_WIDGET (parent));

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
      gtk_editable_set_text (haul_address_prompt_get_entry (HAUL_ADDRESS_PROMPT (self)), uri);
      haul_address_prompt_ask (HAUL_ADDRESS_PROMPT (self));
      return self;
    }

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                                 haul_address_prompt_get_cancellable (HAUL_ADDRESS_PROMPT (self)),
                                 clipboard_text_cb, g_object_ref (self));
  haul_address_prompt_present (HAUL_ADDRESS_PROMPT (self));
  return self;
}
