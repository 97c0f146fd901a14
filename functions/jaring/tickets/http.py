"""admin_api's ticket routes (jaring.admin sends them here): staff create, complete, cancel and look up
tickets, and close follow-ups.

Officers act on their own unit's tickets, unit heads also close their unit's follow-ups, an
office head or admin acts on the whole office; the inspectorate has no business with tickets.
Answers are (HTTP status, JSON body).
"""
from __future__ import annotations

import re
import uuid
from typing import Any

from jaring.app import Jaring
from jaring.identity import OFFICE_WIDE, UNIT_ROLES, Identity
from jaring.offices import catalogue
from jaring.phone import InvalidPhoneNumber
from jaring.tickets import ticket as tickets
from jaring.tickets.service import change_ticket, close_followup, open_ticket
from jaring.tickets.store import NotFound

Answer = tuple[int, dict[str, Any]]
_TICKET = re.compile(r"^/tickets/([0-9A-Z]{10})(?:/(complete|cancel))?$")
_FOLLOWUP = re.compile(r"^/followups/(f[0-9a-f]{40})/close$")


def _may(identity: Identity, item: dict[str, Any]) -> bool:
    return identity.may_act_on(item["office"], item["unit"])


def handle(app: Jaring, identity: Identity, method: str, path: str, body: dict[str, Any],
           query: dict[str, str]) -> Answer:
    if identity.role not in UNIT_ROLES + OFFICE_WIDE:
        return 403, {"error": f"role {identity.role} does not work with tickets"}
    try:
        if path == "/tickets" and method == "POST":
            return _create(app, identity, body)
        if path == "/tickets" and method == "GET":
            unit = query.get("unit", "") if identity.office_wide else identity.unit
            found = app.ticket_store.list_tickets(identity.office, unit, query.get("status", ""))
            return 200, {"tickets": [tickets.public_view(t, d) for t, d in found]}
        match = _TICKET.match(path)
        if match and method == "GET" and not match.group(2):
            return _lookup(app, identity, match.group(1))
        if match and method == "POST" and match.group(2):
            result = change_ticket(app, identity.office, match.group(1), match.group(2),
                                   allowed=lambda ticket: _may(identity, ticket))
            return 200, {"ticket": tickets.public_view(result.ticket_id, result.ticket),
                         "invitation": result.invitation}
        if path == "/followups" and method == "GET":
            if identity.role == "officer":
                return 403, {"error": "follow-ups are for unit heads and admins"}
            unit = query.get("unit", "") if identity.office_wide else identity.unit
            found = app.ticket_store.followups(identity.office, unit, query.get("state", "open"))
            return 200, {"followups": [tickets.public_view(f, d) for f, d in found]}
        match = _FOLLOWUP.match(path)
        if match and method == "POST":
            if identity.role == "officer":
                return 403, {"error": "follow-ups are closed by unit heads and admins"}
            result = close_followup(app, identity.office, match.group(1), str(body.get("action", "")),
                                    identity.email, allowed=lambda followup: _may(identity, followup))
            return 200, {"followup": match.group(1), "state": result.ticket.get("state"),
                         "citizen_told": bool(result.outbox_ids)}
    except NotFound as exc:
        return 404, {"error": str(exc)}
    except PermissionError as exc:
        return 403, {"error": str(exc)}
    except (tickets.TicketError, InvalidPhoneNumber) as exc:
        return 422, {"error": str(exc)}
    return 404, {"error": f"no route {method} {path}"}


def _create(app: Jaring, identity: Identity, body: dict[str, Any]) -> Answer:
    config = app.office_config(identity.office)
    try:
        unit = catalogue.unit(config, str(body.get("unit") or identity.unit)).id
        service = catalogue.service(config, unit, str(body.get("service") or ""))
    except catalogue.NotInCatalogue as exc:
        return 422, {"error": str(exc)}
    if not _may(identity, {"office": identity.office, "unit": unit}):
        return 403, {"error": f"you may not open tickets for unit {unit!r}"}
    if not isinstance(body.get("consent"), bool):
        return 422, {"error": "consent (true/false) is required: did the citizen agree to a WhatsApp survey?"}
    if not isinstance(body.get("phone"), str):
        return 422, {"error": "phone (the citizen's WhatsApp number) is required"}
    request_id = str(body.get("request_id") or uuid.uuid4())[:100]
    spec = tickets.NewTicket(office=identity.office, unit=unit, service=service,
                             channel="admin", source=request_id, officer=str(body.get("officer") or identity.email),
                             consent=body["consent"], completed=bool(body.get("completed")))
    result = open_ticket(app, spec, body["phone"], str(body.get("name") or ""))
    return (201 if result.created else 200), {"ticket": tickets.public_view(result.ticket_id, result.ticket),
                                              "created": result.created, "invitation": result.invitation}


def _lookup(app: Jaring, identity: Identity, ticket_id: str) -> Answer:
    store = app.ticket_store
    ticket = store.ticket(ticket_id)
    if ticket is None or not _may(identity, ticket):
        return 404, {"error": f"no ticket {ticket_id}"}
    invitation = store.invitation(ticket_id) or {}
    return 200, {"ticket": tickets.public_view(ticket_id, ticket),
                 "invitation": {k: invitation.get(k) for k in ("state", "path", "nudges")} if invitation else None}
