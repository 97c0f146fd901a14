"""Whistleblowing (WBS) end to end: a report written in chat, kept apart from the reporter's number, followed
up with its code and PIN from any number, read and answered only by the inspectorate, every read audited."""
import base64
import dataclasses
import re

import pytest

from jaring.cases import wbs
from tests.conftest import OFFICE, WBS_KEY
from tests.support import admin as admin_api
from tests.support.dialogue import body, load_configs
from tests.support.whatsapp_user import WhatsAppUser

REPORTER = "628123450002"
OTHER_PHONE = "628777000321"
INSPECTORATE_PHONE = "628001000006"
INSPECTOR = "inspektorat@example.go.id|inspectorate|kemenag-bangkalan|"
STAFF = {"officer": "petugas@example.go.id|officer|kemenag-bangkalan|umum",
         "unit head": "kepala.tu@example.go.id|unit_head|kemenag-bangkalan|umum",
         "office head": "kepala.kantor@example.go.id|office_head|kemenag-bangkalan|",
         "admin": "admin@example.go.id|admin|kemenag-bangkalan|",
         "inspectorate of another office": "irjen@example.go.id|inspectorate|kemenag-sampang|"}
ANSWERS = ["Pak Bambang, petugas loket haji", "Meminta uang Rp 500 ribu agar berkas cepat diproses",
           "Setiap Senin sejak Desember 2025", "Loket haji lantai 1", "Diminta lewat seorang perantara di parkiran"]
EVIDENCE = "Ada kuitansi tanpa kop dan rekaman suara"


@pytest.fixture
def office(db, jaring):
    assert load_configs() == 0
    jaring.settings = dataclasses.replace(jaring.settings, emulator_host="127.0.0.1:1", dev_identity_allowed=True)
    return jaring


@pytest.fixture
def ani(webhook, graph, office):
    user = WhatsAppUser(webhook, graph, REPORTER, name="Ani Pelapor")
    user.says("Halo")
    user.says("YA")
    return user


@pytest.fixture
def admin(functions_client, office):
    return admin_api.caller(functions_client, INSPECTOR)


def every_document(db):
    for collection in db.collections():
        for snap in collection.stream():
            yield collection.id, snap.id, snap.to_dict()


def report_via_chat(ani):
    ani.taps("Lapor pelanggaran")
    ani.taps("Mulai laporan")
    for answer in ANSWERS:
        ani.says(answer)
    ani.sends_a_photo()
    ani.says(EVIDENCE)
    [receipt] = ani.taps("Kirim laporan")
    code, pin = re.search(r"\*(WBS-\w{8}) (\d{6})\*", body(receipt)).groups()
    return code, pin


def the_report(db):
    [report] = [d.to_dict() for d in db.collection("wbs_reports").stream()]
    return report


