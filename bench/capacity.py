"""What one office and every office (514) cost in a month: docs/CAPACITY.md.

  .venv/bin/python -m bench.capacity [--offices 514] [--served 278] [--json FILE]

Measures each path once on this machine (Firestore emulator + Graph stand-in, in process, through the real
entrypoints of functions/main.py; tests/support/round_trips.py, as `bench.webhook_bench --round-trips-only`):
round trips, documents read and written (per collection) and time, for a citizen's text, a delivery status,
a ticket opened, a survey invitation, an SKM answer, a nudge and a quarter's dashboard. Then multiplies them by
a month of traffic per office (TRAFFIC, from the simulated quarter of docs/RELIABILITY.md; each figure says
where it comes from) and prints the model: invocations and instance-seconds per function, Firestore reads,
writes and storage, WhatsApp template messages and their charge (RATES, with the rate card's date), and the
write rates at the national peak against Firestore's 500 writes/s for a collection with a time-stamp index.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from contextlib import ExitStack
from dataclasses import dataclass

from bench.webhook_bench import measure_round_trips
from tests.support import emulator
from tests.support.graph_standin import StandIn, StandInServer
from tests.support.localstack import LOCAL_ENV

# A month of one office, per citizen served (a service completed at a desk, KUA or madrasah).
# The simulated quarter (bench.simulate, 833 services in 90 days, docs/RELIABILITY.md) gave, per service:
# replies 3,916 · invitations 766 · nudges 756 · thanks 310 · relays to staff 39 · escalations 29 ·
# answers 484. Those shares are the simulation's assumptions, not an office's measured figures.
SERVED = 278  # per month: 833 per quarter as simulated (Bangkalan served 833 in Jan–Apr 2022: 208/month)
SIM = 833
TRAFFIC = {  # what one served citizen causes, on average
    "inbound_text": 3916 / SIM,  # citizen messages: assumed one per reply (most answers reply to one message)
    "inbound_text_first": 1.0 * 0.3,  # first contacts: the 30 % who greet the hotline before their visit
    "ticket": 1.0,
    "invitation": 766 / SIM,
    "answer": 484 / SIM,
    "nudge": 756 / SIM,
}
OUTBOUND = (3916 + 766 + 756 + 310 + 39 + 29) / SIM  # messages Jaring sends per served citizen
STATUSES_PER_MESSAGE = 3  # sent, delivered, read: Meta posts each (read only when the citizen has receipts on)
TEMPLATES = {  # template messages per served citizen (the rest are free-form inside the 24-hour window)
    "invitation": 0.7 * 766 / SIM,  # 30 % chatted first: their invitation is free-form (docs/RELIABILITY.md)
    "nudge": 756 / SIM,  # a nudge comes a day or more after the invitation: the window is closed
}
REPORTS_PER_MONTH = 22 * 5  # dashboards opened per office: 5 per working day (assumption)
SWEEPS_PER_MONTH = 30 * 24 * 4  # Cloud Scheduler every 15 minutes, one job for the whole deployment
WORKING_DAYS = 22
PEAK_HOUR_SHARE = 0.2  # share of a working day's traffic in its busiest hour (assumption)
MIN_BILLED = 0.1  # Cloud Run bills instance time in 100 ms steps (a request alone on its instance)

# Meta's per-message rates for Indonesia (+62), USD per delivered template. Meta's rate card page itself
# could not be read from here; the figures are as third parties reproduced it (docs/CAPACITY.md, sources).
RATES = {"card": "Indonesia, as reported for the per-message card of 1 July 2025 (unconfirmed)",
         "utility": 0.0200, "marketing": 0.0411}

FUNCTION_OF = {"inbound_text": "whatsapp_webhook", "inbound_text_first": "whatsapp_webhook",
               "status": "whatsapp_webhook", "ticket": "admin_api", "invitation": "admin_api",
               "answer": "form_submit", "nudge": "reminder_sweep", "report": "reports"}


@dataclass
class Month:
    """One month of `offices` offices of SERVED citizens each."""
    offices: int
    served: int

    def events(self) -> dict[str, float]:
        citizens = self.offices * self.served
        out = {key: share * citizens for key, share in TRAFFIC.items()}
        out["inbound_text"] -= out["inbound_text_first"]
        out["status"] = OUTBOUND * citizens * STATUSES_PER_MESSAGE
        out["report"] = REPORTS_PER_MONTH * self.offices
        return out

    def model(self, paths: dict) -> dict:
        events = self.events()
        functions: dict[str, dict[str, float]] = {}
        reads = writes = 0.0
        written_to: dict[str, float] = {}
        for key, n in events.items():
            p = paths[key]
            f = functions.setdefault(FUNCTION_OF[key], {"invocations": 0.0, "instance_seconds": 0.0})
            invocations = n if key != "nudge" else 0.0  # nudges ride in the sweep's runs, counted below
            f["invocations"] += invocations
            f["instance_seconds"] += invocations * max(MIN_BILLED, p["seconds"]) + (
                n * p["seconds"] if key == "nudge" else 0.0)
            reads += n * p["reads"]
            writes += n * p["writes"]
            for collection, w in p["written_to"].items():
                written_to[collection] = written_to.get(collection, 0.0) + n * w
        sweep = functions["reminder_sweep"]
        sweep["invocations"] += SWEEPS_PER_MONTH
        sweep["instance_seconds"] += SWEEPS_PER_MONTH * MIN_BILLED
        reads += SWEEPS_PER_MONTH  # an idle sweep's due query: billed as one read (docs/BENCHMARKS.md)
        templates = sum(share for share in TEMPLATES.values()) * self.offices * self.served
        peak = {c: w / WORKING_DAYS * PEAK_HOUR_SHARE / 3600 for c, w in written_to.items()}
        return {"offices": self.offices, "served": self.offices * self.served, "events": events,
                "functions": functions, "reads": reads, "writes": writes, "written_to": written_to,
                "templates": templates,
                "template_usd": {c: templates * RATES[c] for c in ("utility", "marketing")},
                "peak_writes_per_s": dict(sorted(peak.items(), key=lambda kv: -kv[1]))}


def measure() -> dict:
    with ExitStack() as stack:
        host = stack.enter_context(emulator.firestore_emulator())
        standin = StandIn(access_token=LOCAL_ENV["WHATSAPP_ACCESS_TOKEN"])
        server = stack.enter_context(StandInServer(standin, port=emulator.free_port()))
        return measure_round_trips(host, server.base_url)


def report(paths: dict, months: list[dict]) -> str:
    lines = ["| path | round trips | documents read | written | time in process |", "|---|---|---|---|---|"]
    for key, p in paths.items():
        if key != "baseline":
            lines.append(f"| {key}: {p['what']} | {p['round_trips']:g} | {p['reads']:g} | {p['writes']:g} | "
                         f"{p['seconds'] * 1000:.0f} ms |")
    for m in months:
        lines += ["", f"**{m['offices']} office(s), {m['served']:,} citizens served a month**", "",
                  "| function | invocations | instance-seconds |", "|---|---|---|"]
        for name, f in sorted(m["functions"].items()):
            lines.append(f"| {name} | {f['invocations']:,.0f} | {f['instance_seconds']:,.0f} |")
        lines += ["", f"Firestore: {m['reads']:,.0f} documents read, {m['writes']:,.0f} written; "
                      f"template messages {m['templates']:,.0f} = USD {m['template_usd']['utility']:,.2f} as "
                      f"utility, {m['template_usd']['marketing']:,.2f} as marketing",
                  "", "| collection | documents written a month | at the peak hour, per second |", "|---|---|---|"]
        for collection, rate in m["peak_writes_per_s"].items():
            lines.append(f"| {collection} | {m['written_to'][collection]:,.0f} | {rate:.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offices", type=int, default=514)
    parser.add_argument("--served", type=int, default=SERVED, help="citizens served per office and month")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    paths = measure()
    months = [Month(1, args.served).model(paths), Month(args.offices, args.served).model(paths)]
    print(report(paths, months))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"paths": paths, "months": months, "rates": RATES}, f, indent=1, default=str)
    return 0 if all(math.isfinite(m["reads"]) for m in months) else 1


if __name__ == "__main__":
    sys.exit(main())
