"""The public entrypoints at their edges (issue 14, finding 7): a body without a declared length is still held
to the size limit, errors are plain text (never a page that could run what was echoed), and a signed form
answer dated in year 9999 is a clear 4xx, not a 500 that Apps Script retries for a day."""
import io

import pytest

import main
from tests.conftest import FORMS_SECRET
from tests.support import appsscript, meta
from tests.support import forms as form_answers


def written(db):
    return sum(1 for c in db.collections() for _ in c.stream())


def chunked(client, body: bytes, headers=None):
    """A POST with Transfer-Encoding: chunked and no Content-Length, as a server passes it on."""
    return client.post("/", input_stream=io.BytesIO(body), headers={
        "Transfer-Encoding": "chunked", **(headers or {})}, environ_overrides={"wsgi.input_terminated": True})


def test_a_chunked_body_over_the_limit_is_refused(webhook, db, graph):
    raw = b'{"object": "whatsapp_business_account", "pad": "' + b"x" * main.MAX_BODY + b'"}'
    answer = chunked(webhook, raw, meta.signed_headers("test-app-secret", raw))
    assert answer.status_code == 413 and written(db) == 0 and graph.attempts() == 0


def test_a_chunked_body_within_the_limit_is_read_whole(webhook, db, graph):
    raw = meta.encode(meta.inbound(meta.text("628123450099", "Halo")))
    assert chunked(webhook, raw, meta.signed_headers("test-app-secret", raw)).status_code == 200
    assert [d.to_dict()["text"] for d in db.collection("inbound").stream()] == ["Halo"]


@pytest.mark.parametrize("target, request_", [
    ("whatsapp_webhook", dict(method="POST", data=b"<script>alert(1)</script>",
                              headers={"X-Hub-Signature-256": "sha256=00"})),
    ("whatsapp_webhook", dict(method="PUT", data=b"")),
    ("reports", dict(method="GET", path="/?period=<script>alert(1)</script>")),
    ("form_submit", dict(method="GET")),
])
def test_errors_are_plain_text(functions_client, jaring, target, request_):
    client = functions_client(target)
    answer = client.open(request_.pop("path", "/"), **request_)
    assert 400 <= answer.status_code < 500
    assert answer.headers["Content-Type"].startswith(("text/plain", "application/json"))


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00+07:00", "2200-01-01T00:00:00Z"])
def test_a_signed_form_answer_from_an_impossible_date_is_refused_and_stores_nothing(functions_client, db, jaring,
                                                                                    clock, when):
    form_answers.register_forms(db)
    before = written(db)
    headers, body = appsscript.submission(FORMS_SECRET, now=int(clock.now().timestamp()), kind="skm",
                                          form_id=form_answers.SKM_FORM, response_id="2_ABaOnud9999",
                                          submitted_at=when, answers=form_answers.skm(4))
    answer = functions_client("form_submit").post("/", data=body, headers=headers)
    assert 400 <= answer.status_code < 500 and "submittedAt" in answer.get_json()["error"]
    assert written(db) == before
