"""Conversation labels: set automatically as a conversation goes, or by staff (#label CODE name).

Stored as the array field `labels` on the contact, so reports can ask "who carries label X"
(array-contains). WBS never labels anyone: a whistle-blower must not stand out to unit staff.
"""
from __future__ import annotations

import re
from typing import Iterable

from jaring.survey import questionnaire as survey

NEW = "baru"  # first day of contact
ASKED_FOR_OFFICER = "minta_petugas"  # in a hand-off now
ANSWERED_BY_OFFICER = "dibalas_petugas"
COMPLAINT = "pengaduan"
REQUEST = "permohonan"  # asked for a service from the catalogue
SURVEY_PENDING = survey.PENDING_LABEL  # wanted to give feedback; no survey answered yet (removed when answered)
OPTED_OUT = "berhenti"
AUTOMATIC = (NEW, ASKED_FOR_OFFICER, ANSWERED_BY_OFFICER, COMPLAINT, REQUEST, SURVEY_PENDING, OPTED_OUT)

STAFF_LABEL = re.compile(r"^[a-z0-9_]{2,30}$")


def changed(current: Iterable[str] | None, add: Iterable[str] = (), remove: Iterable[str] = ()) -> list[str]:
    return sorted((set(current or ()) | set(add)) - set(remove))


def staff_label(raw: str) -> str | None:
    """A label typed by staff, tidied ('Perlu Telepon' -> 'perlu_telepon'), or None when unusable."""
    name = re.sub(r"[\s-]+", "_", raw.strip().lower())
    return name if STAFF_LABEL.match(name) else None
