/* haul-queue-view.c: the queue as the list shows it — filtered, searched, sorted
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * queue → GtkSortListModel → GtkFilterListModel (incremental) → HaulSlotModel
 *       → GtkSingleSelection
 *
 * Filtering comes last before the selection, incrementally: a search over
 * 100,000 downloads is done a slice per main-loop turn, and the filter is
 * told how its change relates to the last one (a longer search only looks
 * again at what matched, a shorter one at what did not). Sorting sits
 * under it, so typing a search never sorts (GTK 4.8's sort model re-sorts
 * on every change it is given, and the filter's slices were thousands of
 * such changes). The sort is stable, so each group keeps queue order, and
 * it is redone, at most once a second, only when a download moves between
 * unfinished and finished; the filter then looks again only at the stretch
 * that moved. HaulSlotModel shows the result through positions
 * that keep their row widgets (see there).
 */

#include "config.h"

#include <string.h>

#include "haul-category.h"
#include "haul-list-slot.h"
#include "haul-queue-view.h"
#include "haul-slot-model.h"
#include "haul-util.h"

/* A download that finished moves below the unfinished ones within this
 * long: every move shifts the rows between, and many downloads finishing
 * close together are one move, not one each. */
#define RESORT_INTERVAL_MS 1000
#define RESELECT_RETRY_MS 50

struct _HaulQueueView
{
  GObject              parent_instance;

  HaulQueue           *queue;         /* (owned) */
  GtkCustomFilter     *filter;        /* (owned) */
  GtkFilterListModel  *filter_model;  /* (owned) */
  HaulSlotModel       *slot_model;    /* (owned) */
  GtkCustomSorter     *sorter;        /* (owned) */
  GtkSortListModel    *sort_model;    /* (owned) */
  GtkSingleSelection  *selection;     /* (owned) */
  HaulQueueFilter      filter_mode;
  int                  category;      /* a HaulCategory alone, -1: all */
  char                *search;        /* (owned) as given */
  char                *search_key;    /* (owned) (nullable) casefolded; NULL: no search */
  gboolean             search_ascii;
  guint                refilter_id;
  guint                resort_id;
  gint64               last_resort;
  HaulDownload        *selected;       /* (owned) (nullable) what the selection means */
  HaulListSlot        *selected_slot;  /* (owned) (nullable) where it was last seen */
  guint                reselect_id;
  gboolean             pending;
};

G_DEFINE_FINAL_TYPE (HaulQueueView, haul_queue_view, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILTER,
  PROP_CATEGORY,
  PROP_SEARCH,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------ */
/* Filter                                                              */

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;

  return TRUE;
}

/* Whether @haystack holds @key (casefolded). ASCII against ASCII, the
 * common case, compares in place: a search runs this for every download,
 * and allocating twice per download was most of its cost. */
static gboolean
contains (HaulQueueView *self,
          const char    *haystack)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;

  if (self->search_ascii && is_ascii (haystack))
    {
      gsize key_length = strlen (self->search_key);

      for (const char *p = haystack; *p != '\0'; p++)
        if (g_ascii_strncasecmp (p, self->search_key, key_length) == 0)
          return TRUE;
      return FALSE;
    }

  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, self->search_key) != NULL;
}

static gboolean
state_matches (HaulQueueFilter   mode,
               HaulDownloadState state)
{
  switch (mode)
    {
    case HAUL_QUEUE_FILTER_ACTIVE:
      return state == HAUL_DOWNLOAD_QUEUED || state == HAUL_DOWNLOAD_CONNECTING
             || state == HAUL_DOWNLOAD_DOWNLOADING || state == HAUL_DOWNLOAD_PAUSED;
    case HAUL_QUEUE_FILTER_FINISHED:
      return state == HAUL_DOWNLOAD_COMPLETED;
    case HAUL_QUEUE_FILTER_FAILED:
      return state == HAUL_DOWNLOAD_FAILED || state == HAUL_DOWNLOAD_CANCELLED;
    case HAUL_QUEUE_FILTER_ALL:
    default:
      return TRUE;
    }
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  HaulQueueView *self = user_data;
  HaulDownload *download = item;
  g_autofree char *display = NULL;

  if (!state_matches (self->filter_mode, haul_download_get_state (download)))
    return FALSE;
  if (self->category >= 0 && (int) haul_download_get_category (download) != self->category)
    return FALSE;

  if (self->search_key == NULL)
    return TRUE;

  if (contains (self, haul_download_get_uri (download)))
    return TRUE;

  /* The name shown, which may come from the address. */
  if (haul_download_get_file_name (download) != NULL)
    return contains (self, haul_download_get_file_name (download));
  display = haul_download_dup_display_name (download);
  return contains (self, display);
}

