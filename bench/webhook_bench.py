"""Webhook benchmark on this machine: Jaring's full path against a minimal persist-and-reply baseline.

Both run under functions-framework (gunicorn, same worker/thread settings) against the same Firestore
emulator and Graph API stand-in, measured in the same run:
- sequential latency (median, p95, p99) over --sequential requests;
- sustained throughput (messages/s) at each --concurrency level over --per-level requests;
- cold start: wall time and peak RSS to import functions/main.py vs only functions_framework,
  google.cloud.firestore and requests (fresh interpreters, median of --imports runs).

Usage: .venv/bin/python -m bench.webhook_bench [--sequential 300] [--per-level 600] [--concurrency 1 4 8 16]
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import itertools
import json
import os
import platform
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
from tests.support.localstack import LOCAL_ENV, stop, wait_http

ROOT = Path(__file__).resolve().parents[1]
_counter = itertools.count()
_lock = threading.Lock()


def payload(secret: str) -> tuple[bytes, dict[str, str]]:
    with _lock:
        n = next(_counter)
    sender = f"6281{n % 5000:09d}"
    raw = meta.encode(meta.inbound(meta.text(sender, "Assalamualaikum, syarat daftar nikah apa saja?",
                                             wamid=f"wamid.BENCH{n:010d}")))
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


def sequential(url: str, secret: str, count: int) -> dict[str, float]:
    session = requests.Session()
    for _ in range(20):  # warm-up
        one(session, url, secret)
    times = [one(session, url, secret) for _ in range(count)]
    return {"median_ms": statistics.median(times) * 1000, "p95_ms": percentile(times, 0.95) * 1000,
            "p99_ms": percentile(times, 0.99) * 1000}


def throughput(url: str, secret: str, concurrency: int, count: int) -> dict[str, float]:
    """Messages/s sustained by `concurrency` senders, with the latency they saw."""
    local = threading.local()

    def task(_: int) -> float:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        return one(local.session, url, secret)

    start = time.perf_counter()
    with cf.ThreadPoolExecutor(concurrency) as pool:
        times = list(pool.map(task, range(count)))
    rate = count / (time.perf_counter() - start)
    return {"msg_per_s": rate, "p50_ms": statistics.median(times) * 1000,
            "p95_ms": percentile(times, 0.95) * 1000, "p99_ms": percentile(times, 0.99) * 1000}


def peak_rss_mib(pgid: int) -> float:
    """Peak resident memory (VmHWM) of the function's processes (gunicorn master and worker)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.getpgid(int(entry)) != pgid:
                continue
            with open(f"/proc/{entry}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
        except (OSError, StopIteration, ProcessLookupError):
            continue
    return total / 1024


# What every function pays (main), and what the webhook pays before its first answer (its conversation).
IMPORT_CANDIDATES = {"libraries": "import functions_framework, google.cloud.firestore, requests",
                     "main": "import main",
                     "main+webhook_path": "import main, jaring.inbox"}

IMPORT_PROBE = """
import resource, sys, time
t = time.perf_counter()
{imports}
elapsed = time.perf_counter() - t
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def import_costs(candidates: dict[str, str], runs: int, env: dict[str, str]) -> dict[str, dict[str, float]]:
    """Median import time and peak RSS per candidate, in fresh interpreters, runs interleaved so
    that whatever else the machine is doing weighs on each candidate alike (first round is warm-up)."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in candidates}
    for round_ in range(runs + 1):
        for name, imports in candidates.items():
            out = subprocess.run([sys.executable, "-c", IMPORT_PROBE.format(imports=imports)],
                                 cwd=ROOT / "functions", env=env, capture_output=True, text=True,
                                 check=True).stdout.split()
            if round_:
                samples[name].append((float(out[0]), int(out[1]) / 1024))
    return {name: {"import_ms": statistics.median(t for t, _ in got) * 1000,
                   "peak_rss_mib": statistics.median(m for _, m in got)} for name, got in samples.items()}


def serve(target: str, source_dir: Path, env: dict[str, str], log_dir: Path) -> tuple[subprocess.Popen, str]:
    port = emulator.free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "functions_framework", f"--target={target}", "--source=main.py",
         f"--port={port}", "--host=127.0.0.1"], cwd=source_dir, env=env,
        stdout=open(log_dir / f"{target}.log", "ab"), stderr=subprocess.STDOUT, start_new_session=True)
    return proc, f"http://127.0.0.1:{port}/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sequential", type=int, default=300)
    parser.add_argument("--per-level", type=int, default=600)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2, 4, 8, 16, 32])
    parser.add_argument("--imports", type=int, default=15)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "webhook.json"))
    parser.add_argument("--imports-only", action="store_true", help="measure only the cold-start import cost")
    args = parser.parse_args()
    if args.imports_only:
        env = {k: v for k, v in os.environ.items() if k != "FIRESTORE_EMULATOR_HOST"} | LOCAL_ENV
        print(json.dumps(import_costs(IMPORT_CANDIDATES, args.imports, env), indent=2))
        return 0
    log_dir = ROOT / ".local" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": {"platform": platform.platform(), "python": platform.python_version(),
                                 "cpus": os.cpu_count()}, "args": vars(args)}
    with ExitStack() as stack:
        host = stack.enter_context(emulator.firestore_emulator(log_path=str(log_dir / "firestore.log")))
        standin = StandIn(access_token=LOCAL_ENV["WHATSAPP_ACCESS_TOKEN"])
        server = stack.enter_context(StandInServer(standin, port=emulator.free_port()))
        env = {**os.environ, **LOCAL_ENV, "FIRESTORE_EMULATOR_HOST": host, "WHATSAPP_API_BASE": server.base_url,
               "PYTHONPATH": str(ROOT / "functions")}
        secret = LOCAL_ENV["WHATSAPP_APP_SECRET"]
        urls, procs = {}, {}
        for name, target, source_dir in (("jaring", "whatsapp_webhook", ROOT / "functions"),
                                         ("baseline", "minimal_webhook", ROOT / "bench" / "baseline")):
            procs[name], urls[name] = serve(target, source_dir, env, log_dir)
            stack.callback(stop, procs[name])
            wait_http(urls[name])
        for name, url in urls.items():
            results[name] = {"sequential": sequential(url, secret, args.sequential), "throughput": {}}
            for level in args.concurrency:
                results[name]["throughput"][str(level)] = throughput(url, secret, level, args.per_level)
            results[name]["peak_rss_mib"] = peak_rss_mib(procs[name].pid)
            print(name, json.dumps(results[name]), flush=True)
        results["replies_recorded"] = len(standin.messages())
        results["requests_sent"] = next(_counter)
    clean_env = {k: v for k, v in os.environ.items() if k != "FIRESTORE_EMULATOR_HOST"}
    clean_env.update(LOCAL_ENV)
    results["cold_start"] = import_costs(IMPORT_CANDIDATES, args.imports, clean_env)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))
    print(report(results))
    return 0


