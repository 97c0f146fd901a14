"""The printed IKM notice as the office head pins it to the board: Debian's chromium prints it to PDF (as
`tests.support.report_screens` does), and the PDF is read back: one A4 page, names only, no id or code."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest

from jaring.reports import report, views as report_views
from jaring.survey.responses import UNSUR
from tests.support.dialogue import seed_config

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (`make test` installs Debian's "
                                                          "chromium with apt-get; or apt-get install -y chromium)")
CONFIG = seed_config()
NAMES = report.Names.of(CONFIG)
# Anything internal a reader must not see: unit ids, the office id, unsur codes.
CODES = re.compile(r"\b(" + "|".join(re.escape(u.id) for u in CONFIG.units if "-" in u.id or len(u.id) > 4)
                   + rf"|{re.escape(CONFIG.office)}|U[1-9])\b")


def aggregate(unit: str, rows: list[tuple[int, ...]], profile: dict) -> dict:
    return {"office": CONFIG.office, "day": "2026-02-05", "unit": unit, "service": "Legalisir Ijazah Madrasah Swasta",
            "channel": "form", "responses": len(rows), "profile": profile, "suggestions": 3,
            "sums": {u: sum(r[i] for r in rows) for i, u in enumerate(UNSUR)}}


def quarter(unit: str | None) -> report.Report:
    profile = {"sex": {"L": 40, "P": 52}, "education": {"SMA": 45, "S1": 30, "SMP": 10, "S2": 5, "SD": 2},
               "occupation": {"PNS": 20, "SWASTA": 25, "WIRAUSAHA": 30, "LAINNYA": 12, "TNI/POLRI": 3, "PELAJAR": 2}}
    docs = [aggregate("pendma", [(4, 3, 3, 4, 3, 4, 4, 2, 3)] * 60 + [(3,) * 9] * 32, profile),
            aggregate("kua-tanjung-bumi", [(4,) * 9] * 7, {})]
    return report.build(report.Scope(CONFIG.office, unit), report.quarter(2026, 1), docs, names=NAMES,
                        generated_at=dt.datetime(2026, 4, 1, tzinfo=dt.timezone.utc))


def printed(html: str, tmp_path) -> tuple[int, tuple[float, float], str]:
    """(pages, first page size in points, text) of the page printed by chromium."""
    from pypdf import PdfReader

    page, pdf = tmp_path / "notice.html", tmp_path / "notice.pdf"
    page.write_text(html, encoding="utf-8")
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    return len(reader.pages), (float(box.width), float(box.height)), "\n".join(p.extract_text() for p in reader.pages)


@pytest.mark.parametrize("unit", [None, "pendma"])
def test_the_printed_notice_is_one_a4_page_with_names_and_no_id_or_code(unit, tmp_path):
    pages, size, text = printed(report_views.notice(quarter(unit), CONFIG.name), tmp_path)
    assert pages == 1
    assert abs(size[0] - 595.3) < 2 and abs(size[1] - 841.9) < 2  # A4 in points
    flat = " ".join(text.split())
    assert "INDEKS KEPUASAN MASYARAKAT" in flat and "Triwulan I 2026" in flat
    assert ("SEKSI PENDIDIKAN MADRASAH" in flat) if unit else ("KANTOR KEMENTERIAN AGAMA KABUPATEN BANGKALAN" in flat)
    assert "Perempuan" in flat and "Laki-laki" in flat and "digabung" not in flat
    occupations = flat[flat.index("Pekerjaan"):flat.index("Periode survei")]
    assert occupations.count("Lainnya") == 1  # the answer "Lainnya" and the small groups: one row
    assert "Prioritas perbaikan" in flat and "Penanganan Pengaduan" in flat
    assert not CODES.search(flat), CODES.search(flat)


def test_a_notice_where_every_unsur_is_sangat_baik_says_so_on_paper(tmp_path):
    pages, _, text = printed(report_views.notice(quarter("kua-tanjung-bumi"), CONFIG.name), tmp_path)
    flat = " ".join(text.split())
    assert pages == 1 and "semua unsur sudah Sangat Baik" in flat and "KUA KECAMATAN TANJUNG BUMI" in flat
    assert not CODES.search(flat)


def test_a_notice_where_all_nine_unsur_share_one_score_says_so_in_one_line(tmp_path):
    docs = [aggregate("pendma", [(3,) * 9] * 12, {})]  # every unsur 75,00: the RTL leaves none out, and lists none
    rep = report.build(report.Scope(CONFIG.office, "pendma"), report.quarter(2026, 1), docs, names=NAMES,
                       generated_at=dt.datetime(2026, 4, 1, tzinfo=dt.timezone.utc))
    pages, _, text = printed(report_views.notice(rep, CONFIG.name), tmp_path)
    flat = " ".join(text.split())
    assert pages == 1 and "Prioritas perbaikan: semua unsur sama-sama 75,00" in flat
    assert not CODES.search(flat)
