"""Firestore adapter: the only module that knows collection names and document shapes."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Callable

from google.api_core import exceptions as gexc
from google.cloud import firestore

from jaring import outbox
from jaring.conversation_types import Decision
from jaring.outbox import Outgoing
from jaring.whatsapp.webhook import InboundMessage, StatusUpdate

log = logging.getLogger(__name__)

OFFICES = "offices"
NUMBERS = "numbers"
CONTACTS = "contacts"
INBOUND = "inbound"
OUTBOX = "outbox"

MESSAGE_RETENTION = dt.timedelta(days=90)


class StoreUnavailable(RuntimeError):
    """Firestore could not be reached or did not answer in time; the caller should answer 5xx."""


TRANSIENT = (gexc.ServiceUnavailable, gexc.DeadlineExceeded, gexc.RetryError, gexc.InternalServerError,
             gexc.Unknown, gexc.Aborted, gexc.TooManyRequests)


def contact_id(office: str, sender: str) -> str:
    """Pseudonymous id of a citizen within an office; the number itself lives only on the contact."""
    return "c" + outbox.key(office, sender)


@dataclass
class Received:
    duplicate: bool
    outbox_ids: list[str]
    claimed: bool  # this call created the outbox records and holds their lease


# Retried per RPC. Not Aborted: a commit aborted by contention must rerun its whole transaction,
# which the library's transaction loop does; retrying the commit alone finds the transaction closed.
RPC_RETRYABLE = (gexc.ServiceUnavailable, gexc.DeadlineExceeded, gexc.InternalServerError, gexc.TooManyRequests)


def bound_deadlines(client: firestore.Client, seconds: float) -> None:
    """Cap every Firestore RPC (retries included) at `seconds`.

    The library's default is 60 s of retries per call, longer than Meta waits for a webhook
    answer; failing fast with a 503 lets Meta's own redelivery do the retrying.
    """
    from google.api_core import gapic_v1, retry as retries

    transport = client._firestore_api._transport  # pinned library version; see requirements.txt
    for method in list(transport._wrapped_methods):
        transport._wrapped_methods[method] = gapic_v1.method.wrap_method(
            method,
            default_retry=retries.Retry(initial=0.1, maximum=1.0, multiplier=1.3, timeout=seconds,
                                        predicate=retries.if_exception_type(*RPC_RETRYABLE)),
            default_timeout=seconds,
        )


class Store:
    def __init__(self, client: firestore.Client, timeout: float = 10.0):
        self.db = client
        self.timeout = timeout
        bound_deadlines(client, timeout)

    # -- offices -------------------------------------------------------------------------
    def office_for_number(self, phone_number_id: str) -> str | None:
        snap = self._call(self.db.collection(NUMBERS).document(phone_number_id).get)
        return snap.get("office") if snap.exists else None

    # -- inbound -------------------------------------------------------------------------
    def receive(self, office: str, message: InboundMessage, now: dt.datetime,
                decide: Callable[[dict[str, Any] | None], Decision]) -> Received:
        """Store a message once, with the contact's new state and the replies to send.

        A redelivered message finds its first record and gets back the same outbox ids.
        """
        cid = contact_id(office, message.sender)
        inbound_ref = self.db.collection(INBOUND).document("m" + outbox.key(message.wamid))
        contact_ref = self.db.collection(CONTACTS).document(cid)

        @firestore.transactional
        def run(tx: firestore.Transaction) -> Received:
            snaps = {s.reference.path: s for s in tx.get_all([inbound_ref, contact_ref])}
            inbound_snap, contact_snap = snaps[inbound_ref.path], snaps[contact_ref.path]
            if inbound_snap.exists:
                return Received(True, list(inbound_snap.get("outbox_ids") or []), False)
            contact = contact_snap.to_dict() if contact_snap.exists else None
            decision = decide(contact)
            ids = [outbox.reply_id(message.wamid, i) for i in range(len(decision.outgoing))]
            tx.create(inbound_ref, {
                "office": office, "contact_id": cid, "wamid": message.wamid, "type": message.type,
                "text": message.text, "choice": message.choice, "quoted_wamid": message.quoted_wamid,
                "media": message.media, "location": message.location, "sent_at": message.sent_at,
                "received_at": now, "outbox_ids": ids, "expire_at": now + MESSAGE_RETENTION,
            })
            changes = {"office": office, "contact_id": cid, "last_inbound_at": now, **decision.contact_changes}
            if contact is None:
                changes.setdefault("first_seen_at", now)
                changes.setdefault("wa_id", message.sender)
                changes.setdefault("name", message.name)
            tx.set(contact_ref, changes, merge=True)
            for oid, out in zip(ids, decision.outgoing):
                tx.create(self.db.collection(OUTBOX).document(oid),
                          self._outbox_record(office, message.phone_number_id, out, out.contact_id or cid, now,
                                              claimed=True))
            for collection, doc_id, data in decision.writes or []:
                tx.create(self.db.collection(collection).document(doc_id), data)
            for write in decision.stage:
                write(tx)
            return Received(False, ids, True)

        return self._call(run, self.db.transaction())

    # -- outbox --------------------------------------------------------------------------
    @staticmethod
    def _outbox_record(office: str, phone_number_id: str, out: Outgoing, cid: str, now: dt.datetime,
                       claimed: bool) -> dict[str, Any]:
        return {
            "office": office, "phone_number_id": phone_number_id, "to": out.to, "contact_id": cid,
            "content": out.content, "purpose": out.purpose, "meta": out.meta,
            "state": outbox.SENDING if claimed else outbox.RETRY,
            "lease_until": now + outbox.LEASE if claimed else None,
            "next_attempt_at": now, "attempts": 0, "uncertain_attempts": 0,
            "created_at": now, "wamid": None, "delivery": None, "error": None,
            "expire_at": now + MESSAGE_RETENTION,  # it holds the number and the text: same retention
        }

    def enqueue(self, office: str, phone_number_id: str, outbox_id: str, out: Outgoing,
                now: dt.datetime) -> bool:
        """Create an outbound record unless one with this id exists; True when created."""
        ref = self.db.collection(OUTBOX).document(outbox_id)
        try:
            self._call(ref.create, self._outbox_record(office, phone_number_id, out, out.contact_id, now,
                                                       claimed=False))
            return True
        except gexc.AlreadyExists:
            return False

    def claim(self, outbox_id: str, now: dt.datetime, ignore_backoff: bool = False) -> dict[str, Any] | None:
        """Take the lease on a record that is due; None when it is not ours to send."""
        ref = self.db.collection(OUTBOX).document(outbox_id)

        @firestore.transactional
        def run(tx: firestore.Transaction) -> dict[str, Any] | None:
            snap = ref.get(transaction=tx)
            if not snap.exists:
                return None
            doc = snap.to_dict()
            due = (doc["state"] == outbox.RETRY and (ignore_backoff or doc["next_attempt_at"] <= now)) or (
                doc["state"] == outbox.SENDING and (doc.get("lease_until") or now) <= now)
            if not due:
                return None
            changes: dict[str, Any] = {"state": outbox.SENDING, "lease_until": now + outbox.LEASE}
            if doc["state"] == outbox.SENDING:
                # The last worker died between claiming and recording: it may have sent already.
                changes["uncertain_attempts"] = firestore.Increment(1)
            tx.update(ref, changes)
            return doc

        return self._call(run, self.db.transaction())

    def load_outbox(self, outbox_id: str) -> dict[str, Any] | None:
        snap = self._call(self.db.collection(OUTBOX).document(outbox_id).get)
        return snap.to_dict() if snap.exists else None

    def mark_sent(self, outbox_id: str, wamid: str, attempts: int, uncertain: int, now: dt.datetime) -> None:
        self._call(self.db.collection(OUTBOX).document(outbox_id).update, {
            "state": outbox.SENT, "wamid": wamid, "sent_at": now, "attempts": attempts,
            "uncertain_attempts": firestore.Increment(uncertain), "lease_until": None, "error": None})

    def mark_failed(self, outbox_id: str, code: int | None, reason: str, attempts: int, uncertain: int,
                    retry_at: dt.datetime | None) -> None:
        self._call(self.db.collection(OUTBOX).document(outbox_id).update, {
            "state": outbox.RETRY if retry_at else outbox.FAILED,
            "next_attempt_at": retry_at, "lease_until": None, "attempts": attempts,
            "uncertain_attempts": firestore.Increment(uncertain),
            "error": {"code": code, "reason": reason[:300]}})

    def due_outbox_ids(self, now: dt.datetime, limit: int = 200, ignore_backoff: bool = False) -> list[str]:
        horizon = dt.datetime.max.replace(tzinfo=dt.timezone.utc) if ignore_backoff else now
        query = (self.db.collection(OUTBOX).where(filter=firestore.FieldFilter("state", "==", outbox.RETRY))
                 .where(filter=firestore.FieldFilter("next_attempt_at", "<=", horizon))
                 .order_by("next_attempt_at").limit(limit))
        stale = (self.db.collection(OUTBOX).where(filter=firestore.FieldFilter("state", "==", outbox.SENDING))
                 .where(filter=firestore.FieldFilter("lease_until", "<=", now))
                 .order_by("lease_until").limit(limit))
        return [s.id for q in (query, stale) for s in self._call(q.get)]

    # -- statuses ------------------------------------------------------------------------
    def apply_status(self, status: StatusUpdate, outbox_id: str | None, now: dt.datetime) -> bool:
        """Record a delivery status on its outbound message; False when the message is not ours."""
        ref = self.db.collection(OUTBOX).document(outbox_id) if outbox_id else None
        if ref is None:
            found = self._call(self.db.collection(OUTBOX)
                               .where(filter=firestore.FieldFilter("wamid", "==", status.wamid)).limit(1).get)
            if not found:
                return False
            ref = found[0].reference

        @firestore.transactional
        def run(tx: firestore.Transaction) -> bool:
            snap = ref.get(transaction=tx)
            if not snap.exists:
                return False
            doc = snap.to_dict()
            new_state = outbox.delivery_state(doc.get("delivery"), status.status)
            if new_state is None:
                return True
            changes: dict[str, Any] = {"delivery": new_state, f"{new_state}_at": status.at}
            if new_state == "read" and not doc.get("delivered_at"):
                changes["delivered_at"] = status.at
            if new_state == "failed":
                code = status.error_codes[0] if status.error_codes else None
                changes["error"] = {"code": code, "reason": status.error_title[:300]}
                if code == 131047:
                    tx.set(self.db.collection(CONTACTS).document(doc["contact_id"]),
                           {"window_closed_at": status.at}, merge=True)
                if code == 131026:
                    tx.set(self.db.collection(CONTACTS).document(doc["contact_id"]),
                           {"unreachable_at": status.at}, merge=True)
            tx.update(ref, changes)
            return True

        return self._call(run, self.db.transaction())

    # -- plumbing ------------------------------------------------------------------------
    def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return guarded(fn, *args, **kwargs)


def guarded(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call Firestore; transient failures become StoreUnavailable (every adapter shares this)."""
    try:
        return fn(*args, **kwargs)
    except TRANSIENT as exc:
        raise StoreUnavailable(f"Firestore unavailable: {type(exc).__name__}") from exc
    except ValueError as exc:
        # The transaction loop reports a begin that failed, or a commit still contended after its
        # attempts, as a ValueError caused by the network or contention error.
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, TRANSIENT):
            raise StoreUnavailable(f"Firestore unavailable: {type(cause).__name__}") from exc
        raise
