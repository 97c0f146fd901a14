"""Complaints and WBS reports handled outside the chat: staff steps from admin_api, the inspectorate's reads
and updates, and the escalation of missed deadlines that the reminder sweep runs. Each change is stored
with its messages in one transaction, then those messages are sent within the request."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Callable

from jaring.app import Jaring
from jaring.cases import routing as complaint_routing, complaints, wbs
from jaring.cases.store import ComplaintNotFound
from jaring.cases.wbs_store import Actor, WbsStore
from jaring.messaging import delivery
from jaring.messaging.outbox import Outgoing
from jaring.survey import invitations
from jaring.whatsapp import messages
from jaring.whatsapp import templates as wa_templates

log = logging.getLogger(__name__)


# -- complaints -----------------------------------------------------------------------------------

def find(app: Jaring, office: str, reference: str) -> tuple[str, dict[str, Any]]:
    found = app.complaint_store.by_reference(office, reference)
    if not found:
        raise ComplaintNotFound(f"no complaint {reference}")
    if len(found) > 1:  # 6-character numbers can meet; the document id tells them apart
        raise ComplaintNotFound(f"{len(found)} complaints are numbered {reference}: ask the developers to look")
    return found[0].id, found[0].to_dict()


@dataclass(frozen=True)
class Step:
    complaint: dict[str, Any]
    citizen_told: bool


def complaint_step(app: Jaring, office: str, reference: str, action: str, by: str, unit: str = "",
                   text: str = "", allowed: Callable[[dict[str, Any]], bool] = lambda doc: True) -> Step:
    """Raises ComplaintNotFound, PermissionError or ComplaintError (nothing written then)."""
    cid, _ = find(app, office, reference)
    config, now = app.office_config(office), app.clock.now()
    if unit and config.unit(unit) is None:
        raise complaints.ComplaintError(f"no unit {unit!r} in the office configuration")

    def decide(doc: dict[str, Any], contact: dict[str, Any] | None):
        if not allowed(doc):
            raise PermissionError(f"complaint {reference} belongs to another unit")
        changes = complaints.change(doc, action, now, by, config.hours, config.complaint_deadlines, unit=unit,
                                    text=text)
        note = complaint_routing.notice({**doc, **changes}, action, contact, now, config,
                                        app.settings.template_language)
        return changes, note.outgoing, note.contact_changes

    after, ids = app.complaint_store.act(office, cid, now, decide)
    delivery.deliver(app, ids, claimed=True)
    return Step(after, bool(ids))


def escalate_overdue(app: Jaring, now: dt.datetime, paused: Callable[[str], bool] | None = None) -> int:
    """The reminder sweep's hook: tell the heads about missed deadlines; returns the complaints escalated.

    Reads only complaints whose next escalation is due. `paused` (the sweep's nudge switch) is not
    consulted: a pause stops reminders to citizens, not deadlines owed to them.
    """
    store, handled = app.complaint_store, 0
    for snap in store.due_escalations(now):
        office = snap.get("office")
        config = app.office_config(office)
        hours, deadlines = config.hours, config.complaint_deadlines
        escalated: list[int] = []

        def decide(doc: dict[str, Any], contact: dict[str, Any] | None):
            due = complaints.overdue(doc, now, hours, deadlines)
            if due is None:  # answered meanwhile, or the office changed its numbers
                return {"next_escalation_at": complaints.next_escalation_at(doc, hours, deadlines)}, [], {}
            members = complaint_routing.heads(config, doc.get("unit", ""), due.level)
            text = complaints.escalation_text(doc, due, complaint_routing.unit_namer(config))
            alerts = [complaint_routing.staff_alert(m, text, config, app.settings.template_language,
                                                    app.store.contact_id(office, m.number),
                                                    {"complaint": doc["reference"], "level": due.level}, now)
                      for m in members]
            if not alerts:
                log.warning("complaint %s is overdue but office %s has no head with a number", doc["reference"],
                            office)
            escalated.append(due.level)
            return complaints.escalated(doc, due, now, hours, deadlines, [m.name for m in members]), alerts, {}

        _, ids = store.act(office, snap.id, now, decide)
        delivery.deliver(app, ids, claimed=True)
        handled += bool(escalated)
    return handled


def complaint_view(doc: dict[str, Any], unit_name: Callable[[str], str]) -> dict[str, Any]:
    """A complaint for staff screens: no contact_id (staff reach the citizen through the complaint)."""
    def when(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.datetime) else value

    view = {k: when(doc.get(k)) for k in (
        "reference", "unit", "status", "channel", "received_at", "verify_due_at", "verified_at", "answer_due_at",
        "due_at", "answered_at", "closed_at", "rejected_at", "reason", "answer")}
    view.update(unit_name=unit_name(doc.get("unit", "")) if doc.get("unit") else "", details=dict(doc.get("details") or {}),
                media=list(doc.get("media") or []), escalation=doc.get("escalation") and {
                    **doc["escalation"], "at": when(doc["escalation"]["at"])},
                rating=doc.get("rating") and {"score": doc["rating"]["score"], "at": when(doc["rating"]["at"])},
                history=[{**e, "at": when(e["at"])} for e in doc.get("history") or []])
    return view


# -- WBS (the inspectorate) -----------------------------------------------------------------------

def wbs_update(app: Jaring, store: WbsStore, office: str, code: str, actor: Actor, status: str,
               message: str) -> dict[str, Any]:
    """The inspectorate's new status or message; the reporter gets a notice naming no report."""
    now = app.clock.now()
    config = app.office_config(office)

    def notice(contact: dict[str, Any]) -> Outgoing | None:
        if not contact.get("wa_id"):
            return None
        content = (messages.text(wbs.NOTICE_TEXT) if invitations.window_open(contact, now) else
                   complaint_routing.template(config, app.settings.template_language)(wa_templates.WBS_NOTICE, []))
        return Outgoing(to=contact["wa_id"], content=content, purpose="update", contact_id=contact["contact_id"],
                        sensitive=True)

    report, ids = store.update_report(office, code, actor, now, lambda r: wbs.update(r, status, message, now,
                                                                                     actor.email), notice)
    delivery.deliver(app, ids, claimed=True)
    return {**wbs.full_view(report), "reporter_notified": bool(ids)}
