/* haul-test-server.c: a real SoupServer on 127.0.0.1 for the tests
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "haul-test-server.h"

/* Bodies are handed to libsoup in slices of this size, so a big file never
 * needs a second copy and a throttled one can be paused between slices. */
#define SLICE_SIZE (64 * 1024)
/* A throttled body is released in this many steps per second. */
#define THROTTLE_HZ 20

typedef enum
{
  ENTRY_FILE,
  ENTRY_REDIRECT,
  ENTRY_STATUS,
} EntryKind;

typedef struct
{
  EntryKind  kind;
  GBytes    *body;                /* (owned) (nullable) */
  char      *etag;                /* (owned) (nullable) */
  char      *last_modified;       /* (owned) (nullable) */
  char      *content_disposition; /* (owned) (nullable) */
  char      *content_type;        /* (owned) (nullable) */
  gboolean   ignore_range;
  gboolean   chunked;
  guint64    bytes_per_second;
  gsize      stall_after;
  guint      stall_ms;
  char      *headers;             /* (owned) (nullable) "Name: value\n" lines */
  guint      status;
  char      *location;            /* (owned) (nullable) */
} Entry;

struct _HaulTestServer
{
  GThread      *thread;
  GMainContext *context;  /* (owned) the server thread's context */
  GMainLoop    *loop;     /* (owned) */
  SoupServer   *server;   /* (owned) created and used in the server thread */
  GTlsCertificate *certificate; /* (owned) (nullable) serve HTTPS with it */
  guint         port;

  GMutex        lock;     /* protects everything below, and startup */
  GCond         cond;
  gboolean      started;
  GHashTable   *responses;        /* Response set, server thread only */
  GHashTable   *entries;          /* path → Entry */
  GHashTable   *n_requests;       /* path → GUINT_TO_POINTER (count) */
  GHashTable   *last_headers;     /* path → char* */
  GHashTable   *last_versions;    /* path → GINT_TO_POINTER (SoupHTTPVersion) */
  GHashTable   *client_ports;     /* set of GUINT_TO_POINTER (port): connections seen */
  guint         in_flight;
  guint         max_in_flight;
};

/* One response being written (server thread only). */
typedef struct
{
  HaulTestServer    *server;
  SoupServerMessage *msg;        /* (unowned) valid until "finished" */
  GBytes            *body;       /* (owned) the bytes still to send */
  gsize              offset;
  guint64            bytes_per_second;
  gsize              stall_after; /* 0: never; see HaulTestFileOptions */
  guint              stall_ms;
  GSource           *timer;      /* (owned) (nullable) throttle wake-up */
  gboolean           paused;
  gboolean           done;
} Response;

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_pointer (&entry->body, g_bytes_unref);
  g_free (entry->etag);
  g_free (entry->last_modified);
  g_free (entry->content_disposition);
  g_free (entry->content_type);
  g_free (entry->headers);
  g_free (entry->location);
  g_free (entry);
}

static Entry *
entry_copy (const Entry *entry)
{
  Entry *copy = g_new0 (Entry, 1);

  *copy = *entry;
  copy->body = entry->body ? g_bytes_ref (entry->body) : NULL;
  copy->etag = g_strdup (entry->etag);
  copy->last_modified = g_strdup (entry->last_modified);
  copy->content_disposition = g_strdup (entry->content_disposition);
  copy->content_type = g_strdup (entry->content_type);
  copy->headers = g_strdup (entry->headers);
  copy->location = g_strdup (entry->location);
  return copy;
}

