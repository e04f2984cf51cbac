/* haul-transfer.c: one blocking HTTP transfer into a partial file (worker side)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* renameat2 (RENAME_NOREPLACE) and sync_file_range are GNU extensions. */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "haul-error.h"
#include "haul-naming.h"
#include "haul-transfer.h"
#include "haul-url.h"

#define READ_SIZE           (256 * 1024)
#define MAX_REDIRECTS       10
#define CHECKPOINT_INTERVAL G_USEC_PER_SEC
/* Start writeback every few MiB so the fdatasync of each checkpoint, and
 * the last one, find little left to write. */
#define WRITEBACK_BYTES     (8 * 1024 * 1024)
#define WATCHDOG_PERIOD_MS  200
#define MAX_NAME_BYTES      255
#define PART_SUFFIX         ".part"
#define MAX_NUMBERED        10000

/* Watchdog ---------------------------------------------------------------
 *
 * One thread of the whole engine runs a timer per transfer; when no byte
 * arrived for stall_timeout seconds it cancels the transfer's I/O. A
 * separate thread because the worker is blocked in a read. */

typedef struct
{
  gatomicrefcount  ref_count;
  GCancellable    *io_cancel;      /* (owned) */
  gint64           last_activity;  /* (atomic) monotonic µs */
  gint64           timeout;        /* µs */
  gint             stalled;        /* (atomic) */
} Watch;

static gpointer
watchdog_thread (gpointer data)
{
  g_main_loop_run (data);
  return NULL;
}

static GMainContext *
watchdog_context (void)
{
  static GMainContext *context = NULL;

  if (g_once_init_enter (&context))
    {
      GMainContext *ctx = g_main_context_new ();
      GMainLoop *loop = g_main_loop_new (ctx, FALSE);

      /* Lives as long as the process; g_main_loop_run keeps the ref. */
      g_thread_unref (g_thread_new ("haul-watchdog", watchdog_thread, loop));
      g_once_init_leave (&context, ctx);
    }
  return context;
}

static Watch *
watch_ref (Watch *watch)
{
  g_atomic_ref_count_inc (&watch->ref_count);
  return watch;
}

static void
watch_unref (gpointer data)
{
  Watch *watch = data;

  if (g_atomic_ref_count_dec (&watch->ref_count))
    {
      g_object_unref (watch->io_cancel);
      g_free (watch);
    }
}

static void
watch_touch (Watch *watch)
{
  __atomic_store_n (&watch->last_activity, g_get_monotonic_time (), __ATOMIC_RELAXED);
}

static gboolean
watch_tick_cb (gpointer data)
{
  Watch *watch = data;
  gint64 last = __atomic_load_n (&watch->last_activity, __ATOMIC_RELAXED);

  if (g_get_monotonic_time () - last < watch->timeout)
    return G_SOURCE_CONTINUE;

  g_atomic_int_set (&watch->stalled, TRUE);
  g_cancellable_cancel (watch->io_cancel);
  return G_SOURCE_REMOVE;
}

/* The transfer --------------------------------------------------------- */

typedef struct
{
  HaulTransferJob    *job;
  HaulTransferResult *result;
  GCancellable       *user_cancel;    /* (unowned) (nullable) */
  GCancellable       *io_cancel;      /* (owned) fires on user cancel or stall */
  gulong              user_cancel_id;
  Watch              *watch;          /* (owned) */
  GSource            *watch_source;   /* (owned) (nullable) */

  GUri               *uri;            /* (owned) the current URL, no userinfo */
  GUri               *origin;         /* (owned) the first URL */
  char               *authorization;  /* (owned) (nullable) */

  /* Validators the bytes already on disk belong to. */
  char               *disk_etag;      /* (owned) (nullable) */
  char               *disk_last_modified; /* (owned) (nullable) */

  char               *base_name;      /* (owned) (nullable) name before numbering */
  guint               name_index;     /* n of "name (n).ext" */
  int                 fd;             /* partial file, or -1 */
  gint64              written;        /* bytes in the partial file */
  gint64              synced;         /* of which fdatasync()ed */
  gint64              writeback_from;
  gint64              last_checkpoint;
  guint8             *buffer;         /* (owned) READ_SIZE bytes */
  gboolean            already_complete; /* renamed by an earlier run */
} Transfer;

/* What to do with a response. */
typedef enum
{
  RESPONSE_APPEND,      /* 206 at our offset: append to what is there */
  RESPONSE_FROM_ZERO,   /* 200: the whole body, starting at byte 0 */
  RESPONSE_HAVE_ALL,    /* 416 and we hold every byte already */
  RESPONSE_RESTART,     /* ask again, without Range */
} ResponseAction;

HaulTransferJob *
haul_transfer_job_new (SoupSession      *session,
                       HaulProgressCell *cell,
                       const char       *uri,
                       const char       *folder)
{
  HaulTransferJob *job;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (cell != NULL, NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  job = g_new0 (HaulTransferJob, 1);
  job->session = g_object_ref (session);
  job->cell = haul_progress_cell_ref (cell);
  job->uri = g_strdup (uri);
  job->folder = g_strdup (folder);
  job->stall_timeout = 30;
  job->total = -1;
  return job;
}

void
haul_transfer_job_free (HaulTransferJob *job)
{
  if (job == NULL)
    return;

  g_clear_object (&job->session);
  g_clear_pointer (&job->cell, haul_progress_cell_unref);
  g_free (job->uri);
  g_free (job->folder);
  g_free (job->file_name);
  g_free (job->partial_path);
  g_free (job->etag);
  g_free (job->last_modified);
  g_free (job->authorization);
  g_free (job);
}

void
haul_transfer_result_free (HaulTransferResult *result)
{
  if (result == NULL)
    return;

  g_free (result->final_uri);
  g_free (result->file_name);
  g_free (result->partial_path);
  g_free (result->etag);
  g_free (result->last_modified);
  g_free (result->content_type);
  g_clear_error (&result->error);
  g_free (result);
}

SoupSession *
haul_transfer_session_new (guint max_conns,
                           guint timeout)
{
  SoupSession *session;

  max_conns = MAX (max_conns, 1);
  session = soup_session_new_with_options ("max-conns", MAX (max_conns, 10),
                                           "max-conns-per-host", max_conns,
                                           "timeout", timeout,
                                           "user-agent", "Haul/" PACKAGE_VERSION,
                                           NULL);
  /* Bytes are saved as sent: nothing may decode or sniff them. */
  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);
  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_SNIFFER);
  return session;
}

