"""The reminder sweep on the Firestore emulator with the Graph stand-in: citizens who have not answered
the survey are nudged politely, at most twice, and never twice for the same nudge."""
import copy
import dataclasses
import datetime as dt
import threading

import pytest
from google.cloud import firestore

from jaring import sweep
from jaring.clock import WIB
from jaring.messaging import outbox
from jaring.messaging.store import Store
from jaring.offices import model as office
from jaring.offices import store as offices
from jaring.survey import nudges
from jaring.survey.invitations import OfficeMessaging
from jaring.survey.nudge_store import Contended, SweepStore
from jaring.whatsapp.graph import GraphClient
from tests.conftest import ACCESS_TOKEN, PROJECT, START
from tests.integration.tickets.test_tickets import post_form
from tests.support import emulator
from tests.support import forms as form_answers
from tests.support.graph_standin import Scripted, meta_error
from tests.support.invitations import FORM_URL, OFFICE, citizen, put, seed

CITIZEN = citizen(1)
YESTERDAY = START - dt.timedelta(hours=24)  # START is Thursday 8 January 2026, 10:00 WIB


def invitation(db, ticket_id="T1"):
    return db.collection("invitations").document(ticket_id).get().to_dict()


def contact(db, cid):
    return db.collection("contacts").document(cid).get().to_dict()


def nudge_records(db):
    return [d.to_dict() for d in db.collection("outbox").where(filter=firestore.FieldFilter("purpose", "==", "nudge"))
            .stream()]


def configure(db, nudges=None, closures=None):
    """The office's configuration as `config load` stores it: the seed file with these changes."""
    data = copy.deepcopy(offices.read_file(offices.SEED_DIR / f"{OFFICE}.toml").data)
    if nudges is not None:
        data["survey"]["nudges"] = nudges
    if closures is not None:
        data["closures"] = closures
    office.parse(data)  # what config load checks
    db.collection("office_configs").document(OFFICE).set({"office": OFFICE, "config": data})


def run(jaring, **kw):
    return sweep.run(jaring, **kw).as_dict()


class TestTheScheduledCall:
    def test_a_post_runs_a_sweep_and_answers_its_summary(self, jaring, functions_client, db, graph):
        put(db, "T1", CITIZEN, YESTERDAY)
        r = functions_client("reminder_sweep").post("/", headers={"X-CloudScheduler-JobName": "jaring-reminder-sweep"})
        assert r.status_code == 200
        summary = r.get_json()
        assert (summary["due"], summary["sent"], summary["failed"], summary["remaining"]) == (1, 1, 0, 0)
        assert summary["skipped"] == {} and summary["outbox_retry"] == {"sent": 0, "retry": 0, "failed": 0,
                                                                         "skipped": 0}

    def test_other_methods_are_refused(self, jaring, functions_client, db):
        assert functions_client("reminder_sweep").get("/").status_code == 405


