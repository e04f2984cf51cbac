/* aria2-fixture.c: a real aria2c and a client for it, for the aria2 tests
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "aria2-fixture.h"

gboolean
have_aria2c (void)
{
  g_autofree char *path = g_find_program_in_path ("aria2c");

  return path != NULL;
}


/* Waiting ---------------------------------------------------------------- */

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until @predicate holds or @timeout_ms passed. */
gboolean
wait_for (Fixture       *f,
          Predicate      predicate,
          gconstpointer  data,
          guint          timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint wake = g_timeout_add (20, wake_cb, NULL);
  gboolean ok;

  while (!(ok = predicate (f, data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return ok;
}

/* Runs the main context for @ms, whatever happens. */
void
spin_for (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;
  guint wake = g_timeout_add (20, wake_cb, NULL);

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
result_arrived (Fixture       *f,
                gconstpointer  data)
{
  GAsyncResult * const *result = data;

  return *result != NULL;
}

/* Runs the main context until the async call storing into @result is done. */
GAsyncResult *
wait_result (Fixture       *f,
             GAsyncResult **result)
{
  g_assert_true (wait_for (f, result_arrived, result, 20000));
  return *result;
}

gboolean
is_connection (Fixture       *f,
               gconstpointer  data)
{
  return (int) haul_aria2_client_get_connection (f->client) == GPOINTER_TO_INT (data);
}

gboolean
is_listening (Fixture       *f,
              gconstpointer  data)
{
  return haul_aria2_client_get_listening (f->client);
}

/* The daemon ------------------------------------------------------------- */

/* A port for aria2c to listen on, free now. Below the kernel's range for
 * port 0 (32768-60999 by default): a port from that range, let go for
 * aria2c to take, was once taken meanwhile by a test server binding port
 * 0 (this test's own or a parallel one's), and the client then spoke to
 * that server (404 Not Found) for its 10 s and failed. Nothing binds the
 * ports below that range but an explicit choice. */
#define DAEMON_PORT_FIRST 20000
#define DAEMON_PORT_LAST  32000

static guint
free_port (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL);
      guint port = g_random_int_range (DAEMON_PORT_FIRST, DAEMON_PORT_LAST + 1);
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

      g_assert_nonnull (socket);
      if (g_socket_bind (socket, address, FALSE, NULL))
        return port;
    }
  g_assert_not_reached ();
  return 0;
}

static gboolean
port_open (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_timeout (client, 1);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return connection != NULL;
}

/* Starts aria2c on f->port with f->secret; resumes f->session if there. */
void
daemon_start (Fixture    *f,
              const char *secret)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  g_ptr_array_add (argv, g_strdup ("aria2c"));
  g_ptr_array_add (argv, g_strdup ("--enable-rpc"));
  g_ptr_array_add (argv, g_strdup_printf ("--rpc-listen-port=%u", f->port));
  g_ptr_array_add (argv, g_strdup_printf ("--rpc-secret=%s", secret));
  g_ptr_array_add (argv, g_strdup_printf ("--dir=%s", f->download_dir));
  g_ptr_array_add (argv, g_strdup ("--no-conf"));
  g_ptr_array_add (argv, g_strdup ("--quiet"));
  g_ptr_array_add (argv, g_strdup ("--disable-ipv6"));
  g_ptr_array_add (argv, g_strdup ("--file-allocation=none"));
  /* Written every second, so even a SIGKILL leaves both behind. */
  g_ptr_array_add (argv, g_strdup_printf ("--save-session=%s", f->session));
  g_ptr_array_add (argv, g_strdup ("--save-session-interval=1"));
  g_ptr_array_add (argv, g_strdup ("--auto-save-interval=1"));
  if (g_file_test (f->session, G_FILE_TEST_EXISTS))
    g_ptr_array_add (argv, g_strdup_printf ("--input-file=%s", f->session));
  /* Never outlives this test, however it ends. */
  g_ptr_array_add (argv, g_strdup_printf ("--stop-with-process=%d", (int) getpid ()));
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_async (f->root, (char **) argv->pdata, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD
                                | G_SPAWN_STDOUT_TO_DEV_NULL,
                                NULL, NULL, &f->pid, &error));
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!port_open (f->port))
    {
      int status;

      g_assert_cmpint (waitpid (f->pid, &status, WNOHANG), ==, 0);  /* still alive */
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
}

