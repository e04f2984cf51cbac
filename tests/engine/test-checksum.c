/* test-checksum.c: expected checksums — typed, from headers — and the
 * streaming verifier
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "haul-checksum-headers.h"
#include "haul-checksum.h"
#include "haul-error.h"

#define ABC_MD5 "900150983cd24fb0d6963f7d28e17f72"
#define ABC_SHA1 "a9993e364706816aba3e25717850c26c9cd0d89d"
#define ABC_SHA256 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define ABC_SHA512 "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a" \
                   "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
/* The same digests in base64, as headers carry them. */
#define ABC_SHA256_B64 "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
#define ABC_SHA512_B64 "3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9" \
                       "RU1EI2Q86A4qmslPpUyknw=="
#define ABC_MD5_B64 "kAFQmDzST7DWlj99KOF/cg=="
#define ABC_SHA1_B64 "qZk+NkcGgWq6PiVxeFDCbJzQ2J0="
/* RFC 9530's example: the sha-256 of {"hello": "world"}. */
#define HELLO_SHA256_B64 "X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="

/* The base64 digest of @data, computed here with GChecksum. */
static char *
b64_of (GChecksumType  algorithm,
        const char    *data)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (algorithm);
  guint8 digest[64];
  gsize length = sizeof digest;

  g_checksum_update (checksum, (const guchar *) data, strlen (data));
  g_checksum_get_digest (checksum, digest, &length);
  return g_base64_encode (digest, length);
}

static void
check_parse (const char    *text,
             GChecksumType  algorithm,
             const char    *hex)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulChecksumSpec) spec = haul_checksum_spec_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (spec);
  g_assert_cmpint (haul_checksum_spec_get_algorithm (spec), ==, algorithm);
  g_assert_cmpstr (haul_checksum_spec_get_hex (spec), ==, hex);
  g_assert_cmpint (haul_checksum_spec_get_source (spec), ==, HAUL_CHECKSUM_SOURCE_USER);
  g_assert_null (haul_checksum_spec_get_origin (spec));
}

static void
check_parse_error (const char *text,
                   const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulChecksumSpec) spec = haul_checksum_spec_parse (text, &error);

  g_assert_null (spec);
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_INVALID);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
  g_assert_false (haul_error_is_resumable (error));
}

static void
test_parse_typed_forms (void)
{
  check_parse ("sha-256=" ABC_SHA256, G_CHECKSUM_SHA256, ABC_SHA256);
  check_parse ("sha256:" ABC_SHA256, G_CHECKSUM_SHA256, ABC_SHA256);
  check_parse ("SHA-256=" ABC_SHA256, G_CHECKSUM_SHA256, ABC_SHA256);
  check_parse ("Sha256 : " ABC_SHA256, G_CHECKSUM_SHA256, ABC_SHA256);
  check_parse ("sha256 " ABC_SHA256, G_CHECKSUM_SHA256, ABC_SHA256);
  check_parse ("  \tsha-512 = " ABC_SHA512 " \n", G_CHECKSUM_SHA512, ABC_SHA512);
  check_parse ("SHA512:" ABC_SHA512, G_CHECKSUM_SHA512, ABC_SHA512);
  check_parse ("md5=" ABC_MD5, G_CHECKSUM_MD5, ABC_MD5);
  check_parse ("MD5:" ABC_MD5, G_CHECKSUM_MD5, ABC_MD5);
  check_parse ("sha-1=" ABC_SHA1, G_CHECKSUM_SHA1, ABC_SHA1);
  check_parse ("sha1:" ABC_SHA1, G_CHECKSUM_SHA1, ABC_SHA1);
  /* Upper-case digits come out lower-case, as sha256sum prints them. */
  check_parse ("sha-256=BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
               G_CHECKSUM_SHA256, ABC_SHA256);
}

static void
test_parse_bare (void)
{
  check_parse (ABC_MD5, G_CHECKSUM_MD5, ABC_MD5);
  check_parse (ABC_SHA1, G_CHECKSUM_SHA1, ABC_SHA1);
  check_parse (ABC_SHA256, G_CHECKSUM_SHA256, ABC_SHA256);
  check_parse (ABC_SHA512, G_CHECKSUM_SHA512, ABC_SHA512);
  check_parse ("\n  " ABC_SHA256 "\r\n", G_CHECKSUM_SHA256, ABC_SHA256);
  check_parse ("BA7816BF8F01CFEA414140DE5DAE2223b00361a396177a9cb410ff61f20015ad",
               G_CHECKSUM_SHA256, ABC_SHA256);
}

