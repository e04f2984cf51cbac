/* haul-window-links.c: what drops, pastes and the clipboard bring the window
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HaulDropReader reads a drop or the clipboard; HaulLinkParser tells the
 * links from the rest; here one link is added at once, several are listed
 * in Add Downloads to confirm, a new link dropped on a failed or paused
 * row offers Change Address, a browser's partial download dropped from a
 * file manager is offered to be continued (HaulAdoptDialog), and
 * HaulQueueFeeder adds many a slice per main-loop turn, with the
 * duplicates asked about at the end.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-address-dialog.h"
#include "haul-adopt-dialog.h"
#include "haul-clipboard-offer.h"
#include "haul-drop-reader.h"
#include "haul-duplicates.h"
#include "haul-error.h"
#include "haul-naming.h"
#include "haul-queue-feeder.h"
#include "haul-util.h"
#include "haul-window-private.h"

/* Drops and pastes ---------------------------------------------------- */

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gboolean      pasted,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulLinkList) links = NULL;

  HaulWindow *self;

  links = haul_drop_reader_read_finish (HAUL_DROP_READER (object), result, &error);
  if (links == NULL)
    return;  /* cancelled: the window may be gone */

  self = HAUL_WINDOW (user_data);
  /* Pasted onto the row that has the focus: maybe its new address. */
  if (pasted && links->partials->len == 0
      && haul_address_dialog_offer (gtk_root_get_focus (GTK_ROOT (self)), self->queue, links))
    return;
  haul_window_handle_links (self, links, pasted);
}

static void
dropped_bytes_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  read_cb (object, result, FALSE, user_data);
}

static void
pasted_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  read_cb (object, result, TRUE, user_data);
}

void
haul_window_handle_data (HaulWindow *self,
                         const char *mime_type,
                         GBytes     *bytes,
                         gboolean    pasted)
{
  g_return_if_fail (HAUL_IS_WINDOW (self));
  g_return_if_fail (bytes != NULL);

  haul_drop_reader_read_bytes_async (self->drop_reader, mime_type, bytes, self->cancellable,
                                     pasted ? pasted_cb : dropped_bytes_cb, self);
}

static void
toast_nothing (HaulWindow   *self,
               gboolean      pasted,
               HaulLinkList *links)
{
  g_autofree char *title = NULL;
  const char *base = pasted ? _("Nothing to download in what was pasted")
                            : _("Nothing to download in what was dropped");

  if (links != NULL && links->rejected->len > 0)
    {
      HaulRejectedLink *first = g_ptr_array_index (links->rejected, 0);
      /* Translators: "Nothing to download in what was dropped: <reason>" */
      title = g_strdup_printf (_("%s: %s"), base, first->reason);
    }
  else
    title = g_strdup (base);

  haul_window_add_toast (self, title);
}

/* Browsers' partial downloads (dropped from a file manager): each one is
 * offered to be continued. One web address in the same drop is taken as
 * the address of one such file; returns whether it was. */
static gboolean
adopt_partials (HaulWindow   *self,
                HaulLinkList *links)
{
  gboolean paired = links->partials->len == 1 && links->urls->len == 1;

  for (guint i = 0; i < links->partials->len; i++)
    haul_adopt_dialog_run (GTK_WINDOW (self), self->queue, g_ptr_array_index (links->partials, i),
                           paired ? g_ptr_array_index (links->urls, 0) : NULL);
  return paired;
}

gboolean
haul_window_adopt (HaulWindow  *self,
                   const char  *path,
                   const char  *uri,
                   GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (HAUL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL && g_path_is_absolute (path), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  name = g_path_get_basename (path);
  if (!haul_naming_browser_partial (name, NULL))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                   _("%s is not a partly downloaded file of a browser (.part or .crdownload)"),
                   display);
      return FALSE;
    }
  normalized = haul_link_normalize (uri, error);
  if (normalized == NULL)
    return FALSE;
  haul_adopt_dialog_run (GTK_WINDOW (self), self->queue, path, normalized);
  return TRUE;
}

void
haul_window_handle_links (HaulWindow   *self,
                          HaulLinkList *links,
                          gboolean      pasted)
{
  g_return_if_fail (HAUL_IS_WINDOW (self));
  g_return_if_fail (links != NULL);

  if (links->partials->len > 0)
    {
      if (adopt_partials (self, links) || links->urls->len == 0)
        return;
    }

  if (links->urls->len == 0)
    {
      toast_nothing (self, pasted, links);
      return;
    }

  if (links->urls->len == 1)
    {
      g_autofree char *folder = haul_dup_download_folder (self->settings);
      g_autoptr(GError) error = NULL;
      const char *url = g_ptr_array_index (links->urls, 0);
      const char *urls[] = { url, NULL };

      /* One the list holds already is asked about. */
      if (haul_queue_find_duplicate (self->queue, url) != NULL)
        haul_window_queue_urls (self, urls, folder);
      else if (haul_queue_add (self->queue, url, folder, &error) == NULL)
        haul_window_add_toast (self, error->message);
      else
        haul_window_add_toast (self, _("Added 1 download"));
      return;
    }

  haul_window_show_add_dialog (self, links);
}

