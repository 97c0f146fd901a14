"""Units and services typed by staff become the office file's catalogue entries, or are refused with the choices."""
import pytest

from jaring.offices import catalogue
from tests.support.dialogue import seed_config

CONFIG = seed_config()


@pytest.mark.parametrize("typed", ["Legalisir Ijazah Madrasah Swasta", "legalisir ijazah madrasah swasta",
                                   "LEGALISIR IJAZAH", "legalisr ijazah", "Legalisir  ijazah.", "legalisir",
                                   "Legalisir Ijazah Madrasa Swata"])
def test_case_spacing_and_typos_reach_the_one_catalogue_service(typed):
    assert catalogue.service(CONFIG, "pendma", typed) == "Legalisir Ijazah Madrasah Swasta"


def test_nothing_typed_is_no_service():
    assert catalogue.service(CONFIG, "pendma", "  ") == ""


def test_words_that_fit_two_services_are_refused_with_both():
    with pytest.raises(catalogue.NotInCatalogue) as refused:
        catalogue.service(CONFIG, "pendma", "ijazah")
    assert "Legalisir Ijazah Madrasah Swasta" in str(refused.value)
    assert "Surat Keterangan Pengganti Ijazah" in str(refused.value)


def test_a_service_of_another_unit_is_refused_with_this_units_list():
    with pytest.raises(catalogue.NotInCatalogue) as refused:
        catalogue.service(CONFIG, "pendma", "pendaftaran haji")
    said = str(refused.value)
    assert "tidak ada di katalog Seksi Pendidikan Madrasah (Pendma)" in said
    assert "Izin Operasional Madrasah Swasta" in said and "Pendaftaran Haji" not in said


@pytest.mark.parametrize("typed, unit", [("kua-kamal", "kua-kamal"), ("KUA Kamal", "kua-kamal"),
                                         ("KUA Kecamatan Kamal", "kua-kamal"), ("UMUM", "umum")])
def test_a_unit_is_its_id_name_or_title(typed, unit):
    assert catalogue.unit(CONFIG, typed).id == unit


def test_an_unknown_unit_is_refused_with_the_valid_ids():
    with pytest.raises(catalogue.NotInCatalogue) as refused:
        catalogue.unit(CONFIG, "KUA-MARS")
    assert "'KUA-MARS'" in str(refused.value) and "kua-kamal" in str(refused.value) and "umum" in str(refused.value)


@pytest.mark.parametrize("unit, typed", [("haji", "pendaftaran haji"), ("haji", "")])
def test_a_unit_served_elsewhere_opens_no_ticket_and_the_refusal_says_where_in_one_line(unit, typed):
    with pytest.raises(catalogue.NotInCatalogue) as refused:
        catalogue.service(CONFIG, unit, typed)
    assert str(refused.value) == ("Seksi Penyelenggaraan Haji dan Umrah kini dilayani di Kantor Kementerian Haji dan "
                                  "Umrah Kabupaten Bangkalan, bukan di kantor ini; tidak ada tiket untuknya")


def test_one_service_served_elsewhere_is_refused_and_its_unit_still_serves_the_others():
    from tests.support.dialogue import seed_data

    data = seed_data()
    pendma = next(u for u in data["units"] if u["id"] == "pendma")
    pendma["services"][3]["served_elsewhere"] = {"name": "Kanwil Kemenag Jawa Timur", "link": "https://jatim.kemenag.go.id"}
    config = seed_config(units=data["units"])
    with pytest.raises(catalogue.NotInCatalogue, match="Izin Operasional Madrasah Swasta kini dilayani di Kanwil"):
        catalogue.service(config, "pendma", "izin madrasah swasta")
    assert catalogue.service(config, "pendma", "legalisir ijazah") == "Legalisir Ijazah Madrasah Swasta"
    assert [s.id for s in config.unit("pendma").served_here()] == ["legalisir-ijazah", "pengganti-ijazah",
                                                                   "mutasi-siswa"]
