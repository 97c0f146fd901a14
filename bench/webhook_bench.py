"""Webhook benchmark on this machine: Jaring's full path against a minimal persist-and-reply baseline.

Both run under functions-framework (gunicorn, same worker/thread settings) against the same Firestore
emulator and Graph API stand-in, with the seed office configuration loaded, in ALTERNATING ROUNDS: each
measurement is split into --rounds rounds, and each round runs the full path and the baseline back to back
(ABBA order), so that whatever else the machine is doing weighs on both alike. Measured:
- sequential latency (median, p95, p99) over --sequential requests;
- sustained throughput (messages/s) at each --concurrency level over --per-level requests per path, with
  p50/p95/p99 latency and the ratio baseline/jaring (pooled, and the spread of the per-round ratios);
- Firestore round trips per handled message on each path (inbound text, status update, invitation, nudge;
  counted on the client by tests/support/round_trips.py, in process, on the same emulator), and the
  baseline's;
- cold start: import time and peak RSS of main.py plus each function's own imports vs only
  functions_framework, google.cloud.firestore and requests (fresh interpreters, interleaved rounds, median;
  wall and CPU time, and each function's time over the floor's within each round: median, min and max).

Every request is a signed Meta payload: a text from one of --citizens rotating citizens.

Usage: .venv/bin/python -m bench.webhook_bench [--sequential 300] [--per-level 600] [--rounds 6]
           [--concurrency 1 2 4 8 16 32] [--citizens 2000] [--imports 15]
       .venv/bin/python -m bench.webhook_bench --imports-only     (cold start only)
       .venv/bin/python -m bench.webhook_bench --imports-only --instructions   (and instructions, valgrind)
       .venv/bin/python -m bench.webhook_bench --round-trips-only (round trips only)
"""
from __future__ import annotations

import argparse
import ast
import concurrent.futures as cf
import datetime as dt
import importlib.util
import itertools
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import requests

from tests.support import emulator, meta
from tests.support.graph_standin import StandIn, StandInServer
from tests.support.localstack import LOCAL_ENV, load_seed, stop, wait_http

ROOT = Path(__file__).resolve().parents[1]
PATHS = ("jaring", "baseline")
TEXT = "Assalamualaikum, syarat daftar nikah apa saja?"
_counter = itertools.count()
_lock = threading.Lock()
CITIZENS = 2000


def payload(secret: str) -> tuple[bytes, dict[str, str]]:
    with _lock:
        n = next(_counter)
    sender = f"6281{n % CITIZENS:09d}"
    raw = meta.encode(meta.inbound(meta.text(sender, TEXT, wamid=f"wamid.BENCH{n:010d}")))
    return raw, meta.signed_headers(secret, raw)


def one(session: requests.Session, url: str, secret: str) -> float:
    raw, headers = payload(secret)
    start = time.perf_counter()
    response = session.post(url, data=raw, headers=headers, timeout=30)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}: {response.text[:200]}")
    return elapsed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(url: str, secret: str, concurrency: int, count: int) -> tuple[float, list[float]]:
    """Wall time for `count` requests from `concurrency` senders, and each request's latency."""
    local = threading.local()

    def task(_: int) -> float:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        return one(local.session, url, secret)

    start = time.perf_counter()
    with cf.ThreadPoolExecutor(concurrency) as pool:
        times = list(pool.map(task, range(count)))
    return time.perf_counter() - start, times


