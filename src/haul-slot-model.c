/* haul-slot-model.c: a filtered list shown through positions that stay put
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why: GtkListView (GTK 4.8) destroys the row widget of every item that
 * items-changed removes and builds a new one for every item it adds, and
 * GtkFilterListModel, when its filter becomes stricter or different,
 * first removes every item it shows and then adds back, slice by slice,
 * those that still match. Typing one letter into the search of a long list
 * therefore threw away and rebuilt every row on screen, twice (a
 * HaulDownloadRow takes about 2.5 ms to build): stalls of 100–400 ms
 * although the filtering itself was incremental.
 *
 * How: the list view is given slots instead of downloads, and a slot is
 * only ever moved or given another download, never replaced, so the view
 * keeps its row widgets. When the filtered list changes, the slots near
 * the view first follow their downloads to where these are now (a re-sort
 * moves rows: GTK is handed the same slots at their new places); slots
 * whose download left are reused for the places nobody moved to; then
 * each slot is shown what its position holds (a rebind, which is cheap:
 * those nearest the view's first visible row in the same turn, the rest a
 * few per turn). items-changed is emitted only for the stretch that moved
 * and for the end of the list, where it grew or shrank.
 * Only slots the view holds exist (a weak table by position). Publishing
 * waits until the filter has settled, or 250 ms while it works, so one
 * search is one publication, not one per slice.
 */

#include "config.h"

#include "haul-slot-model.h"

#define PROGRESS_INTERVAL_MS 250
/* Rebinding a row on screen costs about 0.4 ms, and as much again to lay
 * it out; GTK keeps some 200 rows around the visible ones. */
#define REBIND_STEP 6
/* New rows near the view are built (about 1–2 ms each) at most this many
 * per main-loop turn; GTK builds rows for up to this far past the first
 * visible one. */
#define GROW_STEP 2
#define REALIZED_RANGE 200
/* A new model shows this many at first, the rest growing as above: the
 * window's first frame (a long history restored) builds what fills a tall
 * window, not the 200 rows GTK would keep. */
#define FIRST_ROWS 24

struct _HaulSlotModel
{
  GObject             parent_instance;

  GtkFilterListModel *source;      /* (owned) */
  guint               n_items;     /* as published */
  GHashTable         *slots;       /* position → HaulListSlot (weak) */
  GPtrArray          *stale;       /* (owned) (element-type HaulListSlot) to rebind, nearest last */
  guint               focus;       /* the position the view shows first */
  guint               rebind_id;
  guint               publish_id;
  guint               progress_id;
  gint64              busy_since;  /* the filter has been at work since, or 0 */
  gboolean            pending;
};

static void haul_slot_model_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HaulSlotModel, haul_slot_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      haul_slot_model_model_init))

