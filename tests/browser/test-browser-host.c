/* test-browser-host.c: the real haul-browser-host, as a browser runs it
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test starts a private session bus (GTestDBus), plays Haul on it
 * (owns the application id and records org.freedesktop.Application
 * ActivateAction calls), runs BUILD/src/browser/haul-browser-host with
 * native messaging frames on its stdin, and checks the answers on its
 * stdout, what reached "Haul", and that stderr never shows a cookie.
 * One test lets the bus start "Haul" by D-Bus activation instead: this
 * same program, run with --fake-app.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#define APP_INTERFACE "org.freedesktop.Application"
#define HOST_TIMEOUT_MS 20000
#define SECRET_COOKIE "session=s3cr3t-4f9c"

static const char app_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Application'>"
  "    <method name='ActivateAction'>"
  "      <arg type='s' name='action_name' direction='in'/>"
  "      <arg type='av' name='parameter' direction='in'/>"
  "      <arg type='a{sv}' name='platform_data' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

/* ------------------------------------------------------------------ */
/* Haul, played by the test                                            */

typedef struct
{
  GPtrArray *calls;       /* (element-type utf8) "action parameter", printed */
  gboolean   old_version; /* answer as a Haul without the action would */
} FakeApp;

static char *
object_path (void)
{
  g_autofree char *path = g_strconcat ("/", APPLICATION_ID, NULL);

  g_strdelimit (path, ".", '/');
  return g_steal_pointer (&path);
}

static void
fake_app_method_call (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *path,
                      const char            *interface,
                      const char            *method,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               user_data)
{
  FakeApp *app = user_data;
  const char *action;
  g_autoptr(GVariant) parameter = NULL;
  g_autoptr(GVariant) platform = NULL;
  g_autoptr(GVariantIter) iter = NULL;
  g_autofree char *printed = NULL;

  g_variant_get (parameters, "(&sav@a{sv})", &action, &iter, &platform);
  g_variant_iter_next (iter, "v", &parameter);

  if (app->old_version)
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                             "Unknown action ‘%s’", action);
      return;
    }

  printed = parameter != NULL ? g_variant_print (parameter, TRUE) : g_strdup ("none");
  g_ptr_array_add (app->calls, g_strdup_printf ("%s %s", action, printed));
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable fake_app_vtable = { fake_app_method_call };

/* Exports the fake app on @connection and takes the application id. */
static guint
fake_app_register (GDBusConnection *connection,
                   FakeApp         *app)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (app_xml, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *path = object_path ();
  guint id;
  guint32 result;

  id = g_dbus_connection_register_object (connection, path, info->interfaces[0],
                                          &fake_app_vtable, app, NULL, &error);
  g_assert_no_error (error);

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", APPLICATION_ID, 4 /* no queue */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1 /* primary owner */);
  return id;
}

/* --fake-app RECORD: started by the bus. Takes one call, writes it to
 * RECORD, then leaves. */
static int
fake_app_main (const char *record)
{
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_free);
  FakeApp app = { calls, FALSE };
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  connection = g_bus_get_sync (G_BUS_TYPE_STARTER, NULL, &error);
  if (connection == NULL)
    g_error ("fake app: no bus: %s", error->message);
  fake_app_register (connection, &app);

  while (calls->len == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_dbus_connection_flush_sync (connection, NULL, NULL);

  if (calls->len > 0 && !g_file_set_contents (record, calls->pdata[0], -1, &error))
    g_error ("fake app: %s", error->message);
  return calls->len > 0 ? 0 : 1;
}

/* ------------------------------------------------------------------ */
/* Fixture                                                             */

typedef struct
{
  GTestDBus       *bus;
  GDBusConnection *connection;  /* (owned) (nullable) the fake app's */
  guint            object_id;
  FakeApp          app;
  char            *tmpdir;
  /* The last run of the host: */
  GPtrArray       *answers;     /* (element-type utf8) */
  char            *stderr_text;
  int              exit_status;
} Fixture;

static void
fixture_start_bus (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_test_dbus_up (fixture->bus);
  fixture->connection = g_dbus_connection_new_for_address_sync (
      g_test_dbus_get_bus_address (fixture->bus),
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
      G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
      NULL, NULL, &error);
  g_assert_no_error (error);
}

