"""An office's hotline configuration: catalogue, quick replies, hours, closures, texts and staff.

Pure. `parse(data, source)` checks a whole configuration and either returns an OfficeConfig or raises
InvalidConfig listing every problem with its key path, so an office fixes its file in one go.
The shapes mirror the TOML files in jaring/offices/seed/ (see kemenag-bangkalan.toml for a commented example).
"""
from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass, field
from typing import Any

from jaring import retention as kept
from jaring.identity import ROLES, UNIT_ROLES
from jaring.offices import hours as office_hours
from jaring.offices import policies, texts
from jaring.offices.policies import Deadlines
from jaring.phone import InvalidPhoneNumber, normalise
from jaring.whatsapp import messages
from jaring.whatsapp import templates as wa_templates

ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TEMPLATE_NAME = re.compile(r"^[a-z0-9_]{1,512}$")  # Meta's rule for template names
NUMBER_ID = re.compile(r"^[0-9]{5,20}$")  # Meta's phone number id (WhatsApp Manager, API setup)
DISPLAY_NUMBER = re.compile(r"^\+62[0-9]{7,13}$")  # the number citizens see, in international form
# Where an office sits: a district/city office (Kantor Kementerian Agama kabupaten/kota) under a provincial
# office (Kanwil) under the ministry (pusat). Its parent is one level up; the ministry has none.
LEVELS = ("kabupaten", "kanwil", "pusat")
RESERVED_IDS = ("nasional",)  # /public/nasional is the national page, not an office
SERVICE_CARD_LIMIT = messages.INTERACTIVE_BODY


class InvalidConfig(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Elsewhere:
    """Where a service or a whole unit is served now that this office no longer gives it (the hajj and umrah
    services since the 2025 change to the hajj law): citizens are sent there, no ticket is made for it."""

    name: str
    address: str = ""
    number: str = ""  # as citizens should dial it
    link: str = ""  # https://…
    notes: str = ""


@dataclass(frozen=True)
class Service:
    id: str
    title: str  # fits a list row (24)
    name: str
    description: str
    requirements: tuple[str, ...]
    cost: str
    duration: str
    place: str
    notes: str
    elsewhere: Elsewhere | None = None


@dataclass(frozen=True)
class Unit:
    id: str
    group: str
    title: str
    name: str
    description: str
    place: str
    hours: str  # shown to citizens; "" means the office's hours
    services: tuple[Service, ...]
    elsewhere: Elsewhere | None = None  # the whole unit's services are served there

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def served_at(self, service: Service | None = None) -> Elsewhere | None:
        """Where this unit's service (or the unit) is served instead of here; None when it is served here."""
        return self.elsewhere or (service.elsewhere if service else None)

    def served_here(self) -> tuple[Service, ...]:
        return () if self.elsewhere else tuple(s for s in self.services if not s.elsewhere)


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    description: str


@dataclass(frozen=True)
class QuickReply:
    id: str
    keywords: tuple[str, ...]
    answer: str
    service: tuple[str, str] | None  # (unit id, service id): answer with that service's card


@dataclass(frozen=True)
class Staff:
    """A member of staff: WhatsApp commands by `number`, dashboard and admin_api sign-in by `email`."""

    number: str  # "" when this person does not work from WhatsApp
    email: str  # "" when this person does not sign in
    name: str
    role: str  # one of identity.ROLES
    unit: str  # "" for office-wide roles
    duty: tuple[int, ...]  # weekdays (Monday = 0) this person answers hand-offs
    hotline: bool = False  # receives "Bicara dengan petugas" hand-offs and may answer citizens


FORM, FLOW, CHAT = "form", "flow", "chat"  # the survey's ways: a Google Form, a WhatsApp Flow, the chat
SURVEY_PATHS = (FORM, FLOW, CHAT)


@dataclass(frozen=True)
class Survey:
    """How citizens are asked about a service: the public SKM form and the WhatsApp templates."""

    form_url: str = ""  # the survey form without a ticket code, offered in the menu
    templates: dict[str, str] = field(default_factory=dict)  # kind (wa_templates) -> approved name
    template_language: str = ""  # "" means the deployment's JARING_TEMPLATE_LANGUAGE
    nudges: dict[str, Any] = field(default_factory=dict)  # the reminder policy's changes (policies.Policy)
    path: str = "form"  # how invitations ask: "form" (Google Form), "flow" (WhatsApp Flow) or "chat"


@dataclass(frozen=True)
class OfficeConfig:
    office: str
    version: str
    name: str
    short_name: str
    address: str
    hours: office_hours.Hours
    consent_version: str
    consent_text: str
    retention_days: int
    handoff_minutes: int
    groups: tuple[Group, ...] = ()
    units: tuple[Unit, ...] = ()
    quick_replies: tuple[QuickReply, ...] = ()
    staff: tuple[Staff, ...] = ()
    survey: Survey = field(default_factory=Survey)
    complaint_deadlines: Deadlines = field(default_factory=Deadlines)
    overrides: dict[str, str] = field(default_factory=dict)
    whatsapp_number_id: str = ""  # Meta's id of the office's own number ("" = none yet)
    whatsapp_number: str = ""  # that number as citizens see it, +62…
    level: str = "kabupaten"
    parent: str = ""  # the office one level up (a Kanwil, then the ministry); "" only for the ministry
    privacy_text: str = ""  # the full privacy notice, sent on PRIVASI ("" = DEFAULT_PRIVACY)

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)

    def units_of(self, group_id: str) -> list[Unit]:
        return [u for u in self.units if u.group == group_id]

    def staff_member(self, number: str) -> Staff | None:
        return next((s for s in self.staff if s.number and s.number == number), None)

    def text(self, key: str, **values: Any) -> str:
        return self.render(self.overrides.get(key) or texts.DEFAULTS[key][0], **values)

    def render(self, template: str, **values: Any) -> str:
        """`hours` defaults to the weekly hours; a turn passes the ones in force today (Ramadan's)."""
        values = {"hours": office_hours.describe(self.hours), **values}
        return template.format(office=self.name, short_name=self.short_name, address=self.address, **values)

    def consent(self) -> str:
        return self.consent_text.format(retention=retention_text(self.retention_days))

    def privacy(self) -> str:
        """The full notice (PRIVASI): the short one (consent) says what, why and how long in a few lines."""
        return self.render(self.privacy_text or DEFAULT_PRIVACY, retention=retention_text(self.retention_days),
                           complaints=COMPLAINTS_KEPT)


