"""Office hours, public holidays and closures (pure): is a person at the desk now, and if not, when?"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from jaring.clock import WIB

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
               "Oktober", "November", "Desember")
HOLIDAY_CATEGORIES = ("public", "government")  # hari libur nasional; cuti bersama
LOOKAHEAD_DAYS = 60
ESTIMATED = re.compile(r"\s*\((?:perkiraan|estimated)\)", re.IGNORECASE)


@dataclass(frozen=True)
class Closure:
    start: dt.date
    end: dt.date  # inclusive
    reason: str


@dataclass(frozen=True)
class Hours:
    weekly: tuple[tuple[dt.time, dt.time] | None, ...]  # Monday first; None = closed all day
    holiday_categories: tuple[str, ...] = HOLIDAY_CATEGORIES
    closures: tuple[Closure, ...] = ()


@dataclass(frozen=True)
class Status:
    open: bool
    reason: str = ""  # why closed today: a holiday's or a closure's name, or "" (outside hours)
    opens_at: dt.datetime | None = None  # WIB; None when open or nothing within LOOKAHEAD_DAYS


@functools.lru_cache(maxsize=32)
def _holidays(year: int, categories: tuple[str, ...]) -> dict[dt.date, str]:
    import holidays  # lazily: only the first office-hours question of a year pays for it

    # The package marks dates not yet decreed "(perkiraan)"; citizens get the day's name, not our uncertainty.
    return {day: ESTIMATED.sub("", name) for day, name in
            holidays.country_holidays("ID", years=year, language="id", categories=categories).items()}


def day_off(hours: Hours, day: dt.date) -> str | None:
    """The name of the holiday or closure that shuts the office on this day, else None."""
    for closure in hours.closures:
        if closure.start <= day <= closure.end:
            return closure.reason or "kantor tutup"
    if hours.holiday_categories:
        return _holidays(day.year, hours.holiday_categories).get(day)
    return None


def status(hours: Hours, now: dt.datetime) -> Status:
    local = now.astimezone(WIB)
    today = local.date()
    reason = day_off(hours, today) or ""
    span = hours.weekly[today.weekday()]
    if not reason and span and span[0] <= local.time() < span[1]:
        return Status(open=True)
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = today + dt.timedelta(days=offset)
        span = hours.weekly[day.weekday()]
        if span is None or day_off(hours, day):
            continue
        opens = dt.datetime.combine(day, span[0], tzinfo=WIB)
        if opens > local:
            return Status(open=False, reason=reason, opens_at=opens)
    return Status(open=False, reason=reason)


def next_open(hours: Hours, moment: dt.datetime) -> dt.datetime:
    """`moment` when the office is open then, else its next opening (UTC): when staff are told of things."""
    found = status(hours, moment)
    if found.open or found.opens_at is None:
        return moment.astimezone(dt.timezone.utc)
    return found.opens_at.astimezone(dt.timezone.utc)


def clock_text(t: dt.time) -> str:
    return f"{t.hour:02d}.{t.minute:02d}"


def date_text(day: dt.date) -> str:
    return f"{DAY_NAMES[day.weekday()]}, {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def describe(hours: Hours) -> str:
    """'Senin–Kamis 07.30–16.00, Jumat 07.30–16.30 WIB': consecutive days with equal hours grouped."""
    parts, start = [], 0
    for i in range(1, len(DAYS) + 1):
        if i < len(DAYS) and hours.weekly[i] == hours.weekly[start]:
            continue
        span = hours.weekly[start]
        if span:
            days = DAY_NAMES[start] if i - 1 == start else f"{DAY_NAMES[start]}–{DAY_NAMES[i - 1]}"
            parts.append(f"{days} {clock_text(span[0])}–{clock_text(span[1])}")
        start = i
    return (", ".join(parts) + " WIB") if parts else "tutup"
