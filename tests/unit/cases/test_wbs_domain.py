"""WBS rules that need no database: codes and PINs people can type, PINs kept only as keyed hashes,
wrong PINs lock the report, links and drafts unreadable without the key, and what each side is shown."""
import datetime as dt

import pytest

from jaring.cases import commands, wbs

KEY = b"test-wbs-link-key"
NOW = dt.datetime(2026, 1, 14, 3, 0, tzinfo=dt.timezone.utc)


def report(**changes):
    doc = wbs.new_report(office="kemenag-bangkalan", code="WBS-ABCD2345", content={"who": "Pak X", "what": "pungli"},
                         media=[], pin_hash=wbs.hash_pin(KEY, "123456"), now=NOW)
    return {**doc, **changes}


def test_codes_and_pins_are_random_and_typeable():
    codes = {wbs.new_code() for _ in range(200)}
    assert len(codes) == 200 and all(commands.parse_follow_up(c).code == c for c in codes)
    pins = {wbs.new_pin() for _ in range(200)}
    assert all(len(p) == 6 and p.isdigit() for p in pins) and len(pins) > 150


@pytest.mark.parametrize("typed, code, pin", [
    ("WBS-ABCD2345 123456", "WBS-ABCD2345", "123456"),
    ("cek wbs-abcd2345 pin 123456", "WBS-ABCD2345", "123456"),
    ("WBSABCD2345\n123456", "WBS-ABCD2345", "123456"),
    ("WBS-ABCD2345", "WBS-ABCD2345", ""),
])
def test_a_follow_up_is_read_however_the_code_and_pin_are_written(typed, code, pin):
    assert commands.parse_follow_up(typed) == commands.FollowUp(code, pin)


def test_plain_messages_are_not_follow_ups():
    assert commands.parse_follow_up("saya mau lapor") is None and commands.parse_follow_up("WBS-ABC 123456") is None


def test_the_pin_is_kept_as_a_salted_keyed_hash_only():
    stored = wbs.hash_pin(KEY, "123456")
    assert "123456" not in str(stored)
    assert wbs.pin_matches(KEY, stored, "123456") and not wbs.pin_matches(KEY, stored, "123457")
    assert not wbs.pin_matches(b"another key", stored, "123456")  # useless to anyone without the key
    assert wbs.hash_pin(KEY, "123456")["hash"] != stored["hash"]  # a fresh salt each time


def test_five_wrong_pins_lock_the_report_for_a_day_and_a_right_pin_resets_the_count():
    doc = report()
    for n in range(1, wbs.MAX_WRONG):
        result = wbs.attempt(doc, False, NOW)
        assert result.outcome == "wrong"
        doc = {**doc, **result.changes}
        assert doc["failed_attempts"] == n and not wbs.locked(doc, NOW)
    result = wbs.attempt(doc, False, NOW)
    doc = {**doc, **result.changes}
    assert result.outcome == "locked" and wbs.locked(doc, NOW + dt.timedelta(hours=23, minutes=59))
    assert not wbs.locked(doc, NOW + wbs.LOCK)
    doc = {**doc, **wbs.attempt({**doc, "failed_attempts": 3}, True, NOW + wbs.LOCK).changes}
    assert doc["failed_attempts"] == 0 and doc["locked_until"] is None


def test_links_and_drafts_cannot_be_computed_without_the_key():
    rid = wbs.report_id("WBS-ABCD2345")
    assert wbs.link_id(KEY, "kemenag-bangkalan", rid) != wbs.link_id(b"other", "kemenag-bangkalan", rid)
    assert wbs.link_id(KEY, "kemenag-bangkalan", rid) == wbs.link_id(KEY, "kemenag-bangkalan", rid)
    assert wbs.draft_id(KEY, "kemenag-bangkalan", "c123") != wbs.draft_id(KEY, "kemenag-bangkalan", "c124")


def test_the_inspectorate_updates_the_status_and_writes_to_the_reporter():
    doc = report()
    doc = {**doc, **wbs.update(doc, wbs.REVIEWING, "Mohon kirim foto kuitansinya bila ada.", NOW, "irjen@kemenag.go.id")}
    assert doc["status"] == wbs.REVIEWING
    told = wbs.reporter_view(doc)
    assert "sedang ditelaah" in told and "Mohon kirim foto kuitansinya" in told
    assert "irjen@kemenag.go.id" not in told  # the reporter hears from "Inspektorat", not a person
    with pytest.raises(wbs.WbsError):
        wbs.update(doc, "", "", NOW, "irjen")
    with pytest.raises(wbs.WbsError):
        wbs.update(doc, "archived", "", NOW, "irjen")


def test_the_inspectorates_views_never_show_the_pin_and_the_list_shows_no_content():
    doc = report()
    assert "pin" not in wbs.full_view(doc) and "Pak X" in str(wbs.full_view(doc))
    assert "Pak X" not in str(wbs.summary_view(doc)) and "pungli" not in str(wbs.summary_view(doc))


def test_the_receipt_shows_the_code_and_pin_once_and_says_how_to_follow_up():
    text = wbs.receipt("WBS-ABCD2345", "123456")
    assert "WBS-ABCD2345 123456" in text and "PIN tidak dapat kami tampilkan lagi" in text
