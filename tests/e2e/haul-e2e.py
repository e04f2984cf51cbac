#!/usr/bin/python3
# haul-e2e.py: Haul's end-to-end scenarios, the real app used as a person would
#
# Copyright 2026 The Haul developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   haul-e2e.py SCENARIO BUILD_DIR
#
# Each scenario gets its own Xvfb, D-Bus session, accessibility bus,
# notification daemon, FileManager1 mock, HTTP server and HOME (see
# e2e_harness.py), drives BUILD_DIR/src/haul through its window, AT-SPI,
# the command line and notification actions, and asserts outcomes: bytes on
# disk, AT-SPI values and texts, recorded D-Bus calls. Each saves a
# screenshot of its key moment under BUILD_DIR/tests/e2e/screenshots/.

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import e2e_adopt  # noqa: E402
import e2e_atspi  # noqa: E402
import e2e_harness  # noqa: E402
import e2e_integrity  # noqa: E402
import e2e_outage  # noqa: E402
import e2e_rows  # noqa: E402
import e2e_steer  # noqa: E402
from e2e_harness import check, log, main, random_bytes, run, text_bytes, wait_until  # noqa: E402
from gi.repository import Gio  # noqa: E402

MiB = 1024 * 1024


def file_uri(path):
    return Gio.File.new_for_path(path).get_uri()


def no_dialog(s):
    names = [w.name for w in s.toplevels()]
    check("Add Downloads" not in names,
          "a single link opened the \"Add Downloads\" dialog instead of being queued at "
          "once (windows: %r)" % names)


def add_through_dialog(s, urls):
    """Header bar "Add Downloads" → type the links → "Download", all via AT-SPI."""
    win = s.main_window()
    s.press(s.button(win, "Add Downloads"))
    dialog = s.window_named("Add Downloads")
    field = wait_until(lambda: dialog.find(lambda a: a.name == "Links"), 10,
                       "the \"Links\" field of the dialog")
    text = "\n".join(urls)
    check(field.set_text(text), "EditableText.SetTextContents on \"Links\" was refused")
    wait_until(lambda: field.text() == text, 5, "the \"Links\" field to hold the links")
    s.press(s.button(dialog, "Download"))
    wait_until(lambda: "Add Downloads" not in [w.name for w in s.toplevels()], 10,
               "the dialog to close after \"Download\"")


# ---------------------------------------------------------------- 1

def drag_and_drop(s):
    """Links dragged onto the window: text/uri-list, text/x-moz-url, plain text;
    and one pasted with Ctrl+V."""
    files = {
        "dropped-uri-list.txt": text_bytes("uri-list", 3000),
        "dropped-moz-url.bin": random_bytes(1, 300 * 1024),
        "several-1.txt": text_bytes("one", 50),
        "several-2.bin": random_bytes(2, 70 * 1024),
        "several-3.txt": text_bytes("three", 500),
        "pasted.bin": random_bytes(10, 90 * 1024),
    }
    for name, data in files.items():
        s.http.add("/dnd/" + name, data,
                   content_type="text/plain" if name.endswith(".txt")
                   else "application/octet-stream")
    url = {name: s.http.url("/dnd/" + name) for name in files}

    s.launch()
    win = s.main_window()
    wait_until(lambda: win.find(lambda a: a.role == "label" and a.text() == "Drop Links Here"),
               10, "the empty state \"Drop Links Here\"")
    labels = [a.text() for a in win.find_all(lambda a: a.role == "label")]
    check(any("Ctrl+V" in t or "paste" in t.lower() for t in labels),
          "the empty state does not mention pasting (Ctrl+V): %r" % labels)
    for b in ("Add Downloads", "Pause All", "Resume All", "Main Menu"):
        s.button(win, b, timeout=2)
    s.screenshot("empty")

    s.drag("uri-list", url["dropped-uri-list.txt"], hover_shot="hover")
    s.wait_completed("dropped-uri-list.txt")
    no_dialog(s)

    # The whole window is the drop target: this one lands on the header bar.
    s.drag("moz-url", url["dropped-moz-url.bin"], "A page title, not a link", at=(0.5, 0.04))
    s.wait_completed("dropped-moz-url.bin")
    no_dialog(s)

    several = ["several-1.txt", "several-2.bin", "several-3.txt"]
    ftp = "ftp://127.0.0.1/pub/not-over-ftp.iso"
    s.drag("text", "\n".join([url[n] for n in several] + [ftp]) + "\n")
    dialog = s.window_named("Add Downloads")
    field = wait_until(lambda: dialog.find(lambda a: a.name == "Links"), 10,
                       "the \"Links\" field")
    prefilled = wait_until(lambda: field.text() if all(url[n] in field.text()
                                                       for n in several) else None,
                           5, "the dialog pre-filled with the three dropped links")
    log("dialog pre-filled with %r" % prefilled)
    # The piece that is not a web address is listed, with a reason: in its
    # own label or in one beside it.
    piece = wait_until(lambda: dialog.find(lambda a: a.role == "label" and ftp in a.text()),
                       5, "the dialog to list %r as rejected" % ftp)
    beside = [piece.text()]
    if not re.search(r"\w{3,}", piece.text().replace(ftp, " ")):
        siblings = [a.text() for a in piece.parent.children() if a.role == "label"]
        if len(siblings) <= 3:  # a row of the rejected list, not the whole dialog
            beside = siblings
    reason = " ".join(t.replace(ftp, " ") for t in beside)
    log("rejected: %r" % beside)
    check(re.search(r"\w{3,}", reason),
          "no reason is given for rejecting %r: %r" % (ftp, beside))
    s.screenshot("dialog", root=True)
    s.press(s.button(dialog, "Download"))
    wait_until(lambda: "Add Downloads" not in [w.name for w in s.toplevels()], 10,
               "the dialog to close after \"Download\"")
    for n in several:
        s.wait_completed(n)

    # A link copied elsewhere and pasted into the window is queued at once.
    s.paste(url["pasted.bin"])
    s.wait_completed("pasted.bin")
    no_dialog(s)

    for name, data in files.items():
        s.assert_file(name, data)
    names = sorted(r.name for r in s.rows())
    check(names == sorted(files), "rows %r, expected exactly %r" % (names, sorted(files)))
    s.screenshot("rows")


