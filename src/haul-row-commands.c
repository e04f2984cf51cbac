/* haul-row-commands.c: what a row does that can be undone
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing here belongs to a row: a row is recycled as soon as the list
 * changes (a removal changes it at once), so each command owns what it
 * needs (the queue, the download, the toast overlay by a weak reference)
 * and finishes whether the row is still there or not. The disk work is
 * short and cannot be taken back half-way, so it is not cancelled.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-row-commands.h"
#include "haul-trash.h"
#include "haul-window.h"

#define TOAST_TIMEOUT_S 6

typedef struct
{
  HaulQueue    *queue;     /* (owned) */
  HaulDownload *download;  /* (owned) */
  GWeakRef      overlay;   /* AdwToastOverlay, or none */
  char         *path;      /* (owned) (nullable) the file, for deleting */
  char         *name;      /* (owned) for messages */
  gboolean      undone;
} Command;

static Command *
command_new (GtkWidget    *from,
             HaulQueue    *queue,
             HaulDownload *download)
{
  Command *command = g_new0 (Command, 1);
  const char *name = haul_download_get_file_name (download);

  command->queue = g_object_ref (queue);
  command->download = g_object_ref (download);
  g_weak_ref_init (&command->overlay, gtk_widget_get_ancestor (from, ADW_TYPE_TOAST_OVERLAY));
  command->path = haul_download_dup_path (download);
  command->name = g_strdup (name != NULL ? name : haul_download_get_uri (download));
  return command;
}

static void
command_free (Command *command)
{
  g_clear_object (&command->queue);
  g_clear_object (&command->download);
  g_weak_ref_clear (&command->overlay);
  g_free (command->path);
  g_free (command->name);
  g_free (command);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Command, command_free)

/* A toast on the overlay, or NULL when there is none any more. */
static AdwToast *
command_toast (Command    *command,
               const char *title,
               gboolean    with_undo)
{
  g_autoptr(AdwToastOverlay) overlay = g_weak_ref_get (&command->overlay);
  AdwToast *toast;

  if (overlay == NULL)
    return NULL;
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, with_undo ? TOAST_TIMEOUT_S : 4);
  if (with_undo)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
    }
  /* The window's own way, which keeps the rows' buttons clear of it. */
  if (HAUL_IS_WINDOW (gtk_widget_get_root (GTK_WIDGET (overlay))))
    haul_window_show_toast (HAUL_WINDOW (gtk_widget_get_root (GTK_WIDGET (overlay))), toast);
  else
    adw_toast_overlay_add_toast (overlay, toast);
  return toast;
}

static GtkWindow *
command_window (GtkWidget *from)
{
  GtkRoot *root = gtk_widget_get_root (from);

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* Remove ---------------------------------------------------------------- */

static void
remove_undo_cb (AdwToast *toast,
                Command  *command)
{
  command->undone = TRUE;
  haul_queue_undo (command->queue, command->download);
}

static void
remove_dismissed_cb (AdwToast *toast,
                     Command  *command)
{
  if (!command->undone)
    haul_queue_discard (command->queue, command->download);
}

AdwToast *
haul_remove_with_undo (GtkWidget    *from,
                       HaulQueue    *queue,
                       HaulDownload *download)
{
  g_autoptr(Command) command = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_return_val_if_fail (GTK_IS_WIDGET (from), NULL);
  g_return_val_if_fail (HAUL_IS_QUEUE (queue), NULL);
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (download), NULL);

  command = command_new (from, queue, download);
  haul_queue_remove (queue, download);

  /* Translators: %s is a file name. */
  title = g_strdup_printf (_("“%s” removed from the list"), command->name);
  toast = command_toast (command, title, TRUE);
  if (toast == NULL)
    return NULL;
  g_signal_connect (toast, "button-clicked", G_CALLBACK (remove_undo_cb), command);
  g_signal_connect (toast, "dismissed", G_CALLBACK (remove_dismissed_cb), command);
  g_object_set_data_full (G_OBJECT (toast), "haul-command", g_steal_pointer (&command),
                          (GDestroyNotify) command_free);
  return toast;
}

/* Cancel ---------------------------------------------------------------- */

/* More than this on disk, and Cancel asks first: what it throws away
 * took a while to arrive. */
#define CANCEL_ASK_BYTES (10 * 1000 * 1000)

static void
cancel_now (Command *command)
{
  g_autofree char *title = NULL;
  AdwToast *toast;

  haul_queue_cancel (command->queue, command->download);
  /* Translators: %s is a file name. */
  title = g_strdup_printf (_("“%s” cancelled"), command->name);
  toast = command_toast (command, title, TRUE);
  if (toast == NULL)
    {
      /* No window to offer Undo in: nothing stays pending for good. */
      haul_queue_discard (command->queue, command->download);
      command_free (command);
      return;
    }
  g_signal_connect (toast, "button-clicked", G_CALLBACK (remove_undo_cb), command);
  g_signal_connect (toast, "dismissed", G_CALLBACK (remove_dismissed_cb), command);
  g_object_set_data_full (G_OBJECT (toast), "haul-command", command,
                          (GDestroyNotify) command_free);
}

static void
cancel_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    Command          *command)
{
  if (g_strcmp0 (response, "cancel-download") == 0)
    cancel_now (command);
  else
    command_free (command);
}