/* Errors ------------------------------------------------------------------ */

/* "512 KiB" rather than "512.0 KiB": whole numbers read better. */
static char *
format_size (gint64 size)
{
  g_autofree char *text = g_format_size_full (MAX (size, 0), G_FORMAT_SIZE_IEC_UNITS);
  char *zero = strstr (text, ".0\u00a0");

  if (zero != NULL)
    memmove (zero, zero + 2, strlen (zero + 2) + 1);
  return g_steal_pointer (&text);
}

static const char *
host_of (Transfer *t)
{
  const char *host = g_uri_get_host (t->uri);

  return host != NULL ? host : "";
}

static gboolean
user_cancelled (Transfer *t)
{
  return t->user_cancel != NULL && g_cancellable_is_cancelled (t->user_cancel);
}

static const char *
describe_certificate (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return _("it is not signed by a known certificate authority");
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return _("it was issued for a different host name");
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return _("it is not valid yet");
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return _("it has expired");
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return _("it has been revoked");
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return _("it uses an insecure algorithm");
  return _("it is not valid");
}

/* Turns an error of libsoup, GIO or GnuTLS into one a person can act on.
 * Cancellation by the user stays G_IO_ERROR_CANCELLED. */
static void
map_network_error (Transfer      *t,
                   SoupMessage   *msg,
                   const GError  *error,
                   GError       **out)
{
  GTlsCertificateFlags tls_flags = msg ? soup_message_get_tls_peer_certificate_errors (msg) : 0;

  if (user_cancelled (t))
    g_set_error_literal (out, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
  else if (g_atomic_int_get (&t->watch->stalled)
           || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error (out, HAUL_ERROR, HAUL_ERROR_STALLED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "No data arrived from %s for %u second",
                              "No data arrived from %s for %u seconds",
                              t->job->stall_timeout),
                 host_of (t), t->job->stall_timeout);
  else if (error->domain == G_TLS_ERROR || tls_flags != 0)
    g_set_error (out, HAUL_ERROR, HAUL_ERROR_TLS,
                 _("The certificate of %s could not be verified: %s"),
                 host_of (t), tls_flags != 0 ? describe_certificate (tls_flags) : error->message);
  else if (error->domain == G_RESOLVER_ERROR)
    g_set_error (out, HAUL_ERROR, HAUL_ERROR_NETWORK,
                 _("Could not find the server %s"), host_of (t));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    g_set_error (out, HAUL_ERROR, HAUL_ERROR_NETWORK,
                 _("The server %s refused the connection"), host_of (t));
  else if (error->domain == SOUP_SESSION_ERROR)
    g_set_error (out, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                 _("The answer of %s could not be understood: %s"), host_of (t), error->message);
  else
    g_set_error (out, HAUL_ERROR, HAUL_ERROR_NETWORK,
                 _("The connection to %s failed: %s"), host_of (t), error->message);
}

/* In whole-file numbers: what is on disk of how much there is. */
static void
set_truncated (Transfer  *t,
               GError   **error)
{
  g_autofree char *got_str = format_size (t->written);

  if (t->result->total >= 0)
    {
      g_autofree char *expected_str = format_size (t->result->total);

      g_set_error (error, HAUL_ERROR, HAUL_ERROR_TRUNCATED,
                   _("The connection closed after %s of %s"), got_str, expected_str);
    }
  else
    g_set_error (error, HAUL_ERROR, HAUL_ERROR_TRUNCATED,
                 _("The connection closed after %s, before the end of the file"), got_str);
}

static void
set_file_error (GError     **error,
                int          errsv,
                const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  if (errsv == ENOSPC || errsv == EDQUOT)
    g_set_error_literal (error, HAUL_ERROR, HAUL_ERROR_DISK_FULL, _("The disk is full"));
  else if (errsv == EROFS || errsv == EACCES || errsv == EPERM)
    {
      g_autofree char *folder = g_path_get_dirname (path);
      g_autofree char *folder_display = g_filename_display_name (folder);

      /* The folder is what the user can change (or choose another). */
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                   _("Could not write to the folder %s: %s"),
                   folder_display, g_strerror (errsv));
    }
  else
    g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                 /* Translators: a file name, then the system's reason */
                 _("%s: %s"), display, g_strerror (errsv));
}

/* URLs --------------------------------------------------------------------- */

/* Credentials in the URL become an explicit header for its origin only;
 * the URL itself never carries them further. */
static gboolean
transfer_parse_uri (Transfer  *t,
                    GError   **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GUri) uri = haul_url_parse (t->job->uri, &local);

  if (uri == NULL)
    {
      g_autofree char *shown = haul_url_redact (t->job->uri);

      g_set_error (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL,
                   /* Translators: an address, then why it is refused */
                   _("“%s” cannot be downloaded: %s"), shown, local->message);
      return FALSE;
    }

  if (t->job->authorization != NULL)
    t->authorization = g_strdup (t->job->authorization);
  else
    t->authorization = haul_url_dup_authorization (uri);

  t->uri = haul_url_strip_userinfo (uri);
  t->origin = g_uri_ref (t->uri);
  return TRUE;
}

/* Sending ------------------------------------------------------------------ */

/* Drops the rest of a response without reading it: closing with a
 * cancelled cancellable makes libsoup abandon the connection instead of
 * draining (or, after our own chunked parsing, reusing) it. */
static void
abandon_stream (GInputStream *stream)
{
  g_autoptr(GCancellable) drop = g_cancellable_new ();

  if (stream == NULL || g_input_stream_is_closed (stream))
    return;
  g_cancellable_cancel (drop);
  g_input_stream_close (stream, drop, NULL);
}

