"""The tickets' part of a WhatsApp conversation: staff commands, QR check-in, the in-chat survey, and the
survey answered in a WhatsApp Flow (`flow_decider`, see its section below).

`decider` wraps the hotline's decide: it reads what a staff command or check-in needs before the
webhook's transaction, then answers inside it; anything that is not about tickets goes on to the
hotline untouched. Ticket changes ride in the same transaction as the message (Decision.stage).
jaring.inbox imports this module only for a turn that may be the tickets' (jaring.tickets.commands.enters).
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Callable

from jaring import identity
from jaring.app import Jaring
from jaring.clock import local_day
from jaring.messaging import outbox
from jaring.messaging.decision import Decision
from jaring.messaging.outbox import Outgoing
from jaring.offices import catalogue, staff_help
from jaring.offices import hours as office_hours
from jaring.offices.model import Staff, elsewhere_card
from jaring.phone import InvalidPhoneNumber, mask_numbers, normalise
from jaring.survey import flow as survey_flow, invitations, questionnaire as survey
from jaring.survey.responses import validate
from jaring.tickets import commands as chat_commands, ticket as tickets
from jaring.tickets.store import TICKETS, TicketStore
from jaring.whatsapp import messages
from jaring.whatsapp.webhook import InboundMessage

log = logging.getLogger(__name__)

Decide = Callable[[dict[str, Any] | None], Decision]
Reader = Callable[[dict[str, Any] | None], Any]  # how the bot reads the message for this contact (intent, value)
FLOWS = ("intake", "pending", "handoff")  # a flow the hotline starts takes over from a survey under way


def decider(app: Jaring, office: str, message: InboundMessage, now: dt.datetime, hotline: Decide,
            reader: Reader = lambda contact: None) -> Decide:
    text = message.text if message.type == "text" else ""
    command = chat_commands.parse_command(text)
    unit = chat_commands.parse_checkin(text)
    store = app.ticket_store if (command or unit) else None
    if command and store is not None:
        staff = app.office_config(office).staff_member(message.sender)
        if staff is not None:
            decision = _staff(app, store, office, staff, command, message, now)
            # Kept without the number typed into it, and tagged with the citizen it named, for their erasure.
            decision.inbound_text, decision.about = mask_numbers(message.text), _named(app, store, office, command)
            return lambda contact: decision
    if unit and store is not None:
        return _checkin(app, store, office, unit, message, now)

    def decide(contact: dict[str, Any] | None) -> Decision:
        found = reader(contact)
        said = (found.intent, found.value) if found is not None else ("unknown", "")
        state = (contact or {}).get("survey")
        turn = survey.turn(state, message, now, said)
        if turn is None and survey.pending_step(state) and said[0] in ("unknown", "greeting", "thanks", "yes", "no"):
            return Decision([_reply(message, survey.WAITS),
                             Outgoing(to=message.sender, content=survey.question(state["ticket_id"], state["step"]))])
        if turn is None:
            return _survey_waits(contact, message, hotline(contact), said, now)
        return _survey(app, office, contact, message, turn, now)

    return decide


def _survey_waits(contact: dict[str, Any] | None, message: InboundMessage, decision: Decision,
                  said: tuple[str, Any], now: dt.datetime) -> Decision:
    """The hotline answered while a survey question was pending. MENU, or a flow the citizen starts (a
    complaint, a report, an officer), pauses the survey (answers kept, SURVEI goes on); anything else (a
    question about the office) leaves the question pending, and it is asked again after the answer."""
    state = (contact or {}).get("survey")
    step = survey.pending_step(state)
    if not step or "survey" in decision.contact_changes or decision.erase_contact:
        return decision
    changes = decision.contact_changes
    if said[0] == "menu" or any(changes.get(flow) for flow in FLOWS):
        changes["survey"] = {**state, **survey.paused(state, now)}
    else:
        decision.outgoing.append(Outgoing(to=message.sender, content=survey.question(state["ticket_id"], step)))
    return decision


def _named(app: Jaring, store: TicketStore, office: str, command: chat_commands.Command) -> str:
    """The contact id of the citizen a staff command names by number or ticket, "" when none."""
    kind, target = chat_commands.ref_or_phone(command.target)
    if kind == "phone":
        try:
            return app.store.contact_id(office, normalise(target))
        except InvalidPhoneNumber:
            return ""
    ticket = store.ticket(target) if kind == "ref" else None
    return (ticket or {}).get("contact_id") or "" if (ticket or {}).get("office") == office else ""


def _reply(message: InboundMessage, text: str) -> Outgoing:
    return Outgoing(to=message.sender, content=messages.text(text))


# -- staff commands -------------------------------------------------------------------------------
def _staff(app: Jaring, store: TicketStore, office: str, staff: Staff, command: chat_commands.Command,
           message: InboundMessage, now: dt.datetime) -> Decision:
    if command.action == "help":
        return Decision([_reply(message, staff_help.text(staff))])
    kind, target = chat_commands.ref_or_phone(command.target)
    if command.action == "open":
        return _open_for_citizen(app, store, office, staff, kind, target, command.rest, message, now)
    ticket_id = target if kind == "ref" else ""
    if kind == "phone":
        try:
            found = store.open_tickets_of(office, app.store.contact_id(office, normalise(target)))
        except InvalidPhoneNumber:
            found = []
        if len(found) > 1:
            return Decision([_reply(message, chat_commands.several_open(sorted(t for t, _ in found)))])
        ticket_id = found[0][0] if found else ""
    ticket = store.ticket(ticket_id) if ticket_id else None
    if ticket is None or ticket["office"] != office:
        return Decision([_reply(message, f"Tiket {command.target or '?'} tidak ditemukan (atau tidak ada tiket "
                                         "terbuka untuk nomor itu). Kirim #bantuan untuk contoh perintah.")])
    owner = app.office_config(office).unit(ticket["unit"])
    if not identity.covers(staff.role, staff.unit, ticket["unit"]):
        return Decision([_reply(message, f"Tiket {ticket_id} milik {owner.name if owner else 'unit lain'}, "
                                         "bukan unit Anda.")])
    invitation = store.invitation(ticket_id)
    if command.action == "status":
        where = owner.name if owner else "unit yang sudah tidak ada di berkas kantor"
        return Decision([_reply(message, chat_commands.status_line(
            ticket_id, ticket, invitations.described(invitation) if invitation else "", where))])
    try:
        changes = (tickets.complete if command.action == "complete" else tickets.cancel)(ticket, now)
    except tickets.TicketError as exc:
        return Decision([_reply(message, f"Tiket {ticket_id}: {exc}")])
    if command.action == "cancel":
        staged = [lambda tx: tx.update(store._ref(TICKETS, ticket_id), changes)] if changes else []
        return Decision([_reply(message, f"Tiket {ticket_id} dibatalkan.")], stage=staged)
    return _complete(app, store, office, ticket_id, {**ticket, **changes}, changes, invitation, message, now)


def _complete(app: Jaring, store: TicketStore, office: str, ticket_id: str, ticket: dict[str, Any],
              changes: dict[str, Any], invitation: dict[str, Any] | None, message: InboundMessage,
              now: dt.datetime) -> Decision:
    invite = None if invitation else _invitation(store, store.messaging(office, app.settings), ticket_id, ticket,
                                                 changes, store.contact(ticket["contact_id"]), message, 1, now)
    plan = invite.plan if invite else None
    why = invitations.reason_text(plan.reason or invitations.NO_FORM) if plan and plan.state == "failed" else ""
    waits = office_hours.moment_text(invite.goes_at) if invite and invite.goes_at and invite.goes_at > now else ""
    outgoing = [_reply(message, chat_commands.completed(ticket_id, plan.state if plan else None, why, waits)),
                *(invite.outgoing if invite else [])]

    def stage(tx) -> None:
        if invite is not None:
            invite.stage(tx)
        elif changes:
            tx.update(store._ref(TICKETS, ticket_id), changes)

    return Decision(outgoing, stage=[stage])


@dataclass(frozen=True)
class _Invited:
    """The invitation a completed ticket earns in this turn (invitations.plan), sent as one of the turn's replies."""

    plan: invitations.Plan | None  # None: no invitation is due (no agreement, no contact, too late)
    goes_at: dt.datetime | None  # when it may go: a template waits for polite hours (None: at once, or nothing goes)
    outgoing: list[Outgoing]  # the invitation's message, when one goes
    stage: Callable[[Any], None]  # writes the ticket's changes, the invitation and its outbox record


