"""Guided intake, one question per message: what a citizen is asked, what they may skip, how photos are
kept, and when they are offered the WBS channel instead. Pure."""
import datetime as dt
import itertools

import pytest

from jaring.cases import intake, violations
from jaring.clock import WIB
from jaring.whatsapp.webhook import InboundMessage
from tests.support.dialogue import body, rows, seed_config

CONFIG = seed_config()
NOW = dt.datetime(2026, 1, 14, 10, tzinfo=WIB)
_ids = itertools.count(1)


def msg(text="", choice="", media=None, kind=""):
    kind = kind or ("image" if media else "interactive" if choice else "text")
    return InboundMessage(wamid=f"wamid.I{next(_ids)}", phone_number_id="1", sender="628123450001", name="Siti",
                          type=kind, sent_at=NOW, text=text, choice=choice, media=media)


class Citizen:
    def __init__(self, kind):
        self.state = intake.start(kind, NOW)
        self.replies = intake.first_prompt(self.state, CONFIG)
        self.outcome = ""

    def says(self, *args, **kw):
        progress = intake.advance(self.state, msg(*args, **kw), CONFIG)
        self.state, self.replies, self.outcome = progress.state, progress.replies, progress.outcome
        return self

    def taps(self, title):
        choice = dict((t, i) for content in self.replies for i, t in rows(content))[title]
        return self.says(title, choice=choice)

    def last(self):
        return body(self.replies[-1])


PHOTO = {"id": "1234567890", "mime_type": "image/jpeg", "sha256": "abc="}


def test_a_complaint_is_asked_step_by_step_and_checked_before_sending():
    siti = Citizen(intake.COMPLAINT)
    assert siti.last().startswith("Langkah 1 dari 6") and "Apa yang terjadi" in siti.last()
    siti.says("Antrian di loket sangat lama")
    assert "Di unit mana" in siti.last() and "Umum dan Tata Usaha" in [t for _, t in rows(siti.replies[-1])]
    siti.taps("Berikutnya »").taps("KUA Socah")  # the second page of 30 units
    assert siti.state["unit"] == "kua-socah"
    siti.says("Senin kemarin jam 9")
    assert "Siapa yang terlibat" in siti.last()
    siti.taps("Lewati")
    siti.says("Saya menunggu tiga jam tanpa kepastian")
    siti.says("", media=PHOTO)
    assert "Lampiran 1 diterima" in siti.last()
    siti.taps("Selesai")
    summary = body(siti.replies[0])
    socah = CONFIG.unit("kua-socah").name
    assert "Antrian di loket sangat lama" in summary and socah in summary
    assert "*Siapa:* -" in summary and "1 berkas" in summary
    siti.taps("Kirim")
    assert siti.outcome == intake.SEND
    assert siti.state["answers"] == {"what": "Antrian di loket sangat lama",
                                     "where": socah, "when": "Senin kemarin jam 9",
                                     "how": "Saya menunggu tiga jam tanpa kepastian"}
    assert siti.state["media"] == [{**PHOTO, "caption": ""}]
    assert len(siti.state["wamids"]) == 9  # every message of the intake, the page turn included


def test_a_typed_place_is_kept_as_typed_and_matched_to_a_unit_when_it_names_one():
    siti = Citizen(intake.COMPLAINT).says("Berkas hilang")
    siti.says("di KUA Socah kemarin")
    assert siti.state["unit"] == "kua-socah" and siti.state["answers"]["where"] == "di KUA Socah kemarin"
    other = Citizen(intake.COMPLAINT).says("Berkas hilang").says("parkiran belakang")
    assert other.state["unit"] == "" and other.state["answers"]["where"] == "parkiran belakang"


def test_required_questions_cannot_be_skipped_and_batal_cancels_anywhere():
    siti = Citizen(intake.COMPLAINT)
    siti.says("", choice="i:skip")
    assert siti.state["step"] == "what"
    siti.says("Berkas hilang").says("BATAL")
    assert siti.outcome == intake.CANCEL and siti.state is None
    assert "dibatalkan" in siti.last()


def test_a_photo_with_a_caption_answers_the_question_it_was_sent_for():
    siti = Citizen(intake.COMPLAINT).says("Pungutan parkir", media=PHOTO)
    assert siti.state["answers"]["what"] == "Pungutan parkir" and siti.state["step"] == "where"
    assert siti.state["media"][0]["caption"] == "Pungutan parkir"


def test_at_most_five_attachments_are_kept():
    siti = Citizen(intake.COMPLAINT)
    for _ in range(6):
        siti.says("", media=PHOTO)
    assert len(siti.state["media"]) == 5 and "Cukup 5 lampiran" in body(siti.replies[0])


def test_a_complaint_that_reads_like_a_violation_is_offered_the_wbs_channel_once():
    siti = Citizen(intake.COMPLAINT)
    for answer in ("Petugas minta uang 200 ribu supaya cepat", "PTSP", "Senin"):
        siti.says(answer)
    siti.taps("Lewati").says("Katanya uang rokok").taps("Tidak ada")
    assert siti.state["step"] == intake.OFFER and "WBS" in siti.last()
    assert "Pindah ke WBS" in [t for _, t in rows(siti.replies[-1])]
    kept = Citizen(intake.COMPLAINT)
    kept.state, kept.replies = dict(siti.state), siti.replies
    kept.taps("Tetap pengaduan")
    assert kept.state["step"] == intake.CONFIRM
    siti.taps("Pindah ke WBS")
    assert siti.outcome == intake.MOVE


def test_a_violation_report_never_repeats_its_content_back():
    ani = Citizen(intake.WBS)
    assert "Jangan tulis nama atau nomor Bapak/Ibu sendiri" in ani.last()
    secrets_told = ["Pak X bagian keuangan", "Minta uang pelicin", "Desember 2025", "Kantor", "Lewat perantara",
                    "Ada rekaman suara"]
    for answer in secrets_told:
        ani.says(answer)
    assert ani.state["step"] == intake.CONFIRM
    assert not any(s in body(c) for c in ani.replies for s in secrets_told)
    ani.taps("Kirim laporan")
    assert ani.outcome == intake.SEND and ani.state["answers"]["evidence"] == "Ada rekaman suara"


@pytest.mark.parametrize("text, violation", [
    ("Petugas meminta uang pelicin", True), ("Ada CALO di depan kantor", True), ("pungli!", True),
    ("Saya dimintai uang 50rb", True), ("Kami siap menunggu", False), ("Antriannya lama sekali", False),
    ("Ruang tunggu panas", False),
])
def test_what_reads_like_a_violation(text, violation):
    assert violations.reads_like_violation([text]) is violation
