"""What a citizen is told about their data and what they can do with it (issue 14, UU 27/2022 art. 5-9,
20-21): a short notice with the first answer, the full notice on PRIVASI, DATA SAYA answered with what the
office holds, and a bare "hapus" that asks before anything is erased. Through the real webhook, the Firestore
emulator and the Graph stand-in."""
import re

import pytest

from jaring import inbox
from jaring.hotline import holdings
from jaring.whatsapp.webhook import parse_notification
from tests.integration.cases.test_complaints import complaint_reference, file_complaint
from tests.support import admin as admin_api, forms as form_answers, meta
from tests.support.dialogue import configured, seed_config
from tests.support.whatsapp_user import WhatsAppUser, text_of, titles

CITIZEN, OTHER = "628123450041", "628123450042"
OFFICER = "petugas@example.go.id|officer|kemenag-bangkalan|umum"
CONFIG = seed_config()


@pytest.fixture
def office(db, jaring):
    form_answers.register_forms(db)
    return configured(jaring)


@pytest.fixture
def desk(functions_client, office):
    """An officer at the counter, through admin_api."""
    return admin_api.caller(functions_client, OFFICER)


def served_at_the_desk(desk, consent=True):
    """The officer records a finished service for the citizen, who agreed (or not) at the counter to the survey."""
    return desk("POST", "/tickets", {"phone": CITIZEN, "consent": consent, "completed": True,
                                     "service": "Konsultasi"}).get_json()["ticket"]["id"]


def contacts(db):
    return [d.to_dict() for d in db.collection("contacts").stream()]


def the_contact(db, number=CITIZEN):
    return next((c for c in contacts(db) if c.get("wa_id") == number), None)


def test_the_first_answer_says_in_a_few_lines_what_is_kept_why_how_long_the_rights_and_whom_to_ask(office, webhook,
                                                                                                  graph):
    first = text_of(WhatsAppUser(webhook, graph, CITIZEN).says("Halo"))
    for said in ("nomor WhatsApp", "nama profil", "isi pesan",  # what
                 "permohonan, pengaduan, dan survei",  # why
                 "1 tahun",  # how long
                 "DATA SAYA", "HAPUS DATA", "BERHENTI",  # access, erasure, withdrawal
                 "PPID", "PRIVASI"):  # correction and questions; the full text
        assert said in first, said
    assert len(CONFIG.consent()) < 500  # a few lines, not the full notice


def test_privasi_sends_the_full_notice_with_every_right_and_the_contact_point(office, webhook, graph):
    notice = text_of(WhatsAppUser(webhook, graph, CITIZEN).consents().says("PRIVASI"))
    for said in ("Yang kami simpan", "Untuk apa", "Berapa lama", "90 hari", "WBS", "DATA SAYA", "PETUGAS",
                 "HAPUS DATA", "BERHENTI", "PPID", CONFIG.address):
        assert said in notice, said


def test_data_saya_lists_what_the_office_holds_about_this_citizen_and_nothing_of_anyone_else(office, webhook,
                                                                                            graph, db):
    siti = WhatsAppUser(webhook, graph, CITIZEN, name="Siti Aminah").consents()
    reference = complaint_reference(file_complaint(siti, asking="sy mau komplain"))
    budi = WhatsAppUser(webhook, graph, OTHER, name="Budi Santoso").consents()
    other = complaint_reference(file_complaint(budi, asking="sy mau komplain"))

    answer = text_of(siti.says("data saya"))
    assert f"+{CITIZEN}" in answer and "Siti Aminah" in answer
    assert reference in answer and "menunggu verifikasi" in answer
    assert "Pengingat dan survei: aktif" in answer
    assert "Laporan pelanggaran (WBS) tidak tercantum" in answer and "HAPUS DATA" in answer
    assert OTHER not in answer and "Budi" not in answer and other not in answer
    assert the_contact(db) is not None  # asking to see is not asking to erase


def test_a_bare_hapus_asks_first_and_tidak_jadi_keeps_everything(office, webhook, graph, db):
    siti = WhatsAppUser(webhook, graph, CITIZEN).consents()
    [question] = siti.says("hapus")
    assert titles(question) == ["Ya, hapus data", "Tidak jadi"]
    assert the_contact(db) is not None
    assert text_of(siti.taps("Tidak jadi")) == CONFIG.text("erase_kept")
    assert the_contact(db) is not None