def _invitation(store: TicketStore, messaging: invitations.OfficeMessaging, ticket_id: str, ticket: dict[str, Any],
                changes: dict[str, Any], citizen: dict[str, Any] | None, message: InboundMessage, reply: int,
                now: dt.datetime) -> _Invited:
    """The invitation of a completed ticket, sent as reply number `reply` of this message. `changes`: the ticket's
    own (its completion); the ticket also records the citizen's agreement it goes out on (consent_on_completion)."""
    changes = {**changes, **invitations.consent_on_completion(ticket, citizen)}
    ticket = {**ticket, **changes}
    plan = invitations.plan(ticket_id, ticket, citizen, messaging, now)
    goes = plan is not None and plan.content is not None
    goes_at = messaging.send_at(now) if goes and not invitations.window_open(citizen, now) else None
    if plan is not None and plan.reason:
        log.warning("survey invitation for ticket %s not sent: %s", ticket_id, plan.reason)
    outgoing = [Outgoing(to=citizen["wa_id"], content=plan.content, purpose="invitation",
                         contact_id=ticket["contact_id"], meta={"ticket_id": ticket_id, "unit": ticket["unit"]},
                         not_before=goes_at)] if goes else []

    def stage(tx) -> None:
        if changes:
            tx.update(store._ref(TICKETS, ticket_id), changes)
        store.stage_invitation(tx, ticket_id, ticket, citizen, messaging, now,
                               outbox_id=outbox.reply_id(message.wamid, reply))

    return _Invited(plan, goes_at, outgoing, stage)


