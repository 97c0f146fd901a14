"""`python -m jaring qr UNIT`: a self check-in poster for a unit (SVG poster, or the bare code as PNG).

Scanning opens a WhatsApp chat with the office number and a pre-filled message ending in the unit's
code; sending it opens a ticket for that unit (jaring.tickets.chat).
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("unit", help="unit code, e.g. umum or kua-socah")
    parser.add_argument("--name", help="the unit's name as citizens know it (default: the code)")
    parser.add_argument("--number", default=os.environ.get("JARING_OFFICE_WA_NUMBER", ""),
                        help="the office's WhatsApp number (default JARING_OFFICE_WA_NUMBER)")
    parser.add_argument("--format", choices=["svg", "png"], default="svg")
    parser.add_argument("--out", type=Path, help="output file (default qr-UNIT.svg/png)")


def link(number: str, unit: str, name: str) -> str:
    from jaring.tickets import commands as chat_commands

    return f"https://wa.me/{number}?text={quote(chat_commands.checkin_text(unit, name))}"


def poster(qr_svg: str, name: str, code: str) -> str:
    """An A5-ish poster: a plain heading, the code, three steps in plain words."""
    steps = ["1. Buka kamera HP, arahkan ke kode ini", "2. Tekan tautan WhatsApp yang muncul",
             "3. Tekan Kirim. Selesai dilayani, Anda dapat survei singkat"]
    lines = "".join(f'<text x="210" y="{520 + 28 * i}" font-size="18" text-anchor="middle">{escape(s)}</text>'
                    for i, s in enumerate(steps))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="420" height="620" viewBox="0 0 420 620" '
            f'font-family="sans-serif"><rect width="420" height="620" fill="#fff"/>'
            f'<text x="210" y="50" font-size="26" font-weight="bold" text-anchor="middle">Sudah datang?</text>'
            f'<text x="210" y="84" font-size="20" text-anchor="middle">{escape(name)}</text>'
            f'<g transform="translate(60,100)">{qr_svg}</g>'
            f'<text x="210" y="490" font-size="14" text-anchor="middle">Kode: {escape(code)}</text>{lines}</svg>')


def run(args: argparse.Namespace) -> int:
    import segno

    from jaring.tickets import commands as chat_commands, ticket as tickets
    from jaring.phone import InvalidPhoneNumber, normalise

    try:
        unit = tickets.slug(args.unit, "unit")
        number = normalise(args.number)
    except (tickets.TicketError, InvalidPhoneNumber) as exc:
        print(f"error: {exc} (give --number or set JARING_OFFICE_WA_NUMBER for the office's WhatsApp number)"
              if isinstance(exc, InvalidPhoneNumber) else f"error: {exc}")
        return 2
    name = args.name or unit.upper()
    code = segno.make(link(number, unit, name), error="m")
    out = args.out or Path(f"qr-{unit}.{args.format}")
    if args.format == "png":
        code.save(str(out), kind="png", scale=10, border=4)
    else:
        body = code.svg_inline(scale=6, border=2, omitsize=False)
        out.write_text(poster(body, name, chat_commands.checkin_code(unit)), encoding="utf-8")
    print(out)
    return 0
