"""`python -m jaring nudges pause|resume|status [--office X]`: stop and restart the survey reminders.

pause/resume set the office flag the reminder sweep honours (every known office when --office is left
out), locally and in the cloud alike. In the cloud (JARING_SCHEDULER_JOB names the sweep's job), a pause
or resume of every office also pauses or resumes the Cloud Scheduler job; one office alone leaves the job
running for the others.
"""
from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["pause", "resume", "status"])
    parser.add_argument("--office", help="only this office (default: every office)")


def run(args: argparse.Namespace) -> int:
    from google.api_core import exceptions as gexc

    from jaring import scheduler
    from jaring.cli import current_app

    jaring = current_app()
    if jaring is None:
        return 2
    store = jaring.nudge_store
    known = sorted(store.office_ids() | {jaring.settings.default_office})
    if args.office and args.office not in known:
        print(f"error: unknown office {args.office!r}; known: {', '.join(known)}")
        return 2
    offices = [args.office] if args.office else known
    job = jaring.settings.scheduler_job if not args.office else ""
    if job and not scheduler.JOB_NAME.match(job):
        print(f"error: JARING_SCHEDULER_JOB must look like projects/P/locations/L/jobs/J, got {job!r}")
        return 2
    if args.action == "status":
        for office in offices:
            print(f"{office}: {'paused' if store.paused(office) else 'active'}")
        return 0
    paused = args.action == "pause"
    for office in offices:
        store.set_paused(office, paused, jaring.clock.now())
    print(f"nudges {'paused' if paused else 'resumed'} for: {', '.join(offices)}")
    if job:
        try:
            print(f"scheduler job {job}: {scheduler.set_paused(job, paused)}")
        except gexc.GoogleAPICallError as exc:
            print(f"error: the office flags are set, but the scheduler job was not changed: {exc.message}")
            return 1
    return 0
