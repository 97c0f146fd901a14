"""Citizens' WhatsApp numbers: one canonical form, and a mask for logs."""
from __future__ import annotations

import re


class InvalidPhoneNumber(ValueError):
    pass


def normalise(raw: str, region: str = "ID") -> str:
    """0812…, +62 812…, 62812… → '62812…' (E.164 digits without '+', as WhatsApp's wa_id)."""
    text = (raw or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits:
        raise InvalidPhoneNumber(f"not a phone number: {mask(text)!r}")
    import phonenumbers  # lazily: its metadata is heavy and only number-entry paths need it

    candidate = "+" + digits if (text.startswith("+") or not digits.startswith("0")) else digits
    try:
        parsed = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(f"not a phone number: {mask(text)!r}") from exc
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidPhoneNumber(f"not a possible phone number: {mask(text)!r}")
    return f"{parsed.country_code}{parsed.national_number}"


# A number as people type it: 10 to 16 digits, maybe a leading +, single spaces, dots or dashes between them.
PHONE_LIKE = re.compile(r"(?<![\w+])\+?(?:\d[ .\-]?){9,15}\d(?!\w)")


def mask_numbers(text: str) -> str:
    """Every phone-like run in a text masked ("+62 812-3456-7890" → 62812****7890): for logs and for staff
    commands kept after they are done."""
    return PHONE_LIKE.sub(lambda m: mask(m.group()), text or "")


def mask(number: str) -> str:
    """62812****0001: enough to tell people apart in a log, not enough to call them."""
    digits = "".join(ch for ch in str(number or "") if ch.isdigit())
    if len(digits) <= 8:
        return "*" * len(digits)
    return f"{digits[:5]}****{digits[-4:]}"
