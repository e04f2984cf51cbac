/* haul-browser-message.c: the native messaging protocol, both directions
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Chromium and Firefox speak the same protocol to a native host: each
 * message is a 32-bit length in the machine's byte order followed by that
 * many bytes of UTF-8 JSON, on the host's stdin (requests) and stdout
 * (answers). Anything on stdout that is not a message breaks the channel,
 * so nothing else may ever be written there.
 *
 * What is refused here, before a single field is looked at: a length over
 * 1 MiB (a page could otherwise make the host allocate up to 4 GiB), a
 * stream that stops inside a message, text that is not UTF-8, and JSON
 * holding a NUL character, which json-glib would silently cut the string
 * at ("https://site/a\u0000evil" must not become "https://site/a").
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "haul-browser-message.h"
#include "haul-error.h"

/* Reads exactly @size bytes; FALSE with HAUL_ERROR_PROTOCOL when the
 * stream ends first, *n_read telling how many came. */
static gboolean
read_exactly (GInputStream  *input,
              void          *buffer,
              gsize          size,
              gsize         *n_read,
              GCancellable  *cancellable,
              GError       **error)
{
  if (!g_input_stream_read_all (input, buffer, size, n_read, cancellable, error))
    return FALSE;

  if (*n_read < size)
    {
      g_set_error_literal (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                           _("The message from the browser was cut short"));
      return FALSE;
    }

  return TRUE;
}

GBytes *
haul_browser_message_read (GInputStream  *input,
                           GCancellable  *cancellable,
                           GError       **error)
{
  guint8 header[4];
  guint32 length;
  gsize n_read = 0;
  g_autofree guint8 *body = NULL;

  g_return_val_if_fail (G_IS_INPUT_STREAM (input), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_exactly (input, header, sizeof header, &n_read, cancellable, error))
    {
      /* Nothing at all: the browser is done with us. */
      if (n_read == 0 && error != NULL && g_error_matches (*error, HAUL_ERROR,
                                                           HAUL_ERROR_PROTOCOL))
        g_clear_error (error);
      return NULL;
    }

  memcpy (&length, header, sizeof length);
  if (length > HAUL_BROWSER_MAX_MESSAGE_BYTES)
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                   _("The message from the browser is too large (%u bytes, at most %u)"),
                   length, (guint) HAUL_BROWSER_MAX_MESSAGE_BYTES);
      return NULL;
    }

  body = g_malloc (MAX (length, 1));
  if (!read_exactly (input, body, length, &n_read, cancellable, error))
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&body), length);
}

gboolean
haul_browser_message_write (GOutputStream  *output,
                            const char     *json,
                            GCancellable   *cancellable,
                            GError        **error)
{
  gsize size;
  guint32 length;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (output), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  size = strlen (json);
  g_return_val_if_fail (size < HAUL_BROWSER_MAX_MESSAGE_BYTES, FALSE);

  length = size;
  return g_output_stream_write_all (output, &length, sizeof length, NULL, cancellable, error) &&
         g_output_stream_write_all (output, json, size, NULL, cancellable, error) &&
         g_output_stream_flush (output, cancellable, error);
}

/* TRUE if the JSON text holds the escape \u0000 (with any hex case). */
static gboolean
has_nul_escape (const char *text,
                gsize       length)
{
  for (gsize i = 0; i + 1 < length; i++)
    {
      if (text[i] != '\\')
        continue;
      if (text[i + 1] == 'u' && i + 5 < length && memcmp (text + i + 2, "0000", 4) == 0)
        return TRUE;
      i++;  /* the escaped character, so "\\u0000" (an escaped backslash) is text */
    }

  return FALSE;
}

static gboolean
wrong_type (const char  *key,
            GError     **error)
{
  /* Translators: %s is the name of a field in the request, e.g. "userAgent". */
  g_set_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL, _("“%s” in the request must be text"), key);
  return FALSE;
}

static gboolean
is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
add_urls (GVariantDict  *dict,
          JsonNode      *node,
          GError       **error)
{
  JsonArray *array;
  guint n;
  g_autoptr(GPtrArray) urls = g_ptr_array_new ();

  if (!JSON_NODE_HOLDS_ARRAY (node))
    goto bad;

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!is_string (element))
        goto bad;
      g_ptr_array_add (urls, (gpointer) json_node_get_string (element));
    }
  g_ptr_array_add (urls, NULL);

  g_variant_dict_insert_value (dict, "urls",
                               g_variant_new_strv ((const char * const *) urls->pdata, -1));
  return TRUE;

bad:
  g_set_error_literal (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                       _("“urls” in the request must be a list of links"));
  return FALSE;
}

static gboolean
add_member (GVariantDict  *dict,
            const char    *key,
            JsonNode      *node,
            GError       **error)
{
  static const char * const text_keys[] = {
    "url", "referrer", "userAgent", "cookies", "filename", NULL
  };

  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (g_strv_contains (text_keys, key))
    {
      if (!is_string (node))
        return wrong_type (key, error);
      g_variant_dict_insert (dict, key, "s", json_node_get_string (node));
    }
  else if (g_str_equal (key, "urls"))
    {
      return add_urls (dict, node, error);
    }
  else if (g_str_equal (key, "ping"))
    {
      g_variant_dict_insert (dict, key, "b",
                             JSON_NODE_HOLDS_VALUE (node) &&
                             json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
                             json_node_get_boolean (node));
    }

  return TRUE;
}

GVariant *
haul_browser_message_parse (GBytes  *message,
                            GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  JsonNode *root;
  const char *text;
  gsize length;

  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = g_bytes_get_data (message, &length);
  if (length == 0 || text == NULL || !g_utf8_validate (text, length, NULL) ||
      memchr (text, '\0', length) != NULL || has_nul_escape (text, length) ||
      !json_parser_load_from_data (parser, text, length, NULL))
    {
      g_set_error_literal (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                           _("The message from the browser is not valid JSON"));
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                           _("The message from the browser is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (!add_member (&dict, l->data, json_object_get_member (object, l->data), error))
      return NULL;

  return g_variant_dict_end (&dict);
}

static char *
generate (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
haul_browser_message_answer (const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, error == NULL);
  if (error != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error->message);
    }
  json_builder_end_object (builder);
  return generate (builder);
}

char *
haul_browser_message_pong (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);
  return generate (builder);
}
