/* haul-clipboard-offer.c: new addresses on the clipboard when the window comes back
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-clipboard-offer.h"

struct _HaulClipboardOffer
{
  GObject         parent_instance;

  GtkWindow      *window;       /* (unowned) it owns us; weak pointer */
  HaulDropReader *reader;       /* (owned) */
  HaulQueue      *queue;        /* (owned) */
  GHashTable     *offered;      /* (owned) (element-type utf8) addresses offered before */
  GCancellable   *cancellable;  /* (owned) cancelled in dispose */
  gboolean        reading;
};

G_DEFINE_FINAL_TYPE (HaulClipboardOffer, haul_clipboard_offer, G_TYPE_OBJECT)

enum {
  OFFER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GHashTable *
queued_urls (HaulQueue *queue)
{
  GListModel *model = G_LIST_MODEL (queue);
  GHashTable *urls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (model, i);

      g_hash_table_add (urls, g_strdup (haul_download_get_uri (download)));
    }

  return urls;
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HaulLinkList) links = NULL;
  g_autoptr(HaulLinkList) fresh = NULL;
  g_autoptr(GHashTable) queued = NULL;
  HaulClipboardOffer *self;

  links = haul_drop_reader_read_finish (HAUL_DROP_READER (object), result, NULL);
  if (links == NULL)
    return;  /* cancelled: we may be gone */

  self = HAUL_CLIPBOARD_OFFER (user_data);
  self->reading = FALSE;
  if (links->urls->len == 0)
    return;

  queued = queued_urls (self->queue);
  fresh = haul_link_list_new ();
  for (guint i = 0; i < links->urls->len; i++)
    {
      const char *url = g_ptr_array_index (links->urls, i);

      if (g_hash_table_contains (self->offered, url) || g_hash_table_contains (queued, url))
        continue;

      g_hash_table_add (self->offered, g_strdup (url));
      g_ptr_array_add (fresh->urls, g_strdup (url));
    }

  if (fresh->urls->len > 0)
    g_signal_emit (self, signals[OFFER], 0, fresh);
}

static void
active_cb (HaulClipboardOffer *self,
           GParamSpec         *pspec,
           GtkWindow          *window)
{
  GdkClipboard *clipboard;

  if (!gtk_window_is_active (window) || self->reading)
    return;

  /* What Haul copied itself (a row's address) is not news. */
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));
  if (gdk_clipboard_is_local (clipboard))
    return;

  self->reading = TRUE;
  haul_drop_reader_read_clipboard_async (self->reader, clipboard, self->cancellable, read_cb,
                                         self);
}

static void
haul_clipboard_offer_dispose (GObject *object)
{
  HaulClipboardOffer *self = HAUL_CLIPBOARD_OFFER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->window != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->window, self);
      g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      self->window = NULL;
    }
  g_clear_object (&self->reader);
  g_clear_object (&self->queue);

  G_OBJECT_CLASS (haul_clipboard_offer_parent_class)->dispose (object);
}

static void
haul_clipboard_offer_finalize (GObject *object)
{
  HaulClipboardOffer *self = HAUL_CLIPBOARD_OFFER (object);

  g_clear_pointer (&self->offered, g_hash_table_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (haul_clipboard_offer_parent_class)->finalize (object);
}

static void
haul_clipboard_offer_class_init (HaulClipboardOfferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = haul_clipboard_offer_dispose;
  object_class->finalize = haul_clipboard_offer_finalize;

  signals[OFFER] = g_signal_new ("offer",
                                 G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
haul_clipboard_offer_init (HaulClipboardOffer *self)
{
  self->offered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}

HaulClipboardOffer *
haul_clipboard_offer_new (GtkWindow      *window,
                          HaulDropReader *reader,
                          HaulQueue      *queue)
{
  HaulClipboardOffer *self;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);
  g_return_val_if_fail (HAUL_IS_DROP_READER (reader), NULL);
  g_return_val_if_fail (HAUL_IS_QUEUE (queue), NULL);

  self = g_object_new (HAUL_TYPE_CLIPBOARD_OFFER, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  self->reader = g_object_ref (reader);
  self->queue = g_object_ref (queue);
  g_signal_connect_swapped (window, "notify::is-active", G_CALLBACK (active_cb), self);

  return self;
}
