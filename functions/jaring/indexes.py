"""Composite indexes and TTL fields the code needs in production, declared next to the code.

The emulator runs any query without an index; production Firestore refuses a query that filters on
one field and ranges or orders on another ("The query requires an index"). So every such query is
listed here, and tests/infra/test_indexes.py checks that
  - each entry has a matching google_firestore_index (or TTL google_firestore_field) in terraform/, and
  - each query in functions/jaring (`db.collection(X).where(...).order_by(...)`, also built up in a
    variable, under `if`s) that needs a composite index is declared here, and a query the scan cannot
    read (fields from arguments, built in a loop) sits in a function listed in QUERY_BUILDERS.
Fields in query order: equality fields first, then the range/order field(s).
"""
from __future__ import annotations

Order = str  # "ASCENDING" | "DESCENDING"
A = "ASCENDING"


def _office_or_unit(collection: str, equal: list[str], time_field: str,
                    unit_field: str = "unit") -> list[tuple[str, list[tuple[str, Order]]]]:
    """Reports filter by office, and also by unit when a unit head asks."""
    plain = [*equal, time_field]
    with_unit = [equal[0], unit_field, *equal[1:], time_field]
    return [(collection, [(f, A) for f in names]) for names in (plain, with_unit)]


COMPOSITE_INDEXES: list[tuple[str, list[tuple[str, Order]]]] = [
    # store.Store.due_outbox_ids: state == retry, next_attempt_at <= now, order by next_attempt_at
    ("outbox", [("state", "ASCENDING"), ("next_attempt_at", "ASCENDING")]),
    # store.Store.due_outbox_ids: state == sending, lease_until <= now, order by lease_until
    ("outbox", [("state", "ASCENDING"), ("lease_until", "ASCENDING")]),
    # reminder_sweep: invitations whose next nudge is due (state == sent, next_nudge_at <= now)
    ("invitations", [("state", "ASCENDING"), ("next_nudge_at", "ASCENDING")]),
    # report_store.ReportStore: day and month aggregates of an office (or unit) over a period
    *_office_or_unit("report_days", ["office"], "day"),
    *_office_or_unit("report_months", ["office"], "month"),
    # report_store.ReportStore: the funnel's counts
    *_office_or_unit("tickets", ["office", "status"], "opened_at"),
    *_office_or_unit("invitations", ["office"], "invited_at"),
    *_office_or_unit("invitations", ["office", "state"], "invited_at"),
    *_office_or_unit("invitations", ["office", "state", "nudges"], "invited_at"),
    *_office_or_unit("invitations", ["office", "way"], "invited_at"),  # invited by WhatsApp Flow
    *_office_or_unit("invitations", ["office", "state", "way"], "invited_at"),  # … and answered
    *_office_or_unit("outbox", ["office", "purpose", "delivery"], "created_at", unit_field="meta.unit"),
    *_office_or_unit("complaints", ["office"], "received_at"),
    # wbs_store.WbsStore.audit_trail: an office's audit entries, newest first
    ("wbs_audit", [("office", "ASCENDING"), ("at", "DESCENDING")]),
]

# Functions that build queries from their arguments or in a loop, which the scan cannot read:
# "jaring.module.Class.function" → where the indexes for every variant are declared above.
QUERY_BUILDERS: dict[str, str] = {
    "jaring.reports.store.ReportStore._query": "the funnel's and complaints' _office_or_unit entries above "
                                              "(tickets, invitations, outbox with meta.unit, complaints)",
    "jaring.reports.store.ReportStore._aggregate_docs": "the report_days and report_months entries above",
}

# (collection, timestamp field) that Firestore's TTL deletes documents by: the retention promises.
TTL_FIELDS: list[tuple[str, str]] = [
    ("inbound", "expire_at"),  # message texts, 90 days (store.MESSAGE_RETENTION)
    ("outbox", "expire_at"),  # numbers and texts sent, 90 days
    ("wbs_drafts", "expire_at"),  # violation reports begun and not sent, 24 hours (wbs_store.DRAFT_LIFETIME)
    ("contacts", "expire_at"),  # a citizen's number and name, [consent] retention_days after their last message
]
