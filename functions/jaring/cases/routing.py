"""Who hears of a complaint, who may act on it, the staff's WhatsApp commands, and the citizen's notices. Pure.

Staff come from the office configuration ([[staff]]: role, unit, number, hotline flag):
  a new complaint     the hotline staff on duty, and the officers and head of its unit (when known)
  may act on it       hotline staff (they triage), office-wide roles, and officers/heads of its unit;
                      never the inspectorate (complaints are not theirs) and never anyone of another office
  a missed deadline   level 1: the unit's head (the office head when the unit has none or it is unknown);
                      level 2: the office head (an admin when there is none)

Staff commands (a complaint number is what sets them apart from the hotline's and the tickets'):
  #verifikasi P-XXXXXX [unit]   #teruskan P-XXXXXX unit   #jawab P-XXXXXX teks   #tutup P-XXXXXX
  #tolak P-XXXXXX alasan        #status P-XXXXXX          #pengaduan (open complaints I may act on)
Quoting a relayed complaint (WhatsApp "Balas") answers it, like #jawab.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from jaring.cases import complaints
from jaring.cases.commands import RATING_PREFIX
from jaring.identity import OFFICE_WIDE, covers
from jaring.messaging import matching, menus
from jaring.messaging.outbox import Outgoing
from jaring.offices import hours as office_hours
from jaring.offices.model import OfficeConfig, Staff
from jaring.survey import invitations
from jaring.whatsapp import messages
from jaring.whatsapp import templates as wa_templates

HELP = ("Perintah pengaduan (P-XXXXXX = nomor pengaduan):\n"
        "#verifikasi P-XXXXXX [unit] · #teruskan P-XXXXXX unit · #jawab P-XXXXXX teks\n"
        "#tutup P-XXXXXX · #tolak P-XXXXXX alasan · #status P-XXXXXX · #pengaduan (daftar yang terbuka)\n"
        "Atau kutip (Balas) pesan pengaduan yang diteruskan untuk menjawab warga.")


def unit_named(config: OfficeConfig, typed: str) -> str | None:
    """A unit id from what staff typed: the id itself, or its title or name."""
    typed = typed.strip()
    if config.unit(typed.lower()):
        return typed.lower()
    return next((u.id for u in config.units if matching.same(typed, u.title) or matching.same(typed, u.name)), None)


def unit_namer(config: OfficeConfig) -> Callable[[str], str]:
    return lambda unit: config.unit(unit).name if config.unit(unit) else (unit or "-")


def may_act(member: Staff, doc: dict[str, Any]) -> bool:
    return member.role != "inspectorate" and (member.hotline or covers(member.role, member.unit, doc.get("unit", "")))


def receivers(config: OfficeConfig, unit: str, on_duty: Sequence[Staff]) -> list[Staff]:
    """Who gets a new complaint on WhatsApp: the hotline on duty and the unit's own people."""
    found = list(on_duty) + [s for s in config.staff if unit and s.unit == unit and s.role in ("officer", "unit_head")]
    return _with_numbers(found)


def heads(config: OfficeConfig, unit: str, level: int) -> list[Staff]:
    """Who is told of a missed deadline at this level."""
    office_heads = [s for s in config.staff if s.role == "office_head"] or [s for s in config.staff
                                                                            if s.role == "admin"]
    unit_heads = [s for s in config.staff if unit and s.role == "unit_head" and s.unit == unit]
    return _with_numbers(unit_heads if level == 1 and unit_heads else office_heads)


def inspectorate(config: OfficeConfig) -> list[Staff]:
    return _with_numbers([s for s in config.staff if s.role == "inspectorate"])


def _with_numbers(staff: Sequence[Staff]) -> list[Staff]:
    seen: dict[str, Staff] = {}
    for member in staff:
        if member.number:
            seen.setdefault(member.number, member)
    return list(seen.values())


def office_wide(member: Staff) -> bool:
    return member.role in OFFICE_WIDE


# -- what the citizen receives ---------------------------------------------------------------------

PHRASES = {
    "verify": "sudah diverifikasi; jawaban paling lambat {answer_due}",
    "assign": "kini ditangani oleh {unit}",
    "answer": "sudah dijawab",
    "close": "dinyatakan selesai; balas NILAI {reference} untuk menilai penanganannya",
    "reject": "tidak dapat diproses; alasannya dapat dibaca dengan membalas STATUS {reference}",
}


def rating_list(reference: str) -> messages.Content:
    rows = [(f"{RATING_PREFIX}{reference}:{value}", title, label)
            for value, (title, label) in enumerate(zip(complaints.RATING_TITLES, complaints.RATING_LABELS), 1)]
    return messages.list_message(f"Pengaduan *{reference}*: {complaints.RATING_QUESTION}", "Beri nilai",
                                 [("Penilaian", rows)])


def rating_menu(reference: str) -> str:
    """Kept on the contact so a typed "1".."4" means the rating just asked for."""
    return menus.kept((f"{RATING_PREFIX}{reference}:{v}", t) for v, t in enumerate(complaints.RATING_TITLES, 1))


def template(config: OfficeConfig, language: str) -> Callable[[str, list[str]], messages.Content]:
    def build(kind: str, params: list[str]) -> messages.Content:
        name = config.survey.templates.get(kind) or wa_templates.DEFAULT_NAMES[kind]
        return wa_templates.content(kind, name, config.survey.template_language or language, params)
    return build


@dataclass(frozen=True)
class Notice:
    outgoing: list[Outgoing]
    contact_changes: dict[str, Any]


def notice(doc: dict[str, Any], action: str, contact: dict[str, Any] | None, now: dt.datetime,
           config: OfficeConfig, language: str) -> Notice:
    """What the citizen gets after staff took a step: the full text inside WhatsApp's 24-hour window
    (with the rating question after a closure), else the approved template that invites them to ask."""
    if not contact or not contact.get("wa_id"):
        return Notice([], {})  # erased at the citizen's request: nobody to tell
    name = unit_namer(config)
    meta = {"complaint": doc["reference"], "action": action}

    def out(content: messages.Content) -> Outgoing:
        return Outgoing(to=contact["wa_id"], content=content, purpose="complaint", contact_id=doc["contact_id"],
                        meta=meta)

    if invitations.window_open(contact, now):
        sent = [out(messages.text(complaints.citizen_update(doc, action, name)))]
        if action == "close":
            sent.append(out(rating_list(doc["reference"])))
            return Notice(sent, {"menu": rating_menu(doc["reference"])})
        return Notice(sent, {})
    phrase = PHRASES[action].format(reference=doc["reference"], unit=name(doc.get("unit", "")),
                                    answer_due=complaints.day_text(doc["answer_due_at"]) if doc.get(
                                        "answer_due_at") else "")
    params = [doc["reference"], phrase, doc["reference"]]  # the number again for STATUS: Meta refuses a repeated {{1}}
    return Notice([out(template(config, language)(wa_templates.COMPLAINT_UPDATE, params))], {})


def staff_alert(member: Staff, text: str, config: OfficeConfig, language: str, contact_id: str,
                meta: dict[str, Any], now: dt.datetime) -> Outgoing:
    """A deadline reminder or notice to staff: always the template, as staff may not have written to the number
    for a day; queued until the office opens when it is closed (staff are not woken at night or on holidays)."""
    content = template(config, language)(wa_templates.STAFF_ALERT, [text])
    return Outgoing(to=member.number, content=content, purpose="escalation", contact_id=contact_id, meta=meta,
                    not_before=office_hours.next_open(config.hours, now))
