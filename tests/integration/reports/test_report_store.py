"""Reports read aggregates and counts from Firestore, never every response.

Tickets, invitations and outbox records are written here with the agreed shapes (see the brief),
as the tickets and invitations code would write them.
"""
import datetime as dt

from jaring.reports.report import Names, Scope, parse_period
from jaring.reports.store import ReportStore
from jaring.survey import store as response_store
from jaring.survey.responses import UNSUR, validate
from tests.conftest import OFFICE

UTC = dt.timezone.utc
JAN = dt.datetime(2026, 1, 12, 3, 0, tzinfo=UTC)
NOW = dt.datetime(2026, 2, 14, 3, 0, tzinfo=UTC)


def respond(db, n, unit="PTSP", value=3, at=JAN, channel="form"):
    for i in range(n):
        response_store.add(db, validate(office=OFFICE, unit=unit, service="Legalisir", channel=channel,
                                        submitted_at=at, answers={u: value for u in UNSUR},
                                        source_id=f"{unit}:{at.isoformat()}:{i}"))


def serve(db, i, unit="PTSP", status="completed", invited=True, delivery="read", answered_after=None, at=JAN,
          consent=True, state=None, error=None):
    tid = f"t{unit}{i}"
    db.collection("tickets").document(tid).set({
        "office": OFFICE, "unit": unit, "service": "Legalisir", "officer": "ani", "channel": "logbook",
        "contact_id": f"c{i}", "consent": consent, "status": status, "opened_at": at, "completed_at": at, "token": "x"})
    if not invited:
        return
    db.collection("invitations").document(tid).set({
        "office": OFFICE, "unit": unit, "service": "Legalisir", "contact_id": f"c{i}", "ticket_id": tid,
        "state": state or ("answered" if answered_after is not None else "sent"), "invited_at": at,
        "outbox_id": None if state == "opted_out" else "o" + tid,
        "nudges": answered_after or 0, "next_nudge_at": None, "answered_at": at if answered_after is not None else None,
        "path": "free_form"})
    db.collection("outbox").document("o" + tid).set({
        "office": OFFICE, "purpose": "invitation", "contact_id": f"c{i}", "to": "62812", "created_at": at,
        "delivery": delivery, "meta": {"ticket_id": tid, "unit": unit}, "state": "sent", "error": error})


def test_the_quarter_report_of_the_office(db):
    respond(db, 6, value=4)
    respond(db, 2, unit="kua-kamal", value=2)
    respond(db, 3, at=dt.datetime(2026, 4, 2, tzinfo=UTC))  # next quarter
    store = ReportStore(db)
    names = Names("Kemenag Bangkalan", {"kua-kamal": "KUA Kecamatan Kamal", "PTSP": "Pelayanan Terpadu Satu Pintu"})
    rep = store.load(Scope(OFFICE), parse_period("2026-Q1", NOW.date()), NOW, names=names)
    assert rep.total.tally.respondents == 8
    assert round(float(rep.index.ikm), 4) == round((6 * 4 + 2 * 2) / 8 * 25, 4)
    assert [(g.name, g.tally.respondents) for g in rep.units] == [("KUA Kecamatan Kamal", 2),
                                                                  ("Pelayanan Terpadu Satu Pintu", 6)]
    assert rep.complaints is None and rep.funnel.served == 0


def test_the_funnel_follows_served_citizens_to_their_answers(db):
    for i in range(10):
        serve(db, i, delivery=("sent", "delivered", "read")[i % 3],
              answered_after=(0, 1, 2, None, None)[i % 5])
    serve(db, 10, status="cancelled", invited=False)
    serve(db, 11, invited=False, consent=False)
    serve(db, 13, delivery="failed", error={"code": 131026, "reason": "Message undeliverable"})
    serve(db, 14, delivery=None, state="opted_out")
    serve(db, 1, unit="KUA Kamal", answered_after=0)
    serve(db, 12, at=dt.datetime(2026, 4, 1, tzinfo=UTC))
    funnel = ReportStore(db).funnel(OFFICE, parse_period("2026-Q1", NOW.date()), unit="PTSP")
    # Answered: i % 5 in 0, 1, 2; the rest by how far their message got: 3 and 9 sent, 4 delivered, 8 read.
    assert dict(funnel.states) == {"waiting": 0, "sent": 2, "delivered": 1, "read": 1, "answered": 6, "failed": 1,
                                   "opted_out": 1}
    assert funnel.invited == 12 and funnel.served == 13 and funnel.no_consent == 1
    assert funnel.failures == {"nomor tidak dapat menerima pesan WhatsApp": 1}
    assert funnel.after_nudge == (2, 2, 2)
    office = ReportStore(db).funnel(OFFICE, parse_period("2026-Q1", NOW.date()))
    assert (office.served, office.answered, office.invited) == (14, 7, 13)


