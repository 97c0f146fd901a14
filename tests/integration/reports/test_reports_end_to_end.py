"""A citizen served at the counter shows up in the head's report: served, invited, read, answered, scored."""
from jaring.reports.report import Scope, parse_period
from jaring.reports.store import ReportStore
from jaring.survey import questionnaire as survey
from tests.conftest import OFFICE
from tests.integration.tickets.test_tickets import CITIZEN, CITIZEN_AS_TYPED, STAFF_PHONE, docs, last_to, office, say  # noqa: F401
from tests.support import meta


def test_a_chat_survey_answer_feeds_the_funnel_and_the_index_of_its_unit(office, webhook, functions_client, db,
                                                                        graph, clock):
    say(webhook, CITIZEN, "Halo")
    say(webhook, STAFF_PHONE, f"#layani {CITIZEN_AS_TYPED} legalisir sk")
    [tid] = docs(db, "tickets")
    say(webhook, STAFF_PHONE, f"#selesai {tid.lower()}")
    [invitation] = [o for o in docs(db, "outbox").values() if o["purpose"] == "invitation"]
    raw = meta.encode(meta.status(invitation["wamid"], "read", CITIZEN))
    assert webhook.post("/", data=raw, headers=meta.signed_headers("test-app-secret", raw)).status_code == 200
    say(webhook, CITIZEN, "survei")
    for unsur, _ in survey.QUESTIONS:
        say(webhook, CITIZEN, choice=f"svy:{tid}:{unsur}:{4 if unsur != 'U3' else 3}")
    for name, _, _ in survey.PROFILE:
        say(webhook, CITIZEN, choice=f"svy:{tid}:{name}:-")
    say(webhook, CITIZEN, "Cepat sekali")

    period = parse_period("2026-01", clock.now().date())
    funnel = ReportStore(db).funnel(OFFICE, period, unit="umum")
    assert (funnel.served, funnel.invited, funnel.answered, funnel.went_out) == (1, 1, 1, 1)
    assert funnel.after_nudge == (1, 0, 0)
    rep = ReportStore(db).load(Scope(OFFICE, unit="umum"), period, clock.now())
    # Eight fours and a three: 35 / 9 × 25 = 97.2222
    assert rep.total.tally.respondents == 1 and round(float(rep.index.ikm), 4) == 97.2222
    assert [g.name for g in rep.channels] == ["WhatsApp"]

    page = functions_client("reports").get("/", query_string={"period": "2026-01"},
                                           headers={"X-Jaring-Dev-Identity": f"kepala@kemenag.go.id|unit_head|{OFFICE}|umum"})
    assert page.status_code == 200 and "97,22" in page.get_data(as_text=True)
