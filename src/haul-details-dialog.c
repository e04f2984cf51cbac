/* haul-details-dialog.c: everything Haul knows about one download
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "haul-checksum.h"
#include "haul-details-dialog.h"
#include "haul-status-text.h"
#include "haul-util.h"

#define UPDATE_INTERVAL_MS 500

typedef enum
{
  FIELD_PROBLEM,
  FIELD_NOTICE,
  FIELD_NAME,
  FIELD_STATUS,
  FIELD_LOCATION,
  FIELD_FOLDER,
  FIELD_SIZE,
  FIELD_TYPE,
  FIELD_CHECKSUM,
  FIELD_ADDRESS,
  FIELD_FINAL_ADDRESS,
  FIELD_ADDED,
  FIELD_FINISHED,
  N_FIELDS
} Field;

/* The template's ids are NAME_row and NAME_value; tests ask by key. */
static const struct {
  const char *id;
  const char *key;
} fields[N_FIELDS] = {
  [FIELD_PROBLEM] = { "problem", "problem" },
  [FIELD_NOTICE] = { "notice", "notice" },
  [FIELD_NAME] = { "name", "name" },
  [FIELD_STATUS] = { "status", "status" },
  [FIELD_LOCATION] = { "location", "location" },
  [FIELD_FOLDER] = { "folder", "folder" },
  [FIELD_SIZE] = { "size", "size" },
  [FIELD_TYPE] = { "type", "type" },
  [FIELD_CHECKSUM] = { "checksum", "checksum" },
  [FIELD_ADDRESS] = { "address", "address" },
  [FIELD_FINAL_ADDRESS] = { "final_address", "final-address" },
  [FIELD_ADDED] = { "added", "added" },
  [FIELD_FINISHED] = { "finished", "finished" },
};

struct _HaulDetailsDialog
{
  AdwWindow       parent_instance;

  HaulDownload   *download;       /* (owned) */
  char           *extra_problem;  /* (owned) (nullable) */
  guint           update_id;      /* progress waiting to be shown */

  AdwWindowTitle *window_title;
  GtkWidget      *problem_group;
  GtkWidget      *rows[N_FIELDS];
  GtkLabel       *values[N_FIELDS];
};

G_DEFINE_FINAL_TYPE (HaulDetailsDialog, haul_details_dialog, ADW_TYPE_WINDOW)

static void
set_field (HaulDetailsDialog *self,
           Field              field,
           const char        *text)
{
  gboolean shown = text != NULL && *text != '\0';

  gtk_widget_set_visible (self->rows[field], shown);
  if (shown && g_strcmp0 (gtk_label_get_label (self->values[field]), text) != 0)
    gtk_label_set_label (self->values[field], text);
}

static char *
format_date (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return NULL;

  local = g_date_time_to_local (when);
  /* Translators: a full date and time, as g_date_time_format() writes it:
   * "12 November 2026, 14:02" */
  return g_date_time_format (local, _("%-e %B %Y, %H:%M"));
}

/* "PDF document (application/pdf)": what the server said, and what that is. */
static char *
format_type (const char *mime_type)
{
  g_autofree char *bare = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *description = NULL;

  if (mime_type == NULL || *mime_type == '\0')
    return g_strdup (_("None given"));

  /* "text/html; charset=utf-8" describes as text/html */
  bare = g_strstrip (g_strndup (mime_type, strcspn (mime_type, ";")));
  content_type = g_content_type_from_mime_type (bare);
  if (content_type != NULL && !g_content_type_is_unknown (content_type))
    description = g_content_type_get_description (content_type);

  if (description == NULL)
    return g_strdup (mime_type);
  /* Translators: a file type and the server's name for it: "PDF document (application/pdf)" */
  return g_strdup_printf (_("%s (%s)"), description, mime_type);
}

static char *
format_size (HaulDownload *download)
{
  gint64 total = haul_download_get_total (download);
  gint64 received = haul_download_get_received (download);
  g_autofree char *whole = NULL;

  if (total > 0)
    whole = g_format_size_full ((guint64) total, G_FORMAT_SIZE_LONG_FORMAT);
  else if (received > 0)
    whole = g_format_size_full ((guint64) received, G_FORMAT_SIZE_LONG_FORMAT);
  else
    return g_strdup (_("Not known yet"));

  if (total > 0 && received < total
      && haul_download_get_state (download) != HAUL_DOWNLOAD_COMPLETED)
    {
      g_autofree char *amount = haul_format_amount (download);

      if (amount != NULL)
        /* Translators: the whole size, then how much has arrived:
         * "21.0 MB (21,000,000 bytes); 5.6 MB of 21.0 MB so far" */
        return g_strdup_printf (_("%s; %s so far"), whole, amount);
    }

  return g_steal_pointer (&whole);
}

