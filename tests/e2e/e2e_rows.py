# e2e_rows.py: what the list's rows say, and the kinds of file
#
# Copyright 2026 The Haul developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The scenarios "rows" (a row's words and buttons in every state, read
# through AT-SPI) and "categories" (folders by kind, the Kind of File
# filter) of haul-e2e.py.

import os
import re
import time

from e2e_atspi import STATE_SENSITIVE
from e2e_harness import a_is_button, a_safe, check, log, random_bytes, run, text_bytes, wait_until

MiB = 1024 * 1024


def rows(s):
    """Rows in every state, as a person reads them; the row's menu, its
    Details and Remove from List, through AT-SPI; light and dark."""
    report = text_bytes("report", 300)
    s.http.add("/rows/report-q3.pdf", report, content_type="application/pdf")
    s.http.add("/rows/debian-netinst.iso", random_bytes(11, 8 * MiB), rate=256 * 1024,
               content_type="application/x-iso9660-image")
    s.http.add("/rows/podcast-142.mp3", random_bytes(12, 6 * MiB), rate=384 * 1024,
               content_type="audio/mpeg")
    # Cut at 700 KiB, then gone for good (410): after the automatic retry
    # it fails, with what it has.
    s.http.add("/rows/photos.zip", random_bytes(13, 2 * MiB), content_type="application/zip",
               cut_after=700 * 1024, after_cut_status=410)

    s.launch(*[s.http.url("/rows/" + n) for n in
               ("report-q3.pdf", "photos.zip", "debian-netinst.iso", "podcast-142.mp3")])

    # Finished: no bar; size and time; Open, Show in Folder, the menu; no
    # trash can.
    done = s.wait_completed("report-q3.pdf")
    st = done.status()
    check(re.search(r"^Completed · [\d.,]+\s*kB · \d\d:\d\d$", st),
          "the finished row says %r, not \"Completed · SIZE · HH:MM\"" % st)
    check(sorted(done.buttons()) == ["More Actions", "Open", "Show in Folder"],
          "the finished row offers %r" % sorted(done.buttons()))

    # Paused, with what it has.
    podcast = s.row("podcast-142.mp3")
    wait_until(lambda: (podcast.progress() or 0) >= 5, 20, "the podcast to be under way")
    s.press(podcast.buttons()["Pause"])
    podcast = wait_until(lambda: next((r for r in s.rows() if r.name == "podcast-142.mp3"
                                       and r.status().startswith("Paused · ")), None),
                         10, "the podcast's row to say \"Paused · … of …\"")
    check(podcast.bar() is not None, "the paused row lost its bar")

    # Failed: no bar, why (where the bar was), and what it has.
    def failed():
        r = next((r for r in s.rows() if r.name == "photos.zip"), None)
        return r if r is not None and r.status().startswith("Failed · ") else None
    photos = wait_until(failed, 40, "photos.zip to fail with what it has")
    texts = photos.texts()
    log("failed row: %r" % texts)
    check(photos.bar() is None, "the failed row still shows a bar")
    check(re.search(r"^Failed · [\d.]+\s*kB of 2\.1\s*MB$", photos.status()),
          "the failed row's status is %r, not \"Failed · 716.8 kB of 2.1 MB\"" % photos.status())
    reason = next((t for t in texts if "410" in t), None)
    check(reason is not None, "the failed row does not say why: %r" % texts)
    check(sorted(photos.buttons()) == ["More Actions", "Retry"],
          "the failed row offers %r" % sorted(photos.buttons()))

    # Under way: a bar, Pause, Cancel, the menu; every row named.
    iso = s.row("debian-netinst.iso")
    check(sorted(iso.buttons()) == ["Cancel", "More Actions", "Pause"],
          "the running row offers %r" % sorted(iso.buttons()))
    names = sorted(r.name for r in s.rows())
    check(names == ["debian-netinst.iso", "photos.zip", "podcast-142.mp3", "report-q3.pdf"],
          "rows named %r" % names)
    s.screenshot("light")

    # Details, from the row's menu: the address and the reason in full.
    s.press(photos.buttons()["More Actions"])
    item = wait_until(lambda: s.atspi_app().find(
        lambda a: a.role in ("menu item", "push button", "check menu item")
        and a.name in ("Details", "_Details")), 10, "\"Details\" in the row's menu")
    s.screenshot("menu", root=True)
    s.press(item)
    details = s.window_named("Details", timeout=10)
    labels = wait_until(lambda: [a.text() for a in details.find_all(lambda a: a.role == "label")],
                        10, "the details' labels")
    log("details: %r" % labels[:24])
    for want in (s.http.url("/rows/photos.zip"), reason, s.path_of("photos.zip"), "photos.zip"):
        check(want in labels, "the details do not show %r: %r" % (want, labels))
    check(any(t.startswith("2.1") and "bytes" in t for t in labels),
          "the details do not give the size in bytes: %r" % labels)
    s.screenshot("details", root=True)
    s.press(s.button(details, "Close"))
    wait_until(lambda: "Details" not in [w.name for w in s.toplevels()], 10,
               "the details to close")

    # Remove from List: the row goes, the file stays.
    s.press(s.row("report-q3.pdf").buttons()["More Actions"])
    item = wait_until(lambda: s.atspi_app().find(
        lambda a: a.role in ("menu item", "push button") and "from List" in (a.name or "")),
        10, "\"Remove from List\" in the finished row's menu")
    check(item.name.replace("_", "") == "Remove from List", "the item reads %r" % item.name)
    s.press(item)
    wait_until(lambda: "report-q3.pdf" not in [r.name for r in s.rows()], 10,
               "the row to leave the list")
    s.assert_file("report-q3.pdf", report)
    log("Remove from List: the row went, the file stayed")

    # The same rows in the dark style, after a restart.
    s.kill_app()
    s.env["ADW_DEBUG_COLOR_SCHEME"] = "prefer-dark"
    s.launch()
    s.row("photos.zip")
    wait_until(lambda: next((r for r in s.rows() if r.name == "podcast-142.mp3"
                             and r.status().startswith("Paused")), None), 10,
               "the paused row after the restart")
    s.screenshot("dark")