def retention_text(days: int) -> str:
    if days % 365 == 0:
        return f"{days // 365} tahun"
    if days % 30 == 0:
        return f"{days // 30} bulan"
    return f"{days} hari"


COMPLAINTS_KEPT = f"pengaduan {retention_text(kept.COMPLAINTS.days)} sejak diterima"  # retention.COMPLAINTS, in words


def service_card(config: OfficeConfig, unit: Unit, service: Service) -> str:
    """Everything a citizen needs to come prepared, in one message."""
    lines = [f"*{service.name}*", unit.name, "", "Persyaratan:"]
    lines += [f"{i}. {r}" for i, r in enumerate(service.requirements, 1)] or ["-"]
    lines += ["", f"Biaya: {service.cost}", f"Waktu penyelesaian: {service.duration}",
              f"Tempat: {service.place or unit.place}", f"Jam layanan: {unit_hours(config, unit)}"]
    if service.notes:
        lines += ["", service.notes]
    return "\n".join(lines)


def elsewhere_card(config: OfficeConfig, unit: Unit, service: Service | None = None) -> str:
    """What a citizen reads when asking for a service (or a unit) the office no longer gives: where to go."""
    place = unit.served_at(service)
    lines = [f"*{service.name if service else unit.name}*",
             f"Layanan ini tidak lagi diberikan di {config.name}. Sekarang dilayani oleh:", "", f"*{place.name}*"]
    lines += [f"{label}: {value}" for label, value in (("Alamat", place.address), ("Telepon/WhatsApp", place.number),
                                                       ("Informasi", place.link)) if value]
    if place.notes:
        lines += ["", place.notes]
    lines += ["", "Silakan Bapak/Ibu menghubungi atau datang langsung ke sana. Kami tidak mencatat permohonan "
                  "layanan ini di sini."]
    return "\n".join(lines)


def unit_hours(config: OfficeConfig, unit: Unit) -> str:
    return unit.hours or office_hours.describe(config.hours)


# -- parsing and checking -------------------------------------------------------------------------

