"""The report pages as HTML: self-contained, escaped, and on the IKM's own scale."""
import datetime as dt
import re

from jaring.reports import charts, export as report_export, views as report_views
from jaring.reports.report import Funnel, Names, Scope, build, parse_period
from jaring.survey.responses import UNSUR

OFFICE = "kemenag-bangkalan"


FUNNEL = Funnel(20, {"waiting": 1, "sent": 1, "delivered": 3, "read": 2, "answered": 8, "failed": 2, "opted_out": 1},
                {"nomor tidak dapat menerima pesan WhatsApp": 2}, no_consent=2, after_nudge=(5, 2, 1))


def day(d, unit, rows, service="Legalisir"):
    return {"office": OFFICE, "day": d, "unit": unit, "service": service, "channel": "form",
            "responses": len(rows), "sums": {u: sum(r[i] for r in rows) for i, u in enumerate(UNSUR)},
            "suggestions": 0, "profile": {}}


def a_report(unit_name="umum", service="Legalisir"):
    docs = [day("2026-01-05", unit_name, [(4, 4, 3, 4, 3, 4, 4, 2, 3)] * 6, service),
            day("2026-02-05", "kua-kamal", [(3,) * 9] * 2)]
    return build(Scope(OFFICE), parse_period("2026-Q1", dt.date(2026, 2, 14)), docs,
                 funnel=FUNNEL, generated_at=dt.datetime(2026, 2, 14, tzinfo=dt.timezone.utc))


def test_a_bar_at_the_lowest_possible_index_is_empty_and_the_highest_is_full():
    svg = charts.hbars([("lowest", 25, "25"), ("highest", 100, "100")], 100, "t", minimum=25, width=500,
                       label_width=100)
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths == [0.0, 340.0]


def test_names_typed_by_staff_are_escaped_everywhere():
    page = report_views.dashboard(a_report(unit_name="<script>alert(1)</script>", service="A & B"), "Kantor <X>",
                                  [("x", "<script>alert(1)</script>")], ["A & B"])
    assert "<script>" not in page and "&lt;script&gt;" in page and "A &amp; B" in page and "Kantor &lt;X&gt;" in page


def test_the_dashboard_is_one_self_contained_page():
    page = report_views.dashboard(a_report(), "Kankemenag Bangkalan", [("kua-kamal", "KUA Kecamatan Kamal"),
                                                                       ("umum", "Subbagian Tata Usaha")], ["Legalisir"])
    assert page.startswith("<!doctype html>") and page.count("<svg") == 3  # unsur, trend, funnel
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "export.csv?period=2026-Q1" in page and "notice?period=2026-Q1" in page


def test_the_trend_names_its_days_and_months_as_people_read_them():
    page = report_views.dashboard(a_report(), "Kankemenag Bangkalan", [], [])
    trend = page[page.index("<h2>Perkembangan</h2>"):]
    assert ">Jan 2026<" in trend and ">Feb 2026<" in trend  # a quarter: by month
    days = build(Scope(OFFICE), parse_period("2026-01", dt.date(2026, 2, 14)),
                 [day("2026-01-05", "umum", [(4,) * 9]), day("2026-01-07", "umum", [(3,) * 9])])
    trend = report_views.dashboard(days, "Kankemenag Bangkalan", [], [])
    assert ">5 Jan<" in trend and ">7 Jan<" in trend and "01-07" not in trend  # "01-07" reads as 1 July


def test_the_notice_and_the_csv_agree_on_the_index():
    rep = a_report()
    page = report_views.notice(rep, "Kankemenag Bangkalan")
    csv_total = report_export.to_csv(rep).decode("utf-8-sig").splitlines()[1].split(",")
    # (6 × 31 + 2 × 27) / 72 × 25 = 83.3333
    assert csv_total[-3] == "83.3333" and "83,33" in page and "MUTU B" in page


