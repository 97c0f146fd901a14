"""`python -m jaring rollup refresh [--office X] [--period P]`: write the offices' month summaries now.

The roll-ups of a Kanwil and of the ministry (reports /rollup, /public/nasional) read one summary per office
and month; the reminder sweep refreshes each office's current month once a day. This command refreshes every
month of --period (default: this month) for one office or every district/city office, e.g. to fill past
quarters after onboarding or before a meeting.
"""
from __future__ import annotations

import argparse
import os

from jaring.cli import add_project, no_project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["refresh"])
    parser.add_argument("--office", help="one office (default: every kabupaten-level office loaded)")
    parser.add_argument("--period", help="2026-01, 2026-Q1, 2026 … (default: this month)")
    add_project(parser)


def run(args: argparse.Namespace) -> int:
    if no_project(args):
        return 2
    from jaring.app import rollup_store_of_project
    from jaring.reports import report
    from jaring.clock import WIB, from_environment
    from jaring.messaging.store import StoreUnavailable

    now = from_environment(os.environ).now()
    try:
        period = report.parse_period(args.period, now.astimezone(WIB).date())
    except report.BadPeriod as exc:
        print(f"error: {exc}")
        return 2
    store = rollup_store_of_project(args.project)
    try:
        offices = [args.office] if args.office else [d["office"] for d in store.offices(level="kabupaten")]
        months = [report.month(int(key[:4]), int(key[5:])) for key in report.months_of(period)]
        for office in offices:
            for month in months:
                store.refresh(office, month, now)
    except StoreUnavailable as exc:
        print(f"error: {exc}")
        return 1
    print(f"refreshed {len(offices) * len(months)} office-month summaries ({len(offices)} office(s), "
          f"{period.label}); {store.reads} documents read")
    return 0
