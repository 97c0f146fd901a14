"""Fixtures: the real Firestore emulator, the Graph API stand-in, and the functions' test clients."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.support import emulator
from tests.support.graph_standin import StandInServer

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "jaring-test"
APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
ACCESS_TOKEN = "test-access-token"
FORMS_SECRET = "test-forms-secret"
WBS_KEY = "test-wbs-link-key"
PSEUDONYM_KEY = "test-pseudonym-key"
OFFICE = "kemenag-bangkalan"
# A Thursday in office hours, WIB (UTC+7): 2026-01-08 10:00 WIB.
START = dt.datetime(2026, 1, 8, 3, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="session")
def emulator_host(tmp_path_factory):
    existing = os.environ.get("JARING_TEST_EMULATOR_HOST")
    if existing and emulator.is_up(existing):
        os.environ["FIRESTORE_EMULATOR_HOST"] = existing
        yield existing
        return
    log = tmp_path_factory.mktemp("emulator") / "firestore.log"
    with emulator.firestore_emulator(log_path=str(log)) as host:
        os.environ["FIRESTORE_EMULATOR_HOST"] = host
        yield host


@pytest.fixture
def db(emulator_host):
    from google.cloud import firestore

    emulator.reset(emulator_host, PROJECT)
    return firestore.Client(project=PROJECT)


@pytest.fixture(scope="session")
def graph_server():
    with StandInServer() as server:
        yield server


@pytest.fixture
def graph(graph_server):
    graph_server.standin.reset()
    return graph_server.standin


def test_settings(graph_server, **overrides):
    from jaring.config import Settings

    values = dict(project=PROJECT, whatsapp_app_secret=APP_SECRET, whatsapp_verify_token=VERIFY_TOKEN,
                  whatsapp_access_token=ACCESS_TOKEN, whatsapp_phone_number_id="100000000000002",
                  whatsapp_api_base=graph_server.base_url, forms_webhook_secret=FORMS_SECRET,
                  default_office=OFFICE, wbs_link_key=WBS_KEY, pseudonym_key=PSEUDONYM_KEY)
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def clock():
    from jaring.clock import FixedClock

    return FixedClock(START)


@pytest.fixture
def jaring(db, graph, graph_server, clock):
    """The app wired to the emulator and the stand-in, with an injected clock and no real sleeping."""
    from jaring import app as jaring_app
    from jaring.messaging.store import Store
    from jaring.whatsapp.graph import GraphClient

    settings = test_settings(graph_server)
    app = jaring_app.Jaring(settings=settings, store=Store(db, timeout=5, pseudonym_key=PSEUDONYM_KEY.encode()),
                            graph=GraphClient(settings.whatsapp_api_base, ACCESS_TOKEN, timeout=2),
                            clock=clock, sleep=lambda seconds: None)
    jaring_app.use(app)
    yield app
    jaring_app.use(None)


@pytest.fixture
def functions_client():
    """Test clients of the real entrypoints in functions/main.py, by target name."""
    import functions_framework

    def client(target: str):
        return functions_framework.create_app(target, str(ROOT / "functions" / "main.py"), "http").test_client()

    return client


@pytest.fixture
def webhook(functions_client, jaring):
    return functions_client("whatsapp_webhook")
