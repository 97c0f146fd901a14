"""A report as CSV (UTF-8 with BOM, so Excel shows the accents) or XLSX (pure; openpyxl loaded on use)."""
from __future__ import annotations

import csv
import io
from typing import Any

from jaring.reports.report import CHANNEL_NAMES, PROFILE_NAMES, Group, Report
from jaring.survey.responses import UNSUR, UNSUR_NAMES

# A text cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """A text that a spreadsheet shows as text: a leading ' before a formula start (numbers stay numbers)."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


HEADER = ["bagian", "nama", "responden", *[f"NRR {u}" for u in UNSUR], "IKM", "mutu", "kinerja"]


def _row(part: str, group: Group) -> list[Any]:
    index, tally = group.index, group.tally
    if index is None:  # no respondents, or an unsur nobody answered: the NRR of the others, no IKM
        nrr = [round(total / n, 4) if n else None for total, n in zip(tally.sums, tally.answered())]
        return [part, group.name, tally.respondents, *nrr, None, None, None]
    return [part, group.name, index.respondents, *[round(float(n), 4) for n in index.nrr],
            round(float(index.ikm), 4), index.mutu, index.kinerja]


def rows(report: Report) -> list[list[Any]]:
    """One line per group: the whole scope, then per unit, service, channel and period step."""
    table = [_row("total", report.total)]
    for part, groups in (("unit", report.units), ("layanan", report.services), ("kanal", report.channels),
                         ("tren", report.trend)):
        table += [_row(part, g) for g in groups]
    return table


def filename(report: Report, extension: str) -> str:
    parts = [report.scope.office, report.scope.unit, report.period.key.replace("..", "_")]
    safe = "-".join("".join(c if c.isalnum() or c in "-_" else "_" for c in p) for p in parts if p)
    return f"skm-{safe}.{extension}"


def to_csv(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(["" if c is None else inert(c) for c in row] for row in rows(report))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook  # heavy; only the export needs it
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    summary.title = "Ringkasan"
    index, funnel, sample = report.index, report.funnel, report.sample
    lines: list[list[Any]] = [
        ["Survei Kepuasan Masyarakat", report.names.office],
        ["Periode", report.period.label], ["Unit", report.where],
        ["Layanan", report.scope.service or "Semua"],
        ["Kanal", CHANNEL_NAMES.get(report.scope.channel or "", "Semua")],
        ["Responden", report.total.tally.respondents],
        ["IKM", round(float(index.ikm), 4) if index else None], ["Mutu", index.mutu if index else None],
        ["Kinerja", index.kinerja if index else None],
        ["Populasi dilayani", sample.population], ["Sampel diperlukan (Krejcie–Morgan)", sample.required],
    ]
    if funnel:
        lines += [["Dilayani", funnel.served], ["Undangan", funnel.invited]]
        lines += [[name, n] for name, n in funnel.rows]
        lines += [[f"Tidak dikirim: {reason}", n] for reason, n in funnel.not_sent.items()]
        lines += [[f"Gagal: {reason}", n] for reason, n in funnel.failures.items()]
        lines += [["Menjawab tanpa pengingat", funnel.after_nudge[0]], ["Setelah 1 pengingat", funnel.after_nudge[1]],
                  ["Setelah 2+ pengingat", funnel.after_nudge[2]]]
    for line in lines:
        summary.append(line)
    summary["A1"].font = Font(bold=True)

    unsur = book.create_sheet("Unsur")
    unsur.append(["Unsur", "Nama", "NRR", "NRR × 25", "Urutan (terlemah = 1)"])
    if index:
        rank = {u.key: i + 1 for i, u in enumerate(index.weakest_first())}
        for u in index.unsur:
            unsur.append([u.key, UNSUR_NAMES[u.key], float(u.nrr), float(u.nik), rank[u.key]])

    detail = book.create_sheet("Rincian")
    detail.append(HEADER)
    for row in rows(report):
        detail.append(row)

    profile = book.create_sheet("Profil")
    profile.append(["Pertanyaan", "Jawaban", "Orang"])
    for name, counts in report.profile.items():
        for value, n in counts:
            profile.append([PROFILE_NAMES[name], value, n])
    return workbook_bytes(book)


def workbook_bytes(book: Any) -> bytes:
    """An openpyxl workbook as XLSX, each sheet's first row (its header) in bold."""
    from openpyxl.styles import Font

    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for line in sheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # stored as text, never as a formula, whatever it starts with
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
