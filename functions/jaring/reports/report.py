"""Reports (pure): the IKM and its breakdowns, the survey funnel, sample adequacy and complaints,
built from the per-day aggregates and a few counts the report store fetched.
"""
from __future__ import annotations

import datetime as dt
import re
import statistics
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterable, Mapping

from jaring.cases.complaints import OPEN as OPEN_COMPLAINT
from jaring.clock import WIB
from jaring.offices.model import FLOW as FLOW_WAY
from jaring.reports import ikm
from jaring.survey.invitations import CITIZEN_OPTED_OUT, REASON_WORDS as NOT_SENT_WORDS
from jaring.survey.questionnaire import PROFILE_OF
from jaring.survey.responses import PROFILE_FIELDS

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
ROMAN = ("I", "II", "III", "IV")
CHANNEL_NAMES = {"form": "Google Form", "chat": "WhatsApp", "flow": "WhatsApp Flow", "paper": "Kertas (impor)"}
PROFILE_NAMES = {"sex": "Jenis kelamin", "education": "Pendidikan", "occupation": "Pekerjaan", "age_band": "Usia"}
NOT_GIVEN = "(tidak diisi)"
NO_SERVICE = "(layanan tidak disebut)"
ALL_AT_A = "semua unsur sudah Sangat Baik"
MIN_CELL = 5  # profile cells and published indices need at least this many people


def num(value: Fraction, places: int = 2) -> str:
    """A number as Indonesians write it: 80,56 (rounded half-up on the exact value)."""
    return str(ikm.rounded(value, places)).replace(".", ",")


class BadPeriod(ValueError):
    """The period text is not one of the forms parse_period knows."""


@dataclass(frozen=True)
class Period:
    kind: str  # month | quarter | semester | year | custom
    start: dt.date
    end: dt.date  # inclusive
    label: str
    key: str  # the text parse_period reads back

    def utc_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as UTC instants of the office's (WIB) calendar days."""
        start = dt.datetime.combine(self.start, dt.time(), WIB)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), WIB)
        return start.astimezone(dt.timezone.utc), end.astimezone(dt.timezone.utc)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _date_label(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def trend_label(key: str) -> str:
    """A trend point's key as people read it: "2026-01-07" → "7 Jan", "2026-01" → "Jan 2026" (a bare "01-07"
    reads as the first of July in Indonesia)."""
    year, month, *day = (int(part) for part in key.split("-"))
    short = MONTHS[month - 1][:3]
    return f"{day[0]} {short}" if day else f"{short} {year}"


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


def month(year: int, m: int) -> Period:
    return Period("month", dt.date(year, m, 1), _month_end(year, m), f"{MONTHS[m - 1]} {year}", f"{year}-{m:02d}")


def quarter(year: int, q: int) -> Period:
    return Period("quarter", dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q), f"Triwulan {ROMAN[q - 1]} {year}",
                  f"{year}-Q{q}")


def semester(year: int, s: int) -> Period:
    return Period("semester", dt.date(year, 6 * s - 5, 1), _month_end(year, 6 * s),
                  f"Semester {ROMAN[s - 1]} {year}", f"{year}-S{s}")


def year(y: int) -> Period:
    return Period("year", dt.date(y, 1, 1), dt.date(y, 12, 31), f"Tahun {y}", f"{y}")


