"""HTML of the reports (pure): the dashboard, the printable IKM notice and the public page.

Pages are self-contained (inline CSS and SVG, no script, no CDN) so they load on slow office
connections and print as they look. Numbers are written the Indonesian way (80,56).
"""
from __future__ import annotations

import datetime as dt
import itertools
from html import escape
from typing import Iterable, Sequence
from urllib.parse import urlencode

from jaring.cases.complaints import RATING_LABELS
from jaring.clock import WIB
from jaring.reports import charts
from jaring.reports.report import (ALL_AT_A, CHANNEL_NAMES, NOT_GIVEN, PROFILE_NAMES, Group, PublicRow, Report, num,
                                   trend_label)
from jaring.survey.responses import UNSUR_NAMES

CSS = """
body{font-family:system-ui,sans-serif;color:#1f2933;max-width:960px;margin:0 auto;padding:16px;line-height:1.4}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.1em;margin:1.4em 0 .4em;border-bottom:1px solid #cbd2d9}
table{border-collapse:collapse;width:100%;margin:.4em 0}td,th{border:1px solid #cbd2d9;padding:4px 6px;text-align:left}
td.n,th.n{text-align:right}.muted{color:#7b8794}.big{font-size:2.4em;font-weight:bold}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #cbd2d9;border-radius:6px;padding:8px 12px;min-width:150px}
form{display:flex;gap:8px;flex-wrap:wrap;align-items:end;margin:8px 0}label{font-size:.85em;display:flex;flex-direction:column}
a{color:#2f6f9f}
@media print{form,.noprint{display:none}}
"""
GRADE_MARKS = [(65.0, "C"), (76.61, "B"), (88.31, "A")]
LOWEST = 25  # the converted index runs from 25 (everyone answered 1) to 100


