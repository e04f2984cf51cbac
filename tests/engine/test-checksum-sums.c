/* test-checksum-sums.c: checksum files beside a download, and which ones
 * to ask for
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "haul-checksum-sums.h"
#include "haul-error.h"

#define ABC_SHA256 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define ABC_SHA256_UPPER "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"
#define OTHER_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define ABC_SHA512 "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a" \
                   "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
#define ABC_MD5 "900150983cd24fb0d6963f7d28e17f72"
#define ORIGIN "https://example.com/pub/SHA256SUMS"

static HaulChecksumSpec *
find_full (const char     *contents,
           gsize           length,
           GChecksumType   algorithm,
           const char     *file_name,
           gboolean        allow_bare,
           GError        **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (contents, length);

  return haul_checksum_sums_find (bytes, algorithm, file_name, allow_bare, ORIGIN, error);
}

static void
check_found (const char    *contents,
             const char    *file_name,
             gboolean       allow_bare,
             const char    *hex)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulChecksumSpec) spec = find_full (contents, strlen (contents), G_CHECKSUM_SHA256,
                                                file_name, allow_bare, &error);

  g_assert_no_error (error);
  g_assert_nonnull (spec);
  g_assert_cmpstr (haul_checksum_spec_get_hex (spec), ==, hex);
  g_assert_cmpint (haul_checksum_spec_get_algorithm (spec), ==, G_CHECKSUM_SHA256);
  g_assert_cmpint (haul_checksum_spec_get_source (spec), ==, HAUL_CHECKSUM_SOURCE_SIBLING);
  g_assert_cmpstr (haul_checksum_spec_get_origin (spec), ==, ORIGIN);
}

static void
check_not_found (const char *contents,
                 gsize       length,
                 const char *file_name,
                 gboolean    allow_bare,
                 const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulChecksumSpec) spec = find_full (contents, length, G_CHECKSUM_SHA256, file_name,
                                                allow_bare, &error);

  if (spec != NULL)
    g_error ("found %s for “%s”", haul_checksum_spec_get_hex (spec), file_name);
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_INVALID);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

#define NOT_FOUND(contents, name, bare) \
  check_not_found (contents, strlen (contents), name, bare, NULL)

static void
test_gnu_lines (void)
{
  const char *sums = OTHER_SHA256 "  other.iso\n"
                     ABC_SHA256 "  file.iso\n"
                     ABC_SHA512 "  file.iso.sha512-line-of-another-length\n";

  check_found (sums, "file.iso", FALSE, ABC_SHA256);
  check_found (sums, "other.iso", FALSE, OTHER_SHA256);
  /* Binary mode, upper-case digits, no newline at the end. */
  check_found (ABC_SHA256 " *file.iso", "file.iso", FALSE, ABC_SHA256);
  check_found (ABC_SHA256_UPPER "  file.iso\n", "file.iso", FALSE, ABC_SHA256);
  /* One space only, as some tools write. */
  check_found (ABC_SHA256 " file.iso\n", "file.iso", FALSE, ABC_SHA256);
  /* CRLF, comments, blank lines, indentation, a signed file's armour. */
  check_found ("-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA256\r\n\r\n"
               "# made by release.sh\r\n   \r\n\t" ABC_SHA256 "  file.iso\r\n"
               "-----BEGIN PGP SIGNATURE-----\r\niQIzBAEBCAAdFiEE\r\n",
               "file.iso", FALSE, ABC_SHA256);
  /* Names with spaces, and names in any script. */
  check_found (ABC_SHA256 "  my file (1).iso\n", "my file (1).iso", FALSE, ABC_SHA256);
  check_found (ABC_SHA256 "  \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d.iso\n",
               "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d.iso", FALSE, ABC_SHA256);
  /* A trailing space belongs to a GNU name. */
  NOT_FOUND (ABC_SHA256 "  file.iso \n", "file.iso", FALSE);
  check_found (ABC_SHA256 "  file.iso \n", "file.iso ", FALSE, ABC_SHA256);
}

