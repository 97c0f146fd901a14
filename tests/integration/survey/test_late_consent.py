"""A citizen who agrees to the survey only after the service is finished still gets its invitation, once.

At the QR check-in the bot asks whether the survey may come to this number ("Setuju" / "Tidak setuju"). Citizens
are often called to the desk before they answer: the officer finishes the service (#selesai, or admin_api) and,
the citizen not having agreed, no invitation is made. Their "Setuju" afterwards (or a typed "ya boleh") brings
the invitation of their most recently finished service that has none, as long as an invitation would still be
sent for it (invitations.TOO_LATE after its completion). Once: a redelivered or repeated "Setuju" brings nothing
more. Never after "Tidak setuju", never past BERHENTI, and the reports count such a service as invited.
"""
import dataclasses
import datetime as dt

import pytest

from jaring.clock import WIB
from jaring.survey import invitations
from jaring.tickets.commands import checkin_text
from tests.integration.tickets.test_tickets import funnel_of_this_month
from tests.support import admin as admin_api, forms as form_answers, meta
from tests.support.dialogue import body, load_configs
from tests.support.whatsapp_user import WhatsAppUser, text_of

CITIZEN = "6281234500077"
OFFICE_ADMIN = "628001000004"  # the seed's admin: may finish any unit's ticket on WhatsApp
ADMIN_AT_DESK = "admin@example.go.id|admin|kemenag-bangkalan|"


@pytest.fixture
def office(db, jaring):
    form_answers.register_forms(db)
    assert load_configs() == 0
    jaring.settings = dataclasses.replace(jaring.settings, emulator_host="127.0.0.1:1", dev_identity_allowed=True)
    return jaring


@pytest.fixture
def citizen(webhook, graph, office):
    return WhatsAppUser(webhook, graph, CITIZEN)


@pytest.fixture
def finish(webhook, graph, functions_client, office):
    """The service is finished by the officer: `#selesai KODE` on WhatsApp, or admin_api at the desk."""
    officer = WhatsAppUser(webhook, graph, OFFICE_ADMIN, name="Admin Kantor")
    desk = admin_api.caller(functions_client, ADMIN_AT_DESK)

    def done(ticket_id: str, way: str = "chat") -> str:
        if way == "chat":
            officer.says(f"#selesai {ticket_id}")
            return officer.last_text()
        answer = desk("POST", f"/tickets/{ticket_id}/complete")
        assert answer.status_code == 200, answer.get_json()
        return str(answer.get_json())

    return done


def checked_in_without_answering(citizen, db, unit="kua-socah", name="KUA Socah") -> str:
    """Scans the poster; the bot asks "Setuju / Tidak setuju" and the citizen is called to the desk first."""
    before = set(tickets(db))
    said = citizen.says(checkin_text(unit, name))
    assert [b["reply"]["title"] for b in said[-1]["interactive"]["action"]["buttons"]] == ["Setuju", "Tidak setuju"]
    [ticket_id] = set(tickets(db)) - before
    return ticket_id


def taps_setuju_again(citizen) -> list:
    """Scrolls up to the question and taps "Setuju" once more (a new message, not a redelivery)."""
    assert citizen.post(meta.button_reply(CITIZEN, "c:yes", "Setuju", wamid=citizen.wamid())) == 200
    return citizen.new()


def tickets(db):
    return {d.id: d.to_dict() for d in db.collection("tickets").stream()}


def invitation_docs(db):
    return {d.id: d.to_dict() for d in db.collection("invitations").stream()}


def invitations_sent(graph, wa_id=CITIZEN):
    """The invitations WhatsApp accepted for this citizen (the button message that opens the survey)."""
    return [m for m in graph.messages(to=wa_id) if m["type"] == "interactive" and "sudah selesai" in body(m)]


@pytest.mark.parametrize("finished_by,agrees", [("chat", "taps Setuju"), ("admin_api", "types 'ya boleh'")])
def test_a_citizen_who_agrees_after_the_service_is_finished_gets_the_invitation_for_it_once(
        citizen, finish, db, graph, clock, finished_by, agrees):
    ticket_id = checked_in_without_answering(citizen, db)
    clock.advance(minutes=40)
    assert "tanpa undangan survei" in finish(ticket_id, finished_by) or finished_by == "admin_api"
    assert citizen.new() == [] and invitation_docs(db) == {}  # not agreed (yet): nothing for them

    clock.advance(minutes=15)  # back home, they answer the question
    agreement = (meta.button_reply(CITIZEN, "c:yes", "Setuju", wamid=citizen.wamid()) if agrees == "taps Setuju"
                 else meta.text(CITIZEN, "ya boleh", wamid=citizen.wamid()))
    assert citizen.post(agreement) == 200
    agreed = citizen.new()
    assert len(agreed) == 2 and "persetujuan Bapak/Ibu tercatat" in body(agreed[0])
    invitation = agreed[1]
    assert invitation["interactive"]["type"] == "cta_url" and ticket_id in body(invitation)
    assert body(invitation).startswith("Terima kasih, layanan")
    assert invitation_docs(db)[ticket_id]["state"] in ("pending", "sent")
    assert tickets(db)[ticket_id]["consent"] is True  # the agreement the invitation went out on

    # Meta delivers the same message again, and the citizen taps "Setuju" once more: nothing is sent twice.
    assert citizen.post(agreement) == 200 and citizen.new() == []
    again = taps_setuju_again(citizen)
    assert len(again) == 1 and "persetujuan Bapak/Ibu tercatat" in body(again[0])
    assert len(invitations_sent(graph)) == 1 and list(invitation_docs(db)) == [ticket_id]
    # The reports count the service once, as invited, not among those who gave no consent.
    assert funnel_of_this_month(db, clock) == (1, 1, 0)