static SoupMessage *
build_message (Transfer  *t,
               gint64     offset,
               GError   **error)
{
  SoupMessage *msg = soup_message_new_from_uri (SOUP_METHOD_GET, t->uri);
  SoupMessageHeaders *headers;

  /* haul_url_parse() lets through no URL libsoup refuses; should one slip
   * by anyway, it ends this download, never the process. */
  if (msg == NULL)
    {
      g_autofree char *shown = g_uri_to_string (t->uri);

      g_set_error (error, HAUL_ERROR, HAUL_ERROR_INVALID_URL,
                   _("“%s” cannot be downloaded: %s"), shown, _("Not a valid link"));
      return NULL;
    }
  headers = soup_message_get_request_headers (msg);

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (headers, "Accept-Encoding", "identity");

  if (offset > 0)
    {
      g_autofree char *range = g_strdup_printf ("bytes=%" G_GINT64_FORMAT "-", offset);

      soup_message_headers_replace (headers, "Range", range);
      /* Only a strong ETag may guard a byte range (RFC 9110 §13.1.5). */
      if (t->disk_etag != NULL)
        soup_message_headers_replace (headers, "If-Range", t->disk_etag);
      else if (t->disk_last_modified != NULL)
        soup_message_headers_replace (headers, "If-Range", t->disk_last_modified);
    }

  if (t->authorization != NULL && haul_url_same_origin (t->uri, t->origin))
    soup_message_headers_replace (headers, "Authorization", t->authorization);

  return msg;
}

static gboolean
follow_redirect (Transfer    *t,
                 SoupMessage *msg,
                 GHashTable  *seen,
                 guint        hops,
                 GError     **error)
{
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                       "Location");
  g_autoptr(GUri) next = NULL;
  g_autofree char *next_str = NULL;

  if (hops >= MAX_REDIRECTS)
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_REDIRECT,
                   _("The server redirected more than %u times"), MAX_REDIRECTS);
      return FALSE;
    }

  next = haul_url_resolve_redirect (t->uri, location, error);
  if (next == NULL)
    return FALSE;

  g_uri_unref (t->uri);
  t->uri = haul_url_strip_userinfo (next);
  next_str = g_uri_to_string (t->uri);
  if (!g_hash_table_add (seen, g_steal_pointer (&next_str)))
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_REDIRECT,
                   _("The server redirects in a loop"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_redirect (guint status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* GLib 2.74 races when two threads enumerate the same GNetworkAddress for
 * the first time: g_network_address_address_enumerator_next() checks and
 * fills the address cache without a lock ("assertion failed:
 * (addr->priv->cached_sockaddrs == NULL)", an abort), and libsoup shares
 * one GNetworkAddress per host among its connections. So the request head
 * goes to one host from one worker at a time; bodies still stream in
 * parallel. Found by the store's kill test (tests/engine/kill-test.c). */
static GMutex host_locks_lock;
static GHashTable *host_locks;  /* "host:port" → GMutex*, kept for the process */

static GMutex *
host_lock_for (SoupMessage *msg)
{
  GUri *uri = soup_message_get_uri (msg);
  g_autofree char *key = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  GMutex *lock;

  g_mutex_lock (&host_locks_lock);
  if (host_locks == NULL)
    host_locks = g_hash_table_new (g_str_hash, g_str_equal);
  lock = g_hash_table_lookup (host_locks, key);
  if (lock == NULL)
    {
      lock = g_new0 (GMutex, 1);
      g_mutex_init (lock);
      g_hash_table_insert (host_locks, g_steal_pointer (&key), lock);
    }
  g_mutex_unlock (&host_locks_lock);
  return lock;
}

/* Waits for @lock, but gives up when @cancellable fires (a pause must not
 * wait for another download's server). */
static gboolean
lock_cancellable (GMutex       *lock,
                  GCancellable *cancellable)
{
  while (!g_mutex_trylock (lock))
    {
      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      g_usleep (2 * G_TIME_SPAN_MILLISECOND);
    }
  return TRUE;
}

/* Sends the request, following redirects ourselves (libsoup must not:
 * it would carry credentials anywhere and accept any scheme). */
static GInputStream *
send_request (Transfer     *t,
              gint64        offset,
              SoupMessage **out_msg,
              GError      **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_hash_table_add (seen, g_uri_to_string (t->uri));

  for (guint hops = 0; ; hops++)
    {
      g_autoptr(SoupMessage) msg = build_message (t, offset, error);
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GError) local = NULL;
      GMutex *host_lock;

      if (msg == NULL)
        return NULL;
      host_lock = host_lock_for (msg);

      watch_touch (t->watch);
      if (lock_cancellable (host_lock, t->io_cancel))
        {
          stream = soup_session_send (t->job->session, msg, t->io_cancel, &local);
          g_mutex_unlock (host_lock);
        }
      else
        {
          g_set_error_literal (&local, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
        }
      if (stream == NULL)
        {
          map_network_error (t, msg, local, error);
          return NULL;
        }

      if (!is_redirect (soup_message_get_status (msg))
          || soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                           "Location") == NULL)
        {
          *out_msg = g_steal_pointer (&msg);
          return g_steal_pointer (&stream);
        }

      abandon_stream (stream);
      if (!follow_redirect (t, msg, seen, hops, error))
        return NULL;
    }
}

/* Validation of the answer ------------------------------------------------ */

/* Content-Length: one value, or several equal ones; digits only. libsoup
 * takes the first number it can read, which would let a contradictory
 * answer through. Returns the length, -1 when absent. */
static gboolean
parse_content_length (SoupMessageHeaders  *headers,
                      gint64              *length,
                      GError             **error)
{
  const char *list = soup_message_headers_get_list (headers, "Content-Length");
  g_auto(GStrv) values = NULL;
  gint64 value = -1;

  *length = -1;
  if (list == NULL)
    return TRUE;

  values = g_strsplit (list, ",", -1);
  for (guint i = 0; values[i] != NULL; i++)
    {
      const char *v = g_strstrip (values[i]);
      guint64 parsed;

      if (*v == '\0' || strlen (v) > 18 || strspn (v, "0123456789") != strlen (v))
        goto bad;
      parsed = g_ascii_strtoull (v, NULL, 10);
      if (value >= 0 && (gint64) parsed != value)
        goto bad;
      value = parsed;
    }

  *length = value;
  return TRUE;

bad:
  g_set_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
               _("The server sent a malformed or contradictory length (“%s”)"), list);
  return FALSE;
}

static char *
strong_etag (SoupMessageHeaders *headers)
{
  const char *etag = soup_message_headers_get_one (headers, "ETag");

  if (etag == NULL || etag[0] != '"' || strlen (etag) < 2 || etag[strlen (etag) - 1] != '"')
    return NULL;
  return g_strdup (etag);
}

/* Do the validators of this answer name the version we hold bytes of? */
static gboolean
same_version (Transfer           *t,
              SoupMessageHeaders *headers)
{
  g_autofree char *etag = strong_etag (headers);
  const char *last_modified = soup_message_headers_get_one (headers, "Last-Modified");

  if (t->disk_etag != NULL)
    return g_strcmp0 (t->disk_etag, etag) == 0;
  if (t->disk_last_modified != NULL)
    return g_strcmp0 (t->disk_last_modified, last_modified) == 0;
  return FALSE;
}

static void
set_http_error (SoupMessage  *msg,
                GError      **error)
{
  guint status = soup_message_get_status (msg);
  const char *phrase = soup_message_get_reason_phrase (msg);

  if (phrase == NULL || *phrase == '\0')
    phrase = soup_status_get_phrase (status);
  g_set_error (error, HAUL_ERROR, HAUL_ERROR_HTTP,
               _("The server answered %u %s"), status, phrase ? phrase : "");
}

/* The N of "bytes * / N" (no spaces) in a 416. */
static gint64
unsatisfied_total (SoupMessageHeaders *headers)
{
  const char *range = soup_message_headers_get_one (headers, "Content-Range");

  if (range == NULL || !g_str_has_prefix (range, "bytes */"))
    return -1;
  range += strlen ("bytes */");
  if (*range == '\0' || strspn (range, "0123456789") != strlen (range) || strlen (range) > 18)
    return -1;
  return g_ascii_strtoll (range, NULL, 10);
}

/* Decides what an answer to a request at @offset means; fills *expected
 * with the body length (-1: until the connection closes or the last
 * chunk) and result->total. */
static gboolean
check_response (Transfer        *t,
                SoupMessage     *msg,
                gint64           offset,
                ResponseAction  *action,
                gint64          *expected,
                GError         **error)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  guint status = soup_message_get_status (msg);
  gint64 length = -1;
  gboolean chunked = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED;

  *expected = -1;

  if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && offset > 0)
    {
      gint64 total = unsatisfied_total (headers);

      if (total < 0)
        total = t->job->total;
      *action = total == offset ? RESPONSE_HAVE_ALL : RESPONSE_RESTART;
      if (*action == RESPONSE_HAVE_ALL)
        t->result->total = total;
      return TRUE;
    }

  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_PARTIAL_CONTENT)
    {
      if (status >= 200 && status < 300)
        g_set_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                     _("The server answered %u %s instead of sending the file"), status,
                     soup_message_get_reason_phrase (msg));
      else
        set_http_error (msg, error);
      return FALSE;
    }

  if (!chunked && !parse_content_length (headers, &length, error))
    return FALSE;

  if (status == SOUP_STATUS_OK)
    {
      *action = RESPONSE_FROM_ZERO;
      *expected = length;
      t->result->total = length;
      return TRUE;
    }

  /* 206: only the part we asked for, of the version we hold. */
  {
    goffset start = -1;
    goffset end = -1;
    goffset total = -1;

    if (offset == 0)
      {
        g_set_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                     _("The server sent part of the file when the whole was asked for"));
        return FALSE;
      }
    if (!soup_message_headers_get_content_range (headers, &start, &end, &total)
        || start != offset || end < start
        || (total >= 0 && end != total - 1)
        || (total >= 0 && t->job->total >= 0 && total != t->job->total)
        || (length >= 0 && length != end - start + 1))
      {
        g_set_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                     _("The server sent a different part of the file than was asked for"));
        return FALSE;
      }
    if (!same_version (t, headers))
      {
        *action = RESPONSE_RESTART;
        return TRUE;
      }

    *action = RESPONSE_APPEND;
    *expected = end - start + 1;
    t->result->total = total >= 0 ? total : -1;
    return TRUE;
  }
}

