"""Who hears of a complaint and who may act on it, the staff's short commands, what citizens may ask,
and how the citizen is told of a step inside and outside WhatsApp's 24-hour window. Pure."""
import datetime as dt

import pytest

from jaring.cases import complaints
from jaring.cases import commands, routing
from jaring.cases.commands import Command
from jaring.clock import WIB
from jaring.messaging import menus
from tests.support.dialogue import seed_config

CONFIG = seed_config()  # staff: 001 officer umum (hotline), 002 officer haji (hotline), 003 head of umum,
#                         004 admin, 005 office head, 006 inspectorate
NOW = dt.datetime(2026, 1, 14, 10, tzinfo=WIB)


def staff(number):
    return CONFIG.staff_member(number)


def complaint(unit="umum", **changes):
    doc = complaints.new(office=CONFIG.office, contact_id="c1", reference="P-ABC234",
                         details={"what": "Antre lama", "where": "", "when": "", "who": "", "how": ""}, media=[],
                         unit=unit, now=NOW, hours=CONFIG.hours, deadlines=CONFIG.complaint_deadlines)
    return {**doc, **changes}


@pytest.mark.parametrize("typed, command", [
    ("#verifikasi P-ABC234", Command("verify", "P-ABC234", "")),
    ("#verifikasi p-abc234 kua-socah", Command("verify", "P-ABC234", "kua-socah")),
    ("#teruskan P-ABC234 Haji dan Umrah", Command("assign", "P-ABC234", "Haji dan Umrah")),
    ("#jawab P-ABC234 Loket tambahan dibuka.\nTerima kasih.", Command("answer", "P-ABC234",
                                                                     "Loket tambahan dibuka.\nTerima kasih.")),
    ("# tutup PABC234", Command("close", "P-ABC234", "")),
    ("#tolak P-ABC234 bukan wewenang kami", Command("reject", "P-ABC234", "bukan wewenang kami")),
    ("#cek P-ABC234", Command("status", "P-ABC234", "")),
    ("#pengaduan", Command("list", "", "")),
    ("#tutup W2K7QXM", None),  # the hotline's: end a hand-off with citizen W2K7QXM
    ("#selesai K7M2QX9AB4", None),  # the tickets'
    ("#balas W2K7QXM halo", None),
    ("#jawab halo P-ABC234", None),
    ("verifikasi P-ABC234", None),
])
def test_staff_commands_are_told_apart_by_the_complaint_number(typed, command):
    assert commands.parse(typed) == command


@pytest.mark.parametrize("text, choice, asked", [
    ("STATUS P-ABC234", "", ("status", "P-ABC234", 0)),
    ("p-abc234", "", ("status", "P-ABC234", 0)),
    ("cek pengaduan: P-ABC234", "", ("status", "P-ABC234", 0)),
    ("NILAI P-ABC234", "", ("ask_rating", "P-ABC234", 0)),
    ("status", "", ("list", "", 0)),
    ("Status pengaduan", "", ("list", "", 0)),
    ("", "nilai:P-ABC234:4", ("rate", "P-ABC234", 4)),
    ("3", "", ("rate", "P-ABC234", 3)),  # typed after the rating list
    ("cek", "", None),  # "Cek tiket" belongs to the menu
    ("status pembayaran saya bagaimana", "", None),
])
def test_what_citizens_ask_about_their_complaints(text, choice, asked):
    assert commands.citizen_request(text, choice, menus.rows_kept({"menu": routing.rating_menu("P-ABC234")})) == asked


def test_a_digit_without_a_rating_question_is_not_a_rating():
    assert commands.citizen_request("3", "", [("m:katalog", "Katalog")]) is None


def test_a_new_complaint_reaches_the_hotline_on_duty_and_the_units_own_people_once_each():
    on_duty = [staff("628001000001"), staff("628001000002")]
    assert [s.number for s in routing.receivers(CONFIG, "umum", on_duty)] == [
        "628001000001", "628001000002", "628001000003"]
    assert [s.number for s in routing.receivers(CONFIG, "", on_duty[:1])] == ["628001000001"]