/* "SHA-256 verified", then which one and from where:
 * "SHA-256 3a7bd3e2…, from “SHA256SUMS” on the server". */
static char *
format_checksum (HaulDownload *download)
{
  const HaulChecksumSpec *spec = haul_download_get_checksum (download);
  g_autofree char *state = NULL;
  g_autofree char *source = NULL;
  const char *label;

  if (spec == NULL)
    return g_strdup (_("None known"));

  switch (haul_download_get_checksum_state (download))
    {
    case HAUL_CHECKSUM_VERIFYING:
      state = haul_checksum_spec_describe_checking (spec);
      break;
    case HAUL_CHECKSUM_VERIFIED:
      state = haul_checksum_spec_describe_verified (spec);
      break;
    case HAUL_CHECKSUM_MISMATCH:
      state = g_strdup (_("The file does not have the expected checksum"));
      break;
    case HAUL_CHECKSUM_NONE:
    case HAUL_CHECKSUM_PENDING:
    default:
      state = g_strdup (_("Checked when the download is complete"));
      break;
    }

  label = haul_checksum_algorithm_get_label (haul_checksum_spec_get_algorithm (spec));
  source = haul_checksum_spec_describe_source (spec);
  if (source == NULL)
    /* Translators: a checksum's state, its type and value:
     * "SHA-256 verified\nSHA-256 3a7bd3e2…" */
    return g_strdup_printf (_("%s\n%s %s"), state, label, haul_checksum_spec_get_hex (spec));
  /* Translators: a checksum's state, its type, value and where it came from:
   * "SHA-256 verified\nSHA-256 3a7bd3e2…, from “SHA256SUMS” on the server" */
  return g_strdup_printf (_("%s\n%s %s, %s"), state, label, haul_checksum_spec_get_hex (spec),
                          source);
}

static void
update (HaulDetailsDialog *self)
{
  HaulDownload *download = self->download;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = haul_download_dup_display_name (download);
  g_autofree char *status = haul_format_status (download, now);
  g_autofree char *path = haul_download_dup_path (download);
  g_autofree char *size = format_size (download);
  g_autofree char *type = format_type (haul_download_get_content_type (download));
  g_autofree char *checksum = format_checksum (download);
  g_autofree char *added = format_date (haul_download_get_created (download));
  g_autofree char *finished = format_date (haul_download_get_finished (download));
  const char *uri = haul_download_get_uri (download);
  const char *final_uri = haul_download_get_final_uri (download);
  g_autofree char *error = haul_download_dup_error_text (download);
  g_autoptr(GString) problem = g_string_new (NULL);

  if (haul_download_get_state (download) == HAUL_DOWNLOAD_FAILED && error != NULL)
    g_string_append (problem, error);
  if (self->extra_problem != NULL)
    {
      if (problem->len > 0)
        g_string_append (problem, "\n\n");
      g_string_append (problem, self->extra_problem);
    }

  adw_window_title_set_subtitle (self->window_title, name);
  set_field (self, FIELD_PROBLEM, problem->str);
  set_field (self, FIELD_NOTICE, haul_download_get_notice (download));
  gtk_widget_set_visible (self->problem_group,
                          gtk_widget_get_visible (self->rows[FIELD_PROBLEM])
                          || gtk_widget_get_visible (self->rows[FIELD_NOTICE]));

  set_field (self, FIELD_NAME, name);
  set_field (self, FIELD_STATUS, status);
  /* Before the first answer only the folder is known. */
  set_field (self, FIELD_LOCATION, path);
  set_field (self, FIELD_FOLDER, path == NULL ? haul_download_get_folder (download) : NULL);
  set_field (self, FIELD_SIZE, size);
  set_field (self, FIELD_TYPE, type);
  set_field (self, FIELD_CHECKSUM, checksum);
  set_field (self, FIELD_ADDRESS, uri);
  set_field (self, FIELD_FINAL_ADDRESS, g_strcmp0 (final_uri, uri) != 0 ? final_uri : NULL);
  if (added != NULL && haul_download_get_from_browser (download))
    {
      /* Translators: when a download was added, then where from */
      char *from = g_strdup_printf (_("%s, from the browser"), added);

      g_free (added);
      added = from;
    }
  set_field (self, FIELD_ADDED, added);
  set_field (self, FIELD_FINISHED, finished);
}

