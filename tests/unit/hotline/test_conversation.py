"""The hotline's conversation as a citizen and an officer meet it (pure: no Firestore, no network).

Each test is a short script: what a person sends in, what the bot sends out. The office is the
Bangkalan seed; expectations are read from it rather than copied, so the office can edit its texts.
"""
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jaring import retention
from jaring import ids as refs
from jaring.clock import WIB
from jaring.hotline import conversation
from jaring.hotline import labels
from jaring.messaging import menus
from tests.support.dialogue import Person, body, rows, seed_config, seed_data

CITIZEN = "628123450001"
OFFICER = "628001000001"  # hotline staff, on duty Monday to Friday
OFFICER_MWF = "628001000002"  # hotline staff, on duty Monday, Wednesday and Friday
THURSDAY_10 = dt.datetime(2026, 1, 8, 10, 0, tzinfo=WIB)
CONFIG = seed_config()


def wib(*args):
    return dt.datetime(*args, tzinfo=WIB)


def citizen(now=THURSDAY_10, greeted=True, config=CONFIG):
    """A citizen; greeted: they said "Halo" first (and so have seen the privacy notice)."""
    person = Person(config, CITIZEN, now)
    if greeted:
        person.says("Halo")
    return person


def officer(now=THURSDAY_10, number=OFFICER):
    return Person(CONFIG, number, now, name="Petugas")


def only(person):
    [content] = person.replies()
    return content


def titles(content):
    return [title for _, title in rows(content)]


class TestFirstContact:
    def test_a_greeting_gets_the_office_the_menu_and_the_privacy_notice_nothing_to_agree_to(self):
        siti = citizen(greeted=False)
        siti.says("Halo")
        greeting = only(siti)  # one message: greeting, menu, and the notice below them
        assert CONFIG.name in body(greeting)
        assert titles(greeting) == ["Katalog layanan", "Cek tiket", "Pengaduan", "Lapor pelanggaran", "Isi survei",
                                    "Bicara dengan petugas"]
        notice = body(greeting).split("\n\n")[-2:]
        assert CONFIG.consent() in "\n\n".join(notice) and "BERHENTI" in body(greeting) and "HAPUS DATA" in body(greeting)
        assert siti.contact["notice"] == {"at": THURSDAY_10, "version": CONFIG.consent_version}
        assert "consent" not in siti.contact and labels.NEW in siti.contact["labels"]

    def test_a_question_before_anything_else_is_answered_first_then_the_notice_follows(self):
        siti = citizen(greeted=False)
        siti.says("jam layanan kantor kapan ya?")
        answer = body(only(siti))
        assert answer.index("Senin–Kamis 07.30–16.00, Jumat 07.30–16.30 WIB") < answer.index(CONFIG.consent())

    def test_the_notice_comes_once_per_version(self):
        siti = citizen()
        siti.says("alamat kantor dimana?")
        assert len(siti.replies()) == 1
        siti.config = seed_config(consent={**seed_data()["consent"], "version": "2026-07"})
        siti.says("menu")
        menu = only(siti)
        assert "Katalog layanan" in titles(menu) and siti.config.consent() in body(menu)
        assert siti.contact["notice"]["version"] == "2026-07"

    def test_a_yes_to_nothing_just_shows_the_menu(self):
        siti = citizen()
        siti.says("YA")
        assert "Katalog layanan" in titles(only(siti)) and "consent" not in siti.contact

    def test_asked_whether_the_survey_may_come_yes_is_recorded_with_its_time_and_version(self):
        siti = citizen()
        siti.contact["asked"] = "consent"  # as a QR check-in leaves it (jaring.ticket_chat)
        siti.says("iya")
        assert siti.contact["consent"] == {"at": THURSDAY_10, "version": CONFIG.consent_version}
        assert "10.00 WIB" in body(only(siti)) and siti.contact["asked"] is None

    def test_asked_whether_the_survey_may_come_no_is_recorded_and_nothing_is_erased(self):
        siti = citizen()
        siti.contact["asked"] = "consent"
        decision = siti.says("nggak")
        assert siti.contact["consent"] is False and not decision.erase_contact
        assert "tidak akan mengirim survei" in body(only(siti))

    @pytest.mark.parametrize("asked,text,choice,may", [
        ("consent", "", "c:yes", True), ("", "", "c:yes", True),  # the button, however long ago it was shown
        ("consent", "ya boleh", "", True), ("", "ya boleh", "", False),  # typed: only as the answer to the question
        ("consent", "", "c:no", False), ("consent", "tidak usah", "", False), ("consent", "jam buka?", "", False)])
    def test_a_yes_to_the_survey_question_is_recognised_before_the_turn_so_the_finished_service_is_read(
            self, asked, text, choice, may):
        from jaring.whatsapp.webhook import InboundMessage

        contact = {"asked": asked} if asked else {}
        message = InboundMessage(wamid="wamid.X", phone_number_id="1", sender=CITIZEN, name="Siti", type="text"
                                 if not choice else "interactive", sent_at=THURSDAY_10, text=text, choice=choice)
        assert conversation.may_agree(contact, message, CONFIG) is may

    def test_the_new_citizen_label_lasts_for_the_first_day(self):
        siti = citizen()
        assert labels.NEW in siti.contact["labels"]
        siti.now += dt.timedelta(days=1)
        siti.says("menu")
        assert labels.NEW not in siti.contact["labels"]


