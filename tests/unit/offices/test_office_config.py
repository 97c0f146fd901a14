"""The office's configuration: the Bangkalan seed is complete and valid, and a bad file is explained
in full (every problem with its file and key path) before anything is loaded."""
import pytest

from jaring.offices import model as office
from jaring.offices.model import InvalidConfig
from jaring.offices.store import read_file, read_files
from tests.support.dialogue import seed_config, seed_data

KECAMATAN = ["Bangkalan", "Socah", "Burneh", "Kamal", "Arosbaya", "Geger", "Klampis", "Sepulu", "Tanjung Bumi",
             "Kokop", "Kwanyar", "Labang", "Tanah Merah", "Tragah", "Blega", "Modung", "Konang", "Galis"]
PTSP_DESKS = ["Umum dan Tata Usaha", "Bimas Islam", "Kepegawaian", "Keuangan", "Penyelenggaraan Syariah",
              "PD Pontren", "Pendidikan Madrasah", "Haji dan Umrah"]


def problems(data, source="kantor.toml"):
    with pytest.raises(InvalidConfig) as err:
        office.parse(data, source)
    return err.value.problems


class TestBangkalanSeed:
    config = seed_config()

    def test_covers_the_ptsp_desks_the_18_kua_and_4_state_madrasah(self):
        assert [u.title for u in self.config.units_of("ptsp")] == PTSP_DESKS
        assert [u.name for u in self.config.units_of("kua")] == [f"KUA Kecamatan {k}" for k in KECAMATAN]
        assert len(self.config.units_of("madrasah")) == 4

    def test_every_service_says_what_to_bring_what_it_costs_how_long_and_where(self):
        for unit in self.config.units:
            for service in unit.services:
                card = office.service_card(self.config, unit, service)
                assert service.requirements and service.cost and service.duration, (unit.id, service.id)
                assert "Biaya:" in card and "Tempat:" in card and "Jam layanan:" in card

    def test_haji_desk_offers_the_passport_recommendation_for_umrah_pilgrims(self):
        assert self.config.unit("haji").service("paspor-umrah").cost == "Gratis"

    def test_the_kua_share_one_list_of_services_with_marriage_registration_first(self):
        first = {u.services[0].id for u in self.config.units_of("kua")}
        assert first == {"nikah"}

    def test_consent_names_purpose_retention_and_how_to_stop_or_delete(self):
        text = self.config.consent()
        assert "1 tahun" in text and "BERHENTI" in text and "HAPUS DATA" in text

    def test_staff_numbers_are_normalised_and_emails_lower_case(self):
        assert [s.number for s in self.config.staff] == ["628001000001", "628001000002", "628001000003",
                                                         "628001000004", "628001000005", "628001000006"]
        assert [s.email for s in self.config.staff] == ["petugas@example.go.id", "", "kepala.tu@example.go.id",
                                                        "admin@example.go.id", "kepala.kantor@example.go.id",
                                                        "inspektorat@example.go.id"]

    def test_complaint_deadlines_are_working_days_from_practice_and_each_office_may_set_its_own(self):
        from jaring.cases.complaints import Deadlines
        assert self.config.complaint_deadlines == Deadlines(verify_days=3, answer_days=5, escalate_after_days=2)
        changed = seed_config(complaints={"verify_days": 2, "answer_days": 14})
        assert changed.complaint_deadlines == Deadlines(2, 14, 2)
        with pytest.raises(office.InvalidConfig, match="complaints.verify_days: must be a whole number above 0"):
            seed_config(complaints={"verify_days": 0})

    def test_hand_offs_go_to_the_staff_flagged_hotline(self):
        assert [(s.name, s.role, s.unit) for s in self.config.staff if s.hotline] == [
            ("Petugas PTSP 1 (CONTOH)", "officer", "umum"), ("Petugas PTSP 2 (CONTOH)", "officer", "haji")]

    def test_the_survey_names_its_templates_and_their_language(self):
        assert self.config.survey.templates == {"invitation": "jaring_undangan_survei",
                                                "nudge": "jaring_pengingat_survei"}
        assert self.config.survey.nudges == {}  # the reminder policy's defaults
        assert (self.config.survey.template_language, self.config.survey.form_url) == ("id", "")


