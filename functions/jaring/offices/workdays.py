"""Working days for complaint deadlines (pure).

A working day is a day the office opens at all by its hours (the weekly ones, or a seasonal period's) and that
is neither an Indonesian public holiday or cuti bersama (the office's `hours.holidays` categories) nor closed
all day by one of its declared closures (a day closed only in part still counts):
the same calendar the hotline uses to say when a person will answer. Days are counted the way
service standards count them: the day a complaint arrives is day 0, so "3 working days" from a
Thursday ends with the Tuesday after (Friday, Monday, Tuesday), later if a holiday falls between.
A deadline is the moment that last day ends (midnight WIB).
"""
from __future__ import annotations

import datetime as dt

from jaring.clock import WIB
from jaring.offices import hours as office_hours

HORIZON = 366  # a calendar with no working day in a year is a configuration mistake, not a long wait


def add(hours: office_hours.Hours, start: dt.datetime, days: int) -> dt.datetime:
    """When `days` working days counted after `start`'s WIB day run out (UTC). 0 → the end of that day."""
    day = start.astimezone(WIB).date()
    counted = 0
    for _ in range(HORIZON * max(days, 1)):
        if counted >= days:
            return end_of(day)
        day += dt.timedelta(days=1)
        counted += office_hours.is_working_day(hours, day)
    raise ValueError("the office calendar has no working day within a year: check its hours and closures")


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=WIB).astimezone(dt.timezone.utc)


def last_day(deadline: dt.datetime) -> dt.date:
    """The WIB day a deadline closes: the day to name to people ("paling lambat Selasa, …")."""
    return (deadline.astimezone(WIB) - dt.timedelta(microseconds=1)).date()