class TestCatalogue:
    def test_groups_then_units_then_services_then_the_service_card(self):
        siti = citizen()
        siti.picks("Katalog layanan")
        assert titles(only(siti)) == [g.title for g in CONFIG.groups]
        siti.picks("PTSP Kemenag")
        assert titles(only(siti)) == [u.title for u in CONFIG.units_of("ptsp")]
        siti.picks("Bimas Islam")
        bimas = CONFIG.unit("bimas-islam")
        assert titles(only(siti)) == [s.title for s in bimas.services]
        siti.picks("Izin majelis taklim")
        card = only(siti)
        for requirement in bimas.service("majelis-taklim").requirements:
            assert requirement in body(card)
        assert "Biaya: Gratis" in body(card)
        assert titles(card) == ["Ajukan layanan", "Layanan lain", "Menu utama"]

    def test_hajj_and_umrah_are_served_elsewhere_now_and_the_citizen_is_told_where_with_no_request(self):
        siti = citizen()
        siti.picks("Katalog layanan")
        siti.picks("PTSP Kemenag")
        [row] = [r for section in only(siti)["interactive"]["action"]["sections"] for r in section["rows"]
                 if r["title"] == "Haji dan Umrah"]
        assert row["description"] == "Kini dilayani di Kantor Kementerian Haji dan Umrah Kabupaten Bangkalan"
        siti.picks("Haji dan Umrah")
        card = only(siti)
        said = body(card)
        assert said.startswith("*Seksi Penyelenggaraan Haji dan Umrah*")
        assert "tidak lagi diberikan di Kantor Kementerian Agama Kabupaten Bangkalan" in said
        assert "*Kantor Kementerian Haji dan Umrah Kabupaten Bangkalan*" in said
        assert titles(card) == ["Katalog layanan", "Menu utama"] and "Ajukan layanan" not in titles(card)

    @pytest.mark.parametrize("typed", ["daftar haji", "syarat umroh gimana?", "pendaftaran haji reguler"])
    def test_a_moved_service_asked_for_in_words_gets_its_new_place_and_nothing_is_recorded(self, typed):
        siti = citizen()
        decision = siti.says(typed)
        said = body(only(siti))
        assert "Sekarang dilayani oleh:\n\n*Kantor Kementerian Haji dan Umrah Kabupaten Bangkalan*" in said
        assert decision.writes == [] and "requests" not in decision.contact_changes

    def test_an_old_ajukan_button_of_a_moved_service_makes_no_request(self):
        siti = citizen()
        decision = siti.says(choice="r:haji:daftar-haji")
        assert decision.writes == [] and "Kementerian Haji dan Umrah" in body(only(siti))

    def test_eighteen_kua_page_cleanly_with_next_and_previous_rows(self):
        siti = citizen()
        siti.picks("Katalog layanan")
        siti.picks("KUA Kecamatan")
        seen, pages = [], []
        while True:
            page = titles(only(siti))
            assert len(page) <= 10
            pages.append(page)
            seen += [t for t in page if t not in (menus.NEXT, menus.PREVIOUS)]
            if menus.NEXT not in page:
                break
            siti.picks(menus.NEXT)
        assert seen == [u.title for u in CONFIG.units_of("kua")]
        assert [menus.NEXT in p for p in pages] == [True, True, False]
        assert [menus.PREVIOUS in p for p in pages] == [False, True, True]
        siti.picks(menus.PREVIOUS)
        assert titles(only(siti)) == pages[1]

    def test_a_typed_number_or_title_picks_from_the_last_list(self):
        siti = citizen()
        siti.says("1")  # Katalog layanan
        siti.says("kua kecamatan")
        siti.says("2")
        assert body(only(siti)).startswith("Layanan KUA Kecamatan Socah")

    def test_a_list_shown_before_an_upgrade_still_answers_a_typed_number(self):
        siti = citizen()
        siti.says("1")  # Katalog layanan
        siti.says("kua kecamatan")
        # Earlier versions kept the rows shown as a list of maps on the contact.
        siti.contact["menu"] = [{"id": rid, "title": title} for rid, title in menus.rows_kept(siti.contact)]
        siti.says("2")
        assert body(only(siti)).startswith("Layanan KUA Kecamatan Socah")

    def test_asking_for_a_service_gives_the_checklist_and_a_reference_and_records_the_request(self):
        siti = citizen()
        decision = siti.says("", choice="r:kua-socah:nikah")
        reference = refs.reference("L", siti.last_wamid)
        text = body(only(siti))
        assert reference in text
        for requirement in CONFIG.unit("kua-socah").service("nikah").requirements:
            assert f"☐ {requirement}" in text
        [(collection, _, record)] = decision.writes
        assert collection == "service_requests"
        assert record == {"office": CONFIG.office, "unit": "kua-socah", "service": "nikah",
                          "contact_id": siti.contact_id, "reference": reference, "requested_at": THURSDAY_10,
                          "channel": "whatsapp", "expire_at": THURSDAY_10 + retention.SERVICE}  # kept a year
        assert labels.REQUEST in siti.contact["labels"]
        siti.says("cek tiket")
        assert reference in body(only(siti)) and "Pendaftaran nikah (KUA Socah)" in body(only(siti))

    def test_with_no_requests_yet_the_ticket_check_says_how_to_make_one(self):
        siti = citizen()
        siti.picks("Cek tiket")
        assert "Katalog layanan" in body(only(siti))


