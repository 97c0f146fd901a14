"""What a WhatsApp message asks of complaints and whistleblowing, read without loading them. Pure and light.

  staff      a complaint command (#verifikasi P-… …, #pengaduan; see jaring.cases.routing) or a quoted relay
  citizens   STATUS / NILAI P-…, the list of their complaints, a rating picked from the list
  anyone     a WBS report code, with or without its PIN

`staff_enters` and `enters` say whether a turn may be about a complaint or a violation report at all. jaring.inbox asks it
before it imports jaring.cases.chat (with the complaints' deadlines, routing, intake and WBS): an ordinary
turn, and a fresh instance's cold start, never load them (docs/BENCHMARKS.md, Cold start).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jaring.ids import ALPHABET
from jaring.messaging import matching, menus
from jaring.whatsapp.webhook import InboundMessage

REFERENCE = re.compile(rf"\bP-?([{ALPHABET}]{{6}})\b", re.IGNORECASE)
VERBS = {"verifikasi": "verify", "verify": "verify", "teruskan": "assign", "alihkan": "assign", "unit": "assign",
         "jawab": "answer", "balas": "answer", "tutup": "close", "selesai": "close", "tolak": "reject",
         "status": "status", "cek": "status"}
LIST_VERB = "pengaduan"
_COMMAND = re.compile(r"^#\s*(\w+)\s*(.*)$", re.S)
RATING_PREFIX = "nilai:"
_ASK = re.compile(r"^(status|cek|cek status|cek pengaduan|status pengaduan|nilai)?\s*[:.]?\s*(P-?\w{6})$",
                  re.IGNORECASE)
LIST_WORDS = ("status", "status pengaduan", "cek pengaduan", "pengaduan saya")

WBS_CODE_LENGTH = 8
WBS_PIN_LENGTH = 6
FOLLOW_UP = re.compile(rf"\bWBS-?([{ALPHABET}]{{{WBS_CODE_LENGTH}}})\b(?:\D{{0,20}}?\b(\d{{{WBS_PIN_LENGTH}}})\b)?",
                       re.IGNORECASE)
WBS_CHOICES = ("wbs:start", "wbs:check")


def parse_reference(text: str) -> str | None:
    """'P-ABC123', 'p-abc123', 'PABC123' → 'P-ABC123' (the number as citizens and staff type it)."""
    match = REFERENCE.search(text or "")
    return f"P-{match[1].upper()}" if match else None


@dataclass(frozen=True)
class Command:
    action: str  # verify | assign | answer | close | reject | status | list
    reference: str
    rest: str  # the unit, the answer or the reason


def parse(text: str) -> Command | None:
    """A complaint command, or None (then it is the hotline's or the tickets')."""
    match = _COMMAND.match((text or "").strip())
    if not match:
        return None
    verb = match[1].lower()
    if verb == LIST_VERB and not match[2].strip():
        return Command("list", "", "")
    words = match[2].split(maxsplit=1)
    reference = parse_reference(words[0]) if words else None
    if verb not in VERBS or reference is None or REFERENCE.fullmatch(words[0]) is None:
        return None
    return Command(VERBS[verb], reference, words[1].strip() if len(words) > 1 else "")


def citizen_request(text: str, choice: str, shown: list[tuple[str, str]]) -> tuple[str, str, int] | None:
    """What a citizen asks about their complaints: ("list" | "status" | "ask_rating" | "rate", number, score);
    `shown` is the menu the citizen was last shown (menus.rows_kept)."""
    if not choice and text.isascii() and text.isdigit():
        rows = [rid for rid, _ in shown if rid.startswith(RATING_PREFIX)]
        choice = rows[int(text) - 1] if 1 <= int(text) <= len(rows) else ""
    if choice.startswith(RATING_PREFIX):
        reference, _, score = choice[len(RATING_PREFIX):].rpartition(":")
        return ("rate", reference, int(score)) if score.isdigit() and reference else None
    match = _ASK.match(text.strip())
    reference = parse_reference(match[2]) if match else None
    if reference:
        return ("ask_rating" if (match[1] or "").lower() == "nilai" else "status"), reference, 0
    return ("list", "", 0) if text and matching.exactly(text, LIST_WORDS) else None


@dataclass(frozen=True)
class FollowUp:
    code: str
    pin: str  # "" when the reporter sent only the code


def parse_follow_up(text: str) -> FollowUp | None:
    match = FOLLOW_UP.search(text or "")
    return FollowUp(f"WBS-{match[1].upper()}", match[2] or "") if match else None


def typed(message: InboundMessage) -> str:
    """The words a citizen typed ("" for a tap on a button or list row, a picture, …)."""
    return message.text.strip() if message.understood and not message.choice else ""


def staff_enters(message: InboundMessage) -> bool:
    """Whether a staff member's message may be a complaint step: a complaint command, or a quoted message that
    may be a relayed complaint (jaring.cases.chat reads which)."""
    return message.type == "text" and (parse(message.text) is not None or bool(message.quoted_wamid))


def enters(message: InboundMessage, contact: dict[str, Any] | None) -> bool:
    """Whether this turn may be about the sender's complaints or a violation report (anyone's, staff too: anyone
    may follow a WBS report). jaring.cases.chat then reads it exactly; False means it surely is not."""
    contact = contact or {}
    return bool(contact.get("pending") == "wbs" or contact.get("intake") or message.choice in WBS_CHOICES
                or parse_follow_up(typed(message)) is not None
                or citizen_request(typed(message), message.choice, menus.rows_kept(contact)) is not None)
