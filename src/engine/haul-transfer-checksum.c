/* haul-transfer-checksum.c: a download's checksum, found and checked (worker side)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rule 8 of the "How it works" of haul-transfer.c:
 *  a. The expected checksum is the one the job brings (typed by the user,
 *     or found by an earlier attempt); without one, the first answer's
 *     Repr-Digest, Content-Digest (a whole 200 body only) or Digest
 *     header; without those, a checksum file beside the download on its
 *     server (haul-checksum-sums.h), asked for in a thread of its own while
 *     the body arrives, one small request each. A checksum file that is
 *     missing, unreadable or silent about the download is no error.
 *  b. One connection writing in order feeds a verifier with each write:
 *     the bytes are hashed while they are in the CPU's cache, and the
 *     check at the end costs nothing. A resume first hashes the bytes it
 *     keeps, from disk, before it asks the server for more. A checksum
 *     found after some bytes were written catches up from disk.
 *  c. Otherwise (several connections, or a verifier that could not
 *     follow) the finished partial is hashed from disk after the last
 *     byte, in the worker, before the rename, with its progress in the
 *     cell (phase VERIFYING; received stays where it was).
 *  d. A mismatch keeps the partial under its partial name: the file never
 *     gets its final name, and the download fails with both digests.
 *  e. Without a checksum nothing is hashed: a download without one pays
 *     nothing for this.
 *  f. A checksum found automatically belongs to one version of the file:
 *     when the file changed on the server and the download starts again,
 *     it is forgotten (the new answer may bring the new one).
 *  g. A folder's SHA256SUMS and SHA512SUMS are asked for once per queue,
 *     not once per download (haul-checksum-cache.c): the answer, a list
 *     or "none there", is shared for HAUL_CHECKSUM_CACHE_TTL_US, keyed by
 *     its address, the credentials sent and where redirects may lead. A
 *     file that does not match a shared list, or a file that changed on
 *     the server (f), drops the list, so the next download asks again.
 *     NAME.sha256 and NAME.sha512 belong to one file and are not shared.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "haul-checksum-cache.h"
#include "haul-checksum-headers.h"
#include "haul-checksum-sums.h"
#include "haul-error.h"
#include "haul-transfer-private.h"
#include "haul-url.h"

static void
publish (Transfer *t)
{
  if (t->job->checksum_found != NULL)
    t->job->checksum_found (t->checksum, t->job->checkpoint_data);
}

void
haul_transfer_checksum_init (Transfer *t)
{
  if (t->job->checksum != NULL)
    t->checksum = haul_checksum_spec_copy (t->job->checksum);
  t->lookup_cancel = g_cancellable_new ();
}

gboolean
haul_transfer_checksum_wanted (Transfer *t)
{
  return t->checksum == NULL && t->job->find_checksum;
}

/* Sibling files (rule 8a) ------------------------------------------------------ */

typedef struct
{
  Transfer  *t;
  GPtrArray *siblings;      /* (owned) (element-type HaulChecksumSibling) */
  GUri      *file_uri;      /* (owned) where the file came from */
} Lookup;

/* What a checksum file's answer depends on besides its address: the
 * credentials sent with it and where its redirects may lead (rule 8g). */
static char *
cache_key (Transfer   *t,
           const char *uri,
           GUri       *file_uri)
{
  const HaulRequestHeaders *headers = t->headers;

  return g_strdup_printf ("%s\n%s\n%s\n%s", uri,
                          t->job->checksum_other_hosts ? "*" : g_uri_get_host (file_uri),
                          headers != NULL && headers->authorization != NULL
                            ? headers->authorization : "",
                          headers != NULL && headers->cookies != NULL ? headers->cookies : "");
}

/* One request for @sibling: its contents, or NULL (with @error when the
 * failure is not an answer of the server's, *answered FALSE). */
