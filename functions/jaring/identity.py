"""Who is calling admin_api: a Google ID token, mapped to a staff member's role, office and unit.

The caller's email must belong to a registered staff member (the `staff` collection, read through
the `lookup` the caller passes in). For the local stack only — the Firestore emulator in use AND
JARING_DEV_IDENTITY_ALLOWED=1 — a header may state the identity instead.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

import requests

ROLES = ("officer", "head", "admin")  # admin: the whole office; head: own unit + follow-ups; officer: own unit
DEV_HEADER = "X-Jaring-Dev-Identity"
ISSUERS = ("accounts.google.com", "https://accounts.google.com")
CERTS_TTL = 3600.0


class IdentityError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Identity:
    email: str
    role: str
    office: str
    unit: str  # "" for an office-wide admin

    def may_act_on(self, office: str, unit: str) -> bool:
        return office == self.office and (self.role == "admin" or unit == self.unit)


def _from_staff(email: str, staff: dict[str, Any] | None) -> Identity:
    if not staff or staff.get("active") is False:
        raise IdentityError(403, f"{email} is not registered as staff")
    if staff.get("role") not in ROLES or not staff.get("office"):
        raise IdentityError(403, f"{email} has no valid role/office")
    return Identity(email, staff["role"], staff["office"], staff.get("unit") or "")


def _dev_identity(value: str) -> Identity:
    parts = value.split("|")
    if len(parts) != 4 or parts[1] not in ROLES or not parts[0] or not parts[2]:
        raise IdentityError(401, f"{DEV_HEADER} must be email|role|office|unit with role one of {', '.join(ROLES)}")
    return Identity(parts[0].strip().lower(), parts[1], parts[2], parts[3])


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