class _Checker:
    """Reads plain data (from TOML or Firestore) and collects every problem with its key path."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{self.source}: {path}: {message}")

    def table(self, data: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...]) -> dict:
        if not isinstance(data, dict):
            self.fail(path, "must be a table")
            return {}
        for key in data:
            if key not in required and key not in optional:
                self.fail(_join(path, key), f"unknown key (known: {', '.join(required + optional)})")
        for key in required:
            if key not in data:
                self.fail(_join(path, key), "is required")
        return data

    def text(self, data: dict, key: str, path: str, limit: int | None = None, default: str | None = None,
             pattern: re.Pattern | None = None) -> str:
        value = data.get(key, default)
        where = _join(path, key)
        if value is None:
            return ""  # reported as missing by table()
        if not isinstance(value, str) or (default is None and not value.strip()):
            self.fail(where, "must be a non-empty text")
            return ""
        value = value.strip()
        if limit is not None and len(value) > limit:
            self.fail(where, f"is {len(value)} characters; WhatsApp allows {limit}: {value[:30]!r}")
        if pattern is not None and not pattern.match(value):
            self.fail(where, f"{value!r} must be lower-case letters, digits and '-' (at most 40)")
        return value

    def texts(self, data: dict, key: str, path: str, default: tuple[str, ...] | None = None) -> tuple[str, ...]:
        value = data.get(key, default)
        if value is None:
            return ()
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(_join(path, key), "must be a list of non-empty texts")
            return ()
        return tuple(v.strip() for v in value)

    def number(self, data: dict, key: str, path: str, default: int) -> int:
        value = data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            self.fail(_join(path, key), "must be a whole number above 0")
            return default
        return value

    def items(self, data: dict, key: str, path: str) -> list[tuple[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(_join(path, key), "must be a list of tables ([[" + key + "]])")
            return []
        return [(f"{_join(path, key)}[{i}]", item) for i, item in enumerate(value)]

    def unique(self, ids: list[tuple[str, str]], what: str) -> None:
        seen: set[str] = set()
        for path, value in ids:
            if value and value in seen:
                self.fail(path, f"{what} {value!r} is used twice")
            seen.add(value)

    def template(self, value: str, path: str, allowed: tuple[str, ...]) -> None:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as exc:
            self.fail(path, f"braces do not match: {exc}")
            return
        for name in sorted(names - set(allowed)):
            self.fail(path, f"unknown placeholder {{{name}}} (allowed: {', '.join(allowed) or 'none'})")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


TOP = ("version", "office", "hours", "consent", "handoff", "texts", "groups", "service_sets", "units",
       "quick_replies", "staff", "closures", "survey", "complaints")


def parse(data: Any, source: str = "config") -> OfficeConfig:
    """The configuration in `data`, or InvalidConfig naming every problem as 'source: key.path: what'."""
    c = _Checker(source)
    top = c.table(data, "", ("version", "office", "consent"), TOP[3:] + ("hours",))
    office = c.table(top.get("office", {}), "office", ("id", "name", "short_name", "address"),
                     ("whatsapp_number_id", "whatsapp_number", "level", "parent"))
    office_id = c.text(office, "id", "office", pattern=ID)
    place = _place(c, office, office_id)
    hours = _hours(c, top.get("hours", DEFAULT_HOURS), top.get("closures", []))
    consent = c.table(top.get("consent", {}), "consent", ("version", "text"), ("retention_days", "full_text"))
    consent_text = c.text(consent, "text", "consent")
    c.template(consent_text, "consent.text", ("retention",))
    privacy_text = c.text(consent, "full_text", "consent", limit=messages.TEXT_BODY)
    c.template(privacy_text, "consent.full_text", texts.COMMON + ("retention", "complaints"))
    handoff = c.table(top.get("handoff", {}), "handoff", (), ("minutes",))
    groups = _groups(c, top)
    sets = _service_sets(c, top.get("service_sets", {}))
    units = _units(c, top, sets, {g.id for g in groups})
    quick = _quick_replies(c, top, units)
    staff = _staff(c, top, {u.id for u in units})
    overrides = _overrides(c, top.get("texts", {}))
    config = OfficeConfig(
        office=office_id, version=c.text(top, "version", ""), name=c.text(office, "name", "office"),
        short_name=c.text(office, "short_name", "office", limit=messages.BUTTON_TITLE * 2),
        address=c.text(office, "address", "office"), survey=_survey(c, top.get("survey", {})),
        hours=hours, consent_version=c.text(consent, "version", "consent"), consent_text=consent_text,
        retention_days=c.number(consent, "retention_days", "consent", 365),
        privacy_text=privacy_text,
        handoff_minutes=c.number(handoff, "minutes", "handoff", 120),
        complaint_deadlines=_deadlines(c, top.get("complaints", {})),
        groups=groups, units=units, quick_replies=quick, staff=staff, overrides=overrides, **place)
    if not c.problems:
        _check_rendered(c, config)
    if c.problems:
        raise InvalidConfig(c.problems)
    return config


def _place(c: _Checker, office: dict, office_id: str) -> dict[str, str]:
    """The office's own WhatsApp number and its place in the ministry (level, parent)."""
    number_id = c.text(office, "whatsapp_number_id", "office", default="")
    number = c.text(office, "whatsapp_number", "office", default="").replace(" ", "").replace("-", "")
    level = c.text(office, "level", "office", default="kabupaten")
    parent = c.text(office, "parent", "office", default="")
    if office_id in RESERVED_IDS:
        c.fail("office.id", f"{office_id!r} is reserved (the national public page): choose another id")
    if number_id and not NUMBER_ID.match(number_id):
        c.fail("office.whatsapp_number_id", f"{number_id!r} must be Meta's phone number id: digits only "
                                            "(WhatsApp Manager → API setup), not the phone number")
    if number and not DISPLAY_NUMBER.match(number):
        c.fail("office.whatsapp_number", f"{number!r} must be the number in international form, e.g. +6231…")
    if bool(number_id) != bool(number):
        c.fail("office.whatsapp_number" if number_id else "office.whatsapp_number_id",
               "give both the number id and the number citizens see, or neither")
    if level not in LEVELS:
        c.fail("office.level", f"{level!r} is not one of {', '.join(LEVELS)}")
    if parent and not ID.match(parent):
        c.fail("office.parent", f"{parent!r} must be an office id (lower-case letters, digits and '-')")
    elif parent == office_id:
        c.fail("office.parent", "an office cannot be its own parent")
    elif level == "pusat" and parent:
        c.fail("office.parent", "the ministry (level pusat) has no parent")
    return {"whatsapp_number_id": number_id, "whatsapp_number": number, "level": level, "parent": parent}


