"""One turn of a conversation: what came in, what we know, and what we will answer (pure)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jaring import ids as refs
from jaring.clock import local_day
from jaring.hotline import labels
from jaring.messaging.decision import Decision
from jaring.messaging.outbox import Outgoing
from jaring.offices import hours as office_hours
from jaring.offices.model import OfficeConfig, Staff
from jaring.whatsapp import messages
from jaring.whatsapp.webhook import InboundMessage

WINDOW = dt.timedelta(hours=24)  # WhatsApp's customer-service window for free-form messages


@dataclass
class Turn:
    contact: dict[str, Any]  # {} for someone we have never heard from
    message: InboundMessage
    now: dt.datetime
    config: OfficeConfig
    target: dict[str, Any] | None = None  # the citizen a staff message is about (looked up by the adapter)
    served: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # their tickets, when asked
    complaints: list[dict[str, Any]] = field(default_factory=list)  # their complaints, for DATA SAYA
    requests: list[dict[str, Any]] = field(default_factory=list)  # their service requests, for DATA SAYA
    outgoing: list[Outgoing] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)
    target_changes: dict[str, Any] = field(default_factory=dict)
    writes: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    erase: bool = False

    # -- what we know ---------------------------------------------------------------------------
    def get(self, key: str, default: Any = None) -> Any:
        return self.changes.get(key, self.contact.get(key, default))

    @property
    def contact_id(self) -> str:
        return self.contact.get("contact_id", "")

    def handle(self, contact: dict[str, Any] | None = None) -> str:
        contact = self.contact if contact is None else contact
        return contact.get("handle") or refs.handle(contact.get("contact_id", ""))

    def status(self) -> office_hours.Status:
        return office_hours.status(self.config.hours, self.now)

    def hours_text(self) -> str:
        """The office's hours as in force today (a seasonal period's, named), for {hours}."""
        return office_hours.describe(self.config.hours, local_day(self.now))

    def text(self, key: str, **values: Any) -> str:
        """One of the office's texts, whose {hours} are the hours in force today (a text an office rewrote may
        name them anywhere)."""
        return self.config.text(key, **{"hours": self.hours_text(), **values})

    def render(self, template: str, **values: Any) -> str:
        return self.config.render(template, **{"hours": self.hours_text(), **values})

    def away_note(self) -> str:
        """When a person will answer, or "" while the office is open."""
        status = self.status()
        if status.open:
            return ""
        reason = f" ({status.reason})" if status.reason else ""
        if status.opens_at is None:
            return self.text("away_unknown", reason=reason)
        return self.text("away", reason=reason, when=office_hours.moment_text(status.opens_at))

    def on_duty(self) -> list[Staff]:
        """Hotline staff for a hand-off: those on duty today, or on the next opening day when closed."""
        status = self.status()
        day = (self.now.astimezone(office_hours.WIB) if status.open or not status.opens_at else status.opens_at)
        hotline = [s for s in self.config.staff if s.hotline]
        return [s for s in hotline if day.weekday() in s.duty] or hotline

    def in_window(self, contact: dict[str, Any]) -> bool:
        last = contact.get("last_inbound_at")
        return last is not None and self.now - last < WINDOW

    # -- what we answer -------------------------------------------------------------------------
    def say(self, content: messages.Content) -> None:
        self.outgoing.append(Outgoing(to=self.message.sender, content=content))

    def say_text(self, *paragraphs: str) -> None:
        self.say(messages.text("\n\n".join(p for p in paragraphs if p)))

    def send(self, to: str, content: messages.Content, contact_id: str, purpose: str = "relay",
             meta: dict[str, Any] | None = None) -> None:
        self.outgoing.append(Outgoing(to=to, content=content, purpose=purpose, contact_id=contact_id,
                                      meta=meta or {}))

    def label(self, add: tuple[str, ...] = (), remove: tuple[str, ...] = ()) -> None:
        self.changes["labels"] = labels.changed(self.get("labels"), add, remove)

    def decision(self) -> Decision:
        return Decision(outgoing=self.outgoing, contact_changes=self.changes, writes=self.writes,
                        target_changes=self.target_changes, erase_contact=self.erase)