static gboolean
refilter_cb (gpointer user_data)
{
  HaulQueueView *self = user_data;

  self->refilter_id = 0;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------ */
/* Sort: unfinished first                                              */

static int
group_of (HaulDownloadState state)
{
  return state == HAUL_DOWNLOAD_COMPLETED || state == HAUL_DOWNLOAD_FAILED
         || state == HAUL_DOWNLOAD_CANCELLED;
}

static int
sort_func (gconstpointer a,
           gconstpointer b,
           gpointer      user_data)
{
  int group_a = group_of (haul_download_get_state ((HaulDownload *) a));
  int group_b = group_of (haul_download_get_state ((HaulDownload *) b));

  /* Equal within a group: the sort is stable, queue order stays. */
  return group_a - group_b;
}

static gboolean
resort_cb (gpointer user_data)
{
  HaulQueueView *self = user_data;

  self->resort_id = 0;
  self->last_resort = g_get_monotonic_time ();
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
  return G_SOURCE_REMOVE;
}

/* The filter and the sorter do not watch their items: a state change
 * filters again while a state or kind filter is on (a kind is settled
 * before the download completes), and sorts again when the
 * download changed group. Once per main-loop turn, however many changed. */
static void
state_changed_cb (HaulQueueView   *self,
                  HaulDownload    *download,
                  guint            old_state,
                  HaulQueue       *queue)
{
  if ((self->filter_mode != HAUL_QUEUE_FILTER_ALL || self->category >= 0)
      && self->refilter_id == 0)
    self->refilter_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, refilter_cb, self, NULL);

  if (group_of (old_state) != group_of (haul_download_get_state (download))
      && self->resort_id == 0)
    {
      gint64 since = (g_get_monotonic_time () - self->last_resort) / 1000;

      if (since >= RESORT_INTERVAL_MS)
        self->resort_id = g_idle_add_full (G_PRIORITY_DEFAULT, resort_cb, self, NULL);
      else
        self->resort_id = g_timeout_add ((guint) (RESORT_INTERVAL_MS - since), resort_cb, self);
    }
}

static void
update_pending (HaulQueueView *self)
{
  gboolean pending = gtk_filter_list_model_get_pending (self->filter_model) > 0
                     || gtk_sort_list_model_get_pending (self->sort_model) > 0
                     || haul_slot_model_get_pending (self->slot_model);

  if (pending == self->pending)
    return;

  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

/* ------------------------------------------------------------------ */
/* The selection follows its download                                  */

/* GtkSingleSelection selects a position; a slot at that position may be
 * given another download (a re-sort, a search). The selection is kept on
 * the download that was selected, wherever it went. */
static gboolean
reselect_cb (gpointer user_data)
{
  HaulQueueView *self = user_data;
  g_autoptr(HaulDownload) selected = NULL;

  self->reselect_id = 0;
  if (self->selected == NULL)
    return G_SOURCE_REMOVE;

  /* Positions are not final while the filter or the sort is at work. */
  if (haul_queue_view_get_pending (self))
    {
      self->reselect_id = g_timeout_add (RESELECT_RETRY_MS, reselect_cb, self);
      return G_SOURCE_REMOVE;
    }

  if (self->selected_slot != NULL
      && haul_list_slot_get_download (self->selected_slot) == self->selected)
    return G_SOURCE_REMOVE;

  /* Not found: filtered out; the selection stays where it is. */
  selected = g_object_ref (self->selected);
  haul_queue_view_select (self, selected);
  return G_SOURCE_REMOVE;
}

static void
selected_slot_cb (HaulQueueView *self,
                  GParamSpec    *pspec,
                  HaulListSlot  *slot)
{
  if (haul_list_slot_get_download (slot) != self->selected && self->reselect_id == 0)
    self->reselect_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reselect_cb, self, NULL);
}

/* The selection is now the slot selected, meaning @download (NULL: what
 * the slot shows, as when a person clicks a row). */
static void
follow_selection (HaulQueueView *self,
                  HaulDownload  *download)
{
  HaulListSlot *slot = gtk_single_selection_get_selected_item (self->selection);

  if (self->selected_slot != NULL)
    g_signal_handlers_disconnect_by_func (self->selected_slot, selected_slot_cb, self);
  g_set_object (&self->selected_slot, slot);
  if (slot == NULL)
    {
      g_clear_object (&self->selected);
      return;
    }

  if (download == NULL)
    download = haul_list_slot_get_download (slot);
  g_set_object (&self->selected, download);
  g_signal_connect_swapped (slot, "notify::download", G_CALLBACK (selected_slot_cb), self);
}

