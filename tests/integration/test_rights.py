"""A citizen's rights win over every flow: BERHENTI/STOP, MULAI and HAPUS DATA, typed in the middle of the
in-chat survey, a complaint or a violation report, do what they promise and are never taken as an answer.
Through the real webhook, Firestore emulator and Graph stand-in."""
import base64

import pytest

from jaring.survey import questionnaire as survey
from tests.support import admin as admin_api, forms as form_answers, meta
from tests.support.dialogue import configured, seed_config
from tests.support.whatsapp_user import WhatsAppUser, text_of

CITIZEN = "628123450031"
OFFICER = "petugas@example.go.id|officer|kemenag-bangkalan|umum"
CONFIG = seed_config()


@pytest.fixture
def office(db, jaring):
    form_answers.register_forms(db)  # the SKM form the invitation links to
    return configured(jaring)


@pytest.fixture
def siti(webhook, graph, office):
    return WhatsAppUser(webhook, graph, CITIZEN).consents()


@pytest.fixture
def admin(functions_client, office):
    return admin_api.caller(functions_client, OFFICER)


def docs(db, collection):
    return {d.id: d.to_dict() for d in db.collection(collection).stream()}


def the_contact(db):
    return next(c for c in docs(db, "contacts").values() if c.get("wa_id") == CITIZEN)


def chooses(user, choice):
    assert user.post(meta.list_reply(user.number, choice, "x", wamid=user.wamid())) == 200
    return user.new()


def up_to_the_suggestion(siti, admin):
    """A served citizen answers every question of the chat survey; the last one (the suggestion) is asked."""
    tid = admin("POST", "/tickets", {"phone": CITIZEN, "consent": True, "completed": True,
                                     "service": "Konsultasi"}).get_json()["ticket"]["id"]
    siti.says("SURVEI")
    for unsur, _ in survey.QUESTIONS:
        chooses(siti, f"svy:{tid}:{unsur}:3")
    for name, _, _ in survey.PROFILE:
        asked = chooses(siti, f"svy:{tid}:{name}:-")
    assert survey.SUGGESTION_QUESTION.lower() in asked[-1]["interactive"]["body"]["text"]
    return tid


def every_document(db):
    for collection in db.collections():
        for snap in collection.stream():
            yield snap.reference.path, snap.to_dict()


def nowhere(db, *needles):
    return all(needle not in path and needle not in str(data)
               for path, data in every_document(db) for needle in needles)


class TestInTheSurvey:
    def test_hapus_data_at_the_suggestion_erases_the_number_and_stores_no_suggestion(self, siti, admin, db):
        tid = up_to_the_suggestion(siti, admin)
        needles = (CITIZEN, base64.b64encode(CITIZEN.encode()).decode(), "Siti Warga")
        assert not nowhere(db, *needles)  # so the scan below would find them if left

        assert text_of(siti.says("HAPUS DATA")) == CONFIG.text("erased")
        assert docs(db, "responses") == {}
        assert nowhere(db, *needles)
        assert docs(db, "invitations")[tid]["state"] == "opted_out"

    def test_berhenti_with_a_typo_opts_out_and_the_survey_waits_until_survei(self, siti, admin, db):
        tid = up_to_the_suggestion(siti, admin)
        assert text_of(siti.says("Berhentii")) == CONFIG.text("opt_out")
        assert the_contact(db)["opted_out_at"] and docs(db, "responses") == {}
        assert text_of(siti.says("MULAI")) == CONFIG.text("opt_in")
        assert docs(db, "responses") == {}

        siti.says("jam buka")  # the survey is paused: a question to the hotline is no suggestion either
        assert docs(db, "responses") == {}
        resumed = siti.says("SURVEI")
        assert survey.SUGGESTION_QUESTION.lower() in resumed[-1]["interactive"]["body"]["text"]
        siti.says("Antrean di loket lebih cepat")
        [response] = docs(db, "responses").values()
        assert response["ticket_id"] == tid and response["suggestion"] == "Antrean di loket lebih cepat"
        assert set(response["answers"].values()) == {3}  # the answers given before the pause were kept


class TestInAComplaint:
    def test_berhenti_in_the_middle_of_a_complaint_opts_out_and_files_nothing(self, siti, db):
        siti.taps("Pengaduan")
        siti.says("Berkas saya hilang di loket")
        assert text_of(siti.says("BERHENTI")) == CONFIG.text("opt_out")
        contact = the_contact(db)
        assert contact["opted_out_at"] and contact.get("intake") is None
        siti.says("loket PTSP")  # no longer an answer to "where"
        assert docs(db, "complaints") == {} and contact.get("intake") is None

    def test_hapus_data_in_the_middle_of_a_complaint_erases_without_filing_it(self, siti, db):
        siti.taps("Pengaduan")
        siti.says("Berkas saya hilang di loket")
        assert text_of(siti.says("hapus data")) == CONFIG.text("erased")
        assert docs(db, "complaints") == {} and nowhere(db, CITIZEN, "Berkas saya hilang")


class TestInAViolationReport:
    def test_hapus_data_while_writing_a_report_drops_the_draft_and_the_number(self, siti, db):
        siti.taps("Lapor pelanggaran")
        siti.taps("Mulai laporan")
        siti.says("Pak Bambang, petugas loket haji")
        assert len(docs(db, "wbs_drafts")) == 1
        assert text_of(siti.says("HAPUS DATA")) == CONFIG.text("erased")
        assert docs(db, "wbs_drafts") == {} and docs(db, "wbs_reports") == {}
        assert nowhere(db, CITIZEN, "Pak Bambang")

    def test_stop_while_writing_a_report_opts_out_and_ends_it(self, siti, db):
        siti.taps("Lapor pelanggaran")
        siti.taps("Mulai laporan")
        siti.says("Pak Bambang, petugas loket haji")
        assert text_of(siti.says("STOP")) == CONFIG.text("opt_out")
        contact = the_contact(db)
        assert contact["opted_out_at"] and contact.get("pending") is None and docs(db, "wbs_drafts") == {}