def _open_for_citizen(app: Jaring, store: TicketStore, office: str, staff: Staff, kind: str, target: str,
                      service: str, message: InboundMessage, now: dt.datetime) -> Decision:
    if kind != "phone" or not staff.unit:
        return Decision([_reply(message, "Tulis: #layani 0812xxxx [layanan] (perintah ini untuk petugas unit).")])
    try:
        wa_id = normalise(target)
        service = catalogue.service(app.office_config(office), staff.unit, service)
        spec = tickets.NewTicket(office=office, unit=staff.unit, service=service, channel="staff_chat",
                                 source=message.wamid, officer=staff.email or staff.name, consent=True)
        ticket = tickets.new(spec, app.store.contact_id(office, wa_id), now, tickets.new_token())
    except (InvalidPhoneNumber, tickets.TicketError, catalogue.NotInCatalogue) as exc:
        return Decision([_reply(message, f"Tiket belum dibuka: {exc}")])
    citizen = store.contact(ticket["contact_id"])

    def stage(tx) -> None:
        store.stage_contact(tx, office, wa_id, "", citizen, now)
        tx.create(store._ref(TICKETS, spec.id), ticket)

    return Decision([_reply(message, chat_commands.opened(spec.id, wa_id, service))], stage=[stage])


# -- QR check-in ----------------------------------------------------------------------------------
def _checkin(app: Jaring, store: TicketStore, office: str, unit: str, message: InboundMessage,
             now: dt.datetime) -> Decide:
    """One ticket per citizen, unit and day, however often the poster is scanned. The citizen sees the privacy
    notice, and is asked whether the survey may come to this number unless they already said."""
    messaging = store.messaging(office, app.settings)
    config = app.office_config(office)
    cid = app.store.contact_id(office, message.sender)
    source = f"{cid}:{unit}:{local_day(now).isoformat()}"
    known = not messaging.units or unit in messaging.units
    existing = store.ticket(tickets.NewTicket(office=office, unit=unit, service="", channel="qr",
                                              source=source).id) if known else None

    moved = config.unit(unit)

    def decide(contact: dict[str, Any] | None) -> Decision:
        if not known:
            return Decision([_reply(message, "Maaf, kode itu tidak kami kenali. Silakan tanya petugas loket.")])
        if moved is not None and moved.elsewhere:  # an old poster of a unit served elsewhere now: no ticket
            return Decision([_reply(message, elsewhere_card(config, moved))])
        agreed, undecided = invitations.agreed(contact), (contact or {}).get("consent") is None
        spec = tickets.NewTicket(office=office, unit=unit, service="", channel="qr", consent=agreed, source=source)
        outgoing = [_reply(message, chat_commands.checked_in(spec.id, messaging.unit_name(unit), agreed))]
        changes: dict[str, Any] = {"notice": {"at": now, "version": config.consent_version}}
        if undecided:
            outgoing.append(Outgoing(to=message.sender, content=messages.buttons(
                config.text("consent_prompt", consent=config.consent()), [("c:yes", "Setuju"), ("c:no", "Tidak setuju")])))
            changes["asked"] = "consent"
        elif ((contact or {}).get("notice") or {}).get("version") != config.consent_version:
            outgoing.append(_reply(message, config.text("notice", consent=config.consent())))
        if existing is not None:
            return Decision(outgoing, contact_changes=changes)
        ticket = tickets.new(spec, cid, now, tickets.new_token())
        return Decision(outgoing, contact_changes=changes,
                        stage=[lambda tx: tx.create(store._ref(TICKETS, spec.id), ticket)])

    return decide


