# e2e_adopt.py: a browser's partial download continued by Haul
#
# Copyright 2026 The Haul developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The scenario "adopt" of haul-e2e.py: Firefox's NAME.part dragged from a
# file manager (text/uri-list of a file:// URI, over real XDND) onto the
# window, the address on the clipboard as after "Copy Link", the dialog
# answered with the keyboard; then `haul --adopt=FILE URL` for Chromium's
# NAME.crdownload from a terminal.

import os
import random
import time

from e2e_harness import log, run, wait_until
from gi.repository import Gio

KiB = 1024


def _check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def _plant(folder, name, data):
    path = os.path.join(folder, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def _only_the_rest(s, server_path, kept):
    """Every request asked for a range; the transfer asked for KEPT onwards."""
    ranges = [r["range"] for r in s.http.requests(server_path) if r["method"] == "GET"]
    log("requests for %s: ranges %r" % (server_path, ranges))
    _check(ranges and all(r is not None and not r.startswith("bytes=0-") for r in ranges),
           "the server was asked for more than the missing bytes (ranges %r)" % ranges)
    _check(any(r.startswith("bytes=%d-" % kept) for r in ranges),
           "no request for the rest from byte %d (ranges %r)" % (kept, ranges))


def _dialog_window(s):
    """The X window of Haul's that is not the main window."""
    return wait_until(lambda: next((w for w in s.visible_windows(s.app.pid) if w != s.wid), None),
                      10, "the dialog's X window")


def adopt(s):
    """A .part dropped on the window → "Continue “big.iso.part”" filled from
    the clipboard → Return: goes on from the browser's bytes, byte-exact;
    `haul --adopt=FILE URL` does the same for a .crdownload."""
    browser = os.path.join(s.home, "Browser Downloads")
    os.makedirs(browser, exist_ok=True)
    data = random.Random(71).randbytes(3 * 1024 * KiB)
    kept = 1100 * KiB
    s.http.add("/adopt/big.iso", data, rate=4 * 1024 * KiB)
    url = s.http.url("/adopt/big.iso")
    partial = _plant(browser, "big.iso.part", data[:kept])

    s.launch()
    s.own_clipboard(url)
    s.drag("uri-list", Gio.File.new_for_path(partial).get_uri(), at=(0.5, 0.6),
           hover_shot="adopt-hover")
    dialog = s.window_named("Continue “big.iso.part”", timeout=10)
    entry = wait_until(lambda: dialog.find(lambda a: a.role == "text"), 10,
                       "the address field of the dialog")
    _check(entry.name == "Address the file came from",
           "the field is named %r" % entry.name)
    wait_until(lambda: entry.text() == url, 10,
               "the field filled from the clipboard (holds %r)" % entry.text())
    _check(len(s.rows()) == 0, "the drop added a row already: %r" % [r.name for r in s.rows()])
    s.screenshot("adopt-dialog", root=True)

    # With the keyboard: the field has the focus, Return continues.
    wid = _dialog_window(s)
    run(["xdotool", "mousemove", "--window", str(wid), "20", "20"], timeout=10)
    run(["xdotool", "windowfocus", "--sync", str(wid)], timeout=10)
    time.sleep(0.3)
    s.type_keys(["Return"])
    wait_until(lambda: "Continue “big.iso.part”" not in [w.name for w in s.toplevels()], 10,
               "the dialog to close after Return")
    s.wait_completed("big.iso", timeout=40)
    final = os.path.join(browser, "big.iso")
    _check(_read(final) == data, "%s is not the server's bytes" % final)
    _check(sorted(os.listdir(browser)) == ["big.iso"],
           "the browser's folder holds %r" % sorted(os.listdir(browser)))
    _only_the_rest(s, "/adopt/big.iso", kept)
    s.screenshot("adopt-done")

    # From a terminal: Chromium's file, its address beside it.
    tool = random.Random(72).randbytes(900 * KiB)
    s.http.add("/adopt/get", tool, disposition='attachment; filename="tool.tar.gz"')
    crdownload = _plant(browser, "tool.tar.gz.crdownload", tool[:300 * KiB])
    p, dt = s.run_haul("--adopt=" + crdownload, s.http.url("/adopt/get?id=7"))
    _check(p.returncode == 0, "`haul --adopt` exited %d: %r" % (p.returncode, p.stderr))
    s.wait_completed("tool.tar.gz", timeout=40)
    _check(_read(os.path.join(browser, "tool.tar.gz")) == tool,
           "tool.tar.gz is not the server's bytes")
    _only_the_rest(s, "/adopt/get", 300 * KiB)

    # Not a browser's file: said on the caller's terminal, nothing asked.
    notes = _plant(browser, "notes.txt", b"just notes\n")
    p, dt = s.run_haul("--adopt=" + notes, url)
    _check(p.returncode != 0 and "not a partly downloaded file" in p.stderr,
           "`haul --adopt notes.txt` exited %d: %r" % (p.returncode, p.stderr))
    _check(_read(notes) == b"just notes\n", "notes.txt was changed")
