"""Sending outbox records through the Graph API, with retries that never double a message."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Mapping

from jaring.app import Jaring
from jaring.messaging import outbox
from jaring.phone import mask
from jaring.whatsapp.graph import GraphError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Result:
    outcome: str  # sent | retry | failed
    error: GraphError | None = None  # the last error, when not sent


def deliver(app: Jaring, outbox_ids: list[str], claimed: bool, ignore_backoff: bool = False,
            records: Mapping[str, dict[str, Any]] | None = None) -> dict[str, int]:
    """Send each record; claimed=True when the caller created them under its own lease. `records` are the
    ones the caller's committed transaction wrote (by id): they are sent as written, without reading them
    back (no one else may touch them while the lease runs)."""
    tally = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    for outbox_id in outbox_ids:
        now = app.clock.now()
        if not claimed:
            record = app.store.claim(outbox_id, now, ignore_backoff)
        else:
            record = (records or {}).get(outbox_id) or app.store.load_outbox(outbox_id)
        if record is None or (claimed and record.get("state") != outbox.SENDING):
            tally["skipped"] += 1
            continue
        purpose = record.get("purpose", "reply")
        if purpose in outbox.NON_REPLY_PURPOSES and not outbox.may_send(
                app.store.contact(record.get("contact_id", "")), purpose):
            app.store.mark_failed(outbox_id, None, "opted_out: the citizen sent BERHENTI",
                                  int(record.get("attempts") or 0), 0, None, _sensitive(record), now)
            tally["failed"] += 1
            continue
        tally[send_claimed(app, outbox_id, record).outcome] += 1
    return tally


def send_claimed(app: Jaring, outbox_id: str, record: dict[str, Any]) -> Result:
    """Send one record whose lease the caller holds, retrying in-request per app.retry_delays."""
    attempts = int(record.get("attempts") or 0)
    uncertain = 0
    delays = list(app.retry_delays)
    content = outbox.content_of(record)
    while True:
        attempts += 1
        try:
            accepted = app.graph.send(record["phone_number_id"], record["to"], content,
                                      callback_data=outbox_id)
        except GraphError as error:
            unknown = error.http_status is None  # a timeout: Meta may have taken it
            uncertain += unknown
            if error.retryable and delays and attempts < outbox.MAX_ATTEMPTS and not unknown:
                app.sleep(delays.pop(0))
                continue
            now = app.clock.now()
            retry_at = None
            if error.retryable and attempts < outbox.MAX_ATTEMPTS:
                retry_at = now + outbox.STATUS_WAIT if unknown else outbox.next_attempt_at(attempts, now)
            app.store.mark_failed(outbox_id, error.code, str(error), attempts, uncertain, retry_at,
                                  redact=_sensitive(record), now=now, awaiting_status=unknown)
            log.warning("send %s to %s failed: %s%s", outbox_id, mask(record["to"]), error,
                        "; will retry" if retry_at else "")
            return Result("retry" if retry_at else "failed", error)
        app.store.mark_sent(outbox_id, accepted.wamid, attempts, uncertain, app.clock.now(),
                            redact=_sensitive(record))
        return Result("sent")


def _sensitive(record: dict[str, Any]) -> dict[str, Any] | None:
    """The record again when it must forget its words, addressee and times once sent (store.mark_*)."""
    return record if record.get("sensitive") else None


def retry_due(app: Jaring, limit: int = 200, ignore_backoff: bool = False) -> dict[str, int]:
    """Finish what earlier attempts left: records due for retry and leases that ran out."""
    ids = app.store.due_outbox_ids(app.clock.now(), limit, ignore_backoff)
    return deliver(app, ids, claimed=False, ignore_backoff=ignore_backoff)
