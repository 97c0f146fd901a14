"""`python -m jaring ikm FILE.csv [--json]`: the IKM of a paper or spreadsheet survey.

With --store --unit U --date YYYY-MM-DD the same rows are kept as paper responses of that unit,
so they count in the reports; storing the same file twice stores it once.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys

from jaring.reports import ikm
from jaring.survey import paper


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="CSV with a header row naming the nine unsur (values 1..4, blank = not "
                                     "answered)")
    parser.add_argument("--order", choices=paper.ORDERS, help="how numbered columns (U8, Q9, 8…) are meant: "
                        + paper.ORDER_HELP)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--store", action="store_true", help="also store the rows as paper responses")
    parser.add_argument("--unit", help="with --store: the unit surveyed (e.g. 'KUA Kamal')")
    parser.add_argument("--date", type=dt.date.fromisoformat, help="with --store: survey day, YYYY-MM-DD")
    parser.add_argument("--service", default="", help="with --store: service, unless the sheet has a column")
    parser.add_argument("--office", help="with --store: office id (default: the configured office)")


def priorities(index: ikm.Index) -> str:
    return (", ".join(f"{u.key} {u.name} ({u.nik_shown})" for u in index.priorities())
            or "tidak ada: semua unsur sudah Sangat Baik")


def table(index: ikm.Index) -> str:
    lines = [f"{'Unsur':<46} {'Dijawab':>7} {'NRR':>7} {'NRR×25':>7}"]
    lines += [f"{u.key} {u.name:<43} {u.answered:>7} {float(u.nrr):>7.4f} {u.nik_shown:>7}" for u in index.unsur]
    lines += ["", f"Responden        : {index.respondents}",
              f"IKM              : {index.shown}  (nilai interval {float(index.ikm_unit):.4f})",
              f"Mutu pelayanan   : {index.mutu}",
              f"Kinerja          : {index.kinerja}",
              "Prioritas perbaikan: " + priorities(index)]
    return "\n".join(lines)


def as_json(index: ikm.Index, sheet: paper.Sheet) -> dict:
    return {"respondents": index.respondents, "nrr": [float(n) for n in index.nrr], "ikm": float(index.ikm),
            "ikm_shown": str(index.shown), "mutu": index.mutu, "kinerja": index.kinerja,
            "nrr_x25": {u.key: float(u.nik) for u in index.unsur},
            "answered": {u.key: u.answered for u in index.unsur},
            "weakest_first": [u.key for u in index.weakest_first()],
            "priorities": [u.key for u in index.priorities()],
            "mapping": {header: u for header, u in sheet.mapping}, "blank_rows": sheet.blank_rows}


def run(args: argparse.Namespace) -> int:
    try:
        with open(args.file, "rb") as fh:
            raw = fh.read()
        sheet = paper.read(raw.decode("utf-8"), args.order)
    except (OSError, UnicodeDecodeError) as exc:
        return fail(f"cannot read {args.file}: {exc}")
    except paper.PaperError as exc:
        return fail(str(exc))
    try:
        index = ikm.compute(ikm.Tally.of(r.answers for r in sheet.rows))
    except ikm.NoResponses as exc:
        return fail(f"no index: {exc} on any row")
    if args.store:
        code = store(args, sheet.rows, hashlib.sha256(raw).hexdigest()[:16])
        if code:
            return code
    if args.json:
        print(json.dumps(as_json(index, sheet)))
    else:
        blank = [f"row {n}: no unsur answered, not a respondent" for n in sheet.blank_rows]
        print("\n".join([*sheet.describe(), *blank, "", table(index)]))
    return 0


def store(args: argparse.Namespace, rows: list[paper.Row], file_key: str) -> int:
    from jaring.cli import current_app, office_config, unit_of
    from jaring.offices import catalogue
    from jaring.clock import WIB
    from jaring.survey.responses import InvalidResponse, validate

    if not args.unit or not args.date:
        return fail("--store needs --unit and --date")
    jaring = current_app()
    if jaring is None:
        return 2
    # Paper forms carry a day, not a time: count them at noon WIB of that day.
    at = dt.datetime.combine(args.date, dt.time(12), WIB)
    office = args.office or jaring.settings.default_office
    config = office_config(jaring, office)
    unit = config and unit_of(config, args.unit)
    if not unit:
        return 2
    responses = []
    for row in rows:
        try:
            service = catalogue.service(config, unit, row.extra.get("service", args.service))
            responses.append(validate(
                office=office, unit=unit, service=service, channel="paper",
                submitted_at=at, answers=row.answers, source_id=f"paper:{file_key}:{row.number}",
                suggestion=row.extra.get("suggestion", ""),
                profile={k: v for k, v in row.extra.items() if k not in ("service", "suggestion")}))
        except (InvalidResponse, catalogue.NotInCatalogue) as exc:
            return fail(f"row {row.number}: {exc}")
    added, before = jaring.response_store.add_many(responses)
    print(f"stored {added} paper responses of {config.unit(unit).name} on {args.date} ({before} were stored before)",
          file=sys.stderr)
    return 0


def fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2