enum {
  PROP_0,
  PROP_MODEL,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_pending (HaulSlotModel *self,
             gboolean       pending)
{
  if (self->pending == pending)
    return;

  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void
slot_gone_cb (gpointer  data,
              GObject  *slot)
{
  HaulSlotModel *self = data;
  gpointer key = GUINT_TO_POINTER (haul_list_slot_get_position (HAUL_LIST_SLOT (slot)));

  if (g_hash_table_lookup (self->slots, key) == (gpointer) slot)
    g_hash_table_remove (self->slots, key);
}

/* Gives @slot what its position holds now. */
static void
rebind (HaulSlotModel *self,
        HaulListSlot  *slot)
{
  guint position = haul_list_slot_get_position (slot);
  g_autoptr(HaulDownload) download = NULL;

  if (position < self->n_items)
    download = g_list_model_get_item (G_LIST_MODEL (self->source), position);
  haul_list_slot_set_download (slot, download);
}

static gboolean
rebind_cb (gpointer user_data)
{
  HaulSlotModel *self = user_data;

  for (guint i = 0; i < REBIND_STEP && self->stale->len > 0; i++)
    {
      g_autoptr(HaulListSlot) slot = g_ptr_array_steal_index_fast (self->stale,
                                                                   self->stale->len - 1);
      rebind (self, slot);
    }

  if (self->stale->len > 0)
    return G_SOURCE_CONTINUE;

  self->rebind_id = 0;
  return G_SOURCE_REMOVE;
}

static int
compare_distance (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  guint focus = GPOINTER_TO_UINT (user_data);
  guint pa = haul_list_slot_get_position (*(HaulListSlot **) a);
  guint pb = haul_list_slot_get_position (*(HaulListSlot **) b);
  guint da = pa > focus ? pa - focus : focus - pa;
  guint db = pb > focus ? pb - focus : focus - pb;

  /* Farthest first: the array is worked from its end. */
  return da < db ? 1 : da > db ? -1 : 0;
}

static guint
distance (guint a,
          guint b)
{
  return a > b ? a - b : b - a;
}

/* Slots near the view follow their downloads to where these are now (a
 * download that finished moved below the unfinished ones, and the rows
 * between moved up by one): in one items-changed that hands GTK the same
 * slot objects at their new positions, so it keeps their row widgets as
 * they are. Slots whose download left that stretch are reused for the
 * positions nobody moved to, and shown their new downloads afterwards. */
static void
follow_moves (HaulSlotModel *self)
{
  GListModel *source = G_LIST_MODEL (self->source);
  guint n = MIN (self->n_items, g_list_model_get_n_items (source));
  guint lo = G_MAXUINT, hi = 0, first = G_MAXUINT, last = 0;
  guint orphans_before;
  g_autoptr(GHashTable) where = NULL;
  g_autoptr(GHashTable) target = NULL;
  g_autoptr(GPtrArray) live = g_ptr_array_new ();
  g_autoptr(GPtrArray) orphans = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint p = GPOINTER_TO_UINT (key);

      if (p >= n || distance (p, self->focus) > REALIZED_RANGE)
        continue;
      g_ptr_array_add (live, value);
      lo = MIN (lo, p);
      hi = MAX (hi, p + 1);
    }
  if (live->len == 0)
    return;

  /* Where each download of the stretch is now. The queue keeps them
   * alive: the table holds plain pointers. */
  where = g_hash_table_new (NULL, NULL);
  for (guint q = lo; q < hi; q++)
    {
      g_autoptr(HaulDownload) download = g_list_model_get_item (source, q);

      g_hash_table_insert (where, download, GUINT_TO_POINTER (q + 1));
    }

  target = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < live->len; i++)
    {
      HaulListSlot *slot = g_ptr_array_index (live, i);
      HaulDownload *download = haul_list_slot_get_download (slot);
      guint q1 = download != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (where, download)) : 0;

      if (q1 > 0 && !g_hash_table_contains (target, GUINT_TO_POINTER (q1 - 1)))
        g_hash_table_insert (target, GUINT_TO_POINTER (q1 - 1), slot);
      else
        g_ptr_array_add (orphans, slot);
    }
  orphans_before = orphans->len;

  /* An orphan stays where it is if nobody moved there (it may just not
   * have been rebound yet); the others fill the places left. */
  for (guint i = orphans->len; i > 0; i--)
    {
      HaulListSlot *slot = g_ptr_array_index (orphans, i - 1);
      gpointer own = GUINT_TO_POINTER (haul_list_slot_get_position (slot));

      if (!g_hash_table_contains (target, own))
        {
          g_hash_table_insert (target, own, slot);
          g_ptr_array_remove_index (orphans, i - 1);
        }
    }
  for (guint q = lo; q < hi && orphans->len > 0; q++)
    if (!g_hash_table_contains (target, GUINT_TO_POINTER (q)))
      g_hash_table_insert (target, GUINT_TO_POINTER (q),
                           g_ptr_array_steal_index_fast (orphans, orphans->len - 1));

  for (guint q = lo; q < hi; q++)
    if (g_hash_table_lookup (self->slots, GUINT_TO_POINTER (q))
        != g_hash_table_lookup (target, GUINT_TO_POINTER (q)))
      {
        first = MIN (first, q);
        last = q;
      }

  /* GTK lays out again every row of the stretch it is handed: worth it
   * when most of them moved (a re-sort), not when a few did among rows
   * that all show something else now (a search: rebinding is cheaper). */
  if (first > last || last - first + 1 > 2 * (live->len - orphans_before) + 4)
    return;

  for (guint i = 0; i < live->len; i++)
    {
      HaulListSlot *slot = g_ptr_array_index (live, i);

      g_hash_table_remove (self->slots, GUINT_TO_POINTER (haul_list_slot_get_position (slot)));
    }
  g_hash_table_iter_init (&iter, target);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      haul_list_slot_set_position (value, GPOINTER_TO_UINT (key));
      g_hash_table_insert (self->slots, key, value);
    }

  g_list_model_items_changed (G_LIST_MODEL (self), first, last - first + 1, last - first + 1);
}

