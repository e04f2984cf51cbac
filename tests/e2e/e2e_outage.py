# e2e_outage.py: the server goes away for 30 s in the middle of three downloads
#
# Copyright 2026 The Haul developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Issue 10's proof: three downloads dropped on the window, throttled so
# they are in the middle when the server goes away as a crashed or
# rebooted one does (e2e_http.HttpFixture.outage_begin: every live
# connection reset, nothing listening on the port, so new connections are
# refused). After OUTAGE_S it is back on the same port with the same files
# (same ETag and Last-Modified). No click is made after the drop.
#
# Asserted: during the outage every row says it is retrying ("Retrying in
# 4 s") and none fails; after it each download goes on within the bound
# haul-retry.c's schedule gives (worst_retry_wait), and all within WAKE_S
# of the first (the first try that finds the server back sends the
# others), their rows moving again ("1.1 MB of 4.2 MB · 325 kB/s"),
# asking only for the ranges they miss, never from zero; all three end
# byte-exact. Then a second outage of SHORT_OUTAGE_S: each goes on within
# what the schedule's first waits allow, as a try that got further than
# any before starts the backoff again.

import random
import time

from e2e_harness import log, sha256, wait_until

KiB = 1024
MiB = 1024 * KiB

OUTAGE_S = 30
SHORT_OUTAGE_S = 3
SIZE = 4 * MiB
RATE = 320 * KiB  # per file, for all its connections together: ~13 s each

# haul-retry.c: try k waits 2^(k-1) s (at most 5 min) ±20 % after the one
# before; HAUL_RETRY_MAX_TRIES tries after the first failure.
FIRST_DELAY_S = 1.0
MAX_DELAY_S = 300.0
JITTER = 0.2
MAX_TRIES = 10
# What a failed try itself costs (a refused connection is answered at
# once; a download's several connections each try up to three times).
TRY_COST_S = 0.5
# A try that gets an answer sends the others waiting on that server at
# once: the next progress flush (100 ms) and a connection later.
WAKE_S = 2.0


def retry_delay_range(attempt):
    base = min(FIRST_DELAY_S * 2 ** (attempt - 1), MAX_DELAY_S)
    return base * (1 - JITTER), base * (1 + JITTER)


def worst_retry_wait(outage):
    """The longest a download can wait, once the server is back after an
    outage of OUTAGE seconds, before Haul's next try: the latest try that
    can still fall inside the outage, followed by the longest next wait.
    Also asserts that the tries outlast the outage (none fails in it)."""
    lo = hi = 0.0  # earliest and latest time of try k - 1
    worst = 0.0
    for k in range(1, MAX_TRIES + 1):
        if lo >= outage:
            break
        d_lo, d_hi = retry_delay_range(k)
        worst = max(worst, min(hi, outage) + d_hi - outage)
        lo += d_lo
        hi += d_hi + TRY_COST_S
    else:
        raise AssertionError("%d tries can be used up within an outage of %d s"
                             % (MAX_TRIES, outage))
    return worst


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def first_request_after(s, path, t):
    return next((r for r in s.http.requests(path) if r["time"] >= t), None)


