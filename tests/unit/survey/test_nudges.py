"""The nudge policy, rule by rule: when a citizen who has not answered the survey is reminded, and how."""
import datetime as dt

import pytest

from jaring.clock import WIB
from jaring.offices import hours as office_hours
from jaring.survey import nudges
from jaring.survey.invitations import OfficeMessaging
from jaring.survey.nudges import Close, Leave, Policy, Reschedule, Send

UTC = dt.timezone.utc
FORM = "https://docs.google.com/forms/d/e/1FAIpQLSeSKM/viewform?usp=pp_url&entry.1017=TOKEN"
MESSAGING = OfficeMessaging(office_name="Kemenag Bangkalan", units={"ptsp": "PTSP Kemenag Bangkalan"})


def wib(day: str, clock: str = "10:00:00") -> dt.datetime:
    """A moment written as an officer in Bangkalan reads it (WIB), as the UTC the code works in."""
    return dt.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=WIB).astimezone(UTC)


# Served and invited on Tuesday 6 January 2026 at 10:00 WIB; the citizen last wrote an hour before.
INVITED = wib("2026-01-06")
EXPIRES = INVITED + dt.timedelta(days=14)


def invitation(**changes):
    doc = {"office": "kemenag-bangkalan", "ticket_id": "K7M2QX9AB4", "contact_id": "c1", "state": "sent",
           "unit": "ptsp", "service": "Legalisir Buku Nikah",
           "invited_at": INVITED, "last_sent_at": INVITED, "nudges": 0,
           "next_nudge_at": INVITED + dt.timedelta(hours=24), "form_url": FORM}
    doc.update(changes)
    return doc


def contact(**changes):
    doc = {"wa_id": "6281234500001", "last_inbound_at": INVITED - dt.timedelta(hours=1)}
    doc.update(changes)
    return doc


def closed(*spans):
    """An office's days off: the public holidays and these closures (first, last day as ISO dates)."""
    return office_hours.Hours(weekly=(None,) * 7, closures=tuple(
        office_hours.Closure(dt.date.fromisoformat(a), dt.date.fromisoformat(b), "tutup") for a, b in spans))


def decide(now, inv=None, who="default", policy=Policy()):
    inv = invitation(**(inv or {}))
    inv["next_nudge_at"] = min(inv["next_nudge_at"], now) if inv["next_nudge_at"] else None
    return nudges.decide(inv, contact() if who == "default" else who, now, policy, MESSAGING)


class TestWhenTheFirstNudgeGoes:
    def test_a_day_after_the_invitation_the_citizen_is_reminded(self):
        action = decide(wib("2026-01-07"))
        assert isinstance(action, Send) and action.number == 1

    def test_one_second_before_the_day_is_up_it_is_not_due_yet(self):
        action = decide(wib("2026-01-07", "09:59:59"))
        assert action == Reschedule(wib("2026-01-07"), "not_due")

    def test_an_office_that_waits_two_days_is_respected(self):
        action = decide(wib("2026-01-07"), policy=Policy.from_config({"first_after_hours": 48}))
        assert action == Reschedule(wib("2026-01-08"), "not_due")

    def test_the_next_look_after_a_first_nudge_is_three_days_later(self):
        action = decide(wib("2026-01-07"))
        assert action.next_nudge_at == wib("2026-01-10")

    def test_the_second_nudge_comes_three_days_after_the_first_and_says_it_is_the_last(self):
        first = wib("2026-01-07")
        action = decide(first + dt.timedelta(days=3), {"nudges": 1, "last_sent_at": first},
                        contact(last_inbound_at=first + dt.timedelta(days=3, hours=-2)))
        assert (action.number, action.path) == (2, "free_form")
        assert "pengingat terakhir" in action.content["interactive"]["body"]["text"]
        assert action.next_nudge_at == EXPIRES  # nothing more until the survey window closes

    def test_two_days_after_the_first_nudge_the_second_is_not_due(self):
        first = wib("2026-01-07")
        action = decide(first + dt.timedelta(days=2), {"nudges": 1, "last_sent_at": first})
        assert action == Reschedule(first + dt.timedelta(days=3), "not_due")

    def test_after_two_nudges_no_third_one_only_the_close_at_the_end_of_the_window(self):
        assert decide(wib("2026-01-13"), {"nudges": 2}) == Reschedule(EXPIRES, "max_nudges")

    def test_a_following_nudge_that_would_land_in_friday_prayers_waits_until_after(self):
        action = decide(wib("2026-01-07", "11:30:00"), {"invited_at": wib("2026-01-06", "11:30:00"),
                                                         "last_sent_at": wib("2026-01-06", "11:30:00")})
        assert action.next_nudge_at == wib("2026-01-10", "11:30:00")  # a Saturday: fine
        action = decide(wib("2026-01-06", "11:30:00"), {"invited_at": wib("2026-01-05", "11:30:00"),
                                                         "last_sent_at": wib("2026-01-05", "11:30:00")})
        assert action.next_nudge_at == wib("2026-01-09", "13:00:00")  # Friday 11:30 → after prayers


