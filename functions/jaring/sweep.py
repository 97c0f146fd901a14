"""One run of the reminder sweep (Cloud Scheduler calls it every 15 minutes).

In order: outbox records left due by earlier attempts are retried; escalations run (hooks for overdue
complaints and follow-up cases); then due invitations are decided one by one (nudge, move to the next
allowed moment, or close) until none is left or the time budget is spent. The rest waits for the next
run, so cost follows the number of due invitations, never the number of tickets. Last, when time is left,
the roll-ups' month summaries of this quarter-hour's offices are refreshed (each office once a day).
"""
from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import logging
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

from jaring.app import Jaring
from jaring.cases import service as casework
from jaring.messaging import delivery
from jaring.survey import invitations, nudges
from jaring.survey.nudge_store import Contended, SweepStore
from jaring.tickets import service as ticketing

log = logging.getLogger(__name__)

# An escalation looks for overdue cases and acts on them: (app, now, is_paused(office)) -> cases handled.
Escalation = Callable[[Jaring, Any, Callable[[str], bool]], int]
# Complaints past a deadline go to the unit head, then the office head (docs/COMPLAINTS.md).
ESCALATIONS: dict[str, Escalation] = {"overdue_complaints": casework.escalate_overdue}


@dataclass
class Summary:
    due: int = 0  # due invitations looked at in this run
    sent: int = 0
    skipped: Counter = field(default_factory=Counter)  # by reason (closed ones too: expired, opted_out, …)
    closed: int = 0
    failed: Counter = field(default_factory=Counter)  # nudge sends refused, by what it means
    remaining: int = 0  # still due when the run ended (left for the next run)
    stopped_early: bool = False  # the time budget ran out
    outbox_retry: dict[str, int] = field(default_factory=dict)
    escalations: dict[str, int] = field(default_factory=dict)
    reads: int = 0  # Firestore documents this run read for its invitations and offices
    office_summaries: int = 0  # roll-up summaries refreshed (this quarter-hour's offices, once a day each)

    def as_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out.update(skipped=dict(self.skipped), failed=sum(self.failed.values()), failures=dict(self.failed))
        return out


@dataclass(frozen=True)
class OfficeNudging:
    """What the sweep needs to know about an office: its switch, its policy, its message settings."""

    paused: bool
    policy: nudges.Policy
    messaging: invitations.OfficeMessaging


def office_nudging(app: Jaring, store: SweepStore, office: str) -> OfficeNudging:
    """From the office's configuration (its [survey.nudges], checked by config load, and its days off)."""
    config = app.office_config(office)
    return OfficeNudging(store.paused(office), nudges.Policy.from_config(config.survey.nudges, config.hours),
                         app.ticket_store.messaging(office, app.settings))


PER_WORKER = 20.0  # nudges per second one worker keeps up with (a claim, a send, a record: ~5 round trips)


@dataclass(frozen=True)
class Outcome:
    kind: str  # sent | skipped | failed
    reason: str = ""
    closed: bool = False


def run(app: Jaring, *, escalations: dict[str, Escalation] | None = None, page_size: int = 250,
        monotonic: Callable[[], float] = time.monotonic, budget: float | None = None) -> Summary:
    started = monotonic()
    budget = app.settings.sweep_budget_seconds if budget is None else budget
    store = app.nudge_store
    reads_before = store.reads  # the app's adapter counts for the process: this run's share is the difference
    summary = Summary()
    offices: dict[str, OfficeNudging] = {}

    def office_of(office: str) -> OfficeNudging:
        if office not in offices:
            offices[office] = office_nudging(app, store, office)
        return offices[office]

    summary.outbox_retry = delivery.retry_due(app)
    for name, escalate in (ESCALATIONS if escalations is None else escalations).items():
        summary.escalations[name] = escalate(app, app.clock.now(), lambda office: office_of(office).paused)

    pacer = nudges.Pacer(app.settings.send_rate, monotonic, app.sleep)
    one_try = dataclasses.replace(app, retry_delays=())  # a refused nudge is decided again, not resent blindly
    workers = max(1, math.ceil(app.settings.send_rate / PER_WORKER))
    with _Workers(workers, summary) as pool:
        for snap in store.due(app.clock.now(), page_size):
            if monotonic() - started >= budget:
                summary.stopped_early = True
                break
            summary.due += 1
            office = office_of(snap.get("office"))
            if office.paused:
                _tally(summary, Outcome("skipped", "paused"))
                continue
            pool.run(_one, app, one_try, store, snap, office, pacer)

    summary.remaining = store.count_due(app.clock.now())
    if not summary.stopped_early:
        summary.office_summaries = refresh_office_summaries(app)
    summary.reads = store.reads - reads_before
    log.info("reminder sweep: %s", summary.as_dict())
    return summary


