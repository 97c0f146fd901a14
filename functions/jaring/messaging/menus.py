"""Interactive lists that page cleanly past WhatsApp's 10 rows, the main menu, and the row a typed word picks."""
from __future__ import annotations

import json
from typing import Any, Callable, Iterable, Sequence

from jaring.whatsapp import messages

PAGE = 8  # leaves room for the "Sebelumnya" and "Berikutnya" rows
NEXT, PREVIOUS = "Berikutnya »", "« Sebelumnya"
MENU = ("menu", "menu utama", "menu awal", "kembali", "kembali ke menu", "kembali ke menu utama", "kembali ke menu awal",
        "ke menu", "home", "lihat menu", "buka menu", "tampilkan menu")  # typed anywhere: back to the main menu

MAIN = (
    ("m:katalog", "Katalog layanan", "Syarat, biaya, waktu, dan tempat layanan"),
    ("m:tiket", "Cek tiket", "Permohonan yang sudah diajukan"),
    ("m:pengaduan", "Pengaduan", "Sampaikan keluhan atau saran"),
    ("m:wbs", "Lapor pelanggaran", "Pungli, calo, gratifikasi; rahasia"),
    ("m:survei", "Isi survei", "Nilai pelayanan yang diterima"),
    ("m:petugas", "Bicara dengan petugas", "Pesan diteruskan ke petugas"),
)


def kept(rows: Iterable[tuple[str, str]]) -> str:
    """The rows just shown, as the contact keeps them to read a typed number later: one JSON string of
    [id, title] pairs (a list of maps cost two encoded values and index entries per row on every turn)."""
    return json.dumps([[rid, title] for rid, title in rows], ensure_ascii=False, separators=(",", ":"))


def rows_kept(contact: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The (id, title) rows a contact was last shown; contacts written before `kept` hold a list of maps."""
    held = (contact or {}).get("menu")
    if not held:
        return []
    pairs = json.loads(held) if isinstance(held, str) else [(row["id"], row["title"]) for row in held]
    return [(rid, title) for rid, title in pairs]


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
