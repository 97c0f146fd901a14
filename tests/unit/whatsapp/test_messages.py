"""Outbound messages are checked against WhatsApp's limits before anything is stored or sent."""
import pytest

from jaring.whatsapp import messages as m
from jaring.whatsapp.graph import classify


def test_text_fits_4096_characters():
    assert m.text("a" * 4096)["text"]["body"] == "a" * 4096
    with pytest.raises(m.MessageLimitError, match="4096"):
        m.text("a" * 4097)


def test_a_list_holds_at_most_ten_rows_across_sections():
    rows = [(f"r{i}", f"Baris {i}", "") for i in range(6)]
    more = [(f"s{i}", f"Baris {i}", "") for i in range(5)]
    with pytest.raises(m.MessageLimitError, match="rows: 11"):
        m.list_message("Pilih", "Menu", [("A", rows), ("B", more)])
    built = m.list_message("Pilih", "Menu", [("A", rows), ("B", more[:4])])
    assert sum(len(s["rows"]) for s in built["interactive"]["action"]["sections"]) == 10


@pytest.mark.parametrize("field,builder", [
    ("row title", lambda: m.list_message("b", "Menu", [("", [("id", "x" * 25, "")])])),
    ("row description", lambda: m.list_message("b", "Menu", [("", [("id", "ok", "d" * 73)])])),
    ("list button", lambda: m.list_message("b", "x" * 21, [("", [("id", "ok", "")])])),
    ("section title", lambda: m.list_message("b", "Menu", [("s" * 25, [("id", "ok", "")])])),
    ("button title", lambda: m.buttons("b", [("a", "x" * 21)])),
    ("header", lambda: m.buttons("b", [("a", "Ya")], header="h" * 61)),
    ("CTA display text", lambda: m.cta_url("b", "x" * 21, "https://example.org")),
])
def test_titles_and_labels_respect_their_limits(field, builder):
    with pytest.raises(m.MessageLimitError, match=field):
        builder()


def test_reply_buttons_are_one_to_three_with_unique_titles():
    with pytest.raises(m.MessageLimitError, match="1 to 3"):
        m.buttons("b", [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")])
    with pytest.raises(m.MessageLimitError, match="unique"):
        m.buttons("b", [("a", "Ya"), ("b", "Ya")])
    assert len(m.buttons("b", [("a", "Ya"), ("b", "Tidak")])["interactive"]["action"]["buttons"]) == 2


def test_sections_need_titles_when_there_are_several():
    with pytest.raises(m.MessageLimitError, match="title"):
        m.list_message("b", "Menu", [("", [("a", "A", "")]), ("", [("b", "B", "")])])


def test_row_ids_are_unique():
    with pytest.raises(m.MessageLimitError, match="unique"):
        m.list_message("b", "Menu", [("", [("a", "A", ""), ("a", "B", "")])])


def test_template_with_url_button_parameter():
    content = m.template("survei_ikm", "id", ["Budi", "Pendaftaran nikah"], [("url", 0, "tok123")])
    assert content["template"]["language"] == {"code": "id"}
    assert content["template"]["components"][1] == {
        "type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "tok123"}]}


@pytest.mark.parametrize("status,code,retry", [
    (500, None, True), (503, 131016, True), (429, 130429, True), (400, 131056, True),
    (None, None, True),  # timeout
    (400, 131026, False), (400, 131047, False), (400, 100, False), (401, 190, False),
    (403, 368, False), (429, 131048, False), (400, None, False),
])
def test_which_failures_are_retried(status, code, retry):
    assert classify(status, code) is retry
