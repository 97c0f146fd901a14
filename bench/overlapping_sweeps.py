"""Drill: several reminder sweeps overlapping over the same due invitations send each nudge once.

Cloud Scheduler delivers at least once and a slow run can overlap the next, so this starts --sweeps
runs at the same moment (threads, each with its own Firestore client, as separate instances would
have) over --due invitations that are all due, on the emulator and the Graph stand-in, and checks
that every due invitation got exactly one nudge: the stand-in's accepted sends are grouped by the
outbox id Jaring puts in biz_opaque_callback_data.

Usage: PYTHONPATH=functions .venv/bin/python -m bench.overlapping_sweeps [--due 10000] [--sweeps 4] [--rate 80]
Prints one JSON object; exits 1 when a nudge is missing or doubled.
"""
from __future__ import annotations

import argparse
import collections
import concurrent.futures as cf
import json
import sys
import time
from contextlib import ExitStack

from bench.sweep_bench import NOW, PROJECT, TOKEN, app_for
from jaring import sweep
from tests.support import emulator
from tests.support.graph_standin import StandIn, StandInServer
from tests.support.invitations import seed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--due", type=int, default=10000)
    parser.add_argument("--sweeps", type=int, default=4)
    parser.add_argument("--rate", type=float, default=80.0, help="each sweep's configured send rate")
    args = parser.parse_args()
    with ExitStack() as stack:
        host = stack.enter_context(emulator.firestore_emulator())
        standin = StandIn(access_token=TOKEN)
        server = stack.enter_context(StandInServer(standin, port=emulator.free_port()))
        apps = [app_for(host, server.base_url, args.rate)[0] for _ in range(args.sweeps)]
        seed(apps[0].store.db, args.due, args.due, NOW)
        started = time.monotonic()
        with cf.ThreadPoolExecutor(args.sweeps) as pool:
            summaries = [s.as_dict() for s in pool.map(sweep.run, apps)]
        wall = time.monotonic() - started
        first = [s["sent"] for s in summaries]
        rounds = 0
        while any(s["remaining"] for s in summaries) and rounds < 10:  # budgets ran out: the next runs finish
            rounds += 1
            with cf.ThreadPoolExecutor(args.sweeps) as pool:
                summaries = [s.as_dict() for s in pool.map(sweep.run, apps)]
        accepted = collections.Counter(r["json"].get("biz_opaque_callback_data") for r in standin.requests
                                       if r["answer"] == 200 and r["path"].endswith("/messages"))
        invitations = apps[0].store.db.collection("invitations").stream()
        nudged = sum(1 for snap in invitations if (snap.get("nudges") or 0) == 1)
    figures = {"due": args.due, "sweeps": args.sweeps, "sends_accepted": sum(accepted.values()),
               "distinct_nudges": len(accepted), "doubled": sum(1 for n in accepted.values() if n > 1),
               "invitations_with_one_nudge": nudged, "first_round_wall_s": round(wall, 1),
               "extra_rounds": rounds, "first_round_sent_per_sweep": first}
    figures["ok"] = (figures["doubled"] == 0 and figures["distinct_nudges"] == args.due == nudged)
    print(json.dumps(figures))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
