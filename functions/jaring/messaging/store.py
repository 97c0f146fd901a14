"""Firestore adapter: the only module that knows collection names and document shapes."""
from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any, Callable

from google.api_core import exceptions as gexc
from google.cloud import firestore
from google.cloud.firestore_v1.base_document import DocumentSnapshot

from jaring import ids as refs, pseudonyms, retention
from jaring.clock import day_start
from jaring.messaging import outbox
from jaring.messaging.decision import Decision
from jaring.messaging.outbox import Outgoing
from jaring.whatsapp.webhook import InboundMessage, StatusUpdate

log = logging.getLogger(__name__)

NUMBERS = "numbers"
UNROUTED = "unrouted"  # messages to a number no office owns: number id, type, times; no sender, no words
CONTACTS = "contacts"
INBOUND = "inbound"
OUTBOX = "outbox"
SERVICE_REQUESTS = "service_requests"  # a citizen asked for a catalogue service (the conversation writes it)
# The conversation creates service requests and complaints through Decision.writes, naming them by the owners'
# constants (SERVICE_REQUESTS here, jaring.cases.store.COMPLAINTS).

# Fields that can hold a citizen's number, name or words, in any collection; erasure removes them.
PERSONAL_FIELDS = ("wa_id", "name", "to", "text", "content", "media", "location", "wamid", "quoted_wamid",
                   "meta", "requests", "handle", "details", "answer", "reason")
# Lists of entries whose named keys hold words (a complaint's history notes: answers, reasons, forwarded text).
PERSONAL_IN_LISTS = {"history": ("note",)}


def erased_words(record: dict[str, Any]) -> dict[str, Any]:
    """The changes that take a citizen's number, name and words out of one record (anything else stays)."""
    changes: dict[str, Any] = {name: firestore.DELETE_FIELD for name in PERSONAL_FIELDS if name in record}
    for name, keys in PERSONAL_IN_LISTS.items():
        if record.get(name):
            changes[name] = [{k: v for k, v in entry.items() if k not in keys} for entry in record[name]]
    return changes
BATCH = 400

MESSAGE_RETENTION = retention.MESSAGES


class StoreUnavailable(RuntimeError):
    """Firestore could not be reached or did not answer in time; the caller should answer 5xx."""


TRANSIENT = (gexc.ServiceUnavailable, gexc.DeadlineExceeded, gexc.RetryError, gexc.InternalServerError,
             gexc.Unknown, gexc.Aborted, gexc.TooManyRequests)


@dataclass
class Received:
    duplicate: bool
    outbox_ids: list[str]
    claimed: bool  # this call created the outbox records and holds their lease
    contact_id: str = ""
    erase: bool = False  # the citizen asked for erasure and it is not done yet
    records: dict[str, dict[str, Any]] = field(default_factory=dict)  # what this call wrote, by outbox id


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


class InlineTransaction(firestore.Transaction):
    """A read-write transaction begun by its first read instead of a BeginTransaction call.

    BatchGetDocuments with `new_transaction` returns the documents and the new transaction's id in one
    answer: a transaction whose first step reads documents saves a round trip. Reads after the first,
    writes, commit and rollback are the library's (pinned version: see requirements.txt). Run it with
    `inline_transactional`; the first read must be `tx.get_all([...])` (a query first begins as usual)."""

    retry_id: bytes | None = None  # the first attempt's id, when the library's loop retries after contention

    def get_all(self, references: list, **kwargs: Any) -> Any:
        from google.cloud.firestore_v1.base_client import _parse_batch_get
        from google.cloud.firestore_v1.types import TransactionOptions

        if self.in_progress:
            return super().get_all(references, **kwargs)
        client = self._client
        request, reference_map, _ = client._prep_get_all(references)
        request.pop("transaction", None)
        request["new_transaction"] = TransactionOptions(
            read_write=TransactionOptions.ReadWrite(retry_transaction=self.retry_id))
        snapshots = []
        for response in client._firestore_api.batch_get_documents(request=request, metadata=client._rpc_metadata):
            if response.transaction:
                self._id = response.transaction
            if response._pb.WhichOneof("result"):
                snapshots.append(_parse_batch_get(response, reference_map, client))
        return iter(snapshots)

    def _rollback(self) -> None:
        if self.in_progress:
            super()._rollback()
        else:  # it failed before the server began it: nothing to roll back
            self._clean_up()