class TestQuickReplies:
    @pytest.mark.parametrize("typed", ["jam buka?", "JAM BUKANYA KAPAN", "jambuka brp ya", "jam oprasional"])
    def test_opening_hours_despite_case_spacing_and_typos(self, typed):
        siti = citizen()
        siti.says(typed)
        assert "Senin–Kamis 07.30–16.00, Jumat 07.30–16.30 WIB" in body(only(siti))

    def test_a_quick_reply_can_answer_with_a_service_card(self):
        siti = citizen()
        siti.says("syarat umroh gimana?")
        assert body(only(siti)).startswith("*Rekomendasi Paspor untuk Jemaah Umrah*")

    def test_cost_questions_are_answered_free(self):
        siti = citizen()
        siti.says("biayanya berapa?")
        assert "gratis" in body(only(siti)).lower()


class TestNeverSilent:
    def test_unknown_text_gets_a_short_help_and_the_menu(self):
        siti = citizen()
        siti.says("qwerty zxcv")
        menu = only(siti)
        assert body(menu).startswith("Maaf, kami belum memahami") and "Katalog layanan" in titles(menu)

    @settings(max_examples=60, deadline=None)
    @given(st.text(max_size=80))
    def test_whatever_a_citizen_types_the_bot_answers(self, typed):
        siti = citizen()
        assert siti.replies(siti.says(typed))

    def test_a_picture_gets_a_polite_text(self):
        siti = citizen()
        siti.says(kind="image")
        assert body(only(siti)).startswith("Mohon maaf")


