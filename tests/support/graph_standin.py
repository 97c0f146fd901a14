"""A local stand-in for the WhatsApp Cloud API (Graph API), for tests, benchmarks and the local stack.

It answers POST {base}/{phone_number_id}/messages like Meta does, records every request, and can be
told to answer errors (HTTP status + Meta error code) or to stall past the client's timeout. It also keeps
the WhatsApp Flows an operator creates (GET/POST {waba}/flows, POST {flow}/assets with the multipart
flow.json, POST {flow}/publish), so the chat page can render a Flow message as its form.
With a webhook URL and the app secret it also plays the citizen's phone: the chat page at / lets
a person write as a citizen (the stand-in signs and posts the webhook exactly as Meta would) and
shows the bot's answers; it can post the sent/delivered/read statuses back.
"""
from __future__ import annotations

import itertools
import json
import random
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import requests

from tests.support import meta

CHAT_PAGE = Path(__file__).with_name("chat.html")


@dataclass
class Scripted:
    status: int = 200
    code: int | None = None
    message: str = ""
    stall: float = 0.0  # seconds to wait before answering (a timeout for a short client timeout)


def meta_error(status: int, code: int, message: str = "error") -> Scripted:
    return Scripted(status=status, code=code, message=message)


@dataclass
class StandIn:
    access_token: str = "test-access-token"
    webhook_url: str = ""
    app_secret: str = ""
    auto_status: bool = False
    chaos_rate: float = 0.0  # share of message sends answered with a random failure (fault drills)
    chaos_stall: float = 3.0  # a stalled answer succeeds after this long: the sender cannot know
    chaos_seed: int = 7
    clock_file: str = ""  # a simulation's FileClock: each request is also stamped with its simulated time
    unreachable: set[str] = field(default_factory=set)  # wa_ids whose messages Meta refuses (131026, as for a
    # number without WhatsApp): a simulation's failed invitations
    requests: list[dict[str, Any]] = field(default_factory=list)
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)  # registered: name -> Meta's body
    chat_log: list[dict[str, Any]] = field(default_factory=list)
    flows: dict[str, dict[str, Any]] = field(default_factory=dict)  # flow id → {name, categories, status, json}
    _script: deque = field(default_factory=deque)
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- test API ------------------------------------------------------------------------
    CHAOS = (Scripted(500, 131000), Scripted(503, 131016), Scripted(429, 130429), Scripted(400, 131056), None)

    def _chaos(self) -> Scripted:
        if not hasattr(self, "_random"):
            self._random = random.Random(self.chaos_seed)
        if self._random.random() >= self.chaos_rate:
            return Scripted()
        pick = self._random.choice(self.CHAOS)
        return pick or Scripted(stall=self.chaos_stall)

    def script(self, *answers: Scripted) -> None:
        """Answer the next requests with these, in order; afterwards succeed again."""
        with self._lock:
            self._script.extend(answers)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.chat_log.clear()
            self._script.clear()
            self.flows.clear()

    def messages(self, to: str | None = None) -> list[dict[str, Any]]:
        """Message requests that were accepted (200), optionally only those to one recipient."""
        with self._lock:
            found = [r for r in self.requests if r["path"].endswith("/messages") and r["answer"] == 200]
        return [r["json"] for r in found if to is None or r["json"].get("to", "").lstrip("+") == to.lstrip("+")]

    def attempts(self) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r["path"].endswith("/messages"))

    # -- HTTP handling -------------------------------------------------------------------
    def answer(self, path: str, auth: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        # Recorded on arrival: a stalled request must not land in the next test's records.
        record = {"path": path, "json": body, "answer": None, "at": time.time()}
        if self.clock_file:
            record["sim_at"] = Path(self.clock_file).read_text(encoding="utf-8").strip()
        with self._lock:
            scripted = self._script.popleft() if self._script else (
                self._chaos() if self.chaos_rate and path.endswith("/messages") else Scripted())
            self.requests.append(record)
        if scripted.stall:
            time.sleep(scripted.stall)
        status, reply = self._reply(path, auth, body, scripted)
        record["answer"] = status
        if status == 200 and path.endswith("/messages"):
            self._chat_out(body, reply["messages"][0]["id"], path.rstrip("/").split("/")[-2])
        return status, reply

    def _reply(self, path: str, auth: str, body: dict[str, Any], scripted: Scripted) -> tuple[int, dict[str, Any]]:
        if auth != f"Bearer {self.access_token}":
            return 401, _error(190, "Invalid OAuth access token")
        if scripted.status != 200:
            return scripted.status, _error(scripted.code or 131000, scripted.message or "Something went wrong")
        if path.endswith("/message_templates"):
            with self._lock:
                self.templates[str(body.get("name"))] = body
            return 200, {"id": f"tpl{next(self._ids)}", "status": "PENDING", "category": body.get("category")}
        if path.rsplit("/", 1)[-1] in ("flows", "assets", "publish"):
            return self._flows(path, body)
        if body.get("messaging_product") != "whatsapp" or not body.get("to") or body.get("type") not in body:
            return 400, _error(100, "Invalid parameter")
        if str(body["to"]).lstrip("+") in self.unreachable:
            return 400, _error(131026, "Message undeliverable")
        wamid = f"wamid.OUT{next(self._ids):08d}"
        to = str(body["to"])
        return 200, {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to.lstrip("+")}],
                     "messages": [{"id": wamid}]}

    def _flows(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Meta's Flows API, as far as `flows publish` uses it."""
        *_, owner, action = path.split("/")
        with self._lock:
            if action == "flows" and body.get("_method") == "GET":
                return 200, {"data": [{"id": i, "name": f["name"], "status": f["status"]} for i, f in self.flows.items()]}
            if action == "flows":
                if not body.get("name") or not body.get("categories"):
                    return 400, _error(100, "Invalid parameter: name and categories are required")
                if any(f["name"] == body["name"] for f in self.flows.values()):
                    return 400, _error(139001, "Flow name is not unique")
                flow_id = f"{next(self._ids) + 900000000000000}"
                self.flows[flow_id] = {"name": body["name"], "categories": body["categories"], "status": "DRAFT",
                                       "json": None}
                return 200, {"id": flow_id, "success": True, "validation_errors": []}
            flow = self.flows.get(owner)
            if flow is None:
                return 400, _error(100, f"Unsupported post request. Object with ID '{owner}' does not exist")
            if action == "assets":
                if body.get("asset_type") != "FLOW_JSON" or body.get("name") != "flow.json" or "file" not in body:
                    return 400, _error(100, "Invalid parameter: a flow.json file with asset_type FLOW_JSON")
                flow["json"], flow["status"] = body["file"], "DRAFT"
                return 200, {"success": True, "validation_errors": []}
            if flow["json"] is None:
                return 400, _error(139002, "Publishing failed: the Flow has no Flow JSON")
            flow["status"] = "PUBLISHED"
            return 200, {"success": True}

    def flow_json(self, flow: str) -> dict[str, Any] | None:
        """A published Flow's JSON by its id (a Flow message names it) or its name (a template's FLOW button)."""
        with self._lock:
            found = self.flows.get(flow) or next((f for f in self.flows.values() if f["name"] == flow), None)
            return found["json"] if found else None

    # -- the citizen's phone -------------------------------------------------------------
    def citizen_says(self, wa_id: str, name: str, message: dict[str, Any],
                     number_id: str = meta.OFFICE_NUMBER_ID) -> int:
        """The citizen writes to the office whose WhatsApp number has this id."""
        payload = meta.inbound(message, contacts=[meta.contact(wa_id, name)], number_id=number_id)
        with self._lock:
            self.chat_log.append({"dir": "in", "wa_id": wa_id, "number_id": number_id, "message": message,
                                  "at": time.time()})
        return self._post_webhook(payload)

    def _chat_out(self, body: dict[str, Any], wamid: str, number_id: str) -> None:
        if not self.webhook_url:
            return
        to = str(body["to"]).lstrip("+")
        with self._lock:
            self.chat_log.append({"dir": "out", "wa_id": to, "number_id": number_id, "message": body,
                                  "wamid": wamid, "at": time.time()})
        if self.auto_status:
            callback = body.get("biz_opaque_callback_data")
            threading.Thread(target=self._report, args=(wamid, to, callback, number_id), daemon=True).start()

    def _report(self, wamid: str, to: str, callback: str | None, number_id: str) -> None:
        for state in ("sent", "delivered"):
            time.sleep(0.05)
            payload = meta.status(wamid, state, to, timestamp=int(time.time()), callback_data=callback,
                                  number_id=number_id)
            for attempt in range(8):  # as Meta does, a notification not answered 200 is delivered again
                if self._post_webhook(payload) == 200:
                    break
                time.sleep(0.2 * 2 ** attempt)

    def _post_webhook(self, payload: dict[str, Any]) -> int:
        raw = meta.encode(payload)
        try:
            return requests.post(self.webhook_url, data=raw, headers=meta.signed_headers(self.app_secret, raw),
                                 timeout=30).status_code
        except requests.RequestException:
            return 0

    def conversation(self, wa_id: str, number_id: str = "") -> list[dict[str, Any]]:
        """The citizen's chat, with one office's number when given (each number is its own chat)."""
        with self._lock:
            return [e for e in self.chat_log if e["wa_id"] == wa_id and number_id in ("", e.get("number_id"))]


def _multipart(content_type: str, raw: bytes) -> dict[str, Any]:
    """A multipart/form-data body as {field: text}; a JSON file's field holds the parsed JSON."""
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        fields[name] = json.loads(data) if part.get_content_type() == "application/json" else data.decode()
    return fields


def _error(code: int, message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "OAuthException", "code": code,
                      "error_data": {"messaging_product": "whatsapp", "details": message},
                      "fbtrace_id": "Standin"}}


