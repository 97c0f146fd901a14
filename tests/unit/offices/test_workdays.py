"""Complaint deadlines count working days: weekends, public holidays, cuti bersama and the office's own
closures do not count, and the day a complaint arrives is day 0."""
import dataclasses
import datetime as dt

import pytest

from jaring.clock import WIB
from jaring.offices import hours
from jaring.offices import workdays
from tests.support.dialogue import seed_config

HOURS = seed_config().hours  # Monday to Friday; holidays and cuti bersama from the `holidays` package


def wib(*args):
    return dt.datetime(*args, tzinfo=WIB)


@pytest.mark.parametrize("arrived, days, last_day", [
    (wib(2026, 1, 5, 10), 3, dt.date(2026, 1, 8)),     # Monday → Thursday
    (wib(2026, 1, 8, 10), 3, dt.date(2026, 1, 13)),    # Thursday → over the weekend to Tuesday
    (wib(2026, 1, 14, 10), 3, dt.date(2026, 1, 20)),   # Wednesday → Friday 16 Jan is Isra Mikraj: Tuesday
    (wib(2026, 1, 10, 22), 1, dt.date(2026, 1, 12)),   # a Saturday night counts from Monday
    (wib(2026, 3, 17, 9), 3, dt.date(2026, 3, 27)),    # Nyepi and Idul Fitri with cuti bersama in between
    (wib(2026, 1, 20, 23, 59), 5, dt.date(2026, 1, 27)),
    (wib(2026, 1, 8, 10), 0, dt.date(2026, 1, 8)),     # 0 days: the end of the day itself
])
def test_deadlines_skip_weekends_and_holidays(arrived, days, last_day):
    deadline = workdays.add(HOURS, arrived, days)
    assert workdays.last_day(deadline) == last_day
    assert deadline == wib(last_day.year, last_day.month, last_day.day) + dt.timedelta(days=1)


def test_a_late_utc_moment_counts_on_its_wib_day():
    # 18:00 UTC on Thursday is already Friday 01:00 in Bangkalan.
    arrived = dt.datetime(2026, 1, 8, 18, 0, tzinfo=dt.timezone.utc)
    assert workdays.last_day(workdays.add(HOURS, arrived, 1)) == dt.date(2026, 1, 12)


def test_declared_closures_do_not_count():
    closed = dataclasses.replace(HOURS, closures=(hours.Closure(dt.date(2026, 1, 12), dt.date(2026, 1, 13),
                                                                "rapat kerja"),))
    assert workdays.last_day(workdays.add(closed, wib(2026, 1, 8, 10), 3)) == dt.date(2026, 1, 15)


def test_a_calendar_without_working_days_is_refused_rather_than_waited_on():
    never = dataclasses.replace(HOURS, weekly=(None,) * 7, periods=())
    with pytest.raises(ValueError, match="no working day"):
        workdays.add(never, wib(2026, 1, 8, 10), 3)


def test_a_day_closed_in_part_still_counts_and_ramadan_days_count_as_working_days():
    half = dataclasses.replace(HOURS, closures=(hours.Closure(dt.date(2026, 1, 12), dt.date(2026, 1, 12), "upacara",
                                                              dt.time(12, 0)),))
    assert workdays.last_day(workdays.add(half, wib(2026, 1, 8, 10), 3)) == dt.date(2026, 1, 13)
    # Ramadan 1448 H: shorter hours, the same working days (Monday 8 Feb 2027 → Thursday 11 Feb).
    assert workdays.last_day(workdays.add(HOURS, wib(2027, 2, 8, 10), 3)) == dt.date(2027, 2, 11)
