"""A simulated quarter of an office's traffic through the real functions, with an accelerated clock.

  .venv/bin/python -m bench.simulate [--services 833] [--days 90] [--seed N] [--sweep-every 30] [--flow-share 0.5]

Starts the local stack (Firestore emulator, Graph stand-in with delivery statuses, one functions-framework
process per target, the seed configuration loaded with `python -m jaring config load`), then plays the
office's services in simulated time: every process reads the time from one FileClock file
(JARING_CLOCK_FILE) that this script rewrites as time moves. Services come in through the guest-book form,
admin_api, staff WhatsApp commands and QR check-ins; citizens chat first or not, answer the SKM form with
the code from their invitation after 0, 1 or 2 nudges or never, some send BERHENTI, some complain.
With --flow-share above 0 the office's WhatsApp Flow is published (`python -m jaring flows publish`), so the
invitations and nudges open the SKM as a Flow, and that share of the citizens who answer submit it (the
others answer in the chat or on the form, with the same code). The figures then also give, per channel, the
steps from the invitation to a stored answer: taps and messages the citizen needs.
Cloud Scheduler's reminder_sweep is called every --sweep-every simulated minutes (when main.py has it).

Prints the funnel, the IKM report (the reports function's CSV export) and the complaint figures as JSON,
checks the invariants, and exits 1 when one fails. Assumed proportions of services per desk are in DESKS.
"""
from __future__ import annotations

import argparse
import collections
import csv
import dataclasses
import datetime as dt
import heapq
import io
import itertools
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

import requests

from tests.support import emulator, fields, meta
from tests.support.graph_standin import StandIn, StandInServer
from tests.support.localstack import FUNCTIONS, LOCAL_ENV, load_seed, start_function, stop, targets, wait_http

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(FUNCTIONS))  # the jaring package: this script builds the forms' posts with its names
OFFICE = "kemenag-bangkalan"
WIB = dt.timezone(dt.timedelta(hours=7))
START = dt.datetime(2026, 1, 5, tzinfo=WIB)  # a Monday
ADMIN = "admin@example.go.id|admin|kemenag-bangkalan|"
STAFF = {"umum": "628001000001"}  # the officer's number in the seed (its haji officer's unit is served elsewhere now)
ADMIN_NUMBER = "628001000004"
SKM_FORM, LOGBOOK_FORM = "1simSkmForm", "1simLogbookForm"
SKM_URL, TOKEN_ENTRY = "https://docs.google.com/forms/d/e/1FAIpQLSeSIM/viewform", "entry.1017"
INVITE_WITHIN = dt.timedelta(minutes=5)

# ASSUMPTION (no office figures yet): share of a quarter's services per desk. The PTSP counter serves about
# half, led by madrasah education; the 18 KUA together about a third; the 4 madrasah the rest. Hajj and umrah
# (once 0.14 here) are served by the Ministry of Hajj and Umrah now (the seed's served_elsewhere): no tickets.
PTSP = {"pendma": 0.10, "umum": 0.08, "kepegawaian": 0.07, "keuangan": 0.05, "bimas-islam": 0.04,
        "syariah": 0.04, "pontren": 0.03}
KUA = ["kua-bangkalan", "kua-socah", "kua-burneh", "kua-kamal", "kua-arosbaya", "kua-geger", "kua-klampis",
       "kua-sepulu", "kua-tanjung-bumi", "kua-kokop", "kua-kwanyar", "kua-labang", "kua-tanah-merah", "kua-tragah",
       "kua-blega", "kua-modung", "kua-konang", "kua-galis"]
MADRASAH = ["man-bangkalan", "mtsn-1-bangkalan", "mtsn-2-bangkalan", "min-bangkalan"]
DESKS = {**PTSP, **{u: 0.35 / len(KUA) for u in KUA}, **{u: 0.10 / len(MADRASAH) for u in MADRASAH}}
WAYS = {"logbook": 0.45, "admin": 0.20, "qr": 0.20, "staff_chat": 0.15}  # staff_chat only where staff have numbers
ANSWER_AFTER = {0: 0.35, 1: 0.18, 2: 0.10, None: 0.37}  # nudges before the citizen answers (None: never)
SCORE_WEIGHTS = (0.02, 0.08, 0.50, 0.40)  # 1..4
BLANK_SHARE = 0.12  # form answers that leave one or two unsur blank (optional questions)
UNREACHABLE_SHARE = 0.04  # consenting citizens whose number cannot receive WhatsApp: the invitation fails (131026)
EARLY_STOP_SHARE = 0.04  # citizens who chatted first and sent BERHENTI before their service was done
QR_AGREE_SHARE = 0.9  # citizens who tap "Setuju" when the QR check-in asks whether the survey may come
PROFILE_SHARE = 0.7  # citizens answering in the chat or the Flow who also give their profile (sex, education, …)
# ASSUMPTION (no office figures): weights of each profile answer, in the questionnaire's order of choices.
PROFILE_WEIGHTS = {"sex": (50, 50), "education": (10, 15, 40, 8, 22, 4, 1),
                   "occupation": (15, 3, 20, 25, 12, 25), "age_band": (8, 25, 27, 20, 13, 7)}


