"""The SKM answered in a WhatsApp Flow, end to end: a finished service, the completion Meta posts (nfm_reply),
one stored response linked to its ticket, thanks and a follow-up on low scores; forged, broken, repeated
and redelivered completions change nothing."""
import dataclasses

import pytest

from jaring.reports import report, views as report_views
from jaring.reports.store import ReportStore
from jaring.survey.flow import flow_json, sample_completion
from jaring.survey.responses import UNSUR
from tests.conftest import OFFICE
from tests.support import forms as form_answers, meta
from tests.support.dialogue import SEED, load_configs
from tests.support.graph_standin import meta_error

CITIZEN = "6281234500088"
NEIGHBOUR = "6281234500099"
STAFF_PHONE = "628001000001"  # the seed's officer of unit "umum"
ALL_GOOD = {u: 4 for u in UNSUR}


@pytest.fixture
def office(db, jaring):
    form_answers.register_forms(db)
    assert load_configs() == 0
    return jaring


def post(webhook, message):
    raw = meta.encode(meta.inbound(message))
    return webhook.post("/", data=raw, headers=meta.signed_headers("test-app-secret", raw)).status_code


def say(webhook, sender, text):
    assert post(webhook, meta.text(sender, text)) == 200


def submit(webhook, sender, response, wamid=None):
    return post(webhook, meta.flow_reply(sender, response, wamid=wamid))


def docs(db, collection):
    return {d.id: d.to_dict() for d in db.collection(collection).stream()}


def last_text(graph, wa_id):
    return graph.messages(to=wa_id)[-1]["text"]["body"]


@pytest.fixture
def served(office, webhook, db):
    """A citizen served at the counter; the officer finishes the service by chat."""
    say(webhook, CITIZEN, "Halo")
    say(webhook, STAFF_PHONE, f"#layani {CITIZEN} legalisir sk")
    [tid] = docs(db, "tickets")
    say(webhook, STAFF_PHONE, f"#selesai {tid}")
    return tid, db.collection("tickets").document(tid).get().get("token")


def test_a_completed_flow_stores_one_response_linked_to_its_ticket_and_thanks_the_citizen(served, webhook, db, graph):
    tid, token = served
    answers = {**ALL_GOOD, "U3": 3}
    assert submit(webhook, CITIZEN, sample_completion(token, answers, {"sex": "P", "age_band": "30-39"},
                                                      "Antrean tertib")) == 200
    [response] = docs(db, "responses").values()
    assert (response["channel"], response["ticket_id"], response["unit"]) == ("flow", tid, "umum")
    assert response["answers"] == answers and response["profile"] == {"sex": "P", "age_band": "30-39"}
    assert response["suggestion"] == "Antrean tertib" and response["nudges_before_answer"] == 0
    assert docs(db, "invitations")[tid]["state"] == "answered"
    assert docs(db, "tickets")[tid]["answered_at"] is not None
    assert docs(db, "followups") == {}
    assert "Terima kasih, jawaban survei" in last_text(graph, CITIZEN) and tid in last_text(graph, CITIZEN)
    assert "token" not in str(docs(db, "inbound"))  # the inbound record keeps no answers


def test_an_unsur_left_unanswered_is_stored_as_not_answered(served, webhook, db):
    tid, token = served
    response = {k: v for k, v in sample_completion(token, ALL_GOOD).items() if k != "U4"}
    assert submit(webhook, CITIZEN, response) == 200
    [stored] = docs(db, "responses").values()
    assert set(stored["answers"]) == set(UNSUR) - {"U4"} and docs(db, "invitations")[tid]["state"] == "answered"


def test_low_scores_open_a_follow_up_as_a_form_answer_does(served, webhook, db, graph):
    tid, token = served
    assert submit(webhook, CITIZEN, sample_completion(token, {**ALL_GOOD, "U7": 1})) == 200
    [followup] = docs(db, "followups").values()
    assert followup["ticket_id"] == tid and followup["unit"] == "umum" and followup["state"] == "open"
    assert followup["reasons"] == ["U7 Tidak sopan dan ramah (1)"]
    assert "pimpinan unit akan menindaklanjutinya" in last_text(graph, CITIZEN)


def test_a_redelivered_completion_is_stored_once_and_a_second_one_changes_nothing(served, webhook, db, graph):
    tid, token = served
    completion = sample_completion(token, ALL_GOOD)
    wamid = meta.next_wamid()
    assert submit(webhook, CITIZEN, completion, wamid=wamid) == 200
    sent = len(graph.messages(to=CITIZEN))
    assert submit(webhook, CITIZEN, completion, wamid=wamid) == 200  # Meta delivers the same message again
    assert len(docs(db, "responses")) == 1 and len(graph.messages(to=CITIZEN)) == sent
    assert submit(webhook, CITIZEN, sample_completion(token, {**ALL_GOOD, "U1": 1})) == 200  # submitted again
    [response] = docs(db, "responses").values()
    assert response["answers"]["U1"] == 4 and docs(db, "followups") == {}
    assert "sudah mengisi survei" in last_text(graph, CITIZEN)
    cells = [c for a in docs(db, "report_months").values() for c in a["cells"].values()]
    assert [(c["channel"], c["responses"]) for c in cells] == [("flow", 1)]


