"""Whistleblowing (WBS) reports: codes, PINs, the unlinked reporter, follow-up and what people are told. Pure.

A report is kept apart from the reporter's number. The report document holds no number, no contact_id
and no message id; the only way back to the reporter is a separate link document whose id is an HMAC
of the report id under a key only the functions hold (`WBS_LINK_KEY`), holding the reporter's
contact_id. Nobody reading Firestore without that key can tell which link belongs to which report,
and the inspectorate's screens never show either. The reporter follows up from any number with the
report code and a PIN shown once; the PIN is kept as a salted scrypt hash of an HMAC of the PIN under
the same key, so the stored hash cannot be brute-forced without the key. Wrong PINs lock the report
against further tries for a while.

No time, id or flag of a report or link equals one in the reporter's messages, replies or contact: the
report and its updates carry only the WIB day (`received_on`, `updates[].on`, `last_followup_on`), a lock
ends on a whole hour, the link holds the reporter's contact_id sealed under the key (no plain contact_id,
no date), and the id of a notice to the reporter is keyed too (`notice_id`), so none of them can be
computed from a code or matched against the messages' exact times.

A report document (collection `wbs_reports`, readable only by the inspectorate):
  office, code "WBS-XXXXXXXX", status, received_on "YYYY-MM-DD", source (chat | complaint), content {who,
  what, when, where, how, evidence}, media [{id, mime_type, sha256, filename, caption}], updates [{on,
  status, message, by}], pin {salt, hash, n, r, p}, failed_attempts, locked_until, last_followup_on.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from jaring.cases.commands import WBS_CODE_LENGTH as CODE_LENGTH, WBS_PIN_LENGTH as PIN_LENGTH
from jaring.clock import local_day
from jaring.ids import ALPHABET
from jaring.messaging.outbox import key as digest
from jaring.offices import hours as office_hours

MAX_WRONG = 5
LOCK = dt.timedelta(hours=24)
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
CONTENT = ("who", "what", "when", "where", "how", "evidence")

RECEIVED, REVIEWING, INVESTIGATING, CLOSED, NOT_PROCESSABLE = (
    "received", "reviewing", "investigating", "closed", "not_processable")
STATUSES = (RECEIVED, REVIEWING, INVESTIGATING, CLOSED, NOT_PROCESSABLE)
STATUS_NAMES = {RECEIVED: "diterima, menunggu telaah Inspektorat", REVIEWING: "sedang ditelaah Inspektorat",
                INVESTIGATING: "ditindaklanjuti (klarifikasi atau pemeriksaan)", CLOSED: "selesai",
                NOT_PROCESSABLE: "tidak dapat diproses"}


class WbsError(ValueError):
    """The inspectorate's change is not possible; the message says why."""


def new_code() -> str:
    return "WBS-" + "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def new_pin() -> str:
    return f"{secrets.randbelow(10 ** PIN_LENGTH):0{PIN_LENGTH}d}"


def report_id(code: str) -> str:
    return "w" + digest("wbs", code.upper())


