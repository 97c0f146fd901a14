"""The hotline end to end, as citizens and officers use it: Meta's webhook in, Firestore (emulator) in
between, the Graph API stand-in out. Time is the injected clock (Thursday 8 January 2026, 10.00 WIB)."""
import base64
import datetime as dt

import pytest

from jaring import inbox
from jaring.clock import WIB
from jaring.hotline import labels
from jaring.messaging import delivery
from jaring.messaging import menus
from jaring.messaging import outbox
from jaring.messaging.outbox import Outgoing
from jaring.whatsapp import messages
from jaring.whatsapp.webhook import parse_notification
from tests.conftest import OFFICE
from tests.support import meta
from tests.support.dialogue import PARENTS, body, seed_config
from tests.support.whatsapp_user import WhatsAppUser, text_of, titles

CITIZEN = "628123450001"
OFFICER = "628001000001"  # the seed's hotline officer on duty Monday to Friday
STRANGER = "628777000999"
CONFIG = seed_config()


@pytest.fixture
def siti(webhook, graph):
    return WhatsAppUser(webhook, graph, CITIZEN)


@pytest.fixture
def budi(webhook, graph):
    return WhatsAppUser(webhook, graph, OFFICER, name="Budi Petugas")


def consented(user):
    """A citizen who has greeted the office (and so seen the privacy notice once)."""
    user.says("Assalamualaikum")
    return user


def docs(db, collection):
    return [d.to_dict() for d in db.collection(collection).stream()]


def wib(*args):
    return dt.datetime(*args, tzinfo=WIB)


class TestACitizensVisit:
    def test_answer_with_the_notice_catalogue_paging_and_a_service_request(self, siti, db):
        [answer] = siti.says("Assalamualaikum, mau tanya syarat nikah")  # answered first: where, then the card
        assert body(answer).startswith("Pendaftaran nikah") and titles(answer)[0] == "KUA Bangkalan"
        assert "BERHENTI" in body(answer) and "HAPUS DATA" in body(answer)  # the notice, below the answer

        [menu] = siti.says("menu")
        assert titles(menu) == [title for _, title, _ in menus.MAIN]
        [contact] = docs(db, "contacts")
        assert contact["notice"]["version"] == CONFIG.consent_version and "consent" not in contact

        siti.taps("Katalog layanan")
        [page_1] = siti.taps("KUA Kecamatan")
        assert len(titles(page_1)) == 9 and titles(page_1)[-1] == menus.NEXT
        [page_2] = siti.taps(menus.NEXT)
        assert "KUA Kwanyar" in titles(page_2) and menus.PREVIOUS in titles(page_2)
        siti.taps("KUA Kwanyar")
        [card] = siti.taps("Pendaftaran nikah")
        assert "Kantor KUA Kecamatan Kwanyar" in card["interactive"]["body"]["text"]
        [done] = siti.taps("Ajukan layanan")

        [request] = docs(db, "service_requests")
        assert request["reference"] in done["text"]["body"]
        assert {k: request[k] for k in ("office", "unit", "service", "contact_id", "channel")} == {
            "office": OFFICE, "unit": "kua-kwanyar", "service": "nikah", "contact_id": contact["contact_id"],
            "channel": "whatsapp"}
        assert CITIZEN not in str(request)
        assert request["reference"] in text_of(siti.says("cek tiket"))

    def test_a_quick_reply_with_a_typo_and_unknown_text_never_go_unanswered(self, siti):
        consented(siti)
        assert "Senin–Kamis 07.30–16.00" in text_of(siti.says("Jam bukak kntor kapan?"))
        [help_] = siti.says("asdfgh")
        assert help_["type"] == "interactive" and "Katalog layanan" in titles(help_)
        [polite] = siti.sends_a_photo()
        assert polite["type"] == "text" and "Mohon maaf" in polite["text"]["body"]