static GBytes *
fetch_sibling (Lookup                    *lookup,
               const HaulChecksumSibling *sibling,
               GUri                      *uri,
               gboolean                  *answered,
               GError                   **error)
{
  Transfer *t = lookup->t;
  g_autoptr(HaulRequest) request = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  GBytes *contents = NULL;

  *answered = FALSE;
  if (!haul_request_host_slot_wait (uri, t->lookup_cancel))
    return NULL;

  request = haul_request_new (t->job->session, t->origin, uri, t->headers);
  /* A checksum file's redirect to another site would send a request to a
   * server the file did not come from (rule 8a: only when allowed). */
  if (!t->job->checksum_other_hosts)
    haul_request_set_host_only (request, g_uri_get_host (lookup->file_uri));
  stream = haul_request_send (request, 0, -1, FALSE, NULL, t->lookup_cancel, &msg, error);
  if (stream != NULL && soup_message_get_status (msg) == SOUP_STATUS_OK)
    {
      contents = haul_checksum_sums_read (stream, sibling->uri, t->lookup_cancel, error);
      /* Too large or cut: a server's answer only if it was not cut. */
      *answered = contents != NULL
                  || g_error_matches (*error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_INVALID);
    }
  else if (stream != NULL)
    {
      *answered = TRUE;
      g_set_error (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_INVALID, "%u %s",
                   soup_message_get_status (msg), soup_message_get_reason_phrase (msg));
    }
  if (contents == NULL)
    haul_request_drain (stream, msg, t->lookup_cancel);
  else
    haul_request_abandon (stream);
  haul_request_host_slot_release (uri);
  return contents;
}

static HaulChecksumSpec *
ask_sibling (Lookup                    *lookup,
             const HaulChecksumSibling *sibling,
             char                     **out_key)
{
  Transfer *t = lookup->t;
  HaulChecksumCache *cache = t->job->sums_cache;
  g_autoptr(GUri) uri = haul_url_parse (sibling->uri, NULL);
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  HaulChecksumSpec *spec;
  gboolean answered = FALSE;

  if (uri == NULL)
    return NULL;

  /* Rule 8g: a folder's list is asked for once by the queue, a file's own
   * NAME.sha256 by each download. */
  if (cache != NULL && !sibling->allow_bare)
    {
      key = cache_key (t, sibling->uri, lookup->file_uri);
      switch (haul_checksum_cache_lookup (cache, key, t->lookup_cancel, &contents))
        {
        case HAUL_CHECKSUM_CACHE_FOUND:
          break;
        case HAUL_CHECKSUM_CACHE_ABSENT:
          g_debug ("No checksum from %s (asked before)", sibling->uri);
          return NULL;
        case HAUL_CHECKSUM_CACHE_CANCELLED:
          return NULL;
        case HAUL_CHECKSUM_CACHE_ASK:
        default:
          contents = fetch_sibling (lookup, sibling, uri, &answered, &error);
          if (answered)
            haul_checksum_cache_put (cache, key, contents);
          else
            haul_checksum_cache_abandon (cache, key);
          break;
        }
    }
  else
    contents = fetch_sibling (lookup, sibling, uri, &answered, &error);

  if (contents == NULL)
    {
      g_debug ("No checksum from %s: %s", sibling->uri,
               error != NULL ? error->message : "no answer");
      return NULL;
    }
  spec = haul_checksum_sibling_parse (sibling, contents, &error);
  if (spec == NULL)
    g_debug ("No checksum in %s: %s", sibling->uri, error->message);
  else
    *out_key = g_steal_pointer (&key);
  return spec;
}

static gpointer
lookup_thread (gpointer data)
{
  Lookup *lookup = data;
  Transfer *t = lookup->t;

  for (guint i = 0; i < lookup->siblings->len; i++)
    {
      HaulChecksumSpec *spec;
      char *key = NULL;

      if (g_cancellable_is_cancelled (t->lookup_cancel))
        break;
      spec = ask_sibling (lookup, g_ptr_array_index (lookup->siblings, i), &key);
      if (spec == NULL)
        continue;

      g_mutex_lock (&t->lock);
      g_clear_pointer (&t->lookup_spec, haul_checksum_spec_free);
      t->lookup_spec = spec;
      g_free (t->lookup_key);
      t->lookup_key = key;
      g_mutex_unlock (&t->lock);
      g_atomic_int_set (&t->lookup_found, 1);
      break;
    }

  g_ptr_array_unref (lookup->siblings);
  g_uri_unref (lookup->file_uri);
  g_free (lookup);
  return NULL;
}

