"""Every record that names a citizen or keeps their words expires (issue 14, finding 4): whichever way it was
written, it carries the TTL field Firestore deletes it by, and a number that never agreed to the notice is
kept 30 days, not a year. Retention periods: jaring/retention.py and docs/SECURITY.md "Data retention"."""
import dataclasses
import datetime as dt

from jaring import retention
from jaring.indexes import TTL_FIELDS
from tests.conftest import FORMS_SECRET
from tests.support import appsscript
from tests.support import forms as form_answers
from tests.support.dialogue import body, load_configs
from tests.support.whatsapp_user import WhatsAppUser

OFFICER = "628001000001"  # the seed's officer of unit "umum"
# Kept by other rules, stated in docs/SECURITY.md: staff (the office file), WBS reports and their audit (the
# inspectorate's rules; no contact_id), WBS links (a sealed id, cut on erasure), configuration and sums.
EXEMPT = {"staff", "wbs_reports", "wbs_audit", "wbs_links", "office_configs", "forms", "responses",
          "report_days", "report_months", "complaint_ratings", "numbers", "office_switches"}
PERSONAL = ("contact_id", "wa_id", "to", "text", "details", "name")


def test_every_record_about_a_citizen_expires_whichever_way_it_was_written(webhook, graph, db, clock, jaring,
                                                                           functions_client):
    assert load_configs() == 0
    jaring.settings = dataclasses.replace(jaring.settings, emulator_host="127.0.0.1:1", dev_identity_allowed=True)
    form_answers.register_forms(db)

    siti = WhatsAppUser(webhook, graph, "628123450012", "Siti").consents()
    siti.says("pengaduan")
    siti.says("Ruang tunggu PTSP panas dan kursinya kurang.")
    siti.taps("Umum dan Tata Usaha")
    siti.says("Senin pagi")
    siti.taps("Lewati")
    siti.says("Banyak yang berdiri.")
    siti.taps("Tidak ada")
    assert "P-" in body(siti.taps("Kirim")[0])
    WhatsAppUser(webhook, graph, "628777000321", "Budi").says("WBS-ABCD2345 123456")  # only checks a code: no notice
    officer = WhatsAppUser(webhook, graph, OFFICER, "Petugas")
    officer.says("#layani 0812-3450-0013 Legalisir SK")
    ticket = next(d.id for d in db.collection("tickets").stream())
    officer.says(f"#selesai {ticket}")
    headers, raw = appsscript.submission(FORMS_SECRET, now=int(clock.now().timestamp()), kind="logbook",
                                         form_id=form_answers.LOGBOOK_FORM, response_id="2_log1",
                                         submitted_at=clock.now().isoformat(),
                                         answers=form_answers.logbook("0812-3450-0014"))
    assert functions_client("form_submit").post("/", data=raw, headers=headers).status_code in (200, 201)

    kept_forever = []
    for collection in db.collections():
        if collection.id in EXEMPT:
            continue
        for snap in collection.stream():
            doc = snap.to_dict()
            if any(doc.get(field) for field in PERSONAL) and not isinstance(doc.get("expire_at"), dt.datetime):
                kept_forever.append((collection.id, snap.id))
    assert kept_forever == []
    ttl = {collection for collection, _ in TTL_FIELDS}
    written = {c.id for c in db.collections()} - EXEMPT
    assert written <= ttl, written - ttl  # each has its TTL policy in Terraform (tests/infra checks the pair)

    contacts = {d.get("name") or d.get("wa_id"): d.get("expire_at") for d in db.collection("contacts").stream()}
    now = clock.now()
    assert contacts["Budi"] == now + retention.UNAGREED_CONTACT
    assert contacts["Siti"] == now + dt.timedelta(days=365)  # agreed: the office's retention_days
    assert all(v <= now + dt.timedelta(days=365) for v in contacts.values())
