/* haul-browser-host.c: the native messaging host between the browser and Haul
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The browser starts this program when the extension sends a message and
 * talks to it over stdin/stdout (haul-browser-message.c). For each request
 * it checks every field (haul-browser-request.c) and hands the request to
 * Haul by activating the app action "add-request" over the session bus,
 * which starts Haul through D-Bus activation if it is not running. It
 * downloads nothing itself and writes no file. Each message gets exactly
 * one answer: {"ok": true}, or {"ok": false, "error": "…"} in words the
 * person who clicked can act on.
 *
 * A framing error (a length over 1 MiB, a message cut short) is answered,
 * then the host exits: the stream is out of step, and a browser reconnects
 * anyway. Bad JSON or a refused field is answered and the host reads on.
 * Cookies never reach a log: only error messages are printed, on stderr,
 * and none of them quotes a cookie.
 */

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>

#include "haul-browser-message.h"
#include "haul-browser-request.h"
#include "haul-error.h"

#define ADD_REQUEST_ACTION "add-request"
/* Starting Haul through D-Bus activation takes a second or two; the bus
 * itself gives up on a service after 25 s. */
#define CALL_TIMEOUT_MS 30000

/* "io.github.haul.Haul" → "/io/github/haul/Haul", as GApplication does. */
static char *
object_path_for (const char *application_id)
{
  g_autofree char *path = g_strconcat ("/", application_id, NULL);

  g_strdelimit (path, ".", '/');
  g_strdelimit (path, "-", '_');
  return g_steal_pointer (&path);
}

/* @error, from the bus, in words for the person who clicked. */
static void
explain_bus_error (GError  *error,
                   GError **out)
{
  g_autofree char *remote = g_dbus_error_get_remote_error (error);

  g_dbus_error_strip_remote_error (error);
  g_debug ("D-Bus call failed: %s (%s)", error->message, remote != NULL ? remote : "local");

  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER))
    g_set_error_literal (out, HAUL_ERROR, HAUL_ERROR_NETWORK,
                         _("Haul is not running and the desktop could not start it. "
                           "Start Haul, then try again."));
  else if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_EXEC_FAILED) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_CHILD_EXITED) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_CHILD_SIGNALED) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_FAILED) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND))
    g_set_error (out, HAUL_ERROR, HAUL_ERROR_NETWORK,
                 _("Haul could not be started: %s"), error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMEOUT) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMED_OUT) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY))
    g_set_error_literal (out, HAUL_ERROR, HAUL_ERROR_NETWORK,
                         _("Haul did not answer in time. Try again in a moment."));
  else if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD))
    g_set_error_literal (out, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                         _("This version of Haul cannot take downloads from the browser. "
                           "Update Haul."));
  else
    g_set_error (out, HAUL_ERROR, HAUL_ERROR_NETWORK, _("Could not reach Haul: %s"),
                 error->message);
}

/* Hands @request to Haul; starts it if needed. */
static gboolean
deliver (GDBusConnection          **bus,
         const HaulBrowserRequest  *request,
         GError                   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *path = object_path_for (APPLICATION_ID);
  GVariant *parameter;

  if (*bus == NULL)
    {
      *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &local_error);
      if (*bus == NULL)
        {
          g_debug ("No session bus: %s", local_error->message);
          g_set_error_literal (error, HAUL_ERROR, HAUL_ERROR_NETWORK,
                               _("Could not reach Haul: the browser runs outside a desktop "
                                 "session (no session bus)."));
          return FALSE;
        }
    }

  parameter = g_variant_new_variant (haul_browser_request_to_variant (request));
  reply = g_dbus_connection_call_sync (*bus, APPLICATION_ID, path,
                                       "org.freedesktop.Application", "ActivateAction",
                                       g_variant_new ("(s@av@a{sv})", ADD_REQUEST_ACTION,
                                                      g_variant_new_array (G_VARIANT_TYPE_VARIANT,
                                                                           &parameter, 1),
                                                      g_variant_new_array (G_VARIANT_TYPE ("{sv}"),
                                                                           NULL, 0)),
                                       G_VARIANT_TYPE_UNIT, G_DBUS_CALL_FLAGS_NONE,
                                       CALL_TIMEOUT_MS, NULL, &local_error);
  if (reply == NULL)
    {
      explain_bus_error (local_error, error);
      return FALSE;
    }

  return TRUE;
}

/* The answer to one well-framed message. */
static char *
handle (GDBusConnection **bus,
        GBytes           *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(HaulBrowserRequest) request = NULL;
  gboolean ping = FALSE;

  dict = haul_browser_message_parse (message, &error);
  if (dict == NULL)
    return haul_browser_message_answer (error);
  g_variant_ref_sink (dict);

  /* The extension's "is the host installed?" */
  if (g_variant_lookup (dict, "ping", "b", &ping) && ping)
    return haul_browser_message_pong ();

  request = haul_browser_request_new_from_variant (dict, &error);
  if (request == NULL || !deliver (bus, request, &error))
    return haul_browser_message_answer (error);

  return haul_browser_message_answer (NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GOutputStream) output = NULL;
  g_autoptr(GDBusConnection) bus = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* GLib prints debug and info messages on stdout, where they would break
   * the channel to the browser. */
  g_log_writer_default_set_use_stderr (TRUE);
  /* A browser that goes away makes a write fail, not kill us. */
  signal (SIGPIPE, SIG_IGN);

  /* argv holds the caller: Chromium's extension origin, or Firefox's
   * manifest path and add-on id. The manifests already limit who may
   * start us, so there is nothing to check here. */
  input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  output = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) message = haul_browser_message_read (input, NULL, &error);
      g_autofree char *answer = NULL;

      if (message == NULL && error == NULL)
        return EXIT_SUCCESS;

      answer = message != NULL ? handle (&bus, message) : haul_browser_message_answer (error);
      if (!haul_browser_message_write (output, answer, NULL, NULL))
        return EXIT_FAILURE;

      if (message == NULL)
        {
          g_printerr ("haul-browser-host: %s\n", error->message);
          return EXIT_FAILURE;
        }
    }
}
