"""Tickets, invitations, the in-chat survey and form answers as plain rules (no emulator)."""
import dataclasses
import datetime as dt

import pytest

from jaring.hotline import conversation
from jaring.survey import forms, invitations, questionnaire as survey
from jaring.survey.responses import LABELS, UNSUR
from jaring.tickets import commands as chat_commands, csv_import as ticket_csv, ticket as tickets
from jaring.whatsapp.webhook import InboundMessage
from tests.support.dialogue import seed_config

CONFIG = seed_config()

NOW = dt.datetime(2026, 1, 8, 3, 0, tzinfo=dt.timezone.utc)
MESSAGING = invitations.OfficeMessaging(office_name="Kemenag Bangkalan", form_url="https://docs.google.com/forms/d/e/X/viewform",
                                        token_entry="entry.77", units={"umum": "Umum dan Tata Usaha"})


def ticket(**changes):
    base = {"office": "kemenag-bangkalan", "unit": "umum", "service": "Legalisir", "contact_id": "c1",
            "consent": True, "status": "completed", "completed_at": NOW, "token": "tok_en-123"}
    return {**base, **changes}


def said(text="", choice="", kind="text"):
    return InboundMessage(wamid="w", phone_number_id="p", sender="6281", name="", type=kind, sent_at=NOW,
                          text=text, choice=choice)


class TestTickets:
    def test_a_reference_is_short_stable_and_forgiving_when_typed(self):
        ref = tickets.ticket_id("kemenag-bangkalan", "logbook", "resp-1")
        assert ref == tickets.ticket_id("kemenag-bangkalan", "logbook", "resp-1") and len(ref) == 10
        assert ref != tickets.ticket_id("kemenag-bangkalan", "logbook", "resp-2")
        typed = ref.lower()[:5] + " - " + ref.lower()[5:]
        assert tickets.parse_ref(typed) == ref and tickets.parse_ref("hello") is None
        assert tickets.parse_ref("O1ABCDEFGH".replace("O", "o")) == "01ABCDEFGH"

    def test_tokens_are_unguessable_and_distinct(self):
        assert len({tickets.new_token() for _ in range(50)}) == 50 and len(tickets.new_token()) >= 22

    def test_open_then_completed_once_cancelled_tickets_cannot_be_completed(self):
        spec = tickets.NewTicket(office="o", unit="umum", service="s", channel="admin", source="x", consent=True)
        doc = tickets.new(spec, "c1", NOW, "t")
        assert doc["status"] == "open" and doc["completed_at"] is None
        assert tickets.complete(doc, NOW) == {"status": "completed", "completed_at": NOW}
        assert tickets.complete({**doc, "status": "completed"}, NOW) == {}
        with pytest.raises(tickets.TicketError):
            tickets.complete({**doc, "status": "cancelled"}, NOW)
        with pytest.raises(tickets.TicketError):
            tickets.cancel({**doc, "status": "completed"}, NOW)

    def test_bad_specs_are_refused(self):
        with pytest.raises(tickets.TicketError):
            tickets.new(tickets.NewTicket(office="o", unit="KUA Socah", service="", channel="admin", source="x"),
                        "c", NOW, "t")
        with pytest.raises(tickets.TicketError):
            tickets.new(tickets.NewTicket(office="o", unit="umum", service="", channel="fax", source="x"), "c", NOW, "t")

    def test_staff_tools_never_see_the_token(self):
        assert "token" not in tickets.public_view("REF", ticket())


