/* haul-html-scan.c: the links and the text of a page or a selection
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A tolerant, one-pass scanner, not an HTML parser: it needs to find
 * <a href>, <area href> and <base href>, and the text between tags, in
 * whatever a browser hands over (a fragment, a saved page, broken markup),
 * without ever reading past the end. Comments and the content of script,
 * style, textarea and title are skipped; character references are decoded.
 */

#include "config.h"

#include <string.h>

#include "haul-html-scan.h"


static char *
decode_entities (const char *text,
                 gsize       length)
{
  static const struct { const char *name; gunichar c; } named[] = {
    { "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' }, { "quot;", '"' },
    { "apos;", '\'' }, { "nbsp;", 0xA0 }, { "amp", '&' },
  };
  GString *out = g_string_sized_new (length);
  const char *end = text + length;
  const char *p = text;

  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      gboolean decoded = FALSE;

      if (amp == NULL)
        {
          g_string_append_len (out, p, end - p);
          break;
        }

      g_string_append_len (out, p, amp - p);
      p = amp + 1;

      if (p < end && *p == '#')
        {
          gboolean hex = p + 1 < end && (p[1] == 'x' || p[1] == 'X');
          const char *digits = p + (hex ? 2 : 1);
          const char *q = digits;
          guint64 value = 0;

          while (q < end && (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)) &&
                 value <= 0x10FFFF)
            value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*q++)
                                                   : g_ascii_digit_value (*q++));

          if (q > digits && value > 0 && value <= 0x10FFFF && g_unichar_validate (value))
            {
              g_string_append_unichar (out, value);
              p = q < end && *q == ';' ? q + 1 : q;
              decoded = TRUE;
            }
        }
      else
        {
          for (guint i = 0; i < G_N_ELEMENTS (named); i++)
            {
              gsize name_length = strlen (named[i].name);

              if ((gsize) (end - p) >= name_length && strncmp (p, named[i].name, name_length) == 0)
                {
                  g_string_append_unichar (out, named[i].c);
                  p += name_length;
                  decoded = TRUE;
                  break;
                }
            }
        }

      if (!decoded)
        g_string_append_c (out, '&');
    }

  return g_string_free (out, FALSE);
}

/* The URL in an attribute value: HTML strips surrounding white space and
 * drops tabs and newlines inside. */
static char *
clean_href (const char *value,
            gsize       length)
{
  g_autofree char *decoded = decode_entities (value, length);
  GString *out = g_string_new (NULL);

  for (const char *p = decoded; *p != '\0'; p++)
    if (*p != '\t' && *p != '\n' && *p != '\r')
      g_string_append_c (out, *p);

  return g_strstrip (g_string_free (out, FALSE));
}

/* Reads one tag's attributes from just after its name; returns the
 * position after '>' and sets *href to the href value if there is one. */
static const char *
scan_attributes (const char  *p,
                 const char  *end,
                 char       **href)
{
  while (p < end)
    {
      const char *name;
      gsize name_length;
      const char *value = NULL;
      gsize value_length = 0;

      while (p < end && (g_ascii_isspace (*p) || *p == '/'))
        p++;
      if (p >= end)
        break;
      if (*p == '>')
        return p + 1;

      name = p;
      while (p < end && !g_ascii_isspace (*p) && *p != '=' && *p != '>' && *p != '/')
        p++;
      name_length = p - name;
      if (name_length == 0)
        {
          p++;
          continue;
        }

      while (p < end && g_ascii_isspace (*p))
        p++;
      if (p < end && *p == '=')
        {
          p++;
          while (p < end && g_ascii_isspace (*p))
            p++;
          if (p < end && (*p == '"' || *p == '\''))
            {
              const char *close = memchr (p + 1, *p, end - p - 1);

              value = p + 1;
              value_length = (close != NULL ? close : end) - value;
              p = close != NULL ? close + 1 : end;
            }
          else
            {
              value = p;
              while (p < end && !g_ascii_isspace (*p) && *p != '>')
                p++;
              value_length = p - value;
            }
        }

      if (value != NULL && *href == NULL && name_length == 4 &&
          g_ascii_strncasecmp (name, "href", 4) == 0)
        *href = clean_href (value, value_length);
    }

  return end;
}

/* Skips the content of elements whose text is not markup. */
static const char *
skip_raw_text (const char *p,
               const char *end,
               const char *tag)
{
  gsize tag_length = strlen (tag);

  while (p < end)
    {
      const char *lt = memchr (p, '<', end - p);

      if (lt == NULL)
        return end;
      if ((gsize) (end - lt) > tag_length + 1 && lt[1] == '/' &&
          g_ascii_strncasecmp (lt + 2, tag, tag_length) == 0)
        return lt;
      p = lt + 1;
    }

  return end;
}

