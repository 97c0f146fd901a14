"""One run of the reminder sweep (Cloud Scheduler calls it every 15 minutes).

In order: outbox records left due by earlier attempts are retried; escalations run (hooks for overdue
complaints and follow-up cases); then due invitations are decided one by one (nudge, move to the next
allowed moment, or close) until none is left or the time budget is spent. The rest waits for the next
run, so cost follows the number of due invitations, never the number of tickets.
"""
from __future__ import annotations

import dataclasses
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

from jaring import delivery, nudges
from jaring.app import Jaring
from jaring.sweep_store import Contended, OfficeNudging, SweepStore

log = logging.getLogger(__name__)

# An escalation looks for overdue cases and acts on them: (app, now, is_paused(office)) -> cases handled.
Escalation = Callable[[Jaring, Any, Callable[[str], bool]], int]
# The complaints work (issue 7) adds "overdue_complaints", the follow-up cases of low scores theirs.
ESCALATIONS: dict[str, Escalation] = {}


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

    def as_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out.update(skipped=dict(self.skipped), failed=sum(self.failed.values()), failures=dict(self.failed))
        return out


def run(app: Jaring, *, escalations: dict[str, Escalation] | None = None, page_size: int = 100,
        monotonic: Callable[[], float] = time.monotonic, budget: float | None = None) -> Summary:
    started = monotonic()
    budget = app.settings.sweep_budget_seconds if budget is None else budget
    store = SweepStore(app.store)
    summary = Summary()
    offices: dict[str, OfficeNudging] = {}

    def switches(office: str) -> OfficeNudging:
        if office not in offices:
            offices[office] = store.office(office, app.settings)
            if offices[office].problem:
                log.error("office %s: nudge policy not usable, its nudges wait: %s", office, offices[office].problem)
        return offices[office]

    summary.outbox_retry = delivery.retry_due(app)
    for name, escalate in (ESCALATIONS if escalations is None else escalations).items():
        summary.escalations[name] = escalate(app, app.clock.now(), lambda office: switches(office).paused)

    pacer = nudges.Pacer(app.settings.send_rate, monotonic, app.sleep)
    one_try = dataclasses.replace(app, retry_delays=())  # a refused nudge is decided again, not resent blindly
    for snap in store.due(app.clock.now(), page_size):
        if monotonic() - started >= budget:
            summary.stopped_early = True
            break
        summary.due += 1
        office = switches(snap.get("office"))
        if office.paused or office.policy is None:
            summary.skipped["paused" if office.paused else "policy_unusable"] += 1
            continue
        _one(app, one_try, store, snap, office, pacer, summary)

    summary.remaining = store.count_due(app.clock.now())
    summary.reads = store.reads
    log.info("reminder sweep: %s", summary.as_dict())
    return summary


def _one(app: Jaring, one_try: Jaring, store: SweepStore, snap: Any, office: OfficeNudging,
         pacer: nudges.Pacer, summary: Summary) -> None:
    now, policy = app.clock.now(), office.policy
    number_id = (snap.to_dict() or {}).get("phone_number_id") or app.settings.whatsapp_phone_number_id
    for attempt in (1, 2):  # a claim that lost a race reads again once: usually another sweep won it
        try:
            claim = store.claim(snap.id, now, number_id,
                                lambda invitation, contact: nudges.decide(invitation, contact, now, policy,
                                                                          office.messaging))
            break
        except Contended:
            if attempt == 2:
                summary.skipped["contended"] += 1
                return
    action = claim.action
    if not isinstance(action, nudges.Send):
        summary.skipped[action.reason] += 1
        summary.closed += isinstance(action, nudges.Close)
        return
    pacer.wait()
    result = delivery.send_claimed(one_try, claim.outbox_id, claim.record or {})
    if result.outcome == "sent":
        summary.sent += 1
        return
    failure = store.settle_failure(claim, result.error, app.clock.now(), policy)
    summary.failed[failure.reason] += 1
    summary.closed += failure.close is not None
