"""Who is calling admin_api: a Google ID token, mapped to a staff member's role, office and unit.

The caller's email must belong to a registered staff member (the `staff` collection, written by
`python -m jaring config load` from the office configuration, read through the `lookup` the caller
passes in). For the local stack only — the Firestore emulator in use AND
JARING_DEV_IDENTITY_ALLOWED=1 — a header may state the identity instead.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

import requests

# The roles of staff, as office configuration files, `staff/{email}` documents and firestore.rules name them:
#   officer       own unit's tickets          unit_head     own unit's tickets, follow-ups and reports
#   office_head   the whole office            admin         the whole office (and its set-up)
#   inspectorate  whistleblowing reports only, no tickets
#   planning      a Kanwil's or the ministry's planning bureau: the roll-up of the offices below, no tickets
# At a Kanwil or the ministry (office level kanwil/pusat), office_head, planning, inspectorate and admin see
# the roll-up of every office below theirs (reports /rollup), never one office's citizens or tickets.
ROLES = ("officer", "unit_head", "office_head", "inspectorate", "admin", "planning")
UNIT_ROLES = ("officer", "unit_head")  # these need a unit
OFFICE_WIDE = ("office_head", "admin")
DEV_HEADER = "X-Jaring-Dev-Identity"
ISSUERS = ("accounts.google.com", "https://accounts.google.com")
CERTS_TTL = 3600.0


def covers(role: str, own_unit: str, unit: str) -> bool:
    """Whether someone of this role (and unit) may act on a unit's tickets."""
    return role in OFFICE_WIDE or (role in UNIT_ROLES and unit == own_unit)


class IdentityError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Identity:
    email: str
    role: str
    office: str
    unit: str  # "" for an office-wide role

    @property
    def office_wide(self) -> bool:
        return self.role in OFFICE_WIDE

    def may_act_on(self, office: str, unit: str) -> bool:
        return office == self.office and covers(self.role, self.unit, unit)


def _usable(email: str, role: Any, office: Any, unit: Any) -> bool:
    return bool(email and office and role in ROLES and (role not in UNIT_ROLES or unit))


def _from_staff(email: str, staff: dict[str, Any] | None) -> Identity:
    if not staff or staff.get("active") is False:
        raise IdentityError(403, f"{email} is not registered as staff")
    if not _usable(email, staff.get("role"), staff.get("office"), staff.get("unit")):
        raise IdentityError(403, f"{email} has no valid role/office/unit")
    return Identity(email, staff["role"], staff["office"], staff.get("unit") or "")


def _dev_identity(value: str) -> Identity:
    parts = [p.strip() for p in value.split("|")]
    if len(parts) != 4 or not _usable(*parts):
        raise IdentityError(401, f"{DEV_HEADER} must be email|role|office|unit with role one of {', '.join(ROLES)} "
                                 f"(a unit for {' and '.join(UNIT_ROLES)})")
    return Identity(parts[0].lower(), parts[1], parts[2], parts[3])


class _Certs:
    """Google's signing certificates, fetched at most once an hour per instance."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, dict[str, str]]] = {}

    def get(self, url: str) -> dict[str, str]:
        with self._lock:
            fetched = self._cache.get(url)
            if fetched and time.monotonic() - fetched[0] < CERTS_TTL:
                return fetched[1]
        try:
            answer = requests.get(url, timeout=5)
            answer.raise_for_status()
            certs = answer.json()
        except (requests.RequestException, ValueError) as exc:
            raise IdentityError(503, "cannot fetch Google's token certificates") from exc
        with self._lock:
            self._cache[url] = (time.monotonic(), certs)
        return certs


_certs = _Certs()


def verify_google_token(token: str, audience: str, certs_url: str) -> str:
    """The verified email of a Google-signed ID token for `audience`."""
    from google.auth import jwt

    try:
        claims = jwt.decode(token, certs=_certs.get(certs_url), audience=audience, clock_skew_in_seconds=10)
    except ValueError as exc:
        raise IdentityError(401, f"invalid ID token: {str(exc)[:80]}") from exc
    if claims.get("iss") not in ISSUERS:
        raise IdentityError(401, "ID token is not issued by Google")
    if not claims.get("email") or claims.get("email_verified") is not True:
        raise IdentityError(401, "ID token has no verified email")
    return str(claims["email"]).lower()


def identify(request: Any, settings: Any, lookup: Callable[[str], dict[str, Any] | None]) -> Identity:
    """The caller's Identity, or IdentityError(401 no/invalid credentials | 403 not staff)."""
    dev = request.headers.get(DEV_HEADER)
    if dev is not None:
        if not (settings.emulator_host and settings.dev_identity_allowed):
            raise IdentityError(401, f"{DEV_HEADER} is only accepted by the local stack")
        return _dev_identity(dev)
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer ") or not auth[7:].strip():
        raise IdentityError(401, "missing Authorization: Bearer <Google ID token>")
    if not settings.admin_audience:
        raise IdentityError(503, "JARING_ADMIN_AUDIENCE is not configured")
    email = verify_google_token(auth[7:].strip(), settings.admin_audience, settings.id_token_certs_url)
    return _from_staff(email, lookup(email))
