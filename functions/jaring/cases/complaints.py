"""Complaints (pengaduan): lifecycle, deadlines in working days, escalation and what the citizen is told. Pure.

    received ──verify──▶ verified ──answer──▶ answered ──close──▶ closed ──(the citizen rates 1..4)
        │  └────────────answer (verifies too)──────▲    ▲ answer again
        └──reject (with a reason)──▶ rejected ◀──reject── verified

Deadlines follow practice under PermenPANRB 62/2018 / SP4N-LAPOR!: verified within 3 working days of
arrival, answered within 5 working days of verification (an office may set other numbers). While a
complaint is open, `due_at` is the deadline it is working towards and `next_escalation_at` the moment
the reminder sweep must act: at the deadline the unit's head is told, `escalate_after_days` working
days later the office head. Answering, closing or rejecting ends both.

A complaint document (collection `complaints`):
  office, contact_id, reference "P-XXXXXX", channel, unit ("" until known), details {what, where, when,
  who, how}, media [{id, mime_type, sha256, filename, caption}], status, received_at, verify_due_at,
  verified_at, answer_due_at, due_at, answered_at, first_answer_at, closed_at, rejected_at, reason,
  answer (the last answer sent), next_escalation_at, escalation {stage, level, at}, rating {score, at},
  history [{at, action, by, note}].
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable

from jaring.messaging.outbox import key
from jaring.offices import hours as office_hours
from jaring.offices import workdays
from jaring.offices.policies import Deadlines
from jaring import retention

RECEIVED, VERIFIED, ANSWERED, CLOSED, REJECTED = "received", "verified", "answered", "closed", "rejected"
STATUSES = (RECEIVED, VERIFIED, ANSWERED, CLOSED, REJECTED)
OPEN = (RECEIVED, VERIFIED)  # the office still owes the citizen an answer
ACTIONS = ("verify", "assign", "answer", "close", "reject")
DETAILS = ("what", "where", "when", "who", "how")
MAX_ANSWER = 1500
MIN_REASON = 5
SUMMARY_FIELD = 600  # five fields of this fit one WhatsApp message with room to spare

STATUS_NAMES = {RECEIVED: "diterima, menunggu verifikasi", VERIFIED: "diverifikasi, sedang ditangani",
                ANSWERED: "sudah dijawab", CLOSED: "selesai", REJECTED: "tidak dapat diproses"}

# The rating asks how satisfied the complainant is with the handling of their own complaint, on its own
# four-point scale: U8's labels ("Tidak ada … Dikelola dengan baik") ask whether a complaint channel exists,
# which does not fit a complaint just answered. It is reported beside the survey's U8, never inside the IKM.
RATING_QUESTION = "Seberapa puas Bapak/Ibu dengan penanganan pengaduan ini?"
RATING_LABELS = ("Tidak puas", "Kurang puas", "Puas", "Sangat puas")
RATING_TITLES = tuple(f"{value} · {label}" for value, label in enumerate(RATING_LABELS, 1))


# Why an open complaint ended when its complainant erased their data (HAPUS DATA); staff read it.
ERASED_REASON = ("pelapor menghapus datanya (HAPUS DATA): isi pengaduan dan nomornya tidak ada lagi, "
                 "sehingga tidak dapat ditangani atau dijawab")


def on_erasure(doc: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """An open complaint whose complainant erased their data can neither be handled (its words are gone) nor
    answered (nobody to answer): it ends as not processable, saying why, and stops escalating. Its history
    stays as erasure left it (without notes)."""
    if doc.get("status") not in OPEN:
        return {}
    return {"status": REJECTED, "rejected_at": now, "reason": ERASED_REASON, "due_at": None,
            "next_escalation_at": None}


class ComplaintError(ValueError):
    """This step is not possible now; the message (Bahasa Indonesia) is shown to the officer."""


@dataclass(frozen=True)
class Escalation:
    stage: str  # "verify" | "answer": which deadline was missed
    level: int  # 1: the unit head, 2: the office head
    due_at: dt.datetime


def complaint_id(wamid: str) -> str:
    """A complaint's document id, fixed by the message that sent it, so a redelivery finds the first one."""
    return "p" + key("complaint", wamid)


