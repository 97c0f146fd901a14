"""A complaint's life as rules: which step is possible when, the deadlines each step sets, when the heads
are told, and what the citizen reads. Pure; the end-to-end path is in tests/integration/cases/test_complaints.py."""
import datetime as dt

import pytest

from jaring.cases import commands, complaints
from jaring.cases.complaints import ComplaintError, Deadlines
from jaring.clock import WIB
from tests.support.dialogue import seed_config

CONFIG = seed_config()
HOURS = CONFIG.hours
DEFAULT = Deadlines()


def wib(*args):
    return dt.datetime(*args, tzinfo=WIB)


def unit_name(unit):
    return CONFIG.unit(unit).name if CONFIG.unit(unit) else unit


def received(at=wib(2026, 1, 14, 10), unit="", deadlines=DEFAULT):
    """Wednesday 14 January 2026; Friday 16 January is Isra Mikraj."""
    return complaints.new(office="kemenag-bangkalan", contact_id="c1", reference="P-ABC234",
                          details={"what": "Antrian lama", "where": "PTSP", "when": "Senin", "who": "",
                                   "how": "Menunggu 3 jam"}, media=[], unit=unit, now=at, hours=HOURS,
                          deadlines=deadlines)


def step(doc, action, at, **kw):
    return {**doc, **complaints.change(doc, action, at, "petugas@kemenag.go.id", HOURS, DEFAULT, **kw)}


def test_a_new_complaint_must_be_verified_within_three_working_days():
    doc = received()
    assert doc["status"] == complaints.RECEIVED
    assert doc["verify_due_at"] == doc["due_at"] == wib(2026, 1, 21)
    assert doc["next_escalation_at"] == wib(2026, 1, 21, 7, 30)  # the heads hear of it when the office opens
    assert "Selasa, 20 Januari 2026" in complaints.receipt_text(doc, DEFAULT)
    assert "STATUS P-ABC234" in complaints.receipt_text(doc, DEFAULT)


def test_verifying_starts_five_working_days_for_the_answer_and_answering_ends_the_clock():
    doc = step(received(), "verify", wib(2026, 1, 20, 9), unit="umum")
    assert (doc["status"], doc["unit"], doc["answer_due_at"]) == (complaints.VERIFIED, "umum", wib(2026, 1, 28))
    assert "Selasa, 27 Januari 2026" in complaints.citizen_update(doc, "verify", unit_name)
    doc = step(doc, "answer", wib(2026, 1, 22, 9), text="Loket tambahan dibuka mulai Senin.")
    assert doc["status"] == complaints.ANSWERED
    assert doc["due_at"] is None and doc["next_escalation_at"] is None
    assert doc["first_answer_at"] == wib(2026, 1, 22, 9)
    assert "Loket tambahan dibuka mulai Senin." in complaints.citizen_update(doc, "answer", unit_name)
    doc = step(doc, "close", wib(2026, 1, 23, 9))
    assert doc["status"] == complaints.CLOSED
    assert [e["action"] for e in doc["history"]] == ["received", "verify", "answer", "close"]


def test_an_answer_to_an_unverified_complaint_verifies_it_too():
    doc = step(received(), "answer", wib(2026, 1, 15, 9), text="Sudah kami perbaiki.")
    assert doc["verified_at"] == wib(2026, 1, 15, 9) and doc["status"] == complaints.ANSWERED


def test_a_second_answer_keeps_the_time_of_the_first():
    doc = step(received(), "answer", wib(2026, 1, 15, 9), text="Sedang kami periksa.")
    doc = step(doc, "answer", wib(2026, 1, 16, 9), text="Sudah selesai.")
    assert doc["first_answer_at"] == wib(2026, 1, 15, 9) and doc["answer"] == "Sudah selesai."


@pytest.mark.parametrize("steps, action, kw, problem", [
    ([], "close", {}, "belum dijawab"),
    ([], "reject", {"text": "x"}, "alasan"),
    ([], "answer", {"text": "  "}, "tulis jawabannya"),
    ([], "assign", {}, "unit tujuan"),
    ([("verify", {})], "verify", {}, "sudah diverifikasi"),
    ([("answer", {"text": "ok"})], "reject", {"text": "bukan wewenang kami"}, "sudah dijawab"),
    ([("reject", {"text": "bukan wewenang kami"})], "answer", {"text": "ok"}, "tidak dapat diproses"),
    ([("answer", {"text": "ok"}), ("close", {})], "answer", {"text": "lagi"}, "selesai"),
    ([], "archive", {}, "tidak dikenal"),
])
def test_steps_out_of_order_are_refused_with_a_reason(steps, action, kw, problem):
    doc = received()
    for earlier, args in steps:
        doc = step(doc, earlier, wib(2026, 1, 15, 9), **args)
    with pytest.raises(ComplaintError, match=problem):
        complaints.change(doc, action, wib(2026, 1, 15, 10), "petugas", HOURS, DEFAULT, **kw)


def test_a_rejection_tells_the_citizen_why():
    doc = step(received(), "reject", wib(2026, 1, 15, 9), text="Bukan layanan Kementerian Agama.")
    assert doc["status"] == complaints.REJECTED and doc["next_escalation_at"] is None
    assert "Alasan: Bukan layanan Kementerian Agama." in complaints.citizen_update(doc, "reject", unit_name)


