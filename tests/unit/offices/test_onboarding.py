"""Onboarding an office from its file: the template tells an IT officer what to fill in, the check what is
still missing, and the offices' tree (district office → Kanwil → ministry) is checked before loading."""
import pytest

from jaring.offices import onboarding
from jaring.offices.model import InvalidConfig
from jaring.offices.store import SEED_DIR, read_file, read_files
from tests.support import offices

TEMPLATE = SEED_DIR / "templates" / "kantor-baru.toml"


def test_the_new_office_template_names_every_value_still_to_fill_in_and_nothing_else():
    with pytest.raises(InvalidConfig) as failed:
        read_file(TEMPLATE)
    problems = failed.value.problems
    assert all(": still to fill in: " in p for p in problems), problems
    keys = {p.split(": ")[1] for p in problems}
    assert {"office.id", "office.whatsapp_number_id", "office.whatsapp_number", "office.parent",
            "staff[0].number", "staff[1].email"} <= keys


def test_a_filled_template_loads_and_reports_what_is_still_missing(tmp_path):
    text, filled = TEMPLATE.read_text(), 0
    for line in text.splitlines():
        if '"ISI:' in line:
            key, filled = line.split("=")[0].strip(), filled + 1
            value = {"id": "kemenag-sampang", "whatsapp_number_id": "100000000000003",
                     "whatsapp_number": "+62 31 0000 0003", "parent": offices.KANWIL, "number": "0800 3000 001",
                     "email": f"staf{filled}@sampang.example.go.id", "form_url": ""}.get(key, "Contoh 2026.01.1")
            text = text.replace(line, f'{key} = "{value}"', 1)
    path = tmp_path / "kemenag-sampang.toml"
    path.write_text(text)
    config = read_file(path).config
    assert (config.office, config.whatsapp_number_id, config.whatsapp_number) == (
        "kemenag-sampang", "100000000000003", "+623100000003")
    assert (config.level, config.parent) == ("kabupaten", offices.KANWIL)
    assert onboarding.missing(config) == ["[survey] form_url: no public SKM form link for the menu"]


def test_a_bare_office_is_told_everything_it_lacks(tmp_path):
    config = read_file(offices.write(tmp_path, "kemenag-bare", "Kantor Kementerian Agama Kabupaten Bare",
                                     parent="", units=())).config
    lacking = " | ".join(onboarding.missing(config))
    for what in ("whatsapp_number_id", "[[units]]", "form_url", "[[staff]] number", "office.parent",
                 "office_head or admin"):
        assert what in lacking


@pytest.mark.parametrize("line,problem", [
    ('whatsapp_number_id = "+62 31 0000 0003"', "digits only"),
    ('whatsapp_number = "031 0000 0003"', "international form"),
    ('level = "provinsi"', "is not one of kabupaten, kanwil, pusat"),
    ('parent = "kemenag-sampang"', "cannot be its own parent"),
])
def test_the_office_section_refuses_a_wrong_number_level_or_parent(tmp_path, line, problem):
    text = offices.toml("kemenag-sampang", "Kantor Kementerian Agama Kabupaten Sampang", n=3)
    key = line.split(" = ")[0]
    text = "\n".join(line if row.startswith(key + " = ") else row for row in text.splitlines())
    if key not in text.split("[consent]")[0]:
        text = text.replace("[consent]", line + "\n\n[consent]")
    path = tmp_path / "office.toml"
    path.write_text(text)
    with pytest.raises(InvalidConfig) as failed:
        read_file(path)
    assert any(problem in p for p in failed.value.problems), failed.value.problems


def test_one_number_cannot_belong_to_two_offices_in_one_load(tmp_path):
    first = offices.write(tmp_path, "kemenag-sampang", "Kantor Kementerian Agama Kabupaten Sampang", n=3)
    second = offices.write(tmp_path, "kemenag-pamekasan", "Kantor Kementerian Agama Kabupaten Pamekasan", n=3)
    with pytest.raises(InvalidConfig) as failed:
        read_files([str(first), str(second)])
    assert any("is also the number of kemenag-sampang" in p for p in failed.value.problems)


def test_the_tree_wants_each_parent_known_and_one_level_up():
    places = {"pusat": ("pusat", ""), "kanwil-a": ("kanwil", "pusat"), "kab-1": ("kabupaten", "kanwil-a"),
              "kab-2": ("kabupaten", "pusat"), "kab-3": ("kabupaten", "kanwil-x")}
    assert onboarding.tree_problems(places) == [
        "kab-2: office.parent: 'pusat' is a pusat office; a kabupaten office's parent must be a kanwil office",
        "kab-3: office.parent: 'kanwil-x' is not configured (load its file first, or with this one)"]


def test_the_offices_below_a_kanwil_or_the_ministry_are_its_whole_subtree_and_nothing_else():
    places = {"pusat": ("pusat", ""), "kanwil-a": ("kanwil", "pusat"), "kanwil-b": ("kanwil", "pusat"),
              "kab-1": ("kabupaten", "kanwil-a"), "kab-2": ("kabupaten", "kanwil-a"), "kab-3": ("kabupaten", "kanwil-b")}
    assert onboarding.below(places, "kanwil-a") == ["kab-1", "kab-2"]
    assert onboarding.below(places, "pusat") == ["kab-1", "kab-2", "kab-3", "kanwil-a", "kanwil-b"]
    assert onboarding.below(places, "kab-1") == []
