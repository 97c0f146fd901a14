"""Reminder sweep benchmark on the Firestore emulator: documents read and wall time per sweep with
1k, 10k and 100k invitations of which 1 % are due, against a full scan of the same collection; and the
achieved send rate against the configured one.

Reads are counted two ways:
- by the sweep's adapter (summary.reads): documents its due query returned, the invitation and contact
  read before each claim, three per office (its document, again for its message settings, its SKM form),
  and the closing count aggregation at one read per 1000 index entries, as Firestore bills it;
- at the RPC layer (every document any Firestore RPC of the run returned: queries, gets, aggregations,
  the outbox retry's queries included). A query that returns nothing counts 0 here; Firestore bills 1.
The full scan (before the sweep) streams every invitation and picks the due ones in Python: what a
sweep without the indexed query would read. The send rate is the one the Graph stand-in saw:
(sent - 1) / (last arrival - first arrival).

Usage: make bench-sweep, or
  PYTHONPATH=functions .venv/bin/python -m bench.sweep_bench [--sizes 1000 10000 100000] [--rates 5 20 80]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable, Iterator

from google.cloud import firestore

from jaring import sweep
from jaring.app import Jaring
from jaring.clock import FixedClock
from jaring.config import Settings
from jaring.messaging.store import Store
from jaring.whatsapp.graph import GraphClient
from tests.conftest import PSEUDONYM_KEY
from tests.support import emulator, meta
from tests.support.graph_standin import StandIn, StandInServer
from tests.support.invitations import seed

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "jaring-bench"
TOKEN = "bench-access-token"
NOW = dt.datetime(2026, 1, 8, 3, 0, tzinfo=dt.timezone.utc)  # Thursday 10:00 WIB: polite time


class ReadCounter:
    """Counts the documents Firestore RPCs of one client return (wraps the transport's methods)."""

    def __init__(self, client: firestore.Client):
        self.documents = 0
        transport = client._firestore_api._transport  # the pinned library's layout, as store.bound_deadlines
        for name, count in (("run_query", lambda r: int(r._pb.HasField("document"))),
                            ("batch_get_documents", lambda r: int(r._pb.HasField("found") or bool(r.missing))),
                            ("run_aggregation_query", self._aggregate)):
            method = getattr(transport, name)
            transport._wrapped_methods[method] = self._counting(transport._wrapped_methods[method], count)

    @staticmethod
    def _aggregate(response: Any) -> int:
        if not response._pb.HasField("result"):
            return 0
        values = [v.integer_value for v in response.result.aggregate_fields.values()]
        return max(1, math.ceil(sum(values) / 1000))

    def _counting(self, inner: Callable[..., Any], count: Callable[[Any], int]) -> Callable[..., Iterator[Any]]:
        def call(*args: Any, **kw: Any) -> Iterator[Any]:
            for response in inner(*args, **kw):
                self.documents += count(response)
                yield response
        return call


def app_for(host: str, base_url: str, rate: float) -> tuple[Jaring, ReadCounter]:
    os.environ["FIRESTORE_EMULATOR_HOST"] = host
    client = firestore.Client(project=PROJECT)
    store = Store(client, timeout=60, pseudonym_key=PSEUDONYM_KEY.encode())
    counter = ReadCounter(client)  # after Store, which rewraps the transport's methods
    settings = Settings(project=PROJECT, whatsapp_app_secret="s", whatsapp_verify_token="v",
                        whatsapp_access_token=TOKEN, whatsapp_phone_number_id=meta.OFFICE_NUMBER_ID,
                        whatsapp_api_base=base_url, send_rate=rate, sweep_budget_seconds=240,
                        pseudonym_key=PSEUDONYM_KEY)
    return Jaring(settings=settings, store=store, graph=GraphClient(base_url, TOKEN, timeout=10),
                  clock=FixedClock(NOW)), counter


def send_rate(standin: StandIn) -> float | None:
    arrivals = sorted(r["at"] for r in standin.requests if r["path"].endswith("/messages"))
    if len(arrivals) < 2 or arrivals[-1] == arrivals[0]:
        return None
    return round((len(arrivals) - 1) / (arrivals[-1] - arrivals[0]), 1)


def one_size(host: str, standin: StandIn, base_url: str, size: int, rate: float) -> dict[str, Any]:
    emulator.reset(host, PROJECT)
    standin.reset()
    app, counter = app_for(host, base_url, rate)
    started = time.monotonic()
    seed(app.store.db, size, size // 100, NOW)
    seeded = time.monotonic() - started

    counter.documents, started = 0, time.monotonic()
    matching = sum(1 for snap in app.store.db.collection("invitations").stream()
                   if snap.get("state") in ("pending", "sent") and snap.get("next_nudge_at") <= NOW)
    scan = {"rpc_documents": counter.documents, "wall_s": round(time.monotonic() - started, 2), "matching": matching}

    counter.documents, started = 0, time.monotonic()
    summary = sweep.run(app).as_dict()
    first = {"due": summary["due"], "sent": summary["sent"], "remaining": summary["remaining"],
             "adapter_reads": summary["reads"], "rpc_documents": counter.documents,
             "wall_s": round(time.monotonic() - started, 2), "send_rate": send_rate(standin)}

    counter.documents, started = 0, time.monotonic()
    again = sweep.run(app).as_dict()
    idle = {"due": again["due"], "adapter_reads": again["reads"], "rpc_documents": counter.documents,
            "wall_s": round(time.monotonic() - started, 3)}
    return {"invitations": size, "due": size // 100, "seed_s": round(seeded, 1), "sweep": first,
            "sweep_with_nothing_due": idle, "full_scan": scan,
            "reads_vs_full_scan": round(first["adapter_reads"] / scan["rpc_documents"], 4)}


def rate_run(host: str, standin: StandIn, base_url: str, due: int, rate: float) -> dict[str, Any]:
    emulator.reset(host, PROJECT)
    standin.reset()
    app, _ = app_for(host, base_url, rate)
    seed(app.store.db, due, due, NOW)
    started = time.monotonic()
    summary = sweep.run(app).as_dict()
    return {"configured_per_s": rate, "sent": summary["sent"], "achieved_per_s": send_rate(standin),
            "wall_s": round(time.monotonic() - started, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--rate", type=float, default=20.0, help="send rate for the size runs (the default)")
    parser.add_argument("--rates", type=float, nargs="*", default=[5.0, 20.0, 80.0])
    parser.add_argument("--rate-due", type=int, default=400, help="due invitations in each rate run")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "sweep.json"))
    args = parser.parse_args()
    log_dir = ROOT / ".local" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": {"platform": platform.platform(), "python": platform.python_version(),
                                           "cpus": os.cpu_count(), "load_before": os.getloadavg()},
                               "args": vars(args), "sizes": [], "rates": []}
    with ExitStack() as stack:
        host = stack.enter_context(emulator.firestore_emulator(log_path=str(log_dir / "sweep-firestore.log")))
        standin = StandIn(access_token=TOKEN)
        server = stack.enter_context(StandInServer(standin, port=emulator.free_port()))
        for size in args.sizes:
            results["sizes"].append(one_size(host, standin, server.base_url, size, args.rate))
            print(json.dumps(results["sizes"][-1]), flush=True)
        for rate in args.rates:
            results["rates"].append(rate_run(host, standin, server.base_url, args.rate_due, rate))
            print(json.dumps(results["rates"][-1]), flush=True)
    results["machine"]["load_after"] = os.getloadavg()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
