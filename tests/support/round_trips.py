"""Firestore round trips per handled message, counted on the client itself (not estimated).

`RoundTrips(client)` wraps every RPC method of the client's generated Firestore API (`_firestore_api`:
begin_transaction, batch_get_documents, commit, run_query, …): each call is one round trip to Firestore,
a streamed answer included. `measure(app)` drives each path a citizen or officer causes through the
real entrypoints of functions/main.py, in process, against the emulator and the Graph stand-in, and
counts what one handled message or request costs. Used by bench.webhook_bench and by
tests/integration/test_round_trips.py.
"""
from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import itertools
import json
import threading
import time
from typing import Any, Callable

from tests.support import meta

RPCS = ("batch_get_documents", "batch_write", "begin_transaction", "commit", "create_document",
        "delete_document", "get_document", "list_collection_ids", "list_documents", "listen",
        "partition_query", "rollback", "run_aggregation_query", "run_query", "update_document", "write")
TEXT = "Assalamualaikum, syarat daftar nikah apa saja?"
OFFICER = "petugas@example.go.id|officer|kemenag-bangkalan|umum"
HEAD = "kepala@example.go.id|office_head|kemenag-bangkalan|"


def _field(request: Any, name: str) -> Any:
    return request.get(name) if isinstance(request, dict) else getattr(request, name, None)


def _collection(write: Any) -> str:
    """The collection a Write (a dict or a proto) goes to: from its document's name."""
    for kind in ("update", "delete", "transform"):
        target = _field(write, kind)
        name = target if isinstance(target, str) else (_field(target, "name") or _field(target, "document")
                                                        if target else None)
        if name:
            return name.split("/documents/", 1)[-1].split("/")[-2]
    return "?"


