"""What the office head reads: the index by period, unit, service and channel, funnel, sample, complaints."""
import datetime as dt
from fractions import Fraction

import pytest

from jaring.reports import report
from jaring.reports.ikm import OTHER
from jaring.reports.report import BadPeriod, Funnel, Scope, build, parse_period, public_rows, whatsapp_summary
from jaring.survey.responses import UNSUR

OFFICE = "kemenag-bangkalan"
TODAY = dt.date(2026, 2, 14)
NAMES = report.Names("Kantor Kementerian Agama Kabupaten Bangkalan",
                     {"umum": "Subbagian Tata Usaha (Bidang Umum)", "kua-kamal": "KUA Kecamatan Kamal"})


def day(d, unit="umum", rows=((3,) * 9,), service="Legalisir", channel="form", profile=None, office=OFFICE):
    """A per-day aggregate as the response store keeps it."""
    return {"office": office, "day": d, "unit": unit, "service": service, "channel": channel, "shard": 0,
            "responses": len(rows), "sums": {u: sum(r[i] for r in rows) for i, u in enumerate(UNSUR)},
            "suggestions": 1, "profile": profile or {}}


@pytest.mark.parametrize("text, label, start, end", [
    ("2026-01", "Januari 2026", "2026-01-01", "2026-01-31"),
    ("2026-02", "Februari 2026", "2026-02-01", "2026-02-28"),
    ("2026-q1", "Triwulan I 2026", "2026-01-01", "2026-03-31"),
    ("2026-Q4", "Triwulan IV 2026", "2026-10-01", "2026-12-31"),
    ("2026-S2", "Semester II 2026", "2026-07-01", "2026-12-31"),
    ("2026", "Tahun 2026", "2026-01-01", "2026-12-31"),
    ("2026-01-05..2026-02-10", "5 Januari 2026 – 10 Februari 2026", "2026-01-05", "2026-02-10"),
    ("", "Triwulan I 2026", "2026-01-01", "2026-03-31"),
])
def test_periods_a_report_can_cover(text, label, start, end):
    period = parse_period(text, TODAY)
    assert (period.label, period.start.isoformat(), period.end.isoformat()) == (label, start, end)
    assert parse_period(period.key, TODAY) == period


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "kemarin", "2026-02-10..2026-01-05", "2026-02-30"])
def test_a_period_that_does_not_exist_is_refused(text):
    with pytest.raises(BadPeriod):
        parse_period(text, TODAY)


def test_a_period_is_counted_in_bangkalan_time():
    start, end = parse_period("2026-01", TODAY).utc_bounds()
    assert start == dt.datetime(2025, 12, 31, 17, 0, tzinfo=dt.timezone.utc)
    assert end == dt.datetime(2026, 1, 31, 17, 0, tzinfo=dt.timezone.utc)


def test_the_quarter_report_adds_days_units_and_channels_and_leaves_out_other_periods_and_offices():
    docs = [day("2026-01-05", rows=[(4,) * 9, (3,) * 9]), day("2026-02-10", unit="kua-kamal", channel="chat"),
            day("2026-03-31", channel="paper", service=""), day("2026-04-01"), day("2026-01-05", office="other")]
    rep = build(Scope(OFFICE), parse_period("2026-Q1", TODAY), docs, names=NAMES)
    assert rep.total.tally.respondents == 4
    assert rep.index.ikm == (4 + 3 + 3 + 3) / 4 * 25
    assert [(g.name, g.key, g.tally.respondents) for g in rep.units] == [
        ("KUA Kecamatan Kamal", "kua-kamal", 1), ("Subbagian Tata Usaha (Bidang Umum)", "umum", 3)]
    assert [(g.name, g.tally.respondents) for g in rep.channels] == [
        ("Google Form", 2), ("Kertas (impor)", 1), ("WhatsApp", 1)]
    assert [g.name for g in rep.services] == ["(layanan tidak disebut)", "Legalisir"]
    assert [g.name for g in rep.trend] == ["2026-01", "2026-02", "2026-03"]


def test_a_unit_head_sees_only_the_unit_and_a_month_is_shown_day_by_day():
    docs = [day("2026-01-05"), day("2026-01-06"), day("2026-01-06", unit="kua-kamal", rows=[(1,) * 9])]
    rep = build(Scope(OFFICE, unit="umum"), parse_period("2026-01", TODAY), docs)
    assert rep.total.tally.respondents == 2 and rep.index.mutu == "C"
    assert [g.name for g in rep.trend] == ["2026-01-05", "2026-01-06"]


def test_service_and_channel_narrow_the_index():
    docs = [day("2026-01-05", rows=[(4,) * 9]), day("2026-01-05", service="Nikah", rows=[(2,) * 9]),
            day("2026-01-05", channel="chat", rows=[(1,) * 9])]
    period = parse_period("2026-01", TODAY)
    assert build(Scope(OFFICE, service="Nikah"), period, docs).index.ikm == 50
    assert build(Scope(OFFICE, channel="chat"), period, docs).index.ikm == 25