def custom(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise BadPeriod("the period ends before it starts")
    if (end - start).days > 366 * 5:
        raise BadPeriod("a custom period is at most five years")
    label = _date_label(start) if start == end else f"{_date_label(start)} – {_date_label(end)}"
    return Period("custom", start, end, label, f"{start.isoformat()}..{end.isoformat()}")


def whole_months(period: Period) -> list[Period]:
    """The calendar months lying entirely inside the period, in order."""
    months, y, m = [], period.start.year, period.start.month
    while dt.date(y, m, 1) <= period.end:
        candidate = month(y, m)
        if candidate.start >= period.start and candidate.end <= period.end:
            months.append(candidate)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def quarter_of(day: dt.date) -> Period:
    return quarter(day.year, (day.month - 1) // 3 + 1)


def parse_period(text: str | None, today: dt.date) -> Period:
    """2026-01 · 2026-Q1 · 2026-S1 · 2026 · 2026-01-05..2026-02-10 · empty: the current quarter."""
    text = (text or "").strip().upper()
    try:
        if not text:
            return quarter_of(today)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
            return month(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
            return quarter(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-S([12])", text):
            return semester(int(m[1]), int(m[2]))
        if re.fullmatch(r"\d{4}", text):
            return year(int(text))
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text):
            return custom(dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2]))
    except ValueError as exc:
        raise BadPeriod(f"period {text!r}: {exc}") from None
    raise BadPeriod(f"period {text!r}: use 2026-01, 2026-Q1, 2026-S1, 2026 or 2026-01-01..2026-03-31")


@dataclass(frozen=True)
class Scope:
    office: str
    unit: str | None = None
    service: str | None = None
    channel: str | None = None

    def admits(self, doc: Mapping[str, Any]) -> bool:
        return all(want is None or doc.get(name) == want
                   for name, want in (("office", self.office), ("unit", self.unit), ("service", self.service),
                                      ("channel", self.channel)))


@dataclass(frozen=True)
class Names:
    """What a reader sees instead of ids: the office's and its units' names from the office file."""

    office: str = ""
    units: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, config: Any) -> "Names":
        """From an OfficeConfig (jaring.offices.model)."""
        return cls(config.name, {u.id: u.name for u in config.units})

    def unit(self, unit_id: str | None) -> str:
        """A unit's name; a unit since taken out of the office file still reads as words, not as its id."""
        if not unit_id:
            return "Semua unit"
        return self.units.get(unit_id) or " ".join(unit_id.replace("-", " ").split()).title()


def profile_label(name: str, value: str) -> str:
    """A stored profile value in words (P → Perempuan); LAINNYA and anything unknown as written."""
    labels = dict(PROFILE_OF.get(name, ("", ()))[1])
    return labels.get(value) or labels.get(value.upper()) or value


# Each invitation of a period is in exactly one of these states (funnel_state), in this order.
WAITING, SENT, DELIVERED, READ, ANSWERED, FAILED, OPTED_OUT = (
    "waiting", "sent", "delivered", "read", "answered", "failed", "opted_out")
STATES = (WAITING, SENT, DELIVERED, READ, ANSWERED, FAILED, OPTED_OUT)
WENT_OUT = (SENT, DELIVERED, READ, ANSWERED)  # accepted by WhatsApp
STATE_NAMES = {WAITING: "Menunggu dikirim", SENT: "Terkirim, belum sampai", DELIVERED: "Sampai, belum dibaca",
               READ: "Dibaca, belum menjawab", ANSWERED: "Menjawab", FAILED: "Gagal terkirim",
               OPTED_OUT: "Tidak dikirim: warga menolak pesan"}
NO_CONSENT = "Tidak diundang: tanpa persetujuan"
# Why an invitation failed, in words (WhatsApp's error codes, the sweep's and the store's reasons).
FAILURE_WORDS = {131026: "nomor tidak dapat menerima pesan WhatsApp", 131047: "di luar jendela 24 jam WhatsApp",
                 131049: "dibatasi WhatsApp (pesan pemasaran)", 131050: "warga menghentikan pesan pemasaran",
                 131051: "jenis pesan tidak didukung", 132000: "isi template tidak cocok",
                 132001: "template belum disetujui", 470: "di luar jendela 24 jam WhatsApp",
                 "unreachable": "nomor tidak dapat menerima pesan WhatsApp",
                 "form": "formulir survei belum didaftarkan"}
OTHER_FAILURE = "ditolak WhatsApp (alasan lain)"