def test_the_complainants_rating_sits_beside_the_surveys_u8_as_a_separate_measure():
    from jaring.reports.report import ComplaintRatings

    rep = a_report()
    rated = build(rep.scope, rep.period, [day("2026-01-05", "umum", [(4, 4, 3, 4, 3, 4, 4, 2, 3)] * 6),
                                          day("2026-02-05", "kua-kamal", [(3,) * 9] * 2)],
                  complaint_ratings=ComplaintRatings(4, 10, {1: 1, 2: 1, 3: 1, 4: 1}, ("2026-01", "2026-02")))
    page = report_views.dashboard(rated, "Kankemenag Bangkalan", None, [])
    section = page[page.index("<h2>Pengaduan</h2>"):]
    survey_u8 = next(u for u in rated.index.unsur if u.key == "U8")
    assert "U8 Penanganan Pengaduan, survei SKM (bagian dari IKM)" in section
    assert f"<td class=n>8</td><td class=n>2,25</td><td class=n>{str(round(float(survey_u8.nik), 2)).replace('.', ',')}" in section
    assert "ukuran terpisah, tidak masuk IKM" in section and "(2026-01 s.d. 2026-02)" in section
    assert "<td class=n>4</td><td class=n>2,50</td><td class=n>62,50</td>" in section
    assert "Tidak puas 1 · Kurang puas 1 · Puas 1 · Sangat puas 1" in section
    assert rated.index.respondents == 8  # the four ratings did not become respondents


NAMES = Names("Kantor Kementerian Agama Kabupaten Bangkalan",
              {"umum": "Subbagian Tata Usaha (Bidang Umum)", "kua-kamal": "KUA Kecamatan Kamal"})
IDS = re.compile(r">[^<]*\b(umum|kua-kamal|kemenag-bangkalan)\b[^<]*<")  # an id in text a reader sees


def named(scope=Scope(OFFICE), rows=((4, 4, 3, 4, 3, 4, 4, 2, 3),) * 6):
    docs = [day("2026-01-05", "umum", list(rows)), day("2026-02-05", "kua-kamal", [(3,) * 9] * 2)]
    return build(scope, parse_period("2026-Q1", dt.date(2026, 2, 14)), docs, names=NAMES,
                 funnel=FUNNEL)


def test_the_dashboard_names_units_from_the_office_file_and_keeps_ids_only_in_the_filters_values():
    page = report_views.dashboard(named(), NAMES.office, [(k, v) for k, v in NAMES.units.items()], ["Legalisir"])
    assert "KUA Kecamatan Kamal" in page and "Subbagian Tata Usaha (Bidang Umum)" in page
    assert '<option value="kua-kamal">KUA Kecamatan Kamal</option>' in page
    assert not IDS.search(page)


def test_the_office_wide_notice_names_the_office_once_and_no_id_or_code():
    page = report_views.notice(named(), NAMES.office)
    assert page.count("Kantor Kementerian Agama Kabupaten Bangkalan".upper()) + page.count(NAMES.office) == 2  # title
    assert "<h2>KANTOR KEMENTERIAN AGAMA KABUPATEN BANGKALAN</h2>" in page and f"<p>{NAMES.office}</p>" not in page
    assert not IDS.search(page) and not re.search(r"\bU[1-9]\b", page)
    # It speaks to the citizens who read the board as every text of the office does, for the office as a whole.
    assert "Anda" not in page and "penilaian yang telah Bapak/Ibu berikan" in page and "kemajuan kantor kami" in page


def test_a_units_notice_is_headed_by_its_name_with_the_office_below():
    page = report_views.notice(named(Scope(OFFICE, unit="umum")), NAMES.office)
    assert "<h2>SUBBAGIAN TATA USAHA (BIDANG UMUM)</h2><p>Kantor Kementerian Agama Kabupaten Bangkalan</p>" in page
    assert "kemajuan unit kami" in page
    # Weakest first, three and any scored the same as the third, equal scores named together, in words only.
    assert ("Prioritas perbaikan:</b> Penanganan Pengaduan, Saran dan Masukan (50,00); Waktu Penyelesaian, "
            "Produk Spesifikasi Jenis Pelayanan, Sarana dan Prasarana (masing-masing 75,00)</p>") in page
    assert not IDS.search(page)


