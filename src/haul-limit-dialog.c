/* haul-limit-dialog.c: "Speed Limit…", one download's own limit
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-limit-dialog.h"

/* As the Preferences' global limit: KiB/s, up to 1 GiB/s. */
#define MAX_KIB_PER_SECOND (1024 * 1024)

typedef struct
{
  HaulQueue     *queue;    /* (owned) */
  HaulDownload  *download; /* (owned) */
  GtkSpinButton *spin;     /* (unowned) inside the dialog */
} LimitRequest;

static void
limit_request_free (gpointer data,
                    GClosure *closure)
{
  LimitRequest *request = data;

  g_object_unref (request->queue);
  g_object_unref (request->download);
  g_free (request);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             LimitRequest     *request)
{
  guint64 kib;

  if (g_strcmp0 (response, "set") != 0)
    return;

  /* What was typed counts, even if Return came before the spin noticed. */
  gtk_spin_button_update (request->spin);
  kib = (guint64) gtk_spin_button_get_value_as_int (request->spin);
  haul_queue_set_download_speed_limit (request->queue, request->download, kib * 1024);
}

static void
spin_activate_cb (GtkText          *text,
                  AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "set");
  gtk_window_close (GTK_WINDOW (dialog));
}

GtkWidget *
haul_limit_dialog_show (GtkWidget    *from,
                        HaulQueue    *queue,
                        HaulDownload *download)
{
  GtkRoot *root;
  AdwMessageDialog *dialog;
  GtkWidget *box, *spin, *unit;
  LimitRequest *request;
  g_autofree char *body = NULL;

  g_return_val_if_fail (GTK_IS_WIDGET (from), NULL);
  g_return_val_if_fail (HAUL_IS_QUEUE (queue), NULL);
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (download), NULL);

  root = gtk_widget_get_root (from);
  /* Translators: %s is a file name. */
  body = g_strdup_printf (_("The most “%s” may use, in KiB/s. 0 means no limit of its own; "
                            "the limits in Preferences still apply."),
                          haul_download_get_file_name (download));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       _("Speed Limit"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "set", _("_Set Limit"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "set", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "set");
  adw_message_dialog_set_close_response (dialog, "cancel");

  spin = gtk_spin_button_new_with_range (0, MAX_KIB_PER_SECOND, 16);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin),
                             (double) (haul_download_get_speed_limit (download) / 1024));
  gtk_widget_set_hexpand (spin, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Speed limit in KiB/s"), -1);
  /* Translators: the unit beside the speed limit's number. */
  unit = gtk_label_new (_("KiB/s"));
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_append (GTK_BOX (box), spin);
  gtk_box_append (GTK_BOX (box), unit);
  adw_message_dialog_set_extra_child (dialog, box);

  request = g_new0 (LimitRequest, 1);
  request->queue = g_object_ref (queue);
  request->download = g_object_ref (download);
  request->spin = GTK_SPIN_BUTTON (spin);
  g_signal_connect_data (dialog, "response", G_CALLBACK (response_cb), request,
                         limit_request_free, 0);
  /* Return in the number sets it, as a person expects. */
  g_signal_connect_object (gtk_editable_get_delegate (GTK_EDITABLE (spin)), "activate",
                           G_CALLBACK (spin_activate_cb), dialog, 0);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (spin);
  return GTK_WIDGET (dialog);
}
