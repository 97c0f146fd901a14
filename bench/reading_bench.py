"""What reading a citizen's message costs (docs/UNDERSTANDING.md, docs/BENCHMARKS.md).

Fresh interpreters, rounds interleaved, median of each:
- the libraries alone: rapidfuzz (distance, process) and PySastrawi's stemmer module;
- `import jaring.hotline.reading` with what it imports (the libraries are not imported yet), and the self time
  of its three modules inside `import main, jaring.inbox` (what they add to the webhook's cold start);
- the first read() in a fresh interpreter, jaring's modules already imported (it loads the libraries, the
  30,000 root words and the office's own words);
- then the mean time of one read over the shared corpus and the held-out set.

    PYTHONPATH=functions .venv/bin/python -m bench.reading_bench [--rounds 9]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBES = {
    "floor_libraries": "import functions_framework, google.cloud.firestore, requests",
    "rapidfuzz": "import rapidfuzz.process, rapidfuzz.distance.OSA",
    "sastrawi": "import Sastrawi.Stemmer.Stemmer",
    "reading_module": "import jaring.hotline.reading",
}
PROBE = """
import time
t = time.perf_counter()
{code}
print(time.perf_counter() - t)
"""
FIRST_READ = """
import time
from pathlib import Path
from jaring.hotline import reading
from jaring.offices.store import read_file
config = read_file(Path("jaring/offices/seed/kemenag-bangkalan.toml")).config
t = time.perf_counter()
reading.read("saya mau komplain pelayanan lambat", "none", config)
first = time.perf_counter() - t
lines = [l.split("\\t") for f in {files!r} for l in Path(f).read_text(encoding="utf-8").splitlines()
         if l.strip() and not l.startswith("#")]
t = time.perf_counter()
for context, text, *_ in lines:
    reading.read(text, context, config)
print(first, (time.perf_counter() - t) / len(lines), len(lines))
"""


def run(code: str) -> list[float]:
    # Byte code is written and used, as a deployed function uses it (the warm-up round writes it).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "functions", capture_output=True, text=True,
                         check=True, env=env).stdout.split()
    return [float(x) for x in out]


OWN = ("jaring.hotline.reading", "jaring.hotline.lexicon", "jaring.hotline.vocabulary")


def own_modules() -> float:
    """Self time of the reading's three modules inside the webhook's import path (python -X importtime)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import main, jaring.inbox"],
                         cwd=ROOT / "functions", capture_output=True, text=True, check=True, env=env).stderr
    rows = [line.split("|") for line in err.splitlines() if line.startswith("import time:")]
    return sum(int(r[0].split(":")[1]) for r in rows if r[2].strip() in OWN) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "corpus" / "citizen-messages.tsv"))
    args = parser.parse_args()
    files = [str(ROOT / "tests" / "corpus" / "held-out.tsv")] + ([args.shared] if Path(args.shared).exists() else [])
    samples: dict[str, list[float]] = {name: [] for name in (*PROBES, "own_modules_in_webhook_path", "first_read",
                                                             "per_read")}
    count = 0
    for round_ in range(args.rounds + 1):
        for name, code in PROBES.items():
            [took] = run(PROBE.format(code=code))
            if round_:
                samples[name].append(took)
        first, per, count = run(FIRST_READ.format(files=files))
        own = own_modules()
        if round_:
            samples["own_modules_in_webhook_path"].append(own)
            samples["first_read"].append(first)
            samples["per_read"].append(per)
    result = {name: round(statistics.median(got) * 1000, 2) for name, got in samples.items()}
    result["messages"] = int(count)
    print(json.dumps({"ms_median": result, "rounds": args.rounds}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
