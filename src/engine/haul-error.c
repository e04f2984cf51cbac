/* haul-error.c
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How a message is said again in another language
 *
 * A failure is recorded with the download and shown later, maybe after
 * the user has switched languages: a message translated once would stay
 * in the language of the moment it happened. So the errors made with
 * haul_set_error() keep, beside their message, what made it: a "text",
 * the GVariant
 *
 *   (s singular, s plural or "", t count, av arguments)
 *
 * whose arguments are each a string, put in as it is, or a text of its
 * own (the reason of haul_set_error_because()), translated again too.
 * GLib's extended error domains carry it in the GError, so it survives
 * g_error_copy() and g_propagate_error() on its way to the main thread.
 *
 * Only %s and %% are understood: numbers are put in as strings by the
 * callers, and a translation may take the arguments in another order
 * with %1$s, %2$s (msgfmt --check holds translations to the same
 * conversions as their msgid).
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "haul-error.h"

#define TEXT_TYPE "(sstav)"
#define MAX_ARGUMENTS 9
#define MAX_DEPTH 4

typedef struct
{
  GVariant *text;  /* (owned) (nullable) TEXT_TYPE */
} HaulErrorPrivate;

static void
haul_error_private_init (HaulErrorPrivate *priv)
{
  priv->text = NULL;
}

static void
haul_error_private_copy (const HaulErrorPrivate *src,
                         HaulErrorPrivate       *dest)
{
  dest->text = src->text != NULL ? g_variant_ref (src->text) : NULL;
}

static void
haul_error_private_clear (HaulErrorPrivate *priv)
{
  g_clear_pointer (&priv->text, g_variant_unref);
}

G_DEFINE_EXTENDED_ERROR (HaulError, haul_error)

/* @format with each %s replaced by the next of @arguments (or the one
 * %N$s names) and %% by %. */
static char *
substitute (const char  *format,
            const char **arguments,
            guint        n_arguments)
{
  GString *out = g_string_new (NULL);
  guint next = 0;

  for (const char *p = format; *p != '\0'; p++)
    {
      guint index;

      if (*p != '%')
        {
          g_string_append_c (out, *p);
          continue;
        }
      if (p[1] == '%')
        {
          g_string_append_c (out, '%');
          p++;
          continue;
        }
      if (p[1] == 's')
        {
          index = next++;
          p++;
        }
      else if (p[1] >= '1' && p[1] <= '9' && p[2] == '$' && p[3] == 's')
        {
          index = (guint) (p[1] - '1');
          p += 3;
        }
      else
        {
          /* Not ours: left as it is rather than guessed at. */
          g_string_append_c (out, *p);
          continue;
        }
      if (index < n_arguments)
        g_string_append (out, arguments[index]);
    }
  return g_string_free (out, FALSE);
}

static char *
render (GVariant *text,
        guint     depth)
{
  g_autoptr(GVariant) arguments = NULL;
  const char *singular, *plural, *format;
  const char *strings[MAX_ARGUMENTS] = { NULL, };
  char *owned[MAX_ARGUMENTS] = { NULL, };
  guint64 n;
  gsize n_arguments;
  char *result;

  g_variant_get (text, "(&s&st@av)", &singular, &plural, &n, &arguments);
  if (*plural != '\0')
    format = g_dngettext (GETTEXT_PACKAGE, singular, plural, (gulong) MIN (n, G_MAXULONG));
  else
    format = g_dgettext (GETTEXT_PACKAGE, singular);

  n_arguments = MIN (g_variant_n_children (arguments), MAX_ARGUMENTS);
  for (gsize i = 0; i < n_arguments; i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (arguments, i);
      g_autoptr(GVariant) argument = g_variant_get_variant (boxed);

      if (g_variant_is_of_type (argument, G_VARIANT_TYPE_STRING))
        strings[i] = owned[i] = g_variant_dup_string (argument, NULL);
      else if (g_variant_is_of_type (argument, G_VARIANT_TYPE (TEXT_TYPE)) && depth < MAX_DEPTH)
        strings[i] = owned[i] = render (argument, depth + 1);
      else
        strings[i] = "";
    }

  result = substitute (format, strings, (guint) n_arguments);
  for (gsize i = 0; i < n_arguments; i++)
    g_free (owned[i]);
  return result;
}

