/* haul-open-error.c: why a file could not be opened, in words
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "haul-details-dialog.h"
#include "haul-open-error.h"
#include "haul-util.h"

/* "PDF document", from the server's type or else from the name; NULL
 * for a type that says nothing ("unknown", "binary"). */
static char *
describe_type (const char *path,
               const char *content_type)
{
  g_autofree char *type = NULL;

  if (content_type != NULL && *content_type != '\0')
    {
      g_autofree char *bare = g_strndup (content_type, strcspn (content_type, ";"));

      type = g_content_type_from_mime_type (g_strstrip (bare));
    }
  if (type == NULL || g_content_type_is_unknown (type))
    {
      g_free (type);
      type = g_content_type_guess (path, NULL, 0, NULL);
    }

  if (type == NULL || g_content_type_is_unknown (type))
    return NULL;
  return g_content_type_get_description (type);
}

char *
haul_describe_open_error (const char   *path,
                          const char   *content_type,
                          const GError *error)
{
  g_autofree char *name = NULL;
  g_autofree char *type = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  name = g_filename_display_basename (path);
  type = describe_type (path, content_type);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return g_strdup_printf (_("“%s” is no longer in its folder. It may have been moved, renamed "
                              "or deleted."), name);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    return g_strdup_printf (_("You are not allowed to open “%s”."), name);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      if (type == NULL)
        return g_strdup (_("There is no app installed that opens this kind of file."));
      /* Translators: the file type's description: "There is no app installed for “PDF
       * document” files." */
      return g_strdup_printf (_("There is no app installed for “%s” files."), type);
    }
  if (type == NULL)
    return g_strdup (_("The app for this kind of file did not start."));
  /* Translators: the file type's description */
  return g_strdup_printf (_("The app for “%s” files did not start."), type);
}

typedef struct
{
  HaulDownload *download;   /* (owned) (nullable) */
  char         *problem;    /* (owned) the whole story, for the details */
} Response;

static void
response_free (gpointer data)
{
  Response *response = data;

  g_clear_object (&response->download);
  g_free (response->problem);
  g_free (response);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response_id,
             Response         *response)
{
  GtkWidget *details;

  if (g_strcmp0 (response_id, "details") != 0 || response->download == NULL)
    return;

  details = haul_details_dialog_new (gtk_window_get_transient_for (GTK_WINDOW (dialog)),
                                     response->download);
  haul_details_dialog_set_extra_problem (HAUL_DETAILS_DIALOG (details), response->problem);
  gtk_window_present (GTK_WINDOW (details));
}

GtkWidget *
haul_present_open_error (GtkWindow    *parent,
                         HaulDownload *download,
                         const char   *path,
                         const GError *error)
{
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *words = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  Response *response;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (download == NULL || HAUL_IS_DOWNLOAD (download), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  name = g_filename_display_basename (path);
  words = haul_describe_open_error (path,
                                    download != NULL
                                    ? haul_download_get_content_type (download) : NULL,
                                    error);
  /* Translators: a dialog's heading, the file's name */
  heading = g_strdup_printf (_("Could Not Open “%s”"), name);
  /* Without a download to show the details of, the system's words go
   * under the person's. */
  body = download != NULL ? g_strdup (words) : g_strdup_printf ("%s\n\n%s", words, error->message);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  if (download != NULL)
    adw_message_dialog_add_response (dialog, "details", _("_Details"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");

  response = g_new0 (Response, 1);
  response->download = download != NULL ? g_object_ref (download) : NULL;
  /* Translators: in the details, after the words: the system's own message */
  response->problem = g_strdup_printf (_("Could not open the file: %s\n(%s)"),
                                       words, error->message);
  g_signal_connect_data (dialog, "response", G_CALLBACK (response_cb), response,
                         (GClosureNotify) (void (*) (void)) response_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WIDGET (dialog);
}