static void
selection_cb (HaulQueueView      *self,
              GParamSpec         *pspec,
              GtkSingleSelection *selection)
{
  follow_selection (self, NULL);
}

/* ------------------------------------------------------------------ */

GtkSelectionModel *
haul_queue_view_get_model (HaulQueueView *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE_VIEW (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

HaulQueueFilter
haul_queue_view_get_filter (HaulQueueView *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE_VIEW (self), HAUL_QUEUE_FILTER_ALL);

  return self->filter_mode;
}

void
haul_queue_view_set_filter (HaulQueueView   *self,
                            HaulQueueFilter  filter)
{
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  g_return_if_fail (HAUL_IS_QUEUE_VIEW (self));
  g_return_if_fail (filter <= HAUL_QUEUE_FILTER_FAILED);

  if (self->filter_mode == filter)
    return;

  if (self->filter_mode == HAUL_QUEUE_FILTER_ALL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (filter == HAUL_QUEUE_FILTER_ALL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  self->filter_mode = filter;
  g_clear_handle_id (&self->refilter_id, g_source_remove);
  gtk_filter_changed (GTK_FILTER (self->filter), change);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
}

int
haul_queue_view_get_category (HaulQueueView *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE_VIEW (self), -1);

  return self->category;
}

void
haul_queue_view_set_category (HaulQueueView *self,
                              int            category)
{
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  g_return_if_fail (HAUL_IS_QUEUE_VIEW (self));
  g_return_if_fail (category >= -1 && category < HAUL_N_CATEGORIES);

  if (self->category == category)
    return;

  if (self->category < 0)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (category < 0)
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  self->category = category;
  g_clear_handle_id (&self->refilter_id, g_source_remove);
  gtk_filter_changed (GTK_FILTER (self->filter), change);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY]);
}

const char *
haul_queue_view_get_search (HaulQueueView *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE_VIEW (self), NULL);

  return self->search;
}

void
haul_queue_view_set_search (HaulQueueView *self,
                            const char    *search)
{
  g_autofree char *old_key = NULL;
  g_autofree char *stripped = NULL;
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  g_return_if_fail (HAUL_IS_QUEUE_VIEW (self));

  if (search == NULL)
    search = "";
  if (g_strcmp0 (self->search, search) == 0)
    return;

  g_free (self->search);
  self->search = g_strdup (search);
  old_key = g_steal_pointer (&self->search_key);
  stripped = g_strstrip (g_strdup (search));
  if (*stripped != '\0')
    self->search_key = g_utf8_casefold (stripped, -1);
  self->search_ascii = self->search_key != NULL && is_ascii (self->search_key);

  if (g_strcmp0 (old_key, self->search_key) != 0)
    {
      /* Typing on narrows what matched; deleting widens it. */
      if (old_key == NULL || (self->search_key != NULL && strstr (self->search_key, old_key)))
        change = GTK_FILTER_CHANGE_MORE_STRICT;
      else if (self->search_key == NULL || strstr (old_key, self->search_key) != NULL)
        change = GTK_FILTER_CHANGE_LESS_STRICT;
      gtk_filter_changed (GTK_FILTER (self->filter), change);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
}

gboolean
haul_queue_view_get_pending (HaulQueueView *self)
{
  g_return_val_if_fail (HAUL_IS_QUEUE_VIEW (self), FALSE);

  return self->pending;
}

void
haul_queue_view_set_focus (HaulQueueView *self,
                           guint          position)
{
  g_return_if_fail (HAUL_IS_QUEUE_VIEW (self));

  haul_slot_model_set_focus (self->slot_model, position);
}

gboolean
haul_queue_view_select (HaulQueueView *self,
                        HaulDownload  *download)
{
  guint position;

  g_return_val_if_fail (HAUL_IS_QUEUE_VIEW (self), FALSE);
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (download), FALSE);

  position = haul_queue_view_find (self, download);
  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;

  g_signal_handlers_block_by_func (self->selection, selection_cb, self);
  gtk_single_selection_set_selected (self->selection, position);
  g_signal_handlers_unblock_by_func (self->selection, selection_cb, self);
  /* The slot there may not show @download yet (it is rebound a few per
   * turn), or may have been selected already: say what is meant. */
  follow_selection (self, download);
  return TRUE;
}

