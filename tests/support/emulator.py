"""Start and stop the Firestore emulator (gcloud), and reset its data between tests."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from typing import Iterator

import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_up(host: str) -> bool:
    try:
        return requests.get(f"http://{host}/", timeout=1).ok
    except requests.RequestException:
        return False


class Host(str):
    """"127.0.0.1:PORT", carrying the emulator's process group id for fault drills (SIGSTOP/SIGCONT)."""

    pgid: int


@contextmanager
def firestore_emulator(port: int | None = None, rules: str | None = None,
                       log_path: str | None = None) -> Iterator[Host]:
    """Yields "127.0.0.1:PORT" of a fresh emulator; stops the whole process group afterwards."""
    port = port or free_port()
    host = f"127.0.0.1:{port}"
    cmd = ["gcloud", "emulators", "firestore", "start", f"--host-port={host}", "--quiet"]
    if rules:
        cmd.append(f"--rules={rules}")
    out = open(log_path or os.devnull, "ab")
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not is_up(host):
            if proc.poll() is not None:
                raise RuntimeError(f"Firestore emulator exited with {proc.returncode}; see {log_path}")
            if time.monotonic() > deadline:
                raise RuntimeError("Firestore emulator did not start within 60 s")
            time.sleep(0.2)
        handle = Host(host)
        handle.pgid = proc.pid
        yield handle
    finally:
        stop_group(proc)
        out.close()


def stop_group(proc: subprocess.Popen, timeout: float = 15) -> None:
    """Stop a process started with start_new_session=True and everything it started (gcloud leaves java)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def reset(host: str, project: str) -> None:
    url = f"http://{host}/emulator/v1/projects/{project}/databases/(default)/documents"
    requests.delete(url, timeout=60).raise_for_status()  # the first reset after a start is slow on a busy machine