class TestAwayMessage:
    @pytest.mark.parametrize("moment, away, person_answers", [
        (wib(2026, 1, 8, 15, 59), False, None),
        (wib(2026, 1, 8, 16, 0), True, "Jumat, 9 Januari 2026 pukul 07.30 WIB"),
        (wib(2026, 1, 9, 16, 29), False, None),
        (wib(2026, 1, 9, 16, 30), True, "Senin, 12 Januari 2026 pukul 07.30 WIB"),
        (wib(2026, 1, 16, 10, 0), True, "Senin, 19 Januari 2026 pukul 07.30 WIB"),  # Isra Mikraj
    ])
    def test_the_menu_is_served_at_any_hour_and_says_when_a_person_answers(self, moment, away, person_answers):
        siti = citizen(now=moment)
        siti.says("menu")
        menu = only(siti)
        assert "Katalog layanan" in titles(menu)
        assert ("di luar jam layanan" in body(menu)) is away
        if away:
            assert person_answers in body(menu)

    def test_on_a_holiday_the_holiday_is_named(self):
        siti = citizen(now=wib(2026, 1, 16, 10, 0))
        siti.says("menu")
        assert "(Isra Mikraj Nabi Muhammad)" in body(only(siti))

    def test_an_office_closure_is_named_too(self):
        config = seed_config(closures=[{"from": "2026-01-08", "reason": "rapat kerja kantor"}])
        siti = citizen(config=config)
        siti.says("menu")
        assert "(rapat kerja kantor)" in body(only(siti)) and "Jumat, 9 Januari 2026" in body(only(siti))

    def test_at_friday_noon_the_citizen_hears_the_desk_is_at_prayer_and_when_it_reopens(self):
        siti = citizen(now=wib(2026, 1, 9, 12, 0))
        siti.says("halo")
        said = body(only(siti))
        assert "(istirahat salat Jumat)" in said and "Jumat, 9 Januari 2026 pukul 13.00 WIB" in said

    def test_a_closure_of_part_of_a_day_is_named_and_the_next_opening_given(self):
        config = seed_config(closures=[{"from": "2026-01-08 12:00", "to": "2026-01-08 16:00", "reason": "upacara"}])
        siti = citizen(now=wib(2026, 1, 8, 13, 0), config=config)
        siti.says("menu")
        assert "(upacara)" in body(only(siti)) and "Jumat, 9 Januari 2026 pukul 07.30 WIB" in body(only(siti))

    def test_in_ramadan_the_hours_given_are_ramadans_and_the_desk_opens_at_eight(self):
        siti = citizen(now=wib(2027, 2, 9, 7, 40))
        siti.says("jam buka?")
        said = body(only(siti))
        assert "Senin–Kamis 08.00–15.00, Jumat 08.00–15.30 WIB selama jam kerja Ramadan 1448 H" in said
        assert "Selasa, 9 Februari 2027 pukul 08.00 WIB" in said

    def test_any_text_an_office_rewrote_with_its_hours_gives_ramadans_hours_in_ramadan(self):
        config = seed_config(texts={"thanks_reply": "Sama-sama. Kami melayani {hours}."})
        siti = citizen(now=wib(2027, 2, 9, 9, 0), config=config)
        siti.says("makasih")
        assert "Senin–Kamis 08.00–15.00, Jumat 08.00–15.30 WIB selama jam kerja Ramadan 1448 H" in body(only(siti))