/* Disk ------------------------------------------------------------------- */

static gboolean
write_all (Transfer      *t,
           const guint8  *data,
           gsize          length,
           GError       **error)
{
  while (length > 0)
    {
      ssize_t n = write (t->fd, data, length);

      if (n < 0)
        {
          int errsv = errno;

          if (errsv == EINTR)
            continue;
          set_file_error (error, errsv, t->result->partial_path);
          return FALSE;
        }
      data += n;
      length -= n;
      t->written += n;
    }
  return TRUE;
}

static gboolean
sync_partial (Transfer  *t,
              GError   **error)
{
  if (t->fd < 0)
    return TRUE;
  if (t->synced == t->written)
    return TRUE;
  if (fdatasync (t->fd) != 0)
    {
      set_file_error (error, errno, t->result->partial_path);
      return FALSE;
    }
  t->synced = t->written;
  return TRUE;
}

/* Tells the caller what is durably on disk, never more. */
static void
emit_checkpoint (Transfer *t)
{
  HaulCheckpoint checkpoint = { 0 };

  t->last_checkpoint = g_get_monotonic_time ();
  if (t->job->checkpoint == NULL || t->result->partial_path == NULL)
    return;

  checkpoint.final_uri = t->result->final_uri;
  checkpoint.file_name = t->result->file_name;
  checkpoint.partial_path = t->result->partial_path;
  checkpoint.etag = t->result->etag;
  checkpoint.last_modified = t->result->last_modified;
  checkpoint.content_type = t->result->content_type;
  checkpoint.confirmed = t->synced;
  checkpoint.total = t->result->total;
  t->job->checkpoint (&checkpoint, t->job->checkpoint_data);
}

static gboolean
checkpoint_now (Transfer  *t,
                GError   **error)
{
  if (!sync_partial (t, error))
    return FALSE;
  emit_checkpoint (t);
  return TRUE;
}

static gboolean
after_write (Transfer  *t,
             GError   **error)
{
  haul_progress_cell_set_received (t->job->cell, t->written);

  if (t->written - t->writeback_from >= WRITEBACK_BYTES)
    {
      sync_file_range (t->fd, t->writeback_from, t->written - t->writeback_from,
                       SYNC_FILE_RANGE_WRITE);
      t->writeback_from = t->written;
    }

  if (g_get_monotonic_time () - t->last_checkpoint >= CHECKPOINT_INTERVAL)
    return checkpoint_now (t, error);
  return TRUE;
}

