"""Whatever a stranger sends the public endpoints, they answer it without a server error, and whatever
they refuse leaves Firestore exactly as it was.

Generated bodies and headers, most of them correctly signed so the parsers behind the signature checks get
the garbage too. JARING_FUZZ_EXAMPLES sets the examples per endpoint (200 by default; 10,000 for the run
recorded in docs/RELIABILITY.md: JARING_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest
tests/integration/test_fuzz_endpoints.py).
"""
from __future__ import annotations

import dataclasses
import json
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.conftest import APP_SECRET, FORMS_SECRET, OFFICE, START, VERIFY_TOKEN
from tests.support import forms as form_answers
from tests.support import meta
from tests.support.dialogue import load_configs

pytestmark = pytest.mark.emulator
EXAMPLES = int(os.environ.get("JARING_FUZZ_EXAMPLES", "200"))
fuzz = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
AUDIENCE = "https://admin.example"
header_text = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF), max_size=80)  # what HTTP can carry

# -- what strangers send ---------------------------------------------------------------------------------
scalars = st.none() | st.booleans() | st.integers(-2**63, 2**64) | st.floats(allow_nan=False) | st.text(max_size=30)
garbage = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)


def maybe(strategy):
    """Mostly the real shape, sometimes anything at all in its place."""
    return st.one_of(strategy, strategy, strategy, garbage)


words = st.text(max_size=60) | st.sampled_from(["Halo", "MENU", "BERHENTI", "YA", "SURVEI", "HAPUS DATA", "#selesai",
                                                 "#layani 0812345678", "Kode: MASUK-UMUM", "1", "4", "BATAL"])
senders = st.sampled_from(["6281234567890", "628001000001", "628001000004", "0", ""]) | st.text("0123456789", max_size=16)
message = st.fixed_dictionaries(
    {"from": maybe(senders), "id": maybe(st.text(max_size=30).map(lambda s: "wamid." + s)),
     "timestamp": maybe(st.integers(0, 2**40).map(str)),
     "type": maybe(st.sampled_from(["text", "interactive", "button", "image", "location", "unsupported", "x"]))},
    optional={"text": maybe(st.fixed_dictionaries({"body": maybe(words)})),
              "interactive": maybe(st.fixed_dictionaries({"type": maybe(st.sampled_from(["list_reply", "button_reply",
                                                                                         "nfm_reply"])),
                                                          "list_reply": maybe(st.fixed_dictionaries(
                                                              {"id": maybe(st.sampled_from(["m:pengaduan", "m:katalog",
                                                                                            "s:1", "p:2"])),
                                                               "title": maybe(words)}))})),
              "button": maybe(st.fixed_dictionaries({"payload": maybe(words), "text": maybe(words)})),
              "context": garbage})
status = st.fixed_dictionaries({"id": maybe(st.text(max_size=20)), "status": maybe(st.sampled_from(
    ["sent", "delivered", "read", "failed"])), "recipient_id": maybe(senders), "timestamp": maybe(st.text(max_size=12))},
    optional={"errors": garbage, "biz_opaque_callback_data": maybe(st.text(max_size=50))})
value = st.fixed_dictionaries(
    {"messaging_product": maybe(st.just("whatsapp")),
     "metadata": maybe(st.fixed_dictionaries({"phone_number_id": maybe(st.just(meta.OFFICE_NUMBER_ID)),
                                              "display_phone_number": maybe(st.text(max_size=15))}))},
    optional={"contacts": maybe(st.lists(maybe(st.fixed_dictionaries(
                  {"wa_id": maybe(senders), "profile": maybe(st.fixed_dictionaries({"name": maybe(words)}))})),
                  max_size=2)),
              "messages": maybe(st.lists(message, max_size=3)), "statuses": maybe(st.lists(status, max_size=3))})
notification = st.fixed_dictionaries(
    {"object": maybe(st.just("whatsapp_business_account")),
     "entry": maybe(st.lists(maybe(st.fixed_dictionaries(
         {"id": maybe(st.text(max_size=10)), "changes": maybe(st.lists(maybe(st.fixed_dictionaries(
             {"field": maybe(st.just("messages")), "value": maybe(value)})), max_size=2))})), max_size=2))})
json_bytes = (notification | garbage).map(lambda d: json.dumps(d).encode())
bodies = st.one_of(json_bytes, json_bytes, json_bytes, st.binary(max_size=300))


def snapshot(db) -> dict:
    """Every document of every collection with its last update time."""
    return {(c.id, d.id): d.update_time for c in db.collections() for d in c.stream()}


def refused_without_writes(db, send) -> None:
    before = snapshot(db)
    answer = send()
    assert answer.status_code < 500, answer.get_data(as_text=True)[:300]
    if answer.status_code >= 400:
        assert snapshot(db) == before, f"{answer.status_code} refusal wrote to Firestore"


@pytest.fixture
def office(db, jaring):
    assert load_configs(project=jaring.settings.project) == 0
    form_answers.register_forms(db)
    return jaring