def _hours(c: _Checker, data: Any, closures: Any) -> office_hours.Hours:
    table = c.table(data, "hours", (), office_hours.DAYS + ("holidays", "breaks", "periods"))
    weekly = _weekly(c, table, "hours")
    categories = c.texts(table, "holidays", "hours", default=office_hours.HOLIDAY_CATEGORIES)
    for i, category in enumerate(categories):
        if category not in office_hours.HOLIDAY_CATEGORIES:
            c.fail(f"hours.holidays[{i}]", f"{category!r} is not one of {office_hours.HOLIDAY_CATEGORIES}")
    periods = _periods(c, table)
    return office_hours.Hours(weekly, tuple(categories), _closures(c, closures), _breaks(c, table, weekly, periods),
                              periods)


def _weekly(c: _Checker, table: dict, path: str) -> tuple[office_hours.Span | None, ...]:
    return tuple(None if table.get(day, "") in ("", None) else _span(c, table[day], f"{path}.{day}")
                 for day in office_hours.DAYS)


def _days(c: _Checker, row: dict, path: str) -> tuple[int, ...]:
    days = c.texts(row, "days", path)
    for day in days:
        if day not in office_hours.DAYS:
            c.fail(f"{path}.days", f"{day!r} is not one of {', '.join(office_hours.DAYS)}")
    if "days" in row and not days:
        c.fail(f"{path}.days", "needs at least one day")
    return tuple(sorted({office_hours.DAYS.index(d) for d in days if d in office_hours.DAYS}))


def _breaks(c: _Checker, table: dict, weekly: tuple, periods: tuple[office_hours.Period, ...]) -> tuple:
    """[[hours.breaks]]: days, time "HH:MM-HH:MM", reason (citizens read it: "istirahat salat Jumat")."""
    found = []
    for path, item in c.items(table, "breaks", "hours"):
        row = c.table(item, path, ("days", "time", "reason"), ())
        days, when = _days(c, row, path), _span(c, row.get("time"), f"{path}.time") if "time" in row else None
        reason = c.text(row, "reason", path)
        if when is None:
            continue
        for day in days:
            spans = list(dict.fromkeys(s for s in [weekly[day]] + [p.weekly[day] for p in periods] if s))
            if not spans:
                c.fail(f"{path}.days", f"the office does not open on {office_hours.DAYS[day]}: leave it out")
            elif not all(s[0] <= when[0] and when[1] <= s[1] for s in spans):
                c.fail(f"{path}.time", f"{_span_text(when)} is not within the hours of {office_hours.DAYS[day]} "
                                       f"({', '.join(_span_text(s) for s in spans)})")
        for where, other in found:
            shared = set(days) & set(other.days)
            if shared and when[0] < other.end and other.start < when[1]:
                c.fail(f"{path}.time", f"overlaps {where} on "
                                       f"{', '.join(office_hours.DAYS[d] for d in sorted(shared))}: join them")
        found.append((path, office_hours.Break(days, when[0], when[1], reason)))
    return tuple(b for _, b in found)


PERIOD_KEYS = (("name", "from", "to"), office_hours.DAYS)