@dataclasses.dataclass
class Service:
    n: int
    unit: str
    service: str
    way: str
    done_at: dt.datetime
    wa_id: str
    consent: bool
    chats_first: bool
    answer_after: int | None
    opt_out: bool
    complaint: bool
    by_chat: bool  # answers with the in-chat survey instead of the form
    by_flow: bool  # answers in the WhatsApp Flow (when the invitation opened one)
    scores: dict[str, int | None]  # None: left blank (form answers only)
    typed_service: str = ""  # the service as staff typed it (case, list title, a typo); "" for QR check-ins
    profile: dict[str, str] = dataclasses.field(default_factory=dict)  # the profile questions' answers, if given
    unreachable: bool = False
    stops_early: bool = False
    ticket: str = ""
    wrote: list[dt.datetime] = dataclasses.field(default_factory=list)  # the citizen's messages to the office
    invited_at: dt.datetime | None = None
    token: str = ""
    nudges: list[dt.datetime] = dataclasses.field(default_factory=list)
    answered_at: dt.datetime | None = None
    opted_out_at: dt.datetime | None = None
    nudges_before_answer: int | None = None
    flow_invited: bool = False  # the invitation opened the WhatsApp Flow
    steps: dict[str, Any] = dataclasses.field(default_factory=dict)  # invitation → answer, as the citizen did it