@pytest.mark.parametrize("who, response, reply", [
    (CITIZEN, lambda token: sample_completion("not-a-ticket-token", ALL_GOOD), "tidak kami kenali"),
    (NEIGHBOUR, lambda token: sample_completion(token, ALL_GOOD), "tidak kami kenali"),
    (CITIZEN, lambda token: {**sample_completion(token, ALL_GOOD), "U5": "5"}, "tidak dapat kami terima"),
    (CITIZEN, lambda token: {"flow_token": token, **{u: "" for u in UNSUR}}, "tidak dapat kami terima"),
    (CITIZEN, lambda token: {**sample_completion(token, ALL_GOOD), "pendidikan": "Profesor"}, "tidak dapat kami terima"),
])
def test_a_forged_or_broken_completion_stores_nothing_and_is_answered_politely(served, webhook, db, graph, who,
                                                                                response, reply):
    tid, token = served
    assert submit(webhook, who, response(token)) == 200
    assert docs(db, "responses") == {} and docs(db, "followups") == {}
    assert docs(db, "invitations")[tid]["state"] != "answered" and docs(db, "tickets")[tid].get("answered_at") is None
    assert reply in last_text(graph, who)


def test_a_completion_that_is_not_json_is_refused_before_anything_is_stored(served, webhook, db):
    message = meta.flow_reply(CITIZEN, {})
    message["interactive"]["nfm_reply"]["response_json"] = "{not json"
    assert post(webhook, message) == 400
    assert docs(db, "responses") == {}


# -- publishing the Flow and inviting with it -----------------------------------------------------------------
def publish(jaring, *extra):
    from jaring.__main__ import main

    jaring.settings = dataclasses.replace(jaring.settings, whatsapp_waba_id=meta.WABA_ID)
    return main(["flows", "publish", *extra])


@pytest.fixture
def flow_office(office):
    """The seed office: its file says `[survey] path = "flow"`."""
    assert 'path = "flow"' in open(SEED, encoding="utf-8").read()
    return office


def test_flows_publish_dry_run_prints_the_requests_and_sends_nothing(jaring, graph, capsys):
    assert publish(jaring, "--dry-run") == 0
    out = capsys.readouterr().out
    assert f"/{meta.WABA_ID}/flows" in out and '"categories": [' in out and '"SURVEY"' in out
    assert "/assets" in out and '"asset_type": "FLOW_JSON"' in out and '"filename": "flow.json"' in out
    assert "/publish" in out and '"RadioButtonsGroup"' in out
    assert graph.requests == []


def test_flows_publish_creates_uploads_publishes_and_records_the_flow_for_the_office(jaring, graph, db, capsys):
    assert publish(jaring) == 0
    [(flow_id, flow)] = graph.flows.items()
    assert (flow["name"], flow["categories"], flow["status"]) == ("jaring_skm", ["SURVEY"], "PUBLISHED")
    assert flow["json"] == flow_json()
    upload = next(r for r in graph.requests if r["path"].endswith(f"/{flow_id}/assets"))
    assert (upload["json"]["name"], upload["json"]["asset_type"]) == ("flow.json", "FLOW_JSON")
    recorded = db.collection("survey_flows").document(OFFICE).get().to_dict()
    assert recorded["flow_id"] == flow_id and recorded["version"] == "7.3"
    before = len(graph.requests)
    assert publish(jaring) == 0 and len(graph.requests) == before  # the same JSON again: nothing to do
    assert '"status": "unchanged"' in capsys.readouterr().out
    db.collection("survey_flows").document(OFFICE).delete()  # Firestore forgot it: the name finds it again
    assert publish(jaring) == 0 and list(graph.flows) == [flow_id]
    assert db.collection("survey_flows").document(OFFICE).get().get("flow_id") == flow_id


def test_flows_publish_needs_the_business_account_and_reports_meta_refusing(jaring, graph, capsys):
    from jaring.__main__ import main

    assert main(["flows", "publish"]) == 2 and "WHATSAPP_BUSINESS_ACCOUNT_ID" in capsys.readouterr().out
    graph.script(meta_error(400, 100, "Invalid parameter"))
    assert publish(jaring) == 1 and "Invalid parameter" in capsys.readouterr().out