# ---------------------------------------------------------------- 2

def progress(s):
    """Rows show the right name, a progress value rising to 100, "Completed";
    Pause and Resume on the row work."""
    name = "slow-4MiB.bin"
    slow = random_bytes(3, 4 * MiB)
    quick = text_bytes("quick", 200)
    s.http.add("/progress/" + name, slow, rate=1 * MiB)
    s.http.add("/progress/quick.txt", quick, content_type="text/plain")

    s.launch()
    add_through_dialog(s, [s.http.url("/progress/" + name),
                           s.http.url("/progress/quick.txt")])

    samples = []  # (value, status, visible buttons)

    def sample_until(stop, timeout, what):
        deadline = time.monotonic() + timeout
        while True:
            s.check_alive()
            row = next((r for r in s._rows_quiet() if r.name == name), None)
            if row is not None:
                try:
                    v, st, bt = row.progress(), row.status(), sorted(row.buttons())
                except Exception as e:  # noqa: BLE001 - the row may be re-created
                    log("sample failed: %s" % e)
                else:
                    samples.append((v, st, bt))
                    if stop(row, v, st, bt):
                        return row
            if time.monotonic() > deadline:
                raise AssertionError("timed out after %d s waiting for %s; last samples: %r; "
                                     "rows: %s" % (timeout, what, samples[-3:],
                                                   s.rows_described()))
            time.sleep(0.1)

    # Under way: a moving bar, the byte/speed/time line (the speed once a
    # second of it was measured), Pause and Cancel.
    # g_format_size() puts a no-break space before the unit: \s takes both.
    pattern = re.compile(r"^[\d.,]+\s*\w*B of [\d.,]+\s*\w*B · [\d.,]+\s*\w*B/s\b")
    row = sample_until(lambda r, v, st, bt: v is not None and (v > 75 or (
        20 <= v and pattern.search(st))), 20, name + " to be under way")
    s.screenshot("downloading")
    running = [(st, bt) for v, st, bt in samples if v is not None and 0 < v < 100]
    check(any(pattern.search(st) for st, _bt in running),
          "while downloading, no status read like "
          "\"12.3 MB of 100 MB · 4.5 MB/s · 20 s left\": %r"
          % sorted(set(st for st, _bt in running))[:8])
    log("status while running, e.g. %r" % next(st for st, _bt in running if pattern.search(st)))
    buttons = running[-1][1]
    check("Pause" in buttons and "Cancel" in buttons and "Open" not in buttons,
          "a running row offers %r (expected Pause and Cancel, no Open)" % buttons)

    # Pause: the status says so, the value stands still, Resume is offered.
    s.press(row.buttons()["Pause"])
    row = sample_until(lambda r, v, st, bt: st.startswith("Paused"), 10,
                       "the row to say \"Paused\"")
    paused_at = row.progress()
    time.sleep(1.0)
    check(abs(row.progress() - paused_at) < 1e-6,
          "the value moved while paused: %r → %r" % (paused_at, row.progress()))
    buttons = sorted(row.buttons())
    check("Resume" in buttons and "Pause" not in buttons,
          "a paused row offers %r (expected Resume, no Pause)" % buttons)
    log("paused at %.1f %%, buttons %r" % (paused_at, buttons))
    s.screenshot("paused")

    # Resume: on to "Completed", where the bar gives way to size and time.
    s.press(row.buttons()["Resume"])
    row = sample_until(lambda r, v, st, bt: st.startswith("Completed"), 30,
                       name + " to complete")

    values = [v for v, _st, _bt in samples if v is not None]
    log("%d samples of the progress bar: %s" % (len(values),
                                                 [round(v, 1) for v in values[::4]]))
    middle = [v for v in values if 0 < v < 100]
    check(len(set(middle)) >= 3, "the progress bar did not show the download moving "
          "(values between 0 and 100 seen: %r)" % middle)
    drops = [(a, b) for a, b in zip(values, values[1:]) if b < a - 1e-6]
    check(not drops, "the progress value went backwards: %r" % drops)
    final_value, final_status, _bt = samples[-1]
    check(final_value is None, "the completed row still shows a progress bar (%r)" % final_value)
    check(re.search(r"^Completed · [\d.,]+\s*\w*B · \d\d:\d\d$", final_status),
          "the completed row does not say \"Completed · SIZE · HH:MM\": %r" % final_status)
    buttons = samples[-1][2]
    check({"Open", "Show in Folder"} <= set(buttons) and "Pause" not in buttons
          and "Resume" not in buttons,
          "a completed row offers %r (expected Open and Show in Folder, no Pause/Resume)"
          % buttons)

    s.wait_completed("quick.txt")
    s.assert_file(name, slow)
    s.assert_file("quick.txt", quick)
    ranges = [r["range"] for r in s.http.requests("/progress/" + name)]
    log("requests for %s: Range %r" % (name, ranges))
    s.screenshot("completed")


# ---------------------------------------------------------------- 3

