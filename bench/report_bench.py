"""Reports benchmark: time and Firestore documents read for one quarter's report at 1k, 10k, 100k responses.

For each size, a fresh emulator database gets that many responses (stored through response_store,
so the aggregates are the real ones) spread over a quarter, 6 units, 4 services and 3 channels,
plus a fixed funnel (tickets, invitations, invitation messages) and a few complaints. Then:
- `report`: ReportStore.load for the whole office (aggregates + count() queries + complaints),
  median of --repeat runs, and the documents it read (count() billed as 1 read per 1,000 entries);
- `render`: building the dashboard HTML and the XLSX from that report (no Firestore);
- `scan`: the naive alternative, streaming every response of the quarter (for comparison).

Usage: .venv/bin/python -m bench.report_bench [--sizes 1000 10000 100000] [--repeat 5]
       .venv/bin/python -m bench.report_bench --seed HOST:PORT [--sizes 3000]   (demo data into a running emulator)
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "functions"))
OFFICE = "kemenag-bangkalan"
PROJECT = "jaring-bench"
UNITS = ("umum", "kua-kamal", "kua-arosbaya", "kua-socah", "man-bangkalan", "mtsn-2-bangkalan")
SERVICES = ("Legalisir buku nikah", "Pendaftaran nikah", "Rekomendasi haji", "Izin operasional madrasah")
CHANNELS = ("form", "chat", "paper")
Q1 = dt.datetime(2025, 12, 31, 17, 0, tzinfo=dt.timezone.utc)  # 1 January 2026, 00:00 WIB
NOW = dt.datetime(2026, 4, 2, 3, 0, tzinfo=dt.timezone.utc)
FUNNEL_TICKETS = 2000


def responses(n: int, rng: random.Random, start: dt.datetime = Q1, days: int = 90):
    from jaring.survey.responses import UNSUR, validate

    for i in range(n):
        unit = rng.choice(UNITS)
        base = 3 if unit != "kua-socah" else 2  # one weaker unit, so the charts show a difference
        answers = {u: min(4, max(1, base + rng.choice((-1, 0, 0, 1, 1)))) for u in UNSUR}
        answers["U4"] = 4 if rng.random() < 0.9 else 3  # most services are free
        yield validate(
            office=OFFICE, unit=unit, service=rng.choice(SERVICES), channel=rng.choice(CHANNELS),
            submitted_at=start + dt.timedelta(minutes=rng.randrange(days * 24 * 60)), answers=answers,
            source_id=f"bench:{i}", profile={"sex": rng.choice("LP"), "education": rng.choice(("SD", "SMP", "SMA",
                                                                                               "S1", "S2")),
                                             "occupation": rng.choice(("PNS", "Swasta", "Wiraswasta", "Lainnya"))},
            suggestion="" if rng.random() < 0.8 else "Antrian perlu dipercepat",
            nudges_before_answer=rng.choice((0, 0, 1, 2)))


def funnel_docs(db, rng: random.Random, tickets: int, start: dt.datetime = Q1) -> None:
    batch, written = db.batch(), 0
    for i in range(tickets):
        at = start + dt.timedelta(minutes=rng.randrange(90 * 24 * 60))
        unit, tid = rng.choice(UNITS), f"tbench{i}"
        answered, cancelled = rng.random() < 0.35, rng.random() < 0.03
        batch.set(db.collection("tickets").document(tid), {
            "office": OFFICE, "unit": unit, "service": rng.choice(SERVICES), "officer": "petugas", "channel": "logbook",
            "contact_id": f"c{i}", "consent": True, "status": "cancelled" if cancelled else "completed",
            "opened_at": at, "completed_at": at, "token": f"k{i}"})
        written += 1
        if cancelled or rng.random() < 0.05:  # a cancelled ticket, or a citizen who gave no consent
            continue
        batch.set(db.collection("invitations").document(tid), {
            "office": OFFICE, "unit": unit, "contact_id": f"c{i}", "ticket_id": tid,
            "state": "answered" if answered else "sent", "invited_at": at, "outbox_id": f"o{tid}",
            "nudges": rng.choice((0, 1, 2)), "answered_at": at if answered else None, "path": "free_form"})
        batch.set(db.collection("outbox").document(f"o{tid}"), {
            "office": OFFICE, "purpose": "invitation", "contact_id": f"c{i}", "created_at": at, "state": "sent",
            "delivery": rng.choice(("sent", "delivered", "read", "read")), "meta": {"ticket_id": tid, "unit": unit}})
        written += 2
        if written >= 450:
            batch.commit()
            batch, written = db.batch(), 0
    batch.commit()
    for i in range(12):
        received = start + dt.timedelta(days=7 * i)
        db.collection("complaints").document(f"kbench{i}").set({
            "office": OFFICE, "unit": rng.choice(UNITS), "status": ("open", "closed")[i % 2], "received_at": received,
            "due_at": received + dt.timedelta(days=7),
            "first_answer_at": received + dt.timedelta(hours=20 + i) if i % 2 else None})


def populate(db, n: int, seed: int = 1, start: dt.datetime = Q1, days: int = 90) -> float:
    from jaring.survey import store as response_store

    rng = random.Random(seed)
    began = time.perf_counter()
    stack = list(responses(n, rng, start, days))
    for i in range(0, len(stack), 2000):
        response_store.add_many(db, stack[i:i + 2000])
    funnel_docs(db, rng, FUNNEL_TICKETS, start)
    return time.perf_counter() - began


def measure(db, repeat: int) -> dict:
    from jaring.reports import report, export as report_export, views as report_views
    from jaring.reports.store import ReportStore

    period = report.parse_period("2026-Q1", NOW.date())
    ReportStore(db).load(report.Scope(OFFICE), period, NOW)  # warm-up: connections, first-call imports
    times, parts, reads, built = [], [], [], None
    for _ in range(repeat):
        store = ReportStore(db)
        began = time.perf_counter()
        built = store.load(report.Scope(OFFICE), period, NOW)
        times.append(time.perf_counter() - began)
        reads.append(store.reads)
        began = time.perf_counter()
        store.aggregates(OFFICE, period)
        middle = time.perf_counter()
        store.funnel(OFFICE, period)
        parts.append((middle - began, time.perf_counter() - middle))
    began = time.perf_counter()
    report_views.dashboard(built, "Kankemenag Bangkalan", [(u, u) for u in UNITS], list(SERVICES))
    report_export.to_xlsx(built)
    render = time.perf_counter() - began
    began = time.perf_counter()
    from google.cloud import firestore

    start, end = period.utc_bounds()
    scanned = sum(1 for _ in db.collection("responses").where(filter=firestore.FieldFilter("office", "==", OFFICE))
                  .where(filter=firestore.FieldFilter("submitted_at", ">=", start))
                  .where(filter=firestore.FieldFilter("submitted_at", "<", end)).stream())
    scan = time.perf_counter() - began
    return {"respondents": built.total.tally.respondents, "ikm": float(built.index.ikm),
            "report_s_median": statistics.median(times), "report_s_all": times, "report_docs_read": reads[0],
            "aggregates_s_median": statistics.median(p[0] for p in parts),
            "funnel_s_median": statistics.median(p[1] for p in parts),
            "render_dashboard_and_xlsx_s": render, "scan_s": scan, "scan_docs_read": scanned}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", metavar="HOST:PORT", help="only load demo data into a running emulator")
    parser.add_argument("--project", default=PROJECT)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "reports.json"))
    args = parser.parse_args()
    from google.cloud import firestore

    from tests.support import emulator

    if args.seed:
        os.environ["FIRESTORE_EMULATOR_HOST"] = args.seed
        db = firestore.Client(project=args.project)
        db.collection("offices").document(OFFICE).set({"name": "Kantor Kementerian Agama Kabupaten Bangkalan"},
                                                      merge=True)
        # The local stack runs on the real clock: fill the last 100 days.
        start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=100)
        took = populate(db, args.sizes[0], start=start, days=100)
        print(f"seeded {args.sizes[0]} responses and their funnel into {args.seed} ({took:.1f} s)")
        return 0
    log_dir = ROOT / ".local" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": {"platform": platform.platform(), "python": platform.python_version(),
                                 "cpus": os.cpu_count()}, "args": vars(args), "sizes": {}}
    with emulator.firestore_emulator(log_path=str(log_dir / "firestore-reports.log")) as host:
        os.environ["FIRESTORE_EMULATOR_HOST"] = host
        db = firestore.Client(project=args.project)
        for n in args.sizes:
            emulator.reset(host, args.project)
            took = populate(db, n)
            row = {"populate_s": took, **measure(db, args.repeat)}
            results["sizes"][str(n)] = row
            print(n, json.dumps({k: v for k, v in row.items() if k != "report_s_all"}), flush=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))
    print("\n| responses | report (median) | of which aggregates | of which funnel counts | docs read "
          "| dashboard+xlsx render | full scan | docs scanned |")
    print("|---|---|---|---|---|---|---|---|")
    for n, row in results["sizes"].items():
        print(f"| {int(n):,} | {row['report_s_median'] * 1000:.0f} ms | {row['aggregates_s_median'] * 1000:.0f} ms | "
              f"{row['funnel_s_median'] * 1000:.0f} ms | {row['report_docs_read']} | "
              f"{row['render_dashboard_and_xlsx_s'] * 1000:.0f} ms | {row['scan_s']:.2f} s | {row['scan_docs_read']:,} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
