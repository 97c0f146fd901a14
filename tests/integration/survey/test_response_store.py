"""Survey responses are stored once, anonymously, and counted in the per-day report aggregates."""
import datetime as dt

import pytest
from google.cloud import firestore

from jaring.survey import store as response_store
from jaring.survey.responses import UNSUR, validate
from tests.conftest import OFFICE

# 2026-01-31 23:30 WIB is still January in Bangkalan although it is 16:30 UTC.
LATE_EVENING = dt.datetime(2026, 1, 31, 16, 30, tzinfo=dt.timezone.utc)


def answer_set(source_id, values=(4, 3, 3, 4, 3, 4, 4, 2, 3), **extra):
    fields = dict(office=OFFICE, unit="umum", service="Legalisir buku nikah", channel="form",
                  submitted_at=LATE_EVENING, answers=dict(zip(UNSUR, values)), source_id=source_id)
    fields.update(extra)
    return validate(**fields)


def aggregates(db, collection=response_store.REPORT_DAYS):
    return [row for s in db.collection(collection).stream() for row in response_store.rows(s.to_dict())]


def totals(db, collection=response_store.REPORT_DAYS):
    rows = aggregates(db, collection)
    return sum(r["responses"] for r in rows), {u: sum(r["sums"][u] for r in rows) for u in UNSUR}


def test_a_response_is_stored_without_any_phone_number_and_counted_on_its_wib_day(db):
    assert response_store.add(db, answer_set("form:abc", profile={"sex": "P"}, suggestion="Antrian lama"))
    [doc] = [s.to_dict() for s in db.collection(response_store.RESPONSES).stream()]
    assert doc["answers"] == {"U1": 4, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 2, "U9": 3}
    assert doc["office"] == OFFICE and doc["day"] == "2026-01-31"
    assert not {"phone", "wa_id", "to", "name"} & set(doc)
    [agg] = aggregates(db)
    assert (agg["office"], agg["day"], agg["unit"], agg["service"], agg["channel"]) == (
        OFFICE, "2026-01-31", "umum", "Legalisir buku nikah", "form")
    assert agg["responses"] == 1 and agg["sums"]["U8"] == 2 and agg["suggestions"] == 1
    assert agg["profile"] == {"sex": {"P": 1}}
    [month] = [s.to_dict() for s in db.collection(response_store.REPORT_MONTHS).stream()]
    assert (month["office"], month["unit"], month["month"]) == (OFFICE, "umum", "2026-01")


def test_the_same_form_answer_delivered_twice_is_stored_and_counted_once(db):
    assert response_store.add(db, answer_set("form:abc")) is True
    assert response_store.add(db, answer_set("form:abc", values=(1,) * 9)) is False
    assert len(list(db.collection(response_store.RESPONSES).stream())) == 1
    assert totals(db) == (1, {"U1": 4, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 2, "U9": 3})


def test_a_units_day_and_month_add_up_every_service_and_channel_in_one_document_each(db):
    for i in range(12):
        response_store.add(db, answer_set(f"form:{i}", values=(1 + i % 4,) * 9, nudges_before_answer=i % 3,
                                          channel=("form", "chat")[i % 2]))
    for collection in (response_store.REPORT_DAYS, response_store.REPORT_MONTHS):
        count, sums = totals(db, collection)
        assert count == 12 and sums["U1"] == 3 * (1 + 2 + 3 + 4)
        assert len(list(db.collection(collection).stream())) == 1
    assert len(aggregates(db)) == 2  # a cell per channel
    nudged = {}
    for d in aggregates(db):
        for k, v in d["nudges"].items():
            nudged[k] = nudged.get(k, 0) + v
    assert nudged == {"0": 4, "1": 4, "2": 4}


def test_names_with_dots_and_slashes_are_counted_under_their_own_name(db):
    response_store.add(db, answer_set("paper:1", profile={"education": "S1/D4", "occupation": "Wiraswasta (dll.)"},
                                      service="Surat rekomendasi a.n. Kepala"))
    response_store.add(db, answer_set("paper:2", profile={"education": "S1/D4"}, service="Surat rekomendasi a.n. Kepala"))
    assert [r["service"] for r in aggregates(db)] == ["Surat rekomendasi a.n. Kepala"]
    merged = {}
    for d in aggregates(db):
        for k, values in d["profile"].items():
            for v, n in values.items():
                merged[(k, v)] = merged.get((k, v), 0) + n
    assert merged == {("education", "S1/D4"): 2, ("occupation", "Wiraswasta (dll.)"): 1}


def test_stage_composes_into_the_callers_transaction_and_a_duplicate_rolls_it_all_back(db):
    response_store.add(db, answer_set("chat:t1"))
    ticket = db.collection("tickets").document("t1")
    ticket.set({"office": OFFICE, "status": "open"})

    @firestore.transactional
    def complete(tx):
        assert ticket.get(transaction=tx).get("status") == "open"
        tx.update(ticket, {"status": "completed"})
        response_store.stage(tx, db, answer_set("chat:t1"))

    from google.api_core.exceptions import AlreadyExists
    with pytest.raises(AlreadyExists):
        complete(db.transaction())
    assert ticket.get().get("status") == "open"
    assert totals(db)[0] == 1


def test_an_imported_stack_counts_the_same_as_one_by_one_and_skips_what_was_stored(db):
    stack = [answer_set(f"paper:{i}", values=(1 + i % 4,) * 9, unit=("umum", "kua-kamal")[i % 2],
                        submitted_at=LATE_EVENING + dt.timedelta(days=i % 3)) for i in range(400)]
    response_store.add(db, stack[0])
    assert response_store.add_many(db, stack, chunk=150) == (399, 1)
    for collection in (response_store.REPORT_DAYS, response_store.REPORT_MONTHS):
        count, sums = totals(db, collection)
        assert count == 400 and sums["U9"] == 100 * (1 + 2 + 3 + 4)
