"""Every `python -m jaring` command answers what an operator gets wrong, or a Firestore that does not answer,
in one line starting with "error:" and a non-zero exit: never a traceback, never a half-told story."""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from jaring.__main__ import COMMANDS
from tests.conftest import PROJECT, ROOT
from tests.support.emulator import free_port

FUNCTIONS = ROOT / "functions"
SEED = "jaring/offices/seed/kemenag-bangkalan.toml"
SEEDS = ("jaring/offices/seed/kemenag-pusat.toml", "jaring/offices/seed/kanwil-jawa-timur.toml", SEED)  # parents first
TICKETS = "nomor_wa,persetujuan,unit,layanan\n081234567001,ya,umum,Legalisir Buku Nikah\n"
PAPER = "U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,3,4,4,3,4,4,4\n"
SENDING = {"WHATSAPP_ACCESS_TOKEN": "t", "WHATSAPP_PHONE_NUMBER_ID": "100000000000002", "WHATSAPP_WABA_ID": "w",
           "WHATSAPP_API_BASE": f"http://127.0.0.1:{free_port()}/v23.0"}


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WHATSAPP_", "FIRESTORE_", "JARING_"))}
    return subprocess.run([sys.executable, "-m", "jaring", *args], cwd=FUNCTIONS, capture_output=True, text=True,
                          env={**base, **(env or {})}, timeout=120)


def assert_one_line_error(done: subprocess.CompletedProcess, says: str = "") -> None:
    """Exactly one "error:" line (on stdout, or stderr when stdout is kept for data) saying `says`; on stderr
    nothing else (no traceback, no log noise); before it at most the "ok:" lines of what was checked."""
    output = done.stdout + done.stderr
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert done.returncode != 0, output
    assert "Traceback" not in output, output[-2000:]
    assert len(errors) == 1 and says in errors[0], output
    assert done.stderr.strip() in ("", errors[0]), output


@pytest.fixture
def files(tmp_path):
    (tmp_path / "tickets.csv").write_text(TICKETS)
    (tmp_path / "paper.csv").write_text(PAPER)
    return tmp_path


# Every command that reads or writes Firestore, as an operator would type it.
WITH_FIRESTORE = {
    "outbox": ["outbox", "retry"],
    "tickets": ["tickets", "import", "{files}/tickets.csv"],
    "forms": ["forms", "register", "1FAIpQLSe-guestbook", "--kind", "logbook", "--unit", "umum"],
    "templates": ["templates", "register", "--dry-run"],
    "config": ["config", "load", *SEEDS],
    "ikm": ["ikm", "{files}/paper.csv", "--order", "regulasi", "--store", "--unit", "umum", "--date", "2026-01-05"],
    "nudges": ["nudges", "status"],
    "flows": ["flows", "publish", "--dry-run"],
    "offices": ["offices", "list"],
    "rollup": ["rollup", "refresh"],
}
WITHOUT_FIRESTORE = {"qr", "understand"}  # they read only the office file


def test_every_command_is_covered_here():
    assert set(WITH_FIRESTORE) | WITHOUT_FIRESTORE == set(COMMANDS)


def test_with_firestore_unreachable_every_command_says_so_in_one_line(files):
    unreachable = {"FIRESTORE_EMULATOR_HOST": f"127.0.0.1:{free_port()}", "GOOGLE_CLOUD_PROJECT": PROJECT, **SENDING}
    commands = {name: [a.format(files=files) for a in args] for name, args in WITH_FIRESTORE.items()}
    with ThreadPoolExecutor(len(commands)) as pool:  # each waits out Firestore's deadline; wait for them together
        done = dict(zip(commands, pool.map(lambda args: run(*args, env=unreachable), commands.values())))
    for name, result in done.items():
        assert_one_line_error(result, "Firestore")


@pytest.mark.parametrize("args,says", [
    (["tickets", "import", "/nonexistent/tickets.csv"], "/nonexistent/tickets.csv"),
    (["config", "check", "/nonexistent/office.toml"], "/nonexistent/office.toml"),
    (["templates", "check", "/nonexistent/office.toml"], "/nonexistent/office.toml"),
    (["ikm", "/nonexistent/paper.csv"], "/nonexistent/paper.csv"),
    (["forms", "register", "F1", "--kind", "logbook", "--unit", "umum", "--mapping", "/nonexistent/m.json"],
     "/nonexistent/m.json"),
    (["qr", "umum", "--config", "/nonexistent/office.toml"], "/nonexistent/office.toml"),
    (["understand", "halo", "--office-file", "/nonexistent/office.toml"], "/nonexistent/office.toml"),
])
def test_a_missing_file_is_named_in_one_line(args, says):
    assert_one_line_error(run(*args), says)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_bad_argument_is_one_line_pointing_to_help(name):
    done = run(name, "--no-such-option")
    assert_one_line_error(done, "--help")
    assert done.returncode == 2


def test_an_unknown_command_is_one_line():
    assert_one_line_error(run("tikets", "import", "x.csv"), "invalid choice: 'tikets'")


def test_a_missing_setting_is_named_and_only_what_the_command_needs_is_asked(files):
    done = run("tickets", "import", str(files / "tickets.csv"), env={"GOOGLE_CLOUD_PROJECT": PROJECT})
    assert_one_line_error(done, "WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID")
    assert "WHATSAPP_APP_SECRET" not in done.stdout  # the webhook's secret is not the importer's business


@pytest.mark.emulator
@pytest.mark.parametrize("args", [
    ["tickets", "import", "{files}/tickets.csv", "--unit", "kua-atlantis"],
    ["forms", "register", "1FAIpQLSe-guestbook", "--kind", "logbook", "--unit", "kua-atlantis"],
    ["ikm", "{files}/paper.csv", "--order", "regulasi", "--store", "--unit", "kua-atlantis", "--date", "2026-01-05"],
    ["qr", "kua-atlantis", "--number", "081234567890"],
])
def test_an_unknown_unit_is_refused_and_nothing_is_written(args, files, db, emulator_host):
    env = {"FIRESTORE_EMULATOR_HOST": emulator_host, "GOOGLE_CLOUD_PROJECT": PROJECT, **SENDING}
    assert run("config", "load", *SEEDS, env=env).returncode == 0
    before = {c.id: len(list(c.stream())) for c in db.collections()}
    assert_one_line_error(run(*[a.format(files=files) for a in args], env=env), "no unit 'kua-atlantis'")
    assert {c.id: len(list(c.stream())) for c in db.collections()} == before


@pytest.mark.emulator
def test_a_ticket_file_naming_an_unknown_unit_is_refused_with_its_line(files, db, emulator_host):
    (files / "tickets.csv").write_text(TICKETS + "081234567002,ya,kua-atlantis,Nikah\n")
    env = {"FIRESTORE_EMULATOR_HOST": emulator_host, "GOOGLE_CLOUD_PROJECT": PROJECT, **SENDING}
    assert run("config", "load", *SEEDS, env=env).returncode == 0
    done = run("tickets", "import", str(files / "tickets.csv"), env=env)
    assert done.returncode == 1 and "line 3:" in done.stdout and "kua-atlantis" in done.stdout
    assert "tickets" not in {c.id for c in db.collections()}
