# e2e_atspi.py: a small AT-SPI client speaking D-Bus directly
#
# Copyright 2026 The Haul developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Why not pyatspi/libatspi: with GTK 4.8, the application root answers
# GetChildAtIndex(1) with a reference to itself, so a second toplevel (the
# "Add Downloads" dialog) cannot be reached through libatspi, which walks
# children by index; GetChildren answers correctly. libatspi's caches also
# go stale unless events are pumped. This client asks the application
# every time: names, roles, states, children, actions, text and values are
# always live. It speaks the same interfaces a screen reader uses.

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, Gio, GLib  # noqa: E402  (only its role names)

REGISTRY = "org.a11y.atspi.Registry"
ROOT_PATH = "/org/a11y/atspi/accessible/root"
I_ACC = "org.a11y.atspi.Accessible"
I_ACTION = "org.a11y.atspi.Action"
I_TEXT = "org.a11y.atspi.Text"
I_EDIT = "org.a11y.atspi.EditableText"
I_VALUE = "org.a11y.atspi.Value"
I_PROPS = "org.freedesktop.DBus.Properties"

STATE_FOCUSED = 12
STATE_SENSITIVE = 24
STATE_SHOWING = 25
STATE_VISIBLE = 30

TIMEOUT_MS = 5000


class Bus:
    """The accessibility bus of the current D-Bus session."""

    def __init__(self, session):
        addr = session.call_sync("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus",
                                 "GetAddress", None, GLib.VariantType("(s)"),
                                 Gio.DBusCallFlags.NONE, TIMEOUT_MS, None).unpack()[0]
        self.conn = Gio.DBusConnection.new_for_address_sync(
            addr,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
            | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
            None, None)

    def call(self, dest, path, iface, method, params=None, reply=None):
        return self.conn.call_sync(dest, path, iface, method, params,
                                   GLib.VariantType(reply) if reply else None,
                                   Gio.DBusCallFlags.NONE, TIMEOUT_MS, None).unpack()

    def pid_of(self, bus_name):
        return self.call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                         "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                         GLib.Variant("(s)", (bus_name,)), "(u)")[0]

    def applications(self):
        """[(Accessible of the application root, pid)] registered on the desktop."""
        out = []
        desktop = Accessible(self, REGISTRY, ROOT_PATH)
        for app in desktop.children():
            try:
                out.append((app, self.pid_of(app.bus_name)))
            except GLib.Error:
                continue  # gone meanwhile
        return out


class Accessible:
    def __init__(self, bus, bus_name, path):
        self.bus = bus
        self.bus_name = bus_name
        self.path = path

    def __repr__(self):
        try:
            return "<%s %r>" % (self.role, self.name)
        except GLib.Error:
            return "<gone %s>" % self.path

    def __eq__(self, other):
        return isinstance(other, Accessible) and (self.bus_name, self.path) == (
            other.bus_name, other.path)

    def __hash__(self):
        return hash((self.bus_name, self.path))

    def _call(self, iface, method, params=None, reply=None):
        return self.bus.call(self.bus_name, self.path, iface, method, params, reply)

    def _prop(self, iface, name):
        return self._call(I_PROPS, "Get", GLib.Variant("(ss)", (iface, name)), "(v)")[0]

    @property
    def name(self):
        return self._prop(I_ACC, "Name")

    @property
    def role(self):
        """The standard AT-SPI role name ("push button", "progress bar", …).

        GTK's own GetRoleName answers differently ("button"), so map the
        role number as libatspi does."""
        n = self._call(I_ACC, "GetRole", None, "(u)")[0]
        try:
            return Atspi.role_get_name(Atspi.Role(n))
        except ValueError:
            return "role-%d" % n

    @property
    def parent(self):
        bus_name, path = self._prop(I_ACC, "Parent")
        if path in ("", "/org/a11y/atspi/null"):
            return None
        return Accessible(self.bus, bus_name, path)

    def children(self):
        refs = self._call(I_ACC, "GetChildren", None, "(a(so))")[0]
        return [Accessible(self.bus, b, p) for b, p in refs
                if p not in ("", "/org/a11y/atspi/null")]

    def interfaces(self):
        return self._call(I_ACC, "GetInterfaces", None, "(as)")[0]

    def states(self):
        words = self._call(I_ACC, "GetState", None, "(au)")[0]
        bits = 0
        for i, w in enumerate(words):
            bits |= w << (32 * i)
        return bits

    def has_state(self, state):
        return bool(self.states() & (1 << state))

    # -- Action
    def actions(self):
        n = self._prop(I_ACTION, "NActions")
        return [self._call(I_ACTION, "GetName", GLib.Variant("(i)", (i,)), "(s)")[0]
                for i in range(n)]

    def do_action(self, index=0):
        return self._call(I_ACTION, "DoAction", GLib.Variant("(i)", (index,)), "(b)")[0]

    # -- Text (GTK 4.8: GetText(0, -1) answers '', so ask for the count)
    def text(self):
        n = self._prop(I_TEXT, "CharacterCount")
        return self._call(I_TEXT, "GetText", GLib.Variant("(ii)", (0, n)), "(s)")[0]

    def set_text(self, text):
        return self._call(I_EDIT, "SetTextContents", GLib.Variant("(s)", (text,)), "(b)")[0]

    # -- Value
    def value(self):
        return self._prop(I_VALUE, "CurrentValue")

    def maximum(self):
        return self._prop(I_VALUE, "MaximumValue")

    # -- walking
    def walk(self, limit=5000):
        """Pre-order walk of the live tree (bounded)."""
        stack = [self]
        seen = 0
        while stack and seen < limit:
            acc = stack.pop()
            seen += 1
            yield acc
            try:
                kids = acc.children()
            except GLib.Error:
                kids = []
            stack.extend(reversed(kids))

    def find_all(self, pred):
        out = []
        for a in self.walk():
            try:
                if pred(a):
                    out.append(a)
            except GLib.Error:
                continue
        return out

    def find(self, pred):
        for a in self.walk():
            try:
                if pred(a):
                    return a
            except GLib.Error:
                continue
        return None

    def dump(self, indent=0, limit=400):
        lines = []

        def rec(acc, depth):
            if len(lines) >= limit:
                return
            try:
                role, name = acc.role, acc.name
            except GLib.Error:
                return
            extra = ""
            if role in ("label", "text", "entry"):
                try:
                    extra = " text=%r" % acc.text()
                except GLib.Error:
                    pass
            lines.append("%s%s %r%s" % ("  " * depth, role, name, extra))
            try:
                for c in acc.children():
                    rec(c, depth + 1)
            except GLib.Error:
                pass
        rec(self, indent)
        return "\n".join(lines)
