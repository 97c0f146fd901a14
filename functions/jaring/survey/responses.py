"""Survey responses (SKM, PermenPANRB 14/2017): one citizen's answer set, validated, anonymous.

Answers are keyed by unsur (U1..U9 in the regulation's order), never by question position:
the sample questionnaire asks about sarana (U9) before pengaduan (U8).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

UNSUR = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
UNSUR_NAMES = {
    "U1": "Persyaratan",
    "U2": "Sistem, Mekanisme, dan Prosedur",
    "U3": "Waktu Penyelesaian",
    "U4": "Biaya/Tarif",
    "U5": "Produk Spesifikasi Jenis Pelayanan",
    "U6": "Kompetensi Pelaksana",
    "U7": "Perilaku Pelaksana",
    "U8": "Penanganan Pengaduan, Saran dan Masukan",
    "U9": "Sarana dan Prasarana",
}
# The sample questionnaire's answer labels for values 1..4, one table for every channel.
LABELS = {
    "U1": ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    "U2": ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    "U3": ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    "U4": ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    "U5": ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    "U6": ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    "U7": ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"),
    "U8": ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"),
    "U9": ("Buruk", "Cukup", "Baik", "Sangat Baik"),
}
CHANNELS = ("form", "chat", "paper", "flow")  # flow: the WhatsApp Flow (jaring.survey.flow)
PROFILE_FIELDS = ("sex", "education", "occupation", "age_band")
MAX_TEXT = 2000
MAX_NAME = 120


class InvalidResponse(ValueError):
    """The answer set cannot be stored as it is; the message says which field and why."""


@dataclass(frozen=True)
class Response:
    office: str
    unit: str
    service: str
    channel: str
    submitted_at: dt.datetime  # UTC
    answers: Mapping[str, int]  # the unsur answered (U1..U9) → 1..4; a blank unsur is left out
    source_id: str  # dedupe key: form response id / "chat:"+ticket id / import file+row
    profile: Mapping[str, str] = field(default_factory=dict)
    suggestion: str = ""
    ticket_id: str | None = None
    nudges_before_answer: int | None = None


def _name(fields: dict[str, Any], key: str, required: bool = True) -> str:
    value = fields.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidResponse(f"{key} must be text")
    value = " ".join(value.split())
    if required and not value:
        raise InvalidResponse(f"{key} is required")
    if len(value) > MAX_NAME:
        raise InvalidResponse(f"{key} is longer than {MAX_NAME} characters")
    return value


def is_blank(raw: Any) -> bool:
    """An unsur left unanswered: no value, or an empty cell."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def answer_value(unsur: str, raw: Any) -> int:
    """One answer as 1..4; accepts the digit as text because forms and CSV cells are text."""
    if isinstance(raw, bool):
        raise InvalidResponse(f"{unsur}: {raw!r} is not a value 1..4")
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if not isinstance(raw, int) or not 1 <= raw <= 4:
        raise InvalidResponse(f"{unsur}: {raw!r} is not a value 1..4")
    return raw


def validate(**fields: Any) -> Response:
    """A Response from loose input, or InvalidResponse naming the first problem."""
    unknown = set(fields) - set(Response.__dataclass_fields__)
    if unknown:
        raise InvalidResponse(f"unknown field(s): {', '.join(sorted(unknown))}")
    channel = fields.get("channel")
    if channel not in CHANNELS:
        raise InvalidResponse(f"channel must be one of {', '.join(CHANNELS)}, got {channel!r}")
    submitted_at = fields.get("submitted_at")
    if not isinstance(submitted_at, dt.datetime) or submitted_at.tzinfo is None:
        raise InvalidResponse("submitted_at must be a timezone-aware datetime")
    answers = fields.get("answers")
    if not isinstance(answers, Mapping):
        raise InvalidResponse("answers must map U1..U9 to 1..4")
    extra = set(answers) - set(UNSUR)
    if extra:
        raise InvalidResponse(f"answers has unknown unsur: {', '.join(sorted(map(str, extra)))}")
    given = {u: answers[u] for u in UNSUR if not is_blank(answers.get(u))}
    if not given:
        raise InvalidResponse("answers has no unsur answered (a blank questionnaire is no respondent)")
    profile = fields.get("profile") or {}
    if not isinstance(profile, Mapping) or set(profile) - set(PROFILE_FIELDS):
        raise InvalidResponse(f"profile may only hold {', '.join(PROFILE_FIELDS)}")
    profile = {k: _name(dict(profile), k) for k in PROFILE_FIELDS if _name(dict(profile), k, required=False)}
    suggestion = fields.get("suggestion") or ""
    if not isinstance(suggestion, str):
        raise InvalidResponse("suggestion must be text")
    ticket_id = fields.get("ticket_id") or None
    if ticket_id is not None and not isinstance(ticket_id, str):
        raise InvalidResponse("ticket_id must be text")
    nudges = fields.get("nudges_before_answer")
    if nudges is not None and (isinstance(nudges, bool) or not isinstance(nudges, int) or nudges < 0):
        raise InvalidResponse("nudges_before_answer must be a whole number ≥ 0")
    return Response(
        office=_name(fields, "office"), unit=_name(fields, "unit"), service=_name(fields, "service", required=False),
        channel=channel, submitted_at=submitted_at.astimezone(dt.timezone.utc),
        answers={u: answer_value(u, v) for u, v in given.items()}, source_id=_name(fields, "source_id"),
        profile=profile, suggestion=suggestion.strip()[:MAX_TEXT], ticket_id=ticket_id,
        nudges_before_answer=nudges,
    )