def failure_reason(invitation: Mapping[str, Any], message: Mapping[str, Any] | None) -> str:
    """A failed invitation's reason in words for the office head."""
    error = (message or {}).get("error") or {}
    if error.get("code") in FAILURE_WORDS:
        return FAILURE_WORDS[error["code"]]
    said = f"{invitation.get('closed_reason') or ''} {invitation.get('reason') or ''}"
    if "unreachable" in said:
        return FAILURE_WORDS["unreachable"]
    if "form" in said:
        return FAILURE_WORDS["form"]
    return OTHER_FAILURE


def not_sent_reason(invitation: Mapping[str, Any]) -> str:
    """Why Jaring did not send an invitation at all, in the words #cek uses."""
    reason = invitation.get("reason") or (CITIZEN_OPTED_OUT if invitation.get("state") == "opted_out" else "")
    return NOT_SENT_WORDS.get(reason) or failure_reason(invitation, None)


def funnel_state(invitation: Mapping[str, Any], message: Mapping[str, Any] | None) -> str:
    """The one state an invitation is in, from its own state and its message's (`message`: the outbox record,
    None when there is none or it expired): answered, not sent (the citizen had opted out), failed (the
    invitation or its message), else how far the message got: read, delivered, sent (accepted by WhatsApp),
    waiting. A citizen who opts out after the invitation reached them counts where their message got."""
    state, message = invitation.get("state"), message or {}
    if state == "answered":
        return ANSWERED
    if state == "opted_out" and not invitation.get("outbox_id"):  # opted out before: nothing was sent
        return OPTED_OUT
    if state == "failed" or message.get("delivery") == "failed" or message.get("state") == "failed":
        return FAILED
    delivery = message.get("delivery")
    if delivery in ("read", "played"):
        return READ
    if delivery == "delivered":
        return DELIVERED
    if message.get("state") == "sent" or (not message and state in ("sent", "expired", "opted_out")):
        return SENT
    return WAITING


@dataclass(frozen=True)
class Funnel:
    """One cohort: tickets opened and invitations made in the period, and what became of them. Every
    invitation is counted in exactly one state, so the states add up to the invitations."""

    served: int  # tickets opened in the period, not cancelled
    states: Mapping[str, int]  # STATES → invitations in that state
    failures: Mapping[str, int] = field(default_factory=dict)  # reason in words → invitations that failed on the way
    no_consent: int = 0  # services completed in the period whose citizen did not agree to be asked
    after_nudge: tuple[int, int, int] = (0, 0, 0)  # answered with 0, 1, 2 or more nudges
    flow_invited: int = 0  # invited by WhatsApp Flow and accepted by WhatsApp (an office whose [survey] path is "flow")
    flow_answered: int = 0  # of those, answered (in the Flow or any other way)
    # reason in words → invitations Jaring did not send at all (no survey form, the citizen had said BERHENTI);
    # they are among the failed and opted-out states, and not in `failures`
    not_sent: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, served: int, pairs: Iterable[tuple[Mapping[str, Any], Mapping[str, Any] | None]],
           no_consent: int = 0) -> "Funnel":
        """From (invitation, its message) pairs."""
        states = dict.fromkeys(STATES, 0)
        failures: dict[str, int] = {}
        not_sent: dict[str, int] = {}
        after, flow = [0, 0, 0], [0, 0]
        for invitation, message in pairs:
            state = funnel_state(invitation, message)
            states[state] += 1
            if state in (FAILED, OPTED_OUT) and not invitation.get("outbox_id"):  # never handed to WhatsApp
                reason = not_sent_reason(invitation)
                not_sent[reason] = not_sent.get(reason, 0) + 1
            elif state == FAILED:
                reason = failure_reason(invitation, message)
                failures[reason] = failures.get(reason, 0) + 1
            if state == ANSWERED:
                after[min(2, int(invitation.get("nudges") or 0))] += 1
            if invitation.get("way") == FLOW_WAY and state in WENT_OUT:  # a Flow invitation that reached WhatsApp
                flow[0] += 1
                flow[1] += state == ANSWERED
        return cls(served, states, _most_first(failures), no_consent, tuple(after), flow[0], flow[1],
                   _most_first(not_sent))

    def count(self, state: str) -> int:
        return int(self.states.get(state, 0))

    @property
    def not_sent_total(self) -> int:
        return sum(self.not_sent.values())

    @property
    def invited(self) -> int:
        """Invitations made, whatever became of them (= the sum of the states)."""
        return sum(self.count(s) for s in STATES)

    @property
    def went_out(self) -> int:
        """Invitations WhatsApp accepted: sent, delivered, read or answered."""
        return sum(self.count(s) for s in WENT_OUT)

    @property
    def answered(self) -> int:
        return self.count(ANSWERED)

    @property
    def delivered(self) -> int:
        """Cumulative, for summaries (reports.rollup): invitations that reached the phone (delivered, read or
        answered; an answer means it arrived)."""
        return self.count(DELIVERED) + self.count(READ) + self.count(ANSWERED)

    @property
    def read(self) -> int:
        """Cumulative: invitations read or answered."""
        return self.count(READ) + self.count(ANSWERED)

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.served if self.served else None

    @property
    def rows(self) -> list[tuple[str, int]]:
        """(state in words, count) for every state and the citizens never invited for want of consent."""
        return [*((STATE_NAMES[s], self.count(s)) for s in STATES), (NO_CONSENT, self.no_consent)]


