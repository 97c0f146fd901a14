"""Citizens writing in their own words, end to end (webhook → Firestore emulator → Graph stand-in).

Each test is a short scripted chat, citizen in / bot out, for one path that once broke (issue 13) or one that
must keep working: greetings are not reports, the pending survey question takes typed answers, BATAL ends the
flow the citizen is in, questions are answered before any paperwork.
"""
import pytest

from jaring.survey import questionnaire as survey
from jaring.hotline import labels
from tests.integration.tickets.test_tickets import OFFICER, docs
from tests.support import admin as admin_api, forms as form_answers
from tests.support.dialogue import body, configured, seed_config
from tests.support.whatsapp_user import WhatsAppUser, text_of, titles

CITIZEN = "628123450001"
INVITEE = "628123450002"
CONFIG = seed_config()
PUNGLI = "Dugaan pungli"  # the start of the seed's quick reply about pungli (what "Halo" once got)


@pytest.fixture
def office(db, jaring):
    form_answers.register_forms(db)
    return configured(jaring)


@pytest.fixture
def siti(office, webhook, graph):
    return WhatsAppUser(webhook, graph, CITIZEN)


@pytest.fixture
def admin(functions_client, office):
    return admin_api.caller(functions_client, OFFICER)


def invite(admin, phone):
    """The desk records a finished service for this number, with the citizen's agreement given at the desk."""
    r = admin("POST", "/tickets", {"phone": phone, "consent": True, "completed": True, "service": "Konsultasi"})
    assert r.status_code == 201 and r.get_json()["invitation"] == "sent"
    return r.get_json()["ticket"]["id"]


def contact(db, phone):
    return next(c for c in docs(db, "contacts").values() if c["wa_id"] == phone)


def last_question(user):
    return next(body(m) for m in reversed(user.received()) if m.get("interactive", {}).get("type") == "list")


class TestGreetingsAreGreetings:
    def test_halo_after_the_first_visit_is_a_greeting_not_a_broker_report(self, siti):
        first = text_of(siti.says("Halo"))
        assert CONFIG.name in first and CONFIG.consent() in first  # greeting, menu, the notice once
        for said in ("Halo", "halo", "kalo", "Haloo"):
            [reply] = siti.says(said)
            assert PUNGLI not in body(reply) and "Katalog layanan" in titles(reply)
            assert CONFIG.consent() not in body(reply)

    def test_thanks_in_everyday_and_madurese_words_is_thanked_back(self, siti):
        siti.says("Halo")
        for said in ("terima kasih", "makasih min", "sakalangkong", "matur nuwun"):
            assert text_of(siti.says(said)).startswith("Sama-sama")


class TestAnswersBeforePaperwork:
    def test_a_first_question_about_the_hours_is_answered_with_the_notice_below(self, siti, db):
        [reply] = siti.says("jam layanan kantor kapan ya?")
        said = body(reply)
        assert said.index("Senin–Kamis 07.30–16.00, Jumat 07.30–16.30 WIB") < said.index(CONFIG.consent())
        assert contact(db, CITIZEN)["notice"]["version"] == CONFIG.consent_version
        assert "consent" not in contact(db, CITIZEN)
        [again] = siti.says("alamatnya dimana")
        assert CONFIG.address in body(again) and CONFIG.consent() not in body(again)

    def test_a_complaint_in_everyday_words_starts_the_complaint_at_once(self, siti, db):
        for said in ("saya mau komplain pelayanan lambat", "mau mengadu"):
            assert "Apa yang terjadi?" in text_of(siti.says(said))
            siti.says("batal")
        assert docs(db, "complaints") == {}