static gboolean
truncate_partial (Transfer  *t,
                  gint64     size,
                  GError   **error)
{
  /* Record the shorter length before cutting (the checkpoint returns once
   * committed): a kill in between then finds a partial file longer than
   * its record, which a resume cuts back, never one shorter. */
  if (size < t->synced)
    {
      t->synced = size;
      emit_checkpoint (t);
    }

  if (ftruncate (t->fd, size) != 0 || lseek (t->fd, size, SEEK_SET) < 0)
    {
      set_file_error (error, errno, t->result->partial_path);
      return FALSE;
    }
  t->written = size;
  t->synced = MIN (t->synced, size);
  t->writeback_from = MIN (t->writeback_from, size);
  haul_progress_cell_set_received (t->job->cell, size);
  return TRUE;
}

/* "NAME.part" must fit in a file name too. */
static char *
partial_name_for (const char *name)
{
  gsize max = MAX_NAME_BYTES - strlen (PART_SUFFIX);
  const char *end = name;

  while (*end != '\0' && (gsize) (g_utf8_next_char (end) - name) <= max)
    end = g_utf8_next_char (end);
  return g_strdup_printf ("%.*s" PART_SUFFIX, (int) (end - name), name);
}

/* Claims "NAME.part" beside a free "NAME", or the next "NAME (n).ext". The
 * O_EXCL create is atomic and never follows a planted link. */
static gboolean
create_partial (Transfer    *t,
                const char  *name,
                GError     **error)
{
  for (guint n = 0; n < MAX_NUMBERED; n++)
    {
      g_autofree char *candidate = haul_naming_numbered (name, n);
      g_autofree char *final_path = g_build_filename (t->job->folder, candidate, NULL);
      g_autofree char *part_name = partial_name_for (candidate);
      g_autofree char *part_path = g_build_filename (t->job->folder, part_name, NULL);
      GStatBuf st;
      int fd;

      if (g_lstat (final_path, &st) == 0)
        continue;

      fd = open (part_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          int errsv = errno;
          g_autofree char *display = g_filename_display_name (t->job->folder);

          if (errsv == EEXIST)
            continue;
          if (errsv == ENOENT || errsv == ENOTDIR)
            g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                         _("The folder %s does not exist"), display);
          else
            set_file_error (error, errsv, part_path);
          return FALSE;
        }

      t->fd = fd;
      t->written = t->synced = t->writeback_from = 0;
      t->base_name = g_strdup (name);
      t->name_index = n;
      g_free (t->result->file_name);
      t->result->file_name = g_steal_pointer (&candidate);
      g_free (t->result->partial_path);
      t->result->partial_path = g_steal_pointer (&part_path);
      return TRUE;
    }

  g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
               _("Could not find a free file name for %s"), name);
  return FALSE;
}

/* A partial file vanishes on its own only through our rename: after a
 * crash between the rename and its record, the file under the recorded
 * name, with every byte the record expects, is the finished download. */
static gboolean
renamed_before (Transfer *t)
{
  g_autofree char *final_path = NULL;
  gint64 expected = t->job->total >= 0 ? t->job->total : t->job->confirmed;
  struct stat st;

  if (t->job->file_name == NULL || expected <= 0)
    return FALSE;
  final_path = g_build_filename (t->job->folder, t->job->file_name, NULL);
  if (lstat (final_path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size != expected)
    return FALSE;

  t->already_complete = TRUE;
  t->written = t->synced = st.st_size;
  t->result->total = st.st_size;
  g_clear_pointer (&t->result->partial_path, g_free);
  return TRUE;
}

/* Reopens the partial file of an earlier attempt, keeping exactly the
 * bytes that were confirmed durable. */
static gboolean
open_partial (Transfer  *t,
              GError   **error)
{
  const char *path = t->job->partial_path;
  g_autofree char *display = g_filename_display_name (path);
  struct stat st;
  int fd;

  fd = open (path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      int errsv = errno;

      if (errsv == ENOENT && renamed_before (t))
        return TRUE;
      if (errsv == ENOENT && !g_file_test (t->job->folder, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *folder = g_filename_display_name (t->job->folder);

          /* Name what the user can fix: the folder, not the file in it. */
          g_set_error (error, HAUL_ERROR, HAUL_ERROR_PARTIAL_MISSING,
                       _("The download folder %s no longer exists"), folder);
        }
      else if (errsv == ENOENT)
        g_set_error (error, HAUL_ERROR, HAUL_ERROR_PARTIAL_MISSING,
                     _("The partly downloaded file %s is gone"), display);
      else if (errsv == ELOOP)
        g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                     _("The partly downloaded file %s was replaced by a link"), display);
      else
        set_file_error (error, errsv, path);
      return FALSE;
    }

  t->fd = fd;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
                   _("The partly downloaded file %s is not a regular file"), display);
      return FALSE;
    }
  if (st.st_size < t->job->confirmed)
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_PARTIAL_MISMATCH,
                   _("The partly downloaded file %s is shorter than recorded"), display);
      return FALSE;
    }

  /* Longer is normal after a crash: bytes written but never confirmed. */
  t->written = t->synced = st.st_size;
  if (!truncate_partial (t, t->job->confirmed, error))
    return FALSE;
  t->synced = t->writeback_from = t->written;
  return TRUE;
}

static void
sync_folder (const char *folder)
{
  int dirfd = open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (dirfd >= 0)
    {
      fsync (dirfd);
      close (dirfd);
    }
}

/* The process umask, read without changing it: umask(2) can only be read
 * by setting it, which would race with other threads creating files. */
static mode_t
process_umask (void)
{
  static gsize once = 0;
  static mode_t mask = 022;

  if (g_once_init_enter (&once))
    {
      g_autofree char *status = NULL;
      const char *line;

      if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) &&
          (line = strstr (status, "\nUmask:")) != NULL)
        mask = (mode_t) g_ascii_strtoull (line + strlen ("\nUmask:"), NULL, 8) & 0777;
      g_once_init_leave (&once, 1);
    }
  return mask;
}

/* The partial is owner-only while it fills; the finished file gets the
 * permissions any new file of the user's gets, never executable. */
static void
set_final_mode (Transfer *t)
{
  if (t->fd >= 0)
    fchmod (t->fd, 0666 & ~process_umask ());
}

/* Moves the partial onto its final name without ever replacing a file:
 * renameat2 (RENAME_NOREPLACE), or link + unlink where the filesystem
 * lacks it. A name taken meanwhile moves on to the next number. */
