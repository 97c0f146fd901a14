"""Roll-ups over offices (pure): what a Kanwil or the ministry sees of the offices below it.

A roll-up never reads responses, nor one office's aggregates: each office's month is summarised in one
document (`summary`: the IKM's tally, the funnel, complaints), written by rollup_store from that office's own
month report; a roll-up reads offices × months of them. Per office and period: IKM with its grade,
respondents against the Krejcie–Morgan sample of the citizens served, response rate and the funnel, complaints
answered on time; ranked by IKM, with the IKM of the quarters before (trend). The totals of a roll-up are the
sums of its offices.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from jaring.reports import ikm, report
from jaring.survey.responses import UNSUR

FUNNEL = ("served", "invited", "delivered", "read", "answered")
COMPLAINT_COUNTS = ("received", "answered", "answered_late", "overdue", "open")
TREND_QUARTERS = 4  # the period's quarter and the three before


def summary(office: str, month: str, built: report.Report) -> dict[str, Any]:
    """One office's month as stored for roll-ups (counts only, nothing about a person)."""
    tally = built.total.tally
    funnel = built.funnel
    complaints = built.complaints
    return {
        "office": office, "month": month, "responses": tally.respondents,
        "sums": dict(zip(UNSUR, tally.sums)),
        "blanks": {u: tally.respondents - n for u, n in zip(UNSUR, tally.answered()) if tally.respondents - n},
        **{k: getattr(funnel, k) if funnel else 0 for k in FUNNEL},
        "after_nudge": list(funnel.after_nudge) if funnel else [0, 0, 0],
        "complaints": {k: getattr(complaints, k) if complaints else 0 for k in COMPLAINT_COUNTS},
    }


@dataclass(frozen=True)
class Totals:
    """Summed summaries: an office's period, or a whole roll-up."""

    tally: ikm.Tally = field(default_factory=ikm.Tally)
    funnel: tuple[int, ...] = (0,) * len(FUNNEL)
    complaints: tuple[int, ...] = (0,) * len(COMPLAINT_COUNTS)
    months: int = 0  # summaries found

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(self.tally + other.tally, tuple(a + b for a, b in zip(self.funnel, other.funnel)),
                      tuple(a + b for a, b in zip(self.complaints, other.complaints)), self.months + other.months)

    @classmethod
    def of(cls, doc: Mapping[str, Any]) -> "Totals":
        c = doc.get("complaints") or {}
        return cls(ikm.Tally.from_sums(int(doc.get("responses", 0)), doc.get("sums") or {}, doc.get("blanks") or {}),
                   tuple(int(doc.get(k, 0)) for k in FUNNEL), tuple(int(c.get(k, 0)) for k in COMPLAINT_COUNTS), 1)

    def count(self, name: str) -> int:
        """A funnel step's count (served, invited, delivered, read, answered)."""
        return self.funnel[FUNNEL.index(name)]

    def complaint(self, name: str) -> int:
        """A complaint count (received, answered, answered_late, overdue, open)."""
        return self.complaints[COMPLAINT_COUNTS.index(name)]

    @property
    def index(self) -> ikm.Index | None:
        return ikm.compute(self.tally) if self.tally.respondents and not self.tally.unanswered else None

    @property
    def sample(self) -> report.Sample:
        return report.Sample(self.count("served") or None, self.tally.respondents)

    @property
    def response_rate(self) -> float | None:
        served = self.count("served")
        return self.count("answered") / served if served else None

    @property
    def on_time(self) -> float | None:
        """Complaints given a first answer without missing a deadline, of those answered."""
        answered, late = self.complaint("answered"), self.complaint("answered_late")
        return (answered - late) / answered if answered else None


@dataclass(frozen=True)
class OfficeRow:
    office: str
    name: str
    parent: str  # the name of the office above it (its Kanwil)
    totals: Totals
    trend: tuple[tuple[str, ikm.Index | None, int], ...]  # (quarter label, index or None, respondents)
    rank: int | None = None  # by IKM among the offices with an index


@dataclass(frozen=True)
class Rollup:
    over: str  # the Kanwil's or the ministry's name
    period: report.Period
    rows: list[OfficeRow]
    total: Totals
    missing: list[str]  # offices without any summary for the period (not refreshed yet)


def _sum(docs: Iterable[Mapping[str, Any]]) -> Totals:
    return sum((Totals.of(d) for d in docs), Totals())


def trend_quarters(period: report.Period) -> list[report.Period]:
    """The quarter the period ends in and the TREND_QUARTERS - 1 before it, oldest first."""
    last = report.quarter_of(period.end)
    year, q = last.start.year, (last.start.month - 1) // 3 + 1
    out = []
    for _ in range(TREND_QUARTERS):
        out.append(report.quarter(year, q))
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    return out[::-1]


def months_needed(period: report.Period) -> list[str]:
    """Every month a roll-up of `period` reads: the period's and its trend's."""
    months = set(report.months_of(period))
    for quarter in trend_quarters(period):
        months |= set(report.months_of(quarter))
    return sorted(months)


def build(over: str, period: report.Period, offices: Iterable[tuple[str, str, str]],
          docs: Iterable[Mapping[str, Any]]) -> Rollup:
    """The roll-up of `offices` (id, name, the name of the office above) over `period` from their month summaries, ranked by IKM
    (highest first; offices without an index after them, by name)."""
    by_office: dict[str, list[Mapping[str, Any]]] = {}
    for doc in docs:
        by_office.setdefault(doc["office"], []).append(doc)
    in_period = set(report.months_of(period))
    quarters = trend_quarters(period)
    rows, missing = [], []
    for office, name, parent in offices:
        mine = by_office.get(office, [])
        totals = _sum(d for d in mine if d["month"] in in_period)
        if not totals.months:
            missing.append(name)
        trend = []
        for quarter in quarters:
            q = _sum(d for d in mine if d["month"] in set(report.months_of(quarter)))
            trend.append((quarter.label, q.index, q.tally.respondents))
        rows.append(OfficeRow(office, name, parent, totals, tuple(trend)))
    ranked = sorted(rows, key=lambda r: (r.totals.index is None, -(r.totals.index.ikm if r.totals.index else 0),
                                         r.name))
    with_rank, n = [], 0
    for row in ranked:
        if row.totals.index is not None:
            n += 1
        with_rank.append(OfficeRow(row.office, row.name, row.parent, row.totals, row.trend,
                                   n if row.totals.index is not None else None))
    return Rollup(over, period, with_rank, sum((r.totals for r in rows), Totals()), missing)


@dataclass(frozen=True)
class PublicCell:
    respondents: int
    index: ikm.Index | None  # None when fewer than the minimum answered: shown as such, never the number
    response_rate: float | None


def public_table(year: int, offices: Iterable[tuple[str, str, str]], docs: Iterable[Mapping[str, Any]],
                 minimum: int = report.MIN_CELL) -> list[tuple[str, list[PublicCell]]]:
    """Every office's IKM and response rate per quarter of `year` (the national public page)."""
    by_office: dict[str, list[Mapping[str, Any]]] = {}
    for doc in docs:
        by_office.setdefault(doc["office"], []).append(doc)
    out = []
    for office, name, _ in offices:
        cells = []
        for q in range(1, 5):
            months = set(report.months_of(report.quarter(year, q)))
            t = _sum(d for d in by_office.get(office, []) if d["month"] in months)
            shown = t.index if t.tally.respondents >= minimum else None
            cells.append(PublicCell(t.tally.respondents, shown, t.response_rate))
        out.append((name, cells))
    return sorted(out, key=lambda item: item[0])
