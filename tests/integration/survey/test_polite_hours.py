"""Messages nobody asked for at that moment wait for a decent hour: a survey invitation made at night or on a
holiday is queued (not dropped) until the nudges' polite hours, and the reminder sweep sends it then."""
import dataclasses
import datetime as dt

import pytest

from jaring import sweep
from jaring.__main__ import main
from jaring.clock import WIB
from tests.support import forms as form_answers
from tests.support.dialogue import load_configs

CITIZEN = "6281234500077"


@pytest.fixture
def office(db, jaring):
    form_answers.register_forms(db)
    assert load_configs() == 0
    return jaring


def import_one(tmp_path, finished: str) -> int:
    path = tmp_path / "ptsp.csv"
    path.write_text("nomor_wa;nama;unit;layanan;persetujuan;waktu_datang;waktu_selesai\n"
                    f"0812-3450-0077;Siti;umum;Legalisir;ya;{finished[:10]} 08:00;{finished}\n", encoding="utf-8")
    return main(["tickets", "import", str(path)])


def invitation_records(db):
    return [d.to_dict() for d in db.collection("outbox").stream() if d.to_dict()["purpose"] == "invitation"]


@pytest.mark.parametrize("at,finished,goes_at", [
    # Thursday 8 January 2026, 21:30: the invitation goes on Friday at 08:00.
    (dt.datetime(2026, 1, 8, 21, 30, tzinfo=WIB), "2026-01-08 16:00", dt.datetime(2026, 1, 9, 8, 0, tzinfo=WIB)),
    # Idul Fitri, Friday 20 March 2026 (cuti bersama to Tuesday 24th): it goes on Wednesday 25th at 08:00.
    (dt.datetime(2026, 3, 20, 10, 0, tzinfo=WIB), "2026-03-19 15:00", dt.datetime(2026, 3, 25, 8, 0, tzinfo=WIB)),
])
def test_an_invitation_made_outside_polite_hours_waits_and_the_sweep_sends_it_then(office, db, graph, clock,
                                                                                  tmp_path, capsys, at, finished,
                                                                                  goes_at):
    clock.set(at)
    assert import_one(tmp_path, finished) == 0 and '"invitations": 1' in capsys.readouterr().out
    assert graph.messages(to=CITIZEN) == []
    [record] = invitation_records(db)
    assert record["state"] == "queued" and record["next_attempt_at"] == goes_at
    clock.set(goes_at - dt.timedelta(minutes=1))
    sweep.run(office)
    assert graph.messages(to=CITIZEN) == []
    clock.set(goes_at)
    sweep.run(office)
    [sent] = graph.messages(to=CITIZEN)
    assert sent["type"] == "template" and invitation_records(db)[0]["state"] == "sent"


def test_an_invitation_made_during_a_closure_of_half_a_day_waits_for_its_end(db, jaring, graph, clock, tmp_path,
                                                                           capsys):
    from tests.support.dialogue import SEED

    form_answers.register_forms(db)
    office_file = tmp_path / "kemenag-bangkalan.toml"
    office_file.write_text(open(SEED, encoding="utf-8").read() + '\n[[closures]]\nfrom = 2026-01-08 12:00:00\n'
                           'to = 2026-01-08 16:30:00\nreason = "upacara pelantikan"\n', encoding="utf-8")
    assert load_configs(office_file) == 0
    clock.set(dt.datetime(2026, 1, 8, 13, 0, tzinfo=WIB))  # Thursday, the office closed from 12:00
    assert import_one(tmp_path, "2026-01-08 11:45") == 0 and '"invitations": 1' in capsys.readouterr().out
    assert graph.messages(to=CITIZEN) == []
    [record] = invitation_records(db)
    assert record["state"] == "queued" and record["next_attempt_at"] == dt.datetime(2026, 1, 8, 16, 30, tzinfo=WIB)
    clock.set(dt.datetime(2026, 1, 8, 16, 30, tzinfo=WIB))
    sweep.run(jaring)
    assert graph.messages(to=CITIZEN)[0]["type"] == "template"
