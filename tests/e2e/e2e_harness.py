# e2e_harness.py: one end-to-end scenario's world, set up and torn down
#
# Copyright 2026 The Haul developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs inside the private X server and D-Bus session that run-e2e makes
# (xvfb-run + dbus-run-session). A Session owns, for one scenario:
#   - a temp HOME with isolated XDG folders and a Downloads folder declared
#     in user-dirs.dirs, a fake default "open" handler, and a keyfile
#     GSettings backend;
#   - python3-dbusmock's notification daemon and a mock
#     org.freedesktop.FileManager1 on the session bus;
#   - the local HTTP server (e2e_http.HttpFixture);
#   - Haul itself (BUILD/src/haul), found by PID with xdotool, read and
#     driven through AT-SPI (e2e_atspi);
#   - screenshots under BUILD/tests/e2e/screenshots/.
# Every wait is bounded; a timeout raises AssertionError saying what it
# waited for and what it saw last.

import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from gi.repository import Gio, GLib

import e2e_atspi
from e2e_http import HttpFixture

PYTHON = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))
APP_ID = "io.github.haul.Haul"
NOTIFY_NAME = "org.freedesktop.Notifications"
NOTIFY_PATH = "/org/freedesktop/Notifications"
FM_NAME = "org.freedesktop.FileManager1"
FM_PATH = "/org/freedesktop/FileManager1"
MOCK_IFACE = "org.freedesktop.DBus.Mock"

SCREEN_W, SCREEN_H = 1280, 800  # run-e2e's Xvfb screen

_T0 = time.monotonic()


def log(msg):
    print("[%7.2fs] %s" % (time.monotonic() - _T0, msg), flush=True)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class AppDied(AssertionError):
    pass


# Set by the Session: raises AppDied as soon as Haul exits unexpectedly, so
# a crash fails the scenario at once instead of after every timeout.
_liveness_check = None


def random_bytes(seed, n):
    return random.Random(seed).randbytes(n)


def text_bytes(title, lines):
    return "".join("%s — line %05d: the quick brown fox jumps over the lazy dog\n"
                   % (title, i) for i in range(lines)).encode("utf-8")


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def wait_until(fn, timeout, what, interval=0.1):
    """Call fn until it returns something truthy; return that value.

    Exceptions from fn count as "not yet" (AT-SPI objects come and go),
    except AppDied."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        if _liveness_check is not None:
            _liveness_check()
        try:
            value = fn()
            if value:
                return value
            last = value
        except AppDied:
            raise
        except Exception as e:  # noqa: BLE001 - reported on timeout
            last = "%s: %s" % (type(e).__name__, e)
        if time.monotonic() >= deadline:
            raise AssertionError("timed out after %.0f s waiting for %s (last: %r)"
                                 % (timeout, what, last))
        time.sleep(interval)


def run(cmd, timeout=10, check=True, **kw):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=timeout, **kw)
    if check and p.returncode != 0:
        raise AssertionError("%s exited %d: %s" % (cmd, p.returncode, p.stderr.strip()))
    return p


# ---------------------------------------------------------------- AT-SPI

def a_safe(fn, default=""):
    try:
        return fn()
    except GLib.Error:
        return default


def a_is_button(acc):
    return acc.role in ("push button", "toggle button") and acc.has_state(e2e_atspi.STATE_VISIBLE)


class Row:
    """One HaulDownloadRow as AT-SPI shows it: the named child of a list item.

    Active and paused rows have a progress bar; finished rows have none and
    say what they have in words."""

    def __init__(self, acc):
        self.acc = acc

    @property
    def name(self):
        return self.acc.name

    def bar(self):
        return self.acc.find(lambda a: a.role == "progress bar")

    def progress(self):
        """The bar's value in percent, or None when the row shows no bar.

        GTK 4.8 gives the Value interface to GtkProgressBar only; Haul's
        bar (which never relayouts the window) carries its value in its
        accessible name, "42 %"."""
        bar = self.bar()
        if bar is None:
            return None
        if e2e_atspi.I_VALUE in bar.interfaces():
            return bar.value()
        m = re.search(r"\d+(?:[.,]\d+)?", bar.name or "")
        return float(m.group(0).replace(",", ".")) if m else 0.0

    def labels(self):
        """Texts of the row's labels, outside its buttons, in order."""
        out = []
        stack = [self.acc]
        while stack and len(out) < 50:
            acc = stack.pop()
            role = acc.role
            if role == "label":
                out.append(acc.text())
            elif role not in ("push button", "toggle button", "menu button"):
                stack.extend(reversed(acc.children()))
        return out

    def status(self):
        """The status line: the last label that is not the file name."""
        name = self.name
        texts = [t for t in self.labels() if t]
        others = [t for t in texts if t != name]
        return others[-1] if others else (texts[-1] if texts else "")

    def texts(self):
        """Every line of the row but its name (a failed row's reason too)."""
        return [t for t in self.labels() if t and t != self.name]

    def buttons(self):
        return {a.name: a for a in self.acc.find_all(a_is_button)}

    def describe(self):
        try:
            return "%r progress=%s labels=%r buttons=%r" % (
                self.name, self.progress(), self.labels(), sorted(self.buttons()))
        except GLib.Error as e:
            return "%r (%s)" % (self.name, e.message)


