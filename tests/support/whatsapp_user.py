"""A person on WhatsApp for end-to-end specifications: what they send goes through the real webhook
(signed like Meta signs it); what they got back is read from the Graph API stand-in."""
from __future__ import annotations

import base64
import itertools
from typing import Any

from tests.conftest import APP_SECRET
from tests.support import meta
from tests.support.dialogue import body, rows

_ids = itertools.count(1)


class WhatsAppUser:
    def __init__(self, webhook, graph, number: str, name: str = "Siti Warga", office_number_id: str = ""):
        """`office_number_id`: the office's WhatsApp number they write to (default: the default office's)."""
        self.webhook, self.graph, self.number, self.name = webhook, graph, number, name
        self.office_number_id = office_number_id or meta.OFFICE_NUMBER_ID
        self._seen = 0

    def wamid(self) -> str:
        # Real wamids carry the sender's number in base64, so erasure must find it there too.
        return "wamid.HBgM" + base64.b64encode(self.number.encode()).decode() + f"FQIAEhgU{next(_ids):08d}"

    def post(self, message: dict[str, Any]) -> int:
        raw = meta.encode(meta.inbound(message, number_id=self.office_number_id,
                                       contacts=[meta.contact(self.number, self.name)]))
        return self.webhook.post("/", data=raw, headers=meta.signed_headers(APP_SECRET, raw)).status_code

    def consents(self) -> "WhatsAppUser":
        """Greets the office (the greeting, the menu and the privacy notice) and says YA (the menu again), as
        citizens did when the notice still asked for agreement; nothing is agreed to by it."""
        self.says("Halo")
        self.says("YA")
        return self

    def says(self, text: str, quoting: str = "") -> list[dict[str, Any]]:
        context = {"from": meta.OFFICE_DISPLAY_NUMBER, "id": quoting} if quoting else None
        assert self.post(meta.text(self.number, text, wamid=self.wamid(), context=context)) == 200
        return self.new()

    def taps(self, title: str) -> list[dict[str, Any]]:
        """Choose the row or button with this title in the last interactive message received."""
        last = next(m for m in reversed(self.received()) if m["type"] == "interactive")
        choice = dict((t, i) for i, t in rows(last))[title]
        build = meta.list_reply if last["interactive"]["type"] == "list" else meta.button_reply
        assert self.post(build(self.number, choice, title, wamid=self.wamid())) == 200
        return self.new()

    def sends_a_photo(self) -> list[dict[str, Any]]:
        assert self.post(meta.image(self.number, wamid=self.wamid())) == 200
        return self.new()

    def received(self) -> list[dict[str, Any]]:
        return self.graph.messages(to=self.number)

    def new(self) -> list[dict[str, Any]]:
        everything = self.received()
        fresh, self._seen = everything[self._seen:], len(everything)
        return fresh

    def last_text(self) -> str:
        return body(self.received()[-1])


def text_of(messages: list[dict[str, Any]]) -> str:
    return "\n---\n".join(body(m) for m in messages)


def titles(message: dict[str, Any]) -> list[str]:
    return [title for _, title in rows(message)]
