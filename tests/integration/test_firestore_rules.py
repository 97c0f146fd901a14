"""firestore.rules on the emulator: who may read what, and that no client writes anything.

Every role × collection × operation below has its expected outcome written out. The rules are loaded
into a project of their own, so the other tests (which use the Python client) are unaffected.
"""
import pytest

from tests.support.rules import RulesClient, id_token
from tests.support.terraform import ROOT

pytestmark = pytest.mark.emulator

PROJECT = "jaring-rules-test"
HOME, ELSEWHERE = "kemenag-bangkalan", "kemenag-sampang"

ROLES = {
    "anonymous": None,
    "signed in, no role": {},
    "officer": {"role": "officer", "office": HOME, "unit": "umum"},
    "unit head": {"role": "unit_head", "office": HOME, "unit": "umum"},
    "admin": {"role": "admin", "office": HOME},
    "office head": {"role": "office_head", "office": HOME},
    "office head elsewhere": {"role": "office_head", "office": ELSEWHERE},
    "inspectorate": {"role": "inspectorate", "office": HOME},
    "inspectorate elsewhere": {"role": "inspectorate", "office": ELSEWHERE},
}
COLLECTIONS = ["contacts", "inbound", "outbox", "numbers", "offices", "tickets", "invitations", "responses",
               "complaints", "complaint_ratings", "report_days", "report_months", "wbs_reports", "wbs_audit",
               "wbs_links", "wbs_drafts"]
DOCS = {"home-umum": (HOME, "umum"), "home-kua": (HOME, "kua-socah"), "elsewhere": (ELSEWHERE, "umum")}
OPERATIONS = ["get home-umum", "get home-kua", "get elsewhere", "list home umum", "list home", "list all",
              "create", "update", "delete"]

# What each role may do; every other (role, collection, operation) must be refused.
ALLOWED = {
    **{(role, aggregates): allowed for aggregates in ("report_days", "report_months") for role, allowed in {
        "unit head": {"get home-umum", "list home umum"},
        "admin": {"get home-umum", "get home-kua", "list home umum", "list home"},
        "office head": {"get home-umum", "get home-kua", "list home umum", "list home"},
        "office head elsewhere": {"get elsewhere"},
    }.items()},
    # WBS reports: no client at all, the inspectorate included: they read through admin_api, which audits
    # every read (tests/integration/cases/test_wbs.py). The audit trail itself is theirs to read.
    ("inspectorate", "wbs_audit"): {"get home-umum", "get home-kua", "list home umum", "list home"},
    ("inspectorate elsewhere", "wbs_audit"): {"get elsewhere"},
}


@pytest.fixture(scope="module")
def rules(emulator_host):
    client = RulesClient(emulator_host, PROJECT)
    loaded = client.load((ROOT / "firestore.rules").read_text())
    assert loaded.status_code == 200, f"firestore.rules does not compile: {loaded.text}"
    client.reset()
    for collection in COLLECTIONS:
        for doc_id, (office, unit) in DOCS.items():
            client.seed(collection, doc_id, {"office": office, "unit": unit, "n": 1})
    return client


def attempt(rules, token, collection, operation):
    kind, _, what = operation.partition(" ")
    if kind == "get":
        return rules.get(token, collection, what)
    if kind == "list":
        filters = {"home umum": {"office": HOME, "unit": "umum"}, "home": {"office": HOME}, "all": {}}[what]
        return rules.list(token, collection, **filters)
    if kind == "create":
        return rules.create(token, collection, "new", {"office": HOME, "unit": "umum"})
    if kind == "update":
        return rules.update(token, collection, "home-umum", {"office": HOME, "unit": "umum", "n": 2})
    return rules.delete(token, collection, "home-umum")


@pytest.mark.parametrize("collection", COLLECTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_role_may_do_only_what_the_matrix_allows(rules, role, collection):
    claims = ROLES[role]
    token = None if claims is None else id_token(PROJECT, role.replace(" ", "-"), **claims)
    outcome = {op: attempt(rules, token, collection, op) for op in OPERATIONS}
    allowed = ALLOWED.get((role, collection), set())
    assert outcome == {op: 200 if op in allowed else 403 for op in OPERATIONS}


def test_refused_writes_change_nothing(rules):
    token = id_token(PROJECT, "office-head", **ROLES["office head"])
    for collection in COLLECTIONS:
        assert [attempt(rules, token, collection, op) for op in ("create", "update", "delete")] == [403] * 3
        assert rules.document(collection, "new") is None
        assert rules.document(collection, "home-umum") == {"office": HOME, "unit": "umum", "n": "1"}


def test_a_rules_file_with_a_syntax_error_is_refused_by_the_emulator(rules):
    assert rules.load("rules_version = '2'; service cloud.firestore { match /x { allow read: if } }").status_code == 400
    assert rules.load((ROOT / "firestore.rules").read_text()).status_code == 200