static void
test_parse_errors (void)
{
  g_autofree char *short_sha256 = g_strndup (ABC_SHA256, 63);
  g_autofree char *typed_short = g_strconcat ("sha-256=", short_sha256, NULL);
  g_autofree char *typed_long = g_strconcat ("sha-256=", ABC_SHA256, "0", NULL);
  g_autofree char *md5_as_sha512 = g_strconcat ("sha-512=", ABC_MD5, NULL);
  g_autofree char *bad_digit = g_strconcat ("sha-256=", short_sha256, "g", NULL);

  check_parse_error ("", "The checksum is empty");
  check_parse_error (" \t\n ", "The checksum is empty");
  check_parse_error (typed_short, "A SHA-256 checksum has 64 hexadecimal digits; this one has 63");
  check_parse_error (typed_long, "A SHA-256 checksum has 64 hexadecimal digits; this one has 65");
  check_parse_error (md5_as_sha512,
                     "A SHA-512 checksum has 128 hexadecimal digits; this one has 32");
  check_parse_error (short_sha256,
                     "A checksum has 32 (MD5), 40 (SHA-1), 64 (SHA-256) or 128 (SHA-512) "
                     "hexadecimal digits; this one has 63");
  check_parse_error ("abc", NULL);
  check_parse_error (bad_digit, "“g” is not a hexadecimal digit (0–9, a–f)");
  check_parse_error ("sha-256=", "Type the hexadecimal digits of the checksum after “sha-256”");
  check_parse_error ("md5:   ", "Type the hexadecimal digits of the checksum after “md5”");
  check_parse_error ("sha-384=" ABC_SHA256,
                     "“sha-384” is not a checksum type Haul knows: use sha-256, sha-512, "
                     "sha-1 or md5");
  check_parse_error ("crc32=1234abcd", NULL);
  check_parse_error ("=" ABC_SHA256, NULL);
  /* A web address pasted into the wrong field. */
  check_parse_error ("https://example.com/file.iso",
                     "“https” is not a checksum type Haul knows: use sha-256, sha-512, "
                     "sha-1 or md5");
  /* A line copied from SHA256SUMS, name and all. */
  check_parse_error (ABC_SHA256 "  file.iso",
                     "A checksum has no spaces inside: type only its hexadecimal digits");
  check_parse_error ("sha-256=ba78 16bf", NULL);
  /* Base64, as in a header, is not what a person types. */
  check_parse_error ("sha-256=:" ABC_SHA256_B64 ":", "“:” is not a hexadecimal digit (0–9, a–f)");
  check_parse_error ("sha-256=" ABC_SHA256_B64, NULL);
}

static void
test_parse_hostile (void)
{
  g_autoptr(GString) huge = g_string_new ("sha-256=");
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulChecksumSpec) spec = NULL;

  /* Invalid UTF-8, control characters, non-ASCII look-alikes. */
  check_parse_error ("sha-256=\xff\xfe", "The checksum contains characters that are not "
                     "hexadecimal digits (0–9, a–f)");
  check_parse_error ("sha-256=ab\x1b[31m", "The checksum contains characters that are not "
                     "hexadecimal digits (0–9, a–f)");
  check_parse_error ("sha-256=ab\xc3\xa9", "“\xc3\xa9” is not a hexadecimal digit (0–9, a–f)");
  /* Fullwidth digits are not digits here. */
  check_parse_error ("\xef\xbc\x91\xef\xbc\x92", NULL);
  /* A right-to-left override in the type name must not reach the row. */
  check_parse_error ("sha\xe2\x80\xae" "652-ahs=" ABC_SHA256,
                     "“sha\xef\xbf\xbd" "652-ahs” is not a checksum type Haul knows: use "
                     "sha-256, sha-512, sha-1 or md5");
  check_parse_error ("sh\x1b" "a=" ABC_SHA256, NULL);

  /* A megabyte of digits: refused with its length, quickly. */
  for (int i = 0; i < 1024 * 1024; i++)
    g_string_append_c (huge, "0123456789abcdef"[i % 16]);
  check_parse_error (huge->str,
                     "A SHA-256 checksum has 64 hexadecimal digits; this one has 1048576");
  check_parse_error (huge->str + strlen ("sha-256="),
                     "A checksum has 32 (MD5), 40 (SHA-1), 64 (SHA-256) or 128 (SHA-512) "
                     "hexadecimal digits; this one has 1048576");

  /* A long type name is quoted short. */
  for (int i = 0; i < 10000; i++)
    g_string_append_c (long_name, 'x');
  g_string_append (long_name, "=" ABC_SHA256);
  spec = haul_checksum_spec_parse (long_name->str, &error);
  g_assert_null (spec);
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_INVALID);
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <, 200);
  g_assert_nonnull (strstr (error->message, "…"));
}

