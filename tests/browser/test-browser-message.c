/* test-browser-message.c: native messaging frames and their JSON
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "haul-browser-message.h"
#include "haul-error.h"

/* @json as one frame: native-endian 32-bit length, then the bytes. */
static void
append_frame (GByteArray *stream,
              const char *json,
              gsize       length)
{
  guint32 header = length;

  g_byte_array_append (stream, (const guint8 *) &header, sizeof header);
  g_byte_array_append (stream, (const guint8 *) json, length);
}

static GInputStream *
stream_of (GByteArray *bytes)
{
  return g_memory_input_stream_new_from_data (g_memdup2 (bytes->data, bytes->len), bytes->len,
                                              g_free);
}

static void
test_framing (void)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GBytes) end = NULL;
  const char *one = "{\"url\": \"https://example.com/a\"}";
  const char *two = "{\"ping\": true}";

  append_frame (bytes, one, strlen (one));
  append_frame (bytes, two, strlen (two));
  input = stream_of (bytes);

  first = haul_browser_message_read (input, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (first, NULL), g_bytes_get_size (first), one, strlen (one));
  second = haul_browser_message_read (input, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (second, NULL), g_bytes_get_size (second), two, strlen (two));

  /* The browser closed the pipe between messages: a clean end. */
  end = haul_browser_message_read (input, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (end);
}

static void
test_too_large (void)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autofree char *largest = NULL;
  guint32 lengths[] = { HAUL_BROWSER_MAX_MESSAGE_BYTES + 1, G_MAXUINT32 };

  /* Exactly 1 MiB is still read (and then judged as JSON). */
  largest = g_strnfill (HAUL_BROWSER_MAX_MESSAGE_BYTES, ' ');
  largest[0] = '{';
  largest[HAUL_BROWSER_MAX_MESSAGE_BYTES - 1] = '}';
  append_frame (bytes, largest, HAUL_BROWSER_MAX_MESSAGE_BYTES);
  input = stream_of (bytes);
  message = haul_browser_message_read (input, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (message), ==, HAUL_BROWSER_MAX_MESSAGE_BYTES);

  /* One byte more is refused from the length alone: nothing is
   * allocated, the body is never read. */
  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autoptr(GByteArray) huge = g_byte_array_new ();
      g_autoptr(GInputStream) huge_input = NULL;
      g_autoptr(GError) huge_error = NULL;
      g_autoptr(GBytes) none = NULL;

      g_byte_array_append (huge, (const guint8 *) &lengths[i], sizeof lengths[i]);
      g_byte_array_append (huge, (const guint8 *) "{}", 2);
      huge_input = stream_of (huge);
      none = haul_browser_message_read (huge_input, NULL, &huge_error);
      g_assert_null (none);
      g_assert_error (huge_error, HAUL_ERROR, HAUL_ERROR_PROTOCOL);
      g_assert_nonnull (strstr (huge_error->message, "too large"));
    }
}

static void
test_truncated (void)
{
  const char *json = "{\"url\": \"https://example.com/a\"}";
  guint32 length = strlen (json);

  /* Cut inside the length, and inside the body. */
  for (gsize cut = 1; cut < sizeof length + length; cut += (cut < 4 ? 1 : 9))
    {
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      g_autoptr(GInputStream) input = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) message = NULL;

      append_frame (bytes, json, length);
      g_byte_array_set_size (bytes, cut);
      input = stream_of (bytes);
      message = haul_browser_message_read (input, NULL, &error);
      g_assert_null (message);
      g_assert_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL);
      g_assert_nonnull (strstr (error->message, "cut short"));
    }
}

static void
test_write (void)
{
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GBytes) read_back = NULL;
  const char *json = "{\"ok\":true}";
  guint32 length;

  g_assert_true (haul_browser_message_write (output, json, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (output, NULL, NULL);
  written = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output));

  g_assert_cmpuint (g_bytes_get_size (written), ==, 4 + strlen (json));
  memcpy (&length, g_bytes_get_data (written, NULL), 4);
  g_assert_cmpuint (length, ==, strlen (json));

  input = g_memory_input_stream_new_from_bytes (written);
  read_back = haul_browser_message_read (input, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (read_back, NULL), g_bytes_get_size (read_back),
                   json, strlen (json));
}

static GVariant *
parse_text (const char  *json,
            gsize        length,
            GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, length);

  return haul_browser_message_parse (bytes, error);
}

static void
assert_not_json (const char *json,
                 gsize       length,
                 const char *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) dict = parse_text (json, length, &error);

  g_assert_null (dict);
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL);
  if (strstr (error->message, in_message) == NULL)
    g_error ("“%s” does not say “%s”", error->message, in_message);
}

/* A literal that may hold a NUL byte. */
#define NOT_JSON(literal, in_message) assert_not_json (literal, sizeof literal - 1, in_message)

