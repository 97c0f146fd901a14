"""Firestore behind the roll-ups: one summary document per office and month (`office_months`).

`refresh(office, month)` builds that office's month report (jaring.report_store: its aggregates and counts,
never responses) and stores its summary; `summaries(offices, months)` reads offices × months documents by id
(a batched get: no query, no index). The reminder sweep refreshes each office's current month once a day
(`refresh_due`: the offices whose `bucket` is this quarter-hour's), and the previous month in the first days
of a month, so it is final; `python -m jaring rollup refresh` does it at once for any period.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from google.cloud import firestore

from jaring.reports import report, rollup
from jaring.clock import WIB
from jaring.reports.store import ReportStore
from jaring.messaging.store import guarded
from jaring.offices.store import OFFICE_CONFIGS

OFFICE_MONTHS = "office_months"
FINAL_AFTER_DAYS = 3  # the previous month is refreshed again until this day of the new month


def _id(office: str, month: str) -> str:
    return f"{office}_{month}"


class RollupStore:
    def __init__(self, db: firestore.Client, reports: ReportStore):
        self.db, self.reports = db, reports
        self.reads = 0  # documents read, as billed

    def offices(self, level: str | None = None, bucket_: int | None = None) -> list[dict[str, Any]]:
        """Loaded offices (id, name, level, parent, bucket), all or those of one level or refresh bucket."""
        query = self.db.collection(OFFICE_CONFIGS)
        if bucket_ is not None:
            query = query.where(filter=firestore.FieldFilter("bucket", "==", bucket_))
        found = [s.to_dict() for s in guarded(query.select(["office", "name", "level", "parent", "bucket"]).get)]
        self.reads += max(1, len(found))
        return [d for d in found if level is None or (d.get("level") or "kabupaten") == level]

    def summaries(self, offices: Iterable[str], months: Iterable[str]) -> list[dict[str, Any]]:
        refs = [self.db.collection(OFFICE_MONTHS).document(_id(o, m)) for o in offices for m in months]
        found = [s.to_dict() for s in guarded(lambda: list(self.db.get_all(refs)))
                 if s.exists] if refs else []
        self.reads += len(refs)
        return found

    def refresh(self, office: str, month: report.Period, now: dt.datetime) -> dict[str, Any]:
        """Summarise one office's month from its own report and store it (replacing the last summary)."""
        before = self.reports.reads
        built = self.reports.load(report.Scope(office), month, now)
        self.reads += self.reports.reads - before
        doc = {**rollup.summary(office, month.key, built), "refreshed_at": now,
               "final": now.astimezone(WIB).date() > month.end + dt.timedelta(days=FINAL_AFTER_DAYS)}
        guarded(self.db.collection(OFFICE_MONTHS).document(_id(office, month.key)).set, doc)
        return doc

    def refresh_due(self, now: dt.datetime) -> int:
        """The sweep's share: this quarter-hour's offices, their current month (and the previous one in the
        first days of a month). Returns how many summaries were written."""
        local = now.astimezone(WIB)
        due = self.offices(level="kabupaten", bucket_=(local.hour * 60 + local.minute) // 15)
        months = [report.month(local.year, local.month)]
        if local.day <= FINAL_AFTER_DAYS:
            months.insert(0, report.month(*((local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12))))
        for office in due:
            for month in months:
                self.refresh(office["office"], month, now)
        return len(due) * len(months)