def test_staff_roles_units_and_contacts_are_checked_with_their_key_paths():
    data = seed_data()
    data["staff"] = [
        {"name": "A", "role": "hotline", "number": "0812 3456 7001"},
        {"name": "B", "role": "officer", "email": "b@kemenag.go.id"},
        {"name": "C", "role": "unit_head", "unit": "ptsp", "email": "c@kemenag"},
        {"name": "D", "role": "admin", "unit": "umum", "email": "B@Kemenag.go.id"},
        {"name": "E", "role": "officer", "unit": "haji", "hotline": True},
        {"name": "F", "role": "office_head", "units": ["umum"], "email": "f@kemenag.go.id", "hotline": "ya"},
    ]
    found = problems(data)
    expected = ["kantor.toml: staff[0].role: 'hotline' is not one of officer, unit_head, office_head, inspectorate, "
                "admin",
                "kantor.toml: staff[1].unit: is required for role 'officer'",
                "kantor.toml: staff[2].email: 'c@kemenag' is not an email address",
                "kantor.toml: staff[2].unit: no unit 'ptsp' in the catalogue",
                "kantor.toml: staff[3].unit: role 'admin' covers the whole office",
                "kantor.toml: staff[3].email: email 'b@kemenag.go.id' is used twice",
                "kantor.toml: staff[4]: needs a number (WhatsApp), an email (sign-in), or both",
                "kantor.toml: staff[4].hotline: hand-offs reach staff on WhatsApp",
                "kantor.toml: staff[5].units: unknown key", "kantor.toml: staff[5].hotline: must be true or false"]
    for start in expected:
        assert any(p.startswith(start) for p in found), (start, found)
    assert len(found) == len(expected)


def test_survey_templates_and_form_are_checked():
    data = seed_data()
    data["survey"] = {"form_url": "forms.gle/x", "templates": {"invitation": "Undangan Survei", "reminder": "x"},
                      "language": "id", "path": "whatsapp"}
    assert sorted(problems(data)) == sorted([
        "kantor.toml: survey.form_url: must be an https:// address, got 'forms.gle/x'",
        "kantor.toml: survey.templates.invitation: 'Undangan Survei': a template name is lower-case letters, "
        "digits and '_'",
        "kantor.toml: survey.templates.reminder: unknown key (known: invitation, nudge, invitation_flow, nudge_flow, "
        "thanks, closing, complaint_update, staff_alert, wbs_notice)",
        "kantor.toml: survey.language: unknown key (known: form_url, templates, template_language, nudges, path)",
        "kantor.toml: survey.path: must be one of form, flow, chat, got 'whatsapp'"])


def test_one_email_signs_in_to_one_office(tmp_path):
    seed = open("functions/jaring/offices/seed/kemenag-bangkalan.toml", encoding="utf-8").read()
    (tmp_path / "a.toml").write_text(seed, encoding="utf-8")
    (tmp_path / "b.toml").write_text(seed.replace('id = "kemenag-bangkalan"', 'id = "kemenag-sampang"'),
                                     encoding="utf-8")
    with pytest.raises(InvalidConfig) as err:
        read_files([str(tmp_path / "a.toml"), str(tmp_path / "b.toml")])
    assert err.value.problems == [f"{tmp_path / 'b.toml'}: staff[{i}].email: {email!r} is also staff in "
                                  f"{tmp_path / 'a.toml'}" for i, email in enumerate(
                                      ["petugas@example.go.id", "kepala.tu@example.go.id", "admin@example.go.id",
                                       "kepala.kantor@example.go.id", "inspektorat@example.go.id"])]


def test_the_roles_are_those_of_the_firestore_rules():
    import re

    from jaring.identity import ROLES

    rules = open("firestore.rules", encoding="utf-8").read()
    checked = set(re.findall(r"'(\w+)'", " ".join(re.findall(r"claim\('role'\)\s*(?:==|in)\s*([^)&|]*)", rules))))
    assert checked and checked <= set(ROLES)
    assert all(re.search(rf"//\s+.*\b{role}\b", rules) for role in ROLES)  # each described in the header


