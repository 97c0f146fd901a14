"""Cloud Scheduler adapter: pause and resume the reminder sweep's job (used by `python -m jaring nudges`)."""
from __future__ import annotations

import re
from typing import Any

JOB_NAME = re.compile(r"^projects/[^/]+/locations/[^/]+/jobs/[^/]+$")


def make_client() -> Any:
    from google.cloud import scheduler_v1  # only the operator's command needs it

    return scheduler_v1.CloudSchedulerClient()


def set_paused(job_name: str, paused: bool, client: Any = None) -> str:
    """Pause or resume the job; returns its state as Scheduler reports it afterwards (PAUSED, ENABLED)."""
    from google.cloud import scheduler_v1

    if not JOB_NAME.match(job_name):
        raise ValueError(f"JARING_SCHEDULER_JOB must look like projects/P/locations/L/jobs/J, got {job_name!r}")
    client = client or make_client()
    job = client.pause_job(name=job_name) if paused else client.resume_job(name=job_name)
    return scheduler_v1.Job.State(job.state).name
