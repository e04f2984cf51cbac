# e2e_integrity.py: a checksum typed in the dialog, and a refreshed address
#
# Copyright 2026 The Haul developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The scenarios "checksum" and "new-address" of haul-e2e.py.

from e2e_harness import check, log, random_bytes, sha256, wait_until
from e2e_steer import answer

MiB = 1024 * 1024


def add_with_checksum(s, url, checksum):
    """Ctrl+N with URL on the clipboard, CHECKSUM in the dialog's field, Download."""
    s.own_clipboard(url)
    s.key("ctrl+n")
    dialog = s.window_named("Add Downloads", timeout=10)
    links = wait_until(lambda: dialog.find(lambda a: a.name == "Links"), 10, "the \"Links\" field")
    wait_until(lambda: links.text() == url, 10,
               "the field filled from the clipboard (holds %r)" % links.text())
    field = wait_until(lambda: dialog.find(lambda a: a.role == "text"
                                           and "Checksum" in (a.name or "")), 10,
                       "the \"Checksum\" field of the dialog")
    check(field.set_text(checksum), "EditableText.SetTextContents on \"Checksum\" was refused")
    wait_until(lambda: field.text() == checksum, 5, "the \"Checksum\" field to hold it")
    return dialog


def checksum(s):
    """A SHA-256 pasted in the Add dialog: "SHA-256 verified" in the row and the
    notification; a wrong one: "Download failed", and no file under the final name."""
    good = random_bytes(40, 600 * 1024)
    bad = random_bytes(41, 500 * 1024)
    s.http.add("/sum/checked.iso", good)
    s.http.add("/sum/tampered.iso", bad)

    s.launch()
    s.main_window()
    dialog = add_with_checksum(s, s.http.url("/sum/checked.iso"), "sha-256=" + sha256(good))
    s.screenshot("dialog", root=True)
    s.press(s.button(dialog, "Download"))
    wait_until(lambda: "Add Downloads" not in [w.name for w in s.toplevels()], 10,
               "the dialog to close after \"Download\"")
    s.wait_completed("checked.iso")
    s.assert_file("checked.iso", good)
    row = wait_until(lambda: (lambda r: r if any("SHA-256 verified" in t for t in r.texts())
                              else None)(s.row("checked.iso")), 10,
                     "the row to say \"SHA-256 verified\" (it says %r)"
                     % s.row("checked.iso").texts())
    log("row: %r" % row.texts())
    n = s.wait_notification(lambda n: n["summary"] == "Download complete"
                            and "checked.iso" in n["body"], 15,
                            "a \"Download complete\" notification for checked.iso")
    log("notification %r / %r" % (n["summary"], n["body"]))
    check("SHA-256 verified" in n["body"],
          "the notification body %r does not say \"SHA-256 verified\"" % n["body"])
    s.screenshot("verified")

    # Another file's checksum: the download fails, the file keeps its partial name.
    dialog = add_with_checksum(s, s.http.url("/sum/tampered.iso"), sha256(good))
    s.press(s.button(dialog, "Download"))
    n = s.wait_notification(lambda n: n["summary"] == "Download failed"
                            and "tampered.iso" in n["body"], 30,
                            "a \"Download failed\" notification for tampered.iso")
    log("notification %r / %r" % (n["summary"], n["body"]))
    check("checksum" in n["body"], "the failure notification %r does not say why" % n["body"])
    listing = s.folder_listing()
    log("folder: %r" % listing)
    check("tampered.iso" not in listing,
          "the file that does not match got its final name: %r" % listing)
    check(any(f.startswith("tampered.iso") and f.endswith(".part") for f in listing),
          "the partial file of the mismatch is not kept: %r" % listing)
    s.screenshot("mismatch")


def new_address(s):
    """A link that expired part-way: its new link dropped onto the failed row
    opens that row's Change Address, filled in; Change goes on from the bytes."""
    data = random_bytes(42, 2 * MiB)
    # Cut at 700 KiB, then 403 for good: a signed link that expired.
    s.http.add("/exp/expiring.iso", data, cut_after=700 * 1024, after_cut_status=403)
    s.http.add("/exp/renewed.iso", data)
    new_url = s.http.url("/exp/renewed.iso")

    s.launch(s.http.url("/exp/expiring.iso"))

    def failed():
        r = next((r for r in s.rows() if r.name == "expiring.iso"), None)
        return r if r is not None and r.status().startswith("Failed") else None
    row = wait_until(failed, 40, "expiring.iso to fail with what it has")
    log("failed row: %r" % row.texts())

    # The only row is under the header and filter bars, at the top.
    s.drag("uri-list", new_url, at=(0.3, 0.2), hover_shot="new-address-hover")
    dialog = s.window_named("Change Address", timeout=10)
    entry = wait_until(lambda: dialog.find(lambda a: a.role == "text"), 10,
                       "the address field of \"Change Address\"")
    check(entry.text() == new_url, "the dialog holds %r, not the dropped link %r"
          % (entry.text(), new_url))
    check(len(s.rows()) == 1, "the drop also added a row: %r" % [r.name for r in s.rows()])
    s.screenshot("new-address", root=True)
    answer(s, dialog, "Change")
    s.wait_completed("expiring.iso")
    s.assert_file("expiring.iso", data)
    ranges = [r["range"] for r in s.http.requests("/exp/renewed.iso")]
    log("requests to the new address: ranges %r" % ranges)
    check(any(r and not r.startswith("bytes=0-") for r in ranges),
          "the new address was not asked for the rest (ranges %r)" % ranges)
