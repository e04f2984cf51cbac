/* fuzz-chunked.c: the strict chunked decoder (haul-chunked.c)
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a chunked body as a server might send it. Invariants:
 * - the bytes may arrive in any pieces: fed whole, byte by byte, or split
 *   at any point (every point for short inputs), the decoder gives the
 *   same data and ends in the same state;
 * - it never gives more data bytes than it was fed, and is never both
 *   done and failed.
 * Then a round trip: the input is also the data of a well-formed body
 * whose chunk sizes, digit case, leading zeros, extensions, trailers and
 * garbage after the end are drawn from a generator seeded by the input.
 * Decoded, it gives back exactly the data and is done; every cut of it
 * short of the end is neither done nor failed (a cut body must never pass
 * for a whole one) and gives a prefix of the data.
 */

#include "config.h"

#include <string.h>

#include "haul-chunked.h"
#include "haul-fuzz.h"

/* Inputs up to this long are split at every point; longer ones at
 * SAMPLED_SPLITS points. */
#define ALL_SPLITS_MAX 96
#define SAMPLED_SPLITS 48

typedef struct
{
  HaulChunkedDecoder decoder;
  GByteArray        *data;
} Decoded;

static void
decoded_clear (Decoded *d)
{
  g_clear_pointer (&d->data, g_byte_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Decoded, decoded_clear)

/* Decodes in place, as the engine does: into the end of d->data, which
 * is then cut to the data bytes (no allocation per feed: byte-by-byte
 * feeding stays fast). */
static void
feed (Decoded      *d,
      const guint8 *bytes,
      gsize         length)
{
  guint before = d->data->len;
  gsize n;

  g_byte_array_append (d->data, bytes, length);
  /* An empty array has no data pointer to offset. */
  n = haul_chunked_decoder_feed (&d->decoder, length > 0 ? d->data->data + before : NULL, length);
  g_assert_cmpuint (n, <=, length);
  g_assert_false (haul_chunked_decoder_is_done (&d->decoder)
                  && haul_chunked_decoder_failed (&d->decoder));
  g_byte_array_set_size (d->data, before + n);
}

/* Fed in two pieces, split at @split (an empty feed between them). */
static void
decode_split (const guint8 *input,
              gsize         size,
              gsize         split,
              Decoded      *d)
{
  haul_chunked_decoder_init (&d->decoder);
  d->data = g_byte_array_new ();
  feed (d, input, split);
  feed (d, input + split, 0);
  feed (d, input + split, size - split);
}

static void
decode_bytewise (const guint8 *input,
                 gsize         size,
                 Decoded      *d)
{
  haul_chunked_decoder_init (&d->decoder);
  d->data = g_byte_array_new ();
  for (gsize i = 0; i < size; i++)
    feed (d, input + i, 1);
}

static void
assert_same (const Decoded *a,
             const Decoded *b)
{
  g_assert_cmpint (a->decoder.state, ==, b->decoder.state);
  g_assert_cmpuint (a->decoder.size, ==, b->decoder.size);
  g_assert_cmpuint (a->decoder.digits, ==, b->decoder.digits);
  g_assert_cmpmem (a->data->data, a->data->len, b->data->data, b->data->len);
}

static gsize
split_point (gsize size,
             guint i,
             guint n_splits)
{
  if (size <= ALL_SPLITS_MAX)
    return i;
  /* Spread over the input, off the round numbers. */
  return MIN (size, (gsize) i * size / n_splits + i % 7);
}

static guint
n_splits_for (gsize size)
{
  return size <= ALL_SPLITS_MAX ? (guint) size + 1 : SAMPLED_SPLITS;
}

/* Any input: the pieces it comes in do not matter. */
static void
check_any (const guint8 *input,
           gsize         size)
{
  g_auto(Decoded) whole = { 0 };
  g_auto(Decoded) bytewise = { 0 };

  decode_split (input, size, size, &whole);
  g_assert_cmpuint (whole.data->len, <=, size);

  decode_bytewise (input, size, &bytewise);
  assert_same (&whole, &bytewise);

  for (guint i = 0; i < n_splits_for (size); i++)
    {
      g_auto(Decoded) split = { 0 };

      decode_split (input, size, split_point (size, i, n_splits_for (size)), &split);
      assert_same (&whole, &split);
    }
}

static void
append_size_line (GString *out,
                  GRand   *rand,
                  gsize    size)
{
  g_autofree char *hex = g_strdup_printf ("%" G_GSIZE_MODIFIER "x", size);
  guint zeros = g_rand_int_range (rand, 0, 16 - strlen (hex));

  for (guint i = 0; i < zeros; i++)
    g_string_append_c (out, '0');
  for (const char *p = hex; *p != '\0'; p++)
    g_string_append_c (out, g_rand_boolean (rand) ? g_ascii_toupper (*p) : *p);

  switch (g_rand_int_range (rand, 0, 6))
    {
    case 0:
      g_string_append (out, ";name=value");
      break;
    case 1:
      g_string_append (out, " ; quoted=\"a;b\"");
      break;
    case 2:
      g_string_append (out, "\t;x");
      break;
    default:
      break;
    }
  g_string_append (out, "\r\n");
}

/* A well-formed chunked body carrying @data. */
static GString *
encode (const guint8 *data,
        gsize         size)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (size * 2654435761u
                                                ^ (size > 0 ? data[0] | data[size - 1] << 8 : 0));
  gsize pos = 0;
  guint n_trailers;

  while (pos < size)
    {
      /* Drawn first: MIN() evaluates its arguments twice. */
      gsize drawn = g_rand_int_range (rand, 1, 300);
      gsize chunk = MIN (size - pos, drawn);

      append_size_line (out, rand, chunk);
      g_string_append_len (out, (const char *) data + pos, chunk);
      g_string_append (out, "\r\n");
      pos += chunk;
    }

  append_size_line (out, rand, 0);
  n_trailers = g_rand_int_range (rand, 0, 3);
  for (guint i = 0; i < n_trailers; i++)
    g_string_append_printf (out, "X-Trailer-%u: value %u\r\n", i, g_rand_int (rand));
  g_string_append (out, "\r\n");
  return out;
}

