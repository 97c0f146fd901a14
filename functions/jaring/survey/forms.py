"""Google Forms answers as the Apps Script trigger posts them (docs/forms/). Pure.

The script signs "timestamp.body" with HMAC-SHA256 (FORMS_WEBHOOK_SECRET) and posts
{kind, formId, responseId, submittedAt, answers: [{itemId, title, value}]}. Items are matched to
fields by the standard forms' titles (created by docs/forms/setup.gs from the constants below),
or by an office's own mapping for a form it already had.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from jaring.survey import questionnaire as survey
from jaring.survey.responses import LABELS, PROFILE_FIELDS, UNSUR

MAX_AGE = dt.timedelta(minutes=5)
CLOCK_SKEW = dt.timedelta(seconds=60)  # Apps Script's and the function's clocks may disagree slightly
TIMESTAMP_HEADER = "X-Jaring-Timestamp"
SIGNATURE_HEADER = "X-Jaring-Signature"
MAX_BODY = 256 * 1024

SKM, LOGBOOK = "skm", "logbook"
KINDS = (SKM, LOGBOOK)

# Titles of the standard forms' extra items (the questions come from jaring.survey.questionnaire).
TOKEN_TITLE = "Kode tiket (terisi otomatis, biarkan saja)"
SERVICE_TITLE = "Jenis layanan yang diterima"
LOGBOOK_TITLES = {
    "name": "Nama",
    "phone": "Nomor WhatsApp",
    "service": "Layanan",
    "unit": "Unit layanan",
    "officer": "Petugas yang melayani",
    "consent": "Persetujuan",
    "done": "Layanan sudah selesai?",
}
CONSENT_TEXT = "Saya bersedia dihubungi melalui WhatsApp untuk survei kepuasan tentang layanan ini"
YES = ("ya", "iya", "yes", "sudah", "setuju", "true", "1", CONSENT_TEXT.lower())


class FormRejected(ValueError):
    """The post cannot be accepted; status is the HTTP answer (4xx) and nothing is written."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str | None, signature: str | None, body: bytes, now: dt.datetime) -> None:
    """Raise FormRejected unless the body was signed with the secret within the last five minutes."""
    if not secret:
        raise FormRejected(503, "FORMS_WEBHOOK_SECRET is not configured")
    if not timestamp or not signature:
        raise FormRejected(401, f"missing {TIMESTAMP_HEADER} or {SIGNATURE_HEADER}")
    if not timestamp.isdigit() or len(timestamp) > 12:
        raise FormRejected(401, f"{TIMESTAMP_HEADER} must be unix seconds")
    if not hmac.compare_digest(sign(secret, timestamp, body).encode(), signature.strip().lower().encode()):
        raise FormRejected(403, "invalid signature")
    signed_at = dt.datetime.fromtimestamp(int(timestamp), dt.timezone.utc)
    if signed_at > now + CLOCK_SKEW:
        raise FormRejected(401, "timestamp is in the future")
    if now - signed_at > MAX_AGE:
        raise FormRejected(401, "timestamp is older than five minutes")


@dataclass(frozen=True)
class Post:
    kind: str
    form_id: str
    response_id: str
    submitted_at: dt.datetime
    answers: list[dict[str, Any]]


EARLIEST = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)  # no office ran Jaring's forms before
LATEST_AHEAD = dt.timedelta(days=1)  # the form's clock may run ahead a little, not by years


def parse(body: bytes, now: dt.datetime) -> Post:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise FormRejected(400, "body is not JSON") from exc
    if not isinstance(data, dict):
        raise FormRejected(400, "body must be a JSON object")
    kind, form_id, response_id = (data.get(k) for k in ("kind", "formId", "responseId"))
    if kind not in KINDS:
        raise FormRejected(400, f"kind must be one of {', '.join(KINDS)}")
    for name, value in (("formId", form_id), ("responseId", response_id)):
        if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_\-]{1,200}", value):
            raise FormRejected(400, f"{name} is missing or malformed")
    try:
        submitted_at = dt.datetime.fromisoformat(str(data.get("submittedAt")).replace("Z", "+00:00"))
    except ValueError as exc:
        raise FormRejected(400, "submittedAt must be an ISO timestamp") from exc
    if submitted_at.tzinfo is None:
        raise FormRejected(400, "submittedAt needs a time zone")
    try:
        submitted_at = submitted_at.astimezone(dt.timezone.utc)
        in_window = EARLIEST <= submitted_at <= now + LATEST_AHEAD
    except OverflowError:  # year 1 or 9999 with an offset
        in_window = False
    if not in_window:
        raise FormRejected(400, f"submittedAt must lie between {EARLIEST.date()} and a day after now")
    answers = data.get("answers")
    if not isinstance(answers, list) or not all(isinstance(a, dict) and "value" in a for a in answers):
        raise FormRejected(400, "answers must be a list of {itemId, title, value}")
    return Post(kind, form_id, response_id, submitted_at, answers)