def _keyed(key: bytes, *parts: str) -> str:
    return hmac.new(key, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()[:40]


def day(now: dt.datetime) -> str:
    """The WIB day of a moment: all a report or a link says about when something happened."""
    return local_day(now).isoformat()


def lock_end(now: dt.datetime) -> dt.datetime:
    """When a lock set now ends: LOCK later, rounded up to the whole hour, so it matches no message's time."""
    end = now + LOCK
    whole = end.replace(minute=0, second=0, microsecond=0)
    return whole if whole == end else whole + dt.timedelta(hours=1)


def notice_id(key: bytes, report: str, n: int) -> str:
    """The outbox id of the n-th notice to a reporter: keyed, so it cannot be computed from the code."""
    return "wn" + _keyed(key, "notice", report, str(n))


def _pad(key: bytes, link: str, length: int) -> bytes:
    blocks = (hmac.new(key, f"seal\x1f{link}\x1f{i}".encode(), hashlib.sha256).digest()
              for i in range(length // 32 + 1))
    return b"".join(blocks)[:length]


def seal(key: bytes, link: str, contact_id: str) -> str:
    """The reporter's contact_id as the link keeps it: XOR with a keystream unique to the link (HMAC-SHA256
    in counter mode), so without the key the sealed value matches no contact."""
    raw = contact_id.encode()
    return bytes(a ^ b for a, b in zip(raw, _pad(key, link, len(raw)))).hex()


def unseal(key: bytes, link: str, sealed: str) -> str:
    raw = bytes.fromhex(sealed or "")
    return bytes(a ^ b for a, b in zip(raw, _pad(key, link, len(raw)))).decode(errors="replace")


def link_id(key: bytes, office: str, report: str) -> str:
    """The id of the one document that leads from a report to its reporter: computable only with the key."""
    return "k" + _keyed(key, "link", office, report)


def draft_id(key: bytes, office: str, contact_id: str) -> str:
    """Where a report being written waits between messages, unlinkable to the contact without the key."""
    return "z" + _keyed(key, "draft", office, contact_id)


def hash_pin(key: bytes, pin: str, salt: bytes | None = None) -> dict[str, Any]:
    salt = salt if salt is not None else secrets.token_bytes(16)
    peppered = hmac.new(key, pin.encode(), hashlib.sha256).digest()
    hashed = hashlib.scrypt(peppered, salt=salt, maxmem=64 * 1024 * 1024, dklen=32, **SCRYPT)
    return {"salt": salt.hex(), "hash": hashed.hex(), **SCRYPT}


def pin_matches(key: bytes, stored: dict[str, Any], pin: str) -> bool:
    again = hash_pin(key, pin, bytes.fromhex(stored["salt"]))
    return hmac.compare_digest(again["hash"], stored["hash"])


def new_report(*, office: str, code: str, content: dict[str, str], media: list[dict[str, Any]],
               pin_hash: dict[str, Any], now: dt.datetime, source: str = "chat") -> dict[str, Any]:
    return {"office": office, "code": code, "status": RECEIVED, "received_on": day(now), "source": source,
            "content": {k: content.get(k, "") for k in CONTENT}, "media": list(media), "updates": [],
            "pin": pin_hash, "failed_attempts": 0, "locked_until": None, "last_followup_on": None}


# -- follow-up by code + PIN -----------------------------------------------------------------------

@dataclass(frozen=True)
class Attempt:
    outcome: str  # ok | wrong | locked
    changes: dict[str, Any]


def locked(report: dict[str, Any], now: dt.datetime) -> bool:
    return bool(report.get("locked_until")) and now < report["locked_until"]


def attempt(report: dict[str, Any], pin_ok: bool, now: dt.datetime) -> Attempt:
    """Count one try. Callers check `locked` first and do not even compare the PIN of a locked report."""
    if pin_ok:
        return Attempt("ok", {"failed_attempts": 0, "locked_until": None, "last_followup_on": day(now)})
    wrong = int(report.get("failed_attempts") or 0) + 1
    if wrong >= MAX_WRONG:
        return Attempt("locked", {"failed_attempts": 0, "locked_until": lock_end(now)})
    return Attempt("wrong", {"failed_attempts": wrong})


# -- the inspectorate's side -----------------------------------------------------------------------

def update(report: dict[str, Any], status: str, message: str, now: dt.datetime, by: str) -> dict[str, Any]:
    """A new status and/or a message for the reporter (who reads it with code + PIN)."""
    message = (message or "").strip()
    if status and status not in STATUSES:
        raise WbsError(f"status must be one of {', '.join(STATUSES)}")
    if not status and not message:
        raise WbsError("give a status, a message for the reporter, or both")
    if len(message) > 1500:
        raise WbsError("the message is longer than 1500 characters")
    status = status or report["status"]
    return {"status": status, "updates": list(report.get("updates") or []) + [
        {"on": day(now), "status": status, "message": message, "by": by}]}


def summary_view(report: dict[str, Any]) -> dict[str, Any]:
    """What the inspectorate's list shows: no content, so a list read exposes as little as possible."""
    return {"code": report["code"], "status": report["status"], "received_on": report["received_on"],
            "source": report.get("source", "chat"), "updates": len(report.get("updates") or [])}


def full_view(report: dict[str, Any]) -> dict[str, Any]:
    """One report as the inspectorate reads it. Never the PIN hash; there is no reporter to show."""
    return {**summary_view(report), "content": dict(report["content"]), "media": list(report.get("media") or []),
            "updates": [dict(u) for u in report.get("updates") or []],
            "locked": bool(report.get("locked_until"))}


# -- what the reporter is told ---------------------------------------------------------------------

CHECK_PROMPT = ("Kirim kode laporan dan PIN Bapak/Ibu dalam satu pesan, misalnya:\n*WBS-ABCD2345 123456*")
UNAVAILABLE = ("Mohon maaf, layanan Lapor pelanggaran sedang tidak tersedia. Laporan dapat disampaikan melalui "
               "WBS Kementerian Agama: https://wbs.kemenag.go.id")


def receipt(code: str, pin: str) -> str:
    return (f"Laporan Bapak/Ibu sudah kami terima dan diteruskan ke Inspektorat.\n\n"
            f"Kode laporan: *{code}*\nPIN: *{pin}*\n\n"
            "Catat kode dan PIN ini di tempat aman. PIN tidak dapat kami tampilkan lagi. Bila khawatir HP Bapak/Ibu "
            "dibaca orang lain, hapus pesan ini setelah mencatatnya.\n\n"
            f"Untuk menanyakan perkembangan, kirim dari nomor mana pun: *{code} {pin}*\n\n"
            "Bila Inspektorat memberi kabar, Bapak/Ibu menerima pesan singkat tanpa isi laporan; bacalah dengan kode "
            "dan PIN.")


def reporter_view(report: dict[str, Any]) -> str:
    lines = [f"Laporan *{report['code']}*",
             f"Diterima: {office_hours.date_text(dt.date.fromisoformat(report['received_on']))}",
             f"Status: {STATUS_NAMES[report['status']]}"]
    messages_ = [u for u in report.get("updates") or [] if u.get("message")]
    if messages_:  # the latest two: each may be 1500 characters and all must fit one message
        lines += ["", "Pesan dari Inspektorat:"]
        lines += [f"• {office_hours.date_text(dt.date.fromisoformat(u['on']))}: {u['message']}"
                  for u in messages_[-2:]]
    return "\n".join(lines)


# One answer for an unknown code, a wrong PIN and a locked report, so trying codes reveals nothing.
REFUSED_TEXT = ("Kode laporan atau PIN tidak cocok, atau laporan sedang dikunci. Periksa penulisannya. Demi keamanan, "
                f"setelah {MAX_WRONG} kali salah laporan dikunci selama 24 jam.")
NOTICE_TEXT = ("Ada kabar baru dari Inspektorat tentang laporan yang Bapak/Ibu kirim. Untuk membacanya, kirim kode "
               "laporan dan PIN Bapak/Ibu ke nomor ini.")
INSPECTORATE_NOTICE = ("Laporan WBS baru masuk: *{code}*. Bacalah di layanan Inspektorat (admin_api /wbs). "
                       "Isi laporan tidak dikirim lewat WhatsApp.")