def notifications(s):
    """"Download complete" reaches the daemon; its Open and Show in Folder work."""
    files = {"report.txt": text_bytes("report", 400),
             "second.txt": text_bytes("second", 100),
             "third.txt": text_bytes("third", 100)}
    for name, data in files.items():
        s.http.add("/notify/" + name, data, content_type="text/plain")
    path = s.path_of("report.txt")

    s.launch(s.http.url("/notify/report.txt"))
    s.wait_completed("report.txt")
    s.screenshot("completed")
    n = s.wait_notification(lambda n: n["summary"] == "Download complete"
                            and "report.txt" in n["body"], 15,
                            "a \"Download complete\" notification naming report.txt")
    log("notification %d: %r / %r, actions %r" % (n["id"], n["summary"], n["body"], n["actions"]))
    by_label = {label: key for key, label in n["actions"]}
    check("Open" in by_label and "Show in Folder" in by_label,
          "the notification lacks \"Open\" / \"Show in Folder\": %r" % n["actions"])
    check(by_label["Open"].startswith("app.open-file") and path in by_label["Open"],
          "\"Open\" is %r, not app.open-file(%r)" % (by_label["Open"], path))
    check(by_label["Show in Folder"].startswith("app.show-in-folder")
          and path in by_label["Show in Folder"],
          "\"Show in Folder\" is %r, not app.show-in-folder(%r)"
          % (by_label["Show in Folder"], path))
    check("default" in [k for k, _l in n["actions"]],
          "the notification has no default action: %r" % n["actions"])

    # Show in Folder → org.freedesktop.FileManager1.ShowItems([uri], …)
    s.invoke_notification_action(n, by_label["Show in Folder"])
    uri = file_uri(path)
    calls = wait_until(lambda: [c for c in s.show_items_calls() if uri in c[0]], 10,
                       "FileManager1.ShowItems([%r], …)" % uri)
    log("FileManager1 mock recorded ShowItems%r" % (calls[0],))
    check(not s.opened(), "Show in Folder also opened something: %r" % s.opened())

    # The row's own "Show in Folder" button does the same.
    row = s.row("report.txt")
    s.press(s.button(row.acc, "Show in Folder"))
    wait_until(lambda: len([c for c in s.show_items_calls() if uri in c[0]]) == 2, 10,
               "a second ShowItems([%r]) after the row's \"Show in Folder\"" % uri)
    log("the row's Show in Folder reached FileManager1 too")

    # The daemon's client (GLib) forgets a notification once one of its
    # actions ran, so Open and the default action are tried on the
    # notifications of two more downloads, each started well after the
    # previous completion (completions within ~2 s are summarised).
    # Completions the person has not seen are counted together ("2
    # downloads complete"), so each time they look at the window first:
    # focused, it counts as seen.
    def complete_notification(name):
        time.sleep(2.5)
        s.focus_window()
        p, _dt = s.run_haul(s.http.url("/notify/" + name))
        check(p.returncode == 0, "`haul URL` exited %d: %s" % (p.returncode, p.stderr))
        return s.wait_notification(lambda n: n["summary"] == "Download complete"
                                   and name in n["body"], 20,
                                   "a \"Download complete\" notification naming " + name)

    # Open → the default application for the file is asked to open its path.
    n2 = complete_notification("second.txt")
    key = dict((label, key) for key, label in n2["actions"]).get("Open")
    check(key is not None, "the second notification has no \"Open\": %r" % n2["actions"])
    s.invoke_notification_action(n2, key)
    opened = wait_until(lambda: s.opened(), 10, "the default handler to be asked to open a file")
    check(opened == [s.path_of("second.txt")],
          "Open asked the default application to open %r, expected %r"
          % (opened, [s.path_of("second.txt")]))
    log("Open: the default application was asked to open %r" % opened[0])

    # The row's own "Open" button does the same.
    s.press(s.button(s.row("second.txt").acc, "Open"))
    wait_until(lambda: s.opened()[1:] == [s.path_of("second.txt")], 10,
               "the row's \"Open\" to open second.txt (opened: %r)" % s.opened())
    log("the row's Open opened the file too")

    # A click on the notification itself (its default action) shows the file
    # in its folder: it never opens a file the server named with whatever
    # handles its type.
    n3 = complete_notification("third.txt")
    s.invoke_notification_action(n3, "default")
    third = file_uri(s.path_of("third.txt"))
    wait_until(lambda: [c for c in s.show_items_calls() if third in c[0]], 10,
               "the default action to show third.txt in its folder (ShowItems calls: %r)"
               % s.show_items_calls())
    time.sleep(1.0)
    check(s.opened()[2:] == [], "the default action opened %r" % s.opened()[2:])
    log("default action: FileManager1.ShowItems([%r]), nothing opened" % third)
    for name, data in files.items():
        s.assert_file(name, data)


# ---------------------------------------------------------------- 4

def byte_identical(s):
    """What lands on disk is exactly what the server sent, and nothing else."""
    files = {
        "random-2MiB.bin": random_bytes(4, 2 * MiB),
        "utf8-text.txt": text_bytes("ünïcödé ✓", 5000),
        "odd-size.bin": random_bytes(5, 1234567),
    }
    for name, data in files.items():
        s.http.add("/bytes/" + name, data)
    s.launch(*[s.http.url("/bytes/" + n) for n in files])
    for name in files:
        s.wait_completed(name)
    for name, data in files.items():
        s.assert_file(name, data)
    # Completions within ~2 s are summarised in one notification.
    n = s.wait_notification(lambda n: n["summary"] == "3 downloads complete", 15,
                            "one \"3 downloads complete\" notification")
    log("notification %r / %r" % (n["summary"], n["body"]))
    check(all(name in n["body"] for name in files),
          "the summary's body %r does not name the three files" % n["body"])
    labels = [label for _key, label in n["actions"]]
    check("Show Downloads" in labels and ("app.show-downloads", "Show Downloads") in n["actions"],
          "the summary offers no \"Show Downloads\" (app.show-downloads): %r" % n["actions"])
    singles = [x["body"] for x in s.notifications() if x["summary"] == "Download complete"]
    check(not singles, "besides the summary, single notifications came for %r" % singles)
    listing = s.folder_listing()
    check(listing == sorted(files),
          "the download folder holds %r, expected exactly %r (leftover partial files?)"
          % (listing, sorted(files)))
    s.screenshot("completed")