class RoundTrips:
    """Counts the RPCs one Firestore client makes, per method, and the documents they read and wrote as
    Firestore bills them (`documents`: "read", "written"): a get per document asked for (found or not), a
    query per document returned and at least one, a count() one per 1,000 entries counted and at least
    one, a commit per write (a delete included)."""

    def __init__(self, client: Any):
        self.calls: collections.Counter[str] = collections.Counter()
        self.documents: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()
        api = client._firestore_api  # the pinned library's generated client, as store.bound_deadlines
        for name in RPCS:
            setattr(api, name, self._counting(name, getattr(api, name)))

    def _add(self, counter: collections.Counter[str], key: str, n: int) -> None:
        with self._lock:
            counter[key] += n

    def _counting(self, name: str, inner: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kw: Any) -> Any:
            self._add(self.calls, name, 1)
            request = kw.get("request", args[0] if args else None)
            if name in ("commit", "batch_write"):
                writes = _field(request, "writes") or ()
                self._add(self.documents, "written", len(writes))
                for write in writes:
                    self._add(self.documents, "written:" + _collection(write), 1)
            elif name == "batch_get_documents":
                self._add(self.documents, "read", len(_field(request, "documents") or ()))
            elif name == "get_document":
                self._add(self.documents, "read", 1)
            answer = inner(*args, **kw)
            if name == "run_query":
                return self._billed(answer, lambda r: 1 if r.document else 0)
            if name == "run_aggregation_query":
                return self._billed(answer, self._counted)
            return answer
        return call

    @staticmethod
    def _counted(response: Any) -> int:
        fields = response.result.aggregate_fields if response.result else {}
        return sum(-(-int(v.integer_value) // 1000) for v in fields.values()) if fields else 0

    def _billed(self, stream: Any, reads: Callable[[Any], int]) -> Any:
        total = 0
        for response in stream:
            total += reads(response)
            yield response
        self._add(self.documents, "read", max(1, total))

    def during(self, action: Callable[[], Any]) -> tuple[Any, collections.Counter[str]]:
        """What `action` returned, and the round trips it made."""
        result, calls, _ = self.during_with_documents(action)
        return result, calls

    def during_with_documents(self, action: Callable[[], Any]) -> tuple[Any, collections.Counter[str],
                                                                         collections.Counter[str]]:
        """What `action` returned, the round trips it made, and the documents it read and wrote."""
        calls, documents = collections.Counter(self.calls), collections.Counter(self.documents)
        result = action()
        return result, self.calls - calls, self.documents - documents


@dataclasses.dataclass
class Path:
    what: str
    round_trips: float
    by_method: dict[str, float]
    reads: float = 0.0  # documents read, as billed
    writes: float = 0.0  # documents written
    seconds: float = 0.0  # wall time in process (emulator and stand-in on this machine): a figure, never a test
    written_to: dict[str, float] = dataclasses.field(default_factory=dict)  # documents written per collection


@dataclasses.dataclass
class Usage:
    """Round trips per method and documents read/written by some actions, added up."""
    calls: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    documents: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    seconds: float = 0.0

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(self.calls + other.calls, self.documents + other.documents, self.seconds + other.seconds)

    def __sub__(self, other: "Usage") -> "Usage":
        return Usage(self.calls - other.calls, self.documents - other.documents, self.seconds - other.seconds)

    def per(self, what: str, n: int) -> Path:
        return Path(what, sum(self.calls.values()) / n, {k: v / n for k, v in sorted(self.calls.items())},
                    self.documents["read"] / n, self.documents["written"] / n, self.seconds / n,
                    {k.split(":", 1)[1]: v / n for k, v in sorted(self.documents.items()) if k.startswith("written:")})


def measure(app: Any, secret: str, repeat: int = 5, forms_secret: str = "") -> dict[str, Path]:
    """Round trips per handled message on each path, averaged over `repeat` messages (they are integers
    unless a path varies). `app` must be installed as the current app (jaring.app.use) with the seed
    office configuration loaded, the SKM form registered, its clock in office hours, and sign-in by the
    dev identity allowed."""
    import functions_framework

    from jaring import sweep
    from jaring.survey import forms
    from tests.support import forms as form_answers, invitations

    main_py = str(__import__("pathlib").Path(__file__).resolve().parents[2] / "functions" / "main.py")
    webhook = functions_framework.create_app("whatsapp_webhook", main_py, "http").test_client()
    admin = functions_framework.create_app("admin_api", main_py, "http").test_client()
    reports = functions_framework.create_app("reports", main_py, "http").test_client()
    db = app.store.db
    counter = RoundTrips(db)
    numbers = itertools.count(1)
    paths: dict[str, Path] = {}

    def during(action: Callable[[], Any]) -> tuple[Any, Usage]:
        start = time.perf_counter()
        result, calls, documents = counter.during_with_documents(action)
        return result, Usage(calls, documents, time.perf_counter() - start)

    def post(payload: dict[str, Any]) -> None:
        raw = meta.encode(payload)
        answer = webhook.post("/", data=raw, headers=meta.signed_headers(secret, raw))
        assert answer.status_code == 200, answer.get_data(as_text=True)

    def record(key: str, what: str, usage: Usage, n: int) -> None:
        paths[key] = usage.per(what, n)

    post(meta.inbound(meta.text("6281900000000", TEXT)))  # warm-up: the office configuration is read once a minute
    citizens = [f"62819{next(numbers):08d}" for _ in range(repeat)]
    first, again = Usage(), Usage()
    for citizen in citizens:
        first += during(lambda: post(meta.inbound(meta.text(citizen, TEXT))))[1]
    for citizen in citizens:
        again += during(lambda: post(meta.inbound(meta.text(citizen, TEXT))))[1]
    record("inbound_text_first", "a new citizen's first text, answered in the request", first, repeat)
    record("inbound_text", "a returning citizen's text, answered in the request", again, repeat)

    from google.cloud.firestore import FieldFilter

    sent = [s.to_dict() | {"id": s.id} for s in db.collection("outbox")
            .where(filter=FieldFilter("state", "==", "sent")).limit(repeat).get()]
    statuses = Usage()
    for record_ in sent:
        statuses += during(lambda: post(meta.status(record_["wamid"], "delivered", record_["to"],
                                                            callback_data=record_["id"])))[1]
    record("status", "a delivery status of a message Jaring sent", statuses, len(sent))

    def call(method: str, path: str, body: Any = None) -> dict[str, Any]:
        answer = admin.open(path, method=method, json=body, headers={"X-Jaring-Dev-Identity": OFFICER})
        assert answer.status_code < 300, answer.get_data(as_text=True)
        return answer.get_json()

    opened, invited, tickets = Usage(), Usage(), []
    for citizen in citizens:
        answer, counts = during(lambda: call("POST", "/tickets", {"phone": citizen, "consent": True}))
        opened += counts
        ticket = answer["ticket"]["id"]
        answer, counts = during(lambda: call("POST", f"/tickets/{ticket}/complete"))
        assert answer.get("invitation") == "sent", answer
        invited += counts
        tickets.append(ticket)
    record("ticket", "an officer opens a ticket for a citizen (admin_api)", opened, repeat)
    record("invitation", "an officer completes a ticket (admin_api): its survey invitation sent in the request",
           invited, repeat)

    if forms_secret:
        form = functions_framework.create_app("form_submit", main_py, "http").test_client()
        answered = Usage()
        for ticket in tickets:
            token = db.collection("tickets").document(ticket).get().get("token")
            body = json.dumps({"kind": "skm", "formId": form_answers.SKM_FORM, "responseId": f"R{ticket}",
                               "submittedAt": app.clock.now().isoformat(), "answers": form_answers.skm(4, token)})
            stamp = str(int(app.clock.now().timestamp()))
            headers = {"Content-Type": "application/json", forms.TIMESTAMP_HEADER: stamp,
                       forms.SIGNATURE_HEADER: forms.sign(forms_secret, stamp, body.encode())}
            answer, counts = during(lambda: form.post("/", data=body, headers=headers))
            assert answer.status_code == 201, answer.get_data(as_text=True)
            answered += counts
        record("answer", "a citizen's SKM answers from the Google Form (form_submit): stored, aggregated, thanked",
               answered, repeat)

    now = app.clock.now()

    def nudges(due: int) -> Usage:
        for n in range(due):
            invitations.put(db, f"N{next(numbers):09d}", invitations.citizen(500000 + next(numbers)),
                            now - dt.timedelta(hours=25))
        summary, counts = during(lambda: sweep.run(app))
        assert summary.sent == due, summary.as_dict()
        return counts

    few, more = nudges(repeat), nudges(2 * repeat)
    record("nudge", f"a survey reminder sent by the sweep (the difference between sweeps with {repeat} and "
                    f"{2 * repeat} due)", more - few, repeat)

    quarter = f"{now.year}-Q{(now.month - 1) // 3 + 1}"
    report = Usage()
    for _ in range(repeat):
        answer, usage = during(lambda: reports.get(f"/?period={quarter}", headers={"X-Jaring-Dev-Identity": HEAD}))
        assert answer.status_code == 200, answer.get_data(as_text=True)
        report += usage
    record("report", f"the office head opens the dashboard of the quarter ({quarter}; aggregates and counts)",
           report, repeat)
    return paths
