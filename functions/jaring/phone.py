"""Citizens' WhatsApp numbers: one canonical form, and a mask for logs."""
from __future__ import annotations


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


def mask(number: str) -> str:
    """62812****0001: enough to tell people apart in a log, not enough to call them."""
    digits = "".join(ch for ch in str(number or "") if ch.isdigit())
    if len(digits) <= 8:
        return "*" * len(digits)
    return f"{digits[:5]}****{digits[-4:]}"