def test_complaints_are_summarised_when_they_exist(db):
    received = dt.datetime(2026, 2, 2, 3, 0, tzinfo=UTC)
    for i, (status, due_days) in enumerate([("received", 3), ("verified", 20), ("closed", 3)]):
        db.collection("complaints").document(f"k{i}").set({
            "office": OFFICE, "unit": "PTSP", "status": status, "received_at": received,
            "due_at": received + dt.timedelta(days=due_days),
            "first_answer_at": received + dt.timedelta(hours=6) if status == "closed" else None,
            "text": "Petugas minta uang"})
    summary = ReportStore(db).complaints(OFFICE, parse_period("2026-02", NOW.date()), NOW)
    assert (summary.received, summary.open, summary.overdue, summary.median_hours_to_first_answer) == (3, 2, 1, 6)


def test_a_quarter_is_read_from_month_documents_and_a_custom_period_adds_its_edge_days(db):
    for day in (dt.datetime(2025, 12, 31, 18, 0, tzinfo=UTC), JAN, dt.datetime(2026, 2, 20, tzinfo=UTC),
                dt.datetime(2026, 3, 31, 16, 0, tzinfo=UTC), dt.datetime(2026, 3, 31, 17, 0, tzinfo=UTC)):
        respond(db, 2, at=day)  # 18:00 UTC on 31 Dec is 1 January in Bangkalan; 17:00 UTC on 31 March is April
    store = ReportStore(db)
    assert sum(r["responses"] for r in store.aggregates(OFFICE, parse_period("2026-Q1", NOW.date()))) == 8
    assert store.reads == 3  # January, February and March of PTSP
    custom = ReportStore(db)
    rows = custom.aggregates(OFFICE, parse_period("2026-01-12..2026-03-31", NOW.date()))
    assert sum(r["responses"] for r in rows) == 6 and custom.reads == 3  # Feb + Mar months, days 12..31 Jan


def test_a_report_reads_the_same_few_documents_whether_ten_or_two_hundred_answered(db):
    period = parse_period("2026-01", NOW.date())
    respond(db, 10)
    few = ReportStore(db)
    few.load(Scope(OFFICE), period, NOW)
    respond(db, 190, at=JAN + dt.timedelta(minutes=1))
    many = ReportStore(db)
    rep = many.load(Scope(OFFICE), period, NOW)
    assert rep.total.tally.respondents == 200
    assert many.reads == few.reads
    # the unit's day document, 9 funnel counts (2 for the WhatsApp Flow), the complaints query, the ratings query
    assert many.reads <= 1 + 9 + 1 + 1


def test_complaint_ratings_are_read_for_the_months_of_the_period_and_the_unit(db):
    from jaring.cases.store import ComplaintStore

    store = ComplaintStore(db, lambda office: "")  # only ratings: it sends nothing
    april = dt.datetime(2026, 4, 2, tzinfo=UTC)
    for unit, score, at in (("PTSP", 4, JAN), ("PTSP", 2, NOW), ("haji", 1, NOW), ("PTSP", 3, april)):
        batch = db.batch()
        store.stage_rating(batch, {"office": OFFICE, "unit": unit}, score, at)
        batch.commit()
    quarter = parse_period("2026-Q1", NOW.date())
    office = ReportStore(db).complaint_ratings(OFFICE, quarter)
    assert (office.ratings, office.total, office.months) == (3, 7, ("2026-01", "2026-02"))
    unit = ReportStore(db).complaint_ratings(OFFICE, quarter, "PTSP")
    assert (unit.ratings, unit.values) == (2, {1: 0, 2: 1, 3: 0, 4: 1})
    assert ReportStore(db).complaint_ratings(OFFICE, parse_period("2025", NOW.date())) is None
