"""Short codes people can read out and type: reference numbers and the handle staff use for a citizen."""
from __future__ import annotations

import hashlib

# No 0/O, 1/I/L: codes are read aloud at a counter and typed on phones.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def code(*parts: str, length: int = 6) -> str:
    number = int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:8], "big")
    out = []
    for _ in range(length):
        number, digit = divmod(number, len(ALPHABET))
        out.append(ALPHABET[digit])
    return "".join(out)


def reference(prefix: str, wamid: str) -> str:
    """A request's or complaint's number, fixed by the message that made it (a redelivery gets the same)."""
    return f"{prefix}-{code(prefix, wamid)}"


def handle(contact_id: str) -> str:
    """How staff name a citizen in commands (#balas HANDLE …) without seeing the phone number."""
    return "W" + code("handle", contact_id, length=6)
