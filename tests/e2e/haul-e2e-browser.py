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

import json
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
CHROMIUM_ID = "mkdbbalphnpofdmmcadlejfbagjfhdci"


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
        # Chromium: typing an entry's first letter picks it when no other
        # entry starts with it (the only "D…" in a link's menu).
        self.menu_key = "d"
        self.settle_s = 2.0
        self.user_agent_mark = "Chrome/"
        self.options_url = "chrome-extension://%s/options.html" % CHROMIUM_ID

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
               "--disable-sync", "--disable-default-apps",
               # Nothing leaves 127.0.0.1: other hosts resolve to nothing and
               # go to a proxy that is not there (loopback is never proxied).
               "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
               "--proxy-server=http://127.0.0.1:9",
               "--password-store=basic", "--disable-gpu",
               "--disable-features=Translate,MediaRouter,DisableLoadExtensionCommandLineSwitch",
               "--force-renderer-accessibility",
               "--load-extension=" + EXTENSION_DIR,
               "--window-position=0,0", "--window-size=550,760",
               url]
        self.proc = self.s._spawn("chromium", cmd, env=self.browser_env())
        log("chromium (pid %d) on %s" % (self.proc.pid, url))
        self.wid = wait_until(self._window, 60, "Chromium's window with the page")
        log("chromium window 0x%x" % self.wid)

    def browser_env(self):
        """The session's environment without G_DEBUG: fatal-criticals is for
        Haul, and Firefox's GTK code has criticals of its own."""
        env = dict(self.s.env)
        env.pop("G_DEBUG", None)
        return env

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

    def open_url(self, url):
        """Type an address into the location bar, as a person would."""
        self.focus()
        self.key("ctrl+l")
        time.sleep(0.3)
        run(["xdotool", "type", "--delay", "10", url], timeout=30)
        self.key("Return")

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


FIREFOX = "/usr/bin/firefox-esr"
GECKO_ID = "browser@haul.github.io"
FIREFOX_PREFS = {
    # ESR honours this (release builds do not): the extension is unsigned.
    "xpinstall.signatures.required": False,
    # Add-ons found in the profile are enabled without asking.
    "extensions.autoDisableScopes": 0,
    "extensions.enabledScopes": 15,
    "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "extensions.blocklist.enabled": False,
    "browser.shell.checkDefaultBrowser": False,
    "browser.aboutwelcome.enabled": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.startup.page": 0,
    "browser.newtabpage.enabled": False,
    "browser.tabs.warnOnClose": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "network.dns.disablePrefetch": True,
    "network.prefetch-next": False,
    "browser.search.update": False,
    "media.gmp-manager.updateEnabled": False,
    "services.settings.server": "data:,",
    # Nothing leaves 127.0.0.1: every other host goes to a proxy that is
    # not there (loopback is never proxied).
    "network.proxy.type": 1,
    "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": 9,
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.ssl_port": 9,
    "network.proxy.share_proxy_settings": True,
}


class Firefox(Browser):
    """Firefox ESR with the extension loaded unpacked from the source tree
    through a proxy file in the profile, and the host in ~/.mozilla."""

    def __init__(self, s):
        super().__init__(s)
        # Firefox: the entry's access key, "Download with &Haul".
        self.menu_key = "h"
        self.settle_s = 4.0
        self.user_agent_mark = "Firefox/"

    def install_host(self):
        src = os.path.join(self.s.build_dir, "src", "browser",
                           HOST_NAME + "-uninstalled.firefox.json")
        check(os.path.exists(src), "the build has no %s" % src)
        d = os.path.join(self.s.home, ".mozilla", "native-messaging-hosts")
        os.makedirs(d, exist_ok=True)
        shutil.copy(src, os.path.join(d, HOST_NAME + ".json"))

    def start(self, url):
        os.makedirs(os.path.join(self.profile, "extensions"), exist_ok=True)
        with open(os.path.join(self.profile, "user.js"), "w") as f:
            for k, v in FIREFOX_PREFS.items():
                f.write("user_pref(%s, %s);\n" % (json.dumps(k), json.dumps(v)))
        # A proxy file: the add-on's id, holding the path of its folder.
        with open(os.path.join(self.profile, "extensions", GECKO_ID), "w") as f:
            f.write(EXTENSION_DIR + "\n")
        self.install_host()
        env = dict(self.browser_env(), MOZ_CRASHREPORTER_DISABLE="1", GNOME_ACCESSIBILITY="1")
        cmd = [FIREFOX, "--no-remote", "--new-instance", "--profile", self.profile,
               "--window-size", "550,760", url]
        self.proc = self.s._spawn("firefox", cmd, env=env)
        log("firefox (pid %d) on %s" % (self.proc.pid, url))
        self.wid = wait_until(self._window, 90, "Firefox's window with the page")
        log("firefox window 0x%x" % self.wid)


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
    browser.key(browser.menu_key)