# ---------------------------------------------------------------- 5

def command_line(s):
    """`haul URL` from a second process adds to the running instance."""
    data = random_bytes(6, 512 * 1024)
    s.http.add("/cli/from-the-shell.bin", data)
    s.launch()
    s.main_window()
    check(s.rows() == [], "a fresh start shows rows: %s" % s.rows_described())

    p, dt = s.run_haul(s.http.url("/cli/from-the-shell.bin"))
    check(p.returncode == 0, "`haul URL` exited %d; stderr: %s" % (p.returncode, p.stderr))
    check(dt < 5, "`haul URL` took %.1f s to hand over and exit" % dt)
    check(s.app_alive(), "the running instance exited")
    s.wait_completed("from-the-shell.bin")
    s.assert_file("from-the-shell.bin", data)
    check(s.visible_windows(s.app.pid) == [s.wid],
          "the instance shows windows %r, expected just its one window 0x%x"
          % (s.visible_windows(s.app.pid), s.wid))

    p, dt = s.run_haul("not-a-link")
    msg = "haul: “not-a-link” is not a web address"
    check(msg in p.stderr, "the calling process's stderr lacks %r: stdout %r, stderr %r"
          % (msg, p.stdout, p.stderr))
    check(dt < 5, "`haul not-a-link` took %.1f s" % dt)
    time.sleep(0.5)
    rows = [r.name for r in s.rows()]
    check(rows == ["from-the-shell.bin"], "a bad argument changed the list: %r" % rows)

    p, dt = s.run_haul("--help")
    check(p.returncode == 0 and "Usage" in p.stdout,
          "`haul --help` exited %d with %r" % (p.returncode, p.stdout[:200]))
    check(s.app_alive(), "the running instance exited after `haul --help`")
    s.screenshot("added")


# ---------------------------------------------------------------- 6

def failure(s):
    """A 404 shows on its row and in a "Download failed" notification with Retry."""
    name = "comes-back-later.bin"
    url = s.http.url("/fail/" + name)
    s.launch(url)

    def failed_row():
        for r in s.rows():
            if r.name in (name, url):
                texts = r.texts()
                if any("404" in t for t in texts):
                    return r, r.status(), texts
        return None
    row, status, texts = wait_until(failed_row, 20, "a row for %s showing the 404 error" % name)
    log("failed row %r: lines %r" % (row.name, texts))
    check(status.startswith("Failed"), "the failed row's status line is %r, not \"Failed…\""
          % status)
    check(row.bar() is None, "the failed row still shows a progress bar")
    buttons = row.buttons()
    check("Retry" in buttons, "the failed row offers no \"Retry\": %r" % sorted(buttons))
    check("Open" not in buttons, "the failed row offers \"Open\": %r" % sorted(buttons))
    check(not status.startswith("Completed"), "a 404 is shown as %r" % status)
    s.screenshot("failed")

    n = s.wait_notification(lambda n: n["summary"] == "Download failed", 15,
                            "a \"Download failed\" notification")
    log("notification %d: %r / %r, actions %r" % (n["id"], n["summary"], n["body"], n["actions"]))
    check(name in n["body"] and "404" in n["body"],
          "the body %r does not say NAME: REASON for %s" % (n["body"], name))
    by_label = {label: key for key, label in n["actions"]}
    check("Retry" in by_label and by_label["Retry"].startswith("app.retry"),
          "no \"Retry\" (app.retry) action: %r" % n["actions"])
    check("Open" not in by_label and not any(k.startswith("app.open-file")
                                             for k, _l in n["actions"]),
          "a failed download offers Open: %r" % n["actions"])
    check(not [x for x in s.notifications() if x["summary"] == "Download complete"],
          "a 404 also produced \"Download complete\"")

    # The file appears on the server; Retry from the notification fetches it.
    data = random_bytes(7, 200 * 1024)
    s.http.add("/fail/" + name, data)
    s.invoke_notification_action(n, by_label["Retry"])
    s.wait_completed(name)
    s.assert_file(name, data)
    log("Retry from the notification completed the download")


# ---------------------------------------------------------------- 7

