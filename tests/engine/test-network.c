/* test-network.c: the network going away and coming back, a metered
 * connection, Power Saver (rule 6 of haul-builtin-engine.c), with fake
 * monitors the test drives and real servers and files
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "haul-builtin-engine.h"
#include "haul-download-private.h"
#include "haul-queue-private.h"
#include "haul-test-server.h"

#define KiB 1024
#define MiB (1024 * 1024)

/* A GNetworkMonitor the test drives ------------------------------------------ */

#define FAKE_TYPE_NETWORK_MONITOR (fake_network_monitor_get_type ())
G_DECLARE_FINAL_TYPE (FakeNetworkMonitor, fake_network_monitor, FAKE, NETWORK_MONITOR, GObject)

struct _FakeNetworkMonitor
{
  GObject  parent_instance;
  gboolean available;
  gboolean metered;
};

enum {
  NM_PROP_0,
  NM_PROP_AVAILABLE,
  NM_PROP_METERED,
  NM_PROP_CONNECTIVITY,
};

static gboolean
fake_can_reach (GNetworkMonitor     *monitor,
                GSocketConnectable  *connectable,
                GCancellable        *cancellable,
                GError             **error)
{
  if (FAKE_NETWORK_MONITOR (monitor)->available)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "Network unreachable");
  return FALSE;
}