def report(r: dict) -> str:
    lines = ["| path | sequential median ms | p95 ms | p99 ms | peak RSS MiB |", "|---|---|---|---|---|"]
    for name in ("jaring", "baseline"):
        s = r[name]["sequential"]
        lines.append(f"| {name} | {s['median_ms']:.1f} | {s['p95_ms']:.1f} | {s['p99_ms']:.1f} | "
                     f"{r[name]['peak_rss_mib']:.0f} |")
    lines += ["", "| concurrency | jaring msg/s | p50 / p95 / p99 ms | baseline msg/s | p50 / p95 / p99 ms |",
              "|---|---|---|---|---|"]
    for level in r["jaring"]["throughput"]:
        j, b = r["jaring"]["throughput"][level], r["baseline"]["throughput"][level]
        lines.append(f"| {level} | {j['msg_per_s']:.0f} | {j['p50_ms']:.0f} / {j['p95_ms']:.0f} / {j['p99_ms']:.0f} | "
                     f"{b['msg_per_s']:.0f} | {b['p50_ms']:.0f} / {b['p95_ms']:.0f} / {b['p99_ms']:.0f} |")
    best = {n: max(t["msg_per_s"] for t in r[n]["throughput"].values()) for n in ("jaring", "baseline")}
    median = {n: r[n]["sequential"]["median_ms"] for n in ("jaring", "baseline")}
    lines.append(f"\nmedian latency ratio {median['jaring'] / median['baseline']:.2f}x, "
                 f"best throughput ratio {best['baseline'] / best['jaring']:.2f}x (baseline/jaring)")
    c = r["cold_start"]
    lines.append(f"import: main {c['main']['import_ms']:.0f} ms / {c['main']['peak_rss_mib']:.0f} MiB vs libraries "
                 f"{c['libraries']['import_ms']:.0f} ms / {c['libraries']['peak_rss_mib']:.0f} MiB "
                 f"({c['main']['import_ms'] / c['libraries']['import_ms']:.2f}x time, "
                 f"{c['main']['peak_rss_mib'] / c['libraries']['peak_rss_mib']:.2f}x memory)")
    lines.append(f"replies recorded by the stand-in: {r['replies_recorded']} of {r['requests_sent']} requests")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