/* Counts the %s of @format: the arguments it takes. */
static guint
count_arguments (const char *format)
{
  guint n = 0;

  for (const char *p = format; *p != '\0'; p++)
    if (*p == '%')
      {
        if (p[1] == 's')
          n++;
        else
          g_return_val_if_fail (p[1] == '%', n);
        p++;
      }
  return n;
}

static GVariant *
make_text (const char   *singular,
           const char   *plural,
           gulong        n,
           const GError *reason,
           va_list       args)
{
  GVariantBuilder builder;
  guint n_arguments = count_arguments (singular);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
  for (guint i = 0; i < n_arguments; i++)
    {
      GVariant *text = NULL;

      if (reason != NULL && i + 1 == n_arguments)
        {
          (void) va_arg (args, const char *);  /* reason->message, for the format's check */
          text = haul_error_get_text (reason);
          if (text != NULL)
            g_variant_builder_add (&builder, "v", text);
          else
            {
              g_autofree char *valid = g_utf8_make_valid (reason->message, -1);

              g_variant_builder_add (&builder, "v", g_variant_new_string (valid));
            }
        }
      else
        {
          const char *argument = va_arg (args, const char *);
          g_autofree char *valid = g_utf8_make_valid (argument != NULL ? argument : "", -1);

          g_variant_builder_add (&builder, "v", g_variant_new_string (valid));
        }
    }
  return g_variant_ref_sink (g_variant_new ("(sst@av)", singular, plural != NULL ? plural : "",
                                            (guint64) n, g_variant_builder_end (&builder)));
}

static void
set_text_error (GError   **error,
                HaulError  code,
                GVariant  *text)
{
  g_autofree char *message = render (text, 0);
  GError *made;

  made = g_error_new_literal (HAUL_ERROR, code, message);
  haul_error_get_private (made)->text = text;
  g_propagate_error (error, made);
}

/**
 * haul_set_error:
 * @error: (out) (optional): where to put the error
 * @code: what went wrong
 * @format: the untranslated message, with %s for each argument
 * @...: the arguments, strings
 *
 * Sets @error to a HAUL_ERROR whose message can be translated again
 * later (haul_error_get_text()).
 */
void
haul_set_error (GError     **error,
                HaulError    code,
                const char  *format,
                ...)
{
  va_list args;
  GVariant *text;

  g_return_if_fail (format != NULL);

  if (error == NULL)
    return;
  va_start (args, format);
  text = make_text (format, NULL, 0, NULL, args);
  va_end (args);
  set_text_error (error, code, text);
}

void
haul_set_error_literal (GError     **error,
                        HaulError    code,
                        const char  *msgid)
{
  GVariant *text;

  g_return_if_fail (msgid != NULL);

  if (error == NULL)
    return;
  text = g_variant_ref_sink (g_variant_new ("(sst@av)", msgid, "", (guint64) 0,
                                            g_variant_new_array (G_VARIANT_TYPE_VARIANT,
                                                                 NULL, 0)));
  set_text_error (error, code, text);
}

void
haul_set_error_plural (GError     **error,
                       HaulError    code,
                       const char  *singular,
                       const char  *plural,
                       gulong       n,
                       ...)
{
  va_list args;
  GVariant *text;

  g_return_if_fail (singular != NULL && plural != NULL);
  g_return_if_fail (count_arguments (singular) == count_arguments (plural));

  if (error == NULL)
    return;
  va_start (args, n);
  text = make_text (singular, plural, n, NULL, args);
  va_end (args);
  set_text_error (error, code, text);
}

void
haul_set_error_because (GError       **error,
                        HaulError      code,
                        const GError  *reason,
                        const char    *format,
                        ...)
{
  va_list args;
  GVariant *text;

  g_return_if_fail (reason != NULL);
  g_return_if_fail (format != NULL && count_arguments (format) > 0);

  if (error == NULL)
    return;
  va_start (args, format);
  text = make_text (format, NULL, 0, reason, args);
  va_end (args);
  set_text_error (error, code, text);
}