static void
fake_can_reach_async (GNetworkMonitor     *monitor,
                      GSocketConnectable  *connectable,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (monitor, cancellable, callback, user_data);
  GError *error = NULL;

  if (fake_can_reach (monitor, connectable, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
fake_can_reach_finish (GNetworkMonitor  *monitor,
                       GAsyncResult     *result,
                       GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fake_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = fake_can_reach;
  iface->can_reach_async = fake_can_reach_async;
  iface->can_reach_finish = fake_can_reach_finish;
}

static gboolean
fake_initable_init (GInitable     *initable,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return TRUE;
}

static void
fake_initable_iface_init (GInitableIface *iface)
{
  iface->init = fake_initable_init;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeNetworkMonitor, fake_network_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, fake_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      fake_network_monitor_iface_init))

static void
fake_network_monitor_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  FakeNetworkMonitor *self = FAKE_NETWORK_MONITOR (object);

  switch (prop_id)
    {
    case NM_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case NM_PROP_METERED:
      g_value_set_boolean (value, self->metered);
      break;
    case NM_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fake_network_monitor_class_init (FakeNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = fake_network_monitor_get_property;
  g_object_class_override_property (object_class, NM_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, NM_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, NM_PROP_CONNECTIVITY, "connectivity");
}

static void
fake_network_monitor_init (FakeNetworkMonitor *self)
{
  self->available = TRUE;
}

/* As GLib's monitors do: the property, then ::network-changed. */
static void
fake_network_set (FakeNetworkMonitor *self,
                  gboolean            available,
                  gboolean            metered)
{
  gboolean was_available = self->available;
  gboolean was_metered = self->metered;

  self->available = available;
  self->metered = metered;
  if (was_available != available)
    g_object_notify (G_OBJECT (self), "network-available");
  if (was_metered != metered)
    g_object_notify (G_OBJECT (self), "network-metered");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* A GPowerProfileMonitor the test drives ------------------------------------- */

#define FAKE_TYPE_POWER_MONITOR (fake_power_monitor_get_type ())
G_DECLARE_FINAL_TYPE (FakePowerMonitor, fake_power_monitor, FAKE, POWER_MONITOR, GObject)

struct _FakePowerMonitor
{
  GObject  parent_instance;
  gboolean saver;
};

static void
fake_power_monitor_iface_init (GPowerProfileMonitorInterface *iface)
{
}

G_DEFINE_FINAL_TYPE_WITH_CODE (FakePowerMonitor, fake_power_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, fake_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_POWER_PROFILE_MONITOR,
                                                      fake_power_monitor_iface_init))

static void
fake_power_monitor_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  g_value_set_boolean (value, FAKE_POWER_MONITOR (object)->saver);
}

static void
fake_power_monitor_class_init (FakePowerMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = fake_power_monitor_get_property;
  g_object_class_override_property (object_class, 1, "power-saver-enabled");
}

static void
fake_power_monitor_init (FakePowerMonitor *self)
{
}

/* Fixture ---------------------------------------------------------------------- */

typedef struct
{
  HaulTestServer     *server;
  char               *dir;
  FakeNetworkMonitor *network;
  FakePowerMonitor   *power;
  HaulQueue          *queue;
  guint               n_failed;
} Fixture;

static void
on_finished (HaulQueue    *queue,
             HaulDownload *download,
             Fixture      *f)
{
  if (haul_download_get_state (download) == HAUL_DOWNLOAD_FAILED)
    f->n_failed++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  HaulEngine *engine;

  f->server = haul_test_server_new ();
  f->dir = haul_test_make_tmpdir ();
  f->network = g_object_new (FAKE_TYPE_NETWORK_MONITOR, NULL);
  f->power = g_object_new (FAKE_TYPE_POWER_MONITOR, NULL);
  f->queue = haul_queue_new (NULL);
  engine = haul_queue_get_engine (f->queue);
  haul_builtin_engine_set_network_monitor (HAUL_BUILTIN_ENGINE (engine),
                                           G_NETWORK_MONITOR (f->network));
  haul_builtin_engine_set_power_profile_monitor (HAUL_BUILTIN_ENGINE (engine),
                                                 G_POWER_PROFILE_MONITOR (f->power));
  g_object_set (f->queue, "connections-per-download", 1, NULL);
  g_signal_connect (f->queue, "download-finished", G_CALLBACK (on_finished), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  haul_queue_shutdown (f->queue);
  haul_test_wait_last_ref (f->queue);
  g_assert_finalize_object (f->queue);
  g_assert_finalize_object (f->network);
  g_assert_finalize_object (f->power);
  haul_test_server_free (f->server);
  haul_test_remove_tree (f->dir);
  g_free (f->dir);
}

typedef struct
{
  HaulDownload *download;
  HaulWaiting   waiting;
} Wait;

static gboolean
is_waiting (gpointer data)
{
  Wait *wait = data;

  return haul_download_get_state (wait->download) == HAUL_DOWNLOAD_QUEUED
         && haul_download_get_waiting (wait->download) == wait->waiting;
}

static gboolean
wait_waiting (HaulDownload *download,
              HaulWaiting   waiting,
              guint         timeout_ms)
{
  Wait wait = { download, waiting };

  return haul_test_wait_for (is_waiting, &wait, timeout_ms);
}

static HaulDownload *
add (Fixture    *f,
     const char *path)
{
  return haul_test_queue_add (f->queue, f->server, path, f->dir);
}

static void
assert_file (Fixture    *f,
             const char *name,
             GBytes     *body)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (haul_test_file_equals (path, body));
}

/* The network goes ------------------------------------------------------------- */

/* Three throttled downloads; the network goes for three seconds in the
 * middle; all three finish byte-exact without a call from the test. */
static void
test_outage (Fixture       *f,
             gconstpointer  data)
{
  enum { N = 3 };
  GBytes *bodies[N];
  HaulDownload *downloads[N];
  guint requests[N];
  HaulTestFileOptions slow = { .etag = "\"o\"", .bytes_per_second = 512 * KiB };

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/out-%u.bin", i);

      bodies[i] = haul_test_make_bytes (MiB + 1000 * i, 10 + i);
      haul_test_server_add_file (f->server, path, bodies[i], &slow);
      downloads[i] = add (f, path);
    }
  for (guint i = 0; i < N; i++)
    g_assert_true (haul_test_wait_received (downloads[i], 200 * KiB, 20000));

  fake_network_set (f->network, FALSE, FALSE);
  for (guint i = 0; i < N; i++)
    {
      g_assert_true (wait_waiting (downloads[i], HAUL_WAITING_NETWORK, 1500));
      g_assert_cmpint (haul_download_get_received (downloads[i]), <,
                       g_bytes_get_size (bodies[i]));
    }
  /* The server sees the connections close at its next write. */
  g_assert_true (haul_test_wait_server_idle (f->server, 2000));
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/out-%u.bin", i);

      requests[i] = haul_test_server_get_n_requests (f->server, path);
    }

  /* Three seconds without the network: nothing asks, nothing fails. */
  haul_test_spin_for (3000);
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/out-%u.bin", i);

      g_assert_cmpint (haul_download_get_state (downloads[i]), ==, HAUL_DOWNLOAD_QUEUED);
      g_assert_cmpint (haul_download_get_waiting (downloads[i]), ==, HAUL_WAITING_NETWORK);
      g_assert_cmpuint (haul_test_server_get_n_requests (f->server, path), ==, requests[i]);
    }
  g_assert_cmpuint (f->n_failed, ==, 0);

  fake_network_set (f->network, TRUE, FALSE);
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *name = g_strdup_printf ("out-%u.bin", i);
      g_autofree char *path = g_strdup_printf ("/out-%u.bin", i);
      g_autofree char *headers = NULL;

      g_assert_true (haul_test_wait_state (downloads[i], HAUL_DOWNLOAD_COMPLETED, 30000));
      assert_file (f, name, bodies[i]);
      /* It went on from its bytes. */
      headers = haul_test_server_get_last_request_headers (f->server, path);
      g_assert_nonnull (strstr (headers, "Range: bytes="));
      g_assert_null (strstr (headers, "Range: bytes=0-"));
      g_bytes_unref (bodies[i]);
    }
  g_assert_cmpuint (f->n_failed, ==, 0);
}