@pytest.mark.parametrize("confirm", ["tap", "ya"])
def test_a_bare_hapus_erases_after_the_citizen_confirms(office, webhook, graph, db, confirm):
    siti = WhatsAppUser(webhook, graph, CITIZEN).consents()
    siti.says("hapus")
    answer = siti.taps("Ya, hapus data") if confirm == "tap" else siti.says("ya")
    assert text_of(answer) == CONFIG.text("erased")
    assert the_contact(db) is None


@pytest.mark.parametrize("words", ["ya hapus", "iya, hapus saja", "ya boleh dihapus", "hapus aja"])
def test_a_bare_hapus_answered_in_words_that_say_yes_erases(office, webhook, graph, db, words):
    siti = WhatsAppUser(webhook, graph, CITIZEN).consents()
    siti.says("hapus")
    assert text_of(siti.says(words)) == CONFIG.text("erased")
    assert the_contact(db) is None


@pytest.mark.parametrize("words", ["jangan dihapus", "gak usah dihapus", "jgn"])
def test_a_bare_hapus_answered_in_words_that_say_no_keeps_everything_and_says_so(office, webhook, graph, db, words):
    siti = WhatsAppUser(webhook, graph, CITIZEN).consents()
    siti.says("hapus")
    assert text_of(siti.says(words)) == CONFIG.text("erase_kept")
    assert the_contact(db) is not None


@pytest.mark.parametrize("words", ["jangan kirim survei lagi", "saya tidak mau disurvei", "gausah kirim survey lagi",
                                   "tidak usah kirimi saya survei"])
def test_a_citizen_who_asks_for_no_more_surveys_in_their_own_words_is_withdrawn_not_sent_the_survey(
        office, webhook, graph, db, words):
    siti = WhatsAppUser(webhook, graph, CITIZEN).consents()
    assert text_of(siti.says(words)) == CONFIG.text("opt_out")
    assert the_contact(db)["opted_out_at"] is not None


def test_the_answer_to_hapus_is_not_taken_for_a_survey_invitation_that_came_before(office, webhook, graph, db, desk):
    siti = WhatsAppUser(webhook, graph, CITIZEN).consents()
    served_at_the_desk(desk)
    assert "survei" in siti.last_text()
    siti.says("hapus")
    assert text_of(siti.says("ya")) == CONFIG.text("erased")
    assert the_contact(db) is None


@pytest.mark.parametrize("agreed, said", [(True, "disetujui kepada petugas"), (False, "tidak disetujui kepada petugas")])
def test_data_saya_says_what_the_citizen_told_the_officer_about_the_survey(office, webhook, graph, desk, agreed, said):
    siti = WhatsAppUser(webhook, graph, CITIZEN).consents()
    ticket = served_at_the_desk(desk, consent=agreed)
    answer = text_of(siti.says("DATA SAYA")[-1:])
    assert f"Survei kepuasan ke nomor ini: {said} (tiket {ticket}, " in answer


def test_data_saya_counts_every_ticket_and_lists_the_newest(office, webhook, graph, desk):
    siti = WhatsAppUser(webhook, graph, CITIZEN).consents()
    tickets = [served_at_the_desk(desk) for _ in range(holdings.SHOWN + 2)]
    answer = text_of(siti.says("DATA SAYA")[-1:])
    assert f"• Tiket layanan ({holdings.SHOWN + 2}, {holdings.SHOWN} terbaru):" in answer
    assert sum(ticket in answer for ticket in tickets) == holdings.SHOWN


def test_data_saya_in_the_middle_of_a_complaint_is_answered_and_the_complaint_asks_its_question_again(
        office, webhook, graph, db):
    siti = WhatsAppUser(webhook, graph, CITIZEN).consents()
    siti.says("sy mau komplain")
    siti.says("Sudah 3 kali bolak-balik ke KUA untuk legalisir buku nikah, belum selesai")
    [when] = siti.says("3")  # the third unit in the list
    assert "Langkah 3 dari 6" in text_of([when])
    answer = text_of(siti.says("data saya"))
    assert "Data Bapak/Ibu yang disimpan" in answer and "Pengaduan yang sedang diisi: belum dikirim" in answer
    assert answer.rstrip().endswith(text_of([when]).rstrip())  # then the same question again
    assert "Langkah 4 dari 6" in text_of(siti.says("Senin kemarin, sekitar jam 10"))
    answers = the_contact(db)["intake"]["answers"]
    assert "Senin kemarin, sekitar jam 10" in answers.values() and "data saya" not in answers.values()


def requests_service(siti, place="KUA Socah"):
    """The citizen asks for marriage registration at a KUA in the catalogue; the request's reference."""
    siti.says("syarat nikah apa aja?")
    siti.taps(place)
    [done] = siti.taps("Ajukan layanan")
    return next(w for w in text_of([done]).replace("*", " ").split() if w.startswith("L-"))