class TestANudge:
    def test_a_day_after_the_invitation_the_citizen_gets_the_template_with_the_form_link(self, jaring, db, graph):
        cid = put(db, "T1", CITIZEN, YESTERDAY)
        run(jaring)
        [sent] = graph.messages(to=CITIZEN)
        assert sent["type"] == "template" and sent["template"]["name"] == "jaring_pengingat_survei"
        body, form_button, chat_button = sent["template"]["components"]
        assert [p["text"] for p in body["parameters"]] == ["rekomendasi-umrah", "Bimas Islam", "T1"]
        assert FORM_URL.endswith(form_button["parameters"][0]["text"])
        assert chat_button["parameters"][0]["payload"] == "SURVEI"
        [record] = nudge_records(db)
        assert (record["state"], record["office"], record["contact_id"], record["meta"]["ticket_id"]) == (
            "sent", OFFICE, cid, "T1")
        inv = invitation(db)
        assert (inv["nudges"], inv["path"], inv["last_sent_at"]) == (1, "template", START)
        # three days on is Sunday, when the office does not work: Monday at 08:00
        assert inv["next_nudge_at"] == dt.datetime(2026, 1, 12, 8, tzinfo=WIB)
        assert contact(db, cid)["last_nudge_at"] == START
        assert (contact(db, cid)["survey"]["ticket_id"], contact(db, cid)["survey"]["nudges"]) == ("T1", 1)

    def test_a_citizen_who_wrote_this_morning_gets_a_button_to_the_form(self, jaring, db, graph):
        put(db, "T1", CITIZEN, YESTERDAY, last_inbound_at=START - dt.timedelta(hours=2))
        run(jaring)
        [sent] = graph.messages(to=CITIZEN)
        assert sent["interactive"]["type"] == "cta_url"
        assert sent["interactive"]["action"]["parameters"]["url"] == FORM_URL
        assert invitation(db)["path"] == "free_form"

    def test_the_same_due_nudge_swept_twice_is_sent_once(self, jaring, db, graph):
        put(db, "T1", CITIZEN, YESTERDAY)
        first, second = run(jaring), run(jaring)
        assert (first["sent"], second["due"], second["sent"]) == (1, 0, 0)
        assert len(graph.messages(to=CITIZEN)) == 1

    def test_a_survey_goes_through_two_nudges_then_closes_when_its_window_ends(self, jaring, db, graph, clock):
        put(db, "T1", CITIZEN, YESTERDAY)
        sent_on = []
        for day in range(16):
            clock.set(START + dt.timedelta(days=day))
            summary = run(jaring)
            sent_on += [day] * summary["sent"]
        assert sent_on == [0, 4]  # the second would fall on Sunday: Monday
        assert len(graph.messages(to=CITIZEN)) == 2
        inv = invitation(db)
        assert (inv["state"], inv["closed_reason"], inv["next_nudge_at"]) == ("expired", "expired", None)

    def test_at_night_the_nudge_waits_for_eight_in_the_morning(self, jaring, db, graph, clock):
        put(db, "T1", CITIZEN, YESTERDAY)
        clock.set(START + dt.timedelta(hours=11))  # 21:00 WIB
        summary = run(jaring)
        assert summary["skipped"] == {"outside_polite_hours": 1} and graph.messages() == []
        morning = START + dt.timedelta(hours=22)  # Friday 08:00 WIB
        assert invitation(db)["next_nudge_at"] == morning
        clock.set(morning - dt.timedelta(minutes=1))
        assert run(jaring)["due"] == 0
        clock.set(morning)
        assert run(jaring)["sent"] == 1

    def test_the_office_configuration_sets_the_policy(self, jaring, db, graph):
        configure(db, nudges={"first_after_hours": 48})
        put(db, "T1", CITIZEN, YESTERDAY)
        assert run(jaring)["skipped"] == {"not_due": 1}
        assert invitation(db)["next_nudge_at"] == YESTERDAY + dt.timedelta(hours=48)

    def test_a_closure_in_the_office_configuration_holds_the_nudge_until_the_next_morning(self, jaring, db, graph):
        configure(db, closures=[{"from": "2026-01-08", "reason": "Rapat kerja"}])
        put(db, "T1", CITIZEN, YESTERDAY)
        assert run(jaring)["skipped"] == {"office_closure": 1} and graph.messages() == []
        assert invitation(db)["next_nudge_at"] == START + dt.timedelta(hours=22)  # Friday 08:00 WIB

    def test_two_invitations_of_one_citizen_respect_whatsapps_six_second_pair_limit(self, jaring, db, graph, clock):
        put(db, "T1", CITIZEN, YESTERDAY)
        put(db, "T2", CITIZEN, YESTERDAY)
        summary = run(jaring)
        assert (summary["sent"], summary["skipped"]) == (1, {"pair_limit": 1})
        clock.advance(minutes=15)
        assert run(jaring)["sent"] == 1
        assert len(graph.messages(to=CITIZEN)) == 2


class TestFromTicketToAnswer:
    """The whole way: a guest-book entry completes a ticket and invites the citizen; a day later, no answer,
    the sweep reminds them; they answer the form; no more reminders, and the answer records one nudge."""

    @pytest.fixture
    def form_submit(self, functions_client, jaring, db):
        form_answers.register_forms(db)
        return functions_client("form_submit")

    def test_a_guest_book_visitor_is_reminded_once_then_answers_and_hears_no_more(self, form_submit, jaring, db,
                                                                                 graph, clock):
        form_answers.wrote_before(db, CITIZEN, clock.now() - dt.timedelta(days=3))
        post_form(form_submit, clock, form_answers.logbook(CITIZEN), kind="logbook")
        [(tid, inv)] = [(d.id, d.to_dict()) for d in db.collection("invitations").stream()]
        assert inv["next_nudge_at"] == START + dt.timedelta(hours=24) and inv["form_url"].startswith(
            form_answers.SKM_URL)
        clock.advance(hours=23)
        assert run(jaring)["due"] == 0
        clock.advance(hours=1)
        assert run(jaring)["sent"] == 1
        invitation_message, nudge = graph.messages(to=CITIZEN)
        assert (invitation_message["template"]["name"], nudge["template"]["name"]) == (
            "jaring_undangan_survei", "jaring_pengingat_survei")
        clock.advance(hours=2)
        token = db.collection("tickets").document(tid).get().get("token")
        assert post_form(form_submit, clock, form_answers.skm(4, token=token)).status_code == 201
        [response] = [d.to_dict() for d in db.collection("responses").stream()]
        assert response["nudges_before_answer"] == 1
        for day in range(1, 15):
            clock.advance(days=1)
            assert run(jaring)["due"] == 0
        assert len(graph.messages(to=CITIZEN)) == 3  # invitation, one nudge, the thank-you


