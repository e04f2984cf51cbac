/* test-error.c: failures that are said again in the language of now
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "haul-checksum.h"
#include "haul-download-private.h"
#include "haul-error.h"
#include "haul-queue.h"
#include "haul-test-server.h"

/* The German of a msgid, from the build's own catalogue. */
static char *
german (const char *msgid)
{
  char *text;

  g_setenv ("LANGUAGE", "de", TRUE);
  text = g_strdup (g_dgettext (GETTEXT_PACKAGE, msgid));
  g_setenv ("LANGUAGE", "C", TRUE);
  return text;
}

static void
test_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autofree char *rendered = NULL;

  haul_set_error (&error, HAUL_ERROR_NETWORK, "The server %s refused the connection",
                  "example.org");
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_NETWORK);
  g_assert_cmpstr (error->message, ==, "The server example.org refused the connection");
  g_assert_nonnull (haul_error_get_text (error));

  /* The text travels with the error, as it does to the main thread. */
  copy = g_error_copy (error);
  g_assert_nonnull (haul_error_get_text (copy));
  rendered = haul_error_text_render (haul_error_get_text (copy));
  g_assert_cmpstr (rendered, ==, error->message);

  /* An error made otherwise has no text, and a NULL @error is allowed. */
  g_clear_error (&error);
  g_set_error_literal (&error, HAUL_ERROR, HAUL_ERROR_FILE, "plain");
  g_assert_null (haul_error_get_text (error));
  g_assert_null (haul_error_get_text (NULL));
  haul_set_error (NULL, HAUL_ERROR_FILE, "%s", "nothing");
}

static void
test_plural_and_literal (void)
{
  g_autoptr(GError) one = NULL;
  g_autoptr(GError) many = NULL;
  g_autoptr(GError) literal = NULL;

  haul_set_error_plural (&one, HAUL_ERROR_STALLED, "No data arrived from %s for %s second",
                         "No data arrived from %s for %s seconds", 1, "a.example", "1");
  haul_set_error_plural (&many, HAUL_ERROR_STALLED, "No data arrived from %s for %s second",
                         "No data arrived from %s for %s seconds", 30, "a.example", "30");
  g_assert_cmpstr (one->message, ==, "No data arrived from a.example for 1 second");
  g_assert_cmpstr (many->message, ==, "No data arrived from a.example for 30 seconds");

  haul_set_error_literal (&literal, HAUL_ERROR_INVALID_URL, "Not a valid link");
  g_assert_cmpstr (literal->message, ==, "Not a valid link");
  g_assert_nonnull (haul_error_get_text (literal));
}

/* A translation may take the arguments in another order; %% is a %. */
static void
test_positional (void)
{
  g_autoptr(GVariant) text = haul_error_text_parse ("('%2$s, then %1$s: 100%%', '', uint64 0, "
                                                    "[<'first'>, <'second'>])");
  g_autoptr(GVariant) missing = haul_error_text_parse ("('%s and %s', '', uint64 0, [<'one'>])");
  g_autofree char *rendered = NULL;
  g_autofree char *short_of_one = NULL;

  g_assert_nonnull (text);
  rendered = haul_error_text_render (text);
  g_assert_cmpstr (rendered, ==, "second, then first: 100%");

  /* Fewer arguments than conversions: nothing made up, nothing read past. */
  g_assert_nonnull (missing);
  short_of_one = haul_error_text_render (missing);
  g_assert_cmpstr (short_of_one, ==, "one and ");
}

static void
test_because (void)
{
  g_autoptr(GError) reason = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) io = NULL;
  g_autoptr(GError) wrapped = NULL;
  GVariant *text;
  g_autoptr(GVariant) argument = NULL;
  g_autoptr(GVariant) inner = NULL;

  haul_set_error_literal (&reason, HAUL_ERROR_INVALID_URL, "Local files cannot be downloaded");
  haul_set_error_because (&error, HAUL_ERROR_REDIRECT, reason,
                          "The server redirected to “%s”, which cannot be downloaded: %s",
                          "file:///etc/passwd", reason->message);
  g_assert_cmpstr (error->message, ==,
                   "The server redirected to “file:///etc/passwd”, which cannot be downloaded: "
                   "Local files cannot be downloaded");

  /* The reason is kept as a text of its own, to be translated again. */
  text = haul_error_get_text (error);
  g_variant_get_child (text, 3, "@av", &argument);
  g_assert_cmpuint (g_variant_n_children (argument), ==, 2);
  g_variant_get_child (argument, 1, "v", &inner);
  g_assert_true (g_variant_is_of_type (inner, G_VARIANT_TYPE ("(sstav)")));

  /* A reason from elsewhere (GIO) goes in as its message. */
  io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "Broken pipe");
  haul_set_error_because (&wrapped, HAUL_ERROR_NETWORK, io, "The connection to %s failed: %s",
                          "a.example", io->message);
  g_assert_cmpstr (wrapped->message, ==, "The connection to a.example failed: Broken pipe");
}

