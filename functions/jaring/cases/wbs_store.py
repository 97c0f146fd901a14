"""Firestore adapter for whistleblowing (WBS): reports, the reporter links, drafts and the audit trail.

  wbs_reports/{w…}  the report (jaring.cases.wbs): no number, no contact_id, no message id
  wbs_links/{k…}    {office, reporter}: id = HMAC(WBS_LINK_KEY, report id) and `reporter` the contact_id
                    sealed under the key (jaring.cases.wbs.seal), so only the functions can go from a report to
                    its reporter, nobody from a link to its report or to a contact, and no date ties them
  wbs_drafts/{z…}   a report being written, between messages: id = HMAC(key, contact_id); 24-hour TTL
  wbs_audit/{auto}  who read or changed which report, when: written in the same transaction as the read

The inspectorate reads reports only through these functions (admin_api), so no read escapes the audit;
firestore.rules let no client read `wbs_reports` directly.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from google.cloud import firestore

from jaring.cases import wbs
from jaring.messaging.outbox import Outgoing
from jaring.messaging.store import CONTACTS, OUTBOX, Store, guarded

WBS_REPORTS = "wbs_reports"
WBS_AUDIT = "wbs_audit"
WBS_LINKS = "wbs_links"
WBS_DRAFTS = "wbs_drafts"
DRAFT_LIFETIME = dt.timedelta(hours=24)
LIST_LIMIT = 500


class WbsNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Actor:
    """Who reads: the inspectorate member's email and role, as admin_api identified them."""

    email: str
    role: str