def test_data_saya_names_where_each_service_request_was_made(office, webhook, graph):
    siti = WhatsAppUser(webhook, graph, CITIZEN).consents()
    reference = requests_service(siti)
    assert f"{reference} (" in (answer := text_of(siti.says("data saya")))
    assert "Pendaftaran nikah, KUA Socah" in answer


def test_data_saya_counts_every_service_request_and_lists_the_newest(office, webhook, graph):
    siti = WhatsAppUser(webhook, graph, CITIZEN).consents()
    references = [requests_service(siti) for _ in range(holdings.SHOWN + 1)]
    answer = text_of(siti.says("data saya"))
    assert f"• Permohonan layanan ({holdings.SHOWN + 1}, {holdings.SHOWN} terbaru):" in answer
    assert sum(reference in answer for reference in references) == holdings.SHOWN


@pytest.mark.parametrize("before", [[], ["BERHENTI"]])
def test_data_saya_as_a_first_answer_comes_after_the_notice_and_counts_it(office, webhook, graph, before):
    siti = WhatsAppUser(webhook, graph, CITIZEN)
    notice = CONFIG.text("notice", consent=CONFIG.consent())
    for words in before:  # the notice comes with the first answer, whatever it answers
        assert notice in text_of(siti.says(words))
    said = siti.says("DATA SAYA")
    if not before:
        assert text_of([said[0]]) == notice
    assert text_of(said).count(notice) == (0 if before else 1)
    assert "Pemberitahuan privasi: sudah dikirim" in text_of([said[-1]])
    assert "terhapus otomatis pada" in text_of([said[-1]])  # the retention the notice states, from today


def test_the_erasure_confirms_erasing_what_the_question_named(office, webhook, graph):
    siti = WhatsAppUser(webhook, graph, CITIZEN).consents()
    question = text_of(siti.says("hapus"))
    named = re.search(r"\((nomor[^)]*)\)", question)[1]
    assert f"({named})" in text_of(siti.taps("Ya, hapus data"))


def test_the_notice_and_data_saya_say_a_complaint_is_kept_longer_than_the_rest(office, webhook, graph):
    siti = WhatsAppUser(webhook, graph, CITIZEN).consents()
    assert "pengaduan 2 tahun sejak diterima" in text_of(siti.says("PRIVASI"))
    assert "pengaduan" not in text_of(siti.says("DATA SAYA")).split("terhapus otomatis pada")[1].split("\n")[0]
    file_complaint(siti, asking="sy mau komplain")
    kept = text_of(siti.says("DATA SAYA")).split("terhapus otomatis pada")[1].split("\n")[0]
    assert "pengaduan 2 tahun sejak diterima" in kept


def test_a_message_written_while_the_erasure_is_under_way_is_answered_as_from_someone_new(office, webhook, graph, db,
                                                                                          jaring, monkeypatch):
    siti = WhatsAppUser(webhook, graph, CITIZEN, name="Siti Aminah").consents()
    erase = jaring.store.erase_contact
    monkeypatch.setattr(jaring.store, "erase_contact", lambda *a: (_ for _ in ()).throw(RuntimeError("cut")))
    request = siti.wamid()
    with pytest.raises(RuntimeError):  # the confirmation went out, the erasure is not done (Meta delivers it again)
        inbox.handle(jaring, parse_notification(meta.inbound(meta.text(CITIZEN, "HAPUS DATA", wamid=request))))
    monkeypatch.setattr(jaring.store, "erase_contact", erase)
    answer = text_of(siti.says("halo lagi")[-1:])
    assert "Halo Siti Aminah" not in answer and "Sekilas tentang data Bapak/Ibu" in answer
    assert the_contact(db).get("greeted_at") is not None and the_contact(db).get("erasing_at") is None
    assert siti.post(meta.text(CITIZEN, "HAPUS DATA", wamid=request)) == 200  # delivered again: the erasure ends,
    assert the_contact(db) is None  # taking what was written meanwhile with it


def test_data_saya_says_consent_to_the_survey_was_withdrawn_after_berhenti(office, webhook, graph, desk):
    siti = WhatsAppUser(webhook, graph, CITIZEN).consents()
    served_at_the_desk(desk)
    siti.says("BERHENTI")
    consent = next(line for line in text_of(siti.says("DATA SAYA")).splitlines() if "Survei kepuasan" in line)
    assert consent.startswith("• Survei kepuasan ke nomor ini: disetujui kepada petugas")
    assert "; ditarik pada " in consent and consent.endswith(" (BERHENTI)")