void
daemon_stop (Fixture *f,
             int      signal_number)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  int status;

  if (f->pid == 0)
    return;
  kill (f->pid, signal_number);
  while (waitpid (f->pid, &status, WNOHANG) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        {
          kill (f->pid, SIGKILL);
          waitpid (f->pid, &status, 0);
          break;
        }
      g_usleep (10 * 1000);
    }
  g_spawn_close_pid (f->pid);
  f->pid = 0;
}

/* Fixture ---------------------------------------------------------------- */

static void
connection_cb (HaulAria2Client *client,
               GParamSpec      *pspec,
               Fixture         *f)
{
  HaulAria2Connection connection = haul_aria2_client_get_connection (client);

  g_array_append_val (f->connections, connection);
}

static void
error_cb (HaulAria2Client *client,
          GParamSpec      *pspec,
          Fixture         *f)
{
  f->n_error_notifies++;
}

static void
event_cb (HaulAria2Client *client,
          HaulAria2Event   event,
          const char      *gid,
          Fixture         *f)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (HAUL_TYPE_ARIA2_EVENT);

  g_ptr_array_add (f->events, g_strdup_printf ("%s %s",
                                               g_enum_get_value (klass, event)->value_nick, gid));
}

static void
updated_cb (HaulAria2Poller *poller,
            GPtrArray       *changed,
            GPtrArray       *removed,
            Fixture         *f)
{
  f->n_updates++;
  for (guint i = 0; i < removed->len; i++)
    g_ptr_array_add (f->removed, haul_aria2_status_ref (g_ptr_array_index (removed, i)));
}

static void
finished_cb (HaulAria2Poller *poller,
             HaulAria2Status *status,
             Fixture         *f)
{
  g_ptr_array_add (f->finished, haul_aria2_status_ref (status));
}

/* A client (and a poller) for the daemon at f->port, not started. */
void
make_client (Fixture    *f,
             const char *address,
             const char *secret)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fallback = g_strdup_printf ("http://127.0.0.1:%u/jsonrpc", f->port);

  f->client = haul_aria2_client_new (address != NULL ? address : fallback, &error);
  g_assert_no_error (error);
  if (secret != NULL)
    haul_aria2_client_set_secret (f->client, secret);
  g_signal_connect (f->client, "notify::connection", G_CALLBACK (connection_cb), f);
  g_signal_connect (f->client, "notify::error", G_CALLBACK (error_cb), f);
  g_signal_connect (f->client, "event", G_CALLBACK (event_cb), f);

  f->poller = haul_aria2_poller_new (f->client);
  g_signal_connect (f->poller, "updated", G_CALLBACK (updated_cb), f);
  g_signal_connect (f->poller, "download-finished", G_CALLBACK (finished_cb), f);
}

/* The usual start: daemon, client, connected and listening. */
void
start_connected (Fixture *f)
{
  daemon_start (f, SECRET);
  make_client (f, NULL, SECRET);
  haul_aria2_client_start (f->client);
  g_assert_true (wait_for (f, is_connection, GINT_TO_POINTER (HAUL_ARIA2_CONNECTED), 10000));
  g_assert_true (wait_for (f, is_listening, NULL, 10000));
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->root = haul_test_make_tmpdir ();
  f->download_dir = g_build_filename (f->root, "downloads", NULL);
  f->session = g_build_filename (f->root, "aria2.session", NULL);
  g_assert_cmpint (g_mkdir (f->download_dir, 0700), ==, 0);
  f->port = free_port ();
  f->server = haul_test_server_new ();
  f->connections = g_array_new (FALSE, FALSE, sizeof (HaulAria2Connection));
  f->events = g_ptr_array_new_with_free_func (g_free);
  f->finished = haul_aria2_status_array_new ();
  f->removed = haul_aria2_status_array_new ();
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->client != NULL)
    haul_aria2_client_stop (f->client);
  /* Let cancelled calls come back, then nothing may keep them alive. */
  spin_for (50);
  if (f->poller != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->poller));
  if (f->client != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->client));
  daemon_stop (f, SIGTERM);
  haul_test_server_free (f->server);
  haul_test_remove_tree (f->root);
  g_free (f->root);
  g_free (f->download_dir);
  g_free (f->session);
  g_array_unref (f->connections);
  g_ptr_array_unref (f->events);
  g_ptr_array_unref (f->finished);
  g_ptr_array_unref (f->removed);
}