def test_no_answers_yet_is_a_report_without_an_index():
    rep = build(Scope(OFFICE), parse_period("2026-01", TODAY), [])
    assert rep.index is None and rep.units == [] and rep.sample.obtained == 0


def test_a_unit_taken_out_of_the_office_file_still_reads_as_words():
    assert NAMES.unit("kua-tanah-merah") == "Kua Tanah Merah" and NAMES.unit(None) == "Semua unit"


def test_profile_values_read_as_words_and_there_is_one_lainnya_row():
    docs = [day("2026-01-05", rows=[(3,) * 9] * 30, profile={
        "sex": {"L": 14, "P": 16}, "occupation": {"LAINNYA": 9, "PNS": 12, "SWASTA": 3, "TNI/POLRI": 2,
                                                  "WIRAUSAHA": 4}})]
    rep = build(Scope(OFFICE), parse_period("2026-01", TODAY), docs)
    assert rep.profile["sex"] == [("Perempuan", 16), ("Laki-laki", 14)]
    # The answer "Lainnya" and the small groups merged are one row, not "Lainnya" and "Lainnya (digabung)".
    assert rep.profile["occupation"] == [("PNS", 12), ("Lainnya", 18)]


def test_the_respondent_profile_only_shows_groups_of_five_or_more():
    docs = [day("2026-01-05", rows=[(3,) * 9] * 12, profile={"sex": {"L": 8, "P": 3}, "education": {"SMA": 12}})]
    rep = build(Scope(OFFICE), parse_period("2026-01", TODAY), docs)
    assert rep.profile["education"] == [("SMA/sederajat", 12)]
    # P=3 and one unanswered would stand out: merged with L.
    assert rep.profile["sex"] == [(OTHER, 12)]
    assert rep.profile["occupation"] == [("(tidak diisi)", 12)]


def test_sample_adequacy_compares_answers_with_krejcie_morgan_for_the_citizens_served():
    funnel = Funnel(served=833, states={"delivered": 190, "read": 598, "answered": 2, "failed": 10},
                    after_nudge=(1, 1, 0))
    rep = build(Scope(OFFICE), parse_period("2026-01", TODAY), [day("2026-01-05", rows=[(3,) * 9] * 2)],
                funnel=funnel)
    assert (rep.sample.population, rep.sample.required, rep.sample.obtained, rep.sample.adequate) == (833, 263, 2,
                                                                                                       False)
    assert round(rep.funnel.response_rate, 4) == 0.0024


def test_without_tickets_the_population_and_required_sample_are_unknown():
    rep = build(Scope(OFFICE), parse_period("2026-01", TODAY), [day("2026-01-05")])
    assert rep.sample.required is None and rep.sample.adequate is None


NOW = dt.datetime(2026, 2, 14, 3, 0, tzinfo=dt.timezone.utc)


def complaint(status, received_days_ago, due_in_days, answered_after_hours=None):
    received = NOW - dt.timedelta(days=received_days_ago)
    return {"status": status, "received_at": received, "due_at": NOW + dt.timedelta(days=due_in_days),
            "first_answer_at": received + dt.timedelta(hours=answered_after_hours) if answered_after_hours else None}


def test_complaints_count_open_overdue_and_time_to_first_answer():
    summary = report.complaints_summary([
        complaint("received", 10, -2), complaint("verified", 2, 3), complaint("answered", 9, -1, 30),
        complaint("closed", 20, -10, 10)], NOW)
    assert (summary.received, summary.open, summary.overdue, summary.answered) == (4, 2, 1, 2)
    assert summary.median_hours_to_first_answer == 20


def test_no_complaints_yet_is_no_section_rather_than_zeros():
    assert report.complaints_summary([], NOW) is None


def test_the_public_page_withholds_an_index_of_fewer_than_five_people():
    docs = [day("2026-01-05", rows=[(4,) * 9] * 6), day("2026-02-05", unit="kua-kamal", rows=[(2,) * 9] * 2),
            day("2026-05-05", rows=[(3,) * 9] * 5)]
    rows = public_rows(OFFICE, 2026, docs, names=NAMES)
    shown = [(r.quarter, r.unit, r.respondents, r.index and str(r.index.shown)) for r in rows]
    tu = "Subbagian Tata Usaha (Bidang Umum)"
    assert shown == [("Triwulan I 2026", "KUA Kecamatan Kamal", 2, None), ("Triwulan I 2026", tu, 6, "100.00"),
                     ("Triwulan I 2026", "Semua unit", 8, "87.50"), ("Triwulan II 2026", tu, 5, "75.00"),
                     ("Triwulan II 2026", "Semua unit", 5, "75.00")]