class TestOfficeHours:
    @pytest.mark.parametrize("moment, away_until", [
        (wib(2026, 1, 8, 15, 59), None),
        (wib(2026, 1, 8, 16, 0), "Jumat, 9 Januari 2026 pukul 07.30 WIB"),
        (wib(2026, 1, 9, 16, 29), None),
        (wib(2026, 1, 9, 16, 30), "Senin, 12 Januari 2026 pukul 07.30 WIB"),
        (wib(2026, 1, 16, 9, 0), "Senin, 19 Januari 2026 pukul 07.30 WIB"),  # Isra Mikraj
    ])
    def test_the_menu_is_always_served_and_says_when_a_person_will_answer(self, siti, clock, moment, away_until):
        clock.set(moment)
        [menu] = consented(siti).says("menu")
        assert "Katalog layanan" in titles(menu)
        text = menu["interactive"]["body"]["text"]
        if away_until:
            assert "di luar jam layanan" in text and away_until in text
        else:
            assert "di luar jam layanan" not in text


class TestHandOffAndRelay:
    def test_the_officer_gets_the_citizens_words_and_answers_by_quoting(self, siti, budi, db, jaring, clock):
        consented(siti)
        siti.taps("Bicara dengan petugas")
        [notice] = budi.new()
        code = docs(db, "contacts")[0]["handle"]
        assert code in notice["text"]["body"]
        assert [c["contact_id"] for c in jaring.store.contacts_labelled(OFFICE, labels.ASKED_FOR_OFFICER)] == [
            docs(db, "contacts")[0]["contact_id"]]

        [ack] = siti.says("Berkas nikah saya kurang apa ya?")
        assert ack["text"]["body"] == CONFIG.text("handoff_ack")
        [relayed] = budi.new()
        assert "Berkas nikah saya kurang apa ya?" in relayed["text"]["body"]
        assert siti.says("Halo?") == []  # a person has the conversation now; the bot keeps quiet
        budi.new()

        wamid = next(d["wamid"] for d in docs(db, "outbox")
                     if d.get("to") == OFFICER and "Berkas nikah" in outbox.content_of(d)["text"]["body"])
        clock.advance(minutes=5)
        [sent] = budi.says("Kurang fotokopi KK, Bu. Silakan dibawa besok.", quoting=wamid)
        assert "Terkirim" in sent["text"]["body"]
        [answer] = siti.new()
        assert answer["text"]["body"] == CONFIG.text("staff_reply", text="Kurang fotokopi KK, Bu. Silakan dibawa besok.")

        budi.says(f"#balas {code} Kantor buka sampai 16.00.")
        assert "Kantor buka sampai 16.00." in siti.last_text()
        budi.says(f"#label {code} perlu_telepon")
        budi.says(f"#tutup {code}")
        assert siti.last_text() == CONFIG.text("handoff_end")
        contact = docs(db, "contacts")
        [citizen_doc] = [c for c in contact if c["wa_id"] == CITIZEN]
        assert citizen_doc["handoff"] is None
        assert {"perlu_telepon", labels.ANSWERED_BY_OFFICER} <= set(citizen_doc["labels"])
        assert labels.ASKED_FOR_OFFICER not in citizen_doc["labels"]
        assert "Senin–Kamis" in text_of(siti.says("jam buka"))  # the bot answers again

    def test_a_strangers_staff_command_is_refused_and_reaches_no_one(self, siti, webhook, graph, db):
        consented(siti)
        siti.taps("Bicara dengan petugas")
        code = docs(db, "contacts")[0]["handle"]
        relay_wamid = next(d["wamid"] for d in docs(db, "outbox") if d.get("to") == OFFICER)
        before = len(siti.received())
        mallory = WhatsAppUser(webhook, graph, STRANGER, name="Mallory")
        [refusal] = mallory.says(f"#balas {code} Transfer biaya ke rekening 123")
        assert "hanya untuk petugas" in refusal["text"]["body"]
        mallory.says("Transfer biaya ke rekening 123", quoting=relay_wamid)
        assert len(siti.received()) == before
        assert all("rekening" not in text_of([m]) for m in siti.received())


