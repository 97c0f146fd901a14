"""Handling one webhook notification: store each message once, answer it, record statuses."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from jaring import conversation, delivery, ticket_chat
from jaring.app import Jaring
from jaring.phone import mask
from jaring.whatsapp.webhook import Notification

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    received: int = 0
    duplicates: int = 0
    statuses: int = 0
    sends: dict[str, int] = field(default_factory=dict)


def handle(app: Jaring, notification: Notification) -> Outcome:
    """Raises StoreUnavailable when Firestore cannot take a message, so Meta delivers it again."""
    outcome = Outcome()
    for message in notification.messages:
        now = app.clock.now()
        office = app.office_for(message.phone_number_id)
        hotline = lambda contact, m=message, t=now: conversation.decide(contact, m, t)  # noqa: E731
        # Tickets (issue 4) answer first: staff commands, QR check-in, the in-chat survey.
        received = app.store.receive(office, message, now, ticket_chat.decider(app, office, message, now, hotline))
        outcome.received += 1
        if received.duplicate:
            outcome.duplicates += 1
            log.info("duplicate delivery of a message from %s", mask(message.sender))
        for state, count in delivery.deliver(app, received.outbox_ids, received.claimed).items():
            outcome.sends[state] = outcome.sends.get(state, 0) + count
    for status in notification.statuses:
        if app.store.apply_status(status, status.callback_data or None, app.clock.now()):
            outcome.statuses += 1
    for error in notification.errors:
        log.error("WhatsApp reported an error: %s", {k: error.get(k) for k in ("code", "title")})
    return outcome