@pytest.mark.parametrize("now, expected", [
    # polite hours: 08:00 (included) to 20:00 (excluded) WIB
    (wib("2026-01-08", "07:59:59"), Reschedule(wib("2026-01-08", "08:00:00"), "outside_polite_hours")),
    (wib("2026-01-08", "08:00:00"), Send),
    (wib("2026-01-07", "19:59:59"), Send),
    (wib("2026-01-07", "20:00:00"), Reschedule(wib("2026-01-08", "08:00:00"), "outside_polite_hours")),
    (wib("2026-01-07", "23:30:00"), Reschedule(wib("2026-01-08", "08:00:00"), "outside_polite_hours")),
    # Friday prayers, 11:00 (included) to 13:00 (excluded) WIB, Fridays only
    (wib("2026-01-09", "10:59:59"), Send),
    (wib("2026-01-09", "11:00:00"), Reschedule(wib("2026-01-09", "13:00:00"), "friday_prayer")),
    (wib("2026-01-09", "12:59:59"), Reschedule(wib("2026-01-09", "13:00:00"), "friday_prayer")),
    (wib("2026-01-09", "13:00:00"), Send),
    (wib("2026-01-08", "11:30:00"), Send),  # a Thursday noon is fine
    # Friday 16 January 2026 is Isra Mi'raj, a public holiday: the next morning instead
    (wib("2026-01-16", "09:00:00"), Reschedule(wib("2026-01-17", "08:00:00"), "public_holiday")),
    (wib("2026-01-15", "20:00:00"), Reschedule(wib("2026-01-17", "08:00:00"), "outside_polite_hours")),
])
def test_a_nudge_goes_only_at_a_polite_moment_and_otherwise_moves_to_the_next_one(now, expected):
    action = decide(now)
    if expected is Send:
        assert isinstance(action, Send)
    else:
        assert action == expected