class TestInvitations:
    def test_no_invitation_without_consent_contact_completion_or_when_too_late(self):
        contact = {"wa_id": "6281"}
        assert invitations.plan("R", ticket(consent=False), contact, MESSAGING, NOW) is None
        assert invitations.plan("R", ticket(status="open"), contact, MESSAGING, NOW) is None
        assert invitations.plan("R", ticket(), None, MESSAGING, NOW) is None
        assert invitations.plan("R", ticket(completed_at=NOW - dt.timedelta(days=4)), contact, MESSAGING, NOW) is None

    def test_an_opted_out_citizen_gets_a_recorded_but_unsent_invitation(self):
        plan = invitations.plan("R", ticket(), {"wa_id": "6281", "opted_out_at": NOW}, MESSAGING, NOW)
        assert (plan.state, plan.content) == ("opted_out", None)

    def test_inside_the_window_a_free_form_button_opens_the_personal_form(self):
        contact = {"wa_id": "6281", "last_inbound_at": NOW - dt.timedelta(hours=23)}
        plan = invitations.plan("R", ticket(), contact, MESSAGING, NOW)
        assert (plan.state, plan.path) == ("pending", "free_form")
        action = plan.content["interactive"]["action"]
        assert action["parameters"]["url"] == "https://docs.google.com/forms/d/e/X/viewform?usp=pp_url&entry.77=tok_en-123"

    @pytest.mark.parametrize("contact", [
        {"wa_id": "6281", "last_inbound_at": NOW - dt.timedelta(hours=24)},
        {"wa_id": "6281", "last_inbound_at": NOW - dt.timedelta(hours=2), "window_closed_at": NOW - dt.timedelta(hours=1)},
        {"wa_id": "6281"},
    ])
    def test_outside_the_window_the_approved_template_with_the_same_link(self, contact):
        plan = invitations.plan("R", ticket(), contact, MESSAGING, NOW)
        template = plan.content["template"]
        assert (plan.path, template["name"], template["language"]["code"]) == ("template", "jaring_undangan_survei", "id")
        body, url, quick = template["components"]
        assert [p["text"] for p in body["parameters"]] == ["Legalisir", "Umum dan Tata Usaha", "R"]
        assert url["parameters"][0]["text"] == "X/viewform?usp=pp_url&entry.77=tok_en-123"
        assert quick["parameters"][0]["payload"] == "SURVEI"

    def test_the_office_may_name_its_own_template(self):
        messaging = invitations.OfficeMessaging("x", {"invitation": "undangan_kua"}, "id", MESSAGING.form_url, "entry.1")
        assert invitations.plan("R", ticket(), {"wa_id": "6"}, messaging, NOW).content["template"]["name"] == "undangan_kua"

    def test_an_office_that_invites_by_flow_sends_the_flow_with_the_ticket_token(self):
        by_flow = dataclasses.replace(MESSAGING, survey_path="flow", flow_id="900000000000001")
        inside = invitations.plan("R", ticket(), {"wa_id": "6281", "last_inbound_at": NOW}, by_flow, NOW)
        assert (inside.path, inside.way, inside.flow_token) == ("free_form", "flow", "tok_en-123")
        parameters = inside.content["interactive"]["action"]["parameters"]
        assert (parameters["flow_id"], parameters["flow_token"], parameters["flow_cta"]) == (
            "900000000000001", "tok_en-123", "Isi survei")
        outside = invitations.plan("R", ticket(), {"wa_id": "6281"}, by_flow, NOW)
        assert outside.content["template"]["name"] == "jaring_undangan_survei_flow"
        assert outside.content["template"]["components"][1]["parameters"][0]["action"] == {"flow_token": "tok_en-123"}
        unpublished = dataclasses.replace(by_flow, flow_id="")  # before `flows publish`: the form
        plan = invitations.plan("R", ticket(), {"wa_id": "6281"}, unpublished, NOW)
        assert plan.way == "form" and plan.content["template"]["name"] == "jaring_undangan_survei"

    def test_an_office_that_invites_by_chat_offers_the_in_chat_survey_button_inside_the_window(self):
        by_chat = dataclasses.replace(MESSAGING, survey_path="chat", form_url="", token_entry="")
        inside = invitations.plan("R", ticket(), {"wa_id": "6281", "last_inbound_at": NOW}, by_chat, NOW)
        [button] = inside.content["interactive"]["action"]["buttons"]
        assert (inside.way, button["reply"]) == ("chat", {"id": "SURVEI", "title": "Isi di WhatsApp"})
        assert survey.turn(survey.offered("R", ticket(), NOW), said(choice="SURVEI", kind="interactive"), NOW).replies
        outside = invitations.plan("R", ticket(), {"wa_id": "6281"}, by_chat, NOW)  # the template needs the form
        assert outside.state == "failed" and outside.reason == invitations.NO_FORM

    def test_without_a_registered_form_the_invitation_is_recorded_as_failed(self):
        plan = invitations.plan("R", ticket(), {"wa_id": "6"}, invitations.OfficeMessaging("x"), NOW)
        assert plan.state == "failed" and plan.reason == invitations.NO_FORM
        # staff read why in #cek, in Indonesian, with what to do about it
        assert chat_commands.status_line("K7M2QX9AB4", {"status": "completed", "unit": "umum"},
                                         invitations.described({"state": plan.state, "reason": plan.reason}),
                                         "Subbagian Tata Usaha (Bidang Umum)") == (
            "Tiket K7M2QX9AB4: selesai, Subbagian Tata Usaha (Bidang Umum). Undangan survei: tidak dapat dikirim: "
            "belum ada formulir survei "
            "yang terdaftar untuk kantor ini (admin: python -m jaring forms register, lihat docs/FORMS.md).")

    def test_closing_message_says_what_was_done(self):
        content = invitations.closing("R", "Legalisir", "kursi\nditambah", {"last_inbound_at": NOW}, MESSAGING, NOW)
        assert "Tindak lanjut kami: kursi ditambah." in content["text"]["body"]