def refresh_office_summaries(app: Jaring) -> int:
    """The roll-ups' month summaries of this quarter-hour's offices (jaring.rollup_store); a failure here
    never fails the sweep: the next day's run refreshes them again."""
    from jaring.messaging.store import StoreUnavailable

    try:
        return app.rollup_store.refresh_due(app.clock.now())
    except StoreUnavailable as exc:
        log.error("office summaries not refreshed: %s", exc)
        return 0


class _Workers:
    """Runs nudges one after the other, or on a few threads when the configured rate needs them."""

    def __init__(self, workers: int, summary: Summary):
        self.summary = summary
        self.pool = cf.ThreadPoolExecutor(workers, thread_name_prefix="sweep") if workers > 1 else None
        self.in_flight: set[cf.Future] = set()
        self.limit = 2 * workers  # queued work stays small, so the time budget stops the run promptly

    def run(self, fn: Callable[..., Outcome], *args: Any) -> None:
        if self.pool is None:
            _tally(self.summary, fn(*args))
            return
        self.in_flight.add(self.pool.submit(fn, *args))
        if len(self.in_flight) >= self.limit:
            self._collect(cf.FIRST_COMPLETED)

    def _collect(self, when: str) -> None:
        done, self.in_flight = cf.wait(self.in_flight, return_when=when)
        for future in done:
            _tally(self.summary, future.result())

    def __enter__(self) -> "_Workers":
        return self

    def __exit__(self, kind: Any, *rest: Any) -> None:
        if self.pool is None:
            return
        if kind is None:
            self._collect(cf.ALL_COMPLETED)
        self.pool.shutdown(wait=True, cancel_futures=kind is not None)


def _tally(summary: Summary, outcome: Outcome) -> None:
    if outcome.kind == "sent":
        summary.sent += 1
    elif outcome.kind == "skipped":
        summary.skipped[outcome.reason] += 1
    else:
        summary.failed[outcome.reason] += 1
    summary.closed += outcome.closed


def _one(app: Jaring, one_try: Jaring, store: SweepStore, snap: Any, office: OfficeNudging,
         pacer: nudges.Pacer) -> Outcome:
    now, policy = app.clock.now(), office.policy
    invitation = snap.to_dict() or {}
    number_id = app.number_for(invitation.get("office") or app.settings.default_office)  # the office's own number
    for attempt in (1, 2):  # a claim that lost a race reads again once: usually another sweep won it
        try:
            claim = store.claim(snap.id, invitation.get("contact_id") or "", now, number_id,
                                lambda invitation, contact: nudges.decide(invitation, contact, now, policy,
                                                                          office.messaging))
            break
        except Contended:
            if attempt == 2:
                return Outcome("skipped", "contended")
    action = claim.action
    if not isinstance(action, nudges.Send):
        return Outcome("skipped", action.reason, isinstance(action, nudges.Close))
    pacer.wait()
    result = delivery.send_claimed(one_try, claim.outbox_id, claim.record or {})
    if result.outcome == "sent":
        return Outcome("sent")
    failure = store.settle_failure(claim, result.error, app.clock.now(), policy)
    return Outcome("failed", failure.reason, failure.close is not None)
