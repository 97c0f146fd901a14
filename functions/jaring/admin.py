"""admin_api's router: complaints and whistleblowing reports go to jaring.cases.http, tickets and
follow-ups to jaring.tickets.http. Answers are (HTTP status, JSON body).
"""
from __future__ import annotations

from typing import Any

from jaring.app import Jaring
from jaring.cases import http as cases_http
from jaring.identity import Identity
from jaring.tickets import http as tickets_http

Answer = tuple[int, dict[str, Any]]


def handle(app: Jaring, identity: Identity, method: str, path: str, body: dict[str, Any],
           query: dict[str, str]) -> Answer:
    path = "/" + path.strip("/")
    if cases_http.handles(path):
        return cases_http.handle(app, identity, method, path, body, query)
    return tickets_http.handle(app, identity, method, path, body, query)
