"""Tickets to answers, end to end: each way in → ticket → invitation → signed form answer or chat survey.

Form posts are produced by the repo's Apps Script itself (run in node), so the function is tested on
exactly the bytes and headers the script sends.
"""
import dataclasses
import datetime as dt
import itertools

import pytest

from jaring.survey import questionnaire as survey
from tests.conftest import FORMS_SECRET, OFFICE
from tests.support import admin as admin_api, appsscript, forms as form_answers, meta
from tests.support.dialogue import SEED, load_configs
from tests.support.graph_standin import meta_error

CITIZEN = "6281234500077"
CITIZEN_AS_TYPED = "0812-3450-0077"
STAFF_PHONE = "628001000001"  # the seed's officer of unit "umum" (petugas@example.go.id)
OFFICER = "petugas@example.go.id|officer|kemenag-bangkalan|umum"
_responses = itertools.count(1)


@pytest.fixture
def office(db, jaring):
    form_answers.register_forms(db)
    assert load_configs() == 0  # the seed: its staff work from WhatsApp and sign in
    jaring.settings = dataclasses.replace(jaring.settings, emulator_host="127.0.0.1:1", dev_identity_allowed=True)
    return jaring


@pytest.fixture
def form_submit(functions_client, office):
    return functions_client("form_submit")


@pytest.fixture
def admin(functions_client, office):
    return admin_api.caller(functions_client, OFFICER)


def post_form(client, clock, answers, kind="skm", response_id=None, form_id=None):
    headers, body = appsscript.submission(
        FORMS_SECRET, now=int(clock.now().timestamp()), kind=kind,
        form_id=form_id or (form_answers.SKM_FORM if kind == "skm" else form_answers.LOGBOOK_FORM),
        response_id=response_id or f"2_ABaOnud{next(_responses)}", submitted_at=clock.now().isoformat(),
        answers=answers)
    return client.post("/", data=body, headers=headers)


def say(webhook, sender, text=None, choice=None):
    message = meta.list_reply(sender, choice, "x") if choice else meta.text(sender, text)
    raw = meta.encode(meta.inbound(message))
    assert webhook.post("/", data=raw, headers=meta.signed_headers("test-app-secret", raw)).status_code == 200


def docs(db, collection):
    return {d.id: d.to_dict() for d in db.collection(collection).stream()}


def token_of(db, ticket_id):
    return db.collection("tickets").document(ticket_id).get().get("token")


def last_to(graph, wa_id):
    return graph.messages(to=wa_id)[-1]


class TestLogbookFormWayIn:
    def test_a_guest_book_entry_for_a_number_that_never_wrote_sends_nothing_and_offers_self_check_in(
            self, form_submit, db, graph, clock):
        r = post_form(form_submit, clock, form_answers.logbook(CITIZEN_AS_TYPED), kind="logbook")
        assert r.status_code == 201 and r.get_json()["invitation"] is None
        assert r.get_json()["self_checkin"]["code"] == "MASUK-UMUM"  # the guest book's confirmation shows it
        [(tid, ticket)] = docs(db, "tickets").items()
        assert (ticket["channel"], ticket["status"], ticket["contact_id"]) == ("logbook", "completed", "")
        assert graph.messages() == [] and docs(db, "contacts") == {} and docs(db, "invitations") == {}
        assert CITIZEN not in str(docs(db, "outbox")) + str(ticket)  # a typed number is not even kept

    def test_a_guest_book_entry_opens_a_completed_ticket_and_a_citizen_who_wrote_before_is_invited_by_template(
            self, form_submit, db, graph, clock):
        form_answers.wrote_before(db, CITIZEN, clock.now() - dt.timedelta(days=3))
        r = post_form(form_submit, clock, form_answers.logbook(CITIZEN_AS_TYPED), kind="logbook")
        assert r.status_code == 201 and r.get_json()["invitation"] == "sent"
        [(tid, ticket)] = docs(db, "tickets").items()
        assert (ticket["channel"], ticket["status"], ticket["unit"], ticket["consent"]) == (
            "logbook", "completed", "umum", True)
        invitation = docs(db, "invitations")[tid]
        assert (invitation["state"], invitation["path"]) == ("sent", "template")  # never wrote us: no window
        [sent] = graph.messages(to=CITIZEN)
        assert sent["template"]["name"] == "jaring_undangan_survei" and sent["template"]["language"]["code"] == "id"
        url_button = sent["template"]["components"][1]
        assert url_button["sub_type"] == "url" and token_of(db, tid) in url_button["parameters"][0]["text"]
        assert "Siti Warga" not in str(ticket) and CITIZEN not in str(ticket)  # identity stays on the contact

    def test_the_same_entry_posted_twice_is_one_ticket_and_one_invitation(self, form_submit, db, graph, clock):
        form_answers.wrote_before(db, CITIZEN, clock.now() - dt.timedelta(days=3))
        answers = form_answers.logbook(CITIZEN)
        assert post_form(form_submit, clock, answers, kind="logbook", response_id="R-same").status_code == 201
        assert post_form(form_submit, clock, answers, kind="logbook", response_id="R-same").status_code == 200
        assert len(docs(db, "tickets")) == 1 and len(graph.messages(to=CITIZEN)) == 1

    def test_without_the_consent_tick_there_is_no_invitation(self, form_submit, db, graph, clock):
        r = post_form(form_submit, clock, form_answers.logbook(CITIZEN, consent=False), kind="logbook")
        assert r.status_code == 201 and r.get_json()["invitation"] is None
        assert docs(db, "invitations") == {} and graph.messages() == []