def watch_rows(s, names, seconds, seen):
    """Reads every row through AT-SPI for SECONDS; records each status in
    SEEN[name] and fails at once if one says it failed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        s.check_alive()
        for row in s._rows_quiet():
            if row.name not in names:
                continue
            try:
                texts = row.texts()
                buttons = row.buttons()
            except Exception:  # noqa: BLE001 - a row redrawn while read
                continue
            status = texts[-1] if texts else ""
            if not seen[row.name] or seen[row.name][-1] != status:
                seen[row.name].append(status)
            check(not any(t.startswith("Failed") for t in texts) and "Retry" not in buttons,
                  "%s failed during the outage: %r, buttons %r"
                  % (row.name, texts, sorted(buttons)))
        time.sleep(0.3)


def outage(s):
    """A 30 s outage of the server in the middle of three downloads."""
    rng = random.Random(30)
    files = {"outage-%s.iso" % n: rng.randbytes(SIZE) for n in ("alpha", "beta", "gamma")}
    paths = {name: "/outage/" + name for name in files}
    for name, data in files.items():
        s.http.add(paths[name], data, rate=RATE)
    wait_bound = worst_retry_wait(OUTAGE_S)
    log("haul-retry.c's schedule: after a %d s outage the next try comes at most %.1f s "
        "after the server is back" % (OUTAGE_S, wait_bound))

    s.launch()
    s.drag("uri-list", *[s.http.url(p) for p in paths.values()])
    dialog = s.window_named("Add Downloads")
    s.press(s.button(dialog, "Download"))
    wait_until(lambda: "Add Downloads" not in [w.name for w in s.toplevels()], 10,
               "the dialog to close after \"Download\"")
    rows = {name: s.row(name) for name in files}

    def in_the_middle():
        values = {n: r.progress() for n, r in rows.items()}
        return values if all(v is not None and 15 <= v < 60 for v in values.values()) else None
    progress = wait_until(in_the_middle, 30, "all three downloads a sixth done")
    log("in the middle: %r" % progress)

    # The server goes away.
    n = s.http.outage_begin()
    began = time.monotonic()
    sent_before = {name: sum(r["sent"] for r in s.http.requests(p)) for name, p in paths.items()}
    log("outage: %d connections reset, the port closed; the server had sent %r"
        % (n, sent_before))
    seen = {name: [] for name in files}
    watch_rows(s, files, OUTAGE_S / 2, seen)
    s.screenshot("retrying")
    watch_rows(s, files, OUTAGE_S - (time.monotonic() - began), seen)
    for name, statuses in seen.items():
        log("%s during the outage: %s" % (name, " | ".join(statuses)))
        check(any(st.startswith("Retrying in") for st in statuses),
              "%s never said it was retrying during the outage: %r" % (name, statuses))
    failed = [x for x in s.notifications() if x["summary"] == "Download failed"]
    check(not failed, "a download failed during the outage: %r" % failed)

    # Back, on the same port with the same files.
    s.http.outage_end()
    back = time.monotonic()
    log("the server is back after %.1f s" % (back - began))

    def all_resumed():
        got = {name: first_request_after(s, p, back) for name, p in paths.items()}
        return got if all(got.values()) else None
    resumed = wait_until(all_resumed, wait_bound + 5, "every download to ask the server again")
    waits = {name: r["time"] - back for name, r in resumed.items()}
    for name, w in sorted(waits.items(), key=lambda kv: kv[1]):
        log("%s asked again %.1f s after the server was back (%s)"
            % (name, w, resumed[name]["range"]))
    check(max(waits.values()) <= wait_bound + TRY_COST_S,
          "a download waited %.1f s after the server was back, the schedule allows %.1f s"
          % (max(waits.values()), wait_bound))
    # The first try that finds the server back sends the others at once,
    # whatever their own backoff says (rule 5 of haul-builtin-engine-waits.c).
    check(max(waits.values()) - min(waits.values()) <= WAKE_S,
          "the downloads went on %.1f s apart: the first that found the server back did not "
          "send the others" % (max(waits.values()) - min(waits.values())))

    # And a person sees them moving again: "1.2 MB of 4.2 MB · 320 kB/s".
    def all_moving():
        out = {}
        for row in s._rows_quiet():
            status = row.status() if row.name in files else ""
            if status.startswith("Completed") or status.endswith("/s"):
                out[row.name] = status
        return out if len(out) == len(files) else None
    moving = wait_until(all_moving, 5, "every row to say it is downloading again")
    log("rows: %s" % " | ".join("%s: %s" % kv for kv in sorted(moving.items())))

    # A second, short outage while they run: the backoff starts again from
    # its first wait (each got further than ever before), it is not
    # carried on from the long one (there the next wait was 32 s or more).
    def moving_again():
        return all(sum(r["sent"] for r in s.http.requests(p) if r["time"] >= back) >= 256 * KiB
                   for p in paths.values())
    wait_until(moving_again, 20, "each download 256 KiB further after the outage")
    running = [name for name, p in paths.items()
               if sum(r["sent"] for r in s.http.requests(p)) < SIZE - 1 * MiB]
    check(running, "every download was (nearly) done before the second outage")
    n = s.http.outage_begin()
    time.sleep(SHORT_OUTAGE_S)
    s.http.outage_end()
    back2 = time.monotonic()
    short_bound = worst_retry_wait(SHORT_OUTAGE_S)
    log("a second outage of %d s (%d connections reset); running: %s; the schedule allows "
        "%.1f s after it" % (SHORT_OUTAGE_S, n, ", ".join(running), short_bound))
    again = wait_until(
        lambda: (lambda got: got if all(got.values()) else None)(
            {name: first_request_after(s, paths[name], back2) for name in running}),
        short_bound + 10, "every running download to go on after the second outage")
    # The rest faster, so that the scenario stays short.
    for name in files:
        s.http.resources[paths[name]].rate = 4 * RATE
    for name, r in again.items():
        w = r["time"] - back2
        log("%s asked again %.1f s after the second outage (%s)" % (name, w, r["range"]))
        check(w <= short_bound + TRY_COST_S,
              "%s waited %.1f s after a %d s outage that followed the long one (the schedule "
              "allows %.1f s): the long one's backoff was carried on"
              % (name, w, SHORT_OUTAGE_S, short_bound))

    # All three finish, without a click, byte-exact.
    finish_bound = wait_bound + SIZE / RATE + SHORT_OUTAGE_S + short_bound + 15
    for name in files:
        left = finish_bound - (time.monotonic() - back)
        s.wait_completed(name, timeout=max(left, 1))
    done = time.monotonic() - back
    log("all three completed %.1f s after the server was back" % done)
    for name, data in files.items():
        s.assert_file(name, data)
    check(sorted(s.folder_listing()) == sorted(files),
          "the download folder holds %r" % s.folder_listing())
    failed = [x for x in s.notifications() if x["summary"] == "Download failed"]
    check(not failed, "a download failed: %r" % failed)

    # Only the missing ranges were asked for, never from zero again.
    for name, p in paths.items():
        after = [r for r in s.http.requests(p) if r["time"] >= back and r["method"] == "GET"]
        ranges = [r["range"] for r in after]
        sent_after = sum(r["sent"] for r in after)
        log("%s after the outage: %d requests %r, %d bytes sent (%d before it)"
            % (name, len(after), ranges, sent_after, sent_before[name]))
        check(after and all(ranges), "%s: a request after the outage asked for the whole file"
              % name)
        check(not any(r.startswith("bytes=0-") for r in ranges),
              "%s was asked for from zero after the outage: %r" % (name, ranges))
        check(all(r["if-range"] for r in after),
              "%s: a request after the outage had no If-Range" % name)
        # What was sent and lost in flight at a reset is asked for again;
        # nothing more.
        check(sent_before[name] + sent_after <= SIZE + 1 * MiB,
              "%s: %d + %d bytes sent for a %d-byte file" % (name, sent_before[name],
                                                             sent_after, SIZE))
    log("sha256 %s" % ", ".join(sha256(d)[:12] for d in files.values()))
    s.screenshot("completed")
