"""`make run`: Jaring on this machine with nothing in Google's cloud.

Starts the Firestore emulator, one functions-framework process per HTTP target in functions/main.py,
and the WhatsApp stand-in whose page at http://127.0.0.1:8090/ lets a person chat as a citizen.
The seed office's SKM WhatsApp Flow is published to the stand-in at start (`python -m jaring flows publish`),
so a finished service invites with it and the chat page shows it as its form.
`--check` does the same, sends one citizen message through the whole path, and exits 0 when the
bot's answer arrived; then an officer finishes a service for that citizen, the citizen submits the Flow
the invitation opens (twice: Meta may deliver it again), and the check wants one thank-you and the
dashboard counting one answer under "WhatsApp Flow" (used by the test suite so `make run` stays true).
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import requests

from tests.support import emulator, meta
from tests.support import local_signin
from tests.support.graph_standin import StandIn, StandInServer
from tests.support.local_signin import LocalSignIn

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = ROOT / "functions"
PORTS = {"whatsapp_webhook": 8081, "form_submit": 8082, "reminder_sweep": 8083, "admin_api": 8084, "reports": 8086}
LOCAL_ENV = {
    "GOOGLE_CLOUD_PROJECT": "jaring-local",
    "WHATSAPP_APP_SECRET": "local-app-secret",
    "WHATSAPP_VERIFY_TOKEN": "local-verify-token",
    "WHATSAPP_ACCESS_TOKEN": "local-access-token",
    "WHATSAPP_PHONE_NUMBER_ID": meta.OFFICE_NUMBER_ID,
    "FORMS_WEBHOOK_SECRET": "local-forms-secret",
    "WBS_LINK_KEY": "local-wbs-link-key",
    "JARING_PSEUDONYM_KEY": "local-pseudonym-key",
    "JARING_DEV_IDENTITY_ALLOWED": "1",
    "WHATSAPP_BUSINESS_ACCOUNT_ID": "local-waba",
}
STAFF = "628001000001"  # the seed's officer of unit umum
ADMIN_IDENTITY = "admin@example.go.id|admin|kemenag-bangkalan|"


def targets() -> list[str]:
    source = (FUNCTIONS / "main.py").read_text()
    return re.findall(r"@functions_framework\.http\s*\ndef (\w+)\(", source)


def wait_http(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def start_function(target: str, port: int, env: dict[str, str], log_dir: Path) -> subprocess.Popen:
    log = open(log_dir / f"{target}.log", "ab")
    return subprocess.Popen(
        [sys.executable, "-m", "functions_framework", f"--target={target}", "--source=main.py",
         f"--port={port}", "--host=127.0.0.1"],
        cwd=FUNCTIONS, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    emulator.stop_group(proc, timeout=10)


def operator(env: dict[str, str], *command: str) -> None:
    """Run `python -m jaring COMMAND…` as an operator does against this stack; stop the start if it fails."""
    result = subprocess.run([sys.executable, "-m", "jaring", *command], cwd=FUNCTIONS, env=env, capture_output=True,
                            text=True)
    if result.returncode != 0:
        print((result.stdout + result.stderr).strip())
        raise RuntimeError(f"`python -m jaring {' '.join(command)}` failed on the local stack")


def load_seed(env: dict[str, str]) -> None:
    """Load the office configuration files (jaring/offices/seed/*.toml) the way an operator does, all in one go."""
    seeds = sorted((FUNCTIONS / "jaring" / "offices" / "seed").glob("*.toml"))
    for attempt in range(3):  # a freshly started emulator on a busy machine can miss the first deadline
        result = subprocess.run([sys.executable, "-m", "jaring", "config", "load", *map(str, seeds)],
                                cwd=FUNCTIONS, env=env, capture_output=True, text=True)
        if result.returncode == 0 or "Firestore unavailable" not in result.stdout:
            break
    print((result.stdout + result.stderr).strip())
    if result.returncode != 0:
        raise RuntimeError("the seed configuration did not load")


DEMO_FORMS = (  # as `forms register` would be run for the office's real forms (docs/FORMS.md)
    ("local-demo-skm", "skm", "--url", "https://docs.google.com/forms/d/e/1FAIpQLSe-local-demo/viewform",
     "--token-entry", "entry.1017"),
    ("local-demo-bukutamu", "logbook"),
)
CITIZEN = ("6281234560001", "Siti Warga")  # the chat page's default


def register_demo_forms(env: dict[str, str]) -> None:
    """Demo survey and guest-book forms, so finishing a service sends an invitation out of the box."""
    for form_id, kind, *more in DEMO_FORMS:
        operator(env, "forms", "register", form_id, "--kind", kind, "--unit", "umum", *more)


def seed_office():
    if str(FUNCTIONS) not in sys.path:  # `make run` starts from the repository's root
        sys.path.insert(0, str(FUNCTIONS))
    from jaring.offices.store import SEED_DIR, read_file

    return read_file(SEED_DIR / "kemenag-bangkalan.toml").config


def people_banner(config, signin_url: str) -> list[str]:
    """Who to be in the chat page and the reports: a citizen, an officer, a unit head and the office head."""
    def first(role: str):
        return next(s for s in config.staff if s.role == role and s.number)

    officer, head, chief = first("officer"), first("unit_head"), first("office_head")
    return [f"Citizen:             {CITIZEN[0]} ({CITIZEN[1]}; the chat page's default number)",
            f"Officer:             {officer.number} ({officer.name}, unit {officer.unit}): #layani 0812… then "
            "#selesai KODE",
            f"Unit head:           {head.number} ({head.name}, unit {head.unit}; reports as {head.email})",
            f"Office head:         {chief.number} ({chief.name}; reports as {chief.email})",
            f"Reports:             {signin_url}  (local sign-in: pick one of the office file's staff)"]


def _wait_for(standin: StandIn, wa_id: str, seen: int, want, seconds: float = 20) -> dict | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for entry in [e for e in standin.conversation(wa_id) if e["dir"] == "out"][seen:]:
            if want(entry["message"]):
                return entry
        time.sleep(0.2)
    return None


def check_flow(standin: StandIn, citizen: str, reports_url: str) -> bool:
    """A finished service's Flow invitation, answered in the Flow (and redelivered): one answer counted."""
    seen = len([e for e in standin.conversation(citizen) if e["dir"] == "out"])
    standin.citizen_says(STAFF, "Petugas", meta.text(STAFF, f"#layani {citizen} legalisir SK"))
    standin.citizen_says(STAFF, "Petugas", meta.text(STAFF, f"#selesai {citizen}"))
    invitation = _wait_for(standin, citizen, seen, lambda m: (m.get("interactive") or {}).get("type") == "flow")
    if invitation is None:
        print("check: no WhatsApp Flow invitation arrived")
        return False
    params = invitation["message"]["interactive"]["action"]["parameters"]
    if standin.flow_json(params["flow_id"]) is None:
        print("check: the invitation's Flow is not published")
        return False
    answers = {"flow_token": params["flow_token"], **{f"U{i}": "4" for i in range(1, 10)}, "saran": "Cepat"}
    completion = meta.flow_reply(citizen, answers,
                                 context={"from": meta.OFFICE_DISPLAY_NUMBER, "id": invitation["wamid"]})
    seen = len([e for e in standin.conversation(citizen) if e["dir"] == "out"])
    standin.citizen_says(citizen, "Uji Coba", completion)
    standin.citizen_says(citizen, "Uji Coba", completion)  # redelivered by Meta: stored once
    thanks = _wait_for(standin, citizen, seen, lambda m: "Terima kasih, jawaban survei" in
                       ((m.get("text") or {}).get("body") or ""))
    time.sleep(1)
    replies = len([e for e in standin.conversation(citizen) if e["dir"] == "out"]) - seen
    page = requests.get(reports_url, headers={"X-Jaring-Dev-Identity": ADMIN_IDENTITY}, timeout=30).text
    counted = re.search(r"WhatsApp Flow</td><td[^>]*>1<", page) is not None
    print(f"check: Flow invitation answered; thanks {'arrived' if thanks else 'missing'}, {replies} reply to two "
          f"deliveries, dashboard {'counts it under WhatsApp Flow' if counted else 'does not count it'}")
    return thanks is not None and replies == 1 and counted


def check(standin: StandIn) -> bool:
    citizen = "6281234569999"
    status = standin.citizen_says(citizen, "Uji Coba", meta.text(citizen, "Halo"))
    deadline = time.monotonic() + 60  # a busy machine's first message starts the functions' imports
    while time.monotonic() < deadline:
        answers = [e for e in standin.conversation(citizen) if e["dir"] == "out"]
        if answers:
            print(f"check: webhook answered {status}; the bot replied: {answers[0]['message'].get('type')}")
            return True
        time.sleep(0.2)
    print(f"check: webhook answered {status}; no reply arrived within 60 s")
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="send one message end to end, then stop")
    parser.add_argument("--emulator-port", type=int, default=int(os.environ.get("JARING_EMULATOR_PORT", 8085)))
    parser.add_argument("--chat-port", type=int, default=int(os.environ.get("JARING_CHAT_PORT", 8090)))
    parser.add_argument("--port-offset", type=int, default=0, help="added to every function port")
    parser.add_argument("--any-ports", action="store_true", help="free ports for the functions (tests)")
    args = parser.parse_args(argv)
    log_dir = ROOT / ".local" / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    ports = {t: emulator.free_port() if args.any_ports else PORTS.get(t, 8087 + i) + args.port_offset
             for i, t in enumerate(targets())}
    with ExitStack() as stack:
        host = stack.enter_context(emulator.firestore_emulator(args.emulator_port,
                                                               log_path=str(log_dir / "firestore.log")))
        standin = StandIn(access_token=LOCAL_ENV["WHATSAPP_ACCESS_TOKEN"], app_secret=LOCAL_ENV["WHATSAPP_APP_SECRET"],
                          webhook_url=f"http://127.0.0.1:{ports['whatsapp_webhook']}/", auto_status=True)
        server = stack.enter_context(StandInServer(standin, port=args.chat_port))
        env = {**os.environ, **LOCAL_ENV, "FIRESTORE_EMULATOR_HOST": host, "WHATSAPP_API_BASE": server.base_url,
               "PYTHONPATH": str(FUNCTIONS)}
        load_seed(env)
        operator(env, "flows", "publish")  # the office invites by WhatsApp Flow; the stand-in keeps it
        operator(env, "templates", "register")  # the stand-in keeps them: the chat page shows templates as sent
        register_demo_forms(env)
        for target, port in ports.items():
            proc = start_function(target, port, env, log_dir)
            stack.callback(stop, proc)
        for port in ports.values():
            wait_http(f"http://127.0.0.1:{port}/")
        config = seed_office()
        signin = LocalSignIn(f"http://127.0.0.1:{ports['reports']}/", local_signin.people(config),
                             port=0 if args.any_ports else args.chat_port + 2)
        stack.callback(signin.close)
        print(f"Firestore emulator   {host}")
        for target, port in ports.items():
            print(f"{target:<20} http://127.0.0.1:{port}/")
        print(f"WhatsApp stand-in    {server.base_url}  (Graph API)")
        print(f"Chat as a citizen:   http://127.0.0.1:{server.port}/")
        print(f"Logs:                {log_dir}")
        print("\n".join(people_banner(config, signin.url)))
        if args.check:
            reports = f"http://127.0.0.1:{ports['reports']}/"
            return 0 if check(standin) and check_flow(standin, "6281234569999", reports) else 1
        print("Ctrl-C stops everything.", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
        try:
            signal.pause()
        except KeyboardInterrupt:
            print("\nstopping…")
    return 0


if __name__ == "__main__":
    sys.exit(main())
