/* haul-link-parser.c: dropped or pasted content → http(s) URLs
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What is accepted, and why:
 * - Only absolute http:// and https:// URLs with a valid host. Each is
 *   normalised through GUri: lower-case scheme and host, IDN host as
 *   punycode, default port dropped, empty path → "/", spaces and non-ASCII
 *   characters percent-encoded, and the #fragment dropped (a server never
 *   sees it, so "a#x" and "a#y" download the same file) — in
 *   haul-link-address.c. Duplicates are removed after normalising; the
 *   first occurrence keeps its place.
 * - Plain text is split into tokens at white space, control characters,
 *   `<>"` and non-ASCII punctuation. A token holding "scheme://" is a link
 *   from that scheme to the end of the token, minus trailing punctuation
 *   (`.,;:!?'"*` and a `)]}` that closes nothing inside the link, so
 *   Wikipedia's "Foo_(bar)" keeps its parenthesis). A token starting with
 *   "www." and a further dot is taken as https:// (what browsers do with
 *   a typed address), and so is a host name with a dot followed by a
 *   path ("example.org/file.iso"). Other words are prose and ignored
 *   silently; links of other schemes (ftp://, javascript:, mailto:,
 *   magnet:) are reported.
 * - HTML (a page, or a selection as browsers offer it) gives its <a href>
 *   and <area href> links, resolved against <base href> or the page's
 *   address, and the addresses written in its text, read as plain text
 *   above. The text of a link element is its label and is not read.
 * - Every format decodes tolerantly: invalid UTF-8 and NUL bytes become
 *   U+FFFD, which separates tokens; trailing NUL terminators are dropped.
 *   The scan is one pass over the text (1 MB takes a few milliseconds).
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "haul-error.h"
#include "haul-html-scan.h"
#include "haul-link-address.h"
#include "haul-link-file.h"
#include "haul-link-list.h"
#include "haul-link-parser.h"
#include "haul-naming.h"
#include "haul-url.h"

#define MAX_DISPLAY_CHARS     80
#define REPLACEMENT_CHAR      0xFFFD

typedef enum
{
  ENCODING_UTF8,
  ENCODING_UTF16,       /* little-endian unless a BOM says otherwise */
  ENCODING_GUESS,       /* UTF-8, or UTF-16 if a BOM or the NUL pattern says so */
} Encoding;

typedef struct
{
  HaulLinkList *list;
  GHashTable   *seen_urls;      /* (owned) normalised URLs already in list->urls */
  GHashTable   *seen_rejected;  /* (owned) texts already in list->rejected */
  guint         n_found;        /* pieces that looked like links, good or bad */
} Parser;

static void parse_plain_text (Parser     *parser,
                              const char *text);

/* Small helpers */

static gboolean
has_prefix_ascii_nocase (const char *text,
                         gsize       length,
                         const char *prefix)
{
  gsize prefix_length = strlen (prefix);

  return length >= prefix_length && g_ascii_strncasecmp (text, prefix, prefix_length) == 0;
}

/* The piece as a person may read it: valid UTF-8, invisible characters
 * (C0 and C1 controls, bidi overrides: haul_error_is_invisible_char())
 * made visible, at most MAX_DISPLAY_CHARS characters. */
static char *
shorten_for_display (const char *text,
                     gsize       length)
{
  g_autofree char *valid = g_utf8_make_valid (text, length);
  GString *out = g_string_new (NULL);
  guint n_chars = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n_chars == MAX_DISPLAY_CHARS - 1 && *g_utf8_next_char (p) != '\0')
        {
          g_string_append (out, "…");
          break;
        }

      if (haul_error_is_invisible_char (c))
        g_string_append_unichar (out, REPLACEMENT_CHAR);
      else
        g_string_append_unichar (out, c);
      n_chars++;
    }

  return g_string_free (out, FALSE);
}

static void
parser_reject (Parser     *parser,
               const char *text,
               gsize       length,
               const char *reason)
{
  HaulRejectedLink *rejected;
  char *display = shorten_for_display (text, length);

  parser->n_found++;

  /* The same garbage twice is reported once. */
  if (!g_hash_table_add (parser->seen_rejected, display))
    return;

  rejected = g_new0 (HaulRejectedLink, 1);
  rejected->text = g_strdup (display);
  rejected->reason = g_strdup (reason);
  g_ptr_array_add (parser->list->rejected, rejected);
}