# ---------------------------------------------------------------- session

class Session:
    def __init__(self, scenario, build_dir):
        self.scenario = scenario
        self.build_dir = os.path.abspath(build_dir)
        self.app_exe = os.environ.get("HAUL_E2E_APP") or os.path.join(self.build_dir, "src", "haul")
        self.shots_dir = os.path.join(self.build_dir, "tests", "e2e", "screenshots")
        os.makedirs(self.shots_dir, exist_ok=True)
        self.tmp = tempfile.mkdtemp(prefix="haul-e2e-%s-" % scenario)
        self.home = os.path.join(self.tmp, "home")
        self.config = os.path.join(self.home, ".config")
        self.data = os.path.join(self.home, ".local", "share")
        self.cache = os.path.join(self.home, ".cache")
        self.runtime = os.path.join(self.tmp, "runtime")
        # Deliberately not ~/Downloads: proves user-dirs.dirs is honoured.
        self.downloads = os.path.join(self.home, "E2E Downloads")
        self.opened_log = os.path.join(self.tmp, "opened.log")
        for d in (self.config, self.data, self.cache, self.downloads):
            os.makedirs(d, exist_ok=True)
        os.makedirs(self.runtime, mode=0o700, exist_ok=True)
        os.chmod(self.runtime, 0o700)
        self.http = HttpFixture()
        self.procs = []  # (name, Popen) we own, ended in reverse order
        self.app = None  # Popen of the primary Haul
        self.app_logs = []
        self.wid = None
        self._bus = None
        self.app_may_exit = False  # set while a scenario expects the app to end
        self._write_user_dirs()
        self._write_open_handler()
        self.env = self._make_env()

    # -- set-up ---------------------------------------------------------

    def _write_user_dirs(self):
        with open(os.path.join(self.config, "user-dirs.dirs"), "w") as f:
            f.write('XDG_DOWNLOAD_DIR="%s"\n' % self.downloads)

    def _write_open_handler(self):
        """A default application for files that records what it was asked to open."""
        tool = os.path.join(self.tmp, "fake-open")
        with open(tool, "w") as f:
            f.write("#!/bin/sh\nfor a in \"$@\"; do printf '%%s\\n' \"$a\" >> '%s'; done\n"
                    % self.opened_log)
        os.chmod(tool, 0o755)
        apps = os.path.join(self.data, "applications")
        os.makedirs(apps, exist_ok=True)
        types = ["text/plain", "application/octet-stream", "application/x-zerosize",
                 "inode/directory"]
        with open(os.path.join(apps, "haul-e2e-opener.desktop"), "w") as f:
            f.write("[Desktop Entry]\nType=Application\nName=E2E Opener\n"
                    "Exec=%s %%f\nNoDisplay=true\nMimeType=%s;\n" % (tool, ";".join(types)))
        with open(os.path.join(self.config, "mimeapps.list"), "w") as f:
            f.write("[Default Applications]\n")
            for t in types:
                f.write("%s=haul-e2e-opener.desktop\n" % t)

    def _make_env(self):
        env = dict(os.environ)
        for k in ("NO_AT_BRIDGE", "GTK_A11Y", "G_MESSAGES_DEBUG", "GIO_USE_VFS",
                  "DESKTOP_STARTUP_ID", "XDG_ACTIVATION_TOKEN", "WAYLAND_DISPLAY",
                  "XDG_DATA_DIRS", "XDG_CONFIG_DIRS", "XDG_CURRENT_DESKTOP",
                  "GTK_THEME", "LANGUAGE"):
            env.pop(k, None)
        env.update({
            "HOME": self.home,
            "XDG_CONFIG_HOME": self.config,
            "XDG_DATA_HOME": self.data,
            "XDG_CACHE_HOME": self.cache,
            "XDG_RUNTIME_DIR": self.runtime,
            "GSETTINGS_SCHEMA_DIR": os.path.join(self.build_dir, "data"),
            "GSETTINGS_BACKEND": "keyfile",
            "GDK_BACKEND": "x11",
            "GDK_DEBUG": "gl-disable",
            "LC_ALL": "C.UTF-8",
            "LANG": "C.UTF-8",
            "NO_PROXY": "127.0.0.1,localhost",
            # Haul waits while the network is gone; a machine without a
            # default route would say so, and the servers are local.
            "GIO_USE_NETWORK_MONITOR": "base",
        })
        for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
                  "ALL_PROXY"):
            env.pop(k, None)
        return env

    def start(self):
        log("scenario %s, temp %s, app %s" % (self.scenario, self.tmp, self.app_exe))
        if not os.access(self.app_exe, os.X_OK):
            raise AssertionError("the app is not built: %s" % self.app_exe)
        if not os.path.exists(os.path.join(self.build_dir, "data", "gschemas.compiled")) \
                and "HAUL_E2E_APP" not in os.environ:
            raise AssertionError("no compiled schema in %s/data" % self.build_dir)
        self._bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        self._start_notification_daemon()
        self._start_file_manager()
        self.http.start()
        log("http server on 127.0.0.1:%d" % self.http.port)
        self.a11y = e2e_atspi.Bus(self._bus)

    def _spawn(self, name, cmd, **kw):
        logf = open(os.path.join(self.tmp, name + ".log"), "w")
        p = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, env=kw.pop("env", self.env), **kw)
        self.procs.append((name, p))
        return p

    def _wait_name(self, name):
        run(["gdbus", "wait", "--session", "--timeout", "5", name], timeout=10)

    def _start_notification_daemon(self):
        params = json.dumps({"capabilities": "actions body body-markup persistence"})
        self._spawn("notification-daemon",
                    [PYTHON, "-m", "dbusmock", "--session", "-t", "notification_daemon",
                     "-p", params])
        self._wait_name(NOTIFY_NAME)

    def _start_file_manager(self):
        self._spawn("file-manager",
                    [PYTHON, "-m", "dbusmock", "--session", FM_NAME, FM_PATH, FM_NAME])
        self._wait_name(FM_NAME)
        self.call(FM_NAME, FM_PATH, MOCK_IFACE, "AddMethod",
                  GLib.Variant("(sssss)", (FM_NAME, "ShowItems", "ass", "", "")))

    # -- D-Bus ------------------------------------------------------------

    def call(self, name, path, iface, method, params=None, timeout_ms=5000):
        return self._bus.call_sync(name, path, iface, method, params, None,
                                   Gio.DBusCallFlags.NONE, timeout_ms, None)

    def mock_calls(self, name, path, method):
        """[(args...), ...] of calls a dbusmock object recorded."""
        res = self.call(name, path, MOCK_IFACE, "GetMethodCalls",
                        GLib.Variant("(s)", (method,)))
        return [tuple(args) for _ts, args in res.unpack()[0]]

    def notifications(self):
        """Every Notify call, with the id the mock daemon answered."""
        out = []
        next_id = 1
        for args in self.mock_calls(NOTIFY_NAME, NOTIFY_PATH, "Notify"):
            app_name, replaces, icon, summary, body, actions, hints, timeout = args
            if replaces:
                nid = replaces
            else:
                nid = next_id
                next_id += 1
            pairs = list(zip(actions[0::2], actions[1::2]))
            out.append({"id": nid, "summary": summary, "body": body,
                        "actions": pairs, "app_name": app_name, "hints": hints})
        return out

    def wait_notification(self, pred, timeout, what):
        return wait_until(lambda: next((n for n in self.notifications() if pred(n)), None),
                          timeout, what, interval=0.2)

    def invoke_notification_action(self, notification, action_key):
        """Ask the daemon mock to emit ActionInvoked, as a click would."""
        log("notification %d: invoking %r" % (notification["id"], action_key))
        self.call(NOTIFY_NAME, NOTIFY_PATH, MOCK_IFACE, "EmitSignal",
                  GLib.Variant("(sssav)", (NOTIFY_NAME, "ActionInvoked", "us",
                                           [GLib.Variant("u", notification["id"]),
                                            GLib.Variant("s", action_key)])))

    def show_items_calls(self):
        return self.mock_calls(FM_NAME, FM_PATH, "ShowItems")

    def opened(self):
        try:
            with open(self.opened_log) as f:
                return [line.rstrip("\n") for line in f if line.strip()]
        except OSError:
            return []

    # -- the app --------------------------------------------------------

    def haul_cmd(self, *args):
        return [self.app_exe] + list(args)

    def launch(self, *args, wait_window=True):
        """Start Haul as the primary instance; wait for its window."""
        n = len(self.app_logs)
        name = "haul-%d" % n
        p = self._spawn(name, self.haul_cmd(*args))
        self.app_logs.append(os.path.join(self.tmp, name + ".log"))
        self.app = p
        self.app_may_exit = False
        log("launched haul (pid %d) %s" % (p.pid, " ".join(args)))
        if wait_window:
            self.find_window(p.pid)
        return p

    def run_haul(self, *args, timeout=15):
        """Run `haul ARGS` as a second process; returns (CompletedProcess, seconds)."""
        t = time.monotonic()
        try:
            p = subprocess.run(self.haul_cmd(*args), env=self.env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                               timeout=timeout)
        except subprocess.TimeoutExpired as e:
            raise AssertionError("`haul %s` did not exit within %d s (stderr: %r)"
                                 % (" ".join(args), timeout, e.stderr)) from None
        dt = time.monotonic() - t
        log("`haul %s` exited %d after %.2f s" % (" ".join(args), p.returncode, dt))
        return p, dt

    def check_alive(self):
        if self.app is not None and not self.app_may_exit and self.app.poll() is not None:
            raise AppDied("Haul exited unexpectedly (status %s); its log follows"
                          % self.app.returncode)

    def app_alive(self):
        return self.app is not None and self.app.poll() is None

    def visible_windows_of_tree(self, pid):
        """Visible windows of @pid or any process below it."""
        found = []
        out = run(["ps", "-o", "pid=", "--ppid", str(pid)], check=False).stdout.split()
        for p in [pid] + [int(x) for x in out]:
            found += self.visible_windows(p)
            sub = run(["ps", "-o", "pid=", "--ppid", str(p)], check=False).stdout.split()
            for q in sub:
                found += self.visible_windows(int(q))
        return found

    def visible_windows(self, pid):
        p = run(["xdotool", "search", "--onlyvisible", "--pid", str(pid)], check=False)
        return [int(w) for w in p.stdout.split()]

    def find_window(self, pid, timeout=20):
        def look():
            ws = self.visible_windows(pid)
            return ws[0] if ws else None
        self.wid = wait_until(look, timeout, "a visible window of pid %d" % pid, 0.1)
        self.place_window(self.wid)
        log("window 0x%x of pid %d at %s" % (self.wid, pid, self.geometry(self.wid)))
        time.sleep(0.3)  # first frame after the move
        return self.wid

    def focus_window(self):
        """Give Haul's window the keyboard focus, as a click on it would."""
        run(["xdotool", "windowfocus", "--sync", str(self.wid)], timeout=10)
        time.sleep(0.3)

    def place_window(self, wid):
        """Right-hand side of the 1280×800 screen, leaving the left for drag sources."""
        _x, _y, w, _h = self.geometry(wid)
        x = max(300, min(600, SCREEN_W - w))
        run(["xdotool", "windowmove", "--sync", str(wid), str(x), "0"], timeout=10)

    def geometry(self, wid):
        p = run(["xdotool", "getwindowgeometry", "--shell", str(wid)])
        g = dict(line.split("=", 1) for line in p.stdout.split() if "=" in line)
        return int(g["X"]), int(g["Y"]), int(g["WIDTH"]), int(g["HEIGHT"])

    def kill_app(self, sig=signal.SIGTERM):
        if not self.app_alive():
            return
        self.app_may_exit = True
        self.app.send_signal(sig)
        try:
            self.app.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.app.kill()
            self.app.wait(timeout=5)

    def app_warnings(self):
        """GLib warnings and criticals Haul printed (they do not fail a scenario)."""
        out = []
        for path in self.app_logs:
            try:
                with open(path, errors="replace") as f:
                    out.extend(line.rstrip() for line in f
                               if "-WARNING **" in line or "-CRITICAL **" in line)
            except OSError:
                continue
        return out

    def app_log_tail(self, n=40):
        out = []
        for path in self.app_logs:
            try:
                with open(path, errors="replace") as f:
                    lines = f.read().splitlines()
            except OSError:
                continue
            out.append("--- %s (last %d lines)" % (os.path.basename(path), n))
            out.extend(lines[-n:])
        return "\n".join(out)

    # -- AT-SPI ---------------------------------------------------------

    def atspi_app(self, pid=None, timeout=5):
        pid = pid or self.app.pid

        def look():
            for app, app_pid in self.a11y.applications():
                if app_pid == pid and a_safe(lambda: app.name) == "haul":
                    return app
            return None
        return wait_until(look, timeout, "AT-SPI application \"haul\" (pid %d)" % pid)

    def toplevels(self, pid=None):
        return self.atspi_app(pid).children()

    def window_named(self, title, timeout=5, pid=None):
        def look():
            for w in self.toplevels(pid):
                if a_safe(lambda: w.name) == title:
                    return w
            return None
        try:
            return wait_until(look, timeout, "a window titled %r" % title)
        except AssertionError as e:
            names = [a_safe(lambda: w.name) for w in a_safe(lambda: self.toplevels(pid), [])]
            raise AssertionError("%s; windows: %r" % (e, names)) from None

    def main_window(self, pid=None, timeout=5):
        return self.window_named("Haul", timeout, pid)

    def button(self, root, name, timeout=10):
        """The visible button whose accessible name is exactly NAME."""
        try:
            return wait_until(lambda: root.find(lambda a: a.name == name and a_is_button(a)),
                              timeout, "a button with the accessible name %r" % name)
        except AssertionError as e:
            names = [a_safe(lambda: b.name) for b in a_safe(lambda: root.find_all(a_is_button), [])]
            raise AssertionError("%s; buttons there: %r" % (e, names)) from None

    def press(self, acc, timeout=5):
        """Activate a button through its AT-SPI action, as a screen reader does.

        Waits (bounded) for the button to become sensitive first."""
        wait_until(lambda: acc.has_state(e2e_atspi.STATE_SENSITIVE), timeout,
                   "%r to become sensitive" % acc)
        if not acc.do_action(0):
            raise AssertionError("DoAction(0) on %r returned false" % acc)

    def rows(self, pid=None):
        """Every download row in the main window, in order: the named
        child of each item of the "Downloads" list."""
        win = self.main_window(pid)
        out = []
        for item in win.find_all(lambda a: a.role == "list item"):
            for acc in item.children():
                if acc.name:
                    out.append(Row(acc))
                    break
        return out

    def _rows_quiet(self, pid=None):
        try:
            return self.rows(pid)
        except (GLib.Error, AssertionError):
            return []

    def rows_described(self, pid=None):
        return [r.describe() for r in self._rows_quiet(pid)]

    def row(self, name, timeout=20, pid=None):
        def look():
            return next((r for r in self.rows(pid) if r.name == name), None)
        try:
            return wait_until(look, timeout, "a row named %r" % name, 0.2)
        except AssertionError as e:
            raise AssertionError("%s; rows now: %s" % (e, self.rows_described(pid))) from None

    def wait_completed(self, name, timeout=30, pid=None):
        """The row says "Completed" and shows no progress bar any more."""
        def done():
            r = next((r for r in self.rows(pid) if r.name == name), None)
            if r is None:
                return None
            return r if (r.status().startswith("Completed") and r.bar() is None) else None
        try:
            return wait_until(done, timeout, "row %r to complete" % name, 0.2)
        except AssertionError as e:
            raise AssertionError("%s; rows now: %s" % (e, self.rows_described(pid))) from None

    # -- X --------------------------------------------------------------

    def screenshot(self, label, wid=None, root=False):
        path = os.path.join(self.shots_dir, "%s-%s.png" % (self.scenario, label))
        time.sleep(0.3)  # let the last state reach the screen
        target = "root" if root else str(wid or self.wid)
        p = run(["import", "-window", target, path], timeout=15, check=False)
        if p.returncode != 0:
            log("screenshot %s failed: %s" % (path, p.stderr.strip()))
        else:
            log("screenshot: %s" % path)
        return path

    def drag(self, kind, *payload, at=(0.5, 0.5), hover_shot=None):
        """Drag a link from a small source window onto Haul's window (XDND).

        AT is the drop point as fractions of the window's visible width and
        height; HOVER_SHOT names a screenshot taken while hovering."""
        name = "drag-source-%s" % kind
        src = self._spawn(name,
                          [PYTHON, os.path.join(HERE, "drag-source.py"), kind] + list(payload),
                          env=dict(self.env, HOME=self.tmp))
        try:
            def source_window():
                if src.poll() is not None:
                    raise AssertionError("drag source exited %s" % src.returncode)
                ws = self.visible_windows(src.pid)
                return ws[0] if ws else None
            swid = wait_until(source_window, 15, "the drag source window")
            run(["xdotool", "windowmove", "--sync", str(swid), "20", "80"])
            time.sleep(0.4)
            sx, sy, sw, sh = self.geometry(swid)
            hx, hy, hw, hh = self.geometry(self.wid)
            x0, y0 = sx + sw // 2, sy + sh // 2
            x1 = hx + int(min(hw, SCREEN_W - hx) * at[0])
            y1 = hy + int(min(hh, SCREEN_H - hy) * at[1])
            log("dragging %s from (%d,%d) to (%d,%d)" % (kind, x0, y0, x1, y1))
            run(["xdotool",
                 "mousemove", str(x0), str(y0), "sleep", "0.2",
                 "mousedown", "1", "sleep", "0.1",
                 "mousemove", str(x0 + 15), str(y0 + 5), "sleep", "0.1",
                 "mousemove", str(x0 + 40), str(y0 + 10), "sleep", "0.1",
                 "mousemove", str((x0 + x1) // 2), str((y0 + y1) // 2), "sleep", "0.1",
                 "mousemove", str(x1 - 10), str(y1 - 5), "sleep", "0.2",
                 "mousemove", str(x1), str(y1), "sleep", "0.3"], timeout=15)
            if hover_shot:
                self.screenshot(hover_shot, root=True)
            run(["xdotool", "mouseup", "1"], timeout=15)
            time.sleep(0.5)
        finally:
            src.terminate()
            try:
                src.wait(timeout=5)
            except subprocess.TimeoutExpired:
                src.kill()
                src.wait(timeout=5)
            try:
                with open(os.path.join(self.tmp, name + ".log"), errors="replace") as f:
                    events = [w for w in f.read().split() if w.startswith("drag-")]
                log("drag source saw: %s" % " ".join(events))
            except OSError:
                pass

    def start_window_manager(self):
        """openbox, as the real browsers expect one (focus, stacking)."""
        self._spawn("openbox", ["openbox", "--sm-disable"])
        time.sleep(1.0)

    def start_chromium(self, url, geometry=(0, 0, 560, 520)):
        """Real Chromium showing URL as an app window (no tabs, no toolbar, so
        page coordinates are window coordinates). Returns its X window."""
        x, y, w, h = geometry
        profile = os.path.join(self.tmp, "chromium-profile")
        cmd = ["chromium", "--no-sandbox", "--user-data-dir=" + profile, "--no-first-run",
               "--no-default-browser-check", "--password-store=basic", "--test-type",
               "--disable-gpu", "--disable-features=Translate,MediaRouter",
               "--force-device-scale-factor=1", "--window-position=%d,%d" % (x, y),
               "--window-size=%d,%d" % (w, h), "--app=" + url]
        self._spawn("chromium", cmd, env=dict(self.env, HOME=self.tmp))

        def window():
            p = run(["xdotool", "search", "--onlyvisible", "--class", "chromium"], check=False)
            ws = [int(v) for v in p.stdout.split()]
            sized = [(self.geometry(v)[2] * self.geometry(v)[3], v) for v in ws]
            big = [v for area, v in sorted(sized) if area > 200 * 200]
            return big[-1] if big else None
        wid = wait_until(window, 30, "Chromium's window")
        time.sleep(3.0)  # the page laid out and painted
        log("chromium window 0x%x at %s" % (wid, self.absolute_geometry(wid)))
        return wid

    def absolute_geometry(self, wid):
        """(x, y, w, h) on the screen. Under a reparenting window manager
        xdotool adds the frame's offset twice; xwininfo does not."""
        p = run(["xwininfo", "-id", str(wid)])
        v = {}
        for line in p.stdout.splitlines():
            key, _sep, value = line.strip().partition(":")
            v[key] = value.strip()
        return (int(v["Absolute upper-left X"]), int(v["Absolute upper-left Y"]),
                int(v["Width"]), int(v["Height"]))

    def drag_between(self, x0, y0, x1, y1, steps=15, hover_shot=None):
        """Press at (x0, y0), move to (x1, y1) in small steps, release."""
        cmd = ["xdotool", "mousemove", str(x0), str(y0), "sleep", "0.3", "mousedown", "1",
               "sleep", "0.2"]
        for i in range(1, steps + 1):
            cmd += ["mousemove", str(x0 + (x1 - x0) * i // steps),
                    str(y0 + (y1 - y0) * i // steps), "sleep", "0.08"]
        cmd += ["sleep", "0.4"]
        log("dragging from (%d,%d) to (%d,%d)" % (x0, y0, x1, y1))
        run(cmd, timeout=20)
        if hover_shot:
            self.screenshot(hover_shot, root=True)
        run(["xdotool", "mouseup", "1"], timeout=10)
        time.sleep(0.5)

    def spawn_helper(self, *args):
        """drag-source.py ARGS as another application; returns its Popen."""
        name = "helper-%d" % len(self.procs)
        p = self._spawn(name, [PYTHON, os.path.join(HERE, "drag-source.py")] + list(args),
                        env=dict(self.env, HOME=self.tmp))
        p.log_name = name
        return p

    def helper_output(self, p):
        try:
            with open(os.path.join(self.tmp, p.log_name + ".log"), errors="replace") as f:
                return f.read().splitlines()
        except OSError:
            return []

    def helper_window(self, p):
        def look():
            if p.poll() is not None:
                raise AssertionError("the helper exited %s" % p.returncode)
            ws = self.visible_windows(p.pid)
            return ws[0] if ws else None
        return wait_until(look, 15, "the helper's window")

    def own_clipboard(self, text):
        """Another application copies TEXT, and keeps owning the clipboard."""
        p = self.spawn_helper("clipboard", text)
        wait_until(lambda: "clipboard-set" in self.helper_output(p), 15,
                   "the other application to own the clipboard")
        return p

    def type_keys(self, keys):
        run(["xdotool", "key", "--clearmodifiers"] + list(keys), timeout=10)

    def type_text(self, text):
        run(["xdotool", "type", "--delay", "20", text], timeout=30)

    def paste(self, text):
        """Copy TEXT in another application, then press Ctrl+V in Haul's window.

        The clipboard owner stays alive until the scenario ends."""
        name = "clipboard-owner-%d" % len(self.procs)
        self._spawn(name, [PYTHON, os.path.join(HERE, "drag-source.py"), "clipboard", text],
                    env=dict(self.env, HOME=self.tmp))
        logpath = os.path.join(self.tmp, name + ".log")

        def owned():
            with open(logpath, errors="replace") as f:
                return "clipboard-set" in f.read()
        wait_until(owned, 15, "the other application to own the clipboard")
        run(["xdotool", "windowfocus", "--sync", str(self.wid)], timeout=10)
        time.sleep(0.2)
        log("pressing Ctrl+V in Haul's window")
        run(["xdotool", "key", "--clearmodifiers", "ctrl+v"], timeout=10)

    def key(self, keys):
        """Press KEYS (xdotool syntax, "ctrl+q") in Haul's window."""
        run(["xdotool", "windowfocus", "--sync", str(self.wid)], timeout=10)
        time.sleep(0.2)
        log("pressing %s in Haul's window" % keys)
        run(["xdotool", "key", "--clearmodifiers", keys], timeout=10)

    # -- files ----------------------------------------------------------

    def downloaded(self, name):
        with open(os.path.join(self.downloads, name), "rb") as f:
            return f.read()

    def assert_file(self, name, expected):
        path = os.path.join(self.downloads, name)
        if not os.path.exists(path):
            raise AssertionError("%s is not on disk; the folder holds %r"
                                 % (path, sorted(os.listdir(self.downloads))))
        got = self.downloaded(name)
        if got != expected:
            raise AssertionError("%s differs from the server's bytes: %d bytes sha256 %s, "
                                 "expected %d bytes sha256 %s"
                                 % (path, len(got), sha256(got)[:16],
                                    len(expected), sha256(expected)[:16]))
        log("%s: %d bytes, identical to the server's" % (name, len(got)))

    def folder_listing(self):
        return sorted(os.listdir(self.downloads))

    def path_of(self, name):
        return os.path.join(self.downloads, name)

    # -- tear-down ------------------------------------------------------

    def close(self, failed):
        try:
            self.kill_app()
        finally:
            for name, p in reversed(self.procs):
                if p.poll() is None:
                    p.terminate()
                    try:
                        p.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        p.kill()
                        p.wait(timeout=5)
            self.http.stop()
            warnings = self.app_warnings()
            if warnings:
                log("Haul logged %d warning(s)/critical(s), e.g.:" % len(warnings))
                for w in warnings[:6]:
                    print("    " + w, flush=True)
            if failed:
                print(self.app_log_tail(), flush=True)
                try:
                    print("notifications: %s" % json.dumps(
                        [{k: n[k] for k in ("id", "summary", "body", "actions")}
                         for n in self.notifications()], ensure_ascii=False), flush=True)
                except Exception:  # noqa: BLE001
                    pass
                print("downloads folder: %r" % (self.folder_listing(),), flush=True)
                print("temp folder kept: %s" % self.tmp, flush=True)
            else:
                shutil.rmtree(self.tmp, ignore_errors=True)


def main(scenarios):
    """Entry point of haul-e2e.py: SCENARIO BUILD_DIR."""
    if len(sys.argv) != 3 or sys.argv[1] not in scenarios:
        sys.stderr.write("usage: %s {%s} BUILD_DIR\n" % (sys.argv[0], "|".join(scenarios)))
        return 2
    name, build_dir = sys.argv[1], sys.argv[2]
    if os.environ.get("HAUL_E2E_WRAPPED") != "1":
        # Fresh X server, D-Bus session and accessibility bus for each scenario.
        os.execv("/bin/sh", ["/bin/sh", os.path.join(HERE, "run-e2e"),
                             os.path.abspath(sys.argv[0]), name, build_dir])
    session = Session(name, build_dir)
    global _liveness_check
    _liveness_check = session.check_alive
    failed = True
    t = time.monotonic()
    try:
        session.start()
        scenarios[name](session)
        failed = False
        log("PASS %s (%.1f s)" % (name, time.monotonic() - t))
        return 0
    except AssertionError as e:
        log("FAIL %s: %s" % (name, e))
        return 1
    except Exception:  # noqa: BLE001
        import traceback
        traceback.print_exc()
        log("ERROR %s" % name)
        return 1
    finally:
        session.close(failed)