def test_when_every_unsur_is_sangat_baik_the_notice_and_dashboard_say_so_and_draw_nothing_in_red():
    rep = named(Scope(OFFICE, unit="umum"), rows=((4,) * 9,) * 6)
    assert "Prioritas perbaikan:</b> tidak ada, semua unsur sudah Sangat Baik" in report_views.notice(rep, NAMES.office)
    page = report_views.dashboard(rep, NAMES.office, None, [])
    assert "Tidak ada: semua unsur sudah Sangat Baik" in page and charts.WEAK not in page


def test_an_unsur_nobody_answered_shows_no_index_and_says_which():
    docs = [{**day("2026-01-05", "umum", [(4,) * 9] * 6), "sums": {u: 24 for u in UNSUR if u != "U4"},
             "blanks": {"U4": 6}}]
    rep = build(Scope(OFFICE), parse_period("2026-Q1", dt.date(2026, 2, 14)), docs, names=NAMES)
    assert rep.index is None and rep.total.tally.respondents == 6
    assert "IKM belum dapat dihitung: belum ada yang menjawab Biaya/Tarif" in report_views.notice(rep, NAMES.office)


def test_the_notices_profile_lines_add_up_to_its_respondents_with_those_who_skipped_the_question():
    docs = [{**day("2026-01-05", "umum", [(4,) * 9] * 30), "profile": {"sex": {"P": 7, "L": 6}}}]
    page = report_views.notice(build(Scope(OFFICE), parse_period("2026-Q1", dt.date(2026, 2, 14)), docs,
                                     names=NAMES), NAMES.office)
    assert "<td>30 orang</td>" in page
    assert "<td>Perempuan 7, Laki-laki 6, tidak diisi 17</td>" in page  # 7 + 6 + 17 = 30, the answers first
    assert "<td>Pendidikan</td><td>tidak diisi 30</td>" in page


def test_the_funnel_shows_every_state_once_and_the_total_they_add_up_to():
    page = report_views.dashboard(named(), NAMES.office, None, [])
    section = page[page.index("<h2>Corong survei"):page.index("Tingkat respons")]
    for name, n in [("Menunggu dikirim", 1), ("Terkirim, belum sampai", 1), ("Sampai, belum dibaca", 3),
                    ("Dibaca, belum menjawab", 2), ("Menjawab", 8), ("Gagal terkirim", 2),
                    ("Tidak dikirim: warga menolak pesan", 1), ("Tidak diundang: tanpa persetujuan", 2),
                    ("Jumlah undangan dan warga tanpa persetujuan", 20)]:
        assert f"<td>{name}</td><td class=n>{n}</td>" in section
    assert "18 undangan survei, 14 di antaranya diterima WhatsApp" in section
    assert "Gagal terkirim karena: nomor tidak dapat menerima pesan WhatsApp (2)" in section


def test_the_export_keeps_the_respondents_of_a_group_without_an_index():
    docs = [{**day("2026-01-05", "umum", [(4,) * 9] * 2), "sums": {u: 8 for u in UNSUR if u != "U4"},
             "blanks": {"U4": 2}}]
    rep = build(Scope(OFFICE), parse_period("2026-Q1", dt.date(2026, 2, 14)), docs, names=NAMES)
    [total, unit, *_] = report_export.rows(rep)
    assert total[:4] == ["total", "Semua", 2, 4.0] and total[2 + 4] is None  # U4: nobody answered
    assert unit[:3] == ["unit", "Subbagian Tata Usaha (Bidang Umum)", 2] and total[-3:] == [None, None, None]
