/* test-aria2-secret.c: the daemon's secret in a real keyring, or the environment
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keyring is a real gnome-keyring-daemon on a private dbus-daemon,
 * with its files in a temp folder and its login keyring created unlocked
 * from a password on stdin. Not GTestDBus: its g_test_dbus_down() waits
 * for the process's bus connection to go away, and libsecret keeps one
 * for the life of the process.
 */

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "aria2-fixture.h"
#include "haul-aria2-secret.h"

typedef struct
{
  GPid       bus;
  GPid       keyring;
  gboolean   up;
  char      *home;   /* (owned) */
} Keyring;

static const char bus_config[] =
  "<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen>"
  "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
  "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy>"
  "</busconfig>";

static Keyring keyring_world;

/* In the child: die with the test, however it ends. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static char *
lookup (const char *address,
        GError    **error)
{
  Fixture f = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  haul_aria2_secret_lookup_async (address, NULL, store_result_cb, &result);
  return haul_aria2_secret_lookup_finish (wait_result (&f, &result), error);
}

static gboolean
store (const char *address,
       const char *secret,
       GError    **error)
{
  Fixture f = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  haul_aria2_secret_store_async (address, secret, NULL, store_result_cb, &result);
  return haul_aria2_secret_store_finish (wait_result (&f, &result), error);
}

static gboolean
clear (const char *address,
       GError    **error)
{
  Fixture f = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  haul_aria2_secret_clear_async (address, NULL, store_result_cb, &result);
  return haul_aria2_secret_clear_finish (wait_result (&f, &result), error);
}

/* The environment wins, and the keyring is not even asked: the bus
 * address points nowhere. Runs first, before any bus is up. */
static void
test_env (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  gint64 start = g_get_monotonic_time ();

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/haul-test-bus", TRUE);
  g_setenv ("HAUL_ARIA2_SECRET", "from-the-environment", TRUE);
  secret = lookup ("nas:6800", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "from-the-environment");
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  g_unsetenv ("HAUL_ARIA2_SECRET");
  if (saved != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", saved, TRUE);
  else
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
}

static gboolean
name_owned (const char *name)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* A private bus with a gnome-keyring-daemon on it, or why not. */
static const char *
keyring_up (Keyring *k)
{
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *runtime = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { daemon, "--foreground", "--unlock", "--components=secrets", NULL };
  gint64 deadline;
  int input = -1;

  if (daemon == NULL)
    return "gnome-keyring-daemon is not installed (Debian: gnome-keyring)";

  k->home = haul_test_make_tmpdir ();
  runtime = g_build_filename (k->home, "run", NULL);
  g_assert_cmpint (g_mkdir (runtime, 0700), ==, 0);
  g_setenv ("HOME", k->home, TRUE);
  g_setenv ("XDG_DATA_HOME", k->home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);

  {
    g_autofree char *config = g_build_filename (k->home, "bus.conf", NULL);
    g_autofree char *config_arg = g_strconcat ("--config-file=", config, NULL);
    const char *bus_argv[] = { "dbus-daemon", config_arg, "--nofork", "--print-address=1", NULL };
    char address[512] = "";
    gssize got = 0;
    int output = -1;

    g_assert_true (g_file_set_contents (config, bus_config, -1, NULL));
    if (!g_spawn_async_with_pipes (NULL, (char **) bus_argv, NULL,
                                   G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD
                                   | G_SPAWN_STDERR_TO_DEV_NULL,
                                   die_with_parent, NULL, &k->bus, NULL, &output, NULL, NULL))
      return "dbus-daemon is not installed (Debian: dbus)";
    /* One line: the address, printed once it listens. */
    while (got < (gssize) sizeof address - 1 && strchr (address, '\n') == NULL)
      {
        gssize n = read (output, address + got, sizeof address - 1 - got);

        g_assert_cmpint (n, >, 0);
        got += n;
        address[got] = '\0';
      }
    close (output);
    *strchr (address, '\n') = '\0';
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  }

  g_assert_true (g_spawn_async_with_pipes (k->home, (char **) argv, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                           die_with_parent, NULL, &k->keyring, &input, NULL, NULL,
                                           &error));
  g_assert_no_error (error);
  /* The login keyring's password, then end of input: created, unlocked. */
  g_assert_cmpint (write (input, "haul-test", 9), ==, 9);
  close (input);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!name_owned ("org.freedesktop.secrets"))
    {
      if (g_get_monotonic_time () > deadline)
        return "gnome-keyring-daemon did not come up on the test bus";
      g_usleep (50 * 1000);
    }
  k->up = TRUE;
  return NULL;
}