def test_a_finished_service_invites_with_the_flow_and_its_answer_comes_back_on_the_ticket(
        flow_office, webhook, db, graph):
    assert publish(flow_office) == 0
    [flow_id] = graph.flows
    say(webhook, CITIZEN, "Halo")
    say(webhook, STAFF_PHONE, f"#layani {CITIZEN} legalisir sk")
    [tid] = docs(db, "tickets")
    say(webhook, STAFF_PHONE, f"#selesai {tid}")
    invitation = graph.messages(to=CITIZEN)[-1]["interactive"]
    token = docs(db, "tickets")[tid]["token"]
    assert invitation["type"] == "flow"
    assert invitation["action"]["parameters"] == {
        "flow_message_version": "3", "flow_token": token, "flow_id": flow_id, "flow_cta": "Isi survei",
        "flow_action": "navigate", "flow_action_payload": {"screen": "PENILAIAN"}}
    assert "SURVEI" in invitation["body"]["text"] and tid in invitation["body"]["text"]
    assert docs(db, "invitations")[tid]["way"] == "flow"
    assert submit(webhook, CITIZEN, sample_completion(token, ALL_GOOD)) == 200
    assert [r["channel"] for r in docs(db, "responses").values()] == ["flow"]
    assert docs(db, "invitations")[tid]["state"] == "answered"
    # The dashboard counts it under "WhatsApp Flow", and its funnel the Flow's invitation and answer.
    loaded = ReportStore(db).load(report.Scope(OFFICE), report.month(2026, 1), flow_office.clock.now())
    assert [(g.name, g.tally.respondents) for g in loaded.channels] == [("WhatsApp Flow", 1)]
    assert (loaded.funnel.flow_invited, loaded.funnel.flow_answered) == (1, 1)
    page = report_views.dashboard(loaded, "Kemenag Bangkalan", None, [])
    assert "WhatsApp Flow" in page and "Lewat WhatsApp Flow: 1 diundang, 1 menjawab" in page


def test_outside_the_24_hour_window_the_invitation_is_the_template_with_a_flow_button(flow_office, webhook, db,
                                                                                      graph, clock):
    assert publish(flow_office) == 0
    say(webhook, CITIZEN, "Halo")
    say(webhook, STAFF_PHONE, f"#layani {CITIZEN}")
    [tid] = docs(db, "tickets")
    clock.advance(hours=28)  # Friday 14:00: the window has closed; after Friday prayers, a polite hour
    say(webhook, STAFF_PHONE, f"#selesai {tid}")
    template = graph.messages(to=CITIZEN)[-1]["template"]
    assert template["name"] == "jaring_undangan_survei_flow"
    flow_button, chat_button = [c for c in template["components"] if c["type"] == "button"]
    assert flow_button == {"type": "button", "sub_type": "flow", "index": "0", "parameters": [
        {"type": "action", "action": {"flow_token": docs(db, "tickets")[tid]["token"]}}]}
    assert chat_button["sub_type"] == "quick_reply" and chat_button["parameters"][0]["payload"] == "SURVEI"


def test_before_its_flow_is_published_a_flow_office_invites_with_its_form(flow_office, webhook, db, graph):
    say(webhook, CITIZEN, "Halo")
    say(webhook, STAFF_PHONE, f"#layani {CITIZEN}")
    [tid] = docs(db, "tickets")
    say(webhook, STAFF_PHONE, f"#selesai {tid}")
    assert graph.messages(to=CITIZEN)[-1]["interactive"]["type"] == "cta_url"
    assert docs(db, "invitations")[tid]["way"] == "form"


def test_templates_register_adds_the_flow_templates_once_the_flow_is_published(flow_office, graph, capsys):
    from jaring.__main__ import main

    assert publish(flow_office) == 0
    graph.reset()
    assert main(["templates", "register"]) == 0
    posted = {r["json"]["name"]: r["json"] for r in graph.requests if r["path"].endswith("/message_templates")}
    buttons = posted["jaring_undangan_survei_flow"]["components"][-1]["buttons"]
    assert buttons[0] == {"type": "FLOW", "text": "Isi survei", "flow_name": "jaring_skm", "flow_action": "navigate",
                          "navigate_screen": "PENILAIAN"}
    assert "jaring_pengingat_survei_flow" in posted and "jaring_undangan_survei" in posted


def test_templates_register_for_a_flow_office_without_its_flow_says_to_publish_first(flow_office, graph, capsys):
    from jaring.__main__ import main

    flow_office.settings = dataclasses.replace(flow_office.settings, whatsapp_waba_id=meta.WABA_ID)
    assert main(["templates", "register"]) == 0
    out = capsys.readouterr().out
    assert "note:" in out and "flows publish" in out
    posted = [r["json"]["name"] for r in graph.requests if r["path"].endswith("/message_templates")]
    assert "jaring_undangan_survei" in posted and not any(name.endswith("_flow") for name in posted)
