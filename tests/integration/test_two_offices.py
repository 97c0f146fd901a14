"""One deployment, two offices: each office's messages go out from its own WhatsApp number, and neither office's
staff see the other's citizens, tickets, complaints, reports or WBS reports.

Kemenag Sampang joins a deployment whose default office is Kemenag Bangkalan: its own office file (loaded with
`config load` beside Bangkalan's) and its own number, registered in `numbers/{number id}`. Everything sent for
Sampang outside a webhook turn (an invitation from admin_api, a CSV import, a form post, a complaint step from
admin_api, an escalation, a WBS notice, a nudge) must go to the Graph API at /{Sampang's number id}/messages.
"""
import dataclasses
import datetime as dt
import re

import pytest

from jaring.clock import WIB
from tests.conftest import FORMS_SECRET, OFFICE
from tests.integration.cases.test_complaints import file_complaint
from tests.integration.cases.test_wbs import report_via_chat
from tests.support import admin as admin_api, appsscript, forms as form_answers, meta
from tests.support.dialogue import SEED, load_configs
from tests.support.whatsapp_user import WhatsAppUser

SAMPANG = "kemenag-sampang"
SAMPANG_NUMBER = "100000000000777"
BANGKALAN_NUMBER = meta.OFFICE_NUMBER_ID  # the default office's, from the settings
SAMPANG_LOGBOOK, SAMPANG_SKM = "1logbookFormIdSampang", "1skmFormIdSampang"
CITIZEN, REPORTER, CSV_CITIZEN, FORM_CITIZEN = "6281234500101", "6281234500102", "6281234500103", "6281234500104"
SAMPANG_UNIT_HEAD = "628002000003"  # "0800 2000 003" in Sampang's file: head of "umum"


def sampang(role: str, unit: str = "") -> str:
    """admin_api's dev identity of Sampang's staff member with this role."""
    email = {"officer": "petugas", "unit_head": "kepala.tu", "admin": "admin", "office_head": "kepala.kantor",
             "inspectorate": "inspektorat"}[role]
    return f"{email}@sampang.example.go.id|{role}|{SAMPANG}|{unit}"


def bangkalan(role: str, unit: str = "") -> str:
    email = {"officer": "petugas", "unit_head": "kepala.tu", "office_head": "kepala.kantor",
             "inspectorate": "inspektorat"}[role]
    return f"{email}@example.go.id|{role}|{OFFICE}|{unit}"


@pytest.fixture
def offices(db, jaring, clock, tmp_path):
    """Bangkalan (the seed) and Sampang (the same catalogue, its own staff and number), loaded together."""
    text = open(SEED, encoding="utf-8").read()
    text = text.replace('id = "kemenag-bangkalan"', f'id = "{SAMPANG}"', 1)
    text = text.replace("Kabupaten Bangkalan", "Kabupaten Sampang").replace("@example.go.id", "@sampang.example.go.id")
    text = text.replace('"0800 1000 0', '"0800 2000 0')
    (tmp_path / f"{SAMPANG}.toml").write_text(text, encoding="utf-8")
    assert load_configs(SEED, tmp_path / f"{SAMPANG}.toml") == 0
    db.collection("numbers").document(SAMPANG_NUMBER).set({"office": SAMPANG})
    form_answers.register_forms(db)
    for form_id, kind in ((SAMPANG_LOGBOOK, "logbook"), (SAMPANG_SKM, "skm")):
        db.collection("forms").document(form_id).set({"office": SAMPANG, "kind": kind, "unit": "umum", "items": {},
                                                      "url": form_answers.SKM_URL,
                                                      "token_entry": form_answers.TOKEN_ENTRY})
    jaring.settings = dataclasses.replace(jaring.settings, emulator_host="127.0.0.1:1", dev_identity_allowed=True)
    clock.set(dt.datetime(2026, 1, 14, 10, 0, tzinfo=WIB))  # a Wednesday in office hours
    return jaring


@pytest.fixture
def admin(functions_client, offices):
    return admin_api.caller(functions_client, sampang("officer", "umum"))