def _periods(c: _Checker, table: dict) -> tuple[office_hours.Period, ...]:
    """[[hours.periods]]: name, from, to (dates, inclusive) and the weekly hours in force meanwhile (Ramadan)."""
    found = []
    for path, item in c.items(table, "periods", "hours"):
        row = c.table(item, path, *PERIOD_KEYS)
        name, weekly = c.text(row, "name", path), _weekly(c, row, path)
        start, end = _date(c, row.get("from"), f"{path}.from"), _date(c, row.get("to"), f"{path}.to")
        if not any(day in row for day in office_hours.DAYS) and isinstance(item, dict):
            c.fail(path, "gives no day's hours (mon = \"08:00-15:00\", …)")
        if not (start and end):
            continue
        if end < start:
            c.fail(f"{path}.to", "is before 'from'")
        for where, other in found:
            if start <= other.end and other.start <= end:
                c.fail(path, f"{start}..{end} overlaps {where} ({other.name}, {other.start}..{other.end})")
        found.append((path, office_hours.Period(name, start, end, weekly)))
    return tuple(p for _, p in found)


def _closures(c: _Checker, closures: Any) -> tuple[office_hours.Closure, ...]:
    """[[closures]]: from, to (dates, or date and time for part of a day: 2026-04-10 12:00) and reason."""
    found = []
    for path, item in c.items({"closures": closures}, "closures", ""):
        row = c.table(item, path, ("from", "reason"), ("to",))
        start = _moment(c, row.get("from"), path + ".from")
        end = _moment(c, row.get("to", start[0]), path + ".to") if start else None
        if not (start and end):
            continue
        closure = office_hours.Closure(start[0], end[0], c.text(row, "reason", path), start[1], end[1])
        if closure.ends() <= closure.begins():
            c.fail(path + ".to", "is not after 'from'")
            continue
        for where, other in found:
            if closure.begins() < other.ends() and other.begins() < closure.ends():
                c.fail(path, f"overlaps {where} ({other.reason}): join them")
        found.append((path, closure))
    return tuple(closure for _, closure in found)


def _span_text(span: office_hours.Span) -> str:
    return f"{span[0]:%H:%M}-{span[1]:%H:%M}"


def _span(c: _Checker, value: Any, path: str) -> tuple[dt.time, dt.time] | None:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", value) if isinstance(value, str) else None
    try:
        start, end = (dt.time(int(match[1]), int(match[2])), dt.time(int(match[3]), int(match[4]))) if match else (
            None, None)
    except ValueError:
        start = end = None
    if start is None or end is None or start >= end:
        c.fail(path, f"must look like \"07:30-16:00\" (opening before closing), got {value!r}; "
                     "leave the day out when the office is closed")
        return None
    return start, end


def _date(c: _Checker, value: Any, path: str) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        c.fail(path, f"must be a date like 2026-01-02, got {value!r}")
        return None


def _moment(c: _Checker, value: Any, path: str) -> tuple[dt.date, dt.time | None] | None:
    """A date (a whole day) or a date and time (from or until then), as TOML or as the text Firestore keeps."""
    if isinstance(value, str) and len(value.strip()) > 10:
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            value = None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None or value.second or value.microsecond:
            c.fail(path, f"must be a WIB date and time like 2026-04-10 12:00 (no zone, no seconds), got {value.isoformat()}")
            return None
        return value.date(), value.time()
    day = _date(c, value, path)
    return (day, None) if day else None


def _groups(c: _Checker, top: dict) -> tuple[Group, ...]:
    groups = []
    for path, item in c.items(top, "groups", ""):
        row = c.table(item, path, ("id", "title"), ("description",))
        groups.append(Group(c.text(row, "id", path, pattern=ID), c.text(row, "title", path, messages.ROW_TITLE),
                            c.text(row, "description", path, messages.ROW_DESCRIPTION, default="")))
    c.unique([(f"groups[{i}].id", g.id) for i, g in enumerate(groups)], "group id")
    return tuple(groups)


SERVICE_KEYS = (("id", "title", "name", "requirements", "duration"),
                ("description", "cost", "place", "notes", "served_elsewhere"))
ELSEWHERE_KEYS = (("name",), ("address", "number", "link", "notes"))


def _elsewhere(c: _Checker, row: dict, path: str) -> Elsewhere | None:
    """[units.served_elsewhere] or [units.services.served_elsewhere]: name, and address, number, link, notes."""
    if "served_elsewhere" not in row:
        return None
    where = f"{path}.served_elsewhere"
    table = c.table(row["served_elsewhere"], where, *ELSEWHERE_KEYS)
    place = Elsewhere(*(c.text(table, key, where, default=None if key == "name" else "")
                        for key in ("name", "address", "number", "link", "notes")))
    if place.link and not place.link.startswith("https://"):
        c.fail(f"{where}.link", f"must be an https:// address, got {place.link!r}")
    if place.number:
        try:
            normalise(place.number)
        except InvalidPhoneNumber:
            c.fail(f"{where}.number", f"{place.number!r} is not a phone number (write it like 031… or +62 …)")
    return place


