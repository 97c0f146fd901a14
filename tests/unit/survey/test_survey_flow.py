"""The SKM as a WhatsApp Flow: the Flow JSON keeps Meta's rules and the regulation's questionnaire, offline,
and a completion becomes an answer set only when it is whole and in range."""
import copy
import json

import pytest

from jaring.survey import questionnaire as survey, flow as survey_flow
from jaring.survey.flow import InvalidCompletion, completion, flow_json, problems, sample_completion
from jaring.survey.responses import LABELS, UNSUR


def test_the_published_flow_keeps_every_rule_the_code_relies_on():
    flow = flow_json()
    assert problems(flow) == []
    assert flow["version"] == survey_flow.VERSION == "7.3"
    assert "data_api_version" not in flow  # static: no endpoint to run
    assert len(json.dumps(flow).encode()) < 10 * 1024 * 1024


def test_the_flow_asks_the_nine_unsur_with_the_same_words_as_the_chat_survey_and_the_form():
    ratings = flow_json()["screens"][0]["layout"]["children"]
    radios = [c for c in ratings if c["type"] == "RadioButtonsGroup"]
    assert [r["name"] for r in radios] == [u for u, _ in survey.QUESTIONS]  # the questionnaire's order (U9 before U8)
    for radio in radios:
        assert radio["description"] == survey.QUESTION_OF[radio["name"]]
        assert [o["title"] for o in radio["data-source"]] == list(LABELS[radio["name"]])
        assert [o["id"] for o in radio["data-source"]] == ["1", "2", "3", "4"]
        assert radio["required"] is False  # a blank unsur is left out, as on the form and on paper


def test_profile_questions_and_the_suggestion_are_optional_on_the_second_screen():
    screen = flow_json()["screens"][1]
    inputs = [c for c in screen["layout"]["children"] if c["type"] in ("Dropdown", "TextArea")]
    assert [c["name"] for c in inputs] == ["jenis_kelamin", "usia", "pendidikan", "pekerjaan", "saran"]
    assert all(c["required"] is False for c in inputs)
    assert screen["terminal"] is True
    footer = screen["layout"]["children"][-1]
    assert footer["label"] == "Kirim" and footer["on-click-action"]["name"] == "complete"


def _broken(change):
    flow = copy.deepcopy(flow_json())
    change(flow)
    return problems(flow)


def _radio(flow, unsur):
    return next(c for c in flow["screens"][0]["layout"]["children"] if c.get("name") == unsur)


@pytest.mark.parametrize("change, expected", [
    (lambda f: f.update(version="2.1"), "not a supported Flow JSON version"),
    (lambda f: f.update(data_api_version="3.0"), "no data_api_version"),
    (lambda f: _radio(f, "U3").update(label="Kecepatan waktu penyelesaian pelayanan"), "the limit is 30"),
    (lambda f: _radio(f, "U4")["data-source"].pop(), "the regulation's four labels"),
    (lambda f: _radio(f, "U5")["data-source"][0].update(title="Sama sekali tidak sesuai dengan standar"),
     "title is 39 characters"),
    (lambda f: _radio(f, "U6").update(name="U7"), "unique across the Flow"),
    (lambda f: f["screens"][1]["layout"]["children"][2]["data-source"][0].update(id="<20"), "option ids"),
    (lambda f: f["screens"][0]["layout"]["children"].remove(_radio(f, "U8")), "U8 is not asked"),
    (lambda f: _radio(f, "U1").update(description="Bagaimana pelayanan kami?"), "the regulation's question"),
    (lambda f: f["screens"][0]["layout"]["children"][-1]["on-click-action"].update(name="data_exchange"),
     "navigate or complete"),
    (lambda f: f["screens"][1]["layout"]["children"][-1]["on-click-action"]["payload"].pop("U9"),
     "completion payload must carry"),
    (lambda f: f["screens"][1]["layout"]["children"].insert(0, {"type": "Image", "src": "x"}), "'Image' is not"),
    (lambda f: f["screens"][1]["layout"]["children"].extend([{"type": "TextBody", "text": "x"}] * 50),
     "a screen may have 50"),
    (lambda f: f["routing_model"].update(PROFIL=["NOWHERE"]), "routing_model"),
])
def test_the_check_catches_a_flow_meta_or_the_survey_would_refuse(change, expected):
    found = _broken(change)
    assert any(expected in p for p in found), found


def test_a_whole_completion_becomes_the_answer_set():
    answers = {u: (i % 4) + 1 for i, u in enumerate(UNSUR)}
    got = completion(sample_completion("tok123", answers, {"sex": "P", "age_band": "30-39"}, " Antrean lama. "))
    assert got.token == "tok123" and got.answers == answers
    assert got.profile == {"sex": "P", "age_band": "30-39"}
    assert got.suggestion == "Antrean lama."


def test_an_unsur_left_unanswered_is_left_out_as_on_the_form_and_on_paper():
    response = {k: v for k, v in sample_completion("tok", {u: 3 for u in UNSUR}).items() if k != "U4"}
    assert set(completion({**response, "U8": ""}).answers) == set(UNSUR) - {"U4", "U8"}


def test_profile_choices_travel_as_plain_ids_and_come_back_as_the_stored_values():
    age = next(c for c in flow_json()["screens"][1]["layout"]["children"] if c.get("name") == "usia")
    assert [o["id"] for o in age["data-source"]] == ["20", "20_29", "30_39", "40_49", "50_59", "60"]
    response = {**sample_completion("tok", {u: 4 for u in UNSUR}), "usia": "60", "pekerjaan": "TNI_POLRI"}
    assert completion(response).profile == {"age_band": "60+", "occupation": "TNI/POLRI"}


def test_profile_questions_left_empty_are_not_given():
    response = {**sample_completion("tok", {u: 4 for u in UNSUR}), "jenis_kelamin": "", "saran": ""}
    got = completion(response)
    assert got.profile == {} and got.suggestion == ""


@pytest.mark.parametrize("response, reason", [
    ([], "not an object"),
    ({u: "4" for u in UNSUR}, "flow_token"),
    ({"flow_token": "t", **{u: "" for u in UNSUR}}, "no unsur is answered"),
    ({"flow_token": "t", **{u: "4" for u in UNSUR}, "U2": "5"}, "U2: '5' is not a value 1..4"),
    ({"flow_token": "t", **{u: "4" for u in UNSUR}, "U7": "0"}, "is not a value 1..4"),
    ({"flow_token": "t", **{u: "4" for u in UNSUR}, "usia": "tua"}, "usia"),
    ({"flow_token": "t", **{u: "4" for u in UNSUR}, "saran": ["x"]}, "saran must be text"),
])
def test_a_forged_or_broken_completion_is_refused_with_the_reason(response, reason):
    with pytest.raises(InvalidCompletion, match=reason):
        completion(response)