def group_files(pgid: int, name: str) -> list[str]:
    """/proc/PID/<name> of every process of one process group (those that ended meanwhile left out)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.getpgid(int(entry)) == pgid:
                with open(f"/proc/{entry}/{name}") as f:
                    found.append(f.read())
        except (OSError, ProcessLookupError):
            continue
    return found


def cpu_seconds(pgid: int) -> float:
    """User and system CPU time used so far by the processes of one process group."""
    ticks = 0
    for stat in group_files(pgid, "stat"):
        fields = stat.rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def alternating(urls: dict[str, str], secret: str, concurrency: int, count: int, rounds: int,
                groups: dict[str, int] | None = None) -> dict:
    """`count` requests per path at `concurrency`, split in `rounds` rounds; in each round both paths run
    back to back, the first of them alternating (ABBA), so drift of the machine hits both alike.
    Throughput is requests / wall time summed over the rounds; latencies are pooled. With `groups` (process
    group per path, and "emulator"), also the CPU each message cost the function and the emulator: on a
    machine whose cores they share, that is what bounds throughput, and it hardly depends on other load."""
    groups = groups or {}
    cpu = {name: {"function": 0.0, "emulator": 0.0} for name in urls}
    wall = {name: 0.0 for name in urls}
    times: dict[str, list[float]] = {name: [] for name in urls}
    per_round: list[float] = []
    sizes = [count // rounds + (1 if r < count % rounds else 0) for r in range(rounds)]
    for r, size in enumerate(sizes):
        rates = {}
        for name in (PATHS if r % 2 == 0 else PATHS[::-1]):
            before = {part: cpu_seconds(groups[key]) for part, key in (("function", name), ("emulator", "emulator"))
                      if key in groups}
            elapsed, got = timed(urls[name], secret, concurrency, size)
            for part, used in before.items():
                cpu[name][part] += cpu_seconds(groups[name if part == "function" else "emulator"]) - used
            wall[name] += elapsed
            times[name] += got
            rates[name] = size / elapsed
        per_round.append(rates["baseline"] / rates["jaring"])
    out: dict = {}
    for name in urls:
        t = times[name]
        out[name] = {"msg_per_s": len(t) / wall[name], "p50_ms": statistics.median(t) * 1000,
                     "p95_ms": percentile(t, 0.95) * 1000, "p99_ms": percentile(t, 0.99) * 1000}
        if groups:
            out[name]["cpu_ms_per_msg"] = {part: used * 1000 / len(t) for part, used in cpu[name].items()}
    out["ratio"] = out["baseline"]["msg_per_s"] / out["jaring"]["msg_per_s"]
    out["round_ratios"] = {"min": min(per_round), "median": statistics.median(per_round), "max": max(per_round)}
    return out


def sequential(urls: dict[str, str], secret: str, count: int, rounds: int) -> dict:
    got = alternating(urls, secret, 1, count, rounds)
    return {name: {"median_ms": got[name]["p50_ms"], "p95_ms": got[name]["p95_ms"], "p99_ms": got[name]["p99_ms"]}
            for name in urls} | {"ratio": got["jaring"]["p50_ms"] / got["baseline"]["p50_ms"]}


def peak_rss_mib(pgid: int) -> float:
    """Peak resident memory (VmHWM) of the function's processes (gunicorn master and worker)."""
    peaks = [next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
             for status in group_files(pgid, "status")]
    return sum(peaks) / 1024


def function_imports(main_py: Path = ROOT / "functions" / "main.py") -> dict[str, str]:
    """What each function imports on its first call: the imports inside its entrypoint in main.py."""
    found = {}
    for node in ast.parse(main_py.read_text()).body:
        if isinstance(node, ast.FunctionDef) and any("functions_framework" in ast.unparse(d)
                                                     for d in node.decorator_list):
            inner = [ast.unparse(n) for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))]
            found[node.name] = "; ".join(["import main", *inner])
    return found


def import_candidates() -> dict[str, str]:
    """The floor (the three libraries every function needs), main.py itself, and each function's path."""
    return {"libraries": "import functions_framework, google.cloud.firestore, requests", "main": "import main",
            **function_imports()}


# Peak RSS from VmHWM: getrusage's ru_maxrss would carry over the (v)forking parent's peak across exec.
# CPU time beside wall time: on a shared machine the wall clock also counts waiting for a core.
IMPORT_PROBE = """
import time
t, cpu = time.perf_counter(), time.process_time()
{imports}
elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
print(elapsed, next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")), cpu)
"""


def import_costs(candidates: dict[str, str], runs: int, env: dict[str, str]) -> dict[str, dict[str, float]]:
    """Median import time (wall and CPU) and peak RSS per candidate, in fresh interpreters, runs interleaved so
    that whatever else the machine is doing weighs on each candidate alike (first round is warm-up); and
    each candidate's time over the floor's ("libraries") in the same round: median and spread (min, max)."""
    samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in candidates}
    for round_ in range(runs + 1):
        for name, imports in candidates.items():
            out = subprocess.run([sys.executable, "-c", IMPORT_PROBE.format(imports=imports)],
                                 cwd=ROOT / "functions", env=env, capture_output=True, text=True,
                                 check=True).stdout.split()
            if round_:
                samples[name].append((float(out[0]), int(out[1]) / 1024, float(out[2])))
    floor = samples["libraries"]

    def spread(ratios: list[float]) -> dict[str, float]:
        return {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios)}

    return {name: {"import_ms": statistics.median(t for t, _, _ in got) * 1000,
                   "cpu_ms": statistics.median(c for _, _, c in got) * 1000,
                   "peak_rss_mib": statistics.median(m for _, m, _ in got),
                   "round_ratio": spread([t / f[0] for (t, _, _), f in zip(got, floor)]),
                   "round_cpu_ratio": spread([c / f[2] for (_, _, c), f in zip(got, floor)])}
            for name, got in samples.items()}


