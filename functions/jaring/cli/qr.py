"""`python -m jaring qr UNIT`: a unit's self check-in poster (SVG, or the same poster as PNG for printing).

Scanning opens a WhatsApp chat with the office's number and a pre-filled message ending in the unit's
code; sending it opens a ticket for that unit (jaring.tickets.chat). The office, its number (`[office]
whatsapp_number`) and the unit's name come from the office file, so a poster can be made before anything is deployed.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path
from urllib.parse import quote


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("unit", help="the unit's id or name in the office file, e.g. umum or kua-socah")
    parser.add_argument("--config", type=Path, help="the office file (default jaring/offices/seed/<JARING_DEFAULT_OFFICE>.toml)")
    parser.add_argument("--number", default="", help="the office's WhatsApp number, when the file has none")
    parser.add_argument("--format", choices=["svg", "png"], default="svg")
    parser.add_argument("--out", type=Path, help="output file (default qr-UNIT.svg/png)")


def link(number: str, unit: str, name: str) -> str:
    from jaring.tickets import commands as chat_commands

    return f"https://wa.me/{number}?text={quote(chat_commands.checkin_text(unit, name))}"


def shown(number: str) -> str:
    """62812345678 → +62 812-3456-78… as people read a number on a poster."""
    rest = number[2:]
    return f"+{number[:2]} " + "-".join(rest[i:i + 4] for i in range(0, len(rest), 4))


def run(args: argparse.Namespace) -> int:
    import segno

    from jaring.cli import unit_of
    from jaring.offices.model import InvalidConfig
    from jaring.offices.store import SEED_DIR, read_files
    from jaring.tickets import commands as chat_commands
    from jaring.tickets import poster
    from jaring.phone import InvalidPhoneNumber, normalise

    path = args.config or SEED_DIR / f"{os.environ.get('JARING_DEFAULT_OFFICE') or 'kemenag-bangkalan'}.toml"
    if not path.is_file():
        print(f"error: no office file {path} (give --config FILE)")
        return 2
    try:
        [office] = read_files([str(path)])
    except InvalidConfig as exc:
        print(f"error: {path} is not a valid office file: {exc.problems[0]} (python -m jaring config check {path})")
        return 2
    config = office.config
    unit = unit_of(config, args.unit)
    if unit is None:
        return 2
    if config.unit(unit).elsewhere:
        print(f"error: {unit} is served elsewhere now ({config.unit(unit).elsewhere.name}, the office file's "
              "served_elsewhere): no check-in poster for it")
        return 2
    try:
        number = normalise(args.number or config.whatsapp_number) if (args.number or config.whatsapp_number) else ""
    except InvalidPhoneNumber:
        print(f"error: --number {args.number!r} is not a WhatsApp number (write it as 62812… or 0812…)")
        return 2
    if not number:
        print(f"error: {path} has no [office] whatsapp_number: add it there (or give --number 62812…)")
        return 2
    out = args.out or Path(f"qr-{unit}.{args.format}")
    if not out.parent.is_dir():
        print(f"error: cannot write {out}: the folder {out.parent} does not exist")
        return 2
    name = config.unit(unit).name
    matrix = list(segno.make(link(number, unit, name), error="m").matrix_iter(scale=1, border=0))
    layout = poster.layout(matrix, name, config.name, chat_commands.checkin_code(unit), shown(number))
    if args.format == "png":
        out.write_bytes(poster.png(layout))
    else:
        out.write_text(poster.svg(layout), encoding="utf-8")
    print(out)
    return 0