def close_window(s):
    """Closing the window mid-download: the app stays, finishes, tells, comes back."""
    data = random_bytes(8, 4 * MiB)
    s.http.add("/close/large-4MiB.iso", data, rate=1 * MiB)
    s.launch(s.http.url("/close/large-4MiB.iso"))
    pid = s.app.pid
    row = s.row("large-4MiB.iso")
    wait_until(lambda: 0 < row.progress() < 60, 10, "large-4MiB.iso to be under way")
    s.screenshot("before-close")

    s.press(s.button(s.main_window(), "Close"))
    t_closed = time.monotonic()
    wait_until(lambda: s.visible_windows(pid) == [], 5, "the window to close")
    time.sleep(0.5)
    check(s.app_alive(), "Haul exited when its window closed during a download:\n%s"
          % s.app_log_tail())
    still = s.wait_notification(lambda n: n["summary"] == "Haul is still downloading", 5,
                                "the \"Haul is still downloading\" notification")
    log("notification %r / %r" % (still["summary"], still["body"]))
    check(s.app_alive(), "Haul exited while its download was still running")
    # Once nothing is left to download, the app may release its hold and quit.
    s.app_may_exit = True

    done = s.wait_notification(lambda n: n["summary"] == "Download complete"
                               and "large-4MiB.iso" in n["body"], 20,
                               "\"Download complete\" for large-4MiB.iso after the window closed")
    log("completion notified %.1f s after the window closed, actions %r"
        % (time.monotonic() - t_closed, [label for _k, label in done["actions"]]))
    s.assert_file("large-4MiB.iso", data)
    log("after the download Haul %s" % ("is still running" if s.app_alive()
                                        else "exited with status %s" % s.app.returncode))
    stills = [x for x in s.notifications() if x["summary"] == "Haul is still downloading"]
    check(len(stills) == 1, "\"Haul is still downloading\" was sent %d times" % len(stills))

    # Launch again, as from the Activities overview.
    relaunch = subprocess.Popen(s.haul_cmd(), env=s.env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    s.procs.append(("haul-relaunch", relaunch))

    def window_of_either():
        for p in (pid, relaunch.pid):
            ws = s.visible_windows(p)
            if ws:
                return p, ws[0]
        return None
    owner, wid = wait_until(window_of_either, 20, "a window after launching haul again")
    s.wid = wid
    s.place_window(wid)
    log("window 0x%x belongs to %s" % (wid, "the first instance" if owner == pid
                                       else "a new instance (the first one had quit)"))
    if owner == pid:
        rc = relaunch.wait(timeout=10)
        check(rc == 0, "the second `haul` exited %d" % rc)
    row = s.wait_completed("large-4MiB.iso", pid=owner)
    log("relaunched window shows %s" % row.describe())
    s.screenshot("relaunched")
    if owner != pid:
        s.app = relaunch


# ---------------------------------------------------------------- 8

def kill_relaunch(s):
    """SIGKILL mid-download; the next start shows the row and completes it exactly."""
    data = random_bytes(9, 6 * MiB)
    s.http.add("/kill/big-6MiB.iso", data, rate=int(1.5 * MiB))
    s.launch(s.http.url("/kill/big-6MiB.iso"))
    row = s.row("big-6MiB.iso")
    at = wait_until(lambda: (lambda v: v if 25 <= v < 80 else None)(row.progress()), 15,
                    "big-6MiB.iso to be a quarter done")
    time.sleep(0.3)
    requests_before = len(s.http.requests("/kill/big-6MiB.iso"))
    log("SIGKILL at %.0f %%" % at)
    s.kill_app(signal.SIGKILL)
    log("on disk after the kill: %r" % [(f, os.path.getsize(s.path_of(f)))
                                        for f in s.folder_listing()])

    s.launch()
    restored = s.row("big-6MiB.iso", timeout=20)
    log("restored row: %s" % restored.describe())
    s.screenshot("restored")
    s.wait_completed("big-6MiB.iso", timeout=40)
    s.assert_file("big-6MiB.iso", data)
    names = [r.name for r in s.rows()]
    check(names == ["big-6MiB.iso"], "after the relaunch the list shows %r" % names)
    listing = s.folder_listing()
    check(listing == ["big-6MiB.iso"],
          "the download folder holds %r, expected only big-6MiB.iso" % listing)
    after = s.http.requests("/kill/big-6MiB.iso")[requests_before:]
    log("requests after the relaunch: %r" % [(r["method"], r["range"]) for r in after])
    s.screenshot("completed")


def terminate(s):
    """SIGTERM (a logout, `kill`) mid-download: Haul quits as Quit does, and resumes."""
    data = random_bytes(10, 6 * MiB)
    s.http.add("/term/big-6MiB.iso", data, rate=int(1.5 * MiB))
    s.launch(s.http.url("/term/big-6MiB.iso"))
    row = s.row("big-6MiB.iso")
    wait_until(lambda: (lambda v: v if 20 <= v < 80 else None)(row.progress()), 15,
               "big-6MiB.iso to be a fifth done")
    requests_before = len(s.http.requests("/term/big-6MiB.iso"))
    s.app_may_exit = True
    t = time.monotonic()
    s.app.send_signal(signal.SIGTERM)
    try:
        status = s.app.wait(timeout=10)
    except subprocess.TimeoutExpired:
        raise AssertionError("Haul did not quit within 10 s of SIGTERM") from None
    log("exited %d, %.2f s after SIGTERM" % (status, time.monotonic() - t))
    check(status == 0, "Haul exited with status %d after SIGTERM" % status)

    # Recorded as stopped on purpose (queued, to run at the next start),
    # not as a crash leaves it (still downloading).
    db = os.path.join(s.data, "haul-devel", "downloads.db")
    if not os.path.exists(db):
        db = os.path.join(s.data, "haul", "downloads.db")
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    state, confirmed = con.execute("SELECT state, confirmed FROM downloads").fetchone()
    con.close()
    log("recorded: %s, %d bytes confirmed" % (state, confirmed))
    check(state == "queued", "the download was recorded as %r, expected 'queued'" % state)
    check(0 < confirmed < len(data), "%d bytes recorded as on disk" % confirmed)

    s.launch()
    s.row("big-6MiB.iso", timeout=20)
    s.wait_completed("big-6MiB.iso", timeout=40)
    s.assert_file("big-6MiB.iso", data)
    after = s.http.requests("/term/big-6MiB.iso")[requests_before:]
    ranges = [r["range"] for r in after]
    log("requests after the relaunch: %r" % ranges)
    check(after and all(ranges), "every request after the relaunch asked for a range")
    asked = 0
    for text in ranges:
        start, _, end = text.split("=", 1)[1].partition("-")
        asked += (int(end) if end else len(data) - 1) - int(start) + 1
    # What was recorded is not fetched again (a little overlap may be
    # read back to check the file has not changed).
    check(asked <= len(data) - confirmed + 256 * 1024,
          "%d bytes asked for after the relaunch, %d were missing"
          % (asked, len(data) - confirmed))
    check(s.folder_listing() == ["big-6MiB.iso"],
          "the download folder holds %r" % s.folder_listing())


# ---------------------------------------------------------------- 9

ARIA2_SECRET = "e2e-s3cret"


def free_port():
    """A port free now, below the kernel's range for port 0 (32768 and up by
    default), so that no server binding port 0 takes it before aria2c does
    (see tests/engine/aria2-fixture.c)."""
    import random
    import socket
    for _ in range(200):
        port = random.randint(20000, 32000)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for aria2c between 20000 and 32000")


def start_aria2(s, folder):
    """A real `aria2c --enable-rpc --rpc-secret=…` on 127.0.0.1, owned by the session."""
    port = free_port()
    s._spawn("aria2c", ["aria2c", "--enable-rpc", "--rpc-listen-port=%d" % port,
                        "--rpc-secret=" + ARIA2_SECRET, "--dir=" + folder, "--no-conf",
                        "--quiet", "--disable-ipv6", "--file-allocation=none",
                        "--stop-with-process=%d" % os.getpid()])

    def listening():
        import socket
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) == 0
    wait_until(listening, 10, "aria2c to listen on 127.0.0.1:%d" % port)
    log("aria2c listening on 127.0.0.1:%d, folder %s" % (port, folder))
    return port