/* A bus where Haul is running (the test plays it). */
static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  fixture->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  fixture->app.calls = g_ptr_array_new_with_free_func (g_free);
  fixture->answers = g_ptr_array_new_with_free_func (g_free);
  fixture->tmpdir = g_dir_make_tmp ("haul-browser-host-XXXXXX", NULL);
  fixture_start_bus (fixture);
  fixture->object_id = fake_app_register (fixture->connection, &fixture->app);
}

/* A bus where Haul is not running and cannot be started. */
static void
setup_no_app (Fixture       *fixture,
              gconstpointer  data)
{
  fixture->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  fixture->app.calls = g_ptr_array_new_with_free_func (g_free);
  fixture->answers = g_ptr_array_new_with_free_func (g_free);
  fixture->tmpdir = g_dir_make_tmp ("haul-browser-host-XXXXXX", NULL);
  fixture_start_bus (fixture);
}

/* A bus that starts Haul (this program, --fake-app) when asked. */
static void
setup_activatable (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *services = NULL;
  g_autofree char *service = NULL;
  g_autofree char *record = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  fixture->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  fixture->app.calls = g_ptr_array_new_with_free_func (g_free);
  fixture->answers = g_ptr_array_new_with_free_func (g_free);
  fixture->tmpdir = g_dir_make_tmp ("haul-browser-host-XXXXXX", NULL);

  services = g_build_filename (fixture->tmpdir, "services", NULL);
  g_assert_cmpint (g_mkdir (services, 0700), ==, 0);
  record = g_build_filename (fixture->tmpdir, "record", NULL);
  text = g_strdup_printf ("[D-BUS Service]\nName=%s\nExec=%s --fake-app %s\n",
                          APPLICATION_ID, self, record);
  service = g_build_filename (services, APPLICATION_ID ".service", NULL);
  g_file_set_contents (service, text, -1, &error);
  g_assert_no_error (error);

  g_test_dbus_add_service_dir (fixture->bus, services);
  fixture_start_bus (fixture);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  if (fixture->object_id != 0)
    g_dbus_connection_unregister_object (fixture->connection, fixture->object_id);
  if (fixture->connection != NULL)
    g_dbus_connection_close_sync (fixture->connection, NULL, NULL);
  g_clear_object (&fixture->connection);
  g_test_dbus_down (fixture->bus);
  g_clear_object (&fixture->bus);

  g_ptr_array_unref (fixture->app.calls);
  g_ptr_array_unref (fixture->answers);
  g_free (fixture->stderr_text);
  if (fixture->tmpdir != NULL)
    {
      g_autofree char *record = g_build_filename (fixture->tmpdir, "record", NULL);
      g_autofree char *service = g_build_filename (fixture->tmpdir, "services",
                                                   APPLICATION_ID ".service", NULL);
      g_autofree char *services = g_build_filename (fixture->tmpdir, "services", NULL);

      g_remove (record);
      g_remove (service);
      g_rmdir (services);
      g_rmdir (fixture->tmpdir);
      g_free (fixture->tmpdir);
    }
}

/* ------------------------------------------------------------------ */
/* Running the host                                                    */

static void
append_frame (GByteArray *stream,
              const char *json)
{
  guint32 length = strlen (json);

  g_byte_array_append (stream, (const guint8 *) &length, sizeof length);
  g_byte_array_append (stream, (const guint8 *) json, length);
}

typedef struct
{
  gboolean  done;
  GBytes   *out;
  GBytes   *err;
} Run;

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_finish (G_SUBPROCESS (object), result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->done = TRUE;
}

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the host with @input on stdin while the main context serves the
 * fake app; collects the answers, stderr and the exit status. The input
 * comes from a file, as the host may stop reading it early (that is the
 * point of some tests). */
