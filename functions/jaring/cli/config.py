"""`python -m jaring config check|load FILE…`: check office configuration files, then load them.

`check` needs nothing but the files: it lists every error, every value of the new-office template still to
fill in ("ISI: …"), and what a valid file still lacks for the office to work fully (its own number, a parent,
templates, someone who can sign in). `load` checks every file first and writes all of them in one Firestore
batch, so a bad file (or a typo in any of several) leaves what is live untouched. The same batch registers
each office's WhatsApp number (`numbers/{whatsapp_number_id}`; refused when another office owns it), writes
`staff/{email}` for every staff member with an email (who may sign in) and deactivates those of these offices
who are no longer in their file. Each office's parent must be loaded already or in the same command.
"""
from __future__ import annotations

import argparse

from jaring.cli import add_project, no_project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["check", "load"], help="check: only validate; load: validate and store")
    parser.add_argument("files", nargs="+", metavar="FILE", help="office configuration (TOML), e.g. "
                        "jaring/offices/seed/kemenag-bangkalan.toml")
    add_project(parser)


def run(args: argparse.Namespace) -> int:
    from jaring.offices import onboarding
    from jaring.offices.model import InvalidConfig
    from jaring.offices.store import read_files

    try:
        files = read_files(args.files)
    except InvalidConfig as exc:
        if len(exc.problems) == 1:
            print(f"error: {exc.problems[0]}; nothing was loaded")
            return 1
        for problem in exc.problems:
            print(f"error: {problem}")
        print(f"{len(exc.problems)} problems; nothing was loaded")
        return 1
    for item in files:
        c = item.config
        number = f", WhatsApp {c.whatsapp_number} (id {c.whatsapp_number_id})" if c.whatsapp_number_id else ""
        print(f"ok: {item.path}: office {c.office} ({c.level}{', under ' + c.parent if c.parent else ''}) version "
              f"{c.version}: {len(c.units)} units, {sum(len(u.services) for u in c.units)} services, "
              f"{len(c.quick_replies)} quick replies, {len(c.staff)} staff{number}")
        for what in onboarding.missing(c):
            print(f"missing: {item.path}: {what}")
    if args.action == "check":
        return 0
    if no_project(args):
        return 2
    from jaring.app import office_store_of_project
    from jaring.clock import SystemClock
    from jaring.messaging.store import StoreUnavailable
    from jaring.offices.store import NumberTaken

    store = office_store_of_project(args.project)
    staff = {email: doc for f in files for email, doc in f.staff_docs().items()}
    numbers = {f.config.whatsapp_number_id: f.number_doc() for f in files if f.number_doc()}
    try:
        places = {d["office"]: (d.get("level") or "kabupaten", d.get("parent") or "") for d in store.offices()}
        places |= {f.config.office: (f.config.level, f.config.parent) for f in files}
        problems = [p for p in onboarding.tree_problems(places)
                    if p.split(":", 1)[0] in {f.config.office for f in files}]
        if problems:
            for problem in problems:
                print(f"error: {problem}")
            print(f"{len(problems)} problem(s); nothing was loaded")
            return 1
        gone = store.save_office_configs([f.record() for f in files], staff, SystemClock().now(), numbers)
    except NumberTaken as exc:
        for problem in exc.problems:
            print(f"error: {problem} (one number answers for one office)")
        print(f"{len(exc.problems)} problem(s); nothing was loaded")
        return 1
    except StoreUnavailable as exc:
        print(f"error: {exc}; nothing was loaded")
        return 1
    print(f"loaded {len(files)} office configuration(s) into project {args.project}: {len(numbers)} WhatsApp "
          f"number(s) registered, {len(staff)} staff may sign in, {gone} no longer listed were deactivated")
    return 0