def write_settings(s, values):
    """Haul's settings in the keyfile GSettings backend, before it starts."""
    folder = os.path.join(s.config, "glib-2.0", "settings")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "keyfile"), "w") as f:
        f.write("[io/github/haul/Haul]\n")
        for key, value in values.items():
            f.write("%s='%s'\n" % (key, value))


def aria2_daemon(s):
    """Haul as the front end of an aria2 daemon: a link from the command line goes to
    the daemon, the window closes, and the completion is told from the daemon's news."""
    data = random_bytes(10, 4 * MiB)
    name = "nas-4MiB.iso"
    s.http.add("/nas/" + name, data, rate=1 * MiB)
    daemon_folder = os.path.join(s.tmp, "srv-downloads")  # the daemon's machine
    os.makedirs(daemon_folder)
    mounted = os.path.join(s.home, "NAS")                 # the same folder, mounted here
    os.symlink(daemon_folder, mounted)
    port = start_aria2(s, daemon_folder)
    write_settings(s, {"engine": "aria2",
                       "aria2-uri": "http://127.0.0.1:%d/jsonrpc" % port,
                       "aria2-remote-folder": daemon_folder,
                       "aria2-local-folder": mounted})
    # No keyring in this world: the environment gives the secret, as for scripts.
    s.env["HAUL_ARIA2_SECRET"] = ARIA2_SECRET

    s.launch(s.http.url("/nas/" + name))
    pid = s.app.pid
    row = s.row(name, timeout=20)
    wait_until(lambda: 0 < row.progress() < 80, 15, "%s to be under way on the daemon" % name)
    log("row while the daemon downloads: %s" % row.describe())
    # The header says where the downloads are.
    where = "aria2 at 127.0.0.1:%d" % port
    win = s.main_window()

    def header_says():
        return win.find(lambda a: a.role == "label" and (a.text() or "").startswith(where))
    wait_until(header_says, 10, "the header to say %r" % where)
    log("header: %r" % header_says().text())
    s.screenshot("downloading")
    check(not os.path.exists(s.path_of(name)),
          "%s landed in the local Downloads folder, not on the daemon" % name)

    s.press(s.button(s.main_window(), "Close"))
    t_closed = time.monotonic()
    wait_until(lambda: s.visible_windows(pid) == [], 5, "the window to close")
    time.sleep(0.5)
    check(s.app_alive(), "Haul exited when its window closed while the daemon downloads:\n%s"
          % s.app_log_tail())
    s.wait_notification(lambda n: n["summary"] == "Haul is still downloading", 5,
                        "the \"Haul is still downloading\" notification")
    s.app_may_exit = True

    done = s.wait_notification(lambda n: n["summary"] == "Download complete"
                               and name in n["body"], 30,
                               "\"Download complete\" for %s from the daemon" % name)
    log("completion notified %.1f s after the window closed, actions %r"
        % (time.monotonic() - t_closed, done["actions"]))
    on_daemon = os.path.join(daemon_folder, name)
    with open(on_daemon, "rb") as f:
        got = f.read()
    check(got == data, "the daemon's %s differs from the server's bytes (%d of %d bytes)"
          % (on_daemon, len(got), len(data)))
    log("%s: %d bytes in the daemon's folder, identical to the server's" % (name, len(got)))
    # The daemon's folder is mounted here: Open and Show in Folder use that path.
    by_label = {label: key for key, label in done["actions"]}
    local = os.path.join(mounted, name)
    check("Open" in by_label and local in by_label["Open"],
          "\"Open\" should open the mapped %r: %r" % (local, done["actions"]))
    check("Show in Folder" in by_label and local in by_label["Show in Folder"],
          "\"Show in Folder\" should show the mapped %r: %r" % (local, done["actions"]))
    check(not os.path.exists(s.path_of(name)), "a copy landed in the local Downloads folder")


# ---------------------------------------------------------------- 9