/* Adds a link if it is valid and new; reports it otherwise. @link is what
 * gets normalised, @text what a rejection shows. */
static void
parser_add_full (Parser     *parser,
                 const char *link,
                 gsize       link_length,
                 const char *base_uri,
                 const char *text,
                 gsize       length)
{
  const char *reason = NULL;
  char *url = haul_link_address_normalize (link, link_length, base_uri, &reason);

  if (url == NULL)
    {
      parser_reject (parser, text, length, reason);
      return;
    }

  parser->n_found++;
  if (g_hash_table_contains (parser->seen_urls, url))
    {
      g_free (url);
      return;
    }

  g_hash_table_add (parser->seen_urls, url);
  g_ptr_array_add (parser->list->urls, g_strdup (url));
}

static void
parser_add (Parser     *parser,
            const char *text,
            gsize       length,
            const char *base_uri)
{
  parser_add_full (parser, text, length, base_uri, text, length);
}

/* Decoding */

static gboolean
looks_like_utf16le (const guint8 *data,
                    gsize         length)
{
  gsize n = MIN (length, 256) & ~(gsize) 1;
  guint zeros_odd = 0;
  guint zeros_even = 0;

  if (n < 4)
    return FALSE;

  for (gsize i = 0; i < n; i += 2)
    {
      zeros_even += data[i] == 0;
      zeros_odd += data[i + 1] == 0;
    }

  /* ASCII text in UTF-16LE: every high byte is zero, low bytes are not. */
  return zeros_odd * 10 >= (n / 2) * 9 && zeros_even * 10 <= n / 2;
}