class WbsStore:
    def __init__(self, db: firestore.Client, key: bytes, number_for: Callable[[str], str]):
        self.db = db
        self.key = key
        self.number_for = number_for  # the WhatsApp number id an office sends reporters' notices from

    def _ref(self, collection: str, doc_id: str):
        return self.db.collection(collection).document(doc_id)

    # -- the reporter's side (webhook) -------------------------------------------------------------
    def draft(self, office: str, contact_id: str, tx: Any = None) -> dict[str, Any] | None:
        snap = guarded(self._ref(WBS_DRAFTS, wbs.draft_id(self.key, office, contact_id)).get, transaction=tx)
        return (snap.to_dict() or {}).get("state") if snap.exists else None

    def stage_draft(self, tx, office: str, contact_id: str, state: dict[str, Any], now: dt.datetime) -> None:
        tx.set(self._ref(WBS_DRAFTS, wbs.draft_id(self.key, office, contact_id)),
               {"office": office, "state": state, "expire_at": now + DRAFT_LIFETIME})

    def stage_discard_draft(self, tx, office: str, contact_id: str) -> None:
        tx.delete(self._ref(WBS_DRAFTS, wbs.draft_id(self.key, office, contact_id)))

    def stage_report(self, tx, report: dict[str, Any], contact_id: str, now: dt.datetime) -> None:
        """The report and, apart from it, the one link back to the reporter (a taken code fails the commit)."""
        rid = wbs.report_id(report["code"])
        lid = wbs.link_id(self.key, report["office"], rid)
        tx.create(self._ref(WBS_REPORTS, rid), report)
        tx.create(self._ref(WBS_LINKS, lid), {"office": report["office"],
                                              "reporter": wbs.seal(self.key, lid, contact_id)})

    def cut_links(self, office: str, contact_id: str) -> int:
        """Erasure: the links to this contact are deleted (the reports stay); only the key finds them."""
        links = guarded(self.db.collection(WBS_LINKS).where(
            filter=firestore.FieldFilter("office", "==", office)).get)
        mine = [s.reference for s in links if wbs.unseal(self.key, s.id, s.get("reporter")) == contact_id]
        for ref in mine:
            guarded(ref.delete)
        return len(mine)

    def report_snapshot(self, code: str, tx: Any = None):
        snap = guarded(self._ref(WBS_REPORTS, wbs.report_id(code)).get, transaction=tx)
        return snap if snap.exists else None

    @staticmethod
    def stage_attempt(tx, snap, changes: dict[str, Any]) -> None:
        """Count a follow-up try on the report read in the same transaction."""
        tx.update(snap.reference, changes)

    # -- the inspectorate's side (admin_api): every read audited in its own transaction ----------------
    def _audit(self, tx, office: str, actor: Actor, action: str, codes: list[str], now: dt.datetime) -> None:
        tx.create(self.db.collection(WBS_AUDIT).document(), {
            "office": office, "at": now, "actor": actor.email, "role": actor.role, "action": action,
            "codes": codes})

    def list_reports(self, office: str, actor: Actor, now: dt.datetime) -> list[dict[str, Any]]:
        query = self.db.collection(WBS_REPORTS).where(filter=firestore.FieldFilter("office", "==", office)).limit(
            LIST_LIMIT)

        @firestore.transactional
        def run(tx) -> list[dict[str, Any]]:
            found = [s.to_dict() for s in query.get(transaction=tx)]
            self._audit(tx, office, actor, "list", sorted(r["code"] for r in found), now)
            return found

        return guarded(run, self.db.transaction())

    def read_report(self, office: str, code: str, actor: Actor, now: dt.datetime) -> dict[str, Any]:
        ref = self._ref(WBS_REPORTS, wbs.report_id(code))

        @firestore.transactional
        def run(tx) -> dict[str, Any]:
            snap = ref.get(transaction=tx)
            if not snap.exists or snap.get("office") != office:
                raise WbsNotFound(f"no report {code}")
            self._audit(tx, office, actor, "read", [code], now)
            return snap.to_dict()

        return guarded(run, self.db.transaction())

    def update_report(self, office: str, code: str, actor: Actor, now: dt.datetime,
                      change: Callable[[dict[str, Any]], dict[str, Any]],
                      notice: Callable[[dict[str, Any]], Outgoing | None]) -> tuple[dict[str, Any], list[str]]:
        """Apply the inspectorate's change; if it has news for the reporter, queue a notice through the link.

        The notice is built from the reporter's contact (read here, by the functions only) and carries no
        report content; its outbox id is the only thing returned about it.
        """
        rid = wbs.report_id(code)
        lid = wbs.link_id(self.key, office, rid)
        ref, link_ref = self._ref(WBS_REPORTS, rid), self._ref(WBS_LINKS, lid)

        @firestore.transactional
        def run(tx) -> tuple[dict[str, Any], list[str]]:
            snap, link = ref.get(transaction=tx), link_ref.get(transaction=tx)
            if not snap.exists or snap.get("office") != office:
                raise WbsNotFound(f"no report {code}")
            contact_id = wbs.unseal(self.key, lid, link.get("reporter")) if link.exists else ""
            contact = self._ref(CONTACTS, contact_id).get(transaction=tx) if contact_id else None
            report = snap.to_dict()
            changes = change(report)
            tx.update(ref, changes)
            self._audit(tx, office, actor, "update", [code], now)
            out = notice(contact.to_dict()) if contact is not None and contact.exists else None
            if out is None:
                return {**report, **changes}, []
            oid = wbs.notice_id(self.key, rid, len(changes.get("updates") or []))
            tx.create(self._ref(OUTBOX, oid), Store._outbox_record(office, self.number_for(office), out, contact_id, now, True))
            return {**report, **changes}, [oid]

        return guarded(run, self.db.transaction())

    def audit_trail(self, office: str, actor: Actor, now: dt.datetime, limit: int = 200) -> list[dict[str, Any]]:
        query = (self.db.collection(WBS_AUDIT).where(filter=firestore.FieldFilter("office", "==", office))
                 .order_by("at", direction=firestore.Query.DESCENDING).limit(limit))
        entries = [s.to_dict() for s in guarded(query.get)]
        batch = self.db.batch()
        self._audit(batch, office, actor, "audit_read", [], now)
        guarded(batch.commit)
        return entries
