#!/usr/bin/python3
# haul-e2e-browser.py: the browser extension end to end, in a real Chromium
#
# Copyright 2026 The Haul developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   haul-e2e-browser.py SCENARIO BUILD_DIR
#
# The world of haul-e2e.py (e2e_harness.py: Xvfb, D-Bus session, AT-SPI,
# notification daemon, temp HOME), plus: openbox as the window manager;
# Debian's Chromium with the unpacked extension from src/browser/extension
# (--load-extension) and the build's haul-browser-host named in the
# profile's NativeMessagingHosts/; a local site that sets a cookie and
# serves a file only with it (e2e_site.py); and Haul not running at all,
# but known to the session bus as a D-Bus service, so the host's request
# starts it the way a desktop would.
#
# A person right-clicks a link — here the keyboard opens the menu of the
# focused link (Shift+F10) and picks "Download with Haul" — and the file
# arrives, byte-exact, in Haul's folder with a notification.

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from e2e_harness import APP_ID, log, main, run, wait_until  # noqa: E402
from e2e_site import CookieSite  # noqa: E402
from gi.repository import GLib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
EXTENSION_DIR = os.path.join(TOP, "src", "browser", "extension")
HOST_NAME = "io.github.haul.haul"
CHROMIUM = "/usr/bin/chromium"
MENU_ITEM = "Download with Haul"


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def prepare_activation(build_dir):
    """Before the session bus starts: a service folder it will read.

    The bus reads $XDG_DATA_DIRS/dbus-1/services when it starts, so the
    folder goes into XDG_DATA_DIRS of the process that execs run-e2e. The
    service runs BUILD/src/haul as `haul --gapplication-service`, as the
    installed io.github.haul.Haul.service does, logging to a file here."""
    data = tempfile.mkdtemp(prefix="haul-e2e-dbus-")
    services = os.path.join(data, "dbus-1", "services")
    os.makedirs(services)
    app = os.environ.get("HAUL_E2E_APP") or os.path.join(os.path.abspath(build_dir), "src", "haul")
    logpath = os.path.join(data, "haul-activated.log")
    with open(os.path.join(services, APP_ID + ".service"), "w") as f:
        f.write("[D-BUS Service]\nName=%s\nExec=/bin/sh -c 'exec \"%s\" --gapplication-service "
                ">>\"%s\" 2>&1'\n" % (APP_ID, app, logpath))
    os.environ["XDG_DATA_DIRS"] = data + ":" + os.environ.get("XDG_DATA_DIRS",
                                                             "/usr/local/share:/usr/share")
    os.environ["HAUL_E2E_DBUS_DATA"] = data


class Browser:
    """Openbox and Chromium in the session, with Haul's extension and host."""

    def __init__(self, s):
        self.s = s
        self.profile = os.path.join(s.tmp, "chromium-profile")
        self.proc = None
        self.wid = None
        self.haul_pid = None

    def install_host(self):
        """The host's manifest (from the build tree) where Chromium looks."""
        src = os.path.join(self.s.build_dir, "src", "browser",
                           HOST_NAME + "-uninstalled.chromium.json")
        check(os.path.exists(src), "the build has no %s" % src)
        for d in (os.path.join(self.profile, "NativeMessagingHosts"),
                  os.path.join(self.s.config, "chromium", "NativeMessagingHosts")):
            os.makedirs(d, exist_ok=True)
            shutil.copy(src, os.path.join(d, HOST_NAME + ".json"))

    def hand_environment_to_bus(self):
        """What a login does (dbus-update-activation-environment): services
        the bus starts get this session's HOME, XDG folders and settings."""
        env = {k: v for k, v in self.s.env.items()
               if not k.startswith("DBUS_") and k not in ("PWD", "OLDPWD", "SHLVL", "_")}
        env["NO_AT_BRIDGE"] = "0"
        self.s.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                    "UpdateActivationEnvironment", GLib.Variant("(a{ss})", (env,)))

    def start_window_manager(self):
        self.s._spawn("openbox", ["openbox", "--sm-disable"])
        time.sleep(1.0)  # openbox takes the screen within a few hundred ms

    def start(self, url):
        os.makedirs(self.profile, exist_ok=True)
        self.install_host()
        cmd = [CHROMIUM,
               "--no-sandbox",  # root in a container: no user namespaces
               "--user-data-dir=" + self.profile,
               "--no-first-run", "--no-default-browser-check",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-default-apps", "--no-proxy-server",
               "--password-store=basic", "--disable-gpu",
               "--disable-features=Translate,MediaRouter,DisableLoadExtensionCommandLineSwitch",
               "--force-renderer-accessibility",
               "--load-extension=" + EXTENSION_DIR,
               "--window-position=0,0", "--window-size=550,760",
               url]
        self.proc = self.s._spawn("chromium", cmd)
        log("chromium (pid %d) on %s" % (self.proc.pid, url))
        self.wid = wait_until(self._window, 60, "Chromium's window with the page")
        log("chromium window 0x%x" % self.wid)

    def _window(self):
        if self.proc.poll() is not None:
            raise AssertionError("chromium exited %s" % self.proc.returncode)
        p = run(["xdotool", "search", "--onlyvisible", "--name", "Haul e2e shop"], check=False)
        ids = [int(w) for w in p.stdout.split()]
        return ids[0] if ids else None

    def focus(self):
        run(["xdotool", "windowactivate", "--sync", str(self.wid)], timeout=10, check=False)
        run(["xdotool", "windowfocus", "--sync", str(self.wid)], timeout=10)
        time.sleep(0.3)

    def key(self, *keys):
        run(["xdotool", "key", "--clearmodifiers"] + list(keys), timeout=10)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        if self.haul_pid is not None:
            try:
                os.kill(self.haul_pid, signal.SIGTERM)
            except ProcessLookupError:
                pass