class TestWhoIsLeftAlone:
    def test_a_citizen_who_opted_out_after_the_invitation_gets_no_nudge(self, jaring, db, graph):
        cid = put(db, "T1", CITIZEN, YESTERDAY)
        db.collection("contacts").document(cid).update({"opted_out_at": START - dt.timedelta(hours=3)})
        summary = run(jaring)
        assert (summary["sent"], summary["closed"], summary["skipped"]) == (0, 1, {"opted_out": 1})
        assert graph.messages() == [] and invitation(db)["state"] == "opted_out"

    def test_an_answered_survey_is_not_looked_at(self, jaring, db, graph):
        put(db, "T1", CITIZEN, YESTERDAY, invitation={"state": "answered", "answered_at": START})
        assert run(jaring)["due"] == 0 and graph.messages() == []

    def test_a_paused_office_gets_no_nudges_until_it_is_resumed(self, jaring, db, graph):
        from jaring.__main__ import main

        put(db, "T1", CITIZEN, YESTERDAY)
        assert main(["nudges", "pause", "--office", OFFICE]) == 0
        summary = run(jaring)
        assert (summary["sent"], summary["skipped"], summary["remaining"]) == (0, {"paused": 1}, 1)
        assert invitation(db)["nudges"] == 0
        assert main(["nudges", "resume", "--office", OFFICE]) == 0
        assert run(jaring)["sent"] == 1


class TestGraphFailures:
    def test_throughput_429_takes_the_nudge_back_and_the_next_run_sends_it_once(self, jaring, db, graph, clock):
        put(db, "T1", CITIZEN, YESTERDAY)
        graph.script(meta_error(429, 130429))
        summary = run(jaring)
        assert (summary["sent"], summary["failures"]) == (0, {"retry_later": 1})
        inv = invitation(db)
        assert (inv["nudges"], inv["next_nudge_at"]) == (0, START + dt.timedelta(minutes=1))
        [record] = nudge_records(db)
        assert record["state"] == "failed"  # the outbox will not resend it as is; the sweep decides again
        clock.advance(minutes=15)
        assert run(jaring)["sent"] == 1
        assert len(graph.messages(to=CITIZEN)) == 1 and invitation(db)["nudges"] == 1

    def test_a_graph_outage_is_retried_three_times_then_the_nudge_counts_as_failed(self, jaring, db, graph, clock):
        put(db, "T1", CITIZEN, YESTERDAY)
        graph.script(*[meta_error(503, 131016)] * 4)
        outcomes = []
        for _ in range(4):
            outcomes.append(run(jaring)["failures"])
            clock.advance(hours=2)
        assert outcomes == [{"retry_later": 1}] * 3 + [{"rejected": 1}]
        assert graph.messages() == [] and invitation(db)["nudges"] == 1  # the next one comes in three days

    def test_131047_switches_the_invitation_to_the_template(self, jaring, db, graph, clock):
        cid = put(db, "T1", CITIZEN, YESTERDAY, last_inbound_at=START - dt.timedelta(hours=2))
        graph.script(meta_error(400, 131047, "Re-engagement message"))
        assert run(jaring)["failures"] == {"window_closed": 1}
        assert contact(db, cid)["window_closed_at"] == START and invitation(db)["nudges"] == 0
        clock.advance(minutes=15)
        assert run(jaring)["sent"] == 1
        [sent] = graph.messages(to=CITIZEN)
        assert sent["type"] == "template" and invitation(db)["path"] == "template"

    def test_131026_marks_the_citizen_unreachable_and_ends_the_nudges(self, jaring, db, graph, clock):
        cid = put(db, "T1", CITIZEN, YESTERDAY)
        graph.script(meta_error(400, 131026, "Message undeliverable"))
        summary = run(jaring)
        assert (summary["failures"], summary["closed"]) == ({"unreachable": 1}, 1)
        assert contact(db, cid)["unreachable_at"] == START
        assert (invitation(db)["state"], invitation(db)["closed_reason"]) == ("failed", "unreachable")
        clock.advance(days=4)
        assert run(jaring)["due"] == 0 and graph.attempts() == 1

    def test_a_timeout_that_may_have_delivered_is_never_followed_by_a_second_copy(self, jaring, db, graph, clock):
        put(db, "T1", CITIZEN, YESTERDAY)
        impatient = dataclasses.replace(jaring, graph=GraphClient(jaring.settings.whatsapp_api_base, ACCESS_TOKEN,
                                                                  timeout=0.3))
        graph.script(Scripted(stall=0.6))  # Meta takes it, but only after the client gave up
        assert run(impatient)["failures"] == {"uncertain": 1}
        clock.advance(minutes=30)
        later = run(jaring)
        assert (later["sent"], later["outbox_retry"]["sent"]) == (0, 0)
        [record] = nudge_records(db)
        assert record["state"] == "failed" and invitation(db)["nudges"] == 1
        assert graph.attempts() == 1


