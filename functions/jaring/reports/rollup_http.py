"""What the `reports` function answers for the roll-ups.

Private: /rollup, /rollup/export.csv, /rollup/export.xlsx (query: period) for staff of a Kanwil or of the
ministry (office level kanwil or pusat) with role office_head, planning, inspectorate or admin: the district
and city offices below their office, never any other. Public, no sign-in: /public/nasional?year=2026, every
district and city office's IKM and response rate per quarter.
Reads per view: the loaded offices (one projected document each) and offices × months summaries.
"""
from __future__ import annotations

from typing import Any, Mapping

from jaring.offices import onboarding
from jaring.reports import report, rollup, rollup_views
from jaring.app import Jaring
from jaring.clock import WIB
from jaring.identity import Identity, IdentityError
from jaring.reports.rollup_store import RollupStore

Answer = tuple[Any, int, dict[str, str]]
NATIONAL = "nasional"  # /public/nasional: no office has this id (ids are checked by config load)
ROLES = ("office_head", "planning", "inspectorate", "admin")


def _offices(store: RollupStore) -> tuple[dict[str, dict[str, Any]], dict[str, tuple[str, str]]]:
    loaded = {d["office"]: d for d in store.offices()}
    return loaded, {o: (d.get("level") or "kabupaten", d.get("parent") or "") for o, d in loaded.items()}


def _districts(loaded: dict[str, dict[str, Any]], ids: list[str]) -> list[tuple[str, str, str]]:
    """(id, name, the name of the office above it) of the district and city offices among `ids`."""
    def name(office: str) -> str:
        return (loaded.get(office) or {}).get("name") or office
    return [(o, name(o), name(loaded[o].get("parent") or "")) for o in ids
            if (loaded[o].get("level") or "kabupaten") == "kabupaten"]


def private(app: Jaring, who: Identity, path: str, args: Mapping[str, str], headers: dict[str, str]) -> Answer:
    store = RollupStore(app.store.db)
    loaded, places = _offices(store)
    mine = loaded.get(who.office) or {}
    if (mine.get("level") or "kabupaten") not in ("kanwil", "pusat") or who.role not in ROLES:
        raise IdentityError(403, "roll-ups are for a Kanwil's or the ministry's heads, planning, inspectorate and "
                                 "admins")
    now = app.clock.now()
    period = report.parse_period(args.get("period"), now.astimezone(WIB).date())
    offices = _districts(loaded, onboarding.below(places, who.office))
    docs = store.summaries([o for o, _, _ in offices], rollup.months_needed(period))
    built = rollup.build(mine.get("name") or who.office, period, offices, docs)
    path = path.rstrip("/")
    name = f"rollup-{who.office}-{period.key.replace('..', '_')}"
    if path == "/rollup/export.csv":
        return rollup_views.to_csv(built), 200, {**headers, "Content-Type": "text/csv; charset=utf-8",
                                                 "Content-Disposition": f'attachment; filename="{name}.csv"'}
    if path == "/rollup/export.xlsx":
        return rollup_views.to_xlsx(built), 200, {
            **headers, "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Content-Disposition": f'attachment; filename="{name}.xlsx"'}
    if path == "/rollup":
        return (rollup_views.dashboard(built, f"period={period.key}"), 200,
                {**headers, "Content-Type": "text/html; charset=utf-8"})
    return "Not found", 404, headers


def public(app: Jaring, year: int, this_year: int, headers: dict[str, str]) -> Answer:
    store = RollupStore(app.store.db)
    loaded, _ = _offices(store)
    offices = _districts(loaded, sorted(loaded))
    months = [m for q in range(1, 5) for m in report.months_of(report.quarter(year, q))]
    table = rollup.public_table(year, offices, store.summaries([o for o, _, _ in offices], months))
    years = list(range(this_year, max(2017, this_year - 4) - 1, -1))
    return (rollup_views.public_page(year, table, years), 200,
            {**headers, "Content-Type": "text/html; charset=utf-8", "Cache-Control": "public, max-age=300"})
