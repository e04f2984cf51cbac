/* haul-fake-desktop.c: the desktop's notification server and file manager, faked
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-fake-desktop.h"

struct _HaulFakeDesktop
{
  GDBusConnection *connection;
  GPtrArray       *notifications;  /* (element-type HaulFakeNotification) */
  GPtrArray       *shown_items;    /* (element-type utf8) */
  guint32          next_id;
  guint            n_names;
  guint            owner_ids[3];
};

static const char desktop_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "  </interface>"
  "  <interface name='org.freedesktop.FileManager1'>"
  "    <method name='ShowItems'>"
  "      <arg type='as' direction='in'/><arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
notification_free (gpointer data)
{
  HaulFakeNotification *n = data;

  g_free (n->summary);
  g_free (n->body);
  g_strfreev (n->actions);
  g_free (n);
}

/* org.gtk.Notifications: {title, body, default-action(+target), buttons} */
static HaulFakeNotification *
from_gtk (GVariant *dict)
{
  HaulFakeNotification *n = g_new0 (HaulFakeNotification, 1);
  g_autoptr(GStrvBuilder) actions = g_strv_builder_new ();
  g_autoptr(GVariant) buttons = NULL;
  const char *text;

  n->gtk = TRUE;
  if (g_variant_lookup (dict, "title", "&s", &text))
    n->summary = g_strdup (text);
  if (g_variant_lookup (dict, "body", "&s", &text))
    n->body = g_strdup (text);
  if (g_variant_lookup (dict, "default-action", "&s", &text))
    {
      g_strv_builder_add (actions, "default");
      g_strv_builder_add (actions, text);
    }
  buttons = g_variant_lookup_value (dict, "buttons", G_VARIANT_TYPE ("aa{sv}"));
  for (gsize i = 0; buttons != NULL && i < g_variant_n_children (buttons); i++)
    {
      g_autoptr(GVariant) button = g_variant_get_child_value (buttons, i);
      g_autoptr(GVariant) target = g_variant_lookup_value (button, "target", NULL);
      const char *label = "";
      const char *action = "";
      g_autofree char *key = NULL;

      g_variant_lookup (button, "label", "&s", &label);
      g_variant_lookup (button, "action", "&s", &action);
      key = g_action_print_detailed_name (action, target);
      g_strv_builder_add (actions, key);
      g_strv_builder_add (actions, label);
    }
  n->actions = g_strv_builder_end (actions);
  return n;
}

static void
method_call (GDBusConnection       *connection,
             const char            *sender,
             const char            *object_path,
             const char            *interface_name,
             const char            *method_name,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  HaulFakeDesktop *desktop = user_data;

  if (g_str_equal (method_name, "Notify"))
    {
      HaulFakeNotification *n = g_new0 (HaulFakeNotification, 1);
      const char *summary = NULL;
      const char *body = NULL;

      g_variant_get (parameters, "(&su&s&s&s^as@a{sv}i)", NULL, &n->replaces, NULL, &summary,
                     &body, &n->actions, NULL, NULL);
      n->summary = g_strdup (summary);
      n->body = g_strdup (body);
      n->id = n->replaces != 0 ? n->replaces : desktop->next_id++;
      g_ptr_array_add (desktop->notifications, n);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", n->id));
    }
  else if (g_str_equal (method_name, "AddNotification"))
    {
      g_autoptr(GVariant) dict = g_variant_get_child_value (parameters, 2);
      HaulFakeNotification *n = from_gtk (dict);

      n->id = desktop->next_id++;
      g_ptr_array_add (desktop->notifications, n);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "ShowItems"))
    {
      g_auto(GStrv) uris = NULL;

      g_variant_get (parameters, "(^as&s)", &uris, NULL);
      for (guint i = 0; uris[i] != NULL; i++)
        g_ptr_array_add (desktop->shown_items, g_strdup (uris[i]));
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", "body-markup", NULL };
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "fake", "haul", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable vtable = { method_call, NULL, NULL };

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  ((HaulFakeDesktop *) user_data)->n_names++;
}

HaulFakeDesktop *
haul_fake_desktop_new (gboolean gnome_shell)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autofree char *address = NULL;
  HaulFakeDesktop *desktop = g_new0 (HaulFakeDesktop, 1);
  const char *names[] = {
    "org.freedesktop.Notifications", "org.freedesktop.FileManager1", "org.gtk.Notifications",
  };
  guint n_wanted = gnome_shell ? 3 : 2;

  desktop->notifications = g_ptr_array_new_with_free_func (notification_free);
  desktop->shown_items = g_ptr_array_new_with_free_func (g_free);
  desktop->next_id = 1;

  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  desktop->connection =
    g_dbus_connection_new_for_address_sync (address,
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                            | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);
  g_assert_no_error (error);

  info = g_dbus_node_info_new_for_xml (desktop_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (desktop->connection, "/org/freedesktop/Notifications",
                                     info->interfaces[0], &vtable, desktop, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (desktop->connection, "/org/freedesktop/FileManager1",
                                     info->interfaces[1], &vtable, desktop, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (desktop->connection, "/org/gtk/Notifications",
                                     info->interfaces[2], &vtable, desktop, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n_wanted; i++)
    desktop->owner_ids[i] = g_bus_own_name_on_connection (desktop->connection, names[i],
                                                          G_BUS_NAME_OWNER_FLAGS_NONE,
                                                          name_acquired_cb, NULL, desktop, NULL);

  for (gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
       desktop->n_names < n_wanted && g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (desktop->n_names, ==, n_wanted);

  return desktop;
}

void
haul_fake_desktop_free (HaulFakeDesktop *desktop)
{
  for (guint i = 0; i < G_N_ELEMENTS (desktop->owner_ids); i++)
    if (desktop->owner_ids[i] != 0)
      g_bus_unown_name (desktop->owner_ids[i]);
  g_dbus_connection_close_sync (desktop->connection, NULL, NULL);
  g_clear_object (&desktop->connection);
  g_ptr_array_unref (desktop->notifications);
  g_ptr_array_unref (desktop->shown_items);
  g_free (desktop);
}

GPtrArray *
haul_fake_desktop_notifications (HaulFakeDesktop *desktop)
{
  return desktop->notifications;
}

HaulFakeNotification *
haul_fake_desktop_last (HaulFakeDesktop *desktop)
{
  if (desktop->notifications->len == 0)
    return NULL;
  return g_ptr_array_index (desktop->notifications, desktop->notifications->len - 1);
}

GPtrArray *
haul_fake_desktop_shown_items (HaulFakeDesktop *desktop)
{
  return desktop->shown_items;
}

const char *
haul_fake_notification_label (HaulFakeNotification *n,
                              const char           *key)
{
  for (guint i = 0; n->actions[i] != NULL && n->actions[i + 1] != NULL; i += 2)
    if (g_str_equal (n->actions[i], key))
      return n->actions[i + 1];

  return NULL;
}

void
haul_fake_desktop_click (HaulFakeDesktop      *desktop,
                         HaulFakeNotification *n,
                         const char           *key)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (n->gtk);
  g_dbus_connection_emit_signal (desktop->connection, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", n->id, key), &error);
  g_assert_no_error (error);
}