class TestAReport:
    def test_filed_in_chat_and_kept_apart_from_the_reporters_number(self, ani, db, graph):
        code, pin = report_via_chat(ani)
        report = the_report(db)
        assert report["code"] == code and report["status"] == "received" and report["source"] == "chat"
        assert [report["content"][k] for k in ("who", "what", "when", "where", "how", "evidence")] == ANSWERS + [
            EVIDENCE]
        assert report["media"][0]["mime_type"] == "image/jpeg" and pin not in str(report)

        contact = next(d for c, _, d in every_document(db) if c == "contacts" and d.get("wa_id") == REPORTER)
        needles = [REPORTER, base64.b64encode(REPORTER.encode()).decode(), "Ani Pelapor", contact["contact_id"]]
        for collection, doc_id, data in every_document(db):  # the link holds the contact_id, nothing else of her
            found = needles[:3] if collection == "wbs_links" else needles
            if collection.startswith("wbs_"):
                assert not any(n in doc_id or n in str(data) for n in found), (collection, doc_id)
        # the one link back: its id is a keyed hash of the report id, unreadable without WBS_LINK_KEY
        [(link_id, link)] = [(i, d) for c, i, d in every_document(db) if c == "wbs_links"]
        assert link_id == wbs.link_id(WBS_KEY.encode(), OFFICE, wbs.report_id(code)) and code not in str(link)
        assert link_id != wbs.link_id(b"a guess", OFFICE, wbs.report_id(code))

        # what was said lives only in the report: not in the messages received or sent, not on the contact
        words = ANSWERS + [EVIDENCE, code, pin]
        for collection, doc_id, data in every_document(db):
            if collection != "wbs_reports":
                assert not any(w in str(data) for w in words), (collection, doc_id)
        assert contact.get("pending") is None and "wbs" not in contact.get("labels", [])
        [alert] = graph.messages(to=INSPECTORATE_PHONE)
        assert alert["template"]["name"] == "jaring_peringatan_petugas" and code not in str(alert)

    def test_a_complaint_that_reads_like_a_violation_moves_to_wbs_and_leaves_no_complaint(self, ani, db):
        ani.says("pengaduan")
        ani.says("Petugas minta uang pelicin Rp 200 ribu")
        ani.taps("Haji dan Umrah")
        ani.says("Senin kemarin")
        ani.says("Pak Bambang")
        ani.says("Katanya supaya porsi hajinya cepat keluar")
        [offer] = ani.taps("Tidak ada")
        assert "lebih aman lewat *Lapor pelanggaran (WBS)*" in body(offer)
        intro, confirm = ani.taps("Pindah ke WBS")
        assert "Identitas Bapak/Ibu kami lindungi" in body(intro) and "Kirim sekarang?" in body(confirm)
        [receipt] = ani.taps("Kirim laporan")
        assert "Kode laporan" in body(receipt)
        report = the_report(db)
        assert report["source"] == "complaint" and report["content"]["who"] == "Pak Bambang"
        assert report["content"]["what"] == "Petugas minta uang pelicin Rp 200 ribu"
        assert list(db.collection("complaints").stream()) == []
        for collection, doc_id, data in every_document(db):
            if collection != "wbs_reports":
                assert "uang pelicin" not in str(data) and "porsi hajinya" not in str(data), (collection, doc_id)

    def test_batal_and_menu_discard_the_draft(self, ani, db):
        ani.taps("Lapor pelanggaran")
        ani.taps("Mulai laporan")
        ani.says(ANSWERS[0])
        [draft] = [d.to_dict() for d in db.collection("wbs_drafts").stream()]
        assert draft["expire_at"] and "wamids" not in draft["state"]
        assert "isinya sudah kami hapus" in body(ani.says("BATAL")[0])
        assert list(db.collection("wbs_drafts").stream()) == []
        ani.says("menu")
        ani.taps("Lapor pelanggaran")
        ani.taps("Mulai laporan")
        ani.says(ANSWERS[0])
        ani.says("MENU")
        assert list(db.collection("wbs_drafts").stream()) == [] and list(db.collection("wbs_reports").stream()) == []


