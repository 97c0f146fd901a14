"""Tickets end to end: the ways in call these, which store the change and send its messages at once."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from jaring.app import Jaring
from jaring.messaging import delivery
from jaring.offices import catalogue
from jaring.phone import InvalidPhoneNumber, normalise
from jaring.survey import forms, invitations, questionnaire as survey
from jaring.survey.responses import InvalidResponse, validate
from jaring.tickets import commands as chat_commands, ticket as tickets
from jaring.tickets.store import Result, TicketStore

log = logging.getLogger(__name__)


def _sent(app: Jaring, store: TicketStore, result: Result) -> Result:
    """Deliver what the change queued (within the request), then record whether the invitation went out."""
    if result.outbox_ids:
        delivery.deliver(app, result.outbox_ids, claimed=True, records=result.records)
    if result.invitation == invitations.PENDING:
        result.invitation = store.sync_invitation(result.ticket_id)
    return result


def open_ticket(app: Jaring, spec: tickets.NewTicket, phone: str, name: str = "", only_known: bool = False) -> Result:
    """Raises TicketError (bad spec) or InvalidPhoneNumber; a repeated source returns the first ticket.
    only_known: message the number only if it has written to the office before (TicketStore.open_ticket)."""
    wa_id = normalise(phone)
    store = app.ticket_store
    result = store.open_ticket(spec, wa_id, " ".join(name.split())[:120],
                               store.messaging(spec.office, app.settings), app.clock.now(), only_known)
    return _sent(app, store, result)


def change_ticket(app: Jaring, office: str, ticket_id: str, action: str, allowed=lambda ticket: True) -> Result:
    """action "complete" or "cancel"; raises NotFound, PermissionError or TicketError."""
    store = app.ticket_store
    result = store.change_ticket(office, ticket_id, action, store.messaging(office, app.settings), app.clock.now(),
                                 allowed)
    return _sent(app, store, result)


def close_followup(app: Jaring, office: str, followup_id: str, action: str, by: str,
                   allowed=lambda followup: True) -> Result:
    action = " ".join(action.split())
    if not 3 <= len(action) <= 300:
        raise tickets.TicketError("say in 3 to 300 characters what was done")
    store = app.ticket_store
    result = store.close_followup(followup_id, office, action, by, store.messaging(office, app.settings),
                                  app.clock.now(), allowed)
    return _sent(app, store, result)


@dataclass(frozen=True)
class Submitted:
    status: int
    body: dict[str, Any]


def submit_form(app: Jaring, body: bytes, timestamp: str | None, signature: str | None) -> Submitted:
    """A signed post from the Apps Script trigger; raises FormRejected (4xx, nothing written)."""
    now = app.clock.now()
    forms.verify(app.settings.forms_webhook_secret, timestamp, signature, body, now)
    post = forms.parse(body, now)
    store = app.ticket_store
    config = store.form_config(post.form_id)
    if config is None:
        raise forms.FormRejected(404, f"unknown form {post.form_id}: register it with `python -m jaring forms register`")
    if config.kind != post.kind:
        raise forms.FormRejected(422, f"form {post.form_id} is registered as {config.kind}, not {post.kind}")
    if post.kind == forms.LOGBOOK:
        return _logbook(app, post, config)
    return _survey_answer(app, store, post, config, now)


def _logbook(app: Jaring, post: forms.Post, config: forms.FormConfig) -> Submitted:
    entry = forms.logbook(post, config)
    office = app.office_config(config.office)
    try:  # the guest book is filled in by staff: a unit or service not in the office file is refused
        unit = catalogue.unit(office, entry.unit).id
        service = catalogue.service(office, unit, entry.service)
    except catalogue.NotInCatalogue as exc:
        raise forms.FormRejected(422, str(exc)) from exc
    spec = tickets.NewTicket(office=config.office, unit=unit, service=service, channel="logbook",
                             source=f"{post.form_id}:{post.response_id}", officer=entry.officer,
                             consent=entry.consent, completed=entry.done, opened_at=post.submitted_at)
    try:  # the guest book is open to anyone: a number typed into it is messaged only if it wrote to us before
        result = open_ticket(app, spec, entry.phone, entry.name, only_known=True)
    except (tickets.TicketError, InvalidPhoneNumber) as exc:
        raise forms.FormRejected(422, str(exc)) from exc
    answer = {"ticket": result.ticket_id, "created": result.created, "invitation": result.invitation}
    if not result.ticket.get("contact_id"):  # the citizen checks in themselves (the QR poster's code)
        unit_name = app.ticket_store.messaging(config.office, app.settings).unit_name(entry.unit)
        answer["self_checkin"] = {"code": chat_commands.checkin_code(entry.unit),
                                  "text": chat_commands.checkin_text(entry.unit, unit_name)}
    return Submitted(201 if result.created else 200, answer)


def _survey_answer(app: Jaring, store: TicketStore, post: forms.Post, config: forms.FormConfig,
                   now: dt.datetime) -> Submitted:
    answers = forms.skm(post, config)
    ticket_id = store.ticket_by_token(answers.token)
    ticket = store.ticket(ticket_id) if ticket_id else None
    if ticket is not None and ticket["office"] != config.office:
        ticket_id, ticket = None, None  # a code from another office's ticket is no link at all
    unit = (ticket or {}).get("unit") or config.unit
    try:  # a citizen's answer is never lost over how they wrote the service: unclear means "not said"
        service = (ticket or {}).get("service") or catalogue.service(app.office_config(config.office), unit,
                                                                     answers.service)
    except catalogue.NotInCatalogue:
        service = ""
    try:
        response = validate(office=config.office, unit=unit, service=service, channel="form",
                            submitted_at=post.submitted_at, answers=answers.answers, profile=answers.profile,
                            suggestion=answers.suggestion, ticket_id=ticket_id,
                            source_id=f"form:{post.response_id}")
    except InvalidResponse as exc:
        raise forms.FormRejected(422, str(exc)) from exc
    reasons = survey.followup_reasons(dict(response.answers), response.suggestion)
    result = store.answer(response, reasons, store.messaging(config.office, app.settings), now)
    _sent(app, store, result)
    if result.duplicate:
        log.info("form response already stored (or ticket already answered); nothing written")
    return Submitted(200 if result.duplicate else 201, {"stored": not result.duplicate, "linked": bool(ticket_id),
                                                        "followup": bool(reasons) and not result.duplicate})