/* Offline from the start: queued, waiting, not a request; then it goes. */
static void
test_offline_at_start (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (100 * KiB, 1);
  HaulDownload *download;

  fake_network_set (f->network, FALSE, FALSE);
  haul_test_server_add_file (f->server, "/s.bin", body, NULL);
  download = add (f, "/s.bin");
  g_assert_true (wait_waiting (download, HAUL_WAITING_NETWORK, 2000));
  haul_test_spin_for (300);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/s.bin"), ==, 0);

  fake_network_set (f->network, TRUE, FALSE);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 10000));
  assert_file (f, "s.bin", body);
}

/* A download waiting an hour to try again (Retry-After) when the network
 * goes: back online it tries at once, not in an hour. */
static gint64
an_hour (guint   attempt,
         gint64  retry_after,
         guint32 jitter)
{
  return (gint64) 3600 * G_USEC_PER_SEC;
}

static void
test_retry_wait_cleared (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (50 * KiB, 2);
  HaulDownload *download;

  haul_builtin_engine_set_retry_delay_func (HAUL_BUILTIN_ENGINE (haul_queue_get_engine (f->queue)),
                                            an_hour);
  haul_test_server_add_status (f->server, "/b.bin", 503);
  download = add (f, "/b.bin");
  g_assert_true (wait_waiting (download, HAUL_WAITING_SERVER_BUSY, 5000));

  fake_network_set (f->network, FALSE, FALSE);
  g_assert_true (wait_waiting (download, HAUL_WAITING_NETWORK, 2000));
  haul_test_server_add_file (f->server, "/b.bin", body, NULL);
  fake_network_set (f->network, TRUE, FALSE);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 10000));
  assert_file (f, "b.bin", body);
}

/* A metered connection ----------------------------------------------------------- */

/* New downloads wait; "Download Anyway" (start now) runs one, which then
 * keeps going whatever the connection does. */
static void
test_metered_waits (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (600 * KiB, 3);
  HaulTestFileOptions slow = { .etag = "\"m\"", .bytes_per_second = 512 * KiB };
  HaulDownload *download;
  HaulDownload *other;

  fake_network_set (f->network, TRUE, TRUE);
  haul_test_server_add_file (f->server, "/m.bin", body, &slow);
  haul_test_server_add_file (f->server, "/n.bin", body, NULL);
  download = add (f, "/m.bin");
  other = add (f, "/n.bin");
  g_assert_true (wait_waiting (download, HAUL_WAITING_METERED, 2000));
  g_assert_true (wait_waiting (other, HAUL_WAITING_METERED, 2000));
  haul_test_spin_for (300);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/m.bin"), ==, 0);

  haul_queue_start_now (f->queue, download);
  g_assert_true (haul_test_wait_received (download, 100 * KiB, 20000));
  /* Unmetered and metered again: it goes on regardless. */
  fake_network_set (f->network, TRUE, FALSE);
  fake_network_set (f->network, TRUE, TRUE);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 10000));
  assert_file (f, "m.bin", body);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/m.bin"), ==, 1);

  /* The other one still waits, and goes once metered is allowed. */
  g_assert_true (wait_waiting (other, HAUL_WAITING_METERED, 1000));
  g_object_set (f->queue, "allow-metered", TRUE, NULL);
  g_assert_true (haul_test_wait_state (other, HAUL_DOWNLOAD_COMPLETED, 10000));
  assert_file (f, "n.bin", body);
}