void
haul_cancel_with_undo (GtkWidget    *from,
                       HaulQueue    *queue,
                       HaulDownload *download)
{
  Command *command;
  AdwMessageDialog *dialog;
  g_autofree char *amount = NULL;
  g_autofree char *body = NULL;

  g_return_if_fail (GTK_IS_WIDGET (from));
  g_return_if_fail (HAUL_IS_QUEUE (queue));
  g_return_if_fail (HAUL_IS_DOWNLOAD (download));

  command = command_new (from, queue, download);
  if (haul_download_get_received (download) <= CANCEL_ASK_BYTES
      || command_window (from) == NULL)
    {
      cancel_now (command);
      return;
    }

  amount = g_format_size (haul_download_get_received (download));
  /* Translators: a file name, then a size such as "120 MB" */
  body = g_strdup_printf (_("“%s” has %s on disk. Cancelling deletes them once the "
                            "undo offer is gone."), command->name, amount);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (command_window (from),
                                                       _("Cancel Download?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Downloading"),
                                    "cancel-download", _("C_ancel Download"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "cancel-download",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_signal_connect (dialog, "response", G_CALLBACK (cancel_response_cb), command);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Delete the file ------------------------------------------------------- */

static void
files_checked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  haul_queue_check_files_finish (HAUL_QUEUE (object), result, NULL);
}

/* The row says what is on disk now: missing, or there again. */
static void
command_check_file (Command *command)
{
  g_autoptr(GPtrArray) downloads = g_ptr_array_new ();

  g_ptr_array_add (downloads, command->download);
  haul_queue_check_files_async (command->queue, downloads, NULL, files_checked_cb, NULL);
}

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Command) command = user_data;
  g_autoptr(GError) error = NULL;

  if (!haul_trash_restore_finish (result, &error))
    command_toast (command, error->message, FALSE);
  command_check_file (command);
}

static void
trash_undo_cb (AdwToast *toast,
               Command  *command)
{
  g_autoptr(Command) copy = g_new0 (Command, 1);
  g_autoptr(AdwToastOverlay) overlay = g_weak_ref_get (&command->overlay);

  /* The toast and its command go when it is dismissed: the restore
   * gets a command of its own. */
  copy->queue = g_object_ref (command->queue);
  copy->download = g_object_ref (command->download);
  g_weak_ref_init (&copy->overlay, overlay);
  copy->path = g_strdup (command->path);
  copy->name = g_strdup (command->name);
  haul_trash_restore_async (command->path, NULL, restored_cb, g_steal_pointer (&copy));
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Command) command = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  if (haul_trash_delete_finish (result, &error))
    {
      /* Translators: %s is a file name. */
      title = g_strdup_printf (_("“%s” deleted"), command->name);
      command_toast (command, title, FALSE);
    }
  else
    command_toast (command, error->message, FALSE);
  command_check_file (command);
}

static void
delete_for_good_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             Command          *command)
{
  Command *owned;

  if (g_strcmp0 (response, "delete") != 0)
    return;
  /* From the dialog's data to the deletion. */
  owned = g_object_steal_data (G_OBJECT (dialog), "haul-command");
  haul_trash_delete_async (owned->path, NULL, deleted_cb, owned);
}

static GtkWidget *
ask_delete_for_good (GtkWindow  *parent,
                     Command    *command,
                     const char *reason)
{
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  /* Translators: %s is why the file cannot go to the trash. */
  body = g_strdup_printf (_("%s. It can be deleted permanently instead, which cannot be undone."),
                          reason);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Delete Permanently?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete Permanently"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (delete_for_good_response_cb), command);
  g_object_set_data_full (G_OBJECT (dialog), "haul-command", command,
                          (GDestroyNotify) command_free);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WIDGET (dialog);
}

typedef struct
{
  Command   *command;  /* (owned) */
  GWeakRef   parent;   /* GtkWindow for a second question */
} TrashOp;

static void
trashed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  TrashOp *op = user_data;
  g_autoptr(Command) command = g_steal_pointer (&op->command);
  g_autoptr(GtkWindow) parent = g_weak_ref_get (&op->parent);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_weak_ref_clear (&op->parent);
  g_free (op);

  if (!haul_trash_file_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) || parent == NULL)
        {
          command_toast (command, error->message, FALSE);
          command_check_file (command);
        }
      else
        ask_delete_for_good (parent, g_steal_pointer (&command), error->message);
      return;
    }

  command_check_file (command);
  /* Translators: %s is a file name. */
  title = g_strdup_printf (_("“%s” moved to the trash"), command->name);
  toast = command_toast (command, title, TRUE);
  if (toast == NULL)
    return;
  g_signal_connect (toast, "button-clicked", G_CALLBACK (trash_undo_cb), command);
  g_object_set_data_full (G_OBJECT (toast), "haul-command", g_steal_pointer (&command),
                          (GDestroyNotify) command_free);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    Command          *command)
{
  TrashOp *op;

  if (g_strcmp0 (response, "delete") != 0)
    return;
  op = g_new0 (TrashOp, 1);
  op->command = g_object_steal_data (G_OBJECT (dialog), "haul-command");
  g_weak_ref_init (&op->parent, gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  haul_trash_file_async (op->command->path, NULL, trashed_cb, op);
}

GtkWidget *
haul_delete_file_ask (GtkWidget    *from,
                      HaulQueue    *queue,
                      HaulDownload *download)
{
  g_autoptr(Command) command = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  g_return_val_if_fail (GTK_IS_WIDGET (from), NULL);
  g_return_val_if_fail (HAUL_IS_QUEUE (queue), NULL);
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (download), NULL);

  command = command_new (from, queue, download);
  g_return_val_if_fail (command->path != NULL, NULL);

  /* Translators: %s is a file name. */
  body = g_strdup_printf (_("“%s” will be moved to the trash. The download stays in the list."),
                          command->name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (command_window (from), _("Delete File?"),
                                                       body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (delete_response_cb), command);
  g_object_set_data_full (G_OBJECT (dialog), "haul-command", g_steal_pointer (&command),
                          (GDestroyNotify) command_free);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WIDGET (dialog);
}