/* Tags inside a line of text: the words on either side of one may be a
 * single address ("example.<wbr>org/file"). Every other tag ends a run of
 * text, so words in two cells or two paragraphs never join. */
static gboolean
is_inline_tag (const char *tag)
{
  static const char * const inline_tags[] = {
    "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "tt", "u",
    "var", "wbr",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inline_tags); i++)
    if (g_str_equal (tag, inline_tags[i]))
      return TRUE;

  return FALSE;
}

/* Ends the run of text collected so far, as one HAUL_HTML_TEXT item. Text that
 * has neither ':' nor '.' holds no address and costs no further work. */
static void
flush_html_text (GString *text,
                 GArray  *links)
{
  HaulHtmlPiece link = { NULL, HAUL_HTML_TEXT };

  if (text->len > 0 && (strchr (text->str, ':') != NULL || strchr (text->str, '.') != NULL))
    {
      link.value = g_strdup (text->str);
      g_array_append_val (links, link);
    }
  g_string_truncate (text, 0);
}

/* The links of a page or a selection, in document order, with the text
 * between them. The text of a link element is its label, not more links:
 * pages often show the address itself cut short ("https://example.org/lo…"). */
static void
collect (const char *text,
         GArray     *links)
{
  const char *end = text + strlen (text);
  const char *p = text;
  g_autoptr(GString) run = g_string_new (NULL);
  gboolean in_link = FALSE;

  while (p < end)
    {
      const char *lt = memchr (p, '<', end - p);
      const char *name;
      g_autofree char *tag = NULL;
      HaulHtmlPiece link = { NULL, HAUL_HTML_LINK };
      gboolean closing = FALSE;

      if (!in_link && (lt != NULL ? lt : end) > p)
        {
          g_autofree char *decoded = decode_entities (p, (lt != NULL ? lt : end) - p);
          g_string_append (run, decoded);
        }
      if (lt == NULL)
        break;
      p = lt + 1;

      if ((gsize) (end - p) >= 3 && strncmp (p, "!--", 3) == 0)
        {
          const char *close = g_strstr_len (p + 3, end - p - 3, "-->");

          p = close != NULL ? close + 3 : end;
          continue;
        }

      if (p < end && *p == '/')
        {
          closing = TRUE;
          p++;
        }

      if (p >= end || !g_ascii_isalpha (*p))
        {
          const char *gt = memchr (p, '>', end - p);

          p = gt != NULL ? gt + 1 : end;
          continue;
        }

      name = p;
      while (p < end && g_ascii_isalnum (*p))
        p++;
      tag = g_ascii_strdown (name, p - name);

      if (!is_inline_tag (tag))
        flush_html_text (run, links);

      if (closing)
        {
          const char *gt = memchr (p, '>', end - p);

          if (g_str_equal (tag, "a"))
            in_link = FALSE;
          p = gt != NULL ? gt + 1 : end;
        }
      else if (g_str_equal (tag, "a") || g_str_equal (tag, "area") || g_str_equal (tag, "base"))
        {
          p = scan_attributes (p, end, &link.value);
          if (g_str_equal (tag, "a"))
            in_link = link.value != NULL;
          if (link.value != NULL)
            {
              link.kind = g_str_equal (tag, "base") ? HAUL_HTML_BASE : HAUL_HTML_LINK;
              g_array_append_val (links, link);
            }
        }
      else
        {
          p = scan_attributes (p, end, &link.value);
          g_free (link.value);
          if (g_str_equal (tag, "script") || g_str_equal (tag, "style") ||
              g_str_equal (tag, "textarea") || g_str_equal (tag, "title"))
            p = skip_raw_text (p, end, tag);
        }
    }

  flush_html_text (run, links);
}

static void
clear_piece (HaulHtmlPiece *piece)
{
  g_clear_pointer (&piece->value, g_free);
}

/**
 * haul_html_scan:
 * @text: the page or selection, valid UTF-8, nul-terminated
 *
 * Returns: (transfer full) (element-type HaulHtmlPiece): the pieces in
 *   document order; freeing the array frees them
 */
GArray *
haul_html_scan (const char *text)
{
  GArray *pieces = g_array_new (FALSE, TRUE, sizeof (HaulHtmlPiece));

  g_return_val_if_fail (text != NULL, pieces);

  g_array_set_clear_func (pieces, (GDestroyNotify) clear_piece);
  collect (text, pieces);
  return pieces;
}
