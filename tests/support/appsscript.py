"""Run the repo's Apps Scripts in node (tests/support/appsscript.js) and see what they post."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = [str(ROOT / "docs" / "forms" / "submit.gs"), str(ROOT / "docs" / "forms" / "setup.gs")]
FORM_URL = "https://function.example/form_submit"


def run(call: str, *, now: int, properties: dict[str, str] | None = None, event: dict[str, Any] | None = None,
        args: list[Any] | None = None, fetch: list[Any] | None = None) -> dict[str, Any]:
    request = {"scripts": SCRIPTS, "properties": properties or {}, "now": now, "call": call, "event": event,
               "args": args or [], "fetch": fetch or []}
    done = subprocess.run(["node", str(Path(__file__).with_name("appsscript.js"))], input=json.dumps(request),
                          capture_output=True, text=True, timeout=30, check=True)
    return json.loads(done.stdout)


def submission(secret: str, *, now: int, form_id: str, response_id: str, submitted_at: str,
               answers: list[dict[str, Any]], kind: str = "skm") -> tuple[dict[str, str], bytes]:
    """The headers and body the trigger posts for one form response (exactly its bytes)."""
    properties = {"JARING_URL": FORM_URL, "FORMS_WEBHOOK_SECRET": secret, f"KIND_{form_id}": kind}
    out = run("onJaringFormSubmit", now=now, properties=properties, event={
        "formId": form_id, "responseId": response_id, "submittedAt": submitted_at, "answers": answers})
    [fetched] = out["fetches"]
    options = fetched["options"]
    return {**options["headers"], "Content-Type": options["contentType"]}, options["payload"].encode("utf-8")
