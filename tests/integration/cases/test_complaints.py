"""Complaints end to end, as a citizen and the office's staff live them: Meta's webhook in, Firestore
(emulator) in between, the Graph API stand-in out, admin_api for staff at a desk, the reminder sweep's
escalation hook. Time is the injected clock, starting Wednesday 14 January 2026, 10.00 WIB: Friday 16 is
Isra Mikraj, so the three working days to verify end on Tuesday 20 January."""
import dataclasses
import datetime as dt

import pytest

from jaring.cases import service as casework
from jaring.clock import WIB
from tests.support import admin as admin_api
from tests.support.dialogue import body, load_configs, seed_config
from tests.support.whatsapp_user import WhatsAppUser

CITIZEN = "628123450001"
HOTLINE = "628001000001"  # officer of unit "umum", on the hotline Monday to Friday
HOTLINE_MWF = "628001000002"  # officer of unit "haji", on the hotline Monday, Wednesday, Friday
UNIT_HEAD = "628001000003"  # head of "umum"
OFFICE_HEAD = "628001000005"
INSPECTORATE = "628001000006"
CONFIG = seed_config()
WEDNESDAY = dt.datetime(2026, 1, 14, 10, 0, tzinfo=WIB)


def wib(*args):
    return dt.datetime(*args, tzinfo=WIB)


def content_text(message):
    """What a person reads: the text, the interactive body, or a template's filled parameters."""
    if message["type"] == "template":
        params = [p["text"] for c in message["template"]["components"] for p in c.get("parameters", [])]
        return f"[{message['template']['name']}] " + " | ".join(params)
    return body(message)


@pytest.fixture
def office(db, jaring, clock):
    assert load_configs() == 0
    jaring.settings = dataclasses.replace(jaring.settings, emulator_host="127.0.0.1:1", dev_identity_allowed=True)
    clock.set(WEDNESDAY)
    return jaring


@pytest.fixture
def siti(webhook, graph, office):
    user = WhatsAppUser(webhook, graph, CITIZEN)
    user.says("Assalamualaikum")
    user.says("YA")
    return user


@pytest.fixture
def people(webhook, graph, office):
    return {number: WhatsAppUser(webhook, graph, number, name="Petugas") for number in
            (HOTLINE, HOTLINE_MWF, UNIT_HEAD, OFFICE_HEAD, INSPECTORATE)}


@pytest.fixture
def admin(functions_client, office):
    return admin_api.caller(functions_client, "petugas@example.go.id|officer|kemenag-bangkalan|umum")


COMPLAINT = "Antrean di loket PTSP lama sekali, petugas sering tidak di tempat."
STORY = "Saya menunggu tiga jam dan pulang tanpa dilayani."


def file_complaint(siti, what=COMPLAINT, unit="Umum dan Tata Usaha", asking="pengaduan"):
    """A complaint told through the chat's guided intake; the receipt."""
    siti.says(asking)
    siti.says(what)
    siti.taps(unit)
    siti.says("Senin, 12 Januari, sekitar pukul 9")
    siti.taps("Lewati")
    siti.says(STORY)
    siti.taps("Tidak ada")
    [receipt] = siti.taps("Kirim")
    return receipt


def complaint_reference(receipt) -> str:
    """The complaint's number (P-…) as the receipt gives it."""
    return next(w for w in body(receipt).replace("*", " ").split() if w.startswith("P-"))


def the_complaint(db):
    [doc] = [d.to_dict() for d in db.collection("complaints").stream()]
    return doc


