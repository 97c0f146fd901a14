"""Onboarding an office (pure): what a new office's file still lacks, and the offices' tree.

A new office starts from seed/templates/kantor-baru.toml, whose every value to fill in starts with
"ISI:" and says what goes there; `python -m jaring config check FILE` lists each one still left, every error,
and what is still missing for the office to work fully (`missing`). The tree: a district or city office
(level kabupaten) under its Kanwil (level kanwil) under the ministry (level pusat); `tree_problems` checks
the parents of the offices known together, `below` gives the offices under one of them.
"""
from __future__ import annotations

import hashlib
from typing import Any, Iterable, Mapping

from jaring.offices.model import LEVELS, OfficeConfig

BUCKETS = 96  # quarter-hours in a day: the sweep (every 15 minutes) refreshes each office's roll-up summary once a day
PLACEHOLDER = "ISI:"  # "ISI: what to write here" marks a value still to fill in (isi = fill in)
SIGN_IN_ROLES = {"kabupaten": ("office_head", "admin"), "kanwil": ("office_head", "admin", "planning", "inspectorate"),
                 "pusat": ("office_head", "admin", "planning", "inspectorate")}


def placeholders(data: Any, path: str = "") -> list[tuple[str, str]]:
    """(key path, what to write) of every value in the file still starting with ISI:."""
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in placeholders(value, f"{path}.{key}" if path else key)]
    if isinstance(data, list):
        return [found for i, value in enumerate(data) for found in placeholders(value, f"{path}[{i}]")]
    if isinstance(data, str) and data.strip().startswith(PLACEHOLDER):
        return [(path, data.strip()[len(PLACEHOLDER):].strip())]
    return []


def missing(config: OfficeConfig) -> list[str]:
    """What a valid configuration still lacks for the office to work fully (not errors: it can be loaded)."""
    out = []
    if config.level == "kabupaten":
        if not config.whatsapp_number_id:
            out.append("office.whatsapp_number_id / whatsapp_number: the office's own WhatsApp number (only the "
                       "deployment's default office may go without: WHATSAPP_PHONE_NUMBER_ID)")
        if not config.units:
            out.append("[[units]]: no service catalogue: citizens get only the greeting, hours and a person")
        if not config.survey.templates:
            out.append("[survey.templates]: no approved template names: invitations and nudges outside the "
                       "24-hour window cannot be sent (python -m jaring templates register)")
        if not config.survey.form_url:
            out.append("[survey] form_url: no public SKM form link for the menu")
        if not any(s.number for s in config.staff):
            out.append("[[staff]] number: nobody receives hand-offs, complaints or staff commands on WhatsApp")
        for unit in config.units:
            for place, what in [(unit.elsewhere, unit.id)] + [(s.elsewhere, f"{unit.id}/{s.id}") for s in unit.services]:
                if place and not (place.address or place.number or place.link):
                    out.append(f"{what} served_elsewhere: {place.name} has no address, number or link: citizens "
                               "are told where to go but not how to reach it")
    if config.level != "pusat" and not config.parent:
        out.append("office.parent: no parent office: this office is in no Kanwil's or national roll-up")
    roles = SIGN_IN_ROLES[config.level]
    if not any(s.email and s.role in roles for s in config.staff):
        out.append(f"[[staff]] email + role {' or '.join(roles)}: nobody of this office can sign in to "
                   + ("the reports and admin_api" if config.level == "kabupaten" else "the roll-up of the offices below"))
    return out


def tree_problems(places: Mapping[str, tuple[str, str]]) -> list[str]:
    """Problems of the offices' tree, {office: (level, parent)}: each parent known and one level up."""
    out = []
    for office, (level, parent) in sorted(places.items()):
        if not parent:
            continue
        if parent not in places:
            out.append(f"{office}: office.parent: {parent!r} is not configured (load its file first, or with this one)")
            continue
        expected = LEVELS[min(LEVELS.index(level) + 1, len(LEVELS) - 1)]
        if places[parent][0] != expected:
            out.append(f"{office}: office.parent: {parent!r} is a {places[parent][0]} office; a {level} office's "
                       f"parent must be a {expected} office")
    return out


def below(places: Mapping[str, tuple[str, str]], office: str) -> list[str]:
    """Every office under `office` (children, their children, …), sorted; never the office itself."""
    children: dict[str, list[str]] = {}
    for name, (_, parent) in places.items():
        children.setdefault(parent, []).append(name)
    found, todo = [], list(children.get(office, ()))
    while todo:
        name = todo.pop()
        if name in found or name == office:
            continue
        found.append(name)
        todo += children.get(name, ())
    return sorted(found)


def numbers_taken(files: Iterable[tuple[str, str, str]]) -> list[str]:
    """Problems when one WhatsApp number id is named by two offices: files as (path, office, number id)."""
    owner: dict[str, tuple[str, str]] = {}
    out = []
    for path, office, number_id in files:
        if not number_id:
            continue
        if number_id in owner and owner[number_id][1] != office:
            out.append(f"{path}: office.whatsapp_number_id: {number_id} is also the number of {owner[number_id][1]} "
                       f"({owner[number_id][0]})")
        owner.setdefault(number_id, (path, office))
    return out


def rollup_bucket(office: str) -> int:
    """The quarter-hour of the day (WIB) in which the sweep refreshes this office's roll-up summary."""
    return int(hashlib.sha256(office.encode()).hexdigest()[:8], 16) % BUCKETS
