/* haul-duplicates.c: addresses the list holds already, and the question
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-duplicates.h"

struct _HaulDuplicates
{
  GPtrArray  *urls;       /* (element-type utf8) (owned) set aside */
  GPtrArray  *folders;    /* (element-type utf8) (owned) where each was to go */
  GPtrArray  *existing;   /* (element-type HaulDownload) (owned) what each is */
  GHashTable *added;      /* (element-type HaulDownload) added in this batch */
  HaulQueue  *queue;      /* (owned) (nullable) once asked */
};

HaulDuplicates *
haul_duplicates_new (void)
{
  HaulDuplicates *self = g_new0 (HaulDuplicates, 1);

  self->urls = g_ptr_array_new_with_free_func (g_free);
  self->folders = g_ptr_array_new_with_free_func (g_free);
  self->existing = g_ptr_array_new_with_free_func (g_object_unref);
  self->added = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  return self;
}

void
haul_duplicates_free (HaulDuplicates *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->urls);
  g_ptr_array_unref (self->folders);
  g_ptr_array_unref (self->existing);
  g_hash_table_unref (self->added);
  g_clear_object (&self->queue);
  g_free (self);
}

gboolean
haul_duplicates_take (HaulDuplicates *self,
                      HaulQueue      *queue,
                      const char     *url,
                      const char     *folder)
{
  HaulDownload *existing;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (HAUL_IS_QUEUE (queue), FALSE);
  g_return_val_if_fail (url != NULL && folder != NULL, FALSE);

  existing = haul_queue_find_duplicate (queue, url);
  if (existing == NULL)
    return FALSE;
  /* Twice in one drop: once is what was meant. */
  if (g_hash_table_contains (self->added, existing))
    return TRUE;
  for (guint i = 0; i < self->existing->len; i++)
    if (g_ptr_array_index (self->existing, i) == existing)
      return TRUE;

  g_ptr_array_add (self->urls, g_strdup (url));
  g_ptr_array_add (self->folders, g_strdup (folder));
  g_ptr_array_add (self->existing, g_object_ref (existing));
  return TRUE;
}

void
haul_duplicates_added (HaulDuplicates *self,
                       HaulDownload   *download)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (HAUL_IS_DOWNLOAD (download));

  g_hash_table_add (self->added, g_object_ref (download));
}

guint
haul_duplicates_get_n (HaulDuplicates *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->urls->len;
}

static gboolean
is_on_disk (HaulDownload *download)
{
  return haul_download_get_state (download) == HAUL_DOWNLOAD_COMPLETED
         && !haul_download_get_file_missing (download);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             HaulDuplicates   *self)
{
  if (g_strcmp0 (response, "again") == 0)
    {
      for (guint i = 0; i < self->urls->len; i++)
        {
          g_autoptr(GError) error = NULL;

          if (haul_queue_add (self->queue, g_ptr_array_index (self->urls, i),
                              g_ptr_array_index (self->folders, i), &error) == NULL)
            g_warning ("Could not add %s again: %s",
                       (const char *) g_ptr_array_index (self->urls, i), error->message);
        }
    }
  else if (g_strcmp0 (response, "open") == 0)
    {
      g_autofree char *path = haul_download_dup_path (g_ptr_array_index (self->existing, 0));
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));

      if (path != NULL && parent != NULL)
        gtk_widget_activate_action (GTK_WIDGET (parent), "app.open-file", "s", path);
    }
}

static char *
display_name (HaulDownload *download)
{
  const char *name = haul_download_get_file_name (download);

  return g_strdup (name != NULL ? name : haul_download_get_uri (download));
}

GtkWidget *
haul_duplicates_ask (HaulDuplicates *self,
                     GtkWindow      *parent,
                     HaulQueue      *queue)
{
  g_autoptr(HaulDuplicates) owned = self;
  g_autofree char *body = NULL;
  const char *heading;
  AdwMessageDialog *dialog;
  gboolean can_open;
  guint n;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (HAUL_IS_QUEUE (queue), NULL);

  n = self->urls->len;
  if (n == 0)
    return NULL;
  can_open = n == 1 && is_on_disk (g_ptr_array_index (self->existing, 0));

  if (n == 1)
    {
      HaulDownload *existing = g_ptr_array_index (self->existing, 0);
      g_autofree char *name = display_name (existing);

      if (can_open)
        {
          heading = _("Already Downloaded");
          /* Translators: %s is a file name. */
          body = g_strdup_printf (_("“%s” is downloaded already. Open it, or download it "
                                    "again as another file?"), name);
        }
      else
        {
          heading = _("Already in the List");
          /* Translators: %s is a file name. */
          body = g_strdup_printf (_("“%s” is in the list already. Download it again as "
                                    "another file?"), name);
        }
    }
  else
    {
      heading = _("Already in the List");
      body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u address is in the list already. Download it "
                                           "again?",
                                           "%u addresses are in the list already. Download "
                                           "them again?", n),
                              n);
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "skip", _("_Skip"),
                                    "again", _("Download _Again"),
                                    NULL);
  if (can_open)
    {
      adw_message_dialog_add_response (dialog, "open", _("_Open File"));
      adw_message_dialog_set_response_appearance (dialog, "open", ADW_RESPONSE_SUGGESTED);
    }
  adw_message_dialog_set_default_response (dialog, can_open ? "open" : "skip");
  adw_message_dialog_set_close_response (dialog, "skip");

  self->queue = g_object_ref (queue);
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), self);
  g_object_set_data_full (G_OBJECT (dialog), "haul-duplicates", g_steal_pointer (&owned),
                          (GDestroyNotify) haul_duplicates_free);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WIDGET (dialog);
}