class TestSurveyQuestions:
    def test_sarana_is_asked_before_pengaduan_but_stored_by_unsur(self):
        assert [u for u, _ in survey.QUESTIONS][-2:] == ["U9", "U8"] and sorted(survey.QUESTION_OF) == list(UNSUR)
        assert "sarana dan prasarana" in survey.QUESTION_OF["U9"] and "pengaduan" in survey.QUESTION_OF["U8"]

    def test_each_question_lists_the_regulations_four_labels(self):
        for unsur in UNSUR:
            rows = survey.question("R", unsur)["interactive"]["action"]["sections"][0]["rows"]
            shown = [row.get("description") or row["title"] for row in rows]
            assert shown == list(LABELS[unsur]) and [r["id"] for r in rows][0] == f"svy:R:{unsur}:1"

    @pytest.mark.parametrize("answers, suggestion, expected", [
        ({u: 3 for u in UNSUR}, "", []),
        ({**{u: 3 for u in UNSUR}, "U3": 2}, "", ["U3 Kurang cepat (2)"]),
        ({u: 4 for u in UNSUR}, "Petugas kasar sekali", ["saran berisi pengaduan"]),
        ({u: 4 for u in UNSUR}, "Terima kasih, pelayanan bagus", []),
        # U8 "Tidak ada" alone: nothing the unit head could follow up with this citizen.
        ({**{u: 4 for u in UNSUR}, "U8": 1}, "", []),
        ({**{u: 4 for u in UNSUR}, "U8": 1, "U3": 2}, "", ["U3 Kurang cepat (2)", "U8 Tidak ada (1)"]),
        ({**{u: 4 for u in UNSUR}, "U8": 2}, "Kotak saran tidak pernah dibuka",
         ["U8 Ada tetapi tidak berfungsi (2)"]),
        ({u: 4 for u in UNSUR if u != "U3"}, "", []),  # a blank is not a low score
    ])
    def test_low_scores_and_complaints_need_a_follow_up(self, answers, suggestion, expected):
        assert survey.followup_reasons(answers, suggestion) == expected


