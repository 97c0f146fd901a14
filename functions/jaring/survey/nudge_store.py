"""Firestore adapter for the reminder sweep: due invitations, office switches, nudge claims.

Exactly once: a nudge is claimed by one atomic commit that creates the nudge's outbox record (a
deterministic id per claim, created under the sweep's lease) and advances the invitation's nudge count
and next_nudge_at, on condition that neither the invitation nor the contact changed since they were
read and decided on. Of two sweeps deciding on the same invitation, one commit wins and the other fails
whole; re-reading, the loser finds next_nudge_at in the future and leaves it. A sweep that dies after
its claim leaves an outbox record whose lease runs out, and delivery.retry_due sends it once.

`reads` counts the documents this adapter reads (query results, gets, and for a count aggregation
one read per 1000 index entries, as Firestore bills them), for the sweep's summary and the benchmark.
(An office's configuration and SKM form are read through the tickets' store, at most twice per office
per run; the benchmark's RPC-level count includes them.)
"""
from __future__ import annotations

import datetime as dt
import math
import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from google.api_core import exceptions as gexc
from google.cloud import firestore

from jaring.messaging import outbox
from jaring.messaging.outbox import Outgoing
from jaring.messaging.store import CONTACTS, OUTBOX, Store, guarded
from jaring.offices.store import OFFICE_CONFIGS
from jaring.survey import invitations, nudges
from jaring.survey.store import INVITATIONS

DUE_STATES = list(nudges.NUDGEABLE)
OFFICE_SWITCHES = "office_switches"  # switches operators flip at run time: {office, nudges_paused}


