/* haul-engine-group.c: Preferences' "Download Engine" group
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rows edit settings; the address, the folders and the secret only
 * when applied (the ✓ of an entry row or Enter), so a half-typed address
 * never starts a connection. The connection shown is the running
 * engine's when it is the aria2 one; otherwise the group asks the daemon
 * itself, with a client of its own, so the settings can be checked
 * before Haul starts again with them.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-aria2-client.h"
#include "haul-aria2-engine.h"
#include "haul-aria2-secret.h"
#include "haul-engine-group.h"

/* The positions of the engine row's list, and the setting's nicks. */
static const char * const engine_nicks[] = { "builtin", "aria2" };

struct _HaulEngineGroup
{
  AdwPreferencesGroup  parent_instance;

  GSettings           *settings;     /* (owned) */
  HaulQueue           *queue;        /* (owned) (nullable) */
  HaulAria2Engine     *engine;       /* (unowned) (nullable) the queue's, if aria2 */
  HaulAria2Client     *probe;        /* (owned) (nullable) our own, otherwise */
  GCancellable        *cancellable;  /* (owned) keyring calls */
  char                *secret;       /* (owned) (nullable) as last applied or found */

  AdwComboRow         *engine_row;
  AdwActionRow        *restart_row;
  AdwEntryRow         *address_row;
  AdwEntryRow         *secret_row;
  AdwEntryRow         *remote_folder_row;
  AdwEntryRow         *local_folder_row;
  AdwActionRow        *status_row;
  GtkImage            *status_icon;
  GtkWidget           *reconnect_button;
};

G_DEFINE_FINAL_TYPE (HaulEngineGroup, haul_engine_group, ADW_TYPE_PREFERENCES_GROUP)

static void update_status (HaulEngineGroup *self);

static char *
dup_address (HaulEngineGroup *self)
{
  g_autofree char *address = g_settings_get_string (self->settings, "aria2-uri");

  return g_strstrip (g_steal_pointer (&address));
}

static gboolean
aria2_chosen (HaulEngineGroup *self)
{
  return adw_combo_row_get_selected (self->engine_row) == 1;
}

static void
toast (HaulEngineGroup *self,
       const char      *title)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);

  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (title));
}

/* The connection --------------------------------------------------------- */

static HaulAria2Connection
connection_now (HaulEngineGroup *self,
                const char     **message,
                const char     **version)
{
  *message = NULL;
  *version = NULL;
  if (self->engine != NULL)
    {
      *message = haul_aria2_engine_get_error_message (self->engine);
      *version = haul_aria2_engine_get_version (self->engine);
      return haul_aria2_engine_get_connection (self->engine);
    }
  if (self->probe != NULL)
    {
      const GError *error = haul_aria2_client_get_error (self->probe);

      *message = error != NULL ? error->message : NULL;
      *version = haul_aria2_client_get_version (self->probe);
      return haul_aria2_client_get_connection (self->probe);
    }
  return HAUL_ARIA2_DISCONNECTED;
}

static void
update_status (HaulEngineGroup *self)
{
  g_autofree char *address = dup_address (self);
  g_autofree char *text = NULL;
  const char *message, *version;
  HaulAria2Connection connection = connection_now (self, &message, &version);
  HaulAria2Client *client = self->engine != NULL ? haul_aria2_engine_get_client (self->engine)
                                                 : self->probe;
  const char *name = client != NULL ? haul_aria2_client_get_display_name (client) : address;

  switch (connection)
    {
    case HAUL_ARIA2_CONNECTED:
      if (version != NULL)
        /* Translators: the aria2 version, then "host:port" */
        text = g_strdup_printf (_("Connected to aria2 %s at %s"), version, name);
      else
        text = g_strdup_printf (_("Connected to %s"), name);
      break;
    case HAUL_ARIA2_CONNECTING:
      text = g_strdup_printf (_("Connecting to %s…"), name);
      break;
    case HAUL_ARIA2_FAILED:
      text = g_strdup (message != NULL ? message : _("The daemon cannot be reached"));
      break;
    case HAUL_ARIA2_DISCONNECTED:
    default:
      text = g_strdup (address[0] == '\0' ? _("Enter the address of the aria2 daemon")
                                          : _("Not connected"));
      break;
    }
  adw_action_row_set_subtitle (self->status_row, text);
  gtk_image_set_from_icon_name (self->status_icon,
                                connection == HAUL_ARIA2_FAILED ? "dialog-warning-symbolic"
                                                                : "network-server-symbolic");
  if (connection == HAUL_ARIA2_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "warning");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "engine.reconnect",
                                 connection == HAUL_ARIA2_FAILED);
  gtk_widget_set_visible (self->reconnect_button, connection == HAUL_ARIA2_FAILED);
}

static void
notify_cb (GObject         *object,
           GParamSpec      *pspec,
           HaulEngineGroup *self)
{
  update_status (self);
}