static void
test_escaped_names (void)
{
  check_found ("\\" ABC_SHA256 "  new\\nline.iso\n", "new\nline.iso", FALSE, ABC_SHA256);
  check_found ("\\" ABC_SHA256 "  back\\\\slash.iso\n", "back\\slash.iso", FALSE, ABC_SHA256);
  check_found ("\\" ABC_SHA256 "  cr\\r.iso\n", "cr\r.iso", FALSE, ABC_SHA256);
  /* The escaped spelling is not the name itself. */
  NOT_FOUND ("\\" ABC_SHA256 "  new\\nline.iso\n", "new\\nline.iso", FALSE);
  /* Unknown escapes and a lone backslash make no name. */
  NOT_FOUND ("\\" ABC_SHA256 "  bad\\x.iso\n", "bad\\x.iso", FALSE);
  NOT_FOUND ("\\" ABC_SHA256 "  bad\\x.iso\n", "badx.iso", FALSE);
  NOT_FOUND ("\\" ABC_SHA256 "  end\\\n", "end\\", FALSE);
  NOT_FOUND ("\\" ABC_SHA256 "\n", "x", TRUE);
}

static void
test_bsd_lines (void)
{
  check_found ("SHA256 (file.iso) = " ABC_SHA256 "\n", "file.iso", FALSE, ABC_SHA256);
  check_found ("SHA256 (file.iso) = " ABC_SHA256_UPPER "\r\n", "file.iso", FALSE, ABC_SHA256);
  check_found ("SHA256 (file.iso) = " ABC_SHA256 "  \n", "file.iso", FALSE, ABC_SHA256);
  /* cksum --tag mixes algorithms: only the right one counts. */
  check_found ("MD5 (file.iso) = " ABC_MD5 "\n"
               "SHA512 (file.iso) = " ABC_SHA512 "\n"
               "SHA256 (file.iso) = " ABC_SHA256 "\n", "file.iso", FALSE, ABC_SHA256);
  NOT_FOUND ("SHA512 (file.iso) = " ABC_SHA512 "\n", "file.iso", FALSE);
  NOT_FOUND ("MD5 (file.iso) = " ABC_SHA256 "\n", "file.iso", FALSE);
  /* A name holding ") = " ends at the last one. */
  check_found ("SHA256 (a) = b.iso) = " ABC_SHA256 "\n", "a) = b.iso", FALSE, ABC_SHA256);
  check_found ("SHA256 (x (1).iso) = " ABC_SHA256 "\n", "x (1).iso", FALSE, ABC_SHA256);
  /* Not quite BSD. */
  NOT_FOUND ("SHA256(file.iso) = " ABC_SHA256 "\n", "file.iso", FALSE);
  NOT_FOUND ("SHA256 (file.iso)= " ABC_SHA256 "\n", "file.iso", FALSE);
  NOT_FOUND ("SHA256 (file.iso) = " ABC_SHA256 "0\n", "file.iso", FALSE);
  NOT_FOUND ("SHA3-256 (file.iso) = " ABC_SHA256 "\n", "file.iso", FALSE);
}

static void
test_exact_names (void)
{
  /* "./name" is how sha256sum lists a file of its own folder. */
  check_found (ABC_SHA256 "  ./file.iso\n", "file.iso", FALSE, ABC_SHA256);
  check_found ("SHA256 (./file.iso) = " ABC_SHA256 "\n", "file.iso", FALSE, ABC_SHA256);
  /* Other files that happen to end the same way. */
  NOT_FOUND (ABC_SHA256 "  sub/file.iso\n", "file.iso", FALSE);
  NOT_FOUND (ABC_SHA256 "  ../file.iso\n", "file.iso", FALSE);
  NOT_FOUND (ABC_SHA256 "  /srv/www/file.iso\n", "file.iso", FALSE);
  NOT_FOUND (ABC_SHA256 "  .//file.iso\n", "file.iso", FALSE);
  NOT_FOUND (ABC_SHA256 "  ././file.iso\n", "file.iso", FALSE);
  NOT_FOUND (ABC_SHA256 "  .\\file.iso\n", "file.iso", FALSE);
  NOT_FOUND ("SHA256 (sub/file.iso) = " ABC_SHA256 "\n", "file.iso", FALSE);
  /* Prefixes, suffixes and case are other names too. */
  NOT_FOUND (ABC_SHA256 "  file.iso.sig\n", "file.iso", FALSE);
  NOT_FOUND (ABC_SHA256 "  file.is\n", "file.iso", FALSE);
  NOT_FOUND (ABC_SHA256 "  File.iso\n", "file.iso", FALSE);
  NOT_FOUND (ABC_SHA256 "  xfile.iso\n", "file.iso", FALSE);
  /* A listed "sub/file.iso" is found when that is the name asked for. */
  check_found (ABC_SHA256 "  sub/file.iso\n", "sub/file.iso", FALSE, ABC_SHA256);
}

