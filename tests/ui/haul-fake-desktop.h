/* haul-fake-desktop.h: the desktop's notification server and file manager, faked
 *
 * Copyright 2026 The Haul developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* On its own connection to the session bus it owns
 * org.freedesktop.Notifications (recording Notify, clicking with
 * ActionInvoked as a daemon does), org.freedesktop.FileManager1 (recording
 * ShowItems) and, when asked, GNOME Shell's org.gtk.Notifications
 * (recording AddNotification). Everything happens on the thread-default
 * main context of the caller. */
typedef struct _HaulFakeDesktop HaulFakeDesktop;

typedef struct
{
  guint32  id;
  guint32  replaces;  /* the id it replaced, 0: none */
  char    *summary;
  char    *body;
  GStrv    actions;   /* key, label, key, label… ("default" first when set) */
  gboolean gtk;       /* came through org.gtk.Notifications */
} HaulFakeNotification;

HaulFakeDesktop      *haul_fake_desktop_new          (gboolean         gnome_shell);
void                  haul_fake_desktop_free         (HaulFakeDesktop *desktop);
/* (element-type HaulFakeNotification) in the order received */
GPtrArray            *haul_fake_desktop_notifications (HaulFakeDesktop *desktop);
HaulFakeNotification *haul_fake_desktop_last         (HaulFakeDesktop *desktop);
/* (element-type utf8) URIs FileManager1.ShowItems was asked to show */
GPtrArray            *haul_fake_desktop_shown_items  (HaulFakeDesktop *desktop);
/* The label of the button with @key, or NULL. */
const char           *haul_fake_notification_label   (HaulFakeNotification *notification,
                                                      const char           *key);
/* A click: the body ("default") or a button, by its action key. */
void                  haul_fake_desktop_click        (HaulFakeDesktop      *desktop,
                                                      HaulFakeNotification *notification,
                                                      const char           *key);

G_END_DECLS
