"""Outbound message contents for the Cloud API, checked against Meta's field limits.

Each builder returns the type-specific part of a send request ({"type": ..., <type>: {...}});
the client adds messaging_product, recipient_type and to. A content that WhatsApp would
refuse raises MessageLimitError here, before anything is stored or sent.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

Content = dict[str, Any]

TEXT_BODY = 4096
INTERACTIVE_BODY = 1024
LIST_BODY = 4096
HEADER_TEXT = 60
FOOTER = 60
LIST_BUTTON = 20
LIST_ROWS = 10
LIST_SECTIONS = 10
SECTION_TITLE = 24
ROW_TITLE = 24
ROW_DESCRIPTION = 72
ROW_ID = 200
REPLY_BUTTONS = 3
BUTTON_TITLE = 20
BUTTON_ID = 256
CTA_DISPLAY_TEXT = 20
FLOW_CTA = 20  # sources say 20 (most) or 30 (courier); the stricter one
FLOW_TOKEN = 200
FLOW_MESSAGE_VERSION = "3"


class MessageLimitError(ValueError):
    """A message breaks one of WhatsApp's limits; the text says which field and limit."""


def _check(value: str, limit: int, what: str, required: bool = True) -> str:
    if required and not value:
        raise MessageLimitError(f"{what} must not be empty")
    if len(value) > limit:
        raise MessageLimitError(f"{what} is {len(value)} characters; WhatsApp allows {limit}: {value[:30]!r}…")
    return value


def _decorate(interactive: dict[str, Any], header: str | None, footer: str | None) -> dict[str, Any]:
    if header:
        interactive["header"] = {"type": "text", "text": _check(header, HEADER_TEXT, "header")}
    if footer:
        interactive["footer"] = {"text": _check(footer, FOOTER, "footer")}
    return interactive


