"""Every query the code runs has its composite index in Terraform, every retention promise a TTL, and every
time stamp the code stores is kept out of single-field indexes unless a query needs it (the 500 writes/s limit
of a collection with a growing indexed field, docs/CAPACITY.md)."""
import ast
import re

import pytest

from jaring import indexes
from jaring.messaging import store
from tests.support import queries
from tests.support.terraform import ROOT


def terraform_indexes(tf):
    return {name: (body["collection"], [(f["field_path"], f["order"]) for f in body["fields"]])
            for name, body in tf.resources.get("google_firestore_index", {}).items()}


@pytest.fixture(scope="module")
def scanned():
    return queries.scan(ROOT / "functions" / "jaring", ROOT)


def test_every_declared_composite_index_exists_in_terraform(tf):
    deployed = list(terraform_indexes(tf).values())
    missing = [entry for entry in indexes.COMPOSITE_INDEXES if (entry[0], list(entry[1])) not in deployed]
    assert missing == [], f"add a google_firestore_index to terraform/firestore.tf for each of: {missing}"


def test_terraform_has_no_index_the_code_does_not_declare(tf):
    declared = [(c, list(f)) for c, f in indexes.COMPOSITE_INDEXES]
    orphans = [name for name, entry in terraform_indexes(tf).items() if entry not in declared]
    assert orphans == [], f"declare these in functions/jaring/indexes.py or remove them: {orphans}"


def test_indexes_use_known_orders_and_whole_collections(tf):
    for name, body in tf.resources["google_firestore_index"].items():
        assert body.get("query_scope", "COLLECTION") == "COLLECTION", name
        assert {f["order"] for f in body["fields"]} <= {"ASCENDING", "DESCENDING"}, name


def test_every_query_in_the_code_that_needs_a_composite_index_is_declared(scanned):
    found, _ = scanned
    undeclared = [q.describe() for q in found if q.needs_index()
                  and not any(q.served_by(c, list(f)) for c, f in indexes.COMPOSITE_INDEXES)]
    assert undeclared == [], ("declare in functions/jaring/indexes.py (and terraform/firestore.tf):\n"
                              + "\n".join(undeclared))


def test_every_query_the_scan_cannot_read_is_in_a_listed_query_builder(scanned):
    _, unreadable = scanned
    unlisted = [str(site) for site in unreadable if site.function not in indexes.QUERY_BUILDERS]
    assert unlisted == [], ("name these functions in indexes.QUERY_BUILDERS, saying where their indexes are "
                            "declared (or write the query so the scan can read it):\n" + "\n".join(unlisted))
    stale = set(indexes.QUERY_BUILDERS) - {site.function for site in unreadable}
    assert not stale, f"indexes.QUERY_BUILDERS names functions with no unreadable query: {stale}"
    assert all(reason.strip() for reason in indexes.QUERY_BUILDERS.values())


def test_the_scan_reads_the_outbox_sweep_as_two_indexed_queries(scanned):
    found, _ = scanned
    outbox_sweep = sorted(tuple(q.tail()) for q in found if q.collection == store.OUTBOX and q.needs_index())
    assert outbox_sweep[:2] == [(("lease_until", "ASCENDING"),), (("next_attempt_at", "ASCENDING"),)]
    by_wamid = [q for q in found if q.collection == store.OUTBOX and q.equalities == {"wamid"}]
    assert by_wamid and not by_wamid[0].needs_index()  # one equality: single-field index suffices


@pytest.mark.parametrize("collection,field", indexes.TTL_FIELDS)
def test_each_retention_field_has_a_ttl_policy(tf, collection, field):
    policies = [b for b in tf.resources.get("google_firestore_field", {}).values()
                if (b["collection"], b["field"]) == (collection, field)]
    assert len(policies) == 1 and "ttl_config" in policies[0], f"no TTL policy on {collection}.{field}"


def test_no_ttl_policy_without_a_declared_retention(tf):
    declared = set(indexes.TTL_FIELDS)
    policies = {(b["collection"], b["field"]) for b in tf.resources.get("google_firestore_field", {}).values()
                if "ttl_config" in b}
    assert policies == declared


def index_exemptions(tf):
    """(collection, field) whose single-field indexes Terraform removes (an empty index_config)."""
    listed = {tuple(item.split("/")) for item in tf.locals.get("index_exempt_fields", [])}
    fields = tf.resources.get("google_firestore_field", {})
    if "index_exempt" in fields:
        assert fields["index_exempt"]["index_config"] in ({}, [{}], [], None), "exemptions must list no index"
    direct = {(b["collection"], b["field"]) for name, b in fields.items()
              if name != "index_exempt" and "index_config" in b and b["index_config"] in ({}, [{}], [])}
    return listed | direct


def monotonic():
    return {(c, f) for c, names in indexes.MONOTONIC_FIELDS.items() for f in names}


