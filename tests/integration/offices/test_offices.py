"""One deployment for every office: an office is onboarded with `python -m jaring config load` of its file,
which registers its WhatsApp number; its citizens are then answered from that number, a number owned by
another office is refused, `offices list` shows every office, and a message to a number nobody registered is
kept without personal data and never handled as another office's."""
import json
import logging

import pytest

from jaring.__main__ import main
from tests.conftest import APP_SECRET, PROJECT
from tests.support import meta, offices

pytestmark = pytest.mark.emulator
SAMPANG, PAMEKASAN = "kemenag-sampang", "kemenag-pamekasan"
CITIZEN = "6281234500077"


def post(webhook, payload):
    raw = meta.encode(payload)
    return webhook.post("/", data=raw, headers=meta.signed_headers(APP_SECRET, raw))


@pytest.fixture
def load(db, monkeypatch, capsys):
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", PROJECT)

    def run(*paths):
        code = main(["config", "load", *map(str, paths)])
        return code, capsys.readouterr().out
    return run


@pytest.fixture
def sampang(tmp_path, load):
    code, out = load(*offices.tree(tmp_path),
                     offices.write(tmp_path, SAMPANG, "Kantor Kementerian Agama Kabupaten Sampang", n=3))
    assert code == 0, out
    return tmp_path


def test_a_loaded_office_is_answered_from_its_own_number(sampang, webhook, db, graph):
    assert db.collection("numbers").document(offices.number_id(3)).get().get("office") == SAMPANG
    assert post(webhook, meta.inbound(meta.text(CITIZEN, "Halo"), number_id=offices.number_id(3))).status_code == 200
    assert {d.get("office") for d in db.collection("inbound").stream()} == {SAMPANG}
    sent = [r for r in graph.requests if r["path"].endswith("/messages")]
    assert sent and all(r["path"].endswith(f"/{offices.number_id(3)}/messages") for r in sent)
    assert "Sampang" in json.dumps(graph.messages(to=CITIZEN)[0])  # the greeting names the office (a text or a list)


def test_a_number_registered_to_another_office_is_refused_and_nothing_is_loaded(sampang, load, db):
    code, out = load(offices.write(sampang, PAMEKASAN, "Kantor Kementerian Agama Kabupaten Pamekasan", n=3))
    assert code == 1
    assert f"number id {offices.number_id(3)} is registered to {SAMPANG}" in out and "nothing was loaded" in out
    assert not db.collection("office_configs").document(PAMEKASAN).get().exists
    assert db.collection("numbers").document(offices.number_id(3)).get().get("office") == SAMPANG


def test_an_office_that_changes_its_number_gives_up_the_old_one(sampang, load, db):
    code, out = load(offices.write(sampang, SAMPANG, "Kantor Kementerian Agama Kabupaten Sampang", n=4))
    assert code == 0, out
    assert not db.collection("numbers").document(offices.number_id(3)).get().exists
    assert db.collection("numbers").document(offices.number_id(4)).get().get("office") == SAMPANG


def test_an_office_under_a_parent_nobody_loaded_is_refused(tmp_path, load, db):
    code, out = load(offices.write(tmp_path, SAMPANG, "Kantor Kementerian Agama Kabupaten Sampang", n=3))
    assert code == 1 and f"{offices.KANWIL!r} is not configured" in out
    assert not db.collection("numbers").document(offices.number_id(3)).get().exists


def test_offices_list_shows_every_office_its_number_parent_and_load_time(sampang, capsys):
    assert main(["offices", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    [row] = [line for line in lines if line.startswith(SAMPANG)]
    assert offices.display_number(3) in row and offices.number_id(3) in row and offices.KANWIL in row
    assert "2026-" in row  # loaded, in WIB
    assert any(line.startswith(offices.KANWIL) and offices.PUSAT in line for line in lines)
    assert lines[-1] == "3 office(s)"


def test_a_message_to_a_number_no_office_owns_is_kept_without_personal_data_and_not_answered(
        webhook, db, graph, caplog):
    with caplog.at_level(logging.ERROR):
        answer = post(webhook, meta.inbound(meta.text(CITIZEN, "Halo, nama saya Siti"), number_id="399999999999999"))
    assert answer.status_code == 200 and answer.get_json()["unrouted"] == 1
    [kept] = [d.to_dict() for d in db.collection("unrouted").stream()]
    assert kept["phone_number_id"] == "399999999999999" and kept["type"] == "text"
    assert CITIZEN not in str(kept) and "Siti" not in str(kept)
    for collection in ("inbound", "contacts", "outbox"):
        assert list(db.collection(collection).stream()) == []
    assert graph.messages() == []
    assert any("no office owns" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
