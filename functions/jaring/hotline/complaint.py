"""A complaint told step by step in the hotline's conversation: started from the menu, then one question per
message (jaring.cases.intake) until it is sent, recorded with its deadlines and routed to the staff. Pure.

jaring.hotline.conversation imports this module only for a turn that starts or continues a complaint, so the
complaint's intake, deadlines and routing are not loaded by ordinary turns nor by the webhook's cold start.
"""
from __future__ import annotations

from typing import Any

from jaring import ids as refs
from jaring.cases import complaints, intake, routing as complaint_routing, wbs
from jaring.cases.store import COMPLAINTS
from jaring.hotline import labels, reading
from jaring.hotline.turn import Turn
from jaring.whatsapp import messages


def start(t: Turn) -> None:
    """The citizen chose "Pengaduan": the first question."""
    state = intake.start(intake.COMPLAINT, t.now)
    t.say_text(t.text("complaint_ask"))
    for content in intake.first_prompt(state, t.config):
        t.say(content)
    t.changes["intake"] = state


def step(t: Turn, read: reading.Reading) -> None:
    """The citizen's next message while telling a complaint (contacts.intake)."""
    state = t.get("intake")
    if read.intent == "cancel":  # BATAL and its everyday forms ("tidak jadi") end the complaint, nothing else
        t.say_text(intake.cancelled(state["kind"]))
        t.changes["intake"] = None
        return
    progress = intake.advance(state, t.message, t.config)
    for content in progress.replies:
        t.say(content)
    t.changes["intake"] = progress.state if progress.outcome == "" else None
    if progress.outcome == intake.SEND:
        _file(t, progress.state)
    elif progress.outcome == intake.MOVE:  # case_chat moves it; it comes here only when WBS is not set up
        state = {**progress.state, "step": intake.CONFIRM}
        t.say_text(wbs.UNAVAILABLE)
        for content in intake.first_prompt(state, t.config):
            t.say(content)
        t.changes["intake"] = state


def ask_again(t: Turn) -> None:
    """The question the complaint waits for, again (after the citizen asked DATA SAYA in the middle of it)."""
    for content in intake.first_prompt(t.get("intake"), t.config):
        t.say(content)


def _file(t: Turn, state: dict[str, Any]) -> None:
    """The complaint is recorded with its deadlines; the citizen gets the number and what happens by when."""
    config, wamid = t.config, t.message.wamid
    doc = complaints.new(office=config.office, contact_id=t.contact_id, reference=refs.reference("P", wamid),
                         details=state["answers"], media=state["media"], unit=state.get("unit", ""), now=t.now,
                         hours=config.hours, deadlines=config.complaint_deadlines)
    cid = complaints.complaint_id(wamid)
    t.writes.append((COMPLAINTS, cid, doc))
    t.label(add=(labels.COMPLAINT,))
    t.say_text(complaints.receipt_text(doc, config.complaint_deadlines), t.away_note())
    summary = complaints.staff_summary(doc, complaint_routing.unit_namer(config))
    for member in complaint_routing.receivers(config, doc["unit"], t.on_duty()):
        t.send(member.number, messages.text(summary), contact_id=t.contact_id,
               meta={"complaint_id": cid, "reference": doc["reference"]})
