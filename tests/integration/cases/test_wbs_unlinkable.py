"""Whistleblowing without a trail: someone with full read access to Firestore (a project viewer, a backup, any
function's service account) but without WBS_LINK_KEY cannot match a report or its link to the reporter's
messages, replies or contact by any time, id or flag they share, even with the clock moving between messages
and other citizens writing at the same time (docs/SECURITY.md, "What an insider can and cannot learn")."""
import datetime as dt
import re

from jaring.cases import wbs
from jaring.messaging import outbox
from tests.support import admin as admin_api
from tests.integration.cases.test_wbs import office  # noqa: F401
from tests.support.dialogue import body
from tests.support.whatsapp_user import WhatsAppUser

REPORTER, NEIGHBOUR, CHECKER = "628123450002", "628123450003", "628777000321"
INSPECTOR = "inspektorat@example.go.id|inspectorate|kemenag-bangkalan|"
ANSWERS = ["Pak Bambang, petugas loket haji", "Meminta uang Rp 500 ribu agar berkas cepat diproses",
           "Setiap Senin sejak Desember 2025", "Loket haji lantai 1", "Lewat perantara di parkiran"]
EVIDENCE = "Ada kuitansi tanpa kop"


def values(data, into=None):
    """Every time and every id-like text (8+ characters) anywhere in a document, nested ones too."""
    into = set() if into is None else into
    if isinstance(data, dict):
        for value in data.values():
            values(value, into)
    elif isinstance(data, (list, tuple)):
        for value in data:
            values(value, into)
    elif isinstance(data, dt.datetime) or (isinstance(data, str) and len(data) >= 8):
        into.add(data)
    return into


def documents(db, name):
    return [(snap.id, snap.to_dict()) for snap in db.collection(name).stream()]


def test_no_time_id_or_flag_ties_a_report_or_its_link_to_the_reporter(office, webhook, graph, db, clock,
                                                                      functions_client):
    ani, budi = WhatsAppUser(webhook, graph, REPORTER, "Ani"), WhatsAppUser(webhook, graph, NEIGHBOUR, "Budi")
    checker = WhatsAppUser(webhook, graph, CHECKER, "Cek")
    inspectorate = admin_api.caller(functions_client, INSPECTOR)

    def later(seconds=41.3):
        clock.advance(seconds=seconds)

    for person, words in ((ani, "Halo"), (budi, "Halo"), (ani, "YA"), (budi, "YA"), (budi, "jam buka")):
        later()
        person.says(words)
    later(17.9)
    ani.taps("Lapor pelanggaran")
    later(23.7)
    ani.taps("Mulai laporan")
    for answer in ANSWERS:
        later()
        ani.says(answer)
        later(3.1)
        budi.says("syarat nikah")
    later()
    ani.sends_a_photo()
    later()
    ani.says(EVIDENCE)
    later(29.1)
    [receipt] = ani.taps("Kirim laporan")
    code, pin = re.search(r"\*(WBS-\w{8}) (\d{6})\*", body(receipt)).groups()

    # hours later the inspectorate answers; the reporter hears there is news and reads it with code + PIN
    clock.advance(hours=3, seconds=12.5)
    assert inspectorate("POST", f"/wbs/{code}", {"status": "reviewing", "message": "Kirim foto kuitansi."}
                        ).get_json()["report"]["reporter_notified"] is True
    assert "Ada kabar baru" in body(ani.new()[0])
    later(95.2)
    assert "Kirim foto kuitansi" in body(ani.says(f"{code} {pin}")[0])
    for _ in range(wbs.MAX_WRONG):  # someone else tries PINs until the report locks
        later(7.7)
        checker.says(f"{code} {(int(pin) + 1) % 10 ** 6:06d}")
    later()
    budi.says("terima kasih")

    [(report_id, report)] = documents(db, "wbs_reports")
    [(link_id, link)] = documents(db, "wbs_links")
    cid = next(d["contact_id"] for _, d in documents(db, "contacts") if d.get("wa_id") == REPORTER)
    citizens = documents(db, "contacts") + documents(db, "inbound") + documents(db, "outbox")
    theirs = set()  # every message received or sent (anyone's: a superset of the reporter's) and every contact
    for doc_id, data in citizens:
        theirs |= values(data) | {doc_id}
    office_wide = {report["office"]}  # the one value every record of the office shares
    ours = (values(report) | values(link) | {report_id, link_id}) - office_wide

    assert not ours & theirs, sorted(map(str, ours & theirs))
    assert cid not in str(link) and REPORTER not in str(link) and code not in str(link)
    # no flag lists who used the channel: not on messages received, not on replies once sent
    for doc_id, data in citizens:
        assert not set(data) & {"sensitive", "redacted"}, (doc_id, data)
    # replies about the report kept neither the number they went to nor the citizen's id
    unaddressed = [d for _, d in documents(db, "outbox") if "to" not in d]
    assert unaddressed and all(not d["contact_id"] for d in unaddressed)
    # the notice's id cannot be computed from the code: it is keyed like the link
    rid = wbs.report_id(code)
    guesses = {"wn" + outbox.key(rid, str(n)) for n in range(10)} | {"wn" + outbox.key(code, str(n)) for n in range(10)}
    assert not guesses & {doc_id for doc_id, _ in documents(db, "outbox")}
    # and the inspectorate still reads the day it arrived, and its reporter is still reachable (with the key)
    listed = inspectorate("GET", "/wbs").get_json()["reports"]
    assert [r["received_on"] for r in listed] == [wbs.day(clock.now() - dt.timedelta(hours=3))]
