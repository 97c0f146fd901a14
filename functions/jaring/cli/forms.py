"""`python -m jaring forms register FORM_ID …`: tell Jaring whose a Google Form is and how to read it.

setup.gs prints this command with the right values for the forms it creates. An office keeping its
own form adds --mapping FILE.json: {"<item title or id>": "U1" | {"field": "U4", "choices": [4 labels]}
| "token" | "service" | "suggestion" | "sex" | …}.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["register"])
    parser.add_argument("form_id")
    parser.add_argument("--kind", choices=["skm", "logbook"], required=True)
    parser.add_argument("--office", help="default JARING_DEFAULT_OFFICE")
    parser.add_argument("--unit", required=True, help="unit for answers without a ticket (walk-ins)")
    parser.add_argument("--url", default="", help="the SKM form's viewform URL (for personal links)")
    parser.add_argument("--token-entry", default="", help="entry.NNN of the ticket-code question")
    parser.add_argument("--mapping", type=Path, help="JSON mapping of an office's own form items")


def run(args: argparse.Namespace) -> int:
    import re

    from jaring.cli import current_app, office_config, unit_of
    from jaring.tickets import ticket as tickets

    if args.kind == "skm" and not (args.url.startswith("https://docs.google.com/forms/")
                                   and re.fullmatch(r"entry\.\d+", args.token_entry)):
        print("error: an SKM form needs --url https://docs.google.com/forms/… and --token-entry entry.NNN")
        return 2
    try:
        unit = tickets.slug(args.unit, "unit")
        items = json.loads(args.mapping.read_text(encoding="utf-8")) if args.mapping else {}
        if not isinstance(items, dict):
            raise ValueError("the mapping must be a JSON object")
    except (tickets.TicketError, OSError, ValueError) as exc:
        print(f"error: {exc}")
        return 2
    jaring = current_app()
    if jaring is None:
        return 2
    office = args.office or jaring.settings.default_office
    config = office_config(jaring, office)
    unit = config and unit_of(config, args.unit)
    if not unit:
        return 2
    jaring.ticket_store.register_form(args.form_id, {
        "office": office, "kind": args.kind, "unit": unit, "url": args.url, "token_entry": args.token_entry,
        "items": items})
    print(json.dumps({"form": args.form_id, "office": office, "kind": args.kind, "unit": unit}))
    return 0