def _event(now: dt.datetime, action: str, by: str, note: str = "") -> dict[str, Any]:
    return {"at": now, "action": action, "by": by, "note": note}


def new(*, office: str, contact_id: str, reference: str, details: dict[str, str], media: list[dict[str, Any]],
        unit: str, now: dt.datetime, hours: office_hours.Hours, deadlines: Deadlines,
        channel: str = "whatsapp") -> dict[str, Any]:
    verify_due = workdays.add(hours, now, deadlines.verify_days)
    return {"office": office, "contact_id": contact_id, "reference": reference, "channel": channel, "unit": unit,
            "details": {k: details.get(k, "") for k in DETAILS}, "media": list(media), "status": RECEIVED,
            "received_at": now, "verify_due_at": verify_due, "verified_at": None, "answer_due_at": None,
            "due_at": verify_due, "answered_at": None, "first_answer_at": None, "closed_at": None,
            "rejected_at": None, "reason": "", "answer": "", "next_escalation_at": alert_at(hours, verify_due),
            "escalation": None, "rating": None, "history": [_event(now, "received", "warga")],
            "expire_at": now + retention.COMPLAINTS}


def change(doc: dict[str, Any], action: str, now: dt.datetime, by: str, hours: office_hours.Hours,
           deadlines: Deadlines, unit: str = "", text: str = "") -> dict[str, Any]:
    """The fields that change when staff take this step, or ComplaintError saying why they cannot."""
    status, text = doc["status"], " ".join((text or "").split()) if action == "reject" else (text or "").strip()
    if action not in ACTIONS:
        raise ComplaintError(f"langkah {action!r} tidak dikenal (pilih: {', '.join(ACTIONS)})")
    if status in (CLOSED, REJECTED):
        raise ComplaintError(f"pengaduan {doc['reference']} sudah {STATUS_NAMES[status]}")
    changes: dict[str, Any] = {}
    if unit:
        changes["unit"] = unit
    if action == "verify":
        if status != RECEIVED:
            raise ComplaintError(f"pengaduan {doc['reference']} sudah diverifikasi")
        changes.update(_verified(now, hours, deadlines))
    elif action == "assign":
        if not unit:
            raise ComplaintError("sebutkan unit tujuan")
        if status not in OPEN:
            raise ComplaintError(f"pengaduan {doc['reference']} sudah dijawab; unitnya tidak diubah lagi")
    elif action == "answer":
        if not text:
            raise ComplaintError("tulis jawabannya")
        if len(text) > MAX_ANSWER:
            raise ComplaintError(f"jawaban {len(text)} karakter; paling banyak {MAX_ANSWER}")
        if status == RECEIVED:
            changes.update(_verified(now, hours, deadlines))
        changes.update(status=ANSWERED, answered_at=now, answer=text, due_at=None, next_escalation_at=None)
        if not doc.get("first_answer_at"):
            changes["first_answer_at"] = now
    elif action == "close":
        if status != ANSWERED:
            raise ComplaintError(f"pengaduan {doc['reference']} belum dijawab; jawab dulu, lalu tutup")
        changes.update(status=CLOSED, closed_at=now)
    elif action == "reject":
        if status not in OPEN:
            raise ComplaintError(f"pengaduan {doc['reference']} sudah dijawab; tutup saja bila selesai")
        if len(text) < MIN_REASON:
            raise ComplaintError("tulis alasan penolakan (paling sedikit 5 huruf); warga akan membacanya")
        changes.update(status=REJECTED, rejected_at=now, reason=text, due_at=None, next_escalation_at=None)
    changes["history"] = list(doc.get("history") or []) + [_event(now, action, by, text or unit)]
    return changes


def _verified(now: dt.datetime, hours: office_hours.Hours, deadlines: Deadlines) -> dict[str, Any]:
    answer_due = workdays.add(hours, now, deadlines.answer_days)
    return {"status": VERIFIED, "verified_at": now, "answer_due_at": answer_due, "due_at": answer_due,
            "next_escalation_at": alert_at(hours, answer_due), "escalation": None}


