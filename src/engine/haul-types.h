/* haul-types.h: the resume state every layer of the engine passes
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "haul-category.h"

G_BEGIN_DECLS

/* One piece of a download: bytes [start, end) of the file, of which the
 * first @done are on disk. @end is -1 while the length is unknown (one
 * piece from 0 to wherever the body ends). */
typedef struct
{
  gint64 start;
  gint64 end;
  gint64 done;
} HaulPiece;

/* Which file a path named when it was created: a late clean-up deletes
 * the path only if it still names that file. The birth time tells a new
 * file from an old one whose inode number was reused (0: not known). */
typedef struct
{
  guint64 dev;
  guint64 ino;
  gint64  birth;   /* ns since the epoch */
} HaulFileIdentity;

/* Where a download stands on disk. The one record the transfer reports in
 * checkpoints and results, the queue keeps on its download, and the store
 * writes: copied whole, never typed out field by field. */
typedef struct
{
  char    *final_uri;      /* (owned) (nullable) after redirects, without credentials */
  char    *file_name;      /* (owned) (nullable) the chosen, sanitised name */
  char    *partial_path;   /* (owned) (nullable) NAME.part; NULL once renamed or removed */
  char    *etag;           /* (owned) (nullable) strong ETag of the bytes on disk */
  char    *last_modified;  /* (owned) (nullable) */
  char    *content_type;   /* (owned) (nullable) */
  gint64   total;          /* -1 if unknown */
  gint64   confirmed;      /* bytes on disk and flushed: the sum of the pieces' done */
  GArray  *pieces;         /* (owned) (nullable) (element-type HaulPiece), sorted; NULL: one
                            * piece from 0 holding @confirmed bytes */
  HaulFileIdentity partial_id; /* of @partial_path (zeros: unknown), so a late clean-up
                                * never deletes a newer file of that name */
  char    *folder;         /* (owned) (nullable) the folder the partial was made in, and so
                            * the file's: fixed from then on. NULL: not decided here yet
                            * (the download's folder holds) */
  HaulCategory category;   /* the kind of file: a guess from the address until the
                            * answer came, then fixed with @folder */
} HaulResumeState;

#define HAUL_TYPE_RESUME_STATE (haul_resume_state_get_type ())
GType            haul_resume_state_get_type        (void) G_GNUC_CONST;

HaulResumeState *haul_resume_state_new             (void);
HaulResumeState *haul_resume_state_copy            (const HaulResumeState *state);
void             haul_resume_state_free            (HaulResumeState       *state);
/* Forgets everything but the name: the next attempt starts from zero. */
void             haul_resume_state_reset           (HaulResumeState       *state);
/* Replaces @state's pieces (copied; NULL for none) and sets confirmed. */
void             haul_resume_state_set_pieces      (HaulResumeState       *state,
                                                    const GArray          *pieces);

/* The pieces as text for the database: "START-END:DONE,…" (END may be
 * empty for an open piece); NULL when there are none. */
char            *haul_resume_state_pieces_to_string (const HaulResumeState *state);
/* Parses what pieces_to_string() wrote, checking every piece lies in
 * @total (if known), in order and without overlap. Returns NULL on any
 * doubt: a record that cannot be proved is not resumed from. */
GArray          *haul_pieces_from_string           (const char            *text,
                                                    gint64                 total);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HaulResumeState, haul_resume_state_free)

G_END_DECLS