static void
test_bare_digest (void)
{
  /* NAME.sha256 may hold the digest alone. */
  check_found (ABC_SHA256 "\n", "file.iso", TRUE, ABC_SHA256);
  check_found (ABC_SHA256, "file.iso", TRUE, ABC_SHA256);
  check_found ("  " ABC_SHA256_UPPER " \r\n\r\n", "file.iso", TRUE, ABC_SHA256);
  check_found ("# sha256\n" ABC_SHA256 "\n", "file.iso", TRUE, ABC_SHA256);
  /* Or a GNU line, which must then name the file. */
  check_found (ABC_SHA256 "  file.iso\n", "file.iso", TRUE, ABC_SHA256);
  NOT_FOUND (ABC_SHA256 "  other.iso\n", "file.iso", TRUE);
  /* SHA256SUMS must name it. */
  NOT_FOUND (ABC_SHA256 "\n", "file.iso", FALSE);
  /* A bare digest that is not all the file says could be anybody's. */
  NOT_FOUND (ABC_SHA256 "\n" OTHER_SHA256 "\n", "file.iso", TRUE);
  NOT_FOUND (ABC_SHA256 "\n" OTHER_SHA256 "  other.iso\n", "file.iso", TRUE);
  NOT_FOUND (ABC_SHA256 "\nsomething else\n", "file.iso", TRUE);
  NOT_FOUND ("SHA512 (file.iso) = " ABC_SHA512 "\n" ABC_SHA256 "\n", "file.iso", TRUE);
  /* Of the wrong length, or not hexadecimal. */
  NOT_FOUND (ABC_SHA512 "\n", "file.iso", TRUE);
  NOT_FOUND (ABC_MD5 "\n", "file.iso", TRUE);
  NOT_FOUND ("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=\n", "file.iso", TRUE);
}

static void
test_duplicates (void)
{
  /* The same line twice is fine; two different digests are not. */
  check_found (ABC_SHA256 "  file.iso\n" ABC_SHA256 " *file.iso\n", "file.iso", FALSE,
               ABC_SHA256);
  check_found (ABC_SHA256 "  file.iso\nSHA256 (./file.iso) = " ABC_SHA256 "\n", "file.iso",
               FALSE, ABC_SHA256);
  check_not_found (ABC_SHA256 "  file.iso\n" OTHER_SHA256 "  file.iso\n",
                   strlen (ABC_SHA256 "  file.iso\n" OTHER_SHA256 "  file.iso\n"),
                   "file.iso", FALSE, "“SHA256SUMS” lists different checksums for “file.iso”");
  NOT_FOUND (ABC_SHA256 "  file.iso\nSHA256 (./file.iso) = " OTHER_SHA256 "\n", "file.iso",
             FALSE);
  /* Another file's duplicates do not matter. */
  check_found (ABC_SHA256 "  file.iso\n" ABC_SHA256 "  x\n" OTHER_SHA256 "  x\n", "file.iso",
               FALSE, ABC_SHA256);
}

