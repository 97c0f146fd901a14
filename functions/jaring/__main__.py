"""Operators' command line: `python -m jaring <command> …` run from functions/.

Each command lives in its own module with add_arguments(parser) and run(args) -> exit code,
imported only when used so one command's heavy libraries never slow the others.
"""
from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = {
    "outbox": ("jaring.cli.outbox", "retry outbound messages left failed-but-retryable"),
    "tickets": ("jaring.cli.tickets", "import tickets from a CSV file (all or nothing)"),
    "forms": ("jaring.cli.forms", "register a Google Form (SKM survey or guest book) with Jaring"),
    "qr": ("jaring.cli.qr", "make a unit's QR self check-in poster (SVG or PNG)"),
    "templates": ("jaring.cli.templates", "register the WhatsApp message templates with Meta"),
    "flows": ("jaring.cli.flows", "publish the SKM survey as a WhatsApp Flow for an office (Graph API)"),
    "config": ("jaring.cli.config", "check and load office configuration (catalogue, hours, texts, staff)"),
    "offices": ("jaring.cli.offices", "list every office: its WhatsApp number, its parent, when it was loaded"),
    "rollup": ("jaring.cli.rollup", "refresh the offices' month summaries behind the Kanwil and national roll-ups"),
    "ikm": ("jaring.cli.ikm", "IKM of a paper/spreadsheet survey CSV (U1..U9); --store keeps it as responses"),
    "nudges": ("jaring.cli.nudges", "pause or resume the survey reminders (per office, and the scheduler job)"),
    "understand": ("jaring.cli.understand", "how the bot reads a citizen's message (no Firestore needed)"),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m jaring", description="Jaring operators' commands")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        parser.parse_args(argv)  # prints usage/help, or an error for an unknown command
        return 2
    module = importlib.import_module(COMMANDS[argv[0]][0])
    command_parser = argparse.ArgumentParser(prog=f"python -m jaring {argv[0]}", description=COMMANDS[argv[0]][1])
    module.add_arguments(command_parser)
    args = command_parser.parse_args(argv[1:])
    return int(module.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
