"""What each handled message costs in Firestore round trips, counted on the client (issue 19).

A round trip is one RPC to Firestore (a streamed answer included), counted by wrapping the client's own
generated API (tests/support/round_trips.py). docs/ARCHITECTURE.md says why each one is needed."""
import pytest

from tests.conftest import APP_SECRET, FORMS_SECRET
from tests.support import forms as form_answers, round_trips
from tests.support.dialogue import configured

pytestmark = pytest.mark.emulator


@pytest.fixture(scope="module")
def measured(emulator_host, graph_server):
    """Every path once, on a fresh database (module scope: the paths build on each other)."""
    from google.cloud import firestore

    from jaring import app as jaring_app
    from jaring.clock import FixedClock
    from jaring.messaging.store import Store
    from jaring.whatsapp.graph import GraphClient
    from tests.conftest import ACCESS_TOKEN, PROJECT, START, test_settings
    from tests.support import emulator

    emulator.reset(emulator_host, PROJECT)
    graph_server.standin.reset()
    db = firestore.Client(project=PROJECT)
    settings = test_settings(graph_server)
    app = jaring_app.Jaring(settings=settings,
                            store=Store(db, timeout=5, pseudonym_key=settings.pseudonym_key.encode()),
                            graph=GraphClient(settings.whatsapp_api_base, ACCESS_TOKEN, timeout=2),
                            clock=FixedClock(START), sleep=lambda seconds: None)
    jaring_app.use(app)
    form_answers.register_forms(db)
    configured(app)
    yield round_trips.measure(app, APP_SECRET, repeat=3, forms_secret=FORMS_SECRET)
    jaring_app.use(None)


def test_every_path_is_measured(measured):
    assert set(measured) == {"inbound_text_first", "inbound_text", "status", "ticket", "invitation",
                             "answer", "nudge", "report"}


def test_a_citizens_text_answered_in_the_request_costs_one_read_one_commit_and_one_write_of_the_send(measured):
    """One read of the citizen alone (unary), the commit (message, citizen, reply record) on preconditions
    that stand for a transaction; the reply is sent as committed (not read back), and its outcome is one
    write."""
    expected = {"get_document": 1, "commit": 2}
    assert measured["inbound_text_first"].by_method == expected
    assert measured["inbound_text"].by_method == expected


def test_a_delivery_status_costs_one_read_and_one_commit(measured):
    assert measured["status"].by_method == {"batch_get_documents": 1, "commit": 1}


def test_a_nudge_costs_its_claim_and_its_send_record(measured):
    assert measured["nudge"].round_trips <= 3


def test_a_delivery_status_reads_and_writes_one_document(measured):
    assert (measured["status"].reads, measured["status"].writes) == (1, 1)


def test_every_handled_message_writes_what_it_stores_and_reads_what_it_decides_on(measured):
    for key in ("inbound_text_first", "inbound_text", "ticket", "invitation", "answer", "nudge"):
        assert measured[key].writes >= 1 and measured[key].reads >= 1, key


def test_a_report_reads_aggregates_and_counts_and_writes_nothing(measured):
    assert measured["report"].writes == 0
    assert 1 <= measured["report"].reads <= 60