def rate(doc: dict[str, Any], score: int, now: dt.datetime) -> dict[str, Any]:
    """The citizen's rating of the handling, once, after the complaint is closed."""
    if doc["status"] != CLOSED:
        raise ComplaintError("penilaian dapat diberikan setelah pengaduan selesai")
    if doc.get("rating"):
        raise ComplaintError("penilaian untuk pengaduan ini sudah tercatat")
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 4:
        raise ComplaintError("nilai 1 sampai 4")
    return {"rating": {"score": score, "at": now},
            "history": list(doc.get("history") or []) + [_event(now, "rated", "warga", str(score))]}


# -- escalation ------------------------------------------------------------------------------------

def overdue(doc: dict[str, Any], now: dt.datetime, hours: office_hours.Hours,
            deadlines: Deadlines) -> Escalation | None:
    """The escalation now due for this complaint, if any (each stage and level happens once)."""
    if doc.get("status") not in OPEN or not doc.get("due_at") or now < doc["due_at"]:
        return None
    stage = "verify" if doc["status"] == RECEIVED else "answer"
    done = doc.get("escalation") or {}
    level = done.get("level", 0) if done.get("stage") == stage else 0
    if level >= 2:
        return None
    if level == 1 and now < _office_head_at(doc["due_at"], hours, deadlines):
        return None
    return Escalation(stage, level + 1, doc["due_at"])


def next_escalation_at(doc: dict[str, Any], hours: office_hours.Hours, deadlines: Deadlines) -> dt.datetime | None:
    """When the sweep must next look at this complaint (None: never again unless it changes)."""
    if doc.get("status") not in OPEN or not doc.get("due_at"):
        return None
    stage = "verify" if doc["status"] == RECEIVED else "answer"
    done = doc.get("escalation") or {}
    level = done.get("level", 0) if done.get("stage") == stage else 0
    moment = {0: doc["due_at"], 1: _office_head_at(doc["due_at"], hours, deadlines)}.get(level)
    return moment and alert_at(hours, moment)


def alert_at(hours: office_hours.Hours, moment: dt.datetime) -> dt.datetime:
    """When staff hear of a deadline passing at `moment`: then if the office is open, else at its next opening
    (a deadline ends at midnight; the heads are told at 07:30, not in their sleep)."""
    return office_hours.next_open(hours, moment)


def _office_head_at(due_at: dt.datetime, hours: office_hours.Hours, deadlines: Deadlines) -> dt.datetime:
    return workdays.add(hours, due_at - dt.timedelta(microseconds=1), deadlines.escalate_after_days)


def escalated(doc: dict[str, Any], escalation: Escalation, now: dt.datetime, hours: office_hours.Hours,
              deadlines: Deadlines, told: list[str]) -> dict[str, Any]:
    """What to record once the heads have been told; `told` names them (for the history)."""
    following = alert_at(hours, _office_head_at(escalation.due_at, hours, deadlines)) if escalation.level == 1 else None
    return {"escalation": {"stage": escalation.stage, "level": escalation.level, "at": now},
            "next_escalation_at": following,
            "history": list(doc.get("history") or []) + [
                _event(now, f"escalated_{escalation.level}", "sistem", ", ".join(told))]}


# -- what people are told --------------------------------------------------------------------------

def day_text(moment: dt.datetime) -> str:
    return office_hours.date_text(workdays.last_day(moment))


def receipt_text(doc: dict[str, Any], deadlines: Deadlines) -> str:
    """The citizen's receipt: the number, and plainly what happens next and by when."""
    return (f"Terima kasih, pengaduan Bapak/Ibu kami terima.\nNomor pengaduan: *{doc['reference']}*\n\n"
            f"Yang terjadi selanjutnya:\n"
            f"1. Petugas memeriksa (memverifikasi) pengaduan Bapak/Ibu paling lambat *{day_text(doc['verify_due_at'])}*.\n"
            f"2. Setelah itu, jawaban kami kirim paling lambat {deadlines.answer_days} hari kerja kemudian.\n"
            f"3. Setiap perkembangan kami kabarkan di WhatsApp ini.\n\n"
            f"Ketik *STATUS {doc['reference']}* kapan saja untuk melihat perkembangannya.")


