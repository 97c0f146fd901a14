"""Look at the roll-ups in a real headless browser (a documented check, not part of `make test`).

Starts a Firestore emulator and the `reports` function, loads the seed offices (Bangkalan, the Kanwil of Jawa
Timur, the ministry) plus the Kanwil of Bali and a dozen district offices with `python -m jaring config load`,
writes demo month summaries for April 2025 – March 2026 (what rollup_store.refresh writes; the numbers are
made up, deterministic), and has Chromium take screenshots of the Kanwil's comparison (/rollup as the Kanwil
head), the ministry's (as its planning bureau) and the national public page (/public/nasional).

Needs Debian's chromium. Usage: .venv/bin/python -m tests.support.rollup_screens [--out docs/screenshots]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from tests.support import emulator, offices
from tests.support.localstack import LOCAL_ENV, ROOT, start_function, stop, wait_http
from tests.support.report_screens import chromium, signing_proxy

JATIM = ["Sampang", "Pamekasan", "Sumenep", "Surabaya", "Sidoarjo", "Gresik", "Lamongan"]
BALI = ["Buleleng", "Badung", "Gianyar", "Tabanan"]
KANWIL_HEAD = f"kakanwil@jatim.example.go.id|office_head|{offices.KANWIL}|"
PLANNING = f"biro.perencanaan@kemenag.example.go.id|planning|{offices.PUSAT}|"


def demo_summaries(db, names: list[tuple[str, str]]) -> None:
    from jaring.survey.responses import UNSUR

    batch = db.batch()
    for i, (office, _) in enumerate(names):
        for year, month in [(2025, m) for m in range(4, 13)] + [(2026, m) for m in range(1, 4)]:
            n = 0 if (i == len(names) - 1 and year == 2026) else 3 + (i * 5 + month) % 17 if i % 4 == 3 else \
                25 + (i * 11 + month * 3) % 40
            score = 3 + ((i + month) % 4) / 4 + (0.25 if year == 2026 and i % 3 == 0 else 0)
            served = int(n * (1.4 + (i % 5) / 5))
            batch.set(db.collection("office_months").document(f"{office}_{year}-{month:02d}"), {
                "office": office, "month": f"{year}-{month:02d}", "responses": n,
                "sums": {u: round(n * min(4.0, score - (0.5 if u == "U8" else 0))) for u in UNSUR}, "blanks": {},
                "served": served, "invited": int(served * 0.9), "delivered": int(served * 0.88),
                "read": int(served * 0.7), "answered": n, "after_nudge": [n // 2, n // 4, n - n // 2 - n // 4],
                "complaints": {"received": i % 4, "answered": i % 4, "answered_late": 1 if i % 4 == 3 else 0,
                               "overdue": 0, "open": 0}})
    batch.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / ".local" / "screens"))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "functions"))  # the jaring package, for the summaries' unsur names
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    log_dir = ROOT / ".local" / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        host = stack.enter_context(emulator.firestore_emulator(log_path=str(log_dir / "firestore-rollup.log")))
        env = {**os.environ, **LOCAL_ENV, "FIRESTORE_EMULATOR_HOST": host, "PYTHONPATH": str(ROOT / "functions"),
               "JARING_DEV_IDENTITY_ALLOWED": "1"}
        files = sorted((ROOT / "functions" / "jaring" / "offices" / "seed").glob("*.toml"))
        files.append(offices.write(Path(tmp), "kanwil-bali", "Kanwil Kementerian Agama Provinsi Bali",
                                   level="kanwil", parent=offices.PUSAT))
        names = [("kemenag-bangkalan", "Bangkalan")]
        for n, (name, parent) in enumerate([(x, offices.KANWIL) for x in JATIM] + [(x, "kanwil-bali") for x in BALI]):
            office = f"kemenag-{name.lower()}"
            kind = "Kota" if name == "Surabaya" else "Kabupaten"
            files.append(offices.write(Path(tmp), office, f"Kantor Kementerian Agama {kind} {name}", n=10 + n,
                                       parent=parent))
            names.append((office, name))
        for attempt in range(3):  # a fresh emulator on a busy machine can miss the first deadline
            loaded = subprocess.run([sys.executable, "-m", "jaring", "config", "load", *map(str, files)],
                                    cwd=ROOT / "functions", env=env, capture_output=True, text=True)
            if loaded.returncode == 0:
                break
        print(loaded.stdout.strip().splitlines()[-1])
        if loaded.returncode:
            sys.exit(loaded.stdout + loaded.stderr)
        os.environ["FIRESTORE_EMULATOR_HOST"] = host
        from google.cloud import firestore

        demo_summaries(firestore.Client(project=env["GOOGLE_CLOUD_PROJECT"]), names)
        port = emulator.free_port()
        stack.callback(stop, start_function("reports", port, env, log_dir))
        wait_http(f"http://127.0.0.1:{port}/")
        print("\n".join(capture(f"http://127.0.0.1:{port}", out, "2026-Q1", 2025)))
    return 0


def capture(reports_url: str, out: Path, period: str, year: int, prefix: str = "",
            sizes: tuple[str, str, str] = ("1280,1500", "1280,1900", "1280,1000")) -> list[str]:
    """Screenshots of the Kanwil's and the ministry's roll-ups of `period` and the national public page of `year`
    from a running `reports` function (its offices' month summaries written); returns what it did, one line each."""
    shots = {"rollup-kanwil": (KANWIL_HEAD, f"/rollup?period={period}", sizes[0]),
             "rollup-national": (PLANNING, f"/rollup?period={period}", sizes[1]),
             "public-national": (None, f"/public/nasional?year={year}", sizes[2])}
    done = []
    for name, (identity, path, size) in shots.items():
        proxy = signing_proxy(reports_url, identity) if identity else None
        try:
            base = f"http://127.0.0.1:{proxy.server_port}" if proxy else reports_url
            target = out / f"{prefix}{name}.png"
            chromium(f"--window-size={size}", f"--screenshot={target}", base + path)
            done.append(f"{prefix + name:<24} {path} -> {target}")
        finally:
            if proxy:
                proxy.shutdown()
    return done


if __name__ == "__main__":
    sys.exit(main())