# ---------------------------------------------------------------- categories

def categories(s):
    """Sort by Kind in Preferences: each download lands in its kind's
    folder, known from its name or else the server's type; the window
    shows one kind at a time; a kind's folder is chosen and reset."""
    files = {
        "report.pdf": (text_bytes("report", 200), "application/pdf", "Documents"),
        "photo.jpg": (random_bytes(21, 96 * 1024), "image/jpeg", "Pictures"),
        # No extension: the server's type says what it is.
        "track": (random_bytes(22, 128 * 1024), "audio/mpeg", "Music"),
        "tools.zip": (random_bytes(23, 64 * 1024), "application/zip", "Archives"),
        "notes.xyz": (random_bytes(24, 16 * 1024), "application/octet-stream", None),
    }
    for name, (data, ctype, _kind) in files.items():
        s.http.add("/cat/" + name, data, content_type=ctype)
    s.launch()
    s.main_window()

    # Preferences, from the keyboard; the kinds' rows show their folders.
    s.focus_window()
    run(["xdotool", "key", "--clearmodifiers", "ctrl+comma"], timeout=10)
    prefs = s.window_named("Preferences", timeout=10)
    switch = wait_until(lambda: prefs.find(lambda a: a.name == "Sort Downloads by Kind"
                                           and a.role != "label" and a.role != "list item"),
                        10, "the \"Sort Downloads by Kind\" switch")
    log("switch: %r, actions %r" % (switch, a_safe(switch.actions, [])))
    labels = [a.text() for a in prefs.find_all(lambda a: a.role == "label")]
    want = "~/E2E Downloads/Pictures"
    check(want in labels, "the Pictures row does not show %r: %r" % (want, labels))
    chooser_button = s.button(prefs, "Choose the Folder for Pictures")
    row = prefs.find(lambda a: a.role == "list item" and a.name == "Pictures")
    check(not row.has_state(STATE_SENSITIVE),
          "the kinds' folders can be chosen while sorting is off")
    check(switch.do_action(0), "the switch would not toggle")
    wait_until(lambda: row.has_state(STATE_SENSITIVE), 10,
               "the kinds' rows to come alive with the switch")
    s.screenshot("preferences", root=True)

    # A folder of one's own for Pictures, through the folder chooser.
    elsewhere = os.path.join(s.home, "Photos from the Web")
    os.makedirs(elsewhere)
    s.press(chooser_button)
    s.window_named("Folder for Pictures", timeout=10)
    time.sleep(0.5)
    run(["xdotool", "key", "--clearmodifiers", "ctrl+l"], timeout=10)
    time.sleep(0.3)
    run(["xdotool", "type", "--delay", "20", elsewhere + "/"], timeout=20)
    time.sleep(0.3)
    run(["xdotool", "key", "Return"], timeout=10)
    wait_until(lambda: "~/Photos from the Web" in
               [a.text() for a in prefs.find_all(lambda a: a.role == "label")],
               15, "the Pictures row to show ~/Photos from the Web")
    s.screenshot("chosen", root=True)
    run(["xdotool", "key", "--clearmodifiers", "Escape"], timeout=10)
    wait_until(lambda: "Preferences" not in [a_safe(lambda: w.name) for w in s.toplevels()],
               10, "Preferences to close")

    for name in files:
        p, _dt = s.run_haul(s.http.url("/cat/" + name))
        check(p.returncode == 0, "`haul URL` exited %d: %s" % (p.returncode, p.stderr))
    for name in files:
        s.wait_completed(name)
    for name, (data, _ctype, kind) in files.items():
        folder = elsewhere if kind == "Pictures" else \
            os.path.join(s.downloads, kind) if kind else s.downloads
        path = os.path.join(folder, name)
        check(os.path.exists(path), "%s is not in %s: %r" % (name, folder,
                                                               sorted(os.listdir(s.downloads))))
        with open(path, "rb") as f:
            check(f.read() == data, "%s differs from the server's bytes" % path)
    log("every kind in its folder: %r" % sorted(os.listdir(s.downloads)))

    # One kind at a time, from the filter bar's menu.
    def kind_button():
        # A menu button is two accessibles by that name; the inner one acts.
        return wait_until(lambda: next((a for a in reversed(s.main_window().find_all(
            lambda a: a.name == "Kind of File" and a_is_button(a))) if a.actions()), None),
            10, "the \"Kind of File\" button")

    def show(label):
        s.press(kind_button())
        item = wait_until(lambda: s.atspi_app().find(
            lambda a: a.role in ("menu item", "radio menu item", "check menu item")
            and a.name.replace("_", "") == label), 10, "%r in the kinds' menu" % label)
        s.press(item)

    s.press(kind_button())
    wait_until(lambda: s.atspi_app().find(lambda a: a.name == "Pictures"
                                          and "menu item" in a.role), 10, "the kinds' menu")
    s.screenshot("kind-menu", root=True)
    run(["xdotool", "key", "--clearmodifiers", "Escape"], timeout=10)
    time.sleep(0.3)
    for label, want in (("Pictures", ["photo.jpg"]), ("Music", ["track"]),
                        ("Other", ["notes.xyz"]), ("All Kinds", sorted(files))):
        show(label)
        wait_until(lambda: sorted(r.name for r in s.rows()) == want, 10,
                   "only %r under %s; rows %r" % (want, label, [r.name for r in s.rows()]))
        if label == "Pictures":
            s.screenshot("pictures-only")
    log("the kind filter shows one kind at a time")

    # Back to the default folder for Pictures: a new picture goes there.
    run(["xdotool", "key", "--clearmodifiers", "ctrl+comma"], timeout=10)
    prefs = s.window_named("Preferences", timeout=10)
    s.press(s.button(prefs, "Use the Default Folder for Pictures"))
    wait_until(lambda: "~/E2E Downloads/Pictures" in
               [a.text() for a in prefs.find_all(lambda a: a.role == "label")],
               10, "the Pictures row to show its default folder again")
    run(["xdotool", "key", "--clearmodifiers", "Escape"], timeout=10)
    second = random_bytes(25, 32 * 1024)
    s.http.add("/cat/second.png", second, content_type="image/png")
    s.run_haul(s.http.url("/cat/second.png"))
    s.wait_completed("second.png")
    path = os.path.join(s.downloads, "Pictures", "second.png")
    check(os.path.exists(path), "second.png is not in the default Pictures folder")


# ---------------------------------------------------------------- steer