/* Metered in the middle: a running download stops and waits, keeping its
 * bytes; unmetered again, it goes on from them. */
static void
test_metered_midway (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (MiB, 4);
  HaulTestFileOptions slow = { .etag = "\"w\"", .bytes_per_second = 512 * KiB };
  g_autofree char *headers = NULL;
  HaulDownload *download;

  haul_test_server_add_file (f->server, "/w.bin", body, &slow);
  download = add (f, "/w.bin");
  g_assert_true (haul_test_wait_received (download, 200 * KiB, 20000));

  fake_network_set (f->network, TRUE, TRUE);
  g_assert_true (wait_waiting (download, HAUL_WAITING_METERED, 2000));
  g_assert_true (haul_test_wait_server_idle (f->server, 2000));
  g_assert_cmpint (haul_download_get_received (download), >, 0);

  fake_network_set (f->network, TRUE, FALSE);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 10000));
  assert_file (f, "w.bin", body);
  headers = haul_test_server_get_last_request_headers (f->server, "/w.bin");
  g_assert_null (strstr (headers, "Range: bytes=0-"));
  g_assert_cmpuint (f->n_failed, ==, 0);
}

/* Allowed: metered changes nothing. */
static void
test_metered_allowed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (600 * KiB, 5);
  HaulTestFileOptions slow = { .etag = "\"a\"", .bytes_per_second = 512 * KiB };
  HaulDownload *download;

  g_object_set (f->queue, "allow-metered", TRUE, NULL);
  fake_network_set (f->network, TRUE, TRUE);
  haul_test_server_add_file (f->server, "/a.bin", body, &slow);
  download = add (f, "/a.bin");
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 10000));
  assert_file (f, "a.bin", body);
  g_assert_cmpuint (haul_test_server_get_n_requests (f->server, "/a.bin"), ==, 1);
}

/* Power Saver ------------------------------------------------------------------ */

static void
on_connections (HaulDownload *download,
                GParamSpec   *pspec,
                guint        *most)
{
  *most = MAX (*most, haul_download_get_connections (download));
}

static guint
most_connections (Fixture    *f,
                  const char *path)
{
  g_autoptr(GBytes) body = haul_test_make_bytes (16 * MiB, 6);
  HaulTestFileOptions options = { .etag = "\"p\"", .bytes_per_second = 4 * MiB };
  HaulDownload *download;
  guint most = 0;

  haul_test_server_add_file (f->server, path, body, &options);
  download = add (f, path);
  g_signal_connect (download, "notify::connections", G_CALLBACK (on_connections), &most);
  g_assert_true (haul_test_wait_state (download, HAUL_DOWNLOAD_COMPLETED, 30000));
  g_signal_handlers_disconnect_by_data (download, &most);
  return most;
}

static void
test_power_saver (Fixture       *f,
                  gconstpointer  data)
{
  g_object_set (f->queue, "connections-per-download", 8, NULL);
  g_assert_cmpuint (most_connections (f, "/p1.bin"), >, 2);

  f->power->saver = TRUE;
  g_object_notify (G_OBJECT (f->power), "power-saver-enabled");
  g_assert_cmpuint (most_connections (f, "/p2.bin"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/haul/engine/network/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("outage", test_outage);
  ADD ("offline-at-start", test_offline_at_start);
  ADD ("retry-wait-cleared", test_retry_wait_cleared);
  ADD ("metered-waits", test_metered_waits);
  ADD ("metered-midway", test_metered_midway);
  ADD ("metered-allowed", test_metered_allowed);
  ADD ("power-saver", test_power_saver);
#undef ADD

  return g_test_run ();
}