guint
haul_queue_view_find (HaulQueueView *self,
                      HaulDownload  *download)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (HAUL_IS_QUEUE_VIEW (self), GTK_INVALID_LIST_POSITION);
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (download), GTK_INVALID_LIST_POSITION);

  /* What the list shows: the slots published so far. */
  model = G_LIST_MODEL (self->filter_model);
  n = MIN (g_list_model_get_n_items (model),
           g_list_model_get_n_items (G_LIST_MODEL (self->slot_model)));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HaulDownload) item = g_list_model_get_item (model, i);

      if (item == download)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/* ------------------------------------------------------------------ */

static void
haul_queue_view_dispose (GObject *object)
{
  HaulQueueView *self = HAUL_QUEUE_VIEW (object);

  g_clear_handle_id (&self->refilter_id, g_source_remove);
  g_clear_handle_id (&self->resort_id, g_source_remove);
  g_clear_handle_id (&self->reselect_id, g_source_remove);
  if (self->selected_slot != NULL)
    g_signal_handlers_disconnect_by_func (self->selected_slot, selected_slot_cb, self);
  g_clear_object (&self->selected_slot);
  g_clear_object (&self->selected);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->queue != NULL)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  if (self->filter_model != NULL)
    g_signal_handlers_disconnect_by_data (self->filter_model, self);
  if (self->sort_model != NULL)
    g_signal_handlers_disconnect_by_data (self->sort_model, self);
  if (self->slot_model != NULL)
    g_signal_handlers_disconnect_by_data (self->slot_model, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->slot_model);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->sorter);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->queue);

  G_OBJECT_CLASS (haul_queue_view_parent_class)->dispose (object);
}

static void
haul_queue_view_finalize (GObject *object)
{
  HaulQueueView *self = HAUL_QUEUE_VIEW (object);

  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->search_key, g_free);

  G_OBJECT_CLASS (haul_queue_view_parent_class)->finalize (object);
}

static void
haul_queue_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HaulQueueView *self = HAUL_QUEUE_VIEW (object);

  switch (prop_id)
    {
    case PROP_FILTER:
      g_value_set_int (value, self->filter_mode);
      break;
    case PROP_CATEGORY:
      g_value_set_int (value, self->category);
      break;
    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;
    case PROP_PENDING:
      g_value_set_boolean (value, self->pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_queue_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HaulQueueView *self = HAUL_QUEUE_VIEW (object);

  switch (prop_id)
    {
    case PROP_FILTER:
      haul_queue_view_set_filter (self, g_value_get_int (value));
      break;
    case PROP_CATEGORY:
      haul_queue_view_set_category (self, g_value_get_int (value));
      break;
    case PROP_SEARCH:
      haul_queue_view_set_search (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_queue_view_class_init (HaulQueueViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = haul_queue_view_dispose;
  object_class->finalize = haul_queue_view_finalize;
  object_class->get_property = haul_queue_view_get_property;
  object_class->set_property = haul_queue_view_set_property;

  properties[PROP_FILTER] =
    g_param_spec_int ("filter", NULL, NULL,
                      HAUL_QUEUE_FILTER_ALL, HAUL_QUEUE_FILTER_FAILED, HAUL_QUEUE_FILTER_ALL,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATEGORY] =
    g_param_spec_int ("category", NULL, NULL, -1, HAUL_N_CATEGORIES - 1, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_boolean ("pending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
haul_queue_view_init (HaulQueueView *self)
{
  self->search = g_strdup ("");
  self->category = -1;
}

HaulQueueView *
haul_queue_view_new (HaulQueue *queue)
{
  HaulQueueView *self;

  g_return_val_if_fail (HAUL_IS_QUEUE (queue), NULL);

  self = g_object_new (HAUL_TYPE_QUEUE_VIEW, NULL);
  self->queue = g_object_ref (queue);

  self->sorter = gtk_custom_sorter_new (sort_func, NULL, NULL);
  self->sort_model = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (queue)),
                                              g_object_ref (GTK_SORTER (self->sorter)));

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sort_model)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  gtk_filter_list_model_set_incremental (self->filter_model, TRUE);

  self->slot_model = haul_slot_model_new (self->filter_model);
  /* Without a model first: with one, it would select the first item at
   * once, before autoselect is turned off. */
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->slot_model));
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (selection_cb),
                            self);

  g_signal_connect_swapped (queue, "download-state-changed", G_CALLBACK (state_changed_cb), self);
  g_signal_connect_swapped (self->filter_model, "notify::pending", G_CALLBACK (update_pending),
                            self);
  g_signal_connect_swapped (self->sort_model, "notify::pending", G_CALLBACK (update_pending),
                            self);
  g_signal_connect_swapped (self->slot_model, "notify::pending", G_CALLBACK (update_pending),
                            self);

  return self;
}
