"""Handling one webhook notification: store each message once, answer it, record statuses."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Callable

from jaring.app import Jaring
from jaring.cases import chat as case_chat
from jaring.hotline import conversation, staff
from jaring.messaging import delivery
from jaring.messaging.decision import Decision
from jaring.offices.model import OfficeConfig
from jaring.phone import mask
from jaring.reports import chat as report_chat
from jaring.tickets import chat as ticket_chat
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
            from jaring.survey import nudge_store  # its open invitation closes too

            app.store.erase_contact(office, received.contact_id, app.clock.now(), nudge_store.settle_erased)
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

    A WhatsApp Flow completion is the survey's answer (ticket_chat.flow_decider). A citizen's BERHENTI, MULAI or HAPUS DATA
    goes straight to the hotline: no flow in progress (the in-chat
    survey, a complaint or a violation report being told) sees those words. A staff member's #ringkasan gets
    the report summary. Then complaints and WBS come first (a complaint command or quoted complaint, a report
    code + PIN, a report being written). A hotline staff action (a quoted relay, #balas, #tutup, #label) goes
    to the hotline with its citizen; everything else meets the tickets first (their staff commands, QR
    check-in, the in-chat survey).
    """
    flow = ticket_chat.flow_decider(app, office, message, now)
    if flow is not None:  # a survey answered in the WhatsApp Flow: nothing else reads a completion
        return flow.decide, None, flow.read

    def understood(contact):
        return conversation.understand(contact, message, config)

    asked = ticket_chat.Asked(app, office, message, lambda contact: conversation.asks_for_tickets(
        contact, message, config))

    def hotline(contact, target=None):
        return conversation.decide(contact, message, now, config, target, served=asked.served)

    cases = case_chat.Cases(app, office, message, now, config)

    def read(tx, contact):
        cases.read(tx, contact)
        asked.read(tx, contact)
    if config.staff_member(message.sender) is None and conversation.claims_rights(message, config):
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
    tickets_first = ticket_chat.decider(app, office, message, now, hotline, understood)
    return cases.for_citizen(lambda contact, target: tickets_first(contact)), None, read