def inline_transactional(fn: Callable[[InlineTransaction], Any]) -> Callable[[InlineTransaction], Any]:
    """firestore.transactional for an InlineTransaction: the same loop (retries after contention with the
    first attempt's id, rollback on any error), without the BeginTransaction round trip."""
    from google.cloud.firestore_v1.transaction import _Transactional

    class Inline(_Transactional):
        def _pre_commit(self, transaction: InlineTransaction, *args: Any, **kwargs: Any) -> Any:
            transaction._clean_up()
            transaction.retry_id = self.retry_id
            result = self.to_wrap(transaction, *args, **kwargs)
            if not transaction.in_progress:  # it read nothing: begin before committing its writes
                transaction._begin(retry_id=self.retry_id)
            self.current_id = transaction._id
            if self.retry_id is None:
                self.retry_id = self.current_id
            return result

    return Inline(fn)


class _ReadsNeedTransaction(Exception):
    """A turn read more than the message and its citizen: only a transaction keeps those reads true."""


class _NoReads:
    """What a turn's `read` gets on the optimistic path: any use of it is a read only a transaction protects."""

    def __getattr__(self, name: str) -> Any:
        raise _ReadsNeedTransaction(name)


class _Writes:
    """A WriteBatch as a turn's writes see it (create, set, update, delete); anything else is a read."""

    def __init__(self, batch: firestore.WriteBatch):
        self.create, self.set, self.update, self.delete = batch.create, batch.set, batch.update, batch.delete

    def __getattr__(self, name: str) -> Any:
        raise _ReadsNeedTransaction(name)


def _absent(ref: Any) -> DocumentSnapshot:
    return DocumentSnapshot(ref, None, exists=False, read_time=None, create_time=None, update_time=None)


def _present(**fields: Any) -> dict[str, Any]:
    """The fields that hold something: every value written costs an encoding and an index entry, and an
    absent field reads as None (.get) and matches no query."""
    return {name: value for name, value in fields.items() if value}


def _on_version_read(batch: firestore.WriteBatch, snap: DocumentSnapshot) -> None:
    """The batch's first write of a document read carries the version read as its precondition: still absent,
    or unchanged since its update time."""
    from google.cloud.firestore_v1 import _helpers

    path = snap.reference._document_path
    write = next(w for w in batch._write_pbs  # pinned library version; see requirements.txt
                 if w._pb.WhichOneof("operation") == "update" and w.update.name == path)
    option = _helpers.LastUpdateOption(snap.update_time) if snap.exists else _helpers.ExistsOption(False)
    option.modify_write(write)


