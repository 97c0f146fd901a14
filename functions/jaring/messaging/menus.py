"""Interactive lists that page cleanly past WhatsApp's 10 rows, the main menu, and the row a typed word picks."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from jaring.messaging import matching
from jaring.whatsapp import messages
from jaring.whatsapp.webhook import InboundMessage

PAGE = 8  # leaves room for the "Sebelumnya" and "Berikutnya" rows
NEXT, PREVIOUS = "Berikutnya »", "« Sebelumnya"
MENU = ("menu", "menu utama", "kembali")  # typed anywhere: back to the main menu

MAIN = (
    ("m:katalog", "Katalog layanan", "Syarat, biaya, waktu, dan tempat layanan"),
    ("m:tiket", "Cek tiket", "Permohonan yang sudah Anda ajukan"),
    ("m:pengaduan", "Pengaduan", "Sampaikan keluhan atau saran"),
    ("m:wbs", "Lapor pelanggaran", "Pungli, calo, gratifikasi; rahasia"),
    ("m:survei", "Isi survei", "Nilai pelayanan yang Anda terima"),
    ("m:petugas", "Bicara dengan petugas", "Pesan Anda diteruskan ke petugas"),
)


def pages(count: int) -> int:
    return 1 if count <= messages.LIST_ROWS else -(-count // PAGE)


def paged(body: str, button: str, section: str, rows: Sequence[messages.Row], page: int,
          page_id: Callable[[int], str]) -> tuple[messages.Content, list[messages.Row]]:
    """One page of rows as a list message, and the rows shown (to understand a typed number later)."""
    total = pages(len(rows))
    page = min(max(page, 0), total - 1)
    shown = list(rows) if total == 1 else list(rows[page * PAGE:(page + 1) * PAGE])
    if page > 0:
        shown.append((page_id(page - 1), PREVIOUS, f"Halaman {page} dari {total}"))
    if page < total - 1:
        shown.append((page_id(page + 1), NEXT, f"Halaman {page + 2} dari {total}"))
    return messages.list_message(body, button, [(section, shown)]), shown


def main_menu(body: str) -> tuple[messages.Content, list[messages.Row]]:
    return messages.list_message(body, "Pilih layanan", [("Menu utama", MAIN)]), list(MAIN)


def typed_choice(menu: list[dict[str, str]] | None, text: str) -> str | None:
    """People type "2" or "katalog" instead of tapping the list: map it to the row shown last."""
    rows = menu or []
    if text.isascii() and text.isdigit() and 1 <= int(text) <= len(rows):
        return rows[int(text) - 1]["id"]
    known = rows + [{"id": rid, "title": title} for rid, title, _ in MAIN]  # the main menu works anywhere
    return next((row["id"] for row in known if matching.same(text, row["title"])
                 or matching.same(text, row["title"].split()[0])), None)


def asks_for_tickets(contact: dict[str, Any] | None, message: InboundMessage) -> bool:
    """Whether the message may choose "Cek tiket", so the adapter reads the citizen's tickets for it."""
    if message.choice:
        return message.choice == "m:tiket"
    return message.type == "text" and typed_choice((contact or {}).get("menu"), message.text.strip()) == "m:tiket"
