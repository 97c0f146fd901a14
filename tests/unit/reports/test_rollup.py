"""A roll-up compares offices from their month summaries: ranked by IKM, sums that are the sums of the
offices, trends by quarter, and a public table that never shows an index of too few people."""
from jaring.reports import report, rollup, rollup_views
from jaring.survey.responses import UNSUR

Q1 = report.quarter(2026, 1)


def month(office, key, answers, served=0, answered=0, complaints=None):
    """A summary as rollup_store writes it: `answers` are answer sets (U1..U9 all the same value)."""
    return {"office": office, "month": key, "responses": len(answers),
            "sums": {u: sum(answers) for u in UNSUR}, "blanks": {}, "served": served, "invited": served,
            "delivered": served, "read": 0, "answered": answered, "after_nudge": [answered, 0, 0],
            "complaints": {"received": 0, "answered": 0, "answered_late": 0, "overdue": 0, "open": 0,
                           **(complaints or {})}}


OFFICES = [("a", "Kantor A", "k"), ("b", "Kantor B", "k"), ("c", "Kantor C", "k")]
DOCS = [month("a", "2026-01", [3] * 10, served=20, answered=10), month("a", "2026-02", [4] * 10, served=20, answered=10),
        month("b", "2026-03", [4] * 8, served=10, answered=8, complaints={"received": 4, "answered": 4,
                                                                            "answered_late": 1}),
        month("b", "2025-11", [2] * 5), month("c", "2025-12", [4] * 5)]


def test_offices_are_ranked_by_ikm_and_those_without_answers_come_last():
    built = rollup.build("Kanwil K", Q1, OFFICES, DOCS)
    assert [(r.name, r.rank) for r in built.rows] == [("Kantor B", 1), ("Kantor A", 2), ("Kantor C", None)]
    assert built.missing == ["Kantor C"]


def test_the_total_is_the_sum_of_the_offices_not_a_mean_of_their_indices():
    built = rollup.build("Kanwil K", Q1, OFFICES, DOCS)
    assert built.total.tally.respondents == 28 and built.total.count("served") == 50
    assert float(built.total.index.ikm) == (30 + 40 + 32) / 28 * 25
    assert built.total.response_rate == 28 / 50


def test_each_office_shows_its_sample_response_rate_and_complaints_on_time():
    a, b = (next(r for r in rollup.build("K", Q1, OFFICES, DOCS).rows if r.office == o) for o in "ab")
    assert (a.totals.sample.population, a.totals.sample.required, a.totals.sample.adequate) == (40, 36, False)
    assert a.totals.response_rate == 0.5 and b.totals.on_time == 0.75 and a.totals.on_time is None


def test_the_trend_shows_the_quarter_and_the_three_before():
    b = next(r for r in rollup.build("K", Q1, OFFICES, DOCS).rows if r.office == "b")
    assert [label for label, _, _ in b.trend] == ["Triwulan II 2025", "Triwulan III 2025", "Triwulan IV 2025",
                                                  "Triwulan I 2026"]
    assert [(float(i.ikm) if i else None, n) for _, i, n in b.trend] == [(None, 0), (None, 0), (50.0, 5),
                                                                         (100.0, 8)]
    assert "2025-04" in rollup.months_needed(Q1) and len(rollup.months_needed(Q1)) == 12


def test_the_public_table_withholds_an_index_of_fewer_than_five_people():
    docs = [month("a", "2026-01", [4] * 4, served=8, answered=4), month("b", "2026-01", [3] * 5)]
    table = dict(rollup.public_table(2026, OFFICES[:2], docs))
    assert table["Kantor A"][0].index is None and table["Kantor A"][0].respondents == 4
    assert table["Kantor A"][0].response_rate == 0.5
    assert float(table["Kantor B"][0].index.ikm) == 75.0 and table["Kantor B"][1].respondents == 0
    html = rollup_views.public_page(2026, rollup.public_table(2026, OFFICES[:2], docs), [2026])
    assert "&lt; 5 responden" in html and "75,00 (C)" in html and "<script" not in html


def test_the_views_name_offices_and_never_ids():
    html = rollup_views.dashboard(rollup.build("Kanwil K", Q1, OFFICES, DOCS), "period=2026-Q1")
    assert "Kantor A" in html and ">a<" not in html and "Jumlah" in html and "Belum ada ringkasan" in html
    lines = rollup_views.to_csv(rollup.build("Kanwil K", Q1, OFFICES, DOCS)).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Peringkat,Kantor,Di bawah,IKM") and lines[-1].startswith("–,Jumlah,Kanwil K,")