/* Our own client while the running engine is not aria2 (or none). */
static void
update_probe (HaulEngineGroup *self)
{
  g_autofree char *address = dup_address (self);

  if (self->engine != NULL)
    return;
  if (self->probe != NULL
      && (!aria2_chosen (self)
          || g_strcmp0 (haul_aria2_client_get_address (self->probe), address) != 0))
    {
      g_signal_handlers_disconnect_by_data (self->probe, self);
      haul_aria2_client_stop (self->probe);
      g_clear_object (&self->probe);
    }
  if (self->probe == NULL && aria2_chosen (self) && address[0] != '\0')
    {
      g_autoptr(GError) error = NULL;

      self->probe = haul_aria2_client_new (address, &error);
      if (self->probe == NULL)
        {
          adw_action_row_set_subtitle (self->status_row, error->message);
          return;
        }
      if (self->secret != NULL && g_getenv ("HAUL_ARIA2_SECRET") == NULL)
        haul_aria2_client_set_secret (self->probe, self->secret);
      g_signal_connect_object (self->probe, "notify", G_CALLBACK (notify_cb), self, 0);
      haul_aria2_client_start (self->probe);
    }
  update_status (self);
}

static void
update_visibility (HaulEngineGroup *self)
{
  gboolean aria2 = aria2_chosen (self);
  gboolean running_aria2 = self->engine != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->address_row), aria2);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_row), aria2);
  gtk_widget_set_visible (GTK_WIDGET (self->remote_folder_row), aria2);
  gtk_widget_set_visible (GTK_WIDGET (self->local_folder_row), aria2);
  gtk_widget_set_visible (GTK_WIDGET (self->status_row), aria2);
  /* A queue is made once, at start (see haul-application.c). */
  gtk_widget_set_visible (GTK_WIDGET (self->restart_row),
                          self->queue != NULL && aria2 != running_aria2);
  update_probe (self);
}

static void
reconnect_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HaulEngineGroup *self = HAUL_ENGINE_GROUP (widget);

  if (self->engine != NULL)
    haul_aria2_engine_reconnect (self->engine);
  else if (self->probe != NULL)
    haul_aria2_client_reconnect (self->probe);
}

/* The secret ------------------------------------------------------------- */

static void
secret_found_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HaulEngineGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = haul_aria2_secret_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_debug ("No aria2 secret from the keyring: %s", error->message);
  g_free (self->secret);
  self->secret = g_strdup (secret);
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), secret != NULL ? secret : "");
}

/* The secret stored for the address, shown (hidden) in its row. */
static void
look_up_secret (HaulEngineGroup *self)
{
  g_autofree char *address = dup_address (self);
  gboolean from_environment = g_getenv ("HAUL_ARIA2_SECRET") != NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->secret_row), !from_environment);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->secret_row),
                               from_environment
                               ? _("Set by the HAUL_ARIA2_SECRET environment variable") : NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
  if (address[0] == '\0')
    return;
  haul_aria2_secret_lookup_async (address, self->cancellable, secret_found_cb,
                                  g_object_ref (self));
}

/* The daemon is asked again with the new secret: the running engine or
 * our own client. */
static void
use_secret (HaulEngineGroup *self)
{
  if (self->engine != NULL)
    haul_aria2_engine_set_secret (self->engine, self->secret);
  else if (self->probe != NULL)
    haul_aria2_client_set_secret (self->probe, self->secret);
}

static void
secret_kept (HaulEngineGroup *self,
             gboolean         ok,
             const GError    *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!ok)
    {
      g_autofree char *message = g_strdup_printf (_("The secret could not be kept in the "
                                                    "keyring: %s"), error->message);

      toast (self, message);
    }
  /* Used for now even when the keyring refused it. */
  use_secret (self);
}

static void
secret_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HaulEngineGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = haul_aria2_secret_store_finish (result, &error);

  secret_kept (self, ok, error);
}

static void
secret_cleared_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HaulEngineGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = haul_aria2_secret_clear_finish (result, &error);

  secret_kept (self, ok, error);
}

static void
secret_apply_cb (HaulEngineGroup *self)
{
  g_autofree char *address = dup_address (self);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));

  if (address[0] == '\0')
    {
      toast (self, _("Enter the address of the daemon first"));
      return;
    }
  g_free (self->secret);
  self->secret = text[0] != '\0' ? g_strdup (text) : NULL;
  if (self->secret != NULL)
    haul_aria2_secret_store_async (address, self->secret, self->cancellable, secret_stored_cb,
                                   g_object_ref (self));
  else
    haul_aria2_secret_clear_async (address, self->cancellable, secret_cleared_cb,
                                   g_object_ref (self));
}

/* Settings --------------------------------------------------------------- */

static void
address_apply_cb (HaulEngineGroup *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (
                                        GTK_EDITABLE (self->address_row))));

  g_settings_set_string (self->settings, "aria2-uri", text);
}

static void
remote_folder_apply_cb (HaulEngineGroup *self)
{
  g_settings_set_string (self->settings, "aria2-remote-folder",
                         gtk_editable_get_text (GTK_EDITABLE (self->remote_folder_row)));
}