class TestFollowUp:
    def test_from_any_number_with_the_code_and_pin_and_the_reporter_hears_there_is_news(
            self, ani, db, webhook, graph, admin, clock):
        code, pin = report_via_chat(ani)
        clock.advance(days=2)  # the reporter's 24-hour window has closed
        answer = admin("POST", f"/wbs/{code}", {"status": "reviewing",
                                               "message": "Mohon kirim foto kuitansinya ke nomor ini."})
        assert answer.status_code == 200 and answer.get_json()["report"]["reporter_notified"] is True
        [news] = ani.new()
        assert news["template"]["name"] == "jaring_kabar_laporan" and code not in str(news)

        other = WhatsAppUser(webhook, graph, OTHER_PHONE)
        [status] = other.says(f"cek {code} {pin}")
        assert "sedang ditelaah Inspektorat" in body(status) and "Mohon kirim foto kuitansinya" in body(status)
        report = the_report(db)
        assert OTHER_PHONE not in str(report) and report["last_followup_on"] == wbs.day(clock.now())
        outbox = [d for c, _, d in every_document(db) if c == "outbox"]
        assert not [d for d in outbox if d.get("to") == OTHER_PHONE]  # the answer forgot its addressee once sent
        assert not any("Mohon kirim foto" in str(d["content"]) for d in outbox)  # and its words
        received = [d for c, _, d in every_document(db) if c == "inbound"]
        assert received and all(pin not in str(d) for d in received)

    def test_wrong_pins_lock_the_report_for_a_day_and_an_unknown_code_gets_the_same_answer(
            self, ani, db, webhook, graph, clock):
        code, pin = report_via_chat(ani)
        wrong = f"{(int(pin) + 1) % 10 ** 6:06d}"
        other = WhatsAppUser(webhook, graph, OTHER_PHONE)
        refused = [body(other.says(f"{code} {wrong}")[0]) for _ in range(wbs.MAX_WRONG)]
        assert refused == [wbs.REFUSED_TEXT] * wbs.MAX_WRONG
        assert the_report(db)["locked_until"] == wbs.lock_end(clock.now()) >= clock.now() + wbs.LOCK
        assert body(ani.says(f"{code} {pin}")[0]) == wbs.REFUSED_TEXT  # even the right PIN, while locked
        assert body(other.says(f"WBS-ZZZZ2222 {pin}")[0]) == wbs.REFUSED_TEXT
        clock.advance(hours=24)
        assert "Status: diterima" in body(ani.says(f"{code} {pin}")[0])
        assert the_report(db)["failed_attempts"] == 0


    def test_after_hapus_data_the_report_stays_and_nothing_leads_back_to_the_reporter(self, ani, db, admin):
        code, pin = report_via_chat(ani)
        ani.says("HAPUS DATA")
        assert list(db.collection("wbs_links").stream()) == []  # the one way back is cut
        answer = admin("POST", f"/wbs/{code}", {"message": "Terima kasih, sedang kami telaah."}).get_json()
        assert answer["report"]["reporter_notified"] is False and the_report(db)["code"] == code
        assert "sedang kami telaah" in body(ani.says(f"{code} {pin}")[0])  # code + PIN still work


class TestOnlyTheInspectorate:
    @pytest.mark.parametrize("who", STAFF)
    def test_no_other_staff_reads_a_report_or_learns_how_many_there_are(self, ani, admin, db, who):
        code, _ = report_via_chat(ani)
        for method, path in (("GET", "/wbs"), ("GET", f"/wbs/{code}"), ("GET", "/wbs/audit"), ("POST", f"/wbs/{code}")):
            answer = admin(method, path, {"message": "x"} if method == "POST" else None, who=STAFF[who])
            if who == "inspectorate of another office":  # an inspectorate, but not of this office
                assert answer.status_code == (200 if path in ("/wbs", "/wbs/audit") else 404)
                assert ANSWERS[0] not in answer.get_data(as_text=True)
                assert path != "/wbs" or answer.get_json() == {"reports": []}
                continue
            assert answer.status_code == 403 and set(answer.get_json()) == {"error"}
        assert the_report(db)["updates"] == []
        assert admin("GET", "/complaints", who=INSPECTOR).status_code == 403

    def test_every_read_and_change_is_in_the_audit_trail(self, ani, admin, db, clock):
        code, _ = report_via_chat(ani)
        filed = clock.now()
        listed = admin("GET", "/wbs").get_json()["reports"]
        assert listed == [{"code": code, "status": "received", "received_on": wbs.day(filed),
                           "source": "chat", "updates": 0}]
        clock.advance(minutes=1)
        full = admin("GET", f"/wbs/{code}").get_json()["report"]
        assert full["content"]["who"] == ANSWERS[0] and "pin" not in full
        clock.advance(minutes=1)
        assert admin("POST", f"/wbs/{code}", {"status": "investigating"}).status_code == 200
        assert admin("POST", f"/wbs/{code}", {"status": "lost"}).status_code == 422
        assert admin("GET", "/wbs/WBS-ZZZZ2222").status_code == 404
        trail = admin("GET", "/wbs/audit").get_json()["audit"]
        assert [(e["action"], e["codes"], e["actor"]) for e in reversed(trail)] == [
            ("list", [code], "inspektorat@example.go.id"), ("read", [code], "inspektorat@example.go.id"),
            ("update", [code], "inspektorat@example.go.id")]
        assert [e.to_dict()["action"] for e in db.collection("wbs_audit").stream()].count("audit_read") == 1