class TestSurveyFormAnswer:
    def complete_via_logbook(self, form_submit, clock, db):
        form_answers.wrote_before(db, CITIZEN, clock.now() - dt.timedelta(days=3))
        post_form(form_submit, clock, form_answers.logbook(CITIZEN), kind="logbook")
        [tid] = docs(db, "tickets")
        return tid

    def test_the_answer_is_linked_by_token_marked_answered_and_thanked(self, form_submit, db, graph, clock):
        tid = self.complete_via_logbook(form_submit, clock, db)
        clock.advance(minutes=30)
        scores = {"U1": 4, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 3, "U9": 4}
        r = post_form(form_submit, clock, form_answers.skm(scores, token=token_of(db, tid), service="ignored",
                                                           profile={"sex": "Perempuan", "age_band": "30-39 tahun"}))
        assert r.status_code == 201 and r.get_json() == {"stored": True, "linked": True, "followup": False}
        [response] = docs(db, "responses").values()
        assert response["answers"] == scores and response["ticket_id"] == tid and response["channel"] == "form"
        assert (response["unit"], response["service"]) == ("umum", "Legalisir SK dan Dokumen Kantor")  # catalogue's
        assert response["profile"] == {"sex": "P", "age_band": "30-39"} and response["nudges_before_answer"] == 0
        assert CITIZEN not in str(response) and "Siti" not in str(response)
        invitation = docs(db, "invitations")[tid]
        assert invitation["state"] == "answered" and invitation["next_nudge_at"] is None
        assert docs(db, "tickets")[tid]["answered_at"] is not None
        thanks = last_to(graph, CITIZEN)
        assert thanks["template"]["name"] == "jaring_terima_kasih_survei"

    def test_the_same_form_response_twice_is_stored_once(self, form_submit, db, graph, clock):
        tid = self.complete_via_logbook(form_submit, clock, db)
        answers = form_answers.skm(4, token=token_of(db, tid))
        assert post_form(form_submit, clock, answers, response_id="R-dup").status_code == 201
        assert post_form(form_submit, clock, answers, response_id="R-dup").status_code == 200
        assert len(docs(db, "responses")) == 1 and len(graph.messages(to=CITIZEN)) == 2  # invitation + thanks

    def test_a_second_answer_for_an_answered_ticket_is_not_counted_again(self, form_submit, db, clock):
        tid = self.complete_via_logbook(form_submit, clock, db)
        assert post_form(form_submit, clock, form_answers.skm(4, token=token_of(db, tid))).status_code == 201
        r = post_form(form_submit, clock, form_answers.skm(1, token=token_of(db, tid)))
        assert r.status_code == 200 and r.get_json()["stored"] is False
        assert len(docs(db, "responses")) == 1 and docs(db, "followups") == {}

    @pytest.mark.parametrize("token", ["", "not-a-real-token"])
    def test_a_walk_in_answer_without_a_known_code_is_stored_unlinked(self, form_submit, db, graph, clock, token):
        r = post_form(form_submit, clock, form_answers.skm(3, token=token, service="konsultasi informasi"))
        assert r.status_code == 201 and r.get_json()["linked"] is False
        [response] = docs(db, "responses").values()
        assert (response["ticket_id"], response["unit"], response["service"]) == (
            None, "umum", "Konsultasi dan Informasi Layanan")
        assert graph.messages() == []

    def test_a_low_score_opens_a_follow_up_and_closing_it_tells_the_citizen(self, form_submit, admin, db, graph,
                                                                               clock):
        tid = self.complete_via_logbook(form_submit, clock, db)
        scores = {**{u: 3 for u in survey.QUESTION_OF}, "U9": 1}
        r = post_form(form_submit, clock, form_answers.skm(scores, token=token_of(db, tid),
                                                           suggestion="Ruang tunggu panas, kursi kurang"))
        assert r.get_json()["followup"] is True
        [(fid, followup)] = docs(db, "followups").items()
        assert followup["state"] == "open" and followup["reasons"] == ["U9 Buruk (1)"]
        assert followup["suggestion"] == "Ruang tunggu panas, kursi kurang"
        head = "kepala.tu@example.go.id|unit_head|kemenag-bangkalan|umum"
        assert admin("POST", f"/followups/{fid}/close", {"action": "x"}, who=head).status_code == 422
        assert admin("POST", f"/followups/{fid}/close", {"action": "kipas dipasang"}).status_code == 403  # officer
        r = admin("POST", f"/followups/{fid}/close", {"action": "Kipas angin dan 10 kursi ditambah di ruang tunggu"},
                  who=head)
        assert r.status_code == 200 and r.get_json()["citizen_told"] is True
        closing = last_to(graph, CITIZEN)
        assert closing["template"]["name"] == "jaring_tindak_lanjut"
        assert "Kipas angin dan 10 kursi" in closing["template"]["components"][0]["parameters"][2]["text"]
        assert docs(db, "followups")[fid]["state"] == "closed"
        again = admin("POST", f"/followups/{fid}/close", {"action": "sekali lagi"}, who=head)
        assert again.status_code == 200 and again.get_json()["citizen_told"] is False
        assert len(graph.messages(to=CITIZEN)) == 3  # invitation, thanks, one closing message

    def test_a_suggestion_that_is_a_complaint_opens_a_follow_up_even_with_good_scores(self, form_submit, db, clock):
        post_form(form_submit, clock, form_answers.skm(4, suggestion="Ada calo di depan kantor minta uang"))
        [followup] = docs(db, "followups").values()
        assert followup["reasons"] == ["saran berisi pengaduan"] and followup["contact_id"] is None