static void
test_spec_basics (void)
{
  g_autoptr(HaulChecksumSpec) spec = haul_checksum_spec_parse ("SHA-256=" ABC_SHA256, NULL);
  g_autoptr(HaulChecksumSpec) copy = NULL;
  g_autoptr(HaulChecksumSpec) again = NULL;
  g_autoptr(HaulChecksumSpec) restored = NULL;
  g_autoptr(HaulChecksumSpec) other_source = NULL;
  g_autofree char *text = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  GEnumClass *sources;
  const guint8 *digest;
  gsize length = 0;

  g_assert_nonnull (spec);
  digest = haul_checksum_spec_get_digest (spec, &length);
  g_assert_cmpuint (length, ==, 32);
  g_assert_cmpuint (digest[0], ==, 0xba);
  g_assert_cmpuint (digest[31], ==, 0xad);

  text = haul_checksum_spec_to_string (spec);
  g_assert_cmpstr (text, ==, "sha-256=" ABC_SHA256);
  again = haul_checksum_spec_parse (text, NULL);
  g_assert_true (haul_checksum_spec_equal (spec, again));

  copy = haul_checksum_spec_copy (spec);
  g_assert_true (copy != spec);
  g_assert_true (haul_checksum_spec_equal (spec, copy));

  restored = haul_checksum_spec_parse_full (text, HAUL_CHECKSUM_SOURCE_SIBLING,
                                            "https://example.com/pub/SHA256SUMS", NULL);
  g_assert_cmpint (haul_checksum_spec_get_source (restored), ==, HAUL_CHECKSUM_SOURCE_SIBLING);
  g_assert_cmpstr (haul_checksum_spec_get_origin (restored), ==,
                   "https://example.com/pub/SHA256SUMS");
  g_assert_false (haul_checksum_spec_equal (spec, restored));
  other_source = haul_checksum_spec_new (G_CHECKSUM_SHA256, digest, length,
                                         HAUL_CHECKSUM_SOURCE_REPR_DIGEST, NULL);
  g_assert_false (haul_checksum_spec_equal (spec, other_source));
  g_assert_true (haul_checksum_spec_equal (NULL, NULL));
  g_assert_false (haul_checksum_spec_equal (spec, NULL));

  /* A boxed type, so HaulDownload can hold it in a property. */
  g_value_init (&value, HAUL_TYPE_CHECKSUM_SPEC);
  g_value_set_boxed (&value, spec);
  g_assert_true (haul_checksum_spec_equal (g_value_get_boxed (&value), spec));
  g_assert_true (g_value_get_boxed (&value) != spec);

  sources = g_type_class_ref (HAUL_TYPE_CHECKSUM_SOURCE);
  g_assert_cmpstr (g_enum_get_value (sources, HAUL_CHECKSUM_SOURCE_CONTENT_DIGEST)->value_nick,
                   ==, "content-digest");
  g_assert_cmpuint (sources->n_values, ==, 5);
  g_type_class_unref (sources);
}

static void
test_algorithm_names (void)
{
  static const struct
  {
    const char    *name;
    GChecksumType  algorithm;
  } names[] = {
    { "sha-256", G_CHECKSUM_SHA256 }, { "SHA256", G_CHECKSUM_SHA256 },
    { "sha-512", G_CHECKSUM_SHA512 }, { "Sha512", G_CHECKSUM_SHA512 },
    { "sha-1", G_CHECKSUM_SHA1 }, { "SHA1", G_CHECKSUM_SHA1 },
    { "md5", G_CHECKSUM_MD5 }, { "MD5", G_CHECKSUM_MD5 },
  };
  GChecksumType algorithm;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (haul_checksum_algorithm_from_string (names[i].name, &algorithm));
      g_assert_cmpint (algorithm, ==, names[i].algorithm);
    }
  g_assert_false (haul_checksum_algorithm_from_string ("sha-384", &algorithm));
  g_assert_false (haul_checksum_algorithm_from_string ("sha", &algorithm));
  g_assert_false (haul_checksum_algorithm_from_string ("md-5", &algorithm));
  g_assert_false (haul_checksum_algorithm_from_string ("", &algorithm));
  g_assert_false (haul_checksum_algorithm_from_string ("sha-256 ", &algorithm));

  g_assert_cmpstr (haul_checksum_algorithm_get_label (G_CHECKSUM_SHA256), ==, "SHA-256");
  g_assert_cmpstr (haul_checksum_algorithm_get_label (G_CHECKSUM_SHA512), ==, "SHA-512");
  g_assert_cmpstr (haul_checksum_algorithm_get_label (G_CHECKSUM_SHA1), ==, "SHA-1");
  g_assert_cmpstr (haul_checksum_algorithm_get_label (G_CHECKSUM_MD5), ==, "MD5");
  g_assert_cmpstr (haul_checksum_algorithm_to_string (G_CHECKSUM_SHA512), ==, "sha-512");
  g_assert_cmpstr (haul_checksum_algorithm_to_string (G_CHECKSUM_MD5), ==, "md5");
}