def _services(c: _Checker, items: list[tuple[str, Any]], path: str) -> tuple[Service, ...]:
    found = []
    for where, item in items:
        row = c.table(item, where, *SERVICE_KEYS)
        found.append(Service(
            id=c.text(row, "id", where, pattern=ID), title=c.text(row, "title", where, messages.ROW_TITLE),
            name=c.text(row, "name", where), description=c.text(row, "description", where,
                                                               messages.ROW_DESCRIPTION, default=""),
            requirements=c.texts(row, "requirements", where), cost=c.text(row, "cost", where, default="Gratis"),
            duration=c.text(row, "duration", where), place=c.text(row, "place", where, default=""),
            notes=c.text(row, "notes", where, default=""), elsewhere=_elsewhere(c, row, where)))
    c.unique([(f"{path}[{i}].id", s.id) for i, s in enumerate(found)], "service id")
    return tuple(found)


def _service_sets(c: _Checker, data: Any) -> dict[str, tuple[Service, ...]]:
    if not isinstance(data, dict):
        c.fail("service_sets", "must be a table of service lists ([[service_sets.NAME]])")
        return {}
    return {name: _services(c, c.items(data, name, "service_sets"), f"service_sets.{name}") for name in data}


def _units(c: _Checker, top: dict, sets: dict, group_ids: set[str]) -> tuple[Unit, ...]:
    units = []
    for path, item in c.items(top, "units", ""):
        row = c.table(item, path, ("id", "group", "title", "name", "place"),
                      ("description", "hours", "services", "service_set", "served_elsewhere"))
        services = _services(c, c.items(row, "services", path), f"{path}.services")
        set_name = row.get("service_set")
        if set_name is not None:
            if set_name not in sets:
                c.fail(f"{path}.service_set", f"no service set {set_name!r} (known: {', '.join(sets) or 'none'})")
            services = sets.get(set_name, ()) + services
        if not services:
            c.fail(path, "has no services: add [[units.services]] or a service_set")
        group = c.text(row, "group", path)
        if group and group not in group_ids:
            c.fail(f"{path}.group", f"no group {group!r} (known: {', '.join(sorted(group_ids)) or 'none'})")
        units.append(Unit(
            id=c.text(row, "id", path, pattern=ID), group=group, title=c.text(row, "title", path, messages.ROW_TITLE),
            name=c.text(row, "name", path), description=c.text(row, "description", path, messages.ROW_DESCRIPTION,
                                                               default=""),
            place=c.text(row, "place", path), hours=c.text(row, "hours", path, default=""), services=services,
            elsewhere=_elsewhere(c, row, path)))
    c.unique([(f"units[{i}].id", u.id) for i, u in enumerate(units)], "unit id")
    return tuple(units)


def _quick_replies(c: _Checker, top: dict, units: tuple[Unit, ...]) -> tuple[QuickReply, ...]:
    found = []
    for path, item in c.items(top, "quick_replies", ""):
        row = c.table(item, path, ("id", "keywords"), ("answer", "service"))
        ref, service = row.get("service"), None
        if ("answer" in row) == (ref is not None):
            c.fail(path, "needs exactly one of 'answer' (a text) or 'service' (\"unit-id/service-id\")")
        if ref is not None:
            unit_id, _, service_id = str(ref).partition("/")
            unit = next((u for u in units if u.id == unit_id), None)
            if unit is None or unit.service(service_id) is None:
                c.fail(f"{path}.service", f"no service {ref!r} in the catalogue (write \"unit-id/service-id\")")
            service = (unit_id, service_id)
        answer = c.text(row, "answer", path, messages.TEXT_BODY, default="")
        c.template(answer, f"{path}.answer", texts.COMMON)
        found.append(QuickReply(c.text(row, "id", path, pattern=ID), c.texts(row, "keywords", path), answer, service))
        if not found[-1].keywords and "keywords" in row:
            c.fail(f"{path}.keywords", "needs at least one keyword")
    c.unique([(f"quick_replies[{i}].id", q.id) for i, q in enumerate(found)], "quick reply id")
    return tuple(found)


