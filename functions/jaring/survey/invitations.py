"""Whether and how to invite a citizen to the survey, and the other messages about one ticket. Pure.

One completed ticket earns at most one invitation, only with the citizen's consent. The office file's
`[survey] path` chooses how it asks (its "way"):
- "form": inside WhatsApp's 24-hour window a free-form message with a button opening the citizen's personal
  pre-filled Google Form; outside it, the approved utility template (form button + "Isi di WhatsApp").
- "flow": inside the window an interactive Flow message (the SKM in one native screen, jaring.survey.flow);
  outside it, the Flow variant of the template (a FLOW button + "Isi di WhatsApp"). The flow_token is the
  ticket's survey token, so the answer links to its ticket as a form answer does. Until the office's Flow
  is published (`python -m jaring flows publish`) the form is used.
- "chat": inside the window a button that starts the in-chat survey; outside it, the form's template.
Every way also offers the in-chat survey (reply SURVEI).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlencode

from jaring.messaging.outbox import key
from jaring.offices.model import CHAT, FLOW, FORM  # the survey's ways ([survey] path)
from jaring.survey import flow as survey_flow
from jaring.whatsapp import messages
from jaring.whatsapp import templates as wa_templates
from jaring import retention

WINDOW = dt.timedelta(hours=24)
TOO_LATE = dt.timedelta(days=3)  # a back-filled service from last month is not asked about

PENDING, SENT, ANSWERED, EXPIRED, OPTED_OUT, FAILED = "pending", "sent", "answered", "expired", "opted_out", "failed"
# An invitation's state and why one was not sent, as staff read them (#cek) and the reports count them.
STATE_WORDS = {PENDING: "dikirim, menunggu jawaban", SENT: "terkirim, menunggu jawaban", ANSWERED: "sudah dijawab",
               EXPIRED: "tidak dijawab sampai batas waktunya", OPTED_OUT: "tidak dikirim",
               FAILED: "tidak dapat dikirim"}
NO_FORM, CITIZEN_OPTED_OUT = "no_form", "opted_out"
# Why an invitation was not sent: #cek and the reports say it in these words (staff also get what to do).
REASON_WORDS = {NO_FORM: "belum ada formulir survei yang terdaftar untuk kantor ini",
                CITIZEN_OPTED_OUT: "warga sudah meminta berhenti dihubungi (BERHENTI)"}
REASON_HINTS = {NO_FORM: "admin: python -m jaring forms register, lihat docs/FORMS.md"}


def reason_text(reason: str) -> str:
    """Why an invitation was not sent, for staff: the words and, when there is one, what to do."""
    words, hint = REASON_WORDS.get(reason, ""), REASON_HINTS.get(reason)
    return f"{words} ({hint})" if words and hint else words
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
    survey_path: str = FORM  # the office file's [survey] path
    flow_id: str = ""  # the office's published WhatsApp Flow (survey/flow_store.py), "" before `flows publish`
    # When an invitation made at `now` may go: the nudges' polite hours and days off (TicketStore.messaging)
    send_at: Callable[[dt.datetime], dt.datetime] = field(default=lambda now: now, compare=False)

    def template(self, kind: str) -> str:
        return self.template_names.get(kind) or wa_templates.DEFAULT_NAMES[kind]

    def way(self) -> str:
        """How invitations ask now: the office's path, except "flow" before its Flow is published (form)."""
        return FORM if self.survey_path == FLOW and not self.flow_id else self.survey_path

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


def agreed(contact: dict[str, Any] | None) -> bool:
    """The citizen agreed on WhatsApp that the survey may come to this number (contacts.consent {at, version})."""
    return isinstance((contact or {}).get("consent"), dict)


def may_invite(ticket: dict[str, Any], contact: dict[str, Any] | None) -> bool:
    """Agreement given where the ticket was made (counter, staff, guest book), or by the citizen on WhatsApp."""
    return bool(ticket.get("consent")) or agreed(contact)


def consent_on_completion(ticket: dict[str, Any], contact: dict[str, Any] | None) -> dict[str, Any]:
    """Ticket changes at completion: the ticket records that its citizen agreed to be asked, wherever they agreed
    (at the counter, or on WhatsApp before the service was done, e.g. "Setuju" at a QR check-in). The reports
    count completed tickets without consent as citizens not invited; without this, one invited on the strength
    of their WhatsApp agreement would be counted there too, beside its invitation."""
    return {"consent": True} if not ticket.get("consent") and agreed(contact) else {}


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
    reason: str = ""  # why none was sent: a key of REASON_WORDS
    form_url: str = ""  # the citizen's personal form link, kept so nudges can repeat it
    way: str = FORM
    flow_id: str = ""  # with the flow_token below, kept so nudges can open the same Flow
    flow_token: str = ""


