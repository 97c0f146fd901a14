"""Office files for tests and simulations: small, valid, one unit per desk, as an IT officer would fill the
new-office template (functions/jaring/offices/seed/templates/kantor-baru.toml)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

PUSAT, KANWIL = "kemenag-pusat", "kanwil-jawa-timur"


def number_id(n: int) -> str:
    """A WhatsApp number id for the n-th test office (the default office's is 100000000000002)."""
    return f"3{n:014d}"


def display_number(n: int) -> str:
    return f"+6231{n:07d}"


def toml(office: str, name: str, *, n: int | None = None, level: str = "kabupaten", parent: str = KANWIL,
         staff: Iterable[dict] = (), units: Iterable[str] = ("umum",)) -> str:
    """An office file; `n` gives it the number id number_id(n) and the number display_number(n)."""
    q = json.dumps  # TOML basic strings are JSON strings for what these hold
    lines = ['version = "2026.01.1"', "", "[office]", f"id = {q(office)}", f"name = {q(name)}",
             f"short_name = {q(name.replace('Kantor Kementerian Agama', 'Kemenag')[:40])}",
             f'address = "Jl. Contoh 1"', f"level = {q(level)}"]
    if parent and level != "pusat":
        lines.append(f"parent = {q(parent)}")
    if n is not None:
        lines += [f"whatsapp_number_id = {q(number_id(n))}", f"whatsapp_number = {q(display_number(n))}"]
    lines += ["", "[consent]", 'version = "2026-01"',
              'text = "Data Bapak/Ibu kami simpan paling lama {retention}. Ketik BERHENTI atau HAPUS DATA."',
              ]
    units = list(units) if level == "kabupaten" else []
    if units:
        lines += ["", "[survey.templates]", 'invitation = "jaring_undangan_survei"', 'nudge = "jaring_pengingat_survei"']
    if units:
        lines += ["", "[[groups]]", 'id = "ptsp"', 'title = "PTSP"', 'description = "Pelayanan Terpadu Satu Pintu"']
    for unit in units:
        lines += ["", "[[units]]", f"id = {q(unit)}", 'group = "ptsp"', f"title = {q(unit.title())}",
                  f"name = {q('Layanan ' + unit.title())}", 'place = "Loket PTSP"', "", "[[units.services]]",
                  'id = "konsultasi"', 'title = "Konsultasi"', 'name = "Konsultasi Layanan"',
                  'requirements = ["Tidak ada persyaratan khusus"]', 'duration = "Langsung dilayani"']
    for member in staff:
        lines += ["", "[[staff]]"] + [f"{k} = {q(v)}" for k, v in member.items()]
    return "\n".join(lines) + "\n"


def write(directory: Path, office: str, name: str, **kw) -> Path:
    path = Path(directory) / f"{office}.toml"
    path.write_text(toml(office, name, **kw))
    return path


def tree(directory: Path) -> list[Path]:
    """The ministry and one Kanwil above the test offices, each with a head who signs in."""
    return [write(directory, PUSAT, "Kementerian Agama Republik Indonesia", level="pusat",
                  staff=[{"email": "biro.perencanaan@kemenag.example.go.id", "name": "Biro Perencanaan",
                          "role": "planning"}]),
            write(directory, KANWIL, "Kanwil Kementerian Agama Provinsi Jawa Timur", level="kanwil", parent=PUSAT,
                  staff=[{"email": "kakanwil@jatim.example.go.id", "name": "Kepala Kanwil", "role": "office_head"}])]
