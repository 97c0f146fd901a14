"""What a roll-up costs over 514 offices: documents read and time, for a Kanwil, the ministry and the national
public page (docs/BENCHMARKS.md, Roll-ups).

  PYTHONPATH=functions .venv/bin/python -m bench.rollup_bench [--offices 514] [--kanwils 34] [--repeat 5]

Fills a fresh Firestore emulator with the offices' configurations as `config load` stores them (the ministry,
--kanwils Kanwils, --offices district offices spread over them) and one summary per office and month for 2025
and 2026 (what rollup_store.refresh writes), then runs what the reports function runs for /rollup (a Kanwil's
head and the ministry's planning bureau, Q1 2026 with its four-quarter trend) and /public/nasional (2026),
counting documents read on the client (tests/support/round_trips.py) and timing each (median of --repeat).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from contextlib import ExitStack

from tests.support import emulator
from tests.support.round_trips import RoundTrips

PROJECT = "jaring-bench-rollup"


def fill(db, offices: int, kanwils: int) -> list[str]:
    from jaring.offices import onboarding
    from jaring.survey.responses import UNSUR

    configs = [("kemenag-pusat", "Kementerian Agama", "pusat", "")]
    configs += [(f"kanwil-{k:02d}", f"Kanwil {k:02d}", "kanwil", "kemenag-pusat") for k in range(kanwils)]
    configs += [(f"kemenag-{i:03d}", f"Kantor Kemenag {i:03d}", "kabupaten", f"kanwil-{i % kanwils:02d}")
                for i in range(offices)]
    writes = []
    for office, name, level, parent in configs:
        writes.append(("office_configs", office, {"office": office, "name": name, "level": level, "parent": parent,
                                                  "bucket": onboarding.rollup_bucket(office), "config": {"x": 1}}))
    for i in range(offices):
        for year in (2025, 2026):
            for m in range(1, 13):
                n = 20 + (i * 7 + m) % 30
                writes.append(("office_months", f"kemenag-{i:03d}_{year}-{m:02d}", {
                    "office": f"kemenag-{i:03d}", "month": f"{year}-{m:02d}", "responses": n,
                    "sums": {u: n * (2 + (i + m) % 3) for u in UNSUR}, "blanks": {}, "served": 2 * n,
                    "invited": 2 * n, "delivered": 2 * n, "read": n, "answered": n, "after_nudge": [n, 0, 0],
                    "complaints": {"received": 2, "answered": 2, "answered_late": i % 2, "overdue": 0, "open": 0}}))
    for start in range(0, len(writes), 500):
        batch = db.batch()
        for collection, doc_id, doc in writes[start:start + 500]:
            batch.set(db.collection(collection).document(doc_id), doc)
        batch.commit()
    return [c[0] for c in configs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offices", type=int, default=514)
    parser.add_argument("--kanwils", type=int, default=34)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    import datetime as dt

    from google.cloud import firestore

    from jaring.offices import onboarding
    from jaring.reports import report, rollup, rollup_views
    from jaring.reports.rollup_store import RollupStore
    from jaring.reports.store import ReportStore

    with ExitStack() as stack:
        host = stack.enter_context(emulator.firestore_emulator())
        os.environ["FIRESTORE_EMULATOR_HOST"] = host
        db = firestore.Client(project=PROJECT)
        fill(db, args.offices, args.kanwils)
        counter = RoundTrips(db)
        period = report.quarter(2026, 1)

        def view(over: str) -> str:
            store = RollupStore(db, ReportStore(db))
            loaded = {d["office"]: d for d in store.offices()}
            places = {o: (d["level"], d["parent"]) for o, d in loaded.items()}
            offices = [(o, loaded[o]["name"], loaded[o]["parent"]) for o in onboarding.below(places, over)
                       if loaded[o]["level"] == "kabupaten"]
            built = rollup.build(over, period, offices, store.summaries([o for o, _, _ in offices],
                                                                        rollup.months_needed(period)))
            return rollup_views.dashboard(built)

        def public() -> str:
            store = RollupStore(db, ReportStore(db))
            offices = [(d["office"], d["name"], d["parent"]) for d in store.offices(level="kabupaten")]
            months = [m for q in range(1, 5) for m in report.months_of(report.quarter(2026, q))]
            return rollup_views.public_page(2026, rollup.public_table(2026, offices, store.summaries(
                [o for o, _, _ in offices], months)), [2026])

        results = {}
        for name, action in (("kanwil", lambda: view("kanwil-00")), ("national", lambda: view("kemenag-pusat")),
                             ("public", public)):
            times, reads = [], []
            for _ in range(args.repeat):
                start = time.perf_counter()
                _, _, documents = counter.during_with_documents(action)
                times.append(time.perf_counter() - start)
                reads.append(documents["read"])
            results[name] = {"reads": statistics.median(reads), "median_s": round(statistics.median(times), 3)}
        out = {"offices": args.offices, "kanwils": args.kanwils, "period": period.key,
               "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="minutes"), **results}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