static gboolean
claim_final_name (Transfer  *t,
                  GError   **error)
{
  const char *base = t->base_name != NULL ? t->base_name : t->result->file_name;
  guint first = t->base_name != NULL ? t->name_index : 0;

  set_final_mode (t);
  for (guint n = first; n < first + MAX_NUMBERED; n++)
    {
      g_autofree char *candidate = haul_naming_numbered (base, n);
      g_autofree char *final_path = g_build_filename (t->job->folder, candidate, NULL);
      int errsv;

      if (renameat2 (AT_FDCWD, t->result->partial_path, AT_FDCWD, final_path,
                     RENAME_NOREPLACE) == 0)
        goto done;
      errsv = errno;
      if (errsv == EEXIST)
        continue;
      if (errsv != EINVAL && errsv != ENOSYS && errsv != EOPNOTSUPP)
        {
          set_file_error (error, errsv, final_path);
          return FALSE;
        }

      if (link (t->result->partial_path, final_path) != 0)
        {
          errsv = errno;
          if (errsv == EEXIST)
            continue;
          set_file_error (error, errsv, final_path);
          return FALSE;
        }
      g_unlink (t->result->partial_path);

    done:
      g_free (t->result->file_name);
      t->result->file_name = g_steal_pointer (&candidate);
      g_clear_pointer (&t->result->partial_path, g_free);
      sync_folder (t->job->folder);
      return TRUE;
    }

  g_set_error (error, HAUL_ERROR, HAUL_ERROR_FILE,
               _("Could not find a free file name for %s"), base);
  return FALSE;
}

/* Bodies ---------------------------------------------------------------- */

/* libsoup 3.2.3 takes an EOF at a chunk-size line, and a chunk size it
 * cannot read, for the last chunk. So chunked bodies are read from the
 * connection's buffered stream (below libsoup's chunk decoder) and
 * decoded here, strictly. */
typedef enum
{
  CHUNK_SIZE_START,
  CHUNK_SIZE,
  CHUNK_EXT,
  CHUNK_SIZE_LF,
  CHUNK_DATA,
  CHUNK_DATA_CR,
  CHUNK_DATA_LF,
  CHUNK_TRAILER_START,
  CHUNK_TRAILER,
  CHUNK_TRAILER_LF,
  CHUNK_FINAL_LF,
  CHUNK_DONE,
} ChunkState;

typedef struct
{
  ChunkState state;
  guint64    size;    /* of the current chunk, then what is left of it */
  guint      digits;
} ChunkParser;

static int
hex_value (guint8 c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes @length bytes of @buffer in place: the data they carry is
 * moved to the front. Returns the number of data bytes, or -1 on a
 * framing error. */
static gssize
chunk_parser_feed (ChunkParser *p,
                   guint8      *buffer,
                   gsize        length)
{
  gsize out = 0;

  for (gsize i = 0; i < length && p->state != CHUNK_DONE; )
    {
      guint8 c = buffer[i];

      switch (p->state)
        {
        case CHUNK_SIZE_START:
        case CHUNK_SIZE:
          if (hex_value (c) >= 0)
            {
              if (++p->digits > 15)
                return -1;
              p->size = p->size * 16 + hex_value (c);
              p->state = CHUNK_SIZE;
            }
          else if (p->state == CHUNK_SIZE && (c == ';' || c == ' ' || c == '\t'))
            p->state = CHUNK_EXT;
          else if (p->state == CHUNK_SIZE && c == '\r')
            p->state = CHUNK_SIZE_LF;
          else
            return -1;
          i++;
          break;

        case CHUNK_EXT:
          if (c == '\r')
            p->state = CHUNK_SIZE_LF;
          else if (c == '\n' || (c < 0x20 && c != '\t') || c == 0x7f)
            return -1;
          i++;
          break;

        case CHUNK_SIZE_LF:
          if (c != '\n')
            return -1;
          p->state = p->size > 0 ? CHUNK_DATA : CHUNK_TRAILER_START;
          i++;
          break;

        case CHUNK_DATA:
          {
            gsize n = MIN ((guint64) (length - i), p->size);

            memmove (buffer + out, buffer + i, n);
            out += n;
            i += n;
            p->size -= n;
            if (p->size == 0)
              p->state = CHUNK_DATA_CR;
          }
          break;

        case CHUNK_DATA_CR:
          if (c != '\r')
            return -1;
          p->state = CHUNK_DATA_LF;
          i++;
          break;

        case CHUNK_DATA_LF:
          if (c != '\n')
            return -1;
          p->state = CHUNK_SIZE_START;
          p->size = 0;
          p->digits = 0;
          i++;
          break;

        case CHUNK_TRAILER_START:
          p->state = c == '\r' ? CHUNK_FINAL_LF : CHUNK_TRAILER;
          if (c == '\n')
            return -1;
          i++;
          break;

        case CHUNK_TRAILER:
          if (c == '\r')
            p->state = CHUNK_TRAILER_LF;
          else if (c == '\n')
            return -1;
          i++;
          break;

        case CHUNK_TRAILER_LF:
          if (c != '\n')
            return -1;
          p->state = CHUNK_TRAILER_START;
          i++;
          break;

        case CHUNK_FINAL_LF:
          if (c != '\n')
            return -1;
          p->state = CHUNK_DONE;
          i++;
          break;

        case CHUNK_DONE:
        default:
          g_assert_not_reached ();
        }
    }

  return out;
}

/* libsoup's stream chain for an HTTP/1.x body: SoupClientInputStream →
 * SoupBodyInputStream → SoupFilterInputStream (the connection's buffered
 * stream, holding any body bytes read along with the headers). Returns
 * the last, or NULL if the chain is not what this code knows. */
static GInputStream *
find_connection_stream (GInputStream *top)
{
  GInputStream *stream = top;

  for (guint depth = 0; depth < 4 && G_IS_FILTER_INPUT_STREAM (stream); depth++)
    {
      GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));

      if (g_str_equal (G_OBJECT_TYPE_NAME (stream), "SoupBodyInputStream"))
        return g_str_equal (G_OBJECT_TYPE_NAME (base), "SoupFilterInputStream") ? base : NULL;
      stream = base;
    }
  return NULL;
}