static gboolean publish_cb (gpointer       user_data);
static void     schedule   (HaulSlotModel *self);

static void
publish (HaulSlotModel *self)
{
  guint n_source = g_list_model_get_n_items (G_LIST_MODEL (self->source));
  guint n_old = self->n_items;
  guint n_new = n_source;
  guint common;
  GHashTableIter iter;
  gpointer value;

  g_clear_handle_id (&self->publish_id, g_source_remove);
  g_clear_handle_id (&self->progress_id, g_source_remove);

  /* While GTK still builds new rows (it keeps up to some 200; beyond that
   * it reuses rows), growing is a few rows per turn, with frames in
   * between: a paste of fifty links is fifty rows to build. */
  if (n_new > n_old + GROW_STEP && n_old < self->focus + REALIZED_RANGE
      && g_hash_table_size (self->slots) < REALIZED_RANGE)
    n_new = n_old + GROW_STEP;
  common = MIN (n_old, n_new);

  self->n_items = n_new;
  if (n_new != n_old)
    g_list_model_items_changed (G_LIST_MODEL (self), common, n_old - common, n_new - common);
  /* A re-sort keeps the count; a search or a filter changes it, and then
   * nearly every row shows something else: rebinding is all there is. */
  if (n_new == n_old)
    follow_moves (self);

  /* The slots the view holds get what their positions hold now: those on
   * screen in this turn, the others (GTK keeps rows beyond the visible
   * ones) a few per turn after it. */
  g_ptr_array_set_size (self->stale, 0);
  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (self->stale, g_object_ref (value));
  g_ptr_array_sort_with_data (self->stale, compare_distance, GUINT_TO_POINTER (self->focus));
  if (self->stale->len > 0)
    {
      rebind_cb (self);
      if (self->stale->len > 0 && self->rebind_id == 0)
        self->rebind_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, rebind_cb, self, NULL);
    }

  if (n_new != n_source)
    {
      /* The rest next turn, after a frame. */
      set_pending (self, TRUE);
      if (self->publish_id == 0)
        self->publish_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, publish_cb, self, NULL);
      return;
    }

  set_pending (self, gtk_filter_list_model_get_pending (self->source) > 0);
}

static gboolean
publish_cb (gpointer user_data)
{
  HaulSlotModel *self = user_data;

  self->publish_id = 0;
  /* The filter went back to work since (a stretch of its model changed):
   * what it has now is a passing state, not worth building rows for. */
  if (gtk_filter_list_model_get_pending (self->source) > 0)
    {
      schedule (self);
      return G_SOURCE_REMOVE;
    }

  publish (self);
  return G_SOURCE_REMOVE;
}

