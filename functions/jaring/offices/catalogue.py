"""Units and services as staff type them, matched to the office file's catalogue (pure).

Reports group answers by service name, so "legalisir ijazah", "Legalisir ijazah" and "Legalisir Ijazah
Madrasah Swasta" must all be the catalogue's one service, and "kua-mars" must not become a unit. Every way a
ticket comes in (the staff's #layani, tickets import, admin_api, the guest-book form, `ikm --store`) asks here:
- a unit is its id, or its name or list title as written (case and spacing aside); anything else is refused
  with the valid ids;
- a service (or a whole unit) the office file says is served elsewhere is refused, naming where;
- a service is the catalogue's service of that unit whose id, list title or name the typed words cover (case,
  punctuation and small typos aside: "legalisr ijazah" is Legalisir Ijazah Madrasah Swasta), or whose name is
  a near spelling of it as a whole; words that fit two services, or none, are refused with the choices.
The result is the catalogue's service name, which is what tickets, responses and reports keep.
"""
from __future__ import annotations

from jaring.messaging import matching
from jaring.offices.model import OfficeConfig, Service, Unit

NEAR = 88  # rapidfuzz ratio (0–100) for a whole name typed with a few typos
LISTED = 12  # at most this many choices named in a refusal


class NotInCatalogue(ValueError):
    """What was typed is not (or not clearly) one unit or service of the office file; says what is."""


def _names(*texts: str) -> list[str]:
    return [matching.normalise(t.replace("-", " ")) for t in texts if t]


def _choices(items: list[str]) -> str:
    shown = ", ".join(items[:LISTED])
    return shown + (f" (dan {len(items) - LISTED} lainnya)" if len(items) > LISTED else "")


def unit(config: OfficeConfig, typed: str) -> Unit:
    """The unit typed as its id, name or title; NotInCatalogue naming the valid ids otherwise."""
    said = matching.normalise((typed or "").replace("-", " "))
    for candidate in config.units:
        if said and said in _names(candidate.id, candidate.name, candidate.title):
            return candidate
    raise NotInCatalogue(f"unit {typed!r} tidak ada di berkas kantor; unit yang ada: "
                         f"{', '.join(u.id for u in config.units)}")


def _covers(words: list[str], service: Service) -> bool:
    """Every typed word is a word of the service's id, title or name (typos allowed by word length)."""
    known = {w for name in _names(service.id, service.title, service.name) for w in name.split()}
    return all(any(matching.distance(w, k, matching.allowed_typos(k)) <= matching.allowed_typos(k) for k in known)
               for w in words)


def _moved(what: str, unit: Unit, service_: Service | None = None) -> NotInCatalogue:
    return NotInCatalogue(f"{what} kini dilayani di {unit.served_at(service_).name}, bukan di kantor ini; "
                          "tidak ada tiket untuknya")


def service(config: OfficeConfig, unit_id: str, typed: str) -> str:
    """The catalogue's name of the service typed for a unit ("" when nothing was typed). A service (or a unit)
    the office file says is served elsewhere is refused: no ticket is made for what this office does not give."""
    said = matching.normalise((typed or "").replace("-", " "))
    owner = config.unit(unit_id)
    if owner is not None and owner.elsewhere:
        raise _moved(owner.name, owner)
    if not said:
        return ""
    services = list(owner.services) if owner else []
    where = owner.name if owner else unit_id
    exact = [s for s in services if said in _names(s.id, s.title, s.name)]
    covered = exact or [s for s in services if _covers(said.split(), s)]
    if not covered:
        from rapidfuzz import fuzz  # on first use, like jaring.messaging.matching

        covered = [s for s in services if max(fuzz.ratio(said, n) for n in _names(s.title, s.name)) >= NEAR]
    if len(covered) == 1:
        if owner.served_at(covered[0]):
            raise _moved(covered[0].name, owner, covered[0])
        return covered[0].name
    if covered:
        raise NotInCatalogue(f"layanan {typed!r} bisa berarti {' atau '.join(s.name for s in covered)}; "
                             "tulis lebih lengkap")
    if not services:
        raise NotInCatalogue(f"{where} tidak punya layanan di katalog")
    raise NotInCatalogue(f"layanan {typed!r} tidak ada di katalog {where}; pilih salah satu: "
                         f"{_choices([s.name for s in services])}")