def test_the_staff_whatsapp_summary_is_a_few_plain_lines():
    # (3 × 34 + 27) / 36 × 25 = 89.58; U8: (3 × 2 + 3) / 4 × 25 = 56.25
    month = build(Scope(OFFICE, unit="umum"), parse_period("2026-02", TODAY),
                  [day("2026-02-10", rows=[(4, 4, 4, 4, 4, 4, 4, 2, 4)] * 3), day("2026-02-14")],
                  funnel=Funnel(40, {"sent": 1, "delivered": 7, "read": 24, "answered": 4, "failed": 1,
                                     "opted_out": 1}, after_nudge=(2, 1, 1)))
    today = build(Scope(OFFICE, unit="umum"), report.custom(TODAY, TODAY), [day("2026-02-14")])
    text = whatsapp_summary("Subbagian Tata Usaha", today, month)
    assert text.splitlines() == [
        "Ringkasan SKM Subbagian Tata Usaha",
        "Hari ini: 1 jawaban, IKM 75,00 (C, Kurang Baik)",
        "Februari 2026: 4 jawaban, IKM 89,58 (A, Sangat Baik)",
        "  dilayani 40, undangan terkirim 36 (tidak/belum terkirim 2), menjawab 4 (10%)",
        "Unsur terlemah bulan ini: Penanganan Pengaduan, Saran dan Masukan (56,25)",
    ]


def test_complaints_are_counted_from_the_fields_the_complaint_lifecycle_writes():
    from jaring.cases import complaints
    from tests.support.dialogue import seed_config

    config = seed_config()
    hours, deadlines = config.hours, config.complaint_deadlines

    def filed(day, hour=9):
        at = dt.datetime(2026, 1, day, hour, 0, tzinfo=report.WIB)
        return at, complaints.new(office=OFFICE, contact_id="c1", reference="P-AAAAAA", details={}, media=[],
                                  unit="umum", now=at, hours=hours, deadlines=deadlines)

    def step(doc, action, at, text=""):
        return {**doc, **complaints.change(doc, action, at, "Budi", hours, deadlines, text=text)}

    at, quick = filed(5)
    quick = step(quick, "answer", at + dt.timedelta(hours=3), "Sudah kami perbaiki.")  # on time, 3 hours
    at, slow = filed(5)
    # answered straight away, but a day after the verification deadline
    slow = step(slow, "answer", slow["verify_due_at"] + dt.timedelta(days=1), "Maaf terlambat.")
    at, waiting = filed(5)
    waiting = step(waiting, "verify", at + dt.timedelta(hours=1))  # verified, never answered
    at, fresh = filed(26)
    at, refused = filed(6)
    refused = step(refused, "reject", at + dt.timedelta(hours=2), "Bukan wewenang kantor ini.")
    now = dt.datetime(2026, 1, 27, 9, 0, tzinfo=report.WIB)
    assert waiting["answer_due_at"] < now < fresh["due_at"]

    summary = report.complaints_summary([quick, slow, waiting, fresh, refused], now)
    assert (summary.received, summary.open, summary.overdue, summary.answered, summary.answered_late) == (5, 2, 1, 2, 1)
    slow_hours = (slow["first_answer_at"] - slow["received_at"]).total_seconds() / 3600
    assert summary.median_hours_to_first_answer == (3 + slow_hours) / 2


def test_complaint_ratings_add_up_the_months_and_stay_apart_from_the_ikm():
    docs = [{"office": OFFICE, "unit": "umum", "month": "2026-02", "ratings": 2, "sum": 7, "values": {"3": 1, "4": 1}},
            {"office": OFFICE, "unit": "haji", "month": "2026-01", "ratings": 1, "sum": 1, "values": {"1": 1}}]
    ratings = report.complaint_ratings(docs)
    assert (ratings.ratings, ratings.values, ratings.months) == (3, {1: 1, 2: 0, 3: 1, 4: 1}, ("2026-01", "2026-02"))
    assert ratings.nik == Fraction(200, 3)
    assert report.complaint_ratings([]) is None
    assert report.months_of(parse_period("2025-11-20..2026-02-03", TODAY)) == [
        "2025-11", "2025-12", "2026-01", "2026-02"]
    rep = build(Scope(OFFICE), parse_period("2026-Q1", TODAY), [], complaint_ratings=ratings)
    assert rep.index is None and rep.total.tally.respondents == 0  # ratings are no respondents


def invitation(state="sent", nudges=0, **extra):
    return {"state": state, "outbox_id": "o1", "nudges": nudges, **extra}