def normalise_title(title: Any) -> str:
    return " ".join(str(title or "").lower().replace("*", " ").split()).rstrip(" ?.:")


def standard_items(kind: str) -> dict[str, str]:
    """Normalised title → field for the standard forms."""
    if kind == LOGBOOK:
        return {normalise_title(title): name for name, title in LOGBOOK_TITLES.items()}
    items = {normalise_title(q): u for u, q in survey.QUESTIONS}
    items.update({normalise_title(q): name for name, q, _ in survey.PROFILE})
    items.update({normalise_title(TOKEN_TITLE): "token", normalise_title(SERVICE_TITLE): "service",
                  normalise_title(survey.SUGGESTION_QUESTION): "suggestion"})
    return items


@dataclass(frozen=True)
class FormConfig:
    """A registered form (forms/{formId}): whose it is and, for an office's own form, its mapping."""

    office: str
    kind: str
    unit: str  # the unit a walk-in answer (no ticket code) counts for
    items: Mapping[str, Any] = field(default_factory=dict)  # itemId or title → field or {field, choices}

    def field_of(self, answer: dict[str, Any]) -> tuple[str | None, list[str] | None]:
        for key in (str(answer.get("itemId", "")), normalise_title(answer.get("title"))):
            if key and key in self.items:
                spec = self.items[key]
                return (spec.get("field"), spec.get("choices")) if isinstance(spec, Mapping) else (spec, None)
        return standard_items(self.kind).get(normalise_title(answer.get("title"))), None


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return " ".join(str(value or "").split())


def unsur_value(unsur: str, raw: Any, choices: list[str] | None = None) -> int:
    """A form answer as 1..4: the label (regulation's or the office's), "3", or "c. Sesuai"."""
    text = _text(raw)
    labels = [c.lower() for c in (choices or LABELS[unsur])]
    lowered = text.lower()
    if lowered in labels:
        return labels.index(lowered) + 1
    match = re.fullmatch(r"([1-4a-d])(?:[.)]\s*(.*))?", lowered)
    if match and (match.group(2) is None or match.group(2) in labels):
        return "1234abcd".index(match.group(1)) % 4 + 1
    raise FormRejected(422, f"{unsur}: {text[:60]!r} is not one of the four answers")


def _profile_value(name: str, raw: Any) -> str:
    text = _text(raw)
    for value, label in survey.PROFILE_OF[name][1]:
        if text.lower() in (value.lower(), label.lower()):
            return value
    return text[:120]


@dataclass(frozen=True)
class SkmAnswers:
    answers: dict[str, int]
    profile: dict[str, str]
    suggestion: str
    token: str
    service: str


def skm(post: Post, config: FormConfig) -> SkmAnswers:
    answers: dict[str, int] = {}
    profile: dict[str, str] = {}
    extra = {"suggestion": "", "token": "", "service": ""}
    for answer in post.answers:
        name, choices = config.field_of(answer)
        if name in UNSUR:
            if _text(answer["value"]):  # an optional question left blank: that unsur is not answered
                answers[name] = unsur_value(name, answer["value"], choices)
        elif name in PROFILE_FIELDS and _text(answer["value"]):
            profile[name] = _profile_value(name, answer["value"])
        elif name in extra:
            extra[name] = _text(answer["value"]) if name != "suggestion" else str(answer["value"] or "").strip()
    if not answers:
        raise FormRejected(422, f"the form's answers have none of {', '.join(UNSUR)} (blank, or check the form's "
                                "item mapping)")
    return SkmAnswers(answers, profile, extra["suggestion"], extra["token"], extra["service"])


@dataclass(frozen=True)
class LogbookEntry:
    name: str
    phone: str
    service: str
    unit: str
    officer: str
    consent: bool
    done: bool


def logbook(post: Post, config: FormConfig) -> LogbookEntry:
    values: dict[str, str] = {}
    for answer in post.answers:
        name, _ = config.field_of(answer)
        if name in LOGBOOK_TITLES:
            values[name] = _text(answer["value"])
    if not values.get("phone"):
        raise FormRejected(422, "the guest book entry has no WhatsApp number")
    return LogbookEntry(name=values.get("name", ""), phone=values["phone"], service=values.get("service", ""),
                        unit="-".join(values.get("unit", "").lower().split()) or config.unit, officer=values.get("officer", ""),
                        consent=values.get("consent", "").lower() in YES, done=values.get("done", "").lower() in YES)
