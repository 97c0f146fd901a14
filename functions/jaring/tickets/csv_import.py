"""Tickets from a CSV file (PTSP exports, back-fill). Pure: text in, rows or every bad line out.

A file is all or nothing: when any row is bad, every bad row is reported with its line number and
nothing is imported. An export is easy to fix and re-run, a half-imported one is hard to reason
about; and since each row's ticket id comes from its content, re-running a corrected file never
doubles the rows that were fine.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from jaring.clock import WIB
from jaring.offices import catalogue
from jaring.offices.model import OfficeConfig
from jaring.phone import InvalidPhoneNumber, normalise
from jaring.tickets import ticket as tickets

COLUMNS = {
    "phone": ("nomor_wa", "no_wa", "whatsapp", "nomor_whatsapp", "no_hp", "telepon", "phone"),
    "name": ("nama", "name"),
    "unit": ("unit",),
    "service": ("layanan", "service"),
    "officer": ("petugas", "officer"),
    "consent": ("persetujuan", "consent", "setuju"),
    "opened_at": ("waktu_datang", "opened_at", "tanggal"),
    "completed_at": ("waktu_selesai", "completed_at"),
}
YES, NO = ("ya", "y", "yes", "1", "true", "setuju"), ("tidak", "t", "n", "no", "0", "false", "")
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")
MAX_ROWS = 5000
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Row:
    line: int
    spec: tickets.NewTicket
    wa_id: str
    name: str


def _when(text: str) -> dt.datetime | None:
    """ISO or Indonesian day/month/year; a time without a zone is office time (WIB)."""
    text = text.strip()
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        parsed = None
        for fmt in TIME_FORMATS:
            try:
                parsed = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if parsed is None:
            raise ValueError(f"{text!r} is not a date/time (use 2026-01-08 10:00 or 08/01/2026 10:00)")
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=WIB)).astimezone(dt.timezone.utc)


def _columns(header: list[str]) -> dict[str, str]:
    wanted = {alias: field for field, aliases in COLUMNS.items() for alias in aliases}
    found = {}
    for name in header:
        key = "_".join(name.strip().lower().lstrip("\ufeff").split())
        if key in wanted:
            found[wanted[key]] = name
    return found


def parse(text: str, config: OfficeConfig, default_unit: str = "") -> tuple[list[Row], list[str]]:
    """(rows, errors); errors are "line N: what is wrong" for every bad line. Units and services must be the
    office file's (jaring.catalogue): a unit by id, name or title, a service as the catalogue names it."""
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    columns = _columns(reader.fieldnames or [])
    missing = [f for f in ("phone", "consent") if f not in columns]
    if "unit" not in columns and not default_unit:
        missing.append("unit (or --unit)")
    if missing:
        return [], [f"line 1: missing column(s): {', '.join(missing)}"]
    rows, errors = [], []
    for record in reader:
        line = reader.line_num
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(f"line {line}: more than {MAX_ROWS} rows; split the file")
            break
        value = {field: (record.get(column) or "").strip() for field, column in columns.items()}
        try:
            rows.append(_row(line, value, config, default_unit))
        except (ValueError, tickets.TicketError, InvalidPhoneNumber) as exc:  # NotInCatalogue is a ValueError
            errors.append(f"line {line}: {exc}")
    return rows, errors


def _row(line: int, value: dict[str, str], config: OfficeConfig, default_unit: str) -> Row:
    wa_id = normalise(value["phone"])
    consent = value["consent"].lower()
    if consent not in YES + NO:
        raise ValueError(f"persetujuan must be ya or tidak, got {value['consent']!r}")
    unit = catalogue.unit(config, value.get("unit") or default_unit).id
    service = catalogue.service(config, unit, value.get("service", ""))
    opened_at = _when(value.get("opened_at", ""))
    completed_at = _when(value.get("completed_at", ""))
    source = "|".join((wa_id, unit, service, opened_at.isoformat() if opened_at else f"line{line}"))
    spec = tickets.NewTicket(office=config.office, unit=unit, service=service, channel="csv",
                             source=source, officer=value.get("officer", ""), consent=consent in YES,
                             completed=completed_at is not None, opened_at=opened_at or completed_at,
                             completed_at=completed_at)
    tickets.new(spec, "check", completed_at or opened_at or EPOCH, "check")  # the same checks as when stored
    return Row(line, spec, wa_id, value.get("name", ""))
