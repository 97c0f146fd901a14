"""The staff's quick summary on WhatsApp: `#ringkasan [hari|bulan]`.

A registered staff number gets today's and/or this month's survey and complaint figures: officers and unit
heads for their unit, office heads and admins for the whole office; the inspectorate (no unit, no service)
is told who may ask. Strangers never get here: jaring.inbox asks only for numbers in the office file, and
the hotline refuses their commands.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

from jaring.app import Jaring
from jaring.identity import OFFICE_WIDE, UNIT_ROLES
from jaring.messaging import matching
from jaring.messaging.decision import Decision
from jaring.messaging.outbox import Outgoing
from jaring.offices.model import OfficeConfig, Staff
from jaring.whatsapp import messages
from jaring.whatsapp.webhook import InboundMessage

VERB = "ringkasan"
PERIODS = {"hari": ("hari",), "bulan": ("bulan",), "": ("hari", "bulan")}
USAGE = "Tulis #ringkasan untuk hari ini dan bulan ini, #ringkasan hari, atau #ringkasan bulan."
NOT_FOR_YOU = ("Ringkasan hanya untuk petugas dan kepala unit (unitnya sendiri) serta kepala kantor dan admin "
               "(seluruh kantor).")
_COMMAND = re.compile(r"^#\s*(\w+)\s*(.*)$", re.S)


def parse(text: str) -> tuple[str, ...] | None:
    """The periods asked for ("hari", "bulan"), () for an argument not understood, None when it is not
    this command."""
    match = _COMMAND.match((text or "").strip())
    if not match or not matching.same(match[1], VERB):
        return None
    said = matching.normalise(match[2]).removesuffix(" ini")
    return PERIODS.get(said, ())


def scope(member: Staff) -> tuple[bool, str | None]:
    """(allowed, unit): None for the whole office."""
    if member.role in OFFICE_WIDE:
        return True, None
    return (member.role in UNIT_ROLES and bool(member.unit)), member.unit or None


def decider(app: Jaring, office: str, message: InboundMessage, now: dt.datetime,
            config: OfficeConfig) -> Callable[[Any, Any], Decision] | None:
    """The answer to a staff member's #ringkasan (its figures read before the message's transaction)."""
    member = config.staff_member(message.sender)
    periods = parse(message.text) if member is not None and message.type == "text" else None
    if periods is None:
        return None
    allowed, unit = scope(member)
    if not periods:
        text = USAGE
    elif not allowed:
        text = NOT_FOR_YOU
    else:
        from jaring.reports.report import Names

        text = app.report_store.quick_summary(office, unit, now, Names.of(config), periods=periods)
    reply = Decision([Outgoing(to=message.sender, content=messages.text(text))])
    return lambda contact, target: reply
