"""Firestore adapter for tickets, invitations, follow-ups and registered forms.

Every change that sends a message writes its outbox record in the same transaction (claimed,
so the caller delivers it at once; a crash leaves a record the sweep retries). The staging
helpers are shared with the chat path, which composes them into the webhook's own transaction.
"""
from __future__ import annotations

import dataclasses
import functools
import logging
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from google.api_core import exceptions as gexc
from google.cloud import firestore

from jaring.messaging import outbox
from jaring.messaging.outbox import Outgoing
from jaring.messaging.store import CONTACTS, OUTBOX, Store, guarded
from jaring.offices.model import OfficeConfig
from jaring.survey.flow_store import FlowStore
from jaring.survey import forms, invitations, nudges, store as response_store, questionnaire as survey
from jaring.survey.responses import Response
from jaring.survey.store import INVITATIONS
from jaring.tickets import ticket as tickets
from jaring import retention

log = logging.getLogger(__name__)

TICKETS = "tickets"
FOLLOWUPS = "followups"
FORMS = "forms"


class NotFound(LookupError):
    pass


def followup_id(office: str, source_id: str) -> str:
    return "f" + outbox.key(office, source_id)


@dataclass
class Result:
    """What a change did, and the outbox records its caller must deliver now."""

    ticket_id: str = ""
    ticket: dict[str, Any] = field(default_factory=dict)
    created: bool = False
    invitation: str | None = None  # the invitation's state, when one was recorded
    outbox_ids: list[str] = field(default_factory=list)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)  # outbox records it wrote, by id
    duplicate: bool = False