# -- an agreement given after the service was finished ------------------------------------------------
class LateConsent:
    """A citizen's "Setuju" (or "ya boleh" to the question) that comes after their service was finished: the
    officer's #selesai or admin_api came first and, without the citizen's agreement, made no invitation. The
    agreement now brings the invitation of their most recently finished service that has none, exactly as its
    completion would have made it had they agreed then (`_invitation`: invitations.plan decides too late,
    BERHENTI and the office's way; the ticket records the agreement, so the reports count it invited). Only an
    agreement newly given (the contact had none): a repeated "Setuju" brings nothing more. jaring.inbox calls
    `read` in the message's transaction (the tickets and their invitations: an invitation made meanwhile reruns
    it) when the message may agree (conversation.may_agree), and `after` with the turn's decision."""

    def __init__(self, app: Jaring, office: str, message: InboundMessage, now: dt.datetime):
        self.app, self.office, self.message, self.now = app, office, message, now
        self.store = app.ticket_store
        self.found: tuple[str, dict[str, Any]] | None = None

    def read(self, tx: Any, contact: dict[str, Any] | None) -> None:
        self.found = None
        if not invitations.agreed(contact):  # agreed before: their services were invited when they were finished
            cid = self.app.store.contact_id(self.office, self.message.sender)
            self.found = self.store.latest_uninvited(tx, self.office, cid, self.now - invitations.TOO_LATE)

    def after(self, contact: dict[str, Any] | None, decision: Decision) -> Decision:
        if self.found is None or not invitations.agreed(decision.contact_changes):
            return decision  # "Tidak setuju", another turn, or no finished service without an invitation
        ticket_id, ticket = self.found
        # The citizen as this turn leaves them: agreed, and writing to us now (a reply, inside the 24-hour window).
        citizen = {**(contact or {}), **decision.contact_changes, "wa_id": self.message.sender,
                   "last_inbound_at": self.now}
        invite = _invitation(self.store, self.store.messaging(self.office, self.app.settings), ticket_id, ticket, {},
                             citizen, self.message, len(decision.outgoing), self.now)
        if invite.plan is not None:  # too late: nothing, and the ticket stays one without consent
            decision.outgoing.extend(invite.outgoing)
            decision.stage.append(invite.stage)
        return decision


# -- the in-chat survey ---------------------------------------------------------------------------
def _survey(app: Jaring, office: str, contact: dict[str, Any], message: InboundMessage, turn: survey.Turn,
            now: dt.datetime) -> Decision:
    outgoing = [Outgoing(to=message.sender, content=c) for c in turn.replies]
    decision = Decision(outgoing, contact_changes={"survey": turn.changes} if turn.changes else {})
    done = turn.finished
    if done is None:
        return decision
    labels = (contact or {}).get("labels") or []
    if survey.PENDING_LABEL in labels:
        decision.contact_changes["labels"] = [label for label in labels if label != survey.PENDING_LABEL]
    response = validate(office=office, unit=done.unit, service=done.service, channel="chat", submitted_at=now,
                        answers=done.answers, profile=done.profile, suggestion=done.suggestion,
                        ticket_id=done.ticket_id, nudges_before_answer=done.nudges,
                        source_id=f"chat:{done.ticket_id}")
    reasons = survey.followup_reasons(done.answers, done.suggestion)
    store = app.ticket_store
    messaging = store.messaging(office, app.settings)
    # The citizen is writing to us right now, so the thank-you is free-form within the window.
    decision.outgoing.append(Outgoing(to=message.sender, content=invitations.thanks(
        done.ticket_id, done.service, bool(reasons), {"last_inbound_at": now}, messaging, now)))
    decision.stage.append(lambda tx: store.stage_answer(tx, response, reasons, {**contact, "survey": None},
                                                        {"state": "sent"}, None, now))
    return decision