class TestChatSurvey:
    def run(self, state, *messages):
        """Each message read as the webhook reads it (jaring.conversation.understand), then to the survey."""
        turns = []
        for message in messages:
            found = conversation.understand({"survey": state}, message, CONFIG)
            turn = survey.turn(state, message, NOW, (found.intent, found.value))
            turns.append(turn)
            if turn:
                state = {**state, **turn.changes, "answers": {**state.get("answers", {}), **turn.changes.get("answers", {})},
                         "profile": {**state.get("profile", {}), **turn.changes.get("profile", {})}}
        return state, turns

    def test_complete_survey_from_offer_to_answer_set(self):
        state = survey.offered("R", ticket(), NOW)
        steps = [said("Survei")] + [said(choice=f"svy:R:{u}:{3}", kind="interactive") for u, _ in survey.QUESTIONS]
        steps += [said(choice="svy:R:sex:P", kind="interactive")] + [
            said(choice=f"svy:R:{n}:-", kind="interactive") for n in ("education", "occupation", "age_band")]
        state, turns = self.run(state, *steps, said("Antrean sudah rapi"))
        done = turns[-1].finished
        assert done.answers == {u: 3 for u in UNSUR} and done.profile == {"sex": "P"}
        assert done.suggestion == "Antrean sudah rapi" and state["step"] == "done"

    def test_messages_unrelated_to_the_survey_go_to_the_hotline_and_the_survey_resumes(self):
        state = survey.offered("R", ticket(), NOW)
        state, turns = self.run(state, said("SURVEI"), said(choice="svy:R:U1:4", kind="interactive"),
                                said("Kapan kantor buka?"), said("survei"))
        assert turns[2] is None and state["step"] == "U2"
        assert turns[3].replies[-1]["interactive"]["body"]["text"] == survey.QUESTION_OF["U2"]

    def test_without_an_invitation_survei_is_just_a_word_for_the_hotline(self):
        assert survey.turn(None, said("SURVEI"), NOW) is None
        assert survey.turn(survey.offered("R", ticket(), NOW), said("Halo"), NOW) is None

    def test_a_choice_from_an_old_survey_or_out_of_range_is_not_recorded(self):
        state = {**survey.offered("R", ticket(), NOW), "step": "U1"}
        assert survey.turn(state, said(choice="svy:OLD:U1:4", kind="interactive"), NOW).changes == {}
        assert survey.turn(state, said(choice="svy:R:U1:9", kind="interactive"), NOW).changes == {}

    def test_batal_pauses_and_keeps_what_was_answered(self):
        state = {**survey.offered("R", ticket(), NOW), "step": "U2", "answers": {"U1": 4}}
        state, [turn] = self.run(state, said("batal"))
        assert "SURVEI" in turn.replies[0]["text"]["body"] and "answers" not in turn.changes
        assert state["step"] == survey.OFFERED and state["answers"] == {"U1": 4}  # a "3" now is not an answer

    def test_typed_answers_count_at_every_step_digits_words_and_near_spellings(self):
        state = {**survey.offered("R", ticket(), NOW), "step": "U1"}
        typed = ["ssuai", "3", "cepet banget", "gratis kok", "4 (sangat sesuai)", "kompeten", "sopan dan ramah",
                 "bagus", "dikelola dengan baik", "perempuan", "sma", "lewati", "35", "tidak ada"]
        state, turns = self.run(state, *map(said, typed))
        done = turns[-1].finished
        assert done.answers == {"U1": 3, "U2": 3, "U3": 4, "U4": 4, "U5": 4, "U6": 3, "U7": 3, "U9": 3, "U8": 4}
        assert done.profile == {"sex": "P", "education": "SMA", "age_band": "30-39"} and done.suggestion == ""

    def test_an_invitee_who_types_the_first_answer_starts_the_survey_with_it(self):
        state, [turn] = self.run(survey.offered("R", ticket(), NOW), said("Sangat sesuai"))
        assert state["answers"] == {"U1": 4} and state["step"] == "U2"
        assert "9 pertanyaan" in turn.replies[0]["text"]["body"]
        assert turn.replies[-1]["interactive"]["body"]["text"] == survey.QUESTION_OF["U2"]

    def test_an_invitee_saying_no_gives_no_answer(self):
        state, [turn] = self.run(survey.offered("R", ticket(), NOW), said("tidak"))
        assert turn is None and state["answers"] == {}