class Sent:
    """Which office numbers the messages sent since the last look went out from."""

    def __init__(self, graph):
        self.graph, self.seen = graph, len(graph.requests)

    def numbers(self) -> set[str]:
        fresh, self.seen = self.graph.requests[self.seen:], len(self.graph.requests)
        return {re.search(r"/(\d+)/messages$", r["path"])[1] for r in fresh if r["path"].endswith("/messages")}


def post_form(client, clock, answers, kind, form_id, response_id):
    headers, body = appsscript.submission(FORMS_SECRET, now=int(clock.now().timestamp()), kind=kind,
                                          form_id=form_id, response_id=response_id,
                                          submitted_at=clock.now().isoformat(), answers=answers)
    return client.post("/", data=body, headers=headers)


def test_an_invitation_from_admin_api_a_csv_import_and_a_form_post_go_out_from_the_offices_own_number(
        offices, admin, functions_client, graph, clock, tmp_path, capsys, db):
    from jaring.__main__ import main

    sent = Sent(graph)
    r = admin("POST", "/tickets", {"phone": CITIZEN, "consent": True, "completed": True, "service": "Legalisir"})
    assert r.status_code == 201 and r.get_json()["invitation"] == "sent"
    assert sent.numbers() == {SAMPANG_NUMBER}

    csv = tmp_path / "umum.csv"
    csv.write_text("nomor_wa;nama;unit;layanan;persetujuan;waktu_datang;waktu_selesai\n"
                   f"{CSV_CITIZEN};Ani;umum;Legalisir;ya;2026-01-14 09:00;2026-01-14 09:40\n", encoding="utf-8")
    assert main(["tickets", "import", str(csv), "--office", SAMPANG]) == 0
    assert '"invitations": 1' in capsys.readouterr().out
    assert sent.numbers() == {SAMPANG_NUMBER}

    form_answers.wrote_before(db, FORM_CITIZEN, clock.now() - dt.timedelta(days=3), office=SAMPANG)  # or no message
    r = post_form(functions_client("form_submit"), clock, form_answers.logbook(FORM_CITIZEN), "logbook",
                  SAMPANG_LOGBOOK, "2_ABaOnudSampang1")
    assert r.status_code == 201
    assert sent.numbers() == {SAMPANG_NUMBER}

    # the default office still sends from the default number
    r = admin("POST", "/tickets", {"phone": CITIZEN, "consent": True, "completed": True},
              who=bangkalan("officer", "umum"))
    assert r.status_code == 201 and sent.numbers() == {BANGKALAN_NUMBER}


def test_a_complaint_step_an_escalation_and_a_wbs_notice_go_out_from_the_offices_own_number(
        offices, admin, webhook, graph, db, clock):
    from jaring import sweep

    siti = WhatsAppUser(webhook, graph, CITIZEN, office_number_id=SAMPANG_NUMBER).consents()
    sent = Sent(graph)
    receipt = file_complaint(siti)
    assert "P-" in receipt["text"]["body"] and sent.numbers() == {SAMPANG_NUMBER}  # the webhook's own replies
    [complaint] = [d.to_dict() for d in db.collection("complaints").stream()]
    assert complaint["office"] == SAMPANG

    clock.set(dt.datetime(2026, 1, 21, 7, 35, tzinfo=WIB))  # the deadline passed at midnight: told at the opening
    assert sweep.run(offices).escalations == {"overdue_complaints": 1}
    alerted = [m for m in graph.messages(to=SAMPANG_UNIT_HEAD)]
    assert alerted and sent.numbers() == {SAMPANG_NUMBER}

    clock.set(dt.datetime(2026, 1, 21, 9, 0, tzinfo=WIB))
    r = admin("POST", f"/complaints/{complaint['reference']}/verify", {}, who=sampang("unit_head", "umum"))
    assert r.status_code == 200 and r.get_json()["citizen_told"] is True
    assert sent.numbers() == {SAMPANG_NUMBER}

    ani = WhatsAppUser(webhook, graph, REPORTER, name="Ani", office_number_id=SAMPANG_NUMBER).consents()
    code, _ = report_via_chat(ani)
    sent.numbers()
    r = admin("POST", f"/wbs/{code}", {"message": "Terima kasih, sedang kami telaah."}, who=sampang("inspectorate"))
    assert r.status_code == 200 and ani.new()
    assert sent.numbers() == {SAMPANG_NUMBER}


