"""Tickets from WhatsApp: staff commands and the QR check-in code. Pure and light: parsing and the answers' text
(jaring.inbox reads a message with it before it loads jaring.tickets.chat).

Registered staff write commands to the office number:
  #layani 0812xxxx [layanan]  open a ticket for a citizen served at the staff member's unit
  #selesai KODE | 0812xxxx    the service is done: the citizen gets the survey invitation
  #batal KODE                 the service did not happen
  #cek KODE                   where a ticket stands
A citizen who scans a unit's QR poster sends "… Kode: MASUK-PTSP", which opens a ticket there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jaring.phone import mask
from jaring.tickets import ticket as tickets
from jaring.whatsapp.webhook import InboundMessage

VERBS = {"layani": "open", "selesai": "complete", "batal": "cancel", "cek": "status", "bantuan": "help"}
CHECKIN = re.compile(r"\bMASUK-([A-Za-z0-9][A-Za-z0-9-]{0,39})\b")


@dataclass(frozen=True)
class Command:
    action: str  # open | complete | cancel | status | help
    target: str  # a ticket reference, a phone number as typed, or ""
    rest: str  # e.g. the service for #layani


def parse_command(text: str) -> Command | None:
    """A staff command, or None when the text is not one (it then goes to the hotline)."""
    text = (text or "").strip()
    if not text.startswith("#"):
        return None
    words = text[1:].split()
    if not words:
        return None
    action = VERBS.get(words[0].lower(), "help")
    target = words[1] if len(words) > 1 else ""
    return Command(action, target, " ".join(words[2:]))


def enters(message: InboundMessage, contact: dict[str, Any] | None, staff: bool) -> bool:
    """Whether this turn may be the tickets' (jaring.tickets.chat then reads it exactly; False means it surely
    is not): a staff member's command or a QR check-in code (known before the contact is read), or a survey
    offered to this citizen or under way (contacts.survey names its ticket)."""
    text = message.text if message.type == "text" else ""
    if (staff and parse_command(text) is not None) or parse_checkin(text) is not None:
        return True
    return bool(((contact or {}).get("survey") or {}).get("ticket_id"))


def ref_or_phone(target: str) -> tuple[str, str]:
    """("ref", REF) or ("phone", digits-as-typed) or ("", "")."""
    ref = tickets.parse_ref(target)
    if ref:
        return "ref", ref
    if re.fullmatch(r"\+?[\d\-. ]{8,20}", target or ""):
        return "phone", target
    return "", ""


def checkin_code(unit: str) -> str:
    return "MASUK-" + unit.upper()


def checkin_text(unit: str, unit_name: str) -> str:
    """What the QR poster pre-fills in the citizen's WhatsApp: readable, with the code at the end."""
    return f"Halo, saya sudah datang di {unit_name}. Kode: {checkin_code(unit)}"


def parse_checkin(text: str) -> str | None:
    match = CHECKIN.search(text or "")
    return match.group(1).lower() if match else None


def checked_in(ticket_id: str, unit_name: str, survey_agreed: bool = True) -> str:
    said = f"Terima kasih, kedatangan Bapak/Ibu di {unit_name} sudah kami catat (kode {ticket_id})."
    if survey_agreed:
        said += " Setelah selesai dilayani, kami akan mengirim survei kepuasan singkat lewat WhatsApp ini."
    return said


def opened(ticket_id: str, wa_id: str, service: str) -> str:
    return (f"Tiket {ticket_id} dibuka untuk {mask(wa_id)}{' (' + service + ')' if service else ''}. "
            f"Setelah selesai, kirim #selesai {ticket_id}")


def status_line(ticket_id: str, ticket: dict[str, Any], invitation: str, unit_name: str) -> str:
    """#cek. invitation: the survey invitation's state in words (jaring.survey.invitations.described), "" for none;
    the unit by its name (staff read names, not the office file's ids)."""
    line = f"Tiket {ticket_id}: {tickets.STATUS_WORDS.get(ticket['status'], ticket['status'])}, {unit_name}"
    if ticket.get("service"):
        line += f", layanan {ticket['service']}"
    if invitation:
        line += f". Undangan survei: {invitation}"
    if ticket.get("answered_at"):
        line += ". Survei sudah dijawab"
    return line + "."


def completed(ticket_id: str, invitation_state: str | None, why: str = "", waits_until: str = "") -> str:
    """why: for a failed invitation, its reason in words (jaring.survey.invitations.reason_text); waits_until: when
    a queued invitation goes (outside polite hours, a day off, the office's break), in words."""
    said = {"pending": f"undangan survei {'menunggu jam yang pantas, dikirim ' + waits_until if waits_until else 'dikirim'}"
                       " ke warga", "opted_out": "warga menolak dihubungi"}
    note = said.get(invitation_state or "", "tanpa undangan survei (tidak ada persetujuan atau sudah diundang)")
    if invitation_state == "failed":
        note = f"undangan survei tidak dapat dikirim: {why}"
    return f"Tiket {ticket_id} selesai; {note}."


def several_open(refs: list[str]) -> str:
    return "Warga ini punya beberapa tiket terbuka: " + ", ".join(refs) + ". Kirim #selesai KODE."