def test_missed_deadlines_go_to_the_unit_head_then_the_office_head():
    assert [s.number for s in routing.heads(CONFIG, "umum", 1)] == ["628001000003"]
    assert [s.number for s in routing.heads(CONFIG, "umum", 2)] == ["628001000005"]
    assert [s.number for s in routing.heads(CONFIG, "haji", 1)] == ["628001000005"]  # haji has no head
    assert [s.number for s in routing.heads(CONFIG, "", 1)] == ["628001000005"]


@pytest.mark.parametrize("number, unit, may", [
    ("628001000001", "kua-socah", True),   # hotline staff triage every complaint
    ("628001000003", "umum", True),        # the unit's head
    ("628001000003", "haji", False),       # another unit's head
    ("628001000005", "haji", True),        # the office head
    ("628001000006", "umum", False),       # the inspectorate: complaints are not theirs
])
def test_who_may_act_on_a_complaint(number, unit, may):
    assert routing.may_act(staff(number), complaint(unit)) is may


def test_units_are_named_by_id_title_or_name():
    assert routing.unit_named(CONFIG, "KUA-Socah") == "kua-socah"
    assert routing.unit_named(CONFIG, "Haji dan Umrah") == "haji"
    assert routing.unit_named(CONFIG, "kantin") is None


class TestNotice:
    citizen = {"wa_id": "628123450001", "contact_id": "c1"}

    def test_inside_the_window_the_full_text_and_after_a_closure_the_rating_question(self):
        doc = complaint(status=complaints.CLOSED)
        note = routing.notice(doc, "close", {**self.citizen, "last_inbound_at": NOW}, NOW + dt.timedelta(hours=2),
                              CONFIG, "id")
        assert [o.content["type"] for o in note.outgoing] == ["text", "interactive"]
        assert {o.purpose for o in note.outgoing} == {"complaint"}
        assert note.contact_changes == {"menu": routing.rating_menu("P-ABC234")}

    def test_outside_the_window_the_approved_template_with_the_number_and_what_happened(self):
        doc = complaint(status=complaints.VERIFIED, answer_due_at=dt.datetime(2026, 1, 22, tzinfo=WIB))
        [out] = routing.notice(doc, "verify", {**self.citizen, "last_inbound_at": NOW}, NOW + dt.timedelta(days=2),
                               CONFIG, "id").outgoing
        template = out.content["template"]
        assert template["name"] == "jaring_kabar_pengaduan"
        assert [p["text"] for p in template["components"][0]["parameters"]] == [
            "P-ABC234", "sudah diverifikasi; jawaban paling lambat Rabu, 21 Januari 2026", "P-ABC234"]

    def test_an_erased_citizen_is_not_told(self):
        assert routing.notice(complaint(), "verify", None, NOW, CONFIG, "id").outgoing == []


def test_a_long_complaint_still_fits_one_message_for_staff():
    long = "x" * 1000
    doc = complaint(details={k: long for k in complaints.DETAILS})
    summary = complaints.staff_summary(doc, routing.unit_namer(CONFIG))
    assert len(summary) < 4096 and summary.count("…") == 5


def test_a_notice_to_staff_made_at_night_waits_for_the_office_to_open():
    member = staff("628001000003")
    night = dt.datetime(2026, 1, 9, 22, 0, tzinfo=WIB)  # Friday night: the office opens again on Monday
    alert = routing.staff_alert(member, "pengaduan P-ABC234 melewati batas waktu", CONFIG, "id", "c1", {}, night)
    assert alert.not_before == dt.datetime(2026, 1, 12, 7, 30, tzinfo=WIB)
    morning = dt.datetime(2026, 1, 12, 9, 0, tzinfo=WIB)
    assert routing.staff_alert(member, "x", CONFIG, "id", "c1", {}, morning).not_before == morning


def test_an_escalation_falling_in_the_friday_prayer_break_waits_for_the_desk_to_reopen():
    member = staff("628001000003")
    noon = dt.datetime(2026, 1, 9, 12, 0, tzinfo=WIB)
    assert routing.staff_alert(member, "x", CONFIG, "id", "c1", {}, noon).not_before == dt.datetime(
        2026, 1, 9, 13, 0, tzinfo=WIB)