def test_a_bad_configuration_lists_every_problem_with_its_key_path():
    data = seed_data()
    data["office"]["id"] = "Kemenag Bangkalan"
    data["hours"]["thu"] = "16:00-07:30"
    data["units"][0]["title"] = "Subbagian Tata Usaha dan Umum Kantor"
    data["units"][1]["group"] = "ptps"
    data["units"][2]["services"][0]["requirments"] = data["units"][2]["services"][0].pop("requirements")
    data["quick_replies"][4]["service"] = "haji/tidak-ada"
    data["staff"][0]["number"] = "nomor kantor"
    data["texts"] = {"greeting": "Selamat datang di {kantor}"}
    found = problems(data)
    expected = ["kantor.toml: office.id:", "kantor.toml: hours.thu:", "kantor.toml: units[0].title: is 36 characters",
                "kantor.toml: units[1].group: no group 'ptps'", "kantor.toml: units[2].services[0].requirments: unknown",
                "kantor.toml: units[2].services[0].requirements: is required",
                "kantor.toml: quick_replies[4].service:", "kantor.toml: staff[0].number:",
                "kantor.toml: texts.greeting: unknown placeholder {kantor}"]
    for start in expected:
        assert any(p.startswith(start) for p in found), (start, found)
    assert len(found) == len(expected)


def test_missing_sections_and_duplicate_ids_are_named():
    data = seed_data()
    del data["consent"]
    data["units"][3]["id"] = data["units"][2]["id"]
    found = problems(data)
    assert "kantor.toml: consent: is required" in found
    assert any(p.startswith("kantor.toml: units[3].id: unit id 'kepegawaian' is used twice") for p in found)


def test_a_service_card_too_long_for_one_whatsapp_message_is_refused():
    data = seed_data()
    data["units"][0]["services"][0]["requirements"] = ["Dokumen pendukung yang sangat panjang sekali " * 3] * 10
    [problem] = problems(data)
    assert problem.startswith("kantor.toml: units[0].services[0] (umum/ppid): the service card is")


def test_a_toml_syntax_error_names_the_file_and_line(tmp_path):
    path = tmp_path / "rusak.toml"
    path.write_text('version = "1"\n[office\nid = "x"\n')
    with pytest.raises(InvalidConfig) as err:
        read_file(path)
    [problem] = err.value.problems
    assert problem.startswith(f"{path}: ") and "line 2" in problem


def test_an_office_configured_twice_is_refused(tmp_path):
    seed = tmp_path / "a.toml"
    seed.write_bytes(open("functions/jaring/offices/seed/kemenag-bangkalan.toml", "rb").read())
    with pytest.raises(InvalidConfig) as err:
        read_files([str(seed), str(seed)])
    assert "also configured in" in err.value.problems[0]


def test_dates_are_stored_as_text_and_read_back():
    config = seed_config(closures=[{"from": "2026-02-02", "reason": "rapat kerja"}])
    assert config.hours.closures[0].end.isoformat() == "2026-02-02"


def test_an_office_without_configuration_still_greets_and_serves_the_menu():
    fallback = office.fallback("kua-socah")
    assert fallback.units == () and "Kementerian Agama" in fallback.text("greeting")


@pytest.mark.parametrize("where,old,new", [
    ("office.address", 'address = "Jl. Soekarno-Hatta No. 22, Bangkalan"',
     'address = "Jl. Soekarno-Hatta No. 22, Bangkalan (PERLU DICEK)"'),
    ("office.name", 'name = "Kantor Kementerian Agama Kabupaten Bangkalan"', 'name = "Kantor Kemenag TODO"'),
    ("units[0].place", 'place = "Loket PTSP, Kantor Kemenag Kabupaten Bangkalan"', 'place = "Loket XXX"'),
])
def test_config_check_refuses_drafting_markers_in_what_citizens_read(tmp_path, where, old, new):
    seed = open("functions/jaring/offices/seed/kemenag-bangkalan.toml", encoding="utf-8").read()
    assert old in seed
    (tmp_path / "office.toml").write_text(seed.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InvalidConfig) as err:
        read_file(tmp_path / "office.toml")
    assert len(err.value.problems) == 1 and f"{where}: " in err.value.problems[0]
    assert "drafting marker" in err.value.problems[0]


def test_the_seed_has_no_drafting_marker_a_citizen_could_read():
    assert office.placeholder_markers(seed_data(), "seed") == []