/* SIGTERM, then SIGKILL if it is not gone within 2 s. */
static void
end_process (GPid *pid)
{
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  int status;

  if (*pid == 0)
    return;
  kill (*pid, SIGTERM);
  while (waitpid (*pid, &status, WNOHANG) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        {
          kill (*pid, SIGKILL);
          waitpid (*pid, &status, 0);
          break;
        }
      g_usleep (10 * 1000);
    }
  g_spawn_close_pid (*pid);
  *pid = 0;
}

static void
keyring_down (Keyring *k)
{
  secret_service_disconnect ();
  end_process (&k->keyring);
  end_process (&k->bus);
  if (k->home != NULL)
    {
      haul_test_remove_tree (k->home);
      g_clear_pointer (&k->home, g_free);
    }
}

static void
test_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *same = NULL;
  g_autofree char *other = NULL;
  g_autofree char *replaced = NULL;
  g_autofree char *gone = NULL;
  const char *why = keyring_up (&keyring_world);

  if (why != NULL)
    {
      g_test_skip (why);
      return;
    }

  g_assert_true (store ("http://nas:6800/jsonrpc", "in-the-keyring", &error));
  g_assert_no_error (error);

  /* One secret whatever form of the address is typed. */
  found = lookup ("http://nas:6800/jsonrpc", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "in-the-keyring");
  same = lookup ("ws://nas:6800/jsonrpc", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (same, ==, "in-the-keyring");
  other = lookup ("http://other:6800/jsonrpc", &error);
  g_assert_no_error (error);
  g_assert_null (other);

  g_assert_true (store ("nas:6800", "changed", &error));
  replaced = lookup ("http://nas:6800/jsonrpc", &error);
  g_assert_cmpstr (replaced, ==, "changed");

  g_assert_true (clear ("http://nas:6800/jsonrpc", &error));
  g_assert_no_error (error);
  gone = lookup ("http://nas:6800/jsonrpc", &error);
  g_assert_no_error (error);
  g_assert_null (gone);
  /* Clearing what is not there is fine. */
  g_assert_true (clear ("http://nas:6800/jsonrpc", &error));
  g_assert_no_error (error);
}

/* A client given no secret finds the daemon's in the keyring. */
static void
test_client_uses_keyring (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *address = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_WITHOUT_ARIA2C ();
  if (!keyring_world.up)
    {
      g_test_skip ("no keyring (see /haul/engine/aria2-secret/keyring)");
      return;
    }

  address = g_strdup_printf ("127.0.0.1:%u", f->port);
  g_assert_true (store (address, SECRET, &error));
  g_assert_no_error (error);

  daemon_start (f, SECRET);
  make_client (f, address, NULL);
  haul_aria2_client_start (f->client);
  g_assert_true (wait_for (f, is_connection, GINT_TO_POINTER (HAUL_ARIA2_CONNECTED), 10000));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("HAUL_ARIA2_SECRET");

  g_test_add_func ("/haul/engine/aria2-secret/env", test_env);
  g_test_add_func ("/haul/engine/aria2-secret/keyring", test_keyring);
  g_test_add ("/haul/engine/aria2-secret/client", Fixture, NULL, fixture_setup,
              test_client_uses_keyring, fixture_teardown);

  status = g_test_run ();
  keyring_down (&keyring_world);
  return status;
}