static gboolean
read_failed (Transfer      *t,
             SoupMessage   *msg,
             GError        *local,
             GError       **error)
{
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) && !user_cancelled (t)
      && !g_atomic_int_get (&t->watch->stalled))
    set_truncated (t, error);
  else
    map_network_error (t, msg, local, error);
  return FALSE;
}

/* Reads a chunked body with the strict decoder. */
static gboolean
read_chunked (Transfer      *t,
              SoupMessage   *msg,
              GInputStream  *raw,
              GError       **error)
{
  ChunkParser parser = { CHUNK_SIZE_START, 0, 0 };

  while (parser.state != CHUNK_DONE)
    {
      g_autoptr(GError) local = NULL;
      gssize n = g_input_stream_read (raw, t->buffer, READ_SIZE, t->io_cancel, &local);
      gssize data;

      if (n < 0)
        return read_failed (t, msg, local, error);
      if (n == 0)
        {
          set_truncated (t, error);
          return FALSE;
        }
      watch_touch (t->watch);

      data = chunk_parser_feed (&parser, t->buffer, n);
      if (data < 0)
        {
          g_set_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                       _("The server sent a malformed chunked body"));
          return FALSE;
        }
      if (data > 0 && (!write_all (t, t->buffer, data, error) || !after_write (t, error)))
        return FALSE;
    }
  return TRUE;
}

/* Reads a body framed by Content-Length (libsoup reports an early end as
 * G_IO_ERROR_PARTIAL_INPUT) or by the end of the connection. */
static gboolean
read_plain (Transfer      *t,
            SoupMessage   *msg,
            GInputStream  *stream,
            GError       **error)
{
  for (;;)
    {
      g_autoptr(GError) local = NULL;
      gssize n = g_input_stream_read (stream, t->buffer, READ_SIZE, t->io_cancel, &local);

      if (n < 0)
        return read_failed (t, msg, local, error);
      if (n == 0)
        return TRUE;
      watch_touch (t->watch);
      if (!write_all (t, t->buffer, n, error) || !after_write (t, error))
        return FALSE;
    }
}

/* Reads the body, then checks it against the length announced. */
static gboolean
read_body (Transfer      *t,
           SoupMessage   *msg,
           GInputStream  *stream,
           gint64         expected,
           gboolean      *read_to_end,
           GError       **error)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  gint64 start = t->written;
  GInputStream *raw = NULL;

  *read_to_end = FALSE;
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    {
      raw = find_connection_stream (stream);
      /* Unknown chain (a newer libsoup?): its own decoder is all there is. */
      if (raw == NULL)
        g_debug ("Unexpected stream chain for a chunked body: %s", G_OBJECT_TYPE_NAME (stream));
    }

  if (raw != NULL)
    {
      if (!read_chunked (t, msg, raw, error))
        return FALSE;
    }
  else
    {
      if (!read_plain (t, msg, stream, error))
        return FALSE;
      *read_to_end = TRUE;
    }

  if (expected >= 0 && t->written - start < expected)
    {
      set_truncated (t, error);
      return FALSE;
    }
  if (expected >= 0 && t->written - start > expected)
    {
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                   _("The server sent more than it announced"));
      return FALSE;
    }
  return TRUE;
}

/* One attempt: request, check, body. ------------------------------------ */

static void
take_validators (Transfer    *t,
                 SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  g_autofree char *etag = strong_etag (headers);
  const char *last_modified = soup_message_headers_get_one (headers, "Last-Modified");
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);

  g_free (t->result->etag);
  t->result->etag = g_strdup (etag);
  g_free (t->result->last_modified);
  t->result->last_modified = g_strdup (last_modified);
  if (content_type != NULL)
    {
      g_free (t->result->content_type);
      t->result->content_type = g_strdup (content_type);
    }
}

static gboolean
validators_changed (Transfer    *t,
                    SoupMessage *msg)
{
  if (t->disk_etag == NULL && t->disk_last_modified == NULL)
    return FALSE;
  return !same_version (t, soup_message_get_response_headers (msg));
}

static gboolean
ensure_partial (Transfer    *t,
                SoupMessage *msg,
                GError     **error)
{
  g_autofree char *name = NULL;

  if (t->fd >= 0)
    return TRUE;

  if (t->job->file_name != NULL && *t->job->file_name != '\0')
    name = haul_naming_sanitize (t->job->file_name);
  else
    name = haul_naming_from_response (soup_message_get_response_headers (msg), t->uri);
  if (!create_partial (t, name, error))
    return FALSE;
  emit_checkpoint (t);
  return TRUE;
}

/* Returns TRUE when every byte is in the partial file; *again is set when
 * the answer asks for a new request from byte 0. */
static gboolean
run_attempt (Transfer  *t,
             gboolean  *again,
             GError   **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  ResponseAction action;
  gint64 offset = t->fd >= 0 ? t->written : 0;
  gint64 expected = -1;
  gboolean read_to_end = FALSE;
  gboolean ok;

  *again = FALSE;

  /* Without a validator a range could splice two versions together. */
  if (offset > 0 && t->disk_etag == NULL && t->disk_last_modified == NULL)
    {
      if (!truncate_partial (t, 0, error))
        return FALSE;
      offset = 0;
    }

  haul_progress_cell_set_phase (t->job->cell, HAUL_PROGRESS_CONNECTING);
  stream = send_request (t, offset, &msg, error);
  if (stream == NULL)
    return FALSE;

  g_free (t->result->final_uri);
  t->result->final_uri = g_uri_to_string (t->uri);

  if (!check_response (t, msg, offset, &action, &expected, error))
    {
      abandon_stream (stream);
      return FALSE;
    }

  switch (action)
    {
    case RESPONSE_RESTART:
      abandon_stream (stream);
      t->result->restarted = TRUE;
      g_clear_pointer (&t->disk_etag, g_free);
      g_clear_pointer (&t->disk_last_modified, g_free);
      *again = truncate_partial (t, 0, error);
      return FALSE;

    case RESPONSE_HAVE_ALL:
      abandon_stream (stream);
      haul_progress_cell_set_total (t->job->cell, t->result->total);
      return TRUE;

    case RESPONSE_FROM_ZERO:
      if (offset > 0)
        {
          if (validators_changed (t, msg))
            t->result->restarted = TRUE;
          if (!truncate_partial (t, 0, error))
            {
              abandon_stream (stream);
              return FALSE;
            }
        }
      break;

    case RESPONSE_APPEND:
    default:
      break;
    }

  take_validators (t, msg);
  if (!ensure_partial (t, msg, error))
    {
      abandon_stream (stream);
      return FALSE;
    }
  g_free (t->disk_etag);
  t->disk_etag = g_strdup (t->result->etag);
  g_free (t->disk_last_modified);
  t->disk_last_modified = g_strdup (t->result->last_modified);

  haul_progress_cell_set_total (t->job->cell, t->result->total);
  haul_progress_cell_set_received (t->job->cell, t->written);
  haul_progress_cell_set_phase (t->job->cell, HAUL_PROGRESS_DOWNLOADING);

  ok = read_body (t, msg, stream, expected, &read_to_end, error);
  if (read_to_end)
    g_input_stream_close (stream, NULL, NULL);
  else
    abandon_stream (stream);

  if (ok && t->result->total < 0)
    t->result->total = t->written;
  return ok;
}

