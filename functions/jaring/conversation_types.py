"""The result of handling one inbound message, shared by the conversation and the store."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jaring.outbox import Outgoing


@dataclass
class Decision:
    """Written atomically with the inbound message it answers."""

    outgoing: list[Outgoing] = field(default_factory=list)
    contact_changes: dict[str, Any] = field(default_factory=dict)
    # Further documents to create with the message: (collection, id, data).
    writes: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