static void
test_serialize (void)
{
  g_autoptr(GError) reason = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GVariant) back = NULL;
  g_autofree char *rendered = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GVariant) deep_text = NULL;
  g_autofree char *deep_rendered = NULL;
  const char *garbage[] = {
    "", "not a variant", "('one', 'two')", "(1, 2, 3, 4)", "('%s', '', uint64 0, [<42>])",
    "('x', '', uint64 0, [<'unterminated", "[<'a'>]",
  };

  /* Server text may hold quotes, backslashes and invalid UTF-8. */
  haul_set_error_literal (&reason, HAUL_ERROR_TLS, "it has expired");
  haul_set_error_because (&error, HAUL_ERROR_TLS, reason,
                          "The certificate of %s could not be verified: %s",
                          "we'ird\\\"host\xff", reason->message);
  line = haul_error_text_serialize (haul_error_get_text (error));
  g_assert_null (strchr (line, '\n'));
  back = haul_error_text_parse (line);
  g_assert_nonnull (back);
  g_assert_true (g_variant_equal (back, haul_error_get_text (error)));
  rendered = haul_error_text_render (back);
  g_assert_cmpstr (rendered, ==, error->message);
  g_assert_true (g_utf8_validate (rendered, -1, NULL));

  for (gsize i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_autoptr(GVariant) text = haul_error_text_parse (garbage[i]);

      /* A wrongly typed argument parses but renders as nothing. */
      if (text != NULL)
        {
          g_autofree char *shown = haul_error_text_render (text);

          g_assert_cmpstr (shown, ==, "");
        }
    }
  g_assert_null (haul_error_text_parse (NULL));

  /* A damaged record nested deeper than any error is: bounded. */
  for (guint i = 0; i < 12; i++)
    g_string_append (deep, "('<%s>', '', uint64 0, [<");
  g_string_append (deep, "'core'");
  for (guint i = 0; i < 12; i++)
    g_string_append (deep, ">])");
  deep_text = haul_error_text_parse (deep->str);
  g_assert_nonnull (deep_text);
  deep_rendered = haul_error_text_render (deep_text);
  g_assert_cmpstr (deep_rendered, ==, "<<<<<>>>>>");
}

/* Recorded in English, shown in German: the message of the day it is
 * read, not of the day it happened. */
static void
test_translated_later (void)
{
  g_autoptr(GError) reason = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *outer = german ("The server redirected to “%s”, which cannot be downloaded: %s");
  g_autofree char *inner = german ("Local files cannot be downloaded");
  g_autofree char *expected = NULL;
  g_autofree char *rendered = NULL;
  char *mark;

  haul_set_error_literal (&reason, HAUL_ERROR_INVALID_URL, "Local files cannot be downloaded");
  haul_set_error_because (&error, HAUL_ERROR_REDIRECT, reason,
                          "The server redirected to “%s”, which cannot be downloaded: %s",
                          "file:///x", reason->message);

  /* The catalogue is there: German is not English. */
  g_assert_cmpstr (outer, !=, "The server redirected to “%s”, which cannot be downloaded: %s");
  g_assert_cmpstr (inner, !=, "Local files cannot be downloaded");

  g_setenv ("LANGUAGE", "de", TRUE);
  rendered = haul_error_text_render (haul_error_get_text (error));
  g_setenv ("LANGUAGE", "C", TRUE);

  mark = strstr (outer, "%s");
  g_assert_nonnull (mark);
  expected = g_strdup_printf ("%.*sfile:///x%s", (int) (mark - outer), outer, mark + 2);
  mark = strstr (expected, "%s");
  g_assert_nonnull (mark);
  *mark = '\0';
  {
    g_autofree char *whole = g_strconcat (expected, inner, mark + 2, NULL);

    g_assert_cmpstr (rendered, ==, whole);
  }
}

/* A checksum that does not match is recorded with the download (it is
 * why it failed): said again in German, with both digests as they were. */