class Store:
    def __init__(self, client: firestore.Client, timeout: float = 10.0, pseudonym_key: bytes = b""):
        self.db = client
        self.timeout = timeout
        self.pseudonym_key = pseudonym_key
        bound_deadlines(client, timeout)

    def contact_id(self, office: str, sender: str) -> str:
        """Pseudonymous id of a citizen within an office (keyed); the number itself lives only on the contact."""
        return pseudonyms.contact_id(self.pseudonym_key, office, sender)

    # -- offices -------------------------------------------------------------------------
    def office_for_number(self, phone_number_id: str) -> str | None:
        snap = self._call(self.db.collection(NUMBERS).document(phone_number_id).get)
        return snap.get("office") if snap.exists else None

    def number_of(self, office: str) -> str | None:
        """The WhatsApp number id registered for an office in `numbers` (the first, if it has several)."""
        found = self._call(self.db.collection(NUMBERS).where(filter=firestore.FieldFilter("office", "==", office))
                           .limit(1).get)
        return found[0].id if found else None

    def record_unrouted(self, message: InboundMessage, now: dt.datetime) -> None:
        """Keep that a message reached a number no office owns, once per message, without personal data."""
        ref = self.db.collection(UNROUTED).document("u" + outbox.key(message.wamid))
        self._call(ref.set, {"phone_number_id": message.phone_number_id, "type": message.type,
                             "sent_at": message.sent_at, "received_at": now})

    # -- inbound -------------------------------------------------------------------------
    def receive(self, office: str, message: InboundMessage, now: dt.datetime,
                decide: Callable[[dict[str, Any] | None, dict[str, Any] | None], Decision],
                target_id: str | None = None,
                read: Callable[[Any, dict[str, Any] | None], None] | None = None) -> Received:
        """Store a message once, with the contact's new state and the replies to send.

        `target_id` is the citizen a staff message is about: read and changed in the same transaction.
        `read(tx, contact)` reads whatever else the decision depends on (a complaint, a WBS report) in the
        same transaction, before `decide` runs, so a concurrent change reruns the whole thing.
        A redelivered message finds its first record and gets back the same outbox ids.
        A turn that reads only the message and its citizen (most do) commits without a transaction, on
        preconditions (_receive_optimistically); any other runs in the transaction.
        """
        cid = self.contact_id(office, message.sender)
        inbound_ref = self.db.collection(INBOUND).document("m" + outbox.key(message.wamid))
        contact_ref = self.db.collection(CONTACTS).document(cid)
        target_ref = self.db.collection(CONTACTS).document(target_id) if target_id and target_id != cid else None

        wanted = [inbound_ref, contact_ref] + ([target_ref] if target_ref else [])

        def turn(snaps: dict[str, Any], reads: Any, writes: Any) -> Received:
            inbound_snap, contact_snap = snaps[inbound_ref.path], snaps[contact_ref.path]
            if inbound_snap.exists:
                first = inbound_snap.to_dict()
                return Received(True, list(first.get("outbox_ids") or []), False, cid,
                                bool(first.get("erase_requested")) and not first.get("erased_at"))
            contact = contact_snap.to_dict() if contact_snap.exists else None
            erasing = contact is not None and bool(contact.get("erasing_at"))
            if erasing:  # HAPUS DATA is under way: whoever writes now is someone new, told the notice again
                contact = None
            target_snap = snaps.get(target_ref.path) if target_ref else None
            target = target_snap.to_dict() if target_snap is not None and target_snap.exists else None
            if read is not None:
                read(reads, contact)
            decision = decide(contact, target)
            ids = [outbox.reply_id(message.wamid, i) for i in range(len(decision.outgoing))]
            about = decision.about or (target_id if target_id and target_id != cid else "")
            if decision.redact_inbound:  # about a WBS report: nothing of it leads to the sender or the words
                writes.create(inbound_ref, self._unlinked_inbound(office, now, ids))
            else:
                writes.create(inbound_ref, {
                    "office": office, "contact_id": cid, "wamid": message.wamid, "type": message.type,
                    "text": message.text if decision.inbound_text is None else decision.inbound_text,
                    "sent_at": message.sent_at, "received_at": now, "outbox_ids": ids,
                    "expire_at": now + MESSAGE_RETENTION,
                    **_present(choice=message.choice, quoted_wamid=message.quoted_wamid, media=message.media,
                               location=message.location, erase_requested=decision.erase_contact, about=about),
                })
            changes = {"last_inbound_at": now, **decision.contact_changes}
            if contact is None or contact.get("contact_id") != cid or contact.get("office") != office:
                changes.update({"office": office, "contact_id": cid})  # what finds them; written once
            if not (contact or {}).get("expire_at"):  # whichever way in: a contact always expires
                changes.setdefault("expire_at", now + retention.UNAGREED_CONTACT)
            if contact is None:
                changes.setdefault("first_seen_at", now)
                changes.setdefault("wa_id", message.sender)
                changes.setdefault("name", message.name)
            if contact is None or "handle" not in contact:
                changes.setdefault("handle", refs.handle(cid))
            writes.set(contact_ref, changes, merge=not erasing)  # nothing of the erased contact carries over
            if target is not None and decision.target_changes:
                writes.set(target_ref, decision.target_changes, merge=True)
            records = {oid: self._outbox_record(office, message.phone_number_id, out, out.contact_id or cid, now,
                                                claimed=True) for oid, out in zip(ids, decision.outgoing)}
            for oid, record in records.items():
                if about and not decision.outgoing[ids.index(oid)].contact_id:  # an answer to staff about the citizen
                    record["about"] = about
                writes.create(self.db.collection(OUTBOX).document(oid), record)
            for collection, doc_id, data in decision.writes or []:
                writes.create(self.db.collection(collection).document(doc_id), data)
            for write in decision.stage:
                write(writes)
            return Received(False, ids, True, cid, decision.erase_contact, records)

        if target_ref is None:  # a staff turn about a citizen: two documents to read, in the transaction
            received = self._receive_optimistically(inbound_ref, contact_ref, turn)
            if received is not None:
                return received

        @inline_transactional
        def run(tx: InlineTransaction) -> Received:
            return turn({s.reference.path: s for s in tx.get_all(wanted)}, tx, tx)

        return self._call(run, InlineTransaction(self.db))

    def _receive_optimistically(self, inbound_ref: Any, contact_ref: Any,
                                turn: Callable[[dict[str, Any], Any, Any], Received]) -> Received | None:
        """A turn without a transaction: the citizen read, then one commit whose preconditions are that read.

        The message is taken to be new (a redelivery is rare) and the citizen is read alone, by the unary
        GetDocument: one document read instead of two, and no stream. The commit creates the message (so it
        fails if the message was stored before) and writes the citizen on the version read (still absent, or
        unchanged since its update time); a redelivery or a concurrent change (the same citizen's other
        message, a staff step) fails the whole commit as it would abort a transaction, and nothing of it is
        written. None when the turn reads more (through `reads`) or its commit failed so: the caller runs it in
        a transaction, which finds a message stored meanwhile and answers it as the duplicate it is. No lock is
        held between read and commit; one call at a time the step costs the emulator and the function about a
        third less CPU (docs/BENCHMARKS.md, session 5)."""
        contact = self._read_one(contact_ref)
        batch = self.db.batch()
        try:
            received = turn({inbound_ref.path: _absent(inbound_ref), contact_ref.path: contact}, _NoReads(),
                            _Writes(batch))
        except _ReadsNeedTransaction:
            return None
        _on_version_read(batch, contact)  # the turn always writes its citizen; the message's create needs it absent
        try:
            self._call(batch.commit)
        except (gexc.AlreadyExists, gexc.FailedPrecondition):
            log.info("a message's commit met a redelivery or a concurrent change: it runs again in a transaction")
            return None
        return received

    def _read_one(self, ref: Any) -> Any:
        """One document by the unary GetDocument call (a batch read of one is a stream: dearer on both sides)."""
        from google.cloud.firestore_v1 import _helpers

        try:
            found = self._call(self.db._firestore_api.get_document, request={"name": ref._document_path},
                               metadata=self.db._rpc_metadata)  # pinned library version; see requirements.txt
        except gexc.NotFound:
            return _absent(ref)
        return DocumentSnapshot(ref, _helpers.decode_dict(found.fields, self.db), exists=True, read_time=None,
                                create_time=found.create_time, update_time=found.update_time)

    @staticmethod
    def _unlinked_inbound(office: str, now: dt.datetime, outbox_ids: list[str]) -> dict[str, Any]:
        """A message about a WBS report as it is kept: that it came (so a redelivery is answered once), on
        which day, and the replies' ids; no sender, no message id, no words, no flag, no exact time."""
        return {"office": office, "received_on": day_start(now), "outbox_ids": outbox_ids,
                "expire_at": day_start(now + MESSAGE_RETENTION)}

    def stage_redact_inbound(self, tx, office: str, wamid: str, now: dt.datetime) -> None:
        """Forget what an earlier message said and who said it (its words became part of a WBS report); it is
        kept as if received on the day it was forgotten."""
        tx.set(self.db.collection(INBOUND).document("m" + outbox.key(wamid)), self._unlinked_inbound(office, now, []))

    # -- contacts ------------------------------------------------------------------------
    def contact(self, cid: str, tx: Any = None) -> dict[str, Any] | None:
        snap = self._call(self.db.collection(CONTACTS).document(cid).get, transaction=tx)
        return snap.to_dict() if snap.exists else None

    def stage_contact_changes(self, tx, cid: str, changes: dict[str, Any]) -> None:
        """Changes to a citizen other than the sender (e.g. the rating question set by a staff step)."""
        tx.set(self.db.collection(CONTACTS).document(cid), changes, merge=True)

    def contact_by_handle(self, office: str, handle: str) -> str | None:
        """The citizen staff name by their code (#balas W2K7QX …)."""
        found = self._call(self.db.collection(CONTACTS).where(filter=firestore.FieldFilter("handle", "==", handle))
                           .where(filter=firestore.FieldFilter("office", "==", office)).limit(1).get)
        return found[0].id if found else None

    def service_requests_of(self, office: str, cid: str, tx: Any = None) -> list[dict[str, Any]]:
        """A citizen's service requests, newest first (DATA SAYA; equality filters only, few per citizen)."""
        query = (self.db.collection(SERVICE_REQUESTS).where(filter=firestore.FieldFilter("contact_id", "==", cid))
                 .where(filter=firestore.FieldFilter("office", "==", office)))
        return sorted((s.to_dict() for s in self._call(query.get, transaction=tx)), key=lambda r: r["requested_at"],
                      reverse=True)

    def relayed(self, office: str, wamid: str) -> dict[str, Any] | None:
        """The relay record behind a message that staff quoted in their reply."""
        found = self._call(self.db.collection(OUTBOX).where(filter=firestore.FieldFilter("wamid", "==", wamid))
                           .limit(1).get)
        record = found[0].to_dict() if found else None
        if record is None or record.get("office") != office or record.get("purpose") != "relay":
            return None
        return record

    def relayed_contact(self, office: str, wamid: str) -> str | None:
        """The citizen behind a relayed message that staff quoted in their reply."""
        return (self.relayed(office, wamid) or {}).get("contact_id") or None

    def contacts_labelled(self, office: str, label: str) -> list[dict[str, Any]]:
        query = (self.db.collection(CONTACTS).where(filter=firestore.FieldFilter("office", "==", office))
                 .where(filter=firestore.FieldFilter("labels", "array_contains", label)))
        return [snap.to_dict() for snap in self._call(query.get)]

    def erase_contact(self, office: str, cid: str, now: dt.datetime,
                      settle: Callable[[str, dict[str, Any], dt.datetime], dict[str, Any]] | None = None) -> int:
        """Remove a citizen's number, name and words from every collection; keep the anonymous rest.

        Records about them keep their counts (a request, a complaint, a delivered message) under a random
        id that nothing links back to the number; the contact document itself is deleted. Unsent
        messages to them are given up; `settle(collection, record, now)` adds the features' own changes (an
        open invitation closes, an open complaint ends). Idempotent: a second run finds nothing left to change.
        """
        anonymous = "x" + secrets.token_hex(10)
        writes: list[tuple[Any, dict[str, Any] | None]] = []
        seen: set[str] = set()
        for collection in self._call(lambda: list(self.db.collections())):
            if collection.id == CONTACTS:
                continue
            theirs = collection.where(filter=firestore.FieldFilter("contact_id", "==", cid))
            about = collection.where(filter=firestore.FieldFilter("about", "==", cid))  # staff's messages about them
            found = [("contact_id", s) for s in self._call(theirs.get)] + [("about", s) for s in self._call(about.get)]
            for field, snap in found:
                record = snap.to_dict()
                if record.get("office", office) != office or snap.reference.path in seen:
                    continue
                seen.add(snap.reference.path)
                update = {field: anonymous, "erased_at": now, **erased_words(record)}
                if collection.id == OUTBOX and record.get("state") in (outbox.SENDING, outbox.RETRY):
                    update.update({"state": outbox.FAILED, "lease_until": None, "next_attempt_at": None,
                                   "error": {"code": None, "reason": "erased at the citizen's request"}})
                if settle is not None:
                    update.update(settle(collection.id, record, now))

                writes.append((snap.reference, update))
        writes.append((self.db.collection(CONTACTS).document(cid), None))
        for start in range(0, len(writes), BATCH):
            batch = self.db.batch()
            for ref, update in writes[start:start + BATCH]:
                if update is None:
                    batch.delete(ref)
                else:
                    batch.update(ref, update)
            self._call(batch.commit)
        log.info("erased contact %s: %d records made anonymous", cid[:9], len(writes) - 1)
        return len(writes) - 1

    # -- outbox --------------------------------------------------------------------------
    @staticmethod
    def _outbox_record(office: str, phone_number_id: str, out: Outgoing, cid: str, now: dt.datetime,
                       claimed: bool) -> dict[str, Any]:
        queued = out.not_before is not None and out.not_before > now
        return {
            "office": office, "phone_number_id": phone_number_id, "to": out.to, "contact_id": cid,
            "content": outbox.stored_content(out.content), "purpose": out.purpose, **_present(meta=out.meta),
            "state": outbox.QUEUED if queued else outbox.SENDING if claimed else outbox.RETRY,
            "lease_until": now + outbox.LEASE if claimed and not queued else None,
            "next_attempt_at": out.not_before if queued else now, "attempts": 0, "created_at": now,
            "expire_at": now + MESSAGE_RETENTION,  # it holds the number and the text: same retention
            # wamid, delivery, error and uncertain_attempts come with the send's outcome and its statuses
            **({"sensitive": True} if out.sensitive else {}),  # only until sent (_forgotten), never False
        }

    def stage_claimed(self, writes: firestore.WriteBatch | firestore.Transaction, office: str,
                      phone_number_id: str, outbox_id: str, out: Outgoing, now: dt.datetime) -> dict[str, Any]:
        """Create an outbound record under the caller's lease, in the caller's batch or transaction (after
        its reads); returns the record for delivery.send_claimed."""
        record = self._outbox_record(office, phone_number_id, out, out.contact_id, now, claimed=True)
        writes.create(self.db.collection(OUTBOX).document(outbox_id), record)
        return record

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
            awaited = (doc.get("awaiting_status_until") or now) > now  # not even an operator's --now skips it
            due = (doc["state"] == outbox.RETRY and not awaited and (ignore_backoff or doc["next_attempt_at"] <= now)) or (
                doc["state"] == outbox.SENDING and (doc.get("lease_until") or now) <= now) or (
                doc["state"] == outbox.QUEUED and doc["next_attempt_at"] <= now)  # its hour never bends
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

    @staticmethod
    def _forgotten(record: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
        """What a sensitive record (a WBS receipt, status or notice) loses once sent or given up: its words,
        its addressee, its citizen, its flag and its exact times, so nothing lists or times reporters."""
        return {"content": outbox.REDACTED, "to": firestore.DELETE_FIELD, "contact_id": "",
                "sensitive": firestore.DELETE_FIELD, "created_at": day_start(record.get("created_at") or now),
                "next_attempt_at": None, "sent_at": firestore.DELETE_FIELD,
                "expire_at": day_start(now + MESSAGE_RETENTION)}

    def mark_sent(self, outbox_id: str, wamid: str, attempts: int, uncertain: int, now: dt.datetime,
                  redact: dict[str, Any] | None = None) -> None:
        self._call(self.db.collection(OUTBOX).document(outbox_id).update, {
            "state": outbox.SENT, "wamid": wamid, "sent_at": now, "attempts": attempts, "lease_until": None,
            "error": None,
            # A transform is one more write for the store: only when there is something to add.
            **({"uncertain_attempts": firestore.Increment(uncertain)} if uncertain else {}),
            **(self._forgotten(redact, now) if redact is not None else {})})

    def mark_failed(self, outbox_id: str, code: int | None, reason: str, attempts: int, uncertain: int,
                    retry_at: dt.datetime | None, redact: dict[str, Any] | None = None,
                    now: dt.datetime | None = None, awaiting_status: bool = False) -> None:
        """awaiting_status: the outcome is unknown, so retry_at is also the end of the wait for a status
        callback; one that came already (the record is sent) is kept as it is."""
        ref = self.db.collection(OUTBOX).document(outbox_id)
        changes = {
            "state": outbox.RETRY if retry_at else outbox.FAILED,
            "next_attempt_at": retry_at, "lease_until": None, "attempts": attempts,
            "uncertain_attempts": firestore.Increment(uncertain),
            "error": {"code": code, "reason": reason[:300]},
            **({"awaiting_status_until": retry_at} if awaiting_status and retry_at else {}),
            **(self._forgotten(redact, now or retry_at) if redact is not None and not retry_at else {})}
        if not awaiting_status:
            self._call(ref.update, changes)
            return

        @firestore.transactional
        def run(tx: firestore.Transaction) -> None:
            snap = ref.get(transaction=tx)
            if snap.exists and snap.get("state") == outbox.SENT:  # its status callback was quicker than our timeout
                tx.update(ref, {"attempts": attempts, "uncertain_attempts": firestore.Increment(uncertain)})
            else:
                tx.update(ref, changes)

        self._call(run, self.db.transaction())

    def due_outbox_ids(self, now: dt.datetime, limit: int = 200, ignore_backoff: bool = False) -> list[str]:
        horizon = dt.datetime.max.replace(tzinfo=dt.timezone.utc) if ignore_backoff else now
        query = (self.db.collection(OUTBOX).where(filter=firestore.FieldFilter("state", "==", outbox.RETRY))
                 .where(filter=firestore.FieldFilter("next_attempt_at", "<=", horizon))
                 .order_by("next_attempt_at").limit(limit))
        stale = (self.db.collection(OUTBOX).where(filter=firestore.FieldFilter("state", "==", outbox.SENDING))
                 .where(filter=firestore.FieldFilter("lease_until", "<=", now))
                 .order_by("lease_until").limit(limit))
        queued = (self.db.collection(OUTBOX).where(filter=firestore.FieldFilter("state", "==", outbox.QUEUED))
                  .where(filter=firestore.FieldFilter("next_attempt_at", "<=", now))
                  .order_by("next_attempt_at").limit(limit))
        return [s.id for q in (query, stale, queued) for s in self._call(q.get)]

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

        @inline_transactional
        def run(tx: InlineTransaction) -> bool:
            [snap] = tx.get_all([ref])
            if not snap.exists:
                return False
            doc = snap.to_dict()
            new_state = outbox.delivery_state(doc.get("delivery"), status.status)
            if new_state is None:
                return True
            changes: dict[str, Any] = {"delivery": new_state, f"{new_state}_at": status.at}
            if outbox.proves_sent(doc.get("state", ""), status.status):  # a send we could not confirm went out
                changes.update({"state": outbox.SENT, "wamid": status.wamid, "sent_at": now, "next_attempt_at": None,
                                "lease_until": None, "error": None, "awaiting_status_until": None,
                                **(self._forgotten(doc, now) if doc.get("sensitive") else {})})
            if new_state == "read" and not doc.get("delivered_at"):
                changes["delivered_at"] = status.at
            if new_state == "failed":
                code = status.error_codes[0] if status.error_codes else None
                changes["error"] = {"code": code, "reason": status.error_title[:300]}
                if code == 131047 and doc.get("contact_id"):
                    tx.set(self.db.collection(CONTACTS).document(doc["contact_id"]),
                           {"window_closed_at": status.at}, merge=True)
                if code == 131026 and doc.get("contact_id"):
                    tx.set(self.db.collection(CONTACTS).document(doc["contact_id"]),
                           {"unreachable_at": status.at}, merge=True)
            tx.update(ref, changes)
            return True

        return self._call(run, InlineTransaction(self.db))

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