class TestAllowedMoments:
    def test_office_closures_are_skipped_like_holidays(self):
        policy = Policy.from_config({}, closed(("2026-01-08", "2026-01-08"), ("2026-01-09", "2026-01-10")))
        assert decide(wib("2026-01-08"), policy=policy) == Reschedule(wib("2026-01-11", "08:00:00"),
                                                                      "office_closure")

    def test_by_default_citizens_are_reminded_only_on_the_days_the_office_works(self):
        from tests.support.dialogue import seed_config

        policy = Policy.from_config({}, seed_config().hours)  # the seed opens Monday to Friday
        assert policy.weekdays == frozenset(range(5))
        assert decide(wib("2026-01-10"), policy=policy) == Reschedule(wib("2026-01-12", "08:00:00"), "rest_day")

    def test_an_office_that_rests_on_sunday_nudges_on_monday_morning(self):
        policy = Policy.from_config({"weekdays": [0, 1, 2, 3, 4, 5]})
        assert decide(wib("2026-01-11"), policy=policy) == Reschedule(wib("2026-01-12", "08:00:00"), "rest_day")

    def test_by_default_sunday_is_a_day_like_any_other(self):
        assert isinstance(decide(wib("2026-01-11")), Send)

    def test_nyepi_idul_fitri_and_cuti_bersama_move_a_nudge_to_the_first_working_morning(self):
        # 2026: cuti bersama 18 March, Nyepi 19, cuti bersama 20, Idul Fitri 21–22, cuti bersama 23–24.
        assert nudges.next_allowed(wib("2026-03-17", "20:00:00"), Policy()) == wib("2026-03-25", "08:00:00")
        assert nudges.blocked(wib("2026-03-18"), Policy()) == "public_holiday"

    def test_christmas_and_its_cuti_bersama_too(self):
        assert nudges.next_allowed(wib("2026-12-23", "20:00:00"), Policy()) == wib("2026-12-26", "08:00:00")

    def test_an_office_with_its_own_hours_and_prayer_time(self):
        policy = Policy.from_config({"polite_hours": "09:00-17:00", "friday_prayer": "11:30-13:30"})
        assert nudges.blocked(wib("2026-01-07", "08:30:00"), policy) == "outside_polite_hours"
        assert nudges.blocked(wib("2026-01-07", "17:00:00"), policy) == "outside_polite_hours"
        assert nudges.blocked(wib("2026-01-09", "11:15:00"), policy) is None
        assert nudges.next_allowed(wib("2026-01-09", "11:45:00"), policy) == wib("2026-01-09", "13:30:00")

    def test_the_offices_own_break_holds_a_nudge_until_the_desk_is_back(self):
        from tests.support.dialogue import seed_config

        # A citizen's prayer window ending at 12:00, and the office's Friday break until 13:00 (the seed).
        policy = Policy.from_config({"friday_prayer": "11:00-12:00"}, seed_config().hours)
        assert nudges.blocked(wib("2026-01-09", "12:30:00"), policy) == "office_break"
        assert decide(wib("2026-01-09", "12:30:00"), {"invited_at": wib("2026-01-08", "12:00:00")},
                      policy=policy) == Reschedule(wib("2026-01-09", "13:00:00"), "office_break")

    def test_a_closure_of_part_of_a_day_holds_a_nudge_until_it_ends(self):
        from tests.support.dialogue import seed_config

        hours = seed_config(closures=[{"from": "2026-01-08 12:00", "to": "2026-01-08 16:00", "reason": "upacara"}]).hours
        policy = Policy.from_config({}, hours)
        assert nudges.blocked(wib("2026-01-08", "11:59:00"), policy) is None
        assert decide(wib("2026-01-08", "13:00:00"), {"invited_at": wib("2026-01-07", "09:00:00")},
                      policy=policy) == Reschedule(wib("2026-01-08", "16:00:00"), "office_closure")

    def test_closures_every_day_of_the_year_are_a_configuration_error_not_a_hang(self):
        policy = Policy.from_config({"weekdays": [0]}, closed(("2026-01-01", "2027-01-10")))
        with pytest.raises(nudges.PolicyError):
            nudges.next_allowed(wib("2026-01-07"), policy)


class TestWhoIsNeverNudged:
    def test_a_citizen_who_opted_out_gets_nothing_and_the_invitation_closes(self):
        assert decide(wib("2026-01-07"), who=contact(opted_out_at=INVITED)) == Close("opted_out", "opted_out")

    def test_a_citizen_who_withdrew_consent_gets_nothing(self):
        assert decide(wib("2026-01-07"), who=contact(consent=False)) == Close("opted_out", "opted_out")

    def test_a_number_whatsapp_cannot_reach_closes_the_invitation(self):
        assert decide(wib("2026-01-07"), who=contact(unreachable_at=INVITED)) == Close("failed", "unreachable")

    def test_a_citizen_whose_data_was_deleted_is_not_nudged(self):
        assert decide(wib("2026-01-07"), who=None) == Close("failed", "no_contact")
        assert decide(wib("2026-01-07"), who={"office": "kemenag-bangkalan"}) == Close("failed", "no_contact")

    def test_an_answered_survey_is_left_alone(self):
        assert decide(wib("2026-01-07"), {"state": "answered"}) == Leave("answered")

    def test_an_invitation_another_sweep_just_handled_is_left_alone(self):
        later = wib("2026-01-10")
        assert nudges.decide(invitation(next_nudge_at=later), contact(), wib("2026-01-07"), Policy(),
                             MESSAGING) == Leave("handled_elsewhere")

    def test_fourteen_days_after_the_invitation_the_survey_window_closes(self):
        assert decide(EXPIRES, {"nudges": 1}) == Close("expired", "expired")
        assert isinstance(decide(EXPIRES - dt.timedelta(seconds=1), {"nudges": 1,
                                                                      "last_sent_at": wib("2026-01-16")}), Send)

    def test_a_nudge_that_cannot_go_before_the_window_closes_waits_for_the_close(self):
        invited = wib("2026-01-06", "21:00:00")
        now = invited + dt.timedelta(days=14, minutes=-30)  # 20:30 on the last day: too late to nudge
        assert decide(now, {"invited_at": invited, "last_sent_at": invited}) == Reschedule(
            invited + dt.timedelta(days=14), "outside_polite_hours")

    def test_a_second_message_within_six_seconds_waits_for_whatsapps_pair_limit(self):
        now = wib("2026-01-07")
        assert decide(now, who=contact(last_nudge_at=now - dt.timedelta(seconds=5))) == Reschedule(
            now + dt.timedelta(seconds=1), "pair_limit")
        assert isinstance(decide(now, who=contact(last_nudge_at=now - dt.timedelta(seconds=6))), Send)


