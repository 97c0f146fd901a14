"""DATA SAYA: what the office holds about the citizen who asks, in one message (the right of access,
UU 27/2022 art. 7), from the records read in the message's own transaction.

Violation reports (WBS) are not listed: they are kept apart from the number and nothing links them to it
(docs/SECURITY.md), so the office cannot find them by the number either.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from jaring.cases import complaints as complaint_rules
from jaring.offices.hours import day_text
from jaring.offices.model import COMPLAINTS_KEPT, OfficeConfig
from jaring.retention import MESSAGES
from jaring.tickets import ticket as tickets
from jaring.whatsapp.webhook import InboundMessage

SHOWN = 5  # newest tickets and complaints listed; the message stays short
# Where a ticket's answer to "may the survey come to this number?" was given (a QR check-in's is the chat's own).
TOLD = {"admin": "kepada petugas", "staff_chat": "kepada petugas", "csv": "kepada petugas", "logbook": "di buku tamu"}


def text(contact: dict[str, Any], message: InboundMessage, served: list[tuple[str, dict[str, Any]]],
         complaints: list[dict[str, Any]], requests: list[dict[str, Any]], config: OfficeConfig,
         now: dt.datetime) -> str:
    """`served`, `complaints`, `requests`: every ticket, complaint and service request of the citizen."""
    lines = [f"*Data Bapak/Ibu yang disimpan {config.short_name}* (per {day_text(now)}):",
             f"• Nomor WhatsApp: +{contact.get('wa_id') or message.sender}",
             f"• Nama profil WhatsApp: {contact.get('name') or message.name or '-'}",
             f"• Pertama menghubungi kami: {day_text(contact.get('first_seen_at') or now)}",
             f"• Pemberitahuan privasi: {_notice(contact)}",
             f"• Survei kepuasan ke nomor ini: {_consent(contact, served)}",
             f"• Pengingat dan survei: {_reminders(contact)}",
             f"• Isi pesan: disimpan {MESSAGES.days} hari sejak dikirim, lalu terhapus otomatis"]
    lines += _listed("Permohonan layanan", [_request(config, r) for r in requests])
    lines += _listed("Tiket layanan", [_ticket(config, tid, t) for tid, t in served])
    lines += _listed("Pengaduan", [f"{c['reference']} ({day_text(c['received_at'])}): "
                                   f"{complaint_rules.STATUS_NAMES.get(c.get('status'), '-')}" for c in
                                   sorted(complaints, key=lambda c: c["received_at"], reverse=True)])
    if (contact.get("intake") or {}).get("kind") == "complaint":  # its answers so far sit on the contact
        lines.append("• Pengaduan yang sedang diisi: belum dikirim; jawaban sejauh ini disimpan sampai dikirim atau "
                     "dibatalkan (*BATAL*)")
    expiry = contact.get("expire_at")
    longer = f"; {COMPLAINTS_KEPT}" if complaints else ""
    closing = [f"Bila Bapak/Ibu tidak menghubungi kami lagi, data ini terhapus otomatis pada "
               f"{day_text(expiry)}{longer}."
               if expiry else "",
               "Laporan pelanggaran (WBS) tidak tercantum: laporan itu tidak terhubung ke nomor ini. Cek dengan "
               "kode laporan dan PIN.",
               f"Ada yang keliru? Ketik *PETUGAS* untuk meminta perbaikan, atau hubungi PPID {config.short_name}. "
               "Ketik *HAPUS DATA* untuk menghapus semuanya, *PRIVASI* untuk pemberitahuan lengkap."]
    return "\n".join(lines) + "\n\n" + "\n\n".join(p for p in closing if p)


def _listed(title: str, items: list[str]) -> list[str]:
    """Every item counted, the newest SHOWN listed."""
    if not items:
        return [f"• {title}: tidak ada"]
    newest = f" ({len(items)}, {SHOWN} terbaru)" if len(items) > SHOWN else ""
    return [f"• {title}{newest}:"] + [f"   – {item}" for item in items[:SHOWN]]


def _request(config: OfficeConfig, request: dict[str, Any]) -> str:
    unit = config.unit(request.get("unit", ""))
    service = unit.service(request.get("service", "")) if unit else None
    what = ", ".join(p for p in (service.title if service else "", unit.title if unit else "") if p) or "layanan"
    return f"{request['reference']} ({day_text(request['requested_at'])}): {what}"


def _ticket(config: OfficeConfig, ticket_id: str, ticket: dict[str, Any]) -> str:
    unit = config.unit(ticket.get("unit", ""))
    what = ", ".join(p for p in (ticket.get("service"), unit.name if unit else "") if p) or "layanan"
    answered = "survei sudah diisi" if ticket.get("answered_at") else "survei belum diisi"
    status = tickets.STATUS_WORDS.get(ticket.get("status"), "-")
    return f"{ticket_id} ({day_text(ticket['opened_at'])}): {what}, {status}, {answered}"


def _notice(contact: dict[str, Any]) -> str:
    at = (contact.get("notice") or {}).get("at")
    return f"sudah dikirim {day_text(at)}" if at else "belum dikirim"


def _consent(contact: dict[str, Any], served: list[tuple[str, dict[str, Any]]]) -> str:
    """Withdrawn by BERHENTI, after it was given (or not)."""
    given = _consent_given(contact, served)
    stopped = contact.get("opted_out_at")
    if stopped and given.startswith("disetujui"):
        return f"{given}; ditarik pada {day_text(stopped)} (BERHENTI)"
    return given


def _consent_given(contact: dict[str, Any], served: list[tuple[str, dict[str, Any]]]) -> str:
    """Asked in the chat, or else at the counter or in the guest book for the newest ticket that says."""
    consent = contact.get("consent")
    if isinstance(consent, dict) and consent.get("at"):
        return f"disetujui pada {day_text(consent['at'])}"
    if consent is False:
        return "tidak disetujui"
    for ticket_id, ticket in served:
        if ticket.get("channel") in TOLD and isinstance(ticket.get("consent"), bool):
            said = "disetujui" if ticket["consent"] else "tidak disetujui"
            return f"{said} {TOLD[ticket['channel']]} (tiket {ticket_id}, {day_text(ticket['opened_at'])})"
    return "belum ditanyakan"


def _reminders(contact: dict[str, Any]) -> str:
    stopped = contact.get("opted_out_at")
    return f"dihentikan sejak {day_text(stopped)} (BERHENTI)" if stopped else "aktif (ketik BERHENTI untuk menghentikan)"
