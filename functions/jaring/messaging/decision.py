"""The result of handling one inbound message, shared by the conversation and the store."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from jaring.messaging.outbox import Outgoing


@dataclass
class Decision:
    """Written atomically with the inbound message it answers."""

    outgoing: list[Outgoing] = field(default_factory=list)
    contact_changes: dict[str, Any] = field(default_factory=dict)
    # Further documents to create with the message: (collection, id, data).
    writes: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    # Adapter writes composed into the same transaction after its reads, called with it (tickets, surveys).
    stage: list[Callable[[Any], None]] = field(default_factory=list)
    # Changes to the citizen a staff message is about (merged into that contact in the same transaction).
    target_changes: dict[str, Any] = field(default_factory=dict)
    # The sender asked for their personal data to be erased: done after the replies are sent.
    erase_contact: bool = False
    # The message is part of a whistleblowing report or its PIN: keep no text or media on the inbound record.
    redact_inbound: bool = False
    # A staff message about a citizen (a command naming them or their complaint): the citizen's contact id, kept
    # as `about` on the message and on the replies to the staff member, so erasing the citizen finds them.
    about: str = ""
    # What to keep of the message's text instead of its words (a staff command with the number it named masked).
    inbound_text: str | None = None
