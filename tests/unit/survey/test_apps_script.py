"""The Apps Scripts in docs/forms/, run in node with stand-ins for Google's services."""
import datetime as dt
import json
import shutil

import pytest

from jaring.survey import forms, questionnaire as survey
from jaring.survey.responses import LABELS
from tests.support import appsscript

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node runs the Apps Scripts")
NOW = 1767841200  # 2026-01-08 03:00 UTC
NOW_DT = dt.datetime.fromtimestamp(NOW, dt.timezone.utc)
EVENT = {"formId": "1skm", "responseId": "2_ABaOnud", "submittedAt": "2026-01-08T02:59:58.000Z",
         "answers": [{"itemId": "11", "title": survey.SUGGESTION_QUESTION, "value": "Pelayanan ramah 👍, AC mati"},
                     {"itemId": "12", "title": "Pekerjaan", "value": ["Lainnya"]}]}
PROPS = {"JARING_URL": appsscript.FORM_URL, "FORMS_WEBHOOK_SECRET": "rahasia-ünïcode", "KIND_1skm": "skm"}


def test_the_python_verifier_accepts_exactly_what_the_script_signs():
    out = appsscript.run("onJaringFormSubmit", now=NOW, properties=PROPS, event=EVENT)
    [fetched] = out["fetches"]
    headers, body = fetched["options"]["headers"], fetched["options"]["payload"].encode("utf-8")
    forms.verify(PROPS["FORMS_WEBHOOK_SECRET"], headers["X-Jaring-Timestamp"], headers["X-Jaring-Signature"], body,
                 NOW_DT)
    assert forms.parse(body, NOW_DT).answers[0]["value"] == (
        "Pelayanan ramah 👍, AC mati")
    with pytest.raises(forms.FormRejected):
        forms.verify("another-secret", headers["X-Jaring-Timestamp"], headers["X-Jaring-Signature"], body, NOW_DT)


def test_a_failed_post_is_queued_and_the_timed_retry_sends_it_once_signed_anew():
    failed = appsscript.run("onJaringFormSubmit", now=NOW, properties=PROPS, event=EVENT, fetch=[503])
    queued = {k: v for k, v in failed["properties"].items() if k.startswith("QUEUE_")}
    assert list(queued) == ["QUEUE_2_ABaOnud"] and json.loads(queued["QUEUE_2_ABaOnud"])["tries"] == 1
    later = NOW + 600
    retried = appsscript.run("jaringRetryFailed", now=later, properties=failed["properties"], fetch=[201])
    [fetched] = retried["fetches"]
    headers = fetched["options"]["headers"]
    assert headers["X-Jaring-Timestamp"] == str(later)
    forms.verify(PROPS["FORMS_WEBHOOK_SECRET"], headers["X-Jaring-Timestamp"], headers["X-Jaring-Signature"],
                 fetched["options"]["payload"].encode(), NOW_DT + dt.timedelta(minutes=10))
    assert not any(k.startswith("QUEUE_") for k in retried["properties"])


@pytest.mark.parametrize("answer, queued", [(422, False), (403, False), (429, True), ("throw", True), (200, False)])
def test_only_answers_that_may_pass_later_are_queued(answer, queued):
    out = appsscript.run("onJaringFormSubmit", now=NOW, properties=PROPS, event=EVENT, fetch=[answer])
    assert any(k.startswith("QUEUE_") for k in out["properties"]) is queued


def test_the_setup_script_creates_the_standard_skm_form_jaring_reads():
    out = appsscript.run("jaringCreateSkmForm", now=NOW, args=["PTSP Kemenag Bangkalan"])
    [form] = out["forms"]
    items = {item["title"]: item for item in form["items"]}
    questions = [item for item in form["items"] if item["kind"] == "MultipleChoiceItem" and item["required"]]
    assert [(q["title"], q["choices"]) for q in questions] == [(q, list(LABELS[u])) for u, q in survey.QUESTIONS]
    for name, question, choices in survey.PROFILE:
        assert items[question]["choices"] == [label for _, label in choices] and not items[question]["required"]
    for title in (forms.TOKEN_TITLE, forms.SERVICE_TITLE, survey.SUGGESTION_QUESTION):
        assert title in items
    mapped = {forms.standard_items("skm").get(forms.normalise_title(t)) for t in items} - {None}
    assert len(mapped) == 9 + 4 + 3
    token_id = items[forms.TOKEN_TITLE]["id"]
    assert f"--token-entry entry.{token_id}" in out["logs"][-1]
    assert out["triggers"] == [{"handler": "onJaringFormSubmit", "form": form["id"], "event": "formSubmit"}]
    assert out["properties"] == {f"KIND_{form['id']}": "skm"}


def test_the_setup_script_creates_the_guest_book_jaring_reads():
    out = appsscript.run("jaringCreateLogbookForm", now=NOW, args=["PTSP", ["umum", "kua-socah"]])
    [form] = out["forms"]
    titles = [item["title"] for item in form["items"]]
    assert sorted(titles) == sorted(forms.LOGBOOK_TITLES.values())
    consent = next(item for item in form["items"] if item["title"] == forms.LOGBOOK_TITLES["consent"])
    assert consent["choices"] == [forms.CONSENT_TEXT]
    assert out["properties"] == {f"KIND_{form['id']}": "logbook"}


def test_the_retry_is_installed_every_ten_minutes():
    out = appsscript.run("jaringInstallRetry", now=NOW)
    assert out["triggers"] == [{"handler": "jaringRetryFailed", "event": "time", "minutes": 10}]