class TestRefusedFormPosts:
    def written(self, db):
        return sum(len(docs(db, c)) for c in ("responses", "tickets", "invitations", "followups", "outbox"))

    def test_unsigned_wrongly_signed_stale_and_future_posts_are_refused(self, form_submit, db, clock):
        headers, body = appsscript.submission(FORMS_SECRET, now=int(clock.now().timestamp()),
                                              form_id=form_answers.SKM_FORM, response_id="R1",
                                              submitted_at=clock.now().isoformat(), answers=form_answers.skm(4))
        unsigned = {"Content-Type": "application/json"}
        assert form_submit.post("/", data=body, headers=unsigned).status_code == 401
        forged = {**headers, "X-Jaring-Signature": "0" * 64}
        assert form_submit.post("/", data=body, headers=forged).status_code == 403
        assert form_submit.post("/", data=body + b" ", headers=headers).status_code == 403
        clock.advance(minutes=5, seconds=1)
        assert form_submit.post("/", data=body, headers=headers).status_code == 401
        clock.advance(minutes=-10)
        assert form_submit.post("/", data=body, headers=headers).status_code == 401
        assert self.written(db) == 0

    def test_malformed_unknown_and_out_of_range_answers_are_refused(self, form_submit, db, clock):
        def signed(payload: bytes):
            from jaring.survey import forms
            ts = str(int(clock.now().timestamp()))
            return form_submit.post("/", data=payload, headers={"X-Jaring-Timestamp": ts,
                                                                "X-Jaring-Signature": forms.sign(FORMS_SECRET, ts,
                                                                                                 payload)})
        assert signed(b'{"kind": "skm", "formId": ').status_code == 400
        assert signed(b'{"kind": "quiz", "formId": "x", "responseId": "y"}').status_code == 400
        assert post_form(form_submit, clock, form_answers.skm(4), form_id="someoneElsesForm").status_code == 404
        assert post_form(form_submit, clock, form_answers.skm(4), kind="logbook",
                         form_id=form_answers.SKM_FORM).status_code == 422
        answers = form_answers.skm(4)
        answers[3]["value"] = "Lumayan"
        assert post_form(form_submit, clock, answers).status_code == 422
        assert post_form(form_submit, clock, answers[:5]).status_code == 422
        assert self.written(db) == 0