def check_forwarded(site, path, ua, cookie=True):
    """Haul's requests for PATH named the page as referrer and sent the
    browser's user agent, and the session cookie if COOKIE, else none."""
    got = [r for r in site.requests_for(path) if r["method"] == "GET"]
    log("requests for %s: %r" % (path, [
        {k: (v if k != "cookie" else "(%d chars)" % len(v or "")) for k, v in r.items()}
        for r in got]))
    check(got, "Haul never asked for %s" % path)
    if cookie:
        check(all(site.has_session(r["cookie"]) for r in got),
              "Haul's requests for %s did not all carry the session cookie" % path)
    else:
        check(all(not r["cookie"] for r in got),
              "Haul sent a cookie to %s, another site" % got[0]["host"])
    # Across sites a browser sends at most the page's origin, which this
    # page's address is; so may Haul, or nothing.
    referrers = (site.url("/"),) if cookie else (site.url("/"), None)
    check(all(r["referer"] in referrers for r in got),
          "Haul's requests did not name the page as referrer: %r" % [r["referer"] for r in got])
    agents = [r["user-agent"] or "" for r in got]
    check(all(ua in a for a in agents),
          "Haul's requests did not send the browser's user agent: %r" % agents)


def refuse_hostile_calls(s, pid):
    """Any program on the session bus can call the action: Haul checks
    every request again, says why it refused one, and keeps running."""
    path = "/" + APP_ID.replace(".", "/")
    before = [r.name for r in s.rows(pid)]
    bad = GLib.Variant("a{sv}", {"url": GLib.Variant("s", "file:///etc/passwd"),
                                 "cookies": GLib.Variant("s", "a=b\r\nX-Evil: 1")})
    s.call(APP_ID, path, "org.freedesktop.Application", "ActivateAction",
           GLib.Variant("(sava{sv})", ("add-request", [bad], {})))
    try:
        s.call(APP_ID, path, "org.freedesktop.Application", "ActivateAction",
               GLib.Variant("(sava{sv})", ("add-request", [GLib.Variant("s", "x")], {})))
        raise AssertionError("add-request took a string instead of a{sv}")
    except GLib.Error as e:
        check("InvalidArgs" in e.message, "a wrong parameter type gave %s" % e.message)
    win = s.main_window(pid)
    toast = wait_until(lambda: win.find(lambda a: a.role == "label"
                                        and "cannot be downloaded" in a.text()),
                       10, "a toast saying why the request was refused")
    log("refused, and said so: %r" % toast.text())
    s.screenshot("refused", wid=s.wid)
    check([r.name for r in s.rows(pid)] == before,
          "a refused request changed the list: %r" % [r.name for r in s.rows(pid)])
    check(haul_pid(s) == pid, "Haul did not survive a hostile request")


def check_cookie_not_kept(s, site):
    """The cookie lives in Haul's memory only: not in its database (nor the
    write-ahead log), not in anything it printed."""
    secret = site.cookie_value.encode()
    folder = os.path.join(s.data, "haul")
    kept = []
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        with open(os.path.join(folder, name), "rb") as f:
            if secret in f.read():
                kept.append(name)
    for path in s.app_logs + [os.path.join(os.environ.get("HAUL_E2E_DBUS_DATA", s.tmp),
                                           "haul-activated.log")]:
        try:
            with open(path, "rb") as f:
                if secret in f.read():
                    kept.append(path)
        except OSError:
            pass
    log("looked for the cookie in %s and Haul's log: %s"
        % (sorted(os.listdir(folder)) if os.path.isdir(folder) else "(no folder)",
           "found in %r" % kept if kept else "not there"))
    check(os.path.isdir(folder), "Haul keeps no database in %s" % folder)
    check(not kept, "the session cookie was written to %r" % kept)


def download_from(s, browser):
    """Right-click a link → Download with Haul. Haul is not
    running: the session bus starts it, the file arrives byte-exact and a
    notification says so. Then the link that needs the page's cookie: its
    file arrives too, because the cookie, referrer and user agent came
    along. Last a link that redirects to another site, which gets the
    file's referrer and user agent but never the cookie."""
    public = ("Price list\n" + "".join("item %04d: 9.99\n" % i for i in range(400))).encode()
    protected = os.urandom(256 * 1024)
    moved = b"%PDF-1.4\n" + os.urandom(32 * 1024)
    site = CookieSite(public, protected, moved, focus="public")
    site.start()
    dbus_data = os.environ.get("HAUL_E2E_DBUS_DATA")
    activated_log = os.path.join(s.tmp, "haul-activated.log")
    s.app_logs.append(activated_log)
    try:
        browser.hand_environment_to_bus()
        browser.start_window_manager()
        browser.start(site.url("/"))
        # The background script creates the menu when it is installed.
        time.sleep(browser.settle_s)
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

        refuse_hostile_calls(s, browser.haul_pid)

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

        check_forwarded(site, "/files/protected.bin", browser.user_agent_mark)
        check_forwarded(site, "/files/public.txt", browser.user_agent_mark)
        check_cookie_not_kept(s, site)

        # A link that redirects to another site: the file arrives, the
        # cookie stays behind.
        browser.focus()
        browser.key("Tab")
        time.sleep(0.3)
        pick_menu_entry(s, browser, "menu-moved")
        s.wait_completed("catalogue.pdf", timeout=40, pid=browser.haul_pid)
        s.assert_file("catalogue.pdf", moved)
        check_forwarded(site, "/files/moved.bin", browser.user_agent_mark)
        check_forwarded(site, "/files/catalogue.pdf", browser.user_agent_mark, cookie=False)
        s.screenshot("moved-completed", root=True)
    finally:
        browser.stop()
        site.stop()
        if dbus_data:
            try:
                shutil.copy(os.path.join(dbus_data, "haul-activated.log"), activated_log)
            except OSError:
                pass
            shutil.rmtree(dbus_data, ignore_errors=True)


