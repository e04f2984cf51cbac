/* haul-test-raw-server.c: a raw socket server on 127.0.0.1, for servers
 * that must misbehave
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GThreadedSocketService that reads a request head and hands the
 * connection to the test's handler, which writes whatever bytes it wants:
 * cut bodies, garbage chunk sizes, conflicting lengths. Declared in
 * haul-test-server.h with the rest of the test library.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "haul-test-server.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

#define MAX_REQUEST_HEAD (64 * 1024)

struct _HaulTestRawServer
{
  GThread            *thread;
  GMainContext       *context;   /* (owned) where the service accepts */
  GMainLoop          *loop;      /* (owned) */
  GSocketService     *service;   /* (owned) */
  guint               port;
  HaulTestRawHandler  handler;
  gpointer            user_data;

  GMutex              lock;
  GCond               cond;
  gboolean            started;
  guint               running;   /* handlers in progress */
};

static char *
read_request_head (GSocketConnection *connection)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GString *head = g_string_new (NULL);

  /* Byte by byte: nothing after the blank line may be consumed, the
   * handler might want to read a request body. */
  while (head->len < MAX_REQUEST_HEAD)
    {
      char c;

      if (g_input_stream_read (input, &c, 1, NULL, NULL) != 1)
        break;
      g_string_append_c (head, c);
      if (g_str_has_suffix (head->str, "\r\n\r\n") || g_str_has_suffix (head->str, "\n\n"))
        return g_string_free (head, FALSE);
    }

  g_string_free (head, TRUE);
  return NULL;
}

static gboolean
raw_run_cb (GThreadedSocketService *service,
            GSocketConnection      *connection,
            GObject                *source_object,
            HaulTestRawServer      *server)
{
  g_autofree char *head = NULL;

  g_mutex_lock (&server->lock);
  server->running++;
  g_mutex_unlock (&server->lock);

  head = read_request_head (connection);
  if (head != NULL)
    server->handler (connection, head, server->user_data);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  g_mutex_lock (&server->lock);
  server->running--;
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);

  return TRUE;
}

static gpointer
raw_server_thread (gpointer data)
{
  HaulTestRawServer *server = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;

  g_main_context_push_thread_default (server->context);

  server->service = g_threaded_socket_service_new (-1);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &effective, &error))
    g_error ("raw test server: %s", error->message);
  g_signal_connect (server->service, "run", G_CALLBACK (raw_run_cb), server);
  g_socket_service_start (server->service);

  g_mutex_lock (&server->lock);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  server->started = TRUE;
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);

  g_main_loop_run (server->loop);

  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  while (g_main_context_iteration (server->context, FALSE))
    ;
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

HaulTestRawServer *
haul_test_raw_server_new (HaulTestRawHandler handler,
                          gpointer           user_data)
{
  HaulTestRawServer *server = g_new0 (HaulTestRawServer, 1);

  g_return_val_if_fail (handler != NULL, NULL);

  server->handler = handler;
  server->user_data = user_data;
  g_mutex_init (&server->lock);
  g_cond_init (&server->cond);
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->thread = g_thread_new ("haul-test-raw-server", raw_server_thread, server);

  g_mutex_lock (&server->lock);
  while (!server->started)
    g_cond_wait (&server->cond, &server->lock);
  g_mutex_unlock (&server->lock);

  return server;
}

void
haul_test_raw_server_free (HaulTestRawServer *server)
{
  gint64 deadline;

  if (server == NULL)
    return;

  g_main_context_invoke (server->context, quit_cb, server->loop);
  g_thread_join (server->thread);

  /* Handlers use user_data: wait for them, but never forever. */
  deadline = g_get_monotonic_time () + 15 * G_TIME_SPAN_SECOND;
  g_mutex_lock (&server->lock);
  while (server->running > 0)
    if (!g_cond_wait_until (&server->cond, &server->lock, deadline))
      break;
  if (server->running > 0)
    {
      /* Leak rather than free under a running handler. */
      g_mutex_unlock (&server->lock);
      g_warning ("raw test server: %u handlers still running", server->running);
      return;
    }
  g_mutex_unlock (&server->lock);

  g_clear_object (&server->service);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->cond);
  g_free (server);
}

char *
haul_test_raw_server_uri (HaulTestRawServer *server,
                          const char        *path)
{
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);
  return g_strdup_printf ("http://127.0.0.1:%u%s", server->port, path);
}

gboolean
haul_test_raw_write (GSocketConnection *connection,
                     const void        *data,
                     gsize              length)
{
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  return g_output_stream_write_all (output, data, length, NULL, NULL, NULL);
}