class TestOptOut:
    def nudge(self, jaring, clock, n):
        contact = jaring.store.contact_by_handle(OFFICE, self.code)
        out = Outgoing(to=CITIZEN, content=messages.text(f"Pengingat survei {n}"), purpose="nudge",
                       contact_id=contact)
        assert jaring.store.enqueue(OFFICE, meta.OFFICE_NUMBER_ID, f"n{n}", out, clock.now())
        return delivery.retry_due(jaring)

    def test_berhenti_stops_nudges_and_mulai_lets_them_through_again(self, siti, jaring, clock, db):
        consented(siti)
        self.code = docs(db, "contacts")[0]["handle"]
        assert "MULAI" in siti.says("BERHENTI")[0]["text"]["body"]
        assert self.nudge(jaring, clock, 1)["failed"] == 1
        assert db.collection("outbox").document("n1").get().get("error")["reason"].startswith("opted_out")
        assert "Pengingat" not in text_of(siti.new())
        assert siti.says("jam buka")  # answers still come
        siti.says("MULAI")
        assert self.nudge(jaring, clock, 2)["sent"] == 1
        assert siti.last_text() == "Pengingat survei 2"


def every_document(db):
    """(path, data) of every document in every collection of the database."""
    for collection in db.collections():
        for snap in collection.stream():
            yield snap.reference.path, snap.to_dict()


class TestErasure:
    def full_history(self, siti, budi, db, clock):
        consented(siti)
        siti.taps("Katalog layanan")
        siti.taps("PTSP Kemenag")
        siti.taps("Bimas Islam")
        siti.taps("Izin majelis taklim")
        siti.taps("Ajukan layanan")
        siti.says("pengaduan")
        siti.says("Saya diminta uang tambahan di loket oleh orang yang mengaku petugas.")
        siti.says("loket PTSP")
        siti.says("tadi pagi")
        siti.taps("Lewati")
        siti.says("Langsung diminta saat menyerahkan berkas")
        siti.taps("Tidak ada")
        siti.taps("Tetap pengaduan")  # offered the WBS channel, she keeps it a complaint
        siti.taps("Kirim")
        siti.says("menu")
        siti.taps("Bicara dengan petugas")
        siti.says("Nomor saya 628123450001, tolong ditelepon.")
        clock.advance(minutes=3)
        budi.says(f"#balas {docs(db, 'contacts')[0]['handle']} Baik, kami telepon siang ini.")
        assert siti.new()[-1]["text"]["body"].endswith("Baik, kami telepon siang ini.")

    def test_hapus_data_confirms_then_the_number_is_nowhere_in_firestore(self, siti, budi, db, clock, graph):
        self.full_history(siti, budi, db, clock)
        cid = next(c["contact_id"] for c in docs(db, "contacts") if c["wa_id"] == CITIZEN)
        db.collection("invitations").document("T1").set({"office": OFFICE, "contact_id": cid, "state": "sent"})
        needles = [CITIZEN, base64.b64encode(CITIZEN.encode()).decode(), "Siti Warga",
                   "diminta uang tambahan", "tolong ditelepon"]
        before = str(list(every_document(db)))
        assert all(needle in before for needle in needles)  # so the scan below can find them if left

        [confirmation] = siti.says("HAPUS DATA")
        assert confirmation["text"]["body"] == CONFIG.text("erased")

        for path, data in every_document(db):
            for needle in needles:
                assert needle not in path and needle not in str(data), (needle, path)
        assert not any(d.get("wa_id") == CITIZEN for d in docs(db, "contacts"))
        # The anonymous counts stay: one request, one complaint, every message still counted.
        [request] = docs(db, "service_requests")
        [complaint] = docs(db, "complaints")
        assert (request["service"], request["office"]) == ("majelis-taklim", OFFICE) and complaint["office"] == OFFICE
        assert request["contact_id"] == complaint["contact_id"] != ""
        invitation = db.collection("invitations").document("T1").get().to_dict()
        assert invitation["state"] == "opted_out" and invitation["contact_id"] == request["contact_id"]
        citizens_messages = [d for d in docs(db, "inbound") if d["contact_id"] == request["contact_id"]]
        assert len(citizens_messages) == 19 and all("text" not in d for d in citizens_messages)

    def test_an_erasure_cut_short_is_finished_when_meta_delivers_the_request_again(self, siti, db, jaring,
                                                                                  monkeypatch):
        consented(siti)
        erase = jaring.store.erase_contact
        monkeypatch.setattr(jaring.store, "erase_contact", lambda *a: (_ for _ in ()).throw(RuntimeError("cut")))
        message = meta.text(CITIZEN, "hapus data", wamid=siti.wamid())
        with pytest.raises(RuntimeError):
            inbox.handle(jaring, parse_notification(meta.inbound(message)))
        assert any(d.get("wa_id") == CITIZEN for d in docs(db, "contacts"))
        monkeypatch.setattr(jaring.store, "erase_contact", erase)
        assert siti.post(message) == 200
        assert all(CITIZEN not in str(data) for _, data in every_document(db))
        assert [text_of([m]) for m in siti.received()].count(CONFIG.text("erased")) == 1  # confirmed once