static gboolean
progress_cb (gpointer user_data)
{
  HaulSlotModel *self = user_data;
  gint64 busy_ms = self->busy_since > 0 ? (g_get_monotonic_time () - self->busy_since) / 1000 : 0;

  self->progress_id = 0;
  /* What a long search found so far, every 250 ms; not the passing state
   * of a short stretch being filtered again (after a re-sort). */
  if (busy_ms < PROGRESS_INTERVAL_MS)
    {
      schedule (self);
      return G_SOURCE_REMOVE;
    }

  publish (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (HaulSlotModel *self)
{
  set_pending (self, TRUE);

  if (gtk_filter_list_model_get_pending (self->source) == 0)
    {
      self->busy_since = 0;
      /* Before the next layout, in this main-loop turn. */
      if (self->publish_id == 0)
        self->publish_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, publish_cb, self, NULL);
      return;
    }

  if (self->busy_since == 0)
    self->busy_since = g_get_monotonic_time ();
  if (self->progress_id == 0)
    self->progress_id = g_timeout_add (PROGRESS_INTERVAL_MS, progress_cb, self);
}

static void
source_items_changed_cb (HaulSlotModel *self,
                         guint          position,
                         guint          removed,
                         guint          added,
                         GListModel    *source)
{
  schedule (self);
}

static void
source_pending_cb (HaulSlotModel *self,
                   GParamSpec    *pspec,
                   GObject       *source)
{
  schedule (self);
}

/* ------------------------------------------------------------------ */

static GType
haul_slot_model_get_item_type (GListModel *model)
{
  return HAUL_TYPE_LIST_SLOT;
}

static guint
haul_slot_model_get_n_items (GListModel *model)
{
  return HAUL_SLOT_MODEL (model)->n_items;
}

static gpointer
haul_slot_model_get_item (GListModel *model,
                          guint       position)
{
  HaulSlotModel *self = HAUL_SLOT_MODEL (model);
  HaulListSlot *slot;
  g_autoptr(HaulDownload) download = NULL;

  if (position >= self->n_items)
    return NULL;

  slot = g_hash_table_lookup (self->slots, GUINT_TO_POINTER (position));
  if (slot != NULL)
    return g_object_ref (slot);

  slot = haul_list_slot_new (position);
  /* What the position holds now: the same as its neighbours once the
   * next publication ran. */
  download = g_list_model_get_item (G_LIST_MODEL (self->source), position);
  haul_list_slot_set_download (slot, download);
  g_hash_table_insert (self->slots, GUINT_TO_POINTER (position), slot);
  g_object_weak_ref (G_OBJECT (slot), slot_gone_cb, self);

  return slot;
}

static void
haul_slot_model_model_init (GListModelInterface *iface)
{
  iface->get_item_type = haul_slot_model_get_item_type;
  iface->get_n_items = haul_slot_model_get_n_items;
  iface->get_item = haul_slot_model_get_item;
}

void
haul_slot_model_set_focus (HaulSlotModel *self,
                           guint          position)
{
  g_return_if_fail (HAUL_IS_SLOT_MODEL (self));

  self->focus = position;
}

gboolean
haul_slot_model_get_pending (HaulSlotModel *self)
{
  g_return_val_if_fail (HAUL_IS_SLOT_MODEL (self), FALSE);

  return self->pending;
}

static void
haul_slot_model_dispose (GObject *object)
{
  HaulSlotModel *self = HAUL_SLOT_MODEL (object);
  GHashTableIter iter;
  gpointer value;

  g_clear_handle_id (&self->publish_id, g_source_remove);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_handle_id (&self->rebind_id, g_source_remove);
  g_clear_pointer (&self->stale, g_ptr_array_unref);
  if (self->slots != NULL)
    {
      g_hash_table_iter_init (&iter, self->slots);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_object_weak_unref (value, slot_gone_cb, self);
      g_clear_pointer (&self->slots, g_hash_table_unref);
    }
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (haul_slot_model_parent_class)->dispose (object);
}

static void
haul_slot_model_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HaulSlotModel *self = HAUL_SLOT_MODEL (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->source);
      break;
    case PROP_PENDING:
      g_value_set_boolean (value, self->pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
haul_slot_model_class_init (HaulSlotModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = haul_slot_model_dispose;
  object_class->get_property = haul_slot_model_get_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, GTK_TYPE_FILTER_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_boolean ("pending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
haul_slot_model_init (HaulSlotModel *self)
{
  self->slots = g_hash_table_new (NULL, NULL);
  self->stale = g_ptr_array_new_with_free_func (g_object_unref);
}

HaulSlotModel *
haul_slot_model_new (GtkFilterListModel *source)
{
  HaulSlotModel *self;

  g_return_val_if_fail (GTK_IS_FILTER_LIST_MODEL (source), NULL);

  self = g_object_new (HAUL_TYPE_SLOT_MODEL, NULL);
  self->source = g_object_ref (source);
  self->n_items = MIN (g_list_model_get_n_items (G_LIST_MODEL (source)), FIRST_ROWS);
  g_signal_connect_swapped (source, "items-changed", G_CALLBACK (source_items_changed_cb), self);
  g_signal_connect_swapped (source, "notify::pending", G_CALLBACK (source_pending_cb), self);
  if (self->n_items < g_list_model_get_n_items (G_LIST_MODEL (source)))
    schedule (self);

  return self;
}