class TestAdminApiWayIn:
    def test_staff_create_complete_and_look_up_a_ticket_invited_free_form_within_the_window(
            self, admin, webhook, db, graph, clock):
        say(webhook, CITIZEN, "Assalamualaikum, saya di loket PTSP")  # opens the 24-hour window
        r = admin("POST", "/tickets", {"phone": "+62 812-3450-0077", "service": "Surat izin penelitian", "consent": True})
        assert r.status_code == 201
        tid = r.get_json()["ticket"]["id"]
        assert "token" not in r.get_json()["ticket"]
        r = admin("POST", f"/tickets/{tid}/complete")
        assert r.status_code == 200 and r.get_json()["invitation"] == "sent"
        invitation = last_to(graph, CITIZEN)
        assert invitation["interactive"]["type"] == "cta_url"
        url = invitation["interactive"]["action"]["parameters"]["url"]
        assert url.startswith(form_answers.SKM_URL) and f"{form_answers.TOKEN_ENTRY}={token_of(db, tid)}" in url
        assert "SURVEI" in invitation["interactive"]["body"]["text"]
        assert admin("POST", f"/tickets/{tid}/complete").get_json()["invitation"] is None  # one ticket, one invitation
        assert len([m for m in graph.messages(to=CITIZEN) if m.get("interactive", {}).get("type") == "cta_url"]) == 1
        looked = admin("GET", f"/tickets/{tid}").get_json()
        assert looked["ticket"]["status"] == "completed" and looked["invitation"]["path"] == "free_form"
        assert admin("POST", f"/tickets/{tid}/cancel").status_code == 422

    def test_an_invitation_the_graph_api_could_not_take_stays_retryable(self, admin, db, graph):
        graph.script(*[meta_error(503, 131016)] * 3)
        r = admin("POST", "/tickets", {"phone": CITIZEN, "consent": True, "completed": True})
        tid = r.get_json()["ticket"]["id"]
        assert r.get_json()["invitation"] == "pending"
        [record] = docs(db, "outbox").values()
        assert (record["state"], record["purpose"]) == ("retry", "invitation")

    def test_refused_callers(self, functions_client, office, admin, db, jaring):
        client = functions_client("admin_api")
        assert client.get("/tickets").status_code == 401
        assert client.get("/tickets", headers={"Authorization": "Bearer not-a-jwt"}).status_code in (401, 503)
        other_unit = "petugas@example.go.id|officer|kemenag-bangkalan|kua-socah"
        assert admin("POST", "/tickets", {"phone": CITIZEN, "consent": True, "unit": "umum"},
                     who=other_unit).status_code == 403
        assert admin("POST", "/tickets", {"phone": CITIZEN}).status_code == 422
        assert admin("POST", "/tickets", {"phone": "12", "consent": True}).status_code == 422
        jaring.settings = dataclasses.replace(jaring.settings, dev_identity_allowed=False)
        assert admin("GET", "/tickets").status_code == 401
        assert docs(db, "tickets") == {}