/**
 * haul_error_get_text:
 * @error: (nullable): an error
 *
 * Returns: (transfer none) (nullable): the message of @error as it can be
 *   translated again, if haul_set_error() or its kin made it
 */
GVariant *
haul_error_get_text (const GError *error)
{
  if (error == NULL || error->domain != HAUL_ERROR)
    return NULL;
  return haul_error_get_private (error)->text;
}

/**
 * haul_error_text_render:
 * @text: a text from haul_error_get_text() or haul_error_text_parse()
 *
 * Returns: (transfer full): the message in the language of now
 */
char *
haul_error_text_render (GVariant *text)
{
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (g_variant_is_of_type (text, G_VARIANT_TYPE (TEXT_TYPE)), NULL);

  return render (text, 0);
}

char *
haul_error_text_serialize (GVariant *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  /* Annotated: the arguments are variants, strings or texts. */
  return g_variant_print (text, TRUE);
}

/**
 * haul_error_text_parse:
 * @serialized: (nullable): what haul_error_text_serialize() made
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if @serialized
 *   is not one (from another version, or damaged)
 */
GVariant *
haul_error_text_parse (const char *serialized)
{
  g_autoptr(GVariant) text = NULL;

  if (serialized == NULL || *serialized == '\0')
    return NULL;
  text = g_variant_parse (G_VARIANT_TYPE (TEXT_TYPE), serialized, NULL, NULL, NULL);
  if (text == NULL)
    return NULL;
  return g_steal_pointer (&text);
}

/**
 * haul_error_is_resumable:
 * @error: (nullable): an error from a transfer
 *
 * Returns: %TRUE if retrying can continue from the bytes already on disk.
 */
gboolean
haul_error_is_resumable (const GError *error)
{
  if (error == NULL || error->domain != HAUL_ERROR)
    return FALSE;

  switch ((HaulError) error->code)
    {
    case HAUL_ERROR_TRUNCATED:
    case HAUL_ERROR_NETWORK:
    case HAUL_ERROR_STALLED:
    case HAUL_ERROR_DISK_FULL:
    case HAUL_ERROR_SERVER_BUSY:
    case HAUL_ERROR_STORE:
      return TRUE;

    case HAUL_ERROR_INVALID_URL:
    case HAUL_ERROR_HTTP:
    case HAUL_ERROR_PROTOCOL:
    case HAUL_ERROR_REDIRECT:
    case HAUL_ERROR_TLS:
    case HAUL_ERROR_FILE:
    case HAUL_ERROR_PARTIAL_MISSING:
    case HAUL_ERROR_PARTIAL_MISMATCH:
    case HAUL_ERROR_ALREADY_RUNNING:
    case HAUL_ERROR_FOLDER_GONE:
    /* Downloading the same bytes again gives the same checksum: only
     * starting over (Download Again) can help. */
    case HAUL_ERROR_CHECKSUM_MISMATCH:
    case HAUL_ERROR_CHECKSUM_INVALID:
    case HAUL_ERROR_UNAUTHORIZED:
    case HAUL_ERROR_DAEMON:
    default:
      return FALSE;
    }
}

gboolean
haul_error_is_invisible_char (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SURROGATE:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * haul_error_printable:
 * @text: what came from outside
 * @length: its length in bytes, or -1 if nul-terminated
 * @replacement: what an invisible character becomes
 *
 * Only C0 controls were replaced before: tests/fuzz/ found C1 controls
 * ("\u009b" can start a terminal escape) and bidi overrides in messages.
 *
 * Returns: (transfer full): the text, safe to show
 */
char *
haul_error_printable (const char *text,
                      gssize      length,
                      gunichar    replacement)
{
  g_autofree char *valid = NULL;
  GString *out;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  valid = g_utf8_make_valid (text != NULL ? text : "", length);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, haul_error_is_invisible_char (c) ? replacement : c);
    }
  return g_string_free (out, FALSE);
}
