"""Meta's webhook: the verification handshake, the payload signature and the notification shapes.

Pure functions over bytes and dicts; no I/O. Shapes follow Meta's webhook reference
(entry[].changes[].value with metadata, contacts, messages, statuses, errors).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any


class NotANotification(ValueError):
    """The body is JSON but not a WhatsApp Business Account notification."""


def verify_handshake(params: dict[str, str], verify_token: str) -> str | None:
    """The challenge to echo when Meta's GET is genuine, else None."""
    if params.get("hub.mode") != "subscribe":
        return None
    offered = params.get("hub.verify_token", "")
    if not verify_token or not hmac.compare_digest(offered.encode(), verify_token.encode()):
        return None
    return params.get("hub.challenge", "")


def sign(app_secret: str, raw_body: bytes) -> str:
    """The X-Hub-Signature-256 value Meta sends for this body."""
    return "sha256=" + hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()


def signature_is_valid(app_secret: str, raw_body: bytes, header: str | None) -> bool:
    if not header or not header.startswith("sha256="):
        return False
    return hmac.compare_digest(sign(app_secret, raw_body).encode(), header.strip().encode())


@dataclass(frozen=True)
class InboundMessage:
    """One message a citizen (or staff member) sent to an office's number."""

    wamid: str
    phone_number_id: str  # the office's number that received it
    sender: str  # wa_id (phone digits), or the business-scoped user id when there is no wa_id
    name: str
    type: str
    sent_at: dt.datetime
    text: str = ""  # body of text; caption of media; title of a chosen button/row
    choice: str = ""  # id of a chosen interactive row/button, or a template button's payload
    quoted_wamid: str = ""  # context.id: the message this one replies to
    location: dict[str, Any] | None = None
    media: dict[str, Any] | None = None
    flow_response: dict[str, Any] | None = None
    error_codes: tuple[int, ...] = ()

    @property
    def understood(self) -> bool:
        return self.type in {"text", "interactive", "button"}


@dataclass(frozen=True)
class StatusUpdate:
    """What happened to a message the office sent."""

    wamid: str
    phone_number_id: str
    status: str  # sent | delivered | read | failed | played
    at: dt.datetime
    recipient: str
    error_codes: tuple[int, ...] = ()
    error_title: str = ""
    callback_data: str = ""  # biz_opaque_callback_data: Jaring puts its outbox id there


@dataclass
class Notification:
    messages: list[InboundMessage] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


MEDIA_TYPES = ("image", "document", "audio", "video", "sticker")


def parse_body(raw_body: bytes) -> Notification:
    """Bytes → Notification; ValueError (json) or NotANotification for anything else."""
    payload = json.loads(raw_body)
    return parse_notification(payload)


def parse_notification(payload: Any) -> Notification:
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        raise NotANotification("object must be 'whatsapp_business_account'")
    entries = payload.get("entry")
    if not isinstance(entries, list):
        raise NotANotification("entry must be a list")
    notification = Notification()
    for entry in entries:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            raise NotANotification("entry[].changes must be a list")
        for change in changes:
            if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
                raise NotANotification("entry[].changes[].value must be an object")
            if change.get("field", "messages") != "messages":
                continue  # account/template updates are not conversations
            _parse_value(change["value"], notification)
    return notification


def _parse_value(value: dict[str, Any], out: Notification) -> None:
    metadata = value.get("metadata")
    if not isinstance(metadata, dict) or not metadata.get("phone_number_id"):
        raise NotANotification("value.metadata.phone_number_id is required")
    number_id = str(metadata["phone_number_id"])
    names = {}
    for contact in _list(value, "contacts"):
        key = contact.get("wa_id") or contact.get("user_id")
        if key:
            names[str(key)] = (contact.get("profile") or {}).get("name", "")
    for raw in _list(value, "messages"):
        out.messages.append(_message(raw, number_id, names))
    for raw in _list(value, "statuses"):
        out.statuses.append(_status(raw, number_id))
    out.errors.extend(_list(value, "errors"))


def _list(value: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = value.get(key) or []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise NotANotification(f"value.{key} must be a list of objects")
    return items


def _when(raw: dict[str, Any]) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(raw.get("timestamp")), dt.timezone.utc)
    except (TypeError, ValueError) as exc:
        raise NotANotification("timestamp must be unix seconds") from exc


def _codes(raw: dict[str, Any]) -> tuple[int, ...]:
    codes = []
    for error in raw.get("errors") or []:
        try:
            codes.append(int(error.get("code")))
        except (TypeError, ValueError, AttributeError):
            continue
    return tuple(codes)


def _message(raw: dict[str, Any], number_id: str, names: dict[str, str]) -> InboundMessage:
    wamid, kind = raw.get("id"), raw.get("type")
    sender = raw.get("from") or raw.get("from_user_id") or raw.get("user_id")
    if not wamid or not kind or not sender:
        raise NotANotification("messages[] need id, type and from")
    sender = str(sender)
    body = raw.get(kind) if isinstance(raw.get(kind), dict) else {}
    fields: dict[str, Any] = {}
    if kind == "text":
        fields["text"] = str(body.get("body", ""))
    elif kind == "interactive":
        chosen_kind = body.get("type", "")
        chosen = body.get(chosen_kind) if isinstance(body.get(chosen_kind), dict) else {}
        if chosen_kind == "nfm_reply":
            try:
                fields["flow_response"] = json.loads(chosen.get("response_json") or "{}")
            except ValueError as exc:
                raise NotANotification("nfm_reply.response_json must be JSON") from exc
        else:
            fields["choice"] = str(chosen.get("id", ""))
            fields["text"] = str(chosen.get("title", ""))
    elif kind == "button":
        fields["choice"] = str(body.get("payload", ""))
        fields["text"] = str(body.get("text", ""))
    elif kind == "location":
        fields["location"] = {k: body.get(k) for k in ("latitude", "longitude", "name", "address") if k in body}
    elif kind in MEDIA_TYPES:
        fields["media"] = {k: body.get(k) for k in ("id", "mime_type", "sha256", "filename") if k in body}
        fields["text"] = str(body.get("caption", ""))
    context = raw.get("context") if isinstance(raw.get("context"), dict) else {}
    return InboundMessage(
        wamid=str(wamid),
        phone_number_id=number_id,
        sender=sender,
        name=names.get(sender, ""),
        type=str(kind),
        sent_at=_when(raw),
        quoted_wamid=str(context.get("id", "")),
        error_codes=_codes(raw),
        **fields,
    )


def _status(raw: dict[str, Any], number_id: str) -> StatusUpdate:
    if not raw.get("id") or not raw.get("status"):
        raise NotANotification("statuses[] need id and status")
    errors = raw.get("errors") or []
    title = errors[0].get("title", "") if errors and isinstance(errors[0], dict) else ""
    return StatusUpdate(
        wamid=str(raw["id"]),
        phone_number_id=number_id,
        status=str(raw["status"]),
        at=_when(raw),
        recipient=str(raw.get("recipient_id") or raw.get("recipient_user_id") or ""),
        error_codes=_codes(raw),
        error_title=str(title),
        callback_data=str(raw.get("biz_opaque_callback_data") or ""),
    )