def _most_first(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


@dataclass(frozen=True)
class Complaints:
    received: int
    open: int  # the office still owes an answer (received or verified)
    overdue: int  # open past the deadline it works towards (due_at)
    answered: int  # given a first answer
    answered_late: int  # a deadline (verification or answer) was missed before the first answer
    median_hours_to_first_answer: float | None


def complaints_summary(docs: Iterable[Mapping[str, Any]], now: dt.datetime) -> Complaints | None:
    """Counts over complaints received in the period, from the fields jaring.cases.complaints writes; None when
    there are none yet."""
    docs = list(docs)
    if not docs:
        return None
    still_open = [d for d in docs if d.get("status") in OPEN_COMPLAINT]
    answered = [d for d in docs if d.get("first_answer_at") and d.get("received_at")]
    waits = [(d["first_answer_at"] - d["received_at"]).total_seconds() / 3600 for d in answered]
    late = [d for d in answered if _answered_late(d)]
    return Complaints(
        received=len(docs), open=len(still_open),
        overdue=sum(1 for d in still_open if d.get("due_at") and d["due_at"] <= now),
        answered=len(answered), answered_late=len(late),
        median_hours_to_first_answer=statistics.median(waits) if waits else None)


def _answered_late(doc: Mapping[str, Any]) -> bool:
    """Verified first: late if verified after its deadline or answered after the answer deadline. Answered
    straight away (which verifies too): late if after the verification deadline."""
    verified, answered, verify_due = doc.get("verified_at"), doc["first_answer_at"], doc.get("verify_due_at")
    if verified and verified < answered:
        return bool((verify_due and verified > verify_due)
                    or (doc.get("answer_due_at") and answered > doc["answer_due_at"]))
    return bool(verify_due and answered > verify_due)


@dataclass(frozen=True)
class ComplaintRatings:
    """How complainants rated the handling of their closed complaints, on U8's question and 1..4 scale.
    A measure of its own: never part of the IKM or its respondent count (docs/COMPLAINTS.md)."""

    ratings: int
    total: int
    values: dict[int, int]  # how many gave 1, 2, 3, 4
    months: tuple[str, str]  # first and last month counted (ratings are kept per month)

    @property
    def nrr(self) -> Fraction:
        return Fraction(self.total, self.ratings)

    @property
    def nik(self) -> Fraction:
        return self.nrr * 25


def months_of(period: Period) -> list[str]:
    """The calendar months ("2026-01") a period touches."""
    months, (y, m) = [], (period.start.year, period.start.month)
    while (y, m) <= (period.end.year, period.end.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def complaint_ratings(docs: Iterable[Mapping[str, Any]]) -> ComplaintRatings | None:
    """The sum of `complaint_ratings` documents; None when nobody rated."""
    docs = [d for d in docs if d.get("ratings")]
    if not docs:
        return None
    values = {v: sum(int((d.get("values") or {}).get(str(v), 0)) for d in docs) for v in range(1, 5)}
    months = sorted(d["month"] for d in docs)
    return ComplaintRatings(sum(int(d["ratings"]) for d in docs), sum(int(d["sum"]) for d in docs), values,
                            (months[0], months[-1]))


@dataclass(frozen=True)
class Group:
    name: str
    tally: ikm.Tally
    key: str = ""  # what a filter sends back (a unit's id); the name is what people read

    @property
    def index(self) -> ikm.Index | None:
        """None without respondents, or while an unsur has no answer at all (see `missing`)."""
        return ikm.compute(self.tally) if self.tally.respondents and not self.tally.unanswered else None


@dataclass(frozen=True)
class Sample:
    population: int | None  # citizens served in the period (tickets), unknown without tickets
    obtained: int

    @property
    def required(self) -> int | None:
        return ikm.krejcie_morgan(self.population) if self.population else None

    @property
    def adequate(self) -> bool | None:
        return None if self.required is None else self.obtained >= self.required


@dataclass(frozen=True)
class Report:
    scope: Scope
    period: Period
    total: Group
    units: list[Group]
    services: list[Group]
    channels: list[Group]
    trend: list[Group]  # per month, or per day for periods of a month or less
    profile: dict[str, list[tuple[str, int]]]
    suggestions: int
    sample: Sample
    funnel: Funnel | None = None
    complaints: Complaints | None = None
    generated_at: dt.datetime | None = None
    complaint_ratings: ComplaintRatings | None = None
    notes: list[str] = field(default_factory=list)
    names: Names = field(default_factory=Names)

    @property
    def index(self) -> ikm.Index | None:
        return self.total.index

    @property
    def where(self) -> str:
        """The unit's name, or "Semua unit"."""
        return self.names.unit(self.scope.unit)


def _tally(doc: Mapping[str, Any]) -> ikm.Tally:
    return ikm.Tally.from_sums(int(doc.get("responses", 0)), doc.get("sums") or {}, doc.get("blanks") or {})


def _grouped(docs: list[Mapping[str, Any]], key, name=lambda key: key) -> list[Group]:
    groups: dict[str, ikm.Tally] = {}
    for doc in docs:
        k = key(doc)
        groups[k] = groups.get(k, ikm.Tally()) + _tally(doc)
    return sorted((Group(name(k), t, k) for k, t in groups.items()), key=lambda g: g.name)


def _trend_key(period: Period):
    if period.days <= 31:
        return lambda doc: doc["day"]
    return lambda doc: doc["day"][:7]


def _profile(docs: list[Mapping[str, Any]], respondents: int, minimum: int) -> dict[str, list[tuple[str, int]]]:
    """Per profile question: (value in words, people), small groups merged into the one "Lainnya" row, the
    respondents who skipped the question last."""
    result = {}
    for name in PROFILE_FIELDS:
        counts: dict[str, int] = {}
        for doc in docs:
            for value, n in ((doc.get("profile") or {}).get(name) or {}).items():
                label = profile_label(name, value)
                counts[label] = counts.get(label, 0) + n
        counts[NOT_GIVEN] = respondents - sum(counts.values())
        rows = ikm.suppress(counts, minimum)
        result[name] = [r for r in rows if r[0] != NOT_GIVEN] + [r for r in rows if r[0] == NOT_GIVEN]
    return result


def build(scope: Scope, period: Period, aggregates: Iterable[Mapping[str, Any]], funnel: Funnel | None = None,
          complaints: Complaints | None = None, generated_at: dt.datetime | None = None,
          minimum: int = MIN_CELL, complaint_ratings: ComplaintRatings | None = None,
          names: Names | None = None) -> Report:
    days = (period.start.isoformat(), period.end.isoformat())
    docs = [d for d in aggregates if scope.admits(d) and days[0] <= d["day"] <= days[1]]
    total = sum((_tally(d) for d in docs), ikm.Tally())
    names = names or Names()
    return Report(
        scope=scope, period=period, total=Group("Semua", total), names=names,
        units=_grouped(docs, lambda d: d["unit"], names.unit),
        services=_grouped(docs, lambda d: d.get("service") or NO_SERVICE),
        channels=_grouped(docs, lambda d: CHANNEL_NAMES.get(d["channel"], d["channel"])),
        trend=_grouped(docs, _trend_key(period)),
        profile=_profile(docs, total.respondents, minimum),
        suggestions=sum(int(d.get("suggestions", 0)) for d in docs),
        sample=Sample(funnel.served if funnel else None, total.respondents),
        funnel=funnel, complaints=complaints, generated_at=generated_at, complaint_ratings=complaint_ratings)


@dataclass(frozen=True)
class PublicRow:
    quarter: str
    unit: str
    respondents: int
    index: ikm.Index | None  # None when too few respondents to publish


def public_rows(office: str, y: int, aggregates: Iterable[Mapping[str, Any]], minimum: int = MIN_CELL,
                names: Names | None = None) -> list[PublicRow]:
    """IKM per quarter and unit of one year, plus the office as a whole (unit "Semua unit").

    An index of fewer than `minimum` people would show what those few answered, so it is withheld.
    """
    rows = []
    for q in range(1, 5):
        period = quarter(y, q)
        report = build(Scope(office), period, aggregates, names=names)
        for group in [*report.units, Group("Semua unit", report.total.tally)]:
            if group.tally.respondents:
                shown = group.index if group.tally.respondents >= minimum else None
                rows.append(PublicRow(period.label, group.name, group.tally.respondents, shown))
    return rows


def whatsapp_summary(unit_label: str, today: Report | None, this_month: Report | None) -> str:
    """The staff quick summary sent in chat: short lines, no personal data."""
    lines = [f"Ringkasan SKM {unit_label}"]
    for title, rep in (("Hari ini", today), (this_month.period.label if this_month else "", this_month)):
        if rep is None:
            continue
        index = rep.index
        lines.append(f"{title}: {index.respondents} jawaban, IKM {num(index.ikm)} ({index.mutu}, {index.kinerja})"
                     if index else f"{title}: belum ada jawaban")
        if rep.funnel and rep.funnel.served:
            f = rep.funnel
            not_sent = f.count(FAILED) + f.count(OPTED_OUT) + f.count(WAITING)
            lines.append(f"  dilayani {f.served}, undangan terkirim {f.went_out}"
                         + (f" (tidak/belum terkirim {not_sent})" if not_sent else "")
                         + f", menjawab {f.answered} ({f.response_rate:.0%})")
    latest, span = (this_month, "bulan ini") if this_month else (today, "hari ini")
    if latest and latest.index:
        first = latest.index.priorities()[:1]
        lines.append(f"Unsur terlemah {span}: {first[0].name} ({num(first[0].nik)})" if first
                     else f"Prioritas perbaikan {span}: tidak ada, {ALL_AT_A}")
    if latest and latest.complaints:
        c = latest.complaints
        lines.append(f"Pengaduan {span}: {c.received} masuk, {c.open} terbuka, {c.overdue} lewat batas waktu")
    if this_month and this_month.complaint_ratings:
        r = this_month.complaint_ratings
        lines.append(f"Penilaian penanganan pengaduan bulan ini (terpisah dari IKM): {r.ratings} penilaian, "
                     f"rata-rata {num(r.nrr)} dari 4")
    return "\n".join(lines)