static void
run_host (Fixture    *fixture,
          GByteArray *input)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) host = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input_path = g_build_filename (fixture->tmpdir, "input", NULL);
  Run run = { FALSE, NULL, NULL };
  gint64 deadline = g_get_monotonic_time () + HOST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  guint wake_up = g_timeout_add (100, wake_up_cb, NULL);
  const guint8 *out;
  gsize out_length;

  g_file_set_contents (input_path, (const char *) input->data, input->len, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_stdin_file_path (launcher, input_path);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                g_test_dbus_get_bus_address (fixture->bus), TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  /* As Chromium starts it: the caller's origin as the argument. */
  host = g_subprocess_launcher_spawn (launcher, &error, HAUL_BROWSER_HOST,
                                      "chrome-extension://mkdbbalphnpofdmmcadlejfbagjfhdci/",
                                      NULL);
  g_assert_no_error (error);

  g_subprocess_communicate_async (host, NULL, NULL, communicated_cb, &run);
  while (!run.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_up);
  g_remove (input_path);
  if (!run.done)
    {
      g_subprocess_force_exit (host);
      g_error ("haul-browser-host did not finish within %d ms", HOST_TIMEOUT_MS);
    }
  g_subprocess_wait (host, NULL, NULL);

  fixture->exit_status = g_subprocess_get_if_exited (host) ? g_subprocess_get_exit_status (host)
                                                           : -1;
  g_clear_pointer (&fixture->stderr_text, g_free);
  fixture->stderr_text = g_strndup (g_bytes_get_data (run.err, NULL), g_bytes_get_size (run.err));
  g_ptr_array_set_size (fixture->answers, 0);

  out = g_bytes_get_data (run.out, &out_length);
  while (out_length > 0)
    {
      guint32 length;

      /* Everything on stdout must be a whole frame. */
      g_assert_cmpuint (out_length, >=, 4);
      memcpy (&length, out, 4);
      g_assert_cmpuint (out_length - 4, >=, length);
      g_ptr_array_add (fixture->answers, g_strndup ((const char *) out + 4, length));
      out += 4 + length;
      out_length -= 4 + length;
    }

  g_bytes_unref (run.out);
  g_bytes_unref (run.err);

  /* Nothing the host printed shows a cookie. */
  g_assert_null (strstr (fixture->stderr_text, "s3cr3t"));
}

/* @recorded ("action {dict}") is @action with exactly the entries of
 * @expected (a GVariant text), in any order. */
static void
assert_call (const char *recorded,
             const char *action,
             const char *expected)
{
  g_autoptr(GVariant) want = g_variant_parse (G_VARIANT_TYPE_VARDICT, expected, NULL, NULL, NULL);
  g_autoptr(GVariant) got = NULL;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_assert_nonnull (recorded);
  g_assert_true (g_str_has_prefix (recorded, action));
  g_assert_cmpint (recorded[strlen (action)], ==, ' ');
  got = g_variant_parse (G_VARIANT_TYPE_VARDICT, recorded + strlen (action) + 1, NULL, NULL,
                         NULL);
  g_assert_nonnull (got);
  g_assert_nonnull (want);
  g_assert_cmpuint (g_variant_n_children (got), ==, g_variant_n_children (want));

  g_variant_iter_init (&iter, want);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr(GVariant) wanted = value;
      g_autoptr(GVariant) found = g_variant_lookup_value (got, key, NULL);

      if (found == NULL || !g_variant_equal (found, wanted))
        g_error ("“%s” in %s, expected %s", key, recorded, expected);
    }
}

static const char *
answer (Fixture *fixture,
        guint    i)
{
  g_assert_cmpuint (i, <, fixture->answers->len);
  return fixture->answers->pdata[i];
}