def capture(s, browser):
    """The options page turns on "take over the browser's downloads" for
    .bin files; following a link the browser would download puts the file
    in Haul instead, and the browser keeps no copy. Shift+click keeps the
    next one in the browser."""
    site = CookieSite(b"-", b"-", b"-", focus="report")
    site.start()
    dbus_data = os.environ.get("HAUL_E2E_DBUS_DATA")
    try:
        browser.hand_environment_to_bus()
        browser.start_window_manager()
        browser.start(site.url("/"))
        time.sleep(browser.settle_s)

        # Options: Tab to the check box, Space; Tab past the size; the types.
        browser.open_url(browser.options_url)
        time.sleep(1.5)
        browser.key("Tab")
        browser.key("space")
        browser.key("Tab", "Tab")
        run(["xdotool", "type", "bin"], timeout=10)
        browser.key("Tab")
        time.sleep(0.5)
        s.screenshot("options", root=True)

        browser.open_url(site.url("/"))
        time.sleep(1.5)
        check(not os.listdir(s.downloads), "files before the download: %r" % s.folder_listing())
        browser.key("Return")  # follow the focused link, report.bin
        browser.haul_pid = haul_pid(s)
        s.find_window(browser.haul_pid, timeout=30)
        s.wait_completed("report.bin", timeout=40, pid=browser.haul_pid)
        s.assert_file("report.bin", site.report)
        time.sleep(2.0)  # what the browser might still write
        check(s.folder_listing() == ["report.bin"],
              "the browser left a copy beside Haul's: %r" % s.folder_listing())
        s.screenshot("captured", root=True)

        # Shift held while following the link: the browser keeps this one.
        browser.focus()
        browser.key("shift+Return")
        def browser_copy():
            # Chromium writes a hidden temporary file, then renames it.
            names = [n for n in os.listdir(s.downloads) if n != "report.bin"
                     and not n.startswith(".") and not n.endswith(".crdownload")]
            whole = [n for n in names
                     if open(os.path.join(s.downloads, n), "rb").read() == site.report]
            return names if whole else None
        kept = wait_until(browser_copy, 30, "the browser's own, whole copy of report.bin")
        log("the browser kept its download: %r" % kept)
        check(len(kept) == 1, "the browser saved %r" % kept)
        rows = [r.name for r in s.rows(browser.haul_pid)]
        check(rows == ["report.bin"], "Haul took the Shift+click download too: %r" % rows)
    finally:
        browser.stop()
        site.stop()
        if dbus_data:
            shutil.rmtree(dbus_data, ignore_errors=True)


def selection(s):
    """Select a paragraph, Download with Haul: every link and typed address
    in it (each once, no mailto:) becomes a download."""
    site = CookieSite(b"-", b"-", b"-")
    site.start()
    browser = Browser(s)
    dbus_data = os.environ.get("HAUL_E2E_DBUS_DATA")
    try:
        browser.hand_environment_to_bus()
        browser.start_window_manager()
        browser.start(site.url("/selection"))
        time.sleep(browser.settle_s)
        browser.focus()
        browser.key("ctrl+a")
        time.sleep(0.3)
        pick_menu_entry(s, browser, "menu")
        browser.haul_pid = haul_pid(s)
        s.find_window(browser.haul_pid, timeout=30)
        for path, data in sorted(site.week.items()):
            name = os.path.basename(path)
            s.wait_completed(name, timeout=40, pid=browser.haul_pid)
            s.assert_file(name, data)
        rows = sorted(r.name for r in s.rows(browser.haul_pid))
        check(rows == ["week-1.txt", "week-2.txt", "week-3.txt"],
              "the selection gave the rows %r" % rows)
        s.screenshot("completed", root=True)
    finally:
        browser.stop()
        site.stop()
        if dbus_data:
            shutil.rmtree(dbus_data, ignore_errors=True)


def chromium(s):
    """Debian's Chromium, the extension loaded unpacked (--load-extension)."""
    download_from(s, Browser(s))


def firefox(s):
    """Firefox ESR, the extension loaded unsigned from the source folder."""
    download_from(s, Firefox(s))


SCENARIOS = {
    "browser-chromium": chromium,
    "browser-firefox": firefox,
    "browser-capture": lambda s: capture(s, Browser(s)),
    "browser-selection": selection,
}

if __name__ == "__main__":
    if (os.environ.get("HAUL_E2E_WRAPPED") != "1" and len(sys.argv) == 3
            and sys.argv[1] in SCENARIOS):
        prepare_activation(sys.argv[2])
    sys.exit(main(SCENARIOS))