class TestFormPosts:
    def test_a_fresh_correct_signature_passes_and_anything_else_is_refused(self):
        body = b'{"x": 1}'
        ts = str(int(NOW.timestamp()))
        forms.verify("s", ts, forms.sign("s", ts, body), body, NOW + dt.timedelta(minutes=4))
        cases = [(None, "sig", 401), (ts, forms.sign("other", ts, body), 403), ("12ab", "x", 401)]
        for timestamp, signature, status in cases:
            with pytest.raises(forms.FormRejected) as refused:
                forms.verify("s", timestamp, signature, body, NOW)
            assert refused.value.status == status
        for offset in (dt.timedelta(minutes=5, seconds=1), -dt.timedelta(minutes=2)):
            with pytest.raises(forms.FormRejected):
                forms.verify("s", ts, forms.sign("s", ts, body), body, NOW + offset)

    def test_an_offices_own_form_maps_items_and_labels(self):
        config = forms.FormConfig("o", "skm", "umum", items={
            **{f"p{i}": u for i, u in enumerate(UNSUR)},
            "biaya": {"field": "U4", "choices": ["Mahal sekali", "Mahal", "Murah", "Gratis"]}, "kode": "token"})
        answers = [{"title": f"P{i}", "value": "3"} for i, u in enumerate(UNSUR) if u != "U4"]
        answers += [{"title": "Biaya", "value": "Mahal"}, {"title": "Kode", "value": "tok"}]
        post = forms.Post("skm", "f", "r", NOW, answers)
        parsed = forms.skm(post, config)
        assert parsed.answers["U4"] == 2 and parsed.answers["U1"] == 3 and parsed.token == "tok"

    @pytest.mark.parametrize("value", ["5", "0", "e. Lain", "Sedang", ""])
    def test_an_answer_out_of_range_is_refused(self, value):
        with pytest.raises(forms.FormRejected) as refused:
            forms.unsur_value("U1", value)
        assert refused.value.status == 422

    def test_labels_digits_and_lettered_labels_are_understood(self):
        assert [forms.unsur_value("U4", v) for v in ("Gratis", "sangat mahal", "2", "c. Murah", "d")] == [4, 1, 2, 3, 4]


class TestChatCommands:
    def test_commands_and_targets(self):
        assert chat_commands.parse_command("#selesai k7m2qx9ab4") == chat_commands.Command("complete", "k7m2qx9ab4", "")
        assert chat_commands.parse_command("#layani 0812345 Legalisir buku nikah").rest == "Legalisir buku nikah"
        assert chat_commands.parse_command("#apa").action == "help" and chat_commands.parse_command("halo") is None
        assert chat_commands.ref_or_phone("0812-3450-0077") == ("phone", "0812-3450-0077")

    def test_the_check_in_code_survives_the_pre_filled_sentence(self):
        text = chat_commands.checkin_text("kua-socah", "KUA Socah")
        assert chat_commands.parse_checkin(text) == "kua-socah" and chat_commands.parse_checkin("Halo") is None


class TestCsv:
    def test_good_rows_with_excel_semicolons_and_wib_times(self):
        rows, errors = ticket_csv.parse("\ufeffNomor WA;Unit;Persetujuan;Waktu Selesai\n0812 3450 0077;umum;Ya;08/01/2026 10:00\n",
                                        CONFIG)
        assert errors == [] and rows[0].wa_id == "6281234500077"
        assert rows[0].spec.completed_at == dt.datetime(2026, 1, 8, 3, 0, tzinfo=dt.timezone.utc)

    def test_missing_columns_are_named(self):
        assert ticket_csv.parse("nama,layanan\nSiti,Nikah\n", CONFIG) == (
            [], ["line 1: missing column(s): phone, consent, unit (or --unit)"])

    def test_units_and_services_are_the_catalogues_or_the_line_is_refused_with_the_choices(self):
        rows, errors = ticket_csv.parse("nomor_wa,unit,layanan,persetujuan\n"
                                        "081234500077,Pendma,legalisir ijazah,ya\n"
                                        "081234500078,KUA-MARS,Pendaftaran Nikah,ya\n"
                                        "081234500079,kua-kamal,Nikah siri,ya\n", CONFIG)
        assert rows[0].spec.unit == "pendma" and rows[0].spec.service == "Legalisir Ijazah Madrasah Swasta"
        assert errors[0].startswith("line 3: unit 'KUA-MARS' tidak ada di berkas kantor; unit yang ada: umum,")
        assert errors[1].startswith("line 4: layanan 'Nikah siri' tidak ada di katalog KUA Kecamatan Kamal; "
                                    "pilih salah satu: Pendaftaran Nikah,")
