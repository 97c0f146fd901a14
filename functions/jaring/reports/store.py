"""Firestore reads behind the reports: the per-day aggregates, funnel counts and complaints.

Nothing here reads responses one by one: aggregates are a handful of documents per day and unit. The funnel
counts tickets with count() aggregation queries (billed one read per 1,000 index entries) and reads the period's
invitations and their messages (a few fields each), so that every invitation is counted in exactly one state.
`reads` tallies documents read (billed reads for counts) so the benchmark can show it stays flat.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

from google.cloud import firestore

from jaring.cases.store import COMPLAINT_RATINGS, COMPLAINTS
from jaring.clock import WIB
from jaring.messaging.store import OUTBOX, guarded
from jaring.reports import report
from jaring.survey.store import INVITATIONS, REPORT_DAYS, REPORT_MONTHS, rows
from jaring.tickets.store import TICKETS

SERVED = ("open", "completed")  # a cancelled ticket was not a service given
INVITATION_FIELDS = ["state", "outbox_id", "nudges", "reason", "closed_reason", "way"]
MESSAGE_FIELDS = ["state", "delivery", "error"]
GET_ALL_CHUNK = 300
# Complaints are counted from their documents; a period with more than this is summarised from the first ones.
COMPLAINT_CAP = 5000
COMPLAINT_FIELDS = ["status", "received_at", "due_at", "first_answer_at", "verify_due_at", "verified_at",
                    "answer_due_at"]
IN_LIMIT = 30  # values one `in` filter may hold


def _eq(field: str, value: Any) -> firestore.FieldFilter:
    return firestore.FieldFilter(field, "in" if isinstance(value, tuple) else "==",
                                 list(value) if isinstance(value, tuple) else value)


class ReportStore:
    def __init__(self, db: firestore.Client):
        self.db = db
        self.reads = 0

    def _query(self, collection: str, equal: dict[str, Any], time_field: str, period: report.Period):
        query = self.db.collection(collection)
        for name, value in equal.items():
            if value is not None:
                query = query.where(filter=_eq(name, value))
        start, end = period.utc_bounds()
        return (query.where(filter=firestore.FieldFilter(time_field, ">=", start))
                .where(filter=firestore.FieldFilter(time_field, "<", end)))

    def _count(self, collection: str, equal: dict[str, Any], time_field: str, period: report.Period) -> int:
        result = guarded(self._query(collection, equal, time_field, period).count(alias="n").get)
        n = int(result[0][0].value)
        self.reads += max(1, math.ceil(n / 1000))
        return n

    def _aggregate_docs(self, collection: str, field: str, office: str, unit: str | None, first: str,
                        last: str) -> list[dict[str, Any]]:
        query = self.db.collection(collection).where(filter=_eq("office", office))
        if unit is not None:
            query = query.where(filter=_eq("unit", unit))
        query = (query.where(filter=firestore.FieldFilter(field, ">=", first))
                 .where(filter=firestore.FieldFilter(field, "<=", last)))
        docs = [s.to_dict() for s in guarded(query.get)]
        self.reads += max(1, len(docs))  # an empty query is billed one read
        return docs

    def aggregates(self, office: str, period: report.Period, unit: str | None = None) -> list[dict[str, Any]]:
        """The period's report rows: whole months from month documents, the days around them (and
        any period of a month or less, whose trend is day by day) from day documents."""
        months = [] if period.days <= 31 else report.whole_months(period)
        day_ranges = [(period.start, period.end)] if not months else [
            (a, b) for a, b in ((period.start, months[0].start - dt.timedelta(days=1)),
                                (months[-1].end + dt.timedelta(days=1), period.end)) if a <= b]
        docs = []
        if months:
            docs += self._aggregate_docs(REPORT_MONTHS, "month", office, unit, months[0].key, months[-1].key)
        for first, last in day_ranges:
            docs += self._aggregate_docs(REPORT_DAYS, "day", office, unit, first.isoformat(), last.isoformat())
        return [row for doc in docs for row in rows(doc)]

    def funnel(self, office: str, period: report.Period, unit: str | None = None) -> report.Funnel:
        """Tickets served (a count), the period's invitations each in one state (their state, reason and nudges,
        and their message's delivery state: two reads per invitation), and completed services without consent."""
        mine = {"office": office, "unit": unit}
        invitations = [s.to_dict() for s in guarded(
            self._query(INVITATIONS, mine, "invited_at", period).select(INVITATION_FIELDS).get)]
        refs = [self.db.collection(OUTBOX).document(i["outbox_id"]) for i in invitations if i.get("outbox_id")]
        messages: dict[str, dict[str, Any]] = {}
        for start in range(0, len(refs), GET_ALL_CHUNK):
            for snap in guarded(self.db.get_all, refs[start:start + GET_ALL_CHUNK], field_paths=MESSAGE_FIELDS):
                if snap.exists:
                    messages[snap.id] = snap.to_dict()
        self.reads += max(1, len(invitations)) + len(refs)
        return report.Funnel.of(
            served=self._count(TICKETS, {**mine, "status": SERVED}, "opened_at", period),
            pairs=((i, messages.get(i.get("outbox_id") or "")) for i in invitations),
            no_consent=self._count(TICKETS, {**mine, "status": "completed", "consent": False}, "opened_at", period))

    def complaints(self, office: str, period: report.Period, now: dt.datetime,
                   unit: str | None = None) -> report.Complaints | None:
        query = (self._query(COMPLAINTS, {"office": office, "unit": unit}, "received_at", period)
                 .select(COMPLAINT_FIELDS).limit(COMPLAINT_CAP))
        docs = [s.to_dict() for s in guarded(query.get)]
        self.reads += max(1, len(docs))
        return report.complaints_summary(docs, now)

    def complaint_ratings(self, office: str, period: report.Period,
                          unit: str | None = None) -> report.ComplaintRatings | None:
        """Ratings of complaint handling in the months the period touches (they are kept per month).
        Equality filters only (office, unit, month in …): no composite index."""
        months, docs = report.months_of(period), []
        for i in range(0, len(months), IN_LIMIT):
            query = (self.db.collection(COMPLAINT_RATINGS).where(filter=firestore.FieldFilter("office", "==", office))
                     .where(filter=firestore.FieldFilter("month", "in", months[i:i + IN_LIMIT])))
            if unit is not None:
                query = query.where(filter=firestore.FieldFilter("unit", "==", unit))
            found = guarded(query.get)
            docs += [s.to_dict() for s in found]
            self.reads += max(1, len(found))
        return report.complaint_ratings(docs)

    def load(self, scope: report.Scope, period: report.Period, now: dt.datetime,
             aggregates: list[dict[str, Any]] | None = None, names: report.Names | None = None) -> report.Report:
        """Everything one report shows, for an office or one unit of it (`aggregates` when already read;
        `names` from the office file, so people read names, not ids)."""
        if aggregates is None:
            aggregates = self.aggregates(scope.office, period, scope.unit)
        return report.build(scope, period, aggregates, funnel=self.funnel(scope.office, period, scope.unit),
                            complaints=self.complaints(scope.office, period, now, scope.unit), generated_at=now,
                            complaint_ratings=self.complaint_ratings(scope.office, period, scope.unit), names=names)

    def quick_summary(self, office: str, unit: str | None, now: dt.datetime, names: report.Names,
                      periods: tuple[str, ...] = ("hari", "bulan")) -> str:
        """The staff WhatsApp summary: today ("hari") and/or this month ("bulan"), for one unit or the whole
        office (named from its configuration)."""
        today = now.astimezone(WIB).date()
        scope = report.Scope(office, unit)
        day = self.load(scope, report.custom(today, today), now, names=names) if "hari" in periods else None
        month = (self.load(scope, report.month(today.year, today.month), now, names=names) if "bulan" in periods
                 else None)
        return report.whatsapp_summary(names.unit(unit) if unit else names.office, day, month)
