"""Webhook payloads in the shapes Meta documents, signed the way Meta signs them."""
from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from typing import Any

WABA_ID = "100000000000001"
OFFICE_NUMBER_ID = "100000000000002"
OFFICE_DISPLAY_NUMBER = "6281100000000"
_ids = itertools.count(1)


def next_wamid(kind: str = "IN") -> str:
    # Real wamids are base64 and may hold '/', '+' and '='.
    return f"wamid.HBgN{kind}/{next(_ids):08d}+ABC="


def envelope(value: dict[str, Any]) -> dict[str, Any]:
    return {"object": "whatsapp_business_account",
            "entry": [{"id": WABA_ID, "changes": [{"value": value, "field": "messages"}]}]}


def _value(contacts: list[dict[str, Any]], messages: list[dict[str, Any]],
           number_id: str = OFFICE_NUMBER_ID) -> dict[str, Any]:
    return {"messaging_product": "whatsapp",
            "metadata": {"display_phone_number": OFFICE_DISPLAY_NUMBER, "phone_number_id": number_id},
            "contacts": contacts, "messages": messages}


def message(sender: str, kind: str, body: dict[str, Any] | None = None, *, name: str = "Siti Warga",
            wamid: str | None = None, timestamp: int = 1767225600, context: dict[str, Any] | None = None,
            extra: dict[str, Any] | None = None) -> dict[str, Any]:
    msg: dict[str, Any] = {"from": sender, "id": wamid or next_wamid(), "timestamp": str(timestamp), "type": kind}
    if body is not None:
        msg[kind] = body
    if context:
        msg["context"] = context
    msg.update(extra or {})
    return msg


def contact(sender: str, name: str = "Siti Warga") -> dict[str, Any]:
    return {"profile": {"name": name}, "wa_id": sender}


def inbound(*messages_: dict[str, Any], number_id: str = OFFICE_NUMBER_ID,
            contacts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    if contacts is None:
        seen: dict[str, dict[str, Any]] = {}
        for m in messages_:
            seen.setdefault(m["from"], contact(m["from"]))
        contacts = list(seen.values())
    return envelope(_value(contacts, list(messages_), number_id))


def text(sender: str, body: str, **kw: Any) -> dict[str, Any]:
    return message(sender, "text", {"body": body}, **kw)


def list_reply(sender: str, row_id: str, title: str, **kw: Any) -> dict[str, Any]:
    return message(sender, "interactive", {"type": "list_reply",
                                           "list_reply": {"id": row_id, "title": title, "description": ""}}, **kw)


def button_reply(sender: str, button_id: str, title: str, **kw: Any) -> dict[str, Any]:
    return message(sender, "interactive", {"type": "button_reply",
                                           "button_reply": {"id": button_id, "title": title}}, **kw)


def template_button(sender: str, payload: str, text_: str, **kw: Any) -> dict[str, Any]:
    return message(sender, "button", {"payload": payload, "text": text_}, **kw)


def flow_reply(sender: str, response: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return message(sender, "interactive", {"type": "nfm_reply", "nfm_reply": {
        "name": "flow", "body": "Sent", "response_json": json.dumps(response)}}, **kw)


def location(sender: str, **kw: Any) -> dict[str, Any]:
    return message(sender, "location", {"latitude": -7.0455, "longitude": 112.7351,
                                        "name": "Kankemenag Bangkalan", "address": "Jl. Soekarno Hatta"}, **kw)


def image(sender: str, caption: str = "", **kw: Any) -> dict[str, Any]:
    body = {"id": "1234567890", "mime_type": "image/jpeg", "sha256": "abc=", **({"caption": caption} if caption else {})}
    return message(sender, "image", body, **kw)


def unsupported(sender: str, **kw: Any) -> dict[str, Any]:
    return message(sender, "unsupported", {"type": "poll"}, extra={"errors": [{
        "code": 131051, "title": "Message type unknown", "message": "Message type unknown",
        "error_data": {"details": "Message type is currently not supported."}}]}, **kw)


def status(wamid: str, state: str, recipient: str, *, timestamp: int = 1767225700,
           error_code: int | None = None, callback_data: str | None = None,
           number_id: str = OFFICE_NUMBER_ID) -> dict[str, Any]:
    item: dict[str, Any] = {"id": wamid, "status": state, "timestamp": str(timestamp), "recipient_id": recipient}
    if callback_data:
        item["biz_opaque_callback_data"] = callback_data
    if state in ("sent", "delivered", "read"):
        item["pricing"] = {"billable": False, "pricing_model": "PMP", "type": "free_customer_service",
                           "category": "service"}
    if error_code is not None:
        item["errors"] = [{"code": error_code, "title": "Re-engagement message" if error_code == 131047 else "Error",
                           "message": "failed", "error_data": {"details": "see code"},
                           "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}]
    return envelope({"messaging_product": "whatsapp",
                     "metadata": {"display_phone_number": OFFICE_DISPLAY_NUMBER, "phone_number_id": number_id},
                     "statuses": [item]})


def encode(payload: dict[str, Any]) -> bytes:
    # Meta sends compact JSON with non-ASCII escaped; the signature covers these exact bytes.
    return json.dumps(payload, separators=(",", ":")).encode()


def signature(app_secret: str, raw: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()


def signed_headers(app_secret: str, raw: bytes) -> dict[str, str]:
    return {"Content-Type": "application/json", "X-Hub-Signature-256": signature(app_secret, raw)}