class TestACitizensComplaint:
    def test_filed_verified_answered_closed_and_rated_across_a_weekend_and_a_holiday(
            self, siti, people, db, clock, graph):
        receipt = file_complaint(siti)
        complaint = the_complaint(db)
        ref = complaint["reference"]
        assert ref in body(receipt) and "Rabu, 14 Januari" not in body(receipt)
        assert "paling lambat *Selasa, 20 Januari 2026*" in body(receipt)  # Fri 16 Isra Mikraj, then a weekend
        assert (complaint["unit"], complaint["status"], complaint["verify_due_at"]) == (
            "umum", "received", wib(2026, 1, 21))
        assert CITIZEN not in str(complaint)
        [relay] = people[HOTLINE].new()
        assert ref in content_text(relay) and "Antrean di loket PTSP" in content_text(relay)
        assert ref in content_text(people[UNIT_HEAD].new()[0])  # the unit's head hears of it too

        clock.set(wib(2026, 1, 20, 9, 0))  # Tuesday, the last day to verify; Siti wrote six days ago
        [done] = people[HOTLINE].says(f"#verifikasi {ref}")
        assert f"Pengaduan {ref} diverifikasi" in content_text(done)
        [told] = siti.new()
        assert told["type"] == "template" and told["template"]["name"] == "jaring_kabar_pengaduan"
        assert content_text(told) == (f"[jaring_kabar_pengaduan] {ref} | sudah diverifikasi; jawaban paling lambat "
                                      f"Selasa, 27 Januari 2026 | {ref}")

        [status] = siti.says(f"STATUS {ref}")
        assert "diverifikasi, sedang ditangani" in content_text(status)
        assert "Jawaban paling lambat: Selasa, 27 Januari 2026" in content_text(status)

        clock.advance(hours=1)
        relay_wamid = next(d.get("wamid") for d in (s.to_dict() for s in db.collection("outbox").stream())
                           if d.get("to") == HOTLINE and (d.get("meta") or {}).get("reference") == ref)
        [sent] = people[HOTLINE].says("Mulai Senin ada petugas tambahan di loket PTSP. Mohon maaf atas antreannya.",
                                      quoting=relay_wamid)
        assert "dijawab" in content_text(sent)
        [answer] = siti.new()  # she wrote an hour ago: the full answer, free-form
        assert answer["type"] == "text" and "Mulai Senin ada petugas tambahan" in content_text(answer)

        people[HOTLINE].says(f"#tutup {ref}")
        closed, question = siti.new()
        assert "selesai" in content_text(closed) and "penanganan pengaduan" in content_text(question)
        [thanks] = siti.taps("4 · Sangat puas")
        assert "Sangat puas" in content_text(thanks)

        complaint = the_complaint(db)
        assert complaint["status"] == "closed" and complaint["rating"]["score"] == 4
        assert [e["action"] for e in complaint["history"]] == ["received", "verify", "answer", "close", "rated"]
        assert complaint["first_answer_at"] == wib(2026, 1, 20, 10, 0)
        [ratings] = [d.to_dict() for d in db.collection("complaint_ratings").stream()]
        assert (ratings["unit"], ratings["month"], ratings["ratings"], ratings["sum"], ratings["values"]) == (
            "umum", "2026-01", 1, 4, {"4": 1})
        assert "sudah dinilai" in content_text(siti.says(f"NILAI {ref}")[0])

    def test_a_rating_typed_as_a_number_counts_once(self, siti, people, db, clock):
        file_complaint(siti)
        ref = the_complaint(db)["reference"]
        people[HOTLINE].says(f"#jawab {ref} Sudah kami tindak lanjuti.")
        people[HOTLINE].says(f"#tutup {ref}")
        siti.new()
        siti.says("3")
        siti.says("2")
        assert the_complaint(db)["rating"]["score"] == 3
        [ratings] = [d.to_dict() for d in db.collection("complaint_ratings").stream()]
        assert (ratings["ratings"], ratings["sum"]) == (1, 3)

    def test_status_by_number_any_time_and_only_for_the_citizen_who_sent_it(self, siti, webhook, graph, db):
        file_complaint(siti)
        ref = the_complaint(db)["reference"]
        assert "menunggu verifikasi" in content_text(siti.says(ref.lower())[0])
        [mine] = siti.says("status")
        assert ref in content_text(mine)
        stranger = WhatsAppUser(webhook, graph, "628555000111")
        assert "tidak ditemukan" in content_text(stranger.says(f"STATUS {ref}")[-1])

    def test_a_rejection_needs_a_reason_and_tells_the_citizen(self, siti, people, db):
        file_complaint(siti)
        ref = the_complaint(db)["reference"]
        assert "alasan" in content_text(people[HOTLINE].says(f"#tolak {ref}")[0])
        people[HOTLINE].says(f"#tolak {ref} Bukan layanan Kementerian Agama; silakan ke Disdukcapil.")
        assert "Alasan: Bukan layanan Kementerian Agama" in content_text(siti.new()[-1])
        assert the_complaint(db)["status"] == "rejected"

    def test_staff_of_another_unit_may_not_act_and_may_pass_it_on_only_when_it_is_theirs(
            self, siti, people, db, webhook, graph):
        file_complaint(siti, unit="Haji dan Umrah")
        ref = the_complaint(db)["reference"]
        people[HOTLINE].new()
        # 628001000003 heads "umum" and is not on the hotline
        assert "bukan unit Anda" in content_text(people[UNIT_HEAD].says(f"#verifikasi {ref}")[0])
        assert "tidak dikenal" in content_text(people[HOTLINE].says(f"#teruskan {ref} kantin")[0])
        people[HOTLINE].says(f"#teruskan {ref} umum")
        assert the_complaint(db)["unit"] == "umum"
        assert "kini ditangani oleh" in content_text(siti.new()[-1])
        [listing] = people[UNIT_HEAD].says("#pengaduan")
        assert ref in content_text(listing)


