/* haul-address-prompt.c: a message dialog that asks for an address and
 * has a server checked before it closes
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ask response must leave the dialog open, to say in the same dialog
 * what the server answered, and so may the others when they fail. But
 * AdwMessageDialog closes itself on any response (libadwaita closes just
 * before it emits the response; the order is not promised, so both are
 * handled): close-request is refused, and the dialog goes itself once
 * the response is known (none: Escape, the window manager — Cancel).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-address-prompt.h"
#include "haul-window.h"

typedef struct
{
  GCancellable *cancellable;   /* (owned) cancelled in dispose */
  GWeakRef      toast_widget;  /* where what was done is told */
  char         *ask_id;        /* (owned) the response that asks the server */
  char         *empty_message; /* (owned) said when the field is empty */
  gboolean      busy;          /* the server (or the trash) is being asked */
  gboolean      keep_open;     /* a response came, the close after it is refused */
  gboolean      close_pending; /* a close came, its response not yet */
  guint         close_id;      /* idle: a close with no response is Cancel */

  GtkWidget    *entry;
  GtkWidget    *error_label;
} HaulAddressPromptPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (HaulAddressPrompt, haul_address_prompt, ADW_TYPE_MESSAGE_DIALOG)

static void
haul_address_prompt_response (AdwMessageDialog *dialog,
                              const char       *response)
{
  HaulAddressPrompt *self = HAUL_ADDRESS_PROMPT (dialog);
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);
  gboolean done = HAUL_ADDRESS_PROMPT_GET_CLASS (self)->respond (self, response);

  /* The close that came with it (before or after) is refused. */
  priv->keep_open = !priv->close_pending;
  priv->close_pending = FALSE;
  g_clear_handle_id (&priv->close_id, g_source_remove);
  if (done)
    gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
close_without_response_cb (gpointer data)
{
  HaulAddressPrompt *self = data;
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);

  priv->close_id = 0;
  if (priv->close_pending)
    gtk_window_destroy (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static gboolean
haul_address_prompt_close_request (GtkWindow *window)
{
  HaulAddressPrompt *self = HAUL_ADDRESS_PROMPT (window);
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);

  if (priv->keep_open)
    priv->keep_open = FALSE;
  else if (priv->close_id == 0)
    {
      priv->close_pending = TRUE;
      priv->close_id = g_idle_add (close_without_response_cb, self);
    }
  return TRUE;
}

static void
entry_activate_cb (HaulAddressPrompt *self)
{
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);

  if (!priv->busy)
    haul_address_prompt_ask (self);
}

static void
haul_address_prompt_dispose (GObject *object)
{
  HaulAddressPrompt *self = HAUL_ADDRESS_PROMPT (object);
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  g_clear_handle_id (&priv->close_id, g_source_remove);

  G_OBJECT_CLASS (haul_address_prompt_parent_class)->dispose (object);
}

static void
haul_address_prompt_finalize (GObject *object)
{
  HaulAddressPrompt *self = HAUL_ADDRESS_PROMPT (object);
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);

  g_clear_object (&priv->cancellable);
  g_weak_ref_clear (&priv->toast_widget);
  g_free (priv->ask_id);
  g_free (priv->empty_message);

  G_OBJECT_CLASS (haul_address_prompt_parent_class)->finalize (object);
}

static void
haul_address_prompt_class_init (HaulAddressPromptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = haul_address_prompt_dispose;
  object_class->finalize = haul_address_prompt_finalize;
  window_class->close_request = haul_address_prompt_close_request;
  dialog_class->response = haul_address_prompt_response;
}

static void
haul_address_prompt_init (HaulAddressPrompt *self)
{
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  priv->cancellable = g_cancellable_new ();
  g_weak_ref_init (&priv->toast_widget, NULL);

  priv->entry = gtk_entry_new ();
  gtk_entry_set_input_purpose (GTK_ENTRY (priv->entry), GTK_INPUT_PURPOSE_URL);
  gtk_entry_set_placeholder_text (GTK_ENTRY (priv->entry), "https://");
  g_signal_connect_object (priv->entry, "activate", G_CALLBACK (entry_activate_cb), self,
                           G_CONNECT_SWAPPED);

  priv->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (priv->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (priv->error_label), 0);
  gtk_widget_set_visible (priv->error_label, FALSE);
  gtk_widget_add_css_class (priv->error_label, "warning");

  gtk_box_append (GTK_BOX (box), priv->entry);
  gtk_box_append (GTK_BOX (box), priv->error_label);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), box);
}

void
haul_address_prompt_setup (HaulAddressPrompt *self,
                           const char        *ask_id,
                           const char        *ask_label,
                           const char        *field_label,
                           const char        *empty_message)
{
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  g_return_if_fail (HAUL_IS_ADDRESS_PROMPT (self));
  g_return_if_fail (ask_id != NULL && ask_label != NULL);
  g_return_if_fail (field_label != NULL && empty_message != NULL);
  g_return_if_fail (priv->ask_id == NULL);

  priv->ask_id = g_strdup (ask_id);
  priv->empty_message = g_strdup (empty_message);

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), ask_id, ask_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, ask_id, ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, ask_id);
  adw_message_dialog_set_close_response (dialog, "cancel");

  gtk_accessible_update_property (GTK_ACCESSIBLE (priv->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  field_label, -1);
}

