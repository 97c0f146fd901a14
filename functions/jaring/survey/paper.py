"""Paper or spreadsheet SKM results as CSV (pure): a header row naming the nine unsur, values 1..4.

A column is found by its header, never by its position:
- by the unsur's name ("Persyaratan", "Sarana dan Prasarana", "Penanganan Pengaduan", a distinctive word of it
  is enough: "Biaya", "Perilaku petugas", see WORDS);
- or by a number or code (U8, Q8, P8, "8", "Unsur 8"): then the order of the questionnaire must be stated,
  because the regulation lists U8 Penanganan Pengaduan before U9 Sarana dan Prasarana while its sample
  questionnaire asks about sarana (question 8) before pengaduan (question 9). REGULATION reads number 8 as
  Penanganan Pengaduan, QUESTIONNAIRE as Sarana dan Prasarana; numbers 1..7 are the same in both.
A header that could be two unsur, two columns for one unsur, or a number 8/9 without the order is refused,
never guessed. `Sheet.mapping` says which column was read as which unsur, so the operator can check it.

A cell may be blank (that unsur was not answered on that sheet); a row with all nine blank is no respondent
and is listed in `Sheet.blank_rows`. Other columns are ignored by the calculator; when the sheet is stored as
responses, the optional columns service, sex, education, occupation, age_band and suggestion are kept too.
Rows are numbered as a spreadsheet shows them: the header is row 1.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from jaring.survey.responses import PROFILE_FIELDS, UNSUR, UNSUR_NAMES, InvalidResponse, answer_value, is_blank

EXTRA_COLUMNS = ("service", "suggestion", *PROFILE_FIELDS)
REGULATION, QUESTIONNAIRE = "regulasi", "kuesioner"
ORDERS = {
    REGULATION: dict(zip(range(1, 10), UNSUR)),
    QUESTIONNAIRE: {**dict(zip(range(1, 8), UNSUR[:7])), 8: "U9", 9: "U8"},
}
ORDER_HELP = (f"{REGULATION}: 8 = U8 Penanganan Pengaduan, 9 = U9 Sarana dan Prasarana (the regulation's list); "
              f"{QUESTIONNAIRE}: 8 = Sarana dan Prasarana, 9 = Penanganan Pengaduan (its sample questionnaire)")
# Words that name one unsur in a header (lower case, whole words).
WORDS = {
    "U1": ("persyaratan", "syarat"),
    "U2": ("sistem", "mekanisme", "prosedur"),
    "U3": ("penyelesaian", "kecepatan"),
    "U4": ("biaya", "tarif"),
    "U5": ("produk", "spesifikasi"),
    "U6": ("kompetensi", "kemampuan"),
    "U7": ("perilaku", "kesopanan", "keramahan"),
    "U8": ("pengaduan", "masukan"),
    "U9": ("sarana", "prasarana", "fasilitas"),
}
NUMBER = re.compile(r"^(?:u|q|p|no|unsur|pertanyaan|soal)?\s*[.-]?\s*0?([1-9])$")


class PaperError(ValueError):
    """The sheet cannot be read; the message names the row and column."""


@dataclass(frozen=True)
class Row:
    number: int
    answers: dict[str, int]  # the unsur answered on this sheet
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Sheet:
    rows: list[Row]
    mapping: list[tuple[str, str]]  # (header as written, unsur), in column order
    blank_rows: list[int] = field(default_factory=list)  # rows with no unsur answered: not respondents

    def describe(self) -> list[str]:
        """One line per unsur column: how its header was read."""
        return [f"column {header!r} = {u} {UNSUR_NAMES[u]}" for header, u in self.mapping]


def _dialect(text: str) -> str:
    # Spreadsheets set to Indonesian save with ';' because ',' is their decimal separator.
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _words(header: str) -> set[str]:
    return set(re.findall(r"[a-z]+", header.lower()))


def unsur_of(header: str, order: str | None) -> str | None:
    """The unsur a header names, None when it names none; PaperError when it could be more than one."""
    text = " ".join(header.lower().split())
    named = [u for u, words in WORDS.items() if _words(text) & set(words)]
    if len(named) > 1:
        raise PaperError(f"row 1, column {header!r}: could be {' or '.join(f'{u} {UNSUR_NAMES[u]}' for u in named)};"
                         " name one unsur per column")
    if named:
        return named[0]
    match = NUMBER.fullmatch(text)
    if not match:
        return None
    number = int(match[1])
    if number >= 8 and order is None:
        raise PaperError(f"row 1, column {header!r}: a number 8 or 9 means different unsur in the regulation and "
                         f"its questionnaire; name the column or state the order ({ORDER_HELP})")
    return ORDERS[order or REGULATION][number]


def _columns(header: list[str], order: str | None) -> tuple[dict[str, int], list[tuple[str, str]]]:
    columns: dict[str, int] = {}
    mapping: list[tuple[str, str]] = []
    for i, name in enumerate(header):
        name = name.strip()
        if name.lower() in EXTRA_COLUMNS:
            columns.setdefault(name.lower(), i)
            continue
        u = unsur_of(name, order) if name else None
        if u is None:
            continue
        if u in columns:
            raise PaperError(f"row 1, columns {header[columns[u]].strip()!r} and {name!r}: both read as {u} "
                             f"{UNSUR_NAMES[u]}; one column per unsur")
        columns[u] = i
        mapping.append((name, u))
    return columns, mapping


def read(text: str, order: str | None = None) -> Sheet:
    if order is not None and order not in ORDERS:
        raise PaperError(f"order must be {REGULATION} or {QUESTIONNAIRE}")
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=_dialect(text))
    header = next(reader, None)
    if not header:
        raise PaperError("row 1: the file is empty, expected a header row naming the nine unsur")
    columns, mapping = _columns(header, order)
    missing = [u for u in UNSUR if u not in columns]
    if missing:
        raise PaperError(f"row 1, column {missing[0]}: no column for {missing[0]} {UNSUR_NAMES[missing[0]]} "
                         "in the header")
    rows, blank = [], []
    try:
        for number, cells in enumerate(reader, start=2):
            if any(c.strip() for c in cells):
                row = _row(number, cells, columns, header)
                (rows.append(row) if row.answers else blank.append(number))
    except csv.Error as exc:
        raise PaperError(f"row {reader.line_num}: {exc}") from None
    if not rows:
        raise PaperError("row 2: no answered rows after the header")
    return Sheet(rows, sorted(mapping, key=lambda m: columns[m[1]]), blank)


def _row(number: int, cells: list[str], columns: dict[str, int], header: list[str]) -> Row:
    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    answers = {}
    for u in UNSUR:
        if is_blank(cell(u)):
            continue
        try:
            answers[u] = answer_value(u, cell(u))
        except InvalidResponse:
            written = header[columns[u]].strip()
            raise PaperError(f"row {number}, column {u}{'' if written == u else f' ({written!r})'}: {cell(u)!r} is "
                             "not a value 1..4") from None
    return Row(number, answers, {k: cell(k) for k in EXTRA_COLUMNS if cell(k)})