static char *
decode_utf16 (const guint8 *data,
              gsize         length,
              gboolean      big_endian)
{
  GString *out = g_string_sized_new (length / 2 + 1);
  gsize n_units = length / 2;

  /* NUL terminators at the end are not text. */
  while (n_units > 0 && data[2 * n_units - 1] == 0 && data[2 * n_units - 2] == 0)
    n_units--;

  for (gsize i = 0; i < n_units; i++)
    {
      const guint8 *unit = data + 2 * i;
      gunichar c = big_endian ? (unit[0] << 8 | unit[1]) : (unit[1] << 8 | unit[0]);

      if (c >= 0xD800 && c < 0xDC00 && i + 1 < n_units)
        {
          const guint8 *next = unit + 2;
          gunichar low = big_endian ? (next[0] << 8 | next[1]) : (next[1] << 8 | next[0]);

          if (low >= 0xDC00 && low < 0xE000)
            {
              c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
              i++;
            }
          else
            {
              c = REPLACEMENT_CHAR;
            }
        }
      else if ((c >= 0xD800 && c < 0xE000) || c == 0)
        {
          c = REPLACEMENT_CHAR;
        }

      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* Always returns valid, nul-terminated UTF-8 without embedded NULs. */
static char *
decode_text (const guint8 *data,
             gsize         length,
             Encoding      encoding)
{
  if (length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    return decode_text (data + 3, length - 3, ENCODING_UTF8);
  if (encoding != ENCODING_UTF8 && length >= 2 && data[0] == 0xFF && data[1] == 0xFE)
    return decode_utf16 (data + 2, length - 2, FALSE);
  if (encoding != ENCODING_UTF8 && length >= 2 && data[0] == 0xFE && data[1] == 0xFF)
    return decode_utf16 (data + 2, length - 2, TRUE);

  if (encoding == ENCODING_UTF16 ||
      (encoding == ENCODING_GUESS && looks_like_utf16le (data, length)))
    return decode_utf16 (data, length, FALSE);

  while (length > 0 && data[length - 1] == 0)
    length--;

  /* Turns NUL bytes and invalid sequences into U+FFFD. */
  return g_utf8_make_valid ((const char *) data, length);
}

/* Lines of a decoded text: calls @func with each line, trimmed. */
typedef void (*LineFunc) (Parser     *parser,
                          const char *line,
                          gsize       length,
                          guint       index,
                          gpointer    user_data);

static void
foreach_line (Parser     *parser,
              const char *text,
              LineFunc    func,
              gpointer    user_data)
{
  const char *p = text;
  guint index = 0;

  while (*p != '\0')
    {
      const char *end = strchr (p, '\n');
      const char *next = end != NULL ? end + 1 : p + strlen (p);
      const char *start = p;

      if (end == NULL)
        end = next;

      while (start < end && g_ascii_isspace (*start))
        start++;
      while (end > start && g_ascii_isspace (end[-1]))
        end--;

      func (parser, start, end - start, index++, user_data);
      p = next;
    }
}

/* Local text files of links (from text/uri-list), read by haul-link-file.c */

static void parse_html (Parser     *parser,
                        const char *text,
                        const char *base_uri);

static void
parse_local_file (Parser     *parser,
                  const char *line,
                  gsize       length)
{
  g_autofree char *uri = g_strndup (line, length);
  g_autofree char *path = NULL;
  g_autofree char *hostname = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *content_type = NULL;
  const char *reason = NULL;
  guint n_before = parser->n_found;
  gsize size = 0;

  path = g_filename_from_uri (uri, &hostname, NULL);
  if (path == NULL ||
      (hostname != NULL && g_ascii_strcasecmp (hostname, "localhost") != 0 &&
       g_ascii_strcasecmp (hostname, g_get_host_name ()) != 0))
    {
      parser_reject (parser, line, length, _("Not a file on this computer"));
      return;
    }

  /* A browser's partial download is not a file of links: the window
   * offers to continue it (haul_queue_adopt_async()). */
  {
    g_autofree char *name = g_path_get_basename (path);

    if (haul_naming_browser_partial (name, NULL))
      {
        if (!g_ptr_array_find_with_equal_func (parser->list->partials, path, g_str_equal, NULL))
          g_ptr_array_add (parser->list->partials, g_steal_pointer (&path));
        return;
      }
  }

  contents = haul_link_file_read (path, &size, &reason);
  if (contents == NULL)
    {
      parser_reject (parser, line, length, reason);
      return;
    }

  /* Links in a saved web page count too (relative ones point at local
   * files, and are reported as such). */
  content_type = g_content_type_guess (path, (const guchar *) contents, size, NULL);
  if (g_content_type_is_a (content_type, "text/html"))
    parse_html (parser, contents, uri);
  else
    parse_plain_text (parser, contents);

  /* Links that were all duplicates still count as found. */
  if (size == 0)
    parser_reject (parser, line, length, _("The file is empty"));
  else if (parser->n_found == n_before)
    parser_reject (parser, line, length, _("No links found in the file"));
}

/* text/uri-list (RFC 2483) */

static void
uri_list_line (Parser     *parser,
               const char *line,
               gsize       length,
               guint       index,
               gpointer    user_data)
{
  if (length == 0 || line[0] == '#')
    return;

  if (has_prefix_ascii_nocase (line, length, "file:"))
    parse_local_file (parser, line, length);
  else
    parser_add (parser, line, length, NULL);
}

/* text/x-moz-url and _NETSCAPE_URL: "url\ntitle" pairs, titles ignored */

static void
url_title_line (Parser     *parser,
                const char *line,
                gsize       length,
                guint       index,
                gpointer    user_data)
{
  if (index % 2 != 0 || length == 0)
    return;

  parser_add (parser, line, length, NULL);
}

/* text/plain */

static gboolean
is_separator (gunichar c)
{
  if (c < 0x80)
    return c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == '`';

  return c == REPLACEMENT_CHAR || g_unichar_isspace (c) || g_unichar_ispunct (c) ||
         g_unichar_type (c) == G_UNICODE_FORMAT;
}

static gboolean
is_scheme_char (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '-' || c == '.';
}

/* Drops trailing punctuation that belongs to the prose around a link. */
static gsize
trim_trailing_punctuation (const char *text,
                           gsize       length)
{
  int open[3] = { 0, 0, 0 };
  int close[3] = { 0, 0, 0 };
  const char *closing = ")]}";

  for (gsize i = 0; i < length; i++)
    {
      switch (text[i])
        {
        case '(': open[0]++; break;
        case '[': open[1]++; break;
        case '{': open[2]++; break;
        case ')': close[0]++; break;
        case ']': close[1]++; break;
        case '}': close[2]++; break;
        default: break;
        }
    }

  while (length > 0)
    {
      char last = text[length - 1];
      const char *c = strchr (closing, last);

      if (strchr (".,;:!?'\"*", last) != NULL)
        {
          length--;
        }
      else if (c != NULL)
        {
          int kind = c - closing;

          /* Keep a parenthesis that closes one opened inside the link. */
          if (close[kind] <= open[kind])
            break;
          close[kind]--;
          length--;
        }
      else
        {
          break;
        }
    }

  return length;
}

/* "example.org/file.iso": a host name with a dot, or an IPv4 address,
 * with an optional port, followed by a path. Prose is full of words with
 * dots (file.iso, e.g., v1.2) and with slashes (and/or, src/main.c); only
 * both together, with a last label of letters, read as an address. The
 * caller adds "https://" and normalises as any link. */
static gboolean
looks_like_bare_address (const char *text,
                         gsize       length)
{
  const char *slash = memchr (text, '/', length);
  const char *host_end;
  const char *label;
  guint n_labels = 0;
  gboolean last_alpha = TRUE;
  gsize last_length = 0;

  if (slash == NULL || slash == text)
    return FALSE;

  /* An optional ":port". */
  host_end = slash;
  for (const char *p = slash - 1; p > text; p--)
    {
      if (*p == ':')
        {
          if (p + 1 == slash)
            return FALSE;
          host_end = p;
          break;
        }
      if (!g_ascii_isdigit (*p))
        break;
    }

  label = text;
  for (const char *p = text; p <= host_end; p++)
    {
      if (p < host_end && *p != '.')
        {
          if (!g_ascii_isalnum (*p) && *p != '-')
            return FALSE;
          continue;
        }

      /* One label, text[label..p): not empty, no '-' at either end. */
      if (p == label || *label == '-' || p[-1] == '-')
        return FALSE;
      n_labels++;
      last_length = p - label;
      last_alpha = TRUE;
      for (const char *q = label; q < p; q++)
        last_alpha = last_alpha && g_ascii_isalpha (*q);
      label = p + 1;
    }

  if (n_labels < 2)
    return FALSE;
  if (last_alpha && last_length >= 2)
    return TRUE;

  /* Or four numbers: an IPv4 address. */
  {
    g_autofree char *host = g_strndup (text, host_end - text);

    return n_labels == 4 && g_hostname_is_ip_address (host);
  }
}

static void
scan_token (Parser     *parser,
            const char *token,
            gsize       length)
{
  const char *separator = g_strstr_len (token, length, "://");
  const char *end = token + length;

  if (separator != NULL)
    {
      const char *start = separator;
      g_autofree char *scheme = NULL;
      gsize link_length;

      while (start > token && is_scheme_char (start[-1]))
        start--;
      while (start < separator && !g_ascii_isalpha (*start))
        start++;
      if (start == separator)
        return;

      link_length = trim_trailing_punctuation (start, end - start);
      scheme = g_ascii_strdown (start, separator - start);

      if (g_str_equal (scheme, "http") || g_str_equal (scheme, "https"))
        parser_add (parser, start, link_length, NULL);
      else
        parser_reject (parser, start, link_length, haul_url_scheme_reason (scheme));
      return;
    }

  /* Opening punctuation of the prose before a link. */
  while (token < end && (*token == '(' || *token == '[' || *token == '{' ||
                         *token == '\'' || *token == '*'))
    token++;
  length = end - token;

  /* Most tokens are words: leave them before any further work. */
  if (length < 4)
    return;
  if (*token != 'j' && *token != 'J' && *token != 'm' && *token != 'M' &&
      *token != 'w' && *token != 'W' && memchr (token, '/', length) == NULL)
    return;
  length = trim_trailing_punctuation (token, length);

  if (has_prefix_ascii_nocase (token, length, "javascript:") ||
      has_prefix_ascii_nocase (token, length, "mailto:") ||
      has_prefix_ascii_nocase (token, length, "magnet:?"))
    {
      g_autofree char *scheme = g_ascii_strdown (token, strchr (token, ':') - token);

      /* A lone "mailto:" in prose is a word, not a link. */
      if (length > strlen (scheme) + 1)
        parser_reject (parser, token, length, haul_url_scheme_reason (scheme));
    }
  else if (has_prefix_ascii_nocase (token, length, "www.") && length > 4 &&
           memchr (token + 5, '.', length - 5) != NULL)
    {
      g_autofree char *full = g_strdup_printf ("https://%.*s", (int) length, token);

      parser_add_full (parser, full, strlen (full), NULL, token, length);
    }
  else if (looks_like_bare_address (token, length))
    {
      g_autofree char *full = g_strdup_printf ("https://%.*s", (int) length, token);

      parser_add_full (parser, full, strlen (full), NULL, token, length);
    }
}

/* Whether the character at @p separates tokens; ASCII without decoding. */
static inline gboolean
separator_at (const char *p)
{
  guchar c = *p;

  if (c < 0x80)
    return c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == '`';

  return is_separator (g_utf8_get_char (p));
}

static void
parse_plain_text (Parser     *parser,
                  const char *text)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && separator_at (p))
        p = g_utf8_next_char (p);

      start = p;
      while (*p != '\0' && !separator_at (p))
        p = g_utf8_next_char (p);

      if (p > start)
        scan_token (parser, start, p - start);
    }
}