def instruction_costs(candidates: dict[str, str], env: dict[str, str]) -> dict[str, float]:
    """Instructions each candidate's import executes (valgrind's callgrind, one fresh interpreter each, minus an
    interpreter that imports nothing), over the floor's: the same on a busy machine as on a quiet one."""
    def counted(code: str) -> int:
        done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                               "-c", code], cwd=ROOT / "functions", env=env, capture_output=True, text=True, check=True)
        return int(re.search(r"Collected : (\d+)", done.stderr)[1])
    nothing = counted("pass")
    got = {name: counted(imports) - nothing for name, imports in candidates.items()}
    return {name: n / got["libraries"] for name, n in got.items()} | {"libraries_instructions": got["libraries"]}


def serve(target: str, source_dir: Path, env: dict[str, str], log_dir: Path) -> tuple[subprocess.Popen, str]:
    port = emulator.free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "functions_framework", f"--target={target}", "--source=main.py",
         f"--port={port}", "--host=127.0.0.1"], cwd=source_dir, env=env,
        stdout=open(log_dir / f"{target}.log", "ab"), stderr=subprocess.STDOUT, start_new_session=True)
    return proc, f"http://127.0.0.1:{port}/"


def local_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "FIRESTORE_EMULATOR_HOST"} | LOCAL_ENV


