"""Office configurations: read from versioned files, kept in Firestore, cached per process.

Reading a file and checking it is `read_file` (problems name the file and the line or key path);
`OfficeStore` keeps the loaded configurations (`office_configs`), who may sign in (`staff`, written from
them) and registers the offices' WhatsApp numbers (`numbers`, the messaging store's); the conversation gets
an OfficeConfig from `OfficeConfigs.get`, which re-reads Firestore at most once per TTL so a busy webhook
does not pay a read per message.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.cloud import firestore

from jaring.clock import Clock
from jaring.messaging.store import NUMBERS, guarded
from jaring.offices import model as office
from jaring.offices import onboarding
from jaring.offices.model import InvalidConfig, OfficeConfig
from jaring.offices.onboarding import rollup_bucket

log = logging.getLogger(__name__)

SEED_DIR = Path(__file__).with_name("seed")
TTL = dt.timedelta(seconds=60)
OFFICE_CONFIGS = "office_configs"
STAFF = "staff"  # staff/{email}: who may sign in, written from the office configurations by `config load`


class NumberTaken(InvalidConfig):
    """A WhatsApp number an office names is registered to another office (`problems`: one line each)."""


@dataclass(frozen=True)
class ConfigFile:
    path: str
    data: dict[str, Any]  # as stored: dates as ISO text
    config: OfficeConfig
    sha256: str

    def record(self) -> dict[str, Any]:
        c = self.config
        return {"office": c.office, "version": c.version, "config": self.data, "source": Path(self.path).name,
                "sha256": self.sha256, "name": c.name, "level": c.level, "parent": c.parent,
                "whatsapp_number_id": c.whatsapp_number_id, "whatsapp_number": c.whatsapp_number,
                "bucket": rollup_bucket(c.office)}

    def number_doc(self) -> dict[str, Any] | None:
        """`numbers/{whatsapp_number_id}`: which office a notification for this number belongs to."""
        c = self.config
        return {"office": c.office, "number": c.whatsapp_number, "source": Path(self.path).name} \
            if c.whatsapp_number_id else None

    def staff_docs(self) -> dict[str, dict[str, Any]]:
        """`staff/{email}` for everyone who signs in (identity reads these, not the file)."""
        return {s.email: {"office": self.config.office, "role": s.role, "unit": s.unit, "wa_id": s.number,
                          "name": s.name, "source": Path(self.path).name} for s in self.config.staff if s.email}


def read_file(path: str | Path) -> ConfigFile:
    """A checked configuration file, or InvalidConfig listing every problem in it."""
    path = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidConfig([f"{path}: cannot read: {exc.strerror or exc}"]) from exc
    try:
        data = office.storable(tomllib.loads(raw.decode("utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidConfig([f"{path}: {exc}"]) from exc
    unfilled = onboarding.placeholders(data)
    try:
        config = office.parse(data, path)
    except InvalidConfig as exc:  # a placeholder's own format errors add nothing to "still to fill in"
        others = [p for p in exc.problems if not any(p.startswith(f"{path}: {key}") for key, _ in unfilled)]
        raise InvalidConfig(_unfilled(path, unfilled) + others) from exc
    if unfilled:
        raise InvalidConfig(_unfilled(path, unfilled))
    markers = office.placeholder_markers(data, str(path))
    if markers:
        raise InvalidConfig(markers)
    return ConfigFile(path, data, config, hashlib.sha256(raw).hexdigest())


def _unfilled(path: str, unfilled: list[tuple[str, str]]) -> list[str]:
    return [f"{path}: {key}: still to fill in: {hint}" for key, hint in unfilled]


def read_files(paths: list[str]) -> list[ConfigFile]:
    """Every file checked; InvalidConfig with the problems of all of them (and offices or staff emails given
    twice: one email signs in to one office)."""
    found, problems, seen, emails = [], [], {}, {}
    for path in paths:
        try:
            item = read_file(path)
        except InvalidConfig as exc:
            problems += exc.problems
            continue
        if item.config.office in seen:
            problems.append(f"{path}: office.id: {item.config.office!r} is also configured in {seen[item.config.office]}")
        seen[item.config.office] = path
        for i, member in enumerate(s for s in item.config.staff if s.email):
            if member.email in emails and emails[member.email] != path:
                problems.append(f"{path}: staff[{i}].email: {member.email!r} is also staff in {emails[member.email]}")
            emails.setdefault(member.email, path)
        found.append(item)
    problems += onboarding.numbers_taken((f.path, f.config.office, f.config.whatsapp_number_id) for f in found)
    if problems:
        raise InvalidConfig(problems)
    return found


class OfficeStore:
    """Firestore: the loaded office configurations and the staff who may sign in."""

    def __init__(self, db: firestore.Client):
        self.db = db

    def offices(self) -> list[dict[str, Any]]:
        """Every loaded office: id, name, level, parent, number and when it was loaded (not the whole file)."""
        fields = ["office", "name", "level", "parent", "whatsapp_number_id", "whatsapp_number", "version",
                  "source", "loaded_at"]
        return sorted((s.to_dict() for s in guarded(self.db.collection(OFFICE_CONFIGS).select(fields).get)),
                      key=lambda d: d.get("office", ""))

    def office_config(self, office: str) -> dict[str, Any] | None:
        snap = guarded(self.db.collection(OFFICE_CONFIGS).document(office).get)
        return snap.get("config") if snap.exists else None

    def save_office_configs(self, configs: list[dict[str, Any]], staff: dict[str, dict[str, Any]],
                            now: dt.datetime, numbers: dict[str, dict[str, Any]] | None = None) -> int:
        """All or nothing: one batch for every office given ({office, config, version, source, sha256}), their
        staff ({email: {office, role, unit, wa_id, name}}) and their WhatsApp numbers ({number id: {office,
        number}}). Staff of these offices who are no longer in their file stay on record but inactive, so
        sign-in refuses them; a number these offices no longer name is unregistered. Raises NumberTaken, and
        writes nothing, when a number is registered to another office. Returns how many were deactivated."""
        numbers = numbers or {}
        offices = [item["office"] for item in configs]
        registered = guarded(lambda: list(self.db.get_all(
            [self.db.collection(NUMBERS).document(n) for n in numbers]))) if numbers else []
        taken = sorted(f"{numbers[snap.id]['office']}: number id {snap.id} is registered to {snap.get('office')}"
                       for snap in registered if snap.exists and snap.get("office") != numbers[snap.id]["office"])
        if taken:
            raise NumberTaken(taken)
        gone = [snap.reference for office in offices for snap in guarded(
            self.db.collection(STAFF).where(filter=firestore.FieldFilter("office", "==", office)).get)
            if snap.id not in staff and snap.to_dict().get("active") is not False]
        stale = [snap.reference for office in offices for snap in guarded(
            self.db.collection(NUMBERS).where(filter=firestore.FieldFilter("office", "==", office)).get)
            if snap.id not in numbers]
        batch = self.db.batch()
        for number_id, doc in numbers.items():
            batch.set(self.db.collection(NUMBERS).document(number_id), {**doc, "loaded_at": now})
        for ref in stale:
            batch.delete(ref)
        for item in configs:
            batch.set(self.db.collection(OFFICE_CONFIGS).document(item["office"]), {**item, "loaded_at": now})
        for email, doc in staff.items():
            batch.set(self.db.collection(STAFF).document(email), {**doc, "active": True, "loaded_at": now})
        for ref in gone:
            batch.update(ref, {"active": False, "deactivated_at": now})
        guarded(batch.commit)
        return len(gone)

    def staff_by_email(self, email: str) -> dict[str, Any] | None:
        """Who signs in with this Google account (identity reads this, not the office file)."""
        snap = guarded(self.db.collection(STAFF).document(email.lower()).get)
        return snap.to_dict() if snap.exists else None


class OfficeConfigs:
    """Firestore's configuration of an office, else the seed file shipped with the code, else a bare default."""

    def __init__(self, store: OfficeStore, clock: Clock, ttl: dt.timedelta = TTL):
        self.store, self.clock, self.ttl = store, clock, ttl
        self._cache: dict[str, tuple[dt.datetime, OfficeConfig]] = {}
        self._warned: set[str] = set()

    def get(self, office_id: str) -> OfficeConfig:
        now = self.clock.now()
        cached = self._cache.get(office_id)
        if cached and now < cached[0]:
            return cached[1]
        config, known = self._load(office_id, cached[1] if cached else None)
        if known:  # an id nobody configured (e.g. typed into a public URL) must not grow the cache
            self._cache[office_id] = (now + self.ttl, config)
        return config

    def known(self, office_id: str) -> bool:
        """Whether the office has a configuration, stored or shipped."""
        return office_id in self._cache or self._load(office_id, None)[1]

    def _load(self, office_id: str, previous: OfficeConfig | None) -> tuple[OfficeConfig, bool]:
        data = self.store.office_config(office_id)
        if data is not None:
            try:
                return office.parse(data, f"office_configs/{office_id}"), True
            except InvalidConfig as exc:  # only written after checking, so this is someone's hand edit
                log.error("stored configuration of %s is invalid, keeping the previous one: %s", office_id, exc)
                if previous is not None:
                    return previous, True
        seed = SEED_DIR / f"{office_id}.toml"
        if not seed.exists():
            return office.fallback(office_id), False
        if office_id not in self._warned:
            self._warned.add(office_id)
            log.warning("office %s has no configuration in Firestore (python -m jaring config load); using %s",
                        office_id, seed.name)
        return read_file(seed).config, True