static void
parse_html (Parser     *parser,
            const char *text,
            const char *base_uri)
{
  g_autoptr(GArray) links = haul_html_scan (text);
  g_autofree char *document_base = NULL;


  /* The first <base href> is the base of the whole document, even for the
   * links before it; it may itself be relative to where the page came from.
   * A base that is not a valid http(s) URL is ignored. */
  for (guint i = 0; i < links->len; i++)
    {
      HaulHtmlPiece *link = &g_array_index (links, HaulHtmlPiece, i);
      const char *reason = NULL;

      if (link->kind != HAUL_HTML_BASE)
        continue;
      if (base_uri != NULL || g_uri_peek_scheme (link->value) != NULL)
        document_base = haul_link_address_normalize (link->value, strlen (link->value),
                                                     base_uri, &reason);
      break;
    }
  if (document_base == NULL)
    document_base = g_strdup (base_uri);

  for (guint i = 0; i < links->len; i++)
    {
      HaulHtmlPiece *link = &g_array_index (links, HaulHtmlPiece, i);
      gsize length = strlen (link->value);

      if (link->kind == HAUL_HTML_TEXT)
        {
          parse_plain_text (parser, link->value);
          continue;
        }

      /* In-page anchors (#top) are navigation, not files. */
      if (link->kind == HAUL_HTML_BASE || length == 0 || link->value[0] == '#')
        continue;

      if (document_base == NULL && g_uri_peek_scheme (link->value) == NULL)
        parser_reject (parser, link->value, length,
                       _("A relative link, and the page it belongs to is not known"));
      else
        parser_add (parser, link->value, length, document_base);
    }
}