def settle_erased(collection: str, record: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """An erased citizen is never nudged: their open invitation closes (Store.erase_contact's `settle`)."""
    if collection == INVITATIONS and record.get("state") in (invitations.PENDING, invitations.SENT):
        return {"state": invitations.OPTED_OUT}
    return {}


class Contended(RuntimeError):
    """The invitation or its contact changed between reading and claiming; it stays due for the next look."""


def nudge_id(ticket_id: str, claim: int) -> str:
    """One outbox record per claim of a ticket's invitation (a claim taken back after a refused send gets
    a new one)."""
    return "n" + outbox.key(ticket_id, str(claim))


@dataclass
class Claim:
    action: nudges.Action
    ticket_id: str
    claim: int = 0
    outbox_id: str = ""
    record: dict[str, Any] | None = None  # the outbox record created under our lease (Send only)
    previous_sent_at: dt.datetime | None = None


class SweepStore:
    def __init__(self, store: Store):
        self.store = store
        self.db = store.db
        self.reads = 0
        self._lock = threading.Lock()  # the sweep's workers count into one total

    def _read(self, documents: int) -> None:
        with self._lock:
            self.reads += documents

    # -- what is due ---------------------------------------------------------------------------
    def _due_query(self, now: dt.datetime) -> firestore.Query:
        return (self.db.collection(INVITATIONS)
                .where(filter=firestore.FieldFilter("state", "in", DUE_STATES))
                .where(filter=firestore.FieldFilter("next_nudge_at", "<=", now))
                .order_by("next_nudge_at"))

    def due(self, now: dt.datetime, page_size: int = 100) -> Iterator[firestore.DocumentSnapshot]:
        """Invitations whose next nudge is due, oldest first, a page at a time (indexed: state, next_nudge_at)."""
        cursor = None
        while True:
            query = self._due_query(now).limit(page_size)
            page = guarded(query.start_after(cursor).get if cursor is not None else query.get)
            self._read(len(page))
            yield from page
            if len(page) < page_size:
                return
            cursor = page[-1]

    def count_due(self, now: dt.datetime) -> int:
        [[result]] = guarded(self._due_query(now).count().get)
        self._read(max(1, math.ceil(result.value / 1000)))
        return int(result.value)

    # -- office switches -----------------------------------------------------------------------
    def paused(self, office: str) -> bool:
        snap = guarded(self.db.collection(OFFICE_SWITCHES).document(office).get)
        self._read(1)
        return bool(snap.exists and snap.get("nudges_paused"))

    def set_paused(self, office: str, paused: bool, now: dt.datetime) -> None:
        guarded(self.db.collection(OFFICE_SWITCHES).document(office).set,
                {"office": office, "nudges_paused": paused, "changed_at": now}, merge=True)

    def office_ids(self) -> set[str]:
        """Offices with a loaded configuration or a switch."""
        return {ref.id for name in (OFFICE_CONFIGS, OFFICE_SWITCHES)
                for ref in guarded(lambda name=name: list(self.db.collection(name).list_documents()))}

    # -- claims --------------------------------------------------------------------------------
    def claim(self, ticket_id: str, contact_id: str, now: dt.datetime, phone_number_id: str,
              decide: Callable[[dict[str, Any], dict[str, Any] | None], nudges.Action]) -> Claim:
        """Decide on one invitation and write the decision atomically (see the module's docstring).

        Optimistic: the invitation and the contact are read, then the decision's writes commit in one
        batch only if neither document changed since (update-time preconditions), and the outbox record
        is created only if absent. A concurrent claim, opt-out or inbound message makes the batch fail
        whole (Contended); the invitation stays due for the next look. No locks are held meanwhile.
        """
        inv_ref = self.db.collection(INVITATIONS).document(ticket_id)
        contact_ref = self.db.collection(CONTACTS).document(contact_id or "-")
        snaps = {s.reference.path: s for s in guarded(lambda: list(self.db.get_all([inv_ref, contact_ref])))}
        self._read(2)
        inv_snap, contact_snap = snaps[inv_ref.path], snaps[contact_ref.path]
        if not inv_snap.exists:
            return Claim(nudges.Leave("gone"), ticket_id)
        inv = inv_snap.to_dict()
        if inv.get("contact_id") != contact_id:  # the due query's copy was stale: read the right contact
            contact_ref = self.db.collection(CONTACTS).document(inv.get("contact_id") or "-")
            contact_snap = guarded(contact_ref.get)
            self._read(1)
        contact = contact_snap.to_dict() if contact_snap.exists else None
        action = decide(inv, contact)
        if isinstance(action, nudges.Leave):
            return Claim(action, ticket_id)
        batch = self.db.batch()
        unchanged = self.db.write_option(last_update_time=inv_snap.update_time)
        claim = Claim(action, ticket_id)
        if isinstance(action, nudges.Reschedule):
            batch.update(inv_ref, {"next_nudge_at": action.at}, option=unchanged)
        elif isinstance(action, nudges.Close):
            batch.update(inv_ref, {"state": action.state, "closed_reason": action.reason, "closed_at": now,
                                   "next_nudge_at": None}, option=unchanged)
        else:
            claim = self._stage_send(batch, inv_ref, inv, contact_ref, contact_snap, action, now, phone_number_id)
            batch.update(inv_ref, {"nudges": action.number, "nudge_claims": claim.claim,
                                   "next_nudge_at": action.next_nudge_at, "last_sent_at": now,
                                   "path": action.path, "last_nudge_outbox_id": claim.outbox_id}, option=unchanged)
        try:
            guarded(batch.commit)
        except (gexc.FailedPrecondition, gexc.AlreadyExists) as exc:
            raise Contended(f"invitation {ticket_id} changed meanwhile") from exc
        return claim

    def _stage_send(self, batch: firestore.WriteBatch, inv_ref: Any, inv: dict[str, Any], contact_ref: Any,
                    contact_snap: Any, action: nudges.Send, now: dt.datetime, phone_number_id: str) -> Claim:
        claim = int(inv.get("nudge_claims") or 0) + 1
        oid = nudge_id(inv_ref.id, claim)
        out = Outgoing(to=contact_snap.get("wa_id"), content=action.content, purpose="nudge",
                       contact_id=contact_ref.id,
                       meta={"ticket_id": inv_ref.id, "nudge": action.number, "path": action.path})
        record = self.store.stage_claimed(batch, inv["office"], phone_number_id, oid, out, now)
        batch.update(contact_ref, {"last_nudge_at": now, **action.contact_changes},
                     option=self.db.write_option(last_update_time=contact_snap.update_time))
        return Claim(action, inv_ref.id, claim, oid, record, inv.get("last_sent_at"))

    def settle_failure(self, claim: Claim, error: Any, now: dt.datetime, policy: nudges.Policy) -> nudges.Failure:
        """Record what a refused nudge send means: take it back for another decision, close, or let it count."""
        assert isinstance(claim.action, nudges.Send)
        inv_ref = self.db.collection(INVITATIONS).document(claim.ticket_id)
        out_ref = self.db.collection(OUTBOX).document(claim.outbox_id)
        number = claim.action.number

        @firestore.transactional
        def run(tx: firestore.Transaction) -> nudges.Failure:
            inv_snap, out_snap = (inv_ref.get(transaction=tx), out_ref.get(transaction=tx))
            self._read(2)
            inv = inv_snap.to_dict() or {}
            retries = int((inv.get("nudge_retries") or {}).get(str(number), 0))
            failure = nudges.after_failure(error.code if error else None, error.http_status if error else None,
                                           bool(error and error.retryable), retries, now, policy)
            if out_snap.exists and out_snap.get("state") == outbox.RETRY:
                # Nudges are not resent blindly by retry_due: the next claim decides again (or none follows).
                tx.update(out_ref, {"state": outbox.FAILED, "next_attempt_at": None,
                                    "error.reason": f"nudge {failure.reason}; not resent as is"})
            if int(inv.get("nudge_claims") or 0) != claim.claim:
                return failure  # a later claim has moved on; nothing here is ours to change
            contact_ref = self.db.collection(CONTACTS).document(inv.get("contact_id") or "-")
            if failure.reason == "window_closed":
                tx.set(contact_ref, {"window_closed_at": now}, merge=True)
            if failure.reason == "unreachable":
                tx.set(contact_ref, {"unreachable_at": now}, merge=True)
            if failure.close:
                tx.update(inv_ref, {"state": failure.close, "closed_reason": failure.reason, "closed_at": now,
                                    "next_nudge_at": None})
            elif failure.redo_at is not None:
                changes: dict[str, Any] = {"nudges": number - 1, "next_nudge_at": failure.redo_at,
                                           "last_sent_at": claim.previous_sent_at}
                if failure.reason == "retry_later":
                    changes[f"nudge_retries.`{number}`"] = retries + 1
                tx.update(inv_ref, changes)
            return failure

        return guarded(run, self.db.transaction())
