"""admin_api's router: complaints and whistleblowing reports go to jaring.cases.http, tickets and
follow-ups to jaring.tickets.http. Answers are (HTTP status, JSON body).

Each feature's routes are imported by the first request for them: a fresh instance answering a ticket request
does not load complaints and WBS, nor the other way round (cold start, docs/BENCHMARKS.md).
"""
from __future__ import annotations

from typing import Any

from jaring.app import Jaring
from jaring.identity import Identity

Answer = tuple[int, dict[str, Any]]
CASES = ("/complaints", "/wbs")  # jaring.cases.http's routes and everything under them


def handle(app: Jaring, identity: Identity, method: str, path: str, body: dict[str, Any],
           query: dict[str, str]) -> Answer:
    path = "/" + path.strip("/")
    if any(path == route or path.startswith(route + "/") for route in CASES):
        from jaring.cases import http as cases_http

        return cases_http.handle(app, identity, method, path, body, query)
    from jaring.tickets import http as tickets_http

    return tickets_http.handle(app, identity, method, path, body, query)