class TestOverdueEscalation:
    def test_the_unit_head_then_the_office_head_once_each_then_nothing(self, siti, people, db, clock, office, graph):
        file_complaint(siti)
        for person in people.values():
            person.new()
        assert casework.escalate_overdue(office, wib(2026, 1, 20, 23, 59)) == 0
        # The deadline passed at midnight; the unit head hears of it when the office opens, at 07:30.
        assert casework.escalate_overdue(office, wib(2026, 1, 21, 0, 0)) == 0
        assert casework.escalate_overdue(office, wib(2026, 1, 21, 7, 30)) == 1
        [alert] = people[UNIT_HEAD].new()
        assert alert["template"]["name"] == "jaring_peringatan_petugas"
        assert "melewati batas waktu verifikasi" in content_text(alert)
        assert people[OFFICE_HEAD].new() == []
        assert casework.escalate_overdue(office, wib(2026, 1, 21, 8, 0)) == 0  # once per level
        assert casework.escalate_overdue(office, wib(2026, 1, 23, 0, 0)) == 0
        assert casework.escalate_overdue(office, wib(2026, 1, 23, 7, 30)) == 1  # two working days on, at opening
        assert "melewati batas waktu verifikasi" in content_text(people[OFFICE_HEAD].new()[0])
        assert casework.escalate_overdue(office, wib(2026, 2, 23)) == 0
        assert people[UNIT_HEAD].new() == [] and people[HOTLINE].new() == []
        complaint = the_complaint(db)
        assert complaint["escalation"]["level"] == 2 and complaint["next_escalation_at"] is None
        assert [e["action"] for e in complaint["history"]][-2:] == ["escalated_1", "escalated_2"]

    def test_verified_late_the_answer_deadline_escalates_afresh_and_answering_stops_it(
            self, siti, people, db, clock, office):
        file_complaint(siti, unit="Haji dan Umrah")  # "haji" has no head: the office head is told
        casework.escalate_overdue(office, wib(2026, 1, 21, 7, 30))
        assert "verifikasi" in content_text(people[OFFICE_HEAD].new()[-1])
        clock.set(wib(2026, 1, 21, 9))
        ref = the_complaint(db)["reference"]
        people[HOTLINE_MWF].says(f"#verifikasi {ref}")
        assert the_complaint(db)["answer_due_at"] == wib(2026, 1, 29)
        assert casework.escalate_overdue(office, wib(2026, 1, 29, 7, 30)) == 1
        assert "jawaban" in content_text(people[OFFICE_HEAD].new()[-1])
        clock.set(wib(2026, 1, 29, 9))
        people[HOTLINE_MWF].says(f"#jawab {ref} Sudah kami perbaiki.")
        assert casework.escalate_overdue(office, wib(2026, 3, 1)) == 0