def test_breaks_seasonal_periods_and_closures_are_checked_each_in_one_line():
    data = seed_data()
    data["hours"]["breaks"] += [{"days": ["fri"], "time": "12:30-13:30", "reason": "istirahat"},
                                {"days": ["sun"], "time": "11:00-12:00", "reason": "istirahat"},
                                {"days": ["mon"], "time": "12:00-17:00", "reason": "istirahat"},
                                {"days": ["tue"], "time": "13:00-12:00", "reason": "istirahat"}]
    data["hours"]["periods"] += [{"name": "Ramadan lagi", "from": "2027-03-01", "to": "2027-03-20",
                                  "mon": "08:00-15:00"},
                                 {"name": "terbalik", "from": "2028-02-01", "to": "2028-01-01", "fri": "8:00-25:00"}]
    data["closures"] = [{"from": "2026-04-14 12:00", "to": "2026-04-14 10:00", "reason": "upacara"},
                        {"from": "2026-04-20", "to": "2026-04-21", "reason": "rapat kerja"},
                        {"from": "2026-04-21 12:00", "reason": "upacara"},
                        {"from": "2026-04-22 12:00:30", "reason": "upacara"}]
    found = problems(data)
    expected = ["kantor.toml: hours.breaks[1].time: overlaps hours.breaks[0] on fri: join them",
                "kantor.toml: hours.breaks[2].days: the office does not open on sun",
                "kantor.toml: hours.breaks[3].time: 12:00-17:00 is not within the hours of mon (07:30-16:00, 08:00-15:00)",
                "kantor.toml: hours.breaks[4].time: must look like \"07:30-16:00\"",
                "kantor.toml: hours.periods[1]: 2027-03-01..2027-03-20 overlaps hours.periods[0] (jam kerja Ramadan 1448 H",
                "kantor.toml: hours.periods[2].fri: must look like",
                "kantor.toml: hours.periods[2].to: is before 'from'",
                "kantor.toml: closures[0].to: is not after 'from'",
                "kantor.toml: closures[2]: overlaps closures[1] (rapat kerja): join them",
                "kantor.toml: closures[3].from: must be a WIB date and time like 2026-04-10 12:00"]
    for start in expected:
        assert any(p.startswith(start) for p in found), (start, found)
    assert len(found) == len(expected) and all("\n" not in p for p in found), found


def test_a_closure_of_part_of_a_day_is_stored_as_wib_wall_time_and_read_back():
    import datetime as dt

    data = {**seed_data(), "closures": [{"from": dt.datetime(2026, 4, 14, 12), "to": dt.datetime(2026, 4, 14, 16),
                                         "reason": "upacara"}]}
    stored = office.storable(data)
    assert stored["closures"][0]["from"] == "2026-04-14T12:00:00"
    assert office.parse(stored, "firestore").hours == office.parse(data, "toml").hours


def test_the_seed_sends_hajj_and_umrah_to_the_ministry_of_hajj_and_umrah_pending_the_offices_confirmation():
    haji = seed_config().unit("haji")
    assert haji.elsewhere.name == "Kantor Kementerian Haji dan Umrah Kabupaten Bangkalan"
    assert haji.served_at(haji.service("paspor-umrah")) is haji.elsewhere and haji.served_here() == ()
    text = open("functions/jaring/offices/seed/kemenag-bangkalan.toml", encoding="utf-8").read()
    assert "PENDING THE OFFICE'S CONFIRMATION" in text[:text.index("[units.served_elsewhere]")]


def test_served_elsewhere_is_checked_one_line_each():
    data = seed_data()
    data["units"][0]["served_elsewhere"] = {"address": "Jl. X", "link": "http://x", "number": "kantor", "fax": "1"}
    found = problems(data)
    expected = ["kantor.toml: units[0].served_elsewhere.fax: unknown key",
                "kantor.toml: units[0].served_elsewhere.name: is required",
                "kantor.toml: units[0].served_elsewhere.link: must be an https:// address",
                "kantor.toml: units[0].served_elsewhere.number: 'kantor' is not a phone number"]
    for start in expected:
        assert any(p.startswith(start) for p in found), (start, found)
    assert len(found) == len(expected), found