class TestHandOff:
    def test_asking_for_an_officer_pauses_the_bot_and_tells_the_officers_on_duty(self):
        siti = citizen()
        decision = siti.picks("Bicara dengan petugas")
        assert "teruskan ke petugas" in body(only(siti))
        [notice] = [o for o in decision.outgoing if o.to != CITIZEN]
        # Thursday: only the officer on duty Monday to Friday, not the Monday/Wednesday/Friday one.
        assert (notice.to, notice.purpose, notice.contact_id) == (OFFICER, "relay", siti.contact_id)
        assert siti.contact["handle"] in body(notice.content)
        assert siti.contact["handoff"]["until"] == THURSDAY_10 + dt.timedelta(minutes=CONFIG.handoff_minutes)
        assert labels.ASKED_FOR_OFFICER in siti.contact["labels"]

    def test_while_paused_messages_go_to_the_officer_and_the_citizen_hears_once_that_they_did(self):
        siti = citizen()
        siti.picks("Bicara dengan petugas")
        first = siti.says("Berkas nikah saya kurang apa ya?")
        assert body(only(siti)) == CONFIG.text("handoff_ack")
        assert [o.to for o in first.outgoing if o.to != CITIZEN] == [OFFICER]
        second = siti.says("jam buka")  # no quick reply while a person is handling the conversation
        assert siti.replies(second) == []
        assert "jam buka" in body(second.outgoing[0].content)

    def test_menu_ends_the_hand_off(self):
        siti = citizen()
        siti.picks("Bicara dengan petugas")
        siti.says("MENU")
        assert siti.contact["handoff"] is None and labels.ASKED_FOR_OFFICER not in siti.contact["labels"]
        assert "Katalog layanan" in titles(only(siti))

    def test_after_the_pause_the_bot_answers_again(self):
        siti = citizen()
        siti.picks("Bicara dengan petugas")
        siti.now += dt.timedelta(minutes=CONFIG.handoff_minutes)
        siti.says("jam buka")
        assert "Senin–Kamis" in body(only(siti)) and siti.contact["handoff"] is None

    def test_outside_hours_the_pause_counts_from_the_next_opening_and_says_when(self):
        siti = citizen(now=wib(2026, 1, 8, 20, 0))
        siti.picks("Bicara dengan petugas")
        assert "Jumat, 9 Januari 2026 pukul 07.30 WIB" in body(only(siti))
        assert siti.contact["handoff"]["until"] == wib(2026, 1, 9, 7, 30) + dt.timedelta(minutes=CONFIG.handoff_minutes)
        # Friday's roster: both hotline officers.
        assert sorted(o.to for o in siti.decisions[-1].outgoing if o.to != CITIZEN) == [OFFICER, OFFICER_MWF]

    def test_without_hotline_staff_the_citizen_is_told_where_to_go_instead_of_waiting(self):
        siti = citizen(config=seed_config(staff=[]))
        siti.picks("Bicara dengan petugas")
        assert "belum ada petugas" in body(only(siti)) and "handoff" not in siti.contact