def page(title: str, body: str, css: str = CSS) -> str:
    return (f'<!doctype html><html lang="id"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{css}</style></head><body>{body}</body></html>")


def _table(headers: Sequence[str] | None, rows: Iterable[Sequence[object]], numeric: Sequence[int] = ()) -> str:
    """A table; columns listed in `numeric` are right-aligned; no header row when headers is None."""
    def cells(tag: str, values: Sequence[object]) -> str:
        return "".join(f'<{tag}{" class=n" if i in numeric else ""}>{escape(str(v))}</{tag}>'
                       for i, v in enumerate(values))

    head = f"<thead><tr>{cells('th', headers)}</tr></thead>" if headers else ""
    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    return f"<table>{head}<tbody>{body}</tbody></table>"


def no_index(group: Group) -> str:
    """Why a group has no index, in words."""
    if not group.tally.respondents:
        return "belum ada jawaban"
    return "belum ada yang menjawab " + ", ".join(UNSUR_NAMES[u] for u in group.tally.unanswered)


def _without_index(report: Report) -> str:
    if not report.total.tally.respondents:
        return "Belum ada jawaban survei pada periode ini."
    return escape(f"IKM belum dapat dihitung: {no_index(report.total)}.")


def _grade_cells(group: Group) -> list[str]:
    index = group.index
    return [str(group.tally.respondents), num(index.ikm) if index else "–", index.mutu if index else "–",
            index.kinerja if index else no_index(group)]


def _groups(title: str, groups: list[Group]) -> str:
    if not groups:
        return ""
    return (f"<h2>{escape(title)}</h2>"
            + _table([title.split(" per ")[-1].capitalize(), "Responden", "IKM", "Mutu", "Kinerja"],
                     ([g.name, *_grade_cells(g)] for g in groups), numeric=(1, 2)))


def _when(moment: dt.datetime | None) -> str:
    return moment.astimezone(WIB).strftime("%d-%m-%Y %H:%M WIB") if moment else ""


def _filters(report: Report, units: Sequence[tuple[str, str]] | None, services: Sequence[str]) -> str:
    scope = report.scope

    def select(label: str, name: str, options: Sequence[tuple[str, str]], current: str | None) -> str:
        opts = "".join(f'<option value="{escape(v)}"{" selected" if v == (current or "") else ""}>{escape(t)}</option>'
                       for v, t in options)
        return f'<label>{label}<select name="{name}">{opts}</select></label>'

    unit = (select("Unit", "unit", [("", "Semua unit"), *units], scope.unit) if units is not None
            else f'<label>Unit<input value="{escape(report.where)}" disabled></label>')
    return ('<form method="get">'
            f'<label>Periode<input name="period" value="{escape(report.period.key)}" size="24" '
            'title="2026-01 · 2026-Q1 · 2026-S1 · 2026 · 2026-01-01..2026-03-31"></label>'
            + unit + select("Layanan", "service", [("", "Semua layanan"), *[(s, s) for s in services]], scope.service)
            + select("Kanal", "channel", [("", "Semua kanal"), *CHANNEL_NAMES.items()], scope.channel)
            + '<button type="submit">Tampilkan</button></form>')


def query(report: Report, **extra: str) -> str:
    scope = report.scope
    params = {"period": report.period.key, "unit": scope.unit, "service": scope.service, "channel": scope.channel,
              **extra}
    return urlencode({k: v for k, v in params.items() if v})


def _index_section(report: Report) -> str:
    index = report.index
    if index is None:
        return f"<p><b>{_without_index(report)}</b></p>"
    weakest, priorities = index.weakest_first(), index.priorities()
    cards = (f'<div class="cards"><div class="card"><div class="muted">IKM</div><div class="big">{num(index.ikm)}</div>'
             f'</div><div class="card"><div class="muted">Mutu · Kinerja</div><div class="big">{index.mutu}</div>'
             f'{escape(index.kinerja)}</div><div class="card"><div class="muted">Responden</div>'
             f'<div class="big">{index.respondents}</div>{report.suggestions} saran tertulis</div></div>')
    rank = {u.key: i + 1 for i, u in enumerate(weakest)}
    table = _table(["Unsur", "Menjawab", "NRR", "NRR × 25", "Urutan (terlemah = 1)"],
                   ([f"{u.key} {u.name}", u.answered, num(u.nrr, 4), num(u.nik), rank[u.key]] for u in index.unsur),
                   numeric=(1, 2, 3, 4))
    chart = charts.hbars([(f"{u.key} {u.name}", float(u.nik), num(u.nik)) for u in weakest], 100,
                         "NRR × 25 per unsur, terlemah di atas; merah: prioritas; garis: batas mutu C, B, A",
                         GRADE_MARKS, highlight=len(priorities), minimum=LOWEST)
    rtl = (f"<ol>{''.join(f'<li>{escape(u.key)} {escape(u.name)}: {num(u.nik)}</li>' for u in priorities)}</ol>"
           if priorities else f"<p>Tidak ada: {ALL_AT_A} (NRR × 25 ≥ 88,31).</p>")
    return (cards + "<h2>Nilai per unsur</h2>" + table + chart
            + "<h2>Prioritas perbaikan (bahan Rencana Tindak Lanjut)</h2><p class=muted>Unsur terlemah yang belum "
              "mencapai mutu A (NRR × 25 &lt; 88,31): tiga terlemah, ditambah unsur lain yang nilainya sama dengan "
              "yang ketiga.</p>" + rtl)


def _funnel_section(report: Report) -> str:
    f, s = report.funnel, report.sample
    if f is None:
        return ""
    rate = f"{f.response_rate:.1%}".replace(".", ",") if f.response_rate is not None else "–"
    chart = charts.hbars([(name, n, str(n)) for name, n in f.rows], max(1, f.invited, f.no_consent),
                         "Setiap undangan dalam satu keadaan", label_width=250)
    states = _table(["Keadaan", "Jumlah"], [*f.rows, ("Jumlah undangan dan warga tanpa persetujuan",
                                                       f.invited + f.no_consent)], numeric=(1,))
    failures = "".join(f"<p class=muted>{title}: " + escape("; ".join(f"{reason} ({n})" for reason, n in counts.items()))
                       + "</p>" for title, counts in ((f"Tidak dikirim ({f.not_sent_total} undangan) karena",
                                                      f.not_sent), ("Gagal terkirim karena", f.failures)) if counts)
    nudges = _table(["Menjawab", "Jumlah"], [("tanpa pengingat", f.after_nudge[0]),
                                              ("setelah 1 pengingat", f.after_nudge[1]),
                                              ("setelah 2 pengingat atau lebih", f.after_nudge[2])], numeric=(1,))
    sample = (f"Sampel: {s.obtained} jawaban dari populasi {s.population} warga dilayani; "
              f"Krejcie–Morgan memerlukan {s.required}. "
              + ("<b>Sampel mencukupi.</b>" if s.adequate else "<b>Sampel belum mencukupi.</b>")
              if s.required else "Populasi warga dilayani belum tercatat (tidak ada tiket), "
                                 "kecukupan sampel tidak dapat dihitung.")
    flow = (f"<p>Lewat WhatsApp Flow: {f.flow_invited} diundang, {f.flow_answered} menjawab.</p>"
            if f.flow_invited else "")
    return (f"<h2>Corong survei{' — ' + escape(report.where) if report.scope.unit else ''}</h2>"
            f"<p>Dilayani <b>{f.served}</b> warga; {f.invited} undangan survei, {f.went_out} di antaranya diterima "
            f"WhatsApp; {f.no_consent} warga tidak diundang karena tidak memberi persetujuan.</p>"
            f"{chart}{states}{failures}<p>Tingkat respons: <b>{rate}</b> dari warga yang dilayani.</p>"
            f"{flow}{nudges}<p>{sample}</p>")


def _trend_section(report: Report) -> str:
    points = [(trend_label(g.name), g) for g in report.trend]
    if len(points) < 2:
        return ""
    return "<h2>Perkembangan</h2>" + charts.vbars(
        [(label, float(g.index.ikm), f"{num(g.index.ikm)} ({g.tally.respondents})") for label, g in points],
        100, "IKM (jumlah responden), skala 25–100", minimum=LOWEST)


def _profile_section(report: Report) -> str:
    blocks = []
    for name, rows in report.profile.items():
        shown = (_table([PROFILE_NAMES[name], "Orang"], rows, numeric=(1,)) if rows
                 else f"<p class=muted>{escape(PROFILE_NAMES[name])}: disembunyikan</p>")
        blocks.append(f"<div style='flex:1;min-width:200px'>{shown}</div>")
    return ("<h2>Profil responden</h2><p class=muted>Kelompok di bawah 5 orang digabung atau disembunyikan; "
            f"“{NOT_GIVEN}” berarti pertanyaan tidak dijawab.</p><div class=cards>" + "".join(blocks) + "</div>")


def _complaints_section(report: Report) -> str:
    c = report.complaints
    if c is None:
        counts = "<p>Belum ada pengaduan tercatat pada periode ini.</p>"
    else:
        wait = (f"{c.median_hours_to_first_answer:.1f} jam".replace(".", ",")
                if c.median_hours_to_first_answer is not None else "–")
        counts = _table(["Masuk", "Masih terbuka", "Lewat batas waktu", "Sudah dijawab", "Dijawab terlambat",
                         "Median waktu jawaban pertama"],
                        [(c.received, c.open, c.overdue, c.answered, c.answered_late, wait)], numeric=range(6))
    return "<h2>Pengaduan</h2>" + counts + _handling_ratings(report)


def _handling_ratings(report: Report) -> str:
    """U8 as the survey measures it beside the complainants' own rating of it: two populations, two
    measures, side by side for the RTL; only the first is part of the IKM."""
    r, index = report.complaint_ratings, report.index
    survey = next((u for u in index.unsur if u.key == "U8"), None) if index else None
    if r is None and survey is None:
        return ""
    months = f"{r.months[0]}" + (f" s.d. {r.months[1]}" if r.months[1] != r.months[0] else "") if r else ""
    rows = [("U8 Penanganan Pengaduan, survei SKM (bagian dari IKM)", survey.answered if survey else 0,
             num(survey.nrr) if survey else "–", num(survey.nik) if survey else "–"),
            (f"Kepuasan pengadu atas penanganan pengaduannya (1 Tidak puas … 4 Sangat puas)"
             f"{' (' + months + ')' if r else ''}; "
             "ukuran terpisah, tidak masuk IKM", r.ratings if r else 0, num(r.nrr) if r else "–",
             num(r.nik) if r else "–")]
    spread = ("<p class=muted>Penilaian pengadu: " + " · ".join(
        f"{escape(label)} {r.values[v]}" for v, label in enumerate(RATING_LABELS, start=1)) + "</p>") if r else ""
    return ("<h3>Penanganan pengaduan (U8): dua ukuran terpisah</h3>"
            + _table(["Ukuran", "Jumlah penilai", "Rata-rata (1–4)", "× 25"], rows, numeric=(1, 2, 3))
            + spread + "<p class=muted>Penilaian pengadu dihitung per bulan penilaian, tidak menambah jumlah "
            "responden SKM dan tidak dipakai menghitung IKM.</p>")


def dashboard(report: Report, office_name: str, units: Sequence[tuple[str, str]] | None,
              services: Sequence[str]) -> str:
    """The office head's page; `units` (id, name) is None for a viewer bound to one unit."""
    scope = report.scope
    where = " · ".join(filter(None, [report.where, scope.service,
                                     CHANNEL_NAMES.get(scope.channel or "", None)]))
    links = (f'<p class="noprint"><a href="export.csv?{query(report)}">Unduh CSV</a> · '
             f'<a href="export.xlsx?{query(report)}">Unduh Excel</a> · '
             f'<a href="notice?{query(report)}">Cetak pengumuman IKM</a></p>')
    body = (f"<h1>Survei Kepuasan Masyarakat — {escape(office_name)}</h1>"
            f"<p>{escape(report.period.label)} · {escape(where)}</p>"
            + _filters(report, units, services) + links + _index_section(report)
            + _groups("IKM per unit", report.units if not scope.unit else [])
            + _groups("IKM per layanan", report.services) + _groups("IKM per kanal", report.channels)
            + _trend_section(report) + _funnel_section(report) + _profile_section(report)
            + _complaints_section(report)
            + f"<p class=muted>IKM = Σ (NRR per unsur × 1/9) × 25, PermenPANRB 14/2017. "
              f"Dibuat {_when(report.generated_at)}.</p>")
    return page(f"SKM {report.period.label} — {office_name}", body)


NOTICE_CSS = CSS + """
@page{size:A4;margin:12mm}body{max-width:180mm;text-align:center;padding:0}
.frame{border:3px solid #2f6f9f;border-radius:8px;padding:6mm 8mm}h1{margin-top:0}h2{border:0}
.ikm{font-size:56pt;font-weight:bold;margin:0;line-height:1.1;color:#2f6f9f}.grade{font-size:18pt;font-weight:bold;margin:.2em}
table{font-size:10pt}td,th{text-align:left;padding:3px 6px}td.n,th.n{text-align:right}
"""


def _profile_line(report: Report, name: str) -> str:
    """"Perempuan 13, Laki-laki 11, tidak diisi 24": the respondents who skipped the question too, so the line adds
    up to the respondents above it."""
    rows = report.profile.get(name) or []
    return ", ".join(f"{v.strip('()') if v == NOT_GIVEN else v} {n}" for v, n in rows) or "–"


def _notice_priorities(report: Report) -> str:
    """The RTL's priorities in words (no codes on the board), those with the same score named together, or that
    there are none."""
    priorities = report.index.priorities()
    if not priorities:
        said = f"tidak ada, {ALL_AT_A}"
    elif len(priorities) == len(report.index.unsur) and len({u.nik_shown for u in priorities}) == 1:
        said = f"semua unsur sama-sama {num(priorities[0].nik)}"
    else:
        groups = [list(tied) for _, tied in itertools.groupby(priorities, key=lambda u: u.nik_shown)]
        said = "; ".join(f"{tied[0].name} ({num(tied[0].nik)})" if len(tied) == 1
                         else f"{', '.join(u.name for u in tied)} (masing-masing {num(tied[0].nik)})" for tied in groups)
    return f"<p><b>Prioritas perbaikan:</b> {escape(said)}</p>"


def notice(report: Report, office_name: str) -> str:
    """The one-page notice for the board, in the layout offices publish under PermenPANRB 14/2017: the unit's
    name as heading with the office below it, or the office's name once for the whole office."""
    index = report.index
    unit = report.where if report.scope.unit else office_name
    if index is None:
        inner = f"<p>{_without_index(report)}</p>"
    else:
        table = _table(["No", "Unsur pelayanan", "Nilai (NRR × 25)"],
                       ((i + 1, u.name, num(u.nik)) for i, u in enumerate(index.unsur)), numeric=(2,))
        inner = (f'<p class="ikm">{num(index.ikm)}</p><p class="grade">MUTU {index.mutu} · '
                 f"{escape(index.kinerja.upper())}</p>"
                 + _table(None, [
                     ("Responden", f"{index.respondents} orang"),
                     ("Jenis kelamin", _profile_line(report, "sex")),
                     ("Pendidikan", _profile_line(report, "education")),
                     ("Pekerjaan", _profile_line(report, "occupation")),
                     ("Periode survei", report.period.label)])
                 + table + _notice_priorities(report))
    below = f"<p>{escape(office_name)}</p>" if report.scope.unit else ""
    # The regulation's sample closing line, addressing citizens as Bapak/Ibu as every text of the office does.
    body = (f'<div class="frame"><h1>INDEKS KEPUASAN MASYARAKAT (IKM)</h1><h2>{escape(unit.upper())}</h2>'
            f"{below}{inner}"
            "<p><i>Terima kasih atas penilaian yang telah Bapak/Ibu berikan. Masukan Bapak/Ibu sangat bermanfaat "
            f"untuk kemajuan {'unit' if report.scope.unit else 'kantor'} kami agar terus memperbaiki dan "
            "meningkatkan kualitas pelayanan bagi masyarakat.</i></p>"
            "<p class=muted>Nilai IKM 25–100: A Sangat Baik ≥ 88,31 · B Baik ≥ 76,61 · C Kurang Baik ≥ 65,00 · "
            "D Tidak Baik &lt; 65,00 (PermenPANRB 14/2017)</p></div>")
    return page(f"IKM {unit} {report.period.label}", body, NOTICE_CSS)


def public_page(office_name: str, year: int, rows: list[PublicRow], years: Sequence[int]) -> str:
    """The transparency page: IKM per quarter and unit, counts only, nothing about any person."""
    links = " · ".join(f'<a href="?year={y}">{y}</a>' if y != year else f"<b>{y}</b>" for y in years)
    table = _table(["Periode", "Unit", "Responden", "IKM", "Mutu", "Kinerja"], (
        (r.quarter, r.unit, r.respondents, *((num(r.index.ikm), r.index.mutu, r.index.kinerja) if r.index else
                                             ("–", "–", "kurang dari 5 responden"))) for r in rows),
        numeric=(2, 3)) if rows else "<p>Belum ada hasil survei pada tahun ini.</p>"
    body = (f"<h1>Hasil Survei Kepuasan Masyarakat</h1><p>{escape(office_name)} · Tahun {year}</p>"
            f'<p class="noprint">{links}</p>{table}'
            "<p class=muted>IKM dihitung menurut PermenPANRB 14/2017 dari jawaban warga yang dilayani (Google Form, "
            "WhatsApp dan kuesioner kertas). Hanya jumlah yang ditampilkan, tanpa data pribadi; nilai dari kurang "
            "dari 5 responden tidak ditampilkan. Skala 25–100: A Sangat Baik ≥ 88,31 · B Baik ≥ 76,61 · "
            "C Kurang Baik ≥ 65,00 · D Tidak Baik.</p>")
    return page(f"Hasil SKM {office_name} {year}", body)

