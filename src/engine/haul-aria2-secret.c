/* haul-aria2-secret.c: the aria2 daemon's secret token, in the keyring
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "haul-aria2-rpc.h"
#include "haul-aria2-secret.h"

#define ENV_SECRET "HAUL_ARIA2_SECRET"

const SecretSchema *
haul_aria2_secret_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.haul.Haul.Aria2", SECRET_SCHEMA_NONE,
    {
      { "uri", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    /* reserved */
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

/* One key whatever form of the address was typed. */
static char *
attribute_for (const char *address)
{
  char *http_uri = NULL;

  if (!haul_aria2_address_parse (address, &http_uri, NULL, NULL, NULL))
    return g_strdup (address);
  return http_uri;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
}

void
haul_aria2_secret_lookup_async (const char          *address,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *attribute = NULL;
  const char *from_env;

  g_return_if_fail (address != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, haul_aria2_secret_lookup_async);

  from_env = g_getenv (ENV_SECRET);
  if (from_env != NULL)
    {
      g_task_return_pointer (task, g_strdup (from_env), g_free);
      return;
    }

  attribute = attribute_for (address);
  secret_password_lookup (haul_aria2_secret_get_schema (), cancellable,
                          lookup_cb, g_steal_pointer (&task),
                          "uri", attribute, NULL);
}

char *
haul_aria2_secret_lookup_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_autofree char *secret = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == haul_aria2_secret_lookup_async,
                        NULL);

  /* A plain string for the caller: g_free() is all it needs to know. */
  secret = g_task_propagate_pointer (G_TASK (result), error);
  return g_strdup (secret);
}

static void
boolean_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (task) == haul_aria2_secret_store_async)
    ok = secret_password_store_finish (result, &error);
  else
    {
      /* Clearing what is not there is not a failure. */
      secret_password_clear_finish (result, &error);
      ok = error == NULL;
    }

  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
haul_aria2_secret_store_async (const char          *address,
                               const char          *secret,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *attribute = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (address != NULL);
  g_return_if_fail (secret != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, haul_aria2_secret_store_async);

  attribute = attribute_for (address);
  /* TRANSLATORS: the label of the keyring entry; %s is the daemon's address */
  label = g_strdup_printf (_("Secret token of the aria2 daemon at %s"), attribute);
  secret_password_store (haul_aria2_secret_get_schema (), SECRET_COLLECTION_DEFAULT, label,
                         secret, cancellable, boolean_cb, g_steal_pointer (&task),
                         "uri", attribute, NULL);
}

gboolean
haul_aria2_secret_store_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == haul_aria2_secret_store_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
haul_aria2_secret_clear_async (const char          *address,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *attribute = NULL;

  g_return_if_fail (address != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, haul_aria2_secret_clear_async);

  attribute = attribute_for (address);
  secret_password_clear (haul_aria2_secret_get_schema (), cancellable,
                         boolean_cb, g_steal_pointer (&task),
                         "uri", attribute, NULL);
}

gboolean
haul_aria2_secret_clear_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == haul_aria2_secret_clear_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