static void
response_free (Response *response)
{
  if (response->timer != NULL)
    {
      g_source_destroy (response->timer);
      g_source_unref (response->timer);
    }
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

/* Appends the next slice; returns FALSE once everything was appended. */
static gboolean
response_append_slice (Response *response,
                       gsize     max)
{
  SoupMessageBody *body = soup_server_message_get_response_body (response->msg);
  gsize size = g_bytes_get_size (response->body);
  gsize n = MIN (max, size - response->offset);

  /* A stall for good: no more than stall_after bytes, ever. */
  if (response->stall_after > 0 && response->stall_ms == 0)
    n = MIN (n, (gsize) MAX ((gint64) response->stall_after - (gint64) response->offset, 0));

  if (n > 0)
    {
      g_autoptr(GBytes) slice = g_bytes_new_from_bytes (response->body, response->offset, n);

      soup_message_body_append_bytes (body, slice);
      response->offset += n;
    }

  if (response->stall_after > 0 && response->stall_ms == 0
      && response->offset >= response->stall_after)
    return FALSE;
  if (response->offset >= size)
    {
      soup_message_body_complete (body);
      response->done = TRUE;
      return FALSE;
    }

  return TRUE;
}

static gsize
response_step_size (Response *response)
{
  if (response->bytes_per_second == 0)
    return SLICE_SIZE;
  return MAX (1, MIN (SLICE_SIZE, response->bytes_per_second / THROTTLE_HZ));
}

static gboolean
response_throttle_cb (gpointer data)
{
  Response *response = data;

  g_clear_pointer (&response->timer, g_source_unref);
  response_append_slice (response, response_step_size (response));
  response->paused = FALSE;
  soup_server_message_unpause (response->msg);
  return G_SOURCE_REMOVE;
}

static void
response_wrote_chunk_cb (SoupServerMessage *msg,
                         Response          *response)
{
  if (response->done)
    return;

  /* A stall: the whole server thread stops (nothing is sent, whatever the
   * protocol; libsoup 3.2.3's HTTP/2 server ends a stream at a pause). */
  if (response->stall_after > 0 && response->stall_ms > 0
      && response->offset >= response->stall_after)
    {
      response->stall_after = 0;
      g_usleep (response->stall_ms * G_TIME_SPAN_MILLISECOND);
    }

  if (response->bytes_per_second == 0)
    {
      response_append_slice (response, SLICE_SIZE);
      return;
    }

  /* Wait before releasing the next slice. */
  response->paused = TRUE;
  soup_server_message_pause (msg);
  response->timer = g_timeout_source_new (1000 / THROTTLE_HZ);
  g_source_set_callback (response->timer, response_throttle_cb, response, NULL);
  g_source_attach (response->timer, response->server->context);
}

static void
message_finished_cb (SoupServerMessage *msg,
                     HaulTestServer    *server)
{
  g_mutex_lock (&server->lock);
  g_assert (server->in_flight > 0);
  server->in_flight--;
  g_mutex_unlock (&server->lock);
}

static void
response_finished_cb (SoupServerMessage *msg,
                      Response          *response)
{
  g_signal_handlers_disconnect_by_data (msg, response);
  g_hash_table_remove (response->server->responses, response);
}

static char *
headers_to_string (SoupMessageHeaders *headers)
{
  GString *out = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (out, "%s: %s\n", name, value);
  return g_string_free (out, FALSE);
}

/* If-Range holds when it names the current validator exactly (strong
 * comparison for ETags, RFC 9110 §13.1.5). */
static gboolean
if_range_matches (const Entry *entry,
                  const char  *if_range)
{
  if (if_range == NULL)
    return TRUE;
  if (if_range[0] == '"' || g_str_has_prefix (if_range, "W/"))
    return entry->etag != NULL && !g_str_has_prefix (entry->etag, "W/")
           && g_str_equal (entry->etag, if_range);
  return entry->last_modified != NULL && g_str_equal (entry->last_modified, if_range);
}

static void
serve_html (SoupServerMessage *msg,
            guint              status)
{
  g_autofree char *html = NULL;
  const char *phrase = soup_status_get_phrase (status);

  html = g_strdup_printf ("<!DOCTYPE html><html><head><title>%u %s</title></head>"
                          "<body><h1>%u %s</h1><p>This is an error page.</p></body></html>\n",
                          status, phrase ? phrase : "", status, phrase ? phrase : "");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_COPY, html, strlen (html));
}

