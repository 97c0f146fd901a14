"""A Kanwil and the ministry compare the offices below them (reports /rollup), and everyone sees every
office's IKM by quarter (/public/nasional): from one summary per office and month, never from responses."""
import csv
import dataclasses
import datetime as dt
import io

import pytest

from jaring.__main__ import main
from jaring.survey import store as response_store
from jaring.survey.responses import UNSUR, validate
from tests.conftest import PROJECT
from tests.support import offices

pytestmark = pytest.mark.emulator
JAN = dt.datetime(2026, 1, 6, 3, 0, tzinfo=dt.timezone.utc)  # the clock fixture stands at 2026-01-08
KANWIL_B = "kanwil-bali"
SAMPANG, PAMEKASAN, BULELENG = "kemenag-sampang", "kemenag-pamekasan", "kemenag-buleleng"
KANWIL_HEAD = f"kakanwil@jatim.example.go.id|office_head|{offices.KANWIL}|"
PLANNING = f"biro.perencanaan@kemenag.example.go.id|planning|{offices.PUSAT}|"
ANSWERS = {SAMPANG: [(4,) * 9] * 6, PAMEKASAN: [(3,) * 9] * 4 + [(2,) * 9] * 4, BULELENG: [(3,) * 9] * 3}


@pytest.fixture
def loaded(tmp_path, db, jaring, monkeypatch, capsys, emulator_host):
    """Two offices under Jawa Timur's Kanwil, one under Bali's; their answers in January; summaries refreshed."""
    jaring.settings = dataclasses.replace(jaring.settings, emulator_host=emulator_host, dev_identity_allowed=True)
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", PROJECT)
    files = [*offices.tree(tmp_path),
             offices.write(tmp_path, KANWIL_B, "Kanwil Kementerian Agama Provinsi Bali", level="kanwil",
                           parent=offices.PUSAT),
             offices.write(tmp_path, SAMPANG, "Kantor Kementerian Agama Kabupaten Sampang", n=3),
             offices.write(tmp_path, PAMEKASAN, "Kantor Kementerian Agama Kabupaten Pamekasan", n=4),
             offices.write(tmp_path, BULELENG, "Kantor Kementerian Agama Kabupaten Buleleng", n=5, parent=KANWIL_B)]
    assert main(["config", "load", *map(str, files)]) == 0
    for office, answer_sets in ANSWERS.items():
        for i, values in enumerate(answer_sets):
            response_store.add(db, validate(office=office, unit="umum", service="Konsultasi", channel="form",
                                            submitted_at=JAN, answers=dict(zip(UNSUR, values)),
                                            source_id=f"{office}:{i}"))
    monkeypatch.setenv("JARING_CLOCK_FILE", "")
    assert main(["rollup", "refresh", "--period", "2026-01"]) == 0
    assert "refreshed 3 office-month summaries" in capsys.readouterr().out


def get(client, path, identity=None, **args):
    return client.get(path, query_string=args, headers={"X-Jaring-Dev-Identity": identity} if identity else {})


def test_the_kanwil_sees_its_offices_ranked_by_ikm_and_nothing_of_another_kanwil(loaded, functions_client):
    page = get(functions_client("reports"), "/rollup", KANWIL_HEAD, period="2026-Q1")
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html
    assert html.index("Kabupaten Sampang") < html.index("Kabupaten Pamekasan")  # 100,00 before 62,50
    assert "Buleleng" not in html
    assert "Triwulan I 2026" in html and "Tren IKM per triwulan" in html


def test_the_rollup_total_is_the_sum_of_its_offices(loaded, functions_client):
    answer = get(functions_client("reports"), "/rollup/export.csv", KANWIL_HEAD, period="2026-Q1")
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    by_name = {r[header.index("Kantor")]: r for r in body}
    respondents = [int(by_name[n][header.index("Responden")]) for n in by_name if n != "Jumlah"]
    assert sorted(respondents) == [6, 8] and int(by_name["Jumlah"][header.index("Responden")]) == 14
    assert by_name["Kantor Kementerian Agama Kabupaten Sampang"][header.index("IKM")] == "100,00"
    assert by_name["Jumlah"][header.index("IKM")] == "78,57"  # (6×4 + 4×3 + 4×2) / 14 × 25, not a mean of means


def test_the_ministry_sees_every_office_and_exports_xlsx(loaded, functions_client):
    client = functions_client("reports")
    html = get(client, "/rollup", PLANNING, period="2026-Q1").get_data(as_text=True)
    assert all(name in html for name in ("Sampang", "Pamekasan", "Buleleng"))
    xlsx = get(client, "/rollup/export.xlsx", PLANNING, period="2026-Q1")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


@pytest.mark.parametrize("identity", [
    f"kepala@sampang.example.go.id|office_head|{SAMPANG}|",  # a district office: no roll-up
    f"petugas@jatim.example.go.id|officer|{offices.KANWIL}|umum",  # an officer at the Kanwil
])
def test_nobody_below_a_kanwil_head_sees_a_rollup(loaded, functions_client, identity):
    assert get(functions_client("reports"), "/rollup", identity, period="2026-Q1").status_code == 403


def test_the_national_public_page_lists_every_office_and_withholds_small_indices(loaded, functions_client):
    page = get(functions_client("reports"), "/public/nasional", year="2026")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<script" not in html
    assert "100,00 (A)" in html and "62,50 (D)" in html
    assert "&lt; 5 responden" in html  # Buleleng: 3 answers
    assert html.index("Buleleng") < html.index("Pamekasan") < html.index("Sampang")  # by name