def citizen_update(doc: dict[str, Any], action: str, unit_name: Callable[[str], str]) -> str:
    """What the citizen is told after staff took `action` (doc is the complaint after the change)."""
    ref = doc["reference"]
    if action == "verify":
        where = f" dan ditangani oleh {unit_name(doc['unit'])}" if doc.get("unit") else ""
        return (f"Pengaduan *{ref}* sudah kami verifikasi{where}. Jawaban kami kirim paling lambat "
                f"*{day_text(doc['answer_due_at'])}*.")
    if action == "assign":
        return f"Pengaduan *{ref}* kini ditangani oleh {unit_name(doc['unit'])}."
    if action == "answer":
        return (f"Jawaban atas pengaduan *{ref}*:\n\n{doc['answer']}\n\n"
                "Bila masih ada yang kurang jelas, pilih *Bicara dengan petugas* di menu dan sebutkan nomor "
                "pengaduan ini.")
    if action == "close":
        return f"Pengaduan *{ref}* kami nyatakan selesai. Terima kasih telah menyampaikannya."
    return (f"Mohon maaf, pengaduan *{ref}* tidak dapat kami proses.\nAlasan: {doc.get('reason') or '-'}\n\n"
            "Bapak/Ibu dapat mengirim pengaduan baru dengan keterangan yang lebih lengkap melalui menu *Pengaduan*.")


def status_text(doc: dict[str, Any], unit_name: Callable[[str], str]) -> str:
    """Where a complaint stands, for the citizen who asks by number."""
    lines = [f"Pengaduan *{doc['reference']}*", f"Diterima: {day_text(doc['received_at'])}",
             f"Status: {STATUS_NAMES[doc['status']]}"]
    if doc.get("unit"):
        lines.append(f"Ditangani: {unit_name(doc['unit'])}")
    if doc["status"] == RECEIVED:
        lines.append(f"Verifikasi paling lambat: {day_text(doc['verify_due_at'])}")
    elif doc["status"] == VERIFIED:
        lines.append(f"Jawaban paling lambat: {day_text(doc['answer_due_at'])}")
    if doc.get("answer"):
        lines += ["", f"Jawaban petugas: {doc['answer']}"]
    if doc["status"] == REJECTED:
        lines.append(f"Alasan: {doc.get('reason') or '-'}")
    return "\n".join(lines)


def short(text: str, limit: int = SUMMARY_FIELD) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def staff_summary(doc: dict[str, Any], unit_name: Callable[[str], str]) -> str:
    """A complaint as staff receive it on WhatsApp: enough to act (long answers cut; admin_api has them whole),
    with the commands. Always fits one message."""
    given = doc.get("details") or {}  # none once the citizen had their data erased
    d = {k: short(given.get(k) or "-") for k in ("what", "where", "when", "who", "how")}
    unit = unit_name(doc["unit"]) if doc.get("unit") else "(belum ditentukan)"
    lines = [f"*Pengaduan {doc['reference']}*", f"Unit: {unit}", f"Apa: {d['what']}", f"Di mana: {d['where']}",
             f"Kapan: {d['when']}", f"Siapa: {d['who']}", f"Bagaimana: {d['how']}"]
    if doc.get("media"):
        lines.append(f"Lampiran: {len(doc['media'])} berkas")
    lines += ["", f"Verifikasi paling lambat {day_text(doc['verify_due_at'])}.",
              f"↩ Kutip pesan ini untuk menjawab warga, atau: #verifikasi {doc['reference']} · "
              f"#jawab {doc['reference']} teks · #tolak {doc['reference']} alasan · #status {doc['reference']}"]
    return "\n".join(lines)


def escalation_text(doc: dict[str, Any], escalation: Escalation, unit_name: Callable[[str], str]) -> str:
    missed = "verifikasi" if escalation.stage == "verify" else "jawaban"
    unit = unit_name(doc["unit"]) if doc.get("unit") else "belum ditentukan"
    return (f"⚠ Pengaduan *{doc['reference']}* (unit: {unit}) melewati batas waktu {missed} "
            f"({day_text(escalation.due_at)}). Mohon segera ditindaklanjuti: #status {doc['reference']}")