static void
serve_file (HaulTestServer    *server,
            SoupServerMessage *msg,
            const Entry       *entry)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *response_body = soup_server_message_get_response_body (msg);
  gsize size = g_bytes_get_size (entry->body);
  gsize start = 0;
  gsize length = size;
  guint status = SOUP_STATUS_OK;
  Response *response;

  if (!entry->ignore_range
      && soup_message_headers_get_one (request_headers, "Range") != NULL
      && if_range_matches (entry, soup_message_headers_get_one (request_headers, "If-Range")))
    {
      SoupRange *ranges = NULL;
      int n_ranges = 0;

      /* libsoup clamps some unsatisfiable ranges instead of failing:
       * check the start against the size as well. */
      if (!soup_message_headers_get_ranges (request_headers, size, &ranges, &n_ranges)
          || n_ranges < 1 || (gsize) ranges[0].start >= size)
        {
          g_autofree char *content_range = g_strdup_printf ("bytes */%" G_GSIZE_FORMAT, size);

          if (ranges != NULL)
            soup_message_headers_free_ranges (request_headers, ranges);

          soup_message_headers_replace (response_headers, "Content-Range", content_range);
          /* As nginx and Apache do, the validators come along. */
          if (entry->etag != NULL)
            soup_message_headers_replace (response_headers, "ETag", entry->etag);
          if (entry->last_modified != NULL)
            soup_message_headers_replace (response_headers, "Last-Modified", entry->last_modified);
          serve_html (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE);
          return;
        }

      /* Only the first range: clients of these tests never ask for more. */
      /* An end past the file means its last byte (RFC 9110 §14.1.2). */
      start = ranges[0].start;
      length = MIN ((gsize) ranges[0].end, size - 1) - ranges[0].start + 1;
      soup_message_headers_set_content_range (response_headers, ranges[0].start,
                                              start + length - 1, size);
      soup_message_headers_free_ranges (request_headers, ranges);
      status = SOUP_STATUS_PARTIAL_CONTENT;
    }

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (response_headers, "Content-Type",
                                entry->content_type ? entry->content_type
                                                    : "application/octet-stream");
  if (!entry->ignore_range)
    soup_message_headers_replace (response_headers, "Accept-Ranges", "bytes");
  if (entry->etag != NULL)
    soup_message_headers_replace (response_headers, "ETag", entry->etag);
  if (entry->last_modified != NULL)
    soup_message_headers_replace (response_headers, "Last-Modified", entry->last_modified);
  if (entry->content_disposition != NULL)
    soup_message_headers_replace (response_headers, "Content-Disposition",
                                  entry->content_disposition);
  if (entry->headers != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (entry->headers, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          char *colon = strchr (lines[i], ':');

          if (colon == NULL)
            continue;
          *colon = '\0';
          soup_message_headers_append (response_headers, g_strstrip (lines[i]),
                                       g_strstrip (colon + 1));
        }
    }

  if (entry->chunked)
    soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
  else
    soup_message_headers_set_content_length (response_headers, length);

  if (soup_server_message_get_method (msg) == SOUP_METHOD_HEAD)
    return;

  /* Not accumulating also keeps libsoup from answering Range requests on
   * its own, which would defeat ignore_range. */
  soup_message_body_set_accumulate (response_body, FALSE);

  response = g_new0 (Response, 1);
  response->server = server;
  response->msg = msg;
  response->body = g_bytes_new_from_bytes (entry->body, start, length);
  response->bytes_per_second = entry->bytes_per_second;
  response->stall_after = entry->stall_after;
  response->stall_ms = entry->stall_ms;
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (response_wrote_chunk_cb), response);
  g_signal_connect (msg, "finished", G_CALLBACK (response_finished_cb), response);
  g_hash_table_add (server->responses, response);

  response_append_slice (response, response_step_size (response));
}