static void
check_round_trip (const guint8 *data,
                  gsize         size)
{
  g_autoptr(GString) body = encode (data, size);
  const guint8 *bytes = (const guint8 *) body->str;
  gsize length = body->len;
  g_auto(Decoded) whole = { 0 };
  g_auto(Decoded) followed = { 0 };
  g_autoptr(GString) with_garbage = g_string_new_len (body->str, body->len);

  decode_split (bytes, length, length, &whole);
  g_assert_true (haul_chunked_decoder_is_done (&whole.decoder));
  g_assert_cmpmem (whole.data->data, whole.data->len, data, size);

  /* What follows the body is not part of it. */
  g_string_append (with_garbage, "5\r\nextra\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n");
  decode_split ((const guint8 *) with_garbage->str, with_garbage->len, length, &followed);
  assert_same (&whole, &followed);

  for (guint i = 0; i < n_splits_for (length); i++)
    {
      gsize cut = split_point (length, i, n_splits_for (length));
      g_auto(Decoded) part = { 0 };
      g_auto(Decoded) split = { 0 };

      if (cut >= length)
        continue;

      /* Cut: neither done nor failed, and what came is the start of it. */
      decode_split (bytes, cut, cut, &part);
      g_assert_false (haul_chunked_decoder_is_done (&part.decoder));
      g_assert_false (haul_chunked_decoder_failed (&part.decoder));
      g_assert_cmpuint (part.data->len, <=, size);
      g_assert_cmpmem (part.data->data, part.data->len, data, part.data->len);

      decode_split (bytes, length, cut, &split);
      assert_same (&whole, &split);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  check_any (data, size);
  check_round_trip (data, size);
  return 0;
}