/* Drag and drop, paste ------------------------------------------------ */

static void
hovering_cb (HaulWindow     *self,
             GParamSpec     *pspec,
             HaulDropReader *reader)
{
  gboolean hover = haul_drop_reader_get_hovering (reader);

  gtk_widget_set_visible (self->drop_hint, hover);
  if (hover)
    gtk_widget_add_css_class (GTK_WIDGET (self), "drop-hover");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "drop-hover");
}

static void
dropped_cb (HaulWindow     *self,
            HaulLinkList   *links,
            double          x,
            double          y,
            HaulDropReader *reader)
{
  GtkWidget *target = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);

  /* Dropped onto a paused or failed row: maybe its new address (a
   * browser's partial beside it is continued instead). */
  if (links->partials->len == 0 && haul_address_dialog_offer (target, self->queue, links))
    return;
  haul_window_handle_links (self, links, FALSE);
}

/* New addresses on the clipboard: offered, not added. */
static void
offer_cb (HaulWindow         *self,
          HaulLinkList       *links,
          HaulClipboardOffer *offer)
{
  g_autofree char *title = NULL;
  AdwToast *toast;
  guint n = links->urls->len;

  g_clear_pointer (&self->offered, haul_link_list_free);
  self->offered = haul_link_list_new ();
  haul_link_list_merge (self->offered, links);

  if (n == 1)
    {
      g_autofree char *name = g_path_get_basename (g_ptr_array_index (links->urls, 0));

      /* Translators: a toast; %s is the last part of the address. */
      title = g_strdup_printf (_("Download “%s” from the clipboard?"), name);
    }
  else
    {
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Download %u link from the clipboard?",
                                            "Download %u links from the clipboard?", n),
                               n);
    }

  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 8);
  adw_toast_set_button_label (toast, _("_Download"));
  adw_toast_set_action_name (toast, "win.add-offered");
  haul_window_show_toast (self, toast);
}

static void
add_offered_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  HaulWindow *self = HAUL_WINDOW (widget);
  g_autoptr(HaulLinkList) links = g_steal_pointer (&self->offered);

  if (links != NULL)
    haul_window_handle_links (self, links, TRUE);
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HaulWindow *self = HAUL_WINDOW (widget);

  haul_drop_reader_read_clipboard_async (self->drop_reader, gtk_widget_get_clipboard (widget),
                                         self->cancellable, pasted_cb, self);
}

static void
fed_cb (HaulWindow      *self,
        guint            n_added,
        const char      *first_error,
        HaulQueueFeeder *feeder)
{
  if (n_added > 0)
    {
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "Added %u download",
                                                             "Added %u downloads", n_added),
                                                n_added);
      haul_window_add_toast (self, title);
    }
  if (first_error != NULL)
    haul_window_add_toast (self, first_error);
  {
    g_autoptr(HaulDuplicates) duplicates = haul_queue_feeder_steal_duplicates (feeder);

    if (duplicates != NULL)
      haul_duplicates_ask (g_steal_pointer (&duplicates), GTK_WINDOW (self), self->queue);
  }
}

void
haul_window_queue_urls (HaulWindow         *self,
                        const char * const *urls,
                        const char         *folder)
{
  g_return_if_fail (HAUL_IS_WINDOW (self));
  g_return_if_fail (urls != NULL);
  g_return_if_fail (folder != NULL);

  haul_queue_feeder_add (self->feeder, urls, folder);
}

guint
haul_window_get_n_pending (HaulWindow *self)
{
  g_return_val_if_fail (HAUL_IS_WINDOW (self), 0);

  return haul_queue_feeder_get_n_pending (self->feeder);
}

/* Wiring ------------------------------------------------------------- */

void
haul_window_links_init (HaulWindow *self)
{
  self->drop_reader = haul_drop_reader_new (GTK_WIDGET (self));
  g_signal_connect_object (self->drop_reader, "notify::hovering", G_CALLBACK (hovering_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->drop_reader, "dropped", G_CALLBACK (dropped_cb), self,
                           G_CONNECT_SWAPPED);
}

void
haul_window_links_set_queue (HaulWindow *self,
                             HaulQueue  *queue)
{
  self->feeder = haul_queue_feeder_new (queue);
  g_signal_connect_object (self->feeder, "done", G_CALLBACK (fed_cb), self, G_CONNECT_SWAPPED);
  self->clipboard_offer = haul_clipboard_offer_new (GTK_WINDOW (self), self->drop_reader, queue);
  g_signal_connect_object (self->clipboard_offer, "offer", G_CALLBACK (offer_cb), self,
                           G_CONNECT_SWAPPED);
}

void
haul_window_links_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "win.add-offered", NULL, add_offered_action);
  /* Bubble phase: a focused text field pastes into itself first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK,
                                       "win.paste", NULL);
}