class TestTheTwentyFourHourWindow:
    def wrote(self, ago, **more):
        return contact(last_inbound_at=wib("2026-01-07") - ago, **more)

    def test_inside_the_window_the_nudge_is_a_button_to_the_form_with_the_in_chat_option(self):
        action = decide(wib("2026-01-07"), who=self.wrote(dt.timedelta(hours=2)))
        assert action.path == "free_form"
        interactive = action.content["interactive"]
        assert interactive["action"]["parameters"]["url"] == FORM
        body = interactive["body"]["text"]
        assert "*Legalisir Buku Nikah* di PTSP Kemenag Bangkalan (kode K7M2QX9AB4)" in body
        assert body.startswith("Selamat pagi") and "balas *SURVEI*" in body and "BERHENTI" in body

    def test_outside_the_window_the_approved_reminder_template_carries_the_form_and_chat_buttons(self):
        action = decide(wib("2026-01-07"), who=self.wrote(dt.timedelta(hours=25)))
        assert action.path == "template"
        template = action.content["template"]
        assert (template["name"], template["language"]["code"]) == ("jaring_pengingat_survei", "id")
        body, url, chat = template["components"]
        assert [p["text"] for p in body["parameters"]] == ["Legalisir Buku Nikah", "PTSP Kemenag Bangkalan",
                                                           "K7M2QX9AB4"]
        assert FORM.endswith(url["parameters"][0]["text"]) and chat["parameters"][0]["payload"] == "SURVEI"

    def test_a_flow_invitation_is_nudged_with_the_same_flow_inside_the_window_and_its_template_outside(self):
        flow = {"way": "flow", "flow_id": "900000000000001", "flow_token": "tok-K7M2"}
        inside = decide(wib("2026-01-07"), inv=flow, who=self.wrote(dt.timedelta(hours=2)))
        interactive = inside.content["interactive"]
        assert inside.path == "free_form" and interactive["type"] == "flow"
        assert interactive["action"]["parameters"]["flow_token"] == "tok-K7M2"
        assert interactive["action"]["parameters"]["flow_id"] == "900000000000001"
        assert "Isi survei" in interactive["body"]["text"] and "balas *SURVEI*" in interactive["body"]["text"]
        outside = decide(wib("2026-01-07"), inv=flow, who=self.wrote(dt.timedelta(hours=25)))
        template = outside.content["template"]
        assert outside.path == "template" and template["name"] == "jaring_pengingat_survei_flow"
        _, button, chat = template["components"]
        assert button["sub_type"] == "flow" and button["parameters"][0]["action"] == {"flow_token": "tok-K7M2"}
        assert chat["parameters"][0]["payload"] == "SURVEI"

    def test_an_office_may_name_its_own_reminder_template(self):
        messaging = OfficeMessaging(office_name="KUA Socah", template_names={"nudge": "kua_pengingat"})
        action = nudges.decide(invitation(next_nudge_at=wib("2026-01-07")), contact(), wib("2026-01-07"), Policy(),
                               messaging)
        assert action.content["template"]["name"] == "kua_pengingat"

    @pytest.mark.parametrize("ago, path", [
        (dt.timedelta(hours=23, minutes=50, seconds=-1), "free_form"),  # default margin: 10 minutes
        (dt.timedelta(hours=23, minutes=50), "template"),
    ])
    def test_the_window_edge_keeps_a_ten_minute_margin(self, ago, path):
        assert decide(wib("2026-01-07"), who=self.wrote(ago)).path == path

    @pytest.mark.parametrize("ago, path", [
        (dt.timedelta(hours=24, seconds=-1), "free_form"),
        (dt.timedelta(hours=24), "template"),
    ])
    def test_without_margin_the_edge_is_the_twenty_fourth_hour(self, ago, path):
        policy = Policy.from_config({"window_margin_minutes": 0})
        assert decide(wib("2026-01-07"), who=self.wrote(ago), policy=policy).path == path

    def test_a_131047_since_the_citizen_last_wrote_means_template(self):
        now = wib("2026-01-07")
        who = self.wrote(dt.timedelta(hours=2), window_closed_at=now - dt.timedelta(hours=1))
        assert decide(now, who=who).path == "template"

    def test_writing_again_after_a_131047_reopens_the_window(self):
        now = wib("2026-01-07")
        who = self.wrote(dt.timedelta(hours=1), window_closed_at=now - dt.timedelta(hours=2))
        assert decide(now, who=who).path == "free_form"

    def test_a_citizen_who_never_wrote_gets_the_template(self):
        assert decide(wib("2026-01-07"), who=contact(last_inbound_at=None)).path == "template"

    def test_without_a_form_link_the_in_chat_survey_is_offered_inside_the_window(self):
        action = decide(wib("2026-01-07"), {"form_url": ""}, self.wrote(dt.timedelta(hours=1)))
        assert action.content["type"] == "text" and "SURVEI" in action.content["text"]["body"]

    def test_without_a_form_link_outside_the_window_there_is_nothing_to_send(self):
        assert decide(wib("2026-01-07"), {"form_url": ""}) == Close("failed", "no_form_url")


