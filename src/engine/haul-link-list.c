/* haul-link-list.c: what a parse found — links, rejected pieces, browsers' partials
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "haul-link-list.h"

static void
haul_rejected_link_free (HaulRejectedLink *rejected)
{
  g_free (rejected->text);
  g_free (rejected->reason);
  g_free (rejected);
}

/**
 * haul_link_list_new:
 *
 * Returns: (transfer full): an empty list
 */
HaulLinkList *
haul_link_list_new (void)
{
  HaulLinkList *list = g_new0 (HaulLinkList, 1);

  list->urls = g_ptr_array_new_with_free_func (g_free);
  list->rejected = g_ptr_array_new_with_free_func ((GDestroyNotify) haul_rejected_link_free);
  list->partials = g_ptr_array_new_with_free_func (g_free);

  return list;
}

void
haul_link_list_free (HaulLinkList *list)
{
  if (list == NULL)
    return;

  g_clear_pointer (&list->urls, g_ptr_array_unref);
  g_clear_pointer (&list->rejected, g_ptr_array_unref);
  g_clear_pointer (&list->partials, g_ptr_array_unref);
  g_free (list);
}

/**
 * haul_link_list_merge:
 * @list: the list to extend
 * @other: links to append (left unchanged)
 *
 * Appends the URLs of @other that @list does not hold yet, and its rejected
 * pieces that @list does not report yet.
 */
void
haul_link_list_merge (HaulLinkList *list,
                      HaulLinkList *other)
{
  g_autoptr(GHashTable) urls = NULL;
  g_autoptr(GHashTable) texts = NULL;

  g_return_if_fail (list != NULL);
  g_return_if_fail (other != NULL);

  urls = g_hash_table_new (g_str_hash, g_str_equal);
  texts = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < list->urls->len; i++)
    g_hash_table_add (urls, g_ptr_array_index (list->urls, i));
  for (guint i = 0; i < list->rejected->len; i++)
    g_hash_table_add (texts, ((HaulRejectedLink *) g_ptr_array_index (list->rejected, i))->text);

  for (guint i = 0; i < other->urls->len; i++)
    {
      const char *url = g_ptr_array_index (other->urls, i);
      char *copy;

      if (g_hash_table_contains (urls, url))
        continue;

      copy = g_strdup (url);
      g_ptr_array_add (list->urls, copy);
      g_hash_table_add (urls, copy);
    }

  for (guint i = 0; i < other->rejected->len; i++)
    {
      const HaulRejectedLink *piece = g_ptr_array_index (other->rejected, i);
      HaulRejectedLink *copy;

      if (g_hash_table_contains (texts, piece->text))
        continue;

      copy = g_new0 (HaulRejectedLink, 1);
      copy->text = g_strdup (piece->text);
      copy->reason = g_strdup (piece->reason);
      g_ptr_array_add (list->rejected, copy);
      g_hash_table_add (texts, copy->text);
    }

  for (guint i = 0; i < other->partials->len; i++)
    {
      const char *path = g_ptr_array_index (other->partials, i);

      if (!g_ptr_array_find_with_equal_func (list->partials, path, g_str_equal, NULL))
        g_ptr_array_add (list->partials, g_strdup (path));
    }
}