static void
assert_refusal (Fixture    *fixture,
                guint       i,
                const char *in_message)
{
  const char *text = answer (fixture, i);

  g_assert_true (g_str_has_prefix (text, "{\"ok\":false,\"error\":\""));
  if (strstr (text, in_message) == NULL)
    g_error ("answer %u “%s” does not say “%s”", i, text, in_message);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

static void
test_delivers (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GByteArray) input = g_byte_array_new ();
  const char *call;

  append_frame (input, "{\"url\": \"https://example.com/files/big.iso#frag\","
                       " \"referrer\": \"https://example.com/files/\","
                       " \"userAgent\": \"Mozilla/5.0 (X11; Linux x86_64)\","
                       " \"cookies\": \"" SECRET_COOKIE "\", \"filename\": \"big.iso\"}");
  run_host (fixture, input);

  g_assert_cmpint (fixture->exit_status, ==, 0);
  g_assert_cmpuint (fixture->answers->len, ==, 1);
  g_assert_cmpstr (answer (fixture, 0), ==, "{\"ok\":true}");

  g_assert_cmpuint (fixture->app.calls->len, ==, 1);
  call = fixture->app.calls->pdata[0];
  assert_call (call, "add-request",
               "{'urls': <['https://example.com/files/big.iso']>, "
               "'referrer': <'https://example.com/files/'>, "
               "'userAgent': <'Mozilla/5.0 (X11; Linux x86_64)'>, "
               "'cookies': <'" SECRET_COOKIE "'>, 'filename': <'big.iso'>}");
}

static void
test_urls (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GByteArray) input = g_byte_array_new ();

  append_frame (input, "{\"urls\": [\"http://127.0.0.1:8080/a.bin\","
                       " \"http://127.0.0.1:8080/b.bin\"]}");
  append_frame (input, "{\"ping\": true}");
  run_host (fixture, input);

  g_assert_cmpint (fixture->exit_status, ==, 0);
  g_assert_cmpuint (fixture->answers->len, ==, 2);
  g_assert_cmpstr (answer (fixture, 0), ==, "{\"ok\":true}");
  g_assert_cmpstr (answer (fixture, 1), ==, "{\"ok\":true,\"version\":\"" PACKAGE_VERSION "\"}");
  g_assert_cmpuint (fixture->app.calls->len, ==, 1);
  assert_call (fixture->app.calls->pdata[0], "add-request",
               "{'urls': <['http://127.0.0.1:8080/a.bin', "
                   "'http://127.0.0.1:8080/b.bin']>}");
}

/* Each bad message gets its answer, and the host reads on. */
static void
test_hostile (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GByteArray) input = g_byte_array_new ();

  append_frame (input, "this is not JSON");
  append_frame (input, "{\"url\": \"file:///etc/passwd\"}");
  append_frame (input, "{\"url\": \"javascript:alert(1)\"}");
  append_frame (input, "{\"url\": \"https://example.com/a\", "
                       "\"cookies\": \"" SECRET_COOKIE "\\r\\nX-Evil: 1\"}");
  append_frame (input, "{\"url\": \"https://example.com/a\", \"userAgent\": \"UA\\u0007\"}");
  append_frame (input, "{\"url\": \"https://example.com/a\\u0000.exe\"}");
  append_frame (input, "[\"https://example.com/a\"]");
  append_frame (input, "{\"urls\": \"https://example.com/a\"}");
  append_frame (input, "{\"url\": \"https://example.com/fine.zip\"}");
  run_host (fixture, input);

  g_assert_cmpint (fixture->exit_status, ==, 0);
  g_assert_cmpuint (fixture->answers->len, ==, 9);
  assert_refusal (fixture, 0, "not valid JSON");
  assert_refusal (fixture, 1, "“file:///etc/passwd” cannot be downloaded");
  assert_refusal (fixture, 2, "“javascript:alert(1)” cannot be downloaded");
  assert_refusal (fixture, 3, "“cookies” in the request contains control characters");
  assert_refusal (fixture, 4, "“userAgent” in the request contains control characters");
  assert_refusal (fixture, 5, "not valid JSON");
  assert_refusal (fixture, 6, "not a JSON object");
  assert_refusal (fixture, 7, "must be a list of links");
  g_assert_cmpstr (answer (fixture, 8), ==, "{\"ok\":true}");

  /* Only the good one reached Haul. */
  g_assert_cmpuint (fixture->app.calls->len, ==, 1);
  assert_call (fixture->app.calls->pdata[0], "add-request",
               "{'urls': <['https://example.com/fine.zip']>}");
}