static void
join_lookup (Transfer *t)
{
  if (t->lookup != NULL)
    g_thread_join (g_steal_pointer (&t->lookup));
}

/* Rule 8g: the queue's copy of the checksum file that gave t->checksum
 * proved wrong or old, so the next download asks the server again. */
static void
forget_cached (Transfer *t)
{
  if (t->checksum_key != NULL && t->job->sums_cache != NULL)
    haul_checksum_cache_forget (t->job->sums_cache, t->checksum_key);
  g_clear_pointer (&t->checksum_key, g_free);
}

/* Takes what the lookup found, if nothing was expected meanwhile. */
static gboolean
take_found (Transfer *t)
{
  g_autoptr(HaulChecksumSpec) spec = NULL;
  g_autofree char *key = NULL;

  if (!g_atomic_int_compare_and_exchange (&t->lookup_found, 1, 0))
    return FALSE;
  g_mutex_lock (&t->lock);
  spec = g_steal_pointer (&t->lookup_spec);
  key = g_steal_pointer (&t->lookup_key);
  g_mutex_unlock (&t->lock);
  if (spec == NULL || t->checksum != NULL)
    return FALSE;
  t->checksum = g_steal_pointer (&spec);
  g_free (t->checksum_key);
  t->checksum_key = g_steal_pointer (&key);
  publish (t);
  return TRUE;
}

/* Headers (rule 8a) ---------------------------------------------------------------- */

void
haul_transfer_checksum_answer (Transfer    *t,
                               SoupMessage *msg,
                               HaulRequest *request)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  Lookup *lookup;
  GPtrArray *siblings;

  if (!haul_transfer_checksum_wanted (t))
    return;

  /* Content-Digest covers this body only: the whole file only in a 200. */
  t->checksum = haul_checksum_spec_new_from_headers (headers, soup_message_get_status (msg)
                                                               == SOUP_STATUS_OK);
  if (t->checksum != NULL)
    {
      publish (t);
      return;
    }

  if (t->lookup != NULL || t->lookup_started)
    return;
  siblings = haul_checksum_siblings (t->job->uri, t->state->final_uri, t->state->total,
                                     t->job->checksum_other_hosts);
  if (siblings->len == 0)
    {
      g_ptr_array_unref (siblings);
      return;
    }

  t->lookup_started = TRUE;
  lookup = g_new0 (Lookup, 1);
  lookup->t = t;
  lookup->siblings = siblings;
  lookup->file_uri = g_uri_ref (haul_request_get_uri (request));
  t->lookup = g_thread_new ("haul-checksum-lookup", lookup_thread, lookup);
}

/* In order (rule 8b) ----------------------------------------------------------- */

/* Brings the verifier to @offset from the bytes on disk; FALSE (quietly)
 * when it cannot, and then the check happens after the last byte. */
static gboolean
catch_up (Transfer *t,
          gint64    offset)
{
  g_autoptr(GError) error = NULL;

  if (t->verifier == NULL)
    t->verifier = haul_checksum_verifier_new (t->checksum);
  if (haul_checksum_verifier_get_offset (t->verifier) > offset)
    haul_checksum_verifier_reset (t->verifier);
  if (haul_checksum_verifier_get_offset (t->verifier) == offset)
    return TRUE;
  if (haul_partial_file_feed (t->partial, t->verifier, offset, NULL, NULL, t->stop, &error))
    return TRUE;

  g_debug ("The checksum will be checked at the end: %s", error->message);
  g_clear_pointer (&t->verifier, haul_checksum_verifier_free);
  return FALSE;
}

/* Before a resume asks for more: will it most likely go on, in order, on
 * one connection? Several would make the hashing of the kept bytes now
 * wasted work (it happens after the last byte then). */
static gboolean
likely_in_order (Transfer *t)
{
  return t->single_only || t->job->max_connections <= 1
         || t->state->total < 2 * t->job->min_split || haul_transfer_if_range (t) == NULL;
}

gboolean
haul_transfer_checksum_prepare (Transfer  *t,
                                GError   **error)
{
  take_found (t);
  if (t->checksum == NULL || t->partial == NULL || t->written == 0 || t->state->pieces != NULL
      || !likely_in_order (t))
    return TRUE;
  catch_up (t, t->written);
  if (haul_transfer_stopped (t))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
      return FALSE;
    }
  return TRUE;
}

