"""Paper or spreadsheet SKM results as CSV (pure): a header row, columns U1..U9 with values 1..4.

Other columns are ignored by the calculator; when the sheet is stored as responses, the optional
columns service, sex, education, occupation, age_band and suggestion are kept too.
Rows are numbered as a spreadsheet shows them: the header is row 1.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from jaring.responses import PROFILE_FIELDS, UNSUR, InvalidResponse, answer_value

EXTRA_COLUMNS = ("service", "suggestion", *PROFILE_FIELDS)


class PaperError(ValueError):
    """The sheet cannot be read; the message names the row and column."""


@dataclass(frozen=True)
class Row:
    number: int
    answers: dict[str, int]
    extra: dict[str, str] = field(default_factory=dict)


def _dialect(text: str) -> str:
    # Spreadsheets set to Indonesian save with ';' because ',' is their decimal separator.
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def read(text: str) -> list[Row]:
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=_dialect(text))
    header = next(reader, None)
    if not header:
        raise PaperError("row 1: the file is empty, expected a header row with U1..U9")
    columns = {name.strip().upper() if name.strip().upper() in UNSUR else name.strip().lower(): i
               for i, name in reversed(list(enumerate(header)))}
    missing = [u for u in UNSUR if u not in columns]
    if missing:
        raise PaperError(f"row 1, column {missing[0]}: missing from the header")
    rows = []
    try:
        for number, cells in enumerate(reader, start=2):
            if any(c.strip() for c in cells):
                rows.append(_row(number, cells, columns))
    except csv.Error as exc:
        raise PaperError(f"row {reader.line_num}: {exc}") from None
    if not rows:
        raise PaperError("row 2: no answer rows after the header")
    return rows


def _row(number: int, cells: list[str], columns: dict[str, int]) -> Row:
    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    answers = {}
    for u in UNSUR:
        try:
            answers[u] = answer_value(u, cell(u))
        except InvalidResponse:
            raise PaperError(f"row {number}, column {u}: {cell(u)!r} is not a value 1..4") from None
    return Row(number, answers, {k: cell(k) for k in EXTRA_COLUMNS if cell(k)})