def test_the_invitation_is_for_the_most_recent_finished_service_and_only_for_it(citizen, finish, db, graph, clock):
    first = checked_in_without_answering(citizen, db, "kua-socah", "KUA Socah")
    second = checked_in_without_answering(citizen, db, "umum", "PTSP")
    finish(second)
    clock.advance(minutes=30)
    finish(first)  # finished last
    clock.advance(minutes=5)
    citizen.taps("Setuju")
    [invitation] = invitations_sent(graph)
    assert first in body(invitation) and list(invitation_docs(db)) == [first]
    taps_setuju_again(citizen)  # the older service is not invited by a second "Setuju"
    assert len(invitations_sent(graph)) == 1 and list(invitation_docs(db)) == [first]
    assert funnel_of_this_month(db, clock) == (2, 1, 1)


def test_a_citizen_who_says_no_gets_none_until_they_change_their_mind(citizen, finish, db, graph, clock):
    ticket_id = checked_in_without_answering(citizen, db)
    finish(ticket_id)
    said = citizen.taps("Tidak setuju")
    assert text_of(said).startswith("Baik, kami tidak akan mengirim survei")
    assert invitations_sent(graph) == [] and invitation_docs(db) == {}
    assert tickets(db)[ticket_id]["consent"] is False
    assert funnel_of_this_month(db, clock) == (1, 0, 1)
    taps_setuju_again(citizen)  # the same day they think better of it: their own "Setuju" is what counts
    [invitation] = invitations_sent(graph)
    assert ticket_id in body(invitation) and funnel_of_this_month(db, clock) == (1, 1, 0)


def test_a_citizen_who_agrees_at_night_while_writing_to_us_gets_it_with_the_thanks(citizen, finish, db, graph,
                                                                                    clock):
    """Polite hours hold back messages nobody asked for (a template outside the 24-hour window waits for them);
    a citizen writing to the office at 21.30 is answered then, the invitation with the thanks."""
    clock.set(dt.datetime(2026, 1, 8, 14, 0, tzinfo=WIB))
    ticket_id = checked_in_without_answering(citizen, db)
    clock.set(dt.datetime(2026, 1, 8, 15, 0, tzinfo=WIB))
    finish(ticket_id)
    clock.set(dt.datetime(2026, 1, 8, 21, 30, tzinfo=WIB))
    thanks, invitation = citizen.taps("Setuju")
    assert "21.30 WIB" in body(thanks) and invitation["type"] == "interactive" and ticket_id in body(invitation)
    [record] = [d.to_dict() for d in db.collection("outbox").stream() if d.to_dict()["purpose"] == "invitation"]
    assert record["state"] == "sent"


def test_a_citizen_who_agrees_too_late_gets_none(citizen, finish, db, graph, clock):
    ticket_id = checked_in_without_answering(citizen, db)
    finish(ticket_id)
    clock.advance(seconds=(invitations.TOO_LATE + dt.timedelta(minutes=1)).total_seconds())
    said = citizen.taps("Setuju")
    assert len(said) == 1 and "persetujuan Bapak/Ibu tercatat" in body(said[0])  # agreed for next time
    assert invitations_sent(graph) == [] and invitation_docs(db) == {}
    assert tickets(db)[ticket_id]["consent"] is False  # still counted as not invited for want of consent
    assert funnel_of_this_month(db, clock) == (1, 0, 1)


def test_a_citizen_who_agrees_in_time_but_on_the_last_day_gets_it(citizen, finish, db, graph, clock):
    ticket_id = checked_in_without_answering(citizen, db)
    finish(ticket_id)
    clock.advance(seconds=(invitations.TOO_LATE - dt.timedelta(minutes=1)).total_seconds())
    citizen.taps("Setuju")
    [invitation] = invitations_sent(graph)
    assert ticket_id in body(invitation)


def test_a_citizen_who_had_opted_out_gets_none_and_the_officer_reads_why(citizen, finish, db, graph, webhook, clock):
    ticket_id = checked_in_without_answering(citizen, db)
    citizen.says("BERHENTI")
    finish(ticket_id)
    said = citizen.taps("Setuju")  # the old question's button: agreed, but no messages while BERHENTI stands
    assert len(said) == 1 and invitations_sent(graph) == []
    officer = WhatsAppUser(webhook, graph, OFFICE_ADMIN)
    officer.says(f"#cek {ticket_id}")
    assert "Undangan survei: tidak dikirim: warga sudah meminta berhenti dihubungi (BERHENTI)" in officer.last_text()
    citizen.says("MULAI")
    citizen.taps("Setuju")
    assert invitations_sent(graph) == []  # that service's invitation was decided: not sent
    assert funnel_of_this_month(db, clock) == (1, 1, 0)


def test_a_citizen_without_a_finished_service_is_only_thanked(citizen, db, graph):
    ticket_id = checked_in_without_answering(citizen, db)
    said = citizen.taps("Setuju")
    assert len(said) == 1 and "persetujuan Bapak/Ibu tercatat" in body(said[0])
    assert invitation_docs(db) == {} and tickets(db)[ticket_id]["status"] == "open"
