"""The `reports` function as staff and the public reach it: dashboard, exports, notice, public page."""
import dataclasses
import datetime as dt
import io
import re

import pytest

from jaring.reports.report import Names
from jaring.reports.store import ReportStore
from jaring.survey import store as response_store
from jaring.survey.responses import UNSUR, validate
from tests.conftest import OFFICE

UTC = dt.timezone.utc
JAN = dt.datetime(2026, 1, 6, 3, 0, tzinfo=UTC)  # the clock fixture stands at 2026-01-08
HEAD = f"kepala@kemenag.go.id|office_head|{OFFICE}|"
UNIT_HEAD = f"kepala.tu@kemenag.go.id|unit_head|{OFFICE}|umum"
SECRET_SUGGESTION = "Pak Budi di loket 2 minta uang rokok"


@pytest.fixture
def reports(functions_client, jaring, db, emulator_host):
    jaring.settings = dataclasses.replace(jaring.settings, emulator_host=emulator_host, dev_identity_allowed=True)
    rows = [("umum", (4, 4, 3, 4, 3, 4, 4, 2, 3), "form")] * 6 + [("umum", (3,) * 9, "paper")] * 2 + [
        ("kua-kamal", (2, 3, 2, 4, 3, 3, 3, 2, 2), "chat")] * 2
    for i, (unit, values, channel) in enumerate(rows):
        response_store.add(db, validate(
            office=OFFICE, unit=unit, service="Legalisir" if i % 2 else "Nikah", channel=channel, submitted_at=JAN,
            answers=dict(zip(UNSUR, values)), source_id=f"seed:{i}", profile={"sex": "P" if i < 7 else "L"},
            suggestion=SECRET_SUGGESTION if i == 0 else ""))
    return functions_client("reports")


def get(client, path="/", identity=HEAD, **args):
    headers = {"X-Jaring-Dev-Identity": identity} if identity else {}
    return client.get(path, query_string=args, headers=headers)


def test_the_office_head_sees_the_quarter_of_every_unit_with_inline_charts(reports):
    r = get(reports, period="2026-Q1")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert "Kantor Kementerian Agama Kabupaten Bangkalan" in page and "Triwulan I 2026" in page
    assert "KUA Kecamatan Kamal" in page and "Subbagian Tata Usaha (Bidang Umum)" in page
    assert not re.search(r">[^<]*\b(kua-kamal|umum)\b", page)  # ids only as the unit filter's values
    assert "<svg" in page and "<script" not in page and 'src="http' not in page and "<link" not in page
    assert "Prioritas perbaikan" in page and "U8 Penanganan Pengaduan" in page
    assert "Belum ada pengaduan" in page
    assert SECRET_SUGGESTION not in page
    assert r.headers["Cache-Control"] == "private, no-store"


def test_a_unit_served_elsewhere_is_not_offered_as_a_filter_without_answers(reports):
    page = get(reports, period="2026-Q1").get_data(as_text=True)
    assert '<option value="umum">' in page and '<option value="kua-socah">' in page  # units served here, even unanswered
    assert '<option value="haji">' not in page and "Seksi Penyelenggaraan Haji dan Umrah" not in page


def test_a_unit_head_sees_only_their_unit(reports):
    page = get(reports, identity=UNIT_HEAD, period="2026-01").get_data(as_text=True)
    assert "Subbagian Tata Usaha (Bidang Umum)" in page and "Kamal" not in page
    assert get(reports, identity=UNIT_HEAD, unit="kua-kamal").status_code == 403


@pytest.mark.parametrize("identity, status", [
    (None, 401),
    (f"petugas@kemenag.go.id|officer|{OFFICE}|umum", 403),
    (f"irjen@kemenag.go.id|inspectorate|{OFFICE}|", 403),
    (f"kepala@kemenag.go.id|head|{OFFICE}|", 401),  # not a role
    (f"x@kemenag.go.id|superuser|{OFFICE}|", 401),
])
def test_reports_are_for_signed_in_heads_only(reports, identity, status):
    assert get(reports, identity=identity).status_code == status


def test_the_dev_identity_header_is_refused_unless_the_local_stack_allows_it(reports, jaring):
    jaring.settings = dataclasses.replace(jaring.settings, dev_identity_allowed=False)
    assert get(reports).status_code == 401