def fit(words: str, limit: int) -> str:
    """The text as it is when it fits, else cut at a word boundary with "…" (never in the middle of a word)."""
    if len(words) <= limit:
        return words
    cut = words[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–(/")
    return (cut or words[:limit - 1]) + "…"


def append_paragraph(content: Content, paragraph: str) -> bool:
    """Add a paragraph to a text's or an interactive message's body when it still fits (True), else False."""
    if content.get("type") == "text":
        holder, field_name, limit = content["text"], "body", TEXT_BODY
    elif content.get("type") == "interactive" and "body" in content["interactive"]:
        holder, field_name, limit = content["interactive"]["body"], "text", INTERACTIVE_BODY
    else:
        return False
    body = f"{holder[field_name]}\n\n{paragraph}"
    if len(body) > limit:
        return False
    holder[field_name] = body
    return True


def text(body: str, preview_url: bool = False) -> Content:
    return {"type": "text", "text": {"body": _check(body, TEXT_BODY, "text body"), "preview_url": preview_url}}


def buttons(body: str, choices: Sequence[tuple[str, str]], header: str | None = None,
            footer: str | None = None) -> Content:
    """Up to three reply buttons; choices are (id, title)."""
    if not 1 <= len(choices) <= REPLY_BUTTONS:
        raise MessageLimitError(f"reply buttons: {len(choices)} given; WhatsApp allows 1 to {REPLY_BUTTONS}")
    titles = [title for _, title in choices]
    if len(set(titles)) != len(titles):
        raise MessageLimitError(f"reply button titles must be unique: {titles}")
    interactive = {
        "type": "button",
        "body": {"text": _check(body, INTERACTIVE_BODY, "button message body")},
        "action": {"buttons": [
            {"type": "reply", "reply": {"id": _check(cid, BUTTON_ID, "button id"),
                                        "title": _check(title, BUTTON_TITLE, "button title")}}
            for cid, title in choices
        ]},
    }
    return {"type": "interactive", "interactive": _decorate(interactive, header, footer)}


Row = tuple[str, str, str]  # (id, title, description)


def list_message(body: str, button: str, sections: Iterable[tuple[str, Sequence[Row]]],
                 header: str | None = None, footer: str | None = None) -> Content:
    """An interactive list: at most 10 rows across all sections."""
    built, row_count, ids = [], 0, set()
    for title, rows in sections:
        built_rows = []
        for rid, rtitle, description in rows:
            if rid in ids:
                raise MessageLimitError(f"list row ids must be unique: {rid!r}")
            ids.add(rid)
            row = {"id": _check(rid, ROW_ID, "row id"), "title": _check(rtitle, ROW_TITLE, "row title")}
            if description:
                row["description"] = _check(description, ROW_DESCRIPTION, "row description")
            built_rows.append(row)
        row_count += len(built_rows)
        section: dict[str, Any] = {"rows": built_rows}
        if title:
            section["title"] = _check(title, SECTION_TITLE, "section title")
        built.append(section)
    if not 1 <= len(built) <= LIST_SECTIONS:
        raise MessageLimitError(f"list sections: {len(built)} given; WhatsApp allows 1 to {LIST_SECTIONS}")
    if not 1 <= row_count <= LIST_ROWS:
        raise MessageLimitError(f"list rows: {row_count} given; WhatsApp allows 1 to {LIST_ROWS} in all")
    if len(built) > 1 and any("title" not in s for s in built):
        raise MessageLimitError("every section needs a title when a list has several sections")
    interactive = {
        "type": "list",
        "body": {"text": _check(body, LIST_BODY, "list body")},
        "action": {"button": _check(button, LIST_BUTTON, "list button"), "sections": built},
    }
    return {"type": "interactive", "interactive": _decorate(interactive, header, footer)}


def cta_url(body: str, display_text: str, url: str, header: str | None = None,
            footer: str | None = None) -> Content:
    if not url.startswith("https://") and not url.startswith("http://"):
        raise MessageLimitError(f"CTA url must be http(s): {url[:40]!r}")
    interactive = {
        "type": "cta_url",
        "body": {"text": _check(body, INTERACTIVE_BODY, "CTA body")},
        "action": {"name": "cta_url", "parameters": {
            "display_text": _check(display_text, CTA_DISPLAY_TEXT, "CTA display text"), "url": url}},
    }
    return {"type": "interactive", "interactive": _decorate(interactive, header, footer)}


def flow(body: str, cta: str, token: str, flow_id: str, screen: str, header: str | None = None,
         footer: str | None = None) -> Content:
    """An interactive Flow message (inside the 24-hour window): its button opens the published Flow at
    `screen`; the completion comes back carrying `token` (flow_token)."""
    interactive = {
        "type": "flow",
        "body": {"text": _check(body, INTERACTIVE_BODY, "flow body")},
        "action": {"name": "flow", "parameters": {
            "flow_message_version": FLOW_MESSAGE_VERSION, "flow_token": _check(token, FLOW_TOKEN, "flow token"),
            "flow_id": _check(flow_id, 64, "flow id"), "flow_cta": _check(cta, FLOW_CTA, "flow CTA"),
            "flow_action": "navigate", "flow_action_payload": {"screen": _check(screen, 64, "flow screen")}}},
    }
    return {"type": "interactive", "interactive": _decorate(interactive, header, footer)}


def template(name: str, language: str, body_parameters: Sequence[str] = (),
             button_parameters: Sequence[tuple[str, int, str]] = ()) -> Content:
    """An approved template; button_parameters are (sub_type, index, value), e.g. ("url", 0, token), or
    ("flow", 0, flow_token) for a FLOW button."""
    if not name or not language:
        raise MessageLimitError("template name and language are required")
    components: list[dict[str, Any]] = []
    if body_parameters:
        components.append({"type": "body", "parameters": [{"type": "text", "text": str(p)} for p in body_parameters]})
    for sub_type, index, value in button_parameters:
        if sub_type == "flow":
            parameter: dict[str, Any] = {"type": "action", "action": {"flow_token": str(value)}}
        else:
            kind = "payload" if sub_type == "quick_reply" else "text"
            parameter = {"type": kind, kind: str(value)}
        components.append({"type": "button", "sub_type": sub_type, "index": str(index), "parameters": [parameter]})
    body: dict[str, Any] = {"name": name, "language": {"code": language}}
    if components:
        body["components"] = components
    return {"type": "template", "template": body}

