"""Every message template Jaring submits follows Meta's review rules, so none comes back rejected."""
import pytest

from jaring.__main__ import main
from jaring.offices import store as offices
from jaring.whatsapp import template_rules as rules
from jaring.whatsapp import templates as wa_templates


@pytest.mark.parametrize("kind", sorted(wa_templates.DEFAULT_NAMES))
def test_every_template_jaring_submits_would_pass_metas_review(kind):
    assert rules.problems(wa_templates.registration(kind, wa_templates.DEFAULT_NAMES[kind], "id")) == []


@pytest.mark.parametrize("body,problem", [
    ("Pengingat untuk petugas: {{1}}", "ends with a placeholder"),
    ("Pengingat untuk petugas: {{1}}.", "ends with a placeholder"),
    ("{{1}}, terima kasih atas kunjungan Bapak/Ibu hari ini.", "starts with a placeholder"),
    ("Kabar pengaduan nomor {{1}}: {{2}}. Balas STATUS {{1}} untuk membaca rinciannya.", "more than once"),
    ("Kabar layanan {{1}} di kantor kami, kode {{3}}, sudah siap diambil.", "without gaps"),
    ("Kabar layanan {{1}} {{2}} sudah selesai dan dapat diambil.", "side by side"),
    ("Nomor {{1}} kode {{2}} ada.", "too many placeholders"),
    ("Layanan {{nama}} sudah selesai dan dapat diambil hari ini.", "numbers like"),
    ("Kabar layanan\tkami sudah selesai.", "tab"),
    ("a" * 1025, "1025 characters"),
])
def test_a_body_meta_would_refuse_is_named_with_its_reason(body, problem):
    assert any(problem in found for found in rules.body_problems(body)), rules.body_problems(body)


def test_the_old_staff_alert_and_complaint_update_are_refused():
    assert rules.body_problems("Pengingat untuk petugas: {{1}}")
    assert rules.body_problems("Kabar pengaduan Bapak/Ibu nomor {{1}}: {{2}}. Balas STATUS {{1}} untuk membaca rinciannya.")


def test_buttons_follow_metas_limits():
    body = wa_templates.registration(wa_templates.INVITATION, "jaring_undangan_survei", "id")
    buttons = body["components"][1]["buttons"]
    buttons[1]["text"] = "Isi survei langsung di WhatsApp sekarang"
    buttons += [dict(buttons[0]), dict(buttons[0])]
    found = rules.problems(body)
    assert any("1 to 25 characters" in p for p in found) and any("3 link buttons" in p for p in found)


def test_a_template_name_is_lower_case_letters_digits_and_underscores():
    assert any("name" in p for p in rules.problems(wa_templates.registration(wa_templates.THANKS, "Terima-Kasih", "id")))


def test_templates_check_passes_the_seed_office(capsys):
    assert main(["templates", "check", str(offices.SEED_DIR / "kemenag-bangkalan.toml")]) == 0
    assert "all 9 templates follow Meta's rules" in capsys.readouterr().out


def test_templates_check_names_a_refused_template_and_exits_non_zero(capsys, monkeypatch):
    monkeypatch.setitem(wa_templates.BODIES, wa_templates.STAFF_ALERT, "Pengingat untuk petugas: {{1}}")
    assert main(["templates", "check"]) == 1
    assert "error: jaring_peringatan_petugas (id): body ends with a placeholder" in capsys.readouterr().out
