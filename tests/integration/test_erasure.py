"""HAPUS DATA finds everything about the citizen (issue 14, finding 3): their words in a complaint's history and
reason, what staff wrote and received about them (a complaint step, a command naming their number), and the
numbers messages went to; staff screens keep working on what is left."""
import base64

from tests.integration.cases.test_complaints import (COMPLAINT, STORY, complaint_reference, file_complaint,
                                                     office)  # noqa: F401
from tests.support import admin as admin_api
from tests.support.dialogue import body
from tests.support.whatsapp_user import WhatsAppUser

CITIZEN, CITIZEN_AS_TYPED = "6281234560001", "0812-3456-0001"
HOTLINE = "628001000001"  # officer of unit "umum" in the seed, on the hotline Monday to Friday
ANSWER = "Ibu Siti, petugas loket sudah kami tegur dan jadwal piket kami perbaiki."
REASON = "Bukan layanan kami; silakan ke Disdukcapil dengan KTP Ibu Siti."


def everything(db):
    return [(c.id, s.id, str(s.to_dict())) for c in db.collections() for s in c.stream()]


def test_hapus_data_leaves_no_number_name_or_words_anywhere_and_staff_screens_still_work(
        office, webhook, graph, db, functions_client):
    siti = WhatsAppUser(webhook, graph, CITIZEN, name="Siti Aminah").consents()
    officer = WhatsAppUser(webhook, graph, HOTLINE, name="Petugas")
    answered = complaint_reference(file_complaint(siti))
    rejected = complaint_reference(file_complaint(siti, "Ruang tunggu PTSP panas dan kursinya kurang."))
    officer.says(f"#verifikasi {answered}")
    officer.says(f"#jawab {answered} {ANSWER}")
    officer.says(f"#status {answered}")  # the staff member reads the citizen's words on their phone
    officer.says(f"#tolak {rejected} {REASON}")
    officer.says(f"#layani {CITIZEN_AS_TYPED} Legalisir SK")  # a command that names the number
    assert any(ANSWER in t for _, _, t in everything(db)) and any(STORY in t for _, _, t in everything(db))

    siti.says("HAPUS DATA")

    traces = [CITIZEN, CITIZEN_AS_TYPED, CITIZEN_AS_TYPED.replace("-", ""), base64.b64encode(CITIZEN.encode()).decode(),
              "Siti Aminah", COMPLAINT, STORY, ANSWER, REASON, "Ruang tunggu PTSP panas"]
    left = [(c, i, t) for c, i, t in everything(db) if any(trace in t for trace in traces)]
    assert left == []
    staff_commands = [d.to_dict() for d in db.collection("inbound").stream() if "#layani" in str(d.to_dict())]
    assert staff_commands == []  # the command named her: erased with her

    desk = admin_api.caller(functions_client, "petugas@example.go.id|officer|kemenag-bangkalan|umum")
    listed = desk("GET", "/complaints?status=all")
    assert listed.status_code == 200
    views = listed.get_json()["complaints"]
    assert sorted(v["reference"] for v in views) == sorted([answered, rejected])
    assert all(v["details"] == {} and not v.get("answer") and not v.get("reason") for v in views)
    assert all("note" not in step for v in views for step in v["history"])
    assert "Pengaduan" in body(officer.says(f"#status {answered}")[0])  # and on WhatsApp


def test_a_number_typed_into_a_staff_command_is_not_kept_once_the_command_is_done(office, webhook, graph, db):
    officer = WhatsAppUser(webhook, graph, HOTLINE, name="Petugas")
    [opened] = officer.says(f"#layani {CITIZEN_AS_TYPED} Legalisir SK")
    assert "Legalisir" in body(opened)
    [command] = [d.to_dict() for d in db.collection("inbound").stream()]
    assert command["text"].startswith("#layani ") and "Legalisir SK" in command["text"]
    assert not any(n in command["text"] for n in (CITIZEN, CITIZEN_AS_TYPED, CITIZEN_AS_TYPED.replace("-", "")))


def test_an_open_complaint_ends_when_its_complainant_erases_their_data_and_no_longer_escalates(
        office, webhook, graph, db, functions_client):
    siti = WhatsAppUser(webhook, graph, CITIZEN, name="Siti Aminah").consents()
    reference = complaint_reference(file_complaint(siti))
    [(_, open_complaint)] = [(d.id, d.to_dict()) for d in db.collection("complaints").stream()]
    assert open_complaint["next_escalation_at"] is not None  # staff would be chased about it

    siti.says("HAPUS DATA")

    desk = admin_api.caller(functions_client, "petugas@example.go.id|officer|kemenag-bangkalan|umum")
    [view] = desk("GET", "/complaints?status=all").get_json()["complaints"]
    assert view["reference"] == reference and view["status"] == "rejected"
    assert "HAPUS DATA" in view["reason"] and view["details"] == {}  # staff read why, and nothing of her words
    [ended] = [d.to_dict() for d in db.collection("complaints").stream()]
    assert ended["next_escalation_at"] is None and ended["due_at"] is None