NUMBER_ID = "100000000000002"


def deciding_at(now):
    return lambda inv, who: nudges.decide(inv, who, now, nudges.Policy(), OfficeMessaging(office_name=OFFICE))


class TestClaims:
    def test_of_two_sweeps_deciding_on_one_invitation_at_once_only_one_claims_it(self, jaring, db):
        cid = put(db, "T1", CITIZEN, YESTERDAY)
        ours, theirs = SweepStore(jaring.store), SweepStore(Store(firestore.Client(project=PROJECT)))

        def while_the_other_sweep_claims_it(inv, who):
            theirs.claim("T1", cid, START, NUMBER_ID, deciding_at(START))  # commits first
            return deciding_at(START)(inv, who)

        with pytest.raises(Contended):
            ours.claim("T1", cid, START, NUMBER_ID, while_the_other_sweep_claims_it)
        assert len(nudge_records(db)) == 1 and invitation(db)["nudge_claims"] == 1
        assert ours.claim("T1", cid, START, NUMBER_ID, deciding_at(START)).action == nudges.Leave("handled_elsewhere")

    def test_an_opt_out_arriving_while_the_sweep_decides_stops_the_nudge(self, jaring, db):
        cid = put(db, "T1", CITIZEN, YESTERDAY)
        store = SweepStore(jaring.store)

        def while_the_citizen_writes_berhenti(inv, who):
            db.collection("contacts").document(cid).update({"opted_out_at": START})
            return deciding_at(START)(inv, who)

        with pytest.raises(Contended):
            store.claim("T1", cid, START, NUMBER_ID, while_the_citizen_writes_berhenti)
        assert nudge_records(db) == [] and invitation(db)["nudges"] == 0
        assert store.claim("T1", cid, START, NUMBER_ID, deciding_at(START)).action == nudges.Close("opted_out",
                                                                                             "opted_out")


def second_app(jaring):
    """Another process's view: its own Firestore client and Graph session, the same clock."""
    return dataclasses.replace(jaring, store=Store(firestore.Client(project=PROJECT), timeout=10,
                                                               pseudonym_key=jaring.store.pseudonym_key),
                               graph=GraphClient(jaring.settings.whatsapp_api_base, ACCESS_TOKEN, timeout=5))