/* Entry points */

static char *
mime_type_base (const char *mime_type,
                Encoding   *encoding)
{
  const char *semicolon = strchr (mime_type, ';');
  g_autofree char *params = semicolon != NULL ? g_ascii_strdown (semicolon, -1) : NULL;
  g_autofree char *base = g_ascii_strdown (mime_type,
                                           semicolon != NULL ? semicolon - mime_type : -1);

  *encoding = ENCODING_GUESS;
  if (params != NULL && strstr (params, "charset=utf-16") != NULL)
    *encoding = ENCODING_UTF16;
  else if (params != NULL && strstr (params, "charset=utf-8") != NULL)
    *encoding = ENCODING_UTF8;

  return g_strstrip (g_steal_pointer (&base));
}

/**
 * haul_link_parse:
 * @mime_type: (nullable): the type of @data, as offered by a drop or the
 *   clipboard; %NULL for plain text
 * @data: (array length=length): the content, not necessarily nul-terminated
 * @length: the size of @data in bytes
 * @base_uri: (nullable): the address of the page @data came from, to
 *   resolve relative links in HTML
 *
 * Finds the http(s) links in dropped or pasted content. May read local files
 * named in a text/uri-list (see haul_link_parse_async()).
 *
 * Returns: (transfer full): the links and the rejected pieces
 */
