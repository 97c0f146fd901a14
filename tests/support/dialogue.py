"""Drive the pure conversation turn by turn, carrying the contact's state between turns the way the
store does (the contact document merged with each decision's changes). Used by the pure unit tests;
the end-to-end specifications go through the real webhook and Firestore instead."""
from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from jaring import ids as refs
from jaring.hotline import conversation
from jaring.messaging.decision import Decision
from jaring.offices.model import OfficeConfig
from jaring.whatsapp.webhook import InboundMessage

_ids = itertools.count(1)


def rows(content: dict[str, Any]) -> list[tuple[str, str]]:
    """(id, title) of a list's rows or a button message's buttons."""
    action = content.get("interactive", {}).get("action", {})
    if "sections" in action:
        return [(r["id"], r["title"]) for s in action["sections"] for r in s["rows"]]
    return [(b["reply"]["id"], b["reply"]["title"]) for b in action.get("buttons", [])]


def body(content: dict[str, Any]) -> str:
    if content["type"] == "text":
        return content["text"]["body"]
    return content["interactive"]["body"]["text"]


@dataclass
class Person:
    config: OfficeConfig
    number: str
    now: dt.datetime
    name: str = "Siti Warga"
    contact: dict[str, Any] | None = None
    decisions: list[Decision] = field(default_factory=list)
    last_wamid: str = ""

    @property
    def contact_id(self) -> str:
        from tests.support.invitations import contact_id

        return contact_id(self.config.office, self.number)

    def says(self, text: str = "", choice: str = "", kind: str = "", quoted: str = "",
             target: dict[str, Any] | None = None) -> Decision:
        kind = kind or ("interactive" if choice else "text")
        self.last_wamid = f"wamid.UNIT{next(_ids):06d}"
        message = InboundMessage(wamid=self.last_wamid, phone_number_id="1", sender=self.number,
                                 name=self.name, type=kind, sent_at=self.now, text=text, choice=choice,
                                 quoted_wamid=quoted)
        decision = conversation.decide(self.contact, message, self.now, self.config, target)
        base = self.contact or {"contact_id": self.contact_id, "handle": refs.handle(self.contact_id),
                                "wa_id": self.number, "name": self.name, "first_seen_at": self.now}
        self.contact = {**base, **decision.contact_changes, "last_inbound_at": self.now}
        self.decisions.append(decision)
        return decision

    def picks(self, title: str) -> Decision:
        """Tap the row or button with this title in the last list or buttons sent to this person."""
        last = [o for o in self.decisions[-1].outgoing if o.to == self.number and o.content["type"] == "interactive"][-1]
        choice = dict((t, i) for i, t in rows(last.content))[title]
        return self.says(title, choice=choice)

    def replies(self, decision: Decision | None = None) -> list[dict[str, Any]]:
        decision = decision or self.decisions[-1]
        return [o.content for o in decision.outgoing if o.to == self.number]


SEED = "functions/jaring/offices/seed/kemenag-bangkalan.toml"


def seed_data() -> dict[str, Any]:
    """A fresh copy of the Bangkalan seed as plain data, for tests that change one thing in it."""
    from pathlib import Path

    from jaring.offices.store import read_file

    return read_file(Path(__file__).resolve().parents[2] / SEED).data


def seed_config(**changes: Any) -> OfficeConfig:
    from jaring.offices import model as office

    return office.parse({**seed_data(), **changes}, "test")


PARENTS = ("functions/jaring/offices/seed/kemenag-pusat.toml", "functions/jaring/offices/seed/kanwil-jawa-timur.toml")


def load_configs(*files: Any, project: str = "jaring-test") -> int:
    """`python -m jaring config load FILE…` into the emulator, as an operator runs it (with the seed's Kanwil
    and ministry, which Bangkalan names as its parents)."""
    from jaring.__main__ import main

    return main(["config", "load", "--project", project, *PARENTS, *map(str, files or (SEED,))])


def configured(app: Any) -> Any:
    """The seed loaded as an operator loads it, and the dev identity allowed (admin_api as staff at a desk)."""
    import dataclasses

    assert load_configs() == 0
    app.settings = dataclasses.replace(app.settings, emulator_host="127.0.0.1:1", dev_identity_allowed=True)
    return app
