"""Fault drills for the webhook, against the local stack on this machine (issue 9's figures).

  redeliveries      N new messages with R redeliveries of random earlier ones mixed in → 0 duplicate replies
  graph-chaos       the Graph API fails a share of sends (500, 503, 429 with Meta codes, pair limit, stalls
                    past the client timeout) and, like Meta, posts each accepted message's statuses back
                    → every reply delivered, none twice (a stalled send waits for its status callback);
                    with --no-statuses (a Meta that never calls back) doubles only where a stall left the
                    outcome unknown (counted)
  firestore-outage  the Firestore emulator is frozen (SIGSTOP) for --outage seconds under load → 5xx meanwhile;
                    Meta-style redelivery afterwards → nothing lost or doubled

Usage: .venv/bin/python -m bench.webhook_faults DRILL [--messages N] [--concurrency C] ...
Prints one JSON object with the figures and exits 1 when an invariant fails.
"""
from __future__ import annotations

import argparse
import collections
import concurrent.futures as cf
import datetime
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import requests

from tests.support import emulator, meta
from tests.support.graph_standin import StandIn, StandInServer
from tests.support.localstack import LOCAL_ENV, start_function, stop, wait_http

ROOT = Path(__file__).resolve().parents[1]
SECRET = LOCAL_ENV["WHATSAPP_APP_SECRET"]


class Stack:
    def __init__(self, stack: ExitStack, chaos_rate: float = 0.0, statuses: bool = False, api_timeout: float = 10.0):
        log_dir = ROOT / ".local" / "faults"
        log_dir.mkdir(parents=True, exist_ok=True)
        self.host = stack.enter_context(emulator.firestore_emulator(log_path=str(log_dir / "firestore.log")))
        self.standin = StandIn(access_token=LOCAL_ENV["WHATSAPP_ACCESS_TOKEN"], chaos_rate=chaos_rate,
                               chaos_stall=2.0)
        server = stack.enter_context(StandInServer(self.standin, port=emulator.free_port()))
        self.env = {**os.environ, **LOCAL_ENV, "FIRESTORE_EMULATOR_HOST": self.host,
                    "WHATSAPP_API_BASE": server.base_url, "WHATSAPP_API_TIMEOUT": str(api_timeout),
                    "PYTHONPATH": str(ROOT / "functions")}
        port = emulator.free_port()
        stack.callback(stop, start_function("whatsapp_webhook", port, self.env, log_dir))
        self.url = f"http://127.0.0.1:{port}/"
        wait_http(self.url)
        if statuses:  # sent and delivered, with the outbox id as biz_opaque_callback_data, as Meta posts them
            self.standin.webhook_url, self.standin.app_secret, self.standin.auto_status = self.url, SECRET, True
        os.environ["FIRESTORE_EMULATOR_HOST"] = self.host
        from google.cloud import firestore

        self.db = firestore.Client(project=LOCAL_ENV["GOOGLE_CLOUD_PROJECT"])

    def retry_outbox(self, ahead: float = 0.0) -> dict:
        """`outbox retry --now`; with `ahead`, the retrying worker's clock (a FileClock) runs that many seconds
        ahead, so leases left by workers that are gone have run out for it without waiting in real time."""
        env = self.env
        if ahead:
            clock = ROOT / ".local" / "faults" / "retry-clock"
            clock.write_text((datetime.datetime.now(datetime.timezone.utc)
                              + datetime.timedelta(seconds=ahead)).isoformat())
            env = {**env, "JARING_CLOCK_FILE": str(clock)}
        out = subprocess.run([sys.executable, "-m", "jaring", "outbox", "retry", "--now", "--limit", "1000"],
                             cwd=ROOT / "functions", env=env, capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    def outbox(self) -> list[dict]:
        return [d.to_dict() | {"id": d.id} for d in self.db.collection("outbox").stream()]

    def accepted_by_outbox_id(self) -> collections.Counter:
        return collections.Counter(r["json"].get("biz_opaque_callback_data") for r in self.standin.requests
                                   if r["answer"] == 200 and r["path"].endswith("/messages"))


def citizen_message(n: int) -> bytes:
    sender = f"6285{n % 3000:09d}"
    return meta.encode(meta.inbound(meta.text(sender, f"Halo, pesan ke-{n}", wamid=f"wamid.FAULT{n:08d}")))


def deliver_like_meta(url: str, bodies: list[bytes], concurrency: int, give_up_after: float = 600) -> dict:
    """Post every body until it is answered 200, retrying non-200 answers the way Meta does."""
    codes = collections.Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + give_up_after

    def post_until_ok(raw: bytes) -> None:
        session = requests.Session()
        delay = 0.5
        while time.monotonic() < deadline:
            try:
                status = session.post(url, data=raw, headers=meta.signed_headers(SECRET, raw), timeout=30).status_code
            except requests.RequestException:
                status = 0
            with lock:
                codes[status] += 1
            if status == 200:
                return
            time.sleep(delay)
            delay = min(delay * 2, 8)
        raise RuntimeError("a message was never accepted")

    with cf.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(post_until_ok, bodies))
    return dict(codes)


LEASE_S = 61  # outbox.LEASE and a second
STATUS_WAIT_S = 301  # outbox.STATUS_WAIT and a second