static void
server_callback (SoupServer        *soup_server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  HaulTestServer *server = user_data;
  g_autoptr(GUri) uri = NULL;
  Entry *entry = NULL;
  guint n;

  g_mutex_lock (&server->lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (server->n_requests, path));
  g_hash_table_replace (server->n_requests, g_strdup (path), GUINT_TO_POINTER (n + 1));
  g_hash_table_replace (server->last_headers, g_strdup (path),
                        headers_to_string (soup_server_message_get_request_headers (msg)));
  g_hash_table_replace (server->last_versions, g_strdup (path),
                        GINT_TO_POINTER (soup_server_message_get_http_version (msg)));
  {
    GSocketAddress *remote = soup_server_message_get_remote_address (msg);

    /* Every connection from this machine has a port of its own. */
    if (G_IS_INET_SOCKET_ADDRESS (remote))
      g_hash_table_add (server->client_ports,
                        GUINT_TO_POINTER (g_inet_socket_address_get_port (
                                            G_INET_SOCKET_ADDRESS (remote))));
  }
  server->in_flight++;
  server->max_in_flight = MAX (server->max_in_flight, server->in_flight);
  if (g_hash_table_lookup (server->entries, path) != NULL)
    entry = entry_copy (g_hash_table_lookup (server->entries, path));
  g_mutex_unlock (&server->lock);

  g_signal_connect (msg, "finished", G_CALLBACK (message_finished_cb), server);

  if (entry == NULL)
    {
      serve_html (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  switch (entry->kind)
    {
    case ENTRY_FILE:
      serve_file (server, msg, entry);
      break;

    case ENTRY_REDIRECT:
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Location", entry->location);
      serve_html (msg, entry->status);
      break;

    case ENTRY_STATUS:
    default:
      serve_html (msg, entry->status);
      break;
    }

  entry_free (entry);
}

static gpointer
server_thread (gpointer data)
{
  HaulTestServer *server = data;
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  g_main_context_push_thread_default (server->context);

  server->server = soup_server_new ("server-header", "HaulTestServer ",
                                    "tls-certificate", server->certificate,
                                    NULL);
  soup_server_add_handler (server->server, NULL, server_callback, server, NULL);
  if (!soup_server_listen_local (server->server, 0,
                                 SOUP_SERVER_LISTEN_IPV4_ONLY
                                 | (server->certificate ? SOUP_SERVER_LISTEN_HTTPS : 0),
                                 &error))
    g_error ("test server: %s", error->message);
  uris = soup_server_get_uris (server->server);
  g_assert (uris != NULL);

  g_mutex_lock (&server->lock);
  server->port = g_uri_get_port (uris->data);
  server->started = TRUE;
  g_cond_signal (&server->cond);
  g_mutex_unlock (&server->lock);

  g_main_loop_run (server->loop);

  soup_server_disconnect (server->server);
  g_clear_object (&server->server);
  /* Messages dropped by the disconnect never emit "finished". */
  g_hash_table_remove_all (server->responses);
  /* Let pending sources (closing connections) run once more. */
  while (g_main_context_iteration (server->context, FALSE))
    ;
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

HaulTestServer *
haul_test_server_new (void)
{
  return haul_test_server_new_tls (NULL);
}

HaulTestServer *
haul_test_server_new_tls (GTlsCertificate *certificate)
{
  HaulTestServer *server = g_new0 (HaulTestServer, 1);

  server->certificate = certificate ? g_object_ref (certificate) : NULL;

  g_mutex_init (&server->lock);
  g_cond_init (&server->cond);
  server->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  server->responses = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) response_free, NULL);
  server->n_requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  server->last_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  server->last_versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  server->client_ports = g_hash_table_new (NULL, NULL);
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->thread = g_thread_new ("haul-test-server", server_thread, server);

  g_mutex_lock (&server->lock);
  while (!server->started)
    g_cond_wait (&server->cond, &server->lock);
  g_mutex_unlock (&server->lock);

  return server;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
haul_test_server_free (HaulTestServer *server)
{
  if (server == NULL)
    return;

  g_main_context_invoke (server->context, quit_cb, server->loop);
  g_thread_join (server->thread);

  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_clear_object (&server->certificate);
  g_hash_table_unref (server->responses);
  g_hash_table_unref (server->entries);
  g_hash_table_unref (server->n_requests);
  g_hash_table_unref (server->last_headers);
  g_hash_table_unref (server->last_versions);
  g_hash_table_unref (server->client_ports);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->cond);
  g_free (server);
}

char *
haul_test_server_uri (HaulTestServer *server,
                      const char     *path)
{
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);
  return g_strdup_printf ("%s://127.0.0.1:%u%s", server->certificate ? "https" : "http",
                          server->port, path);
}

