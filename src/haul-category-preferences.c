/* haul-category-preferences.c: the folders of the kinds of file, in Preferences
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "haul-category-preferences.h"
#include "haul-category.h"
#include "haul-queue-settings.h"
#include "haul-util.h"

struct _HaulCategoryPreferences
{
  AdwPreferencesGroup   parent_instance;

  GSettings            *settings;   /* (owned) (nullable) */
  GtkFileChooserNative *chooser;    /* (owned) (nullable) */
  HaulCategory          choosing;

  GtkSwitch            *enabled_switch;
  AdwActionRow         *rows[HAUL_N_CATEGORIES];   /* OTHER's is NULL */
};

G_DEFINE_FINAL_TYPE (HaulCategoryPreferences, haul_category_preferences,
                     ADW_TYPE_PREFERENCES_GROUP)

/* "~/Downloads/Pictures" for a folder in the home folder. */
static char *
short_folder_name (const char *folder)
{
  g_autofree char *display = g_filename_display_name (folder);
  const char *home = g_get_home_dir ();

  if (g_str_has_prefix (folder, home) && folder[strlen (home)] == G_DIR_SEPARATOR)
    return g_strconcat ("~", display + strlen (home), NULL);
  return g_steal_pointer (&display);
}

static HaulCategoryFolders *
dup_folders (HaulCategoryPreferences *self)
{
  g_autofree char *download_folder = haul_dup_download_folder (self->settings);

  return haul_category_folders_from_settings (self->settings, download_folder);
}

static void
update_rows (HaulCategoryPreferences *self)
{
  g_autoptr(HaulCategoryFolders) folders = dup_folders (self);

  for (guint i = HAUL_CATEGORY_DOCUMENTS; i < HAUL_N_CATEGORIES; i++)
    {
      const char *folder = haul_category_folders_get (folders, i);
      g_autofree char *name = short_folder_name (folder);

      adw_action_row_set_subtitle (self->rows[i], name);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->rows[i]), folder);
    }
}

static void
settings_changed_cb (HaulCategoryPreferences *self,
                     const char              *key,
                     GSettings               *settings)
{
  if (g_strcmp0 (key, "category-folders") == 0 || g_strcmp0 (key, "download-folder") == 0)
    update_rows (self);
}

/* Writes @category's folder (NULL: the default) into the map. */
static void
store_folder (HaulCategoryPreferences *self,
              HaulCategory             category,
              const char              *folder)
{
  g_autoptr(GVariant) old = g_settings_get_value (self->settings, "category-folders");
  const char *key = haul_category_to_string (category);
  GVariantBuilder builder;
  GVariantIter iter;
  const char *name;
  const char *value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &value))
    if (strcmp (name, key) != 0)
      g_variant_builder_add (&builder, "{ss}", name, value);
  if (folder != NULL)
    g_variant_builder_add (&builder, "{ss}", key, folder);
  g_settings_set_value (self->settings, "category-folders", g_variant_builder_end (&builder));
}

static gboolean
parse_category (GVariant     *parameter,
                HaulCategory *category)
{
  return haul_category_from_string (g_variant_get_string (parameter, NULL), category)
         && *category != HAUL_CATEGORY_OTHER;
}

static void
chooser_response_cb (HaulCategoryPreferences *self,
                     int                      response,
                     GtkFileChooserNative    *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        store_folder (self, self->choosing, path);
    }
  g_clear_object (&self->chooser);
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HaulCategoryPreferences *self = HAUL_CATEGORY_PREFERENCES (widget);
  g_autoptr(HaulCategoryFolders) folders = NULL;
  g_autoptr(GFile) current = NULL;
  g_autofree char *title = NULL;
  HaulCategory category;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->chooser != NULL || self->settings == NULL || !parse_category (parameter, &category))
    return;

  folders = dup_folders (self);
  current = g_file_new_for_path (haul_category_folders_get (folders, category));
  /* Translators: the title of a folder chooser; %s is a kind of file, "Pictures". */
  title = g_strdup_printf (_("Folder for %s"), haul_category_get_label (category));
  self->choosing = category;
  self->chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                           : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  /* A folder not made yet cannot be shown: the chooser starts elsewhere. */
  if (g_file_query_exists (current, NULL))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), current, NULL);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HaulCategoryPreferences *self = HAUL_CATEGORY_PREFERENCES (widget);
  HaulCategory category;

  if (self->settings != NULL && parse_category (parameter, &category))
    store_folder (self, category, NULL);
}

static GtkWidget *
make_button (const char *icon_name,
             const char *action_name,
             const char *target,
             const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

/* A row per kind; a fixed set, not a list that changes. */
static void
add_rows (HaulCategoryPreferences *self)
{
  for (guint i = HAUL_CATEGORY_DOCUMENTS; i < HAUL_N_CATEGORIES; i++)
    {
      const char *label = haul_category_get_label (i);
      const char *name = haul_category_to_string (i);
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      g_autofree char *choose_label = NULL;
      g_autofree char *reset_label = NULL;
      GtkWidget *choose;

      /* Translators: a button's accessible name; %s is a kind of file, "Pictures". */
      choose_label = g_strdup_printf (_("Choose the Folder for %s"), label);
      /* Translators: a button's accessible name; %s is a kind of file, "Pictures". */
      reset_label = g_strdup_printf (_("Use the Default Folder for %s"), label);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
      choose = make_button ("folder-symbolic", "categories.choose", name, choose_label);
      adw_action_row_add_suffix (row, choose);
      adw_action_row_add_suffix (row, make_button ("edit-undo-symbolic", "categories.reset",
                                                   name, reset_label));
      g_object_bind_property (self->enabled_switch, "active", row, "sensitive",
                              G_BINDING_SYNC_CREATE);
      self->rows[i] = row;
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (row));
    }
}

void
haul_category_preferences_set_settings (HaulCategoryPreferences *self,
                                        GSettings               *settings)
{
  g_return_if_fail (HAUL_IS_CATEGORY_PREFERENCES (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);
  g_settings_bind (settings, "categories-enabled", self->enabled_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);
  update_rows (self);
}

static void
haul_category_preferences_dispose (GObject *object)
{
  HaulCategoryPreferences *self = HAUL_CATEGORY_PREFERENCES (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), HAUL_TYPE_CATEGORY_PREFERENCES);

  G_OBJECT_CLASS (haul_category_preferences_parent_class)->dispose (object);
}

static void
haul_category_preferences_finalize (GObject *object)
{
  g_clear_object (&HAUL_CATEGORY_PREFERENCES (object)->settings);

  G_OBJECT_CLASS (haul_category_preferences_parent_class)->finalize (object);
}

static void
haul_category_preferences_class_init (HaulCategoryPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = haul_category_preferences_dispose;
  object_class->finalize = haul_category_preferences_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/haul-category-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, HaulCategoryPreferences, enabled_switch);

  gtk_widget_class_install_action (widget_class, "categories.choose", "s", choose_action);
  gtk_widget_class_install_action (widget_class, "categories.reset", "s", reset_action);
}

static void
haul_category_preferences_init (HaulCategoryPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_rows (self);
}
