"""Firestore: the published WhatsApp Flow of each office (`python -m jaring flows publish` records it).

survey_flows/{office}: {office, flow_id, name, version, digest (sha256 of the Flow JSON uploaded), published_at}.
The invitations read it to send the Flow; without a record an office whose survey path is "flow" invites
with its form until the Flow is published.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from google.cloud import firestore

from jaring.messaging.store import guarded

SURVEY_FLOWS = "survey_flows"


class FlowStore:
    def __init__(self, db: firestore.Client):
        self.db = db

    def _ref(self, office: str):
        return self.db.collection(SURVEY_FLOWS).document(office)

    def get(self, office: str) -> dict[str, Any] | None:
        snap = guarded(self._ref(office).get)
        return snap.to_dict() if snap.exists else None

    def flow_id(self, office: str) -> str:
        return str((self.get(office) or {}).get("flow_id") or "")

    def record(self, office: str, flow_id: str, name: str, version: str, digest: str, now: dt.datetime) -> None:
        guarded(self._ref(office).set, {"office": office, "flow_id": flow_id, "name": name, "version": version,
                                        "digest": digest, "published_at": now})