class TestStaffChatWayIn:
    def test_staff_open_and_complete_by_chat_and_the_citizen_answers_in_chat(self, office, webhook, db, graph,
                                                                              clock):
        say(webhook, CITIZEN, "Halo")
        say(webhook, STAFF_PHONE, f"#layani {CITIZEN_AS_TYPED} legalisir sk dokumen")
        [(tid, ticket)] = docs(db, "tickets").items()
        assert (ticket["channel"], ticket["unit"], ticket["officer"]) == ("staff_chat", "umum", "petugas@example.go.id")
        assert tid in last_to(graph, STAFF_PHONE)["text"]["body"]
        say(webhook, STAFF_PHONE, f"#selesai {tid.lower()}")
        assert "selesai" in last_to(graph, STAFF_PHONE)["text"]["body"]
        assert last_to(graph, CITIZEN)["interactive"]["type"] == "cta_url"
        assert docs(db, "invitations")[tid]["state"] == "pending"  # its send rode on the webhook's delivery
        say(webhook, CITIZEN, "survei")
        for unsur, _ in survey.QUESTIONS:
            question = last_to(graph, CITIZEN)["interactive"]
            assert question["body"]["text"] == survey.QUESTION_OF[unsur]
            say(webhook, CITIZEN, choice=f"svy:{tid}:{unsur}:{4 if unsur != 'U3' else 3}")
        for name, _, _ in survey.PROFILE:
            say(webhook, CITIZEN, choice=f"svy:{tid}:{name}:-")
        say(webhook, CITIZEN, "Pelayanannya cepat, terima kasih")
        [response] = docs(db, "responses").values()
        assert response["channel"] == "chat" and response["ticket_id"] == tid and response["answers"]["U3"] == 3
        assert response["suggestion"] == "Pelayanannya cepat, terima kasih" and response["profile"] == {}
        assert docs(db, "invitations")[tid]["state"] == "answered"
        assert "Terima kasih, jawaban survei" in last_to(graph, CITIZEN)["text"]["body"]
        say(webhook, CITIZEN, "SURVEI")
        assert "sudah mengisi" in last_to(graph, CITIZEN)["text"]["body"]
        assert len(docs(db, "responses")) == 1

    def test_cek_names_the_unit_and_says_where_the_invitation_stands_in_words(self, office, webhook, db, graph):
        say(webhook, CITIZEN, "Halo")
        say(webhook, STAFF_PHONE, f"#layani {CITIZEN_AS_TYPED} legalisir sk dokumen")
        [tid] = docs(db, "tickets")
        say(webhook, STAFF_PHONE, f"#selesai {tid}")
        say(webhook, STAFF_PHONE, f"#cek {tid}")
        said = last_to(graph, STAFF_PHONE)["text"]["body"]
        assert said.startswith(f"Tiket {tid}: selesai, Subbagian Tata Usaha (Bidang Umum), layanan Legalisir SK")
        assert "umum" not in said.replace("Umum", "") and "Undangan survei: dikirim, menunggu jawaban" in said

    def test_finished_during_the_friday_prayer_the_invitation_waits_and_the_officer_is_told_until_when(
            self, office, webhook, db, graph, clock):
        from jaring.clock import WIB

        clock.set(dt.datetime(2026, 1, 9, 12, 0, tzinfo=WIB))  # the citizen has not written: a template, queued
        say(webhook, STAFF_PHONE, f"#layani {CITIZEN_AS_TYPED} legalisir sk dokumen")
        [tid] = docs(db, "tickets")
        say(webhook, STAFF_PHONE, f"#selesai {tid}")
        assert last_to(graph, STAFF_PHONE)["text"]["body"] == (
            f"Tiket {tid} selesai; undangan survei menunggu jam yang pantas, dikirim Jumat, 9 Januari 2026 pukul "
            "13.00 WIB ke warga.")
        assert graph.messages(to=CITIZEN) == []

    def test_a_number_that_is_not_staff_gets_the_hotline_not_the_command(self, office, webhook, db, graph):
        say(webhook, CITIZEN, "#selesai 0812")
        # The hotline refuses staff commands from numbers it does not know (issue 3).
        assert docs(db, "tickets") == {} and "hanya untuk petugas" in last_to(graph, CITIZEN)["text"]["body"]

    def test_staff_may_complete_by_the_citizens_number(self, office, webhook, db, graph):
        say(webhook, CITIZEN, "Halo")
        say(webhook, STAFF_PHONE, f"#layani {CITIZEN}")
        say(webhook, STAFF_PHONE, f"#selesai {CITIZEN_AS_TYPED}")
        assert list(docs(db, "tickets").values())[0]["status"] == "completed"
        assert last_to(graph, CITIZEN)["type"] == "interactive"


class TestServicesFromTheCatalogue:
    def test_a_service_typed_two_ways_is_one_service_and_an_unknown_one_is_refused_with_the_list(
            self, office, webhook, db, graph):
        say(webhook, STAFF_PHONE, "#layani 6281234500091 legalisir sk")
        say(webhook, STAFF_PHONE, "#layani 6281234500092 Legalisir  SK.")
        assert {t["service"] for t in docs(db, "tickets").values()} == {"Legalisir SK dan Dokumen Kantor"}
        say(webhook, STAFF_PHONE, "#layani 6281234500093 legalisir ijazah")
        reply = last_to(graph, STAFF_PHONE)["text"]["body"]
        assert reply.startswith("Tiket belum dibuka: layanan 'legalisir ijazah' tidak ada di katalog Subbagian Tata "
                                "Usaha (Bidang Umum); pilih salah satu: ")
        assert "Surat Izin Penelitian" in reply and len(docs(db, "tickets")) == 2

    def test_a_service_served_elsewhere_opens_no_ticket_and_staff_are_told_why_in_one_line(self, office, webhook, db,
                                                                                         graph):
        say(webhook, "628001000002", f"#layani {CITIZEN_AS_TYPED} pendaftaran haji")  # the seed's haji officer
        said = last_to(graph, "628001000002")["text"]["body"]
        assert said == ("Tiket belum dibuka: Seksi Penyelenggaraan Haji dan Umrah kini dilayani di Kantor Kementerian "
                        "Haji dan Umrah Kabupaten Bangkalan, bukan di kantor ini; tidak ada tiket untuknya")
        assert docs(db, "tickets") == {}
        say(webhook, CITIZEN, "Assalamualaikum. Kode: MASUK-HAJI")  # an old check-in poster at the haji desk
        assert "Kementerian Haji dan Umrah" in last_to(graph, CITIZEN)["text"]["body"]
        assert docs(db, "tickets") == {}

    def test_admin_api_refuses_a_unit_not_in_the_office_file_with_the_valid_ids(self, admin, db):
        r = admin("POST", "/tickets", {"phone": "081234500077", "unit": "kua-mars", "consent": True})
        assert r.status_code == 422 and "kua-kamal" in r.get_json()["error"] and docs(db, "tickets") == {}