static gboolean
update_cb (gpointer user_data)
{
  HaulDetailsDialog *self = user_data;

  self->update_id = 0;
  update (self);
  return G_SOURCE_REMOVE;
}

/* Bytes arrive ten times a second: the words that count them change on a
 * slower beat a person can read (and the window is laid out less often). */
static void
download_notify_cb (HaulDetailsDialog *self,
                    GParamSpec        *pspec)
{
  if (g_str_equal (pspec->name, "received") || g_str_equal (pspec->name, "speed")
      || g_str_equal (pspec->name, "eta"))
    {
      if (self->update_id == 0)
        self->update_id = g_timeout_add (UPDATE_INTERVAL_MS, update_cb, self);
      return;
    }

  g_clear_handle_id (&self->update_id, g_source_remove);
  update (self);
}

HaulDownload *
haul_details_dialog_get_download (HaulDetailsDialog *self)
{
  g_return_val_if_fail (HAUL_IS_DETAILS_DIALOG (self), NULL);

  return self->download;
}

void
haul_details_dialog_set_extra_problem (HaulDetailsDialog *self,
                                       const char        *message)
{
  g_return_if_fail (HAUL_IS_DETAILS_DIALOG (self));

  g_free (self->extra_problem);
  self->extra_problem = g_strdup (message);
  update (self);
}

const char *
haul_details_dialog_get_field (HaulDetailsDialog *self,
                               const char        *field)
{
  g_return_val_if_fail (HAUL_IS_DETAILS_DIALOG (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  for (guint i = 0; i < N_FIELDS; i++)
    if (g_str_equal (fields[i].key, field))
      {
        GtkWidget *group = gtk_widget_get_ancestor (self->rows[i], ADW_TYPE_PREFERENCES_GROUP);

        if (!gtk_widget_get_visible (self->rows[i])
            || (group != NULL && !gtk_widget_get_visible (group)))
          return NULL;
        return gtk_label_get_label (self->values[i]);
      }

  g_return_val_if_reached (NULL);
}

static void
haul_details_dialog_dispose (GObject *object)
{
  HaulDetailsDialog *self = HAUL_DETAILS_DIALOG (object);

  g_clear_handle_id (&self->update_id, g_source_remove);
  if (self->download != NULL)
    g_signal_handlers_disconnect_by_func (self->download, download_notify_cb, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HAUL_TYPE_DETAILS_DIALOG);
  g_clear_object (&self->download);

  G_OBJECT_CLASS (haul_details_dialog_parent_class)->dispose (object);
}

static void
haul_details_dialog_finalize (GObject *object)
{
  HaulDetailsDialog *self = HAUL_DETAILS_DIALOG (object);

  g_free (self->extra_problem);

  G_OBJECT_CLASS (haul_details_dialog_parent_class)->finalize (object);
}

static void
haul_details_dialog_class_init (HaulDetailsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = haul_details_dialog_dispose;
  object_class->finalize = haul_details_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/haul-details-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HaulDetailsDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, HaulDetailsDialog, problem_group);
  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autofree char *row = g_strconcat (fields[i].id, "_row", NULL);
      g_autofree char *value = g_strconcat (fields[i].id, "_value", NULL);

      gtk_widget_class_bind_template_child_full (widget_class, g_intern_string (row), FALSE,
                                                 G_STRUCT_OFFSET (HaulDetailsDialog, rows)
                                                 + i * sizeof (GtkWidget *));
      gtk_widget_class_bind_template_child_full (widget_class, g_intern_string (value), FALSE,
                                                 G_STRUCT_OFFSET (HaulDetailsDialog, values)
                                                 + i * sizeof (GtkLabel *));
    }

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
haul_details_dialog_init (HaulDetailsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
haul_details_dialog_new (GtkWindow    *parent,
                         HaulDownload *download)
{
  HaulDetailsDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (HAUL_IS_DOWNLOAD (download), NULL);

  self = g_object_new (HAUL_TYPE_DETAILS_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->download = g_object_ref (download);
  g_signal_connect_object (download, "notify", G_CALLBACK (download_notify_cb), self,
                           G_CONNECT_SWAPPED);
  update (self);

  return GTK_WIDGET (self);
}