def finish_retries(stack: Stack, reclaim: bool = False, rounds: int = 20) -> int:
    """Let the outbox retry run (as the sweep would) until nothing is waiting; returns the rounds used.
    A lease left by a worker that lost its answer must run out first: wait for it, or with `reclaim`
    (CI) let the retry's clock run past it; the load is over by now, so no live worker holds one."""
    for n in range(rounds):
        waiting = [r for r in stack.outbox() if r["state"] in ("retry", "sending")]
        if not waiting:
            return n
        leased = any(r["state"] == "sending" for r in waiting)
        # A send whose outcome was unknown waits for its status callback (outbox.STATUS_WAIT) before a retry.
        awaiting = any(r.get("awaiting_status_until") for r in waiting)
        pause = STATUS_WAIT_S if awaiting else LEASE_S if leased else 0
        if pause and not reclaim:
            time.sleep(pause)
        stack.retry_outbox(ahead=pause if reclaim else 0)
    return rounds


def verdict(stack: Stack, messages: int) -> dict:
    records = stack.outbox()
    accepted = stack.accepted_by_outbox_id()
    sent = [r for r in records if r["state"] == "sent"]
    doubled = sum(1 for r in records if accepted[r["id"]] > 1)
    uncertain = sum(int(r.get("uncertain_attempts") or 0) for r in records)
    inbound = sum(1 for _ in stack.db.collection("inbound").stream())
    figures = {"messages": messages, "inbound_stored": inbound, "replies_recorded": len(records),
               "replies_sent": len(sent), "replies_never_delivered": sum(1 for r in records if accepted[r["id"]] == 0),
               "replies_doubled": doubled, "uncertain_attempts": uncertain,
               "states": dict(collections.Counter(r["state"] for r in records))}
    figures["ok"] = (inbound == messages == len(records) == len(sent) and figures["replies_never_delivered"] == 0
                     and doubled <= uncertain)
    return figures


def drill_redeliveries(args) -> dict:
    with ExitStack() as es:
        stack = Stack(es)
        fresh = [citizen_message(n) for n in range(args.messages)]
        rng = random.Random(11)
        order = list(fresh)
        for _ in range(args.redeliveries):  # a redelivery always comes after its first delivery
            i = rng.randrange(len(fresh))
            order.insert(rng.randrange(i + 1, len(order) + 1), fresh[i])
        start = time.perf_counter()
        codes = deliver_like_meta(stack.url, order, args.concurrency)
        elapsed = time.perf_counter() - start
        # A reply whose send failed on a loaded machine is the sweep's to retry, as in production.
        rounds = finish_retries(stack, args.reclaim_leases)
        figures = verdict(stack, args.messages) | {"posts": len(order), "http": codes, "retry_rounds": rounds,
                                                   "messages_per_s": len(order) / elapsed}
        figures["ok"] = figures["ok"] and figures["replies_doubled"] == 0
        return figures


def drill_graph_chaos(args) -> dict:
    with ExitStack() as es:
        # A client timeout shorter than the stand-in's stalls, so that some sends end with their outcome unknown.
        stack = Stack(es, chaos_rate=args.failure_rate, statuses=args.statuses, api_timeout=1.0)
        codes = deliver_like_meta(stack.url, [citizen_message(n) for n in range(args.messages)], args.concurrency)
        before = collections.Counter(r["state"] for r in stack.outbox())
        stack.standin.chaos_rate = 0.0  # the outage is over; the retries now meet a healthy API
        rounds = finish_retries(stack, args.reclaim_leases)
        sends = [r for r in stack.standin.requests if r["path"].endswith("/messages")]
        accepted = stack.accepted_by_outbox_id()
        figures = verdict(stack, args.messages) | {
            "http": codes, "states_before_retry": dict(before), "retry_rounds": rounds, "statuses": args.statuses,
            "graph_attempts": len(sends), "graph_failed_attempts": sum(1 for r in sends if r["answer"] != 200),
            "uncertain_sent_once": sum(1 for r in stack.outbox() if r.get("uncertain_attempts")
                                       and accepted[r["id"]] == 1)}
        if args.statuses:
            figures["ok"] = figures["ok"] and figures["replies_doubled"] == 0
        return figures


def drill_firestore_outage(args) -> dict:
    with ExitStack() as es:
        stack = Stack(es)
        bodies = [citizen_message(n) for n in range(args.messages)]
        result: dict = {}

        def outage() -> None:
            time.sleep(args.outage_after)
            os.killpg(stack.host.pgid, signal.SIGSTOP)
            result["frozen_at"] = time.time()
            time.sleep(args.outage)
            os.killpg(stack.host.pgid, signal.SIGCONT)
            result["thawed_at"] = time.time()

        saboteur = threading.Thread(target=outage)
        saboteur.start()
        codes = deliver_like_meta(stack.url, bodies, args.concurrency)
        saboteur.join()
        rounds = finish_retries(stack, args.reclaim_leases)
        return verdict(stack, args.messages) | {"http": codes, "outage_s": args.outage, "retry_rounds": rounds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("drill", choices=["redeliveries", "graph-chaos", "firestore-outage"])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--redeliveries", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--failure-rate", type=float, default=0.3)
    parser.add_argument("--outage", type=float, default=30.0)
    parser.add_argument("--outage-after", type=float, default=5.0)
    parser.add_argument("--no-statuses", dest="statuses", action="store_false",
                        help="graph-chaos: the stand-in never posts status callbacks (a Meta that never calls back)")
    parser.add_argument("--reclaim-leases", action="store_true",
                        help="retry with a clock past the outbox lease instead of waiting 61 s for it (CI)")
    args = parser.parse_args()
    drill = {"redeliveries": drill_redeliveries, "graph-chaos": drill_graph_chaos,
             "firestore-outage": drill_firestore_outage}[args.drill]
    started = time.perf_counter()
    figures = drill(args) | {"drill": args.drill, "seconds": round(time.perf_counter() - started, 1)}
    print(json.dumps(figures))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
