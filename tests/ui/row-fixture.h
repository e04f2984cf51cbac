/* row-fixture.h: one download's row in a window of its own, for the row tests
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* test-row.c (the row's words in every state, and what a progress update
 * costs) and test-row-details.c (the details, the row's buttons on a real
 * queue) look at one HaulDownloadRow bound to a HaulDownload whose states
 * are set directly, as the queue sets them: a fixture of window, row and
 * download, with layout probes around the row and as the window's child. */

#include <adwaita.h>

#include "haul-download.h"
#include "haul-progress-bar.h"

G_BEGIN_DECLS

#define TIMEOUT_MS 10000

/* A layout probe: a bin that counts how often it is measured and
 * allocated. Put around a row (or as the window's child), it sees every
 * relayout that reaches it. */
#define TEST_TYPE_PROBE (test_probe_get_type ())
G_DECLARE_FINAL_TYPE (TestProbe, test_probe, TEST, PROBE, GtkWidget)

struct _TestProbe
{
  GtkWidget parent_instance;
  guint     n_measure;
  guint     n_allocate;
};

typedef struct
{
  GtkWidget    *window;
  TestProbe    *window_probe;   /* the window's child */
  TestProbe    *row_probe;      /* around the row */
  GtkWidget    *row;
  HaulDownload *download;
  guint         n_compute_size;
} Fixture;

/* g_test_init() and libadwaita, in untranslated English with the C
 * locale's formats. */
void row_test_init    (int           *argc,
                       char        ***argv);

void fixture_setup    (Fixture       *fixture,
                       gconstpointer  data);
void fixture_teardown (Fixture       *fixture,
                       gconstpointer  data);
/* Zeroes the probes' counts and the toplevel's. */
void reset_counts     (Fixture       *fixture);

/* g_format_size() puts a no-break space before the unit: compared as a
 * space. */
char *plain_spaces (const char *text);

#define assert_words(text, expected) \
  G_STMT_START { \
    g_autofree char *plain_ = plain_spaces (text); \
    g_assert_cmpstr (plain_, ==, (expected)); \
  } G_STMT_END

/* Waits at most TIMEOUT_MS for @widget to be mapped, and checks it is. */
void wait_mapped (GtkWidget *widget);

/* Matchers for haul_ui_find(): an instance of the GType in @type, an
 * actionable for @action. */
gboolean is_type    (GtkWidget *widget,
                     gpointer   type);
gboolean has_action (GtkWidget *widget,
                     gpointer   action);

HaulProgressBar *row_bar          (GtkWidget  *row);
gboolean         row_bar_shown    (GtkWidget  *row);
gboolean         row_button_shown (GtkWidget  *row,
                                   const char *action);
/* The visible button for @action, with the accessible name a screen
 * reader says, reached with Tab. */
GtkWidget       *row_button       (GtkWidget  *row,
                                   const char *action,
                                   const char *accessible_name);

G_END_DECLS