def typed(rng: random.Random, service: Any) -> str:
    """A catalogue service as staff type it: its name, in lower case, its list title, or with one typo."""
    words = service.name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    typo = " ".join(w[:len(w) // 2] + w[len(w) // 2 + 1:] if i == longest and len(w) >= 6 else w
                    for i, w in enumerate(words))
    return rng.choice([service.name, service.name.lower(), service.title, typo.lower()])


def plan(services: int, days: int, seed: int, flow_share: float = 0.0) -> list[Service]:
    """The quarter's services (pure, seeded): weekdays 08:00–15:30 WIB, desks and ways by the shares above;
    each a service of its unit's catalogue, typed the way staff type it."""
    from jaring.survey import questionnaire as survey
    from jaring.survey.responses import UNSUR
    from tests.support.dialogue import seed_config

    catalogue = {u.id: u.services for u in seed_config().units}

    rng = random.Random(seed)
    flow_rng = random.Random(seed + 1)  # its own draws: a --flow-share leaves the rest of the quarter as it was
    qr_rng = random.Random(seed + 2)  # whether a QR citizen agrees to the survey at the check-in
    profile_rng = random.Random(seed + 3)  # the profile a citizen gives (PROFILE_WEIGHTS)
    weekdays = [START + dt.timedelta(days=d) for d in range(days) if (START + dt.timedelta(days=d)).weekday() < 5]
    units, shares = zip(*DESKS.items())
    ways, way_shares = zip(*WAYS.items())
    after, after_shares = zip(*ANSWER_AFTER.items())
    out = []
    for n in range(services):
        day = weekdays[n * len(weekdays) // services]
        at = day + dt.timedelta(hours=8, minutes=rng.randrange(0, 450))
        unit = rng.choices(units, shares)[0]
        way = rng.choices(ways, way_shares)[0]
        if way == "staff_chat" and unit not in STAFF:
            way = "admin"
        # Staff open a #layani ticket for a citizen who agreed at the desk; a QR citizen is asked at the check-in.
        consent = qr_rng.random() < QR_AGREE_SHARE if way == "qr" else way == "staff_chat" or rng.random() < 0.9
        answer = rng.choices(after, after_shares)[0] if consent else None
        opt_out = consent and answer is None and rng.random() < 0.12
        unreachable = consent and way in ("logbook", "admin") and rng.random() < UNREACHABLE_SHARE
        stops_early = (consent and not unreachable and way in ("logbook", "admin")
                       and rng.random() < EARLY_STOP_SHARE)
        if unreachable or stops_early:
            answer, opt_out = None, False
        by_chat, by_flow = rng.random() < 0.35, flow_rng.random() < flow_share
        scores: dict[str, int | None] = {u: rng.choices((1, 2, 3, 4), SCORE_WEIGHTS)[0] for u in UNSUR}
        if not by_chat and not by_flow and rng.random() < BLANK_SHARE:
            for u in rng.sample(UNSUR, rng.choice((1, 2))):
                scores[u] = None
        chosen = rng.choice(catalogue[unit])
        profile = {name: profile_rng.choices(choices, PROFILE_WEIGHTS[name])[0][0] for name, _, choices in survey.PROFILE
                   } if (by_chat or by_flow) and profile_rng.random() < PROFILE_SHARE else {}
        out.append(Service(n=n, unit=unit, service=chosen.name, way=way, done_at=at,
                           wa_id=f"6285{seed % 100:02d}{n:07d}", consent=consent,
                           chats_first=stops_early or (not unreachable and rng.random() < 0.3),
                           answer_after=answer, opt_out=opt_out, complaint=not unreachable and rng.random() < 0.02,
                           by_chat=by_chat, by_flow=by_flow, scores=scores, unreachable=unreachable, stops_early=stops_early,
                           typed_service="" if way == "qr" else typed(rng, chosen), profile=profile))
    return out


class Stack:
    """The local stack with every function reading one simulated clock."""

    def __init__(self, es: ExitStack, clock_file: str, with_flow: bool = False):
        log_dir = ROOT / ".local" / "simulate"
        log_dir.mkdir(parents=True, exist_ok=True)
        self.host = es.enter_context(emulator.firestore_emulator(port=emulator.free_port(),
                                                                 log_path=str(log_dir / "firestore.log")))
        ports = {t: emulator.free_port() for t in targets()}
        self.standin = StandIn(access_token=LOCAL_ENV["WHATSAPP_ACCESS_TOKEN"], app_secret=LOCAL_ENV["WHATSAPP_APP_SECRET"],
                               webhook_url=f"http://127.0.0.1:{ports['whatsapp_webhook']}/", auto_status=True,
                               clock_file=clock_file)
        server = es.enter_context(StandInServer(self.standin, port=emulator.free_port()))
        self.env = {**os.environ, **LOCAL_ENV, "FIRESTORE_EMULATOR_HOST": self.host, "JARING_CLOCK_FILE": clock_file,
                    "WHATSAPP_API_BASE": server.base_url, "PYTHONPATH": str(FUNCTIONS)}
        load_seed(self.env)
        for form, kind, extra in ((SKM_FORM, "skm", ["--url", SKM_URL, "--token-entry", TOKEN_ENTRY]),
                                  (LOGBOOK_FORM, "logbook", [])):
            subprocess.run([sys.executable, "-m", "jaring", "forms", "register", form, "--kind", kind, "--unit", "umum",
                            *extra], cwd=FUNCTIONS, env=self.env, check=True, capture_output=True)
        if with_flow:  # the seed office invites by Flow ([survey] path = "flow") once it is published
            subprocess.run([sys.executable, "-m", "jaring", "flows", "publish"], cwd=FUNCTIONS, env=self.env,
                           check=True, capture_output=True)
        for target, port in ports.items():
            es.callback(stop, start_function(target, port, self.env, log_dir))
        self.urls = {t: f"http://127.0.0.1:{p}" for t, p in ports.items()}
        for url in self.urls.values():
            wait_http(url + "/")
        os.environ["FIRESTORE_EMULATOR_HOST"] = self.host
        from google.cloud import firestore

        self.db = firestore.Client(project=LOCAL_ENV["GOOGLE_CLOUD_PROJECT"])
        self.http = requests.Session()


class Simulation:
    def __init__(self, stack: Stack, clock_file: str, services: list[Service], end: dt.datetime, sweep_every: int):
        self.stack, self.clock_file, self.services, self.end = stack, clock_file, services, end
        self.sweep_every = sweep_every
        self.now = START
        self.events: list = []
        self.seq = itertools.count()
        self.rng = random.Random(len(services))
        self.by_wa_id: dict[str, Service] = {}
        self.seen = 0  # stand-in requests looked at so far
        self.sent: list[dict[str, Any]] = []  # accepted messages: outbox id, purpose, to, simulated time
        self.purposes: dict[str, str] = {}
        self.problems: collections.Counter = collections.Counter()
        self.complaints = 0
        self.wbs_reports = 0
        self.wbs_referred = False  # the hotline points to the ministry's WBS site instead of taking reports
        self.sweeps = collections.Counter()

    # -- time and events ---------------------------------------------------------------------------
    def at(self, moment: dt.datetime, action: Callable[..., None], *args: Any) -> None:
        if moment <= self.end:
            heapq.heappush(self.events, (moment, next(self.seq), action, args))

    def set_time(self, moment: dt.datetime) -> None:
        self.now = moment
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(self.clock_file))
        with os.fdopen(fd, "w") as f:
            f.write(moment.astimezone(dt.timezone.utc).isoformat())
        os.replace(tmp, self.clock_file)  # every reader sees a whole time

    def run(self) -> None:
        self.stack.standin.unreachable = {s.wa_id for s in self.services if s.unreachable}
        # the quarter's one violation report, by a citizen who can read the intake's questions
        self.violation_by = next((s.n for s in self.services[len(self.services) // 2:]
                                  if not s.unreachable and not s.stops_early), -1)
        for s in self.services:
            self.by_wa_id[s.wa_id] = s
            self.schedule_service(s)
        if "reminder_sweep" in self.stack.urls:
            moment = START + dt.timedelta(minutes=self.sweep_every)
            while moment <= self.end:
                self.at(moment, self.sweep)
                moment += dt.timedelta(minutes=self.sweep_every)
        while self.events:
            moment, _, action, args = heapq.heappop(self.events)
            self.set_time(moment)
            action(*args)
            self.observe()
        self.set_time(self.end)
        time.sleep(0.5)  # the last delivery statuses (posted by the stand-in's threads) arrive
        self.observe()

    def schedule_service(self, s: Service) -> None:
        # The guest book messages only numbers that wrote to the office before: its visitors greeted the hotline.
        if s.chats_first or s.way == "logbook":  # greets the hotline (and gets the notice with its answer) first
            first = s.done_at - dt.timedelta(minutes=self.rng.randrange(60, 600))
            self.at(first, self.chat, s, "Halo, selamat pagi")
            self.at(first + dt.timedelta(minutes=1), self.chat, s, "YA")  # answered with the menu: no agreement
            if s.stops_early:  # before the service: no invitation may follow
                self.at(first + dt.timedelta(minutes=2), self.stop_messages, s)
        opened = s.done_at - dt.timedelta(minutes=self.rng.randrange(10, 60))
        if s.way == "logbook":
            self.at(s.done_at, self.logbook, s)
        elif s.way == "admin":
            self.at(opened, self.admin_open, s)
            self.at(s.done_at, self.admin_complete, s)
        elif s.way == "staff_chat":
            self.at(opened, self.staff, STAFF[s.unit], f"#layani 0{s.wa_id[2:]} {s.typed_service}")
            self.at(s.done_at, self.staff, STAFF[s.unit], f"#selesai 0{s.wa_id[2:]}")
        else:  # the check-in asks whether the survey may come to this number (issue 13); the citizen taps an answer
            self.at(opened, self.chat, s, f"Assalamualaikum. Kode: MASUK-{s.unit.upper()}")
            self.at(opened + dt.timedelta(minutes=1), self.webhook, s.wa_id,
                    meta.button_reply(s.wa_id, *(("c:yes", "Setuju") if s.consent else ("c:no", "Tidak setuju"))))
            self.at(s.done_at, self.staff, ADMIN_NUMBER, f"#selesai 0{s.wa_id[2:]}")
        if s.complaint:
            self.at(s.done_at + dt.timedelta(hours=2), self.complain, s)
        if s.n == self.violation_by:
            self.at(s.done_at + dt.timedelta(days=1), self.report_violation, s)

    # -- the ways in ---------------------------------------------------------------------------------
    def chat(self, s: Service, text: str) -> None:
        self.webhook(s.wa_id, meta.text(s.wa_id, text))

    def webhook(self, wa_id: str, message: dict[str, Any]) -> None:
        if wa_id in self.by_wa_id:
            self.by_wa_id[wa_id].wrote.append(self.now)
        status = self.stack.standin.citizen_says(wa_id, "Warga Simulasi", message)
        if status != 200:
            self.problems[f"webhook answered {status}"] += 1

    def staff(self, number: str, text: str) -> None:
        self.webhook(number, meta.text(number, text))

    def logbook(self, s: Service) -> None:
        from jaring.survey import forms

        t = forms.LOGBOOK_TITLES
        answers = [{"itemId": "2001", "title": t["name"], "value": "Warga Simulasi"},
                   {"itemId": "2002", "title": t["phone"], "value": "0" + s.wa_id[2:]},
                   {"itemId": "2003", "title": t["service"], "value": s.typed_service},
                   {"itemId": "2004", "title": t["unit"], "value": s.unit},
                   {"itemId": "2007", "title": t["done"], "value": "Ya"}]
        if s.consent:
            answers.append({"itemId": "2006", "title": t["consent"], "value": [forms.CONSENT_TEXT]})
        answer = self.form("logbook", LOGBOOK_FORM, f"lb{s.n}", answers)
        s.ticket = answer.get("ticket", "")

    def form(self, kind: str, form_id: str, response_id: str, answers: list[dict[str, Any]]) -> dict[str, Any]:
        """A post signed exactly as docs/forms/submit.gs signs it ("timestamp.body", HMAC-SHA256)."""
        from jaring.survey import forms

        body = json.dumps({"kind": kind, "formId": form_id, "responseId": response_id,
                           "submittedAt": self.now.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z"),
                           "answers": answers}).encode()
        stamp = str(int(self.now.timestamp()))
        answer = self.stack.http.post(self.stack.urls["form_submit"] + "/", data=body, headers={
            "Content-Type": "application/json", forms.TIMESTAMP_HEADER: stamp,
            forms.SIGNATURE_HEADER: forms.sign(LOCAL_ENV["FORMS_WEBHOOK_SECRET"], stamp, body)}, timeout=60)
        if answer.status_code != 201:
            self.problems[f"form_submit {kind} answered {answer.status_code}"] += 1
        return answer.json() if answer.headers.get("Content-Type", "").startswith("application/json") else {}

    def admin(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        answer = self.stack.http.request(method, self.stack.urls["admin_api"] + path, json=body or {}, timeout=60,
                                         headers={"X-Jaring-Dev-Identity": ADMIN})
        if answer.status_code not in (200, 201):
            self.problems[f"admin_api {method} {path.split('/')[1]} answered {answer.status_code}"] += 1
        return answer.json()

    def admin_open(self, s: Service) -> None:
        answer = self.admin("POST", "/tickets", {"unit": s.unit, "service": s.typed_service, "phone": "0" + s.wa_id[2:],
                                                 "consent": s.consent, "request_id": f"sim-{s.n}"})
        s.ticket = answer.get("ticket", {}).get("id") or answer.get("ticket", {}).get("ref") or ""

    def admin_complete(self, s: Service) -> None:
        if s.ticket:
            self.admin("POST", f"/tickets/{s.ticket}/complete")

    def complain(self, s: Service) -> None:
        if self.intake(s, "m:pengaduan", "Pengaduan", "Antrean di loket lama sekali dan petugas tidak ada di "
                       "tempat, kemarin pagi.", r"Nomor pengaduan|\bP-[0-9A-Z]{4,}"):
            self.complaints += 1
        else:
            self.problems["complaint intake ended without a complaint number"] += 1

    def report_violation(self, s: Service) -> None:
        """One WBS report a quarter; where the hotline only points to the ministry's WBS site, that is noted."""
        if self.intake(s, "m:wbs", "Lapor pelanggaran", "Petugas meminta uang Rp200.000 agar berkas cepat selesai.",
                       r"\bWBS-[0-9A-Z]{4,}", referred=r"wbs\.kemenag\.go\.id"):
            self.wbs_reports += 1
        elif not self.wbs_referred:
            self.problems["WBS intake ended without a report code"] += 1

    def intake(self, s: Service, menu_id: str, title: str, text: str, receipt: str, referred: str = "") -> bool:
        """Through the menu, after agreeing to the notice (a "YA" too many is answered as small talk), then
        answering whatever the intake asks (a text, or the choice to send / skip / keep it as it is) until
        the receipt arrives."""
        self.chat(s, "Halo")
        self.chat(s, "YA")
        self.webhook(s.wa_id, meta.list_reply(s.wa_id, menu_id, title))
        for _ in range(12):
            asked = [e["message"] for e in self.stack.standin.conversation(s.wa_id) if e["dir"] == "out"]
            said = json.dumps(asked[-1] if asked else {}, ensure_ascii=False)
            if re.search(receipt, said):
                return True
            if referred and re.search(referred, said):
                self.wbs_referred = True
                return False
            choice = _choice(asked[-1] if asked else {})
            if choice:
                kind, choice_id, choice_title = choice
                builder = meta.button_reply if kind == "button" else meta.list_reply
                self.webhook(s.wa_id, builder(s.wa_id, choice_id, choice_title))
            else:
                self.chat(s, text)
        return False

    def sweep(self) -> None:
        answer = self.stack.http.post(self.stack.urls["reminder_sweep"] + "/", timeout=120)
        self.sweeps[answer.status_code] += 1

    # -- the citizen's side ----------------------------------------------------------------------------
    def observe(self) -> None:
        """Look at the messages the stand-in accepted since last time; citizens react to theirs."""
        requests_ = self.stack.standin.requests
        new, self.seen = requests_[self.seen:], len(requests_)
        for record in new:
            if record["answer"] is None:  # still in flight: look again next time
                self.seen = min(self.seen, requests_.index(record))
                break
            if record["answer"] != 200 or not record["path"].endswith("/messages"):
                continue
            body = record["json"]
            oid = body.get("biz_opaque_callback_data") or ""
            if oid and oid not in self.purposes:
                doc = self.stack.db.collection("outbox").document(oid).get()
                self.purposes[oid] = (doc.to_dict() or {}).get("purpose", "?")
            purpose = self.purposes.get(oid, "?")
            sent_at = dt.datetime.fromisoformat(record["sim_at"])
            self.sent.append({"id": oid, "purpose": purpose, "to": body.get("to"), "at": sent_at})
            s = self.by_wa_id.get(str(body.get("to", "")).lstrip("+"))
            if s is not None and purpose in ("invitation", "nudge"):
                self.invited_or_nudged(s, purpose, sent_at, body)

    def invited_or_nudged(self, s: Service, purpose: str, sent_at: dt.datetime, body: dict[str, Any]) -> None:
        if purpose == "invitation":
            s.invited_at = sent_at
            found = (re.search(re.escape(TOKEN_ENTRY) + r"=([A-Za-z0-9_\-]+)", json.dumps(body))
                     or re.search(r'"flow_token": "([A-Za-z0-9_\-]+)"', json.dumps(body)))
            s.token = found.group(1) if found else ""
            s.flow_invited = '"flow_token"' in json.dumps(body)
            if s.opt_out:
                self.at(sent_at + dt.timedelta(minutes=self.rng.randrange(5, 600)), self.stop_messages, s)
        else:
            s.nudges.append(sent_at)
        if s.answer_after == len(s.nudges) and s.answered_at is None:
            self.at(sent_at + dt.timedelta(minutes=self.rng.randrange(3, 360)), self.answer, s)

    def stop_messages(self, s: Service) -> None:
        self.chat(s, "BERHENTI")
        s.opted_out_at = self.now

    def answer(self, s: Service) -> None:
        if s.answered_at is not None:
            return
        if s.by_flow and s.flow_invited:
            self.answer_flow(s)
        else:
            (self.answer_in_chat if s.by_chat else self.answer_form)(s)
        s.answered_at, s.nudges_before_answer = self.now, len(s.nudges)

    def answer_flow(self, s: Service) -> None:
        """The Flow opened from the invitation: a tap to open it, one per unsur, Lanjut, Kirim; WhatsApp sends
        the completion (nfm_reply) as the citizen's one message."""
        from jaring.survey.flow import sample_completion

        self.webhook(s.wa_id, meta.flow_reply(s.wa_id, sample_completion(s.token, s.scores, s.profile)))
        s.steps = {"channel": "flow", "taps": 1 + len(s.scores) + 2, "messages_typed": 0, "messages_sent": 1,
                   "leaves_whatsapp": False}

    def answer_in_chat(self, s: Service) -> None:
        """SURVEI, then a choice from each question's list, the profile when the citizen gives it, no suggestion."""
        from jaring.survey import questionnaire as survey

        self.chat(s, "SURVEI")
        asked = [e for e in self.stack.standin.conversation(s.wa_id) if e["dir"] == "out"]
        found = re.search(r"svy:([0-9A-Z]{10}):", json.dumps(asked[-1]["message"]) if asked else "")
        if not found:
            self.problems["SURVEI did not start the in-chat survey"] += 1
            return
        choices = [f"{u}:{s.scores[u]}" for u, _ in survey.QUESTIONS]
        choices += [f"{name}:{s.profile.get(name, survey.SKIP)}" for name, _, _ in survey.PROFILE]
        choices += [f"{survey.SUGGESTION}:{survey.SKIP}"]
        for choice in choices:
            self.webhook(s.wa_id, meta.list_reply(s.wa_id, f"svy:{found.group(1)}:{choice}", choice))
        # A list answer is two taps (open the list, pick a row), the last one a button; SURVEI is typed.
        s.steps = {"channel": "chat", "taps": 2 * (len(choices) - 1) + 1, "messages_typed": 1,
                   "messages_sent": 1 + len(choices), "leaves_whatsapp": False}

    def answer_form(self, s: Service) -> None:
        from jaring.survey import forms, questionnaire as survey
        from jaring.survey.responses import LABELS

        if not s.token:
            self.problems["invitation without the form code"] += 1
            return
        answers = [{"itemId": str(1002 + i), "title": q, "value": LABELS[u][s.scores[u] - 1]}
                   for i, (u, q) in enumerate(survey.QUESTIONS) if s.scores[u] is not None]  # blanks left out
        answers.append({"itemId": "1017", "title": forms.TOKEN_TITLE, "value": s.token})
        answers.append({"itemId": "1030", "title": survey.SUGGESTION_QUESTION, "value": ""})
        self.form("skm", SKM_FORM, f"skm{s.n}", answers)
        # The button opens the browser; one tap per question, then Kirim (a Google Form's radio questions).
        s.steps = {"channel": "form", "taps": 1 + len(answers) - 2 + 1, "messages_typed": 0, "messages_sent": 0,
                   "leaves_whatsapp": True}


PREFERRED = re.compile(r"kirim|tetap|lewati|tidak ada|umum|wbs", re.I)


def _choice(message: dict[str, Any]) -> tuple[str, str, str] | None:
    """The choice a complaining citizen taps in a message with buttons or a list: send, keep it a
    complaint, skip, or the first unit; None for a question to answer in words."""
    action = (message.get("interactive") or {}).get("action") or {}
    options = [("button", b["reply"]["id"], b["reply"]["title"]) for b in action.get("buttons", [])]
    options += [("list", r["id"], r["title"]) for section in action.get("sections", []) for r in section["rows"]]
    preferred = [o for o in options if PREFERRED.search(o[2])]
    return (preferred or options or [None])[0]


# -- invariants and figures ------------------------------------------------------------------------------
def office_policy() -> Any:
    """The seed office's nudge policy, as the functions build it: polite hours, Friday prayers, its working days
    and holidays ([survey.nudges] and [hours])."""
    from jaring.survey import nudges
    from tests.support.dialogue import seed_config

    config = seed_config()
    return nudges.Policy.from_config(config.survey.nudges, config.hours)


def in_window(s: Service) -> bool:
    """Whether the citizen wrote to the office in the 24 hours before the service was done."""
    return any(dt.timedelta(0) <= s.done_at - at < dt.timedelta(hours=24) for at in s.wrote)


def invitation_due(sim: Simulation, s: Service, policy: Any) -> dt.datetime:
    """When the invitation may go: at the service's completion when the citizen wrote to the office in the last
    24 hours (a free-form reply); otherwise it is a template, which waits in the outbox (queued) for the next
    polite moment of a working day (9942eb3: not during Friday prayers, not on a holiday) and is sent by the first
    reminder sweep from then on."""
    from jaring.survey import nudges

    if in_window(s):
        return s.done_at
    allowed = nudges.next_allowed(s.done_at, policy)
    if allowed <= s.done_at:
        return s.done_at
    every = dt.timedelta(minutes=sim.sweep_every)
    return START + -(-(allowed - START) // every) * every  # the first sweep at or after that moment


def check_invitations(sim: Simulation) -> list[str]:
    """Every consenting reachable citizen invited within 5 simulated minutes of the moment the invitation may go
    (invitation_due); nobody without consent, with a number WhatsApp refuses, or who sent BERHENTI before."""
    from jaring.survey import nudges

    policy = office_policy()
    late = [s.n for s in sim.services if s.consent and not s.unreachable and not s.stops_early
            and (s.invited_at is None or s.invited_at - invitation_due(sim, s, policy) > INVITE_WITHIN)]
    unasked = [s.n for s in sim.services if (not s.consent or s.unreachable or s.stops_early)
               and s.invited_at is not None]
    impolite = [s.n for s in sim.services
                if s.invited_at and not in_window(s) and nudges.blocked(s.invited_at, policy)]
    out = [f"{len(impolite)} template invitations sent outside polite hours (services {impolite[:10]})"
           ] if impolite else []
    if late:
        out.append(f"{len(late)} consenting citizens not invited within 5 minutes of when the invitation may go "
                   f"(services {late[:10]})")
    if unasked:
        out.append(f"{len(unasked)} citizens without consent were invited (services {unasked[:10]})")
    return out


def check_nudges(sim: Simulation) -> list[str]:
    try:
        from jaring.survey import nudges
    except ImportError:
        return []  # no reminder sweep yet: no nudges to check
    policy = office_policy()
    out = []
    for s in sim.services:
        for n, moment in enumerate(s.nudges, 1):
            why = nudges.blocked(moment, policy)
            if why:
                out.append(f"service {s.n}: nudge {n} at {moment.astimezone(WIB):%a %Y-%m-%d %H:%M} WIB ({why})")
            if n > policy.max_nudges:
                out.append(f"service {s.n}: nudge {n} beyond the cap of {policy.max_nudges}")
            if s.opted_out_at and moment > s.opted_out_at:
                out.append(f"service {s.n}: nudge after BERHENTI")
            if s.answered_at and moment > s.answered_at:
                out.append(f"service {s.n}: nudge after the answer")
    return out


def check_duplicates(sim: Simulation) -> list[str]:
    counts = collections.Counter(m["id"] for m in sim.sent if m["id"])
    doubled = {oid: n for oid, n in counts.items() if n > 1}
    missing = sum(1 for m in sim.sent if not m["id"])
    out = [f"{len(doubled)} outbox records accepted more than once: {list(doubled)[:5]}"] if doubled else []
    return out + ([f"{missing} messages without their outbox id"] if missing else [])


def exported_report(sim: Simulation, period: str) -> dict[tuple[str, str], dict[str, str]]:
    """The reports function's CSV export: (part, name) → row."""
    answer = sim.stack.http.get(sim.stack.urls["reports"] + "/export.csv", params={"period": period},
                                headers={"X-Jaring-Dev-Identity": ADMIN}, timeout=60)
    answer.raise_for_status()
    return {(r["bagian"], r["nama"]): r for r in csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig")))}


def expected_ikm(scores: list[dict[str, int | None]]) -> Fraction | None:
    """IKM by PermenPANRB 14/2017 computed here from the generated answers: mean NRR of the 9 unsur × 25, each
    NRR over the answers that unsur got (a blank is no answer); None when an unsur got no answer at all."""
    unsur = scores[0].keys()
    given = {u: [s[u] for s in scores if s[u] is not None] for u in unsur}
    if not all(given.values()):
        return None
    return sum(Fraction(sum(v), len(v)) for v in given.values()) / len(unsur) * 25


def check_report(sim: Simulation, period: str) -> tuple[list[str], dict[str, Any]]:
    """Respondents and IKM (blanks divided out per unsur), total and per unit, as the generated answers give them;
    units by their names and services by the catalogue's names, one row per service however it was typed."""
    from tests.support.dialogue import seed_config

    config = seed_config()
    names = seed_unit_names()
    catalogue = {s.name for u in config.units for s in u.services} | {"(layanan tidak disebut)"}
    answered = [s for s in sim.services if s.answered_at]
    exported = exported_report(sim, period)
    out = []
    total = exported.get(("total", "Semua"), {})
    if int(total.get("responden") or 0) != len(answered):
        out.append(f"report total respondents {total.get('responden')} != {len(answered)} answers sent")
    by_unit = collections.defaultdict(list)
    for s in answered:
        by_unit[s.unit].append(s.scores)
    for unit, scores in by_unit.items():
        row = exported.get(("unit", names[unit]), {})
        ikm = expected_ikm(scores)
        shown = float(row["IKM"]) if row.get("IKM") else None
        if int(row.get("responden") or 0) != len(scores) or (ikm is None) != (shown is None) or (
                ikm is not None and abs(shown - float(ikm)) > 1e-3):
            out.append(f"unit {unit}: report says {row.get('responden')} respondents, IKM {row.get('IKM')}; "
                       f"generated {len(scores)}, IKM {'–' if ikm is None else f'{float(ikm):.4f}'}")
    shown_units = {name for part, name in exported if part == "unit"}
    if shown_units - set(names.values()):
        out.append(f"units shown by something other than their names: {sorted(shown_units - set(names.values()))}")
    services = collections.Counter(s.service if s.way != "qr" else "(layanan tidak disebut)" for s in answered)
    shown_services = {name: int(row["responden"]) for (part, name), row in exported.items() if part == "layanan"}
    if set(shown_services) - catalogue:
        out.append(f"services not from the catalogue: {sorted(set(shown_services) - catalogue)[:5]}")
    differ = {name: (shown_services.get(name), services.get(name)) for name in set(shown_services) | set(services)
              if shown_services.get(name) != services.get(name)}
    if differ:
        out.append(f"respondents per service (report, generated) differ: {dict(list(differ.items())[:5])}")
    blanks = sum(1 for s in answered for v in s.scores.values() if v is None)
    figures = {"respondents": int(total.get("responden") or 0), "ikm": total.get("IKM"), "mutu": total.get("mutu"),
               "ikm_expected": round(float(expected_ikm([s.scores for s in answered]) or 0), 4) if answered else None,
               "answers_with_blanks": sum(1 for s in answered if None in s.scores.values()), "blank_unsur": blanks,
               "services_typed": len({s.typed_service for s in sim.services if s.typed_service}),
               "services_in_report": len(shown_services)}
    return out, figures


def check_funnel(sim: Simulation, period_text: str) -> tuple[list[str], dict[str, Any]]:
    from jaring.reports import report
    from jaring.reports.store import ReportStore

    period = report.parse_period(period_text, sim.end.date())
    loaded = ReportStore(sim.stack.db).load(report.Scope(OFFICE), period, sim.end.astimezone(dt.timezone.utc))
    funnel, complaints = loaded.funnel, loaded.complaints
    answered = [s for s in sim.services if s.answered_at]
    generated = {"served": len(sim.services), "went_out": sum(1 for s in sim.services if s.invited_at),
                 "answered": len(answered), "no_consent": sum(1 for s in sim.services if not s.consent),
                 "failed": sum(1 for s in sim.services if s.unreachable),
                 "opted_out": sum(1 for s in sim.services if s.stops_early),
                 "after_nudge": [sum(1 for s in answered if min(s.nudges_before_answer, 2) == k) for k in range(3)]}
    generated |= {"flow_invited": sum(1 for s in sim.services if s.flow_invited),
                  "flow_answered": sum(1 for s in answered if s.flow_invited)}
    reported = {"served": funnel.served, "went_out": funnel.went_out, "answered": funnel.answered,
                "no_consent": funnel.no_consent, "failed": funnel.count(report.FAILED),
                "opted_out": funnel.count(report.OPTED_OUT), "after_nudge": list(funnel.after_nudge),
                "flow_invited": funnel.flow_invited, "flow_answered": funnel.flow_answered}
    out = [f"funnel {k}: report {reported[k]} != generated {v}" for k, v in generated.items() if reported[k] != v]
    invitations = sum(1 for _ in sim.stack.db.collection("invitations").stream())
    if sum(funnel.states.values()) != funnel.invited or funnel.invited != invitations:
        out.append(f"funnel states add up to {sum(funnel.states.values())}, {invitations} invitations stored")
    if funnel.invited + funnel.no_consent != len(sim.services):
        out.append(f"funnel: {funnel.invited} invitations + {funnel.no_consent} without consent "
                   f"!= {len(sim.services)} services")
    received = complaints.received if complaints else 0
    if received != sim.complaints:
        out.append(f"complaints: report {received} != generated {sim.complaints}")
    stored_wbs = sum(1 for _ in sim.stack.db.collection("wbs_reports").stream())  # reports never read them
    if stored_wbs != sim.wbs_reports:
        out.append(f"WBS reports: {stored_wbs} stored != {sim.wbs_reports} made")
    figures = {"funnel": reported | {"invitations": funnel.invited, "states": dict(funnel.states),
                                     "failures": dict(funnel.failures)},
               "complaints": dataclasses.asdict(complaints) if complaints else {"received": 0},
               "wbs": {"reports": stored_wbs, "referred_to_the_ministry_site": sim.wbs_referred}}
    return out, figures


def seed_unit_names() -> dict[str, str]:
    """Unit id → the name the reports show (the seed office file's titles)."""
    from jaring.offices.store import read_file
    from jaring.reports.report import Names

    return dict(Names.of(read_file(FUNCTIONS / "jaring" / "offices" / "seed" / f"{OFFICE}.toml").config).units)


def steps_per_channel(services: list[Service]) -> dict[str, dict[str, Any]]:
    """Mean taps and messages from the invitation to a stored answer, per channel the citizens used."""
    by_channel: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for s in services:
        if s.answered_at and s.steps:
            by_channel[s.steps["channel"]].append(s.steps)
    return {channel: {"answers": len(rows),
                      **{k: round(sum(r[k] for r in rows) / len(rows), 1)
                         for k in ("taps", "messages_typed", "messages_sent")},
                      "leaves_whatsapp": rows[0]["leaves_whatsapp"]} for channel, rows in sorted(by_channel.items())}


def check_timestamp_fields(sim: Simulation) -> tuple[list[str], list[str]]:
    """Every time stamp the run stored is declared in jaring.indexes.MONOTONIC_FIELDS (which Terraform exempts
    from single-field indexes unless a query needs them: tests/infra/test_indexes.py)."""
    from jaring import indexes

    stored = fields.timestamp_fields(sim.stack.db)
    declared = {(c, f) for c, names in indexes.MONOTONIC_FIELDS.items() for f in names}
    return [f"time stamp {c}.{f} is not declared in jaring/indexes.py MONOTONIC_FIELDS"
            for c, f in sorted(stored - declared)], [f"{c}.{f}" for c, f in sorted(stored)]


def screens(stack: Stack, out: Path, period: str) -> list[str]:
    """The office's dashboard, notice and public page of the simulated period, then its quarter's month summaries
    written (`python -m jaring rollup refresh`) and the Kanwil's and the ministry's roll-ups and the national
    public page as they show this office (files named quarter-…)."""
    from tests.support import report_screens, rollup_screens

    done = report_screens.capture(stack.urls["reports"], out, f"period={period}")
    quarter = f"{START.year}-Q{(START.month - 1) // 3 + 1}"
    refreshed = subprocess.run([sys.executable, "-m", "jaring", "rollup", "refresh", "--office", OFFICE,
                                "--period", quarter], cwd=FUNCTIONS, env=stack.env, capture_output=True, text=True)
    done.append((refreshed.stdout + refreshed.stderr).strip())
    return done + rollup_screens.capture(stack.urls["reports"], out, quarter, START.year, prefix="quarter-",
                                         sizes=("1280,900", "1280,900", "1280,800"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=833)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--sweep-every", type=int, default=30, help="simulated minutes between reminder sweeps")
    parser.add_argument("--flow-share", type=float, default=0.5,
                        help="share of answering citizens who answer in the WhatsApp Flow (0: no Flow published)")
    parser.add_argument("--screens", help="also screenshot the dashboard, notice and public page of the simulated "
                                          "period, and the quarter's roll-ups (quarter-*.png), into this folder "
                                          "(Debian chromium)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the stack's processes are stopped too
    started = time.perf_counter()
    services = plan(args.services, args.days, args.seed, args.flow_share)
    end = START + dt.timedelta(days=args.days)
    period = f"{START.date()}..{(end - dt.timedelta(days=1)).date()}"
    with ExitStack() as es, tempfile.TemporaryDirectory() as tmp:
        clock_file = os.path.join(tmp, "clock")
        Path(clock_file).write_text(START.isoformat())
        stack = Stack(es, clock_file, with_flow=args.flow_share > 0)
        sim = Simulation(stack, clock_file, services, end, args.sweep_every)
        sim.run()
        if args.screens:  # first, so a failed check below still leaves the pages to look at
            print("\n".join(screens(stack, Path(args.screens), period)), file=sys.stderr)
        failures = check_invitations(sim) + check_nudges(sim) + check_duplicates(sim)
        failures += [f"{n}× {what}" for what, n in sim.problems.items()]
        report_failures, ikm_figures = check_report(sim, period)
        funnel_failures, funnel_figures = check_funnel(sim, period)
        failures += report_failures + funnel_failures
        stamp_failures, stamps = check_timestamp_fields(sim)
        failures += stamp_failures
        stored = fields.storage(stack.db)
    figures = {
        "services": args.services, "days": args.days, "seed": args.seed, "period": period,
        "ways_in": dict(collections.Counter(s.way for s in services)),
        "flow_share": args.flow_share,
        "answered_by": dict(collections.Counter(s.steps.get("channel", "?") for s in services if s.answered_at)),
        "steps_to_answer": steps_per_channel(services),
        "consenting": sum(1 for s in services if s.consent), "opted_out": sum(1 for s in services if s.opted_out_at),
        "messages": dict(collections.Counter(m["purpose"] for m in sim.sent)),
        "nudges_per_invitation": dict(sorted(collections.Counter(len(s.nudges) for s in services if s.invited_at).items())),
        "planned_answer_after": {str(k): sum(1 for s in services if s.consent and s.answer_after == k)
                                 for k in ANSWER_AFTER},
        "sweeps": dict(sim.sweeps), "timestamp_fields": stamps, "stored": stored, "wall_seconds": round(time.perf_counter() - started, 1),
        **funnel_figures, "ikm": ikm_figures, "invariant_failures": failures[:40], "ok": not failures}
    print(json.dumps(figures, indent=1, default=str))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