def haul_pid(s):
    """The PID of whoever owns Haul's name, once somebody does."""
    def owner():
        try:
            res = s.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                         "GetConnectionUnixProcessID", GLib.Variant("(s)", (APP_ID,)))
            return res.unpack()[0]
        except GLib.Error:
            return None
    return wait_until(owner, 30, "Haul to be started on the session bus (%s)" % APP_ID, 0.2)


def pick_menu_entry(s, browser, shot):
    """Open the focused link's context menu and choose "Download with Haul"."""
    browser.focus()
    browser.key("shift+F10")
    time.sleep(0.8)
    s.screenshot(shot, root=True)
    # Typing the first letter of an entry picks it when no other starts
    # with it, as "Download with Haul" is the only "D…" in a link's menu.
    browser.key("d")


def check_forwarded(site, path, what):
    """Haul's requests for PATH carried the page as referrer, the browser's
    user agent and (for the protected file) the session cookie."""
    got = [r for r in site.requests_for(path) if r["method"] == "GET"]
    log("requests for %s: %r" % (path, [
        {k: (v if k != "cookie" else "(%d chars)" % len(v or "")) for k, v in r.items()}
        for r in got]))
    check(got, "Haul never asked for %s" % path)
    if what == "cookie":
        check(all(site.has_session(r["cookie"]) for r in got),
              "Haul's requests for %s did not all carry the session cookie" % path)
    else:
        check(all(not r["cookie"] for r in got),
              "Haul sent a cookie with %s, which needs none" % path)
    check(all(r["referer"] == site.url("/") for r in got),
          "Haul's requests did not name the page as referrer: %r" % [r["referer"] for r in got])
    check(all("Chrome/" in (r["user-agent"] or "") for r in got),
          "Haul's requests did not send the browser's user agent: %r"
          % [r["user-agent"] for r in got])


def chromium(s):
    """Right-click a link in Chromium → Download with Haul. Haul is not
    running: the session bus starts it, the file arrives byte-exact and a
    notification says so. Then the link that needs the page's cookie: its
    file arrives too, because the cookie, referrer and user agent came
    along."""
    public = ("Price list\n" + "".join("item %04d: 9.99\n" % i for i in range(400))).encode()
    protected = os.urandom(256 * 1024)
    site = CookieSite(public, protected, focus="public")
    site.start()
    browser = Browser(s)
    dbus_data = os.environ.get("HAUL_E2E_DBUS_DATA")
    activated_log = os.path.join(s.tmp, "haul-activated.log")
    s.app_logs.append(activated_log)
    try:
        browser.hand_environment_to_bus()
        browser.start_window_manager()
        browser.start(site.url("/"))
        # The service worker creates the menu when it is installed.
        time.sleep(2.0)
        s.screenshot("page", wid=browser.wid)

        check(not s.notifications(), "a notification before anything was downloaded")
        pick_menu_entry(s, browser, "menu")
        browser.haul_pid = haul_pid(s)
        log("Haul was started by the session bus: pid %d" % browser.haul_pid)
        s.find_window(browser.haul_pid, timeout=30)
        s.wait_completed("public.txt", timeout=40, pid=browser.haul_pid)
        s.assert_file("public.txt", public)
        s.wait_notification(lambda n: n["summary"] == "Download complete"
                            and "public.txt" in n["body"], 15,
                            "the \"Download complete\" notification for public.txt")
        s.screenshot("public-completed", root=True)

        # Tab from the first link to the one that needs the session cookie.
        browser.focus()
        browser.key("Tab")
        time.sleep(0.3)
        pick_menu_entry(s, browser, "menu-protected")
        s.wait_completed("invoice.bin", timeout=40, pid=browser.haul_pid)
        s.assert_file("invoice.bin", protected)
        s.wait_notification(lambda n: n["summary"] == "Download complete"
                            and "invoice.bin" in n["body"], 15,
                            "the \"Download complete\" notification for invoice.bin")
        s.screenshot("protected-completed", root=True)

        check_forwarded(site, "/files/protected.bin", "cookie")
        check_forwarded(site, "/files/public.txt", "no cookie")
    finally:
        browser.stop()
        site.stop()
        if dbus_data:
            try:
                shutil.copy(os.path.join(dbus_data, "haul-activated.log"), activated_log)
            except OSError:
                pass
            shutil.rmtree(dbus_data, ignore_errors=True)


SCENARIOS = {
    "browser-chromium": chromium,
}

if __name__ == "__main__":
    if (os.environ.get("HAUL_E2E_WRAPPED") != "1" and len(sys.argv) == 3
            and sys.argv[1] in SCENARIOS):
        prepare_activation(sys.argv[2])
    sys.exit(main(SCENARIOS))
