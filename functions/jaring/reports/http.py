"""What the `reports` function answers for each path, once the caller is known.

Private (signed-in staff): /  dashboard · /export.csv · /export.xlsx · /notice  (query: period, unit,
service, channel). Admins and the office head see every unit; a unit head sees only that unit;
officers and the inspectorate see none. The office's name comes from its configuration file.
Public, no sign-in: /public/<office>?year=2026, counts and indices only.
Roll-ups: /rollup… for a Kanwil's or the ministry's staff, and the national /public/nasional (below).
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from jaring.app import Jaring
from jaring.clock import WIB
from jaring.identity import Identity, IdentityError
from jaring.offices import onboarding
from jaring.reports import report, export as report_export, rollup, rollup_views, views as report_views
from jaring.survey.responses import CHANNELS

Answer = tuple[Any, int, dict[str, str]]
SAFE = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'"}
PRIVATE = {**SAFE, "Cache-Control": "private, no-store"}
HTML = "text/html; charset=utf-8"
OFFICE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


class BadRequest(ValueError):
    """A query parameter the reports cannot use; answered 400 with this message."""


def _scope(who: Identity, args: Mapping[str, str]) -> report.Scope:
    wanted = args.get("unit") or None
    if who.office_wide:
        unit = wanted
    elif who.role == "unit_head":
        if wanted and wanted != who.unit:
            raise IdentityError(403, f"{who.email} may only see the reports of {who.unit}")
        unit = who.unit
    else:
        raise IdentityError(403, "reports are for heads of units, the office head and admins")
    channel = args.get("channel") or None
    if channel is not None and channel not in CHANNELS:
        raise BadRequest(f"channel must be one of {', '.join(CHANNELS)}")
    return report.Scope(who.office, unit, args.get("service") or None, channel)


def private(app: Jaring, who: Identity, path: str, args: Mapping[str, str]) -> Answer:
    if path.rstrip("/") == "/rollup" or path.startswith("/rollup/"):  # a Kanwil's or the ministry's
        return rollup_private(app, who, path, args, PRIVATE)
    now = app.clock.now()
    scope = _scope(who, args)
    period = report.parse_period(args.get("period"), now.astimezone(WIB).date())
    store = app.report_store
    config = app.office_config(scope.office)
    names = report.Names.of(config)
    # An office-wide viewer reads the whole office once: the unit list comes from the same documents.
    docs = store.aggregates(scope.office, period, None if who.office_wide else scope.unit)
    built = store.load(scope, period, now, aggregates=docs, names=names)
    path = path.rstrip("/")
    if path == "/export.csv":
        return _download(report_export.to_csv(built), "text/csv; charset=utf-8", built, "csv")
    if path == "/export.xlsx":
        return _download(report_export.to_xlsx(built),
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", built, "xlsx")
    office_name = config.name
    if path == "/notice":
        return report_views.notice(built, office_name), 200, {**PRIVATE, "Content-Type": HTML}
    if path == "":
        # Every unit of the office file served here (not one served elsewhere now), and any other unit that has
        # answers in the period.
        here = (u.id for u in config.units if not u.elsewhere)
        units = (sorted({*here, *(d["unit"] for d in docs)}, key=names.unit) if who.office_wide else None)
        units = [(u, names.unit(u)) for u in units] if units is not None else None
        services = sorted({d["service"] for d in docs if d["service"] and (not scope.unit or d["unit"] == scope.unit)})
        return report_views.dashboard(built, office_name, units, services), 200, {**PRIVATE, "Content-Type": HTML}
    return "Not found", 404, PRIVATE


def _download(body: bytes, content_type: str, built: report.Report, extension: str) -> Answer:
    name = report_export.filename(built, extension)
    return body, 200, {**PRIVATE, "Content-Type": content_type, "Content-Disposition": f'attachment; filename="{name}"'}


def public(app: Jaring, office: str, args: Mapping[str, str]) -> Answer:
    office = office.strip("/")
    if office != NATIONAL and (not OFFICE_ID.fullmatch(office) or not app.office_known(office)):
        return "Not found", 404, SAFE
    this_year = app.clock.now().astimezone(WIB).year
    try:
        year = int(args.get("year") or this_year)
    except ValueError:
        raise BadRequest("year must be a number like 2026") from None
    if not 2017 <= year <= this_year:
        raise BadRequest(f"year must be between 2017 and {this_year}")
    if office == NATIONAL:
        return rollup_public(app, year, this_year, SAFE)
    store = app.report_store
    config = app.office_config(office)
    rows = report.public_rows(office, year, store.aggregates(office, report.year(year)),
                              names=report.Names.of(config))
    years = list(range(this_year, max(2017, this_year - 4) - 1, -1))
    body = report_views.public_page(config.name, year, rows, years)
    return body, 200, {**SAFE, "Content-Type": HTML, "Cache-Control": "public, max-age=300"}


# -- roll-ups: a Kanwil's and the ministry's, and the national public page (issue 17) --------------------
# Reads per view: the loaded offices (one projected document each) and offices × months summaries (rollup_store).
NATIONAL = "nasional"  # /public/nasional: no office has this id (ids are checked by config load)
ROLLUP_ROLES = ("office_head", "planning", "inspectorate", "admin")


def _offices(store: Any) -> tuple[dict[str, dict[str, Any]], dict[str, tuple[str, str]]]:
    loaded = {d["office"]: d for d in store.offices()}
    return loaded, {o: (d.get("level") or "kabupaten", d.get("parent") or "") for o, d in loaded.items()}


def _districts(loaded: dict[str, dict[str, Any]], ids: list[str]) -> list[tuple[str, str, str]]:
    """(id, name, the name of the office above it) of the district and city offices among `ids`."""
    def name(office: str) -> str:
        return (loaded.get(office) or {}).get("name") or office
    return [(o, name(o), name(loaded[o].get("parent") or "")) for o in ids
            if (loaded[o].get("level") or "kabupaten") == "kabupaten"]


def rollup_private(app: Jaring, who: Identity, path: str, args: Mapping[str, str], headers: dict[str, str]) -> Answer:
    store = app.rollup_store
    loaded, places = _offices(store)
    mine = loaded.get(who.office) or {}
    if (mine.get("level") or "kabupaten") not in ("kanwil", "pusat") or who.role not in ROLLUP_ROLES:
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


def rollup_public(app: Jaring, year: int, this_year: int, headers: dict[str, str]) -> Answer:
    store = app.rollup_store
    loaded, _ = _offices(store)
    offices = _districts(loaded, sorted(loaded))
    months = [m for q in range(1, 5) for m in report.months_of(report.quarter(year, q))]
    table = rollup.public_table(year, offices, store.summaries([o for o, _, _ in offices], months))
    years = list(range(this_year, max(2017, this_year - 4) - 1, -1))
    return (rollup_views.public_page(year, table, years), 200,
            {**headers, "Content-Type": "text/html; charset=utf-8", "Cache-Control": "public, max-age=300"})
