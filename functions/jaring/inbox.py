"""Handling one webhook notification: store each message once, answer it, record statuses."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any, Callable

from jaring.app import Jaring
from jaring.cases import commands as case_commands
from jaring.hotline import conversation, staff
from jaring.messaging import delivery
from jaring.messaging.decision import Decision
from jaring.offices.model import OfficeConfig
from jaring.phone import mask
from jaring.reports import chat as report_chat
from jaring.tickets import commands as ticket_commands
from jaring.whatsapp.webhook import InboundMessage, Notification

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    received: int = 0
    duplicates: int = 0
    statuses: int = 0
    unrouted: int = 0  # messages to a number no office owns: kept without personal data, not answered
    sends: dict[str, int] = field(default_factory=dict)


def handle(app: Jaring, notification: Notification) -> Outcome:
    """Raises StoreUnavailable when Firestore cannot take a message, so Meta delivers it again."""
    outcome = Outcome()
    for message in notification.messages:
        now = app.clock.now()
        office = app.office_for(message.phone_number_id)
        if office is None:
            app.store.record_unrouted(message, now)
            outcome.unrouted += 1
            log.error("a message arrived for WhatsApp number id %s, which no office owns: stored without its "
                      "sender or words, not answered (python -m jaring config load the office's file)",
                      message.phone_number_id)
            continue
        config = app.office_config(office)
        decide, target_id, read = _decider(app, office, message, now, config)
        received = app.store.receive(office, message, now, decide, target_id=target_id, read=read)
        outcome.received += 1
        if received.duplicate:
            outcome.duplicates += 1
            log.info("duplicate delivery of a message from %s", mask(message.sender))
        for state, count in delivery.deliver(app, received.outbox_ids, received.claimed,
                                                   records=received.records).items():
            outcome.sends[state] = outcome.sends.get(state, 0) + count
        if received.erase:  # after the confirmation went out: it needs the number one last time
            app.store.erase_contact(office, received.contact_id, app.clock.now(), _settle_erased)
            _cases_chat().forget_reporter(app, office, received.contact_id)
    for status in notification.statuses:
        if app.store.apply_status(status, status.callback_data or None, app.clock.now()):
            outcome.statuses += 1
    for error in notification.errors:
        log.error("WhatsApp reported an error: %s", {k: error.get(k) for k in ("code", "title")})
    return outcome


def _decider(app: Jaring, office: str, message: InboundMessage, now: dt.datetime,
             config: OfficeConfig) -> tuple[Callable[..., Decision], str | None, Callable[..., None] | None]:
    """Who answers this message, the citizen a staff member's message is about (looked up first), and what
    else to read in the message's transaction.

    A WhatsApp Flow completion is the survey's answer (jaring.tickets.chat.flow_decider). A citizen's BERHENTI,
    MULAI or HAPUS DATA goes straight to the hotline: no flow in progress (the in-chat survey, a complaint or a
    violation report being told) sees those words. A staff member's #ringkasan gets the report summary. Then
    complaints and WBS come first (a complaint command or quoted complaint, a report code + PIN, a report
    being written). A hotline staff action (a quoted relay, #balas, #tutup, #label) goes to the hotline with
    its citizen; everything else meets the tickets first (their staff commands, QR check-in, the in-chat
    survey). A citizen's "Setuju" after their service was finished also brings that service's invitation
    (jaring.tickets.chat.LateConsent). Complaints, WBS and the tickets' part are loaded only for a turn that
    enters them (below).
    """
    if message.flow_response is not None:  # a survey answered in the WhatsApp Flow: nothing else reads a completion
        flow = _tickets_chat().flow_decider(app, office, message, now)
        return flow.decide, None, flow.read
    served: list[tuple[str, dict[str, Any]]] = []  # the citizen's latest tickets, for "Cek tiket"

    def understood(contact):
        return conversation.understand(contact, message, config)

    complaints: list[dict[str, Any]] = []  # the citizen's own complaints and service requests, read only for DATA SAYA
    requests: list[dict[str, Any]] = []

    def hotline(contact, target=None):
        return conversation.decide(contact, message, now, config, target, served=served, complaints=complaints,
                                   requests=requests)

    member = config.staff_member(message.sender)
    cases = _Cases(app, office, message, now, config, staff=member is not None)
    late: list[Any] = []  # jaring.tickets.chat.LateConsent, when the message may agree to the survey

    def read(tx, contact):
        cases.read(tx, contact)
        # read only when the message may choose "Cek tiket" or asks DATA SAYA (the hotline's reading of it);
        # DATA SAYA counts every ticket, "Cek tiket" shows the latest few
        own_data = conversation.asks_for_own_data(contact, message, config)
        served[:] = (app.ticket_store.latest_of(office, app.store.contact_id(office, message.sender), tx,
                                                limit=None if own_data else 5)
                     if conversation.asks_for_tickets(contact, message, config) else [])
        complaints[:] = app.complaint_store.of_contact(office, contact["contact_id"]) if contact and own_data else []
        requests[:] = app.store.service_requests_of(office, contact["contact_id"], tx) if contact and own_data else []
        # and a finished service an agreement given now may still bring its invitation ("Setuju" after #selesai)
        late[:] = ([_tickets_chat().LateConsent(app, office, message, now)]
                   if member is None and conversation.may_agree(contact, message, config) else [])
        for part in late:
            part.read(tx, contact)
    if member is None and conversation.claims_rights(message, config):
        return cases.rights(hotline), None, None
    summary = report_chat.decider(app, office, message, now, config)
    if summary is not None:
        return summary, None, None
    for_staff = cases.for_staff()
    if for_staff is not None:
        return for_staff, None, cases.read
    wanted = staff.wanted(message, config)
    if wanted is not None:
        kind, value = wanted
        found = (app.store.contact_by_handle(office, value) if kind == "handle"
                 else app.store.relayed_contact(office, value))
        return hotline, found, None
    tickets_first = _tickets(app, office, message, now, hotline, understood, staff=member is not None)
    citizen = cases.for_citizen(lambda contact, target: tickets_first(contact))

    def decide(contact, target):
        decision = citizen(contact, target)
        return late[0].after(contact, decision) if late else decision  # last: its invitation is the last reply
    return decide, None, read


def _settle_erased(collection: str, record: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """What erasure ends besides the words: an open invitation closes, an open complaint ends."""
    from jaring.cases import store as case_store
    from jaring.survey import nudge_store

    return {**nudge_store.settle_erased(collection, record, now), **case_store.settle_erased(collection, record, now)}


# -- the parts only some turns enter ---------------------------------------------------------------------
# Cold start (docs/BENCHMARKS.md): jaring.cases.chat (complaints and WBS, with their deadlines, routing and
# intake) and jaring.tickets.chat (staff ticket commands, QR check-in, the survey in chat and in a Flow, with
# the survey's invitations and the tickets' store) are imported by the first turn that enters them, which
# the light, pure checks jaring.cases.commands.enters and jaring.tickets.commands.enters decide. Ordinary
# turns (a greeting, the catalogue, a question, an officer) and a fresh instance's import do without them.

def _cases_chat():
    from jaring.cases import chat

    return chat


def _tickets_chat():
    from jaring.tickets import chat

    return chat


def _tickets(app: Jaring, office: str, message: InboundMessage, now: dt.datetime, hotline: Callable[..., Decision],
             understood: Callable[..., Any], staff: bool) -> Callable[..., Decision]:
    """jaring.tickets.chat's decider when the turn may be the tickets', else the hotline's."""
    if ticket_commands.enters(message, None, staff):  # a command or check-in: the decider reads before the turn
        return _tickets_chat().decider(app, office, message, now, hotline, understood)

    def decide(contact: dict[str, Any] | None) -> Decision:
        if ticket_commands.enters(message, contact, staff):  # a survey offered or under way
            return _tickets_chat().decider(app, office, message, now, hotline, understood)(contact)
        return hotline(contact)
    return decide


class _Cases:
    """jaring.cases.chat.Cases for this turn, built when the turn enters complaints or WBS; until then (and for
    the turns that never do) each of its parts answers as Cases would for a turn that is not theirs."""

    def __init__(self, app: Jaring, office: str, message: InboundMessage, now: dt.datetime, config: OfficeConfig,
                 staff: bool):
        self.args, self.message, self.staff = (app, office, message, now, config), message, staff
        self._cases = None

    def _built(self):
        if self._cases is None:
            self._cases = _cases_chat().Cases(*self.args)
        return self._cases

    def _enters(self, contact: dict[str, Any] | None) -> bool:
        return self._cases is not None or case_commands.enters(self.message, contact)

    def for_staff(self) -> Callable[..., Decision] | None:
        return self._built().for_staff() if self.staff and case_commands.staff_enters(self.message) else None

    def read(self, tx: Any, contact: dict[str, Any] | None) -> None:
        if self._enters(contact):
            self._built().read(tx, contact)

    def rights(self, hotline: Callable[..., Decision]) -> Callable[..., Decision]:
        def decide(contact: dict[str, Any] | None, target: dict[str, Any] | None) -> Decision:
            writing = (contact or {}).get("pending") == "wbs"  # a violation report's draft is dropped with it
            return self._built().rights(hotline)(contact, target) if writing else hotline(contact, target)
        return decide

    def for_citizen(self, fallback: Callable[..., Decision]) -> Callable[..., Decision]:
        def decide(contact: dict[str, Any] | None, target: dict[str, Any] | None) -> Decision:
            if self._enters(contact):
                return self._built().for_citizen(fallback)(contact, target)
            return fallback(contact, target)
        return decide
