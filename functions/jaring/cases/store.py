"""Firestore adapter for complaints and the ratings of their handling.

  complaints/{p…}                  one complaint (jaring.cases.complaints), created by the chat intake
  complaint_ratings/{r…}           per office, unit and WIB month of rating: how many rated, the sum, a count per
                                   value 1..4 — U8's question on U8's scale, kept beside the SKM's own U8
                                   (see docs/COMPLAINTS.md for why it is not a survey response)

A staff step writes the complaint's change and the citizen's notice (an outbox record, claimed) in one
transaction; the chat path composes the same writes into the webhook's transaction instead.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from google.cloud import firestore

from jaring.cases import complaints
from jaring.clock import WIB
from jaring.messaging import outbox
from jaring.messaging.outbox import Outgoing
from jaring.messaging.store import CONTACTS, OUTBOX, Store, guarded

COMPLAINTS = "complaints"
COMPLAINT_RATINGS = "complaint_ratings"
SWEEP_LIMIT = 200


class ComplaintNotFound(LookupError):
    pass


def settle_erased(collection: str, record: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """An erased complainant's open complaint ends (Store.erase_contact's `settle`)."""
    return complaints.on_erasure(record, now) if collection == COMPLAINTS else {}


def rating_id(office: str, unit: str, month: str) -> str:
    return "r" + outbox.key(office, unit, month)


class ComplaintStore:
    def __init__(self, db: firestore.Client, number_for: Callable[[str], str]):
        self.db = db
        self.number_for = number_for  # the WhatsApp number id an office sends its notices from

    def _ref(self, collection: str, doc_id: str):
        return self.db.collection(collection).document(doc_id)

    # -- reading ----------------------------------------------------------------------------------
    def snapshot(self, cid: str, tx: Any = None):
        snap = guarded(self._ref(COMPLAINTS, cid).get, transaction=tx)
        return snap if snap.exists else None

    def by_reference(self, office: str, reference: str, tx: Any = None) -> list[Any]:
        """Snapshots of the complaints with this number (almost always one; numbers are 6 characters)."""
        query = (self.db.collection(COMPLAINTS).where(filter=firestore.FieldFilter("office", "==", office))
                 .where(filter=firestore.FieldFilter("reference", "==", reference)))
        return list(guarded(query.get, transaction=tx))

    def of_contact(self, office: str, contact_id: str) -> list[dict[str, Any]]:
        query = (self.db.collection(COMPLAINTS).where(filter=firestore.FieldFilter("office", "==", office))
                 .where(filter=firestore.FieldFilter("contact_id", "==", contact_id)))
        return sorted((s.to_dict() for s in guarded(query.get)), key=lambda d: d["received_at"], reverse=True)

    def listing(self, office: str, unit: str, statuses: tuple[str, ...]) -> list[tuple[str, dict[str, Any]]]:
        query = self.db.collection(COMPLAINTS).where(filter=firestore.FieldFilter("office", "==", office))
        if unit:
            query = query.where(filter=firestore.FieldFilter("unit", "==", unit))
        query = query.where(filter=firestore.FieldFilter("status", "in", list(statuses)))
        found = [(s.id, s.to_dict()) for s in guarded(query.get)]
        return sorted(found, key=lambda item: item[1]["received_at"], reverse=True)

    def due_escalations(self, now: dt.datetime, limit: int = SWEEP_LIMIT) -> list[Any]:
        """Open complaints whose next escalation is due: the sweep's work, never a scan of all complaints."""
        query = (self.db.collection(COMPLAINTS).where(filter=firestore.FieldFilter("next_escalation_at", "<=", now))
                 .order_by("next_escalation_at").limit(limit))
        return list(guarded(query.get))

    # -- changing ---------------------------------------------------------------------------------
    @staticmethod
    def stage_change(tx, snap, changes: dict[str, Any]) -> None:
        """A change computed from `snap`, read in the same transaction."""
        tx.update(snap.reference, changes)

    def stage_rating(self, tx, doc: dict[str, Any], score: int, now: dt.datetime) -> None:
        """Counted in the month the rating is given (WIB), like a survey answer."""
        month = now.astimezone(WIB).strftime("%Y-%m")
        tx.set(self._ref(COMPLAINT_RATINGS, rating_id(doc["office"], doc.get("unit") or "", month)), {
            "office": doc["office"], "unit": doc.get("unit") or "", "month": month,
            "ratings": firestore.Increment(1), "sum": firestore.Increment(score),
            "values": {str(score): firestore.Increment(1)}}, merge=True)

    def act(self, office: str, cid: str, now: dt.datetime,
            decide: Callable[[dict[str, Any], dict[str, Any] | None], tuple[dict[str, Any], list[Outgoing],
                                                                            dict[str, Any]]]
            ) -> tuple[dict[str, Any], list[str]]:
        """Read the complaint and its citizen, apply `decide` → (complaint changes, messages, contact changes),
        and write all of it at once. Returns the complaint after the change and the outbox ids to deliver."""
        ref = self._ref(COMPLAINTS, cid)

        @firestore.transactional
        def run(tx) -> tuple[dict[str, Any], list[str]]:
            snap = ref.get(transaction=tx)
            if not snap.exists or snap.get("office") != office:
                raise ComplaintNotFound(f"no complaint {cid}")
            doc = snap.to_dict()
            contact_ref = self._ref(CONTACTS, doc["contact_id"])
            contact_snap = contact_ref.get(transaction=tx)
            contact = contact_snap.to_dict() if contact_snap.exists else None
            changes, outgoing, contact_changes = decide(doc, contact)
            tx.update(ref, changes)
            if contact is not None and contact_changes:
                tx.set(contact_ref, contact_changes, merge=True)
            after = {**doc, **changes}
            ids = [f"pc{outbox.key(cid, str(len(after.get('history') or [])), str(i))}" for i in range(len(outgoing))]
            for oid, out in zip(ids, outgoing):
                tx.create(self._ref(OUTBOX, oid), Store._outbox_record(office, self.number_for(office), out,
                                                                      out.contact_id, now, True))
            return after, ids

        return guarded(run, self.db.transaction())