class TicketStore:
    def __init__(self, db: firestore.Client, number_for: Callable[[str], str], configs: Callable[[str], OfficeConfig],
                 flows: FlowStore, contact_id: Callable[[str, str], str]):
        self.db = db
        self.contact_id = contact_id  # Store.contact_id: the keyed pseudonym of (office, number)
        self.number_for = number_for  # the WhatsApp number id an office sends from (Jaring.number_for)
        self.flows = flows  # the offices' published survey Flows
        self.configs = configs  # an office's configuration (the app's cache of office_configs)

    def _ref(self, collection: str, doc_id: str):
        return self.db.collection(collection).document(doc_id)

    def _get(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        snap = guarded(self._ref(collection, doc_id).get)
        return snap.to_dict() if snap.exists else None

    # -- configuration -----------------------------------------------------------------------------
    def form_config(self, form_id: str) -> forms.FormConfig | None:
        doc = self._get(FORMS, form_id)
        if doc is None:
            return None
        items = {k if k.isdigit() else forms.normalise_title(k): v for k, v in (doc.get("items") or {}).items()}
        return forms.FormConfig(office=doc["office"], kind=doc["kind"], unit=doc.get("unit", ""), items=items)

    def register_form(self, form_id: str, doc: dict[str, Any]) -> None:
        guarded(self._ref(FORMS, form_id).set, doc)

    def messaging(self, office: str, settings: Any) -> invitations.OfficeMessaging:
        """The office's message settings, from its configuration and its registered SKM form."""
        config = self.configs(office)
        found = guarded(self.db.collection(FORMS).where(filter=firestore.FieldFilter("office", "==", office))
                        .where(filter=firestore.FieldFilter("kind", "==", forms.SKM)).limit(1).get)
        form = found[0].to_dict() if found else {}
        return invitations.OfficeMessaging(
            office_name=config.name,
            template_names={"invitation": settings.invitation_template, **config.survey.templates},
            template_language=config.survey.template_language or settings.template_language,
            form_url=form.get("url", ""), token_entry=form.get("token_entry", ""),
            units={u.id: u.title for u in config.units}, survey_path=config.survey.path,
            flow_id=self.flows.flow_id(office) if config.survey.path == invitations.FLOW else "",
            send_at=functools.partial(nudges.next_allowed, policy=nudges.Policy.from_config(config.survey.nudges,
                                                                                             config.hours)))

    # -- reads -------------------------------------------------------------------------------------
    def ticket(self, ticket_id: str) -> dict[str, Any] | None:
        return self._get(TICKETS, ticket_id)

    def contact(self, cid: str) -> dict[str, Any] | None:
        return self._get(CONTACTS, cid) if cid else None  # a guest-book ticket of an unknown number has none

    def invitation(self, ticket_id: str) -> dict[str, Any] | None:
        return self._get(INVITATIONS, ticket_id)

    def ticket_by_token(self, token: str) -> str | None:
        if not token:
            return None
        found = guarded(self.db.collection(TICKETS).where(filter=firestore.FieldFilter("token", "==", token))
                        .limit(1).get)
        return found[0].id if found else None

    def answered_by_flow(self, tx, token: str) -> tuple[str, dict[str, Any] | None, dict[str, Any] | None]:
        """The ticket a Flow completion's token names, read in the webhook's transaction with its invitation:
        (ticket id, ticket, invitation); ("", None, None) when no ticket has that token."""
        found = guarded(self.db.collection(TICKETS).where(filter=firestore.FieldFilter("token", "==", token))
                        .limit(1).get, transaction=tx)
        if not found:
            return "", None, None
        inv = guarded(self._ref(INVITATIONS, found[0].id).get, transaction=tx)
        return found[0].id, found[0].to_dict(), inv.to_dict() if inv.exists else None

    def open_tickets_of(self, office: str, cid: str) -> list[tuple[str, dict[str, Any]]]:
        query = (self.db.collection(TICKETS).where(filter=firestore.FieldFilter("contact_id", "==", cid))
                 .where(filter=firestore.FieldFilter("status", "==", tickets.OPEN)))
        return [(s.id, s.to_dict()) for s in guarded(query.get) if s.get("office") == office]

    def latest_of(self, office: str, cid: str, tx: Any = None,
                  limit: int | None = 5) -> list[tuple[str, dict[str, Any]]]:
        """A citizen's latest tickets, newest first (every one with limit None; equality filters only: no composite
        index; few per citizen)."""
        query = (self.db.collection(TICKETS).where(filter=firestore.FieldFilter("contact_id", "==", cid))
                 .where(filter=firestore.FieldFilter("office", "==", office)))
        found = [(s.id, s.to_dict()) for s in guarded(query.get, transaction=tx)]
        return sorted(found, key=lambda pair: pair[1]["opened_at"], reverse=True)[:limit]

    def latest_uninvited(self, tx: Any, office: str, cid: str,
                         since: dt.datetime) -> tuple[str, dict[str, Any]] | None:
        """The citizen's most recently completed ticket (completed at `since` or later) that has no invitation,
        read in the caller's transaction with the invitations of those tickets, so an invitation made meanwhile
        reruns it; None when there is none. Equality filters only (no composite index; few per citizen)."""
        query = (self.db.collection(TICKETS).where(filter=firestore.FieldFilter("contact_id", "==", cid))
                 .where(filter=firestore.FieldFilter("office", "==", office))
                 .where(filter=firestore.FieldFilter("status", "==", tickets.COMPLETED)))
        found = [(s.id, s.to_dict()) for s in guarded(query.get, transaction=tx)]
        done = sorted(((tid, t) for tid, t in found if t.get("completed_at") and t["completed_at"] >= since),
                      key=lambda pair: pair[1]["completed_at"], reverse=True)
        if not done:
            return None
        invited = {s.id for s in tx.get_all([self._ref(INVITATIONS, tid) for tid, _ in done]) if s.exists}
        return next(((tid, ticket) for tid, ticket in done if tid not in invited), None)

    def list_tickets(self, office: str, unit: str = "", status: str = "", limit: int = 100):
        query = self.db.collection(TICKETS).where(filter=firestore.FieldFilter("office", "==", office))
        if unit:
            query = query.where(filter=firestore.FieldFilter("unit", "==", unit))
        if status:
            query = query.where(filter=firestore.FieldFilter("status", "==", status))
        return [(s.id, s.to_dict()) for s in guarded(query.limit(limit).get)]

    def followups(self, office: str, unit: str = "", state: str = "open", limit: int = 100):
        query = (self.db.collection(FOLLOWUPS).where(filter=firestore.FieldFilter("office", "==", office))
                 .where(filter=firestore.FieldFilter("state", "==", state)))
        if unit:
            query = query.where(filter=firestore.FieldFilter("unit", "==", unit))
        return [(s.id, s.to_dict()) for s in guarded(query.limit(limit).get)]

    # -- staging (shared with the chat path) ---------------------------------------------------------
    def stage_contact(self, tx, office: str, wa_id: str, name: str, existing: dict[str, Any] | None,
                      now: dt.datetime) -> str:
        cid = self.contact_id(office, wa_id)
        if existing is None:
            tx.set(self._ref(CONTACTS, cid), {"office": office, "contact_id": cid, "wa_id": wa_id, "name": name,
                                              "first_seen_at": now, "expire_at": now + retention.UNAGREED_CONTACT},
                   merge=True)
        return cid

    def stage_invitation(self, tx, ticket_id: str, ticket: dict[str, Any], contact: dict[str, Any] | None,
                         messaging: invitations.OfficeMessaging, now: dt.datetime,
                         outbox_id: str | None = None) -> tuple[str | None, dict[str, dict[str, Any]]]:
        """Record the invitation a completed ticket earns (if any) with its outbox record.

        outbox_id None: this call creates and claims "inv…" (returned by id, for delivery); a given id: the
        chat path sends it as a reply.
        """
        plan = invitations.plan(ticket_id, ticket, contact, messaging, now)
        if plan is None:
            return None, {}
        # A template (the citizen is not in a conversation now) waits for polite hours; a reply does not.
        goes_at = now if invitations.window_open(contact, now) else messaging.send_at(now)
        if plan.reason:
            log.warning("survey invitation for ticket %s not sent: %s", ticket_id, plan.reason)
        created: dict[str, dict[str, Any]] = {}
        record_id = None
        if plan.content is not None:
            record_id = outbox_id or invitations.invitation_outbox_id(ticket_id)
            if outbox_id is None:
                out = Outgoing(to=contact["wa_id"], content=plan.content, purpose="invitation",
                               contact_id=ticket["contact_id"], meta={"ticket_id": ticket_id, "unit": ticket["unit"]},
                               not_before=goes_at)
                created[record_id] = Store._outbox_record(ticket["office"], self.number_for(ticket["office"]), out,
                                                          out.contact_id, now, True)
                tx.create(self._ref(OUTBOX, record_id), created[record_id])
            tx.update(self._ref(CONTACTS, ticket["contact_id"]), {"survey": survey.offered(ticket_id, ticket, now)})
        tx.create(self._ref(INVITATIONS, ticket_id), invitations.invitation_doc(ticket_id, ticket, plan, record_id,
                                                                                 now, nudges.first_nudge_at(goes_at)))
        return plan.state, created

    def stage_answer(self, tx, response: Response, reasons: list[str], contact: dict[str, Any] | None,
                     invitation: dict[str, Any] | None, thanks: Outgoing | None, now: dt.datetime) -> list[str]:
        """A survey answer: the response, the ticket and invitation answered, a follow-up if it scored low."""
        response_store.stage(tx, self.db, response)
        ids: list[str] = []
        tid = response.ticket_id
        if tid:
            tx.update(self._ref(TICKETS, tid), {"answered_at": now})
            if invitation is not None:
                tx.update(self._ref(INVITATIONS, tid), invitations.answered(now))
            if contact is not None and (contact.get("survey") or {}).get("ticket_id") == tid:
                tx.update(self._ref(CONTACTS, self.contact_id(response.office, contact["wa_id"])), {
                    "survey.step": survey.DONE, "survey.updated_at": now,
                    "labels": firestore.ArrayRemove([survey.PENDING_LABEL])})
            if thanks is not None:
                oid = invitations.thanks_outbox_id(tid)
                tx.create(self._ref(OUTBOX, oid), Store._outbox_record(response.office, self.number_for(response.office), thanks,
                                                                       thanks.contact_id, now, True))
                ids.append(oid)
        if reasons:
            tx.create(self._ref(FOLLOWUPS, followup_id(response.office, response.source_id)), {
                "office": response.office, "unit": response.unit, "service": response.service,
                "ticket_id": tid, "contact_id": self.contact_id(response.office, contact["wa_id"]) if contact else None,
                "response_id": response_store.response_id(response.office, response.source_id),
                "reasons": reasons, "suggestion": response.suggestion, "state": "open", "opened_at": now,
                "closed_at": None, "action": "", "closed_by": "", "outbox_id": None,
                "expire_at": now + retention.SERVICE})
        return ids

    # -- transactions ----------------------------------------------------------------------------------
    def open_ticket(self, spec: tickets.NewTicket, wa_id: str, name: str, messaging: invitations.OfficeMessaging,
                    now: dt.datetime, only_known: bool = False) -> Result:
        """Create the ticket a source opens (once: the same source finds it again), with its contact,
        and the invitation when the service is already complete.

        only_known (the open guest book, where anyone may type any number): the ticket is tied to the number
        only when that number has written to the office before; otherwise the ticket keeps no contact, the
        number is not stored, no message is sent (invitation None) and the citizen checks in themselves."""
        tid = spec.id
        cid = self.contact_id(spec.office, wa_id)
        ticket_ref, contact_ref = self._ref(TICKETS, tid), self._ref(CONTACTS, cid)

        @firestore.transactional
        def run(tx) -> Result:
            snaps = {s.reference.path: s for s in tx.get_all([ticket_ref, contact_ref])}
            if snaps[ticket_ref.path].exists:
                return Result(tid, snaps[ticket_ref.path].to_dict(), created=False)
            contact = snaps[contact_ref.path].to_dict() if snaps[contact_ref.path].exists else None
            if only_known and not (contact or {}).get("last_inbound_at"):
                ticket = tickets.new(spec, "", now, tickets.new_token())
                tx.create(ticket_ref, ticket)
                return Result(tid, ticket, True)
            ticket = tickets.new(spec, cid, now, tickets.new_token())
            if ticket["status"] == tickets.COMPLETED:
                ticket.update(invitations.consent_on_completion(ticket, contact))
            self.stage_contact(tx, spec.office, wa_id, name, contact, now)
            tx.create(ticket_ref, ticket)
            contact = contact or {"contact_id": cid, "wa_id": wa_id}
            state, records = self.stage_invitation(tx, tid, ticket, contact, messaging, now)
            return Result(tid, ticket, True, state, list(records), records=records)

        return guarded(run, self.db.transaction())

    def change_ticket(self, office: str, tid: str, action: str, messaging: invitations.OfficeMessaging,
                      now: dt.datetime, allowed=lambda ticket: True) -> Result:
        """Complete or cancel a ticket; completing records its invitation (once)."""
        ticket_ref, inv_ref = self._ref(TICKETS, tid), self._ref(INVITATIONS, tid)

        @firestore.transactional
        def run(tx) -> Result:
            ticket = self._owned(tx, ticket_ref, office, allowed, "ticket")
            contact_ref = self._ref(CONTACTS, ticket.get("contact_id") or "-")  # "-": no contact, never exists
            snaps = {s.reference.path: s for s in tx.get_all([inv_ref, contact_ref])}
            contact = snaps[contact_ref.path].to_dict() if snaps[contact_ref.path].exists else None
            changes = (tickets.complete if action == "complete" else tickets.cancel)(ticket, now)
            invite = action == "complete" and not snaps[inv_ref.path].exists
            if invite:
                changes.update(invitations.consent_on_completion(ticket, contact))
            ticket.update(changes)
            if changes:
                tx.update(ticket_ref, changes)
            if not invite:
                return Result(tid, ticket)
            state, records = self.stage_invitation(tx, tid, ticket, contact, messaging, now)
            return Result(tid, ticket, False, state, list(records), records=records)

        return guarded(run, self.db.transaction())

    def answer(self, response: Response, reasons: list[str], messaging: invitations.OfficeMessaging,
               now: dt.datetime) -> Result:
        """Store a form answer linked to its ticket (or a walk-in), once per form response and per ticket."""
        tid = response.ticket_id

        @firestore.transactional
        def run(tx) -> Result:
            ticket = invitation = contact = None
            if tid:
                ticket_snap, inv_snap = self._snaps(tx, [self._ref(TICKETS, tid), self._ref(INVITATIONS, tid)])
                ticket, invitation = ticket_snap.to_dict(), inv_snap.to_dict() if inv_snap.exists else None
                if ticket.get("answered_at"):
                    return Result(tid, ticket, duplicate=True)  # the first answer per service counts
                contact_snap = self._ref(CONTACTS, ticket.get("contact_id") or "-").get(transaction=tx)
                contact = contact_snap.to_dict() if contact_snap.exists else None
            thanks = None
            if ticket and contact and contact.get("wa_id") and invitations.may_invite(ticket, contact):
                thanks = Outgoing(to=contact["wa_id"], purpose="thanks", contact_id=ticket["contact_id"],
                                  content=invitations.thanks(tid, response.service, bool(reasons), contact,
                                                             messaging, now), meta={"ticket_id": tid})
            nudged = {"nudges_before_answer": int(invitation.get("nudges") or 0)} if invitation else {}
            staged = dataclasses.replace(response, **nudged)
            ids = self.stage_answer(tx, staged, reasons, contact, invitation, thanks, now)
            return Result(tid or "", ticket or {}, True, invitations.ANSWERED if invitation else None, ids)

        try:
            return guarded(run, self.db.transaction())
        except gexc.AlreadyExists:
            return Result(tid or "", duplicate=True)

    def close_followup(self, fid: str, office: str, action: str, by: str, messaging: invitations.OfficeMessaging,
                       now: dt.datetime, allowed=lambda followup: True) -> Result:
        """Close a follow-up and tell the citizen what was done ("you said, we did")."""
        ref = self._ref(FOLLOWUPS, fid)

        @firestore.transactional
        def run(tx) -> Result:
            followup = self._owned(tx, ref, office, allowed, "follow-up")
            if followup["state"] == "closed":
                return Result(followup.get("ticket_id") or "", followup)
            contact = None
            if followup.get("contact_id"):
                contact_snap = self._ref(CONTACTS, followup["contact_id"]).get(transaction=tx)
                contact = contact_snap.to_dict() if contact_snap.exists else None
            oid = None
            if contact and contact.get("wa_id") and not invitations.opted_out(contact):
                oid = invitations.closing_outbox_id(fid)
                out = Outgoing(to=contact["wa_id"], purpose="followup", contact_id=followup["contact_id"],
                               content=invitations.closing(followup["ticket_id"], followup.get("service", ""),
                                                           action, contact, messaging, now),
                               meta={"followup_id": fid})
                tx.create(self._ref(OUTBOX, oid), Store._outbox_record(office, self.number_for(office), out, out.contact_id,
                                                                       now, True))
            changes = {"state": "closed", "closed_at": now, "action": action, "closed_by": by, "outbox_id": oid}
            tx.update(ref, changes)
            return Result(followup.get("ticket_id") or "", {**followup, **changes}, outbox_ids=[oid] if oid else [])

        return guarded(run, self.db.transaction())

    def sync_invitation(self, ticket_id: str) -> str | None:
        """After an in-request send: the invitation is sent, failed, or still pending (retry due)."""
        invitation = self.invitation(ticket_id)
        if not invitation or invitation.get("state") != invitations.PENDING or not invitation.get("outbox_id"):
            return (invitation or {}).get("state")
        record = self._get(OUTBOX, invitation["outbox_id"]) or {}
        state = {outbox.SENT: invitations.SENT, outbox.FAILED: invitations.FAILED}.get(record.get("state"))
        if state:
            guarded(self._ref(INVITATIONS, ticket_id).update, {"state": state})
        return state or invitations.PENDING

    @staticmethod
    def _owned(tx, ref, office: str, allowed, what: str) -> dict[str, Any]:
        """A document of this office that the caller may change (NotFound / PermissionError otherwise)."""
        snap = ref.get(transaction=tx)
        if not snap.exists or snap.get("office") != office:
            raise NotFound(f"no {what} {ref.id}")
        doc = snap.to_dict()
        if not allowed(doc):
            raise PermissionError(f"this {what} belongs to another unit")
        return doc

    @staticmethod
    def _snaps(tx, refs):
        snaps = {s.reference.path: s for s in tx.get_all(refs)}
        return [snaps[r.path] for r in refs]
