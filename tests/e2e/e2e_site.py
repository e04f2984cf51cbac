# e2e_site.py: a small web site that needs its cookie, for the browser scenarios
#
# Copyright 2026 The Haul developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A threaded http.server on 127.0.0.1, port 0:
#   /                     a page with two links; it sets the session cookie
#                         (HttpOnly, so only the browser's cookie store has
#                         it, never the page's script) and focuses the
#                         protected link, so the keyboard can open its menu
#   /files/public.txt     served to anybody
#   /selection            a paragraph with two links (one twice), a typed
#                         address and a mailto: link, for "every link in
#                         the selection"; /files/week-N.txt served to anybody
#   /files/protected.bin  served only with the session cookie, else 403
#   /files/report.bin     served to anybody as an attachment: the browser
#                         downloads it when the link is followed
#   /files/moved.bin      a redirect to http://localhost:PORT/files/catalogue.pdf:
#                         another site, which must never see the cookie
# Every request is recorded with its Cookie, Referer and User-Agent.

import http.server
import secrets
import threading

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Haul e2e shop</title>
<style>body { font: 20px sans-serif; margin: 40px; } a { display: block; margin: 24px 0; }</style>
</head><body>
<h1>Your downloads</h1>
<a id="public" href="/files/public.txt">The public price list</a>
<a id="protected" href="/files/protected.bin">Your invoice (needs your session)</a>
<a id="moved" href="/files/moved.bin">The catalogue (moved to another site)</a>
<a id="report" href="/files/report.bin">This year's report (a download)</a>
<script>document.getElementById("%s").focus();</script>
</body></html>
"""


SELECTION_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Haul e2e shop</title>
<style>body { font: 20px sans-serif; margin: 40px; }</style></head><body>
<p>This week's files: <a href="/files/week-1.txt">the first</a>,
<a href="/files/week-2.txt">the second</a> (<a href="/files/week-2.txt#again">again</a>),
and the third is at http://127.0.0.1:%d/files/week-3.txt.
Questions? <a href="mailto:shop@example.com">Write to us</a>.</p>
</body></html>
"""


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "HaulE2ESite/1"

    def log_message(self, fmt, *args):
        pass

    def _send(self, status, reason, body, content_type, extra=()):
        self.send_response(status, reason)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        site = self.server.site
        path = self.path.split("?", 1)[0]
        with site.lock:
            site.requests.append({
                "method": self.command,
                "host": self.headers.get("Host"),
                "path": path,
                "cookie": self.headers.get("Cookie"),
                "referer": self.headers.get("Referer"),
                "user-agent": self.headers.get("User-Agent"),
                "range": self.headers.get("Range"),
            })
        if path == "/":
            body = (PAGE % site.focus).encode("utf-8")
            self._send(200, "OK", body, "text/html; charset=utf-8",
                       [("Set-Cookie", "%s=%s; Path=/; HttpOnly; SameSite=Lax"
                         % (site.cookie_name, site.cookie_value)),
                        ("Cache-Control", "no-store")])
        elif path == "/selection":
            self._send(200, "OK", (SELECTION_PAGE % site.port).encode("utf-8"),
                       "text/html; charset=utf-8")
        elif path in site.week:
            self._send(200, "OK", site.week[path], "text/plain")
        elif path == "/files/public.txt":
            self._send(200, "OK", site.public, "text/plain")
        elif path == "/files/protected.bin":
            if site.has_session(self.headers.get("Cookie")):
                self._send(200, "OK", site.protected, "application/octet-stream",
                           [("Content-Disposition", 'attachment; filename="invoice.bin"')])
            else:
                self._send(403, "Forbidden", b"Sign in first\n", "text/plain")
        elif path == "/files/report.bin":
            self._send(200, "OK", site.report, "application/octet-stream",
                       [("Content-Disposition", 'attachment; filename="report.bin"')])
        elif path == "/files/moved.bin":
            self._send(302, "Found", b"", "text/plain",
                       [("Location", "http://localhost:%d/files/catalogue.pdf" % site.port)])
        elif path == "/files/catalogue.pdf":
            self._send(200, "OK", site.moved, "application/pdf")
        elif path == "/favicon.ico":
            self._send(404, "Not Found", b"", "text/plain")
        else:
            self._send(404, "Not Found", b"Not Found\n", "text/plain")


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class CookieSite:
    def __init__(self, public, protected, moved, focus="protected"):
        self.public = public
        self.protected = protected
        self.moved = moved
        self.report = b"report " * 20000
        self.week = {"/files/week-%d.txt" % i: ("week %d\n" % i).encode() * (500 * i)
                     for i in (1, 2, 3)}
        self.focus = focus
        self.cookie_name = "haul_e2e_session"
        self.cookie_value = secrets.token_hex(16)
        self.requests = []
        self.lock = threading.Lock()
        self._server = None
        self._thread = None

    def has_session(self, header):
        pairs = [p.strip().split("=", 1) for p in (header or "").split(";") if "=" in p]
        return any(k == self.cookie_name and v == self.cookie_value for k, v in pairs)

    def start(self):
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.site = self
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    @property
    def port(self):
        return self._server.server_address[1]

    def url(self, path="/"):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def requests_for(self, path):
        with self.lock:
            return [r for r in self.requests if r["path"] == path]

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None