def measure_round_trips(host: str, base_url: str) -> dict:
    """Round trips per handled message on each of Jaring's paths and on the baseline, counted in process
    on the same emulator (own project ids) and the same stand-in."""
    import flask
    from google.cloud import firestore

    sys.path.insert(0, str(ROOT / "functions"))

    from jaring import app as jaring_app
    from jaring.clock import FixedClock
    from jaring.config import Settings
    from jaring.messaging.store import Store
    from jaring.whatsapp.graph import GraphClient
    from tests.support import forms, round_trips
    from tests.support.dialogue import load_configs

    project = "jaring-bench-round-trips"
    os.environ["FIRESTORE_EMULATOR_HOST"] = host
    settings = Settings(project=project, whatsapp_app_secret=LOCAL_ENV["WHATSAPP_APP_SECRET"],
                        whatsapp_verify_token="-", whatsapp_access_token=LOCAL_ENV["WHATSAPP_ACCESS_TOKEN"],
                        whatsapp_phone_number_id=meta.OFFICE_NUMBER_ID, whatsapp_api_base=base_url,
                        forms_webhook_secret=LOCAL_ENV["FORMS_WEBHOOK_SECRET"], wbs_link_key=LOCAL_ENV["WBS_LINK_KEY"],
                        pseudonym_key=LOCAL_ENV["JARING_PSEUDONYM_KEY"],
                        emulator_host=host, dev_identity_allowed=True)
    client = firestore.Client(project=project)
    forms.register_forms(client)
    if load_configs(project=project) != 0:
        raise RuntimeError("the seed configuration did not load")
    thursday_10_wib = dt.datetime(2026, 1, 8, 3, 0, tzinfo=dt.timezone.utc)
    app = jaring_app.Jaring(settings=settings, store=Store(client, pseudonym_key=settings.pseudonym_key.encode()),
                            graph=GraphClient(base_url, settings.whatsapp_access_token, timeout=10),
                            clock=FixedClock(thursday_10_wib))
    jaring_app.use(app)
    try:
        paths = round_trips.measure(app, settings.whatsapp_app_secret, forms_secret=settings.forms_webhook_secret)
    finally:
        jaring_app.use(None)
    out = {key: {"round_trips": p.round_trips, "by_method": p.by_method, "what": p.what, "reads": p.reads,
                 "writes": p.writes, "seconds": p.seconds,
                 "written_to": p.written_to} for key, p in paths.items()}

    os.environ.update({**LOCAL_ENV, "GOOGLE_CLOUD_PROJECT": project + "-baseline", "WHATSAPP_API_BASE": base_url})
    spec = importlib.util.spec_from_file_location("bench_baseline", ROOT / "bench" / "baseline" / "main.py")
    baseline = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(baseline)
    counter = round_trips.RoundTrips(baseline.db)
    web = flask.Flask("baseline")
    for _ in range(5):
        raw, headers = payload(LOCAL_ENV["WHATSAPP_APP_SECRET"])
        with web.test_request_context("/", method="POST", data=raw, headers=headers):
            assert baseline.minimal_webhook(flask.request)[1] == 200
    out["baseline"] = {"round_trips": sum(counter.calls.values()) / 5,
                       "by_method": {k: v / 5 for k, v in counter.calls.items()},
                       "what": "the minimal persist-and-reply webhook's text"}
    return out


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    global CITIZENS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sequential", type=int, default=300)
    parser.add_argument("--per-level", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=6, help="alternating rounds per measurement")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2, 4, 8, 16, 32])
    parser.add_argument("--citizens", type=int, default=CITIZENS)
    parser.add_argument("--imports", type=int, default=15)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "webhook.json"))
    parser.add_argument("--imports-only", action="store_true", help="measure only the cold-start import cost")
    parser.add_argument("--instructions", action="store_true",
                        help="with --imports-only: also count the instructions of each import (valgrind, slow)")
    parser.add_argument("--round-trips-only", action="store_true", help="count only the Firestore round trips")
    args = parser.parse_args()
    CITIZENS = args.citizens
    if args.imports_only:
        started = load_average()
        costs = import_costs(import_candidates(), args.imports, local_env())
        print(json.dumps(costs, indent=2))
        print(f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs; load average "
              f"{started} at the start, {load_average()} at the end; {args.imports} rounds")
        print(cold_start_report(costs))
        if args.instructions:
            counts = instruction_costs(import_candidates(), local_env())
            print(f"instructions over the floor's ({counts.pop('libraries_instructions') / 1e6:.0f} M): "
                  + ", ".join(f"{name} {ratio:.3f}x" for name, ratio in counts.items()))
        return 0
    log_dir = ROOT / ".local" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": {"platform": platform.platform(), "python": platform.python_version(),
                                 "cpus": os.cpu_count()}, "args": vars(args),
                     "started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                     "load_average": {"start": load_average()}}
    with ExitStack() as stack:
        host = stack.enter_context(emulator.firestore_emulator(log_path=str(log_dir / "firestore.log")))
        standin = StandIn(access_token=LOCAL_ENV["WHATSAPP_ACCESS_TOKEN"])
        server = stack.enter_context(StandInServer(standin, port=emulator.free_port()))
        if args.round_trips_only:
            results["round_trips"] = measure_round_trips(host, server.base_url)
            print(round_trips_report(results["round_trips"]))
            return 0
        env = {**local_env(), "FIRESTORE_EMULATOR_HOST": host, "WHATSAPP_API_BASE": server.base_url,
               "PYTHONPATH": str(ROOT / "functions")}
        load_seed(env)
        secret = LOCAL_ENV["WHATSAPP_APP_SECRET"]
        urls, procs = {}, {}
        for name, target, source_dir in (("jaring", "whatsapp_webhook", ROOT / "functions"),
                                         ("baseline", "minimal_webhook", ROOT / "bench" / "baseline")):
            procs[name], urls[name] = serve(target, source_dir, env, log_dir)
            stack.callback(stop, procs[name])
            wait_http(urls[name])
        for name, url in urls.items():  # warm-up: connections, caches, the conversation's modules
            session = requests.Session()
            for _ in range(20):
                one(session, url, secret)
        groups = {name: proc.pid for name, proc in procs.items()} | {"emulator": host.pgid}
        results["sequential"] = sequential(urls, secret, args.sequential, args.rounds)
        print("sequential", json.dumps(results["sequential"]), flush=True)
        results["throughput"] = {}
        for level in args.concurrency:
            results["throughput"][str(level)] = got = alternating(urls, secret, level, args.per_level, args.rounds,
                                                                  groups)
            print(f"concurrency {level}: load {load_average()}", json.dumps(got), flush=True)
        results["peak_rss_mib"] = {name: peak_rss_mib(proc.pid) for name, proc in procs.items()}
        results["replies_recorded"] = len(standin.messages())
        results["requests_sent"] = next(_counter)
        results["load_average"]["after_http"] = load_average()
        results["round_trips"] = measure_round_trips(host, server.base_url)
    results["cold_start"] = import_costs(import_candidates(), args.imports, local_env())
    results["load_average"]["end"] = load_average()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))
    print(report(results))
    return 0


