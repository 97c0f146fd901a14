"""Firestore adapter for survey responses and the report aggregates they feed.

Each response is one document (id derived from its source_id, so a redelivered form answer or a
re-imported paper sheet is refused). Reports never read responses: every response also increments
one per-day aggregate (office, WIB day, unit, service, channel). Firestore sustains about one write
per second per document, so each aggregate is split over SHARDS documents picked by source_id;
a report reads at most days × units × services × channels × SHARDS documents, whatever the volume.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore

from jaring import outbox
from jaring.clock import WIB
from jaring.responses import UNSUR, Response
from jaring.store import guarded

RESPONSES = "responses"
REPORT_DAYS = "report_days"
SHARDS = 4


def response_id(office: str, source_id: str) -> str:
    return "s" + outbox.key(office, source_id)


def day_of(response: Response) -> str:
    """The office-local (WIB) calendar day a response counts for."""
    return response.submitted_at.astimezone(WIB).date().isoformat()


def aggregate_id(office: str, day: str, unit: str, service: str, channel: str, shard: int) -> str:
    return "d" + outbox.key(office, day, unit, service, channel, str(shard))


def _shard(response: Response) -> int:
    return int(outbox.key(response.source_id)[:8], 16) % SHARDS


def increments(response: Response) -> dict[str, Any]:
    """What one response adds to its aggregate, as plain numbers (an import sums many first)."""
    added: dict[str, Any] = {"responses": 1, "sums": {u: response.answers[u] for u in UNSUR},
                             "suggestions": 1 if response.suggestion else 0}
    if response.profile:
        added["profile"] = {k: {v: 1} for k, v in response.profile.items()}
    if response.nudges_before_answer is not None:
        added["nudges"] = {str(response.nudges_before_answer): 1}
    return added


def _as_increments(numbers: dict[str, Any]) -> dict[str, Any]:
    return {k: _as_increments(v) if isinstance(v, dict) else firestore.Increment(v) for k, v in numbers.items()}


def _aggregate_doc(response: Response, numbers: dict[str, Any]) -> dict[str, Any]:
    return {"office": response.office, "day": day_of(response), "unit": response.unit,
            "service": response.service, "channel": response.channel, "shard": _shard(response),
            **_as_increments(numbers)}


def _aggregate_ref(db: firestore.Client, response: Response):
    return db.collection(REPORT_DAYS).document(aggregate_id(
        response.office, day_of(response), response.unit, response.service, response.channel, _shard(response)))


def _response_doc(response: Response) -> dict[str, Any]:
    doc = dataclasses.asdict(response)
    doc["answers"], doc["profile"], doc["day"] = dict(response.answers), dict(response.profile), day_of(response)
    return doc


def stage(tx: firestore.Transaction, db: firestore.Client, response: Response) -> None:
    """Only writes, so callers compose it after their own reads; a duplicate source_id fails the commit
    with AlreadyExists and nothing of the transaction is written."""
    tx.create(db.collection(RESPONSES).document(response_id(response.office, response.source_id)),
              _response_doc(response))
    tx.set(_aggregate_ref(db, response), _aggregate_doc(response, increments(response)), merge=True)


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


def add_many(db: firestore.Client, responses: list[Response], chunk: int = 200) -> tuple[int, int]:
    """Store an imported stack of responses; (added, already stored before).

    A paper survey arrives hundreds at a time on the same day and unit, so each chunk is one
    batch that increments each aggregate document once with the chunk's sums.
    """
    added = 0
    for start in range(0, len(responses), chunk):
        part = responses[start:start + chunk]
        refs = [db.collection(RESPONSES).document(response_id(r.office, r.source_id)) for r in part]
        existing = {s.reference.path for s in guarded(db.get_all, refs) if s.exists}
        batch, sums, heads = db.batch(), {}, {}
        for ref, response in zip(refs, part):
            if ref.path in existing:
                continue
            existing.add(ref.path)
            batch.create(ref, _response_doc(response))
            agg = _aggregate_ref(db, response)
            heads.setdefault(agg.path, (agg, response))
            _merge(sums.setdefault(agg.path, {}), increments(response))
        for path, (agg, response) in heads.items():
            batch.set(agg, _aggregate_doc(response, sums[path]), merge=True)
        if heads:
            guarded(batch.commit)
        added += sum(numbers["responses"] for numbers in sums.values())
    return added, len(responses) - added