def _staff(c: _Checker, top: dict, unit_ids: set[str]) -> tuple[Staff, ...]:
    found = []
    for path, item in c.items(top, "staff", ""):
        row = c.table(item, path, ("name", "role"), ("number", "email", "unit", "duty", "hotline"))
        number = email = ""
        if "number" in row:
            try:
                number = normalise(str(row["number"]))
            except InvalidPhoneNumber:
                c.fail(f"{path}.number", "is not a phone number (write it like 0812… or +62 812…)")
        if "email" in row:
            email = c.text(row, "email", path).lower()
            if email and not EMAIL.match(email):
                c.fail(f"{path}.email", f"{email!r} is not an email address")
        if "number" not in row and "email" not in row:
            c.fail(path, "needs a number (WhatsApp), an email (sign-in), or both")
        role = c.text(row, "role", path)
        if role and role not in ROLES:
            c.fail(f"{path}.role", f"{role!r} is not one of {', '.join(ROLES)}")
        unit = c.text(row, "unit", path, default="")
        if unit and unit not in unit_ids:
            c.fail(f"{path}.unit", f"no unit {unit!r} in the catalogue")
        if role in UNIT_ROLES and not unit:
            c.fail(f"{path}.unit", f"is required for role {role!r} (a unit id from the catalogue)")
        if role and role not in UNIT_ROLES and unit:
            c.fail(f"{path}.unit", f"role {role!r} covers the whole office: leave the unit out")
        duty = c.texts(row, "duty", path, default=office_hours.DAYS[:5])
        for day in duty:
            if day not in office_hours.DAYS:
                c.fail(f"{path}.duty", f"{day!r} is not one of {', '.join(office_hours.DAYS)}")
        hotline = row.get("hotline", False)
        if not isinstance(hotline, bool):
            c.fail(f"{path}.hotline", "must be true or false")
        elif hotline and "number" not in row:
            c.fail(f"{path}.hotline", "hand-offs reach staff on WhatsApp: give this person a number")
        found.append(Staff(number, email, c.text(row, "name", path), role, unit,
                           tuple(office_hours.DAYS.index(d) for d in duty if d in office_hours.DAYS),
                           hotline is True))
    c.unique([(f"staff[{i}].number", s.number) for i, s in enumerate(found)], "number")
    c.unique([(f"staff[{i}].email", s.email) for i, s in enumerate(found)], "email")
    return tuple(found)


def _survey(c: _Checker, data: Any) -> Survey:
    table = c.table(data, "survey", (), ("form_url", "templates", "template_language", "nudges", "path"))
    form_url = c.text(table, "form_url", "survey", default="")
    if form_url and not form_url.startswith("https://"):
        c.fail("survey.form_url", f"must be an https:// address, got {form_url!r}")
    names = c.table(table.get("templates", {}), "survey.templates", (), tuple(wa_templates.DEFAULT_NAMES))
    templates = {kind: c.text(names, kind, "survey.templates") for kind in names if kind in wa_templates.DEFAULT_NAMES}
    for kind, name in templates.items():
        if name and not TEMPLATE_NAME.match(name):
            c.fail(f"survey.templates.{kind}", f"{name!r}: a template name is lower-case letters, digits and '_'")
    reminders = table.get("nudges", {})
    try:
        policies.Policy.from_config(reminders if isinstance(reminders, dict) else {"": reminders})
    except policies.PolicyError as exc:
        c.fail("survey.nudges", str(exc))
    path = c.text(table, "path", "survey", default="form")
    if path not in SURVEY_PATHS:
        c.fail("survey.path", f"must be one of {', '.join(SURVEY_PATHS)}, got {path!r}")
    return Survey(form_url, templates, c.text(table, "template_language", "survey", default=""),
                  reminders if isinstance(reminders, dict) else {}, path)


def _deadlines(c: _Checker, data: Any) -> Deadlines:
    """[complaints]: working days to verify, to answer after verifying, and past a deadline before the office
    head hears of it. Defaults from practice under PermenPANRB 62/2018 (SP4N-LAPOR!): 3 and 5."""
    table = c.table(data, "complaints", (), ("verify_days", "answer_days", "escalate_after_days"))
    default = Deadlines()
    return Deadlines(*(c.number(table, name, "complaints", getattr(default, name))
                       for name in ("verify_days", "answer_days", "escalate_after_days")))


def _overrides(c: _Checker, data: Any) -> dict[str, str]:
    table = c.table(data, "texts", (), tuple(texts.DEFAULTS))
    found = {}
    for key in table:
        if key in texts.DEFAULTS:
            found[key] = c.text(table, key, "texts", messages.TEXT_BODY)
            c.template(found[key], f"texts.{key}", texts.placeholders(key))
    return found


def _check_rendered(c: _Checker, config: OfficeConfig) -> None:
    """Messages built from the configuration must fit WhatsApp's limits before a citizen asks for them."""
    for i, unit in enumerate(config.units):
        for j, service in enumerate(unit.services):
            card = elsewhere_card(config, unit, service) if unit.served_at(service) else service_card(config, unit,
                                                                                                       service)
            if len(card) > SERVICE_CARD_LIMIT:
                c.fail(f"units[{i}].services[{j}] ({unit.id}/{service.id})",
                       f"the service card is {len(card)} characters; WhatsApp allows {SERVICE_CARD_LIMIT} in one "
                       "message: shorten the requirements or notes")
    prompt = config.text("consent_prompt", consent=config.consent())
    if len(prompt) > messages.INTERACTIVE_BODY:
        c.fail("consent.text", f"the consent question is {len(prompt)} characters; WhatsApp allows "
                               f"{messages.INTERACTIVE_BODY}")


