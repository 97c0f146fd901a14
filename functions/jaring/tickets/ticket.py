"""Tickets: one service delivered to one citizen. Pure: the lifecycle and the ticket's names.

A ticket is open while the citizen is being served, then completed (which earns a survey
invitation) or cancelled. Its id doubles as the reference staff type ("#selesai K7M2QX9AB4"),
so it is short, unambiguous when read aloud, and derived from where the ticket came from:
a redelivered form answer, a re-imported CSV row or a repeated QR scan finds the same ticket.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from jaring import retention
from dataclasses import dataclass
from typing import Any

OPEN, COMPLETED, CANCELLED = "open", "completed", "cancelled"
STATUS_WORDS = {OPEN: "sedang dilayani", COMPLETED: "selesai", CANCELLED: "batal"}
CHANNELS = ("logbook", "admin", "csv", "staff_chat", "qr")
# Crockford's base 32: no I, L, O or U, so a reference survives being read over the counter.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REF_LENGTH = 10  # 50 bits: a collision among a million tickets is about one in two thousand
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
MAX_TEXT = 120


class TicketError(ValueError):
    """A ticket cannot be created or moved as asked; the message says why (shown to staff)."""


def ticket_id(office: str, channel: str, source: str) -> str:
    """The deterministic reference of the ticket that `source` (within its channel) opens."""
    digest = int.from_bytes(hashlib.sha256("\x1f".join((office, channel, source)).encode()).digest()[:8], "big")
    return "".join(ALPHABET[(digest >> (5 * i)) & 31] for i in range(REF_LENGTH))


def parse_ref(text: str) -> str | None:
    """A reference as staff may type it (lower case, spaces, dashes, O for 0), or None."""
    cleaned = re.sub(r"[\s-]", "", text or "").upper().translate(str.maketrans("OIL", "011"))
    if len(cleaned) == REF_LENGTH and all(ch in ALPHABET for ch in cleaned):
        return cleaned
    return None


def new_token() -> str:
    """The unguessable token of a ticket's personal form link (128 bits)."""
    return secrets.token_urlsafe(16)


def slug(value: str, what: str) -> str:
    """Unit codes are lower-case slugs (e.g. "umum", "kua-socah")."""
    value = (value or "").strip().lower()
    if not _SLUG.match(value):
        raise TicketError(f"{what} must be a short code of letters, digits and dashes, got {value[:40]!r}")
    return value


def _text(value: Any, what: str, required: bool = False) -> str:
    value = " ".join(str(value or "").split())
    if required and not value:
        raise TicketError(f"{what} is required")
    if len(value) > MAX_TEXT:
        raise TicketError(f"{what} is longer than {MAX_TEXT} characters")
    return value


@dataclass(frozen=True)
class NewTicket:
    """What a way in knows about a service; the contact is resolved by the store."""

    office: str
    unit: str
    service: str
    channel: str
    source: str  # dedupe key within the channel (form response id, CSV row content, wamid…)
    officer: str = ""
    consent: bool = False
    completed: bool = False  # logbook/CSV rows may record a service that is already done
    opened_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None

    @property
    def id(self) -> str:
        return ticket_id(self.office, self.channel, self.source)


def new(spec: NewTicket, contact_id: str, now: dt.datetime, token: str) -> dict[str, Any]:
    """The ticket document for a validated spec."""
    if spec.channel not in CHANNELS:
        raise TicketError(f"channel must be one of {', '.join(CHANNELS)}")
    opened_at = spec.opened_at or now
    completed_at = (spec.completed_at or now) if spec.completed else None
    if completed_at is not None and completed_at < opened_at:
        raise TicketError("a service cannot be completed before it was opened")
    return {
        "office": _text(spec.office, "office", True), "unit": slug(spec.unit, "unit"),
        "service": _text(spec.service, "service"), "officer": _text(spec.officer, "officer"),
        "channel": spec.channel, "contact_id": contact_id, "consent": bool(spec.consent),
        "status": COMPLETED if completed_at else OPEN, "opened_at": opened_at, "completed_at": completed_at,
        "cancelled_at": None, "answered_at": None, "token": token, "source": spec.source[:300],
        "expire_at": max(opened_at, now) + retention.SERVICE,
    }


def complete(ticket: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """Changes that mark an open ticket completed; completing twice is not an error (no changes)."""
    if ticket["status"] == COMPLETED:
        return {}
    if ticket["status"] == CANCELLED:
        raise TicketError("this ticket was cancelled; it cannot be completed")
    return {"status": COMPLETED, "completed_at": now}


def cancel(ticket: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    if ticket["status"] == CANCELLED:
        return {}
    if ticket["status"] == COMPLETED:
        raise TicketError("this service is already completed; it cannot be cancelled")
    return {"status": CANCELLED, "cancelled_at": now}


def public_view(ticket_id_: str, ticket: dict[str, Any]) -> dict[str, Any]:
    """A ticket as staff tools may show it: never the form token."""
    shown = {k: v for k, v in ticket.items() if k not in ("token", "source")}
    return {"id": ticket_id_, **{k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in shown.items()}}