static void
test_hostile_files (void)
{
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(GString) one_line = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HaulChecksumSpec) spec = NULL;
  const char with_nul[] = ABC_SHA256 "  file.iso\0junk\n";
  const char nul_after[] = ABC_SHA256 "  file.iso\n\0";

  check_not_found ("", 0, "file.iso", TRUE,
                   "“SHA256SUMS” has no checksum for “file.iso”");
  check_not_found ("<!DOCTYPE html>\n<html><body>Not Found</body></html>\n", 52, "file.iso",
                   TRUE, NULL);
  /* A NUL anywhere: not a text file, and never "file.iso\0junk". */
  check_not_found (with_nul, sizeof with_nul - 1, "file.iso", FALSE,
                   "“SHA256SUMS” is not a checksum file");
  check_not_found (nul_after, sizeof nul_after - 1, "file.iso", FALSE,
                   "“SHA256SUMS” is not a checksum file");
  /* Invalid UTF-8 is compared as bytes, and quoted safely. */
  check_found (ABC_SHA256 "  caf\xe9.iso\n", "caf\xe9.iso", FALSE, ABC_SHA256);
  check_not_found ("x\n", 2, "a\xe2\x80\xae" "b\x1b", FALSE,
                   "“SHA256SUMS” has no checksum for “a\xef\xbf\xbd" "b\xef\xbf\xbd”");

  /* Exactly the limit is read; one byte more is refused. */
  g_string_append (big, ABC_SHA256 "  file.iso\n");
  while (big->len < HAUL_CHECKSUM_SUMS_MAX_SIZE)
    g_string_append_c (big, big->len % 80 == 79 ? '\n' : '#');
  g_string_truncate (big, HAUL_CHECKSUM_SUMS_MAX_SIZE);
  check_found (big->str, "file.iso", FALSE, ABC_SHA256);
  g_string_append_c (big, '\n');
  check_not_found (big->str, big->len, "file.iso", FALSE,
                   "The checksum file “SHA256SUMS” is larger than 1.0\xc2\xa0MiB");

  /* A megabyte on one line, of digits or of spaces. */
  while (one_line->len < HAUL_CHECKSUM_SUMS_MAX_SIZE - 10)
    g_string_append_c (one_line, 'a');
  check_not_found (one_line->str, one_line->len, "file.iso", TRUE, NULL);
  g_string_truncate (one_line, 64);
  while (one_line->len < HAUL_CHECKSUM_SUMS_MAX_SIZE - 10)
    g_string_append_c (one_line, ' ');
  check_not_found (one_line->str, one_line->len, "file.iso", FALSE, NULL);

  /* sha-512 files are read as sha-512. */
  spec = find_full (ABC_SHA256 "  file.iso\n" ABC_SHA512 "  file.iso\n",
                    strlen (ABC_SHA256 "  file.iso\n" ABC_SHA512 "  file.iso\n"),
                    G_CHECKSUM_SHA512, "file.iso", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (haul_checksum_spec_get_hex (spec), ==, ABC_SHA512);
}

static GBytes *
read_stream (gsize    size,
             GError **error)
{
  g_autofree char *data = g_malloc (MAX (size, 1));
  g_autoptr(GInputStream) stream = NULL;

  memset (data, '#', size);
  stream = g_memory_input_stream_new_from_data (g_steal_pointer (&data), size, g_free);
  return haul_checksum_sums_read (stream, "https://h/x/file.iso.sha256", NULL, error);
}

static void
test_bounded_read (void)
{
  g_autoptr(GBytes) small = read_stream (100, NULL);
  g_autoptr(GBytes) empty = read_stream (0, NULL);
  g_autoptr(GBytes) limit = read_stream (HAUL_CHECKSUM_SUMS_MAX_SIZE, NULL);
  g_autoptr(GBytes) over = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_bytes_get_size (small), ==, 100);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);
  g_assert_cmpuint (g_bytes_get_size (limit), ==, HAUL_CHECKSUM_SUMS_MAX_SIZE);
  over = read_stream (HAUL_CHECKSUM_SUMS_MAX_SIZE + 1, &error);
  g_assert_null (over);
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "The checksum file “file.iso.sha256” is larger than 1.0\xc2\xa0MiB");
}

