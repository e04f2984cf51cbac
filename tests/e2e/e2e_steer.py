# e2e_steer.py: steering the queue through the rows' menus and dialogs
#
# Copyright 2026 The Haul developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The scenario "steer" of haul-e2e.py, and the helpers it shares with
# e2e_integrity.py: a row's menu, a message dialog and its answers, Undo,
# the trash, Pause Queue.

import os
import time

from e2e_harness import a_is_button, check, log, random_bytes, run, wait_until

MiB = 1024 * 1024


def plain(name):
    return (name or "").replace("_", "")


def menu_item(s, label, timeout=10):
    """An item of the open menu (row or header), by its label as read."""
    return wait_until(lambda: s.atspi_app().find(
        lambda a: a.role in ("menu item", "push button", "check menu item", "radio menu item")
        and plain(a.name) == label), timeout, "%r in the open menu" % label)


def row_menu(s, name, label):
    s.press(s.row(name).buttons()["More Actions"])
    s.press(menu_item(s, label))


def message_dialog(s, heading, timeout=10):
    """An AdwMessageDialog, found by its heading among Haul's windows."""
    def look():
        for w in s.toplevels():
            if w.find(lambda a: a.role == "label" and a_text(a) == heading):
                return w
        return None
    return wait_until(look, timeout, "a dialog saying %r" % heading)


def a_text(acc):
    try:
        return acc.text() or acc.name
    except Exception:
        return acc.name


def answer_name(acc):
    """A dialog's answer as read: GTK 4.8 names an AdwMessageDialog's
    buttons twice over ("Skip Skip")."""
    n = plain(acc.name)
    half = n[:len(n) // 2]
    return half if n == half + " " + half else n


def answers(dialog):
    return sorted(set(answer_name(b) for b in dialog.find_all(a_is_button)))


def answer(s, dialog, label):
    s.press(wait_until(lambda: dialog.find(lambda a: a_is_button(a) and answer_name(a) == label),
                       10, "the answer %r" % label))


def undo(s):
    win = s.main_window()
    button = wait_until(lambda: win.find(lambda a: a_is_button(a) and answer_name(a) == "Undo"),
                        10, "an Undo button in a toast")
    s.press(button)


def trashed(s, name):
    return os.path.join(s.env["XDG_DATA_HOME"], "Trash", "files", name)


def pause_queue(s, win):
    # F10 opens the header menu (its button is the window's primary menu).
    s.focus_window()
    run(["xdotool", "key", "F10"], timeout=10)
    menu_item(s, "Pause Queue")
    run(["xdotool", "key", "Escape"], timeout=10)
    time.sleep(0.3)
    run(["xdotool", "key", "ctrl+p"], timeout=10)
    time.sleep(0.3)


def steer(s):
    """Pause Queue from the header menu holds everything in its order;
    Move Up and Start Now from a row's menu; an address added twice asks;
    Delete File goes to the trash and Undo brings it back; removing a
    running download is undone by Undo. All through AT-SPI."""
    files = {n: random_bytes(20 + i, 768 * 1024) for i, n in
             enumerate(("alpha.bin", "beta.bin", "gamma.bin"))}
    for n, data in files.items():
        s.http.add("/steer/" + n, data, rate=512 * 1024)
    s.launch()
    win = s.main_window()

    # Pause Queue (in the header menu; GTK 4.8 gives a check item no
    # AT-SPI action, so its shortcut, Ctrl+P), then add three: they wait,
    # in the order added.
    pause_queue(s, win)
    p, _ = s.run_haul(*[s.http.url("/steer/" + n) for n in files])
    check(p.returncode == 0, "`haul URLS` failed: %r" % p.stderr)
    wait_until(lambda: len(s.rows()) == 3, 10, "three rows")
    time.sleep(1.0)
    statuses = [(r.name, r.status()) for r in s.rows()]
    log("held: %r" % statuses)
    check(all(st.startswith("Queued") for _n, st in statuses),
          "with the queue paused the rows say %r" % statuses)
    check(not os.path.exists(s.path_of("alpha.bin")), "alpha.bin was written while held")

    # gamma up twice: first in the list.
    row_menu(s, "gamma.bin", "Move Up")
    wait_until(lambda: [r.name for r in s.rows()][1] == "gamma.bin", 10, "gamma.bin second")
    row_menu(s, "gamma.bin", "Move Up")
    wait_until(lambda: [r.name for r in s.rows()] == ["gamma.bin", "alpha.bin", "beta.bin"], 10,
               "the order gamma, alpha, beta")
    s.screenshot("held")

    # Start Now runs beta alone while the rest waits.
    row_menu(s, "beta.bin", "Start Now")
    s.wait_completed("beta.bin", timeout=20)
    s.assert_file("beta.bin", files["beta.bin"])
    check(s.row("alpha.bin").status().startswith("Queued"), "alpha.bin did not wait")

    # Go on: everything completes.
    pause_queue(s, win)
    for n in ("gamma.bin", "alpha.bin"):
        s.wait_completed(n, timeout=30)
        s.assert_file(n, files[n])

    # The same address again: asked; Skip adds nothing, Download Again adds.
    s.run_haul(s.http.url("/steer/alpha.bin"))
    dialog = message_dialog(s, "Already Downloaded")
    check(answers(dialog) == ["Download Again", "Open File", "Skip"],
          "the question offers %r" % answers(dialog))
    s.screenshot("duplicate", root=True)
    answer(s, dialog, "Skip")
    time.sleep(0.5)
    check(len(s.rows()) == 3, "Skip added a row: %r" % s.rows_described())
    s.run_haul(s.http.url("/steer/alpha.bin"))
    answer(s, message_dialog(s, "Already Downloaded"), "Download Again")
    wait_until(lambda: len(s.rows()) == 4, 10, "a second alpha row")

    # Delete File: asked, to the trash, the row stays; Undo puts it back.
    row_menu(s, "gamma.bin", "Delete File…")
    dialog = message_dialog(s, "Delete File?")
    s.screenshot("delete-file", root=True)
    check(answers(dialog) == ["Cancel", "Delete"], "Delete File? offers %r" % answers(dialog))
    answer(s, dialog, "Delete")
    wait_until(lambda: not os.path.exists(s.path_of("gamma.bin")), 10, "gamma.bin to go")
    check(os.path.isfile(trashed(s, "gamma.bin")), "gamma.bin is not in the trash")
    wait_until(lambda: s.row("gamma.bin").status() == "File missing", 10,
               "the row to say the file is missing")
    s.screenshot("deleted")
    undo(s)
    wait_until(lambda: os.path.isfile(s.path_of("gamma.bin")), 10, "gamma.bin to come back")
    s.assert_file("gamma.bin", files["gamma.bin"])

    # Remove a running one; Undo brings it back and it finishes.
    s.http.add("/steer/slow.bin", random_bytes(30, 3 * MiB), rate=256 * 1024)
    s.run_haul(s.http.url("/steer/slow.bin"))
    wait_until(lambda: (s.row("slow.bin").progress() or 0) >= 3, 20, "slow.bin under way")
    row_menu(s, "slow.bin", "Remove from List")
    wait_until(lambda: "slow.bin" not in [r.name for r in s.rows()], 10, "slow.bin to go")
    undo(s)
    s.wait_completed("slow.bin", timeout=40)
    log("warnings: %r" % s.app_warnings())

# ---------------------------------------------------------------- issue 10
