"""Look at the reports in a real headless browser (a documented check, not part of `make test`).

Starts a Firestore emulator and the `reports` function as the local stack does, loads demo data
(bench.report_bench's generator: responses of the last 100 days, a funnel, a few complaints),
then has Chromium take screenshots of the dashboard, the notice and the public page, and print the
notice to PDF to count its pages. Chromium cannot add the sign-in header itself, so it talks to the
function through a small local proxy that adds the local stack's dev identity (an office head).

Needs Debian's chromium (`apt-get install -y chromium`).
Usage: .venv/bin/python -m tests.support.report_screens [--out docs/screenshots] [--responses 3000]
`bench.simulate --screens DIR` uses `capture` on the simulated quarter's own stack instead (docs/REPORTS.md).
"""
from __future__ import annotations

import argparse
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from contextlib import ExitStack
from pathlib import Path

import requests

from tests.support import emulator
from tests.support.localstack import LOCAL_ENV, ROOT, start_function, stop, wait_http

OFFICE = "kemenag-bangkalan"
HEAD = f"kepala@kemenag.go.id|office_head|{OFFICE}|"  # the office head


def signing_proxy(target: str, identity: str) -> http.server.ThreadingHTTPServer:
    class Forward(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server naming
            answer = requests.get(target + self.path, headers={"X-Jaring-Dev-Identity": identity}, timeout=60)
            self.send_response(answer.status_code)
            for name in ("Content-Type", "Content-Security-Policy", "Cache-Control", "Content-Disposition"):
                if name in answer.headers:
                    self.send_header(name, answer.headers[name])
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", emulator.free_port()), Forward)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def chromium(*args: str) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        sys.exit("chromium is not installed: apt-get install -y chromium")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--no-first-run", *args], check=True, capture_output=True, timeout=120)


def pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


def capture(reports_url: str, out: Path, query: str = "", unit: str = "") -> list[str]:
    """Screenshots of the dashboard, the notice (the office's, or `unit`'s) and the public page, and the notice
    printed to PDF, from a running `reports` function; returns what it did, one line each."""
    out.mkdir(parents=True, exist_ok=True)
    proxy = signing_proxy(reports_url, HEAD)
    try:
        base = f"http://127.0.0.1:{proxy.server_port}"
        notice_query = "&".join(filter(None, [query, f"unit={unit}" if unit else ""]))
        pages = {"dashboard": (f"{base}/?{query}", "1280,5800"), "notice": (f"{base}/notice?{notice_query}", "900,1300"),
                 "public": (f"{reports_url}/public/{OFFICE}", "1280,2000")}
        done = []
        for name, (url, size) in pages.items():
            chromium(f"--window-size={size}", f"--screenshot={out / (name + '.png')}", url)
            done.append(f"{name:<10} {url} -> {out / (name + '.png')}")
        chromium("--no-pdf-header-footer", f"--print-to-pdf={out / 'notice.pdf'}", pages["notice"][0])
        done.append(f"notice.pdf pages: {pdf_pages(out / 'notice.pdf')}")
        return done
    finally:
        proxy.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / ".local" / "screens"))
    parser.add_argument("--responses", type=int, default=3000)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    log_dir = ROOT / ".local" / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        host = stack.enter_context(emulator.firestore_emulator(log_path=str(log_dir / "firestore-screens.log")))
        env = {**os.environ, **LOCAL_ENV, "FIRESTORE_EMULATOR_HOST": host, "PYTHONPATH": str(ROOT / "functions")}
        seeded = subprocess.run([sys.executable, "-m", "bench.report_bench", "--seed", host, "--project",
                                 env["GOOGLE_CLOUD_PROJECT"], "--sizes", str(args.responses)],
                                cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        print(seeded.stdout.strip())
        port = emulator.free_port()
        stack.callback(stop, start_function("reports", port, env, log_dir))
        wait_http(f"http://127.0.0.1:{port}/")
        print("\n".join(capture(f"http://127.0.0.1:{port}", out, unit="umum")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
