"""Many offices in one deployment, at once: proof that they stay apart (issue 17).

  .venv/bin/python -m bench.offices_sim [--offices 30] [--days 30] [--seed 17] [--workers 8]

Starts a Firestore emulator and the Graph stand-in, loads the ministry, three Kanwils and --offices district
offices (sizes from a handful to many citizens a day; several under each Kanwil) with `python -m jaring config
load`, each with its own WhatsApp number, its own staff and its own SKM form, then plays --days working days in
simulated time, the offices' traffic running concurrently (--workers threads) through the real entrypoints of
functions/main.py (in process): citizens write to their office's number, officers open and complete tickets in
admin_api (the invitation goes out), citizens answer the SKM form with their code, and each night the reminder
sweep nudges those who did not answer. Some citizens use two offices (one phone, two offices' chats).

Checks, each an invariant (exit 1 when one fails):
- every message Jaring sent left from the number of the office whose citizen it went to, and reached only
  citizens of that office (a citizen of two offices gets each office's messages from that office's number);
- each office's report (the reports function's CSV as its head) has exactly its own simulated respondents and IKM;
- staff of one office see nothing of another's: its tickets are 404/403 in admin_api, its ticket list is theirs
  only, and a roll-up is refused to a district office's head;
- each Kanwil's roll-up and the ministry's (after `rollup refresh`) are the sums of their offices: respondents
  add up and the IKM is the IKM of all their offices' answers together;
- every time stamp stored is declared in jaring/indexes.py MONOTONIC_FIELDS.
Prints the figures as JSON.
"""
from __future__ import annotations

import argparse
import collections
import concurrent.futures as cf
import csv
import datetime as dt
import io
import json
import os
import random
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "functions"))

from tests.support import emulator, fields, meta, offices  # noqa: E402
from tests.support import forms as form_answers  # noqa: E402
from tests.support.graph_standin import StandIn, StandInServer  # noqa: E402

PROJECT = "jaring-offices-sim"
APP_SECRET, FORMS_SECRET, TOKEN = "sim-app-secret", "sim-forms-secret", "sim-token"
KANWILS = ("kanwil-jawa-timur", "kanwil-bali", "kanwil-aceh")
START = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.timezone.utc)  # Monday 2 March 2026, 09:00 WIB
UNITS = ("umum", "haji")


def plan(n_offices: int, seed: int) -> list[dict[str, Any]]:
    """Offices of different sizes (citizens a day), under the Kanwils; the first two share Jawa Timur's."""
    rng = random.Random(seed)
    out = []
    for i in range(n_offices):
        size = 1 + int(rng.paretovariate(1.3)) % 8 if i % 5 else 6 + i % 4  # a few busy, most small
        out.append({"office": f"kemenag-sim-{i:02d}", "name": f"Kantor Kementerian Agama Kabupaten Simulasi {i:02d}",
                    "kanwil": KANWILS[0] if i < 2 else KANWILS[i % len(KANWILS)], "n": 100 + i, "size": size})
    return out


