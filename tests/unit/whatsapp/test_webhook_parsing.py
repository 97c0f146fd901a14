"""Reading Meta's webhook: who may call it, and what a notification says."""
import json

import pytest

from jaring.whatsapp import webhook
from tests.support import meta

SECRET = "app-secret"


class TestHandshake:
    def test_echoes_the_challenge_when_the_token_matches(self):
        params = {"hub.mode": "subscribe", "hub.verify_token": "tok", "hub.challenge": "1158201444"}
        assert webhook.verify_handshake(params, "tok") == "1158201444"

    @pytest.mark.parametrize("params", [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": "tok", "hub.challenge": "1"},
        {"hub.challenge": "1"},
    ])
    def test_refuses_anything_else(self, params):
        assert webhook.verify_handshake(params, "tok") is None

    def test_refuses_when_no_token_is_configured(self):
        assert webhook.verify_handshake({"hub.mode": "subscribe", "hub.verify_token": ""}, "") is None


class TestSignature:
    def test_accepts_the_hmac_of_the_exact_bytes(self):
        raw = meta.encode(meta.inbound(meta.text("628123450001", "Halo")))
        assert webhook.signature_is_valid(SECRET, raw, meta.signature(SECRET, raw))

    @pytest.mark.parametrize("header", [None, "", "sha256=", "sha1=abc", "sha256=" + "0" * 64])
    def test_refuses_missing_or_wrong_signatures(self, header):
        assert not webhook.signature_is_valid(SECRET, b'{"object":"whatsapp_business_account"}', header)

    def test_refuses_a_body_changed_after_signing(self):
        raw = meta.encode(meta.inbound(meta.text("628123450001", "Halo")))
        header = meta.signature(SECRET, raw)
        assert not webhook.signature_is_valid(SECRET, raw.replace(b"Halo", b"Hola"), header)

    def test_refuses_a_signature_made_with_another_secret(self):
        raw = b"{}"
        assert not webhook.signature_is_valid(SECRET, raw, meta.signature("other", raw))


class TestMessages:
    def parse_one(self, message, **kw):
        notification = webhook.parse_notification(meta.inbound(message, **kw))
        assert len(notification.messages) == 1
        return notification.messages[0]

    def test_text(self):
        m = self.parse_one(meta.text("628123450001", "Syarat nikah apa saja?"))
        assert (m.type, m.text, m.sender, m.name, m.phone_number_id) == (
            "text", "Syarat nikah apa saja?", "628123450001", "Siti Warga", meta.OFFICE_NUMBER_ID)
        assert m.understood

    def test_list_reply_carries_the_row_id_and_title(self):
        m = self.parse_one(meta.list_reply("628123450001", "svc_nikah", "Pendaftaran nikah",
                                           context={"from": "6281100000000", "id": "wamid.MENU"}))
        assert (m.choice, m.text, m.quoted_wamid) == ("svc_nikah", "Pendaftaran nikah", "wamid.MENU")

    def test_button_reply(self):
        m = self.parse_one(meta.button_reply("628123450001", "consent_yes", "Setuju"))
        assert (m.type, m.choice, m.text) == ("interactive", "consent_yes", "Setuju")

    def test_template_quick_reply_button(self):
        m = self.parse_one(meta.template_button("628123450001", "survey_start", "Isi survei"))
        assert (m.type, m.choice, m.text) == ("button", "survey_start", "Isi survei")

    def test_flow_reply_is_parsed_twice(self):
        m = self.parse_one(meta.flow_reply("628123450001", {"flow_token": "t1", "u1": "4"}))
        assert m.flow_response == {"flow_token": "t1", "u1": "4"}

    def test_location_and_media(self):
        assert self.parse_one(meta.location("628123450001")).location["latitude"] == -7.0455
        m = self.parse_one(meta.image("628123450001", caption="bukti"))
        assert (m.type, m.media["mime_type"], m.text, m.understood) == ("image", "image/jpeg", "bukti", False)

    def test_unsupported_keeps_its_error_code(self):
        m = self.parse_one(meta.unsupported("628123450001"))
        assert (m.type, m.error_codes, m.understood) == ("unsupported", (131051,), False)

    def test_contact_with_a_business_scoped_user_id_and_no_wa_id(self):
        message = meta.text("ID.1234567890abcdef", "Halo")
        contact = {"profile": {"name": "Pengguna"}, "user_id": "ID.1234567890abcdef"}
        m = self.parse_one(message, contacts=[contact])
        assert (m.sender, m.name) == ("ID.1234567890abcdef", "Pengguna")

    def test_a_batch_from_many_senders_keeps_every_message(self):
        batch = [meta.text(f"62812345{n:04d}", f"pesan {n}") for n in range(20)]
        notification = webhook.parse_notification(meta.inbound(*batch))
        assert [m.sender for m in notification.messages] == [f"62812345{n:04d}" for n in range(20)]

    def test_many_entries_and_changes(self):
        a, b = meta.inbound(meta.text("628100000001", "a")), meta.inbound(meta.text("628100000002", "b"))
        a["entry"].append(b["entry"][0])
        assert len(webhook.parse_notification(a).messages) == 2


class TestStatuses:
    def test_failed_outside_the_window_keeps_code_131047(self):
        n = webhook.parse_notification(meta.status("wamid.OUT1", "failed", "628123450001", error_code=131047))
        s = n.statuses[0]
        assert (s.wamid, s.status, s.error_codes, s.recipient) == ("wamid.OUT1", "failed", (131047,), "628123450001")

    def test_callback_data_comes_back(self):
        n = webhook.parse_notification(meta.status("wamid.OUT1", "read", "6281", callback_data="r123"))
        assert n.statuses[0].callback_data == "r123"


class TestNotNotifications:
    @pytest.mark.parametrize("payload", [
        [], {}, {"object": "page", "entry": []}, {"object": "whatsapp_business_account"},
        {"object": "whatsapp_business_account", "entry": [{"changes": [{"value": {}}]}]},
        {"object": "whatsapp_business_account", "entry": [{"changes": "x"}]},
        meta.inbound({"from": "6281", "type": "text"}),  # no id
        meta.inbound(meta.text("6281", "x", extra={"timestamp": "yesterday"})),
    ])
    def test_are_refused(self, payload):
        with pytest.raises(webhook.NotANotification):
            webhook.parse_notification(payload)

    def test_malformed_json_is_a_value_error(self):
        with pytest.raises(ValueError):
            webhook.parse_body(b'{"object": ')

    def test_other_fields_are_ignored(self):
        payload = meta.inbound(meta.text("6281", "x"))
        payload["entry"][0]["changes"][0]["field"] = "message_template_status_update"
        assert webhook.parse_notification(payload).messages == []

    def test_round_trip_through_bytes(self):
        raw = json.dumps(meta.inbound(meta.text("628123450001", "Halo"))).encode()
        assert webhook.parse_body(raw).messages[0].text == "Halo"