def test_every_time_stamp_is_exempt_from_single_field_indexes_unless_a_query_needs_it(tf):
    exempt = index_exemptions(tf)
    assert monotonic() - set(indexes.SINGLE_FIELD_QUERIES) - exempt == set(), "exempt these in terraform/firestore.tf"
    assert exempt & set(indexes.SINGLE_FIELD_QUERIES) == set(), "a query needs these single-field indexes"
    assert exempt - monotonic() == set(), "exempted in Terraform but not declared in indexes.MONOTONIC_FIELDS"


def test_the_time_stamps_kept_indexed_are_the_ones_queries_read_alone(scanned):
    found, _ = scanned
    read_alone = {(q.collection, f) for q in found if not q.needs_index()
                  for f in q.equalities | q.ranges | {o for o, _ in q.orders}} & monotonic()
    assert read_alone == set(indexes.SINGLE_FIELD_QUERIES)


def test_no_query_filters_or_orders_on_an_exempted_field_without_a_composite_index(tf, scanned):
    found, _ = scanned
    exempt = index_exemptions(tf)
    unserved = [q.describe() for q in found if not q.needs_index()
                and {(q.collection, f) for f in q.equalities | q.ranges | {o for o, _ in q.orders}} & exempt]
    assert unserved == []


TIME_NAME = re.compile(r"^(at|[a-z_]+_(at|until))$")


def test_every_time_stamp_name_the_code_writes_is_declared():
    """A new `…_at` field fails here until it is in MONOTONIC_FIELDS (and so exempted) or explained."""
    declared = {f for names in indexes.MONOTONIC_FIELDS.values() for f in names} | set(indexes.NOT_EXEMPTED_NAMES)
    written = set()
    for path in (ROOT / "functions" / "jaring").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            keys = [k for k in node.keys if isinstance(k, ast.Constant)] if isinstance(node, ast.Dict) else []
            written |= {(k.value, path.name) for k in keys if isinstance(k.value, str) and TIME_NAME.match(k.value)}
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) \
                    and isinstance(node.slice, ast.Constant) and TIME_NAME.match(str(node.slice.value)):
                written.add((node.slice.value, path.name))
    undeclared = sorted({f"{name} ({where})" for name, where in written if name not in declared})
    assert undeclared == [], "declare in jaring/indexes.py MONOTONIC_FIELDS or NOT_EXEMPTED_NAMES: " + \
        ", ".join(undeclared)


SAMPLE = '''
from google.cloud import firestore
TICKETS = "tickets"

def open_tickets(db, office):
    return (db.collection(TICKETS).where(filter=firestore.FieldFilter("office", "==", office))
            .order_by("opened_at", direction=firestore.Query.DESCENDING).limit(50).get())

def tickets_of(db, office, unit):
    base = db.collection(TICKETS).where("office", "==", office)
    return base.where("unit", "==", unit).where("opened_at", ">=", 0).stream()

def optional_unit(db, office, unit):
    q = db.collection(TICKETS).where("office", "==", office)
    if unit:
        q = q.where("unit", "==", unit)
    return q.order_by("opened_at").stream()

class Builders:
    def by_filters(self, db, equal):
        q = db.collection(TICKETS)
        for name, value in equal.items():
            q = q.where(name, "==", value)
        return q.order_by("opened_at").stream()

    def by_field(self, db, field, first):
        return db.collection(TICKETS).where(field, ">=", first).stream()

    def everywhere(self, db, cid):
        for collection in db.collections():
            yield from collection.where("contact_id", "==", cid).stream()  # equality only: no index needed
'''


def test_the_scan_reports_what_an_index_needs_and_refuses_queries_it_cannot_follow(tmp_path, monkeypatch):
    package = tmp_path / "sample_queries"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "tickets.py").write_text(SAMPLE)
    monkeypatch.syspath_prepend(str(tmp_path))
    found, unreadable = queries.scan(package, tmp_path)
    assert sorted((sorted(q.head()), q.tail()) for q in found if q.needs_index()) == [
        (["office"], [("opened_at", "ASCENDING")]),  # optional_unit without a unit
        (["office"], [("opened_at", "DESCENDING")]),
        (["office", "unit"], [("opened_at", "ASCENDING")]),  # optional_unit with a unit
        (["office", "unit"], [("opened_at", "ASCENDING")]),  # tickets_of
    ]
    assert {site.function for site in unreadable} == {"sample_queries.tickets.Builders.by_filters",
                                                      "sample_queries.tickets.Builders.by_field"}
    assert any("built in a loop" in site.why for site in unreadable)
    by_office = next(q for q in found if q.head() == {"office"} and q.tail()[0][1] == "DESCENDING")
    assert by_office.served_by("tickets", [("office", "ASCENDING"), ("opened_at", "DESCENDING")])
    assert not by_office.served_by("tickets", [("office", "ASCENDING"), ("opened_at", "ASCENDING")])
