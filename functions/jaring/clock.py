"""Time is injected so office hours, windows and nudges test deterministically."""
from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def local_day(moment: dt.datetime) -> dt.date:
    """The office's calendar day (WIB) of a moment."""
    return moment.astimezone(WIB).date()


def day_start(moment: dt.datetime) -> dt.datetime:
    """Midnight WIB of a moment's day, in UTC: a time that says only the day (records that must not be
    matched to a message by their exact time)."""
    local = moment.astimezone(WIB)
    return dt.datetime.combine(local.date(), dt.time(), tzinfo=WIB).astimezone(dt.timezone.utc)


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)


class FixedClock:
    """A clock tests move by hand."""

    def __init__(self, start: dt.datetime):
        if start.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = start

    def now(self) -> dt.datetime:
        return self._now

    def advance(self, **delta: float) -> dt.datetime:
        self._now += dt.timedelta(**delta)
        return self._now

    def set(self, moment: dt.datetime) -> None:
        self._now = moment


class FileClock:
    """A clock shared by every process of the local stack, for simulations: the time is the ISO 8601
    text in a file the simulator rewrites as it moves time forward. Only honoured with the emulator."""

    def __init__(self, path: str):
        self.path = path

    def now(self) -> dt.datetime:
        with open(self.path, encoding="utf-8") as f:
            moment = dt.datetime.fromisoformat(f.read().strip())
        if moment.tzinfo is None:
            raise ValueError(f"{self.path} must hold an aware ISO 8601 time")
        return moment.astimezone(dt.timezone.utc)


def from_environment(environ: dict[str, str]) -> Clock:
    """SystemClock, except in the local stack when JARING_CLOCK_FILE names a simulation clock."""
    path = environ.get("JARING_CLOCK_FILE", "").strip()
    if path and environ.get("FIRESTORE_EMULATOR_HOST"):
        return FileClock(path)
    return SystemClock()