def test_only_a_closed_complaint_is_rated_and_only_once():
    doc = received()
    with pytest.raises(ComplaintError, match="setelah pengaduan selesai"):
        complaints.rate(doc, 4, wib(2026, 1, 15))
    doc = step(step(doc, "answer", wib(2026, 1, 15), text="Beres."), "close", wib(2026, 1, 15, 11))
    with pytest.raises(ComplaintError, match="1 sampai 4"):
        complaints.rate(doc, 5, wib(2026, 1, 15, 12))
    doc = {**doc, **complaints.rate(doc, 3, wib(2026, 1, 15, 12))}
    assert doc["rating"] == {"score": 3, "at": wib(2026, 1, 15, 12)}
    with pytest.raises(ComplaintError, match="sudah tercatat"):
        complaints.rate(doc, 4, wib(2026, 1, 15, 13))


def test_the_rating_asks_how_satisfied_the_complainant_is_on_its_own_scale_not_u8s_labels():
    # U8's "Tidak ada … Dikelola dengan baik" asks whether a channel exists: no answer to a complaint just handled.
    assert complaints.RATING_LABELS == ("Tidak puas", "Kurang puas", "Puas", "Sangat puas")
    assert complaints.RATING_TITLES[3] == "4 · Sangat puas" and all(len(t) <= 24 for t in complaints.RATING_TITLES)


class TestEscalation:
    def test_a_deadline_passing_at_night_is_reported_when_the_office_opens_not_at_midnight(self):
        # Tuesday 17 March 2026, 10:00: Nyepi (19th), cuti bersama and Idul Fitri (20th-24th) stretch the three
        # working days to the end of Friday 27 March; the heads hear of it on Monday 30 March at 07:30, not at
        # Saturday 00:05 (the sweep after midnight).
        doc = received(at=wib(2026, 3, 17, 10))
        assert doc["due_at"] == wib(2026, 3, 28)
        assert doc["next_escalation_at"] == wib(2026, 3, 30, 7, 30)

    def test_in_ramadan_the_heads_hear_of_a_passed_deadline_when_the_office_opens_at_eight(self):
        # Monday 8 February 2027, the first day of Ramadan 1448 H hours (the seed): 3 working days end Thursday
        # the 11th; the office opens at 08.00 on Friday the 12th, not 07.30.
        doc = received(at=wib(2027, 2, 8, 10))
        assert doc["due_at"] == wib(2027, 2, 12)
        assert doc["next_escalation_at"] == wib(2027, 2, 12, 8, 0)
        assert complaints.alert_at(HOURS, wib(2027, 2, 12, 12, 15)) == wib(2027, 2, 12, 13, 0)  # the Friday break

    def test_nothing_before_the_deadline(self):
        assert complaints.overdue(received(), wib(2026, 1, 20, 23, 59), HOURS, DEFAULT) is None

    def test_the_unit_head_at_the_deadline_then_the_office_head_two_working_days_later(self):
        doc = received()
        first = complaints.overdue(doc, wib(2026, 1, 21, 0, 0), HOURS, DEFAULT)
        assert (first.stage, first.level) == ("verify", 1)
        doc = {**doc, **complaints.escalated(doc, first, wib(2026, 1, 21), HOURS, DEFAULT, ["Kepala PTSP"])}
        # Deadline closed Tuesday 20; two working days later is the end of Thursday 22, told at Friday's opening.
        assert doc["next_escalation_at"] == wib(2026, 1, 23, 7, 30)
        assert complaints.overdue(doc, wib(2026, 1, 22, 23), HOURS, DEFAULT) is None
        second = complaints.overdue(doc, wib(2026, 1, 23), HOURS, DEFAULT)
        assert (second.stage, second.level) == ("verify", 2)
        doc = {**doc, **complaints.escalated(doc, second, wib(2026, 1, 23), HOURS, DEFAULT, ["Kepala Kantor"])}
        assert doc["next_escalation_at"] is None
        assert complaints.overdue(doc, wib(2026, 2, 23), HOURS, DEFAULT) is None

    def test_verifying_late_starts_the_answer_stage_afresh(self):
        doc = received()
        first = complaints.overdue(doc, wib(2026, 1, 21), HOURS, DEFAULT)
        doc = {**doc, **complaints.escalated(doc, first, wib(2026, 1, 21), HOURS, DEFAULT, ["Kepala"])}
        doc = step(doc, "verify", wib(2026, 1, 21, 9))
        assert doc["escalation"] is None and doc["next_escalation_at"] == wib(2026, 1, 29, 7, 30)
        again = complaints.overdue(doc, wib(2026, 1, 29), HOURS, DEFAULT)
        assert (again.stage, again.level) == ("answer", 1)

    def test_an_office_may_set_its_own_numbers(self):
        doc = received(deadlines=Deadlines(verify_days=1, answer_days=10, escalate_after_days=1))
        assert doc["verify_due_at"] == wib(2026, 1, 16)  # Thursday 15 is the one working day


@pytest.mark.parametrize("typed, reference", [
    ("STATUS P-ABC234", "P-ABC234"), ("status p-abc234", "P-ABC234"), ("PABC234", "P-ABC234"),
    ("cek P-ABC23", None), ("P-ABCO34", None), ("halo", None),
])
def test_complaint_numbers_are_read_as_people_type_them(typed, reference):
    assert commands.parse_reference(typed) == reference