void
haul_address_prompt_set_toast_widget (HaulAddressPrompt *self,
                                      GtkWidget         *widget)
{
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);

  g_return_if_fail (HAUL_IS_ADDRESS_PROMPT (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  g_weak_ref_set (&priv->toast_widget, widget);
}

void
haul_address_prompt_toast (HaulAddressPrompt *self,
                           const char        *title)
{
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);
  g_autoptr(GtkWidget) widget = NULL;
  GtkRoot *root;

  g_return_if_fail (HAUL_IS_ADDRESS_PROMPT (self));
  g_return_if_fail (title != NULL);

  widget = g_weak_ref_get (&priv->toast_widget);
  if (widget == NULL)
    return;
  root = gtk_widget_get_root (widget);
  if (HAUL_IS_WINDOW (root))
    haul_window_add_toast (HAUL_WINDOW (root), title);
  else if (ADW_IS_TOAST_OVERLAY (widget))
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (widget), adw_toast_new (title));
}

void
haul_address_prompt_present (HaulAddressPrompt *self)
{
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);

  g_return_if_fail (HAUL_IS_ADDRESS_PROMPT (self));

  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    return;
  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (priv->entry);
}

char *
haul_address_prompt_dup_address (HaulAddressPrompt *self)
{
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);

  g_return_val_if_fail (HAUL_IS_ADDRESS_PROMPT (self), NULL);

  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (priv->entry))));
}

void
haul_address_prompt_show_error (HaulAddressPrompt *self,
                                const char        *message)
{
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);

  g_return_if_fail (HAUL_IS_ADDRESS_PROMPT (self));

  gtk_label_set_label (GTK_LABEL (priv->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (priv->error_label, message != NULL);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (priv->entry),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (priv->entry),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

void
haul_address_prompt_ask (HaulAddressPrompt *self)
{
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);
  g_autofree char *uri = NULL;

  g_return_if_fail (HAUL_IS_ADDRESS_PROMPT (self));

  uri = haul_address_prompt_dup_address (self);
  if (*uri == '\0')
    {
      haul_address_prompt_show_error (self, priv->empty_message);
      haul_address_prompt_present (self);
      return;
    }
  haul_address_prompt_show_error (self, NULL);
  HAUL_ADDRESS_PROMPT_GET_CLASS (self)->ask (self, uri);
}

void
haul_address_prompt_set_busy (HaulAddressPrompt *self,
                              gboolean           busy)
{
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  g_return_if_fail (HAUL_IS_ADDRESS_PROMPT (self));

  priv->busy = busy;
  /* Not insensitive: GTK 4.8 then takes the focus away without telling
   * the entry, which warns about it. */
  gtk_editable_set_editable (GTK_EDITABLE (priv->entry), !busy);
  adw_message_dialog_set_response_enabled (dialog, priv->ask_id, !busy);
  /* Keep Both and Start Again wait too: they would act on an address
   * while the server is still asked about it (or the Trash is under way). */
  if (adw_message_dialog_has_response (dialog, "restart"))
    {
      adw_message_dialog_set_response_enabled (dialog, "restart", !busy);
      adw_message_dialog_set_response_enabled (dialog, "both", !busy);
    }
}

gboolean
haul_address_prompt_get_busy (HaulAddressPrompt *self)
{
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);

  g_return_val_if_fail (HAUL_IS_ADDRESS_PROMPT (self), FALSE);

  return priv->busy;
}

void
haul_address_prompt_offer_choices (HaulAddressPrompt *self,
                                   const char        *message)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  g_return_if_fail (HAUL_IS_ADDRESS_PROMPT (self));

  haul_address_prompt_show_error (self, message);
  if (!adw_message_dialog_has_response (dialog, "restart"))
    {
      adw_message_dialog_add_response (dialog, "both", _("_Keep Both"));
      adw_message_dialog_add_response (dialog, "restart", _("Start _Again"));
      adw_message_dialog_set_response_appearance (dialog, "restart", ADW_RESPONSE_DESTRUCTIVE);
    }
}

GCancellable *
haul_address_prompt_get_cancellable (HaulAddressPrompt *self)
{
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);

  g_return_val_if_fail (HAUL_IS_ADDRESS_PROMPT (self), NULL);

  return priv->cancellable;
}

GtkEditable *
haul_address_prompt_get_entry (HaulAddressPrompt *self)
{
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);

  g_return_val_if_fail (HAUL_IS_ADDRESS_PROMPT (self), NULL);

  return GTK_EDITABLE (priv->entry);
}

const char *
haul_address_prompt_get_error (HaulAddressPrompt *self)
{
  HaulAddressPromptPrivate *priv = haul_address_prompt_get_instance_private (self);

  g_return_val_if_fail (HAUL_IS_ADDRESS_PROMPT (self), NULL);

  if (!gtk_widget_get_visible (priv->error_label))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (priv->error_label));
}