class TestCekTiket:
    def test_cek_tiket_lists_the_citizens_own_tickets_with_service_and_status(self, office, webhook, db, graph):
        say(webhook, CITIZEN, "Halo")
        say(webhook, CITIZEN, "YA")
        say(webhook, STAFF_PHONE, f"#layani {CITIZEN} legalisir sk")
        say(webhook, STAFF_PHONE, "#layani 6281234500099 Surat izin penelitian")  # someone else's
        [mine] = [tid for tid, t in docs(db, "tickets").items() if t["service"] == "Legalisir SK dan Dokumen Kantor"]
        say(webhook, STAFF_PHONE, f"#selesai {mine}")
        say(webhook, CITIZEN, choice="m:tiket")
        shown = last_to(graph, CITIZEN)["text"]["body"]
        assert f"*{mine}*: Legalisir SK dan Dokumen Kantor (" in shown and "selesai" in shown
        assert "Surat Izin Penelitian" not in shown
        say(webhook, CITIZEN, "menu")
        say(webhook, CITIZEN, "2")  # typed: the second row of the menu, Cek tiket
        assert last_to(graph, CITIZEN)["text"]["body"] == shown


class TestQrCheckInWayIn:
    def test_scanning_the_poster_opens_one_ticket_per_day_shows_the_notice_and_asks_before_any_survey(
            self, office, webhook, db, graph, clock):
        from jaring.tickets import commands as chat_commands
        say(webhook, CITIZEN, chat_commands.checkin_text("kua-socah", "KUA Socah"))
        checked_in, question = graph.messages(to=CITIZEN)
        say(webhook, CITIZEN, chat_commands.checkin_text("kua-socah", "KUA Socah"))
        [(tid, ticket)] = docs(db, "tickets").items()
        assert (ticket["channel"], ticket["unit"], ticket["consent"], ticket["status"]) == ("qr", "kua-socah", False, "open")
        assert tid in checked_in["text"]["body"] and "nomor WhatsApp" in question["interactive"]["body"]["text"]
        assert [b["reply"]["title"] for b in question["interactive"]["action"]["buttons"]] == ["Setuju", "Tidak setuju"]
        say(webhook, CITIZEN, "iya")
        assert "persetujuan Bapak/Ibu tercatat" in last_to(graph, CITIZEN)["text"]["body"]
        say(webhook, STAFF_PHONE, f"#selesai {tid}")
        assert "bukan unit Anda" in last_to(graph, STAFF_PHONE)["text"]["body"]  # an officer of "umum"
        say(webhook, "628001000004", f"#selesai {tid}")  # the seed's admin: the whole office
        assert docs(db, "tickets")[tid]["status"] == "completed"
        assert last_to(graph, CITIZEN)["interactive"]["type"] == "cta_url"

    def test_who_says_no_at_the_check_in_is_served_but_never_sent_the_survey(self, office, webhook, db, graph):
        from jaring.tickets import commands as chat_commands
        say(webhook, CITIZEN, chat_commands.checkin_text("kua-socah", "KUA Socah"))
        say(webhook, CITIZEN, "tidak")
        assert "tidak akan mengirim survei" in last_to(graph, CITIZEN)["text"]["body"]
        [tid] = docs(db, "tickets")
        say(webhook, "628001000004", f"#selesai {tid}")
        assert docs(db, "tickets")[tid]["status"] == "completed" and "interactive" not in last_to(graph, CITIZEN)
        assert "tanpa undangan survei" in last_to(graph, "628001000004")["text"]["body"]


    def test_who_agrees_at_the_check_in_is_counted_once_in_the_funnel_invited_not_without_consent(
            self, office, webhook, db, graph, clock):
        from jaring.tickets import commands as chat_commands
        say(webhook, CITIZEN, chat_commands.checkin_text("kua-socah", "KUA Socah"))
        say(webhook, CITIZEN, choice="c:yes")  # "Setuju", after the ticket was opened without consent
        [tid] = docs(db, "tickets")
        say(webhook, "628001000004", f"#selesai {tid}")
        assert tid in docs(db, "invitations") and last_to(graph, CITIZEN)["interactive"]["type"] == "cta_url"
        assert docs(db, "tickets")[tid]["consent"] is True  # the agreement the invitation went out on
        assert funnel_of_this_month(db, clock) == (1, 1, 0)  # served, invited, not invited for want of consent

    def test_an_agreement_given_on_whatsapp_counts_for_a_service_the_counter_records_later(
            self, office, admin, webhook, db, graph, clock):
        from jaring.tickets import commands as chat_commands
        say(webhook, CITIZEN, chat_commands.checkin_text("kua-socah", "KUA Socah"))
        say(webhook, CITIZEN, "iya")
        # The same citizen at the umum desk: the counter did not ask, the citizen had agreed on WhatsApp.
        opened = admin("POST", "/tickets", {"phone": CITIZEN, "consent": False, "service": "Legalisir SK"}).get_json()
        admin("POST", f"/tickets/{opened['ticket']['id']}/complete")
        logged = admin("POST", "/tickets", {"phone": CITIZEN, "consent": False, "completed": True,
                                            "service": "Surat izin penelitian"}).get_json()
        for tid in (opened["ticket"]["id"], logged["ticket"]["id"]):
            assert docs(db, "invitations")[tid]["state"] == "sent" and docs(db, "tickets")[tid]["consent"] is True
        assert funnel_of_this_month(db, clock) == (3, 2, 0)  # the check-in's ticket is still open