/* Small helpers ---------------------------------------------------------- */

char *
add (Fixture                   *f,
     const char                *path,
     const HaulAria2AddOptions *options)
{
  g_autofree char *uri = haul_test_server_uri (f->server, path);
  const char *uris[] = { uri, NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *gid;

  haul_aria2_client_add_uri_async (f->client, uris, options, NULL, store_result_cb, &result);
  gid = haul_aria2_client_add_uri_finish (f->client, wait_result (f, &result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (gid);
  g_assert_cmpuint (strlen (gid), ==, 16);
  haul_aria2_poller_poll_soon (f->poller);
  return gid;
}

typedef struct
{
  const char     *gid;
  HaulAria2State  state;
  gint64          min_completed;
} Want;

static gboolean
poller_has (Fixture       *f,
            gconstpointer  data)
{
  const Want *want = data;
  HaulAria2Status *status = haul_aria2_poller_lookup (f->poller, want->gid);

  return status != NULL && status->state == want->state && status->completed >= want->min_completed;
}

void
wait_state (Fixture        *f,
            const char     *gid,
            HaulAria2State  state,
            gint64          min_completed,
            guint           timeout_ms)
{
  Want want = { gid, state, min_completed };

  if (!wait_for (f, poller_has, &want, timeout_ms))
    {
      HaulAria2Status *status = haul_aria2_poller_lookup (f->poller, gid);

      g_error ("%s: wanted %s with %" G_GINT64_FORMAT " bytes, have %s with %" G_GINT64_FORMAT,
               gid, haul_aria2_state_to_string (state), min_completed,
               status != NULL ? haul_aria2_state_to_string (status->state) : "nothing",
               status != NULL ? status->completed : -1);
    }
}

gboolean
has_event (Fixture       *f,
           gconstpointer  data)
{
  for (guint i = 0; i < f->events->len; i++)
    if (strcmp (g_ptr_array_index (f->events, i), data) == 0)
      return TRUE;
  return FALSE;
}

HaulAria2Status *
find_status (GPtrArray  *list,
             const char *gid)
{
  for (guint i = 0; i < list->len; i++)
    {
      HaulAria2Status *status = g_ptr_array_index (list, i);

      if (strcmp (status->gid, gid) == 0)
        return status;
    }
  return NULL;
}

gboolean
has_finished (Fixture       *f,
              gconstpointer  data)
{
  return find_status (f->finished, data) != NULL;
}

gboolean
was_removed (Fixture       *f,
             gconstpointer  data)
{
  return find_status (f->removed, data) != NULL;
}

gboolean
gid_action (Fixture    *f,
            const char *gid,
            void      (*start) (HaulAria2Client *, const char *, GCancellable *,
                                GAsyncReadyCallback, gpointer),
            gboolean  (*finish) (HaulAria2Client *, GAsyncResult *, GError **),
            GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  start (f->client, gid, NULL, store_result_cb, &result);
  ok = finish (f->client, wait_result (f, &result), error);
  haul_aria2_poller_poll_soon (f->poller);
  return ok;
}

gboolean
is_failed_with (Fixture       *f,
                gconstpointer  data)
{
  const GError *error = haul_aria2_client_get_error (f->client);

  return haul_aria2_client_get_connection (f->client) == HAUL_ARIA2_FAILED
         && error != NULL && error->code == GPOINTER_TO_INT (data);
}

gboolean
all_sizes_known (Fixture       *f,
                 gconstpointer  data)
{
  return haul_aria2_poller_get_loaded (f->poller);
}
