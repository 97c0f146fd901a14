"""`#bantuan` lists every WhatsApp command the sender's role may use, and none it may not."""
import pytest

from jaring.offices import staff_help
from jaring.offices.store import SEED_DIR, read_file

CONFIG = read_file(SEED_DIR / "kemenag-bangkalan.toml").config
BY_ROLE = {(s.role, s.hotline): s for s in CONFIG.staff}

EVERY = ("#layani", "#selesai", "#batal", "#cek", "#pengaduan", "#verifikasi", "#teruskan", "#jawab", "#tolak",
         "#status", "#balas", "#label", "#hapuslabel", "#ringkasan")


def said(role, hotline=False):
    return staff_help.text(BY_ROLE[(role, hotline)])


@pytest.mark.parametrize("role,hotline,may", [
    ("officer", True, EVERY),  # the hotline officer of umum: hand-offs, tickets, complaints, the unit's summary
    ("unit_head", False, ("#layani", "#selesai", "#batal", "#cek", "#pengaduan", "#verifikasi", "#jawab", "#ringkasan")),
    ("office_head", False, ("#selesai", "#batal", "#cek", "#pengaduan", "#verifikasi", "#ringkasan")),
    ("admin", False, ("#selesai", "#batal", "#cek", "#pengaduan", "#ringkasan")),
])
def test_each_role_is_told_every_command_it_may_use(role, hotline, may):
    text = said(role, hotline)
    assert all(command in text for command in may), [c for c in may if c not in text]


def test_no_one_is_told_a_command_their_role_may_not_use():
    assert "#balas" not in said("unit_head") and "#layani" not in said("office_head")
    assert "seluruh kantor" in said("office_head") and "unit Anda" in said("unit_head")
    inspectorate = said("inspectorate")
    assert not any(command in inspectorate for command in EVERY if command != "#bantuan")
    assert "halaman Inspektorat" in inspectorate


def test_the_help_addresses_the_member_and_fits_one_whatsapp_message():
    for member in CONFIG.staff:
        text = staff_help.text(member)
        assert text.startswith(f"Perintah untuk {member.name}:") and len(text) < 4096