class TestTheInChatSurveyItOffers:
    NOW = wib("2026-01-07")

    def offer(self, survey_state):
        return decide(self.NOW, who=contact(survey=survey_state)).contact_changes

    def test_a_citizen_with_no_survey_under_way_is_offered_this_tickets(self):
        offered = self.offer(None)["survey"]
        assert (offered["ticket_id"], offered["step"], offered["nudges"]) == ("K7M2QX9AB4", "offered", 1)

    def test_the_offer_of_this_ticket_counts_the_nudge(self):
        assert self.offer({"ticket_id": "K7M2QX9AB4", "step": "offered"}) == {"survey.nudges": 1}

    def test_an_older_offer_for_another_ticket_is_replaced(self):
        assert self.offer({"ticket_id": "OTHER", "step": "offered"})["survey"]["ticket_id"] == "K7M2QX9AB4"

    def test_a_survey_of_another_ticket_under_way_is_left_to_finish(self):
        assert self.offer({"ticket_id": "OTHER", "step": "U3"}) == {}


class TestAfterARefusedSend:
    NOW = wib("2026-01-07")

    @pytest.mark.parametrize("code, status, retryable, retries, expected", [
        (131047, 400, False, 0, nudges.Failure("window_closed", redo_at=wib("2026-01-07"))),
        (131026, 400, False, 0, nudges.Failure("unreachable", close="failed")),
        (None, None, True, 0, nudges.Failure("uncertain")),
        (130429, 429, True, 0, nudges.Failure("retry_later", redo_at=wib("2026-01-07", "10:01:00"))),
        (131000, 500, True, 1, nudges.Failure("retry_later", redo_at=wib("2026-01-07", "10:04:00"))),
        (131016, 503, True, 3, nudges.Failure("rejected")),
        (100, 400, False, 0, nudges.Failure("rejected")),
    ])
    def test_what_a_failure_means_for_the_invitation(self, code, status, retryable, retries, expected):
        assert nudges.after_failure(code, status, retryable, retries, self.NOW, Policy()) == expected

    def test_a_retry_that_would_fall_at_night_waits_for_the_morning(self):
        failure = nudges.after_failure(131000, 500, True, 1, wib("2026-01-07", "19:58:00"), Policy())
        assert failure.redo_at == wib("2026-01-08", "08:00:00")