# -- the survey answered in a WhatsApp Flow -------------------------------------------------------------
# The completion arrives as an `nfm_reply` message. Its flow_token is the ticket's survey token, so the answer
# links to its ticket exactly as a Google Form answer does. The ticket and its invitation are read in the
# message's own transaction, so a form answer or a second completion racing this one reruns it and finds the
# ticket answered. Whatever is wrong (a broken or forged completion, a token of no ticket or of another
# citizen's, a ticket already answered) stores no response and gets a polite reply; a redelivered message is
# stored once by the inbox as any message is.
FLOW_CHANNEL = "flow"
NOT_ACCEPTED = ("Maaf, jawaban survei ini tidak dapat kami terima karena tidak lengkap atau tidak sesuai. "
                "Mohon isi kembali dari pesan undangan survei. Terima kasih.")
NOT_KNOWN = "Maaf, survei ini tidak kami kenali atau sudah tidak berlaku. Terima kasih atas perhatian Bapak/Ibu."
ALREADY = "Bapak/Ibu sudah mengisi survei untuk layanan ini. Terima kasih atas penilaiannya."


class FlowAnswer:
    """`read` (in the webhook's transaction) then `decide` for one completion message."""

    def __init__(self, app: Jaring, office: str, message: InboundMessage, now: dt.datetime):
        self.app, self.office, self.message, self.now = app, office, message, now
        self.store = app.ticket_store
        self.ticket_id, self.ticket, self.invitation = "", None, None
        try:
            self.completion: survey_flow.Completion | None = survey_flow.completion(message.flow_response)
            self.problem = ""
        except survey_flow.InvalidCompletion as exc:
            self.completion, self.problem = None, str(exc)

    def read(self, tx: Any, contact: dict[str, Any] | None) -> None:
        if self.completion is not None:
            self.ticket_id, self.ticket, self.invitation = self.store.answered_by_flow(tx, self.completion.token)

    def _reply(self, text: str, why: str) -> Decision:
        log.info("flow completion not stored: %s", why)
        return Decision([Outgoing(to=self.message.sender, content=messages.text(text))])

    def decide(self, contact: dict[str, Any] | None, target: dict[str, Any] | None = None) -> Decision:
        done, ticket, tid = self.completion, self.ticket, self.ticket_id
        if done is None:
            return self._reply(NOT_ACCEPTED, self.problem)
        if ticket is None or ticket.get("office") != self.office \
                or ticket.get("contact_id") != self.app.store.contact_id(self.office, self.message.sender):
            return self._reply(NOT_KNOWN, "the token names no ticket of this citizen")
        if ticket.get("answered_at"):
            return self._reply(ALREADY, f"ticket {tid} is already answered")
        nudges = int(self.invitation.get("nudges") or 0) if self.invitation else None
        response = validate(office=self.office, unit=ticket["unit"], service=ticket.get("service", ""),
                            channel=FLOW_CHANNEL, submitted_at=self.now, answers=done.answers, profile=done.profile,
                            suggestion=done.suggestion, ticket_id=tid, nudges_before_answer=nudges,
                            source_id=f"{FLOW_CHANNEL}:{tid}")
        reasons = survey.followup_reasons(done.answers, done.suggestion)
        messaging = self.store.messaging(self.office, self.app.settings)
        # The citizen has just written (the completion is a message), so the thank-you is free-form.
        thanks = invitations.thanks(tid, response.service, bool(reasons), {"last_inbound_at": self.now}, messaging,
                                    self.now)
        state = (contact or {}).get("survey") or {}
        changes = ({"survey": {**state, "step": survey.DONE, "updated_at": self.now}}
                   if state.get("ticket_id") == tid else {})
        citizen = {**(contact or {}), "wa_id": self.message.sender, "survey": None}
        decision = Decision([Outgoing(to=self.message.sender, content=thanks)], contact_changes=changes)
        decision.stage.append(lambda tx: self.store.stage_answer(tx, response, reasons, citizen, self.invitation,
                                                                 None, self.now))
        return decision


def flow_decider(app: Jaring, office: str, message: InboundMessage, now: dt.datetime) -> FlowAnswer | None:
    """The completion's handler, or None when the message is not a Flow completion."""
    if message.flow_response is None:
        return None
    return FlowAnswer(app, office, message, now)
