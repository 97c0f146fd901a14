"""`python -m jaring outbox retry`: send what earlier attempts left due (the sweep does this too)."""
from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["retry"], help="retry: send records that are due again")
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--now", action="store_true",
                        help="ignore the back-off and retry every waiting record now (after an outage is fixed)")


def run(args: argparse.Namespace) -> int:
    from jaring.cli import SENDS, current_app
    from jaring.messaging import delivery

    jaring = current_app(*SENDS)
    if jaring is None:
        return 2
    print(json.dumps(delivery.retry_due(jaring, args.limit, ignore_backoff=args.now)))
    return 0
