"""Roll-ups as HTML, CSV and XLSX (pure): a Kanwil's or the ministry's table of the offices below it, and the
national public page. Same look and rules as the office reports (report_views): counts only, an index of
fewer than the minimum respondents not shown on the public page."""
from __future__ import annotations

import csv
import io
from html import escape
from typing import Any, Sequence

from jaring.reports.export import workbook_bytes
from jaring.reports.report import MIN_CELL, num
from jaring.reports.rollup import PublicCell, Rollup, Totals
from jaring.reports.views import CSS, _table, page

WIDE = CSS + "body{max-width:1400px}table{font-size:.85em}"  # one row per office, many columns


def _pct(value: float | None) -> str:
    return f"{value * 100:.0f}%".replace(".", ",") if value is not None else "–"


HEADER = ["Peringkat", "Kantor", "Di bawah", "IKM", "Mutu", "Responden", "Sampel (Krejcie–Morgan)", "Sampel cukup",
          "Dilayani", "Diundang", "Terkirim", "Menjawab", "Tingkat respons", "Pengaduan", "Dijawab tepat waktu"]


def _cells(rank: Any, name: str, parent: str, t: Totals) -> list[Any]:
    index, sample = t.index, t.sample
    return [rank if rank is not None else "–", name, parent, num(index.ikm) if index else "–", index.mutu if index else "–",
            t.tally.respondents, sample.required if sample.required is not None else "–",
            {True: "ya", False: "belum", None: "–"}[sample.adequate],
            *(t.count(k) for k in ("served", "invited", "delivered", "answered")), _pct(t.response_rate),
            t.complaint("received"), _pct(t.on_time)]


def rows(rollup: Rollup) -> list[list[Any]]:
    """The table's lines: every office ranked, then the total of all of them."""
    return [_cells(r.rank, r.name, r.parent, r.totals) for r in rollup.rows] + [
        _cells(None, "Jumlah", rollup.over, rollup.total)]


def dashboard(rollup: Rollup, query: str = "") -> str:
    p = rollup.period
    trend_head = [label for label, _, _ in rollup.rows[0].trend] if rollup.rows else []
    trend = _table(["Kantor", *trend_head], ([r.name, *(num(i.ikm) if i else "–" for _, i, _ in r.trend)]
                                            for r in rollup.rows), numeric=range(1, 1 + len(trend_head)))
    total = rollup.total
    cards = (f'<div class=cards><div class=card>IKM gabungan<div class=big>'
             f'{num(total.index.ikm) if total.index else "–"}</div>{total.index.mutu if total.index else ""}</div>'
             f"<div class=card>Kantor<div class=big>{len(rollup.rows)}</div></div>"
             f"<div class=card>Responden<div class=big>{total.tally.respondents}</div></div>"
             f"<div class=card>Tingkat respons<div class=big>{_pct(total.response_rate)}</div></div></div>")
    missing = (f"<p class=muted>Belum ada ringkasan untuk: {escape(', '.join(rollup.missing))} "
               "(diperbarui sekali sehari oleh sweep, atau <code>python -m jaring rollup refresh</code>).</p>"
               if rollup.missing else "")
    links = (f'<p class=noprint><a href="export.csv?{query}">Unduh CSV</a> · '
             f'<a href="export.xlsx?{query}">Unduh XLSX</a></p>')
    body = (f"<h1>Perbandingan kantor · {escape(rollup.over)}</h1><p>{escape(p.label)} · kantor di bawah "
            f"{escape(rollup.over)}, diurutkan menurut IKM</p>"
            '<form method=get class=noprint><label>Periode<input name=period value="'
            f'{escape(p.key)}"></label><button>Tampilkan</button></form>{cards}{links}'
            f"<h2>Peringkat</h2>{_table(HEADER, rows(rollup), numeric=(0, 3, 5, 6, 8, 9, 10, 11, 12, 13, 14))}"
            f"{missing}<h2>Tren IKM per triwulan</h2>{trend}"
            "<p class=muted>Dihitung dari ringkasan bulanan tiap kantor (jumlah jawaban dan Σ per unsur, corong "
            "undangan, pengaduan), tidak dari jawaban perorangan. Sampel: Krejcie–Morgan dari jumlah warga yang "
            "dilayani. Tepat waktu: pengaduan yang dijawab tanpa melewati batas waktu, dari yang sudah dijawab.</p>")
    return page(f"Perbandingan kantor {rollup.over} {p.label}", body, WIDE)


def to_csv(rollup: Rollup) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows(rollup))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rollup: Rollup) -> bytes:
    from openpyxl import Workbook  # heavy; only the export needs it

    book = Workbook()
    sheet = book.active
    sheet.title = "Peringkat"
    sheet.append([f"Perbandingan kantor · {rollup.over}", rollup.period.label])
    sheet.append(HEADER)
    for row in rows(rollup):
        sheet.append(row)
    trend = book.create_sheet("Tren IKM")
    trend.append(["Kantor", *(label for label, _, _ in (rollup.rows[0].trend if rollup.rows else ()))])
    for r in rollup.rows:
        trend.append([r.name, *(round(float(i.ikm), 4) if i else None for _, i, _ in r.trend)])
    return workbook_bytes(book)


def public_page(year: int, table: list[tuple[str, list[PublicCell]]], years: Sequence[int]) -> str:
    """Every office's IKM and response rate per quarter of a year; counts only."""
    links = " · ".join(f'<a href="?year={y}">{y}</a>' if y != year else f"<b>{y}</b>" for y in years)
    head = ["Kantor"] + [f"{q} {part}" for q in ("TW I", "TW II", "TW III", "TW IV") for part in ("IKM", "Respons")]

    def cell(c: PublicCell) -> list[str]:
        if not c.respondents:
            return ["–", _pct(c.response_rate)]
        return [f"{num(c.index.ikm)} ({c.index.mutu})" if c.index else f"< {MIN_CELL} responden",
                _pct(c.response_rate)]
    body = (f"<h1>Hasil Survei Kepuasan Masyarakat seluruh kantor</h1><p>Kementerian Agama · Tahun {year}</p>"
            f'<p class="noprint">{links}</p>'
            + (_table(head, ([name, *(v for c in cells for v in cell(c))] for name, cells in table),
                      numeric=range(1, 9)) if table else "<p>Belum ada kantor.</p>")
            + "<p class=muted>IKM per triwulan menurut PermenPANRB 14/2017; tingkat respons = warga yang menjawab dari "
              f"warga yang dilayani. Hanya jumlah, tanpa data pribadi; IKM dari kurang dari {MIN_CELL} responden tidak "
              "ditampilkan. Skala 25–100: A Sangat Baik ≥ 88,31 · B Baik ≥ 76,61 · C Kurang Baik ≥ 65,00 · "
              "D Tidak Baik.</p>")
    return page(f"Hasil SKM seluruh kantor {year}", body, WIDE)
