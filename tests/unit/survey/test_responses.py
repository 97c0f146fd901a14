"""What counts as one citizen's survey answer set."""
import datetime as dt

import pytest

from jaring.survey.responses import LABELS, UNSUR, UNSUR_NAMES, InvalidResponse, validate

WIB_MORNING = dt.datetime(2026, 1, 8, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def fields(**changes):
    base = dict(office="kemenag-bangkalan", unit="KUA Kamal", service="Pencatatan nikah", channel="chat",
                submitted_at=WIB_MORNING, answers={u: 3 for u in UNSUR}, source_id="chat:t1")
    base.update(changes)
    return base


def test_answers_are_kept_by_unsur_in_the_regulations_order():
    assert UNSUR == tuple(f"U{i}" for i in range(1, 10))
    assert UNSUR_NAMES["U8"].startswith("Penanganan Pengaduan") and UNSUR_NAMES["U9"] == "Sarana dan Prasarana"
    assert LABELS["U8"][0] == "Tidak ada" and LABELS["U9"][0] == "Buruk" and LABELS["U4"][3] == "Gratis"


def test_a_form_answer_given_as_text_digits_becomes_numbers_and_time_becomes_utc():
    r = validate(**fields(answers={u: "4" for u in UNSUR}, profile={"sex": " P ", "education": ""}))
    assert r.answers == {u: 4 for u in UNSUR}
    assert r.submitted_at == dt.datetime(2026, 1, 8, 3, 0, tzinfo=dt.timezone.utc)
    assert r.profile == {"sex": "P"}
    assert r.nudges_before_answer is None and r.ticket_id is None


def test_an_unsur_left_blank_is_left_out_of_the_answers_not_counted_as_a_value():
    r = validate(**fields(answers={**{u: 3 for u in UNSUR[:7]}, "U8": "", "U9": 4}))
    assert r.answers == {**{u: 3 for u in UNSUR[:7]}, "U9": 4}
    assert validate(**fields(answers={"U9": 2})).answers == {"U9": 2}


@pytest.mark.parametrize("changes, says", [
    ({"answers": {**{u: 3 for u in UNSUR}, "U5": 5}}, "U5"),
    ({"answers": {**{u: 3 for u in UNSUR}, "U5": 0}}, "U5"),
    ({"answers": {**{u: 3 for u in UNSUR}, "U2": "baik"}}, "U2"),
    ({"answers": {**{u: 3 for u in UNSUR}, "U2": True}}, "U2"),
    ({"answers": {u: None for u in UNSUR}}, "no unsur answered"),
    ({"answers": {}}, "no unsur answered"),
    ({"answers": {**{u: 3 for u in UNSUR}, "Q10": 3}}, "Q10"),
    ({"channel": "sms"}, "channel"),
    ({"office": ""}, "office"),
    ({"unit": "  "}, "unit"),
    ({"source_id": ""}, "source_id"),
    ({"submitted_at": dt.datetime(2026, 1, 8, 10, 0)}, "submitted_at"),
    ({"profile": {"phone": "0812"}}, "profile"),
    ({"nudges_before_answer": -1}, "nudges_before_answer"),
    ({"phone": "0812"}, "unknown field"),
])
def test_an_answer_set_that_cannot_be_counted_is_refused_with_the_reason(changes, says):
    with pytest.raises(InvalidResponse, match=says):
        validate(**fields(**changes))