void
haul_transfer_checksum_wrote (Transfer     *t,
                              gint64        offset,
                              const guint8 *data,
                              gsize         length)
{
  if (G_UNLIKELY (g_atomic_int_get (&t->lookup_found)) && take_found (t))
    catch_up (t, offset);
  if (t->verifier == NULL)
    {
      /* A checksum known from the start: the first write sets it up. */
      if (t->checksum == NULL || !t->follow || !catch_up (t, offset))
        {
          t->follow = FALSE;
          return;
        }
    }
  if (haul_checksum_verifier_get_offset (t->verifier) != offset)
    {
      /* Out of order: the check happens after the last byte. */
      g_clear_pointer (&t->verifier, haul_checksum_verifier_free);
      t->follow = FALSE;
      return;
    }
  haul_checksum_verifier_update (t->verifier, data, length);
}

void
haul_transfer_checksum_start_in_order (Transfer *t)
{
  t->follow = TRUE;
}

void
haul_transfer_checksum_truncated (Transfer *t,
                                  gint64    size)
{
  if (t->verifier != NULL && haul_checksum_verifier_get_offset (t->verifier) > size)
    {
      if (size == 0)
        haul_checksum_verifier_reset (t->verifier);
      else
        g_clear_pointer (&t->verifier, haul_checksum_verifier_free);
    }
}

void
haul_transfer_checksum_restarted (Transfer *t,
                                  gboolean  changed)
{
  if (t->verifier != NULL)
    haul_checksum_verifier_reset (t->verifier);
  /* Rule 8f. */
  if (changed && t->checksum != NULL
      && haul_checksum_spec_get_source (t->checksum) != HAUL_CHECKSUM_SOURCE_USER)
    {
      forget_cached (t);
      g_clear_pointer (&t->checksum, haul_checksum_spec_free);
      g_clear_pointer (&t->verifier, haul_checksum_verifier_free);
      t->lookup_started = FALSE;
      publish (t);
    }
}

/* After the last byte (rules 8c, 8d) ------------------------------------------------ */

static void
hashed_cb (gint64   hashed,
           gint64   total,
           gpointer data)
{
  haul_progress_cell_set_verified (data, hashed);
}

gboolean
haul_transfer_checksum_finish (Transfer  *t,
                               GError   **error)
{
  g_autoptr(GError) local = NULL;

  /* The lookup may still be asking: its answer is worth the wait (it is
   * bounded by the session's timeout). */
  if (t->checksum == NULL && t->lookup != NULL)
    {
      join_lookup (t);
      take_found (t);
    }
  if (t->checksum == NULL)
    return TRUE;

  if (t->partial == NULL)
    {
      /* Renamed by an earlier run, which checked it first. */
      t->result->verified = TRUE;
      return TRUE;
    }

  if (t->verifier == NULL || haul_checksum_verifier_get_offset (t->verifier) != t->written)
    {
      g_clear_pointer (&t->verifier, haul_checksum_verifier_free);
      t->verifier = haul_checksum_verifier_new (t->checksum);
      haul_progress_cell_set_verified (t->job->cell, 0);
      haul_progress_cell_set_phase (t->job->cell, HAUL_PROGRESS_VERIFYING);
      if (!haul_partial_file_feed (t->partial, t->verifier, t->written, hashed_cb, t->job->cell,
                                   t->stop, &local))
        {
          if (haul_transfer_stopped (t))
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
          else
            g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }

  if (!haul_checksum_verifier_finish (t->verifier, error))
    {
      forget_cached (t);
      return FALSE;
    }
  t->result->verified = TRUE;
  return TRUE;
}

void
haul_transfer_checksum_clear (Transfer *t)
{
  g_cancellable_cancel (t->lookup_cancel);
  join_lookup (t);
  take_found (t);
  g_clear_pointer (&t->lookup_spec, haul_checksum_spec_free);
  g_clear_pointer (&t->lookup_key, g_free);
  g_clear_pointer (&t->checksum_key, g_free);
  g_clear_pointer (&t->verifier, haul_checksum_verifier_free);
  g_clear_object (&t->lookup_cancel);
  t->result->checksum = g_steal_pointer (&t->checksum);
}