/* A length over 1 MiB: answered, then the host stops, reading no further. */
static void
test_too_large (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GByteArray) input = g_byte_array_new ();
  guint32 length = 1024 * 1024 + 1;
  g_autofree char *body = g_strnfill (length, 'x');

  g_byte_array_append (input, (const guint8 *) &length, sizeof length);
  g_byte_array_append (input, (const guint8 *) body, length);
  append_frame (input, "{\"url\": \"https://example.com/after.zip\"}");
  run_host (fixture, input);

  g_assert_cmpint (fixture->exit_status, ==, 1);
  g_assert_cmpuint (fixture->answers->len, ==, 1);
  assert_refusal (fixture, 0, "too large (1048577 bytes, at most 1048576)");
  g_assert_cmpuint (fixture->app.calls->len, ==, 0);
}

static void
test_truncated (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GByteArray) input = g_byte_array_new ();

  append_frame (input, "{\"url\": \"https://example.com/first.zip\"}");
  append_frame (input, "{\"url\": \"https://example.com/cut.zip\"}");
  g_byte_array_set_size (input, input->len - 5);
  run_host (fixture, input);

  g_assert_cmpint (fixture->exit_status, ==, 1);
  g_assert_cmpuint (fixture->answers->len, ==, 2);
  g_assert_cmpstr (answer (fixture, 0), ==, "{\"ok\":true}");
  assert_refusal (fixture, 1, "cut short");
  g_assert_cmpuint (fixture->app.calls->len, ==, 1);
}

static void
test_no_app (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GByteArray) input = g_byte_array_new ();

  append_frame (input, "{\"url\": \"https://example.com/a.zip\","
                       " \"cookies\": \"" SECRET_COOKIE "\"}");
  append_frame (input, "{\"ping\": true}");
  run_host (fixture, input);

  g_assert_cmpint (fixture->exit_status, ==, 0);
  g_assert_cmpuint (fixture->answers->len, ==, 2);
  assert_refusal (fixture, 0, "Haul is not running and the desktop could not start it");
  /* The host itself is fine: the options page says so. */
  g_assert_true (g_str_has_prefix (answer (fixture, 1), "{\"ok\":true"));
}

static void
test_old_app (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GByteArray) input = g_byte_array_new ();

  fixture->app.old_version = TRUE;
  append_frame (input, "{\"url\": \"https://example.com/a.zip\"}");
  run_host (fixture, input);

  g_assert_cmpuint (fixture->answers->len, ==, 1);
  assert_refusal (fixture, 0, "cannot take downloads from the browser. Update Haul.");
}

/* Haul is not running: the bus starts it, and it gets the request. */
static void
test_starts_app (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GByteArray) input = g_byte_array_new ();
  g_autofree char *record = g_build_filename (fixture->tmpdir, "record", NULL);
  g_autofree char *recorded = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  append_frame (input, "{\"url\": \"https://example.com/started.zip\"}");
  run_host (fixture, input);

  g_assert_cmpint (fixture->exit_status, ==, 0);
  g_assert_cmpuint (fixture->answers->len, ==, 1);
  g_assert_cmpstr (answer (fixture, 0), ==, "{\"ok\":true}");

  while (!g_file_get_contents (record, &recorded, NULL, NULL) &&
         g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
  assert_call (recorded, "add-request",
               "{'urls': <['https://example.com/started.zip']>}");
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--fake-app"))
    return fake_app_main (argv[2]);

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/haul/browser/host/delivers", Fixture, NULL, setup, test_delivers, teardown);
  g_test_add ("/haul/browser/host/urls", Fixture, NULL, setup, test_urls, teardown);
  g_test_add ("/haul/browser/host/hostile", Fixture, NULL, setup, test_hostile, teardown);
  g_test_add ("/haul/browser/host/too-large", Fixture, NULL, setup, test_too_large, teardown);
  g_test_add ("/haul/browser/host/truncated", Fixture, NULL, setup, test_truncated, teardown);
  g_test_add ("/haul/browser/host/no-app", Fixture, NULL, setup_no_app, test_no_app, teardown);
  g_test_add ("/haul/browser/host/old-app", Fixture, NULL, setup, test_old_app, teardown);
  g_test_add ("/haul/browser/host/starts-app", Fixture, NULL, setup_activatable, test_starts_app,
              teardown);

  return g_test_run ();
}