def funnel_of_this_month(db, clock):
    from jaring.reports.report import parse_period
    from jaring.reports.store import ReportStore

    today = clock.now().date()
    funnel = ReportStore(db).funnel(OFFICE, parse_period(f"{today:%Y-%m}", today))
    assert sum(funnel.states.values()) == funnel.invited
    return funnel.served, funnel.invited, funnel.no_consent


class TestInChatSurveyAbandoned:
    def test_a_citizen_who_stops_halfway_is_not_counted_and_can_resume(self, office, admin, webhook, db, graph,
                                                                        clock):
        say(webhook, CITIZEN, "Halo")
        tid = admin("POST", "/tickets", {"phone": CITIZEN, "consent": True, "completed": True,
                                         "service": "Konsultasi"}).get_json()["ticket"]["id"]
        say(webhook, CITIZEN, "SURVEI")
        for unsur in ("U1", "U2", "U3", "U4"):
            say(webhook, CITIZEN, choice=f"svy:{tid}:{unsur}:2")
        say(webhook, CITIZEN, "Jam buka kantor sampai kapan?")  # the hotline answers; the survey waits
        assert docs(db, "responses") == {} and docs(db, "invitations")[tid]["state"] == "sent"
        clock.advance(hours=2)
        say(webhook, CITIZEN, "survei")
        resumed = last_to(graph, CITIZEN)["interactive"]
        assert resumed["body"]["text"] == survey.QUESTION_OF["U5"]
        for unsur in ("U5", "U6", "U7", "U9", "U8"):
            say(webhook, CITIZEN, choice=f"svy:{tid}:{unsur}:3")
        say(webhook, CITIZEN, choice=f"svy:{tid}:sex:L")
        for name in ("education", "occupation", "age_band"):
            say(webhook, CITIZEN, choice=f"svy:{tid}:{name}:-")
        say(webhook, CITIZEN, choice=f"svy:{tid}:suggestion:-")
        [response] = docs(db, "responses").values()
        assert response["answers"] == {"U1": 2, "U2": 2, "U3": 2, "U4": 2, "U5": 3, "U6": 3, "U7": 3, "U8": 3,
                                       "U9": 3}
        assert response["profile"] == {"sex": "L"} and response["suggestion"] == ""
        [followup] = docs(db, "followups").values()
        assert followup["ticket_id"] == tid and len(followup["reasons"]) == 4
        assert "pimpinan unit" in last_to(graph, CITIZEN)["text"]["body"]


