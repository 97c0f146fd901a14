"""The local stack's sign-in for the reports: open them in a normal browser as one of the seeded staff.

Deployed, the `reports` function wants a Google ID token. Locally there is no Google: this small server
(started by `make run` only; nothing deploys it) shows the office file's staff who may sign in, remembers the
one picked in a cookie, and forwards every other request to the `reports` function with that person as
`X-Jaring-Dev-Identity`, which the function accepts only next to the emulator (JARING_DEV_IDENTITY_ALLOWED=1
and FIRESTORE_EMULATOR_HOST; in the cloud it answers 401).
"""
from __future__ import annotations

import html
import threading
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, unquote, urlparse

import requests

COOKIE = "jaring_local_staff"
ROLE_WORDS = {"officer": "petugas", "unit_head": "kepala unit", "office_head": "kepala kantor",
              "inspectorate": "inspektorat", "admin": "admin"}


def people(config: Any) -> list[tuple[str, str]]:
    """(identity, label) of everyone in the office file who signs in, in the file's order."""
    from jaring.identity import ROLES

    return [(f"{s.email}|{s.role}|{config.office}|{s.unit}",
             f"{s.name} — {ROLE_WORDS.get(s.role, s.role)}{' ' + s.unit if s.unit else ''}")
            for s in config.staff if s.email and s.role in ROLES]


def page(choices: list[tuple[str, str]], current: str) -> bytes:
    rows = "".join(f'<li><a href="/_signin/as/{quote(identity, safe="")}">{html.escape(label)}</a></li>'
                   for identity, label in choices)
    now = f"<p>Masuk sebagai: <strong>{html.escape(current.split('|')[0])}</strong></p>" if current else ""
    return (f'<!doctype html><html lang="id"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
            f"<title>Masuk (lokal)</title></head><body style=\"font-family:system-ui,sans-serif;max-width:40rem;"
            f"margin:2rem auto\"><h1>Laporan Jaring — masuk lokal</h1>"
            f"<p>Hanya untuk <code>make run</code>: pilih petugas dari berkas kantor. Di cloud, laporan meminta "
            f"akun Google.</p>{now}<ul>{rows}</ul></body></html>").encode()


class LocalSignIn:
    """Runs the sign-in page and the forwarding to `reports_url` on 127.0.0.1:port in a background thread."""

    def __init__(self, reports_url: str, choices: list[tuple[str, str]], port: int = 0):
        self.reports_url, self.choices = reports_url.rstrip("/"), choices
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        from jaring.identity import DEV_HEADER

        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in {"Content-Type": content_type, "Content-Length": str(len(body)), **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                url = urlparse(self.path)
                cookie = SimpleCookie(self.headers.get("Cookie", ""))
                current = unquote(cookie[COOKIE].value) if COOKIE in cookie else ""
                if url.path == "/favicon.ico":
                    self._answer(204, b"", "image/x-icon", {})
                elif url.path.startswith("/_signin/as/"):
                    identity = unquote(url.path[len("/_signin/as/"):])
                    if identity not in dict(outer.choices):
                        self._answer(404, b"unknown staff member", "text/plain", {})
                        return
                    self._answer(303, b"", "text/plain", {"Location": "/",
                                                          "Set-Cookie": f"{COOKIE}={quote(identity, safe='')}; "
                                                                        "Path=/; HttpOnly; SameSite=Strict"})
                elif url.path == "/_signin" or not current:
                    self._answer(200, page(outer.choices, current), "text/html; charset=utf-8", {})
                else:
                    answer = requests.get(outer.reports_url + self.path, headers={DEV_HEADER: current}, timeout=60)
                    self._answer(answer.status_code, answer.content,
                                 answer.headers.get("Content-Type", "text/plain"),
                                 {k: v for k, v in answer.headers.items() if k == "Content-Disposition"})

        return Handler