def test_the_webhook_survives_anything_signed_or_not(office, db, functions_client):
    client = functions_client("whatsapp_webhook")

    @fuzz
    @given(body=bodies, signing=st.sampled_from(["valid", "valid", "valid", "wrong", "missing", "garbage"]),
           garbage_header=header_text)
    def post(body, signing, garbage_header):
        headers = {"valid": meta.signed_headers(APP_SECRET, body), "wrong": meta.signed_headers("not-it", body),
                   "missing": {}, "garbage": {"X-Hub-Signature-256": garbage_header}}[signing]
        refused_without_writes(db, lambda: client.post("/", data=body, headers={
            "Content-Type": "application/json", **{k: v for k, v in headers.items() if k != "Content-Type"}}))

    @fuzz
    @given(query=st.dictionaries(st.sampled_from(["hub.mode", "hub.verify_token", "hub.challenge", "x"]),
                                 st.text(max_size=30) | st.just(VERIFY_TOKEN) | st.just("subscribe")))
    def handshake(query):
        refused_without_writes(db, lambda: client.get("/", query_string=query))

    post()
    handshake()


form_item = st.fixed_dictionaries({"itemId": maybe(st.text(max_size=8)), "title": maybe(st.sampled_from(
    [q for _, q in form_answers.survey.QUESTIONS] + list(form_answers.forms.LOGBOOK_TITLES.values())
    + [form_answers.forms.TOKEN_TITLE, form_answers.forms.SERVICE_TITLE]) | st.text(max_size=20)),
    "value": maybe(st.sampled_from(["Sangat sesuai", "Sesuai", "4", "c. Sesuai", "Ya", "0812345678", "umum", ""])
                   | st.lists(st.text(max_size=20), max_size=2))})
form_post = st.fixed_dictionaries(
    {"kind": maybe(st.sampled_from(["skm", "logbook"])),
     "formId": maybe(st.sampled_from([form_answers.SKM_FORM, form_answers.LOGBOOK_FORM, "1unknown"])),
     "responseId": maybe(st.text("abcXYZ019_-", min_size=1, max_size=20)),
     "submittedAt": maybe(st.sampled_from([START.isoformat(), "2026-01-08T03:00:00Z", "2026-01-08T03:00:00", "kemarin"])),
     "answers": maybe(st.lists(maybe(form_item), max_size=14))})


def test_the_form_endpoint_survives_anything_signed_or_not(office, db, functions_client):
    from jaring.survey import forms

    client = functions_client("form_submit")
    now = str(int(START.timestamp()))

    @fuzz
    @given(body=(form_post | garbage).map(lambda d: json.dumps(d).encode()) | st.binary(max_size=300),
           stamp=st.sampled_from([now, now, now, str(int(START.timestamp()) - 3600), "", "12a", "9" * 13]),
           signing=st.sampled_from(["valid", "valid", "valid", "wrong", "missing"]))
    def post(body, stamp, signing):
        headers = {forms.TIMESTAMP_HEADER: stamp}
        if signing != "missing":
            headers[forms.SIGNATURE_HEADER] = forms.sign(FORMS_SECRET if signing == "valid" else "x", stamp, body)
        refused_without_writes(db, lambda: client.post("/", data=body, headers=headers))

    post()


def test_reports_and_admin_answer_strangers_without_a_server_error(office, db, functions_client, monkeypatch):
    from jaring import identity

    # Google's certificates as if already fetched (no network here): a forged token then meets the real check.
    monkeypatch.setattr(office, "settings", dataclasses.replace(office.settings, admin_audience=AUDIENCE))
    monkeypatch.setitem(identity._certs._cache, office.settings.id_token_certs_url, (time.monotonic(), {}))
    reports, admin = functions_client("reports"), functions_client("admin_api")
    paths = st.sampled_from(["/", "/export.csv", "/export.xlsx", "/notice", "/tickets", "/tickets/ABCDEFGHJK/complete",
                             "/followups", f"/public/{OFFICE}", "/public/", "/public/nobody"]) \
        | st.text(st.characters(blacklist_characters="?#", blacklist_categories=["Cs"]), max_size=30)
    headers = st.dictionaries(st.sampled_from(["Authorization", identity.DEV_HEADER, "X-Other"]),
                              header_text
                              | st.sampled_from(["Bearer ", "Bearer a.b.c", f"admin@example.go.id|admin|{OFFICE}|"]))
    query = st.dictionaries(st.sampled_from(["period", "unit", "service", "channel", "year", "status"]),
                            st.sampled_from(["2026-Q1", "2026-13", "2026-01-01..2025-01-01", "umum", "1999", "-1"])
                            | st.text(max_size=20))

    @fuzz
    @given(path=paths, query=query, headers=headers, method=st.sampled_from(["GET", "GET", "POST", "DELETE"]),
           body=json_bytes)
    def call(path, query, headers, method, body):
        path = "/" + path.lstrip("/")
        for client in (reports, admin):
            refused_without_writes(db, lambda: client.open(path, method=method, query_string=query, headers=headers,
                                                           data=body))

    call()
