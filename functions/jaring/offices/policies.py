"""An office's policies that its file may change (pure): complaint deadlines and the survey's nudge policy.

They live with the office (not with complaints or the survey) so that reading an office file needs neither.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any

from jaring.offices import hours as office_hours


@dataclass(frozen=True)
class Deadlines:
    verify_days: int = 3
    answer_days: int = 5
    escalate_after_days: int = 2  # working days past a deadline before the office head is told


class PolicyError(ValueError):
    """An office's nudge policy is malformed; the message names the key."""


@dataclass(frozen=True)
class Policy:
    first_after: dt.timedelta = dt.timedelta(hours=24)
    then_after: dt.timedelta = dt.timedelta(days=3)
    max_nudges: int = 2
    polite_from: dt.time = dt.time(8, 0)
    polite_until: dt.time = dt.time(20, 0)  # exclusive
    weekdays: frozenset[int] = frozenset(range(7))  # Monday = 0
    prayer_from: dt.time = dt.time(11, 0)  # Fridays only
    prayer_until: dt.time = dt.time(13, 0)  # exclusive
    survey_window: dt.timedelta = dt.timedelta(days=14)
    window_margin: dt.timedelta = dt.timedelta(minutes=10)
    days_off: office_hours.Hours = office_hours.Hours(weekly=(None,) * 7)  # its holidays and closures

    @classmethod
    def from_config(cls, config: dict[str, Any] | None, days_off: office_hours.Hours | None = None) -> "Policy":
        """An office's `[survey.nudges]`, e.g. {"first_after_hours": 48, "polite_hours": "09:00-17:00"}.

        Keys: first_after_hours, then_after_days, max_nudges, polite_hours "HH:MM-HH:MM", weekdays [0..6]
        (Monday = 0), friday_prayer "HH:MM-HH:MM", survey_window_days, window_margin_minutes. The reminder
        template's name and language sit with the others in `[survey.templates]` (kind "nudge").
        """
        config = dict(config or {})
        changes: dict[str, Any] = {}
        for key, name, unit in (("first_after_hours", "first_after", "hours"),
                                ("then_after_days", "then_after", "days"),
                                ("survey_window_days", "survey_window", "days"),
                                ("window_margin_minutes", "window_margin", "minutes")):
            if key in config:
                changes[name] = dt.timedelta(**{unit: _number(config.pop(key), key, minimum=0)})
        if "max_nudges" in config:
            changes["max_nudges"] = int(_number(config.pop("max_nudges"), "max_nudges", minimum=0))
        if "polite_hours" in config:
            changes["polite_from"], changes["polite_until"] = _span(config.pop("polite_hours"), "polite_hours")
        if "friday_prayer" in config:
            changes["prayer_from"], changes["prayer_until"] = _span(config.pop("friday_prayer"), "friday_prayer")
        if "weekdays" in config:
            days = config.pop("weekdays")
            if not isinstance(days, list) or not days or any(d not in range(7) for d in days):
                raise PolicyError(f"weekdays: a non-empty list of 0 (Monday) … 6 (Sunday), got {days!r}")
            changes["weekdays"] = frozenset(days)
        if config:
            raise PolicyError(f"unknown nudge policy key(s): {', '.join(sorted(config))}")
        if days_off is not None:
            changes["days_off"] = days_off
            if "weekdays" not in changes:  # by default, citizens are reminded on the days the office works
                changes["weekdays"] = frozenset(i for i, span in enumerate(days_off.weekly) if span) or frozenset(
                    range(7))
        return replace(cls(), **changes)


def _number(value: Any, key: str, minimum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise PolicyError(f"{key}: a number ≥ {minimum}, got {value!r}")
    return value


def _span(value: Any, key: str) -> tuple[dt.time, dt.time]:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", value) if isinstance(value, str) else None
    try:
        start, end = dt.time(int(match[1]), int(match[2])), dt.time(int(match[3]), int(match[4]))
    except (TypeError, ValueError):
        raise PolicyError(f'{key}: "HH:MM-HH:MM", got {value!r}') from None
    if start >= end:
        raise PolicyError(f"{key}: the start must be before the end, got {value!r}")
    return start, end


# -- time ---------------------------------------------------------------------------------------