def plan(ticket_id: str, ticket: dict[str, Any], contact: dict[str, Any] | None, messaging: OfficeMessaging,
         now: dt.datetime) -> Plan | None:
    """None when no invitation is due at all (no consent, no contact, too late); else the Plan."""
    if ticket.get("status") != "completed" or not ticket.get("contact_id"):
        return None
    if contact is None or not contact.get("wa_id") or not may_invite(ticket, contact):
        return None
    if now - (ticket.get("completed_at") or now) > TOO_LATE:
        return None
    if opted_out(contact):
        return Plan(OPTED_OUT, reason=CITIZEN_OPTED_OUT)
    link, way, inside = form_link(messaging, ticket["token"]), messaging.way(), window_open(contact, now)
    if not link and (way == FORM or (way == CHAT and not inside)):
        return Plan(FAILED, reason=NO_FORM, way=way)
    service = ticket.get("service") or "kami"
    unit = messaging.unit_name(ticket["unit"])
    about = [service, unit, ticket_id]
    if way == FLOW:
        flow = {"way": FLOW, "flow_id": messaging.flow_id, "flow_token": ticket["token"], "form_url": link}
        if inside:
            return Plan(PENDING, FREE_FORM, flow_message(_finished(about) + "\n\n" + FLOW_ASK, messaging.flow_id,
                                                         ticket["token"]), **flow)
        return Plan(PENDING, TEMPLATE, wa_templates.content(
            wa_templates.INVITATION_FLOW, messaging.template(wa_templates.INVITATION_FLOW),
            messaging.template_language, about, flow_token=ticket["token"]), **flow)
    if inside and way == CHAT:
        body = (_finished(about) + "\n\nMohon bantu kami menjadi lebih baik: jawab survei kepuasan singkat "
                "(9 pertanyaan tentang layanan, lalu data responden yang boleh dilewati dan saran; sekitar 3 menit) "
                "langsung di WhatsApp ini. Jawaban Bapak/Ibu tidak dikaitkan "
                "dengan nama.\n\nTekan tombol *Isi di WhatsApp* di bawah untuk mulai.")
        return Plan(PENDING, FREE_FORM, messages.buttons(body, [(wa_templates.SURVEY_KEYWORD, CHAT_BUTTON)]),
                    form_url=link, way=CHAT)
    if inside:
        body = (_finished(about) + "\n\n"
                "Mohon bantu kami menjadi lebih baik: isi survei kepuasan singkat (9 pertanyaan tentang layanan, "
                "lalu data responden yang boleh dilewati dan saran; sekitar 3 menit). "
                "Jawaban Bapak/Ibu tidak dikaitkan dengan nama.\n\n"
                f"Tekan tombol *Isi survei* di bawah, atau balas *{wa_templates.SURVEY_KEYWORD}* "
                "untuk menjawab langsung di WhatsApp ini.")
        return Plan(PENDING, FREE_FORM, messages.cta_url(body, "Isi survei", link), form_url=link, way=way)
    return Plan(PENDING, TEMPLATE, wa_templates.content(
        wa_templates.INVITATION, messaging.template(wa_templates.INVITATION), messaging.template_language,
        about, form_url=link), form_url=link, way=way)


CHAT_BUTTON = "Isi di WhatsApp"
FLOW_ASK = ("Mohon bantu kami menjadi lebih baik: isi survei kepuasan singkat (9 pertanyaan tentang layanan, lalu "
            "data responden yang boleh dilewati dan saran; sekitar 3 menit) "
            "langsung di WhatsApp ini. Jawaban Bapak/Ibu tidak dikaitkan dengan nama.\n\n"
            f"Tekan tombol *{survey_flow.CTA}* di bawah. Bila tombolnya tidak muncul, balas "
            f"*{wa_templates.SURVEY_KEYWORD}*.")


def _finished(about: list[str]) -> str:
    service, unit, ticket_id = about
    return f"Terima kasih, layanan *{service}* di {unit} sudah selesai (kode {ticket_id})."


def flow_message(body: str, flow_id: str, token: str) -> messages.Content:
    """The interactive Flow message that opens the SKM at its first screen."""
    return messages.flow(body, survey_flow.CTA, token, flow_id, survey_flow.RATINGS)


def invitation_doc(ticket_id: str, ticket: dict[str, Any], plan_: Plan, outbox_id: str | None,
                   now: dt.datetime, next_nudge_at: dt.datetime | None = None) -> dict[str, Any]:
    """next_nudge_at: when the reminder sweep first looks at it (None: never, nothing was sent)."""
    return {"office": ticket["office"], "unit": ticket["unit"], "service": ticket.get("service", ""),
            "contact_id": ticket["contact_id"], "ticket_id": ticket_id, "state": plan_.state,
            "invited_at": now, "outbox_id": outbox_id, "nudges": 0,
            "next_nudge_at": next_nudge_at if plan_.state == PENDING else None,
            "answered_at": None, "path": plan_.path, "reason": plan_.reason, "form_url": plan_.form_url,
            "way": plan_.way, "flow_id": plan_.flow_id, "flow_token": plan_.flow_token,
            "expire_at": now + retention.SERVICE}


def described(invitation: dict[str, Any]) -> str:
    """'tidak dapat dikirim: belum ada formulir survei …': an invitation's state for staff, in Indonesian."""
    state = STATE_WORDS.get(invitation.get("state", ""), invitation.get("state", ""))
    reason = reason_text(invitation.get("reason") or "")
    return f"{state}: {reason}" if reason else state


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
