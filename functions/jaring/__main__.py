"""Operators' command line: `python -m jaring <command> …` run from functions/.

Each command lives in its own module with add_arguments(parser) and run(args) -> exit code,
imported only when used so one command's heavy libraries never slow the others. Whatever goes wrong is
answered in one line starting with "error:" and a non-zero exit, never a traceback: a bad argument (2),
a missing or unwritable file (2), Firestore or the WhatsApp API not answering (1).
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

COMMANDS = {
    "outbox": ("jaring.cli.outbox", "retry outbound messages left failed-but-retryable"),
    "tickets": ("jaring.cli.tickets", "import tickets from a CSV file (all or nothing)"),
    "forms": ("jaring.cli.forms", "register a Google Form (SKM survey or guest book) with Jaring"),
    "qr": ("jaring.cli.qr", "make a unit's QR self check-in poster (SVG or PNG)"),
    "templates": ("jaring.cli.templates", "check the WhatsApp message templates against Meta's rules, register them"),
    "flows": ("jaring.cli.flows", "publish the SKM survey as a WhatsApp Flow for an office (Graph API)"),
    "config": ("jaring.cli.config", "check and load office configuration (catalogue, hours, texts, staff)"),
    "offices": ("jaring.cli.offices", "list every office: its WhatsApp number, its parent, when it was loaded"),
    "rollup": ("jaring.cli.rollup", "refresh the offices' month summaries behind the Kanwil and national roll-ups"),
    "ikm": ("jaring.cli.ikm", "IKM of a paper/spreadsheet survey CSV (U1..U9); --store keeps it as responses"),
    "nudges": ("jaring.cli.nudges", "pause or resume the survey reminders (per office, and the scheduler job)"),
    "understand": ("jaring.cli.understand", "how the bot reads a citizen's message (no Firestore needed)"),
}


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that answers a bad argument in one line (usage stays in --help)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"error: {self.prog}: {message} (see {self.prog} --help)")


def unreachable(exc: BaseException) -> str:
    where = os.environ.get("FIRESTORE_EMULATOR_HOST") or f"project {os.environ.get('GOOGLE_CLOUD_PROJECT', '?')}"
    return (f"error: Firestore did not answer ({where}: {type(exc).__name__}); the command stopped, "
            "running it again once Firestore answers is safe")


def answer(exc: BaseException) -> tuple[str, int]:
    """One line and an exit code for what a command could not survive."""
    from google.api_core import exceptions as gexc

    from jaring.messaging.store import StoreUnavailable
    from jaring.whatsapp.graph import GraphError

    if isinstance(exc, (StoreUnavailable, gexc.GoogleAPICallError, gexc.RetryError)):
        return unreachable(exc), 1
    if isinstance(exc, GraphError):
        return f"error: the WhatsApp API refused or did not answer: {exc}", 1
    if isinstance(exc, OSError):
        return f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), 2
    return f"error: {type(exc).__name__}: {exc} (unexpected; please report it with the command you ran)", 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = Parser(prog="python -m jaring", description="Jaring operators' commands")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    try:
        if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
            parser.parse_args(argv)  # prints help, or an error for an unknown command
            return 2
        module = importlib.import_module(COMMANDS[argv[0]][0])
        command_parser = Parser(prog=f"python -m jaring {argv[0]}", description=COMMANDS[argv[0]][1])
        module.add_arguments(command_parser)
        args = command_parser.parse_args(argv[1:])
        return int(module.run(args) or 0)
    except UsageError as exc:
        print(exc)
        return 2
    except Exception as exc:  # noqa: BLE001 - the operator gets one line, never a traceback
        line, code = answer(exc)
        print(line)
        return code


if __name__ == "__main__":
    sys.exit(main())