class TestStaff:
    def handed_off(self):
        siti = citizen()
        siti.picks("Bicara dengan petugas")
        siti.says("Berkas saya kurang apa?")
        return siti

    def test_an_officer_answers_by_quoting_and_the_citizen_gets_it(self):
        siti = self.handed_off()
        later = THURSDAY_10 + dt.timedelta(minutes=30)
        budi = officer(now=later)
        decision = budi.says("Kurang fotokopi KK, Bu.", quoted="wamid.RELAYED", target=siti.contact)
        [to_citizen] = [o for o in decision.outgoing if o.to == CITIZEN]
        assert (to_citizen.purpose, to_citizen.contact_id) == ("relay", siti.contact_id)
        assert body(to_citizen.content) == CONFIG.text("staff_reply", text="Kurang fotokopi KK, Bu.")
        assert budi.replies(decision) and "Terkirim" in body(budi.replies(decision)[0])
        assert labels.ANSWERED_BY_OFFICER in decision.target_changes["labels"]
        assert decision.target_changes["handoff"]["until"] == later + dt.timedelta(minutes=CONFIG.handoff_minutes)

    def test_an_officer_answers_with_a_command_and_the_citizens_code(self):
        siti = self.handed_off()
        decision = officer().says(f"#balas {siti.contact['handle'].lower()} Sudah lengkap.", target=siti.contact)
        assert [body(o.content) for o in decision.outgoing if o.to == CITIZEN] == [
            CONFIG.text("staff_reply", text="Sudah lengkap.")]

    def test_the_adapter_is_told_which_citizen_to_look_up(self):
        from jaring.hotline import staff
        from jaring.whatsapp.webhook import InboundMessage

        def message(sender, text, quoted=""):
            return InboundMessage("w", "1", sender, "", "text", THURSDAY_10, text=text, quoted_wamid=quoted)

        assert staff.wanted(message(OFFICER, "#balas w2abcde ok"), CONFIG) == ("handle", "W2ABCDE")
        assert staff.wanted(message(OFFICER, "ok", quoted="wamid.X"), CONFIG) == ("wamid", "wamid.X")
        assert staff.wanted(message(CITIZEN, "#balas W2ABCDE ok"), CONFIG) is None

    def test_a_strangers_staff_command_is_refused_and_relays_nothing(self):
        mallory = Person(CONFIG, "628999000111", THURSDAY_10)
        decision = mallory.says("#balas W2ABCDE transfer ke rekening ini")
        assert [o.to for o in decision.outgoing] == [mallory.number]
        assert "hanya untuk petugas" in body(only(mallory))

    def test_an_unknown_code_or_an_unrelated_quote_is_explained(self):
        assert "tidak ditemukan" in body(only(_said(officer(), "#balas WZZZZZZ halo")))
        assert "bukan pesan warga" in body(only(_said(officer(), "halo", quoted="wamid.MENU")))

    def test_after_24_hours_the_officer_is_told_whatsapp_will_not_deliver(self):
        siti = self.handed_off()
        decision = officer(now=THURSDAY_10 + dt.timedelta(hours=25)).says("Maaf terlambat", quoted="w",
                                                                          target=siti.contact)
        assert all(o.to != CITIZEN for o in decision.outgoing) and "24 jam" in body(decision.outgoing[0].content)

    def test_finish_and_labels(self):
        siti = self.handed_off()
        done = officer().says(f"#tutup {siti.contact['handle']}", target=siti.contact)
        assert done.target_changes["handoff"] is None
        assert labels.ASKED_FOR_OFFICER not in done.target_changes["labels"]
        assert [body(o.content) for o in done.outgoing if o.to == CITIZEN] == [CONFIG.text("handoff_end")]
        labelled = officer().says(f"#label {siti.contact['handle']} Perlu Telepon", target=siti.contact)
        assert "perlu_telepon" in labelled.target_changes["labels"]
        assert "perlu_telepon" not in officer().says(f"#hapuslabel {siti.contact['handle']} perlu_telepon",
                                                     target={**siti.contact, **labelled.target_changes}
                                                     ).target_changes["labels"]

    def test_anything_else_from_an_officer_gets_the_command_list(self):
        assert "#balas KODE" in body(only(_said(officer(), "selamat pagi")))


def _said(person, text, **kw):
    person.says(text, **kw)
    return person