def _handler(standin: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: Any, content_type: str = "application/json") -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            content_type = self.headers.get("Content-Type", "")
            if content_type.startswith("multipart/form-data"):
                return _multipart(content_type, raw)
            return json.loads(raw or b"{}")

        def do_GET(self) -> None:  # noqa: N802
            url = urlparse(self.path)
            if url.path == "/":
                self._send(200, CHAT_PAGE.read_bytes(), "text/html; charset=utf-8")
            elif url.path == "/_chat/log":
                query = parse_qs(url.query)
                self._send(200, standin.conversation(query.get("wa_id", [""])[0], query.get("number_id", [""])[0]))
            elif url.path == "/_chat/templates":
                self._send(200, standin.templates)
            elif url.path == "/_control/requests":
                self._send(200, standin.requests)
            elif url.path.startswith("/_flows/"):
                flow = standin.flow_json(url.path.rsplit("/", 1)[-1])
                self._send(200 if flow else 404, flow or {"error": "no such Flow"})
            elif url.path.endswith("/flows"):  # the Graph API's list of an account's Flows
                status, reply = standin.answer(url.path, self.headers.get("Authorization", ""), {"_method": "GET"})
                self._send(status, reply)
            else:
                self._send(404, {"error": "not found"})

        def do_POST(self) -> None:  # noqa: N802
            url = urlparse(self.path)
            try:
                body = self._body()
            except ValueError:
                self._send(400, _error(100, "Malformed JSON"))
                return
            if url.path == "/_chat/send":
                status = standin.citizen_says(str(body["wa_id"]), str(body.get("name", "Warga")), body["message"],
                                              str(body.get("number_id") or meta.OFFICE_NUMBER_ID))
                self._send(200, {"webhook_status": status})
            elif url.path == "/_control/script":
                standin.script(*(Scripted(**item) for item in body))
                self._send(200, {"ok": True})
            elif url.path == "/_control/reset":
                standin.reset()
                self._send(200, {"ok": True})
            else:
                status, reply = standin.answer(url.path, self.headers.get("Authorization", ""), body)
                self._send(status, reply)

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (timeout tests) is expected, not news


class StandInServer:
    """Runs a StandIn on 127.0.0.1 in a background thread."""

    def __init__(self, standin: StandIn | None = None, port: int = 0, version: str = "v23.0"):
        self.standin = standin or StandIn()
        self.httpd = _QuietServer(("127.0.0.1", port), _handler(self.standin))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/{version}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "StandInServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