class TestThePendingSurveyQuestion:
    def test_typed_answers_batal_resume_and_thanks_after_the_survey(self, siti, admin, db):
        siti.says("Halo")
        tid = invite(admin, CITIZEN)
        siti.says("SURVEI")
        assert last_question(siti) == survey.QUESTION_OF["U1"]
        siti.says("sesuai")
        siti.says("3")  # at U2: the answer "Mudah", not the third row of the main menu
        assert contact(db, CITIZEN)["survey"]["answers"] == {"U1": 3, "U2": 3} and "intake" not in contact(db, CITIZEN)
        assert "SURVEI" in text_of(siti.says("batal"))  # the survey pauses, answers kept
        assert contact(db, CITIZEN)["survey"]["step"] == survey.OFFERED
        siti.says("survei")
        assert last_question(siti) == survey.QUESTION_OF["U3"]
        for said in ("cepet banget", "gratis kok", "4", "kompeten", "sopan dan ramah", "baik", "dikelola dgn baik"):
            siti.says(said)
        for _ in survey.PROFILE:
            siti.says("lewati")
        thanks = text_of(siti.says("tidak ada"))
        assert "jawaban survei Bapak/Ibu" in thanks
        [response] = docs(db, "responses").values()
        assert response["answers"] == {"U1": 3, "U2": 3, "U3": 4, "U4": 4, "U5": 4, "U6": 3, "U7": 3, "U9": 3,
                                       "U8": 4}
        assert response["ticket_id"] == tid and response["suggestion"] == ""
        assert text_of(siti.says("terima kasih")).startswith("Sama-sama")
        assert docs(db, "complaints") == {} and contact(db, CITIZEN).get("intake") is None

    def test_batal_in_a_complaint_started_during_the_survey_ends_the_complaint_not_the_survey(self, siti, admin, db):
        siti.says("Halo")
        invite(admin, CITIZEN)
        siti.says("SURVEI")
        siti.says("4")
        siti.says("pengaduan")  # a flow the citizen starts: the survey waits (answers kept)
        assert contact(db, CITIZEN)["intake"] and contact(db, CITIZEN)["survey"]["step"] == survey.OFFERED
        assert "pengaduan dibatalkan" in text_of(siti.says("batal"))
        assert contact(db, CITIZEN)["intake"] is None and contact(db, CITIZEN)["survey"]["answers"] == {"U1": 4}
        siti.says("survei")
        assert last_question(siti) == survey.QUESTION_OF["U2"]

    def test_a_question_at_a_survey_question_is_answered_and_the_question_asked_again(self, siti, admin, db):
        siti.says("Halo")
        invite(admin, CITIZEN)
        siti.says("SURVEI")
        replies = siti.says("jam buka kapan?")
        assert "Senin–Kamis" in body(replies[0]) and body(replies[-1]) == survey.QUESTION_OF["U1"]
        siti.says("Halo")
        assert last_question(siti) == survey.QUESTION_OF["U1"]
        siti.says("tiga")
        assert contact(db, CITIZEN)["survey"]["answers"] == {"U1": 3}

    @pytest.mark.parametrize("typed, value", [("4", 4), ("Sangat sesuai", 4), ("ssuai", 3)])
    def test_an_invitee_who_never_chatted_answers_the_invitation_in_words(self, office, webhook, graph, admin, db,
                                                                          typed, value):
        tid = invite(admin, INVITEE)
        ani = WhatsAppUser(webhook, graph, INVITEE, name="Ani")
        [invitation] = ani.new()
        assert invitation["type"] == "template"  # outside WhatsApp's window: the approved template
        said = text_of(ani.says(typed))
        assert "9 pertanyaan" in said and "Setuju" not in said
        assert contact(db, INVITEE)["survey"]["answers"] == {"U1": value}
        assert last_question(ani) == survey.QUESTION_OF["U2"] and tid

    def test_the_survey_pending_label_goes_when_the_survey_is_answered(self, siti, admin, db, clock):
        siti.says("Halo")
        siti.says("isi survei")
        assert labels.SURVEY_PENDING in contact(db, CITIZEN)["labels"]
        clock.advance(minutes=30)
        invite(admin, CITIZEN)
        siti.says("ya")  # yes to the invitation: the survey starts
        for _ in survey.QUESTIONS:
            siti.says("3")
        for _ in survey.PROFILE:
            siti.says("-")
        siti.says("Antrean sudah rapi")
        assert labels.SURVEY_PENDING not in contact(db, CITIZEN)["labels"]
        [response] = docs(db, "responses").values()
        assert response["suggestion"] == "Antrean sudah rapi"


class TestRightsKeepTheirPlace:
    def test_berhenti_during_the_survey_stops_it_and_is_not_an_answer(self, siti, admin, db):
        siti.says("Halo")
        invite(admin, CITIZEN)
        siti.says("SURVEI")
        siti.says("BERHENTI")
        found = contact(db, CITIZEN)
        assert found["opted_out_at"] and found["survey"]["answers"] == {} and found["survey"]["step"] == survey.OFFERED
