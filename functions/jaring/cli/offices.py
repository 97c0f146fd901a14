"""`python -m jaring offices list`: every office this deployment serves, as `config load` registered it.

One line per office: id, name, level, parent, its WhatsApp number (and Meta's number id), the version and
file loaded and when (WIB). Offices without a number cannot be reached on WhatsApp unless they are the
deployment's default office (WHATSAPP_PHONE_NUMBER_ID, JARING_DEFAULT_OFFICE).
"""
from __future__ import annotations

import argparse
import os

from jaring.cli import add_project, no_project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["list"])
    add_project(parser)


def run(args: argparse.Namespace) -> int:
    if no_project(args):
        return 2
    from jaring.app import office_store_of_project
    from jaring.clock import WIB
    from jaring.messaging.store import StoreUnavailable

    try:
        offices = office_store_of_project(args.project).offices()
    except StoreUnavailable as exc:
        print(f"error: {exc}")
        return 1
    default = os.environ.get("JARING_DEFAULT_OFFICE", "kemenag-bangkalan")
    rows = [("office", "name", "level", "parent", "WhatsApp number", "number id", "version", "loaded (WIB)")]
    for d in offices:
        loaded = d.get("loaded_at")
        number = d.get("whatsapp_number") or ("(default number)" if d.get("office") == default else "(none)")
        rows.append((d.get("office", ""), d.get("name", ""), d.get("level") or "kabupaten", d.get("parent") or "-",
                     number, d.get("whatsapp_number_id") or "-", d.get("version", ""),
                     loaded.astimezone(WIB).strftime("%Y-%m-%d %H:%M") if loaded else "-"))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip())
    print(f"{len(offices)} office(s)")
    return 0
