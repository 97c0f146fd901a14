"""Firestore adapter for survey responses and the report aggregates they feed.

Each response is one document (id derived from its source_id, so a redelivered form answer or a
re-imported paper sheet is refused). Reports never read responses: every response also increments
two aggregates of its unit, one for its WIB day and one for its month, each holding a cell per
(service, channel) with the count, Σ per unsur, blanks per unsur, profile and nudge counts. A quarter's report then
reads units × 3 month documents (plus day documents for the edges of a custom period or a month's
daily trend), however many responses there are.

Write rate: an aggregate document takes the responses of one unit in one day or month, a few per
minute at a busy counter, well inside Firestore's ~1 sustained write/s per document; an import
increments each document once per batch. So the documents are not sharded.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Iterator

from google.api_core import exceptions as gexc
from google.cloud import firestore

from jaring.clock import WIB
from jaring.messaging import outbox
from jaring.messaging.store import guarded
from jaring.survey.responses import UNSUR, Response

RESPONSES = "responses"
REPORT_DAYS = "report_days"
REPORT_MONTHS = "report_months"
INVITATIONS = "invitations"  # written by the tickets' store and the sweep; erasure closes a citizen's open ones


def response_id(office: str, source_id: str) -> str:
    return "s" + outbox.key(office, source_id)


def day_of(response: Response) -> str:
    """The office-local (WIB) calendar day a response counts for."""
    return response.submitted_at.astimezone(WIB).date().isoformat()


def aggregate_id(office: str, unit: str, when: str) -> str:
    """when: a day 2026-01-31 (report_days) or a month 2026-01 (report_months)."""
    return "a" + outbox.key(office, unit, when)


def cell_key(service: str, channel: str) -> str:
    # Service names are free text; the key stays a safe field name and the names are stored inside.
    return "c" + outbox.key(service, channel)[:16]


def increments(response: Response) -> dict[str, Any]:
    """What one response adds to its cell, as plain numbers (an import sums many first)."""
    added: dict[str, Any] = {"responses": 1, "sums": {u: v for u, v in response.answers.items()},
                             "suggestions": 1 if response.suggestion else 0}
    blanks = {u: 1 for u in UNSUR if u not in response.answers}
    if blanks:  # an empty map would replace the stored one in a merge
        added["blanks"] = blanks
    if response.profile:
        added["profile"] = {k: {v: 1} for k, v in response.profile.items()}
    if response.nudges_before_answer is not None:
        added["nudges"] = {str(response.nudges_before_answer): 1}
    return added


def _as_increments(numbers: dict[str, Any]) -> dict[str, Any]:
    return {k: _as_increments(v) if isinstance(v, dict) else firestore.Increment(v) for k, v in numbers.items()}


def _targets(db: firestore.Client, response: Response) -> list[tuple[Any, dict[str, Any], str]]:
    """(aggregate document, its identifying fields, the cell) that a response counts in."""
    day = day_of(response)
    return [(db.collection(collection).document(aggregate_id(response.office, response.unit, when)),
             {"office": response.office, "unit": response.unit, field: when},
             cell_key(response.service, response.channel))
            for collection, field, when in ((REPORT_DAYS, "day", day), (REPORT_MONTHS, "month", day[:7]))]


def _cell(response: Response, numbers: dict[str, Any]) -> dict[str, Any]:
    return {"service": response.service, "channel": response.channel, **_as_increments(numbers)}


def rows(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """An aggregate document as report rows: one per (service, channel) cell, dated by its first day."""
    day = doc.get("day") or doc["month"] + "-01"
    for cell in (doc.get("cells") or {}).values():
        yield {"office": doc["office"], "unit": doc["unit"], "day": day, **cell}


def _response_doc(response: Response) -> dict[str, Any]:
    doc = dataclasses.asdict(response)
    doc["answers"], doc["profile"], doc["day"] = dict(response.answers), dict(response.profile), day_of(response)
    return doc


def stage(tx: firestore.Transaction, db: firestore.Client, response: Response) -> None:
    """Only writes, so callers compose it after their own reads; a duplicate source_id fails the commit
    with AlreadyExists and nothing of the transaction is written."""
    tx.create(db.collection(RESPONSES).document(response_id(response.office, response.source_id)),
              _response_doc(response))
    for ref, head, cell in _targets(db, response):
        tx.set(ref, {**head, "cells": {cell: _cell(response, increments(response))}}, merge=True)


def add(db: firestore.Client, response: Response) -> bool:
    """Store one response and count it in the reports; False when its source_id was stored before."""

    @firestore.transactional
    def run(tx: firestore.Transaction) -> None:
        stage(tx, db, response)

    try:
        guarded(run, db.transaction())
    except gexc.AlreadyExists:
        return False
    return True


def _merge(into: dict[str, Any], numbers: dict[str, Any]) -> None:
    for k, v in numbers.items():
        if isinstance(v, dict):
            _merge(into.setdefault(k, {}), v)
        else:
            into[k] = into.get(k, 0) + v


def add_many(db: firestore.Client, responses: list[Response], chunk: int = 150) -> tuple[int, int]:
    """Store an imported stack of responses; (added, already stored before).

    A paper survey arrives hundreds at a time on the same day and unit, so each chunk is one batch
    that writes each aggregate document once with the chunk's sums (at most 3 × chunk writes,
    inside Firestore's 500 per batch).
    """
    added = 0
    for start in range(0, len(responses), chunk):
        part = responses[start:start + chunk]
        refs = [db.collection(RESPONSES).document(response_id(r.office, r.source_id)) for r in part]
        existing = {s.reference.path for s in guarded(db.get_all, refs) if s.exists}
        batch, plans = db.batch(), {}
        for ref, response in zip(refs, part):
            if ref.path in existing:
                continue
            existing.add(ref.path)
            batch.create(ref, _response_doc(response))
            added += 1
            for agg, head, cell in _targets(db, response):
                plan = plans.setdefault(agg.path, (agg, head, {}))
                _, numbers = plan[2].setdefault(cell, (response, {}))
                _merge(numbers, increments(response))
        for agg, head, cells in plans.values():
            batch.set(agg, {**head, "cells": {c: _cell(r, numbers) for c, (r, numbers) in cells.items()}}, merge=True)
        if plans:
            guarded(batch.commit)
    return added, len(responses) - added


class ResponseStore:
    """The survey's answers on one Firestore client: the app's adapter (Jaring.response_store)."""

    def __init__(self, db: firestore.Client):
        self.db = db

    def add(self, response: Response) -> bool:
        return add(self.db, response)

    def add_many(self, responses: list[Response], chunk: int = 150) -> tuple[int, int]:
        return add_many(self.db, responses, chunk)
