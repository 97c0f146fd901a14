"""Whether and how to invite a citizen to the survey, and the other messages about one ticket. Pure.

One completed ticket earns at most one invitation, only with the citizen's consent. Inside
WhatsApp's 24-hour window it is a free-form message with a button opening the citizen's personal
pre-filled form; outside it, the approved utility template. Both offer the in-chat survey too.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from jaring.messaging.outbox import key
from jaring.whatsapp import messages
from jaring.whatsapp import templates as wa_templates

WINDOW = dt.timedelta(hours=24)
TOO_LATE = dt.timedelta(days=3)  # a back-filled service from last month is not asked about

PENDING, SENT, ANSWERED, EXPIRED, OPTED_OUT, FAILED = "pending", "sent", "answered", "expired", "opted_out", "failed"
FREE_FORM, TEMPLATE = "free_form", "template"


def invitation_outbox_id(ticket_id: str) -> str:
    return "inv" + key(ticket_id)


def thanks_outbox_id(ticket_id: str) -> str:
    return "thx" + key(ticket_id)


def closing_outbox_id(followup_id: str) -> str:
    return "fup" + key(followup_id)


@dataclass(frozen=True)
class OfficeMessaging:
    """What an office configured (or the environment's defaults) for its messages to citizens."""

    office_name: str
    template_names: dict[str, str] = field(default_factory=dict)
    template_language: str = "id"
    form_url: str = ""  # the SKM form's viewform URL
    token_entry: str = ""  # "entry.123456": the form's ticket-code question
    units: dict[str, str] = field(default_factory=dict)  # unit code → name citizens know

    def template(self, kind: str) -> str:
        return self.template_names.get(kind) or wa_templates.DEFAULT_NAMES[kind]

    def unit_name(self, unit: str) -> str:
        return self.units.get(unit) or unit.upper()


def window_open(contact: dict[str, Any] | None, now: dt.datetime) -> bool:
    """Free-form messages reach the citizen only within 24 h of their last message, unless
    WhatsApp already told us (131047) that the window closed after it."""
    last = (contact or {}).get("last_inbound_at")
    if last is None or now - last >= WINDOW:
        return False
    closed = (contact or {}).get("window_closed_at")
    return closed is None or closed < last


def opted_out(contact: dict[str, Any] | None) -> bool:
    contact = contact or {}
    return bool(contact.get("opted_out_at")) or contact.get("consent") is False


def form_link(messaging: OfficeMessaging, token: str) -> str:
    """The citizen's personal pre-filled form: the ticket's token in the ticket-code question."""
    if not messaging.form_url or not messaging.token_entry:
        return ""
    query = urlencode({"usp": "pp_url", messaging.token_entry: token})
    return f"{messaging.form_url}?{query}"


@dataclass(frozen=True)
class Plan:
    """An invitation to record (state) and, when there is one, the message that carries it."""

    state: str
    path: str | None = None
    content: messages.Content | None = None
    reason: str = ""
    form_url: str = ""  # the citizen's personal form link, kept so nudges can repeat it


def plan(ticket_id: str, ticket: dict[str, Any], contact: dict[str, Any] | None, messaging: OfficeMessaging,
         now: dt.datetime) -> Plan | None:
    """None when no invitation is due at all (no consent, no contact, too late); else the Plan."""
    if ticket.get("status") != "completed" or not ticket.get("consent") or not ticket.get("contact_id"):
        return None
    if contact is None or not contact.get("wa_id"):
        return None
    if now - (ticket.get("completed_at") or now) > TOO_LATE:
        return None
    if opted_out(contact):
        return Plan(OPTED_OUT, reason="the citizen opted out of messages")
    link = form_link(messaging, ticket["token"])
    if not link:
        return Plan(FAILED, reason="no survey form is registered for this office (python -m jaring forms register)")
    service = ticket.get("service") or "kami"
    unit = messaging.unit_name(ticket["unit"])
    if window_open(contact, now):
        body = (f"Terima kasih, layanan *{service}* di {unit} sudah selesai (kode {ticket_id}).\n\n"
                "Mohon bantu kami menjadi lebih baik: isi survei kepuasan singkat (9 pertanyaan, sekitar 2 menit). "
                "Jawaban Bapak/Ibu tidak dikaitkan dengan nama.\n\n"
                f"Tekan tombol *Isi survei* di bawah, atau balas *{wa_templates.SURVEY_KEYWORD}* "
                "untuk menjawab langsung di WhatsApp ini.")
        return Plan(PENDING, FREE_FORM, messages.cta_url(body, "Isi survei", link), form_url=link)
    return Plan(PENDING, TEMPLATE, wa_templates.content(
        wa_templates.INVITATION, messaging.template(wa_templates.INVITATION), messaging.template_language,
        [service, unit, ticket_id], form_url=link), form_url=link)


def invitation_doc(ticket_id: str, ticket: dict[str, Any], plan_: Plan, outbox_id: str | None,
                   now: dt.datetime, next_nudge_at: dt.datetime | None = None) -> dict[str, Any]:
    """next_nudge_at: when the reminder sweep first looks at it (None: never, nothing was sent)."""
    return {"office": ticket["office"], "unit": ticket["unit"], "service": ticket.get("service", ""),
            "contact_id": ticket["contact_id"], "ticket_id": ticket_id, "state": plan_.state,
            "invited_at": now, "outbox_id": outbox_id, "nudges": 0,
            "next_nudge_at": next_nudge_at if plan_.state == PENDING else None,
            "answered_at": None, "path": plan_.path, "reason": plan_.reason, "form_url": plan_.form_url}


def answered(now: dt.datetime) -> dict[str, Any]:
    """Invitation changes when the citizen answered: no more nudges."""
    return {"state": ANSWERED, "answered_at": now, "next_nudge_at": None}


def _either(contact: dict[str, Any] | None, now: dt.datetime, free_form: str, kind: str,
            messaging: OfficeMessaging, params: list[str]) -> messages.Content:
    if window_open(contact, now):
        return messages.text(free_form)
    return wa_templates.content(kind, messaging.template(kind), messaging.template_language, params)


def thanks(ticket_id: str, service: str, low: bool, contact: dict[str, Any] | None, messaging: OfficeMessaging,
           now: dt.datetime) -> messages.Content:
    text = (f"Terima kasih, jawaban survei Bapak/Ibu untuk layanan {service or 'kami'} (kode {ticket_id}) "
            "sudah kami terima. Masukan Bapak/Ibu membantu kami memperbaiki pelayanan.")
    if low:
        text += " Kami mencatat ada yang kurang memuaskan; pimpinan unit akan menindaklanjutinya."
    return _either(contact, now, text, wa_templates.THANKS, messaging, [service or "kami", ticket_id])


def closing(ticket_id: str, service: str, action: str, contact: dict[str, Any] | None,
            messaging: OfficeMessaging, now: dt.datetime) -> messages.Content:
    """"You said, we did": what the unit did about a low score."""
    action = wa_templates.parameter(action)
    text = (f"Bapak/Ibu pernah memberi penilaian tentang layanan {service or 'kami'} (kode {ticket_id}). "
            f"Tindak lanjut kami: {action}. Terima kasih atas masukannya.")
    return _either(contact, now, text, wa_templates.CLOSING, messaging, [service or "kami", ticket_id, action])
