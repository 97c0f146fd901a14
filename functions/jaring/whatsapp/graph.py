"""The Graph API client: one POST per message to {base}/{phone_number_id}/messages; templates and the
WhatsApp Flows management API (create a Flow, upload its Flow JSON, publish it) for the operators' commands."""
from __future__ import annotations

import dataclasses
from typing import Any

import requests

from jaring.whatsapp.messages import Content

# Meta's error codes (support/error-codes) by what Jaring should do about them.
RETRYABLE_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133016})
OUTSIDE_WINDOW = 131047
UNREACHABLE = 131026
NEVER_RETRY_CODES = frozenset({100, 190, 368, 131026, 131047, 131048, 131049, 131050, 131051})


@dataclasses.dataclass
class GraphError(Exception):
    """The Graph API refused or could not take a message."""

    message: str
    http_status: int | None = None
    code: int | None = None
    retryable: bool = False

    def __str__(self) -> str:
        return f"{self.message} (http {self.http_status}, code {self.code})"


@dataclasses.dataclass(frozen=True)
class Accepted:
    wamid: str


def classify(http_status: int | None, code: int | None) -> bool:
    """Whether a failed send may be tried again as it is."""
    if code in NEVER_RETRY_CODES:
        return False
    if code in RETRYABLE_CODES:
        return True
    if http_status is None:  # timeout or connection refused: nothing reached Meta, or we cannot tell
        return True
    return http_status == 429 or http_status >= 500


class GraphClient:
    def __init__(self, base_url: str, access_token: str, timeout: float = 10.0,
                 session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self._token = access_token
        self.timeout = timeout
        self._session = session or requests.Session()
        # Graph is reached directly: looking up proxy variables and ~/.netrc on every send was ~3 % of a
        # webhook turn's CPU (docs/BENCHMARKS.md, issue 19).
        self._session.trust_env = False

    def send(self, phone_number_id: str, to: str, content: Content, callback_data: str = "") -> Accepted:
        """Send one message; callback_data comes back on its status webhooks (biz_opaque_callback_data)."""
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual",
                   "to": "+" + to if to.isdigit() else to, **content}
        if callback_data:
            payload["biz_opaque_callback_data"] = callback_data
        url = f"{self.base_url}/{phone_number_id}/messages"
        body = self._post(url, payload)
        try:
            return Accepted(wamid=str(body["messages"][0]["id"]))
        except (KeyError, IndexError, TypeError) as exc:
            raise GraphError("Graph API answered without a message id", 200, None, False) from exc

    def register_template(self, waba_id: str, template: dict[str, Any]) -> dict[str, Any]:
        return self._post(f"{self.base_url}/{waba_id}/message_templates", template)

    # -- WhatsApp Flows (Meta's Flows API) ---------------------------------------------------------
    def flows(self, waba_id: str) -> list[dict[str, Any]]:
        """The account's Flows: [{id, name, status}, …] (GET /{waba_id}/flows, first page)."""
        body = self._call("get", f"{self.base_url}/{waba_id}/flows", params={"fields": "id,name,status"})
        data = body.get("data")
        return [f for f in data if isinstance(f, dict)] if isinstance(data, list) else []

    def create_flow(self, waba_id: str, name: str, categories: list[str]) -> str:
        """POST /{waba_id}/flows: a new draft Flow; its id."""
        body = self._post(f"{self.base_url}/{waba_id}/flows", {"name": name, "categories": categories})
        if not body.get("id"):
            raise GraphError("Graph API created no Flow id", 200, None, False)
        return str(body["id"])

    def upload_flow_json(self, flow_id: str, flow_json: bytes) -> list[dict[str, Any]]:
        """POST /{flow_id}/assets (multipart: the file flow.json, asset_type FLOW_JSON); Meta's validation errors."""
        body = self._call("post", f"{self.base_url}/{flow_id}/assets", files={
            "file": ("flow.json", flow_json, "application/json"), "name": (None, "flow.json"),
            "asset_type": (None, "FLOW_JSON")})
        errors = body.get("validation_errors")
        return [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []

    def publish_flow(self, flow_id: str) -> None:
        """POST /{flow_id}/publish: the Flow can be sent (and can no longer be deleted)."""
        self._post(f"{self.base_url}/{flow_id}/publish", {})

    def _post(self, url: str, payload: dict[str, Any]) -> dict[str, Any]:
        return self._call("post", url, json=payload)

    def _call(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = getattr(self._session, method)(url, timeout=self.timeout,
                                                      headers={"Authorization": f"Bearer {self._token}"}, **kwargs)
        except requests.Timeout as exc:
            raise GraphError("Graph API timed out", None, None, True) from exc
        except requests.RequestException as exc:
            raise GraphError(f"Graph API unreachable: {type(exc).__name__}", None, None, True) from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code == 200 and isinstance(body, dict) and "error" not in body:
            return body
        error = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else {}
        code = error.get("code")
        code = int(code) if isinstance(code, (int, str)) and str(code).isdigit() else None
        message = str(error.get("message") or f"Graph API answered {response.status_code}")
        raise GraphError(message, response.status_code, code, classify(response.status_code, code))