HaulLinkList *
haul_link_parse (const char   *mime_type,
                 const guint8 *data,
                 gsize         length,
                 const char   *base_uri)
{
  Parser parser;
  g_autofree char *type = NULL;
  g_autofree char *text = NULL;
  Encoding encoding = ENCODING_GUESS;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  parser.list = haul_link_list_new ();
  parser.seen_urls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  parser.seen_rejected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  parser.n_found = 0;

  type = mime_type_base (mime_type != NULL ? mime_type : "text/plain", &encoding);
  if (data == NULL)
    data = (const guint8 *) "";

  if (g_str_equal (type, "text/x-moz-url") || g_str_equal (type, "text/unicode"))
    {
      /* Firefox sends UTF-16 (host order, little-endian here); some other
       * programs offer the same type in UTF-8, which has no NUL bytes. */
      if (encoding == ENCODING_GUESS)
        encoding = length > 0 && memchr (data, '\0', length) == NULL ? ENCODING_UTF8
                                                                     : ENCODING_UTF16;
      text = decode_text (data, length, encoding);
      if (g_str_equal (type, "text/x-moz-url"))
        foreach_line (&parser, text, url_title_line, NULL);
      else
        parse_plain_text (&parser, text);
    }
  else
    {
      text = decode_text (data, length, encoding);

      if (g_str_equal (type, "text/uri-list"))
        foreach_line (&parser, text, uri_list_line, NULL);
      else if (g_str_equal (type, "_netscape_url"))
        foreach_line (&parser, text, url_title_line, NULL);
      else if (g_str_equal (type, "text/html"))
        parse_html (&parser, text, base_uri);
      else
        parse_plain_text (&parser, text);
    }

  g_hash_table_unref (parser.seen_urls);
  g_hash_table_unref (parser.seen_rejected);

  return parser.list;
}

typedef struct
{
  char   *mime_type;  /* (owned) (nullable) */
  GBytes *data;       /* (owned) */
  char   *base_uri;   /* (owned) (nullable) */
} ParseJob;

static void
parse_job_free (ParseJob *job)
{
  g_free (job->mime_type);
  g_bytes_unref (job->data);
  g_free (job->base_uri);
  g_free (job);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseJob *job = task_data;
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (job->data, &length);
  HaulLinkList *list;

  list = haul_link_parse (job->mime_type, data != NULL ? data : (const guint8 *) "", length,
                          job->base_uri);

  if (g_task_return_error_if_cancelled (task))
    haul_link_list_free (list);
  else
    g_task_return_pointer (task, list, (GDestroyNotify) haul_link_list_free);
}

/**
 * haul_link_parse_async:
 * @mime_type: (nullable): as for haul_link_parse()
 * @data: the content
 * @base_uri: (nullable): as for haul_link_parse()
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: data for @callback
 *
 * Runs haul_link_parse() in a worker thread.
 */
void
haul_link_parse_async (const char          *mime_type,
                       GBytes              *data,
                       const char          *base_uri,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ParseJob *job;

  g_return_if_fail (data != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (ParseJob, 1);
  job->mime_type = g_strdup (mime_type);
  job->data = g_bytes_ref (data);
  job->base_uri = g_strdup (base_uri);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, haul_link_parse_async);
  g_task_set_task_data (task, job, (GDestroyNotify) parse_job_free);
  g_task_run_in_thread (task, parse_thread);
}

/**
 * haul_link_parse_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError (only %G_IO_ERROR_CANCELLED)
 *
 * Returns: (transfer full): the links and the rejected pieces
 */
HaulLinkList *
haul_link_parse_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == haul_link_parse_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * haul_link_normalize:
 * @text: one link as a person typed it
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the normalised http(s) URL, or %NULL
 *   with %HAUL_ERROR_INVALID_URL and a translated reason
 */
char *
haul_link_normalize (const char  *text,
                     GError     **error)
{
  g_autofree char *trimmed = NULL;
  const char *reason = NULL;
  gsize length;
  char *url;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));

  length = strlen (trimmed);

  if (length == 0)
    {
      reason = _("The link is empty");
    }
  else if (has_prefix_ascii_nocase (trimmed, length, "www.") && strchr (trimmed + 4, '.') != NULL)
    {
      g_autofree char *full = g_strconcat ("https://", trimmed, NULL);

      url = haul_link_address_normalize (full, strlen (full), NULL, &reason);
      if (url != NULL)
        return url;
    }
  else if (strstr (trimmed, "://") == NULL && looks_like_bare_address (trimmed, length))
    {
      g_autofree char *full = g_strconcat ("https://", trimmed, NULL);

      url = haul_link_address_normalize (full, strlen (full), NULL, &reason);
      if (url != NULL)
        return url;
    }
  else if (g_uri_peek_scheme (trimmed) == NULL)
    {
      reason = _("Not a link: it does not start with http:// or https://");
    }
  else
    {
      url = haul_link_address_normalize (trimmed, length, NULL, &reason);
      if (url != NULL)
        return url;
    }

  /* The reason alone: the caller shows it beside what was typed. */
  g_set_error_literal (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL, reason);
  return NULL;
}