/* Siblings */

#define MIB (1024 * 1024)

static GPtrArray *
siblings (const char *uri,
          const char *final_uri,
          gint64      size,
          gboolean    allow_other_hosts)
{
  return haul_checksum_siblings (uri, final_uri, size, allow_other_hosts);
}

static void
check_sibling (GPtrArray     *list,
               guint          index,
               const char    *uri,
               GChecksumType  algorithm,
               gboolean       allow_bare,
               const char    *entry_name)
{
  HaulChecksumSibling *sibling;

  g_assert_cmpuint (index, <, list->len);
  sibling = g_ptr_array_index (list, index);
  g_assert_cmpstr (sibling->uri, ==, uri);
  g_assert_cmpint (sibling->algorithm, ==, algorithm);
  g_assert_cmpint (sibling->allow_bare, ==, allow_bare);
  g_assert_cmpstr (sibling->entry_name, ==, entry_name);
}

static void
check_none (const char *uri,
            const char *final_uri,
            gint64      size)
{
  g_autoptr(GPtrArray) list = siblings (uri, final_uri, size, TRUE);

  g_assert_nonnull (list);
  if (list->len != 0)
    g_error ("%s: %u siblings, the first %s", uri, list->len,
             ((HaulChecksumSibling *) g_ptr_array_index (list, 0))->uri);
}

static void
test_siblings_same_folder (void)
{
  g_autoptr(GPtrArray) list = siblings ("https://example.com/pub/file.iso", NULL, MIB, FALSE);
  g_autoptr(GPtrArray) query = siblings ("https://example.com/pub/file.iso?token=abc#top", NULL,
                                         5 * MIB, FALSE);
  g_autoptr(GPtrArray) encoded = siblings ("http://127.0.0.1:8080/a%20b/my%20file.iso", NULL,
                                           MIB, FALSE);
  g_autoptr(GPtrArray) colon = siblings ("https://h/x/a:b.iso", NULL, MIB, FALSE);
  g_autoptr(GPtrArray) user = siblings ("https://anna@h.example/private/f.bin", NULL, MIB, FALSE);
  g_autoptr(GPtrArray) password = siblings ("https://anna:s3cret@H.Example:443/private/f.bin",
                                            NULL, MIB, FALSE);

  g_assert_cmpuint (list->len, ==, 4);
  check_sibling (list, 0, "https://example.com/pub/file.iso.sha256", G_CHECKSUM_SHA256, TRUE,
                 "file.iso");
  check_sibling (list, 1, "https://example.com/pub/file.iso.sha512", G_CHECKSUM_SHA512, TRUE,
                 "file.iso");
  check_sibling (list, 2, "https://example.com/pub/SHA256SUMS", G_CHECKSUM_SHA256, FALSE,
                 "file.iso");
  check_sibling (list, 3, "https://example.com/pub/SHA512SUMS", G_CHECKSUM_SHA512, FALSE,
                 "file.iso");

  /* A signed URL's query would not sign another path: dropped. */
  g_assert_cmpuint (query->len, ==, 4);
  check_sibling (query, 0, "https://example.com/pub/file.iso.sha256", G_CHECKSUM_SHA256, TRUE,
                 "file.iso");
  check_sibling (query, 3, "https://example.com/pub/SHA512SUMS", G_CHECKSUM_SHA512, FALSE,
                 "file.iso");

  /* Addresses stay encoded; names inside are decoded. */
  check_sibling (encoded, 0, "http://127.0.0.1:8080/a%20b/my%20file.iso.sha256",
                 G_CHECKSUM_SHA256, TRUE, "my file.iso");
  check_sibling (encoded, 2, "http://127.0.0.1:8080/a%20b/SHA256SUMS", G_CHECKSUM_SHA256, FALSE,
                 "my file.iso");
  check_sibling (colon, 0, "https://h/x/a:b.iso.sha256", G_CHECKSUM_SHA256, TRUE, "a:b.iso");
  /* Credentials are the transfer's to send, not part of an address. */
  check_sibling (user, 2, "https://h.example/private/SHA256SUMS", G_CHECKSUM_SHA256, FALSE,
                 "f.bin");
  check_sibling (password, 0, "https://h.example/private/f.bin.sha256", G_CHECKSUM_SHA256, TRUE,
                 "f.bin");
}

