/* haul-test-tls.c: a certificate for the tests' HTTPS servers
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-test-tls.h"

gboolean
haul_test_have_tls (void)
{
  g_autofree char *certtool = g_find_program_in_path ("certtool");

  return certtool != NULL && g_tls_backend_supports_tls (g_tls_backend_get_default ());
}

static void
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                               | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

GTlsCertificate *
haul_test_make_certificate (const char  *dir,
                            char       **cert_path)
{
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *tmpl = g_build_filename (dir, "cert.tmpl", NULL);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;
  const char *template = "cn = \"127.0.0.1\"\nip_address = \"127.0.0.1\"\n"
                         "dns_name = \"localhost\"\nexpiration_days = 2\n"
                         "ca\ncert_signing_key\nsigning_key\nencryption_key\ntls_www_server\n";
  const char *genkey[] = { "certtool", "--generate-privkey", "--key-type", "rsa",
                           "--bits", "2048", "--no-text", "--outfile", key, NULL };
  const char *gencert[] = { "certtool", "--generate-self-signed", "--load-privkey", key,
                            "--template", tmpl, "--outfile", cert, NULL };

  g_assert_true (g_file_set_contents (tmpl, template, -1, NULL));
  run (genkey);
  run (gencert);

  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  if (cert_path != NULL)
    *cert_path = g_steal_pointer (&cert);
  return certificate;
}