class TestStaffAtADesk:
    HEAD = "kepala.tu@example.go.id|unit_head|kemenag-bangkalan|umum"
    HAJI = "haji@example.go.id|officer|kemenag-bangkalan|haji"
    CHIEF = "kepala.kantor@example.go.id|office_head|kemenag-bangkalan|"

    def test_list_verify_answer_and_close_through_admin_api(self, siti, admin, db, clock):
        file_complaint(siti)
        ref = the_complaint(db)["reference"]
        listed = admin("GET", "/complaints", who=self.HEAD).get_json()["complaints"]
        assert [c["reference"] for c in listed] == [ref] and "contact_id" not in listed[0]
        assert admin("GET", "/complaints", who=self.HAJI).get_json()["complaints"] == []
        assert admin("GET", f"/complaints/{ref}", who=self.HAJI).status_code == 404
        assert admin("POST", f"/complaints/{ref}/verify", {}, who=self.HAJI).status_code == 403

        verified = admin("POST", f"/complaints/{ref}/verify", {}, who=self.HEAD)
        assert verified.status_code == 200 and verified.get_json()["citizen_told"] is True
        assert "sudah kami verifikasi" in content_text(siti.new()[-1])
        assert admin("POST", f"/complaints/{ref}/close", {}, who=self.HEAD).status_code == 422
        answered = admin("POST", f"/complaints/{ref}/answer", {"text": "Loket tambahan dibuka."}, who=self.CHIEF)
        assert answered.get_json()["complaint"]["status"] == "answered"
        assert "Loket tambahan dibuka." in content_text(siti.new()[-1])
        admin("POST", f"/complaints/{ref}/close", {}, who=self.HEAD)
        assert the_complaint(db)["status"] == "closed"
        assert [c["reference"] for c in admin("GET", "/complaints?status=closed", who=self.CHIEF).get_json()[
            "complaints"]] == [ref]

    def test_bad_requests_are_refused_and_change_nothing(self, siti, admin, db):
        file_complaint(siti)
        ref = the_complaint(db)["reference"]
        before = the_complaint(db)
        assert admin("POST", f"/complaints/{ref}/reject", {"text": "x"}, who=self.HEAD).status_code == 422
        assert admin("POST", f"/complaints/{ref}/assign", {"unit": "kantin"}, who=self.CHIEF).status_code == 422
        assert admin("POST", f"/complaints/{ref}/answer", {"text": 5}, who=self.HEAD).status_code == 422
        assert admin("GET", "/complaints?status=lost", who=self.HEAD).status_code == 422
        assert admin("GET", "/complaints/P-ZZZZZZ", who=self.HEAD).status_code == 404
        assert admin("GET", "/complaints", who="irjen@example.go.id|inspectorate|kemenag-bangkalan|").status_code == 403
        assert the_complaint(db) == before


def test_the_reminder_sweep_escalates_through_its_hook(siti, people, db, clock, office):
    from jaring import sweep

    file_complaint(siti)
    people[UNIT_HEAD].new()
    clock.set(wib(2026, 1, 21, 0, 15))  # the first run after the verification deadline: the office is closed
    assert sweep.run(office).escalations == {"overdue_complaints": 0}
    clock.set(wib(2026, 1, 21, 7, 30))  # it opens
    assert sweep.run(office).escalations == {"overdue_complaints": 1}
    assert "melewati batas waktu verifikasi" in content_text(people[UNIT_HEAD].new()[0])
    assert sweep.run(office).escalations == {"overdue_complaints": 0}


class TestInTheReports:
    HEAD = "kepala.kantor@example.go.id|office_head|kemenag-bangkalan|"

    def test_the_dashboard_counts_deadlines_and_first_answers_and_shows_the_rating_beside_u8(
            self, siti, people, db, clock, functions_client):
        from tests.integration.cases.test_wbs import report_via_chat

        file_complaint(siti)
        answered_ref = the_complaint(db)["reference"]
        clock.advance(hours=2)
        people[HOTLINE].says(f"#jawab {answered_ref} Loket tambahan sudah dibuka.")
        people[HOTLINE].says(f"#tutup {answered_ref}")
        siti.new()
        siti.says("3")  # her rating of the handling, U8's scale
        clock.advance(hours=1)
        file_complaint(siti, what="Berkas legalisir saya hilang di loket.")  # nobody verifies this one
        siti.says("menu")
        report_via_chat(siti)  # a violation report is no complaint: never counted
        assert len(list(db.collection("wbs_reports").stream())) == 1
        clock.set(wib(2026, 2, 2, 9, 0))  # past the second complaint's verification deadline (21 January)

        reports = functions_client("reports")
        page = reports.get("/", query_string={"period": "2026-01"},
                           headers={"X-Jaring-Dev-Identity": self.HEAD}).get_data(as_text=True)
        section = page[page.index("<h2>Pengaduan</h2>"):]
        # received, open, overdue, answered, answered late, median hours to the first answer
        assert ("<td class=n>2</td><td class=n>1</td><td class=n>1</td><td class=n>1</td><td class=n>0</td>"
                "<td class=n>2,0 jam</td>") in section
        assert "Kepuasan pengadu atas penanganan pengaduannya (1 Tidak puas … 4 Sangat puas) (2026-01)" in section
        assert "<td class=n>1</td><td class=n>3,00</td><td class=n>75,00</td>" in section
        assert "survei SKM (bagian dari IKM)" in section and "tidak masuk IKM" in section
