"""Numbers, settings and the outbox policy."""
import datetime as dt

import pytest

from jaring.config import ConfigError, load_settings
from jaring.messaging import outbox
from jaring.phone import InvalidPhoneNumber, mask, normalise

ENV = {"GOOGLE_CLOUD_PROJECT": "p", "WHATSAPP_APP_SECRET": "s", "WHATSAPP_VERIFY_TOKEN": "v",
       "WHATSAPP_ACCESS_TOKEN": "t", "WHATSAPP_PHONE_NUMBER_ID": "1", "JARING_PSEUDONYM_KEY": "k"}


@pytest.mark.parametrize("raw", ["081234567890", "+62 812-3456-7890", "62812 3456 7890", "0812 3456 7890"])
def test_one_citizen_whichever_way_the_number_is_written(raw):
    assert normalise(raw) == "6281234567890"


@pytest.mark.parametrize("raw", ["", "abc", "12"])
def test_rubbish_is_not_a_number(raw):
    with pytest.raises(InvalidPhoneNumber):
        normalise(raw)


def test_logs_see_only_a_masked_number():
    assert mask("6281234560001") == "62812****0001"
    assert "34560" not in mask("6281234560001")


def test_settings_name_every_missing_variable():
    with pytest.raises(ConfigError) as err:
        load_settings({"GOOGLE_CLOUD_PROJECT": "p"})
    for name in ("WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_ACCESS_TOKEN", "WHATSAPP_PHONE_NUMBER_ID"):
        assert name in str(err.value)


def test_a_deployed_function_starts_with_only_its_own_secrets():
    plain = {"GOOGLE_CLOUD_PROJECT": "p", "WHATSAPP_PHONE_NUMBER_ID": "1"}
    reports = load_settings({**plain, "JARING_FUNCTION": "reports"})
    assert (reports.whatsapp_access_token, reports.whatsapp_app_secret) == ("", "")
    assert reports.pseudonym_key == ""  # reports name no citizen: it never holds the pseudonym key
    sweep = load_settings({**plain, "JARING_FUNCTION": "reminder_sweep", "WHATSAPP_ACCESS_TOKEN": "t",
                           "JARING_PSEUDONYM_KEY": "k"})
    assert sweep.whatsapp_access_token == "t" and sweep.whatsapp_app_secret == "" and sweep.pseudonym_key == "k"


def test_every_function_that_names_a_citizen_needs_the_pseudonym_key():
    plain = {"GOOGLE_CLOUD_PROJECT": "p", "WHATSAPP_PHONE_NUMBER_ID": "1", "WHATSAPP_ACCESS_TOKEN": "t",
             "WHATSAPP_APP_SECRET": "s", "WHATSAPP_VERIFY_TOKEN": "v", "FORMS_WEBHOOK_SECRET": "f"}
    for function in ("whatsapp_webhook", "form_submit", "admin_api", "reminder_sweep"):
        with pytest.raises(ConfigError, match="JARING_PSEUDONYM_KEY"):
            load_settings({**plain, "JARING_FUNCTION": function})


def test_a_deployed_function_names_the_secret_it_is_missing():
    with pytest.raises(ConfigError) as err:
        load_settings({"GOOGLE_CLOUD_PROJECT": "p", "WHATSAPP_PHONE_NUMBER_ID": "1", "JARING_FUNCTION": "form_submit",
                       "WHATSAPP_ACCESS_TOKEN": "t"})
    assert "FORMS_WEBHOOK_SECRET" in str(err.value) and "WHATSAPP_APP_SECRET" not in str(err.value)
    with pytest.raises(ConfigError, match="WHATSAPP_APP_SECRET"):
        load_settings({**ENV, "WHATSAPP_APP_SECRET": "", "JARING_FUNCTION": "whatsapp_webhook"})


def test_an_unknown_function_name_is_a_configuration_error():
    with pytest.raises(ConfigError, match="JARING_FUNCTION='webhook'"):
        load_settings({**ENV, "JARING_FUNCTION": "webhook"})


def test_settings_default_to_the_public_graph_api():
    settings = load_settings(ENV)
    assert settings.whatsapp_api_base == "https://graph.facebook.com/v23.0"
    assert load_settings({**ENV, "WHATSAPP_API_BASE": "http://127.0.0.1:9/v23.0"}).whatsapp_api_base.startswith("http://")
    with pytest.raises(ConfigError, match="WHATSAPP_API_BASE"):
        load_settings({**ENV, "WHATSAPP_API_BASE": "graph.facebook.com"})


def test_outbox_ids_are_deterministic_and_safe_for_firestore():
    a = outbox.reply_id("wamid.HBg/abc+=", 0)
    assert a == outbox.reply_id("wamid.HBg/abc+=", 0) != outbox.reply_id("wamid.HBg/abc+=", 1)
    assert "/" not in a


def test_retries_back_off_four_fold():
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    assert [(outbox.next_attempt_at(n, now) - now).total_seconds() / 60 for n in (1, 2, 3)] == [1, 4, 16]


@pytest.mark.parametrize("current,reported,expected", [
    (None, "sent", "sent"), ("sent", "delivered", "delivered"), ("delivered", "read", "read"),
    ("read", "delivered", None), ("delivered", "delivered", None), ("sent", "failed", "failed"),
    ("failed", "read", None), (None, "read", "read"),
])
def test_delivery_states_only_move_forward(current, reported, expected):
    assert outbox.delivery_state(current, reported) == expected


def test_a_simulation_clock_file_is_honoured_only_with_the_emulator(tmp_path):
    import datetime as dt

    from jaring.clock import FileClock, SystemClock, from_environment

    path = tmp_path / "now"
    path.write_text("2026-03-02T08:00:00+07:00")
    assert isinstance(from_environment({"JARING_CLOCK_FILE": str(path)}), SystemClock)
    clock = from_environment({"JARING_CLOCK_FILE": str(path), "FIRESTORE_EMULATOR_HOST": "127.0.0.1:1"})
    assert isinstance(clock, FileClock)
    assert clock.now() == dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.timezone.utc)
    path.write_text("2026-03-02T09:30:00+07:00")
    assert clock.now().hour == 2