def test_an_admin_sees_the_office_like_its_head(reports):
    page = get(reports, identity=f"it@kemenag.go.id|admin|{OFFICE}|", period="2026-Q1").get_data(as_text=True)
    assert "KUA Kecamatan Kamal" in page and "Subbagian Tata Usaha (Bidang Umum)" in page


def test_a_period_that_does_not_exist_is_a_clear_400(reports):
    r = get(reports, period="2026-Q7")
    assert r.status_code == 400 and "2026-Q7" in r.get_data(as_text=True)
    assert get(reports, channel="fax").status_code == 400


def test_the_csv_export_opens_in_excel_with_accents_and_the_exact_index(reports):
    r = get(reports, "/export.csv", period="2026-01", unit="umum")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert 'filename="skm-kemenag-bangkalan-umum-2026-01.csv"' in r.headers["Content-Disposition"]
    body = r.data
    assert body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("bagian,nama,responden,NRR U1")
    # 6 × (31/9) + 2 × 3 = 26.6667 of 8 → NRR mean 3.3333… IKM = (6 × 31 + 2 × 27) / 72 × 25 = 83.3333
    assert lines[1].split(",")[:3] == ["total", "Semua", "8"] and lines[1].split(",")[-3:] == [
        "83.3333", "B", "Baik"]


def test_the_excel_export_has_a_summary_unsur_and_detail(reports):
    from openpyxl import load_workbook

    r = get(reports, "/export.xlsx", period="2026-Q1")
    book = load_workbook(io.BytesIO(r.data))
    assert book.sheetnames == ["Ringkasan", "Unsur", "Rincian", "Profil"]
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Responden"] == 10 and summary["Mutu"] == "B"
    unsur = list(book["Unsur"].iter_rows(values_only=True))
    assert unsur[8][0] == "U8" and unsur[8][4] == 1  # the weakest unsur


def test_the_printable_notice_shows_the_index_grade_and_respondents(reports):
    page = get(reports, "/notice", period="2026-Q1", unit="umum").get_data(as_text=True)
    assert "INDEKS KEPUASAN MASYARAKAT" in page and "83,33" in page and "MUTU B" in page
    assert "8 orang" in page and "@page" in page


def test_the_public_page_needs_no_login_and_shows_no_personal_data(reports):
    r = reports.get("/public/kemenag-bangkalan", query_string={"year": "2026"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "Triwulan I 2026" in page
    assert "<td>Subbagian Tata Usaha (Bidang Umum)</td><td class=n>8</td><td class=n>83,33</td>" in page
    assert "<td>KUA Kecamatan Kamal</td><td class=n>2</td><td class=n>–</td>" in page  # only two: withheld
    assert "kua-kamal" not in page and ">umum<" not in page
    assert SECRET_SUGGESTION not in page and "kepala@" not in page
    assert reports.get("/public/Not an office!").status_code == 404


def test_an_office_nobody_configured_is_not_found_and_not_remembered(reports, jaring):
    assert reports.get("/public/kantor-rekaan-123").status_code == 404
    assert "kantor-rekaan-123" not in jaring._configs._cache
    assert reports.get("/public/kemenag-bangkalan", query_string={"year": "1999"}).status_code == 400


def test_the_staff_quick_summary_reads_today_and_this_month(reports, db, jaring):
    names = Names.of(jaring.office_config(OFFICE))
    text = ReportStore(db).quick_summary(OFFICE, "umum", jaring.clock.now(), names)
    assert text.splitlines()[:3] == ["Ringkasan SKM Subbagian Tata Usaha (Bidang Umum)", "Hari ini: belum ada jawaban",
                                     "Januari 2026: 8 jawaban, IKM 83,33 (B, Baik)"]


def test_a_google_id_token_is_checked_like_admin_apis(reports, jaring):
    # Google's certificates cannot be fetched here (closed port): the caller is told to retry, not let in.
    jaring.settings = dataclasses.replace(jaring.settings, admin_audience="https://reports.example",
                                          id_token_certs_url="http://127.0.0.1:9/certs")
    r = reports.get("/", headers={"Authorization": "Bearer abc.def.ghi"})
    assert r.status_code == 503 and "certificates" in r.get_data(as_text=True)
    assert reports.get("/").status_code == 401
