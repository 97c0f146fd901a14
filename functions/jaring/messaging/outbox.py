"""The outbox: every message Jaring sends is first a record with a deterministic id.

The record is written before the send, so a crash or a Graph outage leaves something to
retry from, and the deterministic id makes a second attempt at the same message find the
first one instead of sending twice. This module is the policy; the store keeps the records.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from jaring.whatsapp.messages import Content

# Lifecycle of an outbound message.
SENDING = "sending"  # claimed by one worker until lease_until
RETRY = "retry"  # failed in a way that may pass later; due at next_attempt_at
QUEUED = "queued"  # not to be sent before next_attempt_at (the office's hours, citizens' polite hours)
SENT = "sent"  # accepted by the Graph API (wamid known)
FAILED = "failed"  # will not be tried again as it is (error code recorded)
DELIVERY_ORDER = {"sent": 1, "delivered": 2, "read": 3, "played": 3}


def stored_content(content: Content) -> str:
    """The content as the record keeps it: one JSON string. Nothing queries inside it, and a nested map
    costs an encoded value and an index entry per field on every write (the webhook's hottest write:
    docs/BENCHMARKS.md, issue 19)."""
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"))


def content_of(record: dict[str, Any]) -> Content:
    """The Graph payload a record holds (records written before stored_content hold a map)."""
    raw = record["content"]
    return json.loads(raw) if isinstance(raw, str) else dict(raw)


# What a sensitive record's content becomes once it is sent or given up.
REDACTED = stored_content({"type": "text", "text": {"body": "[isi dihapus setelah dikirim]"}})

NON_REPLY_PURPOSES = ("invitation", "nudge", "notice")  # stopped by BERHENTI; replies and relays are not
LEASE = dt.timedelta(seconds=60)
MAX_ATTEMPTS = 6
# A send whose outcome is unknown (a timeout: Meta may have taken it) is not tried again at once: Jaring waits
# this long for Meta's status callback, which carries the outbox id (biz_opaque_callback_data). A status
# closes the record as sent, with no second copy; without one it is sent again (the residual risk of a double:
# docs/RELIABILITY.md, "Fault drills").
STATUS_WAIT = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Outgoing:
    """A message a decision wants sent; the store turns it into an outbox record."""

    to: str  # wa_id or business-scoped user id
    content: Content
    purpose: str = "reply"  # reply | relay | invitation | nudge | notice | complaint | escalation
    contact_id: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    sensitive: bool = False  # WBS codes, PINs and report texts: the record forgets its content once sent
    not_before: dt.datetime | None = None  # queued until then (sent by the sweep's retry_due), never dropped


def key(*parts: str) -> str:
    """A Firestore-safe deterministic document id from any strings (wamids may hold '/')."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


def reply_id(inbound_wamid: str, index: int) -> str:
    return "r" + key(inbound_wamid, str(index))


def next_attempt_at(attempts: int, now: dt.datetime) -> dt.datetime:
    """Back off 1, 4, 16, 64 … minutes (Meta's 4^x advice, in minutes for a sweep that runs every few)."""
    return now + dt.timedelta(minutes=4 ** max(0, attempts - 1))


def delivery_state(current: str | None, reported: str) -> str | None:
    """The state after a status webhook, or None when it adds nothing (late or duplicate)."""
    if reported == "failed":
        return None if current == "failed" else "failed"
    if current == "failed":
        return None
    if DELIVERY_ORDER.get(reported, 0) > DELIVERY_ORDER.get(current or "", 0):
        return reported
    return None


def proves_sent(state: str, reported: str) -> bool:
    """Whether a status callback shows that a record still open (being sent, or waiting to be tried again)
    was accepted by WhatsApp after all."""
    return state in (SENDING, RETRY) and reported in DELIVERY_ORDER


def may_send(contact: dict[str, Any] | None, purpose: str) -> bool:
    """Whether a message of this purpose may go to this citizen (BERHENTI stops all but replies)."""
    return not (contact and contact.get("opted_out_at") and purpose in NON_REPLY_PURPOSES)