static void
server_put (HaulTestServer *server,
            const char     *path,
            Entry          *entry)
{
  g_mutex_lock (&server->lock);
  g_hash_table_replace (server->entries, g_strdup (path), entry);
  g_mutex_unlock (&server->lock);
}

void
haul_test_server_add_file (HaulTestServer            *server,
                           const char                *path,
                           GBytes                    *body,
                           const HaulTestFileOptions *options)
{
  Entry *entry = g_new0 (Entry, 1);

  g_return_if_fail (path != NULL && body != NULL);

  entry->kind = ENTRY_FILE;
  entry->body = g_bytes_ref (body);
  if (options != NULL)
    {
      entry->etag = g_strdup (options->etag);
      entry->last_modified = g_strdup (options->last_modified);
      entry->content_disposition = g_strdup (options->content_disposition);
      entry->content_type = g_strdup (options->content_type);
      entry->ignore_range = options->ignore_range;
      entry->chunked = options->chunked;
      entry->bytes_per_second = options->bytes_per_second;
      entry->stall_after = options->stall_after;
      entry->stall_ms = options->stall_ms;
      entry->headers = g_strdup (options->headers);
    }
  server_put (server, path, entry);
}

void
haul_test_server_add_redirect (HaulTestServer *server,
                               const char     *path,
                               guint           status,
                               const char     *location)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->kind = ENTRY_REDIRECT;
  entry->status = status;
  entry->location = g_strdup (location);
  server_put (server, path, entry);
}

void
haul_test_server_add_status (HaulTestServer *server,
                             const char     *path,
                             guint           status)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->kind = ENTRY_STATUS;
  entry->status = status;
  server_put (server, path, entry);
}

guint
haul_test_server_get_n_requests (HaulTestServer *server,
                                 const char     *path)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (server->n_requests, path));
  g_mutex_unlock (&server->lock);
  return n;
}

guint
haul_test_server_get_max_concurrent (HaulTestServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = server->max_in_flight;
  g_mutex_unlock (&server->lock);
  return n;
}

guint
haul_test_server_get_in_flight (HaulTestServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = server->in_flight;
  g_mutex_unlock (&server->lock);
  return n;
}

guint
haul_test_server_get_n_connections (HaulTestServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = g_hash_table_size (server->client_ports);
  g_mutex_unlock (&server->lock);
  return n;
}

int
haul_test_server_get_last_http_version (HaulTestServer *server,
                                        const char     *path)
{
  gpointer version = NULL;
  gboolean found;

  g_mutex_lock (&server->lock);
  found = g_hash_table_lookup_extended (server->last_versions, path, NULL, &version);
  g_mutex_unlock (&server->lock);
  return found ? GPOINTER_TO_INT (version) : -1;
}

char *
haul_test_server_get_last_request_headers (HaulTestServer *server,
                                           const char     *path)
{
  char *headers;

  g_mutex_lock (&server->lock);
  headers = g_strdup (g_hash_table_lookup (server->last_headers, path));
  g_mutex_unlock (&server->lock);
  return headers;
}