static void
test_invalid_json (void)
{
  const char *garbage[] = {
    "", "{", "}", "{\"url\": }", "url=https://a.example/",
    "{\"url\": \"https://a.example/\"} trailing",
  };

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_test_message ("refusing «%s»", garbage[i]);
      assert_not_json (garbage[i], strlen (garbage[i]), "not valid JSON");
    }

  /* Not UTF-8; a raw NUL; the escape \u0000, which json-glib would cut
   * the string at, silently. */
  NOT_JSON ("{\"url\": \"https://a.example/\xff\"}", "not valid JSON");
  NOT_JSON ("{\"url\": \"https://a.example/\0x\"}", "not valid JSON");
  NOT_JSON ("{\"url\": \"https://a.example/a\\u0000.evil\"}", "not valid JSON");

  NOT_JSON ("[\"https://a.example/\"]", "not a JSON object");
  NOT_JSON ("\"https://a.example/\"", "not a JSON object");
  NOT_JSON ("null", "not a JSON object");
}

static void
test_members (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) dict = NULL;
  const char *json = "{\"url\": \"https://a.example/\\u00e9t\\u00e9.txt\","
                     " \"urls\": [\"https://a.example/1\", \"https://a.example/2\"],"
                     " \"referrer\": null, \"userAgent\": \"UA \\\"quoted\\\"\","
                     " \"cookies\": \"a=b\", \"filename\": \"x.txt\", \"ping\": false,"
                     " \"future\": {\"nested\": [1, 2]}, \"escaped\": \"\\\\u0000\"}";
  const char *url = NULL;
  g_autofree const char **urls = NULL;
  const char *user_agent = NULL;
  gboolean ping = TRUE;

  dict = parse_text (json, strlen (json), &error);
  g_assert_no_error (error);
  g_variant_ref_sink (dict);
  g_assert_true (g_variant_lookup (dict, "url", "&s", &url));
  g_assert_cmpstr (url, ==, "https://a.example/\xc3\xa9t\xc3\xa9.txt");
  g_assert_true (g_variant_lookup (dict, "urls", "^a&s", &urls));
  g_assert_cmpuint (g_strv_length ((char **) urls), ==, 2);
  g_assert_true (g_variant_lookup (dict, "userAgent", "&s", &user_agent));
  g_assert_cmpstr (user_agent, ==, "UA \"quoted\"");
  g_assert_true (g_variant_lookup (dict, "ping", "b", &ping));
  g_assert_false (ping);
  /* null means "not given"; unknown members are for later versions. */
  g_assert_null (g_variant_lookup_value (dict, "referrer", NULL));
  g_assert_null (g_variant_lookup_value (dict, "future", NULL));

  {
    g_autoptr(GError) type_error = NULL;
    g_autoptr(GVariant) none = NULL;
    const char *wrong[] = {
      "{\"url\": 42}", "{\"url\": [\"https://a.example/\"]}", "{\"cookies\": {\"a\": \"b\"}}",
      "{\"urls\": \"https://a.example/\"}", "{\"urls\": [\"https://a.example/\", 7]}",
      "{\"urls\": [null]}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
      {
        g_clear_error (&type_error);
        g_clear_pointer (&none, g_variant_unref);
        none = parse_text (wrong[i], strlen (wrong[i]), &type_error);
        g_assert_null (none);
        g_assert_error (type_error, HAUL_ERROR, HAUL_ERROR_PROTOCOL);
        g_assert_nonnull (strstr (type_error->message, "must be"));
      }
  }
}

static void
test_answers (void)
{
  g_autofree char *ok = haul_browser_message_answer (NULL);
  g_autofree char *pong = haul_browser_message_pong ();
  g_autoptr(GError) error = g_error_new_literal (HAUL_ERROR, HAUL_ERROR_INVALID_URL,
                                                 "“x\"y” cannot be downloaded\n");
  g_autofree char *refused = haul_browser_message_answer (error);

  g_assert_cmpstr (ok, ==, "{\"ok\":true}");
  g_assert_cmpstr (pong, ==, "{\"ok\":true,\"version\":\"" PACKAGE_VERSION "\"}");
  g_assert_cmpstr (refused, ==, "{\"ok\":false,\"error\":\"“x\\\"y” cannot be downloaded\\n\"}");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/browser/message/framing", test_framing);
  g_test_add_func ("/haul/browser/message/too-large", test_too_large);
  g_test_add_func ("/haul/browser/message/truncated", test_truncated);
  g_test_add_func ("/haul/browser/message/write", test_write);
  g_test_add_func ("/haul/browser/message/invalid-json", test_invalid_json);
  g_test_add_func ("/haul/browser/message/members", test_members);
  g_test_add_func ("/haul/browser/message/answers", test_answers);

  return g_test_run ();
}