class TestExactlyOnce:
    @pytest.mark.parametrize("sweeps", [2, 4])
    def test_overlapping_sweeps_send_each_nudge_exactly_once(self, jaring, db, graph, sweeps):
        citizens = [citizen(n) for n in range(24)]
        for n, wa_id in enumerate(citizens):
            put(db, f"T{n}", wa_id, YESTERDAY)
        apps = [second_app(jaring) for _ in range(sweeps)]
        start, results, errors = threading.Barrier(sweeps), [], []

        def one(app):
            start.wait()
            try:
                results.append(sweep.run(app, page_size=5).as_dict())
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=one, args=(app,)) for app in apps]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert sorted(m["to"].lstrip("+") for m in graph.messages()) == sorted(citizens)
        assert sum(r["sent"] for r in results) == 24 and len(nudge_records(db)) == 24
        assert run(jaring)["remaining"] == 0

    def test_at_eighty_per_second_four_workers_share_the_work_and_each_citizen_gets_one_nudge(self, jaring, db,
                                                                                               graph):
        citizens = [citizen(n) for n in range(40)]
        for n, wa_id in enumerate(citizens):
            put(db, f"T{n}", wa_id, YESTERDAY)
        fast = dataclasses.replace(jaring, settings=dataclasses.replace(jaring.settings, send_rate=80))
        summary = sweep.run(fast, page_size=7).as_dict()
        assert (summary["due"], summary["sent"], summary["remaining"]) == (40, 40, 0)
        assert sorted(m["to"].lstrip("+") for m in graph.messages()) == sorted(citizens)

    def test_a_sweep_killed_mid_way_is_finished_by_the_next_without_doubles(self, jaring, db, graph, clock):
        class Killed(BaseException):
            """The instance is stopped (deadline, redeploy) between claiming a nudge and sending it."""

        citizens = [citizen(n) for n in range(6)]
        for n, wa_id in enumerate(citizens):
            put(db, f"T{n}", wa_id, YESTERDAY)
        real_send, calls = jaring.graph.send, []

        class DiesOnTheThirdSend:
            def send(self, *args, **kw):
                calls.append(args)
                if len(calls) == 3:
                    raise Killed()
                return real_send(*args, **kw)

        doomed = dataclasses.replace(jaring, graph=DiesOnTheThirdSend())
        with pytest.raises(Killed):
            sweep.run(doomed)
        assert len(graph.messages()) == 2
        clock.advance(minutes=15)  # the next scheduled run; the dead run's lease has run out
        summary = run(jaring)
        assert summary["outbox_retry"]["sent"] == 1 and summary["sent"] == 3
        assert sorted(m["to"].lstrip("+") for m in graph.messages()) == sorted(citizens)


class TestScale:
    def test_documents_read_follow_the_due_invitations_not_all_of_them(self, jaring, db, emulator_host):
        seed(db, total=20, due=2, now=START)
        small = run(jaring)
        emulator.reset(emulator_host, PROJECT)
        seed(db, total=400, due=2, now=START)
        large = run(jaring)
        assert (small["sent"], large["sent"]) == (2, 2)
        assert large["reads"] == small["reads"]

    def test_a_run_out_of_time_leaves_the_rest_for_the_next_run(self, jaring, db, graph):
        for n in range(8):
            put(db, f"T{n}", citizen(n), YESTERDAY)
        ticks = iter(range(1000))
        summary = run(jaring, budget=5, monotonic=lambda: float(next(ticks)))
        assert summary["stopped_early"] and summary["sent"] < 8
        assert summary["remaining"] == 8 - summary["sent"] - sum(summary["skipped"].values())
        rest = run(jaring)
        assert summary["sent"] + rest["sent"] == 8 and len(graph.messages()) == 8


class TestTheSameSweepAlso:
    def test_retries_outbound_messages_left_due_in_the_outbox(self, jaring, db, graph):
        jaring.store.enqueue(OFFICE, jaring.settings.whatsapp_phone_number_id, "r-left-over",
                             outbox.Outgoing(to=CITIZEN, content={"type": "text", "text": {"body": "Halo"}}), START)
        assert run(jaring)["outbox_retry"]["sent"] == 1
        assert len(graph.messages(to=CITIZEN)) == 1

    def test_closes_invitations_whose_survey_window_ended(self, jaring, db, graph, clock):
        put(db, "T1", CITIZEN, START - dt.timedelta(days=14), invitation={"nudges": 2})
        summary = run(jaring)
        assert (summary["closed"], summary["skipped"]) == (1, {"expired": 1}) and graph.messages() == []
        assert invitation(db)["state"] == "expired"

    def test_runs_the_escalations_and_tells_them_which_offices_are_paused(self, jaring, db):
        db.collection("office_switches").document("kua-socah").set({"office": "kua-socah", "nudges_paused": True})
        seen = []

        def overdue_follow_ups(app, now, is_paused):
            seen.append((now, is_paused("kua-socah"), is_paused(OFFICE)))
            return 3

        summary = run(jaring, escalations={"overdue_follow_ups": overdue_follow_ups})
        assert summary["escalations"] == {"overdue_follow_ups": 3}
        assert seen == [(START, True, False)]
        assert list(sweep.ESCALATIONS) == ["overdue_complaints"]  # what a run without a choice runs (issue 7)