static void
local_folder_apply_cb (HaulEngineGroup *self)
{
  g_settings_set_string (self->settings, "aria2-local-folder",
                         gtk_editable_get_text (GTK_EDITABLE (self->local_folder_row)));
}

static void
set_row_text (AdwEntryRow *row,
              GSettings   *settings,
              const char  *key)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), value) != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), value);
}

static void
settings_changed_cb (HaulEngineGroup *self,
                     const char      *key,
                     GSettings       *settings)
{
  if (g_strcmp0 (key, "engine") == 0)
    {
      guint position = g_settings_get_enum (settings, "engine") == 1 ? 1 : 0;

      if (adw_combo_row_get_selected (self->engine_row) != position)
        adw_combo_row_set_selected (self->engine_row, position);
      update_visibility (self);
    }
  else if (g_strcmp0 (key, "aria2-uri") == 0)
    {
      set_row_text (self->address_row, settings, key);
      look_up_secret (self);
      update_probe (self);
    }
  else if (g_strcmp0 (key, "aria2-remote-folder") == 0)
    set_row_text (self->remote_folder_row, settings, key);
  else if (g_strcmp0 (key, "aria2-local-folder") == 0)
    set_row_text (self->local_folder_row, settings, key);
}

static void
engine_selected_cb (HaulEngineGroup *self)
{
  guint position = adw_combo_row_get_selected (self->engine_row);

  if (position < G_N_ELEMENTS (engine_nicks))
    g_settings_set_string (self->settings, "engine", engine_nicks[position]);
  update_visibility (self);
}

void
haul_engine_group_set_settings (HaulEngineGroup *self,
                                GSettings       *settings)
{
  static const char * const keys[] = {
    "engine", "aria2-uri", "aria2-remote-folder", "aria2-local-folder",
  };

  g_return_if_fail (HAUL_IS_ENGINE_GROUP (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    settings_changed_cb (self, keys[i], settings);
  g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine_row, "notify::selected",
                           G_CALLBACK (engine_selected_cb), self, G_CONNECT_SWAPPED);
}

void
haul_engine_group_set_queue (HaulEngineGroup *self,
                             HaulQueue       *queue)
{
  HaulEngine *engine;

  g_return_if_fail (HAUL_IS_ENGINE_GROUP (self));
  g_return_if_fail (queue == NULL || HAUL_IS_QUEUE (queue));
  g_return_if_fail (self->settings != NULL);

  g_set_object (&self->queue, queue);
  engine = queue != NULL ? haul_queue_get_engine (queue) : NULL;
  self->engine = engine != NULL && HAUL_IS_ARIA2_ENGINE (engine) ? HAUL_ARIA2_ENGINE (engine)
                                                                  : NULL;
  if (self->engine != NULL)
    g_signal_connect_object (self->engine, "notify", G_CALLBACK (notify_cb), self, 0);
  update_visibility (self);
}

/* GObject ----------------------------------------------------------------- */

static void
haul_engine_group_dispose (GObject *object)
{
  HaulEngineGroup *self = HAUL_ENGINE_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  if (self->probe != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->probe, self);
      haul_aria2_client_stop (self->probe);
      g_clear_object (&self->probe);
    }
  self->engine = NULL;
  g_clear_object (&self->queue);
  gtk_widget_dispose_template (GTK_WIDGET (self), HAUL_TYPE_ENGINE_GROUP);

  G_OBJECT_CLASS (haul_engine_group_parent_class)->dispose (object);
}

static void
haul_engine_group_finalize (GObject *object)
{
  HaulEngineGroup *self = HAUL_ENGINE_GROUP (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_free (self->secret);

  G_OBJECT_CLASS (haul_engine_group_parent_class)->finalize (object);
}

static void
haul_engine_group_class_init (HaulEngineGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = haul_engine_group_dispose;
  object_class->finalize = haul_engine_group_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/haul-engine-group.ui");
  gtk_widget_class_bind_template_child (widget_class, HaulEngineGroup, engine_row);
  gtk_widget_class_bind_template_child (widget_class, HaulEngineGroup, restart_row);
  gtk_widget_class_bind_template_child (widget_class, HaulEngineGroup, address_row);
  gtk_widget_class_bind_template_child (widget_class, HaulEngineGroup, secret_row);
  gtk_widget_class_bind_template_child (widget_class, HaulEngineGroup, remote_folder_row);
  gtk_widget_class_bind_template_child (widget_class, HaulEngineGroup, local_folder_row);
  gtk_widget_class_bind_template_child (widget_class, HaulEngineGroup, status_row);
  gtk_widget_class_bind_template_child (widget_class, HaulEngineGroup, status_icon);
  gtk_widget_class_bind_template_child (widget_class, HaulEngineGroup, reconnect_button);
  gtk_widget_class_bind_template_callback (widget_class, address_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, secret_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, remote_folder_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, local_folder_apply_cb);

  gtk_widget_class_install_action (widget_class, "engine.reconnect", NULL, reconnect_action);
}

static void
haul_engine_group_init (HaulEngineGroup *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