def test_a_nudge_goes_out_from_the_offices_own_number(offices, admin, graph, clock):
    from jaring import sweep

    assert admin("POST", "/tickets", {"phone": CITIZEN, "consent": True, "completed": True}).status_code == 201
    sent = Sent(graph)
    clock.set(clock.now() + dt.timedelta(days=1, hours=1))
    assert sweep.run(offices).sent == 1
    assert sent.numbers() == {SAMPANG_NUMBER}


def test_the_invitation_a_setuju_after_the_service_brings_goes_out_from_the_offices_own_number(
        offices, admin, webhook, graph, db):
    from jaring.tickets.commands import checkin_text

    siti = WhatsAppUser(webhook, graph, CITIZEN, office_number_id=SAMPANG_NUMBER)
    siti.says(checkin_text("umum", "PTSP"))  # asked "Setuju / Tidak setuju", served before answering
    [ticket] = [t.id for t in db.collection("tickets").stream()]
    assert admin("POST", f"/tickets/{ticket}/complete").status_code == 200
    sent = Sent(graph)
    thanks, invitation = siti.taps("Setuju")
    assert ticket in invitation["interactive"]["body"]["text"] and sent.numbers() == {SAMPANG_NUMBER}


def test_neither_office_sees_the_others_tickets_complaints_wbs_reports_or_survey_figures(
        offices, admin, webhook, graph, db, clock, functions_client):
    ticket = admin("POST", "/tickets", {"phone": CITIZEN, "consent": True}).get_json()["ticket"]["id"]
    mine = admin("POST", "/tickets", {"phone": CITIZEN, "consent": True}, who=bangkalan("officer", "umum"))
    theirs = mine.get_json()["ticket"]["id"]
    siti = WhatsAppUser(webhook, graph, CITIZEN, office_number_id=SAMPANG_NUMBER).consents()
    file_complaint(siti)
    ani = WhatsAppUser(webhook, graph, REPORTER, name="Ani", office_number_id=SAMPANG_NUMBER).consents()
    code, _ = report_via_chat(ani)
    r = post_form(functions_client("form_submit"), clock, form_answers.skm(4), "skm", SAMPANG_SKM, "2_ABaOnudSkm1")
    assert r.status_code == 201

    def ids(who, path, key):
        answer = admin("GET", path, who=who)
        assert answer.status_code == 200
        return [item.get("id") or item.get("reference") or item.get("code") for item in answer.get_json()[key]]

    assert ids(bangkalan("officer", "umum"), "/tickets", "tickets") == [theirs]
    assert ids(sampang("officer", "umum"), "/tickets", "tickets") == [ticket]
    assert admin("GET", f"/tickets/{ticket}", who=bangkalan("office_head")).status_code == 404
    assert admin("GET", f"/tickets/{theirs}", who=sampang("office_head")).status_code == 404
    assert ids(bangkalan("office_head"), "/complaints", "complaints") == []
    assert len(ids(sampang("office_head"), "/complaints", "complaints")) == 1
    assert ids(bangkalan("inspectorate"), "/wbs", "reports") == []
    assert ids(sampang("inspectorate"), "/wbs", "reports") == [code]
    assert admin("GET", f"/wbs/{code}", who=bangkalan("inspectorate")).status_code == 404

    reports = functions_client("reports")

    def respondents(who):
        r = reports.get("/export.csv", query_string={"period": "2026-01"}, headers={"X-Jaring-Dev-Identity": who})
        assert r.status_code == 200
        total = [line for line in r.data.decode("utf-8-sig").splitlines() if line.startswith("total,")]
        return total[0].split(",")[2] if total else "0"

    assert respondents(sampang("office_head")) == "1"
    assert respondents(bangkalan("office_head")) == "0"