static void
watchdog_start (Transfer *t)
{
  t->watch = g_new0 (Watch, 1);
  g_atomic_ref_count_init (&t->watch->ref_count);
  t->watch->io_cancel = g_object_ref (t->io_cancel);
  t->watch->timeout = (gint64) t->job->stall_timeout * G_USEC_PER_SEC;
  watch_touch (t->watch);

  if (t->job->stall_timeout == 0)
    return;
  t->watch_source = g_timeout_source_new (WATCHDOG_PERIOD_MS);
  g_source_set_callback (t->watch_source, watch_tick_cb, watch_ref (t->watch), watch_unref);
  g_source_attach (t->watch_source, watchdog_context ());
}

static void
forward_cancel_cb (GCancellable *cancellable,
                   gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static void
transfer_finish (Transfer *t)
{
  HaulTransferResult *result = t->result;
  gboolean remove = result->error != NULL
                    && g_error_matches (result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                    && haul_progress_cell_get_intent (t->job->cell) == HAUL_INTENT_CANCEL;

  if (t->fd >= 0 && result->error != NULL)
    {
      if (remove)
        {
          g_unlink (result->partial_path);
          g_clear_pointer (&result->partial_path, g_free);
          t->written = t->synced = 0;
        }
      else
        {
          /* Keep what is there and say so, but only what is durable. */
          g_autoptr(GError) sync_error = NULL;

          if (!checkpoint_now (t, &sync_error))
            g_debug ("Could not flush %s: %s", result->partial_path, sync_error->message);
        }
    }
  else if (remove && result->partial_path != NULL)
    {
      g_unlink (result->partial_path);
      g_clear_pointer (&result->partial_path, g_free);
    }

  if (t->fd >= 0)
    close (t->fd);
  t->fd = -1;

  result->received = result->partial_path != NULL && result->error != NULL ? t->synced : t->written;
}

HaulTransferResult *
haul_transfer_run (HaulTransferJob *job,
                   GCancellable    *cancellable)
{
  g_autoptr(GError) error = NULL;
  HaulTransferResult *result;
  Transfer t = { 0 };
  gboolean complete = FALSE;

  g_return_val_if_fail (job != NULL, NULL);

  result = g_new0 (HaulTransferResult, 1);
  result->total = -1;
  result->received = 0;

  t.job = job;
  t.result = result;
  t.fd = -1;
  t.user_cancel = cancellable;
  t.io_cancel = g_cancellable_new ();
  t.buffer = g_malloc (READ_SIZE);
  t.last_checkpoint = g_get_monotonic_time ();
  if (cancellable != NULL)
    t.user_cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel_cb),
                                              g_object_ref (t.io_cancel), g_object_unref);
  watchdog_start (&t);

  result->file_name = g_strdup (job->file_name);
  if (!transfer_parse_uri (&t, &error))
    goto out;
  result->final_uri = g_uri_to_string (t.uri);

  if (job->partial_path != NULL)
    {
      result->partial_path = g_strdup (job->partial_path);
      if (!open_partial (&t, &error))
        goto out;
      if (t.already_complete)
        goto out;
      t.disk_etag = g_strdup (job->etag);
      t.disk_last_modified = g_strdup (job->last_modified);
      result->etag = g_strdup (job->etag);
      result->last_modified = g_strdup (job->last_modified);
      result->total = job->total;
      haul_progress_cell_set_received (job->cell, t.written);
    }

  /* At most one restart from zero: a second request has no Range. */
  for (guint attempt = 0; !complete && attempt < 2; attempt++)
    {
      gboolean again = FALSE;

      complete = run_attempt (&t, &again, &error);
      if (!complete && (error != NULL || !again))
        goto out;
    }
  if (!complete)
    {
      g_set_error (&error, HAUL_ERROR, HAUL_ERROR_PROTOCOL,
                   _("The server keeps changing the file"));
      goto out;
    }
  /* Record every byte before the rename: a crash right after it then
   * finds the whole file under its name (see renamed_before()). */
  if (!checkpoint_now (&t, &error) || !claim_final_name (&t, &error))
    goto out;

out:
  if (error != NULL && g_cancellable_is_cancelled (t.io_cancel) && !user_cancelled (&t)
      && !g_error_matches (error, HAUL_ERROR, HAUL_ERROR_STALLED)
      && g_atomic_int_get (&t.watch->stalled))
    {
      /* The watchdog cut a read that then failed in another way. */
      g_clear_error (&error);
      g_set_error (&error, HAUL_ERROR, HAUL_ERROR_STALLED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "No data arrived from %s for %u second",
                                "No data arrived from %s for %u seconds", job->stall_timeout),
                   host_of (&t), job->stall_timeout);
    }
  if (error != NULL && user_cancelled (&t)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
    }
  result->error = g_steal_pointer (&error);
  transfer_finish (&t);

  if (t.user_cancel_id != 0)
    g_cancellable_disconnect (cancellable, t.user_cancel_id);
  if (t.watch_source != NULL)
    {
      g_source_destroy (t.watch_source);
      g_source_unref (t.watch_source);
    }
  watch_unref (t.watch);
  g_clear_object (&t.io_cancel);
  g_clear_pointer (&t.uri, g_uri_unref);
  g_clear_pointer (&t.origin, g_uri_unref);
  g_free (t.authorization);
  g_free (t.disk_etag);
  g_free (t.disk_last_modified);
  g_free (t.base_name);
  g_free (t.buffer);

  return result;
}