def round_trips_report(paths: dict) -> str:
    lines = ["| path | Firestore round trips per message | by RPC | documents read | written |",
             "|---|---|---|---|---|"]
    for key, p in paths.items():
        methods = ", ".join(f"{m} {n:g}" for m, n in p["by_method"].items())
        reads, writes = (f"{p[k]:g}" if k in p else "–" for k in ("reads", "writes"))
        lines.append(f"| {key}: {p['what']} | {p['round_trips']:g} | {methods} | {reads} | {writes} |")
    return "\n".join(lines)


def cold_start_report(costs: dict) -> str:
    floor = costs["libraries"]
    lines = ["| import | wall ms (median) | CPU ms (median) | peak RSS MiB | wall over the floor, per round: median "
             "(min–max) | CPU over the floor, per round: median (min–max) | memory |", "|---|---|---|---|---|---|---|"]
    for name, c in costs.items():
        rr, cr = c["round_ratio"], c["round_cpu_ratio"]
        lines.append(f"| {name} | {c['import_ms']:.0f} | {c['cpu_ms']:.0f} | {c['peak_rss_mib']:.1f} | "
                     f"{rr['median']:.2f}x ({rr['min']:.2f}–{rr['max']:.2f}) | "
                     f"{cr['median']:.2f}x ({cr['min']:.2f}–{cr['max']:.2f}) | "
                     f"{c['peak_rss_mib'] / floor['peak_rss_mib']:.2f}x |")
    return "\n".join(lines)


def report(r: dict) -> str:
    s = r["sequential"]
    lines = [f"started {r['started']}, load average {r['load_average']}",
             "| path | sequential median ms | p95 ms | p99 ms | peak RSS MiB |", "|---|---|---|---|---|"]
    for name in PATHS:
        lines.append(f"| {name} | {s[name]['median_ms']:.1f} | {s[name]['p95_ms']:.1f} | {s[name]['p99_ms']:.1f} | "
                     f"{r['peak_rss_mib'][name]:.0f} |")
    lines += ["", "| concurrency | jaring msg/s | p50 / p95 / p99 ms | baseline msg/s | p50 / p95 / p99 ms | ratio "
                  "(per-round min–max) |", "|---|---|---|---|---|---|"]
    for level, t in r["throughput"].items():
        j, b, rr = t["jaring"], t["baseline"], t["round_ratios"]
        lines.append(f"| {level} | {j['msg_per_s']:.0f} | {j['p50_ms']:.0f} / {j['p95_ms']:.0f} / {j['p99_ms']:.0f} | "
                     f"{b['msg_per_s']:.0f} | {b['p50_ms']:.0f} / {b['p95_ms']:.0f} / {b['p99_ms']:.0f} | "
                     f"{t['ratio']:.2f}x ({rr['min']:.2f}–{rr['max']:.2f}) |")
    cpu = {level: t for level, t in r["throughput"].items() if "cpu_ms_per_msg" in t["jaring"]}
    if cpu:
        lines += ["", "| concurrency | CPU ms per message: jaring function + emulator | baseline function + emulator "
                      "| ratio of the sums |", "|---|---|---|---|"]
        for level, t in cpu.items():
            j, b = t["jaring"]["cpu_ms_per_msg"], t["baseline"]["cpu_ms_per_msg"]
            lines.append(f"| {level} | {j['function']:.1f} + {j['emulator']:.1f} | {b['function']:.1f} + "
                         f"{b['emulator']:.1f} | {sum(j.values()) / sum(b.values()):.2f}x |")
    best = {n: max(t[n]["msg_per_s"] for t in r["throughput"].values()) for n in PATHS}
    lines.append(f"\nmedian latency ratio {s['ratio']:.2f}x, best throughput ratio "
                 f"{best['baseline'] / best['jaring']:.2f}x (baseline {best['baseline']:.0f} / jaring "
                 f"{best['jaring']:.0f} msg/s)")
    lines += ["", round_trips_report(r["round_trips"]), "", cold_start_report(r["cold_start"])]
    lines.append(f"replies recorded by the stand-in: {r['replies_recorded']} for {r['requests_sent']} requests")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