static void
test_siblings_size (void)
{
  check_none ("https://example.com/pub/file.iso", NULL, MIB - 1);
  check_none ("https://example.com/pub/file.iso", NULL, 0);
  /* Unknown yet: ask again once the length is known. */
  check_none ("https://example.com/pub/file.iso", NULL, -1);
}

static void
test_siblings_refused (void)
{
  check_none ("https://example.com/pub/", NULL, MIB);
  check_none ("https://example.com", NULL, MIB);
  check_none ("https://example.com/", NULL, MIB);
  check_none ("ftp://example.com/pub/file.iso", NULL, MIB);
  check_none ("file:///srv/file.iso", NULL, MIB);
  check_none ("not a url", NULL, MIB);
  check_none ("", NULL, MIB);
  check_none (NULL, NULL, MIB);
  /* Names no checksum file can list. */
  check_none ("https://example.com/pub/a%2Fb.iso", NULL, MIB);
  check_none ("https://example.com/pub/a%00b.iso", NULL, MIB);
  check_none ("https://example.com/pub/%2E%2E", NULL, MIB);
  check_none ("https://example.com/pub/bad%zz.iso", NULL, MIB);
  /* A checksum file's own checksum file proves nothing. */
  check_none ("https://example.com/pub/SHA256SUMS", NULL, MIB);
  check_none ("https://example.com/pub/file.iso.sha256", NULL, MIB);
  check_none ("https://example.com/pub/FILE.ISO.SHA512", NULL, MIB);
}

static void
test_siblings_redirects (void)
{
  g_autoptr(GPtrArray) same_host = siblings ("https://example.com/latest/file.iso",
                                             "https://example.com/releases/1.2/file-1.2.iso",
                                             MIB, FALSE);
  g_autoptr(GPtrArray) other_host = siblings ("https://example.org/dl/file.iso",
                                              "https://mirror.example.net/pub/file.iso",
                                              MIB, FALSE);
  g_autoptr(GPtrArray) allowed = siblings ("https://example.org/dl/file.iso",
                                           "https://mirror.example.net/pub/file.iso",
                                           MIB, TRUE);
  g_autoptr(GPtrArray) same_folder = siblings ("https://example.com/pub/latest.iso",
                                               "https://example.com/pub/file-1.2.iso",
                                               MIB, FALSE);
  g_autoptr(GPtrArray) unchanged = siblings ("https://example.com/pub/file.iso",
                                             "https://EXAMPLE.com/pub/file.iso", MIB, FALSE);
  g_autoptr(GPtrArray) final_only = siblings ("ftp://example.com/file.iso",
                                              "https://example.com/pub/file.iso", MIB, FALSE);

  /* The folder that served the file first, then the one asked for. */
  g_assert_cmpuint (same_host->len, ==, 8);
  check_sibling (same_host, 0, "https://example.com/releases/1.2/file-1.2.iso.sha256",
                 G_CHECKSUM_SHA256, TRUE, "file-1.2.iso");
  check_sibling (same_host, 3, "https://example.com/releases/1.2/SHA512SUMS", G_CHECKSUM_SHA512,
                 FALSE, "file-1.2.iso");
  check_sibling (same_host, 4, "https://example.com/latest/file.iso.sha256", G_CHECKSUM_SHA256,
                 TRUE, "file.iso");
  check_sibling (same_host, 6, "https://example.com/latest/SHA256SUMS", G_CHECKSUM_SHA256, FALSE,
                 "file.iso");

  /* Another host than the file's own only when allowed. */
  g_assert_cmpuint (other_host->len, ==, 4);
  check_sibling (other_host, 0, "https://mirror.example.net/pub/file.iso.sha256",
                 G_CHECKSUM_SHA256, TRUE, "file.iso");
  g_assert_cmpuint (allowed->len, ==, 8);
  check_sibling (allowed, 4, "https://example.org/dl/file.iso.sha256", G_CHECKSUM_SHA256, TRUE,
                 "file.iso");

  /* One folder is asked once. */
  g_assert_cmpuint (same_folder->len, ==, 6);
  check_sibling (same_folder, 2, "https://example.com/pub/SHA256SUMS", G_CHECKSUM_SHA256, FALSE,
                 "file-1.2.iso");
  check_sibling (same_folder, 4, "https://example.com/pub/latest.iso.sha256", G_CHECKSUM_SHA256,
                 TRUE, "latest.iso");
  check_sibling (same_folder, 5, "https://example.com/pub/latest.iso.sha512", G_CHECKSUM_SHA512,
                 TRUE, "latest.iso");
  g_assert_cmpuint (unchanged->len, ==, 4);
  g_assert_cmpuint (final_only->len, ==, 4);
}