class TestConfiguration:
    def load(self, monkeypatch, *files):
        from jaring.__main__ import main

        monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "jaring-test")
        return main(["config", "load", *PARENTS, *map(str, files)])  # Bangkalan names its Kanwil and ministry

    def renamed_seed(self, tmp_path, name):
        seed = open("functions/jaring/offices/seed/kemenag-bangkalan.toml", encoding="utf-8").read()
        path = tmp_path / "kantor.toml"
        path.write_text(seed.replace('name = "Kantor Kementerian Agama Kabupaten Bangkalan"', f'name = "{name}"'),
                        encoding="utf-8")
        return path

    def test_a_loaded_configuration_is_used_once_the_cache_expires(self, webhook, graph, db, clock, tmp_path,
                                                                    monkeypatch, capsys):
        first = WhatsAppUser(webhook, graph, "628123450101")
        assert CONFIG.name in text_of(first.says("Halo"))
        assert self.load(monkeypatch, self.renamed_seed(tmp_path, "Kemenag Bangkalan Uji")) == 0
        [stored] = [d for d in docs(db, "office_configs") if d["office"] == OFFICE]
        assert (stored["office"], stored["version"], stored["source"]) == (OFFICE, CONFIG.version, "kantor.toml")
        second = WhatsAppUser(webhook, graph, "628123450102")
        assert "Kemenag Bangkalan Uji" not in text_of(second.says("Halo"))  # still cached
        clock.advance(seconds=61)
        third = WhatsAppUser(webhook, graph, "628123450103")
        assert "Kemenag Bangkalan Uji" in text_of(third.says("Halo"))

    def test_one_bad_file_loads_nothing_and_every_problem_is_printed(self, db, tmp_path, monkeypatch, capsys):
        good = self.renamed_seed(tmp_path, "Kemenag Bangkalan")
        bad = tmp_path / "rusak.toml"
        bad.write_text(good.read_text(encoding="utf-8").replace('id = "kemenag-bangkalan"', 'id = "kua-socah"')
                       .replace('mon = "07:30-16:00"', 'mon = "pagi"').replace('title = "KUA Socah"',
                                                                                'title = "Kantor Urusan Agama Socah Bangkalan"'),
                       encoding="utf-8")
        assert self.load(monkeypatch, good, bad) == 1
        out = capsys.readouterr().out
        assert f"error: {bad}: hours.mon:" in out and f"error: {bad}: units[" in out and "nothing was loaded" in out
        assert docs(db, "office_configs") == [] and docs(db, "staff") == []

    def test_check_needs_no_database(self, capsys):
        from jaring.__main__ import main

        assert main(["config", "check", "functions/jaring/offices/seed/kemenag-bangkalan.toml"]) == 0
        assert "ok: functions/jaring/offices/seed/kemenag-bangkalan.toml: office kemenag-bangkalan" in capsys.readouterr().out