class TestComplaint:
    def tell(self, siti, what="Antrean di loket haji lama sekali, petugas tidak ada."):
        siti.picks("Pengaduan")
        siti.says(what)
        siti.picks("Berikutnya »")  # Haji dan Umrah is on the first page; this checks paging works in intake
        siti.picks("« Sebelumnya")
        siti.picks("Haji dan Umrah")
        siti.says("Senin pagi")
        siti.picks("Lewati")
        siti.says("Saya menunggu dua jam, tidak ada yang melayani.")
        siti.picks("Tidak ada")
        return siti

    def test_a_guided_complaint_gets_a_number_deadlines_and_reaches_the_officer_and_the_unit(self):
        siti = self.tell(citizen())
        assert "Periksa pengaduan Bapak/Ibu" in body(siti.replies()[0])
        decision = siti.picks("Kirim")
        [(collection, _, record)] = decision.writes
        assert collection == "complaints" and record["details"]["what"].startswith("Antrean di loket haji")
        assert (record["unit"], record["status"]) == ("haji", "received")
        receipt = body(siti.replies()[0])
        assert record["reference"] in receipt and record["reference"].startswith("P-")
        assert "Selasa, 13 Januari 2026" in receipt  # three working days from Thursday 8 January
        # the hotline officer on duty, and the haji unit's officer (also on the hotline, told once)
        assert sorted(o.to for o in decision.outgoing if o.to != CITIZEN) == [OFFICER, OFFICER_MWF]
        assert all(o.meta["reference"] == record["reference"] for o in decision.outgoing if o.to != CITIZEN)
        assert labels.COMPLAINT in siti.contact["labels"] and siti.contact["intake"] is None
        assert CITIZEN not in str(record)

    def test_batal_cancels_and_menu_leaves_the_intake(self):
        siti = citizen()
        siti.picks("Pengaduan")
        assert siti.says("batal").writes == [] and siti.contact["intake"] is None
        siti.says("pengaduan")  # typed: the main menu's rows work anywhere
        siti.says("Antrean lama")
        assert "Di unit mana" in body(only(siti))
        siti.says("MENU")
        assert siti.contact["intake"] is None and "Katalog layanan" in titles(only(siti))


class TestOtherMenuPaths:
    def test_the_violation_report_path_protects_the_reporter_and_labels_no_one(self):
        siti = citizen()
        before = list(siti.contact["labels"])
        siti.picks("Lapor pelanggaran")
        intro, choices = siti.replies()
        assert "Identitas Bapak/Ibu kami lindungi" in body(intro) and "Inspektorat" in body(intro)
        assert titles(choices) == ["Mulai laporan", "Cek laporan", "Menu utama"]
        assert siti.contact["labels"] == before

    def test_the_survey_path_says_how_and_gives_the_form_when_the_office_has_one(self):
        siti = citizen()
        siti.picks("Isi survei")
        assert "tautan survei" in body(only(siti)) and labels.SURVEY_PENDING in siti.contact["labels"]
        config = seed_config(survey={**seed_data()["survey"], "form_url": "https://forms.gle/x"})
        other = citizen(config=config)
        other.picks("Isi survei")
        assert "https://forms.gle/x" in body(only(other))


class TestRights:
    def test_berhenti_stops_reminders_but_not_answers_and_mulai_resumes(self):
        siti = citizen()
        siti.says("BERHENTI")
        assert siti.contact["opted_out_at"] == THURSDAY_10 and labels.OPTED_OUT in siti.contact["labels"]
        assert not conversation.may_send(siti.contact, "nudge") and conversation.may_send(siti.contact, "reply")
        siti.says("jam buka")
        assert siti.replies()
        siti.says("Mulai")
        assert siti.contact["opted_out_at"] is None and conversation.may_send(siti.contact, "invitation")

    @pytest.mark.parametrize("first_words", ["BERHENTI", "MULAI"])
    def test_a_citizen_whose_first_words_claim_a_right_is_told_what_is_kept_once(self, first_words):
        siti = citizen(greeted=False)
        siti.says(first_words)
        notice = CONFIG.text("notice", consent=CONFIG.consent())
        assert notice in body(only(siti)) and siti.contact["notice"]["version"] == CONFIG.consent_version
        siti.says("BERHENTI")
        assert notice not in body(only(siti))

    @pytest.mark.parametrize("typed", ["STOP", "stop", "Berhenti", "berhnti"])
    def test_stop_however_it_is_typed(self, typed):
        siti = citizen()
        siti.says(typed)
        assert siti.contact["opted_out_at"] == THURSDAY_10

    @pytest.mark.parametrize("greeted", [True, False])
    def test_hapus_data_confirms_and_asks_the_adapter_to_erase(self, greeted):
        siti = citizen(greeted=greeted)
        decision = siti.says("HAPUS DATA")
        assert decision.erase_contact and "hapus" in body(only(siti))
