"""Office hours as offices keep them (pure): is a person at the desk at a moment, and if not, when?

An office's time is its weekly hours, replaced between two dates by a seasonal period (Ramadan hours, set
each year by a MenPANRB circular), less its breaks (Friday prayer), the Indonesian public holidays and cuti
bersama, and its own closures (whole days, or part of a day). Every question about the office's time asks
here: the away message, complaint deadlines and escalations, the survey's invitations and nudges.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from jaring.clock import WIB, local_day

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
               "Oktober", "November", "Desember")
HOLIDAY_CATEGORIES = ("public", "government")  # hari libur nasional; cuti bersama
LOOKAHEAD_DAYS = 60
ESTIMATED = re.compile(r"\s*\((?:perkiraan|estimated)\)", re.IGNORECASE)
BREAK, CLOSURE = "break", "closure"  # the kinds of Gap

Span = tuple[dt.time, dt.time]  # opening, closing (exclusive) on one day


@dataclass(frozen=True)
class Closure:
    """Days the office declares closed; with `since`/`until` it closes from that time of its first day and
    until that time of its last (part of a day: a closure of 2026-04-10 from 12:00 to 16:30)."""

    start: dt.date
    end: dt.date  # inclusive
    reason: str
    since: dt.time | None = None  # None: from the start of `start`
    until: dt.time | None = None  # None: to the end of `end`

    def begins(self) -> dt.datetime:
        return dt.datetime.combine(self.start, self.since or dt.time(0), tzinfo=WIB)

    def ends(self) -> dt.datetime:
        if self.until is None:
            return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(0), tzinfo=WIB)
        return dt.datetime.combine(self.end, self.until, tzinfo=WIB)

    def whole(self, day: dt.date) -> bool:
        """Whether the office is closed all of `day` by it."""
        return self.begins() <= _midnight(day) and _midnight(day + dt.timedelta(days=1)) <= self.ends()


@dataclass(frozen=True)
class Break:
    """A pause on some weekdays, every week and season (the Friday prayer)."""

    days: tuple[int, ...]  # Monday = 0
    start: dt.time
    end: dt.time
    reason: str


@dataclass(frozen=True)
class Period:
    """Weekly hours in force from one date to another instead of the usual ones (Ramadan)."""

    name: str
    start: dt.date
    end: dt.date  # inclusive
    weekly: tuple[Span | None, ...]


@dataclass(frozen=True)
class Hours:
    weekly: tuple[Span | None, ...]  # Monday first; None = closed all day
    holiday_categories: tuple[str, ...] = HOLIDAY_CATEGORIES
    closures: tuple[Closure, ...] = ()
    breaks: tuple[Break, ...] = ()
    periods: tuple[Period, ...] = ()


@dataclass(frozen=True)
class Gap:
    """Part of a day the office is not there though it may be open that day: a break or a part-day closure."""

    start: dt.datetime  # WIB
    end: dt.datetime
    reason: str
    kind: str  # BREAK | CLOSURE


@dataclass(frozen=True)
class Status:
    open: bool
    reason: str = ""  # why closed: a holiday's, closure's or break's name, or "" (outside hours)
    opens_at: dt.datetime | None = None  # WIB; None when open or nothing within LOOKAHEAD_DAYS


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=WIB)


@functools.lru_cache(maxsize=32)
def _holidays(year: int, categories: tuple[str, ...]) -> dict[dt.date, str]:
    import holidays  # lazily: only the first office-hours question of a year pays for it

    # The package marks dates not yet decreed "(perkiraan)"; citizens get the day's name, not our uncertainty.
    return {day: ESTIMATED.sub("", name) for day, name in
            holidays.country_holidays("ID", years=year, language="id", categories=categories).items()}


def period(hours: Hours, day: dt.date) -> Period | None:
    """The seasonal period in force on `day`, if any."""
    return next((p for p in hours.periods if p.start <= day <= p.end), None)


def span(hours: Hours, day: dt.date) -> Span | None:
    """The day's hours by its season (a period's, else the weekly ones), days off aside."""
    season = period(hours, day)
    return (season.weekly if season else hours.weekly)[day.weekday()]


def day_off(hours: Hours, day: dt.date) -> str | None:
    """The name of the holiday or closure that shuts the office all of this day, else None."""
    for closure in hours.closures:
        if closure.whole(day):
            return closure.reason or "kantor tutup"
    if hours.holiday_categories:
        return _holidays(day.year, hours.holiday_categories).get(day)
    return None


def gaps(hours: Hours, day: dt.date) -> list[Gap]:
    """The breaks and part-day closures within `day` (WIB), earliest first."""
    found = [Gap(dt.datetime.combine(day, b.start, tzinfo=WIB), dt.datetime.combine(day, b.end, tzinfo=WIB),
                 b.reason, BREAK) for b in hours.breaks if day.weekday() in b.days]
    start, end = _midnight(day), _midnight(day + dt.timedelta(days=1))
    for closure in hours.closures:
        if not closure.whole(day) and closure.begins() < end and start < closure.ends():
            found.append(Gap(max(closure.begins(), start), min(closure.ends(), end), closure.reason or "kantor tutup",
                             CLOSURE))
    return sorted(found, key=lambda g: g.start)


def gap_at(hours: Hours, moment: dt.datetime) -> Gap | None:
    """The break or part-day closure `moment` falls in, if any."""
    local = moment.astimezone(WIB)
    return next((g for g in gaps(hours, local.date()) if g.start <= local < g.end), None)


def open_spans(hours: Hours, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """When a person is at the desk on `day` (WIB): its hours less its breaks and part-day closures."""
    hours_today = span(hours, day)
    if hours_today is None or day_off(hours, day):
        return []
    spans = [(dt.datetime.combine(day, hours_today[0], tzinfo=WIB), dt.datetime.combine(day, hours_today[1], tzinfo=WIB))]
    for gap in gaps(hours, day):
        spans = [piece for start, end in spans
                 for piece in ((start, min(end, gap.start)), (max(start, gap.end), end)) if piece[0] < piece[1]]
    return spans


def is_working_day(hours: Hours, day: dt.date) -> bool:
    """A day the office opens at all (complaint deadlines count these)."""
    return bool(open_spans(hours, day))


def status(hours: Hours, now: dt.datetime) -> Status:
    local = now.astimezone(WIB)
    today = local.date()
    if any(start <= local < end for start, end in open_spans(hours, today)):
        return Status(open=True)
    gap = gap_at(hours, local)
    reason = day_off(hours, today) or (gap.reason if gap else "")
    for offset in range(LOOKAHEAD_DAYS + 1):
        for start, _ in open_spans(hours, today + dt.timedelta(days=offset)):
            if start > local:
                return Status(open=False, reason=reason, opens_at=start)
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


def day_text(moment: dt.datetime) -> str:
    """The WIB day of a moment as citizens read dates: "Sabtu, 28 November 2026"."""
    return date_text(local_day(moment))


def moment_text(moment: dt.datetime) -> str:
    """A moment in WIB as citizens read it: "Senin, 30 November 2026 pukul 07.30 WIB"."""
    local = moment.astimezone(WIB)
    return f"{date_text(local.date())} pukul {clock_text(local.time())} WIB"


def short_date(day: dt.date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def _days_text(days: list[int]) -> str:
    """'Senin–Kamis', 'Jumat', 'Senin, Rabu': consecutive days as a range."""
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(DAY_NAMES[r[0]] if len(r) == 1 else f"{DAY_NAMES[r[0]]}–{DAY_NAMES[r[-1]]}" for r in runs)


def _weekly_text(weekly: tuple[Span | None, ...]) -> str:
    parts, start = [], 0
    for i in range(1, len(DAYS) + 1):
        if i < len(DAYS) and weekly[i] == weekly[start]:
            continue
        if weekly[start]:
            parts.append(f"{_days_text(list(range(start, i)))} "
                         f"{clock_text(weekly[start][0])}–{clock_text(weekly[start][1])}")
        start = i
    return (", ".join(parts) + " WIB") if parts else "tutup"


def describe(hours: Hours, on: dt.date | None = None) -> str:
    """'Senin–Kamis 07.30–16.00, Jumat 07.30–16.30 WIB (istirahat Jumat 11.30–13.00)': consecutive days with
    equal hours grouped; on a day of a seasonal period, that period's hours, named, with its last day."""
    season = period(hours, on) if on else None
    text = _weekly_text(season.weekly if season else hours.weekly)
    if season:
        text += f" selama {season.name} (sampai {short_date(season.end)})"
    pauses = [f"istirahat {_days_text(list(b.days))} {clock_text(b.start)}–{clock_text(b.end)}" for b in hours.breaks]
    return text + (f" ({'; '.join(pauses)})" if pauses and text != "tutup" else "")
