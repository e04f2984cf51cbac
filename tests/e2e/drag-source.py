#!/usr/bin/python3
# drag-source.py: a tiny GTK 4 window that offers links for a real XDND drag
#
# Copyright 2026 The Haul developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   drag-source.py uri-list URL…     text/uri-list (CRLF separated)
#   drag-source.py moz-url URL TITLE text/x-moz-url (UTF-16, "url\ntitle")
#   drag-source.py text TEXT         a string (text/plain;charset=utf-8, …)
#   drag-source.py clipboard TEXT    no drag: owns the clipboard with TEXT
#                                    (as a browser does after "Copy Link")
#   drag-source.py drop-target       no drag: a window that takes dropped
#                                    files, as a file manager or a mail does
#
# The whole window is the drag handle. It prints "ready" once mapped,
# "drag-end" when a drag finished and "clipboard-set" once it owns the
# clipboard, on stdout, for the driving test. As a drop target it prints
# "drop-formats FORMATS" when a drag enters and "dropped-file PATH" for
# each file dropped.

import sys

import gi

gi.require_version("Gdk", "4.0")
gi.require_version("Gtk", "4.0")
from gi.repository import Gdk, Gio, GLib, GObject, Gtk  # noqa: E402


def make_provider(kind, args):
    if kind == "uri-list":
        data = "".join(u + "\r\n" for u in args).encode("utf-8")
        return Gdk.ContentProvider.new_for_bytes("text/uri-list",
                                                 GLib.Bytes.new(data))
    if kind == "moz-url":
        url, title = args
        # As Firefox offers it: UTF-16 in host order, no byte order mark.
        data = (url + "\n" + title).encode("utf-16-le" if sys.byteorder == "little"
                                           else "utf-16-be")
        return Gdk.ContentProvider.new_for_bytes("text/x-moz-url",
                                                 GLib.Bytes.new(data))
    if kind in ("text", "clipboard"):
        value = GObject.Value(GObject.TYPE_STRING, args[0])
        return Gdk.ContentProvider.new_for_value(value)
    raise SystemExit("unknown payload kind %r" % kind)


def drop_target(win):
    label = Gtk.Label(label="drop files here")
    label.set_hexpand(True)
    label.set_vexpand(True)
    win.set_child(label)
    target = Gtk.DropTarget.new(Gdk.FileList, Gdk.DragAction.COPY)

    def on_enter(t, x, y):
        print("drop-formats %s" % t.get_current_drop().get_formats().to_string(), flush=True)
        return Gdk.DragAction.COPY

    def on_drop(t, value, x, y):
        for f in value.get_files():
            print("dropped-file %s" % f.get_path(), flush=True)
        return True

    target.connect("enter", on_enter)
    target.connect("drop", on_drop)
    label.add_controller(target)


def main():
    if len(sys.argv) < 2 or (len(sys.argv) < 3 and sys.argv[1] != "drop-target"):
        raise SystemExit(__doc__)
    provider = None if sys.argv[1] == "drop-target" else make_provider(sys.argv[1], sys.argv[2:])

    app = Gtk.Application(flags=Gio.ApplicationFlags.NON_UNIQUE)

    def on_activate(app):
        win = Gtk.ApplicationWindow(application=app, title="e2e drag source")
        win.set_default_size(240, 240)
        if provider is None:
            drop_target(win)
            win.connect("map", lambda w: GLib.timeout_add(100, lambda: print("ready", flush=True)))
            win.present()
            return
        label = Gtk.Label(label="drag me\n(%s)" % sys.argv[1])
        label.set_hexpand(True)
        label.set_vexpand(True)
        win.set_child(label)

        source = Gtk.DragSource()
        source.set_actions(Gdk.DragAction.COPY)
        source.connect("prepare", lambda s, x, y: provider)
        source.connect("drag-begin", lambda s, d: print("drag-begin", flush=True))

        def on_end(s, drag, delete_data):
            print("drag-end", flush=True)

        def on_cancel(s, drag, reason):
            print("drag-cancel %d" % int(reason), flush=True)
            return False

        source.connect("drag-end", on_end)
        source.connect("drag-cancel", on_cancel)
        label.add_controller(source)

        def on_mapped():
            if sys.argv[1] == "clipboard":
                win.get_clipboard().set_content(provider)
                print("clipboard-set", flush=True)
            print("ready", flush=True)
            return False

        win.connect("map", lambda w: GLib.timeout_add(100, on_mapped))
        win.present()

    app.connect("activate", on_activate)
    app.run([sys.argv[0]])


if __name__ == "__main__":
    main()