static void
test_sibling_parse (void)
{
  g_autoptr(GPtrArray) list = siblings ("https://example.com/pub/file.iso", NULL, MIB, FALSE);
  g_autoptr(GBytes) bare = g_bytes_new_static (ABC_SHA256 "\n", 65);
  g_autoptr(GBytes) sums = g_bytes_new_static (ABC_SHA512 "  file.iso\n", 139);
  g_autoptr(HaulChecksumSpec) from_bare = NULL;
  g_autoptr(HaulChecksumSpec) from_sums = NULL;
  g_autoptr(HaulChecksumSpec) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;

  from_bare = haul_checksum_sibling_parse (g_ptr_array_index (list, 0), bare, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (haul_checksum_spec_get_hex (from_bare), ==, ABC_SHA256);
  g_assert_cmpstr (haul_checksum_spec_get_origin (from_bare), ==,
                   "https://example.com/pub/file.iso.sha256");
  source = haul_checksum_spec_describe_source (from_bare);
  g_assert_cmpstr (source, ==, "from “file.iso.sha256” on the server");

  from_sums = haul_checksum_sibling_parse (g_ptr_array_index (list, 3), sums, &error);
  g_assert_no_error (error);
  g_assert_cmpint (haul_checksum_spec_get_algorithm (from_sums), ==, G_CHECKSUM_SHA512);

  /* SHA256SUMS holding a bare digest says nothing about which file. */
  refused = haul_checksum_sibling_parse (g_ptr_array_index (list, 2), bare, &error);
  g_assert_null (refused);
  g_assert_error (error, HAUL_ERROR, HAUL_ERROR_CHECKSUM_INVALID);
  g_assert_cmpstr (error->message, ==, "“SHA256SUMS” has no checksum for “file.iso”");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/haul/engine/checksum-sums/gnu-lines", test_gnu_lines);
  g_test_add_func ("/haul/engine/checksum-sums/escaped-names", test_escaped_names);
  g_test_add_func ("/haul/engine/checksum-sums/bsd-lines", test_bsd_lines);
  g_test_add_func ("/haul/engine/checksum-sums/exact-names", test_exact_names);
  g_test_add_func ("/haul/engine/checksum-sums/bare-digest", test_bare_digest);
  g_test_add_func ("/haul/engine/checksum-sums/duplicates", test_duplicates);
  g_test_add_func ("/haul/engine/checksum-sums/hostile", test_hostile_files);
  g_test_add_func ("/haul/engine/checksum-sums/bounded-read", test_bounded_read);
  g_test_add_func ("/haul/engine/checksum-sums/siblings/same-folder", test_siblings_same_folder);
  g_test_add_func ("/haul/engine/checksum-sums/siblings/size", test_siblings_size);
  g_test_add_func ("/haul/engine/checksum-sums/siblings/refused", test_siblings_refused);
  g_test_add_func ("/haul/engine/checksum-sums/siblings/redirects", test_siblings_redirects);
  g_test_add_func ("/haul/engine/checksum-sums/siblings/parse", test_sibling_parse);

  return g_test_run ();
}
