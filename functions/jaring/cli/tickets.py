"""`python -m jaring tickets import FILE.csv`: tickets from a PTSP export or a back-fill.

All or nothing (see jaring.tickets.csv_import): a file with any bad row is refused with every bad line listed.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["import"])
    parser.add_argument("file", type=Path, help="CSV with nomor_wa, persetujuan, unit, layanan, … (comma or ;)")
    parser.add_argument("--office", help="the office the tickets belong to (default JARING_DEFAULT_OFFICE)")
    parser.add_argument("--unit", default="", help="unit for rows without a unit column")


def run(args: argparse.Namespace) -> int:
    from jaring.cli import SENDS, current_app, office_config, unit_of
    from jaring.tickets import csv_import as ticket_csv
    from jaring.tickets import service as ticketing

    try:
        text = args.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {args.file}: {exc}")
        return 2
    jaring = current_app(*SENDS)
    if jaring is None:
        return 2
    office = args.office or jaring.settings.default_office
    config = office_config(jaring, office)
    if config is None or (args.unit and unit_of(config, args.unit) is None):
        return 2
    rows, errors = ticket_csv.parse(text, config, args.unit and unit_of(config, args.unit))
    if errors:
        print(f"error: {args.file} not imported ({len(errors)} bad row(s)); nothing was written:")
        for error in errors:
            print(f"  {error}")
        return 1
    tally = {"created": 0, "existing": 0, "invitations": 0}
    for row in rows:
        result = ticketing.open_ticket(jaring, row.spec, row.wa_id, row.name)
        tally["created" if result.created else "existing"] += 1
        tally["invitations"] += result.invitation is not None
    print(json.dumps({"file": str(args.file), "rows": len(rows), **tally}))
    return 0
