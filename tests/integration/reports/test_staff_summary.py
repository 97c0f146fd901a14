"""`#ringkasan`: staff ask the office number for the survey and complaint figures of today or this month.
Through the real webhook: officers and unit heads get their unit, office heads and admins the whole office,
anyone else is refused."""
import dataclasses

import pytest

from jaring.reports import chat as report_chat
from jaring.survey import store as response_store
from jaring.survey.responses import UNSUR, validate
from tests.conftest import OFFICE, START
from tests.support.dialogue import load_configs, seed_config
from tests.support.whatsapp_user import WhatsAppUser, text_of

OFFICER_UMUM = "628001000001"
ADMIN = "628001000004"
INSPECTORATE = "628001000006"
STRANGER = "628777000555"
CONFIG = seed_config()


@pytest.fixture
def office(db, jaring):
    assert load_configs() == 0
    jaring.settings = dataclasses.replace(jaring.settings, emulator_host="127.0.0.1:1")
    # Today: three answers at "umum" (all 4), one at KUA Kamal (all 2); earlier this month two more at "umum".
    answers = [("umum", 4, START)] * 3 + [("kua-kamal", 2, START)] + [("umum", 3, START.replace(day=2))] * 2
    for i, (unit, value, at) in enumerate(answers):
        assert response_store.add(db, validate(office=OFFICE, unit=unit, service="", channel="form", submitted_at=at,
                                               answers=dict.fromkeys(UNSUR, value), source_id=f"seed:{i}"))
    return jaring


def asks(webhook, graph, number, text):
    return text_of(WhatsAppUser(webhook, graph, number).says(text)[-1:])  # the answer to this message


def test_an_officer_gets_today_and_this_month_of_their_unit(office, webhook, graph):
    reply = asks(webhook, graph, OFFICER_UMUM, "#ringkasan")
    assert reply.splitlines()[:3] == [f"Ringkasan SKM {CONFIG.unit('umum').name}",
                                      "Hari ini: 3 jawaban, IKM 100,00 (A, Sangat Baik)",
                                      "Januari 2026: 5 jawaban, IKM 90,00 (A, Sangat Baik)"]


def test_an_admin_gets_the_whole_office_for_the_period_asked(office, webhook, graph):
    month = asks(webhook, graph, ADMIN, "#ringkasan bulan")
    assert month.splitlines()[:2] == [f"Ringkasan SKM {CONFIG.name}", "Januari 2026: 6 jawaban, IKM 83,33 (B, Baik)"]
    assert "Hari ini" not in month
    today = asks(webhook, graph, ADMIN, "#Ringkasan hari ini")
    assert today.splitlines()[1] == "Hari ini: 4 jawaban, IKM 87,50 (B, Baik)" and "Januari" not in today


def test_others_are_refused_and_the_command_is_in_the_staff_help(office, webhook, graph, db):
    assert asks(webhook, graph, INSPECTORATE, "#ringkasan") == report_chat.NOT_FOR_YOU
    stranger = asks(webhook, graph, STRANGER, "#ringkasan")
    assert "hanya untuk petugas" in stranger and "IKM" not in stranger
    assert asks(webhook, graph, OFFICER_UMUM, "#ringkasan minggu") == report_chat.USAGE
    help_text = asks(webhook, graph, OFFICER_UMUM, "#bantuan")
    assert all(c in help_text for c in ("#ringkasan", "#selesai", "#verifikasi", "#balas")), help_text