class Sim:
    def __init__(self, db: Any, standin: StandIn, plan_: list[dict[str, Any]], rng: random.Random):
        import functions_framework

        self.db, self.standin, self.plan, self.rng = db, standin, plan_, rng
        self.main_py = str(ROOT / "functions" / "main.py")
        self._local = threading.local()
        self.citizens: dict[str, set[str]] = collections.defaultdict(set)  # office -> citizens (wa_id)
        self.answers: dict[str, list[dict[str, int]]] = collections.defaultdict(list)  # office -> answer sets
        self.tickets: dict[str, list[str]] = collections.defaultdict(list)  # office -> ticket ids
        self.problems: collections.Counter[str] = collections.Counter()
        self.calls = 0
        self.lock = threading.Lock()
        self.ff = functions_framework

    def client(self, target: str) -> Any:
        clients = self._local.__dict__.setdefault("clients", {})
        if target not in clients:
            clients[target] = self.ff.create_app(target, self.main_py, "http").test_client()
        return clients[target]

    def problem(self, what: str) -> None:
        with self.lock:
            self.problems[what] += 1

    def post_webhook(self, number_id: str, wa_id: str, text: str) -> None:
        raw = meta.encode(meta.inbound(meta.text(wa_id, text), number_id=number_id,
                                       contacts=[meta.contact(wa_id, "Warga Simulasi")]))
        answer = self.client("whatsapp_webhook").post("/", data=raw, headers=meta.signed_headers(APP_SECRET, raw))
        if answer.status_code != 200:
            self.problem(f"webhook answered {answer.status_code}")

    def admin(self, who: str, method: str, path: str, body: Any = None) -> tuple[int, dict[str, Any]]:
        answer = self.client("admin_api").open(path, method=method, json=body,
                                               headers={"X-Jaring-Dev-Identity": who})
        return answer.status_code, answer.get_json(silent=True) or {}

    def form(self, office: str, ticket: str, scores: dict[str, int], now: dt.datetime) -> None:
        from jaring.survey import forms

        token = self.db.collection("tickets").document(ticket).get().get("token")
        body = json.dumps({"kind": "skm", "formId": f"skm-{office}", "responseId": f"R-{ticket}",
                           "submittedAt": now.isoformat().replace("+00:00", "Z"),
                           "answers": form_answers.skm(scores, token)}).encode()
        stamp = str(int(now.timestamp()))
        answer = self.client("form_submit").post("/", data=body, headers={
            "Content-Type": "application/json", forms.TIMESTAMP_HEADER: stamp,
            forms.SIGNATURE_HEADER: forms.sign(FORMS_SECRET, stamp, body)})
        if answer.status_code != 201:
            self.problem(f"form_submit answered {answer.status_code}: {answer.get_data(as_text=True)[:80]}")

    def citizen_day(self, o: dict[str, Any], wa_id: str, now: dt.datetime) -> None:
        """One citizen's visit: a message to the office's number, a ticket opened and completed by an officer
        (the invitation goes out), and (most of the time) the SKM answered with the code."""
        from jaring.survey.responses import UNSUR

        office = o["office"]
        self.post_webhook(offices.number_id(o["n"]), wa_id, "Halo, mau tanya syarat layanan")
        officer = f"petugas@{office}.example.go.id|officer|{office}|{self.rng.choice(UNITS)}"
        status, body = self.admin(officer, "POST", "/tickets", {"phone": wa_id, "consent": True})
        if status != 201 and status != 200:
            self.problem(f"open ticket {status}: {body}")
            return
        ticket = body["ticket"]["id"]
        status, body = self.admin(officer, "POST", f"/tickets/{ticket}/complete")
        if status != 200:
            self.problem(f"complete ticket {status}: {body}")
            return
        with self.lock:
            self.tickets[office].append(ticket)
            self.citizens[office].add(wa_id)
        if self.rng.random() < 0.7:
            scores = {u: self.rng.choices((1, 2, 3, 4), (2, 8, 50, 40))[0] for u in UNSUR}
            self.form(office, ticket, scores, now)
            with self.lock:
                self.answers[office].append(scores)


