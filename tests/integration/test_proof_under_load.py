"""Small, fast versions of issue 9's proofs, on every change: a simulated week of an office and the webhook's
fault drills, each run as its documented command against its own local stack (docs/RELIABILITY.md)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.emulator


def run(module: str, *args: str, timeout: int = 240) -> tuple[int, dict]:
    done = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)
    out = done.stdout
    start = out.find("\n{") + 1 if not out.startswith("{") else 0
    assert out[start:].strip(), done.stderr[-2000:]
    return done.returncode, json.loads(out[start:])


def test_a_simulated_month_invites_every_consenting_citizen_once_and_reports_what_happened():
    # Seed 23's month has blank answers, numbers WhatsApp refuses, citizens who stopped messages before their
    # service, citizens without consent (at the desk, or "Tidak setuju" at a QR check-in), services typed by staff
    # in their own way, and a template invitation that waits for the end of Friday prayers (polite hours).
    code, figures = run("bench.simulate", "--services", "50", "--days", "30", "--seed", "23", "--sweep-every", "120",
                        timeout=600)
    assert figures["invariant_failures"] == [] and code == 0
    assert figures["funnel"]["served"] == 50
    assert figures["funnel"]["failed"] and figures["funnel"]["opted_out"] and figures["funnel"]["no_consent"]
    assert figures["ikm"]["answers_with_blanks"] and figures["ikm"]["services_typed"] >= figures["ikm"]["services_in_report"]
    funnel = figures["funnel"]
    # Every invitation in one state, the states adding up: the invariants compared them with what was generated.
    assert sum(funnel["states"].values()) == funnel["invitations"] == figures["consenting"]
    assert funnel["went_out"] == figures["consenting"] - funnel["failed"] - funnel["opted_out"]
    assert figures["ikm"]["respondents"] == funnel["answered"] > 0
    assert figures["ikm"]["ikm"] is not None and float(figures["ikm"]["ikm"]) == figures["ikm"]["ikm_expected"]


def test_redelivered_messages_get_no_second_reply():
    code, figures = run("bench.webhook_faults", "redeliveries", "--messages", "60", "--redeliveries", "30",
                        "--reclaim-leases")
    assert (code, figures["ok"]) == (0, True), figures
    assert figures["posts"] == 90 and figures["inbound_stored"] == figures["replies_sent"] == 60
    assert figures["replies_doubled"] == 0


def test_a_failing_graph_api_still_gets_every_reply_delivered_and_none_twice_when_meta_reports_statuses():
    code, figures = run("bench.webhook_faults", "graph-chaos", "--messages", "60", "--reclaim-leases")
    assert (code, figures["ok"]) == (0, True), figures
    assert figures["graph_failed_attempts"] > 0 and figures["uncertain_attempts"] > 0, "the drill must meet stalls"
    assert figures["replies_sent"] == 60 and figures["replies_never_delivered"] == 0
    assert figures["replies_doubled"] == 0 and figures["uncertain_sent_once"] > 0


def test_a_firestore_outage_is_answered_with_5xx_and_loses_or_doubles_nothing():
    code, figures = run("bench.webhook_faults", "firestore-outage", "--messages", "120", "--concurrency", "4",
                        "--outage", "12", "--outage-after", "0.5", "--reclaim-leases")
    assert (code, figures["ok"]) == (0, True), figures
    # Longer than the store's 10 s deadline, so requests in flight are answered 503 and Meta redelivers them.
    assert figures["http"].get("503", 0) > 0, "the outage must be felt"
    assert figures["inbound_stored"] == figures["replies_sent"] == 120 and figures["replies_doubled"] == 0
