"""Real pages in a real browser: Debian's chromium driven by playwright, and the local stack to point it at.

playwright's own browser download does not work on the project's machines, so the browser is the system's
`chromium` (apt-get install chromium; `make test` installs it when missing) through `executable_path`.
`Watched` collects what a person would see go wrong: console errors, uncaught exceptions, failed requests.
`LocalStack` runs `make run` (tests/support/localstack.py) in the background on free ports and reads its banner.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from tests.support.emulator import free_port, stop_group

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("JARING_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def chromium() -> Iterator[Any]:
    """A playwright Browser on the system's chromium."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium (make test does it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watched:
    """A page and everything that went wrong on it; `problems` is empty when a person saw nothing broken."""
    page: Any
    problems: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, browser: Any, **context: Any) -> "Watched":
        page = browser.new_context(**context).new_page()
        watched = cls(page)
        page.on("console", lambda m: m.type == "error" and watched.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda exc: watched.problems.append(f"exception: {exc}"))
        page.on("requestfailed", lambda r: watched.problems.append(f"request failed: {r.url} {r.failure}"))
        return watched

    def close(self) -> None:
        self.page.context.close()


class LocalStack:
    """`python -m tests.support.localstack --any-ports` in the background: its banner's URLs by name."""

    def __init__(self, log: Path, timeout: float = 240):
        self.urls: dict[str, str] = {}
        self.banner: list[str] = []
        self.chat_port = free_port()
        self.emulator = f"127.0.0.1:{free_port()}"  # the stack's Firestore emulator, for operators' commands
        self._log = open(log, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.localstack", "--any-ports",
             f"--emulator-port={self.emulator.rsplit(':', 1)[1]}",
             f"--chat-port={self.chat_port}"], cwd=ROOT, stdout=subprocess.PIPE, stderr=self._log, text=True,
            start_new_session=True)
        deadline = time.monotonic() + timeout
        for line in self.proc.stdout:
            self.banner.append(line.rstrip())
            found = re.match(r"^(\w+)\s+(http://127\.0\.0\.1:\d+/)", line)
            if found:
                self.urls[found[1]] = found[2]
            graph = re.match(r"^WhatsApp stand-in\s+(http://\S+)", line)
            if graph:
                self.graph = graph[1]
            signin = re.match(r"^Reports:\s+(http://\S+)", line)
            if signin:
                self.signin = signin[1]
            if line.startswith("Ctrl-C stops everything") or time.monotonic() > deadline:
                break
        if not line.startswith("Ctrl-C stops everything"):
            self.stop()
            raise RuntimeError("the local stack did not start:\n" + "\n".join(self.banner))
        self.chat = f"http://127.0.0.1:{self.chat_port}/"

    def operator(self, *command: str) -> str:
        """`python -m jaring COMMAND…` against this stack, as an IT officer runs it from functions/."""
        from tests.support.localstack import LOCAL_ENV

        env = {**os.environ, "FIRESTORE_EMULATOR_HOST": self.emulator,
               "GOOGLE_CLOUD_PROJECT": LOCAL_ENV["GOOGLE_CLOUD_PROJECT"]}
        done = subprocess.run([sys.executable, "-m", "jaring", *command], cwd=ROOT / "functions", env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def stop(self) -> None:
        stop_group(self.proc, timeout=20)
        self._log.close()