def graph_messages(standin: StandIn) -> list[tuple[str, str]]:
    """(number id, recipient) of every message the stand-in accepted."""
    out = []
    for r in standin.requests:
        if r["path"].endswith("/messages") and r.get("answer") == 200:
            out.append((r["path"].rstrip("/").split("/")[-2], str(r["json"]["to"]).lstrip("+")))
    return out


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def ikm_text(answer_sets: list[dict[str, int]]) -> str:
    from jaring.reports import ikm, report

    index = ikm.compute(ikm.Tally.of(answer_sets)) if answer_sets else None
    return report.num(index.ikm) if index else "–"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offices", type=int, default=30)
    parser.add_argument("--days", type=int, default=30, help="working days simulated (about 6 weeks at 30)")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--workers", type=int, default=8, help="offices' traffic running at once")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    plan_ = plan(args.offices, args.seed)
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        host = stack.enter_context(emulator.firestore_emulator())
        os.environ.update({"FIRESTORE_EMULATOR_HOST": host, "GOOGLE_CLOUD_PROJECT": PROJECT})
        standin = StandIn(access_token=TOKEN)
        server = stack.enter_context(StandInServer(standin, port=emulator.free_port()))
        from google.cloud import firestore

        from jaring import app as jaring_app, sweep
        from jaring.__main__ import main as jaring_main
        from jaring.clock import FixedClock
        from jaring.config import Settings
        from jaring.messaging.store import Store
        from jaring.whatsapp.graph import GraphClient

        files = [offices.write(Path(tmp), offices.PUSAT, "Kementerian Agama Republik Indonesia", level="pusat")]
        files += [offices.write(Path(tmp), k, f"Kanwil {k}", level="kanwil", parent=offices.PUSAT) for k in KANWILS]
        for o in plan_:
            files.append(offices.write(Path(tmp), o["office"], o["name"], n=o["n"], parent=o["kanwil"], units=UNITS,
                                       staff=[{"email": f"kepala@{o['office']}.example.go.id", "name": "Kepala",
                                               "role": "office_head"}]))
        if all(jaring_main(["config", "load", "--project", PROJECT, *map(str, files)]) != 0 for _ in range(3)):
            raise SystemExit("the offices' files did not load")  # (tried thrice: a fresh emulator can be slow)
        db = firestore.Client(project=PROJECT)
        for o in plan_:
            db.collection("forms").document(f"skm-{o['office']}").set({
                "office": o["office"], "kind": "skm", "unit": "umum", "url": form_answers.SKM_URL,
                "token_entry": form_answers.TOKEN_ENTRY, "items": {}})
        clock = FixedClock(START)
        settings = Settings(project=PROJECT, whatsapp_app_secret=APP_SECRET, whatsapp_verify_token="-",
                            whatsapp_access_token=TOKEN, whatsapp_phone_number_id=meta.OFFICE_NUMBER_ID,
                            whatsapp_api_base=server.base_url, forms_webhook_secret=FORMS_SECRET,
                            wbs_link_key="sim-wbs-key", pseudonym_key="sim-pseudonym-key", emulator_host=host,
                            dev_identity_allowed=True)
        app = jaring_app.Jaring(settings=settings, store=Store(db, timeout=30, pseudonym_key=b"sim-pseudonym-key"),
                                graph=GraphClient(server.base_url, TOKEN, timeout=10), clock=clock,
                                sleep=lambda s: None)
        jaring_app.use(app)
        rng = random.Random(args.seed)
        sim = Sim(db, standin, plan_, rng)
        shared = [f"62819{9000000 + k:07d}" for k in range(max(2, args.offices // 5))]  # citizens of two offices
        day = START
        for d in range(args.days):
            visits = []
            for o in plan_:
                for k in range(rng.randint(0, o["size"])):
                    wa_id = shared[(d + k) % len(shared)] if rng.random() < 0.05 else \
                        f"628{o['n']:03d}{d:03d}{k:04d}"
                    visits.append((o, wa_id))
            rng.shuffle(visits)
            clock.set(day)
            with cf.ThreadPoolExecutor(args.workers) as pool:
                list(pool.map(lambda v: sim.citizen_day(v[0], v[1], day), visits))
            clock.set(day + dt.timedelta(hours=24))  # the next morning: the sweep nudges who did not answer
            sweep.run(app, budget=600)
            day += dt.timedelta(days=3 if day.weekday() == 4 else 1)
        failures = [f"{n}× {what}" for what, n in sim.problems.items()]

        # 1. every message left from its office's number and reached only that office's citizens
        owner = {offices.number_id(o["n"]): o["office"] for o in plan_}
        sent = graph_messages(standin)
        wrong = [(nid, to) for nid, to in sent if nid not in owner or to not in sim.citizens[owner[nid]]]
        failures += [f"a message from number id {nid} went to {to}, not a citizen of {owner.get(nid, '?')}"
                     for nid, to in wrong[:20]]
        per_office = collections.Counter(owner.get(nid, "?") for nid, _ in sent)

        # 2. each office's report is its own simulated answers
        period = f"{START.date()}..{day.date()}"
        reports = sim.client("reports")
        for o in plan_:
            head = f"kepala@{o['office']}.example.go.id|office_head|{o['office']}|"
            got = reports.get("/export.csv", query_string={"period": period}, headers={"X-Jaring-Dev-Identity": head})
            total = next((r for r in csv_rows(got.data) if r["bagian"] == "total"), {})
            expected = exact_ikm(sim.answers[o["office"]])
            shown = float(total["IKM"]) if total.get("IKM") else None
            if int(total.get("responden") or 0) != len(sim.answers[o["office"]]) or (
                    (shown is None) != (expected is None) or (shown is not None and abs(shown - expected) > 1e-3)):
                failures.append(f"{o['office']}: report {total.get('responden')} / {shown}, simulated "
                                f"{len(sim.answers[o['office']])} / {expected}")

        # 3. staff of one office see nothing of another's
        a, b = plan_[0], plan_[1]
        a_head = f"kepala@{a['office']}.example.go.id|office_head|{a['office']}|"
        for ticket in sim.tickets[b["office"]][:5]:
            status, _ = sim.admin(a_head, "GET", f"/tickets/{ticket}")
            if status not in (403, 404):
                failures.append(f"{a['office']}'s head read {b['office']}'s ticket {ticket}: {status}")
        status, listed = sim.admin(a_head, "GET", "/tickets")
        foreign = {t.get("id") for t in listed.get("tickets", [])} & set(sim.tickets[b["office"]])
        if foreign:
            failures.append(f"{a['office']}'s ticket list shows {len(foreign)} of {b['office']}'s tickets")
        if reports.get("/rollup", headers={"X-Jaring-Dev-Identity": a_head}).status_code != 403:
            failures.append("a district office's head opened a roll-up")

        # 4. roll-ups are the sums of their offices
        months = sorted({(START + dt.timedelta(days=k)).strftime("%Y-%m") for k in range((day - START).days + 1)})
        for m in months:
            jaring_main(["rollup", "refresh", "--project", PROJECT, "--period", m])
        rollups = {}
        for over, who, members in [(k, f"kakanwil@{k}|office_head|{k}|", [o for o in plan_ if o["kanwil"] == k])
                                   for k in KANWILS] + [
                (offices.PUSAT, f"perencanaan@pusat|planning|{offices.PUSAT}|", plan_)]:
            got = reports.get("/rollup/export.csv", query_string={"period": period},
                              headers={"X-Jaring-Dev-Identity": who})
            rows = csv_rows(got.data)
            total = next((r for r in rows if r["Kantor"] == "Jumlah"), {})
            answers = [s for o in members for s in sim.answers[o["office"]]]
            names = {r["Kantor"] for r in rows} - {"Jumlah"}
            rollups[over] = {"offices": len(names), "respondents": int(total.get("Responden") or 0),
                             "ikm": total.get("IKM")}
            if names != {o["name"] for o in members}:
                failures.append(f"{over}'s roll-up lists {len(names)} offices, not its {len(members)}")
            if int(total.get("Responden") or 0) != len(answers) or total.get("IKM") != ikm_text(answers):
                failures.append(f"{over}'s roll-up total {total.get('Responden')} / {total.get('IKM')} is not the "
                                f"sum of its offices {len(answers)} / {ikm_text(answers)}")

        # 5. every time stamp stored is declared
        from jaring import indexes

        declared = {(c, f) for c, names in indexes.MONOTONIC_FIELDS.items() for f in names}
        failures += [f"time stamp {c}.{f} is not declared in indexes.MONOTONIC_FIELDS"
                     for c, f in sorted(fields.timestamp_fields(db) - declared)]
        jaring_app.use(None)
    figures = {
        "offices": args.offices, "days": args.days, "seed": args.seed, "workers": args.workers,
        "kanwils": {k: sum(1 for o in plan_ if o["kanwil"] == k) for k in KANWILS},
        "citizens": sum(len(c) for c in sim.citizens.values()),
        "citizens_of_two_offices": sum(1 for w in shared if sum(w in c for c in sim.citizens.values()) > 1),
        "tickets": sum(len(t) for t in sim.tickets.values()),
        "answers": sum(len(a) for a in sim.answers.values()),
        "messages_sent": len(sent), "messages_per_office": {"min": min(per_office.values(), default=0),
                                                            "max": max(per_office.values(), default=0)},
        "rollups": rollups, "wall_seconds": round(time.perf_counter() - started, 1),
        "invariant_failures": failures[:40], "ok": not failures}
    print(json.dumps(figures, indent=1))
    return 0 if not failures else 1


def exact_ikm(answer_sets: list[dict[str, int]]) -> float | None:
    from jaring.reports import ikm

    return float(ikm.compute(ikm.Tally.of(answer_sets)).ikm) if answer_sets else None


if __name__ == "__main__":
    sys.exit(main())
