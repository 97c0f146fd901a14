"""Pseudonyms of citizens (pure): the contact id is an HMAC of (office, number) under JARING_PSEUDONYM_KEY.

An unkeyed hash of a phone number is no pseudonym: Indonesian mobile numbers are about 10^10, so a loop
recovers the number from the hash. Keyed, the id (and everything derived from it: the staff handle, ids of
records that embed it) says nothing without the key, which only the functions that mint ids mount
(docs/SECURITY.md, "Rotating a secret").
"""
from __future__ import annotations

import hashlib
import hmac


def contact_id(key: bytes, office: str, number: str) -> str:
    if not key:
        raise ValueError("JARING_PSEUDONYM_KEY is not set: contact ids cannot be made without it")
    return "c" + hmac.new(key, f"contact\x1f{office}\x1f{number}".encode(), hashlib.sha256).hexdigest()[:40]