static void
test_checksum_mismatch (void)
{
  g_autoptr(HaulChecksumSpec) spec =
    haul_checksum_spec_parse ("md5=00112233445566778899aabbccddeeff", NULL);
  const guint8 digest[16] = { 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88,
                              0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00 };
  g_autoptr(GError) error = NULL;
  g_autofree char *outer = german ("The checksum does not match: expected %s, got %s");
  g_autofree char *rendered = NULL;
  g_auto(GStrv) pieces = NULL;
  g_autofree char *expected = NULL;

  g_assert_nonnull (spec);
  g_assert_false (haul_checksum_spec_check (spec, digest, sizeof digest, &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_MISMATCH);
  g_assert_nonnull (haul_error_get_text (error));
  g_assert_cmpstr (outer, !=, "The checksum does not match: expected %s, got %s");

  g_setenv ("LANGUAGE", "de", TRUE);
  rendered = haul_error_text_render (haul_error_get_text (error));
  g_setenv ("LANGUAGE", "C", TRUE);

  pieces = g_strsplit (outer, "%s", 3);
  g_assert_cmpuint (g_strv_length (pieces), ==, 3);
  expected = g_strconcat (pieces[0], "00112233445566778899aabbccddeeff", pieces[1],
                          "ffeeddccbbaa99887766554433221100", pieces[2], NULL);
  g_assert_cmpstr (rendered, ==, expected);
}

/* The whole way: a real failure, recorded, read back by a new start in
 * another language. */
static void
test_download_and_store (void)
{
  g_autofree char *tmpdir = haul_test_make_tmpdir ();
  g_autofree char *folder = g_build_filename (tmpdir, "Downloads", NULL);
  g_autofree char *db_path = g_build_filename (tmpdir, "downloads.db", NULL);
  g_autofree char *uri = NULL;
  g_autofree char *english = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *format = german ("The server answered %s %s");
  g_autofree char *expected = NULL;
  HaulTestServer *server = haul_test_server_new ();
  HaulStore *store = NULL;
  HaulQueue *queue = NULL;
  HaulDownload *download;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  char *mark;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  haul_test_server_add_status (server, "/gone.bin", 404);
  uri = haul_test_server_uri (server, "/gone.bin");

  haul_test_open_queue (db_path, &store, &queue);
  download = haul_queue_add (queue, uri, folder, &error);
  g_assert_no_error (error);
  while (haul_download_get_state (download) != HAUL_DOWNLOAD_FAILED
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (haul_download_get_state (download), ==, HAUL_DOWNLOAD_FAILED);
  english = haul_download_dup_error_text (download);
  g_assert_cmpstr (english, ==, "The server answered 404 Not Found");
  haul_test_close_queue (&store, &queue);

  g_setenv ("LANGUAGE", "de", TRUE);
  haul_test_open_queue (db_path, &store, &queue);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 1);
  download = g_list_model_get_item (G_LIST_MODEL (queue), 0);
  shown = haul_download_dup_error_text (download);
  g_setenv ("LANGUAGE", "C", TRUE);

  /* As it was recorded, for logs; shown in German. */
  g_assert_cmpstr (haul_download_get_error_message (download), ==,
                   "The server answered 404 Not Found");
  g_assert_cmpint (haul_download_get_error_code (download), ==, HAUL_ERROR_HTTP);
  mark = strstr (format, "%s %s");
  g_assert_nonnull (mark);
  *mark = '\0';
  expected = g_strdup_printf ("%s404 Not Found%s", format, mark + 5);
  g_assert_cmpstr (shown, ==, expected);
  g_assert_cmpstr (shown, !=, english);

  g_object_unref (download);
  haul_test_close_queue (&store, &queue);
  haul_test_server_free (server);
  haul_test_remove_tree (tmpdir);
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("HAUL_TEST_LOCALEDIR");

  /* English to begin with; the catalogues are the build's own. */
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/engine/error/message", test_message);
  g_test_add_func ("/haul/engine/error/plural-and-literal", test_plural_and_literal);
  g_test_add_func ("/haul/engine/error/positional", test_positional);
  g_test_add_func ("/haul/engine/error/because", test_because);
  g_test_add_func ("/haul/engine/error/serialize", test_serialize);
  g_test_add_func ("/haul/engine/error/translated-later", test_translated_later);
  g_test_add_func ("/haul/engine/error/checksum-mismatch", test_checksum_mismatch);
  g_test_add_func ("/haul/engine/error/download-and-store", test_download_and_store);

  return g_test_run ();
}
