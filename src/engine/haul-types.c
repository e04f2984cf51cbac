/* haul-types.c: the resume state every layer of the engine passes
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "haul-types.h"

/* More pieces than connections a download may have, with room for the
 * splits a slow connection causes; a longer list is not ours. */
#define MAX_PIECES 256

G_DEFINE_BOXED_TYPE (HaulResumeState, haul_resume_state,
                     haul_resume_state_copy, haul_resume_state_free)

HaulResumeState *
haul_resume_state_new (void)
{
  HaulResumeState *state = g_new0 (HaulResumeState, 1);

  state->total = -1;
  return state;
}

HaulResumeState *
haul_resume_state_copy (const HaulResumeState *state)
{
  HaulResumeState *copy;

  g_return_val_if_fail (state != NULL, NULL);

  copy = g_new0 (HaulResumeState, 1);
  copy->final_uri = g_strdup (state->final_uri);
  copy->file_name = g_strdup (state->file_name);
  copy->partial_path = g_strdup (state->partial_path);
  copy->etag = g_strdup (state->etag);
  copy->last_modified = g_strdup (state->last_modified);
  copy->content_type = g_strdup (state->content_type);
  copy->total = state->total;
  copy->confirmed = state->confirmed;
  copy->partial_id = state->partial_id;
  copy->folder = g_strdup (state->folder);
  copy->category = state->category;
  if (state->pieces != NULL)
    {
      copy->pieces = g_array_sized_new (FALSE, FALSE, sizeof (HaulPiece), state->pieces->len);
      g_array_append_vals (copy->pieces, state->pieces->data, state->pieces->len);
    }
  return copy;
}

void
haul_resume_state_free (HaulResumeState *state)
{
  if (state == NULL)
    return;

  g_free (state->final_uri);
  g_free (state->file_name);
  g_free (state->partial_path);
  g_free (state->etag);
  g_free (state->last_modified);
  g_free (state->content_type);
  g_free (state->folder);
  g_clear_pointer (&state->pieces, g_array_unref);
  g_free (state);
}

/* The folder and the kind stay with the name: with no partial left, the
 * next attempt may decide them again (haul-transfer.c). */
void
haul_resume_state_reset (HaulResumeState *state)
{
  g_return_if_fail (state != NULL);

  g_clear_pointer (&state->partial_path, g_free);
  g_clear_pointer (&state->etag, g_free);
  g_clear_pointer (&state->last_modified, g_free);
  g_clear_pointer (&state->pieces, g_array_unref);
  state->confirmed = 0;
  memset (&state->partial_id, 0, sizeof state->partial_id);
}

void
haul_resume_state_set_pieces (HaulResumeState *state,
                              const GArray    *pieces)
{
  gint64 confirmed = 0;

  g_return_if_fail (state != NULL);

  g_clear_pointer (&state->pieces, g_array_unref);
  if (pieces == NULL)
    return;

  state->pieces = g_array_sized_new (FALSE, FALSE, sizeof (HaulPiece), pieces->len);
  g_array_append_vals (state->pieces, pieces->data, pieces->len);
  for (guint i = 0; i < pieces->len; i++)
    confirmed += g_array_index (pieces, HaulPiece, i).done;
  state->confirmed = confirmed;
}

char *
haul_resume_state_pieces_to_string (const HaulResumeState *state)
{
  GString *out;

  g_return_val_if_fail (state != NULL, NULL);

  if (state->pieces == NULL || state->pieces->len == 0)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; i < state->pieces->len; i++)
    {
      const HaulPiece *piece = &g_array_index (state->pieces, HaulPiece, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "%" G_GINT64_FORMAT "-", piece->start);
      if (piece->end >= 0)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, piece->end);
      g_string_append_printf (out, ":%" G_GINT64_FORMAT, piece->done);
    }
  return g_string_free (out, FALSE);
}

/* Digits only, at most 18 of them: never a sign, a space or an overflow. */
static gboolean
parse_number (const char  *text,
              gsize        length,
              gint64      *value)
{
  if (length == 0 || length > 18)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  *value = g_ascii_strtoll (text, NULL, 10);
  return TRUE;
}

GArray *
haul_pieces_from_string (const char *text,
                         gint64      total)
{
  g_autoptr(GArray) pieces = g_array_new (FALSE, FALSE, sizeof (HaulPiece));
  g_auto(GStrv) items = NULL;
  gint64 next_start = 0;

  if (text == NULL || *text == '\0')
    return NULL;

  items = g_strsplit (text, ",", MAX_PIECES + 1);
  if (g_strv_length (items) > MAX_PIECES)
    return NULL;

  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = items[i];
      const char *dash = strchr (item, '-');
      const char *colon = dash != NULL ? strchr (dash, ':') : NULL;
      HaulPiece piece = { 0, -1, 0 };

      if (dash == NULL || colon == NULL
          || !parse_number (item, dash - item, &piece.start)
          || !parse_number (colon + 1, strlen (colon + 1), &piece.done))
        return NULL;
      if (colon > dash + 1 && !parse_number (dash + 1, colon - dash - 1, &piece.end))
        return NULL;

      /* In order, no overlap, each within its own bounds and the file's. */
      if (piece.start < next_start)
        return NULL;
      if (piece.end >= 0 && (piece.end <= piece.start || piece.done > piece.end - piece.start))
        return NULL;
      if (total >= 0 && (piece.end < 0 || piece.end > total))
        return NULL;
      if (piece.end < 0 && items[i + 1] != NULL)
        return NULL;
      next_start = piece.end >= 0 ? piece.end : G_MAXINT64;
      g_array_append_val (pieces, piece);
    }

  return g_steal_pointer (&pieces);
}
