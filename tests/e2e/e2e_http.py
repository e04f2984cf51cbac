# e2e_http.py: the local HTTP server the end-to-end scenarios download from
#
# Copyright 2026 The Haul developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A threaded http.server on 127.0.0.1, port 0, serving known bytes per path:
# Range (bytes=N- and bytes=N-M) with If-Range against a strong ETag,
# Last-Modified, HEAD, a per-path rate limit (to keep a download running
# for a few seconds; shared by all connections to the path, as a server's
# uplink is, so several connections do not make it faster), and 404 for
# anything not registered. Every request is
# recorded so a scenario can assert what the app asked for, with the bytes
# of the body that went out.
#
# An outage (outage_begin / outage_end): the server goes away as a crashed
# or rebooted one does. Every live connection is reset (RST, also the idle
# keep-alive ones), the listening socket is closed so new connections are
# refused, and later a new server listens on the same port with the same
# resources (same bytes, ETag, Last-Modified) and the same request log.
# cut_connections() resets the live connections but keeps listening.

import email.utils
import hashlib
import http.server
import re
import socket
import struct
import threading
import time

CHUNK = 16 * 1024


class Resource:
    def __init__(self, data, content_type="application/octet-stream",
                 rate=None, disposition=None, raw=None, delay=0, cut_after=None,
                 after_cut_status=None):
        self.raw = raw      # bytes sent as they are, instead of an answer
        self.delay = delay  # seconds before answering
        self.data = data
        self.content_type = content_type
        self.rate = rate  # bytes per second, None = as fast as possible
        self.disposition = disposition
        # The connection closes once this offset of the file is reached,
        # whatever the request: a download that can never finish. Once cut,
        # every later request may get an error status instead (a server that
        # went away for good), so the download fails with what it has.
        self.cut_after = cut_after
        self.after_cut_status = after_cut_status
        self.was_cut = False
        self.etag = '"%s"' % hashlib.sha256(data).hexdigest()[:32]
        self.last_modified = email.utils.formatdate(1700000000, usegmt=True)
        self._lock = threading.Lock()
        self._next = 0.0

    def reserve(self, n):
        """When n more bytes may go out, all connections together."""
        with self._lock:
            now = time.monotonic()
            self._next = max(self._next, now) + n / self.rate
            return self._next


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "HaulE2E/1"

    def log_message(self, fmt, *args):  # keep the test output readable
        pass

    def setup(self):
        super().setup()
        with self.server.lock:
            self.server.live.add(self.connection)

    def finish(self):
        try:
            super().finish()
        except OSError:  # reset by an outage
            pass

    def _record(self):
        self.record = {
            "method": self.command,
            "path": self.path,
            "range": self.headers.get("Range"),
            "if-range": self.headers.get("If-Range"),
            "time": time.monotonic(),
            "sent": 0,  # body bytes written to the socket
        }
        with self.server.lock:
            self.server.requests.append(self.record)

    def do_HEAD(self):
        self._serve(head=True)

    def do_GET(self):
        self._serve(head=False)

    def _serve(self, head):
        self._record()
        path = self.path.split("?", 1)[0]
        res = self.server.resources.get(path)
        if res is None:
            body = b"Not Found\n"
            self.send_response(404, "Not Found")
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
            return

        if res.delay:
            self.server.stopping.wait(res.delay)
        if res.raw is not None:
            # A server that misbehaves: its bytes exactly, then the end.
            self.wfile.write(res.raw)
            self.wfile.flush()
            self.close_connection = True
            return
        if res.was_cut and res.after_cut_status:
            body = b"Gone\n"
            self.send_response(res.after_cut_status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
            return

        size = len(res.data)
        start, end = 0, size - 1
        partial = False
        rng = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if rng and (if_range is None or if_range in (res.etag, res.last_modified)):
            m = re.fullmatch(r"bytes=(\d*)-(\d*)", rng.strip())
            if m and (m.group(1) or m.group(2)):
                if m.group(1):
                    start = int(m.group(1))
                    end = int(m.group(2)) if m.group(2) else size - 1
                else:  # suffix range
                    start = max(0, size - int(m.group(2)))
                end = min(end, size - 1)
                if start >= size or start > end:
                    self.send_response(416, "Range Not Satisfiable")
                    self.send_header("Content-Range", "bytes */%d" % size)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                partial = True

        length = end - start + 1
        if partial:
            self.send_response(206, "Partial Content")
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
        else:
            self.send_response(200, "OK")
        self.send_header("Content-Type", res.content_type)
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", res.etag)
        self.send_header("Last-Modified", res.last_modified)
        if res.disposition:
            self.send_header("Content-Disposition",
                             'attachment; filename="%s"' % res.disposition)
        self.end_headers()
        if head:
            return

        pos = start
        try:
            while pos <= end and not self.server.stopping.is_set() \
                    and not self.server.cut.is_set():
                if res.cut_after is not None and pos >= res.cut_after:
                    res.was_cut = True
                    self.close_connection = True
                    return
                n = min(CHUNK, end + 1 - pos)
                if res.cut_after is not None:
                    n = min(n, res.cut_after - pos)
                self.wfile.write(res.data[pos:pos + n])
                pos += n
                self.record["sent"] += n
                if res.rate:
                    # Sleep until the path's rate is back at the limit
                    # (an outage or the end wakes it).
                    delay = res.reserve(n) - time.monotonic()
                    if delay > 0:
                        self.server.wake.wait(delay)
            self.wfile.flush()
        except OSError:  # BrokenPipeError, ConnectionResetError, an outage's reset
            self.close_connection = True
        if self.server.cut.is_set():
            self.close_connection = True


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def shutdown_request(self, request):
        if self.cut.is_set():
            # Reset, not closed: no FIN first, an RST for whatever is left.
            try:
                request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
            except OSError:
                pass
            self.close_request(request)
        else:
            super().shutdown_request(request)
        # Only now: _reset_live waits for this, with cut still set.
        with self.lock:
            self.live.discard(request)


class _Wake:
    """A sleep of a throttled body that ends early when the server stops
    or cuts its connections (within 20 ms)."""

    def __init__(self, *events):
        self._events = events

    def wait(self, timeout):
        deadline = time.monotonic() + timeout
        while not any(e.is_set() for e in self._events):
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self._events[0].wait(min(left, 0.02))
        return True


class HttpFixture:
    """Start with start(), stop with stop(); url(path) gives the full URL."""

    def __init__(self):
        self.resources = {}
        self._server = None
        self._thread = None
        self._port = 0
        self._requests = []
        self._lock = threading.Lock()
        self.outages = []  # (began, ended) monotonic seconds

    def add(self, path, data, **kw):
        self.resources[path] = Resource(data, **kw)
        return self.resources[path]

    def start(self):
        srv = _Server(("127.0.0.1", self._port), _Handler)
        srv.resources = self.resources
        srv.requests = self._requests
        srv.lock = self._lock
        srv.live = set()
        srv.stopping = threading.Event()
        srv.cut = threading.Event()
        srv.wake = _Wake(srv.stopping, srv.cut)
        self._server = srv
        self._port = srv.server_address[1]
        self._thread = threading.Thread(target=srv.serve_forever,
                                        kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()

    @property
    def port(self):
        return self._port

    def _reset_live(self, srv):
        """Resets every live connection of SRV; returns how many."""
        srv.cut.set()
        with srv.lock:
            live = list(srv.live)
        for sock in live:
            try:
                # Wakes a handler waiting for the next request on a
                # keep-alive connection; its close then resets.
                sock.shutdown(socket.SHUT_RD)
            except OSError:
                pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with srv.lock:
                if not srv.live:
                    break
            time.sleep(0.02)
        return len(live)

    def cut_connections(self):
        """Resets the live connections; new ones are served as before."""
        srv = self._server
        n = self._reset_live(srv)
        srv.cut.clear()
        return n

    def outage_begin(self):
        """The server goes away: live connections reset, new ones refused."""
        srv = self._server
        n = self._reset_live(srv)
        srv.shutdown()       # no more accepting …
        srv.server_close()   # … and nothing listens: connections are refused
        self._thread.join(timeout=5)
        self._server = None
        self.outages.append([time.monotonic(), None])
        return n

    def outage_end(self):
        """Back on the same port with the same files."""
        self.start()
        self.outages[-1][1] = time.monotonic()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def requests(self, path=None):
        with self._lock:
            return [dict(r) for r in self._requests
                    if path is None or r["path"].split("?", 1)[0] == path]

    def stop(self):
        if self._server is None:
            return
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = None