class TestOfficePolicy:
    def test_defaults_are_the_documented_ones(self):
        p = Policy()
        assert (p.first_after, p.then_after, p.max_nudges, p.survey_window) == (
            dt.timedelta(hours=24), dt.timedelta(days=3), 2, dt.timedelta(days=14))
        assert (p.polite_from, p.polite_until, p.prayer_from, p.prayer_until) == (
            dt.time(8), dt.time(20), dt.time(11), dt.time(13))

    def test_overrides_are_read(self):
        p = Policy.from_config({"then_after_days": 2, "max_nudges": 1, "survey_window_days": 7,
                                "weekdays": [0, 1, 2, 3, 4], "window_margin_minutes": 30})
        assert (p.then_after, p.max_nudges, p.survey_window, p.weekdays, p.window_margin) == (
            dt.timedelta(days=2), 1, dt.timedelta(days=7), frozenset(range(5)), dt.timedelta(minutes=30))

    @pytest.mark.parametrize("config, named", [
        ({"first_after_hours": -1}, "first_after_hours"),
        ({"max_nudges": "two"}, "max_nudges"),
        ({"polite_hours": "20:00-08:00"}, "polite_hours"),
        ({"polite_hours": "08-20"}, "polite_hours"),
        ({"friday_prayer": ["11:00", "13:00"]}, "friday_prayer"),
        ({"weekdays": [7]}, "weekdays"),
        ({"template": {"name": "x"}}, "template"),  # templates are message settings, not the policy
        ({"quiet": True}, "quiet"),
    ])
    def test_a_bad_setting_is_refused_with_its_name(self, config, named):
        with pytest.raises(nudges.PolicyError, match=named):
            Policy.from_config(config)



class TestTheOfficeFile:
    """The policy lives in the office's configuration file, [survey.nudges]; config load checks it."""

    def seed(self, **nudge_changes):
        import copy

        from jaring.offices import store as offices

        data = copy.deepcopy(offices.read_file(offices.SEED_DIR / "kemenag-bangkalan.toml").data)
        data["survey"]["nudges"] = nudge_changes
        return data

    def test_the_changes_in_the_file_reach_the_policy(self):
        from jaring.offices import model as office

        config = office.parse(self.seed(first_after_hours=4, polite_hours="09:00-17:00"))
        policy = Policy.from_config(config.survey.nudges, config.hours)
        assert (policy.first_after, policy.polite_from) == (dt.timedelta(hours=4), dt.time(9))

    def test_a_bad_setting_in_the_file_is_refused_by_config_load_with_its_key(self):
        from jaring.offices import model as office

        with pytest.raises(office.InvalidConfig, match="survey.nudges: polite_hours"):
            office.parse(self.seed(polite_hours="20:00-08:00"), "kemenag-bangkalan.toml")


class TestPacer:
    class FakeTime:
        def __init__(self):
            self.now, self.slept = 0.0, []

        def monotonic(self):
            return self.now

        def sleep(self, seconds):
            self.slept.append(seconds)
            self.now += seconds

    def test_sends_are_spaced_to_the_configured_rate(self):
        t = self.FakeTime()
        pacer = nudges.Pacer(20, t.monotonic, t.sleep)
        for _ in range(101):
            pacer.wait()
        assert t.now == pytest.approx(5.0)  # 100 intervals of 1/20 s: 20 per second, not more

    def test_slow_sends_are_not_made_to_wait_and_do_not_bank_a_burst(self):
        t = self.FakeTime()
        pacer = nudges.Pacer(20, t.monotonic, t.sleep)
        pacer.wait()
        t.now += 1.0  # a slow send
        assert pacer.wait() == 0
        assert pacer.wait() == pytest.approx(0.05)

    @pytest.mark.parametrize("rate", [0, -1, 80.5, 1000])
    def test_a_rate_above_what_whatsapp_allows_is_refused(self, rate):
        with pytest.raises(ValueError, match="80"):
            nudges.Pacer(rate, lambda: 0.0, lambda s: None)