@pytest.mark.parametrize("inv, message, state", [
    (invitation("answered"), {"state": "sent", "delivery": "read"}, "answered"),
    (invitation("answered"), None, "answered"),  # its message expired (90 days): still answered
    (invitation("opted_out", reason="the citizen opted out of messages", outbox_id=None), None, "opted_out"),
    (invitation("opted_out"), {"state": "sent", "delivery": "read"}, "read"),  # BERHENTI after reading it
    (invitation("failed", reason="no survey form is registered"), None, "failed"),
    (invitation("sent"), {"state": "sent", "delivery": "failed", "error": {"code": 131026}}, "failed"),
    (invitation("pending"), {"state": "failed", "delivery": None}, "failed"),
    (invitation("expired"), {"state": "sent", "delivery": "read"}, "read"),
    (invitation("sent"), {"state": "sent", "delivery": "delivered"}, "delivered"),
    (invitation("sent"), {"state": "sent", "delivery": None}, "sent"),
    (invitation("expired"), None, "sent"),
    (invitation("pending"), {"state": "retry"}, "waiting"),
    (invitation("pending"), {"state": "sending"}, "waiting"),
])
def test_each_invitation_is_in_exactly_one_state(inv, message, state):
    assert report.funnel_state(inv, message) == state


def test_the_funnels_states_add_up_to_the_invitations_and_failures_carry_their_reason_in_words():
    pairs = [(invitation("answered", nudges=n), {"state": "sent", "delivery": "read"}) for n in (0, 0, 1, 3)]
    pairs += [(invitation("sent"), {"state": "sent", "delivery": "failed", "error": {"code": 131026}}),
              (invitation("failed", closed_reason="unreachable"), None),
              (invitation("failed", reason="no survey form is registered for this office"), None),
              (invitation("opted_out", outbox_id=None), None), (invitation("pending"), {"state": "retry"}),
              (invitation("sent"), {"state": "sent", "delivery": "delivered"})]
    funnel = Funnel.of(served=14, pairs=pairs, no_consent=2)
    assert funnel.invited == len(pairs) == sum(n for _, n in funnel.rows) - funnel.no_consent
    assert dict(funnel.states) == {"waiting": 1, "sent": 0, "delivered": 1, "read": 0, "answered": 4, "failed": 3,
                                   "opted_out": 1}
    assert funnel.failures == {"nomor tidak dapat menerima pesan WhatsApp": 2, "formulir survei belum didaftarkan": 1}
    assert funnel.after_nudge == (2, 1, 1) and funnel.went_out == 5
    assert funnel.rows[-1] == ("Tidak diundang: tanpa persetujuan", 2)


def test_invitations_never_sent_are_counted_by_their_reason_in_the_words_of_cek():
    from jaring.reports import export, views
    from jaring.survey import invitations

    now = dt.datetime(2026, 1, 8, 10, tzinfo=dt.timezone.utc)
    ticket = {"office": "kemenag-bangkalan", "unit": "umum", "service": "Legalisir", "contact_id": "c1",
              "status": "completed", "token": "t", "completed_at": now}

    def recorded(contact):  # what completing the ticket stores when no message goes
        plan = invitations.plan("K1", ticket, contact, invitations.OfficeMessaging("x"), now)
        assert plan.content is None
        return invitations.invitation_doc("K1", ticket, plan, None, now), None

    pairs = [recorded({"wa_id": "6281", "consent": {"at": now}})] * 2 + [
        recorded({"wa_id": "6282", "consent": {"at": now}, "opted_out_at": now}),
        (invitation("sent"), {"state": "sent", "delivery": "failed", "error": {"code": 131026}})]
    funnel = Funnel.of(served=5, pairs=pairs)
    assert funnel.not_sent == {invitations.REASON_WORDS["no_form"]: 2, invitations.REASON_WORDS["opted_out"]: 1}
    assert funnel.failures == {"nomor tidak dapat menerima pesan WhatsApp": 1}  # sent, refused on the way
    assert (funnel.count("failed"), funnel.count("opted_out"), funnel.invited) == (3, 1, 4)
    described = invitations.described(pairs[0][0])
    assert described.startswith("tidak dapat dikirim: " + invitations.REASON_WORDS["no_form"])  # as #cek says it
    rep = build(Scope("kemenag-bangkalan"), parse_period("2026-01", dt.date(2026, 1, 20)), [], funnel=funnel,
                generated_at=now)
    page = views.dashboard(rep, "Kantor", [], [])
    assert ("Tidak dikirim (3 undangan) karena: belum ada formulir survei yang terdaftar untuk kantor ini (2); "
            "warga sudah meminta berhenti dihubungi (BERHENTI) (1)") in page
    import io

    import openpyxl

    summary = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(rep))).worksheets[0]
    lines = {row[0]: row[1] for row in summary.iter_rows(values_only=True)}
    assert lines["Tidak dikirim: belum ada formulir survei yang terdaftar untuk kantor ini"] == 2
    assert lines["Gagal: nomor tidak dapat menerima pesan WhatsApp"] == 1