# Words a drafter leaves where a value is not known yet; none may reach a citizen.
PLACEHOLDER = re.compile(r"PERLU\s+DICEK|BELUM\s+DIISI|\b(?:TODO|FIXME|TBD|XXX+)\b|\?\?\?|\[\s*isi\b|<\s*isi\b",
                         re.IGNORECASE)
NOT_FOR_CITIZENS = ("version", "staff")  # top-level keys citizens never read


def placeholder_markers(data: Any, source: str, path: str = "") -> list[str]:
    """Problems for every text a citizen could read that still holds a drafting marker (PERLU DICEK, TODO,
    XXX, …). `config check` refuses them: an unknown value is left out or noted in a TOML comment."""
    if isinstance(data, dict):
        return [p for key, value in data.items() if not (path == "" and key in NOT_FOR_CITIZENS)
                for p in placeholder_markers(value, source, _join(path, str(key)))]
    if isinstance(data, list):
        return [p for i, value in enumerate(data) for p in placeholder_markers(value, source, f"{path}[{i}]")]
    if isinstance(data, str) and PLACEHOLDER.search(data):
        found = PLACEHOLDER.search(data)[0]
        return [f"{source}: {path}: {found!r} is a drafting marker and citizens would read it: put the real "
                "value, or leave the key out and note it in a TOML comment"]
    return []


def storable(data: Any) -> Any:
    """The same data with dates (and a closure's local date and time) as ISO text, as Firestore keeps no bare
    dates and would read a date and time without a zone as UTC."""
    if isinstance(data, dict):
        return {k: storable(v) for k, v in data.items()}
    if isinstance(data, list):
        return [storable(v) for v in data]
    if isinstance(data, dt.date):  # a closure's date and time stays WIB wall time: "2026-04-10T12:00:00"
        return data.isoformat()
    return data


def fallback(office: str) -> OfficeConfig:
    """What an office without any configuration gets: a greeting, the menu and office hours, no catalogue."""
    return parse({"version": "bawaan", "office": {
        "id": office, "name": "Kementerian Agama", "short_name": "Kemenag",
        "address": "kantor layanan terdekat"}, "consent": {"version": "bawaan", "text": DEFAULT_CONSENT},
        "hours": DEFAULT_HOURS}, source=f"(bawaan untuk {office})")


DEFAULT_PRIVACY = (
    "*Pemberitahuan privasi {office}*\n\n"
    "*Yang kami simpan:* nomor WhatsApp, nama profil WhatsApp, dan isi pesan Bapak/Ibu; tiket layanan, "
    "pengaduan, dan jawaban survei yang terhubung dengannya.\n"
    "*Untuk apa:* melayani permohonan dan pengaduan, mengirim survei kepuasan setelah layanan (bila Bapak/Ibu "
    "setuju), dan menyusun laporan kepuasan tanpa nama.\n"
    "*Berapa lama:* paling lama {retention} sejak pesan terakhir Bapak/Ibu; isi pesan 90 hari; {complaints}. "
    "Setelah itu terhapus otomatis.\n"
    "*Laporan pelanggaran (WBS)* disimpan terpisah dan tidak terhubung ke nomor Bapak/Ibu.\n\n"
    "*Hak Bapak/Ibu (UU 27/2022):*\n"
    "• *DATA SAYA*: melihat data yang kami simpan\n"
    "• Perbaikan data: ketik *PETUGAS*\n"
    "• *HAPUS DATA*: menghapus data Bapak/Ibu\n"
    "• *BERHENTI*: menarik persetujuan dan tidak menerima pengingat atau survei lagi (*MULAI* untuk kembali)\n\n"
    "*Kontak:* Pejabat Pengelola Informasi dan Dokumentasi (PPID) {office}, {address}.")
DEFAULT_HOURS = {"mon": "07:30-16:00", "tue": "07:30-16:00", "wed": "07:30-16:00", "thu": "07:30-16:00",
                 "fri": "07:30-16:30"}
DEFAULT_CONSENT = ("Kami menyimpan nomor WhatsApp, nama profil, dan isi pesan Bapak/Ibu untuk melayani permohonan, "
                   "pengaduan, dan survei kepuasan, paling lama {retention}. Ketik *DATA SAYA* untuk melihat data "
                   "Bapak/Ibu, *HAPUS DATA* untuk menghapusnya, atau *BERHENTI* agar tidak menerima pengingat. "
                   "Selengkapnya: ketik *PRIVASI*.")
