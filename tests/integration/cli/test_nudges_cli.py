"""`python -m jaring nudges pause|resume|status`: an officer stops the reminders (say for Idul Fitri) and
starts them again; in the cloud the Scheduler job is paused too.

The Scheduler part runs the real google-cloud-scheduler client over its REST transport against a
local HTTP double of the Cloud Scheduler API (jobs/*:pause, jobs/*:resume), so the request the
client builds is what is checked; only the endpoint and the (anonymous) credentials differ from the cloud.
"""
import dataclasses
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
from google.cloud import scheduler_v1

from jaring import app as jaring_app
from jaring import scheduler
from jaring.__main__ import main
from tests.support.invitations import OFFICE

JOB = "projects/jaring-test/locations/asia-southeast2/jobs/jaring-reminder-sweep"


def flags(db):
    return {d.id: d.to_dict().get("nudges_paused") for d in db.collection("office_switches").stream()}


class SchedulerDouble:
    """Answers Cloud Scheduler's pause/resume REST calls like the API does, and records them."""

    def __init__(self, status=200):
        self.calls, self.status = [], status
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                url = urlparse(self.path)
                double.calls.append(url.path)
                name, _, verb = url.path.removeprefix("/v1/").partition(":")
                state = scheduler_v1.Job.State.PAUSED if verb == "pause" else scheduler_v1.Job.State.ENABLED
                # the client asks for enums as numbers ($alt=json;enum-encoding=int), as the API then sends them
                body = ({"name": name, "state": int(state) if "enum-encoding%3Dint" in url.query else state.name}
                        if double.status == 200
                        else {"error": {"code": double.status, "message": "The caller does not have permission",
                                        "status": "PERMISSION_DENIED"}})
                data = json.dumps(body).encode()
                self.send_response(double.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def client(self):
        from google.auth.credentials import AnonymousCredentials
        from google.cloud.scheduler_v1.services.cloud_scheduler.transports.rest import CloudSchedulerRestTransport

        host = f"127.0.0.1:{self.httpd.server_address[1]}"
        return scheduler_v1.CloudSchedulerClient(transport=CloudSchedulerRestTransport(
            host=host, url_scheme="http", credentials=AnonymousCredentials()))

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def in_the_cloud(jaring, monkeypatch):
    """The app as deployed: JARING_SCHEDULER_JOB names the sweep's job; Scheduler is the local double."""
    jaring_app.use(dataclasses.replace(jaring, settings=dataclasses.replace(jaring.settings, scheduler_job=JOB)))
    double = SchedulerDouble()
    monkeypatch.setattr(scheduler, "make_client", double.client)
    yield double
    double.close()


class TestLocally:
    def test_pausing_one_office_sets_its_flag_and_resuming_clears_it(self, jaring, db, capsys):
        assert main(["nudges", "pause", "--office", OFFICE]) == 0
        assert flags(db) == {OFFICE: True}
        assert main(["nudges", "status"]) == 0
        assert f"{OFFICE}: paused" in capsys.readouterr().out
        assert main(["nudges", "resume", "--office", OFFICE]) == 0
        assert flags(db) == {OFFICE: False}

    def test_pausing_without_an_office_pauses_every_configured_office(self, jaring, db):
        db.collection("office_configs").document("kua-socah").set({"office": "kua-socah", "config": {}})
        assert main(["nudges", "pause"]) == 0
        assert flags(db) == {OFFICE: True, "kua-socah": True}
        assert db.collection("office_switches").document("kua-socah").get().get("changed_at") == jaring.clock.now()

    def test_an_unknown_office_is_refused_in_one_line_and_nothing_is_written(self, jaring, db, capsys):
        assert main(["nudges", "pause", "--office", "kua-atlantis"]) == 2
        out = capsys.readouterr().out
        assert out.startswith("error: unknown office 'kua-atlantis'") and out.count("\n") == 1
        assert flags(db) == {}


class TestInTheCloud:
    def test_pausing_everything_pauses_the_scheduler_job_too(self, in_the_cloud, db, capsys):
        assert main(["nudges", "pause"]) == 0
        assert in_the_cloud.calls == [f"/v1/{JOB}:pause"]
        assert f"scheduler job {JOB}: PAUSED" in capsys.readouterr().out
        assert flags(db) == {OFFICE: True}

    def test_resuming_everything_resumes_the_job(self, in_the_cloud, db, capsys):
        assert main(["nudges", "resume"]) == 0
        assert in_the_cloud.calls == [f"/v1/{JOB}:resume"]
        assert "ENABLED" in capsys.readouterr().out

    def test_pausing_one_office_leaves_the_job_running_for_the_others(self, in_the_cloud, db):
        assert main(["nudges", "pause", "--office", OFFICE]) == 0
        assert in_the_cloud.calls == [] and flags(db) == {OFFICE: True}

    def test_a_refused_scheduler_call_is_reported_and_the_flags_still_hold(self, in_the_cloud, db, capsys):
        in_the_cloud.status = 403
        assert main(["nudges", "pause"]) == 1
        assert "the scheduler job was not changed" in capsys.readouterr().out
        assert flags(db) == {OFFICE: True}

    def test_a_malformed_job_name_is_refused_before_anything_is_written(self, jaring, db, capsys):
        jaring_app.use(dataclasses.replace(jaring, settings=dataclasses.replace(jaring.settings,
                                                                                scheduler_job="jaring-reminder-sweep")))
        assert main(["nudges", "pause"]) == 2
        assert capsys.readouterr().out.startswith("error: JARING_SCHEDULER_JOB") and flags(db) == {}