class TestCsvWayIn:
    def run(self, tmp_path, text, capsys):
        from jaring.__main__ import main
        path = tmp_path / "umum.csv"
        path.write_text(text, encoding="utf-8")
        code = main(["tickets", "import", str(path)])
        return code, capsys.readouterr().out

    def test_a_good_export_becomes_tickets_and_recent_completions_are_invited(self, office, db, graph, tmp_path,
                                                                               capsys, clock):
        text = ("nomor_wa;nama;unit;layanan;persetujuan;waktu_datang;waktu_selesai\n"
                "0812-3450-0077;Siti;umum;Legalisir;ya;2026-01-08 09:00;2026-01-08 09:40\n"
                "081234500078;Budi;kua-socah;Nikah;tidak;08/01/2026 08:00;\n"
                "+6281234500079;Ani;umum;Surat izin penelitian;ya;2025-11-01 09:00;2025-11-01 10:00\n")
        code, out = self.run(tmp_path, text, capsys)
        assert code == 0 and '"created": 3' in out and '"invitations": 1' in out
        assert {t["status"] for t in docs(db, "tickets").values()} == {"completed", "open"}
        assert len(graph.messages()) == 1 and graph.messages(to=CITIZEN)  # the old back-fill is not asked
        code, out = self.run(tmp_path, text, capsys)
        assert '"existing": 3' in out and len(docs(db, "tickets")) == 3 and len(graph.messages()) == 1

    def test_a_file_with_bad_rows_is_refused_whole_with_every_bad_line_named(self, office, db, tmp_path, capsys):
        text = ("nomor_wa,unit,layanan,persetujuan\n"
                "081234500077,umum,Legalisir,ya\n"
                "12,umum,Legalisir,ya\n"
                "081234500078,KUA-MARS,Nikah,ya\n"  # no such unit: refused with the valid ids
                "081234500079,umum,Haji,mungkin\n")
        code, out = self.run(tmp_path, text, capsys)
        assert code == 1 and "nothing was written" in out
        assert [line for line in ("line 3:", "line 4:", "line 5:") if line in out] == ["line 3:", "line 4:",
                                                                                       "line 5:"]
        assert "line 2:" not in out and docs(db, "tickets") == {}
        assert "unit 'KUA-MARS' tidak ada di berkas kantor; unit yang ada: umum," in out


class TestCommands:
    def test_templates_register_through_the_graph_api(self, jaring, graph, capsys):
        from jaring.__main__ import main
        jaring.settings = dataclasses.replace(jaring.settings, whatsapp_waba_id="100000000000001")
        assert main(["templates", "register"]) == 0
        posted = [r for r in graph.requests if r["path"].endswith("/100000000000001/message_templates")]
        assert sorted(r["json"]["name"] for r in posted) == [
            "jaring_kabar_laporan", "jaring_kabar_pengaduan", "jaring_pengingat_survei", "jaring_peringatan_petugas",
            "jaring_terima_kasih_survei", "jaring_tindak_lanjut", "jaring_undangan_survei"]
        assert {r["json"]["category"] for r in posted} == {"UTILITY"} and "PENDING" in capsys.readouterr().out

    def test_templates_register_uses_the_names_and_language_of_the_office_file(self, jaring, graph, db, tmp_path,
                                                                              capsys):
        from jaring.__main__ import main
        seed = open(SEED, encoding="utf-8").read()
        renamed = seed.replace('invitation = "jaring_undangan_survei"', 'invitation = "kemenag_bkl_survei"\n'
                                                                          'closing = "kemenag_bkl_tindak_lanjut"')
        (tmp_path / "kantor.toml").write_text(renamed.replace('template_language = "id"', 'template_language = "en"'),
                                              encoding="utf-8")
        assert load_configs(tmp_path / "kantor.toml") == 0
        jaring.settings = dataclasses.replace(jaring.settings, whatsapp_waba_id="100000000000001")
        assert main(["templates", "register", "--office", OFFICE]) == 0
        posted = {r["json"]["name"]: r["json"]["language"] for r in graph.requests
                  if r["path"].endswith("/message_templates")}
        assert posted == {"kemenag_bkl_survei": "en", "jaring_pengingat_survei": "en",
                          "jaring_terima_kasih_survei": "en", "kemenag_bkl_tindak_lanjut": "en",
                          "jaring_kabar_pengaduan": "en", "jaring_peringatan_petugas": "en",
                          "jaring_kabar_laporan": "en"}

    def test_templates_register_needs_the_waba_id(self, jaring, graph, capsys):
        from jaring.__main__ import main
        assert main(["templates", "register"]) == 2 and graph.requests == []

    def test_forms_register_stores_the_form_for_its_office(self, jaring, db, capsys):
        from jaring.__main__ import main
        assert main(["forms", "register", "1abc", "--kind", "skm", "--unit", "umum", "--url",
                     form_answers.SKM_URL, "--token-entry", "entry.55"]) == 0
        assert docs(db, "forms")["1abc"]["office"] == OFFICE
        assert main(["forms", "register", "1abd", "--kind", "skm", "--unit", "umum"]) == 2