static void
check_source (HaulChecksumSource  source,
              const char         *origin,
              const char         *expected)
{
  g_autoptr(HaulChecksumSpec) spec = haul_checksum_spec_parse_full ("sha-512=" ABC_SHA512, source,
                                                                    origin, NULL);
  g_autofree char *text = haul_checksum_spec_describe_source (spec);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_describe (void)
{
  g_autoptr(HaulChecksumSpec) sha256 = haul_checksum_spec_parse (ABC_SHA256, NULL);
  g_autoptr(HaulChecksumSpec) md5 = haul_checksum_spec_parse (ABC_MD5, NULL);
  g_autofree char *verified = haul_checksum_spec_describe_verified (sha256);
  g_autofree char *verified_md5 = haul_checksum_spec_describe_verified (md5);
  g_autofree char *checking = haul_checksum_spec_describe_checking (sha256);

  g_assert_cmpstr (verified, ==, "SHA-256 verified");
  g_assert_cmpstr (verified_md5, ==, "MD5 verified");
  g_assert_cmpstr (checking, ==, "Checking the SHA-256 checksum…");

  check_source (HAUL_CHECKSUM_SOURCE_USER, NULL, "as you entered it");
  check_source (HAUL_CHECKSUM_SOURCE_REPR_DIGEST, NULL, "from the server’s Repr-Digest header");
  check_source (HAUL_CHECKSUM_SOURCE_CONTENT_DIGEST, NULL,
                "from the server’s Content-Digest header");
  check_source (HAUL_CHECKSUM_SOURCE_DIGEST, NULL, "from the server’s Digest header");
  check_source (HAUL_CHECKSUM_SOURCE_SIBLING, "https://example.com/pub/SHA256SUMS",
                "from “SHA256SUMS” on the server");
  check_source (HAUL_CHECKSUM_SOURCE_SIBLING, "https://example.com/pub/my%20file.iso.sha512",
                "from “my file.iso.sha512” on the server");
  check_source (HAUL_CHECKSUM_SOURCE_SIBLING, NULL, "from a checksum file on the server");
  /* A name with a bidi override or an escape sequence is shown defanged. */
  check_source (HAUL_CHECKSUM_SOURCE_SIBLING, "https://example.com/a%E2%80%AEb%1B.sha256",
                "from “a\xef\xbf\xbd" "b\xef\xbf\xbd.sha256” on the server");
}

static void
test_check_mismatch (void)
{
  g_autoptr(HaulChecksumSpec) spec = haul_checksum_spec_parse ("md5=" ABC_MD5, NULL);
  g_autoptr(GError) error = NULL;
  guint8 digest[16] = { 0x90, 0x01, 0x50, 0x98, 0x3c, 0xd2, 0x4f, 0xb0,
                        0xd6, 0x96, 0x3f, 0x7d, 0x28, 0xe1, 0x7f, 0x72 };

  g_assert_true (haul_checksum_spec_check (spec, digest, sizeof digest, NULL));
  digest[15] ^= 1;
  g_assert_false (haul_checksum_spec_check (spec, digest, sizeof digest, &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_MISMATCH);
  g_assert_cmpstr (error->message, ==, "The checksum does not match: expected "
                   ABC_MD5 ", got 900150983cd24fb0d6963f7d28e17f73");
  g_assert_false (haul_error_is_resumable (error));
  g_clear_error (&error);
  /* A digest of another length never matches. */
  g_assert_false (haul_checksum_spec_check (spec, digest, 15, &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_MISMATCH);
}

static void
test_verifier (void)
{
  g_autoptr(HaulChecksumSpec) spec = haul_checksum_spec_parse ("sha-256=" ABC_SHA256, NULL);
  g_autoptr(HaulChecksumVerifier) verifier = haul_checksum_verifier_new (spec);
  g_autoptr(HaulChecksumVerifier) wrong = haul_checksum_verifier_new (spec);
  g_autoptr(GError) error = NULL;

  g_assert_true (haul_checksum_spec_equal (haul_checksum_verifier_get_spec (verifier), spec));
  g_assert_cmpint (haul_checksum_verifier_get_offset (verifier), ==, 0);
  g_assert_null (haul_checksum_verifier_get_actual (verifier));

  /* Bytes in any pieces, even empty ones, give the same digest. */
  haul_checksum_verifier_update (verifier, "a", 1);
  haul_checksum_verifier_update (verifier, "", 0);
  haul_checksum_verifier_update (verifier, "bc", 2);
  g_assert_cmpint (haul_checksum_verifier_get_offset (verifier), ==, 3);
  g_assert_true (haul_checksum_verifier_finish (verifier, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (haul_checksum_verifier_get_actual (verifier), ==, ABC_SHA256);

  /* Started again from zero: the old bytes are forgotten. */
  haul_checksum_verifier_reset (verifier);
  g_assert_null (haul_checksum_verifier_get_actual (verifier));
  g_assert_cmpint (haul_checksum_verifier_get_offset (verifier), ==, 0);
  haul_checksum_verifier_update (verifier, "abc", 3);
  g_assert_true (haul_checksum_verifier_finish (verifier, NULL));

  /* One byte changed, or one missing, or the order of arrival wrong. */
  haul_checksum_verifier_update (wrong, "bc", 2);
  haul_checksum_verifier_update (wrong, "a", 1);
  g_assert_false (haul_checksum_verifier_finish (wrong, &error));
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_MISMATCH);
  g_assert_cmpstr (haul_checksum_verifier_get_actual (wrong), ==,
                   "96e31900cc68fc888c1780af22244926f630f384f956d03c71d042eedea86127");
  g_assert_nonnull (strstr (error->message, "expected " ABC_SHA256 ", got 96e31900"));
  g_clear_error (&error);

  haul_checksum_verifier_reset (wrong);
  g_assert_false (haul_checksum_verifier_finish (wrong, &error));
  g_assert_cmpstr (haul_checksum_verifier_get_actual (wrong), ==,
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
test_verifier_each_algorithm (void)
{
  const char *texts[] = { ABC_MD5, ABC_SHA1, ABC_SHA256, ABC_SHA512 };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(HaulChecksumSpec) spec = haul_checksum_spec_parse (texts[i], NULL);
      g_autoptr(HaulChecksumVerifier) verifier = haul_checksum_verifier_new (spec);

      haul_checksum_verifier_update (verifier, "abc", 3);
      g_assert_true (haul_checksum_verifier_finish (verifier, NULL));
      g_assert_cmpstr (haul_checksum_verifier_get_actual (verifier), ==, texts[i]);
    }
}

/* Header values */

static HaulChecksumSpec *
field (HaulChecksumSource  source,
       const char         *value)
{
  return haul_checksum_spec_new_from_field (source, value);
}

static void
check_field (HaulChecksumSource  source,
             const char         *value,
             GChecksumType       algorithm,
             const char         *hex)
{
  g_autoptr(HaulChecksumSpec) spec = field (source, value);

  if (spec == NULL)
    g_error ("no digest found in “%s”", value);
  g_assert_cmpint (haul_checksum_spec_get_algorithm (spec), ==, algorithm);
  g_assert_cmpstr (haul_checksum_spec_get_hex (spec), ==, hex);
  g_assert_cmpint (haul_checksum_spec_get_source (spec), ==, source);
}

static void
check_no_field (HaulChecksumSource  source,
                const char         *value)
{
  g_autoptr(HaulChecksumSpec) spec = field (source, value);

  if (spec != NULL)
    g_error ("“%s” gave %s", value, haul_checksum_spec_get_hex (spec));
}

#define REPR HAUL_CHECKSUM_SOURCE_REPR_DIGEST
#define CONTENT HAUL_CHECKSUM_SOURCE_CONTENT_DIGEST
#define LEGACY HAUL_CHECKSUM_SOURCE_DIGEST

static void
test_rfc9530_good (void)
{
  g_autofree char *hello = b64_of (G_CHECKSUM_SHA256, "{\"hello\": \"world\"}");

  /* RFC 9530's own example, and the digest computed here agrees. */
  g_assert_cmpstr (hello, ==, HELLO_SHA256_B64);
  check_field (REPR, "sha-256=:" HELLO_SHA256_B64 ":",
               G_CHECKSUM_SHA256,
               "5f8f04f6a3a892aaabbddb6cf273894493773960d4a325b105fee46eef4304f1");

  check_field (REPR, "sha-256=:" ABC_SHA256_B64 ":", G_CHECKSUM_SHA256, ABC_SHA256);
  check_field (CONTENT, "sha-256=:" ABC_SHA256_B64 ":", G_CHECKSUM_SHA256, ABC_SHA256);
  check_field (REPR, "sha-512=:" ABC_SHA512_B64 ":", G_CHECKSUM_SHA512, ABC_SHA512);
  /* sha-512 wins, wherever it stands. */
  check_field (REPR, "sha-256=:" ABC_SHA256_B64 ":, sha-512=:" ABC_SHA512_B64 ":",
               G_CHECKSUM_SHA512, ABC_SHA512);
  check_field (REPR, "sha-512=:" ABC_SHA512_B64 ":,sha-256=:" ABC_SHA256_B64 ":",
               G_CHECKSUM_SHA512, ABC_SHA512);
  /* Spaces and tabs around the commas, leading and trailing spaces. */
  check_field (REPR, "   unixsum=:AAA=: \t,\t sha-256=:" ABC_SHA256_B64 ":   ",
               G_CHECKSUM_SHA256, ABC_SHA256);
  /* Without "=" padding (RFC 8941 asks parsers not to fail). */
  check_field (REPR, "sha-256=:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0:",
               G_CHECKSUM_SHA256, ABC_SHA256);
  /* Parameters of every kind, and members of every type, are stepped over. */
  check_field (REPR, "foo=1, bar=-2.5, baz=\"a \\\"q\\\" \\\\ b\", tok=text/plain:x, "
               "flag, off=?0, on=?1, list=(1 \"two\" :AA==: three;p=1);q=2, "
               "when=@1659578233, s=%\"caf%c3%a9\", "
               "sha-256=:" ABC_SHA256_B64 ":;v=1;w=\"x\";z",
               G_CHECKSUM_SHA256, ABC_SHA256);
  /* Unknown and insecure algorithms are ignored, the good one kept. */
  check_field (REPR, "md5=:" ABC_MD5_B64 ":, sha=:" ABC_SHA1_B64 ":, crc32c=:AAAAAA==:, "
               "adler=:AAAAAA==:, unixcksum=:AA==:, sha-256=:" ABC_SHA256_B64 ":",
               G_CHECKSUM_SHA256, ABC_SHA256);
  /* The same value twice is no contradiction. */
  check_field (REPR, "sha-256=:" ABC_SHA256_B64 ":, sha-256=:" ABC_SHA256_B64 ":",
               G_CHECKSUM_SHA256, ABC_SHA256);
}

static void
test_rfc9530_bad (void)
{
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autoptr(GString) many = g_string_new (NULL);

  check_no_field (REPR, NULL);
  check_no_field (REPR, "");
  check_no_field (REPR, "   ");
  /* Only insecure or unknown algorithms. */
  check_no_field (REPR, "md5=:" ABC_MD5_B64 ":");
  check_no_field (REPR, "sha=:" ABC_SHA1_B64 ":");
  check_no_field (REPR, "sha-1=:" ABC_SHA1_B64 ":");
  check_no_field (REPR, "sha-384=:" ABC_SHA512_B64 ":");
  /* Wrong lengths: a sha-256 of 16 bytes, a sha-512 of 32. */
  check_no_field (REPR, "sha-256=:" ABC_MD5_B64 ":");
  check_no_field (REPR, "sha-512=:" ABC_SHA256_B64 ":");
  check_no_field (REPR, "sha-256=::");
  /* A bad sha-512 leaves a good sha-256 usable. */
  check_field (REPR, "sha-512=:" ABC_SHA256_B64 ":, sha-256=:" ABC_SHA256_B64 ":",
               G_CHECKSUM_SHA256, ABC_SHA256);
  /* Not a byte sequence. */
  check_no_field (REPR, "sha-256=" ABC_SHA256);
  check_no_field (REPR, "sha-256=\"" ABC_SHA256_B64 "\"");
  check_no_field (REPR, "sha-256");
  check_no_field (REPR, "sha-256=?1");
  check_no_field (REPR, "sha-256=(:" ABC_SHA256_B64 ":)");
  /* Not base64, "=" in the middle, base64url, a dangling character. */
  check_no_field (REPR, "sha-256=:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAF!0=:");
  check_no_field (REPR, "sha-256=:ungWv48B=+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=:");
  check_no_field (REPR, "sha-256=:ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0=:");
  check_no_field (REPR, "sha-256=:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=A:");
  check_no_field (REPR, "sha-256=:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0===:");
  check_no_field (REPR, "sha-256=:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0==:");
  check_no_field (REPR, "sha-256=:" ABC_SHA256_B64 "=:");
  /* A syntax error anywhere fails the whole field (RFC 8941). */
  check_no_field (REPR, "sha-512=:" ABC_SHA512_B64 ":, sha-256=:inv!lid:");
  check_no_field (REPR, "sha-256=:" ABC_SHA256_B64 ":,");
  check_no_field (REPR, ",sha-256=:" ABC_SHA256_B64 ":");
  check_no_field (REPR, "sha-256=:" ABC_SHA256_B64 ": sha-512=:" ABC_SHA512_B64 ":");
  check_no_field (REPR, "sha-256=:" ABC_SHA256_B64);
  check_no_field (REPR, "sha-256=:" ABC_SHA256_B64 ":, x=\"unterminated");
  check_no_field (REPR, "sha-256=:" ABC_SHA256_B64 ":, x=1234567890123456");
  check_no_field (REPR, "sha-256=:" ABC_SHA256_B64 ":, x=1.2345");
  check_no_field (REPR, "sha-256=:" ABC_SHA256_B64 ":, x=?2");
  check_no_field (REPR, "sha-256=:" ABC_SHA256_B64 ":, x=(1 2");
  check_no_field (REPR, "sha-256=:" ABC_SHA256_B64 ":;");
  /* Keys are lower-case in RFC 9530: upper case is not its syntax. */
  check_no_field (REPR, "SHA-256=:" ABC_SHA256_B64 ":");
  check_no_field (REPR, "Sha-256=:" ABC_SHA256_B64 ":");
  /* Non-ASCII and control characters. */
  check_no_field (REPR, "sha-256=:" ABC_SHA256_B64 ":, x=\"caf\xc3\xa9\"");
  check_no_field (REPR, "sha-256=:" ABC_SHA256_B64 ":\x01");
  check_no_field (REPR, "\xef\xbb\xbfsha-256=:" ABC_SHA256_B64 ":");
  /* A NUL ends a C string: what follows is never seen. */
  check_no_field (REPR, "sha-256=:ungWv48Bz+pBQUDeXa4i\0I7ADYaOWF3qctBD/YfIAFa0=:");

  /* Two different values for one algorithm: neither is trusted, and a
   * good sha-512 beside them still is. */
  check_no_field (REPR, "sha-256=:" ABC_SHA256_B64 ":, sha-256=:" HELLO_SHA256_B64 ":");
  check_field (REPR, "sha-256=:" ABC_SHA256_B64 ":, sha-512=:" ABC_SHA512_B64 ":, "
               "sha-256=:" HELLO_SHA256_B64 ":",
               G_CHECKSUM_SHA512, ABC_SHA512);
  check_no_field (REPR, "sha-256=:" ABC_SHA256_B64 ":, sha-256");

  /* Big: a megabyte of one byte sequence, then 20000 members. */
  g_string_append (huge, "sha-256=:");
  for (int i = 0; i < 1024 * 1024; i++)
    g_string_append_c (huge, 'A');
  g_string_append (huge, ":");
  check_no_field (REPR, huge->str);
  for (int i = 0; i < 20000; i++)
    g_string_append_printf (many, "k%d=:AAAA:, ", i);
  g_string_append (many, "sha-256=:" ABC_SHA256_B64 ":");
  check_field (REPR, many->str, G_CHECKSUM_SHA256, ABC_SHA256);
}

static void
test_rfc3230 (void)
{
  check_field (LEGACY, "SHA-256=" ABC_SHA256_B64, G_CHECKSUM_SHA256, ABC_SHA256);
  check_field (LEGACY, "sha-256=" ABC_SHA256_B64, G_CHECKSUM_SHA256, ABC_SHA256);
  check_field (LEGACY, "Sha-512=" ABC_SHA512_B64, G_CHECKSUM_SHA512, ABC_SHA512);
  check_field (LEGACY, "MD5=" ABC_MD5_B64 ",SHA-256=" ABC_SHA256_B64,
               G_CHECKSUM_SHA256, ABC_SHA256);
  check_field (LEGACY, " SHA-256 = " ABC_SHA256_B64 " ,  SHA-512=" ABC_SHA512_B64 " ",
               G_CHECKSUM_SHA512, ABC_SHA512);
  check_field (LEGACY, "UNIXsum=30637, SHA-256=" ABC_SHA256_B64 ",,", G_CHECKSUM_SHA256,
               ABC_SHA256);
  /* A malformed element spoils only itself. */
  check_field (LEGACY, "SHA-512=not base64!, SHA-256=" ABC_SHA256_B64,
               G_CHECKSUM_SHA256, ABC_SHA256);
  check_field (LEGACY, "garbage, SHA-256=" ABC_SHA256_B64, G_CHECKSUM_SHA256, ABC_SHA256);

  check_no_field (LEGACY, NULL);
  check_no_field (LEGACY, "");
  check_no_field (LEGACY, "MD5=" ABC_MD5_B64);
  check_no_field (LEGACY, "SHA=" ABC_SHA1_B64);
  check_no_field (LEGACY, "UNIXsum=30637");
  /* Hexadecimal where base64 belongs decodes to the wrong length. */
  check_no_field (LEGACY, "SHA-256=" ABC_SHA256);
  check_no_field (LEGACY, "SHA-256=" ABC_MD5_B64);
  check_no_field (LEGACY, "SHA-256=");
  check_no_field (LEGACY, "SHA-256=:" ABC_SHA256_B64 ":");
  check_no_field (LEGACY, "SHA-256=\"" ABC_SHA256_B64 "\"");
  check_no_field (LEGACY, "SHA-256" ABC_SHA256_B64);
  check_no_field (LEGACY, "id-sha-256=" ABC_SHA256_B64);
  /* Contradicting itself. */
  check_no_field (LEGACY, "SHA-256=" ABC_SHA256_B64 ", sha-256=" HELLO_SHA256_B64);
  check_no_field (LEGACY, "SHA-256=" ABC_SHA256_B64 ", SHA-256=bad");
}

static SoupMessageHeaders *
headers_new (const char *first_name,
             ...)
{
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  const char *name = first_name;
  va_list args;

  va_start (args, first_name);
  while (name != NULL)
    {
      soup_message_headers_append (headers, name, va_arg (args, const char *));
      name = va_arg (args, const char *);
    }
  va_end (args);
  return headers;
}

static void
check_headers (SoupMessageHeaders *headers,
               gboolean            whole,
               HaulChecksumSource  source,
               GChecksumType       algorithm)
{
  g_autoptr(HaulChecksumSpec) spec = haul_checksum_spec_new_from_headers (headers, whole);

  g_assert_nonnull (spec);
  g_assert_cmpint (haul_checksum_spec_get_source (spec), ==, source);
  g_assert_cmpint (haul_checksum_spec_get_algorithm (spec), ==, algorithm);
}

static void
test_from_headers (void)
{
  g_autoptr(SoupMessageHeaders) all = headers_new ("Digest", "SHA-512=" ABC_SHA512_B64,
                                                   "Content-Digest", "sha-512=:" ABC_SHA512_B64 ":",
                                                   "Repr-Digest", "sha-256=:" ABC_SHA256_B64 ":",
                                                   NULL);
  g_autoptr(SoupMessageHeaders) content = headers_new ("Content-Digest",
                                                       "sha-256=:" ABC_SHA256_B64 ":",
                                                       "Digest", "SHA-256=" ABC_SHA256_B64,
                                                       NULL);
  g_autoptr(SoupMessageHeaders) only_content = headers_new ("Content-Digest",
                                                            "sha-256=:" ABC_SHA256_B64 ":",
                                                            NULL);
  g_autoptr(SoupMessageHeaders) bad_repr = headers_new ("Repr-Digest", "sha-256=:nope!:",
                                                        "digest", "sha-256=" ABC_SHA256_B64,
                                                        NULL);
  g_autoptr(SoupMessageHeaders) split = headers_new ("Repr-Digest", "sha-256=:" ABC_SHA256_B64 ":",
                                                     "Repr-Digest", "sha-512=:" ABC_SHA512_B64 ":",
                                                     NULL);
  g_autoptr(SoupMessageHeaders) none = headers_new ("Content-Type", "application/x-iso9660-image",
                                                    "Digest", "MD5=" ABC_MD5_B64,
                                                    "Content-MD5", ABC_MD5_B64,
                                                    NULL);
  g_autoptr(HaulChecksumSpec) from_part = NULL;
  g_autoptr(HaulChecksumSpec) from_none = NULL;

  /* Repr-Digest first, even when a stronger digest comes in another one. */
  check_headers (all, TRUE, HAUL_CHECKSUM_SOURCE_REPR_DIGEST, G_CHECKSUM_SHA256);
  check_headers (all, FALSE, HAUL_CHECKSUM_SOURCE_REPR_DIGEST, G_CHECKSUM_SHA256);
  /* Content-Digest for a whole body only: a 206's covers the part. */
  check_headers (content, TRUE, HAUL_CHECKSUM_SOURCE_CONTENT_DIGEST, G_CHECKSUM_SHA256);
  check_headers (content, FALSE, HAUL_CHECKSUM_SOURCE_DIGEST, G_CHECKSUM_SHA256);
  from_part = haul_checksum_spec_new_from_headers (only_content, FALSE);
  g_assert_null (from_part);
  /* A broken Repr-Digest falls through to the next field. */
  check_headers (bad_repr, FALSE, HAUL_CHECKSUM_SOURCE_DIGEST, G_CHECKSUM_SHA256);
  /* Two header lines are one dictionary. */
  check_headers (split, FALSE, HAUL_CHECKSUM_SOURCE_REPR_DIGEST, G_CHECKSUM_SHA512);
  from_none = haul_checksum_spec_new_from_headers (none, TRUE);
  g_assert_null (from_none);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/engine/checksum/parse/typed-forms", test_parse_typed_forms);
  g_test_add_func ("/haul/engine/checksum/parse/bare", test_parse_bare);
  g_test_add_func ("/haul/engine/checksum/parse/errors", test_parse_errors);
  g_test_add_func ("/haul/engine/checksum/parse/hostile", test_parse_hostile);
  g_test_add_func ("/haul/engine/checksum/spec/basics", test_spec_basics);
  g_test_add_func ("/haul/engine/checksum/spec/algorithm-names", test_algorithm_names);
  g_test_add_func ("/haul/engine/checksum/spec/describe", test_describe);
  g_test_add_func ("/haul/engine/checksum/spec/mismatch", test_check_mismatch);
  g_test_add_func ("/haul/engine/checksum/verifier/stream", test_verifier);
  g_test_add_func ("/haul/engine/checksum/verifier/each-algorithm", test_verifier_each_algorithm);
  g_test_add_func ("/haul/engine/checksum/header/rfc9530-good", test_rfc9530_good);
  g_test_add_func ("/haul/engine/checksum/header/rfc9530-bad", test_rfc9530_bad);
  g_test_add_func ("/haul/engine/checksum/header/rfc3230", test_rfc3230);
  g_test_add_func ("/haul/engine/checksum/header/from-headers", test_from_headers);

  return g_test_run ();
}
