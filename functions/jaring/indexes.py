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
    *_office_or_unit("tickets", ["office", "status", "consent"], "opened_at"),
    *_office_or_unit("invitations", ["office"], "invited_at"),
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
    # (30 days while they have not agreed); periods in jaring/retention.py
    ("tickets", "expire_at"),  # a year after opening
    ("invitations", "expire_at"),  # a year after the invitation
    ("followups", "expire_at"),  # a year after opening
    ("service_requests", "expire_at"),  # a year after the request
    ("complaints", "expire_at"),  # two years after receipt
]

# Time stamps each collection stores at the top level. They grow with time, so each one's single-field index
# takes every new write at its end: Firestore's limit for a collection with such an indexed field is 500
# writes/s (docs/CAPACITY.md shows the national peak far below it). Terraform exempts every one of them from
# single-field indexes (terraform/firestore.tf, local.index_exempt_fields and the TTL fields' index_config),
# except those a query needs (SINGLE_FIELD_QUERIES). Composite indexes above are not affected.
# Checked: bench.simulate fails when a run stores a time stamp not listed here; tests/infra/test_indexes.py
# checks Terraform against this list and every time-stamp name the code writes against it.
MONOTONIC_FIELDS: dict[str, tuple[str, ...]] = {
    "contacts": ("expire_at", "first_seen_at", "greeted_at", "last_inbound_at", "last_nudge_at", "menu_at",
                 "opted_out_at", "window_closed_at", "unreachable_at"),
    "inbound": ("expire_at", "received_at", "received_on", "sent_at"),  # received_on: a WBS message's day (store)
    "outbox": ("awaiting_status_until", "created_at", "delivered_at", "expire_at", "failed_at", "lease_until",
               "next_attempt_at", "played_at", "read_at", "sent_at"),  # {delivery}_at from Meta's statuses (store.apply_status)
    "invitations": ("answered_at", "closed_at", "completed_at", "expire_at", "invited_at", "last_sent_at",
                    "next_nudge_at"),
    "tickets": ("answered_at", "cancelled_at", "closed_at", "completed_at", "expire_at", "opened_at"),
    "followups": ("closed_at", "expire_at", "opened_at"),
    "responses": ("submitted_at",),
    "service_requests": ("expire_at", "requested_at"),
    "complaints": ("answer_due_at", "answered_at", "closed_at", "due_at", "expire_at", "first_answer_at",
                   "next_escalation_at", "received_at", "rejected_at", "verified_at", "verify_due_at"),
    "wbs_reports": ("locked_until",),  # its days (received_on, last_followup_on, updates[].on) are text
    "wbs_drafts": ("expire_at",),
    "wbs_audit": ("at",),
    "office_configs": ("loaded_at",),
    "staff": ("deactivated_at", "loaded_at"),
    "office_switches": ("changed_at",),
    "unrouted": ("received_at", "sent_at"),
    "numbers": ("loaded_at",),
    "office_months": ("refreshed_at",),
    "survey_flows": ("published_at",),
}

# Time stamps a query reads through their single-field index (no composite): they keep it.
SINGLE_FIELD_QUERIES: dict[tuple[str, str], str] = {
    ("complaints", "next_escalation_at"): "complaint_store.overdue: every office's complaints due for escalation "
                                          "(a complaint is written a few times in its life: far below 500/s)",
}

# Time-stamp names the code writes that need no exemption: not a top-level field, or written rarely (tests check
# every time-stamp name the code writes is in MONOTONIC_FIELDS or here).
NOT_EXEMPTED_NAMES: dict[str, str] = {
    "started_at": "contacts.intake / contacts.survey (the conversation's state map)",
    "offered_at": "contacts.survey",
    "updated_at": "contacts.survey",
    "polite_until": "the nudge policy's computed moment, never stored",
    "prayer_until": "the nudge policy's computed moment, never stored",
    "erased_at": "set once on each record of a citizen who asked for erasure (HAPUS DATA): a trickle",
    "erasing_at": "contacts: set when a citizen asks for erasure, deleted with the contact moments later",
}