def browser(s):
    """Drags from real Chromium: a link, then a selected paragraph holding a
    link and an address written as text. Under G_DEBUG=fatal-criticals, so
    GDK's CRITICAL about the source's late action list would end Haul."""
    files = {"from-chromium.bin": random_bytes(13, 200 * 1024),
             "linked.bin": random_bytes(14, 100 * 1024),
             "written-as-text.bin": random_bytes(15, 120 * 1024)}
    for name, data in files.items():
        s.http.add("/browser/" + name, data)
    url = {name: s.http.url("/browser/" + name) for name in files}
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Mirror</title>"
            "<style>body{margin:0;font:22px sans-serif} a,p{position:absolute;left:20px}"
            "</style></head><body>"
            "<a style='top:20px;font-size:30px' href='%s'>from-chromium.bin</a>"
            "<p style='top:110px;width:500px;margin:0'>Mirror at %s and the "
            "<a style='position:static' href='%s'>linked one</a>.</p></body></html>"
            % (url["from-chromium.bin"], url["written-as-text.bin"], url["linked.bin"]))
    s.http.add("/browser/page.html", page.encode("utf-8"), content_type="text/html")

    s.start_window_manager()
    s.env["G_DEBUG"] = "fatal-criticals"
    s.launch()
    s.main_window()
    cwid = s.start_chromium(s.http.url("/browser/page.html"))
    cx, cy, _cw, _ch = s.absolute_geometry(cwid)
    hx, hy, hw, hh = s.absolute_geometry(s.wid)
    target = (hx + hw // 2, hy + hh // 2)

    # A link: queued at once.
    s.drag_between(cx + 60, cy + 40, *target, hover_shot="hover")
    s.wait_completed("from-chromium.bin")
    no_dialog(s)

    # A selection: both its link and the address in its text.
    run_xdotool = ["xdotool", "mousemove", str(cx + 50), str(cy + 125),
                   "click", "--repeat", "3", "--delay", "80", "1"]
    subprocess.run(run_xdotool, check=True, timeout=10)
    time.sleep(0.5)
    s.screenshot("selected", root=True)
    s.drag_between(cx + 50, cy + 125, *target)
    dialog = s.window_named("Add Downloads", timeout=10)
    field = wait_until(lambda: dialog.find(lambda a: a.name == "Links"), 10, "the \"Links\" field")
    wait_until(lambda: url["linked.bin"] in field.text()
               and url["written-as-text.bin"] in field.text(), 10,
               "the dialog to hold the link and the address written as text (holds %r)"
               % field.text())
    s.screenshot("dialog", root=True)
    s.press(s.button(dialog, "Download"))
    for name in ("linked.bin", "written-as-text.bin"):
        s.wait_completed(name)
    for name, data in files.items():
        s.assert_file(name, data)
    check(s.app_alive(), "Haul exited:\n%s" % s.app_log_tail())
    criticals = [w for w in s.app_warnings() if "CRITICAL" in w]
    check(not criticals, "Haul logged %r" % criticals)
    s.screenshot("rows")


# ---------------------------------------------------------------- 10

def quit_(s):
    """Ctrl+Q while downloading asks first; Cancel keeps Haul, Quit ends it
    cleanly (under G_DEBUG=fatal-criticals a CRITICAL would abort it)."""
    data = random_bytes(12, 4 * MiB)
    s.http.add("/quit/long-4MiB.iso", data, rate=256 * 1024)
    s.env["G_DEBUG"] = "fatal-criticals"
    s.launch(s.http.url("/quit/long-4MiB.iso"))
    row = s.row("long-4MiB.iso")
    wait_until(lambda: 0 < row.progress() < 50, 15, "long-4MiB.iso to be under way")

    def ask():
        s.key("ctrl+q")
        return s.window_named("Stop Downloads and Quit?", timeout=10)

    def response(dialog, label):
        # libadwaita's response buttons have use-underline, so GTK 4.8 names
        # them twice ("_Cancel Cancel"; see README).
        return wait_until(lambda: dialog.find(lambda a: a.name in (label, "_%s %s" % (label, label))
                                              and e2e_harness.a_is_button(a)),
                          10, "the %r button of the question" % label)

    dialog = ask()
    s.screenshot("asked", root=True)
    s.press(response(dialog, "Cancel"))
    wait_until(lambda: "Stop Downloads and Quit?" not in [w.name for w in s.toplevels()], 10,
               "the question to close after \"Cancel\"")
    time.sleep(0.5)
    check(s.app_alive(), "Haul exited after \"Cancel\":\n%s" % s.app_log_tail())
    at = row.progress()
    wait_until(lambda: row.progress() > at, 10, "the download to go on after \"Cancel\"")

    dialog = ask()
    s.app_may_exit = True
    t = time.monotonic()
    s.press(response(dialog, "Quit"))
    try:
        rc = s.app.wait(timeout=10)
    except subprocess.TimeoutExpired:
        raise AssertionError("Haul did not exit within 10 s of \"Quit\"") from None
    log("Haul exited %d, %.2f s after \"Quit\"" % (rc, time.monotonic() - t))
    warnings = s.app_warnings()
    check(rc == 0, "Haul exited with status %d after \"Quit\" (a CRITICAL aborts it under "
          "fatal-criticals):\n%s" % (rc, s.app_log_tail()))
    check(not warnings, "Haul logged while quitting: %r" % warnings)
    listing = s.folder_listing()
    check(any(f.endswith(".part") for f in listing),
          "after Quit the partial file is gone: %r (it must stay to resume)" % listing)


# ---------------------------------------------------------------- 11

def add_dialog(s):
    """Ctrl+N with an address on the clipboard, then typing, then Ctrl+Return:
    the keyboard alone, as a person would."""
    files = {"from-clipboard.bin": random_bytes(16, 90 * 1024),
             "typed.bin": random_bytes(17, 70 * 1024)}
    for name, data in files.items():
        s.http.add("/kbd/" + name, data)
    url = {name: s.http.url("/kbd/" + name) for name in files}

    s.launch()
    s.main_window()
    s.own_clipboard("the mirror: " + url["from-clipboard.bin"])
    s.key("ctrl+n")
    dialog = s.window_named("Add Downloads", timeout=10)
    field = wait_until(lambda: dialog.find(lambda a: a.name == "Links"), 10, "the \"Links\" field")
    wait_until(lambda: field.text() == url["from-clipboard.bin"], 10,
               "the field filled from the clipboard (holds %r)" % field.text())
    check(field.has_state(e2e_atspi.STATE_FOCUSED),
          "the \"Links\" field does not have the keyboard focus: %r" % field.states())
    # The clipboard's address is selected: End keeps it, then a second line.
    s.type_keys(["End", "Return"])
    s.type_text(url["typed.bin"])
    wait_until(lambda: url["typed.bin"] in field.text(), 10,
               "the typed address in the field (holds %r)" % field.text())
    s.screenshot("dialog", root=True)
    s.type_keys(["ctrl+Return"])
    wait_until(lambda: "Add Downloads" not in [w.name for w in s.toplevels()], 10,
               "the dialog to close after Ctrl+Return")
    for name, data in files.items():
        s.wait_completed(name)
        s.assert_file(name, data)


# ---------------------------------------------------------------- 12

def drag_out(s):
    """A finished row dragged onto another application hands it the file."""
    data = random_bytes(18, 150 * 1024)
    s.http.add("/out/handed-over.pdf", data, content_type="application/pdf")
    s.launch(s.http.url("/out/handed-over.pdf"))
    s.wait_completed("handed-over.pdf")
    target = s.spawn_helper("drop-target")
    twid = s.helper_window(target)
    run(["xdotool", "windowmove", "--sync", str(twid), "20", "80"])
    time.sleep(0.4)
    tx, ty, tw, th = s.geometry(twid)
    hx, hy, _hw, _hh = s.geometry(s.wid)
    # The first row's name: under the header bar and the filter bar.
    s.drag_between(hx + 260, hy + 125, tx + tw // 2, ty + th // 2, hover_shot="hover")
    out = wait_until(lambda: [line for line in s.helper_output(target)
                              if line.startswith("dropped-file ")], 10,
                     "the other application to receive a file (it saw: %r)"
                     % s.helper_output(target))
    path = out[0].split(" ", 1)[1]
    log("the other application received %s" % path)
    check(path == s.path_of("handed-over.pdf"),
          "it received %r, not the downloaded file %r" % (path, s.path_of("handed-over.pdf")))
    formats = [line for line in s.helper_output(target) if line.startswith("drop-formats")]
    log("offered: %s" % (formats[:1],))
    check(any("text/uri-list" in f for f in formats), "no text/uri-list offered: %r" % formats)


# ---------------------------------------------------------------- issue 8

def bad_redirect(s):
    """A redirect to an empty host ends that download, not Haul; again after a relaunch."""
    # The fuzzer's reproducer, byte for byte; answered late the first time
    # so that Haul is killed while the download is still queued.
    raw = b"HTTP/1.1 301 F\xa9d\r\nLocation: //\r\nContent-Length: 0\r\n\r\n"
    res = s.http.add("/bad/redirect.iso", b"", raw=raw, delay=3)
    s.launch(s.http.url("/bad/redirect.iso"))
    s.row("redirect.iso")
    wait_until(lambda: s.http.requests("/bad/redirect.iso"), 10, "the first request")
    s.kill_app(signal.SIGKILL)

    # Restored as queued: it runs at once, meets the redirect, and fails.
    res.delay = 0
    s.launch()
    row = s.row("redirect.iso", timeout=20)
    wait_until(lambda: "Retry" in row.buttons(), 20, "the row to offer Retry")
    # The reason is a line of its own, where the bar was.
    status = " · ".join(row.texts())
    log("row: %s" % row.describe())
    check("cannot be downloaded" in status or "redirected" in status,
          "the failed row says %r" % status)
    check(s.app_alive(), "Haul died on the redirect")
    s.screenshot("failed")

    # And once more: the failed row is history, Haul starts fine.
    s.kill_app(signal.SIGKILL)
    s.launch()
    s.row("redirect.iso", timeout=20)
    time.sleep(1)
    check(s.app_alive(), "Haul died at the second relaunch")
    check(s.folder_listing() == [], "files were left: %r" % s.folder_listing())


def second_session(s):
    """A second Haul on another session bus says Haul is running and touches nothing."""
    data = random_bytes(10, 256 * 1024)
    s.http.add("/second/first.bin", data)
    s.http.add("/second/other.bin", data)
    s.launch(s.http.url("/second/first.bin"))
    s.wait_completed("first.bin")

    env = dict(s.env)
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    errlog = os.path.join(s.tmp, "second.log")
    with open(errlog, "w") as err_file:
        p = subprocess.Popen(["dbus-run-session", "--"]
                             + s.haul_cmd(s.http.url("/second/other.bin")),
                             env=env, stdout=subprocess.DEVNULL, stderr=err_file,
                             stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wid = wait_until(lambda: s.visible_windows_of_tree(p.pid), 20,
                         "the second Haul's window saying Haul is running")
        s.screenshot("second-session", wid=wid[0])
    finally:
        # The bus, Haul and anything they started: the whole group.
        os.killpg(p.pid, signal.SIGTERM)
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    err = open(errlog).read()
    log("second Haul: exit %s, stderr %r, window %r" % (p.returncode, err, wid))
    check("already running" in err, "the second Haul's stderr lacks the reason: %r" % err)
    check(s.http.requests("/second/other.bin") == [],
          "the second Haul downloaded: %r" % s.http.requests("/second/other.bin"))
    names = [r.name for r in s.rows()]
    check(names == ["first.bin"], "the first Haul's list changed: %r" % names)
    check(s.app_alive(), "the first Haul exited")
# ---------------------------------------------------------------- issue 11

SCENARIOS = {
    "bad-redirect": bad_redirect,
    "second-session": second_session,
    "drag-and-drop": drag_and_drop,
    "progress": progress,
    "notifications": notifications,
    "byte-identical": byte_identical,
    "command-line": command_line,
    "failure": failure,
    "close-window": close_window,
    "kill-relaunch": kill_relaunch,
    "terminate": terminate,
    "aria2-daemon": aria2_daemon,
    "rows": e2e_rows.rows,
    "quit": quit_,
    "browser": browser,
    "add-dialog": add_dialog,
    "drag-out": drag_out,
    "steer": e2e_steer.steer,
    "categories": e2e_rows.categories,
    "checksum": e2e_integrity.checksum,
    "new-address": e2e_integrity.new_address,
    "outage": e2e_outage.outage,
    "adopt": e2e_adopt.adopt,
}

if __name__ == "__main__":
    sys.exit(main(SCENARIOS))
