"""`python -m jaring config check|load FILE…`: check office configuration files, then load them.

`check` needs nothing but the files. `load` checks every file first and writes all of them in one
Firestore batch, so a bad file (or a typo in any of several) leaves what is live untouched. The same
batch writes `staff/{email}` for every staff member with an email (who may sign in) and deactivates
those of these offices who are no longer in their file.
"""
from __future__ import annotations

import argparse
import os


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["check", "load"], help="check: only validate; load: validate and store")
    parser.add_argument("files", nargs="+", metavar="FILE", help="office configuration (TOML), e.g. "
                        "jaring/offices/seed/kemenag-bangkalan.toml")
    parser.add_argument("--project", default=os.environ.get("GOOGLE_CLOUD_PROJECT", ""),
                        help="Firestore project (default: $GOOGLE_CLOUD_PROJECT)")


def run(args: argparse.Namespace) -> int:
    from jaring.offices.model import InvalidConfig
    from jaring.offices.store import read_files

    try:
        files = read_files(args.files)
    except InvalidConfig as exc:
        for problem in exc.problems:
            print(f"error: {problem}")
        print(f"{len(exc.problems)} problem(s); nothing was loaded")
        return 1
    for item in files:
        c = item.config
        print(f"ok: {item.path}: office {c.office} version {c.version}: {len(c.units)} units, "
              f"{sum(len(u.services) for u in c.units)} services, {len(c.quick_replies)} quick replies, "
              f"{len(c.staff)} staff")
    if args.action == "check":
        return 0
    if not args.project:
        print("error: no Firestore project: set GOOGLE_CLOUD_PROJECT or pass --project")
        return 2
    from jaring.app import store_of_project
    from jaring.clock import SystemClock
    from jaring.messaging.store import StoreUnavailable

    staff = {email: doc for f in files for email, doc in f.staff_docs().items()}
    try:
        gone = store_of_project(args.project).save_office_configs([f.record() for f in files], staff,
                                                                  SystemClock().now())
    except StoreUnavailable as exc:
        print(f"error: {exc}; nothing was loaded")
        return 1
    print(f"loaded {len(files)} office configuration(s) into project {args.project}: {len(staff)} staff may sign "
          f"in, {gone} no longer listed were deactivated")
    return 0
