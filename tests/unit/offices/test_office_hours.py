"""When is a person at the desk? Office hours at their edges, holidays, collective leave and closures."""
import datetime as dt

import pytest

from jaring.clock import WIB
from jaring.offices import hours
from tests.support.dialogue import seed_config


def wib(*args):
    return dt.datetime(*args, tzinfo=WIB)


CONFIG = seed_config()


@pytest.mark.parametrize("moment, is_open", [
    (wib(2026, 1, 8, 7, 29), False),   # Thursday, a minute before opening
    (wib(2026, 1, 8, 7, 30), True),
    (wib(2026, 1, 8, 15, 59), True),
    (wib(2026, 1, 8, 16, 0), False),   # Monday–Thursday close at 16.00
    (wib(2026, 1, 9, 16, 29), True),   # Friday closes half an hour later
    (wib(2026, 1, 9, 16, 30), False),
    (wib(2026, 1, 10, 10, 0), False),  # Saturday
])
def test_the_desk_is_staffed_monday_to_thursday_until_four_and_friday_until_half_past(moment, is_open):
    assert hours.status(CONFIG.hours, moment).open is is_open


def test_after_closing_on_thursday_a_person_answers_on_friday_morning():
    status = hours.status(CONFIG.hours, wib(2026, 1, 8, 16, 0))
    assert status.opens_at == wib(2026, 1, 9, 7, 30) and status.reason == ""


def test_after_closing_on_friday_a_person_answers_on_monday_morning():
    assert hours.status(CONFIG.hours, wib(2026, 1, 9, 16, 30)).opens_at == wib(2026, 1, 12, 7, 30)


def test_a_public_holiday_is_named_and_skipped():
    # Isra Mikraj fell on Friday 16 January 2026.
    status = hours.status(CONFIG.hours, wib(2026, 1, 16, 9, 0))
    assert not status.open and "Isra Mikraj" in status.reason
    assert status.opens_at == wib(2026, 1, 19, 7, 30)


def test_collective_leave_counts_as_a_day_off_and_idul_fitri_week_is_skipped_whole():
    status = hours.status(CONFIG.hours, wib(2026, 3, 20, 9, 0))
    assert not status.open and "Cuti Bersama" in status.reason
    # 20 (cuti), 21–22 (Idul Fitri, weekend), 23–24 (cuti) March: back on Wednesday the 25th.
    assert status.opens_at == wib(2026, 3, 25, 7, 30)


def test_an_office_closure_is_a_day_off_with_its_reason():
    config = seed_config(closures=[{"from": "2026-01-12", "to": "2026-01-13", "reason": "rapat kerja"}])
    status = hours.status(config.hours, wib(2026, 1, 12, 9, 0))
    assert (status.open, status.reason, status.opens_at) == (False, "rapat kerja", wib(2026, 1, 14, 7, 30))
    assert hours.status(config.hours, wib(2026, 1, 14, 9, 0)).open


def test_an_office_that_never_opens_says_so_instead_of_guessing():
    closed = hours.Hours(weekly=(None,) * 7)
    assert hours.status(closed, wib(2026, 1, 8, 9, 0)) == hours.Status(open=False, reason="", opens_at=None)


def test_hours_are_described_the_way_a_notice_board_says_them():
    assert hours.describe(CONFIG.hours) == "Senin–Kamis 07.30–16.00, Jumat 07.30–16.30 WIB (istirahat Jumat 11.30–13.00)"
    assert hours.describe(CONFIG.hours, dt.date(2027, 2, 15)) == (
        "Senin–Kamis 08.00–15.00, Jumat 08.00–15.30 WIB selama jam kerja Ramadan 1448 H (sampai 9 Maret 2027) "
        "(istirahat Jumat 11.30–13.00)")
    assert hours.date_text(dt.date(2026, 1, 9)) == "Jumat, 9 Januari 2026"


def test_holidays_are_named_as_people_know_them_without_the_packages_perkiraan():
    # 2027's Idul Fitri is not decreed yet: the holidays package calls it "… (perkiraan)"; citizens read its name.
    closed = hours.Hours(weekly=(None,) * 7)
    assert hours.day_off(closed, dt.date(2027, 3, 10)) == "Hari Raya Idul Fitri"
    assert hours.status(seed_config().hours, dt.datetime(2027, 3, 10, 9, tzinfo=WIB)).reason == "Hari Raya Idul Fitri"


# -- hours as offices keep them: the Friday prayer, Ramadan, part of a day ------------------------------------

def test_at_friday_noon_nobody_is_at_the_desk_and_the_office_reopens_after_the_prayer():
    status = hours.status(CONFIG.hours, wib(2026, 1, 9, 12, 0))
    assert (status.open, status.reason, status.opens_at) == (False, "istirahat salat Jumat", wib(2026, 1, 9, 13, 0))
    assert hours.status(CONFIG.hours, wib(2026, 1, 9, 11, 29)).open
    assert hours.status(CONFIG.hours, wib(2026, 1, 9, 13, 0)).open
    assert hours.status(CONFIG.hours, wib(2026, 1, 8, 12, 0)).open  # a Thursday noon is not a break


@pytest.mark.parametrize("moment, is_open", [
    (wib(2027, 2, 8, 7, 45), False),   # first Monday of Ramadan 1448 H: opens at 08.00, not 07.30
    (wib(2027, 2, 8, 8, 0), True),
    (wib(2027, 2, 11, 15, 0), False),  # Thursday closes at 15.00
    (wib(2027, 2, 12, 15, 15), True),  # Friday at 15.30
    (wib(2027, 2, 12, 12, 0), False),  # the Friday prayer still
    (wib(2027, 3, 10, 8, 0), False),   # Idul Fitri
    (wib(2027, 3, 16, 7, 30), True),   # after Idul Fitri and its cuti bersama: the weekly hours again
])
def test_ramadan_hours_replace_the_weekly_ones_between_their_dates(moment, is_open):
    assert hours.status(CONFIG.hours, moment).open is is_open


def test_on_the_last_evening_before_ramadan_the_office_reopens_at_the_ramadan_hour():
    assert hours.status(CONFIG.hours, wib(2027, 2, 5, 17, 0)).opens_at == wib(2027, 2, 8, 8, 0)


def test_a_closure_of_part_of_a_day_closes_that_part_only_and_names_itself():
    config = seed_config(closures=[{"from": "2026-04-14 12:00", "to": "2026-04-14 16:00", "reason": "upacara"}])
    assert hours.status(config.hours, wib(2026, 4, 14, 11, 59)).open
    status = hours.status(config.hours, wib(2026, 4, 14, 12, 0))
    assert (status.open, status.reason, status.opens_at) == (False, "upacara", wib(2026, 4, 15, 7, 30))
    assert hours.day_off(config.hours, dt.date(2026, 4, 14)) is None  # still a working day
    assert hours.is_working_day(config.hours, dt.date(2026, 4, 14))


def test_a_closure_from_one_afternoon_to_the_next_morning_takes_the_day_between_whole():
    config = seed_config(closures=[{"from": dt.datetime(2026, 4, 14, 12), "to": dt.datetime(2026, 4, 16, 10),
                                    "reason": "pindah gedung"}])
    assert hours.day_off(config.hours, dt.date(2026, 4, 15)) == "pindah gedung"
    assert hours.status(config.hours, wib(2026, 4, 14, 13, 0)).opens_at == wib(2026, 4, 16, 10, 0)
    assert [g.end for g in hours.gaps(config.hours, dt.date(2026, 4, 16))] == [wib(2026, 4, 16, 10, 0)]
